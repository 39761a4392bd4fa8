#!/bin/sh
# tests/src/import-https.sh: `ikeroam import https://...` against a local
# HTTPS server (tests/src/import_https_server.py, python3's ssl) inside a
# fresh network namespace, on 192.0.2.1 (RFC 5737) with the test CA of
# tests/src/import/.  One case per failure line: success, untrusted
# certificate, HTTP 404, too large, timeout, redirect to http, too many
# redirects, connection refused, DNS, and the progress lines of a slow
# download.  Root only (unshare --net); the namespace and the server
# vanish with the inner shell.  Exit 77 (SKIP) without root; CI is root.
if [ "${1:-}" != "--inside" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "import-https: SKIP: needs root"
		exit 77
	fi
	if ! unshare --net true 2>/dev/null; then
		echo "import-https: SKIP: cannot create a network namespace"
		exit 77
	fi
	exec timeout 120 unshare --net sh "$0" --inside
fi

set -u
top=${top_srcdir:-$(dirname "$0")/../..}
data=$top/tests/src/import
ikeroam=${IKEROAM:-./ikeroam}
[ -x "$ikeroam" ] || { echo "import-https: $ikeroam not built"; exit 99; }
dir=$(mktemp -d)
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

ip link set lo up
ip addr add 192.0.2.1/32 dev lo
python3 "$top/tests/src/import_https_server.py" 192.0.2.1 8443 \
	"$data/https.pem" "$data/https.key" "$data" >"$dir/server.out" 2>&1 &
server=$!
i=0
while ! grep -q ready "$dir/server.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && { echo "import-https: the server did not start";
		cat "$dir/server.out"; exit 1; }
	sleep 0.1
done

url=https://192.0.2.1:8443
# case WANT_STATUS TEXT DESCRIPTION ARGS...
case_() {
	want=$1 text=$2 what=$3
	shift 3
	IKEROAM_CONFDIR=$dir/conf "$ikeroam" import "$@" >"$dir/out" 2>&1
	rc=$?
	if [ $rc -eq "$want" ] && grep -qF -- "$text" "$dir/out"; then
		ok "$what (exit $rc): $(grep -E 'ikeroam: import|download' \
		    "$dir/out" | head -1)"
	else
		bad "$what: exit $rc (expected $want and '$text'):"
		sed 's/^/    /' "$dir/out"
	fi
}

case_ 0 "wrote $dir/conf/eap.json" "a download with the test CA" \
	"$url/eap.sswan" --name eap --https-ca "$data/ca.pem"
case_ 1 "is not trusted" "the system store does not know the test CA" \
	"$url/eap.sswan" --name e2
case_ 1 "HTTP status 404" "a 404" "$url/none.sswan" --https-ca "$data/ca.pem"
case_ 1 "larger than 1048576 bytes" "2 MiB is refused" "$url/big" \
	--https-ca "$data/ca.pem"
case_ 1 "did not answer in time" "a server that never answers" \
	"$url/slow" --https-ca "$data/ca.pem" --timeout 2
case_ 1 "not https; refused" "a redirect to http://" "$url/redir" \
	--https-ca "$data/ca.pem"
case_ 1 "redirected more than 5 times" "a redirect loop" "$url/loop" \
	--https-ca "$data/ca.pem"
case_ 1 "cannot connect to 192.0.2.1:9" "a closed port" \
	"https://192.0.2.1:9/x.sswan" --https-ca "$data/ca.pem"
case_ 1 "cannot resolve vpn-profiles.invalid" "a name that does not resolve" \
	"https://vpn-profiles.invalid/x.sswan"
case_ 0 "downloading from 192.0.2.1:8443" "progress lines when slow" \
	"$url/drip.sswan" --name drip --https-ca "$data/ca.pem"
n=$(grep -c "downloading from" "$dir/out")
[ "$n" -ge 1 ] && [ "$n" -le 6 ] && ok "$n progress line(s), about one a second" ||
	bad "$n progress lines"

[ $fail -eq 0 ] && echo "import-https: all passed" || echo "import-https: FAILED"
exit $fail
