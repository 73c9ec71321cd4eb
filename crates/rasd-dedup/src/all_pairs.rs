//! Exact all-pairs similarity join: sets in, every pair with Jaccard at or
//! above a threshold out. The ground truth of `rasd eval dedup`: no
//! sampling and no sketch, so it finds every such pair.
//!
//! Method: AllPairs prefix filtering (Bayardo, Ma and Srikant 2007).
//! Elements are ranked rarest first; sets are visited by size. If
//! `J(x, y) ≥ t` with `|y| ≤ |x|`, the sets share at least
//! `α ≥ t·|x|` and `α ≥ 2t/(1+t)·|y|` elements, so the first
//! `|x| − ⌈t·|x|⌉ + 1` ranks of `x` (its probe prefix) meet the first
//! `|y| − ⌈2t/(1+t)·|y|⌉ + 1` ranks of `y` (its indexed prefix). Only
//! pairs meeting there, and passing the size filter `|y| ≥ t·|x|`, are
//! verified by a full merge.

use crate::similarity::overlap;
use rayon::prelude::*;
use std::collections::HashMap;

/// A pair of input indices (`a < b`) and their exact Jaccard similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimilarPair {
    pub a: u32,
    pub b: u32,
    pub jaccard: f64,
}

/// Every pair of non-empty `sets` (each sorted and distinct) whose Jaccard
/// similarity is at least `threshold` (in (0, 1]), sorted by `(a, b)`.
///
/// # Panics
/// When there are more than `u32::MAX` sets or distinct elements.
pub fn similar_pairs(sets: &[Vec<u64>], threshold: f64) -> Vec<SimilarPair> {
    assert!(u32::try_from(sets.len()).is_ok(), "too many sets");
    let t = threshold.clamp(f64::MIN_POSITIVE, 1.0);
    let ranked = rank_rarest_first(sets);

    // Visit order: by size, then index.
    let mut order: Vec<u32> = (0..sets.len() as u32)
        .filter(|&i| !ranked[i as usize].is_empty())
        .collect();
    order.sort_unstable_by_key(|&i| (ranked[i as usize].len(), i));

    // Inverted lists of indexed prefixes, as compressed rows: list of rank r
    // holds visit positions in increasing order.
    let ranks = ranked
        .iter()
        .flatten()
        .map(|&r| r as usize + 1)
        .max()
        .unwrap_or(0);
    let index_prefix = |len: usize| len - ceil_eps(2.0 * t / (1.0 + t) * len as f64).min(len) + 1;
    let mut starts = vec![0u32; ranks + 1];
    for &i in &order {
        let set = &ranked[i as usize];
        for &r in &set[..index_prefix(set.len())] {
            starts[r as usize + 1] += 1;
        }
    }
    for r in 0..ranks {
        starts[r + 1] += starts[r];
    }
    let mut fill = starts.clone();
    let mut postings = vec![0u32; starts[ranks] as usize];
    for (pos, &i) in order.iter().enumerate() {
        let set = &ranked[i as usize];
        for &r in &set[..index_prefix(set.len())] {
            postings[fill[r as usize] as usize] = pos as u32;
            fill[r as usize] += 1;
        }
    }

    let (ranked, order, starts, postings) = (&ranked, &order, &starts, &postings);
    let mut pairs: Vec<SimilarPair> = (0..order.len())
        .into_par_iter()
        .flat_map_iter(|pos| {
            let x = &ranked[order[pos] as usize];
            let probe = x.len() - ceil_eps(t * x.len() as f64).min(x.len()) + 1;
            let min_len = ceil_eps(t * x.len() as f64);
            let mut candidates: Vec<u32> = Vec::new();
            for &r in &x[..probe] {
                let list = &postings[starts[r as usize] as usize..starts[r as usize + 1] as usize];
                for &other in list.iter().take_while(|&&o| (o as usize) < pos) {
                    if ranked[order[other as usize] as usize].len() >= min_len {
                        candidates.push(other);
                    }
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            candidates.into_iter().filter_map(move |other| {
                let yi = order[other as usize];
                let y = &ranked[yi as usize];
                let inter = overlap(x, y);
                let j = inter as f64 / (x.len() + y.len() - inter) as f64;
                let xi = order[pos];
                (j >= t).then_some(SimilarPair {
                    a: xi.min(yi),
                    b: xi.max(yi),
                    jaccard: j,
                })
            })
        })
        .collect();
    pairs.par_sort_unstable_by_key(|p| (p.a, p.b));
    pairs
}

/// `⌈v⌉`, forgiving float noise just above an integer (so prefixes are
/// never too short).
fn ceil_eps(v: f64) -> usize {
    (v - 1e-9).ceil().max(0.0) as usize
}

/// Each set rewritten as sorted element ranks, the rarest element (fewest
/// sets) ranked 0, ties by value.
fn rank_rarest_first(sets: &[Vec<u64>]) -> Vec<Vec<u32>> {
    let mut all: Vec<u64> = sets.iter().flatten().copied().collect();
    all.par_sort_unstable();
    let mut counted: Vec<(u32, u64)> = all
        .chunk_by(|a, b| a == b)
        .map(|run| (run.len() as u32, run[0]))
        .collect();
    drop(all);
    counted.par_sort_unstable();
    assert!(
        u32::try_from(counted.len()).is_ok(),
        "too many distinct elements"
    );
    let rank: HashMap<u64, u32> = counted
        .iter()
        .enumerate()
        .map(|(r, &(_, v))| (v, r as u32))
        .collect();
    sets.par_iter()
        .map(|set| {
            let mut ranks: Vec<u32> = set.iter().map(|v| rank[v]).collect();
            ranks.sort_unstable();
            ranks
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::jaccard;
    use proptest::prelude::*;

    fn brute_force(sets: &[Vec<u64>], t: f64) -> Vec<SimilarPair> {
        let mut out = Vec::new();
        for a in 0..sets.len() {
            for b in a + 1..sets.len() {
                let j = jaccard(&sets[a], &sets[b]);
                if !sets[a].is_empty() && !sets[b].is_empty() && j >= t {
                    out.push(SimilarPair {
                        a: a as u32,
                        b: b as u32,
                        jaccard: j,
                    });
                }
            }
        }
        out
    }

    #[test]
    fn finds_the_known_pairs() {
        let sets = vec![
            vec![1, 2, 3, 4, 5],
            vec![1, 2, 3, 4, 6],
            vec![7, 8],
            vec![],
            vec![1, 2, 3, 4, 5],
        ];
        let pairs = similar_pairs(&sets, 0.5);
        let ab: Vec<(u32, u32)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(ab, [(0, 1), (0, 4), (1, 4)]);
        assert_eq!(pairs[1].jaccard, 1.0);
    }

    proptest! {
        #[test]
        fn equals_brute_force(raw in proptest::collection::vec(proptest::collection::vec(0u64..30, 0..25), 0..30),
                              t in prop_oneof![Just(0.5), Just(0.8), 0.1f64..1.0]) {
            let sets: Vec<Vec<u64>> = raw.into_iter().map(|mut s| { s.sort_unstable(); s.dedup(); s }).collect();
            prop_assert_eq!(similar_pairs(&sets, t), brute_force(&sets, t));
        }
    }
}
