#!/usr/bin/env bash
# test_cli.sh TIMERLINT SRCDIR: the command line's contract on bad input:
# a one-line error naming what and where, exit 2, and the other files of
# the same scan still analysed.
set -u
tl=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
# Scans here record nothing: the store has its own tests.
tlscan() { "$tl" scan --no-db "$@"; }
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
good="$src/testdata/posix-timer/missing-stop-errpath.c"

check() { # name, expected exit, grep pattern on stderr, command...
  local name=$1 want=$2 pat=$3
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -eq "$want" ] && grep -qE -- "$pat" "$tmp/err" "$tmp/out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: exit $rc (want $want), pattern '$pat'"
    sed 's/^/  | /' "$tmp/err" | head -5
  fi
}

still_reports() { # the good file's findings are printed despite the error
  if grep -q "missing-stop-errpath.c:61:.*\[missing-stop\]" "$tmp/out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $1: other files were not analysed"
  fi
}

check version 0 '^timerlint [0-9]' "$tl" --version
check help 0 'usage: timerlint scan' "$tl" --help
check no-command 2 'usage' "$tl"
check unknown-command 2 "unknown command 'frob'" "$tl" frob
# Each subcommand has its own help, and an option it does not take is an
# error naming it (#14), never silently ignored.
check scan-help 0 'usage: timerlint scan .*FILE' "$tl" scan --help
check help-scan 0 'usage: timerlint scan .*FILE' "$tl" help scan
check runs-help 0 'usage: timerlint runs' "$tl" runs --help
check help-unknown 2 "unknown command 'frob'" "$tl" help frob
check runs-baseline 2 "option '--baseline' is not one 'runs' takes" "$tl" runs --baseline latest
check findings-jobs 2 "option '-j' is not one 'findings' takes" "$tl" findings -j2
check diff-strict 2 "option '--strict' is not one 'diff' takes" "$tl" diff --strict
check rules-db 2 "option '--db' is not one 'rules' takes" "$tl" rules --db x.db
check unknown-option 2 "unknown option '--frob'" tlscan --frob x.c
check no-files 2 'no files given' tlscan
check findings-exit 1 'missing-stop' tlscan "$good"

check missing-file 2 "error: $tmp/nope.c: No such file or directory" \
  tlscan "$tmp/nope.c" "$good"
still_reports missing-file
: >"$tmp/empty.c"
check empty-file 2 "error: $tmp/empty.c: file is empty" tlscan "$tmp/empty.c" "$good"
still_reports empty-file
printf 'ELF\0\0\1binary' >"$tmp/bin.c"
check binary-file 2 "error: $tmp/bin.c: not a text file" tlscan "$tmp/bin.c" "$good"
still_reports binary-file

# A missing header: libclang still yields a partial AST, which we analyse.
cat >"$tmp/partial.c" <<'C'
#include <time.h>
#include <signal.h>
#include "does_not_exist.h"
int leak(void) {
  timer_t t;
  if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
    return -1;
  return 0;
}
C
# A warning with the partial AST's findings (exit 1 for them), as a
# pre-commit hook without a build needs; --strict makes it an error.
check parse-errors 1 "warning: .*partial.c: 1 error while parsing .*does_not_exist.h' file not found.*analysed the partial AST.*--strict" \
  tlscan "$tmp/partial.c" "$good"
still_reports parse-errors
grep -q "partial.c:6:.*\[missing-stop\]" "$tmp/out" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL parse-errors: partial AST not analysed"; }
# Past clang's default limit of 20 errors: all counted, none taken for a
# rejected flag.
{ echo '#include "missing.h"'; for i in $(seq 30); do echo "int v$i = UNDECLARED_$i;"; done; } >"$tmp/many.c"
# (--no-prefilter: it names nothing timer-related, so it would be skipped)
check many-errors 0 "many.c: 31 errors while parsing" tlscan --no-prefilter "$tmp/many.c"
grep -q "flag.* ignored" "$tmp/err" && { fail=$((fail + 1)); echo "FAIL many-errors: the error limit taken for an ignored flag"; } || pass=$((pass + 1))
check parse-errors-strict 2 "error: .*partial.c: 1 error while parsing" \
  tlscan --strict "$tmp/partial.c" "$good"
still_reports parse-errors-strict

mkdir -p "$tmp/db"
echo '[{"directory": "/tmp", "file": ' >"$tmp/db/compile_commands.json"
check bad-cdb 2 "error: $tmp/db: no readable compile_commands.json" tlscan -p "$tmp/db"
check no-cdb 2 "no readable compile_commands.json" tlscan -p "$tmp/nodir"

# A compile database with one good and one missing entry.
mkdir -p "$tmp/proj"
cp "$good" "$tmp/proj/good.c"
cat >"$tmp/proj/compile_commands.json" <<J
[{"directory": "$tmp/proj", "file": "good.c", "arguments": ["cc", "-c", "good.c"]},
 {"directory": "$tmp/proj", "file": "gone.c", "arguments": ["cc", "-c", "gone.c"]}]
J
check cdb-missing-entry 2 "gone.c: No such file or directory" tlscan -p "$tmp/proj"
grep -q "good.c:61:.*\[missing-stop\]" "$tmp/out" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL cdb-missing-entry: good entry not analysed"; }

# Entries with gcc-only flags and a command line that cannot be split
# (#16 item 3: the database's own entry, by number; it said "libclang
# rejected its compile command" while libclang read the database): each is
# reported on its own line, the others are analysed.
mkdir -p "$tmp/bad"
for n in good flags quote; do cp "$good" "$tmp/bad/$n.c"; done
cat >"$tmp/bad/compile_commands.json" <<J
[{"directory": "$tmp/bad", "file": "good.c", "command": "cc -c good.c"},
 {"directory": "$tmp/bad", "file": "flags.c", "command": "gcc -c -fconserve-stack -mindirect-branch=thunk-extern flags.c"},
 {"directory": "$tmp/bad", "file": "quote.c", "command": "cc -c \\"-DX=unterminated quote.c"}]
J
check cdb-bad-entries 2 "bad/compile_commands.json:ENTRY 3: 'command' is empty or has an unterminated quote" tlscan -p "$tmp/bad"
grep -q "warning: $tmp/bad/flags.c: 2 compiler flags ignored (unknown argument: '-fconserve-stack')" "$tmp/err" &&
  [ "$(grep -c '\[missing-stop\]' "$tmp/out")" -eq 26 ] && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL cdb-bad-entries: flags.c or good.c not analysed"; sed 's/^/  | /' "$tmp/err"; }

# A malformed entry is skipped, said by its number; the rest is analysed
# and nothing of libclang's own noise reaches the user (#16 item 3). An
# empty database is a warning.
mkdir -p "$tmp/mal"
cp "$good" "$tmp/mal/good.c"
cat >"$tmp/mal/compile_commands.json" <<J
[{"directory": "$tmp/mal", "file": "good.c", "command": "/usr/bin/ccache cc -c good.c"},
 {"directory": "$tmp/mal", "arguments": ["cc", "-c", "x.c"]},
 {"directory": "$tmp/mal", "file": 7, "command": "cc -c y.c"},
 "not an entry"]
J
check cdb-malformed-entry 2 "mal/compile_commands.json:ENTRY 2: 'file' is missing or not a string" tlscan -p "$tmp/mal"
grep -q "good.c:61:.*\[missing-stop\]" "$tmp/out" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL cdb-malformed-entry: good.c not analysed"; }
grep -q "mal/compile_commands.json:ENTRY 3: 'file' is missing" "$tmp/err" &&
  grep -q "mal/compile_commands.json:ENTRY 4: " "$tmp/err" && ! grep -qi "libclang\|tooling" "$tmp/err" &&
  pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL cdb-malformed-entry: entries 3 and 4, or noise"; cat "$tmp/err"; }
mkdir -p "$tmp/emptydb" && echo '[]' >"$tmp/emptydb/compile_commands.json"
check cdb-empty 0 "warning: .*emptydb/compile_commands.json: the compile database lists no files" tlscan -p "$tmp/emptydb"

# Repository config: default flags for files without a compile database,
# excluded paths, an unknown key as a file:line:col error.
mkdir -p "$tmp/cfg/vendor"
cat >"$tmp/cfg/app.c" <<'C'
#include <signal.h>
#include <time.h>
int start(void) {
#ifdef WITH_TIMER
  timer_t t;
  if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
    return -1;
#endif
  return 0;
}
C
cp "$tmp/cfg/app.c" "$tmp/cfg/vendor/lib.c"
printf 'flags: [-DWITH_TIMER]\nexclude: ["vendor/*"]\nfail-on: none\n' >"$tmp/cfg/.timerlint.yaml"
(cd "$tmp/cfg" && "$tl" scan --no-db app.c vendor/lib.c >"$tmp/out" 2>"$tmp/err")
rc=$?
[ $rc -eq 0 ] && grep -q "app.c:6:.*\[missing-stop\]" "$tmp/out" && ! grep -q "vendor" "$tmp/out" &&
  pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL config: rc=$rc"; cat "$tmp/out" "$tmp/err"; }
printf 'flags: [-DX]\nexlude: [x]\n' >"$tmp/cfg/.timerlint.yaml"
(cd "$tmp/cfg" && "$tl" scan --no-db app.c >"$tmp/out" 2>"$tmp/err")
[ $? -eq 2 ] && grep -q "cfg/.timerlint.yaml:2:1: unknown key" "$tmp/err" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL config error"; cat "$tmp/err"; }

check no-rules-dir 2 "error: $tmp/norules: cannot open rules" tlscan --rules "$tmp/norules" "$good"
mkdir -p "$tmp/r1" "$tmp/r2" "$tmp/r3"
printf 'family: x\nkind: timer\nfunctions:\n  - name: f\n    role: strat\n    handle: arg0\n' >"$tmp/r1/x.yaml"
check bad-role 2 "error: $tmp/r1/x.yaml:5:11: unknown role 'strat'" tlscan --rules "$tmp/r1" "$good"
printf 'family: x\nkind: timer\nfunctions: [\n' >"$tmp/r2/x.yaml"
check bad-yaml 2 "error: $tmp/r2/x.yaml:[0-9]+:[0-9]+: " tlscan --rules "$tmp/r2" "$good"
printf 'family: x\nkind: timer\nfunctions:\n  - name: f\n    role: create\n    handle: ret\n' >"$tmp/r3/x.yaml"
check bad-handle 2 "x.yaml:6:13: expected argN or \\*argN, got 'ret'" tlscan --rules "$tmp/r3" "$good"

# A user family for a wrapper, added without recompiling.
mkdir -p "$tmp/wrap"
cat >"$tmp/wrap/mytimer.yaml" <<'Y'
family: mytimer
kind: timer
functions:
  - {name: my_timer_new, role: create, handle: return, fails-when: null}
  - {name: my_timer_free, role: release, handle: arg0}
Y
cat >"$tmp/wrap.c" <<'C'
struct my_timer;
struct my_timer *my_timer_new(int ms);
void my_timer_free(struct my_timer *t);
int poll_once(void);
int tick(void) {
  struct my_timer *t = my_timer_new(10);
  if (!t)
    return -1;
  if (poll_once() < 0)
    return -1;
  my_timer_free(t);
  return 0;
}
C
check user-family 1 "wrap.c:6:.*my_timer_free.*\[missing-stop\]" tlscan --rules "$tmp/wrap" "$tmp/wrap.c"
check user-family-rules 0 "my_timer_new +create" "$tl" rules --rules "$tmp/wrap"

# Rule files without repetition: the same family written with defaults, and
# with a merged group (<<: *name), gives the same findings as written out.
same_findings() { # name, rules dir: stdout equals the written-out family's
  tlscan --rules "$2" "$tmp/wrap.c" >"$tmp/out" 2>"$tmp/err"
  tlscan --rules "$tmp/wrap" "$tmp/wrap.c" >"$tmp/want" 2>/dev/null
  if [ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $1: findings differ from the written-out family"
    diff "$tmp/want" "$tmp/out" | sed 's/^/  | /' | head -8
    sed 's/^/  | /' "$tmp/err" | head -3
  fi
}
mkdir -p "$tmp/wrapd" "$tmp/wrapm" "$tmp/wrapo"
# handle applies to the release; fails-when to the create alone (a release
# takes none); the create's own handle wins over the default.
cat >"$tmp/wrapd/mytimer.yaml" <<'Y'
family: mytimer
kind: timer
defaults: {handle: arg0, fails-when: null}
functions:
  - {name: my_timer_new, role: create, handle: return}
  - {name: my_timer_free, role: release}
Y
same_findings rules-defaults "$tmp/wrapd"
# Without its own handle the create takes the default, arg0 (a constant):
# no object is tracked, so the finding above is the entry's override's.
sed 's/, handle: return}/}/' "$tmp/wrapd/mytimer.yaml" >"$tmp/wrapo/mytimer.yaml"
check rules-default-overridden 0 "0 findings" tlscan --rules "$tmp/wrapo" "$tmp/wrap.c"
# A group's keys are merged (<<: *made); the entry's own handle wins.
cat >"$tmp/wrapm/mytimer.yaml" <<'Y'
family: mytimer
kind: timer
functions:
  - name: my_timer_new
    <<: &made {role: create, handle: arg0, fails-when: null}
    handle: return
  - {name: my_timer_free, role: release, handle: arg0}
Y
same_findings rules-merge "$tmp/wrapm"
# Merged keys are the entry's own: one its role does not take is an error
# where it is written.
sed -i 's/{name: my_timer_free, /{name: my_timer_free, <<: *made, /' "$tmp/wrapm/mytimer.yaml"
check merged-key-wrong-role 2 "wrapm/mytimer.yaml:5:44: 'fails-when' means nothing for role 'release'" \
  tlscan --rules "$tmp/wrapm" "$tmp/wrap.c"

# One name per meaning: a retired spelling is an error naming the new one.
mkdir -p "$tmp/r4" "$tmp/r5" "$tmp/r6"
printf 'family: x\nkind: timer\nfunctions:\n  - name: f\n    role: create\n    handle: return\n    fires: false\n' >"$tmp/r4/x.yaml"
check retired-fires 2 "error: $tmp/r4/x.yaml:7:5: 'fires' is retired: use 'field-check'" tlscan --rules "$tmp/r4" "$good"
printf 'family: x\nkind: source\nfunctions: []\n' >"$tmp/r5/x.yaml"
check retired-kind-source 2 "error: $tmp/r5/x.yaml:2:7: kind 'source' is retired: use 'kind: timer'" tlscan --rules "$tmp/r5" "$good"
printf 'family: x\nkind: none\nteardown-names: [stop]\nfunctions: []\n' >"$tmp/r6/x.yaml"
check retired-teardown-names 2 "error: $tmp/r6/x.yaml:3:1: 'teardown-names' is retired: use 'teardown: \{names" tlscan --rules "$tmp/r6" "$good"
# kind: none is a family that makes no objects: a create in one is an error.
mkdir -p "$tmp/r7"
printf 'family: x\nkind: none\nfunctions:\n  - {name: f, role: create, handle: return}\n' >"$tmp/r7/x.yaml"
check kind-none-create 2 "error: $tmp/r7/x.yaml:4:5: 'f' makes an object, but family 'x' is kind none" tlscan --rules "$tmp/r7" "$good"
# A key the role does not take, and a default no entry takes, do nothing:
# errors, as unknown keys are.
mkdir -p "$tmp/r8" "$tmp/r9"
printf 'family: x\nkind: timer\nfunctions:\n  - {name: f, role: release, handle: arg0, arms: true}\n' >"$tmp/r8/x.yaml"
check key-wrong-role 2 "error: $tmp/r8/x.yaml:4:44: 'arms' means nothing for role 'release' \(it is for create\)" tlscan --rules "$tmp/r8" "$good"
printf 'family: x\nkind: timer\ndefaults: {handle: arg0, arms: true}\nfunctions:\n  - {name: f, role: release}\n' >"$tmp/r9/x.yaml"
check default-unused 2 "error: $tmp/r9/x.yaml:3:26: default 'arms' applies to no entry" tlscan --rules "$tmp/r9" "$good"
# when-param needs both its keys; disarm-when's null takes only true.
mkdir -p "$tmp/r11" "$tmp/r12"
printf 'family: x\nkind: timer\nfunctions:\n  - {name: f, role: release, handle: arg0, when-param: {arg: 0}}\n' >"$tmp/r11/x.yaml"
check when-param-incomplete 2 "error: $tmp/r11/x.yaml:4:56: 'when-param' needs both 'arg' and 'type'" tlscan --rules "$tmp/r11" "$good"
printf 'family: x\nkind: timer\nfunctions:\n  - {name: f, role: arm, handle: arg0, disarm-when: {arg: 1, null: false}}\n' >"$tmp/r12/x.yaml"
check disarm-null-false 2 "error: $tmp/r12/x.yaml:4:68: only 'null: true' is meaningful here" tlscan --rules "$tmp/r12" "$good"
# A refcounted item needs both its keys.
mkdir -p "$tmp/r13"
printf 'refcounted:\n  - {type: "struct _X"}\n' >"$tmp/r13/x.yaml"
check refcounted-incomplete 2 "error: $tmp/r13/x.yaml:2:5: a 'refcounted' item needs 'type' and 'unref'" tlscan --rules "$tmp/r13" "$good"
# A family's headers and pkg-config modules are lists of names.
mkdir -p "$tmp/r14"
printf 'family: x\nkind: timer\nheaders: x.h\nfunctions: []\n' >"$tmp/r14/x.yaml"
check headers-not-list 2 "error: $tmp/r14/x.yaml:3:10: 'headers' must be a list" tlscan --rules "$tmp/r14" "$good"
# Teardown words stand alone, with no family around them.
mkdir -p "$tmp/r10"
printf 'teardown:\n  names: [retire]\n  callbacks: [unplug]\n' >"$tmp/r10/x.yaml"
check teardown-words-alone 0 "^families:" "$tl" rules --rules "$tmp/r10"

# Hard to break (#16). Rule files: a duplicated key, a second document, a
# tag, a nesting too deep are errors, file:line:col, exit 2.
mkdir -p "$tmp/h1" "$tmp/h2" "$tmp/h3" "$tmp/h4"
printf 'family: x\nkind: timer\nfunctions:\n  - name: f\n    role: release\n    role: use\n    handle: arg0\n' >"$tmp/h1/x.yaml"
check rules-duplicate-key 2 "error: $tmp/h1/x.yaml:6:5: duplicate key 'role'" tlscan --rules "$tmp/h1" "$good"
printf 'family: x\nkind: timer\nfunctions: []\n---\nfamily: y\n' >"$tmp/h2/x.yaml"
check rules-two-documents 2 "error: $tmp/h2/x.yaml:4:1: a second YAML document" tlscan --rules "$tmp/h2" "$good"
printf 'family: !!binary eA==\nkind: timer\nfunctions: []\n' >"$tmp/h3/x.yaml"
check rules-tag 2 "error: $tmp/h3/x.yaml:1:9: tag 'tag:yaml.org,2002:binary'" tlscan --rules "$tmp/h3" "$good"
python3 -c "print('family: ' + '[' * 100000 + ']' * 100000)" >"$tmp/h4/x.yaml"
check rules-too-deep 2 "error: $tmp/h4/x.yaml:1:.*nested deeper than" timeout 20 "$tl" scan --no-db --rules "$tmp/h4" "$good"
# The repository config the same way.
mkdir -p "$tmp/cfg2"
cp "$tmp/cfg/app.c" "$tmp/cfg2/app.c"
printf 'flags: [-DWITH_TIMER]\nflags: [-DX]\n' >"$tmp/cfg2/.timerlint.yaml"
(cd "$tmp/cfg2" && "$tl" scan --no-db app.c >"$tmp/out" 2>"$tmp/err")
[ $? -eq 2 ] && grep -q "cfg2/.timerlint.yaml:2:1: duplicate key 'flags'" "$tmp/err" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL config duplicate key"; cat "$tmp/err"; }
printf 'flags: [-DWITH_TIMER]\n---\nfail-on: none\n' >"$tmp/cfg2/.timerlint.yaml"
(cd "$tmp/cfg2" && "$tl" scan --no-db app.c >"$tmp/out" 2>"$tmp/err")
[ $? -eq 2 ] && grep -q "cfg2/.timerlint.yaml:2:1: a second YAML document" "$tmp/err" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL config two documents"; cat "$tmp/err"; }
# Output that cannot be written is an error, not a lost report.
check stdout-full 2 "cannot write the report" sh -c "\"$tl\" scan --no-db \"$good\" >/dev/full"
# A FIFO (or any file that is not a regular file) is refused, not read.
mkfifo "$tmp/fifo.c"
check fifo 2 "fifo.c: not a regular file" timeout 20 "$tl" scan --no-db "$tmp/fifo.c" "$good"
still_reports fifo

# Each diagnostic line is one write: with -j 2, workers' lines never tear.
mkdir -p "$tmp/tear"
for n in $(seq 1 60); do
  printf '#include "gone_%d.h"\nint f%d(void) { return undeclared_%d_with_a_rather_long_name_to_make_the_line_longer(); }\n' "$n" "$n" "$n" >"$tmp/tear/f$n.c"
  : >"$tmp/tear/e$n.c"
done
(cd "$tmp/tear" && "$tl" scan --no-db --no-prefilter -j 2 [ef]*.c >"$tmp/out" 2>"$tmp/err")
torn=$(grep -v '^\[[0-9]*/[0-9]* TUs\]' "$tmp/err" | grep -cv '^timerlint: ')
whole=$(( $(grep -c '^timerlint: warning: f[0-9]*\.c: [0-9]* errors* while parsing .*strict makes this an error)$' "$tmp/err") +
          $(grep -c '^timerlint: error: e[0-9]*\.c: file is empty$' "$tmp/err") ))
if [ "$torn" -eq 0 ] && [ "$whole" -eq 120 ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL torn-lines: $torn torn, $whole of 120 whole"; grep -v '^timerlint: ' "$tmp/err" | head -3
fi

# Text that is not UTF-8 (#16 item 5): JSON and SARIF stay valid UTF-8
# (invalid bytes replaced at the writer); a file name with a newline or an
# escape character forges no line and no terminal sequence in text output.
mkdir -p "$tmp/enc"
latin="$tmp/enc/lat$(printf '\351').c"
printf '#include <time.h>\n#include <signal.h>\n#include <string.h>\nint f(const char *s)\n{\n    timer_t t;\n    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n        return -1;\n    if (strcmp(s, "caf\351") == 0)\n        return 1;\n    timer_delete(t);\n    return 0;\n}\n' >"$latin"
for fmt in json sarif; do
  "$tl" scan --no-db -q --format $fmt "$latin" -- >"$tmp/out" 2>"$tmp/err"
  if python3 -c "import sys, json; json.loads(open(sys.argv[1], 'rb').read().decode('utf-8'))" "$tmp/out" &&
     grep -q 'caf' "$tmp/out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL $fmt not UTF-8 or not JSON"; head -c 300 "$tmp/out"
  fi
done
"$tl" scan --no-db -q "$latin" -- >"$tmp/out" 2>"$tmp/err"
grep -q "$(printf 'caf\351')" "$tmp/out" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL text output keeps the original bytes"; }
forged="$tmp/enc/x"$'\n'"src.c:1:1: warning: forged [missing-stop]"$'\033'"[2J.c"
cp "$latin" "$forged"
"$tl" scan --no-db -q "$forged" -- >"$tmp/out" 2>"$tmp/err"
if ! grep -q '^src.c:1:1: warning: forged' "$tmp/out" && ! grep -q "$(printf '\033')" "$tmp/out" "$tmp/err" &&
   [ "$(grep -c 'warning: ' "$tmp/out")" -eq 1 ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL a file name forges a line or an escape"; cat -v "$tmp/out" | head -5
fi

# Reading what you cannot write (#16 item 6): runs, findings and diff work
# on a database in a directory this user may not write; a scan says what
# it cannot write.
mkdir -p "$tmp/ro"
cp "$good" "$tmp/ro/a.c"
(cd "$tmp/ro" && git init -q && "$tl" scan -q a.c -- >/dev/null 2>&1)
chmod 755 "$tmp"; chmod -R a+rX "$tmp/ro"; chmod -R a-w "$tmp/ro/.timerlint"
as_reader() {
  if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
  else
    "$@"
  fi
}
for c in runs findings "diff 1 1"; do
  (cd "$tmp/ro" && as_reader "$tl" $c >"$tmp/out" 2>"$tmp/err")
  rc=$?
  if [ $rc -le 1 ] && [ -s "$tmp/out" ] && ! grep -q "error" "$tmp/err"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL read-only $c: exit $rc"; head -3 "$tmp/err"
  fi
done
(cd "$tmp/ro" && as_reader "$tl" scan -q a.c -- >"$tmp/out" 2>"$tmp/err")
[ $? -eq 2 ] && grep -q "findings.db: cannot" "$tmp/err" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL read-only scan"; head -3 "$tmp/err"; }
chmod -R u+w "$tmp/ro"

# Pathological input (#16 item 2): a 20,000-term expression, which clang
# accepts, must not overflow the worker's stack: the TU is analysed, its
# other functions' findings are reported.
python3 - "$tmp/deep.c" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("#include <signal.h>\n#include <time.h>\n")
    f.write("int leak(void)\n{\n    timer_t t;\n    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n        return -1;\n    return 0;\n}\n")
    f.write("int sum(int v)\n{\n    return " + "+".join(["v"] * 20000) + ";\n}\n")
PY
check deep-expression 1 "deep.c:6:9: warning: .*\[missing-stop\]" tlscan "$tmp/deep.c" --

# A function past the work budget (400 timers created one after another in
# one 9,600-line function) reports nothing, says so, and the file's other
# functions are analysed as usual.
python3 - "$tmp/huge.c" <<'PY'
import sys
n = 400
with open(sys.argv[1], "w") as f:
    f.write("#include <signal.h>\n#include <time.h>\nextern int cond(int);\n")
    f.write("int leak(void)\n{\n    timer_t t;\n    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)\n        return -1;\n    return 0;\n}\n")
    f.write("int huge(void)\n{\n")
    for i in range(n):
        f.write(f"    timer_t t{i};\n")
    for i in range(n):
        f.write(f"    if (timer_create(CLOCK_MONOTONIC, NULL, &t{i}) != 0)\n        return -1;\n")
        for k in range(20):
            f.write(f"    if (cond({k})) cond({i});\n")
    for i in range(n):
        f.write(f"    timer_delete(t{i});\n")
    f.write("    return 0;\n}\n")
PY
check work-budget 1 "warning: .*huge.c: huge\(\): too large to analyse within the work budget" tlscan "$tmp/huge.c" --
[ "$(grep -c 'warning: ' "$tmp/out")" -eq 1 ] && grep -q "huge.c:7:9: warning: .*\[missing-stop\]" "$tmp/out" &&
  pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL work-budget: the other function"; head -3 "$tmp/out"; }

# Installed (#14): cmake --install puts the binary and its rule files
# where the binary looks (BIN/../share/timerlint/rules), so a relocated
# installation scans with its own rules; rules that are not there, or hold
# no family, are an error, never a scan that finds nothing.
if cmake --install "$(dirname "$tl")" --prefix "$tmp/inst" >/dev/null 2>&1; then
  # With the man page, the completions and the documents (#14).
  for f in share/man/man1/timerlint.1 share/bash-completion/completions/timerlint \
           share/zsh/site-functions/_timerlint share/doc/timerlint/README.md \
           share/doc/timerlint/CHANGELOG.md; do
    [ -s "$tmp/inst/$f" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL installed $f"; }
  done
  mv "$tmp/inst" "$tmp/moved"
  (cd "$tmp" && "$tmp/moved/bin/timerlint" rules >"$tmp/out" 2>&1)
  grep -q "from $tmp/moved/bin/../share/timerlint/rules/pthread.yaml" "$tmp/out" &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL installed rules"; head -3 "$tmp/out"; }
  check installed-scan 1 "missing-stop-errpath.c:61:.*\[missing-stop\]" "$tmp/moved/bin/timerlint" scan --no-db "$good" --
  mkdir -p "$tmp/norule"
  check rules-none 2 "no rule families in it" env TIMERLINT_RULES="$tmp/norule" "$tmp/moved/bin/timerlint" scan --no-db "$good" --
else
  fail=$((fail + 1)); echo "FAIL cmake --install"
fi

# Rule selection as clang-tidy's --checks (#14): globs in order, '-' turns
# off; on the command line or as checks: in .timerlint.yaml. A glob that
# names no rule is an error (a typo must not silence a gate).
check checks-off 0 "" tlscan --checks='-*,missing-join' "$good" --
[ ! -s "$tmp/out" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL checks-off printed findings"; }
check checks-on 1 "missing-stop-errpath.c:61:.*\[missing-stop\]" tlscan --checks='-*,missing-*' "$good" --
check checks-typo 2 "--checks: 'missng-stop' names no rule" tlscan --checks='-missng-stop' "$good" --
mkdir -p "$tmp/cfg3"
cp "$good" "$tmp/cfg3/g.c"
printf 'checks: "-missing-stop"\n' >"$tmp/cfg3/.timerlint.yaml"
(cd "$tmp/cfg3" && "$tl" scan --no-db g.c -- >"$tmp/out" 2>"$tmp/err")
[ $? -eq 0 ] && [ ! -s "$tmp/out" ] && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL checks: in .timerlint.yaml"; head -3 "$tmp/err"; }

# Crash isolation: one worker crashes (SIGSEGV), one hangs past
# --tu-timeout, through the test-only hooks; the other TUs still report.
mkdir -p "$tmp/iso"
for n in a crashme b hangme c; do cp "$good" "$tmp/iso/$n.c"; done
TIMERLINT_TEST_CRASH=crashme TIMERLINT_TEST_HANG=hangme \
  check crash-isolation 2 "crashme.c: analysis crashed \(signal 11" \
  tlscan -j 2 --tu-timeout 2 "$tmp/iso/a.c" "$tmp/iso/crashme.c" "$tmp/iso/b.c" "$tmp/iso/hangme.c" "$tmp/iso/c.c"
grep -q "hangme.c: analysis timed out after 2s" "$tmp/err" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL crash-isolation: no timeout reported"; }
n=$(grep -c "\[missing-stop\]" "$tmp/out")
for f in a b c; do
  grep -q "iso/$f.c:61:.*\[missing-stop\]" "$tmp/out" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL crash-isolation: $f.c not reported"; }
done
grep -q "5 translation units: 3 parsed, 0 reused, 2 failed" "$tmp/err" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL crash-isolation summary: $(tail -1 "$tmp/err")"; }

# The pre-commit framework runs the repository's hook on a staged change;
# it fails on the finding in the touched function only.
mkdir -p "$tmp/pc" && cp "$good" "$tmp/pc/a.c"
(cd "$tmp/pc" && git init -q && git add a.c &&
  git -c user.name=t -c user.email=t@t commit -qm a && sed -i '61s/$/ \/\/ touched/' a.c && git add a.c)
(cd "$tmp/pc" && PATH="$(dirname "$tl"):$PATH" PRE_COMMIT_HOME="$tmp/pch" \
  pre-commit try-repo --ref HEAD "$src" timerlint >"$tmp/out" 2>&1)
if [ $? -ne 0 ] && grep -q "a.c:61:9: warning: .*\[missing-stop\]" "$tmp/out" &&
   [ "$(grep -c 'warning:' "$tmp/out")" -eq 1 ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL pre-commit hook"; sed 's/^/  | /' "$tmp/out" | tail -8
fi

# No database and a project header nobody has: a harmless change passes
# the hook (a warning, no exit 2); a real new finding in that file fails it.
mkdir -p "$tmp/pc2"
cat >"$tmp/pc2/svc.c" <<'EOF'
#include <pthread.h>
#include "svc_private.h"

static void *svc_run(void *arg)
{
    return arg;
}

int svc_start(struct svc *s)
{
    pthread_t th;

    if (pthread_create(&th, NULL, svc_run, s) != 0)
        return SVC_ERR;
    pthread_join(th, NULL);
    return SVC_OK;
}
EOF
(cd "$tmp/pc2" && git init -q && git add svc.c &&
  git -c user.name=t -c user.email=t@t commit -qm a &&
  sed -i '10s/$/ \/* comment only *\//' svc.c && git add svc.c)
(cd "$tmp/pc2" && PATH="$(dirname "$tl"):$PATH" PRE_COMMIT_HOME="$tmp/pch" \
  pre-commit try-repo --ref HEAD "$src" timerlint >"$tmp/out" 2>&1)
if [ $? -eq 0 ] && ! grep -q '\[missing-' "$tmp/out"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL pre-commit harmless change without a database"; sed 's/^/  | /' "$tmp/out" | tail -8
fi
(cd "$tmp/pc2" && sed -i '/pthread_join/d' svc.c && git add svc.c &&
  PATH="$(dirname "$tl"):$PATH" PRE_COMMIT_HOME="$tmp/pch" \
  pre-commit try-repo --ref HEAD "$src" timerlint >"$tmp/out" 2>&1)
if [ $? -ne 0 ] && grep -q "svc.c:13:9: warning: .*\[missing-join\]" "$tmp/out"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL pre-commit real finding without a database"; sed 's/^/  | /' "$tmp/out" | tail -8
fi

# pre-commit run --all-files scans every file, not only staged changes:
# a clean tree with findings in two files fails the hook with both.
mkdir -p "$tmp/pc3" && cp "$good" "$tmp/pc3/a.c" && cp "$good" "$tmp/pc3/b.c"
(cd "$tmp/pc3" && git init -q && git add a.c b.c &&
  git -c user.name=t -c user.email=t@t commit -qm a)
(cd "$tmp/pc3" && PATH="$(dirname "$tl"):$PATH" PRE_COMMIT_HOME="$tmp/pch" \
  pre-commit try-repo --ref HEAD "$src" timerlint --all-files >"$tmp/out" 2>&1)
if [ $? -ne 0 ] && grep -q "a.c:61:9: warning: .*\[missing-stop\]" "$tmp/out" &&
   grep -q "b.c:61:9: warning: .*\[missing-stop\]" "$tmp/out"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL pre-commit --all-files"; sed 's/^/  | /' "$tmp/out" | tail -8
fi

# A hook that finds no timerlint on PATH says how to install it.
(cd "$tmp/pc3" && PATH="/usr/bin:/bin" PRE_COMMIT_HOME="$tmp/pch" \
  pre-commit try-repo --ref HEAD "$src" timerlint --all-files >"$tmp/out" 2>&1)
if [ $? -ne 0 ] && grep -q "timerlint is not on PATH" "$tmp/out" &&
   grep -q "apt-get install ./timerlint_" "$tmp/out" &&
   grep -q "cmake --install" "$tmp/out"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL pre-commit without timerlint on PATH"; sed 's/^/  | /' "$tmp/out" | tail -8
fi

# The default store stays out of the repository: a scan in a fresh clone
# leaves git status clean of it, while .timerlint/rules stays committable.
mkdir -p "$tmp/gi/.timerlint/rules" && cp "$good" "$tmp/gi/a.c"
printf 'family: none-here\nkind: none\nfunctions: []\n' >"$tmp/gi/.timerlint/rules/w.yaml"
(cd "$tmp/gi" && git init -q && "$tl" scan -q a.c >/dev/null 2>&1)
st=$(cd "$tmp/gi" && git status --porcelain --untracked-files=all)
if [ -f "$tmp/gi/.timerlint/findings.db" ] && ! printf '%s\n' "$st" | grep -q 'findings.db\|\.timerlint/\.gitignore' &&
   printf '%s\n' "$st" | grep -q '\.timerlint/rules/w.yaml'; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL the default store is ignored by git"; printf '%s\n' "$st" | sed 's/^/  | /'
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
