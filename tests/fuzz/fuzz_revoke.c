/*
 * tests/fuzz/fuzz_revoke.c: OCSP responses and CRLs from the network,
 * a cache file or a CERT payload (crypto/crypto_revoke.c), checked for
 * a fixed certificate and issuer, in an exactly sized heap copy so that
 * ASan sees any read past it.  A certificate as input goes through
 * crypto_rev_uris().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "crypto/crypto_revoke.h"
#include "tests/fuzz/revoke_certs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crypto_rev_result r;
	struct crypto_rev_uris u;
	uint8_t *copy;
	size_t i;

	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (crypto_ocsp_check(copy, size, fz_leaf, sizeof(fz_leaf),
	    fz_issuer, sizeof(fz_issuer), 1893456000, &r) == 0 &&
	    r.status > CRYPTO_REV_UNKNOWN)
		abort();
	(void)crypto_crl_check(copy, size, fz_leaf, sizeof(fz_leaf),
	    fz_issuer, sizeof(fz_issuer), 1893456000, &r);
	if (crypto_rev_uris(copy, size, &u) == 0)
		for (i = 0; i < u.n_ocsp; i++)
			if (strlen(u.ocsp[i]) >= CRYPTO_URI_MAX)
				abort();
	free(copy);
	return 0;
}
