#!/bin/bash
# tests/pkg/demo-twice.sh: the README's demo (scripts/demo.sh) twice in a
# row; each run must exit 0 and leave nothing behind: none of the PIDs it
# recorded alive, no namespace of its prefix, the host's routes and rules
# as they were.  Root.  IKEROAM (optional) is passed on to the demo.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export IR_PREFIX=${IR_PREFIX:-irdemo}
[ "$(id -u)" -eq 0 ] || { echo "demo-twice: run as root" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

snapshot() {
	{ ip -4 route show table main; ip -6 route show table main
	  ip -4 rule; ip -6 rule; } 2>&1
}

fails=0
before=$(snapshot)
for run in 1 2; do
	export DEMO_PIDS=$tmp/pids.$run
	: >"$DEMO_PIDS"
	t0=$(date +%s)
	"$top/scripts/demo.sh" >"$tmp/out.$run" 2>&1
	rc=$?
	echo "demo run $run: exit status $rc in $(($(date +%s) - t0)) s"
	if [ "$rc" -ne 0 ]; then
		tail -30 "$tmp/out.$run"
		fails=$((fails + 1))
	fi
	n=0
	for p in $(cat "$DEMO_PIDS"); do
		n=$((n + 1))
		if kill -0 "$p" 2>/dev/null; then
			echo "FAIL: run $run left pid $p: $(tr '\0' ' ' \
			    </proc/"$p"/cmdline 2>/dev/null)"
			fails=$((fails + 1))
		fi
	done
	# charon, the client's process group, tail, ikeroam
	[ "$n" -ge 4 ] || { echo "FAIL: run $run recorded $n PIDs, not 4"
		fails=$((fails + 1)); }
	left=$(ip netns list | grep -E "^$IR_PREFIX-" || true)
	[ -z "$left" ] || { echo "FAIL: run $run left namespaces: $left"
		fails=$((fails + 1)); }
	after=$(snapshot)
	[ "$after" = "$before" ] || { echo "FAIL: run $run changed the" \
	    "host's routes or rules:"; diff <(echo "$before") \
	    <(echo "$after"); fails=$((fails + 1)); }
done
[ "$fails" -eq 0 ] && echo "demo-twice: both runs clean"
[ "$fails" -eq 0 ]
