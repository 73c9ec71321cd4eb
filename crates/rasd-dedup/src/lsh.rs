//! MinHash sketch → LSH band keys: articles sharing a band key are
//! candidate duplicates.
//!
//! Bit layout, for reproducing the keys elsewhere: band `b` (0-based) covers
//! `minhash[b*rows .. (b+1)*rows]`; its key is
//! `xxh3_64_with_seed(those u32 values as little-endian bytes, seed = b)`.
//! Seeding by the band number keeps equal values in different bands apart.

use crate::{DedupConfig, Signature};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The band keys of a signature, one per band, in band order; empty when the
/// signature has no MinHash (exact-only bodies).
pub fn band_keys(sig: &Signature, cfg: &DedupConfig) -> Vec<u64> {
    let rows = cfg.rows.max(1);
    if sig.minhash.len() < cfg.bands * rows {
        return Vec::new();
    }
    let mut bytes = Vec::with_capacity(rows * 4);
    sig.minhash
        .chunks_exact(rows)
        .take(cfg.bands)
        .enumerate()
        .map(|(band, values)| {
            bytes.clear();
            for v in values {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            xxh3_64_with_seed(&bytes, band as u64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature;

    #[test]
    fn keys_follow_the_documented_layout() {
        let cfg = DedupConfig {
            bands: 2,
            rows: 2,
            ..DedupConfig::default()
        };
        let sig = signature(
            "قال المتحدث باسم الوزارة إن الاجتماع سيعقد في جدة الأسبوع المقبل",
            &cfg,
        );
        let keys = band_keys(&sig, &cfg);
        let m = &sig.minhash;
        let first: Vec<u8> = [m[0].to_le_bytes(), m[1].to_le_bytes()].concat();
        assert_eq!(
            keys,
            [xxh3_64_with_seed(&first, 0), {
                let second: Vec<u8> = [m[2].to_le_bytes(), m[3].to_le_bytes()].concat();
                xxh3_64_with_seed(&second, 1)
            }]
        );
    }

    #[test]
    fn exact_only_bodies_have_no_keys() {
        let cfg = DedupConfig::default();
        assert!(band_keys(&signature("خبر عاجل", &cfg), &cfg).is_empty());
    }
}
