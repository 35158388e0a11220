#!/usr/bin/env python3
"""Recall of the lookup index against --exhaustive, from two JSON-lines files
(one answer per query, same order): `tandem lookup --json -` and the same
with `--exhaustive`. Prints, overall and per query kind (from QUERIES):
  best   queries whose best index match is the exhaustive best (same unit,
         or the same score when several units tie), over queries where
         exhaustive has one or the index has one
  >=75   exhaustive matches of 75 % or more that the index also returns
Usage: recall.py QUERIES INDEX.jsonl EXHAUSTIVE.jsonl
"""
import json
import sys


def main():
    qpath, ipath, epath = sys.argv[1:4]
    kinds = [l.split("\t", 1)[0] for l in open(qpath, encoding="utf-8")]
    idx = [json.loads(l) for l in open(ipath, encoding="utf-8")]
    exh = [json.loads(l) for l in open(epath, encoding="utf-8")]
    if not (len(kinds) == len(idx) == len(exh)):
        sys.exit(f"recall: {len(kinds)} queries, {len(idx)} index answers, {len(exh)} exhaustive answers")
    stats = {}
    misses = []
    for k, a, b in zip(kinds, idx, exh):
        assert a["query"] == b["query"]
        for key in (k, "all"):
            s = stats.setdefault(key, [0, 0, 0, 0, 0])
            s[4] += 1
            if a["matches"] or b["matches"]:
                s[0] += 1
                same = bool(a["matches"]) and bool(b["matches"]) and (
                    a["matches"][0]["origin"]["unit"] == b["matches"][0]["origin"]["unit"]
                    or a["matches"][0]["score"] == b["matches"][0]["score"])
                s[1] += same
                if not same and key == "all":
                    misses.append((a["query"], a["matches"][:1], b["matches"][:1]))
            got = {m["origin"]["unit"] for m in a["matches"]}
            got_scores = sorted((m["score"] for m in a["matches"]), reverse=True)
            for i, m in enumerate(b["matches"]):
                if m["score"] >= 75:
                    s[2] += 1
                    # a tie at the same score and rank counts as found
                    s[3] += m["origin"]["unit"] in got or (i < len(got_scores) and got_scores[i] == m["score"])
    for key in sorted(stats):
        n, best, n75, f75, nq = stats[key]
        print(f"{key:6} queries {nq:5}  best = exhaustive best: {best}/{n} "
              f"({100.0 * best / max(1, n):.1f} %)  matches >= 75 % found: {f75}/{n75} "
              f"({100.0 * f75 / max(1, n75):.1f} %)" + ("  (targets: 99 % and 99 %)" if key == "all" else ""))
    for q, a, b in misses[:5]:
        print("miss:", q[:100], "| index:", a[0]["score"] if a else None, "| exhaustive:",
              b[0]["score"] if b else None, file=sys.stderr)


if __name__ == "__main__":
    main()
