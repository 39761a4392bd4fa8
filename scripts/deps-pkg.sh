#!/bin/sh
# What building and checking the .deb needs on Debian 12, beyond
# scripts/deps.sh: debhelper, devscripts, lintian, the libraries of
# packaging/debian/control's Build-Depends, systemd (systemd-analyze
# verify for the unit; not as PID 1), bash-completion.  Idempotent; root.
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs="debhelper devscripts lintian dpkg-dev fakeroot adduser iproute2
vpnc-scripts systemd bash-completion libsystemd-dev libplist-dev
libcap-ng-dev libseccomp-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps-pkg: installing$missing"
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "deps-pkg: packaging tools present"
