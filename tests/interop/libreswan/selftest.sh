#!/bin/bash
# Self-test of the libreswan RFC 9329 gateway: image (cached) -> boot ->
# ready -> tcp-probe.py with and without hotspot mode (all UDP dropped) ->
# stop -> nothing left behind. Prints PASS/FAIL per check, the timings and
# a final "N passed, N failed" line; exits 0 only when nothing failed.
#
# With LSGW_SELFTEST_PEER=1 (the default) it also boots a second guest, a
# libreswan initiator on the client LAN, and brings up the PSK and the
# certificate conns over TCP in hotspot mode: IKE_AUTH, virtual IP, ESP in
# TCP (kernel espintcp on both ends), ping 203.0.113.10 through it.
#
# Uses its own instance prefix (LSGW_PREFIX, default "ilsst"), so it does
# not disturb a gateway started by hand (default prefix "ilsgw").
# Usage: selftest.sh        (root; about 1 minute with a cached image)
set -uo pipefail

export LSGW_PREFIX="${LSGW_PREFIX:-ilsst}"
LSGW_ME=selftest
. "$(dirname "$0")/lib.sh"

GW="$LSGW_HERE/gateway.sh"
PROBE="$LSGW_HERE/tcp-probe.py"
npass=0
nfail=0
started=0

check() {
	local name=$1 t0
	shift
	t0=$(now)
	if "$@"; then
		echo "PASS $name ($(secs "$t0" "$(now)") s)"
		npass=$((npass + 1))
	else
		echo "FAIL $name ($(secs "$t0" "$(now)") s)"
		nfail=$((nfail + 1))
	fi
}

step_tools() {
	command -v qemu-system-x86_64 debootstrap mkfs.ext4 nft python3 \
	    >/dev/null
}

step_kernel() {
	local k

	k=$(lsgw_kernel) || return 1
	echo "  kernel: $k"
}

cleanup() {
	if [ "$started" = 1 ]; then
		timeout 30 "$GW" stop >/dev/null 2>&1
		started=0
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() {
	date +%s.%N
}

secs() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'
}

probe() {
	timeout 90 ip netns exec "$LSGW_NS_CLI" python3 "$PROBE" \
	    --host "$LSGW_ADDR" --port "$LSGW_TCP_PORT" "$@"
}

step_image() {
	local t0 out

	t0=$(now)
	if [ -f "$LSGW_DIR/rootfs.ext4.done" ]; then
		image_state="cached marker present"
	else
		image_state="not cached"
	fi
	out=$(timeout 1800 "$LSGW_HERE/guest-image.sh") || return 1
	image_secs=$(secs "$t0" "$(now)")
	echo "  image: $out ($image_state, ${image_secs} s)"
}

step_start() {
	timeout $((LSGW_BOOT_TIMEOUT + 120)) "$GW" start || return 1
	started=1
	boot_secs=$(cat "$LSGW_RUN/boot-seconds")
	echo "  boot-to-ready: ${boot_secs} s (limit ${LSGW_BOOT_TIMEOUT} s)"
}

step_guest() {
	local out

	out=$(LSGW_EXEC_TIMEOUT=30 "$GW" exec \
	    'zcat /proc/config.gz | grep -c "^CONFIG_INET_ESPINTCP=y"; ipsec whack --status; ss -Hltn') ||
	    return 1
	printf '%s\n' "$out" | head -1 | grep -qx 1 &&
	    printf '%s\n' "$out" | grep -q '"rw-psk"' &&
	    printf '%s\n' "$out" | grep -q '"rw-cert"' &&
	    printf '%s\n' "$out" | grep -q "$LSGW_ADDR:$LSGW_TCP_PORT"
}

step_probe() {
	local out rc

	out=$(probe "$@")
	rc=$?
	printf '%s\n' "$out" | sed 's/^/  /'
	rtt=$(printf '%s\n' "$out" | grep -o 'rtt_ms=[0-9.]*' | head -1)
	[ -n "$rtt" ] && rtts="$rtts ${rtt#rtt_ms=}"
	return "$rc"
}

# Negative control: the probe must fail where nothing speaks RFC 9329.
step_probe_fails() {
	probe --port $((LSGW_TCP_PORT + 1)) >/dev/null 2>&1 && return 1
	return 0
}

step_pluto_saw_tcp() {
	"$GW" exec "grep -c 'connection from $LSGW_CLIENT_ADDR:.*IKETCP' /run/pluto/pluto.log" |
	    awk '{ exit !($1 >= 4) }'
}

# conn name, expected lease prefix
step_peer_tunnel() {
	local conn=$1 out

	out=$(LSGW_EXEC_TIMEOUT=90 "$GW" peer exec "ipsec auto --up $conn 2>&1 | tail -n 4; ping -c 3 -i 0.3 -W 5 $LSGW_PROTECTED; ipsec auto --down $conn >/dev/null") ||
	    { printf '%s\n' "$out" | sed 's/^/  /'; return 1; }
	printf '%s\n' "$out" | grep -E 'established Child SA|packets' | sed 's/^/  /'
	printf '%s\n' "$out" | grep -q 'ESPinTCP' &&
	    printf '%s\n' "$out" | grep -q ' 3 received'
}

step_peer_start() {
	timeout $((LSGW_BOOT_TIMEOUT + 30)) "$GW" peer start
}

step_stop() {
	timeout 60 "$GW" stop || return 1
	started=0
	! ip netns list | grep -qE "^($LSGW_NS_CLI|$LSGW_NS_MID)( |$)" &&
	    [ ! -e "$LSGW_RUN/qemu.pid" ]
}

lsgw_need_root
image_secs=? boot_secs=? rtts=""
t_all=$(now)
check tools step_tools
check kernel step_kernel
check image step_image
check boot-ready step_start
if [ "$started" = 1 ]; then
	check guest-espintcp-pluto step_guest
	check probe-udp-open step_probe --udp answered --idle
	check probe-negative-control step_probe_fails
	"$GW" hotspot on
	check probe-hotspot step_probe --udp blocked
	if [ "${LSGW_SELFTEST_PEER:-1}" = 1 ]; then
		check peer-boot step_peer_start
		check peer-tunnel-psk-tcp step_peer_tunnel tcp-psk
		check peer-tunnel-cert-tcp step_peer_tunnel tcp-cert
		timeout 30 "$GW" peer stop
	fi
	"$GW" hotspot off
	check pluto-logged-tcp step_pluto_saw_tcp
	check stop-cleanup step_stop
fi
echo "image ${image_secs} s, boot-to-ready ${boot_secs} s, probe rtt_ms:${rtts:- none}, total $(secs "$t_all" "$(now)") s"
echo "$npass passed, $nfail failed"
[ "$nfail" = 0 ]
