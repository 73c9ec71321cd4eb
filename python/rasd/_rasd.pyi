"""Type stubs of the native module (crates/rasd-py/src/python.rs)."""

from typing import Iterator, List, Optional, Tuple

import pyarrow as pa

__version__: str

def extract(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Pages → articles.

    In: ``url`` (string, optional), ``html`` and/or ``text`` (per row the HTML
    when present, else the text dump), ``fetched`` and ``site`` (optional).
    Out: ``page`` (int64 input row), ``id``, ``url``, ``title``, ``body``,
    ``published``, ``source``, ``lang``, ``error`` — one row per article, and
    one row with ``error`` set (other article columns null) per page that
    gave none. Site templates are learned from the batch first.
    """

def signatures(
    batch: pa.RecordBatch,
    *,
    signed: bool = False,
    threshold: Optional[float] = None,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
) -> pa.RecordBatch:
    """``body`` → ``exact`` (32 hex digits, null for a body without words),
    ``words``, ``shingles`` (list<uint32>), ``minhash`` (list<uint32>),
    ``band_keys`` (list<uint64>), one row per input row.

    ``signed=True`` writes int64 / list<int32> / list<int64> with the same
    bits (Spark has no unsigned types). Defaults are the binary's
    (threshold 0.8, 20 bands × 5 rows).
    """

def verify_pairs(batch: pa.RecordBatch, *, threshold: Optional[float] = None) -> pa.RecordBatch:
    """Candidate pairs → verdicts: drops the shingle lists ``left`` and
    ``right``, keeps every other column and adds ``jaccard`` (float64): their
    exact Jaccard similarity when it reaches the threshold, else null."""

def group(
    batch: pa.RecordBatch,
    *,
    threshold: Optional[float] = None,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
) -> pa.RecordBatch:
    """Whole connected components → duplicate groups, as ``rasd dedup``.

    In: ``seq`` (int64 input position), ``published``, ``exact``,
    ``shingles``, ``minhash``; the batch must hold every member of each
    component it touches. Out, in ``seq`` order: ``seq``, ``canonical`` (the
    canonical's seq), ``relation`` (canonical | exact | near), ``size``,
    ``jaccard``.
    """

def cluster(batch: pa.RecordBatch, *, now: Optional[str] = None) -> pa.RecordBatch:
    """One time window → stories, as ``rasd cluster`` over the same articles.

    In: ``title``, ``body``, ``published``; optional ``id``, ``source``,
    ``lang``, ``group`` (a duplicate group: members share a story). Out, in
    input order: ``id`` (when given), ``story``, ``topic`` (int64, local to
    the batch), ``dateless``, ``future_date``, ``confidence`` (float64). ``now``
    is ``YYYY-MM-DD``.
    """

class ArchiveReader(Iterator[pa.RecordBatch]):
    """The article batches of one input file; see :func:`read_archive`."""

    def __iter__(self) -> "ArchiveReader": ...
    def __next__(self) -> pa.RecordBatch: ...
    def skipped(self) -> List[Tuple[str, int]]:
        """Records passed over on purpose so far (``not-content``,
        ``http-status``, ``not-text``, ``empty-payload``) with their counts."""

def read_archive(path: str, *, window: int = 2000, templates: bool = True) -> ArchiveReader:
    """One input file → its articles, one batch per ``window`` records.

    The file is read by rasd's input stage (WARC/WET archives with their
    gzip members, ``.gz``, HTML, text dumps, JSON Lines) and each window is
    extracted as ``rasd extract --window`` does (site templates learned per
    window when ``templates``). Columns: ``ordinal`` (int64, 1-based row
    number in the file, the order of ``rasd extract --format json``),
    ``id``, ``path`` (the record's origin, ``file#N``), ``url``, ``title``,
    ``body``, ``published``, ``source``, ``lang``, ``error``. A record that
    cannot be read (a truncated archive, a bad gzip member) or gives no
    article is one row with ``error`` set; the file goes on. ``ValueError``
    for a ``window`` outside 1..=1,000,000.
    """

def store_rows(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Articles → the archive rows ``rasd ingest`` writes for them.

    In: ``body``; optional ``input_id`` (the JSONL line's own ``id``),
    ``origin`` (``path#line``), ``url``, ``title``, ``published``,
    ``source``, ``lang``. Out, in input order: ``stored`` (false where
    ``rasd ingest``'s reader skips the line), ``id``, ``page_key``,
    ``content_hash``, ``body_key_hash``, ``url``, ``path``, the
    ``signatures`` blobs ``exact``, ``minhash``, ``shingles`` (binary, null
    for a body that never groups) and ``band_keys`` (list<int64>).
    """

def store_duplicates(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Whole duplicate components (``seq`` and :func:`store_rows`' input
    columns) → ``seq``, ``group_id``, ``kind`` (``new`` | ``exact`` |
    ``near``), ``similarity``: the archive's ``duplicates`` rows after the
    articles are ingested one by one in ``seq`` order.
    """
