"""Spark backfill: JSONL articles (or WARC/WET/HTML pages) → deduplicated,
clustered articles in Parquet, with the Rust core doing every stage.

Steps (each stage's logic is rasd's Rust code, called through the ``rasd``
wheel inside ``mapInArrow`` / ``applyInArrow``):

1. **read**: one task per input file numbers its records; ``seq`` =
   ``file index << 40 | line number`` is the binary's input order.
2. **extract** (pages only): ``rasd.extract`` per batch of pages.
3. **sign**: ``rasd.signatures`` → exact hash, shingles, MinHash, band keys.
4. **candidates**: exact copies join their class's first member; class
   representatives are exploded by band key and shuffled, and every pair
   sharing a key is a candidate (the binary's LSH, key for key).
5. **verify**: ``rasd.verify_pairs`` keeps pairs whose exact Jaccard of
   shingle sets reaches the threshold.
6. **components**: iterative min-label propagation over the edges, in
   DataFrames (no graph package), until no label changes.
7. **groups**: each multi-member component goes whole to one task, where
   ``rasd.group`` splits it into the binary's stars (earliest ``published``
   canonical, undated last, ties by exact hash then input order).
8. **stories**: articles are cut into time windows of ``window_days`` (by
   ``published``, else ``date_extracted``; dateless articles join the
   latest window); ``rasd.cluster`` places each window in publication
   order. Story ids are ``window << 32 | local id``.
9. **write**: one Parquet dataset of articles with their group and story,
   and for the PostgreSQL load (``rasd_spark.load_postgres``) what
   ``rasd ingest`` stores of them: ``input_id``, ``origin`` and, for members
   of duplicate components, ``store_group``/``store_kind``/
   ``store_similarity`` (``rasd.store_duplicates``).

Usage::

    python -m rasd_spark.backfill --master 'local[2]' --out out/ corpus.jsonl.gz

The duplicate groups equal ``rasd dedup --format json`` over the same files
exactly (``python/tests/test_backfill.py`` checks it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence

import pyarrow as pa

# Bits of `seq` below the file index: up to 2^40 lines per file.
LINE_BITS = 40
# Rows per Arrow batch produced by the readers.
BATCH_ROWS = 2048
# Longest JSONL line read (as `rasd dedup`): bounds memory on hostile input.
MAX_LINE = 64 << 20
# Safety cap on label-propagation rounds (each round at least halves no
# distance, but dedup components are stars of diameter ≤ 4 in practice).
MAX_ROUNDS = 64
# Bad records printed on stderr; the rest are only counted.
MAX_REPORTED = 100

ARTICLE_SCHEMA = (
    "seq long, id string, url string, title string, body string, "
    "published string, date_extracted string, source string, lang string, error string, "
    "input_id string, origin string"
)
SIGNED_SCHEMA = (
    "seq long, exact string, words long, shingles array<int>, "
    "minhash array<int>, band_keys array<bigint>"
)
GROUP_SCHEMA = "seq long, canonical long, relation string, size long, jaccard double"
STORY_SCHEMA = "seq long, story long, topic long, dateless boolean, future_date boolean, confidence double"
# The archive's `duplicates` row of each article in a duplicate component,
# replayed as `rasd ingest` assigns groups (singletons: null, the loader
# writes them as their own group).
STORE_DUPLICATES_SCHEMA = "seq long, store_group string, store_kind string, store_similarity double"
# What `rasd ingest` reads of an article: the store's identity comes from these.
STORE_INPUT = ["seq", "input_id", "origin", "url", "title", "body", "published", "source", "lang"]


@dataclass
class Settings:
    """What a run can change; the defaults are the binary's."""

    partitions: int = 8
    window_days: int = 3650
    now: Optional[str] = None
    threshold: Optional[float] = None
    bands: Optional[int] = None
    rows: Optional[int] = None
    stories: bool = True
    group_stories: bool = False
    # Records per extraction window of page files and archives (templates
    # are learned per window), as `rasd extract --window`.
    extract_window: int = 2000
    # Test knob, off by default: each read task sleeps this long after each
    # file, so that a fault test can kill a worker while tasks are running.
    # A job on a small fixture otherwise ends before a kill can land.
    slow_task_ms: int = 0


# ---------------------------------------------------------------- reading


def _open(path: str):
    """A binary file, gunzipped when it starts with the gzip magic bytes."""
    raw = open(path, "rb")
    if raw.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)
    return raw


_ASCII_SPACE = b" \t\n\r\x0c"
_FIELDS = ("id", "url", "title", "body", "content", "published", "date_extracted", "source", "lang")


def _article_row(line: bytes) -> dict:
    """One JSONL line → an article row, by the rules of ``rasd dedup``:
    ``body`` else ``content``; ``id`` else ``url``; a field that is present
    but neither a string nor null makes the line bad (``ValueError``)."""
    record = json.loads(line.decode("utf-8"))
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    for field in _FIELDS:
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"`{field}` is not a string")
    body = record.get("body")
    if body is None:
        body = record.get("content")
    if body is None:
        raise ValueError("the article has neither `body` nor `content`")
    ident = record.get("id")
    if ident is None:
        ident = record.get("url")
    return {
        "id": ident,
        "input_id": record.get("id"),
        "url": record.get("url"),
        "title": record.get("title"),
        "body": body,
        "published": record.get("published"),
        "date_extracted": record.get("date_extracted"),
        "source": record.get("source"),
        "lang": record.get("lang"),
    }


def read_jsonl(file_index: int, path: str) -> Iterator[pa.RecordBatch]:
    """The articles of one JSONL file as batches; a bad line becomes a row
    with ``error`` set (and no body), counted and reported by the driver."""
    columns = ARTICLE_SCHEMA_NAMES
    rows: List[dict] = []
    with _open(path) as f:
        line_no = 0
        while True:
            line = f.readline(MAX_LINE + 1)
            if not line:
                break
            line_no += 1
            seq = (file_index << LINE_BITS) | line_no
            if len(line) > MAX_LINE and not line.endswith(b"\n"):
                while True:  # skip the rest of an over-long line
                    rest = f.readline(1 << 20)
                    if not rest or rest.endswith(b"\n"):
                        break
                rows.append({"seq": seq, "error": f"{path}:{line_no}: line longer than {MAX_LINE} bytes"})
            elif line.strip(_ASCII_SPACE):
                try:
                    row = _article_row(line)
                    if not row["id"]:
                        row["id"] = f"{path}:{line_no}"
                    row["seq"] = seq
                    # `rasd ingest`'s origin of the line (the store's page key
                    # when the line has neither url nor id).
                    row["origin"] = f"{path}#{line_no}"
                    rows.append(row)
                except (ValueError, UnicodeDecodeError) as e:
                    rows.append({"seq": seq, "error": f"{path}:{line_no}: {e}"})
            if len(rows) >= BATCH_ROWS:
                yield _rows_batch(rows, columns)
                rows = []
    if rows:
        yield _rows_batch(rows, columns)


ARTICLE_SCHEMA_NAMES = [c.split()[0] for c in ARTICLE_SCHEMA.split(", ")]


def _rows_batch(rows: List[dict], columns: Sequence[str]) -> pa.RecordBatch:
    data = {c: [r.get(c) for r in rows] for c in columns}
    types = {c: (pa.int64() if c == "seq" else pa.string()) for c in columns}
    return pa.RecordBatch.from_pydict(data, schema=pa.schema([(c, types[c]) for c in columns]))


def _read_files(settings: "Settings"):
    def read(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """mapInArrow body: rows of (file_index, path) → their articles."""
        import rasd  # noqa: F401  (fail early on an executor without the wheel)

        for batch in batches:
            for file_index, path in zip(batch.column("file_index").to_pylist(), batch.column("path").to_pylist()):
                if _is_jsonl(path):
                    yield from read_jsonl(file_index, path)
                else:
                    yield from _read_pages(file_index, path, settings.extract_window)
                _slow_down(settings)

    return read


def _slow_down(settings: "Settings") -> None:
    if settings.slow_task_ms > 0:
        time.sleep(settings.slow_task_ms / 1000)


def _is_jsonl(path: str) -> bool:
    name = path[:-3] if path.endswith(".gz") else path
    return name.endswith((".jsonl", ".json", ".ndjson"))


def _read_pages(file_index: int, path: str, window: int) -> Iterator[pa.RecordBatch]:
    """A page file or WARC/WET archive (``.gz`` or not) → its articles, by
    ``rasd.read_archive``: the records of ``rasd_sources`` (gzip members,
    truncated archives as one error row), extracted per window of records
    with site templates, exactly as ``rasd extract``. ``seq`` is the
    article's position in ``rasd extract --format json``'s output; ``id`` is
    the article's URL, else its origin (``archive#N``), which is what
    ``rasd dedup`` reads from that output when every record has a URL."""
    import pyarrow.compute as pc
    import rasd

    for batch in rasd.read_archive(path, window=window):
        ordinal = batch.column("ordinal").to_pylist()
        seq = pa.array([(file_index << LINE_BITS) | o for o in ordinal], pa.int64())
        ident = pc.coalesce(batch.column("id"), batch.column("url"), batch.column("path"))
        error = batch.column("error")
        yield pa.RecordBatch.from_arrays(
            [
                seq,
                ident,
                batch.column("url"),
                batch.column("title"),
                batch.column("body"),
                batch.column("published"),
                pa.nulls(batch.num_rows, pa.string()),
                batch.column("source"),
                batch.column("lang"),
                error,
                batch.column("id"),
                batch.column("path"),
            ],
            names=ARTICLE_SCHEMA_NAMES,
        )


# ---------------------------------------------------------------- stages


def _sign(settings: Settings):
    def sign(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import rasd

        for batch in batches:
            sigs = rasd.signatures(
                batch.select(["body"]),
                signed=True,
                threshold=settings.threshold,
                bands=settings.bands,
                rows=settings.rows,
            )
            yield pa.RecordBatch.from_arrays(
                [batch.column("seq")] + sigs.columns, names=["seq"] + sigs.schema.names
            )

    return sign


def _verify(settings: Settings):
    def verify(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import rasd

        for batch in batches:
            yield rasd.verify_pairs(batch, threshold=settings.threshold)

    return verify


def _group(settings: Settings):
    def group(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import rasd

        # The partition holds whole components (it was hashed on them); one
        # call sees them all, as the binary sees the whole corpus.
        parts = [b for b in batches if b.num_rows]
        if not parts:
            return
        batch = pa.Table.from_batches(parts).combine_chunks().to_batches()[0]
        yield rasd.group(batch, threshold=settings.threshold, bands=settings.bands, rows=settings.rows)

    return group


def _store_duplicates(settings: Settings):
    def store_duplicates(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import rasd

        # Whole components, as in `_group`: the replay in seq order sees every
        # article a member could match.
        parts = [b for b in batches if b.num_rows]
        if not parts:
            return
        batch = pa.Table.from_batches(parts).combine_chunks().to_batches()[0]
        out = rasd.store_duplicates(batch)
        yield pa.RecordBatch.from_arrays(
            [out.column("seq"), out.column("group_id"), out.column("kind"), out.column("similarity")],
            names=["seq", "store_group", "store_kind", "store_similarity"],
        )

    return store_duplicates


def _cluster(settings: Settings):
    def cluster(table: pa.Table) -> pa.Table:
        import pyarrow.compute as pc
        import rasd

        if table.num_rows == 0:
            return pa.table({"seq": pa.array([], pa.int64()), "story": pa.array([], pa.int64()),
                             "topic": pa.array([], pa.int64()), "dateless": pa.array([], pa.bool_()),
                             "future_date": pa.array([], pa.bool_()),
                             "confidence": pa.array([], pa.float64())})
        # Input order is the binary's tie-break among equal dates.
        table = table.take(pc.sort_indices(table, [("seq", "ascending")]))
        window = table.column("window")[0].as_py()
        columns = ["title", "body", "published", "source", "lang"]
        if settings.group_stories:
            columns.append("group")
        batch = table.select(columns).combine_chunks().to_batches()[0]
        out = rasd.cluster(batch, now=settings.now)
        offset = pa.scalar(window << 32, pa.int64())
        return pa.table({
            "seq": table.column("seq"),
            "story": pc.add(out.column("story"), offset),
            "topic": pc.add(out.column("topic"), offset),
            "dateless": out.column("dateless"),
            "future_date": out.column("future_date"),
            "confidence": out.column("confidence"),
        })

    return cluster


def _cut_lineage(frame):
    """Materializes ``frame`` and cuts its lineage: a reliable checkpoint
    when the context has a checkpoint folder (the job then survives losing
    an executor after this point), else a local one (faster, but its blocks
    die with their executor)."""
    if frame.sparkSession.sparkContext.getCheckpointDir():
        return frame.checkpoint(eager=True)
    return frame.localCheckpoint()


def connected_components(edges):
    """Undirected edges (``a``, ``b``) → (``vertex``, ``component``), the
    component being its smallest vertex, by min-label propagation: every
    round each vertex takes the smallest label among itself and its
    neighbours, until no label changes."""
    from pyspark.sql import functions as F

    both = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).union(
        edges.select(F.col("b").alias("src"), F.col("a").alias("dst"))
    ).distinct()
    both = _cut_lineage(both)
    labels = both.groupBy("src").agg(F.least(F.min("dst"), F.first("src")).alias("label"))
    labels = _cut_lineage(labels.withColumnRenamed("src", "vertex"))
    for _ in range(MAX_ROUNDS):
        incoming = both.join(labels, both.src == labels.vertex).groupBy("dst").agg(F.min("label").alias("offered"))
        updated = labels.join(incoming, labels.vertex == incoming.dst, "left").select(
            "vertex",
            F.least(F.col("label"), F.coalesce(F.col("offered"), F.col("label"))).alias("label"),
            (F.col("offered") < F.col("label")).alias("changed"),
        )
        updated = _cut_lineage(updated)
        changed = updated.filter("changed").count()
        labels = updated.drop("changed")
        if changed == 0:
            break
    else:
        raise RuntimeError(f"components did not converge in {MAX_ROUNDS} rounds")
    return labels.withColumnRenamed("label", "component")


@dataclass
class Summary:
    articles: int
    failed: int
    groups: int
    copies: int
    stories: int
    seconds: float
    # Wall seconds per phase, as the driver saw them (each phase's Spark
    # jobs carry the phase's name as their description in the event log).
    phases: Dict[str, float] = field(default_factory=dict)

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def run(spark, paths: Sequence[str], out: str, settings: Settings = Settings()) -> Summary:
    """Runs the backfill over ``paths`` and writes Parquet to ``out``."""
    from pyspark.sql import functions as F

    started = time.monotonic()
    phases: Dict[str, float] = {}
    phase_started = [started]

    def phase(name: str) -> None:
        """Ends the current phase and names the Spark jobs of the next one."""
        now = time.monotonic()
        current = spark.sparkContext.getLocalProperty("spark.job.description")
        if current:
            phases[current.removeprefix("rasd: ")] = round(now - phase_started[0], 2)
        phase_started[0] = now
        spark.sparkContext.setJobDescription(f"rasd: {name}" if name else None)

    phase("read")
    files = spark.createDataFrame(
        [(i, str(p)) for i, p in enumerate(paths)], "file_index long, path string"
    ).repartition(max(1, len(paths)))
    read = files.mapInArrow(_read_files(settings), ARTICLE_SCHEMA).repartition(settings.partitions)
    read = read.persist()
    # Bad records: reported (the first MAX_REPORTED) and counted in one job.
    errors = read.filter(F.col("error").isNotNull()).select("error").limit(MAX_REPORTED + 1).collect()
    for row in errors[:MAX_REPORTED]:
        print(f"rasd: {row.error}", file=sys.stderr)
    failed = len(errors) if len(errors) <= MAX_REPORTED else read.filter(F.col("error").isNotNull()).count()
    articles = read.filter(F.col("error").isNull()).drop("error")

    signed = articles.select("seq", "body").mapInArrow(_sign(settings), SIGNED_SCHEMA).persist()
    meta = articles.select("seq", "published")

    # Exact classes: every copy joins its class's first member.
    exact = signed.filter(F.col("exact").isNotNull()).select("seq", "exact")
    first = exact.groupBy("exact").agg(F.min("seq").alias("rep"))
    exact_edges = exact.join(first, "exact").filter(F.col("seq") != F.col("rep")).select(
        F.col("rep").alias("a"), F.col("seq").alias("b")
    )
    reps = signed.join(first.select(F.col("rep").alias("seq")), "seq").filter(F.size("minhash") > 0)

    # LSH candidates: representatives sharing any band key (bands are not
    # told apart, as in the binary: keys are already seeded by band).
    keyed = reps.select("seq", F.explode("band_keys").alias("key"))
    pairs = (
        keyed.alias("x").join(keyed.alias("y"), "key")
        .filter(F.col("x.seq") < F.col("y.seq"))
        .select(F.col("x.seq").alias("a"), F.col("y.seq").alias("b"))
        .distinct()
    )
    shingles = reps.select("seq", "shingles")
    with_sets = pairs.join(shingles.select(F.col("seq").alias("a"), F.col("shingles").alias("left")), "a").join(
        shingles.select(F.col("seq").alias("b"), F.col("shingles").alias("right")), "b"
    ).select("a", "b", "left", "right")
    verified = with_sets.mapInArrow(_verify(settings), "b long, a long, jaccard double").filter(
        F.col("jaccard").isNotNull()
    ).select("a", "b")

    edges = exact_edges.union(verified)
    phase("sign, candidates, verify, components")
    components = connected_components(edges)
    phase("groups, stories, write")

    members = (
        components.join(signed.select("seq", "exact", "shingles", "minhash"), components.vertex == signed.seq)
        .join(meta, "seq")
        .select("component", "seq", "published", "exact", "shingles", "minhash")
        .repartition(settings.partitions, "component")
    )
    grouped = members.mapInArrow(_group(settings), GROUP_SCHEMA)
    dedup = articles.select("seq").join(grouped, "seq", "left").select(
        "seq",
        F.coalesce("canonical", "seq").alias("canonical"),
        F.coalesce("relation", F.lit("canonical")).alias("relation"),
        F.coalesce("size", F.lit(1)).cast("long").alias("size"),
        F.coalesce("jaccard", F.lit(1.0)).alias("jaccard"),
    )
    ids = articles.select(F.col("seq").alias("canonical"), F.col("id").alias("group"))
    dedup = dedup.join(ids, "canonical").persist()

    # The archive's view of the same components, for the PostgreSQL load.
    store_members = (
        components.join(articles.select(*STORE_INPUT), components.vertex == articles.seq)
        .select("component", *STORE_INPUT)
        .repartition(settings.partitions, "component")
    )
    store_dups = store_members.mapInArrow(_store_duplicates(settings), STORE_DUPLICATES_SCHEMA)

    result = articles.join(dedup, "seq").join(store_dups, "seq", "left")
    if settings.stories:
        date = F.coalesce(F.col("published"), F.col("date_extracted"))
        window = F.floor(F.datediff(F.to_date(F.substring(date, 1, 10)), F.lit("1970-01-01")) / settings.window_days)
        # Dateless articles go last into the latest window, as the binary
        # places them last in its one stream.
        latest = result.select(window.alias("w")).agg(F.max("w")).first()[0]
        clustering = result.select(
            "seq",
            F.coalesce(window, F.lit(latest if latest is not None else 0)).cast("long").alias("window"),
            "title",
            "body",
            date.alias("published"),
            "source",
            "lang",
            "group",
        )
        placed = clustering.groupBy("window").applyInArrow(_cluster(settings), STORY_SCHEMA)
        result = result.join(placed, "seq", "left")
    result.sortWithinPartitions("seq").write.mode("overwrite").parquet(out)

    phase("count")
    counts = spark.read.parquet(out).agg(
        F.count(F.lit(1)).alias("articles"),
        F.sum(((F.col("size") > 1) & (F.col("relation") == "canonical")).cast("long")).alias("groups"),
        F.sum((F.col("relation") != "canonical").cast("long")).alias("copies"),
        (F.countDistinct("story") if settings.stories else F.lit(0)).alias("stories"),
    ).first()
    total, groups, copies, stories = (counts.articles, counts.groups or 0, counts.copies or 0, counts.stories)
    phase("")
    seconds = time.monotonic() - started
    signed.unpersist()
    read.unpersist()
    dedup.unpersist()
    return Summary(total, failed, groups, copies, stories, seconds, phases)


def session(master: str, app: str = "rasd-backfill", shuffle_partitions: int = 8):
    """A Spark session for the job (Arrow on, quiet logs)."""
    from pyspark.sql import SparkSession

    # Loopback only: the job never needs another address.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Python workers run this interpreter (its venv has pyarrow and rasd),
    # not whatever `python3` is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+",
                        help="JSONL files of articles, WARC/WET archives or page files (.gz allowed)")
    parser.add_argument("--out", required=True, help="Parquet output folder (replaced)")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=Settings.partitions)
    parser.add_argument("--window-days", type=int, default=Settings.window_days)
    parser.add_argument("--now", help="YYYY-MM-DD, for flagging future dates")
    parser.add_argument("--no-stories", action="store_true")
    parser.add_argument("--group-stories", action="store_true", help="duplicate groups share a story")
    parser.add_argument("--extract-window", type=int, default=Settings.extract_window,
                        help="records per extraction window of page files and archives (rasd extract --window)")
    parser.add_argument("--checkpoint-dir",
                        help="reliable checkpoints of the component rounds here (a folder every node "
                             "sees); without it they are local and die with their executor")
    parser.add_argument("--slow-task-ms", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings = Settings(
        partitions=args.partitions,
        window_days=args.window_days,
        now=args.now,
        stories=not args.no_stories,
        group_stories=args.group_stories,
        extract_window=args.extract_window,
        slow_task_ms=args.slow_task_ms,
    )
    spark = session(args.master, shuffle_partitions=args.partitions)
    if args.checkpoint_dir:
        spark.sparkContext.setCheckpointDir(args.checkpoint_dir)
    try:
        summary = run(spark, args.paths, args.out, settings)
    finally:
        spark.stop()
    print(json.dumps({
        "articles": summary.articles,
        "failed": summary.failed,
        "duplicate_groups": summary.groups,
        "copies": summary.copies,
        "stories": summary.stories,
        "seconds": round(summary.seconds, 2),
        "articles_per_second": round(summary.articles_per_second, 1),
        "phases": summary.phases,
    }))
    return 1 if summary.failed else 0


if __name__ == "__main__":
    sys.exit(main())
