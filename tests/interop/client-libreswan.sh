#!/bin/bash
# tests/interop/client-libreswan.sh: ikeroam against libreswan 4.10 in a
# qemu guest (tests/interop/libreswan/), the RFC 9329 (IKE and ESP over
# TCP) interop scenarios, plus a fake RFC 9329 responder that answers
# with garbage (tcp-garbage-responder.py).
#
#   1 hotspot: UDP dropped by the middlebox, --transport auto falls back
#     to TCP; ping and iperf3 through it; a second run on the same
#     --network-id goes straight to TCP (remembered in --state-file)
#   2 UDP open, auto: stays on UDP (ESP in UDP 4500 without a NAT)
#   3 --transport tcp with UDP open
#   4 the TCP connection is reset by the middlebox mid-transfer
#   5 the gateway restarts: graceful (pluto shutdown) and crash (kill -9);
#     ikeroam keeps the tunnel and re-establishes the session
#   6 garbage from the fake responder: every mode, --transport tcp
#   7 default proposals over TCP (the gateway answers INVALID_KE_PAYLOAD)
#   8 on TCP, UDP is let through again: ikeroam moves the SA back to UDP
#   9 TLS on 443 (RFC 9329 Appendix A): stunnel4 in the middlebox as the
#     gateway's TLS-terminating front (443 -> TCP 4500), UDP and TCP 4500
#     dropped: auto climbs to TLS, ping through it, the fallback times;
#     443 led to libreswan's raw TCP port (not TLS) and a front with a
#     certificate from another CA: one line each, exit 5
#  10 REDIRECT (RFC 5685) over TCP: the guest gets a second address,
#     198.51.100.21.  IKE_SA_INIT: with global-redirect on, the first
#     IKE_SA_INIT (--transport tcp) is answered with REDIRECT to .21; the
#     middlebox holds TCP to .21 until the test has turned global-redirect
#     off, then the session comes up at .21 (REDIRECTED_FROM sent).  The
#     same with global-redirect left on is a loop: five followed, exit 12.
#     During the session, over TCP (whack --redirect-to): the new SA at
#     .21 carries the pings before the old one is deleted.
#     IKE_AUTH (per-connection redirect-to, hotspot, --transport auto):
#     the ladder runs again at .21 (UDP, then TCP) and the session is up
#     there over TCP.
#  11 NetworkManager in hotspot mode: a real NetworkManager 1.42
#     (nm-lib.sh) owns the client namespace's uplink and brings the
#     plugin's VPN (the real ikeroam, privsep on) up through nmcli with
#     UDP dropped: activated over TCP, NM's log has the transport line and
#     ikeroam's "no answer over UDP ... trying TCP", the address from the
#     PSK pool, ping through it, the gateway's ESP in TCP; `nmcli
#     connection down` leaves no ikeroam, tun or route, and the gateway
#     no SA of the session (ipsec trafficstatus, ip xfrm state).
#
# One PASS/FAIL line per check, the figures as plain lines, and at the
# end "N passed, N failed".  XFAIL lines are known libreswan 4.10
# limitations, shown with the evidence, not counted as failures.
# Exit status 0 only when nothing failed.
#
# Environment: IKEROAM (default build/ikeroam; scenario 11 takes the
# NetworkManager plugin from the same build tree), LS_SCENARIOS (default
# "1 2 3 4 5 6 7 8 9 10 11"), LS_IKE (the IKE proposal of scenarios 1-6, default
# aes256gcm16-prfsha256-modp2048, see scenario 7), IPERF_SECONDS
# (default 2), LSGW_PREFIX (default ilsc), IR_PREFIX (default ilsc).
set -u -o pipefail
IR_PREFIX=${IR_PREFIX:-ilsc}
IR_TAG=client-ls
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/interop/tls-lib.sh
. "$(dirname "$0")/tls-lib.sh"
# shellcheck source=tests/interop/nm-lib.sh
. "$(dirname "$0")/nm-lib.sh"
ir_need_root
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=${IKEROAM:-$TOP/build/ikeroam}
IKEROAM=$(readlink -f "$IKEROAM")
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
ir_need_cmds iperf3 nft python3 qemu-system-x86_64 stunnel4 openssl
export LSGW_PREFIX=${LSGW_PREFIX:-ilsc}
GWSH=$IR_HERE/libreswan/gateway.sh
RESPONDER=$IR_HERE/tcp-garbage-responder.py
LS_SCENARIOS=${LS_SCENARIOS:-1 2 3 4 5 6 7 8 9 10 11}
IPERF_SECONDS=${IPERF_SECONDS:-2}
# libreswan 4.10 prefers MODP2048 and answers our default first guess
# (Curve25519) with INVALID_KE_PAYLOAD, then closes the TCP connection;
# scenario 7 covers that, the others start with the group it wants.
LS_IKE=${LS_IKE:-aes256gcm16-prfsha256-modp2048}
GNS_C=$LSGW_PREFIX-gc		# scenario 6: client and fake responder
GNS_S=$LSGW_PREFIX-gs
FAKE_GW=192.0.2.65
RST_TABLE=ilscrst
TLS_TABLE=ilsctls
RDR_TABLE=ilscrdr
GW2=198.51.100.21

pass=0
fail=0
xfail=0
CLIENT_PID=
PING_PID=
RESP_PID=
LOG=
GW_STARTED=0

ok() { echo "PASS: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
known() { echo "XFAIL: $*"; xfail=$((xfail + 1)); }
check() {	# check DESCRIPTION CMD...
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

kill_pid() {	# kill_pid PID: TERM, 2 s, KILL; only that PID
	local pid=$1
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	ir_wait 20 0.1 eval "! kill -0 $pid 2>/dev/null" ||
	    kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

garbage_net_down() {
	local ns
	for ns in "$GNS_C" "$GNS_S"; do
		ir_ns_exists "$ns" && ip netns del "$ns"
	done
	return 0
}

cleanup() {
	[ -n "$CLIENT_PID" ] && kill -KILL "$CLIENT_PID" 2>/dev/null
	kill_pid "$PING_PID"
	kill_pid "$RESP_PID"
	garbage_net_down
	nm_stop
	if [ "$GW_STARTED" = 1 ]; then
		ip netns exec "$LSGW_MIDDLEBOX_NS" nft delete table inet \
		    "$RST_TABLE" 2>/dev/null
		ip netns exec "$LSGW_MIDDLEBOX_NS" nft delete table ip \
		    "$TLS_TABLE" 2>/dev/null
		ip netns exec "$LSGW_MIDDLEBOX_NS" nft delete table ip \
		    "$RDR_TABLE" 2>/dev/null
		ir_stop tlsfront
		"$GWSH" stop >/dev/null 2>&1
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$IR_STATE"
PSK_FILE=$IR_STATE/psk
EXTRA=()
"$IKEROAM" --help 2>&1 | grep -q -- --captive-url &&
	EXTRA+=(--captive-url none)	# never probe the Internet from here

client_alive() { [ -n "$CLIENT_PID" ] && kill -0 "$CLIENT_PID" 2>/dev/null; }
tunnel_up() { grep -q "tunnel up" "$LOG"; }
up_or_dead() { tunnel_up || ! client_alive; }
log_has() { grep -q -- "$1" "$LOG"; }
log_count() { grep -c -- "$1" "$LOG"; }
# The time stamp ([   1.234] -> 1234 ms) of the first line matching $1.
log_ms() {
	sed -n "s/^\[ *\([0-9]*\)\.\([0-9]*\)\] .*$1.*/\1\2/p" "$LOG" |
	    head -1 | sed 's/^0*\([0-9]\)/\1/'
}
answered_after_ms() {
	sed -n 's/.*gateway answered over .* after \([0-9]*\) ms.*/\1/p' "$LOG" |
	    head -1
}
asan_clean() { ! grep -q "AddressSanitizer\|runtime error:\|LeakSanitizer" "$LOG"; }

# connect NAME NS ARGS...: ikeroam in namespace NS, in a private mount
# namespace with a scratch /run (as cli-exec.sh; --script none leaves
# resolv.conf alone).  ip, unshare and sh each exec the next, so $! is
# ikeroam itself: a signal reaches it, and no orphan is left behind (a
# shell function sent to the background would be a subshell instead).
connect() {
	local name=$1 ns=$2 rundir=$IR_STATE/cli/run
	shift 2
	LOG=$IR_STATE/ikeroam-$name.log
	: >"$LOG"
	mkdir -p "$rundir"
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$ns" unshare --mount --propagation private \
	    sh -c 'mount --bind "$1" /run && shift && exec "$@"' sh "$rundir" \
	    "$IKEROAM" connect -v --script none "${EXTRA[@]}" "$@" \
	    >>"$LOG" 2>&1 </dev/null &
	CLIENT_PID=$!
}

# wait_exit SECONDS: the client's exit status, 124 if it had to be killed.
wait_exit() {
	local rc
	ir_client_wait "$CLIENT_PID" "$CLIENT_PID" "$1"
	rc=$?
	CLIENT_PID=
	return $rc
}

stop_client() {	# SIGINT, then the exit status (124: it hung)
	[ -n "$CLIENT_PID" ] || return 0
	kill -INT "$CLIENT_PID" 2>/dev/null
	wait_exit 10
}

ping_gw() {	# ping_gw TRIES: one echo at a time through the tunnel
	ir_ping "$LSGW_CLIENT_NS" "$LSGW_PROTECTED" "$1"
}

iperf() {	# iperf NAME: prints the rate; fails without a result
	local out mbit
	[ "$IPERF_SECONDS" = 0 ] && return 0
	out=$(ip netns exec "$LSGW_CLIENT_NS" timeout $((IPERF_SECONDS + 10)) \
	    iperf3 -c "$LSGW_PROTECTED" -t "$IPERF_SECONDS" -J 2>/dev/null)
	mbit=$(printf '%s' "$out" | python3 -c 'import json,sys
try:
    d = json.load(sys.stdin)
    print("%.1f" % (d["end"]["sum_received"]["bits_per_second"] / 1e6))
except Exception:
    print("")')
	[ -n "$mbit" ] || return 1
	echo "iperf3 $1: $mbit Mbit/s (client -> $LSGW_PROTECTED, ${IPERF_SECONDS} s)"
}

# bring_up NAME ARGS...: connect, wait for "tunnel up" and a first ping.
# Sets UP_MS (start to first ping reply); fails with the log's tail.
bring_up() {
	local name=$1 t0
	shift
	t0=$(ir_now_ms)
	connect "$name" "$LSGW_CLIENT_NS" --gateway "$LSGW_ADDR" \
	    --id "$LSGW_CLIENT_PSK_ID" --remote-id "$LSGW_ID" \
	    --psk-file "$PSK_FILE" --ike "$LS_IKE" "$@"
	if ! ir_wait "${UP_TRIES:-600}" 0.1 up_or_dead || ! tunnel_up; then
		bad "$name: tunnel up (see $LOG)"
		grep -v debug "$LOG" | tail -5 | sed 's/^/    /'
		stop_client
		return 1
	fi
	if ! ping_gw 100; then
		bad "$name: ping $LSGW_PROTECTED through the tunnel"
		stop_client
		return 1
	fi
	UP_MS=$(($(ir_now_ms) - t0))
	return 0
}

finish() {	# finish NAME: SIGINT, exit 0, the gateway holds no SA
	local rc
	stop_client
	rc=$?
	check "$1: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "$1: no sanitizer report" asan_clean
	check "$1: the gateway holds no IKE SA after the Delete" \
	    ir_wait 30 0.2 gw_no_sa
}

gw_no_sa() { ! "$GWSH" exec 'ipsec trafficstatus' 2>/dev/null | grep -q 'rw-psk\|rdr-2'; }
gw_xfrm_encap() { "$GWSH" exec 'ip xfrm state' 2>/dev/null | grep -q "$1"; }
gw_tcp_estab() {
	"$GWSH" exec 'ss -tn state established' 2>/dev/null |
	    grep -q "$LSGW_ADDR:4500 *$LSGW_CLIENT_ADDR:"
}

# pluto down and up again in the guest: graceful (whack --shutdown sends
# Delete for every SA) or crash (kill -9: the SAs vanish unannounced).
gw_restart() {
	local stop
	if [ "$1" = graceful ]; then
		stop='ipsec whack --shutdown >/dev/null 2>&1'
	else
		# shellcheck disable=SC2016 # expanded in the guest
		stop='kill -9 $(pidof pluto)'
	fi
	"$GWSH" exec "$stop
	for i in \$(seq 50); do pidof pluto >/dev/null || break; sleep 0.2; done
	rm -f /run/pluto/pluto.pid /run/pluto/pluto.ctl
	ip xfrm state flush; ip xfrm policy flush
	/usr/libexec/ipsec/pluto --config /etc/ipsec.conf
	for i in \$(seq 100); do
		ipsec whack --status 2>/dev/null | grep -q '\"rw-psk\"' && exit 0
		sleep 0.2
	done
	exit 1" >/dev/null 2>&1
}

# ---- 1: the hotspot blocks UDP -------------------------------------------
scenario_1() {
	local st=$IR_STATE/networks.json fb_ms answered_ms first_ms ans2
	rm -f "$st"
	"$GWSH" hotspot on
	bring_up hotspot-auto --transport auto --state-file "$st" \
	    --network-id hotspot-test || { "$GWSH" hotspot off; return; }
	first_ms=$UP_MS
	ok "hotspot-auto: tunnel up, first ping after $first_ms ms"
	check "hotspot-auto: tunnel is over TCP" log_has "tunnel up.*over tcp"
	check "hotspot-auto: logged 'no answer over UDP ... trying TCP'" \
	    log_has "no answer over UDP after .* trying TCP"
	check "hotspot-auto: logged 'gateway answered over TCP'" \
	    log_has "gateway answered over TCP"
	fb_ms=$(log_ms "no answer over UDP after")
	answered_ms=$(answered_after_ms)
	echo "hotspot-auto: fallback to TCP at ${fb_ms:-?} ms, gateway answered over TCP at ${answered_ms:-?} ms, first ping at $first_ms ms"
	if iperf hotspot-auto; then ok "hotspot-auto: iperf3 through ESP in TCP"
	else bad "hotspot-auto: iperf3 through ESP in TCP"; fi
	check "hotspot-auto: the network is remembered in $st" \
	    grep -q '"udp_blocked": *true' "$st"
	finish hotspot-auto

	bring_up hotspot-remembered --transport auto --state-file "$st" \
	    --network-id hotspot-test || { "$GWSH" hotspot off; return; }
	ok "hotspot-remembered: tunnel up, first ping after $UP_MS ms"
	check "hotspot-remembered: logged 'this network blocked UDP before'" \
	    log_has "this network blocked UDP before"
	check "hotspot-remembered: went straight to TCP (no UDP attempt)" \
	    eval '! log_has "no answer over UDP"'
	ans2=$(answered_after_ms)
	echo "hotspot: gateway answered after ${answered_ms:-?} ms (first run) and ${ans2:-?} ms (remembered); first ping after $first_ms ms and $UP_MS ms"
	# IKE_AUTH under emulation varies by seconds: compare the answers.
	check "hotspot-remembered: the gateway answers sooner (${ans2:-?} < ${answered_ms:-?} ms)" \
	    test "${ans2:-99999}" -lt "${answered_ms:-0}"
	finish hotspot-remembered
	"$GWSH" hotspot off
}

# ---- 2: UDP open, auto ---------------------------------------------------
scenario_2() {
	bring_up udp-auto --transport auto || return
	ok "udp-auto: tunnel up, first ping after $UP_MS ms"
	check "udp-auto: logged 'gateway answered over UDP'" \
	    log_has "gateway answered over UDP"
	check "udp-auto: tunnel is over UDP" log_has "tunnel up.*over udp"
	check "udp-auto: no TCP attempt" eval '! log_has "trying TCP"'
	# No NAT here: libreswan encapsulates only because our
	# NAT_DETECTION_SOURCE_IP does not match (RFC 7296 §2.23).
	check "udp-auto: gateway honours the forced NAT-D: ESP in UDP 4500 without NAT" \
	    gw_xfrm_encap "encap type espinudp"
	iperf udp-auto >/dev/null || true
	finish udp-auto
}

# ---- 3: --transport tcp with UDP open ------------------------------------
scenario_3() {
	bring_up tcp-forced --transport tcp || return
	ok "tcp-forced: tunnel up, first ping after $UP_MS ms"
	check "tcp-forced: connected over TCP from the start" \
	    log_has "connecting to .* over TCP"
	check "tcp-forced: tunnel is over TCP" log_has "tunnel up.*over tcp"
	check "tcp-forced: the gateway has the TCP connection (ESP in TCP)" \
	    gw_tcp_estab
	iperf tcp-forced >/dev/null || true
	finish tcp-forced
}

# ping_gap LOG T_CLEAR T_END (epoch ms): the silence around the reset in
# a "ping -D" log: from the last reply before T_CLEAR (when the middlebox
# stopped resetting) to the first reply after it, and how many replies
# came after it; "none MS" when none came back before T_END.
ping_gap() {
	python3 - "$1" "$2" "$3" <<-'EOF'
	import re, sys
	log, t_clear, t_end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
	ts = [int(float(m.group(1)) * 1000) for m in
	      (re.match(r"\[(\d+\.\d+)\] \d+ bytes from", l) for l in open(log))
	      if m]
	before = [t for t in ts if t <= t_clear]
	after = [t for t in ts if t > t_clear]
	start = before[-1] if before else t_clear
	if not after:
	    print("none %d" % (t_end - start))
	else:
	    print("%d %d" % (after[0] - start, len(after)))
	EOF
}

replies_over() { [ "$(grep -c 'bytes from' "$1")" -gt "$2" ]; }

# ---- 4: the TCP connection is reset mid-transfer -------------------------
scenario_4() {
	local plog=$IR_STATE/ping-reset.log t_clear t_end gap n inits rc \
	    reopen_ms reopens
	bring_up tcp-reset --transport tcp --giveup-timeout 10000 || return
	inits=$(log_count "generating IKE_SA_INIT")
	ip netns exec "$LSGW_CLIENT_NS" ping -n -D -i 0.2 -W 1 -w 30 \
	    "$LSGW_PROTECTED" >"$plog" 2>&1 &
	PING_PID=$!
	sleep 2
	# The middlebox answers every TCP 4500 segment, both ways, with an RST
	# for 300 ms: both ends lose the connection.
	ip netns exec "$LSGW_MIDDLEBOX_NS" nft -f - <<-EOF
	table inet $RST_TABLE {
		chain rst {
			type filter hook forward priority -10; policy accept;
			tcp dport 4500 reject with tcp reset
			tcp sport 4500 reject with tcp reset
		}
	}
	EOF
	sleep 0.3
	ip netns exec "$LSGW_MIDDLEBOX_NS" nft delete table inet "$RST_TABLE"
	t_clear=$(ir_now_ms)
	# Bounded: 5 replies after the reset, or ikeroam gone, or 20 s.
	n=$(grep -c 'bytes from' "$plog")
	ir_wait 200 0.1 eval "! client_alive || replies_over $plog $((n + 5))" ||
	    true
	sleep 1
	t_end=$(ir_now_ms)
	kill_pid "$PING_PID"
	PING_PID=
	check "tcp-reset: logged 'TCP connection to the gateway lost'" \
	    log_has "TCP connection to the gateway lost"
	reopen_ms=$(sed -n 's/.*TCP connection re-opened after \([0-9]*\) ms.*/\1/p' "$LOG" | head -1)
	check "tcp-reset: logged 'TCP connection re-opened after ${reopen_ms:-?} ms'" \
	    test -n "$reopen_ms"
	reopens=$(log_count "TCP connection re-opened")
	check "tcp-reset: re-opens back off ($reopens re-opens)" \
	    test "$reopens" -le 10
	local same_sa=1
	[ "$(log_count "generating IKE_SA_INIT")" = "$inits" ] || same_sa=0
	read -r gap n <<<"$(ping_gap "$plog" "$t_clear" "$t_end")"
	if [ "$gap" != none ] && [ "$n" -ge 3 ]; then
		echo "tcp-reset: gap $gap ms without ping replies (ping -i 0.2), $n replies after it"
		ok "tcp-reset: traffic resumed after the reset"
	else
		echo "tcp-reset: no steady ping replies for ${n} ms after the reset ($gap)"
		bad "tcp-reset: traffic resumed after the reset"
	fi
	if [ "$same_sa" = 1 ]; then
		ok "tcp-reset: on the same IKE SA (IKE_SA_INIT sent $inits time(s))"
	elif log_has "closes every re-opened TCP connection"; then
		# RFC 9329 §6.1 lets the SA move to the new connection;
		# libreswan 4.10 closes it instead (pluto: "using TCP failed
		# in ikev2-responder-retransmit"), so ikeroam builds a new
		# IKE SA under the same tunnel.
		known "tcp-reset: same IKE SA (libreswan 4.10 closes every re-opened connection; ikeroam built a new IKE SA after $(log_count "re-opened after") re-open(s))"
	else
		bad "tcp-reset: a new IKE SA without the gateway refusing the re-opened connection"
	fi
	if client_alive; then
		stop_client
		rc=$?
		check "tcp-reset: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	else
		wait_exit 1
		rc=$?
		check "tcp-reset: gave up cleanly: exit status 11 (got $rc), '$(grep -m1 'error: ' "$LOG" | cut -c1-100)'" \
		    test "$rc" = 11
	fi
	check "tcp-reset: no sanitizer report" asan_clean
}

# ---- 5: the gateway restarts ---------------------------------------------
scenario_5() {
	local kind rc t0 dt
	for kind in graceful crash; do
		bring_up "restart-$kind" --transport tcp || continue
		t0=$(ir_now_ms)
		gw_restart "$kind" || bad "restart-$kind: pluto did not come back"
		# The gateway's Delete (graceful) or the lost TCP connection
		# and liveness checks (crash) end the session; ikeroam keeps
		# the tunnel and builds a new IKE SA (--reconnect-timeout).
		if ir_wait 900 0.1 log_has "reconnected in" && ping_gw 20; then
			dt=$(($(ir_now_ms) - t0))
			ok "restart-$kind: re-established, ping again $dt ms after the restart began"
			echo "restart-$kind: $(grep -m1 'reconnected in' "$LOG" | sed 's/^\[[^]]*\] [a-z]*: //')"
		else
			bad "restart-$kind: not re-established within 90 s (see $LOG)"
			tail -4 "$LOG" | sed 's/^/    /'
		fi
		stop_client
		rc=$?
		check "restart-$kind: exit status 0 after SIGINT (got $rc)" \
		    test "$rc" = 0
		check "restart-$kind: no sanitizer report" asan_clean
	done
}

# ---- 6: garbage from a fake RFC 9329 responder ---------------------------
garbage_net_up() {
	garbage_net_down
	ip netns add "$GNS_C" && ip netns add "$GNS_S" || return 1
	ip -n "$GNS_C" link set lo up
	ip -n "$GNS_S" link set lo up
	ip -n "$GNS_C" link add g0 type veth peer name g1 netns "$GNS_S"
	ip -n "$GNS_C" addr add 192.0.2.66/28 dev g0
	ip -n "$GNS_S" addr add "$FAKE_GW/28" dev g1
	ip -n "$GNS_C" link set g0 up
	ip -n "$GNS_S" link set g1 up
}

garbage_case() {	# garbage_case MODE
	local m=$1 rlog=$IR_STATE/responder-$1.log rc t0 dt line saw
	rm -f "$rlog"
	ip netns exec "$GNS_S" timeout 60 python3 "$RESPONDER" "$m" \
	    --addr "$FAKE_GW" --log "$rlog" &
	RESP_PID=$!
	if ! ir_wait 100 0.1 grep -qs listening "$rlog"; then
		bad "garbage-$m: the fake responder did not start"
		kill_pid "$RESP_PID"
		return
	fi
	t0=$(ir_now_ms)
	connect "garbage-$m" "$GNS_C" --gateway "$FAKE_GW" \
	    --id "$LSGW_CLIENT_PSK_ID" --psk-file "$PSK_FILE" \
	    --transport tcp --giveup-timeout 5000
	wait_exit 30
	rc=$?
	dt=$(($(ir_now_ms) - t0))
	# The responder logs what the client did once it has its answer.
	ir_wait 60 0.1 grep -qs "^conn 1 " "$rlog" || true
	kill_pid "$RESP_PID"
	RESP_PID=
	line=$(grep -m1 -E 'warning: .*(RFC 9329|TCP)|error: ' "$LOG" | cut -c1-110)
	saw=$(sed -n 's/^conn 1 from .* mode [a-z0-9-]*: //p' "$rlog")
	echo "garbage-$m: exit $rc after $dt ms; responder: ${saw:-nothing}"
	check "garbage-$m: no crash (exit $rc, not 124/134/139), no sanitizer report" \
	    eval "[ $rc != 124 ] && [ $rc != 134 ] && [ $rc != 139 ] && asan_clean"
	check "garbage-$m: gives up with status 5 within 5 s + 1.5 s (got $rc in $dt ms)" \
	    eval "[ $rc = 5 ] && [ $dt -le 6500 ]"
	check "garbage-$m: one clear line: '$line'" test -n "$line"
	case $saw in
	'') bad "garbage-$m: the responder saw no connection" ;;
	*"still open"*) bad "garbage-$m: ikeroam left the connection open" ;;
	*) ok "garbage-$m: the connection was closed" ;;
	esac
}

scenario_6() {
	local m
	garbage_net_up || { bad "garbage: namespaces"; return; }
	for m in len0 len1 len2 short-fin slow-junk junk fin close rst; do
		garbage_case "$m"
	done
	garbage_net_down
}

# ---- 7: ikeroam's default proposals over TCP -----------------------------
scenario_7() {
	local rc
	connect tcp-default-proposal "$LSGW_CLIENT_NS" --gateway "$LSGW_ADDR" \
	    --id "$LSGW_CLIENT_PSK_ID" --remote-id "$LSGW_ID" \
	    --psk-file "$PSK_FILE" --transport tcp --giveup-timeout 15000
	if ir_wait 200 0.1 up_or_dead && tunnel_up && ping_gw 30; then
		ok "tcp-default-proposal: tunnel up over TCP after the INVALID_KE_PAYLOAD round"
		stop_client
	else
		bad "tcp-default-proposal: tunnel up over TCP after the INVALID_KE_PAYLOAD round (libreswan closes the TCP connection after it; see $LOG)"
		grep -v debug "$LOG" | grep -i "INVAL\|wants key\|error" | head -3 | sed 's/^/    /'
		grep "tcp transport" "$LOG" | head -2 | sed 's/^/    /'
		wait_exit 20
		rc=$?
		check "tcp-default-proposal: then gives up (exit 5, got $rc)" test "$rc" = 5
	fi
	check "tcp-default-proposal: no sanitizer report" asan_clean
}

# ---- 8: back to UDP when the network lets it through ---------------------
gw_espinudp() {
	"$GWSH" exec 'ip xfrm state' 2>/dev/null | grep -q 'espinudp'
}

scenario_8() {
	local t0
	"$GWSH" hotspot on
	bring_up udp-return --transport auto --udp-probe 3000 ||
	    { "$GWSH" hotspot off; return; }
	check "udp-return: starts over TCP in hotspot mode" \
	    log_has "tunnel up.*over tcp"
	"$GWSH" hotspot off
	t0=$(ir_now_ms)
	if ir_wait 300 0.1 log_has "reconnected in .* over UDP"; then
		ok "udp-return: back on UDP $(($(ir_now_ms) - t0)) ms after UDP was let through (probe every 3 s)"
	else
		bad "udp-return: back on UDP within 30 s (see $LOG)"
	fi
	check "udp-return: logged 'UDP gets through again'" \
	    log_has "UDP gets through again: moving the tunnel to UDP"
	check "udp-return: ping through the tunnel after the move" ping_gw 50
	check "udp-return: the gateway's ESP is in UDP now (ip xfrm state: espinudp)" \
	    ir_wait 50 0.2 gw_espinudp
	check "udp-return: the TUN device stayed (no second 'tunnel up')" \
	    test "$(grep -c 'tunnel up' "$LOG")" = 1
	finish udp-return
}

# ---- 9: TLS on 443, the last rung (RFC 9329 Appendix A) -------------------
# tls_443 TARGET: the middlebox takes the client's TCP to the gateway's 443
# to TARGET: "front" (its own stunnel4) or "raw" (libreswan's TCP 4500).
tls_443() {
	local to
	ip netns exec "$LSGW_MIDDLEBOX_NS" nft delete table ip "$TLS_TABLE" \
	    2>/dev/null
	[ "$1" = none ] && return 0
	if [ "$1" = front ]; then to="redirect to :443"
	else to="dnat to $LSGW_ADDR:$LSGW_TCP_PORT"; fi
	ip netns exec "$LSGW_MIDDLEBOX_NS" nft -f - <<-EOF
	table ip $TLS_TABLE {
		chain pre {
			type nat hook prerouting priority -100;
			ip daddr $LSGW_ADDR tcp dport 443 $to
		}
	}
	EOF
}

# tls_fails NAME REGEX ARGS...: --transport tls ends with one line
# matching REGEX and exit status 5.
tls_fails() {
	local name=$1 want=$2 rc line
	shift 2
	connect "$name" "$LSGW_CLIENT_NS" --gateway "$LSGW_ADDR" \
	    --id "$LSGW_CLIENT_PSK_ID" --remote-id "$LSGW_ID" \
	    --psk-file "$PSK_FILE" --ike "$LS_IKE" --transport tls "$@"
	wait_exit 30
	rc=$?
	line=$(sed -n 's/^\[ *[0-9.]*\] error: //p' "$LOG" | tail -1)
	echo "$name: $line"
	check "$name: exit status 5 (got $rc)" test "$rc" = 5
	check "$name: one line: $want" grep -q -- "$want" <<<"$line"
	check "$name: no sanitizer report" asan_clean
}

scenario_9() {
	local pki=$IR_STATE/tls-pki mid=$LSGW_MIDDLEBOX_NS tcp_ms tls_ms
	tls_make_pki "$pki" "$LSGW_ADDR" "$LSGW_ID" ||
	    { bad "tls: test PKI"; return; }
	tls_front tlsfront "$mid" 0.0.0.0:443 "$LSGW_ADDR:$LSGW_TCP_PORT" \
	    "$pki/front" "$IR_STATE/stunnel-front.log" ||
	    { bad "tls: stunnel4 front (see $IR_STATE/stunnel-front.log)"; return; }
	tls_443 front
	# The hotel: UDP dropped, TCP 4500 too; 443 gets out (to the front).
	"$GWSH" hotspot on
	ip netns exec "$mid" nft add rule inet lsgw forward tcp dport \
	    "$LSGW_TCP_PORT" counter drop
	# Its own network memory: the host's must not learn "TLS" here.
	rm -f "$IR_STATE/tls-networks.json"
	if bring_up tls-ladder --transport auto --fallback-timeout 2000 \
	    --tls-ca "$pki/ca.crt" --state-file "$IR_STATE/tls-networks.json"; then
		ok "tls-ladder: tunnel up, first ping after $UP_MS ms"
		check "tls-ladder: tried TCP after UDP's silence" \
		    log_has "no answer over UDP after .* trying TCP"
		check "tls-ladder: tried TLS after TCP's silence" \
		    log_has "no answer over TCP after .* trying TLS on port 443"
		check "tls-ladder: the tunnel is over TLS" \
		    log_has "tunnel up.*over tls"
		tcp_ms=$(log_ms "trying TCP")
		tls_ms=$(log_ms "trying TLS")
		echo "tls-ladder: TCP tried at ${tcp_ms:-?} ms, TLS at ${tls_ms:-?} ms, gateway answered over TLS at $(answered_after_ms) ms, first ping at $UP_MS ms"
		if iperf tls-ladder; then ok "tls-ladder: iperf3 through ESP in TCP in TLS"
		else bad "tls-ladder: iperf3 through ESP in TCP in TLS"; fi
		finish tls-ladder
	fi
	"$GWSH" hotspot off
	ir_stop tlsfront

	# A front whose certificate is from another CA: TLS interception.
	tls_front tlsfront "$mid" 0.0.0.0:443 "$LSGW_ADDR:$LSGW_TCP_PORT" \
	    "$pki/wrong" "$IR_STATE/stunnel-wrong.log" ||
	    { bad "tls: stunnel4 front (wrong)"; return; }
	tls_fails tls-wrong-ca "TLS to $LSGW_ADDR:443: the server.s certificate is not trusted (.*): is --tls-ca the front.s CA" \
	    --tls-ca "$pki/ca.crt"
	ir_stop tlsfront

	# 443 led to libreswan's raw RFC 9329 port: no TLS there.
	tls_443 raw
	tls_fails tls-not-tls "TLS to $LSGW_ADDR:443: the server closed the connection without a TLS answer" \
	    --tls-ca "$pki/ca.crt"
	tls_443 none
}

# ---- 10: REDIRECT (RFC 5685) over TCP ---------------------------------------
# The guest's TCP 4500 connections with the client, at ADDR.
gw_tcp_at() {
	"$GWSH" exec 'ss -tn state established' 2>/dev/null |
	    grep -q "$1:4500 *$LSGW_CLIENT_ADDR:"
}
# hold_gw2 on|off: the middlebox drops the client's TCP to .21 (SYNs are
# retransmitted; the connection comes once it is off).
hold_gw2() {
	ip netns exec "$LSGW_MIDDLEBOX_NS" nft delete table ip "$RDR_TABLE" \
	    2>/dev/null
	[ "$1" = on ] || return 0
	ip netns exec "$LSGW_MIDDLEBOX_NS" nft -f - <<-EOF
	table ip $RDR_TABLE {
		chain hold {
			type filter hook forward priority -10;
			ip daddr $GW2 tcp dport 4500 drop
		}
	}
	EOF
}
global_redirect() {	# global_redirect yes|no
	"$GWSH" exec "ipsec whack --global-redirect $1 --global-redirect-to $GW2" \
	    >>"$IR_STATE/rdr-whack.out" 2>&1
}
redirected_from_seen() {
	[ "$("$GWSH" exec 'grep -c REDIRECTED_FROM /run/pluto/pluto.log' 2>/dev/null)" != 0 ]
}

# rdr_conn NAME LEFT [KEY=VALUE,...]: the PSK conn of rw-psk at LEFT
# (libreswan refuses to override also='s left=, so the whole conn).
rdr_conn() {
	local extra=${3:-}
	"$GWSH" exec "cat >/tmp/$1.conf <<'EOF'
conn $1
	ikev2=insist
	left=$2
	leftsubnet=203.0.113.0/25
	right=%any
	enable-tcp=fallback
	tcp-remoteport=4500
	narrowing=yes
	modecfgdns=203.0.113.53
	mobike=yes
	fragmentation=yes
	authby=secret
	leftid=@gw.harness.test
	rightid=@client-psk.harness.test
	rightaddresspool=203.0.113.129-203.0.113.190
	${extra//,/$'\n\t'}
	auto=add
EOF
ipsec addconn --config /tmp/$1.conf $1" >>"$IR_STATE/rdr-conns.out" 2>&1
}

scenario_10() {
	local rc line
	# The emulated gateway answers slowly on a loaded host: each of the
	# several IKE SAs here may take it tens of seconds.
	local UP_TRIES=1200 SLOW=(--giveup-timeout 90000)
	# A second address, and pluto listening on it (UDP and TCP).
	"$GWSH" exec "ip addr add $GW2/24 dev eth0 && ipsec whack --listen" \
	    >"$IR_STATE/rdr-listen.out" 2>&1 ||
	    { bad "redirect: second gateway address $GW2"; return; }
	rdr_conn rdr-21 "$GW2" ||
	    { bad "redirect: a conn at $GW2 (see $IR_STATE/rdr-conns.out)"; return; }

	# IKE_SA_INIT (§4.2), over TCP, followed.
	global_redirect yes ||
	    { bad "redirect: ipsec whack --global-redirect yes (see $IR_STATE/rdr-whack.out)"; return; }
	hold_gw2 on
	connect redirect-init "$LSGW_CLIENT_NS" --gateway "$LSGW_ADDR" \
	    --id "$LSGW_CLIENT_PSK_ID" --remote-id "$LSGW_ID" \
	    --psk-file "$PSK_FILE" --ike "$LS_IKE" --transport tcp "${SLOW[@]}"
	check "redirect-init: 'redirected by $LSGW_ADDR to $GW2' (IKE_SA_INIT over TCP)" \
	    ir_wait 300 0.1 log_has "redirected by $LSGW_ADDR to $GW2\$"
	global_redirect no
	hold_gw2 off
	if ir_wait 1200 0.1 up_or_dead && tunnel_up; then
		ok "redirect-init: tunnel up at $GW2 over TCP"
		check "redirect-init: ping through the tunnel" ping_gw 100
		check "redirect-init: the gateway's TCP connection is at $GW2" \
		    ir_wait 30 0.2 gw_tcp_at "$GW2"
		check "redirect-init: REDIRECTED_FROM reached $GW2 (pluto log)" \
		    redirected_from_seen
		finish redirect-init
	else
		bad "redirect-init: tunnel up at $GW2 (see $LOG)"
		stop_client
	fi

	# During the session (§6), over TCP: pluto's active redirect of the
	# established SA (whack --redirect-to); make-before-break.
	if bring_up redirect-session --transport tcp "${SLOW[@]}"; then
		local n sent lost
		ip netns exec "$LSGW_CLIENT_NS" ping -n -c 40 -i 0.1 -W 1 \
		    "$LSGW_PROTECTED" >"$IR_STATE/rdr-ping.out" 2>&1 &
		PING_PID=$!
		sleep 1
		n=$(log_count "the tunnel moved to")
		"$GWSH" exec "ipsec whack --name rw-psk --redirect-to $GW2" \
		    >>"$IR_STATE/rdr-whack.out" 2>&1
		check "redirect-session: the tunnel moved to $GW2 over TCP" \
		    ir_wait 1200 0.1 eval "[ \$(log_count 'the tunnel moved to $GW2 .* over TCP') -gt $n ]"
		wait "$PING_PID" 2>/dev/null
		PING_PID=
		sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$IR_STATE/rdr-ping.out")
		lost=$(( ${sent:-0} - $(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$IR_STATE/rdr-ping.out" | grep . || echo 0) ))
		echo "redirect-session: ping every 0.1 s through the redirect: ${sent:-0} sent, $lost lost"
		check "redirect-session: the pings went on ($lost of ${sent:-0} lost, at most 2)" \
		    test "${sent:-0}" -ge 30 -a "$lost" -le 2
		check "redirect-session: 'redirected by $LSGW_ADDR to $GW2'" \
		    log_has "redirected by $LSGW_ADDR to $GW2\$"
		check "redirect-session: the gateway's TCP connection is at $GW2" \
		    ir_wait 30 0.2 gw_tcp_at "$GW2"
		check "redirect-session: the old SA is deleted: none left at $LSGW_ADDR" \
		    ir_wait 50 0.2 eval "! gw_tcp_at $LSGW_ADDR"
		check "redirect-session: ping through the tunnel at $GW2" ping_gw 50
		finish redirect-session
	fi

	# The same, never turned off: a loop, given up after five.
	global_redirect yes
	connect redirect-loop "$LSGW_CLIENT_NS" --gateway "$LSGW_ADDR" \
	    --id "$LSGW_CLIENT_PSK_ID" --remote-id "$LSGW_ID" \
	    --psk-file "$PSK_FILE" --ike "$LS_IKE" --transport tcp "${SLOW[@]}"
	wait_exit 120
	rc=$?
	global_redirect no
	line=$(sed -n 's/^\[ *[0-9.]*\] error: //p' "$LOG" | tail -1)
	echo "redirect-loop: $line"
	check "redirect-loop: five redirects followed, then exit status 12 (got $rc, $(log_count "redirected by") followed)" \
	    test "$rc" = 12 -a "$(log_count "redirected by")" = 5
	check "redirect-loop: one line says it is a loop" \
	    grep -q "redirected us 6 times within 5 minutes.*a redirect loop" <<<"$line"

	# IKE_AUTH (§5): redirect-to on the connection at .20 only.
	"$GWSH" exec 'ipsec auto --delete rw-psk' >/dev/null 2>&1
	rdr_conn rdr-20 "$LSGW_ADDR" "send-redirect=yes,redirect-to=$GW2" ||
	    bad "redirect-auth: a conn with redirect-to (see $IR_STATE/rdr-conns.out)"
	"$GWSH" hotspot on
	if bring_up redirect-auth --transport auto "${SLOW[@]}"; then
		check "redirect-auth: 'redirected by $LSGW_ADDR to $GW2' (IKE_AUTH)" \
		    log_has "redirected by $LSGW_ADDR to $GW2\$"
		check "redirect-auth: the ladder ran again at $GW2 (TCP after UDP, twice)" \
		    test "$(log_count "trying TCP port")" -ge 2
		check "redirect-auth: the gateway's TCP connection is at $GW2" \
		    ir_wait 30 0.2 gw_tcp_at "$GW2"
		check "redirect-auth: none left at $LSGW_ADDR" \
		    eval "! gw_tcp_at $LSGW_ADDR"
		finish redirect-auth
	else
		"$GWSH" exec 'tail -60 /run/pluto/pluto.log' \
		    >"$IR_STATE/rdr-pluto-tail.log" 2>&1
		echo "    pluto's log: $IR_STATE/rdr-pluto-tail.log"
	fi
	"$GWSH" hotspot off
	"$GWSH" exec "ipsec auto --delete rdr-20; ipsec auto --delete rdr-21;
	    ipsec auto --add rw-psk; ip addr del $GW2/24 dev eth0" >/dev/null 2>&1
	return 0
}

# ---- 11: NetworkManager in hotspot mode --------------------------------------
BUILD=$(dirname "$IKEROAM")
NM_ST=$IR_STATE/nm
NM_UPLINK_GW=
nm_tun_count() { nm_in ip -o link show type tun | wc -l; }
# The ikeroam processes (privileged part and network part) in the client
# namespace: those NetworkManager's service started.
nm_ikeroam_pids() {
	local p
	for p in $(ip netns pids "$LSGW_CLIENT_NS" 2>/dev/null); do
		case $(cat "/proc/$p/comm" 2>/dev/null) in
		ikeroam|ikeroam-net) echo "$p" ;;
		esac
	done
}
nm_nothing_left() { [ "$(nm_tun_count)" = 0 ] && [ -z "$(nm_ikeroam_pids)" ]; }
# No IKE or Child SA of the PSK conn in pluto, no XFRM state in the guest.
# The PSK conn's SAs in pluto (ipsec trafficstatus, as the other
# scenarios ask) and the XFRM states in the guest.  Not whack
# --showstates: libreswan 4.10's pluto segfaults printing a half-open
# IKE SA left over TCP by an earlier scenario ("segfault at 18" in the
# guest's dmesg), and the check then fails on "is Pluto running?".
gw_states() {
	"$GWSH" exec 'ipsec trafficstatus; ip xfrm state' \
	    >"$IR_STATE/nm-gw-states.out" 2>&1
}
gw_no_state() {
	gw_states || return 1
	! grep -q 'rw-psk\|^src ' "$IR_STATE/nm-gw-states.out"
}
gw_has_state() {
	gw_states && grep -q 'rw-psk' "$IR_STATE/nm-gw-states.out" &&
	    grep -q '^src ' "$IR_STATE/nm-gw-states.out"
}

scenario_11() {
	local n=nm-hotspot t0 up_out rc addr vip line why before
	local f
	for f in "$BUILD/nm/nm-ikeroam-service" "$BUILD/nm/nm-ikeroam-auth-dialog"; do
		[ -x "$f" ] || { bad "$n: $f not built (configure found no libnm?)"; return; }
	done
	command -v NetworkManager >/dev/null ||
	    { bad "$n: NetworkManager not installed (scripts/deps-nm.sh)"; return; }
	rm -rf "$NM_ST"
	mkdir -p "$NM_ST"
	chmod 0700 "$NM_ST"
	sed -e "s|@LIBEXECDIR@|$BUILD/nm|g" -e "s|@NMPLUGINDIR@|$BUILD/nm|g" \
	    "$TOP/nm/nm-ikeroam-service.name.in" >"$NM_ST/nm-ikeroam-service.name"
	t0=$(ir_now_ms)
	NM_UPLINK_GW=$(ip -n "$LSGW_CLIENT_NS" route show default |
	    awk '{ print $3; exit }')
	# NetworkManager owns the uplink: the harness's address goes.
	ip -n "$LSGW_CLIENT_NS" addr flush dev c0 scope global
	if ! NM_MANAGED=c0 nm_start "$LSGW_CLIENT_NS" "$NM_ST/root" \
	    "$NM_ST/nm-ikeroam-service.name" "$TOP/nm/nm-ikeroam-service.conf" \
	    IKEROAM_NM_IKEROAM="$IKEROAM" IKEROAM_NM_VERBOSE=1; then
		bad "$n: NetworkManager did not start (see $NM_LOG)"
		nm_restore_uplink
		return
	fi
	if ! { nm_cli connection add type ethernet ifname c0 con-name uplink \
	    ipv4.method manual ipv4.addresses "$LSGW_CLIENT_ADDR/24" \
	    ipv4.gateway "$NM_UPLINK_GW" ipv6.method disabled \
	    connection.autoconnect no >/dev/null &&
	    nm_cli --wait 60 connection up uplink >/dev/null; }; then
		bad "$n: NetworkManager's uplink did not come up (see $NM_LOG)"
		nm_stop
		nm_restore_uplink
		return
	fi
	ok "$n: NetworkManager and its uplink up in $(($(ir_now_ms) - t0)) ms"
	nm_cli connection add type vpn con-name ls-hotspot vpn-type ikeroam \
	    vpn.data "gateway=$LSGW_ADDR, auth=psk, id=$LSGW_CLIENT_PSK_ID, remote-id=$LSGW_ID, psk-flags=0, transport=auto, fallback-timeout=2000, giveup-timeout=90000, ike=$LS_IKE" \
	    vpn.secrets "psk=$LSGW_PSK" connection.autoconnect no >/dev/null ||
	    bad "$n: nmcli connection add type vpn"
	"$GWSH" hotspot on
	before=$(stat -c %s "$NM_LOG")
	t0=$(ir_now_ms)
	up_out=$(nm_cli --wait 150 connection up ls-hotspot 2>&1)
	rc=$?
	if [ $rc = 0 ]; then
		ok "$n: nmcli connection up with UDP dropped in $(($(ir_now_ms) - t0)) ms"
	else
		bad "$n: nmcli connection up (status $rc): $(echo "$up_out" | tail -1)"
	fi
	# shellcheck disable=SC2016 # expanded by eval
	check "$n: NetworkManager shows the VPN activated" eval \
	    '[ "$(nm_cli -g GENERAL.STATE connection show ls-hotspot)" = activated ]'
	line=$(tail -c +"$((before + 1))" "$NM_LOG" | grep -m1 'ikeroam: transport' |
	    sed 's/.*\(ikeroam: transport\)/\1/')
	check "$n: NetworkManager's log has the transport line: '$line'" \
	    grep -q '^ikeroam: transport tcp: no answer over UDP' <<<"$line"
	why=$(tail -c +"$((before + 1))" "$NM_LOG" |
	    grep -m1 'no answer over UDP after' | sed 's/.*\] info: //')
	check "$n: NetworkManager's log says why: '$why'" \
	    grep -q 'no answer over UDP after .*trying TCP' <<<"$why"
	addr=$(nm_cli -g IP4.ADDRESS connection show ls-hotspot 2>/dev/null)
	vip=${addr%/*}
	check "$n: IP4.ADDRESS '$addr' from the PSK pool (.129-.190), on the tun" \
	    eval "[ '${vip%.*}' = 203.0.113 ] && [ '${vip##*.}' -ge 129 ] &&
		[ '${vip##*.}' -le 190 ] &&
		nm_in ip -4 -o addr show type tun | grep -q ' $addr '"
	check "$n: ping $LSGW_PROTECTED through the tunnel" ping_gw 100
	check "$n: the gateway has the TCP connection (ESP in TCP)" \
	    ir_wait 30 0.2 gw_tcp_estab
	# Asked again for up to 10 s: one ssh into a loaded guest may fail
	# (CI once); what the gateway said is printed if it never does.
	if ir_wait 20 0.5 gw_has_state; then
		ok "$n: the gateway holds the session's Child SA (ipsec trafficstatus, ip xfrm state)"
	else
		bad "$n: the gateway holds the session's Child SA (ipsec trafficstatus, ip xfrm state)"
		sed 's/^/    gateway: /' "$IR_STATE/nm-gw-states.out" | head -20
		# shellcheck disable=SC2016 # expanded in the guest
		"$GWSH" exec 'echo "pluto pid: $(pidof pluto)"; ls -la /run/pluto;
		    tail -40 /run/pluto/pluto.log; dmesg | tail -5' 2>&1 |
		    sed 's/^/    guest: /'
	fi
	t0=$(ir_now_ms)
	check "$n: nmcli connection down" nm_cli connection down ls-hotspot
	echo "$n: down in $(($(ir_now_ms) - t0)) ms"
	check "$n: no ikeroam process, no tun left" nm_settle nm_nothing_left
	check "$n: no route to $LSGW_PROTECTED_NET left" \
	    eval "! ip -n $LSGW_CLIENT_NS route | grep -q '${LSGW_PROTECTED_NET%/*}'"
	check "$n: the gateway holds no SA of the session (ipsec trafficstatus, ip xfrm state)" \
	    ir_wait 30 0.5 gw_no_state
	"$GWSH" hotspot off
	nm_stop
	nm_restore_uplink
}

# The harness's own address and route on c0 again, for later scenarios.
nm_restore_uplink() {
	ip -n "$LSGW_CLIENT_NS" addr replace "$LSGW_CLIENT_ADDR/24" dev c0
	ip -n "$LSGW_CLIENT_NS" link set c0 up
	ip -n "$LSGW_CLIENT_NS" route replace default via "$NM_UPLINK_GW"
}

# ---- the run -------------------------------------------------------------
t_start=$(ir_now_ms)
needs_gw=0
for s in $LS_SCENARIOS; do
	case $s in [1-5789]|1[01]) needs_gw=1 ;; esac
done
if [ "$needs_gw" = 1 ]; then
	"$GWSH" stop >/dev/null 2>&1 || true
	GW_STARTED=1
	# The image build and the boot are heavy: one at a time on this host.
	flock /tmp/ikeroam-lsgw.lock "$GWSH" start ||
	    ir_die "libreswan gateway did not start"
	echo "gateway: booted in $(cat "/run/ikeroam-interop-ls/$LSGW_PREFIX/boot-seconds" 2>/dev/null || echo '?') s"
fi
eval "$("$GWSH" env)"
# The PSK of the test gateway, in a 0600 file as ikeroam requires.
(umask 077 && printf '%s\n' "$LSGW_PSK" >"$PSK_FILE")

for s in $LS_SCENARIOS; do
	echo "---- scenario $s"
	[ "$needs_gw" = 1 ] && "$GWSH" hotspot off && "$GWSH" nat off
	"scenario_$s"
done

echo "interop (libreswan, RFC 9329): $(( ($(ir_now_ms) - t_start) / 1000 )) s"
[ "$xfail" -gt 0 ] && echo "$xfail known libreswan 4.10 limitation(s) (XFAIL, not counted)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
