//! Exact set similarity of two sorted, distinct hash slices: the check that
//! confirms (or rejects) every LSH candidate.

/// Size of the intersection of two sorted, distinct slices (a linear merge).
pub fn overlap<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Jaccard similarity `|a ∩ b| / |a ∪ b|` of two sorted, distinct slices;
/// 0 when both are empty (an empty body is like nothing).
pub fn jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let inter = overlap(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Whether `jaccard(a, b) >= threshold`, deciding early from the sizes
/// alone when the smaller set cannot reach it.
pub fn jaccard_at_least<T: Ord>(a: &[T], b: &[T], threshold: f64) -> Option<f64> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // J ≤ |small| / |large|: skip the merge when that bound is already too low.
    if large.is_empty() || (small.len() as f64) < threshold * large.len() as f64 - 1e-9 {
        return None;
    }
    let j = jaccard(a, b);
    (j >= threshold).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(v: &[u32]) -> Vec<u32> {
        let mut v = v.to_vec();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn known_values() {
        assert_eq!(jaccard::<u32>(&[], &[]), 0.0);
        assert_eq!(jaccard(&[1, 2, 3, 4], &[3, 4, 5, 6]), 2.0 / 6.0);
        assert_eq!(jaccard(&[1, 2], &[1, 2]), 1.0);
        assert_eq!(
            jaccard_at_least(&[1, 2, 3, 4, 5], &[1, 2, 3, 4, 5, 6], 0.8),
            Some(5.0 / 6.0)
        );
        assert_eq!(jaccard_at_least(&[1], &[1, 2, 3, 4, 5, 6], 0.8), None);
    }

    proptest! {
        #[test]
        fn jaccard_is_symmetric_and_bounded(a in proptest::collection::vec(0u32..50, 0..40),
                                            b in proptest::collection::vec(0u32..50, 0..40)) {
            let (a, b) = (set(&a), set(&b));
            let j = jaccard(&a, &b);
            prop_assert_eq!(j, jaccard(&b, &a));
            prop_assert!((0.0..=1.0).contains(&j));
            let naive = a.iter().filter(|x| b.contains(x)).count();
            prop_assert_eq!(overlap(&a, &b), naive);
            prop_assert_eq!(jaccard_at_least(&a, &b, 0.5).is_some(), j >= 0.5);
        }
    }
}
