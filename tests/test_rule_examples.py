#!/usr/bin/env python3
"""The bad and good example in each rule's SARIF help (reports/rule_examples.c)
are real: each compiles with gcc (g++ for C++) against the installed headers,
the bad one gets its rule from timerlint and the good one gets no finding.
For a rule `timerlint rules` lists as planned, the bad example is not
reported yet: that is printed as a known gap, not failed.

usage: test_rule_examples.py TIMERLINT"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from checks import check, totals

TL = os.path.realpath(sys.argv[1])
PRELUDE = {
    "c": ("c", ["gcc", "-std=gnu11"], "#define _GNU_SOURCE\n" + "".join(
        f"#include <{h}>\n" for h in ["pthread.h", "signal.h", "stdbool.h", "stdlib.h",
                                       "sys/timerfd.h", "threads.h", "time.h", "unistd.h"])
          + "extern int configure(void);\nextern void *worker(void *);\n\n"),
    "cpp": ("cpp", ["g++", "-std=c++20"],
            "#include <thread>\nextern int configure();\nextern void work();\n\n"),
}
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)


# Rules of the link phase need it over the example (a whole program).
LINKED = {"field-never-stopped"}


def findings(d, path, lang, rid):
    extra = ["--", "-std=c++20"] if lang == "cpp" else []
    link = ["--link"] if rid in LINKED else []
    p = subprocess.run([TL, "scan", "-q", "--no-db", "--format", "json", path, *link, *extra],
                       cwd=d, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        return None
    return [f["rule"] for f in json.loads(p.stdout)["findings"]]


def main():
    d = tempfile.mkdtemp(prefix="tl-examples-")
    try:
        open(os.path.join(d, "empty.c"), "w").write("int x;\n")
        p = subprocess.run([TL, "scan", "-q", "--no-db", "--format", "sarif", "empty.c"],
                           cwd=d, capture_output=True, text=True)
        rules = json.loads(p.stdout)["runs"][0]["tool"]["driver"]["rules"]
        listed = subprocess.run([TL, "rules"], capture_output=True, text=True).stdout
        planned = set(re.findall(r"^\s+([a-z-]+)\s+\(planned\)", listed, re.M))
        check(len(rules) == 10, f"{len(rules)} rules in SARIF")
        for r in rules:
            rid, help_ = r["id"], r["help"]
            blocks = FENCE.findall(help_.get("markdown", ""))
            if not check(len(blocks) == 2 and "Bad:" in help_["text"] and "Good:" in help_["text"]
                         and all(code in help_["text"] for _, code in blocks),
                         f"{rid}: help without a bad and a good example: {help_}"):
                continue
            for kind, (lang, code) in zip(["bad", "good"], blocks):
                ext, cc, prelude = PRELUDE[lang]
                path = f"{rid}-{kind}.{ext}"
                open(os.path.join(d, path), "w").write(prelude + code)
                c = subprocess.run([*cc, "-fsyntax-only", "-Wall", "-Werror", path],
                                   cwd=d, capture_output=True, text=True)
                if not check(c.returncode == 0, f"{rid} {kind} example does not compile:\n{c.stderr}"):
                    continue
                got = findings(d, path, lang, rid)
                if not check(got is not None, f"{rid} {kind}: timerlint failed"):
                    continue
                if kind == "good":
                    check(got == [], f"{rid}: the good example gets {got}")
                elif rid in planned and rid not in got:
                    print(f"known gap: {rid} is planned; its bad example is not reported yet")
                else:
                    check(rid in got, f"{rid}: the bad example gets {got}")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return totals()


if __name__ == "__main__":
    sys.exit(main())
