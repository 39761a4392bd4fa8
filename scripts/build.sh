#!/bin/sh
# Configure and build ikeroam out of tree: scripts/build.sh DIR [configure args]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi >/dev/null 2>&1) ||
	{ echo "build: autoreconf failed: apt-get install autoconf automake pkg-config" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
[ -f Makefile ] || "$top/configure" -q "$@"
make -j"$(nproc)" >/dev/null
echo "build: $dir ok"
