//! Exact and near-duplicate detection for rasd: matching-key hashes,
//! MinHash and LSH with exact Jaccard verification.
//!
//! Input → output: article bodies (with their publication dates) →
//! duplicate groups, each with a canonical article. Copies are grouped, never
//! dropped: syndication (who republished whom, when) is information.
//!
//! - [`signature`]: body → [`Signature`] (exact xxh3-128 hash of the
//!   matching key's words, sorted 32-bit hashes of its word 5-gram shingles,
//!   MinHash sketch). The hashes are documented bit for bit in
//!   [`signature`](mod@signature) and [`lsh`].
//! - [`band_keys`]: the LSH band keys of a signature: the candidate keys.
//! - [`group`] / [`group_signed`]: a batch of articles → one
//!   [`GroupAssignment`] per article (connected components of verified pairs).
//! - [`DedupIndex`]: the same decisions one article at a time, for ingest.
//! - [`all_pairs::similar_pairs`]: an exact similarity join, the ground truth
//!   of `rasd eval dedup`.
//!
//! Invariants: a pair is a near-duplicate only if the **exact** Jaccard
//! similarity of its shingle sets reaches the threshold, so precision never
//! rests on the sketch; the sketch only proposes candidates. Bodies with the
//! same words are always grouped; bodies without words never are. Bodies
//! with fewer than `min_shingles` shingles (fewer than 5 words by default)
//! are matched exactly only. The result depends on neither input order nor
//! thread count.
//!
//! Measured on SaudiNewsNet (31,030 articles; `rasd eval dedup
//! ../shared/data/saudinewsnet.jsonl.gz`): 4,079 pairs with J ≥ 0.8, pair
//! precision 1.0000, recall 1.0000. (An earlier ground truth gave bodies of
//! fewer than 5 words an empty shingle set, so their 18 exact-copy pairs
//! scored as false: precision 0.9956; no false pair came from chaining.)
//!
//! ```
//! use rasd_dedup::{group, DedupConfig, DedupInput, Relation};
//! let body = "أعلنت وزارة التعليم اليوم عن موعد بدء العام الدراسي الجديد في جميع مناطق المملكة، \
//!             وقالت إن الطلاب سيعودون إلى المدارس في الثالث والعشرين من أغسطس المقبل.";
//! let copy = format!("{body} (واس)");
//! let articles = [
//!     DedupInput { body: &copy, published: Some("2015-08-02") },
//!     DedupInput { body, published: Some("2015-08-01") },
//!     DedupInput { body: "خبر آخر لا علاقة له بالتعليم ولا بالمدارس", published: None },
//! ];
//! let groups = group(&articles, &DedupConfig::default());
//! assert_eq!(groups[0].canonical, 1); // the earlier copy is canonical
//! assert_eq!(groups[0].relation, Relation::Near);
//! assert_eq!(groups[2].size, 1);
//! ```

pub mod all_pairs;
pub mod components;
pub mod config;
pub mod group;
pub mod index;
pub mod lsh;
pub mod score;
pub mod signature;
pub mod similarity;

pub use config::{ConfigError, DedupConfig};
pub use group::{group, group_signed, DedupInput, GroupAssignment, Relation, Signed};
pub use index::{DedupIndex, Match};
pub use lsh::band_keys;
pub use signature::{signature, Signature};
