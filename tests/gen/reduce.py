#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shrink a soundness program that patching breaks, line by line.

    reduce.py SRC FAMILY CONFIG [OUT]     e.g. gen-7015.cc gcc O1-retp

Removes chunks of lines, halving the chunk size down to one line
(delta debugging), keeping each removal after which the program still
builds, still runs the same twice unpatched, and still runs differently
patched (tests/gen/check-one.sh exit status 1).  The first lines (the
"// sound:" line and the includes) stay.  Writes the result to OUT
(default: SRC with .min before the suffix) and prints its line count.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def wrong(lines, path, fam, config):
    with open(path, "w") as f:
        f.write("".join(lines))
    rc = subprocess.call([os.path.join(HERE, "check-one.sh"), path, fam, config],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return rc == 1


def main():
    if len(sys.argv) < 4:
        sys.stderr.write("usage: reduce.py SRC FAMILY CONFIG [OUT]\n")
        return 2
    src, fam, config = sys.argv[1:4]
    stem, ext = os.path.splitext(src)
    out = sys.argv[4] if len(sys.argv) > 4 else stem + ".min" + ext
    lines = open(src).readlines()
    keep = 0
    while keep < len(lines) and (lines[keep].startswith("//") or lines[keep].startswith("#")):
        keep += 1
    work = out + ".try" + ext
    if not wrong(lines, work, fam, config):
        sys.stderr.write("%s: error: the program does not fail with %s %s\n" % (src, fam, config))
        os.remove(work)
        return 1
    chunk = max(1, (len(lines) - keep) // 2)
    while chunk >= 1:
        i, changed = keep, False
        while i < len(lines):
            cand = lines[:i] + lines[i + chunk:]
            if wrong(cand, work, fam, config):
                lines, changed = cand, True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    os.remove(work)
    with open(out, "w") as f:
        f.write("".join(lines))
    print("%s: %d lines" % (out, len(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
