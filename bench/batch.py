#!/usr/bin/env python3
"""batch.py [PKG] [-j N]: batch-scan figures on a real tree, one line each.

Every tool sees the same translation units (the compile database's distinct
files) at the same parallelism. Commands are run as argument lists, never
through a shell. The tree comes from fetch-corpus.sh (Debian source package,
never committed).

  throughput   timerlint vs clang-19 -fsyntax-only (budget: ratio >= 0.85)
  clang-tidy   timerlint vs clang-tidy with one cheap check
  cppcheck     timerlint vs cppcheck --project
  memory       peak RSS of one timerlint worker vs clang -fsyntax-only
  scaling      -j1 vs -jN, and time against the number of TUs
"""
import os
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from compile_args import compiler_args, unique_entries

HERE = os.path.dirname(os.path.abspath(__file__))
TL = os.environ.get("TIMERLINT", os.path.join(HERE, "..", "build", "timerlint"))
pkg = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "redis"
jobs = int(sys.argv[sys.argv.index("-j") + 1]) if "-j" in sys.argv else os.cpu_count()
subprocess.run([os.path.join(HERE, "fetch-corpus.sh"), pkg], check=True, stdout=subprocess.DEVNULL)
cdb_dir = os.path.join(HERE, "corpus", pkg)
entries = unique_entries(cdb_dir)


def run_all(make_cmd, n=jobs):
    """Runs one command per entry, n at a time; returns wall seconds."""
    def one(ef):
        e, f = ef
        subprocess.run(make_cmd(e, f), cwd=e["directory"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    t = time.monotonic()
    with ThreadPoolExecutor(n) as pool:
        list(pool.map(one, entries))
    return time.monotonic() - t


def timed(cmd):
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t


def tl_scan(n, files=()):
    return timed([TL, "scan", "-q", "--no-db", "-j", str(n), "-p", cdb_dir, *files])


n = len(entries)
ours = tl_scan(jobs)
clang = run_all(lambda e, f: ["clang-19", "-fsyntax-only", "-w"] + compiler_args(e))
print(f"bench throughput {pkg}: {n} TUs -j{jobs}: clang-19 -fsyntax-only {clang:.2f}s, "
      f"timerlint {ours:.2f}s, throughput ratio {clang / ours:.2f}")
tidy = shutil.which("clang-tidy-19") or shutil.which("clang-tidy")
if tidy:
    t = run_all(lambda e, f: [tidy, "-checks=-*,misc-redundant-expression", "-p", cdb_dir, f])
    print(f"bench clang-tidy {pkg}: {os.path.basename(tidy)} one check {t:.2f}s, timerlint {ours:.2f}s, "
          f"ratio {t / ours:.2f} (timerlint is that many times faster)")
if shutil.which("cppcheck") and "cppcheck" not in os.environ.get("BENCH_SKIP", ""):
    t = timed(["cppcheck", "-q", f"-j{jobs}", f"--project={cdb_dir}/compile_commands.json"])
    print(f"bench cppcheck {pkg}: cppcheck {t:.2f}s, timerlint {ours:.2f}s, ratio {t / ours:.2f}")


def peak_rss_kb(cmd, cwd=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


# Memory: the largest TU, one process each (RUSAGE_CHILDREN keeps the max of
# every child waited for, timerlint's workers included).
big = max(entries, key=lambda ef: os.path.getsize(ef[1]))
m_clang = subprocess.run([sys.executable, "-c",
                          "import resource,subprocess,sys;"
                          "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
                          "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
                          "clang-19", "-fsyntax-only", "-w"] + compiler_args(big[0]),
                         cwd=big[0]["directory"], capture_output=True, text=True).stdout.strip()
m_tl = subprocess.run([sys.executable, "-c",
                       "import resource,subprocess,sys;"
                       "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
                       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
                       TL, "scan", "-q", "--no-db", "-j", "1", "-p", cdb_dir, big[1]],
                      capture_output=True, text=True).stdout.strip()
print(f"bench memory {pkg}: largest TU {os.path.relpath(big[1], cdb_dir)}: clang -fsyntax-only "
      f"{int(m_clang) // 1024} MB, timerlint worker {int(m_tl) // 1024} MB, ratio {int(m_tl) / int(m_clang):.2f}")
one = tl_scan(1)
print(f"bench scaling {pkg}: -j1 {one:.2f}s, -j{jobs} {ours:.2f}s, speed-up {one / ours:.2f}")
files = [f for _, f in entries]
parts = []
for frac in (4, 2, 1):
    k = max(1, n // frac)
    parts.append(f"{k} TUs {tl_scan(jobs, files[:k]):.2f}s")
print(f"bench growth {pkg}: " + ", ".join(parts))
