//! Facts in the archive: entities with aliases, mentions, quotes and figures
//! in (written by ingest from `rasd-facts`), entity, quote and per-story
//! figure views out (`rasd entities`, `rasd quotes`, the API).
//!
//! Ingest writes a batch's facts in one transaction ([`Archive::apply_facts_batch`],
//! plain rows: the store does not know the recognizer or the linker) and
//! restores the linker from [`Archive::linker_entities`]. Entity ids are
//! stable integers; `entities.mentions` is kept exact by triggers. Views
//! show current articles only (a superseded version's facts are deleted
//! when its new version's facts are written).

use crate::archive::Archive;
use crate::db::{params, DbResult, Param, Row, ToParam, Value};
use crate::error::StoreError;
use rasd_text::normalize::matching_key;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// An article to find facts in, as ingest reads it back after a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsInput {
    /// The article's storage sequence number (what fact rows refer to).
    pub seq: i64,
    pub id: String,
    pub title: Option<String>,
    pub body: String,
}

/// A stored entity with every alias key that links to it: what the
/// linker is restored from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEntity {
    pub id: i64,
    pub name: String,
    pub kind: String,
    /// The canonical name's key.
    pub key: String,
    /// (alias key, surface first seen for it), in the order they were added.
    pub aliases: Vec<(String, String)>,
}

/// An entity the linker created.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntity {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub key: String,
}

/// A stored entity whose canonical name grew (الكاظمي → مصطفى الكاظمي).
#[derive(Debug, Clone, PartialEq)]
pub struct RenamedEntity {
    pub id: i64,
    pub name: String,
    pub key: String,
}

/// An alias key that now links to an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAliasRow {
    pub key: String,
    pub entity: i64,
    pub alias: String,
}

/// A mention to store; `article` is the article's `seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionWrite {
    pub article: i64,
    pub entity: i64,
    pub text: String,
    pub kind: String,
    pub start: i64,
}

/// A quote to store; `article` is the article's `seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteWrite {
    pub article: i64,
    pub speaker: String,
    pub speaker_entity: Option<i64>,
    pub text: String,
}

/// A figure to store; `article` is the article's `seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureWrite {
    pub article: i64,
    pub value: f64,
    pub unit: Option<String>,
    pub text: String,
}

/// What the archive says about the code that computed its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "version")]
pub enum StoredFactsVersion {
    /// No facts stored yet.
    Empty,
    /// Facts stored by a rasd that did not record its facts version (before
    /// schema 4): to be treated as stale.
    Unknown,
    /// Facts computed by this facts version.
    Version(i64),
}

/// The facts of one batch of articles, written in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactsBatch {
    /// The articles (seq) whose facts these are: their old facts, and those
    /// of their earlier versions, are deleted first.
    pub articles: Vec<i64>,
    pub entities: Vec<NewEntity>,
    pub renamed: Vec<RenamedEntity>,
    pub aliases: Vec<NewAliasRow>,
    pub mentions: Vec<MentionWrite>,
    pub quotes: Vec<QuoteWrite>,
    pub figures: Vec<FigureWrite>,
}

/// Most aliases listed per entity.
const MAX_LISTED_ALIASES: usize = 64;
/// Most stories an entity's detail lists.
const MAX_ENTITY_STORIES: i64 = 100;
/// Most quotes an entity's or a story's facts list.
const MAX_VIEW_QUOTES: u64 = 100;
/// Most entities a story's facts list.
const MAX_STORY_ENTITIES: i64 = 100;
/// Most figure units a story's facts list, and texts kept per outlet.
const MAX_STORY_UNITS: usize = 50;
const MAX_TEXTS_PER_OUTLET: usize = 10;

fn limit_value(limit: Option<u64>) -> Value {
    Value::Int(limit.map_or(i64::MAX, |l| l.min(i64::MAX as u64) as i64))
}

fn offset_value(offset: u64) -> Value {
    Value::Int(offset.min(i64::MAX as u64) as i64)
}

/// A non-negative count column.
fn count(r: &Row, column: usize) -> DbResult<u64> {
    Ok(r.get::<i64>(column)?.max(0) as u64)
}

fn quote_from_row(r: &Row) -> DbResult<Quote> {
    Ok(Quote {
        article: r.get(0)?,
        story: r.get(1)?,
        source: r.get(2)?,
        published: r.get(3)?,
        speaker: r.get(4)?,
        speaker_entity: r.get(5)?,
        speaker_name: r.get(6)?,
        text: r.get(7)?,
    })
}

fn entity_from_row(r: &Row) -> DbResult<Entity> {
    Ok(Entity {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        aliases: Vec::new(),
        mentions: count(r, 3)?,
        articles: count(r, 4)?,
        stories: count(r, 5)?,
    })
}

impl Archive {
    /// Entities matching `query`, most mentioned first.
    pub fn entities(&self, query: &EntityQuery) -> Result<Vec<Entity>, StoreError> {
        let mut sql = String::from(
            "SELECT e.id, e.name, e.type, e.mentions,
                (SELECT count(DISTINCT m.article) FROM mentions m WHERE m.entity = e.id),
                (SELECT count(DISTINCT sm.story) FROM mentions m
                    LEFT JOIN story_members sm ON sm.article = m.article
                    WHERE m.entity = e.id)
             FROM entities e WHERE e.mentions > 0",
        );
        let mut values: Vec<Value> = Vec::new();
        if let Some(kind) = &query.kind {
            sql.push_str(" AND e.type = ?");
            values.push(Value::Text(kind.to_uppercase()));
        }
        if let Some(name) = &query.name {
            let key = matching_key(name);
            if !key.is_empty() {
                sql.push_str(
                    " AND EXISTS (SELECT 1 FROM entity_aliases x
                        WHERE x.entity = e.id AND instr(x.key, ?) > 0)",
                );
                values.push(Value::Text(key));
            }
        }
        sql.push_str(" ORDER BY e.mentions DESC, e.id LIMIT ? OFFSET ?");
        values.push(limit_value(query.limit));
        values.push(offset_value(query.offset));
        let values: Vec<&dyn ToParam> = values.iter().map(|v| v as &dyn ToParam).collect();
        let rows = self
            .db
            .query_map(&sql, &values, entity_from_row)
            .map_err(|e| self.db_error(e))?;
        rows.into_iter()
            .map(|mut entity| {
                entity.aliases = self.aliases_of(entity.id, &entity.name)?;
                Ok(entity)
            })
            .collect()
    }

    /// The distinct surface forms of an entity other than its name.
    fn aliases_of(&self, id: i64, name: &str) -> Result<Vec<String>, StoreError> {
        let all = self
            .db
            .query_map(
                "SELECT alias FROM entity_aliases WHERE entity = ?1 ORDER BY rowid",
                params![id],
                |r| r.get::<String>(0),
            )
            .map_err(|e| self.db_error(e))?;
        let mut out: Vec<String> = Vec::new();
        for alias in all {
            if alias != name && !out.contains(&alias) && out.len() < MAX_LISTED_ALIASES {
                out.push(alias);
            }
        }
        Ok(out)
    }

    /// One entity with its stories and quotes.
    pub fn entity(&self, id: i64) -> Result<Option<EntityDetail>, StoreError> {
        let found = self
            .db
            .query_opt(
                "SELECT e.id, e.name, e.type, e.mentions,
                    (SELECT count(DISTINCT m.article) FROM mentions m WHERE m.entity = e.id),
                    (SELECT count(DISTINCT sm.story) FROM mentions m
                        LEFT JOIN story_members sm ON sm.article = m.article
                        WHERE m.entity = e.id)
                 FROM entities e WHERE e.id = ?1",
                params![id],
                entity_from_row,
            )
            .map_err(|e| self.db_error(e))?;
        let Some(mut entity) = found else {
            return Ok(None);
        };
        entity.aliases = self.aliases_of(entity.id, &entity.name)?;
        let stories = self
            .db
            .query_map(
                "SELECT s.id, s.headline, s.first_published, s.size, count(*) AS n
                 FROM mentions m
                 JOIN story_members sm ON sm.article = m.article
                 JOIN stories s ON s.id = sm.story
                 WHERE m.entity = ?1
                 GROUP BY s.id ORDER BY n DESC, s.id LIMIT ?2",
                params![id, MAX_ENTITY_STORIES],
                |r| {
                    Ok(EntityStory {
                        id: r.get(0)?,
                        headline: r.get(1)?,
                        first_published: r.get(2)?,
                        size: count(r, 3)?,
                        mentions: count(r, 4)?,
                    })
                },
            )
            .map_err(|e| self.db_error(e))?;
        let quotes = self.quotes(&QuoteQuery {
            speaker: Some(id.to_string()),
            limit: Some(MAX_VIEW_QUOTES),
            ..QuoteQuery::default()
        })?;
        Ok(Some(EntityDetail {
            entity,
            stories,
            quotes,
        }))
    }

    /// Quotes matching `query`, newest first.
    pub fn quotes(&self, query: &QuoteQuery) -> Result<Vec<Quote>, StoreError> {
        let mut sql = String::from(
            "SELECT a.id, sm.story, a.source, a.published, q.speaker, q.speaker_entity, e.name, q.text
             FROM quotes q
             JOIN articles a ON a.seq = q.article
             LEFT JOIN story_members sm ON sm.article = q.article
             LEFT JOIN entities e ON e.id = q.speaker_entity
             WHERE a.superseded = 0",
        );
        let mut values: Vec<Value> = Vec::new();
        if let Some(speaker) = query.speaker.as_deref().map(str::trim) {
            if let Ok(id) = speaker.parse::<i64>() {
                sql.push_str(" AND q.speaker_entity = ?");
                values.push(Value::Int(id));
            } else {
                let key = matching_key(speaker);
                sql.push_str(
                    " AND (instr(q.speaker_key, ?) > 0 OR q.speaker_entity IN
                        (SELECT entity FROM entity_aliases WHERE instr(key, ?) > 0))",
                );
                values.push(Value::Text(key.clone()));
                values.push(Value::Text(key));
            }
        }
        if let Some(story) = query.story {
            sql.push_str(" AND sm.story = ?");
            values.push(Value::Int(story));
        }
        if let Some(article) = &query.article {
            sql.push_str(" AND a.id = ?");
            values.push(Value::Text(article.clone()));
        }
        sql.push_str(" ORDER BY a.published IS NULL, a.published DESC, q.id LIMIT ? OFFSET ?");
        values.push(limit_value(query.limit));
        values.push(offset_value(query.offset));
        let values: Vec<&dyn ToParam> = values.iter().map(|v| v as &dyn ToParam).collect();
        self.db
            .query_map(&sql, &values, quote_from_row)
            .map_err(|e| self.db_error(e))
    }

    /// The facts of one article (None when the article is unknown).
    pub fn article_facts(&self, article_id: &str) -> Result<Option<ArticleFactsRow>, StoreError> {
        let seq: Option<i64> = self
            .db
            .query_opt(
                "SELECT seq FROM articles WHERE id = ?1",
                params![article_id],
                |r| r.get(0),
            )
            .map_err(|e| self.db_error(e))?;
        let Some(seq) = seq else {
            return Ok(None);
        };
        let entities = self
            .db
            .query_map(
                "SELECT m.text, m.type, m.entity, e.name FROM mentions m
                 JOIN entities e ON e.id = m.entity
                 WHERE m.article = ?1 ORDER BY m.start, m.rowid",
                params![seq],
                |r| {
                    Ok(MentionRow {
                        text: r.get(0)?,
                        kind: r.get(1)?,
                        entity: r.get(2)?,
                        name: r.get(3)?,
                    })
                },
            )
            .map_err(|e| self.db_error(e))?;
        let quotes = self
            .db
            .query_map(
                "SELECT a.id, sm.story, a.source, a.published, q.speaker, q.speaker_entity, e.name, q.text
                 FROM quotes q
                 JOIN articles a ON a.seq = q.article
                 LEFT JOIN story_members sm ON sm.article = q.article
                 LEFT JOIN entities e ON e.id = q.speaker_entity
                 WHERE q.article = ?1 ORDER BY q.id",
                params![seq],
                quote_from_row,
            )
            .map_err(|e| self.db_error(e))?;
        let figures = self
            .db
            .query_map(
                "SELECT value, unit, text FROM figures WHERE article = ?1 ORDER BY rowid",
                params![seq],
                |r| {
                    Ok(FigureRow {
                        value: r.get(0)?,
                        unit: r.get(1)?,
                        text: r.get(2)?,
                    })
                },
            )
            .map_err(|e| self.db_error(e))?;
        Ok(Some(ArticleFactsRow {
            entities,
            quotes,
            figures,
        }))
    }

    /// The facts of one story across its articles (None when the story is unknown).
    pub fn story_facts(&self, story: i64) -> Result<Option<StoryFacts>, StoreError> {
        let known = self
            .db
            .exists("SELECT id FROM stories WHERE id = ?1", params![story])
            .map_err(|e| self.db_error(e))?;
        if !known {
            return Ok(None);
        }
        let entities = self
            .db
            .query_map(
                "SELECT e.id, e.name, e.type, count(*) AS n
                 FROM story_members sm
                 JOIN mentions m ON m.article = sm.article
                 JOIN entities e ON e.id = m.entity
                 WHERE sm.story = ?1
                 GROUP BY e.id ORDER BY n DESC, e.id LIMIT ?2",
                params![story, MAX_STORY_ENTITIES],
                |r| {
                    Ok(EntityCount {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        kind: r.get(2)?,
                        mentions: count(r, 3)?,
                    })
                },
            )
            .map_err(|e| self.db_error(e))?;
        let quotes = self.quotes(&QuoteQuery {
            story: Some(story),
            limit: Some(MAX_VIEW_QUOTES),
            ..QuoteQuery::default()
        })?;
        let rows = self
            .db
            .query_map(
                "SELECT coalesce(a.source, '-'), f.unit, f.value, f.text
                 FROM story_members sm
                 JOIN articles a ON a.seq = sm.article AND a.superseded = 0
                 JOIN figures f ON f.article = sm.article
                 WHERE sm.story = ?1 AND f.unit IS NOT NULL
                 ORDER BY a.published IS NULL, a.published, a.seq, f.rowid",
                params![story],
                |r| {
                    Ok((
                        r.get::<String>(0)?,
                        r.get::<String>(1)?,
                        r.get::<f64>(2)?,
                        r.get::<String>(3)?,
                    ))
                },
            )
            .map_err(|e| self.db_error(e))?;
        Ok(Some(StoryFacts {
            entities,
            quotes,
            figures: figures_across_outlets(rows),
        }))
    }

    /// The entity ids mentioned in an article (for the search index's entity filter).
    pub fn entity_ids_of(&self, article_id: &str) -> Result<Vec<i64>, StoreError> {
        self.db
            .query_map(
                "SELECT DISTINCT m.entity FROM mentions m JOIN articles a ON a.seq = m.article
                 WHERE a.id = ?1 ORDER BY m.entity",
                params![article_id],
                |r| r.get(0),
            )
            .map_err(|e| self.db_error(e))
    }

    /// The stored articles `ids` names (unknown ids skipped), in that order.
    pub fn facts_inputs(&self, ids: &[String]) -> Result<Vec<FactsInput>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let found = self
                .db
                .query_opt(
                    "SELECT seq, id, title, body FROM articles WHERE id = ?1",
                    params![id],
                    |r| {
                        Ok(FactsInput {
                            seq: r.get(0)?,
                            id: r.get(1)?,
                            title: r.get(2)?,
                            body: r.get(3)?,
                        })
                    },
                )
                .map_err(|e| self.db_error(e))?;
            out.extend(found);
        }
        Ok(out)
    }

    /// Every stored entity by id, with its alias keys: what the linker is
    /// restored from.
    pub fn linker_entities(&self) -> Result<Vec<StoredEntity>, StoreError> {
        let mut entities: Vec<StoredEntity> = self
            .db
            .query_map(
                "SELECT id, name, type, key FROM entities ORDER BY id",
                params![],
                |r| {
                    Ok(StoredEntity {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        kind: r.get(2)?,
                        key: r.get(3)?,
                        aliases: Vec::new(),
                    })
                },
            )
            .map_err(|e| self.db_error(e))?;
        let position: BTreeMap<i64, usize> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id, i))
            .collect();
        let rows = self
            .db
            .query_map(
                "SELECT key, entity, alias FROM entity_aliases ORDER BY rowid",
                params![],
                |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?, r.get::<String>(2)?)),
            )
            .map_err(|e| self.db_error(e))?;
        for (key, entity, alias) in rows {
            if let Some(&i) = position.get(&entity) {
                entities[i].aliases.push((key, alias));
            }
        }
        Ok(entities)
    }

    /// The id the next new entity takes.
    pub fn next_entity_id(&self) -> Result<i64, StoreError> {
        self.db
            .query_row(
                "SELECT coalesce(max(id), 0) + 1 FROM entities",
                params![],
                |r| r.get(0),
            )
            .map_err(|e| self.db_error(e))
    }

    /// Which code computed the stored facts: see [`StoredFactsVersion`].
    pub fn stored_facts_version(&self) -> Result<StoredFactsVersion, StoreError> {
        let version: Option<i64> = self
            .db
            .query_row(
                "SELECT (SELECT version FROM derived_versions WHERE stage = 'facts')",
                params![],
                |r| r.get(0),
            )
            .map_err(|e| self.db_error(e))?;
        if let Some(version) = version {
            return Ok(StoredFactsVersion::Version(version));
        }
        let any: i64 = self
            .db
            .query_row(
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM mentions)
                              OR EXISTS (SELECT 1 FROM quotes)
                              OR EXISTS (SELECT 1 FROM figures)
                              OR EXISTS (SELECT 1 FROM entities) THEN 1 ELSE 0 END",
                params![],
                |r| r.get(0),
            )
            .map_err(|e| self.db_error(e))?;
        Ok(if any == 1 {
            StoredFactsVersion::Unknown
        } else {
            StoredFactsVersion::Empty
        })
    }

    /// Records that the stored facts are `version`'s (all of them: call it
    /// on an archive with no facts yet, or after recomputing every article's).
    pub fn set_facts_version(&mut self, version: i64) -> Result<(), StoreError> {
        self.write_transaction(|tx| {
            tx.execute(
                "INSERT INTO derived_versions (stage, version) VALUES ('facts', ?1)
                 ON CONFLICT (stage) DO UPDATE SET version = excluded.version",
                params![version],
            )?;
            Ok(())
        })
    }

    /// Deletes every fact (entities, aliases, mentions, quotes, figures) and
    /// the facts version, in one transaction: the first step of recomputing
    /// them all with a newer recognizer or linker. Entity ids start over.
    pub fn clear_facts(&mut self) -> Result<(), StoreError> {
        self.write_transaction(|tx| {
            // Quotes, mentions and aliases refer to entities: they go first.
            for sql in [
                "DELETE FROM quotes",
                "DELETE FROM figures",
                "DELETE FROM mentions",
                "DELETE FROM entity_aliases",
                "DELETE FROM entities",
                "DELETE FROM derived_versions WHERE stage = 'facts'",
            ] {
                tx.execute(sql, params![])?;
            }
            Ok(())
        })
    }

    /// Writes a batch's facts in one transaction: the old facts of its
    /// articles and of their earlier versions go, then new entities,
    /// renames, aliases, mentions, quotes and figures are stored.
    pub fn apply_facts_batch(&mut self, batch: &FactsBatch) -> Result<(), StoreError> {
        self.write_transaction(|tx| {
            let articles: Vec<Param<'_>> = batch.articles.iter().map(|&s| Param::Int(s)).collect();
            for table in ["mentions", "quotes", "figures"] {
                tx.execute_for_list(
                    &format!(
                        "DELETE FROM {table} WHERE article IN (
                            SELECT b.seq FROM articles a JOIN articles b
                              ON b.page_key = a.page_key AND b.position = a.position
                             AND b.version <= a.version
                            WHERE a.seq IN ({{list}}))"
                    ),
                    &articles,
                )?;
            }
            let rows: Vec<Param<'_>> = batch
                .entities
                .iter()
                .flat_map(|e| {
                    [
                        Param::Int(e.id),
                        e.name.to_param(),
                        e.kind.to_param(),
                        e.key.to_param(),
                    ]
                })
                .collect();
            tx.insert_rows("INSERT INTO entities (id, name, type, key)", "", 4, &rows)?;
            for e in &batch.renamed {
                tx.execute(
                    "UPDATE entities SET name = ?2, key = ?3 WHERE id = ?1",
                    params![e.id, e.name, e.key],
                )?;
            }
            // A key already stored keeps its entity: the linker restored from
            // the archive resolves it the same way.
            let rows: Vec<Param<'_>> = batch
                .aliases
                .iter()
                .flat_map(|a| [a.key.to_param(), Param::Int(a.entity), a.alias.to_param()])
                .collect();
            tx.insert_rows(
                "INSERT INTO entity_aliases (key, entity, alias)",
                "ON CONFLICT DO NOTHING",
                3,
                &rows,
            )?;
            let rows: Vec<Param<'_>> = batch
                .mentions
                .iter()
                .flat_map(|m| {
                    [
                        Param::Int(m.article),
                        Param::Int(m.entity),
                        m.text.to_param(),
                        m.kind.to_param(),
                        Param::Int(m.start),
                    ]
                })
                .collect();
            tx.insert_rows(
                "INSERT INTO mentions (article, entity, text, type, start)",
                "",
                5,
                &rows,
            )?;
            let speaker_keys: Vec<String> = batch
                .quotes
                .iter()
                .map(|q| matching_key(&q.speaker))
                .collect();
            let rows: Vec<Param<'_>> = batch
                .quotes
                .iter()
                .zip(&speaker_keys)
                .flat_map(|(q, key)| {
                    [
                        Param::Int(q.article),
                        q.speaker.to_param(),
                        key.to_param(),
                        q.speaker_entity.to_param(),
                        q.text.to_param(),
                    ]
                })
                .collect();
            tx.insert_rows(
                "INSERT INTO quotes (article, speaker, speaker_key, speaker_entity, text)",
                "",
                5,
                &rows,
            )?;
            let rows: Vec<Param<'_>> = batch
                .figures
                .iter()
                .flat_map(|f| {
                    [
                        Param::Int(f.article),
                        Param::Real(f.value),
                        match f.unit.as_deref().filter(|u| !u.is_empty()) {
                            Some(unit) => Param::Text(unit),
                            None => Param::Null,
                        },
                        f.text.to_param(),
                    ]
                })
                .collect();
            tx.insert_rows(
                "INSERT INTO figures (article, value, unit, text)",
                "",
                4,
                &rows,
            )?;
            Ok(())
        })
    }
}

/// Groups a story's figures (source, unit, value, text; in publication
/// order) by unit, then by outlet; units more outlets report come first.
fn figures_across_outlets(rows: Vec<(String, String, f64, String)>) -> Vec<FigureAcrossOutlets> {
    let mut by_unit: Vec<(String, Vec<OutletFigures>)> = Vec::new();
    for (source, unit, value, text) in rows {
        let at = match by_unit.iter().position(|(u, _)| *u == unit) {
            Some(at) => at,
            None => {
                by_unit.push((unit, Vec::new()));
                by_unit.len() - 1
            }
        };
        let outlets = &mut by_unit[at].1;
        let outlet = match outlets.iter().position(|o| o.source == source) {
            Some(i) => &mut outlets[i],
            None => {
                outlets.push(OutletFigures {
                    source,
                    values: Vec::new(),
                    texts: Vec::new(),
                });
                outlets.last_mut().expect("just pushed")
            }
        };
        if !outlet.values.iter().any(|v| v.to_bits() == value.to_bits()) {
            outlet.values.push(value);
        }
        if !outlet.texts.contains(&text) && outlet.texts.len() < MAX_TEXTS_PER_OUTLET {
            outlet.texts.push(text);
        }
    }
    let mut out: Vec<FigureAcrossOutlets> = by_unit
        .into_iter()
        .map(|(unit, by_outlet)| {
            let sorted = |values: &[f64]| {
                let mut v = values.to_vec();
                v.sort_by(f64::total_cmp);
                v
            };
            let first = by_outlet.first().map(|o| sorted(&o.values));
            let agree = by_outlet.iter().all(|o| Some(sorted(&o.values)) == first);
            FigureAcrossOutlets {
                unit: Some(unit),
                by_outlet,
                agree,
            }
        })
        .collect();
    // Stable: equal outlet counts keep first-published order.
    out.sort_by_key(|f| std::cmp::Reverse(f.by_outlet.len()));
    out.truncate(MAX_STORY_UNITS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ExactOnly, IngestItem, OpenOptions};
    use rasd_model::Article;

    fn open() -> (tempfile::TempDir, Archive) {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
        (dir, archive)
    }

    fn store(archive: &mut Archive, url: &str, source: &str, day: &str, body: &str) -> FactsInput {
        let article = Article {
            url: Some(url.into()),
            title: Some("بايدن يستقبل الكاظمي".into()),
            body: body.into(),
            published: Some(day.into()),
            source: Some(source.into()),
            ..Article::default()
        };
        let out = archive
            .ingest_batch(vec![IngestItem::from_article(article, 0)], 0, &ExactOnly)
            .unwrap();
        assert!(out[0].is_stored());
        archive
            .facts_inputs(std::slice::from_ref(&out[0].id))
            .unwrap()
            .remove(0)
    }

    fn mention(article: i64, entity: i64, text: &str, kind: &str, start: i64) -> MentionWrite {
        MentionWrite {
            article,
            entity,
            text: text.into(),
            kind: kind.into(),
            start,
        }
    }

    /// Two outlets' articles on one story: Biden (1) and Kadhimi (2), a
    /// quote each, 2500 troops in both and casualties they disagree on.
    fn two_outlets(archive: &mut Archive) -> (FactsInput, FactsInput) {
        let a = store(
            archive,
            "https://a.example/1",
            "الغارديان",
            "2021-07-26",
            "نص أول",
        );
        let b = store(
            archive,
            "https://b.example/1",
            "شفق نيوز",
            "2021-07-27",
            "نص ثان",
        );
        let batch = FactsBatch {
            articles: vec![a.seq, b.seq],
            entities: vec![
                NewEntity {
                    id: 1,
                    name: "جو بايدن".into(),
                    kind: "PERS".into(),
                    key: "جو بايدن".into(),
                },
                NewEntity {
                    id: 2,
                    name: "الكاظمي".into(),
                    kind: "PERS".into(),
                    key: "الكاظمي".into(),
                },
            ],
            renamed: vec![],
            aliases: vec![
                NewAliasRow {
                    key: "جو بايدن".into(),
                    entity: 1,
                    alias: "جو بايدن".into(),
                },
                NewAliasRow {
                    key: "بايدن".into(),
                    entity: 1,
                    alias: "بايدن".into(),
                },
                NewAliasRow {
                    key: "الكاظمي".into(),
                    entity: 2,
                    alias: "الكاظمي".into(),
                },
            ],
            mentions: vec![
                mention(a.seq, 1, "الرئيس جو بايدن", "PERS", 0),
                mention(a.seq, 1, "بايدن", "PERS", 40),
                mention(b.seq, 1, "بايدن", "PERS", 3),
                mention(b.seq, 2, "الكاظمي", "PERS", 20),
            ],
            quotes: vec![
                QuoteWrite {
                    article: a.seq,
                    speaker: "الرئيس جو بايدن".into(),
                    speaker_entity: Some(1),
                    text: "مرحلة جديدة <script>alert(1)</script>".into(),
                },
                QuoteWrite {
                    article: b.seq,
                    speaker: "المتحدث باسم الحكومة".into(),
                    speaker_entity: None,
                    text: "الحوار مستمر".into(),
                },
            ],
            figures: vec![
                FigureWrite {
                    article: a.seq,
                    value: 2500.0,
                    unit: Some("جندي".into()),
                    text: "2500 جندي".into(),
                },
                FigureWrite {
                    article: b.seq,
                    value: 2500.0,
                    unit: Some("جندي".into()),
                    text: "٢٥٠٠ جندي".into(),
                },
                FigureWrite {
                    article: a.seq,
                    value: 3.0,
                    unit: Some("قتلى".into()),
                    text: "3 قتلى".into(),
                },
                FigureWrite {
                    article: b.seq,
                    value: 5.0,
                    unit: Some("قتلى".into()),
                    text: "5 قتلى".into(),
                },
                FigureWrite {
                    article: b.seq,
                    value: 2021.0,
                    unit: Some(String::new()),
                    text: "2021".into(),
                },
            ],
        };
        archive.apply_facts_batch(&batch).unwrap();
        (a, b)
    }

    #[test]
    fn entities_are_listed_most_mentioned_first_with_aliases_and_filters() {
        let (_dir, mut archive) = open();
        two_outlets(&mut archive);
        let all = archive.entities(&EntityQuery::default()).unwrap();
        let names: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["جو بايدن", "الكاظمي"]);
        assert_eq!(
            (all[0].mentions, all[0].articles, all[0].stories),
            (3, 2, 0)
        );
        assert_eq!(all[0].aliases, vec!["بايدن".to_owned()]);
        let by_alias = EntityQuery {
            name: Some("بايدن".into()),
            ..EntityQuery::default()
        };
        assert_eq!(archive.entities(&by_alias).unwrap().len(), 1);
        let places = EntityQuery {
            kind: Some("loc".into()),
            ..EntityQuery::default()
        };
        assert!(archive.entities(&places).unwrap().is_empty());
        let second_page = EntityQuery {
            limit: Some(1),
            offset: 1,
            ..EntityQuery::default()
        };
        assert_eq!(archive.entities(&second_page).unwrap()[0].id, 2);
        assert_eq!(archive.next_entity_id().unwrap(), 3);
    }

    #[test]
    fn quotes_filter_by_speaker_id_name_and_article_newest_first() {
        let (_dir, mut archive) = open();
        let (a, b) = two_outlets(&mut archive);
        let all = archive.quotes(&QuoteQuery::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].article, b.id, "newest first");
        let by_id = QuoteQuery {
            speaker: Some("1".into()),
            ..QuoteQuery::default()
        };
        let got = archive.quotes(&by_id).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].speaker_name.as_deref(), Some("جو بايدن"));
        // Stored as text: escaping is the renderer's job.
        assert!(got[0].text.contains("<script>"));
        for name in ["بايدن", "المتحدث"] {
            let q = QuoteQuery {
                speaker: Some(name.into()),
                ..QuoteQuery::default()
            };
            assert_eq!(archive.quotes(&q).unwrap().len(), 1, "{name}");
        }
        let in_a = QuoteQuery {
            article: Some(a.id.clone()),
            ..QuoteQuery::default()
        };
        assert_eq!(archive.quotes(&in_a).unwrap()[0].article, a.id);
    }

    #[test]
    fn article_facts_and_entity_detail_read_back() {
        let (_dir, mut archive) = open();
        let (a, _) = two_outlets(&mut archive);
        let facts = archive.article_facts(&a.id).unwrap().unwrap();
        let texts: Vec<&str> = facts.entities.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, vec!["الرئيس جو بايدن", "بايدن"]);
        assert!(facts.entities.iter().all(|m| m.name == "جو بايدن"));
        assert_eq!(facts.quotes.len(), 1);
        assert_eq!(facts.figures.len(), 2);
        assert!(archive.article_facts("لا-يوجد").unwrap().is_none());
        assert_eq!(archive.entity_ids_of(&a.id).unwrap(), vec![1]);
        let biden = archive.entity(1).unwrap().unwrap();
        assert_eq!(biden.entity.name, "جو بايدن");
        assert_eq!(biden.quotes.len(), 1);
        assert!(biden.stories.is_empty());
        assert!(archive.entity(99).unwrap().is_none());
        assert!(archive.story_facts(1).unwrap().is_none());
    }

    #[test]
    fn renames_and_the_linker_state_round_trip() {
        let (_dir, mut archive) = open();
        let (a, _) = two_outlets(&mut archive);
        let batch = FactsBatch {
            renamed: vec![RenamedEntity {
                id: 2,
                name: "مصطفى الكاظمي".into(),
                key: "مصطفي الكاظمي".into(),
            }],
            aliases: vec![
                NewAliasRow {
                    key: "مصطفي الكاظمي".into(),
                    entity: 2,
                    alias: "مصطفى الكاظمي".into(),
                },
                // An already stored key keeps its entity.
                NewAliasRow {
                    key: "بايدن".into(),
                    entity: 2,
                    alias: "بايدن".into(),
                },
            ],
            ..FactsBatch::default()
        };
        archive.apply_facts_batch(&batch).unwrap();
        let stored = archive.linker_entities().unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[1].name, "مصطفى الكاظمي");
        assert_eq!(stored[1].key, "مصطفي الكاظمي");
        let keys: Vec<&str> = stored[0].aliases.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["جو بايدن", "بايدن"]);
        assert_eq!(stored[1].aliases.len(), 2);
        // Rewriting an article's facts replaces them; counts follow.
        let again = FactsBatch {
            articles: vec![a.seq],
            mentions: vec![mention(a.seq, 2, "الكاظمي", "PERS", 0)],
            ..FactsBatch::default()
        };
        archive.apply_facts_batch(&again).unwrap();
        let biden = archive.entity(1).unwrap().unwrap().entity;
        assert_eq!((biden.mentions, biden.articles), (1, 1));
        assert!(archive
            .article_facts(&a.id)
            .unwrap()
            .unwrap()
            .quotes
            .is_empty());
    }

    #[test]
    fn a_new_version_drops_the_old_versions_facts() {
        let (_dir, mut archive) = open();
        let (a, _) = two_outlets(&mut archive);
        let v2 = store(
            &mut archive,
            "https://a.example/1",
            "الغارديان",
            "2021-07-26",
            "نص معدل",
        );
        let batch = FactsBatch {
            articles: vec![v2.seq],
            mentions: vec![mention(v2.seq, 2, "الكاظمي", "PERS", 5)],
            ..FactsBatch::default()
        };
        archive.apply_facts_batch(&batch).unwrap();
        let old = archive.article_facts(&a.id).unwrap().unwrap();
        assert!(old.entities.is_empty() && old.quotes.is_empty() && old.figures.is_empty());
        let biden = archive.entity(1).unwrap().unwrap().entity;
        assert_eq!((biden.mentions, biden.articles), (1, 1));
        let kadhimi = archive.entity(2).unwrap().unwrap().entity;
        assert_eq!(kadhimi.mentions, 2);
        assert_eq!(archive.quotes(&QuoteQuery::default()).unwrap().len(), 1);
    }

    #[test]
    fn the_facts_version_tells_empty_unknown_and_recorded_apart_and_clearing_resets_it() {
        let (_dir, mut archive) = open();
        assert_eq!(
            archive.stored_facts_version().unwrap(),
            StoredFactsVersion::Empty
        );
        archive.set_facts_version(7).unwrap();
        archive.set_facts_version(8).unwrap();
        assert_eq!(
            archive.stored_facts_version().unwrap(),
            StoredFactsVersion::Version(8)
        );
        archive.clear_facts().unwrap();
        // Facts written with no version recorded: an archive from before schema 4.
        let (a, _) = two_outlets(&mut archive);
        assert_eq!(
            archive.stored_facts_version().unwrap(),
            StoredFactsVersion::Unknown
        );
        archive.clear_facts().unwrap();
        assert_eq!(
            archive.stored_facts_version().unwrap(),
            StoredFactsVersion::Empty
        );
        let facts = archive.article_facts(&a.id).unwrap().unwrap();
        assert!(facts.entities.is_empty() && facts.quotes.is_empty() && facts.figures.is_empty());
        assert!(archive
            .entities(&EntityQuery::default())
            .unwrap()
            .is_empty());
        assert_eq!(archive.next_entity_id().unwrap(), 1);
        // The articles stay, waiting for new facts.
        assert_eq!(archive.articles_without_facts(0, 10).unwrap().0.len(), 2);
    }

    #[test]
    fn story_facts_gather_entities_quotes_and_figures_of_its_articles() {
        let (_dir, mut archive) = open();
        let (a, b) = two_outlets(&mut archive);
        archive
            .db
            .execute_batch(&format!(
                "INSERT INTO stories (id, headline, size, updated) VALUES (7, 'بايدن والكاظمي', 2, 0);
                 INSERT INTO story_members (article, story) VALUES ({}, 7), ({}, 7);",
                a.seq, b.seq
            ))
            .unwrap();
        let facts = archive.story_facts(7).unwrap().unwrap();
        let counts: Vec<(i64, u64)> = facts.entities.iter().map(|e| (e.id, e.mentions)).collect();
        assert_eq!(counts, vec![(1, 3), (2, 1)]);
        assert_eq!(facts.quotes.len(), 2);
        assert!(facts.quotes.iter().all(|q| q.story == Some(7)));
        let units: Vec<(&str, bool)> = facts
            .figures
            .iter()
            .map(|f| (f.unit.as_deref().unwrap(), f.agree))
            .collect();
        assert_eq!(units, vec![("جندي", true), ("قتلى", false)]);
        let outlets: Vec<&str> = facts.figures[0]
            .by_outlet
            .iter()
            .map(|o| o.source.as_str())
            .collect();
        assert_eq!(
            outlets,
            vec!["الغارديان", "شفق نيوز"],
            "first published first"
        );
        let biden = archive.entity(1).unwrap().unwrap();
        assert_eq!(biden.entity.stories, 1);
        assert_eq!((biden.stories[0].id, biden.stories[0].mentions), (7, 3));
        let in_story = QuoteQuery {
            story: Some(7),
            ..QuoteQuery::default()
        };
        assert_eq!(archive.quotes(&in_story).unwrap().len(), 2);
    }

    #[test]
    fn figures_across_outlets_tell_agreement_from_disagreement() {
        let rows = vec![
            (
                "الغارديان".into(),
                "جندي".into(),
                2500.0,
                "2500 جندي".into(),
            ),
            ("الغارديان".into(), "قتلى".into(), 3.0, "3 قتلى".into()),
            ("شفق نيوز".into(), "جندي".into(), 2500.0, "٢٥٠٠ جندي".into()),
            ("شفق نيوز".into(), "قتلى".into(), 5.0, "5 قتلى".into()),
            ("شفق نيوز".into(), "جندي".into(), 2500.0, "2500 جندي".into()),
            ("هيا".into(), "صاروخ".into(), 4.0, "4 صواريخ".into()),
        ];
        let got = figures_across_outlets(rows);
        let units: Vec<&str> = got.iter().map(|f| f.unit.as_deref().unwrap()).collect();
        assert_eq!(units, vec!["جندي", "قتلى", "صاروخ"]);
        assert!(got[0].agree);
        assert_eq!(got[0].by_outlet[1].values, vec![2500.0]);
        assert_eq!(got[0].by_outlet[1].texts.len(), 2);
        assert!(!got[1].agree);
        assert!(got[2].agree, "one outlet agrees with itself");
    }
}
