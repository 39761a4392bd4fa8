/*
 * esp/esp_crypt.c: ESP packet protection and processing in place, RFC 4303
 * §3.3 (outbound) and §3.4 (inbound), tunnel mode.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ ^
 * |               Security Parameters Index (SPI)                 | |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
 * |                 Sequence Number (low 32 bits)                 | |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
 * |      IV: 8 octets (GCM, ChaCha20-Poly1305) or 16 (CBC)        | A
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ | ^
 * ~  inner IP packet (next header 4 or 41) | TFC padding (§2.7)   ~ | E
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ | |
 * |   Padding 1, 2, 3, ... (§2.4)  |  Pad Length   | Next Header  | v v
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Integrity Check Value (16 octets, or 12 .. 32)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   A: authenticated (with ESN also seq_hi, not sent)  E: encrypted
 *
 * The AEADs authenticate SPI | [seq_hi |] seq_lo as AAD (RFC 4106 §5,
 * RFC 7634 §2.1); CBC + HMAC puts seq_hi after the ciphertext for the ICV
 * only (RFC 4303 §2.2.1).  Nothing here allocates.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "common/wire.h"
#include "esp/esp_int.h"

/* SPI | seq_hi | seq_lo: the largest AAD. */
#define ESP_AAD_MAX	12

/* The authenticated data of one packet, built from its header. */
struct esp_aad {
	uint8_t		 buf[ESP_AAD_MAX];
	const uint8_t	*aad;
	size_t		 aad_len;
	const uint8_t	*tail;			/* CBC + ESN: seq_hi */
	size_t		 tail_len;
};

static void
esp_aad_build(const struct esp_sa *sa, const uint8_t *hdr, uint64_t seq,
    struct esp_aad *a)
{
	a->aad = hdr;			/* SPI | seq_lo, as on the wire */
	a->aad_len = ESP_HDR_LEN;
	a->tail = NULL;
	a->tail_len = 0;
	if (!sa->esn)
		return;
	if (sa->aead) {
		memcpy(a->buf, hdr, 4);
		wire_put_u64(a->buf + 4, seq);
		a->aad = a->buf;
		a->aad_len = ESP_AAD_MAX;
	} else {
		wire_put_u32(a->buf, (uint32_t)(seq >> 32));
		a->tail = a->buf;
		a->tail_len = 4;
	}
}

/*
 * The Next Header of an inner packet from its IP version, RFC 4303 §2.6;
 * an empty packet is a dummy packet.
 */
static int
esp_next_header(const struct ir_pkt *pkt, uint8_t *nh)
{
	if (pkt->len == 0)
		*nh = ESP_NH_NONE;
	else if (pkt->data[0] >> 4 == 4 && pkt->len >= 20)
		*nh = ESP_NH_IPV4;
	else if (pkt->data[0] >> 4 == 6 && pkt->len >= 40)
		*nh = ESP_NH_IPV6;
	else
		return IR_ERR_MALFORMED;
	return 0;
}

/* Padding that makes |plain| octets a multiple of sa->align (§2.4). */
static size_t
esp_pad_len(const struct esp_sa *sa, size_t plain)
{
	return (sa->align - plain % sa->align) % sa->align;
}

/*
 * Append TFC padding, |pad| octets of Padding, Pad Length and Next Header
 * behind the |inner| octets at |p|.  The tailroom has been checked.
 */
static void
esp_trailer_put(uint8_t *p, size_t inner, size_t tfc_pad, size_t pad,
    uint8_t nh)
{
	size_t i;

	memset(p + inner, 0, tfc_pad);
	p += inner + tfc_pad;
	for (i = 0; i < pad; i++)
		p[i] = (uint8_t)(i + 1);
	p[pad] = (uint8_t)pad;
	p[pad + 1] = nh;
}

static void
esp_iv_make(struct esp_sa *sa, uint64_t seq, uint8_t *iv)
{
	if (sa->aead)
		wire_put_u64(iv, seq ^ sa->iv_mask);	/* unique per key */
	else
		sa->random(sa->random_ud, iv, sa->iv_len);
}

int
esp_encrypt(struct esp_sa *sa, struct ir_pkt *pkt, size_t tfc_pad)
{
	size_t inner = pkt->len, hdr = ESP_HDR_LEN + sa->iv_len, ct_len;
	size_t room = ir_pkt_tailroom(pkt), pad;
	uint8_t nh, *p, *ct, *iv;
	struct esp_aad a;
	uint64_t seq;
	int rv;

	if (!sa->outbound)
		return IR_ERR_CONFIG;
	if (esp_sa_lifetime(sa) == ESP_LIFE_HARD) {
		sa->st.drop_lifetime++;
		return IR_ERR_LIFETIME;
	}
	if (esp_next_header(pkt, &nh) != 0) {
		sa->st.drop_malformed++;
		return IR_ERR_MALFORMED;
	}
	/* tfc_pad <= room keeps every sum below the buffer size. */
	if (ir_pkt_headroom(pkt) < hdr || tfc_pad > room)
		goto nobuf;
	pad = esp_pad_len(sa, inner + tfc_pad + 2);
	if (room - tfc_pad < pad + 2 + sa->icv_len)
		goto nobuf;
	ct = pkt->data;
	ct_len = inner + tfc_pad + pad + 2;
	esp_trailer_put(ct, inner, tfc_pad, pad, nh);

	seq = sa->seq_out + 1;
	pkt->data -= hdr;
	pkt->len = hdr + ct_len + sa->icv_len;
	p = pkt->data;
	iv = p + ESP_HDR_LEN;
	wire_put_u32(p, sa->spi);
	wire_put_u32(p + 4, (uint32_t)seq);
	esp_iv_make(sa, seq, iv);
	esp_aad_build(sa, p, seq, &a);
	rv = crypto_xform_seal(sa->xf, a.aad, a.aad_len, a.tail, a.tail_len,
	    iv, ct, ct_len, ct + ct_len);
	if (rv != 0) {
		pkt->data = ct;
		pkt->len = inner;
		return rv;
	}
	sa->seq_out = seq;
	sa->st.seq = seq;
	sa->st.packets++;
	sa->st.bytes += inner;
	return 0;
nobuf:
	sa->st.drop_nobuf++;
	return IR_ERR_NOBUF;
}

/*
 * The length of the inner packet from its own header, which must fit in
 * the |len| decrypted octets; what follows it is TFC padding (§2.7).
 */
static int
esp_inner_len(uint8_t nh, const uint8_t *p, size_t len, size_t *ip_len)
{
	size_t n;

	if (nh == ESP_NH_IPV4) {
		/* RFC 791: IHL in 32-bit words, Total Length in octets. */
		if (len < 20 || p[0] >> 4 != 4)
			return IR_ERR_MALFORMED;
		n = wire_get_u16(p + 2);
		if ((size_t)(p[0] & 0x0f) * 4 < 20 ||
		    n < (size_t)(p[0] & 0x0f) * 4 || n > len)
			return IR_ERR_MALFORMED;
	} else {
		/* RFC 8200: a 40-octet header plus Payload Length. */
		if (len < 40 || p[0] >> 4 != 6)
			return IR_ERR_MALFORMED;
		n = 40 + (size_t)wire_get_u16(p + 4);
		if (n > len)
			return IR_ERR_MALFORMED;
	}
	*ip_len = n;
	return 0;
}

/*
 * Take the trailer off the |ct_len| decrypted octets at |p|: the Pad
 * Length must stay within the payload and the padding must be the
 * default 1, 2, 3, ... (§2.4: the receiver should check it).
 */
static int
esp_trailer_take(struct esp_sa *sa, const uint8_t *p, size_t ct_len,
    uint8_t *nh, size_t *payload_len)
{
	size_t pad, i;

	if (ct_len < 2) {
		sa->st.drop_pad++;
		return IR_ERR_MALFORMED;
	}
	*nh = p[ct_len - 1];
	pad = p[ct_len - 2];
	if (pad > ct_len - 2) {
		sa->st.drop_pad++;
		return IR_ERR_MALFORMED;
	}
	*payload_len = ct_len - 2 - pad;
	for (i = 0; i < pad; i++) {
		if (p[*payload_len + i] != (uint8_t)(i + 1)) {
			sa->st.drop_pad++;
			return IR_ERR_MALFORMED;
		}
	}
	return 0;
}

/* Header, IV, at least one cipher block and the ICV, in whole blocks. */
static int
esp_decrypt_len(struct esp_sa *sa, const struct ir_pkt *pkt, size_t *ct_len)
{
	size_t over = ESP_HDR_LEN + sa->iv_len + sa->icv_len;
	size_t block = crypto_xform_block_len(sa->xf);

	if (pkt->len < over + IR_MAX(block, (size_t)2) ||
	    (pkt->len - over) % block != 0) {
		sa->st.drop_malformed++;
		return IR_ERR_MALFORMED;
	}
	*ct_len = pkt->len - over;
	return 0;
}

/* The ICV check and decryption, then the window update (§3.4.3). */
static int
esp_decrypt_verify(struct esp_sa *sa, uint8_t *p, size_t ct_len, uint64_t seq)
{
	uint8_t *ct = p + ESP_HDR_LEN + sa->iv_len;
	struct esp_aad a;
	int rv;

	esp_aad_build(sa, p, seq, &a);
	rv = crypto_xform_open(sa->xf, a.aad, a.aad_len, a.tail, a.tail_len,
	    p + ESP_HDR_LEN, ct, ct_len, ct + ct_len);
	if (rv == IR_ERR_DECRYPT)
		sa->st.drop_decrypt++;
	if (rv != 0)
		return rv;
	if (esp_replay_update(&sa->replay, seq) != 0) {
		sa->st.drop_replay++;
		return IR_ERR_REPLAY;
	}
	sa->st.seq = sa->replay.top;
	return 0;
}

int
esp_decrypt(struct esp_sa *sa, struct ir_pkt *pkt)
{
	size_t ct_len, payload_len, ip_len;
	uint8_t nh, *ct;
	uint64_t seq;
	int rv;

	if (sa->outbound)
		return IR_ERR_CONFIG;
	if (esp_sa_lifetime(sa) == ESP_LIFE_HARD) {
		sa->st.drop_lifetime++;
		return IR_ERR_LIFETIME;
	}
	if ((rv = esp_decrypt_len(sa, pkt, &ct_len)) != 0)
		return rv;
	if (wire_get_u32(pkt->data) != sa->spi) {
		sa->st.drop_spi++;
		return IR_ERR_NOT_FOUND;
	}
	if (esp_replay_check(&sa->replay, wire_get_u32(pkt->data + 4),
	    &seq) != 0) {
		sa->st.drop_replay++;
		return IR_ERR_REPLAY;
	}
	if ((rv = esp_decrypt_verify(sa, pkt->data, ct_len, seq)) != 0)
		return rv;

	ct = pkt->data + ESP_HDR_LEN + sa->iv_len;
	if ((rv = esp_trailer_take(sa, ct, ct_len, &nh, &payload_len)) != 0)
		return rv;
	if (nh == ESP_NH_NONE) {
		sa->st.drop_dummy++;
		return IR_ERR_DUMMY;
	}
	if (nh != ESP_NH_IPV4 && nh != ESP_NH_IPV6) {
		sa->st.drop_proto++;
		return IR_ERR_UNSUPPORTED;
	}
	if (esp_inner_len(nh, ct, payload_len, &ip_len) != 0) {
		sa->st.drop_malformed++;
		return IR_ERR_MALFORMED;
	}
	pkt->data = ct;
	pkt->len = ip_len;
	sa->st.packets++;
	sa->st.bytes += ip_len;
	return 0;
}
