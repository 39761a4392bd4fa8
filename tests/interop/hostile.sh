#!/bin/bash
# tests/interop/hostile.sh: ikeroam against a gateway that turns hostile
# once the tunnel is up (tests/interop/hostile_gw.c, issue 8 item 7).
#
# hostile_gw authenticates normally, then sends malformed and unexpected
# encrypted requests (unknown critical payloads, bad chains, wrong
# message IDs, a huge CP, Deletes for unknown SPIs, floods) and
# unauthenticated junk, one case at a time, and checks each answer
# against RFC 7296.  A ping runs through the tunnel meanwhile.  This
# script checks that every case passed, that ikeroam is still up and
# carries traffic, that it exits 0 on SIGINT, and that the sanitizer
# build ($IKEROAM_ASAN, default build-asan/ikeroam) reports nothing;
# without a sanitizer build the suite fails rather than skip.
#
# Environment: IKEROAM_ASAN, HOSTILE_GW (default build/tests/interop/
# hostile_gw), IR_PREFIX (default hst).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-hst}
IR_TAG=hostile
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
export IR_STATE
ir_need_root
ir_need_cmds ping python3
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=${IKEROAM:-$TOP/build/ikeroam}
IKEROAM_ASAN=${IKEROAM_ASAN:-$TOP/build-asan/ikeroam}
HOSTILE_GW=$(readlink -f "${HOSTILE_GW:-$(dirname "$IKEROAM")/tests/interop/hostile_gw}")
NETNS=$IR_HERE/netns.sh
[ -x "$HOSTILE_GW" ] || ir_die "$HOSTILE_GW not built (make tests/interop/hostile_gw)"

pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
PING_PID=

cleanup() {
	[ -n "$PING_PID" ] && kill "$PING_PID" 2>/dev/null
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	ir_stop_all
	"$NETNS" down >/dev/null 2>&1
}
ir_on_exit cleanup

gw_done() { grep -q '^hostile_gw: [0-9]* passed' "$GWLOG"; }

if [ -x "$IKEROAM_ASAN" ]; then
	BIN=$(readlink -f "$IKEROAM_ASAN")
	KIND="the ASan/UBSan build"
	# LeakSanitizer's tracer cannot read the network part, which is
	# not dumpable and runs as another user; memory errors still abort.
	export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1
else
	BIN=$(readlink -f "$IKEROAM")
	KIND="the plain build"
	bad "no sanitizer build at $IKEROAM_ASAN (configure --enable-sanitizers)"
fi
[ -x "$BIN" ] || ir_die "$BIN not built"

"$NETNS" down >/dev/null 2>&1
"$NETNS" up >/dev/null 2>&1 || ir_die "netns.sh up failed"
eval "$("$NETNS" env)"
mkdir -p "$IR_STATE/secrets"
chmod 0700 "$IR_STATE/secrets"
(umask 077 && printf 'hostile-%s\n' "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" \
    >"$IR_STATE/secrets/psk")
GWLOG=$IR_STATE/hostile_gw.log
ir_spawn hostilegw "$IR_NS_GW" "$IR_STATE/gw-run" "$GWLOG" \
    "$HOSTILE_GW" --psk-file "$IR_STATE/secrets/psk" \
    --pool 198.51.100.129 --dns "$IR_DNS" -v
ir_wait 100 0.05 eval "ip netns exec $IR_NS_GW ss -lun | grep -q ':4500 '" ||
    ir_die "hostile_gw is not listening (see $GWLOG)"

LOG=$IR_STATE/ikeroam.log
ir_cli_run "$BIN" connect --gateway "$IR_GW" -v --script none \
    --captive-url none --id client-psk@vpn.test --remote-id vpn.test \
    --psk-file "$IR_STATE/secrets/psk" --giveup-timeout 10000 \
    --reconnect-timeout 0 >"$LOG" 2>&1 </dev/null &
CLIENT_PID=$!
IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
echo "hostile: ikeroam is $KIND ($BIN)"
if ! ir_wait 300 0.1 up_or_dead || ! tunnel_up; then
	bad "tunnel up with hostile_gw (see $LOG)"
	tail -5 "$LOG" | sed 's/^/    /'
	exit 1
fi
# A ping through the tunnel the whole time (hostile_gw answers it).
ip netns exec "$IR_NS_CLI" timeout 120 ping -n -q -i 0.2 -W 1 -w 110 \
    "$IR_DNS" >"$IR_STATE/ping.out" 2>&1 &
PING_PID=$!

if ! ir_wait 900 0.1 gw_done; then
	bad "hostile_gw finished its cases within 90 s (see $GWLOG)"
fi
# Its PASS/FAIL lines are this suite's.
while IFS= read -r line; do
	case $line in
	"PASS: "*) echo "$line"; pass=$((pass + 1)) ;;
	"FAIL: "*) echo "$line"; fail=$((fail + 1)) ;;
	esac
done <"$GWLOG"
kill "$PING_PID" 2>/dev/null
wait "$PING_PID" 2>/dev/null
PING_PID=

check "ikeroam still running after the hostile cases" client_alive
check "ikeroam still up (no reconnect, no new IKE SA)" \
    test "$(grep -c 'IKE_SA_INIT request 0' "$LOG")" = 1
check "ping $IR_DNS through the tunnel after the cases" \
    ir_ping "$IR_NS_CLI" "$IR_DNS" 10
echo "hostile: ping during the cases: $(grep 'packets transmitted' "$IR_STATE/ping.out")"
kill -INT "$IKEROAM_PID" 2>/dev/null
ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 15
rc=$?
CLIENT_PID=
check "exit status 0 after SIGINT (got $rc)" test "$rc" = 0
check "no sanitizer report in ikeroam's log" \
    eval "! grep -qE 'ERROR: (Address|Undefined)Sanitizer|runtime error:' '$LOG'"
IKEROAM_PID=
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
