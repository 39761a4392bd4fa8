/*
 * tests/tun/check_tun_netlink.c: the rtnetlink builders and parsers.
 *
 * The expected messages are built a second, independent way: the kernel
 * header structs filled field by field and attributes appended with the
 * RTA_* macros of <linux/rtnetlink.h> (the iproute2 way), then compared
 * byte for byte with the builders' wire-writer output.  One message is
 * also spelled out as literal bytes.  No root needed: only the read-only
 * route look-up touches a socket.
 */
#include <arpa/inet.h>
#include <check.h>
#include <endian.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "tun/tun_nl.h"

/* An iproute2-style request: header, family header, room for attributes. */
struct req {
	struct nlmsghdr	n;
	union {
		struct ifaddrmsg ifa;
		struct rtmsg	 rt;
		struct ndmsg	 nd;
	} u;
	char		attrs[256];
};

static void
req_init(struct req *q, uint16_t type, uint16_t flags, uint32_t seq,
    size_t fam_len)
{
	memset(q, 0, sizeof(*q));
	q->n.nlmsg_len = NLMSG_LENGTH(fam_len);
	q->n.nlmsg_type = type;
	q->n.nlmsg_flags = flags;
	q->n.nlmsg_seq = seq;
}

static void
req_attr(struct req *q, uint16_t type, const void *data, size_t n)
{
	struct rtattr *rta;

	ck_assert_uint_le(NLMSG_ALIGN(q->n.nlmsg_len) + RTA_SPACE(n),
	    sizeof(*q));
	rta = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->n.nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(n);
	memcpy(RTA_DATA(rta), data, n);
	q->n.nlmsg_len = NLMSG_ALIGN(q->n.nlmsg_len) + RTA_SPACE(n);
}

static struct tun_ip
ip(const char *text)
{
	struct tun_ip a;

	memset(&a, 0, sizeof(a));
	a.family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(a.family, text, a.addr), 1);
	return a;
}

static uint8_t out[512];

static void
expect_msg(int rv, size_t len, const struct req *q)
{
	ck_assert_int_eq(rv, 0);
	ck_assert_uint_eq(len, q->n.nlmsg_len);
	ck_assert_mem_eq(out, q, len);
}

START_TEST(nl_addr_add_v4)
{
	struct tun_prefix p = { ip("192.0.2.77"), 24 };
	struct req q;
	size_t len;
	int rv;

	req_init(&q, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL, 7, sizeof(struct ifaddrmsg));
	q.u.ifa.ifa_family = AF_INET;
	q.u.ifa.ifa_prefixlen = 24;
	q.u.ifa.ifa_index = 5;
	req_attr(&q, IFA_LOCAL, p.ip.addr, 4);
	req_attr(&q, IFA_ADDRESS, p.ip.addr, 4);
	rv = tun_nlmsg_addr(out, sizeof(out), &len, RTM_NEWADDR, 7, 5, &p);
	expect_msg(rv, len, &q);
	ck_assert_uint_eq(len, 16 + 8 + 8 + 8);
}
END_TEST

START_TEST(nl_addr_del_v6)
{
	struct tun_prefix p = { ip("2001:db8::5"), 64 };
	struct req q;
	size_t len;
	int rv;

	req_init(&q, RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, 8,
	    sizeof(struct ifaddrmsg));
	q.u.ifa.ifa_family = AF_INET6;
	q.u.ifa.ifa_prefixlen = 64;
	q.u.ifa.ifa_index = 9;
	req_attr(&q, IFA_LOCAL, p.ip.addr, 16);
	req_attr(&q, IFA_ADDRESS, p.ip.addr, 16);
	rv = tun_nlmsg_addr(out, sizeof(out), &len, RTM_DELADDR, 8, 9, &p);
	expect_msg(rv, len, &q);
}
END_TEST

/* The two halves of "everything via the TUN": 0.0.0.0/1 and 128.0.0.0/1. */
START_TEST(nl_route_add_half)
{
	struct tun_route r;
	struct req q;
	uint32_t oif = 5;
	size_t len;
	int rv;

	memset(&r, 0, sizeof(r));
	r.dst.ip = ip("128.0.0.0");
	r.dst.len = 1;
	r.ifindex = oif;
	req_init(&q, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL, 11, sizeof(struct rtmsg));
	q.u.rt.rtm_family = AF_INET;
	q.u.rt.rtm_dst_len = 1;
	q.u.rt.rtm_table = RT_TABLE_MAIN;
	q.u.rt.rtm_protocol = RTPROT_STATIC;
	q.u.rt.rtm_scope = RT_SCOPE_LINK;
	q.u.rt.rtm_type = RTN_UNICAST;
	req_attr(&q, RTA_DST, r.dst.ip.addr, 4);
	req_attr(&q, RTA_OIF, &oif, 4);
	rv = tun_nlmsg_route(out, sizeof(out), &len, RTM_NEWROUTE, 11, &r);
	expect_msg(rv, len, &q);
}
END_TEST

/* The host route to the VPN gateway: /32 via the old default gateway. */
START_TEST(nl_route_add_gateway_host)
{
	struct tun_route r;
	struct req q;
	uint32_t oif = 2, metric = 50;
	size_t len;
	int rv;

	memset(&r, 0, sizeof(r));
	r.dst.ip = ip("203.0.113.10");
	r.dst.len = 32;
	r.gw = ip("198.51.100.1");
	r.ifindex = oif;
	r.metric = metric;
	req_init(&q, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL, 12, sizeof(struct rtmsg));
	q.u.rt.rtm_family = AF_INET;
	q.u.rt.rtm_dst_len = 32;
	q.u.rt.rtm_table = RT_TABLE_MAIN;
	q.u.rt.rtm_protocol = RTPROT_STATIC;
	q.u.rt.rtm_scope = RT_SCOPE_UNIVERSE;
	q.u.rt.rtm_type = RTN_UNICAST;
	req_attr(&q, RTA_DST, r.dst.ip.addr, 4);
	req_attr(&q, RTA_GATEWAY, r.gw.addr, 4);
	req_attr(&q, RTA_OIF, &oif, 4);
	req_attr(&q, RTA_PRIORITY, &metric, 4);
	rv = tun_nlmsg_route(out, sizeof(out), &len, RTM_NEWROUTE, 12, &r);
	expect_msg(rv, len, &q);
}
END_TEST

START_TEST(nl_route_del_v6_half)
{
	struct tun_route r;
	struct req q;
	uint32_t oif = 5;
	size_t len;
	int rv;

	memset(&r, 0, sizeof(r));
	r.dst.ip = ip("8000::");
	r.dst.len = 1;
	r.ifindex = oif;
	req_init(&q, RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, 13,
	    sizeof(struct rtmsg));
	q.u.rt.rtm_family = AF_INET6;
	q.u.rt.rtm_dst_len = 1;
	q.u.rt.rtm_table = RT_TABLE_MAIN;
	q.u.rt.rtm_protocol = RTPROT_STATIC;
	q.u.rt.rtm_scope = RT_SCOPE_NOWHERE;
	q.u.rt.rtm_type = RTN_UNICAST;
	req_attr(&q, RTA_DST, r.dst.ip.addr, 16);
	req_attr(&q, RTA_OIF, &oif, 4);
	rv = tun_nlmsg_route(out, sizeof(out), &len, RTM_DELROUTE, 13, &r);
	expect_msg(rv, len, &q);
}
END_TEST

START_TEST(nl_route_get_and_dumps)
{
	struct tun_ip dst = ip("203.0.113.10");
	struct req q;
	size_t len;
	int rv;

	req_init(&q, RTM_GETROUTE, NLM_F_REQUEST, 21, sizeof(struct rtmsg));
	q.u.rt.rtm_family = AF_INET;
	q.u.rt.rtm_dst_len = 32;
	req_attr(&q, RTA_DST, dst.addr, 4);
	rv = tun_nlmsg_route_get(out, sizeof(out), &len, 21, &dst);
	expect_msg(rv, len, &q);

	req_init(&q, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 22,
	    sizeof(struct rtmsg));
	q.u.rt.rtm_family = AF_INET6;
	rv = tun_nlmsg_dump(out, sizeof(out), &len, RTM_GETROUTE, 22, AF_INET6);
	expect_msg(rv, len, &q);

	req_init(&q, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, 23,
	    sizeof(struct ndmsg));
	q.u.nd.ndm_family = AF_INET;
	rv = tun_nlmsg_dump(out, sizeof(out), &len, RTM_GETNEIGH, 23, AF_INET);
	expect_msg(rv, len, &q);
}
END_TEST

/*
 * "ip route add 203.0.113.0/24 dev <7> proto static", sequence 1, as
 * bytes (little-endian hosts: rtnetlink is host order).
 */
START_TEST(nl_route_literal)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	static const uint8_t want[] = {
		0x2c, 0x00, 0x00, 0x00,	/* nlmsg_len 44 */
		0x18, 0x00,		/* RTM_NEWROUTE 24 */
		0x05, 0x06,		/* REQUEST|ACK|EXCL|CREATE 0x605 */
		0x01, 0x00, 0x00, 0x00,	/* seq 1 */
		0x00, 0x00, 0x00, 0x00,	/* pid 0 */
		0x02, 0x18, 0x00, 0x00,	/* AF_INET, /24, src 0, tos 0 */
		0xfe, 0x04, 0xfd, 0x01,	/* main, static, link, unicast */
		0x00, 0x00, 0x00, 0x00,	/* rtm_flags */
		0x08, 0x00, 0x01, 0x00,	/* RTA_DST, 8 */
		0xcb, 0x00, 0x71, 0x00,	/* 203.0.113.0 */
		0x08, 0x00, 0x04, 0x00,	/* RTA_OIF, 8 */
		0x07, 0x00, 0x00, 0x00,	/* 7 */
	};
	struct tun_route r;
	size_t len;

	memset(&r, 0, sizeof(r));
	r.dst.ip = ip("203.0.113.0");
	r.dst.len = 24;
	r.ifindex = 7;
	ck_assert_int_eq(tun_nlmsg_route(out, sizeof(out), &len, RTM_NEWROUTE,
	    1, &r), 0);
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
#else
	ck_assert_msg(0, "literal bytes are written for little-endian hosts");
#endif
}
END_TEST

START_TEST(nl_build_nobuf)
{
	struct tun_prefix p = { ip("2001:db8::5"), 64 };
	struct tun_route r;
	size_t len, need, cap;

	memset(&r, 0, sizeof(r));
	r.dst.ip = ip("2001:db8:1::");
	r.dst.len = 48;
	r.gw = ip("2001:db8::1");
	r.ifindex = 3;
	r.metric = 9;

	ck_assert_int_eq(tun_nlmsg_route(out, sizeof(out), &need,
	    RTM_NEWROUTE, 1, &r), 0);
	for (cap = 0; cap < need; cap++) {
		ck_assert_int_eq(tun_nlmsg_route(out + sizeof(out) - cap, cap,
		    &len, RTM_NEWROUTE, 1, &r), IR_ERR_NOBUF);
		ck_assert_uint_eq(len, 0);
	}
	ck_assert_int_eq(tun_nlmsg_addr(out, sizeof(out), &need, RTM_NEWADDR,
	    1, 3, &p), 0);
	for (cap = 0; cap < need; cap++)
		ck_assert_int_eq(tun_nlmsg_addr(out + sizeof(out) - cap, cap,
		    &len, RTM_NEWADDR, 1, 3, &p), IR_ERR_NOBUF);
}
END_TEST

START_TEST(nl_build_bad_input)
{
	struct tun_prefix p = { ip("192.0.2.1"), 33 };
	struct tun_route r;
	struct tun_ip none;
	size_t len;

	ck_assert_int_eq(tun_nlmsg_addr(out, sizeof(out), &len, RTM_NEWADDR,
	    1, 3, &p), IR_ERR_CONFIG);
	p.len = 32;
	ck_assert_int_eq(tun_nlmsg_addr(out, sizeof(out), &len, RTM_GETADDR,
	    1, 3, &p), IR_ERR_CONFIG);
	memset(&r, 0, sizeof(r));
	r.dst.ip = ip("192.0.2.0");
	r.dst.len = 24;
	r.gw = ip("2001:db8::1");		/* family mismatch */
	ck_assert_int_eq(tun_nlmsg_route(out, sizeof(out), &len, RTM_NEWROUTE,
	    1, &r), IR_ERR_CONFIG);
	memset(&none, 0, sizeof(none));
	ck_assert_int_eq(tun_nlmsg_route_get(out, sizeof(out), &len, 1, &none),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(tun_nlmsg_dump(out, sizeof(out), &len, RTM_GETLINK, 1,
	    AF_INET), IR_ERR_CONFIG);
}
END_TEST

/* A kernel-style default route entry, built with the macros. */
static void
make_default_route(struct req *q)
{
	struct tun_ip gw = ip("198.51.100.1"), src = ip("198.51.100.20");
	uint32_t oif = 3, prio = 100, table = RT_TABLE_MAIN;

	req_init(q, RTM_NEWROUTE, NLM_F_MULTI, 31, sizeof(struct rtmsg));
	q->u.rt.rtm_family = AF_INET;
	q->u.rt.rtm_table = RT_TABLE_MAIN;
	q->u.rt.rtm_protocol = RTPROT_DHCP;
	q->u.rt.rtm_type = RTN_UNICAST;
	req_attr(q, RTA_TABLE, &table, 4);
	req_attr(q, RTA_PRIORITY, &prio, 4);
	req_attr(q, RTA_PREFSRC, src.addr, 4);	/* skipped by the parser */
	req_attr(q, RTA_GATEWAY, gw.addr, 4);
	req_attr(q, RTA_OIF, &oif, 4);
}

START_TEST(nl_parse_route)
{
	struct tun_nl_rtinfo info;
	struct tun_nlmsg m;
	struct tun_ip gw = ip("198.51.100.1");
	const uint8_t *p;
	struct req q;
	size_t left;

	make_default_route(&q);
	p = (const uint8_t *)&q;
	left = q.n.nlmsg_len;
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 1);
	ck_assert_uint_eq(left, 0);
	ck_assert_uint_eq(m.seq, 31);
	ck_assert_int_eq(tun_nlmsg_parse_route(&m, &info), 0);
	ck_assert_uint_eq(info.route.dst.len, 0);
	ck_assert_uint_eq(info.route.dst.ip.family, AF_INET);
	ck_assert_mem_eq(&info.route.gw, &gw, sizeof(gw));
	ck_assert_uint_eq(info.route.ifindex, 3);
	ck_assert_uint_eq(info.route.metric, 100);
	ck_assert_uint_eq(info.table, RT_TABLE_MAIN);
	ck_assert_uint_eq(info.type, RTN_UNICAST);
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 0);
}
END_TEST

/* A message cut anywhere is refused by the walker, never read past. */
START_TEST(nl_parse_truncated)
{
	struct tun_nlmsg m;
	const uint8_t *p;
	struct req q;
	size_t left, cut;

	make_default_route(&q);
	for (cut = 1; cut < q.n.nlmsg_len; cut++) {
		memcpy(out + sizeof(out) - cut, &q, cut);	/* ASan edge */
		p = out + sizeof(out) - cut;
		left = cut;
		ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m),
		    IR_ERR_MALFORMED);
	}
}
END_TEST

/* Attribute lengths that lie are refused too. */
START_TEST(nl_parse_bad_attrs)
{
	struct tun_nl_rtinfo info;
	struct tun_nlmsg m;
	struct rtattr *rta;
	const uint8_t *p;
	struct req q;
	size_t left;
	uint8_t three[3] = { 1, 2, 3 };

	make_default_route(&q);
	rta = (struct rtattr *)q.attrs;		/* the first: RTA_TABLE */
	rta->rta_len = 200;			/* beyond the message */
	p = (const uint8_t *)&q;
	left = q.n.nlmsg_len;
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 1);
	ck_assert_int_eq(tun_nlmsg_parse_route(&m, &info), IR_ERR_MALFORMED);

	rta->rta_len = 3;			/* shorter than its header */
	ck_assert_int_eq(tun_nlmsg_parse_route(&m, &info), IR_ERR_MALFORMED);

	make_default_route(&q);
	req_attr(&q, RTA_GATEWAY, three, 3);	/* an IPv4 address of 3 */
	p = (const uint8_t *)&q;
	left = q.n.nlmsg_len;
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 1);
	ck_assert_int_eq(tun_nlmsg_parse_route(&m, &info), IR_ERR_MALFORMED);

	m.body_len = sizeof(struct rtmsg) - 1;	/* no room for the rtmsg */
	ck_assert_int_eq(tun_nlmsg_parse_route(&m, &info), IR_ERR_MALFORMED);
	m.type = RTM_NEWADDR;
	m.body_len = sizeof(struct rtmsg);
	ck_assert_int_eq(tun_nlmsg_parse_route(&m, &info), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(nl_parse_neigh_and_error)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	struct tun_ip gw = ip("198.51.100.1");
	struct tun_nl_neigh nb;
	struct tun_nlmsg m;
	struct nlmsgerr e;
	const uint8_t *p;
	struct req q[2];
	size_t left;
	int err;

	req_init(&q[0], RTM_NEWNEIGH, NLM_F_MULTI, 41, sizeof(struct ndmsg));
	q[0].u.nd.ndm_family = AF_INET;
	q[0].u.nd.ndm_ifindex = 3;
	q[0].u.nd.ndm_state = NUD_REACHABLE;
	req_attr(&q[0], NDA_DST, gw.addr, 4);
	req_attr(&q[0], NDA_LLADDR, mac, 6);	/* padded to 8 */

	/* An NLMSG_ERROR right behind it in the same buffer. */
	memset(&e, 0, sizeof(e));
	e.error = -EEXIST;
	req_init(&q[1], NLMSG_ERROR, 0, 41, 0);
	memcpy(&q[1].u, &e, sizeof(e));
	q[1].n.nlmsg_len = NLMSG_LENGTH(sizeof(e));

	left = NLMSG_ALIGN(q[0].n.nlmsg_len);
	memcpy(out, &q[0], left);
	memcpy(out + left, &q[1], q[1].n.nlmsg_len);
	left += q[1].n.nlmsg_len;
	p = out;

	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 1);
	ck_assert_int_eq(tun_nlmsg_parse_neigh(&m, &nb), 0);
	ck_assert_uint_eq(nb.ifindex, 3);
	ck_assert_uint_eq(nb.state, NUD_REACHABLE);
	ck_assert_mem_eq(&nb.ip, &gw, sizeof(gw));
	ck_assert_uint_eq(nb.lladdr_len, 6);
	ck_assert_mem_eq(nb.lladdr, mac, 6);

	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 1);
	ck_assert_uint_eq(m.type, NLMSG_ERROR);
	ck_assert_int_eq(tun_nlmsg_error(&m, &err), 0);
	ck_assert_int_eq(err, -EEXIST);
	ck_assert_int_eq(tun_nlmsg_next(&p, &left, &m), 0);

	m.body_len = 3;				/* too short for the code */
	ck_assert_int_eq(tun_nlmsg_error(&m, &err), IR_ERR_MALFORMED);
}
END_TEST

/*
 * The socket path, read-only and unprivileged: the kernel routes
 * 127.0.0.1 through "lo" (local table), an empty record undoes to
 * nothing, and the dumps walk to their NLMSG_DONE.
 */
START_TEST(nl_lookup_loopback)
{
	static struct tun_nl nl;
	struct tun_ip lo = ip("127.0.0.1"), doc = ip("192.0.2.1");
	struct tun_route r;
	uint8_t mac[32];
	size_t maclen = 99;
	int rv;

	tun_nl_init(&nl);
	ck_assert_int_eq(tun_nl_open(&nl), 0);
	ck_assert_int_eq(tun_route_lookup(&nl, &lo, &r), 0);
	ck_assert_uint_eq(r.ifindex, if_nametoindex("lo"));
	ck_assert_uint_eq(r.gw.family, 0);
	ck_assert_uint_eq(r.dst.len, 32);
	ck_assert_int_eq(tun_nl_undo(&nl), 0);

	/* Dumps: nobody has a neighbour entry on "lo". */
	ck_assert_int_eq(tun_neigh_lookup(&nl, if_nametoindex("lo"), &doc,
	    mac, sizeof(mac), &maclen), IR_ERR_NOT_FOUND);
	ck_assert_uint_eq(maclen, 0);
	/* The host may or may not have a default route; either parses. */
	rv = tun_route_get_default(&nl, AF_INET, &r);
	ck_assert_msg(rv == 0 || rv == IR_ERR_NOT_FOUND, "%d", rv);
	if (rv == 0)
		ck_assert_uint_eq(r.dst.len, 0);
	tun_nl_close(&nl);
	ck_assert_int_eq(nl.fd, -1);
}
END_TEST

Suite *tun_netlink_suite(void);

Suite *
tun_netlink_suite(void)
{
	Suite *s = suite_create("tun_netlink");
	TCase *tc = tcase_create("build");
	TCase *tp = tcase_create("parse");
	TCase *ts = tcase_create("socket");

	tcase_add_test(tc, nl_addr_add_v4);
	tcase_add_test(tc, nl_addr_del_v6);
	tcase_add_test(tc, nl_route_add_half);
	tcase_add_test(tc, nl_route_add_gateway_host);
	tcase_add_test(tc, nl_route_del_v6_half);
	tcase_add_test(tc, nl_route_get_and_dumps);
	tcase_add_test(tc, nl_route_literal);
	tcase_add_test(tc, nl_build_nobuf);
	tcase_add_test(tc, nl_build_bad_input);
	tcase_add_test(tp, nl_parse_route);
	tcase_add_test(tp, nl_parse_truncated);
	tcase_add_test(tp, nl_parse_bad_attrs);
	tcase_add_test(tp, nl_parse_neigh_and_error);
	tcase_add_test(ts, nl_lookup_loopback);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tp);
	suite_add_tcase(s, ts);
	return s;
}
