#!/bin/sh
# tests/vectors/pki/mkpki-x509.sh: certificates for the identity and
# purpose checks, issued by the root-ca of mkpki.sh (which runs this at
# its end; run it alone to remake only these).  TEST SECRETS, as in
# README.md.
#
#   gw-eku-client   gateway name, extendedKeyUsage clientAuth only: not a
#                   server certificate
#   gw-eku-ike      extendedKeyUsage id-kp-ipsecIKE (RFC 4945 §5.1.3.12)
#   gw-wild         SAN DNS *.wild.vpn.test, subject with an OU and a
#                   UTF8String CN (DN and wildcard matching)
set -eu

START=20260101000000Z
END=20560101000000Z

cd "$(dirname "$0")"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
umask 077

cat >"$TMP/ca.cnf" <<CNF
[ ca ]
default_ca = testca
[ testca ]
database = $TMP/index.txt
new_certs_dir = $TMP
serial = $TMP/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
preserve = yes
[ anything ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = \${ENV::SAN}
extendedKeyUsage = \${ENV::EKU}
CNF
: >"$TMP/index.txt"
echo 2000 >"$TMP/serial"

leaf() {	# leaf NAME SUBJECT SAN EKU
	SAN=$3 EKU=$4
	export SAN EKU
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1.key" 2>/dev/null
	openssl req -new -config "$TMP/ca.cnf" -key "$1.key" -utf8 \
	    -subj "$2" -out "$TMP/$1.csr"
	openssl ca -batch -config "$TMP/ca.cnf" -notext -utf8 \
	    -startdate $START -enddate $END -extensions v3_leaf \
	    -cert root-ca.crt -keyfile root-ca.key \
	    -in "$TMP/$1.csr" -out "$1.crt" 2>/dev/null
	chmod 644 "$1.crt" "$1.key"
}

O="/C=XX/O=ikeroam tests"
leaf gw-eku-client "$O/CN=eku.vpn.test" DNS:eku.vpn.test clientAuth
leaf gw-eku-ike "$O/CN=ike.vpn.test" DNS:ike.vpn.test 1.3.6.1.5.5.7.3.17
leaf gw-wild "$O/OU=Gateways/CN=*.wild.vpn.test" DNS:*.wild.vpn.test \
    "serverAuth, 1.3.6.1.5.5.8.2.2"
