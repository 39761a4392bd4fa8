/* tests/ike/check_ike_algs.c: defaults and proposal strings. */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_algs.h"

START_TEST(parse_strongswan_style)
{
	struct ike_algs a;

	ck_assert_int_eq(ike_algs_parse("aes256gcm16-prfsha384-x25519", false,
	    &a, NULL, 0), 0);
	ck_assert_uint_eq(a.n_encr, 1);
	ck_assert_uint_eq(a.encr[0].id, CRYPTO_ENCR_AES_GCM_16);
	ck_assert_uint_eq(a.encr[0].key_bits, 256);
	ck_assert_uint_eq(a.n_prf, 1);
	ck_assert_uint_eq(a.prf[0], CRYPTO_PRF_HMAC_SHA2_384);
	ck_assert_uint_eq(a.n_dh, 1);
	ck_assert_uint_eq(a.dh[0], CRYPTO_KEX_CURVE25519);
	ck_assert_uint_eq(a.n_integ, 0);
}
END_TEST

START_TEST(parse_prf_follows_integ)
{
	struct ike_algs a;

	ck_assert_int_eq(ike_algs_parse("aes128-sha256-modp2048", false, &a,
	    NULL, 0), 0);
	ck_assert_uint_eq(a.n_integ, 1);
	ck_assert_uint_eq(a.integ[0], CRYPTO_INTEG_HMAC_SHA2_256_128);
	ck_assert_uint_eq(a.n_prf, 1);
	ck_assert_uint_eq(a.prf[0], CRYPTO_PRF_HMAC_SHA2_256);
}
END_TEST

START_TEST(parse_esp_and_merge)
{
	struct ike_algs a;

	ck_assert_int_eq(ike_algs_parse("aes128gcm16-esn,aes256-sha512", true,
	    &a, NULL, 0), 0);
	ck_assert_uint_eq(a.n_encr, 2);
	ck_assert(a.esn);
	ck_assert_uint_eq(a.n_integ, 1);
	ck_assert_uint_eq(a.n_prf, 0);
}
END_TEST

START_TEST(parse_errors_name_the_token)
{
	struct ike_algs a;
	char err[128];

	ck_assert_int_eq(ike_algs_parse("aes128gcm16-prfsha256-x25591", false,
	    &a, err, sizeof(err)), IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "x25591"));
	ck_assert_int_eq(ike_algs_parse("aes128gcm16-prfsha256", true, &a,
	    err, sizeof(err)), IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "prfsha256"));
	ck_assert_int_eq(ike_algs_parse("prfsha256-x25519", false, &a, err,
	    sizeof(err)), IR_ERR_CONFIG);
	ck_assert_int_eq(ike_algs_parse("aes128gcm16-prfsha256", false, &a,
	    err, sizeof(err)), IR_ERR_CONFIG);
	ck_assert_int_eq(ike_algs_parse("aes128", true, &a, err, sizeof(err)),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(ike_algs_parse("", true, &a, err, sizeof(err)),
	    IR_ERR_CONFIG);
}
END_TEST

START_TEST(defaults_and_format)
{
	struct ike_algs a, b;
	char text[256];

	ike_algs_default_ike(&a);
	ck_assert_uint_eq(a.encr[0].id, CRYPTO_ENCR_AES_GCM_16);
	ck_assert_uint_eq(a.encr[0].key_bits, 256);
	ck_assert_uint_eq(a.dh[0], CRYPTO_KEX_CURVE25519);
	ike_algs_format(&a, false, text, sizeof(text));
	ck_assert_str_eq(text, "aes256gcm16-aes128gcm16-chacha20poly1305-"
	    "aes256-aes128-sha256-sha384-sha512-prfsha256-prfsha384-"
	    "x25519-ecp256-modp2048");
	/* The text form parses back to the same lists. */
	ck_assert_int_eq(ike_algs_parse(text, false, &b, NULL, 0), 0);
	ck_assert_mem_eq(&a, &b, sizeof(a));
	ike_algs_default_esp(&a);
	ck_assert_uint_eq(a.n_prf, 0);
}
END_TEST

Suite *
ike_algs_suite(void)
{
	Suite *s = suite_create("ike_algs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_strongswan_style);
	tcase_add_test(tc, parse_prf_follows_integ);
	tcase_add_test(tc, parse_esp_and_merge);
	tcase_add_test(tc, parse_errors_name_the_token);
	tcase_add_test(tc, defaults_and_format);
	suite_add_tcase(s, tc);
	return s;
}
