/*
 * ike/ike_init.c: the IKE_SA_INIT exchange, RFC 7296 §1.2.
 *
 *   HDR, SAi1, KEi, Ni, N(NATD_S_IP), N(NATD_D_IP), [N(FRAG_SUP)],
 *        N(HASH_ALG)  -->
 *                          <--  HDR, SAr1, KEr, Nr, N(NATD_*), [CERTREQ]
 *
 * or one of the short answers that restart it:
 *                          <--  HDR, N(COOKIE)             (§2.6)
 *                          <--  HDR, N(INVALID_KE_PAYLOAD) (§1.3, §2.7)
 *
 * Nothing in this exchange is authenticated, so an error Notify in
 * place of the answer may be forged by anyone on the path.  §2.21 says
 * to keep waiting for a real answer for a while; we remember the first
 * error and fail with it only when nothing better came within
 * half_open_notify_ms.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_algs.h"
#include "ike/ike_int.h"

/* ---- Proposals (§3.3) ------------------------------------------------ */

static void
ike_xf_add(struct ike_props *p, struct ike_pld_prop *pr, uint8_t type,
    uint16_t id, uint16_t key_bits)
{
	struct ike_pld_xform *x = &p->xf[(pr->xf - p->xf) + pr->nxf];

	memset(x, 0, sizeof(*x));
	x->type = type;
	x->id = id;
	x->key_len = key_bits;
	x->has_key_len = key_bits != 0;
	pr->nxf++;
}

/* One proposal: the AEAD ciphers alone, or the others with integrity. */
static void
ike_prop_make(struct ike_props *p, const struct ike_algs *a, uint8_t proto,
    uint16_t dh_first, bool with_dh, bool aead, size_t *used)
{
	struct ike_pld_prop *pr = &p->prop[p->nprop];
	size_t i, nencr = 0, ninteg = 0;

	memset(pr, 0, sizeof(*pr));
	pr->xf = &p->xf[*used];
	pr->proto = proto;
	pr->num = (uint8_t)(p->nprop + 1);
	for (i = 0; i < a->n_encr; i++) {
		if (crypto_encr_is_aead(a->encr[i].id) != aead ||
		    !crypto_encr_supported(a->encr[i].id, a->encr[i].key_bits))
			continue;
		ike_xf_add(p, pr, IKE_XF_ENCR, a->encr[i].id,
		    a->encr[i].key_bits);
		nencr++;
	}
	for (i = 0; !aead && i < a->n_integ; i++)
		if (a->integ[i] != 0 && crypto_integ_supported(a->integ[i])) {
			ike_xf_add(p, pr, IKE_XF_INTEG, a->integ[i], 0);
			ninteg++;
		}
	for (i = 0; proto == IKE_PROTO_IKE && i < a->n_prf; i++)
		if (crypto_prf_supported(a->prf[i]))
			ike_xf_add(p, pr, IKE_XF_PRF, a->prf[i], 0);
	if (with_dh && dh_first != 0)
		ike_xf_add(p, pr, IKE_XF_KE, dh_first, 0);
	for (i = 0; with_dh && i < a->n_dh; i++)
		if (a->dh[i] != dh_first && crypto_kex_supported(a->dh[i]))
			ike_xf_add(p, pr, IKE_XF_KE, a->dh[i], 0);
	if (proto == IKE_PROTO_ESP) {
		/* RFC 4303 Appendix A: offer what the profile asks first. */
		if (a->esn)
			ike_xf_add(p, pr, IKE_XF_ESN, IKE_ESN_YES, 0);
		ike_xf_add(p, pr, IKE_XF_ESN, IKE_ESN_NO, 0);
	}
	if (nencr == 0 || (!aead && ninteg == 0))
		return;			/* nothing to offer of this kind */
	if (proto == IKE_PROTO_ESP) {
		pr->spi.p = p->spi;
		pr->spi.len = 4;
	}
	*used += pr->nxf;
	p->nprop++;
}

int
ike_props_make(struct ike_props *p, const struct ike_algs *a, uint8_t proto,
    uint16_t dh_first, bool with_dh, uint32_t spi)
{
	size_t used = 0;

	memset(p, 0, sizeof(*p));
	wire_put_u32(p->spi, spi);
	ike_prop_make(p, a, proto, dh_first, with_dh, true, &used);
	ike_prop_make(p, a, proto, dh_first, with_dh, false, &used);
	return p->nprop == 0 ? IR_ERR_CONFIG : 0;
}

static bool
ike_xf_offered(const struct ike_pld_prop *ours, const struct ike_pld_xform *x)
{
	size_t i;

	for (i = 0; i < ours->nxf; i++)
		if (ours->xf[i].type == x->type && ours->xf[i].id == x->id &&
		    ours->xf[i].key_len == (x->has_key_len ? x->key_len : 0))
			return true;
	return false;
}

int
ike_props_check(const struct ike_props *offered, const struct ike_pld_sa *sa,
    uint8_t proto, struct ike_choice *c)
{
	const struct ike_pld_prop *got, *ours = NULL;
	unsigned seen = 0, want = 0;
	size_t i;

	memset(c, 0, sizeof(*c));
	/* §3.3.6: the responder returns exactly one proposal. */
	if (sa->nprop != 1)
		return IR_ERR_NO_PROPOSAL;
	got = &sa->prop[0];
	for (i = 0; i < offered->nprop; i++)
		if (offered->prop[i].num == got->num)
			ours = &offered->prop[i];
	if (ours == NULL || got->proto != proto)
		return IR_ERR_NO_PROPOSAL;
	/* ESP: 4 octets; IKE: none in IKE_SA_INIT, 8 in a rekey (§3.3.1). */
	if (proto == IKE_PROTO_ESP ? got->spi.len != 4 :
	    got->spi.len != 0 && got->spi.len != 8)
		return IR_ERR_NO_PROPOSAL;
	c->spi_len = (uint8_t)got->spi.len;
	if (proto == IKE_PROTO_ESP)
		c->spi = wire_get_u32(got->spi.p);
	else if (got->spi.len == 8)
		c->ike_spi = wire_get_u64(got->spi.p);
	for (i = 0; i < ours->nxf; i++)
		want |= 1u << ours->xf[i].type;
	for (i = 0; i < got->nxf; i++) {
		const struct ike_pld_xform *x = &got->xf[i];

		/* One transform of each type we offered, each one ours. */
		if (x->type > IKE_XF_ESN || (seen & (1u << x->type)) ||
		    x->unknown_attr || !ike_xf_offered(ours, x))
			return IR_ERR_NO_PROPOSAL;
		seen |= 1u << x->type;
		switch (x->type) {
		case IKE_XF_ENCR:
			c->encr = x->id;
			c->encr_bits = x->has_key_len ? x->key_len : 0;
			break;
		case IKE_XF_PRF: c->prf = x->id; break;
		case IKE_XF_INTEG: c->integ = x->id; break;
		case IKE_XF_KE: c->dh = x->id; break;
		case IKE_XF_ESN: c->esn = x->id == IKE_ESN_YES; break;
		}
	}
	return seen == want ? 0 : IR_ERR_NO_PROPOSAL;
}

/* ---- NAT detection (§2.23) ------------------------------------------- */

int
ike_natd_hash(uint64_t spi_i, uint64_t spi_r, uint8_t family,
    const uint8_t *addr, uint16_t port, uint8_t out[20])
{
	uint8_t spis[16], p[2];
	struct crypto_iov iov[3];

	wire_put_u64(spis, spi_i);
	wire_put_u64(spis + 8, spi_r);
	wire_put_u16(p, port);
	iov[0] = (struct crypto_iov){ spis, sizeof(spis) };
	iov[1] = (struct crypto_iov){ addr, family == 6 ? 16u : 4u };
	iov[2] = (struct crypto_iov){ p, sizeof(p) };
	return crypto_sha1(iov, 3, out);
}

int
ike_natd_build(struct ike_sa *sa, struct ike_msg_wr *mw, uint64_t spi_r)
{
	const struct ike_path *p = &sa->path;
	uint8_t src[20], dst[20];
	int rv;

	if (sa->conf.force_encap)
		/* strongSwan's trick: a source hash that cannot match, so
		 * the gateway believes we are behind a NAT and puts ESP in
		 * UDP, the only ESP a userspace engine receives. */
		ike_random(sa, src, sizeof(src));
	else if ((rv = ike_natd_hash(sa->spi_i, spi_r, p->family, p->local_addr,
	    p->local_port, src)) != 0)
		return rv;
	if ((rv = ike_natd_hash(sa->spi_i, spi_r, p->family, p->remote_addr,
	    p->remote_port, dst)) != 0)
		return rv;
	if ((rv = ike_pld_notify_build(mw, 0, IKE_N_NAT_DETECTION_SOURCE_IP,
	    NULL, 0, src, sizeof(src))) != 0)
		return rv;
	return ike_pld_notify_build(mw, 0, IKE_N_NAT_DETECTION_DESTINATION_IP,
	    NULL, 0, dst, sizeof(dst));
}

int
ike_natd_match(const struct ike_sa *sa, const struct ike_msg *m,
    uint16_t type, const uint8_t *addr, uint16_t port, bool *found,
    bool *match)
{
	uint8_t want[20];
	size_t i;
	int rv;

	*found = *match = false;
	if ((rv = ike_natd_hash(sa->spi_i, sa->spi_r, sa->path.family, addr,
	    port, want)) != 0)
		return rv;
	for (i = 0; i < m->nnotify; i++) {
		if (m->notify[i].type != type)
			continue;
		*found = true;
		if (m->notify[i].data.len == sizeof(want) &&
		    memcmp(m->notify[i].data.p, want, sizeof(want)) == 0)
			*match = true;
	}
	return 0;
}

/*
 * RFC 7296 §2.23: both NAT-D notifies in |m| checked against the current
 * path; when both are there, sa->nat_local and sa->nat_remote say who is
 * behind a NAT and |*found| is true.
 */
int
ike_natd_detect(struct ike_sa *sa, const struct ike_msg *m, bool *found)
{
	bool fs, ms, fd, md;
	int rv;

	*found = false;
	if ((rv = ike_natd_match(sa, m, IKE_N_NAT_DETECTION_SOURCE_IP,
	    sa->path.remote_addr, sa->path.remote_port, &fs, &ms)) != 0 ||
	    (rv = ike_natd_match(sa, m, IKE_N_NAT_DETECTION_DESTINATION_IP,
	    sa->path.local_addr, sa->path.local_port, &fd, &md)) != 0)
		return rv;
	if (!fs || !fd)
		return 0;
	*found = true;
	sa->nat_remote = !ms;
	sa->nat_local = !md;
	return 0;
}

static int
ike_init_nat(struct ike_sa *sa, const struct ike_msg *m)
{
	bool found;
	int rv;

	if ((rv = ike_natd_detect(sa, m, &found)) != 0)
		return rv;
	if (!found) {
		if (sa->conf.force_encap && sa->cb.nat != NULL)
			sa->cb.nat(sa->ud, false, false);
		return 0;	/* the gateway does no NAT-T */
	}
	ike_log(sa, IR_LOG_INFO, "NAT detection: %s, %s",
	    sa->nat_local ? "we are behind a NAT" : "no NAT on our side",
	    sa->nat_remote ? "the gateway is behind a NAT" :
	    "the gateway is not behind a NAT");
	if (sa->cb.nat != NULL)
		sa->cb.nat(sa->ud, sa->nat_local, sa->nat_remote);
	return 0;
}

/* ---- The request ----------------------------------------------------- */

static int
ike_init_kex(struct ike_sa *sa)
{
	uint8_t seed[CRYPTO_KEX_SEED_MAX];
	size_t len = crypto_kex_seed_len(sa->dh_group);
	int rv = IR_ERR_UNSUPPORTED, i;

	if (sa->kex != NULL && crypto_kex_group(sa->kex) == sa->dh_group)
		return 0;
	crypto_kex_free(sa->kex);
	sa->kex = NULL;
	if (len == 0 || len > sizeof(seed))
		return IR_ERR_UNSUPPORTED;
	/* A seed that is no private key (P-256 scalar >= n) is redrawn. */
	for (i = 0; i < 8; i++) {
		ike_random(sa, seed, len);
		rv = crypto_kex_new(&sa->kex, sa->dh_group, seed, len);
		if (rv != IR_ERR_INVALID_KE)
			break;
	}
	ir_wipe(seed, sizeof(seed));
	return rv;
}

static int
ike_init_build(struct ike_sa *sa, struct wire_wr *w)
{
	/* RFC 7427 §4: SHA2-256, SHA2-384, SHA2-512 and Identity. */
	static const uint8_t hashes[] = { 0, 2, 0, 3, 0, 4, 0, 5 };
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .version = IKE_VERSION_2,
		.exch = IKE_EXCH_IKE_SA_INIT, .flags = IKE_FLAG_INITIATOR,
	};
	uint8_t pub[CRYPTO_KEX_PUB_MAX];
	struct ike_props *props = (struct ike_props *)sa->b->plain;
	struct ike_msg_wr mw;
	size_t pub_len;
	int rv;

	_Static_assert(sizeof(struct ike_props) <= IKE_TX_MAX, "scratch");
	if ((rv = ike_props_make(props, &sa->conf.ike, IKE_PROTO_IKE,
	    sa->dh_group, true, 0)) != 0 ||
	    (rv = crypto_kex_public(sa->kex, pub, sizeof(pub), &pub_len)) != 0)
		return rv;
	ike_msg_wr_begin(&mw, w, &h);
	/* §2.6: the cookie goes first, everything else unchanged. */
	if (sa->cookie_len != 0 && (rv = ike_pld_notify_build(&mw, 0,
	    IKE_N_COOKIE, NULL, 0, sa->cookie, sa->cookie_len)) != 0)
		return rv;
	if ((rv = ike_pld_sa_build(&mw, props->prop, props->nprop)) != 0 ||
	    (rv = ike_pld_ke_build(&mw, sa->dh_group, pub, pub_len)) != 0 ||
	    (rv = ike_pld_nonce_build(&mw, sa->ni, sizeof(sa->ni))) != 0 ||
	    (rv = ike_natd_build(sa, &mw, 0)) != 0)
		return rv;
	/* Negotiated over TCP too, though unused there, so that the SA can
	 * move back to UDP later (RFC 9329 §5). */
	if (sa->conf.fragmentation &&
	    (rv = ike_pld_notify_build(&mw, 0,
	    IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0, NULL, 0)) != 0)
		return rv;
	if ((rv = ike_pld_notify_build(&mw, 0, IKE_N_SIGNATURE_HASH_ALGORITHMS,
	    NULL, 0, hashes, sizeof(hashes))) != 0 ||
	    (rv = ike_redirect_build(sa, &mw)) != 0)
		return rv;
	/* RFC 6023 §3: both ends announce it in IKE_SA_INIT. */
	if (sa->conf.childless != IKE_CHILDLESS_NEVER &&
	    (rv = ike_pld_notify_build(&mw, 0,
	    IKE_N_CHILDLESS_IKEV2_SUPPORTED, NULL, 0, NULL, 0)) != 0)
		return rv;
	return ike_msg_wr_finish(&mw);
}

int
ike_init_send(struct ike_sa *sa, uint64_t now_ms)
{
	struct wire_wr w;
	int rv;

	if (sa->state == IKE_S_IDLE) {
		do
			ike_random(sa, (uint8_t *)&sa->spi_i, sizeof(sa->spi_i));
		while (sa->spi_i == 0);
		ike_random(sa, sa->ni, sizeof(sa->ni));
	}
	sa->spi_r = 0;
	sa->next_id = 0;
	if ((rv = ike_init_kex(sa)) != 0)
		return ike_fail(sa, IR_ERR_CONFIG, 0, "cannot make a key "
		    "exchange for group %u: %s", sa->dh_group,
		    ir_strerror(rv));
	wire_wr_init(&w, sa->b->tx, sizeof(sa->b->msg1));
	if ((rv = ike_init_build(sa, &w)) != 0)
		return ike_fail(sa, IR_ERR_CONFIG, 0, "cannot build "
		    "IKE_SA_INIT: %s (too many algorithms?)", ir_strerror(rv));
	memcpy(sa->b->msg1, sa->b->tx, w.len);
	sa->msg1_len = w.len;
	ike_log_chain(sa, "generating", IKE_EXCH_IKE_SA_INIT, false, 0,
	    sa->b->tx[16], sa->b->tx + IKE_HDR_LEN, w.len - IKE_HDR_LEN);
	ike_set_state(sa, IKE_S_INIT_SENT);
	return ike_req_send_plain(sa, IKE_REQ_INIT, IKE_EXCH_IKE_SA_INIT,
	    w.len, now_ms);
}

/* ---- The response ---------------------------------------------------- */

static bool
ike_group_offered(const struct ike_sa *sa, uint16_t group)
{
	size_t i;

	for (i = 0; i < sa->conf.ike.n_dh; i++)
		if (sa->conf.ike.dh[i] == group)
			return crypto_kex_supported(group);
	return false;
}

/*
 * A restart (§2.6 COOKIE, §1.3 INVALID_KE_PAYLOAD) with the new data.
 * |fresh_spi|: start over with a new SPIi.  Over TCP, libreswan 4.10
 * closes the connection after INVALID_KE_PAYLOAD and then ignores the
 * retried IKE_SA_INIT under the same SPIi on the new connection (it ties
 * the half-open SA to the dead socket); a new SPIi is a new exchange to
 * it, and RFC 7296 §1.3 does not ask for the old one.
 */
static int
ike_init_restart(struct ike_sa *sa, bool fresh_spi, uint64_t now_ms)
{
	ike_req_done(sa);
	sa->early_notify = 0;
	sa->early_bad_prop = false;
	if (fresh_spi) {
		do
			ike_random(sa, (uint8_t *)&sa->spi_i, sizeof(sa->spi_i));
		while (sa->spi_i == 0);
	}
	return ike_init_send(sa, now_ms);
}

/*
 * §2.21: an error in place of the answer (a Notify of |type|, or |what|
 * when not NULL); remember the first, keep waiting.
 */
static int
ike_init_early(struct ike_sa *sa, uint16_t type, const char *what,
    uint64_t now_ms)
{
	char num[8];

	ike_log(sa, IR_LOG_INFO, "IKE_SA_INIT answered with %s; waiting "
	    "%u ms for another answer (RFC 7296 2.21)", what != NULL ? what :
	    ike_name_or_num(ike_notify_name(type), type, num, sizeof(num)),
	    sa->conf.half_open_notify_ms);
	if (sa->early_notify == 0) {
		sa->early_notify = type;
		sa->early_until = now_ms + sa->conf.half_open_notify_ms;
	}
	return 0;
}

int
ike_init_early_fail(struct ike_sa *sa)
{
	uint16_t type = sa->early_notify;
	char num[8];

	sa->early_notify = 0;
	if (sa->early_bad_prop)
		return ike_fail(sa, IR_ERR_NO_PROPOSAL, 0, "the gateway "
		    "chose an IKE proposal we did not offer");
	switch (type) {
	case IKE_N_NO_PROPOSAL_CHOSEN:
		return ike_fail(sa, IR_ERR_NO_PROPOSAL, type, "the gateway "
		    "accepted none of our IKE proposals (NO_PROPOSAL_CHOSEN): "
		    "check --ike against the gateway's configuration");
	case IKE_N_INVALID_KE_PAYLOAD:
		return ike_fail(sa, IR_ERR_NO_PROPOSAL, type, "the gateway "
		    "wants a key exchange group we did not offer "
		    "(INVALID_KE_PAYLOAD): add it to --ike");
	}
	return ike_fail(sa, IR_ERR_NO_PROPOSAL, type, "the gateway refused "
	    "IKE_SA_INIT (%s)", ike_name_or_num(ike_notify_name(type), type,
	    num, sizeof(num)));
}

static int
ike_init_notify(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	const struct ike_pld_notify *n;
	uint16_t group;
	size_t i;
	int rv;

	if ((rv = ike_redirect_init(sa, m)) != IR_ERR_NOT_FOUND)
		return rv;
	if ((n = ike_msg_notify(m, IKE_N_COOKIE)) != NULL) {
		if (n->data.len == 0 || n->data.len > IKE_COOKIE_MAX ||
		    sa->n_cookie >= IKE_COOKIE_TRIES)
			return IR_ERR_UNEXPECTED;
		sa->n_cookie++;
		memcpy(sa->cookie, n->data.p, n->data.len);
		sa->cookie_len = n->data.len;
		ike_log(sa, IR_LOG_INFO, "the gateway asks for a cookie, "
		    "restarting IKE_SA_INIT");
		return ike_init_restart(sa, false, now_ms);
	}
	if ((n = ike_msg_notify(m, IKE_N_INVALID_KE_PAYLOAD)) != NULL) {
		if (ike_pld_notify_u16(n, &group) != 0)
			return IR_ERR_MALFORMED;
		/* Only a group we offered, and not the one we sent. */
		if (!ike_group_offered(sa, group) || group == sa->dh_group ||
		    sa->n_invalid_ke >= IKE_KE_TRIES) {
			ike_log(sa, IR_LOG_INFO, "INVALID_KE_PAYLOAD for group "
			    "%u, which we cannot use", group);
			return ike_init_early(sa, n->type, NULL, now_ms);
		}
		sa->n_invalid_ke++;
		ike_log(sa, IR_LOG_INFO, "the gateway wants key exchange "
		    "group %s, restarting IKE_SA_INIT",
		    ike_algs_dh_name(group));
		sa->dh_group = group;
		return ike_init_restart(sa, sa->path.tcp, now_ms);
	}
	for (i = 0; i < m->nnotify; i++)
		if (ike_notify_is_error(m->notify[i].type))
			return ike_init_early(sa, m->notify[i].type, NULL,
			    now_ms);
	return IR_ERR_MALFORMED;
}

static void
ike_init_caps(struct ike_sa *sa, const struct ike_msg *m)
{
	struct wire_rd r;
	uint16_t id;
	size_t i;

	for (i = 0; i < m->nnotify; i++) {
		const struct ike_pld_notify *n = &m->notify[i];

		if (n->type == IKE_N_IKEV2_FRAGMENTATION_SUPPORTED)
			sa->peer_frag = true;
		if (n->type == IKE_N_CHILDLESS_IKEV2_SUPPORTED)
			sa->peer_childless = true;
		if (n->type != IKE_N_SIGNATURE_HASH_ALGORITHMS)
			continue;
		wire_rd_init(&r, n->data.p, n->data.len);
		while (wire_rd_u16(&r, &id))
			if (id < 32)
				sa->peer_hashes |= CRYPTO_HASH_BIT(id);
	}
}

/* SKEYSEED and SK_* (§2.14), then the two SK transforms. */
static int
ike_init_keys(struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t g_ir[CRYPTO_KEX_SECRET_MAX], skeyseed[CRYPTO_PRF_MAX];
	uint8_t spi_i[8], spi_r[8];
	size_t g_len, integ_len, encr_len;
	int rv;

	rv = crypto_kex_derive(sa->kex, m->ke.data.p, m->ke.data.len, g_ir,
	    sizeof(g_ir), &g_len);
	if (rv != 0)
		return rv;
	wire_put_u64(spi_i, sa->spi_i);
	wire_put_u64(spi_r, sa->spi_r);
	integ_len = sa->integ ? crypto_integ_key_len(sa->integ) : 0;
	encr_len = crypto_encr_key_len(sa->encr, sa->encr_bits);
	rv = crypto_skeyseed(sa->prf, sa->ni, sizeof(sa->ni), sa->nr,
	    sa->nr_len, g_ir, g_len, skeyseed);
	ir_wipe(g_ir, sizeof(g_ir));
	if (rv == 0)
		rv = crypto_ike_keys_derive(sa->prf, skeyseed, sa->ni,
		    sizeof(sa->ni), sa->nr, sa->nr_len, spi_i, spi_r,
		    integ_len, encr_len, &sa->keys);
	ir_wipe(skeyseed, sizeof(skeyseed));
	if (rv == 0)
		rv = crypto_xform_new(&sa->tx, sa->encr, sa->encr_bits,
		    sa->integ, sa->keys.sk_ei, encr_len, sa->keys.sk_ai,
		    integ_len);
	if (rv == 0)
		rv = crypto_xform_new(&sa->rx, sa->encr, sa->encr_bits,
		    sa->integ, sa->keys.sk_er, encr_len, sa->keys.sk_ar,
		    integ_len);
	return rv;
}

int
ike_init_response(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	struct ike_props *props = (struct ike_props *)sa->b->plain;
	struct ike_choice c;
	int rv;

	if (ike_msg_count(m, IKE_PLD_SA) == 0)
		return ike_init_notify(sa, m, now_ms);
	if (ike_msg_count(m, IKE_PLD_KE) == 0 || m->hdr.spi_r == 0)
		return IR_ERR_MALFORMED;
	if ((rv = ike_props_make(props, &sa->conf.ike, IKE_PROTO_IKE,
	    sa->dh_group, true, 0)) != 0)
		return rv;
	if (ike_props_check(props, &m->sa, IKE_PROTO_IKE, &c) != 0 ||
	    c.spi_len != 0 || c.dh != sa->dh_group ||
	    m->ke.group != sa->dh_group) {
		/* Unauthenticated like an error notify (§2.21): anyone on
		 * the path can send it, so the genuine answer may follow. */
		if (sa->early_notify == 0)
			sa->early_bad_prop = true;
		return ike_init_early(sa, IKE_N_NO_PROPOSAL_CHOSEN,
		    "a proposal we did not offer", now_ms);
	}
	if (m->raw_len > sizeof(sa->b->msg2) || m->nonce.len > sizeof(sa->nr))
		return IR_ERR_MALFORMED;
	sa->spi_r = m->hdr.spi_r;
	sa->encr = c.encr;
	sa->encr_bits = c.encr_bits;
	sa->integ = crypto_encr_is_aead(c.encr) ? 0 : c.integ;
	sa->prf = c.prf;
	memcpy(sa->nr, m->nonce.p, m->nonce.len);
	sa->nr_len = m->nonce.len;
	if ((rv = ike_init_keys(sa, m)) != 0) {
		crypto_xform_free(sa->tx);
		crypto_xform_free(sa->rx);
		sa->tx = sa->rx = NULL;
		sa->spi_r = 0;
		ike_log(sa, IR_LOG_DEBUG, "%s: dropped: keys: %s", __func__,
		    ir_strerror(rv));
		return rv == IR_ERR_INVALID_KE ? IR_ERR_MALFORMED : rv;
	}
	memcpy(sa->b->msg2, m->raw, m->raw_len);
	sa->msg2_len = m->raw_len;
	crypto_kex_free(sa->kex);
	sa->kex = NULL;
	ike_req_done(sa);
	sa->early_notify = 0;
	sa->early_bad_prop = false;
	ike_log(sa, IR_LOG_INFO, "selected proposal: IKE:%s/%s%s%s/%s",
	    ike_algs_encr_name(c.encr, c.encr_bits), ike_algs_prf_name(c.prf),
	    sa->integ ? "/" : "", sa->integ ? ike_algs_integ_name(sa->integ) :
	    "", ike_algs_dh_name(c.dh));
	ike_init_caps(sa, m);
	if ((rv = ike_init_nat(sa, m)) != 0)
		return ike_fail(sa, rv, 0, "NAT detection failed: %s",
		    ir_strerror(rv));
	return ike_auth_send(sa, now_ms);
}
