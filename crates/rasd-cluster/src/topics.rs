//! Topics: stories in (their first article's vectors), a topic id per story
//! out. A topic is a thread of stories over months or years, linked by the
//! overlap of their words and entity-like terms.
//!
//! Each topic keeps the capped sum of its stories' whole-text token vectors
//! and entity vectors. A new story joins the best-matching active topic when
//! the mean of the two cosines passes the threshold, else opens a topic.
//! Candidates come from an inverted index over topic key terms; topics idle
//! longer than the window retire, and the active pool is capped, so the cost
//! per story stays flat.

use crate::sparse::SparseVec;
use crate::vectorize::{Doc, DocIndex, Space};
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;

/// Bounds and window of the topic linker.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicConfig {
    /// Topics idle longer than this (stream days) retire.
    pub window_days: f64,
    pub max_active: usize,
    pub centroid_cap: usize,
    pub index_terms: usize,
    pub posting_cap: usize,
    pub candidates: usize,
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            window_days: 1100.0,
            max_active: 20_000,
            centroid_cap: 400,
            index_terms: 16,
            posting_cap: 48,
            candidates: 12,
        }
    }
}

#[derive(Debug, Clone)]
struct Topic {
    tokens: SparseVec,
    entities: SparseVec,
    /// Norms of `tokens` and `entities`.
    norms: [f32; 2],
    last_active: f64,
    keyterms: Vec<u32>,
}

/// Assigns stories to topics online.
#[derive(Debug, Clone)]
pub struct TopicLinker {
    config: TopicConfig,
    active: HashMap<u64, Topic>,
    postings: HashMap<u32, VecDeque<u64>>,
    next_id: u64,
    /// At most the smallest finite `last_active` of the active topics
    /// (`last_active` only grows), so [`Self::retire`] can tell that no
    /// topic is old enough without visiting them all, on every new topic.
    oldest_active: f64,
}

impl Default for TopicLinker {
    fn default() -> Self {
        TopicLinker {
            config: TopicConfig::default(),
            active: HashMap::default(),
            postings: HashMap::default(),
            next_id: 0,
            oldest_active: f64::INFINITY,
        }
    }
}

impl TopicLinker {
    pub fn new(config: TopicConfig) -> TopicLinker {
        TopicLinker {
            config,
            ..TopicLinker::default()
        }
    }

    pub fn active_topics(&self) -> usize {
        self.active.len()
    }

    /// How well `doc` fits `topic`: the mean of token and entity cosines.
    fn fit(doc: &Doc, index: Option<&DocIndex>, topic: &Topic) -> f32 {
        let cosine = |space: Space, centroid: &SparseVec, norm: f32| {
            if norm > 0.0 {
                let dot = match index {
                    Some(index) => index.dot(doc, space, centroid),
                    None => doc.space(space).dot(centroid),
                };
                (dot / norm).clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        // Doc vectors are unit length; centroid norms are kept up to date.
        let tok = cosine(Space::AllTokens, &topic.tokens, topic.norms[0]);
        let ent = cosine(Space::Entities, &topic.entities, topic.norms[1]);
        (tok + ent) / 2.0
    }

    /// The topic of a new story whose first article is `doc`, at stream time `clock`.
    pub fn assign(&mut self, doc: &Doc, clock: f64, threshold: f32) -> u64 {
        self.assign_indexed(doc, None, clock, threshold)
    }

    /// [`Self::assign`] with `doc` indexed (the same answer, faster).
    pub fn assign_indexed(
        &mut self,
        doc: &Doc,
        index: Option<&DocIndex>,
        clock: f64,
        threshold: f32,
    ) -> u64 {
        let mut hits: HashMap<u64, f32> = HashMap::default();
        let key = doc.space(Space::AllTokens);
        for term in key.top_terms(self.config.index_terms) {
            if let Some(list) = self.postings.get(&term) {
                for id in list {
                    *hits.entry(*id).or_insert(0.0) += 1.0;
                }
            }
        }
        hits.retain(|id, _| self.active.contains_key(id));
        let mut ranked: Vec<(u64, f32)> = hits.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(self.config.candidates);
        let best = ranked
            .iter()
            .map(|(id, _)| (*id, Self::fit(doc, index, &self.active[id])))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let id = match best {
            Some((id, fit)) if fit >= threshold => id,
            _ => {
                self.retire(clock);
                let id = self.next_id;
                self.next_id += 1;
                self.note_active(clock);
                self.active.insert(
                    id,
                    Topic {
                        tokens: SparseVec::default(),
                        entities: SparseVec::default(),
                        norms: [0.0; 2],
                        last_active: clock,
                        keyterms: Vec::new(),
                    },
                );
                id
            }
        };
        self.update(id, doc, clock);
        id
    }

    /// Adds an article of one of the topic's stories.
    pub fn update(&mut self, id: u64, doc: &Doc, clock: f64) {
        let cap = self.config.centroid_cap;
        let Some(topic) = self.active.get_mut(&id) else {
            return;
        };
        topic.tokens.add_capped(doc.space(Space::AllTokens), cap);
        topic.entities.add_capped(doc.space(Space::Entities), cap);
        topic.norms = [topic.tokens.norm(), topic.entities.norm()];
        let mut became_dated = false;
        if clock.is_finite() {
            became_dated = !topic.last_active.is_finite();
            topic.last_active = topic.last_active.max(clock);
        }
        for term in doc
            .space(Space::AllTokens)
            .top_terms(self.config.index_terms)
        {
            if topic.keyterms.len() >= 4 * self.config.index_terms || topic.keyterms.contains(&term)
            {
                continue;
            }
            topic.keyterms.push(term);
            let list = self.postings.entry(term).or_default();
            list.push_back(id);
            while list.len() > self.config.posting_cap {
                list.pop_front();
            }
        }
        if became_dated {
            self.note_active(clock);
        }
    }

    /// Re-creates topic `id` restored from an archive (or adds to it when
    /// active) with one of its stories' articles; new ids stay above it.
    pub fn restore(&mut self, id: u64, doc: &Doc, clock: f64) {
        if !self.active.contains_key(&id) {
            self.note_active(clock);
        }
        self.active.entry(id).or_insert_with(|| Topic {
            tokens: SparseVec::default(),
            entities: SparseVec::default(),
            norms: [0.0; 2],
            last_active: clock,
            keyterms: Vec::new(),
        });
        self.reserve_ids(id + 1);
        self.update(id, doc, clock);
    }

    /// Makes new topic ids start at `next` or above.
    pub fn reserve_ids(&mut self, next: u64) {
        self.next_id = self.next_id.max(next);
    }

    /// Keeps [`Self::oldest_active`] a lower bound when a topic starts at `last_active`.
    fn note_active(&mut self, last_active: f64) {
        if last_active.is_finite() {
            self.oldest_active = self.oldest_active.min(last_active);
        }
    }

    fn retire(&mut self, clock: f64) {
        if self.active.len() < self.config.max_active && !clock.is_finite() {
            return;
        }
        let window = self.config.window_days;
        if clock.is_finite() && clock - self.oldest_active > window {
            self.active
                .retain(|_, t| !(t.last_active.is_finite() && clock - t.last_active > window));
            self.oldest_active = self
                .active
                .values()
                .map(|t| t.last_active)
                .filter(|t| t.is_finite())
                .fold(f64::INFINITY, f64::min);
        }
        if self.active.len() >= self.config.max_active {
            crate::time::evict_oldest(&mut self.active, self.config.max_active, |t| t.last_active);
            let active = &self.active;
            self.postings.retain(|_, list| {
                list.retain(|id| active.contains_key(id));
                !list.is_empty()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::ArticleIn;
    use crate::vectorize::Vectorizer;

    fn doc(v: &mut Vectorizer, title: &str, body: &str) -> Doc {
        v.doc(
            &ArticleIn {
                title: Some(title.into()),
                body: Some(body.into()),
                ..ArticleIn::default()
            },
            true,
        )
    }

    #[test]
    fn related_stories_share_a_topic_unrelated_do_not() {
        let mut v = Vectorizer::default();
        let mut topics = TopicLinker::default();
        let a = doc(
            &mut v,
            "بايدن والكاظمي يبحثان وجود القوات الأمريكية في العراق",
            "واشنطن بغداد انسحاب القوات الأمريكية من العراق والتحالف ضد داعش",
        );
        let b = doc(
            &mut v,
            "محادثات عراقية أمريكية حول مستقبل القوات الأمريكية في العراق",
            "بغداد واشنطن التحالف الدولي ضد داعش وانسحاب القوات الأمريكية",
        );
        let c = doc(
            &mut v,
            "أرسنال يهزم تشيلسي ويتوج بالدرع الخيرية",
            "هدف تشامبرلين منح أرسنال اللقب على ملعب ويمبلي",
        );
        let ta = topics.assign(&a, 18834.0, 0.2);
        let tb = topics.assign(&b, 19500.0, 0.2);
        let tc = topics.assign(&c, 19500.0, 0.2);
        assert_eq!(ta, tb);
        assert_ne!(ta, tc);
    }

    #[test]
    fn old_topics_retire() {
        let mut v = Vectorizer::default();
        let mut topics = TopicLinker::new(TopicConfig {
            window_days: 30.0,
            ..TopicConfig::default()
        });
        let a = doc(
            &mut v,
            "مهرجان العسل الدولي في الباحة",
            "نحالون يعرضون منتجاتهم من العسل في الباحة",
        );
        let first = topics.assign(&a, 100.0, 0.2);
        let opener = doc(&mut v, "كأس السوبر الألماني", "بايرن ميونيخ وفولفسبورغ");
        topics.assign(&opener, 200.0, 0.2);
        assert_ne!(
            topics.assign(&a, 200.0, 0.2),
            first,
            "the honey topic retired after 30 days"
        );
    }

    #[test]
    fn a_topic_first_seen_undated_retires_once_dated() {
        let mut v = Vectorizer::default();
        let mut topics = TopicLinker::new(TopicConfig {
            window_days: 30.0,
            ..TopicConfig::default()
        });
        let a = doc(
            &mut v,
            "مهرجان العسل الدولي في الباحة",
            "نحالون يعرضون منتجاتهم من العسل في الباحة",
        );
        let first = topics.assign(&a, f64::NEG_INFINITY, 0.2);
        topics.update(first, &a, 100.0);
        let opener = doc(&mut v, "كأس السوبر الألماني", "بايرن ميونيخ وفولفسبورغ");
        topics.assign(&opener, 200.0, 0.2);
        assert_ne!(topics.assign(&a, 200.0, 0.2), first);
    }
}
