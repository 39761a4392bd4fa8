#!/bin/bash
# Exec agent of the gateway guest, on the virtio-serial port named
# "ikeroam.agent" (host side: a unix socket, see agent-client.py).
#
# Protocol, one line each way, commands run one at a time:
#   host  -> guest  "EXEC <id> <timeout-s> <base64 of a bash command>"
#   guest -> host   "DONE <id> <exit status> <base64 stdout|-> <base64 stderr|->"
# Output is capped at 1 MiB per stream. Exit status 124 = timed out.
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C

find_port() {
	local n

	for n in /sys/class/virtio-ports/*/name; do
		[ -f "$n" ] || continue
		if [ "$(cat "$n")" = ikeroam.agent ]; then
			n=${n%/name}
			printf '/dev/%s\n' "${n##*/}"
			return 0
		fi
	done
	return 1
}

enc() {
	if [ -s "$1" ]; then
		head -c 1048576 "$1" | base64 -w0
	else
		printf -- -
	fi
}

run_one() {
	local id=$1 tmo=$2 b64=$3 cmd rc

	cmd=$(printf '%s' "$b64" | base64 -d 2>/dev/null) || return 0
	case "$tmo" in '' | *[!0-9]*) tmo=60 ;; esac
	(cd /root && timeout -k 2 "$tmo" bash -c "$cmd") \
	    </dev/null >/tmp/agent.out 2>/tmp/agent.err
	rc=$?
	printf 'DONE %s %s %s %s\n' "$id" "$rc" "$(enc /tmp/agent.out)" \
	    "$(enc /tmp/agent.err)" >&3
}

port=$(find_port) || { echo "ikeroam-agent: no virtio port" >&2; exit 1; }
exec 3<>"$port"
while true; do
	# read fails at EOF while no host is connected: poll for one.
	if IFS=' ' read -r -u 3 tag id tmo b64; then
		[ "$tag" = EXEC ] && run_one "$id" "$tmo" "$b64"
	else
		sleep 0.2
	fi
done
