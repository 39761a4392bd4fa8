#!/bin/bash
# The README's first command: install what is needed, build, bring up a
# local strongSwan gateway in network namespaces (RFC 5737 addresses),
# connect ikeroam to it, ping through the tunnel, disconnect, clean up.
#   scripts/demo.sh            the tunnel over UDP
#   scripts/demo.sh --hotspot  the middlebox drops all UDP: TCP (RFC 9329)
#                              against the libreswan gateway in qemu
# It ends with ikeroam's exit status (0 after a clean disconnect) and
# leaves nothing running, whenever it stops: every process it started is
# in one process group that the clean-up ends, and the gateway's script
# removes the namespaces.  Environment:
#   IKEROAM    the ikeroam to run [build/ikeroam, built first]
#   IR_PREFIX  namespace prefix [demo]
#   DEMO_PIDS  append the PIDs the demo started to this file (for tests)
#   DEMO_PROFILE  connect through the profile /etc/ikeroam/NAME.json,
#              written for the run and removed after (the installed
#              package's test)
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mode=${1:-udp}
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (network namespaces)" >&2; exit 1; }
scripts/deps.sh
scripts/deps-interop.sh >/dev/null
if [ -z "${IKEROAM:-}" ]; then
	scripts/build.sh build
	IKEROAM=build/ikeroam
fi
if [ "$mode" = --hotspot ]; then
	exec tests/interop/demo-hotspot.sh
fi

export IR_PREFIX=${IR_PREFIX:-demo}
GWSH=tests/interop/strongswan/gateway.sh
job=		# the process group of the client and its wrappers
pid=		# ikeroam itself, from its --status-file
tailpid=
status=
installed=	# a profile this run put in /etc/ikeroam

record() {
	[ -z "${DEMO_PIDS:-}" ] || echo "$*" >>"$DEMO_PIDS"
}

alive() {
	kill -0 "$1" 2>/dev/null
}

status_pid() {
	sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$status" 2>/dev/null | head -1
}

# ikeroam gets SIGINT (a clean disconnect) and up to 10 s; then whatever
# is left of the group (the wrappers, or an ikeroam that had not yet said
# its PID) gets SIGKILL.  0 or 1: did it end on its own?
stop_client() {
	local i clean=0
	[ -n "$job" ] || return 0
	[ -n "$pid" ] || pid=$(status_pid)
	if [ -n "$pid" ] && alive "$pid"; then
		kill -INT "$pid" 2>/dev/null || true
		for i in $(seq 100); do
			alive "$job" || break
			sleep 0.1
		done
	fi
	alive "$job" && clean=1
	kill -KILL -- "-$job" 2>/dev/null || true
	return $clean
}

cleanup() {
	stop_client || true
	wait 2>/dev/null || true
	if [ -n "$tailpid" ]; then
		kill "$tailpid" 2>/dev/null || true
		wait "$tailpid" 2>/dev/null || true
	fi
	"$GWSH" stop >/dev/null 2>&1 || true
	[ -z "$installed" ] || rm -f "$installed"
}
trap cleanup EXIT
# A demo killed before its clean-up ran left the gateway behind.
"$GWSH" stop >/dev/null 2>&1 || true
echo "--- starting a strongSwan gateway (namespace $IR_PREFIX-gw, 198.51.100.10)"
"$GWSH" start
record "$("$GWSH" status | sed -n 's/.*charon pid \([0-9]*\).*/\1/p')"
eval "$("$GWSH" env)"
log=$IR_STATE/ikeroam-demo.log
status=$IR_STATE/ikeroam-demo.json
rm -f "$status"
# A profile (man 5 ikeroam.json) holds what the command line would.
# DEMO_PROFILE=NAME puts it in /etc/ikeroam and connects by its name.
if [ -n "${DEMO_PROFILE:-}" ]; then
	profile=/etc/ikeroam/$DEMO_PROFILE.json
	installed=$profile
	target=$DEMO_PROFILE
else
	profile=$IR_STATE/demo.json
	target=$profile
fi
cat >"$profile" <<EOF
{
  "name": "demo",
  "gateway": "$IR_GW",
  "id": "$IR_PSK_ID",
  "psk-file": "$IR_PSK_FILE",
  "remote-id": "$IR_GW_ID",
  "status-file": "$status"
}
EOF
chmod 644 "$profile"
echo "--- the profile $profile:"
cat "$profile"
echo "--- ikeroam check $target"
"$IKEROAM" check "$target"
echo "--- ikeroam connect $target"
# setsid: the client and its wrappers (ip netns exec, unshare) form one
# process group, $job, which the clean-up can end as a whole.
setsid tests/interop/cli-exec.sh "$IKEROAM" connect "$target" \
    >"$log" 2>&1 </dev/null &
job=$!
record "$job"
tail -n +1 -f "$log" --pid="$job" &
tailpid=$!
record "$tailpid"
# ikeroam says its own PID in --status-file: signals go to it, not to the
# wrappers between us and it.
for _ in $(seq 150); do
	grep -q '"state":"up"' "$status" 2>/dev/null && break
	alive "$job" || break
	sleep 0.1
done
pid=$(status_pid)
[ -z "$pid" ] || record "$pid"
grep -q '"state":"up"' "$status" 2>/dev/null ||
	{ echo "demo: the tunnel did not come up (see $log)" >&2; exit 1; }
echo "--- ping 203.0.113.10 (behind the gateway) through the tunnel"
ip netns exec "$IR_NS_CLI" ping -c 3 -i 0.3 "$IR_LAN_HOST"
echo "--- DNS pushed by the gateway, applied by vpnc-script:"
grep nameserver "$IR_RESOLV"
echo "--- Ctrl-C: ikeroam deletes the SA and restores the network"
stop_client || { echo "demo: ikeroam did not stop within 10 s" >&2; exit 1; }
rc=0
wait "$job" || rc=$?
job=
echo "--- ikeroam exited with status $rc; the gateway now holds" \
    "$("$GWSH" count-sas) IKE SA(s); demo done"
[ "$rc" -eq 0 ]
