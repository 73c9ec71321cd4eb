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
        // A title against a story centroid is ~10 ids against ~300: looking
        // the few up beats walking the many. Either way the products are
        // added in id order, so the sum is the same to the bit.
        if a.len().saturating_mul(SEARCH_RATIO) < b.len() {
            return dot_by_search(a, b);
        }
        if b.len().saturating_mul(SEARCH_RATIO) < a.len() {
            return dot_by_search(b, a);
        }
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

/// One vector's entries in an open-addressing table, for the dot products
/// of that vector (an article) with many others (candidate stories).
///
/// [`SparseVec::dot`] walks both id lists in step, and each step waits on
/// the comparison of the last (a chain of dependent loads). Here the other
/// vector is read straight through and each of its ids looked up in a
/// table that stays in L1, which is about twice as fast for an article
/// against a story centroid. Matches are still added in id order (the
/// other vector's), so the sum is [`SparseVec::dot`]'s to the bit.
///
/// The table is at most an eighth full and its free slots hold an id the
/// vector lacks, so nearly every lookup is one load that either matches or
/// finds that id: the loop's exit is predictable, and only a collision
/// (rare at that load) probes on.
#[derive(Debug, Clone, Default)]
pub struct DotIndex {
    /// `(id, weight)` at `id & mask` or the next free slot after it; free
    /// slots hold `(free, 0.0)`.
    slots: Vec<(u32, f32)>,
    /// An id the indexed vector does not have, marking free slots.
    free: u32,
    /// Slots filled by the last build, to free them again cheaply.
    filled: Vec<usize>,
    mask: usize,
    /// Entries of the indexed vector.
    len: usize,
}

impl DotIndex {
    /// Indexes `v`, reusing the buffers.
    pub fn build(&mut self, v: &SparseVec) {
        let size = (SLOTS_PER_ENTRY * v.len()).next_power_of_two().max(64);
        // Ids are hashes, so u32::MAX is almost always absent; the search
        // ends after at most `v.len()` steps anyway.
        let mut free = u32::MAX;
        while v.entries.binary_search_by_key(&free, |e| e.0).is_ok() {
            free -= 1;
        }
        // Only the slots the last build filled are freed again, so a small
        // vector after a large one costs its own size, not the table's.
        if free != self.free {
            self.slots.clear();
            self.filled.clear();
            self.free = free;
        }
        for &slot in &self.filled {
            self.slots[slot] = (free, 0.0);
        }
        self.filled.clear();
        if self.slots.len() < size {
            self.slots.resize(size, (free, 0.0));
        }
        self.mask = size - 1;
        self.len = v.len();
        for &(id, weight) in &v.entries {
            let mut slot = id as usize & self.mask;
            while self.slots[slot].0 != free {
                slot = (slot + 1) & self.mask;
            }
            self.slots[slot] = (id, weight);
            self.filled.push(slot);
        }
    }

    /// `v.dot(other)`, where `v` is the vector last given to [`Self::build`].
    pub fn dot(&self, v: &SparseVec, other: &SparseVec) -> f32 {
        if self.len != v.len() || self.slots.is_empty() {
            return v.dot(other);
        }
        if v.len().saturating_mul(SEARCH_RATIO) < other.len() {
            return dot_by_search(&v.entries, &other.entries);
        }
        let slots = &self.slots[..=self.mask];
        let mut sum = 0.0;
        for &(id, weight) in &other.entries {
            let mut slot = id as usize & self.mask;
            loop {
                let (indexed, w) = slots[slot];
                // Free first: `other` may hold the free id itself.
                if indexed == self.free {
                    break;
                }
                if indexed == id {
                    sum += w * weight;
                    break;
                }
                slot = (slot + 1) & self.mask;
            }
        }
        sum
    }
}

/// Table slots per indexed entry (rounded up to a power of two): at an
/// eighth full or less a lookup rarely probes twice.
const SLOTS_PER_ENTRY: usize = 8;

/// How much longer one side must be for [`SparseVec::dot`] to search it.
const SEARCH_RATIO: usize = 8;

/// The dot product of two id-sorted entry lists by galloping through
/// `long` for each id of `short`, adding matches in id order.
fn dot_by_search(short: &[(u32, f32)], long: &[(u32, f32)]) -> f32 {
    let mut sum = 0.0;
    let mut rest = long;
    for &(id, weight) in short {
        let mut end = 1;
        while end < rest.len() && rest[end].0 < id {
            end *= 2;
        }
        let window = &rest[..rest.len().min(end + 1)];
        match window.binary_search_by_key(&id, |e| e.0) {
            Ok(found) => {
                sum += weight * rest[found].1;
                rest = &rest[found + 1..];
            }
            Err(after) => rest = &rest[after..],
        }
        if rest.is_empty() {
            break;
        }
    }
    sum
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

    /// The merge walk of [`SparseVec::dot`], as the reference.
    fn dot_by_merge(a: &SparseVec, b: &SparseVec) -> f32 {
        let mut sum = 0.0;
        let (mut i, mut j) = (0, 0);
        while let (Some(x), Some(y)) = (a.entries.get(i), b.entries.get(j)) {
            if x.0 == y.0 {
                sum += x.1 * y.1;
            }
            i += usize::from(x.0 <= y.0);
            j += usize::from(y.0 <= x.0);
        }
        sum
    }

    #[test]
    fn a_short_side_is_searched_with_the_same_sum() {
        let long = SparseVec::from_unsorted((0..400u32).map(|i| (i * 3, 0.1 + i as f32)).collect());
        let short = vec_of(&[(0, 0.5), (299, 2.0), (300, 0.25), (1197, 3.0), (5000, 1.0)]);
        let expected = 0.5 * 0.1 + 0.25 * 100.1 + 3.0 * 399.1;
        assert_eq!(short.dot(&long), dot_by_merge(&short, &long));
        assert_eq!(long.dot(&short), short.dot(&long));
        assert!((short.dot(&long) - expected).abs() < 1e-3);
    }

    /// Ids from a small range (so vectors overlap) and the top few (the
    /// free-slot marker's range).
    fn any_id() -> impl Strategy<Value = u32> {
        prop_oneof![4 => 0u32..3000, 1 => (u32::MAX - 3)..=u32::MAX]
    }

    #[test]
    fn the_index_survives_vectors_holding_its_free_marker() {
        let top = vec_of(&[(u32::MAX, 2.0), (u32::MAX - 1, 3.0), (7, 1.0)]);
        let other = vec_of(&[(u32::MAX, 5.0), (u32::MAX - 2, 11.0), (7, 0.5)]);
        let mut index = DotIndex::default();
        index.build(&top);
        assert_eq!(index.dot(&top, &other), 10.5);
        // Rebuilt for a vector without them, the marker moves back up and
        // every slot the last build filled is free again.
        let plain = vec_of(&[(1, 1.0)]);
        index.build(&plain);
        assert_eq!(index.dot(&plain, &other), 0.0);
        assert_eq!(index.dot(&plain, &vec_of(&[(1, 4.0)])), 4.0);
        index.build(&top);
        assert_eq!(index.dot(&top, &other), dot_by_merge(&top, &other));
    }

    proptest! {
        #[test]
        fn the_index_gives_the_dot_product_to_the_bit(
            a in proptest::collection::vec((any_id(), -5.0f32..5.0), 0..250),
            others in proptest::collection::vec(
                proptest::collection::vec((any_id(), -5.0f32..5.0), 0..400), 1..4),
        ) {
            let a = vec_of(&a);
            let mut index = DotIndex::default();
            for b in others {
                let b = vec_of(&b);
                // One index rebuilt for vectors of other sizes and markers,
                // as the clusterer reuses it article after article.
                index.build(&a);
                prop_assert_eq!(index.dot(&a, &b).to_bits(), dot_by_merge(&a, &b).to_bits());
                index.build(&b);
                prop_assert_eq!(index.dot(&b, &a).to_bits(), dot_by_merge(&b, &a).to_bits());
            }
        }

        #[test]
        fn dot_is_bitwise_the_merge_walk(
            a in proptest::collection::vec((0u32..2000, 0.0f32..5.0), 0..12),
            b in proptest::collection::vec((0u32..2000, 0.0f32..5.0), 0..300),
        ) {
            let (a, b) = (vec_of(&a), vec_of(&b));
            prop_assert_eq!(a.dot(&b).to_bits(), dot_by_merge(&a, &b).to_bits());
            prop_assert_eq!(b.dot(&a).to_bits(), dot_by_merge(&b, &a).to_bits());
        }

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
