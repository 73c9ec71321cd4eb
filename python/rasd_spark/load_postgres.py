"""Bulk-load a Spark backfill (``rasd_spark.backfill --out``) into a rasd
archive on PostgreSQL with ``COPY``.

Usage::

    python -m rasd_spark.load_postgres --store postgres://user@host/db OUT_PARQUET
    rasd reindex --derived-only --store postgres://user@host/db   # digests, facts, search

What it does:

1. The schema comes from the binary: ``rasd reindex --derived-only`` on the
   empty database migrates it (``--rasd`` or ``$RASD_BIN``, else ``rasd`` on
   PATH). A database that already holds articles is refused (exit 2): the
   load numbers articles from 1 and does not dedup against stored ones.
2. The Parquet files are read one record batch at a time and merged on
   ``seq``, the binary's input order, so memory holds one batch per file
   (and the ids of the stories and topics written so far).
   ``rasd.store_rows`` (rasd-store's own code in the wheel) gives each
   article's id, page key, hashes, signature blobs and band keys; the
   duplicate rows are the job's ``store_group``/``store_kind``/
   ``store_similarity`` (``rasd.store_duplicates``), an article outside any
   component being its own group. Lines ``rasd ingest`` skips (no body and
   no title) are skipped; the others get storage positions 1, 2, … in
   ``seq`` order, as ``rasd ingest`` of the same files numbers them.
3. Every ``--batch`` articles, one transaction COPYs their rows into
   ``pages``, ``articles``, ``signatures``, ``lsh_bands``, ``duplicates``,
   new ``topics`` and ``stories`` (ids only) and ``story_members``. A
   failure rolls back that batch only and stops the load (rerun it on an
   emptied database).
4. The identity sequences are moved past the loaded ids, so a later
   ``rasd ingest --store`` numbers on, and one ``ingest_runs`` row records
   the load.

Story headlines, summaries, sizes, topic labels, facts and the search index
are the binary's to derive: ``rasd reindex --derived-only`` (the loader
runs it unless ``--no-derive``).
"""

from __future__ import annotations

import argparse
import glob
import heapq
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import pyarrow as pa
import pyarrow.parquet as pq

# The columns the load reads from the job's Parquet output.
COLUMNS = [
    "seq", "input_id", "origin", "url", "title", "body", "published", "source", "lang",
    "store_group", "store_kind", "store_similarity", "story", "topic", "dateless", "confidence",
]
# Rows per Parquet read (per file, so memory is files × this).
READ_ROWS = 2048
ARTICLE_COLUMNS = (
    "seq, id, page_id, page_key, position, version, superseded, content_hash, body_key_hash, "
    "title, body, published, source, lang, url, path, created"
)


class LoadError(Exception):
    """The load cannot start or go on (the message names the file or database)."""


@dataclass
class LoadSummary:
    articles: int = 0
    skipped: int = 0
    band_keys: int = 0
    duplicates: int = 0
    stories: int = 0
    topics: int = 0
    batches: int = 0
    seconds: float = 0.0
    derived: Optional[dict] = None
    derive_seconds: float = 0.0
    tables: Dict[str, int] = field(default_factory=dict)


def rasd_binary(given: Optional[str]) -> str:
    found = given or os.environ.get("RASD_BIN") or shutil.which("rasd")
    if not found:
        raise LoadError("no rasd binary: give --rasd or set RASD_BIN")
    return found


def run_rasd(binary: str, *args: str) -> dict:
    """Runs ``rasd … --format json``; its summary line."""
    done = subprocess.run([binary, *args, "--format", "json"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LoadError(f"{binary} {' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout.splitlines()[-1])


def _file_rows(path: str) -> Iterator[Tuple[int, dict]]:
    """One Parquet file → (seq, row) in seq order, with the archive's values
    from ``rasd.store_rows`` added, one record batch at a time."""
    import rasd

    pf = pq.ParquetFile(path)
    names = set(pf.schema_arrow.names)
    missing = [c for c in ("input_id", "origin", "store_group") if c not in names]
    if missing:
        raise LoadError(f"{path}: no {', '.join(missing)} column: rerun the backfill with this version")
    wanted = [c for c in COLUMNS if c in names]
    previous = None
    for batch in pf.iter_batches(batch_size=READ_ROWS, columns=wanted):
        stored = rasd.store_rows(batch)
        rows = batch.to_pylist()
        extra = stored.to_pylist()
        for row, values in zip(rows, extra):
            seq = row["seq"]
            if previous is not None and seq < previous:
                raise LoadError(f"{path}: rows are not sorted by seq (the job sorts each partition)")
            previous = seq
            row.update({"store_" + k: v for k, v in values.items()})
            yield seq, row


def _merged(paths: Sequence[str]) -> Iterator[dict]:
    """Every file's rows, merged in global seq order."""
    for _, row in heapq.merge(*(_file_rows(p) for p in paths), key=lambda item: item[0]):
        yield row


class _Batch:
    """The rows of one transaction, table by table."""

    def __init__(self) -> None:
        self.tables: Dict[str, List[tuple]] = {
            "pages": [], "articles": [], "signatures": [], "lsh_bands": [], "duplicates": [],
            "topics": [], "stories": [], "story_members": [],
        }

    def __len__(self) -> int:
        return len(self.tables["articles"])


TABLE_COLUMNS = {
    "pages": "id, page_key, content_hash, origin, url, site, fetched, first_seen",
    "articles": ARTICLE_COLUMNS,
    "signatures": "article, exact, minhash, shingles",
    "lsh_bands": "band_key, article",
    "duplicates": "article, group_id, kind, similarity",
    "topics": "id",
    "stories": "id, topic, updated",
    "story_members": "article, story, confidence, dateless",
}


def _write(conn, batch: _Batch, summary: LoadSummary) -> None:
    with conn.transaction():
        with conn.cursor() as cur:
            for table, rows in batch.tables.items():
                if not rows:
                    continue
                with cur.copy(f"COPY {table} ({TABLE_COLUMNS[table]}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                summary.tables[table] = summary.tables.get(table, 0) + len(rows)
    summary.batches += 1


def _refuse_stored_articles(dsn: str, conn=None) -> None:
    """Raises when the database already holds articles."""
    import psycopg

    own = conn is None
    conn = psycopg.connect(dsn) if own else conn
    try:
        if conn.execute("SELECT to_regclass('articles') IS NOT NULL").fetchone()[0]:
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            if stored:
                raise LoadError(f"{dsn}: the archive already holds {stored} articles; load into an empty database")
        conn.commit()
    finally:
        if own:
            conn.close()


def load(dsn: str, out: str, binary: str, batch_rows: int = 10_000, now: Optional[int] = None) -> LoadSummary:
    """Loads the Parquet output ``out`` into the empty archive at ``dsn``."""
    import psycopg

    started = time.monotonic()
    now = int(time.time()) if now is None else now
    paths = sorted(glob.glob(os.path.join(out, "*.parquet")))
    if not paths:
        raise LoadError(f"{out}: no Parquet files")
    # Refused before the binary touches it (it would derive a partial load).
    _refuse_stored_articles(dsn)
    # The schema is the binary's: migrating an empty database derives nothing.
    scratch = tempfile.mkdtemp(prefix="rasd-load-")
    try:
        run_rasd(binary, "reindex", "--derived-only", "--store", dsn, "--data", scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    summary = LoadSummary()
    with psycopg.connect(dsn) as conn:
        _refuse_stored_articles(dsn, conn)
        run_id = conn.execute(
            "INSERT INTO ingest_runs (started, inputs) VALUES (%s, %s) RETURNING id",
            (now, json.dumps([out])),
        ).fetchone()[0]
        conn.commit()
        seen_topics: set = set()
        seen_stories: set = set()
        batch = _Batch()
        seq = 0
        for row in _merged(paths):
            if not row["store_stored"]:
                summary.skipped += 1
                continue
            seq += 1
            t = batch.tables
            t["pages"].append((seq, row["store_page_key"], row["store_content_hash"], row["store_path"] or "",
                               row["store_url"], None, None, now))
            t["articles"].append((seq, row["store_id"], seq, row["store_page_key"], 0, 1, 0,
                                  row["store_content_hash"], row["store_body_key_hash"], row["title"],
                                  row["body"] or "", row["published"], row["source"], row["lang"],
                                  row["store_url"], row["store_path"], now))
            if row["store_exact"] is not None:
                t["signatures"].append((seq, row["store_exact"], row["store_minhash"], row["store_shingles"]))
                for key in row["store_band_keys"] or []:
                    t["lsh_bands"].append((key, seq))
                summary.band_keys += len(row["store_band_keys"] or [])
            if row.get("store_group") is not None:
                t["duplicates"].append((seq, row["store_group"], row["store_kind"], row["store_similarity"]))
            else:
                t["duplicates"].append((seq, row["store_id"], "new", None))
            story = row.get("story")
            if story is not None:
                topic = row["topic"]
                if topic not in seen_topics:
                    seen_topics.add(topic)
                    t["topics"].append((topic,))
                if story not in seen_stories:
                    seen_stories.add(story)
                    t["stories"].append((story, topic, now))
                confidence = row.get("confidence")
                t["story_members"].append((seq, story, 1.0 if confidence is None else confidence,
                                           1 if row.get("dateless") else 0))
            summary.articles += 1
            if len(batch) >= batch_rows:
                _write(conn, batch, summary)
                batch = _Batch()
        if len(batch):
            _write(conn, batch, summary)
        with conn.transaction():
            # Identity columns go on after the loaded ids (a live ingest numbers on).
            for table, column in (("pages", "id"), ("articles", "seq"), ("stories", "id"), ("topics", "id")):
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), m) "
                    f"FROM (SELECT max({column}) AS m FROM {table}) t WHERE m IS NOT NULL"
                )
        summary.duplicates = conn.execute(
            "SELECT count(*) FROM duplicates WHERE kind <> 'new'"
        ).fetchone()[0]
        summary.stories, summary.topics = len(seen_stories), len(seen_topics)
        summary.seconds = round(time.monotonic() - started, 2)
        conn.execute(
            "UPDATE ingest_runs SET finished = %s, summary = %s WHERE id = %s",
            (int(time.time()), json.dumps({"bulk_load": summary.__dict__}), run_id),
        )
        conn.commit()
    return summary


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="the backfill's Parquet output folder (backfill --out)")
    parser.add_argument("--store", required=True, help="postgres://USER@HOST:PORT/DB of an empty database")
    parser.add_argument("--rasd", help="the rasd binary (default: $RASD_BIN, else rasd on PATH)")
    parser.add_argument("--batch", type=int, default=10_000, help="articles per COPY transaction")
    parser.add_argument("--data", help="rasd --data folder for the search index the derive step builds")
    parser.add_argument("--no-derive", action="store_true",
                        help="do not run `rasd reindex --derived-only` after the load")
    args = parser.parse_args(argv)
    try:
        binary = rasd_binary(args.rasd)
        summary = load(args.store, args.out, binary, batch_rows=max(1, args.batch))
        if not args.no_derive:
            started = time.monotonic()
            data = ["--data", args.data] if args.data else []
            summary.derived = run_rasd(binary, "reindex", "--derived-only", "--store", args.store, *data)
            summary.derive_seconds = round(time.monotonic() - started, 2)
    except LoadError as e:
        print(f"rasd: {e}", file=sys.stderr)
        return 2
    print(json.dumps(summary.__dict__, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
