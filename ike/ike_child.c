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
	ike_ts_default(ts, &n, sa->conf.ts_remote, sa->conf.n_ts_remote);
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
	ike_ts_default(ours, &n, sa->conf.ts_remote, sa->conf.n_ts_remote);
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
	rv = ike_child_install(sa, &c, &sa->child, now_ms);
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
