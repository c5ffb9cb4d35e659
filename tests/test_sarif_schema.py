#!/usr/bin/env python3
"""Validates every SARIF document the suite can produce against the official
SARIF 2.1.0 JSON schema, with Debian's python3-jsonschema and the draft-04
validator the schema declares. A document that fails the schema fails the
test, and so does a missing schema or validator: this test never skips.

Documents: the demo, each testdata file, and made-up cases the testdata does
not reach (a suppressed finding, a file name that needs URI escaping, a file
outside the root, a clean file, failed TUs, diff mode with --baseline).

Before those, the validator must reject deliberately broken documents (a
result without a message, an unknown level, a wrong version): a validator
that accepts anything would pass the rest.

The schema is tests/fixtures/sarif-schema-2.1.0.json (see the README there);
$SARIF_SCHEMA names another file.

usage: test_sarif_schema.py TIMERLINT SRCDIR"""
import copy
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from checks import check, totals

tl, src = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
schema_path = os.environ.get("SARIF_SCHEMA") or os.path.join(
    os.path.dirname(os.path.realpath(__file__)), "fixtures", "sarif-schema-2.1.0.json")


def finish():
    sys.exit(totals())


if not check(os.path.isfile(schema_path), f"no SARIF schema at {schema_path}"):
    finish()
try:
    import jsonschema  # Debian: python3-jsonschema
except ImportError:
    check(False, f"{sys.executable} cannot import jsonschema (install python3-jsonschema)")
    finish()

schema = json.load(open(schema_path))
cls = jsonschema.validators.validator_for(schema, default=None)
if not check(cls is jsonschema.Draft4Validator,
             f"the schema declares {schema.get('$schema')!r}: want draft-04, got {cls}"):
    finish()
cls.check_schema(schema)  # raises when the schema itself is not valid draft-04
# Draft-04's formats, plus the later "uri-reference" and "date-time" the
# SARIF schema also uses, wherever this jsonschema can check them.
draft4 = getattr(cls, "FORMAT_CHECKER", None) or jsonschema.draft4_format_checker
formats = jsonschema.FormatChecker(
    [f for f in [*draft4.checkers, "uri-reference", "date-time"]
     if f in jsonschema.FormatChecker.checkers])
validator = cls(schema, format_checker=formats)
print(f"schema {os.path.relpath(schema_path, src)}: {schema['title']}; "
      f"jsonschema {getattr(jsonschema, '__file__', '?')} {cls.__name__}, "
      f"formats checked: {', '.join(sorted(formats.checkers))}")


def errors(doc):
    return list(validator.iter_errors(doc))


def flags(path):
    """A testdata file's `// flags: ...` line (run_testdata.py reads it too)."""
    with open(path, encoding="utf-8") as fp:
        for _, line in zip(range(5), fp):
            m = re.match(r"\s*//\s*flags:(.*)$", line)
            if m:
                return ["--", *m.group(1).split()]
    return []


def scan(files, cwd=src, args=(), codes=(0, 1), env=None):
    p = subprocess.run([tl, "scan", "-q", "--format", "sarif", *args, *files],
                       cwd=cwd, capture_output=True, text=True, env=env)
    if p.returncode not in codes:
        return None, f"exit {p.returncode}: {p.stderr.strip()[:300]}"
    try:
        return json.loads(p.stdout), ""
    except json.JSONDecodeError as e:
        return None, f"not JSON: {e}"


def validate(name, doc, why=""):
    if doc is None:
        return check(False, f"{name}: no SARIF ({why})")
    errs = errors(doc)
    for e in errs[:3]:
        print(f"  {name}: {e.message} at {list(e.absolute_path)}")
    return check(not errs, f"{name}: {len(errs)} schema errors")


# 1. The validator is live: it passes the demo's SARIF and fails broken copies.
demo = sorted(glob.glob(f"{src}/examples/demo/*.c"))
good, why = scan(["--no-db", *demo])
validate("examples/demo", good, why)
if good is None or not good["runs"][0]["results"]:
    check(False, "the demo's SARIF has no result to break")
    finish()
broken = {}
broken["result without message"] = copy.deepcopy(good)
del broken["result without message"]["runs"][0]["results"][0]["message"]
broken["level 'warn'"] = copy.deepcopy(good)
broken["level 'warn'"]["runs"][0]["results"][0]["level"] = "warn"
broken["version 2.0.0"] = dict(good, version="2.0.0")
if "uri" in formats.checkers:
    broken["$schema URI with a space"] = dict(good, **{"$schema": "https://a b/"})
if "uri-reference" in formats.checkers:
    broken["relative URI with a space"] = copy.deepcopy(good)
    loc = broken["relative URI with a space"]["runs"][0]["results"][0]["locations"][0]
    loc["physicalLocation"]["artifactLocation"]["uri"] = "src/a b.c"
for what, doc in broken.items():
    errs = errors(doc)
    check(errs, f"the validator accepted a broken document: {what}")
    if errs:
        print(f"  rejected as it must be ({what}): {errs[0].message}")

# 2. Each testdata file on its own.
for f in sorted(glob.glob(f"{src}/testdata/**/*.c", recursive=True) +
                glob.glob(f"{src}/testdata/**/*.cpp", recursive=True)):
    doc, why = scan(["--no-db", f, *flags(f)])
    validate(os.path.relpath(f, src), doc, why)

# 3. What the testdata does not reach.
LEAK = """#include <time.h>
#include <signal.h>
extern int configure(void);
int leak(void)
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    if (configure() != 0)
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
LEAK2 = LEAK + """int leak2(void)
{
    timer_t v;
    if (timer_create(CLOCK_MONOTONIC, NULL, &v) != 0)
        return -1;
    return 0;
}
"""
d = tempfile.mkdtemp(prefix="tl sarif %#-")
try:
    name = "we,ird:na me%#.c"
    with open(os.path.join(d, name), "w") as fp:
        fp.write(LEAK)
    with open(os.path.join(d, "clean.c"), "w") as fp:
        fp.write("int add(int a, int b) { return a + b; }\n")
    doc, why = scan(["--no-db", name], cwd=d)
    if validate("suppressed finding, name to escape, root with a space", doc, why):
        res = doc["runs"][0]["results"]
        check(any("suppressions" in r for r in res), "no suppressed result in that document")
    doc, why = scan(["--no-db", "clean.c"], cwd=d)
    if validate("clean file", doc, why):
        check(doc["runs"][0]["results"] == [], "a clean file has results")
    doc, why = scan(["--no-db", os.path.join(d, name)])  # from src: outside the root
    if validate("a file outside the root", doc, why):
        art = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        check(art["uri"].startswith("file:///") and "uriBaseId" not in art,
              f"outside the root: {art}")
    # Failed TUs (an empty file, a worker that crashed) and one parsed with
    # errors: invocations with their notifications.
    with open(os.path.join(d, "empty.c"), "w") as fp:
        pass
    with open(os.path.join(d, "crashme.c"), "w") as fp:
        fp.write(LEAK)
    with open(os.path.join(d, "partial.c"), "w") as fp:
        fp.write('#include "missing.h"\n' + LEAK)
    doc, why = scan(["--no-db", "empty.c", "crashme.c", "partial.c", "clean.c"], cwd=d,
                    codes=(2,), env=dict(os.environ, TIMERLINT_TEST_CRASH="crashme"))
    if validate("failed TUs (invocations, toolExecutionNotifications)", doc, why):
        inv = doc["runs"][0].get("invocations", [{}])[0]
        check(inv.get("executionSuccessful") is False
              and len(inv.get("toolExecutionNotifications", [])) == 3,
              f"failed TUs: {inv}")
    scan(["--db", "r.db", name], cwd=d)
    with open(os.path.join(d, name), "w") as fp:
        fp.write(LEAK2)
    doc, why = scan(["--db", "r.db", "--baseline", "latest", name], cwd=d)
    if validate("diff mode (--baseline)", doc, why):
        states = [r.get("baselineState") for r in doc["runs"][0]["results"]]
        check(states == ["new"], f"diff mode: baselineState {states}")
finally:
    shutil.rmtree(d, ignore_errors=True)
finish()
