#!/usr/bin/env python3
"""Check the sample bitexts in this directory (python3 stdlib only).

For every pair NAME that has a gold file gold/NAME.gold:
  - NAME.de and NAME.en (running text) decode in their declared encoding
    (ENCODINGS below; everything else must be UTF-8 without BOM);
  - seg/NAME.de and seg/NAME.en (UTF-8, one sentence per line, an empty line
    between paragraphs) are a segmentation of the running text: paragraph by
    paragraph, the sentences joined by a space equal the running paragraph
    with its whitespace collapsed;
  - gold/NAME.gold is a monotone ladder: one bead "[i, ...]:[j, ...]" per
    line, no bead empty on both sides, each side's indices consecutive, and
    every sentence index of both sides used exactly once, in order.

Prints the sentence and bead-type counts per pair and in total.
  check.py            check, print the counts, exit 1 on any problem
  check.py --markdown print the counts as the Markdown table of README.md
"""

import collections
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# Files not in UTF-8. Everything else must be UTF-8 without BOM.
ENCODINGS = {
    "hallenbad-latin1.de": "iso-8859-1",
    "sinfonie-utf16.de": "utf-16",
    "sinfonie-utf16.en": "utf-16",
}

BEAD = re.compile(r"^\[((?:\d+(?:, \d+)*)?)\]:\[((?:\d+(?:, \d+)*)?)\]$")


class Problem(Exception):
    pass


def decode(fname, data):
    """Bytes of a running-text file -> str with LF line ends, NFC."""
    enc = ENCODINGS.get(fname, "utf-8")
    if enc == "utf-16":
        if data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
            raise Problem("%s: declared UTF-16 but has no BOM" % fname)
        text = data.decode("utf-16")  # uses and strips the BOM
    elif enc == "iso-8859-1":
        try:
            data.decode("utf-8")
            raise Problem("%s: declared Latin-1 but is valid UTF-8" % fname)
        except UnicodeDecodeError:
            pass
        c1 = re.search(rb"[\x80-\x9f]", data)
        if c1:
            raise Problem("%s: byte 0x%02x at offset %d is a C1 control in "
                          "ISO-8859-1 (Windows-1252?)" % (fname, data[c1.start()], c1.start()))
        text = data.decode("iso-8859-1")
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            raise Problem("%s: UTF-8 BOM (declare it in ENCODINGS if meant)" % fname)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Problem("%s: not UTF-8 at byte offset %d" % (fname, e.start))
    if "\0" in text:
        raise Problem("%s: NUL character" % fname)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def running_paragraphs(text):
    paras = re.split(r"\n[ \t]*\n", text.strip())
    return [" ".join(p.split()) for p in paras if p.strip()]


def seg_paragraphs(fname, text):
    """List of paragraphs, each a list of sentences."""
    if not text.endswith("\n"):
        raise Problem("%s: no newline at the end" % fname)
    paras = [[]]
    for lineno, line in enumerate(text[:-1].split("\n"), 1):
        if not line:
            if not paras[-1]:
                raise Problem("%s:%d: more than one empty line, or one at the start"
                              % (fname, lineno))
            paras.append([])
        elif line != line.strip() or "  " in line:
            raise Problem("%s:%d: stray whitespace in a sentence" % (fname, lineno))
        else:
            paras[-1].append(line)
    if not paras[-1]:
        raise Problem("%s: empty line at the end" % fname)
    return paras


def compare(name, lang, run_paras, seg_paras):
    if len(run_paras) != len(seg_paras):
        raise Problem("%s.%s: %d paragraphs in the running text, %d in seg/"
                      % (name, lang, len(run_paras), len(seg_paras)))
    for k, (run, sents) in enumerate(zip(run_paras, seg_paras)):
        joined = " ".join(sents)
        if joined != run:
            at = next((i for i, (a, b) in enumerate(zip(joined, run)) if a != b),
                      min(len(joined), len(run)))
            raise Problem("%s.%s: paragraph %d differs at character %d: seg %r, text %r"
                          % (name, lang, k, at, joined[max(0, at - 20):at + 20],
                             run[max(0, at - 20):at + 20]))


def read_gold(fname, nsrc, ntgt):
    beads = []
    si = ti = 0
    with open(os.path.join(HERE, fname), encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    if lines[-1] == "":
        lines.pop()
    for lineno, line in enumerate(lines, 1):
        m = BEAD.match(line)
        if not m:
            raise Problem("%s:%d: not a bead like [0]:[0, 1]: %r" % (fname, lineno, line))
        src = [int(x) for x in m.group(1).split(", ")] if m.group(1) else []
        tgt = [int(x) for x in m.group(2).split(", ")] if m.group(2) else []
        if not src and not tgt:
            raise Problem("%s:%d: empty bead" % (fname, lineno))
        if src != list(range(si, si + len(src))) or tgt != list(range(ti, ti + len(tgt))):
            raise Problem("%s:%d: expected the next indices [%d...]:[%d...], got %r"
                          % (fname, lineno, si, ti, line))
        si += len(src)
        ti += len(tgt)
        beads.append((len(src), len(tgt)))
    if si != nsrc or ti != ntgt:
        raise Problem("%s: covers %d/%d source and %d/%d target sentences"
                      % (fname, si, nsrc, ti, ntgt))
    return beads


def check_pair(name):
    """Return (sentences de, sentences en, Counter of bead types)."""
    counts = []
    for lang in ("de", "en"):
        fname = "%s.%s" % (name, lang)
        with open(os.path.join(HERE, fname), "rb") as fh:
            run = running_paragraphs(decode(fname, fh.read()))
        segname = os.path.join("seg", fname)
        with open(os.path.join(HERE, segname), "rb") as fh:
            try:
                segtext = fh.read().decode("utf-8")
            except UnicodeDecodeError as e:
                raise Problem("%s: not UTF-8 at byte offset %d" % (segname, e.start))
        seg = seg_paragraphs(segname, unicodedata.normalize("NFC", segtext))
        compare(name, lang, run, seg)
        counts.append(sum(len(p) for p in seg))
    beads = read_gold(os.path.join("gold", name + ".gold"), counts[0], counts[1])
    return counts[0], counts[1], collections.Counter("%d-%d" % b for b in beads)


def main():
    markdown = sys.argv[1:] == ["--markdown"]
    if sys.argv[1:] and not markdown:
        sys.stderr.write("usage: check.py [--markdown]\n")
        return 2
    names = sorted(f[:-5] for f in os.listdir(os.path.join(HERE, "gold")) if f.endswith(".gold"))
    if not names:
        sys.stderr.write("check.py: no gold files in %s/gold\n" % HERE)
        return 1
    total = collections.Counter()
    rows = []
    bad = 0
    for name in names:
        try:
            nde, nen, types = check_pair(name)
        except (Problem, OSError) as e:
            sys.stderr.write("check.py: %s\n" % e)
            bad += 1
            continue
        total.update(types)
        total["de"] += nde
        total["en"] += nen
        rows.append((name, nde, nen, types))
    order = sorted({t for _, _, _, ty in rows for t in ty},
                   key=lambda t: (t != "1-1", sum(map(int, t.split("-"))), t))
    if markdown:
        print("| pair | de | en | beads | " + " | ".join(order) + " |")
        print("| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in order) + " |")
        for name, nde, nen, types in rows + [("**all**", total["de"], total["en"],
                                              collections.Counter({t: total[t] for t in order}))]:
            print("| %s | %d | %d | %d | %s |" % (name, nde, nen, sum(types.values()),
                                                 " | ".join(str(types.get(t, 0)) for t in order)))
    else:
        print("%-18s %4s %4s %5s  %s" % ("pair", "de", "en", "beads", "  ".join("%4s" % t for t in order)))
        for name, nde, nen, types in rows:
            print("%-18s %4d %4d %5d  %s" % (name, nde, nen, sum(types.values()),
                                             "  ".join("%4d" % types.get(t, 0) for t in order)))
        nbeads = sum(total[t] for t in order)
        print("%-18s %4d %4d %5d  %s" % ("all", total["de"], total["en"], nbeads,
                                         "  ".join("%4d" % total[t] for t in order)))
        if nbeads:
            print("1-1 beads: %.1f%%" % (100.0 * total["1-1"] / nbeads))
        print("%d pairs checked, %d with problems" % (len(names), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
