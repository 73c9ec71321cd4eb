"""WARC/WET input: the job's articles and duplicate groups equal those of
`rasd extract --format json` and `rasd dedup` over the same archives, and a
truncated archive is reported, not fatal."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import rasd
from rasd_spark.backfill import Settings, run
from warc_fixtures import truncated_archive, warc_archive, wet_archive


def binary_extract(rasd_bin: str, path: Path) -> tuple[list[dict], list[str]]:
    """`rasd extract --format json` of one file: its articles and its error lines."""
    done = subprocess.run([rasd_bin, "extract", "--format", "json", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    errors = [l for l in done.stderr.splitlines() if l.startswith("rasd: ")]
    return [json.loads(l) for l in done.stdout.splitlines()], errors


@pytest.fixture
def archives(tmp_path) -> list[Path]:
    return [wet_archive(tmp_path / "news.wet.gz"), warc_archive(tmp_path / "pages.warc.gz"),
            truncated_archive(tmp_path / "cut.wet.gz")]


def test_read_archive_gives_the_binarys_articles(rasd_bin, archives):
    for path in archives:
        reader = rasd.read_archive(str(path))
        rows = pa.Table.from_batches(list(reader)).to_pylist()
        articles = [r for r in rows if r["error"] is None]
        errors = [r["error"] for r in rows if r["error"] is not None]
        want, want_errors = binary_extract(rasd_bin, path)
        assert [r["ordinal"] for r in rows] == list(range(1, len(rows) + 1))
        fields = ("url", "title", "body", "published", "source", "lang")
        assert [tuple(a[f] for f in fields) for a in articles] == [tuple(w.get(f) for f in fields) for w in want]
        assert ["rasd: " + e for e in errors] == want_errors
    # The request, the 404 and the image are passed over, not errors.
    reader = rasd.read_archive(str(archives[1]))
    list(reader)
    assert dict(reader.skipped()) == {"not-content": 1, "http-status": 1, "not-text": 1}


def test_truncated_archive_is_one_error_row(archives):
    rows = pa.Table.from_batches(list(rasd.read_archive(str(archives[2]), window=7))).to_pylist()
    assert [r["error"] is None for r in rows] == [True] * 39 + [False]
    assert rows[-1]["error"].endswith("cut.wet.gz#40: truncated gzip stream (unexpected end of data)")
    assert [r["url"] for r in rows[:2]] == ["https://cut.example/1", "https://cut.example/2"]


def test_bad_window_is_a_value_error(archives):
    with pytest.raises(ValueError, match="window"):
        rasd.read_archive(str(archives[0]), window=0)


def test_job_over_archives_equals_extract_then_dedup(spark, rasd_bin, archives, tmp_path):
    # The binary's reference: each archive extracted alone (the job's
    # windows are per file), the articles concatenated in input order, then
    # deduplicated.
    extracted, failed = [], 0
    for path in archives:
        articles, errors = binary_extract(rasd_bin, path)
        extracted += articles
        failed += len(errors)
    jsonl = tmp_path / "extracted.jsonl"
    jsonl.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in extracted), encoding="utf-8")
    done = subprocess.run([rasd_bin, "dedup", "--format", "json", str(jsonl)], capture_output=True, text=True, check=True)
    want = [json.loads(l) for l in done.stdout.splitlines()]

    summary = run(spark, [str(p) for p in archives], str(tmp_path / "out"), Settings(partitions=3, now="2015-09-01"))
    rows = pq.read_table(tmp_path / "out").sort_by("seq").to_pylist()
    assert summary.failed == failed == 1
    assert [(r["id"], r["title"], r["body"]) for r in rows] == [(a["url"], a["title"], a["body"]) for a in extracted]
    assert [(r["id"], r["group"], r["relation"], r["size"]) for r in rows] == [
        (w["id"], w["group"], w["relation"], w["size"]) for w in want
    ]
    # The fixtures hold copies across the two archives: the groups are not trivial.
    assert summary.groups >= 2 and summary.copies >= 3
