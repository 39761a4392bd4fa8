/* tests/esp/esp_test.c: see esp_test.h. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "tests/check_util.h"
#include "tests/esp/esp_test.h"

const struct t_suite t_suites[] = {
	{ "AES-128-GCM-16",		CRYPTO_ENCR_AES_GCM_16, 128, 0 },
	{ "AES-256-GCM-16",		CRYPTO_ENCR_AES_GCM_16, 256, 0 },
	{ "ChaCha20-Poly1305",		CRYPTO_ENCR_CHACHA20_POLY1305, 0, 0 },
	{ "AES-128-CBC/HMAC-SHA2-256-128", CRYPTO_ENCR_AES_CBC, 128,
	    CRYPTO_INTEG_HMAC_SHA2_256_128 },
	{ "AES-256-CBC/HMAC-SHA2-256-128", CRYPTO_ENCR_AES_CBC, 256,
	    CRYPTO_INTEG_HMAC_SHA2_256_128 },
	{ "AES-256-CBC/HMAC-SHA2-384-192", CRYPTO_ENCR_AES_CBC, 256,
	    CRYPTO_INTEG_HMAC_SHA2_384_192 },
	{ "AES-256-CBC/HMAC-SHA2-512-256", CRYPTO_ENCR_AES_CBC, 256,
	    CRYPTO_INTEG_HMAC_SHA2_512_256 },
	{ "AES-128-CBC/HMAC-SHA1-96",	CRYPTO_ENCR_AES_CBC, 128,
	    CRYPTO_INTEG_HMAC_SHA1_96 },
};
const size_t t_nsuites = sizeof(t_suites) / sizeof(t_suites[0]);

static void
t_keys(const struct t_suite *s, uint8_t *ek, size_t *ek_len, uint8_t *ik,
    size_t *ik_len)
{
	size_t i;

	*ek_len = crypto_encr_key_len(s->encr, s->key_bits);
	*ik_len = s->integ != 0 ? crypto_integ_key_len(s->integ) : 0;
	ck_assert_msg(*ek_len != 0, "%s: no key length", s->name);
	for (i = 0; i < *ek_len; i++)
		ek[i] = (uint8_t)(0x11 + 7 * i);
	for (i = 0; i < *ik_len; i++)
		ik[i] = (uint8_t)(0xa0 ^ (13 * i));
}

struct esp_sa *
t_esp_sa(const struct t_suite *s, bool esn, bool outbound,
    uint32_t replay_window)
{
	uint8_t ek[CRYPTO_ENCR_KEY_MAX], ik[CRYPTO_INTEG_KEY_MAX];
	struct esp_sa_conf conf;
	struct esp_sa *sa;
	int rv;

	memset(&conf, 0, sizeof(conf));
	t_keys(s, ek, &conf.encr_key_len, ik, &conf.integ_key_len);
	conf.spi = T_SPI;
	conf.outbound = outbound;
	conf.esn = esn;
	conf.encr = s->encr;
	conf.key_bits = s->key_bits;
	conf.integ = s->integ;
	conf.encr_key = ek;
	conf.integ_key = ik;
	conf.replay_window = replay_window;
	conf.random = t_random;
	rv = esp_sa_new(&sa, &conf);
	ck_assert_msg(rv == 0, "%s: esp_sa_new %d", s->name, rv);
	return sa;
}

struct crypto_xform *
t_esp_xform(const struct t_suite *s)
{
	uint8_t ek[CRYPTO_ENCR_KEY_MAX], ik[CRYPTO_INTEG_KEY_MAX];
	struct crypto_xform *x;
	size_t ek_len, ik_len;

	t_keys(s, ek, &ek_len, ik, &ik_len);
	ck_assert_int_eq(crypto_xform_new(&x, s->encr, s->key_bits, s->integ,
	    ek, ek_len, ik, ik_len), 0);
	return x;
}

void
t_ip_packet(uint8_t *p, size_t len, bool v6, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 31 + i * 17 + (i >> 8));
	if (v6) {
		ck_assert_uint_ge(len, 40);
		p[0] = 0x60;
		p[4] = (uint8_t)((len - 40) >> 8);	/* Payload Length */
		p[5] = (uint8_t)(len - 40);
	} else {
		ck_assert_uint_ge(len, 20);
		p[0] = 0x45;				/* IHL 5 */
		p[2] = (uint8_t)(len >> 8);		/* Total Length */
		p[3] = (uint8_t)len;
	}
}

void
t_ref_init(struct t_ref *ref, const uint8_t *payload, size_t len)
{
	memset(ref, 0, sizeof(*ref));
	ref->payload = payload;
	ref->len = len;
	ref->nh = -1;
	ref->pad = -1;
	ref->pad_field = -1;
}

static void
t_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

size_t
t_esp_ref(const struct t_suite *s, bool esn, uint32_t spi, uint64_t seq,
    const struct t_ref *ref, uint8_t *out, size_t cap)
{
	struct crypto_xform *x = t_esp_xform(s);
	size_t iv_len = crypto_xform_iv_len(x), icv = crypto_xform_icv_len(x);
	size_t align = crypto_xform_block_len(x) < 4 ? 4 :
	    crypto_xform_block_len(x);
	size_t pad, ct_len, i, aad_len = 8, tail_len = 0;
	uint8_t aad[12], tail[4], *ct = out + 8 + iv_len;

	pad = ref->pad >= 0 ? (size_t)ref->pad :
	    (align - (ref->len + 2) % align) % align;
	ct_len = ref->len + pad + 2;
	ck_assert_uint_le(8 + iv_len + ct_len + icv, cap);
	t_put32(out, spi);
	t_put32(out + 4, (uint32_t)seq);
	if (ref->iv != NULL)
		memcpy(out + 8, ref->iv, iv_len);
	else if (crypto_xform_is_aead(x)) {
		t_put32(out + 8, (uint32_t)(seq >> 32));
		t_put32(out + 12, (uint32_t)seq);
	} else
		memset(out + 8, 0, iv_len);
	memcpy(ct, ref->payload, ref->len);
	for (i = 0; i < pad; i++)		/* RFC 4303 §2.4 */
		ct[ref->len + i] = (uint8_t)(i + 1);
	if (ref->bad_pad && pad > 0)
		ct[ref->len + pad - 1] ^= 0x80;
	ct[ref->len + pad] = (uint8_t)(ref->pad_field >= 0 ? ref->pad_field :
	    (int)pad);
	ct[ref->len + pad + 1] = (uint8_t)(ref->nh >= 0 ? ref->nh : 4);

	memcpy(aad, out, 8);
	if (esn && crypto_xform_is_aead(x)) {	/* RFC 4106 §5 */
		t_put32(aad + 4, (uint32_t)(seq >> 32));
		t_put32(aad + 8, (uint32_t)seq);
		aad_len = 12;
	} else if (esn) {			/* RFC 4303 §2.2.1 */
		t_put32(tail, (uint32_t)(seq >> 32));
		tail_len = 4;
	}
	ck_assert_int_eq(crypto_xform_seal(x, aad, aad_len, tail, tail_len,
	    out + 8, ct, ct_len, ct + ct_len), 0);
	crypto_xform_free(x);
	return 8 + iv_len + ct_len + icv;
}

struct ir_pkt
t_pkt_exact(const uint8_t *data, size_t len, size_t headroom, size_t tailroom)
{
	struct ir_pkt pkt;
	size_t cap = headroom + len + tailroom;
	uint8_t *buf = malloc(cap == 0 ? 1 : cap);

	ck_assert_ptr_nonnull(buf);
	ir_pkt_init(&pkt, buf, cap, headroom);
	if (len > 0)
		memcpy(pkt.data, data, len);
	pkt.len = len;
	return pkt;
}

void
t_pkt_free(struct ir_pkt *pkt)
{
	free(pkt->head);
	pkt->head = pkt->data = NULL;
}
