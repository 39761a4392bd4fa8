/*
 * src/cfg_policy.h: local policy on what the gateway pushes in its
 * CFG_REPLY (RFC 7296 §3.15, RFC 8598).  The gateway is trusted with the
 * protected networks, not with this host's own networking: an address,
 * a route or a domain that would break the host (or reach vpnc-script
 * as something other than a DNS name) is refused or dropped with a
 * warning, never applied as given.  Pure: the caller passes the host's
 * networks and the gateway's address.
 */
#ifndef IR_SRC_CFG_POLICY_H
#define IR_SRC_CFG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/ike.h"

#define CFG_POLICY_NETS_MAX	32

struct cfg_net {
	uint8_t		 family;		/* 4 or 6 */
	uint8_t		 addr[16], prefix;
};

struct cfg_policy_host {
	struct cfg_net	 gateway;		/* prefix 32 or 128 */
	struct cfg_net	 router;		/* family 0: none (on-link) */
	/* The host's addresses with their connected prefixes (outside the
	 * TUN and loopback): the LANs the host already reaches. */
	struct cfg_net	 nets[CFG_POLICY_NETS_MAX];
	size_t		 n_nets;
};

/* Called once per dropped item with one line saying what and why. */
typedef void	(*cfg_policy_warn_fn)(void *ud, const char *line);

/*
 * Check |cfg| in place: drop splits, IPv6 addresses and domains that
 * must not be applied (warning once each); refuse the session when its
 * IPv4 address is unusable.  0, or IR_ERR_CONFIG with one line in |err|.
 */
int	cfg_policy_apply(struct ike_cfg_reply *cfg,
	    const struct cfg_policy_host *host, cfg_policy_warn_fn warn,
	    void *ud, char *err, size_t err_len);

/*
 * The prefix a remote traffic selector is routed as (as src/netcfg.c
 * makes it): the leading bits its start and end share; 0: everything
 * (0/0, the full tunnel of RFC 7296 §2.9, no split).
 */
unsigned	cfg_policy_ts_prefix(const struct ike_ts *ts);

/*
 * The gateway's remote traffic selectors |ts| (|*n| of them), which
 * become split routes as CFG_REPLY's subnets do, through the same rules:
 * a selector routed as a split that covers a connected LAN as or more
 * specifically, that is the gateway's own address (a loop) or not
 * unicast is dropped in place with one warning each.  0/0 is the full
 * tunnel and stays.  When every selector of a family is dropped, that
 * family would be routed in full into a tunnel that carries none of it:
 * IR_ERR_CONFIG with one line in |err| instead.
 */
int	cfg_policy_ts(struct ike_ts *ts, uint8_t *n,
	    const struct cfg_policy_host *host, cfg_policy_warn_fn warn,
	    void *ud, char *err, size_t err_len);

/* An RFC 1035 §2.3.1 host name: LDH labels of 1-63, at most 253. */
bool	cfg_policy_dns_name_ok(const char *name);

#endif
