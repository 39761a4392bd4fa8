/*
 * ike/ike_rekey_ike.c: rekeying the IKE SA, RFC 7296 §1.3.2, §2.8, §2.18.
 *
 *   HDR, SK { SA(IKE, new SPIi), Ni, KEi }  -->
 *                         <--  HDR, SK { SA(IKE, new SPIr), Nr, KEr }
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)   with the old PRF
 *   SK_* = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)       as in §2.14
 *   HDR(old SPIs), SK(old keys) { D(IKE) }  -->   <--  HDR, SK { }
 *
 * Either end starts it: we at conf.ike_rekey_ms less up to a tenth drawn
 * from cb->random (so we rarely start at the gateway's moment), the
 * gateway at its own time (strongSwan: every 4 h).  Whoever starts it
 * becomes the original initiator of the new SA (RFC 4718 §5.5, as
 * strongSwan and libreswan do): after the gateway's rekey we clear the
 * I flag and send under SK_er.  The Child SAs move over unchanged, and
 * message IDs restart at 0 (§2.18).
 *
 * The old SA lives on in struct ike_old_ike, with its keys, SPIs and
 * message IDs, until its Delete is done: the rekey's initiator deletes
 * it (§2.8).  Its messages are handled here, apart from the new SA's
 * window.  The gateway's rekey is answered while a liveness check, a
 * path check or a Child SA Delete of ours is in flight: that request
 * went out on the old SA, so it moves there with it and its answer is
 * awaited there (§2.18).  A rekey of the gateway's that meets a Child
 * SA rekey or a MOBIKE update of ours is refused with TEMPORARY_FAILURE
 * (§2.25); ours then completes and stands.
 *
 * Crossing IKE SA rekeys, §2.8.2: the gateway's rekey arrives while our
 * own is in flight.  We answer it and keep its new SA (B) aside in
 * sa->ike_coll; when our answer comes, our new SA (A) is made too, and
 * the SA whose exchange used the lowest of the four nonces is redundant:
 * its creator deletes it (D(IKE) on that SA itself), and the survivor's
 * creator deletes the old SA.  So:
 *   A redundant: B takes over, we delete A (sa->red_ike), the gateway
 *                deletes the old SA;
 *   B redundant: A takes over, we delete the old SA, the gateway deletes
 *                B (answered on sa->red_ike).
 * strongSwan decides the same way, so both ends agree without another
 * message.  Ours refused (a gateway that refuses a crossing): B stands.
 * The gateway's D(IKE) on the current SA before our answer: it saw no
 * crossing, B stands, and our request is dropped.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_algs.h"
#include "ike/ike_int.h"

static void
ike_rekey_side_clear(struct ike_old_ike *o)
{
	crypto_xform_free(o->tx);
	crypto_xform_free(o->rx);
	memset(o, 0, sizeof(*o));
}

static void
ike_rekey_coll_clear(struct ike_ike_coll *c)
{
	crypto_xform_free(c->tx);
	crypto_xform_free(c->rx);
	crypto_ike_keys_clear(&c->k);
	ir_wipe(c, sizeof(*c));
}

/* The buffers of |o|: the old SA's are big (its last answer may be a
 * rekey's); the redundant SA only ever carries a Delete. */
static uint8_t *
ike_side_req(struct ike_sa *sa, const struct ike_old_ike *o, size_t *cap)
{
	*cap = o->redundant ? sizeof(sa->b->red_req) : sizeof(sa->b->old_req);
	return o->redundant ? sa->b->red_req : sa->b->old_req;
}

static uint8_t *
ike_side_resp(struct ike_sa *sa, const struct ike_old_ike *o, size_t *cap)
{
	*cap = o->redundant ? sizeof(sa->b->red_resp) :
	    sizeof(sa->b->old_resp);
	return o->redundant ? sa->b->red_resp : sa->b->old_resp;
}

static const char *
ike_side_name(const struct ike_old_ike *o)
{
	return o->redundant ? "redundant" : "old";
}

bool
ike_rekey_ike_busy(const struct ike_sa *sa)
{
	return sa->old_ike.active || sa->red_ike.active ||
	    sa->ike_coll.active;
}

void
ike_rekey_ike_schedule(struct ike_sa *sa, uint64_t now_ms)
{
	uint32_t r, span = sa->conf.ike_rekey_ms / 10;

	ike_random(sa, (uint8_t *)&r, sizeof(r));
	sa->ike_rekey_ms = now_ms + sa->conf.ike_rekey_ms -
	    (span != 0 ? r % span : 0);
}

static uint64_t
ike_rekey_ike_spi(struct ike_sa *sa)
{
	uint64_t spi;

	do
		ike_random(sa, (uint8_t *)&spi, sizeof(spi));
	while (spi == 0 || spi == sa->spi_i || spi == sa->spi_r);
	return spi;
}

/*
 * The new SA's keys: SKEYSEED from the old SK_d with the old PRF, then
 * SK_* with the new PRF and SPIs, and the transforms; we send under
 * SK_ei when we are the new SA's original initiator.
 */
static int
ike_rekey_ike_keys(struct ike_sa *sa, const struct ike_choice *c,
    const uint8_t *g, size_t glen, const uint8_t *ni, size_t ni_len,
    const uint8_t *nr, size_t nr_len, uint64_t spi_i, uint64_t spi_r,
    bool orig_init, struct crypto_ike_keys *k, struct crypto_xform **tx,
    struct crypto_xform **rx)
{
	uint8_t ss[CRYPTO_PRF_MAX], si[8], sr[8];
	uint16_t integ = crypto_encr_is_aead(c->encr) ? 0 : c->integ;
	size_t il = integ ? crypto_integ_key_len(integ) : 0;
	size_t el = crypto_encr_key_len(c->encr, c->encr_bits);
	int rv;

	*tx = *rx = NULL;
	wire_put_u64(si, spi_i);
	wire_put_u64(sr, spi_r);
	rv = crypto_skeyseed_rekey(sa->prf, sa->keys.sk_d, sa->keys.prf_len,
	    g, glen, ni, ni_len, nr, nr_len, ss);
	if (rv == 0)
		rv = crypto_ike_keys_derive(c->prf, ss, ni, ni_len, nr, nr_len,
		    si, sr, il, el, k);
	ir_wipe(ss, sizeof(ss));
	if (rv == 0)
		rv = crypto_xform_new(tx, c->encr, c->encr_bits, integ,
		    orig_init ? k->sk_ei : k->sk_er, el,
		    orig_init ? k->sk_ai : k->sk_ar, il);
	if (rv == 0)
		rv = crypto_xform_new(rx, c->encr, c->encr_bits, integ,
		    orig_init ? k->sk_er : k->sk_ei, el,
		    orig_init ? k->sk_ar : k->sk_ai, il);
	if (rv != 0) {
		crypto_xform_free(*tx);
		crypto_xform_free(*rx);
		*tx = *rx = NULL;
		crypto_ike_keys_clear(k);
	}
	return rv;
}

/* The new SA takes over; the old one moves to sa->old_ike. */
static void
ike_rekey_ike_switch(struct ike_sa *sa, const struct ike_choice *c,
    struct crypto_ike_keys *k, struct crypto_xform *tx,
    struct crypto_xform *rx, uint64_t spi_i, uint64_t spi_r, bool orig_init,
    uint64_t now_ms)
{
	struct ike_old_ike *o = &sa->old_ike;

	ike_rekey_side_clear(o);
	o->active = true;
	o->orig_init = sa->orig_init;
	o->spi_i = sa->spi_i;
	o->spi_r = sa->spi_r;
	o->tx = sa->tx;
	o->rx = sa->rx;
	o->peer_next_id = sa->peer_next_id;
	o->resp_valid = sa->resp_valid;
	o->resp_id = sa->resp_id;
	o->resp_sent = sa->resp_sent;
	memcpy(sa->b->old_resp, sa->b->resp, sizeof(sa->b->resp));
	o->req_id = sa->next_id;
	o->until_ms = now_ms + IKE_OLD_IKE_WAIT_MS;
	if (sa->req.kind != IKE_REQ_NONE) {
		/* Sent on the old SA: its answer comes there. */
		o->req_active = true;
		o->req_kind = sa->req.kind;
		o->req_id = sa->req.msg_id;
		o->req_sent.n = 1;
		o->req_sent.off[0] = 0;
		o->req_sent.len[0] = sa->req.sent.len[0];
		memcpy(sa->b->old_req, sa->b->req + sa->req.sent.off[0],
		    sa->req.sent.len[0]);
		o->req_interval = sa->req.interval;
		o->req_next_ms = sa->req.next_ms;
		ike_req_done(sa);
	}

	sa->spi_i = spi_i;
	sa->spi_r = spi_r;
	sa->orig_init = orig_init;
	sa->tx = tx;
	sa->rx = rx;
	crypto_ike_keys_clear(&sa->keys);
	sa->keys = *k;
	crypto_ike_keys_clear(k);
	sa->encr = c->encr;
	sa->encr_bits = c->encr_bits;
	sa->integ = crypto_encr_is_aead(c->encr) ? 0 : c->integ;
	sa->prf = c->prf;
	sa->dh_group = c->dh;
	/* §2.18: the new SA's message IDs start at 0, both ways. */
	sa->next_id = 0;
	sa->peer_next_id = 0;
	sa->resp_valid = false;
	ike_frag_reasm_clear(&sa->b->reasm);
	ike_rekey_ike_schedule(sa, now_ms);
	ike_log(sa, IR_LOG_INFO, "IKE SA rekeyed, new SPIs %016llx_i "
	    "%016llx_r, IKE:%s/%s%s%s/%s", (unsigned long long)spi_i,
	    (unsigned long long)spi_r, ike_algs_encr_name(c->encr,
	    c->encr_bits), ike_algs_prf_name(c->prf), sa->integ ? "/" : "",
	    sa->integ ? ike_algs_integ_name(sa->integ) : "",
	    ike_algs_dh_name(c->dh));
}

/* ---- Ours ------------------------------------------------------------ */

int
ike_rekey_ike_start(struct ike_sa *sa, uint64_t now_ms)
{
	uint8_t spi[8], pub[CRYPTO_KEX_PUB_MAX];
	struct ike_props props;
	struct ike_msg_wr mw;
	struct wire_wr w;
	size_t pub_len, i;
	int rv;

	if (sa->state != IKE_S_ESTABLISHED || sa->req.kind != IKE_REQ_NONE ||
	    ike_rekey_ike_busy(sa) || sa->shutdown)
		return 0;
	sa->ike_rekey_ms = UINT64_MAX;		/* until this one is done */
	sa->rekey_spi = ike_rekey_ike_spi(sa);
	ike_random(sa, sa->rekey_ni, sizeof(sa->rekey_ni));
	if ((rv = ike_rekey_kex_new(sa, &sa->rekey_kex, sa->dh_group)) != 0 ||
	    (rv = crypto_kex_public(sa->rekey_kex, pub, sizeof(pub),
	    &pub_len)) != 0 ||
	    (rv = ike_props_make(&props, &sa->conf.ike, IKE_PROTO_IKE,
	    sa->dh_group, true, 0)) != 0)
		return ike_fail(sa, IR_ERR_CONFIG, 0, "cannot rekey the IKE "
		    "SA: %s", ir_strerror(rv));
	/* §1.3.2: the new SPI goes in the proposals, 8 octets. */
	wire_put_u64(spi, sa->rekey_spi);
	for (i = 0; i < props.nprop; i++)
		props.prop[i].spi = (struct ike_span){ spi, 8 };
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_sa_build(&mw, props.prop, props.nprop)) != 0 ||
	    (rv = ike_pld_nonce_build(&mw, sa->rekey_ni,
	    sizeof(sa->rekey_ni))) != 0 ||
	    (rv = ike_pld_ke_build(&mw, sa->dh_group, pub, pub_len)) != 0 ||
	    (rv = ike_req_send(sa, IKE_REQ_REKEY_IKE,
	    IKE_EXCH_CREATE_CHILD_SA, &mw, now_ms)) != 0)
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "cannot build the IKE "
		    "SA rekey: %s", ir_strerror(rv));
	ike_log(sa, IR_LOG_INFO, "rekeying IKE_SA %016llx_i %016llx_r",
	    (unsigned long long)sa->spi_i, (unsigned long long)sa->spi_r);
	return 0;
}

/* Our D(IKE) on |o|, kept for retransmission in its buffer. */
static int
ike_rekey_old_delete(struct ike_sa *sa, struct ike_old_ike *o,
    uint64_t now_ms)
{
	struct ike_hdr h = {
		.spi_i = o->spi_i, .spi_r = o->spi_r,
		.version = IKE_VERSION_2, .exch = IKE_EXCH_INFORMATIONAL,
		.flags = o->orig_init ? IKE_FLAG_INITIATOR : 0,
		.msg_id = o->req_id,
	};
	struct ike_msg_wr mw;
	struct wire_wr w;
	size_t cap;
	uint8_t *buf = ike_side_req(sa, o, &cap);
	int rv;

	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_delete_build(&mw, IKE_PROTO_IKE, 0, 0, NULL)) != 0)
		return rv;
	ike_log_chain(sa, "generating", h.exch, false, h.msg_id,
	    mw.first_type, w.buf, w.len);
	rv = ike_seal_one(sa, o->tx, &h, &mw, buf, cap, &o->req_sent);
	ir_wipe(sa->b->plain, w.len);
	if (rv != 0)
		return rv;
	o->req_active = true;
	o->req_kind = IKE_REQ_DELETE;
	o->req_interval = sa->conf.retx_base_ms;
	o->req_next_ms = now_ms + o->req_interval;
	ike_send_sent(sa, buf, &o->req_sent);
	return 0;
}

/*
 * §2.8.2: the crossing's redundant SA moves to sa->red_ike, to be
 * deleted by us (|ours|: we made it, D(IKE) on it now) or answered
 * when the gateway deletes it.  Its message IDs start at 0 (§2.18).
 */
static void
ike_rekey_redundant(struct ike_sa *sa, struct crypto_xform *tx,
    struct crypto_xform *rx, uint64_t spi_i, uint64_t spi_r, bool ours,
    uint64_t now_ms)
{
	struct ike_old_ike *o = &sa->red_ike;
	int rv;

	ike_rekey_side_clear(o);
	o->active = true;
	o->redundant = true;
	o->orig_init = ours;
	o->spi_i = spi_i;
	o->spi_r = spi_r;
	o->tx = tx;
	o->rx = rx;
	o->until_ms = now_ms + IKE_OLD_IKE_WAIT_MS;
	ike_log(sa, IR_LOG_INFO, "IKE_SA rekey collision %s, %s redundant "
	    "IKE_SA %016llx_i %016llx_r", ours ? "lost" : "won", ours ?
	    "deleting the" : "the gateway deletes the",
	    (unsigned long long)spi_i, (unsigned long long)spi_r);
	if (ours && (rv = ike_rekey_old_delete(sa, o, now_ms)) != 0)
		ike_log(sa, IR_LOG_DEBUG, "%s: cannot delete the redundant "
		    "IKE SA: %s", __func__, ir_strerror(rv));
}

/* The gateway's new SA of a crossing (or of a refusal of ours) stands. */
static void
ike_rekey_coll_adopt(struct ike_sa *sa, uint64_t now_ms)
{
	struct ike_ike_coll *b = &sa->ike_coll;

	ike_rekey_ike_switch(sa, &b->c, &b->k, b->tx, b->rx, b->spi_i,
	    b->spi_r, false, now_ms);
	b->tx = b->rx = NULL;
	ike_rekey_coll_clear(b);
}

bool
ike_rekey_ike_coll_delete(struct ike_sa *sa, uint64_t now_ms)
{
	if (!sa->ike_coll.active)
		return false;
	ike_log(sa, IR_LOG_INFO, "the gateway deletes the IKE SA it rekeyed "
	    "while we rekeyed it too: its new IKE SA stands, ours is "
	    "dropped");
	if (sa->req.kind == IKE_REQ_REKEY_IKE)
		ike_req_done(sa);
	crypto_kex_free(sa->rekey_kex);
	sa->rekey_kex = NULL;
	ike_rekey_coll_adopt(sa, now_ms);
	/* Answered already: kept only for a retransmission. */
	sa->old_ike.until_ms = now_ms + IKE_SHUTDOWN_WAIT_MS;
	return true;
}

/* A refusal: try again later; at once for a group we can use. */
static int
ike_rekey_ike_refused(struct ike_sa *sa, const struct ike_msg *m,
    uint16_t type, uint64_t now_ms)
{
	const struct ike_pld_notify *n;
	uint16_t group;
	char num[8];
	size_t i;

	if (sa->ike_coll.active) {
		/* §2.8.2: the gateway refused ours; its own SA stands. */
		ike_log(sa, IR_LOG_INFO, "the gateway refused our IKE SA rekey "
		    "(%s) while its own crossed it: taking its new IKE SA",
		    ike_name_or_num(ike_notify_name(type), type, num,
		    sizeof(num)));
		ike_rekey_coll_adopt(sa, now_ms);
		return 0;
	}
	n = ike_msg_notify(m, IKE_N_INVALID_KE_PAYLOAD);
	if (n != NULL && ike_pld_notify_u16(n, &group) == 0 &&
	    group != sa->dh_group && crypto_kex_supported(group))
		for (i = 0; i < sa->conf.ike.n_dh; i++)
			if (sa->conf.ike.dh[i] == group) {
				ike_log(sa, IR_LOG_INFO, "the gateway wants "
				    "group %s for the IKE SA rekey",
				    ike_algs_dh_name(group));
				sa->dh_group = group;
				return ike_rekey_ike_start(sa, now_ms);
			}
	ike_log(sa, IR_LOG_INFO, "the gateway refused the IKE SA rekey "
	    "(%s); trying again later", ike_name_or_num(ike_notify_name(type),
	    type, num, sizeof(num)));
	sa->ike_rekey_ms = now_ms + IKE_REKEY_RETRY_MS;
	return 0;
}

/*
 * §2.8.2: "the SA created with the lowest of the four nonces" is the
 * redundant one.  Ours (A) used our Ni and the gateway's Nr in |m|; the
 * gateway's (B) the lower of its pair, kept in sa->ike_coll.
 */
static bool
ike_rekey_ike_lost(const struct ike_sa *sa, const struct ike_msg *m)
{
	const uint8_t *low_a = sa->rekey_ni;
	size_t low_a_len = sizeof(sa->rekey_ni);

	if (ike_nonce_lower(m->nonce.p, m->nonce.len, low_a, low_a_len)) {
		low_a = m->nonce.p;
		low_a_len = m->nonce.len;
	}
	return ike_nonce_lower(low_a, low_a_len, sa->ike_coll.low,
	    sa->ike_coll.low_len);
}

int
ike_rekey_ike_response(struct ike_sa *sa, const struct ike_msg *m,
    uint64_t now_ms)
{
	uint8_t g[CRYPTO_KEX_SECRET_MAX];
	struct crypto_xform *tx, *rx;
	struct crypto_ike_keys k;
	struct ike_props props;
	struct ike_choice c;
	size_t glen = 0, i;
	int rv;

	ike_req_done(sa);
	for (i = 0; i < m->nnotify; i++)
		if (ike_notify_is_error(m->notify[i].type)) {
			crypto_kex_free(sa->rekey_kex);
			sa->rekey_kex = NULL;
			return ike_rekey_ike_refused(sa, m, m->notify[i].type,
			    now_ms);
		}
	rv = ike_props_make(&props, &sa->conf.ike, IKE_PROTO_IKE,
	    sa->dh_group, true, 0);
	if (rv == 0 && (ike_msg_count(m, IKE_PLD_SA) == 0 ||
	    ike_msg_count(m, IKE_PLD_NONCE) == 0 ||
	    ike_msg_count(m, IKE_PLD_KE) == 0 ||
	    ike_props_check(&props, &m->sa, IKE_PROTO_IKE, &c) != 0 ||
	    c.spi_len != 8 || c.ike_spi == 0 || c.dh != sa->dh_group ||
	    m->ke.group != sa->dh_group))
		rv = IR_ERR_NO_PROPOSAL;
	if (rv == 0)
		rv = crypto_kex_derive(sa->rekey_kex, m->ke.data.p,
		    m->ke.data.len, g, sizeof(g), &glen);
	crypto_kex_free(sa->rekey_kex);
	sa->rekey_kex = NULL;
	if (rv == 0)
		rv = ike_rekey_ike_keys(sa, &c, g, glen, sa->rekey_ni,
		    sizeof(sa->rekey_ni), m->nonce.p, m->nonce.len,
		    sa->rekey_spi, c.ike_spi, true, &k, &tx, &rx);
	ir_wipe(g, sizeof(g));
	if (rv != 0)
		return ike_fail(sa, IR_ERR_NO_PROPOSAL, 0, "the gateway's "
		    "answer to our IKE SA rekey is unusable: %s",
		    ir_strerror(rv));
	if (sa->ike_coll.active && ike_rekey_ike_lost(sa, m)) {
		/* §2.8.2: ours (A) is redundant; the gateway's (B) stands
		 * and the gateway deletes the old SA. */
		crypto_ike_keys_clear(&k);
		ike_rekey_coll_adopt(sa, now_ms);
		ike_rekey_redundant(sa, tx, rx, sa->rekey_spi, c.ike_spi, true,
		    now_ms);
		return 0;
	}
	ike_rekey_ike_switch(sa, &c, &k, tx, rx, sa->rekey_spi, c.ike_spi,
	    true, now_ms);
	if (sa->ike_coll.active) {
		/* §2.8.2: the gateway's (B) is redundant: it deletes it. */
		ike_rekey_redundant(sa, sa->ike_coll.tx, sa->ike_coll.rx,
		    sa->ike_coll.spi_i, sa->ike_coll.spi_r, false, now_ms);
		sa->ike_coll.tx = sa->ike_coll.rx = NULL;
		ike_rekey_coll_clear(&sa->ike_coll);
	}
	/* §2.8, §2.8.2: the (surviving) rekey's initiator deletes the old
	 * SA. */
	if ((rv = ike_rekey_old_delete(sa, &sa->old_ike, now_ms)) != 0)
		ike_log(sa, IR_LOG_DEBUG, "%s: cannot delete the old IKE SA: "
		    "%s", __func__, ir_strerror(rv));
	return 0;
}

/* ---- The gateway's --------------------------------------------------- */

static int
ike_rekey_ike_answer(struct ike_sa *sa, const struct ike_msg *m,
    uint16_t type, uint16_t group)
{
	return ike_rekey_refuse(sa, m, "IKE SA rekey", type, group);
}

/* SA (ours, new SPIr), Nr, KEr, sent on the old SA. */
static int
ike_rekey_ike_send(struct ike_sa *sa, const struct ike_msg *m,
    struct ike_pld_prop *prop, uint64_t spi_r, const uint8_t *nr,
    uint16_t group, const uint8_t *pub, size_t pub_len)
{
	uint8_t spi[8];
	struct ike_msg_wr mw;
	struct wire_wr w;
	int rv;

	wire_put_u64(spi, spi_r);
	prop->spi = (struct ike_span){ spi, 8 };
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_sa_build(&mw, prop, 1)) != 0 ||
	    (rv = ike_pld_nonce_build(&mw, nr, IKE_NONCE_LEN)) != 0 ||
	    (rv = ike_pld_ke_build(&mw, group, pub, pub_len)) != 0)
		return rv;
	return ike_resp_send(sa, IKE_EXCH_CREATE_CHILD_SA, m->hdr.msg_id,
	    &mw);
}

/*
 * Can the request in flight (if any) finish on the old SA?  An
 * INFORMATIONAL whose answer changes nothing of the new SA: liveness,
 * a path check, a Child SA Delete; one message, not fragments.
 */
static bool
ike_rekey_ike_movable(const struct ike_sa *sa)
{
	switch (sa->req.kind) {
	case IKE_REQ_NONE:
		return true;
	case IKE_REQ_DPD:
	case IKE_REQ_PATH:
	case IKE_REQ_DELETE_CHILD:
		return sa->req.sent.n == 1 &&
		    sa->req.sent.len[0] <= sizeof(sa->b->old_req);
	default:
		return false;
	}
}

int
ike_rekey_ike_request(struct ike_sa *sa, const struct ike_msg *m,
    uint64_t now_ms)
{
	uint8_t nr[IKE_NONCE_LEN], pub[CRYPTO_KEX_PUB_MAX];
	uint8_t g[CRYPTO_KEX_SECRET_MAX];
	struct crypto_xform *tx = NULL, *rx = NULL;
	struct crypto_kex *kex = NULL;
	struct crypto_ike_keys k;
	struct ike_pld_xform xf[5];
	struct ike_pld_prop prop;
	struct ike_choice c;
	size_t pub_len = 0, glen = 0;
	uint64_t spi_r;
	uint16_t want = 0;
	bool crossing;
	int rv;

	/* §2.25: an exchange that cannot move to the old SA is in flight,
	 * or the last rekey is not finished.  Our own IKE SA rekey is a
	 * crossing (§2.8.2): answered, decided when ours ends. */
	crossing = sa->req.kind == IKE_REQ_REKEY_IKE;
	if ((!crossing && !ike_rekey_ike_movable(sa)) ||
	    ike_rekey_ike_busy(sa) || m->nonce.len > sizeof(sa->ike_coll.low))
		return ike_rekey_ike_answer(sa, m, IKE_N_TEMPORARY_FAILURE, 0);
	rv = ike_rekey_choose(&sa->conf.ike, &sa->conf.ike, &m->sa,
	    IKE_PROTO_IKE, ike_msg_count(m, IKE_PLD_KE) ? m->ke.group : 0, &c,
	    &prop, xf, &want);
	if (rv == IR_ERR_INVALID_KE)
		return ike_rekey_ike_answer(sa, m, IKE_N_INVALID_KE_PAYLOAD,
		    want);
	if (rv != 0 || c.ike_spi == 0)
		return ike_rekey_ike_answer(sa, m, IKE_N_NO_PROPOSAL_CHOSEN, 0);
	ike_log(sa, IR_LOG_INFO, "the gateway is rekeying IKE_SA "
	    "%016llx_i %016llx_r%s", (unsigned long long)sa->spi_i,
	    (unsigned long long)sa->spi_r, crossing ? " while we are too "
	    "(collision)" : "");
	spi_r = ike_rekey_ike_spi(sa);
	ike_random(sa, nr, sizeof(nr));
	rv = ike_rekey_kex_new(sa, &kex, c.dh);
	if (rv == 0)
		rv = crypto_kex_derive(kex, m->ke.data.p, m->ke.data.len, g,
		    sizeof(g), &glen);
	if (rv == 0)
		rv = crypto_kex_public(kex, pub, sizeof(pub), &pub_len);
	crypto_kex_free(kex);
	if (rv != 0)
		return ike_rekey_ike_answer(sa, m, IKE_N_INVALID_SYNTAX, 0);
	/* The gateway starts it: it is the new SA's original initiator. */
	rv = ike_rekey_ike_keys(sa, &c, g, glen, m->nonce.p, m->nonce.len, nr,
	    sizeof(nr), c.ike_spi, spi_r, false, &k, &tx, &rx);
	ir_wipe(g, sizeof(g));
	if (rv == 0 && (rv = ike_rekey_ike_send(sa, m, &prop, spi_r, nr, c.dh,
	    pub, pub_len)) != 0) {
		crypto_xform_free(tx);
		crypto_xform_free(rx);
		crypto_ike_keys_clear(&k);
	}
	if (rv != 0)
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "cannot answer the "
		    "gateway's IKE SA rekey: %s", ir_strerror(rv));
	if (crossing) {
		/* §2.8.2: B waits for our exchange to end. */
		struct ike_ike_coll *b = &sa->ike_coll;

		b->active = true;
		b->c = c;
		b->k = k;
		crypto_ike_keys_clear(&k);
		b->tx = tx;
		b->rx = rx;
		b->spi_i = c.ike_spi;
		b->spi_r = spi_r;
		if (ike_nonce_lower(nr, sizeof(nr), m->nonce.p,
		    m->nonce.len)) {
			memcpy(b->low, nr, sizeof(nr));
			b->low_len = sizeof(nr);
		} else {
			memcpy(b->low, m->nonce.p, m->nonce.len);
			b->low_len = m->nonce.len;
		}
		ir_wipe(nr, sizeof(nr));
		return 0;
	}
	ike_rekey_ike_switch(sa, &c, &k, tx, rx, c.ike_spi, spi_r, false,
	    now_ms);
	return 0;
}

/* ---- The old SA until its Delete ------------------------------------- */

struct ike_old_ike *
ike_rekey_old_match(struct ike_sa *sa, const struct ike_hdr *h)
{
	struct ike_old_ike *o[2] = { &sa->old_ike, &sa->red_ike };
	size_t i;

	for (i = 0; i < 2; i++)
		if (o[i]->active && h->spi_i == o[i]->spi_i &&
		    h->spi_r == o[i]->spi_r)
			return o[i];
	return NULL;
}

void
ike_rekey_old_clear(struct ike_sa *sa)
{
	ike_rekey_side_clear(&sa->old_ike);
	ike_rekey_side_clear(&sa->red_ike);
	ike_rekey_coll_clear(&sa->ike_coll);
}

/* An empty answer, or TEMPORARY_FAILURE to anything but INFORMATIONAL. */
static int
ike_rekey_old_answer(struct ike_sa *sa, struct ike_old_ike *o,
    const struct ike_msg *m)
{
	struct ike_hdr h = {
		.spi_i = o->spi_i, .spi_r = o->spi_r,
		.version = IKE_VERSION_2, .exch = m->hdr.exch,
		.flags = IKE_FLAG_RESPONSE |
		    (o->orig_init ? IKE_FLAG_INITIATOR : 0),
		.msg_id = m->hdr.msg_id,
	};
	struct ike_msg_wr mw;
	struct wire_wr w;
	size_t cap;
	uint8_t *buf = ike_side_resp(sa, o, &cap);
	int rv;

	ike_chain_begin(sa, &mw, &w);
	if (m->hdr.exch != IKE_EXCH_INFORMATIONAL &&
	    (rv = ike_pld_notify_build(&mw, 0, IKE_N_TEMPORARY_FAILURE, NULL,
	    0, NULL, 0)) != 0)
		return rv;
	ike_log_chain(sa, "generating", h.exch, true, h.msg_id,
	    mw.first_type, w.buf, w.len);
	rv = ike_seal_one(sa, o->tx, &h, &mw, buf, cap, &o->resp_sent);
	ir_wipe(sa->b->plain, w.len);
	o->peer_next_id = m->hdr.msg_id + 1;
	o->resp_valid = rv == 0;
	o->resp_id = m->hdr.msg_id;
	if (rv == 0)
		ike_send_sent(sa, buf, &o->resp_sent);
	return rv;
}

int
ike_rekey_old_input(struct ike_sa *sa, struct ike_old_ike *o,
    struct ike_msg *m, uint64_t now_ms)
{
	const struct ike_hdr *h = &m->hdr;
	size_t cap;
	bool resp = (h->flags & IKE_FLAG_RESPONSE) != 0;
	int rv;

	/* Ours answered, or the gateway's next (or repeated) request. */
	if (resp ? !o->req_active || h->msg_id != o->req_id ||
	    h->exch != IKE_EXCH_INFORMATIONAL :
	    ((h->flags & IKE_FLAG_INITIATOR) != 0) == o->orig_init ||
	    (h->msg_id != o->peer_next_id &&
	    !(o->resp_valid && h->msg_id == o->resp_id)))
		return IR_ERR_UNEXPECTED;
	if (ike_msg_count(m, IKE_PLD_SK) == 0)
		return IR_ERR_UNEXPECTED;	/* no fragments here */
	if ((rv = ike_msg_open(m, o->rx, sa->b->rx)) != 0)
		return rv;
	sa->last_rx_ms = now_ms;
	ike_log_msg(sa, "parsed", m);
	if (resp && o->req_kind != IKE_REQ_DELETE) {
		ike_log(sa, IR_LOG_DEBUG, "request %u answered on the old "
		    "IKE SA", h->msg_id);
		o->req_active = false;
		if (o->req_kind == IKE_REQ_DELETE_CHILD)
			ike_rekey_deleted(sa);
		return 0;
	}
	if (resp) {
		ike_log(sa, IR_LOG_INFO, "the %s IKE SA %016llx_i %016llx_r "
		    "is deleted", ike_side_name(o),
		    (unsigned long long)o->spi_i,
		    (unsigned long long)o->spi_r);
		ike_rekey_side_clear(o);
		return 0;
	}
	if (o->resp_valid && h->msg_id == o->resp_id) {
		ike_send_sent(sa, ike_side_resp(sa, o, &cap), &o->resp_sent);
		return 0;
	}
	if ((rv = ike_msg_check_rules(m)) != 0)
		return rv;
	if (h->exch == IKE_EXCH_INFORMATIONAL && m->ndel != 0 &&
	    m->del[0].proto == IKE_PROTO_IKE) {
		/* §2.8, §2.8.2: the rekeyed (or redundant) SA goes;
		 * nothing else does.  Keep it a little for a retransmission
		 * of this request. */
		ike_log(sa, IR_LOG_INFO, "the gateway deleted the %s IKE SA "
		    "%016llx_i %016llx_r", ike_side_name(o),
		    (unsigned long long)o->spi_i,
		    (unsigned long long)o->spi_r);
		o->until_ms = IR_MIN(o->until_ms, now_ms +
		    IKE_SHUTDOWN_WAIT_MS);
	}
	return ike_rekey_old_answer(sa, o, m);
}

static void
ike_rekey_side_expire(struct ike_sa *sa, struct ike_old_ike *o,
    uint64_t now_ms)
{
	size_t cap;

	if (!o->active)
		return;
	if (now_ms >= o->until_ms) {
		ike_log(sa, IR_LOG_DEBUG, "forgetting the %s IKE SA "
		    "%016llx_i %016llx_r", ike_side_name(o),
		    (unsigned long long)o->spi_i,
		    (unsigned long long)o->spi_r);
		ike_rekey_side_clear(o);
		return;
	}
	if (o->req_active && !sa->path.tcp && now_ms >= o->req_next_ms) {
		ike_log(sa, IR_LOG_DEBUG, "retransmit of request %u on the "
		    "%s IKE SA", o->req_id, ike_side_name(o));
		ike_send_sent(sa, ike_side_req(sa, o, &cap), &o->req_sent);
		o->req_interval = (uint32_t)IR_MIN((uint64_t)o->req_interval *
		    2, (uint64_t)sa->conf.retx_max_ms);
		o->req_next_ms = now_ms + o->req_interval;
	}
}

int
ike_rekey_old_expire(struct ike_sa *sa, uint64_t now_ms)
{
	ike_rekey_side_expire(sa, &sa->old_ike, now_ms);
	ike_rekey_side_expire(sa, &sa->red_ike, now_ms);
	return 0;
}

static uint64_t
ike_rekey_side_deadline(const struct ike_sa *sa, const struct ike_old_ike *o)
{
	if (!o->active)
		return UINT64_MAX;
	if (o->req_active && !sa->path.tcp)
		return IR_MIN(o->until_ms, o->req_next_ms);
	return o->until_ms;
}

uint64_t
ike_rekey_old_deadline(const struct ike_sa *sa)
{
	return IR_MIN(ike_rekey_side_deadline(sa, &sa->old_ike),
	    ike_rekey_side_deadline(sa, &sa->red_ike));
}
