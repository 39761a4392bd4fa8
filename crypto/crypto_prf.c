/*
 * crypto/crypto_prf.c: the IKEv2 pseudo-random functions (Transform
 * Type 2, RFC 7296 §3.3.2) and prf+ (RFC 7296 §2.13).
 *
 *   PRF_HMAC_SHA1 (2)         RFC 2104, EVP_MAC "HMAC"
 *   PRF_AES128_XCBC (4)       RFC 4434, built on AES-128-ECB (OpenSSL 3
 *                             has no XCBC MAC; RFC 3566 §4 is three AES
 *                             block encryptions per key and one per block)
 *   PRF_HMAC_SHA2_256/384/512 RFC 4868, EVP_MAC "HMAC"
 *   PRF_AES128_CMAC (8)       RFC 4615, EVP_MAC "CMAC" with AES-128-CBC
 *
 * Everything goes through a small streaming context (init, update, final)
 * so that prf+ can feed T(n-1) | S | n without copying the seed.  None of
 * this is on the per-packet path: contexts are built per call.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"

#define AES_BLOCK	16
#define PRF_PLUS_MAX_BLOCKS	255	/* RFC 7296 §2.13: n is one octet */

enum prf_kind {
	PRF_HMAC,
	PRF_XCBC,
	PRF_CMAC,
};

struct prf_alg {
	uint16_t	 id;
	enum prf_kind	 kind;
	const char	*digest;	/* HMAC only */
	size_t		 len;		/* output = preferred key length */
};

static const struct prf_alg prf_algs[] = {
	{ CRYPTO_PRF_HMAC_SHA1,		PRF_HMAC, "SHA1",	20 },
	{ CRYPTO_PRF_AES128_XCBC,	PRF_XCBC, NULL,		16 },
	{ CRYPTO_PRF_HMAC_SHA2_256,	PRF_HMAC, "SHA2-256",	32 },
	{ CRYPTO_PRF_HMAC_SHA2_384,	PRF_HMAC, "SHA2-384",	48 },
	{ CRYPTO_PRF_HMAC_SHA2_512,	PRF_HMAC, "SHA2-512",	64 },
	{ CRYPTO_PRF_AES128_CMAC,	PRF_CMAC, NULL,		16 },
};

/*
 * One keyed PRF computation in progress.  |key| is what EVP_MAC_init()
 * gets for every new message: the caller's key (borrowed) for HMAC, or
 * |aes_key|, the 128-bit key that RFC 4434 §2 / RFC 4615 §3 derive from
 * keys of other lengths.
 */
struct prf_ctx {
	const struct prf_alg	*alg;
	EVP_MAC_CTX		*mac;		/* HMAC, CMAC */
	EVP_CIPHER_CTX		*ecb;		/* XCBC: AES-128-ECB under K1 */
	const uint8_t		*key;
	size_t			 key_len;
	uint8_t			 aes_key[AES_BLOCK];
	/* XCBC state, RFC 3566 §4. */
	uint8_t			 k2[AES_BLOCK], k3[AES_BLOCK];
	uint8_t			 e[AES_BLOCK];	/* chaining value E[i-1] */
	uint8_t			 blk[AES_BLOCK];	/* pending block M[i] */
	size_t			 blk_len;
};

static int	prf_ctx_init(struct prf_ctx *, const struct prf_alg *,
		    const uint8_t *, size_t);
static int	prf_ctx_update(struct prf_ctx *, const uint8_t *, size_t);
static int	prf_ctx_final(struct prf_ctx *, uint8_t *);
static void	prf_ctx_clear(struct prf_ctx *);

static const struct prf_alg *
prf_alg_find(uint16_t prf)
{
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(prf_algs); i++)
		if (prf_algs[i].id == prf)
			return &prf_algs[i];
	return NULL;
}

bool
crypto_prf_supported(uint16_t prf)
{
	return prf_alg_find(prf) != NULL;
}

size_t
crypto_prf_len(uint16_t prf)
{
	const struct prf_alg *alg = prf_alg_find(prf);

	return alg != NULL ? alg->len : 0;
}

/* One AES-128 block under the key loaded into |ecb|. */
static int
aes_block(EVP_CIPHER_CTX *ecb, const uint8_t in[AES_BLOCK],
    uint8_t out[AES_BLOCK])
{
	int outl;

	if (EVP_EncryptUpdate(ecb, out, &outl, in, AES_BLOCK) != 1 ||
	    outl != AES_BLOCK)
		return IR_ERR_CRYPTO;
	return 0;
}

static int
aes_ecb_key(EVP_CIPHER_CTX *ecb, const uint8_t key[AES_BLOCK])
{
	if (EVP_EncryptInit_ex2(ecb, EVP_aes_128_ecb(), key, NULL,
	    NULL) != 1 || EVP_CIPHER_CTX_set_padding(ecb, 0) != 1)
		return IR_ERR_CRYPTO;
	return 0;
}

/*
 * RFC 3566 §4 (1): K1 = E(K, 0x01..), K2 = E(K, 0x02..), K3 = E(K, 0x03..);
 * then every block is encrypted under K1.
 */
static int
xcbc_setkey(struct prf_ctx *c, const uint8_t key[AES_BLOCK])
{
	uint8_t k1[AES_BLOCK], in[AES_BLOCK];
	int rv;

	if ((rv = aes_ecb_key(c->ecb, key)) != 0)
		return rv;
	memset(in, 0x01, sizeof(in));
	if ((rv = aes_block(c->ecb, in, k1)) != 0)
		goto out;
	memset(in, 0x02, sizeof(in));
	if ((rv = aes_block(c->ecb, in, c->k2)) != 0)
		goto out;
	memset(in, 0x03, sizeof(in));
	if ((rv = aes_block(c->ecb, in, c->k3)) != 0)
		goto out;
	rv = aes_ecb_key(c->ecb, k1);
out:
	OPENSSL_cleanse(k1, sizeof(k1));
	return rv;
}

/* RFC 3566 §4 (2)-(3): all blocks but the last; the last waits in blk. */
static int
xcbc_update(struct prf_ctx *c, const uint8_t *p, size_t len)
{
	size_t i, n;
	int rv;

	while (len > 0) {
		if (c->blk_len == AES_BLOCK) {
			for (i = 0; i < AES_BLOCK; i++)
				c->e[i] ^= c->blk[i];
			if ((rv = aes_block(c->ecb, c->e, c->e)) != 0)
				return rv;
			c->blk_len = 0;
		}
		n = IR_MIN(AES_BLOCK - c->blk_len, len);
		memcpy(c->blk + c->blk_len, p, n);
		c->blk_len += n;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * RFC 3566 §4 (3): a complete last block is XORed with K2; a partial one
 * (or the empty message) is padded with 0x80 0x00... and XORed with K3.
 */
static int
xcbc_final(struct prf_ctx *c, uint8_t out[AES_BLOCK])
{
	const uint8_t *k = c->k2;
	size_t i;

	if (c->blk_len < AES_BLOCK) {
		c->blk[c->blk_len] = 0x80;
		memset(c->blk + c->blk_len + 1, 0,
		    AES_BLOCK - c->blk_len - 1);
		k = c->k3;
	}
	for (i = 0; i < AES_BLOCK; i++)
		c->e[i] ^= c->blk[i] ^ k[i];
	return aes_block(c->ecb, c->e, out);
}

/*
 * The 128-bit key of the AES PRFs.  RFC 4434 §2: a shorter key is padded
 * with zero bits, a longer one is AES-XCBC-PRF-128(0^128, key).
 * RFC 4615 §3: any key that is not 128 bits is AES-CMAC(0^128, key).
 */
static int
prf_aes_key(struct prf_ctx *c, const uint8_t *key, size_t key_len)
{
	static const uint8_t zero[AES_BLOCK];
	struct prf_ctx sub;
	int rv;

	if (key_len == AES_BLOCK ||
	    (c->alg->kind == PRF_XCBC && key_len < AES_BLOCK)) {
		memset(c->aes_key, 0, sizeof(c->aes_key));
		if (key_len > 0)
			memcpy(c->aes_key, key, key_len);
		return 0;
	}
	/* One level of recursion at most: |zero| is 128 bits long. */
	if ((rv = prf_ctx_init(&sub, c->alg, zero, sizeof(zero))) == 0 &&
	    (rv = prf_ctx_update(&sub, key, key_len)) == 0)
		rv = prf_ctx_final(&sub, c->aes_key);
	prf_ctx_clear(&sub);
	return rv;
}

/* Begin a new message under the key that prf_ctx_init() loaded. */
static int
prf_ctx_start(struct prf_ctx *c)
{
	OSSL_PARAM params[2];

	switch (c->alg->kind) {
	case PRF_XCBC:
		memset(c->e, 0, sizeof(c->e));
		c->blk_len = 0;
		return 0;
	case PRF_HMAC:
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, (char *)c->alg->digest, 0);
		break;
	case PRF_CMAC:
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_CIPHER, (char *)"AES-128-CBC", 0);
		break;
	}
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(c->mac, c->key, c->key_len, params) != 1)
		return IR_ERR_CRYPTO;
	return 0;
}

static int
prf_ctx_init(struct prf_ctx *c, const struct prf_alg *alg,
    const uint8_t *key, size_t key_len)
{
	/* EVP_MAC_init() reads a NULL key as "keep the old one". */
	static const uint8_t empty[1];
	EVP_MAC *mac;
	int rv;

	memset(c, 0, sizeof(*c));
	c->alg = alg;
	if (alg->kind == PRF_XCBC) {
		if ((c->ecb = EVP_CIPHER_CTX_new()) == NULL)
			return IR_ERR_NOMEM;
	} else {
		mac = EVP_MAC_fetch(NULL, alg->kind == PRF_HMAC ? "HMAC" :
		    "CMAC", NULL);
		if (mac == NULL)
			return IR_ERR_CRYPTO;
		c->mac = EVP_MAC_CTX_new(mac);
		EVP_MAC_free(mac);
		if (c->mac == NULL)
			return IR_ERR_NOMEM;
	}
	if (alg->kind == PRF_HMAC) {
		c->key = key_len > 0 ? key : empty;
		c->key_len = key_len;
	} else {
		if ((rv = prf_aes_key(c, key, key_len)) != 0)
			return rv;
		c->key = c->aes_key;
		c->key_len = AES_BLOCK;
		if (alg->kind == PRF_XCBC &&
		    (rv = xcbc_setkey(c, c->aes_key)) != 0)
			return rv;
	}
	return prf_ctx_start(c);
}

static int
prf_ctx_update(struct prf_ctx *c, const uint8_t *p, size_t len)
{
	if (len == 0)
		return 0;
	if (c->alg->kind == PRF_XCBC)
		return xcbc_update(c, p, len);
	return EVP_MAC_update(c->mac, p, len) == 1 ? 0 : IR_ERR_CRYPTO;
}

/* |out| gets alg->len bytes. */
static int
prf_ctx_final(struct prf_ctx *c, uint8_t *out)
{
	size_t outl;

	if (c->alg->kind == PRF_XCBC)
		return xcbc_final(c, out);
	if (EVP_MAC_final(c->mac, out, &outl, c->alg->len) != 1 ||
	    outl != c->alg->len)
		return IR_ERR_CRYPTO;
	return 0;
}

static void
prf_ctx_clear(struct prf_ctx *c)
{
	EVP_MAC_CTX_free(c->mac);
	EVP_CIPHER_CTX_free(c->ecb);
	OPENSSL_cleanse(c, sizeof(*c));
}

static int
prf_ctx_update_iov(struct prf_ctx *c, const struct crypto_iov *iov,
    size_t n)
{
	size_t i;
	int rv;

	for (i = 0; i < n; i++)
		if ((rv = prf_ctx_update(c, iov[i].p, iov[i].len)) != 0)
			return rv;
	return 0;
}

int
crypto_prf(uint16_t prf, const uint8_t *key, size_t key_len,
    const struct crypto_iov *data, size_t ndata, uint8_t *out)
{
	const struct prf_alg *alg = prf_alg_find(prf);
	struct prf_ctx c;
	int rv;

	if (alg == NULL)
		return IR_ERR_UNSUPPORTED;
	if ((rv = prf_ctx_init(&c, alg, key, key_len)) == 0 &&
	    (rv = prf_ctx_update_iov(&c, data, ndata)) == 0)
		rv = prf_ctx_final(&c, out);
	prf_ctx_clear(&c);
	return rv;
}

/* Tn = prf(K, Tn-1 | S | n), with |t| holding Tn-1 on entry (n > 1). */
static int
prf_plus_block(struct prf_ctx *c, uint8_t n, const struct crypto_iov *seed,
    size_t nseed, uint8_t *t)
{
	int rv;

	if (n > 1 && ((rv = prf_ctx_start(c)) != 0 ||
	    (rv = prf_ctx_update(c, t, c->alg->len)) != 0))
		return rv;
	if ((rv = prf_ctx_update_iov(c, seed, nseed)) != 0 ||
	    (rv = prf_ctx_update(c, &n, 1)) != 0)
		return rv;
	return prf_ctx_final(c, t);
}

/*
 * RFC 7296 §2.13:
 *	prf+ (K,S) = T1 | T2 | T3 | T4 | ...
 *	T1 = prf (K, S | 0x01)
 *	Tn = prf (K, Tn-1 | S | n)
 * The counter is one octet, so at most 255 blocks can be produced; a
 * longer request is a bug in the caller (IR_ERR_INTERNAL).
 */
int
crypto_prf_plus(uint16_t prf, const uint8_t *key, size_t key_len,
    const struct crypto_iov *seed, size_t nseed, uint8_t *out,
    size_t out_len)
{
	const struct prf_alg *alg = prf_alg_find(prf);
	uint8_t t[CRYPTO_PRF_MAX];
	struct prf_ctx c;
	size_t n, take;
	int rv;

	if (alg == NULL)
		return IR_ERR_UNSUPPORTED;
	if (out_len > PRF_PLUS_MAX_BLOCKS * alg->len)
		return IR_ERR_INTERNAL;
	if ((rv = prf_ctx_init(&c, alg, key, key_len)) != 0)
		goto out;
	for (n = 1; out_len > 0; n++) {
		if ((rv = prf_plus_block(&c, (uint8_t)n, seed, nseed, t)) != 0)
			goto out;
		take = IR_MIN(out_len, alg->len);
		memcpy(out, t, take);
		out += take;
		out_len -= take;
	}
out:
	prf_ctx_clear(&c);
	OPENSSL_cleanse(t, sizeof(t));
	return rv;
}
