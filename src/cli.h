/*
 * src/cli.h: the command line, parsed in one place.  A profile
 * (src/profile.c) fills the same struct through the same function: its
 * keys are the long option names of the table below, so an option added
 * here (long_opts, the enum, apply_option's switch, the usage text and a
 * field of struct cli_opts; option_kind() for a file or a number) is a
 * profile key with no further work.
 */
#ifndef IR_SRC_CLI_H
#define IR_SRC_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_MAX_CA	8
#define CLI_MAX_TS	16	/* IKE_TS_MAX */

/* A network of --ts: the remote traffic selectors we ask for. */
struct cli_net {
	uint8_t		 family;		/* 4 or 6 */
	uint8_t		 addr[16];		/* host bits zero */
	uint8_t		 prefix;
};

enum cli_command {
	CLI_CMD_CONNECT = 1,
	CLI_CMD_VERSION,
	CLI_CMD_HELP,
	CLI_CMD_KILLSWITCH_OFF,		/* ikeroam kill-switch off */
	CLI_CMD_KILLSWITCH_STATUS,	/* ikeroam kill-switch status */
};

enum cli_transport {
	CLI_XPORT_AUTO = 0,	/* UDP first, then TCP, then TLS */
	CLI_XPORT_UDP,
	CLI_XPORT_TCP,
	CLI_XPORT_TLS,		/* RFC 9329 Appendix A: TCP stream in TLS */
};

/* --childless: RFC 6023, ike.h's enum ike_childless (same values). */
enum cli_childless {
	CLI_CHILDLESS_NEVER = 0,	/* the default, as strongSwan's client */
	CLI_CHILDLESS_AUTO = 1,
	CLI_CHILDLESS_FORCE = 2,
};

/* --script-routes: who routes the tunnel when a script runs. */
enum cli_script_routes {
	CLI_SCRIPT_ROUTES_AUTO = 0,	/* early for the stock script */
	CLI_SCRIPT_ROUTES_EARLY,	/* netlink first, then the script */
	CLI_SCRIPT_ROUTES_SCRIPT,	/* the script alone (openconnect's) */
};

enum cli_eap {
	CLI_EAP_NONE = 0,	/* MSCHAPv2 when --eap-user is given */
	CLI_EAP_MSCHAPV2,
	CLI_EAP_GTC,
	CLI_EAP_TLS,
};

struct cli_opts {
	int		 command;		/* enum cli_command */
	const char	*gateway;
	uint16_t	 port;			/* IKE_SA_INIT over UDP [500] */
	uint16_t	 natt_port;		/* UDP encapsulation [4500] */
	uint16_t	 tcp_port;		/* RFC 9329 [4500] */
	uint16_t	 tls_port;		/* RFC 9329 Appendix A [443] */
	const char	*tls_ca;		/* NULL: the system's CA store */
	int		 transport;		/* enum cli_transport */
	uint32_t	 fallback_ms;		/* auto: UDP silence before TCP */
	uint32_t	 race_ms;		/* auto: TCP this long after UDP;
						   0: only on fallback */
	const char	*id, *remote_id;
	bool		 send_remote_id;		/* also send it as IDr */
	const char	*psk_file;
	const char	*cert_file, *key_file, *key_passphrase_file;
	const char	*cert_chain_file;	/* intermediates we send */
	int		 revocation;		/* enum revocation_policy */
	const char	*revocation_cache;	/* NULL: the default */
	const char	*eap_user, *password_file;
	int		 eap;			/* enum cli_eap */
	bool		 eap_only;		/* RFC 5998 */
	const char	*ca_files[CLI_MAX_CA];
	unsigned	 n_ca;
	const char	*script;		/* NULL: default vpnc-script */
	bool		 script_none;
	int		 script_routes;		/* enum cli_script_routes */
	const char	*ifname;		/* with --kill-switch: ikeroam0 */
	bool		 kill_switch;		/* src/killswitch.h */
	bool		 kill_switch_allow_lan;
	bool		 no_privsep;		/* one process (src/priv.h) */
	const char	*file_owner;		/* --file-owner: a user name or uid */
	const char	*ike_proposal, *esp_proposal;
	uint32_t	 mtu;			/* 0: from the path MTU */
	uint32_t	 giveup_ms;		/* no answer at all [30000] */
	uint32_t	 reconnect_ms;		/* after a lost session [300000] */
	uint32_t	 udp_probe_ms;		/* on TCP: probe UDP [120000] */
	uint32_t	 silence_ms;		/* ESP out, none in: check [4000] */
	uint32_t	 check_ms;		/* a check's or move's budget
						   [3000] */
	bool		 no_mobike;		/* do not offer RFC 4555 */
	bool		 no_redirect;		/* do not follow RFC 5685 */
	int		 childless;		/* enum cli_childless */
	uint32_t	 dpd_ms;		/* idle liveness check; 0 off
						   [30000] */
	uint32_t	 keepalive_ms;		/* NAT keepalives; 0 off
						   [20000] */
	struct cli_net	 ts[CLI_MAX_TS];	/* --ts; none: 0/0 and ::/0 */
	uint8_t		 n_ts;
	uint32_t	 reauth_s;		/* reauthenticate this often
						   (RFC 7296 §2.8.3); 0: only
						   when the gateway asks */
	const char	*network_id;		/* e.g. the SSID, from NM */
	const char	*state_file;		/* remembered networks */
	const char	*captive_url;		/* NULL: default; "none" */
	const char	*status_file;		/* JSON state for scripts */
	const char	*captive_expect;	/* body that means "online" */
	int		 verbose;
	bool		 quiet;
	bool		 json_log;	/* --json-log: one JSON object a line */
	const char	*control_socket;	/* NULL: by the profile's name */
	bool		 netcfg_external;	/* TUN only; NetworkManager
						   applies the rest */
	bool		 background;		/* return once up or failed */

	/* From profiles (src/profile.h) and their command-line options. */
	const char	*profile_name;		/* "name", or NAME as given */
	const char	*control_group;		/* may use the control socket */
	int		 profile_fd;		/* --profile-fd N, or -1 */
	int		 secrets_fd;		/* --secrets-fd N, or -1 */
	bool		 psk_inline;		/* the secrets come from the */
	bool		 password_inline;	/* profile or --secrets-fd */
	bool		 passphrase_inline;
};

/* What an option's value is, for profiles and their checks. */
#define CLI_OPT_FLAG		0x01	/* no value: true or false */
#define CLI_OPT_NUMBER		0x02	/* may be a JSON number */
#define CLI_OPT_PATH		0x04	/* a file, relative to the profile */
#define CLI_OPT_SECRET		0x08	/* ... that holds a secret */
#define CLI_OPT_REPEAT		0x10	/* may be given several times */
#define CLI_OPT_ARGV_ONLY	0x20	/* not a profile key */

/* getopt_long's table of `ikeroam connect`, ending with a NULL name. */
const struct option	*cli_options(void);

/* CLI_OPT_* bits of |opt| (an entry of cli_options()). */
unsigned	cli_option_kind(const struct option *opt);

/* "auto", "udp", "tcp", "tls" for enum cli_transport. */
const char	*cli_transport_name(int transport);

/* The defaults, before a profile and the command line. */
void	cli_defaults(struct cli_opts *o);

/*
 * Apply one option, |arg| its value (NULL for a flag), as getopt found
 * it or as a profile gives it.  0, or IR_ERR_CONFIG with one line in
 * |err| that starts with "--NAME: ".  Keeps |arg| (borrowed for as long
 * as |o| is used).
 */
int	cli_apply(struct cli_opts *o, const struct option *opt,
	    const char *arg, char *err, size_t err_len);

/*
 * The options in argv[1..argc-1] applied over |o| (argv[0] is skipped,
 * as getopt does).  -h and -V set o->command and stop.
 */
int	cli_parse_args(int argc, char **argv, struct cli_opts *o, char *err,
	    size_t err_len);

/* Cross-option rules of `connect`, once everything is applied. */
int	cli_finish(struct cli_opts *o, char *err, size_t err_len);

/*
 * Parse |argv| into |o| (defaults, the options, the rules; no profile).
 * 0, or IR_ERR_CONFIG with one line in |err| that says what is wrong
 * and how to fix it.
 */
int	cli_parse(int argc, char **argv, struct cli_opts *o, char *err,
	    size_t err_len);

void	cli_usage(FILE *f);

#endif
