#!/usr/bin/env bash
# fetch-corpus.sh PKG...: real code for benchmarks and precision readings.
# Downloads Debian source packages through a deb-src entry into
# bench/corpus/PKG (never committed: .gitignore), builds each with bear to
# get compile_commands.json. Idempotent: a package already built is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus="$here/corpus"
mkdir -p "$corpus"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

# Source entries are derived from the machine's own binary entries (same
# URIs, suites, components and keys; only the type changes), so the script
# names no mirror and works on whichever one the machine uses.
src=/etc/apt/sources.list.d/timerlint-deb-src
debsrc_stanzas() { # deb822 files: copy each stanza whose Types has deb
  awk 'BEGIN { RS = ""; ORS = "\n\n" }
       /(^|\n)Types:[^\n]*(^|[ \t])deb([ \t]|\n|$)/ {
         sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$@"
}
debsrc_lines() { # one-line files: deb [opts] URI SUITE COMP... -> deb-src
  sed -n 's/^[[:space:]]*deb\([[:space:]]\)/deb-src\1/p' "$@"
}
if ! grep -rqs '^[[:space:]]*\(Types:.*\)\?deb-src' /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null; then
  shopt -s nullglob
  deb822=(/etc/apt/sources.list.d/*.sources)
  oneline=(/etc/apt/sources.list.d/*.list)
  shopt -u nullglob
  [ ! -f /etc/apt/sources.list ] || oneline+=(/etc/apt/sources.list)
  stanzas="" lines=""
  [ ${#deb822[@]} -eq 0 ] || stanzas=$(debsrc_stanzas "${deb822[@]}")
  [ ${#oneline[@]} -eq 0 ] || lines=$(debsrc_lines "${oneline[@]}")
  [ -n "$stanzas$lines" ] || { echo "fetch-corpus: no deb entries to derive deb-src from" >&2; exit 2; }
  [ -z "$stanzas" ] || printf '%s\n' "$stanzas" | $sudo tee "$src.sources" >/dev/null
  [ -z "$lines" ] || printf '%s\n' "$lines" | $sudo tee "$src.list" >/dev/null
  $sudo apt-get update -qq
fi
command -v dpkg-source >/dev/null && command -v bear >/dev/null ||
  $sudo apt-get install -y -qq dpkg-dev bear >/dev/null

status=0
for pkg in "$@"; do
  dir="$corpus/$pkg"
  if [ -f "$dir/compile_commands.json" ]; then
    echo "fetch-corpus: $pkg: already there"
    continue
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  if ! (cd "$dir" && apt-get source -qq "$pkg" >"$dir/.fetch.log" 2>&1); then
    echo "fetch-corpus: $pkg: apt-get source failed: $(grep -m1 '^E:' "$dir/.fetch.log")" >&2
    status=2
    continue
  fi
  tree=$(find "$dir" -mindepth 1 -maxdepth 1 -type d | head -n1)
  [ -n "$tree" ] || { echo "fetch-corpus: $pkg: no source unpacked" >&2; status=2; continue; }
  $sudo apt-get build-dep -y -qq "$pkg" >/dev/null 2>&1 ||
    echo "fetch-corpus: $pkg: some build dependencies missing" >&2
  (
    cd "$tree"
    if [ -f wpa_supplicant/defconfig ]; then # hostap: no configure, a .config per program
      for prog in wpa_supplicant hostapd; do
        cp "$prog/defconfig" "$prog/.config"
      done
      bear --output "$dir/compile_commands.json" -- sh -c \
        'make -k -j"$(nproc)" -C wpa_supplicant; make -k -j"$(nproc)" -C hostapd' >/dev/null 2>&1 || true
      exit 0
    fi
    [ -x configure ] || [ ! -x bootstrap ] || ./bootstrap >/dev/null 2>&1 || true
    if [ -x configure ]; then ./configure >/dev/null 2>&1 || true
    elif [ -f autogen.sh ]; then (sh autogen.sh && ./configure) >/dev/null 2>&1 || true
    elif [ -f meson.build ]; then meson setup _b >/dev/null 2>&1 || true
    fi
    if [ -d _b ]; then bear --output "$dir/compile_commands.json" -- ninja -C _b >/dev/null 2>&1 || true
    else bear --output "$dir/compile_commands.json" -- make -k -j"$(nproc)" >/dev/null 2>&1 || true
      # automake test programs too (built, not run): real code that uses
      # the library the way its users do (libuv's test/ is most of libuv1).
      if grep -qs '^check:' Makefile; then
        bear --append --output "$dir/compile_commands.json" -- \
          make -k -j"$(nproc)" check TESTS= >/dev/null 2>&1 || true
      fi
    fi
  )
  n=$(grep -cs '"file"' "$dir/compile_commands.json" || true)
  echo "fetch-corpus: $pkg: ${n:-0} compile commands in $dir"
  ln -sfn "$(basename "$tree")" "$dir/src"
done
exit "$status"
