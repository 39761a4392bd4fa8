/*
 * tests/tun/check_tun_plan.c: the routes the tunnel needs, from what the
 * gateway gave: split tunnels, full tunnels with and without IPv6, DNS
 * servers inside and outside the splits, vpnc-script's share, and the
 * differences a reconnect applies.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "tests/tun/tun_test.h"
#include "tun/tun.h"

/* The plan as "prefix/len:why" lines, in order, for one comparison. */
static const char *
show(const struct tun_plan *p)
{
	static char out[4096];
	static const char *why[] = { "?", "split", "default", "block6", "dns" };
	char a[INET6_ADDRSTRLEN];
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < p->n; i++) {
		inet_ntop(p->r[i].dst.ip.family, p->r[i].dst.ip.addr, a,
		    sizeof(a));
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s/%u:%s",
		    i ? " " : "", a, p->r[i].dst.len, why[p->r[i].why]);
	}
	return out;
}

START_TEST(plan_split)
{
	struct tun_split sp[] = { tt_split("203.0.113.0", 24),
	    tt_split("198.51.100.7", 24) /* host bits */,
	    tt_split("203.0.113.0", 24) /* twice: other ports */,
	    tt_split("2001:db8:1::", 48) };
	struct tun_ip dns[] = { tt_ip("203.0.113.53"), tt_ip("192.0.2.53"),
	    tt_ip("2001:db8:1::53"), tt_ip("2001:db8:2::53") };
	struct tun_plan_in in = { true, false, sp, IR_ARRAY_LEN(sp), dns,
	    IR_ARRAY_LEN(dns), false };
	struct tun_plan p;

	ck_assert_int_eq(tun_plan_routes(&in, &p), 0);
	ck_assert(!p.full4 && !p.full6 && !p.block6);
	ck_assert_str_eq(show(&p), "203.0.113.0/24:split "
	    "198.51.100.0/24:split 2001:db8:1::/48:split "
	    "192.0.2.53/32:dns 2001:db8:2::53/128:dns");
	/* vpnc-script routes the splits itself: only the DNS servers. */
	in.script = true;
	ck_assert_int_eq(tun_plan_routes(&in, &p), 0);
	ck_assert_str_eq(show(&p), "192.0.2.53/32:dns 2001:db8:2::53/128:dns");
}
END_TEST

/* 0.0.0.0/0 (no IPv4 split) and no IPv6 address: IPv6 into the TUN. */
START_TEST(plan_full_no_ipv6)
{
	struct tun_ip dns[] = { tt_ip("192.0.2.53"), tt_ip("2001:db8::53") };
	struct tun_plan_in in = { true, false, NULL, 0, dns, 2, false };
	struct tun_plan p;

	ck_assert_int_eq(tun_plan_routes(&in, &p), 0);
	ck_assert(p.full4 && !p.full6 && p.block6);
	ck_assert_str_eq(show(&p), "0.0.0.0/1:default 128.0.0.0/1:default "
	    "::/1:block6 8000::/1:block6");
	in.script = true;
	ck_assert_int_eq(tun_plan_routes(&in, &p), 0);
	ck_assert_str_eq(show(&p), "::/1:block6 8000::/1:block6");
}
END_TEST

START_TEST(plan_full_dual)
{
	struct tun_ip dns[] = { tt_ip("192.0.2.53"), tt_ip("2001:db8::53") };
	struct tun_plan_in in = { true, true, NULL, 0, dns, 2, false };
	struct tun_plan p;

	ck_assert_int_eq(tun_plan_routes(&in, &p), 0);
	ck_assert(p.full4 && p.full6 && !p.block6);
	ck_assert_str_eq(show(&p), "0.0.0.0/1:default 128.0.0.0/1:default "
	    "::/1:default 8000::/1:default");
	in.script = true;
	ck_assert_int_eq(tun_plan_routes(&in, &p), 0);
	ck_assert_int_eq(p.n, 0);
}
END_TEST

/*
 * Per family, as vpnc-script: IPv4 splits and an IPv6 address without
 * IPv6 splits send all IPv6 into the TUN (the script's
 * set_ipv6_default_route); IPv4 being split, nothing is blocked.
 */
START_TEST(plan_per_family)
{
	struct tun_split sp[] = { tt_split("10.1.0.0", 16) };
	struct tun_ip dns[] = { tt_ip("10.1.0.53") };
	struct tun_plan_in in = { true, true, sp, 1, dns, 1, false };
	struct tun_plan p;

	ck_assert_int_eq(tun_plan_routes(&in, &p), 0);
	ck_assert(!p.full4 && p.full6 && !p.block6);
	ck_assert_str_eq(show(&p), "10.1.0.0/16:split ::/1:default "
	    "8000::/1:default");
	/* No address at all: nothing into the TUN but the DNS server. */
	in.has_ip4 = in.has_ip6 = false;
	in.n_split = 0;
	ck_assert_int_eq(tun_plan_routes(&in, &p), 0);
	ck_assert_str_eq(show(&p), "10.1.0.53/32:dns");
}
END_TEST

START_TEST(plan_bad_input)
{
	struct tun_split sp[] = { tt_split("10.1.0.0", 16) };
	struct tun_ip dns[] = { tt_ip("10.1.0.53") };
	struct tun_plan_in in = { true, false, sp, 1, dns, 1, false };
	struct tun_split many[TUN_PLAN_MAX + 1];
	struct tun_plan p;
	size_t i;

	sp[0].net.len = 33;
	ck_assert_int_eq(tun_plan_routes(&in, &p), IR_ERR_CONFIG);
	sp[0].net.len = 16;
	sp[0].net.ip.family = 0;
	ck_assert_int_eq(tun_plan_routes(&in, &p), IR_ERR_CONFIG);
	sp[0].net.ip.family = AF_INET;
	dns[0].family = 99;
	ck_assert_int_eq(tun_plan_routes(&in, &p), IR_ERR_CONFIG);
	for (i = 0; i < IR_ARRAY_LEN(many); i++) {
		many[i] = tt_split("10.0.0.0", 24);
		many[i].net.ip.addr[2] = (uint8_t)i;
	}
	in.split = many;
	in.n_split = TUN_PLAN_MAX;
	in.n_dns = 0;
	ck_assert_int_eq(tun_plan_routes(&in, &p), 0);
	in.n_split = TUN_PLAN_MAX + 1;
	ck_assert_int_eq(tun_plan_routes(&in, &p), IR_ERR_NOBUF);
}
END_TEST

/* A reconnect: one split stays, one goes, one comes; DNS moves. */
START_TEST(plan_minus)
{
	struct tun_split s1[] = { tt_split("203.0.113.0", 24),
	    tt_split("198.51.100.0", 24) };
	struct tun_split s2[] = { tt_split("203.0.113.0", 24),
	    tt_split("192.0.2.0", 25) };
	struct tun_ip d1[] = { tt_ip("192.0.2.200") }, d2[] = { tt_ip("192.0.2.1") };
	struct tun_plan_in a = { true, false, s1, 2, d1, 1, false };
	struct tun_plan_in b = { true, false, s2, 2, d2, 1, false };
	struct tun_plan pa, pb, gone, added;

	ck_assert_int_eq(tun_plan_routes(&a, &pa), 0);
	ck_assert_int_eq(tun_plan_routes(&b, &pb), 0);
	/* 192.0.2.1 lies inside the new 192.0.2.0/25: no host route. */
	ck_assert_str_eq(show(&pb), "203.0.113.0/24:split 192.0.2.0/25:split");
	gone.n = tun_plan_minus(&pa, &pb, gone.r, TUN_PLAN_MAX);
	added.n = tun_plan_minus(&pb, &pa, added.r, TUN_PLAN_MAX);
	ck_assert_str_eq(show(&gone), "198.51.100.0/24:split "
	    "192.0.2.200/32:dns");
	ck_assert_str_eq(show(&added), "192.0.2.0/25:split");
	ck_assert_uint_eq(tun_plan_minus(&pa, &pa, gone.r, TUN_PLAN_MAX), 0);
	ck_assert_uint_eq(tun_plan_minus(&pa, &pb, gone.r, 1), 1);
}
END_TEST

START_TEST(prefix_covers)
{
	struct tun_prefix p;
	struct tun_ip a = tt_ip("192.0.2.1");

	memset(&p, 0, sizeof(p));
	p.ip = tt_ip("192.0.2.0");
	p.len = 25;
	ck_assert(tun_prefix_covers(&p, &a));
	a = tt_ip("192.0.2.128");
	ck_assert(!tun_prefix_covers(&p, &a));
	p.len = 24;
	ck_assert(tun_prefix_covers(&p, &a));
	p.len = 0;
	ck_assert(tun_prefix_covers(&p, &a));
	a = tt_ip("2001:db8::1");
	ck_assert(!tun_prefix_covers(&p, &a));	/* other family */
	p.ip = tt_ip("2001:db8::");
	p.len = 129;
	ck_assert(!tun_prefix_covers(&p, &a));
	p.len = 127;
	ck_assert(tun_prefix_covers(&p, &a));
}
END_TEST

Suite *
tun_plan_suite(void)
{
	Suite *s = suite_create("tun_plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, plan_split);
	tcase_add_test(tc, plan_full_no_ipv6);
	tcase_add_test(tc, plan_full_dual);
	tcase_add_test(tc, plan_per_family);
	tcase_add_test(tc, plan_bad_input);
	tcase_add_test(tc, plan_minus);
	tcase_add_test(tc, prefix_covers);
	suite_add_tcase(s, tc);
	return s;
}
