//! Arabic full-text search over the archive, on tantivy.
//!
//! In: articles ([`IndexDoc`]) from the store; out: an index in
//! `<data dir>/search/` ([`INDEX_DIR`]) and, per [`SearchRequest`], BM25-ranked
//! [`SearchResults`] with plain-text snippets, highlight ranges, facets and,
//! on request, one hit per story.
//!
//! - [`analyzer`]: the Arabic analyzer built from `rasd-text`: matching
//!   key (harakat, tatweel, hamza forms folded, Arabic-Indic digits as
//!   ASCII), tokens that keep numbers whole, stop words out, proclitics
//!   stripped for the unstemmed field and Light10 for the stemmed one.
//! - [`schema`]: stored and indexed fields; title and body indexed twice.
//! - [`query`]: the user syntax (words, `"phrases"`, `-exclusions`) and
//!   filters (dates, source, language, entity) as one tantivy query.
//! - `snippet`, `facets`: excerpts and counts of the matches.
//! - [`SearchBackend`]: the engine as a trait, implemented by [`SearchIndex`];
//!   callers hold a `dyn SearchBackend` so another engine can replace it.
//!
//! Invariants: the index is derived: it can always be rebuilt from the
//! store. Surface forms that share a matching key and proclitic-stripped
//! form always match each other (`وللقوات` finds `القوات`). A malformed or
//! oversized query is a [`SearchError::Query`], never a panic.
//!
//! ```
//! use rasd_search::{IndexDoc, SearchIndex, SearchRequest};
//! let dir = tempfile::tempdir().unwrap();
//! let mut index = SearchIndex::open(dir.path(), true).unwrap();
//! index.upsert(&[IndexDoc {
//!     id: "a1".into(),
//!     title: Some("انسحاب القوات".into()),
//!     body: "أعلنت الحكومة انسحاب القوات الأمريكية من القاعدة.".into(),
//!     published: Some("2021-08-30".into()),
//!     ..IndexDoc::default()
//! }]).unwrap();
//! index.commit().unwrap();
//! let request = SearchRequest { query: "وللقوّات الامريكيه".into(), limit: 10, ..Default::default() };
//! let found = index.search(&request, &rasd_search::no_stories).unwrap();
//! assert_eq!(found.hits[0].id, "a1");
//! let (s, e) = found.hits[0].highlights[0];
//! assert_eq!(&found.hits[0].snippet[s..e], "القوات");
//! ```

pub mod analyzer;
mod backend;
mod facets;
mod index;
pub mod query;
pub mod schema;
mod snippet;

use std::path::PathBuf;

pub use backend::SearchBackend;
pub use index::{
    IndexOptions, SearchIndex, MAX_BODY_BYTES, MAX_LIMIT, MAX_OFFSET, TOTAL_COUNT_BOUND,
};
pub use schema::Analyzer;

/// The stories of article ids, one answer per id in order (`None`: in no
/// story). The caller reads its store: a page of hits is one call, so one
/// query, not one per hit.
pub type StoriesOf<'a> = dyn Fn(&[String]) -> Vec<Option<i64>> + 'a;

/// A [`StoriesOf`] for callers that have no stories.
pub fn no_stories(ids: &[String]) -> Vec<Option<i64>> {
    vec![None; ids.len()]
}

/// The index lives in `<data dir>/search/` beside the archive.
pub const INDEX_DIR: &str = "search";

/// One article to index.
#[derive(Debug, Clone, Default)]
pub struct IndexDoc {
    pub id: String,
    pub url: Option<String>,
    pub path: Option<String>,
    pub title: Option<String>,
    pub body: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub lang: Option<String>,
    pub entities: Vec<i64>,
}

/// A query with its filters and page.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub since: Option<String>,
    pub until: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
    pub entity: Option<i64>,
    pub limit: usize,
    pub offset: usize,
    pub collapse: bool,
    pub facets: bool,
    /// Leave `snippet` and `highlights` empty (skips reading and analyzing bodies).
    pub without_snippets: bool,
    /// Count every match; otherwise the count stops at
    /// [`TOTAL_COUNT_BOUND`] (see [`SearchResults::total_exact`]).
    pub exact_total: bool,
}

/// One page of results.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchResults {
    /// Matching articles; a lower bound when `total_exact` is false.
    pub total: u64,
    /// False when counting stopped at [`TOTAL_COUNT_BOUND`]: there are more.
    pub total_exact: bool,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
}

/// One matching article (or story, with `collapse`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub story: Option<i64>,
    pub score: f32,
    /// Plain text excerpt around the matches (NOT HTML).
    pub snippet: String,
    /// Byte ranges in `snippet` of the matched terms.
    pub highlights: Vec<(usize, usize)>,
    /// With `collapse`: other matching articles of the same story.
    pub also_in_story: u64,
}

/// Counts of matching articles by source, day and entity.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Facets {
    pub sources: Vec<FacetCount>,
    pub days: Vec<FacetCount>,
    pub entities: Vec<FacetCount>,
}

/// One facet value and its count.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FacetCount {
    pub key: String,
    pub count: u64,
}

/// Why a search or an index operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The user's query is malformed or too long (the API answers 400 with this message).
    #[error("bad query: {0}")]
    Query(String),
    #[error("search index {path}: {message}")]
    Index { path: PathBuf, message: String },
}
