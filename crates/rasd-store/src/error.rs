//! Errors of the archive: every variant names the data directory or the
//! record it is about, and the ones a user can act on (full disk, lock held,
//! newer schema, read-only directory) are told apart from plain SQLite errors.

use std::path::PathBuf;

/// What went wrong opening, reading or writing an archive.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory holds an archive written by a newer rasd.
    #[error(
        "{path}: archive schema version {found} is newer than this rasd supports ({supported}); \
         upgrade rasd (the archive was left untouched)"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// No archive exists at the path and the command does not create one.
    #[error("{path}: no archive here (run `rasd ingest --data {path} …` first)")]
    Missing { path: PathBuf },
    /// The data directory (or database file) may not be written.
    #[error("{path}: the data directory is read-only; cannot write the archive")]
    ReadOnly { path: PathBuf },
    /// The disk (or the configured size cap) is full; the current batch was rolled back.
    #[error(
        "{path}: the disk or the archive's size limit is full; the current batch was rolled back \
         and everything stored before it is intact"
    )]
    Full { path: PathBuf },
    /// Another process held the archive's write lock longer than the lock timeout.
    #[error(
        "{path}: the archive is locked by another process (waited {waited_ms} ms); \
         try again when it finishes"
    )]
    Locked { path: PathBuf, waited_ms: u64 },
    /// The file is not an SQLite database, or it is damaged.
    #[error("{path}: not a rasd archive or the database is damaged: {message}")]
    Corrupt { path: PathBuf, message: String },
    /// The data directory could not be created or inspected.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A stored value does not have the shape this version writes.
    #[error("{path}: record {record}: {message}")]
    BadRecord {
        path: PathBuf,
        record: String,
        message: String,
    },
    /// A PostgreSQL store failed or could not be reached (the target never names the password).
    #[error("{target}: {source}")]
    Postgres {
        target: String,
        #[source]
        source: postgres::Error,
    },
    /// Any other SQLite failure.
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// Maps an SQLite error to the variant a user can act on.
    pub(crate) fn from_sqlite(path: &std::path::Path, err: rusqlite::Error, busy_ms: u64) -> Self {
        use rusqlite::ErrorCode;
        let path = path.to_path_buf();
        if let rusqlite::Error::SqliteFailure(code, message) = &err {
            match code.code {
                ErrorCode::DiskFull => return StoreError::Full { path },
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                    return StoreError::Locked {
                        path,
                        waited_ms: busy_ms,
                    }
                }
                ErrorCode::ReadOnly => return StoreError::ReadOnly { path },
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                    return StoreError::Corrupt {
                        path,
                        message: message.clone().unwrap_or_else(|| code.to_string()),
                    }
                }
                _ => {}
            }
        }
        StoreError::Sqlite { path, source: err }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_full_maps_to_full_with_the_path() {
        let err = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let mapped = StoreError::from_sqlite(std::path::Path::new("/tmp/أرشيف"), err, 0);
        assert!(matches!(mapped, StoreError::Full { .. }));
        assert!(mapped.to_string().starts_with("/tmp/أرشيف: "));
    }

    #[test]
    fn busy_maps_to_locked_naming_the_wait() {
        let err = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        let mapped = StoreError::from_sqlite(std::path::Path::new("d"), err, 250);
        assert!(mapped.to_string().contains("250 ms"), "{mapped}");
    }
}
