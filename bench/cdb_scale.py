#!/usr/bin/env python3
"""Compile databases at monorepo scale (#16 item 3): how long timerlint
takes to load a compile_commands.json of N entries and reach its first
translation unit. Each database lists N entries for files under one
directory (they need not exist: only the last, a real file, is named on the
command line and parsed), in the shape CMake writes (`command` strings,
absolute paths, about 230 bytes an entry).

  cdb_scale.py [N...]     (default: 40000 200000 1000000)

Prints per N: the file's size, the wall time of `scan -p DIR FILE` (the
load, the lookup of FILE, one small TU), and that time less the TU's own
(the same scan against a one-entry database); and the time to the first
TU of a whole-database scan: `scan -p DIR --print-flags`, which loads the
database and makes every command, as a scan does before its first TU, and
then prints them instead of parsing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.realpath(os.environ.get("TIMERLINT",
                                       os.path.join(HERE, "..", "build", "timerlint")))
SRC = "#include <time.h>\nint tick(void) { return (int)time(0); }\n"


def write_db(d, n, real):
    with open(os.path.join(d, "compile_commands.json"), "w") as f:
        f.write("[\n")
        for i in range(n - 1):
            name = f"{d}/src/mod{i // 1000}/file{i}.c"
            f.write(json.dumps({"directory": f"{d}/build/mod{i // 1000}",
                                "command": f"/usr/bin/cc -DMOD={i // 1000} -I{d}/include "
                                           f"-O2 -g -o file{i}.o -c {name}",
                                "file": name}) + ",\n")
        f.write(json.dumps({"directory": f"{d}/build", "file": real,
                            "command": f"/usr/bin/cc -c {real}"}) + "\n]\n")


def timed(d, real):
    t0 = time.time()
    p = subprocess.run([TOOL, "scan", "--no-db", "-q", "-p", d, real],
                       capture_output=True, text=True)
    return time.time() - t0, p.returncode, p.stderr


def main():
    sizes = [int(x) for x in sys.argv[1:]] or [40000, 200000, 1000000]
    tmp = tempfile.mkdtemp(prefix="tl-cdb-")
    try:
        real = os.path.join(tmp, "real.c")
        open(real, "w").write(SRC)
        write_db(tmp, 1, real)
        base, _, _ = timed(tmp, real)
        print(f"one entry: {base:.2f} s (the TU itself)")
        for n in sizes:
            write_db(tmp, n, real)
            mb = os.path.getsize(os.path.join(tmp, "compile_commands.json")) / 1e6
            t, rc, err = timed(tmp, real)
            print(f"{n} entries ({mb:.0f} MB): {t:.2f} s to the end of the scan, "
                  f"{t - base:.2f} s more than one entry (exit {rc})"
                  + (f": {err.strip()[:200]}" if rc not in (0, 1) else ""))
            t0 = time.time()
            subprocess.run([TOOL, "scan", "--no-db", "-q", "-p", tmp, "--print-flags"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"  whole database: {time.time() - t0:.2f} s to the first TU")
    finally:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
