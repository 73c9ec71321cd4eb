//! Python bindings of rasd's pure stages over Arrow record batches: the
//! `rasd` wheel (built with maturin from `pyproject.toml`) that the Spark
//! backfill job (`python/rasd_spark/backfill.py`) runs inside `mapInArrow`.
//!
//! Input → output: an Arrow `RecordBatch` with named columns → a new
//! `RecordBatch`, one function per stage:
//!
//! - [`extract::extract`]: pages (`url`, `html` | `text`, `fetched`) → articles.
//! - [`dedup::signatures`]: `body` → exact hash, shingles, MinHash, LSH band
//!   keys, identical to what `rasd dedup` computes.
//! - [`dedup::verify_pairs`]: candidate pairs → exact Jaccard verdicts.
//! - [`dedup::group`]: whole connected components → the binary's groups.
//! - [`stories::cluster`]: one time window → story and topic assignments.
//! - [`store::store_rows`], [`store::store_duplicates`]: articles → the
//!   archive rows `rasd ingest` writes for them (for a bulk `COPY`).
//!
//! The functions here are plain Rust over `arrow-array` (tested by
//! `cargo test` with no Python); the `python` feature adds the PyO3 module
//! (`rasd`) that moves batches through the Arrow C data interface without
//! copying. Invariants: a stage's output depends only on its input batch
//! and its settings (no clock, no I/O, no globals); bad input is a
//! [`BatchError`] naming the column and row, never a panic.
//!
//! ```
//! use rasd_py::{columns, dedup, columns::IntKind};
//! use rasd_dedup::{band_keys, signature, DedupConfig};
//! let body = "أعلنت وزارة التعليم اليوم عن موعد بدء العام الدراسي الجديد في جميع المناطق";
//! let batch = columns::batch(vec![("body", columns::string_array([Some(body)]))]).unwrap();
//! let cfg = DedupConfig::default();
//! let out = dedup::signatures(&batch, &cfg, IntKind::Unsigned).unwrap();
//! let keys = out.column_by_name("band_keys").unwrap();
//! assert_eq!(keys.len(), 1);
//! assert_eq!(band_keys(&signature(body, &cfg), &cfg).len(), cfg.bands);
//! ```

pub mod archive;
pub mod columns;
pub mod dedup;
pub mod extract;
pub mod store;
pub mod stories;

#[cfg(feature = "python")]
mod python;

/// Why a batch could not be processed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BatchError {
    #[error("the batch has no column `{name}`")]
    MissingColumn { name: String },
    #[error("column `{name}` is {found}, expected {wanted}")]
    WrongType {
        name: String,
        found: String,
        wanted: String,
    },
    #[error("column `{name}`, row {row}: null where a value is required")]
    Null { name: String, row: usize },
    #[error("column `{name}`, row {row}: {reason}")]
    Value {
        name: String,
        row: usize,
        reason: String,
    },
    #[error("invalid settings: {0}")]
    Config(String),
    #[error("arrow: {0}")]
    Arrow(String),
}
