//! Reading the archive: filtered article listings, one article with its
//! duplicate group and versions, counts for `rasd stats`, and a streaming
//! walk for export. In: an [`Archive`] and a query. Out: serde-ready rows.

use crate::archive::Archive;
use crate::db::{params, DbResult, Row, ToParam, Value, VisitError};
use crate::error::StoreError;
use serde::Serialize;

/// Which articles to list. Dates compare on the `YYYY-MM-DD` day of `published`.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    /// Only this outlet (exact `source`).
    pub source: Option<String>,
    /// Published on or after this day.
    pub since: Option<String>,
    /// Published on or before this day.
    pub until: Option<String>,
    pub limit: Option<u64>,
    pub offset: u64,
    /// Also list superseded versions.
    pub all_versions: bool,
}

/// An article as stored, with its duplicate group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredArticle {
    pub id: String,
    pub url: Option<String>,
    pub path: Option<String>,
    pub title: Option<String>,
    pub body: String,
    pub published: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
    pub version: u32,
    /// The canonical article's id of its duplicate group.
    pub duplicate_group: Option<String>,
}

/// One member of a duplicate group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupMember {
    pub id: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// How it joined: `new` (founded the group), `exact` or `near`.
    pub kind: String,
    pub similarity: Option<f64>,
    pub canonical: bool,
}

/// A duplicate group: its canonical article and every copy with outlet and date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateGroup {
    pub canonical: String,
    pub members: Vec<GroupMember>,
}

/// One stored version of an article's slot (page, position).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionInfo {
    pub id: String,
    pub version: u32,
    pub superseded: bool,
    pub created: i64,
}

/// An article with its group and version history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleDetail {
    #[serde(flatten)]
    pub article: StoredArticle,
    pub superseded: bool,
    pub group: Option<DuplicateGroup>,
    pub versions: Vec<VersionInfo>,
}

/// A label and how many articles carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub key: Option<String>,
    pub articles: u64,
}

/// Archive-wide counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Current articles (latest versions).
    pub articles: u64,
    /// Every stored version, superseded included.
    pub versions: u64,
    pub pages: u64,
    pub duplicate_groups: u64,
    /// Current articles in a group of two or more.
    pub articles_in_duplicate_groups: u64,
    /// Share of current articles that are copies of another: 1 − groups ÷ articles.
    pub duplicate_ratio: f64,
    pub ingest_runs: u64,
    /// Ingest runs that never finished (killed or crashed).
    pub unfinished_runs: u64,
    /// Per-record errors summed over finished ingest runs.
    pub errors: u64,
    pub by_source: Vec<Count>,
    pub by_lang: Vec<Count>,
    pub by_day: Vec<Count>,
    pub schema_version: i64,
}

const ARTICLE_COLUMNS: &str =
    "a.id, a.url, a.path, a.title, a.body, a.published, a.source, a.lang, a.version, d.group_id";

fn article_from_row(r: &Row) -> DbResult<StoredArticle> {
    Ok(StoredArticle {
        id: r.get(0)?,
        url: r.get(1)?,
        path: r.get(2)?,
        title: r.get(3)?,
        body: r.get(4)?,
        published: r.get(5)?,
        source: r.get(6)?,
        lang: r.get(7)?,
        version: r.get(8)?,
        duplicate_group: r.get(9)?,
    })
}

impl Archive {
    /// Articles matching `query`, newest published first (undated last), then by id.
    pub fn articles(&self, query: &ArticleQuery) -> Result<Vec<StoredArticle>, StoreError> {
        let mut out = Vec::new();
        self.for_each_article(query, |a| {
            out.push(a);
            Ok::<(), StoreError>(())
        })?;
        Ok(out)
    }

    /// Calls `visit` on each article matching `query` without collecting them.
    pub fn for_each_article<E: From<StoreError>>(
        &self,
        query: &ArticleQuery,
        mut visit: impl FnMut(StoredArticle) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a LEFT JOIN duplicates d ON d.article = a.seq WHERE TRUE"
        );
        let mut values: Vec<Value> = Vec::new();
        if !query.all_versions {
            sql.push_str(" AND a.superseded = 0");
        }
        if let Some(source) = &query.source {
            sql.push_str(" AND a.source = ?");
            values.push(Value::Text(source.clone()));
        }
        if let Some(since) = &query.since {
            sql.push_str(" AND substr(a.published, 1, 10) >= ?");
            values.push(Value::Text(since.clone()));
        }
        if let Some(until) = &query.until {
            sql.push_str(" AND substr(a.published, 1, 10) <= ?");
            values.push(Value::Text(until.clone()));
        }
        sql.push_str(" ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ? OFFSET ?");
        values.push(Value::Int(
            query
                .limit
                .map_or(i64::MAX, |l| l.min(i64::MAX as u64) as i64),
        ));
        values.push(Value::Int(query.offset.min(i64::MAX as u64) as i64));
        let values: Vec<&dyn ToParam> = values.iter().map(|v| v as &dyn ToParam).collect();
        let walked = self.db.for_each(&sql, &values, |row| {
            visit(article_from_row(&row)?).map_err(VisitError::Visit)
        });
        match walked {
            Ok(()) => Ok(()),
            Err(VisitError::Db(e)) => Err(self.db_error(e).into()),
            Err(VisitError::Visit(e)) => Err(e),
        }
    }

    /// How many current articles the archive holds (what [`Archive::stats`]
    /// reports as `articles`, without its per-source and per-day counts).
    pub fn article_count(&self) -> Result<u64, StoreError> {
        self.db
            .query_row(
                "SELECT count(*) FROM articles WHERE superseded = 0",
                params![],
                |r| r.get::<i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.db_error(e))
    }

    /// One article by id (any version), with its duplicate group and versions.
    pub fn article(&self, id: &str) -> Result<Option<ArticleDetail>, StoreError> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS}, a.superseded, a.page_key, a.position
             FROM articles a LEFT JOIN duplicates d ON d.article = a.seq WHERE a.id = ?1"
        );
        let found = self
            .db
            .query_opt(&sql, params![id], |r| {
                Ok((
                    article_from_row(r)?,
                    r.get::<bool>(10)?,
                    r.get::<String>(11)?,
                    r.get::<u32>(12)?,
                ))
            })
            .map_err(|e| self.db_error(e))?;
        let Some((article, superseded, page_key, position)) = found else {
            return Ok(None);
        };
        let group = match &article.duplicate_group {
            Some(group) => Some(self.group(group)?),
            None => None,
        };
        let versions = self
            .db
            .query_map(
                "SELECT id, version, superseded, created FROM articles
                 WHERE page_key = ?1 AND position = ?2 ORDER BY version",
                params![page_key, position],
                |r| {
                    Ok(VersionInfo {
                        id: r.get(0)?,
                        version: r.get(1)?,
                        superseded: r.get(2)?,
                        created: r.get(3)?,
                    })
                },
            )
            .map_err(|e| self.db_error(e))?;
        Ok(Some(ArticleDetail {
            article,
            superseded,
            group,
            versions,
        }))
    }

    /// The members of the group whose canonical is `group`, canonical first,
    /// then by publication date.
    pub fn group(&self, group: &str) -> Result<DuplicateGroup, StoreError> {
        let members = self
            .db
            .query_map(
                "SELECT a.id, a.source, a.published, a.url, a.title, d.kind, d.similarity
                 FROM duplicates d JOIN articles a ON a.seq = d.article
                 WHERE d.group_id = ?1
                 ORDER BY a.id != ?1, a.published IS NULL, a.published, a.id",
                params![group],
                |r| {
                    let id: String = r.get(0)?;
                    Ok(GroupMember {
                        canonical: id == group,
                        id,
                        source: r.get(1)?,
                        published: r.get(2)?,
                        url: r.get(3)?,
                        title: r.get(4)?,
                        kind: r.get(5)?,
                        similarity: r.get(6)?,
                    })
                },
            )
            .map_err(|e| self.db_error(e))?;
        Ok(DuplicateGroup {
            canonical: group.to_string(),
            members,
        })
    }

    /// Counts by source, language and day, duplicate ratio, pages and errors.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<u64, StoreError> {
            self.db
                .query_row(sql, params![], |r| r.get::<i64>(0))
                .map(|n| n.max(0) as u64)
                .map_err(|e| self.db_error(e))
        };
        let articles = count("SELECT count(*) FROM articles WHERE superseded = 0")?;
        let duplicate_groups = count(
            "SELECT count(DISTINCT d.group_id) FROM duplicates d
             JOIN articles a ON a.seq = d.article WHERE a.superseded = 0",
        )?;
        let articles_in_duplicate_groups = count(
            "SELECT count(*) FROM duplicates d JOIN articles a ON a.seq = d.article
             WHERE a.superseded = 0 AND d.group_id IN (
                SELECT d2.group_id FROM duplicates d2 JOIN articles a2 ON a2.seq = d2.article
                WHERE a2.superseded = 0 GROUP BY d2.group_id HAVING count(*) > 1)",
        )?;
        let by = |expr: &str, order: &str| -> Result<Vec<Count>, StoreError> {
            let sql = format!(
                "SELECT {expr} AS k, count(*) AS n FROM articles WHERE superseded = 0
                 GROUP BY k ORDER BY {order}"
            );
            self.db
                .query_map(&sql, params![], |r| {
                    Ok(Count {
                        key: r.get(0)?,
                        articles: r.get::<i64>(1)?.max(0) as u64,
                    })
                })
                .map_err(|e| self.db_error(e))
        };
        let errors = {
            let summaries = self
                .db
                .query_map(
                    "SELECT summary FROM ingest_runs WHERE summary IS NOT NULL",
                    params![],
                    |r| r.get::<String>(0),
                )
                .map_err(|e| self.db_error(e))?;
            summaries
                .iter()
                .filter_map(|s| serde_json::from_str::<serde_json::Value>(s).ok())
                .filter_map(|v| v.get("errors").and_then(|e| e.get("total"))?.as_u64())
                .sum()
        };
        Ok(Stats {
            articles,
            versions: count("SELECT count(*) FROM articles")?,
            pages: count("SELECT count(*) FROM pages")?,
            duplicate_groups,
            articles_in_duplicate_groups,
            duplicate_ratio: if articles == 0 {
                0.0
            } else {
                1.0 - duplicate_groups as f64 / articles as f64
            },
            ingest_runs: count("SELECT count(*) FROM ingest_runs")?,
            unfinished_runs: count("SELECT count(*) FROM ingest_runs WHERE finished IS NULL")?,
            errors,
            // `x IS NULL DESC`: the NULL key first on both backends, as SQLite sorts it.
            by_source: by("source", "n DESC, source IS NULL DESC, k")?,
            by_lang: by("lang", "n DESC, lang IS NULL DESC, k")?,
            by_day: by(
                "substr(published, 1, 10)",
                "substr(published, 1, 10) IS NULL DESC, k",
            )?,
            schema_version: self.schema_version()?,
        })
    }
}
