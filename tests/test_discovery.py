#!/usr/bin/env python3
"""Finding the build database without -p (#13 item 2), as clang tools do:
beside the file, then in each parent directory up to the repository root,
also in build/ and out/ at each level; stderr says which one. A file the
database lists gets its own command; one it does not list gets a
neighbour's in the same directory, else no flags at all (never a guess
from another directory: libclang's own guess gave timerlint's -Werror to
files of other trees). `--` means these flags and no database. With no
command at all, the flags are inferred: -I for the repository directories
holding the headers the file includes, found by name, and the root;
pkg-config's flags for the families whose headers it includes; an empty
stand-in for a header the build generates (config.h, NAME.h from a
NAME.h.in template). `--print-flags FILE` says what was chosen and why.

usage: test_discovery.py TIMERLINT"""
import json
import os
import subprocess
import sys
import tempfile

from checks import check, totals

TL = os.path.realpath(sys.argv[1])

LEAKY = """#include <signal.h>
#include <time.h>
#include "svc.h"
int %s(void)
{
#ifdef WITH_TIMERS
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
#endif
    return SVC_OK;
}
"""

TICK = """#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <glib.h>
#include "tick.h"

static bool started;

static gboolean on_tick(gpointer data)
{
    (void)data;
    return G_SOURCE_CONTINUE;
}

void tick_start(struct tick *t)
{
    started = true;
    g_timeout_add(100, on_tick, t);
}
"""
CONFIG_IN = """#undef HAVE_STDBOOL_H
#undef HAVE_NO_SUCH_THING_H
#if HAVE_STDBOOL_H
#include <stdbool.h>
#endif
"""


def scan(cwd, *args):
    p = subprocess.run([TL, "scan", "-q", "--no-db", *args], cwd=cwd,
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["git", "init", "-q", d], check=True)
        write(f"{d}/include/svc.h", "#define SVC_OK 0\n")
        write(f"{d}/src/a.c", LEAKY % "a")
        write(f"{d}/src/b.c", LEAKY % "b")          # not listed: neighbour
        write(f"{d}/tools/c.c", LEAKY % "c")        # not listed, alone
        write(f"{d}/src/deep/e.c", (LEAKY % "e").replace(
            "    return SVC_OK;", "    int unused;\n    return SVC_OK;"))
        db = [{"directory": f"{d}/build", "file": f"{d}/src/a.c",
               "arguments": ["cc", "-DWITH_TIMERS", f"-I{d}/include", "-c",
                             f"{d}/src/a.c", "-o", "a.o"]},
              {"directory": f"{d}/build", "file": "../src/deep/e.c",
               "arguments": ["cc", "-DWITH_TIMERS", "-I../include", "-Werror",
                             "-Wunused-variable", "-c", "../src/deep/e.c"]}]
        write(f"{d}/build/compile_commands.json", json.dumps(db))

        rc, out, err = scan(d, "src/a.c")
        check("using " + os.path.realpath(d) + "/build/compile_commands.json"
              in err, f"the database used is named: {err}")
        check(rc == 1 and "src/a.c:8:" in out, f"a.c with its command: {rc} {out}{err}")

        rc, out, err = scan(f"{d}/src", "b.c")
        check(rc == 1 and "b.c:8:" in out, f"b.c with its neighbour's command: {rc} {out}{err}")

        rc, out, err = scan(d, "tools/c.c")
        check(rc == 0 and "warning" not in err and "-Werror" not in err and
              "unused" not in err,
              f"c.c with inferred flags, not another directory's: {rc} {out}{err}")

        rc, out, err = scan(f"{d}/src/deep", "e.c")
        check(rc == 1 and "e.c:8:" in out and "error" not in err,
              f"e.c found from two levels down, its -Werror not an error: {rc} {out}{err}")

        rc, out, err = scan(d, "src/a.c", "--", f"-I{d}/include")
        check(rc == 0 and "using" not in err and not out,
              f"-- means no database: {rc} {out}{err}")

        # No database at all: -I for the directories that hold what the file
        # includes, found by name in the repository (and the root).
        with tempfile.TemporaryDirectory() as n:
            subprocess.run(["git", "init", "-q", n], check=True)
            write(f"{n}/include/svc.h", '#include <proto/wire.h>\n#define SVC_OK WIRE_OK\n')
            write(f"{n}/lib/include/proto/wire.h", "#define WIRE_OK 0\n")
            write(f"{n}/src/x.c", "#define WITH_TIMERS 1\n" + LEAKY % "x")
            rc, out, err = scan(f"{n}/src", "x.c")
            check(rc == 1 and "x.c:9:" in out and "warning" not in err,
                  f"headers found by name two levels deep: {rc} {out}{err}")
        rc, out, err = scan(d, "--print-flags", "src/a.c", "src/b.c")
        rd = os.path.realpath(d)
        check(rc == 0 and f"src/a.c: the entry of {rd}/build/compile_commands.json" in out
              and "-DWITH_TIMERS" in out and "warning:" not in out,
              f"--print-flags names the database entry: {rc} {out}{err}")
        check(f"src/b.c: the entry of {rd}/src/a.c" in out and "neighbour" in out,
              f"--print-flags names the neighbour: {out}")
        rc, out, err = scan(d, "--print-flags", "tools/c.c")
        check(rc == 0 and "tools/c.c: inferred" in out and f"-I{rd}/include" in out
              and "svc.h" in out and f"-I{rd} " in out + " ",
              f"--print-flags explains inferred flags: {rc} {out}{err}")

        # pkg-config for the families whose headers the file includes, and
        # a stand-in config.h where the build would generate one: its
        # template, with the HAVE_X_H this system has defined (first written
        # as "an empty config.h"; the template's own code, here the
        # <stdbool.h> include, is what a file needs from it), and
        # HAVE_CONFIG_H defined where config.h is included under it.
        with tempfile.TemporaryDirectory() as g:
            subprocess.run(["git", "init", "-q", g], check=True)
            write(f"{g}/config.h.in", CONFIG_IN)
            write(f"{g}/include/tick.h", "struct tick { guint id; };\n")
            write(f"{g}/src/tick.c", TICK)
            rc, out, err = scan(f"{g}/src", "--print-flags", "tick.c")
            have_glib = subprocess.run(["pkg-config", "--exists", "glib-2.0"]).returncode == 0
            check(rc == 0 and "config.h: the build generates it from config.h.in" in out
                  and "1 of its 2 HAVE_*_H defined" in out and "-DHAVE_CONFIG_H" in out,
                  f"--print-flags: config.h stands in from its template: {rc} {out}{err}")
            if have_glib:
                check("pkg-config --cflags" in out and "glib-2.0" in out and "<glib.h>" in out,
                      f"--print-flags: pkg-config for <glib.h>: {out}")
                rc, out, err = scan(f"{g}/src", "tick.c")
                check(rc == 1 and "tick.c:18:" in out and "handle-discarded" in out
                      and "warning: " not in err,
                      f"no database, glib from pkg-config, no parse errors: {rc} {out}{err}")
            else:
                print("skip: pkg-config does not know glib-2.0")

        write(f"{d}/compile_commands.json", json.dumps(db[:1]))
        rc, out, err = scan(f"{d}/src", "a.c")
        check("using " + os.path.realpath(d) + "/compile_commands.json" in err
              and rc == 1, f"the nearest level wins (root before build/): {err}")
    return totals()


if __name__ == "__main__":
    sys.exit(main())
