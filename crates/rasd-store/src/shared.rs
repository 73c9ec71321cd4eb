//! What several processes sharing one PostgreSQL archive need: the
//! clusterer lock (the stories and facts stages run in one process per
//! database), the articles no clusterer has placed yet, and the articles
//! stored since a watermark (for a server's local search index).
//!
//! In: an [`Archive`]. Out: a [`ClustererLock`] or article ids. On SQLite
//! the lock is always granted: the file's write lock already makes one writer.

use crate::archive::Archive;
use crate::db::{params, PgTarget};
use crate::error::StoreError;

/// The session-level advisory lock key of the clusterer ("rasd" + 3).
const CLUSTERER_LOCK_KEY: i64 = 0x7261_7364_0003;

/// The right to run the stories and facts stages on a database, held
/// until dropped. On PostgreSQL it lives on its own connection; a dropped
/// connection (server restart) loses it, which [`ClustererLock::held`] notices.
pub struct ClustererLock {
    postgres: Option<(PgTarget, Option<postgres::Client>)>,
}

impl std::fmt::Debug for ClustererLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClustererLock")
            .field("postgres", &self.postgres.as_ref().map(|(t, _)| &t.display))
            .finish()
    }
}

fn try_lock(client: &mut postgres::Client) -> Result<bool, postgres::Error> {
    client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&CLUSTERER_LOCK_KEY])
        .map(|row| row.get(0))
}

impl ClustererLock {
    /// Whether the lock is still this process's: after a lost connection it
    /// is taken again when free, else given up for good.
    pub fn held(&mut self) -> bool {
        let Some((target, client)) = &mut self.postgres else {
            return true;
        };
        let alive = client
            .as_mut()
            .is_some_and(|c| !c.is_closed() && c.simple_query("SELECT 1").is_ok());
        if alive {
            return true;
        }
        *client = None;
        if let Ok(mut fresh) = target.connect() {
            if try_lock(&mut fresh).unwrap_or(false) {
                *client = Some(fresh);
                return true;
            }
        }
        false
    }
}

impl Archive {
    /// Takes the clusterer lock when no other process holds it (`None` then).
    pub fn try_clusterer_lock(&self) -> Result<Option<ClustererLock>, StoreError> {
        let Some(target) = &self.postgres else {
            return Ok(Some(ClustererLock { postgres: None }));
        };
        let pg_error = |source| StoreError::Postgres {
            target: target.display.clone(),
            source,
        };
        let mut client = target.connect().map_err(pg_error)?;
        Ok(try_lock(&mut client)
            .map_err(pg_error)?
            .then(|| ClustererLock {
                postgres: Some((target.clone(), Some(client))),
            }))
    }

    /// Current articles that belong to no story yet (stored by a process
    /// that does not run the clusterer), in storage order, at most `limit`.
    pub fn unclustered_article_ids(&self, limit: usize) -> Result<Vec<String>, StoreError> {
        self.db
            .query_map(
                "SELECT a.id FROM articles a
                 WHERE a.superseded = 0
                   AND NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article = a.seq)
                 ORDER BY a.seq LIMIT ?1",
                params![limit],
                |r| r.get(0),
            )
            .map_err(|e| self.db_error(e))
    }

    /// Articles (any version) stored after storage position `after`, as
    /// (position, id) in storage order, at most `limit`: what a server's
    /// search index has not seen yet.
    pub fn articles_stored_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        self.db
            .query_map(
                "SELECT seq, id FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                params![after, limit],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.db_error(e))
    }

    /// The storage position of the latest stored article (0 when empty).
    pub fn last_stored_position(&self) -> Result<i64, StoreError> {
        self.db
            .query_row(
                "SELECT coalesce(max(seq), 0) FROM articles",
                params![],
                |r| r.get(0),
            )
            .map_err(|e| self.db_error(e))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Archive, ExactOnly, IngestItem, OpenOptions};
    use rasd_model::Article;

    #[test]
    fn sqlite_always_grants_the_lock_and_lists_unclustered_articles() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
        let mut lock = archive.try_clusterer_lock().unwrap().expect("granted");
        assert!(lock.held());
        let article = |url: &str, body: &str| Article {
            url: Some(url.into()),
            body: body.into(),
            ..Article::default()
        };
        let items = vec![
            IngestItem::from_article(article("https://a.sa/1", "خبر أول عن الرياض"), 0),
            IngestItem::from_article(article("https://a.sa/2", "خبر ثان عن جدة"), 0),
        ];
        let out = archive.ingest_batch(items, 0, &ExactOnly).unwrap();
        let ids: Vec<String> = out.iter().map(|o| o.id.clone()).collect();
        assert_eq!(archive.unclustered_article_ids(10).unwrap(), ids);
        assert_eq!(archive.unclustered_article_ids(1).unwrap(), ids[..1]);
        let after = archive.articles_stored_after(0, 10).unwrap();
        assert_eq!(after.len(), 2);
        assert_eq!(
            archive.articles_stored_after(after[0].0, 10).unwrap()[0].1,
            ids[1]
        );
        assert_eq!(archive.last_stored_position().unwrap(), after[1].0);
    }
}
