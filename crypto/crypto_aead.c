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
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/ir_err.h"
#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

int
crypto_aead_init(struct crypto_xform *x, const uint8_t *key, size_t key_len)
{
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
	if (EVP_CIPHER_CTX_get_iv_length(x->seal_ctx) != CRYPTO_AEAD_NONCE_LEN)
		return IR_ERR_INTERNAL;
	return 0;
}

/*
 * Load nonce = salt | iv into the keyed |ctx| and feed the AAD.  With a
 * NULL cipher and key, EVP_CipherInit_ex2() only sets the IV and resets
 * the GHASH / Poly1305 state; the key schedule stays.
 */
static int
aead_start(struct crypto_xform *x, EVP_CIPHER_CTX *ctx, const uint8_t *iv,
    const uint8_t *aad, size_t aad_len)
{
	uint8_t	nonce[CRYPTO_AEAD_NONCE_LEN];
	int	outl;

	memcpy(nonce, x->salt, CRYPTO_AEAD_SALT_LEN);
	memcpy(nonce + CRYPTO_AEAD_SALT_LEN, iv, CRYPTO_AEAD_IV_LEN);
	if (!EVP_CipherInit_ex2(ctx, NULL, NULL, nonce, -1, NULL))
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

	if ((rv = aead_start(x, ctx, iv, aad, aad_len)) != 0 ||
	    (rv = aead_update(ctx, data, len)) != 0)
		return rv;
	if (!EVP_CipherFinal_ex(ctx, tail, &outl) || outl != 0 ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG,
	    CRYPTO_AEAD_ICV_LEN, icv))
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

	if ((rv = aead_start(x, ctx, iv, aad, aad_len)) != 0)
		return rv;
	/* OpenSSL copies the expected tag; the cast only drops const. */
	if (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
	    CRYPTO_AEAD_ICV_LEN, (void *)icv))
		return IR_ERR_CRYPTO;
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
