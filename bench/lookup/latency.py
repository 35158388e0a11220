#!/usr/bin/env python3
"""Per-query latency of `tandem lookup -` (batch mode) and its peak memory.

Feeds the queries one line at a time to one running `tandem lookup --json -`
and times each answer line (the program flushes after every answer), so the
numbers are what a caller of batch mode sees, pipe included. Writes the
answers to OUT (one JSON line per query) and prints p50/p90/p99/max in ms and
the process's peak resident memory (VmHWM).
Usage: latency.py TANDEM TM QUERIES OUT [extra lookup options...]
"""
import subprocess
import sys
import time


def main():
    tandem, tm, queries, out = sys.argv[1:5]
    extra = sys.argv[5:]
    with open(queries, encoding="utf-8") as f:
        qs = [l.rstrip("\n").split("\t", 1)[-1] for l in f]
    p = subprocess.Popen([tandem, "lookup", "--tm", tm, "--json"] + extra + ["-"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    times = []
    answers = []
    for q in qs:
        t0 = time.perf_counter()
        p.stdin.write((q + "\n").encode("utf-8"))
        line = p.stdout.readline()
        times.append((time.perf_counter() - t0) * 1000.0)
        if not line:
            sys.exit("latency: tandem stopped answering")
        answers.append(line)
    hwm = "?"
    with open(f"/proc/{p.pid}/status") as f:
        for l in f:
            if l.startswith("VmHWM:"):
                hwm = l.split()[1]
    p.stdin.close()
    p.wait()
    with open(out, "wb") as f:
        f.writelines(answers)
    s = sorted(times)

    def pct(x):
        return s[min(len(s) - 1, int(round(x / 100.0 * (len(s) - 1))))]
    print(f"queries {len(s)}  p50 {pct(50):.2f} ms (target 5)  p90 {pct(90):.2f} ms  p99 {pct(99):.2f} ms (target 50)  "
          f"max {s[-1]:.2f} ms  peak RSS {int(hwm) / 1024:.0f} MB (target 300)" if hwm != "?" else "peak RSS ?")


if __name__ == "__main__":
    main()
