#!/bin/sh
# What building and checking the .deb needs on Debian 12, beyond
# scripts/deps.sh: debhelper, devscripts, lintian, the libraries of
# packaging/debian/control's Build-Depends, the package's dependencies,
# systemd (systemd-analyze verify for the unit; not as PID 1) and
# bash-completion.  Idempotent; root.
exec "$(dirname "$0")/deps.sh" debhelper devscripts lintian dpkg-dev \
    fakeroot adduser iproute2 vpnc-scripts systemd bash-completion \
    libsystemd-dev libplist-dev libcap-ng-dev libseccomp-dev
