#!/bin/bash
# tests/interop/pki.sh: the test PKI and shared secrets, made at run time
# with openssl into $IR_STATE (nothing secret is kept in the source tree).
#
#   pki/ca.crt, ca.key            ECDSA P-256 root CA "ikeroam interop CA"
#   pki/gw-ecdsa.crt, .key        ECDSA P-256, CN and SAN dNSName vpn.test
#   pki/gw-rsa.crt, .key          RSA-3072,    CN and SAN dNSName vpn.test
#   pki/gw-wrong.crt, .key        ECDSA P-256, CN and SAN wrong.test (same CA):
#                                 a gateway presenting the wrong name
#   pki/client-ecdsa.crt, .key    ECDSA P-256, SAN rfc822Name client@vpn.test
#   pki/client-rsa.crt, .key      RSA-3072,    SAN rfc822Name client-rsa@vpn.test
#   pki/client-ecdsa.p12          the ECDSA client as PKCS#12 (for charon-cmd),
#                                 password in pki/client-ecdsa.p12.pass
#
# and, mode 0600 in the 0700 directory secrets/, what a client needs:
#   secrets/psk                   PSK as one line of text ("psk-" and hex digits)
#   secrets/eap-password          EAP-MSCHAPv2 password of $IR_EAP_USER, one line
#   secrets/ca.crt                copy of the CA certificate (PEM)
#   secrets/client.crt, .key      client certificate and PKCS#8 key (ECDSA)
#   secrets/client-rsa.crt, .key  the same for RSA-3072
#
# Keys are PKCS#8 PEM. Certificates are valid for 30 days from creation.
# Idempotent: an existing PKI in $IR_STATE is kept unless --force is given.
# Environment: IR_PREFIX, IR_STATE, IR_PSK and IR_EAP_PASSWORD (default:
# random).
set -eu -o pipefail
IR_TAG=pki
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

PKI=$IR_STATE/pki
SECRETS=$IR_STATE/secrets
DAYS=30

# ext FILE KIND SAN: write an X.509v3 extension section for openssl x509.
ext() {
	local eku
	case $2 in
	server) eku="serverAuth, 1.3.6.1.5.5.8.2.2" ;; # id-kp-ipsecIKE
	client) eku="clientAuth" ;;
	esac
	cat >"$1" <<-EOF
	basicConstraints = critical, CA:FALSE
	keyUsage = critical, digitalSignature
	extendedKeyUsage = $eku
	subjectAltName = $3
	subjectKeyIdentifier = hash
	authorityKeyIdentifier = keyid
	EOF
}

genkey() {
	case $2 in
	ecdsa) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1" 2>/dev/null ;;
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 \
	    -out "$1" 2>/dev/null ;;
	esac
	chmod 0600 "$1"
}

# issue NAME KEYTYPE KIND CN SAN: key and CA-signed certificate.
issue() {
	local name=$1 type=$2 kind=$3 cn=$4 san=$5
	genkey "$PKI/$name.key" "$type"
	ext "$PKI/$name.ext" "$kind" "$san"
	openssl req -new -key "$PKI/$name.key" -subj "/O=ikeroam interop/CN=$cn" |
	    openssl x509 -req -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
	    -set_serial "0x$(openssl rand -hex 8)" -days "$DAYS" -sha256 \
	    -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
	rm -f "$PKI/$name.ext"
}

put_secret() {
	install -m 0600 "$1" "$SECRETS/$2"
}

make_pki() {
	rm -rf "$PKI" "$SECRETS"
	mkdir -p "$PKI" "$SECRETS"
	chmod 0700 "$IR_STATE" "$PKI" "$SECRETS"

	genkey "$PKI/ca.key" ecdsa
	openssl req -x509 -new -key "$PKI/ca.key" -sha256 -days "$DAYS" \
	    -subj "/O=ikeroam interop/CN=ikeroam interop CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    -out "$PKI/ca.crt" 2>/dev/null

	issue gw-ecdsa ecdsa server "$IR_GW_ID" "DNS:$IR_GW_ID"
	issue gw-rsa rsa server "$IR_GW_ID" "DNS:$IR_GW_ID"
	issue gw-wrong ecdsa server wrong.test "DNS:wrong.test"
	issue client-ecdsa ecdsa client client@vpn.test "email:client@vpn.test"
	issue client-rsa rsa client client-rsa@vpn.test \
	    "email:client-rsa@vpn.test"
	# charon-cmd takes an ECDSA key only inside PKCS#12; strongSwan fails
	# the MAC check of OpenSSL 3's password-less containers, so it gets
	# a password, which charon-cmd reads from stdin.
	(umask 077 && echo "p12-$(openssl rand -hex 6)" \
	    >"$PKI/client-ecdsa.p12.pass")
	openssl pkcs12 -export -passout "file:$PKI/client-ecdsa.p12.pass" \
	    -inkey "$PKI/client-ecdsa.key" -in "$PKI/client-ecdsa.crt" \
	    -certfile "$PKI/ca.crt" -out "$PKI/client-ecdsa.p12"
	chmod 0600 "$PKI/client-ecdsa.p12"

	(
		umask 077
		# Letters and digits only, and never a "0x"/"0s" start,
		# which strongSwan would read as hex or base64.
		printf '%s\n' "${IR_PSK:-psk-$(openssl rand -hex 16)}" \
		    >"$SECRETS/psk"
		printf '%s\n' "${IR_EAP_PASSWORD:-eap-$(openssl rand -hex 8)}" \
		    >"$SECRETS/eap-password"
	)
	put_secret "$PKI/ca.crt" ca.crt
	put_secret "$PKI/client-ecdsa.crt" client.crt
	put_secret "$PKI/client-ecdsa.key" client.key
	put_secret "$PKI/client-rsa.crt" client-rsa.crt
	put_secret "$PKI/client-rsa.key" client-rsa.key
	touch "$PKI/done"
}

ir_need_cmds openssl install
if [ "${1:-}" = --force ] || [ ! -e "$PKI/done" ]; then
	mkdir -p "$IR_STATE"
	make_pki
	ir_log "PKI and secrets made in $IR_STATE"
fi
