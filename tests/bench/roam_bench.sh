#!/bin/bash
# tests/bench/roam_bench.sh: ikeroam's roaming figures (issue 7) as one
# table, case by case: the gap from the change to the first answered
# ping, requests lost, whether the gateway kept the same IKE SA and on
# which uplink it sees the client, packets leaked on the uplinks; beside
# the aims of the issue and beside strongSwan's own client (a charon
# daemon with MOBIKE, tests/interop/charon-cmd.sh psk) measured the same
# way in the same run.  Figures only: never asserts a timing; exit 0
# whenever the table was produced.
#
# It is the roaming suite in its bench mode (tests/interop/client-roam.sh,
# which describes the cases, the topology and the environment): a..e
# against strongSwan 5.9.8, d also against libreswan over TCP (qemu).
# Environment: IKEROAM, ROAM_CASES, IR_PREFIX (default rmbench),
# LSGW_PREFIX (default rlbench).  Needs root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export IR_PREFIX=${IR_PREFIX:-rmbench} LSGW_PREFIX=${LSGW_PREFIX:-rlbench}
ROAM_MODE=bench exec "$here/../interop/client-roam.sh"
