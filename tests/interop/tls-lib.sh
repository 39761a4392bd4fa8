# shellcheck shell=bash
# tests/interop/tls-lib.sh: a TLS-terminating front (stunnel4) for the
# RFC 9329 Appendix A cases, and its test PKI.  Sourced after lib.sh (it
# uses ir_spawn, ir_wait); never run.
#
#   tls_make_pki DIR IP NAME   DIR/ca.crt: the front's CA; DIR/front.crt
#                              and .key: the front, SAN IP:IP and DNS:NAME
#                              from that CA; DIR/wrong.crt and .key: the
#                              same names from another CA (DIR/other-ca.crt),
#                              as a middlebox that intercepts TLS shows.
#                              Test keys, made per run, valid for 2 days.
#   tls_front PIDNAME NS ACCEPT CONNECT CERT LOG
#                              stunnel4 in namespace NS: TLS accepted on
#                              ACCEPT (ADDR:PORT), ended there, the stream
#                              passed on to CONNECT; CERT is DIR/front or
#                              DIR/wrong.  Waits until ACCEPT listens.

tls_make_pki() {
	local dir=$1 ip=$2 dns=$3 ca name
	rm -rf "$dir"
	mkdir -p "$dir"
	chmod 0700 "$dir"
	for ca in ca other-ca; do
		openssl req -x509 -new -newkey ec \
		    -pkeyopt ec_paramgen_curve:P-256 -nodes \
		    -keyout "$dir/$ca.key" -out "$dir/$ca.crt" -days 2 \
		    -subj "/O=ikeroam interop/CN=ikeroam TLS front $ca" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign" 2>/dev/null ||
		    return 1
	done
	for name in front:ca wrong:other-ca; do
		ca=${name#*:}
		name=${name%%:*}
		printf 'subjectAltName = IP:%s, DNS:%s\nextendedKeyUsage = serverAuth\n' \
		    "$ip" "$dns" >"$dir/$name.ext"
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		    -nodes -keyout "$dir/$name.key" -subj "/CN=$dns" \
		    2>/dev/null |
		    openssl x509 -req -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" \
		    -set_serial "0x$(openssl rand -hex 8)" -days 2 \
		    -extfile "$dir/$name.ext" -out "$dir/$name.crt" \
		    2>/dev/null || return 1
	done
}

tls_front() {
	local pidname=$1 ns=$2 accept=$3 connect=$4 cert=$5 log=$6
	local conf=${log%.log}.conf
	cat >"$conf" <<-EOF
	foreground = yes
	pid =
	syslog = no
	debug = 4
	[ikev2-tls]
	accept = $accept
	connect = $connect
	cert = $cert.crt
	key = $cert.key
	EOF
	ir_spawn "$pidname" "$ns" "$IR_STATE/$pidname-run" "$log" \
	    stunnel4 "$conf"
	ir_wait 100 0.05 eval "ip netns exec $ns ss -ltn | grep -q '$accept '"
}
