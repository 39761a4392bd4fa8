/*
 * ike/ike_msg.c: the IKE header (RFC 7296 §3.1) and the payload chain
 * (§3.2), parsed into struct ike_msg and written back.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Each payload starts with the generic header of §3.2:
 *
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 *
 * where Payload Length counts the header itself, so it is at least 4.
 */
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_msg.h"

#define BAD(m, why)	ike_msg_bad((m), (why))

static int
ike_msg_bad(struct ike_msg *m, const char *why)
{
	m->err_notify = IKE_N_INVALID_SYNTAX;
	m->err_why = why;
	return IR_ERR_MALFORMED;
}

int
ike_hdr_parse(const uint8_t *buf, size_t len, struct ike_hdr *hdr)
{
	struct wire_rd r;

	wire_rd_init(&r, buf, len);
	if (!wire_rd_u64(&r, &hdr->spi_i) || !wire_rd_u64(&r, &hdr->spi_r) ||
	    !wire_rd_u8(&r, &hdr->next_type) ||
	    !wire_rd_u8(&r, &hdr->version) || !wire_rd_u8(&r, &hdr->exch) ||
	    !wire_rd_u8(&r, &hdr->flags) || !wire_rd_u32(&r, &hdr->msg_id) ||
	    !wire_rd_u32(&r, &hdr->length))
		return IR_ERR_MALFORMED;
	/* §3.1: a datagram holds exactly one message of this Length. */
	if (hdr->length != len)
		return IR_ERR_MALFORMED;
	/* §3.1: the major version must be 2; the minor one is ignored. */
	if ((hdr->version >> 4) != 2)
		return IR_ERR_UNSUPPORTED;
	/* §3.1: "This value MUST NOT be zero." */
	if (hdr->spi_i == 0)
		return IR_ERR_MALFORMED;
	return 0;
}

/* Store a view in the typed slot of its kind; the index goes to |ref|. */
static int
ike_msg_store(struct ike_msg *m, struct ike_pld_ref *ref, size_t body_off)
{
	struct wire_rd b;
	const char *why = NULL;
	int rv;

	wire_rd_init(&b, ref->body.p, ref->body.len);
	ref->idx = 0;
#define SLOT(arr, n, max)						\
	do {								\
		if ((n) >= (max))					\
			return BAD(m, "too many " #arr " payloads");	\
		ref->idx = (n);						\
	} while (0)
	switch (ref->type) {
	case IKE_PLD_SA:
		if (ike_msg_count(m, IKE_PLD_SA)) {
			struct ike_pld_sa scratch;

			rv = ike_pld_sa_parse(b, &scratch, &why);
		} else
			rv = ike_pld_sa_parse(b, &m->sa, &why);
		break;
	case IKE_PLD_KE:
		rv = ike_pld_ke_parse(b, ike_msg_count(m, IKE_PLD_KE) ?
		    &(struct ike_pld_ke){ 0 } : &m->ke, &why);
		break;
	case IKE_PLD_IDI:
	case IKE_PLD_IDR:
		rv = ike_pld_id_parse(b, ike_msg_count(m, ref->type) ?
		    &(struct ike_pld_id){ 0 } :
		    ref->type == IKE_PLD_IDI ? &m->idi : &m->idr, &why);
		break;
	case IKE_PLD_CERT:
		SLOT(cert, m->ncert, IKE_MSG_MAX_CERT);
		if ((rv = ike_pld_cert_parse(b, &m->cert[m->ncert], &why)) == 0)
			m->ncert++;
		break;
	case IKE_PLD_CERTREQ:
		SLOT(certreq, m->ncertreq, IKE_MSG_MAX_CERTREQ);
		rv = ike_pld_cert_parse(b, &m->certreq[m->ncertreq], &why);
		if (rv == 0)
			m->ncertreq++;
		break;
	case IKE_PLD_AUTH:
		rv = ike_pld_auth_parse(b, ike_msg_count(m, IKE_PLD_AUTH) ?
		    &(struct ike_pld_auth){ 0 } : &m->auth, &why);
		break;
	case IKE_PLD_NONCE:
		rv = ike_pld_nonce_parse(b, ike_msg_count(m, IKE_PLD_NONCE) ?
		    &(struct ike_span){ 0 } : &m->nonce, &why);
		break;
	case IKE_PLD_NOTIFY:
		SLOT(notify, m->nnotify, IKE_MSG_MAX_NOTIFY);
		rv = ike_pld_notify_parse(b, &m->notify[m->nnotify], &why);
		if (rv == 0)
			m->nnotify++;
		break;
	case IKE_PLD_DELETE:
		SLOT(delete, m->ndel, IKE_MSG_MAX_DELETE);
		if ((rv = ike_pld_delete_parse(b, &m->del[m->ndel], &why)) == 0)
			m->ndel++;
		break;
	case IKE_PLD_VENDOR:
		SLOT(vendor, m->nvendor, IKE_MSG_MAX_VENDOR);
		rv = ike_pld_vendor_parse(b, &m->vendor[m->nvendor], &why);
		if (rv == 0)
			m->nvendor++;
		break;
	case IKE_PLD_TSI:
	case IKE_PLD_TSR:
		/* A second TSi is parsed into the first's slot only if
		 * there was none; the rules reject duplicates anyway. */
		if (ike_msg_count(m, ref->type)) {
			struct ike_pld_ts_list scratch;

			rv = ike_pld_ts_parse(b, &scratch, &why);
		} else
			rv = ike_pld_ts_parse(b, ref->type == IKE_PLD_TSI ?
			    &m->tsi : &m->tsr, &why);
		break;
	case IKE_PLD_CP:
		if (ike_msg_count(m, IKE_PLD_CP)) {
			struct ike_pld_cp scratch;

			rv = ike_pld_cp_parse(b, &scratch, &why);
		} else
			rv = ike_pld_cp_parse(b, &m->cp, &why);
		break;
	case IKE_PLD_EAP:
		rv = ike_pld_eap_parse(b, ike_msg_count(m, IKE_PLD_EAP) ?
		    &(struct ike_pld_eap){ 0 } : &m->eap, &why);
		break;
	case IKE_PLD_SKF:
		rv = ike_pld_skf_parse(b, &m->skf, &why);
		m->skf.off = body_off - IKE_PLD_HDR_LEN;
		break;
	default:
		return BAD(m, "internal: payload type without a parser");
	}
#undef SLOT
	if (rv != 0)
		return BAD(m, why != NULL ? why : "payload malformed");
	return 0;
}

/*
 * Walk one payload chain (§3.2) from |type| through |r|.  Known payloads
 * go to their typed slots; SK and SKF end the chain (§3.14: they are
 * last) and keep their Next Payload for the inner chain.
 */
static int
ike_msg_walk(struct ike_msg *m, uint8_t type, struct wire_rd *r,
    bool encrypted)
{
	struct ike_pld_ref *ref;
	uint8_t next, flags;
	uint16_t plen;
	size_t body_off;
	int rv;

	while (type != IKE_PLD_NONE) {
		if (!wire_rd_u8(r, &next) || !wire_rd_u8(r, &flags) ||
		    !wire_rd_u16(r, &plen))
			return BAD(m, "payload header truncated");
		if (plen < IKE_PLD_HDR_LEN)
			return BAD(m, "payload length below 4");
		body_off = (size_t)(r->p - m->raw);
		if (!ike_pld_is_known(type)) {
			if (flags & IKE_PLD_CRITICAL) {
				/* §2.5: reject the whole message. */
				m->err_notify =
				    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD;
				m->err_pld = type;
				m->err_why = "unknown critical payload";
				return IR_ERR_UNSUPPORTED;
			}
			if (!wire_rd_skip(r, plen - IKE_PLD_HDR_LEN))
				return BAD(m, "payload overruns the message");
			type = next;
			continue;
		}
		if (m->npld >= IKE_MSG_MAX_PLD)
			return BAD(m, "too many payloads");
		ref = &m->pld[m->npld];
		memset(ref, 0, sizeof(*ref));
		ref->type = type;
		ref->critical = (flags & IKE_PLD_CRITICAL) != 0;
		ref->encrypted = encrypted;
		if (!wire_rd_bytes(r, plen - IKE_PLD_HDR_LEN, &ref->body.p))
			return BAD(m, "payload overruns the message");
		ref->body.len = plen - IKE_PLD_HDR_LEN;
		if (type == IKE_PLD_SK || type == IKE_PLD_SKF) {
			if (encrypted)
				return BAD(m, "SK or SKF inside SK");
			if (r->left != 0)
				return BAD(m, "SK or SKF is not last");
			if (ike_msg_count(m, IKE_PLD_SK) +
			    ike_msg_count(m, IKE_PLD_SKF) != 0)
				return BAD(m, "second SK or SKF");
		}
		if (type == IKE_PLD_SK) {
			m->sk.next_type = next;
			m->sk.off = body_off - IKE_PLD_HDR_LEN;
			m->sk.body = ref->body;
			m->npld++;
			return 0;
		}
		/* ike_msg_count() must not see the payload being stored. */
		if ((rv = ike_msg_store(m, ref, body_off)) != 0)
			return rv;
		m->npld++;
		if (type == IKE_PLD_SKF) {
			m->skf.next_type = next;
			return 0;
		}
		type = next;
	}
	if (r->left != 0)
		return BAD(m, "octets after the last payload");
	return 0;
}

int
ike_msg_parse(struct ike_msg *m, const uint8_t *buf, size_t len)
{
	struct wire_rd r;
	int rv;

	memset(m, 0, sizeof(*m));
	m->raw = buf;
	m->raw_len = len;
	if ((rv = ike_hdr_parse(buf, len, &m->hdr)) != 0) {
		if (rv == IR_ERR_UNSUPPORTED && len >= IKE_HDR_LEN &&
		    (buf[17] >> 4) > 2) {
			m->err_notify = IKE_N_INVALID_MAJOR_VERSION;
			m->err_why = "major version above 2";
		} else
			m->err_why = "bad IKE header";
		return rv;
	}
	wire_rd_init(&r, buf + IKE_HDR_LEN, len - IKE_HDR_LEN);
	return ike_msg_walk(m, m->hdr.next_type, &r, false);
}

int
ike_msg_parse_inner(struct ike_msg *m, uint8_t first_type, const uint8_t *p,
    size_t len)
{
	struct wire_rd r;
	const uint8_t *raw = m->raw;
	int rv;

	/* Offsets (SKF's |off|) are relative to the message, but inner
	 * payloads never record one; point |raw| at the chain meanwhile. */
	m->raw = p;
	wire_rd_init(&r, p, len);
	rv = ike_msg_walk(m, first_type, &r, true);
	m->raw = raw;
	return rv;
}

size_t
ike_msg_count(const struct ike_msg *m, uint8_t type)
{
	size_t i, n = 0;

	for (i = 0; i < m->npld; i++)
		if (m->pld[i].type == type)
			n++;
	return n;
}

const struct ike_pld_notify *
ike_msg_notify(const struct ike_msg *m, uint16_t type)
{
	size_t i;

	for (i = 0; i < m->nnotify; i++)
		if (m->notify[i].type == type)
			return &m->notify[i];
	return NULL;
}

/* ---- Writing -------------------------------------------------------- */

void
ike_msg_wr_chain(struct ike_msg_wr *mw, struct wire_wr *w)
{
	mw->w = w;
	mw->start = w->len;
	mw->np_at = SIZE_MAX;
	mw->first_type = IKE_PLD_NONE;
	mw->sk_at = SIZE_MAX;
	mw->sk_iv_at = SIZE_MAX;
}

void
ike_msg_wr_begin(struct ike_msg_wr *mw, struct wire_wr *w,
    const struct ike_hdr *hdr)
{
	ike_msg_wr_chain(mw, w);
	wire_wr_u64(w, hdr->spi_i);
	wire_wr_u64(w, hdr->spi_r);
	mw->np_at = w->len;
	wire_wr_u8(w, IKE_PLD_NONE);		/* patched by the first payload */
	wire_wr_u8(w, hdr->version);
	wire_wr_u8(w, hdr->exch);
	wire_wr_u8(w, hdr->flags);
	wire_wr_u32(w, hdr->msg_id);
	wire_wr_u32(w, 0);			/* Length, patched at the end */
}

int
ike_msg_wr_finish(struct ike_msg_wr *mw)
{
	wire_wr_patch_len32(mw->w, mw->start + 24, mw->start);
	return mw->w->overflow ? IR_ERR_NOBUF : 0;
}

size_t
ike_pld_begin(struct ike_msg_wr *mw, uint8_t type)
{
	struct wire_wr *w = mw->w;
	size_t start;

	if (mw->np_at == SIZE_MAX)
		mw->first_type = type;
	else if (!w->overflow && mw->np_at < w->len)
		w->buf[mw->np_at] = type;
	start = w->len;
	mw->np_at = start;
	wire_wr_u8(w, IKE_PLD_NONE);		/* Next Payload: patched later */
	wire_wr_u8(w, 0);			/* C = 0, RESERVED */
	wire_wr_u16(w, 0);			/* Payload Length: patched */
	return start;
}

int
ike_pld_end(struct ike_msg_wr *mw, size_t start)
{
	wire_wr_patch_len16(mw->w, start + 2, start);
	return mw->w->overflow ? IR_ERR_NOBUF : 0;
}

/* A payload whose body is copied as it is (SK and SKF stay encrypted). */
static int
ike_msg_build_raw(struct ike_msg_wr *mw, uint8_t type, uint8_t next,
    struct ike_span body)
{
	size_t start = ike_pld_begin(mw, type);

	wire_wr_bytes(mw->w, body.p, body.len);
	if (!mw->w->overflow)
		mw->w->buf[start] = next;
	return ike_pld_end(mw, start);
}

static int
ike_msg_build_one(struct ike_msg_wr *mw, const struct ike_msg *m,
    const struct ike_pld_ref *ref)
{
	switch (ref->type) {
	case IKE_PLD_SA:
		return ike_pld_sa_build(mw, m->sa.prop, m->sa.nprop);
	case IKE_PLD_KE:
		return ike_pld_ke_build(mw, m->ke.group, m->ke.data.p,
		    m->ke.data.len);
	case IKE_PLD_IDI:
	case IKE_PLD_IDR: {
		const struct ike_pld_id *id =
		    ref->type == IKE_PLD_IDI ? &m->idi : &m->idr;

		return ike_pld_id_build(mw, ref->type, id->type, id->data.p,
		    id->data.len);
	}
	case IKE_PLD_CERT:
	case IKE_PLD_CERTREQ: {
		const struct ike_pld_cert *c = ref->type == IKE_PLD_CERT ?
		    &m->cert[ref->idx] : &m->certreq[ref->idx];

		return ike_pld_cert_build(mw, ref->type, c->enc, c->data.p,
		    c->data.len);
	}
	case IKE_PLD_AUTH:
		return ike_pld_auth_build(mw, m->auth.method, m->auth.data.p,
		    m->auth.data.len);
	case IKE_PLD_NONCE:
		return ike_pld_nonce_build(mw, m->nonce.p, m->nonce.len);
	case IKE_PLD_NOTIFY: {
		const struct ike_pld_notify *n = &m->notify[ref->idx];

		return ike_pld_notify_build(mw, n->proto, n->type, n->spi.p,
		    n->spi.len, n->data.p, n->data.len);
	}
	case IKE_PLD_DELETE: {
		const struct ike_pld_delete *d = &m->del[ref->idx];

		return ike_pld_delete_build(mw, d->proto, d->spi_size,
		    d->nspi, d->spis.p);
	}
	case IKE_PLD_VENDOR:
		return ike_pld_vendor_build(mw, m->vendor[ref->idx].p,
		    m->vendor[ref->idx].len);
	case IKE_PLD_TSI:
	case IKE_PLD_TSR: {
		const struct ike_pld_ts_list *l =
		    ref->type == IKE_PLD_TSI ? &m->tsi : &m->tsr;

		return ike_pld_ts_build(mw, ref->type, l->ts, l->nts);
	}
	case IKE_PLD_CP:
		return ike_pld_cp_build(mw, m->cp.type, m->cp.attr,
		    m->cp.nattr);
	case IKE_PLD_EAP:
		return ike_pld_eap_build(mw, m->eap.msg.p, m->eap.msg.len);
	case IKE_PLD_SK:
		return ike_msg_build_raw(mw, IKE_PLD_SK, m->sk.next_type,
		    ref->body);
	case IKE_PLD_SKF:
		return ike_msg_build_raw(mw, IKE_PLD_SKF, m->skf.next_type,
		    ref->body);
	}
	return IR_ERR_INTERNAL;
}

int
ike_msg_build_plds(struct ike_msg_wr *mw, const struct ike_msg *m,
    bool encrypted)
{
	size_t i;
	int rv;

	for (i = 0; i < m->npld; i++) {
		if (m->pld[i].encrypted != encrypted)
			continue;
		if ((rv = ike_msg_build_one(mw, m, &m->pld[i])) != 0)
			return rv;
	}
	return mw->w->overflow ? IR_ERR_NOBUF : 0;
}
