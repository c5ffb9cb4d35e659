#!/usr/bin/env bash
# findings.sh [PKG...]: every finding timerlint reports on the real trees
# (fetch-corpus.sh), one text report per tree in bench/out/PKG.txt, for
# reading against the code (precision) and as the base of mutate.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tl=$(realpath "${TIMERLINT:-$here/../build/timerlint}")
mkdir -p "$here/out"
[ $# -gt 0 ] || set -- libuv1 wpa bluez memcached tmux libevent redis mosquitto chrony
for pkg in "$@"; do
  dir="$here/corpus/$pkg"
  [ -f "$dir/compile_commands.json" ] || { echo "findings: $pkg: not fetched (bench/fetch-corpus.sh $pkg)" >&2; continue; }
  rm -f "$here/out/$pkg.db"*
  start=$(date +%s)
  set +e
  (cd "$dir/src" && "$tl" scan -p "$dir" --db "$here/out/$pkg.db" -j "$(nproc)" -q) >"$here/out/$pkg.txt" 2>"$here/out/$pkg.err"
  rc=$?
  set -e
  n=$(grep -cE ': (error|warning|note): .*\[[a-z0-9-]+\]$' "$here/out/$pkg.txt" || true)
  echo "findings: $pkg: ${n:-0} findings (exit $rc, $(( $(date +%s) - start )) s)"
done
