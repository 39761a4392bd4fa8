#!/bin/bash
# tests/interop/client-roam.sh: ikeroam roaming against real gateways
# (issue 7): a client with two uplinks A and B through the middlebox
# (netns.sh with IR_UPLINKS=2) to the strongSwan 5.9.8 gateway, and for
# case d also the libreswan 4.10 RFC 9329 gateway in qemu.
#
# Every case runs under a continuous "ping -D -i 0.1" to 203.0.113.10, a
# DNS probe to the pushed server 203.0.113.53 every 0.2 s and tcpdump on
# the client's uplinks:
#   a  uplink A's address disappears, the default route moves to B
#   b  a default route via B with a lower metric; A stays up
#   c  "suspend": the client is stopped (SIGSTOP) for longer than the
#      gateway's DPD (5 s, given up after 10 s), A is lost meanwhile, SIGCONT
#   d  the middlebox drops all UDP mid-session.  strongSwan has no TCP: the
#      tunnel must stay, leak nothing and carry traffic again once UDP is
#      allowed.  libreswan (dl): traffic goes on over TCP, then back on UDP
#      when it is allowed again.
#   e  NAT rebinding: the middlebox changes the client's NAT port
# with the gateway's MOBIKE on or off (mobike = no) and a split (local_ts
# 203.0.113.0/24) or full tunnel (0.0.0.0/0): see ROAM_CASES.
#
# Per case one line of figures: the gap from the change (c: from SIGCONT;
# d against strongSwan: from UDP allowed again) to the first answered
# ping, by ping's own time stamps (roam/gap.py); the requests lost; whether the gateway kept the
# same IKE SA (the newest one in swanctl --list-sas, its SPIs and peer
# address before and after); the packets leaked on the uplinks (split: any
# packet to 203.0.113.0/24; full: any packet but IKE/ESP in UDP 500/4500,
# TCP 4500 or TLS 443 (RFC 9329) to the gateway, ARP, ICMPv6, DHCP).
# Checks: traffic again within 20 s, no leaked packet, exit status 0 after
# SIGINT and no IKE SA left on the gateway; the same IKE SA for a and b
# with MOBIKE; at the end no namespace left.  Timings are printed, never
# asserted.
#
# ROAM_MODE=bench (what tests/bench/roam_bench.sh runs): the same cases,
# then each again with strongSwan's own client (a charon daemon driven by
# swanctl, tests/interop/charon-cmd.sh psk) as the reference, and one table
# beside the aims of issue 7; nothing asserted.
#
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default rm),
# LSGW_PREFIX (default rl), ROAM_CASES (CASE:MOBIKE:TUNNEL words, "dl" for
# libreswan; default below), ROAM_STOP (seconds stopped in c, default 20),
# ROAM_BLOCK (seconds of UDP dropped in d, default 12: the gateway's DPD,
# 30 s, does not end the SA meanwhile).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-rm}
export IR_UPLINKS=2
IR_TAG=client-roam
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
export IR_STATE
ir_need_root
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=$(readlink -f "${IKEROAM:-$TOP/build/ikeroam}")
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
ir_need_cmds swanctl nft tcpdump conntrack python3 ping
GWSH=$IR_HERE/strongswan/gateway.sh
NETNS=$IR_HERE/netns.sh
CHARON=$IR_HERE/charon-cmd.sh
GAP=$IR_HERE/roam/gap.py
export LSGW_PREFIX=${LSGW_PREFIX:-rl}
LSGWSH=$IR_HERE/libreswan/gateway.sh
LS_IKE=aes256gcm16-prfsha256-modp2048	# what libreswan 4.10 wants first
MODE=${ROAM_MODE:-test}
STOP_S=${ROAM_STOP:-20}
BLOCK_S=${ROAM_BLOCK:-12}
RECOVER_S=20		# traffic again within this long: the pass bound
# Grouped by gateway configuration: a reload only between groups.
if [ "$MODE" = bench ]; then
	DEFAULT_CASES="a:on:split b:on:split e:on:split a:off:split
	    d:on:split c:on:split dl"
else
	DEFAULT_CASES="a:on:split b:on:split e:on:split a:on:full b:on:full
	    a:off:split b:off:split e:off:split a:off:full b:off:full
	    d:on:split d:on:full c:on:split dl"
fi
CASES=${ROAM_CASES:-$DEFAULT_CASES}

pass=0
fail=0
CLIENT=ikeroam		# or charon (the reference, bench mode)
CLIENT_PID=
PROC_PID=
LOG=
GW_CONF=
LS_UP=0
declare -A R		# bench figures: R[ID/CLIENT/field]

verdict() {	# verdict ID TEXT CMD...: PASS or FAIL (nothing in bench mode)
	local id=$1 what=$2 v=FAIL
	shift 2
	[ "$MODE" = bench ] && return 0
	if "$@"; then v=PASS; pass=$((pass + 1)); else fail=$((fail + 1)); fi
	echo "$v: $id: $what"
}

cleanup() {
	[ -n "$PROC_PID" ] && kill -CONT "$PROC_PID" 2>/dev/null
	[ "$CLIENT" = ikeroam ] && [ -n "$PROC_PID" ] &&
	    kill -KILL "$PROC_PID" 2>/dev/null
	"$CHARON" down >/dev/null 2>&1
	"$GWSH" stop >/dev/null 2>&1
	if [ "$LS_UP" = 1 ]; then
		LS_UP=0
		"$LSGWSH" stop >/dev/null 2>&1
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the client under test or the reference --------------------------------

tunnel_up() { grep -q "tunnel up" "$LOG"; }
client_alive() { [ -n "$CLIENT_PID" ] && kill -0 "$CLIENT_PID" 2>/dev/null; }
up_or_dead() { tunnel_up || ! client_alive; }

# client_start ID NS TARGET ARGS...: ikeroam (in the private mount
# namespace of ir_cli_run) or the reference, up and pinging TARGET.
client_start() {
	local id=$1 ns=$2 target=$3
	shift 3
	LOG=$IR_STATE/$CLIENT-$id.log
	if [ "$CLIENT" = charon ]; then
		"$CHARON" up psk >"$LOG" 2>&1 || return 1
		PROC_PID=$(ir_pidfile_pid cli-charon)
	else
		: >"$LOG"
		IR_NS_CLI=$ns ir_cli_run "$IKEROAM" connect -v \
		    --captive-url none --status-file "$IR_STATE/status-$id.json" \
		    "$@" >>"$LOG" 2>&1 </dev/null &
		CLIENT_PID=$!
		PROC_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
		# SIGSTOP, SIGCONT and SIGINT must reach ikeroam itself.
		[ "$(cat "/proc/$PROC_PID/comm" 2>/dev/null)" = ikeroam ] ||
		    { ir_log "ikeroam's pid not found under $CLIENT_PID"; return 1; }
		ir_wait 300 0.1 up_or_dead && tunnel_up || return 1
	fi
	ir_ping "$ns" "$target" 50
}

# net_pid ID: the network part's pid (the status file's; "" with
# --no-privsep, where it is ikeroam itself).
net_pid() {
	local p
	p=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' \
	    "$IR_STATE/status-$1.json" 2>/dev/null)
	[ -n "$p" ] && [ "$p" != "$PROC_PID" ] && echo "$p"
}

# client_stop: SIGINT (ikeroam; its exit status, 124 when it hung) or the
# reference's delete.
client_stop() {
	local rc=0
	if [ "$CLIENT" = charon ]; then
		"$CHARON" down >/dev/null 2>&1
	elif [ -n "$CLIENT_PID" ]; then
		kill -INT "$PROC_PID" 2>/dev/null
		ir_client_wait "$CLIENT_PID" "$PROC_PID" 10
		rc=$?
	fi
	CLIENT_PID=
	PROC_PID=
	return $rc
}

status_transport() {	# the transport in ikeroam's --status-file
	python3 -c 'import json,sys
try:
    print(json.load(open(sys.argv[1])).get("transport", "-"))
except Exception:
    print("-")' "$1" 2>/dev/null
}

# ---- watching a case: ping, DNS probe, capture -----------------------------

# watch_start ID NS TARGET DNS IFACES...: tcpdump (outbound) on each uplink,
# then ping every 0.1 s and a UDP datagram to DNS:53 every 0.2 s, all
# recorded under $IR_PIDS (bounded: -w and timeout as well).
watch_start() {
	local id=$1 ns=$2 target=$3 dns=$4 i
	shift 4
	W_IFACES=("$@")
	for i in "$@"; do
		rm -f "$IR_STATE/cap-$id-$i.pcap" "$IR_STATE/cap-$id-$i.log"
		ir_spawn "cap-$i" "$ns" "$IR_STATE/watch-run" \
		    "$IR_STATE/cap-$id-$i.log" timeout 300 tcpdump -n -U -i "$i" \
		    -Q out -w "$IR_STATE/cap-$id-$i.pcap"
		ir_wait 100 0.05 grep -q "listening on" \
		    "$IR_STATE/cap-$id-$i.log" ||
		    ir_log "tcpdump on $i did not start"
	done
	W_PING=$IR_STATE/ping-$id.log
	rm -f "$W_PING"
	ir_spawn ping "$ns" "$IR_STATE/watch-run" "$W_PING" \
	    ping -n -D -O -i 0.1 -W 1 -w 300 "$target"
	# shellcheck disable=SC2016 # expanded by the inner bash
	ir_spawn dnsprobe "$ns" "$IR_STATE/watch-run" /dev/null \
	    timeout 300 bash -c 'while :; do
		echo probe 2>/dev/null >"/dev/udp/$1/53"; sleep 0.2; done' \
	    sh "$dns"
}

watch_stop() {
	local i
	ir_stop dnsprobe
	ir_stop ping
	for i in "${W_IFACES[@]}"; do
		ir_stop "cap-$i" INT
	done
}

gap_now() { python3 "$GAP" "$W_PING" "$1"; }
steady_after() {	# five replies to requests sent after $1
	local n
	n=$(gap_now "$1")
	[ "${n##* }" -ge 5 ]
}

# wait_steady T0: until steady_after T0, at most RECOVER_S past T0.
wait_steady() {
	while [ $(($(ir_now_ms) - $1)) -lt $((RECOVER_S * 1000)) ]; do
		steady_after "$1" && return 0
		sleep 0.25
	done
	return 1
}

# in_time GAP: traffic came back within RECOVER_S.
in_time() { [ "$1" != none ] && [ "$1" -le $((RECOVER_S * 1000)) ]; }

# leaks ID FILTER: packets on the uplinks matching FILTER; prints the count
# and the first of them.
leaks() {
	local id=$1 filter=$2 i n total=0 f
	for i in "${W_IFACES[@]}"; do
		f=$IR_STATE/cap-$id-$i.pcap
		[ -s "$f" ] || continue
		n=$(tcpdump -n -r "$f" "$filter" 2>/dev/null | wc -l)
		if [ "$n" -gt 0 ]; then
			tcpdump -n -r "$f" -c 3 "$filter" 2>/dev/null |
			    sed "s/^/    leak on $i: /" >&2
		fi
		total=$((total + n))
	done
	echo "$total"
}

# ---- the strongSwan gateway ------------------------------------------------

# gw_config MOBIKE TUNNEL DPD: reload the gateway's connections when they
# differ (MOBIKE yes|no, split|full, DPD normal|short).
gw_config() {
	local want="$1 $2 $3" ts=$IR_LAN_NET dpd=30s tries=5 tmo=4.0 base=1.8
	[ "$GW_CONF" = "$want" ] && return 0
	[ "$2" = full ] && ts=0.0.0.0/0
	# Short DPD: a check after 5 s without inbound traffic, given up
	# after 5 tries 2 s apart, so ~10 s: the "suspend" outlives it.
	[ "$3" = short ] && { dpd=5s; tries=4; tmo=2.0; base=1.0; }
	"$GWSH" terminate >/dev/null 2>&1
	MOBIKE=$1 LOCAL_TS=$ts DPD_DELAY=$dpd RETRANSMIT_TRIES=$tries \
	    RETRANSMIT_TIMEOUT=$tmo RETRANSMIT_BASE=$base \
	    "$GWSH" reload >/dev/null 2>&1 || ir_die "gateway reload failed"
	GW_CONF=$want
}

# The gateway's newest IKE SA: "#N SPI_I PEER[PORT]", or "none".
sa_info() {
	"$GWSH" list-sas 2>/dev/null | awk '
	/^[A-Za-z0-9_-]+: #[0-9]+,/ {
		n = substr($2, 2) + 0
		cur = n > best
		if (cur) { best = n; spi = $5; sub(/_i.*/, "", spi); peer = "-" }
		next
	}
	/^  remote / && cur {
		for (i = 1; i < NF; i++) if ($i == "@") peer = $(i + 1)
	}
	END { if (best) printf "#%d %s %s\n", best, spi, peer; else print "none" }'
}

# uplink PEER[PORT]: which uplink the gateway sees the client on.
uplink_of() {
	case ${1%%\[*} in
	"$IR_CLI_ADDR") echo A ;;
	"$IR_CLI_B_ADDR") echo B ;;
	"$IR_MIDBOX") echo NAT ;;
	*) echo - ;;
	esac
}

sas_gone() { [ "$("$GWSH" count-sas 2>/dev/null)" = 0 ]; }

# ---- one case against strongSwan -------------------------------------------

# ss_case CASE MOBIKE TUNNEL: a|b|c|d|e, on|off, split|full.
ss_case() {
	local kase=$1 mob=$2 tun=$3 id dpd=normal t_change t0 gap lost n
	local sa0 sa1 same leaked filter rc mobike=yes at_resume='' from via
	id=$kase-mobike-$mob-$tun
	[ "$mob" = off ] && mobike=no
	[ "$kase" = c ] && dpd=short
	gw_config "$mobike" "$tun" "$dpd"
	"$GWSH" terminate >/dev/null 2>&1
	"$NETNS" uplink reset
	"$NETNS" udp allow
	if [ "$kase" = e ]; then "$NETNS" nat on; else "$NETNS" nat off; fi
	ir_cli_resolv_reset
	if [ "$tun" = full ]; then
		export IR_CLI_REMOTE_TS=0.0.0.0/0
		# Link-local IPv6 multicast (ND, and MLD reports behind a
		# hop-by-hop header, which "icmp6" does not match) is the
		# kernel's own, never traffic that belongs in the tunnel.
		filter="not (dst host $IR_GW and (udp port 500 or udp port 4500 or tcp port 4500 or tcp port 443)) and not arp and not icmp6 and not (ip6 and dst net ff02::/16) and not (udp port 67 or udp port 68)"
	else
		export IR_CLI_REMOTE_TS=$IR_LAN_NET
		filter="dst net $IR_LAN_NET"
	fi
	echo "---- $id ($CLIENT)"
	if ! client_start "$id" "$IR_NS_CLI" "$IR_LAN_HOST" --gateway "$IR_GW" \
	    --id "$IR_PSK_ID" --psk-file "$IR_PSK_FILE" \
	    --remote-id "$IR_GW_ID"; then
		verdict "$id" "tunnel up and a first ping (see $LOG)" false
		tail -3 "$LOG" | sed 's/^/    /'
		client_stop
		return
	fi
	sa0=$(sa_info)
	watch_start "$id" "$IR_NS_CLI" "$IR_LAN_HOST" "$IR_DNS" eth0 eth1
	sleep 2
	# t_change: the change is in place; t0: what the gap is measured from
	# (c: SIGCONT, d: UDP allowed again).
	case $kase in
	a) "$NETNS" uplink lose-a ;;
	b) "$NETNS" uplink prefer-b ;;
	c)
		# Both parts of ikeroam (src/priv.h), as a suspend freezes all.
		NET_PID=$(net_pid "$id")
		kill -STOP "$PROC_PID" $NET_PID
		"$NETNS" uplink lose-a
		;;
	d) "$NETNS" udp block ;;
	e) "$NETNS" nat rebind ;;
	esac
	t_change=$(ir_now_ms)
	case $kase in
	c)
		sleep "$STOP_S"
		at_resume=$(sa_info)
		kill -CONT "$PROC_PID" $NET_PID
		;;
	d)
		sleep "$BLOCK_S"
		"$NETNS" udp allow
		;;
	esac
	t0=$(ir_now_ms)
	wait_steady "$t0"
	sleep 1
	watch_stop
	read -r gap lost n <<<"$(gap_now "$t0")"
	sa1=$(sa_info)
	# Same SPIs after; "-" when no traffic came back on any SA.
	same=no
	[ "$sa1" != none ] && [ "$(cut -d' ' -f2 <<<"$sa0")" = \
	    "$(cut -d' ' -f2 <<<"$sa1")" ] && same=yes
	in_time "$gap" || same=-
	leaked=$(leaks "$id" "$filter")
	client_stop
	rc=$?
	case $kase in
	c) from="after SIGCONT (stopped $((t0 - t_change)) ms; the gateway had $at_resume then)" ;;
	d) from="after UDP was allowed again (dropped $((t0 - t_change)) ms)" ;;
	*) from="after the change" ;;
	esac
	via=$(uplink_of "${sa1##* }")
	echo "$id ($CLIENT): gap $gap ms $from, $lost lost, $n replies after; same IKE SA: $same ($sa0 -> $sa1, uplink $via); leaked $leaked"
	R[$id/$CLIENT/via]=$via
	R[$id/$CLIENT/gap]=$gap
	R[$id/$CLIENT/lost]=$lost
	R[$id/$CLIENT/same]=$same
	R[$id/$CLIENT/leaks]=$leaked
	[ "$CLIENT" = charon ] && return
	verdict "$id" "traffic again within $RECOVER_S s (gap $gap ms)" \
	    in_time "$gap"
	verdict "$id" "no packet leaked on the uplinks ($leaked)" \
	    test "$leaked" = 0
	if [ "$mob" = on ] && { [ "$kase" = a ] || [ "$kase" = b ]; }; then
		verdict "$id" "traffic on the same IKE SA ($sa0 -> $sa1)" \
		    test "$same" = yes
	fi
	verdict "$id" "exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	verdict "$id" "the gateway holds no IKE SA after the exit" \
	    ir_wait 50 0.1 sas_gone
}

# ---- d against libreswan (RFC 9329) ----------------------------------------

ls_transport_is() { [ "$(status_transport "$IR_STATE/status-$1.json")" = "$2" ]; }

ls_case() {
	local id=d-libreswan-tcp t0 t1 gap lost n gap2 lost2 leaked rc
	local psk=$IR_STATE/ls-psk over=- back=none
	echo "---- $id ($CLIENT)"
	if [ "$LS_UP" = 0 ]; then
		"$LSGWSH" stop >/dev/null 2>&1
		LS_UP=1
		# Another suite may build or boot the same cached image.
		if ! flock -w 900 /tmp/ikeroam-lsgw.lock "$LSGWSH" start; then
			verdict "$id" "the libreswan gateway started" false
			return
		fi
	fi
	eval "$("$LSGWSH" env)"
	(umask 077 && printf '%s\n' "$LSGW_PSK" >"$psk")
	"$LSGWSH" hotspot off
	"$LSGWSH" nat off
	if ! client_start "$id" "$LSGW_CLIENT_NS" "$LSGW_PROTECTED" \
	    --gateway "$LSGW_ADDR" --id "$LSGW_CLIENT_PSK_ID" \
	    --remote-id "$LSGW_ID" --psk-file "$psk" --ike "$LS_IKE" \
	    --script none --transport auto --udp-probe 3000; then
		verdict "$id" "tunnel up over UDP and a first ping (see $LOG)" false
		tail -3 "$LOG" | sed 's/^/    /'
		client_stop
		return
	fi
	watch_start "$id" "$LSGW_CLIENT_NS" "$LSGW_PROTECTED" "$LSGW_DNS" c0
	sleep 2
	"$LSGWSH" hotspot on
	t0=$(ir_now_ms)
	wait_steady "$t0"
	read -r gap lost n <<<"$(gap_now "$t0")"
	over=$(status_transport "$IR_STATE/status-$id.json")
	"$LSGWSH" hotspot off
	t1=$(ir_now_ms)
	if [ "$over" = tcp ] &&
	    ir_wait $((RECOVER_S * 4)) 0.25 ls_transport_is "$id" udp; then
		back=$(($(ir_now_ms) - t1))
	fi
	wait_steady "$t1"
	sleep 1
	watch_stop
	read -r gap2 lost2 _ <<<"$(gap_now "$t1")"
	leaked=$(leaks "$id" "dst net $LSGW_PROTECTED_NET or dst host $LSGW_DNS")
	client_stop
	rc=$?
	echo "$id ($CLIENT): UDP dropped: gap $gap ms, $lost lost, $n replies after, then over $over; UDP allowed again: back on UDP after $back ms, gap $gap2 ms, $lost2 lost; leaked $leaked"
	R[$id/$CLIENT/gap]=$gap
	R[$id/$CLIENT/lost]=$lost
	R[$id/$CLIENT/same]=-
	R[$id/$CLIENT/leaks]=$leaked
	R[$id/$CLIENT/back]=$back
	verdict "$id" "traffic again within $RECOVER_S s after UDP was dropped (gap $gap ms)" \
	    in_time "$gap"
	verdict "$id" "the tunnel moved to TCP (status file: $over)" \
	    test "$over" = tcp
	verdict "$id" "back on UDP within $RECOVER_S s once allowed ($back ms)" \
	    test "$back" != none
	verdict "$id" "traffic after the move back (gap $gap2 ms)" \
	    in_time "$gap2"
	verdict "$id" "no packet leaked on the uplink ($leaked)" \
	    test "$leaked" = 0
	verdict "$id" "exit status 0 after SIGINT (got $rc)" test "$rc" = 0
}

# ---- the table (bench mode) ------------------------------------------------

aim() {
	case $1 in
	a-mobike-on-*) echo "<1 s, same SA" ;;
	a-mobike-off-*) echo "<=3 s" ;;
	b-*) echo "<1 s, no loss, same SA" ;;
	c-*) echo "<=3 s after SIGCONT" ;;
	d-libreswan-tcp) echo "over TCP <10 s" ;;
	d-*) echo "again once UDP allowed" ;;
	e-*) echo "traffic continues" ;;
	esac
}

fig() {	# fig ID CLIENT: gap, lost, same SA, uplink, leaks
	local k=$1/$2 gap
	[ -n "${R[$k/gap]+x}" ] || { echo "-"; return; }
	gap="${R[$k/gap]} ms"
	[ "${R[$k/gap]}" = none ] && gap="none in $RECOVER_S s"
	printf '%s, %s lost, SA %s via %s, %s leaks' "$gap" \
	    "${R[$k/lost]}" "${R[$k/same]}" "${R[$k/via]:--}" "${R[$k/leaks]}"
}

table() {
	local c id k m t ref
	echo
	echo "roaming figures (gap: change -> first answered ping; c: from SIGCONT; d: strongSwan from UDP allowed again, libreswan from UDP dropped)"
	printf '%-22s %-24s %-46s %s\n' case aim ikeroam "strongSwan client (charon, reference)"
	for c in $CASES; do
		if [ "$c" = dl ]; then
			id=d-libreswan-tcp
		else
			IFS=: read -r k m t <<<"$c"
			id=$k-mobike-$m-$t
		fi
		ref=$(fig "$id" charon)
		[ "$c" = dl ] && ref="- (strongSwan has no RFC 9329)"
		printf '%-22s %-24s %-46s %s\n' "$id" "$(aim "$id")" \
		    "$(fig "$id" ikeroam)" "$ref"
	done
	[ -n "${R[d-libreswan-tcp/ikeroam/back]+x}" ] &&
	    echo "d-libreswan-tcp: back on UDP ${R[d-libreswan-tcp/ikeroam/back]} ms after UDP was allowed (--udp-probe 3000)"
	return 0
}

# ---- the run ---------------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
for c in $CASES; do
	case $c in
	dl) CLIENT=ikeroam ls_case ;;
	?:o[nf]*:*)
		IFS=: read -r k m t <<<"$c"
		CLIENT=ikeroam ss_case "$k" "$m" "$t"
		[ "$MODE" = bench ] && CLIENT=charon ss_case "$k" "$m" "$t"
		;;
	*) ir_die "ROAM_CASES: '$c' is not CASE:on|off:split|full or dl" ;;
	esac
done
"$GWSH" stop >/dev/null 2>&1
if [ "$LS_UP" = 1 ]; then
	LS_UP=0
	"$LSGWSH" stop >/dev/null 2>&1
fi
left=
for ns in "$IR_NS_CLI" "$IR_NS_MID" "$IR_NS_GW" "$IR_NS_LAN" \
    "$LSGW_PREFIX-cli" "$LSGW_PREFIX-mid"; do
	ir_ns_exists "$ns" && left="$left $ns"
done
verdict roam "no namespace left${left:+ (left:$left)}" test -z "$left"
[ "$MODE" = bench ] && table
echo "interop (roaming): $(( ($(ir_now_ms) - t_start) / 1000 )) s"
[ "$MODE" = bench ] && exit 0
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
