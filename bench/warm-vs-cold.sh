#!/usr/bin/env bash
# warm-vs-cold.sh [PKG]: a cold scan of a real tree into a fresh store, then
# a re-scan of the unchanged tree; prints both times and their ratio
# (budget: warm < 5% of cold). The tree is a Debian source package fetched
# by fetch-corpus.sh, never committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkg=${1:-redis}
tl=${TIMERLINT:-$here/../build/timerlint}
"$here/fetch-corpus.sh" "$pkg" >/dev/null
db=$(mktemp -d)/bench.db
secs() { local s=$(date +%s.%N); "$@" >/dev/null 2>"$db.err" || [ $? -eq 1 ]; echo "$(date +%s.%N) - $s" | bc; }
cold=$(secs "$tl" scan -q --db "$db" -p "$here/corpus/$pkg")
warm=$(secs "$tl" scan -q --db "$db" -p "$here/corpus/$pkg")
tus=$(grep -c '"file"' "$here/corpus/$pkg/compile_commands.json")
printf 'bench warm-vs-cold %s: %s compile commands, cold %.2fs, warm %.2fs, warm/cold %.3f\n' \
  "$pkg" "$tus" "$cold" "$warm" "$(echo "$warm / $cold" | bc -l)"
rm -rf "$(dirname "$db")"
