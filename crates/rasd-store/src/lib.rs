//! The embedded rasd archive: an SQLite store of pages, articles (with
//! versions), dedup signatures, LSH bands and duplicate groups; later stages
//! add stories and facts through [`schema`] migrations.
//!
//! Input → output: [`IngestItem`]s (an [`rasd_model::Article`] and the page it
//! came from) go in through [`Archive::ingest_batch`], one transaction per
//! batch (or in two steps, [`Archive::prepare_batch`] on any connection,
//! then [`Archive::commit_batch`] on the writer, so the fingerprints of the
//! next batch are computed while this one is written); [`Archive::articles`], [`Archive::article`], [`Archive::stats`] and
//! [`Archive::for_each_article`] read them back.
//!
//! Invariants:
//! - ingest is idempotent: an article whose [`ArticleKey`] id is stored is
//!   `Unchanged`, and nothing is written for it;
//! - a batch is all or nothing (WAL, `synchronous=FULL`): a killed process
//!   leaves every earlier batch intact and none of the current one;
//! - every live article is in exactly one duplicate group whose id is its
//!   canonical member's id: the earliest `published` (undated last), ties by id;
//! - derived tables (signatures, LSH bands, duplicate groups) can be rebuilt
//!   from the stored articles with [`Archive::reindex`];
//! - an archive from a newer schema is refused untouched ([`StoreError::NewerSchema`]).
//!
//! The archive lives in `DIR/archive.db` (SQLite, the default) or, with
//! [`OpenOptions::postgres`], in a PostgreSQL database several processes
//! share: the same SQL, schema and migrations run on both (the `db` module
//! translates the few dialect differences), and every view answers alike.
//!
//! Duplicate detection itself is not here: a [`DuplicateDetector`] (the
//! binary wires `rasd-dedup`) computes fingerprints and verifies candidates
//! the store finds through its LSH bands.
//!
//! ```
//! use rasd_store::{Archive, OpenOptions, IngestItem, ExactOnly};
//! use rasd_model::Article;
//! let dir = tempfile::tempdir().unwrap();
//! let mut archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
//! let article = Article {
//!     url: Some("https://www.spa.gov.sa/1".into()),
//!     title: Some("خادم الحرمين يستقبل ولي العهد".into()),
//!     body: "استقبل خادم الحرمين الشريفين في الرياض اليوم ولي العهد.".into(),
//!     published: Some("2015-07-21".into()),
//!     ..Article::default()
//! };
//! let outcomes = archive
//!     .ingest_batch(vec![IngestItem::from_article(article.clone(), 0)], 0, &ExactOnly)
//!     .unwrap();
//! assert!(outcomes[0].is_stored());
//! let again = archive
//!     .ingest_batch(vec![IngestItem::from_article(article, 0)], 0, &ExactOnly)
//!     .unwrap();
//! assert!(!again[0].is_stored(), "re-ingesting adds nothing");
//! assert_eq!(archive.stats().unwrap().articles, 1);
//! assert_eq!(archive.article_count().unwrap(), 1);
//! ```

mod archive;
pub mod bulk;
mod db;
mod error;
mod facts;
mod identity;
mod ingest;
mod query;
pub mod schema;
mod shared;
mod stories;

pub use archive::{Archive, OpenOptions, ARCHIVE_FILE};
pub use error::StoreError;
pub use facts::{
    ArticleFactsRow, Entity, EntityCount, EntityDetail, EntityQuery, EntityStory,
    FigureAcrossOutlets, FigureRow, MentionRow, OutletFigures, Quote, QuoteQuery, StoryFacts,
};
pub use facts::{
    FactsBatch, FactsInput, FigureWrite, MentionWrite, NewAliasRow, NewEntity, QuoteWrite,
    RenamedEntity, StoredEntity, StoredFactsVersion,
};
pub use identity::{
    article_content_hash, article_id, body_key_hash, bytes_hash, page_key, ArticleKey,
};
pub use ingest::{
    DuplicateDetector, DuplicateMatch, ExactOnly, Fingerprint, IngestItem, IngestOutcome,
    MinHashDetector, PageInfo, PreparedBatch, ReindexSummary, Stored,
};
pub use query::{
    ArticleDetail, ArticleQuery, Count, DuplicateGroup, GroupMember, Stats, StoredArticle,
    VersionInfo,
};
pub use shared::ClustererLock;
pub use stories::{
    Membership, Outlet, RestoredMember, Story, StoryArticle, StoryBatch, StoryBatchCounts,
    StoryDigest, StoryInput, StoryMerge, StoryQuery, TimelineEntry, Topic, TopicDetail, TopicQuery,
    DIGEST_MEMBERS,
};

/// Test-only inspection of the database.
#[cfg(test)]
pub(crate) trait ArchiveTestExt {
    fn foreign_key_violations(&self) -> usize;
}

#[cfg(test)]
impl ArchiveTestExt for Archive {
    fn foreign_key_violations(&self) -> usize {
        let conn = self.db.sqlite_conn().expect("an SQLite archive");
        let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
        stmt.query_map([], |_| Ok(())).unwrap().count()
    }
}
