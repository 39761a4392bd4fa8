#!/bin/bash
# tests/interop/client-pkcs11.sh: private keys on a PKCS#11 token (issue
# 11, item 7) against one strongSwan 5.9.8 gateway in network namespaces.
# The token is SoftHSM 2 in a temporary directory (SOFTHSM2_CONF); the
# client's keys and certificates are made here, issued by the harness's
# CA, and imported with softhsm2-util and pkcs11-tool.  ikeroam runs
# with privilege separation (the default): the privileged part logs in
# and signs IKE_AUTH (PRIV_SIGN), the network part holds no key.
#
#   ecdsa-token   key and certificate on the token, module named by the
#                 URI's module-path; tunnel up, ping, the privileged part
#                 signed; the network part's memory (memscan.py) holds
#                 neither the PIN nor the private key
#   rsa-token     RSA key on the token through p11-kit's proxy (the
#                 registered softhsm2 module), certificate from a file
#   no-privsep    the token's key in the one process (--no-privsep)
#   file-key      a key file: signed by the privileged part too, and
#                 not in the network part's memory either
#   failures      wrong PIN (exit 3, then the right PIN still works: one
#                 try, never retried), missing token and missing object
#                 (exit 15), key and certificate that do not match and
#                 --eap tls with a token key (exit 2)
#
# Prints PASS/FAIL per check, ends with "N passed, N failed".
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default p11).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-p11}
IR_TAG=client-pkcs11
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=${IKEROAM:-$TOP/build/ikeroam}
IKEROAM=$(readlink -f "$IKEROAM")
GWSH=$IR_HERE/strongswan/gateway.sh
P=$IR_STATE/p11
[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
ir_need_cmds charon-cmd swanctl openssl softhsm2-util pkcs11-tool
MODULE=
for m in /usr/lib/softhsm/libsofthsm2.so \
    /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so; do
	[ -f "$m" ] && MODULE=$m && break
done
[ -n "$MODULE" ] || ir_die "SoftHSM's module is missing: apt-get install softhsm2"

PIN=ikeroam-p11-7319	# a PIN the memory scan cannot meet by chance
pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
LOG=

cleanup() {
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	"$GWSH" stop >/dev/null 2>&1
	rm -rf "$P"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

client_alive() { [ -n "$CLIENT_PID" ] && kill -0 "$CLIENT_PID" 2>/dev/null; }
tunnel_up() { grep -q "tunnel up" "$LOG"; }
up_or_dead() { tunnel_up || ! client_alive; }
SAS_BEFORE=0
sas_gone() { [ "$("$GWSH" count-sas 2>/dev/null)" -le "$SAS_BEFORE" ]; }

connect() {	# connect NAME ARGS...
	LOG=$IR_STATE/ikeroam-$1.log
	shift
	: >"$LOG"
	ir_cli_run env SOFTHSM2_CONF="$P/softhsm2.conf" "$IKEROAM" connect \
	    --gateway "$IR_GW" --ca "$IR_CA" --remote-id "$IR_GW_ID" \
	    --script none -v "$@" \
	    >>"$LOG" 2>&1 </dev/null &
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

# The network part: the child of ikeroam named ikeroam-net.
net_part() {
	local c
	for c in $(cat /proc/"$IKEROAM_PID"/task/*/children 2>/dev/null); do
		[ "$(cat /proc/"$c"/comm 2>/dev/null)" = ikeroam-net ] &&
		    echo "$c" && return 0
	done
	return 1
}

# secrets NAME: the hex strings of NAME's private key (its scalar or
# exponent, big- and little-endian, as OpenSSL's BIGNUMs hold it).
secrets() {
	local hex
	hex=$(openssl pkey -in "$P/$1.key" -text -noout 2>/dev/null |
	    awk '/^(priv|privateExponent):/{f=1; next} /^[a-zA-Z]/{f=0} f' |
	    tr -d ' :\n' | sed 's/^00//')
	echo "${hex:0:64}"
	echo "$hex" | fold -w2 | tac | tr -d '\n' | cut -c1-64
}

# up_case NAME KEY ARGS...: tunnel up, ping, the privileged part signed
# (its log line); the network part's memory holds neither the PIN nor
# KEY's private key, but its certificate (the scanner's control); SIGINT
# ends it with 0.
up_case() {
	local name=$1 key=$2 rc t0 np
	shift 2
	t0=$(ir_now_ms)
	SAS_BEFORE=$("$GWSH" count-sas 2>/dev/null)
	connect "$name" "$@"
	if ! ir_wait 300 0.1 up_or_dead || ! tunnel_up; then
		bad "$name: tunnel up (see $LOG)"
		grep -m3 "error\|ikeroam:" "$LOG" | sed 's/^/    /'
		kill -INT "$IKEROAM_PID" 2>/dev/null
		wait_exit 10
		"$GWSH" terminate >/dev/null 2>&1
		return
	fi
	if ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30; then
		ok "$name: tunnel up, ping $IR_LAN_HOST in $(($(ir_now_ms) - t0)) ms"
	else
		bad "$name: ping $IR_LAN_HOST through the tunnel"
	fi
	if [ "$key" = one-process ]; then	# --no-privsep: signs itself
		check "$name: no privileged part asked" \
		    test -z "$(grep "privsep: signed" "$LOG")"
		check "$name: the token's key (log)" grep -q "key on token" "$LOG"
	elif grep -q "privsep: signed [0-9]* octets" "$LOG"; then
		ok "$name: $(grep -m1 -o "privsep: signed.*" "$LOG")"
	else
		bad "$name: the privileged part did not sign (see $LOG)"
	fi
	if [ "$key" != one-process ]; then
		np=$(net_part)
		check "$name: network part found" test -n "$np"
		check "$name: its memory holds our certificate (scanner works)" \
		    "$IR_HERE/memscan.py" "$np" "$(xxd -p "$P/$key.der" | tr -d '\n' |
		    cut -c1-200)"
		"$IR_HERE/memscan.py" "$np" "$(printf %s "$PIN" | xxd -p)" \
		    $(secrets "$key")
		check "$name: no PIN, no private key in the network part's memory" \
		    test $? = 1
	fi
	kill -INT "$IKEROAM_PID" 2>/dev/null
	wait_exit 10
	rc=$?
	check "$name: exit status 0 after SIGINT (got $rc)" test "$rc" = 0
	check "$name: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
}

# fail_case NAME STATUS TEXT ARGS...: exit STATUS with one line with TEXT.
fail_case() {
	local name=$1 want=$2 text=$3 rc
	shift 3
	connect "$name" "$@"
	wait_exit 60
	rc=$?
	check "$name: exit status $want (got $rc)" test "$rc" = "$want"
	if grep -q -- "error: .*$text" "$LOG"; then
		ok "$name: says '$(grep -m1 -- "error: .*$text" "$LOG" | cut -c1-170)'"
	else
		bad "$name: no line with '$text' (see $LOG)"
		tail -3 "$LOG" | sed 's/^/    /'
	fi
	check "$name: one line only" test "$(grep -c "error: " "$LOG")" -eq 1
	"$GWSH" terminate >/dev/null 2>&1 || true
}

# ---- the token and the certificates ----------------------------------------

# issue NAME ALG SUBJECT SAN: a key (ALG ec or rsa) and its certificate
# from the harness's CA.
issue() {
	if [ "$2" = rsa ]; then
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		    -out "$P/$1.key" 2>/dev/null
	else
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out "$P/$1.key" 2>/dev/null
	fi
	chmod 600 "$P/$1.key"
	printf 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = clientAuth\nsubjectAltName = %s\n' \
	    "$4" >"$P/$1.ext"
	openssl req -new -key "$P/$1.key" -subj "$3" |
	    openssl x509 -req -CA "$IR_STATE/pki/ca.crt" \
	    -CAkey "$IR_STATE/pki/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
	    -days 30 -sha256 -extfile "$P/$1.ext" -out "$P/$1.crt" 2>/dev/null ||
	    ir_die "cannot issue $1"
	openssl x509 -in "$P/$1.crt" -outform DER -out "$P/$1.der"
}

# to_token NAME ID: the key and the certificate as objects NAME, id ID.
to_token() {
	openssl pkcs8 -topk8 -nocrypt -in "$P/$1.key" -out "$P/$1.p8"
	softhsm2-util --import "$P/$1.p8" --token ikeroam --label "$1" \
	    --id "$2" --pin "$PIN" >/dev/null || ir_die "cannot import $1"
	pkcs11-tool --module "$MODULE" --token-label ikeroam --login \
	    --pin "$PIN" --write-object "$P/$1.der" --type cert --id "$2" \
	    --label "$1" >/dev/null 2>&1 || ir_die "cannot store $1's certificate"
	rm -f "$P/$1.p8"
}

make_token() {
	rm -rf "$P"
	mkdir -p "$P/tokens"
	chmod 700 "$P"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
	    "$P" >"$P/softhsm2.conf"
	export SOFTHSM2_CONF=$P/softhsm2.conf
	softhsm2-util --init-token --free --label ikeroam --pin "$PIN" \
	    --so-pin 5678 >/dev/null || ir_die "cannot make the token"
	issue tok-ec ec "/O=ikeroam interop/CN=tok-ec" "email:tok-ec@p11.test"
	issue tok-rsa rsa "/O=ikeroam interop/CN=tok-rsa" "email:tok-rsa@p11.test"
	issue file-ec ec "/O=ikeroam interop/CN=file-ec" "email:file-ec@p11.test"
	for n in tok-ec tok-rsa file-ec; do
		[ "$(secrets "$n" | wc -c)" -ge 100 ] ||
		    ir_die "cannot read $n's private key"
	done
	to_token tok-ec 01
	to_token tok-rsa 02
	printf %s "$PIN" >"$P/pin"
	printf 9999 >"$P/bad-pin"
	chmod 600 "$P/pin" "$P/bad-pin"
}

gateway_conf() {
	local sw=$IR_STATE/gw/swanctl n
	cat >"$sw/p11.conf" <<-EOF
	include swanctl.conf
	connections {
	EOF
	for n in tok-ec tok-rsa file-ec; do
		cat >>"$sw/p11.conf" <<-EOF
		p11-$n {
			version = 2
			pools = irpool
			send_cert = always
			local {
				auth = pubkey
				certs = gw-ecdsa.crt
				id = $IR_GW_ID
			}
			remote {
				auth = pubkey
				id = "$n@p11.test"
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
	done
	echo "}" >>"$sw/p11.conf"
	"$GWSH" swanctl --load-all --noprompt --file "$sw/p11.conf" \
	    >"$P/load.out" 2>&1 || { cat "$P/load.out" >&2; return 1; }
}

# ---- the run ---------------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
make_token
gateway_conf || ir_die "the gateway did not load the pkcs11 connections"

TOK="pkcs11:token=ikeroam"
MP="?module-path=$MODULE"
EC=(--id tok-ec@p11.test --cert "$TOK;object=tok-ec;type=cert$MP"
    --key "$TOK;object=tok-ec;type=private$MP")

# A wrong PIN first: one login, refused; the token still works after it.
fail_case wrong-pin 3 "wrong PIN" "${EC[@]}" --key-passphrase-file "$P/bad-pin"
up_case ecdsa-token tok-ec "${EC[@]}" --key-passphrase-file "$P/pin"
up_case rsa-token tok-rsa --id tok-rsa@p11.test --cert "$P/tok-rsa.crt" \
    --key "$TOK;id=%02" --key-passphrase-file "$P/pin"
up_case no-privsep one-process "${EC[@]}" --key-passphrase-file "$P/pin" \
    --no-privsep
up_case file-key file-ec --id file-ec@p11.test --cert "$P/file-ec.crt" \
    --key "$P/file-ec.key"
fail_case missing-token 15 "no PKCS#11 token matches" --id tok-ec@p11.test \
    --cert "$P/tok-ec.crt" --key "pkcs11:token=absent;object=tok-ec$MP" \
    --key-passphrase-file "$P/pin"
fail_case missing-object 15 "no private key matches" --id tok-ec@p11.test \
    --cert "$P/tok-ec.crt" --key "$TOK;object=nobody$MP" \
    --key-passphrase-file "$P/pin"
fail_case key-cert-mismatch 2 "does not belong to --cert" --id tok-ec@p11.test \
    --cert "$P/tok-ec.crt" --key "$TOK;object=tok-rsa$MP" \
    --key-passphrase-file "$P/pin"
fail_case eap-tls-token 2 "--eap tls cannot use a key on a token" \
    --id tok-ec@p11.test --eap tls "${EC[@]:2}" --key-passphrase-file "$P/pin"
fail_case pin-in-uri 2 "carries a PIN" --id tok-ec@p11.test \
    --cert "$P/tok-ec.crt" --key "$TOK;object=tok-ec?pin-value=$PIN"

# ikeroam check: the token's state and its key, without connecting.
check_profile() {	# check_profile NAME KEY_URI PIN_FILE
	cat >"$P/$1.json" <<-EOF
	{ "gateway": "$IR_GW", "id": "tok-ec@p11.test", "ca": "$IR_CA",
	  "script": "none", "cert": "$TOK;object=tok-ec;type=cert$MP",
	  "key": "$2", "key-passphrase-file": "$3" }
	EOF
	chmod 600 "$P/$1.json"
	SOFTHSM2_CONF=$P/softhsm2.conf "$IKEROAM" check "$P/$1.json" \
	    >"$P/$1.out" 2>&1
}
check_profile check-ok "$TOK;object=tok-ec;type=private$MP" "$P/pin"
check "check: exit 0 for a good profile (got $?)" test $? = 0
check "check: reports the token" grep -q 'token "ikeroam" (SoftHSM project' "$P/check-ok.out"
check "check: reports the key" grep -q "the token's key is there (ECDSA, 256 bits)" "$P/check-ok.out"
check_profile check-gone "pkcs11:token=absent;object=tok-ec$MP" "$P/pin"
check "check: exit 2 without the token (got $?)" test $? = 2
check "check: says the token is missing" grep -q "no PKCS#11 token matches" "$P/check-gone.out"
check_profile check-pin "$TOK;object=tok-ec;type=private$MP" "$P/bad-pin"
check "check: exit 2 with a wrong PIN (got $?)" test $? = 2
check "check: says the PIN is wrong" grep -q "wrong PIN" "$P/check-pin.out"

echo "interop (pkcs11): $(( ($(ir_now_ms) - t_start) / 1000 )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
