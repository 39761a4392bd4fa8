/*
 * crypto/crypto_cbc_hmac.c: AES-CBC (RFC 3602) with a truncated HMAC
 * (RFC 2404 for SHA-1, RFC 4868 for SHA-2), composed encrypt-then-MAC as
 * ESP (RFC 4303 §3.3.2, §3.4.4) and the SK payload (RFC 7296 §3.14) both
 * do:
 *
 *	seal:	C = AES-CBC(key, IV, P)		P is already padded
 *		ICV = trunc(HMAC(aad | IV | C | icv_tail))
 *	open:	check ICV in constant time, and only then decrypt
 *
 * Padding is the caller's business (ESP trailer, SK pad length), so
 * OpenSSL's PKCS#7 padding is off and the length must be whole blocks.
 * The IV is explicit and chosen by the caller; RFC 3602 §3 wants it
 * unpredictable, so senders draw it from the random callback.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "common/ir_err.h"
#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

int
crypto_cbc_hmac_init(struct crypto_xform *x, const uint8_t *encr_key,
    size_t encr_key_len, const uint8_t *integ_key, size_t integ_key_len)
{
	EVP_MAC		*hmac;
	OSSL_PARAM	 params[2];
	int		 rv;

	if ((rv = crypto_xform_cipher_init(x, encr_key, encr_key_len)) != 0)
		return rv;
	if (!EVP_CIPHER_CTX_set_padding(x->seal_ctx, 0) ||
	    !EVP_CIPHER_CTX_set_padding(x->open_ctx, 0))
		return IR_ERR_CRYPTO;

	if ((hmac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return IR_ERR_UNSUPPORTED;
	x->mac = EVP_MAC_CTX_new(hmac);
	EVP_MAC_free(hmac);		/* the context keeps a reference */
	if (x->mac == NULL)
		return IR_ERR_NOMEM;
	/* OpenSSL only reads the digest name; the cast drops const. */
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)x->integ->evp_digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(x->mac, integ_key, integ_key_len, params))
		return IR_ERR_CRYPTO;
	if (EVP_MAC_CTX_get_mac_size(x->mac) > CRYPTO_HMAC_MAX)
		return IR_ERR_INTERNAL;
	return 0;
}

static bool
mac_update(EVP_MAC_CTX *mac, const uint8_t *p, size_t len)
{
	return len == 0 || EVP_MAC_update(mac, p, len);
}

/*
 * The untruncated HMAC of aad | iv | data | tail into |out|.  EVP_MAC_init
 * with a NULL key restarts from the inner and outer pads computed in
 * crypto_cbc_hmac_init() (OpenSSL 3.0.4 and later, openssl#18100), so
 * the key is never hashed again per packet.
 */
static int
cbc_hmac_compute(struct crypto_xform *x, const uint8_t *aad, size_t aad_len,
    const uint8_t *iv, const uint8_t *data, size_t len, const uint8_t *tail,
    size_t tail_len, uint8_t out[CRYPTO_HMAC_MAX])
{
	size_t	outl;

	if (!EVP_MAC_init(x->mac, NULL, 0, NULL) ||
	    !mac_update(x->mac, aad, aad_len) ||
	    !mac_update(x->mac, iv, CRYPTO_AES_BLOCK_LEN) ||
	    !mac_update(x->mac, data, len) ||
	    !mac_update(x->mac, tail, tail_len) ||
	    !EVP_MAC_final(x->mac, out, &outl, CRYPTO_HMAC_MAX) ||
	    outl < x->icv_len)
		return IR_ERR_CRYPTO;
	return 0;
}

/*
 * CBC en- or decryption of whole blocks in place (OpenSSL allows exact
 * overlap).  With padding off nothing is held back, which the outl check
 * confirms, so EVP_CipherFinal_ex() would have nothing to do and is
 * skipped; the next EVP_CipherInit_ex2() resets the context anyway.
 */
static int
cbc_crypt(EVP_CIPHER_CTX *ctx, const uint8_t *iv, uint8_t *data, size_t len)
{
	int	outl;

	if (len == 0)
		return 0;
	if (!EVP_CipherInit_ex2(ctx, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(ctx, data, &outl, data, (int)len) ||
	    (size_t)outl != len)
		return IR_ERR_CRYPTO;
	return 0;
}

int
crypto_cbc_hmac_seal(struct crypto_xform *x, const uint8_t *aad,
    size_t aad_len, const uint8_t *icv_tail, size_t icv_tail_len,
    const uint8_t *iv, uint8_t *data, size_t len, uint8_t *icv)
{
	uint8_t	mac[CRYPTO_HMAC_MAX];
	int	rv;

	if ((rv = cbc_crypt(x->seal_ctx, iv, data, len)) != 0 ||
	    (rv = cbc_hmac_compute(x, aad, aad_len, iv, data, len, icv_tail,
	    icv_tail_len, mac)) != 0)
		return rv;
	memcpy(icv, mac, x->icv_len);	/* RFC 4868 §2.1.2: leftmost bits */
	return 0;
}

int
crypto_cbc_hmac_open(struct crypto_xform *x, const uint8_t *aad,
    size_t aad_len, const uint8_t *icv_tail, size_t icv_tail_len,
    const uint8_t *iv, uint8_t *data, size_t len, const uint8_t *icv)
{
	uint8_t	mac[CRYPTO_HMAC_MAX];
	int	rv;

	/*
	 * RFC 4303 §3.4.4: verify before decrypting, so a forged packet
	 * costs one HMAC and never reaches the cipher (nor a padding
	 * oracle).  On failure |data| still holds the ciphertext.
	 */
	if ((rv = cbc_hmac_compute(x, aad, aad_len, iv, data, len, icv_tail,
	    icv_tail_len, mac)) != 0)
		return rv;
	if (CRYPTO_memcmp(mac, icv, x->icv_len) != 0)
		return IR_ERR_DECRYPT;
	return cbc_crypt(x->open_ctx, iv, data, len);
}
