#!/bin/bash
# Build (or reuse) the root image of the libreswan RFC 9329 gateway guest.
#
# Three cached stages under $LSGW_DIR (default
# /var/cache/ikeroam-interop/libreswan), each skipped when its marker says
# it is complete and built from the same recipe:
#   base/        debootstrap bookworm minbase + libreswan, iproute2,
#                nftables, iperf3, ping (downloads from Debian's mirror)
#   pki/         a test CA, the gateway's and a client's RSA certificates
#   rootfs.ext4  base + guest/ files + NSS database, made with mkfs.ext4 -d;
#                qemu boots it with snapshot=on, so it never changes
#
# Usage: guest-image.sh [--force]   (--force rebuilds the image, not base)
# Prints the image path on stdout.
set -euo pipefail

LSGW_ME=guest-image
. "$(dirname "$0")/lib.sh"

PKGS="libreswan,bind9-host,libnss3-tools,iproute2,nftables,iperf3,iputils-ping,procps,kmod,tcpdump"
BASE="$LSGW_DIR/base"
PKI="$LSGW_DIR/pki"
IMAGE="$LSGW_DIR/rootfs.ext4"
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

# Marker content = what the stage was built from; a different recipe
# rebuilds the stage.
base_recipe() {
	printf 'base v1 %s %s %s\n' "$LSGW_SUITE" "$LSGW_MIRROR" "$PKGS"
}

image_recipe() {
	{
		base_recipe
		cat "$0" "$LSGW_HERE/lib.sh" "$LSGW_HERE"/guest/*
		cat "$PKI/ca.pem" "$PKI/gw.pem"
	} | sha256sum | cut -d' ' -f1
}

marker_ok() {
	[ -f "$1" ] && [ "$(cat "$1")" = "$2" ]
}

build_base() {
	local want tmp t0

	want=$(base_recipe)
	marker_ok "$BASE.done" "$want" && return 0
	command -v debootstrap >/dev/null ||
	    lsgw_die "debootstrap missing: run scripts/deps-interop-ls.sh"
	t0=$(date +%s)
	tmp="$BASE.tmp"
	rm -rf "$tmp" "$BASE" "$BASE.done"
	lsgw_log "debootstrap $LSGW_SUITE from $LSGW_MIRROR (a few minutes)"
	DEBIAN_FRONTEND=noninteractive debootstrap --variant=minbase \
	    --include="$PKGS" "$LSGW_SUITE" "$tmp" "$LSGW_MIRROR" \
	    >"$LSGW_DIR/debootstrap.log" 2>&1 ||
	    lsgw_die "debootstrap failed, see $LSGW_DIR/debootstrap.log"
	# The image needs no package cache, docs or man pages.
	rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/* \
	    "$tmp"/usr/share/doc/* "$tmp"/usr/share/man/* \
	    "$tmp"/usr/share/locale/*
	mv "$tmp" "$BASE"
	printf '%s\n' "$want" >"$BASE.done"
	lsgw_log "base built in $(($(date +%s) - t0)) s"
}

# RSA keys: libreswan 4.10 "authby=rsasig" signs with RFC 7427 RSA-PSS or
# PKCS#1 v1.5; an ECDSA key would need authby=ecdsa and a second conn.
mkcert() {
	local name=$1 id=$2

	openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" \
	    -subj "/O=ikeroam interop/CN=$id" -out "$PKI/$name.csr" 2>/dev/null
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n' \
	    "$id" >"$PKI/$name.ext"
	openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.pem" \
	    -CAkey "$PKI/ca.key" -CAcreateserial -days 3650 -sha256 \
	    -extfile "$PKI/$name.ext" -out "$PKI/$name.pem" 2>/dev/null
	openssl pkcs12 -export -name "$name" -inkey "$PKI/$name.key" \
	    -in "$PKI/$name.pem" -certfile "$PKI/ca.pem" \
	    -passout pass:ikeroam -out "$PKI/$name.p12"
	rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

build_pki() {
	[ -f "$PKI/done" ] && return 0
	rm -rf "$PKI"
	mkdir -p "$PKI"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
	    -subj "/O=ikeroam interop/CN=ikeroam interop test CA" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign \
	    -keyout "$PKI/ca.key" -out "$PKI/ca.pem" 2>/dev/null
	mkcert gw "$LSGW_ID"
	mkcert client "$LSGW_CLIENT_CERT_ID"
	printf 'test PKI, p12 password "ikeroam"\n' >"$PKI/done"
}

# Puts the guest/ files and the secrets into the staged tree.
configure_tree() {
	local t=$1 g="$LSGW_HERE/guest"

	install -m 0755 "$g/init.sh" "$t/sbin/ikeroam-init"
	install -m 0755 "$g/agent.sh" "$t/usr/local/sbin/ikeroam-agent"
	install -m 0644 "$g/ipsec.conf" "$t/etc/ipsec.conf"
	install -m 0644 "$g/ipsec-peer.conf" "$t/etc/ipsec-peer.conf"
	sed -e "s|@LSGW_ID@|$LSGW_ID|g" \
	    -e "s|@LSGW_CLIENT_PSK_ID@|$LSGW_CLIENT_PSK_ID|g" \
	    -e "s|@LSGW_PSK@|$LSGW_PSK|g" \
	    "$g/ipsec.secrets.in" >"$t/etc/ipsec.secrets"
	chmod 0600 "$t/etc/ipsec.secrets"
	echo gw >"$t/etc/hostname"
	printf '127.0.0.1 localhost\n%s gw.harness.test gw\n' "$LSGW_ADDR" \
	    >"$t/etc/hosts"
	: >"$t/etc/fstab"
	# The NSS database pluto reads: gateway key+cert, CA trusted.
	rm -rf "$t/var/lib/ipsec/nss"
	mkdir -p "$t/var/lib/ipsec/nss"
	cp "$PKI/gw.p12" "$PKI/client.p12" "$PKI/ca.pem" "$t/tmp/"
	chroot "$t" certutil -N -d sql:/var/lib/ipsec/nss --empty-password
	chroot "$t" certutil -A -n ikeroam-ca -t CT,, -i /tmp/ca.pem \
	    -d sql:/var/lib/ipsec/nss
	chroot "$t" pk12util -i /tmp/gw.p12 -d sql:/var/lib/ipsec/nss \
	    -W ikeroam >/dev/null
	# The client's key too, for the peer guest (ipsec-peer.conf).
	chroot "$t" pk12util -i /tmp/client.p12 -d sql:/var/lib/ipsec/nss \
	    -W ikeroam >/dev/null
	rm -f "$t"/tmp/*.p12 "$t/tmp/ca.pem"
}

build_image() {
	local want stage tmp size t0

	want=$(image_recipe)
	if [ "$FORCE" = 0 ] && [ -f "$IMAGE" ] &&
	    marker_ok "$IMAGE.done" "$want"; then
		return 0
	fi
	t0=$(date +%s)
	rm -f "$IMAGE.done"
	stage="$LSGW_DIR/stage"
	tmp="$IMAGE.tmp"
	rm -rf "$stage" "$tmp"
	cp -a "$BASE" "$stage"
	configure_tree "$stage"
	# 40% headroom, at least 256 MiB, for the run-time overlay
	# (snapshot=on keeps guest writes out of this file anyway).
	size=$(du -sm "$stage" | cut -f1)
	size=$((size * 14 / 10 + 256))
	mkfs.ext4 -q -F -L ikeroam-gw -d "$stage" "$tmp" "${size}M" >/dev/null
	rm -rf "$stage"
	mv "$tmp" "$IMAGE"
	printf '%s\n' "$want" >"$IMAGE.done"
	lsgw_log "image built in $(($(date +%s) - t0)) s (${size} MiB)"
}

lsgw_need_root
mkdir -p "$LSGW_DIR"
exec 9>"$LSGW_DIR/.lock"
flock -w 1800 9 || lsgw_die "another guest-image.sh holds $LSGW_DIR/.lock"
build_base
build_pki
build_image
printf '%s\n' "$IMAGE"
