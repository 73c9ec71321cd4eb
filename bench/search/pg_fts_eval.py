#!/usr/bin/env python3
"""PostgreSQL's `arabic` full-text search against rasd's judged queries.

Starts a throwaway PostgreSQL 15 (Debian's binaries) in a temporary
directory, loads the SaudiNewsNet articles with
`to_tsvector('arabic', title || ' ' || body)` under a GIN index, runs the
judged queries of crates/rasd-search/eval/queries.tsv ranked by
`ts_rank_cd`, and prints nDCG@10 with the same binary-gain scorer as
`rasd eval search`, plus per-query latency p50/p99 (client-side, over the
Unix socket, warm). Three query forms: websearch_to_tsquery and
plainto_tsquery (every word required) and the plainto terms OR-ed (any
word, as rasd's own search does).

    /work/venv/bin/python bench/search/pg_fts_eval.py \
        [--corpus ../shared/data/saudinewsnet.jsonl.gz] [--rounds 20]

Needs `psycopg` (pip install "psycopg[binary]"); a benchmark only, the
product never depends on Python. Runs initdb and the server as the
`postgres` user (initdb refuses root).
"""

import argparse
import gzip
import io
import json
import math
import os
import shutil
import socket
import subprocess
import tempfile
import time

import psycopg

PG_BIN = "/usr/lib/postgresql/15/bin"
HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = os.path.join(HERE, "..", "..", "crates", "rasd-search", "eval", "queries.tsv")
K = 10

FORMS = {
    "websearch_to_tsquery (AND)": "websearch_to_tsquery('arabic', %(q)s)",
    "plainto_tsquery (AND)": "plainto_tsquery('arabic', %(q)s)",
    "plainto terms OR-ed": (
        "coalesce(nullif(replace(plainto_tsquery('arabic', %(q)s)::text, '&', '|'), '')"
        "::tsquery, ''::tsquery)"
    ),
}


def ndcg(ranked, relevant):
    """nDCG@K with binary gains: as `rasd eval search` (commands/eval/search.rs)."""
    gain = lambda i: 1.0 / math.log2(i + 2)
    dcg = sum(gain(i) for i, doc in enumerate(ranked[:K]) if doc in relevant)
    ideal = sum(gain(i) for i in range(min(len(relevant), K)))
    return dcg / ideal if ideal else 0.0


def judged(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        out.append((cols[0].strip(), {c.strip() for c in cols[1:] if c.strip()}))
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*cmd):
    return subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def pct(values, p):
    values = sorted(values)
    return values[round((len(values) - 1) * p)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "..", "shared", "data",
                                                     "saudinewsnet.jsonl.gz"))
    ap.add_argument("--queries", default=QUERIES)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    root = tempfile.mkdtemp(prefix="rasd-pg-")
    os.chmod(root, 0o755)
    data, sock = os.path.join(root, "data"), os.path.join(root, "sock")
    os.makedirs(sock)
    shutil.chown(root, "postgres")
    shutil.chown(sock, "postgres")
    port = free_port()
    try:
        as_postgres(f"{PG_BIN}/initdb", "-D", data, "-E", "UTF8", "--locale=C.UTF-8",
                    "-U", "postgres", "--auth=trust")
        as_postgres(f"{PG_BIN}/pg_ctl", "-D", data, "-w", "-l", os.path.join(root, "log"), "-o",
                    f"-p {port} -k {sock} -c listen_addresses='' -c shared_buffers=256MB "
                    "-c fsync=off -c synchronous_commit=off", "start")
        with psycopg.connect(host=sock, port=port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            run(conn, args)
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", data,
                        "-m", "fast", "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


def run(conn, args):
    cur = conn.cursor()
    cur.execute("CREATE TABLE articles (url text PRIMARY KEY, title text, body text)")
    t = time.perf_counter()
    n = 0
    seen = set()
    with cur.copy("COPY articles (url, title, body) FROM STDIN") as copy:
        with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
            for line in f:
                v = json.loads(line)
                url = v.get("url")
                if not url or url in seen:
                    continue
                seen.add(url)
                copy.write_row((url, v.get("title") or "", v.get("content") or ""))
                n += 1
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    cur.execute("ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
                "(to_tsvector('arabic', title || ' ' || body)) STORED")
    cur.execute("CREATE INDEX articles_tsv ON articles USING gin (tsv)")
    cur.execute("VACUUM ANALYZE articles")
    indexed = time.perf_counter() - t
    cur.execute("SELECT pg_size_pretty(pg_relation_size('articles_tsv'))")
    gin = cur.fetchone()[0]
    print(f"{n} articles: COPY {loaded:.1f}s, to_tsvector + GIN index {indexed:.1f}s, "
          f"GIN index {gin}")

    queries = judged(args.queries)
    for name, tsquery in FORMS.items():
        sql = (f"SELECT url FROM articles, {tsquery} AS q WHERE tsv @@ q "
               f"ORDER BY ts_rank_cd(tsv, q) DESC, url LIMIT {K}")
        scores, micros = [], []
        for q, relevant in queries:
            cur.execute(sql, {"q": q})
            scores.append(ndcg([r[0] for r in cur.fetchall()], relevant))
        for _ in range(args.rounds):
            for q, _ in queries:
                t = time.perf_counter()
                cur.execute(sql, {"q": q})
                cur.fetchall()
                micros.append((time.perf_counter() - t) * 1e6)
        mean = sum(scores) / len(scores)
        print(f"{name:<28} nDCG@10 {mean:.3f} over {len(queries)} queries | latency "
              f"p50 {pct(micros, .5) / 1000:.2f} ms, p99 {pct(micros, .99) / 1000:.2f} ms "
              f"({len(micros)} runs)")


if __name__ == "__main__":
    main()
