#!/usr/bin/env python3
"""A client that calls tandem serve the way Weblate's tmserver machinery
calls a TM server, and compares its best matches with `tandem lookup --json`.

Weblate (weblate/machinery/tmserver.py) first asks for {url}/languages/ and
checks that the pair is listed, then for each string asks
{url}/{src}/{tgt}/unit/{text} with the text cut to 500 characters and
percent-encoded (a '/' too), and reads source, target and quality of each
answer. The CLI gets the same cut texts on standard input (`lookup -`).

  weblate_client.py TANDEM TM BASE_URL QUERIES N

Prints the agreement (same best source and the same rounded percentage, or
no match on both sides) and exits 1 when a query disagrees.
"""
import json
import subprocess
import sys
import urllib.parse
import urllib.request


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


def main():
    tandem, tm, base, queries, n = sys.argv[1:6]
    n = int(n)
    with open(queries, encoding="utf-8") as f:
        texts = [l.rstrip("\n").split("\t", 1)[-1][:500] for l in f][:n]
    langs = get(base + "/languages/")
    pairs = {(s, t) for s in langs["sourceLanguages"] for t in langs["targetLanguages"]}
    if ("de", "en") not in pairs:
        sys.exit("weblate_client: de -> en not among the languages: %s" % langs)
    served = []
    for t in texts:
        ans = get("%s/de/en/unit/%s" % (base, urllib.parse.quote(t, safe="")))
        served.append((ans[0]["source"], round(ans[0]["quality"])) if ans else None)
    p = subprocess.run([tandem, "lookup", "--tm", tm, "-s", "de", "-t", "en", "--min", "70", "--json", "-"],
                       input="".join(t + "\n" for t in texts), capture_output=True, text=True, check=True)
    cli = []
    for line in p.stdout.splitlines():
        m = json.loads(line)["matches"]
        cli.append((m[0]["source"], round(m[0]["score"])) if m else None)
    agree = sum(1 for a, b in zip(served, cli) if a == b)
    matched = sum(1 for a in cli if a)
    print("agreement: %d of %d queries the same best match (source and rounded %%) as lookup --json; "
          "%d of them have a match of 70 %% or more" % (agree, len(texts), matched))
    for i, (a, b) in enumerate(zip(served, cli)):
        if a != b:
            print("  differs at query %d: served %s, CLI %s" % (i + 1, a, b))
    return 0 if agree == len(texts) and len(cli) == len(texts) else 1


if __name__ == "__main__":
    sys.exit(main())
