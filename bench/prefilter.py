#!/usr/bin/env python3
"""prefilter.py PKG... [-j N]: the token prefilter (#17) on real trees.

For each tree: clang-19 -fsyntax-only over the compile database's distinct
files, then two cold timerlint scans of the whole database into fresh
stores, with and without the prefilter, at the same -j. Prints the wall
times, each scan's throughput ratio against clang (budget: >= 0.85; the
prefilter's aim: above 1), the share of TUs skipped, and whether the two
scans agree: the same findings (rule, file, line, message), the same link
facts and summaries for every TU both parsed, and no fact about a timer or
thread (start, stop, teardown, a maker's summary) in the rows the scan
without the prefilter recorded for a TU the other skipped.

Trees are the ones fetch-corpus.sh gets (Debian source packages, never
committed): in bench/corpus, or where $TIMERLINT_CORPUS points (another
checkout's bench/corpus). Nothing is copied; the stores go to a temporary
directory."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from compile_args import compiler_args, unique_entries

HERE = os.path.dirname(os.path.abspath(__file__))
TL = os.environ.get("TIMERLINT", os.path.join(HERE, "..", "build", "timerlint"))
CORPUS = os.environ.get("TIMERLINT_CORPUS", os.path.join(HERE, "corpus"))
# clang-19 as Debian names it; $CLANG, or a plain clang, where it is not.
CLANG = os.environ.get("CLANG") or shutil.which("clang-19") or "clang"
args = sys.argv[1:]
jobs = os.cpu_count()
if "-j" in args:
    k = args.index("-j")
    jobs = int(args[k + 1])
    del args[k:k + 2]
pkgs = args or ["libuv1"]


def link_cols(c):
    """Every column of link_facts but the TU's id, read from the store: a
    column a later schema adds (guard, consts, user_data) is compared too."""
    return ", ".join(r[1] for r in c.execute("PRAGMA table_info(link_facts)")
                     if r[1] != "tu_id")


def clang_time(entries):
    def one(ef):
        e, _ = ef
        subprocess.run([CLANG, "-fsyntax-only", "-w"] + compiler_args(e),
                       cwd=e["directory"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    t = time.monotonic()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, entries))
    return time.monotonic() - t


def scan(cdb_dir, db, extra):
    t = time.monotonic()
    p = subprocess.run([TL, "scan", "-q", "--db", db, "-j", str(jobs), "-p",
                        cdb_dir, "--format", "json"] + extra, cwd=cdb_dir,
                       capture_output=True, text=True)
    wall = time.monotonic() - t
    try:
        found = sorted((f["rule"], f["file"], f["line"], f["message"])
                       for f in json.loads(p.stdout)["findings"])
    except ValueError:
        found = None
    return wall, found, p.returncode


def rows(db):
    out = {}
    with sqlite3.connect(db) as c:
        run = c.execute("SELECT max(id) FROM runs").fetchone()[0]
        cols = link_cols(c)
        for tid, path, status in c.execute(
                "SELECT id, path, status FROM tus WHERE run_id = ?", (run,)):
            facts = sorted(map(repr, c.execute(
                f"SELECT {cols} FROM link_facts WHERE tu_id = ?", (tid,))))
            sums = sorted(map(repr, c.execute(
                "SELECT usr, param, ops, stops FROM link_sums WHERE tu_id = ?",
                (tid,))))
            timer = c.execute("SELECT count(*) FROM link_facts WHERE tu_id = ?"
                              " AND kind IN (0, 1, 6)", (tid,)).fetchone()[0]
            timer += c.execute("SELECT count(*) FROM link_sums WHERE tu_id = ?"
                               " AND param = -1", (tid,)).fetchone()[0]
            out[path] = (status, facts, sums, timer)
    return out


def bench(pkg):
    cdb_dir = os.path.join(CORPUS, pkg)
    entries = unique_entries(cdb_dir)
    clang = clang_time(entries)
    d = tempfile.mkdtemp(prefix="tl-bench-pf-")
    a, b = os.path.join(d, "pre.db"), os.path.join(d, "all.db")
    t_pre, f_pre, rc_pre = scan(cdb_dir, a, [])
    t_all, f_all, rc_all = scan(cdb_dir, b, ["--no-prefilter"])
    ra, rb = rows(a), rows(b)
    skipped = [t for t, r in ra.items() if r[0] == "skipped"]
    ntus = sum(1 for t in ra if not t.startswith("<"))
    same_rows = all(ra[t][1:3] == rb.get(t, (None, None, None))[1:3]
                    for t in ra if ra[t][0] != "skipped")
    lost = sum(rb[t][3] for t in skipped if t in rb)
    same = f_pre is not None and f_pre == f_all
    print(f"bench prefilter {pkg}: {ntus} TUs -j{jobs}: {len(skipped)} skipped "
          f"({100 * len(skipped) / max(ntus, 1):.0f}%); {os.path.basename(CLANG)} -fsyntax-only "
          f"{clang:.2f}s; timerlint {t_pre:.2f}s with the prefilter (ratio "
          f"{clang / t_pre:.2f}), {t_all:.2f}s without (ratio "
          f"{clang / t_all:.2f}); findings {len(f_all or [])}, identical: "
          f"{'yes' if same else 'NO'}; link rows of parsed TUs identical: "
          f"{'yes' if same_rows else 'NO'}; timer facts in skipped TUs: {lost}"
          + (f" (exit {rc_pre}/{rc_all})" if {rc_pre, rc_all} - {0, 1} else ""))
    if not same and f_pre is not None and f_all is not None:
        for x in sorted(set(f_pre) ^ set(f_all))[:10]:
            print(f"  only {'with' if x in f_pre else 'without'}: {x}")


for p in pkgs:
    bench(p)
