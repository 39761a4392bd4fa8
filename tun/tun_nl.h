/*
 * tun/tun_nl.h: rtnetlink message builders and parsers (internal to tun/
 * and its tests).  Pure: they fill or read a caller's buffer and never
 * touch a socket, so tests compare their bytes without root.
 *
 * rtnetlink (rtnetlink(7)) is host byte order and 4-octet aligned:
 *
 *   struct nlmsghdr   16  len, type, flags, seq, pid
 *   family header         ifaddrmsg 8 | rtmsg 12 | ndmsg 12
 *   attributes            { u16 rta_len, u16 rta_type, payload, pad to 4 }
 *
 * Builders write through common/wire.h's writer (raw bytes, sticky
 * overflow) and return IR_ERR_NOBUF when |cap| is too small.  Parsers
 * check every length against what is left before they read it, and copy
 * headers out with memcpy: nothing is cast onto the received bytes.
 */
#ifndef TUN_TUN_NL_H
#define TUN_TUN_NL_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "tun/tun.h"

/* Flags of requests that change state; dumps and gets differ. */
#define TUN_NL_ADD_FLAGS	(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | \
				 NLM_F_EXCL)
#define TUN_NL_DEL_FLAGS	(NLM_F_REQUEST | NLM_F_ACK)

/* Our routes carry this protocol, so "ip route" shows who added them. */
#define TUN_NL_RTPROT		RTPROT_STATIC

/*
 * RTM_NEWADDR or RTM_DELADDR for |pfx| on |ifindex|, with IFA_LOCAL and
 * IFA_ADDRESS both |pfx->ip| as "ip addr add" sends them (on a point-to-
 * point link IFA_ADDRESS is the peer; the same address means none).
 */
int	tun_nlmsg_addr(uint8_t *buf, size_t cap, size_t *len, uint16_t type,
	    uint32_t seq, uint32_t ifindex, const struct tun_prefix *pfx);

/*
 * RTM_NEWROUTE or RTM_DELROUTE in the main table: rtmsg, then RTA_DST
 * (when the prefix length is not 0), RTA_GATEWAY, RTA_OIF, RTA_PRIORITY
 * (each when set).  A new route without a gateway has link scope; a
 * delete uses RT_SCOPE_NOWHERE, which matches any scope.
 */
int	tun_nlmsg_route(uint8_t *buf, size_t cap, size_t *len, uint16_t type,
	    uint32_t seq, const struct tun_route *r);

/* RTM_GETROUTE for one destination: the kernel answers one RTM_NEWROUTE. */
int	tun_nlmsg_route_get(uint8_t *buf, size_t cap, size_t *len,
	    uint32_t seq, const struct tun_ip *dst);

/* RTM_GETROUTE or RTM_GETNEIGH dump of one |family|. */
int	tun_nlmsg_dump(uint8_t *buf, size_t cap, size_t *len, uint16_t type,
	    uint32_t seq, int family);

/*
 * One request to the kernel on NETLINK_ROUTE socket |fd|; one datagram
 * from it into |buf| (datagrams from other ports are skipped, a bounded
 * number of times).  0, or -errno (-ETIMEDOUT on a receive time-out,
 * -EMSGSIZE when the datagram did not fit).
 */
int	tun_nl_fd_send(int fd, const uint8_t *msg, size_t len);
int	tun_nl_fd_recv(int fd, uint8_t *buf, size_t cap, size_t *len);

/* One message out of a received buffer. */
struct tun_nlmsg {
	uint16_t	type;
	uint16_t	flags;
	uint32_t	seq;
	uint32_t	pid;
	const uint8_t	*body;		/* after the nlmsghdr */
	size_t		 body_len;
};

/*
 * Take the next message off |*p| / |*left|.  1 with |m| filled, 0 at the
 * end, IR_ERR_MALFORMED when a length does not fit (stop reading).
 */
int	tun_nlmsg_next(const uint8_t **p, size_t *left, struct tun_nlmsg *m);

/* The error code of an NLMSG_ERROR body: 0 (an ACK) or -errno. */
int	tun_nlmsg_error(const struct tun_nlmsg *m, int *error);

/* Facts from an RTM_NEWROUTE message (a reply or a dump entry). */
struct tun_nl_rtinfo {
	struct tun_route route;
	uint32_t	table;
	uint8_t		type;		/* RTN_UNICAST, ... */
};

/* Parse an RTM_NEWROUTE body: 0 or IR_ERR_MALFORMED. */
int	tun_nlmsg_parse_route(const struct tun_nlmsg *m,
	    struct tun_nl_rtinfo *out);

struct tun_nl_neigh {
	struct tun_ip	ip;
	uint32_t	ifindex;
	uint16_t	state;		/* NUD_* */
	const uint8_t	*lladdr;	/* into the message; NULL: none */
	size_t		 lladdr_len;
};

/* Parse an RTM_NEWNEIGH body: 0 or IR_ERR_MALFORMED. */
int	tun_nlmsg_parse_neigh(const struct tun_nlmsg *m,
	    struct tun_nl_neigh *out);

/* The address length of |family| (4, 16), or 0 when it is neither. */
size_t	tun_ip_len(int family);

#endif
