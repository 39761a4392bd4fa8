/*
 * src/conn.h: one VPN connection: the IKE SA, its transport, the Child
 * SAs' ESP engines, the TUN device and the network setup, glued to the
 * libuv loop.  Protocol decisions live in the engines; this file moves
 * bytes, reads the clock and re-arms one timer.
 */
#ifndef IR_SRC_CONN_H
#define IR_SRC_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <uv.h>

#include "ike/ike.h"
#include "src/revocation.h"

struct conn;
struct priv_client;

struct conn_conf {
	struct ike_conf		 ike;
	struct sockaddr_storage	 gw;		/* port of IKE_SA_INIT */
	char			 gw_name[256];	/* as the user wrote it */
	uint16_t		 natt_port;
	uint16_t		 tcp_port;
	uint16_t		 tls_port;	/* RFC 9329 Appendix A */
	const char		*tls_ca;	/* NULL: the system store */
	const uint8_t		*tls_ca_pem;	/* its content, read as root */
	size_t			 tls_ca_len;
	char			 tls_name[256];	/* checked in the TLS
						   certificate; SNI */
	int			 transport;	/* enum cli_transport */
	uint32_t		 fallback_ms;
	uint32_t		 race_ms;
	bool			 udp_blocked_here;	/* remembered network */
	int			 remembered_xport;	/* enum fb_xport that
							   worked here */
	char			 netmem_path[512];	/* "": do not remember */
	char			 netmem_key[512];
	const char		*captive_url;		/* NULL: no probe */
	const char		*captive_expect;
	const char		*status_file;		/* NULL: none */
	uint32_t		 udp_probe_ms;	/* on TCP: probe UDP; 0: never */
	uint32_t		 reconnect_ms;	/* keep trying after a lost
						   session; 0: exit at once */
	uint32_t		 silence_ms;	/* ESP out, nothing in: check
						   the path; 0: default */
	uint32_t		 check_ms;	/* budget of a check or move */
	uint32_t		 keepalive_ms;	/* NAT keepalives; 0: none */
	uint32_t		 reauth_s;	/* reauthenticate this often;
						   0: when the gateway asks */
	struct revocation_conf	 revocation;	/* the gateway's certificate */
	const char		*network_id;	/* --network-id; NULL: the
						   default route's */
	const char		*script;	/* NULL: built-in netlink */
	const char		*ifname;	/* NULL: kernel's choice */
	uint32_t		 mtu;		/* 0: from the path MTU */
	struct priv_client	*priv;		/* NULL: one process */
	int			 control_fd;	/* listening; -1: none */
	bool			 control_group_set;
	gid_t			 control_group;
	bool			 netcfg_external;	/* TUN only */
	bool			 script_early;	/* --script-routes early */
	int			 ready_fd;	/* --background's pipe; -1 */
};

/* |conf| is copied (secrets included) and wiped in conn_free(). */
int	conn_new(struct conn **out, uv_loop_t *loop,
	    const struct conn_conf *conf);

/* Start connecting; the loop runs until the connection is over. */
int	conn_start(struct conn *c);

/* The exit status (src/exitcode.h), once the loop has returned. */
int	conn_exit_code(const struct conn *c);

void	conn_free(struct conn *c);

#endif
