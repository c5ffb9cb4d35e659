#!/usr/bin/env python3
"""The interface users of clang-tidy, Semgrep and CodeChecker expect (#14),
on the real binary: severities per rule (defaults, .timerlint.yaml,
--severity) in every format and in the --fail-on gate; --exclude; file-level
suppressions; .timerlint.yaml found per file (nearest wins) and --config;
findings and runs as JSON; failed TUs in SARIF, GitHub and JSON; every
path relative to one root.

usage: test_iface.py TIMERLINT"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from checks import check, totals

TL = os.path.realpath(sys.argv[1])

# One warning-level finding (missing-stop), one error-level finding
# (use-after-release) and a suppression naming no rule (invalid-suppression).
SEV = """#include <signal.h>
#include <time.h>

int leak(void)
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    return 0;
}

void twice(void)
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return;
    timer_delete(t);
    timer_delete(t);
}

// timerlint: ignore[missing-stp] a typo
int other(void) { return 0; }
"""

# Only a warning-level finding.
WARN_ONLY = SEV[:SEV.index("void twice")]


def run(d, *args):
    return subprocess.run([TL, *args], cwd=d, capture_output=True, text=True)


def scan(d, *args):
    return run(d, "scan", "-q", "--no-db", *args)


def levels(text):
    """{rule: level} of the text report's findings (note lines skipped)."""
    out = {}
    for line in text.splitlines():
        parts = line.split(": ", 2)
        if len(parts) == 3 and line.endswith("]") and parts[1] in ("error", "warning", "note") \
                and " [" in parts[2]:
            rule = parts[2].rsplit(" [", 1)[1][:-1]
            out[rule] = parts[1]
    return out


def one_line_error(p, *words):
    lines = p.stderr.strip().splitlines()
    return p.returncode == 2 and len(lines) == 1 and all(w in lines[0] for w in words)


def test_severity(d):
    open(f"{d}/sev.c", "w").write(SEV)
    open(f"{d}/warn.c", "w").write(WARN_ONLY)
    p = scan(d, "sev.c")
    check(levels(p.stdout) == {"missing-stop": "warning", "use-after-release": "error",
                               "invalid-suppression": "warning"},
          f"default levels in text: {levels(p.stdout)}\n{p.stdout}")
    check("sev.c:18:5: error: timer_delete(): timer 't' is released twice [use-after-release]"
          in p.stdout, f"clang form with error: {p.stdout}")
    p = scan(d, "--severity", "missing-stop=note", "--severity=use-after-release=warning", "sev.c")
    check(levels(p.stdout) == {"missing-stop": "note", "use-after-release": "warning",
                               "invalid-suppression": "warning"},
          f"--severity RULE=LEVEL: {levels(p.stdout)}")
    p = scan(d, "--severity", "missing-*=error", "sev.c")
    check(levels(p.stdout).get("missing-stop") == "error", "--severity takes a glob, as --checks")
    p = scan(d, "--severity", "missing-stop=fatal", "sev.c")
    check(one_line_error(p, "--severity", "'fatal'", "error, warning or note"),
          f"unknown level: {p.returncode} {p.stderr}")
    p = scan(d, "--severity", "missng-stop=error", "sev.c")
    check(one_line_error(p, "--severity", "'missng-stop'", "names no rule"),
          f"unknown rule: {p.returncode} {p.stderr}")
    p = scan(d, "--severity", "missing-stop", "sev.c")
    check(one_line_error(p, "--severity", "RULE=LEVEL"), f"no level: {p.stderr}")

    # .timerlint.yaml: severity: {rule: level}; the command line wins.
    cfg = f"{d}/cfg"
    os.makedirs(cfg)
    shutil.copy(f"{d}/sev.c", cfg)
    open(f"{cfg}/.timerlint.yaml", "w").write(
        "severity:\n  missing-stop: error\n  invalid-suppression: note\n")
    p = scan(cfg, "sev.c")
    check(levels(p.stdout) == {"missing-stop": "error", "use-after-release": "error",
                               "invalid-suppression": "note"},
          f"severity: in .timerlint.yaml: {levels(p.stdout)} {p.stderr}")
    p = scan(cfg, "--severity", "missing-stop=note", "sev.c")
    check(levels(p.stdout).get("missing-stop") == "note", "--severity beats the config")
    open(f"{cfg}/.timerlint.yaml", "w").write("severity:\n  missing-stop: error\n  missng-join: note\n")
    p = scan(cfg, "sev.c")
    check(one_line_error(p, ".timerlint.yaml:3:3:", "'missng-join'", "names no rule"),
          f"unknown rule in the config: {p.stderr}")
    open(f"{cfg}/.timerlint.yaml", "w").write("severity:\n  missing-stop: fatal\n")
    p = scan(cfg, "sev.c")
    check(one_line_error(p, ".timerlint.yaml:2:17:", "'fatal'", "error, warning or note"),
          f"unknown level in the config: {p.stderr}")
    open(f"{cfg}/.timerlint.yaml", "w").write("severity: [missing-stop]\n")
    p = scan(cfg, "sev.c")
    check(one_line_error(p, ".timerlint.yaml:1:11:", "severity"), f"severity not a mapping: {p.stderr}")

    # Every format carries the level.
    p = scan(d, "--format", "json", "sev.c")
    got = {f["rule"]: f.get("severity") for f in json.loads(p.stdout)["findings"]}
    check(got == {"missing-stop": "warning", "use-after-release": "error",
                  "invalid-suppression": "warning"}, f"json severity: {got}")
    p = scan(d, "--format", "github", "--severity", "missing-stop=note", "sev.c")
    kinds = sorted(line.split(" ", 1)[0] for line in p.stdout.splitlines())
    check(kinds == ["::error", "::notice", "::warning"], f"github commands: {kinds}")
    p = scan(d, "--format", "sarif", "--severity", "missing-stop=note", "sev.c")
    run0 = json.loads(p.stdout)["runs"][0]
    got = {r["ruleId"]: r["level"] for r in run0["results"]}
    check(got == {"missing-stop": "note", "use-after-release": "error",
                  "invalid-suppression": "warning"}, f"sarif result levels: {got}")
    defaults = {r["id"]: r["defaultConfiguration"]["level"] for r in run0["tool"]["driver"]["rules"]}
    check(defaults.get("missing-stop") == "note" and defaults.get("stop-too-late") == "error"
          and defaults.get("missing-join") == "warning", f"sarif rule defaults: {defaults}")
    p = run(d, "rules")
    check(any(line.split()[:2] == ["use-after-release", "error"] for line in p.stdout.splitlines())
          and any(line.split()[:2] == ["missing-join", "warning"] for line in p.stdout.splitlines()),
          f"timerlint rules shows each rule's default level: {p.stdout[:300]}")

    # The gate: --fail-on LEVEL counts findings at that level or above; the
    # scopes keep their meanings, and combine with a level.
    for args, want in [((), 1), (("--fail-on", "error"), 0), (("--fail-on", "warning"), 1),
                       (("--fail-on", "note"), 1), (("--fail-on", "none"), 0),
                       (("--fail-on", "any"), 1),
                       (("--fail-on", "error", "--severity", "missing-stop=error"), 1),
                       (("--fail-on", "warning", "--severity", "missing-stop=note"), 0)]:
        p = scan(d, *args, "warn.c")
        check(p.returncode == want, f"warn.c {' '.join(args)}: exit {p.returncode}, want {want}")
    p = scan(d, "--fail-on", "error", "sev.c")
    check(p.returncode == 1, f"--fail-on error with an error-level finding: {p.returncode}")
    p = scan(d, "--fail-on", "fatal", "sev.c")
    check(one_line_error(p, "--fail-on", "'fatal'"), f"--fail-on fatal: {p.stderr}")
    cfg2 = f"{d}/cfg2"
    os.makedirs(cfg2)
    shutil.copy(f"{d}/warn.c", cfg2)
    open(f"{cfg2}/.timerlint.yaml", "w").write("fail-on: error\n")
    check(scan(cfg2, "warn.c").returncode == 0, "fail-on: error in .timerlint.yaml")
    check(scan(cfg2, "--fail-on", "any", "warn.c").returncode == 1, "--fail-on beats the config")
    # With a baseline: new findings only, at the level asked.
    db = ["--db", "g.db"]
    run(cfg2, "scan", "-q", *db, "--fail-on", "none", "warn.c")
    open(f"{cfg2}/warn.c", "a").write(SEV[SEV.index("void twice"):])
    p = run(cfg2, "scan", "-q", *db, "--baseline", "1", "--fail-on", "new,error", "warn.c")
    check(p.returncode == 1, f"new,error with a new error-level finding: {p.returncode} {p.stderr}")
    p = run(cfg2, "scan", "-q", *db, "--baseline", "1", "--fail-on", "error",
            "--severity", "use-after-release=warning", "warn.c")
    check(p.returncode == 0, f"--baseline with a level alone: new findings at that level: {p.returncode}")
    p = run(cfg2, "findings", *db, "--severity", "missing-stop=note")
    check(levels(p.stdout).get("missing-stop") == "note" and levels(p.stdout).get("use-after-release") == "error",
          f"findings shows levels: {p.stdout} {p.stderr}")


def reported(text):
    """The files with a finding in a text report."""
    return sorted({line.split(":", 1)[0] for line in text.splitlines()
                   if line.endswith("]") and ": note: " not in line})


def test_exclude(d):
    ex = f"{d}/ex"
    for sub in ("vendor", "gen"):
        os.makedirs(f"{ex}/{sub}")
    for name in ("a.c", "vendor/b.c", "gen/c.c"):
        open(f"{ex}/{name}", "w").write(WARN_ONLY)
    files = ["a.c", "vendor/b.c", "gen/c.c"]
    p = scan(ex, *files)
    check(reported(p.stdout) == ["a.c", "gen/c.c", "vendor/b.c"], f"no exclude: {p.stdout}")
    p = scan(ex, "--exclude", "vendor/*", *files)
    check(reported(p.stdout) == ["a.c", "gen/c.c"], f"--exclude GLOB: {reported(p.stdout)} {p.stderr}")
    p = scan(ex, "--exclude", "vendor/*", "--exclude=gen/*", *files)
    check(reported(p.stdout) == ["a.c"], f"--exclude is repeatable: {reported(p.stdout)}")
    open(f"{ex}/.timerlint.yaml", "w").write('exclude: ["vendor/*"]\n')
    p = run(ex, "scan", "--no-db", "--exclude", "gen/*", *files)
    check(reported(p.stdout) == ["a.c"] and "1 translation unit:" in p.stderr,
          f"--exclude adds to exclude: in the config: {reported(p.stdout)} {p.stderr}")
    p = run(ex, "scan", "--help")
    check("--exclude GLOB" in p.stdout, "scan --help lists --exclude")
    p = run(ex, "findings", "--exclude", "x")
    check(one_line_error(p, "'--exclude' is not one 'findings' takes"), f"findings --exclude: {p.stderr}")


def test_ignore_file(d):
    ig = f"{d}/ig"
    os.makedirs(ig)

    def with_comment(comment, at_end=False):
        body = SEV.replace("// timerlint: ignore[missing-stp] a typo\n", "")
        src = body + comment + "\n" if at_end else comment + "\n" + body
        open(f"{ig}/f.c", "w").write(src)
        return scan(ig, "--format", "json", "--show-suppressed", "f.c")

    def rules(p, suppressed):
        return sorted(f["rule"] for f in json.loads(p.stdout)["findings"]
                      if f["suppressed"] == suppressed)

    p = with_comment("// timerlint: ignore-file[missing-stop] generated by the state-machine tool")
    doc = json.loads(p.stdout)["findings"]
    check(rules(p, False) == ["use-after-release"] and rules(p, True) == ["missing-stop"]
          and [f.get("suppression_reason") for f in doc if f["suppressed"]]
          == ["generated by the state-machine tool"],
          f"ignore-file[rule] suppresses that rule in the whole file: {p.stdout[:600]}")
    check(p.returncode == 1, f"the other rule still fails the gate: {p.returncode}")
    p = with_comment("/* timerlint: ignore-file[missing-stop, use-after-release] vendored */", at_end=True)
    check(rules(p, False) == [] and rules(p, True) == ["missing-stop", "use-after-release"]
          and p.returncode == 0, f"several rules, anywhere in the file: {p.stdout[:400]} {p.returncode}")
    for comment, why in [("// timerlint: ignore-file[missing-stop]", "without a reason"),
                         ("// timerlint: ignore-file[missng-stop] typo", "unknown rule 'missng-stop'"),
                         ("// timerlint: ignore-file[*] everything", "unknown rule '*'"),
                         ("// timerlint: ignore-file generated", "without [rule-id]")]:
        p = with_comment(comment)
        doc = json.loads(p.stdout)["findings"]
        bad = [f for f in doc if f["rule"] == "invalid-suppression"]
        check(len(bad) == 1 and why in bad[0]["message"] and bad[0]["line"] == 1
              and bad[0]["file"] == "f.c" and rules(p, True) == [],
              f"{comment!r}: invalid-suppression ({why}), nothing suppressed: {doc}")
    # The line form is unchanged beside it.
    open(f"{ig}/g.c", "w").write(SEV.replace("// timerlint: ignore[missing-stp] a typo",
                                             "// timerlint: ignore-file[use-after-release] tested elsewhere")
                                 .replace("    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n        return -1;",
                                          "    // timerlint: ignore[missing-stop] exits soon\n"
                                          "    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n        return -1;"))
    p = scan(ig, "g.c")
    check(p.returncode == 0 and p.stdout == "", f"line and file suppressions together: {p.stdout} {p.stderr}")
    p = run(ig, "scan", "--no-db", "--show-suppressed", "g.c")
    check("1 finding" not in p.stderr and "0 findings, 2 suppressed" in p.stderr,
          f"both counted as suppressed: {p.stderr}")


GUARDED = """#include <signal.h>
#include <time.h>
int start(void)
{
#ifdef WITH_TIMER
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
#endif
    return 0;
}
"""

WRAPPED = """struct my_timer;
struct my_timer *my_timer_new(int ms);
void my_timer_free(struct my_timer *t);
int tick(void)
{
    struct my_timer *t = my_timer_new(10);
    if (!t)
        return -1;
    return 0;
}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w").write(text)


def test_config_per_file(d):
    cw = f"{d}/cw"
    # Above the repository: never read (the walk stops at the repository root).
    write(f"{cw}/.timerlint.yaml", "bogus: 1\n")
    repo = f"{cw}/repo"
    write(f"{repo}/.timerlint.yaml", 'severity: {missing-stop: error}\nexclude: ["vendor/*"]\n')
    write(f"{repo}/a.c", WARN_ONLY)
    write(f"{repo}/vendor/v.c", WARN_ONLY)
    write(f"{repo}/sub/.timerlint.yaml",
          'flags: [-DWITH_TIMER]\nseverity: {missing-stop: note}\nexclude: ["gen/*"]\n'
          'rules: [myrules]\n')
    write(f"{repo}/sub/b.c", GUARDED)
    write(f"{repo}/sub/deep/c.c", GUARDED)
    write(f"{repo}/sub/gen/x.c", WARN_ONLY)
    write(f"{repo}/sub/w.c", WRAPPED)
    write(f"{repo}/sub/myrules/w.yaml",
          "family: mytimer\nkind: timer\nfunctions:\n"
          "  - {name: my_timer_new, role: create, handle: return, fails-when: null}\n"
          "  - {name: my_timer_free, role: release, handle: arg0}\n")
    write(f"{repo}/quiet/.timerlint.yaml", 'checks: "-*"\n')
    write(f"{repo}/quiet/q.c", WARN_ONLY)
    write(f"{repo}/legacy/.timerlint.yaml", "fail-on: none\n")
    write(f"{repo}/legacy/l.c", WARN_ONLY)
    subprocess.run(["git", "init", "-q", repo], check=True)
    files = ["a.c", "vendor/v.c", "sub/b.c", "sub/deep/c.c", "sub/gen/x.c", "sub/w.c", "quiet/q.c"]
    want = {"a.c": "error", "sub/b.c": "note", "sub/deep/c.c": "note", "sub/w.c": "note"}

    def by_file(p):
        """{root-relative file: level} of a JSON report."""
        try:
            return {f["file"]: f.get("severity") for f in json.loads(p.stdout)["findings"]}
        except ValueError:
            return {}

    def scan_in(cwd, *args):
        return run(cwd, "scan", "--no-db", "--format", "json", *args)

    p = scan_in(repo, *files)
    check(by_file(p) == want and p.returncode == 1,
          f"each file takes its nearest config: {by_file(p)} {p.returncode}\n{p.stdout}{p.stderr}")
    check("5 translation units" in p.stderr, f"each config's exclude, relative to it: {p.stderr}")
    p = scan_in(f"{repo}/sub/deep", *[os.path.relpath(f"{repo}/{f}", f"{repo}/sub/deep") for f in files])
    check(by_file(p) == want, f"the same from a subdirectory: {by_file(p)} {p.stderr}")
    p = run(repo, "scan", "--print-flags", "sub/b.c", "a.c")
    check("sub/b.c: flags: in sub/.timerlint.yaml" in p.stdout and "-DWITH_TIMER" in p.stdout,
          f"--print-flags names the config: {p.stdout}")
    # fail-on: in a config gates that config's files.
    check(scan_in(repo, "legacy/l.c").returncode == 0, "fail-on: none in legacy/")
    check(scan_in(repo, "legacy/l.c", "a.c").returncode == 1, "a.c still fails the gate")
    check(scan_in(repo, "--fail-on", "any", "legacy/l.c").returncode == 1, "--fail-on beats every config")
    # Outside a repository the walk goes on up; the nearest still wins.
    write(f"{d}/nogit/.timerlint.yaml", "severity: {missing-stop: error}\n")
    write(f"{d}/nogit/deep/er/f.c", WARN_ONLY)
    p = scan_in(f"{d}/nogit/deep", "er/f.c")
    check(by_file(p) == {"er/f.c": "error"}, f"no repository: up to the nearest: {p.stdout} {p.stderr}")
    # A malformed config is an error where it is, before anything is scanned.
    write(f"{repo}/bad/.timerlint.yaml", "severity: {missing-stop: fatal}\n")
    write(f"{repo}/bad/z.c", WARN_ONLY)
    p = scan_in(repo, "a.c", "bad/z.c")
    check(one_line_error(p, "bad/.timerlint.yaml:1:26:", "'fatal'") and p.stdout == "",
          f"a bad config of one file: {p.returncode} {p.stderr}")

    write(f"{repo}/bad/.timerlint.yaml", 'checks: "-*,missng-stop"\n')
    p = scan_in(repo, "bad/z.c")
    check(one_line_error(p, "bad/.timerlint.yaml:1:9:", "'missng-stop' names no rule"),
          f"checks: naming no rule, where it is written: {p.stderr}")

    # --config FILE: that one for every file, its paths relative to it.
    write(f"{cw}/strict.yaml", 'flags: [-DWITH_TIMER]\nseverity: {missing-stop: warning}\n'
          'exclude: ["repo/vendor/*"]\n')
    p = scan_in(repo, "--config", "../strict.yaml", *files)
    check(by_file(p) == {"a.c": "warning", "sub/b.c": "warning", "sub/deep/c.c": "warning",
                         "sub/gen/x.c": "warning", "quiet/q.c": "warning"},
          f"--config for every file: {by_file(p)} {p.stderr}")
    p = scan_in(repo, "--config=../strict.yaml", "a.c")
    check(by_file(p) == {"a.c": "warning"}, "--config=FILE")
    p = scan_in(repo, "--config", "nope.yaml", "a.c")
    check(one_line_error(p, "nope.yaml", "No such file or directory") and p.stdout == "",
          f"--config of a missing file: {p.returncode} {p.stderr}")
    # findings reads the levels the same way.
    run(repo, "scan", "-q", "a.c", "sub/b.c")
    p = run(repo, "findings")
    check(any("a.c:7:9: error: " in line for line in p.stdout.splitlines())
          and any("b.c:7:9: note: " in line and line.endswith("[missing-stop]")
                  for line in p.stdout.splitlines()),
          f"findings: each file's config: {p.stdout} {p.stderr}")
    p = run(repo, "findings", "--config", "../strict.yaml")
    check(levels(p.stdout) == {"missing-stop": "warning"}, f"findings --config: {p.stdout} {p.stderr}")


FINDING_KEYS = {"fingerprint", "rule", "severity", "file", "line", "column", "function",
                "message", "suppressed", "suppression_reason", "path"}
RUN_KEYS = {"id", "started", "finished", "status", "commit", "branch", "scope", "tus",
            "findings"}


def test_json_views(d):
    js = f"{d}/js"
    write(f"{js}/a.c", SEV)
    subprocess.run(["git", "init", "-q", js], check=True)
    run(js, "scan", "-q", "a.c")
    write(f"{js}/sub/b.c", WARN_ONLY)
    run(js, "scan", "-q", "a.c", "sub/b.c")
    p = run(js, "runs", "--format", "json")
    try:
        runs = json.loads(p.stdout)
    except ValueError:
        runs = None
    check(isinstance(runs, list) and len(runs) == 2
          and all(isinstance(r, dict) and set(r) == RUN_KEYS for r in runs)
          and [r["id"] for r in runs] == [1, 2] and [r["tus"] for r in runs] == [1, 2]
          and [r["findings"] for r in runs] == [3, 4]
          and all(r["status"] == "complete" and r["scope"] == "files" and r["commit"] is None
                  and r["finished"] for r in runs),
          f"runs --format json: {p.stdout[:500]} {p.stderr}")
    p = run(js, "findings", "--format", "json")
    try:
        fl = json.loads(p.stdout)
    except ValueError:
        fl = None
    check(isinstance(fl, list) and len(fl) == 4
          and all(isinstance(f, dict) and set(f) == FINDING_KEYS for f in fl)
          and sorted(f["file"] for f in fl) == ["a.c", "a.c", "a.c", "sub/b.c"]
          and {f["rule"]: f["severity"] for f in fl}["use-after-release"] == "error"
          and all(isinstance(f["path"], list) for f in fl),
          f"findings --format json: an array of objects, stable keys: {p.stdout[:600]} {p.stderr}")
    p = run(js, "findings", "--format", "json", "--rule", "use-after-release")
    check(p.returncode == 0 and [f["rule"] for f in json.loads(p.stdout or "null") or []]
          == ["use-after-release"], f"findings --rule, as JSON: {p.stdout[:300]}")
    p = run(js, "findings", "--format", "json", "--rule", "created-in-loop")
    check(p.returncode == 0 and json.loads(p.stdout or "null") == [], f"no findings: []: {p.stdout}")
    p = run(js, "findings", "--rule", "missng-stop")
    check(one_line_error(p, "'missng-stop'", "unknown rule") and p.stdout == "",
          f"findings --rule of an unknown rule: {p.returncode} {p.stderr}")
    for cmd in (["findings"], ["runs"], ["diff"]):
        p = run(js, *cmd, "--format", "sarif")
        check(one_line_error(p, "--format", "text or json"), f"{cmd[0]} --format sarif: {p.stderr}")


PARTIAL = '#include "does_not_exist.h"\n' + WARN_ONLY


def test_failed_tus(d):
    ft = f"{d}/ft"
    write(f"{ft}/good.c", WARN_ONLY)
    write(f"{ft}/empty.c", "")
    write(f"{ft}/crashme.c", WARN_ONLY)
    write(f"{ft}/partial.c", PARTIAL)
    files = ["good.c", "empty.c", "crashme.c", "partial.c"]
    env = dict(os.environ, TIMERLINT_TEST_CRASH="crashme")

    def scan_env(*args):
        return subprocess.run([TL, "scan", "-q", "--no-db", *args], cwd=ft, env=env,
                              capture_output=True, text=True)

    p = scan_env("--format", "sarif", *files)
    try:
        inv = json.loads(p.stdout)["runs"][0].get("invocations", [{}])
    except (ValueError, KeyError, IndexError):
        inv = [{}]
    notes = inv[0].get("toolExecutionNotifications", []) if inv else []

    def note_of(name):
        for n in notes:
            loc = n.get("locations", [{}])[0].get("physicalLocation", {}).get("artifactLocation", {})
            if loc.get("uri") == name:
                return n
        return {}
    check(p.returncode == 2 and len(inv) == 1 and inv[0].get("executionSuccessful") is False,
          f"sarif: executionSuccessful false when a TU failed: {p.returncode} {inv}")
    check(note_of("empty.c").get("level") == "error"
          and "file is empty" in note_of("empty.c").get("message", {}).get("text", "")
          and note_of("crashme.c").get("level") == "error"
          and "crashed" in note_of("crashme.c").get("message", {}).get("text", "")
          and note_of("partial.c").get("level") == "warning"
          and "partial AST" in note_of("partial.c").get("message", {}).get("text", "")
          and not note_of("good.c") and len(notes) == 3,
          f"sarif: one notification per failed TU (and a warning per partial parse): {notes}")
    res = json.loads(p.stdout)["runs"][0]["results"] if p.stdout else []
    check(sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in res)
          == ["good.c", "partial.c"], "the other TUs' results are there")
    p = scan_env("--format", "sarif", "good.c")
    inv = json.loads(p.stdout)["runs"][0].get("invocations") if p.stdout else None
    check(inv and inv[0].get("executionSuccessful") is True
          and not inv[0].get("toolExecutionNotifications"),
          f"sarif: a clean execution: {inv}")

    p = scan_env("--format", "github", *files)
    lines = p.stdout.splitlines()
    check(p.returncode == 2
          and any(line.startswith("::error file=empty.c,") and line.endswith("::file is empty")
                  for line in lines)
          and any(line.startswith("::error file=crashme.c,") and "crashed" in line for line in lines)
          and any(line.startswith("::warning file=partial.c,") and "partial AST" in line
                  and "title=timerlint" in line for line in lines)
          and sum(line.startswith("::error file=") for line in lines) == 2,
          f"github: ::error per failed TU: {p.stdout}")

    p = scan_env("--format", "json", *files)
    doc = json.loads(p.stdout) if p.stdout else {}
    errs = {e.get("file"): e.get("message", "") for e in doc.get("errors", [])}
    warns = {e.get("file"): e.get("message", "") for e in doc.get("warnings", [])}
    check(p.returncode == 2 and set(errs) == {"empty.c", "crashme.c"}
          and "file is empty" in errs["empty.c"] and set(warns) == {"partial.c"}
          and sorted(f["file"] for f in doc.get("findings", [])) == ["good.c", "partial.c"],
          f"json: an errors entry per failed TU: {doc.get('errors')} {doc.get('warnings')}")
    p = scan_env("--format", "json", "good.c")
    doc = json.loads(p.stdout) if p.stdout else {}
    check(doc.get("errors") == [] and doc.get("warnings") == [], f"json: none: {doc}")
    p = scan_env("--format", "json", "--strict", "partial.c")
    doc = json.loads(p.stdout) if p.stdout else {}
    check(p.returncode == 2 and [e.get("file") for e in doc.get("errors", [])] == ["partial.c"]
          and doc.get("warnings") == [], f"--strict: a partial parse is a failed TU: {doc}")


def text_paths(text):
    """Every FILE of the text report's FILE:LINE:COL: lines, findings and notes."""
    out = set()
    for line in text.splitlines():
        head = line.split(": ", 1)[0]
        parts = head.rsplit(":", 2)
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            out.add(parts[0])
    return out


def test_paths(d):
    pr = f"{d}/pr"
    write(f"{pr}/sub/sev.c", SEV)
    write(f"{pr}/sub/x.c", WARN_ONLY)
    subprocess.run(["git", "init", "-q", pr], check=True)
    # From the root, from the file's directory, from elsewhere below the root:
    # the same root-relative paths, the invalid suppression's included.
    for cwd, names in [(pr, ["sub/sev.c", "sub/x.c"]), (f"{pr}/sub", ["sev.c", "x.c"]),
                       (f"{pr}/other", ["../sub/sev.c", "../sub/x.c"])]:
        os.makedirs(cwd, exist_ok=True)
        p = run(cwd, "scan", "-q", "--no-db", *names)
        check(text_paths(p.stdout) == {"sub/sev.c", "sub/x.c"}
              and "[invalid-suppression]" in p.stdout,
              f"text from {os.path.relpath(cwd, d)}: {text_paths(p.stdout)}\n{p.stdout}")
        for fmt in ("json", "github", "sarif"):
            p = run(cwd, "scan", "-q", "--no-db", "--format", fmt, *names)
            if fmt == "json":
                got = {f["file"] for f in json.loads(p.stdout)["findings"]}
            elif fmt == "github":
                got = {line.split("file=", 1)[1].split(",", 1)[0] for line in p.stdout.splitlines()}
            else:
                got = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                       for r in json.loads(p.stdout)["runs"][0]["results"]}
            check(got == {"sub/sev.c", "sub/x.c"}, f"{fmt} from {os.path.relpath(cwd, d)}: {got}")
    # A compile database elsewhere, its entries relative to their directory.
    write(f"{pr}/build/compile_commands.json", json.dumps([
        {"directory": f"{pr}/sub", "file": "sev.c", "arguments": ["cc", "-c", "sev.c"]}]))
    p = run(f"{pr}/other", "scan", "-q", "--no-db", "-p", "../build")
    check(text_paths(p.stdout) == {"sub/sev.c"}, f"-p from elsewhere: {text_paths(p.stdout)}")
    # The store's readers print the same, and --file takes those paths.
    run(pr, "scan", "-q", "sub/sev.c", "sub/x.c")
    p = run(f"{pr}/sub", "findings")
    check(text_paths(p.stdout) == {"sub/sev.c", "sub/x.c"}, f"findings: {text_paths(p.stdout)} {p.stderr}")
    p = run(pr, "findings", "--file", "sub/x*")
    check(text_paths(p.stdout) == {"sub/x.c"}, f"findings --file: {text_paths(p.stdout)}")
    # A file outside the root keeps its absolute path.
    write(f"{d}/outside/o.c", SEV)
    p = run(pr, "scan", "-q", "--no-db", f"{d}/outside/o.c")
    check(text_paths(p.stdout) == {os.path.realpath(f"{d}/outside/o.c")},
          f"outside the root: {text_paths(p.stdout)}")


def main():
    d = tempfile.mkdtemp(prefix="tl-iface-")
    try:
        test_severity(d)
        test_exclude(d)
        test_ignore_file(d)
        test_config_per_file(d)
        test_json_views(d)
        test_failed_tus(d)
        test_paths(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return totals()


if __name__ == "__main__":
    sys.exit(main())
