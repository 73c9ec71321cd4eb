//! Facts for rasd: Arabic named-entity recognition, entity linking, quotes
//! with speakers, figures.
//!
//! Input → output: tokens (or plain article text) → BIO tags and entity
//! mentions of four types (PERS, LOC, ORG, MISC), as ANERcorp defines them;
//! articles → entities linked across articles, quotes, figures.
//!
//! - [`tags`]: BIO tags, entity spans, repair to valid BIO.
//! - [`conll`]: CoNLL reading and writing.
//! - [`gazetteer`]: hashed name sets (the model ships hashes, not names).
//! - [`clusters`]: hashed word clusters learned from unlabeled news.
//! - [`lexicon`]: what the training data says about words and names.
//! - [`features`]: hashed features of a sentence.
//! - [`model`]: the tagger (averaged perceptron weights + Viterbi over
//!   valid BIO), its file format and the model embedded in the crate.
//! - [`link`]: mentions grouped into canonical entities with aliases.
//! - [`quotes`]: quotes with their speakers.
//! - [`figures`]: numbers with what they count.
//! - [`article`]: all of the above for one article.
//! - [`train`]: the averaged structured perceptron that makes a model.
//! - [`recognize`]: mentions with byte offsets in plain text.
//! - [`score`]: conlleval-style entity-level precision, recall and F1.
//!
//! Invariants: tagging never fails and never panics; its output has one
//! tag per token and is always valid BIO. Everything is pure: no I/O,
//! clock or mutable globals (the embedded model is decoded once, lazily).
//!
//! ```
//! use rasd_facts::{Model, tags::spans};
//! let tokens: Vec<String> = "وصل الرئيس الأمريكي جو بايدن إلى بغداد"
//!     .split(' ').map(String::from).collect();
//! let tags = Model::embedded().tag(&tokens);
//! assert_eq!(tags.len(), tokens.len());
//! assert!(!spans(&tags).is_empty());
//! ```

pub mod article;
pub mod clusters;
pub mod conll;
pub mod features;
pub mod figures;
pub mod gazetteer;
pub mod lexicon;
pub mod link;
pub mod model;
pub mod quotes;
pub mod recognize;
mod scan;
pub mod score;
pub mod tags;
pub mod train;

pub use model::Model;
pub use recognize::{mentions, Mention};
pub use tags::{EntityType, Span, Tag};

/// The version of the rules around the tagger: mention spans, linking,
/// quotes, figures. Bump it with any change to them that changes what
/// [`article::find_facts`] or [`article::link_facts`] output (the test
/// `tests/facts_version.rs` notices such changes on its fixture), so
/// archives know their stored facts are stale.
pub const RULES_VERSION: u32 = 10;

/// Names the code and data that compute facts: [`RULES_VERSION`] in the
/// high 32 bits, a hash of the embedded model's bytes in the low 32 (a
/// retrained model changes it by itself). Archives store it with their
/// facts; another value means the facts were computed by another rasd.
pub fn facts_version() -> i64 {
    let model = xxhash_rust::xxh3::xxh3_64(model::EMBEDDED_BYTES) & 0xFFFF_FFFF;
    ((u64::from(RULES_VERSION) << 32) | model) as i64
}

/// A [`facts_version`] as people read it: `RULES.MODELHASH`.
pub fn facts_version_label(version: i64) -> String {
    let bits = version as u64;
    format!("{}.{:08x}", bits >> 32, bits & 0xFFFF_FFFF)
}

/// Errors of this crate; each names what was being read.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    /// Malformed CoNLL input.
    #[error("CoNLL line {line}: {message}")]
    Conll { line: usize, message: String },
    /// A model file that does not decode.
    #[error("NER model: {0}")]
    Model(String),
}
