#!/usr/bin/env bash
# throughput.sh [PKG]: timerlint scan vs `clang-19 -fsyntax-only` over the
# same compile database, one process at a time (-j1), same flags; prints
# the ratio of throughputs (budget: >= 0.85). Both see the same TUs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkg=${1:-redis}
tl=${TIMERLINT:-$here/../build/timerlint}
"$here/fetch-corpus.sh" "$pkg" >/dev/null
cdb="$here/corpus/$pkg/compile_commands.json"
command -v clang-19 >/dev/null || { echo "throughput: clang-19 missing (apt-get install clang-19)" >&2; exit 2; }
# Each entry's own argv with clang-19 as the compiler and -fsyntax-only,
# run in its directory; no shell parsing of commands.
syntax() {
  python3 - "$cdb" <<'P'
import json, subprocess, sys, os
seen = set()
for e in json.load(open(sys.argv[1])):
    f = os.path.join(e["directory"], e["file"])
    if f in seen:
        continue
    seen.add(f)
    args = e.get("arguments") or e["command"].split()
    out = []
    skip = False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a == "-c":
            continue
        out.append(a)
    subprocess.run(["clang-19", "-fsyntax-only", "-w"] + out, cwd=e["directory"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
P
}
t0=$(date +%s.%N); syntax; t1=$(date +%s.%N)
"$tl" scan -q --no-db -p "$here/corpus/$pkg" >/dev/null 2>&1 || true
t2=$(date +%s.%N)
clang=$(echo "$t1 - $t0" | bc); ours=$(echo "$t2 - $t1" | bc)
printf 'bench throughput %s: clang -fsyntax-only %.2fs, timerlint %.2fs, throughput ratio %.2f\n' \
  "$pkg" "$clang" "$ours" "$(echo "$clang / $ours" | bc -l)"
