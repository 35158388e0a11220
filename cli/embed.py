#!/usr/bin/env python3
"""Write a C file holding a file's bytes: embed.py IN OUT NAME.

Defines `const char NAME[]` (the bytes and a NUL) and `const size_t NAME_len`
(without the NUL), so that the server carries its page in the binary. A byte
array, not a string literal: ISO C compilers need not take literals over
4095 characters."""
import sys

src, dst, name = sys.argv[1:4]
data = open(src, "rb").read()
with open(dst, "w", encoding="ascii") as f:
    f.write("/* Generated from %s by cli/embed.py. */\n#include <stddef.h>\n\n" % src.split("/")[-1])
    f.write("const char %s[] = {\n" % name)
    for i in range(0, len(data), 16):
        f.write("\t" + ", ".join("'\\x%02x'" % b for b in data[i:i + 16]) + ",\n")
    f.write("\t0\n};\nconst size_t %s_len = %d;\n" % (name, len(data)))
