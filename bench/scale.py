#!/usr/bin/env python3
"""Whole-tree scale (#17 item 3): is a scan, a sharded scan and its merge
linear in the number of TUs? For each N it generates a synthetic project
of N small C files with a compile_commands.json, in a temporary directory
(removed after):

  - about 1% of the TUs are timer modules, two files each: mod_K_start.c
    creates a POSIX timer in a field of `struct mod_K` (its header) and
    arms it, mod_K_stop.c deletes it; every fifth module's stop file
    forgets the delete, which is one field-never-stopped finding of the
    link phase (and the only finding the project has);
  - the others are trivial code that includes a few shared project
    headers (the prefilter skips them).

Then it measures, at -j2 by default:

  (a) a whole scan with --db: `scan -p DIR -j2 --db whole.db --stats`;
  (b) 64 shards, one after another, each `scan --shard K/64 -j2` into its
      own database, then `merge --stats` of the 64 (which runs the link
      phase).

  scale.py [N...] [-j N]    (default: 1000 10000 30000)

Prints two tables, a row per N: wall time and CPU time (user + system,
workers included: steadier than wall on a loaded machine), each also per
TU; the peak RSS of the scan process and per TU, and of its largest
worker (from --stats); the prefilter's and the link phase's time (from
--stats); for (b) the shards' sum and the merge's own wall time and peak
RSS; and the number of findings, which must be the same for the whole
and the sharded scan and equal to the number of generated missing stops
(the script exits 1 otherwise). Time per TU and memory per TU should be
flat or falling as N grows. A shard loads the whole compile database,
sets up every TU (a config's families apply to the whole run) and runs
the prefilter over all of them (a TU may matter for another shard), so
the 64 shards cost several whole scans.

$TIMERLINT names the binary (default: ../build/timerlint).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import namedtuple

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.realpath(os.environ.get("TIMERLINT",
                                       os.path.join(HERE, "..", "build", "timerlint")))
SHARDS = 64
TIMER_SHARE = 0.01  # of the TUs, in modules of two files
MISSING_EVERY = 5   # every fifth module forgets its stop

COMMON_H = """#ifndef COMMON_H
#define COMMON_H
#include <stddef.h>
#include <stdint.h>
typedef struct { uint32_t id; const char *name; } item_t;
typedef int (*visit_fn)(item_t *it, void *ctx);
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
size_t items_count(const item_t *v, size_t n, uint32_t min);
#endif
"""
UTIL_H = """#ifndef UTIL_H
#define UTIL_H
#include "common.h"
uint32_t util_hash(const char *s);
int util_clamp(int v, int lo, int hi);
#endif
"""
LOG_H = """#ifndef LOG_H
#define LOG_H
#include <stdio.h>
#define LOG(fmt, ...) fprintf(stderr, fmt "\\n", __VA_ARGS__)
#endif
"""
TRIVIAL = """#include <string.h>
#include "common.h"
#include "util.h"
#include "log.h"

static int seen_{i};

uint32_t unit_{i}_sum(const item_t *v, size_t n)
{{
    uint32_t s = 0;
    for (size_t k = 0; k < n; k++)
        s += v[k].id * {m} + util_hash(v[k].name);
    seen_{i}++;
    return s;
}}

int unit_{i}_pick(item_t *v, size_t n, visit_fn f, void *ctx)
{{
    for (size_t k = 0; k < n; k++)
        if (strlen(v[k].name) > {m} % 7 && f(&v[k], ctx))
            return util_clamp((int)k, 0, {m});
    LOG("unit {i}: nothing in %zu", n);
    return -1;
}}
"""
MOD_H = """#ifndef MOD_{k}_H
#define MOD_{k}_H
#include <time.h>
#include "common.h"
struct mod_{k} {{
    timer_t tick;
    item_t item;
    int fired;
}};
int mod_{k}_start(struct mod_{k} *m, int ms);
void mod_{k}_stop(struct mod_{k} *m);
#endif
"""
MOD_START = """#include <signal.h>
#include <stdlib.h>
#include "mod_{k}.h"
#include "util.h"

int mod_{k}_start(struct mod_{k} *m, int ms)
{{
    struct itimerspec its = {{{{0, 0}}, {{0, 0}}}};
    its.it_value.tv_nsec = util_clamp(ms, 1, 999) * 1000000L;
    its.it_interval = its.it_value;
    if (timer_create(CLOCK_MONOTONIC, NULL, &m->tick) != 0)
        return -1;
    m->fired = 0;
    return timer_settime(m->tick, 0, &its, NULL);
}}
"""
MOD_STOP = """#include <stdlib.h>
#include "mod_{k}.h"
#include "log.h"

void mod_{k}_stop(struct mod_{k} *m)
{{
    LOG("mod {k}: fired %d", m->fired);
    timer_delete(m->tick);
    m->fired = 0;
}}
"""
MOD_STOP_MISSING = """#include <stdlib.h>
#include "mod_{k}.h"
#include "log.h"

void mod_{k}_stop(struct mod_{k} *m)
{{
    LOG("mod {k}: fired %d", m->fired);
    m->fired = 0;
}}
"""


def generate(d, n):
    """Writes the project; returns the number of missing stops."""
    inc = os.path.join(d, "include")
    os.makedirs(inc)
    for name, text in [("common.h", COMMON_H), ("util.h", UTIL_H), ("log.h", LOG_H)]:
        open(os.path.join(inc, name), "w").write(text)
    mods = max(1, round(n * TIMER_SHARE / 2))
    files, missing = [], 0
    for k in range(mods):
        sub = os.path.join(d, "timers")
        os.makedirs(sub, exist_ok=True)
        open(os.path.join(inc, f"mod_{k}.h"), "w").write(MOD_H.format(k=k))
        stop = MOD_STOP
        if k % MISSING_EVERY == 0:
            stop = MOD_STOP_MISSING
            missing += 1
        for name, text in [(f"mod_{k}_start.c", MOD_START), (f"mod_{k}_stop.c", stop)]:
            open(os.path.join(sub, name), "w").write(text.format(k=k))
            files.append(os.path.join(sub, name))
    for i in range(n - len(files)):
        sub = os.path.join(d, "src", f"dir{i // 500}")
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, f"unit_{i}.c")
        open(path, "w").write(TRIVIAL.format(i=i, m=i % 97 + 3))
        files.append(path)
    with open(os.path.join(d, "compile_commands.json"), "w") as f:
        json.dump([{"directory": os.path.dirname(p), "file": p,
                    "arguments": ["cc", f"-I{inc}", "-O2", "-c", p,
                                  "-o", p[:-2] + ".o"]} for p in files], f, indent=0)
    return missing


Run = namedtuple("Run", "wall rss cpu out err rc")


def measure(args, cwd):
    """Runs `args` under a child python that waits for it with wait4: the
    wall time, the peak RSS of timerlint's process tree (its largest
    process) and its CPU time (user + system, workers included) of
    exactly that run. On a loaded machine the CPU time is the steadier
    measure."""
    code = ("import os,sys,time,json;t=time.monotonic();pid=os.fork()\n"
            "if pid==0:\n"
            " os.execv(sys.argv[1],sys.argv[1:])\n"
            "_,st,ru=os.wait4(pid,0)\n"
            "print(json.dumps([time.monotonic()-t,ru.ru_maxrss,os.waitstatus_to_exitcode(st),"
            "ru.ru_utime+ru.ru_stime]),"
            "file=sys.stderr)")
    p = subprocess.run([sys.executable, "-c", code, TOOL, *args], cwd=cwd,
                       capture_output=True, text=True)
    lines = p.stderr.splitlines()
    wall, rss, rc, cpu = json.loads(lines[-1])
    return Run(wall, rss, cpu, p.stdout, "\n".join(lines[:-1]), rc)


def stat(err, label):
    """The value of a --stats line, in ms where it is a time."""
    m = re.search(rf"^  {re.escape(label)}\s+(.*)$", err, re.M)
    return m[1] if m else ""


def ms_of(text):
    m = re.match(r"([0-9.]+) (ms|s)", text)
    return float(m[1]) * (1000 if m[2] == "s" else 1) if m else 0.0


def rss_of(err, which):
    m = re.search(rf"{which} ([0-9.]+) MB", stat(err, "peak RSS"))
    return float(m[1]) if m else 0.0


def findings(db, cwd):
    p = subprocess.run([TOOL, "findings", "--db", db, "--format", "json"], cwd=cwd,
                       capture_output=True, text=True)
    rows = json.loads(p.stdout or "[]")
    return rows if isinstance(rows, list) else rows.get("findings", [])


def one(n, jobs):
    d = tempfile.mkdtemp(prefix=f"tl-scale-{n}-")
    try:
        t0 = time.monotonic()
        missing = generate(d, n)
        r = {"n": n, "missing": missing, "gen": time.monotonic() - t0}
        w = measure(["scan", "-p", d, f"-j{jobs}", "--db", "whole.db", "--stats", "-q"], d)
        if w.rc not in (0, 1):
            sys.exit(f"whole scan of {n} TUs: exit {w.rc}: {w.err[-2000:]}")
        wk = re.search(r"; ([0-9.]+) ms a TU outside", stat(w.err, "workers"))
        p50 = re.match(r"p50 ([0-9.]+ m?s)", stat(w.err, "per-TU wall"))
        r.update(whole=w, whole_scan_rss=rss_of(w.err, "scan"),
                 outside=float(wk[1]) if wk else 0.0, p50=ms_of(p50[1]) if p50 else 0.0,
                 whole_worker_rss=rss_of(w.err, "largest worker"),
                 prefilter=ms_of(stat(w.err, "prefilter")),
                 link=ms_of(stat(w.err, "link phase")),
                 whole_findings=findings("whole.db", d), tus=stat(w.err, "TUs"))
        wall = cpu = scan_rss = 0.0
        for k in range(1, SHARDS + 1):
            sh = measure(["scan", "-p", d, f"-j{jobs}", "--shard", f"{k}/{SHARDS}",
                          "--db", f"shard{k}.db", "--stats", "-q"], d)
            if sh.rc not in (0, 1):
                sys.exit(f"shard {k}/{SHARDS} of {n} TUs: exit {sh.rc}: {sh.err[-2000:]}")
            wall += sh.wall
            cpu += sh.cpu
            scan_rss = max(scan_rss, rss_of(sh.err, "scan"))
        m = measure(["merge", "--stats", "merged.db"] +
                    [f"shard{k}.db" for k in range(1, SHARDS + 1)], d)
        if m.rc != 0:
            sys.exit(f"merge of {n} TUs: exit {m.rc}: {m.err[-2000:]}")
        r.update(shards_wall=wall, shards_cpu=cpu, shard_scan_rss=scan_rss, merge=m,
                 merge_link=ms_of(stat(m.err, "link phase")),
                 merge_only=ms_of(stat(m.err, "merge")),
                 merged_findings=findings("merged.db", d))
        return r
    finally:
        shutil.rmtree(d)


def key(f):
    return (f.get("rule"), f.get("file"), f.get("line"))


def main():
    args = sys.argv[1:]
    jobs = 2
    if "-j" in args:
        k = args.index("-j")
        jobs = int(args[k + 1])
        del args[k:k + 2]
    sizes = [int(x) for x in args] or [1000, 10000, 30000]
    rows, bad = [], []
    for n in sizes:
        r = one(n, jobs)
        rows.append(r)
        fw, fm = r["whole_findings"], r["merged_findings"]
        rules = {f.get("rule") for f in fw + fm}
        if not (len(fw) == len(fm) == r["missing"] and sorted(map(key, fw)) ==
                sorted(map(key, fm)) and rules <= {"field-never-stopped"}):
            bad.append(f"N={n}: {len(fw)} whole, {len(fm)} merged, {r['missing']} missing "
                       f"stops generated, rules {sorted(rules)}")
        print(f"N={n}: generated in {r['gen']:.1f} s; TUs {r['tus']}", file=sys.stderr)
    print(f"(a) whole scan, -j{jobs}, --db; ms/TU of wall and of CPU (user+sys, workers "
          f"included); scan MB: the scan process's peak RSS, worker MB: its largest worker's; "
          f"p50: an analysed TU's wall time, outside: what it cost beyond (fork, exit, reap)")
    print(f"{'N':>6} {'wall s':>7} {'ms/TU':>6} {'cpu s':>7} {'ms/TU':>6} {'scan MB':>7} "
          f"{'KB/TU':>6} {'worker MB':>9} {'p50 ms':>6} {'outside':>7} {'prefilter s':>11} "
          f"{'link s':>6} {'findings':>8}")
    for r in rows:
        n, w = r["n"], r["whole"]
        print(f"{n:>6} {w.wall:>7.1f} {w.wall * 1e3 / n:>6.2f} {w.cpu:>7.1f} "
              f"{w.cpu * 1e3 / n:>6.2f} {r['whole_scan_rss']:>7.1f} "
              f"{r['whole_scan_rss'] * 1024 / n:>6.2f} {r['whole_worker_rss']:>9.1f} "
              f"{r['p50']:>6.1f} {r['outside']:>7.1f} "
              f"{r['prefilter'] / 1e3:>11.2f} {r['link'] / 1e3:>6.2f} "
              f"{len(r['whole_findings']):>8}")
    print(f"\n(b) {SHARDS} shards, one after another, each -j{jobs} into its own --db; "
          f"then merge of the {SHARDS} (its link phase included)")
    print(f"{'N':>6} {'wall s':>7} {'ms/TU':>6} {'cpu s':>7} {'ms/TU':>6} {'scan MB':>7} "
          f"{'merge s':>7} {'ms/TU':>6} {'merge MB':>8} {'KB/TU':>6} {'link s':>6} "
          f"{'findings':>8}")
    for r in rows:
        n, m = r["n"], r["merge"]
        print(f"{n:>6} {r['shards_wall']:>7.1f} {r['shards_wall'] * 1e3 / n:>6.2f} "
              f"{r['shards_cpu']:>7.1f} {r['shards_cpu'] * 1e3 / n:>6.2f} "
              f"{r['shard_scan_rss']:>7.1f} {m.wall:>7.2f} {m.wall * 1e3 / n:>6.3f} "
              f"{m.rss / 1024:>8.1f} {m.rss / n:>6.2f} {r['merge_link'] / 1e3:>6.2f} "
              f"{len(r['merged_findings']):>8}")
    for b in bad:
        print(f"FAIL {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
