/*
 * crypto/crypto_import.c: PKCS#12 to PEM, certificates to PEM, and CMS
 * SignedData verification for `ikeroam import` (crypto/crypto_import.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_import.h"
#include "crypto/crypto_sig_int.h"

#define IMPORT_IN_MAX	(4u << 20)	/* larger inputs are refused */

/* The bytes written to a memory BIO as a new NUL-terminated string. */
static int
bio_take(BIO *b, char **out, size_t *len)
{
	char *data;
	long n;

	n = BIO_get_mem_data(b, &data);
	if (n < 0)
		return IR_ERR_CRYPTO;
	if ((*out = malloc((size_t)n + 1)) == NULL)
		return IR_ERR_NOMEM;
	memcpy(*out, data, (size_t)n);
	(*out)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

/* Wipe and free a string that held a key. */
static void
secret_free(char *s, size_t len)
{
	if (s != NULL) {
		ir_wipe(s, len);
		free(s);
	}
}

static void
subject_line(X509 *x, char *buf, size_t cap)
{
	struct crypto_cert *c = NULL;

	buf[0] = '\0';
	if (X509_up_ref(x) != 1)
		return;
	if (crypto_cert_wrap(&c, x) != 0)
		return;
	crypto_cert_subject(c, buf, cap);
	crypto_cert_free(c);
}

/* A subjectAltName of |type| as a printable string, if it is one. */
static bool
san_of_type(const GENERAL_NAMES *gens, int type, char *buf, size_t cap)
{
	const GENERAL_NAME *g;
	const unsigned char *p;
	int i, j, n;

	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		if (g->type != type)
			continue;
		p = ASN1_STRING_get0_data(g->d.ia5);
		n = ASN1_STRING_length(g->d.ia5);
		if (n <= 0 || (size_t)n >= cap)
			continue;
		for (j = 0; j < n; j++)
			if (p[j] <= 0x20 || p[j] >= 0x7f)
				break;
		if (j < n)
			continue;
		memcpy(buf, p, (size_t)n);
		buf[n] = '\0';
		return true;
	}
	return false;
}

static void
san_id(X509 *x, char *buf, size_t cap)
{
	GENERAL_NAMES *gens;

	buf[0] = '\0';
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (gens == NULL)
		return;
	if (!san_of_type(gens, GEN_EMAIL, buf, cap))
		(void)san_of_type(gens, GEN_DNS, buf, cap);
	GENERAL_NAMES_free(gens);
}

/* Which password opens |p12|: RFC 7292 §5's MAC says.  An empty password
 * is tried both as NULL and as "" (writers encode it either way). */
static int
p12_password(PKCS12 *p12, const char *pass, const char **used)
{
	if (!PKCS12_mac_present(p12)) {
		*used = pass;
		return 0;
	}
	if (pass == NULL || pass[0] == '\0') {
		if (PKCS12_verify_mac(p12, NULL, 0)) {
			*used = NULL;
			return 0;
		}
		if (PKCS12_verify_mac(p12, "", 0)) {
			*used = "";
			return 0;
		}
		return IR_ERR_AUTH;
	}
	if (!PKCS12_verify_mac(p12, pass, -1))
		return IR_ERR_AUTH;
	*used = pass;
	return 0;
}

static int
p12_write(EVP_PKEY *pkey, X509 *x509, STACK_OF(X509) *ca,
    const char *key_pass, struct crypto_p12_pem *out)
{
	BIO *b;
	int i, rv = IR_ERR_CRYPTO;

	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return IR_ERR_NOMEM;
	if (!PEM_write_bio_X509(b, x509) ||
	    (rv = bio_take(b, &out->cert, &out->cert_len)) != 0)
		goto out;
	rv = IR_ERR_CRYPTO;
	(void)BIO_reset(b);
	if (!PEM_write_bio_PKCS8PrivateKey(b, pkey, key_pass != NULL ?
	    EVP_aes_256_cbc() : NULL, key_pass, key_pass != NULL ?
	    (int)strlen(key_pass) : 0, NULL, NULL) ||
	    (rv = bio_take(b, &out->key, &out->key_len)) != 0)
		goto out;
	rv = IR_ERR_CRYPTO;
	(void)BIO_reset(b);
	for (i = 0; i < sk_X509_num(ca) &&
	    out->n_cas < CRYPTO_IMPORT_MAX_CERTS; i++) {
		if (!PEM_write_bio_X509(b, sk_X509_value(ca, i)))
			goto out;
		out->n_cas++;
	}
	if (out->n_cas > 0 && (rv = bio_take(b, &out->cas, &out->cas_len)) != 0)
		goto out;
	subject_line(x509, out->subject, sizeof(out->subject));
	san_id(x509, out->san_id, sizeof(out->san_id));
	rv = 0;
out:
	/* A memory BIO's reset zeroes its whole buffer, which held the
	 * key. */
	(void)BIO_reset(b);
	BIO_free(b);
	return rv;
}

int
crypto_p12_to_pem(const uint8_t *der, size_t len, const char *pass,
    const char *key_pass, struct crypto_p12_pem *out)
{
	const unsigned char *p = der;
	STACK_OF(X509) *ca = NULL;
	EVP_PKEY *pkey = NULL;
	X509 *x509 = NULL;
	PKCS12 *p12;
	const char *used;
	int rv;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len > IMPORT_IN_MAX)
		return IR_ERR_MALFORMED;
	if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) == NULL) {
		ERR_clear_error();
		return IR_ERR_MALFORMED;
	}
	if ((rv = p12_password(p12, pass, &used)) != 0)
		goto out;
	if (!PKCS12_parse(p12, used, &pkey, &x509, &ca)) {
		/* RC2-40 and other PKCS#12 ciphers of old exporters live in
		 * OpenSSL 3's legacy provider. */
		ERR_clear_error();
		if (OSSL_PROVIDER_try_load(NULL, "legacy", 1) == NULL ||
		    !PKCS12_parse(p12, used, &pkey, &x509, &ca)) {
			ERR_clear_error();
			rv = IR_ERR_MALFORMED;
			goto out;
		}
	}
	if (pkey == NULL || x509 == NULL) {
		rv = IR_ERR_UNSUPPORTED;
		goto out;
	}
	if ((rv = p12_write(pkey, x509, ca, key_pass, out)) != 0)
		crypto_p12_pem_clear(out);
out:
	EVP_PKEY_free(pkey);
	X509_free(x509);
	sk_X509_pop_free(ca, X509_free);
	PKCS12_free(p12);
	ERR_clear_error();
	return rv;
}

void
crypto_p12_pem_clear(struct crypto_p12_pem *p)
{
	free(p->cert);
	secret_free(p->key, p->key_len);
	free(p->cas);
	memset(p, 0, sizeof(*p));
}

static bool
looks_pem(const uint8_t *data, size_t len)
{
	static const char tag[] = "-----BEGIN";
	size_t i;

	for (i = 0; i < len && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\r' || data[i] == '\n'); i++)
		;
	return len - i >= sizeof(tag) - 1 &&
	    memcmp(data + i, tag, sizeof(tag) - 1) == 0;
}

int
crypto_certs_to_pem(const uint8_t *data, size_t len, char **pem,
    size_t *pem_len, size_t *n, char *subject, size_t subject_cap)
{
	const unsigned char *p = data;
	BIO *in = NULL, *outb;
	X509 *x;
	int rv = IR_ERR_MALFORMED;

	*pem = NULL;
	*n = 0;
	if (subject != NULL && subject_cap > 0)
		subject[0] = '\0';
	if (len == 0 || len > IMPORT_IN_MAX)
		return IR_ERR_MALFORMED;
	if ((outb = BIO_new(BIO_s_mem())) == NULL)
		return IR_ERR_NOMEM;
	if (looks_pem(data, len) &&
	    (in = BIO_new_mem_buf(data, (int)len)) == NULL) {
		rv = IR_ERR_NOMEM;
		goto out;
	}
	for (;;) {
		x = in != NULL ? PEM_read_bio_X509(in, NULL, NULL, NULL) :
		    *n == 0 ? d2i_X509(NULL, &p, (long)len) : NULL;
		if (x == NULL)
			break;
		if (*n == CRYPTO_IMPORT_MAX_CERTS) {
			X509_free(x);
			rv = IR_ERR_NOBUF;
			goto out;
		}
		if (*n == 0 && subject != NULL)
			subject_line(x, subject, subject_cap);
		if (!PEM_write_bio_X509(outb, x)) {
			X509_free(x);
			rv = IR_ERR_CRYPTO;
			goto out;
		}
		X509_free(x);
		(*n)++;
	}
	/* DER must be exactly one certificate, nothing after it. */
	if (*n > 0 && (in != NULL || p == data + len))
		rv = bio_take(outb, pem, pem_len);
out:
	if (rv != 0) {
		free(*pem);
		*pem = NULL;
		*n = 0;
	}
	BIO_free(in);
	BIO_free(outb);
	ERR_clear_error();
	return rv;
}

/* ---- CMS SignedData (RFC 5652 §5) ------------------------------------ */

static CMS_ContentInfo *
cms_parse(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms;

	if (len == 0 || len > IMPORT_IN_MAX)
		return NULL;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	if (cms != NULL && (OBJ_obj2nid(CMS_get0_type(cms)) !=
	    NID_pkcs7_signed || p != der + len)) {
		CMS_ContentInfo_free(cms);
		cms = NULL;
	}
	ERR_clear_error();
	return cms;
}

bool
crypto_cms_is_signed(const uint8_t *data, size_t len)
{
	CMS_ContentInfo *cms = cms_parse(data, len);

	CMS_ContentInfo_free(cms);
	return cms != NULL;
}

/* The certificate of the first SignerInfo, from the certificates the
 * SignedData carries (RFC 5652 §5.3 sid); not owned. */
static X509 *
cms_signer(CMS_ContentInfo *cms, STACK_OF(X509) *certs)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	CMS_SignerInfo *si;
	int i;

	if (sk_CMS_SignerInfo_num(sis) < 1)
		return NULL;
	si = sk_CMS_SignerInfo_value(sis, 0);
	for (i = 0; i < sk_X509_num(certs); i++)
		if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
			return sk_X509_value(certs, i);
	return NULL;
}

static int
cms_chain(X509 *signer, STACK_OF(X509) *certs,
    const struct crypto_cms_opts *o, char *why, size_t why_cap)
{
	X509_STORE_CTX *ctx = NULL;
	X509_STORE *st;
	int rv = IR_ERR_NOMEM;

	if ((st = X509_STORE_new()) == NULL)
		return IR_ERR_NOMEM;
	if (o->ca_dir != NULL)
		(void)X509_STORE_load_path(st, o->ca_dir);
	if (o->ca_file != NULL && !X509_STORE_load_file(st, o->ca_file)) {
		snprintf(why, why_cap, "%s holds no CA certificate", o->ca_file);
		rv = IR_ERR_CERT;
		goto out;
	}
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    !X509_STORE_CTX_init(ctx, st, signer, certs))
		goto out;
	if (X509_verify_cert(ctx) == 1) {
		rv = 0;
	} else {
		snprintf(why, why_cap, "the signer's certificate is not "
		    "trusted: %s", X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
		rv = IR_ERR_CERT;
	}
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	ERR_clear_error();
	return rv;
}

/* The encapsulated content, whether or not the signature verified. */
static int
cms_content(CMS_ContentInfo *cms, uint8_t **content, size_t *len)
{
	ASN1_OCTET_STRING **os = CMS_get0_content(cms);
	int n;

	if (os == NULL || *os == NULL)
		return IR_ERR_MALFORMED;
	n = ASN1_STRING_length(*os);
	if ((*content = malloc((size_t)n + 1)) == NULL)
		return IR_ERR_NOMEM;
	memcpy(*content, ASN1_STRING_get0_data(*os), (size_t)n);
	(*content)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

int
crypto_cms_open(const uint8_t *der, size_t len,
    const struct crypto_cms_opts *o, uint8_t **content, size_t *content_len,
    char *signer, size_t signer_cap, char *why, size_t why_cap)
{
	STACK_OF(X509) *certs = NULL;
	CMS_ContentInfo *cms;
	X509 *sx;
	int rv, crv;

	*content = NULL;
	*content_len = 0;
	signer[0] = '\0';
	why[0] = '\0';
	if ((cms = cms_parse(der, len)) == NULL)
		return IR_ERR_MALFORMED;
	certs = CMS_get1_certs(cms);
	if ((sx = cms_signer(cms, certs)) == NULL) {
		snprintf(why, why_cap, "the signature carries no signer "
		    "certificate");
		rv = IR_ERR_CERT;
	} else {
		subject_line(sx, signer, signer_cap);
		/* The signature over the content, with the signer's own
		 * certificate; the chain is checked apart for a clear line. */
		if (CMS_verify(cms, certs, NULL, NULL, NULL,
		    CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1) {
			snprintf(why, why_cap, "the signature does not match "
			    "the signed content");
			rv = IR_ERR_AUTH;
		} else {
			rv = cms_chain(sx, certs, o, why, why_cap);
		}
	}
	if (rv == 0 || ((rv == IR_ERR_AUTH || rv == IR_ERR_CERT) &&
	    o->insecure)) {
		if ((crv = cms_content(cms, content, content_len)) != 0)
			rv = crv;
	}
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return rv;
}
