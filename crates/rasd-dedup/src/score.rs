//! Pair-level scoring of a grouping against ground-truth similar pairs:
//! groups (or pairs) and the exact join's pairs in, precision and recall out.
//!
//! A predicted pair is two articles in the same group. Truth pairs with
//! Jaccard ≥ `duplicate` are duplicates, pairs below `distinct` (absent from
//! the join) are not, and the grey zone between is left out of both counts.

use crate::all_pairs::SimilarPair;
use serde::Serialize;
use std::collections::HashMap;

/// Where the ground truth draws its lines.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bounds {
    /// Pairs at or above this Jaccard are duplicates (0.8).
    pub duplicate: f64,
    /// Pairs below this are not duplicates (0.5); the join must have been
    /// run at this threshold.
    pub distinct: f64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            duplicate: 0.8,
            distinct: 0.5,
        }
    }
}

/// Pair counts and the scores they give.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairScore {
    /// Truth pairs at or above `duplicate`.
    pub true_pairs: u64,
    /// Truth pairs in the grey zone.
    pub grey_pairs: u64,
    /// Predicted pairs, grey ones included.
    pub predicted_pairs: u64,
    pub true_positives: u64,
    pub false_positives: u64,
    pub false_negatives: u64,
    /// Predicted pairs in the grey zone (counted in neither score).
    pub predicted_grey: u64,
    /// `tp / (tp + fp)`, 1 when nothing was predicted.
    pub precision: f64,
    /// `tp / (tp + fn)`, 1 when there is nothing to find.
    pub recall: f64,
}

impl PairScore {
    fn new(true_pairs: u64, grey_pairs: u64, predicted: u64, tp: u64, grey: u64) -> PairScore {
        let fp = predicted - tp - grey;
        let fn_ = true_pairs - tp;
        let ratio = |num: u64, den: u64| {
            if den == 0 {
                1.0
            } else {
                num as f64 / den as f64
            }
        };
        PairScore {
            true_pairs,
            grey_pairs,
            predicted_pairs: predicted,
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            predicted_grey: grey,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, true_pairs),
        }
    }
}

/// Scores a grouping given as each article's group label (e.g. its
/// canonical's index) against the truth pairs.
pub fn score_groups(labels: &[usize], truth: &[SimilarPair], bounds: Bounds) -> PairScore {
    let mut sizes: HashMap<usize, u64> = HashMap::new();
    for &l in labels {
        *sizes.entry(l).or_default() += 1;
    }
    let predicted = sizes.values().map(|&s| s * (s - 1) / 2).sum();
    let (mut true_pairs, mut grey_pairs, mut tp, mut grey) = (0, 0, 0, 0);
    for p in truth.iter().filter(|p| p.jaccard >= bounds.distinct) {
        let together = labels[p.a as usize] == labels[p.b as usize];
        if p.jaccard >= bounds.duplicate {
            true_pairs += 1;
            tp += u64::from(together);
        } else {
            grey_pairs += 1;
            grey += u64::from(together);
        }
    }
    PairScore::new(true_pairs, grey_pairs, predicted, tp, grey)
}

/// Scores predicted pairs as they are (no transitive closure) against the
/// truth pairs. Repeated pairs, either way round, count once; self-pairs are
/// ignored.
pub fn score_pairs(predicted: &[(u32, u32)], truth: &[SimilarPair], bounds: Bounds) -> PairScore {
    let mut seen: Vec<(u32, u32)> = predicted
        .iter()
        .filter(|(a, b)| a != b)
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let by_pair: HashMap<(u32, u32), f64> = truth.iter().map(|p| ((p.a, p.b), p.jaccard)).collect();
    let (mut tp, mut grey) = (0, 0);
    for pair in &seen {
        match by_pair.get(pair) {
            Some(&j) if j >= bounds.duplicate => tp += 1,
            Some(&j) if j >= bounds.distinct => grey += 1,
            _ => {}
        }
    }
    let true_pairs = truth
        .iter()
        .filter(|p| p.jaccard >= bounds.duplicate)
        .count() as u64;
    let grey_pairs = truth
        .iter()
        .filter(|p| p.jaccard >= bounds.distinct && p.jaccard < bounds.duplicate)
        .count() as u64;
    PairScore::new(true_pairs, grey_pairs, seen.len() as u64, tp, grey)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: u32, b: u32, jaccard: f64) -> SimilarPair {
        SimilarPair { a, b, jaccard }
    }

    #[test]
    fn groups_and_pairs_score_alike() {
        // 0,1,2 are copies; 3 is grey with 2; 4 is alone.
        let truth = [
            pair(0, 1, 0.9),
            pair(0, 2, 0.85),
            pair(1, 2, 0.95),
            pair(2, 3, 0.6),
        ];
        // Predicted: {0,1}, {2,3,4}: tp (0,1); grey (2,3); fp (2,4), (3,4).
        let s = score_groups(&[0, 0, 2, 2, 2], &truth, Bounds::default());
        assert_eq!((s.true_pairs, s.grey_pairs, s.predicted_pairs), (3, 1, 4));
        assert_eq!(
            (
                s.true_positives,
                s.predicted_grey,
                s.false_positives,
                s.false_negatives
            ),
            (1, 1, 2, 2)
        );
        assert!((s.precision - 1.0 / 3.0).abs() < 1e-12);
        let p = score_pairs(
            &[(1, 0), (0, 1), (2, 3), (2, 4), (4, 3), (4, 4)],
            &truth,
            Bounds::default(),
        );
        assert_eq!(p, s);
    }

    #[test]
    fn empty_prediction_is_precise() {
        let s = score_groups(&[0, 1], &[pair(0, 1, 0.9)], Bounds::default());
        assert_eq!((s.precision, s.recall), (1.0, 0.0));
    }
}
