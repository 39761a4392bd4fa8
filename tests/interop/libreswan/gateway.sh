#!/bin/bash
# The libreswan RFC 9329 gateway: a qemu guest (software emulation) running
# libreswan 4.10 with listen-tcp=yes, reached from host network namespaces.
#
#   client ns ($P-cli)      c0 192.0.2.2/24
#        | veth
#   middlebox ns ($P-mid)   br0 192.0.2.1/24 (m0 + tap lsgwp0), routes;
#        |                  hotspot = drop all forwarded UDP
#        | tap lsgw0 198.51.100.1/24 (qemu virtio-net)
#   guest "gw"              eth0 198.51.100.20/24, dummy0 203.0.113.10/25
#
# Optional second guest "peer" (same image, a libreswan *initiator*) on the
# client LAN at 192.0.2.3 (tap lsgwp0 in br0): it proves the gateway's conns
# end to end (IKE_AUTH, virtual IP, ESP in TCP), see selftest.sh.
#
# Usage: gateway.sh start | stop | status | env | exec CMD... |
#        hotspot on|off | nat on|off | console |
#        peer start|stop|exec CMD...|console
# Environment: see lib.sh (LSGW_PREFIX, LSGW_CACHE, LSGW_BOOT_TIMEOUT, ...).
set -euo pipefail

LSGW_ME=gateway
. "$(dirname "$0")/lib.sh"

LSGW_PEER_ADDR=192.0.2.3
LSGW_PEER_TAP=lsgwp0

# Selects the guest the qemu_* functions act on: gw (default) or peer.
use_guest() {
	GUEST=$1
	if [ "$GUEST" = gw ]; then
		GDIR=$LSGW_RUN
	else
		GDIR=$LSGW_RUN/peer
	fi
	PIDFILE="$GDIR/qemu.pid"
	CONSOLE="$GDIR/console.log"
	AGENT="$GDIR/agent.sock"
}
use_guest gw

# Prints the qemu PID when the pidfile names a live qemu we started.
qemu_pid() {
	local pid

	[ -f "$PIDFILE" ] || return 1
	pid=$(cat "$PIDFILE")
	case "$pid" in '' | *[!0-9]*) return 1 ;; esac
	[ -r "/proc/$pid/cmdline" ] || return 1
	# The PID must still be our qemu (PIDs are reused).
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$AGENT" || return 1
	printf '%s\n' "$pid"
}

net_up() {
	local c=$LSGW_NS_CLI m=$LSGW_NS_MID

	ip netns add "$c"
	ip netns add "$m"
	ip -n "$c" link set lo up
	ip -n "$m" link set lo up
	ip -n "$c" link add c0 type veth peer name m0 netns "$m"
	ip -n "$c" addr add "$LSGW_CLIENT_ADDR/24" dev c0
	ip -n "$c" link set c0 up
	ip -n "$c" route add default via "$LSGW_MID_CLI_ADDR"
	# The client LAN is a bridge so that the optional peer guest joins it.
	ip -n "$m" link add br0 type bridge
	ip -n "$m" link set m0 master br0
	ip -n "$m" addr add "$LSGW_MID_CLI_ADDR/24" dev br0
	ip -n "$m" link set m0 up
	ip -n "$m" link set br0 up
	ip -n "$m" tuntap add dev "$LSGW_TAP" mode tap
	ip -n "$m" addr add "$LSGW_MID_GW_ADDR/24" dev "$LSGW_TAP"
	ip -n "$m" link set "$LSGW_TAP" up
	ip netns exec "$m" sysctl -qw net.ipv4.ip_forward=1
	# The middlebox's own rules live in one table that hotspot/nat edit.
	ip netns exec "$m" nft -f - <<-EOF
	table inet lsgw {
		chain forward { type filter hook forward priority 0; policy accept; }
		chain post { type nat hook postrouting priority 100; policy accept; }
	}
	EOF
}

net_down() {
	local ns

	for ns in "$LSGW_NS_CLI" "$LSGW_NS_MID"; do
		if ip netns list | grep -qw "^$ns"; then
			ip -n "$ns" link del "$LSGW_TAP" 2>/dev/null || true
			ip -n "$ns" link del "$LSGW_PEER_TAP" 2>/dev/null || true
			ip -n "$ns" link del c0 2>/dev/null || true
			ip netns del "$ns"
		fi
	done
}

# qemu_up KERNEL IMAGE TAP MAC "KERNEL PARAMETERS"
qemu_up() {
	local kernel=$1 image=$2 tap=$3 mac=$4 params=$5

	mkdir -p "$GDIR"
	rm -f "$CONSOLE" "$AGENT" "$PIDFILE"
	ip netns exec "$LSGW_NS_MID" qemu-system-x86_64 \
	    -machine pc,accel=tcg -cpu max -m "$LSGW_MEM" -smp "$LSGW_SMP" \
	    -name "lsgw-$LSGW_PREFIX-$GUEST" -nodefaults -no-user-config \
	    -display none -daemonize -pidfile "$PIDFILE" \
	    -kernel "$kernel" \
	    -append "root=/dev/vda rw console=ttyS0 quiet init=/sbin/ikeroam-init $params ikeroam.debug=${LSGW_DEBUG:-0}" \
	    -drive "file=$image,if=virtio,format=raw,snapshot=on" \
	    -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
	    -device "virtio-net-pci,netdev=n0,mac=$mac" \
	    -device virtio-rng-pci \
	    -device virtio-serial-pci \
	    -chardev "socket,id=agent,path=$AGENT,server=on,wait=off" \
	    -device virtserialport,chardev=agent,name=ikeroam.agent \
	    -chardev "file,id=con,path=$CONSOLE" -serial chardev:con
}

wait_ready() {
	local deadline=$(($(date +%s) + LSGW_BOOT_TIMEOUT))

	while [ "$(date +%s)" -lt "$deadline" ]; do
		if grep -q "$LSGW_READY_MARKER" "$CONSOLE" 2>/dev/null; then
			return 0
		fi
		grep -q IKEROAM-GW-FAILED "$CONSOLE" 2>/dev/null && return 1
		qemu_pid >/dev/null || return 1
		sleep 0.2
	done
	return 1
}

cmd_start() {
	local kernel image t0 t1

	lsgw_need_root
	qemu_pid >/dev/null && lsgw_die "already running (stop it first)"
	kernel=$(lsgw_kernel) ||
	    lsgw_die "no guest kernel: run build-kernel.sh (see README.md)"
	image=$("$LSGW_HERE/guest-image.sh")
	mkdir -p "$LSGW_RUN"
	net_down
	net_up
	t0=$(date +%s.%N)
	if ! qemu_up "$kernel" "$image" "$LSGW_TAP" 52:54:00:51:64:14 \
	    "ikeroam.ip=$LSGW_ADDR/24 ikeroam.gw=$LSGW_MID_GW_ADDR ikeroam.prot=$LSGW_PROTECTED/25"; then
		net_down
		lsgw_die "qemu failed to start"
	fi
	if ! wait_ready; then
		lsgw_log "not ready within ${LSGW_BOOT_TIMEOUT}s; console tail:"
		tail -n 30 "$CONSOLE" >&2 || true
		cmd_stop
		exit 1
	fi
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }' \
	    >"$LSGW_RUN/boot-seconds"
	lsgw_log "ready in $(cat "$LSGW_RUN/boot-seconds") s" \
	    "($(grep -o "$LSGW_READY_MARKER.*" "$CONSOLE" | tr -d '\r'))"
}

qemu_down() {
	local pid i

	if pid=$(qemu_pid); then
		kill -TERM "$pid" 2>/dev/null || true
		for i in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$PIDFILE" "$AGENT"
}

cmd_stop() {
	use_guest peer
	qemu_down
	use_guest gw
	qemu_down
	net_down
}

# The libreswan initiator guest on the client LAN (/etc/ipsec-peer.conf).
cmd_peer() {
	local kernel

	use_guest gw
	qemu_pid >/dev/null || lsgw_die "start the gateway first"
	use_guest peer
	case "${1:-}" in
	start)
		qemu_pid >/dev/null && lsgw_die "peer already running"
		kernel=$(lsgw_kernel) || lsgw_die "no guest kernel"
		ip -n "$LSGW_NS_MID" link del "$LSGW_PEER_TAP" 2>/dev/null || true
		ip -n "$LSGW_NS_MID" tuntap add dev "$LSGW_PEER_TAP" mode tap
		ip -n "$LSGW_NS_MID" link set "$LSGW_PEER_TAP" master br0 up
		qemu_up "$kernel" "$LSGW_DIR/rootfs.ext4" "$LSGW_PEER_TAP" \
		    52:54:00:51:64:03 "ikeroam.role=peer ikeroam.ip=$LSGW_PEER_ADDR/24 ikeroam.gw=$LSGW_MID_CLI_ADDR" ||
		    lsgw_die "peer qemu failed to start"
		if ! wait_ready; then
			tail -n 30 "$CONSOLE" >&2 || true
			qemu_down
			lsgw_die "peer not ready"
		fi
		;;
	stop)
		qemu_down
		ip -n "$LSGW_NS_MID" link del "$LSGW_PEER_TAP" 2>/dev/null || true
		;;
	exec) shift; cmd_exec "$@" ;;
	console) cat "$CONSOLE" ;;
	*) lsgw_die "usage: gateway.sh peer start|stop|exec CMD|console" ;;
	esac
}

cmd_status() {
	local pid

	if pid=$(qemu_pid) && grep -q "$LSGW_READY_MARKER" "$CONSOLE"; then
		echo "running pid $pid, ready; boot $(cat "$LSGW_RUN/boot-seconds" 2>/dev/null)s"
		return 0
	fi
	echo "not running"
	return 1
}

# Shell assignments for a client test: eval "$(gateway.sh env)".
cmd_env() {
	local kernel

	kernel=$(lsgw_kernel 2>/dev/null) || kernel=
	cat <<-EOF
	LSGW_CLIENT_NS=$LSGW_NS_CLI
	LSGW_MIDDLEBOX_NS=$LSGW_NS_MID
	LSGW_CLIENT_ADDR=$LSGW_CLIENT_ADDR
	LSGW_ADDR=$LSGW_ADDR
	LSGW_TCP_PORT=$LSGW_TCP_PORT
	LSGW_ID=$LSGW_ID
	LSGW_CLIENT_PSK_ID=$LSGW_CLIENT_PSK_ID
	LSGW_PSK=$LSGW_PSK
	LSGW_CLIENT_CERT_ID=$LSGW_CLIENT_CERT_ID
	LSGW_CA=$LSGW_DIR/pki/ca.pem
	LSGW_CLIENT_CERT=$LSGW_DIR/pki/client.pem
	LSGW_CLIENT_KEY=$LSGW_DIR/pki/client.key
	LSGW_CLIENT_P12=$LSGW_DIR/pki/client.p12
	LSGW_PROTECTED=$LSGW_PROTECTED
	LSGW_PROTECTED_NET=$LSGW_PROTECTED_NET
	LSGW_POOL_PSK=$LSGW_POOL_PSK
	LSGW_POOL_CERT=$LSGW_POOL_CERT
	LSGW_DNS=$LSGW_DNS
	LSGW_KERNEL=$kernel
	LSGW_CONSOLE=$CONSOLE
	LSGW_GATEWAY_SH=$LSGW_HERE/gateway.sh
	EOF
}

cmd_exec() {
	[ $# -gt 0 ] || lsgw_die "usage: gateway.sh exec CMD..."
	qemu_pid >/dev/null || lsgw_die "not running"
	python3 "$LSGW_HERE/agent-client.py" "$AGENT" \
	    "${LSGW_EXEC_TIMEOUT:-60}" "$*"
}

cmd_hotspot() {
	local m=$LSGW_NS_MID

	case "${1:-}" in
	on)
		ip netns exec "$m" nft flush chain inet lsgw forward
		ip netns exec "$m" nft add rule inet lsgw forward \
		    meta l4proto udp counter drop
		;;
	off) ip netns exec "$m" nft flush chain inet lsgw forward ;;
	*) lsgw_die "usage: gateway.sh hotspot on|off" ;;
	esac
}

# Source NAT of the client towards the guest: libreswan then detects NAT
# and puts ESP in UDP 4500 (without NAT it expects plain ESP, protocol 50).
cmd_nat() {
	local m=$LSGW_NS_MID

	case "${1:-}" in
	on)
		ip netns exec "$m" nft flush chain inet lsgw post
		ip netns exec "$m" nft add rule inet lsgw post \
		    oifname "$LSGW_TAP" masquerade
		;;
	off) ip netns exec "$m" nft flush chain inet lsgw post ;;
	*) lsgw_die "usage: gateway.sh nat on|off" ;;
	esac
}

case "${1:-}" in
start) cmd_start ;;
stop) lsgw_need_root; cmd_stop ;;
status) cmd_status ;;
env) cmd_env ;;
exec) shift; cmd_exec "$@" ;;
hotspot) lsgw_need_root; cmd_hotspot "${2:-}" ;;
nat) lsgw_need_root; cmd_nat "${2:-}" ;;
console) cat "$CONSOLE" ;;
peer) lsgw_need_root; shift; cmd_peer "$@" ;;
*)
	echo "usage: $0 start|stop|status|env|exec CMD|hotspot on|off|nat on|off|console|peer ..." >&2
	exit 2
	;;
esac
