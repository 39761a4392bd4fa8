#!/bin/sh
# Install what ikeroam needs to build and run its unit tests, sanitizer
# build and fuzz targets on Debian 12 (with the NetworkManager plugin's
# libraries: nm/ is built when they are found).  Idempotent; run as root.
# Extra package names as arguments are installed too (scripts/deps-pkg.sh).
# Keys on PKCS#11 tokens: p11-kit and the libp11 engine to build and run,
# SoftHSM 2 and OpenSC's pkcs11-tool for the tests (a token in a temporary
# directory).
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs="build-essential autoconf automake pkg-config libssl-dev libuv1-dev
libjson-c-dev libcurl4-openssl-dev libnftables-dev libplist-dev libcap-ng-dev
libseccomp-dev libp11-kit-dev libengine-pkcs11-openssl softhsm2 opensc
check clang zsh
libclang-rt-14-dev python3
libnm-dev libnma-dev libnma-gtk4-dev libgtk-3-dev libgtk-4-dev libsecret-1-dev
$*"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	apt-get update -qq
	# Daemons (NetworkManager for tests/interop/nm.sh) are installed,
	# never started on the host: policy-rc.d refuses, for this install.
	policy=/usr/sbin/policy-rc.d
	own_policy=no
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		own_policy=yes
	fi
	rc=0
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		rc=$?
	[ "$own_policy" = yes ] && rm -f "$policy"
	[ "$rc" -eq 0 ] || exit "$rc"
fi
echo "deps: build dependencies present"
