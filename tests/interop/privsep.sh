#!/bin/bash
# tests/interop/privsep.sh: ikeroam's privileges (src/priv.h) against a
# real strongSwan gateway in network namespaces (RFC 5737 addresses).
#
# 1. split (the default): the network part ("ikeroam-net", the status
#    file's pid) runs as the user ikeroam (or nobody) with CapEff =
#    CapPrm = CapBnd = 0, NoNewPrivs 1, Seccomp 2; its parent, the
#    privileged part, is uid 0 with CAP_NET_ADMIN only and NoNewPrivs 1.
#    Ping through the tunnel, vpnc-script's DNS; the gateway deletes the
#    SA and the new session is set up again through the privileged part;
#    SIGINT to the privileged part: exit 0, no route, address, TUN, DNS
#    or process left.
# 2. kill -9 of the network part: the privileged part undoes the network
#    setup (vpnc-script "disconnect") and exits 1.
# 3. a vpnc-script that hangs: killed after 30 s, exit 7, nothing left.
# 4. --no-privsep: one process, uid 0, CapEff = CapPrm = CapBnd = only
#    CAP_NET_ADMIN, NoNewPrivs 1, through the same life.
#
# Prints PASS/FAIL per check and ends with "N passed, N failed".
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default irps).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-irps}
IR_TAG=privsep
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
ir_find_ikeroam
GWSH=$IR_HERE/strongswan/gateway.sh
ir_need_cmds charon-cmd swanctl

NET_ADMIN=0000000000001000	# 1 << CAP_NET_ADMIN (12)
pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
LOG=

cleanup() {
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	"$GWSH" stop >/dev/null 2>&1
}
ir_on_exit cleanup

sas_gone() { [ "$("$GWSH" count-sas 2>/dev/null)" = 0 ]; }

# proc PID FIELD: a field of /proc/PID/status ("" when PID is gone).
proc() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null; }
proc_is() {	# proc_is PID FIELD VALUE
	[ "$(proc "$1" "$2")" = "$3" ]
}

connect() {	# connect NAME ARGS...
	LOG=$IR_STATE/privsep-$1.log
	shift
	: >"$LOG"
	ir_cli_run "$IKEROAM" connect --gateway "$IR_GW" -v "$@" \
	    >>"$LOG" 2>&1 </dev/null &
	CLIENT_PID=$!
	IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
}

stop_client() {	# SIGINT, then the exit status (124 when it hung)
	local rc
	kill -INT "$IKEROAM_PID" 2>/dev/null
	ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 10
	rc=$?
	CLIENT_PID=
	return $rc
}

resolv_has_dns() { grep -q "nameserver $IR_DNS" "$IR_STATE/cli/resolv.conf"; }
resolv_restored() { ! grep -q "$IR_DNS" "$IR_STATE/cli/resolv.conf"; }
no_tun() { ! ip netns exec "$IR_NS_CLI" ip link show ikeroam0 >/dev/null 2>&1; }

# The gateway deletes the IKE SA: a new session comes up under the same
# TUN and the network is set up again (vpnc-script "reconnect").
reconnect_check() {	# reconnect_check NAME
	local n
	n=$(grep -c "reconnected in" "$LOG")
	"$GWSH" terminate >/dev/null 2>&1
	if ir_wait 150 0.1 eval "[ \$(grep -c 'reconnected in' '$LOG') -gt $n ]" &&
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30; then
		ok "$1: gateway deleted the SA: $(grep -o 'reconnected in [0-9]* ms' "$LOG" | tail -1), ping again"
	else
		bad "$1: no new session after the gateway deleted the SA (see $LOG)"
	fi
}

NONE=0000000000000000
NET_UID=$(id -u ikeroam 2>/dev/null || echo 65534)
STATUS=$IR_STATE/privsep-status.json

# proc_ids PID FIELD: all four ids of Uid: or Gid: ("r e s f").
proc_ids() { awk -v f="$2:" '$1 == f { print $2, $3, $4, $5 }' "/proc/$1/status" 2>/dev/null; }
status_pid() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$STATUS" 2>/dev/null; }
status_is() { python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["state"] != sys.argv[2])' "$STATUS" "$1" 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }

# up_split NAME ARGS...: connect, wait for the tunnel; sets NET (the
# network part) and PRIV (the privileged part).  False when not up.
up_split() {
	local name=$1
	shift
	ir_cli_resolv_reset
	rm -f "$STATUS"
	ROUTES_BEFORE=$(ip netns exec "$IR_NS_CLI" ip route | sort)
	connect "$name" --status-file "$STATUS" "$@"
	if ! wait_up "$name"; then
		stop_client
		return 1
	fi
	PRIV=$IKEROAM_PID
	ir_wait 50 0.1 eval 'status_pid >/dev/null'
	NET=$(status_pid)
	return 0
}

# After the end: nothing of the tunnel is left.
left_nothing() {	# left_nothing NAME
	local routes_after
	routes_after=$(ip netns exec "$IR_NS_CLI" ip route | sort)
	check "$1: client routes as before" test "$ROUTES_BEFORE" = "$routes_after"
	check "$1: resolv.conf restored by vpnc-script" resolv_restored
	check "$1: no TUN left" no_tun
	check "$1: neither process left" eval "gone $NET && gone $PRIV"
}

split_case() {
	local rc f
	up_split split "${PSK[@]}" || return
	check "split: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "split: vpnc-script applied DNS $IR_DNS" resolv_has_dns
	check "split: the status file's pid ($NET) is the network part, a child of $PRIV" \
	    test -n "$NET" -a "$(proc "$NET" PPid)" = "$PRIV"
	check "split: network part named ikeroam-net" \
	    test "$(cat "/proc/$NET/comm" 2>/dev/null)" = ikeroam-net
	check "split: network part Uid $(proc_ids "$NET" Uid) = $NET_UID" \
	    test "$(proc_ids "$NET" Uid)" = "$NET_UID $NET_UID $NET_UID $NET_UID"
	check "split: network part Groups: '$(proc "$NET" Groups)' (none)" \
	    test -z "$(proc "$NET" Groups)"
	for f in CapEff CapPrm CapBnd CapInh CapAmb; do
		check "split: network part $f $(proc "$NET" $f) = 0" \
		    proc_is "$NET" $f $NONE
	done
	check "split: network part NoNewPrivs 1" proc_is "$NET" NoNewPrivs 1
	check "split: network part Seccomp 2 (filter)" proc_is "$NET" Seccomp 2
	check "split: privileged part Uid $(proc_ids "$PRIV" Uid) = 0" \
	    test "$(proc_ids "$PRIV" Uid)" = "0 0 0 0"
	for f in CapEff CapPrm CapBnd; do
		check "split: privileged part $f $(proc "$PRIV" $f) = CAP_NET_ADMIN only" \
		    proc_is "$PRIV" $f $NET_ADMIN
	done
	check "split: privileged part NoNewPrivs 1" proc_is "$PRIV" NoNewPrivs 1
	reconnect_check split
	check "split: the status file (written by the privileged part) says up" \
	    ir_wait 30 0.1 status_is up
	check "split: vpnc-script's DNS kept after the reconnect" resolv_has_dns
	stop_client
	rc=$?
	check "split: exit status 0 after SIGINT to the privileged part (got $rc)" \
	    test "$rc" = 0
	check "split: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
	left_nothing split
}

# kill -9 of the network part: its parent undoes the setup and exits.
kill9_case() {
	local rc
	up_split kill9 "${PSK[@]}" || return
	check "kill9: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	kill -KILL "$NET"
	ir_client_wait "$CLIENT_PID" "$PRIV" 20
	rc=$?
	CLIENT_PID=
	check "kill9: the privileged part exits 1 (got $rc)" test "$rc" = 1
	check "kill9: it says the network part died" \
	    grep -q "network part of ikeroam died" "$LOG"
	left_nothing kill9
	"$GWSH" terminate >/dev/null 2>&1 || true
}

# A vpnc-script that hangs on "connect": the privileged part kills it
# after 30 s, the setup fails (exit 7) and nothing is left.
hung_script_case() {
	local script=$IR_STATE/privsep-hang.sh rc t0
	printf '#!/bin/sh\n[ "$reason" = connect ] && exec sleep 300\nexit 0\n' \
	    >"$script"
	chmod 755 "$script"
	ROUTES_BEFORE=$(ip netns exec "$IR_NS_CLI" ip route | sort)
	ir_cli_resolv_reset
	t0=$(ir_now_ms)
	connect hang --script "$script" "${PSK[@]}"
	ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 60
	rc=$?
	CLIENT_PID=
	check "hang: exit status 7 after $(( ($(ir_now_ms) - t0) / 1000 )) s (got $rc)" \
	    test "$rc" = 7
	check "hang: says the script was killed" \
	    grep -q "did not finish within 30 s: killing it" "$LOG"
	check "hang: no TUN left" no_tun
	check "hang: client routes as before" test "$ROUTES_BEFORE" = \
	    "$(ip netns exec "$IR_NS_CLI" ip route | sort)"
	"$GWSH" terminate >/dev/null 2>&1 || true
}

# ---- --no-privsep: one process with CAP_NET_ADMIN only --------------------
single_case() {
	local routes_before routes_after rc pid
	ir_cli_resolv_reset
	routes_before=$(ip netns exec "$IR_NS_CLI" ip route | sort)
	connect single --no-privsep "${PSK[@]}"
	if ! ir_wait 300 0.1 up_or_dead || ! tunnel_up; then
		bad "single: tunnel up (see $LOG)"
		stop_client
		return
	fi
	pid=$IKEROAM_PID
	check "single: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "single: vpnc-script applied DNS $IR_DNS" resolv_has_dns
	check "single: uid 0" eval "proc $pid Uid | grep -qx 0"
	for f in CapEff CapPrm CapBnd; do
		check "single: $f $(proc "$pid" $f) = CAP_NET_ADMIN only" \
		    proc_is "$pid" $f $NET_ADMIN
	done
	check "single: NoNewPrivs 1" proc_is "$pid" NoNewPrivs 1
	reconnect_check single
	check "single: still CAP_NET_ADMIN only after the reconnect" \
	    proc_is "$pid" CapEff $NET_ADMIN
	stop_client
	rc=$?
	check "single: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "single: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
	routes_after=$(ip netns exec "$IR_NS_CLI" ip route | sort)
	check "single: client routes as before" \
	    test "$routes_before" = "$routes_after"
	check "single: resolv.conf restored by vpnc-script" resolv_restored
	check "single: no TUN left" no_tun
	check "single: no process left" eval "! kill -0 $pid 2>/dev/null"
}

# ---- the run ---------------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
PSK=(--id "$IR_PSK_ID" --psk-file "$IR_PSK_FILE" --remote-id "$IR_GW_ID")

split_case
kill9_case
hung_script_case
single_case

ir_summary "interop (privsep)"
