#!/usr/bin/env python3
"""completions/timerlint.bash and completions/_timerlint complete what the
binary accepts (#14).

The drift check reads both files as text: every subcommand of `timerlint
help` is in their command list, and every option the binary says a
subcommand takes (cli_surface.py asks the binary) is in that subcommand's
part of each file (the bash `case` arm `CMD)`, the zsh function
`_timerlint_CMD`). Then bash runs the completion function itself, with
COMP_WORDS and COMP_CWORD set as readline sets them: the subcommands, each
subcommand's options (exactly what it takes, plus --help), the values of
--format and --fail-on the binary names, rule ids for --checks (also after
'=', a comma and a leading '-') and --rule. Where zsh is installed, the
zsh functions run with _arguments and _describe replaced by recorders: each
subcommand's specs name exactly its options; elsewhere that part is a SKIP
line.

usage: test_completions.py TIMERLINT SRCDIR"""
import os
import re
import shlex
import shutil
import subprocess
import sys

import cli_surface
from checks import check, totals

TL = os.path.realpath(sys.argv[1])
SRC = os.path.realpath(sys.argv[2])
BASH = os.path.join(SRC, "completions", "timerlint.bash")
ZSH = os.path.join(SRC, "completions", "_timerlint")


def arm(text, cmd):
    """The bash case arm `CMD) ... ;;` of _timerlint_opts."""
    m = re.search(rf"\n\s*{re.escape(cmd)}\)(.*?);;", text, re.S)
    return m.group(1) if m else None


def zfunc(text, name):
    m = re.search(rf"\n{re.escape(name)}\(\) \{{\n(.*?)\n\}}", text, re.S)
    return m.group(1) if m else None


def drift(s):
    bash = open(BASH).read()
    zsh = open(ZSH).read()
    bcmds = re.search(r'cmds="([^"]*)"', bash)
    check(bcmds, "bash: no cmds=\"...\" list")
    zcmds = zfunc(zsh, "_timerlint_commands") or ""
    for c in s["all"]:
        check(bcmds and c in bcmds.group(1).split(),
              f"bash: subcommand {c} missing from cmds")
        check(re.search(rf"'{c}:", zcmds), f"zsh: subcommand {c} missing "
              "from _timerlint_commands")
    for c, takes in s["commands"].items():
        b = arm(bash, c)
        z = zfunc(zsh, f"_timerlint_{c}")
        check(b is not None, f"bash: no case arm for {c}")
        check(z is not None, f"zsh: no function _timerlint_{c}")
        bo = set(cli_surface.OPT_RE.findall(b or ""))
        zo = set(cli_surface.OPT_RE.findall(z or ""))
        for o in takes:
            check(o in bo, f"bash: {c} {o} missing")
            check(o in zo, f"zsh: {c} {o} missing")
    for o in s["top"]:
        check(o in bash, f"bash: top-level option {o} missing")
        check(o in zsh, f"zsh: top-level option {o} missing")


def bash_complete(words, cword=None):
    """COMPREPLY for COMP_WORDS=words, completing words[cword] (the last)."""
    cword = len(words) - 1 if cword is None else cword
    script = f"""
source {shlex.quote(BASH)}
spec=$(complete -p timerlint) || exit 3
fn=${{spec#*-F }}; fn=${{fn%% *}}
COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})
COMP_CWORD={cword}
COMP_LINE="${{COMP_WORDS[*]}}"; COMP_POINT=${{#COMP_LINE}}
"$fn" timerlint "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script],
                       capture_output=True, text=True, timeout=30,
                       env={**os.environ, "PATH": os.path.dirname(TL) + ":" +
                            os.environ.get("PATH", "")})
    if p.returncode:
        print(f"  bash said ({p.returncode}): {p.stderr.strip()}")
    return set(l for l in p.stdout.splitlines() if l)


def bash_cases(s):
    cmds = set(s["all"])
    got = bash_complete([TL, ""])
    check(got == cmds, f"bash: 'timerlint ' gives {sorted(got)}, want {sorted(cmds)}")
    got = bash_complete([TL, "--"])
    check(got == set(o for o in s["top"] if o.startswith("--")),
          f"bash: 'timerlint --' gives {sorted(got)}")
    got = bash_complete([TL, "sc"])
    check(got == {"scan"}, f"bash: 'timerlint sc' gives {sorted(got)}")
    for c, takes in s["commands"].items():
        got = bash_complete([TL, c, "-"])
        check(set(takes) <= got <= set(takes) | set(s["top"]),
              f"bash: '{c} -' gives {sorted(got)}, want {sorted(takes)} (+ --help)")
    got = bash_complete([TL, "scan", "--"])
    check(got and all(o.startswith("--") for o in got) and "--checks" in got,
          f"bash: 'scan --' gives {sorted(got)}")
    got = bash_complete([TL, "help", ""])
    check(got == cmds - {"help"}, f"bash: 'help ' gives {sorted(got)}")
    got = bash_complete([TL, "db", ""])
    check(got == {"check", "rebuild"}, f"bash: 'db ' gives {sorted(got)}")
    v = cli_surface.value_choices(TL)
    got = bash_complete([TL, "scan", "--format", ""])
    check(got == set(v["--format"]), f"bash: '--format ' gives {sorted(got)}")
    got = bash_complete([TL, "scan", "--fail-on", ""])
    check(got == set(v["--fail-on"]), f"bash: '--fail-on ' gives {sorted(got)}")
    rules = cli_surface.rule_ids(TL)
    mi = {r for r in rules if r.startswith("mi")}
    got = bash_complete([TL, "scan", "--checks", "mi"])
    check(got == mi, f"bash: '--checks mi' gives {sorted(got)}")
    got = bash_complete([TL, "scan", "--checks", "=", ""])
    check(got == set(rules) | {"-"}, f"bash: '--checks=' gives {sorted(got)}")
    got = bash_complete([TL, "scan", "--checks", "=", "-*,mi"])
    check(got == {"-*," + r for r in mi},
          f"bash: '--checks=-*,mi' gives {sorted(got)}")
    got = bash_complete([TL, "scan", "--checks", "-*,-mi"])
    check(got == {"-*,-" + r for r in mi},
          f"bash: '--checks -*,-mi' gives {sorted(got)}")
    got = bash_complete([TL, "findings", "--rule", ""])
    check(got == set(rules), f"bash: 'findings --rule ' gives {sorted(got)}")
    # After `--` come compiler flags: no timerlint option.
    got = bash_complete([TL, "scan", "a.c", "--", "-"])
    check("--checks" not in got, f"bash: 'scan a.c -- -' gives {sorted(got)}")


ZSH_DRIVER = r"""
emulate -L zsh
compdef() { :; }
_arguments() { print -rl -- "$@"; }
_describe() { print -rl -- "${(@P)${@[-1]}}"; }
source "$1"
for f in "${@[2,-1]}"; do print -r -- "== $f"; "_timerlint_$f"; done
"""


def zsh_cases(s):
    zsh = shutil.which("zsh")
    if not zsh:
        print("SKIP zsh: zsh is not installed (the text drift check ran)")
        return
    p = subprocess.run([zsh, "-n", ZSH], capture_output=True, text=True)
    check(p.returncode == 0, f"zsh -n {ZSH}: {p.stderr}")
    names = ["commands"] + list(s["commands"])
    p = subprocess.run([zsh, "-f", "-c", ZSH_DRIVER, "zsh", ZSH, *names],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, f"zsh driver failed: {p.stderr}")
    out, cur = {}, None
    for line in p.stdout.splitlines():
        if line.startswith("== "):
            cur = line[3:]
            out[cur] = []
        elif cur:
            out[cur].append(line)
    listed = {l.split(":")[0] for l in out.get("commands", [])}
    check(listed == set(s["all"]), f"zsh: commands {sorted(listed)}")
    for c, takes in s["commands"].items():
        specs = out.get(c, [])
        opts = set()
        for spec in specs:
            # An option spec: '(excl)'*-opt[help]...: its name(s) before
            # '[', '=', '+', '-' or ':'.
            m = re.match(r"(?:\([^)]*\))?\*?(--?[a-z][a-z0-9-]*?)(?:[=+]-?)?(?:\[|:|$)",
                         spec)
            if m:
                opts.add(m.group(1))
        check(set(takes) <= opts <= set(takes) | set(s["top"]),
              f"zsh: _timerlint_{c} specs name {sorted(opts)}, want {sorted(takes)}")


def main():
    for f in (BASH, ZSH):
        if not check(os.path.exists(f), f"{f} is missing"):
            return totals()
    s = cli_surface.surface(TL, SRC)
    drift(s)
    bash_cases(s)
    zsh_cases(s)
    return totals()


if __name__ == "__main__":
    sys.exit(main())
