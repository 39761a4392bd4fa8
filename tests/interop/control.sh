#!/bin/bash
# tests/interop/control.sh: the control socket (src/control*.c, man
# ikeroam(8) CONTROL SOCKET) against a real strongSwan gateway in network
# namespaces (RFC 5737 addresses), with privilege separation (the
# default): the privileged part makes the socket, the network part (user
# ikeroam or nobody, seccomp) serves it.
#
#  1. profile "ctlprof" (control-group adm): /run/ikeroam/ctlprof.sock,
#     0660 root:adm; `ikeroam status` from a second process, human and
#     --json (python3 json); uid nobody outside adm refused (exit 10),
#     nobody with adm as a supplementary group allowed (SO_PEERGROUPS);
#     a subscriber sees state, config and counters events, and after
#     `ikeroam reconnect` a new config; a second connect is refused
#     (exit 13); a malformed request gets an error reply;
#     `ikeroam disconnect` (exit 0), the exit event, ikeroam exits 0, the
#     socket is gone, the gateway holds no SA.
#  2. a stale socket is replaced; SIGKILL of the network part leaves no
#     socket.
#  3. --netcfg external --control-socket in a 0700 directory (what
#     NetworkManager runs): the TUN and its MTU only, no address and no
#     route on it; the config event has the pool address, the route and
#     the DNS server; sd_notify READY=1 on a NOTIFY_SOCKET we bind.
#  4. --background: 0 with the tunnel up; a wrong PSK: 3 with its line.
#
# Prints PASS/FAIL per check and ends with "N passed, N failed".
# Environment: IKEROAM (default build/ikeroam), IR_PREFIX (default ctl).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-ctl}
IR_TAG=control
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
ir_need_root
ir_find_ikeroam
GWSH=$IR_HERE/strongswan/gateway.sh
CTL=$IR_HERE/control/ctl-client.py
ir_need_cmds charon-cmd swanctl python3 setpriv

pass=0
fail=0
CLIENT_PID=
IKEROAM_PID=
LOG=
RUN=$IR_STATE/cli/run			# /run as the client sees it
SOCK=$RUN/ikeroam/ctlprof.sock
ADM=$(getent group adm | cut -d: -f3)

cleanup() {
	[ -n "$IKEROAM_PID" ] && kill -KILL "$IKEROAM_PID" 2>/dev/null
	[ -n "$CLIENT_PID" ] && kill -KILL "$CLIENT_PID" 2>/dev/null
	"$GWSH" stop >/dev/null 2>&1
}
ir_on_exit cleanup

sas_gone() { [ "$("$GWSH" count-sas 2>/dev/null)" = 0 ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
cli() { ir_cli_run "$@"; }		# a second process beside ikeroam

connect() {	# connect NAME ARGS...
	LOG=$IR_STATE/control-$1.log
	shift
	: >"$LOG"
	IKEROAM_CONFDIR=$IR_STATE/profiles ir_cli_run "$IKEROAM" connect \
	    "$@" -v >>"$LOG" 2>&1 </dev/null &
	CLIENT_PID=$!
	IKEROAM_PID=$(ir_find_comm "$CLIENT_PID" ikeroam)
}

finish() {	# finish: wait for the client's exit status
	local rc
	ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 20
	rc=$?
	CLIENT_PID=
	return $rc
}

json_get() {	# json_get FILE PYEXPR (j is the object)
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

net_part() { pgrep -P "$IKEROAM_PID" -x ikeroam-net | head -1; }

# ---- 1. a profile's socket: status, access, events, reconnect, disconnect -
profile_case() {
	local out=$IR_STATE/control-status.txt js=$IR_STATE/control-status.json
	local ev=$IR_STATE/control-events.jsonl rc sub line
	rm -f "$ev"
	connect prof ctlprof
	wait_up prof || { kill -INT "$IKEROAM_PID"; finish; return; }
	check "prof: socket $SOCK is a socket" test -S "$SOCK"
	check "prof: mode 0660, root:adm ($(stat -c '%a %U:%G' "$SOCK"))" \
	    test "$(stat -c '%a %u:%g' "$SOCK")" = "660 0:$ADM"
	cli "$IKEROAM" status ctlprof >"$out" 2>&1
	rc=$?
	check "prof: ikeroam status from another process: exit 0 (got $rc)" test "$rc" = 0
	check "prof: human status says up, the gateway, the transport and the address" \
	    eval "grep -q '^ctlprof: up' '$out' && grep -q 'transport *udp' '$out' &&
	    grep -q 'address *198.51.100.1[2-9][0-9]' '$out' && grep -q 'child SA' '$out'"
	sed 's/^/    /' "$out"
	cli "$IKEROAM" status ctlprof --json >"$js" 2>&1
	check "prof: --json parses: state up, interface, address in the pool, counters" \
	    test "$(json_get "$js" '(j["state"], j["interface"][:3], j["address"].startswith("198.51.100.1"), "tx_esp" in j["counters"])')" = "('up', 'tun', True, True)"
	cli "$IKEROAM" status --json >"$js" 2>&1
	check "prof: status without NAME lists it" \
	    test "$(json_get "$js" '[s["name"] for s in j]')" = "['ctlprof']"
	line=$(cli setpriv --reuid 65534 --regid 65534 --clear-groups \
	    "$IKEROAM" status ctlprof 2>&1)
	rc=$?
	check "prof: uid nobody outside adm refused: exit 10 (got $rc: $line)" \
	    eval "test $rc = 10 && test \$(printf '%s\n' \"\$line\" | wc -l) = 1"
	cli setpriv --reuid 65534 --regid 65534 --groups "$ADM" \
	    "$IKEROAM" status ctlprof --json >"$js" 2>&1
	rc=$?
	check "prof: uid nobody with adm as a supplementary group allowed (exit $rc)" \
	    test "$rc:$(json_get "$js" 'j["state"]')" = "0:up"
	line=$(cli python3 "$CTL" raw /run/ikeroam/ctlprof.sock '{"id":7,"cmd":"fly"}')
	check "prof: an unknown command gets an error reply ($line)" \
	    eval "printf '%s' '$line' | grep -q '\"ok\": *false'"
	line=$(cli python3 "$CTL" raw /run/ikeroam/ctlprof.sock '[1,2')
	check "prof: malformed JSON gets an error reply ($line)" \
	    eval "printf '%s' '$line' | grep -q '\"ok\": *false'"

	# A subscriber across a reconnect.
	cli python3 "$CTL" subscribe /run/ikeroam/ctlprof.sock 14 "$ev" &
	sub=$!
	ir_wait 50 0.1 eval "grep -q '\"event\":\"config\"' '$ev' 2>/dev/null"
	line=$(cli "$IKEROAM" reconnect ctlprof 2>&1)
	rc=$?
	check "prof: ikeroam reconnect: exit 0 ($line)" test "$rc" = 0
	wait "$sub"
	check "prof: subscriber saw state events (up, reconnecting)" \
	    eval "grep -q '\"state\":\"up\"' '$ev' && grep -q '\"state\":\"reconnecting\"' '$ev'"
	check "prof: config event as NetworkManager reads it (interface, gateway, ip4 address, route, dns, domains)" \
	    python3 -c 'import json,sys
c=[json.loads(l) for l in open(sys.argv[1]) if "\"config\"" in l][0]
i=c["ip4"]
assert c["interface"].startswith("tun") and c["gateway"]=="198.51.100.10" and c["mtu"]>=1280
assert i["address"].startswith("198.51.100.1") and i["prefix"]==32
assert {"dest":"203.0.113.0","prefix":24} in i["routes"] and i["never_default"]
assert i["dns"]==["203.0.113.53"]' "$ev"
	check "prof: config sent again after the reconnect (2 config events: $(grep -c '"config"' "$ev"))" \
	    test "$(grep -c '"event":"config"' "$ev")" -ge 2
	check "prof: counters events every few seconds ($(grep -c '"counters"' "$ev"))" \
	    test "$(grep -c '"event":"counters"' "$ev")" -ge 2
	check "prof: transport event" grep -q '"event":"transport","transport":"udp"' "$ev"
	check "prof: ping through the tunnel after the reconnect" \
	    ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" 30

	# The same connection twice.
	line=$(IKEROAM_CONFDIR=$IR_STATE/profiles cli "$IKEROAM" connect ctlprof 2>&1 </dev/null)
	rc=$?
	check "prof: a second connect ctlprof: exit 13 (got $rc), one line" \
	    eval "test $rc = 13 && printf '%s' \"\$line\" | grep -q 'already running'"
	echo "    $line"

	ev=$IR_STATE/control-events2.jsonl
	rm -f "$ev"
	cli python3 "$CTL" subscribe /run/ikeroam/ctlprof.sock 10 "$ev" &
	sub=$!
	ir_wait 50 0.1 eval "grep -q '\"event\":\"config\"' '$ev' 2>/dev/null"
	line=$(cli "$IKEROAM" disconnect ctlprof 2>&1)
	rc=$?
	check "prof: ikeroam disconnect: exit 0 ($line)" test "$rc" = 0
	finish
	rc=$?
	wait "$sub"
	check "prof: ikeroam exited 0 (got $rc)" test "$rc" = 0
	check "prof: exit event with exit_status 0" \
	    grep -q '"event":"exit","exit_status":0' "$ev"
	check "prof: socket gone" test ! -e "$SOCK"
	check "prof: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
	line=$(cli "$IKEROAM" status ctlprof 2>&1)
	rc=$?
	check "prof: status of a connection that does not run: exit 14 ($line)" test "$rc" = 14
}

# ---- 2. a stale socket is replaced; SIGKILL of the network part ------------
stale_case() {
	local net rc
	cli python3 "$CTL" stale /run/ikeroam/ctlprof.sock
	check "stale: a socket nobody listens on" test -S "$SOCK"
	connect stale ctlprof
	wait_up stale || { kill -INT "$IKEROAM_PID"; finish; return; }
	check "stale: replaced: status answers" \
	    eval "cli '$IKEROAM' status ctlprof >/dev/null 2>&1"
	net=$(net_part)
	kill -KILL "$net"
	finish
	rc=$?
	check "stale: SIGKILL of the network part ($net): the privileged part exits 1 (got $rc)" \
	    test "$rc" = 1
	check "stale: no socket left" test ! -e "$SOCK"
	"$GWSH" terminate >/dev/null 2>&1 || true
}

# ---- 3. --netcfg external as NetworkManager runs it; sd_notify --------------
external_case() {
	local ev=$IR_STATE/control-ext.jsonl nt=$IR_STATE/control-notify.txt
	local dir=$RUN/ikeroam/nm-ctl sub nsub rc tun
	rm -f "$ev"
	mkdir -p "$RUN/ikeroam"
	mkdir -m 0700 -p "$dir"
	rm -f "$nt" "$RUN/notify.sock"
	cli python3 "$CTL" notify /run/notify.sock 25 "$nt" &
	nsub=$!
	ir_wait 50 0.1 test -S "$RUN/notify.sock"
	NOTIFY_SOCKET=/run/notify.sock connect ext --gateway "$IR_GW" \
	    "${PSK[@]}" --netcfg external \
	    --control-socket /run/ikeroam/nm-ctl/control.sock
	ir_wait 100 0.1 test -S "$dir/control.sock"
	cli python3 "$CTL" subscribe /run/ikeroam/nm-ctl/control.sock 8 "$ev" &
	sub=$!
	wait_up ext || { kill -INT "$IKEROAM_PID"; finish; return; }
	ir_wait 50 0.1 eval "grep -q '\"event\":\"config\"' '$ev' 2>/dev/null"
	check "ext: socket 0600 in the 0700 directory" \
	    test "$(stat -c %a "$dir/control.sock")" = 600
	tun=$(json_get <(grep '"event":"config"' "$ev" | head -1) 'j["interface"]')
	check "ext: the config event names the TUN ($tun) and the pool address" \
	    eval "grep '\"event\":\"config\"' '$ev' | grep -q '\"address\":\"198.51.100.1'"
	check "ext: the TUN $tun exists, up, with its MTU" \
	    eval "ip netns exec '$IR_NS_CLI' ip link show '$tun' | grep -q 'mtu 1[0-9][0-9][0-9]'"
	check "ext: no address on the TUN (but the kernel's link-local)" \
	    eval "! ip netns exec '$IR_NS_CLI' ip -o addr show dev '$tun' scope global | grep -q inet"
	check "ext: no route into the TUN" \
	    eval "! ip netns exec '$IR_NS_CLI' ip route show dev '$tun' | grep -q ."
	check "ext: resolv.conf untouched" eval "! grep -q '$IR_DNS' '$IR_STATE/cli/resolv.conf'"
	check "ext: sd_notify READY=1 from the main PID" \
	    ir_wait 50 0.1 grep -q '^READY=1' "$nt"
	cli "$IKEROAM" disconnect --socket /run/ikeroam/nm-ctl/control.sock >/dev/null 2>&1
	finish
	rc=$?
	wait "$sub"
	check "ext: disconnect: exit 0 (got $rc), socket gone" \
	    eval "test $rc = 0 && test ! -e '$dir/control.sock'"
	check "ext: sd_notify STOPPING=1" ir_wait 50 0.1 grep -q '^STOPPING=1' "$nt"
	kill "$nsub" 2>/dev/null
	wait "$nsub" 2>/dev/null
	rmdir "$dir"
	check "ext: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
}

# ---- 4. --background ---------------------------------------------------------
background_case() {
	local line rc t0
	ir_cli_resolv_reset
	t0=$(ir_now_ms)
	line=$(IKEROAM_CONFDIR=$IR_STATE/profiles cli "$IKEROAM" connect ctlprof \
	    --background 2>&1 </dev/null)
	rc=$?
	check "bg: --background returns 0 once up, in $(( $(ir_now_ms) - t0 )) ms (got $rc: $line)" \
	    test "$rc" = 0
	check "bg: the tunnel is up: status says so, ping" \
	    eval "cli '$IKEROAM' status ctlprof | grep -q '^ctlprof: up' &&
	    ir_ping '$IR_NS_CLI' '$IR_LAN_HOST' 30"
	line=$(cli "$IKEROAM" disconnect 2>&1)
	rc=$?
	check "bg: ikeroam disconnect without NAME: exit 0 ($line)" test "$rc" = 0
	check "bg: socket gone" ir_wait 50 0.1 test ! -e "$SOCK"
	line=$(cli "$IKEROAM" connect --gateway "$IR_GW" --id "$IR_PSK_ID" \
	    --psk-file "$IR_STATE/control-wrong-psk" --remote-id "$IR_GW_ID" \
	    --background 2>&1 </dev/null)
	rc=$?
	check "bg: a wrong PSK: exit 3 (got $rc) and one line about authentication" \
	    eval "test $rc = 3 && test \$(printf '%s\n' \"\$line\" | wc -l) = 1 &&
	    printf '%s' \"\$line\" | grep -qi authentication"
	echo "    $line"
	check "bg: gateway holds no IKE SA" ir_wait 50 0.1 sas_gone
}

# ---- the run -------------------------------------------------------------------
t_start=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1 || true
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
PSK=(--id "$IR_PSK_ID" --psk-file "$IR_PSK_FILE" --remote-id "$IR_GW_ID")
rm -rf "$RUN/ikeroam"
mkdir -p "$IR_STATE/profiles"
cat >"$IR_STATE/profiles/ctlprof.json" <<EOP
{"gateway": "$IR_GW", "id": "$IR_PSK_ID", "psk-file": "$IR_PSK_FILE",
 "remote-id": "$IR_GW_ID", "control-group": "adm"}
EOP
chmod 644 "$IR_STATE/profiles/ctlprof.json"
printf 'not-the-right-key-0123456789\n' >"$IR_STATE/control-wrong-psk"
chmod 600 "$IR_STATE/control-wrong-psk"

profile_case
stale_case
external_case
background_case

ir_summary "interop (control)"
