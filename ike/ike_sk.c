/*
 * ike/ike_sk.c: the Encrypted payload, RFC 7296 §3.14, sealed and
 * opened in place through struct crypto_xform (crypto/crypto.h).
 *
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * |                     Initialization Vector                     |
 * ~                    Encrypted IKE Payloads                     ~
 * |               |             Padding (0-255 octets)            |
 * |                                               |  Pad Length   |
 * ~                    Integrity Checksum Data                    ~
 *
 * Next Payload is the type of the first inner payload.  The plaintext
 * (inner payloads, Padding, Pad Length) is a multiple of the cipher's
 * block: 16 for AES-CBC, 1 for the AEADs (RFC 5282 §3).
 *
 * What is authenticated starts at the IKE header in both modes:
 *  - AEAD (RFC 5282 §5.1): AAD = IKE header through the SK generic
 *    header (through Total Fragments for SKF, RFC 7383 §2.5);
 *  - CBC + HMAC (§3.14): ICV over the whole message up to the ICV,
 *    which crypto_xform computes as HMAC(AAD | IV | ciphertext).
 * So both pass the same AAD: the message up to the IV.
 *
 * Padding octets are whatever the sender chose (§3.14: "MAY contain any
 * value"; strongSwan's CBC padding is random), so the receiver checks
 * only that Pad Length fits.  We send zeros, and only as many as the
 * block needs.
 */
#include <string.h>

#include "common/ir_err.h"
#include "crypto/crypto.h"
#include "ike/ike_msg.h"

int
ike_sk_begin(struct ike_msg_wr *mw, const struct crypto_xform *x)
{
	size_t iv_len = crypto_xform_iv_len(x);

	if (mw->np_at == SIZE_MAX || mw->sk_at != SIZE_MAX)
		return IR_ERR_INTERNAL;		/* no header, or SK twice */
	mw->sk_at = ike_pld_begin(mw, IKE_PLD_SK);
	mw->sk_iv_at = mw->w->len;
	(void)wire_wr_reserve(mw->w, iv_len);	/* filled in ike_sk_seal() */
	/* The SK header's Next Payload is now the one the first inner
	 * payload patches (ike_pld_begin() left np_at on it). */
	return mw->w->overflow ? IR_ERR_NOBUF : 0;
}

int
ike_sk_seal(struct ike_msg_wr *mw, struct crypto_xform *x, const uint8_t *iv)
{
	struct wire_wr *w = mw->w;
	size_t iv_len = crypto_xform_iv_len(x);
	size_t icv_len = crypto_xform_icv_len(x);
	size_t block = crypto_xform_block_len(x);
	size_t data_at, inner, pad;
	uint8_t *icv;
	int rv;

	if (mw->sk_at == SIZE_MAX || block == 0 || block > 256)
		return IR_ERR_INTERNAL;
	if (w->overflow)
		return IR_ERR_NOBUF;
	data_at = mw->sk_iv_at + iv_len;
	inner = w->len - data_at;
	pad = (block - (inner + 1) % block) % block;
	wire_wr_zero(w, pad);
	wire_wr_u8(w, (uint8_t)pad);
	icv = wire_wr_reserve(w, icv_len);
	if ((rv = ike_pld_end(mw, mw->sk_at)) != 0 ||
	    (rv = ike_msg_wr_finish(mw)) != 0)
		return rv;
	memcpy(w->buf + mw->sk_iv_at, iv, iv_len);
	rv = crypto_xform_seal(x, w->buf + mw->start, mw->sk_iv_at - mw->start,
	    NULL, 0, iv, w->buf + data_at, inner + pad + 1, icv);
	mw->sk_at = SIZE_MAX;		/* the message is closed */
	return rv;
}

int
ike_sk_open(struct crypto_xform *x, uint8_t *buf, const struct ike_msg *m,
    struct ike_span *plain)
{
	size_t iv_len = crypto_xform_iv_len(x);
	size_t icv_len = crypto_xform_icv_len(x);
	size_t block = crypto_xform_block_len(x);
	size_t iv_at, ct_len;
	struct ike_span body;
	uint8_t *data, pad;
	int rv;

	if (buf != m->raw || block == 0)
		return IR_ERR_INTERNAL;
	if (ike_msg_count(m, IKE_PLD_SK) != 0) {
		iv_at = m->sk.off + IKE_PLD_HDR_LEN;
		body = m->sk.body;
	} else if (ike_msg_count(m, IKE_PLD_SKF) != 0) {
		iv_at = m->skf.off + IKE_PLD_HDR_LEN + 4;
		body = m->skf.body;
	} else
		return IR_ERR_UNEXPECTED;
	/* At least the Pad Length octet between IV and ICV. */
	if (body.len < iv_len + icv_len + 1)
		return IR_ERR_MALFORMED;
	ct_len = body.len - iv_len - icv_len;
	if (ct_len % block != 0)
		return IR_ERR_MALFORMED;
	data = buf + iv_at + iv_len;
	rv = crypto_xform_open(x, buf, iv_at, NULL, 0, buf + iv_at, data,
	    ct_len, data + ct_len);
	if (rv != 0)
		return rv;
	pad = data[ct_len - 1];
	if ((size_t)pad + 1 > ct_len)
		return IR_ERR_MALFORMED;
	plain->p = data;
	plain->len = ct_len - pad - 1;
	return 0;
}

int
ike_msg_open(struct ike_msg *m, struct crypto_xform *x, uint8_t *buf)
{
	struct ike_span plain;
	int rv;

	if (ike_msg_count(m, IKE_PLD_SK) == 0)
		return IR_ERR_UNEXPECTED;
	if ((rv = ike_sk_open(x, buf, m, &plain)) != 0) {
		m->err_why = rv == IR_ERR_DECRYPT ? "SK: ICV did not verify" :
		    "SK: lengths do not fit the transform";
		return rv;
	}
	return ike_msg_parse_inner(m, m->sk.next_type, plain.p, plain.len);
}
