#!/usr/bin/env bash
# Load test of `rasd serve` on loopback with wrk: /api/search (rotating Arabic
# queries), /api/stories and /api/articles on the SaudiNewsNet archive.
# Needs a release build (cargo build --release -p rasd) and wrk (apt-get install -y wrk).
# Usage: bench/serve/run.sh [RASD_BINARY] [DATA_DIR] [SECONDS] [CONNECTIONS]
# Builds the archive from ../shared/data/saudinewsnet.jsonl.gz on first use.
set -euo pipefail
rasd=${1:-target/release/rasd}
data=${2:-target/bench-serve-data}
seconds=${3:-20}
connections=${4:-32}
here=$(dirname "$0")
corpus=../shared/data/saudinewsnet.jsonl.gz
if [ ! -f "$data/archive.db" ]; then
  echo "ingesting $corpus into $data (once)"
  "$rasd" --no-progress ingest --data "$data" "$corpus"
fi
log=$(mktemp)
"$rasd" serve --data "$data" --addr 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "the server did not start"; exit 1; }
echo "server: $url ($(nproc) cores, wrk -t2 -c$connections -d${seconds}s)"
curl -fsS "$url/api/search?q=%D8%A7%D9%84%D8%B1%D9%8A%D8%A7%D8%B6&limit=1" >/dev/null
echo "== /api/search (rotating queries)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/search.lua" "$url"
echo "== /api/stories"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url/api/stories"
echo "== /api/articles?limit=20"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url/api/articles?limit=20"
