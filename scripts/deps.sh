#!/bin/sh
# Install what ikeroam needs to build and run its unit tests, sanitizer
# build and fuzz targets on Debian 12.  Idempotent; run as root.
# Extra package names as arguments are installed too (scripts/deps-pkg.sh).
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs="build-essential autoconf automake pkg-config libssl-dev libuv1-dev
libjson-c-dev libcurl4-openssl-dev libnftables-dev libcap-ng-dev
libseccomp-dev check clang
libclang-rt-14-dev python3 $*"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "deps: build dependencies present"
# The NetworkManager plugin's libraries (built when found) and its test's
# daemons.
"$(dirname "$0")/deps-nm.sh"
