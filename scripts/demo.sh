#!/bin/sh
# The README's first command: install, build, and show ikeroam working.
# (The live tunnel against a local strongSwan gateway replaces the body
# of this script once the first-tunnel work lands.)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh
scripts/build.sh build
build/ikeroam --version
echo "--- ESP engine throughput (tests/bench/esp_bench)"
build/tests/bench/esp_bench
