#!/usr/bin/env python3
"""Mutation harness on the real trees (bench/fetch-corpus.sh): recall on
real damage. For each tree, find every statement that is a call of a stop
(a function the loaded rules give the role release, disarm, join, detach
or unregister: timer_delete, g_source_remove, uv_close, event_del,
pthread_join, eloop_cancel_timeout, ...), delete one at a time (the
statement becomes `(void)0;`, line numbers kept), re-scan the whole tree
through a findings database (only the mutated translation unit is parsed
again; the link phase runs over all of them), and count the mutants that
produce a finding the unmodified tree does not have.

A detected mutant is one with a new finding; "near" says whether one of
the new findings (or its notes) is in the mutated file. A missed mutant is
a lead, not automatically a bug: many deleted stops are redundant (a
second stop on the same path, a stop of something already stopped).

The mutant is written into the fetched tree itself (and put back after
each re-scan, also on Ctrl-C): do not scan that tree while this runs. The
binary and the rules are copied first, so a rebuild while this runs does
not mix two engines in one measurement.

  mutate.py [--max N] [--seed S] [--list] PKG...
  (TIMERLINT_CORPUS=DIR: the trees are DIR/PKG, not bench/corpus/PKG)

Prints per tree and in total: mutants, detected, rate, per family and per
rule of the new findings, and the unmodified tree's findings per 100k
lines of its translation units. Writes every mutant's outcome to
bench/out/mutants-PKG.tsv (for reading the misses).
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.realpath(os.environ.get("TIMERLINT",
                                       os.path.join(HERE, "..", "build", "timerlint")))
RULES = os.path.join(HERE, "..", "rules")
# A copy of the trees (compile database paths rewritten to it) lets this
# run while other benchmarks read bench/corpus.
CORPUS = os.environ.get("TIMERLINT_CORPUS", os.path.join(HERE, "corpus"))
RULE_ARGS = []  # --no-default-rules --rules SNAPSHOT, once snapshot() ran


def snapshot():
    """Copies the binary and the rules into a directory of their own, and
    uses those from now on."""
    global TOOL, RULE_ARGS
    keep = tempfile.mkdtemp(prefix="tl-mutate-bin-")
    shutil.copy2(TOOL, os.path.join(keep, "timerlint"))
    shutil.copytree(RULES, os.path.join(keep, "rules"))
    TOOL = os.path.join(keep, "timerlint")
    RULE_ARGS = ["--no-default-rules", "--rules", os.path.join(keep, "rules")]
    return keep
STOP_ROLES = {"release", "disarm", "join", "detach", "unregister"}
# Stops whose name is shared with every file descriptor or handle: a
# deleted close() is nearly always of a socket or file, not a timer.
GENERIC = {"close", "CloseHandle"}
FINDING = re.compile(r"^(.*?):(\d+):(\d+): (?:error|warning|note): (.*) \[([a-z0-9-]+)\]$")
NOTE = re.compile(r"^(.*?):(\d+):(\d+): note: ")


def stop_functions():
    """name -> family, from `timerlint rules` (what the scan itself loads)."""
    out = subprocess.run([TOOL, "rules"] + RULE_ARGS, capture_output=True,
                         text=True,
                         check=True).stdout
    fams, fam = {}, None
    for line in out.splitlines():
        m = re.match(r"^  (\S+) \((\w+)\) from ", line)
        if m:
            fam = m.group(1)
            continue
        m = re.match(r"^    (\S+)\s+(\S+)", line)
        if m and fam and m.group(2) in STOP_ROLES:
            name = m.group(1)
            if re.fullmatch(r"[A-Za-z_]\w*", name) and name not in GENERIC:
                fams.setdefault(name, fam)
    return fams


def tu_files(tree):
    db = json.load(open(os.path.join(tree, "compile_commands.json")))
    files = []
    for e in db:
        f = e["file"]
        if not os.path.isabs(f):
            f = os.path.join(e.get("directory", tree), f)
        f = os.path.realpath(f)
        if f not in files and os.path.exists(f):
            files.append(f)
    return files


def statement_end(text, start):
    """Index just past the `;` that ends the call statement starting at
    `start` (at the callee's name), or -1 when it is not a plain call
    statement `name(...);`."""
    i = text.index("(", start)
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "\"'":  # skip literals
            q, i = c, i + 1
            while i < len(text) and text[i] != q:
                i += 2 if text[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                j = i + 1
                while j < len(text) and text[j] in " \t":
                    j += 1
                return j + 1 if j < len(text) and text[j] == ";" else -1
        elif c == ";" and depth > 0:
            return -1
        i += 1
    return -1


def find_sites(path, names):
    """(offset, end, line, name) of each stop call that is a whole statement
    at the start of its line."""
    try:
        text = open(path, encoding="utf-8", errors="surrogateescape").read()
    except OSError:
        return []
    pat = re.compile(r"^[ \t]*(?:\(void\)\s*)?(%s)\s*\(" %
                     "|".join(sorted(map(re.escape, names), key=len, reverse=True)),
                     re.M)
    sites = []
    for m in pat.finditer(text):
        start = m.start(1)
        end = statement_end(text, start)
        if end < 0:
            continue
        sites.append((m.start(), end, text.count("\n", 0, start) + 1,
                      m.group(1)))
    return sites


def report_root(src):
    """Where the tool's paths are relative to: the git top-level of the
    directory it runs in (the corpus may sit inside a repository), else that
    directory."""
    p = subprocess.run(["git", "-C", src, "rev-parse", "--show-toplevel"],
                       capture_output=True, text=True)
    return os.path.realpath(p.stdout.strip()) if p.returncode == 0 else src


def scan(tree, db):
    p = subprocess.run([TOOL, "scan", "-p", tree, "--db", db, "-q",
                        "-j", str(os.cpu_count() or 2)] + RULE_ARGS,
                       cwd=os.path.join(tree, "src"), capture_output=True,
                       text=True)
    found, cur = [], None
    for line in p.stdout.splitlines():
        m = FINDING.match(line)
        if m:
            cur = {"key": (m.group(1), m.group(5), m.group(4)),
                   "at": (m.group(1), int(m.group(2))), "files": {m.group(1)}}
            found.append(cur)
            continue
        m = NOTE.match(line)
        if m and cur:
            cur["files"].add(m.group(1))
    return found, p.returncode


def lines_of(files):
    n = 0
    for f in files:
        try:
            with open(f, "rb") as fh:
                n += fh.read().count(b"\n")
        except OSError:
            pass
    return n


def run_tree(pkg, names, args, total):
    tree = os.path.join(CORPUS, pkg)
    if not os.path.exists(os.path.join(tree, "compile_commands.json")):
        print(f"mutate: {pkg}: not fetched (bench/fetch-corpus.sh {pkg})",
              file=sys.stderr)
        return
    src = os.path.realpath(os.path.join(tree, "src"))
    files = [f for f in tu_files(tree) if f.startswith(src + os.sep)]
    sites = [(f, s) for f in files for s in find_sites(f, names)]
    rnd = random.Random(args.seed)
    rnd.shuffle(sites)
    if args.max and len(sites) > args.max:
        sites = sites[:args.max]
    if args.list:
        for f, s in sites:
            print(f"{os.path.relpath(f, src)}:{s[2]}: {s[3]}")
        return
    work = tempfile.mkdtemp(prefix="tl-mutate-")
    db = os.path.join(work, "f.db")
    base, _ = scan(tree, db)
    base_keys = Counter(f["key"] for f in base)
    kloc = lines_of(files) / 100000.0
    rows, det, near = [], 0, 0
    by_fam, by_rule = defaultdict(lambda: [0, 0]), Counter()
    try:
        for path, (off, end, line, name) in sites:
            orig = open(path, encoding="utf-8", errors="surrogateescape").read()
            stmt = orig[off:end]
            repl = "(void)0;" + "\n" * stmt.count("\n")
            lead = re.match(r"[ \t]*", stmt).group(0)
            backup = path + ".tl-mutate-orig"
            shutil.copyfile(path, backup)
            try:
                with open(path, "w", encoding="utf-8",
                          errors="surrogateescape") as fh:
                    fh.write(orig[:off] + lead + repl + orig[end:])
                got, _ = scan(tree, db)
            finally:
                shutil.move(backup, path)
            left = Counter(base_keys)
            new = []
            for f in got:
                if left[f["key"]] > 0:
                    left[f["key"]] -= 1
                else:
                    new.append(f)
            rel = os.path.relpath(path, report_root(src))
            fam = names[name]
            by_fam[fam][0] += 1
            hit = bool(new)
            close = any(rel in f["files"] for f in new)
            if hit:
                det += 1
                by_fam[fam][1] += 1
                near += close
                for f in new:
                    by_rule[f["key"][1]] += 1
            rows.append((rel, line, name, fam, "found" if hit else "missed",
                         "near" if close else "",
                         "; ".join(f"{f['at'][0]}:{f['at'][1]} {f['key'][1]}"
                                   for f in new)))
        scan(tree, db)  # the database back to the unmodified tree
    finally:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(HERE, "out"), exist_ok=True)
    with open(os.path.join(HERE, "out", f"mutants-{pkg}.tsv"), "w") as fh:
        fh.write("file\tline\tdeleted\tfamily\toutcome\tnear\tnew findings\n")
        for r in rows:
            fh.write("\t".join(map(str, r)) + "\n")
    n = len(rows)
    print(f"{pkg}: {n} mutants, {det} detected ({100.0 * det / n if n else 0:.0f}%),"
          f" {near} near the deletion; unmodified: {len(base)} findings,"
          f" {len(base) / kloc if kloc else 0:.1f} per 100k lines"
          f" ({int(kloc * 100000)} lines)")
    for fam, (m, d) in sorted(by_fam.items()):
        print(f"  {fam:16s} {d:3d}/{m:<3d}")
    if by_rule:
        print("  new findings by rule: " +
              ", ".join(f"{r} {c}" for r, c in by_rule.most_common()))
    total["mutants"] += n
    total["detected"] += det
    for fam, (m, d) in by_fam.items():
        total["fam"][fam][0] += m
        total["fam"][fam][1] += d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max", type=int, default=60,
                    help="mutants per tree, sampled (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--list", action="store_true",
                    help="only list the sites that would be mutated")
    ap.add_argument("pkgs", nargs="*",
                    default=["libuv1", "wpa", "bluez", "libevent", "memcached"])
    args = ap.parse_args()
    # A kill puts the tree back as Ctrl-C does (the finally clauses).
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    keep = snapshot()
    try:
        names = stop_functions()
        run_all(args, names)
    finally:
        shutil.rmtree(keep, ignore_errors=True)


def run_all(args, names):
    total = {"mutants": 0, "detected": 0,
             "fam": defaultdict(lambda: [0, 0])}
    for pkg in args.pkgs:
        run_tree(pkg, names, args, total)
    if len(args.pkgs) > 1 and total["mutants"]:
        m, d = total["mutants"], total["detected"]
        print(f"all: {m} mutants, {d} detected ({100.0 * d / m:.0f}%)")
        for fam, (fm, fd) in sorted(total["fam"].items()):
            print(f"  {fam:16s} {fd:3d}/{fm:<3d}")


if __name__ == "__main__":
    main()
