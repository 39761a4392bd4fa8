/*
 * tests/crypto/check_crypto_revoke.c: OCSP and CRL answers checked for
 * one certificate (crypto_revoke.c), with the answers mkpki-x509.sh made
 * with openssl in tests/vectors/pki/rev/: gw-rsa2048 good, gw-eku-client
 * revoked (keyCompromise), both root-issued.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_revoke.h"
#include "crypto/crypto_sig.h"
#include "tests/check_util.h"

#define T_2030	((int64_t)1893456000)
#define T_2057	((int64_t)2745532800)

/* The DER of a PEM certificate of the test PKI. */
static struct tbuf
der_of(const char *name)
{
	char rel[128];
	struct crypto_cert *c;
	const uint8_t *der;
	struct tbuf b;
	uint8_t *copy;
	size_t len;

	snprintf(rel, sizeof(rel), "pki/%s", name);
	b = t_vec_file(rel);
	ck_assert_int_eq(crypto_cert_load(&c, b.p, b.len), 0);
	crypto_cert_der(c, &der, &len);
	copy = t_alloc(len);
	memcpy(copy, der, len);
	crypto_cert_free(c);
	return (struct tbuf){ copy, len };
}

START_TEST(rev_uris)
{
	struct tbuf c = der_of("gw-rev.crt");
	struct crypto_rev_uris u;

	ck_assert_int_eq(crypto_rev_uris(c.p, c.len, &u), 0);
	ck_assert_uint_eq(u.n_ocsp, 1);		/* ldap: is skipped */
	ck_assert_str_eq(u.ocsp[0], "http://192.0.2.1:8880");
	ck_assert_uint_eq(u.n_crl, 1);
	ck_assert_str_eq(u.crl[0], "http://192.0.2.1:8881/root.crl");
	c = der_of("gw-rsa2048.crt");
	ck_assert_int_eq(crypto_rev_uris(c.p, c.len, &u), 0);
	ck_assert_uint_eq(u.n_ocsp + u.n_crl, 0);
	ck_assert_int_eq(crypto_rev_uris(c.p, c.len - 1, &u),
	    IR_ERR_MALFORMED);
}
END_TEST

/* Our request is the one openssl ocsp -no_nonce sends. */
START_TEST(rev_ocsp_request)
{
	struct tbuf c = der_of("gw-rsa2048.crt"), is = der_of("root-ca.crt");
	struct tbuf want = t_vec_file("pki/rev/gw-rsa2048.ocsp-req");
	uint8_t req[CRYPTO_OCSP_REQ_MAX];
	size_t len;

	ck_assert_int_eq(crypto_ocsp_request(c.p, c.len, is.p, is.len, req,
	    sizeof(req), &len), 0);
	ck_assert_uint_eq(len, want.len);
	ck_assert_mem_eq(req, want.p, len);
	ck_assert_int_eq(crypto_ocsp_request(c.p, c.len, is.p, is.len, req,
	    10, &len), IR_ERR_NOBUF);
	ck_assert_int_eq(crypto_ocsp_request(c.p, 3, is.p, is.len, req,
	    sizeof(req), &len), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(rev_ocsp_check)
{
	struct tbuf good = der_of("gw-rsa2048.crt");
	struct tbuf bad = der_of("gw-eku-client.crt");
	struct tbuf root = der_of("root-ca.crt"), sub = der_of("sub-ca.crt");
	struct tbuf rg = t_vec_file("pki/rev/gw-rsa2048.ocsp");
	struct tbuf rb = t_vec_file("pki/rev/gw-eku-client.ocsp");
	struct crypto_rev_result r;
	size_t i;

	ck_assert_int_eq(crypto_ocsp_check(rg.p, rg.len, good.p, good.len,
	    root.p, root.len, T_2030, &r), 0);
	ck_assert_int_eq(r.status, CRYPTO_REV_GOOD);
	ck_assert_int_gt(r.next_update, T_2030);
	ck_assert_int_eq(crypto_ocsp_check(rb.p, rb.len, bad.p, bad.len,
	    root.p, root.len, T_2030, &r), 0);
	ck_assert_int_eq(r.status, CRYPTO_REV_REVOKED);
	ck_assert_int_eq(r.reason, 1);
	ck_assert_str_eq(crypto_rev_reason_name(r.reason), "keyCompromise");
	ck_assert_str_eq(r.why, "OCSP: revoked (keyCompromise)");
	/* The answer for another certificate, from another issuer, too old
	 * or too new. */
	ck_assert_int_eq(crypto_ocsp_check(rg.p, rg.len, bad.p, bad.len,
	    root.p, root.len, T_2030, &r), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(r.why, "does not answer"));
	ck_assert_int_eq(crypto_ocsp_check(rg.p, rg.len, good.p, good.len,
	    sub.p, sub.len, T_2030, &r), IR_ERR_CERT);
	ck_assert_int_eq(crypto_ocsp_check(rg.p, rg.len, good.p, good.len,
	    root.p, root.len, T_2057, &r), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(r.why, "out of date"));
	ck_assert_int_eq(crypto_ocsp_check(rg.p, rg.len, good.p, good.len,
	    root.p, root.len, (int64_t)1700000000, &r), IR_ERR_CERT);
	/* "Revoked", signed by other-ca, which the issuer never made a
	 * responder (RFC 6960 §4.2.2.2): refused, status untouched. */
	rb = t_vec_file("pki/rev/gw-rsa2048-forged.ocsp");
	r.status = CRYPTO_REV_UNKNOWN;
	ck_assert_int_eq(crypto_ocsp_check(rb.p, rb.len, good.p, good.len,
	    root.p, root.len, T_2030, &r), IR_ERR_CERT);
	ck_assert_int_ne(r.status, CRYPTO_REV_REVOKED);
	/* Truncations are refused, never read past (a stride: each call
	 * parses two certificates). */
	for (i = 0; i < rg.len; i += 1 + i / 64)
		ck_assert_int_ne(crypto_ocsp_check(rg.p, i, good.p, good.len,
		    root.p, root.len, T_2030, &r), 0);
	/* A request is not a response. */
	rg = t_vec_file("pki/rev/gw-rsa2048.ocsp-req");
	ck_assert_int_eq(crypto_ocsp_check(rg.p, rg.len, good.p, good.len,
	    root.p, root.len, T_2030, &r), IR_ERR_MALFORMED);
}
END_TEST

START_TEST(rev_crl_check)
{
	struct tbuf good = der_of("gw-rsa2048.crt");
	struct tbuf bad = der_of("gw-eku-client.crt");
	struct tbuf root = der_of("root-ca.crt"), sub = der_of("sub-ca.crt");
	struct tbuf crl = t_vec_file("pki/rev/root-ca.crl");
	struct crypto_rev_result r;
	size_t i;

	ck_assert_int_eq(crypto_crl_check(crl.p, crl.len, bad.p, bad.len,
	    root.p, root.len, T_2030, &r), 0);
	ck_assert_int_eq(r.status, CRYPTO_REV_REVOKED);
	ck_assert_int_eq(r.reason, 1);
	ck_assert_int_eq(crypto_crl_check(crl.p, crl.len, good.p, good.len,
	    root.p, root.len, T_2030, &r), 0);
	ck_assert_int_eq(r.status, CRYPTO_REV_GOOD);
	ck_assert_int_eq(crypto_crl_check(crl.p, crl.len, good.p, good.len,
	    sub.p, sub.len, T_2030, &r), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(r.why, "another issuer"));
	ck_assert_int_eq(crypto_crl_check(crl.p, crl.len, good.p, good.len,
	    root.p, root.len, T_2057, &r), IR_ERR_CERT);
	ck_assert_ptr_nonnull(strstr(r.why, "out of date"));
	/* A flipped bit in the signature. */
	crl.p[crl.len - 1] ^= 1;
	ck_assert_int_eq(crypto_crl_check(crl.p, crl.len, bad.p, bad.len,
	    root.p, root.len, T_2030, &r), IR_ERR_CERT);
	crl.p[crl.len - 1] ^= 1;
	for (i = 0; i < crl.len; i += 1 + i / 64)
		ck_assert_int_ne(crypto_crl_check(crl.p, i, bad.p, bad.len,
		    root.p, root.len, T_2030, &r), 0);
}
END_TEST

Suite *
revoke_suite(void)
{
	Suite *s = suite_create("revoke");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, rev_uris);
	tcase_add_test(tc, rev_ocsp_request);
	tcase_add_test(tc, rev_ocsp_check);
	tcase_add_test(tc, rev_crl_check);
	suite_add_tcase(s, tc);
	return s;
}
