/*
 * ike/ike_rekey.c: CREATE_CHILD_SA for the Child SA, RFC 7296 §1.3.3,
 * §2.8, §2.17, §2.25; the IKE SA's rekey is in ike_rekey_ike.c.
 *
 * Our rekey, with a new key exchange when the ESP proposals name a group
 * (PFS):
 *
 *   HDR, SK { N(REKEY_SA, old SPI), SA, Ni, [KEi], TSi, TSr }  -->
 *                              <--  HDR, SK { SA, Nr, [KEr], TSi, TSr }
 *   HDR, SK { D(ESP, old SPI) }  -->        (the old SA goes, §2.8)
 *                              <--  HDR, SK { D(ESP, theirs) }
 *
 * The gateway's rekey (strongSwan rekeys Child SAs every hour): we answer
 * with a proposal of its request made only of what conf.esp lists, the
 * new SA is installed, and the gateway, the exchange's initiator, deletes
 * the old one.  Should it not, we delete it ourselves after
 * IKE_OLD_CHILD_WAIT_MS.  A request of the gateway for a new Child SA
 * that rekeys nothing gets N(NO_ADDITIONAL_SAS): we ask for what we
 * route ourselves.
 *
 * Several Child SAs (§2.9): the gateway may narrow what we ask for to a
 * part (strongSwan answers with one child config per exchange).  Each
 * Child SA has a slot (ike_int.h); the selectors of conf.ts_remote that
 * none covers are asked for once in a CREATE_CHILD_SA of a new slot, and
 * every slot is rekeyed, deleted and made again on its own.  A refusal
 * of such a rest (other than TEMPORARY_FAILURE) is final: logged, the
 * IKE SA stays.  Window 1 (§2.3): one exchange at a time, sa->req_slot
 * says for which slot.
 *
 * Collisions, §2.25.1: when the gateway's rekey of our Child SA arrives
 * while ours is in flight, both new SAs are installed; when our answer
 * comes, the exchange that used the lowest of the four nonces loses and
 * its initiator deletes the SA it made.  The winner's initiator deletes
 * the old SA.  strongSwan follows the same rule, so both ends agree
 * without another message.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_algs.h"
#include "ike/ike_int.h"

/* ---- Shared pieces -------------------------------------------------- */

int
ike_rekey_kex_new(struct ike_sa *sa, struct crypto_kex **kex, uint16_t group)
{
	uint8_t seed[CRYPTO_KEX_SEED_MAX];
	size_t len = crypto_kex_seed_len(group);
	int rv = IR_ERR_UNSUPPORTED, i;

	crypto_kex_free(*kex);
	*kex = NULL;
	if (len == 0 || len > sizeof(seed))
		return IR_ERR_UNSUPPORTED;
	/* A seed that is no private key (P-256 scalar >= n) is redrawn. */
	for (i = 0; i < 8; i++) {
		ike_random(sa, seed, len);
		rv = crypto_kex_new(kex, group, seed, len);
		if (rv != IR_ERR_INVALID_KE)
			break;
	}
	ir_wipe(seed, sizeof(seed));
	return rv;
}

bool
ike_nonce_lower(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	int c = memcmp(a, b, IR_MIN(alen, blen));

	return c < 0 || (c == 0 && alen < blen);
}

/* A fresh inbound SPI: not reserved (§3.3.1), not one still in use. */
static uint32_t
ike_rekey_new_spi(struct ike_sa *sa)
{
	uint32_t spi;
	bool used;
	size_t i;

	do {
		ike_random(sa, (uint8_t *)&spi, sizeof(spi));
		used = spi < 256 || ike_slot_find(sa, spi, false) != NULL ||
		    (sa->coll.active && spi == sa->coll.sa.spi_in);
		for (i = 0; i < IKE_OLD_CHILD_MAX; i++)
			used = used || spi == sa->old_child[i].spi_in;
	} while (used);
	return spi;
}

/* ---- Replaced Child SAs (§2.8) --------------------------------------- */

static void
ike_rekey_down(struct ike_sa *sa, uint32_t spi_in, int reason)
{
	if (sa->cb.child_down != NULL)
		sa->cb.child_down(sa->ud, spi_in, reason);
}

/*
 * Keep |c| until it is deleted: by us at |delete_ms|, or by the gateway.
 * With every slot taken, the one due first (not one whose Delete is in
 * flight) goes now: child_down(), and its SPI waits in sa->evict for a
 * D(ESP) of ours (§1.4.1), never dropped without one.
 */
static void
ike_rekey_retire(struct ike_sa *sa, const struct ike_child_sa *c,
    uint64_t delete_ms)
{
	struct ike_child_old *o = NULL, *x;
	size_t i;

	for (i = 0; i < IKE_OLD_CHILD_MAX && o == NULL; i++)
		if (sa->old_child[i].spi_in == 0)
			o = &sa->old_child[i];
	for (i = 0; i < IKE_OLD_CHILD_MAX && o == NULL; i++) {
		x = &sa->old_child[i];
		if (x->spi_in != sa->rekey_old_spi && (o == NULL ||
		    x->delete_ms < o->delete_ms))
			o = x;
	}
	if (o == NULL)
		o = &sa->old_child[0];
	if (o->spi_in != 0) {
		ike_log(sa, IR_LOG_INFO, "too many replaced CHILD_SAs; "
		    "deleting %08x_i %08x_o now", o->spi_in, o->spi_out);
		ike_rekey_down(sa, o->spi_in, IR_ERR_LIFETIME);
		if (sa->nevict == IKE_EVICT_MAX) {
			ike_log(sa, IR_LOG_DEBUG, "%s: no Delete for "
			    "%08x_i: the queue is full", __func__,
			    sa->evict[0]);
			memmove(sa->evict, sa->evict + 1,
			    sizeof(sa->evict) - sizeof(sa->evict[0]));
			sa->nevict--;
		}
		sa->evict[sa->nevict++] = o->spi_in;
	}
	o->spi_in = c->spi_in;
	o->spi_out = c->spi_out;
	o->delete_ms = delete_ms;
}

static struct ike_child_old *
ike_rekey_old_find(struct ike_sa *sa, uint32_t spi_in)
{
	size_t i;

	for (i = 0; i < IKE_OLD_CHILD_MAX; i++)
		if (spi_in != 0 && sa->old_child[i].spi_in == spi_in)
			return &sa->old_child[i];
	return NULL;
}

bool
ike_rekey_old_gone(struct ike_sa *sa, uint32_t spi_out, uint32_t *spi_in)
{
	size_t i;

	if (sa->coll.active && sa->coll.sa.spi_out == spi_out) {
		/* The gateway settled the collision first (§2.25.1). */
		*spi_in = sa->coll.sa.spi_in;
		sa->coll.active = false;
		ike_log(sa, IR_LOG_INFO, "the gateway deleted the redundant "
		    "CHILD_SA %08x_i %08x_o", *spi_in, spi_out);
		ike_rekey_down(sa, *spi_in, IR_ERR_LIFETIME);
		return true;
	}
	for (i = 0; i < IKE_OLD_CHILD_MAX; i++) {
		struct ike_child_old *o = &sa->old_child[i];

		if (o->spi_in == 0 || o->spi_out != spi_out)
			continue;
		if (sa->req.kind == IKE_REQ_DELETE_CHILD &&
		    sa->rekey_old_spi == o->spi_in) {
			/* §1.4.1: our answer to that Delete removes it. */
			ike_log(sa, IR_LOG_INFO, "the gateway's Delete of "
			    "CHILD_SA %08x_i %08x_o crossed ours", o->spi_in,
			    o->spi_out);
			return false;
		}
		*spi_in = o->spi_in;
		ike_log(sa, IR_LOG_INFO, "the gateway deleted the old "
		    "CHILD_SA %08x_i %08x_o", o->spi_in, o->spi_out);
		ike_rekey_down(sa, o->spi_in, IR_ERR_LIFETIME);
		memset(o, 0, sizeof(*o));
		return true;
	}
	return false;
}

void
ike_rekey_deleted(struct ike_sa *sa)
{
	struct ike_child_old *o = ike_rekey_old_find(sa, sa->rekey_old_spi);

	ike_log(sa, IR_LOG_DEBUG, "the gateway confirmed the Delete of "
	    "CHILD_SA %08x_i", sa->rekey_old_spi);
	/* Not listed: the gateway's own Delete of it crossed ours. */
	if (o != NULL) {
		ike_rekey_down(sa, o->spi_in, IR_ERR_LIFETIME);
		memset(o, 0, sizeof(*o));
	}
	sa->rekey_old_spi = 0;
}

void
ike_rekey_drop_all(struct ike_sa *sa, int reason)
{
	size_t i;

	for (i = 0; i < IKE_OLD_CHILD_MAX; i++)
		if (sa->old_child[i].spi_in != 0)
			ike_rekey_down(sa, sa->old_child[i].spi_in, reason);
	memset(sa->old_child, 0, sizeof(sa->old_child));
	sa->nevict = 0;
	if (sa->coll.active)
		ike_rekey_down(sa, sa->coll.sa.spi_in, reason);
	memset(&sa->coll, 0, sizeof(sa->coll));
}

uint64_t
ike_rekey_deadline(const struct ike_sa *sa)
{
	uint64_t at = UINT64_MAX;
	size_t i;

	if (sa->nevict != 0)
		return 0;		/* now */
	for (i = 0; i < IKE_OLD_CHILD_MAX; i++)
		if (sa->old_child[i].spi_in != 0)
			at = IR_MIN(at, sa->old_child[i].delete_ms);
	return at;
}

/* D(ESP) of the SAs pushed out of sa->old_child, all in one. */
static int
ike_rekey_evict(struct ike_sa *sa, uint64_t now_ms)
{
	uint8_t spis[4 * IKE_EVICT_MAX];
	struct ike_msg_wr mw;
	struct wire_wr w;
	uint8_t i, n = sa->nevict;
	int rv;

	for (i = 0; i < n; i++)
		wire_put_u32(spis + 4 * i, sa->evict[i]);
	sa->nevict = 0;
	sa->rekey_old_spi = 0;
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_delete_build(&mw, IKE_PROTO_ESP, 4, n, spis)) != 0 ||
	    (rv = ike_req_send(sa, IKE_REQ_DELETE_CHILD,
	    IKE_EXCH_INFORMATIONAL, &mw, now_ms)) != 0)
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "cannot delete the old "
		    "Child SAs: %s", ir_strerror(rv));
	return 0;
}

/* Our D(ESP) of the first replaced SA that is due (§2.8, §1.4.1). */
int
ike_rekey_expire(struct ike_sa *sa, uint64_t now_ms)
{
	struct ike_child_old *o = NULL;
	struct ike_msg_wr mw;
	struct wire_wr w;
	uint8_t spi[4];
	size_t i;
	int rv;

	/* A shutdown's D(IKE) deletes them all (§1.4.1). */
	if (sa->state != IKE_S_ESTABLISHED || sa->req.kind != IKE_REQ_NONE ||
	    sa->shutdown)
		return 0;
	if (sa->nevict != 0)
		return ike_rekey_evict(sa, now_ms);
	for (i = 0; i < IKE_OLD_CHILD_MAX && o == NULL; i++)
		if (sa->old_child[i].spi_in != 0 &&
		    sa->old_child[i].delete_ms <= now_ms)
			o = &sa->old_child[i];
	if (o == NULL)
		return 0;
	o->delete_ms = UINT64_MAX;	/* the answer removes it */
	sa->rekey_old_spi = o->spi_in;
	wire_put_u32(spi, o->spi_in);
	ike_log(sa, IR_LOG_INFO, "deleting CHILD_SA %08x_i %08x_o",
	    o->spi_in, o->spi_out);
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_delete_build(&mw, IKE_PROTO_ESP, 4, 1, spi)) != 0 ||
	    (rv = ike_req_send(sa, IKE_REQ_DELETE_CHILD,
	    IKE_EXCH_INFORMATIONAL, &mw, now_ms)) != 0)
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "cannot delete the old "
		    "Child SA: %s", ir_strerror(rv));
	return 0;
}

/* ---- Our rekey ------------------------------------------------------- */

/*
 * CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, [KEi of |group|], TSi, TSr }:
 * a rekey of the live Child SA, or without N(REKEY_SA) a new one for
 * the same selectors when there is none (§1.3.1).
 */
static int
ike_rekey_child_send(struct ike_sa *sa, uint16_t group, uint64_t now_ms)
{
	bool create = !sa->child->up;
	uint8_t old[4], pub[CRYPTO_KEX_PUB_MAX];
	struct ike_msg_wr mw;
	struct wire_wr w;
	size_t pub_len;
	int rv;

	sa->req_slot = (uint8_t)(sa->cs - sa->slot);
	sa->rekey_new_spi = ike_rekey_new_spi(sa);
	ike_random(sa, sa->rekey_ni, sizeof(sa->rekey_ni));
	if (group != 0 &&
	    (rv = ike_rekey_kex_new(sa, &sa->rekey_kex, group)) != 0)
		return ike_fail(sa, IR_ERR_CONFIG, 0, "cannot make a key "
		    "exchange for PFS group %u: %s", group, ir_strerror(rv));
	wire_put_u32(old, sa->child->spi_in);
	ike_chain_begin(sa, &mw, &w);
	rv = create ? 0 : ike_pld_notify_build(&mw, IKE_PROTO_ESP,
	    IKE_N_REKEY_SA, old, 4, NULL, 0);
	if (rv == 0)
		rv = ike_child_build_sa(sa, &mw, sa->rekey_new_spi, group);
	if (rv == 0)
		rv = ike_pld_nonce_build(&mw, sa->rekey_ni,
		    sizeof(sa->rekey_ni));
	if (rv == 0 && group != 0 && (rv = crypto_kex_public(sa->rekey_kex,
	    pub, sizeof(pub), &pub_len)) == 0)
		rv = ike_pld_ke_build(&mw, group, pub, pub_len);
	if (rv == 0)
		rv = ike_child_build_ts(sa, &mw);
	if (rv == 0)
		rv = ike_req_send(sa, IKE_REQ_REKEY_CHILD,
		    IKE_EXCH_CREATE_CHILD_SA, &mw, now_ms);
	if (rv != 0)
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "cannot build the "
		    "Child SA rekey: %s", ir_strerror(rv));
	if (create)
		ike_log(sa, IR_LOG_INFO, "creating a new CHILD_SA");
	else
		ike_log(sa, IR_LOG_INFO, "rekeying CHILD_SA %08x_i %08x_o",
		    sa->child->spi_in, sa->child->spi_out);
	sa->child->rekey_ms = UINT64_MAX;	/* until this one is done */
	sa->cs->create_ms = UINT64_MAX;
	return 0;
}

void
ike_rekey_child_lost(struct ike_sa *sa, uint64_t now_ms)
{
	if (sa->child->up) {
		sa->child->up = false;
		sa->child->rekey_ms = UINT64_MAX;
		ike_rekey_down(sa, sa->child->spi_in, IR_ERR_CLOSED);
	}
	/* Traffic is black-holed until then: at once. */
	sa->cs->create_ms = now_ms;
}

int
ike_rekey_create(struct ike_sa *sa, uint64_t now_ms)
{
	if (sa->state != IKE_S_ESTABLISHED || sa->child->up ||
	    sa->req.kind != IKE_REQ_NONE || sa->shutdown)
		return 0;
	if (sa->child_group == 0 && sa->conf.esp.n_dh != 0)
		sa->child_group = sa->conf.esp.dh[0];
	sa->rekey_ke_retried = false;
	return ike_rekey_child_send(sa, sa->conf.esp.n_dh != 0 ?
	    sa->child_group : 0, now_ms);
}

int
ike_rekey_create_due(struct ike_sa *sa, uint64_t now_ms)
{
	size_t i;

	if (sa->state != IKE_S_ESTABLISHED || sa->req.kind != IKE_REQ_NONE ||
	    sa->shutdown)
		return 0;
	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->slot[i].used && !sa->slot[i].sa.up &&
		    now_ms >= sa->slot[i].create_ms) {
			ike_slot_use(sa, i);
			return ike_rekey_create(sa, now_ms);
		}
	return 0;
}

int
ike_sa_rekey_child(struct ike_sa *sa, uint32_t spi_in, uint64_t now_ms)
{
	struct ike_child_slot *s;

	if (sa->state != IKE_S_ESTABLISHED ||
	    (s = ike_slot_find(sa, spi_in, false)) == NULL)
		return IR_ERR_NOT_FOUND;
	ike_slot_use(sa, (size_t)(s - sa->slot));
	if (sa->req.kind != IKE_REQ_NONE || sa->shutdown)
		return 0;	/* window 1: ike_info_expire() tries again */
	if (sa->child_group == 0 && sa->conf.esp.n_dh != 0)
		sa->child_group = sa->conf.esp.dh[0];
	sa->rekey_ke_retried = false;
	return ike_rekey_child_send(sa, sa->conf.esp.n_dh != 0 ?
	    sa->child_group : 0, now_ms);
}

/*
 * INVALID_KE_PAYLOAD to our rekey (§1.3, with §1.2's rule): once, again
 * with the group the gateway names, if our proposals listed it.  That
 * group stays for our later rekeys.  False: treat it as a refusal.
 */
static bool
ike_rekey_want_group(struct ike_sa *sa, const struct ike_msg *m,
    uint64_t now_ms, int *rv)
{
	const struct ike_pld_notify *n;
	uint16_t group;
	size_t i;

	n = ike_msg_notify(m, IKE_N_INVALID_KE_PAYLOAD);
	if (n == NULL || ike_pld_notify_u16(n, &group) != 0 ||
	    sa->rekey_ke_retried || sa->coll.active || sa->shutdown ||
	    sa->rekey_kex == NULL || group == crypto_kex_group(sa->rekey_kex))
		return false;
	for (i = 0; i < sa->conf.esp.n_dh; i++)
		if (sa->conf.esp.dh[i] == group)
			break;
	if (i == sa->conf.esp.n_dh || !crypto_kex_supported(group))
		return false;
	ike_log(sa, IR_LOG_INFO, "the gateway wants PFS group %s for the "
	    "Child SA rekey", ike_algs_dh_name(group));
	sa->rekey_ke_retried = true;
	sa->child_group = group;
	*rv = ike_rekey_child_send(sa, group, now_ms);
	return true;
}

/*
 * §2.25.1 once our exchange (A, now the current SA) is done and the
 * gateway's (B, in sa->coll) too: the lowest of the four nonces loses.
 */
static void
ike_rekey_settle(struct ike_sa *sa, const struct ike_child_sa *old,
    const uint8_t *nr_a, size_t nr_a_len, uint64_t now_ms)
{
	const uint8_t *low_a = sa->rekey_ni, *low_b = sa->coll.ni;
	size_t low_a_len = sizeof(sa->rekey_ni), low_b_len = sa->coll.ni_len;
	struct ike_child_sa a = *sa->child;
	bool a_loses;

	if (ike_nonce_lower(nr_a, nr_a_len, low_a, low_a_len)) {
		low_a = nr_a;
		low_a_len = nr_a_len;
	}
	if (ike_nonce_lower(sa->coll.nr, sizeof(sa->coll.nr), low_b,
	    low_b_len)) {
		low_b = sa->coll.nr;
		low_b_len = sizeof(sa->coll.nr);
	}
	a_loses = ike_nonce_lower(low_a, low_a_len, low_b, low_b_len);
	if (a_loses) {
		/* We made the loser: we delete it; the gateway deletes
		 * the old SA (we do, should it not). */
		ike_log(sa, IR_LOG_INFO, "CHILD_SA rekey collision lost, "
		    "deleting redundant CHILD_SA %08x_i %08x_o", a.spi_in,
		    a.spi_out);
		*sa->child = sa->coll.sa;
		ike_rekey_retire(sa, &a, now_ms);
		if (old->up)
			ike_rekey_retire(sa, old, now_ms +
			    IKE_OLD_CHILD_WAIT_MS);
	} else {
		ike_log(sa, IR_LOG_INFO, "CHILD_SA rekey collision won, "
		    "deleting old CHILD_SA %08x_i %08x_o", old->spi_in,
		    old->spi_out);
		ike_rekey_retire(sa, &sa->coll.sa, now_ms +
		    IKE_OLD_CHILD_WAIT_MS);
		if (old->up)
			ike_rekey_retire(sa, old, now_ms);
	}
	memset(&sa->coll, 0, sizeof(sa->coll));
}

/*
 * §2.25 TEMPORARY_FAILURE: try again after a gap that doubles from
 * IKE_TEMPFAIL_FIRST_MS to IKE_TEMPFAIL_GAP_MS; after IKE_TEMPFAIL_MAX_MS
 * of nothing else, close the IKE SA with a reason.  0: retry at |*at|.
 */
static int
ike_rekey_tempfail(struct ike_sa *sa, uint64_t now_ms, uint64_t *at)
{
	if (sa->tempfail_since == 0) {
		sa->tempfail_since = now_ms;
		sa->tempfail_gap = IKE_TEMPFAIL_FIRST_MS;
	} else if (now_ms - sa->tempfail_since >= IKE_TEMPFAIL_MAX_MS) {
		return ike_fail(sa, IR_ERR_TIMEOUT, IKE_N_TEMPORARY_FAILURE,
		    "the gateway refused the Child SA for %u min "
		    "(TEMPORARY_FAILURE): reconnect later",
		    (unsigned)((now_ms - sa->tempfail_since) / 60000));
	} else {
		sa->tempfail_gap = IR_MIN(sa->tempfail_gap * 2,
		    (uint32_t)IKE_TEMPFAIL_GAP_MS);
	}
	*at = now_ms + sa->tempfail_gap;
	return 0;
}

static int
ike_rekey_refused(struct ike_sa *sa, uint16_t type, uint64_t now_ms)
{
	bool coll = sa->coll.active;
	uint64_t at = now_ms + IKE_REKEY_RETRY_MS;
	char num[8];
	int rv;

	crypto_kex_free(sa->rekey_kex);
	sa->rekey_kex = NULL;
	/* §2.9: the rest of our selectors refused for good: not again. */
	if (!coll && type != IKE_N_TEMPORARY_FAILURE &&
	    type != IKE_N_CHILD_SA_NOT_FOUND && ike_slot_give_up(sa, type)) {
		if ((rv = ike_rekey_expire(sa, now_ms)) != 0)
			return rv;
		return ike_rekey_create_due(sa, now_ms);
	}
	ike_log(sa, IR_LOG_INFO, "the gateway refused the Child SA %s (%s); "
	    "trying again later", sa->child->up ? "rekey" : "creation",
	    ike_name_or_num(ike_notify_name(type), type, num, sizeof(num)));
	if (coll) {
		/* Its rekey stands alone; it deletes the old SA (§2.25). */
		if (sa->child->up)
			ike_rekey_retire(sa, sa->child, now_ms +
			    IKE_OLD_CHILD_WAIT_MS);
		*sa->child = sa->coll.sa;
		memset(&sa->coll, 0, sizeof(sa->coll));
	}
	if (type == IKE_N_TEMPORARY_FAILURE &&
	    (rv = ike_rekey_tempfail(sa, now_ms, &at)) != 0)
		return rv;
	if (type == IKE_N_CHILD_SA_NOT_FOUND && !coll) {
		/* §2.25: gone at the gateway; a new one afresh. */
		if (sa->child->up)
			ike_log(sa, IR_LOG_INFO, "the gateway has no CHILD_SA "
			    "%08x_i %08x_o", sa->child->spi_in,
			    sa->child->spi_out);
		ike_rekey_child_lost(sa, now_ms);
	} else if (sa->child->up)
		sa->child->rekey_ms = at;
	else
		sa->cs->create_ms = at;
	if ((rv = ike_rekey_expire(sa, now_ms)) != 0)
		return rv;
	return ike_rekey_create_due(sa, now_ms);
}

int
ike_rekey_response(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	uint8_t g_ir[CRYPTO_KEX_SECRET_MAX];
	struct ike_child_sa old;
	size_t g_len = 0, i;
	int rv;

	ike_slot_use(sa, sa->req_slot);
	old = *sa->child;
	ike_req_done(sa);
	if (ike_rekey_want_group(sa, m, now_ms, &rv))
		return rv;
	for (i = 0; i < m->nnotify; i++) {
		if (!ike_notify_is_error(m->notify[i].type))
			continue;
		/* The first Child SA of a childless IKE SA (RFC 6023):
		 * refused for good as it would be in IKE_AUTH. */
		if (!sa->had_child && m->notify[i].type !=
		    IKE_N_TEMPORARY_FAILURE)
			return ike_auth_error_notify(sa, m);
		return ike_rekey_refused(sa, m->notify[i].type, now_ms);
	}
	if (ike_msg_count(m, IKE_PLD_SA) == 0 ||
	    ike_msg_count(m, IKE_PLD_NONCE) == 0 ||
	    ike_msg_count(m, IKE_PLD_TSI) == 0 ||
	    ike_msg_count(m, IKE_PLD_TSR) == 0) {
		if (!sa->had_child)
			return ike_fail(sa, IR_ERR_NO_PROPOSAL, 0, "the "
			    "gateway set up no tunnel (no Child SA in its "
			    "CREATE_CHILD_SA answer)");
		return ike_rekey_refused(sa, 0, now_ms);
	}
	if (sa->rekey_kex != NULL) {
		if (ike_msg_count(m, IKE_PLD_KE) == 0 ||
		    m->ke.group != crypto_kex_group(sa->rekey_kex) ||
		    crypto_kex_derive(sa->rekey_kex, m->ke.data.p,
		    m->ke.data.len, g_ir, sizeof(g_ir), &g_len) != 0)
			return ike_fail(sa, IR_ERR_NO_PROPOSAL, 0, "the "
			    "gateway's answer to our Child SA rekey has no "
			    "usable KE");
	}
	/* The gateway may have deleted the old SA already (collision). */
	rv = ike_child_accept(sa, m, sa->rekey_ni, sizeof(sa->rekey_ni),
	    m->nonce.p, m->nonce.len, sa->rekey_kex ? g_ir : NULL, g_len,
	    sa->rekey_new_spi, old.up ? old.spi_in : 0, now_ms);
	ir_wipe(g_ir, sizeof(g_ir));
	crypto_kex_free(sa->rekey_kex);
	sa->rekey_kex = NULL;
	if (rv != 0)
		return rv;
	sa->tempfail_since = 0;
	if (sa->coll.active)
		ike_rekey_settle(sa, &old, m->nonce.p, m->nonce.len, now_ms);
	else if (old.up)
		ike_rekey_retire(sa, &old, now_ms);
	if ((rv = ike_rekey_expire(sa, now_ms)) != 0)
		return rv;
	return ike_rekey_create_due(sa, now_ms);	/* the rest, §2.9 */
}

/* ---- The gateway's rekey --------------------------------------------- */

int
ike_rekey_refuse(struct ike_sa *sa, const struct ike_msg *m,
    const char *what, uint16_t type, uint16_t group)
{
	uint8_t data[2];
	struct ike_msg_wr mw;
	struct wire_wr w;
	char num[8];
	int rv;

	ike_log(sa, IR_LOG_INFO, "refusing the gateway's %s with %s", what,
	    ike_name_or_num(ike_notify_name(type), type, num, sizeof(num)));
	wire_put_u16(data, group);
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_notify_build(&mw, 0, type, NULL, 0, data,
	    group != 0 ? 2 : 0)) != 0)
		return rv;
	return ike_resp_send(sa, IKE_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
	    &mw);
}

static int
ike_rekey_child_refuse(struct ike_sa *sa, const struct ike_msg *m,
    uint16_t type, uint16_t group)
{
	return ike_rekey_refuse(sa, m, "CREATE_CHILD_SA", type, group);
}

/* Its TSi is the gateway's side, its TSr ours: inside what we allow? */
static bool
ike_rekey_ts_ok(const struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_ts ours[IKE_TS_MAX];
	size_t n;

	if (ike_msg_count(m, IKE_PLD_TSI) == 0 ||
	    ike_msg_count(m, IKE_PLD_TSR) == 0)
		return false;
	ike_ts_default(ours, &n, sa->conf.ts_remote, sa->conf.n_ts_remote);
	if (!ike_ts_narrowed(ours, n, &m->tsi))
		return false;
	ike_ts_default(ours, &n, sa->conf.ts_local, sa->conf.n_ts_local);
	return ike_ts_narrowed(ours, n, &m->tsr);
}

/* SA, Nr, [KEr], TSi, TSr: the selectors as the gateway sent them. */
static int
ike_rekey_child_answer(struct ike_sa *sa, const struct ike_msg *m,
    struct ike_pld_prop *prop, const uint8_t *nr, const uint8_t *pub,
    size_t pub_len, uint16_t group)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	int rv;

	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_sa_build(&mw, prop, 1)) != 0 ||
	    (rv = ike_pld_nonce_build(&mw, nr, IKE_NONCE_LEN)) != 0 ||
	    (group != 0 && (rv = ike_pld_ke_build(&mw, group, pub,
	    pub_len)) != 0) ||
	    (rv = ike_pld_ts_build(&mw, IKE_PLD_TSI, m->tsi.ts,
	    m->tsi.nts)) != 0 ||
	    (rv = ike_pld_ts_build(&mw, IKE_PLD_TSR, m->tsr.ts,
	    m->tsr.nts)) != 0)
		return rv;
	return ike_resp_send(sa, IKE_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
	    &mw);
}

/* KEYMAT of the gateway's exchange (§2.17): it is the initiator. */
static int
ike_rekey_child_keys(struct ike_sa *sa, const struct ike_msg *m,
    const struct ike_choice *c, const uint8_t *nr, const uint8_t *g,
    size_t glen, struct ike_child *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->spi_out = c->spi;
	ch->encr = c->encr;
	ch->encr_key_bits = c->encr_bits;
	ch->integ = crypto_encr_is_aead(c->encr) ? 0 : c->integ;
	ch->esn = c->esn;
	ch->encr_key_len = crypto_encr_key_len(ch->encr, ch->encr_key_bits);
	ch->integ_key_len = ch->integ ? crypto_integ_key_len(ch->integ) : 0;
	ike_ts_from_pld(&m->tsr, ch->ts_local, &ch->n_ts_local);
	ike_ts_from_pld(&m->tsi, ch->ts_remote, &ch->n_ts_remote);
	if (ike_child_keys(sa->prf, sa->keys.sk_d, sa->keys.prf_len, g, glen,
	    m->nonce.p, m->nonce.len, nr, IKE_NONCE_LEN, ch) != 0)
		return IR_ERR_INTERNAL;
	ike_child_keys_swap(ch);
	return 0;
}

/* Choose, answer, install; |coll|: our own rekey of it is in flight. */
static int
ike_rekey_child_accept(struct ike_sa *sa, const struct ike_msg *m,
    bool coll, uint64_t now_ms)
{
	const struct ike_algs *groups = sa->conf.esp.n_dh ? &sa->conf.esp :
	    &sa->conf.ike;
	uint8_t nr[IKE_NONCE_LEN], spi[4], pub[CRYPTO_KEX_PUB_MAX];
	uint8_t g[CRYPTO_KEX_SECRET_MAX];
	struct crypto_kex *kex = NULL;
	struct ike_pld_xform xf[5];
	struct ike_pld_prop prop;
	struct ike_choice c;
	struct ike_child ch;
	size_t pub_len = 0, glen = 0;
	uint16_t want = 0;
	int rv;

	rv = ike_rekey_choose(&sa->conf.esp, groups, &m->sa, IKE_PROTO_ESP,
	    ike_msg_count(m, IKE_PLD_KE) ? m->ke.group : 0, &c, &prop, xf,
	    &want);
	if (rv == IR_ERR_INVALID_KE)
		return ike_rekey_child_refuse(sa, m, IKE_N_INVALID_KE_PAYLOAD, want);
	if (rv != 0 || c.spi < 256)
		return ike_rekey_child_refuse(sa, m, IKE_N_NO_PROPOSAL_CHOSEN, 0);
	if (!ike_rekey_ts_ok(sa, m))
		return ike_rekey_child_refuse(sa, m, IKE_N_TS_UNACCEPTABLE, 0);
	ike_random(sa, nr, sizeof(nr));
	if (c.dh != 0 && ((rv = ike_rekey_kex_new(sa, &kex, c.dh)) != 0 ||
	    (rv = crypto_kex_derive(kex, m->ke.data.p, m->ke.data.len, g,
	    sizeof(g), &glen)) != 0 ||
	    (rv = crypto_kex_public(kex, pub, sizeof(pub), &pub_len)) != 0)) {
		crypto_kex_free(kex);
		return ike_rekey_child_refuse(sa, m, IKE_N_INVALID_SYNTAX, 0);
	}
	crypto_kex_free(kex);
	rv = ike_rekey_child_keys(sa, m, &c, nr, c.dh ? g : NULL, glen, &ch);
	ir_wipe(g, sizeof(g));
	ch.spi_in = ike_rekey_new_spi(sa);
	ch.replaces_spi_in = sa->child->spi_in;
	wire_put_u32(spi, ch.spi_in);
	prop.spi = (struct ike_span){ spi, 4 };
	if (rv == 0)
		rv = ike_rekey_child_answer(sa, m, &prop, nr, pub, pub_len,
		    c.dh);
	if (rv != 0) {
		ir_wipe(&ch, sizeof(ch));
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "cannot answer the "
		    "gateway's Child SA rekey: %s", ir_strerror(rv));
	}
	if (coll) {
		sa->coll.active = true;
		memcpy(sa->coll.ni, m->nonce.p, m->nonce.len);
		sa->coll.ni_len = m->nonce.len;
		memcpy(sa->coll.nr, nr, sizeof(nr));
		rv = ike_child_install(sa, &ch, &sa->coll.sa, now_ms);
	} else {
		ike_rekey_retire(sa, sa->child, now_ms +
		    IKE_OLD_CHILD_WAIT_MS);
		rv = ike_child_install(sa, &ch, sa->child, now_ms);
	}
	ir_wipe(&ch, sizeof(ch));
	return rv;
}

static int
ike_rekey_child_request(struct ike_sa *sa, const struct ike_msg *m,
    const struct ike_pld_notify *n, uint64_t now_ms)
{
	struct ike_child_slot *s;
	uint32_t old_out;
	bool coll;
	size_t i;

	if (n->spi.len != 4 || n->proto != IKE_PROTO_ESP ||
	    m->nonce.len > sizeof(sa->coll.ni))
		return ike_rekey_child_refuse(sa, m, IKE_N_INVALID_SYNTAX, 0);
	/* Its inbound SPI: our outbound one (§1.3.3). */
	old_out = wire_get_u32(n->spi.p);
	if ((s = ike_slot_find(sa, old_out, true)) == NULL) {
		/* §2.25: one we are closing, or one we do not know. */
		for (i = 0; i < IKE_OLD_CHILD_MAX; i++)
			if (sa->old_child[i].spi_in != 0 &&
			    sa->old_child[i].spi_out == old_out)
				return ike_rekey_child_refuse(sa, m,
				    IKE_N_TEMPORARY_FAILURE, 0);
		return ike_rekey_child_refuse(sa, m, IKE_N_CHILD_SA_NOT_FOUND, 0);
	}
	/* §2.25: busy rekeying the IKE SA, or a second collision. */
	if (sa->req.kind == IKE_REQ_REKEY_IKE || sa->coll.active)
		return ike_rekey_child_refuse(sa, m, IKE_N_TEMPORARY_FAILURE, 0);
	ike_slot_use(sa, (size_t)(s - sa->slot));
	/* A collision only when ours rekeys this very Child SA. */
	coll = sa->req.kind == IKE_REQ_REKEY_CHILD &&
	    sa->req_slot == (size_t)(s - sa->slot) && sa->child->rekey_ms ==
	    UINT64_MAX;
	ike_log(sa, IR_LOG_INFO, "the gateway is rekeying CHILD_SA %08x_i "
	    "%08x_o%s", sa->child->spi_in, sa->child->spi_out,
	    coll ? " while we are too (collision)" : "");
	return ike_rekey_child_accept(sa, m, coll, now_ms);
}

int
ike_rekey_request(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	const struct ike_pld_notify *n = ike_msg_notify(m, IKE_N_REKEY_SA);

	if (sa->state != IKE_S_ESTABLISHED)
		return ike_rekey_child_refuse(sa, m, IKE_N_TEMPORARY_FAILURE, 0);
	if (n != NULL)
		return ike_rekey_child_request(sa, m, n, now_ms);
	if (m->sa.nprop != 0 && m->sa.prop[0].proto == IKE_PROTO_IKE)
		return ike_rekey_ike_request(sa, m, now_ms);
	/* A further Child SA (§1.3.1): one tunnel is all we use. */
	return ike_rekey_child_refuse(sa, m, IKE_N_NO_ADDITIONAL_SAS, 0);
}
