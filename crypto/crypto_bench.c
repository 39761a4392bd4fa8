/*
 * crypto/crypto_bench.c: see crypto_bench.h.  Written apart from
 * crypto_aead.c and crypto_cbc_hmac.c on purpose: it is the yardstick,
 * the least an ESP implementation on OpenSSL 3 EVP has to do per packet.
 * One preset, keyed cipher context per direction; per call only the IV
 * is loaded (EVP_CipherInit_ex2 with a NULL cipher and key), and the
 * HMAC context is re-initialised with its key kept (EVP_MAC_init with a
 * NULL key).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "crypto/crypto_bench.h"

#define BENCH_TAG_LEN	16
#define BENCH_HMAC_MAX	64

struct crypto_bench {
	EVP_CIPHER_CTX	*enc, *dec;
	EVP_MAC_CTX	*mac;		/* CBC only */
	size_t		 icv_len;
	uint8_t		 nonce[16];	/* 12 for the AEADs, IV for CBC */
	uint8_t		 aad[8];
};

static const char *
bench_cipher_name(uint16_t encr, uint16_t key_bits)
{
	if (encr == CRYPTO_ENCR_AES_GCM_16)
		return key_bits == 256 ? "AES-256-GCM" : key_bits == 192 ?
		    "AES-192-GCM" : "AES-128-GCM";
	if (encr == CRYPTO_ENCR_CHACHA20_POLY1305)
		return "ChaCha20-Poly1305";
	if (encr == CRYPTO_ENCR_AES_CBC)
		return key_bits == 256 ? "AES-256-CBC" : key_bits == 192 ?
		    "AES-192-CBC" : "AES-128-CBC";
	return NULL;
}

static const char *
bench_digest(uint16_t integ, size_t *icv_len)
{
	switch (integ) {
	case CRYPTO_INTEG_HMAC_SHA1_96:
		*icv_len = 12;
		return "SHA1";
	case CRYPTO_INTEG_HMAC_SHA2_256_128:
		*icv_len = 16;
		return "SHA2-256";
	case CRYPTO_INTEG_HMAC_SHA2_384_192:
		*icv_len = 24;
		return "SHA2-384";
	case CRYPTO_INTEG_HMAC_SHA2_512_256:
		*icv_len = 32;
		return "SHA2-512";
	default:
		return NULL;
	}
}

static int
bench_mac_new(struct crypto_bench *b, uint16_t integ)
{
	OSSL_PARAM params[2];
	uint8_t key[BENCH_HMAC_MAX];
	const char *digest;
	EVP_MAC *mac;

	if ((digest = bench_digest(integ, &b->icv_len)) == NULL)
		return IR_ERR_UNSUPPORTED;
	memset(key, 0x5c, sizeof(key));
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return IR_ERR_CRYPTO;
	b->mac = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (b->mac == NULL || !EVP_MAC_init(b->mac, key, 32, params))
		return IR_ERR_CRYPTO;
	return 0;
}

int
crypto_bench_new(struct crypto_bench **out, uint16_t encr, uint16_t key_bits,
    uint16_t integ)
{
	const char *name = bench_cipher_name(encr, key_bits);
	uint8_t key[32];
	struct crypto_bench *b;
	EVP_CIPHER *c;
	int rv = IR_ERR_CRYPTO;

	*out = NULL;
	if (name == NULL)
		return IR_ERR_UNSUPPORTED;
	if ((b = ir_calloc(1, sizeof(*b))) == NULL)
		return IR_ERR_NOMEM;
	memset(key, 0x3a, sizeof(key));
	memset(b->nonce, 0xa5, sizeof(b->nonce));
	memset(b->aad, 0x17, sizeof(b->aad));
	b->icv_len = BENCH_TAG_LEN;
	if ((c = EVP_CIPHER_fetch(NULL, name, NULL)) == NULL)
		goto fail;
	b->enc = EVP_CIPHER_CTX_new();
	b->dec = EVP_CIPHER_CTX_new();
	if (b->enc == NULL || b->dec == NULL ||
	    !EVP_CipherInit_ex2(b->enc, c, key, NULL, 1, NULL) ||
	    !EVP_CipherInit_ex2(b->dec, c, key, NULL, 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(b->enc, 0) ||
	    !EVP_CIPHER_CTX_set_padding(b->dec, 0)) {
		EVP_CIPHER_free(c);
		goto fail;
	}
	EVP_CIPHER_free(c);
	if (encr == CRYPTO_ENCR_AES_CBC && (rv = bench_mac_new(b, integ)) != 0)
		goto fail;
	*out = b;
	return 0;
fail:
	crypto_bench_free(b);
	return rv;
}

void
crypto_bench_free(struct crypto_bench *b)
{
	if (b == NULL)
		return;
	EVP_CIPHER_CTX_free(b->enc);
	EVP_CIPHER_CTX_free(b->dec);
	EVP_MAC_CTX_free(b->mac);
	OPENSSL_cleanse(b, sizeof(*b));
	ir_free(b);
}

size_t
crypto_bench_icv_len(const struct crypto_bench *b)
{
	return b->icv_len;
}

/* HMAC(aad | iv | ct) truncated into |out|. */
static int
bench_hmac(struct crypto_bench *b, const uint8_t *ct, size_t len,
    uint8_t *out)
{
	uint8_t full[BENCH_HMAC_MAX];
	size_t n;

	if (!EVP_MAC_init(b->mac, NULL, 0, NULL) ||
	    !EVP_MAC_update(b->mac, b->aad, sizeof(b->aad)) ||
	    !EVP_MAC_update(b->mac, b->nonce, 16) ||
	    !EVP_MAC_update(b->mac, ct, len) ||
	    !EVP_MAC_final(b->mac, full, &n, sizeof(full)))
		return IR_ERR_CRYPTO;
	memcpy(out, full, b->icv_len);
	return 0;
}

int
crypto_bench_raw_seal(struct crypto_bench *b, uint8_t *data, size_t len,
    uint8_t *icv)
{
	uint8_t tail[16];
	int outl;

	if (!EVP_CipherInit_ex2(b->enc, NULL, NULL, b->nonce, -1, NULL))
		return IR_ERR_CRYPTO;
	if (b->mac == NULL && !EVP_CipherUpdate(b->enc, NULL, &outl, b->aad,
	    (int)sizeof(b->aad)))
		return IR_ERR_CRYPTO;
	if (!EVP_CipherUpdate(b->enc, data, &outl, data, (int)len) ||
	    !EVP_CipherFinal_ex(b->enc, tail, &outl))
		return IR_ERR_CRYPTO;
	if (b->mac != NULL)
		return bench_hmac(b, data, len, icv);
	if (!EVP_CIPHER_CTX_ctrl(b->enc, EVP_CTRL_AEAD_GET_TAG, BENCH_TAG_LEN,
	    icv))
		return IR_ERR_CRYPTO;
	return 0;
}

int
crypto_bench_raw_open(struct crypto_bench *b, uint8_t *data, size_t len,
    const uint8_t *icv)
{
	uint8_t tail[16], want[BENCH_HMAC_MAX];
	int outl, rv;

	if (b->mac != NULL) {
		if ((rv = bench_hmac(b, data, len, want)) != 0)
			return rv;
		if (CRYPTO_memcmp(want, icv, b->icv_len) != 0)
			return IR_ERR_DECRYPT;
	}
	if (!EVP_CipherInit_ex2(b->dec, NULL, NULL, b->nonce, -1, NULL))
		return IR_ERR_CRYPTO;
	if (b->mac == NULL && (!EVP_CipherUpdate(b->dec, NULL, &outl, b->aad,
	    (int)sizeof(b->aad)) || !EVP_CIPHER_CTX_ctrl(b->dec,
	    EVP_CTRL_AEAD_SET_TAG, BENCH_TAG_LEN, (void *)icv)))
		return IR_ERR_CRYPTO;
	if (!EVP_CipherUpdate(b->dec, data, &outl, data, (int)len))
		return IR_ERR_CRYPTO;
	if (EVP_CipherFinal_ex(b->dec, tail, &outl) <= 0)
		return IR_ERR_DECRYPT;
	return 0;
}
