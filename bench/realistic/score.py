#!/usr/bin/env python3
"""Scores timerlint on the realistic modules under bench/realistic/: code
written by someone who never read the analyzer, with its expected findings
marked inline (/* expect: RULE */, the testdata syntax). Prints, per module,
expected / found / missed / extra, and the totals. A module that passes
whole moves to testdata/ (a ctest case); until then it is measured here.

  score.py [--headers-missing] TIMERLINT [DIR...]
                                (default: every directory beside this file)

--headers-missing (#13 item 5): each file as it is when the headers that
bring its APIs are missing: every #include but the freestanding ones
(stddef.h, stdint.h, stdbool.h, stdarg.h, limits.h) becomes an include of
a project header nobody has (the same line, so the markers hold), the
module's own headers are not there, and no flags are given: every type
and function of the timer and thread APIs is undeclared.
--project-headers-missing: only the module's own headers (those beside it)
are missing; the system's and the families' are found as usual.

A file whose first lines say `// with: b.c c.c` is scanned together with
those (one run, the link phase across them); each is scored on its own
markers.
"""
import os
import re
import shutil
import subprocess
import tempfile
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECT = re.compile(r"/\*\s*expect:\s*([a-z0-9, -]+?)\s*\*/")
OPT = re.compile(r"^\s*//\s*(flags|scan|with):(.*)$")
FINDING = re.compile(r"^(.*?):(\d+):(\d+): (?:error|warning|note): .* \[([a-z0-9-]+)\]$")


def pkg_flags():
    p = subprocess.run(["pkg-config", "--cflags", "glib-2.0", "libuv",
                        "libevent"], capture_output=True, text=True)
    return p.stdout.split()


def marks(path):
    """(want, flags, scan, with) of one file; with: the other files of its
    run (`// with: a.c b.c`, relative to it)."""
    want, opts = Counter(), {"flags": [], "scan": [], "with": []}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        m = OPT.match(line)
        if m and n <= 5:
            opts[m.group(1)].extend(m.group(2).split())
        for rules in EXPECT.findall(line):
            for r in filter(None, (x.strip() for x in rules.split(","))):
                want[(n, r)] += 1
    also = [os.path.join(os.path.dirname(path), w) for w in opts["with"]]
    return want, opts["flags"], opts["scan"], also


def score(tool, path, extra_flags):
    """[(path, want, got)] for the file and the files it names, and the
    exit code of their one scan."""
    want, flags, scan, also = marks(path)
    cmd = ([tool, "scan", "-q", "--no-db", path] + also + scan + ["--"] +
           flags + extra_flags)
    p = subprocess.run(cmd, capture_output=True, text=True)
    out = []
    for f in [path] + also:
        w = want if f == path else marks(f)[0]
        got = Counter()
        for line in p.stdout.splitlines():
            m = FINDING.match(line)
            if m and os.path.realpath(m.group(1)) == os.path.realpath(f):
                got[(int(m.group(2)), m.group(4))] += 1
        out.append((f, w, got))
    return out, p.returncode


FREESTANDING = {"stddef.h", "stdint.h", "stdbool.h", "stdarg.h", "limits.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def strip_headers(files, into, project_only=False):
    """Copies of the files in `into`, their includes made missing (with
    project_only, only those of headers beside the file); the copies'
    paths, in order."""
    out = []
    for f in files:
        lines = open(f, encoding="utf-8").read().split("\n")
        here = os.path.dirname(f)
        for i, ln in enumerate(lines):
            m = INCLUDE.match(ln)
            if project_only:
                if m and os.path.exists(os.path.join(here, m.group(1))):
                    lines[i] = '#include "project_missing.h"'
            elif m and m.group(1) not in FREESTANDING:
                lines[i] = '#include "project_missing.h"'
            elif re.match(r"^\s*//\s*flags:", ln):
                lines[i] = "// (flags dropped)"
        dst = os.path.join(into, os.path.basename(f))
        open(dst, "w", encoding="utf-8").write("\n".join(lines))
        out.append(dst)
    return out


def main():
    args = sys.argv[1:]
    project = "--project-headers-missing" in args
    missing = "--headers-missing" in args or project
    args = [a for a in args if a not in ("--headers-missing",
                                         "--project-headers-missing")]
    tool = args[0]
    dirs = args[1:] or sorted(os.path.join(HERE, d) for d in os.listdir(HERE)
                                  if os.path.isdir(os.path.join(HERE, d)))
    extra = [] if missing and not project else pkg_flags()
    tmp = tempfile.mkdtemp(prefix="tl-score-") if missing else None
    tw = tg = tok = 0
    for d in dirs:
        files = [os.path.join(d, f) for f in sorted(os.listdir(d))
                 if f.endswith((".c", ".cpp"))]
        named = {os.path.realpath(w) for f in files for w in marks(f)[3]}
        for path in files:
            if os.path.realpath(path) in named:
                continue  # scored with the file that names it
            if missing:
                group = [path] + marks(path)[3]
                work = os.path.join(tmp, os.path.relpath(d, HERE))
                os.makedirs(work, exist_ok=True)
                copies = strip_headers(group, work, project)
                results, rc = score(tool, copies[0], extra)
                # scored on the originals' markers (the lines are the same)
                results = [(o, marks(o)[0], g) for o, (_, _, g) in zip(group, results)]
            else:
                results, rc = score(tool, path, extra)
            for f, want, got in results:
                ok = sum((want & got).values())
                tw += sum(want.values()); tg += sum(got.values()); tok += ok
                miss = sorted((want - got).items())
                extra_f = sorted((got - want).items())
                print(f"{os.path.relpath(f, HERE)}: expected "
                      f"{sum(want.values())}, right {ok}, missed {len(miss)}, "
                      f"extra {len(extra_f)}"
                      + ("" if rc in (0, 1) else f" (exit {rc})"))
                for (n, r), _ in miss:
                    print(f"   missed  {n}: {r}")
                for (n, r), _ in extra_f:
                    print(f"   extra   {n}: {r}")
    if tmp:
        shutil.rmtree(tmp)
    print(f"total: expected {tw}, reported {tg}, right {tok}: recall "
          f"{tok / tw if tw else 0:.2f}, precision {tok / tg if tg else 1:.2f}")


if __name__ == "__main__":
    main()
