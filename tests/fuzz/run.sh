#!/bin/bash
# Run every libFuzzer target of a fuzzing build for a bounded time each:
#   tests/fuzz/run.sh BUILD_DIR SECONDS [JOBS]
# Targets run JOBS at a time (default: the number of CPUs), each on one
# core for SECONDS.  Seeds come from tests/fuzz/corpus/<target>/ and are
# copied to a scratch directory, so the run never writes into the tree.
# Results print in the targets' order.  Exit 1 on a finding.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
secs=${2:-60}
jobs=${3:-$(nproc)}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0
fail=0

# one NAME BIN: run one target; its verdict goes to $scratch/NAME.rc.
one() {
	local name=$1 bin=$2 rc
	mkdir -p "$scratch/$name" "$scratch/$name-artifacts"
	[ -d "$top/tests/fuzz/corpus/$name" ] &&
		cp "$top/tests/fuzz/corpus/$name"/* "$scratch/$name/" 2>/dev/null
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$scratch/$name-artifacts/" \
	    "$scratch/$name" >"$scratch/$name.log" 2>&1
	rc=$?
	echo "$rc" >"$scratch/$name.rc"
}

names=()
running=0
for bin in "$build"/tests/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin" | sed 's/^fuzz_//')
	names+=("$name")
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	one "$name" "$bin" &
	running=$((running + 1))
done
wait

for name in "${names[@]}"; do
	if [ "$(cat "$scratch/$name.rc" 2>/dev/null)" = 0 ]; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$name.log")
		echo "PASS: fuzz_$name ($secs s, ${runs:-?} runs, no finding)"
		pass=$((pass + 1))
	else
		echo "FAIL: fuzz_$name"
		tail -40 "$scratch/$name.log"
		for a in "$scratch/$name-artifacts"/*; do
			[ -f "$a" ] && echo "reproducer (hex): $(od -An -tx1 -v "$a" | tr -d ' \n' | head -c 2000)"
		done
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
