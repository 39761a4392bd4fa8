/*
 * crypto/crypto_hash.c: plain message digests.  IKEv2 needs one outside
 * the PRFs and signatures: SHA-1 for the NAT_DETECTION_*_IP notifies
 * (RFC 7296 §2.23), whatever PRF the SA negotiates.
 */
#include <openssl/evp.h>

#include "common/ir_err.h"
#include "crypto/crypto.h"

int
crypto_sha1(const struct crypto_iov *data, size_t ndata,
    uint8_t out[CRYPTO_SHA1_DIGEST_LEN])
{
	EVP_MD_CTX *ctx;
	unsigned int len = 0;
	size_t i;
	int ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return IR_ERR_NOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
	for (i = 0; ok && i < ndata; i++)
		if (data[i].len != 0)
			ok = EVP_DigestUpdate(ctx, data[i].p, data[i].len);
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
	return ok && len == CRYPTO_SHA1_DIGEST_LEN ? 0 : IR_ERR_CRYPTO;
}
