/*
 * src/netwatch.c: the rtnetlink side of roaming (see netwatch.h): the one
 * file that holds a netlink socket for it.  The messages themselves are
 * built and parsed by the pure src/rtnl_route.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "common/ir_err.h"
#include "src/log.h"
#include "src/netwatch.h"
#include "src/rtnl_route.h"

/* 32 KiB: the largest datagram the kernel builds for a dump. */
#define NW_BUF		32768
#define NW_READ_BUDGET	256	/* datagrams per wakeup of the poll */
#define NW_DUMP_MAX	16384	/* datagrams of one dump, at most */
#define NW_RCVBUF	(1 << 20)	/* subscription socket: fewer overruns */

struct netwatch {
	uv_loop_t	*loop;
	uv_poll_t	 poll;		/* the subscription socket */
	uv_timer_t	 timer;		/* debounce and retry */
	int		 sub_fd;
	int		 req_fd;	/* synchronous queries */
	uint32_t	 seq;
	uint8_t		 family;	/* of the gateway */
	uint8_t		 gw[16];
	unsigned	 exclude;
	bool		 pending;	/* the debounce timer runs */
	uint64_t	 pending_since;	/* uv_now() of its first message */
	bool		 closing;
	int		 open_handles;
	struct net_path	 last;
	netwatch_cb	 changed;
	void		*ud;
	void		(*done)(void *ud);
	void		*done_ud;
	uint8_t		 buf[NW_BUF];
};

/* ---- addresses ------------------------------------------------------- */

static int
nw_gw_from_sockaddr(const struct sockaddr *sa, uint8_t *family,
    uint8_t *addr)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;

	memset(addr, 0, 16);
	if (sa == NULL)
		return IR_ERR_CONFIG;
	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)(const void *)sa;
		*family = AF_INET;
		memcpy(addr, &sin->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			*family = AF_INET;
			memcpy(addr, sin6->sin6_addr.s6_addr + 12, 4);
		} else {
			*family = AF_INET6;
			memcpy(addr, &sin6->sin6_addr, 16);
		}
		return 0;
	}
	return IR_ERR_CONFIG;
}

static bool
nw_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

bool
net_path_same(const struct net_path *a, const struct net_path *b)
{
	if (!a->valid || !b->valid)
		return a->valid == b->valid;
	return a->family == b->family && a->ifindex == b->ifindex &&
	    memcmp(a->src, b->src, sizeof(a->src)) == 0 &&
	    a->has_via == b->has_via &&
	    memcmp(a->via, b->via, sizeof(a->via)) == 0;
}

const char *
net_path_str(const struct net_path *p, char *buf, size_t cap)
{
	char src[INET6_ADDRSTRLEN], via[INET6_ADDRSTRLEN];

	if (cap == 0)
		return buf;
	if (!p->valid) {
		snprintf(buf, cap, "offline");
		return buf;
	}
	if (inet_ntop(p->family, p->src, src, sizeof(src)) == NULL)
		snprintf(src, sizeof(src), "?");
	if (!p->has_via)
		snprintf(via, sizeof(via), "on-link");
	else if (inet_ntop(p->family, p->via, via, sizeof(via)) == NULL)
		snprintf(via, sizeof(via), "?");
	snprintf(buf, cap, "%s %s%s%s", p->ifname[0] ? p->ifname : "?", src,
	    p->has_via ? " via " : " ", via);
	return buf;
}

/* ---- synchronous queries --------------------------------------------- */

static int
nw_open_socket(int *fd, bool nonblock)
{
	struct sockaddr_nl sa;
	int rv;

	*fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC |
	    (nonblock ? SOCK_NONBLOCK : 0), NETLINK_ROUTE);
	if (*fd < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;	/* nl_pid 0: the kernel picks a port */
	if (bind(*fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rv = -errno;
		close(*fd);
		*fd = -1;
		return rv;
	}
	return 0;
}

/*
 * Send a request and read the answers carrying |seq| until NLMSG_DONE
 * (a dump), NLMSG_ERROR, or, with |one|, the first RTM_NEWROUTE.  Each
 * route goes to |fn|.  Answers of older requests (a timed-out query's)
 * are skipped by their sequence number.
 */
static int
nw_transact(struct netwatch *nw, const uint8_t *req, size_t req_len,
    uint32_t seq, bool one, void (*fn)(void *, const struct rtnl_route *),
    void *arg)
{
	struct rtnl_route r;
	struct tun_nlmsg m;
	const uint8_t *p;
	size_t left;
	int rv, err, n;

	if ((rv = tun_nl_fd_send(nw->req_fd, req, req_len)) != 0)
		return rv;
	for (n = 0; n < NW_DUMP_MAX; n++) {
		if ((rv = tun_nl_fd_recv(nw->req_fd, nw->buf, sizeof(nw->buf), &left)) != 0)
			return rv;
		p = nw->buf;
		while ((rv = tun_nlmsg_next(&p, &left, &m)) == 1) {
			if (m.seq != seq)
				continue;
			if (m.type == NLMSG_DONE)
				return 0;
			if (m.type == NLMSG_ERROR)
				return tun_nlmsg_error(&m, &err) == 0 ? err :
				    IR_ERR_MALFORMED;
			if (m.type != RTM_NEWROUTE)
				continue;
			if (rtnl_route_parse(&m, &r) != 0) {
				log_debug("netwatch: malformed route skipped");
				continue;
			}
			fn(arg, &r);
			if (one)
				return 0;
		}
		if (rv < 0)
			return rv;
	}
	return -EMSGSIZE;
}

static void
nw_choose_cb(void *arg, const struct rtnl_route *r)
{
	rtnl_choose_add(arg, r);
}

static void
nw_copy_cb(void *arg, const struct rtnl_route *r)
{
	memcpy(arg, r, sizeof(*r));
}

/* The path now, by the two steps of netwatch.h.  0 or -errno. */
static int
nw_compute(struct netwatch *nw, struct net_path *out)
{
	struct rtnl_choice c;
	struct rtnl_route r;
	uint8_t req[RTNL_REQ_MAX];
	uint32_t ex = nw->exclude;
	size_t len, alen = rtnl_alen(nw->family);
	int rv;

	memset(out, 0, sizeof(*out));
	out->family = nw->family;
	rtnl_choose_init(&c, nw->family, nw->gw, &ex, 1);
	if ((rv = tun_nlmsg_dump(req, sizeof(req), &len, RTM_GETROUTE,
	    ++nw->seq, nw->family)) != 0 ||
	    (rv = nw_transact(nw, req, len, nw->seq, false, nw_choose_cb,
	    &c)) != 0)
		return rv;
	if (rtnl_choose_result(&c) != 0)
		return 0;		/* offline */

	memset(&r, 0, sizeof(r));
	if ((rv = rtnl_req_get(req, sizeof(req), &len, ++nw->seq, nw->family,
	    nw->gw, c.oif)) != 0)
		return rv;
	rv = nw_transact(nw, req, len, nw->seq, true, nw_copy_cb, &r);
	if (rv == -ENETUNREACH || rv == -EHOSTUNREACH || rv == -EINVAL ||
	    rv == -ENODEV || rv == -EACCES || rv == -EPERM)
		return 0;		/* the kernel has no way there: offline */
	if (rv != 0)
		return rv;
	if (r.family != nw->family || r.type != RTN_UNICAST || r.n_nh == 0 ||
	    r.nh[0].oif == 0 || !r.has_prefsrc || nw_zero(r.prefsrc, alen))
		return 0;
	out->valid = true;
	out->ifindex = r.nh[0].oif;
	memcpy(out->src, r.prefsrc, alen);
	if (r.nh[0].has_gw) {
		out->has_via = true;
		memcpy(out->via, r.nh[0].gw, alen);
	}
	if (if_indextoname(out->ifindex, out->ifname) == NULL)
		out->ifname[0] = '\0';
	return 0;
}

/* ---- the subscription and the debounce ------------------------------- */

static void nw_on_timer(uv_timer_t *t);

/* Something changed: (re)start the quiet period, bounded in total. */
static void
nw_schedule(struct netwatch *nw)
{
	uint64_t now = uv_now(nw->loop);

	if (nw->closing)
		return;
	if (!nw->pending) {
		nw->pending = true;
		nw->pending_since = now;
	} else if (now - nw->pending_since >= NETWATCH_MAX_DELAY_MS)
		return;			/* it fires soon: do not postpone */
	uv_timer_start(&nw->timer, nw_on_timer, NETWATCH_DEBOUNCE_MS, 0);
}

static void
nw_on_timer(uv_timer_t *t)
{
	struct netwatch *nw = t->data;
	struct net_path now, before;
	char a[96], b[96];
	int rv;

	nw->pending = false;
	if (nw->closing)
		return;
	if ((rv = nw_compute(nw, &now)) != 0) {
		log_debug("netwatch: route query failed: %s; again in %d ms",
		    ir_strerror(rv), NETWATCH_RETRY_MS);
		uv_timer_start(&nw->timer, nw_on_timer, NETWATCH_RETRY_MS, 0);
		return;
	}
	if (net_path_same(&now, &nw->last))
		return;
	before = nw->last;
	nw->last = now;
	log_debug("netwatch: path %s -> %s", net_path_str(&before, b,
	    sizeof(b)), net_path_str(&now, a, sizeof(a)));
	if (nw->changed != NULL)
		nw->changed(nw->ud, &now, &before);	/* may close |nw| */
}

static void
nw_on_readable(uv_poll_t *h, int status, int events)
{
	struct netwatch *nw = h->data;
	ssize_t n;
	int i;
	bool any = false;

	(void)events;
	if (status < 0) {
		log_debug("netwatch: poll: %s", uv_strerror(status));
		nw_schedule(nw);
		return;
	}
	/* The content does not matter: any change may move our path, and
	 * the recomputation tells.  MSG_TRUNC: a long message still counts. */
	for (i = 0; i < NW_READ_BUDGET; i++) {
		n = recv(nw->sub_fd, nw->buf, sizeof(nw->buf), MSG_DONTWAIT);
		if (n >= 0) {
			any = true;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == ENOBUFS) {	/* overrun: messages were lost */
			log_debug("netwatch: netlink overrun, recomputing");
			any = true;
			continue;
		}
		if (errno != EAGAIN)
			log_debug("netwatch: recv: %s", strerror(errno));
		break;
	}
	if (any)
		nw_schedule(nw);
}

static int
nw_subscribe(int fd)
{
	static const int groups[] = {
		RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
		RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,
	};
	int size = NW_RCVBUF;
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		    &groups[i], sizeof(groups[i])) < 0)
			return -errno;
	/* Best effort: the limit is net.core.rmem_max. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

/* ---- life cycle ------------------------------------------------------ */

int
netwatch_new(struct netwatch **out, uv_loop_t *loop,
    const struct sockaddr *gw, netwatch_cb changed, void *ud)
{
	struct netwatch *nw;
	struct timeval tv = { .tv_sec = 1 };
	int rv;

	*out = NULL;
	if ((nw = calloc(1, sizeof(*nw))) == NULL)
		return IR_ERR_NOMEM;
	nw->loop = loop;
	nw->changed = changed;
	nw->ud = ud;
	nw->sub_fd = nw->req_fd = -1;
	if ((rv = nw_gw_from_sockaddr(gw, &nw->family, nw->gw)) != 0)
		goto fail;
	if ((rv = nw_open_socket(&nw->req_fd, false)) != 0)
		goto fail;
	if (setsockopt(nw->req_fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) < 0) {
		rv = -errno;
		goto fail;
	}
	if ((rv = nw_open_socket(&nw->sub_fd, true)) != 0 ||
	    (rv = nw_subscribe(nw->sub_fd)) != 0)
		goto fail;
	if ((rv = uv_poll_init(loop, &nw->poll, nw->sub_fd)) != 0)
		goto fail;
	nw->poll.data = nw;
	(void)uv_timer_init(loop, &nw->timer);	/* cannot fail */
	nw->timer.data = nw;
	nw->open_handles = 2;
	if ((rv = uv_poll_start(&nw->poll, UV_READABLE, nw_on_readable)) != 0) {
		netwatch_close(nw, NULL, NULL);
		return rv;
	}
	/* Subscribed first, then computed: no change falls in between. */
	if ((rv = nw_compute(nw, &nw->last)) != 0) {
		log_debug("netwatch: first route query failed: %s",
		    ir_strerror(rv));
		nw_schedule(nw);
	}
	*out = nw;
	return 0;
fail:
	if (nw->sub_fd >= 0)
		close(nw->sub_fd);
	if (nw->req_fd >= 0)
		close(nw->req_fd);
	free(nw);
	return rv;
}

void
netwatch_exclude_ifindex(struct netwatch *nw, unsigned ifindex)
{
	if (nw->exclude == ifindex)
		return;
	nw->exclude = ifindex;
	nw_schedule(nw);
}

int
netwatch_set_gateway(struct netwatch *nw, const struct sockaddr *gw)
{
	uint8_t family, addr[16];
	int rv;

	if ((rv = nw_gw_from_sockaddr(gw, &family, addr)) != 0)
		return rv;
	nw->family = family;
	memcpy(nw->gw, addr, sizeof(nw->gw));
	nw_schedule(nw);
	return 0;
}

int
netwatch_query(struct netwatch *nw, struct net_path *out)
{
	struct net_path p;
	int rv;

	if ((rv = nw_compute(nw, &p)) != 0) {
		*out = nw->last;
		return rv;
	}
	nw->last = p;
	*out = p;
	return 0;
}

const struct net_path *
netwatch_last(const struct netwatch *nw)
{
	return &nw->last;
}

static void
nw_on_close(uv_handle_t *h)
{
	struct netwatch *nw = h->data;

	if (--nw->open_handles > 0)
		return;
	/* The poll handle is closed: now the fd may go. */
	close(nw->sub_fd);
	close(nw->req_fd);
	if (nw->done != NULL)
		nw->done(nw->done_ud);
	free(nw);
}

void
netwatch_close(struct netwatch *nw, void (*done)(void *ud), void *ud)
{
	if (nw->closing)
		return;
	nw->closing = true;
	nw->done = done;
	nw->done_ud = ud;
	uv_close((uv_handle_t *)&nw->poll, nw_on_close);
	uv_close((uv_handle_t *)&nw->timer, nw_on_close);
}
