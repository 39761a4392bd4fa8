#!/bin/bash
# tests/interop/client-tls.sh: the last rung of the transport ladder, the
# RFC 9329 stream inside TLS (RFC 9329 Appendix A), end to end and without
# qemu: ikeroam in the netns.sh topology against tests/bench/esp_gw (our
# own RFC 9329 responder, TCP 4500) behind stunnel4, a TLS-terminating
# front on 198.51.100.10:443 with a certificate from a test CA made here.
#
#   1 the middlebox drops UDP and TCP 4500: --transport auto climbs UDP ->
#     TCP -> TLS; tunnel up over TLS, ping through it, the fallback times
#     printed; the network is remembered and the next run starts with TLS
#     (and when the front is gone and UDP open again, the remembered TLS
#     fails and the whole ladder runs from UDP)
#   2 --transport tls, no --tls-ca: the front's CA is not in the system
#     store: one line, exit 5
#   3 a server on 443 that is not TLS (it answers HTTP): one line, exit 5
#   4 a TLS front whose certificate comes from another CA (a middlebox
#     intercepting TLS): one line, exit 5
#
# One PASS/FAIL line per check; "N passed, N failed"; exit 0 only when
# nothing failed.  Only processes this script started are stopped.
# Environment: IKEROAM (default build/ikeroam), ESP_GW (default next to
# IKEROAM: tests/bench/esp_gw), IR_PREFIX (default tl).
set -u -o pipefail
IR_PREFIX=${IR_PREFIX:-tl}
IR_TAG=client-tls
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/interop/tls-lib.sh
. "$(dirname "$0")/tls-lib.sh"
export IR_PREFIX IR_STATE
ir_need_root
ir_need_cmds stunnel4 openssl nft python3 ping
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=$(readlink -f "${IKEROAM:-$TOP/build/ikeroam}")
ESP_GW=$(readlink -f "${ESP_GW:-$(dirname "$IKEROAM")/tests/bench/esp_gw}")
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
[ -x "$ESP_GW" ] || ir_die "$ESP_GW not built (make tests/bench/esp_gw)"
NETNS=$IR_HERE/netns.sh
PKI=$IR_STATE/tls-pki
FB_MS=1000

pass=0
fail=0
IK_PID=

# shellcheck disable=SC2317 # called from the trap
cleanup() {
	[ -n "$IK_PID" ] && kill -KILL "$IK_PID" 2>/dev/null
	ir_stop_all
	"$NETNS" down >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# front NAME CERT: stunnel4 on the gateway's 443, TLS ended there, the
# stream on to esp_gw's TCP 4500 (as a TLS-terminating front does).
front() {
	tls_front front "$IR_NS_GW" "$IR_GW:443" 127.0.0.1:4500 "$PKI/$2" \
	    "$IR_STATE/stunnel-$1.log"
}

# not_tls: a plain server on 443 that answers every connection with HTTP.
not_tls() {
	ir_spawn "front" "$IR_NS_GW" "$IR_STATE/front-run" \
	    "$IR_STATE/http.log" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 443))
s.listen(4)
s.settimeout(60)
for _ in range(20):
    c, _ = s.accept()
    c.settimeout(5)
    try:
        c.recv(4096)
        c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    except OSError:
        pass
    c.close()
' "$IR_GW"
	ir_wait 100 0.05 eval "ip netns exec $IR_NS_GW ss -ltn | grep -q '$IR_GW:443 '"
}

# run NAME ARGS...: ikeroam in the client namespace; $LOG, $IK_PID.
run() {
	local name=$1
	shift
	LOG=$IR_STATE/ikeroam-$name.log
	rm -f "$IR_PIDS/ikeroam.pid"
	mkdir -p "$IR_PIDS"
	# shellcheck disable=SC2016
	ir_cli_run sh -c 'echo $$ >"$0" && exec "$@"' "$IR_PIDS/ikeroam.pid" \
	    "$IKEROAM" connect --gateway "$IR_GW" -v --script none \
	    --captive-url none --id client-psk@vpn.test --remote-id vpn.test \
	    --psk-file "$IR_STATE/secrets/tls-psk" --giveup-timeout 10000 \
	    --reconnect-timeout 0 "$@" >"$LOG" 2>&1 </dev/null &
	IK_JOB=$!
	ir_wait 100 0.02 test -s "$IR_PIDS/ikeroam.pid" || return 1
	IK_PID=$(cat "$IR_PIDS/ikeroam.pid")
}

finish() {	# finish: SIGINT, the exit status
	local rc
	kill -INT "$IK_PID" 2>/dev/null
	ir_client_wait "$IK_JOB" "$IK_PID" 10
	rc=$?
	IK_PID=
	return $rc
}

exit_of() {	# exit_of SECONDS: the client's own exit status
	local rc
	ir_client_wait "$IK_JOB" "$IK_PID" "$1"
	rc=$?
	IK_PID=
	return $rc
}

log_has() { grep -q -- "$1" "$LOG"; }
ping_lan() { ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" "$1"; }
# The one line a failed run ends with (the "ikeroam: " error line).
last_error() { sed -n 's/^\[ *[0-9.]*\] error: //p' "$LOG" | tail -1; }
error_is() { last_error | grep -q -- "$1"; }
log_ms() {	# log_ms REGEX: the time stamp of the first match, in ms
	sed -n "s/^\[ *\([0-9]*\)\.\([0-9]*\)\] .*$1.*/\1\2/p" "$LOG" |
	    head -1 | sed 's/^0*\([0-9]\)/\1/'
}

# up NAME WHAT: auto on the hotel network (--network-id tl-hotel, the
# memory in $st), then the tunnel and a ping through it.
up() {
	run "$1" --transport auto --fallback-timeout "$FB_MS" \
	    --tls-ca "$PKI/ca.crt" --state-file "$st" --network-id tl-hotel ||
	    ir_die "ikeroam did not start"
	if ir_wait 300 0.1 log_has "tunnel up" && ping_lan 100; then
		ok "$1: $2, $(($(ir_now_ms) - t0)) ms after the start"
	else
		bad "$1: $2 (see $LOG)"
		grep -v debug "$LOG" | tail -5 | sed 's/^/    /'
	fi
}

# ---- set-up ------------------------------------------------------------
"$NETNS" down >/dev/null 2>&1
"$NETNS" up >/dev/null 2>&1 || ir_die "netns.sh up failed"
eval "$("$NETNS" env)"
tls_make_pki "$PKI" "$IR_GW" "$IR_GW_ID" || ir_die "cannot make the test PKI"
mkdir -p "$IR_STATE/secrets"
chmod 0700 "$IR_STATE/secrets"
(umask 077 && printf 'tls-%s\n' "$(openssl rand -hex 16)" \
    >"$IR_STATE/secrets/tls-psk")
ir_spawn espgw "$IR_NS_GW" "$IR_STATE/gw-run" "$IR_STATE/esp_gw.log" \
    "$ESP_GW" --psk-file "$IR_STATE/secrets/tls-psk" \
    --pool 198.51.100.129 --dns "$IR_DNS" --tun tlgw0 -v
ir_wait 100 0.05 eval "ip netns exec $IR_NS_GW ss -ltn | grep -q ':4500 '" ||
    ir_die "esp_gw is not listening (see $IR_STATE/esp_gw.log)"
# The hotspot: UDP dropped and TCP 4500 too; only web ports get out.
"$NETNS" udp block >/dev/null || ir_die "netns.sh udp block failed"
ip netns exec "$IR_NS_MID" nft add rule ip irmid hotspot tcp dport 4500 \
    drop || ir_die "nft in the middlebox failed"

# ---- 1: UDP and TCP 4500 blocked: auto climbs to TLS ---------------------
front good front || ir_die "stunnel4 did not start (see $IR_STATE/stunnel-good.log)"
st=$IR_STATE/networks.json
rm -f "$st"
t0=$(ir_now_ms)
up ladder "tunnel up over TLS and ping through it"
check "ladder: tried TCP after UDP's silence" \
    log_has "no answer over UDP after .* trying TCP"
check "ladder: tried TLS after TCP's silence" \
    log_has "no answer over TCP after .* trying TLS on port 443"
check "ladder: the gateway answered over TLS" \
    log_has "gateway answered over TLS"
check "ladder: the tunnel is over tls" log_has "tunnel up.*over tls"
echo "ladder: TCP tried at $(log_ms "trying TCP") ms, TLS at $(log_ms "trying TLS") ms, $(sed -n 's/.*\(gateway answered over TLS.*\)/\1/p' "$LOG" | head -1)"
check "ladder: the network is remembered as TLS in $st" \
    grep -q '"xport": *"tls"' "$st"
finish
check "ladder: exit status 0 after SIGINT (got $?)" test "$?" = 0

t0=$(ir_now_ms)
up remembered "tunnel up and ping through it"
check "remembered: started with TLS (no UDP or TCP attempt)" \
    eval 'log_has "connecting to .* over TLS" && ! log_has "trying TCP"'
echo "remembered: $(sed -n 's/.*\(gateway answered over TLS.*\)/\1/p' "$LOG" | head -1)"
finish >/dev/null
ir_stop front

# The hotel changed: no TLS front any more, UDP gets out.
"$NETNS" udp allow >/dev/null || ir_die "netns.sh udp allow failed"
t0=$(ir_now_ms)
up changed "tunnel up over UDP after the remembered TLS failed"
check "changed: started with TLS, then UDP" eval \
    'log_has "connecting to .* over TLS" && log_has "tunnel up.*over udp"'
finish >/dev/null
"$NETNS" udp block >/dev/null || ir_die "netns.sh udp block failed"
ip netns exec "$IR_NS_MID" nft add rule ip irmid hotspot tcp dport 4500 \
    drop || ir_die "nft in the middlebox failed"

# ---- 2: the front's CA is not in the system store ------------------------
front good front || ir_die "stunnel4 did not start"
run system-store --transport tls || ir_die "ikeroam did not start"
exit_of 20
rc=$?
check "system-store: exit status 5 (got $rc)" test "$rc" = 5
echo "system-store: $(last_error)"
check "system-store: one line: not trusted, give --tls-ca" \
    error_is "TLS to $IR_GW:443: the server.s certificate is not trusted (.*): give the front.s CA with --tls-ca"
ir_stop front

# ---- 3: not a TLS server on 443 ------------------------------------------
not_tls || ir_die "the plain server did not start"
run not-tls --transport tls --tls-ca "$PKI/ca.crt" ||
    ir_die "ikeroam did not start"
exit_of 20
rc=$?
check "not-tls: exit status 5 (got $rc)" test "$rc" = 5
echo "not-tls: $(last_error)"
check "not-tls: one line: the answer is not TLS" \
    error_is "TLS to $IR_GW:443: the server.s answer is not TLS"
ir_stop front

# ---- 4: a certificate from another CA (TLS interception) -----------------
front wrong wrong || ir_die "stunnel4 did not start"
run wrong-cert --transport auto --fallback-timeout "$FB_MS" \
    --tls-ca "$PKI/ca.crt" --giveup-timeout 5000 \
    --state-file "$IR_STATE/networks-wrong.json" ||
    ir_die "ikeroam did not start"
exit_of 30
rc=$?
check "wrong-cert: exit status 5 (got $rc)" test "$rc" = 5
echo "wrong-cert: $(last_error)"
check "wrong-cert: one line: not trusted, is --tls-ca the front's CA?" \
    error_is "TLS to $IR_GW:443: the server.s certificate is not trusted (.*): is --tls-ca the front.s CA"
ir_stop front

grep -q "AddressSanitizer\|runtime error:\|LeakSanitizer" \
    "$IR_STATE"/ikeroam-*.log && bad "a sanitizer report in $IR_STATE"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
