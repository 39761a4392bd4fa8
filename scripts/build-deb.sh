#!/bin/sh
# Build the ikeroam .deb: scripts/build-deb.sh [DIR]   (default build-deb)
# Copies the sources git knows (committed or not, minus ignored files)
# into DIR/src, puts packaging/debian there as debian/, and runs
# dpkg-buildpackage -us -uc -b.  The .deb lands in DIR; lintian's
# verdict in DIR/lintian.txt (errors fail the build).  CHECK=1 also runs
# make check inside the package build (CI runs it in its own step).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build-deb}
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
rm -rf "$dir"
mkdir -p "$dir/src"
(cd "$top" && git ls-files -co --exclude-standard -z |
    xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$dir/src"
rm -rf "$dir/src/debian"
cp -r "$top/packaging/debian" "$dir/src/debian"
want=$(sed -n 's/^AC_INIT(\[ikeroam\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
have=$(dpkg-parsechangelog -l "$dir/src/debian/changelog" -S Version)
[ "$want" = "$have" ] || { echo "build-deb: configure.ac says $want," \
    "packaging/debian/changelog $have: add a changelog entry" >&2; exit 1; }
[ "${CHECK:-0}" = 1 ] || export DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}"
cd "$dir/src"
dpkg-buildpackage -us -uc -b -j"$(nproc)" >"$dir/build.log" 2>&1 ||
	{ tail -40 "$dir/build.log" >&2; echo "build-deb: failed (see $dir/build.log)" >&2; exit 1; }
cd "$dir"
deb=$(ls ikeroam_*.deb)
lintian --tag-display-limit 0 "$deb" >lintian.txt 2>&1 || true
cat lintian.txt
if grep -q '^E: ' lintian.txt; then
	echo "build-deb: lintian found errors" >&2
	exit 1
fi
echo "build-deb: $dir/$deb ($(grep -c '^W: ' lintian.txt) lintian warnings)"
