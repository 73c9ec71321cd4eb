//! Site templates: lines that recur across a site's pages are boilerplate.
//!
//! In: the blocks of a bounded sample of pages from one site (`Page.site`).
//! Out: a [`SiteTemplate`], the set of line keys (matching key, digits
//! masked) found on a good share of the sample's pages. Menus, footers,
//! section labels, «المصدر / …» brand lines and cookie banners recur;
//! article paragraphs do not. Learning is bounded: at most
//! [`TemplateLimits::max_pages`] pages and [`TemplateLimits::max_lines`]
//! lines per page are counted, and a template needs at least
//! [`TemplateLimits::min_pages`] pages.

use crate::block::Block;
use crate::features::Features;
use crate::segment::Line;
use std::collections::{HashMap, HashSet};

/// Bounds and thresholds for learning a template.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TemplateLimits {
    /// Pages counted at most.
    pub max_pages: usize,
    /// Lines counted per page at most.
    pub max_lines: usize,
    /// Fewer pages than this learn nothing.
    pub min_pages: usize,
    /// A line is boilerplate when it is on at least this share of pages…
    pub min_share: f32,
    /// …and on at least this many.
    pub min_count: usize,
}

impl Default for TemplateLimits {
    fn default() -> TemplateLimits {
        TemplateLimits {
            max_pages: 200,
            max_lines: 400,
            min_pages: 5,
            min_share: 0.1,
            min_count: 3,
        }
    }
}

/// The boilerplate lines of one site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteTemplate {
    /// Pages the template was learned from.
    pub pages: usize,
    recurring: HashSet<u64>,
}

impl SiteTemplate {
    /// Whether a line with these features is part of the site's template.
    pub fn is_boilerplate(&self, f: &Features) -> bool {
        self.recurring.contains(&f.masked_key)
    }

    /// Number of recurring line keys.
    pub fn len(&self) -> usize {
        self.recurring.len()
    }

    /// Whether nothing recurs.
    pub fn is_empty(&self) -> bool {
        self.recurring.is_empty()
    }
}

/// Counts line keys over pages, then yields a [`SiteTemplate`].
#[derive(Debug, Clone, Default)]
pub struct TemplateLearner {
    limits: TemplateLimits,
    pages: usize,
    counts: HashMap<u64, u32>,
}

impl TemplateLearner {
    pub fn new(limits: TemplateLimits) -> TemplateLearner {
        TemplateLearner {
            limits,
            pages: 0,
            counts: HashMap::new(),
        }
    }

    /// Whether the learner still takes pages.
    pub fn wants_more(&self) -> bool {
        self.pages < self.limits.max_pages
    }

    /// Counts one page's lines (each key once per page).
    pub fn add_page(&mut self, blocks: &[Block], features: &[Features]) {
        self.add_keys(blocks.iter().zip(features).map(|(b, f)| (b, f.masked_key)));
    }

    /// Counts one page's described lines (see [`crate::segment::describe`]).
    pub fn add_lines(&mut self, blocks: &[Block], lines: &[Line]) {
        self.add_keys(
            blocks
                .iter()
                .zip(lines)
                .map(|(b, l)| (b, l.features.masked_key)),
        );
    }

    fn add_keys<'b>(&mut self, lines: impl Iterator<Item = (&'b Block, u64)>) {
        if !self.wants_more() {
            return;
        }
        self.pages += 1;
        let mut seen = HashSet::new();
        for (b, key) in lines.take(self.limits.max_lines) {
            if b.text.len() <= 1_000 && seen.insert(key) {
                *self.counts.entry(key).or_default() += 1;
            }
        }
    }

    /// The template, or `None` when too few pages were seen.
    pub fn finish(self) -> Option<SiteTemplate> {
        if self.pages < self.limits.min_pages {
            return None;
        }
        let need = ((self.pages as f32 * self.limits.min_share).ceil() as usize)
            .max(self.limits.min_count) as u32;
        let recurring = self
            .counts
            .into_iter()
            .filter(|&(_, n)| n >= need)
            .map(|(k, _)| k)
            .collect();
        Some(SiteTemplate {
            pages: self.pages,
            recurring,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::features;

    fn page(lines: &[&str]) -> (Vec<Block>, Vec<Features>) {
        let blocks: Vec<Block> = lines.iter().map(|l| Block::line(*l)).collect();
        let feats = blocks.iter().map(features).collect();
        (blocks, feats)
    }

    #[test]
    fn recurring_lines_become_boilerplate() {
        let mut learner = TemplateLearner::new(TemplateLimits::default());
        for i in 0..6 {
            let body = format!("خبر رقم {i} عن الأمطار في المدينة الساحلية وأثرها على السكان");
            let year = format!("© {} صحيفة الساحل", 2010 + i);
            let (b, f) = page(&["الرئيسية", &body, &year]);
            learner.add_page(&b, &f);
        }
        let t = learner.finish().expect("enough pages");
        let (_, f) = page(&["الرئيسية", "© 1999 صحيفة الساحل", "خبر جديد عن الطقس"]);
        assert!(t.is_boilerplate(&f[0]));
        assert!(t.is_boilerplate(&f[1]), "numbers are masked");
        assert!(!t.is_boilerplate(&f[2]));
    }

    #[test]
    fn too_few_pages_learn_nothing() {
        let mut learner = TemplateLearner::new(TemplateLimits::default());
        let (b, f) = page(&["الرئيسية"]);
        learner.add_page(&b, &f);
        assert!(learner.finish().is_none());
    }
}
