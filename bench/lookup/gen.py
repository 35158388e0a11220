#!/usr/bin/env python3
"""Make the lookup benchmark's data from real German-English sentence pairs.

Input: the 1-1 pairs of newstest2019-deen/clean (../shared/eval; not part of
the project, never copied into it). Output, in OUTDIR:
  tm.tsv       N units "source<TAB>target": the real pairs (all but a held-out
               fifth of the documents) plus variants of them: words replaced by
               words of the same vocabulary (drawn by corpus frequency), words
               dropped or inserted, halves of two sentences joined.
  queries.tsv  "kind<TAB>query": near copies of stored units (1-3 words
               changed), exact copies, and new sentences from the held-out
               documents (the TM has never seen them).
Deterministic for a given --seed.
"""
import argparse
import bisect
import glob
import os
import random
import re
import sys

WORD = re.compile(r"\w+", re.UNICODE)


def load_pairs(clean):
    docs = []
    for de in sorted(glob.glob(os.path.join(clean, "*.de"))):
        en = de[:-3] + ".en"
        if not os.path.exists(en):
            continue
        with open(de, encoding="utf-8") as f:
            src = [l.rstrip("\n") for l in f]
        with open(en, encoding="utf-8") as f:
            tgt = [l.rstrip("\n") for l in f]
        pairs = [(s.strip(), t.strip()) for s, t in zip(src, tgt) if s.strip() and t.strip()
                 and "\t" not in s + t]
        docs.append((os.path.basename(de), pairs))
    return docs


class Vocab:
    """Words by corpus frequency, for Zipf-like replacement draws."""

    def __init__(self, sentences):
        counts = {}
        for s in sentences:
            for w in WORD.findall(s):
                counts[w] = counts.get(w, 0) + 1
        self.words = sorted(counts, key=lambda w: -counts[w])
        self.cum = []
        total = 0
        for w in self.words:
            total += counts[w]
            self.cum.append(total)
        self.total = total

    def draw(self, rng):
        return self.words[bisect.bisect_left(self.cum, rng.random() * self.total)]


def tokens(s):
    return s.split(" ")


def edit(rng, s, vocab, nedits):
    """Replace, drop or insert nedits words (whitespace tokens that hold a word)."""
    t = tokens(s)
    for _ in range(nedits):
        idx = [i for i, x in enumerate(t) if WORD.search(x)]
        if not idx:
            break
        i = rng.choice(idx)
        op = rng.random()
        if op < 0.7:
            m = WORD.search(t[i])
            t[i] = t[i][:m.start()] + vocab.draw(rng) + t[i][m.end():]
        elif op < 0.85 and len(t) > 3:
            del t[i]
        else:
            t.insert(i, vocab.draw(rng))
    return " ".join(t)


def splice(a, b):
    ta, tb = tokens(a), tokens(b)
    return " ".join(ta[: max(1, len(ta) // 2)] + tb[len(tb) // 2:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("clean")
    ap.add_argument("outdir")
    ap.add_argument("--units", type=int, default=1000000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2019)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    docs = load_pairs(a.clean)
    rng.shuffle(docs)
    nheld = max(1, len(docs) // 5)
    held = [p for _, ps in docs[:nheld] for p in ps]
    base = [p for _, ps in docs[nheld:] for p in ps]
    vde = Vocab(s for s, _ in base)
    ven = Vocab(t for _, t in base)
    seen = set()
    units = []
    for p in base:
        if p not in seen:
            seen.add(p)
            units.append(p)
    while len(units) < a.units:
        s, t = rng.choice(base)
        r = rng.random()
        if r < 0.1:
            s2, t2 = rng.choice(base)
            s, t = splice(s, s2), splice(t, t2)
        n = len(tokens(s))
        k = 1 + min(int(rng.expovariate(1.0 / max(1.0, 0.12 * n))), max(1, n // 2))
        s = edit(rng, s, vde, k)
        t = edit(rng, t, ven, k)
        if (s, t) in seen:
            continue
        seen.add((s, t))
        units.append((s, t))
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "tm.tsv"), "w", encoding="utf-8") as f:
        for s, t in units:
            f.write(f"{s}\t{t}\n")
    stored_sources = set(s for s, _ in units)
    queries = []
    nnew = a.queries // 2
    nexact = a.queries // 10
    for _ in range(nexact):
        queries.append(("exact", rng.choice(units)[0]))
    while len(queries) < a.queries - nnew:
        s = rng.choice(units)[0]
        q = edit(rng, s, vde, rng.randint(1, 3))
        if q != s and q not in stored_sources:
            queries.append(("near", q))
    rng.shuffle(held)
    for s, _ in held[:nnew]:
        queries.append(("new", s))
    rng.shuffle(queries)
    with open(os.path.join(a.outdir, "queries.tsv"), "w", encoding="utf-8") as f:
        for k, q in queries:
            f.write(f"{k}\t{q}\n")
    print(f"gen: {len(units)} units from {len(base)} real pairs ({len(docs) - nheld} documents), "
          f"{len(queries)} queries ({nexact} exact, {a.queries - nnew - nexact} near, "
          f"{min(nnew, len(held))} new from {nheld} held-out documents)", file=sys.stderr)


if __name__ == "__main__":
    main()
