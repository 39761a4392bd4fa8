#!/bin/sh
# Regenerate the keys, certificates and signed profiles that
# tests/src/check_import.c and tests/src/import-cli.sh read.  Run from
# anywhere; writes into this directory.  Everything here is test-only:
# the keys are public and sign nothing else.  Certificates are valid
# for 100 years so the tests never expire.
set -eu
cd "$(dirname "$0")"
days=36500
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# A CA, a client certificate (alice), a profile signer and an HTTPS
# server certificate for 192.0.2.1 (RFC 5737), all from that CA.
ec ca.key
openssl req -x509 -new -key ca.key -days $days -subj "/O=ikeroam tests/CN=import test CA" \
	-addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign -out ca.pem
ca_sign() {	# ca_sign KEY SUBJECT EXT OUT [CA CAKEY]
	openssl req -new -key "$1" -subj "$2" -out "$tmp/req.csr"
	printf '%s\n' "$3" >"$tmp/ext"
	openssl x509 -req -in "$tmp/req.csr" -CA "${5:-ca.pem}" -CAkey "${6:-ca.key}" \
		-CAcreateserial -days $days -extfile "$tmp/ext" -out "$4" 2>/dev/null
}
ec "$tmp/alice.key"
ca_sign "$tmp/alice.key" "/O=ikeroam tests/CN=alice" "subjectAltName=email:alice@example.com" "$tmp/alice.pem"
openssl pkcs12 -export -inkey "$tmp/alice.key" -in "$tmp/alice.pem" -certfile ca.pem \
	-name alice -passout pass:test-p12 -out alice.p12
openssl pkcs12 -export -inkey "$tmp/alice.key" -in "$tmp/alice.pem" -name alice \
	-passout pass: -out alice-nopass.p12
ec signer.key
ca_sign signer.key "/O=ikeroam tests/CN=profiles.example.com" \
	"subjectAltName=DNS:profiles.example.com" signer.pem
ec https.key
ca_sign https.key "/O=ikeroam tests/CN=192.0.2.1" "subjectAltName=IP:192.0.2.1" https.pem

# Another CA and a signer of its own: a signature nobody here trusts.
ec "$tmp/other-ca.key"
openssl req -x509 -new -key "$tmp/other-ca.key" -days $days -subj "/O=elsewhere/CN=other CA" \
	-addext basicConstraints=critical,CA:true -out "$tmp/other-ca.pem"
ec "$tmp/other-signer.key"
ca_sign "$tmp/other-signer.key" "/O=elsewhere/CN=other signer" "subjectAltName=DNS:other.example" \
	other-signer.pem "$tmp/other-ca.pem" "$tmp/other-ca.key"

# The profiles that carry the certificates (written from templates).
b64() { base64 -w0 "$1"; }
cadr=$(openssl x509 -in ca.pem -outform DER | base64 -w0)
sed -e "s|@CA_DER@|$cadr|" -e "s|@P12@|$(b64 alice.p12)|" cert.sswan.in >cert.sswan
sed -e "s|@CA_DER@|$cadr|" eap.sswan.in >eap.sswan
sed -e "s|@CA_DER@|$cadr|" -e "s|@P12@|$(b64 alice.p12)|" cert.mobileconfig.in >cert.mobileconfig
sed -e "s|@CA_DER@|$cadr|" eap.mobileconfig.in >eap.mobileconfig

# Signed profiles (CMS SignedData, DER), as Apple's tools make them.
openssl cms -sign -binary -nodetach -outform DER -in cert.mobileconfig \
	-signer signer.pem -inkey signer.key -certfile ca.pem -out signed.mobileconfig
openssl cms -sign -binary -nodetach -outform DER -in eap.mobileconfig \
	-signer other-signer.pem -inkey "$tmp/other-signer.key" -out signed-other.mobileconfig
rm -f ca.srl
echo "mk-test-files: done"
