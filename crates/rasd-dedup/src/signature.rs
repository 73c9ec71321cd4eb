//! Article body → [`Signature`]: the exact hash of its matching key, its
//! sorted shingle hashes and its MinHash sketch.
//!
//! Every hash is specified so another implementation (Python, Spark) can
//! reproduce it bit for bit:
//!
//! - **words**: `rasd_text::tokenize::words(rasd_text::normalize::matching_key(body))`.
//! - **exact**: `xxh3_128` (seed 0) of the words joined by one space (U+0020),
//!   as a `u128`; so bodies differing only in harakat, tatweel, hamza forms,
//!   digit scripts, whitespace or punctuation hash alike.
//! - **shingles**: for every window of `shingle_words` consecutive words
//!   (of the first `max_words`), `xxh3_64_with_seed(window joined by one
//!   space, seed) as u32` (the low 32 bits), sorted and deduplicated.
//! - **minhash**: permutation `i` (of `bands × rows`) has the multipliers
//!   `a_i = splitmix64 output 2i | 1` and `b_i = splitmix64 output 2i + 1` of
//!   a SplitMix64 stream started at `seed`; `h_i(x) = (a_i · x + b_i mod 2^64) >> 32`
//!   (multiply-shift hashing) and `minhash[i] = min over shingles x of h_i(x)`.

use crate::DedupConfig;
use rasd_text::{normalize, tokenize};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64_with_seed};

/// What dedup keeps of an article: enough to find and verify its duplicates,
/// never the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// xxh3-128 of the matching key's words; `None` for a body without words,
    /// which never matches anything.
    pub exact: Option<u128>,
    /// Number of words in the matching key.
    pub words: usize,
    /// Sorted, distinct 32-bit shingle hashes: the set the exact Jaccard check
    /// runs on.
    pub shingles: Vec<u32>,
    /// `bands × rows` MinHash values; empty when the body has fewer than
    /// `min_shingles` shingles (such bodies are matched exactly only).
    pub minhash: Vec<u32>,
}

impl Signature {
    /// The exact hash as 32 lowercase hex digits, if the body has words.
    pub fn exact_hex(&self) -> Option<String> {
        self.exact.map(|h| format!("{h:032x}"))
    }
}

/// The signature of one article body under `cfg` (which should be
/// [validated](DedupConfig::validate); out-of-range values are clamped).
pub fn signature(body: &str, cfg: &DedupConfig) -> Signature {
    let key = normalize::matching_key(body);
    let words: Vec<&str> = tokenize::words(&key).collect();
    if words.is_empty() {
        return Signature {
            exact: None,
            words: 0,
            shingles: Vec::new(),
            minhash: Vec::new(),
        };
    }
    let mut joined = String::with_capacity(key.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            joined.push(' ');
        }
        joined.push_str(w);
    }
    let exact = xxh3_128(joined.as_bytes());
    let shingled = &words[..words.len().min(cfg.max_words.max(1))];
    let mut shingles: Vec<u32> = shingle_hashes(shingled, cfg.shingle_words, cfg.seed)
        .map(|h| h as u32)
        .collect();
    shingles.sort_unstable();
    shingles.dedup();
    let minhash = if shingles.len() >= cfg.min_shingles.max(1) {
        minhash(&shingles, &Permutations::new(cfg.permutations(), cfg.seed))
    } else {
        Vec::new()
    };
    Signature {
        exact: Some(exact),
        words: words.len(),
        shingles,
        minhash,
    }
}

/// The 64-bit hash of every `n`-word window of `words`, in text order
/// (with repeats); nothing when there are fewer than `n` words.
pub fn shingle_hashes<'a>(
    words: &'a [&'a str],
    n: usize,
    seed: u64,
) -> impl Iterator<Item = u64> + 'a {
    let n = n.max(1);
    let mut buf = Vec::with_capacity(128);
    words.windows(n).map(move |window| {
        buf.clear();
        for (i, w) in window.iter().enumerate() {
            if i > 0 {
                buf.push(b' ');
            }
            buf.extend_from_slice(w.as_bytes());
        }
        xxh3_64_with_seed(&buf, seed)
    })
}

/// The sorted, distinct 64-bit shingle hashes of a body: the ground-truth set
/// of `rasd eval dedup` (64 bits, so collisions are negligible). A body with
/// words but fewer than `shingle_words` of them is one shingle of all its
/// words (as in datasketch and datatrove), so two such bodies are identical
/// (J = 1) or unrelated (J = 0), never "empty and therefore distinct".
pub fn shingle_set64(body: &str, cfg: &DedupConfig) -> Vec<u64> {
    let key = normalize::matching_key(body);
    let words: Vec<&str> = tokenize::words(&key).collect();
    let n = cfg.shingle_words.clamp(1, words.len().max(1));
    let mut set: Vec<u64> = shingle_hashes(&words, n, cfg.seed).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// The multipliers and offsets of the MinHash permutations.
#[derive(Debug, Clone)]
pub struct Permutations {
    a: Vec<u64>,
    b: Vec<u64>,
}

impl Permutations {
    /// `count` permutations drawn from a SplitMix64 stream started at `seed`.
    pub fn new(count: usize, seed: u64) -> Permutations {
        let mut state = seed;
        let mut a = Vec::with_capacity(count);
        let mut b = Vec::with_capacity(count);
        for _ in 0..count {
            a.push(splitmix64(&mut state) | 1);
            b.push(splitmix64(&mut state));
        }
        Permutations { a, b }
    }
}

/// One step of SplitMix64 (Steele, Lea and Flood 2014).
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The MinHash sketch of a set of 32-bit shingle hashes.
pub fn minhash(shingles: &[u32], perms: &Permutations) -> Vec<u32> {
    let mut mins = vec![u32::MAX; perms.a.len()];
    for &x in shingles {
        let x = u64::from(x);
        // Written over zipped slices so the compiler vectorizes the inner loop.
        for ((m, &a), &b) in mins.iter_mut().zip(&perms.a).zip(&perms.b) {
            let h = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
            *m = (*m).min(h);
        }
    }
    mins
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str =
        "أعلنت وزارة الصحة السعودية اليوم عن تسجيل ١٢٠ حالة شفاء جديدة في مدينة الرياض.";

    #[test]
    fn forms_of_the_same_text_share_a_signature() {
        let cfg = DedupConfig::default();
        let plain = signature(BODY, &cfg);
        let marked = signature(
            "أَعْلَنَتْ وزارةُ الصحـــة السعودية اليوم عن تسجيل 120 حالة شفاء جديدة في مدينة الرياض",
            &cfg,
        );
        let folded = signature(
            "اعلنت وزاره الصحه السعوديه اليوم عن تسجيل 120 حاله شفاء جديده في مدينه الرياض !",
            &cfg,
        );
        assert_eq!(plain, marked);
        assert_eq!(plain, folded);
        assert_eq!(plain.words, 14);
        assert_eq!(plain.shingles.len(), 10);
        assert_eq!(plain.minhash.len(), cfg.permutations());
        assert_eq!(plain.exact_hex().unwrap().len(), 32);
    }

    #[test]
    fn empty_and_short_bodies() {
        let cfg = DedupConfig::default();
        let empty = signature(" .، \n\n «» ", &cfg);
        assert_eq!(empty.exact, None);
        assert!(empty.minhash.is_empty());
        let short = signature("عاجل: انفجار في بيروت", &cfg);
        assert!(short.exact.is_some());
        assert!(short.shingles.is_empty(), "4 words make no 5-word shingle");
        assert!(short.minhash.is_empty());
    }

    #[test]
    fn shingle_hash_is_the_documented_one() {
        let words = ["وزارة", "الصحة", "السعودية", "اليوم", "عن"];
        let h: Vec<u64> = shingle_hashes(&words, 5, 7).collect();
        assert_eq!(
            h,
            [xxh3_64_with_seed(
                "وزارة الصحة السعودية اليوم عن".as_bytes(),
                7
            )]
        );
    }

    #[test]
    fn max_words_bounds_the_shingles_not_the_exact_hash() {
        let cfg = DedupConfig {
            max_words: 6,
            ..DedupConfig::default()
        };
        let a = signature(BODY, &cfg);
        let b = signature(&format!("{BODY} وأضافت الوزارة"), &cfg);
        assert_eq!(a.shingles.len(), 2);
        assert_eq!(a.shingles, b.shingles);
        assert_ne!(a.exact, b.exact);
    }

    #[test]
    fn minhash_estimates_jaccard() {
        // Two sets of 1000 with 600 in common: J = 600 / 1400.
        let perms = Permutations::new(1024, 1);
        let a: Vec<u32> = (0..1000u32)
            .map(|i| i.wrapping_mul(2_654_435_761))
            .collect();
        let b: Vec<u32> = (400..1400u32)
            .map(|i| i.wrapping_mul(2_654_435_761))
            .collect();
        let (ma, mb) = (minhash(&a, &perms), minhash(&b, &perms));
        let agree = ma.iter().zip(&mb).filter(|(x, y)| x == y).count() as f64 / 1024.0;
        assert!((agree - 600.0 / 1400.0).abs() < 0.06, "estimate {agree}");
    }

    #[test]
    fn short_bodies_are_one_truth_shingle() {
        let cfg = DedupConfig::default();
        let short = shingle_set64("عاجل: زلزال في تركيا", &cfg);
        assert_eq!(short.len(), 1);
        assert_eq!(short, shingle_set64("عاجل زلزال في تركيا!", &cfg));
        assert_ne!(short, shingle_set64("عاجل: زلزال في إيران", &cfg));
        assert!(shingle_set64("", &cfg).is_empty());
        assert_eq!(
            shingle_set64(BODY, &cfg).len(),
            signature(BODY, &cfg).shingles.len()
        );
    }
}
