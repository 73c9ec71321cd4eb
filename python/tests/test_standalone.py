"""One end-to-end job on a two-process Spark standalone cluster (master +
worker on 127.0.0.1) equals the `local[2]` run and the binary's duplicate
groups; and killing the worker (SIGKILL, with its executor) mid-job, then
starting another, still gives exactly the clean run's output."""

from __future__ import annotations

import gzip
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, run_binary
from rasd_spark.backfill import Settings, run
from standalone import Standalone

# Each driver gets this long; a loaded 2-core CI machine needs the slack.
JOB_TIMEOUT_S = 900
SLICES = 4
LINES_PER_SLICE = 100


@pytest.fixture(scope="module")
def slices(saudinewsnet, tmp_path_factory) -> list[Path]:
    """The first lines of SaudiNewsNet in a few files (one read task each)."""
    root = tmp_path_factory.mktemp("slices")
    paths = []
    with gzip.open(saudinewsnet, "rt", encoding="utf-8") as src:
        for i in range(SLICES):
            path = root / f"slice{i}.jsonl"
            path.write_text("".join(itertools.islice(src, LINES_PER_SLICE)), encoding="utf-8")
            paths.append(path)
    return paths


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    pytest.importorskip("pyspark")
    standalone = Standalone(tmp_path_factory.mktemp("standalone"))
    try:
        standalone.add_worker(cores=2)
        yield standalone
    finally:
        standalone.stop()


def start_driver(cluster: Standalone, inputs: list[Path], out: Path, *extra: str) -> subprocess.Popen:
    checkpoints = out.parent / (out.name + ".checkpoints")
    return subprocess.Popen(
        [sys.executable, "-m", "rasd_spark.backfill", "--master", cluster.url, "--partitions", "2",
         "--now", "2015-09-01", "--checkpoint-dir", str(checkpoints), "--out", str(out), *extra,
         *map(str, inputs)],
        cwd=REPO / "python", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(driver: subprocess.Popen) -> dict:
    try:
        stdout, stderr = driver.communicate(timeout=JOB_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        driver.kill()  # with its JVM, which exits when its parent's pipe closes
        driver.communicate()
        raise
    assert driver.returncode == 0, stderr[-4000:]
    return json.loads(stdout.splitlines()[-1])


def table(out: Path) -> list[dict]:
    return pq.read_table(out).sort_by("seq").to_pylist()


@pytest.fixture(scope="module")
def clean_run(cluster, slices, tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("clean") / "out"
    summary = finish(start_driver(cluster, slices, out))
    assert summary["articles"] == SLICES * LINES_PER_SLICE
    return table(out)


def test_standalone_job_equals_local_and_the_binary(spark, rasd_bin, clean_run, slices, tmp_path):
    run(spark, [str(p) for p in slices], str(tmp_path / "local"), Settings(partitions=4, now="2015-09-01"))
    assert table(tmp_path / "local") == clean_run
    binary = [json.loads(l) for l in run_binary(rasd_bin, "dedup", "--format", "json", *map(str, slices))]
    assert [(r["id"], r["group"], r["relation"], r["size"]) for r in clean_run] == [
        (b["id"], b["group"], b["relation"], b["size"]) for b in binary
    ]
    # These 400 articles hold no duplicate group (the groups are checked on
    # larger inputs in test_backfill.py and test_warc.py); here the point is
    # the cluster run itself, its ids, order and stories.


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (the JVM starts children from many threads,
    so they are found by their parent pid, not /proc/PID/task/…/children)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The fields after the command name (which may hold spaces).
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found += children
        frontier += children
    return found


def python_workers_under(pid: int) -> bool:
    """Whether a PySpark Python worker runs below `pid` (tasks have started)."""
    for p in descendants(pid):
        try:
            cmdline = Path(f"/proc/{p}/cmdline").read_bytes()
        except OSError:
            continue
        if b"pyspark.daemon" in cmdline or b"pyspark.worker" in cmdline:
            return True
    return False


def test_killing_the_worker_mid_job_gives_the_same_output(cluster, clean_run, slices, tmp_path):
    victim = cluster.workers[-1]
    out = tmp_path / "out"
    # Each read task sleeps 4 s per file: the read stage alone takes ≥ 8 s
    # on 2 cores, so a kill right after the first task starts lands mid-job.
    driver = start_driver(cluster, slices, out, "--slow-task-ms", "4000")
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while not python_workers_under(victim.pid):
        assert driver.poll() is None, driver.communicate()[1][-4000:]
        assert time.monotonic() < deadline, "no task started"
        time.sleep(0.2)
    time.sleep(1.0)
    cluster.kill(victim)
    assert driver.poll() is None, "the job ended before the kill"
    cluster.add_worker(cores=2)
    finish(driver)
    assert table(out) == clean_run
