/*
 * ike/ike_choose.c: choosing a proposal as the responder, RFC 7296 §2.7
 * and §3.3.6, for the gateway's CREATE_CHILD_SA requests (rekeys of the
 * IKE SA and of the Child SA).
 *
 * We take the gateway's proposals in its order of preference and, in
 * each, the first transform of every type that our configuration lists
 * (conf.ike for the IKE SA, conf.esp for ESP).  A proposal fits when it
 * leaves no needed type empty:
 *
 *   IKE:  ENCR, PRF, [INTEG unless AEAD], KE        (§3.3.3)
 *   ESP:  ENCR, [INTEG unless AEAD], [KE], ESN
 *
 * The answer holds exactly one transform of each type (§3.3.6).  The KE
 * transform must name the group of the KE payload (§1.3); when it names
 * only groups we do but not that one, the answer is INVALID_KE_PAYLOAD
 * with the group we prefer among them.
 */
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_int.h"

static bool
ike_choose_listed(const uint16_t *ids, size_t n, uint16_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* May we use transform |x| of a proposal of |proto|? */
static bool
ike_choose_ok(const struct ike_algs *ours, const struct ike_algs *groups,
    uint8_t proto, const struct ike_pld_xform *x)
{
	uint16_t bits = x->has_key_len ? x->key_len : 0;
	size_t i;

	if (x->unknown_attr)
		return false;
	switch (x->type) {
	case IKE_XF_ENCR:
		for (i = 0; i < ours->n_encr; i++)
			if (ours->encr[i].id == x->id &&
			    ours->encr[i].key_bits == bits)
				return crypto_encr_supported(x->id, bits);
		return false;
	case IKE_XF_PRF:
		return proto == IKE_PROTO_IKE &&
		    ike_choose_listed(ours->prf, ours->n_prf, x->id) &&
		    crypto_prf_supported(x->id);
	case IKE_XF_INTEG:
		return x->id != 0 &&
		    ike_choose_listed(ours->integ, ours->n_integ, x->id) &&
		    crypto_integ_supported(x->id);
	case IKE_XF_KE:
		return x->id != 0 &&
		    ike_choose_listed(groups->dh, groups->n_dh, x->id) &&
		    crypto_kex_supported(x->id);
	case IKE_XF_ESN:
		return proto == IKE_PROTO_ESP && (x->id == IKE_ESN_NO ||
		    (x->id == IKE_ESN_YES && ours->esn));
	}
	return false;
}

/* Our preferred group among the ones |pr| names, or 0. */
static uint16_t
ike_choose_group(const struct ike_algs *groups, const struct ike_pld_prop *pr)
{
	size_t i, j;

	for (i = 0; i < groups->n_dh; i++)
		for (j = 0; j < pr->nxf; j++)
			if (pr->xf[j].type == IKE_XF_KE &&
			    pr->xf[j].id == groups->dh[i] &&
			    crypto_kex_supported(groups->dh[i]))
				return groups->dh[i];
	return 0;
}

/*
 * One proposal: |pick[type]| the transform we take, NULL for none.  0,
 * IR_ERR_INVALID_KE (|*want| set) or IR_ERR_NO_PROPOSAL.
 */
static int
ike_choose_prop(const struct ike_algs *ours, const struct ike_algs *groups,
    const struct ike_pld_prop *pr, uint8_t proto, uint16_t ke_group,
    const struct ike_pld_xform *pick[6], uint16_t *want)
{
	const struct ike_pld_xform *x;
	bool has[6] = { false }, none_ke = false, aead;
	size_t i;

	memset(pick, 0, 6 * sizeof(pick[0]));
	for (i = 0; i < pr->nxf; i++) {
		x = &pr->xf[i];
		if (x->type < IKE_XF_ENCR || x->type > IKE_XF_ESN)
			return IR_ERR_NO_PROPOSAL;	/* §3.3.6 */
		has[x->type] = true;
		if (x->type == IKE_XF_KE && x->id == 0)
			none_ke = true;
		if (pick[x->type] != NULL ||
		    !ike_choose_ok(ours, groups, proto, x))
			continue;
		if (x->type == IKE_XF_KE && x->id != ke_group)
			continue;		/* not the KE payload's */
		pick[x->type] = x;
	}
	if (pick[IKE_XF_ENCR] == NULL)
		return IR_ERR_NO_PROPOSAL;
	aead = crypto_encr_is_aead(pick[IKE_XF_ENCR]->id);
	if (aead)
		pick[IKE_XF_INTEG] = NULL;	/* none, or NONE (§3.3.2) */
	else if (pick[IKE_XF_INTEG] == NULL)
		return IR_ERR_NO_PROPOSAL;
	if (proto == IKE_PROTO_IKE && pick[IKE_XF_PRF] == NULL)
		return IR_ERR_NO_PROPOSAL;
	if (proto == IKE_PROTO_ESP && has[IKE_XF_ESN] &&
	    pick[IKE_XF_ESN] == NULL)
		return IR_ERR_NO_PROPOSAL;
	/* §2.18: an IKE rekey always has a new key exchange. */
	if (pick[IKE_XF_KE] == NULL && (proto == IKE_PROTO_IKE ||
	    (has[IKE_XF_KE] && !(none_ke && ke_group == 0)))) {
		*want = ike_choose_group(groups, pr);
		return *want != 0 && *want != ke_group ? IR_ERR_INVALID_KE :
		    IR_ERR_NO_PROPOSAL;
	}
	return 0;
}

int
ike_rekey_choose(const struct ike_algs *ours, const struct ike_algs *groups,
    const struct ike_pld_sa *theirs, uint8_t proto, uint16_t ke_group,
    struct ike_choice *c, struct ike_pld_prop *out, struct ike_pld_xform xf[5],
    uint16_t *want)
{
	const struct ike_pld_xform *pick[6];
	const struct ike_pld_prop *pr;
	uint16_t w = 0, first_want = 0;
	size_t i, t;
	int rv;

	memset(c, 0, sizeof(*c));
	*want = 0;
	for (i = 0; i < theirs->nprop; i++) {
		pr = &theirs->prop[i];
		if (pr->proto != proto || pr->spi.len !=
		    (proto == IKE_PROTO_IKE ? 8u : 4u))
			continue;
		rv = ike_choose_prop(ours, groups, pr, proto, ke_group, pick,
		    &w);
		if (rv == IR_ERR_INVALID_KE && first_want == 0)
			first_want = w;
		if (rv != 0)
			continue;
		memset(out, 0, sizeof(*out));
		out->num = pr->num;
		out->proto = proto;
		out->xf = xf;
		for (t = IKE_XF_ENCR; t <= IKE_XF_ESN; t++)
			if (pick[t] != NULL)
				xf[out->nxf++] = *pick[t];
		c->encr = pick[IKE_XF_ENCR]->id;
		c->encr_bits = pick[IKE_XF_ENCR]->has_key_len ?
		    pick[IKE_XF_ENCR]->key_len : 0;
		c->prf = pick[IKE_XF_PRF] ? pick[IKE_XF_PRF]->id : 0;
		c->integ = pick[IKE_XF_INTEG] ? pick[IKE_XF_INTEG]->id : 0;
		c->dh = pick[IKE_XF_KE] ? pick[IKE_XF_KE]->id : 0;
		c->esn = pick[IKE_XF_ESN] && pick[IKE_XF_ESN]->id ==
		    IKE_ESN_YES;
		c->spi_len = (uint8_t)pr->spi.len;
		if (proto == IKE_PROTO_IKE)
			c->ike_spi = wire_get_u64(pr->spi.p);
		else
			c->spi = wire_get_u32(pr->spi.p);
		return 0;
	}
	if (first_want != 0) {
		*want = first_want;
		return IR_ERR_INVALID_KE;
	}
	return IR_ERR_NO_PROPOSAL;
}
