//! Sparse term vectors: `(term id, weight)` pairs sorted by term id, and the
//! capped running sums that stories keep of their members' vectors.

/// A sparse vector sorted by term id with no repeated ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVec {
    entries: Vec<(u32, f32)>,
}

impl SparseVec {
    /// Builds a vector from unsorted pairs, summing repeated ids.
    pub fn from_unsorted(mut pairs: Vec<(u32, f32)>) -> SparseVec {
        pairs.sort_unstable_by_key(|p| p.0);
        let mut entries: Vec<(u32, f32)> = Vec::with_capacity(pairs.len());
        for (id, w) in pairs {
            match entries.last_mut() {
                Some(last) if last.0 == id => last.1 += w,
                _ => entries.push((id, w)),
            }
        }
        SparseVec { entries }
    }

    /// Wraps pairs already sorted by id with no repeats (checked: other
    /// input is sorted and summed as by [`SparseVec::from_unsorted`]).
    pub fn from_sorted(entries: Vec<(u32, f32)>) -> SparseVec {
        if entries.windows(2).all(|w| w[0].0 < w[1].0) {
            SparseVec { entries }
        } else {
            SparseVec::from_unsorted(entries)
        }
    }

    pub fn entries(&self) -> &[(u32, f32)] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn norm(&self) -> f32 {
        self.entries.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt()
    }

    /// Scales to unit length (an all-zero vector stays as it is).
    pub fn normalize(&mut self) {
        let n = self.norm();
        if n > 0.0 {
            self.entries.iter_mut().for_each(|e| e.1 /= n);
        }
    }

    pub fn dot(&self, other: &SparseVec) -> f32 {
        let (a, b) = (self.entries.as_slice(), other.entries.as_slice());
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        // Branch-free merge: which side advances is data, not control flow
        // (the ids interleave unpredictably; this is the clusterer's
        // innermost loop).
        while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
            let product = x.1 * y.1;
            sum += if x.0 == y.0 { product } else { 0.0 };
            i += usize::from(x.0 <= y.0);
            j += usize::from(y.0 <= x.0);
        }
        sum
    }

    /// Cosine similarity, 0.0 when either side is empty.
    pub fn cosine(&self, other: &SparseVec) -> f32 {
        let n = self.norm() * other.norm();
        if n > 0.0 {
            (self.dot(other) / n).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// The `k` ids of largest weight, heaviest first.
    pub fn top_terms(&self, k: usize) -> Vec<u32> {
        let heavier = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut by_weight: Vec<(u32, f32)> = self.entries.clone();
        if k == 0 {
            return Vec::new();
        }
        if by_weight.len() > k {
            by_weight.select_nth_unstable_by(k - 1, heavier);
            by_weight.truncate(k);
        }
        by_weight.sort_unstable_by(heavier);
        by_weight.into_iter().map(|e| e.0).collect()
    }

    /// The `k` heaviest entries, in term order (the order [`Self::entries`]
    /// gives), so sums over them add up in the same order as a filtered
    /// walk of all entries would.
    pub fn top_entries_by_term(&self, k: usize) -> Vec<(u32, f32)> {
        if self.entries.len() <= k {
            return self.entries.clone();
        }
        if k == 0 {
            return Vec::new();
        }
        let heavier = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut by_weight: Vec<(u32, f32)> = self.entries.clone();
        by_weight.select_nth_unstable_by(k - 1, heavier);
        by_weight.truncate(k);
        by_weight.sort_unstable_by_key(|e| e.0);
        by_weight
    }

    /// Adds `other` into `self` and keeps at most `cap` heaviest entries, so a
    /// story that receives thousands of members stays bounded in size.
    pub fn add_capped(&mut self, other: &SparseVec, cap: usize) {
        let (a, b) = (&self.entries, &other.entries);
        let mut merged = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
                merged.push(a[i]);
                i += 1;
            } else if i == a.len() || b[j].0 < a[i].0 {
                merged.push(b[j]);
                j += 1;
            } else {
                merged.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
        // Trim only when well over the cap so trimming stays amortized.
        if merged.len() > cap.saturating_add(cap / 2) {
            merged.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            merged.truncate(cap);
            merged.sort_unstable_by_key(|e| e.0);
        }
        self.entries = merged;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn vec_of(pairs: &[(u32, f32)]) -> SparseVec {
        SparseVec::from_unsorted(pairs.to_vec())
    }

    #[test]
    fn dot_and_cosine() {
        let a = vec_of(&[(3, 1.0), (1, 2.0), (3, 1.0)]);
        assert_eq!(a.entries(), &[(1, 2.0), (3, 2.0)]);
        let b = vec_of(&[(1, 1.0), (2, 5.0)]);
        assert_eq!(a.dot(&b), 2.0);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        assert_eq!(a.cosine(&SparseVec::default()), 0.0);
    }

    #[test]
    fn add_capped_bounds_size() {
        let mut sum = SparseVec::default();
        for i in 0..100u32 {
            sum.add_capped(&vec_of(&[(i, 1.0 + i as f32), (1000, 1.0)]), 10);
            assert!(sum.len() <= 16);
        }
        assert!(
            sum.entries().iter().any(|e| e.0 == 1000),
            "the shared term survives"
        );
    }

    proptest! {
        #[test]
        fn cosine_is_symmetric_and_bounded(
            a in proptest::collection::vec((0u32..50, 0.0f32..5.0), 0..20),
            b in proptest::collection::vec((0u32..50, 0.0f32..5.0), 0..20),
        ) {
            let (a, b) = (vec_of(&a), vec_of(&b));
            let (x, y) = (a.cosine(&b), b.cosine(&a));
            prop_assert!((x - y).abs() < 1e-5);
            prop_assert!((0.0..=1.0).contains(&x));
        }
    }
}
