#!/bin/sh
# tests/src/lazy-needed.sh: the libraries src/lazylib.h opens at first use
# (libcurl, libnftables, libplist, p11-kit, libsystemd) are not NEEDED by the
# built ikeroam: linking one again would put it (and its dependencies)
# back into every start.  The libraries ikeroam does link are listed too.
set -eu
bin=${IKEROAM:-./ikeroam}
[ -x "$bin" ] || { echo "lazy-needed: $bin not built" >&2; exit 99; }
needed=$(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }')
echo "NEEDED: $(echo $needed)"
bad=0
for lib in libcurl libnftables libplist libp11-kit libsystemd; do
	if echo "$needed" | grep -q "^$lib\\."; then
		echo "FAIL: ikeroam links $lib; it must be opened through src/lazylib.h"
		bad=1
	else
		echo "ok: $lib not linked"
	fi
done
exit $bad
