#!/bin/bash
# tests/vectors/tools/mkvec_eaptls.sh: re-make tests/vectors/strongswan-
# eaptls-udp/ (README.md there): ikeroam (--eap tls, RSA-3072 client
# certificate, so our flight goes in EAP-TLS fragments) against the
# interop strongSwan 5.9.8 gateway (tests/interop/strongswan/gateway.sh,
# connection eap-tls, EAP-TLS fragments of at most 400 octets, so its
# flights come in fragments too), once with TLS 1.2 and once with 1.3.
#
# For each run: a pcap of the client's link, the gateway's charon log at
# level 4 (IKE keys SK_*, SK plaintexts, strongSwan's own MSK in its AUTH
# computation), ikeroam's -vv log, and the TLS secrets of ikeroam's side
# from tests/vectors/tools/keylog_preload.c (an LD_PRELOAD shim built here,
# never part of ikeroam).  mkvec_eaptls.py then writes the vector files.
#
# Usage (root, after make): tests/vectors/tools/mkvec_eaptls.sh [OUTDIR]
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default eapv).
# Test keys and certificates only (a fresh interop PKI); RFC 5737
# addresses only (the interop topology).
set -eu -o pipefail
export IR_PREFIX=${IR_PREFIX:-eapv}
IR_TAG=mkvec-eaptls
TOOLS=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$TOOLS/../../.." && pwd)
# shellcheck source=tests/interop/lib.sh
. "$TOP/tests/interop/lib.sh"
ir_need_root
ir_need_cmds swanctl openssl tcpdump python3 cc
IKEROAM=$(readlink -f "${IKEROAM:-$TOP/build/ikeroam}")
GWSH=$TOP/tests/interop/strongswan/gateway.sh
OUT=$(readlink -f "${1:-$TOP/tests/vectors/strongswan-eaptls-udp}")
RAW=$IR_STATE/mkvec
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"

JOB='' PID='' DUMP=''
cleanup() {
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	[ -n "$DUMP" ] && kill "$DUMP" 2>/dev/null
	"$GWSH" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$RAW"
mkdir -p "$RAW"
chmod 0700 "$RAW"
cc -O1 -shared -fPIC -o "$RAW/keylog.so" "$TOOLS/keylog_preload.c" \
    -ldl -lssl || ir_die "cannot build the key log shim"

# client_cert: RSA-3072, tls@vpn.test, from the interop CA.
client_cert() {
	local d=$RAW/pki
	mkdir -p "$d"
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 \
	    -out "$d/tls.key" 2>/dev/null
	printf '%s\n' "basicConstraints = critical, CA:FALSE" \
	    "keyUsage = critical, digitalSignature" \
	    "extendedKeyUsage = clientAuth" \
	    "subjectAltName = email:tls@vpn.test" >"$d/tls.ext"
	openssl req -new -key "$d/tls.key" \
	    -subj "/O=ikeroam interop/CN=tls@vpn.test" |
	    openssl x509 -req -CA "$IR_STATE/pki/ca.crt" \
	    -CAkey "$IR_STATE/pki/ca.key" -set_serial 0x1d2c3b4a59687706 \
	    -days 2 -sha256 -extfile "$d/tls.ext" -out "$d/tls.crt" \
	    2>/dev/null || ir_die "cannot issue the client certificate"
}

# one VERSION NAME: one exchange with the gateway's TLS up to VERSION.
one() {
	local ver=$1 name=$2 d=$RAW/$2 i
	mkdir -p "$d"
	"$GWSH" stop >/dev/null 2>&1 || true
	IR_GW_DEBUG=4 TLS_VERSION_MAX=$ver MOBIKE=no \
	    EAP_TLS_FRAGMENT_SIZE=400 \
	    IKE_PROPOSALS=aes128gcm16-prfsha256-x25519 \
	    ESP_PROPOSALS=aes128gcm16 "$GWSH" start >/dev/null ||
	    ir_die "gateway did not start"
	eval "$("$GWSH" env)"
	[ -s "$RAW/pki/tls.crt" ] || client_cert
	ip netns exec "$IR_NS_CLI" tcpdump -i eth0 -s 0 -U -n \
	    -w "$d/capture.pcap" udp 2>"$d/tcpdump.err" &
	DUMP=$!
	ir_wait 50 0.1 grep -q "listening on" "$d/tcpdump.err" ||
	    ir_die "tcpdump did not start"
	: >"$d/keylog.txt"
	ir_cli_run env LD_PRELOAD="$RAW/keylog.so" \
	    IR_TEST_KEYLOG="$d/keylog.txt" "$IKEROAM" connect \
	    --gateway "$IR_GW" --script none -vv --ca "$IR_CA" \
	    --id tls@vpn.test --eap tls --cert "$RAW/pki/tls.crt" \
	    --key "$RAW/pki/tls.key" --remote-id "$IR_GW_ID" \
	    >"$d/ikeroam.log" 2>&1 </dev/null &
	JOB=$!
	PID=$(ir_find_comm "$JOB" ikeroam)
	if ! ir_wait 300 0.1 grep -q "tunnel up" "$d/ikeroam.log"; then
		tail -5 "$d/ikeroam.log" >&2
		ir_die "TLS $ver: no tunnel"
	fi
	ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 10 || ir_log "TLS $ver: no ping"
	kill -INT "$PID"
	ir_client_wait "$JOB" "$PID" 10 || ir_die "ikeroam did not end"
	JOB='' PID=''
	sleep 0.5
	kill "$DUMP"
	wait "$DUMP" 2>/dev/null || true
	DUMP=''
	cp "$IR_GW_LOG" "$d/charon.log"
	"$GWSH" stop >/dev/null 2>&1 || true
	python3 "$TOOLS/mkvec_eaptls.py" --pcap "$d/capture.pcap" \
	    --rlog "$d/charon.log" --keylog "$d/keylog.txt" \
	    --ilog "$d/ikeroam.log" --tls "$ver" \
	    --out "$OUT/$name" || ir_die "mkvec_eaptls.py failed ($name)"
	cp "$d/keylog.txt" "$OUT/$name/keylog.txt"
	cp "$d/capture.pcap" "$OUT/$name/capture.pcap"
	gzip -9n <"$d/ikeroam.log" >"$OUT/$name/ikeroam.log.gz"
}

mkdir -p "$OUT"
one 1.2 tls12-aesgcm128-prfsha256-x25519
one 1.3 tls13-aesgcm128-prfsha256-x25519
ir_log "done: $OUT"
