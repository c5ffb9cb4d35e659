#!/usr/bin/env bash
# check.sh TIMERLINT SRCDIR [--update]: the IR dump of each tests/golden/*.c
# must equal its .ir file. Review a changed dump by eye, then --update.
set -u
tl=$(realpath "$1") src=$2
cd "$src" || exit 2
pass=0 fail=0
for c in tests/golden/*.c; do
  want="${c%.c}.ir"
  got=$("$tl" scan -q --dump-ir "$c")
  if [ "${3:-}" = --update ]; then
    printf '%s\n' "$got" >"$want"
    continue
  fi
  if diff -u "$want" <(printf '%s\n' "$got") >/tmp/golden.diff.$$; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $c: IR differs from $want"
    cat /tmp/golden.diff.$$
  fi
  rm -f /tmp/golden.diff.$$
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
