#!/bin/bash
# tests/interop/selftest.sh: proves the harness with strongSwan's own client
# (no ikeroam needed). Brings the topology and the gateway up, connects the
# baseline client with PSK, EAP-MSCHAPv2 and an ECDSA certificate, pings
# 203.0.113.10 through each tunnel, checks DNS push, env-driven proposals,
# the middlebox's knobs (NAT, UDP blocking, loss),
# an RSA-3072 gateway certificate (fragmented IKE_AUTH), a gateway with the
# wrong name (refused), then tears everything down and checks that no SA,
# namespace or process is left.
#
# Prints one "PASS name" or "FAIL name" line per check and ends with
# "N passed, N failed"; exit status 0 only if nothing failed.
# Environment: IR_PREFIX (default irst, so a demo gateway on "ir" is left
# alone), IR_STATE.
set -u -o pipefail
IR_PREFIX=${IR_PREFIX:-irst}
export IR_PREFIX
IR_TAG=selftest
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
export IR_STATE

GATEWAY=$IR_HERE/strongswan/gateway.sh
CLIENT=$IR_HERE/charon-cmd.sh
NETNS=$IR_HERE/netns.sh
OUT=$IR_STATE/selftest
passed=0
failed=0
seen_pids=""

check() {
	local name=$1 t0
	shift
	t0=$(ir_now_ms)
	echo "== $name" >>"$OUT/checks.log"
	if "$@" >>"$OUT/checks.log" 2>&1; then
		echo "PASS $name ($(($(ir_now_ms) - t0)) ms)"
		passed=$((passed + 1))
	else
		echo "FAIL $name ($(($(ir_now_ms) - t0)) ms)"
		failed=$((failed + 1))
		return 1
	fi
}

remember_pids() {
	local f
	for f in "$IR_PIDS"/*.pid; do
		[ -s "$f" ] && seen_pids="$seen_pids $(cat "$f")"
	done
	return 0
}

sa_count_is() {
	[ "$("$GATEWAY" count-sas)" = "$1" ]
}

# Wait for the gateway to process the client's DELETE: at most 3 s.
no_sa_left() {
	ir_wait 60 0.05 sa_count_is 0
}

dns_pushed() {
	grep -q "^nameserver $IR_DNS" "$IR_STATE/cli/resolv.conf"
}

dns_restored() {
	! grep -q "$IR_DNS" "$IR_STATE/cli/resolv.conf"
}

gw_log_has() {
	grep -q -E "$1" "$IR_STATE/gw/charon.log"
}

sas_show() {
	"$GATEWAY" list-sas | grep -q -E "$1"
}

client_up() {
	local out
	out=$("$CLIENT" up "$1") || return 1
	eval "$out"
	remember_pids
}

# connect MODE: tunnel up, ping through it, DNS, one SA; down, none left.
connect() {
	local mode=$1 t0 t1
	t0=$(ir_now_ms)
	check "$mode: tunnel up" client_up "$mode" || return 0
	check "$mode: ping $IR_LAN_HOST through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 20
	t1=$(ir_now_ms)
	echo "  $mode: client start -> Child SA ${IR_BASE_UP_MS} ms" \
	    "(${IR_BASE_LOG_MS} ms in the client's log), -> first ping" \
	    "$((t1 - t0)) ms (virtual IP $IR_BASE_VIP)"
	[ -n "${FIRST_PING_MS:-}" ] || FIRST_PING_MS=$((t1 - T_START))
	check "$mode: DNS $IR_DNS pushed" dns_pushed
	check "$mode: gateway holds one IKE SA" sa_count_is 1
	check "$mode: client down" "$CLIENT" down
	check "$mode: no SA left on the gateway" no_sa_left
	check "$mode: client DNS restored" dns_restored
}

# probe_udp SRC: a 40-octet datagram (not IKE) from the client to UDP 500;
# true if the gateway logs a datagram from SRC within 1 s.
probe_udp() {
	local log=$IR_STATE/gw/charon.log src=$1 before
	before=$(grep -c "from $src\b" "$log")
	ip netns exec "$IR_NS_CLI" bash -c \
	    'printf "ikeroam-interop-probe-0123456789abcdefgh" \
	    >/dev/udp/'"$IR_GW_ADDR"'/500' || return 1
	ir_wait 20 0.05 eval \
	    '[ "$(grep -c "from $src\b" "$log")" -gt "$before" ]'
}

nat_on() {
	"$NETNS" nat on && probe_udp "$IR_MID_GW_ADDR" && "$NETNS" nat off
}

hotspot() {
	"$NETNS" udp block || return 1
	if probe_udp "$IR_CLI_ADDR"; then
		"$NETNS" udp allow
		return 1
	fi
	"$NETNS" udp allow && probe_udp "$IR_CLI_ADDR"
}

loss() {
	"$NETNS" loss 100 up || return 1
	if ir_ping "$IR_NS_CLI" "$IR_GW_ADDR" 1; then
		"$NETNS" loss 0
		return 1
	fi
	"$NETNS" loss 0 && ir_ping "$IR_NS_CLI" "$IR_GW_ADDR" 3
}

# The gateway must not be reachable around the tunnel.
lan_unreachable() {
	! ip netns exec "$IR_NS_CLI" ping -n -q -c 1 -W 1 "$IR_LAN_HOST"
}

proposals_from_env() {
	IKE_PROPOSALS=chacha20poly1305-prfsha256-modp2048 \
	    ESP_PROPOSALS=aes128-sha256-x25519-modpnone "$GATEWAY" reload ||
	    return 1
	client_up psk || return 1
	sas_show 'CHACHA20_POLY1305.*MODP_2048' &&
	    sas_show 'ESP:AES_CBC-128/HMAC_SHA2_256_128' &&
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 20
	local rc=$?
	"$CLIENT" down && no_sa_left && return $rc
}

# Also puts the default proposals back.
rsa_gateway() {
	GW_CERT=rsa "$GATEWAY" reload || return 1
	client_up eap || return 1
	ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 20 &&
	    gw_log_has 'splitting IKE message .* into [0-9]+ fragments'
	local rc=$?
	"$CLIENT" down
	no_sa_left && return $rc
}

wrong_gateway() {
	GW_CERT=wrong "$GATEWAY" reload || return 1
	if "$CLIENT" up cert; then
		"$CLIENT" down
		return 1
	fi
	grep -q "identity '$IR_GW_ID' required" "$IR_STATE/cli/strongswan.log"
}

wrong_gateway_cleanup() {
	"$GATEWAY" terminate
	GW_CERT=ecdsa "$GATEWAY" reload && no_sa_left
}

nothing_left() {
	local ns pid
	for ns in "$IR_NS_CLI" "$IR_NS_MID" "$IR_NS_GW" "$IR_NS_LAN"; do
		ir_ns_exists "$ns" && { echo "namespace $ns left"; return 1; }
	done
	for pid in $seen_pids; do
		ir_pid_alive "$pid" && { echo "process $pid left"; return 1; }
	done
	return 0
}

main() {
	local t_end
	ir_need_root
	mkdir -p "$IR_STATE"
	# A previous run that died: its recorded processes and namespaces.
	"$NETNS" down --force >/dev/null 2>&1
	rm -rf "$OUT" "$IR_STATE/cli" "$IR_STATE/gw" "$IR_PIDS"
	mkdir -p "$OUT"
	trap '"$GATEWAY" stop --force >/dev/null 2>&1' EXIT
	trap 'exit 130' INT TERM
	T_START=$(ir_now_ms)

	check "gateway start" "$GATEWAY" start || return 0
	remember_pids
	check "LAN unreachable without the tunnel" lan_unreachable
	connect psk
	connect eap
	connect cert
	check "proposals from the environment (ChaCha20/MODP-2048, AES-CBC)" \
	    proposals_from_env
	check "RSA-3072 gateway cert: IKE_AUTH fragmented, tunnel up" \
	    rsa_gateway
	check "gateway with the wrong name is refused" wrong_gateway
	check "gateway back to its ECDSA cert, no SA left" wrong_gateway_cleanup
	check "middlebox: UDP from the client reaches the gateway" \
	    probe_udp "$IR_CLI_ADDR"
	check "middlebox: NAT on, the gateway sees $IR_MID_GW_ADDR" nat_on
	check "middlebox: hotspot mode drops UDP, then lets it through" hotspot
	check "middlebox: 100 % loss drops, 0 % passes" loss
	check "gateway stop" "$GATEWAY" stop
	check "no namespace or process left" nothing_left
	trap - EXIT
	t_end=$(ir_now_ms)
	echo "  start -> first ping: ${FIRST_PING_MS:-none} ms;" \
	    "total $((t_end - T_START)) ms; logs in $IR_STATE"
}

main
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
