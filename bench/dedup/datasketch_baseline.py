#!/usr/bin/env python3
"""datasketch baseline for `rasd dedup`: MinHashLSH, 128 permutations, threshold 0.8.

Reads the same JSONL(.gz) articles as `rasd dedup` (`body` or `content`; `id` or
`url`), shingles each body like rasd does (word 5-grams of the matching key,
re-implemented below with the standard library), inserts MinHash sketches into
a MinHashLSH and writes every candidate pair it reports, unverified (that is
datasketch's answer), as JSON Lines `["id_a", "id_b"]`. Score them with

    rasd eval dedup FILE --pairs PAIRS

Usage: datasketch_baseline.py FILE.jsonl[.gz] PAIRS.jsonl
Needs: pip install datasketch (into /work/venv). The product never runs this.
"""

import gzip
import json
import re
import sys
import time
import unicodedata

from datasketch import MinHash, MinHashLSH

# The matching key of rasd_text::normalize::matching_key, close enough for a
# baseline: NFC, controls out, presentation forms folded, harakat and tatweel
# out, alef/yeh/teh-marbuta folded, Arabic-Indic digits to ASCII, lower case.
CONTROLS = re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")
MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
FOLD = str.maketrans(
    {
        **{c: "ا" for c in "أإآٱ\u0672\u0673\u0675"},
        **{c: "ي" for c in "ىیېے"},
        **{c: "ه" for c in "ةەۀہھۂ"},
        **{c: "ك" for c in "کڪ"},
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        "٫": ".",
        "٬": ",",
        "٪": "%",
    }
)
# Words and numbers; a number keeps inner separators between digits.
TOKEN = re.compile(r"\d+(?:[.,:'٫٬]\d+)*\w*|[^\W_]+", re.UNICODE)


def matching_key(text):
    text = unicodedata.normalize("NFC", text)
    text = CONTROLS.sub("", text)
    text = PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = MARKS.sub("", text)
    return text.translate(FOLD).lower()


def shingles(body, n=5):
    words = TOKEN.findall(matching_key(body))
    return {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}


def main():
    src, dst = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    opener = gzip.open if src.endswith(".gz") else open
    ids, sets = [], []
    with opener(src, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            a = json.loads(line)
            ids.append(a.get("id") or a.get("url") or f"{src}:{n}")
            sets.append(shingles(a.get("body") or a.get("content") or ""))
    keep = [i for i, s in enumerate(sets) if s]
    sketches = MinHash.bulk([list(sets[i]) for i in keep], num_perm=128)
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    pairs = 0
    with open(dst, "w", encoding="utf-8") as out:
        for i, m in zip(keep, sketches):
            for j in lsh.query(m):
                out.write(json.dumps([ids[j], ids[i]], ensure_ascii=False) + "\n")
                pairs += 1
            lsh.insert(i, m)
    print(
        f"datasketch: {len(ids)} articles, {pairs} candidate pairs, {time.perf_counter() - start:.2f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
