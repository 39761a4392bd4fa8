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

/* RFC 7296 §3.5 ID_DER_ASN1_DN, encoded in the order written. */
START_TEST(dn)
{
	/* C=CH, O=Example, CN=alice: PrintableStrings, X.690 by hand. */
	static const uint8_t want[] = {
		0x30, 0x2f,
		0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06,
		0x13, 0x02, 'C', 'H',
		0x31, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04, 0x0a,
		0x13, 0x07, 'E', 'x', 'a', 'm', 'p', 'l', 'e',
		0x31, 0x0e, 0x30, 0x0c, 0x06, 0x03, 0x55, 0x04, 0x03,
		0x13, 0x05, 'a', 'l', 'i', 'c', 'e',
	};
	struct ike_id id, id2;
	char err[128];

	ck_assert_int_eq(ident_parse("C=CH, O=Example, CN=alice", &id, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(id.type, 9);
	ck_assert_uint_eq(id.len, sizeof(want));
	ck_assert_mem_eq(id.data, want, sizeof(want));
	/* The slash form and odd spacing give the same octets. */
	ck_assert_int_eq(ident_parse("/C=CH/O=Example/CN=alice", &id2, err,
	    sizeof(err)), 0);
	ck_assert_mem_eq(id2.data, want, sizeof(want));
	ck_assert_int_eq(ident_parse("c = CH,o=Example ,  cn=alice", &id2,
	    err, sizeof(err)), 0);
	ck_assert_mem_eq(id2.data, want, sizeof(want));
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
	ck_assert_int_eq(ident_parse("CN=x, XX=y", &id, err, sizeof(err)),
	    IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "unknown attribute 'XX'"));
	ck_assert_int_eq(ident_parse("CN=x, O=", &id, err, sizeof(err)),
	    IR_ERR_CONFIG);
	ck_assert_int_eq(ident_parse("=x", &id, err, sizeof(err)),
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
	tcase_add_test(tc, dn);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return s;
}
