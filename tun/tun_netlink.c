/*
 * tun/tun_netlink.c: the built-in network setup over a NETLINK_ROUTE
 * socket (rtnetlink(7)), no libnl.  Messages come from the pure builders
 * of tun_nlmsg.c; this file sends them, waits for the kernel's answer,
 * and keeps the record of what we added so tun_nl_undo() can remove
 * exactly that and nothing else.
 *
 * The socket is blocking with a short receive timeout: the kernel answers
 * rtnetlink requests synchronously, and these calls happen at connect and
 * disconnect time, never per packet.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "common/ir_err.h"
#include "tun/tun_nl.h"

/* Called for each message of a dump; nonzero stops the walk. */
typedef int (*tun_nl_dump_fn)(void *ud, const struct tun_nlmsg *m);

void
tun_nl_init(struct tun_nl *nl)
{
	nl->fd = -1;
	nl->seq = 0;
	nl->n_undo = 0;
}

int
tun_nl_open(struct tun_nl *nl)
{
	struct sockaddr_nl sa;
	struct timeval tv = { .tv_sec = 1 };
	int rv;

	tun_nl_init(nl);
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;	/* nl_pid 0: the kernel picks a port */
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		rv = -errno;
		tun_nl_close(nl);
		return rv;
	}
	return 0;
}

void
tun_nl_close(struct tun_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int
tun_nl_fd_send(int fd, const uint8_t *msg, size_t len)
{
	struct sockaddr_nl sa;
	ssize_t n;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	do
		n = sendto(fd, msg, len, 0, (struct sockaddr *)&sa,
		    sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int
tun_nl_fd_recv(int fd, uint8_t *buf, size_t cap, size_t *len)
{
	struct sockaddr_nl sa;
	struct iovec iov = { buf, cap };
	struct msghdr mh;
	ssize_t n;
	int tries;

	for (tries = 0; tries < 64; tries++) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &sa;
		mh.msg_namelen = sizeof(sa);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		n = recvmsg(fd, &mh, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (mh.msg_namelen == sizeof(sa) && sa.nl_pid == 0) {
			*len = (size_t)n;	/* only the kernel (port 0) */
			return 0;
		}
	}
	return -EIO;
}

/*
 * Send |msg| and read until the NLMSG_ERROR carrying our sequence (an ACK
 * is an error of 0), or NLMSG_DONE of a dump.  Other messages with our
 * sequence go to |fn|.
 */
static int
tun_nl_transact(struct tun_nl *nl, const uint8_t *msg, size_t len,
    uint32_t seq, tun_nl_dump_fn fn, void *ud)
{
	struct tun_nlmsg m;
	const uint8_t *p;
	size_t left;
	int rv, err, stop = 0;	/* |fn| had enough: drain quietly */

	if ((rv = tun_nl_fd_send(nl->fd, msg, len)) != 0)
		return rv;
	for (;;) {
		if ((rv = tun_nl_fd_recv(nl->fd, nl->buf, sizeof(nl->buf), &left)) != 0)
			return rv;
		p = nl->buf;
		while ((rv = tun_nlmsg_next(&p, &left, &m)) == 1) {
			if (m.seq != seq)
				continue;	/* late: an old request's */
			if (m.type == NLMSG_DONE)
				return 0;
			if (m.type == NLMSG_ERROR)
				return tun_nlmsg_error(&m, &err) == 0 ?
				    err : IR_ERR_MALFORMED;
			if (fn != NULL && stop == 0)
				stop = fn(ud, &m);
		}
		if (rv < 0)
			return rv;
	}
}

static uint32_t
tun_nl_seq(struct tun_nl *nl)
{
	return ++nl->seq;
}

/* ---- the undo record ------------------------------------------------- */

static bool
tun_undo_same(const struct tun_nl_undo *u, uint8_t kind,
    const struct tun_route *r)
{
	return u->kind == kind && memcmp(&u->r, r, sizeof(*r)) == 0;
}

static void
tun_undo_forget(struct tun_nl *nl, uint8_t kind, const struct tun_route *r)
{
	size_t i;

	for (i = nl->n_undo; i-- > 0;)
		if (tun_undo_same(&nl->undo[i], kind, r)) {
			memmove(&nl->undo[i], &nl->undo[i + 1],
			    (nl->n_undo - i - 1) * sizeof(nl->undo[0]));
			nl->n_undo--;
			return;
		}
}

/* A canonical copy, so that records compare with memcmp. */
static void
tun_route_canon(struct tun_route *dst, const struct tun_route *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->dst.ip.family = src->dst.ip.family;
	memcpy(dst->dst.ip.addr, src->dst.ip.addr,
	    tun_ip_len(src->dst.ip.family));
	dst->dst.len = src->dst.len;
	dst->gw.family = src->gw.family;
	memcpy(dst->gw.addr, src->gw.addr, tun_ip_len(src->gw.family));
	dst->ifindex = src->ifindex;
	dst->metric = src->metric;
}

/* Send an add; on success record it for tun_nl_undo(). */
static int
tun_nl_add(struct tun_nl *nl, uint8_t kind, const struct tun_route *r)
{
	uint8_t msg[256];
	size_t len;
	uint32_t seq = tun_nl_seq(nl);
	int rv;

	if (nl->n_undo == TUN_NL_UNDO_MAX)
		return IR_ERR_NOBUF;
	if (kind == TUN_UNDO_ADDR)
		rv = tun_nlmsg_addr(msg, sizeof(msg), &len, RTM_NEWADDR, seq,
		    r->ifindex, &r->dst);
	else
		rv = tun_nlmsg_route(msg, sizeof(msg), &len, RTM_NEWROUTE,
		    seq, r);
	if (rv == 0)
		rv = tun_nl_transact(nl, msg, len, seq, NULL, NULL);
	if (rv != 0)
		return rv;
	nl->undo[nl->n_undo].kind = kind;
	tun_route_canon(&nl->undo[nl->n_undo].r, r);
	nl->n_undo++;
	return 0;
}

static int
tun_nl_del(struct tun_nl *nl, uint8_t kind, const struct tun_route *r)
{
	uint8_t msg[256];
	size_t len;
	uint32_t seq = tun_nl_seq(nl);
	int rv;

	if (kind == TUN_UNDO_ADDR)
		rv = tun_nlmsg_addr(msg, sizeof(msg), &len, RTM_DELADDR, seq,
		    r->ifindex, &r->dst);
	else
		rv = tun_nlmsg_route(msg, sizeof(msg), &len, RTM_DELROUTE,
		    seq, r);
	if (rv == 0)
		rv = tun_nl_transact(nl, msg, len, seq, NULL, NULL);
	return rv;
}

int
tun_addr_add(struct tun_nl *nl, uint32_t ifindex, const struct tun_prefix *pfx)
{
	struct tun_route r;

	memset(&r, 0, sizeof(r));
	r.dst = *pfx;
	r.ifindex = ifindex;
	return tun_nl_add(nl, TUN_UNDO_ADDR, &r);
}

int
tun_addr_del(struct tun_nl *nl, uint32_t ifindex, const struct tun_prefix *pfx)
{
	struct tun_route r, c;
	int rv;

	memset(&r, 0, sizeof(r));
	r.dst = *pfx;
	r.ifindex = ifindex;
	rv = tun_nl_del(nl, TUN_UNDO_ADDR, &r);
	tun_route_canon(&c, &r);
	tun_undo_forget(nl, TUN_UNDO_ADDR, &c);
	return rv;
}

int
tun_route_add(struct tun_nl *nl, const struct tun_route *r)
{
	return tun_nl_add(nl, TUN_UNDO_ROUTE, r);
}

int
tun_route_del(struct tun_nl *nl, const struct tun_route *r)
{
	struct tun_route c;
	int rv;

	rv = tun_nl_del(nl, TUN_UNDO_ROUTE, r);
	tun_route_canon(&c, r);
	tun_undo_forget(nl, TUN_UNDO_ROUTE, &c);
	return rv;
}

int
tun_route_add_default(struct tun_nl *nl, uint32_t ifindex, int family)
{
	struct tun_route half[2];
	size_t i;
	int rv;

	if (tun_ip_len(family) == 0)
		return IR_ERR_CONFIG;
	/* 0.0.0.0/1 + 128.0.0.0/1, or ::/1 + 8000::/1: the top bit 0 and 1. */
	memset(half, 0, sizeof(half));
	for (i = 0; i < 2; i++) {
		half[i].dst.ip.family = (uint8_t)family;
		half[i].dst.len = 1;
		half[i].ifindex = ifindex;
	}
	half[1].dst.ip.addr[0] = 0x80;
	if ((rv = tun_route_add(nl, &half[0])) != 0)
		return rv;
	if ((rv = tun_route_add(nl, &half[1])) != 0)
		(void)tun_route_del(nl, &half[0]);	/* all or nothing */
	return rv;
}

/* ---- look-ups --------------------------------------------------------- */

int
tun_route_lookup(struct tun_nl *nl, const struct tun_ip *dst,
    struct tun_route *out)
{
	struct tun_nl_rtinfo info;
	struct tun_nlmsg m;
	const uint8_t *p;
	uint8_t msg[128];
	size_t len, left;
	uint32_t seq = tun_nl_seq(nl);
	int rv;

	memset(out, 0, sizeof(*out));
	if ((rv = tun_nlmsg_route_get(msg, sizeof(msg), &len, seq, dst)) != 0 ||
	    (rv = tun_nl_fd_send(nl->fd, msg, len)) != 0)
		return rv;
	/* Without NLM_F_ACK the answer is one RTM_NEWROUTE or an error. */
	for (;;) {
		if ((rv = tun_nl_fd_recv(nl->fd, nl->buf, sizeof(nl->buf), &left)) != 0)
			return rv;
		p = nl->buf;
		while ((rv = tun_nlmsg_next(&p, &left, &m)) == 1) {
			if (m.seq != seq)
				continue;
			if (m.type == NLMSG_ERROR) {
				if (tun_nlmsg_error(&m, &rv) != 0)
					return IR_ERR_MALFORMED;
				return rv != 0 ? rv : IR_ERR_NOT_FOUND;
			}
			if ((rv = tun_nlmsg_parse_route(&m, &info)) != 0)
				return rv;
			*out = info.route;
			return 0;
		}
		if (rv < 0)
			return rv;
	}
}

struct tun_defroute_ctx {
	struct tun_route best;
	bool		 found;
};

static int
tun_defroute_cb(void *ud, const struct tun_nlmsg *m)
{
	struct tun_defroute_ctx *c = ud;
	struct tun_nl_rtinfo info;

	/* An entry we cannot parse is someone else's business: skip it. */
	if (tun_nlmsg_parse_route(m, &info) != 0)
		return 0;
	if (info.route.dst.len != 0 || info.table != RT_TABLE_MAIN ||
	    info.type != RTN_UNICAST)
		return 0;
	if (!c->found || info.route.metric < c->best.metric) {
		c->best = info.route;
		c->found = true;
	}
	return 0;
}

int
tun_route_get_default(struct tun_nl *nl, int family, struct tun_route *out)
{
	struct tun_defroute_ctx c;
	uint8_t msg[64];
	size_t len;
	uint32_t seq = tun_nl_seq(nl);
	int rv;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if ((rv = tun_nlmsg_dump(msg, sizeof(msg), &len, RTM_GETROUTE, seq,
	    family)) != 0 ||
	    (rv = tun_nl_transact(nl, msg, len, seq, tun_defroute_cb, &c)) != 0)
		return rv;
	if (!c.found)
		return IR_ERR_NOT_FOUND;
	*out = c.best;
	return 0;
}

struct tun_host_ctx {
	const struct tun_route *mine;
	uint32_t	 skip;
	unsigned	 others;
};

static int
tun_host_cb(void *ud, const struct tun_nlmsg *m)
{
	struct tun_host_ctx *c = ud;
	const struct tun_route *me = c->mine;
	struct tun_nl_rtinfo info;
	const struct tun_route *r = &info.route;
	size_t alen = tun_ip_len(me->dst.ip.family);
	uint32_t metric = me->metric;

	if (tun_nlmsg_parse_route(m, &info) != 0 ||
	    info.table != RT_TABLE_MAIN || info.type != RTN_UNICAST ||
	    r->dst.ip.family != me->dst.ip.family ||
	    r->dst.len != alen * 8 ||
	    memcmp(r->dst.ip.addr, me->dst.ip.addr, alen) != 0 ||
	    r->ifindex == c->skip)
		return 0;
	if (metric == 0 && me->dst.ip.family == AF_INET6)
		metric = 1024;		/* IP6_RT_PRIO_USER */
	if (r->ifindex == me->ifindex && r->metric == metric &&
	    r->gw.family == me->gw.family &&
	    memcmp(r->gw.addr, me->gw.addr, tun_ip_len(r->gw.family)) == 0)
		return 0;
	c->others++;
	return 0;
}

int
tun_route_host_others(struct tun_nl *nl, const struct tun_route *mine,
    uint32_t skip_ifindex, unsigned *others)
{
	struct tun_host_ctx c = { mine, skip_ifindex, 0 };
	uint8_t msg[64];
	size_t len;
	uint32_t seq = tun_nl_seq(nl);
	int rv;

	*others = 0;
	if ((rv = tun_nlmsg_dump(msg, sizeof(msg), &len, RTM_GETROUTE, seq,
	    mine->dst.ip.family)) != 0 ||
	    (rv = tun_nl_transact(nl, msg, len, seq, tun_host_cb, &c)) != 0)
		return rv;
	*others = c.others;
	return 0;
}

struct tun_neigh_ctx {
	uint32_t	 ifindex;
	const struct tun_ip *ip;
	uint8_t		*mac;
	size_t		 cap, len;
	int		 rv;
};

static int
tun_neigh_cb(void *ud, const struct tun_nlmsg *m)
{
	struct tun_neigh_ctx *c = ud;
	struct tun_nl_neigh n;

	if (tun_nlmsg_parse_neigh(m, &n) != 0 || n.lladdr == NULL ||
	    n.ifindex != c->ifindex || n.ip.family != c->ip->family ||
	    memcmp(n.ip.addr, c->ip->addr, tun_ip_len(n.ip.family)) != 0)
		return 0;
	if (n.state & (NUD_FAILED | NUD_INCOMPLETE | NUD_NOARP))
		return 0;
	if (n.lladdr_len > c->cap) {
		c->rv = IR_ERR_NOBUF;
		return 1;
	}
	memcpy(c->mac, n.lladdr, n.lladdr_len);
	c->len = n.lladdr_len;
	c->rv = 0;
	return 1;
}

int
tun_neigh_lookup(struct tun_nl *nl, uint32_t ifindex, const struct tun_ip *ip,
    uint8_t *mac, size_t cap, size_t *len)
{
	struct tun_neigh_ctx c = { ifindex, ip, mac, cap, 0, IR_ERR_NOT_FOUND };
	uint8_t msg[64];
	size_t mlen;
	uint32_t seq = tun_nl_seq(nl);
	int rv;

	*len = 0;
	if ((rv = tun_nlmsg_dump(msg, sizeof(msg), &mlen, RTM_GETNEIGH, seq,
	    ip->family)) != 0)
		return rv;
	rv = tun_nl_transact(nl, msg, mlen, seq, tun_neigh_cb, &c);
	if (rv < 0)
		return rv;
	*len = c.len;
	return c.rv;
}

int
tun_netid_get(struct tun_nl *nl, int family, struct tun_netid *out)
{
	struct tun_route def;
	size_t maclen;
	int rv;

	memset(out, 0, sizeof(*out));
	if ((rv = tun_route_get_default(nl, family, &def)) != 0)
		return rv;
	if (def.gw.family == 0 || def.ifindex == 0)
		return IR_ERR_NOT_FOUND;	/* e.g. "default dev ppp0" */
	out->gw = def.gw;
	out->ifindex = def.ifindex;
	if (if_indextoname(def.ifindex, out->ifname) == NULL)
		return -errno;
	rv = tun_neigh_lookup(nl, def.ifindex, &def.gw, out->mac,
	    sizeof(out->mac), &maclen);
	if (rv == IR_ERR_NOT_FOUND)
		return 0;		/* not resolved yet: no MAC */
	if (rv != 0)
		return rv;
	out->mac_len = (uint8_t)maclen;
	return 0;
}

int
tun_route_add_gateway(struct tun_nl *nl, const struct tun_ip *gw)
{
	struct tun_route via, host;
	int rv;

	if ((rv = tun_route_lookup(nl, gw, &via)) != 0)
		return rv;
	memset(&host, 0, sizeof(host));
	host.dst.ip = *gw;
	host.dst.len = (uint8_t)(tun_ip_len(gw->family) * 8);
	host.gw = via.gw;		/* family 0: gateway on-link */
	host.ifindex = via.ifindex;
	rv = tun_route_add(nl, &host);
	return rv == -EEXIST ? 0 : rv;
}

/* Gone already counts as removed: the TUN took its routes with it. */
static bool
tun_nl_gone(int rv)
{
	return rv == -ENOENT || rv == -ESRCH || rv == -ENODEV ||
	    rv == -EADDRNOTAVAIL;
}

int
tun_nl_undo(struct tun_nl *nl)
{
	int rv, first = 0;

	while (nl->n_undo > 0) {
		const struct tun_nl_undo *u = &nl->undo[nl->n_undo - 1];

		rv = tun_nl_del(nl, u->kind, &u->r);
		if (rv != 0 && !tun_nl_gone(rv) && first == 0)
			first = rv;
		nl->n_undo--;
	}
	return first;
}
