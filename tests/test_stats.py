#!/usr/bin/env python3
"""scan --stats and merge --stats (#17 item 3) on a small project of
testdata files with a compile database: the block comes last on stderr
and its numbers agree with each other and with the scan (the TU counts
add up; the percentiles are the nearest-rank ones of the listed times;
the slowest list is sorted and names the TUs that failed or crashed; the
link phase counts the field-never-stopped findings printed; the merge
counts the rows the shards hold). Without --stats, stdout and every line
of stderr are what they are with it, timings aside.

usage: test_stats.py TIMERLINT SOURCE_DIR"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

from checks import check, totals

TL = os.path.realpath(sys.argv[1])
SRC = os.path.realpath(sys.argv[2])

# Parsed: four per-path testdata files and one with link findings.
PARSED = ["posix-timer/created-in-loop.c", "posix-timer/use-after-release.c",
          "posix-timer/missing-stop-errpath.c", "posix-timer/release-through-helper.c",
          "link/posix-fields.c"]
# Skipped by the prefilter; failed in its worker; crashed
# ($TIMERLINT_TEST_CRASH): timer code, so that the prefilter parses it.
TRIVIAL = "int add(int a, int b) { return a + b; }\n"
CRASH = "#include <time.h>\nvoid f(void) { timer_t t; timer_create(0, 0, &t); }\n"
ALL = [os.path.basename(p) for p in PARSED] + ["trivial.c", "empty.c", "crashme.c"]

MS = r"([0-9.]+) (ms|s)"


def ms(value, unit):
    return float(value) * (1000 if unit == "s" else 1)


def run(d, *args, env=None):
    t0 = time.monotonic()
    p = subprocess.run([TL, *args], cwd=d, capture_output=True, text=True,
                       env=dict(os.environ, TIMERLINT_TEST_CRASH="crashme", **(env or {})))
    p.wall_ms = (time.monotonic() - t0) * 1000
    return p


def split_block(stderr):
    """(the lines before the block, the block's lines)."""
    lines = stderr.splitlines()
    if "timerlint stats:" not in lines:
        return lines, []
    k = lines.index("timerlint stats:")
    return lines[:k], lines[k + 1:]


def timeless(lines):
    """The lines with their timings blanked, sorted (workers print in the
    order they finish)."""
    return sorted(re.sub(r"\d+(\.\d+)?s (wall|elapsed)", "Ts", x) for x in lines)


def field(block, label):
    for line in block:
        if line.startswith(f"  {label}"):
            return line[len(label) + 2:].strip()
    return None


def slowest(block):
    """[(ms, path, outcome)] of the slowest list."""
    out, on = [], False
    for line in block:
        on = line.startswith("  slowest") or (on and line.startswith("              "))
        if not on:
            continue
        m = re.match(r"\s+(?:slowest)?\s+" + MS + r"  (\S+)(?: \((.*)\))?$", line)
        if m:
            out.append((ms(m[1], m[2]), m[3], m[4]))
    return out


def nearest_rank(v, p):
    k = max(1, -(-len(v) * p // 100))
    return v[min(k, len(v)) - 1]


def check_scan_block(d, p, block):
    tus = field(block, "TUs")
    m = re.match(r"(\d+): (\d+) parsed, (\d+) skipped by the prefilter, (\d+) failed, (\d+) reused$",
                 tus or "")
    check(m and int(m[1]) == len(ALL) and int(m[1]) == sum(int(m[k]) for k in range(2, 6)),
          f"TUs add up: {tus}")
    check(m and (int(m[2]), int(m[3]), int(m[4])) == (len(PARSED), 1, 2),
          f"parsed, skipped, failed: {tus}")
    slow = slowest(block)
    check(len(slow) == len(ALL) - 1, f"every TU a worker took is listed: {slow}")
    check([t for t, _, _ in slow] == sorted((t for t, _, _ in slow), reverse=True),
          f"slowest first: {slow}")
    check(all(os.path.exists(os.path.join(d, f)) and not os.path.isabs(f) for _, f, _ in slow),
          f"root-relative paths: {slow}")
    outcomes = {f: o for _, f, o in slow}
    check(outcomes.get("empty.c") == "failed" and outcomes.get("crashme.c") == "crashed"
          and all(outcomes.get(os.path.basename(x)) is None for x in PARSED),
          f"outcomes: {outcomes}")
    analysed = sorted(t for t, _, o in slow if o is None)
    wall = field(block, "per-TU wall")
    m = re.match(rf"p50 {MS}, p90 {MS}, p99 {MS}, max {MS} \((\d+) analysed\)$", wall or "")
    check(m and int(m[9]) == len(PARSED), f"per-TU line: {wall}")
    if m:
        got = [ms(m[k], m[k + 1]) for k in (1, 3, 5, 7)]
        want = [round(nearest_rank(analysed, q), 1) for q in (50, 90, 99, 100)]
        check(got == want, f"nearest-rank percentiles of the listed times: {got} vs {want}")
        check(0 < got[0] <= got[1] <= got[2] <= got[3] < p.wall_ms,
              f"percentiles ordered, below the scan's wall time {p.wall_ms:.0f} ms: {got}")
    workers = field(block, "workers")
    m = re.match(rf"{MS} at -j2; {MS} a TU outside", workers or "")
    check(m and sum(analysed) <= 2 * ms(m[1], m[2]) + 1 and ms(m[1], m[2]) < p.wall_ms,
          f"workers' wall: {workers}, TUs {sum(analysed):.0f} ms")
    store = field(block, "store writes")
    m = re.match(rf"{MS}: TU transactions {MS} \(summed over workers\), skipped TUs {MS}, "
                 rf"outlines {MS}$", store or "")
    check(m and ms(m[3], m[4]) > 0, f"store writes: {store}")
    link = field(block, "link phase")
    m = re.match(rf"{MS}: read {MS} \((\d+) facts, (\d+) summaries\), join {MS}, write {MS} "
                 r"\((\d+) findings?\)$", link or "")
    nlink = p.stdout.count("[field-never-stopped]")
    check(m and int(m[5]) > 0 and int(m[11]) == nlink and nlink > 0,
          f"link phase: {link}, {nlink} printed")
    rss = field(block, "peak RSS")
    m = re.match(r"scan ([0-9.]+) MB, largest worker ([0-9.]+) MB \((\S+)\)$", rss or "")
    check(m and float(m[1]) > 1 and float(m[2]) > 1 and m[3] in outcomes,
          f"peak RSS: {rss}")


def test_scan(d):
    a = run(d, "scan", "-p", ".", "--db", "a.db", "-j2")
    b = run(d, "scan", "-p", ".", "--db", "b.db", "-j2", "--stats")
    check(a.returncode == b.returncode == 2, f"exit status: {a.returncode} {b.returncode}")
    check(a.stdout == b.stdout and a.stdout, "stdout is the same with --stats")
    before, block = split_block(b.stderr)
    check("stats" not in a.stderr, f"no block without --stats: {a.stderr}")
    check(timeless(before) == timeless(a.stderr.splitlines()),
          f"stderr before the block is the same:\n{a.stderr}\n--\n{b.stderr}")
    check(block and all(x.startswith("  ") for x in block), f"the block comes last: {b.stderr}")
    check_scan_block(d, b, block)
    q = run(d, "scan", "-p", ".", "--db", "q.db", "-j2", "--stats", "-q")
    before, block = split_block(q.stderr)
    check(block and not any(re.match(r"timerlint: \d+ translation units", x) for x in before),
          f"-q keeps the block, drops the summary: {q.stderr}")
    w = run(d, "scan", "-p", ".", "--db", "b.db", "-j2", "--stats")
    _, block = split_block(w.stderr)
    tus = field(block, "TUs") or ""
    check(f"{len(PARSED)} reused" in tus and "no TU analysed" in (field(block, "per-TU wall") or ""),
          f"warm scan: {tus} {field(block, 'per-TU wall')}")
    check(sum(o == "reused" for _, _, o in slowest(block)) == len(PARSED),
          f"reused TUs are listed as such: {slowest(block)}")
    p = run(d, "scan", "--stats", "--dump-ir", "trivial.c")
    check(p.returncode == 2 and "--stats" in p.stderr and len(p.stderr.splitlines()) == 1,
          f"--stats with --dump-ir: {p.returncode} {p.stderr}")


def test_merge(d):
    for k in (1, 2):
        run(d, "scan", "-p", ".", "--shard", f"{k}/2", "--db", f"s{k}.db", "-q")
    plain = run(d, "merge", "m0.db", "s1.db", "s2.db")
    check(plain.returncode == 0 and "stats" not in plain.stderr, f"merge: {plain.stderr}")
    p = run(d, "merge", "m.db", "s1.db", "s2.db", "--stats")
    before, block = split_block(p.stderr)
    check(p.returncode == 0 and before == plain.stderr.replace("m0.db", "m.db").splitlines(),
          f"merge --stats: {p.stderr}")
    want = {}
    for k in (1, 2):
        db = sqlite3.connect(os.path.join(d, f"s{k}.db"))
        for t, n in [("tus", "SELECT count(*) FROM tus"),
                     ("deps", "SELECT count(*) FROM tu_deps"),
                     ("findings", "SELECT count(*) FROM findings"),
                     ("link", "SELECT (SELECT count(*) FROM link_facts)"
                              " + (SELECT count(*) FROM link_sums)")]:
            want[t] = want.get(t, 0) + db.execute(n).fetchone()[0]
        db.close()
    line = field(block, "merge")
    m = re.match(rf"{MS}: 2 shards, (\d+) TUs, (\d+) dependencies, (\d+) findings, "
                 r"(\d+) link rows$", line or "")
    check(m and [int(m[k]) for k in range(3, 7)] == [want[t] for t in ("tus", "deps", "findings", "link")]
          and want["tus"] == len(ALL), f"rows merged: {line}, the shards hold {want}")
    link = field(block, "link phase") or ""
    got = subprocess.run([TL, "findings", "--db", "m.db", "--rule", "field-never-stopped"],
                         cwd=d, capture_output=True, text=True).stdout
    n = got.count("[field-never-stopped]")
    check(n > 0 and re.search(rf"\({n} findings?\)$", link), f"merge's link phase: {link} ({n})")
    check(field(block, "slowest shard") and re.match(r"merge [0-9.]+ MB$", field(block, "peak RSS") or ""),
          f"merge block: {block}")


def main():
    with tempfile.TemporaryDirectory() as d:
        for rel in PARSED:
            shutil.copy(os.path.join(SRC, "testdata", rel), d)
        open(os.path.join(d, "trivial.c"), "w").write(TRIVIAL)
        open(os.path.join(d, "empty.c"), "w").close()
        open(os.path.join(d, "crashme.c"), "w").write(CRASH)
        json.dump([{"directory": d, "file": f, "arguments": ["cc", "-c", f]} for f in ALL],
                  open(os.path.join(d, "compile_commands.json"), "w"))
        test_scan(d)
        test_merge(d)
    return totals()


if __name__ == "__main__":
    sys.exit(main())
