/*
 * crypto/crypto_bench.h: the raw OpenSSL EVP reference for the ESP
 * benchmark (tests/bench/esp_bench.c).  It runs the same cipher over the
 * same bytes as crypto_xform, straight on a preset EVP context, with no
 * ESP around it, so that the benchmark can print how close the engine
 * comes to what OpenSSL itself does.  Benchmark only: not in
 * libircrypto.a, never used by the program.
 */
#ifndef IR_CRYPTO_BENCH_H
#define IR_CRYPTO_BENCH_H

#include <stddef.h>
#include <stdint.h>

struct crypto_bench;

/*
 * A context for |encr| / |key_bits| / |integ| (the IDs of crypto.h) with
 * fixed keys.  IR_ERR_UNSUPPORTED, IR_ERR_CRYPTO or IR_ERR_NOMEM.
 */
int	crypto_bench_new(struct crypto_bench **out, uint16_t encr,
	    uint16_t key_bits, uint16_t integ);
void	crypto_bench_free(struct crypto_bench *b);

/* Tag (AEAD) or HMAC length of the context: the ICV to reserve. */
size_t	crypto_bench_icv_len(const struct crypto_bench *b);

/*
 * Encrypt |len| octets in place with 8 octets of AAD and a fixed IV and
 * write the ICV: the AEAD's tag, or for CBC the HMAC over AAD, IV and
 * ciphertext.  |len| must be a multiple of 16 for CBC.
 */
int	crypto_bench_raw_seal(struct crypto_bench *b, uint8_t *data, size_t len,
	    uint8_t *icv);

/* The reverse of crypto_bench_raw_seal(): check |icv|, then decrypt. */
int	crypto_bench_raw_open(struct crypto_bench *b, uint8_t *data, size_t len,
	    const uint8_t *icv);

#endif
