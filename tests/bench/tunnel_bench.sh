#!/bin/bash
# tests/bench/tunnel_bench.sh: ikeroam's tunnel figures, side by side,
# all measured in the same run, printed as one table.  Never asserts on a
# timing: aims are printed beside the figures, with a reason where one is
# missed.  Exit 0 whenever the table was produced; 1 if setup failed.
#
#  (a) ikeroam and charon-cmd against the harness's strongSwan gateway
#      (tests/interop/strongswan/gateway.sh, kernel-libipsec) at the same
#      offered rate: iperf3 TCP -b $TCP_RATE and UDP -b $UDP_RATE, 5 s each;
#      throughput, client CPU per Mbit delivered (/proc/PID/stat utime +
#      stime), RSS idle and after the runs (VmRSS), start -> first ping.
#  (b) the data-path ceiling: ikeroam against tests/bench/esp_gw (our own
#      ESP engine on the far side, not the bottleneck) over UDP and over
#      TCP (RFC 9329), one unlimited iperf3 TCP stream, beside plain veth
#      between the same namespaces; ping (-i 0.2) idle and under load.
#  (c) fallback: all UDP dropped at the middlebox (netns.sh udp block),
#      --transport auto: start -> first ping.
#
# Topology: tests/interop/netns.sh (RFC 5737 addresses only), namespaces
# ${IR_PREFIX}-cli/-mid/-gw/-lan, made and removed here.  Only processes
# this script started are stopped (pid files under $IR_STATE/pids).
#
# Environment: IKEROAM (default build/ikeroam), ESP_GW (default: next to
# IKEROAM, tests/bench/esp_gw), IR_PREFIX (default irbench), SECONDS_RUN
# (default 5), TCP_RATE (150M), UDP_RATE (100M), BENCH_ESP (aes128gcm16),
# BENCH_IKE (aes128gcm16-prfsha256-x25519), BENCH_SKIP_A=1 (only (b), (c)),
# BENCH_AB=0 (no runs with ikeroam's TUN offloads off).  Needs root, iperf3,
# charon-cmd.
set -u -o pipefail
IR_PREFIX=${IR_PREFIX:-irbench}
IR_TAG=tunnel_bench
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
INTEROP=$TOP/tests/interop
# shellcheck source=tests/interop/lib.sh
. "$INTEROP/lib.sh"
export IR_PREFIX IR_STATE	# read by gateway.sh, netns.sh, charon-cmd.sh
ir_need_root
ir_need_cmds iperf3 charon-cmd swanctl nft python3 ping

IKEROAM=$(readlink -f "${IKEROAM:-$TOP/build/ikeroam}")
ESP_GW=$(readlink -f "${ESP_GW:-$(dirname "$IKEROAM")/tests/bench/esp_gw}")
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
[ -x "$ESP_GW" ] || ir_die "$ESP_GW not built (make tests/bench/esp_gw)"
T=${SECONDS_RUN:-5}
TCP_RATE=${TCP_RATE:-150M}
UDP_RATE=${UDP_RATE:-100M}
ESP=${BENCH_ESP:-aes128gcm16}
IKE=${BENCH_IKE:-aes128gcm16-prfsha256-x25519}
GWSH=$INTEROP/strongswan/gateway.sh
NETNS=$INTEROP/netns.sh
HZ=$(getconf CLK_TCK)
OUT=$IR_STATE/bench
declare -A R		# every figure, by key; "-" where none was measured

# ---- helpers ---------------------------------------------------------------

# shellcheck disable=SC2317 # called from the trap
cleanup() {
	stop_ikeroam
	"$INTEROP/charon-cmd.sh" down >/dev/null 2>&1
	"$GWSH" stop >/dev/null 2>&1 || "$NETNS" down >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

r() { echo "${R[$1]:--}"; }		# a figure, or "-"

cpu_us1() {	# "utime stime" of PID (fields 14, 15 of /proc/PID/stat)
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0 0; return; }
	s=${s##*) }
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $s
	echo "${12} ${13}"
}

# "utime stime" of PID and its children: with privilege separation the
# data path runs in ikeroam's child (the network part).
cpu_us() {
	local u=0 s=0 a b p
	for p in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		read -r a b <<<"$(cpu_us1 "$p")"
		u=$((u + a))
		s=$((s + b))
	done
	echo "$u $s"
}

cpu_ticks() {	# utime + stime of PID
	local u s
	read -r u s <<<"$(cpu_us "$1")"
	echo $((u + s))
}

cpu_busy() {	# "busy total" jiffies of all CPUs, from /proc/stat
	awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i
	    print t - $5 - $6, t; exit }' /proc/stat
}

rss_mb() {	# VmRSS of PID in MB, one decimal
	awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" \
	    2>/dev/null || echo -
}

# mid_quiet on|off: the middlebox drops packets for the LAN silently,
# before routing (instead of "net unreachable", which ends ping -w), so
# that first_ping can use one ping process.  Tunnel packets are not
# addressed to the LAN and pass.
mid_quiet() {
	if [ "$1" = on ]; then
		ip netns exec "$IR_NS_MID" nft -f - <<-EOF
		table ip irbench {
			chain prerouting {
				type filter hook prerouting priority -10;
				ip daddr $IR_LAN_NET drop
			}
		}
		EOF
	else
		ip netns exec "$IR_NS_MID" nft delete table ip irbench
	fi
}

# first_ping T0_MS: ms from T0 until an echo through the tunnel returns
# (a ping every 10 ms, at most 20 s), or "-".
first_ping() {
	if ip netns exec "$IR_NS_CLI" ping -n -q -c 1 -i 0.01 -w 20 \
	    "$IR_LAN_HOST" >/dev/null 2>&1; then
		echo $(($(ir_now_ms) - $1))
	else
		echo -
	fi
}

# iperf NAME ARGS...: iperf3 from the client to the LAN host, JSON kept.
iperf() {
	local name=$1
	shift
	ip netns exec "$IR_NS_CLI" timeout $((T + 15)) iperf3 -c \
	    "$IR_LAN_HOST" -t "$T" -J "$@" >"$OUT/$name.json" 2>/dev/null
}

# iperf_fig NAME: "Mbit/s-delivered Mbit-delivered loss%" from the JSON.
iperf_fig() {
	python3 - "$OUT/$1.json" <<-'EOF' 2>/dev/null || echo "- - -"
	import json, sys
	d = json.load(open(sys.argv[1]))["end"]
	rx = d["sum_received"]
	loss = d.get("sum", {}).get("lost_percent", 0.0)
	print("%.0f %.1f %.1f" % (rx["bits_per_second"] / 1e6,
	    rx["bytes"] * 8 / 1e6, loss))
	EOF
}

# ping_fig COUNT: "avg/max" ms of COUNT echoes 0.2 s apart, or "-".
ping_fig() {
	ip netns exec "$IR_NS_CLI" timeout 30 ping -n -q -i 0.2 -c "$1" \
	    -W 2 "$IR_LAN_HOST" 2>/dev/null | awk -F'[/ ]' \
	    '/^rtt/ { printf "%.2f/%.1f", $8, $9; found = 1 }
	    END { if (!found) print "-" }'
}

# start_ikeroam LOG ARGS...: ikeroam in the client namespace (private
# mount namespace, scratch resolv.conf); its pid in $IR_PIDS/ikeroam.pid.
IK_PID=
start_ikeroam() {
	local log=$1
	shift
	rm -f "$IR_PIDS/ikeroam.pid" "$OUT/networks.json"
	mkdir -p "$IR_PIDS"
	# shellcheck disable=SC2016
	ir_cli_run sh -c 'echo $$ >"$0" && exec "$@"' "$IR_PIDS/ikeroam.pid" \
	    "$IKEROAM" connect --gateway "$IR_GW" -v --script none \
	    --captive-url none --state-file "$OUT/networks.json" \
	    --ike "$IKE" --esp "$ESP" "$@" >"$log" 2>&1 </dev/null &
	ir_wait 100 0.01 test -s "$IR_PIDS/ikeroam.pid" || return 1
	IK_PID=$(cat "$IR_PIDS/ikeroam.pid")
}

stop_ikeroam() {	# SIGINT (Delete, routes undone), KILL after 5 s
	[ -n "$IK_PID" ] || return 0
	kill -INT "$IK_PID" 2>/dev/null
	if ! ir_wait 100 0.05 eval "! kill -0 $IK_PID 2>/dev/null"; then
		kill -KILL "$IK_PID" 2>/dev/null
	fi
	rm -f "$IR_PIDS/ikeroam.pid"
	IK_PID=
}

# load_run NAME PID ARGS...: one iperf3 run with the client's CPU ticks
# around it; R[NAME.mbit], R[NAME.loss], R[NAME.cpu] (ms per Mbit),
# R[NAME.sys] (the kernel's share of that CPU time, %).
load_run() {
	local name=$1 pid=$2 c0 c1 u0 s0 u1 s1 fig
	shift 2
	read -r u0 s0 <<<"$(cpu_us "$pid")"
	iperf "$name" "$@"
	read -r u1 s1 <<<"$(cpu_us "$pid")"
	c0=$((u0 + s0))
	c1=$((u1 + s1))
	[ "$c1" -gt "$c0" ] && R[$name.sys]=$(( (s1 - s0) * 100 / (c1 - c0) ))
	read -r "R[$name.mbit]" "R[$name.mb]" "R[$name.loss]" \
	    <<<"$(iperf_fig "$name")"
	fig=${R[$name.mb]}
	if [ "$fig" != - ] && [ "${fig%.*}" -gt 0 ]; then
		R[$name.cpu]=$(awk -v t=$((c1 - c0)) -v hz="$HZ" -v mb="$fig" \
		    'BEGIN { printf "%.3f", t / hz * 1000 / mb }')
	fi
}

# client_figures K PID: RSS idle, TCP and UDP at the offered rates, RSS.
client_figures() {
	local k=$1 pid=$2
	sleep 1
	R[$k.rss0]=$(rss_mb "$pid")
	load_run "$k.tcp" "$pid" -b "$TCP_RATE"
	load_run "$k.udp" "$pid" -u -b "$UDP_RATE" -l 1300
	sleep 0.5
	R[$k.rss1]=$(rss_mb "$pid")
}

ratio() {	# ratio A B [DIGITS]: A / B, or "-"
	awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {
	    if (a == "-" || b == "-" || b + 0 == 0) print "-";
	    else printf "%.*f", d, a / b }'
}

# ---- (a) ikeroam and charon-cmd against strongSwan ---------------------------

part_a() {
	local base_env t0
	"$GWSH" stop >/dev/null 2>&1
	"$GWSH" start >"$OUT/gateway-start.log" 2>&1 ||
	    ir_die "strongSwan gateway did not start (see $OUT/gateway-start.log)"
	eval "$("$GWSH" env)"
	mid_quiet on || ir_die "nft in the middlebox failed"
	ir_spawn iperf3 "$IR_NS_LAN" "$IR_STATE/lan-run" "$OUT/iperf3-a.log" \
	    iperf3 -s
	ir_wait 50 0.05 eval "ip netns exec $IR_NS_LAN ss -ltn | grep -q ':5201 '" ||
	    ir_die "iperf3 server did not start"

	t0=$(ir_now_ms)
	start_ikeroam "$OUT/ikeroam-a.log" --id "$IR_CLIENT_ID" \
	    --cert "$IR_CLIENT_CERT" --key "$IR_CLIENT_KEY" --ca "$IR_CA" \
	    --remote-id "$IR_GW_ID" --transport udp ||
	    ir_die "ikeroam did not start"
	R[ik.up]=$(first_ping "$t0")
	if [ "$(r ik.up)" != - ]; then
		client_figures ik "$IK_PID"
	else
		ir_log "ikeroam: no tunnel to strongSwan; last lines:"
		tail -5 "$OUT/ikeroam-a.log" >&2
	fi
	stop_ikeroam

	# charon-cmd (ECDSA certificate, the same as ikeroam's) started in
	# the background, so that the first ping is timed the same way.
	base_env=$OUT/charon-cmd.env
	t0=$(ir_now_ms)
	IR_CLI_IKE=$IKE IR_CLI_ESP=$ESP timeout 40 "$INTEROP/charon-cmd.sh" \
	    up cert >"$base_env" 2>"$OUT/charon-cmd-up.err" &
	R[cc.up]=$(first_ping "$t0")
	wait $!
	if [ "$(r cc.up)" != - ] && CC_PID=$(ir_pidfile_pid charon-cmd); then
		client_figures cc "$CC_PID"
	else
		ir_log "charon-cmd: no tunnel (see $OUT/charon-cmd-up.err)"
	fi
	"$INTEROP/charon-cmd.sh" down >/dev/null 2>&1
	"$GWSH" stop >/dev/null 2>&1
}

# ---- (b) the ceiling against esp_gw, (c) the fallback ------------------------

# ceiling K: ping idle, then iperf3 unlimited with ping under load and
# the CPU share of ikeroam ($IK_PID) and esp_gw during the run.
ceiling() {
	local k=$1 gw_pid ci0 ci1 cg0 cg1 w0 w1 ppid b0 t0 b1 t1
	shift
	gw_pid=$(ir_pidfile_pid espgw)
	R[$k.ping0]=$(ping_fig 25)
	read -r b0 t0 <<<"$(cpu_busy)"
	ci0=$(cpu_ticks "${IK_PID:-0}")
	cg0=$(cpu_ticks "$gw_pid")
	w0=$(ir_now_ms)
	iperf "$k" "$@" &
	ppid=$!
	sleep 0.5
	R[$k.ping1]=$(ping_fig 20)
	wait "$ppid"
	w1=$(ir_now_ms)
	ci1=$(cpu_ticks "${IK_PID:-0}")
	cg1=$(cpu_ticks "$gw_pid")
	read -r b1 t1 <<<"$(cpu_busy)"
	R[$k.busy]=$(( (b1 - b0) * 100 / (t1 - t0 > 0 ? t1 - t0 : 1) ))
	read -r "R[$k.mbit]" "R[$k.mb]" "R[$k.loss]" <<<"$(iperf_fig "$k")"
	if [ -n "$IK_PID" ]; then
		R[$k.cpu_ik]=$(( (ci1 - ci0) * 100000 / HZ / (w1 - w0) ))
		R[$k.cpu_gw]=$(( (cg1 - cg0) * 100000 / HZ / (w1 - w0) ))
	fi
}

ikeroam_case() {	# ikeroam_case K TRANSPORT [IPERF ARGS]: connect, ceiling, stop
	local k=$1 tr=$2 t0
	shift 2
	t0=$(ir_now_ms)
	start_ikeroam "$OUT/ikeroam-$k.log" "${PSK[@]}" --transport "$tr" ||
	    ir_die "ikeroam did not start"
	R[$k.up]=$(first_ping "$t0")
	if [ "$(r "$k.up")" != - ]; then
		ceiling "$k" "$@"
	else
		ir_log "ikeroam over $tr: no tunnel to esp_gw; last lines:"
		tail -5 "$OUT/ikeroam-$k.log" >&2
	fi
	stop_ikeroam
}

part_bc() {
	local t0
	"$NETNS" up >/dev/null 2>&1 || ir_die "netns.sh up failed"
	eval "$("$NETNS" env)"
	mid_quiet on || ir_die "nft in the middlebox failed"
	mkdir -p "$IR_STATE/secrets"
	chmod 0700 "$IR_STATE/secrets"
	(umask 077 && printf 'bench-%s\n' \
	    "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" \
	    >"$IR_STATE/secrets/bench-psk")
	PSK=(--id client-psk@vpn.test --psk-file "$IR_STATE/secrets/bench-psk"
	    --remote-id vpn.test)
	ir_spawn espgw "$IR_NS_GW" "$IR_STATE/gw-run" "$OUT/esp_gw.log" \
	    "$ESP_GW" --psk-file "$IR_STATE/secrets/bench-psk" \
	    --pool 198.51.100.129 --dns "$IR_DNS" --tun bgw0 -v
	ir_spawn iperf3 "$IR_NS_LAN" "$IR_STATE/lan-run" "$OUT/iperf3-b.log" \
	    iperf3 -s
	ir_wait 50 0.05 eval "ip netns exec $IR_NS_GW ss -ltn | grep -q ':4500 '" ||
	    ir_die "esp_gw is not listening (see $OUT/esp_gw.log)"
	ir_wait 50 0.05 eval "ip netns exec $IR_NS_LAN ss -ltn | grep -q ':5201 '" ||
	    ir_die "iperf3 server did not start"

	# Plain veth, the same three hops: the middlebox routes the LAN
	# straight to the gateway for this run only.
	mid_quiet off
	ip -n "$IR_NS_MID" route add "$IR_LAN_NET" via "$IR_GW" ||
	    ir_die "cannot route the LAN for the veth run"
	IK_PID=
	ceiling veth
	ip -n "$IR_NS_MID" route del "$IR_LAN_NET" via "$IR_GW"
	mid_quiet on

	ikeroam_case udp udp
	# A/B in the same run: ikeroam without UDP GSO, and without any
	# offload (the path before tun/tun_gso.c: one packet per TUN read,
	# one datagram per message); esp_gw keeps its own.  BENCH_AB=0: skip.
	if [ "${BENCH_AB:-1}" = 1 ]; then
		IKEROAM_NO_UDP_GSO=1 ikeroam_case udp1 udp
		IKEROAM_NO_OFFLOAD=1 ikeroam_case udp0 udp
		# the other way: the gateway sends, ikeroam coalesces (GRO)
		ikeroam_case udpr udp -R
		IKEROAM_NO_OFFLOAD=1 ikeroam_case udpr0 udp -R
	fi
	ikeroam_case tcp tcp
	[ "${BENCH_AB:-1}" = 1 ] && IKEROAM_NO_OFFLOAD=1 ikeroam_case tcp0 tcp

	"$NETNS" udp block >/dev/null || ir_die "netns.sh udp block failed"
	t0=$(ir_now_ms)
	start_ikeroam "$OUT/ikeroam-fallback.log" "${PSK[@]}" --transport auto ||
	    ir_die "ikeroam did not start"
	R[fb.up]=$(first_ping "$t0")
	grep -q 'tunnel up.*over tcp' "$OUT/ikeroam-fallback.log" &&
	    R[fb.over]=tcp
	stop_ikeroam
	"$NETNS" udp allow >/dev/null
	"$NETNS" down >/dev/null 2>&1
}

# ---- the table -------------------------------------------------------------

row() { printf '  %-44s %12s %12s %8s\n' "$@"; }

aim() {	# aim OK|MISS|- TEXT [WHY]
	printf '  %-4s %s\n' "$1" "$2"
	[ -n "${3:-}" ] && printf '       %s\n' "$3"
	return 0
}

le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "-" && b != "-" && a + 0 <= b + 0) }'; }

print_table() {
	local k v u t
	echo
	echo "tunnel_bench: $(nproc) cores, load average before: $LOAD0;" \
	    "IKE $IKE, ESP $ESP; $T s per run"
	echo "(a) against the strongSwan gateway (kernel-libipsec), ECDSA" \
	    "certificate, offered TCP -b $TCP_RATE, UDP -b $UDP_RATE -l 1300"
	row "" ikeroam charon-cmd ratio
	row "start -> first ping (ms)" "$(r ik.up)" "$(r cc.up)" \
	    "$(ratio "$(r ik.up)" "$(r cc.up)")"
	for t in tcp udp; do
		row "$t: delivered (Mbit/s)" "$(r "ik.$t.mbit")" "$(r "cc.$t.mbit")" \
		    "$(ratio "$(r "ik.$t.mbit")" "$(r "cc.$t.mbit")")"
		[ "$t" = udp ] && row "udp: loss (%)" "$(r ik.udp.loss)" \
		    "$(r cc.udp.loss)" ""
		row "$t: client CPU (ms per Mbit delivered)" "$(r "ik.$t.cpu")" \
		    "$(r "cc.$t.cpu")" "$(ratio "$(r "ik.$t.cpu")" "$(r "cc.$t.cpu")")"
	done
	row "RSS idle (MB)" "$(r ik.rss0)" "$(r cc.rss0)" \
	    "$(ratio "$(r ik.rss0)" "$(r cc.rss0)")"
	row "RSS after the runs (MB)" "$(r ik.rss1)" "$(r cc.rss1)" \
	    "$(ratio "$(r ik.rss1)" "$(r cc.rss1)")"

	echo "(b) data-path ceiling: ikeroam <-> esp_gw (our ESP on the far" \
	    "side), one TCP stream, unlimited, $T s"
	printf '  %-22s %8s %8s %10s %9s %13s %13s\n' "" Mbit/s "vs veth" \
	    "CPU ik/gw" "up (ms)" "ping idle" "ping loaded"
	for k in veth udp udp1 udp0 udpr udpr0 tcp tcp0; do
		case $k in
		veth) v="plain veth, no tunnel" ;;
		udp) v="ikeroam over UDP" ;;
		udp1) v="  same, UDP GSO off" ;;
		udp0) v="  same, offloads off" ;;
		udpr) v="  download (iperf3 -R)" ;;
		udpr0) v="  download, offl. off" ;;
		tcp) v="ikeroam over TCP" ;;
		tcp0) v="  same, offloads off" ;;
		esac
		case $k in udp?*|tcp0) [ "$(r "$k.up")" = - ] && continue ;; esac
		u=-
		[ "$k" != veth ] && u="$(r "$k.cpu_ik")%/$(r "$k.cpu_gw")%"
		printf '  %-22s %8s %8s %10s %9s %13s %13s\n' "$v" \
		    "$(r "$k.mbit")" "$(ratio "$(r "$k.mbit")" "$(r veth.mbit)")" \
		    "$u" "$(r "$k.up")" "$(r "$k.ping0")" "$(r "$k.ping1")"
	done
	echo "  (ping: avg/max ms, -i 0.2; loaded: during the iperf3 run)"
	echo "  TCP/UDP throughput ratio: $(ratio "$(r tcp.mbit)" "$(r udp.mbit)")"
	echo "  offloads on/off: UDP $(ratio "$(r udp.mbit)" "$(r udp0.mbit)")" \
	    "(UDP GSO alone $(ratio "$(r udp.mbit)" "$(r udp1.mbit)"))," \
	    "download $(ratio "$(r udpr.mbit)" "$(r udpr0.mbit)")," \
	    "TCP $(ratio "$(r tcp.mbit)" "$(r tcp0.mbit)") (IKEROAM_NO_OFFLOAD=1;" \
	    "esp_gw's in its log)"
	echo "(c) fallback: UDP blocked at the middlebox, --transport auto:" \
	    "start -> first ping $(r fb.up) ms over $(r fb.over)" \
	    "(fallback timeout 2500 ms)"
	echo "aims (printed, never asserted):"
	aims
}

aims() {
	local t lim why v
	for t in tcp udp; do
		lim=$(awk -v c="$(r "cc.$t.cpu")" 'BEGIN { if (c == "-") print "-";
		    else printf "%.3f", c / 3 }')
		if [ "$lim" = - ] || [ "$(r "ik.$t.cpu")" = - ]; then
			aim - "$t: CPU per Mbit at most a third of charon-cmd's: not measured"
		elif le "$(r "ik.$t.cpu")" "$lim"; then
			aim OK "$t: CPU per Mbit $(r "ik.$t.cpu") ms <= a third of charon-cmd's ($lim)"
		else
			aim MISS "$t: CPU per Mbit $(r "ik.$t.cpu") ms > a third of charon-cmd's ($lim)" \
			    "$(cpu_why "$t")"
		fi
	done
	if [ "$(r ik.rss1)" = - ]; then
		aim - "RSS bounded under load: not measured"
	elif le "$(r ik.rss1)" "$(awk -v a="$(r ik.rss0)" 'BEGIN { print a + 8 }')"; then
		aim OK "RSS bounded under load: $(r ik.rss0) MB idle, $(r ik.rss1) MB after (charon-cmd $(r cc.rss0) -> $(r cc.rss1))"
	else
		aim MISS "RSS bounded under load: $(r ik.rss0) MB idle, $(r ik.rss1) MB after (more than 8 MB growth)"
	fi
	for t in udp tcp; do
		ceiling_aim "$t"
	done
	v=$(ratio "$(r tcp.mbit)" "$(r udp.mbit)")
	if [ "$v" = - ]; then
		aim - "over TCP within 70 % of over UDP: not measured"
	elif le 0.70 "$v"; then
		aim OK "over TCP within 70 % of over UDP: $v"
	else
		why="all cores $(r tcp.busy) % busy over TCP: ikeroam $(r tcp.cpu_ik) % and esp_gw $(r tcp.cpu_gw) % CPU (UDP: $(r udp.cpu_ik) %, $(r udp.cpu_gw) %); the outer TCP stacks take the rest"
		aim MISS "over TCP within 70 % of over UDP: $v" "$why"
	fi
	echo "  TCP latency under load (bounded queue): avg/max $(r tcp.ping1) ms" \
	    "(idle $(r tcp.ping0), UDP loaded $(r udp.ping1))"
}

ceiling_aim() {
	local t=$1 q ik gw why
	q=$(ratio "$(r "$t.mbit")" "$(r veth.mbit)" 3)
	if [ "$q" = - ]; then
		aim - "$t ceiling at least a quarter of plain veth: not measured"
		return
	fi
	if le 0.25 "$q"; then
		aim OK "$t ceiling $(r "$t.mbit") Mbit/s = $q of plain veth (>= 0.25)"
		return
	fi
	ik=$(r "$t.cpu_ik")
	gw=$(r "$t.cpu_gw")
	why="ikeroam at $ik % CPU, esp_gw at $gw % CPU, all cores $(r "$t.busy") % busy"
	[ "$(r "$t.busy")" != - ] && [ "$(r "$t.busy")" -ge 90 ] &&
	    why="all $(nproc) cores busy ($(r "$t.busy") %): ikeroam $ik %, esp_gw $gw %, the rest iperf3 and the kernel (TUN, veth)"
	[ "$ik" != - ] && [ "$ik" -ge 90 ] &&
	    why="single core saturated: ikeroam at $ik % CPU (esp_gw $gw %)"
	[ "$gw" != - ] && [ "$gw" -ge 90 ] && [ "$ik" != - ] && [ "$ik" -lt 90 ] &&
	    why="the far side is the limit: esp_gw at $gw % CPU (ikeroam $ik %)"
	aim MISS "$t ceiling $(r "$t.mbit") Mbit/s = $q of plain veth (< 0.25)" "$why"
}

cpu_why() {	# why the CPU aim was missed, if the figures tell
	local t=$1
	if [ "$(r "ik.$t.mbit")" != - ] && [ "$(r "cc.$t.mbit")" != - ] &&
	    ! le "$(r "cc.$t.mbit")" "$(awk -v a="$(r "ik.$t.mbit")" 'BEGIN { print a * 1.1 }')"; then
		echo "charon-cmd delivered much less ($(r "cc.$t.mbit") vs $(r "ik.$t.mbit") Mbit/s): not the same load"
	elif [ "$(r "ik.$t.sys")" != - ] && [ "$(r "ik.$t.sys")" -ge 50 ]; then
		echo "ikeroam's CPU time is $(r "ik.$t.sys") % kernel (charon-cmd" \
		    "$(r "cc.$t.sys") %): per-packet system calls (TUN, socket)," \
		    "not the cipher"
	else
		echo "ikeroam's CPU time is $(r "ik.$t.sys") % kernel: most of it" \
		    "in its own code (see esp_bench for the cipher's share)"
	fi
}

# ---- the run ---------------------------------------------------------------

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
t_start=$(ir_now_ms)
mkdir -p "$IR_STATE"
chmod 0700 "$IR_STATE"
mkdir -p "$OUT"
[ "${BENCH_SKIP_A:-0}" = 1 ] || part_a
part_bc
print_table
echo "tunnel_bench: $(( ($(ir_now_ms) - t_start) / 1000 )) s; logs in $OUT"
exit 0
