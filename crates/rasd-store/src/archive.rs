//! Opening a data directory: creating it, checking it may be written,
//! setting the connection's durability pragmas and bringing the schema up to
//! date. In: a directory and [`OpenOptions`]. Out: an [`Archive`].

use crate::error::StoreError;
use crate::schema::{MIGRATIONS, SCHEMA_VERSION};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file inside a data directory.
pub const ARCHIVE_FILE: &str = "archive.db";

/// `PRAGMA application_id` of a rasd archive: "rasd" in ASCII.
const APPLICATION_ID: i64 = 0x7261_7364;

/// SQLite's page size for new archives.
const PAGE_SIZE: u64 = 4096;

/// How to open an archive.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Create the directory and database when missing (writers do, readers don't).
    pub create: bool,
    /// Whether the caller will write. Readers open a read-only directory too.
    pub write: bool,
    /// How long to wait for another process's write lock before failing.
    pub lock_timeout: Duration,
    /// Refuse to grow the database beyond this many bytes ([`StoreError::Full`]).
    pub max_size_bytes: Option<u64>,
}

impl OpenOptions {
    /// For commands that add data: create when missing, wait 10 s for locks.
    pub fn writer() -> OpenOptions {
        OpenOptions {
            create: true,
            write: true,
            lock_timeout: Duration::from_secs(10),
            max_size_bytes: None,
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

/// An open archive: one SQLite connection on `DIR/archive.db`.
pub struct Archive {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    pub(crate) lock_ms: u64,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive").field("path", &self.path).finish()
    }
}

impl Archive {
    /// Opens (and with `create`, creates) the archive in `dir`.
    pub fn open(dir: &Path, options: &OpenOptions) -> Result<Archive, StoreError> {
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
            conn,
            path: dir.to_path_buf(),
            lock_ms,
        };
        archive.configure(writable, options)?;
        Ok(archive)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.path
    }

    pub(crate) fn sqlite(&self, err: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, err, self.lock_ms)
    }

    fn configure(&mut self, writable: bool, options: &OpenOptions) -> Result<(), StoreError> {
        let app_id: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))?;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                message: format!("application id {app_id:#x} is not rasd's"),
            });
        }
        let version = self.schema_version()?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(|e| self.sqlite(e))?;
        if let Some(bytes) = options.max_size_bytes {
            let pages = (bytes / PAGE_SIZE).max(1);
            self.conn
                .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
                .map_err(|e| self.sqlite(e))?;
        }
        if !writable {
            if version < SCHEMA_VERSION {
                return Err(StoreError::BadRecord {
                    path: self.path.clone(),
                    record: "schema".into(),
                    message: format!(
                        "archive schema version {version} needs an upgrade to {SCHEMA_VERSION}, \
                         which a read-only data directory does not allow"
                    ),
                });
            }
            return Ok(());
        }
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                .map_err(|e| self.sqlite(e))?;
        }
        // A writer touches the LSH band index at random keys; with SQLite's
        // default 2 MiB page cache most band inserts re-read and spill pages
        // (system time dominated ingest). 64 MiB holds the whole index of a
        // corpus of tens of thousands of articles; the cache grows only as used.
        self.conn
            .execute_batch("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;")
            .map_err(|e| self.sqlite(e))?;
        if version < SCHEMA_VERSION {
            self.migrate()?;
        }
        Ok(())
    }

    /// The schema version recorded in the database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let lock_ms = self.lock_ms;
        let sqlite = |e| StoreError::from_sqlite(&path, e, lock_ms);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite)?;
        // Another process may have migrated while we waited for the lock.
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sqlite)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        for (done, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql).map_err(sqlite)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", done + 1))
                .map_err(sqlite)?;
        }
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))
            .map_err(sqlite)?;
        tx.commit().map_err(sqlite)
    }

    /// Records the start of an ingest run; returns its id.
    pub fn begin_run(&mut self, now: i64, inputs: &[String]) -> Result<i64, StoreError> {
        let inputs = serde_json::to_string(inputs).unwrap_or_else(|_| "[]".into());
        self.conn
            .execute(
                "INSERT INTO ingest_runs (started, inputs) VALUES (?1, ?2)",
                rusqlite::params![now, inputs],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records the end of an ingest run and its summary.
    pub fn finish_run(
        &mut self,
        run: i64,
        now: i64,
        summary: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE ingest_runs SET finished = ?1, summary = ?2 WHERE id = ?3",
                rusqlite::params![now, summary.to_string(), run],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    /// Runs SQLite's `PRAGMA integrity_check`; `Ok(())` when the database is sound.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))?;
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
            .conn
            .query_row(
                "SELECT summary FROM ingest_runs WHERE summary IS NOT NULL ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
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
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
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
