#!/usr/bin/env python3
"""Without a build (#13): how much of what timerlint finds with the build
database it still finds with none. For each real tree (fetch-corpus.sh):

1. every TU its compile database lists, scanned with the database (files
   named: no link phase, as `scan --changed` does);
2. the same files in a copy of the tree with no database anywhere (the copy
   is its own git repository, so the repository root and `git ls-files`
   are the copy's; a header the build generates from a NAME.h.in template
   is deleted, as in a clean checkout), flags inferred (cli/infer.c);
3. per file, the findings compared as (rule, line, function);
4. the lifecycle events of the IR (--dump-ir: each create, arm, stop, use
   of a known API, by file, line and API) compared the same way: what the
   engine sees without the build, finding or not.

Prints per tree: files, files with the same findings, the same among the
files with a finding either way, what differs (first few), TUs with parse
errors without the database; then the time of `scan --changed` on a
change to the TU nearest 2,000 lines, in the copy with no database.

  nodb.py [PKG...]       (default: libuv1 wpa bluez libevent memcached)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.realpath(os.environ.get("TIMERLINT",
                                       os.path.join(HERE, "..", "build", "timerlint")))
JOBS = str(os.cpu_count() or 2)


def tus(pkg):
    """The tree's directory and its TUs (absolute, existing, once each)."""
    base = os.path.join(HERE, "corpus", pkg)
    tree = os.path.realpath(os.path.join(base, "src"))
    seen, out = set(), []
    for e in json.load(open(os.path.join(base, "compile_commands.json"))):
        f = e["file"] if os.path.isabs(e["file"]) else os.path.join(e["directory"], e["file"])
        f = os.path.realpath(f)
        if f in seen or not os.path.exists(f) or not f.startswith(tree + "/"):
            continue
        seen.add(f)
        out.append(f)
    return base, tree, out


def scan(cwd, files, extra):
    p = subprocess.run([TOOL, "scan", "--no-db", "-q", "-j", JOBS, "--format", "json",
                        *extra, *files], cwd=cwd, capture_output=True, text=True)
    root = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd,
                          capture_output=True, text=True).stdout.strip() or cwd
    try:
        found = json.loads(p.stdout)["findings"] if p.stdout.strip() else []
    except json.JSONDecodeError:
        print(f"nodb: unreadable output (exit {p.returncode}): {p.stderr[-300:]}", file=sys.stderr)
        found = []
    by = defaultdict(set)
    for f in found:
        by[os.path.join(root, f["file"])].add((f["rule"], f["line"], f["function"]))
    errs = sum(1 for ln in p.stderr.splitlines() if "errors while parsing" in ln
               or "error while parsing" in ln)
    return by, p.returncode, errs


EVENTS = {"create", "arm", "disarm", "release", "join", "detach", "use",
          "set-detached", "destroy", "release-all"}


def ir_events(cwd, files, extra, tree):
    """Counter of (file relative to the tree, op, API, line) over the IR."""
    ev = Counter()
    for i in range(0, len(files), 40):
        p = subprocess.run([TOOL, "scan", "--dump-ir", "-q", *extra, *files[i:i + 40]],
                           cwd=cwd, capture_output=True, text=True)
        cur = None
        for ln in p.stdout.splitlines():
            if ln.startswith("func "):
                at = ln.rsplit("@", 1)[-1].rsplit(":", 2)[0]
                cur = os.path.relpath(os.path.realpath(os.path.join(cwd, at)), tree)
                continue
            w = ln.split()
            if cur and len(w) >= 2 and w[0] in EVENTS and "@" in w[-1]:
                ev[(cur, w[0], w[1], w[-1].lstrip("@").split(":")[0])] += 1
    return ev


def changed_time(copy, files):
    """`scan --changed` on a comment added to the TU nearest 2,000 lines."""
    sizes = [(abs(sum(1 for _ in open(f, errors="replace")) - 2000), f) for f in files]
    _, f = min(sizes)
    lines = open(f, errors="replace").read().split("\n")
    n = len(lines)
    at = n // 2
    lines[at] += " /* touched */"
    open(f, "w").write("\n".join(lines))
    subprocess.run(["git", "add", f], cwd=copy, check=True)
    t0 = time.time()
    p = subprocess.run([TOOL, "scan", "--changed", "--no-db", "-q"], cwd=copy,
                       capture_output=True, text=True)
    dt = time.time() - t0
    return os.path.relpath(f, copy), n, dt, p.returncode


def main():
    pkgs = sys.argv[1:] or ["libuv1", "wpa", "bluez", "libevent", "memcached"]
    for pkg in pkgs:
        base, tree, files = tus(pkg)
        with_db, rc1, _ = scan(tree, files, ["-p", base])
        tmp = tempfile.mkdtemp(prefix=f"tl-nodb-{pkg}-")
        copy = os.path.join(tmp, os.path.basename(tree))
        shutil.copytree(tree, copy, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "compile_commands.json"))
        # As in a clean checkout: no config.h where the build makes it from
        # a template.
        for d, _, names in os.walk(copy):
            for n in names:
                for ext in (".in", ".cmake", ".meson"):
                    if n.endswith(".h" + ext) and os.path.exists(os.path.join(d, n[:-len(ext)])):
                        os.unlink(os.path.join(d, n[:-len(ext)]))
        subprocess.run(["git", "init", "-q", copy], check=True)
        subprocess.run(["git", "add", "-A"], cwd=copy, check=True)
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit",
                        "-qm", "tree"], cwd=copy, check=True)
        cfiles = [os.path.join(copy, os.path.relpath(f, tree)) for f in files]
        without, rc2, errs = scan(copy, cfiles, [])
        same = same_hit = hit = 0
        diffs = []
        for f, cf in zip(files, cfiles):
            a, b = with_db.get(f, set()), without.get(cf, set())
            if a or b:
                hit += 1
            if a == b:
                same += 1
                same_hit += bool(a or b)
            else:
                diffs.append((os.path.relpath(f, tree), sorted(a - b), sorted(b - a)))
        print(f"{pkg}: {len(files)} TUs, {same} with the same findings without a database "
              f"({100 * same / max(len(files), 1):.0f}%); with a finding either way: "
              f"{same_hit}/{hit} the same; {errs} TUs with parse errors without it "
              f"(exit {rc1} with, {rc2} without)")
        for rel, lost, extra in diffs[:8]:
            print(f"  {rel}: lost {lost} extra {extra}")
        e1 = ir_events(tree, files, ["-p", base], tree)
        e2 = ir_events(copy, cfiles, [], copy)
        kept = sum((e1 & e2).values())
        tu1 = defaultdict(Counter)
        tu2 = defaultdict(Counter)
        for k, v in e1.items():
            tu1[k[0]][k] += v
        for k, v in e2.items():
            tu2[k[0]][k] += v
        files_ev = set(tu1) | set(tu2)
        same_ev = sum(1 for f in files_ev if tu1[f] == tu2[f])
        print(f"  lifecycle events in the IR: {kept}/{sum(e1.values())} seen without a "
              f"database ({100 * kept / max(sum(e1.values()), 1):.0f}%), "
              f"{sum((e2 - e1).values())} only without; files with events: "
              f"{same_ev}/{len(files_ev)} the same")
        lost_by = Counter(k[0] for k in (e1 - e2).elements())
        for f, n in lost_by.most_common(5):
            print(f"    {f}: {n} events lost")
        rel, n, dt, rc = changed_time(copy, cfiles)
        print(f"  scan --changed, no database, {rel} ({n} lines) touched: "
              f"{dt:.2f} s, exit {rc}")
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
