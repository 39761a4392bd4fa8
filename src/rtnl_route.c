/*
 * src/rtnl_route.c: rtnetlink route requests, the RTM_NEWROUTE parser and
 * the physical-path chooser (see rtnl_route.h).  Pure; the socket side is
 * src/netwatch.c.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "common/ir_err.h"
#include "common/wire.h"
#include "src/rtnl_route.h"

size_t
rtnl_alen(uint8_t family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

/* ---- requests -------------------------------------------------------- */

/* Reserve the nlmsghdr; rtnl_end() patches its length. */
static size_t
rtnl_begin(struct wire_wr *w, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr h;
	size_t at = wire_wr_mark(w);

	memset(&h, 0, sizeof(h));
	h.nlmsg_type = type;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;		/* nlmsg_pid 0: the kernel fills it */
	wire_wr_bytes(w, &h, sizeof(h));
	return at;
}

static void
rtnl_attr(struct wire_wr *w, uint16_t type, const void *data, size_t n)
{
	struct rtattr a;

	a.rta_len = (unsigned short)RTA_LENGTH(n);	/* n <= 16 here */
	a.rta_type = type;
	wire_wr_bytes(w, &a, sizeof(a));
	wire_wr_bytes(w, data, n);
	wire_wr_zero(w, RTA_ALIGN(n) - n);
}

static int
rtnl_end(struct wire_wr *w, size_t at, size_t *len)
{
	uint32_t n;

	*len = 0;
	if (w->overflow)
		return IR_ERR_NOBUF;
	n = (uint32_t)(w->len - at);	/* host order, unlike IKE */
	memcpy(w->buf + at + offsetof(struct nlmsghdr, nlmsg_len), &n,
	    sizeof(n));
	*len = w->len;
	return 0;
}

int
rtnl_req_get(uint8_t *buf, size_t cap, size_t *len, uint32_t seq,
    uint8_t family, const uint8_t *addr, uint32_t oif)
{
	struct rtmsg rtm;
	struct wire_wr w;
	size_t at, alen;

	*len = 0;
	if ((alen = rtnl_alen(family)) == 0)
		return IR_ERR_CONFIG;
	wire_wr_init(&w, buf, cap);
	at = rtnl_begin(&w, RTM_GETROUTE, NLM_F_REQUEST, seq);
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = family;
	rtm.rtm_dst_len = (unsigned char)(alen * 8);
	wire_wr_bytes(&w, &rtm, sizeof(rtm));
	rtnl_attr(&w, RTA_DST, addr, alen);
	if (oif != 0)
		rtnl_attr(&w, RTA_OIF, &oif, sizeof(oif));
	return rtnl_end(&w, at, len);
}


/* ---- parsing --------------------------------------------------------- */


/* 1 with the next attribute of |r|, 0 at the end, IR_ERR_MALFORMED. */
static int
rtnl_attr_next(struct wire_rd *r, uint16_t *type, struct wire_rd *val)
{
	struct rtattr a;
	size_t pad;

	if (r->left == 0)
		return 0;
	if (!wire_rd_copy(r, &a, sizeof(a)) || a.rta_len < sizeof(a) ||
	    !wire_rd_sub(r, a.rta_len - sizeof(a), val))
		return IR_ERR_MALFORMED;
	*type = a.rta_type & NLA_TYPE_MASK;
	/* Padding to 4; the last attribute may go without it. */
	pad = RTA_ALIGN(a.rta_len) - a.rta_len;
	if (!wire_rd_skip(r, pad < r->left ? pad : r->left))
		return IR_ERR_MALFORMED;
	return 1;
}

/* An address attribute must be exactly the family's length. */
static int
rtnl_val_ip(const struct wire_rd *v, size_t alen, uint8_t *out)
{
	if (v->left != alen)
		return IR_ERR_MALFORMED;
	memcpy(out, v->p, alen);
	return 0;
}

static int
rtnl_val_u32(const struct wire_rd *v, uint32_t *out)
{
	if (v->left != sizeof(*out))
		return IR_ERR_MALFORMED;
	memcpy(out, v->p, sizeof(*out));
	return 0;
}

/*
 * RTA_MULTIPATH: a run of struct rtnexthop (len, flags, hops, ifindex),
 * each followed by its own attributes (RTA_GATEWAY) up to rtnh_len.
 */
static int
rtnl_parse_multipath(struct wire_rd *v, size_t alen, struct rtnl_route *out)
{
	struct rtnexthop nh;
	struct rtnl_nexthop *o;
	struct wire_rd body, val;
	uint16_t type;
	size_t pad;
	int rv;

	out->n_nh = 0;
	while (v->left > 0) {
		if (!wire_rd_copy(v, &nh, sizeof(nh)) ||
		    nh.rtnh_len < sizeof(nh) ||
		    !wire_rd_sub(v, nh.rtnh_len - sizeof(nh), &body))
			return IR_ERR_MALFORMED;
		pad = RTNH_ALIGN(nh.rtnh_len) - nh.rtnh_len;
		if (!wire_rd_skip(v, pad < v->left ? pad : v->left))
			return IR_ERR_MALFORMED;
		o = out->n_nh < RTNL_NH_MAX ? &out->nh[out->n_nh++] : NULL;
		if (o != NULL) {
			o->oif = nh.rtnh_ifindex > 0 ?
			    (uint32_t)nh.rtnh_ifindex : 0;
			o->flags = nh.rtnh_flags;
		}
		/* Entries beyond RTNL_NH_MAX are checked, not kept. */
		while ((rv = rtnl_attr_next(&body, &type, &val)) == 1) {
			if (type != RTA_GATEWAY)
				continue;
			if (o == NULL) {
				if (val.left != alen)
					return IR_ERR_MALFORMED;
				continue;
			}
			if ((rv = rtnl_val_ip(&val, alen, o->gw)) != 0)
				return rv;
			o->has_gw = true;
		}
		if (rv < 0)
			return rv;
	}
	return 0;
}

int
rtnl_route_parse(const struct tun_nlmsg *m, struct rtnl_route *out)
{
	struct rtmsg rtm;
	struct wire_rd r, val;
	size_t alen, skip;
	uint16_t type;
	uint32_t oif = 0;
	bool multipath = false;
	int rv;

	memset(out, 0, sizeof(*out));
	wire_rd_init(&r, m->body, m->body_len);
	if (m->type != RTM_NEWROUTE || !wire_rd_copy(&r, &rtm, sizeof(rtm)))
		return IR_ERR_MALFORMED;
	skip = NLMSG_ALIGN(sizeof(rtm)) - sizeof(rtm);	/* 0 on Linux */
	if (!wire_rd_skip(&r, skip < r.left ? skip : r.left))
		return IR_ERR_MALFORMED;
	if ((alen = rtnl_alen(rtm.rtm_family)) == 0 ||
	    rtm.rtm_dst_len > alen * 8 || rtm.rtm_src_len > alen * 8)
		return IR_ERR_MALFORMED;
	out->family = rtm.rtm_family;
	out->dst_len = rtm.rtm_dst_len;
	out->type = rtm.rtm_type;
	out->protocol = rtm.rtm_protocol;
	out->scope = rtm.rtm_scope;
	out->flags = rtm.rtm_flags;
	out->table = rtm.rtm_table;
	out->tos = rtm.rtm_tos;
	out->src_len = rtm.rtm_src_len;

	while ((rv = rtnl_attr_next(&r, &type, &val)) == 1) {
		switch (type) {
		case RTA_DST:
			rv = rtnl_val_ip(&val, alen, out->dst);
			break;
		case RTA_GATEWAY:
			rv = rtnl_val_ip(&val, alen, out->nh[0].gw);
			out->nh[0].has_gw = true;
			break;
		case RTA_PREFSRC:
			rv = rtnl_val_ip(&val, alen, out->prefsrc);
			out->has_prefsrc = true;
			break;
		case RTA_OIF:
			rv = rtnl_val_u32(&val, &oif);
			break;
		case RTA_PRIORITY:
			rv = rtnl_val_u32(&val, &out->priority);
			break;
		case RTA_TABLE:		/* tables above 255 live only here */
			rv = rtnl_val_u32(&val, &out->table);
			break;
		case RTA_MULTIPATH:
			rv = rtnl_parse_multipath(&val, alen, out);
			multipath = true;
			break;
		default:
			rv = 0;		/* RTA_CACHEINFO, RTA_PREF, ... */
		}
		if (rv != 0)
			return rv;
	}
	if (rv < 0)
		return rv;
	if (!multipath) {
		/* A single nexthop's flags ride in rtm_flags. */
		out->n_nh = 1;
		out->nh[0].oif = oif;
		out->nh[0].flags = (uint8_t)(rtm.rtm_flags & 0xff);
	} else if (out->n_nh > 0 && out->nh[0].oif == 0)
		out->nh[0].oif = oif;
	return 0;
}

bool
rtnl_route_main(const struct rtnl_route *r)
{
	return r->table == RT_TABLE_MAIN;
}

/* ---- the chooser ----------------------------------------------------- */

bool
rtnl_prefix_match(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned full = len / 8, rest = len % 8;
	uint8_t mask;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff00u >> rest);
	return ((a[full] ^ b[full]) & mask) == 0;
}

void
rtnl_choose_init(struct rtnl_choice *c, uint8_t family, const uint8_t *gw,
    const uint32_t *exclude, size_t n_exclude)
{
	size_t i, alen = rtnl_alen(family);

	memset(c, 0, sizeof(*c));
	c->family = family;
	if (alen != 0)
		memcpy(c->gw, gw, alen);
	for (i = 0; i < n_exclude && i < RTNL_EXCLUDE_MAX; i++)
		c->exclude[i] = exclude[i];
}

static bool
rtnl_excluded(const struct rtnl_choice *c, uint32_t oif)
{
	size_t i;

	for (i = 0; i < RTNL_EXCLUDE_MAX; i++)
		if (c->exclude[i] != 0 && c->exclude[i] == oif)
			return true;
	return false;
}

/* The first nexthop our packets could use, or NULL. */
static const struct rtnl_nexthop *
rtnl_usable_nh(const struct rtnl_choice *c, const struct rtnl_route *r)
{
	size_t i;

	for (i = 0; i < r->n_nh && i < RTNL_NH_MAX; i++) {
		const struct rtnl_nexthop *nh = &r->nh[i];

		if (nh->oif == 0 || rtnl_excluded(c, nh->oif) ||
		    (nh->flags & (RTNH_F_DEAD | RTNH_F_LINKDOWN)) != 0)
			continue;
		return nh;
	}
	return NULL;
}

static bool
rtnl_reject(uint8_t type)
{
	return type == RTN_UNREACHABLE || type == RTN_BLACKHOLE ||
	    type == RTN_PROHIBIT;
}

void
rtnl_choose_add(struct rtnl_choice *c, const struct rtnl_route *r)
{
	const struct rtnl_nexthop *nh = NULL;
	size_t alen = rtnl_alen(c->family);

	if (alen == 0 || r->family != c->family || !rtnl_route_main(r) ||
	    r->dst_len > alen * 8 || r->tos != 0 || r->src_len != 0)
		return;
	if (!rtnl_prefix_match(r->dst, c->gw, r->dst_len))
		return;
	/* A unicast host route covering the gateway is the gateway's pin:
	 * the last resort only (rtnl_choose_result). */
	if (r->type == RTN_UNICAST && r->dst_len == alen * 8) {
		if (!c->pin_found && (nh = rtnl_usable_nh(c, r)) != NULL) {
			c->pin_found = true;
			c->pin_oif = nh->oif;
			c->pin_has_via = nh->has_gw;
			memset(c->pin_via, 0, sizeof(c->pin_via));
			if (nh->has_gw)
				memcpy(c->pin_via, nh->gw, alen);
		}
		return;
	}
	if (r->type == RTN_UNICAST) {
		if ((nh = rtnl_usable_nh(c, r)) == NULL)
			return;
	} else if (!rtnl_reject(r->type))
		return;
	if (c->found && (r->dst_len < c->best.dst_len ||
	    (r->dst_len == c->best.dst_len &&
	    r->priority >= c->best.priority)))
		return;		/* ties: the first one seen stays */
	c->found = true;
	c->best = *r;
	c->oif = nh != NULL ? nh->oif : 0;
	c->has_via = nh != NULL && nh->has_gw;
	memset(c->via, 0, sizeof(c->via));
	if (c->has_via)
		memcpy(c->via, nh->gw, alen);
}

int
rtnl_choose_result(struct rtnl_choice *c)
{
	if (!c->found && c->pin_found) {
		c->found = true;
		memset(&c->best, 0, sizeof(c->best));
		c->best.family = c->family;
		c->best.type = RTN_UNICAST;
		c->best.dst_len = (uint8_t)(rtnl_alen(c->family) * 8);
		memcpy(c->best.dst, c->gw, rtnl_alen(c->family));
		c->oif = c->pin_oif;
		c->has_via = c->pin_has_via;
		memcpy(c->via, c->pin_via, sizeof(c->via));
	}
	if (!c->found || c->best.type != RTN_UNICAST || c->oif == 0)
		return -ENETUNREACH;
	return 0;
}

int
rtnl_choose(struct rtnl_choice *c, const struct rtnl_route *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rtnl_choose_add(c, &r[i]);
	return rtnl_choose_result(c);
}
