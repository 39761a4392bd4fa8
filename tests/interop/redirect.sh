#!/bin/bash
# tests/interop/redirect.sh: ikeroam follows gateway redirects (RFC 5685)
# against strongSwan 5.9.8 (UDP; `swanctl --redirect` redirects an
# established IKE SA, §6) in network namespaces with the prefix rdr.
# One charon answers on two addresses of the gateway namespace,
# 198.51.100.10 (the configured gateway) and 198.51.100.11, and pushes a
# full tunnel (0.0.0.0/0), the harder case: the new gateway's address is
# routed into our own TUN, so IKE to it must leave on the uplink the
# sockets are bound to (a UDP re-connect must not lose SO_BINDTODEVICE)
# and its host route pin must take the old gateway's path.  Split
# tunnels are redirected in client-libreswan.sh (scenario 10).
#
#  1. privsep (the default), --kill-switch, built-in network setup: the
#     tunnel is up at .10; a ping runs through it while the gateway
#     redirects us to 198.51.100.11: one progress line, the new IKE SA
#     is at .11 and carries REDIRECTED_FROM, the old one is deleted
#     (the gateway holds exactly one IKE SA, at .11), the host route pin,
#     the status file and the kill switch's gateway set follow, the ping
#     lost (make-before-break) is printed.  Then a redirect to a name
#     (gw1.vpn.test, resolved through the client's /etc/hosts by the
#     network part under seccomp) brings us back to .10.  SIGINT: exit 0.
#  2. --no-privsep: redirected six times within five minutes (each time
#     the gateway sends us to the other address): ikeroam gives up with
#     one line and exit status 12.
#  3. --no-redirect: REDIRECT_SUPPORTED is not announced, so the gateway
#     cannot redirect us (swanctl fails) and the SA stays at .10.
#  4. The target does not answer at first (nftables in the client's
#     namespace drops UDP to .11 and resets TCP; --giveup-timeout 4000):
#     one line says the old IKE SA at .10 is kept, it carries a ping
#     every 0.1 s meanwhile (at most 2 lost), nothing is reconnected,
#     and once .11 answers the next try moves the tunnel there.
# The TCP cases (libreswan redirects in IKE_SA_INIT and IKE_AUTH) are in
# client-libreswan.sh (scenario 10).
# Prints PASS/FAIL per check and ends with "N passed, N failed".
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default rdr),
# REDIRECT_ONLY=down (case 4 alone).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-rdr}
export LOCAL_TS=${LOCAL_TS:-0.0.0.0/0}	# the gateway's side: everything
IR_TAG=redirect
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
ir_find_ikeroam
GWSH=$IR_HERE/strongswan/gateway.sh
ir_need_cmds charon-cmd swanctl nft python3

GW2=198.51.100.11
GW1_NAME=gw1.vpn.test
TABLE=(inet ikeroam_killswitch)
pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
PING_PID=
LOG=

BLOCK_TABLE=(inet ir_redirect_block)

cleanup() {
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	ip netns exec "$IR_NS_CLI" nft delete table "${BLOCK_TABLE[@]}" \
	    >/dev/null 2>&1
	[ -n "$PING_PID" ] && kill "$PING_PID" 2>/dev/null
	ip netns exec "$IR_NS_CLI" nft delete table "${TABLE[@]}" \
	    >/dev/null 2>&1
	"$GWSH" stop >/dev/null 2>&1
}
ir_on_exit cleanup

cli() { ip netns exec "$IR_NS_CLI" "$@"; }
moved_count() { grep -c "the tunnel moved to" "$LOG"; }
sas() { "$GWSH" swanctl --list-sas 2>/dev/null; }
# The local (gateway) addresses of the gateway's IKE SAs, one a line.
sa_locals() { sas | sed -n -E 's/^  local .* @ ([0-9.]+)\[[0-9]+\].*/\1/p'; }
only_sa_at() { [ "$(sa_locals | tr '\n' ' ')" = "$1 " ]; }
status_gw() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["gateway"])' \
	    "$STATUS" 2>/dev/null
}
gw4_has() { cli nft list set "${TABLE[@]}" gw4 2>/dev/null | grep -q "$1"; }
pin_to() { cli ip route show "$1/32" | grep -q "dev eth0"; }

connect() {	# connect NAME ARGS...
	local name=$1
	LOG=$IR_STATE/redirect-$1.log
	shift
	: >"$LOG"
	# shellcheck disable=SC2016 # expanded by the inner shell
	ir_cli_run sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' \
	    "$HOSTS" "$IKEROAM" connect --gateway "$IR_GW" -v \
	    --id "$IR_PSK_ID" --psk-file "$IR_PSK_FILE" \
	    --remote-id "$IR_GW_ID" "$@" >>"$LOG" 2>&1 </dev/null &
	CLIENT_PID=$!
	IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
	wait_up "$name"
}

# redirect_to TARGET: the gateway redirects our IKE SA (§6).
redirect_to() {
	"$GWSH" swanctl --redirect --peer-ip "$IR_CLI_ADDR" --gateway "$1" \
	    >"$IR_STATE/swanctl-redirect.out" 2>&1
}

# ---- 1: make-before-break, privsep, kill switch, an FQDN target ---------
session_case() {
	local n rc t0
	STATUS=$IR_STATE/redirect-status.json
	rm -f "$STATUS"
	connect session --kill-switch --script none --status-file "$STATUS" ||
	    return
	check "session: ping $IR_LAN_HOST through the tunnel at $IR_GW" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "session: the gateway holds one IKE SA, at $IR_GW" \
	    ir_wait 30 0.1 only_sa_at "$IR_GW"
	ir_ping_start 40
	sleep 1
	n=$(moved_count)
	t0=$(ir_now_ms)
	if ! redirect_to "$GW2"; then
		bad "session: swanctl --redirect failed: $(tail -1 "$IR_STATE/swanctl-redirect.out")"
	fi
	check "session: the tunnel moved to $GW2" \
	    ir_wait 100 0.1 eval "[ \$(moved_count) -gt $n ]"
	echo "    moved in $(( $(ir_now_ms) - t0 )) ms (swanctl to the line)"
	sleep 1
	ir_ping_stop
	echo "    ping every 0.1 s through the redirect: $PING_SENT sent, $PING_LOST lost"
	# Make-before-break: the old SA carries the pings until the new one
	# does (a gap would lose the new SA's setup time and more).
	check "session: the pings went on through the redirect ($PING_LOST of $PING_SENT lost, at most 2)" \
	    test "$PING_SENT" -ge 30 -a "$PING_LOST" -le 2
	check "session: the new SA carried traffic before the old one was deleted" \
	    grep -q "the tunnel moved to $GW2 .*; deleting the old IKE SA" "$LOG"
	check "session: one progress line 'redirected by $IR_GW to $GW2'" \
	    test "$(grep -c "redirected by $IR_GW to $GW2\$" "$LOG")" = 1
	check "session: the old IKE SA is deleted: one IKE SA, at $GW2" \
	    ir_wait 100 0.1 only_sa_at "$GW2"
	check "session: the new gateway got REDIRECTED_FROM (charon log)" \
	    grep -q "N(REDIR_FROM)" "$IR_GW_LOG"
	check "session: ping $IR_LAN_HOST through the tunnel at $GW2" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "session: the status file names $GW2" \
	    ir_wait 30 0.1 eval "[ \"\$(status_gw)\" = $GW2 ]"
	# Sampled until it holds (3 s at most): a one-shot "nft list" met a
	# table being replaced once, and the ping above already went to $GW2.
	check "session: the kill switch lets $GW2 through (privileged part)" \
	    ir_wait 30 0.1 gw4_has "$GW2"
	check "session: the host route pin is at $GW2" pin_to "$GW2"
	check "session: no pin left at $IR_GW" eval "! pin_to $IR_GW"
	# Back to the first address, named: resolved without blocking.
	n=$(moved_count)
	redirect_to "$GW1_NAME" ||
	    bad "session: swanctl --redirect to $GW1_NAME failed"
	check "session: redirected to $GW1_NAME, resolved to $IR_GW" \
	    ir_wait 100 0.1 eval "[ \$(moved_count) -gt $n ]"
	check "session: the line names it: 'redirected by $GW2 to $GW1_NAME ($IR_GW)'" \
	    grep -q "redirected by $GW2 to $GW1_NAME ($IR_GW)" "$LOG"
	check "session: one IKE SA, at $IR_GW again" \
	    ir_wait 100 0.1 only_sa_at "$IR_GW"
	check "session: ping through the tunnel after the second redirect" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	stop_client INT
	rc=$?
	check "session: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "session: the kill switch is gone" \
	    eval "! cli nft list table ${TABLE[*]} >/dev/null 2>&1"
}

# ---- 2: a redirect loop ----------------------------------------------------
loop_case() {
	local i n rc to
	connect loop --no-privsep --script none || return
	for i in 1 2 3 4 5 6; do
		n=$(moved_count)
		if [ $((i % 2)) = 1 ]; then to=$GW2; else to=$IR_GW; fi
		redirect_to "$to" || break
		[ "$i" = 6 ] && break
		ir_wait 100 0.1 eval "[ \$(moved_count) -gt $n ]" || {
			bad "loop: redirect $i did not complete (see $LOG)"
			break
		}
	done
	ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 20
	rc=$?
	CLIENT_PID=
	IKEROAM_PID=
	check "loop: five redirects followed" test "$(moved_count)" = 5
	check "loop: the sixth within 5 minutes ends it: exit status 12 (got $rc)" \
	    test "$rc" = 12
	check "loop: one line says why" \
	    grep -q "redirected us 6 times within 5 minutes.*a redirect loop" "$LOG"
	echo "    $(grep -o 'the gateways redirected.*' "$LOG" | head -1)"
	check "loop: our Delete: the gateway holds no IKE SA" \
	    ir_wait 50 0.1 eval "[ \"\$(\"$GWSH\" count-sas)\" = 0 ]"
	"$GWSH" terminate >/dev/null 2>&1
}

# ---- 3: --no-redirect ------------------------------------------------------
off_case() {
	local rc
	connect off --no-redirect --script none || return
	redirect_to "$GW2"
	check "off: the gateway sees no REDIRECT_SUPPORTED and does not redirect" \
	    ir_wait 30 0.1 grep -q "client does not support IKE redirection" \
	    "$IR_GW_LOG"
	sleep 1
	check "off: still one IKE SA, at $IR_GW" only_sa_at "$IR_GW"
	check "off: no redirect line" eval "! grep -q 'redirected by' '$LOG'"
	stop_client INT
	rc=$?
	check "off: exit status 0 (got $rc)" test "$rc" = 0
}

# ---- 4: the target does not answer at first --------------------------------
down_case() {
	local n rc
	connect down --script none --giveup-timeout 4000 || return
	check "down: ping $IR_LAN_HOST through the tunnel at $IR_GW" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	cli nft -f - <<-EOF || { bad "down: nft block"; return; }
	table ${BLOCK_TABLE[*]} {
		chain out {
			type filter hook output priority 0; policy accept;
			ip daddr $GW2 udp dport { 500, 4500 } drop
			ip daddr $GW2 tcp dport { 4500, 443 } reject with tcp reset
		}
	}
	EOF
	ir_ping_start 200
	n=$(moved_count)
	redirect_to "$GW2" ||
	    bad "down: swanctl --redirect failed: $(tail -1 "$IR_STATE/swanctl-redirect.out")"
	check "down: $GW2 fails, one line: the old IKE SA at $IR_GW is kept" \
	    ir_wait 150 0.1 grep -q "the gateway we were redirected to ($GW2) failed (.*): keeping the old IKE SA at $IR_GW while it lives" "$LOG"
	echo "    $(grep -o 'the gateway we were redirected to.*' "$LOG" | head -1)"
	check "down: meanwhile the gateway holds the old IKE SA, at $IR_GW" \
	    only_sa_at "$IR_GW"
	cli nft delete table "${BLOCK_TABLE[@]}"
	check "down: the next try moves the tunnel to $GW2" \
	    ir_wait 150 0.1 eval "[ \$(moved_count) -gt $n ]"
	ir_ping_stop
	echo "    ping every 0.1 s across the failed redirect and the retry: $PING_SENT sent, $PING_LOST lost"
	check "down: the pings went on through the old IKE SA ($PING_LOST of $PING_SENT lost, at most 2)" \
	    test "$PING_SENT" -ge 150 -a "$PING_LOST" -le 2
	check "down: the old IKE SA is deleted: one IKE SA, at $GW2" \
	    ir_wait 100 0.1 only_sa_at "$GW2"
	check "down: no session was lost" \
	    eval "! grep -q 'session lost\|keeping the tunnel, reconnecting' '$LOG'"
	stop_client INT
	rc=$?
	check "down: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
}

# ---- the run ---------------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
ip netns exec "$IR_NS_GW" ip addr add "$GW2/25" dev eth0 ||
    ir_die "cannot add $GW2 to the gateway"
HOSTS=$IR_STATE/redirect-hosts
printf '127.0.0.1 localhost\n%s %s\n' "$IR_GW" "$GW1_NAME" >"$HOSTS"

if [ "${REDIRECT_ONLY:-}" != down ]; then
	session_case
	loop_case
	off_case
fi
down_case

ir_summary "redirect"
