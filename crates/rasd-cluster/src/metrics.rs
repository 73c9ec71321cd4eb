//! Evaluation measures: a predicted and a gold labeling in, scores out.
//!
//! B-cubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et al.
//! 2009) for clusterings, and Pearson's r for pair scores.

use std::collections::HashMap;
use std::hash::Hash;

/// B-cubed precision, recall and F1 of a clustering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BCubed {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// B-cubed of `predicted` against `gold`, one `(predicted, gold)` label pair
/// per item. Per item: precision is the share of its predicted cluster that
/// shares its gold class, recall the share of its gold class that shares its
/// predicted cluster; both averaged over items. Empty input scores 1.0.
///
/// ```
/// use rasd_cluster::metrics::bcubed;
/// let perfect = bcubed(&[(1, "a"), (1, "a"), (2, "b")]);
/// assert_eq!(perfect.f1, 1.0);
/// let lumped = bcubed(&[(1, "a"), (1, "a"), (1, "b")]);
/// assert!(lumped.precision < 1.0 && lumped.recall == 1.0);
/// ```
pub fn bcubed<P: Hash + Eq, G: Hash + Eq>(items: &[(P, G)]) -> BCubed {
    if items.is_empty() {
        return BCubed {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        };
    }
    let mut joint: HashMap<(&P, &G), f64> = HashMap::new();
    let mut pred: HashMap<&P, f64> = HashMap::new();
    let mut gold: HashMap<&G, f64> = HashMap::new();
    for (p, g) in items {
        *joint.entry((p, g)).or_insert(0.0) += 1.0;
        *pred.entry(p).or_insert(0.0) += 1.0;
        *gold.entry(g).or_insert(0.0) += 1.0;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for ((p, g), n) in &joint {
        // Each of the n items in this cell has n items sharing both labels.
        precision += n * n / pred[p];
        recall += n * n / gold[g];
    }
    let total = items.len() as f64;
    let (precision, recall) = (precision / total, recall / total);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    BCubed {
        precision,
        recall,
        f1,
    }
}

/// Pearson's correlation of two equally long series (0.0 when either is
/// constant or they are shorter than two).
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return 0.0;
    }
    let (mx, my) = (
        x[..n].iter().sum::<f64>() / n as f64,
        y[..n].iter().sum::<f64>() / n as f64,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx > 0.0 && syy > 0.0 {
        sxy / (sxx * syy).sqrt()
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bcubed_known_values() {
        // Gold {a,a,b,b}; predicted all apart: precision 1, recall 1/2.
        let apart = bcubed(&[(1, 'a'), (2, 'a'), (3, 'b'), (4, 'b')]);
        assert_eq!((apart.precision, apart.recall), (1.0, 0.5));
        // Predicted one cluster: precision 1/2, recall 1.
        let lumped = bcubed(&[(0, 'a'), (0, 'a'), (0, 'b'), (0, 'b')]);
        assert_eq!((lumped.precision, lumped.recall), (0.5, 1.0));
    }

    #[test]
    fn pearson_known_values() {
        assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-12);
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 1.0], &[1.0, 2.0]), 0.0);
    }

    proptest! {
        #[test]
        fn bcubed_is_bounded_and_perfect_on_itself(labels in proptest::collection::vec(0u8..6, 1..40)) {
            let same: Vec<(u8, u8)> = labels.iter().map(|l| (*l, *l)).collect();
            prop_assert_eq!(bcubed(&same).f1, 1.0);
            let shifted: Vec<(u8, u8)> = labels.iter().enumerate().map(|(i, l)| ((i % 3) as u8, *l)).collect();
            let b = bcubed(&shifted);
            prop_assert!((0.0..=1.0).contains(&b.precision) && (0.0..=1.0).contains(&b.recall));
        }
    }
}
