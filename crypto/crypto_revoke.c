/*
 * crypto/crypto_revoke.c: OCSP (RFC 6960) and CRL (RFC 5280 §5) answers
 * checked for one certificate, with OpenSSL's OCSP and X509_CRL APIs;
 * see crypto_revoke.h.
 */
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_revoke.h"
#include "crypto/crypto_sig_int.h"

#define REV_DER_MAX	(4u << 20)	/* the largest CRL we read */
#define OCSP_LEEWAY	300		/* seconds of clock skew allowed */

static X509 *
der_cert(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x;

	if (len == 0 || len > CRYPTO_FILE_MAX)
		return NULL;
	x = d2i_X509(NULL, &p, (long)len);
	if (x != NULL && p != der + len) {
		X509_free(x);
		x = NULL;
	}
	ERR_clear_error();
	return x;
}

static bool
uri_ok(const ASN1_IA5STRING *s)
{
	const char *p = (const char *)ASN1_STRING_get0_data(s);
	int n = ASN1_STRING_length(s), i;

	if (n <= 0 || n >= CRYPTO_URI_MAX || (strncmp(p, "http://", 7) != 0 &&
	    strncmp(p, "https://", 8) != 0))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
			return false;
	return true;
}

static void
uri_add(char (*list)[CRYPTO_URI_MAX], uint8_t *n, const GENERAL_NAME *gn)
{
	const ASN1_IA5STRING *s;

	if (gn->type != GEN_URI || *n >= CRYPTO_REV_URIS_MAX)
		return;
	s = gn->d.uniformResourceIdentifier;
	if (!uri_ok(s))
		return;
	memcpy(list[*n], ASN1_STRING_get0_data(s),
	    (size_t)ASN1_STRING_length(s));
	list[*n][ASN1_STRING_length(s)] = '\0';
	(*n)++;
}

int
crypto_rev_uris(const uint8_t *cert, size_t cert_len,
    struct crypto_rev_uris *out)
{
	AUTHORITY_INFO_ACCESS *aia;
	CRL_DIST_POINTS *cdp;
	ACCESS_DESCRIPTION *ad;
	DIST_POINT *dp;
	X509 *x;
	int i, j;

	memset(out, 0, sizeof(*out));
	if ((x = der_cert(cert, cert_len)) == NULL)
		return IR_ERR_MALFORMED;
	aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
	for (i = 0; aia != NULL && i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		if (OBJ_obj2nid(ad->method) == NID_ad_OCSP)
			uri_add(out->ocsp, &out->n_ocsp, ad->location);
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	cdp = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
	for (i = 0; cdp != NULL && i < sk_DIST_POINT_num(cdp); i++) {
		dp = sk_DIST_POINT_value(cdp, i);
		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;	/* a relative name: not a URI */
		for (j = 0; j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname);
		    j++)
			uri_add(out->crl, &out->n_crl, sk_GENERAL_NAME_value(
			    dp->distpoint->name.fullname, j));
	}
	CRL_DIST_POINTS_free(cdp);
	X509_free(x);
	ERR_clear_error();
	return 0;
}

int
crypto_ocsp_request(const uint8_t *cert, size_t cert_len,
    const uint8_t *issuer, size_t issuer_len, uint8_t *out, size_t cap,
    size_t *len)
{
	X509 *x = der_cert(cert, cert_len), *is = der_cert(issuer, issuer_len);
	OCSP_REQUEST *req = NULL;
	OCSP_CERTID *id = NULL;
	unsigned char *der = NULL;
	int n, rv = IR_ERR_MALFORMED;

	*len = 0;
	if (x == NULL || is == NULL)
		goto out;
	rv = IR_ERR_NOMEM;
	if ((req = OCSP_REQUEST_new()) == NULL ||
	    (id = OCSP_cert_to_id(NULL, x, is)) == NULL)
		goto out;
	if (OCSP_request_add0_id(req, id) == NULL)
		goto out;
	id = NULL;			/* the request owns it */
	if ((n = i2d_OCSP_REQUEST(req, &der)) <= 0) {
		rv = IR_ERR_CRYPTO;
		goto out;
	}
	if ((size_t)n > cap) {
		rv = IR_ERR_NOBUF;
		goto out;
	}
	memcpy(out, der, (size_t)n);
	*len = (size_t)n;
	rv = 0;
out:
	OPENSSL_free(der);
	OCSP_CERTID_free(id);
	OCSP_REQUEST_free(req);
	X509_free(x);
	X509_free(is);
	ERR_clear_error();
	return rv;
}

static int64_t
asn1_time_epoch(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (int64_t)timegm(&tm);
}

static void
result_init(struct crypto_rev_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = CRYPTO_REV_UNKNOWN;
	r->reason = -1;
}

/* The store that vouches for a responder: |issuer| alone, as an anchor
 * even when it is an intermediate. */
static X509_STORE *
issuer_store(X509 *issuer)
{
	X509_STORE *st = X509_STORE_new();

	if (st == NULL)
		return NULL;
	if (!X509_STORE_add_cert(st, issuer) ||
	    !X509_STORE_set_flags(st, X509_V_FLAG_PARTIAL_CHAIN)) {
		X509_STORE_free(st);
		return NULL;
	}
	return st;
}

static int
ocsp_single(OCSP_BASICRESP *bs, X509 *x, X509 *is, int64_t now,
    struct crypto_rev_result *r)
{
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	OCSP_CERTID *id;
	int status, reason, ok;

	if ((id = OCSP_cert_to_id(NULL, x, is)) == NULL)
		return IR_ERR_NOMEM;
	ok = OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisupd,
	    &nextupd);
	OCSP_CERTID_free(id);
	if (!ok) {
		crypto_why_set(r->why, sizeof(r->why), "the OCSP response "
		    "does not answer for this certificate");
		return IR_ERR_CERT;
	}
	if (asn1_time_epoch(thisupd) > now + OCSP_LEEWAY ||
	    (nextupd != NULL && asn1_time_epoch(nextupd) + OCSP_LEEWAY <
	    now)) {
		crypto_why_set(r->why, sizeof(r->why), "the OCSP response is "
		    "out of date");
		return IR_ERR_CERT;
	}
	r->next_update = nextupd != NULL ? asn1_time_epoch(nextupd) : 0;
	switch (status) {
	case V_OCSP_CERTSTATUS_GOOD:
		r->status = CRYPTO_REV_GOOD;
		crypto_why_set(r->why, sizeof(r->why), "OCSP: good");
		break;
	case V_OCSP_CERTSTATUS_REVOKED:
		r->status = CRYPTO_REV_REVOKED;
		r->reason = reason;
		r->revoked_at = asn1_time_epoch(rev);
		crypto_why_set(r->why, sizeof(r->why), "OCSP: revoked (%s)",
		    crypto_rev_reason_name(reason));
		break;
	default:
		r->status = CRYPTO_REV_UNKNOWN;
		crypto_why_set(r->why, sizeof(r->why), "OCSP: unknown to the "
		    "responder");
		break;
	}
	return 0;
}

int
crypto_ocsp_check(const uint8_t *resp, size_t resp_len, const uint8_t *cert,
    size_t cert_len, const uint8_t *issuer, size_t issuer_len, int64_t now,
    struct crypto_rev_result *r)
{
	X509 *x = der_cert(cert, cert_len), *is = der_cert(issuer, issuer_len);
	const unsigned char *p = resp;
	OCSP_RESPONSE *or = NULL;
	OCSP_BASICRESP *bs = NULL;
	STACK_OF(X509) *certs = NULL;
	X509_STORE *st = NULL;
	int rv = IR_ERR_MALFORMED, st_code;

	result_init(r);
	if (x == NULL || is == NULL || resp_len == 0 ||
	    resp_len > REV_DER_MAX ||
	    (or = d2i_OCSP_RESPONSE(NULL, &p, (long)resp_len)) == NULL ||
	    p != resp + resp_len) {
		crypto_why_set(r->why, sizeof(r->why), "not an OCSP response");
		goto out;
	}
	if ((st_code = OCSP_response_status(or)) !=
	    OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		crypto_why_set(r->why, sizeof(r->why), "the OCSP responder "
		    "said %s", OCSP_response_status_str(st_code));
		rv = IR_ERR_CERT;
		goto out;
	}
	if ((bs = OCSP_response_get1_basic(or)) == NULL) {
		crypto_why_set(r->why, sizeof(r->why), "not a basic OCSP "
		    "response");
		goto out;
	}
	rv = IR_ERR_NOMEM;
	if ((certs = sk_X509_new_null()) == NULL || !sk_X509_push(certs, is) ||
	    (st = issuer_store(is)) == NULL)
		goto out;
	/* Signed by the issuer itself (trusted as one of |certs|), or by a
	 * responder certificate that the issuer made for OCSP signing. */
	if (OCSP_basic_verify(bs, certs, st, OCSP_TRUSTOTHER) <= 0) {
		crypto_why_set(r->why, sizeof(r->why), "the OCSP response is "
		    "not signed by the certificate's issuer");
		rv = IR_ERR_CERT;
		goto out;
	}
	rv = ocsp_single(bs, x, is, now, r);
out:
	if (certs != NULL)
		sk_X509_free(certs);	/* |is| is freed below */
	X509_STORE_free(st);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(or);
	X509_free(x);
	X509_free(is);
	ERR_clear_error();
	return rv;
}

int
crypto_crl_check(const uint8_t *crl, size_t crl_len, const uint8_t *cert,
    size_t cert_len, const uint8_t *issuer, size_t issuer_len, int64_t now,
    struct crypto_rev_result *r)
{
	X509 *x = der_cert(cert, cert_len), *is = der_cert(issuer, issuer_len);
	const unsigned char *p = crl;
	X509_CRL *c = NULL;
	X509_REVOKED *rev = NULL;
	ASN1_ENUMERATED *reason;
	EVP_PKEY *key;
	int rv = IR_ERR_MALFORMED, ok;

	result_init(r);
	if (x == NULL || is == NULL || crl_len == 0 || crl_len > REV_DER_MAX ||
	    (c = d2i_X509_CRL(NULL, &p, (long)crl_len)) == NULL ||
	    p != crl + crl_len) {
		crypto_why_set(r->why, sizeof(r->why), "not a DER CRL");
		goto out;
	}
	rv = IR_ERR_CERT;
	if (X509_NAME_cmp(X509_CRL_get_issuer(c),
	    X509_get_subject_name(is)) != 0) {
		crypto_why_set(r->why, sizeof(r->why), "the CRL is from "
		    "another issuer");
		goto out;
	}
	key = X509_get0_pubkey(is);
	ok = key != NULL && X509_CRL_verify(c, key) == 1;
	if (!ok) {
		crypto_why_set(r->why, sizeof(r->why), "the CRL's signature "
		    "does not verify");
		goto out;
	}
	if (asn1_time_epoch(X509_CRL_get0_lastUpdate(c)) > now + OCSP_LEEWAY ||
	    (X509_CRL_get0_nextUpdate(c) != NULL &&
	    asn1_time_epoch(X509_CRL_get0_nextUpdate(c)) < now)) {
		crypto_why_set(r->why, sizeof(r->why), "the CRL is out of "
		    "date");
		goto out;
	}
	r->next_update = asn1_time_epoch(X509_CRL_get0_nextUpdate(c));
	if (X509_CRL_get0_by_cert(c, &rev, x) == 1 && rev != NULL) {
		r->status = CRYPTO_REV_REVOKED;
		r->revoked_at = asn1_time_epoch(
		    X509_REVOKED_get0_revocationDate(rev));
		reason = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL,
		    NULL);
		r->reason = reason != NULL ? (int)ASN1_ENUMERATED_get(reason) :
		    -1;
		ASN1_ENUMERATED_free(reason);
		crypto_why_set(r->why, sizeof(r->why), "CRL: revoked (%s)",
		    crypto_rev_reason_name(r->reason));
	} else {
		r->status = CRYPTO_REV_GOOD;
		crypto_why_set(r->why, sizeof(r->why), "CRL: not revoked");
	}
	rv = 0;
out:
	X509_CRL_free(c);
	X509_free(x);
	X509_free(is);
	ERR_clear_error();
	return rv;
}

const char *
crypto_rev_reason_name(int reason)
{
	static const char *const names[] = {
		"unspecified", "keyCompromise", "cACompromise",
		"affiliationChanged", "superseded", "cessationOfOperation",
		"certificateHold", "unused", "removeFromCRL",
		"privilegeWithdrawn", "aACompromise",
	};

	if (reason < 0 || (size_t)reason >= IR_ARRAY_LEN(names))
		return "unspecified";
	return names[reason];
}
