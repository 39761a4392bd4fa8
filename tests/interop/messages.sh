#!/bin/bash
# tests/interop/messages.sh: the one line and the exit status of each
# failure a user meets first (man ikeroam(8), MESSAGES), against the
# netns.sh topology with no VPN gateway at all: the gateway's namespace
# runs a listener that refuses TCP 4500 or answers it with HTTP, a TLS
# alert or junk; the client's DNS and routes are broken on purpose;
# ikeroam runs as a user without CAP_NET_ADMIN.  Each case asserts the
# exact last line on stderr and the exit status, then --quiet (only that
# line), --json-log (every line a JSON object, the last with
# exit_status) and "path changed" said at most once.  Root.
set -u -o pipefail
IR_PREFIX=${IR_PREFIX:-irmsg}
export IR_PREFIX
IR_TAG=messages
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
ir_find_ikeroam
NETNS=$IR_HERE/netns.sh

lp=
cleanup() {
	[ -z "$lp" ] || { kill "$lp" 2>/dev/null; wait "$lp" 2>/dev/null; }
	"$NETNS" down >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
tmp=$(mktemp -d)
trap cleanup EXIT
"$NETNS" up >/dev/null || ir_die "netns.sh up failed"
eval "$("$NETNS" env)"
chmod 755 "$tmp"
printf 'messages-test-psk-0123456789\n' >"$tmp/psk"
chmod 600 "$tmp/psk"

fails=0
# run NAME OUT_PREFIX ARGS...: ikeroam connect in the client namespace,
# at most 40 s (timeout ends the whole process group).
run() {
	local out=$tmp/$1
	shift
	timeout -k 5 40 "$IR_HERE/cli-exec.sh" "$@" >"$out.out" 2>"$out.err"
	echo $? >"$out.rc"
}
connect_args() {
	echo "$IKEROAM" connect --id client@messages.test --psk-file \
	    "$tmp/psk" --script none --captive-url none --giveup-timeout 5000
}
# expect NAME STATUS LINE: the last line on stderr and the exit status.
expect() {
	local name=$1 want_rc=$2 want=$3 got rc
	got=$(tail -n 1 "$tmp/$name.err")
	rc=$(cat "$tmp/$name.rc")
	if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		echo "ok: $name: exit $rc: $got"
	else
		echo "FAIL: $name: exit $rc (want $want_rc): '$got'"
		echo "      want: '$want'"
		sed 's/^/      | /' "$tmp/$name.err" | tail -8
		fails=$((fails + 1))
	fi
}
# listen MODE: the gateway's TCP 4500 answers with MODE (or refuses).
listen() {
	[ -z "$lp" ] || { kill "$lp" 2>/dev/null; wait "$lp" 2>/dev/null; }
	lp=
	[ "$1" = refuse ] && return 0
	ip netns exec "$IR_NS_GW" timeout 60 python3 - "$1" <<'PY' &
import socket, sys
answers = {"http": b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
           "tls": b"\x15\x03\x03\x00\x02\x02\x46",   # TLS alert
           "junk": bytes(range(200, 256)) * 4}
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 4500))
s.listen(8)
while True:
    c, _ = s.accept()
    c.settimeout(5)
    try:
        c.recv(4096)
    except OSError:
        pass
    c.sendall(answers[sys.argv[1]])
    c.close()
PY
	lp=$!
	ir_wait 100 0.05 eval "ip netns exec $IR_NS_GW ss -ltn | grep -q ':4500 '" ||
		ir_die "the listener did not start"
}

gw=$IR_GW
# shellcheck disable=SC2046
{
listen refuse
run refused $(connect_args) --gateway "$gw" --transport tcp
expect refused 5 "ikeroam: gateway $gw refused TCP 4500: it does not accept RFC 9329 TCP"

run quiet $(connect_args) --gateway "$gw" --transport tcp --quiet
if [ "$(cat "$tmp/quiet.err")" = "ikeroam: gateway $gw refused TCP 4500: it does not accept RFC 9329 TCP" ]; then
	echo "ok: --quiet: the error line only"
else
	echo "FAIL: --quiet printed:"; sed 's/^/      | /' "$tmp/quiet.err"
	fails=$((fails + 1))
fi

run json $(connect_args) --gateway "$gw" --transport tcp --json-log
if python3 - "$tmp/json.err" "$gw" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
objs = [json.loads(l) for l in lines]
assert len(objs) >= 2, lines
for o in objs:
    assert set(o) >= {"time", "level", "pid", "message"}, o
last = objs[-1]
assert last["level"] == "error" and last["exit_status"] == 5, last
assert last["message"] == ("gateway %s refused TCP 4500: it does not "
                           "accept RFC 9329 TCP" % sys.argv[2]), last
PY
then
	echo "ok: --json-log: $(wc -l <"$tmp/json.err") JSON lines, exit_status 5"
else
	echo "FAIL: --json-log:"; sed 's/^/      | /' "$tmp/json.err"
	fails=$((fails + 1))
fi

for mode in http tls junk; do
	listen "$mode"
	run "$mode" $(connect_args) --gateway "$gw" --transport tcp
done
listen refuse
expect http 5 "ikeroam: gateway $gw answered TCP 4500 with HTTP (a web server), not RFC 9329: check --tcp-port"
expect tls 5 "ikeroam: gateway $gw answered TCP 4500 with TLS (a TLS server), not RFC 9329: check --tcp-port"
expect junk 5 "ikeroam: gateway $gw answered TCP 4500 with data, not RFC 9329: check --tcp-port"
# The TCP connection is re-opened (RFC 9329 §6.1) before giving up: the
# path is said once, not once per re-open.
n=$(grep -c 'path changed' "$tmp/tls.err")
[ "$n" -le 1 ] && echo "ok: 'path changed' said $n time(s)" ||
	{ echo "FAIL: 'path changed' said $n times"; fails=$((fails + 1)); }

# The scratch resolv.conf names the middlebox, which runs no DNS server.
run dns $(connect_args) --gateway vpn.nonexistent.invalid
got=$(tail -n 1 "$tmp/dns.err")
if [ "$(cat "$tmp/dns.rc")" = 5 ] && [[ $got == "ikeroam: cannot resolve gateway 'vpn.nonexistent.invalid': "*"; check the name and your DNS" ]]; then
	echo "ok: dns: exit 5: $got"
else
	echo "FAIL: dns: exit $(cat "$tmp/dns.rc"): '$got'"
	fails=$((fails + 1))
fi

ip netns exec "$IR_NS_CLI" ip route del default
run noroute $(connect_args) --gateway "$gw"
ip netns exec "$IR_NS_CLI" ip route add default via "$IR_MID_CLI_ADDR"
expect noroute 5 "ikeroam: no route to gateway $gw (Network is unreachable): is this machine connected to a network?"

run noperm setpriv --reuid=nobody --regid=nogroup --clear-groups \
    --inh-caps=-all --bounding-set=-all $(connect_args) --gateway "$gw"
expect noperm 10 "ikeroam: permission denied: a tunnel needs root or CAP_NET_ADMIN (the TUN device, addresses, routes); run ikeroam with sudo"
}
[ "$fails" -eq 0 ] && echo "messages: all passed"
[ "$fails" -eq 0 ]
