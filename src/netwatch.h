/*
 * src/netwatch.h: notice at once when the path to the VPN gateway
 * changes (an address removed, the default route moved to another uplink,
 * a link or its carrier gone), instead of waiting for liveness checks.
 *
 * It listens to rtnetlink (RTNLGRP_LINK, IPV4_IFADDR, IPV6_IFADDR,
 * IPV4_ROUTE, IPV6_ROUTE).  Any message restarts one debounce timer
 * (NETWATCH_DEBOUNCE_MS); when it fires, the path to the gateway is
 * recomputed and |changed| runs only if it differs from the last path
 * reported (valid, family, ifindex, source, next hop).  A burst of
 * changes gives one report; a change that does not touch our path (an
 * address on an unrelated interface) gives none.
 *
 * How the path is computed:
 *   1. dump the routes of the gateway's family and let the pure chooser
 *      of rtnl_route.h pick the main-table route a physical path would
 *      use: longest prefix, then lowest metric, skipping routes through
 *      the excluded interface (our TUN), the gateway's own host route
 *      (the pin added by vpnc-script or tun_nl_gateway_route()), and
 *      nexthops whose carrier is gone;
 *   2. ask the kernel "ip route get GW oif IF" for the chosen interface,
 *      which gives the source address it would use and the next hop.
 * No route, a reject route, or no source address: the path is invalid
 * (offline).
 *
 * Why a "physical" path and not simply "ip route get GW": with a full
 * tunnel the kernel's own answer for the gateway is our TUN (0/1 and
 * 128/1, or a default through the TUN) or the pin on the uplink we used
 * at start, which is wrong once the default route moved to another
 * uplink.  The caller binds its IKE/ESP sockets to the reported path:
 * SO_BINDTODEVICE to |ifname| (or IP_UNICAST_IF / IPV6_UNICAST_IF) and
 * bind() to |src|.  A socket bound to a device makes the kernel's route
 * lookup consider only routes through that device, so our packets never
 * enter our own TUN and never follow a stale pin, whatever the routing
 * table holds; the bound source is the address the gateway (and MOBIKE's
 * UPDATE_SA_ADDRESSES, RFC 4555 §3.5) sees.  Since Linux 5.7 an
 * unprivileged socket may use SO_BINDTODEVICE once.
 *
 * Sockets: one non-blocking subscription socket polled by libuv, and a
 * separate blocking socket for the synchronous queries, with a 1 s
 * receive timeout: the kernel answers route queries at once, so a query
 * holds the loop for a few hundred microseconds.  No allocation per
 * message; every loop is bounded.  An overrun of the subscription socket
 * (ENOBUFS: messages were lost) just means "recompute".
 */
#ifndef IR_SRC_NETWATCH_H
#define IR_SRC_NETWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <uv.h>

#define NETWATCH_DEBOUNCE_MS	100	/* quiet time after the last message */
#define NETWATCH_MAX_DELAY_MS	1000	/* a stream of messages waits no more */
#define NETWATCH_RETRY_MS	1000	/* after a failed query */

/* How packets to the gateway leave now.  |src| is the kernel's choice
 * at the time: with IPv6 temporary addresses it changes when they
 * rotate, and that is reported like any other change. */
struct net_path {
	bool		valid;		/* false: no usable route (offline) */
	uint8_t		family;		/* AF_INET or AF_INET6 */
	unsigned	ifindex;
	char		ifname[16];	/* IFNAMSIZ; "" when unknown */
	uint8_t		src[16];	/* source address the kernel would use */
	uint8_t		via[16];	/* next hop; all zero: on-link */
	bool		has_via;
};

/*
 * |now| and |before| are borrowed for the call.  The callback may call
 * any netwatch_*() function, netwatch_close() included.
 */
typedef void	(*netwatch_cb)(void *ud, const struct net_path *now,
		    const struct net_path *before);

struct netwatch;

/*
 * Open the sockets, start watching, and compute the first path (the
 * reference that later reports are compared with; it is not reported:
 * netwatch_last() returns it).  |gw| is an AF_INET or AF_INET6 address
 * (an IPv4-mapped IPv6 address counts as IPv4); it is copied.  0,
 * IR_ERR_CONFIG for another family, IR_ERR_NOMEM, or -errno from
 * socket() / setsockopt() / bind().
 */
int	netwatch_new(struct netwatch **out, uv_loop_t *loop,
	    const struct sockaddr *gw, netwatch_cb changed, void *ud);

/*
 * Our own TUN: routes through it are never the physical path.  0: none.
 * Replaces the previous one, and schedules a recomputation (a report
 * follows only if the path differs).
 */
void	netwatch_exclude_ifindex(struct netwatch *nw, unsigned ifindex);

/*
 * Watch another gateway address (a MOBIKE additional address, or the
 * next address of the gateway name).  Schedules a recomputation; call
 * netwatch_query() to learn the path to it at once.  0 or IR_ERR_CONFIG.
 */
int	netwatch_set_gateway(struct netwatch *nw, const struct sockaddr *gw);

/*
 * The current path, computed now (a synchronous netlink round trip: at
 * start, after resume from suspend, after netwatch_set_gateway()).  It
 * becomes the reference for later reports; |changed| is not called for
 * it.  0 with |out| filled (possibly !valid: offline), or -errno when
 * the kernel did not answer (then |out| is the last known path).
 */
int	netwatch_query(struct netwatch *nw, struct net_path *out);

/* The last path reported or queried (borrowed; valid until the next
 * netwatch_*() call or report). */
const struct net_path *netwatch_last(const struct netwatch *nw);

/*
 * Stop watching, close the sockets and the timer; |changed| is not called
 * again.  |done| (may be NULL) runs from the last libuv close callback,
 * after which |nw| is freed.
 */
void	netwatch_close(struct netwatch *nw, void (*done)(void *ud), void *ud);

/* "eth1 192.0.2.2 via 192.0.2.1", "eth1 192.0.2.2 on-link", or
 * "offline", for logs.  Returns |buf|. */
const char *net_path_str(const struct net_path *p, char *buf, size_t cap);

/* True when |a| and |b| would send our packets the same way. */
bool	net_path_same(const struct net_path *a, const struct net_path *b);

#endif
