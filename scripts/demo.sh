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
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	"$GWSH" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
echo "--- starting a strongSwan gateway (namespace demo-gw, 198.51.100.10)"
"$GWSH" start
eval "$("$GWSH" env)"
log=$IR_STATE/ikeroam-demo.log
echo "--- ikeroam connect --gateway $IR_GW --id $IR_PSK_ID --psk-file ..."
tests/interop/cli-exec.sh build/ikeroam connect --gateway "$IR_GW" \
    --id "$IR_PSK_ID" --psk-file "$IR_PSK_FILE" --remote-id "$IR_GW_ID" \
    >"$log" 2>&1 &
job=$!
tail -n +1 -f "$log" --pid="$job" &
# The ikeroam process under the job (signals go to it, not the wrapper).
pid=$job
for _ in $(seq 100); do
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = ikeroam ] && break
	child=$(pgrep -P "$pid" | head -1 || true)
	if [ -n "$child" ]; then pid=$child; else sleep 0.05; fi
done
for _ in $(seq 100); do
	grep -q "tunnel up" "$log" && break
	kill -0 "$job" 2>/dev/null || break
	sleep 0.1
done
grep -q "tunnel up" "$log" || { echo "demo: the tunnel did not come up" >&2; exit 1; }
echo "--- ping 203.0.113.10 (behind the gateway) through the tunnel"
ip netns exec "$IR_NS_CLI" ping -c 3 -i 0.3 "$IR_LAN_HOST"
echo "--- DNS pushed by the gateway, applied by vpnc-script:"
grep nameserver "$IR_RESOLV"
echo "--- Ctrl-C: ikeroam deletes the SA and restores the network"
kill -INT "$pid"
wait "$job" || true
pid=
sleep 0.2
echo "--- the gateway now holds $("$GWSH" count-sas) IKE SA(s); demo done"
