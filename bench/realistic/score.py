#!/usr/bin/env python3
"""Scores timerlint on the realistic modules under bench/realistic/: code
written by someone who never read the analyzer, with its expected findings
marked inline (/* expect: RULE */, the testdata syntax). Prints, per module,
expected / found / missed / extra, and the totals. A module that passes
whole moves to testdata/ (a ctest case); until then it is measured here.

  score.py TIMERLINT [DIR...]   (default: every directory beside this file)
"""
import os
import re
import subprocess
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECT = re.compile(r"/\*\s*expect:\s*([a-z0-9, -]+?)\s*\*/")
OPT = re.compile(r"^\s*//\s*(flags|scan):(.*)$")
FINDING = re.compile(r"^(.*?):(\d+):(\d+): warning: .* \[([a-z0-9-]+)\]$")


def pkg_flags():
    p = subprocess.run(["pkg-config", "--cflags", "glib-2.0", "libuv",
                        "libevent"], capture_output=True, text=True)
    return p.stdout.split()


def score(tool, path, extra_flags):
    want, flags, scan = Counter(), [], []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        m = OPT.match(line)
        if m and n <= 5:
            (flags if m.group(1) == "flags" else scan).extend(m.group(2).split())
        for rules in EXPECT.findall(line):
            for r in filter(None, (x.strip() for x in rules.split(","))):
                want[(n, r)] += 1
    cmd = [tool, "scan", "-q", "--no-db", path] + scan + ["--"] + flags + extra_flags
    p = subprocess.run(cmd, capture_output=True, text=True)
    got = Counter()
    for line in p.stdout.splitlines():
        m = FINDING.match(line)
        if m and os.path.realpath(m.group(1)) == os.path.realpath(path):
            got[(int(m.group(2)), m.group(4))] += 1
    return want, got, p.returncode


def main():
    tool = sys.argv[1]
    dirs = sys.argv[2:] or sorted(os.path.join(HERE, d) for d in os.listdir(HERE)
                                  if os.path.isdir(os.path.join(HERE, d)))
    extra = pkg_flags()
    tw = tg = tok = 0
    for d in dirs:
        for f in sorted(os.listdir(d)):
            if not f.endswith((".c", ".cpp")):
                continue
            path = os.path.join(d, f)
            want, got, rc = score(tool, path, extra)
            ok = sum((want & got).values())
            tw += sum(want.values()); tg += sum(got.values()); tok += ok
            miss = sorted((want - got).items()); extra_f = sorted((got - want).items())
            print(f"{os.path.relpath(path, HERE)}: expected {sum(want.values())}, "
                  f"right {ok}, missed {len(miss)}, extra {len(extra_f)}"
                  + ("" if rc in (0, 1) else f" (exit {rc})"))
            for (n, r), _ in miss:
                print(f"   missed  {n}: {r}")
            for (n, r), _ in extra_f:
                print(f"   extra   {n}: {r}")
    print(f"total: expected {tw}, reported {tg}, right {tok}: recall "
          f"{tok / tw if tw else 0:.2f}, precision {tok / tg if tg else 1:.2f}")


if __name__ == "__main__":
    main()
