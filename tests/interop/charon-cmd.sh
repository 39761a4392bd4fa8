#!/bin/bash
# tests/interop/charon-cmd.sh: strongSwan's own client in ${P}-cli, the
# baseline that ikeroam is compared with. Needs gateway.sh start first.
#
# Usage:
#   charon-cmd.sh up MODE   connect and return once the Child SA is up and the
#                           virtual IP is on the client's TUN device (≤ 10 s)
#   charon-cmd.sh down      delete the IKE SA and stop the client
#   charon-cmd.sh status    running or not, with the client's addresses
# MODE:
#   eap       charon-cmd, profile ikev2-eap, user $IR_EAP_USER, password read
#             from the EAP password file on stdin
#   cert      charon-cmd, profile ikev2-pub, ECDSA client certificate (P12)
#   cert-rsa  charon-cmd, profile ikev2-pub, RSA-3072 client certificate
#   psk       a charon daemon in the client namespace driven by swanctl:
#             charon-cmd has no IKEv2 PSK profile (only IKEv1 XAuth-PSK)
# Environment: IR_CLI_IKE, IR_CLI_ESP (one proposal each; default: the
# client's defaults), IR_CLI_REMOTE_TS (default 203.0.113.0/24; 0.0.0.0/0
# for a full tunnel), IR_PREFIX, IR_STATE.
# Prints on stdout after "up": IR_BASE_VIP=<virtual IP>, IR_BASE_UP_MS=<ms
# from this script's start of the client to the Child SA being up> and
# IR_BASE_LOG_MS=<the same from the client's own log: daemon start to Child
# SA established>.
set -eu -o pipefail
IR_TAG=charon-cmd
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

CLI=$IR_STATE/cli
SEC=$IR_STATE/secrets
LOG=$CLI/strongswan.log
VICI=$CLI/charon.vici

cli_swanctl() {
	STRONGSWAN_CONF=$CLI/strongswan.conf SWANCTL_DIR=$CLI/swanctl \
	    timeout 30 swanctl "$@" --uri "unix://$VICI"
}

render() {
	mkdir -p "$CLI/swanctl"
	chmod 0700 "$CLI" "$CLI/swanctl"
	[ -f "$CLI/resolv.conf" ] || ir_cli_resolv_reset
	RESOLV=$CLI/resolv.conf
	GW=$IR_GW_ADDR
	GW_ID=$IR_GW_ID
	PSK_ID=client-psk@vpn.test
	PSK=$(head -n 1 "$SEC/psk")
	REMOTE_TS=${IR_CLI_REMOTE_TS:-$IR_LAN_NET}
	CLI_IKE=${IR_CLI_IKE:-default}
	CLI_ESP=${IR_CLI_ESP:-default}
	ir_render "$IR_HERE/strongswan/client-strongswan.conf.in" \
	    "$CLI/strongswan.conf"
	(umask 077 && ir_render "$IR_HERE/strongswan/client-swanctl.conf.in" \
	    "$CLI/swanctl/swanctl.conf")
}

# The virtual IP from the pool on a client interface, if any (one ip run,
# the rest in the shell: this is polled).
vip() {
	local line re='inet (198\.51\.100\.[0-9]+)/'
	while IFS= read -r line; do
		if [[ $line =~ $re ]] && [ "${BASH_REMATCH[1]##*.}" -ge 128 ]
		then
			echo "${BASH_REMATCH[1]}"
			return 0
		fi
	done < <(ip -n "$IR_NS_CLI" -4 -o addr show 2>/dev/null)
}

# Milliseconds from the client's first log line (daemon started) to its
# "CHILD_SA ... established" line: the IKE exchange plus daemon start,
# without this script's overhead.
log_ms() {
	awk '
	function ms(t,  a) { split(t, a, /[:.]/)
		return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4] }
	NR == 1 { first = ms($1) }
	/CHILD_SA .* established/ { print ms($1) - first; exit }' "$LOG"
}

child_up() {
	grep -q 'CHILD_SA .* established' "$LOG" 2>/dev/null && [ -n "$(vip)" ]
}

up_cmd() {
	local mode=$1 pid
	local -a args=(--host "$IR_GW_ADDR" --remote-identity "$IR_GW_ID"
	    --cert "$SEC/ca.crt" --remote-ts "${IR_CLI_REMOTE_TS:-$IR_LAN_NET}")
	[ -n "${IR_CLI_IKE:-}" ] && args+=(--ike-proposal "$IR_CLI_IKE")
	[ -n "${IR_CLI_ESP:-}" ] && args+=(--esp-proposal "$IR_CLI_ESP")
	case $mode in
	eap)
		args+=(--profile ikev2-eap --identity "${IR_EAP_USER:-alice}")
		# No controlling terminal (setsid): getpass() reads stdin.
		IR_SPAWN_STDIN=$SEC/eap-password
		;;
	cert)
		args+=(--profile ikev2-pub --identity client@vpn.test
		    --p12 "$IR_STATE/pki/client-ecdsa.p12")
		IR_SPAWN_STDIN=$IR_STATE/pki/client-ecdsa.p12.pass
		;;
	cert-rsa)
		args+=(--profile ikev2-pub --identity client-rsa@vpn.test
		    --cert "$SEC/client-rsa.crt" --rsa "$SEC/client-rsa.key")
		IR_SPAWN_STDIN=/dev/null
		;;
	esac
	IR_SPAWN_STDIN=$IR_SPAWN_STDIN ir_spawn charon-cmd "$IR_NS_CLI" \
	    "$CLI/run" "$CLI/charon-cmd.out" \
	    env STRONGSWAN_CONF="$CLI/strongswan.conf" charon-cmd "${args[@]}"
	pid=$(ir_pidfile_pid charon-cmd)
	ir_wait 200 0.05 eval "child_up || ! ir_pid_alive $pid" || true
	child_up || { ir_stop charon-cmd; return 1; }
}

up_psk() {
	ir_spawn cli-charon "$IR_NS_CLI" "$CLI/run" "$CLI/charon.out" \
	    env STRONGSWAN_CONF="$CLI/strongswan.conf" /usr/lib/ipsec/charon
	ir_wait 200 0.02 test -S "$VICI" || return 1
	ir_wait 50 0.02 cli_swanctl --stats >/dev/null 2>&1 || return 1
	cli_swanctl --load-all --noprompt --file "$CLI/swanctl/swanctl.conf" \
	    >"$CLI/load.out" 2>&1 || return 1
	cli_swanctl --initiate --child net --timeout 10 >"$CLI/initiate.out" \
	    2>&1 || return 1
	ir_wait 100 0.05 child_up
}

up() {
	local mode=${1:-} t0 rc=0
	case $mode in
	eap|cert|cert-rsa|psk) ;;
	*) ir_die "up eap|cert|cert-rsa|psk" ;;
	esac
	ir_ns_exists "$IR_NS_CLI" || ir_die "no $IR_NS_CLI: gateway.sh start first"
	if pid=$(ir_pidfile_pid charon-cmd) || pid=$(ir_pidfile_pid cli-charon)
	then
		ir_pid_alive "$pid" && ir_die "a baseline client runs (pid $pid)"
	fi
	render
	: >"$LOG"
	rm -f "$VICI"
	t0=$(ir_now_ms)
	trap 'down' EXIT
	if [ "$mode" = psk ]; then
		up_psk || rc=1
	else
		up_cmd "$mode" || rc=1
	fi
	if [ $rc != 0 ]; then
		ir_log "$mode: no tunnel; log $LOG"
		exit 1
	fi
	trap - EXIT
	echo "IR_BASE_VIP=$(vip)"
	echo "IR_BASE_UP_MS=$(($(ir_now_ms) - t0))"
	echo "IR_BASE_LOG_MS=$(log_ms)"
}

down() {
	local pid
	if pid=$(ir_pidfile_pid cli-charon) && ir_pid_alive "$pid"; then
		cli_swanctl --terminate --ike gw --timeout 5 >/dev/null 2>&1 ||
		    true
	fi
	# SIGTERM: charon-cmd deletes its IKE SA (INFORMATIONAL) and exits.
	ir_stop charon-cmd
	ir_stop cli-charon
}

status() {
	local name pid
	for name in charon-cmd cli-charon; do
		if pid=$(ir_pidfile_pid "$name") && ir_pid_alive "$pid"; then
			echo "$name: pid $pid, virtual IP $(vip)"
			return 0
		fi
	done
	echo "baseline client: not running"
	return 1
}

ir_need_root
cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
up) ir_need_cmds charon-cmd swanctl; up "$@" ;;
down) down ;;
status) status ;;
*) sed -n '5,17p' "$0" >&2; exit 2 ;;
esac
