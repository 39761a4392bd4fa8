/*
 * tests/tun/check_tun_mtu.c: inner MTU and MSS arithmetic.  Each expected
 * value is worked out in its comment, and was cross-checked by a brute
 * force search (largest P with outer + 8 + IV + roundup(P + 2, align) +
 * ICV <= path MTU) in python3.
 */
#include <check.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "tun/tun.h"

static const struct mtu_vec {
	const char		*what;
	struct tun_mtu_params	 p;
	uint32_t		 want;
} mtu_vecs[] = {
	/*
	 * AES-GCM-16 (RFC 4106: 8-octet IV, 16-octet ICV, no block padding,
	 * only RFC 4303 §2.4's 4-octet alignment) in UDP over IPv4:
	 * 1500 - 20 IPv4 - 8 UDP - 8 SPI/seq - 8 IV - 16 ICV = 1440 for
	 * the encrypted part, already a multiple of 4; minus Pad Length and
	 * Next Header (2) leaves 1438.  (1422, often quoted, is the AES-CBC
	 * figure below, where 16-octet blocks waste 8 octets.)
	 */
	{ "GCM-16, UDP, IPv4", { 1500, false, TUN_MTU_UDP, 0, 8, 1, 16 },
	    1438 },
	/* 1500 - 40 - 8 - 8 - 8 - 16 = 1420 (4 | 1420) - 2 = 1418. */
	{ "GCM-16, UDP, IPv6", { 1500, true, TUN_MTU_UDP, 0, 8, 1, 16 }, 1418 },
	/*
	 * RFC 9329 over IPv4 with TCP timestamps (12 octets of options):
	 * 1500 - 20 - 20 TCP - 12 - 2 length - 8 - 8 - 16 = 1414, down to
	 * a multiple of 4: 1412, - 2 = 1410.
	 */
	{ "GCM-16, TCP+ts, IPv4", { 1500, false, TUN_MTU_TCP, 12, 8, 1, 16 },
	    1410 },
	/* No options: 1500 - 20 - 20 - 2 - 32 = 1426 -> 1424 -> 1422. */
	{ "GCM-16, TCP, IPv4", { 1500, false, TUN_MTU_TCP, 0, 8, 1, 16 },
	    1422 },
	/*
	 * AES-CBC (16-octet IV and block) + HMAC-SHA-256-128 (RFC 4868,
	 * 16-octet ICV) in UDP over IPv4: 1500 - 20 - 8 - 8 - 16 - 16 = 1432,
	 * down to a multiple of 16: 1424, - 2 = 1422.
	 */
	{ "CBC+SHA256, UDP, IPv4", { 1500, false, TUN_MTU_UDP, 0, 16, 16, 16 },
	    1422 },
	/* 1500 - 20 - 20 - 12 - 2 - 8 - 16 - 16 = 1406 -> 1392 -> 1390. */
	{ "CBC+SHA256, TCP+ts, IPv4",
	    { 1500, false, TUN_MTU_TCP, 12, 16, 16, 16 }, 1390 },
	/* 1500 - 40 - 8 - 8 - 16 - 16 = 1412 -> 1408 -> 1406. */
	{ "CBC+SHA256, UDP, IPv6", { 1500, true, TUN_MTU_UDP, 0, 16, 16, 16 },
	    1406 },
	/* 3DES (8-octet IV/block) + HMAC-SHA1-96: 1444 -> 1440 -> 1438. */
	{ "3DES+SHA1-96, UDP, IPv4", { 1500, false, TUN_MTU_UDP, 0, 8, 8, 12 },
	    1438 },
	/* A 1400 path (PPPoE, another tunnel): 1340 -> 1338. */
	{ "GCM-16, UDP, IPv4, 1400", { 1400, false, TUN_MTU_UDP, 0, 8, 1, 16 },
	    1338 },
	/* 1280 - 40 - 20 - 12 - 2 - 32 = 1174 -> 1172 -> 1170 (< 1280!). */
	{ "GCM-16, TCP+ts, IPv6, 1280",
	    { 1280, true, TUN_MTU_TCP, 12, 8, 1, 16 }, 1170 },
};

START_TEST(mtu_vectors)
{
	const struct mtu_vec *v = &mtu_vecs[_i];
	uint32_t mtu;

	ck_assert_int_eq(tun_mtu_inner(&v->p, &mtu), 0);
	ck_assert_msg(mtu == v->want, "%s: %u, want %u", v->what,
	    (unsigned)mtu, (unsigned)v->want);
}
END_TEST

/* The ESP packet carrying an inner packet of |payload| octets, with headers. */
static uint32_t
outer_len(const struct tun_mtu_params *p, uint32_t payload)
{
	uint32_t align = p->block_len > 4 ? p->block_len : 4;
	uint32_t enc = (payload + 2 + align - 1) / align * align;
	uint32_t hdr = (p->outer_ipv6 ? 40 : 20) +
	    (p->xport == TUN_MTU_TCP ? 22 + p->tcp_options : 8);

	return hdr + 8 + p->iv_len + enc + p->icv_len;
}

/* For every path MTU: the answer fits, one octet more does not. */
START_TEST(mtu_is_tight)
{
	static const struct tun_mtu_params shapes[] = {
		{ 0, false, TUN_MTU_UDP, 0, 8, 1, 16 },
		{ 0, true, TUN_MTU_TCP, 12, 16, 16, 16 },
		{ 0, false, TUN_MTU_TCP, 40, 8, 8, 12 },
	};
	struct tun_mtu_params p;
	uint32_t mtu, path;
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(shapes); i++)
		for (path = 576; path <= 9000; path++) {
			p = shapes[i];
			p.path_mtu = path;
			ck_assert_int_eq(tun_mtu_inner(&p, &mtu), 0);
			ck_assert_uint_le(outer_len(&p, mtu), path);
			ck_assert_uint_gt(outer_len(&p, mtu + 1), path);
		}
}
END_TEST

START_TEST(mtu_bad_params)
{
	struct tun_mtu_params p = { 1500, false, TUN_MTU_TCP, 3, 8, 1, 16 };
	uint32_t mtu = 1;

	ck_assert_int_eq(tun_mtu_inner(&p, &mtu), IR_ERR_CONFIG); /* 4 | opt */
	ck_assert_uint_eq(mtu, 0);
	p.tcp_options = 44;			/* more than 40 cannot be */
	ck_assert_int_eq(tun_mtu_inner(&p, &mtu), IR_ERR_CONFIG);
	p.tcp_options = 0;
	p.path_mtu = 60;			/* less than the headers */
	ck_assert_int_eq(tun_mtu_inner(&p, &mtu), IR_ERR_CONFIG);
	/* TCP/IPv4, GCM: 20 + 20 + 2 + 8 + 8 + 16 = 74 octets of overhead. */
	p.path_mtu = 145;	/* 145 - 74 = 71 -> 68, - 2 = 66 < 68 */
	ck_assert_int_eq(tun_mtu_inner(&p, &mtu), IR_ERR_CONFIG);
	p.path_mtu = 146;	/* 146 - 74 = 72, - 2 = 70 >= 68 */
	ck_assert_int_eq(tun_mtu_inner(&p, &mtu), 0);
	ck_assert_uint_eq(mtu, 70);
	p.xport = (enum tun_mtu_xport)7;
	ck_assert_int_eq(tun_mtu_inner(&p, &mtu), IR_ERR_CONFIG);
	p.xport = TUN_MTU_UDP;
	p.icv_len = 100000;
	ck_assert_int_eq(tun_mtu_inner(&p, &mtu), IR_ERR_CONFIG);
}
END_TEST

/* MSS = MTU - IP header - 20-octet TCP header. */
START_TEST(mss_clamp)
{
	ck_assert_uint_eq(tun_mtu_mss(1438, false), 1398);
	ck_assert_uint_eq(tun_mtu_mss(1418, true), 1358);
	ck_assert_uint_eq(tun_mtu_mss(1500, false), 1460);	/* Ethernet */
	ck_assert_uint_eq(tun_mtu_mss(40, false), 0);
	ck_assert_uint_eq(tun_mtu_mss(59, true), 0);
}
END_TEST

Suite *tun_mtu_suite(void);

Suite *
tun_mtu_suite(void)
{
	Suite *s = suite_create("tun_mtu");
	TCase *tc = tcase_create("mtu");

	tcase_add_loop_test(tc, mtu_vectors, 0, IR_ARRAY_LEN(mtu_vecs));
	tcase_add_test(tc, mtu_is_tight);
	tcase_add_test(tc, mtu_bad_params);
	tcase_add_test(tc, mss_clamp);
	suite_add_tcase(s, tc);
	return s;
}
