/*
 * tests/crypto/check_crypto_dn.c: DN identities (crypto_dn.c): text to
 * DER and back, and the strongSwan rules of comparison.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_dn.h"
#include "crypto/crypto_sig.h"
#include "tests/check_util.h"

struct tbuf	t_dn(const char *text);

struct tbuf
t_dn(const char *text)
{
	uint8_t *buf = t_alloc(512);
	char why[128];
	size_t len;

	ck_assert_msg(crypto_dn_parse(text, buf, 512, &len, why,
	    sizeof(why)) == 0, "%s: %s", text, why);
	return (struct tbuf){ buf, len };
}

/* The DER subject of a test certificate. */
static struct tbuf
subject_of(const char *name)
{
	char rel[128];
	struct crypto_cert *c;
	struct tbuf b;
	uint8_t *buf = t_alloc(512);
	size_t len;

	snprintf(rel, sizeof(rel), "pki/%s", name);
	b = t_vec_file(rel);
	ck_assert_int_eq(crypto_cert_load(&c, b.p, b.len), 0);
	ck_assert_int_eq(crypto_cert_subject_der(c, buf, 512, &len), 0);
	crypto_cert_free(c);
	return (struct tbuf){ buf, len };
}

/* ---- Text to DER and back ------------------------------------------------ */

START_TEST(dn_parse_text)
{
	struct tbuf a = t_dn("C=XX, O=ikeroam tests, CN=gw.vpn.test");
	struct tbuf s = subject_of("gw-rsa2048.crt");
	char line[256];

	/* Our PrintableStrings against openssl's UTF8Strings: equal. */
	ck_assert_int_eq(crypto_dn_match(s.p, s.len, a.p, a.len, false), 0);
	crypto_dn_text(a.p, a.len, line, sizeof(line));
	ck_assert_str_eq(line, "C=XX, O=ikeroam tests, CN=gw.vpn.test");
	/* Quotes, escapes, a UTF-8 value, E and DC as IA5String. */
	a = t_dn("CN=\"Smith, John\", OU=R\\,D, O=Z\xc3\xbcrich AG, "
	    "E=john@example.com, DC=example");
	crypto_dn_text(a.p, a.len, line, sizeof(line));
	ck_assert_str_eq(line, "CN=Smith\\, John, OU=R\\,D, "
	    "O=Z\\C3\\BCrich AG, emailAddress=john@example.com, "
	    "DC=example");
	/* strongSwan's "SN" is the serial number; dotted OIDs work. */
	a = t_dn("SN=1234, 2.5.4.3=x");
	crypto_dn_text(a.p, a.len, line, sizeof(line));
	ck_assert_str_eq(line, "serialNumber=1234, CN=x");
	crypto_dn_text((const uint8_t *)"\x30\x01", 2, line, sizeof(line));
	ck_assert_str_eq(line, "(bad DN)");
}
END_TEST

static const struct {
	const char	*text;
	const char	*says;
} dn_bad[] = {
	{ "", "no attribute" },
	{ "CN", "expected NAME=VALUE" },
	{ "CN=", "empty value" },
	{ "CN=a, ", "expected NAME=VALUE" },
	{ "XX=a", "unknown attribute" },
	{ "CN=\"abc", "unterminated quote" },
	{ "CN=\"abc\" d", "text after" },
	{ "E=j\xc3\xbc@x", "must be ASCII" },
	{ "CN=\xff\xfe", "not valid" },
	{ "C=CHE\xc3\xbc", "not valid" },
	{ "averyveryveryveryverylongattributename=1", "too long" },
};

START_TEST(dn_parse_bad)
{
	uint8_t out[512];
	char why[128] = "";
	size_t len;

	ck_assert_int_eq(crypto_dn_parse(dn_bad[_i].text, out, sizeof(out),
	    &len, why, sizeof(why)), IR_ERR_CONFIG);
	ck_assert_msg(strstr(why, dn_bad[_i].says) != NULL, "%s: %s",
	    dn_bad[_i].text, why);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(dn_parse_limits)
{
	char big[CRYPTO_DN_TEXT_MAX + 2];
	uint8_t out[16];
	size_t len;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "CN=", 3);
	ck_assert_int_eq(crypto_dn_parse(big, out, sizeof(out), &len, NULL,
	    0), IR_ERR_CONFIG);
	ck_assert_int_eq(crypto_dn_parse("CN=alice, O=Example", out,
	    sizeof(out), &len, NULL, 0), IR_ERR_NOBUF);
}
END_TEST

/* ---- Matching as strongSwan does ------------------------------------------ */

static const struct {
	const char	*have, *want;
	bool		 wild;
	int		 rv;
} dn_vecs[] = {
	{ "C=CH, O=Example, CN=alice", "C=CH, O=Example, CN=alice", false, 0 },
	/* PrintableStrings ignore case. */
	{ "C=CH, O=Example, CN=alice", "c=ch, o=EXAMPLE, cn=Alice", false, 0 },
	/* Order and number of RDNs count. */
	{ "C=CH, O=Example, CN=alice", "CN=alice, O=Example, C=CH", false,
	    IR_ERR_PEER_ID },
	{ "C=CH, O=Example, CN=alice", "C=CH, O=Example", false,
	    IR_ERR_PEER_ID },
	{ "C=CH, O=Example", "C=CH, O=Example, CN=alice", false,
	    IR_ERR_PEER_ID },
	{ "C=CH, O=Example, CN=alice", "C=CH, O=Example, CN=bob", false,
	    IR_ERR_PEER_ID },
	{ "C=CH, O=Example, CN=alice", "C=CH, OU=Example, CN=alice", false,
	    IR_ERR_PEER_ID },
	/* Wildcards only when asked, only for whole values. */
	{ "C=CH, O=Example, CN=alice", "C=CH, O=Example, CN=*", true, 0 },
	{ "C=CH, O=Example, CN=alice", "C=CH, O=Example, CN=*", false,
	    IR_ERR_PEER_ID },
	{ "C=CH, O=Example, CN=alice", "C=CH, O=*, CN=*", true, 0 },
	{ "C=CH, O=Example, CN=alice", "C=CH, O=Other, CN=*", true,
	    IR_ERR_PEER_ID },
	{ "C=CH, O=Example, CN=alice", "C=CH, CN=*", true, IR_ERR_PEER_ID },
	{ "C=CH, O=Example, CN=alice", "C=CH, O=Example, CN=al*", true,
	    IR_ERR_PEER_ID },
	/* A UTF8String compares octet for octet: case counts. */
	{ "O=Z\xc3\xbcrich", "O=Z\xc3\xbcrich", false, 0 },
	{ "O=Z\xc3\xbcrich", "O=z\xc3\xbcrich", false, IR_ERR_PEER_ID },
	/* E-mail addresses (IA5String) ignore case, DC does not. */
	{ "E=Alice@Example.com", "E=alice@example.com", false, 0 },
	{ "DC=Example", "DC=example", false, IR_ERR_PEER_ID },
};

START_TEST(dn_match)
{
	struct tbuf h = t_dn(dn_vecs[_i].have), w = t_dn(dn_vecs[_i].want);

	ck_assert_int_eq(crypto_dn_match(h.p, h.len, w.p, w.len,
	    dn_vecs[_i].wild), dn_vecs[_i].rv);
}
END_TEST

START_TEST(dn_match_malformed)
{
	struct tbuf a = t_dn("CN=a");

	ck_assert_int_eq(crypto_dn_match(a.p, a.len - 1, a.p, a.len, false),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(crypto_dn_match(a.p, a.len, a.p, 0, false),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(crypto_dn_match((const uint8_t *)"\x30\x00", 2,
	    (const uint8_t *)"\x30\x00", 2, false), IR_ERR_MALFORMED);
	ck_assert(crypto_dn_has_wildcards(t_dn("CN=*, O=x").p,
	    t_dn("CN=*, O=x").len));
	ck_assert(!crypto_dn_has_wildcards(a.p, a.len));
	ck_assert(!crypto_dn_has_wildcards(a.p, 1));
}
END_TEST

Suite *
dn_suite(void)
{
	Suite *s = suite_create("dn");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, dn_parse_text);
	tcase_add_loop_test(tc, dn_parse_bad, 0, IR_ARRAY_LEN(dn_bad));
	tcase_add_test(tc, dn_parse_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("match");
	tcase_add_loop_test(tc, dn_match, 0, IR_ARRAY_LEN(dn_vecs));
	tcase_add_test(tc, dn_match_malformed);
	suite_add_tcase(s, tc);
	return s;
}
