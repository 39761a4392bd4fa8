/*
 * tun/tun_nlmsg.c: rtnetlink message builders and parsers, pure (see
 * tun_nl.h for the layout).  The socket side is tun_netlink.c.
 */
#include <string.h>
#include <sys/socket.h>

#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "common/ir_err.h"
#include "common/wire.h"
#include "tun/tun_nl.h"

size_t
tun_ip_len(int family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

static bool
tun_prefix_ok(const struct tun_prefix *p)
{
	size_t n = tun_ip_len(p->ip.family);

	return n != 0 && p->len <= n * 8;
}

/* ---- builders -------------------------------------------------------- */

/* Reserve the nlmsghdr; its length is patched by tun_nlb_end(). */
static size_t
tun_nlb_begin(struct wire_wr *w, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr h;
	size_t at = wire_wr_mark(w);

	memset(&h, 0, sizeof(h));
	h.nlmsg_type = type;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;
	/* nlmsg_pid 0: the kernel fills in our port. */
	wire_wr_bytes(w, &h, sizeof(h));
	return at;
}

/* One attribute: header, payload, zero padding to 4 (RTA_ALIGN). */
static void
tun_nlb_attr(struct wire_wr *w, uint16_t type, const void *data, size_t n)
{
	struct rtattr a;

	if (n > 0xffff - RTA_LENGTH(0)) {
		w->overflow = true;
		return;
	}
	a.rta_len = (unsigned short)RTA_LENGTH(n);
	a.rta_type = type;
	wire_wr_bytes(w, &a, sizeof(a));
	wire_wr_bytes(w, data, n);
	wire_wr_zero(w, RTA_ALIGN(n) - n);
}

static void
tun_nlb_attr_u32(struct wire_wr *w, uint16_t type, uint32_t v)
{
	tun_nlb_attr(w, type, &v, sizeof(v));	/* host order */
}

/* Patch nlmsg_len (host order, unlike wire_wr_patch_len32). */
static int
tun_nlb_end(struct wire_wr *w, size_t at, size_t *len)
{
	uint32_t n;

	*len = 0;
	if (w->overflow)
		return IR_ERR_NOBUF;
	n = (uint32_t)(w->len - at);
	memcpy(w->buf + at + offsetof(struct nlmsghdr, nlmsg_len), &n,
	    sizeof(n));
	*len = w->len;
	return 0;
}

int
tun_nlmsg_addr(uint8_t *buf, size_t cap, size_t *len, uint16_t type,
    uint32_t seq, uint32_t ifindex, const struct tun_prefix *pfx)
{
	struct ifaddrmsg ifa;
	struct wire_wr w;
	size_t at, alen;

	*len = 0;
	if (!tun_prefix_ok(pfx) || (type != RTM_NEWADDR && type !=
	    RTM_DELADDR))
		return IR_ERR_CONFIG;
	alen = tun_ip_len(pfx->ip.family);

	wire_wr_init(&w, buf, cap);
	at = tun_nlb_begin(&w, type, type == RTM_NEWADDR ?
	    TUN_NL_ADD_FLAGS : TUN_NL_DEL_FLAGS, seq);
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = pfx->ip.family;
	ifa.ifa_prefixlen = pfx->len;
	ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	ifa.ifa_index = ifindex;
	wire_wr_bytes(&w, &ifa, sizeof(ifa));
	tun_nlb_attr(&w, IFA_LOCAL, pfx->ip.addr, alen);
	tun_nlb_attr(&w, IFA_ADDRESS, pfx->ip.addr, alen);
	return tun_nlb_end(&w, at, len);
}

int
tun_nlmsg_route(uint8_t *buf, size_t cap, size_t *len, uint16_t type,
    uint32_t seq, const struct tun_route *r)
{
	struct rtmsg rtm;
	struct wire_wr w;
	size_t at, alen;
	bool add = type == RTM_NEWROUTE;

	*len = 0;
	if (!tun_prefix_ok(&r->dst) || (!add && type != RTM_DELROUTE))
		return IR_ERR_CONFIG;
	alen = tun_ip_len(r->dst.ip.family);
	if (r->gw.family != 0 && r->gw.family != r->dst.ip.family)
		return IR_ERR_CONFIG;

	wire_wr_init(&w, buf, cap);
	at = tun_nlb_begin(&w, type, add ? TUN_NL_ADD_FLAGS :
	    TUN_NL_DEL_FLAGS, seq);
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = r->dst.ip.family;
	rtm.rtm_dst_len = r->dst.len;
	rtm.rtm_table = RT_TABLE_MAIN;
	rtm.rtm_protocol = TUN_NL_RTPROT;
	rtm.rtm_type = RTN_UNICAST;
	if (!add)
		rtm.rtm_scope = RT_SCOPE_NOWHERE;
	else if (r->gw.family == 0)
		rtm.rtm_scope = RT_SCOPE_LINK;	/* "dev tun0": on-link */
	else
		rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	wire_wr_bytes(&w, &rtm, sizeof(rtm));
	if (r->dst.len != 0)
		tun_nlb_attr(&w, RTA_DST, r->dst.ip.addr, alen);
	if (r->gw.family != 0)
		tun_nlb_attr(&w, RTA_GATEWAY, r->gw.addr, alen);
	if (r->ifindex != 0)
		tun_nlb_attr_u32(&w, RTA_OIF, r->ifindex);
	if (r->metric != 0)
		tun_nlb_attr_u32(&w, RTA_PRIORITY, r->metric);
	return tun_nlb_end(&w, at, len);
}

int
tun_nlmsg_route_get(uint8_t *buf, size_t cap, size_t *len, uint32_t seq,
    const struct tun_ip *dst)
{
	struct rtmsg rtm;
	struct wire_wr w;
	size_t at, alen;

	*len = 0;
	if ((alen = tun_ip_len(dst->family)) == 0)
		return IR_ERR_CONFIG;
	wire_wr_init(&w, buf, cap);
	at = tun_nlb_begin(&w, RTM_GETROUTE, NLM_F_REQUEST, seq);
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = dst->family;
	rtm.rtm_dst_len = (unsigned char)(alen * 8);
	wire_wr_bytes(&w, &rtm, sizeof(rtm));
	tun_nlb_attr(&w, RTA_DST, dst->addr, alen);
	return tun_nlb_end(&w, at, len);
}

int
tun_nlmsg_dump(uint8_t *buf, size_t cap, size_t *len, uint16_t type,
    uint32_t seq, int family)
{
	struct rtmsg rtm;
	struct ndmsg ndm;
	struct wire_wr w;
	size_t at;

	*len = 0;
	if (tun_ip_len(family) == 0)
		return IR_ERR_CONFIG;
	wire_wr_init(&w, buf, cap);
	at = tun_nlb_begin(&w, type, NLM_F_REQUEST | NLM_F_DUMP, seq);
	if (type == RTM_GETROUTE) {
		memset(&rtm, 0, sizeof(rtm));
		rtm.rtm_family = (unsigned char)family;
		wire_wr_bytes(&w, &rtm, sizeof(rtm));
	} else if (type == RTM_GETNEIGH) {
		memset(&ndm, 0, sizeof(ndm));
		ndm.ndm_family = (unsigned char)family;
		wire_wr_bytes(&w, &ndm, sizeof(ndm));
	} else
		return IR_ERR_CONFIG;
	return tun_nlb_end(&w, at, len);
}

/* ---- parsers --------------------------------------------------------- */

int
tun_nlmsg_next(const uint8_t **p, size_t *left, struct tun_nlmsg *m)
{
	struct nlmsghdr h;
	size_t step;

	if (*left == 0)
		return 0;
	if (*left < sizeof(h))
		return IR_ERR_MALFORMED;
	memcpy(&h, *p, sizeof(h));
	if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > *left)
		return IR_ERR_MALFORMED;
	m->type = h.nlmsg_type;
	m->flags = h.nlmsg_flags;
	m->seq = h.nlmsg_seq;
	m->pid = h.nlmsg_pid;
	m->body = *p + sizeof(h);
	m->body_len = h.nlmsg_len - sizeof(h);
	/* The last message of a datagram may lack its alignment padding. */
	step = NLMSG_ALIGN(h.nlmsg_len);
	if (step > *left)
		step = *left;
	*p += step;
	*left -= step;
	return 1;
}

int
tun_nlmsg_error(const struct tun_nlmsg *m, int *error)
{
	int e;

	if (m->type != NLMSG_ERROR || m->body_len < sizeof(e))
		return IR_ERR_MALFORMED;
	memcpy(&e, m->body, sizeof(e));
	if (e > 0 || e < -4095)		/* not an errno: never from Linux */
		return IR_ERR_MALFORMED;
	*error = e;
	return 0;
}

/* Walk the attributes after a family header of |hdr_len| octets. */
struct tun_nla {
	const uint8_t	*p;
	size_t		 left;
};

static int
tun_nla_init(struct tun_nla *it, const struct tun_nlmsg *m, size_t hdr_len)
{
	size_t skip = NLMSG_ALIGN(hdr_len);

	if (m->body_len < hdr_len)
		return IR_ERR_MALFORMED;
	if (skip > m->body_len)
		skip = m->body_len;
	it->p = m->body + skip;
	it->left = m->body_len - skip;
	return 0;
}

/* 1 with the next attribute, 0 at the end, IR_ERR_MALFORMED. */
static int
tun_nla_next(struct tun_nla *it, uint16_t *type, const uint8_t **data,
    size_t *n)
{
	struct rtattr a;
	size_t step;

	if (it->left == 0)
		return 0;
	if (it->left < sizeof(a))
		return IR_ERR_MALFORMED;
	memcpy(&a, it->p, sizeof(a));
	if (a.rta_len < sizeof(a) || a.rta_len > it->left)
		return IR_ERR_MALFORMED;
	*type = a.rta_type & NLA_TYPE_MASK;
	*data = it->p + sizeof(a);
	*n = a.rta_len - sizeof(a);
	step = RTA_ALIGN(a.rta_len);
	if (step > it->left)
		step = it->left;
	it->p += step;
	it->left -= step;
	return 1;
}

/* An address attribute must be exactly the family's length. */
static int
tun_nla_ip(struct tun_ip *ip, int family, const uint8_t *data, size_t n)
{
	size_t want = tun_ip_len(family);

	if (want == 0 || n != want)
		return IR_ERR_MALFORMED;
	memset(ip, 0, sizeof(*ip));
	ip->family = (uint8_t)family;
	memcpy(ip->addr, data, n);
	return 0;
}

static int
tun_nla_u32(uint32_t *v, const uint8_t *data, size_t n)
{
	if (n != sizeof(*v))
		return IR_ERR_MALFORMED;
	memcpy(v, data, sizeof(*v));
	return 0;
}

int
tun_nlmsg_parse_route(const struct tun_nlmsg *m, struct tun_nl_rtinfo *out)
{
	struct rtmsg rtm;
	struct tun_nla it;
	const uint8_t *data;
	uint16_t type;
	size_t n;
	int rv;

	memset(out, 0, sizeof(*out));
	if (m->type != RTM_NEWROUTE || tun_nla_init(&it, m, sizeof(rtm)) != 0)
		return IR_ERR_MALFORMED;
	memcpy(&rtm, m->body, sizeof(rtm));
	if (tun_ip_len(rtm.rtm_family) == 0 ||
	    rtm.rtm_dst_len > tun_ip_len(rtm.rtm_family) * 8)
		return IR_ERR_MALFORMED;
	out->route.dst.ip.family = rtm.rtm_family;
	out->route.dst.len = rtm.rtm_dst_len;
	out->table = rtm.rtm_table;
	out->type = rtm.rtm_type;

	while ((rv = tun_nla_next(&it, &type, &data, &n)) == 1) {
		switch (type) {
		case RTA_DST:
			rv = tun_nla_ip(&out->route.dst.ip, rtm.rtm_family,
			    data, n);
			break;
		case RTA_GATEWAY:
			rv = tun_nla_ip(&out->route.gw, rtm.rtm_family, data,
			    n);
			break;
		case RTA_OIF:
			rv = tun_nla_u32(&out->route.ifindex, data, n);
			break;
		case RTA_PRIORITY:
			rv = tun_nla_u32(&out->route.metric, data, n);
			break;
		case RTA_TABLE:		/* tables above 255 live only here */
			rv = tun_nla_u32(&out->table, data, n);
			break;
		default:
			rv = 0;		/* RTA_PREFSRC, RTA_CACHEINFO, ... */
		}
		if (rv != 0)
			return rv;
	}
	return rv;
}

int
tun_nlmsg_parse_neigh(const struct tun_nlmsg *m, struct tun_nl_neigh *out)
{
	struct ndmsg ndm;
	struct tun_nla it;
	const uint8_t *data;
	uint16_t type;
	size_t n;
	int rv;

	memset(out, 0, sizeof(*out));
	if (m->type != RTM_NEWNEIGH || tun_nla_init(&it, m, sizeof(ndm)) != 0)
		return IR_ERR_MALFORMED;
	memcpy(&ndm, m->body, sizeof(ndm));
	out->ifindex = ndm.ndm_ifindex > 0 ? (uint32_t)ndm.ndm_ifindex : 0;
	out->state = ndm.ndm_state;

	while ((rv = tun_nla_next(&it, &type, &data, &n)) == 1) {
		if (type == NDA_DST)
			rv = tun_nla_ip(&out->ip, ndm.ndm_family, data, n);
		else if (type == NDA_LLADDR) {
			out->lladdr = data;
			out->lladdr_len = n;
			rv = 0;
		} else
			rv = 0;
		if (rv != 0)
			return rv;
	}
	return rv;
}
