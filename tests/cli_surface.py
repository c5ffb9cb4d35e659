"""What the real binary accepts, asked of the binary itself: the man page and
the completions are checked against this, so neither can drift from the
command line (#14).

Subcommands are the words after "timerlint" in `timerlint help`'s usage
lines. The candidate options are every option-like word of any help text
(`timerlint help`, `timerlint help CMD`) and every option literal of
analyzer/cli/main.c, where the options are parsed (so an option no help
mentions is still found). Whether CMD takes OPT is the binary's answer to
`timerlint CMD OPT 1 --zz-probe`: an option CMD does not take is refused
first ("is not one 'CMD' takes"), one no command takes is "unknown option
'OPT'", and one it takes is parsed (with "1" as its value or as a file)
before --zz-probe stops the parse: nothing runs, nothing is written."""
import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

OPT_RE = re.compile(r"(?<![\w-])(--?[a-z][a-z0-9-]*)")
PROBE = "--zz-probe"


def run(tl, *args, cwd=None):
    p = subprocess.run([tl, *args], capture_output=True, text=True,
                       cwd=cwd, timeout=30)
    return p.returncode, p.stdout, p.stderr


def commands(help_text):
    """Subcommand names in order, and the top-level options (--version)."""
    cmds, top = [], []
    for line in help_text.splitlines():
        m = re.match(r"\s*(?:usage:)?\s*timerlint (.*)", line)
        if not m:
            continue
        for alt in m.group(1).split(" | "):
            word = alt.split()[0] if alt.split() else ""
            dest = top if word.startswith("-") else cmds
            if word and word not in dest:
                dest.append(word)
    return cmds, top


def surface(tl, src):
    """{'commands': {CMD: [OPT...]}, 'top': [OPT...], 'help': {CMD: text}}.
    'help' (the pseudo-command) takes a command name and no options."""
    tl = os.path.realpath(tl)
    rc, top_help, _ = run(tl, "help")
    assert rc == 0, "timerlint help failed"
    cmds, _ = commands(top_help)
    helps = {c: run(tl, "help", c)[1] for c in cmds if c != "help"}
    cand = set(OPT_RE.findall(top_help))
    for text in helps.values():
        cand |= set(OPT_RE.findall(text))
    main_c = os.path.join(src, "analyzer", "cli", "main.c")
    with open(main_c) as f:
        cand |= set(re.findall(r'"(--?[a-z][a-z0-9-]*)"', f.read()))
    with tempfile.TemporaryDirectory() as cwd:
        # Top-level options exit 0 on their own (--version, --help, -h).
        top = sorted(o for o in cand if run(tl, o, cwd=cwd)[0] == 0)
        pairs = [(c, o) for c in helps for o in sorted(cand - set(top))]

        def takes(pair):
            c, o = pair
            _, _, err = run(tl, c, o, "1", PROBE, cwd=cwd)
            return not ("is not one" in err or f"unknown option '{o}'" in err)

        with ThreadPoolExecutor(4) as pool:
            said = list(pool.map(takes, pairs))
        out = {c: [] for c in helps}
        for (c, o), yes in zip(pairs, said):
            if yes:
                out[c].append(o)
    return {"commands": out, "top": top, "help": helps,
            "all": ["help"] + list(helps)}


def rule_ids(tl):
    """The rule ids `timerlint rules` lists (its "rules:" section)."""
    rc, out, _ = run(tl, "rules")
    assert rc == 0, "timerlint rules failed"
    ids, on = [], False
    for line in out.splitlines():
        if line == "rules:":
            on = True
        elif on and not line.strip():
            break
        elif on:
            ids.append(line.split()[0])
    return ids


def value_choices(tl):
    """The values the binary names for --format and --fail-on (its errors
    list them)."""
    _, _, err = run(tl, "scan", "--no-db", "--format", "zz")
    fmts = re.search(r"unknown format 'zz' \(([^)]*)\)", err)
    _, _, err = run(tl, "scan", "--no-db", "--fail-on", "zz")
    # "--fail-on takes new, any or none, a level (error, warning, note),
    # or both (new,error), not 'zz'": the scopes and the levels.
    fail = re.search(r"--fail-on takes ([\w, ]+?) or (\w+), a level "
                     r"\(([^)]*)\)", err)
    assert fmts and fail, "the --format/--fail-on errors changed"
    return {"--format": [s.strip() for s in fmts.group(1).split(",")],
            "--fail-on": [s.strip() for s in fail.group(1).split(",")] +
            [fail.group(2)] + [s.strip() for s in fail.group(3).split(",")]}


if __name__ == "__main__":
    import json
    import sys
    s = surface(sys.argv[1], sys.argv[2])
    del s["help"]
    s["rules"] = rule_ids(sys.argv[1])
    s["values"] = value_choices(sys.argv[1])
    print(json.dumps(s, indent=1))
