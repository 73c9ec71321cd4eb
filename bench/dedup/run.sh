#!/usr/bin/env bash
# Side-by-side speed and quality of `rasd dedup` and datasketch's MinHashLSH
# on the same articles. Needs: a release build of rasd, hyperfine, and
# datasketch in /work/venv (pip install datasketch).
# Usage: bench/dedup/run.sh [FILE.jsonl.gz] [RASD_BINARY]
set -euo pipefail
file=${1:-../shared/data/saudinewsnet.jsonl.gz}
rasd=${2:-target/release/rasd}
here=$(dirname "$0")
out=$(mktemp -d)
hyperfine --runs 3 --export-json "$out/hyperfine.json" --output=null \
  "$rasd dedup --format json $file" \
  "/work/venv/bin/python $here/datasketch_baseline.py $file $out/datasketch_pairs.jsonl"
"$rasd" eval dedup "$file"
"$rasd" eval dedup "$file" --pairs "$out/datasketch_pairs.jsonl"
echo "results in $out"
