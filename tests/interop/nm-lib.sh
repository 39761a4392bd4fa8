# shellcheck shell=bash
# tests/interop/nm-lib.sh: a real NetworkManager (and its own system
# D-Bus) inside an existing network namespace, isolated from the host
# (tests/interop/README.md "NetworkManager" explains how).  Sourced
# after lib.sh; needs root.
#
#   nm_start NS DIR NAMEFILE POLICY [VAR=VALUE...]
#	a holder process in NS owns a private mount and UTS namespace:
#	/run and /etc/NetworkManager, /var/lib/NetworkManager, NM's conf.d
#	and VPN directories are private directories under DIR, /etc is an
#	overlay whose writes (resolv.conf) land in DIR/etc-upper, /var/lib
#	one whose writes land in DIR/var-upper, with an empty
#	/var/lib/ikeroam (DIR/ikeroam-lib: ikeroam's network memory and
#	revocation cache, never the host's), /sys is read-only (no udev here: NM then
#	starts at once).  NM manages the interfaces in $NM_MANAGED
#	(default "eth0") and tun*.  dbus-daemon with
#	the system policy plus POLICY (the plugin's), then NetworkManager
#	with NAMEFILE as its only VPN plugin and VAR=VALUE in its
#	environment.  Waits (bounded by NM_START_TIMEOUT, default 90 s;
#	event-based: a FIFO, dbus-daemon --print-address, nm-online -s)
#	until NM is running and started.
#   nm_cli ARGS...		nmcli in those namespaces
#   nm_in CMD...		any command in those namespaces
#   nm_settle CMD...		CMD holds within NM_SETTLE_TIMEOUT s (30)
#   nm_stop			NetworkManager, dbus, the holder: by pid
#   NM_LOG			NetworkManager's log (stderr, --debug)
#   NM_RESOLV			the resolv.conf NetworkManager writes
#
# Every wait is bounded; only the pids started here are signalled.

NM_DIR=
NM_START_TIMEOUT=${NM_START_TIMEOUT:-90}
NM_SETTLE_TIMEOUT=${NM_SETTLE_TIMEOUT:-30}
NM_READY_FD=
NM_HOLDER=
NM_DBUS=
NM_PID=
NM_LOG=
NM_RESOLV=

nm_in() {
	nsenter -t "$NM_HOLDER" -m -n -u "$@"
}

nm_cli() {
	nm_in nmcli "$@"
}

nm_running() {
	[ "$(nm_cli -t -f RUNNING,STARTUP general 2>/dev/null)" = \
	    "running:started" ]
}

nm_start() {
	local ns=$1 dir=$2 namefile=$3 policy=$4 d
	shift 4
	NM_DIR=$dir
	NM_LOG=$dir/NetworkManager.log
	NM_RESOLV=$dir/etc-upper/resolv.conf
	local m except='except:interface-name:tun*'
	for m in ${NM_MANAGED:-eth0}; do
		except="$except;except:interface-name:$m"
	done
	for d in run run/dbus etc-upper etc-work var-upper var-work ikeroam-lib nm-etc nm-etc/system-connections \
	    nm-lib nm-confd nm-vpn dbus.d conf.d sysconf.d; do
		mkdir -p "$dir/$d"
	done
	chmod 0700 "$dir/nm-etc/system-connections" "$dir/ikeroam-lib"
	cp "$namefile" "$dir/nm-vpn/"
	rm -f "$dir/ready"
	mkfifo -m 0600 "$dir/ready"
	# Held open for reading and writing: neither end blocks on open.
	exec {NM_READY_FD}<>"$dir/ready"
	cp "$policy" "$dir/dbus.d/"
	# Debian's system bus policy, on our own socket, plus the plugin's.
	sed -e 's|<listen>.*</listen>|<listen>unix:path=/run/dbus/system_bus_socket</listen>|' \
	    -e '/<user>/d' -e '/<pidfile>/d' -e '/<servicehelper>/d' -e '/<standard_system_servicedirs/d' \
	    -e 's|<includedir>system.d</includedir>|<includedir>/usr/share/dbus-1/system.d</includedir><includedir>'"$dir"'/dbus.d</includedir>|' \
	    /usr/share/dbus-1/system.conf >"$dir/dbus.conf"
	cat >"$dir/NetworkManager.conf" <<-EOT
	[main]
	plugins=keyfile
	no-auto-default=*
	auth-polkit=false
	dns=default
	rc-manager=file
	[keyfile]
	unmanaged-devices=$except
	[connectivity]
	enabled=false
	[logging]
	level=INFO
	domains=ALL,VPN_PLUGIN:DEBUG,VPN:DEBUG
	EOT
	# shellcheck disable=SC2016 # expanded by the holder's shell
	ip netns exec "$ns" unshare --mount --uts --propagation private sh -ec '
	    d=$1
	    mount --bind "$d/run" /run
	    mount -t overlay overlay \
		-o "lowerdir=/etc,upperdir=$d/etc-upper,workdir=$d/etc-work" /etc
	    mount -t overlay overlay \
		-o "lowerdir=/var/lib,upperdir=$d/var-upper,workdir=$d/var-work" /var/lib
	    mkdir -p /var/lib/ikeroam
	    mount --bind "$d/ikeroam-lib" /var/lib/ikeroam
	    mount --bind "$d/nm-etc" /etc/NetworkManager
	    mount --bind "$d/nm-lib" /var/lib/NetworkManager
	    mount --bind "$d/nm-confd" /usr/lib/NetworkManager/conf.d
	    mount --bind "$d/nm-vpn" /usr/lib/NetworkManager/VPN
	    mount -o remount,bind,ro /sys
	    hostname nm-client
	    echo holder >"$d/ready"
	    exec sleep infinity' sh "$dir" >"$dir/holder.log" 2>&1 &
	NM_HOLDER=$!
	echo "$NM_HOLDER" >"$dir/holder.pid"
	# Start-up waits on events, not on polls against a deadline (a
	# loaded CI machine made the polls time out): the holder writes a
	# line to the FIFO once its mounts are made, dbus-daemon its address
	# once it listens (--print-address), and nm-online -s returns when
	# NetworkManager's start-up is complete.  Each wait is bounded
	# (NM_START_TIMEOUT s) and ends early when the process died.
	local rv=0
	nm_await "$NM_HOLDER" holder || { cat "$dir/holder.log" >&2; rv=1; }
	# nsenter execs (no pid namespace): $! is the daemon itself.
	[ $rv = 0 ] && {
		nsenter -t "$NM_HOLDER" -m -n -u dbus-daemon \
		    --config-file="$dir/dbus.conf" --nofork --nopidfile \
		    --nosyslog --print-address=4 4>"$dir/ready" \
		    >"$dir/dbus.log" 2>&1 &
		NM_DBUS=$!
		nm_await "$NM_DBUS" dbus-daemon ||
		    { cat "$dir/dbus.log" >&2; rv=1; }
	}
	[ $rv = 0 ] && {
		nsenter -t "$NM_HOLDER" -m -n -u env "$@" NetworkManager \
		    --debug --config="$dir/NetworkManager.conf" \
		    --config-dir="$dir/conf.d" \
		    --system-config-dir="$dir/sysconf.d" \
		    --intern-config="$dir/intern.conf" \
		    --state-file="$dir/NetworkManager.state" \
		    --pid-file="$dir/nm.pid" >"$NM_LOG" 2>&1 &
		NM_PID=$!
		# nm-online waits for NetworkManager to appear on the bus.
		if ! nm_in timeout $((NM_START_TIMEOUT + 10)) nm-online -s -q \
		    -t "$NM_START_TIMEOUT" || ! ir_wait 20 0.1 nm_running; then
			kill -0 "$NM_PID" 2>/dev/null ||
			    echo "nm: NetworkManager exited" >&2
			echo "nm: NetworkManager not started within" \
			    "${NM_START_TIMEOUT} s" >&2
			tail -20 "$NM_LOG" >&2
			rv=1
		fi
	}
	exec {NM_READY_FD}<&-
	return $rv
}

# nm_await PID WHAT: one line from the ready FIFO, within NM_START_TIMEOUT
# seconds; fails at once when PID is gone.
nm_await() {
	local pid=$1 what=$2 i
	for ((i = 0; i < NM_START_TIMEOUT; i++)); do
		if read -r -t 1 _ <&"$NM_READY_FD"; then
			return 0
		fi
		kill -0 "$pid" 2>/dev/null ||
		    { echo "nm: $what exited" >&2; return 1; }
	done
	echo "nm: $what not ready within ${NM_START_TIMEOUT} s" >&2
	return 1
}

# nm_settle CMD...: CMD succeeds within NM_SETTLE_TIMEOUT seconds
# (default 30; a deadline, not a count of tries, so that slow tries under
# load do not stretch it), polled every 0.1 s.  For what settles after an
# event the tests cannot wait on (processes of NetworkManager's children
# exiting, the TUN going, the gateway's SAs): it returns as soon as CMD
# holds, so the bound is never a figure.
nm_settle() {
	local end=$((SECONDS + NM_SETTLE_TIMEOUT))
	while :; do
		"$@" && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# nm_stop_pid PID: TERM, up to 5 s, then KILL.
nm_stop_pid() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null
	ir_wait 100 0.05 eval "! kill -0 $1 2>/dev/null" && return 0
	kill -KILL "$1" 2>/dev/null
	ir_wait 40 0.05 eval "! kill -0 $1 2>/dev/null"
}

nm_stop() {
	nm_stop_pid "$NM_PID"
	nm_stop_pid "$NM_DBUS"
	nm_stop_pid "$NM_HOLDER"
	wait "$NM_PID" "$NM_DBUS" "$NM_HOLDER" 2>/dev/null
	NM_PID= NM_DBUS= NM_HOLDER=
}
