#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds timerlint, scans the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(cmake make gcc pkg-config python3 llvm-19-dev libclang-19-dev
      libclang-common-19-dev libyaml-dev libsqlite3-dev libjson-c-dev zlib1g-dev git
      g++ pre-commit chromium python3-jsonschema clang libclang-rt-14-dev
      libuv1-dev libevent-dev libglib2.0-dev libsystemd-dev qtbase5-dev
      libasio-dev libpulse-dev libavahi-common-dev libell-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cmake -S . -B build -DTIMERLINT_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "== timerlint scan examples/demo/*.c"
set +e
./build/timerlint scan examples/demo/*.c
rc=$?
set -e
# 1 means "findings": the demo is full of bugs on purpose.
[ "$rc" -eq 1 ] || { echo "demo scan: unexpected exit $rc" >&2; exit 1; }
