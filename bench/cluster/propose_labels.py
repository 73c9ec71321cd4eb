#!/usr/bin/env python3
"""Proposes story groups on a slice of SaudiNewsNet for hand labeling.

Prints candidate groups (url, source, title) from a loose single-link grouping
of lead-word Jaccard; a person then reads the titles, splits and merges, and
writes crates/rasd-cluster/model/labels.tsv (url TAB story label). The
proposals are only a reading aid: the labels are what the reader decided.

  python3 propose_labels.py ../shared/data/saudinewsnet.jsonl.gz 2015-08-01 2015-08-02 > /tmp/proposals.txt
"""
import gzip, json, re, sys, random, collections

AR = re.compile(r'[\u0621-\u064A0-9A-Za-z]+')
FOLD = str.maketrans({'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ى': 'ي', 'ة': 'ه'})
STOP = set('في من على الى إلى عن ان أن مع هذا هذه التي الذي او أو و ما لا قد كان وقال قال بين بعد خلال كما اليوم'.translate(FOLD).split())


def words(t):
    return [w for w in AR.findall(t.translate(FOLD)) if w not in STOP and len(w) > 2]


def main():
    path, days = sys.argv[1], set(sys.argv[2:])
    arts = []
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        for line in f:
            o = json.loads(line)
            if o['date_extracted'][:10] in days:
                arts.append(o)
    sets = [set(words(o['title'] + ' ' + ' '.join(o['content'].split()[:50]))) for o in arts]
    df = collections.Counter(w for s in sets for w in s)
    n = len(arts)
    sets = [{w for w in s if df[w] < n * 0.02} for s in sets]
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    inv = collections.defaultdict(list)
    for i, s in enumerate(sets):
        for w in s:
            inv[w].append(i)
    for i, s in enumerate(sets):
        cnt = collections.Counter(j for w in s for j in inv[w] if j < i)
        for j, c in cnt.items():
            if c / max(1, min(len(s), len(sets[j]))) >= 0.35 and c >= 4:
                parent[find(i)] = find(j)
    groups = collections.defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    multi = [g for g in groups.values() if len(g) >= 2]
    single = [g for g in groups.values() if len(g) == 1]
    rng = random.Random(7)
    rng.shuffle(multi)
    rng.shuffle(single)
    picked = [g for g in multi if len(g) <= 25][:70] + single[:80]
    for k, g in enumerate(picked):
        print(f'## G{k} size={len(g)}')
        for i in g:
            o = arts[i]
            print(f"{o['url']}\t{o['source']}\t{o['date_extracted'][:16]}\t{o['title'][:110]}")


main()
