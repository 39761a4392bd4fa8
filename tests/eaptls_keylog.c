/* tests/eaptls_keylog.c: see eaptls_keylog.h. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/ssl.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "tests/eaptls_keylog.h"

/*
 * The PRF / HKDF hash of |suite| as OpenSSL knows it: a TLS 1.2 suite's
 * PRF is SHA-256 unless it names a larger hash (RFC 5246 §5; OpenSSL says
 * MD5-SHA1 for the suites older versions hash that way).
 */
static const char *
eaptls_suite_md(uint16_t suite)
{
	const uint8_t id[2] = { (uint8_t)(suite >> 8), (uint8_t)suite };
	const SSL_CIPHER *c;
	const EVP_MD *md;
	const char *name = NULL;
	SSL_CTX *ctx;
	SSL *ssl = NULL;

	if ((ctx = SSL_CTX_new(TLS_method())) == NULL ||
	    (ssl = SSL_new(ctx)) == NULL)
		goto out;
	if ((c = SSL_CIPHER_find(ssl, id)) == NULL ||
	    (md = SSL_CIPHER_get_handshake_digest(c)) == NULL)
		goto out;
	switch (EVP_MD_get_type(md)) {
	case NID_sha384:
		name = "SHA384";
		break;
	case NID_sha256:
	case NID_md5_sha1:
		name = "SHA256";
		break;
	}
out:
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return name;
}

/* HKDF-Expand-Label(secret, label, context, len), RFC 8446 §7.1. */
static int
eaptls_expand_label(const char *md, const uint8_t *secret, size_t slen,
    const char *label, const uint8_t *ctx, size_t clen, uint8_t *out,
    size_t len)
{
	uint8_t info[2 + 1 + 255 + 1 + 64];
	size_t llen = strlen(label), n = 0;
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY, ok = 0;
	OSSL_PARAM p[5];
	EVP_KDF_CTX *kc = NULL;
	EVP_KDF *kdf;

	if (6 + llen > 255 || clen > 64 || len > 0xffff)
		return IR_ERR_INTERNAL;
	info[n++] = (uint8_t)(len >> 8);
	info[n++] = (uint8_t)len;
	info[n++] = (uint8_t)(6 + llen);
	memcpy(info + n, "tls13 ", 6);
	memcpy(info + n + 6, label, llen);
	n += 6 + llen;
	info[n++] = (uint8_t)clen;
	if (clen > 0)
		memcpy(info + n, ctx, clen);
	n += clen;
	if ((kdf = EVP_KDF_fetch(NULL, "HKDF", NULL)) != NULL &&
	    (kc = EVP_KDF_CTX_new(kdf)) != NULL) {
		p[0] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
		p[1] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
		    (char *)md, 0);
		p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
		    (void *)secret, slen);
		p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
		    info, n);
		p[4] = OSSL_PARAM_construct_end();
		ok = EVP_KDF_derive(kc, out, len, p);
	}
	EVP_KDF_CTX_free(kc);
	EVP_KDF_free(kdf);
	return ok == 1 ? 0 : IR_ERR_CRYPTO;
}

/* TLS 1.3's exporter (RFC 8446 §7.5) from the exporter master secret. */
static int
eaptls_export13(const char *md, const struct keylog_secrets *s,
    const char *label, const uint8_t *ctx, size_t clen, uint8_t *out,
    size_t len)
{
	uint8_t empty[EVP_MAX_MD_SIZE], hctx[EVP_MAX_MD_SIZE];
	uint8_t derived[EVP_MAX_MD_SIZE];
	unsigned hlen = 0, h2 = 0;
	int rv = IR_ERR_CRYPTO;

	if (EVP_Digest("", 0, empty, &hlen, EVP_get_digestbyname(md),
	    NULL) != 1 || EVP_Digest(clen > 0 ? ctx : empty, clen, hctx, &h2,
	    EVP_get_digestbyname(md), NULL) != 1)
		return IR_ERR_CRYPTO;
	if (s->secret_len != hlen)
		return IR_ERR_CONFIG;
	/* Derive-Secret(Secret, label, "") = HKDF-Expand-Label(Secret,
	 * label, Transcript-Hash(""), Hash.length). */
	if ((rv = eaptls_expand_label(md, s->secret, s->secret_len, label,
	    empty, hlen, derived, hlen)) == 0)
		rv = eaptls_expand_label(md, derived, hlen, "exporter", hctx,
		    h2, out, len);
	ir_wipe(derived, sizeof(derived));
	return rv;
}

/* The TLS 1.2 PRF (RFC 5246 §5) over label | client.random |
 * server.random. */
static int
eaptls_prf12(const char *md, const struct keylog_secrets *s,
    const char *label, uint8_t *out, size_t len)
{
	uint8_t seed[64];
	OSSL_PARAM p[5];
	EVP_KDF_CTX *kc = NULL;
	EVP_KDF *kdf;
	int ok = 0;

	if (s->secret_len != 48 || s->client_random == NULL ||
	    s->server_random == NULL)
		return IR_ERR_CONFIG;
	memcpy(seed, s->client_random, 32);
	memcpy(seed + 32, s->server_random, 32);
	if ((kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL)) != NULL &&
	    (kc = EVP_KDF_CTX_new(kdf)) != NULL) {
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
		    (char *)md, 0);
		p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
		    (void *)s->secret, s->secret_len);
		p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED,
		    (void *)label, strlen(label));
		p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED,
		    seed, sizeof(seed));
		p[4] = OSSL_PARAM_construct_end();
		ok = EVP_KDF_derive(kc, out, len, p);
	}
	EVP_KDF_CTX_free(kc);
	EVP_KDF_free(kdf);
	return ok == 1 ? 0 : IR_ERR_CRYPTO;
}

int
keylog_msk(const struct keylog_secrets *s, uint8_t msk[KEYLOG_MSK_LEN])
{
	static const uint8_t type_code = 0x0d;	/* EAP-TLS */
	uint8_t km[128];		/* Key_Material */
	const char *md = eaptls_suite_md(s->suite);
	int rv;

	if (md == NULL || s->secret == NULL)
		return IR_ERR_CONFIG;
	if (s->version == TLS1_2_VERSION)
		rv = eaptls_prf12(md, s, "client EAP encryption", km,
		    sizeof(km));
	else if (s->version == TLS1_3_VERSION && s->legacy)
		rv = eaptls_export13(md, s, "client EAP encryption", NULL, 0,
		    km, sizeof(km));
	else if (s->version == TLS1_3_VERSION)
		rv = eaptls_export13(md, s, "EXPORTER_EAP_TLS_Key_Material",
		    &type_code, 1, km, sizeof(km));
	else
		rv = IR_ERR_CONFIG;
	if (rv == 0)
		memcpy(msk, km, KEYLOG_MSK_LEN);
	ir_wipe(km, sizeof(km));
	ERR_clear_error();
	return rv;
}
