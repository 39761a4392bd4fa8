#!/bin/bash
# tests/interop/client-eap.sh: ikeroam's EAP methods against strongSwan
# 5.9.8 (one charon for every case, gateway-swanctl-eap.conf.in):
#   eap-tls-1.2      --eap tls, charon tls.version_max = 1.2 (RFC 5216)
#   eap-tls-1.2-fragments  the same with RSA-3072 certificates on both
#                    sides: fragments and ACKs both ways
#   eap-tls-1.3      the same with 1.3 (5.9.8 predates RFC 9190: no
#                    protected success indication, the drafts' MSK)
#   eaponly-tls      --eap-only: the gateway sends no AUTH (RFC 5998),
#                    EAP-TLS proves it
#   eaponly-mschapv2 --eap-only with EAP-MSCHAPv2
#   eap-gtc          --eap gtc, the gateway's xauth-generic backend
# Each: tunnel up, ping through it, SIGINT, exit 0, no SA left.  Then
# refusals, each with its exit status and one line:
#   a client certificate from a CA the gateway does not trust  (3)
#   --eap tls where the gateway wants GTC: our Nak, its Failure (3)
#   --eap-only where the gateway signs anyway with a wrong name  (6)
#   --eap-only --eap gtc on the command line                     (2)
#
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default irea).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-irea}
IR_TAG=client-eap
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=$(readlink -f "${IKEROAM:-$TOP/build/ikeroam}")
GWSH=$IR_HERE/strongswan/gateway.sh
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
ir_need_cmds swanctl openssl
[ -e /usr/lib/ipsec/plugins/libstrongswan-eap-tls.so ] &&
    [ -e /usr/lib/ipsec/plugins/libstrongswan-eap-gtc.so ] ||
    ir_die "strongSwan's eap-tls/eap-gtc plugins are missing: run " \
    "scripts/deps-interop.sh"

pass=0
fail=0
JOB=
PID=
LOG=

cleanup() {
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	"$GWSH" stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "PASS: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check() {	# check TEXT CMD...
	local text=$1
	shift
	if "$@"; then ok "$text"; else bad "$text"; fi
}

# run NAME ARGS...: ikeroam in the client namespace, in the background.
run() {
	LOG=$IR_STATE/eap-$1.log
	shift
	: >"$LOG"
	ir_cli_run "$IKEROAM" connect --gateway "$IR_GW" --script none -v \
	    --ca "$IR_CA" "$@" >>"$LOG" 2>&1 </dev/null &
	JOB=$!
	PID=$(ir_find_comm "$JOB" ikeroam)
}

finished() {	# finished SECONDS: the exit status, 124 when it hung
	local rc
	ir_client_wait "$JOB" "$PID" "$1"
	rc=$?
	JOB=
	PID=
	return $rc
}

is_up() { grep -q "tunnel up" "$LOG"; }
up_or_gone() { is_up || ! kill -0 "$JOB" 2>/dev/null; }
no_sa() { [ "$("$GWSH" count-sas 2>/dev/null)" = 0 ]; }

# up NAME WANT ARGS...: the tunnel comes up with a log line matching WANT
# (what proves the method ran), carries a ping, and ends cleanly.
up() {
	local name=$1 want=$2 rc t0
	shift 2
	t0=$(ir_now_ms)
	run "$name" "$@"
	if ! ir_wait 300 0.1 up_or_gone || ! is_up; then
		bad "$name: tunnel up (see $LOG)"
		grep -m3 "ikeroam: \|error: \|EAP" "$LOG" | sed 's/^/    /'
	else
		check "$name: tunnel up, ping $IR_LAN_HOST ($(($(ir_now_ms) - t0)) ms)" \
		    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30
		check "$name: log says '$want'" grep -q -- "$want" "$LOG"
	fi
	kill -INT "$PID" 2>/dev/null
	finished 10
	rc=$?
	check "$name: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "$name: the gateway holds no IKE SA" ir_wait 50 0.1 no_sa
}

# refused NAME STATUS TEXT ARGS...: exit STATUS with a line with TEXT.
refused() {
	local name=$1 want=$2 text=$3 rc line
	shift 3
	run "$name" "$@"
	finished 60
	rc=$?
	check "$name: exit status $want (got $rc)" test "$rc" = "$want"
	line=$(grep -m1 "\(ikeroam\|error\): " "$LOG" | cut -c1-200)
	if printf '%s' "$line" | grep -q -- "$text"; then
		ok "$name: says '$line'"
	else
		bad "$name: no line with '$text' (see $LOG)"
		tail -3 "$LOG" | sed 's/^/    /'
	fi
	"$GWSH" terminate >/dev/null 2>&1 || true
}

# client_cert NAME EMAIL [CA [rsa]]: an ECDSA (or RSA-3072) client
# certificate for EMAIL from the test CA (or from CA, a directory with
# ca.crt and ca.key).
client_cert() {
	local name=$1 email=$2 ca=${3:-$IR_STATE/pki} d=$IR_STATE/eap-pki
	mkdir -p "$d"
	chmod 0700 "$d"
	if [ "${4:-}" = rsa ]; then
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 \
		    -out "$d/$name.key" 2>/dev/null
	else
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out "$d/$name.key" 2>/dev/null
	fi
	chmod 0600 "$d/$name.key"
	printf '%s\n' "basicConstraints = critical, CA:FALSE" \
	    "keyUsage = critical, digitalSignature" \
	    "extendedKeyUsage = clientAuth" "subjectAltName = email:$email" \
	    >"$d/$name.ext"
	openssl req -new -key "$d/$name.key" \
	    -subj "/O=ikeroam interop/CN=$email" |
	    openssl x509 -req -CA "$ca/ca.crt" -CAkey "$ca/ca.key" \
	    -set_serial "0x$(openssl rand -hex 8)" -days 2 -sha256 \
	    -extfile "$d/$name.ext" -out "$d/$name.crt" 2>/dev/null ||
	    ir_die "cannot issue $name"
}

# A CA the gateway does not know, for the refused client certificate.
other_ca() {
	local d=$IR_STATE/eap-pki/other
	mkdir -p "$d"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$d/ca.key" 2>/dev/null
	openssl req -x509 -new -key "$d/ca.key" -sha256 -days 2 \
	    -subj "/O=elsewhere/CN=not the interop CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign" -out "$d/ca.crt" 2>/dev/null
}

# ---- the run ---------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
P=$IR_STATE/eap-pki
client_cert tls tls@vpn.test
client_cert tls-rsa tls@vpn.test "$IR_STATE/pki" rsa
client_cert tlsonly tlsonly@vpn.test
other_ca
client_cert stranger tls@vpn.test "$P/other"

TLS=(--id tls@vpn.test --eap tls --cert "$P/tls.crt" --key "$P/tls.key"
    --remote-id "$IR_GW_ID")
up eap-tls-1.2 "TLS 1.2 handshake done" "${TLS[@]}"
# RSA-3072 on both sides: each flight spans several EAP-TLS fragments,
# the gateway's (ACKed by us) and ours (ACKed by the gateway).
GW_CERT=rsa "$GWSH" reload >/dev/null 2>&1 || ir_die "reload (rsa) failed"
up eap-tls-1.2-fragments "fragment 2 of the gateway's flight" \
    --id tls@vpn.test --eap tls --cert "$P/tls-rsa.crt" \
    --key "$P/tls-rsa.key" --remote-id "$IR_GW_ID"
check "eap-tls-1.2-fragments: our flight went in fragments" \
    grep -q "our flight of [0-9]* octets, fragment up to" "$LOG"
TLS_VERSION_MAX=1.3 "$GWSH" reload >/dev/null 2>&1 ||
    ir_die "reload (TLS 1.3) failed"
up eap-tls-1.3 "TLS 1.3 handshake done" "${TLS[@]}"
up eaponly-tls "proved itself through EAP-TLS" --id tlsonly@vpn.test \
    --eap tls --eap-only --cert "$P/tlsonly.crt" --key "$P/tlsonly.key" \
    --remote-id "$IR_GW_ID"
"$GWSH" reload >/dev/null 2>&1 || ir_die "reload (TLS 1.2) failed"
up eaponly-mschapv2 "proved itself through EAP-MSCHAPv2" \
    --id mschaponly@vpn.test --eap-user "$IR_EAP_USER" --eap-only \
    --password-file "$IR_EAP_PASSWORD_FILE" --remote-id "$IR_GW_ID"
up eap-gtc "EAP-GTC: the gateway asks" --id gtc@vpn.test --eap gtc \
    --eap-user "$IR_EAP_USER" --password-file "$IR_EAP_PASSWORD_FILE" \
    --remote-id "$IR_GW_ID"

refused eap-tls-unknown-ca 3 "refused our certificate\|rejected our EAP-TLS" \
    --id tls@vpn.test --eap tls --cert "$P/stranger.crt" \
    --key "$P/stranger.key" --remote-id "$IR_GW_ID"
refused eap-nak 3 "after we refused its EAP-GTC" --id gtc@vpn.test \
    --eap tls --cert "$P/tls.crt" --key "$P/tls.key" --remote-id "$IR_GW_ID"
refused eaponly-wrong-name 6 "identity\|certificate" --id tlsonly@vpn.test \
    --eap tls --eap-only --cert "$P/tlsonly.crt" --key "$P/tlsonly.key" \
    --remote-id wrong.test
refused eaponly-gtc 2 "does not" --id gtc@vpn.test --eap gtc --eap-only \
    --eap-user "$IR_EAP_USER" --password-file "$IR_EAP_PASSWORD_FILE"

echo "interop (EAP): $(( ($(ir_now_ms) - t_start) / 1000 )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
