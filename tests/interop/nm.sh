#!/bin/bash
# tests/interop/nm.sh: the NetworkManager plugin against a real
# NetworkManager 1.42 (tests/interop/nm-lib.sh: its own D-Bus, in the
# client namespace of the netns.sh topology), the plugin from the build
# tree, ikeroam and the strongSwan gateway.  One gateway and one
# NetworkManager for every case:
#   service  (tests/interop/nm/fake-ikeroam.py stands in for ikeroam where
#            a real gateway cannot make it happen on demand)
#     fake-ok       nmcli up: Ip4Config applied (address on the tun, the
#                   split route, DNS server and domain in NM's resolv.conf
#                   and `nmcli -f IP4`), the profile on fd 3 with
#                   "netcfg": "external", no secret in argv or environ;
#                   nmcli down: tun, route and DNS gone
#     fake-auth     an exit event with status 3: nmcli exits 4, the
#                   reason is LOGIN_FAILED ("Invalid secrets")
#     fake-crash    ikeroam dies without an exit event: the VPN goes down
#     fake-stubborn ikeroam ignores disconnect and SIGTERM: nmcli down
#                   still ends it (SIGKILL) within 10 s
#   editor   the GTK 3 and GTK 4 pages round-trip every field and show
#            only the chosen method's rows (xvfb-run); a screenshot of
#            each is left in BUILD/tests/nm/editor-gtk{3,4}.png;
#            `nmcli connection import type ikeroam` of an ikeroam profile
#            and of strongSwan .sswan files (EAP; a certificate with its
#            PKCS#12: files in the user's XDG data directory, key 0600)
#   host     addresses, routes, resolv.conf, hostname and mounts of the
#            host unchanged at the end
# One PASS/FAIL line per check; "N passed, N failed"; exit 0 only when
# nothing failed.  Only processes this script started are stopped.
# Environment: IKEROAM (default build/ikeroam; the plugin is taken from
# the same build tree), IR_PREFIX (default irnm).
set -u -o pipefail
export IR_PREFIX=${IR_PREFIX:-irnm}
IR_TAG=nm
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/interop/nm-lib.sh
. "$(dirname "$0")/nm-lib.sh"
ir_need_root
ir_need_cmds NetworkManager nmcli dbus-daemon nsenter xvfb-run python3
TOP=$(cd "$IR_HERE/../.." && pwd)
IKEROAM=$(readlink -f "${IKEROAM:-$TOP/build/ikeroam}")
BUILD=$(dirname "$IKEROAM")
SERVICE=$BUILD/nm/nm-ikeroam-service
FAKE=$IR_HERE/nm/fake-ikeroam.py
NETNS=$IR_HERE/netns.sh
ST=$IR_STATE/nm
for f in "$IKEROAM" "$SERVICE" "$BUILD/nm/nm-ikeroam-auth-dialog" \
    "$BUILD/nm/libnm-vpn-plugin-ikeroam.so"; do
	[ -x "$f" ] || [ -f "$f" ] || ir_die "$f not built (configure found no libnm?)"
done

pass=0
fail=0

host_state() {
	ip -o addr | sort
	ip route
	ip -6 route
	cat /etc/resolv.conf
	hostname
	# Other suites' namespaces come and go: not ours to compare.
	grep -v ' /run/netns/' /proc/self/mountinfo | awk '{print $5, $9}' |
	    sort
}

cleanup() {
	nm_stop
	"$NETNS" down >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# vpn_add NAME DATA: a VPN connection of type ikeroam.
vpn_add() {
	nm_cli connection add type vpn con-name "$1" vpn-type ikeroam \
	    vpn.data "$2" connection.autoconnect no >/dev/null
}

# vpn_up NAME [SECRETS-FILE]: nmcli's output in $UP_OUT, its status.
vpn_up() {
	local rc
	if [ -n "${2:-}" ]; then
		UP_OUT=$(nm_cli --wait 60 connection up "$1" passwd-file "$2" 2>&1)
	else
		UP_OUT=$(nm_cli --wait 60 connection up "$1" 2>&1)
	fi
	rc=$?
	return $rc
}

vpn_state() { nm_cli -g GENERAL.STATE connection show "$1" 2>/dev/null; }
vpn_gone() { [ -z "$(vpn_state "$1")" ]; }
tun_of() { nm_cli -g GENERAL.IP-IFACE connection show "$1" 2>/dev/null; }
tun_count() { nm_in ip -o link show type tun | wc -l; }
no_tun() { [ "$(tun_count)" = 0 ]; }
# The pid of the ikeroam (or stand-in) the service started last.
child_pid() { sed -n 's/.*ikeroam: started pid \([0-9]*\).*/\1/p' "$NM_LOG" | tail -1; }
pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# ---- set-up ----------------------------------------------------------
t0=$(ir_now_ms)
before=$(host_state)
"$NETNS" down >/dev/null 2>&1
rm -rf "$ST"
mkdir -p "$ST"
"$NETNS" up >/dev/null || ir_die "netns up failed"
sed -e "s|@LIBEXECDIR@|$BUILD/nm|g" -e "s|@NMPLUGINDIR@|$BUILD/nm|g" \
    "$TOP/nm/nm-ikeroam-service.name.in" >"$ST/nm-ikeroam-service.name"
nm_start "$IR_NS_CLI" "$ST/root" "$ST/nm-ikeroam-service.name" \
    "$TOP/nm/nm-ikeroam-service.conf" \
    IKEROAM_NM_IKEROAM="$FAKE" IKEROAM_FAKE_REAL="$IKEROAM" \
    IKEROAM_FAKE_DIR="$ST" IKEROAM_NM_VERBOSE=1 ||
    ir_die "NetworkManager did not start (see $NM_LOG)"
ok "NetworkManager 1.42 running in $IR_NS_CLI after $(($(ir_now_ms) - t0)) ms"
nm_cli connection add type ethernet ifname eth0 con-name uplink \
    ipv4.method manual ipv4.addresses "$IR_CLI_ADDR/24" \
    ipv4.gateway "$IR_MID_CLI_ADDR" ipv6.method disabled >/dev/null &&
    nm_cli --wait 60 connection up uplink >/dev/null ||
    ir_die "the uplink connection did not come up"
printf 'vpn.secrets.psk:not-a-real-psk\n' >"$ST/fake-secrets"
chmod 600 "$ST/fake-secrets"

# ---- service: the stand-in's cases -------------------------------------
vpn_add fake-ok "gateway=fake-ok, auth=psk, psk-flags=2, remote-id=vpn.test"
t0=$(ir_now_ms)
if vpn_up fake-ok "$ST/fake-secrets"; then
	ok "fake-ok: nmcli up in $(($(ir_now_ms) - t0)) ms"
else
	bad "fake-ok: nmcli up: $UP_OUT"
fi
check "fake-ok: activated" test "$(vpn_state fake-ok)" = activated
tun=$(nm_in ip -o link show type tun | awk -F': ' '{print $2}' | head -1)
check "fake-ok: address on $tun" \
    sh -c "ip netns exec $IR_NS_CLI ip -4 -o addr show dev '$tun' | grep -q ' 198.51.100.250/32 '"
check "fake-ok: split route 203.0.113.0/24 via $tun" \
    sh -c "ip netns exec $IR_NS_CLI ip route show 203.0.113.0/24 | grep -q 'dev $tun'"
check "fake-ok: no default route through the VPN (never-default)" \
    sh -c "! ip netns exec $IR_NS_CLI ip route show default | grep -q '$tun'"
check "fake-ok: NM's resolv.conf has the DNS server and domain" \
    sh -c "grep -q '^nameserver $IR_DNS' '$NM_RESOLV' && grep -q '^search.*corp.test' '$NM_RESOLV'"
check "fake-ok: nmcli -f IP4 shows the domain corp.test" \
    sh -c "ip netns exec $IR_NS_CLI true && nsenter -t $NM_HOLDER -m -n -u nmcli -g IP4.DOMAIN connection show fake-ok | grep -qx corp.test"
check "fake-ok: the profile says netcfg external, the control socket is private" \
    python3 -c 'import json,sys
g = json.load(open(sys.argv[1]))
p, a = g["profile"], g["argv"]
sock = a[a.index("--control-socket") + 1]
sys.exit(not (p["netcfg"] == "external" and p["gateway"] == "fake-ok" and
    "psk" not in p and sock.startswith("/run/ikeroam/nm-") and
    "--profile-fd" in a and "--secrets-fd" in a))' "$ST/given.json"
pid=$(child_pid)
check "fake-ok: no secret in argv or the environment of pid $pid" \
    sh -c "! grep -qa not-a-real-psk /proc/$pid/cmdline /proc/$pid/environ"
t0=$(ir_now_ms)
check "fake-ok: nmcli down" nm_cli connection down fake-ok
ok "fake-ok: down in $(($(ir_now_ms) - t0)) ms"
check "fake-ok: stand-in gone" nm_settle pid_gone "$pid"
check "fake-ok: tun gone" nm_settle no_tun
check "fake-ok: route gone" \
    sh -c "! ip netns exec $IR_NS_CLI ip route | grep -q 203.0.113"
check "fake-ok: DNS gone from NM's resolv.conf" \
    sh -c "! grep -q '$IR_DNS' '$NM_RESOLV'"

vpn_add fake-auth "gateway=fake-auth, auth=psk, psk-flags=2"
vpn_up fake-auth "$ST/fake-secrets"
rc=$?
check "fake-auth: nmcli exits 4 (got $rc)" test "$rc" = 4
# NetworkManager keeps the last failure reason it hears before STOPPED;
# nmcli words LOGIN_FAILED as "Invalid secrets".
check "fake-auth: nmcli says '$(echo "$UP_OUT" | head -1 | cut -c1-70)'" \
    sh -c "echo '$UP_OUT' | grep -q 'Invalid secrets'"
check "fake-auth: the reason NetworkManager took is login-failed" \
    sh -c "grep '\"fake-auth\"' '$NM_LOG' | grep -E 'failure:|state changed: stopped' |
	tail -2 | head -1 | grep -q 'failure: login-failed'"
check "fake-auth: ikeroam's line in NetworkManager's log" \
    grep -q 'ikeroam failed: authentication failed' "$NM_LOG"
check "fake-auth: no tun left" nm_settle no_tun

vpn_add fake-crash "gateway=fake-crash, auth=psk, psk-flags=2"
vpn_up fake-crash "$ST/fake-secrets"
pid=$(child_pid)
check "fake-crash: up before the crash" test -n "$pid"
check "fake-crash: NetworkManager notices the death (VPN not active)" \
    nm_settle vpn_gone fake-crash
check "fake-crash: the log says it ended without saying why" \
    grep -q 'ended without saying why' "$NM_LOG"
check "fake-crash: no tun left" nm_settle no_tun

vpn_add fake-stubborn "gateway=fake-stubborn, auth=psk, psk-flags=2"
vpn_up fake-stubborn "$ST/fake-secrets"
pid=$(child_pid)
t0=$(ir_now_ms)
nm_cli connection down fake-stubborn >/dev/null
check "fake-stubborn: killed (SIGTERM ignored; the service sends SIGKILL 6 s after Disconnect)" \
    nm_settle pid_gone "$pid"
ok "fake-stubborn: gone after $(($(ir_now_ms) - t0)) ms"
check "fake-stubborn: SIGKILL in NetworkManager's log" \
    grep -q 'no exit after SIGTERM; SIGKILL' "$NM_LOG"
check "fake-stubborn: no tun left" nm_settle no_tun

# ---- editor and import ---------------------------------------------------
for g in 3 4; do
	probe=$BUILD/tests/nm/editor_probe_gtk$g
	if [ -x "$probe" ]; then
		shot=$BUILD/tests/nm/editor-gtk$g.png
		rm -f "$shot"
		out=$(xvfb-run -a "$probe" "$BUILD/nm/libnm-vpn-plugin-ikeroam.so" \
		    "$shot" 2>&1)
		check "editor GTK $g: $(echo "$out" | grep 'fields,')" \
		    test "$(echo "$out" | grep -c 'fields, 0 mismatched')" = 1
		echo "$out" | grep 'EAP:' | sed 's/^/    /'
		check "editor GTK $g: $(echo "$out" | sed -n 's/^editor_probe: //p' | grep screenshot) (look at it by hand)" \
		    sh -c "head -c 8 '$shot' | od -An -tx1 | grep -q '89 50 4e 47'"
	else
		bad "editor GTK $g: $probe not built"
	fi
done
cat >"$ST/work.json" <<EOT
{ "name": "work", "gateway": "$IR_GW_ADDR", "id": "client-psk@vpn.test",
  "remote-id": "$IR_GW_ID", "transport": "auto", "tcp-port": 4500,
  "script": "/tmp/not-imported" }
EOT
check "import: nmcli connection import type ikeroam file work.json" \
    nm_cli connection import type ikeroam file "$ST/work.json"
check "import: gateway, identity and transport in vpn.data, no script" \
    sh -c "d=\$(nsenter -t $NM_HOLDER -m -n -u nmcli -g vpn.data connection show work)
	echo \"\$d\" | grep -q 'gateway = $IR_GW_ADDR' &&
	echo \"\$d\" | grep -q 'id = client-psk@vpn.test' &&
	echo \"\$d\" | grep -q 'transport = auto' &&
	! echo \"\$d\" | grep -q script"
check "export: nmcli connection export work" \
    sh -c "nsenter -t $NM_HOLDER -m -n -u nmcli connection export work '$ST/out.json' &&
	grep -q '\"gateway\": \"$IR_GW_ADDR\"' '$ST/out.json'"
# strongSwan's .sswan: the plugin runs `ikeroam import` into the user's
# data directory (here a scratch XDG_DATA_HOME) and imports the profile
# it wrote: the CA, certificate and key become files named in vpn.data.
IMP=$TOP/tests/src/import
mkdir -p "$ST/xdg"
sswan_import() {	# sswan_import FILE
	nm_in env XDG_DATA_HOME="$ST/xdg" IKEROAM_EDITOR_BIN="$IKEROAM" \
	    nmcli connection import type ikeroam file "$1"
}
vpn_item() {	# vpn_item CONNECTION KEY: one vpn.data value
	nm_in nmcli -g vpn.data connection show "$1" | tr ',' '\n' |
	    sed -n "s/^ *$2 = //p"
}
check "import: nmcli connection import type ikeroam file eap.sswan" \
    sswan_import "$IMP/eap.sswan"
eap_sswan_ok() {
	[ "$(vpn_item eap gateway)" = vpn.example.com ] &&
	[ "$(vpn_item eap remote-id)" = vpn.example.com ] &&
	[ -n "$(vpn_item eap eap-user)" ] &&
	[ -s "$(vpn_item eap ca)" ]
}
check "import: eap.sswan: gateway, remote id, EAP user and the CA file" \
    eap_sswan_ok
python3 - "$IMP/cert.sswan.in" "$IMP/alice-nopass.p12" "$IMP/ca.pem" \
    >"$ST/lab.sswan" <<'PY'
import base64, ssl, sys
t = open(sys.argv[1]).read()
der = ssl.PEM_cert_to_DER_cert(open(sys.argv[3]).read())
t = t.replace("@CA_DER@", base64.b64encode(der).decode())
t = t.replace("@P12@", base64.b64encode(open(sys.argv[2], "rb").read()).decode())
print(t)
PY
check "import: a certificate .sswan (PKCS#12 without password)" \
    sswan_import "$ST/lab.sswan"
lab_sswan_ok() {
	local c k
	c=$(vpn_item lab cert)
	k=$(vpn_item lab key)
	[ -s "$c" ] && [ -s "$k" ] && [ "$(stat -c %a "$k")" = 600 ] &&
	case $k in "$ST/xdg/ikeroam/"*) ;; *) return 1 ;; esac
}
check "import: lab.sswan: certificate and key files, the key 0600" \
    lab_sswan_ok
bad_sswan_refused() {
	local out
	echo 'not json' >"$ST/bad.sswan"
	! out=$(sswan_import "$ST/bad.sswan" 2>&1) &&
	    echo "$out" | grep -q 'bad.sswan'
}
check "import: a .sswan that is not JSON fails with ikeroam's line" \
    bad_sswan_refused

# ---- the end: nothing left ---------------------------------------------
nm_stop
"$NETNS" down >/dev/null 2>&1
after=$(host_state)
if [ "$before" = "$after" ]; then
	ok "host: addresses, routes, resolv.conf, hostname, mounts unchanged"
else
	bad "host: state changed"
	diff <(echo "$before") <(echo "$after") | head -10 | sed 's/^/    /'
fi
echo "nm: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
