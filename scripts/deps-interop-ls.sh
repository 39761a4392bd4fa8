#!/bin/sh
# Install what the libreswan RFC 9329 gateway (tests/interop/libreswan/)
# needs on a Debian 12 host: qemu (software emulation, no KVM needed),
# debootstrap to build the guest root, e2fsprogs for mkfs.ext4 -d, and the
# host-side network tools. Idempotent: nothing is fetched when all packages
# are present, and the package lists are refreshed only when one is missing.
#
# With --kernel-build it also installs what build-kernel.sh needs (only when
# /work/shared/interop/ with the prebuilt kernel is not available).
#
# Usage: scripts/deps-interop-ls.sh [--kernel-build]
set -eu

export DEBIAN_FRONTEND=noninteractive

PKGS="qemu-system-x86 qemu-utils debootstrap debian-archive-keyring
e2fsprogs nftables iproute2 iputils-ping openssl coreutils util-linux
procps python3 stunnel4"

# Debian's own kernel source plus the toolchain to build bzImage (see
# tests/interop/libreswan/build-kernel.sh).
KPKGS="linux-source-6.1 build-essential bc bison flex libelf-dev libssl-dev
xz-utils cpio kmod"

if [ "${1:-}" = "--kernel-build" ]; then
	PKGS="$PKGS $KPKGS"
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
	echo "deps-interop-ls: must run as root (apt-get install)" >&2
	exit 1
fi

# shellcheck disable=SC2086 # word splitting of the package list is wanted
need=$(missing $PKGS)
if [ -z "$need" ]; then
	echo "deps-interop-ls: all packages present"
	exit 0
fi

apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $need
echo "deps-interop-ls: done"
