/*
 * src/conn_cfg.c: the gateway's CFG_REPLY and remote traffic selectors
 * through the local policy (src/cfg_policy.c) before anything applies
 * them.  This file only
 * gathers what the policy needs to know about the host: the gateway,
 * the router on the current path and the networks of every interface
 * except loopback and our own TUN.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>

#include "common/ir_err.h"
#include "src/cfg_policy.h"
#include "src/conn_int.h"
#include "src/exitcode.h"
#include "src/log.h"

static unsigned
mask_bits(const uint8_t *m, size_t len)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < len; i++)
		bits += (unsigned)__builtin_popcount(m[i]);
	return bits;
}

static void
add_net(struct cfg_policy_host *h, const struct ifaddrs *ifa)
{
	struct cfg_net *n;
	const uint8_t *a, *m;
	size_t len;

	if (h->n_nets >= CFG_POLICY_NETS_MAX || ifa->ifa_netmask == NULL)
		return;
	if (ifa->ifa_addr->sa_family == AF_INET) {
		a = (const uint8_t *)&((const struct sockaddr_in *)
		    ifa->ifa_addr)->sin_addr;
		m = (const uint8_t *)&((const struct sockaddr_in *)
		    ifa->ifa_netmask)->sin_addr;
		len = 4;
	} else {
		a = (const uint8_t *)&((const struct sockaddr_in6 *)
		    ifa->ifa_addr)->sin6_addr;
		m = (const uint8_t *)&((const struct sockaddr_in6 *)
		    ifa->ifa_netmask)->sin6_addr;
		len = 16;
	}
	n = &h->nets[h->n_nets++];
	memset(n, 0, sizeof(*n));
	n->family = len == 4 ? 4 : 6;
	memcpy(n->addr, a, len);
	n->prefix = (uint8_t)mask_bits(m, len);
}

static void
host_nets(const struct conn *c, struct cfg_policy_host *h)
{
	struct ifaddrs *all, *ifa;

	if (getifaddrs(&all) != 0)
		return;
	for (ifa = all; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || (ifa->ifa_flags & IFF_LOOPBACK) ||
		    (c->tun.name[0] != '\0' &&
		    strcmp(ifa->ifa_name, c->tun.name) == 0))
			continue;
		if (ifa->ifa_addr->sa_family == AF_INET ||
		    ifa->ifa_addr->sa_family == AF_INET6)
			add_net(h, ifa);
	}
	freeifaddrs(all);
}

static void
host_of(const struct conn *c, struct cfg_policy_host *h)
{
	const struct sockaddr_storage *gw = &c->cf.gw;

	memset(h, 0, sizeof(*h));
	if (gw->ss_family == AF_INET) {
		h->gateway.family = 4;
		memcpy(h->gateway.addr, &((const struct sockaddr_in *)gw)->
		    sin_addr, 4);
		h->gateway.prefix = 32;
	} else if (gw->ss_family == AF_INET6) {
		h->gateway.family = 6;
		memcpy(h->gateway.addr, &((const struct sockaddr_in6 *)gw)->
		    sin6_addr, 16);
		h->gateway.prefix = 128;
	}
	if (c->path.valid && c->path.has_via) {
		h->router.family = c->path.family == AF_INET ? 4 : 6;
		memcpy(h->router.addr, c->path.via, 16);
		h->router.prefix = h->router.family == 4 ? 32 : 128;
	}
	host_nets(c, h);
}

static void
warn_line(void *ud, const char *line)
{
	(void)ud;
	log_warn("%s", line);
}

int
conn_cfg_check(struct conn *c, struct ike_cfg_reply *cfg)
{
	struct cfg_policy_host h;
	char err[256];
	int rv;

	host_of(c, &h);
	if ((rv = cfg_policy_apply(cfg, &h, warn_line, NULL, err,
	    sizeof(err))) != 0)
		conn_fail_note(c, IR_EXIT_REFUSED, "%s", err);
	return rv;
}

int
conn_cfg_check_ts(struct conn *c)
{
	struct cfg_policy_host h;
	char err[256];
	int rv;

	host_of(c, &h);
	if ((rv = cfg_policy_ts(c->ts_remote, &c->n_ts_remote, &h, warn_line,
	    NULL, err, sizeof(err))) != 0)
		conn_fail_note(c, IR_EXIT_REFUSED, "%s", err);
	return rv;
}
