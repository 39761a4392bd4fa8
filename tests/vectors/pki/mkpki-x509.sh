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
#   gw-rev          an OCSP responder (authorityInfoAccess) and a CRL
#                   distribution point, for crypto_rev_uris()
#   rev/            OCSP requests and responses (openssl ocsp, signed by
#                   root-ca, valid until 2056) for gw-rsa2048 (good) and
#                   gw-eku-client (revoked, keyCompromise), and a CRL of
#                   root-ca revoking gw-eku-client; gw-rsa2048-forged.ocsp
#                   says gw-rsa2048 is revoked but other-ca signed it
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
[ v3_rev ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:rev.vpn.test
authorityInfoAccess = OCSP;URI:http://192.0.2.1:8880, OCSP;URI:ldap://192.0.2.1/x
crlDistributionPoints = URI:http://192.0.2.1:8881/root.crl
CNF
: >"$TMP/index.txt"
echo 2000 >"$TMP/serial"

leaf() {	# leaf NAME SUBJECT SAN EKU [EXTENSIONS]
	SAN=$3 EKU=$4
	export SAN EKU
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1.key" 2>/dev/null
	openssl req -new -config "$TMP/ca.cnf" -key "$1.key" -utf8 \
	    -subj "$2" -out "$TMP/$1.csr"
	openssl ca -batch -config "$TMP/ca.cnf" -notext -utf8 \
	    -startdate $START -enddate $END -extensions "${5:-v3_leaf}" \
	    -cert root-ca.crt -keyfile root-ca.key \
	    -in "$TMP/$1.csr" -out "$1.crt" 2>/dev/null
	chmod 644 "$1.crt" "$1.key"
}

O="/C=XX/O=ikeroam tests"
leaf gw-eku-client "$O/CN=eku.vpn.test" DNS:eku.vpn.test clientAuth
leaf gw-eku-ike "$O/CN=ike.vpn.test" DNS:ike.vpn.test 1.3.6.1.5.5.7.3.17
leaf gw-wild "$O/OU=Gateways/CN=*.wild.vpn.test" DNS:*.wild.vpn.test \
    "serverAuth, 1.3.6.1.5.5.8.2.2"
leaf gw-rev "$O/CN=rev.vpn.test" DNS:rev.vpn.test serverAuth v3_rev

# Revocation answers.  The CA database says gw-eku-client is revoked.
rm -rf rev
mkdir rev
idx() {	# idx CERT V|R
	serial=$(openssl x509 -in "$1" -noout -serial | cut -d= -f2)
	subject=$(openssl x509 -in "$1" -noout -subject -nameopt compat |
	    sed 's/^subject=//')
	if [ "$2" = R ]; then
		printf 'R\t560101000000Z\t261201000000Z,keyCompromise\t%s\tunknown\t%s\n' \
		    "$serial" "$subject"
	else
		printf 'V\t560101000000Z\t\t%s\tunknown\t%s\n' "$serial" "$subject"
	fi
}
{ idx gw-rsa2048.crt V; idx gw-eku-client.crt R; } >"$TMP/rev.txt"
for c in gw-rsa2048 gw-eku-client; do
	openssl ocsp -issuer root-ca.crt -cert $c.crt -no_nonce \
	    -reqout rev/$c.ocsp-req 2>/dev/null
	openssl ocsp -index "$TMP/rev.txt" -rsigner root-ca.crt \
	    -rkey root-ca.key -CA root-ca.crt -reqin rev/$c.ocsp-req \
	    -ndays 10950 -respout rev/$c.ocsp 2>/dev/null
done
# A forgery: gw-rsa2048 "revoked", signed by other-ca (nobody trusts
# it), as a gateway might send it in a CERT of encoding 14 (RFC 4806).
{ idx gw-rsa2048.crt R; } >"$TMP/forged.txt"
openssl ocsp -index "$TMP/forged.txt" -rsigner other-ca.crt \
    -rkey other-ca.key -CA root-ca.crt -reqin rev/gw-rsa2048.ocsp-req \
    -ndays 10950 -respout rev/gw-rsa2048-forged.ocsp 2>/dev/null
cat >"$TMP/crl.cnf" <<CNF
[ ca ]
default_ca = crl
[ crl ]
database = $TMP/rev.txt
crlnumber = $TMP/crlnumber
default_md = sha256
CNF
echo 1000 >"$TMP/crlnumber"
openssl ca -gencrl -config "$TMP/crl.cnf" -keyfile root-ca.key \
    -cert root-ca.crt -crldays 10950 -out "$TMP/root.pem" 2>/dev/null
openssl crl -in "$TMP/root.pem" -outform DER -out rev/root-ca.crl
chmod 755 rev
chmod 644 rev/*
