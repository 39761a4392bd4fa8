#!/bin/sh
# Install what the interop harness (tests/interop/) needs on Debian 12.
# Idempotent: packages already present are not fetched again, and the
# package lists are refreshed only when something is missing.
#
# Usage: scripts/deps-interop.sh [--no-tshark]
set -eu

export DEBIAN_FRONTEND=noninteractive

# The strongSwan gateway and its baseline client (see tests/interop/README.md):
# kernel-libipsec, eap-tls, eap-gtc and eap-identity live in
# libcharon-extra-plugins, eap-mschapv2 and xauth-generic in
# libcharon-extauth-plugins, chapoly/curve25519 in libstrongswan-extra-plugins,
# the openssl plugin in libstrongswan-standard-plugins.  tcpdump: the
# leak captures of the kill switch (tests/interop/killswitch.sh) and of the
# roaming suite (client-roam.sh), which also makes the middlebox forget its
# NAT mappings (conntrack).  stunnel4: the TLS-terminating front of
# tests/interop/client-tls.sh (RFC 9329 App. A).  wireguard-go and
# wireguard-tools: the userspace reference of tests/bench/tunnel_bench.sh;
# linux-perf: its profile of ikeroam under load (without it, a Debian
# machine's /usr/bin/perf is linux-base's wrapper, which only says that
# linux-perf is not installed).
PKGS="strongswan-charon strongswan-swanctl strongswan-pki
libcharon-extra-plugins libcharon-extauth-plugins
libstrongswan-extra-plugins libstrongswan-standard-plugins charon-cmd
iproute2 nftables iperf3 vpnc-scripts openssl util-linux procps iputils-ping
tcpdump stunnel4 conntrack softhsm2 opensc libengine-pkcs11-openssl xxd
wireguard-go wireguard-tools linux-perf"

# tshark is optional: an independent dissector for captured exchanges.
OPTIONAL="tshark"
if [ "${1:-}" = "--no-tshark" ]; then
	OPTIONAL=""
fi

missing() {
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		    grep -q '^install ok installed$'; then
			printf '%s\n' "$p"
		fi
	done
}

if [ "$(id -u)" -ne 0 ]; then
	echo "deps-interop: must run as root (apt-get install)" >&2
	exit 1
fi

# shellcheck disable=SC2086 # word splitting of the package lists is wanted
need=$(missing $PKGS $OPTIONAL)
if [ -z "$need" ]; then
	echo "deps-interop: all packages present"
	exit 0
fi

apt-get update -q
# tshark asks whether non-root users may capture: answer "no" up front.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    debconf-set-selections
# shellcheck disable=SC2046,SC2086 # package lists: splitting wanted
apt-get install -y -q --no-install-recommends $(missing $PKGS)
if [ -n "$OPTIONAL" ]; then
	# shellcheck disable=SC2086
	opt=$(missing $OPTIONAL)
	if [ -n "$opt" ]; then
		# shellcheck disable=SC2086
		apt-get install -y -q --no-install-recommends $opt ||
		    echo "deps-interop: optional $opt not installed" >&2
	fi
fi

# Debian enables charon's systemd unit; the harness runs its own daemons in
# namespaces and a host-wide one would only get in the way.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
	systemctl disable --now strongswan.service strongswan-starter.service \
	    >/dev/null 2>&1 || true
fi
echo "deps-interop: done"
