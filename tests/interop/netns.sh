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
#
# Usage: netns.sh up|down [--force]|status|env|nat|udp|loss|mtu|cli-addr
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
	mid_nft flush chain ip irmid nat
	case ${1:-} in
	on) mid_nft add rule ip irmid nat oifname g0 ip saddr "$IR_CLI_NET" \
	        masquerade ;;
	off) ;;
	*) ir_die "nat on|off" ;;
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
	ip -n "$IR_NS_CLI" addr add "$new/24" dev eth0
	ip -n "$IR_NS_CLI" route replace default via "$IR_MID_CLI_ADDR"
	echo "$new" >"$IR_STATE/cli-addr"
}

up() {
	local ns
	if ir_ns_exists "$IR_NS_CLI"; then
		ir_log "$IR_PREFIX namespaces already up"
		return 0
	fi
	mkdir -p "$IR_STATE" "$IR_PIDS"
	chmod 0700 "$IR_STATE"
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
	addr add $IR_MID_CLI_ADDR/24 dev c0
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
	addr add $IR_CLI_ADDR/24 dev eth0
	link set eth0 up
	route add default via $IR_MID_CLI_ADDR
	EOF
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
udp) knob_udp "$@" ;;
loss) knob_loss "$@" ;;
mtu) knob_mtu "$@" ;;
cli-addr) knob_cli_addr "$@" ;;
*)
	echo "usage: $0 up|down [--force]|status|env|nat on|off|udp block|allow|loss PCT [up|down|both]|mtu N|cli-addr ADDR" >&2
	exit 2
	;;
esac
