"""Shared fixtures: one local Spark session, the `rasd` binary, the corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def rasd_binary() -> str | None:
    """The binary to compare with: $RASD_BIN, else a built one in the
    repository's (or $CARGO_TARGET_DIR's) target folder, else on PATH."""
    if os.environ.get("RASD_BIN"):
        return os.environ["RASD_BIN"]
    targets = [Path(os.environ["CARGO_TARGET_DIR"])] if os.environ.get("CARGO_TARGET_DIR") else []
    targets.append(REPO / "target")
    for target in targets:
        for profile in ("release", "debug"):
            candidate = target / profile / "rasd"
            if candidate.is_file():
                return str(candidate)
    return shutil.which("rasd")


@pytest.fixture(scope="session")
def rasd_bin() -> str:
    found = rasd_binary()
    if not found:
        pytest.skip("no rasd binary: build it (cargo build -p rasd) or set RASD_BIN")
    return found


def run_binary(binary: str, *args: str) -> list[str]:
    """Runs the binary; its stdout lines (exit 1 = some lines failed is fine)."""
    done = subprocess.run([binary, *args], capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout.splitlines()


@pytest.fixture(scope="session")
def spark():
    # CI (.ci/spark.sh) sets RASD_REQUIRE_SPARK: there a missing pyspark is
    # a failure, not a skip.
    if not os.environ.get("RASD_REQUIRE_SPARK"):
        pytest.importorskip("pyspark")
    from rasd_spark.backfill import session

    spark = session("local[2]", app="rasd-tests", shuffle_partitions=4)
    yield spark
    spark.stop()


@pytest.fixture(scope="session")
def saudinewsnet() -> Path:
    path = SHARED / "data" / "saudinewsnet.jsonl.gz"
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared not checked out)")
    return path
