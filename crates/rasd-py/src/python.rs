//! The `rasd` Python module: each function takes a `pyarrow.RecordBatch`
//! and returns one, through the Arrow C data interface (no copy of the
//! columns at the boundary). Errors become `ValueError` with the message of
//! [`BatchError`](crate::BatchError). The work runs with the GIL released.

use crate::columns::IntKind;
use crate::{archive, dedup, store, stories, BatchError};
use arrow_array::RecordBatch;
use arrow_pyarrow::PyArrowType;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rasd_dedup::DedupConfig;

type Batch = PyArrowType<RecordBatch>;

fn to_py(e: BatchError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// The dedup settings, starting from the binary's defaults.
fn dedup_config(threshold: Option<f64>, bands: Option<usize>, rows: Option<usize>) -> DedupConfig {
    let d = DedupConfig::default();
    DedupConfig {
        threshold: threshold.unwrap_or(d.threshold),
        bands: bands.unwrap_or(d.bands),
        rows: rows.unwrap_or(d.rows),
        ..d
    }
}

/// Pages (`url`, `html` | `text`, `fetched`, `site`) → articles.
#[pyfunction]
fn extract(py: Python<'_>, batch: Batch) -> PyResult<Batch> {
    let batch = batch.0;
    py.detach(|| crate::extract::extract(&batch))
        .map(PyArrowType)
        .map_err(to_py)
}

/// `body` → `exact`, `words`, `shingles`, `minhash`, `band_keys`.
#[pyfunction]
#[pyo3(signature = (batch, *, signed=false, threshold=None, bands=None, rows=None))]
fn signatures(
    py: Python<'_>,
    batch: Batch,
    signed: bool,
    threshold: Option<f64>,
    bands: Option<usize>,
    rows: Option<usize>,
) -> PyResult<Batch> {
    let batch = batch.0;
    let cfg = dedup_config(threshold, bands, rows);
    let kind = if signed {
        IntKind::Signed
    } else {
        IntKind::Unsigned
    };
    py.detach(|| dedup::signatures(&batch, &cfg, kind))
        .map(PyArrowType)
        .map_err(to_py)
}

/// Candidate pairs (`left`, `right` shingle lists) → `jaccard` (null below
/// the threshold).
#[pyfunction]
#[pyo3(signature = (batch, *, threshold=None))]
fn verify_pairs(py: Python<'_>, batch: Batch, threshold: Option<f64>) -> PyResult<Batch> {
    let batch = batch.0;
    let cfg = dedup_config(threshold, None, None);
    py.detach(|| dedup::verify_pairs(&batch, &cfg))
        .map(PyArrowType)
        .map_err(to_py)
}

/// Whole components (`seq`, `published`, `exact`, `shingles`, `minhash`) →
/// `seq`, `canonical`, `relation`, `size`, `jaccard`.
#[pyfunction]
#[pyo3(signature = (batch, *, threshold=None, bands=None, rows=None))]
fn group(
    py: Python<'_>,
    batch: Batch,
    threshold: Option<f64>,
    bands: Option<usize>,
    rows: Option<usize>,
) -> PyResult<Batch> {
    let batch = batch.0;
    let cfg = dedup_config(threshold, bands, rows);
    py.detach(|| dedup::group(&batch, &cfg))
        .map(PyArrowType)
        .map_err(to_py)
}

/// One time window of articles → `story`, `topic`, `dateless`,
/// `future_date` (and `id`), in input order. `now` is `YYYY-MM-DD`.
#[pyfunction]
#[pyo3(signature = (batch, *, now=None))]
fn cluster(py: Python<'_>, batch: Batch, now: Option<String>) -> PyResult<Batch> {
    let batch = batch.0;
    let now = match now {
        Some(text) => Some(
            rasd_cluster::time::parse_days(&text)
                .ok_or_else(|| PyValueError::new_err(format!("now {text:?} is not a date")))?,
        ),
        None => None,
    };
    py.detach(|| stories::cluster(&batch, now))
        .map(PyArrowType)
        .map_err(to_py)
}

/// Articles (`input_id`, `origin`, `url`, `title`, `body`, `published`,
/// `source`, `lang`) → the archive rows `rasd ingest` writes for them.
#[pyfunction]
fn store_rows(py: Python<'_>, batch: Batch) -> PyResult<Batch> {
    let batch = batch.0;
    py.detach(|| store::store_rows(&batch))
        .map(PyArrowType)
        .map_err(to_py)
}

/// Whole duplicate components (`seq` and the article columns) → `seq`,
/// `group_id`, `kind`, `similarity` as the archive's `duplicates` table.
#[pyfunction]
fn store_duplicates(py: Python<'_>, batch: Batch) -> PyResult<Batch> {
    let batch = batch.0;
    py.detach(|| store::store_duplicates(&batch))
        .map(PyArrowType)
        .map_err(to_py)
}

/// The articles of one input file, one batch per window of records
/// (`rasd.read_archive(path)`); see [`crate::archive`].
///
/// `unsendable`: the reader owns an open file stream that stays on the
/// Python thread that made it (Spark's Python workers are single-threaded).
#[pyclass(unsendable)]
struct ArchiveReader {
    windows: archive::ArchiveWindows,
    templates: bool,
    next_ordinal: i64,
}

#[pymethods]
impl ArchiveReader {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Batch>> {
        // Reading holds the GIL (the stream is not `Send`); extraction, the
        // costly part, runs without it.
        let Some(window) = self.windows.next_window() else {
            return Ok(None);
        };
        let templates = self.templates;
        let first = self.next_ordinal;
        let (batch, used) = py
            .detach(move || archive::extract_window(window, templates, first))
            .map_err(to_py)?;
        self.next_ordinal += used;
        Ok(Some(PyArrowType(batch)))
    }

    /// Records passed over on purpose so far, by reason.
    fn skipped(&self) -> Vec<(&'static str, u64)> {
        self.windows.skipped()
    }
}

/// One input file (WARC/WET, `.gz`, HTML, text, JSON Lines) → an iterator
/// of article batches, one per `window` records, as `rasd extract`.
#[pyfunction]
#[pyo3(signature = (path, *, window=archive::DEFAULT_WINDOW, templates=true))]
fn read_archive(
    path: std::path::PathBuf,
    window: usize,
    templates: bool,
) -> PyResult<ArchiveReader> {
    Ok(ArchiveReader {
        windows: archive::ArchiveWindows::open(&path, window).map_err(to_py)?,
        templates,
        next_ordinal: 1,
    })
}

/// The native module `rasd._rasd` (`rasd/__init__.py` re-exports it).
#[pymodule]
#[pyo3(name = "_rasd")]
fn rasd_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(signatures, m)?)?;
    m.add_function(wrap_pyfunction!(verify_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(group, m)?)?;
    m.add_function(wrap_pyfunction!(cluster, m)?)?;
    m.add_function(wrap_pyfunction!(read_archive, m)?)?;
    m.add_function(wrap_pyfunction!(store_rows, m)?)?;
    m.add_function(wrap_pyfunction!(store_duplicates, m)?)?;
    m.add_class::<ArchiveReader>()?;
    Ok(())
}
