/*
 * ike/ike_mobike.c: MOBIKE (RFC 4555) as the initiator, and the fast
 * liveness check.
 *
 * Our move (ike_sa_move()), RFC 4555 §3.5 and §3.8:
 *   INFORMATIONAL { N(UPDATE_SA_ADDRESSES), N(NATD_S_IP), N(NATD_D_IP),
 *                   N(COOKIE2) }  -->
 *                              <--  { N(NATD_S_IP), N(NATD_D_IP), N(COOKIE2) }
 * Without MOBIKE, or over TCP, an empty INFORMATIONAL from the new path
 * is the news (RFC 7296 §2.23, RFC 9329 §6.1).  Window 1 (RFC 7296
 * §2.3): a request in flight is sent again on the new path first and
 * the update follows its answer.  A rekey or liveness request in flight
 * is treated the same way: it keeps its message ID (the gateway may
 * have answered it already, so it must not be replaced by another
 * request), and a rekey's own follow-up (the Delete of the old Child
 * SA) goes before the update.
 *
 * The gateway's requests (it is the responder of the IKE SA, so it does
 * not move it, §3.1, but it may check return routability, §3.8, and
 * tell us its addresses, §3.4):
 *   INFORMATIONAL { [N(UPDATE_SA_ADDRESSES)], [N(NATD_*)], [N(COOKIE2)],
 *                   [N(ADDITIONAL_IP4/6_ADDRESS)...] | [N(NO_ADD_ADDR)] }
 *                              -->  { [N(NATD_*)], [N(COOKIE2)] }
 * Notify data are checked before anything is used: COOKIE2 8..64
 * octets, ADDITIONAL_IP4_ADDRESS 4, ADDITIONAL_IP6_ADDRESS 16, NAT-D 20
 * (SHA-1); a request that breaks one is answered N(INVALID_SYNTAX)
 * (RFC 7296 §2.21.3, §3.10.1: it is authenticated) and counted.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"

#define IKE_NATD_LEN	20

bool
ike_mobike_notify(uint16_t type)
{
	switch (type) {
	case IKE_N_UPDATE_SA_ADDRESSES:
	case IKE_N_COOKIE2:
	case IKE_N_ADDITIONAL_IP4_ADDRESS:
	case IKE_N_ADDITIONAL_IP6_ADDRESS:
	case IKE_N_NO_ADDITIONAL_ADDRESSES:
	case IKE_N_NAT_DETECTION_SOURCE_IP:
	case IKE_N_NAT_DETECTION_DESTINATION_IP:
		return true;
	}
	return false;
}

static bool
ike_mobike_on(const struct ike_sa *sa)
{
	return sa->conf.mobike && sa->peer_mobike;
}

/* Are the data of the MOBIKE notify |n| of a valid length? */
static bool
ike_mobike_len_ok(const struct ike_pld_notify *n)
{
	switch (n->type) {
	case IKE_N_COOKIE2:
		return n->data.len >= IKE_COOKIE2_MIN &&
		    n->data.len <= IKE_COOKIE2_MAX;
	case IKE_N_ADDITIONAL_IP4_ADDRESS:
		return n->data.len == 4;
	case IKE_N_ADDITIONAL_IP6_ADDRESS:
		return n->data.len == 16;
	case IKE_N_NAT_DETECTION_SOURCE_IP:
	case IKE_N_NAT_DETECTION_DESTINATION_IP:
		return n->data.len == IKE_NATD_LEN;
	}
	return true;	/* UPDATE_SA_ADDRESSES, NO_ADD_ADDR: data unused */
}

static int
ike_mobike_lengths(struct ike_sa *sa, const struct ike_msg *m,
    const char *what)
{
	size_t i;

	for (i = 0; i < m->nnotify; i++) {
		if (!ike_mobike_notify(m->notify[i].type) ||
		    ike_mobike_len_ok(&m->notify[i]))
			continue;
		sa->mv.n_malformed++;
		ike_log(sa, IR_LOG_DEBUG, "%s: %s: N(%u) with %zu octets of "
		    "data (%u such so far)", __func__, what,
		    m->notify[i].type, m->notify[i].data.len,
		    sa->mv.n_malformed);
		return IR_ERR_MALFORMED;
	}
	return 0;
}

/* §3.4: any address notify replaces the list; NO_ADD_ADDR empties it. */
static void
ike_mobike_addrs(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pld_notify *n;
	struct ike_addr *a;
	bool seen = false;
	size_t i;

	for (i = 0; i < m->nnotify; i++) {
		n = &m->notify[i];
		if (n->type != IKE_N_ADDITIONAL_IP4_ADDRESS &&
		    n->type != IKE_N_ADDITIONAL_IP6_ADDRESS &&
		    n->type != IKE_N_NO_ADDITIONAL_ADDRESSES)
			continue;
		if (!seen)
			sa->mv.npeer = 0;
		seen = true;
		if (n->type == IKE_N_NO_ADDITIONAL_ADDRESSES ||
		    sa->mv.npeer == IKE_PEER_ADDR_MAX)
			continue;
		a = &sa->mv.peer[sa->mv.npeer++];
		memset(a, 0, sizeof(*a));
		a->family = n->type == IKE_N_ADDITIONAL_IP4_ADDRESS ? 4 : 6;
		memcpy(a->addr, n->data.p, n->data.len);
	}
	if (seen)
		ike_log(sa, IR_LOG_DEBUG, "the gateway has %u more "
		    "address%s", sa->mv.npeer, sa->mv.npeer == 1 ? "" : "es");
}

void
ike_mobike_auth(struct ike_sa *sa, const struct ike_msg *m)
{
	/* A bad address list is left out; the tunnel does not need it. */
	if (!ike_mobike_on(sa) ||
	    ike_mobike_lengths(sa, m, "IKE_AUTH response") != 0)
		return;
	ike_mobike_addrs(sa, m);
}

/* ---- Our move ---------------------------------------------------------- */

int
ike_mobike_send_update(struct ike_sa *sa, uint64_t now_ms)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	int rv;

	/* §3.8: fresh for every update, so an old answer cannot pass. */
	ike_random(sa, sa->mv.cookie2, sizeof(sa->mv.cookie2));
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_notify_build(&mw, 0, IKE_N_UPDATE_SA_ADDRESSES,
	    NULL, 0, NULL, 0)) != 0 ||
	    (rv = ike_natd_build(sa, &mw, sa->spi_r)) != 0 ||
	    (rv = ike_pld_notify_build(&mw, 0, IKE_N_COOKIE2, NULL, 0,
	    sa->mv.cookie2, sizeof(sa->mv.cookie2))) != 0)
		return rv;
	return ike_req_send(sa, IKE_REQ_MOBIKE, IKE_EXCH_INFORMATIONAL, &mw,
	    now_ms);
}

/* The news of a move: the update with MOBIKE over UDP, else empty. */
static int
ike_mobike_tell(struct ike_sa *sa, uint64_t now_ms)
{
	int rv;

	sa->mv.pending = false;
	sa->mv.confirm = true;
	if (!sa->path.tcp && ike_mobike_on(sa))
		rv = ike_mobike_send_update(sa, now_ms);
	else
		rv = ike_info_send_empty(sa, IKE_REQ_PATH, now_ms);
	if (rv != 0)
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "cannot tell the "
		    "gateway our new address: %s", ir_strerror(rv));
	return 0;
}

static void
ike_mobike_moved(struct ike_sa *sa)
{
	sa->mv.confirm = false;
	ike_log(sa, IR_LOG_INFO, "the gateway confirmed our new path%s%s",
	    sa->nat_local ? ", we are behind a NAT" : "",
	    sa->nat_remote ? ", the gateway is behind a NAT" : "");
	if (sa->cb.moved != NULL)
		sa->cb.moved(sa->ud, sa->nat_local, sa->nat_remote);
}

void
ike_mobike_path_answered(struct ike_sa *sa)
{
	if (sa->mv.confirm)
		ike_mobike_moved(sa);
}

/* §3.5, §3.9: the gateway will not take the new addresses. */
static bool
ike_mobike_refusal(uint16_t type)
{
	return type == IKE_N_UNACCEPTABLE_ADDRESSES ||
	    type == IKE_N_UNEXPECTED_NAT_DETECTED ||
	    type == IKE_N_NO_NATS_ALLOWED;
}

static bool
ike_mobike_cookie_ok(const struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pld_notify *n;
	size_t i;

	for (i = 0; i < m->nnotify; i++) {
		n = &m->notify[i];
		if (n->type == IKE_N_COOKIE2 &&
		    n->data.len == sizeof(sa->mv.cookie2) &&
		    ir_memeq_ct(n->data.p, sa->mv.cookie2,
		    sizeof(sa->mv.cookie2)) == 0)
			return true;
	}
	return false;
}

/* NAT detection on the new path (§3.5); none in the answer: unchanged. */
static int
ike_mobike_nat(struct ike_sa *sa, const struct ike_msg *m)
{
	bool found;

	return ike_natd_detect(sa, m, &found);
}

int
ike_mobike_response(struct ike_sa *sa, const struct ike_msg *m,
    uint64_t now_ms)
{
	char num[8];
	uint16_t type;
	size_t i;
	int rv;

	(void)now_ms;
	for (i = 0; i < m->nnotify; i++) {
		type = m->notify[i].type;
		if (!ike_mobike_refusal(type))
			continue;
		return ike_fail(sa, IR_ERR_CLOSED, type, "the gateway refused "
		    "our new address (%s): a new session is needed",
		    ike_name_or_num(ike_notify_name(type), type, num,
		    sizeof(num)));
	}
	if (!ike_mobike_cookie_ok(sa, m)) {
		/* §3.8: not an answer to this update; keep asking. */
		sa->mv.n_forged++;
		ike_log(sa, IR_LOG_INFO, "ignoring an answer to "
		    "UPDATE_SA_ADDRESSES without our COOKIE2 (%u so far)",
		    sa->mv.n_forged);
		return IR_ERR_UNEXPECTED;
	}
	if ((rv = ike_mobike_lengths(sa, m, "UPDATE_SA_ADDRESSES "
	    "answer")) != 0)
		return rv;
	if ((rv = ike_mobike_nat(sa, m)) != 0)
		return ike_fail(sa, IR_ERR_CRYPTO, 0, "NAT detection failed: "
		    "%s", ir_strerror(rv));
	ike_req_done(sa);
	if (sa->mv.confirm)
		ike_mobike_moved(sa);
	return 0;
}

int
ike_mobike_continue(struct ike_sa *sa, int rv, uint64_t now_ms)
{
	if (ir_err_is_fatal(rv) || !sa->mv.pending ||
	    sa->state != IKE_S_ESTABLISHED || sa->req.kind != IKE_REQ_NONE)
		return rv;
	/* The path answered: the update gets a budget of its own. */
	sa->mv.until_ms = now_ms + sa->mv.budget_ms;
	return ike_mobike_tell(sa, now_ms);
}

static bool
ike_path_same(const struct ike_path *a, const struct ike_path *b)
{
	return a->family == b->family && a->tcp == b->tcp &&
	    a->local_port == b->local_port && a->remote_port == b->remote_port &&
	    memcmp(a->local_addr, b->local_addr, sizeof(a->local_addr)) == 0 &&
	    memcmp(a->remote_addr, b->remote_addr, sizeof(a->remote_addr)) == 0;
}

int
ike_sa_move(struct ike_sa *sa, const struct ike_path *path,
    uint32_t budget_ms, uint64_t now_ms)
{
	bool same = ike_path_same(&sa->path, path);

	if (sa->state == IKE_S_CLOSED)
		return IR_ERR_UNEXPECTED;
	sa->path = *path;
	if (sa->state == IKE_S_DELETING) {
		ike_log(sa, IR_LOG_INFO, "closing: sending our Delete again "
		    "on the new path over %s", path->tcp ? "TCP" : "UDP");
		return ike_req_resend(sa, now_ms);
	}
	/* The same path again: the caller checks it (and, with MOBIKE,
	 * re-syncs a NAT mapping that changed under us). */
	ike_log(sa, same ? IR_LOG_DEBUG : IR_LOG_INFO, "%s over %s; telling "
	    "the gateway (%s)", same ? "checking our path" :
	    "moved to a new path", path->tcp ? "TCP" : "UDP", !path->tcp &&
	    ike_mobike_on(sa) ? "MOBIKE" : "empty INFORMATIONAL");
	switch (sa->state) {
	case IKE_S_IDLE:
		return 0;
	}
	sa->mv.fast = IKE_FAST_MOVE;
	sa->mv.budget_ms = budget_ms != 0 ? budget_ms : sa->conf.giveup_ms;
	sa->mv.until_ms = now_ms + sa->mv.budget_ms;
	sa->mv.pending = true;
	if (sa->req.kind != IKE_REQ_NONE) {
		/* Window 1: this one again first, on the new path. */
		return ike_req_resend(sa, now_ms);
	}
	return ike_mobike_continue(sa, 0, now_ms);
}

int
ike_sa_check_liveness_within(struct ike_sa *sa, uint32_t budget_ms,
    uint64_t now_ms)
{
	uint64_t until;

	if (sa->state == IKE_S_CLOSED)
		return IR_ERR_UNEXPECTED;
	if (sa->state == IKE_S_IDLE || sa->state == IKE_S_DELETING)
		return 0;
	if (budget_ms == 0)
		budget_ms = sa->conf.giveup_ms;
	until = now_ms + budget_ms;
	if (sa->mv.fast == IKE_FAST_NONE) {
		sa->mv.fast = IKE_FAST_LIVENESS;
		sa->mv.budget_ms = budget_ms;
		sa->mv.until_ms = until;
	} else {
		sa->mv.until_ms = IR_MIN(sa->mv.until_ms, until);
	}
	ike_log(sa, IR_LOG_DEBUG, "checking liveness within %u ms",
	    budget_ms);
	if (sa->req.kind == IKE_REQ_NONE)
		return ike_info_send_empty(sa, IKE_REQ_DPD, now_ms);
	if (sa->path.tcp) {
		/* RFC 9329 §2.2: a live stream delivers it; only wait less. */
		if (sa->req.fast == IKE_FAST_NONE)
			sa->req.fast = sa->mv.fast;
		sa->req.giveup_ms = sa->mv.until_ms;
		return 0;
	}
	return ike_req_resend(sa, now_ms);
}

/* ---- The gateway's requests ------------------------------------------- */

int
ike_mobike_check(struct ike_sa *sa, const struct ike_msg *m)
{
	if (!ike_mobike_on(sa))
		return 0;
	return ike_mobike_lengths(sa, m, "the gateway's INFORMATIONAL");
}

int
ike_mobike_answer(struct ike_sa *sa, const struct ike_msg *m,
    struct ike_msg_wr *mw)
{
	const struct ike_pld_notify *cookie2;
	int rv;

	if (!ike_mobike_on(sa))
		return 0;
	ike_mobike_addrs(sa, m);
	/* §3.5: NAT detection on the path the request came over. */
	if ((ike_msg_notify(m, IKE_N_UPDATE_SA_ADDRESSES) != NULL ||
	    ike_msg_notify(m, IKE_N_NAT_DETECTION_SOURCE_IP) != NULL ||
	    ike_msg_notify(m, IKE_N_NAT_DETECTION_DESTINATION_IP) != NULL) &&
	    (rv = ike_natd_build(sa, mw, sa->spi_r)) != 0)
		return rv;
	/* §3.8: return routability: echo it as it came. */
	if ((cookie2 = ike_msg_notify(m, IKE_N_COOKIE2)) != NULL &&
	    (rv = ike_pld_notify_build(mw, 0, IKE_N_COOKIE2, NULL, 0,
	    cookie2->data.p, cookie2->data.len)) != 0)
		return rv;
	return 0;
}

/* ---- Getters ------------------------------------------------------------ */

bool
ike_sa_peer_mobike(const struct ike_sa *sa)
{
	return ike_mobike_on(sa);
}

uint64_t
ike_sa_last_rx(const struct ike_sa *sa)
{
	return sa->last_rx_ms;
}

unsigned
ike_sa_peer_addresses(const struct ike_sa *sa, struct ike_addr *out,
    unsigned max)
{
	unsigned n = IR_MIN((unsigned)sa->mv.npeer, max);

	if (n != 0)
		memcpy(out, sa->mv.peer, n * sizeof(*out));
	return n;
}
