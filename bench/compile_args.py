"""compile_args.py: what the bench scripts share about compile databases
(batch.py and prefilter.py time `clang -fsyntax-only` over the same entries
timerlint scans)."""
import json
import os


def unique_entries(cdb_dir):
    """(entry, file) for each file of DIR/compile_commands.json that exists,
    its first entry only: a file compiled twice is parsed once by a scan."""
    entries, seen = [], set()
    with open(os.path.join(cdb_dir, "compile_commands.json")) as fh:
        for e in json.load(fh):
            f = os.path.normpath(os.path.join(e["directory"], e["file"]))
            if f not in seen and os.path.exists(f):
                seen.add(f)
                entries.append((e, f))
    return entries


def compiler_args(e):
    """The compiler's arguments of compile_commands.json entry `e`, without
    the compiler itself, `-c` and `-o FILE`: what `-fsyntax-only` takes."""
    args = e.get("arguments") or e["command"].split()
    out, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a == "-o":
            skip = True
        elif a != "-c":
            out.append(a)
    return out
