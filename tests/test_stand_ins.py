#!/usr/bin/env python3
"""Each family's stand-in for a missing header (cli/standin.c, the rule
files' `headers:`, `prototype:`, `stand-in:`) is a header C accepts: for
every entry of every rule file's `headers:` (a directory entry with a name
under it), `timerlint rules --stand-in` prints one that clang compiles alone
with -Wall -Wextra -Werror as C11, GNU C11 and C++17, and that declares each
of the family's functions that has a C prototype. A family whose prototypes
are all C++ (Qt) has none. A scan with flags given uses the stand-in only
for a header nothing else has (-idirafter, said by --print-flags).

usage: test_stand_ins.py TIMERLINT RULES_DIR"""
import glob
import os
import re
import subprocess
import sys
import tempfile

from checks import check, totals

TL, RULES = os.path.realpath(sys.argv[1]), sys.argv[2]
HEADERS = re.compile(r"^headers:\s*\[(.*)\]\s*$", re.M)
PROTO = re.compile(r'^\s*prototype:\s*"(.*)"\s*$', re.M)
NAME = re.compile(r"([A-Za-z_]\w*)\s*\(")

with tempfile.TemporaryDirectory() as tmp:
    env = dict(os.environ, XDG_CACHE_HOME=tmp)
    written = []
    for path in sorted(glob.glob(os.path.join(RULES, "*.yaml"))):
        text = open(path, encoding="utf-8").read()
        m = HEADERS.search(text)
        if not m:
            continue
        # A C function's prototype: no C++, and its first '(' opens the
        # parameters, not a function pointer's declarator (a vtable entry).
        c_protos = [p for p in PROTO.findall(text)
                    if not re.search(r"::|&|<", p)
                    and not re.match(r"[^(]*\(\s*\*", p)]
        fam = os.path.basename(path)
        for entry in (e.strip() for e in m.group(1).split(",")):
            name = entry + "timerlint_probe.h" if entry.endswith("/") else entry
            p = subprocess.run([TL, "rules", "--stand-in", name],
                               capture_output=True, text=True, env=env)
            if not c_protos:
                check(p.returncode == 2 or "TIMERLINT_STAND_IN" in p.stdout,
                      f"{fam} {name}: no C prototype, rc {p.returncode}")
                continue
            if not check(p.returncode == 0, f"{fam} {name}: rc {p.returncode}: "
                         f"{p.stderr.strip()}"):
                continue
            h = os.path.join(tmp, "si", name)
            os.makedirs(os.path.dirname(h), exist_ok=True)
            open(h, "w").write(p.stdout)
            written.append((fam, name))
            for proto in c_protos:
                fn = NAME.search(proto.split("(", 1)[0] + "(")
                check(fn and re.search(r"\b%s\s*\(" % re.escape(fn.group(1)),
                                       p.stdout),
                      f"{fam} {name}: {fn.group(1) if fn else proto} declared")

    # Each alone, found before the machine's own, with the others beside
    # it (linux/workqueue.h includes
    # <linux/timer.h> as the real one does).
    for fam, name in written:
        src = os.path.join(tmp, "probe.c")
        open(src, "w").write(f"#include <{name}>\n")
        for lang, std in (("c", "c11"), ("c", "gnu11"), ("c++", "c++17")):
            c = subprocess.run(["clang", "-fsyntax-only", "-Wall", "-Wextra",
                                "-Werror", f"-std={std}", "-x", lang,
                                "-I", os.path.join(tmp, "si"), src],
                               capture_output=True, text=True)
            check(c.returncode == 0, f"{fam} {name} as {std}: "
                  f"{c.stderr.strip()[:400]}")

    # A header the machine has wins; one nobody has gets the stand-in.
    src = os.path.join(tmp, "drv.c")
    open(src, "w").write("#include <stdio.h>\n#include <zephyr/kernel.h>\n"
                         "struct k_timer t;\n")
    p = subprocess.run([TL, "scan", "--print-flags", src, "--", "-DX"],
                       capture_output=True, text=True, env=env, cwd=tmp)
    flag = re.search(r"^\s+(-idirafter\S+)\s+stands in for <zephyr/kernel.h> "
                     r"\(zephyr\)", p.stdout, re.M)
    check(p.returncode == 0 and flag, f"--print-flags names the stand-in: "
          f"{p.stdout}{p.stderr}")
    if flag:
        d = flag.group(1)[len("-idirafter"):]
        check(os.path.isfile(os.path.join(d, "zephyr", "kernel.h")),
              "the stand-in is written")
        check(not os.path.exists(os.path.join(d, "stdio.h")),
              "no stand-in for a header no family names")
    p = subprocess.run([TL, "scan", "--no-db", "--strict", "-q", src, "--"],
                       capture_output=True, text=True, env=env, cwd=tmp)
    check(p.returncode == 0, f"a file using the stand-in parses whole: "
          f"{p.stderr}")
    # A compile database's command is the build's own: no stand-in.
    db = os.path.join(tmp, "db")
    os.makedirs(db)
    open(os.path.join(db, "compile_commands.json"), "w").write(
        '[{"directory": "%s", "file": "%s", "command": "cc -c %s"}]'
        % (tmp, src, src))
    p = subprocess.run([TL, "scan", "--print-flags", "-p", db, src],
                       capture_output=True, text=True, env=env, cwd=tmp)
    check(p.returncode == 0 and "-idirafter" not in p.stdout,
          f"no stand-in for a compile database's command: {p.stdout}{p.stderr}")
    plain = os.path.join(tmp, "plain.c")
    open(plain, "w").write("#include <stdio.h>\nint main(void) { return 0; }\n")
    p = subprocess.run([TL, "scan", "--print-flags", plain, "--"],
                       capture_output=True, text=True, env=env, cwd=tmp)
    check("-idirafter" not in p.stdout, f"no stand-in without a family "
          f"header: {p.stdout}")
sys.exit(totals())
