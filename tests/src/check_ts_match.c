/* tests/src/check_ts_match.c: packets against traffic selectors (RFC
 * 4301 §5.1, §5.2; RFC 7296 §3.13.1). */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "src/ts_match.h"

static struct ike_ts
ts4(const char *lo, const char *hi, uint8_t proto, uint16_t plo,
    uint16_t phi)
{
	struct ike_ts t;

	memset(&t, 0, sizeof(t));
	t.type = 7;
	t.proto = proto;
	t.port_lo = plo;
	t.port_hi = phi;
	inet_pton(AF_INET, lo, t.start);
	inet_pton(AF_INET, hi, t.end);
	return t;
}

static struct ike_ts
ts6(const char *lo, const char *hi)
{
	struct ike_ts t;

	memset(&t, 0, sizeof(t));
	t.type = 8;
	t.port_hi = 0xffff;
	inet_pton(AF_INET6, lo, t.start);
	inet_pton(AF_INET6, hi, t.end);
	return t;
}

/* An IPv4 packet: 20-octet header, then |l4| (ports or ICMP type). */
static size_t
pkt4(uint8_t *p, const char *src, const char *dst, uint8_t proto,
    uint16_t sport, uint16_t dport, uint16_t frag_off)
{
	memset(p, 0, 64);
	p[0] = 0x45;
	p[6] = (uint8_t)(frag_off >> 8);
	p[7] = (uint8_t)frag_off;
	p[9] = proto;
	inet_pton(AF_INET, src, p + 12);
	inet_pton(AF_INET, dst, p + 16);
	p[20] = (uint8_t)(sport >> 8);
	p[21] = (uint8_t)sport;
	p[22] = (uint8_t)(dport >> 8);
	p[23] = (uint8_t)dport;
	return 28;
}

static bool
match(const uint8_t *p, size_t len, const struct ike_ts *src, unsigned ns,
    const struct ike_ts *dst, unsigned nd)
{
	struct ts_fields f;

	ck_assert_int_eq(ts_fields_parse(p, len, &f), 0);
	return ts_fields_match(&f, src, ns, dst, nd);
}

START_TEST(split_tunnel_v4)
{
	struct ike_ts local = ts4("198.51.100.129", "198.51.100.129", 0, 0,
	    0xffff);
	struct ike_ts remote = ts4("203.0.113.0", "203.0.113.255", 0, 0,
	    0xffff);
	uint8_t p[64];
	size_t n;

	/* Outbound (§5.1): our address to the protected LAN. */
	n = pkt4(p, "198.51.100.129", "203.0.113.10", 1, 0x0800, 0, 0);
	ck_assert(match(p, n, &local, 1, &remote, 1));
	/* Outside the selectors: never into this SA. */
	n = pkt4(p, "198.51.100.129", "192.0.2.77", 1, 0x0800, 0, 0);
	ck_assert(!match(p, n, &local, 1, &remote, 1));
	/* Another source (not the address the gateway gave us). */
	n = pkt4(p, "192.0.2.2", "203.0.113.10", 17, 5000, 53, 0);
	ck_assert(!match(p, n, &local, 1, &remote, 1));
	/* Inbound (§5.2): the LAN to us, the other way round. */
	n = pkt4(p, "203.0.113.10", "198.51.100.129", 6, 443, 40000, 0);
	ck_assert(match(p, n, &remote, 1, &local, 1));
	n = pkt4(p, "192.0.2.99", "198.51.100.129", 6, 443, 40000, 0);
	ck_assert(!match(p, n, &remote, 1, &local, 1));
}
END_TEST

START_TEST(protocol_and_ports)
{
	struct ike_ts any = ts4("0.0.0.0", "255.255.255.255", 0, 0, 0xffff);
	struct ike_ts https = ts4("203.0.113.10", "203.0.113.10", 6, 443,
	    443);
	uint8_t p[64];
	size_t n;

	n = pkt4(p, "198.51.100.129", "203.0.113.10", 6, 40000, 443, 0);
	ck_assert(match(p, n, &any, 1, &https, 1));
	n = pkt4(p, "198.51.100.129", "203.0.113.10", 6, 40000, 80, 0);
	ck_assert(!match(p, n, &any, 1, &https, 1));
	n = pkt4(p, "198.51.100.129", "203.0.113.10", 17, 40000, 443, 0);
	ck_assert(!match(p, n, &any, 1, &https, 1));
	/* A later fragment has no ports: only "any port" covers it
	 * (RFC 4301 §4.4.1.1, OPAQUE). */
	n = pkt4(p, "198.51.100.129", "203.0.113.10", 6, 40000, 443, 185);
	ck_assert(!match(p, n, &any, 1, &https, 1));
	ck_assert(match(p, n, &any, 1, &any, 1));
	/* A packet too short for its ports: no ports either. */
	n = pkt4(p, "198.51.100.129", "203.0.113.10", 6, 40000, 443, 0);
	ck_assert(!match(p, 22, &any, 1, &https, 1));
	ck_assert(match(p, 22, &any, 1, &any, 1));
}
END_TEST

START_TEST(icmp_type_and_code)
{
	/* RFC 7296 §3.13.1: Type in the high octet, Code in the low. */
	struct ike_ts any = ts4("0.0.0.0", "255.255.255.255", 0, 0, 0xffff);
	struct ike_ts echo = ts4("203.0.113.0", "203.0.113.255", 1, 0x0800,
	    0x08ff);
	uint8_t p[64];
	size_t n;

	n = pkt4(p, "198.51.100.129", "203.0.113.10", 1, 0x0800, 0, 0);
	ck_assert(match(p, n, &any, 1, &echo, 1));
	n = pkt4(p, "198.51.100.129", "203.0.113.10", 1, 0x0303, 0, 0);
	ck_assert(!match(p, n, &any, 1, &echo, 1));
}
END_TEST

START_TEST(families_do_not_mix)
{
	struct ike_ts any4 = ts4("0.0.0.0", "255.255.255.255", 0, 0, 0xffff);
	struct ike_ts any6 = ts6("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	uint8_t p[64];

	/* An IPv6 packet into a tunnel the gateway gave only IPv4
	 * selectors: it must not go out in this SA. */
	memset(p, 0, sizeof(p));
	p[0] = 0x60;
	p[6] = 58;
	inet_pton(AF_INET6, "2001:db8::1", p + 8);
	inet_pton(AF_INET6, "2001:db8:1::10", p + 24);
	p[40] = 128;	/* echo request */
	ck_assert(!match(p, 48, &any4, 1, &any4, 1));
	ck_assert(match(p, 48, &any6, 1, &any6, 1));
	/* Several selectors: any one of them covers. */
	{
		struct ike_ts both[2] = { any4, any6 };

		ck_assert(match(p, 48, both, 2, both, 2));
	}
	/* An extension header: no ports, so "any port" still covers. */
	p[6] = 0;	/* hop-by-hop */
	ck_assert(match(p, 48, &any6, 1, &any6, 1));
	/* No selectors known on a side: no restriction from it. */
	ck_assert(match(p, 48, NULL, 0, &any6, 1));
}
END_TEST

START_TEST(bad_headers)
{
	struct ts_fields f;
	uint8_t p[64];
	size_t n;

	n = pkt4(p, "198.51.100.129", "203.0.113.10", 6, 1, 2, 0);
	ck_assert_int_eq(ts_fields_parse(p, 0, &f), IR_ERR_MALFORMED);
	ck_assert_int_eq(ts_fields_parse(p, 19, &f), IR_ERR_MALFORMED);
	p[0] = 0x44;	/* IHL 4: shorter than a header */
	ck_assert_int_eq(ts_fields_parse(p, n, &f), IR_ERR_MALFORMED);
	p[0] = 0x4f;	/* IHL 15: 60 octets, past the packet */
	ck_assert_int_eq(ts_fields_parse(p, n, &f), IR_ERR_MALFORMED);
	p[0] = 0x60;
	ck_assert_int_eq(ts_fields_parse(p, 39, &f), IR_ERR_MALFORMED);
	p[0] = 0x50;
	ck_assert_int_eq(ts_fields_parse(p, n, &f), IR_ERR_MALFORMED);
}
END_TEST

Suite *
ts_match_suite(void)
{
	Suite *s = suite_create("ts_match");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, split_tunnel_v4);
	tcase_add_test(tc, protocol_and_ports);
	tcase_add_test(tc, icmp_type_and_code);
	tcase_add_test(tc, families_do_not_mix);
	tcase_add_test(tc, bad_headers);
	suite_add_tcase(s, tc);
	return s;
}
