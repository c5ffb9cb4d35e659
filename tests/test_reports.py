#!/usr/bin/env python3
"""Report writers: JSON structure, GitHub workflow-command escaping, SARIF
2.1.0 structure (rules, codeFlows in path order, partialFingerprints,
suppressions, %SRCROOT%-relative URIs), and bad output paths.

usage: test_reports.py TIMERLINT"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from checks import check, totals

TL = os.path.realpath(sys.argv[1])


SRC = """#include <signal.h>
#include <time.h>
extern int configure(void);

int leak(int n)
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (n % 2)
        return -1;
    timer_delete(t);
    return 0;
}

int quiet(void)
{
    timer_t u;
    // timerlint: ignore[missing-stop] the process exits right after
    if (timer_create(CLOCK_MONOTONIC, NULL, &u) != 0)
        return -1;
    return 0;
}
"""


def scan(d, *args):
    return subprocess.run([TL, "scan", "-q", "--db", "r.db", *args], cwd=d,
                          capture_output=True, text=True)


def main():
    d = tempfile.mkdtemp(prefix="tl-reports-")
    try:
        name = "we,ird:name.c"
        open(os.path.join(d, name), "w").write(SRC)
        p = scan(d, "--format", "json", name)
        doc = json.loads(p.stdout)
        f = doc["findings"]
        check(len(f) == 1 and f[0]["rule"] == "missing-stop" and f[0]["line"] == 8
              and f[0]["file"] == name and len(f[0]["fingerprint"]) == 16
              and f[0]["path"][-1]["line"] == 11, f"json: {p.stdout[:400]}")

        p = scan(d, "--format", "github", name)
        lines = p.stdout.splitlines()
        check(len(lines) == 1 and lines[0].startswith("::warning file=we%2Cird%3Aname.c,line=8,col=")
              and "title=timerlint missing-stop::" in lines[0], f"github properties: {p.stdout[:300]}")
        check("'n %25 2' is true" in lines[0] and "%0A" in lines[0] and "\n" not in lines[0],
              "github message escaping (%, newlines)")

        out = os.path.join(d, "out.sarif")
        p = scan(d, "--format", "sarif", "--output", "out.sarif", name)
        s = json.load(open(out))
        run = s["runs"][0]
        ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
        check(s["version"] == "2.1.0" and "$schema" in s and "missing-stop" in ids
              and all("help" in r and "fullDescription" in r for r in run["tool"]["driver"]["rules"]),
              "sarif driver and rules")
        for rule in run["tool"]["driver"]["rules"]:
            h = rule["help"]
            check("Bad:" in h["text"] and "Good:" in h["text"]
                  and h["markdown"].count("**Bad**") == 1 and h["markdown"].count("```") == 4
                  and rule["fullDescription"]["text"] != rule["shortDescription"]["text"],
                  f"sarif rule {rule['id']}: descriptions and help with a bad and a good example")
        res = run["results"]
        check(len(res) == 2, f"sarif keeps the suppressed result: {len(res)}")
        live = [r for r in res if "suppressions" not in r]
        supp = [r for r in res if "suppressions" in r]
        check(len(live) == 1 and len(supp) == 1 and supp[0]["suppressions"][0]["kind"] == "inSource"
              and supp[0]["suppressions"][0]["justification"] == "the process exits right after",
              "sarif suppressions")
        r = live[0]
        loc = r["locations"][0]["physicalLocation"]
        check(loc["artifactLocation"] == {"uri": "we%2Cird%3Aname.c", "uriBaseId": "%SRCROOT%"}
              and loc["region"]["startLine"] == 8 and r["ruleId"] == ids[r["ruleIndex"]]
              and len(r["partialFingerprints"]["timerlint/v1"]) == 16, f"sarif result: {r}")
        steps = [x["location"]["physicalLocation"]["region"]["startLine"]
                 for x in r["codeFlows"][0]["threadFlows"][0]["locations"]]
        check(steps == [8, 8, 10, 11], f"sarif codeFlow in path order: {steps}")
        check(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://" + os.path.realpath(d) + "/",
              f"originalUriBaseIds: {run['originalUriBaseIds']}")

        check("baselineState" not in r, "baselineState without --baseline")

        open(os.path.join(d, name), "a").write(
            "int leak2(void)\n{\n    timer_t v;\n"
            "    return timer_create(CLOCK_MONOTONIC, NULL, &v);\n}\n")
        p = scan(d, "--format", "json", "--baseline", "latest", name)
        f = json.loads(p.stdout)["findings"]
        check([(x["function"], x.get("state")) for x in f] == [("leak2", "new")],
              f"json in diff mode: only the new finding, marked: {p.stdout[:400]}")

        before = os.path.getmtime(os.path.join(d, "r.db"))
        p = scan(d, "--format", "sarif", "--output", "/nonexistent/dir/x.sarif", name)
        check(p.returncode == 2 and "cannot write the report" in p.stderr
              and os.path.getmtime(os.path.join(d, "r.db")) == before,
              f"unwritable output: exit 2, store untouched: {p.returncode} {p.stderr}")
        p = subprocess.run([TL, "report", "--db", "r.db", "--run", "999", "--output", "rep"],
                           cwd=d, capture_output=True, text=True)
        check(p.returncode == 2 and "999: no such run" in p.stderr
              and not os.path.exists(os.path.join(d, "rep"))
              and os.path.getmtime(os.path.join(d, "r.db")) == before,
              f"report of an unknown run: {p.returncode} {p.stderr}")
        p = subprocess.run([TL, "report", "--db", "r.db", "--output", "rep"],
                           cwd=d, capture_output=True, text=True)
        check(p.returncode == 0 and os.path.exists(os.path.join(d, "rep", "index.html")),
              f"report from the store: {p.stderr}")
        p = scan(d, "--format", "xml", name)
        check(p.returncode == 2 and "unknown format 'xml'" in p.stderr, "unknown format")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return totals()


if __name__ == "__main__":
    sys.exit(main())
