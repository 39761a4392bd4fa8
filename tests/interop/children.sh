#!/bin/bash
# tests/interop/children.sh: Child SAs made outside IKE_AUTH, against
# strongSwan 5.9.8 in network namespaces with the prefix chl.  The
# gateway's "childless" connection (strongswan/gateway-swanctl-
# children.conf.in) has childless = force: it announces
# CHILDLESS_IKEV2_SUPPORTED and refuses an IKE_AUTH that carries a Child
# SA.  Privilege separation on (the default), built-in network setup.
#
#  1. --childless force: IKE_AUTH without SA/TSi/TSr, the Child SA by
#     CREATE_CHILD_SA right after (its own KE: the ESP proposals name
#     groups); a ping through the tunnel; the gateway holds one IKE SA
#     with one Child SA; exit 0 after SIGINT.
#  2. --childless auto (the default ESP proposals name groups): the same.
#  3. --childless force --reauth 4: the new IKE SA is childless too, the
#     tunnel moves to its Child SA, one IKE SA left at the gateway.
#  4. The gateway's AUTH_LIFETIME (reauth_time 20 s) comes in the IKE_AUTH
#     answer before any Child SA: it is heard, we reauthenticate in time.
#  5. Several Child SAs (RFC 7296 §2.9): connection "multi" has two child
#     configs, one for each half of the LAN; --ts with both halves gets
#     the first in IKE_AUTH and the second by CREATE_CHILD_SA; pings to a
#     host in each half, a route for each; the gateway rekeys the second
#     alone and both halves still answer.  The same inside IPv6 (outer
#     IPv4): 2001:db8:1::/64 and 2001:db8:2::/64, a host in each.
#  6. --childless never against it: the gateway refuses our IKE_AUTH
#     (INVALID_SYNTAX), exit status 3, no tunnel.
# Prints PASS/FAIL per check and ends with "N passed, N failed".
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default chl).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-chl}
IR_TAG=children
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
ir_find_ikeroam
GWSH=$IR_HERE/strongswan/gateway.sh
ir_need_cmds charon-cmd swanctl

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

# The client's routes through the TUN, in every table.
routes_via_tun() { ip -n "$IR_NS_CLI" route show table all dev chl0 2>/dev/null; }
# The gateway's Child SAs in state INSTALLED, one line each.
gw_children() { "$GWSH" swanctl --list-sas 2>/dev/null | grep -c "INSTALLED"; }

start() {	# start NAME ID ARGS...: the client in the background
	LOG=$IR_STATE/children-$1.log
	local id=$2
	shift 2
	: >"$LOG"
	ir_cli_run "$IKEROAM" connect --gateway "$IR_GW" -v \
	    --id "$id" --psk-file "$IR_PSK_FILE" \
	    --remote-id "$IR_GW_ID" --script none --interface chl0 "$@" \
	    >>"$LOG" 2>&1 </dev/null &
	CLIENT_PID=$!
	IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
}

# childless_case NAME ARGS...: up without a Child SA in IKE_AUTH.
childless_case() {
	local name=$1 rc
	shift
	start "$name" childless@vpn.test "$@"
	if ! { ir_wait 200 0.1 up_or_dead && tunnel_up; }; then
		bad "$name: tunnel up (see $LOG)"
		tail -5 "$LOG" | sed 's/^/    /'
		stop_client KILL
		return
	fi
	ok "$name: tunnel up"
	check "$name: IKE_AUTH was childless (RFC 6023)" \
	    grep -q "established between us and the gateway (childless" "$LOG"
	check "$name: the Child SA came by CREATE_CHILD_SA" \
	    grep -q "creating a new CHILD_SA" "$LOG"
	check "$name: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "$name: the gateway holds one Child SA" \
	    ir_wait 30 0.1 eval "[ \"\$(gw_children)\" = 1 ]"
	stop_client INT
	rc=$?
	check "$name: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "$name: our Delete: the gateway holds no IKE SA" \
	    ir_wait 50 0.1 eval "[ \"\$(\"$GWSH\" count-sas)\" = 0 ]"
}

# ---- the run ---------------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"

childless_case force --childless force
childless_case auto --childless auto

# Reauthentication (RFC 7296 §2.8.3): the new IKE SA is childless too and
# the tunnel moves to its Child SA.
start reauth childless@vpn.test --childless force --reauth 4
if ir_wait 200 0.1 up_or_dead && tunnel_up; then
	check "reauth: reauthenticated, childless again" ir_wait 150 0.1 \
	    eval "grep -q 'reauthenticated in' '$LOG' &&
	    [ \$(grep -c 'gateway (childless' '$LOG') -ge 2 ]"
	check "reauth: ping $IR_LAN_HOST through the new Child SA" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "reauth: the gateway holds one IKE SA" ir_wait 50 0.1 \
	    eval "[ \"\$(\"$GWSH\" count-sas)\" = 1 ]"
	stop_client INT
	rc=$?
	check "reauth: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
else
	bad "reauth: tunnel up (see $LOG)"
	stop_client KILL
fi

# The gateway's AUTH_LIFETIME (RFC 4478) of the childless IKE_AUTH answer
# is heard although no Child SA was up then: reauthenticated before 20 s.
start lifetime childless@vpn.test --childless force
if ir_wait 200 0.1 up_or_dead && tunnel_up; then
	check "lifetime: reauthenticated for the gateway's AUTH_LIFETIME" \
	    ir_wait 250 0.1 eval "grep -q 'reauthenticated in' '$LOG'"
	check "lifetime: ping $IR_LAN_HOST through the new Child SA" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	stop_client INT
	rc=$?
	check "lifetime: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
else
	bad "lifetime: tunnel up (see $LOG)"
	stop_client KILL
fi

# Two Child SAs: the gateway narrows our two networks to the first; the
# second comes by a CREATE_CHILD_SA of its own; both carry traffic.
IR_LAN_HOST_B=203.0.113.200
ip netns exec "$IR_NS_LAN" ip addr add "$IR_LAN_HOST_B/24" dev eth0 ||
    bad "multi: second LAN address"
# kernel-libipsec routes a Child SA only from a gateway address inside
# its local selectors: one in each half.
ip netns exec "$IR_NS_GW" ip addr add 203.0.113.254/24 dev lan0 ||
    bad "multi: second gateway LAN address"
start multi multi@vpn.test --ts 203.0.113.0/25,203.0.113.128/25
if ir_wait 200 0.1 up_or_dead && tunnel_up; then
	check "multi: the rest asked for in another Child SA" ir_wait 50 0.1 \
	    grep -q "asking for the other 1 in another CHILD_SA" "$LOG"
	check "multi: the gateway holds two Child SAs" \
	    ir_wait 50 0.1 eval "[ \"\$(gw_children)\" = 2 ]"
	check "multi: ping $IR_LAN_HOST (203.0.113.0/25, Child SA a)" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "multi: ping $IR_LAN_HOST_B (203.0.113.128/25, Child SA b)" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST_B" 30
	check "multi: a route for each half into the tunnel" ir_wait 30 0.1 \
	    eval "routes_via_tun | grep -q '^203.0.113.0/25' &&
	    routes_via_tun | grep -q '^203.0.113.128/25'"
	routes_via_tun | sed 's/^/    route: /'
	# The gateway rekeys b alone: a stays, b's traffic goes on.
	"$GWSH" swanctl --rekey --child b >/dev/null 2>&1
	check "multi: the gateway rekeyed b" ir_wait 50 0.1 \
	    grep -q "the gateway is rekeying CHILD_SA" "$LOG"
	check "multi: ping $IR_LAN_HOST_B after b's rekey" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST_B" 30
	check "multi: ping $IR_LAN_HOST after b's rekey" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	stop_client INT
	rc=$?
	check "multi: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
else
	bad "multi: tunnel up (see $LOG)"
	tail -5 "$LOG" | sed 's/^/    /'
	stop_client KILL
fi

# The same inside IPv6: a host in each /64 behind the gateway, which
# forwards IPv6 and has an address in each (kernel-libipsec, as above).
ip netns exec "$IR_NS_GW" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/forwarding'
if ! { ip -n "$IR_NS_GW" addr add 2001:db8:1::1/64 dev lan0 nodad &&
    ip -n "$IR_NS_GW" addr add 2001:db8:2::1/64 dev lan0 nodad &&
    ip -n "$IR_NS_LAN" addr add 2001:db8:1::10/64 dev eth0 nodad &&
    ip -n "$IR_NS_LAN" addr add 2001:db8:2::10/64 dev eth0 nodad &&
    ip -n "$IR_NS_LAN" -6 route add default via 2001:db8:1::1; }; then
	bad "multi6: IPv6 addresses behind the gateway"
fi
start multi6 multi6@vpn.test --ts 2001:db8:1::/64,2001:db8:2::/64
if ir_wait 200 0.1 up_or_dead && tunnel_up; then
	check "multi6: the rest asked for in another Child SA" ir_wait 50 0.1 \
	    grep -q "asking for the other 1 in another CHILD_SA" "$LOG"
	check "multi6: the gateway holds two Child SAs" \
	    ir_wait 50 0.1 eval "[ \"\$(gw_children)\" = 2 ]"
	check "multi6: ping 2001:db8:1::10 (Child SA a6)" \
	    ir_ping "$IR_NS_CLI" 2001:db8:1::10 30
	check "multi6: ping 2001:db8:2::10 (Child SA b6)" \
	    ir_ping "$IR_NS_CLI" 2001:db8:2::10 30
	check "multi6: a route for each /64 into the tunnel" ir_wait 30 0.1 \
	    eval "routes_via_tun | grep -q '^2001:db8:1::/64' &&
	    routes_via_tun | grep -q '^2001:db8:2::/64'"
	stop_client INT
	rc=$?
	check "multi6: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
else
	bad "multi6: tunnel up (see $LOG)"
	tail -5 "$LOG" | sed 's/^/    /'
	stop_client KILL
fi

start never childless@vpn.test --childless never
ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 20
rc=$?
CLIENT_PID=
IKEROAM_PID=
check "never: the gateway refuses a Child SA in IKE_AUTH: exit 3 (got $rc)" \
    test "$rc" = 3
check "never: no tunnel" eval "! tunnel_up"
check "never: the refusal names the notify" grep -q "INVALID_SYNTAX" "$LOG"

ir_summary "children"
