#!/usr/bin/env python3
"""The IR dump reads back, over every testdata file, the demo and the
golden sources (each with its `// flags:` options):

  test_ir_roundtrip.py text TIMERLINT IR_ROUNDTRIP SRCDIR
      `timerlint scan --dump-ir`, read by ir_roundtrip and dumped again, is
      the same bytes;
  test_ir_roundtrip.py fields TEST_IR_FIELDS SRCDIR
      the unit read back from the dump equals the one the front end built,
      field for field (test_ir_fields).
"""
import difflib
import glob
import os
import re
import subprocess
import sys
import tempfile

FLAGS = re.compile(r"^\s*//\s*flags:(.*)$")


def sources(root):
    pats = ["testdata/**/*.c", "testdata/**/*.cpp", "examples/demo/*.c",
            "tests/golden/*.c"]
    found = []
    for p in pats:
        found += glob.glob(os.path.join(root, p), recursive=True)
    return sorted(os.path.relpath(f, root) for f in found)


def flags_of(path):
    flags = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if n > 5:
                break
            m = FLAGS.match(line)
            if m:
                flags += m.group(1).split()
    return flags


def text(tools, root, rel, tmp):
    """None when the dump reads back to the same bytes, else why not."""
    tool, rt = tools
    cmd = [tool, "scan", "-q", "--no-db", "--dump-ir", rel, "--"]
    p = subprocess.run(cmd + flags_of(os.path.join(root, rel)),
                       capture_output=True, cwd=root)
    if p.returncode != 0:
        return f"--dump-ir exited {p.returncode}: {p.stderr.decode()[-500:]}"
    dump = os.path.join(tmp, "dump.ir")
    with open(dump, "wb") as f:
        f.write(p.stdout)
    q = subprocess.run([rt, dump], capture_output=True)
    if q.returncode != 0:
        return f"ir_roundtrip exited {q.returncode}: {q.stderr.decode()}"
    if q.stdout == p.stdout:
        return None
    diff = difflib.unified_diff(p.stdout.decode().splitlines(),
                                q.stdout.decode().splitlines(),
                                "dump", "read+dump", lineterm="", n=1)
    return "\n".join(list(diff)[:40])


def fields(tools, root, rel, tmp):
    """None when every field survives, else the differences."""
    (tf,) = tools
    cmd = [tf, os.path.join(root, "rules"), rel, "--"]
    p = subprocess.run(cmd + flags_of(os.path.join(root, rel)),
                       capture_output=True, cwd=root)
    if p.returncode == 0:
        return None
    out = (p.stdout.decode() + p.stderr.decode())[-2000:]
    return f"test_ir_fields exited {p.returncode}:\n{out}"


def main():
    modes = {"text": (text, 4), "fields": (fields, 3)}
    if len(sys.argv) < 2 or sys.argv[1] not in modes or \
            len(sys.argv) != modes[sys.argv[1]][1] + 1:
        print(__doc__)
        return 2
    check = modes[sys.argv[1]][0]
    args = [os.path.abspath(a) for a in sys.argv[2:]]
    tools, root = args[:-1], args[-1]
    ok = bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for rel in sources(root):
            why = check(tools, root, rel, tmp)
            if why is None:
                ok += 1
            else:
                bad += 1
                print(f"FAIL {rel}: {why}")
    print(f"{ok} passed, {bad} failed")
    return 1 if bad or not ok else 0


if __name__ == "__main__":
    sys.exit(main())
