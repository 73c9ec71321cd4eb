"""rasd: Arabic news stages over Arrow record batches.

Each function takes a ``pyarrow.RecordBatch`` with named columns and returns
a new one, computed by the same Rust code as the ``rasd`` binary:

- :func:`extract`: pages (``url``, ``html`` | ``text``, ``fetched``) → articles.
- :func:`signatures`: ``body`` → ``exact``, ``words``, ``shingles``,
  ``minhash``, ``band_keys`` (identical to ``rasd dedup``'s).
- :func:`verify_pairs`: candidate pairs (``left``, ``right``) → ``jaccard``.
- :func:`group`: whole connected components → duplicate groups.
- :func:`cluster`: one time window → stories and topics.
- :func:`read_archive`: one input file (WARC/WET, HTML, text, JSONL) → its
  articles, one batch per window of records, as ``rasd extract``.
- :func:`store_rows`, :func:`store_duplicates`: articles → the archive rows
  ``rasd ingest`` writes for them (``python -m rasd_spark.load_postgres``).

See ``python/README.md`` for examples and ``docs/SPARK.md`` for the Spark job.
"""

from rasd._rasd import (
    ArchiveReader,
    __version__,
    cluster,
    extract,
    group,
    read_archive,
    signatures,
    store_duplicates,
    store_rows,
    verify_pairs,
)

__all__ = [
    "ArchiveReader",
    "__version__",
    "cluster",
    "extract",
    "group",
    "read_archive",
    "signatures",
    "store_duplicates",
    "store_rows",
    "verify_pairs",
]
