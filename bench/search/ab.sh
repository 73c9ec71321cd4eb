#!/usr/bin/env bash
# Alternates rasd binaries on the uncached /api/search mix, so that a noisy
# machine's drift falls on all of them alike: the ratio is the figure.
#
#   bench/search/ab.sh DATA_DIR DURATION ROUNDS RASD_BINARY...
#
# DATA_DIR holds an archive with its search index (see http.sh). Each round
# starts each binary's server in turn, runs wrk -t1 -c16 over 600 distinct
# two-word title queries (default page of 20 with snippets, answer cache
# off) and prints req/s, p50 and p99.
set -euo pipefail
data=$1 duration=$2 rounds=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
python3 "$here/make_queries.py" --n 600 >"$tmp/mix.txt"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
for round in $(seq "$rounds"); do
  for rasd in "$@"; do
    "$rasd" serve --data "$data" --addr "127.0.0.1:$port" --search-cache 0 >"$tmp/server.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf "$url/health" >/dev/null && break; sleep 0.2; done
    out=$(wrk -t1 -c16 -d"$duration" --latency -s "$here/search_mix.lua" "$url" -- "$tmp/mix.txt" "")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    echo "round $round $rasd: $rps req/s, p50 $p50, p99 $p99 (load $(cut -d' ' -f1 /proc/loadavg))"
    kill "$server"
    wait "$server" 2>/dev/null || true
  done
done
