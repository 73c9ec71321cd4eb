//! Opening an archive: a data directory's SQLite file (creating it,
//! checking it may be written, setting the connection's durability pragmas)
//! or a PostgreSQL database ([`OpenOptions::postgres`]), then bringing the
//! schema up to date. In: a directory and [`OpenOptions`]. Out: an [`Archive`].

use crate::db::{params, Db, DbError, PgTarget, RECONNECT_BUDGET};
use crate::error::StoreError;
use crate::schema::{postgres_migration, MIGRATIONS, POSTGRES_META, SCHEMA_VERSION};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The database file inside a data directory.
pub const ARCHIVE_FILE: &str = "archive.db";

/// `PRAGMA application_id` of a rasd archive: "rasd" in ASCII.
const APPLICATION_ID: i64 = 0x7261_7364;

/// SQLite's page size for new archives.
const PAGE_SIZE: u64 = 4096;

/// The advisory lock key migrations take on PostgreSQL ("rasd" + 2).
const MIGRATION_LOCK_KEY: i64 = 0x7261_7364_0002;

/// How to open an archive.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Create the directory and database when missing (writers do, readers don't).
    pub create: bool,
    /// Whether the caller will write. Readers open a read-only directory too.
    pub write: bool,
    /// How long to wait for another process's write lock before failing.
    pub lock_timeout: Duration,
    /// Refuse to grow the database beyond this many bytes ([`StoreError::Full`]; SQLite only).
    pub max_size_bytes: Option<u64>,
    /// A `postgres://USER@HOST:PORT/DB` URL: the archive lives in that
    /// PostgreSQL database instead of the data directory's SQLite file.
    pub postgres: Option<String>,
}

impl OpenOptions {
    /// For commands that add data: create when missing, wait 10 s for locks.
    pub fn writer() -> OpenOptions {
        OpenOptions {
            create: true,
            write: true,
            lock_timeout: Duration::from_secs(10),
            max_size_bytes: None,
            postgres: None,
        }
    }

    /// For commands that only read: the archive must exist.
    pub fn reader() -> OpenOptions {
        OpenOptions {
            create: false,
            write: false,
            ..OpenOptions::writer()
        }
    }
}

/// An open archive: one connection, to `DIR/archive.db` or to PostgreSQL.
pub struct Archive {
    pub(crate) db: Db,
    /// The data directory (with PostgreSQL: the process's local state only).
    pub(crate) path: PathBuf,
    pub(crate) lock_ms: u64,
    /// The PostgreSQL database, when the archive is there.
    pub(crate) postgres: Option<PgTarget>,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("path", &self.path)
            .field("postgres", &self.postgres.as_ref().map(|t| &t.display))
            .finish()
    }
}

impl Archive {
    /// Opens (and with `create`, creates) the archive in `dir`, or in the
    /// PostgreSQL database `options.postgres` names.
    pub fn open(dir: &Path, options: &OpenOptions) -> Result<Archive, StoreError> {
        if let Some(url) = &options.postgres {
            return Archive::open_postgres(url, dir, options);
        }
        let io = |source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        };
        if !dir.exists() {
            if !options.create {
                return Err(StoreError::Missing {
                    path: dir.to_path_buf(),
                });
            }
            std::fs::create_dir_all(dir).map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    StoreError::ReadOnly {
                        path: dir.to_path_buf(),
                    }
                }
                _ => io(e),
            })?;
        }
        let meta = std::fs::metadata(dir).map_err(io)?;
        if !meta.is_dir() {
            return Err(io(std::io::Error::other("not a directory")));
        }
        let path = dir.join(ARCHIVE_FILE);
        let exists = path.exists();
        if !exists && !options.create {
            return Err(StoreError::Missing {
                path: dir.to_path_buf(),
            });
        }
        // Permission bits are checked ourselves, not left to the OS: a
        // directory marked read-only stays untouched even for root, who
        // would otherwise be let through.
        let dir_read_only = meta.permissions().readonly()
            || (exists
                && std::fs::metadata(&path)
                    .map_err(io)?
                    .permissions()
                    .readonly());
        if options.write && dir_read_only {
            return Err(StoreError::ReadOnly {
                path: dir.to_path_buf(),
            });
        }
        let writable = !dir_read_only;
        let flags = if writable {
            let mut f = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            if options.create {
                f |= OpenFlags::SQLITE_OPEN_CREATE;
            }
            f
        } else {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let lock_ms = options.lock_timeout.as_millis().min(u64::MAX as u128) as u64;
        let sqlite = |e| StoreError::from_sqlite(dir, e, lock_ms);
        let conn = Connection::open_with_flags(&path, flags).map_err(sqlite)?;
        conn.busy_timeout(options.lock_timeout).map_err(sqlite)?;
        let mut archive = Archive {
            db: Db::sqlite(conn),
            path: dir.to_path_buf(),
            lock_ms,
            postgres: None,
        };
        archive.configure(writable, options)?;
        Ok(archive)
    }

    /// Opens the archive in the PostgreSQL database at `url`
    /// (`postgres://USER[:PASSWORD]@HOST:PORT/DB`), migrating its schema
    /// when `options.write`; `local_dir` holds this process's local state.
    pub fn open_postgres(
        url: &str,
        local_dir: &Path,
        options: &OpenOptions,
    ) -> Result<Archive, StoreError> {
        let target = PgTarget::parse(url).map_err(|message| StoreError::BadRecord {
            path: PathBuf::from("--store"),
            record: "postgres URL".into(),
            message,
        })?;
        let started = Instant::now();
        // A server that is starting (or restarting) refuses connections for
        // a moment: retry within the lock timeout.
        let db = loop {
            match Db::postgres(target.clone()) {
                Ok(db) => break db,
                Err(e)
                    if e.is_connection_lost()
                        && started.elapsed() < options.lock_timeout.min(RECONNECT_BUDGET) =>
                {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(DbError::Postgres(source)) => {
                    return Err(StoreError::Postgres {
                        target: target.display,
                        source,
                    })
                }
                Err(other) => {
                    return Err(StoreError::BadRecord {
                        path: PathBuf::from(&target.display),
                        record: "connection".into(),
                        message: other.to_string(),
                    })
                }
            }
        };
        let mut archive = Archive {
            db,
            path: local_dir.to_path_buf(),
            lock_ms: options.lock_timeout.as_millis().min(u64::MAX as u128) as u64,
            postgres: Some(target),
        };
        let version = archive.schema_version()?;
        if version > SCHEMA_VERSION {
            return Err(archive.newer_schema(version));
        }
        if version < SCHEMA_VERSION {
            if !options.write {
                return Err(archive.needs_upgrade(version));
            }
            archive.migrate()?;
        }
        Ok(archive)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.path
    }

    /// Where the archive is, for messages: the data directory or the
    /// PostgreSQL database (`postgres://user@host:port/db`, no password).
    pub fn location(&self) -> String {
        match &self.postgres {
            Some(target) => target.display.clone(),
            None => self.path.display().to_string(),
        }
    }

    /// Whether the archive lives in PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// The error a user can act on for a database failure.
    pub(crate) fn db_error(&self, err: DbError) -> StoreError {
        match err {
            DbError::Sqlite(e) => StoreError::from_sqlite(&self.path, e, self.lock_ms),
            DbError::Postgres(source) => StoreError::Postgres {
                target: self.location(),
                source,
            },
            other => StoreError::BadRecord {
                path: PathBuf::from(self.location()),
                record: "query".into(),
                message: other.to_string(),
            },
        }
    }

    /// Runs `work` in one write transaction. On PostgreSQL a connection
    /// lost midway (the server restarted) rolls the transaction back; it is
    /// reopened with backoff and `work` runs again, for at most
    /// [`RECONNECT_BUDGET`], so nothing is lost or written twice.
    pub(crate) fn write_transaction<T>(
        &self,
        mut work: impl FnMut(&Db) -> Result<T, DbError>,
    ) -> Result<T, StoreError> {
        let started = Instant::now();
        let mut wait = Duration::from_millis(100);
        loop {
            match self.db.write_transaction(&mut work) {
                Err(e) if e.is_connection_lost() && started.elapsed() < RECONNECT_BUDGET => {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_secs(2));
                }
                other => return other.map_err(|e| self.db_error(e)),
            }
        }
    }

    fn newer_schema(&self, found: i64) -> StoreError {
        StoreError::NewerSchema {
            path: PathBuf::from(self.location()),
            found,
            supported: SCHEMA_VERSION,
        }
    }

    fn needs_upgrade(&self, version: i64) -> StoreError {
        StoreError::BadRecord {
            path: PathBuf::from(self.location()),
            record: "schema".into(),
            message: format!(
                "archive schema version {version} needs an upgrade to {SCHEMA_VERSION}, \
                 which a read-only opening does not allow"
            ),
        }
    }

    fn configure(&mut self, writable: bool, options: &OpenOptions) -> Result<(), StoreError> {
        let app_id: i64 = self
            .db
            .query_row("PRAGMA application_id", params![], |r| r.get(0))
            .map_err(|e| self.db_error(e))?;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                message: format!("application id {app_id:#x} is not rasd's"),
            });
        }
        let version = self.schema_version()?;
        if version > SCHEMA_VERSION {
            return Err(self.newer_schema(version));
        }
        self.db
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(|e| self.db_error(e))?;
        if let Some(bytes) = options.max_size_bytes {
            let pages = (bytes / PAGE_SIZE).max(1);
            self.db
                .query_row(
                    &format!("PRAGMA max_page_count = {pages}"),
                    params![],
                    |_| Ok(()),
                )
                .map_err(|e| self.db_error(e))?;
        }
        if !writable {
            if version < SCHEMA_VERSION {
                return Err(self.needs_upgrade(version));
            }
            return Ok(());
        }
        let mode: String = self
            .db
            .query_row("PRAGMA journal_mode", params![], |r| r.get(0))
            .map_err(|e| self.db_error(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.db
                .query_row("PRAGMA journal_mode = WAL", params![], |_| Ok(()))
                .map_err(|e| self.db_error(e))?;
        }
        // A writer touches the LSH band index at random keys; with SQLite's
        // default 2 MiB page cache most band inserts re-read and spill pages
        // (system time dominated ingest). 64 MiB holds the whole index of a
        // corpus of tens of thousands of articles; the cache grows only as used.
        self.db
            .execute_batch("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;")
            .map_err(|e| self.db_error(e))?;
        if version < SCHEMA_VERSION {
            self.migrate()?;
        }
        Ok(())
    }

    /// The schema version recorded in the database (SQLite: `PRAGMA
    /// user_version`; PostgreSQL: the `rasd_meta` table, 0 when absent).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        let version = if self.db.is_postgres() {
            self.db
                .query_opt(
                    "SELECT value FROM rasd_meta WHERE key = 'user_version'",
                    params![],
                    |r| r.get(0),
                )
                .map(Option::unwrap_or_default)
                .or_else(|e| match e {
                    // No rasd_meta table: an empty database.
                    DbError::Postgres(ref pg) if pg.code().is_some_and(|c| c.code() == "42P01") => {
                        Ok(0)
                    }
                    e => Err(e),
                })
        } else {
            self.db
                .query_row("PRAGMA user_version", params![], |r| r.get(0))
        };
        version.map_err(|e| self.db_error(e))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let postgres = self.db.is_postgres();
        let outcome = self.write_transaction(|db| {
            // Another process may have migrated while we waited for the lock.
            let version: i64 = if postgres {
                db.execute_batch(&format!(
                    "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY}); {POSTGRES_META}"
                ))?;
                db.query_row(
                    "SELECT coalesce((SELECT value FROM rasd_meta WHERE key = 'user_version'), 0)",
                    params![],
                    |r| r.get(0),
                )?
            } else {
                db.query_row("PRAGMA user_version", params![], |r| r.get(0))?
            };
            if version > SCHEMA_VERSION {
                return Ok(Err(version));
            }
            for (done, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
                if postgres {
                    db.execute_batch(&postgres_migration(sql))?;
                    db.execute(
                        "INSERT INTO rasd_meta (key, value) VALUES ('user_version', ?1)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        params![done as i64 + 1],
                    )?;
                } else {
                    db.execute_batch(sql)?;
                    db.execute_batch(&format!("PRAGMA user_version = {}", done + 1))?;
                }
            }
            if postgres {
                db.execute(
                    "INSERT INTO rasd_meta (key, value) VALUES ('application_id', ?1)
                     ON CONFLICT (key) DO NOTHING",
                    params![APPLICATION_ID],
                )?;
            } else {
                db.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
            }
            Ok(Ok(()))
        })?;
        outcome.map_err(|found| self.newer_schema(found))
    }

    /// Records the start of an ingest run; returns its id.
    pub fn begin_run(&mut self, now: i64, inputs: &[String]) -> Result<i64, StoreError> {
        let inputs = serde_json::to_string(inputs).unwrap_or_else(|_| "[]".into());
        self.db
            .insert_returning(
                "INSERT INTO ingest_runs (started, inputs) VALUES (?1, ?2)",
                params![now, inputs],
                "id",
            )
            .map_err(|e| self.db_error(e))
    }

    /// Records the end of an ingest run and its summary.
    pub fn finish_run(
        &mut self,
        run: i64,
        now: i64,
        summary: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.db
            .execute(
                "UPDATE ingest_runs SET finished = ?1, summary = ?2 WHERE id = ?3",
                params![now, summary.to_string(), run],
            )
            .map_err(|e| self.db_error(e))?;
        Ok(())
    }

    /// Checks the database is sound: SQLite's `PRAGMA integrity_check`;
    /// on PostgreSQL (which checks its own pages) that it answers.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        if self.db.is_postgres() {
            return self
                .db
                .query_row("SELECT 1", params![], |r| r.get::<i64>(0))
                .map(drop)
                .map_err(|e| self.db_error(e));
        }
        let result: String = self
            .db
            .query_row("PRAGMA integrity_check", params![], |r| r.get(0))
            .map_err(|e| self.db_error(e))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                path: self.path.clone(),
                message: result,
            })
        }
    }

    /// The summary JSON of the latest finished ingest run, if any.
    pub fn last_run_summary(&self) -> Result<Option<serde_json::Value>, StoreError> {
        let text: Option<String> = self
            .db
            .query_opt(
                "SELECT summary FROM ingest_runs WHERE summary IS NOT NULL ORDER BY id DESC LIMIT 1",
                params![],
                |r| r.get(0),
            )
            .map_err(|e| self.db_error(e))?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_archive_is_wal_at_the_current_schema() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(&dir.path().join("أرشيف"), &OpenOptions::writer()).unwrap();
        assert_eq!(archive.schema_version().unwrap(), SCHEMA_VERSION);
        let mode: String = archive
            .db
            .query_row("PRAGMA journal_mode", params![], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        archive.integrity_check().unwrap();
    }

    #[test]
    fn reopening_keeps_the_schema_and_readers_need_an_archive() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Archive::open(dir.path(), &OpenOptions::reader()).unwrap_err();
        assert!(matches!(missing, StoreError::Missing { .. }), "{missing}");
        drop(Archive::open(dir.path(), &OpenOptions::writer()).unwrap());
        let reader = Archive::open(dir.path(), &OpenOptions::reader()).unwrap();
        assert_eq!(reader.schema_version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        drop(Archive::open(dir.path(), &OpenOptions::writer()).unwrap());
        let conn = Connection::open(dir.path().join(ARCHIVE_FILE)).unwrap();
        conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 5))
            .unwrap();
        drop(conn);
        let err = Archive::open(dir.path(), &OpenOptions::writer()).unwrap_err();
        assert!(matches!(err, StoreError::NewerSchema { .. }), "{err}");
        assert!(err.to_string().contains("newer"));
        let conn = Connection::open(dir.path().join(ARCHIVE_FILE)).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION + 5);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_as_such() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(ARCHIVE_FILE),
            "ليست قاعدة بيانات ".repeat(400),
        )
        .unwrap();
        let err = Archive::open(dir.path(), &OpenOptions::writer()).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_directory_is_refused_for_writing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        drop(Archive::open(&data, &OpenOptions::writer()).unwrap());
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
        let err = Archive::open(&data, &OpenOptions::writer()).unwrap_err();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    }
}
