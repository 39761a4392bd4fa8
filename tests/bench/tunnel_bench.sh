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
#      stime; ikeroam's two processes added up), RSS idle and after the
#      runs (VmRSS, both processes).
#  (b) the data-path ceiling: ikeroam against tests/bench/esp_gw (our own
#      ESP engine on the far side, not the bottleneck) over UDP and over
#      TCP (RFC 9329), and Debian's wireguard-go at both ends, one
#      unlimited iperf3 TCP stream each, beside plain veth between the
#      same namespaces; CPU per Mbit at each end and of the whole machine;
#      ping (-i 0.2) idle and under load; a perf profile of ikeroam during
#      the UDP run (top symbols), if perf works here.
#  (c) fallback: all UDP dropped at the middlebox (netns.sh udp block),
#      --transport auto: start -> first answered ping.
#  (s) start -> first answered ping, the median of $STARTS starts each:
#      ikeroam --script none against esp_gw (PSK) and against strongSwan
#      (certificate), ikeroam with vpnc-script (its default, the routes
#      set up before the script: --script-routes early; and the script
#      alone: --script-routes script) and charon-cmd against strongSwan;
#      the same with the stock vpnc-script under a timing wrapper (when
#      the script starts and ends), and with an earlier build
#      (IKEROAM_BEFORE) for before/after in one run.
#      The start is the moment just before the client is
#      executed (written by its wrapper shell); the answer is timed by
#      tests/bench/first_reply.py, which sends an echo every millisecond
#      from before the start (ping(8) sends one every 10 ms while nothing
#      answers).
#  With IKEROAM_BEFORE, (b) also runs that build's ikeroam (against this
#  build's esp_gw) over UDP both ways and over TCP, each twice, in the
#  order after before before after, and prints after/before of the
#  means and its perf profile beside this build's.
#
# Topology: tests/interop/netns.sh (RFC 5737 addresses only), namespaces
# ${IR_PREFIX}-cli/-mid/-gw/-lan, made and removed here.  Only processes
# this script started are stopped (pid files under $IR_STATE/pids).
#
# Environment: IKEROAM (default build/ikeroam), ESP_GW (default: next to
# IKEROAM, tests/bench/esp_gw), IR_PREFIX (default irbench), SECONDS_RUN
# (default 5), TCP_RATE (150M), UDP_RATE (100M), BENCH_ESP (aes128gcm16),
# BENCH_IKE (aes128gcm16-prfsha256-x25519), BENCH_SKIP_A=1 (only (b), (c)),
# BENCH_ONLY_STARTS=1 (only the start-ups of (s) against strongSwan),
# BENCH_AB=0 (no runs with ikeroam's TUN offloads off), BENCH_STARTS (5:
# starts per start-up median), STARTS_W (3: starts with the timed
# vpnc-script), IKEROAM_BEFORE (another build's ikeroam to measure
# beside this one: start-up and data path; unset: not).  Needs root, iperf3,
# charon-cmd, wireguard-go and wg, and perf (linux-perf) for the profile
# (scripts/deps-interop.sh).
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
ir_need_cmds iperf3 charon-cmd swanctl nft python3 ping wireguard-go wg

IKEROAM=$(readlink -f "${IKEROAM:-$TOP/build/ikeroam}")
BEFORE=
if [ -n "${IKEROAM_BEFORE:-}" ]; then
	BEFORE=$(readlink -f "$IKEROAM_BEFORE")
	[ -x "$BEFORE" ] || ir_die "IKEROAM_BEFORE: $IKEROAM_BEFORE not built"
fi
ESP_GW=$(readlink -f "${ESP_GW:-$(dirname "$IKEROAM")/tests/bench/esp_gw}")
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
[ -x "$ESP_GW" ] || ir_die "$ESP_GW not built (make tests/bench/esp_gw)"
T=${SECONDS_RUN:-5}
STARTS=${BENCH_STARTS:-5}
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
	[ -n "${PROBE_PID:-}" ] && kill "$PROBE_PID" 2>/dev/null
	wg_down
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

cpu_ticks() {	# utime + stime of PIDs, added up
	local u s p t=0
	for p in "$@"; do
		read -r u s <<<"$(cpu_us1 "$p")"
		t=$((t + u + s))
	done
	echo "$t"
}

cpu_busy() {	# "busy total" jiffies of all CPUs, from /proc/stat
	awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i
	    print t - $5 - $6, t; exit }' /proc/stat
}

rss_mb() {	# VmRSS of PIDs in MB, added up, one decimal
	local p f=()
	for p in "$@"; do
		[ -r "/proc/$p/status" ] && f+=("/proc/$p/status")
	done
	[ "${#f[@]}" -gt 0 ] || { echo -; return; }
	awk '/^VmRSS:/ { k += $2 } END { printf "%.1f", k / 1024 }' "${f[@]}"
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

# probe_start: tests/bench/first_reply.py in the client namespace, an
# echo to the LAN host every ms (at most 20 s), listening on return.
PROBE_PID=
probe_start() {
	rm -f "$OUT/probe.ready" "$OUT/probe.out" "$OUT/t0"
	ip netns exec "$IR_NS_CLI" python3 "$HERE/first_reply.py" \
	    "$IR_LAN_HOST" 20 "$OUT/probe.ready" >"$OUT/probe.out" 2>&1 &
	PROBE_PID=$!
	ir_wait 500 0.01 test -e "$OUT/probe.ready"
}

# probe_ms: ms (0.1) from the time in $OUT/t0 (written just before the
# client was executed) to the prober's first answer, or "-".
# Called in $(...), a subshell, which cannot wait for the prober: the
# prober's one line of output says it is done.
probe_ms() {
	ir_wait 3000 0.01 test -s "$OUT/probe.out"
	awk -v a="$(head -1 "$OUT/t0" 2>/dev/null)" \
	    -v b="$(cat "$OUT/probe.out" 2>/dev/null)" 'BEGIN {
	    sub(",", ".", a)
	    if (a == "" || b == "" || b == "-") print "-"
	    else printf "%.1f", (b - a) * 1000 }'
}

# cpu_since_t0 PID...: ms of CPU (0.1) that PIDs and all their threads
# used since the client's wrapper wrote $OUT/t0 (its second line: the
# wrapper's own CPU time then, ns, from /proc/self/schedstat), or "-".
cpu_since_t0() {
	local p f=()
	for p in "$@"; do
		f+=(/proc/"$p"/task/*/schedstat)
	done
	[ "$#" -gt 0 ] || { echo -; return; }
	awk -v c0="$(sed -n 2p "$OUT/t0" 2>/dev/null)" '
	    { ns += $1 } END { if (c0 == "" || NR == 0) print "-";
	    else printf "%.1f", (ns - c0) / 1e6 }' "${f[@]}" 2>/dev/null ||
	    echo -
}

median() {	# median V...: of the figures that are not "-"; "-" if none
	printf '%s\n' "$@" | awk '$1 != "-"' | sort -n | awk '
	    { v[NR] = $1 } END { if (NR == 0) print "-";
	    else if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

spread() {	# spread V...: "min-max" of the figures that are not "-"
	printf '%s\n' "$@" | awk '$1 != "-"' | sort -n | awk '
	    NR == 1 { lo = $1 } { hi = $1 } END {
	    if (NR == 0) print "-"; else print lo "-" hi }'
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
# mount namespace, scratch resolv.conf); its pid in $IR_PIDS/ikeroam.pid,
# the time just before it was executed in $OUT/t0.  $SCRIPT_ARGS
# (default --script none) chooses the network setup.
IK_PID=
start_ikeroam() {
	local log=$1
	shift
	rm -f "$IR_PIDS/ikeroam.pid" "$OUT/networks.json"
	mkdir -p "$IR_PIDS"
	# shellcheck disable=SC2016,SC2086
	ir_cli_run bash -c 'echo $$ >"$0" && read -r c _ </proc/self/schedstat &&
	    printf "%s\n%s\n" "$EPOCHREALTIME" "$c" >"$1" &&
	    shift && exec "$@"' "$IR_PIDS/ikeroam.pid" "$OUT/t0" \
	    "$IKEROAM" connect --gateway "$IR_GW" -v ${SCRIPT_ARGS:---script none} \
	    --captive-url none --state-file "$OUT/networks.json" \
	    --ike "$IKE" --esp "$ESP" "$@" >"$log" 2>&1 </dev/null &
	ir_wait 100 0.01 test -s "$IR_PIDS/ikeroam.pid" || return 1
	IK_PID=$(cat "$IR_PIDS/ikeroam.pid")
}

# ik_pids: ikeroam's processes, the privileged part and the network part
# ("ikeroam-net", which carries the data path).
ik_pids() {
	[ -n "$IK_PID" ] || return 0
	# shellcheck disable=SC2046
	echo "$IK_PID" $(pgrep -P "$IK_PID" -x ikeroam-net)
}

# ik_start1 K ARGS...: one start of ikeroam, timed to the first answered
# ping and stopped; the figures are added to UPV[K] (ms) and UPC[K] (CPU
# ms).  starts_done K: R[K.up] their median, R[K.upr] min-max, R[K.upcpu].
# The start-ups compared are interleaved, one of each per round, so that
# the machine's load (shared, changing) falls on all alike.
declare -A UPV UPC
ik_start1() {
	local k=$1
	shift
	probe_start
	if start_ikeroam "$OUT/ikeroam-$k-start.log" "$@"; then
		UPV[$k]+=" $(probe_ms)"
		# shellcheck disable=SC2046
		UPC[$k]+=" $(cpu_since_t0 $(ik_pids))"
	else
		kill "$PROBE_PID" 2>/dev/null
		UPV[$k]+=" -"
	fi
	stop_ikeroam
}

starts_done() {
	local k=$1
	# shellcheck disable=SC2086 # the figures, split on purpose
	R[$k.up]=$(median ${UPV[$k]:--})
	# shellcheck disable=SC2086
	R[$k.upr]=$(spread ${UPV[$k]:--})
	# shellcheck disable=SC2086
	R[$k.upcpu]=$(median ${UPC[$k]:--})
}

# ik_starts K ARGS...: $STARTS starts of ikeroam in a row, as above.
ik_starts() {
	local k=$1 i
	shift
	for ((i = 0; i < STARTS; i++)); do
		ik_start1 "$k" "$@"
	done
	starts_done "$k"
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

# load_run NAME "PIDS" ARGS...: one iperf3 run with the client's CPU ticks
# (all of PIDS) around it; R[NAME.mbit], R[NAME.loss], R[NAME.cpu] (ms
# per Mbit), R[NAME.sys] (the kernel's share of that CPU time, %).
load_run() {
	local name=$1 pids=$2 c0 c1 u0=0 s0=0 u1=0 s1=0 u s p fig
	shift 2
	for p in $pids; do
		read -r u s <<<"$(cpu_us1 "$p")"
		u0=$((u0 + u)) s0=$((s0 + s))
	done
	iperf "$name" "$@"
	for p in $pids; do
		read -r u s <<<"$(cpu_us1 "$p")"
		u1=$((u1 + u)) s1=$((s1 + s))
	done
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

# client_figures K "PIDS": RSS idle, TCP and UDP at the offered rates, RSS.
client_figures() {
	local k=$1 pids=$2
	sleep 1
	# shellcheck disable=SC2086
	R[$k.rss0]=$(rss_mb $pids)
	load_run "$k.tcp" "$pids" -b "$TCP_RATE"
	load_run "$k.udp" "$pids" -u -b "$UDP_RATE" -l 1300
	sleep 0.5
	# shellcheck disable=SC2086
	R[$k.rss1]=$(rss_mb $pids)
}

ratio() {	# ratio A B [DIGITS]: A / B, or "-"
	awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {
	    if (a == "-" || b == "-" || b + 0 == 0) print "-";
	    else printf "%.*f", d, a / b }'
}

# script_start1 K ARGS...: one start with the stock vpnc-script under a
# wrapper that notes when it starts and ends (one bash more, ~2 ms; the
# wrapper is a script of one's own, so --script-routes early is given to
# keep the stock script's default); the
# script's start and end, ms after the start, are added to SW0[K] and
# SW1[K], the first answer to UPV[K].  script_done K: R[K.s0], R[K.s1]
# and R[K.up], medians.  Shows whether the data path waits for the
# script and how long the script runs.
declare -A SW0 SW1
script_start1() {
	local k=$1 a b w=$OUT/timed-vpnc-script
	shift
	cat >"$w" <<-EOF
	#!/bin/bash
	printf '%s start\n' "\$EPOCHREALTIME" >>"$OUT/script-times"
	/usr/share/vpnc-scripts/vpnc-script
	rc=\$?
	printf '%s end\n' "\$EPOCHREALTIME" >>"$OUT/script-times"
	exit \$rc
	EOF
	chmod 0755 "$w"
	rm -f "$OUT/script-times"
	probe_start
	if SCRIPT_ARGS="--script $w --script-routes early" start_ikeroam \
	    "$OUT/ikeroam-$k-start.log" "$@"; then
		UPV[$k]+=" $(probe_ms)"
		ir_wait 300 0.01 grep -q end "$OUT/script-times"
		read -r a b < <(awk -v t="$(head -1 "$OUT/t0")" '
		    $2 == "start" && !s { s = ($1 - t) * 1000 }
		    $2 == "end" && !e { e = ($1 - t) * 1000 }
		    END { printf "%s %s\n", s == "" ? "-" : sprintf("%.1f", s),
		    e == "" ? "-" : sprintf("%.1f", e) }' \
		    "$OUT/script-times" 2>/dev/null)
		SW0[$k]+=" ${a:--}"
		SW1[$k]+=" ${b:--}"
	else
		kill "$PROBE_PID" 2>/dev/null
	fi
	stop_ikeroam
}

script_done() {
	local k=$1
	# shellcheck disable=SC2086 # the figures, split on purpose
	R[$k.up]=$(median ${UPV[$k]:--})
	# shellcheck disable=SC2086
	R[$k.s0]=$(median ${SW0[$k]:--})
	# shellcheck disable=SC2086
	R[$k.s1]=$(median ${SW1[$k]:--})
}

# ---- (a) ikeroam and charon-cmd against strongSwan ---------------------------

# cc_up: charon-cmd (ECDSA certificate, the same as ikeroam's) started in
# the background, timed by the prober; its ms on stdout, "-" if no tunnel.
cc_up() {
	local ms
	probe_start
	IR_SPAWN_T0=$OUT/t0 IR_CLI_IKE=$IKE IR_CLI_ESP=$ESP timeout 40 \
	    "$INTEROP/charon-cmd.sh" up cert >"$OUT/charon-cmd.env" \
	    2>"$OUT/charon-cmd-up.err" &
	ms=$(probe_ms)
	wait $! || ms=-
	echo "$ms"
}

part_a() {
	local i v cert=() pid k before
	"$GWSH" stop >/dev/null 2>&1
	"$GWSH" start >"$OUT/gateway-start.log" 2>&1 ||
	    ir_die "strongSwan gateway did not start (see $OUT/gateway-start.log)"
	eval "$("$GWSH" env)"
	mid_quiet on || ir_die "nft in the middlebox failed"
	ir_spawn iperf3 "$IR_NS_LAN" "$IR_STATE/lan-run" "$OUT/iperf3-a.log" \
	    iperf3 -s
	ir_wait 50 0.05 eval "ip netns exec $IR_NS_LAN ss -ltn | grep -q ':5201 '" ||
	    ir_die "iperf3 server did not start"
	cert=(--id "$IR_CLIENT_ID" --cert "$IR_CLIENT_CERT" --key
	    "$IR_CLIENT_KEY" --ca "$IR_CA" --remote-id "$IR_GW_ID"
	    --transport udp)

	# (s) start-up: ikeroam without and with vpnc-script, charon-cmd,
	# one of each per round; where the time with vpnc-script goes (the
	# first STARTS_W rounds); the same with an earlier build when
	# IKEROAM_BEFORE names one.
	before=
	[ -n "${IKEROAM_BEFORE:-}" ] && before=$(readlink -f "$IKEROAM_BEFORE")
	for ((i = 0; i < STARTS; i++)); do
		ik_start1 sik "${cert[@]}"
		SCRIPT_ARGS=" " ik_start1 sikv "${cert[@]}"
		SCRIPT_ARGS="--script-routes script" ik_start1 sikvs \
		    "${cert[@]}"
		v=$(cc_up)
		UPV[scc]+=" $v"
		pid=$(ir_pidfile_pid charon-cmd) &&
		    UPC[scc]+=" $(cpu_since_t0 "$pid")"
		"$INTEROP/charon-cmd.sh" down >/dev/null 2>&1
		if [ -n "$before" ]; then
			IKEROAM=$before ik_start1 sikb "${cert[@]}"
			IKEROAM=$before SCRIPT_ARGS=" " ik_start1 sikvb \
			    "${cert[@]}"
		fi
		[ "$i" -lt "${STARTS_W:-3}" ] && script_start1 sikw "${cert[@]}"
	done
	for k in sik sikv sikvs scc sikb sikvb; do
		starts_done "$k"
	done
	script_done sikw
	if [ "${BENCH_ONLY_STARTS:-0}" = 1 ]; then
		"$GWSH" stop >/dev/null 2>&1
		return
	fi

	probe_start
	if start_ikeroam "$OUT/ikeroam-a.log" "${cert[@]}" &&
	    [ "$(probe_ms)" != - ]; then
		client_figures ik "$(ik_pids)"
	else
		ir_log "ikeroam: no tunnel to strongSwan; last lines:"
		tail -5 "$OUT/ikeroam-a.log" >&2
	fi
	stop_ikeroam

	if [ "$(cc_up)" != - ] && CC_PID=$(ir_pidfile_pid charon-cmd); then
		client_figures cc "$CC_PID"
	else
		ir_log "charon-cmd: no tunnel (see $OUT/charon-cmd-up.err)"
	fi
	"$INTEROP/charon-cmd.sh" down >/dev/null 2>&1
	"$GWSH" stop >/dev/null 2>&1
}

# ---- (b) the ceiling against esp_gw and wireguard-go, (c) the fallback -------

# ceiling K "CLIENT PIDS" "FAR PIDS" [IPERF ARGS]: ping idle, then iperf3 unlimited
# with ping under load; the CPU of each end (% of one core, and ms per
# Mbit delivered) and of the whole machine (ms per Mbit); RSS of the
# client; with PROFILE=1 a perf profile of the client during the run.
ceiling() {
	local k=$1 cli=$2 far=$3 ci0 ci1 cg0 cg1 w0 w1 ppid b0 t0 b1 t1 fpid=
	shift 3
	R[$k.ping0]=$(ping_fig 25)
	read -r b0 t0 <<<"$(cpu_busy)"
	# shellcheck disable=SC2086
	ci0=$(cpu_ticks $cli)
	# shellcheck disable=SC2086
	cg0=$(cpu_ticks $far)
	w0=$(ir_now_ms)
	iperf "$k" "$@" &
	ppid=$!
	sleep 0.5
	[ "${PROFILE:-0}" = 1 ] && profile_start "$k" "$cli" && fpid=$PERF_PID
	R[$k.ping1]=$(ping_fig 20)
	# shellcheck disable=SC2086
	[ -n "$cli" ] && R[$k.rss]=$(rss_mb $cli)
	wait "$ppid"
	w1=$(ir_now_ms)
	# shellcheck disable=SC2086
	ci1=$(cpu_ticks $cli)
	# shellcheck disable=SC2086
	cg1=$(cpu_ticks $far)
	read -r b1 t1 <<<"$(cpu_busy)"
	[ -n "$fpid" ] && profile_end "$k" "$fpid"
	R[$k.busy]=$(( (b1 - b0) * 100 / (t1 - t0 > 0 ? t1 - t0 : 1) ))
	read -r "R[$k.mbit]" "R[$k.mb]" "R[$k.loss]" <<<"$(iperf_fig "$k")"
	if [ -n "$cli" ]; then
		R[$k.cpu_ik]=$(( (ci1 - ci0) * 100000 / HZ / (w1 - w0) ))
		R[$k.cpu_gw]=$(( (cg1 - cg0) * 100000 / HZ / (w1 - w0) ))
		R[$k.cpm_cli]=$(per_mbit $((ci1 - ci0)) "$(r "$k.mb")")
		R[$k.cpm_far]=$(per_mbit $((cg1 - cg0)) "$(r "$k.mb")")
	fi
	# The machine: busy jiffies of all cores, per Mbit.
	R[$k.cpm_all]=$(per_mbit $((b1 - b0)) "$(r "$k.mb")")
}

# per_mbit TICKS MBIT: ms of CPU per Mbit delivered, or "-".
per_mbit() {
	awk -v t="$1" -v hz="$HZ" -v mb="$2" 'BEGIN {
	    if (mb == "-" || mb + 0 <= 0) print "-";
	    else printf "%.3f", t / hz * 1000 / mb }'
}

# profile_start K "PIDS": perf record of PIDS (cpu-clock, 3 s, every
# thread of both ikeroam processes) in the background, PERF_PID set;
# R[K.prof_why] says why not when it fails.  As root, neither
# perf_event_paranoid nor the network part's user, dumpable flag or
# seccomp filter stands in the way (perf_event_open is perf's own call,
# checked against the target with CAP_PERFMON/CAP_SYS_PTRACE).
PERF_PID=
profile_start() {
	local pids
	pids=$(echo "$2" | tr ' ' ',')
	PERF_PID=
	# Debian's linux-base installs /usr/bin/perf as a wrapper that only
	# says "linux-perf-X is not installed": try it, not only find it.
	if ! perf version >/dev/null 2>&1; then
		R[$1.prof_why]="perf does not run here ($(perf version 2>&1 |
		    head -1); scripts/deps-interop.sh installs linux-perf)"
		return 1
	fi
	perf record -q -e cpu-clock -F 999 -p "$pids" -o "$OUT/perf-$1.data" \
	    -- sleep 3 >"$OUT/perf-$1.err" 2>&1 &
	PERF_PID=$!
}

# profile_end K PID: wait for perf, keep the top 10 symbols by process
# (ikeroam: the privileged part; ikeroam-net: the network part and its
# data path).  The report goes to a file first: head(1) closing the pipe
# early would end perf with SIGPIPE, a failure under pipefail (what made
# CI say "perf did not record" with nothing in the error file).
profile_end() {
	local rc=0
	wait "$2" || rc=$?
	if [ "$rc" -ne 0 ] || [ ! -s "$OUT/perf-$1.data" ]; then
		R[$1.prof_why]="perf record failed (status $rc): $(awk 'NF' \
		    "$OUT/perf-$1.err" | head -1)"
		return
	fi
	if ! perf report -i "$OUT/perf-$1.data" --stdio --no-children \
	    --sort comm,dso,sym -q >"$OUT/perf-$1.report" \
	    2>>"$OUT/perf-$1.err"; then
		R[$1.prof_why]="perf report failed: $(awk 'NF' \
		    "$OUT/perf-$1.err" | head -1)"
		return
	fi
	awk 'NF > 0' "$OUT/perf-$1.report" | head -10 >"$OUT/perf-$1.top"
	[ -s "$OUT/perf-$1.top" ] ||
	    R[$1.prof_why]="perf recorded no samples of ikeroam"
	# The samples' share by process, on one line.
	R[$1.prof_by]=$(perf report -i "$OUT/perf-$1.data" --stdio -q \
	    --no-children --sort comm 2>/dev/null |
	    awk 'NF == 2 { printf "%s%s %s", s, $2, $1; s = ", " }')
}

# ikeroam_case K TRANSPORT [IPERF ARGS]: connect, ceiling, stop
ikeroam_case() {
	local k=$1 tr=$2
	shift 2
	probe_start
	start_ikeroam "$OUT/ikeroam-$k.log" "${PSK[@]}" --transport "$tr" ||
	    ir_die "ikeroam did not start"
	R[$k.up1]=$(probe_ms)
	if [ "$(r "$k.up1")" != - ]; then
		PROFILE=$(case $k in udp|udpb) echo 1 ;; esac) ceiling "$k" \
		    "$(ik_pids)" \
		    "$(ir_pidfile_pid espgw)" "$@"
	else
		ir_log "ikeroam over $tr: no tunnel to esp_gw; last lines:"
		tail -5 "$OUT/ikeroam-$k.log" >&2
	fi
	stop_ikeroam
}

# ---- wireguard-go between the client and the gateway namespaces -------------
# Interfaces ${IR_PREFIX}wgc (client, 198.51.100.254) and ${IR_PREFIX}wgg
# (gateway, 198.51.100.253), UDP 51820 over the same middlebox; the LAN
# is routed into it on the client, the client's address on the gateway.
WG_C=${IR_PREFIX}wgc
WG_G=${IR_PREFIX}wgg
WG_CLI_ADDR=198.51.100.254
WG_GW_ADDR=198.51.100.253

wg_up() {
	local kc kg
	mkdir -p "$IR_STATE/secrets/wg"
	chmod 0700 "$IR_STATE/secrets/wg"
	(umask 077 && wg genkey >"$IR_STATE/secrets/wg/c.key" &&
	    wg genkey >"$IR_STATE/secrets/wg/g.key") || return 1
	kc=$(wg pubkey <"$IR_STATE/secrets/wg/c.key")
	kg=$(wg pubkey <"$IR_STATE/secrets/wg/g.key")
	ir_spawn wgc "$IR_NS_CLI" "$IR_STATE/wgc-run" "$OUT/wgc.log" \
	    env WG_PROCESS_FOREGROUND=1 \
	    WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 wireguard-go -f "$WG_C"
	ir_spawn wgg "$IR_NS_GW" "$IR_STATE/wgg-run" "$OUT/wgg.log" \
	    env WG_PROCESS_FOREGROUND=1 \
	    WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 wireguard-go -f "$WG_G"
	# The control sockets are under the spawned processes' own /run.
	ir_wait 100 0.05 test -S "$IR_STATE/wgc-run/wireguard/$WG_C.sock" &&
	ir_wait 100 0.05 test -S "$IR_STATE/wgg-run/wireguard/$WG_G.sock" ||
	    return 1
	wg_cmd "$IR_NS_GW" "$IR_STATE/wgg-run" set "$WG_G" listen-port 51820 \
	    private-key "$IR_STATE/secrets/wg/g.key" peer "$kc" \
	    allowed-ips "$WG_CLI_ADDR/32" || return 1
	wg_cmd "$IR_NS_CLI" "$IR_STATE/wgc-run" set "$WG_C" \
	    private-key "$IR_STATE/secrets/wg/c.key" peer "$kg" \
	    endpoint "$IR_GW:51820" allowed-ips "$WG_GW_ADDR/32,$IR_LAN_NET" ||
	    return 1
	ip -n "$IR_NS_GW" addr add "$WG_GW_ADDR/32" dev "$WG_G" &&
	ip -n "$IR_NS_GW" link set "$WG_G" up mtu 1420 &&
	ip -n "$IR_NS_GW" route add "$WG_CLI_ADDR/32" dev "$WG_G" &&
	ip -n "$IR_NS_CLI" addr add "$WG_CLI_ADDR/32" dev "$WG_C" &&
	ip -n "$IR_NS_CLI" link set "$WG_C" up mtu 1420 &&
	ip -n "$IR_NS_CLI" route add "$IR_LAN_NET" dev "$WG_C" src "$WG_CLI_ADDR"
}

# wg_cmd NS RUNDIR ARGS...: wg(8) in NS with RUNDIR as /run, where that
# wireguard-go keeps its control socket.
wg_cmd() {
	local ns=$1 rundir=$2
	shift 2
	# shellcheck disable=SC2016
	ip netns exec "$ns" unshare --mount --propagation slave sh -c \
	    'mount --bind "$1" /run && shift && exec wg "$@"' sh "$rundir" "$@"
}

wg_down() {
	ir_stop wgc 2>/dev/null
	ir_stop wgg 2>/dev/null
	return 0
}

part_bc() {
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
	ceiling veth "" ""
	ip -n "$IR_NS_MID" route del "$IR_LAN_NET" via "$IR_GW"
	mid_quiet on

	ik_starts sesp "${PSK[@]}" --transport udp
	ikeroam_case udp udp
	[ -n "$BEFORE" ] && IKEROAM=$BEFORE ikeroam_case udpb udp
	# A/B of the outbound thread (src/dp_worker.c), always in the same
	# run: upload and download, the other setting of IKEROAM_DATA_THREAD.
	# In the order A B B A (the second of two runs tends to do better
	# on a loaded machine); the ratio line takes the means.
	IKEROAM_DATA_THREAD=$DT_OTHER ikeroam_case udpt udp
	IKEROAM_DATA_THREAD=$DT_OTHER ikeroam_case udpt2 udp
	[ -n "$BEFORE" ] && IKEROAM=$BEFORE ikeroam_case udpb2 udp
	ikeroam_case udp2 udp
	# the other way: the gateway sends, ikeroam coalesces (GRO)
	ikeroam_case udpr udp -R
	if [ -n "$BEFORE" ]; then
		IKEROAM=$BEFORE ikeroam_case udprb udp -R
		IKEROAM=$BEFORE ikeroam_case udprb2 udp -R
	fi
	IKEROAM_DATA_THREAD=$DT_OTHER ikeroam_case udprt udp -R
	IKEROAM_DATA_THREAD=$DT_OTHER ikeroam_case udprt2 udp -R
	ikeroam_case udpr2 udp -R
	# A/B in the same run: ikeroam without UDP GSO, and without any
	# offload (the path before tun/tun_gso.c: one packet per TUN read,
	# one datagram per message); esp_gw keeps its own.  BENCH_AB=0: skip.
	if [ "${BENCH_AB:-1}" = 1 ]; then
		IKEROAM_NO_UDP_GSO=1 ikeroam_case udp1 udp
		IKEROAM_NO_OFFLOAD=1 ikeroam_case udp0 udp
		IKEROAM_NO_OFFLOAD=1 ikeroam_case udpr0 udp -R
	fi
	ikeroam_case tcp tcp
	if [ -n "$BEFORE" ]; then
		IKEROAM=$BEFORE ikeroam_case tcpb tcp
		IKEROAM=$BEFORE ikeroam_case tcpb2 tcp
		ikeroam_case tcp2 tcp
	fi
	[ "${BENCH_AB:-1}" = 1 ] && IKEROAM_NO_OFFLOAD=1 ikeroam_case tcp0 tcp

	if wg_up >"$OUT/wg-up.log" 2>&1; then
		ceiling wg "$(ir_pidfile_pid wgc)" "$(ir_pidfile_pid wgg)"
	else
		ir_log "wireguard-go: no tunnel (see $OUT/wg-up.log, wgc.log, wgg.log)"
	fi
	wg_down

	"$NETNS" udp block >/dev/null || ir_die "netns.sh udp block failed"
	probe_start
	start_ikeroam "$OUT/ikeroam-fallback.log" "${PSK[@]}" --transport auto ||
	    ir_die "ikeroam did not start"
	R[fb.up]=$(probe_ms)
	grep -q 'tunnel up.*over tcp' "$OUT/ikeroam-fallback.log" &&
	    R[fb.over]=tcp
	stop_ikeroam
	"$NETNS" udp allow >/dev/null
	"$NETNS" down >/dev/null 2>&1
}

# ---- the table -------------------------------------------------------------

# The outbound thread's A/B: "udp" runs ikeroam's default, "udpt" the
# other setting; dt_ratio DEFAULT_KEY OTHER_KEY prints thread/one-thread.
DT_DEFAULT=${IKEROAM_DATA_THREAD:-0}
[ "$DT_DEFAULT" = 1 ] && DT_OTHER=0 || DT_OTHER=1
[ "$DT_DEFAULT" = 1 ] && DT_DEFAULT_NAME="outbound thread" ||
    DT_DEFAULT_NAME="one thread"
[ "$DT_OTHER" = 1 ] && DT_OTHER_SHORT="2nd thread" ||
    DT_OTHER_SHORT="one thread"
# dt_mean K FIELD: the mean of K.FIELD and K2.FIELD (or the one there is).
dt_mean() {
	awk -v a="$(r "$1.$2")" -v b="$(r "${1}2.$2")" 'BEGIN {
	    if (a == "-" && b == "-") print "-";
	    else if (a == "-") print b; else if (b == "-") print a;
	    else printf "%.4g", (a + b) / 2 }'
}
dt_pair() {	# dt_pair DEFAULT_K OTHER_K FIELD: "thread vs one thread"
	local a b
	a=$(dt_mean "$1" "$3")
	b=$(dt_mean "$2" "$3")
	[ "$DT_OTHER" = 1 ] && echo "$b vs $a" || echo "$a vs $b"
}
dt_ratio() {	# dt_ratio DEFAULT_K OTHER_K [FIELD]: thread / one thread
	local fld=${3:-mbit} a b
	a=$(dt_mean "$1" "$fld")
	b=$(dt_mean "$2" "$fld")
	if [ "$DT_OTHER" = 1 ]; then ratio "$b" "$a"
	else ratio "$a" "$b"; fi
}

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
	[ "${BENCH_ONLY_STARTS:-0}" = 1 ] || print_abc
	print_s
}

print_abc() {
	local k v u t
	echo "(a) against the strongSwan gateway (kernel-libipsec), ECDSA" \
	    "certificate, offered TCP -b $TCP_RATE, UDP -b $UDP_RATE -l 1300"
	row "" ikeroam charon-cmd ratio
	for t in tcp udp; do
		row "$t: delivered (Mbit/s)" "$(r "ik.$t.mbit")" "$(r "cc.$t.mbit")" \
		    "$(ratio "$(r "ik.$t.mbit")" "$(r "cc.$t.mbit")")"
		[ "$t" = udp ] && row "udp: loss (%)" "$(r ik.udp.loss)" \
		    "$(r cc.udp.loss)" ""
		row "$t: client CPU (ms per Mbit delivered)" "$(r "ik.$t.cpu")" \
		    "$(r "cc.$t.cpu")" "$(ratio "$(r "ik.$t.cpu")" "$(r "cc.$t.cpu")")"
	done
	row "RSS idle (MB; ikeroam: both processes)" "$(r ik.rss0)" \
	    "$(r cc.rss0)" "$(ratio "$(r ik.rss0)" "$(r cc.rss0)")"
	row "RSS after the runs (MB)" "$(r ik.rss1)" "$(r cc.rss1)" \
	    "$(ratio "$(r ik.rss1)" "$(r cc.rss1)")"

	echo "(b) data-path ceiling: one TCP stream, unlimited, $T s; ikeroam" \
	    "<-> esp_gw (our ESP on the far side), wireguard-go at both ends"
	printf '  %-22s %7s %7s %9s %22s %13s %13s\n' "" Mbit/s "vs veth" \
	    "CPU% c/f" "CPU ms/Mbit c/f/all" "ping idle" "ping loaded"
	for k in veth udp udpb udpt udpt2 udpb2 udp2 udp1 udp0 udpr udprt \
	    udprt2 udpr2 udprb udprb2 udpr0 tcp tcpb tcpb2 tcp2 tcp0 wg; do
		case $k in
		veth) v="plain veth, no tunnel" ;;
		udp) v="ikeroam over UDP" ;;
		udpt|udpt2) v="  same, $DT_OTHER_SHORT" ;;
		udp2) v="  same again" ;;
		udprt|udprt2) v="  download, $DT_OTHER_SHORT" ;;
		udpr2) v="  download again" ;;
		udpb|udpb2) v="  same, BEFORE" ;;
		udprb|udprb2) v="  download, BEFORE" ;;
		tcpb|tcpb2) v="  same, BEFORE" ;;
		tcp2) v="  same again" ;;
		udp1) v="  same, UDP GSO off" ;;
		udp0) v="  same, offloads off" ;;
		udpr) v="  download (iperf3 -R)" ;;
		udpr0) v="  download, offl. off" ;;
		tcp) v="ikeroam over TCP" ;;
		tcp0) v="  same, offloads off" ;;
		wg) v="wireguard-go (UDP)" ;;
		esac
		case $k in udp?*|tcp?*) [ "$(r "$k.up1")" = - ] && continue ;; esac
		u=-
		[ "$k" != veth ] && u="$(r "$k.cpu_ik")/$(r "$k.cpu_gw")"
		printf '  %-22s %7s %7s %9s %22s %13s %13s\n' "$v" \
		    "$(r "$k.mbit")" "$(ratio "$(r "$k.mbit")" "$(r veth.mbit)")" \
		    "$u" "$(r "$k.cpm_cli")/$(r "$k.cpm_far")/$(r "$k.cpm_all")" \
		    "$(r "$k.ping0")" "$(r "$k.ping1")"
	done
	echo "  (c/f: the client end (ikeroam's two processes, wireguard-go)" \
	    "and the far end (esp_gw, wireguard-go); all: every core of the" \
	    "machine, iperf3 and the kernel included; ping: avg/max ms, -i 0.2)"
	echo "  offloads on/off: UDP $(ratio "$(r udp.mbit)" "$(r udp0.mbit)")" \
	    "(UDP GSO alone $(ratio "$(r udp.mbit)" "$(r udp1.mbit)"))," \
	    "download $(ratio "$(r udpr.mbit)" "$(r udpr0.mbit)")," \
	    "TCP $(ratio "$(r tcp.mbit)" "$(r tcp0.mbit)") (IKEROAM_NO_OFFLOAD=1;" \
	    "esp_gw's in its log)"
	echo "  outbound thread (IKEROAM_DATA_THREAD=1) / one thread, means of" \
	    "two runs each (A B B A; default: $DT_DEFAULT_NAME):"
	echo "    upload $(dt_ratio udp udpt) ($(dt_pair udp udpt mbit) Mbit/s)," \
	    "download $(dt_ratio udpr udprt) ($(dt_pair udpr udprt mbit))"
	echo "    CPU ms per Mbit, client: upload $(dt_ratio udp udpt cpm_cli)" \
	    "($(dt_pair udp udpt cpm_cli)), download" \
	    "$(dt_ratio udpr udprt cpm_cli) ($(dt_pair udpr udprt cpm_cli));" \
	    "whole machine: upload $(dt_ratio udp udpt cpm_all), download" \
	    "$(dt_ratio udpr udprt cpm_all)"
	echo "  ratios: TCP/UDP $(ratio "$(r tcp.mbit)" "$(r udp.mbit)"); ikeroam" \
	    "UDP/wireguard-go $(ratio "$(r udp.mbit)" "$(r wg.mbit)"); RSS of" \
	    "ikeroam under load $(r udp.rss) MB (UDP), $(r tcp.rss) MB (TCP)," \
	    "wireguard-go $(r wg.rss) MB"
	if [ -n "$BEFORE" ]; then
		echo "  IKEROAM_BEFORE=$IKEROAM_BEFORE, same run, after/before," \
		    "means of two runs each (after before before after):"
		echo "    upload $(ratio "$(dt_mean udp mbit)" \
		    "$(dt_mean udpb mbit)") ($(dt_mean udp mbit) vs" \
		    "$(dt_mean udpb mbit) Mbit/s), download" \
		    "$(ratio "$(dt_mean udpr mbit)" "$(dt_mean udprb mbit)")" \
		    "($(dt_mean udpr mbit) vs $(dt_mean udprb mbit)), TCP" \
		    "$(ratio "$(dt_mean tcp mbit)" "$(dt_mean tcpb mbit)")" \
		    "($(dt_mean tcp mbit) vs $(dt_mean tcpb mbit))"
		echo "    CPU ms per Mbit, client: upload" \
		    "$(ratio "$(dt_mean udp cpm_cli)" "$(dt_mean udpb cpm_cli)")" \
		    "($(dt_mean udp cpm_cli) vs $(dt_mean udpb cpm_cli))," \
		    "download $(ratio "$(dt_mean udpr cpm_cli)" \
		    "$(dt_mean udprb cpm_cli)") ($(dt_mean udpr cpm_cli) vs" \
		    "$(dt_mean udprb cpm_cli)), TCP $(ratio \
		    "$(dt_mean tcp cpm_cli)" "$(dt_mean tcpb cpm_cli)")" \
		    "($(dt_mean tcp cpm_cli) vs $(dt_mean tcpb cpm_cli))"
	fi
	if [ -s "$OUT/perf-udp.top" ]; then
		echo "  perf: top 10 symbols of ikeroam during the UDP run" \
		    "(cpu-clock, 3 s, both processes: ikeroam = the privileged" \
		    "part, ikeroam-net = the network part; samples by process:" \
		    "$(r udp.prof_by)):"
		sed 's/^ */    /' "$OUT/perf-udp.top"
	else
		echo "  perf: no profile: $(r udp.prof_why)"
	fi
	if [ -s "$OUT/perf-udpb.top" ]; then
		echo "  perf: the same for IKEROAM_BEFORE (samples by process:" \
		    "$(r udpb.prof_by)):"
		sed 's/^ */    /' "$OUT/perf-udpb.top"
	fi
	echo "(c) fallback: UDP blocked at the middlebox, --transport auto:" \
	    "start -> first ping $(r fb.up) ms over $(r fb.over)" \
	    "(fallback timeout 2500 ms)"
}

print_s() {
	local k v
	echo "(s) start -> first answered ping (ms, 1 ms resolution), median of" \
	    "$STARTS starts (min-max)"
	printf '  %-52s %8s %16s %9s\n' "" median min-max "CPU ms"
	for k in sesp sik sikv sikvs scc sikb sikvb; do
		case $k in
		sesp) [ "${BENCH_ONLY_STARTS:-0}" = 1 ] && continue
		    v="ikeroam --script none, esp_gw, PSK" ;;
		sik) v="ikeroam --script none, strongSwan, certificate" ;;
		sikv) v="ikeroam with vpnc-script, strongSwan, certificate" ;;
		sikvs) v="  same, --script-routes script (the script alone)" ;;
		scc) v="charon-cmd, strongSwan, certificate" ;;
		sikb) v="IKEROAM_BEFORE --script none, strongSwan, cert." ;;
		sikvb) v="IKEROAM_BEFORE with vpnc-script, strongSwan, cert." ;;
		esac
		case $k in sikb|sikvb) [ -n "${IKEROAM_BEFORE:-}" ] || continue ;; esac
		printf '  %-52s %8s %16s %9s\n' "$v" "$(r "$k.up")" "$(r "$k.upr")" \
		    "$(r "$k.upcpu")"
	done
	echo "  (CPU ms: the client's processes and threads from the start to" \
	    "the first answer, median; load-independent, unlike the wall time)"
	echo "  ratio ikeroam with vpnc-script / charon-cmd:" \
	    "$(ratio "$(r sikv.up)" "$(r scc.up)")" \
	    "(--script-routes script: $(ratio "$(r sikvs.up)" "$(r scc.up)"));" \
	    "--script none / charon-cmd: $(ratio "$(r sik.up)" "$(r scc.up)");" \
	    "vpnc-script / --script none: $(ratio "$(r sikv.up)" "$(r sik.up)")"
	echo "  with vpnc-script, where the time goes (median of ${STARTS_W:-3}" \
	    "starts, the script under a timing wrapper): the script runs from" \
	    "$(r sikw.s0) to $(r sikw.s1) ms after the start" \
	    "($(awk -v a="$(r sikw.s0)" -v b="$(r sikw.s1)" 'BEGIN {
	    if (a == "-" || b == "-") print "-"; else printf "%.1f", b - a }')" \
	    "ms: some thirty processes); the first answer at $(r sikw.up) ms," \
	    "the routes being in place before the script starts" \
	    "(--script-routes early) and the data path not waiting for it"
	if [ -n "${IKEROAM_BEFORE:-}" ]; then
		echo "  IKEROAM_BEFORE=$IKEROAM_BEFORE, same run: after/before" \
		    "with vpnc-script $(ratio "$(r sikv.up)" "$(r sikvb.up)")," \
		    "--script none $(ratio "$(r sik.up)" "$(r sikb.up)");" \
		    "before / charon-cmd with vpnc-script" \
		    "$(ratio "$(r sikvb.up)" "$(r scc.up)")"
	fi
	echo "aims (printed, never asserted):"
	aims
}

aims_abc() {
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
	v=$(ratio "$(r udp.mbit)" "$(r wg.mbit)")
	if [ "$v" = - ]; then
		aim - "ikeroam over UDP at least 4x wireguard-go: not measured"
	elif le 4 "$v"; then
		aim OK "ikeroam over UDP at least 4x wireguard-go: $v"
	else
		aim MISS "ikeroam over UDP at least 4x wireguard-go: $v" \
		    "ikeroam $(r udp.cpu_ik) % / esp_gw $(r udp.cpu_gw) % CPU; wireguard-go $(r wg.cpu_ik) % / $(r wg.cpu_gw) %"
	fi
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

aims() {
	local k v
	[ "${BENCH_ONLY_STARTS:-0}" = 1 ] || aims_abc
	for k in sesp sik; do
		[ "$k" = sesp ] && [ "${BENCH_ONLY_STARTS:-0}" = 1 ] && continue
		if [ "$(r "$k.up")" = - ]; then
			aim - "start -> first ping <= 40 ms with --script none ($k): not measured"
		elif le "$(r "$k.up")" 40; then
			aim OK "start -> first ping <= 40 ms with --script none ($k): $(r "$k.up") ms"
		else
			aim MISS "start -> first ping <= 40 ms with --script none ($k): $(r "$k.up") ms" \
			    "load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores: the start waits for CPU; see ARCHITECTURE.md, Start-up"
		fi
	done
	v=$(ratio "$(r sikv.up)" "$(r scc.up)")
	if [ "$v" = - ]; then
		aim - "start with vpnc-script at most half of charon-cmd's: not measured"
	elif le "$v" 0.5; then
		aim OK "start with vpnc-script at most half of charon-cmd's: $v"
	else
		aim MISS "start with vpnc-script at most half of charon-cmd's: $v" \
		    "vpnc-script / --script none: $(ratio "$(r sikv.up)" "$(r sik.up)") (the routes are in place before the script starts; its processes share the CPU with the first exchange); --script none / charon-cmd is $(ratio "$(r sik.up)" "$(r scc.up)"), the floor of this ratio"
	fi
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
		echo "not the same load: charon-cmd delivered $(r "cc.$t.mbit"), ikeroam $(r "ik.$t.mbit") Mbit/s"
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
[ "${BENCH_ONLY_STARTS:-0}" = 1 ] || part_bc
print_table
echo "tunnel_bench: $(( ($(ir_now_ms) - t_start) / 1000 )) s; logs in $OUT"
exit 0
