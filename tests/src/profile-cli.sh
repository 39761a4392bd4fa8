#!/bin/sh
# The built ikeroam on profiles, as a user meets them: `ikeroam check`,
# `list`, `show` (no secret in its output, ever), `connect NAME` with the
# command line over the profile, and the exit status of each.  Profiles
# live in a scratch IKEROAM_CONFDIR; nothing touches the network (the
# gateway is an address, and every connect stops before it sends).
set -u
top=${top_srcdir:-$(dirname "$0")/../..}
IKEROAM=${IKEROAM:-./ikeroam}
[ -x "$IKEROAM" ] || { echo "profile-cli: no $IKEROAM" >&2; exit 99; }
pki=$top/tests/vectors/pki
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
export IKEROAM_CONFDIR="$d"
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect NAME STATUS PATTERN ARGS...: exit status STATUS and a line of
# stdout+stderr that matches the grep -E PATTERN.
expect() {
	name=$1 want=$2 pat=$3
	shift 3
	out=$("$IKEROAM" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		bad "$name: exit $rc, not $want: $out"
	elif ! printf '%s\n' "$out" | grep -Eq -- "$pat"; then
		bad "$name: no line like /$pat/ in: $out"
	else
		ok
	fi
}

# Files the profiles name, copied so that root owns them whoever owns
# the checkout (safefile wants root or the user).
chmod 700 "$d"
cp "$pki/root-ca.crt" "$d/ca.pem"
cp "$pki/client-ecdsa-p256.crt" "$d/client.crt"
cp "$pki/client-ecdsa-p256.key" "$d/client.key"
cp "$pki/client-rsa3072.crt" "$d/enc.crt"
cp "$pki/client-rsa3072.enc.pem" "$d/enc.key"
cp "$pki/README.md" "$d/notacert.pem"
chmod 644 "$d"/*.pem "$d"/*.crt
chmod 600 "$d"/*.key
printf 'correct horse battery staple\n' >"$d/work.psk"
chmod 600 "$d/work.psk"
secret='correct horse battery staple'
inline_secret='Tr0ub4dor-and-3'

cat >"$d/work.json" <<EOF
{
  "gateway": "192.0.2.1",
  "id": "alice@example.com",
  "psk-file": "work.psk",
  "transport": "tcp",
  "tcp-port": 4500,
  "no-mobike": true
}
EOF
cat >"$d/cert.json" <<EOF
{ "gateway": "192.0.2.1", "id": "alice@example.com", "cert": "client.crt",
  "key": "client.key", "ca": ["ca.pem"], "remote-id": "vpn.example.com" }
EOF
cat >"$d/enc.json" <<EOF
{ "gateway": "192.0.2.1", "id": "alice@example.com", "cert": "enc.crt",
  "key": "enc.key", "ca": "ca.pem" }
EOF
cat >"$d/inline.json" <<EOF
{ "gateway": "192.0.2.1", "id": "alice@example.com",
  "psk": "$inline_secret" }
EOF
chmod 600 "$d/inline.json"

# ---- good profiles ---------------------------------------------------
expect "check psk" 0 "^$d/work.json: ok\$" check work
expect "check psk without remote-id" 0 "PSK without \"remote-id\"" check work
expect "check cert" 0 "^$d/cert.json: ok\$" check cert
expect "check by path" 0 ": ok\$" check "$d/work.json"
expect "check encrypted key" 0 "enc.key is encrypted: connect needs its passphrase" check enc
if [ "$(id -u)" -eq 0 ]; then
	expect "check inline (root, 0600)" 0 ": ok\$" check inline
fi
expect "list" 0 "^work +192\\.0\\.2\\.1 +tcp\$" list
expect "list header" 0 "^NAME +GATEWAY +TRANSPORT\$" list
expect "show" 0 "^psk-file +$d/work.psk\$" show work
expect "show auth" 0 "^authentication +psk from $d/work.psk\$" show work
expect "show defaults" 0 "^natt-port +4500\$" show work
expect "show json" 0 "\"tcp-port\":\"4500\"" show work --json

# No secret in any output of list, show, check.
for name in work inline; do
	for cmd in "show $name" "show $name --json" "check $name" list; do
		# shellcheck disable=SC2086
		out=$("$IKEROAM" $cmd 2>&1)
		case $out in
		*"$secret"* | *"$inline_secret"*)
			bad "'ikeroam $cmd' shows a secret: $out" ;;
		*) ok ;;
		esac
	done
done
if [ "$(id -u)" -eq 0 ]; then
	expect "show inline hidden" 0 "^psk +inline \\(hidden\\)\$" show inline
fi

# ---- one line per bad profile ----------------------------------------
printf '{ "gateway": "192.0.2.1", "gatway": "x" }\n' >"$d/typo.json"
expect "misspelt key" 2 "^ikeroam: $d/typo.json: key \"gatway\": unknown key; did you mean \"gateway\"\\?\$" check typo
printf '{ "gateway": "192.0.2.1", "no-mobike": "yes" }\n' >"$d/type.json"
expect "wrong type" 2 "key \"no-mobike\": expected true or false, not a string\$" check type
printf '{\n  "gateway": "192.0.2.1"\n  "id": "a@b"\n}\n' >"$d/syntax.json"
expect "bad JSON" 2 "^ikeroam: $d/syntax.json:3:3: not valid JSON" check syntax
printf '{ "gateway": "192.0.2.1", "id": "a@b", "psk-file": "nope.psk" }\n' >"$d/missing.json"
expect "missing file" 2 "^ikeroam: $d/missing.json: key \"psk-file\": $d/nope.psk: No such file or directory\$" check missing
cp "$d/work.psk" "$d/open.psk"
chmod 644 "$d/open.psk"
printf '{ "gateway": "192.0.2.1", "id": "a@b", "psk-file": "open.psk" }\n' >"$d/open.json"
expect "secret readable" 2 "key \"psk-file\": $d/open.psk is readable by others: chmod 600 $d/open.psk\$" check open
printf '{ "gateway": "192.0.2.1", "id": "a@b", "cert": "client.crt", "key": "client.key", "ca": "notacert.pem" }\n' >"$d/noca.json"
expect "not a certificate" 2 "key \"ca\": $d/notacert.pem: no certificate in the file\$" check noca
printf '{ "gateway": "192.0.2.1", "id": "a@b", "cert": "ca.pem", "key": "client.key", "ca": "ca.pem" }\n' >"$d/mismatch.json"
expect "key not the cert's" 2 "key \"key\": $d/client.key does not belong to the certificate $d/ca.pem\$" check mismatch
cp "$d/inline.json" "$d/shared.json"
chmod 644 "$d/shared.json"
expect "inline secret, 0644" 2 "key \"psk\": an inline secret needs a profile that only root may read and write: .*chmod 600 $d/shared.json" check shared
printf '{ "gateway": "192.0.2.1" }\n' >"$d/half.json"
expect "rules" 2 "^ikeroam: $d/half.json: connect: no identity" check half
printf '{ "gateway": "192.0.2.1", "id": "@#zz", "psk-file": "nope.psk" }\n' >"$d/two.json"
expect "two problems" 2 "^ikeroam: $d/two.json: 2 problems\$" check two
expect "no such profile" 2 "^ikeroam: $d/nosuch.json: no such profile; 'ikeroam list' shows them\$" check nosuch
expect "bad name" 2 "is not a profile name" check 'a b'
expect "list marks broken" 0 "^typo +- +\\(broken: ikeroam check typo\\)\$" list
chmod 666 "$d/work.json"
expect "profile writable by others" 2 "$d/work.json is writable by others: chmod o-w $d/work.json\$" check work
chmod 644 "$d/work.json"

# ---- connect: the profile, then the command line ---------------------
expect "connect, bad profile" 2 "key \"gatway\": unknown key" connect typo
# A bogus --ike fails in the setup, after the profile was applied and
# its rules held, before anything is sent.
expect "connect NAME [options]" 2 "^ikeroam: --ike: " connect work --ike bogus
expect "command line checked" 2 "^ikeroam: --tcp-port: '0' is not a number" connect work --tcp-port 0
printf '{ "gateway": "192.0.2.1", "id": "alice@example.com" }\n' >"$d/nm.json"
expect "secrets-fd" 2 "^ikeroam: --ike: " connect nm --ike bogus --secrets-fd 3 3<<EOF
{"psk": "$inline_secret"}
EOF
expect "profile-fd" 2 "^ikeroam: --ike: " connect --profile-fd 3 --ike bogus 3<"$d/work.json"
expect "no auth without secrets" 2 "connect: no authentication" connect nm
# Errors found while connect loads the files name the profile and key,
# unless the command line gave the option.
expect "connect blames the profile" 2 "^ikeroam: $d/noca.json: key \"ca\": $d/notacert.pem: no certificate in the file\$" connect noca
expect "connect blames argv" 2 "^ikeroam: --ca $d/notacert.pem: no certificate in the file\$" connect cert --ca "$d/notacert.pem"
cp "$d/ca.pem" "$d/ow-ca.pem"
chmod 666 "$d/ow-ca.pem"
printf '{ "gateway": "192.0.2.1", "id": "a@b", "psk-file": "work.psk", "tls-ca": "ow-ca.pem" }\n' >"$d/owtls.json"
expect "connect, tls-ca writable" 2 "^ikeroam: $d/owtls.json: key \"tls-ca\": $d/ow-ca.pem is writable by others: chmod o-w $d/ow-ca.pem\$" connect owtls
expect "check, tls-ca writable" 2 "^ikeroam: $d/owtls.json: key \"tls-ca\": $d/ow-ca.pem is writable by others" check owtls
expect "connect, secret file" 2 "^ikeroam: $d/open.json: key \"psk-file\": $d/open.psk is readable by others: chmod 600 $d/open.psk\$" connect open

echo "profile-cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
