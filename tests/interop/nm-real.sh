#!/bin/bash
# tests/interop/nm-real.sh: the NetworkManager plugin with the REAL
# ikeroam (privilege separation on, --control-socket, --netcfg external)
# against real gateways, driven only through nmcli: a real
# NetworkManager 1.42 (tests/interop/nm-lib.sh) in the client namespace
# of the netns.sh topology with two uplinks, one strongSwan gateway
# (strongswan/gateway.sh) for every case but the TCP one, which runs
# against the project's own RFC 9329 responder (tests/bench/esp_gw).
#   psk      vpn.secrets stored with the connection: nmcli up; NM shows
#            the VPN activated; the address, split route, DNS server and
#            domain NM applied (ip addr/route, nmcli -g IP4.*, NM's
#            resolv.conf); ping both ways through the tunnel; nmcli down:
#            tun, route, DNS and the ikeroam processes gone, no SA on
#            the gateway
#   cert     certificate and key files, no secret: the same
#   eap      EAP-MSCHAPv2, the password asked by `nmcli --ask` (nmcli runs
#            the auth dialog in external UI mode, reads the answer)
#   wrong-password  nmcli fails with "Invalid secrets" (LOGIN_FAILED);
#            no tun, no ikeroam process; ikeroam acknowledged charon's
#            MS-CHAPv2 Failure Request, so the gateway holds no SA
#   unreachable     a gateway that never answers: nmcli fails within the
#            give-up time (5 s) plus a margin
#   roam     a second uplink (eth1, a NetworkManager connection with a
#            lower route metric) comes up under a running ping: the VPN
#            stays activated, the gateway sees the client on the new
#            uplink (MOBIKE, the same IKE SA), ping goes on; and back
#   gateway-restart  charon is restarted (its SAs forgotten): ikeroam
#            rebuilds the session under the same TUN (NM's log has its
#            "reconnecting" state line), NM keeps the VPN activated with
#            the address the gateway leased, ping works again
#   killed-net, killed  SIGKILL to ikeroam's network part, then (the VPN
#            up again) to the privileged part NetworkManager's service
#            started: NM shows the VPN down each time; no tun, route, DNS
#            or ikeroam process left.  The gateway keeps the killed
#            session's SA (no Delete); the next connection's
#            INITIAL_CONTACT makes charon destroy it: one SA, the new one
#   renumber, base  uplink A renumbered in place (the same IKE SA
#            follows); then B up with a worse metric (the session stays on
#            A) and A's connection down: NM ends the VPN, nothing is left,
#            and the gateway holds no SA (the Delete that went out on A is
#            sent again on B); the next connection carries INITIAL_CONTACT
#   tcp      UDP dropped in the middlebox: the VPN comes up over TCP
#            (RFC 9329) against esp_gw; NM's log has the transport line
#            and ikeroam's "no answer over UDP after ...: trying TCP";
#            ping through it
# One PASS/FAIL line per check, timings printed (never asserted);
# "N passed, N failed"; exit 0 only when nothing failed.  Only processes
# this script started are stopped.
# Environment: IKEROAM (default build/ikeroam; the plugin and esp_gw come
# from the same build tree), IR_PREFIX (default nmr).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-nmr}
export IR_UPLINKS=2
IR_TAG=nm-real
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/interop/nm-lib.sh
. "$(dirname "$0")/nm-lib.sh"
export IR_STATE
ir_need_root
ir_need_cmds NetworkManager nmcli dbus-daemon nsenter swanctl nft openssl ping
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=$(readlink -f "${IKEROAM:-$TOP/build/ikeroam}")
BUILD=$(dirname "$IKEROAM")
SERVICE=$BUILD/nm/nm-ikeroam-service
ESP_GW=$BUILD/tests/bench/esp_gw
GWSH=$IR_HERE/strongswan/gateway.sh
NETNS=$IR_HERE/netns.sh
ST=$IR_STATE/nm-real
IR_CLI_A2_ADDR=192.0.2.3	# uplink A renumbered
for f in "$IKEROAM" "$SERVICE" "$BUILD/nm/nm-ikeroam-auth-dialog" \
    "$BUILD/nm/libnm-vpn-plugin-ikeroam.so" "$ESP_GW"; do
	[ -x "$f" ] || [ -f "$f" ] || ir_die "$f not built (configure found no libnm?)"
done

pass=0
fail=0

cleanup() {
	nm_stop
	ir_stop espgw
	"$GWSH" stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# vpn_add NAME DATA [SECRETS]: a VPN connection of type ikeroam.
vpn_add() {
	local -a sec=()
	[ -n "${3:-}" ] && sec=(vpn.secrets "$3")
	nm_cli connection add type vpn con-name "$1" vpn-type ikeroam \
	    vpn.data "$2" "${sec[@]}" connection.autoconnect no >/dev/null
}

# vpn_up NAME [ARGS...]: `nmcli connection up NAME ARGS`; its output in
# $UP_OUT, the time it took in $UP_MS; its status.
vpn_up() {
	local name=$1 rc t0
	shift
	t0=$(ir_now_ms)
	UP_OUT=$(nm_cli --wait 60 connection up "$name" "$@" 2>&1)
	rc=$?
	UP_MS=$(($(ir_now_ms) - t0))
	return $rc
}

vpn_state() { nm_cli -g GENERAL.STATE connection show "$1" 2>/dev/null; }
vpn_active() { [ "$(vpn_state "$1")" = activated ]; }
vpn_gone() { [ -z "$(vpn_state "$1")" ]; }
ip4_of() { nm_cli -g "IP4.$2" connection show "$1" 2>/dev/null; }
# The VPN's TUN: the only one in the namespace.
tun_name() { nm_in ip -o link show type tun | awk -F': ' '{print $2}' | head -1; }
tun_count() { nm_in ip -o link show type tun | wc -l; }
no_tun() { [ "$(tun_count)" = 0 ]; }
# The ikeroam processes in the client namespace: the privileged part
# (the service's child, "ikeroam") and the network part ("ikeroam-net").
ikeroam_pids() {
	local p
	for p in $(ip netns pids "$IR_NS_CLI" 2>/dev/null); do
		case $(cat "/proc/$p/comm" 2>/dev/null) in
		ikeroam|ikeroam-net) echo "$p" ;;
		esac
	done
}
net_pid() {
	local p
	for p in $(ikeroam_pids); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = ikeroam-net ] && echo "$p"
	done
}
no_ikeroam() { [ -z "$(ikeroam_pids)" ]; }
# The pid of the ikeroam the service started last.
child_pid() { sed -n 's/.*ikeroam: started pid \([0-9]*\).*/\1/p' "$NM_LOG" | tail -1; }
sas() { "$GWSH" count-sas 2>/dev/null; }
sas_gone() { [ "$(sas)" = 0 ]; }
# The gateway drops an SA on its own only later (half-open IKE SAs after
# 30 s, DPD after 30 s plus ~165 s of retransmissions): within 10 s it
# is our Delete or EAP acknowledgement that did it.
sas_settle() { NM_SETTLE_TIMEOUT=10 nm_settle sas_gone; }
ping_lan() { ir_ping "$IR_NS_CLI" "$IR_LAN_HOST" "$1"; }
in_cli() { ip netns exec "$IR_NS_CLI" "$@"; }
# The client address the gateway sees for the psk connection's newest
# IKE SA, and that SA: "#N SPI_I".
gw_peer() {
	"$GWSH" list-sas 2>/dev/null | awk '/^[A-Za-z0-9_-]+: #/ { on = ($1 == "psk:") }
	    on && / remote .* @ / { for (i = 1; i < NF; i++) if ($i == "@") p = $(i + 1)
		sub(/\[.*/, "", p) } END { print p }'
}
gw_spi() {
	"$GWSH" list-sas 2>/dev/null | sed -n \
	    's/^psk: \(#[0-9]*\), [A-Z_]*, IKEv2, \([0-9a-f]*\)_i.*/\1 \2/p' |
	    tail -1
}
nm_log_since() { tail -c +"$(($1 + 1))" "$NM_LOG"; }
log_size() { stat -c %s "$NM_LOG"; }

# replaced_check NAME STALE GWLOG: after a new connection, the gateway
# holds one IKE SA, not STALE ("#N SPI", a session that ended without a
# Delete, or empty); our IKE_AUTH carried INITIAL_CONTACT (RFC 7296
# §3.16) and, when there was a stale SA, charon's log (from offset GWLOG)
# says it destroyed it for that reason.
replaced_check() {
	local n=$1 stale=$2 off=$3 now
	now=$(gw_spi)
	check "$n: the gateway holds one IKE SA, the new one (${stale:-none left} -> $now)" \
	    test "$(sas)" = 1 -a -n "$now" -a "$now" != "$stale"
	check "$n: our IKE_AUTH carried INITIAL_CONTACT (charon's log)" \
	    sh -c "tail -c +$((off + 1)) '$IR_GW_LOG' | grep -q 'parsed IKE_AUTH request 1 .*N(INIT_CONTACT)'"
	[ -n "$stale" ] || return 0
	check "$n: charon destroyed the stale IKE SA ${stale%% *} on INITIAL_CONTACT: '$(tail -c +$((off + 1)) "$IR_GW_LOG" | grep -m1 -o 'destroying duplicate IKE_SA.*')'" \
	    sh -c "tail -c +$((off + 1)) '$IR_GW_LOG' | grep -q 'destroying duplicate IKE_SA .*INITIAL_CONTACT'"
}

# up_checks NAME: activated, the configuration NM applied, ping both ways.
up_checks() {
	local n=$1 tun addr vip
	ir_ns_exists "$IR_NS_CLI" || ir_die "$IR_NS_CLI vanished"
	check "$n: NetworkManager shows the VPN activated" vpn_active "$n"
	tun=$(tun_name)
	addr=$(ip4_of "$n" ADDRESS)
	vip=${addr%/*}
	check "$n: IP4.ADDRESS $addr from the gateway's pool, on $tun" \
	    sh -c "case '$vip' in 198.51.100.*) ;; *) exit 1;; esac &&
		[ '${vip##*.}' -ge 129 ] && ip netns exec $IR_NS_CLI ip -4 -o addr show dev '$tun' | grep -q ' $addr '"
	check "$n: IP4.ROUTE $(ip4_of "$n" ROUTE | tr '\n' ' ')has $IR_LAN_NET" \
	    sh -c "nsenter -t $NM_HOLDER -m -n -u nmcli -g IP4.ROUTE connection show '$n' |
		grep -q 'dst = $IR_LAN_NET'"
	check "$n: the kernel routes $IR_LAN_NET through $tun, no default route there" \
	    sh -c "ip netns exec $IR_NS_CLI ip route show $IR_LAN_NET | grep -q 'dev $tun' &&
		! ip netns exec $IR_NS_CLI ip route show default | grep -q '$tun'"
	check "$n: IP4.DNS $(ip4_of "$n" DNS), IP4.DOMAIN $(ip4_of "$n" DOMAIN)" \
	    sh -c "[ \"\$(nsenter -t $NM_HOLDER -m -n -u nmcli -g IP4.DNS connection show '$n')\" = $IR_DNS ] &&
		[ \"\$(nsenter -t $NM_HOLDER -m -n -u nmcli -g IP4.DOMAIN connection show '$n')\" = $IR_DNS_DOMAIN ]"
	check "$n: NM's resolv.conf has nameserver $IR_DNS and search $IR_DNS_DOMAIN" \
	    sh -c "grep -q '^nameserver $IR_DNS' '$NM_RESOLV' &&
		grep -q '^search.*$IR_DNS_DOMAIN' '$NM_RESOLV'"
	check "$n: ping $IR_LAN_HOST through the tunnel" ping_lan 30
	check "$n: ping from the protected LAN to $vip" \
	    ir_ping "$IR_NS_LAN" "$vip" 10
}

# down_checks NAME PIDS: nmcli down removes everything.
down_checks() {
	local n=$1 pids=$2 t0
	t0=$(ir_now_ms)
	check "$n: nmcli connection down" nm_cli connection down "$n"
	echo "$n: down in $(($(ir_now_ms) - t0)) ms"
	check "$n: the ikeroam processes ($pids) are gone" \
	    nm_settle no_ikeroam
	check "$n: no tun left" nm_settle no_tun
	check "$n: the route to $IR_LAN_NET is gone" \
	    sh -c "! ip netns exec $IR_NS_CLI ip route | grep -q '${IR_LAN_NET%/*}'"
	check "$n: $IR_DNS gone from NM's resolv.conf" \
	    sh -c "! grep -q '$IR_DNS' '$NM_RESOLV'"
	check "$n: the gateway holds no SA (swanctl --list-sas)" \
	    sas_settle
}

# ---- set-up ----------------------------------------------------------
t0=$(ir_now_ms)
"$GWSH" stop >/dev/null 2>&1
rm -rf "$ST"
mkdir -p "$ST"
chmod 0700 "$ST"
"$GWSH" start >/dev/null || ir_die "strongSwan gateway did not start"
eval "$("$GWSH" env)"
# NetworkManager owns both uplinks: nothing of netns.sh's is left there.
in_cli ip addr flush dev eth0 scope global
in_cli ip addr flush dev eth1 scope global
sed -e "s|@LIBEXECDIR@|$BUILD/nm|g" -e "s|@NMPLUGINDIR@|$BUILD/nm|g" \
    "$TOP/nm/nm-ikeroam-service.name.in" >"$ST/nm-ikeroam-service.name"
NM_MANAGED="eth0 eth1" nm_start "$IR_NS_CLI" "$ST/root" \
    "$ST/nm-ikeroam-service.name" "$TOP/nm/nm-ikeroam-service.conf" \
    IKEROAM_NM_IKEROAM="$IKEROAM" IKEROAM_NM_VERBOSE=1 ||
    ir_die "NetworkManager did not start (see $NM_LOG)"
nm_cli connection add type ethernet ifname eth0 con-name uplink-a \
    ipv4.method manual ipv4.addresses "$IR_CLI_ADDR/25" \
    ipv4.gateway "$IR_MID_CLI_ADDR" ipv4.route-metric 100 \
    ipv6.method disabled connection.autoconnect no >/dev/null &&
    nm_cli --wait 60 connection up uplink-a >/dev/null ||
    ir_die "uplink A did not come up"
# Uplink B: "Ethernet plugged in beside Wi-Fi", a better metric.
nm_cli connection add type ethernet ifname eth1 con-name uplink-b \
    ipv4.method manual ipv4.addresses "$IR_CLI_B_ADDR/25" \
    ipv4.gateway "$IR_MID_CLI_B_ADDR" ipv4.route-metric 50 \
    ipv6.method disabled connection.autoconnect no >/dev/null ||
    ir_die "cannot add uplink B"
ok "set-up: strongSwan, NetworkManager, uplink A in $(($(ir_now_ms) - t0)) ms"
PSK=$(head -1 "$IR_PSK_FILE")
EAP_PW=$(head -1 "$IR_EAP_PASSWORD_FILE")

# ---- psk: the secret stored with the connection ------------------------
vpn_add psk "gateway=$IR_GW, auth=psk, id=$IR_PSK_ID, remote-id=$IR_GW_ID, psk-flags=0, path-silence=2000, path-check=2000" \
    "psk=$PSK"
if vpn_up psk; then ok "psk: nmcli up in $UP_MS ms"; else bad "psk: nmcli up: $UP_OUT"; fi
up_checks psk
pid=$(child_pid)
check "psk: no secret in argv or the environment of ikeroam ($pid)" \
    sh -c "! grep -qaF -- '$PSK' /proc/$pid/cmdline /proc/$pid/environ"
check "psk: NetworkManager's log does not hold the PSK" \
    sh -c "! grep -qF -- '$PSK' '$NM_LOG'"
down_checks psk "$(ikeroam_pids | tr '\n' ' ')"

# ---- cert --------------------------------------------------------------
vpn_add cert "gateway=$IR_GW, auth=cert, id=$IR_CLIENT_ID, remote-id=$IR_GW_ID, cert=$IR_CLIENT_CERT, key=$IR_CLIENT_KEY, ca=$IR_CA"
if vpn_up cert; then ok "cert: nmcli up in $UP_MS ms"; else bad "cert: nmcli up: $UP_OUT"; fi
up_checks cert
down_checks cert "$(ikeroam_pids | tr '\n' ' ')"

# ---- eap: the password from nmcli --ask --------------------------------
vpn_add eap "gateway=$IR_GW, auth=eap, id=$IR_EAP_USER, eap-user=$IR_EAP_USER, remote-id=$IR_GW_ID, ca=$IR_CA, password-flags=2"
(umask 077 && printf '%s\n' "$EAP_PW" >"$ST/eap-answer")
t0=$(ir_now_ms)
# shellcheck disable=SC2016 # expanded by the inner shell
UP_OUT=$(nm_in sh -c 'nmcli --ask --wait 60 connection up eap <"$1"' sh \
    "$ST/eap-answer" 2>&1)
rc=$?
if [ $rc = 0 ]; then
	ok "eap: nmcli --ask up in $(($(ir_now_ms) - t0)) ms"
else
	bad "eap: nmcli --ask up (status $rc): $(echo "$UP_OUT" | tail -2)"
fi
check "eap: nmcli asked for the password (the auth dialog's prompt)" \
    sh -c "echo '$UP_OUT' | grep -qi 'password'"
up_checks eap
down_checks eap "$(ikeroam_pids | tr '\n' ' ')"

# ---- wrong password ------------------------------------------------------
(umask 077 && printf 'vpn.secrets.password:wrong-%s\n' "$EAP_PW" \
    >"$ST/eap-wrong")
vpn_up eap passwd-file "$ST/eap-wrong"
rc=$?
check "wrong-password: nmcli fails with status 4 (got $rc) in $UP_MS ms" \
    test "$rc" = 4
check "wrong-password: nmcli says '$(echo "$UP_OUT" | head -1 | cut -c1-80)'" \
    sh -c "echo '$UP_OUT' | grep -q 'Invalid secrets'"
check "wrong-password: NetworkManager took login-failed" \
    sh -c "grep '\"eap\"' '$NM_LOG' | grep -q 'failure: login-failed'"
check "wrong-password: ikeroam's own line in NetworkManager's log" \
    grep -q 'ikeroam failed: .*\(login\|password\|authentic\)' "$NM_LOG"
check "wrong-password: no tun, no ikeroam process" \
    nm_settle eval 'no_tun && no_ikeroam'
# charon answers a wrong MS-CHAPv2 response with a Failure Request that
# allows a retry; ikeroam answers it with a Failure Response
# (draft-kamath-pppext-eap-mschapv2 §2), charon then ends EAP with an
# EAP-Failure and destroys the half-done IKE SA at once (before the
# acknowledgement it kept it until its own 30 s timeout).
check "wrong-password: ikeroam acknowledged the gateway's MS-CHAPv2 Failure" \
    grep -q 'rejected our EAP-MSCHAPv2 response (E=691' "$NM_LOG"
check "wrong-password: the gateway holds no SA" sas_settle
"$GWSH" terminate >/dev/null 2>&1

# ---- gateway unreachable -------------------------------------------------
vpn_add unreachable "gateway=198.51.100.99, auth=psk, id=$IR_PSK_ID, remote-id=$IR_GW_ID, psk-flags=0, giveup-timeout=5000" \
    "psk=$PSK"
vpn_up unreachable
rc=$?
check "unreachable: nmcli fails (status $rc) after $UP_MS ms (give-up 5000 ms)" \
    test "$rc" = 4 -a "$UP_MS" -lt 20000
check "unreachable: nmcli says '$(echo "$UP_OUT" | head -1 | cut -c1-80)'" \
    sh -c "echo '$UP_OUT' | grep -qi 'fail'"
check "unreachable: NetworkManager took connect-failed" \
    sh -c "grep '\"unreachable\"' '$NM_LOG' | grep -q 'failure: connect-failed'"
check "unreachable: no tun, no ikeroam process" \
    nm_settle eval 'no_tun && no_ikeroam'

# ---- roaming: a second uplink with a better metric -----------------------
if vpn_up psk; then ok "roam: psk up in $UP_MS ms"; else bad "roam: psk up: $UP_OUT"; fi
ping_lan 30 || bad "roam: no ping before the move"
spi0=$(gw_spi)
peer0=$(gw_peer)
in_cli ping -n -D -i 0.1 -W 1 -c 80 "$IR_LAN_HOST" >"$ST/roam-ping.txt" 2>&1 &
ping_job=$!
sleep 1
nm_cli --wait 60 connection up uplink-b >/dev/null || bad "roam: uplink B did not come up"
moved() { [ "$(gw_peer)" = "$IR_CLI_B_ADDR" ]; }
check "roam: the gateway sees the client on uplink B ($peer0 -> $(nm_settle moved; gw_peer))" moved
check "roam: the same IKE SA (MOBIKE): $spi0 -> $(gw_spi)" \
    test -n "$spi0" -a "$(gw_spi)" = "$spi0"
check "roam: the VPN is still activated" vpn_active psk
sleep 2
nm_cli connection down uplink-b >/dev/null
back() { [ "$(gw_peer)" = "$IR_CLI_ADDR" ]; }
check "roam: uplink B gone: back on uplink A" nm_settle back
wait "$ping_job"
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$ST/roam-ping.txt")
echo "roam: $got/80 pings answered across two moves"
check "roam: at most 10 of 80 pings lost ($got answered)" test "${got:-0}" -ge 70
check "roam: ping after the moves" ping_lan 30

# Uplink A renumbered in place (a new DHCP lease: `nmcli device modify`
# reapplies without deactivating): the same IKE SA follows.
spi0=$(gw_spi)
nm_cli device modify eth0 ipv4.addresses "$IR_CLI_A2_ADDR/25" >/dev/null ||
    bad "renumber: nmcli device modify eth0 failed"
renumbered() { [ "$(gw_peer)" = "$IR_CLI_A2_ADDR" ]; }
check "renumber: the gateway sees $IR_CLI_A2_ADDR" nm_settle renumbered
check "renumber: the same IKE SA: $spi0 -> $(gw_spi)" \
    test -n "$spi0" -a "$(gw_spi)" = "$spi0"
check "renumber: the VPN is still activated, ping" \
    eval 'vpn_active psk && ping_lan 30'

# The VPN's base connection goes away while uplink B is up:
# NetworkManager ties a VPN to the device it was started on and ends it
# (reason device-disconnected); ikeroam must then leave nothing behind.
# B comes up with a worse metric, so the session is still on A when A
# goes: the Delete's path is the one going away.
nm_cli connection modify uplink-b ipv4.route-metric 200 >/dev/null
nm_cli --wait 60 connection up uplink-b >/dev/null || bad "base: uplink B did not come up"
check "base: with B up (metric 200) the session stays on A ($(gw_peer))" \
    test "$(gw_peer)" = "$IR_CLI_A2_ADDR"
before=$(log_size)
nm_cli connection down uplink-a >/dev/null
check "base: uplink A down: NetworkManager ends the VPN" \
    nm_settle vpn_gone psk
echo "base: NetworkManager: $(grep '"psk"' "$NM_LOG" | grep -o 'set state: .*' | tail -1)"
check "base: no tun, no ikeroam process" nm_settle eval 'no_tun && no_ikeroam'
# The Delete may go out on the uplink that is going away (NetworkManager
# removes its addresses as it tells the plugin): ikeroam sends it again
# on the path that is left (session.c, SS_CLOSING), so the gateway holds
# nothing.  Should one be left all the same, the next connection's
# INITIAL_CONTACT must clear it (replaced_check).
stale=
check "base: the gateway holds no SA (the Delete followed the path left)" \
    sas_settle
sas_gone || stale=$(gw_spi)
check "base: ikeroam's Delete: $(grep -o 'connection closed[^"]*' "$NM_LOG" | tail -1)" \
    sh -c "grep 'connection closed' '$NM_LOG' | tail -1 | grep -vq 'did not confirm'"
nm_log_since "$before" | grep -E 'session: |Delete|connection closed|moved to a new path' |
    sed 's/^/    base: /'
nm_cli --wait 60 connection up uplink-a >/dev/null || bad "base: uplink A did not come back"
nm_cli connection down uplink-b >/dev/null
nm_cli connection modify uplink-b ipv4.route-metric 50 >/dev/null
gwlog=$(stat -c %s "$IR_GW_LOG")
if vpn_up psk; then ok "base: psk up again on A in $UP_MS ms"; else bad "base: psk up again: $UP_OUT"; fi
replaced_check base "$stale" "$gwlog"

# ---- the gateway restarts ------------------------------------------------
before=$(log_size)
t0=$(ir_now_ms)
ir_stop gw-charon
cp "$IR_GW_LOG" "$ST/charon-first.log"	# start truncates it
"$GWSH" start >/dev/null 2>&1 || ir_die "strongSwan did not start again"
ok "gateway-restart: charon restarted in $(($(ir_now_ms) - t0)) ms"
t0=$(ir_now_ms)
if ping_lan 300; then
	ok "gateway-restart: ping again $(($(ir_now_ms) - t0)) ms after the restart"
else
	bad "gateway-restart: no ping within 60 s after the restart"
fi
check "gateway-restart: the VPN stayed activated" vpn_active psk
check "gateway-restart: NM's log has ikeroam's state lines: $(nm_log_since "$before" |
    sed -n 's/.*ikeroam: state \([^:]*\).*/\1/p' | tr '\n' ' ')" \
    sh -c "tail -c +$((before + 1)) '$NM_LOG' | grep -q 'ikeroam: state reconnecting'"
addr=$(ip4_of psk ADDRESS)
check "gateway-restart: NM's IP4.ADDRESS $addr is the one on $(tun_name) and the LAN reaches it" \
    sh -c "ip netns exec $IR_NS_CLI ip -4 -o addr show dev '$(tun_name)' | grep -q ' $addr ' &&
	ip netns exec $IR_NS_LAN ping -n -q -c 1 -W 2 ${addr%/*} >/dev/null"
check "gateway-restart: one IKE SA on the gateway" test "$(sas)" = 1

# ---- ikeroam killed: the network part, then the privileged part -----------
# kill_case NAME PID: SIGKILL to PID; NM must see the VPN down and
# nothing may be left.
kill_case() {
	local n=$1 pid=$2 t0
	KILLED_SPI=$(gw_spi)
	kill -KILL "$pid"
	t0=$(ir_now_ms)
	check "$n: NetworkManager shows the VPN down" nm_settle vpn_gone psk
	echo "$n: VPN down $(($(ir_now_ms) - t0)) ms after SIGKILL to $pid"
	check "$n: no ikeroam process left" nm_settle no_ikeroam
	check "$n: no tun left" nm_settle no_tun
	check "$n: no route to $IR_LAN_NET, no $IR_DNS in resolv.conf" \
	    sh -c "! ip netns exec $IR_NS_CLI ip route | grep -q '${IR_LAN_NET%/*}' &&
		! grep -q '$IR_DNS' '$NM_RESOLV'"
	grep -E 'ikeroam( failed)?: ' "$NM_LOG" | tail -2 | sed "s/^/    $n: /"
}
# SIGKILL sends no Delete: the gateway keeps the SA until the next
# connection's INITIAL_CONTACT replaces it.
kill_case killed-net "$(net_pid)"
check "killed-net: the gateway still holds the killed session's SA ($KILLED_SPI)" \
    test -n "$KILLED_SPI" -a "$(gw_spi)" = "$KILLED_SPI"
gwlog=$(stat -c %s "$IR_GW_LOG")
if vpn_up psk; then ok "killed: psk up again in $UP_MS ms"; else bad "killed: psk up again: $UP_OUT"; fi
replaced_check killed-net "$KILLED_SPI" "$gwlog"
kill_case killed "$(child_pid)"

# ---- UDP blocked: TCP against esp_gw --------------------------------------
ir_stop gw-charon
(umask 077 && printf 'tcp-%s\n' "$(openssl rand -hex 16)" >"$ST/tcp-psk")
ir_spawn espgw "$IR_NS_GW" "$ST/espgw-run" "$ST/esp_gw.log" \
    "$ESP_GW" --psk-file "$ST/tcp-psk" --pool 198.51.100.129 \
    --dns "$IR_DNS" --tun "${IR_PREFIX}gw0"
ir_wait 100 0.05 eval "ip netns exec $IR_NS_GW ss -ltn | grep -q ':4500 '" ||
    bad "tcp: esp_gw is not listening (see $ST/esp_gw.log)"
"$NETNS" udp block >/dev/null
vpn_add tcp "gateway=$IR_GW, auth=psk, id=$IR_PSK_ID, remote-id=$IR_GW_ID, psk-flags=0, transport=auto, fallback-timeout=1000" \
    "psk=$(cat "$ST/tcp-psk")"
before=$(log_size)
if vpn_up tcp; then ok "tcp: nmcli up with UDP dropped in $UP_MS ms"; else bad "tcp: nmcli up: $UP_OUT"; fi
check "tcp: NetworkManager shows the VPN activated" vpn_active tcp
line=$(nm_log_since "$before" | grep -m1 'ikeroam: transport' | sed 's/.*\(ikeroam: transport\)/\1/')
check "tcp: NetworkManager's log has the transport line: '$line'" \
    sh -c "echo '$line' | grep -q '^ikeroam: transport tcp: no answer over UDP'"
why=$(nm_log_since "$before" | grep -m1 'no answer over UDP after' | sed 's/.*\] info: //')
check "tcp: NetworkManager's log says why: '$why'" \
    sh -c "echo '$why' | grep -q 'no answer over UDP after .*trying TCP'"
check "tcp: ping $IR_LAN_HOST through the tunnel over TCP" ping_lan 30
check "tcp: nmcli connection down" nm_cli connection down tcp
check "tcp: no ikeroam process, no tun left" \
    nm_settle eval 'no_tun && no_ikeroam'
"$NETNS" udp allow >/dev/null

# ---- the end -------------------------------------------------------------
cleanup
trap - EXIT
check "end: no namespace of $IR_PREFIX left" \
    sh -c "! ip netns list | grep -q '^$IR_PREFIX-'"
echo "nm-real: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
