//! Facts in the archive: entities with aliases, mentions, quotes and figures
//! in (written by ingest from `rasd-facts`), entity, quote and per-story
//! figure views out (`rasd entities`, `rasd quotes`, the API).
//!
//! CONTRACT (lead, session 2): the types and method signatures below are what
//! the binary and the server build against; the bodies are being written.

use crate::archive::Archive;
use crate::error::StoreError;
use serde::Serialize;

/// Which entities to list.
#[derive(Debug, Clone, Default)]
pub struct EntityQuery {
    /// Only this type: `PERS`, `LOC`, `ORG` or `MISC`.
    pub kind: Option<String>,
    /// Only entities with an alias whose matching key contains this text's key.
    pub name: Option<String>,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// A canonical entity as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    pub id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub aliases: Vec<String>,
    pub mentions: u64,
    pub articles: u64,
    pub stories: u64,
}

/// A story an entity appears in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityStory {
    pub id: i64,
    pub headline: Option<String>,
    pub first_published: Option<String>,
    pub size: u64,
    /// Mentions of the entity in the story.
    pub mentions: u64,
}

/// An entity with its stories and quotes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityDetail {
    #[serde(flatten)]
    pub entity: Entity,
    pub stories: Vec<EntityStory>,
    /// Quotes it is the speaker of, newest first (at most 100).
    pub quotes: Vec<Quote>,
}

/// Which quotes to list.
#[derive(Debug, Clone, Default)]
pub struct QuoteQuery {
    /// An entity id, or text matched against speaker names (matching key).
    pub speaker: Option<String>,
    pub story: Option<i64>,
    pub article: Option<String>,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// A quote with where it appeared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub article: String,
    pub story: Option<i64>,
    pub source: Option<String>,
    pub published: Option<String>,
    /// The speaker phrase as written.
    pub speaker: String,
    pub speaker_entity: Option<i64>,
    /// The speaker entity's canonical name.
    pub speaker_name: Option<String>,
    pub text: String,
}

/// An entity mention in one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionRow {
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub entity: i64,
    /// The entity's canonical name.
    pub name: String,
}

/// A figure as found in one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureRow {
    pub value: f64,
    pub unit: Option<String>,
    pub text: String,
}

/// The facts of one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleFactsRow {
    pub entities: Vec<MentionRow>,
    pub quotes: Vec<Quote>,
    pub figures: Vec<FigureRow>,
}

/// One outlet's values for a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutletFigures {
    pub source: String,
    pub values: Vec<f64>,
    pub texts: Vec<String>,
}

/// A figure across a story's outlets (same unit): where they agree or differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureAcrossOutlets {
    pub unit: Option<String>,
    pub by_outlet: Vec<OutletFigures>,
    /// All outlets that report it give the same value.
    pub agree: bool,
}

/// An entity's weight in one story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityCount {
    pub id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub mentions: u64,
}

/// The facts of a story, across its articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryFacts {
    /// Most mentioned first.
    pub entities: Vec<EntityCount>,
    pub quotes: Vec<Quote>,
    pub figures: Vec<FigureAcrossOutlets>,
}

impl Archive {
    /// Entities matching `query`, most mentioned first.
    pub fn entities(&self, query: &EntityQuery) -> Result<Vec<Entity>, StoreError> {
        let _ = query;
        todo!("facts helper")
    }

    /// One entity with its stories and quotes.
    pub fn entity(&self, id: i64) -> Result<Option<EntityDetail>, StoreError> {
        let _ = id;
        todo!("facts helper")
    }

    /// Quotes matching `query`, newest first.
    pub fn quotes(&self, query: &QuoteQuery) -> Result<Vec<Quote>, StoreError> {
        let _ = query;
        todo!("facts helper")
    }

    /// The facts of one article (None when the article is unknown).
    pub fn article_facts(&self, article_id: &str) -> Result<Option<ArticleFactsRow>, StoreError> {
        let _ = article_id;
        todo!("facts helper")
    }

    /// The facts of one story across its articles (None when the story is unknown).
    pub fn story_facts(&self, story: i64) -> Result<Option<StoryFacts>, StoreError> {
        let _ = story;
        todo!("facts helper")
    }

    /// The entity ids mentioned in an article (for the search index's entity filter).
    pub fn entity_ids_of(&self, article_id: &str) -> Result<Vec<i64>, StoreError> {
        let _ = article_id;
        todo!("facts helper")
    }
}
