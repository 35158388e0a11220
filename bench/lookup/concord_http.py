#!/usr/bin/env python3
"""Concordance latency per query at a running `tandem serve`, as a CAT tool
or the search page asks it: one keep-alive HTTP connection, GET
/api/concord for frequent and rare words and a phrase, 15 requests each
after one warm-up; the median and the maximum wall time from sending the
request to the whole answer read.
Usage: concord_http.py PORT
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def main():
    port = int(sys.argv[1])
    for _ in range(300):  # the server may still be starting
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit(f"concord_http: no server on port {port}")
    for what in ["Regierung", "die", "Bundesregierung", "in den letzten Jahren", "Trump"]:
        path = "/api/concord?" + urllib.parse.urlencode({"q": what, "src": "de", "tgt": "en"})
        times = []
        n = 0
        for i in range(16):
            t0 = time.perf_counter()
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            dt = (time.perf_counter() - t0) * 1000.0
            if r.status != 200:
                sys.exit(f"concord_http: {path}: HTTP {r.status}: {body[:200]!r}")
            if i:
                times.append(dt)
            n = len(json.loads(body))
        print(f"   concord '{what}' through serve: median {statistics.median(times):.1f} ms per query "
              f"(max {max(times):.1f}), {n} units shown")


if __name__ == "__main__":
    main()
