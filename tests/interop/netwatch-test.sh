#!/bin/bash
# tests/interop/netwatch-test.sh: src/netwatch.c against a real kernel.
# Root only; fast (a few seconds); a suite of run-all.sh.
#
# A "laptop" namespace ${IR_PREFIX}-nwcli with two veth uplinks whose
# far ends sit in ${IR_PREFIX}-nwnet (up, so the carrier is there):
#   uplA  192.0.2.2/24        default via 192.0.2.1       metric 100
#   uplB  198.51.100.130/25   default via 198.51.100.129  metric 50 (later)
#   dmy0  unrelated; tun9 plays our TUN (203.0.113.77/32); both veths,
#         as the dummy driver may be missing
# The VPN gateway 203.0.113.10 is reachable through either default.
# tests/src/netwatch_probe watches the path to it and prints each report;
# this script changes the routing and checks what was reported:
#   1. start: uplink A
#   2. a better default through B: one report (B), latency printed
#   3. an address on an unrelated interface: no report
#   4. A's address deleted while B is current: no report
#   5. full tunnel: 0/1 + 128/1 through tun9 (reported until tun9 is
#      excluded, then B again) and the host pin of the gateway through A:
#      the path stays B (not the TUN, not the pin), while the kernel's
#      own answer is the pin
#   6. every route removed: one report, offline
#   7. both defaults back: B; B's carrier lost: one report, A
#   8. IPv6: another gateway address, queried at once
# Every wait is bounded; the namespaces and the probe (by PID) are
# removed on exit.  Exit 0 pass, 1 fail, 77 skip (not root, no netns).
set -u -o pipefail
IR_TAG=netwatch
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
probe=${NETWATCH_PROBE:-$(dirname "${IKEROAM:-$top/build/ikeroam}")/tests/src/netwatch_probe}
ns=$IR_PREFIX-nwcli
far=$IR_PREFIX-nwnet
gw=203.0.113.10
work=$(mktemp -d)
out=$work/out
probe_pid=
fail=0

if [ "$(id -u)" != 0 ]; then
	echo "netwatch: SKIP: needs root"
	exit 77
fi
[ -x "$probe" ] || { echo "netwatch: FAIL: $probe not built"; exit 1; }

cleanup() {
	exec 3>&- 2>/dev/null
	if [ -n "$probe_pid" ] && kill -0 "$probe_pid" 2>/dev/null; then
		kill "$probe_pid" 2>/dev/null
		wait "$probe_pid" 2>/dev/null
	fi
	ip netns del "$ns" 2>/dev/null
	ip netns del "$far" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

in_ns() { ip netns exec "$ns" "$@"; }

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# The number of report lines so far.
reports() { grep -c '^changed ' "$out"; }

# wait_lines PATTERN COUNT MS: until COUNT lines match, at most MS ms.
wait_lines() {
	local i
	for ((i = 0; i < $3 / 20; i++)); do
		[ "$(grep -c -- "$1" "$out")" -ge "$2" ] && return 0
		sleep 0.02
	done
	return 1
}

# expect_report WHAT N0 T0 PATTERN [MAX_MS]: report number N0+1 arrives
# within 3 s, matches PATTERN, comes at most MAX_MS (default 1000) after
# T0, and no other follows within 600 ms.  Prints the time
# from T0 (before the first command of the change) and from now (after
# the last one: the debounce plus the recomputation).
expect_report() {
	local what=$1 n0=$2 t0=$3 pat=$4 max=${5:-1000} line t lat t1
	t1=$(ir_now_ms)
	if ! wait_lines '^changed ' $((n0 + 1)) 3000; then
		bad "$what: no report within 3 s"
		return
	fi
	line=$(grep '^changed ' "$out" | sed -n "$((n0 + 1))p")
	t=$(printf '%s\n' "$line" | sed -n 's/^changed t=\([0-9]*\) .*/\1/p')
	lat=$((t - t0))
	echo "latency: $what: $lat ms after the first command, $((t - t1)) ms after the last"
	echo "  $line"
	if printf '%s\n' "$line" | grep -Eq -- "$pat"; then
		ok "$what: reported /$pat/"
	else
		bad "$what: expected /$pat/"
	fi
	[ "$lat" -le "$max" ] ||
	    bad "$what: $lat ms after the change (> $max ms)"
	sleep 0.6
	[ "$(reports)" -eq $((n0 + 1)) ] && ok "$what: exactly one report" ||
	    bad "$what: $(($(reports) - n0)) reports, want 1"
}

# expect_quiet WHAT N0: no report within 600 ms (debounce + margin).
expect_quiet() {
	sleep 0.6
	if [ "$(reports)" -eq "$2" ]; then
		ok "$1: no report"
	else
		bad "$1: unexpected report: $(grep '^changed ' "$out" | tail -1)"
	fi
}

# query PATTERN WHAT: ask the probe for the path now.
query() {
	local n
	n=$(grep -c '^query ' "$out")
	echo query >&3
	if ! wait_lines '^query ' $((n + 1)) 2000; then
		bad "$2: no answer to query"
		return
	fi
	if grep '^query ' "$out" | tail -1 | grep -Eq -- "$1"; then
		ok "$2: query says /$1/"
	else
		bad "$2: query: $(grep '^query ' "$out" | tail -1), want /$1/"
	fi
}

# ---- the topology ------------------------------------------------------
ip netns del "$ns" 2>/dev/null
ip netns del "$far" 2>/dev/null
if ! ip netns add "$ns" || ! ip netns add "$far"; then
	echo "netwatch: SKIP: cannot create network namespaces"
	exit 77
fi
in_ns ip link set lo up
ip -n "$ns" link add uplA type veth peer name farA netns "$far" || exit 1
ip -n "$ns" link add uplB type veth peer name farB netns "$far" || exit 1
ip -n "$far" link set farA up
ip -n "$far" link set farB up
ip -n "$ns" link add dmy0 type veth peer name farD netns "$far" || exit 1
ip -n "$far" link set farD up
in_ns ip link set dmy0 up
in_ns ip addr add 192.0.2.2/24 dev uplA
in_ns ip addr add 198.51.100.130/25 dev uplB
in_ns ip link set uplA up
in_ns ip link set uplB up
in_ns ip route add default via 192.0.2.1 dev uplA metric 100 || exit 1

mkfifo "$work/cmd"
ip netns exec "$ns" "$probe" "$gw" 60 <"$work/cmd" >"$out" 2>"$work/err" &
probe_pid=$!
exec 3>"$work/cmd"

# 1. start
if wait_lines '^start ' 1 3000 && grep -q '^start uplA 192\.0\.2\.2 via 192\.0\.2\.1$' "$out"; then
	ok "1 start: uplink A"
else
	bad "1 start: $(head -1 "$out")"
fi
query '^query t=[0-9]+ uplA 192\.0\.2\.2 via 192\.0\.2\.1$' "1 start"

# 2. a better default through B
n=$(reports); t0=$(ir_now_ms)
in_ns ip route add default via 198.51.100.129 dev uplB metric 50
expect_report "2 default moved to B" "$n" "$t0" \
    '\| now: uplB 198\.51\.100\.130 via 198\.51\.100\.129 \| before: uplA 192\.0\.2\.2 via 192\.0\.2\.1$'

# 3. unrelated change
n=$(reports)
in_ns ip addr add 198.51.100.5/32 dev dmy0
expect_quiet "3 address on an unrelated interface" "$n"

# 4. A loses its address while B is current
n=$(reports)
in_ns ip addr del 192.0.2.2/24 dev uplA
expect_quiet "4 A's address deleted, B current" "$n"

# 5. full tunnel: TUN halves and the pin through A
n=$(reports)
in_ns ip addr add 192.0.2.2/24 dev uplA
in_ns ip route add default via 192.0.2.1 dev uplA metric 100
ip -n "$ns" link add tun9 type veth peer name farT netns "$far" || exit 1
ip -n "$far" link set farT up
in_ns ip addr add 203.0.113.77/32 dev tun9
in_ns ip link set tun9 up
expect_quiet "5 A back (worse metric), tun9 up" "$n"
# Not excluded yet: the halves win, as they would for any socket.
n=$(reports); t0=$(ir_now_ms)
in_ns ip route add 0.0.0.0/1 dev tun9
in_ns ip route add 128.0.0.0/1 dev tun9
expect_report "5 halves through tun9, not excluded" "$n" "$t0" \
    '\| now: tun9 203\.0\.113\.77 on-link \| before: uplB '
n=$(reports); t0=$(ir_now_ms)
echo "exclude tun9" >&3
wait_lines '^excluded tun9 [1-9]' 1 2000 || bad "5 probe did not take tun9"
expect_report "5 tun9 excluded" "$n" "$t0" \
    '\| now: uplB 198\.51\.100\.130 via 198\.51\.100\.129 \| before: tun9 '
n=$(reports)
in_ns ip route add "$gw/32" via 192.0.2.1 dev uplA
expect_quiet "5 host pin of the gateway through A" "$n"
query '^query t=[0-9]+ uplB 198\.51\.100\.130 via 198\.51\.100\.129$' \
    "5 physical path is B (not the TUN, not the pin)"
kernel=$(in_ns ip route get "$gw")
echo "kernel's own answer: $kernel"
printf '%s\n' "$kernel" | grep -q 'dev uplA' &&
    ok "5 the kernel alone would follow the pin (test is meaningful)" ||
    bad "5 the pin is not what the kernel uses: $kernel"

# 6. every route removed
n=$(reports); t0=$(ir_now_ms)
in_ns ip -4 route flush table main
expect_report "6 all routes removed" "$n" "$t0" \
    '\| now: offline \| before: uplB '

# 7. both defaults back, then B's carrier goes
n=$(reports); t0=$(ir_now_ms)
in_ns ip route add 192.0.2.0/24 dev uplA src 192.0.2.2 2>/dev/null
in_ns ip route add 198.51.100.128/25 dev uplB src 198.51.100.130 2>/dev/null
# B first: should the debounce fire in between, A's worse default that
# follows cannot give a second report.
in_ns ip route add default via 198.51.100.129 dev uplB metric 50
in_ns ip route add default via 192.0.2.1 dev uplA metric 100
expect_report "7 routes back" "$n" "$t0" \
    '\| now: uplB 198\.51\.100\.130 via 198\.51\.100\.129 \| before: offline$'
# The kernel's linkwatch reports carrier changes at most once a second,
# so this one may take up to 1 s more than the debounce.
n=$(reports); t0=$(ir_now_ms)
ip -n "$far" link set farB down
expect_report "7 carrier lost on B" "$n" "$t0" \
    '\| now: uplA 192\.0\.2\.2 via 192\.0\.2\.1 \| before: uplB ' 2000

# 8. IPv6: the gateway's other address
in_ns ip -6 addr add 2001:db8:a::2/64 dev uplA nodad
in_ns ip -6 route add default via 2001:db8:a::1 dev uplA metric 1024
n=$(reports)
echo "gw 2001:db8:5::10" >&3
query '^query t=[0-9]+ uplA 2001:db8:a::2 via 2001:db8:a::1$' "8 IPv6 gateway"
expect_quiet "8 IPv6 gateway: query is the reference" "$n"

echo quit >&3
exec 3>&-
for ((i = 0; i < 100; i++)); do
	kill -0 "$probe_pid" 2>/dev/null || break
	sleep 0.05
done
if kill -0 "$probe_pid" 2>/dev/null; then
	bad "probe did not exit on quit"
else
	wait "$probe_pid"
	rc=$?
	[ "$rc" -eq 0 ] && ok "probe exited cleanly" ||
	    bad "probe exited with $rc"
fi
probe_pid=
grep -q '^error' "$out" && bad "probe: $(grep '^error' "$out")"
echo "--- probe output"
cat "$out"
[ -s "$work/err" ] && { echo "--- probe stderr"; cat "$work/err"; }

if [ $fail -eq 0 ]; then
	echo "netwatch: PASS"
else
	echo "netwatch: FAIL"
fi
exit $fail
