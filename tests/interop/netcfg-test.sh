#!/bin/sh
# tests/interop/netcfg-test.sh: src/netcfg.c against a real kernel, root
# only, once with the built-in netlink path and once with Debian's
# vpnc-script, through tests/src/netcfg_probe (netcfg on a libuv loop).
#
# Re-runs itself in a fresh network and mount namespace (unshare): /run
# is a tmpfs there (so /run/ikeroam and vpnc-script's /var/run/vpnc are
# scratch) and /etc/resolv.conf a scratch file.  An uplink veth0
# (198.51.100.2/24, 2001:db8:ff::2/64, default routes via a pinned
# neighbour) and a persistent TUN nctun0 (as NetworkManager makes them:
# what is set up on it survives a kill -9).  For each path:
#   1. up: address A, split 203.0.113.0/24, DNS 192.0.2.53 (outside the
#      split): routes, address, host routes for the gateway and the DNS
#      server, the state record (mode 0600);
#   2. reconnect with address B and an extra split 192.0.2.128/25, while
#      pinging 203.0.113.10 every 5 ms: a capture on veth0 must hold no
#      packet for 203.0.113.0/24 (and a control that removes the route by
#      hand must hold some: the capture does see leaks);
#   3. reconnect as a full tunnel without IPv6: IPv6 goes to the TUN;
#   4. re-pin the gateway; attempt-reconnect;
#   5. kill -9, then netcfg_probe --cleanup: every address, route, the
#      gateway pin (and with the script: resolv.conf) restored.
# Then a clean up/down removes the record.  The script runs twice: as
# the only one to route (--script-routes script) and after the early
# setup (--early, the default for the stock script).  A "uname" first
# in the script's PATH (its first command) shows what the TUN had when
# the script started: nothing routed yet, or (early) everything; after
# the early setup no "File exists" of the script's reaches the log, and
# full and split tunnels of both families leave nothing after "down".
# Exit 77 (SKIP) without root, unshare, tcpdump or /dev/net/tun.
set -u
if [ "${1:-}" != "--inside" ]; then
	[ "$(id -u)" = 0 ] || { echo "netcfg-test: SKIP: needs root"; exit 77; }
	for t in ip unshare tcpdump ping timeout; do
		command -v "$t" >/dev/null 2>&1 ||
		    { echo "netcfg-test: SKIP: $t missing"; exit 77; }
	done
	[ -c /dev/net/tun ] || { echo "netcfg-test: SKIP: no /dev/net/tun"; exit 77; }
	top=$(cd "$(dirname "$0")/../.." && pwd)
	NETCFG_PROBE=${NETCFG_PROBE:-$top/build/tests/src/netcfg_probe}
	export NETCFG_PROBE
	[ -x "$NETCFG_PROBE" ] || { echo "netcfg-test: $NETCFG_PROBE not built"; exit 99; }
	exec timeout 120 unshare --net --mount --propagation private \
	    sh "$0" --inside
fi

probe=$NETCFG_PROBE
script=/usr/share/vpnc-scripts/vpnc-script
dev=nctun0
gw=192.0.2.1
fail=0
pass=0
mount -t tmpfs none /run || exit 99
work=/run/nctest
mkdir -p "$work"
echo "nameserver 192.0.2.250" >"$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf || exit 99
# vpnc-script's PATH has /usr/local/sbin before /usr/bin: its first
# command, uname, records the TUN's state at the start of "connect".
mount -t tmpfs none /usr/local/sbin || exit 99
cat >/usr/local/sbin/uname <<EOF
#!/bin/sh
if [ "\$reason" = connect ]; then
	{ ip -o addr show dev nctun0; ip route show dev nctun0
	  ip -6 route show dev nctun0; ip route show 192.0.2.1
	} >"$work/at-start" 2>&1
fi
exec /usr/bin/uname "\$@"
EOF
chmod 755 /usr/local/sbin/uname
probe_pid=
tcpdump_pid=

check() {	# check WHAT CMD...: one PASS/FAIL line
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "PASS: $what"
		pass=$((pass + 1))
	else
		echo "FAIL: $what"
		fail=$((fail + 1))
	fi
}

ip link set lo up
ip link add veth0 type veth peer name veth1 || exit 99
ip addr add 198.51.100.2/24 dev veth0
ip -6 addr add 2001:db8:ff::2/64 dev veth0 nodad
ip link set veth0 up
ip link set veth1 up
ip route add default via 198.51.100.1 dev veth0
ip -6 route add default via 2001:db8:ff::1 dev veth0
ip neigh replace 198.51.100.1 lladdr 02:00:5e:00:53:01 dev veth0 nud permanent
ip -6 neigh replace 2001:db8:ff::1 lladdr 02:00:5e:00:53:01 dev veth0 \
    nud permanent

# probe_start [--script PATH]: the probe reads $work/in, writes $work/out.
probe_start() {
	rm -f "$work/in" "$work/out"
	mkfifo "$work/in"
	"$probe" --tun "$dev" "$@" <"$work/in" >"$work/out" 2>>"$work/log" &
	probe_pid=$!
	exec 3>"$work/in"
	wait_for "^ready "
}

wait_for() {	# wait_for REGEX: in $work/out, at most 15 s
	i=0
	while ! grep -q "$1" "$work/out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 300 ] || { echo "netcfg-test: no '$1' from the probe"; return 1; }
		sleep 0.05
	done
}

cmd() {		# cmd LINE: send it and wait for its "ok"
	n=$(grep -c "^ok " "$work/out")
	echo "$*" >&3
	i=0
	while [ "$(grep -c "^ok " "$work/out")" -le "$n" ]; do
		i=$((i + 1))
		[ $i -le 300 ] || { echo "netcfg-test: '$1' did not finish"; return 1; }
		sleep 0.05
	done
	tail -1 "$work/out"
}

cap_start() {	# a capture of veth0's packets for the protected networks
	tcpdump -i veth0 -n -U -w "$work/cap.pcap" \
	    'dst net 203.0.113.0/24 or dst net 192.0.2.128/25' \
	    2>"$work/tcpdump.log" &
	tcpdump_pid=$!
	i=0
	while ! grep -q "listening" "$work/tcpdump.log"; do
		i=$((i + 1))
		[ $i -le 100 ] || break
		sleep 0.05
	done
}

cap_count() {	# stop the capture; print how many packets it holds
	sleep 0.2
	kill -INT "$tcpdump_pid" 2>/dev/null
	wait "$tcpdump_pid" 2>/dev/null
	tcpdump -r "$work/cap.pcap" -n 2>/dev/null | wc -l
}

has_route() { ip route show "$@" | grep -q .; }
no_route() { ! ip route show "$@" | grep -q .; }
route_dev() {	# route_dev DST DEV: the kernel would send DST out of DEV
	ip route get "$1" 2>/dev/null | grep -q "dev $2"
}
has_addr() { ip -o addr show dev "$dev" | grep -q " $1/"; }
no_addr() { ! has_addr "$1"; }
state_0600() { [ "$(stat -c %a "/run/ikeroam/$dev.state")" = 600 ]; }
log_says() { grep -q "$1" "$work/log"; }
resolv_has() { grep -q "nameserver $1" /etc/resolv.conf; }
resolv_lacks() { ! resolv_has "$1"; }
ok_status() { grep -q "^ok $1 0$" "$work/out"; }

has_prefix() { ip -o -4 addr show dev "$dev" | grep -q " $1 "; }
no_prefix() { ! has_prefix "$1"; }

# Built-in path: INTERNAL_IP4_NETMASK is applied (RFC 7296 §3.15.1), and a
# new address in the same subnet survives the old one's removal (it would
# be its secondary).  Ends back at 192.0.2.77/32 for the steps after it.
netmask_swaps() {
	cmd "reconnect gw=$gw ip4=192.0.2.77 mask4=28 split=203.0.113.0/24 dns=192.0.2.53" >/dev/null
	check "$name: netmask: 192.0.2.77/28 on the TUN" has_prefix 192.0.2.77/28
	check "$name: netmask: the /32 is gone" no_prefix 192.0.2.77/32
	check "$name: netmask: 192.0.2.64/28 routed into the TUN" \
	    route_dev 192.0.2.70 "$dev"
	cmd "reconnect gw=$gw ip4=192.0.2.78 mask4=28 split=203.0.113.0/24 dns=192.0.2.53" >/dev/null
	check "$name: same subnet: 192.0.2.78/28 kept when .77 goes" \
	    has_prefix 192.0.2.78/28
	check "$name: same subnet: 192.0.2.77/28 gone" no_prefix 192.0.2.77/28
	check "$name: same subnet: no bridge /32 left" no_prefix 192.0.2.78/32
	cmd "reconnect gw=$gw ip4=192.0.2.77 split=203.0.113.0/24 dns=192.0.2.53" >/dev/null
	check "$name: back to 192.0.2.77/32" has_prefix 192.0.2.77/32
	check "$name: back: 192.0.2.78/28 gone" no_prefix 192.0.2.78/28
}

at_start() { grep -q "$1" "$work/at-start"; }
show_log() {	# NETCFG_TEST_LOG=1: the probe's log (with the script's) so far
	[ -n "${NETCFG_TEST_LOG:-}" ] && sed "s/^/$name log: /" "$work/log"
	:
}
not_at_start() { ! at_start "$1"; }
# ip(8) says EEXIST in its words or the kernel's (extended ACK).
no_script_eexist() {
	! grep -q "^RTNETLINK answers: File exists\|^Error: ipv.: [Aa]ddress already assigned" "$work/log"
}
no_rtnetlink() { ! grep -q "^RTNETLINK answers\|^Error: " "$work/log"; }
no_v6_route() { ! ip -6 route show dev "$dev" | grep -q .; }
no_tun_addr() { ! ip -o addr show dev "$dev" | grep -q "inet"; }
one_pin() { [ "$(ip route show "$gw" | wc -l)" -eq 1 ]; }
default_via_uplink() { ip route show default | grep -q "via 198.51.100.1 dev veth0"; }

# Early only: what the script found when it started; what its output
# said.
early_checks() {
	check "$name: at the script's start: the address" \
	    at_start "inet 192.0.2.77/32"
	check "$name: at the script's start: the split routed" \
	    at_start "203.0.113.0/24"
	check "$name: at the script's start: the DNS host route" \
	    at_start "192.0.2.53"
	check "$name: at the script's start: the gateway pinned" \
	    at_start "192.0.2.1 via 198.51.100.1 dev veth0"
	check "$name: no 'File exists' of the script's in the output" \
	    no_script_eexist
	check "$name: the script met our address (debug line)" \
	    log_says "vpnc-script: .*(ikeroam added it first)"
}

# up and down: nothing of ours or the script's left, nothing it says.
early_updown() {	# early_updown CASE ROUTE ARGS...: ROUTE there early
	case_=$1
	early_route=$2
	shift 2
	: >"$work/log"
	ip link set "$dev" up	# as ikeroam's TUN (the script's "down" too)
	cmd "up gw=$gw $*" >/dev/null
	check "$name: $case_: up" ok_status up
	check "$name: $case_: $early_route in place at the script's start" \
	    at_start "^$early_route "
	check "$name: $case_: IPv4 into the TUN" route_dev 203.0.113.10 "$dev"
	check "$name: $case_: one host route to the gateway" one_pin
	ip route show default | grep -q "metric 100" &&
	    check "$name: $case_: it is the script's (metric 100)" \
	    sh -c "ip route show $gw | grep -q 'metric 100'"
	show_log
	cmd "down" >/dev/null
	check "$name: $case_: down" ok_status down
	check "$name: $case_: no IPv4 route into the TUN" no_route dev "$dev"
	check "$name: $case_: no IPv6 route into the TUN" no_v6_route
	check "$name: $case_: no address on the TUN" no_tun_addr
	check "$name: $case_: no gateway pin" no_route "$gw"
	check "$name: $case_: the default route back" default_via_uplink
	check "$name: $case_: IPv6 by the uplink again" route_dev 2001:db8::1 veth0
	check "$name: $case_: resolv.conf restored" resolv_lacks 192.0.2.53
	check "$name: $case_: no RTNETLINK error in the output" no_rtnetlink
}

one_path() {	# one_path NAME [--script PATH [--early]]
	name=$1
	shift
	ip tuntap add dev "$dev" mode tun || exit 99
	: >"$work/log"
	probe_start "$@"

	cmd "up gw=$gw ip4=192.0.2.77 split=203.0.113.0/24 dns=192.0.2.53" >/dev/null
	check "$name: up" ok_status up
	check "$name: address A on the TUN" has_addr 192.0.2.77
	check "$name: split 203.0.113.0/24 into the TUN" route_dev 203.0.113.10 "$dev"
	check "$name: DNS 192.0.2.53 (outside the split) into the TUN" \
	    route_dev 192.0.2.53 "$dev"
	check "$name: gateway pinned to the uplink" route_dev "$gw" veth0
	check "$name: state record, mode 0600" state_0600
	[ -n "${1:-}" ] && check "$name: resolv.conf has the VPN's DNS" \
	    resolv_has 192.0.2.53
	[ -z "${1:-}" ] && netmask_swaps
	show_log
	case "$*" in
	*--early*) early_checks ;;
	*--script*)
		check "$name: control: at the script's start nothing routed" \
		    not_at_start "203.0.113.0/24" ;;
	esac

	# 2. Another address and an extra split, under a ping every 5 ms.
	cap_start
	ping -n -q -i 0.005 -c 300 -W 1 203.0.113.10 >/dev/null 2>&1 &
	ping_pid=$!
	sleep 0.3
	cmd "reconnect gw=$gw ip4=192.0.2.78 split=203.0.113.0/24 split=192.0.2.128/25 dns=192.0.2.53" >/dev/null
	wait "$ping_pid"
	leaked=$(cap_count)
	echo "$name: packets for the protected networks on the uplink during the swap: $leaked"
	check "$name: reconnect" ok_status reconnect
	check "$name: no packet outside the tunnel during the swap" [ "$leaked" -eq 0 ]
	check "$name: address B on the TUN" has_addr 192.0.2.78
	check "$name: address A gone" no_addr 192.0.2.77
	check "$name: split 203.0.113.0/24 still into the TUN" route_dev 203.0.113.10 "$dev"
	check "$name: new split 192.0.2.128/25 into the TUN" route_dev 192.0.2.200 "$dev"
	[ -n "${1:-}" ] && check "$name: resolv.conf kept the VPN's DNS" \
	    resolv_has 192.0.2.53

	# The control: without the split route the capture sees the pings.
	cap_start
	ip route del 203.0.113.0/24 dev "$dev"
	ping -n -q -i 0.01 -c 20 -W 1 203.0.113.10 >/dev/null 2>&1
	ip route add 203.0.113.0/24 dev "$dev" proto static scope link
	seen=$(cap_count)
	check "$name: control: the capture sees a leak ($seen packets)" [ "$seen" -gt 0 ]

	# 3. Full tunnel, no IPv6 from the gateway: IPv6 into the TUN.
	check "$name: before: IPv6 leaves by the uplink" route_dev 2001:db8::1 veth0
	cmd "reconnect gw=$gw ip4=192.0.2.78 dns=192.0.2.53" >/dev/null
	check "$name: full tunnel: IPv4 into the TUN" route_dev 192.0.2.100 "$dev"
	check "$name: full tunnel without IPv6: IPv6 into the TUN" \
	    route_dev 2001:db8::1 "$dev"
	check "$name: the one log line about IPv6" \
	    log_says "the gateway gave no IPv6: IPv6 traffic is blocked"
	check "$name: gateway still pinned to the uplink" route_dev "$gw" veth0

	# 4. Re-pin to another next hop on the uplink; attempt-reconnect.
	ip neigh replace 198.51.100.3 lladdr 02:00:5e:00:53:03 dev veth0 nud permanent
	cmd "repin dev=veth0 via=198.51.100.3" >/dev/null
	check "$name: repin" ok_status repin
	if [ -z "${1:-}" ]; then
		check "$name: gateway re-pinned via the new next hop" \
		    has_route "$gw" via 198.51.100.3
	else
		check "$name: gateway still pinned to the uplink" route_dev "$gw" veth0
	fi
	cmd "attempt" >/dev/null
	check "$name: attempt-reconnect" ok_status attempt

	# 5. kill -9, then the next start's clean-up.
	kill -9 "$probe_pid"
	wait "$probe_pid" 2>/dev/null
	exec 3>&-
	check "$name: after kill -9: address B left behind" has_addr 192.0.2.78
	check "$name: after kill -9: routes left behind" has_route dev "$dev"
	"$probe" --cleanup "$dev" >"$work/cleanup" 2>>"$work/log"
	cat "$work/cleanup"
	grep "leftover" "$work/log" | sed "s/^/$name: /"
	check "$name: cleanup ran" grep -q "^cleanup 0 undid" "$work/cleanup"
	check "$name: address B removed" no_addr 192.0.2.78
	check "$name: no route into the TUN left" no_route dev "$dev"
	check "$name: no IPv6 route into the TUN left" \
	    sh -c "! ip -6 route show dev $dev | grep -q '/1 '"
	check "$name: gateway pin removed" no_route "$gw"
	check "$name: state record removed" [ ! -e "/run/ikeroam/$dev.state" ]
	[ -n "${1:-}" ] && check "$name: resolv.conf restored" \
	    resolv_lacks 192.0.2.53

	# A clean up and down leaves no record and nothing routed.
	probe_start "$@"
	cmd "up gw=$gw ip4=192.0.2.77 split=203.0.113.0/24" >/dev/null
	cmd "down" >/dev/null
	check "$name: down" ok_status down
	check "$name: down removed the record" [ ! -e "/run/ikeroam/$dev.state" ]
	check "$name: down removed the routes" no_route dev "$dev"
	case "$*" in
	*--early*)
		early_updown "full tunnel, IPv4 and IPv6" 128.0.0.0/1 \
		    ip4=192.0.2.77 ip6=2001:db8:77::77 dns=192.0.2.53
		early_updown "splits, IPv4 and IPv6" 2001:db8:aa::/48 \
		    ip4=192.0.2.77 \
		    mask4=28 ip6=2001:db8:77::77 split=203.0.113.0/24 \
		    split=2001:db8:aa::/48 dns=192.0.2.53
		early_updown "full IPv4, no IPv6" 8000::/1 ip4=192.0.2.77 \
		    dns=192.0.2.53
		# A default route with a metric (DHCP, NetworkManager): the
		# script pins the gateway with it beside ours; ours goes.
		ip route replace default via 198.51.100.1 dev veth0 metric 100
		ip route del default via 198.51.100.1 dev veth0 metric 0
		early_updown "uplink route with a metric" 0.0.0.0/1 \
		    ip4=192.0.2.77 dns=192.0.2.53
		;;
	esac
	cmd "quit" >/dev/null 2>&1
	kill "$probe_pid" 2>/dev/null
	wait "$probe_pid" 2>/dev/null
	exec 3>&-
	ip link del "$dev"
}

one_path netlink
if [ -x "$script" ]; then
	one_path vpnc-script --script "$script"
	one_path vpnc-script-early --script "$script" --early
else
	echo "FAIL: $script missing (scripts/deps-interop.sh installs it)"
	fail=$((fail + 1))
fi
echo "netcfg-test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
