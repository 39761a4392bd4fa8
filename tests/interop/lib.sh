# shellcheck shell=bash
# tests/interop/lib.sh: helpers shared by the interop harness scripts.
# Sourced, never run. Needs bash (EPOCHREALTIME, arrays) and root.
#
# Variables (all optional, read from the environment):
#   IR_PREFIX   namespace name prefix (default "ir"); the harness makes
#               ${IR_PREFIX}-cli, -mid, -gw and -lan
#   IR_STATE    state directory (default /tmp/ikeroam-interop-$IR_PREFIX):
#               PKI, secrets, configs, logs, pid files
#
# Every wait here is bounded by a count of tries and a sleep between them.

# shellcheck disable=SC2034 # the variables below are used by the scripts
IR_PREFIX=${IR_PREFIX:-ir}
case $IR_PREFIX in
''|*[!a-z0-9]*)
	echo "interop: IR_PREFIX must be [a-z0-9]+ (got '$IR_PREFIX')" >&2
	exit 2
	;;
esac
if [ ${#IR_PREFIX} -gt 8 ]; then
	echo "interop: IR_PREFIX longer than 8 characters" >&2
	exit 2
fi
IR_STATE=${IR_STATE:-/tmp/ikeroam-interop-$IR_PREFIX}
IR_NS_CLI=$IR_PREFIX-cli
IR_NS_MID=$IR_PREFIX-mid
IR_NS_GW=$IR_PREFIX-gw
IR_NS_LAN=$IR_PREFIX-lan
IR_PIDS=$IR_STATE/pids
IR_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Addresses of the topology: the single place they are defined
# (netns.sh documents the picture).
IR_CLI_ADDR=192.0.2.2
IR_CLI_NET=192.0.2.0/24
IR_MID_CLI_ADDR=192.0.2.1
IR_MID_GW_ADDR=198.51.100.1
IR_GW_ADDR=198.51.100.10
IR_GW_NET=198.51.100.0/25
IR_POOL=198.51.100.128/25
IR_LAN_GW_ADDR=203.0.113.1
IR_LAN_NET=203.0.113.0/24
IR_LAN_HOST=203.0.113.10
IR_DNS=203.0.113.53
IR_DNS_DOMAIN=corp.test
IR_GW_ID=vpn.test
# IR_UPLINKS=2 (the roaming suite): the client link is split in two /25
# uplinks, A (eth0 - c0, the addresses above) and B (eth1 - c1).
IR_CLI_B_ADDR=192.0.2.130
IR_MID_CLI_B_ADDR=192.0.2.129
IR_UPLINKS=${IR_UPLINKS:-1}

ir_log() {
	printf '%s: %s\n' "${IR_TAG:-interop}" "$*" >&2
}

ir_die() {
	ir_log "error: $*"
	exit 1
}

# Suite checks: one "PASS: ..." or "FAIL: ..." line each, counted in the
# suite's own $pass and $fail (it sets both to 0 first).
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check() {	# check DESCRIPTION CMD...
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

# ir_summary LABEL: the suite's time since $t_start (ir_now_ms) and its
# counts; true only when nothing failed (the suite's last command).
ir_summary() {
	# shellcheck disable=SC2154 # t_start is the suite's
	echo "$1: $(( ($(ir_now_ms) - t_start) / 1000 )) s"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# ir_on_exit FUNCTION: FUNCTION runs when the suite ends, and SIGINT or
# SIGTERM end it (status 130) so that it runs then too.
ir_on_exit() {
	# shellcheck disable=SC2064 # the function's name, expanded now
	trap "$1" EXIT
	trap 'exit 130' INT TERM
}

# ir_find_ikeroam: TOP, the checkout, and IKEROAM, the binary under test
# (default TOP/build/ikeroam) as an absolute path; dies when not built.
ir_find_ikeroam() {
	TOP=$(cd "$IR_HERE/../.." && pwd)
	IKEROAM=${IKEROAM:-$TOP/build/ikeroam}
	IKEROAM=$(readlink -f "$IKEROAM")
	[ -x "$IKEROAM" ] || ir_die "$IKEROAM not built"
}

# The client under test, one at a time: the suite starts it in the
# background and sets CLIENT_PID (the job), IKEROAM_PID (ikeroam itself,
# ir_find_comm) and LOG (its output).  A suite that needs another
# behaviour defines its own function of the same name after this file.
client_alive() { [ -n "$CLIENT_PID" ] && kill -0 "$CLIENT_PID" 2>/dev/null; }
tunnel_up() { grep -q "tunnel up" "$LOG"; }
up_or_dead() { tunnel_up || ! client_alive; }

# wait_up NAME [WHAT]: up to 30 s for "tunnel up" in $LOG, less when the
# client ends first; if it does not come, a FAIL "NAME: tunnel up [WHAT]"
# with the log's last lines, and false.
wait_up() {
	if ir_wait 300 0.1 up_or_dead && tunnel_up; then
		return 0
	fi
	bad "$1: tunnel up${2:+ $2} (see $LOG)"
	tail -5 "$LOG" | sed 's/^/    /'
	return 1
}

# stop_client SIGNAL: SIGNAL to ikeroam, then the client's exit status
# (124 when it did not end within 10 s and was killed).
stop_client() {
	local rc
	kill -s "$1" "$IKEROAM_PID" 2>/dev/null
	ir_client_wait "$CLIENT_PID" "$IKEROAM_PID" 10
	rc=$?
	CLIENT_PID=
	IKEROAM_PID=
	return $rc
}

ir_need_root() {
	[ "$(id -u)" -eq 0 ] || ir_die "must run as root"
}

ir_need_cmds() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
		    ir_die "'$c' missing: run scripts/deps-interop.sh"
	done
}

# Milliseconds since the epoch (bash 5 EPOCHREALTIME, no fork).
ir_now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}

# ir_wait TRIES SLEEP CMD...: run CMD until it succeeds, at most TRIES
# times with SLEEP seconds between; returns CMD's last status.
ir_wait() {
	local tries=$1 pause=$2 i
	shift 2
	for ((i = 0; i < tries; i++)); do
		if "$@"; then
			return 0
		fi
		sleep "$pause"
	done
	return 1
}

ir_ns_exists() {
	[ -e "/run/netns/$1" ]
}

ir_pid_alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

# ir_client_wait JOB PID SECONDS: wait (up to SECONDS) for the background
# job JOB of this shell to end and give its exit status; 124 after killing
# PID (the client process itself, which may sit under the job) when it
# did not end in time.
ir_client_wait() {
	local job=$1 pid=$2 tries=$(($3 * 10))
	if ! ir_wait "$tries" 0.1 eval "! kill -0 $job 2>/dev/null"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$job" 2>/dev/null
		return 124
	fi
	wait "$job"
}

# ir_find_comm PID NAME: the process called NAME at or under PID, the
# background job of a client (a subshell, then ip netns exec / unshare /
# sh, which exec): signals must reach the client itself, not the
# subshell, which ignores SIGINT as background jobs do.  Each round looks
# at the whole tree under PID and takes the NAME nearest to it: a walk
# down one branch could pass the client between reading its name (still
# "bash" before exec) and listing its children, and end in its network
# part ("ikeroam-net"), never to come back (CI: the test then signalled
# the subshell and waited 30 s).  PID if none shows up within 10 s or
# once the job has ended.
ir_find_comm() {
	local found end=$((SECONDS + 10))
	while [ "$SECONDS" -lt "$end" ]; do
		found=$(ps -e -o pid=,ppid=,comm= | awk -v root="$1" \
		    -v want="$2" '
		{ up[$1] = $2; name[$1] = $3 }
		END {
			best = ""; bestd = 99
			for (p in up) {
				if (name[p] != want)
					continue
				q = p
				for (d = 0; d < 32 && q != root && q in up; d++)
					q = up[q]
				if (q == root && d < bestd) {
					best = p
					bestd = d
				}
			}
			print best
		}')
		if [ -n "$found" ]; then
			echo "$found"
			return
		fi
		kill -0 "$1" 2>/dev/null || break	# ended (a usage error)
		sleep 0.05
	done
	echo "$1"
}

# ir_spawn NAME NS RUNDIR LOG CMD...: start CMD in namespace NS in its own
# session and mount namespace, with RUNDIR bind-mounted over /run (charon
# writes a fixed pid file there), stdout and stderr to LOG. The pid of CMD
# itself (the shell execs it) goes to $IR_PIDS/NAME.pid. Stdin is the file
# $IR_SPAWN_STDIN (default /dev/null): charon-cmd reads secrets from it.
# With $IR_SPAWN_T0 set, the time just before CMD is executed (seconds
# since the epoch, nanoseconds) and the wrapper's CPU time then (ns,
# /proc/self/schedstat) are written to that file, one a line (the
# benchmark's start-up times).
ir_spawn() {
	local name=$1 ns=$2 rundir=$3 logf=$4
	shift 4
	mkdir -p "$IR_PIDS" "$rundir"
	rm -f "$IR_PIDS/$name.pid"
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$ns" unshare --mount --propagation slave \
	    setsid sh -c 'echo $$ > "$1" && mount --bind "$2" /run &&
	    { [ -z "${IR_SPAWN_T0:-}" ] || { date +%s.%N &&
	    read -r c _ </proc/self/schedstat && echo "$c"; } >"$IR_SPAWN_T0"; } &&
	    shift 2 && exec "$@"' sh "$IR_PIDS/$name.pid" "$rundir" "$@" \
	    <"${IR_SPAWN_STDIN:-/dev/null}" >>"$logf" 2>&1 &
	ir_wait 100 0.02 test -s "$IR_PIDS/$name.pid" ||
	    ir_die "$name did not start (see $logf)"
}

ir_pidfile_pid() {
	[ -s "$IR_PIDS/$1.pid" ] && cat "$IR_PIDS/$1.pid"
}

# ir_stop NAME [SIGNAL]: end the process recorded in $IR_PIDS/NAME.pid:
# SIGNAL (default TERM), up to 5 s, then KILL. Only that pid is touched.
ir_stop() {
	local name=$1 sig=${2:-TERM} pid
	pid=$(ir_pidfile_pid "$name") || return 0
	if ir_pid_alive "$pid"; then
		kill -s "$sig" "$pid" 2>/dev/null || true
		if ! ir_wait 100 0.05 eval "! kill -0 $pid 2>/dev/null"; then
			ir_log "$name ($pid) ignored SIG$sig, killing"
			kill -s KILL "$pid" 2>/dev/null || true
			ir_wait 40 0.05 eval "! kill -0 $pid 2>/dev/null" || true
		fi
	fi
	rm -f "$IR_PIDS/$name.pid"
}

# ir_stop_all: every process the harness recorded, newest first.
ir_stop_all() {
	local f
	[ -d "$IR_PIDS" ] || return 0
	for f in $(ls -t "$IR_PIDS"/*.pid 2>/dev/null); do
		ir_stop "$(basename "$f" .pid)"
	done
}

# ir_cli_run CMD...: run CMD in the client namespace inside a private mount
# namespace where /etc/resolv.conf is the scratch file $IR_STATE/cli/
# resolv.conf and /run is $IR_STATE/cli/run: vpnc-script rewrites the first
# and keeps backups under /var/run/vpnc, neither may touch the host's.
# IR_CLI_SBIN=DIR: DIR is /usr/local/sbin there (vpnc-script's PATH has
# it before /usr/bin: a "uname" in it runs as the script's first command).
ir_cli_run() {
	local scratch=$IR_STATE/cli/resolv.conf rundir=$IR_STATE/cli/run
	mkdir -p "$rundir"
	[ -f "$scratch" ] || ir_cli_resolv_reset
	# shellcheck disable=SC2016
	ip netns exec "$IR_NS_CLI" unshare --mount --propagation private \
	    sh -c 'set -e
	    mount --bind "$2" /run
	    target=/etc/resolv.conf
	    if [ -L "$target" ]; then
		    target=$(readlink -f /etc/resolv.conf)
		    mkdir -p "$(dirname "$target")"
		    : >>"$target"
	    fi
	    mount --bind "$1" "$target"
	    [ -z "${IR_CLI_SBIN:-}" ] || mount --bind "$IR_CLI_SBIN" /usr/local/sbin
	    shift 2
	    exec "$@"' sh "$scratch" "$rundir" "$@"
}

# The scratch resolv.conf as it is before any client runs: a test asserts
# that the client put $IR_DNS in it and that it is back to this afterwards.
ir_cli_resolv_reset() {
	mkdir -p "$IR_STATE/cli"
	printf '# ikeroam interop scratch resolv.conf\nnameserver %s\n' \
	    "$IR_MID_CLI_ADDR" >"$IR_STATE/cli/resolv.conf"
}

# ir_ping NS ADDR TRIES: one echo at a time, 1 s deadline each.
ir_ping() {
	ir_wait "$3" 0.05 ip netns exec "$1" ping -n -q -c 1 -W 1 "$2" \
	    >/dev/null 2>&1
}

# ir_ping_start COUNT: COUNT pings of $IR_LAN_HOST from the client, one
# every 0.1 s, in the background ($PING_PID) while something happens (a
# background job ignores SIGINT: the count, not a signal, ends it).
# ir_ping_stop waits for them and sets PING_SENT and PING_LOST.
ir_ping_start() {
	ip netns exec "$IR_NS_CLI" ping -n -c "$1" -i 0.1 -W 1 "$IR_LAN_HOST" \
	    >"$IR_STATE/ping.out" 2>&1 &
	PING_PID=$!
}
ir_ping_stop() {
	local recv
	wait "$PING_PID" 2>/dev/null
	PING_PID=
	PING_SENT=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' \
	    "$IR_STATE/ping.out")
	recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$IR_STATE/ping.out")
	PING_SENT=${PING_SENT:-0}
	PING_LOST=$((PING_SENT - ${recv:-0}))
}

# ir_render TEMPLATE OUT: replace @NAME@ by the value of shell variable NAME.
# Only names made of [A-Z0-9_] are replaced; an unset one is an error.
ir_render() {
	local tmpl=$1 out=$2 line name val pre
	: >"$out"
	while IFS= read -r line || [ -n "$line" ]; do
		while [[ $line =~ @([A-Z][A-Z0-9_]*)@ ]]; do
			name=${BASH_REMATCH[1]}
			[ -n "${!name+x}" ] || ir_die "$tmpl: @$name@ is not set"
			val=${!name}
			pre=${line%%"@$name@"*}
			line=$pre$val${line#*"@$name@"}
		done
		printf '%s\n' "$line" >>"$out"
	done <"$tmpl"
}
