#!/usr/bin/env python3
"""The token prefilter (#17) loses nothing.

First the lexer and the fixpoint on small trees made here, each written
with what must happen before it ran: a family call in a comment or a
string does not count, one behind a line splice or after a raw string
holding "/*" does; a macro of a project header that expands to
timer_create counts where it is used; a TU that only frees a struct whose
typedef holds a uv_timer_t is parsed; a function that such a teardown
calls in another file is parsed (the link phase reads its body); a TU
that names nothing is skipped, and the summary line says so; a shard
decides as the whole scan does, so merged shards find what it finds.

Then every testdata file and the demo, in one compile database (each with
its `// flags:`), scanned with and without the prefilter: the findings
(rule, file, line, message) must be the same, and so must the link facts
and summaries of every TU both runs parsed. A skipped TU's rows in the run
without the prefilter must hold nothing about a timer or a thread (no
start, stop, make or teardown fact, no summary that stops or makes one):
what the link phase reads of it is only that its functions have bodies
and what they hand on, which is what the prefilter keeps parsing where a
holder's code reaches it.

usage: test_prefilter.py TIMERLINT SRCDIR"""
import glob
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from checks import check, totals

TL = os.path.realpath(sys.argv[1])
SRC = os.path.realpath(sys.argv[2])
FLAGS = re.compile(r"^\s*//\s*flags:(.*)$")


def scan(cwd, args, db):
    p = subprocess.run([TL, "scan", "--db", db, "--format", "json"] + args,
                       cwd=cwd, capture_output=True, text=True)
    return p


def statuses(db):
    with sqlite3.connect(db) as c:
        run = c.execute("SELECT max(id) FROM runs").fetchone()[0]
        return {os.path.basename(p): s for p, s in c.execute(
            "SELECT path, status FROM tus WHERE run_id = ?", (run,))}


def findings(out):
    try:
        doc = json.loads(out)
    except ValueError:
        return None
    return sorted((f["rule"], f["file"], f["line"], f["message"])
                  for f in doc["findings"])


def tree(files):
    d = tempfile.mkdtemp(prefix="tl-pf-")
    subprocess.run(["git", "init", "-q", d], check=True)
    for name, text in files.items():
        path = os.path.join(d, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    return d


TIMER = "#include <signal.h>\n#include <time.h>\n"


def case(what, files, expect, extra=(), skipped=None, rc=(0, 1)):
    """Scans `files` (one TU each .c/.cpp) and checks each TU's status:
    expect maps a file name to 'skipped' or 'parsed'."""
    d = tree(files)
    srcs = sorted(n for n in files if n.endswith((".c", ".cpp")))
    db = os.path.join(d, "f.db")
    p = scan(d, srcs + list(extra) + ["--", "-Iinc"], db)
    check(p.returncode in rc, f"{what}: exit {p.returncode}: {p.stderr}")
    st = statuses(db)
    for name, want in expect.items():
        got = "skipped" if st.get(name) == "skipped" else "parsed"
        check(got == want, f"{what}: {name} {got}, expected {want} "
                           f"({st.get(name)})")
    if skipped is not None:
        line = f", {skipped} skipped by the prefilter" if skipped else \
            "skipped by the prefilter"
        ok = line in p.stderr if skipped else line not in p.stderr
        check(ok, f"{what}: summary says {skipped} skipped: {p.stderr}")
    # The same tree without the prefilter: the same findings.
    q = scan(d, srcs + list(extra) + ["--no-prefilter", "--", "-Iinc"],
             os.path.join(d, "g.db"))
    check(findings(p.stdout) == findings(q.stdout),
          f"{what}: findings differ with the prefilter\n{p.stdout}\n{q.stdout}")
    return d, p


def lexer_cases():
    case("comment and string", {
        "a.c": "/* timer_create(CLOCK_REALTIME, 0, 0); */\n"
               "// timer_settime(t, 0, 0, 0);\n"
               "const char *s = \"timer_create(\";\n"
               "const char c = '\\'', d = '\"';\n"
               "const char *u = u8\"timer_delete\", *w = L\"pthread_create\";\n"
               "int add(int a, int b) { return a + b; }\n",
    }, {"a.c": "skipped"}, skipped=1)
    case("line splice", {
        "b.c": TIMER + "void bad(void) { timer_t t;\n"
               "  timer_\\\ncreate(CLOCK_MONOTONIC, NULL, &t); }\n",
    }, {"b.c": "parsed"}, skipped=0)
    case("raw strings", {
        # As a plain string, R"x(" would end at the second quote and the
        # "/*" after it would hide the call until the last line's "*/".
        "r.cpp": TIMER + "const char *r = R\"x(\" /* )x\";\n"
                 "void bad() { timer_t t; timer_create(CLOCK_MONOTONIC, "
                 "nullptr, &t); }\n/* */\n",
        # Inside a raw string, "*/" and a family name are text.
        "s.cpp": "const char *r = R\"(*/ timer_create( )\";\n"
                 "const char *q = u8R\"--(pthread_create)--\";\n"
                 "int f() { return 1; }\n",
    }, {"r.cpp": "parsed", "s.cpp": "skipped"}, skipped=1)
    case("macro in a project header", {
        "inc/start.h": TIMER + "#define START(t) \\\n"
                       "  timer_create(CLOCK_MONOTONIC, NULL, &(t))\n",
        "m.c": "#include \"start.h\"\n"
               "void bad(void) { timer_t t; START(t); }\n",
        "n.c": "#include \"start.h\"\nint plain(void) { return 0; }\n",
    }, {"m.c": "parsed", "n.c": "skipped"}, skipped=1)
    case("#include of a macro", {
        "i.c": "#define H \"nothing.h\"\n#include H\nint f(void) { return 1; }\n",
        "nothing.h": "int g(void);\n",
    }, {"i.c": "parsed"}, skipped=0)
    case("a missing generated header", {
        "g.c": "#include \"generated-config.h\"\nint f(void) { return 1; }\n",
    }, {"g.c": "skipped"}, skipped=1)
    case("a missing header under --strict", {
        "g.c": "#include \"generated-config.h\"\nint f(void) { return 1; }\n",
    }, {"g.c": "parsed"}, extra=["--strict"], skipped=0, rc=(2,))
    case("prototypes in a header", {
        # A header that declares a wrapper makes no TU that includes it
        # interesting; the TU that calls the wrapper is.
        "inc/w.h": "void start_worker(void);\n",
        "w.c": "#include <pthread.h>\n#include \"w.h\"\n"
               "static void *run(void *p) { return p; }\n"
               "void start_worker(void) { pthread_t t;\n"
               "  pthread_create(&t, NULL, run, NULL); pthread_detach(t); }\n",
        "x.c": "#include \"w.h\"\nint unrelated(void) { return 2; }\n",
        "y.c": "#include \"w.h\"\nvoid go(void) { start_worker(); }\n",
    }, {"w.c": "parsed", "x.c": "skipped", "y.c": "parsed"}, skipped=1)


def generic_cases():
    # close() and read() take any fd (generic: true): alone they name no
    # timer, so a TU of sockets and pipes is skipped; one that closes the
    # field of a type holding a timerfd names that type and is parsed.
    case("fd calls alone", {
        "inc/tick.h": "struct tick { int tfd; int sock; };\n"
                      "int tick_open(struct tick *t);\n",
        "open.c": "#include <sys/timerfd.h>\n#include \"tick.h\"\n"
                  "int tick_open(struct tick *t) {\n"
                  "  t->tfd = timerfd_create(CLOCK_MONOTONIC, 0);\n"
                  "  return t->tfd < 0 ? -1 : 0; }\n",
        "shut.c": "#include <unistd.h>\n#include \"tick.h\"\n"
                  "void tick_shut(struct tick *t) { close(t->tfd); }\n",
        "sock.c": "#include <unistd.h>\n"
                  "int relay(int a, int b) { char buf[64];\n"
                  "  ssize_t n = read(a, buf, sizeof buf); close(a); close(a);\n"
                  "  return n > 0 ? (int)write(b, buf, (size_t)n) : -1; }\n",
    }, {"open.c": "parsed", "shut.c": "parsed", "sock.c": "skipped"},
        extra=["--link"], skipped=1)


def scalar_typedef_cases():
    # Only a record has fields to keep a timer in: a scalar typedef that a
    # timer's function names (wpa's u8) makes no holder, a struct's
    # typedef does.
    case("scalar typedef", {
        "inc/types.h": "typedef unsigned char u8;\n"
                       "typedef struct link { int fd; } link_t;\n",
        "arm.c": "#include <sys/timerfd.h>\n#include \"types.h\"\n"
                 "int arm(link_t *l, u8 flags) {\n"
                 "  l->fd = timerfd_create(CLOCK_MONOTONIC, flags);\n"
                 "  return l->fd; }\n",
        "bytes.c": "#include \"types.h\"\n"
                   "int sum(const u8 *p, int n) { int s = 0;\n"
                   "  while (n--) s += *p++; return s; }\n",
        "links.c": "#include <stdlib.h>\n#include \"types.h\"\n"
                   "void link_drop(link_t *l) { free(l); }\n",
    }, {"arm.c": "parsed", "bytes.c": "skipped", "links.c": "parsed"},
        extra=["--link"], skipped=1)


def holder_cases():
    conn = ("#include <uv.h>\n"
            "typedef struct conn { uv_timer_t timer; int fd; } conn_t;\n"
            "void conn_start(conn_t *c, uv_loop_t *loop);\n"
            "void note(void *p);\n")
    d, p = case("holder typedef", {
        "inc/conn.h": conn,
        "start.c": "#include \"conn.h\"\n"
                   "static void tick(uv_timer_t *t) { (void)t; }\n"
                   "void conn_start(conn_t *c, uv_loop_t *loop) {\n"
                   "  uv_timer_init(loop, &c->timer);\n"
                   "  uv_timer_start(&c->timer, tick, 10, 10); }\n",
        # Only frees the struct, by its typedef name: a teardown that
        # leaves the timer running (the link phase's finding).
        "free.c": "#include <stdlib.h>\n#include \"conn.h\"\n"
                  "void conn_destroy(conn_t *c) { note(c); free(c); }\n",
        # What conn_destroy hands its object to: the link phase reads
        # this body to know note() stops nothing.
        "note.c": "#include <stdio.h>\nvoid note(void *p) { printf(\"%p\", p); }\n",
        "other.c": "#include <stdio.h>\nvoid hello(void) { puts(\"hi\"); }\n",
    }, {"start.c": "parsed", "free.c": "parsed", "note.c": "parsed",
        "other.c": "skipped"}, extra=["--link"], skipped=1)
    got = findings(p.stdout) or []
    check(any(r == "field-never-stopped" for r, f, _, _ in got),
          f"holder typedef: the link phase's finding: {got}")
    # Warm: the same decisions from the cached outlines.
    db = os.path.join(d, "f.db")
    srcs = ["free.c", "note.c", "other.c", "start.c"]
    w = scan(d, srcs + ["--link", "--", "-Iinc"], db)
    check(", 1 skipped by the prefilter" in w.stderr and
          findings(w.stdout) == got, f"warm: {w.stderr}")
    with sqlite3.connect(db) as c:
        n = c.execute("SELECT count(*) FROM outlines").fetchone()[0]
    check(n >= 5, f"warm: {n} cached outlines")


def sharded_cases():
    """A shard decides over the whole database: free.c only frees a struct
    whose timer start.c starts, so it is parsed for start.c's sake, and
    start.c may be in another shard. Merged, the shards find what the
    whole scan finds (each module's teardown frees its timer running);
    each shard keeps the outlines of its own TUs' files only."""
    files = {}
    for k in range(12):
        files[f"inc/mod{k}.h"] = f"#include <time.h>\nstruct mod{k} {{ timer_t tick; int n; }};\n"
        files[f"start{k}.c"] = (f"{TIMER}#include \"mod{k}.h\"\nint mod{k}_start(struct mod{k} *m) {{\n"
                                "  struct itimerspec its = {{1, 0}, {1, 0}};\n"
                                "  if (timer_create(CLOCK_MONOTONIC, NULL, &m->tick) != 0)\n"
                                "    return -1;\n  return timer_settime(m->tick, 0, &its, NULL);\n}\n")
        files[f"stop{k}.c"] = (f"#include \"mod{k}.h\"\n"
                               f"void mod{k}_stop(struct mod{k} *m) {{ timer_delete(m->tick); }}\n")
        files[f"free{k}.c"] = (f"#include <stdlib.h>\n#include \"mod{k}.h\"\n"
                               f"void mod{k}_destroy(struct mod{k} *m) {{ m->n = 0; free(m); }}\n")
    d = tree(files)
    json.dump([{"directory": d, "file": f, "arguments": ["cc", "-Iinc", "-c", f]}
               for f in sorted(files) if f.endswith(".c")],
              open(os.path.join(d, "compile_commands.json"), "w"))
    whole = scan(d, ["-p", "."], os.path.join(d, "whole.db"))
    want = findings(whole.stdout) or []
    check(len(want) == 12, f"sharded: the whole scan's 12 teardown findings: {len(want)}")
    shard_of = {}
    for k in (1, 2, 3):
        db = os.path.join(d, f"s{k}.db")
        p = scan(d, ["-p", ".", "--shard", f"{k}/3"], db)
        check(p.returncode in (0, 1), f"shard {k}/3: exit {p.returncode}: {p.stderr}")
        st = statuses(db)
        for name in st:
            shard_of[name] = k
        with sqlite3.connect(db) as c:
            n = c.execute("SELECT count(*) FROM outlines").fetchone()[0]
        own = {name for name in st} | {f"mod{re.sub(r'[^0-9]', '', x)}.h" for x in st}
        check(n == len(own), f"shard {k}/3 keeps its own TUs' outlines: {n}, files {len(own)}")
    apart = [k for k in range(12) if shard_of.get(f"start{k}.c") != shard_of.get(f"free{k}.c")]
    check(apart, f"sharded: some module's start and free are in different shards: {shard_of}")
    p = subprocess.run([TL, "merge", "m.db", "s1.db", "s2.db", "s3.db"], cwd=d,
                       capture_output=True, text=True)
    q = subprocess.run([TL, "findings", "--db", "m.db", "--format", "json"], cwd=d,
                       capture_output=True, text=True)
    got = sorted((f["rule"], f["file"], f["line"], f["message"]) for f in json.loads(q.stdout or "[]"))
    check(p.returncode == 0 and got == want,
          f"sharded and merged == whole: {len(got)} vs {len(want)} {p.stderr}")


def compile_db(out_dir):
    files = sorted(glob.glob(os.path.join(SRC, "testdata", "**", "*.c"),
                             recursive=True) +
                   glob.glob(os.path.join(SRC, "testdata", "**", "*.cpp"),
                             recursive=True) +
                   glob.glob(os.path.join(SRC, "examples", "demo", "*.c")))
    cmds = []
    for f in files:
        flags = []
        with open(f, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                m = FLAGS.match(line)
                if m and n <= 5:
                    flags += m.group(1).split()
                if n > 5:
                    break
        cc = "c++" if f.endswith(".cpp") else "cc"
        cmds.append({"directory": SRC, "file": f,
                     "arguments": [cc, "-c", f] + flags})
    with open(os.path.join(out_dir, "compile_commands.json"), "w") as fh:
        json.dump(cmds, fh)
    return len(cmds)


def link_cols(c):
    """Every column of link_facts but the TU's id, read from the store: a
    column a later schema adds (guard, consts, user_data) is compared too."""
    return ", ".join(r[1] for r in c.execute("PRAGMA table_info(link_facts)")
                     if r[1] != "tu_id")


def rows(db):
    """Per TU path: (status, sorted facts, sorted summaries) of the last run."""
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
            out[path] = (status, facts, sums)
    return out


def timer_rows(db, path):
    """Rows of `path`'s TU about a timer or thread: facts that start, stop
    or tear down (LF_START 0, LF_STOP 1, LF_STOP_ALL 6), summaries that
    make one (LS_MAKES: the only way an LF_FROM, a field given any call's
    result, is a start). A summary that "stops" its parameter (free())
    counts as much as an unknown callee where the link phase reads it."""
    with sqlite3.connect(db) as c:
        run = c.execute("SELECT max(id) FROM runs").fetchone()[0]
        tid = c.execute("SELECT id FROM tus WHERE run_id = ? AND path = ?",
                        (run, path)).fetchone()[0]
        n = c.execute("SELECT count(*) FROM link_facts WHERE tu_id = ? AND"
                      " kind IN (0, 1, 6)", (tid,)).fetchone()[0]
        n += c.execute("SELECT count(*) FROM link_sums WHERE tu_id = ? AND"
                       " param = -1", (tid,)).fetchone()[0]
    return n


# Families whose files, loaded alone (with the generic helpers every run
# has), leave most of testdata naming nothing they know: there the
# prefilter skips most TUs, and must still lose nothing. One scan per
# file, as run_testdata.py scans it: in one run the files' shared names
# (bad_1, struct conn) would tie them all together.
ALONE = ["posix-timer.yaml", "pthread.yaml"]
GENERIC = ["allocs.yaml", "frees.yaml", "noreturn.yaml", "teardown.yaml",
           "cxx-scope.yaml"]
SCAN = re.compile(r"^\s*//\s*scan:(.*)$")
WITH = re.compile(r"^\s*//\s*with:(.*)$")


def head_lines(path, pattern):
    out = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            m = pattern.match(line)
            if m and n <= 5:
                out += m.group(1).split()
            if n > 5:
                break
    return out


def one_file(f, family, d):
    """Scans testdata file f with only `family`, both ways: (skipped TUs,
    problems)."""
    rel = os.path.relpath(f, SRC)
    also = [os.path.join(os.path.dirname(f), w) for w in head_lines(f, WITH)]
    opts = head_lines(f, SCAN) + ["--no-default-rules", "-q"]
    for r in [family] + GENERIC:
        opts += ["--rules", os.path.join(SRC, "rules", r)]
    tail = ["--"] + head_lines(f, FLAGS)
    tag = rel.replace("/", "_")
    a, b = os.path.join(d, tag + ".pre.db"), os.path.join(d, tag + ".all.db")
    p = scan(SRC, [f] + also + opts + tail, a)
    q = scan(SRC, [f] + also + opts + ["--no-prefilter"] + tail, b)
    bad = []
    if findings(p.stdout) != findings(q.stdout) or findings(p.stdout) is None:
        bad.append(f"{rel} ({family}): findings differ:\n{p.stdout}\n{q.stdout}")
    ra, rb = rows(a), rows(b)
    skipped = [t for t, (st, _, _) in ra.items() if st == "skipped"]
    for t, (st, facts, sums) in ra.items():
        if st != "skipped" and rb.get(t, (None,))[1:] != (facts, sums):
            bad.append(f"{rel} ({family}): link rows of {t} differ")
        if st == "skipped" and timer_rows(b, t):
            bad.append(f"{rel} ({family}): skipped {t} has timer facts")
    return len(skipped), bad


def families_alone():
    files = sorted(glob.glob(os.path.join(SRC, "testdata", "**", "*.c"),
                             recursive=True) +
                   glob.glob(os.path.join(SRC, "testdata", "**", "*.cpp"),
                             recursive=True))
    files = [f for f in files if "/parts/" not in f]
    d = tempfile.mkdtemp(prefix="tl-pf-one-")
    total = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        for family in ALONE:
            got = list(pool.map(lambda f: one_file(f, family, d), files))
            n = sum(k for k, _ in got)
            for _, bad in got:
                for b in bad:
                    check(False, b)
            check(True, f"{family} alone")
            print(f"testdata, one file a scan, {family} alone: {n} of "
                  f"{len(files)} skipped")
            total += n
    return total


def whole_testdata(family=None):
    what = f"testdata ({family or 'every family'})"
    d = tempfile.mkdtemp(prefix="tl-pf-all-")
    n = compile_db(d)
    a, b = os.path.join(d, "pre.db"), os.path.join(d, "all.db")
    opts = ["-j", "2"]
    if family:
        opts += ["--no-default-rules"]
        for f in [family] + GENERIC:
            opts += ["--rules", os.path.join(SRC, "rules", f)]
    p = subprocess.run([TL, "scan", "-p", d, "--db", a, "--format", "json"]
                       + opts, cwd=SRC, capture_output=True, text=True)
    q = subprocess.run([TL, "scan", "-p", d, "--db", b, "--format", "json",
                        "--no-prefilter"] + opts, cwd=SRC, capture_output=True,
                       text=True)
    fa, fb = findings(p.stdout), findings(q.stdout)
    check(fa is not None and fb is not None and len(fb) > (0 if family else 100),
          f"{what}: {n} TUs scanned both ways ({p.stderr[-300:]})")
    if fa != fb:
        for x in sorted(set(fa or []) ^ set(fb or [])):
            print("  only " + ("with" if x in (fa or []) else "without") +
                  f" the prefilter: {x}")
    check(fa == fb, f"{what}: {len(fb or [])} findings, the same both ways")
    ra, rb = rows(a), rows(b)
    check(set(ra) == set(rb), f"{what}: the same TUs recorded")
    skipped = [t for t, (s, _, _) in ra.items() if s == "skipped"]
    print(f"{what}: {len(skipped)} of {len(ra)} TUs skipped, "
          f"{len(fb or [])} findings")
    same = [t for t in ra if ra[t][0] != "skipped" and t in rb]
    for t in same:
        check(ra[t][1:] == rb[t][1:], f"{what}: link rows of {t} differ")
    for t in skipped:
        check(timer_rows(b, t) == 0,
              f"{what}: skipped {t} has timer facts without the prefilter")
        check(not ra[t][1] and not ra[t][2], f"{what}: skipped {t} has rows")
    return len(skipped)


def main():
    lexer_cases()
    generic_cases()
    scalar_typedef_cases()
    holder_cases()
    sharded_cases()
    whole_testdata()
    skipped = families_alone()
    check(skipped > 100, f"the families alone: {skipped} TUs skipped in all")
    return totals()


if __name__ == "__main__":
    sys.exit(main())
