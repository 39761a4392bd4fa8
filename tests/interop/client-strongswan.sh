#!/bin/bash
# tests/interop/client-strongswan.sh: ikeroam against a real strongSwan
# gateway (charon with kernel-libipsec) in network namespaces.
#
# For each case: the tunnel comes up, the virtual IP and DNS from the CP
# reply are applied, ping goes both ways through the tunnel, and after
# SIGINT ikeroam exits 0, the gateway holds no IKE SA and the client's
# routes and resolv.conf are as before.  Negative cases check the exit
# status and the one error line.  Prints PASS/FAIL per check and ends with
# "N passed, N failed".
#
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default irc),
# QUICK=1 (a smaller matrix), IPERF_SECONDS (default 2; 0 skips iperf3).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-irc}
IR_TAG=client-ss
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=${IKEROAM:-$TOP/build/ikeroam}
IKEROAM=$(readlink -f "$IKEROAM")
GWSH=$IR_HERE/strongswan/gateway.sh
NETNS=$IR_HERE/netns.sh
IPERF_SECONDS=${IPERF_SECONDS:-2}
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
ir_need_cmds charon-cmd swanctl iperf3 nft

pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
LOG=

cleanup() {
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	ir_stop iperf3
	"$GWSH" stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

client_alive() { [ -n "$CLIENT_PID" ] && kill -0 "$CLIENT_PID" 2>/dev/null; }
tunnel_up() { grep -q "tunnel up" "$LOG"; }
up_or_dead() { tunnel_up || ! client_alive; }

# connect NAME ARGS...: start ikeroam in the client namespace.
connect() {
	local name=$1
	shift
	LOG=$IR_STATE/ikeroam-$name.log
	: >"$LOG"
	ir_cli_run "$IKEROAM" connect --gateway "$IR_GW" -v "$@" \
	    >>"$LOG" 2>&1 </dev/null &
	CLIENT_PID=$!
	IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
}

wait_exit() {	# wait_exit SECONDS: the client's exit status, 124 if alive
	local rc
	ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" "$1"
	rc=$?
	CLIENT_PID=
	return $rc
}

# stop_client: SIGINT, then the exit status (124 when it hung).
stop_client() {
	kill -INT "$IKEROAM_PID" 2>/dev/null
	wait_exit 10
}

sas_gone() { [ "$("$GWSH" count-sas 2>/dev/null)" = 0 ]; }
virtual_ip() { sed -n 's/.*tunnel up.*address \([0-9.]*\).*/\1/p' "$LOG" | head -1; }
resolv_has_dns() { grep -q "nameserver $IR_DNS" "$IR_STATE/cli/resolv.conf"; }
resolv_restored() { ! grep -q "$IR_DNS" "$IR_STATE/cli/resolv.conf"; }

iperf() {	# iperf NAME: one short iperf3 run through the tunnel
	local out mbit
	[ "$IPERF_SECONDS" = 0 ] && return 0
	out=$(ip netns exec "$IR_NS_CLI" timeout $((IPERF_SECONDS + 8)) \
	    iperf3 -c "$IR_LAN_HOST" -t "$IPERF_SECONDS" -J 2>/dev/null)
	mbit=$(printf '%s' "$out" | python3 -c 'import json,sys
try:
    d = json.load(sys.stdin)
    print("%.0f" % (d["end"]["sum_received"]["bits_per_second"] / 1e6))
except Exception:
    print("")')
	if [ -n "$mbit" ]; then
		echo "iperf3 $1: $mbit Mbit/s (client -> $IR_LAN_HOST, ${IPERF_SECONDS} s)"
	else
		echo "iperf3 $1: no result"
	fi
}

# The stock vpnc-script's first command is "uname" (its PATH has
# /usr/local/sbin first; IR_CLI_SBIN in lib.sh): this one records what
# the TUN has when the script's "connect" starts.
SBIN=$IR_STATE/sbin
mkdir -p "$SBIN"
cat >"$SBIN/uname" <<EOF
#!/bin/sh
if [ "\$reason" = connect ]; then
	{ ip -o addr show dev "\$TUNDEV"; ip route show dev "\$TUNDEV"
	} >"$IR_STATE/at-start" 2>&1
fi
exec /usr/bin/uname "\$@"
EOF
chmod 755 "$SBIN/uname"
export IR_CLI_SBIN=$SBIN
at_start() { grep -q "$1" "$IR_STATE/at-start"; }
not_at_start() { ! at_start "$1"; }
# The script's own lines (ip(8)'s EEXIST, in its words or the kernel's);
# ikeroam's debug line about them starts otherwise.
no_eexist() {
	! grep -q "^RTNETLINK answers: File exists\|^Error: ipv.: [Aa]ddress already assigned" "$LOG"
}

# tunnel_case NAME [--script none] ARGS...: the whole positive check.
tunnel_case() {
	local name=$1 routes_before routes_after vip rc t0 script=vpnc
	shift
	case " $* " in *" --script none "*) script=none ;; esac
	ir_cli_resolv_reset
	rm -f "$IR_STATE/at-start"
	routes_before=$(ip netns exec "$IR_NS_CLI" ip route | sort)
	t0=$(ir_now_ms)
	connect "$name" "$@"
	if ! ir_wait 300 0.1 up_or_dead || ! tunnel_up; then
		bad "$name: tunnel up (see $LOG)"
		tail -5 "$LOG" | sed 's/^/    /'
		stop_client
		return
	fi
	if ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30; then
		ok "$name: tunnel up, ping $IR_LAN_HOST in $(($(ir_now_ms) - t0)) ms"
	else
		bad "$name: ping $IR_LAN_HOST through the tunnel"
	fi
	if [ "$name" = psk ]; then
		check "$name: --status-file says up over udp with $IR_DNS" \
		    python3 -c 'import json,sys
s = json.load(open(sys.argv[1]))
sys.exit(not (s["state"] == "up" and s["transport"] == "udp" and
    sys.argv[2] in s["dns"] and s["address"]))' "$IR_STATE/status.json" "$IR_DNS"
	fi
	vip=$(virtual_ip)
	check "$name: virtual IP from the CP reply ($vip)" \
	    test -n "$vip"
	check "$name: ping from the protected LAN to $vip" \
	    ir_ping "$IR_NS_LAN" "$vip" 10
	[ "$script" = vpnc ] &&
		check "$name: DNS $IR_DNS applied" resolv_has_dns
	# The stock script: ikeroam routes first (--script-routes early),
	# unless told otherwise.
	case "$script $*" in
	*"--script-routes script"*)
		check "$name: control: nothing routed when the script starts" \
		    not_at_start "^$IR_LAN_NET " ;;
	vpnc*)
		check "$name: the virtual IP on the TUN when the script starts" \
		    at_start "inet $vip/"
		check "$name: $IR_LAN_NET routed when the script starts" \
		    at_start "^$IR_LAN_NET "
		check "$name: no 'File exists' of the script's in the output" \
		    no_eexist
		check "$name: the script met ikeroam's address (debug line)" \
		    grep -q "(ikeroam added it first)" "$LOG" ;;
	esac
	iperf "$name"
	stop_client
	rc=$?
	check "$name: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "$name: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
	routes_after=$(ip netns exec "$IR_NS_CLI" ip route | sort)
	check "$name: client routes as before" \
	    test "$routes_before" = "$routes_after"
	[ "$script" = vpnc ] &&
		check "$name: resolv.conf restored" resolv_restored
}

# fail_case NAME STATUS TEXT ARGS...: ikeroam must exit STATUS with a
# line containing TEXT, within 60 s.
fail_case() {
	local name=$1 want=$2 text=$3 rc
	shift 3
	connect "$name" --script none "$@"
	wait_exit 60
	rc=$?
	check "$name: exit status $want (got $rc)" test "$rc" = "$want"
	# The user-facing line: "ikeroam: ..." (or "error: ..." with -v).
	if grep -q "\(ikeroam\|error\): .*$text" "$LOG"; then
		ok "$name: says '$(grep -m1 '\(ikeroam\|error\): ' "$LOG" |
		    cut -c1-160)'"
	else
		bad "$name: no line with '$text' (see $LOG)"
		tail -3 "$LOG" | sed 's/^/    /'
	fi
	"$GWSH" terminate >/dev/null 2>&1 || true
}

gw_proposals() {	# gw_proposals IKE ESP: reload the gateway's proposals
	IKE_PROPOSALS=$1 ESP_PROPOSALS=$2 "$GWSH" reload >/dev/null 2>&1 ||
	    ir_die "gateway reload failed"
}

# ---- the run -------------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
ir_spawn iperf3 "$IR_NS_LAN" "$IR_STATE/lan-run" "$IR_STATE/iperf3.log" \
    iperf3 -s

PSK=(--id "$IR_PSK_ID" --psk-file "$IR_PSK_FILE" --remote-id "$IR_GW_ID")
CERT=(--id "$IR_CLIENT_ID" --cert "$IR_CLIENT_CERT" --key "$IR_CLIENT_KEY"
    --ca "$IR_CA" --remote-id "$IR_GW_ID")
EAP=(--id "$IR_EAP_USER" --eap-user "$IR_EAP_USER"
    --password-file "$IR_EAP_PASSWORD_FILE" --ca "$IR_CA"
    --remote-id "$IR_GW_ID")

# Authentication methods, with the vpnc-script and with --script none.
tunnel_case psk "${PSK[@]}" --status-file "$IR_STATE/status.json"
tunnel_case psk-script-routes "${PSK[@]}" --script-routes script
tunnel_case psk-netlink --script none "${PSK[@]}"
tunnel_case cert-ecdsa --script none "${CERT[@]}"
tunnel_case eap-mschapv2 --script none "${EAP[@]}"

# --ts (RFC 7296 §2.9): we ask for 203.0.113.0/25 and 10.99.0.0/16; the
# gateway protects 203.0.113.0/24 and narrows to 203.0.113.0/25: that is
# routed into the tunnel, nothing else.
ts_case() {
	local rc
	connect ts --script none "${PSK[@]}" --ts 203.0.113.0/25,10.99.0.0/16
	if ! ir_wait 300 0.1 up_or_dead || ! tunnel_up; then
		bad "ts: tunnel up (see $LOG)"
		stop_client
		return
	fi
	check "ts: ping $IR_LAN_HOST (inside the /25) through the tunnel" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
	check "ts: the narrowed 203.0.113.0/25 is routed" \
	    eval "ip netns exec $IR_NS_CLI ip route show 203.0.113.0/25 | grep -q dev"
	check "ts: neither 203.0.113.0/24 nor 10.99.0.0/16 is" \
	    eval "[ -z \"\$(ip netns exec $IR_NS_CLI ip route show 203.0.113.0/24; ip netns exec $IR_NS_CLI ip route show 10.99.0.0/16)\" ]"
	check "ts: the gateway saw our TSr (charon log)" \
	    grep -q "10.99.0.0/16" "$IR_GW_LOG"
	stop_client
	rc=$?
	check "ts: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "ts: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
}
ts_case

# Behind a NAT (the middlebox masquerades the client).
"$NETNS" nat on >/dev/null
tunnel_case psk-nat --script none "${PSK[@]}"
tunnel_case eap-nat --script none "${EAP[@]}"
"$NETNS" nat off >/dev/null

# Proposals: each cipher with each group, forced on both ends.
ciphers="aes128gcm16 aes256gcm16 chacha20poly1305 aes128-sha256"
groups="x25519 ecp256 modp2048"
[ "${QUICK:-0}" = 1 ] && groups="x25519"
for c in $ciphers; do
	for g in $groups; do
		case $c in
		*-sha256) ike="$c-$g" ;;
		*) ike="$c-prfsha256-$g" ;;
		esac
		gw_proposals "$ike" "$c"
		tunnel_case "suite-$c-$g" --script none "${PSK[@]}" \
		    --ike "$ike" --esp "$c"
	done
done
gw_proposals default ""

# The gateway rekeys the Child SA every ~10 s and the IKE SA every ~18 s
# (RFC 7296 §1.3.2, §1.3.3): a ping runs across ~4 Child and 2 IKE
# rekeys; at most two pings may be lost, one around each of two
# switches; ikeroam stays up, the gateway holds one IKE SA.
rekey_case() {
	local out got rc
	CHILD_REKEY_TIME=10s IKE_REKEY_TIME=18s "$GWSH" reload >/dev/null 2>&1 ||
	    ir_die "reload (rekey) failed"
	connect rekey --script none "${PSK[@]}"
	if ! ir_wait 300 0.1 up_or_dead || ! tunnel_up; then
		bad "rekey: tunnel up (see $LOG)"
		stop_client
	else
		out=$(ip netns exec "$IR_NS_CLI" ping -c 40 -i 1 -W 1 \
		    "$IR_LAN_HOST" 2>&1)
		got=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')
		check "rekey: $(grep -c 'the gateway is rekeying CHILD_SA' "$LOG") Child SA and $(grep -c 'IKE SA rekeyed' "$LOG") IKE SA rekeys by the gateway" \
		    test "$(grep -c 'the gateway is rekeying CHILD_SA' "$LOG")" -ge 2 -a \
		    "$(grep -c 'IKE SA rekeyed' "$LOG")" -ge 1
		check "rekey: ping across the rekeys, ${got:-0}/40 answered" \
		    test "${got:-0}" -ge 38
		check "rekey: ikeroam still up" client_alive
		check "rekey: gateway holds one IKE SA" \
		    test "$("$GWSH" count-sas 2>/dev/null)" = 1
		stop_client
		rc=$?
		check "rekey: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
		check "rekey: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
	fi
	"$GWSH" reload >/dev/null 2>&1 || ir_die "reload (defaults) failed"
}
rekey_case

# The RSA-3072 gateway certificate: the IKE_AUTH reply is fragmented.
GW_CERT=rsa "$GWSH" reload >/dev/null 2>&1 || ir_die "reload (rsa) failed"
tunnel_case cert-rsa3072-fragmented --script none "${CERT[@]}"

# The gateway deletes the IKE SA (as on a restart): the tunnel stays and
# a new session is built; ping keeps working.
reconnect_case() {
	local rc
	connect gateway-delete --script none "${PSK[@]}"
	if ! ir_wait 300 0.1 up_or_dead || ! tunnel_up; then
		bad "gateway-delete: tunnel up"
		stop_client
		return
	fi
	"$GWSH" terminate >/dev/null 2>&1
	if ir_wait 100 0.1 grep -q "reconnected in" "$LOG" &&
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30; then
		ok "gateway-delete: $(grep -m1 -o 'reconnected in [0-9]* ms over [A-Z]*' "$LOG"), ping again"
	else
		bad "gateway-delete: the session was not re-established"
	fi
	stop_client
	rc=$?
	check "gateway-delete: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "gateway-delete: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
}
reconnect_case

# Negative cases.
printf 'not-the-right-key-0123456789\n' >"$IR_STATE/wrong-psk"
chmod 600 "$IR_STATE/wrong-psk"
fail_case wrong-psk 3 "authentication" --id "$IR_PSK_ID" \
    --psk-file "$IR_STATE/wrong-psk" --remote-id "$IR_GW_ID"
GW_CERT=wrong "$GWSH" reload >/dev/null 2>&1 || ir_die "reload (wrong) failed"
fail_case wrong-gateway-cert 6 "certificate\|identity" "${CERT[@]}"
GW_CERT=ecdsa "$GWSH" reload >/dev/null 2>&1
gw_proposals "aes256-sha512-modp4096" "aes256-sha512"
fail_case no-common-proposal 4 "proposal" "${PSK[@]}" \
    --ike aes128gcm16-prfsha256-x25519 --esp aes128gcm16
gw_proposals default ""
chmod 644 "$IR_STATE/wrong-psk"
fail_case psk-file-mode 2 "chmod 600" --id "$IR_PSK_ID" \
    --psk-file "$IR_STATE/wrong-psk"
"$NETNS" udp block >/dev/null
fail_case unreachable 5 "no answer" "${PSK[@]}" --transport udp \
    --giveup-timeout 4000 --captive-url none
# A captive portal on the hotspot: UDP dropped, TCP 4500 refused (strongSwan
# has no RFC 9329), and the connectivity check is redirected to a login page.
ir_spawn portal "$IR_NS_MID" "$IR_STATE/portal-run" "$IR_STATE/portal.log" \
    python3 -c 'import http.server as h
class P(h.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "http://192.0.2.1:8080/login")
        self.end_headers()
    def log_message(self, *a):
        pass
h.HTTPServer(("192.0.2.1", 8080), P).serve_forever()'
ir_wait 50 0.1 ip netns exec "$IR_NS_CLI" python3 -c 'import socket
socket.create_connection(("192.0.2.1", 8080), 1).close()' ||
    bad "captive-portal: the test portal did not start"
fail_case captive-portal 9 "captive portal detected: log in at http://192.0.2.1:8080/login" \
    "${PSK[@]}" --giveup-timeout 4000 --fallback-timeout 1000 \
    --captive-url http://192.0.2.1:8080/check
ir_stop portal
"$NETNS" udp allow >/dev/null

echo "interop (strongSwan): $(( ($(ir_now_ms) - t_start) / 1000 )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
