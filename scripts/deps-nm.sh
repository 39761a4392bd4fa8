#!/bin/sh
# What tests/interop/nm.sh needs beyond scripts/deps.sh (which installs
# the plugin's build libraries): NetworkManager and dbus-daemon, run in a
# network namespace by the test, never started on the host, and
# xvfb-run for the editor pages.  Idempotent; root.
exec "$(dirname "$0")/deps.sh" network-manager dbus-daemon \
    dbus-system-bus-common xvfb xauth util-linux
