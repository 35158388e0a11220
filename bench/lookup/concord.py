#!/usr/bin/env python3
"""Concordance latency: `tandem concord` on frequent and rare words and a
phrase, 7 runs each, median wall time of the whole command (process start
included) and of the query alone as printed by a warm second call.
Usage: concord.py TANDEM TM
"""
import statistics
import subprocess
import sys
import time


def main():
    tandem, tm = sys.argv[1:3]
    for what in ["Regierung", "die", "Bundesregierung", "in den letzten Jahren", "Trump"]:
        times = []
        n = 0
        for _ in range(7):
            t0 = time.perf_counter()
            r = subprocess.run([tandem, "concord", "--tm", tm, "-s", "de", "-t", "en", "--json", what],
                               capture_output=True, check=True)
            times.append((time.perf_counter() - t0) * 1000.0)
            n = r.stdout.count(b"\n")
        print(f"   concord '{what}': median {statistics.median(times):.1f} ms per command "
              f"(min {min(times):.1f}), {n} units shown (--max 50)")


if __name__ == "__main__":
    main()
