/*
 * tun/tun_plan.c: which routes the tunnel needs, decided from what the
 * gateway gave (addresses, split networks, DNS servers).  Pure: the
 * netlink side (src/netcfg.c) adds and removes what this file lists, so
 * the decisions are tested without root.
 *
 * The rules, per family, follow vpnc-script's do_connect() so that both
 * ways of setting up the network agree:
 *   - splits of a family: a route for each;
 *   - no split of a family but an address of it: the whole family into
 *     the TUN (two /1 halves, as openconnect and vpnc-script do);
 *   - the gateway sends all IPv4 through the tunnel and gave no IPv6
 *     address: IPv6 into the TUN too (::/1, 8000::/1), where the data
 *     path finds no SA and drops it.  Else IPv6 would leave in clear
 *     beside a "full" tunnel (issue 7, "Leaks a review of main found");
 *   - a pushed DNS server outside all of the above: a host route into
 *     the TUN, so queries never go out in clear.
 * With vpnc-script the script does the first two; only the last two are
 * ours.
 */
#include <string.h>
#include <sys/socket.h>

#include "common/ir_err.h"
#include "tun/tun_nl.h"

bool
tun_prefix_covers(const struct tun_prefix *p, const struct tun_ip *ip)
{
	size_t full, i;
	unsigned rest;

	if (p->ip.family != ip->family || tun_ip_len(ip->family) == 0 ||
	    p->len > tun_ip_len(ip->family) * 8)
		return false;
	full = p->len / 8;
	for (i = 0; i < full; i++)
		if (p->ip.addr[i] != ip->addr[i])
			return false;
	if ((rest = p->len % 8) == 0)
		return true;
	return ((p->ip.addr[full] ^ ip->addr[full]) &
	    (0xff00u >> rest) & 0xffu) == 0;
}

static bool
tun_prefix_same(const struct tun_prefix *a, const struct tun_prefix *b)
{
	return a->ip.family == b->ip.family && a->len == b->len &&
	    tun_prefix_covers(a, &b->ip) && tun_prefix_covers(b, &a->ip);
}

bool
tun_plan_has(const struct tun_plan *p, const struct tun_prefix *dst)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (tun_prefix_same(&p->r[i].dst, dst))
			return true;
	return false;
}

/* Add |dst| (host bits cleared) unless it is there already. */
static int
tun_plan_add(struct tun_plan *p, const struct tun_prefix *dst, uint8_t why)
{
	struct tun_prefix c;
	size_t i, alen = tun_ip_len(dst->ip.family);

	if (alen == 0 || dst->len > alen * 8)
		return IR_ERR_CONFIG;
	memset(&c, 0, sizeof(c));
	c.ip.family = dst->ip.family;
	c.len = dst->len;
	for (i = 0; i < alen; i++) {
		unsigned bits = i * 8 >= c.len ? 0 : c.len - i * 8;

		c.ip.addr[i] = bits >= 8 ? dst->ip.addr[i] :
		    (uint8_t)(dst->ip.addr[i] & (0xff00u >> bits));
	}
	if (tun_plan_has(p, &c))
		return 0;
	if (p->n == TUN_PLAN_MAX)
		return IR_ERR_NOBUF;
	p->r[p->n].dst = c;
	p->r[p->n].why = why;
	p->n++;
	return 0;
}

/* The two halves of a family: 0.0.0.0/1 + 128.0.0.0/1, ::/1 + 8000::/1. */
static int
tun_plan_halves(struct tun_plan *p, int family, uint8_t why)
{
	struct tun_prefix half;
	int rv;

	memset(&half, 0, sizeof(half));
	half.ip.family = (uint8_t)family;
	half.len = 1;
	if ((rv = tun_plan_add(p, &half, why)) != 0)
		return rv;
	half.ip.addr[0] = 0x80;
	return tun_plan_add(p, &half, why);
}

static bool
tun_plan_split_covers(const struct tun_plan_in *in, const struct tun_ip *ip)
{
	size_t i;

	for (i = 0; i < in->n_split; i++)
		if (tun_prefix_covers(&in->split[i].net, ip))
			return true;
	return false;
}

int
tun_plan_routes(const struct tun_plan_in *in, struct tun_plan *out)
{
	size_t i, n4 = 0, n6 = 0;
	struct tun_prefix host;
	bool covered;
	int rv;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < in->n_split; i++) {
		if (in->split[i].net.ip.family == AF_INET)
			n4++;
		else if (in->split[i].net.ip.family == AF_INET6)
			n6++;
		else
			return IR_ERR_CONFIG;
	}
	out->full4 = in->has_ip4 && n4 == 0;
	out->full6 = in->has_ip6 && n6 == 0;
	out->block6 = out->full4 && !in->has_ip6;
	if (!in->script) {
		for (i = 0; i < in->n_split; i++)
			if ((rv = tun_plan_add(out, &in->split[i].net,
			    TUN_PLAN_SPLIT)) != 0)
				return rv;
		if (out->full4 &&
		    (rv = tun_plan_halves(out, AF_INET, TUN_PLAN_DEFAULT)) != 0)
			return rv;
		if (out->full6 &&
		    (rv = tun_plan_halves(out, AF_INET6, TUN_PLAN_DEFAULT)) != 0)
			return rv;
	}
	if (out->block6 &&
	    (rv = tun_plan_halves(out, AF_INET6, TUN_PLAN_BLOCK6)) != 0)
		return rv;
	for (i = 0; i < in->n_dns; i++) {
		const struct tun_ip *d = &in->dns[i];

		if (d->family == AF_INET)
			covered = out->full4;
		else if (d->family == AF_INET6)
			covered = out->full6 || out->block6;
		else
			return IR_ERR_CONFIG;
		if (covered || tun_plan_split_covers(in, d))
			continue;
		memset(&host, 0, sizeof(host));
		host.ip = *d;
		host.len = (uint8_t)(tun_ip_len(d->family) * 8);
		if ((rv = tun_plan_add(out, &host, TUN_PLAN_DNS)) != 0)
			return rv;
	}
	return 0;
}

size_t
tun_plan_minus(const struct tun_plan *a, const struct tun_plan *b,
    struct tun_plan_route *out, size_t cap)
{
	size_t i, n = 0;

	for (i = 0; i < a->n && n < cap; i++)
		if (!tun_plan_has(b, &a->r[i].dst))
			out[n++] = a->r[i];
	return n;
}
