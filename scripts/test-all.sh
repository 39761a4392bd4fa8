#!/bin/sh
# Everything CI runs, on a fresh Debian 12 machine as root:
#   1. install build dependencies          (scripts/deps.sh)
#   2. unit tests, warnings as errors      (build/,      make check)
#   3. unit tests under ASan + UBSan       (build-asan/, make check)
#   4. every fuzz target, bounded time     (build-fuzz/, tests/fuzz/run.sh)
#   5. benchmarks, figures only            (tests/bench/)
#   6. interop against real peers          (make check-interop), as root
#   7. tunnel benchmark, figures only       (tests/bench/tunnel_bench.sh)
#   8. roaming benchmark, figures only      (tests/bench/roam_bench.sh)
#   9. the .deb: build, lintian, install, demo tunnel with the installed
#      program, purge                      (tests/pkg/deb-install.sh)
#  10. the README's demo twice, nothing left behind (tests/pkg/demo-twice.sh)
# Prints one PASS/FAIL line per step and ends with "N passed, N failed".
# FUZZ_SECONDS (default 40) bounds each fuzz target; SKIP_INTEROP=1 skips
# 6 to 10.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
fuzz_secs=${FUZZ_SECONDS:-40}
pass=0
fail=0
failed_steps=""

step() {	# step NAME COMMAND...
	name=$1
	shift
	t0=$(date +%s)
	echo "=== $name"
	if "$@"; then
		echo "PASS: $name ($(($(date +%s) - t0)) s)"
		pass=$((pass + 1))
	else
		echo "FAIL: $name ($(($(date +%s) - t0)) s)"
		fail=$((fail + 1))
		failed_steps="$failed_steps $name"
	fi
}

unit_tests() {	# unit_tests BUILD_DIR [configure args]
	dir=$1
	shift
	scripts/build.sh "$dir" "$@" || return 1
	# Check's 4 s default per test is short for ASan on a busy machine.
	(cd "$dir" && CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-60} \
	    make -j"$(nproc)" check >make-check.out 2>&1)
	rc=$?
	grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' "$dir/make-check.out"
	# Check's own closing lines, one per test binary.
	for log in "$dir"/tests/*/check_*.log; do
		[ -f "$log" ] || continue
		printf '%s: ' "$(basename "$log" .log)"
		grep -E '^[0-9]+%: Checks:' "$log" || echo "(no Check summary)"
	done
	if [ $rc -ne 0 ]; then
		for log in "$dir"/tests/*.log "$dir"/tests/*/*.log; do
			[ -f "$log" ] && grep -qE '^(FAIL|ERROR)|:[EF]:' "$log" &&
				{ echo "--- $log"; grep -E ':[EF]:|FAIL|ERROR' "$log" | head -40; }
		done
	fi
	return $rc
}

fuzz() {
	CC=clang scripts/build.sh build-fuzz --enable-fuzzing CC=clang || return 1
	tests/fuzz/run.sh build-fuzz "$fuzz_secs"
}

bench() {
	for b in build/tests/bench/*_bench; do
		[ -x "$b" ] || continue
		echo "--- $b"
		"$b" || return 1
	done
}

step deps scripts/deps.sh
step unit-tests unit_tests build --enable-werror
step unit-tests-asan-ubsan unit_tests build-asan --enable-sanitizers
step fuzz fuzz
step bench bench
if [ "${SKIP_INTEROP:-0}" != 1 ] && [ -x tests/interop/run-all.sh ]; then
	step interop env IKEROAM="$top/build/ikeroam" tests/interop/run-all.sh
	step bench-tunnel env IKEROAM="$top/build/ikeroam" \
	    tests/bench/tunnel_bench.sh
	step bench-roam env IKEROAM="$top/build/ikeroam" \
	    tests/bench/roam_bench.sh
	step package tests/pkg/deb-install.sh
	step demo-twice env IKEROAM="$top/build/ikeroam" tests/pkg/demo-twice.sh
fi

[ -n "$failed_steps" ] && echo "failed steps:$failed_steps"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
