#!/usr/bin/env python3
"""The findings store on real SQLite files: stable fingerprints, diff, the
baseline gate, incremental re-scan, suppressions, SIGKILL at any moment,
concurrent scans, migration, and refusing files that are not ours.

usage: test_store.py TIMERLINT SRCDIR"""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from checks import check, totals

TL, SRC = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])


def tl(*args, cwd, db="t.db"):
    cmd = [TL] + list(args[:1]) + (["--db", db] if db else []) + list(args[1:])
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


BUGGY = """#include <signal.h>
#include <time.h>
extern int configure(void);

int helper_a(int x) { return x + 1; }

int start_reporter(void)
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (configure() < 0)
        return -1;
    timer_delete(t);
    return 0;
}
"""


def in_repo(d):
    """git in d, with an author for commits."""
    return lambda *a: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *a],
                                     cwd=d, capture_output=True, text=True)


def leak(name):
    """A function that leaks a POSIX timer when it returns."""
    return ("int %s(void)\n{\n    timer_t t;\n"
            "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n        return -1;\n"
            "    return 0;\n}\n" % name)


def summary(p):
    return p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""


def test_fingerprints_and_diff(d):
    open(f"{d}/svc.c", "w").write(BUGGY)
    p = tl("scan", "svc.c", cwd=d)
    check(p.returncode == 1 and "[missing-stop]" in p.stdout, f"first scan: {p.stdout}{p.stderr}")
    # Unrelated edits: lines above, reformatting, a renamed unrelated function.
    edited = BUGGY.replace("extern int configure(void);",
                           "extern int configure(void);\n/* added */\n\nstatic int unused;\n")
    edited = edited.replace("int helper_a(int x) { return x + 1; }",
                            "int helper_renamed(int x)\n{\n    return x + 1;\n}")
    edited = edited.replace("    if (configure() < 0)\n        return -1;",
                            "    if (configure() < 0) {\n\n        return   -1;\n    }")
    open(f"{d}/svc.c", "w").write(edited)
    tl("scan", "svc.c", cwd=d)
    p = tl("diff", cwd=d)
    check(p.stdout.strip().endswith("0 new, 0 fixed, 1 unchanged"), f"edits keep identity: {p.stdout}")
    # Fix the bug: 1 fixed, and --fail-on new passes.
    fixed = edited.replace("    if (configure() < 0) {\n\n        return   -1;",
                           "    if (configure() < 0) {\n        timer_delete(t);\n        return   -1;")
    open(f"{d}/svc.c", "w").write(fixed)
    p = tl("scan", "svc.c", "--baseline", "latest", "--fail-on", "new", cwd=d)
    check(p.returncode == 0, f"fix passes the gate: {p.returncode} {p.stderr}")
    p = tl("diff", cwd=d)
    check(p.stdout.strip().endswith("0 new, 1 fixed, 0 unchanged"), f"fix shows as fixed: {p.stdout}")
    # Add a bug: 1 new, and the gate fails.
    open(f"{d}/svc.c", "w").write(fixed + """
int leak_again(void)
{
    timer_t u;
    if (timer_create(CLOCK_MONOTONIC, NULL, &u) != 0)
        return -1;
    return 0;
}
""")
    p = tl("scan", "svc.c", "--baseline", "latest", "--fail-on", "new", cwd=d)
    check(p.returncode == 1 and "leak_again" not in p.stdout and ":51:" not in p.stdout
          and p.stdout.count("warning:") == 1, f"new bug fails the gate: {p.returncode} {p.stdout}")
    p = tl("diff", "--format", "json", cwd=d)
    check('"new":1' in p.stdout.replace(" ", "") and '"state":"new"' in p.stdout.replace(" ", ""),
          f"json diff: {p.stdout[:300]}")
    # The same new bug against the run that already has it: nothing new.
    p = tl("scan", "svc.c", "--baseline", "latest", "--fail-on", "new", cwd=d)
    check(p.returncode == 0, f"known bug passes the gate: {p.returncode}")
    p = tl("scan", "svc.c", "--fail-on", "none", cwd=d)
    check(p.returncode == 0, "--fail-on none")
    p = tl("diff", "999", "latest", cwd=d)
    check(p.returncode == 2 and "999: no such run" in p.stderr, f"unknown run: {p.stderr}")
    p = tl("runs", cwd=d)
    check(p.returncode == 0 and p.stdout.count("complete") >= 6, f"runs: {p.stdout}")
    p = tl("findings", "--rule", "missing-stop", "--file", "*.c", cwd=d)
    check(p.returncode == 0 and p.stdout.count("warning:") == 1, f"findings: {p.stdout}")


def test_suppressions(d):
    src = BUGGY.replace("    timer_t t;\n    if (timer_create",
                        "    timer_t t;\n    // timerlint: ignore[missing-stop] the process exits on this error\n    if (timer_create")
    src += "int x; // timerlint: ignore[missing-stop]\nint y; // timerlint: ignore[no-such-rule] because\n"
    open(f"{d}/sup.c", "w").write(src)
    p = tl("scan", "sup.c", cwd=d)
    check("[missing-stop]" not in p.stdout, f"suppressed: {p.stdout}")
    check(p.stdout.count("[invalid-suppression]") == 2, f"bad suppressions reported: {p.stdout}")
    check("1 suppressed" in p.stderr, f"counted: {p.stderr}")
    p = tl("scan", "sup.c", "--show-suppressed", cwd=d)
    check("[missing-stop]" in p.stdout, f"--show-suppressed: {p.stdout}")


def make_tree(d, n):
    os.makedirs(f"{d}/inc", exist_ok=True)
    open(f"{d}/inc/a.h", "w").write("#define A_VALUE 1\n")
    open(f"{d}/inc/b.h", "w").write("#define B_VALUE 2\n")
    for i in range(n):
        hdr = "a.h" if i % 2 == 0 else "b.h"
        body = BUGGY.replace("start_reporter", f"start_reporter_{i}")
        open(f"{d}/f{i:03}.c", "w").write(f'#include "inc/{hdr}"\n' + body)
    return sorted(f for f in os.listdir(d) if f.endswith(".c"))


def test_incremental(d):
    files = make_tree(d, 6)
    p = tl("scan", *files, cwd=d)
    check("6 parsed, 0 reused" in p.stderr, f"cold: {summary(p)}")
    p = tl("scan", *files, cwd=d)
    check("0 parsed, 6 reused" in p.stderr and p.stdout.count("warning:") == 6,
          f"warm: {summary(p)}")
    time.sleep(0.01)
    open(f"{d}/inc/a.h", "a").write("/* touched */\n")
    p = tl("scan", *files, cwd=d)
    check("3 parsed, 3 reused" in p.stderr, f"header touched: {summary(p)}")
    p = tl("scan", "--force", *files, cwd=d)
    check("6 parsed, 0 reused" in p.stderr, f"--force: {summary(p)}")
    # Another build of the same version must not reuse what this one
    # stored: the key holds the binary's contents (one byte more here).
    other = f"{d}/timerlint-other"
    shutil.copyfile(TL, other)
    open(other, "ab").write(b"\0")
    os.chmod(other, 0o755)
    p = subprocess.run([other, "scan", "--db", "t.db"] + files, cwd=d,
                       capture_output=True, text=True)
    check("6 parsed, 0 reused" in p.stderr, f"another build: {summary(p)}")
    os.remove(other)
    # Through a compile database whose names are relative to its directory,
    # scanned from elsewhere: the dependencies must still be found.
    import json
    json.dump([{"directory": d, "file": f, "arguments": ["cc", "-c", f]} for f in files],
              open(f"{d}/compile_commands.json", "w"))
    elsewhere = tempfile.mkdtemp()
    p = tl("scan", "-p", d, cwd=elsewhere, db=f"{d}/cdb.db")
    p = tl("scan", "-p", d, cwd=elsewhere, db=f"{d}/cdb.db")
    check("0 parsed, 6 reused" in p.stderr, f"warm through -p: {summary(p)}")
    shutil.rmtree(elsewhere)


def integrity(db):
    c = sqlite3.connect(db)
    ok = c.execute("PRAGMA integrity_check").fetchone()[0]
    c.close()
    return ok


def committed_tus(path):
    try:
        c = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        n = c.execute("SELECT count(*) FROM tus").fetchone()[0]
        c.close()
        return n
    except sqlite3.Error:
        return 0


def test_kill(d):
    """SIGKILL at start-up and after 1, 10 and 25 committed TUs: the kill
    lands during a parse or a commit; the store must stay sound."""
    files = make_tree(d, 40)
    for k in (0, 1, 10, 25):
        db = f"kill{k}.db"
        path = f"{d}/{db}"
        p = subprocess.Popen([TL, "scan", "--db", db] + files, cwd=d,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while k and committed_tus(path) < k and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        if not k:
            time.sleep(0.02)
        p.send_signal(signal.SIGKILL)
        p.wait()
        if not os.path.exists(path):
            check(k == 0, f"kill after {k} TUs left no database")
            continue
        check(integrity(path) == "ok", f"integrity after kill at {k} TUs")
        c = sqlite3.connect(path)
        migrated = c.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'runs'").fetchone()[0]
        runs, done, bad = [], 0, 0
        if migrated:  # a kill inside the first migration leaves an empty file
            runs = c.execute("SELECT id, complete FROM runs").fetchall()
            done = c.execute("SELECT count(*) FROM tus").fetchone()[0]
            bad = c.execute("SELECT count(*) FROM tus t WHERE (SELECT count(*) FROM findings f"
                            " WHERE f.tu_id = t.id) != 1").fetchone()[0]
        c.close()
        check((migrated or k == 0) and not runs or (runs[-1][1] == 0 and k <= done < 40),
              f"killed after {k} TUs: run marked incomplete, {done} TUs kept: {runs}")
        check(bad == 0, f"every finished TU has its finding (kill at {k})")
        p = tl("scan", *files, cwd=d, db=db)
        check(f"{40 - done} parsed, {done} reused" in p.stderr and p.stdout.count("warning:") == 40,
              f"next scan completes the work (kill at {k}, {done} done): {summary(p)}")


def test_concurrent(d):
    files = make_tree(d, 16)
    procs = [subprocess.Popen([TL, "scan", "--db", "c.db", "--force"] + files, cwd=d,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate() for p in procs]
    check(all(p.returncode == 1 for p in procs), f"both scans finish: {[o[1][-200:] for o in outs]}")
    c = sqlite3.connect(f"{d}/c.db")
    rows = c.execute("SELECT r.complete, (SELECT count(*) FROM findings f WHERE f.run_id = r.id)"
                     " FROM runs r").fetchall()
    c.close()
    check(rows == [(1, 16), (1, 16)], f"nothing lost: {rows}")


def test_migration_and_foreign(d):
    old = f"{d}/old.db"
    c = sqlite3.connect(old)
    c.executescript(open(f"{SRC}/tests/fixtures/schema-v1.sql").read())
    c.commit()
    c.close()
    open(f"{d}/svc.c", "w").write(BUGGY)
    p = tl("scan", "svc.c", cwd=d, db=old)
    c = sqlite3.connect(old)
    ver = c.execute("PRAGMA user_version").fetchone()[0]
    runs = c.execute("SELECT count(*) FROM runs").fetchone()[0]
    cols = [r[1] for r in c.execute("PRAGMA table_info(findings)")]
    tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    fcols = [r[1] for r in c.execute("PRAGMA table_info(link_facts)")]
    indexes = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'index'")]
    # A reused TU's findings and a run's TUs are found by index (#17 item 3).
    plans = [" ".join(r[3] for r in c.execute("EXPLAIN QUERY PLAN " + q)) for q in
             ("SELECT rule FROM findings WHERE tu_id = 1", "SELECT id FROM tus WHERE run_id = 1")]
    c.close()
    check(p.returncode == 1 and ver == 11 and runs == 2 and "suppressed" in cols
          and "link_facts" in tables and "link_sums" in tables
          and "guard" in fcols and "consts" in fcols and "user_data" in fcols and "outlines" in tables,
          f"v1 migrated: rc={p.returncode} ver={ver} runs={runs} {p.stderr}")
    check("findings_tu" in indexes and "tus_run" in indexes
          and "findings_tu" in plans[0] and "tus_run" in plans[1],
          f"v11's indexes: {indexes} {plans}")

    def refused(path, what):
        before = open(path, "rb").read()
        p = tl("scan", "svc.c", cwd=d, db=path)
        after = open(path, "rb").read()
        check(p.returncode == 2 and "timerlint: error:" in p.stderr and before == after,
              f"{what} refused untouched: rc={p.returncode} {p.stderr}")

    open(f"{d}/text.db", "w").write("this is not a database\n" * 100)
    refused(f"{d}/text.db", "text file")
    c = sqlite3.connect(f"{d}/other.db")
    c.execute("CREATE TABLE customers(id INTEGER, name TEXT)")
    c.commit()
    c.close()
    refused(f"{d}/other.db", "unrelated SQLite file")
    good = f"{d}/trunc-src.db"
    tl("scan", "svc.c", cwd=d, db=good)
    data = open(good, "rb").read()
    open(f"{d}/trunc.db", "wb").write(data[: len(data) // 3 or 100])
    refused(f"{d}/trunc.db", "truncated database")


def test_git_refs(d):
    """A run records the commit it scanned; diff and --baseline accept a git
    ref naming that commit, and the default store sits at the top-level."""
    git = in_repo(d)
    git("init", "-q")
    open(f"{d}/svc.c", "w").write(BUGGY)
    git("add", "svc.c")
    git("commit", "-qm", "base")
    base = git("rev-parse", "HEAD").stdout.strip()
    os.makedirs(f"{d}/sub", exist_ok=True)
    p = tl("scan", "../svc.c", cwd=f"{d}/sub", db=None)
    check(os.path.exists(f"{d}/.timerlint/findings.db"), "default store at the git top-level")
    open(f"{d}/svc.c", "a").write("int leak2(void) { timer_t u; return timer_create(CLOCK_MONOTONIC, NULL, &u); }\n")
    git("commit", "-qam", "head")
    p = tl("scan", "svc.c", "--baseline", base[:10], cwd=d, db=None)
    check(p.returncode == 1 and p.stdout.count("warning:") == 1 and "svc.c:17:" in p.stdout,
          f"--baseline by commit: {p.returncode} {p.stdout} {p.stderr}")
    p = tl("diff", base, "HEAD", cwd=d, db=None)
    check(p.stdout.strip().endswith("1 new, 0 fixed, 1 unchanged"), f"diff by git refs: {p.stdout}{p.stderr}")
    # A ref that looks like a number (a tag, or an abbreviated hash of
    # digits only: about 1 in 100) names a commit when no run has that id.
    git("tag", "4242", base)
    p = tl("scan", "svc.c", "--baseline", "4242", cwd=d, db=None)
    check(p.returncode == 1 and "svc.c:17:" in p.stdout and p.stdout.count("warning:") == 1,
          f"--baseline by a numeric ref: {p.returncode} {p.stdout} {p.stderr}")
    p = tl("runs", cwd=d, db=None)
    check(base[:12] in p.stdout and "master" in p.stdout or "main" in p.stdout,
          f"runs show commit and branch: {p.stdout}")


def fingerprints(db):
    c = sqlite3.connect(db)
    run = c.execute("SELECT max(id) FROM runs").fetchone()[0]
    fps = sorted(r[0] for r in c.execute("SELECT fingerprint FROM findings WHERE run_id = ?", (run,)))
    complete = c.execute("SELECT complete FROM runs WHERE id = ?", (run,)).fetchone()[0]
    c.close()
    return fps, complete


def test_shards(d):
    """4 shards scanned apart and merged give exactly the unsharded findings."""
    files = make_tree(d, 24)
    for i in range(0, 24, 3):  # some files with two findings, some clean
        src = open(f"{d}/{files[i]}").read()
        open(f"{d}/{files[i]}", "w").write(src + "int extra_%d(void) { timer_t u; return timer_create(CLOCK_MONOTONIC, NULL, &u); }\n" % i)
    open(f"{d}/{files[1]}", "w").write("int clean(void) { return 0; }\n")
    tl("scan", *files, cwd=d, db="all.db")
    sizes = []
    for k in range(1, 5):
        p = tl("scan", "--shard", f"{k}/4", *files, cwd=d, db=f"s{k}.db")
        sizes.append(int(p.stderr.split(" translation unit")[0].split()[-1]))
    check(sum(sizes) == 24 and all(sizes), f"shards partition the TUs: {sizes}")
    p = tl("merge", "merged.db", "s1.db", "s2.db", "s3.db", "s4.db", cwd=d, db=None)
    check(p.returncode == 0, f"merge: {p.stderr}")
    want, _ = fingerprints(f"{d}/all.db")
    got, complete = fingerprints(f"{d}/merged.db")
    check(len(want) == 31 and got == want and complete == 1,
          f"merged == unsharded: {len(got)} vs {len(want)}, complete={complete}")
    p = tl("findings", cwd=d, db="merged.db")
    check(p.stdout.count("warning:") == 31, "merged findings readable")
    open(f"{d}/junk.db", "w").write("junk\n" * 50)
    p = tl("merge", "m2.db", "s1.db", "junk.db", cwd=d, db=None)
    check(p.returncode == 2 and "junk.db" in p.stderr and not os.path.exists(f"{d}/m2.db"),
          f"merge refuses a foreign shard before writing: {p.stderr}")
    p = tl("scan", "--shard", "5/4", "x.c", cwd=d)
    check(p.returncode == 2 and "--shard takes K/N" in p.stderr, "bad --shard")


def test_changed(d):
    """Pre-commit mode: the staged (else HEAD) changes pick the files; only
    findings in changed functions are reported; a changed header maps to the
    TUs that include it."""
    git = in_repo(d)
    head = "#include <signal.h>\n#include <time.h>\n#include \"cfg.h\"\n"
    open(f"{d}/cfg.h", "w").write("#define CFG 1\n")
    open(f"{d}/a.c", "w").write(head + leak("first") + leak("second"))
    open(f"{d}/b.c", "w").write(head + leak("third"))
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "base")
    p = tl("scan", "a.c", "b.c", cwd=d, db=None)
    check(p.stdout.count("warning:") == 3, f"full scan: {p.stdout}")
    p = tl("scan", "--changed", cwd=d, db=None)
    check(p.returncode == 0 and "no changed" in p.stderr, f"nothing changed: {p.stderr}")
    src = open(f"{d}/a.c").read().replace("int second(void)\n{\n", "int second(void)\n{\n    /* edited */\n")
    open(f"{d}/a.c", "w").write(src)
    git("add", "a.c")
    p = tl("scan", "--changed", cwd=d, db=None)
    check(p.returncode == 1 and p.stdout.count("warning:") == 1 and "a.c:15:" in p.stdout,
          f"only the changed function: {p.stdout} {p.stderr}")
    git("commit", "-qm", "edit")
    open(f"{d}/cfg.h", "a").write("#define MORE 2\n")
    p = tl("scan", "--changed", cwd=d, db=None)
    check("2 translation units" in p.stderr and p.stdout.count("warning:") == 0,
          f"header maps to its TUs, no function changed: {p.stderr}")
    p = tl("scan", "--changed=NO_SUCH_REF", cwd=d, db=None)
    check(p.returncode == 2 and "--changed: git diff NO_SUCH_REF failed" in p.stderr, f"bad ref: {p.stderr}")


def test_baseline_scope(d):
    """A baseline is a complete run that scanned every TU of this scan
    (#14's scenario, #16 item 4): pre-commit runs that scanned one file at
    the base commit, or a run killed half-way, are never the baseline of a
    whole scan; asked for explicitly, they are an error that says why."""
    git = in_repo(d)
    head = "#include <signal.h>\n#include <time.h>\n"
    open(f"{d}/a.c", "w").write(head + leak("old_leak"))
    open(f"{d}/b.c", "w").write(head + "int quiet(void) { return 0; }\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "base")
    base = git("rev-parse", "HEAD").stdout.strip()
    p = tl("scan", "a.c", "b.c", cwd=d, db=None)
    check(p.returncode == 1, f"the base scan: {p.stderr}")
    # Pre-commit runs at the base commit that scanned b.c alone.
    for _ in range(2):
        tl("scan", "b.c", cwd=d, db=None)
    open(f"{d}/b.c", "a").write(leak("new_leak"))
    git("commit", "-qam", "head")
    p = tl("scan", "a.c", "b.c", "--baseline", base, "--fail-on", "new", cwd=d, db=None)
    check(p.returncode == 1 and "1 new since run 1" in p.stderr,
          f"the baseline is the run that scanned both files: {p.returncode} {p.stderr}")
    p = tl("scan", "a.c", "b.c", "--baseline", "3", cwd=d, db=None)
    check(p.returncode == 2 and "run 3 did not scan a.c" in p.stderr,
          f"a run that did not scan this scan's files is no baseline: {p.returncode} {p.stderr}")
    # A run killed half-way is never a baseline.
    env = dict(os.environ, TIMERLINT_TEST_HANG="b.c")
    k = subprocess.Popen([TL, "scan", "a.c", "b.c"], cwd=d, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    k.kill()
    k.wait()
    p = tl("runs", cwd=d, db=None)
    last = [l for l in p.stdout.splitlines() if l.strip()][-1].split()
    check(last[2] == "incomplete", f"the killed run is incomplete: {p.stdout}")
    p = tl("scan", "a.c", "b.c", "--baseline", last[0], cwd=d, db=None)
    check(p.returncode == 2 and f"run {last[0]} is incomplete" in p.stderr,
          f"an incomplete run asked for is an error: {p.returncode} {p.stderr}")
    p = tl("scan", "a.c", "b.c", "--baseline", "latest", "--fail-on", "new", cwd=d, db=None)
    check(p.returncode == 0 and "0 new since run" in p.stderr,
          f"latest skips the incomplete run: {p.returncode} {p.stderr}")
    p = tl("diff", last[0], "latest", cwd=d, db=None)
    check(p.returncode == 2 and f"run {last[0]} is incomplete" in p.stderr,
          f"diff refuses an incomplete run: {p.returncode} {p.stderr}")
    p = tl("runs", cwd=d, db=None)
    check("scope" in p.stdout and "files" in p.stdout, f"runs show the scope: {p.stdout}")


def test_damaged(d):
    """A damaged database (#16 item 10): every command says so and how to
    recover, exit 2; a scan writes nothing into it; `db check` shows the
    damage and `db rebuild` keeps what can be read."""
    open(f"{d}/svc.c", "w").write(BUGGY)
    for _ in range(3):
        tl("scan", "svc.c", cwd=d)
    db = f"{d}/t.db"
    c = sqlite3.connect(db)
    root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = 'findings'").fetchone()[0]
    page = c.execute("PRAGMA page_size").fetchone()[0]
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    with open(db, "r+b") as f:
        f.seek((root - 1) * page)
        f.write(b"\x0d\x00\x00\x00\x09\x0f\x00" + b"\xff" * 200)
    size = os.path.getsize(db)
    for args in (["runs"], ["findings"], ["diff", "1", "2"], ["scan", "svc.c"]):
        p = tl(*args, cwd=d)
        check(p.returncode == 2 and "damaged" in p.stderr and "timerlint db rebuild" in p.stderr,
              f"{args[0]} on a damaged database: {p.returncode} {p.stderr}")
    check(os.path.getsize(db) == size, "nothing written into the damaged database")
    p = subprocess.run([TL, "db", "check", "--db", db], cwd=d, capture_output=True, text=True)
    check(p.returncode == 2 and "page" in p.stdout + p.stderr, f"db check shows the damage: {p.returncode} {p.stdout} {p.stderr}")
    p = subprocess.run([TL, "db", "rebuild", "--db", db], cwd=d, capture_output=True, text=True)
    check(p.returncode == 0 and os.path.exists(db + ".damaged"), f"db rebuild: {p.returncode} {p.stderr}")
    p = tl("runs", cwd=d)
    check(p.returncode == 0 and p.stdout.count("incomplete") == 3,
          f"the runs survive the rebuild, none a baseline any more: {p.stdout} {p.stderr}")
    p = tl("scan", "svc.c", cwd=d)
    check(p.returncode == 1, f"scans go on after the rebuild: {p.returncode} {p.stderr}")


def test_shipped_versions(d):
    """Every shipped schema version (#14): a database made by the release
    that wrote it (tests/fixtures/store-vN.db) is upgraded and scanned into,
    and its runs are still there; an SQLite error reaches the user with its
    own message."""
    fixtures = sorted(f for f in os.listdir(f"{SRC}/tests/fixtures")
                      if f.startswith("store-v") and f.endswith(".db"))
    check(len(fixtures) >= 4, f"fixtures of the shipped versions: {fixtures}")
    open(f"{d}/svc.c", "w").write(BUGGY)
    for name in fixtures:
        db = f"{d}/{name}"
        shutil.copy(f"{SRC}/tests/fixtures/{name}", db)
        before = sqlite3.connect(db).execute("SELECT count(*) FROM runs").fetchone()[0]
        p = tl("scan", "svc.c", cwd=d, db=db)
        c = sqlite3.connect(db)
        ver = c.execute("PRAGMA user_version").fetchone()[0]
        runs = c.execute("SELECT count(*) FROM runs").fetchone()[0]
        c.close()
        check(p.returncode == 1 and "svc.c:13:" in p.stdout and runs == before + 1 and ver == 11,
              f"{name} upgraded and scanned into: rc={p.returncode} runs={before}->{runs} ver={ver} {p.stderr}")
        p = tl("findings", cwd=d, db=db)
        check(p.returncode == 0 and "svc.c:13:" in p.stdout, f"{name}: findings after the upgrade: {p.stderr}")
    db = f"{d}/trigger.db"
    tl("scan", "svc.c", cwd=d, db=db)
    c = sqlite3.connect(db)
    c.execute("CREATE TRIGGER no_findings BEFORE INSERT ON findings"
              " BEGIN SELECT RAISE(ABORT, 'the fixture says no'); END")
    c.commit()
    c.close()
    p = tl("scan", "svc.c", "--force", cwd=d, db=db)
    check(p.returncode == 2 and "cannot record the translation unit: the fixture says no" in p.stderr,
          f"SQLite's own message reaches the user: {p.returncode} {p.stderr}")


def main():
    tests = [test_shipped_versions, test_damaged, test_baseline_scope, test_changed, test_shards, test_git_refs, test_fingerprints_and_diff, test_suppressions, test_incremental, test_kill,
             test_concurrent, test_migration_and_foreign]
    for t in tests:
        d = tempfile.mkdtemp(prefix="tl-store-")
        try:
            t(d)
        except Exception as e:  # a crash in a test is a failure, not a skip
            check(False, f"{t.__name__} raised {e!r}")
        finally:
            shutil.rmtree(d, ignore_errors=True)
    return totals()


if __name__ == "__main__":
    sys.exit(main())
