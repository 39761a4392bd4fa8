#!/bin/bash
# tests/interop/demo-hotspot.sh (run by "scripts/demo.sh --hotspot"):
# the network drops all UDP, as hotel and airline Wi-Fi often do.
# ikeroam tries UDP, falls back to TCP (RFC 9329) within seconds and the
# tunnel comes up against libreswan 4.10 in a qemu guest (the kernel of
# ../shared/interop/ with espintcp).  A second connection from the same
# network goes straight to TCP: ikeroam remembered that UDP is blocked.
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
IKEROAM=${IKEROAM:-$top/build/ikeroam}
export LSGW_PREFIX=${LSGW_PREFIX:-idemo}
GWSH=$here/libreswan/gateway.sh
state=$(mktemp -d /tmp/ikeroam-hotspot-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	"$GWSH" stop >/dev/null 2>&1 || true
	rm -rf "$state"
}
trap cleanup EXIT

"$top/scripts/deps-interop-ls.sh" >/dev/null
echo "--- building the libreswan guest image (cached after the first run) and booting it"
"$GWSH" start
eval "$("$GWSH" env)"
printf '%s\n' "$LSGW_PSK" >"$state/psk"
chmod 600 "$state/psk"
echo "--- hotspot mode: the middlebox drops every UDP datagram"
"$GWSH" hotspot on

connect_once() {
	local log=$state/ikeroam-$1.log
	: >"$log"
	ip netns exec "$LSGW_CLIENT_NS" unshare --mount --propagation private \
	    sh -c 'mount -t tmpfs none /run && exec "$@"' sh \
	    "$IKEROAM" connect --gateway "$LSGW_ADDR" --id "@$LSGW_CLIENT_PSK_ID" \
	    --psk-file "$state/psk" --remote-id "@$LSGW_ID" --script none \
	    --network-id demo-hotspot --state-file "$state/networks.json" \
	    --captive-url none >"$log" 2>&1 </dev/null &
	pid=$!
	tail -n +1 -f "$log" --pid="$pid" &
	for _ in $(seq 600); do
		grep -q "tunnel up" "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	grep -q "tunnel up" "$log" || { echo "demo: no tunnel" >&2; exit 1; }
	echo "--- ping 203.0.113.10 behind the gateway, through ESP in TCP"
	ip netns exec "$LSGW_CLIENT_NS" ping -c 3 -i 0.5 "$LSGW_PROTECTED"
	kill -INT "$pid"
	wait "$pid" || true
	pid=
	sleep 0.3
}

echo "=== first connection: UDP first, then TCP"
connect_once first
echo "=== second connection from the same network: straight to TCP"
connect_once second
echo "--- demo done"
