#!/usr/bin/env python3
"""The link phase across translation units, on a small project with a
compile database: a field stopped by a wrapper defined in another file is
stopped; one handed to a function of another file that only uses it is
not; one handed to a library with no body anywhere may be; a timer made by
the project's own wrapper in another file and stored in a field is
started there. The same holds
on a warm re-scan (the reused TUs' facts are carried over), for a shard
scan (which does not link) merged afterwards, and not for named files.

usage: test_link.py TIMERLINT"""
import json
import os
import re
import subprocess
import sys
import tempfile

from checks import check, totals

TL = os.path.realpath(sys.argv[1])

HDR = """#include <time.h>
struct conn { timer_t idle, keepalive, audit, ping, pong; };
timer_t conn_timer_new(void);
void conn_timer_free(timer_t t);
void conn_log_timer(timer_t t);
extern void lib_adopt(timer_t t);
"""
START = """#include <signal.h>
#include "conn.h"
int conn_start(struct conn *c)
{
    struct itimerspec its = {{1, 0}, {1, 0}};
    if (timer_create(CLOCK_MONOTONIC, NULL, &c->idle) != 0)
        return -1;
    timer_settime(c->idle, 0, &its, NULL);
    if (timer_create(CLOCK_MONOTONIC, NULL, &c->keepalive) != 0)
        return -1;
    timer_settime(c->keepalive, 0, &its, NULL);
    if (timer_create(CLOCK_MONOTONIC, NULL, &c->audit) != 0)
        return -1;
    timer_settime(c->audit, 0, &its, NULL);
    c->ping = conn_timer_new();
    c->pong = conn_timer_new();
    return 0;
}
"""
STOP = """#include "conn.h"
void conn_stop(struct conn *c)
{
    conn_timer_free(c->idle);
    conn_log_timer(c->keepalive);
    lib_adopt(c->audit);
    conn_timer_free(c->pong);
}
"""
WRAP = """#include <stdio.h>
#include "conn.h"
#include <stddef.h>
#include <signal.h>
timer_t conn_timer_new(void)
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return NULL;
    return t;
}
void conn_timer_free(timer_t t) { timer_delete(t); }
void conn_log_timer(timer_t t) { printf("%d\\n", timer_getoverrun(t)); }
"""
FINDING = re.compile(r"^(\S+?):(\d+):\d+: (?:error|warning|note): .* \[([a-z-]+)\]$", re.M)


def scan(d, *args):
    p = subprocess.run([TL, "scan", *args], cwd=d, capture_output=True, text=True)
    return p, sorted((os.path.basename(f), int(n), r) for f, n, r in FINDING.findall(p.stdout))


def main():
    with tempfile.TemporaryDirectory() as d:
        for name, text in [("conn.h", HDR), ("start.c", START), ("stop.c", STOP), ("wrap.c", WRAP)]:
            open(os.path.join(d, name), "w").write(text)
        json.dump([{"directory": d, "file": f, "arguments": ["cc", "-c", f]}
                   for f in ("start.c", "stop.c", "wrap.c")],
                  open(os.path.join(d, "compile_commands.json"), "w"))
        want = [("start.c", 11, "field-never-stopped"),
                ("start.c", 15, "field-never-stopped")]
        p, got = scan(d, "-p", ".", "--db", "a.db")
        check(p.returncode == 1 and got == want,
              f"cold scan: want {want}, got {got}: {p.stdout}{p.stderr}")
        check("field-never-stopped 2" in p.stderr and "3 parsed" in p.stderr,
              f"summary line: {p.stderr}")
        p, got = scan(d, "-p", ".", "--db", "a.db")
        check(got == want and "3 reused" in p.stderr,
              f"warm scan reuses facts: {got} {p.stderr}")
        p, got = scan(d, "start.c", "stop.c", "wrap.c", "--db", "b.db")
        check(got == [], f"named files do not link: {got}")
        p, got = scan(d, "start.c", "stop.c", "wrap.c", "--db", "c.db", "--link")
        check(got == want, f"--link over named files: {got}")
        for k in (1, 2):
            p, got = scan(d, "-p", ".", "--shard", f"{k}/2", "--db", f"s{k}.db")
            check(not any(r == "field-never-stopped" for _, _, r in got),
                  f"shard {k} does not link: {got}")
        p = subprocess.run([TL, "merge", "m.db", "s1.db", "s2.db"], cwd=d,
                           capture_output=True, text=True)
        check(p.returncode == 0, f"merge: {p.stderr}")
        p = subprocess.run([TL, "findings", "--db", "m.db", "--rule", "field-never-stopped"],
                           cwd=d, capture_output=True, text=True)
        got = sorted((os.path.basename(f), int(n), r) for f, n, r in FINDING.findall(p.stdout))
        check(got == want, f"merged run links: {got} {p.stdout}{p.stderr}")
        # The wrapper changes: it no longer deletes. The stop is gone.
        open(os.path.join(d, "wrap.c"), "w").write(WRAP.replace("timer_delete(t)", "(void)t"))
        p, got = scan(d, "-p", ".", "--db", "a.db")
        check(("start.c", 8, "field-never-stopped") in got and
              ("start.c", 16, "field-never-stopped") in got and "1 parsed" in p.stderr,
              f"a changed wrapper is re-analysed and re-linked: {got} {p.stderr}")
    return totals()


if __name__ == "__main__":
    sys.exit(main())
