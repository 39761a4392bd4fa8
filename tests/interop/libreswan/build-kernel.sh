#!/bin/bash
# Fallback: build the gateway guest's kernel when the prebuilt one
# (../shared/interop/bzImage-6.1.192-espintcp, see its README.md) is absent.
#
# Debian's packaged kernels have "# CONFIG_INET_ESPINTCP is not set", and
# libreswan needs the kernel's ESP-in-TCP (XFRM espintcp) for RFC 9329.
# Same recipe as the prebuilt kernel: Debian's linux-source-6.1,
# x86_64_defconfig + kernel/configs/kvm_guest.config +
# espintcp-fragment.config (a copy of the shared one, kept here), merged
# with scripts/kconfig/merge_config.sh, make olddefconfig, make bzImage.
# Everything built in, no modules. About 24 minutes on 2 cores.
#
# Result: $LSGW_DIR/kernel/bzImage-espintcp (+ .config next to it), which
# lib.sh's lsgw_kernel picks up. Idempotent: does nothing when present.
#
# Usage: build-kernel.sh [--force]
set -euo pipefail

LSGW_ME=build-kernel
. "$(dirname "$0")/lib.sh"

OUT="$LSGW_DIR/kernel"
SRC_TAR=/usr/src/linux-source-6.1.tar.xz

lsgw_need_root
if [ -f "$OUT/bzImage-espintcp" ] && [ "${1:-}" != "--force" ]; then
	lsgw_log "$OUT/bzImage-espintcp exists"
	exit 0
fi
[ -f "$SRC_TAR" ] || "$LSGW_HERE/../../../scripts/deps-interop-ls.sh" \
    --kernel-build
[ -f "$SRC_TAR" ] || lsgw_die "$SRC_TAR missing (apt-get install linux-source-6.1)"

t0=$(date +%s)
mkdir -p "$OUT"
rm -rf "$OUT/build"
mkdir -p "$OUT/build"
tar -C "$OUT/build" -xf "$SRC_TAR"
cd "$OUT/build"/linux-source-6.1
make -s x86_64_defconfig
scripts/kconfig/merge_config.sh -m .config kernel/configs/kvm_guest.config \
    "$LSGW_HERE/espintcp-fragment.config" >/dev/null
make -s olddefconfig
# merge_config.sh only warns when a symbol did not stick: insist on the
# ones libreswan's TCP encapsulation and our guest need.
for sym in CONFIG_INET_ESP CONFIG_INET_ESPINTCP CONFIG_INET6_ESPINTCP \
    CONFIG_XFRM_USER CONFIG_VIRTIO_NET CONFIG_VIRTIO_BLK \
    CONFIG_VIRTIO_CONSOLE CONFIG_EXT4_FS CONFIG_DUMMY CONFIG_NF_TABLES; do
	grep -q "^$sym=y" .config || lsgw_die "$sym is not =y after merging"
done
make -s -j"$(nproc)" bzImage
cp arch/x86/boot/bzImage "$OUT/bzImage-espintcp.tmp"
cp .config "$OUT/bzImage-espintcp.config"
mv "$OUT/bzImage-espintcp.tmp" "$OUT/bzImage-espintcp"
cd /
rm -rf "$OUT/build"
lsgw_log "built $OUT/bzImage-espintcp in $(($(date +%s) - t0)) s"
