#!/usr/bin/env bash
# run.sh SRCDIR SECONDS [TARGET...]: builds the libFuzzer targets of the
# loaders (rules, the checked YAML loader, compile databases) with clang's
# -fsanitize=fuzzer,address,undefined and runs each for SECONDS on its
# seed corpus (tests/fuzz/seeds/TARGET, plus the project's own files).
# A crash, a leak or a sanitizer report fails. Without a clang that has
# libFuzzer, says so and passes (the suite's other tests still run).
set -u
src=$(realpath "$1") secs=$2
shift 2
targets=${*:-rules config cdb}
cc=${FUZZ_CC:-clang}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }' >"$out/probe.c"
if ! "$cc" -fsanitize=fuzzer "$out/probe.c" -o "$out/probe" 2>/dev/null; then
  echo "skip: $cc cannot build libFuzzer targets (install clang and libclang-rt-dev)"
  exit 0
fi
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$src/analyzer" -DTIMERLINT_VERSION='"fuzz"')
util="$src/analyzer/util/util.c"
ir=$(ls "$src"/analyzer/ir/*.c)
rules="$src/analyzer/rules/rules.c $src/analyzer/rules/file.c $src/analyzer/rules/entry.c
       $src/analyzer/rules/keys.c $src/analyzer/rules/yamlload.c"
declare -A srcs=(
  [rules]="$src/tests/fuzz/fuzz_rules.c $rules $ir $util"
  [config]="$src/tests/fuzz/fuzz_config.c $src/analyzer/rules/yamlload.c $util"
  [cdb]="$src/tests/fuzz/fuzz_cdb.c $src/analyzer/cli/cdb.c $util"
)
declare -A libs=([rules]="-lyaml" [config]="-lyaml" [cdb]="-ljson-c")
rc=0
for t in $targets; do
  # shellcheck disable=SC2086
  if ! "$cc" "${flags[@]}" ${srcs[$t]} ${libs[$t]} -o "$out/fuzz_$t" 2>"$out/build_$t.log"; then
    echo "FAIL fuzz_$t: does not build"; head -20 "$out/build_$t.log"; rc=1; continue
  fi
  corpus="$out/corpus_$t"
  mkdir -p "$corpus"
  [ -d "$src/tests/fuzz/seeds/$t" ] && cp "$src/tests/fuzz/seeds/$t"/* "$corpus/" 2>/dev/null
  case $t in
    rules|config) cp "$src"/rules/*.yaml "$corpus/" ;;
    cdb) cp "$src"/tests/fuzz/seeds/cdb/* "$corpus/" 2>/dev/null ;;
  esac
  ASAN_OPTIONS=detect_leaks=1 "$out/fuzz_$t" -max_total_time="$secs" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" >"$out/run_$t.log" 2>&1
  r=$?
  stats=$(grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$out/run_$t.log" | tr '\n' ' ')
  cov=$(grep -oE "cov: [0-9]+" "$out/run_$t.log" | tail -1)
  if [ $r -ne 0 ]; then
    echo "FAIL fuzz_$t (exit $r): $stats"; grep -A20 -E "ERROR|SUMMARY|Sanitizer|runtime error" "$out/run_$t.log" | head -40
    rc=1
  else
    echo "ok fuzz_$t: ${secs}s, $cov, $stats"
  fi
done
exit $rc
