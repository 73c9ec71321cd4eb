#!/usr/bin/env bash
# /api/search throughput with wrk on loopback: distinct-query mix uncached
# (the headline), judged queries uncached, then both with the answer cache.
#
#   bench/search/http.sh RASD_BINARY DATA_DIR [DURATION]
#
# DATA_DIR holds an archive with its search index (e.g. `rasd ingest --data
# DATA_DIR ../shared/data/saudinewsnet.jsonl.gz`). wrk and the server share
# the machine's cores. Query files are written to a temporary directory.
set -euo pipefail
rasd=$1 data=$2 duration=${3:-20s}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
python3 "$here/make_queries.py" --n 600 > "$tmp/mix.txt"
python3 "$here/make_queries.py" --judged > "$tmp/judged.txt"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port

run() { # cache-entries label query-file [extra]
  "$rasd" serve --data "$data" --addr "127.0.0.1:$port" --search-cache "$1" >"$tmp/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "$url/health" >/dev/null && break; sleep 0.2; done
  echo "== $2 (cache $1 entries, $(wc -l <"$3") distinct queries${4:+, $4}; load: $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t1 -c16 -d"$duration" --latency -s "$here/search_mix.lua" "$url" -- "$3" "${4:-}" \
    | grep -E 'Requests/sec|Latency|^ +(50|90|99)%|requests in|Non-2xx'
  kill "$server"; wait "$server" 2>/dev/null || true
}

run 0 "distinct-query mix, uncached" "$tmp/mix.txt"
run 0 "judged queries, uncached" "$tmp/judged.txt"
run 0 "distinct-query mix, uncached, no snippets" "$tmp/mix.txt" "&snippets=false"
run 1024 "distinct-query mix, cached" "$tmp/mix.txt"
run 1024 "judged queries, cached" "$tmp/judged.txt"
