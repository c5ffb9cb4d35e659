#!/usr/bin/env python3
"""Keeps tests/engine complete: every event kind of IR_EVENT_KINDS
(analyzer/ir/ir.h) appears in a bad-* and in a good-* test, and every rule
the engine reports (analyzer/engine/checks.h, but invalid-suppression,
which comes from comments, not IR) has a test that expects it and a good-*
test in its own directory. With --table, prints which files cover what.

  engine_coverage.py SRCDIR [--table]
"""
import glob
import os
import re
import sys


def names(path, pattern):
    with open(path, encoding="utf-8") as f:
        return re.findall(pattern, f.read())


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        return 2
    root = sys.argv[1]
    kinds = names(os.path.join(root, "analyzer/ir/ir.h"),
                  r'X\(EV_[A-Z_]+, "([a-z-]+)"')
    rules = [r for r in names(os.path.join(root, "analyzer/engine/checks.h"),
                              r'X\(CHK_[A-Z_]+, "([a-z-]+)"')
             if r != "invalid-suppression"]
    base = os.path.join(root, "tests/engine")
    uses = {k: {"bad": [], "good": []} for k in kinds}
    pos = {r: [] for r in rules}
    neg = {r: [] for r in rules}
    for path in sorted(glob.glob(os.path.join(base, "**/*.ir"), recursive=True)):
        rel = os.path.relpath(path, base)
        side = "good" if os.path.basename(rel).startswith("good-") else "bad"
        text = open(path, encoding="utf-8").read()
        words = {m for m in re.findall(r"^\s+([a-z-]+)\b", text, re.M)}
        for k in kinds:
            if k in words:
                uses[k][side].append(rel)
        for r in re.findall(r"^;\s*expect:\s*([a-z-]+)", text, re.M):
            if r in pos and rel not in pos[r]:
                pos[r].append(rel)
        rule_dir = rel.split(os.sep)[0]
        if side == "good" and rule_dir in neg:
            neg[rule_dir].append(rel)
    gaps = [f"event kind {k}: no {s}-* test" for k in kinds
            for s in ("bad", "good") if not uses[k][s]]
    gaps += [f"rule {r}: no test expects it" for r in rules if not pos[r]]
    gaps += [f"rule {r}: no good-* test in {r}/" for r in rules if not neg[r]]
    if "--table" in sys.argv:
        for k in kinds:
            print(f"{k}: bad {len(uses[k]['bad'])}, good {len(uses[k]['good'])}")
        for r in rules:
            print(f"{r}: expected in {len(pos[r])}, good {len(neg[r])}")
    for g in gaps:
        print("GAP", g)
    print(f"{len(kinds)} event kinds, {len(rules)} rules, {len(gaps)} gaps")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
