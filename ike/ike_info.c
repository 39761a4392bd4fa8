/*
 * ike/ike_info.c: the INFORMATIONAL exchange, RFC 7296 §1.4, both ways.
 *
 * The gateway's requests we answer:
 *   HDR, SK { }                 -->  HDR, SK { }          liveness (§1.4)
 *   HDR, SK { D(ESP, SPIs) }    -->  HDR, SK { D(ESP, ours) }   §1.4.1
 *   HDR, SK { D(IKE) }          -->  HDR, SK { }   and the SA is gone
 *   HDR, SK { N(...) }          -->  HDR, SK { }   unknown status: ignored
 *   HDR, SK { N(AUTH_LIFETIME) } -->  HDR, SK { }  RFC 4478, to the caller
 *   HDR, SK { N(UPDATE_SA_ADDRESSES), N(COOKIE2), ... }  -->
 *                               HDR, SK { N(NATD_*), N(COOKIE2) }
 *                               MOBIKE, ike_mobike.c
 *
 * Our own:
 *   - a liveness check after dpd_ms without authenticated input (§2.4);
 *     its give-up ends the SA;
 *   - D(IKE) on shutdown: §1.4.1 says deleting the IKE SA deletes its
 *     Child SAs, so one Delete is enough; we close when the answer
 *     comes, or after a short wait;
 *   - after a path change: the outstanding request again, or an empty
 *     INFORMATIONAL so the gateway learns the new TCP connection (RFC
 *     9329 §6.1) or address, or UPDATE_SA_ADDRESSES with MOBIKE
 *     (RFC 4555 §3.5).
 */
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_int.h"

/* D(ESP) from the gateway: its inbound SPIs, our outbound ones. */
static int
ike_info_delete_esp(struct ike_sa *sa, const struct ike_pld_delete *d,
    uint8_t *ours, uint16_t *nours)
{
	struct ike_child_slot *s;
	uint32_t spi, in;
	uint16_t i;

	if (d->spi_size != 4 || d->spis.len != (size_t)d->nspi * 4)
		return IR_ERR_MALFORMED;
	for (i = 0; i < d->nspi && *nours < 8; i++) {
		spi = wire_get_u32(d->spis.p + 4 * i);
		if ((s = ike_slot_find(sa, spi, true)) != NULL)
			wire_put_u32(ours + 4 * (*nours)++, s->sa.spi_in);
		/* §2.8: the SA a rekey replaced, or a collision's loser. */
		else if (ike_rekey_old_gone(sa, spi, &in))
			wire_put_u32(ours + 4 * (*nours)++, in);
		/* §1.4.1: unknown SPIs are ignored. */
	}
	return 0;
}

static bool
ike_info_listed(const uint8_t *spis, uint16_t n, uint32_t spi)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		if (wire_get_u32(spis + 4 * i) == spi)
			return true;
	return false;
}

static void
ike_info_redirected(struct ike_sa *sa, const struct ike_gw_id *to)
{
	char name[64];

	ike_redirect_name(to, name, sizeof(name));
	if (!sa->conf.redirect || sa->cb.redirect == NULL) {
		ike_log(sa, IR_LOG_INFO, "ignoring the gateway's REDIRECT to "
		    "%s: not enabled", name);
		return;
	}
	ike_log(sa, IR_LOG_INFO, "the gateway redirects us to %s", name);
	sa->cb.redirect(sa->ud, to);
}

int
ike_info_request(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	uint8_t ours[4 * 8];
	uint16_t nours = 0;
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_gw_id to;
	bool delete_ike = false;
	size_t i;
	int rv, redir;

	/* §2.21.3: authenticated, so INVALID_SYNTAX. */
	if (ike_mobike_check(sa, m) != 0 ||
	    (redir = ike_redirect_info(m, &to)) == IR_ERR_MALFORMED)
		return ike_resp_refuse(sa, m, IR_ERR_MALFORMED);
	for (i = 0; i < m->ndel; i++) {
		if (m->del[i].proto == IKE_PROTO_IKE)
			delete_ike = true;
		else if (m->del[i].proto == IKE_PROTO_ESP &&
		    ike_info_delete_esp(sa, &m->del[i], ours, &nours) != 0)
			return ike_resp_refuse(sa, m, IR_ERR_MALFORMED);
	}
	for (i = 0; i < m->nnotify; i++)
		if (m->notify[i].type != IKE_N_REDIRECT &&
		    m->notify[i].type != IKE_N_AUTH_LIFETIME &&
		    (!sa->peer_mobike ||
		    !ike_mobike_notify(m->notify[i].type)))
			ike_log(sa, IR_LOG_DEBUG, "ignoring N(%u) in the "
			    "gateway's INFORMATIONAL", m->notify[i].type);
	ike_chain_begin(sa, &mw, &w);
	if (!delete_ike && nours != 0 && (rv = ike_pld_delete_build(&mw,
	    IKE_PROTO_ESP, 4, nours, ours)) != 0)
		return rv;
	if (!delete_ike && (rv = ike_mobike_answer(sa, m, &mw)) != 0)
		return rv;
	rv = ike_resp_send(sa, IKE_EXCH_INFORMATIONAL, m->hdr.msg_id, &mw);
	/* §2.8.2: the SA its rekey replaced, when ours crossed it. */
	if (delete_ike && ike_rekey_ike_coll_delete(sa, now_ms))
		return rv;
	if (delete_ike)
		return ike_fail(sa, IR_ERR_CLOSED, 0, "the gateway closed the "
		    "connection");
	for (i = 0; nours != 0 && i < IKE_CHILD_MAX; i++) {
		if (!sa->slot[i].sa.up || !ike_info_listed(ours, nours,
		    sa->slot[i].sa.spi_in))
			continue;
		ike_slot_use(sa, i);
		ike_log(sa, IR_LOG_INFO, "the gateway deleted CHILD_SA "
		    "%08x_i %08x_o", sa->child->spi_in, sa->child->spi_out);
		ike_rekey_child_lost(sa, now_ms);
	}
	if (rv == 0)
		rv = ike_rekey_create_due(sa, now_ms);
	/* RFC 5685 §6: answered; the caller builds the new SA first. */
	if (rv == 0 && redir == 0)
		ike_info_redirected(sa, &to);
	if (rv == 0)
		ike_auth_lifetime(sa, m);	/* RFC 4478 */
	return rv;
}

int
ike_info_response(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	int kind = sa->req.kind;

	if (kind == IKE_REQ_MOBIKE)
		return ike_mobike_response(sa, m, now_ms);
	ike_req_done(sa);
	switch (kind) {
	case IKE_REQ_PATH:
		ike_mobike_path_answered(sa);
		break;
	case IKE_REQ_DELETE:
		return ike_fail(sa, IR_ERR_CLOSED, 0, "connection closed");
	case IKE_REQ_DELETE_CHILD:
		ike_rekey_deleted(sa);
		break;
	default:
		break;
	}
	sa->last_rx_ms = now_ms;
	return 0;
}

int
ike_info_send_empty(struct ike_sa *sa, int kind, uint64_t now_ms)
{
	struct ike_msg_wr mw;
	struct wire_wr w;

	ike_chain_begin(sa, &mw, &w);
	return ike_req_send(sa, kind, IKE_EXCH_INFORMATIONAL, &mw, now_ms);
}

int
ike_info_expire(struct ike_sa *sa, uint64_t now_ms)
{
	size_t i;
	int rv;

	if (sa->state != IKE_S_ESTABLISHED || sa->req.kind != IKE_REQ_NONE)
		return 0;
	/* Replaced Child SAs first, then our rekeys, then liveness. */
	if (now_ms >= ike_rekey_deadline(sa))
		return ike_rekey_expire(sa, now_ms);
	if (!ike_rekey_ike_busy(sa) && now_ms >= sa->ike_rekey_ms)
		return ike_rekey_ike_start(sa, now_ms);
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->slot[i].sa.up && now_ms >= sa->slot[i].sa.rekey_ms)
			return ike_sa_rekey_child(sa, sa->slot[i].sa.spi_in,
			    now_ms);
	if ((rv = ike_rekey_create_due(sa, now_ms)) != 0 ||
	    sa->req.kind != IKE_REQ_NONE)
		return rv;
	if (sa->conf.dpd_ms != UINT32_MAX &&
	    now_ms >= sa->last_rx_ms + sa->conf.dpd_ms) {
		ike_log(sa, IR_LOG_DEBUG, "no traffic for %u ms, checking "
		    "liveness", sa->conf.dpd_ms);
		return ike_info_send_empty(sa, IKE_REQ_DPD, now_ms);
	}
	return 0;
}

uint64_t
ike_info_deadline(const struct ike_sa *sa)
{
	uint64_t at = UINT64_MAX;
	size_t i;

	if (sa->state != IKE_S_ESTABLISHED || sa->req.kind != IKE_REQ_NONE)
		return at;
	if (sa->conf.dpd_ms != UINT32_MAX)
		at = sa->last_rx_ms + sa->conf.dpd_ms;
	for (i = 0; i < IKE_CHILD_MAX; i++) {
		if (!sa->slot[i].used)
			continue;
		at = IR_MIN(at, sa->slot[i].sa.up ? sa->slot[i].sa.rekey_ms :
		    sa->slot[i].create_ms);
	}
	if (!ike_rekey_ike_busy(sa))
		at = IR_MIN(at, sa->ike_rekey_ms);
	return IR_MIN(at, ike_rekey_deadline(sa));
}

int
ike_sa_check_liveness(struct ike_sa *sa, uint64_t now_ms)
{
	if (sa->state != IKE_S_ESTABLISHED)
		return sa->state == IKE_S_CLOSED ? IR_ERR_UNEXPECTED : 0;
	if (sa->req.kind != IKE_REQ_NONE)
		return ike_req_resend(sa, now_ms);
	return ike_info_send_empty(sa, IKE_REQ_DPD, now_ms);
}

/* D(IKE) with the next message ID; the window must be free (§2.3). */
int
ike_info_delete(struct ike_sa *sa, uint64_t now_ms)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	int rv;

	sa->shutdown = false;
	ike_set_state(sa, IKE_S_DELETING);
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_delete_build(&mw, IKE_PROTO_IKE, 0, 0, NULL)) != 0 ||
	    (rv = ike_req_send(sa, IKE_REQ_DELETE, IKE_EXCH_INFORMATIONAL, &mw,
	    now_ms)) != 0)
		return ike_fail(sa, IR_ERR_CLOSED, 0, "connection closed "
		    "(could not send the Delete: %s)", ir_strerror(rv));
	sa->req.giveup_ms = now_ms + IR_MIN(sa->conf.giveup_ms,
	    IKE_SHUTDOWN_WAIT_MS);
	return 0;
}

int
ike_sa_shutdown(struct ike_sa *sa, uint64_t now_ms)
{
	switch (sa->state) {
	case IKE_S_CLOSED:
		return IR_ERR_UNEXPECTED;
	case IKE_S_DELETING:
		return 0;
	case IKE_S_ESTABLISHED:
		break;
	default:
		return ike_fail(sa, IR_ERR_CLOSED, 0, "closed before the "
		    "connection was up");
	}
	/* No move goes on: the Delete is the last request. */
	sa->mv.pending = false;
	sa->mv.confirm = false;
	if (sa->shutdown)
		return 0;
	if (sa->req.kind == IKE_REQ_NONE)
		return ike_info_delete(sa, now_ms);
	/*
	 * Window 1 (§2.3): the request in flight holds the window and the
	 * Delete takes the ID after it, so it waits for that answer, at
	 * most IKE_SHUTDOWN_WAIT_MS (ike_req_giveup() then closes without
	 * a Delete: no ID is free for one).
	 */
	ike_log(sa, IR_LOG_DEBUG, "closing: the Delete waits for the answer "
	    "to request %u", sa->req.msg_id);
	sa->shutdown = true;
	sa->shutdown_until = now_ms + IKE_SHUTDOWN_WAIT_MS;
	sa->req.giveup_ms = IR_MIN(sa->req.giveup_ms, sa->shutdown_until);
	return 0;
}

int
ike_info_continue(struct ike_sa *sa, int rv, uint64_t now_ms)
{
	int d;

	if (!sa->shutdown || ir_err_is_fatal(rv) ||
	    sa->state != IKE_S_ESTABLISHED || sa->req.kind != IKE_REQ_NONE)
		return rv;
	d = ike_info_delete(sa, now_ms);
	return d != 0 ? d : rv;
}

int
ike_sa_path_changed(struct ike_sa *sa, const struct ike_path *path,
    uint64_t now_ms)
{
	bool was_tcp = sa->path.tcp;
	/* One line per real move: a TCP connection re-opened on the same
	 * addresses (RFC 9329 §6.1) is only a new local port. */
	bool moved = was_tcp != path->tcp || sa->path.family != path->family ||
	    memcmp(sa->path.local_addr, path->local_addr,
	    sizeof(path->local_addr)) != 0 ||
	    memcmp(sa->path.remote_addr, path->remote_addr,
	    sizeof(path->remote_addr)) != 0;

	sa->path = *path;
	ike_log(sa, moved ? IR_LOG_INFO : IR_LOG_DEBUG, "path changed: now "
	    "over %s%s", path->tcp ? "TCP" : "UDP", was_tcp != path->tcp ?
	    " (transport switched)" : "");
	switch (sa->state) {
	case IKE_S_INIT_SENT:
	case IKE_S_AUTH_SENT:
	case IKE_S_DELETING:
		return ike_req_resend(sa, now_ms);
	case IKE_S_ESTABLISHED:
		break;
	default:
		return 0;
	}
	/* RFC 9329 §6.1: the gateway takes the new connection for this SA
	 * when an authenticated message arrives on it. */
	if (sa->req.kind != IKE_REQ_NONE)
		return ike_req_resend(sa, now_ms);
	if (!path->tcp && sa->conf.mobike && sa->peer_mobike) {
		sa->mv.confirm = true;
		return ike_mobike_send_update(sa, now_ms);
	}
	return ike_info_send_empty(sa, IKE_REQ_PATH, now_ms);
}
