#!/usr/bin/python3
"""Generate news-sized German-English document pairs for the batch benchmark.

Documents are built from the sentence pairs of ../shared/eval/newstest2019-deen/clean
(real news and its professional translation; not part of this repository): each
document takes about 20 consecutive sentence pairs from a random place, merges two
neighbouring sentences on one side now and then and drops a sentence on one side
now and then (as real translations do), and is written as running text in
paragraphs of one to four sentences. Writes OUT/docNNNNN.de and OUT/docNNNNN.en.

usage: gen.py COUNT OUTDIR [--seed N] [--sentences N] [--unique]
Exits 0 with a note when ../shared/eval is missing ($TANDEM_EVAL overrides the path).
"""
import argparse
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EVAL = os.environ.get("TANDEM_EVAL") or os.path.join(os.path.dirname(ROOT), "shared", "eval")
CLEAN = os.path.join(EVAL, "newstest2019-deen", "clean")


def load():
    de, en = [], []
    for name in sorted(os.listdir(CLEAN)):
        if not name.endswith(".de"):
            continue
        base = os.path.join(CLEAN, name[:-3])
        with open(base + ".de", encoding="utf-8") as f:
            d = [l.strip() for l in f]
        with open(base + ".en", encoding="utf-8") as f:
            e = [l.strip() for l in f]
        if len(d) != len(e):
            continue
        for a, b in zip(d, e):
            if a and b:
                de.append(a)
                en.append(b)
    return de, en


def document(rng, de, en, n, unique=None):
    start = rng.randrange(len(de))
    pairs = [(de[(start + k) % len(de)], en[(start + k) % len(de)]) for k in range(n)]
    if unique is not None:
        # every sentence pair once in the whole batch: a reference number on both sides
        pairs = [(f"{unique}/{k}: {s}", f"{unique}/{k}: {t}") for k, (s, t) in enumerate(pairs)]
    src, tgt = [], []          # lists of paragraphs, each a list of sentences
    para_s, para_t = [], []
    left = rng.randint(1, 4)
    k = 0
    while k < len(pairs):
        s, t = pairs[k]
        r = rng.random()
        if r < 0.03:
            # the translation leaves this sentence out, or adds one
            if rng.random() < 0.5:
                para_s.append(s)
            else:
                para_t.append(t)
        elif r < 0.08 and k + 1 < len(pairs):
            s2, t2 = pairs[k + 1]
            if rng.random() < 0.5:
                para_s.append(s + " " + s2)
                para_t.extend([t, t2])
            else:
                para_s.extend([s, s2])
                para_t.append(t + " " + t2)
            k += 1
        else:
            para_s.append(s)
            para_t.append(t)
        k += 1
        left -= 1
        if left == 0 or k >= len(pairs):
            if para_s or para_t:
                src.append(para_s)
                tgt.append(para_t)
            para_s, para_t = [], []
            left = rng.randint(1, 4)
    return src, tgt


def write(path, paras):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(" ".join(p) for p in paras if p) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("count", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sentences", type=int, default=20)
    ap.add_argument("--unique", action="store_true",
                    help="append a reference number to every sentence pair, so that no two units "
                         "of the batch are equal (the sentences repeat otherwise: the source has ~2,000)")
    a = ap.parse_args()
    if not os.path.isdir(CLEAN):
        print(f"gen.py: {CLEAN} is missing; nothing generated", file=sys.stderr)
        return 0
    rng = random.Random(a.seed)
    de, en = load()
    os.makedirs(a.outdir, exist_ok=True)
    for i in range(a.count):
        src, tgt = document(rng, de, en, a.sentences, i if a.unique else None)
        write(os.path.join(a.outdir, f"doc{i:05d}.de"), src)
        write(os.path.join(a.outdir, f"doc{i:05d}.en"), tgt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
