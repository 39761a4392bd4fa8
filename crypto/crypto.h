/*
 * crypto/crypto.h: every cryptographic operation of ikeroam, on top of
 * OpenSSL 3 EVP.  This is the only layer that includes OpenSSL headers.
 *
 * Identifiers are the IANA "IKEv2 Parameters" numbers (RFC 7296 §3.3.2),
 * so the IKE codec can pass transform IDs straight through.
 *
 * Ownership: arguments are borrowed for the call.  Objects returned by
 * *_new() belong to the caller and are released with *_free(), which
 * wipes every secret they hold (OPENSSL_cleanse) and accepts NULL.
 *
 * Returns: 0 or a negative IR_ERR_* code (common/ir_err.h):
 *   IR_ERR_UNSUPPORTED  an algorithm or group we do not implement
 *   IR_ERR_INVALID_KE   a peer's public value is not acceptable
 *   IR_ERR_DECRYPT      an ICV or tag did not verify (non-fatal: drop)
 *   IR_ERR_NOBUF        an output buffer is too small
 *   IR_ERR_CRYPTO       OpenSSL failed unexpectedly
 *   IR_ERR_NOMEM        allocation failed
 * Nothing here allocates on the per-packet path (crypto_xform_seal/open).
 */
#ifndef IR_CRYPTO_H
#define IR_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A piece of a scattered input. */
struct crypto_iov {
	const uint8_t	*p;
	size_t		 len;
};

/* ---- Randomness --------------------------------------------------- */

/* Fill |buf| from OpenSSL's CSPRNG.  src/ wraps it as the engines'
 * random callback; the engines themselves never call it. */
int	crypto_random(uint8_t *buf, size_t len);

/* ---- Hashes (crypto_hash.c) ---------------------------------------- */

#define CRYPTO_SHA1_DIGEST_LEN	20

/* SHA-1 of data[0] | data[1] | ... (RFC 7296 §2.23 NAT detection). */
int	crypto_sha1(const struct crypto_iov *data, size_t ndata,
	    uint8_t out[CRYPTO_SHA1_DIGEST_LEN]);

/* ---- Key exchange (Transform Type 4) ------------------------------ */

enum crypto_kex_group {
	CRYPTO_KEX_MODP2048	= 14,	/* RFC 3526 */
	CRYPTO_KEX_MODP3072	= 15,
	CRYPTO_KEX_MODP4096	= 16,
	CRYPTO_KEX_ECP256	= 19,	/* RFC 5903: x | y, no 0x04 prefix */
	CRYPTO_KEX_ECP384	= 20,
	CRYPTO_KEX_ECP521	= 21,
	CRYPTO_KEX_CURVE25519	= 31,	/* RFC 8031 */
	CRYPTO_KEX_CURVE448	= 32,
};

#define CRYPTO_KEX_PUB_MAX	512	/* MODP-4096 */
#define CRYPTO_KEX_SECRET_MAX	512
#define CRYPTO_KEX_SEED_MAX	80

struct crypto_kex;

bool	crypto_kex_supported(uint16_t group);
/* Length of the public value on the wire (KE payload data). */
size_t	crypto_kex_pub_len(uint16_t group);
/* How many random bytes crypto_kex_new() wants for the private key. */
size_t	crypto_kex_seed_len(uint16_t group);

/*
 * A new key pair for |group| whose private key is derived from |seed|
 * (crypto_kex_seed_len() random bytes from the engine's random callback),
 * so that test runs replay byte for byte.  The seed is the private value
 * itself: the MODP exponent (256/384/512 bits for groups 14/15/16), the
 * ECP scalar (big-endian; the top 7 bits of P-521's 66 octets cleared),
 * or the raw X25519/X448 key.  IR_ERR_INVALID_KE: the seed is not a
 * usable private key (ECP scalar 0 or >= n, MODP exponent < 2); draw a
 * new seed and call again.  IR_ERR_INTERNAL: |seed_len| is wrong.
 */
int	crypto_kex_new(struct crypto_kex **out, uint16_t group,
	    const uint8_t *seed, size_t seed_len);
void	crypto_kex_free(struct crypto_kex *k);
uint16_t crypto_kex_group(const struct crypto_kex *k);

/* Our public value in wire encoding; |*len| = crypto_kex_pub_len(). */
int	crypto_kex_public(const struct crypto_kex *k, uint8_t *out, size_t cap,
	    size_t *len);

/*
 * g^ir from the peer's public value (wire encoding).  Rejects, with
 * IR_ERR_INVALID_KE: a wrong length, a point not on the curve, MODP
 * values <= 1 or >= p-1, and an all-zero X25519/X448 result.  Leading
 * zero octets of the secret are kept (RFC 7296 §2.14: fixed length).
 */
int	crypto_kex_derive(const struct crypto_kex *k, const uint8_t *peer,
	    size_t peer_len, uint8_t *secret, size_t cap, size_t *len);

/* ---- Pseudo-random functions (Transform Type 2) ------------------- */

enum crypto_prf_id {
	CRYPTO_PRF_HMAC_SHA1		= 2,
	CRYPTO_PRF_AES128_XCBC		= 4,	/* RFC 4434 */
	CRYPTO_PRF_HMAC_SHA2_256	= 5,	/* RFC 4868 */
	CRYPTO_PRF_HMAC_SHA2_384	= 6,
	CRYPTO_PRF_HMAC_SHA2_512	= 7,
	CRYPTO_PRF_AES128_CMAC		= 8,	/* RFC 4615 */
};

#define CRYPTO_PRF_MAX	64		/* largest PRF output */

bool	crypto_prf_supported(uint16_t prf);
/* Output length, which is also the preferred key length (§2.13). */
size_t	crypto_prf_len(uint16_t prf);

/* prf(key, data[0] | data[1] | ...) into |out| (crypto_prf_len bytes). */
int	crypto_prf(uint16_t prf, const uint8_t *key, size_t key_len,
	    const struct crypto_iov *data, size_t ndata, uint8_t *out);

/*
 * prf+ (RFC 7296 §2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n),
 * output T1 | T2 | ... truncated to |out_len|.  More than 255 blocks is
 * IR_ERR_INTERNAL (a caller bug: the counter is one octet).
 * Keys of any length are accepted: RFC 4434 §2 and RFC 4615 §3 say how
 * the AES PRFs turn them into 128 bits.
 */
int	crypto_prf_plus(uint16_t prf, const uint8_t *key, size_t key_len,
	    const struct crypto_iov *seed, size_t nseed, uint8_t *out,
	    size_t out_len);

/* ---- Key derivation (RFC 7296 §2.14, §2.17, §2.18) ------------------ */

#define CRYPTO_ENCR_KEY_MAX	36	/* AES-256 or ChaCha20 key + salt */
#define CRYPTO_INTEG_KEY_MAX	64

struct crypto_ike_keys {
	uint8_t	sk_d[CRYPTO_PRF_MAX];
	uint8_t	sk_ai[CRYPTO_INTEG_KEY_MAX], sk_ar[CRYPTO_INTEG_KEY_MAX];
	uint8_t	sk_ei[CRYPTO_ENCR_KEY_MAX], sk_er[CRYPTO_ENCR_KEY_MAX];
	uint8_t	sk_pi[CRYPTO_PRF_MAX], sk_pr[CRYPTO_PRF_MAX];
	size_t	prf_len;		/* SK_d, SK_pi, SK_pr */
	size_t	integ_len;		/* SK_ai, SK_ar; 0 with AEAD */
	size_t	encr_len;		/* SK_ei, SK_er, salt included */
};

/*
 * SKEYSEED = prf(Ni | Nr, g^ir) (§2.14).  For the AES-based PRFs the key
 * is the first 64 bits of Ni and of Nr.  |out| gets crypto_prf_len().
 * IR_ERR_MALFORMED: a nonce longer than 256 octets (§3.9), or shorter
 * than 8 with an AES PRF.
 */
int	crypto_skeyseed(uint16_t prf, const uint8_t *ni, size_t ni_len,
	    const uint8_t *nr, size_t nr_len, const uint8_t *g_ir,
	    size_t g_ir_len, uint8_t *out);

/*
 * Rekeyed SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) (§2.18),
 * with |old_prf| the PRF of the old IKE SA.
 */
int	crypto_skeyseed_rekey(uint16_t old_prf, const uint8_t *old_sk_d,
	    size_t old_sk_d_len, const uint8_t *g_ir, size_t g_ir_len,
	    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	    uint8_t *out);

/*
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} =
 *	prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 * |skeyseed| is crypto_prf_len() octets.  |integ_len| is 0 for AEAD;
 * |encr_len| includes the salt (crypto_encr_key_len()).  Lengths above
 * CRYPTO_INTEG_KEY_MAX / CRYPTO_ENCR_KEY_MAX: IR_ERR_INTERNAL.
 */
int	crypto_ike_keys_derive(uint16_t prf, const uint8_t *skeyseed,
	    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	    const uint8_t spi_i[8], const uint8_t spi_r[8], size_t integ_len,
	    size_t encr_len, struct crypto_ike_keys *out);
void	crypto_ike_keys_clear(struct crypto_ike_keys *keys);

/*
 * KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (§2.17); |g_ir| is NULL
 * without PFS.  The caller splits it: ENCR_i2r | INTEG_i2r | ENCR_r2i |
 * INTEG_r2i.
 */
int	crypto_child_keymat(uint16_t prf, const uint8_t *sk_d, size_t sk_d_len,
	    const uint8_t *g_ir, size_t g_ir_len, const uint8_t *ni,
	    size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *out,
	    size_t out_len);

/* ---- Protection: SK payload and ESP (Transform Types 1 and 3) ------ */

enum crypto_encr_id {
	CRYPTO_ENCR_AES_CBC		= 12,	/* RFC 3602 */
	CRYPTO_ENCR_AES_GCM_16		= 20,	/* RFC 4106, RFC 5282 */
	CRYPTO_ENCR_CHACHA20_POLY1305	= 28,	/* RFC 7634 */
};

enum crypto_integ_id {
	CRYPTO_INTEG_NONE		= 0,
	CRYPTO_INTEG_HMAC_SHA1_96	= 2,	/* RFC 2404 */
	CRYPTO_INTEG_HMAC_SHA2_256_128	= 12,	/* RFC 4868 */
	CRYPTO_INTEG_HMAC_SHA2_384_192	= 13,
	CRYPTO_INTEG_HMAC_SHA2_512_256	= 14,
};

#define CRYPTO_IV_MAX	16
#define CRYPTO_ICV_MAX	32

bool	crypto_encr_supported(uint16_t encr, uint16_t key_bits);
bool	crypto_encr_is_aead(uint16_t encr);
/* Key octets to take from KEYMAT / prf+, salt included (GCM and
 * ChaCha20-Poly1305 add 4).  |key_bits| is the Key Length attribute;
 * 0 for ChaCha20-Poly1305 (fixed 256). */
size_t	crypto_encr_key_len(uint16_t encr, uint16_t key_bits);
/* NONE is no algorithm: crypto_integ_supported(NONE) is false and its
 * lengths are 0, so ask only when the ENCR transform is not an AEAD. */
bool	crypto_integ_supported(uint16_t integ);
size_t	crypto_integ_key_len(uint16_t integ);
size_t	crypto_integ_icv_len(uint16_t integ);

/*
 * One keyed protection transform for one direction: an AEAD, or AES-CBC
 * with an HMAC (encrypt-then-MAC).  Keys are copied; OpenSSL contexts
 * are built once here so that seal/open allocate nothing.  One call at
 * a time per object (not thread-safe).
 *
 * crypto_xform_new(): |integ| is CRYPTO_INTEG_NONE for an AEAD, whose
 * salt is the last 4 octets of |encr_key|; |integ_key| may then be NULL.
 * Returns IR_ERR_UNSUPPORTED (unknown ENCR / key_bits, an INTEG other
 * than NONE with an AEAD, CBC without a supported INTEG), IR_ERR_INTERNAL
 * (key lengths other than crypto_encr_key_len() / crypto_integ_key_len()),
 * IR_ERR_NOMEM or IR_ERR_CRYPTO; |*out| is NULL on failure.
 */
struct crypto_xform;

int	crypto_xform_new(struct crypto_xform **out, uint16_t encr,
	    uint16_t key_bits, uint16_t integ, const uint8_t *encr_key,
	    size_t encr_key_len, const uint8_t *integ_key,
	    size_t integ_key_len);
void	crypto_xform_free(struct crypto_xform *x);

bool	crypto_xform_is_aead(const struct crypto_xform *x);
/* Explicit IV on the wire: 8 for GCM and ChaCha20-Poly1305, 16 for CBC. */
size_t	crypto_xform_iv_len(const struct crypto_xform *x);
/* ICV on the wire: 16 for the AEADs, the truncated HMAC length for CBC. */
size_t	crypto_xform_icv_len(const struct crypto_xform *x);
/* Plaintext must be a multiple of this: 16 for CBC, 1 for the AEADs. */
size_t	crypto_xform_block_len(const struct crypto_xform *x);

/*
 * Encrypt |len| bytes at |data| in place with the explicit |iv| and
 * write the ICV to |icv|.
 *   AEAD:     nonce = salt | iv; the AAD is |aad| (ESP: SPI | [seq_hi |]
 *             seq; SK: the IKE header up to the SK payload header).
 *   CBC+HMAC: ICV = HMAC(aad | iv | ciphertext | icv_tail) truncated,
 *             which is RFC 4303 §2.2.1 when |aad| is SPI | seq and
 *             |icv_tail| the high ESN bits, and RFC 7296 §3.14 when |aad|
 *             is the message up to the IV.  AEADs ignore |icv_tail|.
 * |iv| has crypto_xform_iv_len() octets: for the AEADs it must never
 * repeat under one key (RFC 4106 §3.1), for CBC it must be unpredictable
 * (RFC 3602 §3).  |icv| gets crypto_xform_icv_len() octets.  |len| must
 * be a multiple of crypto_xform_block_len(), else IR_ERR_MALFORMED; it
 * may be 0 (|data| may then be NULL): the ICV then covers the rest.
 */
int	crypto_xform_seal(struct crypto_xform *x, const uint8_t *aad,
	    size_t aad_len, const uint8_t *icv_tail, size_t icv_tail_len,
	    const uint8_t *iv, uint8_t *data, size_t len, uint8_t *icv);

/*
 * Verify |icv| and decrypt in place, with the same inputs as seal.
 * IR_ERR_DECRYPT (non-fatal: drop) when the ICV is wrong: an AEAD has
 * then zeroed |data|, CBC+HMAC left the ciphertext untouched, since it
 * verifies (constant time) before it decrypts.  IR_ERR_MALFORMED when
 * |len| is not whole blocks.
 */
int	crypto_xform_open(struct crypto_xform *x, const uint8_t *aad,
	    size_t aad_len, const uint8_t *icv_tail, size_t icv_tail_len,
	    const uint8_t *iv, uint8_t *data, size_t len, const uint8_t *icv);

/* ---- Signatures (RFC 7296 §3.8, RFC 7427) -------------------------- */
/* See crypto_sig.h for the public-key, signature and X.509 API. */

/* ---- EAP-MSCHAPv2 (RFC 2759, RFC 3079) ----------------------------- */
/* See crypto_mschap.h. */

#endif
