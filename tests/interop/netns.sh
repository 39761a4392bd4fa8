#!/bin/bash
# tests/interop/netns.sh: the interop topology, four network namespaces.
#
#   ${P}-cli            ${P}-mid                 ${P}-gw              ${P}-lan
#  +-----------+      +---------------+      +-----------------+   +---------------+
#  | eth0      |------| c0       g0   |------| eth0       lan0 |---| eth0          |
#  | 192.0.2.2 |      | 192.0.2.1     |      | 198.51.100.10   |   | 203.0.113.10  |
#  |  /24      |      | 198.51.100.1  |      |  /25            |   | 203.0.113.53  |
#  | default   |      |   /25         |      | 203.0.113.1/24  |   |  /24, default |
#  | via .1    |      | NAT/loss/UDP  |      | charon (VPN gw) |   |  via .1       |
#  +-----------+      +---------------+      +-----------------+   +---------------+
#
# RFC 5737 documentation prefixes only:
#   192.0.2.0/24       client link ("the hotspot"): client .2, middlebox .1
#   198.51.100.0/25    gateway's outside link: middlebox .1, gateway .10
#   198.51.100.128/25  virtual IP pool handed out by the gateway (IKEv2 CP);
#                      not on any link, routed by the gateway into its tunnel
#   203.0.113.0/24     protected LAN behind the gateway: gateway .1, host .10,
#                      DNS server address .53 (pushed by the gateway)
# With IR_UPLINKS=2 at "up" (the roaming suite) the client has two uplinks
# to the middlebox, each a /25 of 192.0.2.0/24:
#   A: eth0 192.0.2.2/25   - c0 192.0.2.1/25     default route via .1
#   B: eth1 192.0.2.130/25 - c1 192.0.2.129/25   address only
# and the middlebox drops a packet that arrives on the wrong uplink for its
# source (strict reverse-path filter), as a real access network would.
#
# The middlebox routes between the two outer links but knows no route to
# 203.0.113.0/24 or to the pool: a client reaches the LAN only through the
# tunnel. The gateway's default route points at the middlebox, so without
# NAT it sees the client's real address.
#
# Middlebox knobs (nftables in ${P}-mid, switchable at any time):
#   nat on|off        masquerade the client behind 198.51.100.1 (NAT-T)
#   udp block|allow   "hotspot mode": drop every forwarded UDP datagram
#   loss PCT [up|down|both]  drop PCT % of forwarded packets (numgen random)
#   mtu N             MTU of the client link (both ends)
#   cli-addr ADDR     renumber the client inside 192.0.2.0/24 (roaming)
#   nat rebind        NAT on with another source port range, mappings
#                     forgotten (conntrack flushed): the client's NAT port
#                     changes mid-session (RFC 7296 §2.23 NAT rebinding)
# Client uplink knobs (IR_UPLINKS=2), each one atomic "ip -batch":
#   uplink reset      A has its address and the default route, B only its
#                     address
#   uplink lose-a     A's address goes away (its routes with it) and the
#                     default route moves to B
#   uplink prefer-b   a default route via B with a lower metric; A stays up
#                     (Ethernet plugged in beside Wi-Fi)
#
# Usage: netns.sh up|down [--force]|status|env|nat|udp|loss|mtu|cli-addr|uplink
# Environment: IR_PREFIX (default ir), IR_STATE, and for "up": IR_NAT=1,
# IR_HOTSPOT=1, IR_LOSS=PCT to start with those knobs set.
set -eu -o pipefail
IR_TAG=netns
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

# nftables in the middlebox: one table, one chain per knob, so that each
# knob is switched by flushing and refilling its own chain.
mid_nft_init() {
	ip netns exec "$IR_NS_MID" nft -f - <<-EOF
	table ip irmid {
		chain hotspot { }
		chain loss { }
		chain nat { }
		chain forward {
			type filter hook forward priority 0; policy accept;
			jump hotspot
			jump loss
		}
		chain postrouting {
			type nat hook postrouting priority 100; policy accept;
			jump nat
		}
	}
	EOF
}

mid_nft() {
	ip netns exec "$IR_NS_MID" nft "$@"
}

knob_nat() {
	local ports
	mid_nft flush chain ip irmid nat
	case ${1:-} in
	on) mid_nft add rule ip irmid nat oifname g0 ip saddr "$IR_CLI_NET" \
	        masquerade ;;
	off) ;;
	rebind)
		# Two ranges taken in turn: masquerade would keep the old port
		# if it could, so each rebind must leave the previous range.
		ports=20000-20999
		[ "$(cat "$IR_STATE/nat-ports" 2>/dev/null)" = "$ports" ] &&
		    ports=30000-30999
		mid_nft add rule ip irmid nat oifname g0 ip saddr "$IR_CLI_NET" \
		    meta l4proto udp masquerade to :"$ports"
		mid_nft add rule ip irmid nat oifname g0 ip saddr "$IR_CLI_NET" \
		    masquerade
		echo "$ports" >"$IR_STATE/nat-ports"
		ip netns exec "$IR_NS_MID" conntrack -F >/dev/null 2>&1 ||
		    ir_die "conntrack -F failed: run scripts/deps-interop.sh"
		;;
	*) ir_die "nat on|off|rebind" ;;
	esac
}

knob_udp() {
	mid_nft flush chain ip irmid hotspot
	case ${1:-} in
	block) mid_nft add rule ip irmid hotspot meta l4proto udp drop ;;
	allow) ;;
	*) ir_die "udp block|allow" ;;
	esac
}

knob_loss() {
	local pct=${1:-} dir=${2:-both}
	case $pct in
	''|*[!0-9]*) ir_die "loss PCT [up|down|both]" ;;
	esac
	[ "$pct" -le 100 ] || ir_die "loss: PCT above 100"
	mid_nft flush chain ip irmid loss
	[ "$pct" -gt 0 ] || return 0
	local -a match=(numgen random mod 100 "<" "$pct")
	[ "$pct" -lt 100 ] || match=()
	case $dir in
	up|both) mid_nft add rule ip irmid loss iifname c0 "${match[@]}" drop ;;&
	down|both) mid_nft add rule ip irmid loss iifname g0 "${match[@]}" drop ;;
	up) ;;
	*) ir_die "loss PCT [up|down|both]" ;;
	esac
}

knob_mtu() {
	case ${1:-} in
	''|*[!0-9]*) ir_die "mtu N" ;;
	esac
	ip -n "$IR_NS_CLI" link set eth0 mtu "$1"
	ip -n "$IR_NS_MID" link set c0 mtu "$1"
}

knob_cli_addr() {
	local new=${1:-}
	[[ $new =~ ^192\.0\.2\.([0-9]+)$ ]] || ir_die "cli-addr 192.0.2.N"
	[ "${BASH_REMATCH[1]}" -ge 2 ] && [ "${BASH_REMATCH[1]}" -le 254 ] ||
	    ir_die "cli-addr: N in 2..254"
	ip -n "$IR_NS_CLI" addr flush dev eth0 scope global
	ip -n "$IR_NS_CLI" addr add "$new/$(cli_plen)" dev eth0
	ip -n "$IR_NS_CLI" route replace default via "$IR_MID_CLI_ADDR"
	echo "$new" >"$IR_STATE/cli-addr"
}

# The prefix length of uplink A: /24 alone, /25 beside uplink B.
cli_plen() {
	if [ "$(cat "$IR_STATE/uplinks" 2>/dev/null)" = 2 ]; then
		echo 25
	else
		echo 24
	fi
}

knob_uplink() {
	[ "$(cat "$IR_STATE/uplinks" 2>/dev/null)" = 2 ] ||
	    ir_die "uplink: the topology has one uplink (IR_UPLINKS=2 at up)"
	case ${1:-} in
	reset)
		ip -n "$IR_NS_CLI" -batch - <<-EOF
		route flush exact 0.0.0.0/0 dev eth1
		addr flush dev eth0 scope global
		addr add $IR_CLI_ADDR/25 dev eth0
		route replace default via $IR_MID_CLI_ADDR dev eth0 metric 100
		EOF
		;;
	lose-a)
		ip -n "$IR_NS_CLI" -batch - <<-EOF
		addr flush dev eth0 scope global
		route replace default via $IR_MID_CLI_B_ADDR dev eth1 metric 100
		EOF
		;;
	prefer-b)
		ip -n "$IR_NS_CLI" route add default via "$IR_MID_CLI_B_ADDR" \
		    dev eth1 metric 50
		# B's router is known, as after DHCP: the kernel keeps using a
		# default route whose gateway it has resolved over one it has
		# not (fib_select_default).  No packet: the entry is written.
		ip -n "$IR_NS_CLI" neigh replace "$IR_MID_CLI_B_ADDR" dev eth1 \
		    lladdr "$(ip netns exec "$IR_NS_MID" \
		    cat /sys/class/net/c1/address)" nud reachable
		;;
	*) ir_die "uplink reset|lose-a|prefer-b" ;;
	esac
}

up() {
	local ns plen=24 metric=
	if ir_ns_exists "$IR_NS_CLI"; then
		ir_log "$IR_PREFIX namespaces already up"
		return 0
	fi
	mkdir -p "$IR_STATE" "$IR_PIDS"
	chmod 0700 "$IR_STATE"
	case $IR_UPLINKS in
	1) ;;
	2) plen=25 metric="metric 100" ;;	# B may come in below A
	*) ir_die "IR_UPLINKS must be 1 or 2" ;;
	esac
	echo "$IR_UPLINKS" >"$IR_STATE/uplinks"
	trap 'ir_log "up failed, removing namespaces"; down' EXIT
	# One "ip -batch" per namespace: each ip run costs a fork and exec.
	ip -batch - <<-EOF
	netns add $IR_NS_CLI
	netns add $IR_NS_MID
	netns add $IR_NS_GW
	netns add $IR_NS_LAN
	EOF
	# Veth pairs are made inside the namespaces: no host interface names.
	ip -n "$IR_NS_MID" -batch - <<-EOF
	link set lo up
	link add c0 type veth peer name eth0 netns $IR_NS_CLI
	link add g0 type veth peer name eth0 netns $IR_NS_GW
	addr add $IR_MID_CLI_ADDR/$plen dev c0
	addr add $IR_MID_GW_ADDR/25 dev g0
	link set c0 up
	link set g0 up
	EOF
	ip -n "$IR_NS_GW" -batch - <<-EOF
	link set lo up
	link add lan0 type veth peer name eth0 netns $IR_NS_LAN
	addr add $IR_GW_ADDR/25 dev eth0
	addr add $IR_LAN_GW_ADDR/24 dev lan0
	link set eth0 up
	link set lan0 up
	route add default via $IR_MID_GW_ADDR
	EOF
	ip -n "$IR_NS_CLI" -batch - <<-EOF
	link set lo up
	addr add $IR_CLI_ADDR/$plen dev eth0
	link set eth0 up
	route add default via $IR_MID_CLI_ADDR $metric
	EOF
	if [ "$IR_UPLINKS" = 2 ]; then
		ip -n "$IR_NS_MID" -batch - <<-EOF
		link add c1 type veth peer name eth1 netns $IR_NS_CLI
		addr add $IR_MID_CLI_B_ADDR/25 dev c1
		link set c1 up
		EOF
		ip -n "$IR_NS_CLI" -batch - <<-EOF
		addr add $IR_CLI_B_ADDR/25 dev eth1
		link set eth1 up
		EOF
		ip netns exec "$IR_NS_MID" sh -c \
		    'echo 1 >/proc/sys/net/ipv4/conf/all/rp_filter'
	fi
	ip -n "$IR_NS_LAN" -batch - <<-EOF
	link set lo up
	addr add $IR_LAN_HOST/24 dev eth0
	addr add $IR_DNS/24 dev eth0
	link set eth0 up
	route add default via $IR_LAN_GW_ADDR
	EOF
	# Routers: the middlebox and the gateway (per-namespace sysctl).
	ip netns exec "$IR_NS_MID" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
	ip netns exec "$IR_NS_GW" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'

	mid_nft_init
	[ "${IR_NAT:-0}" = 1 ] && knob_nat on
	[ "${IR_HOTSPOT:-0}" = 1 ] && knob_udp block
	[ "${IR_LOSS:-0}" != 0 ] && knob_loss "$IR_LOSS" both
	# Fresh client scratch files: vpnc-script keeps state in /run/vpnc.
	rm -rf "$IR_STATE/cli/run"
	ir_cli_resolv_reset
	echo "$IR_CLI_ADDR" >"$IR_STATE/cli-addr"
	trap - EXIT
	ir_log "$IR_PREFIX namespaces up (state in $IR_STATE)"
}

# down [--force]: stop what the harness recorded in $IR_PIDS, then delete
# the namespaces. A process still inside one is listed; --force ends it
# too (it lives in a namespace this harness made).
down() {
	local ns pid left=0
	ir_stop_all
	for ns in "$IR_NS_CLI" "$IR_NS_MID" "$IR_NS_GW" "$IR_NS_LAN"; do
		ir_ns_exists "$ns" || continue
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			if [ "${FORCE:-0}" = 1 ]; then
				ir_log "killing stray $pid in $ns"
				kill -s KILL "$pid" 2>/dev/null || true
			else
				ir_log "stray process $pid in $ns:" \
				    "$(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null)"
				left=1
			fi
		done
		ip netns del "$ns"
	done
	return "$left"
}

status() {
	local ns up=0
	for ns in "$IR_NS_CLI" "$IR_NS_MID" "$IR_NS_GW" "$IR_NS_LAN"; do
		if ir_ns_exists "$ns"; then
			echo "$ns: up, pids: $(ip netns pids "$ns" | tr '\n' ' ')"
			up=1
		else
			echo "$ns: absent"
		fi
	done
	if ir_ns_exists "$IR_NS_MID"; then
		mid_nft list table ip irmid
	fi
	[ "$up" = 1 ]
}

# Shell assignments for eval "$(netns.sh env)".
print_env() {
	cat <<-EOF
	IR_PREFIX=$IR_PREFIX
	IR_STATE=$IR_STATE
	IR_NS_CLI=$IR_NS_CLI
	IR_NS_MID=$IR_NS_MID
	IR_NS_GW=$IR_NS_GW
	IR_NS_LAN=$IR_NS_LAN
	IR_CLI_ADDR=$(cat "$IR_STATE/cli-addr" 2>/dev/null || echo "$IR_CLI_ADDR")
	IR_GW=$IR_GW_ADDR
	IR_MIDBOX=$IR_MID_GW_ADDR
	IR_LAN_HOST=$IR_LAN_HOST
	IR_LAN_NET=$IR_LAN_NET
	IR_POOL=$IR_POOL
	IR_DNS=$IR_DNS
	IR_DNS_DOMAIN=$IR_DNS_DOMAIN
	IR_RESOLV=$IR_STATE/cli/resolv.conf
	IR_CLI_EXEC=$IR_HERE/cli-exec.sh
	EOF
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
env) print_env; exit 0 ;;
esac
ir_need_root
ir_need_cmds ip nft unshare
case $cmd in
up) up ;;
down)
	[ "${1:-}" = --force ] && FORCE=1
	down
	;;
status) status ;;
nat) knob_nat "$@" ;;
uplink) knob_uplink "$@" ;;
udp) knob_udp "$@" ;;
loss) knob_loss "$@" ;;
mtu) knob_mtu "$@" ;;
cli-addr) knob_cli_addr "$@" ;;
*)
	echo "usage: $0 up|down [--force]|status|env|nat on|off|rebind|udp block|allow|loss PCT [up|down|both]|mtu N|cli-addr ADDR|uplink reset|lose-a|prefer-b" >&2
	exit 2
	;;
esac
