#!/bin/bash
# tests/interop/client-x509.sh: ikeroam's X.509 features (issue 11, items
# 4-8) against one strongSwan 5.9.8 gateway in network namespaces:
#
#   system trust  no --ca: the gateway's certificate (SAN IP 198.51.100.10)
#                 verified against a temporary "system" store that
#                 SSL_CERT_FILE / SSL_CERT_DIR point at (never the host's
#                 /etc/ssl), with --gateway as the identity; a store
#                 without the gateway's CA is refused (exit 6)
#   DN identities --id "C=XX, O=ikeroam interop, CN=dn-client" (the
#                 gateway's conn names that DN), --remote-id as a DN
#                 with and without wildcards; a wrong DN exits 6
#   chains        our intermediate in the --cert file and in --cert-chain
#                 (the gateway trusts only the root), the gateway's
#                 intermediate in its CERT payloads (we trust only the
#                 root); without ours the gateway refuses us (exit 3)
#   revocation    gateway certificates naming an OCSP responder (openssl
#                 ocsp on the middlebox) or a CRL (python3 http.server
#                 there): good (up, cached with privilege separation),
#                 revoked by OCSP and by CRL (exit 6), the responder down
#                 (ifuri: up; strict: exit 6), --revocation off; an
#                 intermediate CA revoked on the root's CRL (exit 6) and
#                 one good by OCSP
#   key usage     a gateway certificate from our own --ca whose extended
#                 key usage says TLS client only (exit 6, RFC 4945
#                 5.1.3.12)
#   hash and URL  the gateway's certificate as SHA-1 + URL (charon's
#                 hash_and_url, an authority's cert_uri_base), fetched
#                 from python3 http.server on the middlebox; a certificate
#                 that does not match the hash, the server down (exit 6)
#
# The extra PKI is made at run time under $IR_STATE/x509 from the
# harness's CA (pki.sh); the gateway gets extra connections from
# $GW/swanctl/x509.conf, which includes the harness's swanctl.conf.
# Prints PASS/FAIL per check, ends with "N passed, N failed".
#
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default irx5).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-irx5}
IR_TAG=client-x509
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=${IKEROAM:-$TOP/build/ikeroam}
IKEROAM=$(readlink -f "$IKEROAM")
GWSH=$IR_HERE/strongswan/gateway.sh
X5=$IR_STATE/x509
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
ir_need_cmds charon-cmd swanctl openssl python3 curl

pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
LOG=

cleanup() {
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	ir_stop x5-ocsp
	ir_stop x5-crl
	ir_stop x5-hu
	"$GWSH" stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

client_alive() { [ -n "$CLIENT_PID" ] && kill -0 "$CLIENT_PID" 2>/dev/null; }
tunnel_up() { grep -q "tunnel up" "$LOG"; }
up_or_dead() { tunnel_up || ! client_alive; }
# No more IKE SAs than before the case: a case that failed in IKE_AUTH
# leaves a half-open SA on the gateway until its retransmissions end.
SAS_BEFORE=0
sas_gone() { [ "$("$GWSH" count-sas 2>/dev/null)" -le "$SAS_BEFORE" ]; }

# connect NAME [VAR=VALUE...] -- ARGS...: ikeroam in the client namespace,
# with the given environment (the test's "system" trust store).
connect() {
	local name=$1 envs=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	LOG=$IR_STATE/ikeroam-$name.log
	: >"$LOG"
	ir_cli_run env "${envs[@]}" "$IKEROAM" connect --gateway "$IR_GW" \
	    --script none -v "$@" >>"$LOG" 2>&1 </dev/null &
	CLIENT_PID=$!
	IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
}

wait_exit() {
	local rc
	ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" "$1"
	rc=$?
	CLIENT_PID=
	return $rc
}

stop_client() {
	kill -INT "$IKEROAM_PID" 2>/dev/null
	wait_exit 10
}

# up_case NAME LOGTEXT [VAR=VALUE...] -- ARGS...: the tunnel comes up, a
# ping crosses it, the log has LOGTEXT, SIGINT ends it with status 0.
# UP_CHECK=FUNCTION: FUNCTION NAME runs too while the tunnel is up.
up_case() {
	local name=$1 text=$2 rc t0
	shift 2
	t0=$(ir_now_ms)
	SAS_BEFORE=$("$GWSH" count-sas 2>/dev/null)
	connect "$name" "$@"
	if ! ir_wait 300 0.1 up_or_dead || ! tunnel_up; then
		bad "$name: tunnel up (see $LOG)"
		grep -m3 "error\|ikeroam:" "$LOG" | sed 's/^/    /'
		stop_client
		"$GWSH" terminate >/dev/null 2>&1
		return
	fi
	if ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30; then
		ok "$name: tunnel up, ping $IR_LAN_HOST in $(($(ir_now_ms) - t0)) ms"
	else
		bad "$name: ping $IR_LAN_HOST through the tunnel"
	fi
	[ -n "${UP_CHECK:-}" ] && "$UP_CHECK" "$name"
	if grep -q -- "$text" "$LOG"; then
		ok "$name: log says '$(grep -m1 -o -- "$text.*" "$LOG" | cut -c1-140)'"
	else
		bad "$name: no '$text' in $LOG"
	fi
	stop_client
	rc=$?
	check "$name: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "$name: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
}

# curl_state NAME WANT: whether the network part (which runs the
# revocation check) has libcurl mapped, "loaded" or "not loaded", is WANT.
# libcurl is opened on first use (src/lazylib.c), only for a path whose
# certificates name an OCSP responder or a CRL (ARCHITECTURE.md, Start-up:
# loading it cost ~30 ms before the tunnel came up).
curl_state() {
	local net got="not loaded"
	net=$(pgrep -P "$IKEROAM_PID" -x ikeroam-net 2>/dev/null | head -1)
	if [ -z "$net" ] || [ ! -r "/proc/$net/maps" ]; then
		bad "$1: libcurl $2: ikeroam's network part not found"
		return
	fi
	grep -q 'libcurl' "/proc/$net/maps" && got=loaded
	check "$1: libcurl $2 in the network part (got: $got)" \
	    test "$got" = "$2"
}
curl_not_loaded() { curl_state "$1" "not loaded"; }
curl_loaded() { curl_state "$1" loaded; }

# fail_case NAME STATUS TEXT [VAR=VALUE...] -- ARGS...: ikeroam exits
# STATUS with one line containing TEXT.
fail_case() {
	local name=$1 want=$2 text=$3 rc
	shift 3
	connect "$name" "$@"
	wait_exit 60
	rc=$?
	check "$name: exit status $want (got $rc)" test "$rc" = "$want"
	if grep -q "\(ikeroam\|error\): .*$text" "$LOG"; then
		ok "$name: says '$(grep -m1 "\(ikeroam\|error\): .*$text" \
		    "$LOG" | cut -c1-170)'"
	else
		bad "$name: no line with '$text' (see $LOG)"
		tail -3 "$LOG" | sed 's/^/    /'
	fi
	"$GWSH" terminate >/dev/null 2>&1 || true
}

# ---- the PKI of this suite ------------------------------------------------

# x5_ext FILE SAN EKU [CA]: extensions for openssl x509 -extfile.
x5_ext() {
	if [ "${4:-}" = ca ]; then
		cat >"$1" <<-EOF
		basicConstraints = critical, CA:TRUE, pathlen:0
		keyUsage = critical, keyCertSign, cRLSign
		subjectKeyIdentifier = hash
		authorityKeyIdentifier = keyid
		EOF
		return
	fi
	cat >"$1" <<-EOF
	basicConstraints = critical, CA:FALSE
	keyUsage = critical, digitalSignature
	extendedKeyUsage = $3
	subjectAltName = $2
	subjectKeyIdentifier = hash
	authorityKeyIdentifier = keyid
	EOF
}

# x5_issue NAME ISSUER SUBJECT SAN EKU [ca] [EXTENSION]: P-256 key and
# certificate; EXTENSION is one more line of the extension file.
x5_issue() {
	local name=$1 issuer=$2
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$X5/$name.key" 2>/dev/null
	chmod 600 "$X5/$name.key"
	x5_ext "$X5/$name.ext" "$4" "$5" "${6:-}"
	[ -n "${7:-}" ] && echo "$7" >>"$X5/$name.ext"
	openssl req -new -key "$X5/$name.key" -subj "$3" |
	    openssl x509 -req -CA "$X5/$issuer.crt" -CAkey "$X5/$issuer.key" \
	    -set_serial "0x$(openssl rand -hex 8)" -days 30 -sha256 \
	    -extfile "$X5/$name.ext" -out "$X5/$name.crt" 2>/dev/null ||
	    ir_die "cannot issue $name"
	rm -f "$X5/$name.ext"
}

make_pki() {
	rm -rf "$X5"
	mkdir -p "$X5/trust" "$X5/other"
	chmod 700 "$X5"
	cp "$IR_STATE/pki/ca.crt" "$X5/root.crt"
	install -m 600 "$IR_STATE/pki/ca.key" "$X5/root.key"
	x5_issue sub-gw root "/O=ikeroam interop/CN=x509 gateway sub CA" "" "" ca
	x5_issue sub-cli root "/O=ikeroam interop/CN=x509 client sub CA" "" "" ca
	x5_issue gw-ip root "/O=ikeroam interop/CN=$IR_GW" \
	    "IP:$IR_GW, DNS:vpn.test" "serverAuth, 1.3.6.1.5.5.8.2.2"
	x5_issue gw-chain sub-gw "/O=ikeroam interop/CN=chain.x509.test" \
	    "DNS:chain.x509.test" "serverAuth, 1.3.6.1.5.5.8.2.2"
	x5_issue sys-client root "/O=ikeroam interop/CN=sys" \
	    "email:sys@x509.test" clientAuth
	x5_issue dn-client root "/C=XX/O=ikeroam interop/CN=dn-client" \
	    "email:dn@x509.test" clientAuth
	x5_issue chain-client sub-cli "/O=ikeroam interop/CN=chain" \
	    "email:chain@x509.test" clientAuth
	cat "$X5/chain-client.crt" "$X5/sub-cli.crt" >"$X5/chain-client-full.crt"
	# A "gateway" certificate the CA made for a TLS client.
	x5_issue eku-gw root "/O=ikeroam interop/CN=eku.x509.test" \
	    "DNS:eku.x509.test" clientAuth
	x5_issue eku-client root "/O=ikeroam interop/CN=eku" \
	    "email:eku@x509.test" clientAuth
	# The "system" stores: the harness's root among an unrelated CA
	# (as a distribution's bundle), and one without it.
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$X5/other/ca.key" -subj "/O=Elsewhere/CN=Other Root" \
	    -days 30 -out "$X5/other/ca.crt" 2>/dev/null
	cat "$X5/other/ca.crt" "$X5/root.crt" >"$X5/trust/bundle.pem"
	mkdir -p "$X5/trust/empty-dir"
	make_revocation_pki
}

# Gateway certificates that say where their status is: an OCSP
# responder (openssl ocsp) and a CRL (python3 http.server), both on the
# middlebox, which the client reaches before the tunnel; REV_DEAD has no
# listener.  One client certificate carries the IDi of every rev-* conn.
REV_OCSP=http://$IR_MID_CLI_ADDR:8880
REV_CRL=http://$IR_MID_CLI_ADDR:8881/root.crl
REV_DEAD=http://$IR_MID_CLI_ADDR:8882
rev_gw() {	# rev_gw NAME EXTENSION
	x5_issue "$1" root "/O=ikeroam interop/CN=$1.x509.test" \
	    "DNS:$1.x509.test" "serverAuth, 1.3.6.1.5.5.8.2.2" "" "$2"
}
index_line() {	# index_line CERT V|R: a line of openssl's CA database
	local serial subject
	serial=$(openssl x509 -in "$1" -noout -serial | cut -d= -f2)
	subject=$(openssl x509 -in "$1" -noout -subject -nameopt compat |
	    sed 's/^subject=//')
	if [ "$2" = R ]; then
		printf 'R\t310101000000Z\t%s,keyCompromise\t%s\tunknown\t%s\n' \
		    "$(date -u -d '-1 hour' +%y%m%d%H%M%SZ)" "$serial" "$subject"
	else
		printf 'V\t310101000000Z\t\t%s\tunknown\t%s\n' "$serial" "$subject"
	fi
}
make_revocation_pki() {
	rev_gw rev-good "authorityInfoAccess = OCSP;URI:$REV_OCSP"
	rev_gw rev-revoked "authorityInfoAccess = OCSP;URI:$REV_OCSP"
	rev_gw rev-crl "crlDistributionPoints = URI:$REV_CRL"
	rev_gw rev-dead "authorityInfoAccess = OCSP;URI:$REV_DEAD"
	# Intermediates: revoked on the root's CRL, and good by OCSP; the
	# gateway certificates under them name no status of their own.
	x5_issue rev-sub root "/O=ikeroam interop/CN=rev revoked sub CA" "" "" \
	    ca "crlDistributionPoints = URI:$REV_CRL"
	x5_issue rev-subok root "/O=ikeroam interop/CN=rev good sub CA" "" "" \
	    ca "authorityInfoAccess = OCSP;URI:$REV_OCSP"
	x5_issue rev-subgw rev-sub "/O=ikeroam interop/CN=rev-subgw.x509.test" \
	    "DNS:rev-subgw.x509.test" "serverAuth, 1.3.6.1.5.5.8.2.2"
	x5_issue rev-subokgw rev-subok \
	    "/O=ikeroam interop/CN=rev-subokgw.x509.test" \
	    "DNS:rev-subokgw.x509.test" "serverAuth, 1.3.6.1.5.5.8.2.2"
	x5_issue rev-client root "/O=ikeroam interop/CN=rev" \
	    "email:rev-good@x509.test, email:rev-revoked@x509.test, email:rev-crl@x509.test, email:rev-dead@x509.test, email:rev-subgw@x509.test, email:rev-subokgw@x509.test" \
	    clientAuth
	mkdir -p "$X5/ocsp" "$X5/crl/www"
	{ index_line "$X5/rev-good.crt" V; index_line "$X5/rev-revoked.crt" R
	  index_line "$X5/rev-subok.crt" V
	} >"$X5/ocsp/index.txt"
	{ index_line "$X5/rev-crl.crt" R; index_line "$X5/rev-sub.crt" R
	} >"$X5/crl/index.txt"
	echo 1000 >"$X5/crl/crlnumber"
	cat >"$X5/crl/ca.cnf" <<-EOF
	[ ca ]
	default_ca = x5
	[ x5 ]
	database = $X5/crl/index.txt
	crlnumber = $X5/crl/crlnumber
	default_md = sha256
	default_crl_days = 7
	EOF
	openssl ca -gencrl -config "$X5/crl/ca.cnf" -keyfile "$X5/root.key" \
	    -cert "$X5/root.crt" -out "$X5/crl/root.pem" 2>/dev/null ||
	    ir_die "cannot make the CRL"
	openssl crl -in "$X5/crl/root.pem" -outform DER \
	    -out "$X5/crl/www/root.crl" || ir_die "cannot convert the CRL"
}

# The responder and the CRL server on the middlebox.
start_revocation_servers() {
	ir_spawn x5-ocsp "$IR_NS_MID" "$X5/ocsp/run" "$X5/ocsp/ocsp.log" \
	    openssl ocsp -index "$X5/ocsp/index.txt" -port 8880 \
	    -rsigner "$X5/root.crt" -rkey "$X5/root.key" -CA "$X5/root.crt" \
	    -ndays 1
	ir_spawn x5-crl "$IR_NS_MID" "$X5/crl/run" "$X5/crl/http.log" \
	    python3 -m http.server 8881 --bind "$IR_MID_CLI_ADDR" \
	    --directory "$X5/crl/www"
	ir_wait 50 0.1 ip netns exec "$IR_NS_CLI" curl -s -o /dev/null \
	    "$REV_CRL" || ir_die "the CRL server did not start"
}

# The gateway's extra connections, beside the harness's (included).
gateway_conf() {
	local sw=$IR_STATE/gw/swanctl n
	cp "$X5/gw-ip.crt" "$X5/gw-chain.crt" "$sw/x509/"
	install -m 600 "$X5/gw-ip.key" "$X5/gw-chain.key" "$sw/private/"
	for n in rev-good rev-revoked rev-crl rev-dead rev-subgw rev-subokgw \
	    eku-gw; do
		cp "$X5/$n.crt" "$sw/x509/"
		install -m 600 "$X5/$n.key" "$sw/private/"
	done
	cp "$X5/sub-gw.crt" "$X5/rev-sub.crt" "$X5/rev-subok.crt" "$sw/x509ca/"
	cat >"$sw/x509.conf" <<-EOF
	include swanctl.conf
	connections {
	EOF
	x5_conn x5-sys gw-ip.crt "$IR_GW" sys@x509.test ifasked >>"$sw/x509.conf"
	x5_conn x5-dn gw-ecdsa.crt "O=ikeroam interop, CN=vpn.test" \
	    "C=XX, O=ikeroam interop, CN=dn-client" always >>"$sw/x509.conf"
	x5_conn x5-chain gw-chain.crt chain.x509.test chain@x509.test always \
	    >>"$sw/x509.conf"
	x5_conn x5-eku eku-gw.crt eku.x509.test eku@x509.test always \
	    >>"$sw/x509.conf"
	for n in rev-good rev-revoked rev-crl rev-dead rev-subgw rev-subokgw; do
		x5_conn "x5-$n" "$n.crt" "$n.x509.test" "$n@x509.test" always \
		    >>"$sw/x509.conf"
	done
	echo "}" >>"$sw/x509.conf"
	"$GWSH" swanctl --load-all --noprompt --file "$sw/x509.conf" \
	    >"$X5/load.out" 2>&1 || { cat "$X5/load.out" >&2; return 1; }
}

# x5_conn NAME CERT LOCAL_ID REMOTE_ID SEND_CERT: one connection.
x5_conn() {
	cat <<-EOF
	$1 {
		version = 2
		pools = irpool
		fragmentation = yes
		send_cert = $5
		local {
			auth = pubkey
			certs = $2
			id = "$3"
		}
		remote {
			auth = pubkey
			id = "$4"
			cacerts = ca.crt
		}
		children {
			net {
				local_ts = $IR_LAN_NET
				esp_proposals = $IR_ESP_PROPOSALS
			}
		}
	}
	EOF
}

# ---- the run ---------------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
make_pki
gateway_conf || ir_die "the gateway did not load the x509 connections"

SYS=(SSL_CERT_FILE="$X5/trust/bundle.pem" SSL_CERT_DIR="$X5/trust/empty-dir")
NOSYS=(SSL_CERT_FILE="$X5/other/ca.crt" SSL_CERT_DIR="$X5/trust/empty-dir")
SYS_CLIENT=(--id sys@x509.test --cert "$X5/sys-client.crt"
    --key "$X5/sys-client.key")

# 8. The system's trust store, the gateway's address as its identity.
up_case system-trust "verified by CA 'CN=ikeroam interop CA,O=ikeroam interop' (system trust store)" \
    "${SYS[@]}" -- "${SYS_CLIENT[@]}"
fail_case system-trust-unknown-ca 6 "does not chain to the system's trust store" \
    "${NOSYS[@]}" -- "${SYS_CLIENT[@]}"
fail_case system-trust-wrong-name 6 "remote-id" "${SYS[@]}" -- \
    "${SYS_CLIENT[@]}" --remote-id other.x509.test

# 6. DN identities both ways.
DN_CLIENT=(--id "C=XX, O=ikeroam interop, CN=dn-client"
    --cert "$X5/dn-client.crt" --key "$X5/dn-client.key" --ca "$IR_CA")
up_case dn-exact "authentication of 'O=ikeroam interop, CN=vpn.test'" -- \
    "${DN_CLIENT[@]}" --remote-id "O=ikeroam interop, CN=vpn.test"
up_case dn-wildcard "authentication of 'O=ikeroam interop, CN=vpn.test'" -- \
    "${DN_CLIENT[@]}" --remote-id "O=ikeroam interop, CN=*"
fail_case dn-wrong 6 "remote-id" -- "${DN_CLIENT[@]}" \
    --remote-id "O=ikeroam interop, CN=other"
fail_case dn-not-ours 2 "is not the subject of --cert" -- \
    --id "C=XX, O=ikeroam interop, CN=someone" --cert "$X5/dn-client.crt" \
    --key "$X5/dn-client.key" --ca "$IR_CA"

# 5. Intermediates both ways.  The refusal first: strongSwan caches the
# intermediates it has seen.
fail_case chain-missing 3 "AUTHENTICATION_FAILED" -- \
    --id chain@x509.test --cert "$X5/chain-client.crt" \
    --key "$X5/chain-client.key" --ca "$IR_CA" --remote-id chain.x509.test
UP_CHECK=curl_not_loaded up_case chain-in-cert "verified by CA 'CN=ikeroam interop CA" -- \
    --id chain@x509.test --cert "$X5/chain-client-full.crt" \
    --key "$X5/chain-client.key" --ca "$IR_CA" --remote-id chain.x509.test
up_case chain-file "authentication of 'chain.x509.test'" -- \
    --id chain@x509.test --cert "$X5/chain-client.crt" \
    --cert-chain "$X5/sub-cli.crt" --key "$X5/chain-client.key" \
    --ca "$IR_CA" --remote-id "*.x509.test"

# 10. Purpose: a certificate the CA issued to a TLS client is no gateway's,
# even under our own --ca.
fail_case eku-client-only 6 "not for a server or IKE (extended key usage); its CA issued it for another use" -- \
    --id eku@x509.test --cert "$X5/eku-client.crt" \
    --key "$X5/eku-client.key" --ca "$IR_CA" --remote-id eku.x509.test

# 4. Revocation: OCSP good, OCSP revoked, CRL revoked, responder down.
start_revocation_servers
REV=(--cert "$X5/rev-client.crt" --key "$X5/rev-client.key" --ca "$IR_CA"
    --revocation-cache "$X5/cache")
UP_CHECK=curl_loaded up_case revocation-ocsp-good \
    "certificate is good (OCSP $REV_OCSP)" -- \
    "${REV[@]}" --id rev-good@x509.test --remote-id rev-good.x509.test
fail_case revocation-ocsp-revoked 6 "is revoked (keyCompromise" -- \
    "${REV[@]}" --id rev-revoked@x509.test --remote-id rev-revoked.x509.test
fail_case revocation-crl-revoked 6 "is revoked (keyCompromise.*CRL $REV_CRL" -- \
    "${REV[@]}" --id rev-crl@x509.test --remote-id rev-crl.x509.test
up_case revocation-unreachable-ifuri "accepted (--revocation ifuri)" -- \
    "${REV[@]}" --id rev-dead@x509.test --remote-id rev-dead.x509.test
fail_case revocation-unreachable-strict 6 "unreachable (--revocation strict)" -- \
    "${REV[@]}" --id rev-dead@x509.test --remote-id rev-dead.x509.test \
    --revocation strict
up_case revocation-off "authentication of 'rev-revoked.x509.test'" -- \
    "${REV[@]}" --id rev-revoked@x509.test --remote-id rev-revoked.x509.test \
    --revocation off
# Intermediates (issue 11 item 2): every certificate of the path but
# the anchor; the gateway sends its sub CA in a CERT payload.
fail_case revocation-intermediate-revoked 6 "intermediate CA 'CN=rev revoked sub CA,O=ikeroam interop' of the gateway's certificate is revoked (keyCompromise.*CRL $REV_CRL" -- \
    "${REV[@]}" --id rev-subgw@x509.test --remote-id rev-subgw.x509.test
up_case revocation-intermediate-good "intermediate CA 'CN=rev good sub CA,O=ikeroam interop' of the gateway's certificate is good (OCSP $REV_OCSP)" -- \
    "${REV[@]}" --id rev-subokgw@x509.test \
    --remote-id rev-subokgw.x509.test
# The cache: root's directory, kept by the privileged part (the network
# part runs as nobody under a seccomp filter and asks it, PRIV_REVCACHE_*);
# written, then read with the responder gone, both with privilege
# separation, the default.
rm -rf "$X5/cache"
up_case revocation-cache-write "certificate is good (OCSP $REV_OCSP)" -- \
    "${REV[@]}" --id rev-good@x509.test --remote-id rev-good.x509.test
check "revocation: the good OCSP answer was cached by the privileged part" \
    test -n "$(find "$X5/cache" -name '*.ocsp' -user root -perm 0644 2>/dev/null)"
ir_stop x5-ocsp
up_case revocation-cache-read "certificate is good (OCSP $REV_OCSP)" -- \
    "${REV[@]}" --id rev-good@x509.test --remote-id rev-good.x509.test \
    --revocation strict
ir_stop x5-crl

# 5. Hash and URL (RFC 7296 section 3.6, encoding 12): charon sends the
# certificates of an authority with a cert_uri_base as SHA-1 + URL to a
# client that announced HTTP_CERT_LOOKUP_SUPPORTED; a web server on the
# middlebox serves them by hex hash.  Last: the setting stays on.
HU_URL=http://$IR_MID_CLI_ADDR:8883/certs/
mkdir -p "$X5/hu/www/certs"
hu_name() { openssl x509 -in "$1" -outform DER | sha1sum | cut -d' ' -f1; }
HU_GW=$(hu_name "$X5/gw-chain.crt")
openssl x509 -in "$X5/gw-chain.crt" -outform DER -out "$X5/hu/www/certs/$HU_GW"
printf 'include x509.conf\nauthorities {\n\thu {\n\t\tcacert = sub-gw.crt\n\t\tcert_uri_base = %s\n\t}\n}\n' \
    "$HU_URL" >"$IR_STATE/gw/swanctl/x509-hu.conf"
HASH_AND_URL=yes "$GWSH" reload >/dev/null || ir_die "gateway reload failed"
# The reload's render removes gw-*.crt/key but the harness's own.
cp "$X5/gw-ip.crt" "$X5/gw-chain.crt" "$IR_STATE/gw/swanctl/x509/"
install -m 600 "$X5/gw-ip.key" "$X5/gw-chain.key" "$IR_STATE/gw/swanctl/private/"
"$GWSH" swanctl --load-all --noprompt --file \
    "$IR_STATE/gw/swanctl/x509-hu.conf" >"$X5/load-hu.out" 2>&1 ||
    { cat "$X5/load-hu.out" >&2; ir_die "hash-and-URL authority not loaded"; }
ir_spawn x5-hu "$IR_NS_MID" "$X5/hu/run" "$X5/hu/http.log" \
    python3 -m http.server 8883 --bind "$IR_MID_CLI_ADDR" \
    --directory "$X5/hu/www"
ir_wait 50 0.1 ip netns exec "$IR_NS_CLI" curl -s -o /dev/null \
    "$HU_URL$HU_GW" || ir_die "the certificate server did not start"
HU=(--id chain@x509.test --cert "$X5/chain-client-full.crt"
    --key "$X5/chain-client.key" --ca "$IR_CA" --remote-id chain.x509.test)
up_case hash-and-url "fetched the gateway's certificate from $HU_URL$HU_GW" -- \
    "${HU[@]}"
check "hash-and-url: the gateway's certificate was fetched over HTTP" \
    grep -q "GET /certs/$HU_GW" "$X5/hu/http.log"
# Another certificate under that name: its hash is not the one sent.
openssl x509 -in "$X5/gw-ip.crt" -outform DER -out "$X5/hu/www/certs/$HU_GW"
fail_case hash-and-url-mismatch 6 "does not match the SHA-1 hash" -- "${HU[@]}"
ir_stop x5-hu
fail_case hash-and-url-unreachable 6 "cannot fetch the gateway's certificate from $HU_URL$HU_GW" -- \
    "${HU[@]}"

echo "interop (x509): $(( ($(ir_now_ms) - t_start) / 1000 )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
