/*
 * tests/esp/check_esp_udp.c: RFC 3948 classification of UDP/4500
 * payloads, the NAT-keepalive and the non-ESP marker, from a table and
 * from the captured exchanges.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "tests/check_util.h"
#include "tests/esp/esp_test.h"

#define IKE28	"00000000" "a94a11d0413ca8c0 0000000000000000 21202208 00000000 0000001c"

static const struct classify_vec {
	const char	*src;
	const char	*hex;
	int		 rv;
	int		 kind;
} classify_vecs[] = {
	{ "§2.3 keepalive",		"ff",		0, ESP_UDP_KEEPALIVE },
	{ "empty",			"",		IR_ERR_MALFORMED, 0 },
	{ "one octet, not 0xFF",	"00",		IR_ERR_MALFORMED, 0 },
	{ "one octet 0xFE",		"fe",		IR_ERR_MALFORMED, 0 },
	{ "two octets 0xFF",		"ffff",		IR_ERR_MALFORMED, 0 },
	{ "marker alone",		"00000000",	IR_ERR_MALFORMED, 0 },
	{ "marker + IKE header",	IKE28,	0, ESP_UDP_IKE },
	{ "marker + 3 octets",		"00000000 212022", IR_ERR_MALFORMED, 0 },
	{ "ESP: SPI 1, seq 1",		"00000001 00000001", 0, ESP_UDP_ESP },
	{ "ESP: 7 octets",		"00000001 000000", IR_ERR_MALFORMED, 0 },
	{ "ESP: SPI 0xffffffff",	"ffffffff 00000001 aa", 0, ESP_UDP_ESP },
	{ "three zero octets",		"000000",	IR_ERR_MALFORMED, 0 },
};

START_TEST(udp_classify_table)
{
	const struct classify_vec *v = &classify_vecs[_i];
	struct tbuf b = t_hex(v->hex);
	enum esp_udp_kind kind = 0;

	ck_assert_msg(esp_udp_classify(b.p, b.len, &kind) == v->rv, "%s",
	    v->src);
	if (v->rv == 0)
		ck_assert_int_eq(kind, v->kind);
}
END_TEST

/* The IKE header is 28 octets: marker + 27 is one short. */
START_TEST(udp_classify_ike_min)
{
	struct tbuf b = t_hex(IKE28);
	enum esp_udp_kind kind;

	ck_assert_uint_eq(b.len, 32);
	ck_assert_int_eq(esp_udp_classify(b.p, b.len, &kind), 0);
	ck_assert_int_eq(kind, ESP_UDP_IKE);
	ck_assert_int_eq(esp_udp_classify(b.p, b.len - 1, &kind),
	    IR_ERR_MALFORMED);
}
END_TEST

/* Every captured ESP packet is ESP; every IKE message with a marker IKE. */
START_TEST(udp_classify_vectors)
{
	static const char *const files[] = {
		"strongswan-psk-udp/aesgcm128-prfsha256-x25519/esp/01-i2r-spi_c2d87398-seq1.hex",
		"strongswan-psk-udp/aescbc128-sha256-modp2048/esp/02-r2i-spi_f3b2b64d-seq1.hex",
		"strongswan-psk-udp/aesgcm128-prfsha256-x25519/03-IKE_AUTH-req.hex",
		"strongswan-psk-udp/aesgcm128-prfsha256-x25519/06-INFORMATIONAL-resp.hex",
	};
	enum esp_udp_kind kind;
	uint8_t buf[2048], *p;
	struct ir_pkt pkt;
	struct tbuf b;
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(files); i++) {
		b = t_vec_hex(files[i]);
		if (strstr(files[i], "/esp/") != NULL) {
			ck_assert_int_eq(esp_udp_classify(b.p, b.len, &kind), 0);
			ck_assert_int_eq(kind, ESP_UDP_ESP);
			continue;
		}
		/* As sent on 4500: marker pushed into the headroom. */
		ir_pkt_init(&pkt, buf, sizeof(buf), 4);
		ck_assert_int_eq(ir_pkt_put(&pkt, b.len, &p), 0);
		memcpy(p, b.p, b.len);
		ck_assert_int_eq(esp_udp_push_marker(&pkt), 0);
		ck_assert_ptr_eq(pkt.data, buf);
		ck_assert_int_eq(esp_udp_classify(pkt.data, pkt.len, &kind), 0);
		ck_assert_int_eq(kind, ESP_UDP_IKE);
		ck_assert_mem_eq(pkt.data + ESP_UDP_MARKER_LEN, b.p, b.len);
		/* No headroom left for a second marker. */
		ck_assert_int_eq(esp_udp_push_marker(&pkt), IR_ERR_NOBUF);
		ck_assert_ptr_eq(pkt.data, buf);
	}
}
END_TEST

START_TEST(udp_keepalive)
{
	uint8_t buf[4] = { 0 };
	enum esp_udp_kind kind;
	size_t len = 99;

	ck_assert_int_eq(esp_udp_keepalive(buf, 0, &len), IR_ERR_NOBUF);
	ck_assert_uint_eq(len, 99);
	ck_assert_int_eq(esp_udp_keepalive(buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, 1);
	ck_assert_uint_eq(buf[0], 0xff);
	ck_assert_int_eq(esp_udp_classify(buf, len, &kind), 0);
	ck_assert_int_eq(kind, ESP_UDP_KEEPALIVE);
}
END_TEST

Suite *esp_udp_suite(void);

Suite *
esp_udp_suite(void)
{
	Suite *s = suite_create("esp_udp");
	TCase *tc = tcase_create("udp");

	tcase_add_loop_test(tc, udp_classify_table, 0,
	    IR_ARRAY_LEN(classify_vecs));
	tcase_add_test(tc, udp_classify_ike_min);
	tcase_add_test(tc, udp_classify_vectors);
	tcase_add_test(tc, udp_keepalive);
	suite_add_tcase(s, tc);
	return s;
}
