#!/usr/bin/env python3
"""Validates every SARIF document the suite can produce (the demo and each
testdata file) against the official SARIF 2.1.0 JSON schema, with Debian's
python3-jsonschema. A document that fails the schema fails the test.

The schema file is data this repository cannot fetch (no Debian or npm
package ships it): it is read from $SARIF_SCHEMA, or from
shared/sarif-schema-2.1.0.json beside the checkout. Without it the test
exits 77, which ctest reports as skipped, never as passed.

usage: test_sarif_schema.py TIMERLINT SRCDIR"""
import glob
import json
import os
import subprocess
import sys

SKIP = 77
tl, src = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
candidates = [os.environ.get("SARIF_SCHEMA", ""),
              os.path.join(src, "..", "shared", "sarif-schema-2.1.0.json")]
schema_path = next((p for p in candidates if p and os.path.isfile(p)), None)
if not schema_path:
    print("skipped: no SARIF 2.1.0 schema file (set SARIF_SCHEMA or put "
          "sarif-schema-2.1.0.json in shared/)")
    sys.exit(SKIP)
import jsonschema  # python3-jsonschema

schema = json.load(open(schema_path))
validator = jsonschema.validators.validator_for(schema)(schema)
docs = [sorted(glob.glob(f"{src}/examples/demo/*.c"))]
docs += [[f] for f in sorted(glob.glob(f"{src}/testdata/**/*.c", recursive=True))]
bad = 0
for files in docs:
    p = subprocess.run([tl, "scan", "-q", "--no-db", "--format", "sarif", *files],
                       cwd=src, capture_output=True, text=True)
    errors = list(validator.iter_errors(json.loads(p.stdout)))
    for e in errors[:3]:
        print(f"FAIL {os.path.relpath(files[0], src)}: {e.message} at {list(e.absolute_path)}")
    bad += bool(errors)
print(f"{len(docs) - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
