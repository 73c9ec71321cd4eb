//! [`DedupIndex`]: the incremental form of dedup, for the store's ingest.
//! One signature in, how it relates to what was inserted before out.

use crate::similarity::jaccard_at_least;
use crate::{band_keys, DedupConfig, Signature};
use std::collections::HashMap;

/// What an inserted article duplicates, if anything.
#[derive(Debug, Clone, PartialEq)]
pub enum Match<Id> {
    /// Nothing seen before is a copy of it.
    New,
    /// Same words as this earlier article (the first one inserted).
    ExactOf(Id),
    /// A near-duplicate of this earlier article: the one with the highest
    /// Jaccard similarity, the earliest inserted on ties.
    NearOf(Id, f64),
}

/// The exact hashes, LSH buckets and shingle sets of the articles inserted
/// so far. Holds no text: about `4 × shingles` bytes per article.
#[derive(Debug, Clone)]
pub struct DedupIndex<Id> {
    cfg: DedupConfig,
    exact: HashMap<u128, u32>,
    buckets: HashMap<u64, Vec<u32>>,
    entries: Vec<(Id, Vec<u32>)>,
}

impl<Id: Clone> DedupIndex<Id> {
    /// An empty index; signatures inserted must be made with the same `cfg`.
    pub fn new(cfg: DedupConfig) -> Self {
        DedupIndex {
            cfg,
            exact: HashMap::new(),
            buckets: HashMap::new(),
            entries: Vec::new(),
        }
    }

    /// Number of articles indexed (bodies without words are not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing has been indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Looks `sig` up among the earlier articles, then indexes it under `id`.
    pub fn insert(&mut self, id: Id, sig: &Signature) -> Match<Id> {
        let Some(exact) = sig.exact else {
            return Match::New;
        };
        if let Some(&first) = self.exact.get(&exact) {
            // An exact copy adds nothing to the buckets: same shingles.
            return Match::ExactOf(self.entries[first as usize].0.clone());
        }
        let Ok(slot) = u32::try_from(self.entries.len()) else {
            return Match::New;
        };
        let keys = band_keys(sig, &self.cfg);
        let mut best: Option<(f64, u32)> = None;
        let mut seen = Vec::new();
        for key in &keys {
            for &other in self.buckets.get(key).into_iter().flatten() {
                if seen.contains(&other) {
                    continue;
                }
                seen.push(other);
                let theirs = &self.entries[other as usize].1;
                if let Some(j) = jaccard_at_least(&sig.shingles, theirs, self.cfg.threshold) {
                    let better = best.is_none_or(|(bj, bo)| j > bj || (j == bj && other < bo));
                    if better {
                        best = Some((j, other));
                    }
                }
            }
        }
        self.exact.insert(exact, slot);
        for key in keys {
            self.buckets.entry(key).or_default().push(slot);
        }
        self.entries.push((id, sig.shingles.clone()));
        match best {
            Some((j, other)) => Match::NearOf(self.entries[other as usize].0.clone(), j),
            None => Match::New,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature;

    const BODY: &str = "رفعت وكالة التصنيف الائتماني توقعاتها لنمو الاقتصاد السعودي خلال العام الحالي إلى ثلاثة في المئة، \
        مشيرة إلى تحسن أسعار النفط وارتفاع الإنفاق الحكومي على مشاريع البنية التحتية في عدد من المناطق.";

    #[test]
    fn insert_reports_exact_and_near_copies() {
        let cfg = DedupConfig::default();
        let mut index = DedupIndex::new(cfg.clone());
        assert_eq!(index.insert("a", &signature(BODY, &cfg)), Match::New);
        assert_eq!(
            index.insert("b", &signature(&format!("{BODY}!"), &cfg)),
            Match::ExactOf("a")
        );
        let longer = format!("{BODY} وكانت الوكالة قد ثبتت التصنيف");
        match index.insert("c", &signature(&longer, &cfg)) {
            Match::NearOf("a", j) => assert!((0.8..1.0).contains(&j)),
            other => panic!("expected a near copy of a, got {other:?}"),
        }
        assert_eq!(index.insert("d", &signature("", &cfg)), Match::New);
        assert_eq!(index.insert("e", &signature("", &cfg)), Match::New);
        assert_eq!(index.len(), 2);
    }
}
