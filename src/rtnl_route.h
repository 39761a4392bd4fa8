/*
 * src/rtnl_route.h: the routing questions src/netwatch.c asks the kernel,
 * as pure functions: build the rtnetlink requests (rtnetlink(7)), parse
 * the RTM_NEWROUTE answers, and choose the route a "physical" path to the
 * VPN gateway would use.  No sockets, no libuv, no allocation: tests feed
 * crafted bytes without root, and tests/fuzz/fuzz_rtnl.c feeds any bytes.
 *
 * rtnetlink is host byte order and 4-octet aligned:
 *
 *   struct nlmsghdr  16  len, type, flags, seq, pid
 *   struct rtmsg     12  family, dst_len, src_len, tos, table, protocol,
 *                        scope, type, flags
 *   attributes           { u16 rta_len, u16 rta_type, payload, pad to 4 }
 *
 * Every length is checked against what is left before it is used; headers
 * are copied out with memcpy, never cast onto the bytes.  Malformed input
 * gives IR_ERR_MALFORMED, never a crash.  (tun/tun_nlmsg.c holds builders
 * of the same shape for the network setup; this file is the read side
 * that roaming needs: prefsrc, multipath, flags, and the chooser.)
 */
#ifndef IR_SRC_RTNL_ROUTE_H
#define IR_SRC_RTNL_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tun/tun_nl.h"

#define RTNL_NH_MAX	8	/* nexthops kept from one RTA_MULTIPATH */

/* A request fits in this many octets. */
#define RTNL_REQ_MAX	64

/* RTM_GETROUTE for |addr| (4 or 16 octets by |family|), with RTA_OIF when
 * |oif| is not 0: "ip route get ADDR oif IF".  The kernel answers one
 * RTM_NEWROUTE: the route a socket bound to |oif| would take, with the
 * source address it would pick (RTA_PREFSRC).  0, IR_ERR_NOBUF, or
 * IR_ERR_CONFIG for a family that is neither AF_INET nor AF_INET6. */
int	rtnl_req_get(uint8_t *buf, size_t cap, size_t *len, uint32_t seq,
	    uint8_t family, const uint8_t *addr, uint32_t oif);

/* Dumps, the message iterator and NLMSG_ERROR come from tun/tun_nl.h
 * (tun_nlmsg_dump, tun_nlmsg_next, tun_nlmsg_error). */

struct rtnl_nexthop {
	uint32_t	oif;		/* 0: none given */
	uint8_t		flags;		/* RTNH_F_DEAD, RTNH_F_LINKDOWN, ... */
	bool		has_gw;
	uint8_t		gw[16];
};

/* The facts of one RTM_NEWROUTE (a dump entry or a get answer). */
struct rtnl_route {
	uint8_t		family;		/* AF_INET, AF_INET6 */
	uint8_t		dst_len;	/* prefix length; 0: default */
	uint8_t		dst[16];	/* all zero without RTA_DST */
	uint8_t		type;		/* RTN_UNICAST, RTN_UNREACHABLE, ... */
	uint8_t		protocol;	/* RTPROT_* */
	uint8_t		scope;
	uint8_t		tos;		/* not 0: only for that TOS; skipped */
	uint8_t		src_len;	/* not 0: source-specific; skipped */
	uint32_t	flags;		/* rtm_flags: RTNH_F_*, RTM_F_* */
	uint32_t	table;		/* RTA_TABLE when given, else rtm_table */
	uint32_t	priority;	/* RTA_PRIORITY: the metric; 0: none */
	bool		has_prefsrc;
	uint8_t		prefsrc[16];
	size_t		n_nh;		/* 1 for a plain route */
	struct rtnl_nexthop nh[RTNL_NH_MAX]; /* RTA_OIF/RTA_GATEWAY or the
					  * first RTA_MULTIPATH entries */
};

/* Parse an RTM_NEWROUTE: 0, or IR_ERR_MALFORMED (wrong type, a header or
 * attribute that does not fit, an address of the wrong length). */
int	rtnl_route_parse(const struct tun_nlmsg *m, struct rtnl_route *out);

/* True when |r| lives in the main table (RT_TABLE_MAIN, 254). */
bool	rtnl_route_main(const struct rtnl_route *r);

/*
 * The chooser: which main-table route would our IKE/ESP packets to the
 * gateway use if they could not enter our own TUN?  Routes are fed one
 * at a time (as a dump arrives, so nothing is stored); the best so far is
 * kept.  A route is a candidate when it is in the main table, of the
 * gateway's family, and covers the gateway address; candidates are
 * ranked by longest prefix, then lowest metric (the kernel's order).
 * Not candidates at all:
 *   - routes whose every usable nexthop leaves through an excluded
 *     interface (our TUN: a full tunnel's 0/1 + 128/1 or default);
 *   - the unicast host route (/32, /128) for the gateway: the pin that
 *     vpnc-script or tun_nl_gateway_route() adds.  It says which uplink
 *     we used, not which one we should use now: after the default route
 *     moved to uplink B, keeping it would keep us on uplink A;
 *   - nexthops flagged RTNH_F_DEAD or RTNH_F_LINKDOWN (the carrier is
 *     gone: the kernel keeps such routes but nothing gets through);
 *   - RTN_THROW and every type other than unicast and the reject types.
 * A reject route (unreachable, blackhole, prohibit) competes like any
 * other; when it wins, the answer is "no route", as the kernel's own
 * lookup would fail there.
 */
#define RTNL_EXCLUDE_MAX	4

struct rtnl_choice {
	/* in: set by rtnl_choose_init() */
	uint8_t		family;
	uint8_t		gw[16];
	uint32_t	exclude[RTNL_EXCLUDE_MAX];	/* 0: unused slot */
	/* out */
	bool		found;		/* a candidate was seen */
	struct rtnl_route best;		/* valid when |found| */
	uint32_t	oif;		/* the chosen nexthop's interface */
	bool		has_via;
	uint8_t		via[16];	/* the chosen nexthop's gateway */
	/* the gateway's pin, kept for when nothing else is left */
	bool		pin_found;
	uint32_t	pin_oif;
	bool		pin_has_via;
	uint8_t		pin_via[16];
};

/* Start a choice for |gw| (4 or 16 octets by |family|); |exclude| holds
 * up to RTNL_EXCLUDE_MAX interface indexes (0 entries are ignored). */
void	rtnl_choose_init(struct rtnl_choice *c, uint8_t family,
	    const uint8_t *gw, const uint32_t *exclude, size_t n_exclude);

/* Consider one route. */
void	rtnl_choose_add(struct rtnl_choice *c, const struct rtnl_route *r);

/* The outcome: 0 with c->oif (never 0) and c->via set, or -ENETUNREACH
 * when no candidate was seen or a reject route won.  When only the
 * gateway's pin was seen, the pin is the path: vpnc-script's full tunnel
 * replaces the default route by one through the TUN, and the pin is
 * then the one physical way left to the gateway. */
int	rtnl_choose_result(struct rtnl_choice *c);

/* The same over an array (tests, and callers that have one). */
int	rtnl_choose(struct rtnl_choice *c, const struct rtnl_route *r,
	    size_t n);

/* True when the first |len| bits of |a| and |b| are equal. */
bool	rtnl_prefix_match(const uint8_t *a, const uint8_t *b, unsigned len);

/* The address length of |family|: 4, 16, or 0 for anything else. */
size_t	rtnl_alen(uint8_t family);

#endif
