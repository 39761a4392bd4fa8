#!/bin/bash
# tests/interop/soak.sh: a long session against the strongSwan gateway.
#
# The gateway rekeys the Child SA every ~10 s (strongSwan's hard
# lifetime is 110 % of rekey_time in whole seconds: at 6 s both fall
# on the same second and it deletes instead of rekeying) and the IKE SA every ~15 s
# (RFC 7296 §1.3.2, §1.3.3), and asks for reauthentication within 45 s
# (AUTH_LIFETIME, RFC 4478; ikeroam reauthenticates make-before-break), while
# a rate-limited iperf3 stream and a ping (5 a second) run through the
# tunnel.  Printed: rekeys and reauthentications seen, pings lost,
# ikeroam's RSS and open descriptors (both parts) at the start and the
# end.  Checked: ikeroam stays up the whole time, the rekeys happened,
# at most 1 % of the pings are lost, no descriptor is leaked, RSS grows
# by less than 4 MiB (32 MiB under ASan, whose quarantine keeps freed
# memory), and after SIGINT ikeroam exits 0 and the gateway
# holds no SA.  An ASan/UBSan build ($IKEROAM_ASAN, default
# build-asan/ikeroam when it exists) runs a second, shorter phase: any
# sanitizer report ends it with a non-zero status.
#
# Memory: a warm-up, then a bound per hour.  Until the first
# reauthentication every kind of SA, transport and buffer has been made
# and freed once.  The network part's anonymous memory (RssAnon: heap
# and mappings; VmRSS also counts library pages read in as new code
# runs) is sampled every 5 s; the lowest sample of the 30 s after that
# reauthentication is compared with the lowest of the last 30 s (the
# highs are the moments two IKE SAs live at once).  In the plain phase
# the growth must stay under SOAK_ANON_SLACK_KIB (64) plus
# SOAK_ANON_HOUR_KIB (2048) per hour between the two.  A leak grows with
# the traffic or the rekeys: 1 octet per packet at 40 Mbit/s is ~12
# MiB/h, 2 KiB per rekey or reauthentication here ~1.4 MiB/h; the
# default 120 s catches the first kind, SOAK_SECONDS=900 both.
# Measured (session 17, 900 s): until src/main.c held glibc's mmap
# threshold, RSS grew from 6976 to 10204 KiB, in steps until 544 s and
# flat after (buffers of transports and IKE SAs settling in the heap);
# with it, 6976 -> 7248 KiB in 300 s, anonymous 1748-1900 KiB all along.
#
# Environment: IKEROAM, IKEROAM_ASAN, SOAK_SECONDS (default 120 each
# phase), SOAK_RATE (iperf3 rate, default 40M), SOAK_ANON_HOUR_KIB,
# SOAK_ANON_SLACK_KIB, IR_PREFIX (default soak).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-soak}
IR_TAG=soak
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=$(readlink -f "${IKEROAM:-$TOP/build/ikeroam}")
IKEROAM_ASAN=${IKEROAM_ASAN:-$TOP/build-asan/ikeroam}
SOAK_SECONDS=${SOAK_SECONDS:-120}
SOAK_RATE=${SOAK_RATE:-40M}
SOAK_ANON_HOUR_KIB=${SOAK_ANON_HOUR_KIB:-2048}
SOAK_ANON_SLACK_KIB=${SOAK_ANON_SLACK_KIB:-64}
GWSH=$IR_HERE/strongswan/gateway.sh
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
ir_need_cmds swanctl iperf3 ping python3

pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
PING_PID=
IPERF_PID=

cleanup() {
	[ -n "$PING_PID" ] && kill "$PING_PID" 2>/dev/null
	[ -n "$IPERF_PID" ] && kill "$IPERF_PID" 2>/dev/null
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	ir_stop iperf3
	"$GWSH" stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

client_alive() { [ -n "$CLIENT_PID" ] && kill -0 "$CLIENT_PID" 2>/dev/null; }
sas_gone() { [ "$("$GWSH" count-sas 2>/dev/null)" = 0 ]; }
status_up() {
	python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))
sys.exit(s.get("state") != "up")' "$STATUS" 2>/dev/null
}

# The network part: the child of the privileged part called ikeroam-net
# (itself when there is no split).
net_pid() {
	local c
	for c in $(pgrep -P "$IKEROAM_PID"); do
		[ "$(cat "/proc/$c/comm" 2>/dev/null)" = ikeroam-net ] &&
			{ echo "$c"; return; }
	done
	echo "$IKEROAM_PID"
}
rss_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null; }
anon_kib() { sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# min_in FROM TO: the lowest anonymous-memory sample taken in [FROM, TO)
# s (phase's s_t, s_anon).
min_in() {
	local i m=
	for i in "${!s_t[@]}"; do
		[ "${s_t[$i]}" -ge "$1" ] && [ "${s_t[$i]}" -lt "$2" ] || continue
		[ -n "${s_anon[$i]}" ] || continue
		if [ -z "$m" ] || [ "${s_anon[$i]}" -lt "$m" ]; then m=${s_anon[$i]}; fi
	done
	echo "${m:-0}"
}

# Rekeys and reauthentications so far in LOG.
rekey_events() {
	grep -c -e 'the gateway is rekeying CHILD_SA' -e 'IKE SA rekeyed' \
	    -e 'reauthenticated in' "$1"
}

# phase NAME BINARY SECONDS
phase() {
	local name=$1 bin=$2 secs=$3 log npid ppid rss0 rss1 prss0 prss1
	local fd0 fd1 pfd0 pfd1 rc out sent got lost crk irk rau t
	local anon0 anon1 t_w ev_w ev1 d per_h a_ref a_end span bound
	local -a s_t=() s_anon=()
	log=$IR_STATE/ikeroam-$name.log
	STATUS=$IR_STATE/status-$name.json
	rm -f "$STATUS"
	: >"$log"
	ir_cli_run "$bin" connect --gateway "$IR_GW" -v --script none \
	    --id "$IR_PSK_ID" --psk-file "$IR_PSK_FILE" \
	    --remote-id "$IR_GW_ID" --status-file "$STATUS" \
	    >>"$log" 2>&1 </dev/null &
	CLIENT_PID=$!
	IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
	if ! ir_wait 300 0.1 status_up; then
		bad "$name: tunnel up (see $log)"
		tail -5 "$log" | sed 's/^/    /'
		kill -INT "$IKEROAM_PID" 2>/dev/null
		ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 10
		return
	fi
	ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30 ||
		bad "$name: first ping through the tunnel"
	sleep 2
	ppid=$IKEROAM_PID
	npid=$(net_pid)
	rss0=$(rss_kib "$npid"); fd0=$(fds "$npid"); anon0=$(anon_kib "$npid")
	prss0=$(rss_kib "$ppid"); pfd0=$(fds "$ppid")
	echo "$name: start: network part $npid RSS ${rss0} KiB, ${fd0} fds;" \
	    "privileged part $ppid RSS ${prss0} KiB, ${pfd0} fds"

	ip netns exec "$IR_NS_CLI" timeout $((secs + 20)) iperf3 \
	    -c "$IR_LAN_HOST" -t "$secs" -b "$SOAK_RATE" \
	    >"$IR_STATE/iperf-$name.out" 2>&1 &
	IPERF_PID=$!
	ip netns exec "$IR_NS_CLI" timeout $((secs + 20)) ping -n -D -O \
	    -i 0.2 -W 1 -w "$secs" "$IR_LAN_HOST" \
	    >"$IR_STATE/ping-$name.out" 2>&1 &
	PING_PID=$!
	# A sample every 5 s, a line every 30 s; the warm-up ends with the
	# first reauthentication.
	t_w=
	for ((t = 5; t <= secs; t += 5)); do
		sleep 5
		client_alive || break
		s_t+=("$t")
		s_anon+=("$(anon_kib "$npid")")
		if [ -z "$t_w" ] && [ "$(grep -c 'reauthenticated in' "$log")" -ge 1 ]; then
			t_w=$t
			ev_w=$(rekey_events "$log")
		fi
		[ $((t % 30)) = 0 ] || [ "$t" = "$secs" ] || continue
		echo "$name: ${t} s: RSS $(rss_kib "$npid") KiB (anonymous" \
		    "$(anon_kib "$npid")), $(fds "$npid") fds," \
		    "$(grep -c 'the gateway is rekeying CHILD_SA' "$log") Child rekeys"
	done
	wait "$PING_PID" 2>/dev/null
	PING_PID=
	wait "$IPERF_PID" 2>/dev/null
	IPERF_PID=

	check "$name: ikeroam up for the whole soak" client_alive
	rss1=$(rss_kib "$npid"); fd1=$(fds "$npid"); anon1=$(anon_kib "$npid")
	prss1=$(rss_kib "$ppid"); pfd1=$(fds "$ppid")
	out=$(cat "$IR_STATE/ping-$name.out")
	sent=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p')
	got=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	lost=$(( ${sent:-0} - ${got:-0} ))
	crk=$(grep -c 'the gateway is rekeying CHILD_SA' "$log")
	irk=$(grep -c 'IKE SA rekeyed' "$log")
	rau=$(grep -c 'reauthenticated in' "$log")
	echo "$name: figures: ${secs} s, $crk Child SA rekeys, $irk IKE SA" \
	    "rekeys, $rau reauthentications, pings ${got:-0}/${sent:-0}" \
	    "answered ($lost lost), iperf3 $(sed -n 's/.* \([0-9.]* [MG]bits\/sec\).*receiver/\1/p' \
	    "$IR_STATE/iperf-$name.out" | tail -1)"
	echo "$name: end: network part RSS ${rss1:-?} KiB (start ${rss0}), ${fd1:-?} fds" \
	    "(start ${fd0}); privileged part RSS ${prss1:-?} KiB (start ${prss0})," \
	    "${pfd1:-?} fds (start ${pfd0})"
	check "$name: the gateway rekeyed the Child SA ($crk >= $((secs / 15)))" \
	    test "$crk" -ge $((secs / 15))
	check "$name: the gateway rekeyed the IKE SA ($irk >= $((secs / 40)))" \
	    test "$irk" -ge $((secs / 40))
	check "$name: ikeroam reauthenticated ($rau >= $((secs / 60)))" \
	    test "$rau" -ge $((secs / 60))
	check "$name: at most 1 % of ${sent:-0} pings lost ($lost)" \
	    test -n "$sent" -a "$sent" -gt 0 -a $((lost * 100)) -le "${sent:-0}"
	check "$name: network part: no descriptor leaked ($fd0 -> ${fd1:-?})" \
	    test "${fd1:-999}" -le "$fd0"
	check "$name: privileged part: no descriptor leaked ($pfd0 -> ${pfd1:-?})" \
	    test "${pfd1:-999}" -le "$pfd0"
	check "$name: network part RSS grew < $((RSS_SLACK / 1024)) MiB ($rss0 -> ${rss1:-?} KiB)" \
	    test "${rss1:-999999}" -lt $((rss0 + RSS_SLACK))
	if [ -z "$t_w" ] || [ $((t_w + 30)) -gt "$secs" ]; then
		bad "$name: no reauthentication 30 s before the end: no memory after the warm-up to compare"
	else
		a_ref=$(min_in "$t_w" $((t_w + 30)))
		a_end=$(min_in $((secs - 30)) $((secs + 1)))
		ev1=$(rekey_events "$log")
		d=$((a_end - a_ref))
		span=$((secs - 30 - t_w))
		span=$((span > 5 ? span : 5))
		per_h=$(( (d > 0 ? d : 0) * 3600 / span ))
		bound=$((SOAK_ANON_SLACK_KIB + SOAK_ANON_HOUR_KIB * span / 3600))
		echo "$name: anonymous memory: start ${anon0} KiB, end ${anon1:-?};" \
		    "lowest after the warm-up (first reauthentication at ${t_w} s)" \
		    "${a_ref} KiB, in the last 30 s ${a_end} KiB: ${d} KiB in" \
		    "${span} s (${per_h} KiB/h) across $((ev1 - ev_w)) rekeys and" \
		    "reauthentications"
		if [ "$ANON_HOUR_CHECK" = 1 ]; then
			check "$name: anonymous memory after the warm-up grows < $SOAK_ANON_SLACK_KIB KiB + $SOAK_ANON_HOUR_KIB KiB/h ($d < $bound KiB)" \
			    test "$d" -lt "$bound"
		fi
	fi
	kill -INT "$IKEROAM_PID" 2>/dev/null
	ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 15
	rc=$?
	CLIENT_PID=
	IKEROAM_PID=
	check "$name: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "$name: no sanitizer report" \
	    eval "! grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' '$log'"
	check "$name: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
}

t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
CHILD_REKEY_TIME=10s IKE_REKEY_TIME=15s IKE_REAUTH_TIME=45s DPD_DELAY=10s \
    "$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
ir_spawn iperf3 "$IR_NS_LAN" "$IR_STATE/lan-run" "$IR_STATE/iperf3-server.log" \
    iperf3 -s
sleep 0.5

RSS_SLACK=4096		# KiB
ANON_HOUR_CHECK=1
phase soak "$IKEROAM" "$SOAK_SECONDS"
if [ -x "$IKEROAM_ASAN" ]; then
	# LeakSanitizer cannot run here: its tracer must read /proc/PID/task
	# of a process that is not dumpable and runs as another user (the
	# network part).  Memory errors still abort; the unit tests under
	# ASan check for leaks, this phase for RSS growth.
	# ASan keeps freed memory in quarantine (up to 256 MiB): its RSS
	# grows by design; the plain phase holds the real bound.
	RSS_SLACK=$((32 * 1024))
	ANON_HOUR_CHECK=0	# the quarantine grows by design
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    phase soak-asan "$(readlink -f "$IKEROAM_ASAN")" "$SOAK_SECONDS"
else
	bad "soak-asan: no sanitizer build at $IKEROAM_ASAN (configure --enable-sanitizers)"
fi

echo "soak: $(( ($(ir_now_ms) - t_start) / 1000 )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
