#!/bin/bash
# tests/interop/cli-exec.sh CMD [ARGS...]: run CMD as root in the client
# namespace ${IR_PREFIX}-cli, inside a private mount namespace where
#   /etc/resolv.conf  is the scratch file $IR_STATE/cli/resolv.conf
#   /run              is $IR_STATE/cli/run
# so that vpnc-script (which rewrites resolv.conf and keeps state under
# /var/run/vpnc) and the client's own runtime files never touch the host.
# Assert on the scratch file ($IR_RESOLV from "netns.sh env").
# The exit status is CMD's.
#
#   eval "$(tests/interop/strongswan/gateway.sh env)"
#   tests/interop/cli-exec.sh ikeroam connect --gateway "$IR_GW" ...
set -eu -o pipefail
IR_TAG=cli-exec
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
ir_need_root
ir_ns_exists "$IR_NS_CLI" || ir_die "no $IR_NS_CLI: run netns.sh up first"
ir_cli_run "$@"
