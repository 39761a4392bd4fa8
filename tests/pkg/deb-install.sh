#!/bin/bash
# tests/pkg/deb-install.sh: build the .deb (scripts/build-deb.sh),
# install it with apt-get, check what it put where and with which modes,
# verify the systemd unit (systemd-analyze verify; no systemd as PID 1
# needed), run the demo tunnel with the installed /usr/sbin/ikeroam from
# the profile /etc/ikeroam/demo.json, then purge the package and check
# that it is gone.  Root; changes the machine's package set (CI's fresh
# machine).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
export IR_PREFIX=${IR_PREFIX:-irdeb}
[ "$(id -u)" -eq 0 ] || { echo "deb-install: run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

scripts/deps-pkg.sh || exit 1
scripts/build-deb.sh "$top/build-deb" || exit 1
deb=$(ls "$top"/build-deb/ikeroam_*.deb)
# An earlier run's package goes first.
if dpkg-query -W -f='${Status}' ikeroam 2>/dev/null | grep -q installed; then
	apt-get purge -y -qq ikeroam >/dev/null
fi
tmp=$(mktemp -d)
purge() {
	apt-get purge -y -qq ikeroam >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap purge EXIT
apt-get install -y -qq --no-install-recommends "$deb" >"$tmp/apt.log" 2>&1 ||
	{ cat "$tmp/apt.log"; exit 1; }

# mode owner:group, as the package promises (packaging/debian/rules).
expect_mode() {	# PATH MODE OWNER
	local got
	got=$(stat -c '%a %U:%G' "$1" 2>/dev/null) || { fail "$1 missing"; return; }
	[ "$got" = "$2 $3" ] && echo "ok: $1 $got" ||
		fail "$1 is $got, expected $2 $3"
}
expect_mode /usr/sbin/ikeroam 755 root:root
expect_mode /etc/ikeroam 750 root:root
expect_mode /var/lib/ikeroam 700 root:root
expect_mode /lib/systemd/system/ikeroam@.service 644 root:root
expect_mode /usr/share/bash-completion/completions/ikeroam 644 root:root
expect_mode /usr/share/zsh/vendor-completions/_ikeroam 644 root:root
# Every manual page make install puts in the tree is shipped.
for m in man/*.[0-9]; do
	[ -e "$m" ] || continue
	s=${m##*.}
	expect_mode "/usr/share/man/man$s/${m##*/}.gz" 644 root:root
done
# The user the network-facing part runs as.
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd ikeroam)
if [ -z "${uid:-}" ]; then
	fail "no user ikeroam"
elif [ "$uid" -ge 1000 ] || [ "$shell" != /usr/sbin/nologin ] ||
    [ "$home" != /nonexistent ]; then
	fail "user ikeroam: uid $uid, home $home, shell $shell"
else
	echo "ok: system user ikeroam (uid $uid, $shell)"
fi
want="ikeroam $(sed -n 's/^AC_INIT(\[ikeroam\], \[\([^]]*\)\].*/\1/p' configure.ac)"
got=$(/usr/sbin/ikeroam --version)
[ "$got" = "$want" ] && echo "ok: $got" || fail "--version: '$got'"

# The unit as systemd reads it, for an instance.  verify prints problems
# (unknown keys, bad values) but exits 0 for most: any output fails.
cp /lib/systemd/system/ikeroam@.service "$tmp/ikeroam@demo.service"
out=$(systemd-analyze verify --man=no "$tmp/ikeroam@demo.service" 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ -n "$out" ]; then
	fail "systemd-analyze verify (status $rc): $out"
else
	echo "ok: systemd-analyze verify ikeroam@demo.service"
fi
grep -q '^ExecStart=/usr/sbin/ikeroam connect %i$' \
    /lib/systemd/system/ikeroam@.service && echo "ok: ExecStart" ||
	fail "ExecStart is not /usr/sbin/ikeroam connect %i"

# The tunnel, with the installed program and an installed profile.
if IKEROAM=/usr/sbin/ikeroam DEMO_PROFILE=demo scripts/demo.sh \
    >"$tmp/demo.log" 2>&1; then
	echo "ok: demo tunnel: /usr/sbin/ikeroam connect demo" \
	    "(/etc/ikeroam/demo.json)"
else
	tail -20 "$tmp/demo.log"
	fail "demo tunnel: /usr/sbin/ikeroam connect demo"
fi

apt-get purge -y -qq ikeroam >"$tmp/apt.log" 2>&1 || fail "purge"
for p in /usr/sbin/ikeroam /var/lib/ikeroam /etc/ikeroam \
    /lib/systemd/system/ikeroam@.service; do
	[ -e "$p" ] && fail "$p still there after purge"
done
dpkg-query -W -f='${Status}' ikeroam 2>/dev/null | grep -q installed &&
	fail "ikeroam still installed"
[ "$fails" -eq 0 ] && echo "deb-install: all passed"
[ "$fails" -eq 0 ]
