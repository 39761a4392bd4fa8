#!/bin/bash
# PID 1 of the libreswan gateway guest (kernel "init=/sbin/ikeroam-init").
# No systemd: under software emulation a script boots in seconds. It
# mounts the pseudo file systems, configures the network from the kernel
# command line, starts pluto (listen-tcp=yes) and iperf3, starts the exec
# agent on the virtio-serial port "ikeroam.agent", prints the ready marker
# on the serial console and then only reaps orphans.
#
# Kernel command line parameters (set by gateway.sh):
#   ikeroam.ip=ADDR/LEN      eth0 address          (198.51.100.20/24)
#   ikeroam.gw=ADDR          default route         (198.51.100.1)
#   ikeroam.prot=ADDR/LEN    dummy0 address        (203.0.113.10/25)
#   ikeroam.debug=1          plutodebug=all at start
#   ikeroam.role=peer        be the libreswan *initiator* of selftest.sh
#                            (/etc/ipsec-peer.conf, no dummy0) instead
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C

say() {
	printf 'ikeroam-init: %s\n' "$*" >/dev/console
}

mount_all() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
	mkdir -p /dev/pts /dev/shm
	mount -t devpts devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	mount -t tmpfs -o mode=0755 tmpfs /run
	mount -t tmpfs tmpfs /tmp
	mkdir -p /run/pluto /run/lock
}

cmdline() {
	local w

	for w in $(cat /proc/cmdline); do
		case "$w" in
		ikeroam.ip=*) IP=${w#*=} ;;
		ikeroam.gw=*) GW=${w#*=} ;;
		ikeroam.prot=*) PROT=${w#*=} ;;
		ikeroam.debug=*) DEBUG=${w#*=} ;;
		ikeroam.role=*) ROLE=${w#*=} ;;
		esac
	done
}

net_up() {
	hostname gw
	ip link set lo up
	ip addr add "$IP" dev eth0
	ip link set eth0 up
	ip route add default via "$GW"
	[ "$ROLE" = gw ] || return 0
	# The protected host: a local address on a dummy interface answers
	# pings and serves iperf3 once the tunnel is up.
	# CONFIG_DUMMY=y already made dummy0 (numdummies=1)
	ip link show dummy0 >/dev/null 2>&1 || ip link add dummy0 type dummy
	ip addr add "$PROT" dev dummy0
	ip link set dummy0 up
	sysctl -qw net.ipv4.ip_forward=1
	sysctl -qw net.ipv4.conf.all.rp_filter=0
	sysctl -qw net.ipv4.conf.default.rp_filter=0
}

# Like ipsec.service: check the NSS database, then pluto; it loads the
# auto=add conns of /etc/ipsec.conf itself.
pluto_up() {
	local i conf=/etc/ipsec.conf conn=rw-psk

	if [ "$ROLE" = peer ]; then
		conf=/etc/ipsec-peer.conf
		conn=tcp-psk
	fi
	/usr/libexec/ipsec/pluto --config "$conf"
	for i in $(seq 1 300); do
		if ipsec whack --status 2>/dev/null | grep -q "\"$conn\"" &&
		    { [ "$ROLE" = peer ] ||
		    ss -Hltn 'sport = :4500' | grep -q LISTEN; }; then
			[ "${DEBUG:-0}" = 1 ] && ipsec whack --debug all
			return 0
		fi
		sleep 0.2
	done
	say "pluto did not come up"
	return 1
}

IP=198.51.100.20/24
GW=198.51.100.1
PROT=203.0.113.10/25
ROLE=gw
mount_all
cmdline
exec </dev/null >/dev/console 2>&1
net_up
if pluto_up; then
	[ "$ROLE" = gw ] &&
	    iperf3 -s -D -B "${PROT%/*}" --logfile /run/iperf3.log
	/usr/local/sbin/ikeroam-agent &
	read -r up _ </proc/uptime
	say "$(ipsec --version 2>/dev/null | head -1)"
	echo "IKEROAM-GW-READY uptime=$up"
else
	/usr/local/sbin/ikeroam-agent &
	echo "IKEROAM-GW-FAILED"
fi
# PID 1 must reap orphans (pluto's helpers, the agent's commands).
exec perl -e 'use POSIX; $SIG{TERM} = "IGNORE";
    while (1) { sleep 1 if waitpid(-1, 0) <= 0; }'
