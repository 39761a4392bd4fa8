/*
 * crypto/crypto_xform.c: the protection transforms of the SK payload
 * (RFC 7296 §3.14, RFC 5282) and of ESP (RFC 4303, RFC 4106, RFC 7634):
 * which ENCR and INTEG transform IDs we implement, their key and ICV
 * sizes, and the lifetime and dispatch of struct crypto_xform.
 *
 * The algorithms themselves live in crypto_aead.c (AES-GCM-16 and
 * ChaCha20-Poly1305) and crypto_cbc_hmac.c (AES-CBC with an HMAC).
 * Dispatch is a branch on one flag, not a function pointer, because
 * seal and open run once per packet.
 */
#include <limits.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

/*
 * Transform Type 1 (ENCR), IANA "IKEv2 Parameters".  AES-CBC and
 * AES-GCM need the Key Length attribute (RFC 3602 §5.3, RFC 5282 §8);
 * ChaCha20-Poly1305 must not carry one (RFC 7634 §4), so its row has
 * key_bits 0.  The AEAD key lengths include the 4-octet salt, which is
 * taken from KEYMAT right after the key (RFC 4106 §8.1, RFC 5282 §7.1).
 */
static const struct crypto_encr_alg encr_algs[] = {
	/* id                          bits  OpenSSL name         key aead */
	{ CRYPTO_ENCR_AES_CBC,		128, "AES-128-CBC",	  16, false },
	{ CRYPTO_ENCR_AES_CBC,		192, "AES-192-CBC",	  24, false },
	{ CRYPTO_ENCR_AES_CBC,		256, "AES-256-CBC",	  32, false },
	{ CRYPTO_ENCR_AES_GCM_16,	128, "AES-128-GCM",	  20, true },
	{ CRYPTO_ENCR_AES_GCM_16,	192, "AES-192-GCM",	  28, true },
	{ CRYPTO_ENCR_AES_GCM_16,	256, "AES-256-GCM",	  36, true },
	{ CRYPTO_ENCR_CHACHA20_POLY1305, 0, "ChaCha20-Poly1305", 36, true },
};

/*
 * Transform Type 3 (INTEG).  The key is as long as the hash output and
 * the ICV is truncated to half of it (RFC 4868 §2.1.1, §2.1.2); the
 * SHA-1 variant keeps 96 of 160 bits (RFC 2404 §2).
 */
static const struct crypto_integ_alg integ_algs[] = {
	/* id                              digest      key icv */
	{ CRYPTO_INTEG_HMAC_SHA1_96,	  "SHA1",	20, 12 },
	{ CRYPTO_INTEG_HMAC_SHA2_256_128, "SHA2-256",	32, 16 },
	{ CRYPTO_INTEG_HMAC_SHA2_384_192, "SHA2-384",	48, 24 },
	{ CRYPTO_INTEG_HMAC_SHA2_512_256, "SHA2-512",	64, 32 },
};

const struct crypto_encr_alg *
crypto_encr_alg_find(uint16_t encr, uint16_t key_bits)
{
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(encr_algs); i++)
		if (encr_algs[i].id == encr &&
		    encr_algs[i].key_bits == key_bits)
			return &encr_algs[i];
	return NULL;
}

const struct crypto_integ_alg *
crypto_integ_alg_find(uint16_t integ)
{
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(integ_algs); i++)
		if (integ_algs[i].id == integ)
			return &integ_algs[i];
	return NULL;
}

bool
crypto_encr_supported(uint16_t encr, uint16_t key_bits)
{
	return crypto_encr_alg_find(encr, key_bits) != NULL;
}

bool
crypto_encr_is_aead(uint16_t encr)
{
	return encr == CRYPTO_ENCR_AES_GCM_16 ||
	    encr == CRYPTO_ENCR_CHACHA20_POLY1305;
}

size_t
crypto_encr_key_len(uint16_t encr, uint16_t key_bits)
{
	const struct crypto_encr_alg *a = crypto_encr_alg_find(encr, key_bits);

	return a != NULL ? a->key_len : 0;
}

bool
crypto_integ_supported(uint16_t integ)
{
	return crypto_integ_alg_find(integ) != NULL;
}

size_t
crypto_integ_key_len(uint16_t integ)
{
	const struct crypto_integ_alg *a = crypto_integ_alg_find(integ);

	return a != NULL ? a->key_len : 0;
}

size_t
crypto_integ_icv_len(uint16_t integ)
{
	const struct crypto_integ_alg *a = crypto_integ_alg_find(integ);

	return a != NULL ? a->icv_len : 0;
}

/*
 * Key one cipher context per direction.  The per-packet code then calls
 * EVP_CipherInit_ex2() with a NULL cipher and key, which loads only the
 * IV and keeps the key schedule built here.
 */
int
crypto_xform_cipher_init(struct crypto_xform *x, const uint8_t *key,
    size_t key_len)
{
	EVP_CIPHER	*cipher;
	int		 rv = IR_ERR_CRYPTO;

	cipher = EVP_CIPHER_fetch(NULL, x->encr->evp_name, NULL);
	if (cipher == NULL)
		return IR_ERR_UNSUPPORTED;	/* e.g. a FIPS-only provider */
	if ((size_t)EVP_CIPHER_get_key_length(cipher) != key_len) {
		rv = IR_ERR_INTERNAL;
		goto out;
	}
	x->seal_ctx = EVP_CIPHER_CTX_new();
	x->open_ctx = EVP_CIPHER_CTX_new();
	if (x->seal_ctx == NULL || x->open_ctx == NULL) {
		rv = IR_ERR_NOMEM;
		goto out;
	}
	if (!EVP_CipherInit_ex2(x->seal_ctx, cipher, key, NULL, 1, NULL) ||
	    !EVP_CipherInit_ex2(x->open_ctx, cipher, key, NULL, 0, NULL))
		goto out;
	rv = 0;
out:
	EVP_CIPHER_free(cipher);	/* each context holds a reference */
	return rv;
}

int
crypto_xform_new(struct crypto_xform **out, uint16_t encr, uint16_t key_bits,
    uint16_t integ, const uint8_t *encr_key, size_t encr_key_len,
    const uint8_t *integ_key, size_t integ_key_len)
{
	const struct crypto_encr_alg	*ea;
	const struct crypto_integ_alg	*ia = NULL;
	struct crypto_xform		*x;
	int				 rv;

	*out = NULL;
	if ((ea = crypto_encr_alg_find(encr, key_bits)) == NULL)
		return IR_ERR_UNSUPPORTED;
	/* RFC 7296 §3.3.3: with an AEAD, no INTEG transform or NONE. */
	if (ea->aead ? integ != CRYPTO_INTEG_NONE :
	    (ia = crypto_integ_alg_find(integ)) == NULL)
		return IR_ERR_UNSUPPORTED;
	if (encr_key_len != ea->key_len ||
	    integ_key_len != (ia != NULL ? ia->key_len : 0u))
		return IR_ERR_INTERNAL;	/* the caller split KEYMAT wrong */

	if ((x = ir_calloc(1, sizeof(*x))) == NULL)
		return IR_ERR_NOMEM;
	x->encr = ea;
	x->integ = ia;
	if (ea->aead) {
		x->iv_len = CRYPTO_AEAD_IV_LEN;
		x->icv_len = CRYPTO_AEAD_ICV_LEN;
		x->block_len = 1;
		rv = crypto_aead_init(x, encr_key, encr_key_len);
	} else {
		x->iv_len = CRYPTO_AES_BLOCK_LEN;
		x->icv_len = ia->icv_len;
		x->block_len = CRYPTO_AES_BLOCK_LEN;
		rv = crypto_cbc_hmac_init(x, encr_key, encr_key_len,
		    integ_key, integ_key_len);
	}
	if (rv != 0) {
		crypto_xform_free(x);
		return rv;
	}
	*out = x;
	return 0;
}

void
crypto_xform_free(struct crypto_xform *x)
{
	if (x == NULL)
		return;
	/* OpenSSL cleanses key schedules and HMAC pads when it frees them. */
	EVP_CIPHER_CTX_free(x->seal_ctx);
	EVP_CIPHER_CTX_free(x->open_ctx);
	EVP_MAC_CTX_free(x->mac);
	OPENSSL_cleanse(x, sizeof(*x));
	ir_free(x);
}

bool
crypto_xform_is_aead(const struct crypto_xform *x)
{
	return x->encr->aead;
}

size_t
crypto_xform_iv_len(const struct crypto_xform *x)
{
	return x->iv_len;
}

size_t
crypto_xform_icv_len(const struct crypto_xform *x)
{
	return x->icv_len;
}

size_t
crypto_xform_block_len(const struct crypto_xform *x)
{
	return x->block_len;
}

/*
 * Lengths that OpenSSL's int-sized arguments cannot take, or that break
 * the block structure of CBC, are malformed input: an ESP or SK packet
 * whose ciphertext is not whole blocks is dropped (RFC 4303 §3.4.2).
 */
static bool
xform_len_ok(const struct crypto_xform *x, size_t aad_len, size_t len)
{
	return len <= INT_MAX && aad_len <= INT_MAX && len % x->block_len == 0;
}

int
crypto_xform_seal(struct crypto_xform *x, const uint8_t *aad, size_t aad_len,
    const uint8_t *icv_tail, size_t icv_tail_len, const uint8_t *iv,
    uint8_t *data, size_t len, uint8_t *icv)
{
	if (!xform_len_ok(x, aad_len, len))
		return IR_ERR_MALFORMED;
	if (x->encr->aead)
		return crypto_aead_seal(x, aad, aad_len, iv, data, len, icv);
	return crypto_cbc_hmac_seal(x, aad, aad_len, icv_tail, icv_tail_len,
	    iv, data, len, icv);
}

int
crypto_xform_open(struct crypto_xform *x, const uint8_t *aad, size_t aad_len,
    const uint8_t *icv_tail, size_t icv_tail_len, const uint8_t *iv,
    uint8_t *data, size_t len, const uint8_t *icv)
{
	if (!xform_len_ok(x, aad_len, len))
		return IR_ERR_MALFORMED;
	if (x->encr->aead)
		return crypto_aead_open(x, aad, aad_len, iv, data, len, icv);
	return crypto_cbc_hmac_open(x, aad, aad_len, icv_tail, icv_tail_len,
	    iv, data, len, icv);
}
