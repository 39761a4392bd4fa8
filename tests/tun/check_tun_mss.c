/*
 * tests/tun/check_tun_mss.c: TCP MSS clamping on the TUN path.  The
 * packets were built and their checksums computed by a separate script
 * (python3, RFC 1071 over the pseudo-header and segment, not this code);
 * the "after" packets are that script's output for the lower MSS, so an
 * incremental update that went wrong shows as a byte difference.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_mem.h"
#include "tun/tun.h"

/* IPv4 SYN 192.0.2.2:40000 -> 203.0.113.10:443, MSS 1460 first. */
static const uint8_t v4_syn[] = {
	0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x2a, 0x7b,
	0xc0, 0x00, 0x02, 0x02, 0xcb, 0x00, 0x71, 0x0a, 0x9c, 0x40, 0x01, 0xbb,
	0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfa, 0xf0,
	0x68, 0x9a, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
	0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};
/* The same SYN built with MSS 1360: checksum 0x689a -> 0x68fe. */
static const uint8_t v4_syn_1360[] = {
	0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x2a, 0x7b,
	0xc0, 0x00, 0x02, 0x02, 0xcb, 0x00, 0x71, 0x0a, 0x9c, 0x40, 0x01, 0xbb,
	0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfa, 0xf0,
	0x68, 0xfe, 0x00, 0x00, 0x02, 0x04, 0x05, 0x50, 0x04, 0x02, 0x08, 0x0a,
	0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};
/* A NOP first: the MSS value 65495 sits at an odd offset (23). */
static const uint8_t v4_odd[] = {
	0x45, 0x00, 0x00, 0x30, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x2a, 0x87,
	0xc0, 0x00, 0x02, 0x02, 0xcb, 0x00, 0x71, 0x0a, 0x9c, 0x41, 0x00, 0x50,
	0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x70, 0x02, 0xfa, 0xf0,
	0x18, 0x41, 0x00, 0x00, 0x01, 0x02, 0x04, 0xff, 0xd7, 0x01, 0x01, 0x01,
};
static const uint8_t v4_odd_1360[] = {
	0x45, 0x00, 0x00, 0x30, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x2a, 0x87,
	0xc0, 0x00, 0x02, 0x02, 0xcb, 0x00, 0x71, 0x0a, 0x9c, 0x41, 0x00, 0x50,
	0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x70, 0x02, 0xfa, 0xf0,
	0xa0, 0x3b, 0x00, 0x00, 0x01, 0x02, 0x04, 0x05, 0x50, 0x01, 0x01, 0x01,
};
/* IPv6 SYN-ACK 2001:db8::1:443 -> 2001:db8:1::2, timestamps then MSS. */
static const uint8_t v6_synack[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x24, 0x06, 0x40, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x01, 0xbb, 0xc3, 0x50, 0x01, 0x02, 0x03, 0x04,
	0x0a, 0x0b, 0x0c, 0x0d, 0x90, 0x12, 0xfa, 0xf0, 0x29, 0x78, 0x00, 0x00,
	0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06,
	0x02, 0x04, 0x05, 0xa0,
};
static const uint8_t v6_synack_1300[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x24, 0x06, 0x40, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x01, 0xbb, 0xc3, 0x50, 0x01, 0x02, 0x03, 0x04,
	0x0a, 0x0b, 0x0c, 0x0d, 0x90, 0x12, 0xfa, 0xf0, 0x2a, 0x04, 0x00, 0x00,
	0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06,
	0x02, 0x04, 0x05, 0x14,
};

static const struct mss_vec {
	const char	*what;
	const uint8_t	*in, *out;
	size_t		 len;
	uint16_t	 mss;
} mss_vecs[] = {
	{ "IPv4 SYN, 1460 -> 1360", v4_syn, v4_syn_1360, sizeof(v4_syn),
	    1360 },
	{ "IPv4 SYN, odd offset, 65495 -> 1360", v4_odd, v4_odd_1360,
	    sizeof(v4_odd), 1360 },
	{ "IPv6 SYN-ACK, 1440 -> 1300", v6_synack, v6_synack_1300,
	    sizeof(v6_synack), 1300 },
};

START_TEST(mss_vectors)
{
	const struct mss_vec *v = &mss_vecs[_i];
	uint8_t pkt[128];

	memcpy(pkt, v->in, v->len);
	ck_assert_msg(tun_clamp_mss(pkt, v->len, v->mss) == 1, "%s", v->what);
	ck_assert_msg(memcmp(pkt, v->out, v->len) == 0, "%s", v->what);
	/* Clamping again, or to a larger value, changes nothing. */
	ck_assert_int_eq(tun_clamp_mss(pkt, v->len, v->mss), 0);
	ck_assert_int_eq(tun_clamp_mss(pkt, v->len, 1460), 0);
	ck_assert_mem_eq(pkt, v->out, v->len);
}
END_TEST

/* RFC 1071 over the IPv4 pseudo-header and segment, written out plainly. */
static uint16_t
full_csum_v4(const uint8_t *ip, size_t len)
{
	uint32_t sum = 0;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4, i;
	const uint8_t *seg = ip + ihl;
	size_t slen = len - ihl;

	for (i = 12; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	sum += 6 + (uint32_t)slen;
	for (i = 0; i + 1 < slen; i += 2)
		if (i != 16)
			sum += (uint32_t)(seg[i] << 8 | seg[i + 1]);
	if (slen % 2)
		sum += (uint32_t)seg[slen - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Every MSS value, at the even and the odd offset, against a recompute. */
START_TEST(mss_every_value)
{
	const uint8_t *base[] = { v4_syn, v4_odd };
	const size_t len[] = { sizeof(v4_syn), sizeof(v4_odd) };
	const size_t at[] = { 42, 43 };	/* the MSS value's offset */
	uint8_t pkt[64];
	uint32_t m;
	size_t k;

	for (k = 0; k < 2; k++)
		for (m = 0; m <= 0xffff; m += 7) {
			uint16_t old = (uint16_t)(base[k][at[k]] << 8 |
			    base[k][at[k] + 1]);

			memcpy(pkt, base[k], len[k]);
			ck_assert_int_eq(tun_clamp_mss(pkt, len[k],
			    (uint16_t)m), m < old ? 1 : 0);
			ck_assert_uint_eq(pkt[36] << 8 | pkt[37],
			    full_csum_v4(pkt, len[k]));
		}
}
END_TEST

/* Packets to leave alone, each a small change of a good one. */
START_TEST(mss_leave_alone)
{
	uint8_t pkt[128];

#define FRESH(p)	memcpy(pkt, p, sizeof(p))
	FRESH(v4_syn);
	pkt[33] = 0x10;				/* ACK only: not a SYN */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[6] |= 0x20;				/* MF: a first fragment */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[7] = 1;				/* a later fragment */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[9] = 17;				/* UDP */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[3] = 0x3d;				/* Total Length > read */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[3] = 0x2b;		/* Total Length ends inside the option */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[0] = 0x44;				/* IHL 4 < 5 */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[0] = 0x4f;		/* IHL 60 > the packet's 60 - TCP */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[32] = 0xf0;				/* Data Offset 60 > 40 */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[32] = 0x40;				/* Data Offset 16 < 20 */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[41] = 5;				/* MSS length 5, not 4 */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[41] = 1;				/* option length < 2 */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[40] = 0;				/* End of options first */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	FRESH(v4_syn);
	pkt[0] = 0x55;				/* version 5 */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_syn), 1000), 0);
	/* An option whose length runs past the header: stop, change none. */
	FRESH(v4_odd);
	pkt[41] = 0xff;
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v4_odd), 1000), 0);
	ck_assert_mem_eq(pkt + 42, v4_odd + 42, 3);
	FRESH(v6_synack);
	pkt[6] = 0;			/* Hop-by-Hop first: left alone */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v6_synack), 1000), 0);
	FRESH(v6_synack);
	pkt[5] = 0x25;				/* Payload Length > read */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v6_synack), 1000), 0);
	FRESH(v6_synack);
	pkt[5] = 0x23;		/* Payload Length cuts the MSS option */
	ck_assert_int_eq(tun_clamp_mss(pkt, sizeof(v6_synack), 1000), 0);
	ck_assert_int_eq(tun_clamp_mss(pkt, 0, 1000), 0);
#undef FRESH
}
END_TEST

/*
 * Every truncation of every vector, each an exactly sized heap copy so
 * that ASan sees a read past the end: none is changed (the IP length
 * field then exceeds the read length).
 */
START_TEST(mss_truncated)
{
	const struct mss_vec *v = &mss_vecs[_i];
	uint8_t *pkt;
	size_t n;

	for (n = 0; n < v->len; n++) {
		pkt = malloc(n > 0 ? n : 1);
		ck_assert_ptr_nonnull(pkt);
		memcpy(pkt, v->in, n);
		ck_assert_int_eq(tun_clamp_mss(pkt, n, 536), 0);
		ck_assert(n == 0 || memcmp(pkt, v->in, n) == 0);
		free(pkt);
	}
}
END_TEST

Suite *
tun_mss_suite(void)
{
	Suite *s = suite_create("tun_mss");
	TCase *tc = tcase_create("clamp");

	tcase_add_loop_test(tc, mss_vectors, 0, IR_ARRAY_LEN(mss_vecs));
	tcase_add_test(tc, mss_every_value);
	tcase_add_test(tc, mss_leave_alone);
	tcase_add_loop_test(tc, mss_truncated, 0, IR_ARRAY_LEN(mss_vecs));
	suite_add_tcase(s, tc);
	return s;
}
