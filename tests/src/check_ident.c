/* tests/src/check_ident.c: identities as users write them. */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "src/ident.h"

START_TEST(kinds)
{
	struct ike_id id;
	char err[128];

	ck_assert_int_eq(ident_parse("192.0.2.1", &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id.type, 1);
	ck_assert_uint_eq(id.len, 4);
	ck_assert_uint_eq(id.data[0], 192);
	ck_assert_int_eq(ident_parse("2001:db8::1", &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id.type, 5);
	ck_assert_uint_eq(id.len, 16);
	ck_assert_int_eq(ident_parse("@vpn.test", &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id.type, 2);
	ck_assert_mem_eq(id.data, "vpn.test", 8);
	ck_assert_int_eq(ident_parse("vpn.test", &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id.type, 2);
	ck_assert_int_eq(ident_parse("alice@vpn.test", &id, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(id.type, 3);
	ck_assert_uint_eq(id.len, 14);
	ck_assert_int_eq(ident_parse("@#0a1B", &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id.type, 11);
	ck_assert_uint_eq(id.len, 2);
	ck_assert_uint_eq(id.data[1], 0x1b);
}
END_TEST

START_TEST(errors)
{
	struct ike_id id;
	char err[128], big[400];

	ck_assert_int_eq(ident_parse("@", &id, err, sizeof(err)),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(ident_parse("@#xyz", &id, err, sizeof(err)),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(ident_parse("CN=x, O=y", &id, err, sizeof(err)),
	    IR_ERR_CONFIG);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(ident_parse(big, &id, err, sizeof(err)),
	    IR_ERR_CONFIG);
}
END_TEST

Suite *
ident_suite(void)
{
	Suite *s = suite_create("ident");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, kinds);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return s;
}
