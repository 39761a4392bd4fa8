#!/bin/sh
# tests/src/import-cli.sh: `ikeroam import` end to end on the files of
# tests/src/import/ (no root, no network): a .sswan with a PKCS#12, an
# EAP .sswan, a signed .mobileconfig; the files it writes, their modes
# and contents; refusals (exists, bad or untrusted signature, bad
# --name, http://) each with its one line and exit status; and the
# written profiles checked by `ikeroam check`.
set -u
top=${top_srcdir:-$(dirname "$0")/../..}
data=$top/tests/src/import
ikeroam=${IKEROAM:-./ikeroam}
[ -x "$ikeroam" ] || { echo "import-cli: $ikeroam not built"; exit 99; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
conf=$dir/conf
fail=0

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# run EXPECTED_STATUS DESCRIPTION ARGS... (stdout+stderr in $dir/out)
run() {
	want=$1
	what=$2
	shift 2
	IKEROAM_CONFDIR=$conf "$ikeroam" import "$@" >"$dir/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$what (exit $rc)"
	else
		bad "$what: exit $rc, expected $want"
		sed 's/^/    /' "$dir/out"
	fi
}

says() {	# says TEXT DESCRIPTION
	if grep -qF -- "$1" "$dir/out"; then ok "$2"; else
		bad "$2: no '$1' in:"; sed 's/^/    /' "$dir/out"; fi
}

mode_is() {	# mode_is FILE MODE
	m=$(stat -c %a "$1" 2>/dev/null)
	[ "$m" = "$2" ] && ok "$(basename "$1") has mode $2" ||
		bad "$(basename "$1") has mode '$m', expected $2"
}

printf 'test-p12\n' >"$dir/p12pass"
chmod 600 "$dir/p12pass"

# 1. A certificate .sswan: PKCS#12 split, identity from the certificate.
run 0 "cert.sswan imports" "$data/cert.sswan" --name lab \
	--p12-password-file "$dir/p12pass"
says "wrote $conf/lab.key.pem (key, mode 0600)" "the key is announced"
says "wrote $conf/lab.json (profile" "the profile is announced"
says "modp1024" "the weak proposal is named"
mode_is "$conf/lab.key.pem" 600
mode_is "$conf/lab.json" 644
grep -q "BEGIN PRIVATE KEY" "$conf/lab.key.pem" && ok "plain PKCS#8 key" ||
	bad "lab.key.pem is not a plain PKCS#8 key"

# 2. The same again: refused, nothing replaced; then --force.
cp "$conf/lab.json" "$dir/lab.before"
run 2 "an existing profile is not replaced" "$data/cert.sswan" --name lab \
	--p12-password-file "$dir/p12pass"
says "exists; use --force" "the refusal says what to do"
cmp -s "$conf/lab.json" "$dir/lab.before" && ok "lab.json untouched" ||
	bad "lab.json changed"
printf 'new key pass\n' >"$dir/keypass"
chmod 600 "$dir/keypass"
run 0 "--force replaces, key re-encrypted" "$data/cert.sswan" --name lab \
	--force --p12-password-file "$dir/p12pass" \
	--key-passphrase-file "$dir/keypass"
grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$conf/lab.key.pem" &&
	ok "the key is encrypted" || bad "the key is not encrypted"
mode_is "$conf/lab.key.pem" 600

# 3. Wrong PKCS#12 password, no terminal.
printf 'wrong\n' >"$dir/badpass"
chmod 600 "$dir/badpass"
run 3 "a wrong PKCS#12 password" "$data/cert.sswan" --name lab2 \
	--p12-password-file "$dir/badpass"
says "wrong PKCS#12 password" "one line for the wrong password"
[ ! -e "$conf/lab2.json" ] && ok "nothing written" || bad "lab2.json written"

# 4. An EAP .sswan: the name from the file, the split routes refused.
run 0 "eap.sswan imports" "$data/eap.sswan"
says "split-tunneling.excluded" "split excludes are named"
mode_is "$conf/Work-VPN-EAP.json" 644

# 4b. A PSK .mobileconfig: the PSK in its own 0600 file, no CA file.
run 0 "psk.mobileconfig imports" "$data/psk.mobileconfig"
mode_is "$conf/home-psk.psk" 600
[ "$(cat "$conf/home-psk.psk")" = "a long pre-shared key for tests" ] &&
	ok "the PSK is written as given" || bad "home-psk.psk differs"
[ ! -e "$conf/home-psk.ca.pem" ] && ok "no CA file for a PSK profile" ||
	bad "home-psk.ca.pem written"
says "3DES is not offered" "the weak proposal is named"

# 5. Signed .mobileconfig: untrusted, trusted with --ca, wrong signer,
#    tampered, and --insecure-signature.
run 2 "an untrusted signer is refused" "$data/signed.mobileconfig" --name s1
says "refused: the signer's certificate is not trusted" "the refusal line"
says "CN=profiles.example.com" "the signer is shown"
run 0 "a trusted signature" "$data/signed.mobileconfig" --name office \
	--ca "$data/ca.pem" --p12-password-file "$dir/p12pass"
says "signed by CN=profiles.example.com" "the signer is shown"
says "(signature verified)" "verified"
mode_is "$conf/office.key.pem" 600
run 2 "a signer from another CA" "$data/signed-other.mobileconfig" \
	--name s2 --ca "$data/ca.pem"
says "CN=other signer" "the wrong signer is shown"
python3 - "$data/signed.mobileconfig" "$dir/tampered" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.index(b'Office')
b[i] = ord('X')
open(sys.argv[2], 'wb').write(b)
EOF
run 2 "a tampered profile" "$dir/tampered" --name s3 --ca "$data/ca.pem"
says "does not match the signed content" "the bad signature line"
run 0 "--insecure-signature imports anyway" "$data/signed-other.mobileconfig" \
	--name insecure --insecure-signature
says "THE SIGNATURE IS NOT TRUSTED" "a loud warning"
mode_is "$conf/insecure.password" 600

# 6. Bad command lines and sources.
run 2 "--name with a path" "$data/eap.sswan" --name ../evil
[ ! -e "$dir/evil.json" ] && ok "nothing outside the directory" ||
	bad "wrote outside the directory"
run 2 "http:// is refused" "http://192.0.2.1/x.sswan"
says "only https://" "the http refusal line"
run 2 "a missing file" "$dir/nope.sswan"
printf 'garbage' >"$dir/garbage.sswan"
run 2 "not a profile" "$dir/garbage.sswan"
says "neither a .sswan" "the format line"
chmod 777 "$conf"
run 10 "a group-writable directory is refused" "$data/eap.sswan" --name w
says "chmod go-w" "the directory line"
chmod 755 "$conf"

# 6b. An ikeroam profile: inline PSK moved out, relative paths made
#     absolute, keys that run programs as root dropped.
mkdir -p "$dir/src"
cp "$data/ca.pem" "$dir/src/ca.pem"
cat >"$dir/src/mine.json" <<'EOF'
{ "gateway": "192.0.2.7", "id": "me@example.com", "psk": "inline psk",
  "ca": "ca.pem", "script": "/tmp/not-run.sh" }
EOF
run 0 "an ikeroam profile imports" "$dir/src/mine.json"
says "script: not imported" "the script key is dropped, said so"
mode_is "$conf/mine.psk" 600
grep -qF "\"$dir/src/ca.pem\"" "$conf/mine.json" && ok "ca made absolute" ||
	bad "ca not rebased: $(cat "$conf/mine.json")"
grep -qE "script|inline psk" "$conf/mine.json" && bad "script or psk left" ||
	ok "no script, no inline PSK"

# 7. `ikeroam check` on what was written (the profiles whose gateway is an
#    address: check resolves names, and this test has no DNS): the .sswan
#    with its PKCS#12, the signed .mobileconfig, the PSK one.
for n in lab office home-psk mine; do
	if IKEROAM_CONFDIR=$conf "$ikeroam" check "$n" >"$dir/out" 2>&1; then
		ok "ikeroam check $n"
	else
		bad "ikeroam check $n:"; sed 's/^/    /' "$dir/out"
	fi
done

# 8. Every written profile: every named file present, secrets 0600.
python3 - "$conf" <<'EOF' || fail=1
import json, os, stat, sys
conf = sys.argv[1]
files = ("ca", "cert", "key", "psk-file", "password-file",
         "key-passphrase-file")
bad = 0
for name in sorted(os.listdir(conf)):
    if not name.endswith(".json"):
        continue
    p = json.load(open(os.path.join(conf, name)))
    assert isinstance(p, dict), name
    for k in ("gateway", "id"):
        if k not in p:
            print("FAIL: %s lacks %s" % (name, k)); bad = 1
    for k in files:
        for f in ([p[k]] if isinstance(p.get(k), str) else p.get(k, [])):
            if not os.path.isfile(f):
                print("FAIL: %s: %s %s missing" % (name, k, f)); bad = 1
            elif k in ("key", "psk-file", "password-file") and \
                    stat.S_IMODE(os.stat(f).st_mode) != 0o600:
                print("FAIL: %s: %s not 0600" % (name, f)); bad = 1
    print("ok: %s loads (%d keys)" % (name, len(p)))
sys.exit(bad)
EOF

[ $fail -eq 0 ] && echo "import-cli: all passed" || echo "import-cli: FAILED"
exit $fail
