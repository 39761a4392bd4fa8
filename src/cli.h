/*
 * src/cli.h: the command line, parsed in one place so it can grow (the
 * profile-based CLI later fills the same struct).
 */
#ifndef IR_SRC_CLI_H
#define IR_SRC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_MAX_CA	8

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
	const char	*eap_user, *password_file;
	const char	*ca_files[CLI_MAX_CA];
	unsigned	 n_ca;
	const char	*script;		/* NULL: default vpnc-script */
	bool		 script_none;
	const char	*ifname;		/* with --kill-switch: ikeroam0 */
	bool		 kill_switch;		/* src/killswitch.h */
	bool		 kill_switch_allow_lan;
	bool		 no_privsep;		/* one process (src/priv.h) */
	const char	*ike_proposal, *esp_proposal;
	uint32_t	 mtu;			/* 0: from the path MTU */
	uint32_t	 giveup_ms;		/* no answer at all [30000] */
	uint32_t	 reconnect_ms;		/* after a lost session [300000] */
	uint32_t	 udp_probe_ms;		/* on TCP: probe UDP [120000] */
	uint32_t	 silence_ms;		/* ESP out, none in: check [4000] */
	uint32_t	 check_ms;		/* a check's or move's budget
						   [3000] */
	bool		 no_mobike;		/* do not offer RFC 4555 */
	const char	*network_id;		/* e.g. the SSID, from NM */
	const char	*state_file;		/* remembered networks */
	const char	*captive_url;		/* NULL: default; "none" */
	const char	*status_file;		/* JSON state for scripts */
	const char	*captive_expect;	/* body that means "online" */
	int		 verbose;
	bool		 quiet;
};

/*
 * Parse |argv| into |o|.  0, or IR_ERR_CONFIG with one line in |err|
 * that says what is wrong and how to fix it.
 */
int	cli_parse(int argc, char **argv, struct cli_opts *o, char *err,
	    size_t err_len);

void	cli_usage(FILE *f);

#endif
