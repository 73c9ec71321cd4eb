//! Stories and topics in the archive: the clusterer's assignments in
//! (written by ingest), story and topic views out (`rasd stories`, the API).
//!
//! CONTRACT (lead, session 2): the types and method signatures below are what
//! the binary and the server build against; the bodies are being written.

use crate::archive::Archive;
use crate::error::StoreError;
use serde::Serialize;

/// Which stories to list. Dates compare on the `YYYY-MM-DD` day.
#[derive(Debug, Clone, Default)]
pub struct StoryQuery {
    /// Stories whose last article is on or after this day.
    pub since: Option<String>,
    /// Stories whose first article is on or before this day.
    pub until: Option<String>,
    /// Only stories with an article from this outlet.
    pub source: Option<String>,
    /// Only stories with at least this many articles.
    pub min_size: u64,
    /// Only stories of this topic.
    pub topic: Option<i64>,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// An article as a story lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryArticle {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
}

/// One outlet's coverage of a story: who broke it, who followed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outlet {
    pub source: String,
    pub first_published: Option<String>,
    pub articles: u64,
}

/// A story: `rasd stories --format json` prints one per line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    pub id: i64,
    pub topic: Option<i64>,
    pub headline: Option<String>,
    /// The extractive summary, sentences joined by a space.
    pub summary: String,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    pub size: u64,
    /// Outlets by first publication time (earliest first).
    pub sources: Vec<Outlet>,
    /// Members, by publication time.
    pub articles: Vec<StoryArticle>,
}

/// A topic as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topic {
    pub id: i64,
    pub label: Option<String>,
    pub stories: u64,
    pub articles: u64,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
}

/// One entry of a topic's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    pub story: i64,
    /// The story's first publication day (`YYYY-MM-DD`), when dated.
    pub date: Option<String>,
    pub headline: Option<String>,
    pub size: u64,
    pub sources: Vec<String>,
}

/// A topic with its timeline of stories by date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicDetail {
    #[serde(flatten)]
    pub topic: Topic,
    pub timeline: Vec<TimelineEntry>,
}

/// Which topics to list.
#[derive(Debug, Clone, Default)]
pub struct TopicQuery {
    /// Only topics with at least this many stories.
    pub min_stories: u64,
    pub limit: Option<u64>,
    pub offset: u64,
}

impl Archive {
    /// Stories matching `query`, most recently active first.
    pub fn stories(&self, query: &StoryQuery) -> Result<Vec<Story>, StoreError> {
        let _ = query;
        todo!("stories helper")
    }

    /// One story by id (a merged story's id resolves to the story it joined).
    pub fn story(&self, id: i64) -> Result<Option<Story>, StoreError> {
        let _ = id;
        todo!("stories helper")
    }

    /// The story an article belongs to (after merges), by article id.
    pub fn story_of(&self, article_id: &str) -> Result<Option<i64>, StoreError> {
        let _ = article_id;
        todo!("stories helper")
    }

    /// Topics matching `query`, most recently active first.
    pub fn topics(&self, query: &TopicQuery) -> Result<Vec<Topic>, StoreError> {
        let _ = query;
        todo!("stories helper")
    }

    /// One topic with its timeline.
    pub fn topic(&self, id: i64) -> Result<Option<TopicDetail>, StoreError> {
        let _ = id;
        todo!("stories helper")
    }
}
