#!/usr/bin/env python3
"""Scans one testdata file with timerlint and compares the findings with the
file's inline expectations. Fails on any missing or extra (line, rule) pair.

  /* expect: rule-a, rule-b */   findings expected on this line
  /* known-gap: rule */          expected but not found yet: tolerated, listed
  // flags: -DX=1                (first lines) extra compiler flags
  // scan: --link                 (first lines) extra timerlint scan options
"""
import os
import re
import subprocess
import sys
from collections import Counter

EXPECT = re.compile(r"/\*\s*(expect|known-gap):\s*([a-z0-9, -]+?)\s*\*/")
FLAGS = re.compile(r"^\s*//\s*flags:(.*)$")
SCAN = re.compile(r"^\s*//\s*scan:(.*)$")
FINDING = re.compile(r"^(.*?):(\d+):(\d+): warning: .* \[([a-z0-9-]+)\]$")


def expectations(path):
    want, gaps, flags, scan = Counter(), Counter(), [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = FLAGS.match(line)
            if m and n <= 5:
                flags += m.group(1).split()
            m = SCAN.match(line)
            if m and n <= 5:
                scan += m.group(1).split()
            for kind, rules in EXPECT.findall(line):
                for rule in filter(None, (r.strip() for r in rules.split(","))):
                    (want if kind == "expect" else gaps)[(n, rule)] += 1
    return want, gaps, flags, scan


def main():
    if len(sys.argv) < 3:
        print("usage: run_testdata.py TIMERLINT FILE [extra scan args]")
        return 2
    tool, path = sys.argv[1], sys.argv[2]
    want, gaps, flags, scan = expectations(path)
    cmd = [tool, "scan", "-q", "--no-db", path] + scan + sys.argv[3:] + ["--"] + flags
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print(f"FAIL {path}: timerlint exited {p.returncode}\n{p.stderr}")
        return 1
    real = os.path.realpath(path)
    got = Counter()
    for line in p.stdout.splitlines():
        m = FINDING.match(line)
        if m and os.path.realpath(m.group(1)) == real:
            got[(int(m.group(2)), m.group(4))] += 1
    missing = want - got
    extra = got - want - gaps
    gap_found = gaps & got
    ok = not missing and not extra
    for (n, rule), c in sorted(missing.items()):
        print(f"{path}:{n}: missing finding [{rule}]")
    for (n, rule), c in sorted(extra.items()):
        print(f"{path}:{n}: unexpected finding [{rule}]")
    for (n, rule), c in sorted(gap_found.items()):
        print(f"{path}:{n}: known gap now found [{rule}]: turn it into expect")
        ok = False
    for (n, rule), c in sorted((gaps - got).items()):
        print(f"{path}:{n}: known gap [{rule}]")
    if not ok:
        print("--- timerlint output ---")
        print(p.stdout, end="")
        print(p.stderr, end="")
    print(f"{'PASS' if ok else 'FAIL'} {path}: {sum(want.values())} expected, "
          f"{sum(got.values())} reported")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
