#!/usr/bin/env python3
"""Scans one testdata file with timerlint and compares the findings with the
file's inline expectations. Fails on any missing or extra (line, rule) pair,
and on any note marker that no note of a finding satisfies.

  /* expect: rule-a, rule-b */   findings expected on this line
  /* known-gap: rule */          expected but not found yet: tolerated, listed
  /* note: TEXT */               some finding of the file has a note on this
                                 line whose text contains TEXT (a substring,
                                 case and spacing as printed)
  /* note[rule]: TEXT */         the same, by a finding of that rule: tied to
                                 the rule, not to one finding of it
  /* note-gap[rule]: TEXT */     a note that should be there and is not yet:
                                 tolerated, listed; fails once it is met
  // flags: -DX=1                (first lines) extra compiler flags
  // scan: --link                 (first lines) extra timerlint scan options
  // with: parts/b.c parts/c.c    (first lines) more files of the same run
                                 (the link phase across TUs), relative to
                                 this one; their own markers are checked too

Several markers may share a line, in any order:
  t = make(); /* expect: missing-stop */ /* note[missing-stop]: created here */
Notes are checked where marked only: a line with no note marker may carry any
notes. A finding's notes are the `FILE:LINE:COL: note:` lines printed after
its warning (or error); only notes in the scanned file count.
"""
import os
import re
import subprocess
import sys
from collections import Counter

EXPECT = re.compile(r"/\*\s*(expect|known-gap):\s*([a-z0-9, -]+?)\s*\*/")
NOTE_MARK = re.compile(r"/\*\s*note(-gap)?(?:\[([a-z0-9-]+)\])?:\s*(.*?)\s*\*/")
FLAGS = re.compile(r"^\s*//\s*flags:(.*)$")
SCAN = re.compile(r"^\s*//\s*scan:(.*)$")
WITH = re.compile(r"^\s*//\s*with:(.*)$")
FINDING = re.compile(r"^(.*?):(\d+):(\d+): (?:error|warning|note): .* \[([a-z0-9-]+)\]$")
NOTE = re.compile(r"^(.*?):(\d+):(\d+): note: (.*)$")
NEAR = 3  # lines either side of a failed note marker whose notes are shown


def expectations(path):
    """(want, gaps, notes, flags, scan, with); notes: [(line, rule or None,
    text, is a gap)]; with: the other files of the run."""
    want, gaps, notes, flags, scan, also = Counter(), Counter(), [], [], [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = FLAGS.match(line)
            if m and n <= 5:
                flags += m.group(1).split()
            m = SCAN.match(line)
            if m and n <= 5:
                scan += m.group(1).split()
            m = WITH.match(line)
            if m and n <= 5:
                also += [os.path.join(os.path.dirname(path), w)
                         for w in m.group(1).split()]
            for kind, rules in EXPECT.findall(line):
                for rule in filter(None, (r.strip() for r in rules.split(","))):
                    (want if kind == "expect" else gaps)[(n, rule)] += 1
            for gap, rule, text in NOTE_MARK.findall(line):
                notes.append((n, rule or None, text, bool(gap)))
    return want, gaps, notes, flags, scan, also


def findings(out, real):
    """The scanned file's findings in output order: (line, rule, notes), notes
    a list of (line, col, text) in the scanned file."""
    found, cur = [], None
    for line in out.splitlines():
        m = FINDING.match(line)
        if m:
            cur = None
            if os.path.realpath(m.group(1)) == real:
                cur = (int(m.group(2)), m.group(4), [])
                found.append(cur)
            continue
        m = NOTE.match(line)
        if m and cur is not None and os.path.realpath(m.group(1)) == real:
            cur[2].append((int(m.group(2)), int(m.group(3)), m.group(4)))
    return found


def check_notes(path, marks, found):
    """Prints each note marker no finding satisfies, with the notes found near
    it, and each note gap; returns how many failed."""
    failed = 0
    for n, rule, text, gap in marks:
        tie = f"[{rule}]" if rule else ""
        met = any(ln == n and text in t
                  for fl, fr, ns in found if rule is None or fr == rule
                  for ln, _, t in ns)
        if gap:
            if met:
                failed += 1
                print(f"{path}:{n}: note gap now met{tie}: '{text}': turn it into note")
            else:
                print(f"{path}:{n}: note gap{tie}: '{text}'")
            continue
        if met:
            continue
        failed += 1
        print(f"{path}:{n}: missing note{tie}: '{text}'")
        near = [(ln, col, t, fl, fr) for fl, fr, ns in found
                for ln, col, t in ns if abs(ln - n) <= NEAR]
        for ln, col, t, fl, fr in sorted(set(near)):
            print(f"    {ln}:{col}: note: {t}   (finding {fl} [{fr}])")
        if not near:
            print(f"    no note within {NEAR} lines")
    return failed


def main():
    if len(sys.argv) < 3:
        print("usage: run_testdata.py TIMERLINT FILE [--cflags=FLAGS] "
              "[extra scan args]")
        return 2
    tool, path = sys.argv[1], sys.argv[2]
    want, gaps, marks, flags, scan, also = expectations(path)
    extra = []
    for a in sys.argv[3:]:  # --cflags: compiler flags from outside the file
        if a.startswith("--cflags="):
            flags += a[len("--cflags="):].split()
        else:
            extra.append(a)
    cmd = ([tool, "scan", "-q", "--no-db", path] + also + scan + extra +
           ["--"] + flags)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print(f"FAIL {path}: timerlint exited {p.returncode}\n{p.stderr}")
        return 1
    ok = True
    for i, f in enumerate([path] + also):
        if i:
            want, gaps, marks = expectations(f)[:3]
        ok &= check_file(f, want, gaps, marks, p.stdout)
    if not ok:
        print("--- timerlint output ---")
        print(p.stdout, end="")
        print(p.stderr, end="")
    return 0 if ok else 1


def check_file(path, want, gaps, marks, out):
    """Compares one file's findings in the output with its markers."""
    real = os.path.realpath(path)
    got = Counter()
    for line in out.splitlines():
        m = FINDING.match(line)
        if m and os.path.realpath(m.group(1)) == real:
            got[(int(m.group(2)), m.group(4))] += 1
    missing = want - got
    extra = got - want - gaps
    gap_found = gaps & got
    bad_notes = check_notes(path, marks, findings(out, real))
    ok = not missing and not extra and not bad_notes
    for (n, rule), c in sorted(missing.items()):
        print(f"{path}:{n}: missing finding [{rule}]")
    for (n, rule), c in sorted(extra.items()):
        print(f"{path}:{n}: unexpected finding [{rule}]")
    for (n, rule), c in sorted(gap_found.items()):
        print(f"{path}:{n}: known gap now found [{rule}]: turn it into expect")
        ok = False
    for (n, rule), c in sorted((gaps - got).items()):
        print(f"{path}:{n}: known gap [{rule}]")
    nmarks = sum(1 for m in marks if not m[3])
    ngaps = len(marks) - nmarks
    print(f"{'PASS' if ok else 'FAIL'} {path}: {sum(want.values())} expected, "
          f"{sum(got.values())} reported, {nmarks - bad_notes}/{nmarks} "
          f"note markers met" + (f", {ngaps} note gaps" if ngaps else ""))
    return ok

if __name__ == "__main__":
    sys.exit(main())
