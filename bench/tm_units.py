#!/usr/bin/python3
"""Write N German-English TSV units for the TM benchmarks (bench/tm, bench/pg/run).

The units are real sentence pairs from NEWS (newstest2019-deen/clean of
../shared/eval, outside the repository): the first as they are, the rest as
variants with two words on each side replaced from the same vocabulary, so
that nearly every unit is new and texts look like news.

usage: tm_units.py NEWS_DIR N OUT.tsv
"""
import glob, random, sys
news, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pairs = []
for f in sorted(glob.glob(news + "/*.de")):
    de = open(f, encoding="utf-8").read().split("\n")
    en = open(f[:-3] + ".en", encoding="utf-8").read().split("\n")
    pairs += [(a.strip(), b.strip()) for a, b in zip(de, en) if a.strip() and b.strip()]
vde = sorted({w for a, _ in pairs for w in a.split()})
ven = sorted({w for _, b in pairs for w in b.split()})
r = random.Random(42)
with open(out, "w", encoding="utf-8") as o:
    for i in range(n):
        a, b = pairs[i % len(pairs)]
        if i >= len(pairs):
            a, b = a.split(), b.split()
            for _ in range(2):
                a[r.randrange(len(a))] = r.choice(vde)
                b[r.randrange(len(b))] = r.choice(ven)
            a, b = " ".join(a), " ".join(b)
        o.write(a.replace("\t", " ") + "\t" + b.replace("\t", " ") + "\n")
