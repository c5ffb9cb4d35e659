#!/usr/bin/env bash
# Runs every test: the suite, then the same suite built with ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
cmake -S . -B build -DTIMERLINT_WERROR=ON >/dev/null
cmake --build build -j"$jobs" >/dev/null
(cd build && ctest -j"$jobs" --output-on-failure)
# The .deb, built, installed, run and removed once: only as root with dpkg
# (it says SKIP otherwise), never under ASan.
tests/deb_install.sh build
cmake -S . -B build-asan -DTIMERLINT_SANITIZE=ON -DTIMERLINT_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
(cd build-asan && ctest -j"$jobs" --output-on-failure)
