#!/bin/sh
# tests/tun/tun-netns.sh: the tun/ layer against a real kernel, root only.
#
# Re-runs itself inside a fresh network namespace (unshare --net), builds
# a veth "uplink" there (198.51.100.2/24, default via 198.51.100.1 whose
# MAC is pinned in the neighbour table), runs tests/tun/tun_probe, and
# checks what it printed: MTU, addresses, routes, the gateway host route,
# the network identity, and that tun_nl_undo() removed exactly what was
# added (the uplink's default route survives).  The namespace, and all in
# it, vanish when the inner shell exits: nothing touches the host.
#
# Exit 77 (automake: SKIP) when not root or when namespaces or TUN are
# not available; CI runs as root, so it runs there.

if [ "$1" != "--inside" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "tun-netns: SKIP: needs root"
		exit 77
	fi
	for tool in ip unshare; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "tun-netns: SKIP: $tool missing"; exit 77; }
	done
	if [ ! -c /dev/net/tun ]; then
		echo "tun-netns: SKIP: no /dev/net/tun"
		exit 77
	fi
	if ! unshare --net true 2>/dev/null; then
		echo "tun-netns: SKIP: cannot create a network namespace"
		exit 77
	fi
	exec timeout 60 unshare --net sh "$0" --inside
fi

set -u
probe=${TUN_PROBE:-./tests/tun/tun_probe}
dev=ikrtest0
fail=0

[ -x "$probe" ] || { echo "tun-netns: $probe not built"; exit 99; }

ip link set lo up
ip link add veth0 type veth peer name veth1 || exit 99
ip addr add 198.51.100.2/24 dev veth0
ip link set veth0 up
ip link set veth1 up
ip route add default via 198.51.100.1 dev veth0
ip neigh replace 198.51.100.1 lladdr 02:00:5e:00:53:01 dev veth0 \
    nud permanent

out=$("$probe" "$dev" 2>&1)
rv=$?
printf '%s\n' "$out"
[ $rv -eq 0 ] || { echo "tun-netns: FAIL: tun_probe exited $rv"; exit 1; }

configured=$(printf '%s\n' "$out" |
    sed -n '/^== configured ==$/,/^== undone ==$/p')
undone=$(printf '%s\n' "$out" | sed -n '/^== undone ==$/,$p')
tunidx=$(printf '%s\n' "$out" | sed -n "s/^tun $dev ifindex=\([0-9]*\)$/\1/p")
vethidx=$(ip -o link show veth0 | cut -d: -f1)

has() {		# has TEXT PATTERN WHAT
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		echo "ok: $3"
	else
		echo "FAIL: $3 (no /$2/)"
		fail=1
	fi
}

hasnot() {	# hasnot TEXT PATTERN WHAT
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		echo "FAIL: $3 (still /$2/)"
		fail=1
	else
		echo "ok: $3"
	fi
}

has "$out" "^tun $dev ifindex=[0-9]+$" "TUN created with the requested name"
has "$out" "^netid gw=198\.51\.100\.1 dev=veth0 mac=02:00:5e:00:53:01$" \
    "network identity: default gateway, interface, MAC"
has "$out" "^recorded 8$" "8 changes recorded (duplicate route not counted)"
has "$out" "^lookup 203\.0\.113\.5 ifindex=$tunidx via=-$" \
    "split network goes through the TUN"
has "$out" "^lookup 203\.0\.113\.10 ifindex=$vethidx via=198\.51\.100\.1$" \
    "VPN gateway stays on the uplink"

has "$configured" "$dev: .*mtu 1400 .*state UNKNOWN|$dev: <.*UP.*> mtu 1400" \
    "MTU 1400 and link up"
has "$configured" "inet 192\.0\.2\.77/24 " "IPv4 address"
has "$configured" "inet6 2001:db8:77::77/64 " "IPv6 address"
has "$configured" "^203\.0\.113\.0/24 dev $dev proto static scope link" \
    "split route"
has "$configured" "^0\.0\.0\.0/1 dev $dev proto static scope link" "0/1"
has "$configured" "^128\.0\.0\.0/1 dev $dev proto static scope link" "128/1"
has "$configured" "^::/1 dev $dev proto static" "::/1"
has "$configured" "^8000::/1 dev $dev proto static" "8000::/1"
has "$configured" \
    "^203\.0\.113\.10 via 198\.51\.100\.1 dev veth0 proto static" \
    "host route to the VPN gateway"
has "$configured" "^default via 198\.51\.100\.1 dev veth0" "default kept"

has "$out" "^recorded 0$" "record empty after undo"
hasnot "$undone" "192\.0\.2\.77" "IPv4 address removed"
hasnot "$undone" "2001:db8:77::77" "IPv6 address removed"
hasnot "$undone" "203\.0\.113\." "split and gateway routes removed"
hasnot "$undone" "^(0\.0\.0\.0|128\.0\.0\.0|::|8000::)/1 " "halves removed"
has "$undone" "^default via 198\.51\.100\.1 dev veth0" "default route intact"
has "$undone" "$dev: .*mtu 1400" "TUN itself still there until closed"

ip link show "$dev" >/dev/null 2>&1 && {
	echo "FAIL: $dev outlived tun_dev_close()"; fail=1; }

[ $fail -eq 0 ] && echo "tun-netns: PASS"
exit $fail
