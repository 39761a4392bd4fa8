#!/bin/sh
# tests/vectors/pki/mkpki.sh: build the test PKI of ikeroam's crypto tests
# with the openssl command line.  Every key and passphrase made here is a
# TEST SECRET, committed on purpose (see README.md); never use them for
# anything else.
#
# Run it from anywhere: it writes into the directory it lives in, replacing
# what is there.  Validity is fixed (2026-01-01 .. 2056-01-01 UTC), so the
# tests do not depend on the day they run; only the keys and signatures
# change from one run to the next.
#
#   root-ca        RSA-3072, self-signed          "ikeroam Test Root CA"
#   sub-ca         ECDSA P-256, issued by root-ca "ikeroam Test Sub CA"
#   other-ca       ECDSA P-256, self-signed       (a CA nobody trusts)
#   gw-rsa2048     gateway, issued by root-ca
#   gw-ecdsa-p256  gateway, issued by sub-ca
#   gw-ed25519     gateway, issued by root-ca
#   client-rsa3072, client-ecdsa-p256 (sub-ca), client-ecdsa-p384,
#   client-ecdsa-p521, client-ed25519   clients
#   other-leaf     gateway name, issued by other-ca (wrong CA)
#   selfsigned     a self-signed leaf (CA:FALSE)
# Addresses are RFC 5737 (IPv4) and RFC 3849 (IPv6) documentation ranges;
# names are under vpn.test and harness.test (RFC 2606 .test).
set -eu

PASS=ikeroam-test-passphrase
START=20260101000000Z
END=20560101000000Z

cd "$(dirname "$0")"
OUT=$(pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
umask 077

rm -f ./*.crt ./*.key ./*.der ./*.pem ./*.p12 ./*.sha1
rm -rf cadir

# One minimal "openssl ca" configuration; every signing call names its
# own extension section, so each certificate gets exactly what it needs.
cat >"$TMP/ca.cnf" <<EOF
[ ca ]
default_ca = testca
[ testca ]
dir = $TMP
database = $TMP/index.txt
new_certs_dir = $TMP/new
serial = $TMP/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
countryName = optional
organizationName = optional
commonName = supplied
emailAddress = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_sub ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = \${ENV::SAN}
[ v3_self ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
subjectAltName = \${ENV::SAN}
EOF
mkdir "$TMP/new"
: >"$TMP/index.txt"
echo 1000 >"$TMP/serial"
export SAN=DNS:unused

genkey() {	# genkey NAME TYPE
	case $2 in
	rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 ;;
	rsa3072) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 ;;
	p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 ;;
	p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 ;;
	p521) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 ;;
	ed25519) openssl genpkey -algorithm ED25519 ;;
	esac >"$OUT/$1.key" 2>/dev/null
}

# sign NAME ISSUER SUBJECT EXT [SAN]: a CSR from NAME.key, signed by
# ISSUER (or self-signed when ISSUER is "self").  Ed25519 needs no digest.
sign() {
	SAN=${5:-DNS:unused}
	export SAN
	openssl req -new -config "$TMP/ca.cnf" -key "$OUT/$1.key" \
	    -subj "$3" -out "$TMP/$1.csr"
	if [ "$2" = self ]; then
		set -- "$@" -selfsign -keyfile "$OUT/$1.key"
	else
		set -- "$@" -cert "$OUT/$2.crt" -keyfile "$OUT/$2.key"
	fi
	name=$1 ext=$4
	shift 5
	openssl ca -batch -config "$TMP/ca.cnf" -notext \
	    -startdate $START -enddate $END -extensions "$ext" \
	    -in "$TMP/$name.csr" -out "$OUT/$name.crt" "$@" 2>/dev/null
}

O="/C=XX/O=ikeroam tests"

genkey root-ca rsa3072
sign root-ca self "$O/CN=ikeroam Test Root CA" v3_root ""
genkey sub-ca p256
sign sub-ca root-ca "$O/CN=ikeroam Test Sub CA" v3_sub ""
genkey other-ca p256
sign other-ca self "$O/CN=ikeroam Untrusted CA" v3_root ""

genkey gw-rsa2048 rsa2048
sign gw-rsa2048 root-ca "$O/CN=gw.vpn.test" v3_leaf \
    "DNS:gw.vpn.test,DNS:vpn.test,IP:198.51.100.10,IP:2001:db8::10,email:gw-admin@vpn.test"
genkey gw-ecdsa-p256 p256
sign gw-ecdsa-p256 sub-ca "$O/CN=gw.harness.test" v3_leaf \
    "DNS:gw.harness.test,IP:192.0.2.1"
genkey gw-ed25519 ed25519
sign gw-ed25519 root-ca "$O/CN=ed.vpn.test" v3_leaf \
    "DNS:ed.vpn.test,IP:203.0.113.1"

genkey client-rsa3072 rsa3072
sign client-rsa3072 root-ca "$O/CN=alice" v3_leaf \
    "email:alice@vpn.test,DNS:alice.harness.test"
genkey client-ecdsa-p256 p256
sign client-ecdsa-p256 sub-ca "$O/CN=bob" v3_leaf \
    "email:bob@harness.test,IP:192.0.2.2,IP:2001:db8::2"
genkey client-ecdsa-p384 p384
sign client-ecdsa-p384 root-ca "$O/CN=dave" v3_leaf "email:dave@vpn.test"
genkey client-ecdsa-p521 p521
sign client-ecdsa-p521 root-ca "$O/CN=erin" v3_leaf "email:erin@vpn.test"
genkey client-ed25519 ed25519
sign client-ed25519 root-ca "$O/CN=carol" v3_leaf "email:carol@vpn.test"

genkey other-leaf p256
sign other-leaf other-ca "$O/CN=gw.vpn.test" v3_leaf "DNS:gw.vpn.test"
genkey selfsigned p256
sign selfsigned self "$O/CN=self.vpn.test" v3_self "DNS:self.vpn.test"

# Other encodings of the client keys, for the loaders.
openssl pkey -in client-rsa3072.key -aes-256-cbc -passout "pass:$PASS" \
    -out client-rsa3072.enc.pem
openssl pkey -in client-ecdsa-p256.key -traditional -aes-256-cbc \
    -passout "pass:$PASS" -out client-ecdsa-p256.enc-trad.pem
openssl pkey -in client-ecdsa-p256.key -outform DER -out client-ecdsa-p256.key.der
openssl pkcs12 -export -inkey client-rsa3072.key -in client-rsa3072.crt \
    -certfile root-ca.crt -name alice -passout "pass:$PASS" \
    -out client-rsa3072.p12

# CA sets: a bundle file (root + sub) and a directory (root only).
cat root-ca.crt sub-ca.crt >ca-bundle.pem
mkdir cadir
cp root-ca.crt cadir/root-ca.pem
openssl x509 -in sub-ca.crt -outform DER -out cadir/sub-ca.der
openssl x509 -in gw-rsa2048.crt -outform DER -out gw-rsa2048.der

# RFC 7296 §3.7: the CERTREQ hash is SHA-1 over the CA's whole
# SubjectPublicKeyInfo; computed here by openssl for the tests to compare.
for ca in root-ca sub-ca; do
	openssl x509 -in $ca.crt -pubkey -noout |
	    openssl pkey -pubin -outform DER |
	    openssl dgst -sha1 -r | cut -d' ' -f1 >$ca.spki.sha1
done

sh ./mkpki-x509.sh

chmod 644 ./*.crt ./*.key ./*.der ./*.pem ./*.p12 ./*.sha1 cadir/*
chmod 755 cadir
echo "test PKI written to $OUT"
