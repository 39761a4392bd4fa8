/*
 * crypto/crypto_int.h: internals shared by the files of crypto/ that
 * implement the protection transforms (crypto_xform.c, crypto_aead.c,
 * crypto_cbc_hmac.c).  Included only inside crypto/; everything outside
 * sees the opaque struct crypto_xform of crypto.h.
 */
#ifndef IR_CRYPTO_INT_H
#define IR_CRYPTO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "crypto/crypto.h"

/* RFC 4106 §3, RFC 5282 §4, RFC 7634 §2: nonce = salt(4) | IV(8). */
#define CRYPTO_AEAD_SALT_LEN	4
#define CRYPTO_AEAD_IV_LEN	8
#define CRYPTO_AEAD_NONCE_LEN	(CRYPTO_AEAD_SALT_LEN + CRYPTO_AEAD_IV_LEN)
#define CRYPTO_AEAD_ICV_LEN	16	/* the "_16" of AES-GCM-16; Poly1305 */
#define CRYPTO_AES_BLOCK_LEN	16	/* RFC 3602 §3: IV and block */
#define CRYPTO_HMAC_MAX		64	/* untruncated HMAC-SHA2-512 */

/* One row of the ENCR table of crypto_xform.c. */
struct crypto_encr_alg {
	uint16_t	 id;		/* enum crypto_encr_id */
	uint16_t	 key_bits;	/* Key Length attribute; 0: none */
	const char	*evp_name;	/* OpenSSL cipher name */
	uint8_t		 key_len;	/* octets of KEYMAT, salt included */
	bool		 aead;
};

/* One row of the INTEG table of crypto_xform.c. */
struct crypto_integ_alg {
	uint16_t	 id;		/* enum crypto_integ_id */
	const char	*evp_digest;	/* OpenSSL digest name for HMAC */
	uint8_t		 key_len;	/* RFC 2404 §3, RFC 4868 §2.1.1 */
	uint8_t		 icv_len;	/* truncated output, §2.1.2 */
};

/*
 * The keyed transform.  Each direction of OpenSSL's cipher has its own
 * context because AES-CBC needs different key schedules for encryption
 * and decryption; both are keyed once in crypto_xform_new(), so seal and
 * open only load an IV.  Not thread-safe: one packet at a time.
 */
struct crypto_xform {
	const struct crypto_encr_alg	*encr;
	const struct crypto_integ_alg	*integ;	/* NULL for the AEADs */
	EVP_CIPHER_CTX	*seal_ctx;		/* keyed, encrypting */
	EVP_CIPHER_CTX	*open_ctx;		/* keyed, decrypting */
	EVP_MAC_CTX	*mac;			/* CBC only: keyed HMAC */
	uint8_t		 salt[CRYPTO_AEAD_SALT_LEN];	/* AEAD only */
	uint8_t		 iv_len, icv_len, block_len;
	bool		 nonce_param;	/* AES-GCM: see crypto_aead.c */
};

/* Table lookups of crypto_xform.c; NULL when not supported. */
const struct crypto_encr_alg	*crypto_encr_alg_find(uint16_t encr,
				    uint16_t key_bits);
const struct crypto_integ_alg	*crypto_integ_alg_find(uint16_t integ);

/*
 * Both contexts of |x| for |x->encr|, keyed with |key| (the cipher key,
 * without the salt); used by the AEAD and CBC halves alike.
 */
int	crypto_xform_cipher_init(struct crypto_xform *x, const uint8_t *key,
	    size_t key_len);

/* crypto_aead.c: |key| is the KEYMAT slice, salt at its end. */
int	crypto_aead_init(struct crypto_xform *x, const uint8_t *key,
	    size_t key_len);
int	crypto_aead_seal(struct crypto_xform *x, const uint8_t *aad,
	    size_t aad_len, const uint8_t *iv, uint8_t *data, size_t len,
	    uint8_t *icv);
int	crypto_aead_open(struct crypto_xform *x, const uint8_t *aad,
	    size_t aad_len, const uint8_t *iv, uint8_t *data, size_t len,
	    const uint8_t *icv);

/* crypto_cbc_hmac.c */
int	crypto_cbc_hmac_init(struct crypto_xform *x, const uint8_t *encr_key,
	    size_t encr_key_len, const uint8_t *integ_key,
	    size_t integ_key_len);
int	crypto_cbc_hmac_seal(struct crypto_xform *x, const uint8_t *aad,
	    size_t aad_len, const uint8_t *icv_tail, size_t icv_tail_len,
	    const uint8_t *iv, uint8_t *data, size_t len, uint8_t *icv);
int	crypto_cbc_hmac_open(struct crypto_xform *x, const uint8_t *aad,
	    size_t aad_len, const uint8_t *icv_tail, size_t icv_tail_len,
	    const uint8_t *iv, uint8_t *data, size_t len, const uint8_t *icv);

#endif
