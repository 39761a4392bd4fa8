/* tests/common/check_ir_mem.c: allocation hooks, numbers, hex, errors. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"

START_TEST(fail_injection)
{
	void *a, *b;

	ir_mem_fail_after(1);
	a = ir_malloc(8);
	ck_assert_ptr_nonnull(a);
	b = ir_malloc(8);
	ck_assert_ptr_null(b);
	b = ir_malloc(8);		/* injection is one-shot */
	ck_assert_ptr_nonnull(b);
	ir_free(a);
	ir_free(b);
}
END_TEST

START_TEST(parse_u32_bounds)
{
	uint32_t v;

	ck_assert_int_eq(ir_parse_u32("500", 1, 65535, &v), 0);
	ck_assert_uint_eq(v, 500);
	ck_assert_int_eq(ir_parse_u32("0", 1, 65535, &v), IR_ERR_CONFIG);
	ck_assert_int_eq(ir_parse_u32("65536", 1, 65535, &v), IR_ERR_CONFIG);
	ck_assert_int_eq(ir_parse_u32("12x", 0, 100, &v), IR_ERR_CONFIG);
	ck_assert_int_eq(ir_parse_u32("-1", 0, 100, &v), IR_ERR_CONFIG);
	ck_assert_int_eq(ir_parse_u32("", 0, 100, &v), IR_ERR_CONFIG);
	ck_assert_int_eq(ir_parse_u32("99999999999999999999", 0, 100, &v),
	    IR_ERR_CONFIG);
}
END_TEST

START_TEST(hex_round_trip)
{
	uint8_t out[4];
	char text[9];
	size_t n;

	ck_assert_int_eq(ir_hex_decode("de ad\nBE ef", out, sizeof(out), &n), 0);
	ck_assert_uint_eq(n, 4);
	ir_hex_encode(out, n, text);
	ck_assert_str_eq(text, "deadbeef");
	ck_assert_int_eq(ir_hex_decode("abc", out, sizeof(out), &n),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(ir_hex_decode("zz", out, sizeof(out), &n),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(ir_hex_decode("0011223344", out, sizeof(out), &n),
	    IR_ERR_NOBUF);
}
END_TEST

START_TEST(errors)
{
	ck_assert_str_eq(ir_strerror(IR_ERR_MALFORMED), "malformed message");
	ck_assert_str_eq(ir_strerror(-ENOENT), strerror(ENOENT));
	ck_assert(!ir_err_is_fatal(IR_ERR_DECRYPT));
	ck_assert(ir_err_is_fatal(IR_ERR_AUTH));
	ck_assert(!ir_err_is_fatal(-EAGAIN));
	ck_assert_str_eq(ir_errname(IR_ERR_TIMEOUT), "TIMEOUT");
}
END_TEST

START_TEST(memeq_ct)
{
	ck_assert_int_eq(ir_memeq_ct("abcd", "abcd", 4), 0);
	ck_assert_int_ne(ir_memeq_ct("abcd", "abce", 4), 0);
}
END_TEST

Suite *
ir_mem_suite(void)
{
	Suite *s = suite_create("ir_mem");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fail_injection);
	tcase_add_test(tc, parse_u32_bounds);
	tcase_add_test(tc, hex_round_trip);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, memeq_ct);
	suite_add_tcase(s, tc);
	return s;
}
