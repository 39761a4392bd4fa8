#!/bin/sh
# Install what the NetworkManager plugin (nm/) needs on Debian 12: to
# build it (libnm, libnma for GTK 3 and GTK 4, libsecret) and to test it
# (tests/interop/nm.sh: NetworkManager and dbus-daemon run in a network
# namespace, xvfb-run for the editor pages).  Idempotent; run as root.
# Called by scripts/deps.sh.  Nothing is started on the host: a
# policy-rc.d refuses service starts while the daemons are installed.
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs="libnm-dev libnma-dev libnma-gtk4-dev libgtk-3-dev libgtk-4-dev
libsecret-1-dev network-manager dbus-daemon dbus-system-bus-common xvfb xauth
util-linux"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps-nm: all packages present"
	exit 0
fi
policy=/usr/sbin/policy-rc.d
own_policy=no
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=yes
fi
echo "deps-nm: installing$missing"
apt-get update -qq || true
rc=0
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null || rc=$?
[ "$own_policy" = yes ] && rm -f "$policy"
[ $rc -eq 0 ] && echo "deps-nm: done"
exit $rc
