/*
 * tests/tun/check_tun_csum.c: the Internet checksum (tun/tun_csum.c)
 * against a byte-wise RFC 1071 reference: every length 0..2000 at every
 * start address modulo 8, partial sums split at even offsets, sums that
 * need several folds, and the RFC 1624 update.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tun/tun_csum.h"

#define MAXLEN	2000

static uint8_t buf[MAXLEN + 16];

/* RFC 1071 §4.1, octets taken in network order, 16 bits at a time. */
static uint16_t
ref_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Our result as stored in a packet, read back in network order. */
static uint16_t
net(uint16_t native)
{
	uint8_t b[2];

	tun_csum_store(b, native);
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void
fill(unsigned seed, uint8_t v)
{
	size_t i;

	srandom(seed);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = v != 0 ? v : (uint8_t)random();
}

/* _i: 0 random octets, 1 all 0xff (the most carries), 2 all zero. */
START_TEST(csum_all_lengths_offsets)
{
	static const uint8_t val[] = { 0, 0xff, 0 };
	size_t len, off;

	fill(1071 + (unsigned)_i, val[_i]);
	if (_i == 2)
		memset(buf, 0, sizeof(buf));
	for (off = 0; off < 8; off++)
		for (len = 0; len <= MAXLEN; len++)
			ck_assert_msg(net(tun_csum(buf + off, len)) ==
			    ref_csum(buf + off, len), "len %zu off %zu",
			    len, off);
}
END_TEST

/* A sum built from pieces at even offsets equals the whole's. */
START_TEST(csum_partial_pieces)
{
	size_t len, cut, off;
	uint64_t s;

	fill(1624, 0);
	for (off = 0; off < 8; off++)
		for (len = 0; len <= 300; len++)
			for (cut = 0; cut <= len; cut += 2) {
				s = tun_csum_add(0, buf + off, cut);
				s = tun_csum_add(s, buf + off + cut, len - cut);
				ck_assert_uint_eq(net((uint16_t)~tun_csum_fold(s)),
				    ref_csum(buf + off, len));
			}
}
END_TEST

/* tun_csum_add16 adds a number as the word of its two octets. */
START_TEST(csum_add16_and_big_sums)
{
	uint8_t w[2] = { 0x12, 0x34 };
	uint64_t s;
	int i;

	ck_assert_uint_eq(tun_csum_add16(0, 0x1234), tun_csum_add(0, w, 2));
	/* Partial sums far above 32 bits still fold to the right value. */
	s = 0;
	for (i = 0; i < 1000; i++)
		s = tun_csum_add(s, (const uint8_t *)"\xff\xff\xff\xff"
		    "\xff\xff\xff\xff", 8);
	ck_assert_uint_eq(tun_csum_fold(s), 0xffff);
	ck_assert_uint_eq(tun_csum_fold(0), 0);
	ck_assert_uint_eq(tun_csum_fold(UINT64_MAX), 0xffff);
	ck_assert_uint_eq(tun_csum_fold(0x10000), 1);
}
END_TEST

/* RFC 1624 §3: the updated checksum equals a recomputed one. */
START_TEST(csum_update_matches_recompute)
{
	uint8_t p[64];
	uint16_t hc, old, new, c, r;
	size_t w;
	int n;

	srandom(3);
	for (n = 0; n < 20000; n++) {
		for (w = 0; w < sizeof(p); w++)
			p[w] = (uint8_t)random();
		w = (size_t)(random() % 32) * 2;
		hc = ref_csum(p, sizeof(p));
		old = (uint16_t)(p[w] << 8 | p[w + 1]);
		new = (uint16_t)random();
		if (n < 4)
			new = (uint16_t)(n & 1 ? 0 : 0xffff);
		p[w] = (uint8_t)(new >> 8);
		p[w + 1] = (uint8_t)new;
		c = tun_csum_update(hc, old, new);
		r = ref_csum(p, sizeof(p));
		/* Only +0 and -0 may differ (RFC 1624 §3). */
		ck_assert_msg(c == r || ((c == 0 || c == 0xffff) &&
		    (r == 0 || r == 0xffff)), "%04x != %04x", c, r);
	}
}
END_TEST

Suite *tun_csum_suite(void);

Suite *
tun_csum_suite(void)
{
	Suite *s = suite_create("tun_csum");
	TCase *tc = tcase_create("csum");

	tcase_add_loop_test(tc, csum_all_lengths_offsets, 0, 3);
	tcase_add_test(tc, csum_partial_pieces);
	tcase_add_test(tc, csum_add16_and_big_sums);
	tcase_add_test(tc, csum_update_matches_recompute);
	suite_add_tcase(s, tc);
	return s;
}
