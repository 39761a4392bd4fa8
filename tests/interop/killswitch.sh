#!/bin/bash
# tests/interop/killswitch.sh: ikeroam --kill-switch against the strongSwan
# gateway (strongswan/gateway.sh, split tunnel 203.0.113.0/24), in network
# namespaces with the prefix ks.
#
#  1. With --kill-switch the tunnel comes up and 203.0.113.10 answers
#     through it; the middlebox 198.51.100.1 (outside the tunnel) does
#     not, and the table's drop counter counts it.
#  2. kill -9 of ikeroam: the table stays.  A capture on the client's
#     uplink (tcpdump -Q out on eth0) while pinging 203.0.113.10 and
#     198.51.100.1, sending DNS and TCP, shows no IP packet leaving
#     except to the gateway (one datagram to its port 500 proves that the
#     capture sees what does leave).
#  3. A new run with --kill-switch takes the table over (one nftables
#     transaction) and connects, though DNS is blocked (the gateway's
#     recorded address); SIGINT: exit 0, the table and the record are
#     gone, 198.51.100.1 answers again.
#     killswitch_update_gateways() (tests/src/killswitch_probe) adds a
#     second gateway address to the table and the record.
#  4. The session is lost (exit 11): the table stays and one line says
#     how to clear it; `ikeroam kill-switch off` removes it and plain
#     connectivity is back; `kill-switch status` says off; without
#     CAP_NET_ADMIN the command exits 10.
#  5. After `nft delete table` by hand an update does not bring the
#     table back and removes the stale record.
#  6. With the stock vpnc-script (its routes set up early by ikeroam,
#     --script-routes early): a capture on eth0 from before the start
#     until the tunnel is up and used, under a ping of 203.0.113.10 every
#     20 ms from the moment the table is there, holds no IP packet except
#     to the gateway; SIGINT: exit 0, the table gone, the client's routes
#     as before.
# Prints PASS/FAIL per check, the captured counts, and "N passed, N failed".
#
# Environment: IKEROAM (default build/ikeroam), KILLSWITCH_PROBE (default
# tests/src/killswitch_probe beside it), IR_PREFIX (default ks).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-ks}
IR_TAG=killswitch
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
ir_find_ikeroam
PROBE=${KILLSWITCH_PROBE:-$(dirname "$IKEROAM")/tests/src/killswitch_probe}
GWSH=$IR_HERE/strongswan/gateway.sh
[ -x "$PROBE" ] || ir_die "$PROBE not built"
ir_need_cmds charon-cmd swanctl nft tcpdump setpriv

TABLE=(inet ikeroam_killswitch)
pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
LOG=

cleanup() {
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	ir_stop tcpdump INT
	"$GWSH" stop >/dev/null 2>&1
}
ir_on_exit cleanup

cli() { ip netns exec "$IR_NS_CLI" "$@"; }
table_there() { cli nft list table "${TABLE[@]}" >/dev/null 2>&1; }
table_gone() { ! table_there; }
record() { echo "$IR_STATE/cli/run/ikeroam/killswitch"; }
dropped_out() {
	cli nft list counter "${TABLE[@]}" dropped_out 2>/dev/null |
	    sed -n 's/.*packets \([0-9]*\).*/\1/p'
}
no_ping() { ! cli ping -n -q -c 1 -W 1 "$1" >/dev/null 2>&1; }
gw4_set() { cli nft list set "${TABLE[@]}" gw4 2>/dev/null | grep elements; }
gw4_has() { gw4_set | grep -q "$1"; }
record_has() {	# record_has LINE...: each a whole line of the record
	local l
	for l in "$@"; do grep -qx "$l" "$(record)" || return 1; done
}

# connect NAME GATEWAY [ARGS...]: ikeroam --kill-switch in the client
# namespace.  With HOSTS set, that file is the client's /etc/hosts; SCRIPT
# (default "--script none") is ikeroam's network setup.
connect() {
	local name=$1 gw=$2
	shift 2
	LOG=$IR_STATE/ikeroam-$name.log
	: >"$LOG"
	# shellcheck disable=SC2016 # expanded by the inner shell
	ir_cli_run sh -c '[ -z "$0" ] || mount --bind "$0" /etc/hosts
	    exec "$@"' "${HOSTS:-}" "$IKEROAM" connect --gateway "$gw" -v \
	    ${SCRIPT---script none} --kill-switch --id "$IR_PSK_ID" \
	    --psk-file "$IR_PSK_FILE" --remote-id "$IR_GW_ID" "$@" \
	    >>"$LOG" 2>&1 </dev/null &
	CLIENT_PID=$!
	IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
	wait_up "$name" "with --kill-switch"
}

# out_start NAME: capture what leaves eth0; out_leaks: stop, count the
# IP packets to anything but the gateway (ARP, ND and MLD are allowed).
out_start() {
	OUT_PCAP=$IR_STATE/$1.pcap
	rm -f "$OUT_PCAP" "$IR_STATE/tcpdump.log"
	ir_spawn tcpdump "$IR_NS_CLI" "$IR_STATE/tcpdump-run" \
	    "$IR_STATE/tcpdump.log" timeout 60 tcpdump -i eth0 -Q out -n -U \
	    --immediate-mode -w "$OUT_PCAP"
	ir_wait 100 0.05 grep -q "listening on" "$IR_STATE/tcpdump.log" ||
	    bad "capture: tcpdump did not start"
}
out_leaks() {
	sleep 0.3
	ir_stop tcpdump INT
	tcpdump -r "$OUT_PCAP" -n "(ip and not dst host $IR_GW) or \
	    (ip6 and not icmp6 and not dst net ff02::/16)" 2>/dev/null | wc -l
}

# leak_capture: after kill -9, try to leak and count what left eth0.
leak_capture() {
	local pcap all gw leaks arp nd
	out_start leak		# --immediate-mode: nothing waits at SIGINT
	pcap=$OUT_PCAP
	cli ping -n -q -c 3 -i 0.2 -W 1 "$IR_LAN_HOST" >/dev/null 2>&1
	cli ping -n -q -c 3 -i 0.2 -W 1 "$IR_MIDBOX" >/dev/null 2>&1
	# DNS to the pushed server and to the hotspot's, TCP to the LAN.
	cli timeout 2 bash -c "echo leak >/dev/udp/$IR_DNS/53" 2>/dev/null
	cli timeout 2 bash -c "echo leak >/dev/udp/$IR_MID_CLI_ADDR/53" \
	    2>/dev/null
	cli timeout 2 bash -c "echo leak >/dev/tcp/$IR_LAN_HOST/80" \
	    2>/dev/null
	# Allowed: what the capture must see (port 500 of the gateway).
	cli timeout 2 bash -c "echo probe >/dev/udp/$IR_GW/500" 2>/dev/null
	sleep 1
	ir_stop tcpdump INT
	all=$(tcpdump -r "$pcap" -n 2>/dev/null | wc -l)
	gw=$(tcpdump -r "$pcap" -n "ip and dst host $IR_GW" 2>/dev/null |
	    wc -l)
	arp=$(tcpdump -r "$pcap" -n arp 2>/dev/null | wc -l)
	# ND, and MLD reports (ICMPv6 behind a hop-by-hop header, which
	# tcpdump's "icmp6" does not see): link-local, allowed by design.
	nd=$(tcpdump -r "$pcap" -n "icmp6 or (ip6 and dst net ff02::/16)" \
	    2>/dev/null | wc -l)
	leaks=$(tcpdump -r "$pcap" -n "(ip and not dst host $IR_GW) or \
	    (ip6 and not icmp6 and not dst net ff02::/16)" \
	    2>/dev/null | wc -l)
	echo "capture on $IR_NS_CLI eth0 after kill -9: $all packets out:" \
	    "$gw to the gateway, $arp ARP, $nd ND/MLD, $leaks other IP;" \
	    "the table dropped $(dropped_out) in all"
	check "kill -9: no IP packet leaves except to the gateway ($leaks)" \
	    test "$leaks" = 0
	check "kill -9: the capture saw the datagram to the gateway ($gw)" \
	    test "$gw" -ge 1
}

t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
check "before: $IR_MIDBOX answers without a kill switch" \
    ir_ping "$IR_NS_CLI" "$IR_MIDBOX" 10

# 1 and 2: up, then SIGKILL.  The gateway by name, from a hosts file.
printf '127.0.0.1 localhost\n%s %s\n' "$IR_GW" "$IR_GW_ID" \
    >"$IR_STATE/hosts"
if HOSTS=$IR_STATE/hosts connect crash "$IR_GW_ID"; then
	check "crash: table ${TABLE[*]} installed" table_there
	check "crash: record $(record)" test -s "$(record)"
	check "crash: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	before=$(dropped_out)
	check "crash: ping $IR_MIDBOX outside the tunnel is dropped" \
	    no_ping "$IR_MIDBOX"
	after=$(dropped_out)
	check "crash: dropped_out counted it (${before:-?} -> ${after:-?})" \
	    test "${after:-0}" -gt "${before:-0}"
	out=$(ir_cli_run "$IKEROAM" kill-switch status 2>&1)
	rc=$?
	check "crash: kill-switch status exits 0 and says on (got $rc)" \
	    test "$rc" = 0 -a -n "$(printf '%s' "$out" | grep 'kill switch: on')"
	printf '%s\n' "$out" | sed 's/^/    /'
	stop_client KILL
	check "crash: the table stays after kill -9" table_there
	leak_capture
	# What MOBIKE code calls when the gateway's addresses change.
	check "update: killswitch_update_gateways with a second address" \
	    ir_cli_run "$PROBE" "$IR_GW" 198.51.100.11
	check "update: set gw4 now has both ($(gw4_set | tr -s ' \t' ' '))" \
	    gw4_has "$IR_GW, 198.51.100.11"
	check "update: the record has both, for the same name" \
	    record_has "address 198.51.100.11" "gateway $IR_GW_ID"
fi

# 3: a new run takes the table over; a clean disconnect removes it.  No
# hosts file: the kill switch blocks DNS, the recorded address stands in.
if connect takeover "$IR_GW_ID"; then
	check "takeover: $(grep -o 'cannot resolve.*' "$LOG")" \
	    grep -q "using its recorded address $IR_GW" "$LOG"
	check "takeover: kill switch re-applied over the old table" \
	    grep -q "kill switch on" "$LOG"
	check "takeover: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	stop_client INT
	rc=$?
	check "takeover: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "takeover: the table is removed" table_gone
	check "takeover: the record is removed" test ! -e "$(record)"
	check "takeover: log says '$(grep -o 'kill switch off.*' "$LOG")'" \
	    grep -q "kill switch off" "$LOG"
	check "takeover: $IR_MIDBOX answers again" \
	    ir_ping "$IR_NS_CLI" "$IR_MIDBOX" 10
fi

# 4: the session is lost (the gateway deletes it, no reconnecting): the
# table stays, one line says how to clear it; then clear it by hand.
if connect lost "$IR_GW" --reconnect-timeout 0; then
	"$GWSH" terminate >/dev/null 2>&1
	ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 30
	rc=$?
	CLIENT_PID=
	IKEROAM_PID=
	check "lost: exit status 11 (got $rc)" test "$rc" = 11
	check "lost: the table stays" table_there
	check "lost: says '$(grep -o 'kill switch stays on.*' "$LOG")'" \
	    grep -q "kill switch stays on.*ikeroam kill-switch off" "$LOG"
	out=$(ir_cli_run setpriv --bounding-set=-all --inh-caps=-all \
	    "$IKEROAM" kill-switch off 2>&1)
	rc=$?
	check "manual: without CAP_NET_ADMIN: exit 10 (got $rc), says: $out" \
	    test "$rc" = 10
	out=$(ir_cli_run "$IKEROAM" kill-switch off 2>&1)
	rc=$?
	check "manual: kill-switch off exits 0 (got $rc): $out" test "$rc" = 0
	check "manual: the table is removed" table_gone
	check "manual: the record is removed" test ! -e "$(record)"
	check "manual: $IR_MIDBOX answers again" \
	    ir_ping "$IR_NS_CLI" "$IR_MIDBOX" 10
	out=$(ir_cli_run "$IKEROAM" kill-switch status 2>&1)
	rc=$?
	check "manual: kill-switch status exits 1 and says off (got $rc)" \
	    test "$rc" = 1 -a "$out" = "kill switch: off"
	out=$(ir_cli_run "$IKEROAM" kill-switch off 2>&1)
	check "manual: a second kill-switch off says '$out'" \
	    test "$out" = "kill switch: already off"
fi

# 5: removed with nft by hand, the record left behind: an update must
# not bring the table back, and drops the stale record.
if connect stale "$IR_GW"; then
	stop_client KILL
	cli nft delete table "${TABLE[@]}"
	check "stale: update after 'nft delete table' exits 0" \
	    ir_cli_run "$PROBE" "$IR_GW" 198.51.100.11
	check "stale: the table stays removed" table_gone
	check "stale: the stale record is removed" test ! -e "$(record)"
fi

# 6: the stock vpnc-script, whose routes ikeroam sets up before it runs:
# nothing leaves outside the tunnel from the start to the end.
# Case 5's kill -9 left a host route to the gateway, which this start
# cleans up: the routes to compare are the others.
routes_before=$(cli ip route | grep -v "^$IR_GW " | sort)
out_start early
# The ping starts once the table is there (before it, nothing is
# protected): from then on until the tunnel carries it.
( ir_wait 300 0.01 table_there &&
    exec ip netns exec "$IR_NS_CLI" ping -n -q -i 0.02 -c 1500 -W 1 \
    "$IR_LAN_HOST" ) >/dev/null 2>&1 &
ping_pid=$!
if SCRIPT= connect early "$IR_GW"; then
	check "early: the stock script ran" grep -q "reason connect" "$LOG"
	check "early: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	kill "$ping_pid" 2>/dev/null
	wait "$ping_pid" 2>/dev/null
	leaks=$(out_leaks)
	echo "capture on $IR_NS_CLI eth0 from the start until up: $leaks" \
	    "IP packets to others than the gateway"
	check "early: no IP packet left except to the gateway ($leaks)" \
	    test "$leaks" = 0
	stop_client INT
	rc=$?
	check "early: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "early: the table is removed" table_gone
	routes_after=$(cli ip route | sort)
	check "early: no host route to the gateway left" \
	    test -z "$(cli ip route show "$IR_GW")"
	check "early: the client's routes as before" \
	    test "$routes_before" = "$routes_after"
	[ "$routes_before" = "$routes_after" ] ||
	    diff <(echo "$routes_before") <(echo "$routes_after") |
	    sed 's/^/    /'
else
	kill "$ping_pid" 2>/dev/null
	ir_stop tcpdump INT
fi

ir_summary "interop (kill switch)"
