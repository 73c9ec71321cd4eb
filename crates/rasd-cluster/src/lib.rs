//! Story and topic clustering for rasd: online TF-IDF event clustering,
//! pairwise similarity, threading over time.
//!
//! Input → output: articles (`{"id","title","body","published","source","lang"}`,
//! [`input::ArticleIn`]) in publication order, in batches of any size → one
//! [`Assignment`] each: a story (same event) and a topic (a thread of stories
//! over months). The design follows Miranda et al. (EMNLP 2018, "Multilingual
//! Clustering of Streaming News"): TF-IDF sub-vectors with online IDF
//! ([`vectorize`], words read in one pass by [`words`]), candidate stories from an inverted index over a bounded
//! pool of active stories, a learned ranker and acceptor ([`model`]),
//! near-identical stories merged (Santos et al. 2022), topics linked by word
//! and entity overlap ([`topics`]). [`pairs`] gives two articles a graded
//! similarity with its own model (word, lead, number and character n-gram
//! overlaps under a background IDF, fitted to graded judgments; time decay);
//! [`metrics`] has B-cubed and Pearson for evaluation. A story keeps to one
//! language: the article's `lang` (any ISO 639 form), else a detected one,
//! keyed by script when a headline is too short to tell.
//!
//! Invariants: the library does no I/O and reads no clock (`now` is passed
//! in); every size is bounded (field bytes, centroid terms, posting lists,
//! candidates, active pools), so cost per article stays flat; bad input
//! (junk text, no dates, future dates) is clustered, flagged, never a panic.
//!
//! ```
//! use rasd_cluster::{input::ArticleIn, StoryClusterer};
//! let article = |title: &str, date: &str| ArticleIn {
//!     title: Some(title.into()),
//!     published: Some(date.into()),
//!     ..ArticleIn::default()
//! };
//! let mut clusterer = StoryClusterer::default();
//! let a = clusterer.add(&article("خادم الحرمين الشريفين يصل إلى المملكة المغربية", "2015-08-01"), None);
//! let b = clusterer.add(&article("خادم الحرمين يصل إلى المغرب في إجازة خاصة", "2015-08-01"), None);
//! let c = clusterer.add(&article("أرسنال يهزم تشيلسي ويتوج بالدرع الخيرية", "2015-08-02"), None);
//! assert_eq!(clusterer.resolve(a.story), clusterer.resolve(b.story));
//! assert_ne!(a.story, c.story);
//! ```

pub mod input;
pub mod metrics;
pub mod model;
pub mod pairs;
pub mod sparse;
pub mod stories;
pub mod summary;
pub mod time;
pub mod topics;
pub mod vectorize;
pub mod words;

pub use stories::{Assignment, ClusterConfig, StoryClusterer};
