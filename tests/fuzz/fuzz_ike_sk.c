/*
 * tests/fuzz/fuzz_ike_sk.c: the SK and SKF paths (RFC 7296 §3.14,
 * RFC 7383) on any bytes.  The first octet picks a mode:
 *
 *   0  the rest is a message: parse, then ike_sk_open() with a fixed
 *      AES-GCM-16-128 key and, failing that, a fixed AES-CBC-128 +
 *      HMAC-SHA2-256-128 key; what opens is parsed as the inner chain
 *      (or added to a reassembly for SKF).  The keys are SK_ei of the
 *      strongSwan GCM and CBC runs in tests/vectors/, so seeds made from
 *      those runs' initiator messages get past the ICV.
 *   1  the rest is a plaintext chain: seal it in an SK with GCM (2: CBC),
 *      open it again and require the same plaintext back.
 *   3  the second octet sizes fragments: seal the rest as fragments,
 *      open them, reassemble them backwards and require the same bytes.
 *
 * Each message is opened in an exactly sized heap copy, because opening
 * decrypts in place and ASan should see any access beyond it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "ike/ike_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t gcm_key[20] = {	/* strongswan-psk-udp/aesgcm.. SK_ei */
	0x90, 0x1e, 0xd7, 0x08, 0xba, 0xce, 0x9a, 0x4b, 0x44, 0x09,
	0x39, 0x2b, 0x8a, 0xd5, 0xdf, 0x7b, 0x0d, 0xb8, 0xf8, 0x59,
};
static const uint8_t cbc_key[16] = {	/* strongswan-psk-udp/aescbc.. SK_ei */
	0xc3, 0x09, 0x57, 0xf2, 0xd8, 0x9d, 0x7a, 0xca,
	0xbf, 0xb4, 0x7e, 0x99, 0x55, 0xe3, 0xc4, 0x7e,
};
static const uint8_t hmac_key[32] = {	/* and its SK_ai */
	0x02, 0xd2, 0xf9, 0xf3, 0x5d, 0xdf, 0x0f, 0x40, 0x5b, 0x2a, 0xe4,
	0x10, 0x23, 0xc1, 0xc3, 0x11, 0x54, 0x9b, 0x78, 0x60, 0xc2, 0x02,
	0xb0, 0x45, 0x91, 0x49, 0xb3, 0x73, 0xa8, 0xa9, 0xde, 0x78,
};
static const uint8_t iv[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

#define BUF_CAP	(70 * 1024)

static struct crypto_xform *gcm, *cbc;
static struct ike_msg msg;
static struct ike_frag_reasm reasm;
static uint8_t wbuf[BUF_CAP], out[BUF_CAP];

static void
init_keys(void)
{
	if (gcm != NULL)
		return;
	if (crypto_xform_new(&gcm, 20, 128, 0, gcm_key, sizeof(gcm_key),
	    NULL, 0) != 0 ||
	    crypto_xform_new(&cbc, 12, 128, 12, cbc_key, sizeof(cbc_key),
	    hmac_key, sizeof(hmac_key)) != 0)
		abort();
}

/* Parse and open a heap copy of |p| with |x|; 0 when it opened. */
static int
open_copy(struct crypto_xform *x, const uint8_t *p, size_t len,
    uint8_t **copy, struct ike_span *plain)
{
	if ((*copy = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(*copy, p, len);
	if (ike_msg_parse(&msg, *copy, len) != 0)
		return -1;
	return ike_sk_open(x, *copy, &msg, plain);
}

static void
mode_message(const uint8_t *p, size_t len)
{
	struct crypto_xform *xs[2] = { gcm, cbc };
	struct ike_span plain;
	uint8_t *copy, first;
	size_t i, n;
	bool done;

	for (i = 0; i < 2; i++) {
		copy = NULL;
		if (open_copy(xs[i], p, len, &copy, &plain) == 0) {
			if (ike_msg_count(&msg, IKE_PLD_SKF) != 0) {
				ike_frag_reasm_init(&reasm);
				if (ike_frag_reasm_add(&reasm, msg.hdr.msg_id,
				    &msg.skf, plain.p, plain.len, &done) == 0 &&
				    done && ike_frag_reasm_take(&reasm, out,
				    sizeof(out), &n, &first) == 0)
					(void)ike_msg_parse_inner(&msg, first,
					    out, n);
			} else if (ike_msg_parse_inner(&msg, msg.sk.next_type,
			    plain.p, plain.len) == 0)
				(void)ike_msg_check_rules(&msg);
			free(copy);
			return;
		}
		free(copy);
	}
}

/* An INFORMATIONAL request whose SK holds |p| (any bytes). */
static size_t
seal_chain(struct crypto_xform *x, const uint8_t *p, size_t len)
{
	struct ike_hdr h = { .spi_i = 0x0102030405060708ull, .spi_r = 1,
	    .version = IKE_VERSION_2, .exch = IKE_EXCH_INFORMATIONAL,
	    .flags = IKE_FLAG_INITIATOR, .msg_id = 2 };
	struct ike_msg_wr mw;
	struct wire_wr w;

	wire_wr_init(&w, wbuf, sizeof(wbuf));
	ike_msg_wr_begin(&mw, &w, &h);
	if (ike_sk_begin(&mw, x) != 0)
		abort();
	wire_wr_bytes(&w, p, len);
	if (ike_sk_seal(&mw, x, iv) != 0)
		abort();
	return w.len;
}

static void
mode_roundtrip(struct crypto_xform *x, const uint8_t *p, size_t len)
{
	struct ike_span plain;
	uint8_t *copy = NULL;
	size_t n;

	if (len > 60000)
		return;
	n = seal_chain(x, p, len);
	if (open_copy(x, wbuf, n, &copy, &plain) != 0 || plain.len != len ||
	    (len != 0 && memcmp(plain.p, p, len) != 0))
		abort();		/* what we seal must open */
	(void)ike_msg_parse_inner(&msg, IKE_PLD_NOTIFY, plain.p, plain.len);
	free(copy);
}

static void
mode_fragments(uint8_t sz, const uint8_t *p, size_t len)
{
	struct ike_hdr h = { .spi_i = 5, .version = IKE_VERSION_2,
	    .exch = IKE_EXCH_IKE_AUTH, .flags = IKE_FLAG_RESPONSE,
	    .msg_id = 1 };
	size_t chunk = ike_frag_chunk_max(gcm, 68u + sz), total, i, n;
	struct ike_span plain;
	struct wire_wr w;
	uint8_t *copy, first;
	bool done = false;

	if (chunk == 0 || len == 0)
		return;
	total = (len + chunk - 1) / chunk;
	if (total > IKE_FRAG_MAX_COUNT)
		return;
	ike_frag_reasm_init(&reasm);
	for (i = total; i-- > 0;) {
		n = len - i * chunk < chunk ? len - i * chunk : chunk;
		wire_wr_init(&w, wbuf, sizeof(wbuf));
		if (ike_frag_seal(&w, &h, IKE_PLD_CERT, (uint16_t)(i + 1),
		    (uint16_t)total, p + i * chunk, n, gcm, iv) != 0)
			abort();
		copy = NULL;
		if (open_copy(gcm, wbuf, w.len, &copy, &plain) != 0 ||
		    ike_frag_reasm_add(&reasm, 1, &msg.skf, plain.p,
		    plain.len, &done) != 0)
			abort();
		free(copy);
	}
	if (!done || ike_frag_reasm_take(&reasm, out, sizeof(out), &n,
	    &first) != 0 || n != len || memcmp(out, p, len) != 0 ||
	    first != IKE_PLD_CERT)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	init_keys();
	switch (data[0] & 3) {
	case 0:
		mode_message(data + 1, size - 1);
		break;
	case 1:
		mode_roundtrip(gcm, data + 1, size - 1);
		break;
	case 2:
		mode_roundtrip(cbc, data + 1, size - 1);
		break;
	case 3:
		mode_fragments(data[1], data + 2, size - 2);
		break;
	}
	return 0;
}
