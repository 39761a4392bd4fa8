#!/bin/bash
# tests/interop/strongswan/gateway.sh: a strongSwan IKEv2 gateway (charon
# with kernel-libipsec, driven by swanctl) in the ${P}-gw namespace of
# netns.sh, for the README's demo and the interop tests.
#
# Usage:
#   gateway.sh start      topology up (if needed), PKI, charon, connections
#   gateway.sh reload     re-render the configs from the environment and
#                         load them into the running charon (new proposals;
#                         strongswan.conf settings apply to new IKE SAs)
#   gateway.sh stop       stop every process the harness started, remove the
#                         namespaces (the state dir with logs is kept)
#   gateway.sh status     charon's pid and swanctl --stats
#   gateway.sh list-sas   swanctl --list-sas (empty output: no SA)
#   gateway.sh count-sas  number of IKE SAs the gateway holds
#   gateway.sh terminate  delete every IKE SA (DELETE sent to the client)
#   gateway.sh env        shell assignments: eval "$(gateway.sh env)"
#   gateway.sh swanctl ARGS...  any swanctl command against this gateway
#
# Environment (read by start and reload):
#   IKE_PROPOSALS    IKE proposals (default "default": all strongSwan has),
#                    e.g. aes128gcm16-prfsha256-x25519
#   ESP_PROPOSALS    ESP proposals (default: AES-GCM-128/256, ChaCha20-
#                    Poly1305 and AES-CBC+SHA-2, each with x25519, ecp256,
#                    modp2048, then modpnone: real groups first so that the
#                    gateway's own rekeys carry a KE)
#   GW_CERT          ecdsa (default), rsa (RSA-3072, IKE_AUTH gets
#                    fragmented) or wrong (a CA-signed cert for wrong.test)
#   LOCAL_TS         traffic selector of the protected side (default
#                    203.0.113.0/24; 0.0.0.0/0 for a full tunnel)
#   DPD_DELAY, IKE_REKEY_TIME, CHILD_REKEY_TIME  (default 30s, 4h, 1h)
#   IKE_REAUTH_TIME  the psk connection's reauth_time (default 0s: none;
#                    the gateway then sends AUTH_LIFETIME, RFC 4478)
#   MOBIKE           yes (default) or no: RFC 4555 on every connection
#   RETRANSMIT_TRIES, RETRANSMIT_TIMEOUT, RETRANSMIT_BASE  charon's
#                    retransmissions, also of DPD (default 5, 4.0, 1.8:
#                    gives up after 165 s; e.g. 4, 2.0, 1.0: after 10 s)
#   FRAGMENT_SIZE    IKE fragment size (default 1280)
#   TLS_VERSION_MAX  highest TLS version of EAP-TLS, 1.2 (default) or 1.3
#   EAP_TLS_FRAGMENT_SIZE  largest EAP-TLS fragment the gateway sends
#                    (default 1024, strongSwan's own)
#   HASH_AND_URL     yes: charon.hash_and_url (RFC 7296 §3.6 encoding 12 for
#                    certificates of an authority with cert_uri_base); no
#                    (default)
#   IR_GW_DEBUG      charon log level (default 1; "ike" and "cfg" get one
#                    more)
#   IR_PREFIX, IR_STATE, IR_EAP_USER (default alice)
set -eu -o pipefail
IR_TAG=gateway
# shellcheck source=tests/interop/lib.sh
. "$(dirname "$0")/../lib.sh"

GW=$IR_STATE/gw
VICI=$GW/charon.vici
CHARON=${IR_CHARON:-/usr/lib/ipsec/charon}
IR_EAP_USER=${IR_EAP_USER:-alice}
PSK_CLIENT_ID=client-psk@vpn.test
NETNS=$IR_HERE/netns.sh

gw_swanctl() {
	STRONGSWAN_CONF=$GW/strongswan.conf SWANCTL_DIR=$GW/swanctl \
	    timeout 30 swanctl "$@" --uri "unix://$VICI"
}

# Everything start and reload render, from the environment.
set_params() {
	IKE_PROPOSALS=${IKE_PROPOSALS:-default}
	ESP_PROPOSALS=${ESP_PROPOSALS:-aes128gcm16-aes256gcm16-chacha20poly1305-x25519-ecp256-modp2048-modpnone, aes128-aes256-sha256-sha384-sha512-x25519-ecp256-modp2048-modpnone}
	LOCAL_TS=${LOCAL_TS:-$IR_LAN_NET}
	DPD_DELAY=${DPD_DELAY:-30s}
	IKE_REKEY_TIME=${IKE_REKEY_TIME:-4h}
	CHILD_REKEY_TIME=${CHILD_REKEY_TIME:-1h}
	IKE_REAUTH_TIME=${IKE_REAUTH_TIME:-0s}
	FRAGMENT_SIZE=${FRAGMENT_SIZE:-1280}
	TLS_VERSION_MAX=${TLS_VERSION_MAX:-1.2}
	EAP_TLS_FRAGMENT_SIZE=${EAP_TLS_FRAGMENT_SIZE:-1024}
	HASH_AND_URL=${HASH_AND_URL:-no}
	MOBIKE=${MOBIKE:-yes}
	RETRANSMIT_TRIES=${RETRANSMIT_TRIES:-5}
	RETRANSMIT_TIMEOUT=${RETRANSMIT_TIMEOUT:-4.0}
	RETRANSMIT_BASE=${RETRANSMIT_BASE:-1.8}
	DEBUG=${IR_GW_DEBUG:-1}
	DEBUG_IKE=$((DEBUG + 1))
	LOG=$GW/charon.log
	GW_ID=$IR_GW_ID
	POOL=$IR_POOL
	DNS=$IR_DNS
	DNS_DOMAIN=$IR_DNS_DOMAIN
	EAP_USER=$IR_EAP_USER
	case ${GW_CERT:-ecdsa} in
	ecdsa|rsa) GW_CERT_ID=$IR_GW_ID ;;
	wrong) GW_CERT_ID=wrong.test ;;
	*) ir_die "GW_CERT must be ecdsa, rsa or wrong" ;;
	esac
	GW_KIND=${GW_CERT:-ecdsa}
	GW_CERT=gw-$GW_KIND.crt
	PSK=$(head -n 1 "$IR_STATE/secrets/psk")
	EAP_PASSWORD=$(head -n 1 "$IR_STATE/secrets/eap-password")
	[[ $PSK =~ ^[A-Za-z0-9._+/-]+$ ]] || ir_die "PSK: unusable characters"
	[[ $EAP_PASSWORD =~ ^[A-Za-z0-9._+/-]+$ ]] ||
	    ir_die "EAP password: unusable characters"
	local v
	case $MOBIKE in
	yes|no) ;;
	*) ir_die "MOBIKE must be yes or no" ;;
	esac
	[[ $EAP_TLS_FRAGMENT_SIZE =~ ^[0-9]{2,5}$ ]] ||
	    ir_die "EAP_TLS_FRAGMENT_SIZE must be a number"
	for v in "$RETRANSMIT_TRIES" "$RETRANSMIT_TIMEOUT" "$RETRANSMIT_BASE" \
	    "$DPD_DELAY"; do
		[[ $v =~ ^[0-9]+(\.[0-9]+)?[smh]?$ ]] || ir_die "bad value '$v'"
	done
	case $TLS_VERSION_MAX in
	1.2|1.3) ;;
	*) ir_die "TLS_VERSION_MAX must be 1.2 or 1.3" ;;
	esac
	case $HASH_AND_URL in
	yes|no) ;;
	*) ir_die "HASH_AND_URL must be yes or no" ;;
	esac
	for v in "$IKE_PROPOSALS" "$ESP_PROPOSALS" "$LOCAL_TS"; do
		[[ $v =~ ^[A-Za-z0-9.,/:\ _-]+$ ]] || ir_die "bad value '$v'"
	done
}

render() {
	local sw=$GW/swanctl d
	set_params
	mkdir -p "$GW/run"
	for d in x509 x509ca x509crl x509ocsp x509aa x509ac private pubkey \
	    rsa ecdsa bliss pkcs8 pkcs12; do
		mkdir -p "$sw/$d"
	done
	chmod 0700 "$GW" "$sw" "$sw/private"
	cp "$IR_STATE/pki/ca.crt" "$sw/x509ca/ca.crt"
	rm -f "$sw"/x509/gw-*.crt "$sw"/private/gw-*.key
	cp "$IR_STATE/pki/$GW_CERT" "$sw/x509/"
	install -m 0600 "$IR_STATE/pki/gw-$GW_KIND.key" "$sw/private/"
	ir_render "$IR_HERE/strongswan/gateway-strongswan.conf.in" \
	    "$GW/strongswan.conf"
	(umask 077 && ir_render "$IR_HERE/strongswan/gateway-swanctl.conf.in" \
	    "$sw/swanctl.conf")
	mkdir -p "$sw/conf.d"
	rm -f "$sw"/conf.d/*.conf
	for d in "$IR_HERE"/strongswan/gateway-swanctl-*.conf.in; do
		[ -e "$d" ] || continue
		d=${d##*/gateway-swanctl-}
		(umask 077 && ir_render \
		    "$IR_HERE/strongswan/gateway-swanctl-$d" \
		    "$sw/conf.d/${d%.in}")
	done
	{
		printf 'IR_GW_CERT_KIND=%s\n' "$GW_KIND"
		printf 'IR_IKE_PROPOSALS=%q\n' "$IKE_PROPOSALS"
		printf 'IR_ESP_PROPOSALS=%q\n' "$ESP_PROPOSALS"
		printf 'IR_LOCAL_TS=%s\n' "$LOCAL_TS"
		printf 'IR_MOBIKE=%s\n' "$MOBIKE"
		printf 'IR_DPD_DELAY=%s\n' "$DPD_DELAY"
	} >"$GW/params"
}

load() {
	gw_swanctl --load-all --noprompt --file "$GW/swanctl/swanctl.conf" \
	    >"$GW/load.out" 2>&1 || {
		cat "$GW/load.out" >&2
		ir_die "swanctl --load-all failed"
	}
}

start() {
	local made_ns=0 t0
	t0=$(ir_now_ms)
	ir_need_cmds swanctl openssl "$CHARON"
	if pid=$(ir_pidfile_pid gw-charon) && ir_pid_alive "$pid"; then
		ir_die "gateway already running (pid $pid); stop it first"
	fi
	if ! ir_ns_exists "$IR_NS_GW"; then
		"$NETNS" up
		made_ns=1
	fi
	trap 'ir_log "start failed"; ir_stop gw-charon;
	    [ $made_ns = 0 ] || "$NETNS" down' EXIT
	"$IR_HERE/pki.sh"
	render
	rm -f "$VICI"
	: >"$GW/charon.log"
	ir_spawn gw-charon "$IR_NS_GW" "$GW/run" "$GW/charon.out" \
	    env STRONGSWAN_CONF="$GW/strongswan.conf" "$CHARON"
	ir_wait 200 0.02 test -S "$VICI" ||
	    ir_die "no vici socket after 4 s (see $GW/charon.log)"
	ir_wait 50 0.02 gw_swanctl --stats >/dev/null 2>&1 ||
	    ir_die "charon does not answer on $VICI"
	load
	trap - EXIT
	ir_log "gateway up in $IR_NS_GW ($IR_GW_ADDR), cert $GW_KIND," \
	    "$(($(ir_now_ms) - t0)) ms; log $GW/charon.log"
}

count_sas() {
	# One "NAME: #N, STATE, IKEv2, ..." line per IKE SA.
	gw_swanctl --list-sas | grep -c -E '^[A-Za-z0-9_-]+: #[0-9]+,' || true
}

terminate() {
	local id
	for id in $(gw_swanctl --list-sas |
	    sed -n -E 's/^[A-Za-z0-9_-]+: #([0-9]+),.*/\1/p'); do
		gw_swanctl --terminate --ike-id "$id" --timeout 5 >/dev/null \
		    2>&1 || ir_log "terminate of IKE SA #$id did not finish"
	done
}

print_env() {
	local s=$IR_STATE/secrets
	"$NETNS" env
	cat <<-EOF
	IR_GW_ID=$IR_GW_ID
	IR_GW_WRONG_ID=wrong.test
	IR_CA=$s/ca.crt
	IR_PSK_FILE=$s/psk
	IR_PSK_ID=$PSK_CLIENT_ID
	IR_EAP_USER=$IR_EAP_USER
	IR_EAP_PASSWORD_FILE=$s/eap-password
	IR_CLIENT_ID=client@vpn.test
	IR_CLIENT_CERT=$s/client.crt
	IR_CLIENT_KEY=$s/client.key
	IR_CLIENT_RSA_ID=client-rsa@vpn.test
	IR_CLIENT_RSA_CERT=$s/client-rsa.crt
	IR_CLIENT_RSA_KEY=$s/client-rsa.key
	IR_GW_LOG=$GW/charon.log
	IR_GW_VICI=$VICI
	IR_GATEWAY_SH=$IR_HERE/strongswan/gateway.sh
	EOF
	[ -f "$GW/params" ] && cat "$GW/params"
	return 0
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
env) print_env; exit 0 ;;
esac
ir_need_root
case $cmd in
start) start ;;
reload)
	render
	gw_swanctl --reload-settings >/dev/null ||
	    ir_die "swanctl --reload-settings failed"
	load
	ir_log "reloaded: IKE '$IKE_PROPOSALS' ESP '$ESP_PROPOSALS'"
	;;
stop)
	ir_stop gw-charon
	"$NETNS" down "$@"
	;;
status)
	pid=$(ir_pidfile_pid gw-charon) && ir_pid_alive "$pid" ||
	    { echo "gateway: not running"; exit 1; }
	echo "gateway: charon pid $pid in $IR_NS_GW"
	gw_swanctl --stats
	;;
list-sas) gw_swanctl --list-sas ;;
count-sas) count_sas ;;
terminate) terminate ;;
swanctl) gw_swanctl "$@" ;;
*)
	sed -n '5,17p' "$0" >&2
	exit 2
	;;
esac
