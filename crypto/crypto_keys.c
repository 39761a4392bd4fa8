/*
 * crypto/crypto_keys.c: IKEv2 key derivation on top of prf and prf+.
 *
 *   §2.14  SKEYSEED = prf(Ni | Nr, g^ir)
 *          {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *                   = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 *   §2.17  KEYMAT   = prf+(SK_d, [g^ir (new) |] Ni | Nr)
 *   §2.18  SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
 *
 * Every intermediate buffer that holds key material is wiped before it
 * goes out of scope.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"

#define NONCE_MAX	256	/* RFC 7296 §3.9: 16 to 256 octets */
#define AES_PRF_HALF	8	/* §2.14: 64 bits of each nonce */
#define SPI_LEN		8

#define IKE_KEYS_MAX	(3 * CRYPTO_PRF_MAX + 2 * CRYPTO_INTEG_KEY_MAX + \
			 2 * CRYPTO_ENCR_KEY_MAX)

static bool
prf_is_aes(uint16_t prf)
{
	return prf == CRYPTO_PRF_AES128_XCBC || prf == CRYPTO_PRF_AES128_CMAC;
}

/*
 * RFC 7296 §2.14: "If the negotiated PRF is AES-XCBC-PRF-128 or
 * AES-CMAC-PRF-128, only the first 64 bits of Ni and the first 64 bits of
 * Nr are used in calculating SKEYSEED" (the 128-bit key they need).  The
 * HMAC PRFs take all of Ni | Nr as the key.
 */
int
crypto_skeyseed(uint16_t prf, const uint8_t *ni, size_t ni_len,
    const uint8_t *nr, size_t nr_len, const uint8_t *g_ir,
    size_t g_ir_len, uint8_t *out)
{
	uint8_t key[2 * NONCE_MAX];
	struct crypto_iov data = { g_ir, g_ir_len };
	size_t ki, kr;
	int rv;

	if (!crypto_prf_supported(prf))
		return IR_ERR_UNSUPPORTED;
	if (ni_len > NONCE_MAX || nr_len > NONCE_MAX)
		return IR_ERR_MALFORMED;
	ki = ni_len;
	kr = nr_len;
	if (prf_is_aes(prf)) {
		if (ni_len < AES_PRF_HALF || nr_len < AES_PRF_HALF)
			return IR_ERR_MALFORMED;
		ki = kr = AES_PRF_HALF;
	}
	memcpy(key, ni, ki);
	memcpy(key + ki, nr, kr);
	rv = crypto_prf(prf, key, ki + kr, &data, 1, out);
	OPENSSL_cleanse(key, sizeof(key));
	return rv;
}

int
crypto_skeyseed_rekey(uint16_t old_prf, const uint8_t *old_sk_d,
    size_t old_sk_d_len, const uint8_t *g_ir, size_t g_ir_len,
    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
    uint8_t *out)
{
	const struct crypto_iov data[] = {
		{ g_ir, g_ir_len }, { ni, ni_len }, { nr, nr_len },
	};

	return crypto_prf(old_prf, old_sk_d, old_sk_d_len, data,
	    IR_ARRAY_LEN(data), out);
}

/* Copy the next |len| octets of |*p| into |dst|. */
static void
take(uint8_t *dst, const uint8_t **p, size_t len)
{
	memcpy(dst, *p, len);
	*p += len;
}

/*
 * RFC 7296 §2.14.  SK_d, SK_pi and SK_pr are as long as the PRF's key
 * (its output length, §2.13); SK_e* include the salt of an AEAD
 * (RFC 5282 §7.1), SK_a* are absent (0) with an AEAD.
 */
int
crypto_ike_keys_derive(uint16_t prf, const uint8_t *skeyseed,
    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
    const uint8_t spi_i[8], const uint8_t spi_r[8], size_t integ_len,
    size_t encr_len, struct crypto_ike_keys *out)
{
	const struct crypto_iov seed[] = {
		{ ni, ni_len }, { nr, nr_len },
		{ spi_i, SPI_LEN }, { spi_r, SPI_LEN },
	};
	uint8_t km[IKE_KEYS_MAX];
	const uint8_t *p = km;
	size_t prf_len = crypto_prf_len(prf), total;
	int rv;

	memset(out, 0, sizeof(*out));
	if (prf_len == 0)
		return IR_ERR_UNSUPPORTED;
	if (integ_len > CRYPTO_INTEG_KEY_MAX || encr_len > CRYPTO_ENCR_KEY_MAX)
		return IR_ERR_INTERNAL;
	total = 3 * prf_len + 2 * integ_len + 2 * encr_len;
	rv = crypto_prf_plus(prf, skeyseed, prf_len, seed, IR_ARRAY_LEN(seed),
	    km, total);
	if (rv == 0) {
		out->prf_len = prf_len;
		out->integ_len = integ_len;
		out->encr_len = encr_len;
		take(out->sk_d, &p, prf_len);
		take(out->sk_ai, &p, integ_len);
		take(out->sk_ar, &p, integ_len);
		take(out->sk_ei, &p, encr_len);
		take(out->sk_er, &p, encr_len);
		take(out->sk_pi, &p, prf_len);
		take(out->sk_pr, &p, prf_len);
	}
	OPENSSL_cleanse(km, sizeof(km));
	return rv;
}

void
crypto_ike_keys_clear(struct crypto_ike_keys *keys)
{
	OPENSSL_cleanse(keys, sizeof(*keys));
}

/*
 * RFC 7296 §2.17.  Without PFS (|g_ir| NULL: IKE_AUTH, or CREATE_CHILD_SA
 * without KE) the seed is Ni | Nr; with PFS the new g^ir comes first.
 */
int
crypto_child_keymat(uint16_t prf, const uint8_t *sk_d, size_t sk_d_len,
    const uint8_t *g_ir, size_t g_ir_len, const uint8_t *ni,
    size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *out,
    size_t out_len)
{
	const struct crypto_iov with_pfs[] = {
		{ g_ir, g_ir_len }, { ni, ni_len }, { nr, nr_len },
	};
	const struct crypto_iov *seed = with_pfs;
	size_t nseed = IR_ARRAY_LEN(with_pfs);

	if (g_ir == NULL) {
		seed++;
		nseed--;
	}
	return crypto_prf_plus(prf, sk_d, sk_d_len, seed, nseed, out,
	    out_len);
}
