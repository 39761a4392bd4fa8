#!/bin/bash
# The README's first command: install what is needed, build, bring up a
# local strongSwan gateway in network namespaces (RFC 5737 addresses),
# connect ikeroam to it, ping through the tunnel, disconnect, clean up.
#   scripts/demo.sh            the tunnel over UDP
#   scripts/demo.sh --hotspot  the middlebox drops all UDP: TCP (RFC 9329)
#                              against the libreswan gateway in qemu
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mode=${1:-udp}
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (network namespaces)" >&2; exit 1; }
scripts/deps.sh
scripts/deps-interop.sh >/dev/null
scripts/build.sh build
if [ "$mode" = --hotspot ]; then
	exec tests/interop/demo-hotspot.sh
fi

export IR_PREFIX=demo
GWSH=tests/interop/strongswan/gateway.sh
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$job" 2>/dev/null || true
	fi
	"$GWSH" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
echo "--- starting a strongSwan gateway (namespace demo-gw, 198.51.100.10)"
"$GWSH" start
eval "$("$GWSH" env)"
log=$IR_STATE/ikeroam-demo.log
status=$IR_STATE/ikeroam-demo.json
rm -f "$status"
echo "--- ikeroam connect --gateway $IR_GW --id $IR_PSK_ID --psk-file ..."
tests/interop/cli-exec.sh build/ikeroam connect --gateway "$IR_GW" \
    --id "$IR_PSK_ID" --psk-file "$IR_PSK_FILE" --remote-id "$IR_GW_ID" \
    --status-file "$status" >"$log" 2>&1 &
job=$!
tail -n +1 -f "$log" --pid="$job" &
# ikeroam says its own PID in --status-file: signals go to it, not to the
# wrappers (ip netns exec, unshare) between us and it.
for _ in $(seq 150); do
	grep -q '"state":"up"' "$status" 2>/dev/null && break
	kill -0 "$job" 2>/dev/null || break
	sleep 0.1
done
pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$status" 2>/dev/null || true)
grep -q '"state":"up"' "$status" 2>/dev/null ||
	{ echo "demo: the tunnel did not come up (see $log)" >&2; exit 1; }
echo "--- ping 203.0.113.10 (behind the gateway) through the tunnel"
ip netns exec "$IR_NS_CLI" ping -c 3 -i 0.3 "$IR_LAN_HOST"
echo "--- DNS pushed by the gateway, applied by vpnc-script:"
grep nameserver "$IR_RESOLV"
echo "--- Ctrl-C: ikeroam deletes the SA and restores the network"
kill -INT "$pid"
rc=0
wait "$job" || rc=$?
pid=
echo "--- ikeroam exited with status $rc; the gateway now holds" \
    "$("$GWSH" count-sas) IKE SA(s); demo done"
[ "$rc" -eq 0 ]
