#!/bin/bash
# tests/interop/run-all.sh: every interop suite against real peers, as
# root, in network namespaces each suite creates and removes.
#   0. src/netwatch.c against the kernel's routing (netwatch-test.sh)
#   1. the strongSwan harness's own check (charon-cmd, the baseline)
#   2. ikeroam against strongSwan over UDP   (client-strongswan.sh)
#      and its X.509 features: system trust, DNs, chains, revocation of
#      the path, hash and URL (client-x509.sh)
#      and its EAP methods: EAP-TLS, EAP-only, EAP-GTC (client-eap.sh)
#   3. ikeroam --kill-switch, leak capture   (killswitch.sh)
#   4. the host network setup while the session moves (netcfg-test.sh)
#   5. ikeroam's TLS rung (RFC 9329 App. A) behind stunnel4 (client-tls.sh)
#   6. ikeroam against libreswan over TCP    (client-libreswan.sh, qemu;
#      scenario 11 under a real NetworkManager in hotspot mode)
#   7. privileges: CAP_NET_ADMIN only, the split (privsep.sh); keys on a
#      PKCS#11 token signed by the privileged part (client-pkcs11.sh)
#   8. roaming: two uplinks, suspend, UDP dropped, NAT rebinding
#      (client-roam.sh: strongSwan, and libreswan in qemu for TCP)
#   9. gateway redirects (RFC 5685) by strongSwan (redirect.sh); the TCP
#      ones by libreswan are client-libreswan.sh's scenario 10
#  10. Child SAs made by CREATE_CHILD_SA: childless IKE SAs (RFC 6023),
#      several Child SAs for narrowed selectors (children.sh)
# Installs what the suites need first (scripts/deps-interop*.sh).
# IKEROAM: the binary to test (default build/ikeroam).
# Ends with "N passed, N failed" counting suites; a failed suite's name
# and the last lines of its output are repeated there, since CI keeps
# only the end of a long log.
set -u -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
export IKEROAM=${IKEROAM:-$top/build/ikeroam}
pass=0
fail=0
failed=""
logdir=$(mktemp -d /tmp/ikeroam-interop-logs.XXXXXX) || exit 1

suite() {	# suite NAME CMD...
	local name=$1 t0 rc
	shift
	t0=$(date +%s)
	echo "=== interop: $name"
	# Not a pipe: a daemon a suite leaves behind would hold it open.
	"$@" > >(tee "$logdir/$name.log") 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "PASS: interop $name ($(($(date +%s) - t0)) s)"
		pass=$((pass + 1))
	else
		echo "FAIL: interop $name (status $rc, $(($(date +%s) - t0)) s)"
		fail=$((fail + 1))
		failed="$failed $name"
	fi
}

[ "$(id -u)" -eq 0 ] || { echo "interop: must run as root" >&2; exit 1; }
"$top/scripts/deps-interop.sh" || exit 1
suite netwatch "$here/netwatch-test.sh"
suite strongswan-harness "$here/selftest.sh"
suite ikeroam-strongswan "$here/client-strongswan.sh"
suite ikeroam-x509 "$here/client-x509.sh"
suite ikeroam-eap "$here/client-eap.sh"
suite ikeroam-killswitch "$here/killswitch.sh"
suite netcfg "$here/netcfg-test.sh"
suite ikeroam-tls-esp-gw "$here/client-tls.sh"
suite ikeroam-privsep "$here/privsep.sh"
suite ikeroam-control "$here/control.sh"
suite ikeroam-pkcs11 "$here/client-pkcs11.sh"
suite messages "$here/messages.sh"
suite hostile-gateway "$here/hostile.sh"
suite ikeroam-redirect "$here/redirect.sh"
suite ikeroam-reauth "$here/reauth.sh"
suite ikeroam-children "$here/children.sh"
# NetworkManager before the libreswan suite: its scenario 11 runs one.
"$top/scripts/deps-nm.sh" || exit 1
if [ -x "$here/client-libreswan.sh" ]; then
	"$top/scripts/deps-interop-ls.sh" || exit 1
	suite ikeroam-libreswan-tcp "$here/client-libreswan.sh"
fi
suite ikeroam-roaming "$here/client-roam.sh"
suite soak "$here/soak.sh"
suite networkmanager "$here/nm.sh"
suite networkmanager-real "$here/nm-real.sh"
for name in $failed; do
	echo "--- interop: the end of $name's output ($logdir/$name.log)"
	tail -n 40 "$logdir/$name.log"
done
[ -n "$failed" ] && echo "interop: failed suites:$failed"
[ -z "$failed" ] && rm -rf "$logdir"
echo "interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
