/*
 * crypto/crypto_rand.c: the one source of randomness of ikeroam.
 *
 * The engines never call this: they ask their random callback, which
 * src/ points here and tests point at a deterministic stream, so that a
 * test run replays byte for byte (DESIGN.md, STYLE.md "sans-I/O").
 */
#include <limits.h>

#include <openssl/rand.h>

#include "common/ir_err.h"
#include "crypto/crypto.h"

int
crypto_random(uint8_t *buf, size_t len)
{
	size_t n;

	/* RAND_bytes() takes an int: feed it in chunks it can count. */
	while (len > 0) {
		n = len > INT_MAX ? INT_MAX : len;
		if (RAND_bytes(buf, (int)n) != 1)
			return IR_ERR_CRYPTO;
		buf += n;
		len -= n;
	}
	return 0;
}
