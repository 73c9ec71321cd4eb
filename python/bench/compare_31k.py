"""Compares a backfill's Parquet output with the binary on the same JSONL
input (a benchmark check, too slow for the test suite on the full corpus).

Usage: python bench/compare_31k.py OUT_DIR INPUT.jsonl.gz RASD_BIN [NOW]

Prints the number of articles, of duplicate groups and copies on each side,
how many articles differ in (id, group, relation, size), and the story
B-cubed F1 against `rasd cluster --format json --now NOW` (NOW `-`: skip).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pyarrow.parquet as pq


def bcubed_f1(predicted: list, truth: list) -> float:
    pairs = list(zip(predicted, truth))
    both, by_pred, by_truth = Counter(pairs), Counter(predicted), Counter(truth)
    p = sum(both[(a, b)] / by_pred[a] for a, b in pairs) / len(pairs)
    r = sum(both[(a, b)] / by_truth[b] for a, b in pairs) / len(pairs)
    return 2 * p * r / (p + r)


def lines(*args: str) -> list[dict]:
    done = subprocess.run(list(args), capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return [json.loads(l) for l in done.stdout.splitlines()]


def main(out: str, path: str, rasd_bin: str, now: str = "2015-09-01") -> None:
    rows = pq.read_table(out).sort_by("seq").select(["id", "group", "relation", "size", "story"]).to_pylist()
    binary = lines(rasd_bin, "dedup", "--format", "json", path)
    got = [(r["id"], r["group"], r["relation"], r["size"]) for r in rows]
    want = [(b["id"], b["group"], b["relation"], b["size"]) for b in binary]
    differ = sum(1 for g, w in zip(got, want) if g != w) + abs(len(got) - len(want))

    def groups(t):
        return sum(1 for x in t if x[2] == "canonical" and x[3] > 1), sum(1 for x in t if x[2] != "canonical")

    print(json.dumps({"spark_articles": len(got), "binary_articles": len(want),
                      "spark_groups_copies": groups(got), "binary_groups_copies": groups(want),
                      "articles_differing": differ}))
    if now == "-":  # stories not compared
        return
    clustered = iter(lines(rasd_bin, "cluster", "--format", "json", "--now", now, path))
    truth = []
    for r in rows:
        line = next(c for c in clustered if c["id"] == r["id"])
        truth.append(line["story"])
    print(json.dumps({"story_bcubed_f1": round(bcubed_f1([r["story"] for r in rows], truth), 4)}))


if __name__ == "__main__":
    main(*sys.argv[1:])
