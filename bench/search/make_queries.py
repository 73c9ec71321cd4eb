#!/usr/bin/env python3
"""Distinct two-word search queries from SaudiNewsNet titles, for wrk.

Adjacent title words of 3+ letters (as people type them), drawn with a
fixed seed; `--judged` prints the judged queries of
crates/rasd-search/eval/queries.tsv instead. One query per line.

    python3 bench/search/make_queries.py [--n 600] [--corpus ...] > /tmp/queries.txt
"""

import argparse
import gzip
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "..", "shared", "data",
                                                     "saudinewsnet.jsonl.gz"))
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--judged", action="store_true")
    args = ap.parse_args()
    if args.judged:
        path = os.path.join(HERE, "..", "..", "crates", "rasd-search", "eval", "queries.tsv")
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                print(line.split("\t")[0].strip())
        return
    titles = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            titles.append(json.loads(line).get("title") or "")
    rng = random.Random(args.seed)
    seen, out = set(), []
    while len(out) < args.n:
        words = [w for w in rng.choice(titles).split() if len(w) >= 3 and w.isalpha()]
        if len(words) < 2:
            continue
        i = rng.randrange(len(words) - 1)
        q = f"{words[i]} {words[i + 1]}"
        if q not in seen:
            seen.add(q)
            out.append(q)
    print("\n".join(out))


if __name__ == "__main__":
    main()
