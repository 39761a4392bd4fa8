/*
 * crypto/crypto_aead.c: the AEAD transforms, AES-GCM with a 16-octet ICV
 * (ESP: RFC 4106; SK payload: RFC 5282) and ChaCha20-Poly1305 (RFC 7634,
 * on the AEAD of RFC 8439 §2.8).  All three share one construction:
 *
 *	KEYMAT slice:	key (16, 24 or 32 octets) | salt (4 octets)
 *	nonce (12):	salt | explicit IV (8 octets, carried on the wire)
 *	AAD:		ESP: SPI | [seq_hi |] seq (RFC 4106 §5, RFC 7634 §2.1)
 *			SK:  IKE header .. SK payload header (RFC 5282 §5.1)
 *	ICV:		the 16-octet tag, after the ciphertext
 *
 * The caller chooses the IV.  It must never repeat under one key (RFC 4106
 * §3.1): ESP uses the sequence number, IKE a counter or random bytes.
 *
 * Per packet, OpenSSL 3.0's providers look every parameter up by name
 * (OSSL_PARAM_locate: a strcmp per known name), and EVP_CipherInit_ex2()
 * with an IV asks the provider for the IV length each time (3.0 keeps
 * no copy).  So the per-packet calls are the fewest parameter calls
 * that do the job, built on the stack (no allocation):
 *
 *   AES-GCM, seal:  set nonce | AAD | data | final | get tag
 *            open:  set nonce and tag (one call) | AAD | data | final
 *   ChaCha20-Poly1305: EVP_CipherInit_ex2(IV) instead of "set nonce"
 *
 * "Set nonce" is the AEAD_TLS1_IV_FIXED parameter with the length
 * (size_t)-1, which OpenSSL's GCM takes as "the whole IV" (what the
 * EVP_CTRL_GCM_SET_IV_FIXED control with -1 has always meant) and which
 * resets GHASH as an IV given to EVP_CipherInit_ex2 does.  Measured with
 * tests/bench/esp_callgrind.sh on 1400-octet packets: about 10 % fewer
 * instructions per AES-GCM packet than EVP_CipherInit_ex2 and
 * EVP_CIPHER_CTX_ctrl.  crypto_aead_init() tries it once and keeps
 * EVP_CipherInit_ex2 where a provider refuses it (ChaCha20-Poly1305
 * takes only a 12-octet fixed part, as TLS 1.2 uses it).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/ir_err.h"
#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

/*
 * Load a whole |nonce| (and for opening the expected |tag|) into a keyed
 * GCM context in one parameter call; see the top of the file.
 */
static bool
nonce_set(EVP_CIPHER_CTX *ctx, const uint8_t *nonce, const uint8_t *tag)
{
	OSSL_PARAM p[3];
	size_t n = 0;

	/* OpenSSL copies both; the casts only drop const. */
	p[n++] = OSSL_PARAM_construct_octet_string(
	    OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED, (void *)nonce, (size_t)-1);
	if (tag != NULL)
		p[n++] = OSSL_PARAM_construct_octet_string(
		    OSSL_CIPHER_PARAM_AEAD_TAG, (void *)tag,
		    CRYPTO_AEAD_ICV_LEN);
	p[n] = OSSL_PARAM_construct_end();
	return EVP_CIPHER_CTX_set_params(ctx, p) == 1;
}

static bool
tag_get(EVP_CIPHER_CTX *ctx, uint8_t *tag)
{
	OSSL_PARAM p[2];

	p[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
	    tag, CRYPTO_AEAD_ICV_LEN);
	p[1] = OSSL_PARAM_construct_end();
	return EVP_CIPHER_CTX_get_params(ctx, p) == 1;
}

static bool
tag_set(EVP_CIPHER_CTX *ctx, const uint8_t *tag)
{
	OSSL_PARAM p[2];

	p[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
	    (void *)tag, CRYPTO_AEAD_ICV_LEN);
	p[1] = OSSL_PARAM_construct_end();
	return EVP_CIPHER_CTX_set_params(ctx, p) == 1;
}

int
crypto_aead_init(struct crypto_xform *x, const uint8_t *key, size_t key_len)
{
	uint8_t	zero[CRYPTO_AEAD_NONCE_LEN];
	size_t	cipher_key_len;
	int	rv;

	if (key_len <= CRYPTO_AEAD_SALT_LEN)
		return IR_ERR_INTERNAL;
	/* RFC 4106 §8.1, RFC 5282 §7.1, RFC 7634 §2: the salt comes last. */
	cipher_key_len = key_len - CRYPTO_AEAD_SALT_LEN;
	memcpy(x->salt, key + cipher_key_len, CRYPTO_AEAD_SALT_LEN);
	if ((rv = crypto_xform_cipher_init(x, key, cipher_key_len)) != 0)
		return rv;
	/* Both ciphers default to a 96-bit nonce; make sure of it. */
	if (EVP_CIPHER_CTX_get_iv_length(x->seal_ctx) != CRYPTO_AEAD_NONCE_LEN ||
	    EVP_CIPHER_CTX_get_iv_length(x->open_ctx) != CRYPTO_AEAD_NONCE_LEN)
		return IR_ERR_INTERNAL;
	/* Does the provider take the nonce as a parameter?  (A zero nonce:
	 * every packet loads its own before any octet is processed.) */
	memset(zero, 0, sizeof(zero));
	x->nonce_param = x->encr->id == CRYPTO_ENCR_AES_GCM_16 &&
	    nonce_set(x->seal_ctx, zero, NULL) &&
	    nonce_set(x->open_ctx, zero, NULL);
	return 0;
}

/*
 * Load nonce = salt | iv (and, when opening, the expected |tag|) into
 * the keyed |ctx| and feed the AAD.  Either way of loading the nonce
 * resets the GHASH / Poly1305 state and keeps the key schedule: with a
 * NULL cipher and key, EVP_CipherInit_ex2() only sets the IV.
 */
static int
aead_start(struct crypto_xform *x, EVP_CIPHER_CTX *ctx, const uint8_t *iv,
    const uint8_t *tag, const uint8_t *aad, size_t aad_len)
{
	uint8_t	nonce[CRYPTO_AEAD_NONCE_LEN];
	int	outl;

	memcpy(nonce, x->salt, CRYPTO_AEAD_SALT_LEN);
	memcpy(nonce + CRYPTO_AEAD_SALT_LEN, iv, CRYPTO_AEAD_IV_LEN);
	if (x->nonce_param) {
		if (!nonce_set(ctx, nonce, tag))
			return IR_ERR_CRYPTO;
	} else if (!EVP_CipherInit_ex2(ctx, NULL, NULL, nonce, -1, NULL) ||
	    (tag != NULL && !tag_set(ctx, tag)))
		return IR_ERR_CRYPTO;
	/* A NULL output buffer makes this update AAD, not payload. */
	if (aad_len > 0 &&
	    !EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aad_len))
		return IR_ERR_CRYPTO;
	return 0;
}

/* En- or decrypt |len| bytes in place; both ciphers are stream modes. */
static int
aead_update(EVP_CIPHER_CTX *ctx, uint8_t *data, size_t len)
{
	int	outl;

	if (len == 0)
		return 0;	/* an update with NULL |data| would be AAD */
	if (!EVP_CipherUpdate(ctx, data, &outl, data, (int)len) ||
	    (size_t)outl != len)
		return IR_ERR_CRYPTO;
	return 0;
}

int
crypto_aead_seal(struct crypto_xform *x, const uint8_t *aad, size_t aad_len,
    const uint8_t *iv, uint8_t *data, size_t len, uint8_t *icv)
{
	EVP_CIPHER_CTX	*ctx = x->seal_ctx;
	uint8_t		 tail[CRYPTO_AES_BLOCK_LEN];	/* Final writes none */
	int		 outl, rv;

	if ((rv = aead_start(x, ctx, iv, NULL, aad, aad_len)) != 0 ||
	    (rv = aead_update(ctx, data, len)) != 0)
		return rv;
	if (!EVP_CipherFinal_ex(ctx, tail, &outl) || outl != 0 ||
	    !tag_get(ctx, icv))
		return IR_ERR_CRYPTO;
	return 0;
}

int
crypto_aead_open(struct crypto_xform *x, const uint8_t *aad, size_t aad_len,
    const uint8_t *iv, uint8_t *data, size_t len, const uint8_t *icv)
{
	EVP_CIPHER_CTX	*ctx = x->open_ctx;
	uint8_t		 tail[CRYPTO_AES_BLOCK_LEN];
	int		 outl, rv;

	if ((rv = aead_start(x, ctx, iv, icv, aad, aad_len)) != 0)
		return rv;
	if ((rv = aead_update(ctx, data, len)) != 0)
		return rv;
	/*
	 * The tag is compared (in constant time) only here, after the
	 * payload was decrypted in place.  On a mismatch, wipe it so that
	 * no unauthenticated plaintext reaches the caller.
	 */
	if (EVP_CipherFinal_ex(ctx, tail, &outl) <= 0) {
		if (len > 0)
			OPENSSL_cleanse(data, len);
		return IR_ERR_DECRYPT;
	}
	return 0;
}
