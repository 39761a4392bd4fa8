/*
 * tests/esp/check_esp_crypt.c: esp_encrypt() and esp_decrypt() for every
 * transform suite, with and without ESN (RFC 4303 §3.3, §3.4): round
 * trips, the wire format against the reference encoder of esp_test.c,
 * and every way a received packet can be wrong.
 *
 * Loop tests run over _i in 0 .. 2 * t_nsuites: suite _i % t_nsuites,
 * ESN for the second half.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "tests/check_util.h"
#include "tests/esp/esp_test.h"

#define SUITE_OF(i)	(&t_suites[(i) % t_nsuites])
#define ESN_OF(i)	((i) >= (int)t_nsuites)
#define NLOOP		(2 * (int)t_nsuites)

static uint8_t	inner[2048], wire[2048 + 128];

/* Encrypt |len| octets of |in| on |out_sa|; the ESP packet goes to |w|. */
static size_t
seal(struct esp_sa *out_sa, const uint8_t *in, size_t len, size_t tfc,
    uint8_t *w)
{
	struct ir_pkt pkt = t_pkt_exact(in, len, ESP_HEADROOM,
	    ESP_TAILROOM + tfc);
	size_t n;

	ck_assert_int_eq(esp_encrypt(out_sa, &pkt, tfc), 0);
	n = pkt.len;
	memcpy(w, pkt.data, n);
	t_pkt_free(&pkt);
	return n;
}

/* Decrypt a copy of |w| in an exactly sized buffer. */
static int
open_copy(struct esp_sa *in_sa, const uint8_t *w, size_t n, uint8_t *out,
    size_t *out_len)
{
	struct ir_pkt pkt = t_pkt_exact(w, n, 0, 0);
	int rv;

	rv = esp_decrypt(in_sa, &pkt);
	if (rv == 0) {
		ck_assert(pkt.data >= pkt.head);
		ck_assert_uint_le((size_t)(pkt.data - pkt.head) + pkt.len, n);
		memcpy(out, pkt.data, pkt.len);
		*out_len = pkt.len;
	}
	t_pkt_free(&pkt);
	return rv;
}

/* Sizes 20 .. 1500, IPv4 and IPv6, some with TFC padding. */
START_TEST(crypt_round_trip)
{
	struct esp_sa *out = t_esp_sa(SUITE_OF(_i), ESN_OF(_i), true, 0);
	struct esp_sa *in = t_esp_sa(SUITE_OF(_i), ESN_OF(_i), false, 0);
	uint8_t got[2048];
	struct esp_sa_stats st;
	size_t len, n, got_len, tfc, count = 0, bytes = 0;
	bool v6;

	for (len = 20; len <= 1500; len++) {
		v6 = len >= 40 && len % 3 == 0;
		tfc = len % 7 == 0 ? len % 61 : 0;
		t_ip_packet(inner, len, v6, (uint32_t)len);
		n = seal(out, inner, len, tfc, wire);
		ck_assert_int_eq(open_copy(in, wire, n, got, &got_len), 0);
		ck_assert_uint_eq(got_len, len);
		ck_assert_mem_eq(got, inner, len);
		count++;
		bytes += len;
	}
	esp_sa_get_stats(out, &st);
	ck_assert_uint_eq(st.packets, count);
	ck_assert_uint_eq(st.bytes, bytes);
	ck_assert_uint_eq(st.seq, count);
	esp_sa_get_stats(in, &st);
	ck_assert_uint_eq(st.packets, count);
	ck_assert_uint_eq(st.bytes, bytes);
	ck_assert_uint_eq(st.seq, count);
	esp_sa_free(out);
	esp_sa_free(in);
}
END_TEST

/*
 * The engine's packet equals the reference encoder's: same header, IV
 * (the sequence number for the AEADs; for CBC the IV the engine drew),
 * padding 1, 2, 3, ..., pad length, next header and ICV.
 */
START_TEST(crypt_matches_reference)
{
	const struct t_suite *s = SUITE_OF(_i);
	struct esp_sa *out = t_esp_sa(s, ESN_OF(_i), true, 0);
	static uint8_t ref_wire[2048 + 128];
	struct t_ref ref;
	size_t len, n, rn, iv_len;
	uint64_t seq = 0;

	for (len = 20; len <= 200; len++) {
		t_ip_packet(inner, len, false, (uint32_t)len);
		n = seal(out, inner, len, 0, wire);
		seq++;
		t_ref_init(&ref, inner, len);
		iv_len = s->integ != 0 ? 16 : 8;
		if (s->integ != 0)
			ref.iv = wire + 8;	/* the random IV it drew */
		rn = t_esp_ref(s, ESN_OF(_i), T_SPI, seq, &ref, ref_wire,
		    sizeof(ref_wire));
		ck_assert_uint_eq(n, rn);
		ck_assert_mem_eq(wire, ref_wire, n);
		ck_assert_uint_gt(n, 8 + iv_len + len);
	}
	esp_sa_free(out);
}
END_TEST

/* CBC IVs come from the random callback, one per packet, all differ. */
START_TEST(crypt_cbc_iv_random)
{
	const struct t_suite *s = &t_suites[3];
	struct esp_sa *out = t_esp_sa(s, false, true, 0);
	uint8_t iv1[16];
	size_t n;

	ck_assert_uint_ne(s->integ, 0);
	t_ip_packet(inner, 100, false, 1);
	seal(out, inner, 100, 0, wire);
	memcpy(iv1, wire + 8, 16);
	n = seal(out, inner, 100, 0, wire);
	ck_assert_uint_gt(n, 24);
	ck_assert(memcmp(iv1, wire + 8, 16) != 0);
	esp_sa_free(out);
}
END_TEST

/* Flip every bit position of one packet: never accepted. */
START_TEST(crypt_tampered)
{
	struct esp_sa *out = t_esp_sa(SUITE_OF(_i), ESN_OF(_i), true, 0);
	struct esp_sa *in = t_esp_sa(SUITE_OF(_i), ESN_OF(_i), false, 0);
	uint8_t got[2048];
	struct esp_sa_stats st;
	size_t n, k, got_len;
	int rv;

	t_ip_packet(inner, 84, false, 7);
	n = seal(out, inner, 84, 0, wire);
	for (k = 0; k < n * 8; k++) {
		wire[k / 8] ^= (uint8_t)(1u << (k % 8));
		rv = open_copy(in, wire, n, got, &got_len);
		wire[k / 8] ^= (uint8_t)(1u << (k % 8));
		if (k < 32)
			ck_assert_int_eq(rv, IR_ERR_NOT_FOUND);
		else
			ck_assert_msg(rv == IR_ERR_DECRYPT ||
			    rv == IR_ERR_REPLAY, "bit %zu: %d", k, rv);
	}
	esp_sa_get_stats(in, &st);
	ck_assert_uint_eq(st.seq, 0);		/* the window never moved */
	ck_assert_uint_eq(st.packets, 0);
	ck_assert_uint_eq(st.drop_spi, 32);
	ck_assert_uint_eq(st.drop_decrypt + st.drop_replay, n * 8 - 32);
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len), 0);
	ck_assert_mem_eq(got, inner, 84);
	esp_sa_free(out);
	esp_sa_free(in);
}
END_TEST

/* Authentic packets with a bad trailer (RFC 4303 §2.4) are dropped. */
START_TEST(crypt_bad_trailer)
{
	const struct t_suite *s = SUITE_OF(_i);
	struct esp_sa *in = t_esp_sa(s, ESN_OF(_i), false, 0);
	uint8_t got[2048];
	struct esp_sa_stats st;
	struct t_ref ref;
	size_t n, got_len, align = s->integ != 0 ? 16 : 4;
	uint64_t seq = 1;

	t_ip_packet(inner, 61, false, 3);
	/* Pad bytes not 1, 2, 3, ... */
	t_ref_init(&ref, inner, 61);
	ref.pad = (int)align + 1;
	ref.bad_pad = true;
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, seq++, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len),
	    IR_ERR_MALFORMED);
	/* The same with good padding is fine (a longer pad is legal). */
	ref.bad_pad = false;
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, seq++, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len), 0);
	ck_assert_uint_eq(got_len, 61);
	/* Pad length beyond the payload. */
	t_ref_init(&ref, inner, 20);
	ref.pad = (int)(align - 22 % align) % (int)align;
	ref.pad_field = 255;
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, seq++, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len),
	    IR_ERR_MALFORMED);
	/* Pad length that leaves exactly nothing, and one more. */
	t_ref_init(&ref, inner, 0);
	ref.pad = (int)align - 2;
	ref.pad_field = (int)align - 1;
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, seq++, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len),
	    IR_ERR_MALFORMED);
	esp_sa_get_stats(in, &st);
	ck_assert_uint_eq(st.drop_pad, 3);
	ck_assert_uint_eq(st.packets, 1);
	ck_assert_uint_eq(st.seq, 4);		/* authentic: the window moved */
	esp_sa_free(in);
}
END_TEST

/* Next header 59 (§2.6) is a distinct non-fatal drop; 17 unsupported. */
START_TEST(crypt_next_header)
{
	const struct t_suite *s = SUITE_OF(_i);
	struct esp_sa *out = t_esp_sa(s, ESN_OF(_i), true, 0);
	struct esp_sa *in = t_esp_sa(s, ESN_OF(_i), false, 0);
	uint8_t got[2048];
	struct esp_sa_stats st;
	struct t_ref ref;
	size_t n, got_len;

	t_ip_packet(inner, 40, false, 4);
	t_ref_init(&ref, inner, 40);
	ref.nh = 59;
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, 101, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len), IR_ERR_DUMMY);
	ck_assert(!ir_err_is_fatal(IR_ERR_DUMMY));
	ref.nh = 17;
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, 102, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len),
	    IR_ERR_UNSUPPORTED);
	/* Our own dummy packet: an empty inner packet, 33 octets of TFC. */
	n = seal(out, inner, 0, 33, wire);
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len), IR_ERR_DUMMY);
	/* Next header 41 with an IPv4 packet inside. */
	ref.nh = 41;
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, 103, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len),
	    IR_ERR_MALFORMED);
	esp_sa_get_stats(in, &st);
	ck_assert_uint_eq(st.drop_dummy, 2);
	ck_assert_uint_eq(st.drop_proto, 1);
	ck_assert_uint_eq(st.drop_malformed, 1);
	ck_assert_uint_eq(st.packets, 0);
	esp_sa_free(out);
	esp_sa_free(in);
}
END_TEST

/* The inner length comes from the IP header: TFC padding is trimmed. */
START_TEST(crypt_inner_length)
{
	const struct t_suite *s = SUITE_OF(_i);
	struct esp_sa *in = t_esp_sa(s, ESN_OF(_i), false, 0);
	uint8_t got[2048];
	struct t_ref ref;
	size_t n, got_len;

	t_ip_packet(inner, 100, false, 5);
	inner[3] = 80;				/* Total Length 80 of 100 */
	t_ref_init(&ref, inner, 100);
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, 1, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len), 0);
	ck_assert_uint_eq(got_len, 80);
	inner[3] = 101;				/* longer than what came */
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, 2, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len),
	    IR_ERR_MALFORMED);
	inner[3] = 100;
	inner[0] = 0x44;			/* IHL 4: below 20 octets */
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, 3, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len),
	    IR_ERR_MALFORMED);
	t_ip_packet(inner, 100, true, 6);
	inner[5] = 59;				/* IPv6: 40 + 59 of 100 */
	ref.nh = 41;
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, 4, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len), 0);
	ck_assert_uint_eq(got_len, 99);
	inner[5] = 61;
	n = t_esp_ref(s, ESN_OF(_i), T_SPI, 5, &ref, wire, sizeof(wire));
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len),
	    IR_ERR_MALFORMED);
	esp_sa_free(in);
}
END_TEST

/* Every truncation of a valid packet is dropped, never read past. */
START_TEST(crypt_truncated)
{
	struct esp_sa *out = t_esp_sa(SUITE_OF(_i), ESN_OF(_i), true, 0);
	struct esp_sa *in = t_esp_sa(SUITE_OF(_i), ESN_OF(_i), false, 0);
	uint8_t got[2048];
	size_t n, k, got_len;
	int rv;

	t_ip_packet(inner, 120, false, 8);
	n = seal(out, inner, 120, 0, wire);
	for (k = 0; k < n; k++) {
		rv = open_copy(in, wire, k, got, &got_len);
		ck_assert_msg(rv == IR_ERR_MALFORMED || rv == IR_ERR_DECRYPT,
		    "len %zu: %d", k, rv);
	}
	ck_assert_int_eq(open_copy(in, wire, n, got, &got_len), 0);
	esp_sa_free(out);
	esp_sa_free(in);
}
END_TEST

/*
 * Too little headroom or tailroom: IR_ERR_NOBUF, the packet untouched and
 * no sequence number used.  Buffers are exact, so ASan sees any overrun.
 */
START_TEST(crypt_nobuf)
{
	const struct t_suite *s = SUITE_OF(_i);
	struct esp_sa *out = t_esp_sa(s, ESN_OF(_i), true, 0);
	struct esp_sa *in = t_esp_sa(s, ESN_OF(_i), false, 0);
	size_t len = 77, tfc = 9, head, tail, need_head, need_tail, n;
	size_t align = s->integ != 0 ? 16 : 4, pad, got_len;
	uint8_t got[256];
	struct esp_sa_stats st;
	struct ir_pkt pkt;

	need_head = 8 + (s->integ != 0 ? 16 : 8);
	pad = (align - (len + tfc + 2) % align) % align;
	need_tail = tfc + pad + 2 + (s->integ != 0 ?
	    crypto_integ_icv_len(s->integ) : 16);
	t_ip_packet(inner, len, false, 9);
	for (head = 0; head <= need_head; head++) {
		for (tail = 0; tail <= need_tail; tail++) {
			pkt = t_pkt_exact(inner, len, head, tail);
			if (head < need_head || tail < need_tail) {
				ck_assert_int_eq(esp_encrypt(out, &pkt, tfc),
				    IR_ERR_NOBUF);
				ck_assert_uint_eq(pkt.len, len);
				ck_assert_mem_eq(pkt.data, inner, len);
			} else {
				ck_assert_int_eq(esp_encrypt(out, &pkt, tfc),
				    0);
				ck_assert_ptr_eq(pkt.data, pkt.head);
				ck_assert_uint_eq(pkt.len, pkt.cap);
				ck_assert_int_eq(open_copy(in, pkt.data,
				    pkt.len, got, &got_len), 0);
				ck_assert_mem_eq(got, inner, len);
			}
			t_pkt_free(&pkt);
		}
	}
	/* A huge TFC request cannot wrap the arithmetic. */
	pkt = t_pkt_exact(inner, len, 64, 64);
	ck_assert_int_eq(esp_encrypt(out, &pkt, SIZE_MAX), IR_ERR_NOBUF);
	ck_assert_int_eq(esp_encrypt(out, &pkt, SIZE_MAX - 100), IR_ERR_NOBUF);
	t_pkt_free(&pkt);
	esp_sa_get_stats(out, &st);
	ck_assert_uint_eq(st.seq, 1);		/* only the one that fit */
	ck_assert_uint_eq(st.drop_nobuf,
	    (need_head + 1) * (need_tail + 1) - 1 + 2);
	n = seal(out, inner, len, 0, wire);
	ck_assert_uint_eq(wire[7], 2);		/* sequence number 2 */
	ck_assert_uint_gt(n, len);
	esp_sa_free(out);
	esp_sa_free(in);
}
END_TEST

/* Lifetime limits and what misuse returns. */
START_TEST(crypt_lifetime)
{
	const struct t_suite *s = &t_suites[0];
	uint8_t ek[20] = { 1 };
	struct esp_sa_conf conf;
	struct esp_sa *out, *in;
	size_t n, got_len;
	uint8_t got[256];
	int k;

	memset(&conf, 0, sizeof(conf));
	conf.spi = T_SPI;
	conf.outbound = true;
	conf.encr = s->encr;
	conf.key_bits = s->key_bits;
	conf.encr_key = ek;
	conf.encr_key_len = sizeof(ek);
	conf.soft.packets = 2;
	conf.hard.packets = 3;
	conf.hard.bytes = 1000000;
	ck_assert_int_eq(esp_sa_new(&out, &conf), 0);
	conf.outbound = false;
	conf.soft.packets = 0;
	conf.hard.packets = 0;
	conf.soft.bytes = 100;
	conf.hard.bytes = 150;
	ck_assert_int_eq(esp_sa_new(&in, &conf), 0);
	t_ip_packet(inner, 60, false, 10);
	for (k = 0; k < 3; k++) {
		ck_assert_int_eq(esp_sa_lifetime(out),
		    k < 2 ? ESP_LIFE_OK : ESP_LIFE_SOFT);
		n = seal(out, inner, 60, 0, wire);
		ck_assert_int_eq(open_copy(in, wire, n, got, &got_len), 0);
		ck_assert_int_eq(esp_sa_lifetime(in), k == 0 ? ESP_LIFE_OK :
		    k == 1 ? ESP_LIFE_SOFT : ESP_LIFE_HARD);
	}
	ck_assert_int_eq(esp_sa_lifetime(out), ESP_LIFE_HARD);
	{
		struct ir_pkt pkt = t_pkt_exact(inner, 60, 64, 64);

		ck_assert_int_eq(esp_encrypt(out, &pkt, 0), IR_ERR_LIFETIME);
		ck_assert(ir_err_is_fatal(IR_ERR_LIFETIME));
		ck_assert_int_eq(esp_encrypt(in, &pkt, 0), IR_ERR_CONFIG);
		ck_assert_int_eq(esp_decrypt(out, &pkt), IR_ERR_CONFIG);
		ck_assert_int_eq(esp_decrypt(in, &pkt), IR_ERR_LIFETIME);
		t_pkt_free(&pkt);
	}
	esp_sa_free(out);
	esp_sa_free(in);
}
END_TEST

START_TEST(crypt_conf_errors)
{
	const struct t_suite *cbc = &t_suites[3];
	uint8_t ek[16] = { 0 }, ik[32] = { 0 };
	struct esp_sa_conf conf;
	struct esp_sa *sa = (struct esp_sa *)&conf;
	uint32_t spi;

	memset(&conf, 0, sizeof(conf));
	conf.spi = 0;
	conf.encr = cbc->encr;
	conf.key_bits = cbc->key_bits;
	conf.integ = cbc->integ;
	conf.encr_key = ek;
	conf.encr_key_len = sizeof(ek);
	conf.integ_key = ik;
	conf.integ_key_len = sizeof(ik);
	ck_assert_int_eq(esp_sa_new(&sa, &conf), IR_ERR_CONFIG);
	ck_assert_ptr_null(sa);
	conf.spi = 1;
	conf.outbound = true;			/* CBC without random */
	ck_assert_int_eq(esp_sa_new(&sa, &conf), IR_ERR_CONFIG);
	conf.outbound = false;
	conf.replay_window = 16;
	ck_assert_int_eq(esp_sa_new(&sa, &conf), IR_ERR_CONFIG);
	conf.replay_window = 0;
	conf.encr = 3;				/* 3DES: not here */
	ck_assert_int_eq(esp_sa_new(&sa, &conf), IR_ERR_UNSUPPORTED);
	conf.encr = cbc->encr;
	ck_assert_int_eq(esp_sa_new(&sa, &conf), 0);
	ck_assert_uint_eq(esp_sa_spi(sa), 1);
	esp_sa_free(sa);
	esp_sa_free(NULL);
	ck_assert_int_eq(esp_pkt_spi(wire, 7, &spi), IR_ERR_MALFORMED);
	memcpy(wire, "\x12\x34\x56\x78\0\0\0\1", 8);
	ck_assert_int_eq(esp_pkt_spi(wire, 8, &spi), 0);
	ck_assert_uint_eq(spi, 0x12345678);
}
END_TEST

/* ir_pkt.h helpers: bounds on both ends. */
START_TEST(crypt_ir_pkt)
{
	uint8_t buf[16], *p;
	struct ir_pkt pkt;

	ir_pkt_init(&pkt, buf, sizeof(buf), 4);
	ck_assert_uint_eq(ir_pkt_headroom(&pkt), 4);
	ck_assert_uint_eq(ir_pkt_tailroom(&pkt), 12);
	ck_assert_int_eq(ir_pkt_put(&pkt, 13, &p), IR_ERR_NOBUF);
	ck_assert_int_eq(ir_pkt_put(&pkt, 12, &p), 0);
	ck_assert_ptr_eq(p, buf + 4);
	ck_assert_int_eq(ir_pkt_push(&pkt, 5, &p), IR_ERR_NOBUF);
	ck_assert_int_eq(ir_pkt_push(&pkt, 4, &p), 0);
	ck_assert_ptr_eq(p, buf);
	ck_assert_uint_eq(pkt.len, 16);
	ck_assert_int_eq(ir_pkt_pull(&pkt, 17), IR_ERR_MALFORMED);
	ck_assert_int_eq(ir_pkt_pull(&pkt, 6), 0);
	ck_assert_int_eq(ir_pkt_trim(&pkt, 11), IR_ERR_MALFORMED);
	ck_assert_int_eq(ir_pkt_trim(&pkt, 10), 0);
	ck_assert_uint_eq(pkt.len, 0);
	ck_assert_uint_eq(ir_pkt_headroom(&pkt), 6);
	ck_assert_uint_eq(ir_pkt_tailroom(&pkt), 10);
	ir_pkt_init(&pkt, buf, 8, 9);		/* headroom clamped */
	ck_assert_uint_eq(ir_pkt_tailroom(&pkt), 0);
}
END_TEST

Suite *esp_crypt_suite(void);

Suite *
esp_crypt_suite(void)
{
	Suite *s = suite_create("esp_crypt");
	TCase *tc = tcase_create("crypt");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, crypt_round_trip, 0, NLOOP);
	tcase_add_loop_test(tc, crypt_matches_reference, 0, NLOOP);
	tcase_add_test(tc, crypt_cbc_iv_random);
	tcase_add_loop_test(tc, crypt_tampered, 0, NLOOP);
	tcase_add_loop_test(tc, crypt_bad_trailer, 0, NLOOP);
	tcase_add_loop_test(tc, crypt_next_header, 0, NLOOP);
	tcase_add_loop_test(tc, crypt_inner_length, 0, NLOOP);
	tcase_add_loop_test(tc, crypt_truncated, 0, NLOOP);
	tcase_add_loop_test(tc, crypt_nobuf, 0, NLOOP);
	tcase_add_test(tc, crypt_lifetime);
	tcase_add_test(tc, crypt_conf_errors);
	tcase_add_test(tc, crypt_ir_pkt);
	suite_add_tcase(s, tc);
	return s;
}
