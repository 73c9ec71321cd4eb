//! Stories and topics in the archive: the clusterer's assignments in
//! (written by ingest), story and topic views out (`rasd stories`, the API).
//!
//! The views ([`Archive::stories`], [`Archive::story`], [`Archive::topics`],
//! [`Archive::topic`]) read precomputed rows: a story's size, dates, headline
//! and summary are kept in `stories` by [`Archive::apply_story_batch`], so a
//! page of stories reads only its own members. The clustering itself is the
//! caller's (the binary wires `rasd-cluster`); this module only stores it.

use crate::archive::Archive;
use crate::db::{params, Db, DbResult, Param, Row, ToParam, Value, VisitError};
use crate::error::StoreError;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

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

/// A stored article as the story stage reads it (the clusterer's input).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryInput {
    /// The article's storage sequence number.
    pub seq: i64,
    pub id: String,
    pub title: Option<String>,
    pub body: String,
    pub published: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
    /// Its duplicate group (the canonical article's id).
    pub group: Option<String>,
}

/// A stored member of a still active story, for restoring the clusterer.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoredMember {
    pub article: StoryInput,
    pub story: i64,
    pub topic: i64,
}

/// Where the clusterer placed one article of a batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Membership {
    /// The article's storage sequence number ([`StoryInput::seq`]).
    pub article: i64,
    /// Its story, after merges.
    pub story: i64,
    /// The story's topic.
    pub topic: i64,
    pub confidence: f32,
    pub dateless: bool,
}

/// A batch of the clusterer's decisions to write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryBatch {
    pub members: Vec<Membership>,
    /// `(gone, into)`: story `gone` was merged into story `into` (of topic `topic`).
    pub merges: Vec<StoryMerge>,
}

/// One merge of two stories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryMerge {
    pub gone: i64,
    pub into: i64,
    pub topic: i64,
}

/// A story's headline and summary sentences, as a summarizer returns them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryDigest {
    pub headline: Option<String>,
    pub sentences: Vec<String>,
}

/// What [`Archive::apply_story_batch`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StoryBatchCounts {
    pub members: u64,
    pub stories_created: u64,
    pub stories_updated: u64,
    pub merged: u64,
    pub topics_updated: u64,
}

/// Members read per story to summarize it, at most (the earliest).
pub const DIGEST_MEMBERS: usize = 50;
/// Merge chains followed at most when resolving a story id.
const MAX_MERGE_HOPS: usize = 64;

const STORY_COLUMNS: &str =
    "s.id, s.topic, s.headline, s.summary, s.first_published, s.last_published, s.size";

const INPUT_COLUMNS: &str =
    "a.seq, a.id, a.title, a.body, a.published, a.source, a.lang, d.group_id";

fn input_from_row(r: &Row) -> DbResult<StoryInput> {
    Ok(StoryInput {
        seq: r.get(0)?,
        id: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
        published: r.get(4)?,
        source: r.get(5)?,
        lang: r.get(6)?,
        group: r.get(7)?,
    })
}

/// A story row before its members are read.
struct StoryRow {
    id: i64,
    topic: Option<i64>,
    headline: Option<String>,
    summary: Option<String>,
    first_published: Option<String>,
    last_published: Option<String>,
    size: u64,
}

fn story_row(r: &Row) -> DbResult<StoryRow> {
    Ok(StoryRow {
        id: r.get(0)?,
        topic: r.get(1)?,
        headline: r.get(2)?,
        summary: r.get(3)?,
        first_published: r.get(4)?,
        last_published: r.get(5)?,
        size: r.get::<i64>(6)?.max(0) as u64,
    })
}

const TOPIC_COLUMNS: &str = "id, label, stories, articles, first_published, last_published";

fn topic_row(r: &Row) -> DbResult<Topic> {
    Ok(Topic {
        id: r.get(0)?,
        label: r.get(1)?,
        stories: r.get::<i64>(2)?.max(0) as u64,
        articles: r.get::<i64>(3)?.max(0) as u64,
        first_published: r.get(4)?,
        last_published: r.get(5)?,
    })
}

/// A `LIMIT` value: none means all.
fn limit_value(limit: Option<u64>) -> i64 {
    limit.map_or(i64::MAX, |l| l.min(i64::MAX as u64) as i64)
}

/// Outlets of a story's members (in publication order): each outlet once,
/// earliest first publication first (undated last).
fn outlets(articles: &[StoryArticle]) -> Vec<Outlet> {
    let mut out: Vec<Outlet> = Vec::new();
    for a in articles {
        let source = a.source.clone().unwrap_or_default();
        match out.iter_mut().find(|o| o.source == source) {
            Some(o) => {
                o.articles += 1;
                if o.first_published.is_none() {
                    o.first_published.clone_from(&a.published);
                }
            }
            None => out.push(Outlet {
                source,
                first_published: a.published.clone(),
                articles: 1,
            }),
        }
    }
    out.sort_by(|a, b| {
        (a.first_published.is_none(), &a.first_published)
            .cmp(&(b.first_published.is_none(), &b.first_published))
    });
    out
}

/// `stamp` (`YYYY-MM-DD[THH:MM[:SS]]…`) minus `days`, as SQLite's
/// `datetime(julianday(substr(stamp, 1, 19)) - days)` writes it
/// (`YYYY-MM-DD HH:MM:SS`); `None` when the stamp does not parse. Computed
/// here rather than in SQL so both backends restore the same window.
fn days_before(stamp: &str, days: f64) -> Option<String> {
    let stamp = stamp.get(..stamp.len().min(19)).unwrap_or(stamp);
    let field = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = stamp.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
    if stamp.get(4..5) != Some("-") || stamp.get(7..8) != Some("-") {
        return None;
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    if stamp.len() > 10 {
        if !matches!(stamp.get(10..11), Some("T" | " ")) || stamp.get(13..14) != Some(":") {
            return None;
        }
        hour = field(11..13)?;
        minute = field(14..16)?;
        if stamp.len() > 16 {
            if stamp.get(16..17) != Some(":") {
                return None;
            }
            second = field(17..19)?;
        }
        if hour > 24 || minute > 59 || second > 59 {
            return None;
        }
    }
    // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let epoch_days = era * 146_097 + doe - 719_468;
    let ms = (epoch_days * 86_400 + hour * 3600 + minute * 60 + second) * 1000
        - (days * 86_400_000.0).round() as i64;
    let secs = ms.div_euclid(1000);
    let (days_since, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // And back (the inverse algorithm).
    let z = days_since + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

fn summary_text(json: Option<&str>) -> String {
    json.and_then(|j| serde_json::from_str::<Vec<String>>(j).ok())
        .unwrap_or_default()
        .join(" ")
}

impl Archive {
    /// Stories matching `query`, most recently active first.
    pub fn stories(&self, query: &StoryQuery) -> Result<Vec<Story>, StoreError> {
        let mut sql = format!(
            "SELECT {STORY_COLUMNS} FROM stories s WHERE s.merged_into IS NULL AND s.size >= ?"
        );
        let mut values: Vec<Value> =
            vec![Value::Int(query.min_size.clamp(1, i64::MAX as u64) as i64)];
        if let Some(since) = &query.since {
            // ISO strings compare as dates; a later time on that day sorts after it.
            sql.push_str(" AND s.last_published >= ?");
            values.push(Value::Text(since.clone()));
        }
        if let Some(until) = &query.until {
            // `~` sorts after any time part, so the whole day is in.
            sql.push_str(" AND s.first_published <= ?");
            values.push(Value::Text(format!("{until}~")));
        }
        if let Some(topic) = query.topic {
            sql.push_str(" AND s.topic = ?");
            values.push(Value::Int(topic));
        }
        if let Some(source) = &query.source {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM story_members m JOIN articles a ON a.seq = m.article
                   WHERE m.story = s.id AND a.source = ?)",
            );
            values.push(Value::Text(source.clone()));
        }
        sql.push_str(
            // SQLite sorts NULL lowest, so undated stories come last in DESC order; written
            // without `IS NULL`, the order walks the `stories_last` index and stops at LIMIT
            // instead of sorting every story (49 ms → 0.7 ms on 12,577 stories).
            " ORDER BY s.last_published DESC, s.id DESC LIMIT ? OFFSET ?",
        );
        values.push(Value::Int(limit_value(query.limit)));
        values.push(Value::Int(query.offset.min(i64::MAX as u64) as i64));
        let values: Vec<&dyn ToParam> = values.iter().map(|v| v as &dyn ToParam).collect();
        let rows = self
            .db
            .query_map(&sql, &values, story_row)
            .map_err(|e| self.db_error(e))?;
        self.complete_stories(rows)
    }

    /// One story by id (a merged story's id resolves to the story it joined).
    pub fn story(&self, id: i64) -> Result<Option<Story>, StoreError> {
        let Some(id) = self.resolve_story(id)? else {
            return Ok(None);
        };
        let row = self
            .db
            .query_opt(
                &format!("SELECT {STORY_COLUMNS} FROM stories s WHERE s.id = ?1"),
                params![id],
                story_row,
            )
            .map_err(|e| self.db_error(e))?;
        row.map(|row| self.complete_story(row)).transpose()
    }

    /// The story an article belongs to (after merges), by article id.
    pub fn story_of(&self, article_id: &str) -> Result<Option<i64>, StoreError> {
        let ids = [article_id.to_owned()];
        Ok(self.stories_of(&ids)?.pop().flatten())
    }

    /// The stories of `article_ids`, one per id in order (`None`: unknown
    /// article or in no story), merged stories followed to the survivor:
    /// a page of search hits in one query.
    pub fn stories_of(&self, article_ids: &[String]) -> Result<Vec<Option<i64>>, StoreError> {
        let ids: Vec<Param<'_>> = article_ids.iter().map(|id| Param::Text(id)).collect();
        let found = self
            .db
            .query_list(
                "SELECT a.id, m.story, s.merged_into
                 FROM articles a JOIN story_members m ON m.article = a.seq
                 JOIN stories s ON s.id = m.story
                 WHERE a.id IN ({list})",
                &ids,
                |r| {
                    Ok((
                        r.get::<String>(0)?,
                        r.get::<i64>(1)?,
                        r.get::<Option<i64>>(2)?,
                    ))
                },
            )
            .map_err(|e| self.db_error(e))?;
        let mut story_of: HashMap<String, Option<i64>> = HashMap::with_capacity(found.len());
        for (id, story, merged_into) in found {
            let story = match merged_into {
                None => Some(story),
                Some(_) => self.resolve_story(story)?,
            };
            story_of.insert(id, story);
        }
        Ok(article_ids
            .iter()
            .map(|id| story_of.get(id).copied().flatten())
            .collect())
    }

    /// [`Archive::stories_of`] for search pages, where a store error
    /// leaves the hits without stories rather than failing the search.
    pub fn stories_of_or_none(&self, article_ids: &[String]) -> Vec<Option<i64>> {
        self.stories_of(article_ids).unwrap_or_else(|err| {
            tracing::warn!("reading the stories of search hits: {err}");
            vec![None; article_ids.len()]
        })
    }

    /// Topics matching `query`, most recently active first.
    pub fn topics(&self, query: &TopicQuery) -> Result<Vec<Topic>, StoreError> {
        let sql = format!(
            "SELECT {TOPIC_COLUMNS} FROM topics WHERE stories >= ?1
             ORDER BY last_published DESC, id DESC LIMIT ?2 OFFSET ?3"
        );
        self.db
            .query_map(
                &sql,
                params![
                    query.min_stories.clamp(1, i64::MAX as u64) as i64,
                    limit_value(query.limit),
                    query.offset.min(i64::MAX as u64) as i64
                ],
                topic_row,
            )
            .map_err(|e| self.db_error(e))
    }

    /// One topic with its timeline.
    pub fn topic(&self, id: i64) -> Result<Option<TopicDetail>, StoreError> {
        let topic = self
            .db
            .query_opt(
                &format!("SELECT {TOPIC_COLUMNS} FROM topics WHERE id = ?1"),
                params![id],
                topic_row,
            )
            .map_err(|e| self.db_error(e))?;
        let Some(topic) = topic else { return Ok(None) };
        let stories = self
            .db
            .query_map(
                "SELECT id, first_published, headline, size FROM stories
                 WHERE topic = ?1 AND merged_into IS NULL AND size > 0
                 ORDER BY first_published IS NULL, first_published, id",
                params![id],
                |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        r.get::<Option<String>>(1)?,
                        r.get::<Option<String>>(2)?,
                        r.get::<i64>(3)?,
                    ))
                },
            )
            .map_err(|e| self.db_error(e))?;
        let mut timeline = Vec::with_capacity(stories.len());
        for (story, first, headline, size) in stories {
            let sources = self
                .db
                .query_map(
                    "SELECT a.source FROM story_members m
                     JOIN articles a ON a.seq = m.article
                     WHERE m.story = ?1 AND a.source IS NOT NULL
                     GROUP BY a.source
                     ORDER BY min(a.published) IS NULL, min(a.published), a.source",
                    params![story],
                    |r| r.get::<String>(0),
                )
                .map_err(|e| self.db_error(e))?;
            timeline.push(TimelineEntry {
                story,
                date: first
                    .as_deref()
                    .and_then(|f| f.get(..10))
                    .map(str::to_string),
                headline,
                size: size.max(0) as u64,
                sources,
            });
        }
        Ok(Some(TopicDetail { topic, timeline }))
    }

    /// The stored current articles with these ids, in the order given
    /// (unknown ids are skipped): the story stage's input for a batch.
    pub fn story_inputs(&self, ids: &[String]) -> Result<Vec<StoryInput>, StoreError> {
        let sql = format!(
            "SELECT {INPUT_COLUMNS} FROM articles a LEFT JOIN duplicates d ON d.article = a.seq
             WHERE a.id = ?1 AND a.superseded = 0"
        );
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(input) = self
                .db
                .query_opt(&sql, params![id], input_from_row)
                .map_err(|e| self.db_error(e))?
            {
                out.push(input);
            }
        }
        Ok(out)
    }

    /// Calls `visit` on every current article in publication order (undated
    /// last): what a rebuild of the stories replays.
    pub fn for_each_story_input<E: From<StoreError>>(
        &self,
        mut visit: impl FnMut(StoryInput) -> Result<(), E>,
    ) -> Result<(), E> {
        let walked = self.db.for_each(
            &format!(
                "SELECT {INPUT_COLUMNS} FROM articles a LEFT JOIN duplicates d ON d.article = a.seq
                 WHERE a.superseded = 0 ORDER BY a.published IS NULL, a.published, a.seq"
            ),
            params![],
            |row| visit(input_from_row(&row)?).map_err(VisitError::Visit),
        );
        match walked {
            Ok(()) => Ok(()),
            Err(VisitError::Db(e)) => Err(self.db_error(e).into()),
            Err(VisitError::Visit(e)) => Err(e),
        }
    }

    /// The members of the stories still active `window_days` before the
    /// archive's latest story activity, at most `max_articles` (the latest),
    /// in publication order: what a new ingest run replays into the clusterer.
    pub fn story_restore_set(
        &self,
        window_days: f64,
        max_articles: usize,
    ) -> Result<Vec<RestoredMember>, StoreError> {
        let latest: Option<String> = self
            .db
            .query_row(
                "SELECT max(last_published) FROM stories WHERE merged_into IS NULL",
                params![],
                |r| r.get(0),
            )
            .map_err(|e| self.db_error(e))?;
        let Some(latest) = latest else {
            return Ok(Vec::new());
        };
        let window = if window_days.is_finite() {
            window_days.clamp(0.0, 36_500.0)
        } else {
            0.0
        };
        let since = days_before(&latest, window);
        let since = since.unwrap_or_else(|| latest.get(..10).unwrap_or(&latest).to_string());
        let mut members = self
            .db
            .query_map(
                &format!(
                    "SELECT {INPUT_COLUMNS}, m.story, s.topic FROM stories s
                     JOIN story_members m ON m.story = s.id
                     JOIN articles a ON a.seq = m.article
                     LEFT JOIN duplicates d ON d.article = a.seq
                     WHERE s.merged_into IS NULL AND s.last_published >= ?1 AND a.superseded = 0
                     ORDER BY a.published IS NULL, a.published DESC, a.seq DESC LIMIT ?2"
                ),
                params![since, max_articles.min(i64::MAX as usize) as i64],
                |r| {
                    Ok(RestoredMember {
                        article: input_from_row(r)?,
                        story: r.get(8)?,
                        topic: r.get::<Option<i64>>(9)?.unwrap_or(0),
                    })
                },
            )
            .map_err(|e| self.db_error(e))?;
        members.reverse();
        Ok(members)
    }

    /// The story (and its topic) of an already placed member of the
    /// duplicate group `group`, if any: a new copy goes there by construction.
    pub fn group_story(&self, group: &str) -> Result<Option<(i64, i64)>, StoreError> {
        self.db
            .query_opt(
                "SELECT m.story, coalesce(s.topic, 0) FROM duplicates d
                 JOIN story_members m ON m.article = d.article
                 JOIN stories s ON s.id = m.story
                 WHERE d.group_id = ?1 AND s.merged_into IS NULL ORDER BY m.article LIMIT 1",
                params![group],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.db_error(e))
    }

    /// One above the highest story id and one above the highest topic id
    /// stored: where new ids must start.
    pub fn next_story_ids(&self) -> Result<(i64, i64), StoreError> {
        self.db
            .query_row(
                "SELECT coalesce((SELECT max(id) FROM stories), -1) + 1,
                        coalesce((SELECT max(id) FROM topics), -1) + 1",
                params![],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.db_error(e))
    }

    /// Removes every story, topic and membership (before a rebuild).
    pub fn clear_stories(&mut self) -> Result<(), StoreError> {
        self.write_transaction(|tx| {
            tx.execute_batch("DELETE FROM story_members; DELETE FROM stories; DELETE FROM topics;")
        })
    }

    /// Writes a batch of the clusterer's decisions in one transaction:
    /// memberships (a new version replaces its superseded one), new stories
    /// and topics, merges (members re-pointed), then each touched story's
    /// size, dates, headline and summary (`digest` is given its earliest
    /// [`DIGEST_MEMBERS`] members) and each touched topic's counts and label.
    pub fn apply_story_batch(
        &mut self,
        batch: &StoryBatch,
        now: i64,
        digest: &mut dyn FnMut(&[StoryInput]) -> StoryDigest,
    ) -> Result<StoryBatchCounts, StoreError> {
        self.write_transaction(|tx| write_story_batch(tx, batch, now, digest))
    }

    /// Follows `merged_into` from `id`; `None` when no such story exists.
    fn resolve_story(&self, mut id: i64) -> Result<Option<i64>, StoreError> {
        for _ in 0..MAX_MERGE_HOPS {
            let next: Option<Option<i64>> = self
                .db
                .query_opt(
                    "SELECT merged_into FROM stories WHERE id = ?1",
                    params![id],
                    |r| r.get(0),
                )
                .map_err(|e| self.db_error(e))?;
            match next {
                None => return Ok(None),
                Some(None) => return Ok(Some(id)),
                Some(Some(into)) => id = into,
            }
        }
        Ok(Some(id))
    }

    /// A story row with its members and outlets.
    fn complete_story(&self, row: StoryRow) -> Result<Story, StoreError> {
        Ok(self.complete_stories(vec![row])?.remove(0))
    }

    /// Story rows with their members and outlets: the members of all of
    /// them in one query (a listing page is one round trip, not one per story).
    fn complete_stories(&self, rows: Vec<StoryRow>) -> Result<Vec<Story>, StoreError> {
        let ids: Vec<Param<'_>> = rows.iter().map(|r| Param::Int(r.id)).collect();
        let mut members: HashMap<i64, Vec<StoryArticle>> = HashMap::new();
        let found = self
            .db
            .query_list(
                "SELECT m.story, a.id, a.url, a.path, a.title, a.source, a.published
                 FROM story_members m JOIN articles a ON a.seq = m.article
                 WHERE m.story IN ({list})
                 ORDER BY m.story, a.published IS NULL, a.published, a.id",
                &ids,
                |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        StoryArticle {
                            id: r.get(1)?,
                            url: r.get(2)?,
                            path: r.get(3)?,
                            title: r.get(4)?,
                            source: r.get(5)?,
                            published: r.get(6)?,
                        },
                    ))
                },
            )
            .map_err(|e| self.db_error(e))?;
        for (story, article) in found {
            members.entry(story).or_default().push(article);
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let articles = members.remove(&row.id).unwrap_or_default();
                story_with(row, articles)
            })
            .collect())
    }
}

/// A story from its row and its members (in publication order).
fn story_with(row: StoryRow, articles: Vec<StoryArticle>) -> Story {
    Story {
        id: row.id,
        topic: row.topic,
        headline: row.headline,
        summary: summary_text(row.summary.as_deref()),
        first_published: row.first_published,
        last_published: row.last_published,
        size: row.size,
        sources: outlets(&articles),
        articles,
    }
}

fn write_story_batch(
    tx: &Db,
    batch: &StoryBatch,
    now: i64,
    digest: &mut dyn FnMut(&[StoryInput]) -> StoryDigest,
) -> DbResult<StoryBatchCounts> {
    let mut counts = StoryBatchCounts::default();
    let mut touched: BTreeSet<i64> = BTreeSet::new();
    let mut topics: BTreeSet<i64> = BTreeSet::new();
    for m in &batch.members {
        counts.stories_created += ensure_story(tx, m.story, m.topic, now)? as u64;
        // A new version takes its superseded versions' places.
        let replaced: Vec<(i64, i64)> = tx.query_map(
            "SELECT prev.seq, om.story FROM articles cur
             JOIN articles prev ON prev.page_key = cur.page_key AND prev.position = cur.position
             JOIN story_members om ON om.article = prev.seq
             WHERE cur.seq = ?1 AND prev.seq != cur.seq AND prev.superseded = 1",
            params![m.article],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (old, story) in replaced {
            tx.execute("DELETE FROM story_members WHERE article = ?1", params![old])?;
            touched.insert(story);
        }
        tx.execute(
            "INSERT INTO story_members (article, story, confidence, dateless)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (article) DO UPDATE SET story = excluded.story,
                confidence = excluded.confidence, dateless = excluded.dateless",
            params![m.article, m.story, f64::from(m.confidence), m.dateless],
        )?;
        counts.members += 1;
        touched.insert(m.story);
    }
    for merge in &batch.merges {
        if merge.gone == merge.into {
            continue;
        }
        ensure_story(tx, merge.into, merge.topic, now)?;
        let old_topic: Option<i64> = tx
            .query_opt(
                "SELECT topic FROM stories WHERE id = ?1",
                params![merge.gone],
                |r| r.get::<Option<i64>>(0),
            )?
            .flatten();
        tx.execute(
            "UPDATE story_members SET story = ?1 WHERE story = ?2",
            params![merge.into, merge.gone],
        )?;
        counts.merged += tx.execute(
            "UPDATE stories SET merged_into = ?1, size = 0, updated = ?3
             WHERE id = ?2 AND merged_into IS NULL",
            params![merge.into, merge.gone, now],
        )?;
        // Stories merged earlier into the one now gone point at the survivor.
        tx.execute(
            "UPDATE stories SET merged_into = ?1 WHERE merged_into = ?2",
            params![merge.into, merge.gone],
        )?;
        topics.extend(old_topic);
        touched.remove(&merge.gone);
        touched.insert(merge.into);
    }
    for &story in &touched {
        tx.execute(
            "UPDATE stories SET
                size = (SELECT count(*) FROM story_members WHERE story = ?1),
                first_published = (SELECT min(a.published) FROM story_members m
                    JOIN articles a ON a.seq = m.article WHERE m.story = ?1),
                last_published = (SELECT max(a.published) FROM story_members m
                    JOIN articles a ON a.seq = m.article WHERE m.story = ?1),
                updated = ?2
             WHERE id = ?1",
            params![story, now],
        )?;
        let members: Vec<StoryInput> = tx.query_map(
            &format!(
                "SELECT {INPUT_COLUMNS} FROM story_members m JOIN articles a ON a.seq = m.article
                 LEFT JOIN duplicates d ON d.article = a.seq
                 WHERE m.story = ?1 ORDER BY a.published IS NULL, a.published, a.seq LIMIT ?2"
            ),
            params![story, DIGEST_MEMBERS as i64],
            input_from_row,
        )?;
        let summary = digest(&members);
        let sentences = serde_json::to_string(&summary.sentences).unwrap_or_else(|_| "[]".into());
        tx.execute(
            "UPDATE stories SET headline = ?2, summary = ?3 WHERE id = ?1",
            params![story, summary.headline, sentences],
        )?;
        let topic: Option<i64> = tx
            .query_opt(
                "SELECT topic FROM stories WHERE id = ?1",
                params![story],
                |r| r.get::<Option<i64>>(0),
            )?
            .flatten();
        topics.extend(topic);
        counts.stories_updated += 1;
    }
    for &topic in &topics {
        tx.execute(
            "UPDATE topics SET
                stories = (SELECT count(*) FROM stories
                    WHERE topic = ?1 AND merged_into IS NULL AND size > 0),
                articles = (SELECT coalesce(sum(size), 0) FROM stories
                    WHERE topic = ?1 AND merged_into IS NULL),
                first_published = (SELECT min(first_published) FROM stories
                    WHERE topic = ?1 AND merged_into IS NULL AND size > 0),
                last_published = (SELECT max(last_published) FROM stories
                    WHERE topic = ?1 AND merged_into IS NULL AND size > 0),
                label = (SELECT headline FROM stories
                    WHERE topic = ?1 AND merged_into IS NULL AND size > 0
                    ORDER BY size DESC, first_published IS NULL, first_published, id LIMIT 1)
             WHERE id = ?1",
            params![topic],
        )?;
        counts.topics_updated += 1;
    }
    Ok(counts)
}

/// Creates the story (and its topic) when missing; keeps its topic current.
/// Returns whether the story is new.
fn ensure_story(tx: &Db, story: i64, topic: i64, now: i64) -> DbResult<bool> {
    tx.execute(
        "INSERT INTO topics (id) VALUES (?1) ON CONFLICT DO NOTHING",
        params![topic],
    )?;
    let created = tx.execute(
        "INSERT INTO stories (id, topic, updated) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![story, topic, now],
    )? > 0;
    if !created {
        tx.execute(
            "UPDATE stories SET topic = ?2 WHERE id = ?1 AND topic IS DISTINCT FROM ?2",
            params![story, topic],
        )?;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ArchiveTestExt, ExactOnly, IngestItem, OpenOptions};
    use rasd_model::Article;
    use std::collections::HashMap;

    fn item(url: &str, title: &str, published: Option<&str>, source: &str) -> IngestItem {
        IngestItem::from_article(
            Article {
                url: Some(url.into()),
                title: Some(title.into()),
                body: format!("{title}. نص الخبر كما نشره المصدر {source} عن الحدث."),
                published: published.map(str::to_string),
                source: Some(source.into()),
                ..Article::default()
            },
            0,
        )
    }

    fn seqs(archive: &Archive) -> HashMap<String, i64> {
        archive
            .db
            .query_map("SELECT url, seq FROM articles", params![], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
            .into_iter()
            .collect()
    }

    fn member(seq: i64, story: i64, topic: i64) -> Membership {
        Membership {
            article: seq,
            story,
            topic,
            confidence: 0.9,
            dateless: false,
        }
    }

    /// First sentence as summary, first title as headline.
    fn first_title(members: &[StoryInput]) -> StoryDigest {
        StoryDigest {
            headline: members.first().and_then(|m| m.title.clone()),
            sentences: members.iter().map(|m| m.body.clone()).take(1).collect(),
        }
    }

    /// Four articles: stories 0 (a, b) and 1 (c) in topic 0, story 2 (d) in topic 1.
    fn archive_with_stories() -> (tempfile::TempDir, Archive, HashMap<String, i64>) {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
        archive
            .ingest_batch(
                vec![
                    item("a", "السيول تجتاح جدة", Some("2015-07-21 08:00:00"), "spa"),
                    item(
                        "b",
                        "سيول جدة تغرق الشوارع",
                        Some("2015-07-21 10:30:00"),
                        "okaz",
                    ),
                    item(
                        "c",
                        "الدفاع المدني يحذر من الأمطار",
                        Some("2015-07-25"),
                        "sabq",
                    ),
                    item("d", "أرسنال يهزم تشيلسي", Some("2015-08-02"), "sabq"),
                ],
                0,
                &ExactOnly,
            )
            .unwrap();
        let s = seqs(&archive);
        let batch = StoryBatch {
            members: vec![
                member(s["a"], 0, 0),
                member(s["b"], 0, 0),
                member(s["c"], 1, 0),
                member(s["d"], 2, 1),
            ],
            merges: vec![],
        };
        let counts = archive
            .apply_story_batch(&batch, 100, &mut first_title)
            .unwrap();
        assert_eq!(counts.members, 4);
        assert_eq!(counts.stories_created, 3);
        (dir, archive, s)
    }

    #[test]
    fn stories_list_with_outlets_members_and_filters() {
        let (_dir, archive, _) = archive_with_stories();
        let all = archive.stories(&StoryQuery::default()).unwrap();
        assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), [2, 1, 0]);
        let rain = &all[2];
        assert_eq!(rain.size, 2);
        assert_eq!(rain.headline.as_deref(), Some("السيول تجتاح جدة"));
        assert_eq!(rain.first_published.as_deref(), Some("2015-07-21 08:00:00"));
        assert_eq!(rain.sources[0].source, "spa", "spa broke it");
        assert_eq!(rain.sources[1].source, "okaz");
        assert_eq!(rain.articles.len(), 2);
        assert!(rain.summary.starts_with("السيول تجتاح جدة"));
        let q = |query: StoryQuery| -> Vec<i64> {
            archive
                .stories(&query)
                .unwrap()
                .iter()
                .map(|s| s.id)
                .collect()
        };
        assert_eq!(
            q(StoryQuery {
                min_size: 2,
                ..Default::default()
            }),
            [0]
        );
        assert_eq!(
            q(StoryQuery {
                source: Some("sabq".into()),
                ..Default::default()
            }),
            [2, 1]
        );
        assert_eq!(
            q(StoryQuery {
                since: Some("2015-07-25".into()),
                ..Default::default()
            }),
            [2, 1]
        );
        assert_eq!(
            q(StoryQuery {
                until: Some("2015-07-21".into()),
                ..Default::default()
            }),
            [0]
        );
        assert_eq!(
            q(StoryQuery {
                topic: Some(0),
                ..Default::default()
            }),
            [1, 0]
        );
        assert_eq!(
            q(StoryQuery {
                limit: Some(1),
                offset: 1,
                ..Default::default()
            }),
            [1]
        );
        assert_eq!(archive.foreign_key_violations(), 0);
    }

    #[test]
    fn topics_count_their_stories_and_keep_a_timeline_by_date() {
        let (_dir, archive, _) = archive_with_stories();
        let topics = archive.topics(&TopicQuery::default()).unwrap();
        assert_eq!(topics.iter().map(|t| t.id).collect::<Vec<_>>(), [1, 0]);
        let rain = archive.topic(0).unwrap().unwrap();
        assert_eq!(rain.topic.stories, 2);
        assert_eq!(rain.topic.articles, 3);
        assert_eq!(
            rain.topic.label.as_deref(),
            Some("السيول تجتاح جدة"),
            "largest story's headline"
        );
        let days: Vec<_> = rain.timeline.iter().map(|e| e.date.clone()).collect();
        assert_eq!(days, [Some("2015-07-21".into()), Some("2015-07-25".into())]);
        assert_eq!(rain.timeline[0].sources, ["spa", "okaz"]);
        assert!(archive.topic(99).unwrap().is_none());
        assert_eq!(
            archive
                .topics(&TopicQuery {
                    min_stories: 2,
                    ..Default::default()
                })
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_merge_repoints_members_and_old_ids_resolve() {
        let (_dir, mut archive, s) = archive_with_stories();
        let merge = StoryBatch {
            members: vec![],
            merges: vec![StoryMerge {
                gone: 1,
                into: 0,
                topic: 0,
            }],
        };
        let counts = archive
            .apply_story_batch(&merge, 200, &mut first_title)
            .unwrap();
        assert_eq!(counts.merged, 1);
        let story = archive.story(1).unwrap().unwrap();
        assert_eq!(story.id, 0, "a merged id resolves to the survivor");
        assert_eq!(story.size, 3);
        assert_eq!(archive.stories(&StoryQuery::default()).unwrap().len(), 2);
        let c_id: String = archive
            .db
            .query_row(
                "SELECT id FROM articles WHERE seq = ?1",
                params![s["c"]],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(archive.story_of(&c_id).unwrap(), Some(0));
        assert_eq!(archive.topic(0).unwrap().unwrap().topic.stories, 1);
        assert!(archive.story(42).unwrap().is_none());
        assert_eq!(archive.story_of("nope").unwrap(), None);
        // The batched lookup answers like one lookup per id, in order,
        // merged stories followed, unknown ids None, repeats answered twice.
        let all = crate::ArticleQuery {
            all_versions: true,
            ..crate::ArticleQuery::default()
        };
        let mut ids: Vec<String> = archive
            .articles(&all)
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert!(ids.len() >= 3);
        ids.insert(1, "nope".into());
        ids.push(c_id.clone());
        let one_by_one: Vec<Option<i64>> =
            ids.iter().map(|id| archive.story_of(id).unwrap()).collect();
        assert_eq!(archive.stories_of(&ids).unwrap(), one_by_one);
        assert!(one_by_one.contains(&Some(0)) && one_by_one.contains(&None));
        assert_eq!(archive.stories_of(&[]).unwrap(), Vec::<Option<i64>>::new());
    }

    #[test]
    fn a_new_version_replaces_the_old_one_in_its_story() {
        let (_dir, mut archive, _) = archive_with_stories();
        let mut changed = item(
            "a",
            "السيول تجتاح جدة وتوقف الدراسة",
            Some("2015-07-21 08:00:00"),
            "spa",
        );
        changed.article.body.push_str(" تحديث");
        let outcome = archive.ingest_batch(vec![changed], 0, &ExactOnly).unwrap();
        assert!(matches!(outcome[0].stored, crate::Stored::NewVersion(2)));
        let inputs = archive.story_inputs(&[outcome[0].id.clone()]).unwrap();
        let batch = StoryBatch {
            members: vec![member(inputs[0].seq, 0, 0)],
            merges: vec![],
        };
        archive
            .apply_story_batch(&batch, 300, &mut first_title)
            .unwrap();
        let story = archive.story(0).unwrap().unwrap();
        assert_eq!(story.size, 2, "still a and b, a at its new version");
        assert!(story.articles.iter().any(|a| a.id == outcome[0].id));
    }

    #[test]
    fn the_restore_set_is_the_recent_stories_members_in_order() {
        let (_dir, mut archive, _) = archive_with_stories();
        // 2015-08-02 is the latest; a 10-day window keeps stories active since 07-23.
        let restored = archive.story_restore_set(10.0, 100).unwrap();
        let stories: Vec<i64> = restored.iter().map(|m| m.story).collect();
        assert_eq!(stories, [1, 2]);
        assert_eq!(restored[1].topic, 1);
        assert_eq!(
            archive.story_restore_set(30.0, 2).unwrap().len(),
            2,
            "bounded"
        );
        let group = restored[1].article.group.clone().unwrap();
        assert_eq!(archive.group_story(&group).unwrap(), Some((2, 1)));
        assert_eq!(archive.group_story("no such group").unwrap(), None);
        assert_eq!(archive.next_story_ids().unwrap(), (3, 2));
        archive.clear_stories().unwrap();
        assert!(archive.story_restore_set(10.0, 100).unwrap().is_empty());
        assert_eq!(archive.next_story_ids().unwrap(), (0, 0));
    }

    #[test]
    fn days_before_matches_sqlite_datetime() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for stamp in [
            "2015-07-21",
            "2015-07-21T10:00:00+03:00",
            "2015-03-01 00:30",
            "2016-02-29T23:59:59",
            "2000-01-01T00:00:00Z",
            "١٤٣٦-١٠-٠٥",
            "not a date",
            "2015-13-01",
        ] {
            for days in [0.0, 1.0, 3.0, 2.5, 400.0] {
                let sqlite: Option<String> = conn
                    .query_row(
                        "SELECT datetime(julianday(substr(?1, 1, 19)) - ?2)",
                        rusqlite::params![stamp, days],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(days_before(stamp, days), sqlite, "{stamp} - {days}");
            }
        }
    }
}
