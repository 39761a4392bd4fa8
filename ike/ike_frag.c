/*
 * ike/ike_frag.c: IKE message fragmentation, RFC 7383.
 *
 * A fragment is a whole IKE message whose only payload is the Encrypted
 * Fragment payload (SKF, type 53, §2.5):
 *
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * |        Fragment Number        |        Total Fragments        |
 * |                     Initialization Vector                     |
 * ~                      Encrypted content                        ~
 * |               |             Padding (0-255 octets)            |
 * |                                               |  Pad Length   |
 * ~                    Integrity Checksum Data                    ~
 *
 * Each fragment is protected on its own like SK (ike_sk.c), its AAD
 * reaching through Total Fragments.  Next Payload is the first inner
 * payload's type in fragment 1 and zero in the others.  The receiver
 * verifies every fragment before keeping it (§2.6) and reassembles the
 * plaintext chunks in Fragment Number order.
 *
 * Reassembly uses one fixed buffer: chunks are stored in arrival order
 * and only their offsets are kept per number, so nothing is allocated
 * and a peer can make us hold at most IKE_FRAG_MAX_BYTES.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "ike/ike_msg.h"

#define SKF_HDR_LEN	(IKE_PLD_HDR_LEN + 4)	/* + number and total */

size_t
ike_frag_chunk_max(const struct crypto_xform *x, size_t frag_len)
{
	size_t over = IKE_HDR_LEN + SKF_HDR_LEN + crypto_xform_iv_len(x) +
	    crypto_xform_icv_len(x);
	size_t block = crypto_xform_block_len(x), ct;

	if (block == 0 || frag_len <= over)
		return 0;
	ct = (frag_len - over) / block * block;	/* whole blocks */
	return ct == 0 ? 0 : ct - 1;		/* one for Pad Length */
}

int
ike_frag_seal(struct wire_wr *w, const struct ike_hdr *hdr,
    uint8_t first_type, uint16_t num, uint16_t total, const uint8_t *chunk,
    size_t len, struct crypto_xform *x, const uint8_t *iv)
{
	struct ike_msg_wr mw;
	size_t start;

	if (num == 0 || total == 0 || num > total)
		return IR_ERR_INTERNAL;
	ike_msg_wr_begin(&mw, w, hdr);
	start = ike_pld_begin(&mw, IKE_PLD_SKF);
	if (!w->overflow)
		w->buf[start] = num == 1 ? first_type : IKE_PLD_NONE;
	wire_wr_u16(w, num);
	wire_wr_u16(w, total);
	mw.sk_at = start;
	mw.sk_iv_at = w->len;
	(void)wire_wr_reserve(w, crypto_xform_iv_len(x));
	wire_wr_bytes(w, chunk, len);
	return ike_sk_seal(&mw, x, iv);
}

void
ike_frag_reasm_init(struct ike_frag_reasm *r)
{
	r->active = false;
	r->msg_id = 0;
	r->total = 0;
	r->have = 0;
	r->first_type = IKE_PLD_NONE;
	r->got = 0;
	r->used = 0;
}

/* Forget every fragment; the plaintext is wiped (it is decrypted IKE). */
void
ike_frag_reasm_clear(struct ike_frag_reasm *r)
{
	ir_wipe(r->buf, r->used);
	ike_frag_reasm_init(r);
}

static void
ike_frag_restart(struct ike_frag_reasm *r, uint32_t msg_id, uint16_t total)
{
	ike_frag_reasm_clear(r);
	r->active = true;
	r->msg_id = msg_id;
	r->total = total;
}

int
ike_frag_reasm_add(struct ike_frag_reasm *r, uint32_t msg_id,
    const struct ike_pld_skf *skf, const uint8_t *plain, size_t len,
    bool *complete)
{
	uint32_t bit;

	*complete = false;
	if (skf->num == 0 || skf->num > skf->total ||
	    skf->total > IKE_FRAG_MAX_COUNT)
		return IR_ERR_MALFORMED;
	if (!r->active || r->msg_id != msg_id)
		ike_frag_restart(r, msg_id, skf->total);
	else if (skf->total > r->total)
		/* §2.6.2: the sender re-fragmented (smaller PMTU): the
		 * new set replaces the old one. */
		ike_frag_restart(r, msg_id, skf->total);
	else if (skf->total < r->total)
		return 0;		/* a stale fragment of the old set */
	bit = 1u << (skf->num - 1);
	if (r->got & bit)
		return 0;		/* a retransmitted duplicate */
	if (len > sizeof(r->buf) - r->used)
		return IR_ERR_MALFORMED;
	if (len != 0)
		memcpy(r->buf + r->used, plain, len);
	r->off[skf->num - 1] = (uint16_t)r->used;
	r->len[skf->num - 1] = (uint16_t)len;
	r->used += len;
	if (skf->num == 1)
		r->first_type = skf->next_type;
	r->got |= bit;
	r->have++;
	*complete = r->have == r->total;
	return 0;
}

int
ike_frag_reasm_take(struct ike_frag_reasm *r, uint8_t *out, size_t cap,
    size_t *len, uint8_t *first_type)
{
	size_t pos = 0, i;

	if (!r->active || r->have != r->total)
		return IR_ERR_UNEXPECTED;
	if (cap < r->used)
		return IR_ERR_NOBUF;
	for (i = 0; i < r->total; i++) {
		memcpy(out + pos, r->buf + r->off[i], r->len[i]);
		pos += r->len[i];
	}
	*len = pos;
	*first_type = r->first_type;
	ike_frag_reasm_clear(r);
	return 0;
}
