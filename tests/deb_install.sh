#!/usr/bin/env bash
# deb_install.sh BUILD_DIR: the .deb that `cpack -G DEB` makes from
# BUILD_DIR installs, works from anywhere and removes cleanly (#14).
#
# Builds the package into a temporary directory (the build tree is not
# touched), checks its fields (Version is the VERSION file; Depends names
# the package of every library the binary links, and the one holding
# clang's builtin headers), installs it with apt-get (so Depends must
# resolve), runs /usr/bin/timerlint on a copy of examples/demo from another
# directory and expects the build tree's findings, line for line, then
# dpkg -r and expects every installed file gone. It changes the system, so
# it runs only as root with dpkg, and not when a timerlint package or a
# /usr/bin/timerlint is there already; it says SKIP otherwise. A failed
# check still removes the package.
set -euo pipefail
build=$(realpath "${1:-build}")
src=$(realpath "$(dirname "$0")/..")
unset TIMERLINT_RULES # the installed binary must find its own
skip() { echo "SKIP deb_install: $*"; exit 0; }
fail() { echo "FAIL deb_install: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "not root (it installs a package)"
command -v dpkg >/dev/null && command -v apt-get >/dev/null || skip "no dpkg/apt-get"
[ -f "$build/CPackConfig.cmake" ] || fail "$build/CPackConfig.cmake: configure $build first"
if dpkg-query -W -f='${Status}' timerlint 2>/dev/null | grep -q "ok installed"; then
  skip "a timerlint package is installed already: not replacing it"
fi
[ ! -e /usr/bin/timerlint ] || skip "/usr/bin/timerlint exists and is no package's"

# One run at a time on this machine (two would remove each other's).
exec 9>/tmp/timerlint-deb_install.lock
flock 9
tmp=$(mktemp -d)
installed=0
cleanup() {
  [ "$installed" -eq 0 ] || dpkg -r timerlint >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
start=$SECONDS
version=$(cat "$src/VERSION")

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
debs=("$tmp"/pkg/timerlint_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "cpack made no timerlint_*.deb: ${debs[*]}"
deb=${debs[0]}
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = timerlint ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), VERSION says $version"
for f in Maintainer Homepage Description Section; do
  [ -n "$(field "$f")" ] || fail "no $f field"
done
depends=$(field Depends)
echo "deb_install: $(basename "$deb"): Depends: $depends"

# Every library the binary needs comes from a package Depends names.
pkg_of() { # dpkg knows a file by one of its names (merged /usr: /lib or /usr/lib)
  local r p
  r=$(realpath "$1")
  for p in "$1" "$r" "${r#/usr}" "/usr$1"; do
    dpkg -S "$p" 2>/dev/null | head -1 | cut -d: -f1 | grep . && return 0
  done
  return 0
}
names=$(echo "$depends" | tr ',|' '\n\n' | sed 's/(.*)//; s/^ *//; s/ *$//')
needs=$(readelf -d "$build/timerlint" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for lib in $needs; do
  path=$(ldd "$build/timerlint" | awk -v l="$lib" '$1 == l { print $3 }')
  pkg=$(pkg_of "$path")
  [ -n "$pkg" ] || fail "$lib ($path) belongs to no package"
  echo "$names" | grep -qx "$pkg" || fail "links $lib from $pkg, which Depends does not name"
done
hdr=/usr/lib/llvm-19/lib/clang/19/include/__stddef_size_t.h
echo "$names" | grep -qx "$(pkg_of "$hdr")" ||
  fail "clang's builtin headers ($(pkg_of "$hdr")) are not in Depends"

# What it holds.
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$tmp/contents"
for f in ./usr/bin/timerlint ./usr/share/timerlint/rules/pthread.yaml \
         ./usr/share/man/man1/timerlint.1 \
         ./usr/share/bash-completion/completions/timerlint \
         ./usr/share/zsh/site-functions/_timerlint \
         ./usr/share/doc/timerlint/README.md ./usr/share/doc/timerlint/CHANGELOG.md; do
  grep -qx -- "$f" "$tmp/contents" || fail "the package has no $f"
done

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o DPkg::Lock::Timeout=120 "$deb" >"$tmp/apt.log" 2>&1 ||
  { cat "$tmp/apt.log"; fail "apt-get install $deb"; }
installed=1
[ "$(/usr/bin/timerlint --version)" = "timerlint $version" ] ||
  fail "/usr/bin/timerlint --version: $(/usr/bin/timerlint --version)"
if command -v man >/dev/null; then
  [ "$(man -w timerlint 2>/dev/null)" = /usr/share/man/man1/timerlint.1 ] ||
    fail "man -w timerlint: $(man -w timerlint 2>&1)"
fi
bash --norc -c 'source /usr/share/bash-completion/completions/timerlint && complete -p timerlint' \
  >/dev/null || fail "the installed bash completion does not register"

# The demo, copied, scanned from another directory: its own rules
# (/usr/share/timerlint/rules) and clang's headers, as the build tree's
# binary finds them.
cp -r "$src/examples/demo" "$tmp/demo"
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
set +e
/usr/bin/timerlint scan "$tmp"/demo/*.c >"$tmp/installed.out" 2>"$tmp/installed.err"
rc=$?
"$build/timerlint" scan --no-db "$tmp"/demo/*.c >"$tmp/tree.out" 2>/dev/null
set -e
[ "$rc" -eq 1 ] || { cat "$tmp/installed.err"; fail "installed scan of the demo: exit $rc, want 1"; }
finding=': (error|warning|note): .*\[[a-z0-9-]+\]$' # any level
n=$(grep -cE "$finding" "$tmp/installed.out" || true)
want=$(grep -cE "$finding" "$tmp/tree.out" || true)
[ "$n" -eq 11 ] && [ "$n" -eq "$want" ] ||
  fail "installed: $n findings, build tree: $want"
diff "$tmp/tree.out" "$tmp/installed.out" >/dev/null ||
  { diff "$tmp/tree.out" "$tmp/installed.out" | head; fail "installed findings differ"; }
# Into a file first: `grep -q` stops reading at its match, and under pipefail
# the listing's SIGPIPE then fails the pipeline (it did once the listing grew).
/usr/bin/timerlint rules >"$tmp/rules.out" 2>&1 || true
grep -q "from /usr/bin/../share/timerlint/rules/pthread.yaml" "$tmp/rules.out" ||
  fail "installed timerlint does not load /usr/share/timerlint/rules"
/usr/bin/timerlint runs >/dev/null || fail "installed timerlint runs (the store in $PWD)"
# A header only clang's resource directory has, parsed without an error.
printf '#include <__stddef_size_t.h>\n#include <stdatomic.h>\nsize_t n;\n' >"$tmp/builtin.c"
/usr/bin/timerlint scan --no-db --strict -q "$tmp/builtin.c" -- 2>"$tmp/builtin.err" ||
  { cat "$tmp/builtin.err"; fail "installed timerlint does not find clang's builtin headers"; }

dpkg -r timerlint >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log"; fail "dpkg -r timerlint"; }
installed=0
for f in /usr/bin/timerlint /usr/share/timerlint /usr/share/man/man1/timerlint.1 \
         /usr/share/bash-completion/completions/timerlint \
         /usr/share/zsh/site-functions/_timerlint /usr/share/doc/timerlint; do
  [ ! -e "$f" ] || fail "$f is still there after dpkg -r"
done
echo "deb_install: passed: $n findings installed and in the build tree; installed, ran, removed in $((SECONDS - start)) s"
