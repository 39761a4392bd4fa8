/*
 * tests/src/check_rtnl.c: rtnetlink route requests, the RTM_NEWROUTE
 * parser and the physical-path chooser (src/rtnl_route.c), on crafted
 * messages shaped like the kernel's dumps: full tunnels, the gateway's
 * host pin, competing defaults, IPv6, multipath, and broken lengths.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "common/ir_err.h"
#include "src/rtnl_route.h"

#define IF_A	2		/* uplink A */
#define IF_B	3		/* uplink B */
#define IF_TUN	9		/* our own TUN */

/* ---- a tiny writer of kernel-shaped messages ------------------------- */

struct tmsg {
	uint8_t	buf[1024];
	size_t	len;
};

static void
tm_put(struct tmsg *t, const void *p, size_t n)
{
	ck_assert_uint_le(t->len + n, sizeof(t->buf));
	memcpy(t->buf + t->len, p, n);
	t->len += n;
}

static void
tm_pad(struct tmsg *t)
{
	static const uint8_t zero[4];

	tm_put(t, zero, NLMSG_ALIGN(t->len) - t->len);
}

static void
tm_attr(struct tmsg *t, uint16_t type, const void *p, size_t n)
{
	struct rtattr a = { (unsigned short)RTA_LENGTH(n), type };

	tm_put(t, &a, sizeof(a));
	tm_put(t, p, n);
	tm_pad(t);
}

static void
tm_u32(struct tmsg *t, uint16_t type, uint32_t v)
{
	tm_attr(t, type, &v, sizeof(v));
}

static void
tm_ip(struct tmsg *t, uint16_t type, int af, const char *s)
{
	uint8_t a[16];

	ck_assert_int_eq(inet_pton(af, s, a), 1);
	tm_attr(t, type, a, af == AF_INET ? 4 : 16);
}

/* nlmsghdr + rtmsg; tm_done() patches nlmsg_len. */
static void
tm_route(struct tmsg *t, int af, uint8_t dst_len, uint8_t type,
    uint8_t table, uint32_t flags)
{
	struct nlmsghdr h;
	struct rtmsg rtm;

	memset(t, 0, sizeof(*t));
	memset(&h, 0, sizeof(h));
	h.nlmsg_type = RTM_NEWROUTE;
	h.nlmsg_flags = NLM_F_MULTI;
	h.nlmsg_seq = 7;
	tm_put(t, &h, sizeof(h));
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (unsigned char)af;
	rtm.rtm_dst_len = dst_len;
	rtm.rtm_table = table;
	rtm.rtm_protocol = RTPROT_BOOT;
	rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	rtm.rtm_type = type;
	rtm.rtm_flags = flags;
	tm_put(t, &rtm, sizeof(rtm));
	tm_u32(t, RTA_TABLE, table);	/* the kernel always sends it */
}

static void
tm_done(struct tmsg *t)
{
	uint32_t n = (uint32_t)t->len;

	memcpy(t->buf, &n, sizeof(n));
}

static struct tun_nlmsg
tm_msg(const struct tmsg *t)
{
	const uint8_t *p = t->buf;
	size_t left = t->len;
	struct tun_nlmsg m;

	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 1);
	ck_assert_uint_eq(left, 0);
	return m;
}

/*
 * One route in "ip route" words: |dst| "a.b.c.d/len" or "default",
 * |via| NULL for on-link, |oif| 0 for none.
 */
struct rspec {
	int		 af;
	const char	*dst;
	const char	*via;
	uint32_t	 oif;
	uint32_t	 metric;
	uint8_t		 type;		/* 0: unicast */
	uint8_t		 table;		/* 0: main */
	uint32_t	 flags;
};

static void
tm_spec(struct tmsg *t, const struct rspec *s)
{
	char addr[64];
	const char *slash;
	unsigned len = 0;

	if (strcmp(s->dst, "default") != 0) {
		slash = strchr(s->dst, '/');
		ck_assert_ptr_nonnull(slash);
		memcpy(addr, s->dst, (size_t)(slash - s->dst));
		addr[slash - s->dst] = '\0';
		len = (unsigned)atoi(slash + 1);
	}
	tm_route(t, s->af, (uint8_t)len, s->type ? s->type : RTN_UNICAST,
	    s->table ? s->table : RT_TABLE_MAIN, s->flags);
	if (s->metric != 0)
		tm_u32(t, RTA_PRIORITY, s->metric);
	if (len != 0)
		tm_ip(t, RTA_DST, s->af, addr);
	if (s->via != NULL)
		tm_ip(t, RTA_GATEWAY, s->af, s->via);
	if (s->oif != 0)
		tm_u32(t, RTA_OIF, s->oif);
	tm_done(t);
}

/* Parse |n| specs and run the chooser for |gw| excluding the TUN. */
static int
choose(const struct rspec *specs, size_t n, const char *gw, bool reverse,
    struct rtnl_choice *c)
{
	struct rtnl_route *r = calloc(n, sizeof(*r));
	uint32_t ex[1] = { IF_TUN };
	uint8_t a[16];
	struct tmsg t;
	struct tun_nlmsg m;
	size_t i;
	int af = strchr(gw, ':') ? AF_INET6 : AF_INET, rv;

	ck_assert_ptr_nonnull(r);
	for (i = 0; i < n; i++) {
		tm_spec(&t, &specs[reverse ? n - 1 - i : i]);
		m = tm_msg(&t);
		ck_assert_int_eq(rtnl_route_parse(&m, &r[i]), 0);
	}
	ck_assert_int_eq(inet_pton(af, gw, a), 1);
	rtnl_choose_init(c, (uint8_t)af, a, ex, 1);
	rv = rtnl_choose(c, r, n);
	free(r);
	return rv;
}

static void
check_via(const struct rtnl_choice *c, int af, const char *via)
{
	uint8_t a[16];

	if (via == NULL) {
		ck_assert(!c->has_via);
		return;
	}
	ck_assert(c->has_via);
	ck_assert_int_eq(inet_pton(af, via, a), 1);
	ck_assert_mem_eq(c->via, a, af == AF_INET ? 4 : 16);
}

/* Every case runs with the routes in both orders: same answer. */
#define CHOOSE_BOTH(specs, gw, c, rv_want) do {				\
	ck_assert_int_eq(choose(specs, sizeof(specs) / sizeof(specs[0]),\
	    gw, true, c), rv_want);					\
	ck_assert_int_eq(choose(specs, sizeof(specs) / sizeof(specs[0]),\
	    gw, false, c), rv_want);					\
} while (0)

/* ---- requests -------------------------------------------------------- */

START_TEST(req_get_v4_oif)
{
	uint8_t buf[RTNL_REQ_MAX], gw[4] = { 203, 0, 113, 10 };
	struct nlmsghdr h;
	struct rtmsg rtm;
	struct rtattr a;
	uint32_t oif;
	size_t len;

	ck_assert_int_eq(rtnl_req_get(buf, sizeof(buf), &len, 42, AF_INET, gw,
	    IF_B), 0);
	ck_assert_uint_eq(len, 16 + 12 + 8 + 8);
	memcpy(&h, buf, sizeof(h));
	ck_assert_uint_eq(h.nlmsg_len, len);
	ck_assert_uint_eq(h.nlmsg_type, RTM_GETROUTE);
	ck_assert_uint_eq(h.nlmsg_flags, NLM_F_REQUEST);
	ck_assert_uint_eq(h.nlmsg_seq, 42);
	memcpy(&rtm, buf + 16, sizeof(rtm));
	ck_assert_uint_eq(rtm.rtm_family, AF_INET);
	ck_assert_uint_eq(rtm.rtm_dst_len, 32);
	memcpy(&a, buf + 28, sizeof(a));
	ck_assert_uint_eq(a.rta_type, RTA_DST);
	ck_assert_uint_eq(a.rta_len, 8);
	ck_assert_mem_eq(buf + 32, gw, 4);
	memcpy(&a, buf + 36, sizeof(a));
	ck_assert_uint_eq(a.rta_type, RTA_OIF);
	memcpy(&oif, buf + 40, 4);
	ck_assert_uint_eq(oif, IF_B);

	/* No oif: no RTA_OIF; a short buffer: NOBUF; a bad family. */
	ck_assert_int_eq(rtnl_req_get(buf, sizeof(buf), &len, 1, AF_INET, gw,
	    0), 0);
	ck_assert_uint_eq(len, 36);
	ck_assert_int_eq(rtnl_req_get(buf, 35, &len, 1, AF_INET, gw, 0),
	    IR_ERR_NOBUF);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(rtnl_req_get(buf, sizeof(buf), &len, 1, AF_UNIX, gw,
	    0), IR_ERR_CONFIG);
}
END_TEST

START_TEST(req_get_v6)
{
	uint8_t buf[RTNL_REQ_MAX], gw[16];
	size_t len;

	inet_pton(AF_INET6, "2001:db8:5::10", gw);
	ck_assert_int_eq(rtnl_req_get(buf, sizeof(buf), &len, 3, AF_INET6, gw,
	    IF_A), 0);
	ck_assert_uint_eq(len, 16 + 12 + 20 + 8);
	ck_assert_uint_le(len, RTNL_REQ_MAX);
	ck_assert_mem_eq(buf + 32, gw, 16);

}
END_TEST

/* ---- parsing --------------------------------------------------------- */

START_TEST(parse_full_v4)
{
	struct tmsg t;
	struct tun_nlmsg m;
	struct rtnl_route r;
	uint8_t want[4];

	/* "203.0.113.10 via 198.51.100.129 dev B src 198.51.100.130" */
	tm_route(&t, AF_INET, 32, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_ip(&t, RTA_DST, AF_INET, "203.0.113.10");
	tm_u32(&t, RTA_OIF, IF_B);
	tm_ip(&t, RTA_PREFSRC, AF_INET, "198.51.100.130");
	tm_ip(&t, RTA_GATEWAY, AF_INET, "198.51.100.129");
	tm_u32(&t, RTA_PRIORITY, 20);
	tm_attr(&t, RTA_CACHEINFO, "0123456789abcdef", 16);	/* skipped */
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), 0);
	ck_assert_uint_eq(r.family, AF_INET);
	ck_assert_uint_eq(r.dst_len, 32);
	inet_pton(AF_INET, "203.0.113.10", want);
	ck_assert_mem_eq(r.dst, want, 4);
	ck_assert(rtnl_route_main(&r));
	ck_assert_uint_eq(r.type, RTN_UNICAST);
	ck_assert_uint_eq(r.priority, 20);
	ck_assert_uint_eq(r.n_nh, 1);
	ck_assert_uint_eq(r.nh[0].oif, IF_B);
	ck_assert(r.nh[0].has_gw);
	inet_pton(AF_INET, "198.51.100.129", want);
	ck_assert_mem_eq(r.nh[0].gw, want, 4);
	ck_assert(r.has_prefsrc);
	inet_pton(AF_INET, "198.51.100.130", want);
	ck_assert_mem_eq(r.prefsrc, want, 4);
}
END_TEST

START_TEST(parse_multipath)
{
	struct tmsg t, mp;
	struct tun_nlmsg m;
	struct rtnl_route r;
	struct rtnexthop nh;
	uint8_t want[4];
	int i;

	/* default nexthop dev tun9 nexthop via 192.0.2.1 dev A (linkdown)
	 * nexthop via 198.51.100.129 dev B, then 10 more: kept 8. */
	memset(&mp, 0, sizeof(mp));
	for (i = 0; i < 13; i++) {
		size_t at = mp.len;

		memset(&nh, 0, sizeof(nh));
		nh.rtnh_ifindex = i == 0 ? IF_TUN : i == 1 ? IF_A : IF_B;
		nh.rtnh_flags = i == 1 ? RTNH_F_LINKDOWN : 0;
		tm_put(&mp, &nh, sizeof(nh));
		if (i == 1)
			tm_ip(&mp, RTA_GATEWAY, AF_INET, "192.0.2.1");
		else if (i >= 2)
			tm_ip(&mp, RTA_GATEWAY, AF_INET, "198.51.100.129");
		nh.rtnh_len = (unsigned short)(mp.len - at);
		memcpy(mp.buf + at, &nh.rtnh_len, sizeof(nh.rtnh_len));
	}
	tm_route(&t, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_attr(&t, RTA_MULTIPATH, mp.buf, mp.len);
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), 0);
	ck_assert_uint_eq(r.n_nh, RTNL_NH_MAX);
	ck_assert_uint_eq(r.nh[0].oif, IF_TUN);
	ck_assert(!r.nh[0].has_gw);
	ck_assert_uint_eq(r.nh[1].oif, IF_A);
	ck_assert_uint_eq(r.nh[1].flags, RTNH_F_LINKDOWN);
	ck_assert_uint_eq(r.nh[2].oif, IF_B);
	inet_pton(AF_INET, "198.51.100.129", want);
	ck_assert_mem_eq(r.nh[2].gw, want, 4);

	/* The chooser skips the TUN and the dead-carrier nexthop. */
	{
		struct rtnl_choice c;
		uint32_t ex = IF_TUN;
		uint8_t gw[4] = { 203, 0, 113, 10 };

		rtnl_choose_init(&c, AF_INET, gw, &ex, 1);
		ck_assert_int_eq(rtnl_choose(&c, &r, 1), 0);
		ck_assert_uint_eq(c.oif, IF_B);
		check_via(&c, AF_INET, "198.51.100.129");
	}
}
END_TEST

/* Truncate a valid message at every length: never a crash, always an
 * answer that is either a clean parse or IR_ERR_MALFORMED. */
START_TEST(parse_truncated_everywhere)
{
	struct tmsg t;
	struct tun_nlmsg m, cut;
	struct rtnl_route r;
	uint8_t *copy;
	size_t k;
	int rv, ok = 0;

	tm_route(&t, AF_INET6, 64, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_ip(&t, RTA_DST, AF_INET6, "2001:db8:5::");
	tm_ip(&t, RTA_GATEWAY, AF_INET6, "fe80::1");
	tm_u32(&t, RTA_OIF, IF_A);
	tm_ip(&t, RTA_PREFSRC, AF_INET6, "2001:db8:a::2");
	tm_done(&t);
	m = tm_msg(&t);
	for (k = 0; k <= m.body_len; k++) {
		copy = malloc(k ? k : 1);	/* exact size: ASan sees overruns */
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, m.body, k);
		cut = m;
		cut.body = copy;
		cut.body_len = k;
		rv = rtnl_route_parse(&cut, &r);
		ck_assert(rv == 0 || rv == IR_ERR_MALFORMED);
		if (rv == 0)
			ok++;
		if (k < sizeof(struct rtmsg))
			ck_assert_int_eq(rv, IR_ERR_MALFORMED);
		free(copy);
	}
	/* Clean cuts: after the rtmsg and after each of 5 attributes. */
	ck_assert_int_eq(ok, 6);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), 0);
	ck_assert_uint_eq(r.nh[0].oif, IF_A);
}
END_TEST

START_TEST(parse_bad_lengths)
{
	struct tmsg t;
	struct tun_nlmsg m;
	struct rtnl_route r;
	struct rtattr a;
	uint8_t five[5] = { 1, 2, 3, 4, 5 };

	/* An address attribute of the wrong size. */
	tm_route(&t, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_attr(&t, RTA_GATEWAY, five, 5);
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);

	/* RTA_OIF of 2 octets. */
	tm_route(&t, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_attr(&t, RTA_OIF, five, 2);
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);

	/* An attribute claiming more than the message holds (oversized). */
	tm_route(&t, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	a.rta_len = 0xffff;
	a.rta_type = RTA_OIF;
	tm_put(&t, &a, sizeof(a));
	tm_put(&t, five, 4);
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);

	/* rta_len below its own header: would loop forever if accepted. */
	tm_route(&t, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	a.rta_len = 2;
	tm_put(&t, &a, sizeof(a));
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);

	/* A prefix longer than the family allows. */
	tm_route(&t, AF_INET, 33, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);

	/* An unknown family, and a message that is not RTM_NEWROUTE. */
	tm_route(&t, AF_UNIX, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);
	tm_route(&t, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_done(&t);
	m = tm_msg(&t);
	m.type = RTM_NEWADDR;
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(parse_bad_multipath)
{
	struct tmsg t;
	struct tun_nlmsg m;
	struct rtnl_route r;
	struct rtnexthop nh;
	uint8_t raw[32];

	/* rtnh_len 4: shorter than struct rtnexthop. */
	memset(&nh, 0, sizeof(nh));
	nh.rtnh_len = 4;
	tm_route(&t, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_attr(&t, RTA_MULTIPATH, &nh, sizeof(nh));
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);

	/* rtnh_len past the attribute. */
	nh.rtnh_len = 200;
	tm_route(&t, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_attr(&t, RTA_MULTIPATH, &nh, sizeof(nh));
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);

	/* A nexthop whose gateway attribute overruns the nexthop. */
	memset(raw, 0, sizeof(raw));
	nh.rtnh_len = 8 + 6;
	nh.rtnh_ifindex = IF_A;
	memcpy(raw, &nh, sizeof(nh));
	raw[8] = 8;			/* rta_len 8 but only 6 left */
	raw[10] = RTA_GATEWAY;
	tm_route(&t, AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0);
	tm_attr(&t, RTA_MULTIPATH, raw, 16);
	tm_done(&t);
	m = tm_msg(&t);
	ck_assert_int_eq(rtnl_route_parse(&m, &r), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(next_and_error)
{
	uint8_t buf[64];
	const uint8_t *p;
	struct nlmsghdr h;
	struct tun_nlmsg m;
	size_t left;
	int e, err;

	/* Two messages, the last one without its padding. */
	memset(buf, 0, sizeof(buf));
	memset(&h, 0, sizeof(h));
	h.nlmsg_len = 16 + 4 + 16;
	h.nlmsg_type = NLMSG_ERROR;
	h.nlmsg_seq = 5;
	memcpy(buf, &h, sizeof(h));
	e = -ENETUNREACH;
	memcpy(buf + 16, &e, sizeof(e));
	h.nlmsg_len = 17;
	h.nlmsg_type = NLMSG_DONE;
	memcpy(buf + 36, &h, sizeof(h));
	p = buf;
	left = 36 + 17;
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 1);
	ck_assert_uint_eq(m.seq, 5);
	ck_assert_int_eq(tun_nlmsg_error(&m, &err), 0);
	ck_assert_int_eq(err, -ENETUNREACH);
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 1);
	ck_assert_uint_eq(m.type, NLMSG_DONE);
	ck_assert_uint_eq(m.body_len, 1);
	ck_assert_int_eq(tun_nlmsg_error(&m, &err), IR_ERR_MALFORMED);
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 0);

	/* nlmsg_len below the header, beyond the datagram, a short tail. */
	h.nlmsg_len = 15;
	memcpy(buf, &h, sizeof(h));
	p = buf;
	left = 64;
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), IR_ERR_MALFORMED);
	h.nlmsg_len = 65;
	memcpy(buf, &h, sizeof(h));
	p = buf;
	left = 64;
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), IR_ERR_MALFORMED);
	p = buf;
	left = 15;
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), IR_ERR_MALFORMED);

	/* An NLMSG_ERROR with a positive or out-of-range code. */
	h.nlmsg_len = 20;
	h.nlmsg_type = NLMSG_ERROR;
	memcpy(buf, &h, sizeof(h));
	e = 5;
	memcpy(buf + 16, &e, sizeof(e));
	p = buf;
	left = 20;
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 1);
	ck_assert_int_eq(tun_nlmsg_error(&m, &err), IR_ERR_MALFORMED);
	e = -70000;
	memcpy(buf + 16, &e, sizeof(e));
	ck_assert_int_eq(tun_nlmsg_error(&m, &err), IR_ERR_MALFORMED);
}
END_TEST

/* ---- the chooser ----------------------------------------------------- */

/* Uplink A, the usual table of a laptop on one network. */
static const struct rspec one_uplink[] = {
	{ AF_INET, "default", "192.0.2.1", IF_A, 100, 0, 0, 0 },
	{ AF_INET, "192.0.2.0/24", NULL, IF_A, 100, 0, 0, 0 },
	{ AF_INET, "127.0.0.0/8", NULL, 1, 0, RTN_LOCAL, RT_TABLE_LOCAL, 0 },
};

START_TEST(choose_one_uplink)
{
	struct rtnl_choice c;

	CHOOSE_BOTH(one_uplink, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	check_via(&c, AF_INET, "192.0.2.1");
	/* A gateway on the uplink's own subnet: on-link. */
	CHOOSE_BOTH(one_uplink, "192.0.2.77", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	check_via(&c, AF_INET, NULL);
}
END_TEST

/* Full tunnel by a better default: "default dev tun9 metric 50". */
static const struct rspec full_default[] = {
	{ AF_INET, "default", "192.0.2.1", IF_A, 100, 0, 0, 0 },
	{ AF_INET, "default", NULL, IF_TUN, 50, 0, 0, 0 },
	{ AF_INET, "192.0.2.0/24", NULL, IF_A, 100, 0, 0, 0 },
	{ AF_INET, "198.51.100.128/25", NULL, IF_TUN, 0, 0, 0, 0 },
};

/* Full tunnel the vpnc-script way: 0/1 + 128/1 via the TUN, and the pin
 * to the gateway via A. */
static const struct rspec full_split_halves[] = {
	{ AF_INET, "default", "192.0.2.1", IF_A, 100, 0, 0, 0 },
	{ AF_INET, "0.0.0.0/1", NULL, IF_TUN, 0, 0, 0, 0 },
	{ AF_INET, "128.0.0.0/1", NULL, IF_TUN, 0, 0, 0, 0 },
	{ AF_INET, "203.0.113.10/32", "192.0.2.1", IF_A, 0, 0, 0, 0 },
	{ AF_INET, "192.0.2.0/24", NULL, IF_A, 100, 0, 0, 0 },
};

START_TEST(choose_full_tunnel)
{
	struct rtnl_choice c;
	struct rtnl_route r[5];
	struct tmsg t;
	struct tun_nlmsg m;
	uint8_t gw[4] = { 203, 0, 113, 10 };
	size_t i;

	CHOOSE_BOTH(full_default, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	check_via(&c, AF_INET, "192.0.2.1");
	CHOOSE_BOTH(full_split_halves, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	check_via(&c, AF_INET, "192.0.2.1");
	ck_assert_uint_eq(c.best.dst_len, 0);	/* the default, not the pin */

	/* Without the exclusion the TUN's 128/1 wins: the test can fail. */
	for (i = 0; i < 5; i++) {
		tm_spec(&t, &full_split_halves[i]);
		m = tm_msg(&t);
		ck_assert_int_eq(rtnl_route_parse(&m, &r[i]), 0);
	}
	rtnl_choose_init(&c, AF_INET, gw, NULL, 0);
	ck_assert_int_eq(rtnl_choose(&c, r, 5), 0);
	ck_assert_uint_eq(c.oif, IF_TUN);
}
END_TEST

/* The pin still says uplink A, but the default moved to B. */
static const struct rspec pinned_moved[] = {
	{ AF_INET, "203.0.113.10/32", "192.0.2.1", IF_A, 0, 0, 0, 0 },
	{ AF_INET, "default", "198.51.100.129", IF_B, 50, 0, 0, 0 },
	{ AF_INET, "default", "192.0.2.1", IF_A, 100, 0, 0, 0 },
	{ AF_INET, "0.0.0.0/1", NULL, IF_TUN, 0, 0, 0, 0 },
	{ AF_INET, "128.0.0.0/1", NULL, IF_TUN, 0, 0, 0, 0 },
	{ AF_INET, "192.0.2.0/24", NULL, IF_A, 100, 0, 0, 0 },
	{ AF_INET, "198.51.100.128/25", NULL, IF_B, 50, 0, 0, 0 },
};

/* Only the pin and the TUN are left (vpnc-script's full tunnel replaces
 * the default route by one through the TUN): the pin is the way. */
static const struct rspec only_pin[] = {
	{ AF_INET, "203.0.113.10/32", "192.0.2.1", IF_A, 0, 0, 0, 0 },
	{ AF_INET, "0.0.0.0/1", NULL, IF_TUN, 0, 0, 0, 0 },
	{ AF_INET, "128.0.0.0/1", NULL, IF_TUN, 0, 0, 0, 0 },
};

START_TEST(choose_pin_ignored)
{
	struct rtnl_choice c;

	CHOOSE_BOTH(pinned_moved, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_B);
	check_via(&c, AF_INET, "198.51.100.129");
	/* A different gateway address (MOBIKE's other one) is not pinned. */
	CHOOSE_BOTH(pinned_moved, "203.0.113.11", &c, 0);
	ck_assert_uint_eq(c.oif, IF_B);
	CHOOSE_BOTH(only_pin, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	check_via(&c, AF_INET, "192.0.2.1");
	/* Another gateway address has no pin: offline. */
	CHOOSE_BOTH(only_pin, "203.0.113.11", &c, -ENETUNREACH);
	ck_assert(!c.found);
}
END_TEST

static const struct rspec two_defaults[] = {
	{ AF_INET, "default", "192.0.2.1", IF_A, 600, 0, 0, 0 },
	{ AF_INET, "default", "198.51.100.129", IF_B, 20, 0, 0, 0 },
};

/* A more specific route beats a better metric (longest prefix first). */
static const struct rspec prefix_beats_metric[] = {
	{ AF_INET, "default", "198.51.100.129", IF_B, 10, 0, 0, 0 },
	{ AF_INET, "203.0.112.0/23", "192.0.2.1", IF_A, 500, 0, 0, 0 },
};

/* Carrier lost on B: the kernel keeps its default, flagged linkdown. */
static const struct rspec linkdown[] = {
	{ AF_INET, "default", "192.0.2.1", IF_A, 600, 0, 0, 0 },
	{ AF_INET, "default", "198.51.100.129", IF_B, 20, 0, 0,
	    RTNH_F_LINKDOWN },
};

/* Other tables, TOS routes and throw routes are not ours to use. */
static const struct rspec not_main[] = {
	{ AF_INET, "default", "192.0.2.1", IF_A, 600, 0, 0, 0 },
	{ AF_INET, "default", "198.51.100.129", IF_B, 1, 0, 100, 0 },
	{ AF_INET, "203.0.113.0/24", NULL, 0, 0, RTN_THROW, 0, 0 },
	{ AF_INET, "203.0.113.0/24", NULL, 0, 0, RTN_LOCAL, 0, 0 },
};

START_TEST(choose_metrics_and_prefixes)
{
	struct rtnl_choice c;

	CHOOSE_BOTH(two_defaults, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_B);
	ck_assert_uint_eq(c.best.priority, 20);
	CHOOSE_BOTH(prefix_beats_metric, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	CHOOSE_BOTH(prefix_beats_metric, "203.0.114.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_B);
	CHOOSE_BOTH(linkdown, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	CHOOSE_BOTH(not_main, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
}
END_TEST

/* Reject routes: the kernel's lookup fails where one wins. */
static const struct rspec reject_wins[] = {
	{ AF_INET, "default", "192.0.2.1", IF_A, 100, 0, 0, 0 },
	{ AF_INET, "203.0.113.0/24", NULL, 0, 0, RTN_UNREACHABLE, 0, 0 },
};

static const struct rspec reject_loses[] = {
	{ AF_INET, "default", "192.0.2.1", IF_A, 100, 0, 0, 0 },
	{ AF_INET, "default", NULL, 0, 4000, RTN_BLACKHOLE, 0, 0 },
	{ AF_INET, "198.51.100.0/24", NULL, 0, 0, RTN_PROHIBIT, 0, 0 },
};

static const struct rspec nothing[] = {
	{ AF_INET, "192.0.2.0/24", NULL, IF_A, 100, 0, 0, 0 },
	{ AF_INET6, "default", "fe80::1", IF_A, 1024, 0, 0, 0 },
	{ AF_INET, "default", NULL, IF_TUN, 0, 0, 0, 0 },
};

START_TEST(choose_reject_and_none)
{
	struct rtnl_choice c;

	CHOOSE_BOTH(reject_wins, "203.0.113.10", &c, -ENETUNREACH);
	ck_assert(c.found);
	ck_assert_uint_eq(c.best.type, RTN_UNREACHABLE);
	CHOOSE_BOTH(reject_wins, "198.51.100.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	CHOOSE_BOTH(reject_loses, "203.0.113.10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	CHOOSE_BOTH(reject_loses, "198.51.100.10", &c, -ENETUNREACH);
	CHOOSE_BOTH(nothing, "203.0.113.10", &c, -ENETUNREACH);
	ck_assert(!c.found);
}
END_TEST

/* IPv6: RA defaults on two uplinks, a full tunnel by ::/1 + 8000::/1,
 * and the pin; link-local next hops. */
static const struct rspec v6_table[] = {
	{ AF_INET6, "default", "fe80::1", IF_A, 1024, 0, 0, 0 },
	{ AF_INET6, "default", "fe80::b", IF_B, 600, 0, 0, 0 },
	{ AF_INET6, "::/1", NULL, IF_TUN, 0, 0, 0, 0 },
	{ AF_INET6, "8000::/1", NULL, IF_TUN, 0, 0, 0, 0 },
	{ AF_INET6, "2001:db8:5::10/128", "fe80::1", IF_A, 0, 0, 0, 0 },
	{ AF_INET6, "2001:db8:a::/64", NULL, IF_A, 256, 0, 0, 0 },
	{ AF_INET6, "fe80::/64", NULL, IF_A, 256, 0, 0, 0 },
	{ AF_INET, "default", "192.0.2.1", IF_A, 1, 0, 0, 0 },
	{ AF_INET6, "ff00::/8", NULL, IF_A, 256, RTN_MULTICAST,
	    RT_TABLE_LOCAL, 0 },
};

START_TEST(choose_v6)
{
	struct rtnl_choice c;

	CHOOSE_BOTH(v6_table, "2001:db8:5::10", &c, 0);
	ck_assert_uint_eq(c.oif, IF_B);
	check_via(&c, AF_INET6, "fe80::b");
	CHOOSE_BOTH(v6_table, "2001:db8:a::99", &c, 0);
	ck_assert_uint_eq(c.oif, IF_A);
	check_via(&c, AF_INET6, NULL);
}
END_TEST

START_TEST(prefix_match)
{
	uint8_t a[4] = { 203, 0, 113, 10 }, b[4] = { 203, 0, 112, 0 };

	ck_assert(rtnl_prefix_match(a, b, 0));
	ck_assert(rtnl_prefix_match(a, b, 23));
	ck_assert(!rtnl_prefix_match(a, b, 24));
	ck_assert(rtnl_prefix_match(a, a, 32));
	ck_assert_uint_eq(rtnl_alen(AF_INET), 4);
	ck_assert_uint_eq(rtnl_alen(AF_INET6), 16);
	ck_assert_uint_eq(rtnl_alen(0), 0);
}
END_TEST

Suite *
rtnl_suite(void)
{
	Suite *s = suite_create("rtnl");
	TCase *tc;

	tc = tcase_create("requests");
	tcase_add_test(tc, req_get_v4_oif);
	tcase_add_test(tc, req_get_v6);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, parse_full_v4);
	tcase_add_test(tc, parse_multipath);
	tcase_add_test(tc, parse_truncated_everywhere);
	tcase_add_test(tc, parse_bad_lengths);
	tcase_add_test(tc, parse_bad_multipath);
	tcase_add_test(tc, next_and_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("choose");
	tcase_add_test(tc, choose_one_uplink);
	tcase_add_test(tc, choose_full_tunnel);
	tcase_add_test(tc, choose_pin_ignored);
	tcase_add_test(tc, choose_metrics_and_prefixes);
	tcase_add_test(tc, choose_reject_and_none);
	tcase_add_test(tc, choose_v6);
	tcase_add_test(tc, prefix_match);
	suite_add_tcase(s, tc);
	return s;
}
