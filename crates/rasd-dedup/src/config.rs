//! [`DedupConfig`]: every knob of dedup in one place, with its documented
//! default and [`DedupConfig::validate`] bounding each one.

use serde::{Deserialize, Serialize};

/// Settings of exact and near-duplicate detection.
///
/// The default LSH layout is 20 bands × 5 rows (100 MinHash values), not
/// datatrove's 14 × 8: on SaudiNewsNet (31,030 articles, 4,061 pairs with
/// J ≥ 0.8) the pair recall was 14×8 0.9966, 16×6 0.9995, 10×5 0.9993,
/// 20×5 1.0000, all at the same precision (candidates are verified
/// exactly, so the layout only moves recall and time). 14×8 is a candidate
/// with probability 0.92 at J = 0.8; 20×5 with 0.9997.
///
/// `anchor_threshold` 0.5 changes no pair on SaudiNewsNet (recall 1.0000);
/// 0.7 costs recall (0.9963) and 0.75 more (0.9815) for no precision gain
/// there, so 0.5: it only guards against long chains of edited copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DedupConfig {
    /// Two articles are near-duplicates when the exact Jaccard similarity of
    /// their shingle sets is at least this.
    pub threshold: f64,
    /// LSH bands; `bands * rows` MinHash values are computed per article.
    pub bands: usize,
    /// MinHash values per band: a pair becomes a candidate when all `rows`
    /// values of at least one band agree.
    pub rows: usize,
    /// Words per shingle.
    pub shingle_words: usize,
    /// Seed of the shingle hash and of the MinHash permutations.
    pub seed: u64,
    /// Bodies with fewer shingles than this are matched exactly only.
    pub min_shingles: usize,
    /// Only the first `max_words` words of a body are shingled (bounds the
    /// work per article; the exact hash always covers the whole body).
    pub max_words: usize,
    /// Every member of a group must have at least this exact Jaccard
    /// similarity with the group's canonical article: connected components
    /// of verified pairs are split into stars around their earliest members
    /// (see [`group`](mod@crate::group)), so a chain of near-duplicates
    /// cannot drag unrelated articles together. 0 keeps plain components.
    pub anchor_threshold: f64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            threshold: default_threshold(),
            bands: default_bands(),
            rows: default_rows(),
            shingle_words: 5,
            seed: DEFAULT_SEED,
            min_shingles: 1,
            max_words: 100_000,
            anchor_threshold: default_anchor_threshold(),
        }
    }
}

/// The default seed: the bytes of `"rasd-dd1"` read as a little-endian u64.
pub const DEFAULT_SEED: u64 = u64::from_le_bytes(*b"rasd-dd1");

/// The default Jaccard threshold.
pub fn default_threshold() -> f64 {
    0.8
}

/// The default minimum Jaccard similarity of a group member with its
/// canonical article.
pub fn default_anchor_threshold() -> f64 {
    0.5
}

/// The default number of LSH bands.
pub fn default_bands() -> usize {
    20
}

/// The default number of rows per LSH band.
pub fn default_rows() -> usize {
    5
}

/// A [`DedupConfig`] value outside its bounds.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("threshold {0} is not in (0, 1]")]
    Threshold(f64),
    #[error("bands × rows must be between 1 and 1024, got {bands} × {rows}")]
    Permutations { bands: usize, rows: usize },
    #[error("shingle_words must be between 1 and 64, got {0}")]
    ShingleWords(usize),
    #[error("max_words must be at least 1")]
    MaxWords,
    #[error("anchor_threshold {0} is not in [0, 1]")]
    AnchorThreshold(f64),
}

impl DedupConfig {
    /// Number of MinHash values per signature (`bands * rows`).
    pub fn permutations(&self) -> usize {
        self.bands * self.rows
    }

    /// Checks every field against its bounds.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(ConfigError::Threshold(self.threshold));
        }
        let perms = self.bands.saturating_mul(self.rows);
        if self.bands == 0 || self.rows == 0 || perms > 1024 {
            return Err(ConfigError::Permutations {
                bands: self.bands,
                rows: self.rows,
            });
        }
        if !(1..=64).contains(&self.shingle_words) {
            return Err(ConfigError::ShingleWords(self.shingle_words));
        }
        if self.max_words == 0 {
            return Err(ConfigError::MaxWords);
        }
        if !(0.0..=1.0).contains(&self.anchor_threshold) {
            return Err(ConfigError::AnchorThreshold(self.anchor_threshold));
        }
        Ok(())
    }

    /// The probability that a pair with Jaccard similarity `jaccard` becomes
    /// an LSH candidate: `1 - (1 - j^rows)^bands`.
    pub fn candidate_probability(&self, jaccard: f64) -> f64 {
        1.0 - (1.0 - jaccard.powi(self.rows as i32)).powi(self.bands as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_round_trips_and_is_valid() {
        let cfg = DedupConfig::default();
        cfg.validate().unwrap();
        let json = serde_json::to_string(&cfg).unwrap();
        let back: DedupConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cfg);
        let partial: DedupConfig = serde_json::from_str(r#"{"bands": 14, "rows": 8}"#).unwrap();
        assert_eq!(partial.permutations(), 112);
        assert!(serde_json::from_str::<DedupConfig>(r#"{"band": 3}"#).is_err());
    }

    #[test]
    fn bounds_are_enforced() {
        let bad = |f: fn(&mut DedupConfig)| {
            let mut c = DedupConfig::default();
            f(&mut c);
            c.validate().is_err()
        };
        assert!(bad(|c| c.threshold = 0.0));
        assert!(bad(|c| c.threshold = f64::NAN));
        assert!(bad(|c| c.bands = 0));
        assert!(bad(|c| c.rows = usize::MAX));
        assert!(bad(|c| c.shingle_words = 0));
        assert!(bad(|c| c.max_words = 0));
        assert!(bad(|c| c.anchor_threshold = -0.1));
        assert!(bad(|c| c.anchor_threshold = f64::NAN));
    }

    #[test]
    fn s_curve_is_steep_around_the_threshold() {
        let cfg = DedupConfig::default();
        assert!(cfg.candidate_probability(0.8) > 0.99);
        assert!(cfg.candidate_probability(0.3) < 0.1);
    }
}
