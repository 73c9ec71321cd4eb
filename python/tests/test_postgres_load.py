"""Backfill → COPY into PostgreSQL → `rasd reindex --derived-only` gives the
archive `rasd ingest` builds from the same files; a live ingest then
continues it and `rasd serve` searches it."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import run_binary
from pg import TempPostgres, find_bin
from rasd_spark.backfill import Settings, run
from rasd_spark.load_postgres import load, run_rasd
from test_backfill import AIRPORT, bcubed_f1, fixture_lines

# Lines of SaudiNewsNet in the slice: 300 from line 1,101, where wire
# stories run in several outlets (the first lines hold no duplicates).
SLICE_START, SLICE = 1100, 300
LISTING = ["--limit", "100000"]


@pytest.fixture(scope="module")
def postgres():
    pytest.importorskip("psycopg")
    bin_dir = find_bin()
    if bin_dir is None:
        if os.environ.get("RASD_REQUIRE_POSTGRES") == "1":
            pytest.fail("RASD_REQUIRE_POSTGRES=1 but no initdb/pg_ctl found (run .ci/postgres.sh)")
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed; see .ci/postgres.sh")
    server = TempPostgres(bin_dir)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, saudinewsnet) -> list[str]:
    folder = tmp_path_factory.mktemp("inputs")
    fixture = folder / "fixture.jsonl"
    fixture.write_text("\n".join(fixture_lines()) + "\n", encoding="utf-8")
    corpus = folder / "saudinewsnet_slice.jsonl"
    with gzip.open(saudinewsnet, "rt", encoding="utf-8") as src:
        corpus.write_text("".join(itertools.islice(src, SLICE_START, SLICE_START + SLICE)), encoding="utf-8")
    return [str(fixture), str(corpus)]


# Every column `rasd ingest` writes except the clock's (`created`, `first_seen`).
STORE_TABLES = {
    "pages": "id, page_key, content_hash, origin, url, site, fetched",
    "articles": "seq, id, page_id, page_key, position, version, superseded, content_hash, "
                "body_key_hash, title, body, published, source, lang, url, path",
    "signatures": "article, exact, minhash, shingles",
    "lsh_bands": "band_key, article",
    "duplicates": "article, group_id, kind, similarity",
}


def pg_rows(dsn: str, table: str, columns: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(dsn) as conn:
        rows = conn.execute(f"SELECT {columns} FROM {table}").fetchall()
    return sorted((tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows), key=_order)


def sqlite_rows(data: Path, table: str, columns: str) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(data / "archive.db") as conn:
        rows = conn.execute(f"SELECT {columns} FROM {table}").fetchall()
    return sorted(rows, key=_order)


def _order(row: tuple) -> list:
    """A sort key for rows with nulls (None sorts after every value)."""
    return [(True, 0) if v is None else (False, v) for v in row]


def listing(binary: str, command: str, *where: str) -> list[dict]:
    return [json.loads(line) for line in run_binary(binary, command, "--format", "json", *LISTING, *where)]


def story_labels(stories: list[dict], articles: list[dict]) -> list[int]:
    """Each article's story index (articles in listing order)."""
    story_of = {a["id"]: i for i, s in enumerate(stories) for a in s["articles"]}
    return [story_of.get(a["id"], -1) for a in articles]


def story_sets(stories: list[dict]) -> set[frozenset]:
    return {frozenset(a["id"] for a in s["articles"]) for s in stories}


def test_a_loaded_backfill_is_the_archive_ingest_builds(spark, rasd_bin, postgres, inputs, tmp_path):
    out = tmp_path / "out"
    run(spark, inputs, str(out), Settings(partitions=4, now="2015-09-01", group_stories=True))
    dsn = postgres.create_database()
    server_dir = tmp_path / "server"
    summary = load(dsn, str(out), rasd_bin, batch_rows=150)
    assert summary.articles + summary.skipped > SLICE and summary.batches >= 2
    derived = run_rasd(rasd_bin, "reindex", "--derived-only", "--store", dsn, "--data", str(server_dir))
    assert derived["facts"]["articles"] > 0 and derived["search_indexed"] == summary.articles

    sqlite = tmp_path / "sqlite"
    run_binary(rasd_bin, "ingest", "--data", str(sqlite), *inputs)
    loaded = ["--store", dsn, "--data", str(server_dir)]
    ingested = ["--data", str(sqlite)]

    # The tables the load writes hold the binary's values, row for row.
    for table, columns in STORE_TABLES.items():
        assert pg_rows(dsn, table, columns) == sqlite_rows(sqlite, table, columns), table

    # Articles: ids, pages, versions, duplicate groups — exactly.
    articles = listing(rasd_bin, "articles", *loaded)
    assert articles == listing(rasd_bin, "articles", *ingested)
    groups = {a["duplicate_group"] for a in articles}
    assert len(groups) < len(articles), "the input holds duplicate groups"
    # Entities: the facts stage ran on the same articles in the same order;
    # only the count of stories an entity is in follows the stories.
    def without_stories(entities: list[dict]) -> list[dict]:
        return [{k: v for k, v in e.items() if k != "stories"} for e in entities]

    entities = listing(rasd_bin, "entities", *loaded)
    assert entities and without_stories(entities) == without_stories(listing(rasd_bin, "entities", *ingested))
    # Stories: the job places the window at once, `rasd ingest` batch by
    # batch (see docs/SPARK.md); the member sets agree (B-cubed), and every
    # story with the same members got the same digest.
    bulk_stories = listing(rasd_bin, "stories", *loaded)
    ingested_stories = listing(rasd_bin, "stories", *ingested)
    f1 = bcubed_f1(story_labels(bulk_stories, articles), story_labels(ingested_stories, articles))
    print(f"stories: {len(bulk_stories)} loaded, {len(ingested_stories)} ingested, B-cubed F1 {f1:.4f}")
    assert f1 >= 0.99
    # A story with the same members has the same headline, dates and size.
    # (Not always the same summary: two processes can break ties between
    # equally central sentences differently, loaded or not.)
    digest = lambda s: (s["headline"], s["first_published"], s["last_published"], s["size"])  # noqa: E731
    by_members = {frozenset(a["id"] for a in s["articles"]): digest(s) for s in ingested_stories}
    same = [s for s in bulk_stories if frozenset(a["id"] for a in s["articles"]) in by_members]
    assert len(same) >= 0.9 * len(bulk_stories)
    for s in same:
        assert digest(s) == by_members[frozenset(a["id"] for a in s["articles"])]

    # A live ingest continues the archive: a republished copy of a loaded
    # article joins its group and its story, and the loaded stories stay.
    wire = next(a for a in articles if a.get("title") == "افتتاح صالة جديدة في مطار جدة")
    republished = tmp_path / "republished.jsonl"
    republished.write_text(json.dumps({
        "url": "https://example.sa/news/airport-terminal",
        "title": "هيئة الطيران تفتتح صالة جديدة في مطار جدة",
        "body": AIRPORT,
        "published": "2015-08-03",
        "source": "المدينة",
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    live = json.loads(run_binary(rasd_bin, "ingest", "--format", "json", *loaded, str(republished))[-1])
    assert (live["new"], live["exact_duplicates"], live["derived"]["stories"]["articles"]) == (1, 1, 1)
    after = {a["id"]: a for a in listing(rasd_bin, "articles", *loaded)}
    assert len(after) == len(articles) + 1
    new_id = next(i for i in after if i not in {a["id"] for a in articles})
    assert after[new_id]["duplicate_group"] == wire["duplicate_group"]
    stories_after = listing(rasd_bin, "stories", *loaded)
    home = [s for s in stories_after if new_id in {a["id"] for a in s["articles"]}]
    group = {a["id"] for a in articles if a["duplicate_group"] == wire["duplicate_group"]}
    assert len(home) == 1 and group & {a["id"] for a in home[0]["articles"]}
    untouched = story_sets(bulk_stories) - {frozenset(m for m in s if m != new_id) for s in story_sets(stories_after)}
    assert not untouched, "no loaded article was placed again"

    # `rasd serve` on the database finds a loaded article by its title.
    # A fresh server folder: the server builds its search index from the store.
    serve = subprocess.Popen([rasd_bin, "serve", "--addr", "127.0.0.1:0", "--store", dsn, "--data", str(tmp_path / "api")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = serve.stdout.readline()
        assert "http://" in first, serve.stderr.read() if serve.poll() is not None else first
        base = first.split("http://", 1)[1].split("/", 1)[0]
        query = urllib.parse.quote("صالة جديدة في مطار جدة")
        with urllib.request.urlopen(f"http://{base}/api/search?q={query}", timeout=60) as answer:
            found = json.load(answer)
        hits = json.dumps(found, ensure_ascii=False)
        assert wire["id"] in hits, hits[:2000]
    finally:
        serve.terminate()
        serve.wait(timeout=30)


def test_a_database_with_articles_is_refused(rasd_bin, postgres, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from rasd_spark.load_postgres import LoadError

    dsn = postgres.create_database()
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"id": "x", "title": "خبر", "body": AIRPORT}, ensure_ascii=False) + "\n")
    run_binary(rasd_bin, "ingest", "--store", dsn, "--data", str(tmp_path / "d"), str(source))
    # The check comes before any row is read: a one-row output will do.
    out = tmp_path / "out"
    out.mkdir()
    pq.write_table(pa.table({"seq": [1], "body": [AIRPORT]}), out / "part-0.parquet")
    with pytest.raises(LoadError, match="already holds 1 articles"):
        load(dsn, str(out), rasd_bin)
    import psycopg

    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1, "nothing was written"
