# Shared settings of the libreswan RFC 9329 gateway harness.
# Sourced by guest-image.sh, gateway.sh, build-kernel.sh and selftest.sh.
# Every value can be overridden from the environment (LSGW_*).
# shellcheck shell=bash

LSGW_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Cache outside the source tree: the debootstrap tree, the root image, the
# test PKI and (fallback only) a self-built kernel. Reused between runs.
: "${LSGW_CACHE:=/var/cache/ikeroam-interop}"
LSGW_DIR="$LSGW_CACHE/libreswan"
: "${LSGW_MIRROR:=http://deb.debian.org/debian}"
: "${LSGW_SUITE:=bookworm}"

# The prebuilt guest kernel with CONFIG_INET_ESPINTCP (see its README.md);
# build-kernel.sh makes the same kernel under $LSGW_DIR/kernel when absent.
: "${LSGW_SHARED_KERNEL_DIR:=$LSGW_HERE/../../../../shared/interop}"
LSGW_KERNEL_NAME="bzImage-6.1.192-espintcp"

# Run-time state of one gateway instance (pid, console log, agent socket).
: "${LSGW_PREFIX:=ilsgw}"
: "${LSGW_RUN:=/run/ikeroam-interop-ls/$LSGW_PREFIX}"

# Topology, RFC 5737 addresses only:
#   client ns  c0 192.0.2.2/24  --veth--  m0 192.0.2.1/24  middlebox ns
#   middlebox ns  tap 198.51.100.1/24  --virtio-net--  guest eth0 198.51.100.20/24
#   guest dummy0 203.0.113.10/25 (protected net 203.0.113.0/25)
#   virtual IPs: PSK 203.0.113.129-190, cert 203.0.113.193-254
LSGW_NS_CLI="$LSGW_PREFIX-cli"
LSGW_NS_MID="$LSGW_PREFIX-mid"
LSGW_TAP="lsgw0"
: "${LSGW_CLIENT_ADDR:=192.0.2.2}"
: "${LSGW_MID_CLI_ADDR:=192.0.2.1}"
: "${LSGW_MID_GW_ADDR:=198.51.100.1}"
: "${LSGW_ADDR:=198.51.100.20}"
: "${LSGW_PROTECTED:=203.0.113.10}"
LSGW_PROTECTED_NET="203.0.113.0/25"
LSGW_POOL_PSK="203.0.113.129-203.0.113.190"
LSGW_POOL_CERT="203.0.113.193-203.0.113.254"
LSGW_DNS="203.0.113.53"
LSGW_TCP_PORT=4500

# IKE identities (ID_FQDN) and the test PSK (also baked into the image).
LSGW_ID="gw.harness.test"
LSGW_CLIENT_PSK_ID="client-psk.harness.test"
LSGW_CLIENT_CERT_ID="client-cert.harness.test"
LSGW_PSK="ikeroam-ls-rfc9329-test-psk-0123456789abcdef"

# Guest resources; TCG (software emulation) only, no KVM on these hosts.
: "${LSGW_MEM:=512}"
: "${LSGW_SMP:=1}"
: "${LSGW_BOOT_TIMEOUT:=180}"
LSGW_READY_MARKER="IKEROAM-GW-READY"

lsgw_log() {
	printf '%s: %s\n' "${LSGW_ME:-lsgw}" "$*" >&2
}

lsgw_die() {
	lsgw_log "$*"
	exit 1
}

lsgw_need_root() {
	[ "$(id -u)" -eq 0 ] || lsgw_die "must run as root"
}

# Prints the kernel to boot: the shared prebuilt one when its checksum
# verifies, else the one build-kernel.sh left in the cache.
lsgw_kernel() {
	local d="$LSGW_SHARED_KERNEL_DIR"

	if [ -f "$d/$LSGW_KERNEL_NAME" ] && [ -f "$d/SHA256SUMS" ]; then
		if (cd "$d" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1; then
			printf '%s\n' "$(cd "$d" && pwd)/$LSGW_KERNEL_NAME"
			return 0
		fi
		lsgw_log "$d/SHA256SUMS does not verify; ignoring it"
	fi
	if [ -f "$LSGW_DIR/kernel/bzImage-espintcp" ]; then
		printf '%s\n' "$LSGW_DIR/kernel/bzImage-espintcp"
		return 0
	fi
	return 1
}
