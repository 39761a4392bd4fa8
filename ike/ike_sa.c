/*
 * ike/ike_sa.c: the life of one IKE SA as initiator (RFC 7296): made,
 * started, fed messages and time, closed.  Received messages are copied
 * into the SA's own buffer (the caller's is const and SK is decrypted
 * in place), parsed into struct ike_msg, matched against the exchange
 * in flight or the peer's next request ID (§2.2), decrypted, checked
 * against the payload rules, and handed to the file of their exchange.
 *
 * Every state change goes through ike_set_state(), whose table lists
 * the transitions our own code may make: the peer never chooses one, so
 * an illegal one is our bug and asserts.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_mschap.h"
#include "ike/ike_int.h"

#define BIT(s)	(1u << (s))

/* Default rekey times; interop runs build with shorter ones (-D). */
#ifndef IKE_IKE_REKEY_DEFAULT_MS
#define IKE_IKE_REKEY_DEFAULT_MS	(4u * 3600 * 1000)
#endif
#ifndef IKE_CHILD_REKEY_DEFAULT_MS
#define IKE_CHILD_REKEY_DEFAULT_MS	(3600u * 1000)
#endif

static const uint32_t ike_allowed[IKE_S_COUNT] = {
	[IKE_S_IDLE]		= BIT(IKE_S_INIT_SENT) | BIT(IKE_S_CLOSED),
	[IKE_S_INIT_SENT]	= BIT(IKE_S_INIT_SENT) /* COOKIE, INVALID_KE */ |
				  BIT(IKE_S_AUTH_SENT) | BIT(IKE_S_CLOSED),
	[IKE_S_AUTH_SENT]	= BIT(IKE_S_AUTH_SENT) /* EAP rounds */ |
				  BIT(IKE_S_ESTABLISHED) | BIT(IKE_S_CLOSED) |
				  BIT(IKE_S_DELETING) /* RFC 5685 §5 */,
	[IKE_S_ESTABLISHED]	= BIT(IKE_S_DELETING) | BIT(IKE_S_CLOSED),
	[IKE_S_DELETING]	= BIT(IKE_S_CLOSED),
	[IKE_S_CLOSED]		= 0,
};

static const char *const ike_state_names[IKE_S_COUNT] = {
#define X(n) [IKE_S_##n] = #n,
	IKE_STATE_MAP(X)
#undef X
};

const char *
ike_state_str(int state)
{
	if (state < 0 || state >= IKE_S_COUNT)
		return "?";
	return ike_state_names[state];
}

void
ike_log(const struct ike_sa *sa, int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (sa->cb.log == NULL || level > sa->log.max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* The short SPI: the first four octets of ours, as strongSwan's
	 * "ike[1]" names the SA a line is about. */
	ir_logf(&sa->log, level, "[%08x] %s", (unsigned)((sa->orig_init ?
	    sa->spi_i : sa->spi_r) >> 32), line);
}

void
ike_set_state(struct ike_sa *sa, int to)
{
	assert(to >= 0 && to < IKE_S_COUNT);
	assert(ike_allowed[sa->state] & BIT(to));
	if (sa->state != to)
		ike_log(sa, IR_LOG_DEBUG, "state %s -> %s",
		    ike_state_str(sa->state), ike_state_str(to));
	sa->state = to;
}

int
ike_fail(struct ike_sa *sa, int reason, uint16_t notify, const char *fmt, ...)
{
	struct ike_close_info info;
	va_list ap;
	size_t i;

	if (sa->closed_called)
		return reason;
	/* The contract: a fatal code, always, once closed() ran. */
	if (!ir_err_is_fatal(reason))
		reason = IR_ERR_INTERNAL;
	memset(&info, 0, sizeof(info));
	info.reason = reason;
	info.notify = notify;
	va_start(ap, fmt);
	vsnprintf(info.detail, sizeof(info.detail), fmt, ap);
	va_end(ap);
	/* RFC 5685 §5: after a REDIRECT in IKE_AUTH, the Delete's end. */
	if (sa->redirect_close) {
		info.redirect = sa->redirect_to;
		info.notify = IKE_N_REDIRECT;
		if (reason != IR_ERR_REDIRECT) {
			reason = info.reason = IR_ERR_REDIRECT;
			snprintf(info.detail, sizeof(info.detail), "the "
			    "gateway redirects us to another gateway");
		}
	}
	ike_log(sa, reason == IR_ERR_CLOSED ? IR_LOG_INFO : IR_LOG_DEBUG, "%s",
	    info.detail);
	ike_req_done(sa);
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		struct ike_child_sa *c = &sa->slot[i].sa;

		if (c->up && sa->cb.child_down != NULL)
			sa->cb.child_down(sa->ud, c->spi_in, reason);
		c->up = false;
	}
	ike_rekey_drop_all(sa, reason);
	ike_set_state(sa, IKE_S_CLOSED);
	sa->closed_called = true;
	if (sa->cb.closed != NULL)
		sa->cb.closed(sa->ud, &info);
	return reason;
}

void
ike_random(struct ike_sa *sa, uint8_t *buf, size_t len)
{
	sa->cb.random(sa->ud, buf, len);
}

/* Reject configurations the engine cannot run, before anything is sent. */
static int
ike_conf_check(const struct ike_conf *c, const struct ike_callbacks *cb)
{
	if (cb->send_msg == NULL || cb->random == NULL || cb->closed == NULL)
		return IR_ERR_CONFIG;
	if (c->ike.n_encr == 0 || c->ike.n_prf == 0 || c->ike.n_dh == 0 ||
	    c->esp.n_encr == 0)
		return IR_ERR_CONFIG;
	if (c->ike.n_encr > IKE_ALGS_MAX || c->ike.n_integ > IKE_ALGS_MAX ||
	    c->ike.n_prf > IKE_ALGS_MAX || c->ike.n_dh > IKE_ALGS_MAX ||
	    c->esp.n_encr > IKE_ALGS_MAX || c->esp.n_integ > IKE_ALGS_MAX ||
	    c->esp.n_dh > IKE_ALGS_MAX || c->esp.n_prf > IKE_ALGS_MAX)
		return IR_ERR_CONFIG;
	if (c->n_ts_local > IKE_TS_MAX || c->n_ts_remote > IKE_TS_MAX ||
	    c->local_id.len > IKE_ID_MAX || c->remote_id.len > IKE_ID_MAX ||
	    c->psk_len > IKE_PSK_MAX)
		return IR_ERR_CONFIG;
	switch (c->auth) {
	case IKE_CONF_AUTH_PSK:
		if (c->psk_len == 0 || c->local_id.type == 0)
			return IR_ERR_CONFIG;
		break;
	case IKE_CONF_AUTH_CERT:
		if (c->key == NULL || c->cert == NULL || c->trust == NULL)
			return IR_ERR_CONFIG;
		break;
	case IKE_CONF_AUTH_EAP:
		/* §2.16: the gateway proves itself with a certificate, or
		 * (RFC 5998) through a mutual method checked by |trust| or
		 * the password. */
		if (c->eap_identity[0] == '\0' || c->trust == NULL)
			return IR_ERR_CONFIG;
		switch (c->eap_method) {
		case 0:
		case IKE_EAP_MSCHAPV2:
			break;
		case IKE_EAP_TLS:
			if (c->key == NULL || c->cert == NULL)
				return IR_ERR_CONFIG;
			break;
		case IKE_EAP_GTC:
			/* RFC 5998 §4: only mutual methods without a
			 * gateway signature. */
			if (c->eap_only)
				return IR_ERR_CONFIG;
			break;
		default:
			return IR_ERR_CONFIG;
		}
		break;
	default:
		return IR_ERR_CONFIG;
	}
	return 0;
}

static void
ike_conf_defaults(struct ike_conf *c)
{
	if (c->retx_base_ms == 0)
		c->retx_base_ms = 1000;
	if (c->retx_max_ms == 0)
		c->retx_max_ms = 8000;
	if (c->retx_max_ms < c->retx_base_ms)
		c->retx_max_ms = c->retx_base_ms;
	if (c->giveup_ms == 0)
		c->giveup_ms = 30000;
	if (c->half_open_notify_ms == 0)
		c->half_open_notify_ms = 5000;
	if (c->dpd_ms == 0)
		c->dpd_ms = 30000;
	if (c->ike_rekey_ms == 0)
		c->ike_rekey_ms = IKE_IKE_REKEY_DEFAULT_MS;
	if (c->child_rekey_ms == 0)
		c->child_rekey_ms = IKE_CHILD_REKEY_DEFAULT_MS;
	if (c->fragment_mtu == 0)
		c->fragment_mtu = IKE_FRAG_MTU_DEFAULT;
	if (c->auth == IKE_CONF_AUTH_EAP && c->eap_method == 0)
		c->eap_method = IKE_EAP_MSCHAPV2;
	c->eap_identity[sizeof(c->eap_identity) - 1] = '\0';
	c->eap_password[sizeof(c->eap_password) - 1] = '\0';
}

int
ike_sa_new(struct ike_sa **out, const struct ike_conf *conf,
    const struct ike_path *path, const struct ike_callbacks *cb, void *ud,
    uint64_t now_ms)
{
	struct ike_sa *sa;
	size_t i;
	int rv;

	*out = NULL;
	if ((rv = ike_conf_check(conf, cb)) != 0)
		return rv;
	if ((sa = ir_calloc(1, sizeof(*sa))) == NULL)
		return IR_ERR_NOMEM;
	if ((sa->b = ir_calloc(1, sizeof(*sa->b))) == NULL) {
		ir_free(sa);
		return IR_ERR_NOMEM;
	}
	sa->conf = *conf;
	ike_conf_defaults(&sa->conf);
	sa->path = *path;
	sa->cb = *cb;
	sa->ud = ud;
	sa->log.fn = cb->log;
	sa->log.ud = ud;
	sa->log.max_level = IR_LOG_DEBUG;
	sa->state = IKE_S_IDLE;
	sa->orig_init = true;
	sa->ike_rekey_ms = UINT64_MAX;
	sa->dh_group = conf->ike.dh[0];
	sa->last_rx_ms = now_ms;
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		sa->slot[i].sa.rekey_ms = UINT64_MAX;
		sa->slot[i].create_ms = UINT64_MAX;
	}
	sa->slot[0].used = true;
	ike_slot_use(sa, 0);
	ike_frag_reasm_init(&sa->b->reasm);
	if (sa->conf.auth == IKE_CONF_AUTH_EAP &&
	    sa->conf.eap_method == IKE_EAP_MSCHAPV2 &&
	    (rv = crypto_mschap_new(&sa->mschap)) != 0) {
		ike_sa_free(sa);
		return rv;
	}
	*out = sa;
	return 0;
}

void
ike_sa_free(struct ike_sa *sa)
{
	if (sa == NULL)
		return;
	crypto_kex_free(sa->kex);
	crypto_kex_free(sa->rekey_kex);
	ike_rekey_old_clear(sa);
	crypto_xform_free(sa->tx);
	crypto_xform_free(sa->rx);
	crypto_mschap_free(sa->mschap);
	crypto_eaptls_free(sa->eaptls.tls);
	crypto_ike_keys_clear(&sa->keys);
	if (sa->b != NULL) {
		/* Decrypted messages and AUTH inputs may hold secrets. */
		ir_wipe(sa->b, sizeof(*sa->b));
		ir_free(sa->b);
	}
	ir_wipe(sa, sizeof(*sa));
	ir_free(sa);
}

int
ike_sa_start(struct ike_sa *sa, uint64_t now_ms)
{
	if (sa->state != IKE_S_IDLE)
		return IR_ERR_UNEXPECTED;
	return ike_init_send(sa, now_ms);
}

/*
 * Decrypt SK, or add an SKF fragment; |*done| false: wait for more.
 * |*authentic|: the message (or its last fragment) verified under
 * SK_ar/SK_er, whatever its inner chain holds.
 */
static int
ike_input_open(struct ike_sa *sa, struct ike_msg *m, bool *done,
    bool *authentic)
{
	struct ike_bufs *b = sa->b;
	struct ike_span plain;
	size_t len;
	uint8_t first;
	int rv;

	*done = true;
	*authentic = false;
	if (ike_msg_count(m, IKE_PLD_SK) != 0) {
		if ((rv = ike_sk_open(sa->rx, b->rx, m, &plain)) != 0) {
			m->err_why = rv == IR_ERR_DECRYPT ? "SK: ICV did not "
			    "verify" : "SK: lengths do not fit the transform";
			return rv;
		}
		*authentic = true;
		return ike_msg_parse_inner(m, m->sk.next_type, plain.p,
		    plain.len);
	}
	if (ike_msg_count(m, IKE_PLD_SKF) == 0) {
		m->err_why = "protected exchange without SK or SKF";
		return IR_ERR_MALFORMED;
	}
	/* RFC 7383 §2.6: verify each fragment before it is kept. */
	if ((rv = ike_sk_open(sa->rx, b->rx, m, &plain)) != 0)
		return rv;
	rv = ike_frag_reasm_add(&b->reasm, m->hdr.msg_id, &m->skf, plain.p,
	    plain.len, done);
	if (rv != 0 || !*done) {
		ike_log(sa, IR_LOG_DEBUG, "received fragment #%u of %u%s",
		    m->skf.num, m->skf.total, rv != 0 ? ", dropped" :
		    ", waiting for the rest");
		return rv;
	}
	if ((rv = ike_frag_reasm_take(&b->reasm, b->rx_inner,
	    sizeof(b->rx_inner), &len, &first)) != 0)
		return rv;
	*authentic = true;
	return ike_msg_parse_inner(m, first, b->rx_inner, len);
}

/* Is |m| the answer to our request, or the peer's next request? */
static int
ike_input_match(struct ike_sa *sa, const struct ike_msg *m, bool *resend)
{
	const struct ike_hdr *h = &m->hdr;

	*resend = false;
	if (h->spi_i != sa->spi_i)
		return IR_ERR_UNEXPECTED;
	if (h->flags & IKE_FLAG_RESPONSE) {
		/* §2.1: a late or duplicate answer matches nothing. */
		if (sa->req.kind == IKE_REQ_NONE ||
		    h->msg_id != sa->req.msg_id || h->exch != sa->req.exch)
			return IR_ERR_UNEXPECTED;
		if (sa->state != IKE_S_INIT_SENT && h->spi_r != sa->spi_r)
			return IR_ERR_UNEXPECTED;
		return 0;
	}
	/* A request from the gateway: only on an SA with keys, with the
	 * Initiator flag set only when it is the original initiator (after
	 * its rekey of the IKE SA, §3.1). */
	if (sa->rx == NULL || h->spi_r != sa->spi_r ||
	    ((h->flags & IKE_FLAG_INITIATOR) != 0) == sa->orig_init ||
	    h->exch == IKE_EXCH_IKE_SA_INIT)
		return IR_ERR_UNEXPECTED;
	if (sa->state != IKE_S_ESTABLISHED && sa->state != IKE_S_DELETING)
		return IR_ERR_UNEXPECTED;
	if (sa->resp_valid && h->msg_id == sa->resp_id) {
		*resend = true;		/* §2.1: answer it again */
		return 0;
	}
	if (h->msg_id != sa->peer_next_id)
		return IR_ERR_UNEXPECTED;
	return 0;
}

static int
ike_input_dispatch(struct ike_sa *sa, struct ike_msg *m,
    uint64_t now_ms)
{
	if (!(m->hdr.flags & IKE_FLAG_RESPONSE)) {
		switch (m->hdr.exch) {
		case IKE_EXCH_INFORMATIONAL:
			return ike_info_request(sa, m, now_ms);
		case IKE_EXCH_CREATE_CHILD_SA:
			return ike_rekey_request(sa, m, now_ms);
		}
		/* IKE_AUTH again, or an exchange we do not know. */
		m->err_why = "exchange not handled";
		return ike_resp_refuse(sa, m, IR_ERR_UNEXPECTED);
	}
	switch (sa->req.kind) {
	case IKE_REQ_AUTH:
	case IKE_REQ_EAP:
	case IKE_REQ_EAP_AUTH:
		return ike_auth_response(sa, m, now_ms);
	case IKE_REQ_REKEY_CHILD:
		return ike_rekey_response(sa, m, now_ms);
	case IKE_REQ_REKEY_IKE:
		return ike_rekey_ike_response(sa, m, now_ms);
	default:
		return ike_info_response(sa, m, now_ms);
	}
}

int
ike_sa_input(struct ike_sa *sa, const uint8_t *msg, size_t len,
    uint64_t now_ms)
{
	struct ike_msg *m = &sa->b->m;
	struct ike_old_ike *old;
	bool resend, done, authentic = false, request;
	int rv;

	if (sa->state == IKE_S_IDLE || sa->state == IKE_S_CLOSED)
		return IR_ERR_UNEXPECTED;
	/* b->rx and b->m hold the IKE_AUTH answer until peer_cert() is
	 * answered: nothing may overwrite them. */
	if (sa->cert_pending != 0)
		return IR_ERR_UNEXPECTED;
	if (len > sizeof(sa->b->rx) || len < IKE_HDR_LEN)
		return IR_ERR_MALFORMED;
	memcpy(sa->b->rx, msg, len);
	if ((rv = ike_msg_parse(m, sa->b->rx, len)) != 0) {
		ike_log(sa, IR_LOG_DEBUG, "%s: dropped: %s", __func__,
		    m->err_why != NULL ? m->err_why : ir_strerror(rv));
		return rv;
	}
	if ((old = ike_rekey_old_match(sa, &m->hdr)) != NULL)
		return ike_rekey_old_input(sa, old, m, now_ms);
	if ((rv = ike_input_match(sa, m, &resend)) != 0) {
		ike_log(sa, IR_LOG_DEBUG, "%s: dropped %s %s %u: not expected",
		    __func__, ike_exch_name(m->hdr.exch) ? ike_exch_name(
		    m->hdr.exch) : "?", m->hdr.flags & IKE_FLAG_RESPONSE ?
		    "response" : "request", m->hdr.msg_id);
		return rv;
	}
	request = !(m->hdr.flags & IKE_FLAG_RESPONSE);
	if (m->hdr.exch != IKE_EXCH_IKE_SA_INIT) {
		rv = ike_input_open(sa, m, &done, &authentic);
		if (authentic) {
			/* It decrypted under SK_er/SK_ar. */
			sa->last_rx_ms = now_ms;
			if (resend)
				return ike_resp_resend(sa);
		}
		if (rv != 0 || !done) {
			if (rv != 0)
				ike_log(sa, IR_LOG_DEBUG, "%s: dropped: %s",
				    __func__, m->err_why != NULL ?
				    m->err_why : ir_strerror(rv));
			/* Unauthenticated: dropped and counted (§2.21). */
			if (rv != 0 && authentic && request)
				return ike_resp_refuse(sa, m, rv);
			return rv;
		}
	}
	ike_log_msg(sa, "parsed", m);
	if ((rv = ike_msg_check_rules(m)) != 0) {
		ike_log(sa, IR_LOG_DEBUG, "%s: dropped: %s", __func__,
		    m->err_why != NULL ? m->err_why : ir_strerror(rv));
		if (request && authentic)
			return ike_resp_refuse(sa, m, rv);
		return rv;
	}
	if (m->hdr.exch == IKE_EXCH_IKE_SA_INIT)
		rv = ike_init_response(sa, m, now_ms);
	else
		rv = ike_input_dispatch(sa, m, now_ms);
	/* A move, or the Delete of a shutdown, waits for the request in
	 * flight (ike_mobike.c, ike_info.c). */
	rv = ike_mobike_continue(sa, rv, now_ms);
	return ike_info_continue(sa, rv, now_ms);
}

uint64_t
ike_sa_deadline(const struct ike_sa *sa)
{
	uint64_t at;

	if (sa->state == IKE_S_IDLE || sa->state == IKE_S_CLOSED)
		return UINT64_MAX;
	at = ike_req_deadline(sa);
	if (sa->early_notify != 0)
		at = IR_MIN(at, sa->early_until);
	at = IR_MIN(at, ike_rekey_old_deadline(sa));
	return IR_MIN(at, ike_info_deadline(sa));
}

int
ike_sa_expire(struct ike_sa *sa, uint64_t now_ms)
{
	int rv;

	if (sa->state == IKE_S_IDLE || sa->state == IKE_S_CLOSED)
		return 0;
	/* §2.21: the error notify stood unanswered; believe it now. */
	if (sa->early_notify != 0 && now_ms >= sa->early_until)
		return ike_init_early_fail(sa);
	if ((rv = ike_req_expire(sa, now_ms)) != 0)
		return rv;
	if ((rv = ike_rekey_old_expire(sa, now_ms)) != 0)
		return rv;
	if ((rv = ike_mobike_continue(sa, 0, now_ms)) != 0)
		return rv;
	if ((rv = ike_info_continue(sa, 0, now_ms)) != 0)
		return rv;
	return ike_info_expire(sa, now_ms);
}

void
ike_sa_traffic_seen(struct ike_sa *sa, uint64_t now_ms)
{
	if (now_ms > sa->last_rx_ms)
		sa->last_rx_ms = now_ms;
}

const char *
ike_sa_state_name(const struct ike_sa *sa)
{
	return ike_state_str(sa->state);
}

bool
ike_sa_established(const struct ike_sa *sa)
{
	return sa->state == IKE_S_ESTABLISHED;
}
