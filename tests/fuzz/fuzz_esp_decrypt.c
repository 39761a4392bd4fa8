/*
 * tests/fuzz/fuzz_esp_decrypt.c: esp_decrypt() on any bytes (RFC 4303
 * §3.4).  The first input octet picks the transform (AES-128-GCM or
 * AES-128-CBC + HMAC-SHA2-256-128) and ESN on or off, and how many of
 * the following packets to feed to one SA; the rest are packets, each
 * led by a 2-octet length.  Keys are fixed, so the corpus seeds
 * (tests/fuzz/corpus/esp_decrypt/) are valid packets that get past the
 * ICV and exercise the trailer and inner-header checks; the fuzzer's
 * mutations exercise everything before it.  Each packet goes into an
 * exactly sized heap buffer, so any access beyond it is caught.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "crypto/crypto.h"
#include "esp/esp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SPI	0x01020304u

static const uint8_t gcm_key[20] = {
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0xca, 0xfe, 0xba, 0xbe,
};
static const uint8_t cbc_key[16] = {
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
	0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
};
static const uint8_t hmac_key[32] = {
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
	0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
	0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
	0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
};

static struct esp_sa *
fuzz_sa(uint8_t mode)
{
	struct esp_sa_conf conf;
	struct esp_sa *sa;

	memset(&conf, 0, sizeof(conf));
	conf.spi = FUZZ_SPI;
	conf.esn = (mode & 1) != 0;
	if (mode & 2) {
		conf.encr = CRYPTO_ENCR_AES_CBC;
		conf.key_bits = 128;
		conf.integ = CRYPTO_INTEG_HMAC_SHA2_256_128;
		conf.encr_key = cbc_key;
		conf.encr_key_len = sizeof(cbc_key);
		conf.integ_key = hmac_key;
		conf.integ_key_len = sizeof(hmac_key);
	} else {
		conf.encr = CRYPTO_ENCR_AES_GCM_16;
		conf.key_bits = 128;
		conf.encr_key = gcm_key;
		conf.encr_key_len = sizeof(gcm_key);
	}
	conf.replay_window = (mode & 4) ? 64 : 0;
	if (esp_sa_new(&sa, &conf) != 0)
		abort();
	return sa;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct esp_sa_stats st;
	struct esp_sa *sa;
	struct ir_pkt pkt;
	size_t len;
	uint8_t *buf;
	int rv;

	if (size < 1)
		return 0;
	sa = fuzz_sa(data[0]);
	data++;
	size--;
	while (size >= 2) {
		len = (size_t)data[0] << 8 | data[1];
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		if ((buf = malloc(len == 0 ? 1 : len)) == NULL)
			abort();
		memcpy(buf, data, len);
		ir_pkt_init(&pkt, buf, len, 0);
		pkt.len = len;
		rv = esp_decrypt(sa, &pkt);
		if (rv == 0 && (pkt.data < buf || pkt.len > len ||
		    (size_t)(pkt.data - buf) + pkt.len > len))
			abort();			/* out of the packet */
		if (rv != 0 && ir_err_is_fatal(rv))
			abort();			/* peers cannot kill an SA */
		free(buf);
		data += len;
		size -= len;
	}
	esp_sa_get_stats(sa, &st);
	esp_sa_free(sa);
	return 0;
}
