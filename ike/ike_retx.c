/*
 * ike/ike_retx.c: sending and retransmission, RFC 7296 §2.1 - §2.3.
 *
 * We keep a window of one: one request of ours in flight, kept as sent
 * (one message or its RFC 7383 fragments) so that a retransmission is
 * the same bytes.  It is resent after retx_base_ms, then after twice
 * that and so on up to retx_max_ms, until giveup_ms after the first
 * send.  Over TCP (RFC 9329 §2.2) the stream is reliable: nothing is
 * resent on a live connection, only a new connection gets the request
 * again (ike_req_resend()).
 *
 * While a move or a fast liveness check runs (sa->mv.fast, ike_mobike.c),
 * requests use its timers instead: resent after 1/8 of its budget (at
 * most 500 ms), then each time the time since the first send has
 * doubled, every gap at most a quarter of the budget, and given up when
 * the budget is spent.
 *
 * Our answer to the gateway's last request is cached: §2.1 says a
 * retransmitted request gets the same response again, without being
 * processed twice.
 *
 * Also here: SK protection of an inner chain, fragmentation when the
 * gateway announced it (RFC 7383 §2.5), and the payload lists we log in
 * the RFC's notation ("IKE_AUTH request 1 [ IDi AUTH SA TSi TSr ]").
 */
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"

/* IP + UDP + non-ESP marker around an IKE message (RFC 3948 §2.2). */
#define IKE_UDP_OVERHEAD4	(20 + 8 + 4)
#define IKE_UDP_OVERHEAD6	(40 + 8 + 4)

void
ike_chain_begin(struct ike_sa *sa, struct ike_msg_wr *mw, struct wire_wr *w)
{
	wire_wr_init(w, sa->b->plain, sizeof(sa->b->plain));
	ike_msg_wr_chain(mw, w);
}

void
ike_send_sent(struct ike_sa *sa, const uint8_t *buf, const struct ike_sent *s)
{
	uint8_t i;
	int rv;

	for (i = 0; i < s->n; i++) {
		rv = sa->cb.send_msg(sa->ud, buf + s->off[i], s->len[i]);
		if (rv != 0)	/* lost like a dropped datagram: retransmit */
			ike_log(sa, IR_LOG_DEBUG, "%s: send failed: %s",
			    __func__, ir_strerror(rv));
	}
}

/* The largest IKE message that fits the path without IP fragmentation. */
static size_t
ike_frag_limit(const struct ike_sa *sa)
{
	size_t over = sa->path.family == 6 ? IKE_UDP_OVERHEAD6 :
	    IKE_UDP_OVERHEAD4;

	return sa->conf.fragment_mtu > over ? sa->conf.fragment_mtu - over : 0;
}

/* Seal the inner chain |in| as SKF fragments into |dst|. */
static int
ike_seal_frags(struct ike_sa *sa, const struct ike_hdr *h,
    const struct ike_msg_wr *in, uint8_t *dst, size_t cap, struct ike_sent *s)
{
	size_t chunk = ike_frag_chunk_max(sa->tx, ike_frag_limit(sa));
	size_t inner = in->w->len, pos = 0, n;
	uint8_t iv[CRYPTO_IV_MAX];
	struct wire_wr w;
	uint16_t total, i;
	int rv;

	if (chunk == 0)
		return IR_ERR_NOBUF;
	total = (uint16_t)((inner + chunk - 1) / chunk);
	if (total > IKE_FRAG_MAX_COUNT)
		return IR_ERR_NOBUF;
	wire_wr_init(&w, dst, cap);
	for (i = 1; i <= total; i++) {
		n = IR_MIN(chunk, inner - pos);
		s->off[i - 1] = (uint16_t)w.len;
		ike_random(sa, iv, crypto_xform_iv_len(sa->tx));
		rv = ike_frag_seal(&w, h, in->first_type, i, total,
		    in->w->buf + pos, n, sa->tx, iv);
		if (rv != 0)
			return rv;
		s->len[i - 1] = (uint16_t)(w.len - s->off[i - 1]);
		pos += n;
	}
	s->n = (uint8_t)total;
	return 0;
}

/*
 * Protect the inner chain |in| under header |h| into |dst|: one SK
 * message, or fragments when it would not fit the path and the gateway
 * supports them (never over TCP, RFC 9329 §2.2 and RFC 7383 §2.5).
 */
static int
ike_seal(struct ike_sa *sa, const struct ike_hdr *h,
    const struct ike_msg_wr *in, uint8_t *dst, size_t cap, struct ike_sent *s)
{
	size_t whole;

	if (in->w->overflow)
		return IR_ERR_NOBUF;
	whole = IKE_HDR_LEN + IKE_PLD_HDR_LEN + crypto_xform_iv_len(sa->tx) +
	    in->w->len + crypto_xform_block_len(sa->tx) +
	    crypto_xform_icv_len(sa->tx);
	if (!sa->path.tcp && sa->conf.fragmentation && sa->peer_frag &&
	    whole > ike_frag_limit(sa))
		return ike_seal_frags(sa, h, in, dst, cap, s);
	return ike_seal_one(sa, sa->tx, h, in, dst, cap, s);
}

int
ike_seal_one(struct ike_sa *sa, struct crypto_xform *x,
    const struct ike_hdr *h, const struct ike_msg_wr *in, uint8_t *dst,
    size_t cap, struct ike_sent *s)
{
	uint8_t iv[CRYPTO_IV_MAX];
	struct ike_msg_wr mw;
	struct wire_wr w;
	int rv;

	if (in->w->overflow)
		return IR_ERR_NOBUF;
	if (cap > 0xffff)
		cap = 0xffff;		/* offsets are 16 bits */
	wire_wr_init(&w, dst, cap);
	ike_msg_wr_begin(&mw, &w, h);
	if ((rv = ike_sk_begin(&mw, x)) != 0)
		return rv;
	/* The SK header's Next Payload names the first inner payload. */
	dst[mw.sk_at] = in->first_type;
	wire_wr_bytes(&w, in->w->buf, in->w->len);
	ike_random(sa, iv, crypto_xform_iv_len(x));
	if ((rv = ike_sk_seal(&mw, x, iv)) != 0)
		return rv;
	s->n = 1;
	s->off[0] = 0;
	s->len[0] = (uint16_t)w.len;
	return 0;
}

static void
ike_req_arm(struct ike_sa *sa, int kind, uint8_t exch, uint64_t now_ms)
{
	struct ike_req *r = &sa->req;

	r->kind = kind;
	r->exch = exch;
	r->msg_id = sa->next_id;
	r->first_ms = now_ms;
	r->interval = sa->conf.retx_base_ms;
	r->next_ms = now_ms + r->interval;
	r->giveup_ms = now_ms + sa->conf.giveup_ms;
	r->nretx = 0;
	r->fast = IKE_FAST_NONE;
	if (sa->mv.fast != IKE_FAST_NONE)
		ike_req_fast(sa, now_ms);
	/* A shutdown waits for this one no longer than it said. */
	if (sa->shutdown)
		r->giveup_ms = IR_MIN(r->giveup_ms, sa->shutdown_until);
}

/* The first gap and the largest one of the fast timers. */
static uint32_t
ike_fast_first(const struct ike_sa *sa)
{
	return IR_MAX(IR_MIN((uint32_t)IKE_FAST_FIRST_MS,
	    sa->mv.budget_ms / 8), 10u);
}

static uint32_t
ike_fast_cap(const struct ike_sa *sa)
{
	return IR_MAX(sa->mv.budget_ms / 4, ike_fast_first(sa));
}

void
ike_req_fast(struct ike_sa *sa, uint64_t now_ms)
{
	struct ike_req *r = &sa->req;

	r->fast = sa->mv.fast;
	r->fast_from = now_ms;
	r->interval = ike_fast_first(sa);
	r->next_ms = now_ms + r->interval;
	r->giveup_ms = sa->mv.until_ms;		/* the caller's budget */
	if (sa->shutdown)
		r->giveup_ms = IR_MIN(r->giveup_ms, sa->shutdown_until);
}

int
ike_req_send(struct ike_sa *sa, int kind, uint8_t exch,
    struct ike_msg_wr *mw, uint64_t now_ms)
{
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .spi_r = sa->spi_r,
		.version = IKE_VERSION_2, .exch = exch,
		.flags = sa->orig_init ? IKE_FLAG_INITIATOR : 0,
		.msg_id = sa->next_id,
	};
	int rv;

	if (sa->req.kind != IKE_REQ_NONE)
		return IR_ERR_INTERNAL;		/* window 1: a caller bug */
	ike_log_chain(sa, "generating", exch, false, h.msg_id,
	    mw->first_type, mw->w->buf, mw->w->len);
	rv = ike_seal(sa, &h, mw, sa->b->req, sizeof(sa->b->req),
	    &sa->req.sent);
	ir_wipe(sa->b->plain, mw->w->len);
	if (rv != 0) {
		ike_log(sa, IR_LOG_DEBUG, "%s: cannot build %s request: %s",
		    __func__, ike_exch_name(exch), ir_strerror(rv));
		return rv;
	}
	if (sa->req.sent.n > 1)
		ike_log(sa, IR_LOG_DEBUG, "split %s request %u into %u "
		    "fragments", ike_exch_name(exch), h.msg_id,
		    sa->req.sent.n);
	ike_req_arm(sa, kind, exch, now_ms);
	ike_send_sent(sa, sa->b->req, &sa->req.sent);
	return 0;
}

int
ike_req_send_plain(struct ike_sa *sa, int kind, uint8_t exch, size_t len,
    uint64_t now_ms)
{
	if (sa->req.kind != IKE_REQ_NONE || len > sizeof(sa->b->req) ||
	    len > 0xffff)
		return IR_ERR_INTERNAL;
	memcpy(sa->b->req, sa->b->tx, len);
	sa->req.sent.n = 1;
	sa->req.sent.off[0] = 0;
	sa->req.sent.len[0] = (uint16_t)len;
	ike_req_arm(sa, kind, exch, now_ms);
	ike_send_sent(sa, sa->b->req, &sa->req.sent);
	return 0;
}

int
ike_resp_send(struct ike_sa *sa, uint8_t exch, uint32_t msg_id,
    struct ike_msg_wr *mw)
{
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .spi_r = sa->spi_r,
		.version = IKE_VERSION_2, .exch = exch,
		/* §3.1: the I flag marks the original initiator, always. */
		.flags = (sa->orig_init ? IKE_FLAG_INITIATOR : 0) |
		    IKE_FLAG_RESPONSE,
		.msg_id = msg_id,
	};
	int rv;

	ike_log_chain(sa, "generating", exch, true, msg_id, mw->first_type,
	    mw->w->buf, mw->w->len);
	rv = ike_seal(sa, &h, mw, sa->b->resp, sizeof(sa->b->resp),
	    &sa->resp_sent);
	ir_wipe(sa->b->plain, mw->w->len);
	/* The request is handled whether or not the answer could be built:
	 * the next one has the next ID (§2.2). */
	sa->peer_next_id = msg_id + 1;
	sa->resp_valid = rv == 0;
	sa->resp_id = msg_id;
	if (rv != 0)
		return rv;
	ike_send_sent(sa, sa->b->resp, &sa->resp_sent);
	return 0;
}

int
ike_resp_refuse(struct ike_sa *sa, const struct ike_msg *m, int rv)
{
	uint16_t type = IKE_N_INVALID_SYNTAX;
	struct ike_msg_wr mw;
	struct wire_wr w;
	uint8_t data = m->err_pld;
	char num[8];
	int err;

	if (m->err_notify == IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD)
		type = IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD;
	ike_log(sa, IR_LOG_INFO, "answering the gateway's %s request %u with "
	    "%s", ike_name_or_num(ike_exch_name(m->hdr.exch), m->hdr.exch,
	    num, sizeof(num)), m->hdr.msg_id, ike_notify_name(type));
	ike_chain_begin(sa, &mw, &w);
	/* §2.5: the data is the one-octet type of the payload. */
	if ((err = ike_pld_notify_build(&mw, 0, type, NULL, 0, &data,
	    type == IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD ? 1 : 0)) != 0 ||
	    (err = ike_resp_send(sa, m->hdr.exch, m->hdr.msg_id, &mw)) != 0)
		ike_log(sa, IR_LOG_DEBUG, "%s: %s", __func__,
		    ir_strerror(err));
	return rv;
}

int
ike_resp_resend(struct ike_sa *sa)
{
	ike_log(sa, IR_LOG_DEBUG, "received retransmit of request %u, "
	    "retransmitting response", sa->resp_id);
	ike_send_sent(sa, sa->b->resp, &sa->resp_sent);
	return 0;
}

void
ike_req_done(struct ike_sa *sa)
{
	if (sa->req.kind == IKE_REQ_NONE)
		return;
	sa->req.kind = IKE_REQ_NONE;
	sa->req.fast = IKE_FAST_NONE;
	sa->next_id = sa->req.msg_id + 1;
	/* An answer ends a fast check; a move goes on to its update. */
	if (!sa->mv.pending)
		sa->mv.fast = IKE_FAST_NONE;
}

int
ike_req_resend(struct ike_sa *sa, uint64_t now_ms)
{
	struct ike_req *r = &sa->req;

	if (r->kind == IKE_REQ_NONE)
		return 0;
	ike_log(sa, IR_LOG_DEBUG, "sending %s request %u again on the new "
	    "path", ike_exch_name(r->exch), r->msg_id);
	r->interval = sa->conf.retx_base_ms;
	r->next_ms = now_ms + r->interval;
	if (sa->mv.fast != IKE_FAST_NONE)
		ike_req_fast(sa, now_ms);
	ike_send_sent(sa, sa->b->req, &r->sent);
	return 0;
}

static int
ike_req_giveup(struct ike_sa *sa, uint64_t now_ms)
{
	int kind = sa->req.kind;
	unsigned secs = (unsigned)((now_ms - sa->req.first_ms + 500) / 1000);
	unsigned fsecs = (unsigned)((sa->mv.budget_ms + 500) / 1000);

	if (sa->shutdown)
		return ike_fail(sa, IR_ERR_CLOSED, 0, "connection closed (no "
		    "answer to request %u within %u s, so no Delete sent)",
		    sa->req.msg_id, secs);
	if (kind != IKE_REQ_DELETE && sa->req.fast == IKE_FAST_MOVE)
		return ike_fail(sa, IR_ERR_TIMEOUT, 0, "no answer on the new "
		    "path within %u s", fsecs);
	if (kind != IKE_REQ_DELETE && sa->req.fast == IKE_FAST_LIVENESS)
		return ike_fail(sa, IR_ERR_TIMEOUT, 0, "lost the gateway: no "
		    "answer to liveness checks for %u s", fsecs);
	/* ike_eap.c: the gateway refused the password and did not end
	 * EAP after our Failure Response: the login failed all the same. */
	if (kind == IKE_REQ_EAP && sa->eap_mschap_rejected)
		return ike_fail(sa, IR_ERR_AUTH, IKE_N_AUTHENTICATION_FAILED,
		    "the gateway rejected our EAP-MSCHAPv2 login: check the "
		    "EAP user name and password");
	switch (kind) {
	case IKE_REQ_DELETE:
		return ike_fail(sa, IR_ERR_CLOSED, 0, "connection closed "
		    "(the gateway did not confirm the Delete within %u s)",
		    secs);
	case IKE_REQ_DPD:
	case IKE_REQ_PATH:
	case IKE_REQ_MOBIKE:
		return ike_fail(sa, IR_ERR_TIMEOUT, 0, "lost the gateway: no "
		    "answer to liveness checks for %u s", secs);
	case IKE_REQ_INIT:
		return ike_fail(sa, IR_ERR_TIMEOUT, 0, "no answer from the "
		    "gateway after %u s: check the address, and whether UDP "
		    "ports 500 and 4500 are open", secs);
	default:
		return ike_fail(sa, IR_ERR_TIMEOUT, 0, "no answer from the "
		    "gateway after %u s", secs);
	}
}

int
ike_req_expire(struct ike_sa *sa, uint64_t now_ms)
{
	struct ike_req *r = &sa->req;

	if (r->kind == IKE_REQ_NONE)
		return 0;
	if (now_ms >= r->giveup_ms)
		return ike_req_giveup(sa, now_ms);
	if (sa->path.tcp || now_ms < r->next_ms)
		return 0;
	r->nretx++;
	ike_log(sa, IR_LOG_INFO, "retransmit %u of request with message ID "
	    "%u", r->nretx, r->msg_id);
	ike_send_sent(sa, sa->b->req, &r->sent);
	if (r->fast != IKE_FAST_NONE)
		r->interval = (uint32_t)IR_MIN(IR_MAX(now_ms - r->fast_from,
		    (uint64_t)ike_fast_first(sa)), (uint64_t)ike_fast_cap(sa));
	else
		r->interval = IR_MIN((uint64_t)r->interval * 2,
		    (uint64_t)sa->conf.retx_max_ms);
	r->next_ms = now_ms + r->interval;
	return 0;
}

uint64_t
ike_req_deadline(const struct ike_sa *sa)
{
	const struct ike_req *r = &sa->req;

	if (r->kind == IKE_REQ_NONE)
		return UINT64_MAX;
	return sa->path.tcp ? r->giveup_ms : IR_MIN(r->next_ms, r->giveup_ms);
}

/* ---- Payload lists for the log ------------------------------------- */

/* strongSwan's short notify names, so both logs read the same. */
static const struct {
	uint16_t	 type;
	const char	*name;
} ike_notify_short[] = {
	{ IKE_N_NAT_DETECTION_SOURCE_IP,	"NATD_S_IP" },
	{ IKE_N_NAT_DETECTION_DESTINATION_IP,	"NATD_D_IP" },
	{ IKE_N_IKEV2_FRAGMENTATION_SUPPORTED,	"FRAG_SUP" },
	{ IKE_N_SIGNATURE_HASH_ALGORITHMS,	"HASH_ALG" },
	{ IKE_N_HTTP_CERT_LOOKUP_SUPPORTED,	"HTTP_CERT_LOOK" },
	{ IKE_N_MOBIKE_SUPPORTED,		"MOBIKE_SUP" },
	{ IKE_N_INVALID_KE_PAYLOAD,		"INVAL_KE" },
	{ IKE_N_NO_PROPOSAL_CHOSEN,		"NO_PROP" },
	{ IKE_N_AUTHENTICATION_FAILED,		"AUTH_FAILED" },
	{ IKE_N_TS_UNACCEPTABLE,		"TS_UNACCEPT" },
	{ IKE_N_INITIAL_CONTACT,		"INIT_CONTACT" },
	{ IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED,	"ESP_TFC_PAD_N" },
	{ IKE_N_NON_FIRST_FRAGMENTS_ALSO,	"NON_FIRST_FRAG" },
	{ IKE_N_ADDITIONAL_IP4_ADDRESS,		"ADD_4_ADDR" },
	{ IKE_N_ADDITIONAL_IP6_ADDRESS,		"ADD_6_ADDR" },
	{ IKE_N_NO_ADDITIONAL_ADDRESSES,	"NO_ADD_ADDR" },
	{ IKE_N_CHILDLESS_IKEV2_SUPPORTED,	"CHDLESS_SUP" },
	{ IKE_N_MULTIPLE_AUTH_SUPPORTED,	"MULT_AUTH" },
	{ IKE_N_REDIRECT_SUPPORTED,		"REDIR_SUP" },
	{ IKE_N_EAP_ONLY_AUTHENTICATION,	"EAP_ONLY" },
	{ IKE_N_UPDATE_SA_ADDRESSES,		"UPD_SA_ADDR" },
	{ IKE_N_NO_ADDITIONAL_SAS,		"NO_ADD_SAS" },
	{ IKE_N_INTERNAL_ADDRESS_FAILURE,	"INT_ADDR_FAIL" },
	{ IKE_N_FAILED_CP_REQUIRED,		"FAIL_CP_REQ" },
	{ IKE_N_INVALID_SYNTAX,			"INVAL_SYN" },
	{ IKE_N_TEMPORARY_FAILURE,		"TEMP_FAIL" },
	{ IKE_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED, "MSG_ID_SYN_SUP" },
	{ IKE_N_USE_TRANSPORT_MODE,		"USE_TRANSP" },
};

static void
ike_log_notify(char *buf, size_t cap, size_t *pos, uint16_t type)
{
	const char *name = NULL;
	char num[8];
	size_t i;
	int n;

	for (i = 0; i < IR_ARRAY_LEN(ike_notify_short); i++)
		if (ike_notify_short[i].type == type)
			name = ike_notify_short[i].name;
	if (name == NULL)
		name = ike_name_or_num(ike_notify_name(type), type, num,
		    sizeof(num));
	n = snprintf(buf + *pos, cap - *pos, "N(%s) ", name);
	if (n > 0 && (size_t)n < cap - *pos)
		*pos += (size_t)n;
}

/* The EAP Type in payload lists, as strongSwan's logs name them. */
static const char *
ike_log_eap_type(uint8_t type)
{
	switch (type) {
	case 1: return "ID";
	case 2: return "NTF";
	case 3: return "NAK";
	case 6: return "GTC";
	case 13: return "TLS";
	case 26: return "MSCHAPV2";
	}
	return "?";
}

static void
ike_log_add(char *buf, size_t cap, size_t *pos, uint8_t type,
    const uint8_t *body, size_t len)
{
	const char *name;
	char num[8];
	int n = 0;

	if (type == IKE_PLD_NOTIFY && len >= 4) {
		ike_log_notify(buf, cap, pos, wire_get_u16(body + 2));
		return;
	}
	name = ike_name_or_num(ike_pld_name(type), type, num, sizeof(num));
	if (type == IKE_PLD_CP && len >= 1)
		n = snprintf(buf + *pos, cap - *pos, "%s ",
		    body[0] == IKE_CFG_REQUEST ? "CPRQ" :
		    body[0] == IKE_CFG_REPLY ? "CPRP" : "CP");
	else if (type == IKE_PLD_EAP && len >= 4)
		n = snprintf(buf + *pos, cap - *pos, "EAP/%s%s%s ",
		    body[0] == 1 ? "REQ" : body[0] == 2 ? "RES" :
		    body[0] == 3 ? "SUCC" : "FAIL", len >= 5 ? "/" : "",
		    len < 5 ? "" : ike_log_eap_type(body[4]));
	else
		n = snprintf(buf + *pos, cap - *pos, "%s ", name);
	if (n > 0 && (size_t)n < cap - *pos)
		*pos += (size_t)n;
}

static void
ike_log_line(const struct ike_sa *sa, const char *verb, uint8_t exch,
    bool response, uint32_t msg_id, const char *list)
{
	char num[8];

	ike_log(sa, IR_LOG_DEBUG, "%s %s %s %u [ %s]", verb,
	    ike_name_or_num(ike_exch_name(exch), exch, num, sizeof(num)),
	    response ? "response" : "request", msg_id, list);
}

void
ike_log_chain(const struct ike_sa *sa, const char *verb, uint8_t exch,
    bool response, uint32_t msg_id, uint8_t first_type, const uint8_t *p,
    size_t len)
{
	char list[384];
	size_t pos = 0;
	struct wire_rd r, body;
	uint8_t type = first_type, next, flags;
	uint16_t plen;

	list[0] = '\0';
	wire_rd_init(&r, p, len);
	while (type != IKE_PLD_NONE) {
		if (!wire_rd_u8(&r, &next) || !wire_rd_u8(&r, &flags) ||
		    !wire_rd_u16(&r, &plen) || plen < IKE_PLD_HDR_LEN ||
		    !wire_rd_sub(&r, plen - IKE_PLD_HDR_LEN, &body))
			break;
		ike_log_add(list, sizeof(list), &pos, type, body.p, body.left);
		type = next;
	}
	ike_log_line(sa, verb, exch, response, msg_id, list);
}

void
ike_log_msg(const struct ike_sa *sa, const char *verb, const struct ike_msg *m)
{
	const struct ike_pld_ref *ref;
	char list[384];
	size_t pos = 0, i;

	list[0] = '\0';
	for (i = 0; i < m->npld; i++) {
		ref = &m->pld[i];
		if (ref->type == IKE_PLD_SK || ref->type == IKE_PLD_SKF)
			continue;
		if (ref->type == IKE_PLD_NOTIFY)
			ike_log_notify(list, sizeof(list), &pos,
			    m->notify[ref->idx].type);
		else
			ike_log_add(list, sizeof(list), &pos, ref->type,
			    ref->body.p, ref->body.len);
	}
	ike_log_line(sa, verb, m->hdr.exch,
	    (m->hdr.flags & IKE_FLAG_RESPONSE) != 0, m->hdr.msg_id, list);
}
