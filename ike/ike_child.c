/*
 * ike/ike_child.c: the ESP Child SA of IKE_AUTH and CREATE_CHILD_SA:
 * its SA payload (§3.3), traffic selectors (§2.9, §3.13) and keys
 * (§2.17).
 *
 * KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) is taken in the order
 * ENCR_i2r | INTEG_i2r | ENCR_r2i | INTEG_r2i, where i is the initiator
 * of the exchange.  We initiate, so our inbound ("in") SA uses the r2i
 * keys with the SPI we chose, and our outbound one the i2r keys with the
 * gateway's SPI.
 */
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_algs.h"
#include "ike/ike_int.h"

/* 0.0.0.0 - 255.255.255.255 and :: - ffff:...:ffff, any protocol. */
void
ike_ts_default(struct ike_ts *ts, size_t *n, const struct ike_ts *conf,
    size_t nconf)
{
	if (nconf != 0) {
		memcpy(ts, conf, nconf * sizeof(*ts));
		*n = nconf;
		return;
	}
	memset(ts, 0, 2 * sizeof(*ts));
	ts[0].type = IKE_TST_IPV4_ADDR_RANGE;
	ts[0].port_hi = 0xffff;
	memset(ts[0].end, 0xff, 4);
	ts[1].type = IKE_TST_IPV6_ADDR_RANGE;
	ts[1].port_hi = 0xffff;
	memset(ts[1].end, 0xff, 16);
	*n = 2;
}

static void
ike_ts_to_pld(const struct ike_ts *ts, size_t n, struct ike_pld_ts *out)
{
	size_t i, alen;

	for (i = 0; i < n; i++) {
		alen = ts[i].type == IKE_TST_IPV6_ADDR_RANGE ? 16 : 4;
		out[i].type = ts[i].type;
		out[i].ip_proto = ts[i].proto;
		out[i].start_port = ts[i].port_lo;
		out[i].end_port = ts[i].port_hi;
		out[i].start = (struct ike_span){ ts[i].start, alen };
		out[i].end = (struct ike_span){ ts[i].end, alen };
	}
}

int
ike_child_build_sa(struct ike_sa *sa, struct ike_msg_wr *mw, uint32_t spi,
    uint16_t group)
{
	struct ike_props props;
	int rv;

	if ((rv = ike_props_make(&props, &sa->conf.esp, IKE_PROTO_ESP, group,
	    group != 0, spi)) != 0)
		return rv;
	return ike_pld_sa_build(mw, props.prop, props.nprop);
}

/* ---- Slots: one Child SA each (ike_int.h) ---------------------------- */

void
ike_slot_use(struct ike_sa *sa, size_t i)
{
	sa->cs = &sa->slot[i];
	sa->child = &sa->cs->sa;
}

struct ike_child_slot *
ike_slot_find(struct ike_sa *sa, uint32_t spi, bool out)
{
	size_t i;

	for (i = 0; i < IKE_CHILD_MAX; i++)
		if (sa->slot[i].sa.up && spi != 0 &&
		    (out ? sa->slot[i].sa.spi_out : sa->slot[i].sa.spi_in) ==
		    spi)
			return &sa->slot[i];
	return NULL;
}

/* The remote selectors the current slot asks for. */
static void
ike_slot_ts_remote(const struct ike_sa *sa, struct ike_ts *ts, size_t *n)
{
	if (sa->cs->n_ts_remote != 0)
		ike_ts_default(ts, n, sa->cs->ts_remote, sa->cs->n_ts_remote);
	else
		ike_ts_default(ts, n, sa->conf.ts_remote,
		    sa->conf.n_ts_remote);
}

/* Is |e| inside one of the selectors some Child SA up was given? */
static bool
ike_slot_covered(const struct ike_sa *sa, const struct ike_ts *e)
{
	size_t alen = e->type == IKE_TST_IPV6_ADDR_RANGE ? 16 : 4, i, j;
	const struct ike_ts *g;

	for (i = 0; i < IKE_CHILD_MAX; i++) {
		if (!sa->slot[i].used || !sa->slot[i].sa.up)
			continue;
		for (j = 0; j < sa->slot[i].n_got; j++) {
			g = &sa->slot[i].got[j];
			if (g->type == e->type &&
			    (g->proto == 0 || g->proto == e->proto) &&
			    g->port_lo <= e->port_lo &&
			    e->port_hi <= g->port_hi &&
			    memcmp(g->start, e->start, alen) <= 0 &&
			    memcmp(e->end, g->end, alen) <= 0)
				return true;
		}
	}
	return false;
}

/*
 * §2.9: the gateway may narrow what we asked for to a part, and set up
 * the rest only when asked again (strongSwan picks one child config per
 * exchange).  When no Child SA is being made, the selectors of
 * conf.ts_remote that no Child SA up covers, each asked for once, go
 * into a new slot, made by CREATE_CHILD_SA as soon as the window allows.
 */
static void
ike_slot_remainder(struct ike_sa *sa, uint64_t now_ms)
{
	struct ike_child_slot *s = NULL;
	uint32_t want = 0;
	size_t i, n = 0;

	for (i = 0; i < IKE_CHILD_MAX; i++) {
		if (sa->slot[i].used && !sa->slot[i].sa.up &&
		    sa->slot[i].create_ms != UINT64_MAX)
			return;		/* one on its way */
		if (!sa->slot[i].used && s == NULL)
			s = &sa->slot[i];
	}
	for (i = 0; i < sa->conf.n_ts_remote && i < 32; i++)
		if (!(sa->ts_asked & (1u << i)) &&
		    !ike_slot_covered(sa, &sa->conf.ts_remote[i]))
			want |= 1u << i;
	if (want == 0)
		return;
	if (s == NULL) {
		ike_log(sa, IR_LOG_WARN, "the gateway narrowed our traffic "
		    "selectors and %u Child SAs are all we make: the rest is "
		    "not asked for", IKE_CHILD_MAX);
		sa->ts_asked |= want;
		return;
	}
	memset(s, 0, sizeof(*s));
	for (i = 0; i < sa->conf.n_ts_remote && i < 32; i++)
		if (want & (1u << i))
			s->ts_remote[n++] = sa->conf.ts_remote[i];
	s->n_ts_remote = (uint8_t)n;
	s->used = true;
	s->sa.rekey_ms = UINT64_MAX;
	s->create_ms = now_ms;
	sa->ts_asked |= want;
	ike_log(sa, IR_LOG_INFO, "the gateway narrowed our traffic selectors "
	    "(RFC 7296 2.9): asking for the other %zu in another CHILD_SA", n);
}

/* A refused Child SA for the rest (§2.9): forget its slot. */
bool
ike_slot_give_up(struct ike_sa *sa, uint16_t type)
{
	char num[8];

	if (sa->cs == &sa->slot[0] || sa->child->up)
		return false;
	ike_log(sa, IR_LOG_WARN, "the gateway refused a Child SA for the rest "
	    "of our traffic selectors (%s): that traffic stays out of the "
	    "tunnel", ike_name_or_num(ike_notify_name(type), type, num,
	    sizeof(num)));
	memset(sa->cs, 0, sizeof(*sa->cs));
	sa->cs->sa.rekey_ms = UINT64_MAX;
	sa->cs->create_ms = UINT64_MAX;
	return true;
}

int
ike_child_build_ts(struct ike_sa *sa, struct ike_msg_wr *mw)
{
	struct ike_ts ts[IKE_TS_MAX];
	struct ike_pld_ts p[IKE_TS_MAX];
	size_t n;
	int rv;

	ike_ts_default(ts, &n, sa->conf.ts_local, sa->conf.n_ts_local);
	ike_ts_to_pld(ts, n, p);
	if ((rv = ike_pld_ts_build(mw, IKE_PLD_TSI, p, n)) != 0)
		return rv;
	ike_slot_ts_remote(sa, ts, &n);
	ike_ts_to_pld(ts, n, p);
	return ike_pld_ts_build(mw, IKE_PLD_TSR, p, n);
}

/* Is |got| inside |ours| (same family, protocol, ports, addresses)? */
static bool
ike_ts_inside(const struct ike_ts *ours, const struct ike_pld_ts *got)
{
	size_t alen = ours->type == IKE_TST_IPV6_ADDR_RANGE ? 16 : 4;

	if (got->type != ours->type || got->start.len != alen ||
	    got->end.len != alen)
		return false;
	if (ours->proto != 0 && got->ip_proto != ours->proto)
		return false;
	if (got->start_port > got->end_port ||
	    got->start_port < ours->port_lo || got->end_port > ours->port_hi)
		return false;
	return memcmp(got->start.p, got->end.p, alen) <= 0 &&
	    memcmp(got->start.p, ours->start, alen) >= 0 &&
	    memcmp(got->end.p, ours->end, alen) <= 0;
}

bool
ike_ts_narrowed(const struct ike_ts *ours, size_t nours,
    const struct ike_pld_ts_list *got)
{
	size_t i, j;
	bool in;

	if (got->nts == 0)
		return false;
	for (i = 0; i < got->nts; i++) {
		for (in = false, j = 0; j < nours && !in; j++)
			in = ike_ts_inside(&ours[j], &got->ts[i]);
		if (!in)
			return false;
	}
	return true;
}

void
ike_ts_from_pld(const struct ike_pld_ts_list *l, struct ike_ts *out,
    uint8_t *n)
{
	size_t i;

	for (i = 0; i < l->nts && i < IKE_TS_MAX; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].type = l->ts[i].type;
		out[i].proto = l->ts[i].ip_proto;
		out[i].port_lo = l->ts[i].start_port;
		out[i].port_hi = l->ts[i].end_port;
		memcpy(out[i].start, l->ts[i].start.p, l->ts[i].start.len);
		memcpy(out[i].end, l->ts[i].end.p, l->ts[i].end.len);
	}
	*n = (uint8_t)i;
}

int
ike_child_keys(uint16_t prf, const uint8_t *sk_d, size_t sk_d_len,
    const uint8_t *g_ir, size_t g_ir_len, const uint8_t *ni, size_t ni_len,
    const uint8_t *nr, size_t nr_len, struct ike_child *c)
{
	uint8_t km[2 * (CRYPTO_ENCR_KEY_MAX + CRYPTO_INTEG_KEY_MAX)];
	size_t e = c->encr_key_len, a = c->integ_key_len;
	int rv;

	if (e > CRYPTO_ENCR_KEY_MAX || a > CRYPTO_INTEG_KEY_MAX)
		return IR_ERR_INTERNAL;
	rv = crypto_child_keymat(prf, sk_d, sk_d_len, g_ir, g_ir_len, ni,
	    ni_len, nr, nr_len, km, 2 * (e + a));
	if (rv == 0) {
		memcpy(c->encr_key_out, km, e);			/* i2r */
		memcpy(c->integ_key_out, km + e, a);
		memcpy(c->encr_key_in, km + e + a, e);		/* r2i */
		memcpy(c->integ_key_in, km + 2 * e + a, a);
	}
	ir_wipe(km, sizeof(km));
	return rv;
}

static void
ike_child_log(const struct ike_sa *sa, const struct ike_child *c)
{
	char ts[160];
	size_t i, o = 0;
	int n;

	ts[0] = '\0';
	for (i = 0; i < c->n_ts_local && c->ts_local[i].type ==
	    IKE_TST_IPV4_ADDR_RANGE; i++) {
		const uint8_t *s = c->ts_local[i].start, *e = c->ts_local[i].end;

		n = snprintf(ts + o, sizeof(ts) - o, "%u.%u.%u.%u-%u.%u.%u.%u ",
		    s[0], s[1], s[2], s[3], e[0], e[1], e[2], e[3]);
		if (n < 0 || (size_t)n >= sizeof(ts) - o)
			break;
		o += (size_t)n;
	}
	ike_log(sa, IR_LOG_INFO, "CHILD_SA established with SPIs %08x_i "
	    "%08x_o, ESP:%s%s%s/%s, TSi %s(%u selectors), TSr %u selectors",
	    c->spi_in, c->spi_out, ike_algs_encr_name(c->encr,
	    c->encr_key_bits), c->integ ? "/" : "", c->integ ?
	    ike_algs_integ_name(c->integ) : "", c->esn ? "ESN" : "NO_EXT_SEQ",
	    ts, c->n_ts_local, c->n_ts_remote);
}

int
ike_child_accept(struct ike_sa *sa, const struct ike_msg *m,
    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
    const uint8_t *g_ir, size_t g_ir_len, uint32_t spi_in, uint32_t replaces,
    uint64_t now_ms)
{
	struct ike_ts ours[IKE_TS_MAX];
	struct ike_props props;
	struct ike_choice ch;
	struct ike_child c;
	size_t n;
	int rv;

	if ((rv = ike_props_make(&props, &sa->conf.esp, IKE_PROTO_ESP, 0,
	    g_ir != NULL, spi_in)) != 0)
		return ike_fail(sa, IR_ERR_CONFIG, 0, "no usable ESP proposal");
	if (ike_props_check(&props, &m->sa, IKE_PROTO_ESP, &ch) != 0 ||
	    ch.spi < 256)
		return ike_fail(sa, IR_ERR_NO_PROPOSAL, 0, "the gateway chose "
		    "an ESP proposal we did not offer");
	ike_ts_default(ours, &n, sa->conf.ts_local, sa->conf.n_ts_local);
	if (!ike_ts_narrowed(ours, n, &m->tsi))
		return ike_fail(sa, IR_ERR_TS, 0, "the gateway answered with "
		    "local traffic selectors wider than we proposed");
	ike_slot_ts_remote(sa, ours, &n);
	if (!ike_ts_narrowed(ours, n, &m->tsr))
		return ike_fail(sa, IR_ERR_TS, 0, "the gateway answered with "
		    "remote traffic selectors wider than we proposed");
	memset(&c, 0, sizeof(c));
	c.spi_in = spi_in;
	c.spi_out = ch.spi;
	c.encr = ch.encr;
	c.encr_key_bits = ch.encr_bits;
	c.integ = crypto_encr_is_aead(ch.encr) ? 0 : ch.integ;
	c.esn = ch.esn;
	c.encr_key_len = crypto_encr_key_len(c.encr, c.encr_key_bits);
	c.integ_key_len = c.integ ? crypto_integ_key_len(c.integ) : 0;
	c.replaces_spi_in = replaces;
	ike_ts_from_pld(&m->tsi, c.ts_local, &c.n_ts_local);
	ike_ts_from_pld(&m->tsr, c.ts_remote, &c.n_ts_remote);
	rv = ike_child_keys(sa->prf, sa->keys.sk_d, sa->keys.prf_len, g_ir,
	    g_ir_len, ni, ni_len, nr, nr_len, &c);
	if (rv != 0) {
		ir_wipe(&c, sizeof(c));
		return ike_fail(sa, rv, 0, "cannot derive the ESP keys: %s",
		    ir_strerror(rv));
	}
	rv = ike_child_install(sa, &c, sa->child, now_ms);
	ir_wipe(&c, sizeof(c));
	return rv;
}

int
ike_child_install(struct ike_sa *sa, const struct ike_child *c,
    struct ike_child_sa *into, uint64_t now_ms)
{
	int rv;

	ike_child_log(sa, c);
	rv = sa->cb.child_up != NULL ? sa->cb.child_up(sa->ud, c) : 0;
	if (rv != 0)
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "cannot install the "
		    "Child SA: %s", ir_strerror(rv));
	into->up = true;
	sa->had_child = true;
	into->spi_in = c->spi_in;
	into->spi_out = c->spi_out;
	into->encr = c->encr;
	into->encr_bits = c->encr_key_bits;
	into->integ = c->integ;
	into->esn = c->esn;
	into->rekey_ms = now_ms + sa->conf.child_rekey_ms;
	if (into == sa->child) {
		memcpy(sa->cs->got, c->ts_remote, sizeof(sa->cs->got));
		sa->cs->n_got = c->n_ts_remote;
		sa->cs->create_ms = UINT64_MAX;
		if (c->replaces_spi_in == 0)
			ike_slot_remainder(sa, now_ms);
	}
	if (sa->lifetime_pending != 0) {
		uint32_t secs = sa->lifetime_pending;

		sa->lifetime_pending = 0;
		if (sa->cb.auth_lifetime != NULL)
			sa->cb.auth_lifetime(sa->ud, secs);
	}
	return 0;
}

/* We answered: KEYMAT's i2r half is our inbound one (§2.17). */
void
ike_child_keys_swap(struct ike_child *c)
{
	uint8_t t[CRYPTO_ENCR_KEY_MAX > CRYPTO_INTEG_KEY_MAX ?
	    CRYPTO_ENCR_KEY_MAX : CRYPTO_INTEG_KEY_MAX];

	memcpy(t, c->encr_key_in, sizeof(c->encr_key_in));
	memcpy(c->encr_key_in, c->encr_key_out, sizeof(c->encr_key_in));
	memcpy(c->encr_key_out, t, sizeof(c->encr_key_out));
	memcpy(t, c->integ_key_in, sizeof(c->integ_key_in));
	memcpy(c->integ_key_in, c->integ_key_out, sizeof(c->integ_key_in));
	memcpy(c->integ_key_out, t, sizeof(c->integ_key_out));
	ir_wipe(t, sizeof(t));
}
