#!/bin/bash
# tests/interop/reauth.sh: reauthentication (RFC 7296 §2.8.3) against
# strongSwan 5.9.8 in network namespaces with the prefix rea.  The
# gateway's psk connection has reauth_time 20 s, so its IKE_AUTH answer
# carries AUTH_LIFETIME (RFC 4478) and it gives up on an IKE SA that is
# not reauthenticated in time.  Privilege separation on (the default),
# built-in network setup.
#
#  1. A ping every 0.1 s runs through the tunnel across two
#     reauthentications (make-before-break: a new IKE SA and Child SA at
#     the same gateway, over the same transport, while the old ones carry
#     the traffic; then the old IKE SA is deleted): at most one packet
#     lost in all; after each one the gateway holds exactly one IKE SA,
#     the new one (swanctl --list-sas), and the virtual address stays.
#  2. --reauth 8 against the same gateway: ours comes first (before the
#     gateway's 20 s), the same way.
#  3. A reauthentication that fails, then succeeds on a retry (the
#     gateway restarted with reauth_time 120 s; --reauth 10
#     --giveup-timeout 4000): nftables in the client's namespace drops
#     what a new IKE SA needs (IKE_SA_INIT to UDP 500, TCP 4500 and 443
#     to the gateway; the old SA's IKE and ESP go to UDP 4500) until
#     the first attempt has failed: the failure is one line, the old IKE
#     SA keeps carrying a ping every 0.1 s (at most one lost), nothing
#     is dropped or reconnected, and the next try builds the new IKE SA
#     and deletes the old one.
# Prints PASS/FAIL per check and ends with "N passed, N failed".
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default rea),
# REAUTH_ONLY=retry (case 3 alone).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-rea}
IR_TAG=reauth
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
ir_find_ikeroam
GWSH=$IR_HERE/strongswan/gateway.sh
ir_need_cmds charon-cmd swanctl python3

pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
PING_PID=
LOG=

BLOCK_TABLE=(inet ir_reauth_block)

cleanup() {
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	ip netns exec "$IR_NS_CLI" nft delete table "${BLOCK_TABLE[@]}" \
	    >/dev/null 2>&1
	[ -n "$PING_PID" ] && kill "$PING_PID" 2>/dev/null
	"$GWSH" stop >/dev/null 2>&1
}
ir_on_exit cleanup

cli() { ip netns exec "$IR_NS_CLI" "$@"; }
reauths() { grep -c "reauthenticated in" "$LOG"; }
# The gateway's IKE SAs: "name: #N, ESTABLISHED..." lines, one each.
sa_ids() { "$GWSH" swanctl --list-sas 2>/dev/null |
    sed -n -E 's/^[a-z]+: #([0-9]+), ESTABLISHED.*/\1/p'; }
one_sa() { [ "$(sa_ids | wc -l)" = 1 ]; }
tun_addr() { cli ip -4 -o addr show dev "$1" | awk '{print $4}'; }

connect() {	# connect NAME ARGS...
	local name=$1
	LOG=$IR_STATE/reauth-$1.log
	shift
	: >"$LOG"
	ir_cli_run "$IKEROAM" connect --gateway "$IR_GW" -v \
	    --id "$IR_PSK_ID" --psk-file "$IR_PSK_FILE" \
	    --remote-id "$IR_GW_ID" --script none --interface rea0 "$@" \
	    >>"$LOG" 2>&1 </dev/null &
	CLIENT_PID=$!
	IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
	wait_up "$name"
}

# reauth_case NAME WHEN ARGS...: two reauthentications under a ping.
reauth_case() {
	local name=$1 when=$2 first addr0 rc t0
	shift 2
	connect "$name" "$@" || return
	check "$name: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "$name: the gateway holds one IKE SA" ir_wait 30 0.1 one_sa
	first=$(sa_ids)
	addr0=$(tun_addr rea0)
	t0=$(ir_now_ms)
	ir_ping_start 450		# 45 s: two reauthentications
	check "$name: first reauthentication ($when)" \
	    ir_wait 300 0.1 eval "[ \$(reauths) -ge 1 ]"
	echo "    first after $(( ($(ir_now_ms) - t0) / 1000 )) s: $(grep -o 'reauthenticated in .*' "$LOG" | head -1)"
	check "$name: the old IKE SA #$first is deleted: one IKE SA, a new one" \
	    ir_wait 50 0.1 eval "one_sa && [ \"\$(sa_ids)\" != $first ]"
	check "$name: second reauthentication" \
	    ir_wait 250 0.1 eval "[ \$(reauths) -ge 2 ]"
	check "$name: again one IKE SA at the gateway" ir_wait 50 0.1 one_sa
	ir_ping_stop
	echo "    ping every 0.1 s across $(reauths) reauthentications: $PING_SENT sent, $PING_LOST lost"
	check "$name: the ping went on ($PING_LOST of $PING_SENT lost, at most 1)" \
	    test "$PING_SENT" -ge 400 -a "$PING_LOST" -le 1
	check "$name: the virtual address stayed ($addr0)" \
	    test "$(tun_addr rea0)" = "$addr0"
	check "$name: the new SA carried traffic before the old one went" \
	    grep -q "the tunnel moved to the new IKE SA, deleting the old one" "$LOG"
	check "$name: no session was lost" \
	    eval "! grep -q 'session lost\|reconnecting to' '$LOG'"
	stop_client INT
	rc=$?
	check "$name: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "$name: our Delete: the gateway holds no IKE SA" \
	    ir_wait 50 0.1 eval "[ \"\$(\"$GWSH\" count-sas)\" = 0 ]"
}

# What a new IKE SA needs, dropped on the client's way out: IKE_SA_INIT
# goes to UDP 500 (the established SA floated to 4500), TCP to 4500 and
# TLS to 443 are reset at once.
block_new_sa() {
	cli nft -f - <<-EOF
	table ${BLOCK_TABLE[*]} {
		chain out {
			type filter hook output priority 0; policy accept;
			ip daddr $IR_GW udp dport 500 counter drop
			ip daddr $IR_GW tcp dport { 4500, 443 } counter reject with tcp reset
		}
	}
	EOF
}
unblock() { cli nft delete table "${BLOCK_TABLE[@]}"; }
blocked_count() {	# packets the block dropped
	cli nft list table "${BLOCK_TABLE[@]}" 2>/dev/null |
	    sed -n 's/.*counter packets \([0-9]*\).*/\1/p' |
	    awk '{ n += $1 } END { print n + 0 }'
}
retry_failed() { grep -q "reauthentication failed (.*): the old IKE SA keeps carrying the traffic" "$LOG"; }

retry_case() {
	local name=retry first rc n
	connect "$name" --reauth 10 --giveup-timeout 4000 || return
	check "$name: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "$name: the gateway holds one IKE SA" ir_wait 30 0.1 one_sa
	first=$(sa_ids)
	block_new_sa || { bad "$name: nft block"; return; }
	ir_ping_start 300			# 30 s: a failure, then the retry
	check "$name: the first attempt fails, the old IKE SA carries on" \
	    ir_wait 250 0.1 retry_failed
	n=$(blocked_count)
	echo "    $(grep -o 'reauthentication failed.*' "$LOG" | head -1)"
	check "$name: the block met the new IKE SA's packets ($n)" \
	    test "$n" -gt 0
	unblock
	check "$name: reauthenticated on the next try" \
	    ir_wait 150 0.1 eval "[ \$(reauths) -ge 1 ]"
	echo "    $(grep -o 'reauthenticating again.*' "$LOG" | head -1)"
	check "$name: the old IKE SA #$first is deleted: one IKE SA, a new one" \
	    ir_wait 50 0.1 eval "one_sa && [ \"\$(sa_ids)\" != $first ]"
	ir_ping_stop
	echo "    ping every 0.1 s across the failed attempt and the retry: $PING_SENT sent, $PING_LOST lost"
	check "$name: the ping went on through the old IKE SA ($PING_LOST of $PING_SENT lost, at most 1)" \
	    test "$PING_SENT" -ge 250 -a "$PING_LOST" -le 1
	check "$name: no session was lost" \
	    eval "! grep -q 'session lost\|keeping the tunnel, reconnecting\|reconnecting to' '$LOG'"
	stop_client INT
	rc=$?
	check "$name: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "$name: our Delete: the gateway holds no IKE SA" \
	    ir_wait 50 0.1 eval "[ \"\$(\"$GWSH\" count-sas)\" = 0 ]"
}

# ---- the run ---------------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
IKE_REAUTH_TIME=20s "$GWSH" start >/dev/null ||
    ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"

if [ "${REAUTH_ONLY:-}" != retry ]; then
	reauth_case gateway "AUTH_LIFETIME 20 s: before 20 s"
	check "gateway: AUTH_LIFETIME was heard" \
	    grep -q "reauthenticate within" "$IR_STATE/reauth-gateway.log"
	reauth_case local "--reauth 8" --reauth 8
fi

"$GWSH" stop >/dev/null 2>&1
IKE_REAUTH_TIME=120s "$GWSH" start >/dev/null ||
    ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
retry_case

ir_summary "reauth"
