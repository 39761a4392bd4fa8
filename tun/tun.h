/*
 * tun/tun.h: the TUN device and the network setup around it (Linux).
 *
 * Four parts, each usable alone:
 *   tun_dev_*	  open (or adopt) a TUN, set MTU and link state, move one
 *		  packet at a time.  Non-blocking: src/ polls the fd.
 *   tun_mtu_*	  pure arithmetic: the inner MTU from the path MTU and the
 *		  ESP/UDP/TCP overhead, and the TCP MSS that follows.
 *   tun_nl_*	  the built-in network setup over rtnetlink: addresses,
 *		  routes, the host route to the gateway, all recorded so
 *		  that tun_nl_undo() removes exactly what we added; and the
 *		  read-only look-ups that identify the current network.
 *   tun_script_* the vpnc-script environment (pure), for the other way of
 *		  setting up the network: the script vpnc and openconnect run.
 *
 * No libuv, no OpenSSL, no globals.  Functions that can fail return 0 or
 * a negative code: -errno from a system call, or IR_ERR_* (common/ir_err.h).
 * Pointer arguments are borrowed for the call.
 */
#ifndef TUN_TUN_H
#define TUN_TUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TUN_NAME_MAX	16	/* IFNAMSIZ, the NUL included */

/* An IPv4 or IPv6 address in network byte order. */
struct tun_ip {
	uint8_t		family;		/* AF_INET, AF_INET6; 0: unset */
	uint8_t		addr[16];	/* IPv4 uses the first 4 octets */
};

/* An address with a prefix length (0..32 or 0..128). */
struct tun_prefix {
	struct tun_ip	ip;
	uint8_t		len;
};

/* ---- the device ------------------------------------------------------- */

struct tun_dev {
	int		fd;		/* -1: closed */
	uint32_t	ifindex;
	char		name[TUN_NAME_MAX];
	bool		adopted;	/* created by someone else (NM) */
	bool		vnet_hdr;	/* IFF_VNET_HDR: tun/tun_gso.h */
	unsigned	offload;	/* TUN_F_* the kernel accepted */
};

#define TUN_DEV_MULTI_QUEUE	0x1u	/* IFF_MULTI_QUEUE; off by default */
#define TUN_DEV_VNET_HDR	0x2u	/* IFF_VNET_HDR: offloads possible */

/* Mark |t| closed, so that tun_dev_close() is always safe. */
void	tun_dev_init(struct tun_dev *t);

/*
 * Create a TUN (IFF_TUN | IFF_NO_PI: every read and write is one bare IP
 * packet) with a non-blocking, close-on-exec fd.  |name| NULL or "" lets
 * the kernel choose ("tun%d"); the name it got is in t->name.  The device
 * is not persistent: it disappears, with its addresses and routes, when
 * the fd is closed.  Needs CAP_NET_ADMIN.  0, -errno, or IR_ERR_CONFIG
 * for a name that does not fit IFNAMSIZ.
 */
int	tun_dev_open(struct tun_dev *t, const char *name, unsigned flags);

/*
 * Attach to an existing TUN called |name|, as created for us by
 * NetworkManager (persistent, owned by our user: no CAP_NET_ADMIN
 * needed).  -ENODEV when no interface has that name; -EINVAL (from the
 * kernel) when it is a TAP or its multi-queue flag differs.  Closing an
 * adopted device leaves it in place.
 */
int	tun_dev_adopt(struct tun_dev *t, const char *name);

/*
 * TUN offloads on an open device (the fd may come from the privileged
 * part: TUNGETIFF tells whether it was opened with IFF_VNET_HDR).  Sets
 * t->vnet_hdr and, when |want|, asks TUNSETOFFLOAD for checksum, TSO4,
 * TSO6, USO4 and USO6, dropping flags the kernel refuses one by one
 * (USO first: Linux < 6.2), into t->offload.  With vnet_hdr every read
 * and write carries a virtio_net_hdr even when no offload is on.
 * 0 or -errno (TUNGETIFF failed).
 */
int	tun_dev_offload(struct tun_dev *t, bool want);

/* TUN_DEV_VNET_HDR, or 0 when IKEROAM_NO_OFFLOAD is set and not "0":
 * the old path, one packet per read and write (the benchmarks' A/B). */
unsigned	tun_dev_offload_flag(void);

/* SIOCSIFMTU: 0 or -errno (the kernel accepts 68..65535 on a TUN). */
int	tun_dev_set_mtu(const struct tun_dev *t, uint32_t mtu);

/* Set or clear IFF_UP (SIOCGIFFLAGS then SIOCSIFFLAGS): 0 or -errno. */
int	tun_dev_set_up(const struct tun_dev *t, bool up);

/*
 * Read one packet into |buf|.  0 with *len set; -EAGAIN when none is
 * queued (the fd is non-blocking); other -errno.  A packet longer than
 * |cap| is truncated by the kernel, so |cap| must be at least the MTU.
 */
int	tun_dev_read(const struct tun_dev *t, uint8_t *buf, size_t cap,
	    size_t *len);

/* Write one IP packet: 0, -EAGAIN (queue full: drop), or -errno. */
int	tun_dev_write(const struct tun_dev *t, const uint8_t *pkt, size_t len);

/* Close the fd (removing a TUN we created).  Safe on a closed device. */
void	tun_dev_close(struct tun_dev *t);

/* ---- MTU arithmetic (pure) --------------------------------------------- */

enum tun_mtu_xport {
	TUN_MTU_UDP,	/* ESP in UDP, RFC 3948: 8 octets */
	TUN_MTU_TCP,	/* RFC 9329: TCP header + options + 2-octet length */
};

struct tun_mtu_params {
	uint32_t		path_mtu;	/* outer link, e.g. 1500 */
	bool			outer_ipv6;	/* outer header 40, else 20 */
	enum tun_mtu_xport	xport;
	uint32_t		tcp_options;	/* e.g. 12 for timestamps */
	uint32_t		iv_len;		/* 8 for GCM, 16 for AES-CBC */
	uint32_t		block_len;	/* cipher block; 1 for GCM */
	uint32_t		icv_len;	/* 16: GCM-16, SHA256-128 */
};

/*
 * The largest inner IP packet whose ESP packet still fits |p->path_mtu|
 * (RFC 4303 §2: SPI 4 + sequence 4, IV, payload, padding to the larger
 * of the block size and 4 octets (§2.4), pad length 1, next header 1,
 * ICV).  0, or IR_ERR_CONFIG when the overhead leaves less than 68
 * octets (RFC 791's minimum MTU).  An IPv6 inner network also needs the
 * result to be at least 1280 (RFC 8200 §5): the caller checks.
 */
int		tun_mtu_inner(const struct tun_mtu_params *p, uint32_t *mtu);

/* The TCP MSS to clamp SYNs to: inner MTU - 40 (IPv4) or - 60 (IPv6). */
uint32_t	tun_mtu_mss(uint32_t inner_mtu, bool inner_ipv6);

/*
 * Clamp the MSS option of a TCP SYN or SYN-ACK in the IPv4 or IPv6
 * packet |pkt| (|len| octets, as read from or written to the TUN) down to
 * |mss|, in place, with the TCP checksum updated incrementally (RFC
 * 1624).  Call it on both directions of the data path with
 * tun_mtu_mss() of the inner MTU.  1 when the option was lowered; 0 when
 * the packet was left untouched: not TCP, not a SYN, no MSS option or
 * one already <= |mss|, a fragment, IPv6 extension headers, or any
 * length that does not check out (never reads past |len|).
 */
int		tun_clamp_mss(uint8_t *pkt, size_t len, uint16_t mss);

/* ---- routes and addresses over rtnetlink -------------------------------- */

struct tun_route {
	struct tun_prefix dst;		/* 0.0.0.0/1, 203.0.113.0/24, ... */
	struct tun_ip	gw;		/* RTA_GATEWAY; family 0: on-link */
	uint32_t	ifindex;	/* RTA_OIF; 0: none */
	uint32_t	metric;		/* RTA_PRIORITY; 0: none */
};

/* What src/ remembers a network by (e.g. "this one blocks UDP"). */
struct tun_netid {
	struct tun_ip	gw;		/* the default route's gateway */
	uint32_t	ifindex;
	char		ifname[TUN_NAME_MAX];
	uint8_t		mac[32];	/* the gateway's link-layer address */
	uint8_t		mac_len;	/* 0: not in the neighbour table */
};

#define TUN_NL_UNDO_MAX	128		/* addresses + routes we may add */
#define TUN_NL_BUF	32768		/* one recv(); a dump part fits */

enum tun_nl_undo_kind { TUN_UNDO_ADDR = 1, TUN_UNDO_ROUTE = 2 };

struct tun_nl_undo {
	uint8_t		kind;		/* enum tun_nl_undo_kind */
	struct tun_route r;		/* an address: r.dst, r.ifindex */
};

struct tun_nl {
	int		fd;		/* NETLINK_ROUTE socket; -1: closed */
	uint32_t	seq;
	size_t		n_undo;
	struct tun_nl_undo undo[TUN_NL_UNDO_MAX];
	uint8_t		buf[TUN_NL_BUF];
};

/* Mark |nl| closed with an empty record. */
void	tun_nl_init(struct tun_nl *nl);

/*
 * Open and bind the NETLINK_ROUTE socket (1 s receive timeout; a silent
 * kernel gives -ETIMEDOUT).  Starts an empty record.
 */
int	tun_nl_open(struct tun_nl *nl);

/*
 * Close the socket.  Does not undo anything: call tun_nl_undo() first
 * (a route left behind by a crash is what vpnc-script's "disconnect"
 * cleans up on the next run).
 */
void	tun_nl_close(struct tun_nl *nl);

/*
 * Add |pfx| (192.0.2.77/24, 2001:db8::5/64) to interface |ifindex|, with
 * NLM_F_EXCL: -EEXIST when it is already there, which is then not ours
 * and not recorded.  IR_ERR_NOBUF when the record is full (nothing sent).
 */
int	tun_addr_add(struct tun_nl *nl, uint32_t ifindex,
	    const struct tun_prefix *pfx);

/* Remove an address and forget its record: 0 or -errno. */
int	tun_addr_del(struct tun_nl *nl, uint32_t ifindex,
	    const struct tun_prefix *pfx);

/* Add a route (main table, NLM_F_EXCL), recorded as tun_addr_add(). */
int	tun_route_add(struct tun_nl *nl, const struct tun_route *r);

/* Remove a route and forget its record: 0 or -errno. */
int	tun_route_del(struct tun_nl *nl, const struct tun_route *r);

/*
 * Send everything of |family| into interface |ifindex| without touching
 * the existing default route: 0.0.0.0/1 + 128.0.0.0/1, or ::/1 +
 * 8000::/1, as openconnect and vpnc-script do.  Being more specific they
 * win over the default route, and removing them restores it untouched.
 */
int	tun_route_add_default(struct tun_nl *nl, uint32_t ifindex, int family);

/*
 * Pin the path to the VPN gateway |gw| to the network it uses now: look
 * the route up (RTM_GETROUTE) and add a host route (/32, /128) with the
 * same gateway and interface.  Call it before tun_route_add_default(),
 * or the look-up would already answer "through the tunnel".  An existing
 * host route to |gw| is left alone (0, not recorded: it is not ours).
 */
int	tun_route_add_gateway(struct tun_nl *nl, const struct tun_ip *gw);

/*
 * Remove everything recorded, newest first.  An entry that is already
 * gone (the TUN vanished, taking its routes along) counts as removed.
 * Carries on past failures; returns the first one.  The record is empty
 * afterwards.
 */
int	tun_nl_undo(struct tun_nl *nl);

/* The route the kernel would use to reach |dst| (RTM_GETROUTE). */
int	tun_route_lookup(struct tun_nl *nl, const struct tun_ip *dst,
	    struct tun_route *out);

/*
 * How many host routes to |mine->dst| the main table holds other than
 * |mine| itself (same next hop, interface and metric; an IPv6 route
 * added without a metric has 1024) and other than those out of
 * |skip_ifindex| (the TUN): into |*others|.  A route dump.
 */
int	tun_route_host_others(struct tun_nl *nl, const struct tun_route *mine,
	    uint32_t skip_ifindex, unsigned *others);

/*
 * The default route of |family| in the main table (the lowest metric if
 * there are several).  IR_ERR_NOT_FOUND when there is none.
 */
int	tun_route_get_default(struct tun_nl *nl, int family,
	    struct tun_route *out);

/*
 * The link-layer address of |ip| on |ifindex| from the neighbour table
 * (RTM_GETNEIGH dump), skipping failed and incomplete entries.
 * IR_ERR_NOT_FOUND when absent, IR_ERR_NOBUF when longer than |cap|.
 */
int	tun_neigh_lookup(struct tun_nl *nl, uint32_t ifindex,
	    const struct tun_ip *ip, uint8_t *mac, size_t cap, size_t *len);

/*
 * The current network's identity: default route gateway and interface,
 * and the gateway's MAC when the neighbour table has it (else mac_len 0).
 * IR_ERR_NOT_FOUND when |family| has no default route with a gateway.
 */
int	tun_netid_get(struct tun_nl *nl, int family, struct tun_netid *out);

/* ---- which routes the tunnel needs (pure) ------------------------------ */

/* One split-include network (a traffic selector of the gateway). */
struct tun_split {
	struct tun_prefix net;		/* IPv4 or IPv6 */
	uint8_t		proto;		/* IPv4 only: 0 any, 6 TCP, 17 UDP */
	uint16_t	sport, dport;	/* IPv4 only: 0 any */
};

#define TUN_PLAN_MAX	64	/* 48 splits + 4 halves + 8 DNS servers */

enum tun_plan_why {
	TUN_PLAN_SPLIT = 1,	/* a network the gateway protects */
	TUN_PLAN_DEFAULT,	/* half of a full tunnel (0/1, 128/1, ::/1...) */
	TUN_PLAN_BLOCK6,	/* IPv6 into the TUN: the gateway gave none */
	TUN_PLAN_DNS,		/* a pushed DNS server outside the routes */
};

struct tun_plan_in {
	bool		 has_ip4, has_ip6;	/* addresses from the gateway */
	const struct tun_split *split;		/* both families; no 0/0 */
	size_t		 n_split;
	const struct tun_ip *dns;		/* pushed DNS servers */
	size_t		 n_dns;
	bool		 script;	/* vpnc-script routes splits/defaults */
};

struct tun_plan_route {
	struct tun_prefix dst;		/* host bits cleared */
	uint8_t		why;		/* enum tun_plan_why */
};

struct tun_plan {
	struct tun_plan_route r[TUN_PLAN_MAX];	/* each prefix once */
	size_t		n;
	bool		full4, full6;	/* the whole family into the TUN */
	bool		block6;		/* IPv6 into the TUN, to be dropped */
};

/*
 * The routes through the TUN for |in|, following vpnc-script's rules per
 * family: a route per split; no split of a family that has an address:
 * the family's two /1 halves; IPv4 full and no IPv6 address: IPv6's two
 * halves as well (block6), so IPv6 is dropped in the TUN instead of
 * leaving in clear; each DNS server no route above covers: a host route.
 * With |in->script| only block6 and DNS routes are listed (the script
 * does the rest).  0, IR_ERR_CONFIG (a bad family or prefix length) or
 * IR_ERR_NOBUF (more than TUN_PLAN_MAX routes).
 */
int	tun_plan_routes(const struct tun_plan_in *in, struct tun_plan *out);

/* Whether |p| lists exactly the prefix |dst| (host bits ignored). */
bool	tun_plan_has(const struct tun_plan *p, const struct tun_prefix *dst);

/* The routes of |a| that |b| does not list, into |out| (at most |cap|). */
size_t	tun_plan_minus(const struct tun_plan *a, const struct tun_plan *b,
	    struct tun_plan_route *out, size_t cap);

/* Whether |ip| lies inside |p| (same family, first p->len bits). */
bool	tun_prefix_covers(const struct tun_prefix *p, const struct tun_ip *ip);

/* ---- the vpnc-script environment (pure) ------------------------------- */

enum tun_reason {
	TUN_REASON_PRE_INIT,		/* before the TUN is opened */
	TUN_REASON_CONNECT,
	TUN_REASON_DISCONNECT,
	TUN_REASON_RECONNECT,		/* after the session came back */
	TUN_REASON_ATTEMPT_RECONNECT,	/* before each attempt */
};

struct tun_script_conf {
	enum tun_reason	 reason;
	const char	*tundev;	/* NULL or "": not open yet */
	struct tun_ip	 gateway;	/* VPNGATEWAY: required */
	uint32_t	 pid;		/* VPNPID; 0: omitted */
	uint32_t	 idle_timeout;	/* seconds; 0: omitted */
	uint32_t	 mtu;		/* INTERNAL_IP4_MTU; 0: omitted */
	struct tun_ip	 ip4;		/* family 0: no IPv4 address */
	uint8_t		 ip4_prefix;	/* 1..32; 0: no netmask */
	struct tun_ip	 ip6;		/* family 0: no IPv6 address */
	uint8_t		 ip6_prefix;	/* 1..128; 0 means 128 */
	const struct tun_ip *dns;	/* IPv4 and IPv6 servers, in order */
	size_t		 n_dns;
	const struct tun_ip *nbns;	/* WINS (IPv4) */
	size_t		 n_nbns;
	const char	*def_domain;	/* CISCO_DEF_DOMAIN; NULL: omitted */
	const char * const *split_dns;	/* RFC 8598 INTERNAL_DNS_DOMAIN */
	size_t		 n_split_dns;
	const struct tun_split *split_inc;	/* both families, in order */
	size_t		 n_split_inc;
	const char	*banner;	/* bytes from the gateway; NULL: none */
	size_t		 banner_len;
};

/*
 * Build the environment vpnc-script reads (Debian vpnc-scripts) as the
 * NUL-ended strings "NAME=value", written into |buf| (|cap| bytes) and
 * pointed at by env[0..*n-1], with env[*n] = NULL for uv_spawn().  Only
 * our variables: the caller adds PATH and the like.
 *
 * The variables, in this order, each only when it has a value:
 *   reason VPNGATEWAY VPNPID TUNDEV IDLE_TIMEOUT INTERNAL_IP4_MTU
 *   INTERNAL_IP4_ADDRESS INTERNAL_IP4_NETMASK INTERNAL_IP4_NETMASKLEN
 *   INTERNAL_IP4_NETADDR INTERNAL_IP4_DNS INTERNAL_IP4_NBNS
 *   INTERNAL_IP6_ADDRESS INTERNAL_IP6_NETMASK ("addr/len")
 *   INTERNAL_IP6_DNS CISCO_DEF_DOMAIN CISCO_SPLIT_DNS (comma-separated)
 *   CISCO_BANNER CISCO_SPLIT_INC CISCO_SPLIT_INC_<i>_{ADDR,MASK,MASKLEN,
 *   PROTOCOL,SPORT,DPORT} CISCO_IPV6_SPLIT_INC
 *   CISCO_IPV6_SPLIT_INC_<i>_{ADDR,MASKLEN}
 * Every reason gets the whole list (disconnect needs it to undo connect).
 * INTERNAL_IP4_DNS lists all servers, IPv6 ones too, as openconnect does:
 * vpnc-script on Linux configures DNS from that variable only.
 * Split networks are numbered from 0 per family, with host bits cleared.
 * Control characters in strings (newlines, NULs in the banner) become
 * spaces, so a value cannot forge another line or variable.
 *
 * 0; IR_ERR_NOBUF when |buf| or |env| (|env_cap| slots, the NULL
 * included) is too small; IR_ERR_CONFIG for a missing gateway, a bad
 * reason, family or prefix length.
 */
int	tun_script_env(const struct tun_script_conf *c, char *buf, size_t cap,
	    char **env, size_t env_cap, size_t *n);

/* "pre-init", "connect", ...; NULL for an unknown value. */
const char	*tun_reason_name(enum tun_reason r);

#endif
