#!/usr/bin/env python3
"""docs/timerlint.1 documents what the binary accepts (#14), and renders.

Every subcommand of `timerlint help` has a `.SS` section under COMMANDS
named by it; every option the binary says that subcommand takes
(cli_surface.py asks the binary) is a `.TP` tag in that section, and no tag
there names an option it does not take (a removed option leaves no stale
entry). The top-level options are tags under OPTIONS, every rule id of
`timerlint rules` is a tag under RULES, `.TH` names the binary's version.
groff -ww (and mandoc -Tlint where installed) must print no warning.

usage: test_manpage.py TIMERLINT SRCDIR"""
import os
import re
import shutil
import subprocess
import sys

import cli_surface
from checks import check, totals

TL = os.path.realpath(sys.argv[1])
SRC = os.path.realpath(sys.argv[2])
MAN = os.path.join(SRC, "docs", "timerlint.1")


def plain(roff):
    """A roff line as text: no macro name, font escapes or quotes."""
    s = re.sub(r"^\.[A-Z]+\s*", "", roff)
    s = re.sub(r"\\f(\[[A-Z]*\]|[BIRP])", "", s)
    s = s.replace("\\-", "-").replace("\\&", "").replace('"', "")
    return s


def sections(lines):
    """{(SH, SS-first-word or None): [tag text...]}: the .TP tags of each
    section and subsection."""
    out, sh, ss = {}, None, None
    for i, line in enumerate(lines):
        if line.startswith(".SH"):
            sh, ss = plain(line).strip(), None
        elif line.startswith(".SS"):
            words = plain(line).split()
            ss = words[0] if words else ""
            if ss == "timerlint" and len(words) > 1:
                ss = words[1]
        out.setdefault((sh, ss), [])
        if line.startswith(".TP") and i + 1 < len(lines):
            out[(sh, ss)].append(plain(lines[i + 1]))
    return out


def tag_options(tags):
    opts = set()
    for t in tags:
        opts |= set(cli_surface.OPT_RE.findall(t))
    return opts


def lint():
    groff = shutil.which("groff")
    if not groff:
        print("SKIP groff lint: groff is not installed (apt-get install groff-base)")
    else:
        p = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", MAN],
                           capture_output=True, text=True)
        check(p.returncode == 0 and not p.stderr.strip(),
              f"groff -man -ww warns:\n{p.stderr}")
        p = subprocess.run([groff, "-man", "-Tascii", MAN],
                           capture_output=True, text=True)
        text = re.sub(r".\x08|\x1b\[[0-9;]*m", "", p.stdout)
        check("timerlint" in text and "COMMANDS" in text,
              "groff renders no COMMANDS section")
    mandoc = shutil.which("mandoc")
    if mandoc:
        p = subprocess.run([mandoc, "-Tlint", "-Wwarning", MAN],
                           capture_output=True, text=True)
        check(not p.stdout.strip() and not p.stderr.strip(),
              f"mandoc -Tlint:\n{p.stdout}{p.stderr}")
    else:
        print("SKIP mandoc lint: mandoc is not installed")


def main():
    if not check(os.path.exists(MAN), f"{MAN} is missing"):
        return totals()
    with open(MAN) as f:
        lines = f.read().splitlines()
    s = cli_surface.surface(TL, SRC)
    secs = sections(lines)
    for cmd in s["all"]:
        if not check(("COMMANDS", cmd) in secs,
                     f"no '.SS {cmd}' section under COMMANDS"):
            continue
        have = tag_options(secs[("COMMANDS", cmd)])
        takes = set(s["commands"].get(cmd, []))
        for o in sorted(takes - have):
            check(False, f"'{cmd}' takes {o}: no .TP entry for it in its section")
        for o in sorted(have - takes):
            check(False, f"'{cmd}' section documents {o}, which '{cmd}' "
                  "does not take")
        check(True, f"{cmd} section")
    top = tag_options(secs.get(("OPTIONS", None), []))
    for o in s["top"]:
        check(o in top, f"top-level option {o}: no .TP entry under OPTIONS")
    rules = " ".join(secs.get(("RULES", None), []))
    for r in cli_surface.rule_ids(TL):
        check(re.search(rf"(?<![\w-]){re.escape(r)}(?![\w-])", rules),
              f"rule {r}: no .TP entry under RULES")
    th = next((l for l in lines if l.startswith(".TH")), "")
    version = cli_surface.run(TL, "--version")[1].split()[-1]
    check(f"timerlint {version}" in plain(th),
          f".TH does not name version {version}: {th}")
    text = "\n".join(lines)
    check("TIMERLINT_RULES" in text, "TIMERLINT_RULES is not documented")
    lint()
    return totals()


if __name__ == "__main__":
    sys.exit(main())
