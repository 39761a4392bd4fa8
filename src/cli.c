/* src/cli.c: `ikeroam connect ...` option parsing and validation. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/cli.h"
#include "src/killswitch.h"
#include "src/revocation.h"

#define DEFAULT_FALLBACK_MS	2500
#define DEFAULT_GIVEUP_MS	30000
#define DEFAULT_RECONNECT_MS	300000
#define DEFAULT_UDP_PROBE_MS	120000
#define DEFAULT_DPD_MS		30000	/* RFC 7296 §2.4 leaves it to us */
#define DEFAULT_KEEPALIVE_MS	20000	/* RFC 3948 §4 suggests 20 s */

enum {
	OPT_PORT = 256, OPT_NATT_PORT, OPT_TCP_PORT, OPT_TRANSPORT,
	OPT_FALLBACK, OPT_REMOTE_ID, OPT_PSK_FILE, OPT_CERT, OPT_KEY,
	OPT_KEY_PASS, OPT_EAP_USER, OPT_PASSWORD_FILE, OPT_CA, OPT_SCRIPT,
	OPT_INTERFACE, OPT_IKE, OPT_ESP, OPT_MTU, OPT_GIVEUP, OPT_NETWORK_ID,
	OPT_STATE_FILE, OPT_CAPTIVE_URL, OPT_CAPTIVE_EXPECT, OPT_SEND_REMOTE_ID, OPT_RACE, OPT_STATUS_FILE, OPT_RECONNECT, OPT_UDP_PROBE,
	OPT_PATH_SILENCE, OPT_PATH_CHECK, OPT_NO_MOBIKE, OPT_NO_REDIRECT, OPT_DPD, OPT_KEEPALIVE,
	OPT_KILL_SWITCH, OPT_KILL_SWITCH_LAN,
	OPT_FILE_OWNER,
	OPT_TLS_PORT, OPT_TLS_CA, OPT_NO_PRIVSEP, OPT_CERT_CHAIN,
	OPT_REVOCATION, OPT_REVOCATION_CACHE,
	OPT_PROFILE_FD, OPT_SECRETS_FD, OPT_JSON_LOG,
	OPT_EAP, OPT_EAP_ONLY,
	OPT_CONTROL_SOCKET, OPT_NETCFG, OPT_BACKGROUND, OPT_REAUTH, OPT_TS,
	OPT_CHILDLESS, OPT_SCRIPT_ROUTES,
};

static const struct option long_opts[] = {
	{ "gateway",		required_argument, NULL, 'g' },
	{ "port",		required_argument, NULL, OPT_PORT },
	{ "natt-port",		required_argument, NULL, OPT_NATT_PORT },
	{ "tcp-port",		required_argument, NULL, OPT_TCP_PORT },
	{ "transport",		required_argument, NULL, OPT_TRANSPORT },
	{ "tls-port",		required_argument, NULL, OPT_TLS_PORT },
	{ "tls-ca",		required_argument, NULL, OPT_TLS_CA },
	{ "fallback-timeout",	required_argument, NULL, OPT_FALLBACK },
	{ "race",		required_argument, NULL, OPT_RACE },
	{ "status-file",	required_argument, NULL, OPT_STATUS_FILE },
	{ "reconnect-timeout",	required_argument, NULL, OPT_RECONNECT },
	{ "udp-probe",		required_argument, NULL, OPT_UDP_PROBE },
	{ "path-silence",	required_argument, NULL, OPT_PATH_SILENCE },
	{ "path-check",		required_argument, NULL, OPT_PATH_CHECK },
	{ "dpd",		required_argument, NULL, OPT_DPD },
	{ "keepalive",		required_argument, NULL, OPT_KEEPALIVE },
	{ "reauth",		required_argument, NULL, OPT_REAUTH },
	{ "ts",			required_argument, NULL, OPT_TS },
	{ "no-mobike",		no_argument,	   NULL, OPT_NO_MOBIKE },
	{ "no-redirect",	no_argument,	   NULL, OPT_NO_REDIRECT },
	{ "childless",		required_argument, NULL, OPT_CHILDLESS },
	{ "id",			required_argument, NULL, 'i' },
	{ "remote-id",		required_argument, NULL, OPT_REMOTE_ID },
	{ "send-remote-id",	no_argument,	   NULL, OPT_SEND_REMOTE_ID },
	{ "psk-file",		required_argument, NULL, OPT_PSK_FILE },
	{ "cert",		required_argument, NULL, OPT_CERT },
	{ "key",		required_argument, NULL, OPT_KEY },
	{ "cert-chain",		required_argument, NULL, OPT_CERT_CHAIN },
	{ "revocation",		required_argument, NULL, OPT_REVOCATION },
	{ "revocation-cache",	required_argument, NULL, OPT_REVOCATION_CACHE },
	{ "key-passphrase-file", required_argument, NULL, OPT_KEY_PASS },
	{ "eap-user",		required_argument, NULL, OPT_EAP_USER },
	{ "eap",		required_argument, NULL, OPT_EAP },
	{ "eap-only",		no_argument,	   NULL, OPT_EAP_ONLY },
	{ "password-file",	required_argument, NULL, OPT_PASSWORD_FILE },
	{ "ca",			required_argument, NULL, OPT_CA },
	{ "script",		required_argument, NULL, OPT_SCRIPT },
	{ "script-routes",	required_argument, NULL, OPT_SCRIPT_ROUTES },
	{ "interface",		required_argument, NULL, OPT_INTERFACE },
	{ "ike",		required_argument, NULL, OPT_IKE },
	{ "esp",		required_argument, NULL, OPT_ESP },
	{ "mtu",		required_argument, NULL, OPT_MTU },
	{ "giveup-timeout",	required_argument, NULL, OPT_GIVEUP },
	{ "network-id",		required_argument, NULL, OPT_NETWORK_ID },
	{ "state-file",		required_argument, NULL, OPT_STATE_FILE },
	{ "captive-url",	required_argument, NULL, OPT_CAPTIVE_URL },
	{ "captive-expect",	required_argument, NULL, OPT_CAPTIVE_EXPECT },
	{ "kill-switch",	no_argument,	   NULL, OPT_KILL_SWITCH },
	{ "kill-switch-allow-lan", no_argument,	   NULL, OPT_KILL_SWITCH_LAN },
	{ "file-owner",		required_argument, NULL, OPT_FILE_OWNER },
	{ "no-privsep",		no_argument,	   NULL, OPT_NO_PRIVSEP },
	{ "profile-fd",		required_argument, NULL, OPT_PROFILE_FD },
	{ "secrets-fd",		required_argument, NULL, OPT_SECRETS_FD },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "json-log",		no_argument,	   NULL, OPT_JSON_LOG },
	{ "control-socket",	required_argument, NULL, OPT_CONTROL_SOCKET },
	{ "netcfg",		required_argument, NULL, OPT_NETCFG },
	{ "background",		no_argument,	   NULL, OPT_BACKGROUND },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

const struct option *
cli_options(void)
{
	return long_opts;
}

unsigned
cli_option_kind(const struct option *opt)
{
	unsigned kind = opt->has_arg == no_argument ? CLI_OPT_FLAG : 0;

	switch (opt->val) {
	case OPT_PORT: case OPT_NATT_PORT: case OPT_TCP_PORT:
	case OPT_TLS_PORT: case OPT_FALLBACK: case OPT_RACE:
	case OPT_RECONNECT: case OPT_UDP_PROBE: case OPT_PATH_SILENCE:
	case OPT_PATH_CHECK: case OPT_MTU: case OPT_GIVEUP:
	case OPT_DPD: case OPT_KEEPALIVE: case OPT_REAUTH:
		return kind | CLI_OPT_NUMBER;
	case OPT_CA:
		return kind | CLI_OPT_PATH | CLI_OPT_REPEAT;
	case OPT_TLS_CA: case OPT_CERT: case OPT_CERT_CHAIN: case OPT_SCRIPT:
	case OPT_STATUS_FILE: case OPT_STATE_FILE: case OPT_CONTROL_SOCKET:
		return kind | CLI_OPT_PATH;
	case OPT_PSK_FILE: case OPT_KEY: case OPT_KEY_PASS:
	case OPT_PASSWORD_FILE:
		return kind | CLI_OPT_PATH | CLI_OPT_SECRET;
	case 'v':
		return kind | CLI_OPT_REPEAT;
	case 'h': case 'V': case OPT_PROFILE_FD: case OPT_SECRETS_FD:
	case OPT_BACKGROUND:
		return kind | CLI_OPT_ARGV_ONLY;
	default:
		return kind;
	}
}

void
cli_usage(FILE *f)
{
	fputs(
"usage: ikeroam connect --gateway HOST --id ID AUTH [options]\n"
"       ikeroam connect NAME|PATH [options]   (a profile: man 5 ikeroam.json)\n"
"       ikeroam list | show NAME [--json] | check NAME\n"
"       ikeroam kill-switch off | status\n"
"       ikeroam status [NAME] [--json] | disconnect [NAME] | reconnect NAME\n"
"       ikeroam import FILE|https://URL [options] (see ikeroam import --help)\n"
"       ikeroam --version | --help\n"
"\n"
"AUTH is one of:\n"
"  --psk-file FILE              pre-shared key (file mode 0600; '-' = stdin)\n"
"  --cert FILE --key FILE       certificate authentication (RSA, ECDSA, Ed25519)\n"
"      [--key-passphrase-file FILE] [--cert-chain FILE]\n"
"  --eap-user NAME [--password-file FILE]\n"
"                               EAP-MSCHAPv2; asks on the terminal without a file\n"
"  --eap gtc --eap-user NAME [--password-file FILE]\n"
"                               EAP-GTC: shows the gateway's prompt, answers with\n"
"                               the file's text or what is typed on the terminal\n"
"  --eap tls --cert FILE --key FILE\n"
"                               EAP-TLS (TLS 1.2 or 1.3) with the certificate\n"
"      --eap mschapv2|gtc|tls   the EAP method [mschapv2 with --eap-user]\n"
"      --eap-only               accept a gateway without a certificate signature,\n"
"                               proven by EAP-TLS or EAP-MSCHAPv2 (RFC 5998)\n"
"\n"
"options:\n"
"  -g, --gateway HOST           the VPN gateway (name or address)\n"
"  -i, --id ID                  our identity: user@domain, @fqdn, an address, or a DN\n"
"      --remote-id ID           the identity the gateway must prove\n"
"                               [with certificates: HOST]\n"
"      --send-remote-id         also send it (IDr), for gateways with several\n"
"      --ca FILE                CA certificate(s) that verify the gateway (repeatable)\n"
"                               [the system's trust store, with HOST as identity]\n"
"      --revocation strict|ifuri|off\n"
"                               check the gateway's certificate with OCSP/CRL;\n"
"                               ifuri refuses only a revoked one [ifuri]\n"
"      --revocation-cache DIR   [/var/lib/ikeroam/revocation]\n"
"      --port N                 UDP port for IKE_SA_INIT [500]\n"
"      --natt-port N            UDP port after NAT detection [4500]\n"
"      --transport auto|udp|tcp|tls\n"
"                               auto: UDP, then TCP (RFC 9329) if UDP is\n"
"                               blocked, then TLS if TCP is blocked too [auto]\n"
"      --tcp-port N             TCP port of the gateway [4500]\n"
"      --tls-port N             TLS port of the gateway's front [443]\n"
"      --tls-ca FILE            CA that verifies the TLS front's certificate\n"
"                               [the system's CA store]\n"
"      --udp-probe MS           on TCP, try UDP this often and move back to it\n"
"                               when it gets through; 0 never [120000]\n"
"      --fallback-timeout MS    silence before trying the next transport [2500]\n"
"      --race MS                start TCP this long after UDP anyway; the first\n"
"                               to answer wins [off]\n"
"      --giveup-timeout MS      give up when the gateway never answers [30000]\n"
"      --reconnect-timeout MS   keep the tunnel and reconnect this long after\n"
"                               the gateway is lost; 0 exits at once [300000]\n"
"      --path-silence MS        ESP sent but nothing received this long: check\n"
"                               the path to the gateway at once [4000]\n"
"      --path-check MS          how long such a check, or a move to a new\n"
"                               network, may take before a new session [3000]\n"
"      --dpd MS                 check the gateway is alive after this long\n"
"                               without a message from it; 0 never [30000]\n"
"      --keepalive MS           NAT keepalive interval behind a NAT; 0 never\n"
"                               [20000]\n"
"      --ts NET[,NET...]        ask for these remote networks (traffic\n"
"                               selectors, e.g. 10.1.0.0/16,2001:db8::/48);\n"
"                               the gateway may narrow them [everything]\n"
"      --reauth SECONDS         reauthenticate this often, a new IKE SA built\n"
"                               before the old one goes; 0 only when the\n"
"                               gateway asks (AUTH_LIFETIME) [0]\n"
"      --no-mobike              do not offer MOBIKE (RFC 4555); a network change\n"
"                               then re-announces us from the new address\n"
"      --no-redirect            do not follow gateway redirects (RFC 5685)\n"
"      --childless auto|never|force\n"
"                               childless IKE SA (RFC 6023), the Child SA made\n"
"                               after IKE_AUTH; auto: when the gateway offers\n"
"                               it and --esp names a DH group [never]\n"
"      --network-id ID          name of this network (e.g. the SSID) for\n"
"                               remembering that it blocks UDP\n"
"      --state-file FILE        where such networks are remembered\n"
"                               [/var/lib/ikeroam/networks.json]\n"
"      --captive-url URL|none   connectivity check when nothing gets through\n"
"                               [NetworkManager's check URL]\n"
"      --captive-expect TEXT    the check's body when online [204 for a custom URL]\n"
"      --ike PROPOSAL           e.g. aes256gcm16-prfsha384-x25519 (strongSwan syntax)\n"
"      --esp PROPOSAL           e.g. aes128gcm16 or aes128-sha256\n"
"      --script PATH|none       vpnc-script to configure the network [vpnc-script]\n"
"      --script-routes early|script  addresses and routes over netlink before\n"
"                               the script, or by the script alone [early for\n"
"                               the stock vpnc-script, else script]\n"
"      --interface NAME         use or create this TUN device\n"
"      --mtu N                  TUN MTU [from the path MTU]\n"
"      --status-file FILE       keep the state there as JSON (for scripts)\n"
"      --control-socket PATH    the control socket (man ikeroam, CONTROL SOCKET)\n"
"                               [/run/ikeroam/NAME.sock for a profile NAME]\n"
"      --netcfg auto|external   external: create the TUN only; another program\n"
"                               (NetworkManager) applies the addresses, routes\n"
"                               and DNS of the \"config\" events [auto]\n"
"      --background             return once the tunnel is up (0) or has failed\n"
"                               (its exit status); the tunnel runs on detached\n"
"      --kill-switch            block all traffic outside the tunnel, also\n"
"                               after a crash, until a clean disconnect or\n"
"                               'ikeroam kill-switch off' [TUN ikeroam0]\n"
"      --kill-switch-allow-lan  ... but let private and link-local networks\n"
"                               through\n"
"      --file-owner USER        files of this user are accepted too (root's and\n"
"                               the caller's always are); NetworkManager sets it\n"
"                               to the connection's user\n"
"      --no-privsep             one process, as root with CAP_NET_ADMIN only,\n"
"                               instead of an unprivileged network part (debug)\n"
"      --profile-fd N           read the profile from inherited descriptor N\n"
"      --secrets-fd N           read {\"psk\": ..., \"password\": ...,\n"
"                               \"key-passphrase\": ..., \"pin\": ...} from N\n"
"  -v, --verbose                more detail (repeat for protocol traces)\n"
"  -q, --quiet                  errors only\n"
"      --json-log               log lines as JSON objects, one a line (scripts)\n"
"\n"
"Secrets are read from files that only their owner may read, from stdin,\n"
"or from the terminal; never from the command line.\n", f);
}

/* The line echoes what the user typed: ir_err_line() keeps it one
 * printable line. */
#define fail(err, err_len, ...) \
	ir_err_line((err), (err_len), IR_ERR_CONFIG, __VA_ARGS__)

static int
parse_number(const char *opt, const char *arg, uint32_t min, uint32_t max,
    uint32_t *out, char *err, size_t err_len)
{
	if (ir_parse_u32(arg, min, max, out) != 0)
		return fail(err, err_len, "%s: '%s' is not a number from %u "
		    "to %u", opt, arg, min, max);
	return 0;
}

static int
parse_port(const char *opt, const char *arg, uint16_t *port, char *err,
    size_t err_len)
{
	uint32_t v;
	int rv;

	if ((rv = parse_number(opt, arg, 1, 65535, &v, err, err_len)) != 0)
		return rv;
	*port = (uint16_t)v;
	return 0;
}

static int
parse_eap(const char *arg, int *out, char *err, size_t err_len)
{
	if (strcmp(arg, "mschapv2") == 0)
		*out = CLI_EAP_MSCHAPV2;
	else if (strcmp(arg, "gtc") == 0)
		*out = CLI_EAP_GTC;
	else if (strcmp(arg, "tls") == 0)
		*out = CLI_EAP_TLS;
	else
		return fail(err, err_len, "--eap: '%s' is not one of mschapv2, "
		    "gtc, tls", arg);
	return 0;
}

static int
parse_childless(const char *arg, int *out, char *err, size_t err_len)
{
	if (strcmp(arg, "auto") == 0)
		*out = CLI_CHILDLESS_AUTO;
	else if (strcmp(arg, "never") == 0)
		*out = CLI_CHILDLESS_NEVER;
	else if (strcmp(arg, "force") == 0)
		*out = CLI_CHILDLESS_FORCE;
	else
		return fail(err, err_len, "--childless: '%s' is not one of "
		    "auto, never, force", arg);
	return 0;
}

static int
parse_transport(const char *arg, int *out, char *err, size_t err_len)
{
	if (strcmp(arg, "auto") == 0)
		*out = CLI_XPORT_AUTO;
	else if (strcmp(arg, "udp") == 0)
		*out = CLI_XPORT_UDP;
	else if (strcmp(arg, "tcp") == 0)
		*out = CLI_XPORT_TCP;
	else if (strcmp(arg, "tls") == 0)
		*out = CLI_XPORT_TLS;
	else
		return fail(err, err_len, "--transport: '%s' is not one of "
		    "auto, udp, tcp, tls", arg);
	return 0;
}

const char *
cli_transport_name(int transport)
{
	switch (transport) {
	case CLI_XPORT_UDP: return "udp";
	case CLI_XPORT_TCP: return "tcp";
	case CLI_XPORT_TLS: return "tls";
	default: return "auto";
	}
}

/* One option; 0 or IR_ERR_CONFIG with |err| filled. */
/* One NET of --ts: ADDRESS/PREFIX, IPv4 or IPv6, host bits zero. */
static int
parse_net(const char *text, struct cli_net *n, char *err, size_t err_len)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	uint32_t prefix, bits, i;

	memset(n, 0, sizeof(*n));
	if (strlen(text) >= sizeof(buf) || (slash = strchr(strcpy(buf, text),
	    '/')) == NULL)
		goto bad;
	*slash = '\0';
	if (inet_pton(AF_INET, buf, n->addr) == 1)
		n->family = 4;
	else if (inet_pton(AF_INET6, buf, n->addr) == 1)
		n->family = 6;
	else
		goto bad;
	bits = n->family == 4 ? 32 : 128;
	if (ir_parse_u32(slash + 1, 0, bits, &prefix) != 0)
		goto bad;
	n->prefix = (uint8_t)prefix;
	for (i = prefix; i < bits; i++)
		if (n->addr[i / 8] & (0x80u >> (i % 8))) {
			return fail(err, err_len, "--ts %s: the address has "
			    "bits set past /%u; give the network (e.g. its "
			    "first address)", text, prefix);
		}
	return 0;
bad:
	return fail(err, err_len, "--ts: '%s' is not ADDRESS/PREFIX (e.g. "
	    "10.1.0.0/16 or 2001:db8::/48)", text);
}

/* --ts NET[,NET...]: replaces what an earlier --ts (or the profile) set. */
static int
parse_ts(const char *arg, struct cli_opts *o, char *err, size_t err_len)
{
	char one[INET6_ADDRSTRLEN + 8];
	const char *p = arg, *end;
	size_t len;
	int rv;

	o->n_ts = 0;
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (o->n_ts >= CLI_MAX_TS) {
			snprintf(err, err_len, "--ts: at most %d networks",
			    CLI_MAX_TS);
			return IR_ERR_CONFIG;
		}
		if (len >= sizeof(one))
			len = sizeof(one) - 1;	/* refused as too long */
		memcpy(one, p, len);
		one[len] = '\0';
		if ((rv = parse_net(one, &o->ts[o->n_ts], err, err_len)) != 0)
			return rv;
		o->n_ts++;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

static int
apply_option(struct cli_opts *o, int c, const char *arg, char *err,
    size_t err_len)
{
	uint32_t v;
	int rv = 0;

	switch (c) {
	case 'g': o->gateway = arg; break;
	case 'i': o->id = arg; break;
	case OPT_REMOTE_ID: o->remote_id = arg; break;
	case OPT_SEND_REMOTE_ID: o->send_remote_id = true; break;
	case OPT_PORT: return parse_port("--port", arg, &o->port, err, err_len);
	case OPT_NATT_PORT:
		return parse_port("--natt-port", arg, &o->natt_port, err,
		    err_len);
	case OPT_TCP_PORT:
		return parse_port("--tcp-port", arg, &o->tcp_port, err, err_len);
	case OPT_TRANSPORT:
		return parse_transport(arg, &o->transport, err, err_len);
	case OPT_TLS_PORT:
		return parse_port("--tls-port", arg, &o->tls_port, err, err_len);
	case OPT_TLS_CA: o->tls_ca = arg; break;
	case OPT_FALLBACK:
		return parse_number("--fallback-timeout", arg, 100, 60000,
		    &o->fallback_ms, err, err_len);
	case OPT_UDP_PROBE:
		return parse_number("--udp-probe", arg, 0, 86400000,
		    &o->udp_probe_ms, err, err_len);
	case OPT_RECONNECT:
		return parse_number("--reconnect-timeout", arg, 0, 86400000,
		    &o->reconnect_ms, err, err_len);
	case OPT_PATH_SILENCE:
		return parse_number("--path-silence", arg, 500, 600000,
		    &o->silence_ms, err, err_len);
	case OPT_PATH_CHECK:
		return parse_number("--path-check", arg, 500, 60000,
		    &o->check_ms, err, err_len);
	case OPT_DPD:
		return parse_number("--dpd", arg, 0, 86400000, &o->dpd_ms, err,
		    err_len);
	case OPT_KEEPALIVE:
		return parse_number("--keepalive", arg, 0, 3600000,
		    &o->keepalive_ms, err, err_len);
	case OPT_TS:
		return parse_ts(arg, o, err, err_len);
	case OPT_REAUTH:
		return parse_number("--reauth", arg, 0, 30u * 86400, &o->reauth_s,
		    err, err_len);
	case OPT_NO_MOBIKE: o->no_mobike = true; break;
	case OPT_NO_REDIRECT: o->no_redirect = true; break;
	case OPT_CHILDLESS:
		return parse_childless(arg, &o->childless, err, err_len);
	case OPT_RACE:
		return parse_number("--race", arg, 0, 60000, &o->race_ms, err,
		    err_len);
	case OPT_GIVEUP:
		return parse_number("--giveup-timeout", arg, 1000, 600000,
		    &o->giveup_ms, err, err_len);
	case OPT_NETWORK_ID: o->network_id = arg; break;
	case OPT_STATE_FILE: o->state_file = arg; break;
	case OPT_CAPTIVE_URL: o->captive_url = arg; break;
	case OPT_STATUS_FILE: o->status_file = arg; break;
	case OPT_CAPTIVE_EXPECT: o->captive_expect = arg; break;
	case OPT_PSK_FILE: o->psk_file = arg; break;
	case OPT_CERT: o->cert_file = arg; break;
	case OPT_CERT_CHAIN: o->cert_chain_file = arg; break;
	case OPT_REVOCATION:
		if (strcmp(arg, "ifuri") == 0)
			o->revocation = REVOCATION_IFURI;
		else if (strcmp(arg, "strict") == 0)
			o->revocation = REVOCATION_STRICT;
		else if (strcmp(arg, "off") == 0)
			o->revocation = REVOCATION_OFF;
		else
			return fail(err, err_len, "--revocation: '%s' is not "
			    "strict, ifuri or off", arg);
		break;
	case OPT_REVOCATION_CACHE: o->revocation_cache = arg; break;
	case OPT_KEY: o->key_file = arg; break;
	case OPT_KEY_PASS: o->key_passphrase_file = arg; break;
	case OPT_EAP_USER: o->eap_user = arg; break;
	case OPT_EAP: return parse_eap(arg, &o->eap, err, err_len);
	case OPT_EAP_ONLY: o->eap_only = true; break;
	case OPT_PASSWORD_FILE: o->password_file = arg; break;
	case OPT_CA:
		if (o->n_ca == CLI_MAX_CA)
			return fail(err, err_len, "--ca: at most %d files; put "
			    "several certificates in one PEM file", CLI_MAX_CA);
		o->ca_files[o->n_ca++] = arg;
		break;
	case OPT_SCRIPT:
		o->script_none = strcmp(arg, "none") == 0;
		o->script = o->script_none ? NULL : arg;
		break;
	case OPT_SCRIPT_ROUTES:
		if (strcmp(arg, "early") == 0)
			o->script_routes = CLI_SCRIPT_ROUTES_EARLY;
		else if (strcmp(arg, "script") == 0)
			o->script_routes = CLI_SCRIPT_ROUTES_SCRIPT;
		else
			return fail(err, err_len, "--script-routes: '%s' is "
			    "not early or script", arg);
		break;
	case OPT_INTERFACE:
		if (strlen(arg) == 0 || strlen(arg) > 15)
			return fail(err, err_len, "--interface: '%s' is not a "
			    "valid interface name (1 to 15 characters)", arg);
		o->ifname = arg;
		break;
	case OPT_IKE: o->ike_proposal = arg; break;
	case OPT_ESP: o->esp_proposal = arg; break;
	case OPT_MTU:
		rv = parse_number("--mtu", arg, 576, 9000, &v, err, err_len);
		o->mtu = v;
		return rv;
	case OPT_KILL_SWITCH: o->kill_switch = true; break;
	case OPT_KILL_SWITCH_LAN: o->kill_switch_allow_lan = true; break;
	case OPT_FILE_OWNER: o->file_owner = arg; break;
	case OPT_NO_PRIVSEP: o->no_privsep = true; break;
	case OPT_PROFILE_FD:
		rv = parse_number("--profile-fd", arg, 0, 65535, &v, err,
		    err_len);
		o->profile_fd = (int)v;
		return rv;
	case OPT_SECRETS_FD:
		rv = parse_number("--secrets-fd", arg, 0, 65535, &v, err,
		    err_len);
		o->secrets_fd = (int)v;
		return rv;
	case 'v': o->verbose++; break;
	case 'q': o->quiet = true; break;
	case OPT_JSON_LOG: o->json_log = true; break;
	case OPT_CONTROL_SOCKET:
		if (arg[0] != '/' || strlen(arg) > 107)
			return fail(err, err_len, "--control-socket: '%s' is "
			    "not an absolute path of at most 107 octets", arg);
		o->control_socket = arg;
		break;
	case OPT_NETCFG:
		if (strcmp(arg, "auto") == 0)
			o->netcfg_external = false;
		else if (strcmp(arg, "external") == 0)
			o->netcfg_external = true;
		else
			return fail(err, err_len, "--netcfg: '%s' is not auto "
			    "or external", arg);
		break;
	case OPT_BACKGROUND: o->background = true; break;
	default:
		return fail(err, err_len, "option %d is not handled", c);
	}
	return 0;
}

/* Cross-option rules, after everything was read. */
/*
 * The EAP rules: --eap tls runs over --cert/--key (the EAP identity is
 * --eap-user or --id); the password methods need --eap-user; EAP-only
 * (RFC 5998 §4) only with a method that proves the gateway.
 */
static int
validate_eap(const struct cli_opts *o, char *err, size_t err_len)
{
	if (o->eap == CLI_EAP_TLS && o->cert_file == NULL)
		return fail(err, err_len, "connect: --eap tls needs --cert "
		    "FILE --key FILE");
	if ((o->eap == CLI_EAP_MSCHAPV2 || o->eap == CLI_EAP_GTC) &&
	    o->eap_user == NULL)
		return fail(err, err_len, "connect: --eap %s needs --eap-user "
		    "NAME", o->eap == CLI_EAP_GTC ? "gtc" : "mschapv2");
	if (o->eap_only && o->eap == CLI_EAP_NONE && o->eap_user == NULL)
		return fail(err, err_len, "connect: --eap-only needs EAP: "
		    "--eap tls or --eap-user NAME");
	if (o->eap_only && o->eap == CLI_EAP_GTC)
		return fail(err, err_len, "connect: --eap-only needs a method "
		    "that proves the gateway (--eap tls or mschapv2); EAP-GTC "
		    "does not");
	if (o->eap == CLI_EAP_TLS && o->password_file != NULL)
		return fail(err, err_len, "connect: --password-file is not "
		    "used with --eap tls");
	return 0;
}

static int
validate_connect(const struct cli_opts *o, char *err, size_t err_len)
{
	bool eap_tls = o->eap == CLI_EAP_TLS;
	int methods = (o->psk_file != NULL || o->psk_inline) +
	    ((o->cert_file != NULL || o->key_file != NULL) && !eap_tls) +
	    (o->eap_user != NULL || o->eap != CLI_EAP_NONE);
	int rv;

	if (o->gateway == NULL)
		return fail(err, err_len, "connect: no gateway; add "
		    "--gateway HOST");
	if (o->id == NULL)
		return fail(err, err_len, "connect: no identity; add --id ID "
		    "(e.g. --id alice@example.com)");
	if (methods == 0)
		return fail(err, err_len, "connect: no authentication; add "
		    "--psk-file FILE, --cert FILE --key FILE, or --eap-user NAME");
	if (methods > 1)
		return fail(err, err_len, "connect: choose one authentication: "
		    "--psk-file (or psk), --cert/--key, or --eap-user");
	if ((rv = validate_eap(o, err, err_len)) != 0)
		return rv;
	if ((o->cert_file == NULL) != (o->key_file == NULL))
		return fail(err, err_len, "connect: --cert and --key go "
		    "together");
	if (o->cert_chain_file != NULL && o->cert_file == NULL)
		return fail(err, err_len, "connect: --cert-chain needs --cert");
	if (o->tls_ca != NULL && (o->transport == CLI_XPORT_UDP ||
	    o->transport == CLI_XPORT_TCP))
		return fail(err, err_len, "connect: --tls-ca needs --transport "
		    "tls or auto");
	if (o->password_file != NULL && o->eap_user == NULL)
		return fail(err, err_len, "connect: --password-file needs "
		    "--eap-user");
	if (o->kill_switch_allow_lan && !o->kill_switch)
		return fail(err, err_len, "connect: --kill-switch-allow-lan "
		    "needs --kill-switch");
	return 0;
}

/* ikeroam kill-switch off|status, and nothing else. */
static int
parse_kill_switch(int argc, char **argv, struct cli_opts *o, char *err,
    size_t err_len)
{
	if (argc < 3)
		return fail(err, err_len, "kill-switch: add off or status");
	if (strcmp(argv[2], "off") == 0)
		o->command = CLI_CMD_KILLSWITCH_OFF;
	else if (strcmp(argv[2], "status") == 0)
		o->command = CLI_CMD_KILLSWITCH_STATUS;
	else
		return fail(err, err_len, "kill-switch: '%s' is not off or "
		    "status", argv[2]);
	if (argc > 3)
		return fail(err, err_len, "kill-switch %s: unexpected "
		    "argument '%s'", argv[2], argv[3]);
	return 0;
}

int
cli_apply(struct cli_opts *o, const struct option *opt, const char *arg,
    char *err, size_t err_len)
{
	if ((opt->has_arg == no_argument) != (arg == NULL))
		return fail(err, err_len, "--%s: %s", opt->name, arg == NULL ?
		    "needs a value" : "takes no value");
	return apply_option(o, opt->val, arg, err, err_len);
}

void
cli_defaults(struct cli_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = 500;
	o->natt_port = 4500;
	o->tcp_port = 4500;
	o->tls_port = 443;
	o->fallback_ms = DEFAULT_FALLBACK_MS;
	o->giveup_ms = DEFAULT_GIVEUP_MS;
	o->reconnect_ms = DEFAULT_RECONNECT_MS;
	o->udp_probe_ms = DEFAULT_UDP_PROBE_MS;
	o->dpd_ms = DEFAULT_DPD_MS;
	o->keepalive_ms = DEFAULT_KEEPALIVE_MS;
	o->profile_fd = -1;
	o->secrets_fd = -1;
}

int
cli_parse_args(int argc, char **argv, struct cli_opts *o, char *err,
    size_t err_len)
{
	bool ca_here = false;
	int c, i, rv;

	/* 0, not 1: glibc then also forgets a cluster an earlier call left
	 * half-read ("-hv" stops at h), which points into a dead argv. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":g:i:vqhV", long_opts,
	    &i)) != -1) {
		if (c == 'h' || c == 'V') {
			o->command = c == 'h' ? CLI_CMD_HELP : CLI_CMD_VERSION;
			return 0;
		}
		if (c == '?')
			return fail(err, err_len, "unknown option '%s'; see "
			    "ikeroam --help", argv[optind - 1]);
		if (c == ':')
			return fail(err, err_len, "option '%s' needs a value",
			    argv[optind - 1]);
		/* The command line's --ca list replaces a profile's. */
		if (c == OPT_CA && !ca_here) {
			o->n_ca = 0;
			ca_here = true;
		}
		if ((rv = apply_option(o, c, optarg, err, err_len)) != 0)
			return rv;
	}
	if (optind < argc)
		return fail(err, err_len, "unexpected argument '%s'; see "
		    "ikeroam --help", argv[optind]);
	return 0;
}

int
cli_finish(struct cli_opts *o, char *err, size_t err_len)
{
	int rv;

	if (o->command == 0)
		return fail(err, err_len, "no command; try: ikeroam connect "
		    "--gateway HOST --id ID --psk-file FILE");
	if (o->command != CLI_CMD_CONNECT)
		return 0;
	if ((rv = validate_connect(o, err, err_len)) != 0)
		return rv;
	/* The rules name the TUN before it exists (src/killswitch.h). */
	if (o->kill_switch && o->ifname == NULL)
		o->ifname = KILLSWITCH_IFNAME;
	return 0;
}

int
cli_parse(int argc, char **argv, struct cli_opts *o, char *err,
    size_t err_len)
{
	int rv;

	cli_defaults(o);
	err[0] = '\0';
	if (argc >= 2 && strcmp(argv[1], "kill-switch") == 0)
		return parse_kill_switch(argc, argv, o, err, err_len);
	if (argc >= 2 && strcmp(argv[1], "connect") == 0) {
		o->command = CLI_CMD_CONNECT;
		argv++;
		argc--;
	}
	if ((rv = cli_parse_args(argc, argv, o, err, err_len)) != 0)
		return rv;
	return cli_finish(o, err, err_len);
}
