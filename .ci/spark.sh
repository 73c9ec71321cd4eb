#!/usr/bin/env bash
# The Python tests of the `rasd` wheel and the Spark backfill job
# (python/tests), run by .ci/run after the cargo tests.
#
# Makes a venv in target/ci-venv (ignored by git) from the pinned
# python/requirements-ci.txt, builds the wheel into it from the workspace,
# and runs pytest. The wheel is built in the dev profile into the same
# target folder as `cargo test`, so the crates it shares with the workspace
# build are not compiled twice; the tests use small slices, so debug speed
# is enough (RASD_CI_WHEEL_RELEASE=1 builds it optimised instead, at the
# cost of a second, release build of its crates). The tests compare with
# the `rasd` binary that `cargo test` built (target/debug/rasd), built here
# if missing.
# Needs: python3 with venv, Java 17 (installed here with apt if missing),
# ../shared beside the checkout for the corpus tests (skipped without it).
# Idempotent: a second run reuses the venv and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
venv="$repo/target/ci-venv"

as_root=""
if [ "$(id -u)" != 0 ]; then as_root="sudo"; fi

echo "== spark: Java"
if ! command -v java >/dev/null; then
    $as_root apt-get update -q && $as_root apt-get install -y -q openjdk-17-jre-headless
fi
java -version 2>&1 | head -1

echo "== spark: venv (target/ci-venv)"
if [ ! -x "$venv/bin/python" ]; then
    if ! python3 -m venv "$venv" 2>/dev/null; then
        $as_root apt-get update -q && $as_root apt-get install -y -q python3-venv
        rm -rf "$venv"
        python3 -m venv "$venv"
    fi
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r python/requirements-ci.txt

echo "== spark: the rasd binary the tests compare with"
if [ ! -x "$target/debug/rasd" ]; then
    cargo build -p rasd --locked
fi
export RASD_BIN="$target/debug/rasd"

echo "== spark: the wheel (maturin develop)"
(
    cd python
    VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" CARGO_TARGET_DIR="$target" \
        "$venv/bin/maturin" develop --locked ${RASD_CI_WHEEL_RELEASE:+--release}
)

echo "== spark: pytest python/tests"
# Spark's Python workers and the driver use the venv's interpreter.
export PYSPARK_PYTHON="$venv/bin/python"
export RASD_REQUIRE_SPARK=1
(cd python && "$venv/bin/python" -m pytest -q -p no:cacheprovider tests)
