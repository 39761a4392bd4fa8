/*
 * tests/ike/peer.c: the scripted responder of peer.h.  It computes the
 * AUTH octets, the PSK MIC, the NAT-D hashes and the Child SA keys with
 * its own code (from RFC 7296 §2.15, §2.23, §2.17), so that a mistake in
 * the engine does not cancel out against the same mistake here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/ike/peer_assert.h"

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "tests/check_util.h"
#include "tests/ike/peer.h"

#define PEER_ESP_SPI	0xc0ffee01u
#define PEER_SPI_R	0x1122334455667788ull

/* The two ends of the tests' path (RFC 5737). */
static const uint8_t peer_i_addr[4] = { 192, 0, 2, 2 };
static const uint8_t peer_r_addr[4] = { 198, 51, 100, 10 };

struct peer *
peer_new(const struct peer_opts *o, const char *psk)
{
	struct peer *p = t_alloc(sizeof(*p));
	struct tbuf b;

	p->o = *o;
	memcpy(p->see_addr, peer_i_addr, 4);
	p->see_port = p->my_port = 500;
	if (p->o.psk == NULL)
		p->o.psk = psk;
	if (o->auth == PEER_AUTH_CERT || o->eap || o->eap_method != 0) {
		b = t_vec_file("pki/gw-rsa2048.key");
		ck_assert_int_eq(crypto_pkey_load_private(&p->gw_key, b.p,
		    b.len, NULL), 0);
		b = t_vec_file("pki/gw-rsa2048.crt");
		ck_assert_int_eq(crypto_cert_load(&p->gw_cert, b.p, b.len), 0);
	}
	if (o->eap)
		ck_assert_int_eq(crypto_mschap_new(&p->mschap), 0);
	return p;
}

void
peer_free(struct peer *p)
{
	if (p == NULL)
		return;
	crypto_kex_free(p->kex);
	crypto_kex_free(p->pend_kex);
	crypto_xform_free(p->tx);
	crypto_xform_free(p->rx);
	if (p->coll) {
		crypto_xform_free(p->cand.tx);
		crypto_xform_free(p->cand.rx);
	}
	if (p->red_active) {
		crypto_xform_free(p->red.tx);
		crypto_xform_free(p->red.rx);
	}
	if (p->old_active) {
		crypto_xform_free(p->old.tx);
		crypto_xform_free(p->old.rx);
	}
	crypto_pkey_free(p->gw_key);
	crypto_cert_free(p->gw_cert);
	crypto_mschap_free(p->mschap);
	tls_srv_free(p->tls);
}

/* ---- Building ------------------------------------------------------- */

static void
peer_hdr(struct peer *p, struct ike_hdr *h, uint8_t exch, bool response,
    uint32_t id)
{
	memset(h, 0, sizeof(*h));
	h->spi_i = p->spi_i;
	h->spi_r = p->spi_r;
	h->version = IKE_VERSION_2;
	h->exch = exch;
	h->flags = (response ? IKE_FLAG_RESPONSE : 0) |
	    (p->orig_init ? IKE_FLAG_INITIATOR : 0);
	h->msg_id = id;
}

/* Seal the inner chain in |in| into out[] (SK, or SKF fragments). */
static void
peer_seal(struct peer *p, const struct ike_hdr *h, struct ike_msg_wr *in,
    bool frag)
{
	uint8_t iv[CRYPTO_IV_MAX];
	struct ike_msg_wr mw;
	struct wire_wr w;
	size_t chunk = 64, pos = 0, n, len = in->w->len;
	uint16_t total, i;

	memset(iv, 0x42, sizeof(iv));
	ck_assert(!in->w->overflow);
	p->nout = 0;
	if (!frag) {
		wire_wr_init(&w, p->out[0], PEER_BUF);
		ike_msg_wr_begin(&mw, &w, h);
		ck_assert_int_eq(ike_sk_begin(&mw, p->tx), 0);
		p->out[0][mw.sk_at] = in->first_type;
		wire_wr_bytes(&w, in->w->buf, len);
		ck_assert_int_eq(ike_sk_seal(&mw, p->tx, iv), 0);
		p->out_len[0] = w.len;
		p->nout = 1;
		return;
	}
	total = (uint16_t)((len + chunk - 1) / chunk);
	ck_assert_int_le(total, PEER_OUT_MAX);
	for (i = 1; i <= total; i++) {
		n = len - pos < chunk ? len - pos : chunk;
		wire_wr_init(&w, p->out[i - 1], PEER_BUF);
		ck_assert_int_eq(ike_frag_seal(&w, h, in->first_type, i, total,
		    in->w->buf + pos, n, p->tx, iv), 0);
		p->out_len[i - 1] = w.len;
		pos += n;
	}
	p->nout = total;
}

static void
peer_natd(struct peer *p, const uint8_t *addr, uint16_t port, uint8_t out[20])
{
	uint8_t b[8 + 8 + 4 + 2];
	struct crypto_iov iov = { b, sizeof(b) };

	wire_put_u64(b, p->spi_i);
	wire_put_u64(b + 8, p->spi_r);
	memcpy(b + 16, addr, 4);
	wire_put_u16(b + 20, port);
	ck_assert_int_eq(crypto_sha1(&iov, 1, out), 0);
}

void
peer_natd_hash(struct peer *p, const uint8_t *addr, uint16_t port,
    uint8_t out[20])
{
	peer_natd(p, addr, port, out);
}

/* prf(prf(secret, "Key Pad for IKEv2"), octets), §2.15. */
static void
peer_psk_mic(uint16_t prf, const uint8_t *secret, size_t slen,
    const uint8_t *octets, size_t olen, uint8_t *out)
{
	uint8_t k[CRYPTO_PRF_MAX];
	struct crypto_iov pad = { (const uint8_t *)"Key Pad for IKEv2", 17 };
	struct crypto_iov d = { octets, olen };

	ck_assert_int_eq(crypto_prf(prf, secret, slen, &pad, 1, k), 0);
	ck_assert_int_eq(crypto_prf(prf, k, crypto_prf_len(prf), &d, 1, out),
	    0);
}

/* msg | nonce | prf(SK_p, ID') into |o|. */
static size_t
peer_octets(struct peer *p, bool initiator, const uint8_t *id, size_t id_len,
    uint8_t *o)
{
	const uint8_t *msg = initiator ? p->msg1 : p->msg2;
	size_t mlen = initiator ? p->msg1_len : p->msg2_len;
	const uint8_t *n = initiator ? p->nr : p->ni;
	size_t nlen = initiator ? sizeof(p->nr) : p->ni_len;
	struct crypto_iov iov = { id, id_len };

	memcpy(o, msg, mlen);
	memcpy(o + mlen, n, nlen);
	ck_assert_int_eq(crypto_prf(p->prf, initiator ? p->keys.sk_pi :
	    p->keys.sk_pr, p->keys.prf_len, &iov, 1, o + mlen + nlen), 0);
	return mlen + nlen + crypto_prf_len(p->prf);
}

/* ---- IKE_SA_INIT -------------------------------------------------- */

static const struct ike_pld_xform *
peer_first(const struct ike_pld_prop *pr, uint8_t type)
{
	size_t i;

	for (i = 0; i < pr->nxf; i++)
		if (pr->xf[i].type == type)
			return &pr->xf[i];
	return NULL;
}

static void
peer_init_notify_only(struct peer *p, const struct ike_hdr *rh, uint16_t type,
    const uint8_t *data, size_t len)
{
	struct ike_hdr h = *rh;
	struct ike_msg_wr mw;
	struct wire_wr w;

	h.spi_r = 0;
	h.flags = IKE_FLAG_RESPONSE;
	wire_wr_init(&w, p->out[0], PEER_BUF);
	ike_msg_wr_begin(&mw, &w, &h);
	ck_assert_int_eq(ike_pld_notify_build(&mw, 0, type, NULL, 0, data,
	    len), 0);
	ck_assert_int_eq(ike_msg_wr_finish(&mw), 0);
	p->out_len[0] = w.len;
	p->nout = 1;
}

static void
peer_init_keys(struct peer *p, const struct ike_msg *m)
{
	uint8_t seed[CRYPTO_KEX_SEED_MAX], g[CRYPTO_KEX_SECRET_MAX], ss[64];
	uint8_t si[8], sr[8];
	size_t glen, il, el;

	memset(seed, 0x37, sizeof(seed));
	crypto_kex_free(p->kex);
	ck_assert_int_eq(crypto_kex_new(&p->kex, p->dh, seed,
	    crypto_kex_seed_len(p->dh)), 0);
	ck_assert_int_eq(crypto_kex_derive(p->kex, m->ke.data.p,
	    m->ke.data.len, g, sizeof(g), &glen), 0);
	ck_assert_int_eq(crypto_skeyseed(p->prf, p->ni, p->ni_len, p->nr,
	    sizeof(p->nr), g, glen, ss), 0);
	wire_put_u64(si, p->spi_i);
	wire_put_u64(sr, p->spi_r);
	il = p->integ ? crypto_integ_key_len(p->integ) : 0;
	el = crypto_encr_key_len(p->encr, p->encr_bits);
	ck_assert_int_eq(crypto_ike_keys_derive(p->prf, ss, p->ni, p->ni_len,
	    p->nr, sizeof(p->nr), si, sr, il, el, &p->keys), 0);
	ck_assert_int_eq(crypto_xform_new(&p->tx, p->encr, p->encr_bits,
	    p->integ, p->keys.sk_er, el, p->keys.sk_ar, il), 0);
	ck_assert_int_eq(crypto_xform_new(&p->rx, p->encr, p->encr_bits,
	    p->integ, p->keys.sk_ei, el, p->keys.sk_ai, il), 0);
}

/* RFC 5685 §10: GW Ident Type, Len, the identity[, the nonce]. */
static size_t
peer_redirect_data(const struct peer *p, uint8_t *d, const uint8_t *nonce,
    size_t nonce_len)
{
	static const uint8_t a4[4] = { 198, 51, 100, 11 };
	size_t n;

	if (p->o.redirect_fqdn != NULL) {
		d[0] = 3;
		d[1] = (uint8_t)strlen(p->o.redirect_fqdn);
		memcpy(d + 2, p->o.redirect_fqdn, d[1]);
	} else {
		d[0] = 1;
		d[1] = 4;
		memcpy(d + 2, a4, 4);
	}
	n = 2 + (size_t)d[1];
	if (nonce_len > 0)	/* no Nonce Data outside IKE_SA_INIT */
		memcpy(d + n, nonce, nonce_len);
	return n + nonce_len;
}

static int
peer_init(struct peer *p, const struct ike_msg *m)
{
	static const uint8_t hashes[] = { 0, 2, 0, 3, 0, 4 };
	const struct ike_pld_prop *pr = &m->sa.prop[0];
	struct ike_pld_xform xf[4];
	struct ike_pld_prop out;
	const struct ike_pld_notify *n;
	uint8_t pub[CRYPTO_KEX_PUB_MAX], natd[20], g[2];
	struct ike_hdr h;
	struct ike_msg_wr mw;
	struct wire_wr w;
	size_t i, publen;

	p->n_init++;
	p->spi_i = m->hdr.spi_i;
	p->saw_cookie = ike_msg_notify(m, IKE_N_COOKIE) != NULL;
	p->saw_frag_sup = ike_msg_notify(m,
	    IKE_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	p->saw_redirect_sup = ike_msg_notify(m,
	    IKE_N_REDIRECT_SUPPORTED) != NULL;
	p->saw_childless = ike_msg_notify(m,
	    IKE_N_CHILDLESS_IKEV2_SUPPORTED) != NULL;
	if ((n = ike_msg_notify(m, IKE_N_REDIRECTED_FROM)) != NULL) {
		ck_assert_uint_le(n->data.len, sizeof(p->redirected_from));
		memcpy(p->redirected_from, n->data.p, n->data.len);
		p->redirected_from_len = n->data.len;
	}
	if (p->o.redirect_init != 0) {
		uint8_t d[2 + 255 + 256], other[32];
		size_t dl;

		memset(other, 0x5a, sizeof(other));
		dl = p->o.redirect_init == 1 ?
		    peer_redirect_data(p, d, m->nonce.p, m->nonce.len) :
		    peer_redirect_data(p, d, other, sizeof(other));
		peer_init_notify_only(p, &m->hdr, IKE_N_REDIRECT, d, dl);
		return 0;
	}
	if (p->o.cookie && !p->saw_cookie) {
		peer_init_notify_only(p, &m->hdr, IKE_N_COOKIE,
		    (const uint8_t *)"cookie-of-the-peer", 18);
		return 0;
	}
	if (p->o.init_no_proposal) {
		peer_init_notify_only(p, &m->hdr, IKE_N_NO_PROPOSAL_CHOSEN,
		    NULL, 0);
		return 0;
	}
	if (p->o.want_group != 0 && m->ke.group != p->o.want_group) {
		wire_put_u16(g, p->o.want_group);
		peer_init_notify_only(p, &m->hdr, IKE_N_INVALID_KE_PAYLOAD, g,
		    2);
		return 0;
	}
	/* The first proposal, the first transform of each type. */
	memset(xf, 0, sizeof(xf));
	for (i = 0; i < 4; i++) {
		const struct ike_pld_xform *x = peer_first(pr, (uint8_t)(i + 1));

		if (x != NULL)
			xf[i] = *x;
	}
	xf[3].id = m->ke.group;
	if (p->o.wrong_proposal) {
		xf[0].key_len = 192;
		xf[0].has_key_len = true;
	}
	p->encr = xf[0].id;
	p->encr_bits = xf[0].key_len;
	p->prf = xf[1].id;
	p->integ = xf[2].id;
	p->dh = xf[3].id;
	memset(&out, 0, sizeof(out));
	out.num = pr->num;
	out.proto = IKE_PROTO_IKE;
	out.xf = xf;
	out.nxf = 4;
	if (p->integ == 0) {		/* AEAD: no INTEG transform */
		xf[2] = xf[3];
		out.nxf = 3;
	}
	p->spi_r = PEER_SPI_R;
	p->ni_len = m->nonce.len;
	memcpy(p->ni, m->nonce.p, m->nonce.len);
	memset(p->nr, 0x4e, sizeof(p->nr));
	for (i = 0; i < m->nnotify; i++) {
		if (m->notify[i].type == IKE_N_NAT_DETECTION_SOURCE_IP)
			memcpy(p->natd_src, m->notify[i].data.p, 20);
		if (m->notify[i].type == IKE_N_NAT_DETECTION_DESTINATION_IP)
			memcpy(p->natd_dst, m->notify[i].data.p, 20);
	}
	peer_init_keys(p, m);
	ck_assert_int_eq(crypto_kex_public(p->kex, pub, sizeof(pub), &publen),
	    0);
	peer_hdr(p, &h, IKE_EXCH_IKE_SA_INIT, true, 0);
	wire_wr_init(&w, p->out[0], PEER_BUF);
	ike_msg_wr_begin(&mw, &w, &h);
	ck_assert_int_eq(ike_pld_sa_build(&mw, &out, 1), 0);
	ck_assert_int_eq(ike_pld_ke_build(&mw, p->dh, pub, publen), 0);
	ck_assert_int_eq(ike_pld_nonce_build(&mw, p->nr, sizeof(p->nr)), 0);
	peer_natd(p, peer_r_addr, 500, natd);
	ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
	    IKE_N_NAT_DETECTION_SOURCE_IP, NULL, 0, natd, 20), 0);
	peer_natd(p, peer_i_addr, 500, natd);
	ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
	    IKE_N_NAT_DETECTION_DESTINATION_IP, NULL, 0, natd, 20), 0);
	if (p->o.frag)
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
		    IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0, NULL, 0), 0);
	if (!p->o.no_sig_hashes)
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
		    IKE_N_SIGNATURE_HASH_ALGORITHMS, NULL, 0, hashes,
		    sizeof(hashes)), 0);
	if (p->o.childless != 0)
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
		    IKE_N_CHILDLESS_IKEV2_SUPPORTED, NULL, 0, NULL, 0), 0);
	ck_assert_int_eq(ike_msg_wr_finish(&mw), 0);
	p->out_len[0] = w.len;
	p->nout = 1;
	memcpy(p->msg1, m->raw, m->raw_len);
	p->msg1_len = m->raw_len;
	memcpy(p->msg2, p->out[0], w.len);
	p->msg2_len = w.len;
	return 0;
}

/* ---- IKE_AUTH ----------------------------------------------------- */

bool
peer_verify_auth(struct peer *p, const struct ike_msg *m, const uint8_t *secret,
    size_t slen)
{
	uint8_t *o = t_alloc(16384), want[CRYPTO_PRF_MAX];
	struct crypto_cert *c = NULL;
	struct crypto_pkey *pub = NULL;
	size_t olen;
	bool ok;

	/* IDi' of the first IKE_AUTH request (the last EAP one has none). */
	if (ike_msg_count(m, IKE_PLD_IDI) != 0) {
		ck_assert_uint_le(m->idi.body.len, sizeof(p->idi));
		memcpy(p->idi, m->idi.body.p, m->idi.body.len);
		p->idi_len = m->idi.body.len;
	}
	olen = peer_octets(p, true, p->idi, p->idi_len, o);

	if (m->auth.method == IKE_AUTHM_SHARED_KEY_MIC) {
		peer_psk_mic(p->prf, secret, slen, o, olen, want);
		return m->auth.data.len == crypto_prf_len(p->prf) &&
		    memcmp(want, m->auth.data.p, m->auth.data.len) == 0;
	}
	if (m->ncert == 0)
		return false;
	ck_assert_int_eq(crypto_cert_load(&c, m->cert[0].data.p,
	    m->cert[0].data.len), 0);
	ck_assert_int_eq(crypto_cert_pubkey(c, &pub), 0);
	ok = crypto_auth_verify(pub, m->auth.method, m->auth.data.p,
	    m->auth.data.len, o, olen, NULL) == 0;
	crypto_pkey_free(pub);
	crypto_cert_free(c);
	return ok;
}

/* IDr and AUTH of the peer: PSK (or the MSK) MIC, or gw-rsa2048's signature. */
void
peer_add_id_auth(struct peer *p, struct ike_msg_wr *mw, bool id,
    const uint8_t *secret, size_t slen)
{
	static const uint8_t idr[] = { IKE_IDT_FQDN, 0, 0, 0,
	    'v', 'p', 'n', '.', 't', 'e', 's', 't' };
	uint8_t *o = t_alloc(16384), sig[CRYPTO_AUTH_DATA_MAX], method;
	struct crypto_sig_alg alg;
	const uint8_t *der;
	size_t olen, n;

	if (id)
		ck_assert_int_eq(ike_pld_id_build(mw, IKE_PLD_IDR, idr[0],
		    idr + 4, sizeof(idr) - 4), 0);
	olen = peer_octets(p, false, idr, sizeof(idr), o);
	if (secret == NULL) {
		crypto_cert_der(p->gw_cert, &der, &n);
		if (p->o.hash_url != NULL) {
			struct crypto_iov iov = { der, n };
			uint8_t hu[20 + 256], bundle[8192];
			size_t ul = strlen(p->o.hash_url);

			ck_assert_int_le(ul, 256);
			if (p->o.hash_url_bundle && p->o.bundle != NULL)
				iov = (struct crypto_iov){ p->o.bundle,
				    p->o.bundle_len };
			else if (p->o.hash_url_bundle)
				iov = (struct crypto_iov){ bundle,
				    peer_cert_bundle(der, n, false, bundle,
				    sizeof(bundle)) };
			ck_assert_int_eq(crypto_sha1(&iov, 1, hu), 0);
			memcpy(hu + 20, p->o.hash_url, ul);
			ck_assert_int_eq(ike_pld_cert_build(mw, IKE_PLD_CERT,
			    p->o.hash_url_bundle ? IKE_CERT_HASH_URL_BUNDLE :
			    IKE_CERT_HASH_URL_X509, hu, 20 + ul), 0);
		} else
			ck_assert_int_eq(ike_pld_cert_build(mw, IKE_PLD_CERT,
			    IKE_CERT_X509_SIG, der, n), 0);
		if (p->o.ocsp != NULL)
			ck_assert_int_eq(ike_pld_cert_build(mw, IKE_PLD_CERT,
			    IKE_CERT_OCSP_CONTENT, p->o.ocsp, p->o.ocsp_len),
			    0);
		ck_assert_int_eq(crypto_sig_choose(p->gw_key, p->o.sha1_auth ||
		    p->o.no_sig_hashes ? 0 : p->hashes, false, &method, &alg),
		    0);
		ck_assert_int_eq(crypto_auth_sign(p->gw_key, method, &alg, o,
		    olen, sig, sizeof(sig), &n), 0);
		if (p->o.wrong_auth)
			sig[n - 1] ^= 1;
		ck_assert_int_eq(ike_pld_auth_build(mw, method, sig, n), 0);
		return;
	}
	if (p->o.wrong_auth)
		peer_psk_mic(p->prf, (const uint8_t *)"not-the-psk", 11, o, olen,
		    sig);
	else
		peer_psk_mic(p->prf, secret, slen, o, olen, sig);
	ck_assert_int_eq(ike_pld_auth_build(mw, IKE_AUTHM_SHARED_KEY_MIC, sig,
	    crypto_prf_len(p->prf)), 0);
}

static void
peer_add_cp(struct peer *p, struct ike_msg_wr *mw)
{
	static const uint8_t addr[] = { 10, 1, 0, 2 }, mask[] = { 255, 255,
	    255, 0 }, dns[] = { 10, 1, 0, 53 }, sub[] = { 10, 0, 0, 0, 255,
	    0, 0, 0 };
	struct ike_pld_cp_attr a[5] = {
		{ IKE_CPA_INTERNAL_IP4_ADDRESS, { addr, 4 } },
		{ IKE_CPA_INTERNAL_IP4_NETMASK, { mask, 4 } },
		{ IKE_CPA_INTERNAL_IP4_DNS, { dns, 4 } },
		{ IKE_CPA_INTERNAL_IP4_SUBNET, { sub, 8 } },
		{ IKE_CPA_INTERNAL_DNS_DOMAIN,
		    { (const uint8_t *)"corp.test", 9 } },
	};

	if (p->o.cp_ip4 != NULL)
		a[0].value.p = p->o.cp_ip4;
	if (p->o.cp_dns4 != NULL)
		a[2].value.p = p->o.cp_dns4;
	if (p->o.cp_subnet4 != NULL)
		a[3].value.p = p->o.cp_subnet4;
	if (!p->o.no_cp)
		ck_assert_int_eq(ike_pld_cp_build(mw, IKE_CFG_REPLY, a, 5), 0);
}

/* One selector as struct ike_ts (the peer keeps its Child SA's). */
static void
peer_ts_keep(const struct ike_pld_ts *t, struct ike_ts *out, uint8_t *n)
{
	memset(out, 0, sizeof(*out));
	out->type = t->type;
	out->proto = t->ip_proto;
	out->port_lo = t->start_port;
	out->port_hi = t->end_port;
	ck_assert_uint_le(t->start.len, 16);
	ck_assert_uint_le(t->end.len, 16);
	memcpy(out->start, t->start.p, t->start.len);
	memcpy(out->end, t->end.p, t->end.len);
	*n = 1;
}

static void
peer_ts_pld(const struct ike_ts *t, struct ike_pld_ts *out)
{
	size_t alen = t->type == IKE_TST_IPV6_ADDR_RANGE ? 16 : 4;

	memset(out, 0, sizeof(*out));
	out->type = t->type;
	out->ip_proto = t->proto;
	out->start_port = t->port_lo;
	out->end_port = t->port_hi;
	out->start = (struct ike_span){ t->start, alen };
	out->end = (struct ike_span){ t->end, alen };
}

/* A rekey nonce of the peer: 32 octets of |dflt| or of o.nonce_fill. */
static void
peer_nonce(const struct peer *p, uint8_t n[32], uint8_t dflt)
{
	memset(n, p->o.nonce_set ? p->o.nonce_fill : dflt, 32);
}

/* Record p->child as replacing the Child SA |old| (inbound SPI), or as
 * a new one. */
static void
peer_kid_put(struct peer *p, uint32_t old)
{
	int i;

	for (i = 0; old != 0 && i < p->nkids; i++)
		if (p->kids[i].spi_in == old) {
			p->kids[i] = p->child;
			return;
		}
	if (p->nkids == 4) {	/* long runs of deletes: the oldest goes */
		memmove(p->kids, p->kids + 1, 3 * sizeof(p->kids[0]));
		p->nkids--;
	}
	p->kids[p->nkids++] = p->child;
}

/* SA (ESP), TSi, TSr of the answer; the Child SA keys of the peer. */
static void
peer_add_child(struct peer *p, const struct ike_msg *m, struct ike_msg_wr *mw,
    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
    const uint8_t *g, size_t glen)
{
	static const uint8_t a0[16], a1[16] = { 255, 255, 255, 255 },
	    va[4] = { 10, 1, 0, 2 };
	const struct ike_pld_prop *pr = &m->sa.prop[0];
	struct ike_pld_xform xf[4];
	struct ike_pld_prop out;
	struct ike_pld_ts tsi, tsr;
	uint8_t spi[4], km[2 * (36 + 64)];
	size_t e, a;

	memset(&out, 0, sizeof(out));
	memset(xf, 0, sizeof(xf));
	out.num = pr->num;
	out.proto = IKE_PROTO_ESP;
	out.xf = xf;
	xf[out.nxf++] = *peer_first(pr, IKE_XF_ENCR);
	if (peer_first(pr, IKE_XF_INTEG) != NULL)
		xf[out.nxf++] = *peer_first(pr, IKE_XF_INTEG);
	xf[out.nxf++] = *peer_first(pr, IKE_XF_ESN);
	if (g != NULL) {
		xf[out.nxf] = *peer_first(pr, IKE_XF_KE);
		xf[out.nxf++].id = m->ke.group;
	}
	wire_put_u32(spi, p->esp_spi ? p->esp_spi + 1 : PEER_ESP_SPI);
	out.spi = (struct ike_span){ spi, 4 };
	ck_assert_int_eq(ike_pld_sa_build(mw, &out, 1), 0);
	tsi = m->tsi.ts[0];
	if (p->o.narrow_ts) {
		tsi.start = (struct ike_span){ va, 4 };
		tsi.end = (struct ike_span){ va, 4 };
	}
	tsr = m->tsr.ts[0];
	if (p->o.widen_tsr) {
		tsr.type = IKE_TST_IPV4_ADDR_RANGE;
		tsr.start = (struct ike_span){ a0, 4 };
		tsr.end = (struct ike_span){ a1, 4 };
	}
	ck_assert_int_eq(ike_pld_ts_build(mw, IKE_PLD_TSI, &tsi, 1), 0);
	ck_assert_int_eq(ike_pld_ts_build(mw, IKE_PLD_TSR, &tsr, 1), 0);

	/* §2.17 from the responder's side: in = i2r, out = r2i. */
	memset(&p->child, 0, sizeof(p->child));
	p->esp_spi = p->child.spi_in = wire_get_u32(spi);
	p->child.spi_out = wire_get_u32(pr->spi.p);
	p->child.encr = xf[0].id;
	p->child.encr_key_bits = xf[0].key_len;
	p->child.integ = xf[1].type == IKE_XF_INTEG ? xf[1].id : 0;
	p->child.esn = peer_first(pr, IKE_XF_ESN)->id == 1;
	peer_ts_keep(&tsr, p->child.ts_local, &p->child.n_ts_local);
	peer_ts_keep(&tsi, p->child.ts_remote, &p->child.n_ts_remote);
	e = p->child.encr_key_len = crypto_encr_key_len(xf[0].id,
	    xf[0].key_len);
	a = p->child.integ_key_len = p->child.integ ?
	    crypto_integ_key_len(p->child.integ) : 0;
	ck_assert_int_eq(crypto_child_keymat(p->prf, p->keys.sk_d,
	    p->keys.prf_len, g, glen, ni, ni_len, nr, nr_len, km,
	    2 * (e + a)), 0);
	memcpy(p->child.encr_key_in, km, e);
	memcpy(p->child.integ_key_in, km + e, a);
	memcpy(p->child.encr_key_out, km + e + a, e);
	memcpy(p->child.integ_key_out, km + 2 * e + a, a);
	p->child_up = true;
}

static void
peer_auth_answer(struct peer *p, const struct ike_msg *m,
    const struct ike_msg *child_req, bool with_id, const uint8_t *secret,
    size_t slen)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	uint8_t *chain = p->chain;

	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	if (p->o.auth_notify != 0 || p->o.auth_failed || !p->auth_ok) {
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0, p->o.auth_notify ?
		    p->o.auth_notify : IKE_N_AUTHENTICATION_FAILED, NULL, 0,
		    NULL, 0), 0);
	} else if (p->o.redirect_auth) {
		uint8_t d[2 + 255];

		/* RFC 5685 §5: AUTH, then N(REDIRECT) and no Child SA. */
		peer_add_id_auth(p, &mw, with_id, secret, slen);
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0, IKE_N_REDIRECT,
		    NULL, 0, d, peer_redirect_data(p, d, NULL, 0)), 0);
	} else {
		bool sa = ike_msg_count(child_req, IKE_PLD_SA) != 0;

		/* RFC 6023 §4: no SA, TSi, TSr asked, none answered. */
		p->n_auth_sa += sa;
		p->n_auth_no_sa += !sa;
		peer_add_id_auth(p, &mw, with_id, secret, slen);
		peer_add_cp(p, &mw);
		if (sa && p->o.childless != 2) {
			peer_add_child(p, child_req, &mw, p->ni, p->ni_len,
			    p->nr, sizeof(p->nr), NULL, 0);
			peer_kid_put(p, 0);
		}
		ck_assert(sa || p->o.childless != 0);
		p->saw_mobike = p->saw_mobike || ike_msg_notify(child_req,
		    IKE_N_MOBIKE_SUPPORTED) != NULL;
		if (p->o.mobike)
			ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
			    IKE_N_MOBIKE_SUPPORTED, NULL, 0, NULL, 0), 0);
		if (p->o.auth_lifetime != 0) {
			uint8_t d[4];

			wire_put_u32(d, p->o.auth_lifetime);
			ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
			    IKE_N_AUTH_LIFETIME, NULL, 0, d, 4), 0);
		}
		if (p->o.mobike && p->o.addrs) {
			static const uint8_t a4[4] = { 203, 0, 113, 7 };
			static const uint8_t a6[16] = { 0x20, 0x01, 0x0d,
			    0xb8, [15] = 7 };

			ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
			    IKE_N_ADDITIONAL_IP4_ADDRESS, NULL, 0, a4, 4), 0);
			ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
			    IKE_N_ADDITIONAL_IP6_ADDRESS, NULL, 0, a6, 16),
			    0);
			if (p->o.addrs_bad)
				ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
				    IKE_N_ADDITIONAL_IP4_ADDRESS, NULL, 0, a4,
				    3), 0);
		}
	}
	peer_hdr(p, &h, IKE_EXCH_IKE_AUTH, true, m->hdr.msg_id);
	peer_seal(p, &h, &mw, p->o.frag);
}

/* ---- EAP-MSCHAPv2 server -------------------------------------------- */

void
peer_eap_send(struct peer *p, const struct ike_msg *m, const uint8_t *eap,
    size_t len, bool first)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	uint8_t *chain = p->chain;

	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	if (first && p->o.eap_only)	/* RFC 5998 §3: IDr alone */
		ck_assert_int_eq(ike_pld_id_build(&mw, IKE_PLD_IDR,
		    IKE_IDT_FQDN, (const uint8_t *)"vpn.test", 8), 0);
	else if (first)
		peer_add_id_auth(p, &mw, true, NULL, 0);
	ck_assert_int_eq(ike_pld_eap_build(&mw, eap, len), 0);
	peer_hdr(p, &h, IKE_EXCH_IKE_AUTH, true, m->hdr.msg_id);
	peer_seal(p, &h, &mw, false);
}

void
peer_eap_challenge(struct peer *p, const struct ike_msg *m)
{
	uint8_t e[64] = { 1, 0x42, 0, 0, 26, 1, 0x42, 0, 0, 16 };
	size_t len = 10 + 16 + 10;

	memset(p->auth_chal, 0xa4, 16);
	memcpy(e + 10, p->auth_chal, 16);
	memcpy(e + 26, "strongSwan", 10);
	wire_put_u16(e + 2, (uint16_t)len);
	wire_put_u16(e + 7, (uint16_t)(len - 5));
	peer_eap_send(p, m, e, len, false);
}

void
peer_eap_success(struct peer *p, const struct ike_msg *m)
{
	const struct ike_pld_eap *r = &m->eap;
	const char *pw = p->o.eap_password;
	uint8_t e[128] = { 1, 0x43, 0, 0, 26, 3, 0x42, 0, 0 };
	char s[CRYPTO_MSCHAP_AUTH_RESPONSE_LEN + 1];
	uint8_t nt[24];
	size_t name_len, len;

	/* Response: opcode, id, ms-len(2), vsize, peer chal, 8, nt, flags, name */
	ck_assert_int_eq(r->type, 26);
	ck_assert_uint_ge(r->type_data.len, 4 + 1 + 49);
	memcpy(p->peer_chal, r->type_data.p + 5, 16);
	memcpy(p->nt, r->type_data.p + 5 + 24, 24);
	name_len = r->type_data.len - 54;
	ck_assert_uint_lt(name_len, sizeof(p->eap_name));
	memcpy(p->eap_name, r->type_data.p + 54, name_len);
	ck_assert_int_eq(crypto_mschap_nt_response(p->mschap, p->auth_chal,
	    p->peer_chal, p->eap_name, name_len, pw, strlen(pw), nt), 0);
	p->auth_ok = memcmp(nt, p->nt, 24) == 0;
	if (!p->auth_ok && p->o.eap_retry) {
		/* draft-kamath-pppext-eap-mschapv2 §2: Failure Request */
		static const char msg[] = "E=691 R=1 C=00112233445566778899"
		    "aabbccddeeff V=3 M=Authentication failed";
		uint8_t f[128] = { 1, 0x43, 0, 0, 26, 4, 0x43, 0, 0 };

		len = 9 + sizeof(msg) - 1;
		memcpy(f + 9, msg, sizeof(msg) - 1);
		wire_put_u16(f + 2, (uint16_t)len);
		wire_put_u16(f + 7, (uint16_t)(len - 5));
		peer_eap_send(p, m, f, len, false);
		return;
	}
	if (!p->auth_ok) {
		static const uint8_t fail[4] = { 4, 0x43, 0, 4 };

		peer_eap_send(p, m, fail, 4, false);
		return;
	}
	ck_assert_int_eq(crypto_mschap_auth_response(p->mschap, p->auth_chal,
	    p->peer_chal, p->nt, p->eap_name, name_len, pw, strlen(pw), s), 0);
	if (p->o.eap_bad_success)
		s[5] = s[5] == '0' ? '1' : '0';
	memcpy(e + 9, s, 42);
	memcpy(e + 51, " M=Welcome", 10);
	len = 61;
	wire_put_u16(e + 2, (uint16_t)len);
	wire_put_u16(e + 7, (uint16_t)(len - 5));
	ck_assert_int_eq(crypto_mschap_msk(p->mschap, p->nt, pw, strlen(pw),
	    p->msk), 0);
	peer_eap_send(p, m, e, len, false);
}

static int
peer_eap(struct peer *p, const struct ike_msg *m)
{
	static const uint8_t ident[5] = { 1, 0, 0, 5, 1 };
	static const uint8_t success[4] = { 3, 0x44, 0, 4 };

	switch (p->stage++) {
	case 0:
		p->auth_ok = true;
		ck_assert_uint_le(m->idi.body.len, sizeof(p->idi));
		memcpy(p->idi, m->idi.body.p, m->idi.body.len);
		p->idi_len = m->idi.body.len;
		peer_eap_send(p, m, ident, sizeof(ident), true);
		return 0;
	case 1:
		ck_assert_int_eq(m->eap.type, 1);
		peer_eap_challenge(p, m);
		return 0;
	case 2:
		peer_eap_success(p, m);
		return 0;
	case 3:
		ck_assert_int_eq(m->eap.type, 26);
		if (!p->auth_ok && p->o.eap_retry) {
			static const uint8_t failure[4] = { 4, 0x44, 0, 4 };

			/* The Failure Response: OpCode 4 alone. */
			ck_assert_int_eq((int)m->eap.type_data.len, 1);
			ck_assert_int_eq(m->eap.type_data.p[0], 4);
			ck_assert_int_eq(m->eap.id, 0x43);
			p->eap_fail_acked = true;
			if (p->o.eap_fail_ack_silent)
				p->nout = 0;
			else
				peer_eap_send(p, m, failure, 4, false);
			return 0;
		}
		ck_assert_int_eq(m->eap.type_data.p[0], 3);
		peer_eap_send(p, m, success, sizeof(success), false);
		return 0;
	}
	p->auth_ok = ike_msg_count(m, IKE_PLD_AUTH) == 1 &&
	    peer_verify_auth(p, m, p->msk, 64);
	return 1;
}

/* ---- Dispatch ------------------------------------------------------- */

static void
peer_answer_plain(struct peer *p, const struct ike_msg *m, uint16_t notify)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	uint8_t *chain = p->chain;

	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	if (notify != 0)
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0, notify, NULL, 0,
		    NULL, 0), 0);
	peer_hdr(p, &h, m->hdr.exch, true, m->hdr.msg_id);
	peer_seal(p, &h, &mw, false);
}

/* RFC 4555 §3.5: NAT-D of this path, COOKIE2 echoed (or the faults). */
static void
peer_answer_update(struct peer *p, const struct ike_msg *m)
{
	const struct ike_pld_notify *n;
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	uint8_t natd[20], c2[64];
	size_t i;

	p->n_update++;
	for (i = 0; i < m->nnotify; i++) {
		n = &m->notify[i];
		if (n->type == IKE_N_NAT_DETECTION_SOURCE_IP &&
		    n->data.len == 20)
			memcpy(p->upd_natd_src, n->data.p, 20);
		if (n->type == IKE_N_NAT_DETECTION_DESTINATION_IP &&
		    n->data.len == 20)
			memcpy(p->upd_natd_dst, n->data.p, 20);
		if (n->type == IKE_N_COOKIE2 && n->data.len <= 64) {
			memcpy(p->upd_cookie2, n->data.p, n->data.len);
			p->upd_cookie2_len = n->data.len;
		}
	}
	if (p->o.update_refuse != 0) {
		peer_answer_plain(p, m, p->o.update_refuse);
		return;
	}
	wire_wr_init(&w, p->chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	peer_natd(p, peer_r_addr, p->my_port, natd);
	ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
	    IKE_N_NAT_DETECTION_SOURCE_IP, NULL, 0, natd, 20), 0);
	peer_natd(p, p->see_addr, p->see_port, natd);
	ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
	    IKE_N_NAT_DETECTION_DESTINATION_IP, NULL, 0, natd, 20), 0);
	memcpy(c2, p->upd_cookie2, p->upd_cookie2_len);
	if (p->o.update_cookie == 2)
		c2[0] ^= 1;
	if (p->o.update_cookie != 1)
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0, IKE_N_COOKIE2,
		    NULL, 0, c2, p->upd_cookie2_len), 0);
	peer_hdr(p, &h, m->hdr.exch, true, m->hdr.msg_id);
	peer_seal(p, &h, &mw, false);
}

static void
peer_info_req(struct peer *p, const struct ike_msg *m)
{
	size_t i;

	if (ike_msg_notify(m, IKE_N_UPDATE_SA_ADDRESSES) != NULL) {
		peer_answer_update(p, m);
		return;
	}
	for (i = 0; i < m->ndel; i++) {
		if (m->del[i].proto == IKE_PROTO_IKE)
			p->ndel_ike++;
		if (m->del[i].proto == IKE_PROTO_ESP) {
			p->ndel_esp++;
			p->del_esp_spi = wire_get_u32(m->del[i].spis.p);
		}
	}
	peer_answer_plain(p, m, 0);
}

/* Which attributes the CFG_REQUEST asked for (RFC 7296 §3.15.1). */
static void
peer_note_cp(struct peer *p, const struct ike_msg *m)
{
	size_t i;

	if (m->cp.type != IKE_CFG_REQUEST)
		return;
	for (i = 0; i < m->cp.nattr; i++)
		if (m->cp.attr[i].type < 64)
			p->cp_asked |= 1ull << m->cp.attr[i].type;
}

static int
peer_auth(struct peer *p, struct ike_msg *m)
{
	struct ike_msg *first;
	const uint8_t *psk = (const uint8_t *)p->o.psk;

	p->saw_cert = m->ncert != 0;
	p->saw_certreq = p->saw_certreq || m->ncertreq != 0;
	for (size_t i = 0; i < m->ncertreq && p->ncertreq < 8; i++) {
		const struct ike_pld_cert *cr = &m->certreq[i];

		p->certreq_enc[p->ncertreq] = cr->enc;
		p->certreq_len[p->ncertreq++] = cr->data.len;
		if (cr->enc == IKE_CERT_OCSP_CONTENT &&
		    cr->data.len <= sizeof(p->ocsp_certreq))
			memcpy(p->ocsp_certreq, cr->data.p, cr->data.len);
	}
	p->saw_idr = p->saw_idr || ike_msg_count(m, IKE_PLD_IDR) != 0;
	peer_note_cp(p, m);
	if (p->o.eap || p->o.eap_method != 0) {
		if ((p->o.eap_method != 0 || p->o.eap_only || p->o.eap_first ?
		    peer_eap_ext(p, m) : peer_eap(p, m)) == 0)
			return 0;
		/* The Child SA of the first request: open it again from
		 * the ciphertext kept in peer_input(). */
		first = &p->first;
		memcpy(p->plain, p->first_raw, p->first_len);
		ck_assert_int_eq(ike_msg_parse(first, p->plain, p->first_len),
		    0);
		ck_assert_int_eq(ike_msg_open(first, p->rx, p->plain), 0);
		if (p->msk_set || !p->o.eap_method)
			peer_auth_answer(p, m, first, false, p->msk, 64);
		else	/* RFC 7296 §2.16: no MSK, SK_pr */
			peer_auth_answer(p, m, first, false, p->keys.sk_pr,
			    p->keys.prf_len);
		return 0;
	}
	p->auth_ok = peer_verify_auth(p, m, psk, strlen(p->o.psk));
	if (p->o.auth == PEER_AUTH_CERT)
		peer_auth_answer(p, m, m, true, NULL, 0);
	else
		peer_auth_answer(p, m, m, true, psk, strlen(p->o.psk));
	return 0;
}

static void
peer_answer_notify(struct peer *p, const struct ike_msg *m, uint16_t type,
    const uint8_t *data, size_t len)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	uint8_t *chain = p->chain;

	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	ck_assert_int_eq(ike_pld_notify_build(&mw, 0, type, NULL, 0, data,
	    len), 0);
	peer_hdr(p, &h, m->hdr.exch, true, m->hdr.msg_id);
	peer_seal(p, &h, &mw, false);
}

/* Our Child SA rekey (§1.3.3): SA, Nr, [KEr], TSi, TSr; PFS keys. */
static void
peer_answer_rekey_child(struct peer *p, const struct ike_msg *m)
{
	const struct ike_pld_notify *n = ike_msg_notify(m, IKE_N_REKEY_SA);
	uint8_t seed[CRYPTO_KEX_SEED_MAX], nr[32], g[CRYPTO_KEX_SECRET_MAX];
	uint8_t pub[CRYPTO_KEX_PUB_MAX], *chain = p->chain;
	struct crypto_kex *k = NULL;
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	size_t glen = 0, publen;
	int i;

	/* The Child SA it rekeys, of those up. */
	for (i = 0; n != NULL && n->spi.len == 4 && i < p->nkids; i++)
		if (p->kids[i].spi_out == wire_get_u32(n->spi.p))
			p->child = p->kids[i];
	/* Without N(REKEY_SA): a new Child SA (§1.3.1). */
	if (n == NULL && p->o.create_notify != 0) {
		peer_answer_plain(p, m, p->o.create_notify);
		return;
	}
	if (n != NULL && (n->spi.len != 4 ||
	    wire_get_u32(n->spi.p) != p->child.spi_out ||
	    p->o.auth_notify != 0)) {
		peer_answer_plain(p, m, IKE_N_TEMPORARY_FAILURE);
		return;
	}
	if (n != NULL && p->o.rekey_notify != 0) {
		peer_answer_plain(p, m, p->o.rekey_notify);
		return;
	}
	if (p->o.child_want_group != 0 && (ike_msg_count(m, IKE_PLD_KE) == 0 ||
	    m->ke.group != p->o.child_want_group)) {
		wire_put_u16(seed, p->o.child_want_group);
		peer_answer_notify(p, m, IKE_N_INVALID_KE_PAYLOAD, seed, 2);
		return;
	}
	if (n != NULL)
		p->rekeyed_spi = p->child.spi_in;
	p->n_create += n == NULL;
	ck_assert_uint_le(m->nonce.len, sizeof(p->last_ni));
	memcpy(p->last_ni, m->nonce.p, m->nonce.len);
	p->last_ni_len = m->nonce.len;
	peer_nonce(p, nr, 0x5e);
	if (ike_msg_count(m, IKE_PLD_KE) != 0) {
		memset(seed, 0x29, sizeof(seed));
		ck_assert_int_eq(crypto_kex_new(&k, m->ke.group, seed,
		    crypto_kex_seed_len(m->ke.group)), 0);
		ck_assert_int_eq(crypto_kex_derive(k, m->ke.data.p,
		    m->ke.data.len, g, sizeof(g), &glen), 0);
		ck_assert_int_eq(crypto_kex_public(k, pub, sizeof(pub),
		    &publen), 0);
	}
	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	peer_add_child(p, m, &mw, m->nonce.p, m->nonce.len, nr, sizeof(nr),
	    k != NULL ? g : NULL, glen);
	ck_assert_int_eq(ike_pld_nonce_build(&mw, nr, sizeof(nr)), 0);
	if (k != NULL)
		ck_assert_int_eq(ike_pld_ke_build(&mw, m->ke.group, pub, publen),
		    0);
	crypto_kex_free(k);
	p->answered = p->child;
	peer_kid_put(p, n != NULL ? p->rekeyed_spi : 0);
	peer_hdr(p, &h, m->hdr.exch, true, m->hdr.msg_id);
	peer_seal(p, &h, &mw, false);
}

/* ---- IKE SA rekeys (§2.18) ----------------------------------------- */

/* Swap the current IKE SA with |o| (the one a rekey replaced, or the
 * redundant one of a crossing). */
static void
peer_swap(struct peer *p, struct peer_ike *o)
{
	struct peer_ike cur = { p->spi_i, p->spi_r, p->orig_init, p->tx,
	    p->rx, p->next_req };

	p->spi_i = o->spi_i;
	p->spi_r = o->spi_r;
	p->orig_init = o->orig_init;
	p->tx = o->tx;
	p->rx = o->rx;
	p->next_req = o->next_req;
	*o = cur;
}

static void
peer_swap_old(struct peer *p)
{
	peer_swap(p, &p->old);
}

/* The lower of two nonces (§2.8.2: unsigned octet strings). */
static void
peer_low_nonce(const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
    uint8_t *out, size_t *out_len)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c > 0 || (c == 0 && bl < al)) {
		a = b;
		al = bl;
	}
	memcpy(out, a, al);
	*out_len = al;
}

/*
 * A new IKE SA's keys, computed here from §2.18 and §2.14 under the
 * current SK_d, into |c| (not in use yet).
 */
static void
peer_ike_derive(struct peer *p, const uint16_t alg[4], const uint8_t *g,
    size_t glen, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
    size_t nr_len, uint64_t spi_i, uint64_t spi_r, bool orig_init,
    struct peer_ike *c, struct crypto_ike_keys *ck)
{
	uint8_t ss[CRYPTO_PRF_MAX], si[8], sr[8];
	struct crypto_ike_keys k;
	struct crypto_xform *tx = NULL, *rx = NULL;
	size_t il = alg[2] ? crypto_integ_key_len(alg[2]) : 0;
	size_t el = crypto_encr_key_len(alg[0], alg[1]);

	/* SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), old PRF. */
	ck_assert_int_eq(crypto_skeyseed_rekey(p->prf, p->keys.sk_d,
	    p->keys.prf_len, g, glen, ni, ni_len, nr, nr_len, ss), 0);
	wire_put_u64(si, spi_i);
	wire_put_u64(sr, spi_r);
	ck_assert_int_eq(crypto_ike_keys_derive(alg[3], ss, ni, ni_len, nr,
	    nr_len, si, sr, il, el, &k), 0);
	ck_assert_int_eq(crypto_xform_new(&tx, alg[0], alg[1], alg[2],
	    orig_init ? k.sk_ei : k.sk_er, el, orig_init ? k.sk_ai : k.sk_ar,
	    il), 0);
	ck_assert_int_eq(crypto_xform_new(&rx, alg[0], alg[1], alg[2],
	    orig_init ? k.sk_er : k.sk_ei, el, orig_init ? k.sk_ar : k.sk_ai,
	    il), 0);
	*c = (struct peer_ike){ spi_i, spi_r, orig_init, tx, rx, 0 };
	*ck = k;
}

/* Switch to |c|; the current SA is kept for its Delete. */
static void
peer_ike_adopt(struct peer *p, const uint16_t alg[4],
    const struct peer_ike *c, const struct crypto_ike_keys *k)
{
	if (p->old_active) {
		crypto_xform_free(p->old.tx);
		crypto_xform_free(p->old.rx);
	}
	p->old = (struct peer_ike){ p->spi_i, p->spi_r, p->orig_init, p->tx,
	    p->rx, p->next_req };
	p->old_active = true;
	p->spi_i = c->spi_i;
	p->spi_r = c->spi_r;
	p->orig_init = c->orig_init;
	p->tx = c->tx;
	p->rx = c->rx;
	p->next_req = 0;
	p->keys = *k;
	p->encr = alg[0];
	p->encr_bits = alg[1];
	p->integ = alg[2];
	p->prf = alg[3];
	p->n_rekey_ike++;
}

static void
peer_ike_switch(struct peer *p, const uint16_t alg[4], const uint8_t *g,
    size_t glen, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
    size_t nr_len, uint64_t spi_i, uint64_t spi_r, bool orig_init)
{
	struct peer_ike c;
	struct crypto_ike_keys k;

	peer_ike_derive(p, alg, g, glen, ni, ni_len, nr, nr_len, spi_i, spi_r,
	    orig_init, &c, &k);
	peer_ike_adopt(p, alg, &c, &k);
}

/* Our IKE SA rekey: SA (new SPIr), Nr, KEr under the old keys. */
static void
peer_answer_rekey_ike(struct peer *p, const struct ike_msg *m)
{
	const struct ike_pld_prop *pr = &m->sa.prop[0];
	uint8_t seed[CRYPTO_KEX_SEED_MAX], nr[32], g[CRYPTO_KEX_SECRET_MAX];
	uint8_t pub[CRYPTO_KEX_PUB_MAX], spi[8], grp[2];
	uint8_t *chain = p->chain;
	struct ike_pld_xform xf[4];
	struct ike_pld_prop out;
	struct crypto_kex *k = NULL;
	uint16_t alg[4] = { 0 };
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	size_t glen, publen;
	uint64_t spi_r = 0x5566778899aabb00ull + (uint64_t)p->n_rekey_ike;

	if (p->o.rekey_notify != 0) {
		peer_answer_plain(p, m, p->o.rekey_notify);
		return;
	}
	if (p->o.rekey_want_group != 0 &&
	    m->ke.group != p->o.rekey_want_group) {
		wire_put_u16(grp, p->o.rekey_want_group);
		peer_answer_notify(p, m, IKE_N_INVALID_KE_PAYLOAD, grp, 2);
		return;
	}
	ck_assert_uint_le(m->nonce.len, sizeof(p->last_ni));
	memcpy(p->last_ni, m->nonce.p, m->nonce.len);
	p->last_ni_len = m->nonce.len;
	memset(&out, 0, sizeof(out));
	out.num = pr->num;
	out.proto = IKE_PROTO_IKE;
	out.xf = xf;
	xf[out.nxf++] = *peer_first(pr, IKE_XF_ENCR);
	xf[out.nxf++] = *peer_first(pr, IKE_XF_PRF);
	if (peer_first(pr, IKE_XF_INTEG) != NULL)
		xf[out.nxf++] = *peer_first(pr, IKE_XF_INTEG);
	xf[out.nxf] = *peer_first(pr, IKE_XF_KE);
	xf[out.nxf++].id = m->ke.group;
	wire_put_u64(spi, spi_r);
	out.spi = (struct ike_span){ spi, 8 };
	alg[0] = xf[0].id;
	alg[1] = xf[0].key_len;
	alg[2] = xf[2].type == IKE_XF_INTEG ? xf[2].id : 0;
	alg[3] = xf[1].id;
	peer_nonce(p, nr, 0x7a);
	if (p->o.ike_coll_low != 0)
		memset(nr, p->o.ike_coll_low == 2 ? 0x00 : 0xff, sizeof(nr));
	memset(seed, 0x3b, sizeof(seed));
	ck_assert_int_eq(crypto_kex_new(&k, m->ke.group, seed,
	    crypto_kex_seed_len(m->ke.group)), 0);
	ck_assert_int_eq(crypto_kex_derive(k, m->ke.data.p, m->ke.data.len, g,
	    sizeof(g), &glen), 0);
	ck_assert_int_eq(crypto_kex_public(k, pub, sizeof(pub), &publen), 0);
	crypto_kex_free(k);
	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	ck_assert_int_eq(ike_pld_sa_build(&mw, &out, 1), 0);
	ck_assert_int_eq(ike_pld_nonce_build(&mw, nr, sizeof(nr)), 0);
	ck_assert_int_eq(ike_pld_ke_build(&mw, m->ke.group, pub, publen), 0);
	peer_hdr(p, &h, m->hdr.exch, true, m->hdr.msg_id);
	peer_seal(p, &h, &mw, false);
	ck_assert_int_eq(pr->spi.len, 8);
	if (p->pend == 2) {
		/* §2.8.2: a crossing; decided when the peer's own ends. */
		ck_assert(!p->coll);
		p->coll = true;
		memcpy(p->cand_alg, alg, sizeof(p->cand_alg));
		peer_ike_derive(p, alg, g, glen, m->nonce.p, m->nonce.len, nr,
		    sizeof(nr), wire_get_u64(pr->spi.p), spi_r, false,
		    &p->cand, &p->cand_keys);
		peer_low_nonce(m->nonce.p, m->nonce.len, nr, sizeof(nr),
		    p->cand_low, &p->cand_low_len);
		return;
	}
	peer_ike_switch(p, alg, g, glen, m->nonce.p, m->nonce.len, nr,
	    sizeof(nr), wire_get_u64(pr->spi.p), spi_r, false);
}

/*
 * §2.8.2 from the peer's side: both rekeys are done.  The SA made with
 * the lowest of the four nonces is redundant; the other one is used.
 */
static void
peer_ike_crossed(struct peer *p, const uint16_t alg[4], const uint8_t *g,
    size_t glen, const struct ike_msg *m)
{
	uint8_t low[256];
	size_t low_len;
	struct peer_ike mine;
	struct crypto_ike_keys k;
	int c;

	peer_ike_derive(p, alg, g, glen, p->pend_ni, 32, m->nonce.p,
	    m->nonce.len, p->pend_ike_spi, wire_get_u64(m->sa.prop[0].spi.p),
	    true, &mine, &k);
	peer_low_nonce(p->pend_ni, 32, m->nonce.p, m->nonce.len, low,
	    &low_len);
	c = memcmp(low, p->cand_low, low_len < p->cand_low_len ? low_len :
	    p->cand_low_len);
	p->red_ours = c < 0 || (c == 0 && low_len < p->cand_low_len);
	p->coll = false;
	p->red_active = true;
	if (p->red_ours) {
		peer_ike_adopt(p, p->cand_alg, &p->cand, &p->cand_keys);
		p->red = mine;
	} else {
		peer_ike_adopt(p, alg, &mine, &k);
		p->red = p->cand;
	}
}

/* The answer to the peer's own CREATE_CHILD_SA (peer_rekey_*()). */
static void
peer_rekey_done(struct peer *p, const struct ike_msg *m)
{
	const struct ike_pld_prop *pr = &m->sa.prop[0];
	uint8_t g[CRYPTO_KEX_SECRET_MAX], km[2 * (36 + 64)];
	uint16_t alg[4] = { 0 };
	size_t i, glen = 0, e, a;
	int kind = p->pend;

	p->pend = 0;
	for (i = 0; i < m->nnotify; i++)
		if (ike_notify_is_error(m->notify[i].type)) {
			if (kind == 2 && p->coll) {
				/* §2.8.2: its own refused, the other one
				 * stands. */
				peer_ike_adopt(p, p->cand_alg, &p->cand,
				    &p->cand_keys);
				p->coll = false;
			}
			p->got_notify = m->notify[i].type;
			if (p->got_notify == IKE_N_INVALID_KE_PAYLOAD)
				ck_assert_int_eq(ike_pld_notify_u16(
				    &m->notify[i], &p->got_group), 0);
			return;
		}
	p->got_notify = 0;
	ck_assert_int_eq(m->sa.nprop, 1);
	if (ike_msg_count(m, IKE_PLD_KE) != 0)
		ck_assert_int_eq(crypto_kex_derive(p->pend_kex, m->ke.data.p,
		    m->ke.data.len, g, sizeof(g), &glen), 0);
	if (kind == 2) {
		ck_assert_int_eq(pr->spi.len, 8);
		ck_assert_int_eq(pr->proto, IKE_PROTO_IKE);
		alg[0] = peer_first(pr, IKE_XF_ENCR)->id;
		alg[1] = peer_first(pr, IKE_XF_ENCR)->key_len;
		alg[2] = peer_first(pr, IKE_XF_INTEG) ?
		    peer_first(pr, IKE_XF_INTEG)->id : 0;
		alg[3] = peer_first(pr, IKE_XF_PRF)->id;
		if (!p->coll) {
			peer_ike_switch(p, alg, g, glen, p->pend_ni, 32,
			    m->nonce.p, m->nonce.len, p->pend_ike_spi,
			    wire_get_u64(pr->spi.p), true);
			return;
		}
		peer_ike_crossed(p, alg, g, glen, m);
		return;
	}
	/* §2.17 from the initiator's side: out = i2r, in = r2i. */
	ck_assert_int_eq(pr->spi.len, 4);
	memset(&p->initiated, 0, sizeof(p->initiated));
	p->initiated.spi_in = p->pend_spi;
	p->initiated.spi_out = wire_get_u32(pr->spi.p);
	p->initiated.encr = peer_first(pr, IKE_XF_ENCR)->id;
	p->initiated.encr_key_bits = peer_first(pr, IKE_XF_ENCR)->key_len;
	p->initiated.integ = peer_first(pr, IKE_XF_INTEG) ?
	    peer_first(pr, IKE_XF_INTEG)->id : 0;
	e = p->initiated.encr_key_len = crypto_encr_key_len(
	    p->initiated.encr, p->initiated.encr_key_bits);
	a = p->initiated.integ_key_len = p->initiated.integ ?
	    crypto_integ_key_len(p->initiated.integ) : 0;
	ck_assert_int_eq(crypto_child_keymat(p->prf, p->keys.sk_d,
	    p->keys.prf_len, glen ? g : NULL, glen, p->pend_ni, 32,
	    m->nonce.p, m->nonce.len, km, 2 * (e + a)), 0);
	memcpy(p->initiated.encr_key_out, km, e);
	memcpy(p->initiated.integ_key_out, km + e, a);
	memcpy(p->initiated.encr_key_in, km + e + a, e);
	memcpy(p->initiated.integ_key_in, km + 2 * e + a, a);
	ck_assert_int_eq(m->tsi.nts, 1);
	ck_assert_int_eq(m->tsr.nts, 1);
	peer_ts_keep(&m->tsi.ts[0], p->initiated.ts_local,
	    &p->initiated.n_ts_local);
	peer_ts_keep(&m->tsr.ts[0], p->initiated.ts_remote,
	    &p->initiated.n_ts_remote);
	p->rekeyed_spi = p->pend_old_spi;
	p->child = p->initiated;
	peer_kid_put(p, p->pend_old_spi);
}

static int
peer_input_sk(struct peer *p, struct ike_msg *m)
{
	int rv;

	if ((rv = ike_msg_open(m, p->rx, p->rx_buf)) != 0)
		return rv;
	if ((rv = ike_msg_check_rules(m)) != 0)
		return rv;
	if (m->hdr.flags & IKE_FLAG_RESPONSE) {
		if (p->pend != 0 && m->hdr.msg_id == p->pend_id &&
		    m->hdr.exch == IKE_EXCH_CREATE_CHILD_SA)
			peer_rekey_done(p, m);
		return 0;		/* else an answer to peer_info() */
	}
	p->last_id = m->hdr.msg_id;
	switch (m->hdr.exch) {
	case IKE_EXCH_IKE_AUTH:
		return peer_auth(p, m);
	case IKE_EXCH_INFORMATIONAL:
		peer_info_req(p, m);
		return 0;
	case IKE_EXCH_CREATE_CHILD_SA:
		if (ike_msg_notify(m, IKE_N_REKEY_SA) == NULL &&
		    m->sa.nprop != 0 && m->sa.prop[0].proto == IKE_PROTO_IKE)
			peer_answer_rekey_ike(p, m);
		else
			peer_answer_rekey_child(p, m);
		return 0;
	}
	return IR_ERR_UNEXPECTED;
}

int
peer_input(struct peer *p, const uint8_t *msg, size_t len)
{
	struct ike_msg *m = &p->m;
	bool on_old, on_red;
	size_t i;
	int rv;

	p->nout = 0;
	ck_assert_uint_le(len, sizeof(p->rx_buf));
	memcpy(p->rx_buf, msg, len);
	if ((rv = ike_msg_parse(m, p->rx_buf, len)) != 0)
		return rv;
	p->last_exch = m->hdr.exch;
	if (m->hdr.exch == IKE_EXCH_IKE_AUTH && m->hdr.msg_id == 1 &&
	    len <= sizeof(p->first_raw)) {
		memcpy(p->first_raw, msg, len);
		p->first_len = len;
	}
	if (m->hdr.exch == IKE_EXCH_IKE_SA_INIT) {
		for (i = 0; i < m->nnotify; i++)
			if (m->notify[i].type ==
			    IKE_N_SIGNATURE_HASH_ALGORITHMS) {
				struct wire_rd r;
				uint16_t id;

				wire_rd_init(&r, m->notify[i].data.p,
				    m->notify[i].data.len);
				while (wire_rd_u16(&r, &id))
					p->hashes |= 1u << (id & 31);
			}
		return peer_init(p, m);
	}
	/* A message on the IKE SA a rekey replaced: its keys for it. */
	on_old = p->old_active && m->hdr.spi_i == p->old.spi_i &&
	    m->hdr.spi_r == p->old.spi_r;
	on_red = p->red_active && m->hdr.spi_i == p->red.spi_i &&
	    m->hdr.spi_r == p->red.spi_r;
	if (on_old)
		peer_swap_old(p);
	if (on_red)
		peer_swap(p, &p->red);
	rv = peer_input_sk(p, m);
	if (on_old)
		peer_swap_old(p);
	if (on_red)
		peer_swap(p, &p->red);
	return rv;
}

static void
peer_info_mobike(struct peer *p, struct ike_msg_wr *mw, enum peer_info what)
{
	uint8_t c2[16], natd[20], a[16] = { 203, 0, 113, 20 };
	uint8_t i;

	memset(c2, 0xc2, sizeof(c2));
	switch (what) {
	case PEER_INFO_UPDATE:
		ck_assert_int_eq(ike_pld_notify_build(mw, 0,
		    IKE_N_UPDATE_SA_ADDRESSES, NULL, 0, NULL, 0), 0);
		peer_natd(p, peer_r_addr, p->my_port, natd);
		ck_assert_int_eq(ike_pld_notify_build(mw, 0,
		    IKE_N_NAT_DETECTION_SOURCE_IP, NULL, 0, natd, 20), 0);
		peer_natd(p, p->see_addr, p->see_port, natd);
		ck_assert_int_eq(ike_pld_notify_build(mw, 0,
		    IKE_N_NAT_DETECTION_DESTINATION_IP, NULL, 0, natd, 20), 0);
		ck_assert_int_eq(ike_pld_notify_build(mw, 0, IKE_N_COOKIE2,
		    NULL, 0, c2, 16), 0);
		break;
	case PEER_INFO_COOKIE2:
		ck_assert_int_eq(ike_pld_notify_build(mw, 0, IKE_N_COOKIE2,
		    NULL, 0, c2, 8), 0);
		break;
	case PEER_INFO_ADDRS:
		ck_assert_int_eq(ike_pld_notify_build(mw, 0,
		    IKE_N_ADDITIONAL_IP4_ADDRESS, NULL, 0, a, 4), 0);
		a[3] = 21;
		ck_assert_int_eq(ike_pld_notify_build(mw, 0,
		    IKE_N_ADDITIONAL_IP4_ADDRESS, NULL, 0, a, 4), 0);
		memcpy(a, (uint8_t[]){ 0x20, 0x01, 0x0d, 0xb8 }, 4);
		a[15] = 0x21;
		ck_assert_int_eq(ike_pld_notify_build(mw, 0,
		    IKE_N_ADDITIONAL_IP6_ADDRESS, NULL, 0, a, 16), 0);
		break;
	case PEER_INFO_NO_ADDRS:
		ck_assert_int_eq(ike_pld_notify_build(mw, 0,
		    IKE_N_NO_ADDITIONAL_ADDRESSES, NULL, 0, NULL, 0), 0);
		break;
	case PEER_INFO_MANY_ADDRS:
		for (i = 0; i < 10; i++) {
			a[3] = (uint8_t)(30 + i);
			ck_assert_int_eq(ike_pld_notify_build(mw, 0,
			    IKE_N_ADDITIONAL_IP4_ADDRESS, NULL, 0, a, 4), 0);
		}
		break;
	case PEER_INFO_BAD_COOKIE2:
		ck_assert_int_eq(ike_pld_notify_build(mw, 0, IKE_N_COOKIE2,
		    NULL, 0, c2, 7), 0);
		break;
	case PEER_INFO_BAD_ADDR4:
		ck_assert_int_eq(ike_pld_notify_build(mw, 0,
		    IKE_N_ADDITIONAL_IP4_ADDRESS, NULL, 0, a, 5), 0);
		break;
	case PEER_INFO_BAD_ADDR6:
		ck_assert_int_eq(ike_pld_notify_build(mw, 0,
		    IKE_N_ADDITIONAL_IP6_ADDRESS, NULL, 0, a, 4), 0);
		break;
	default:
		ck_assert(0);
	}
}

int
peer_info(struct peer *p, enum peer_info what)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	uint8_t *chain = p->chain, spi[4];

	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	switch (what) {
	case PEER_INFO_EMPTY:
		break;
	case PEER_INFO_DELETE_IKE:
		ck_assert_int_eq(ike_pld_delete_build(&mw, IKE_PROTO_IKE, 0, 0,
		    NULL), 0);
		break;
	case PEER_INFO_DELETE_CHILD:
		wire_put_u32(spi, p->child.spi_in);
		ck_assert_int_eq(ike_pld_delete_build(&mw, IKE_PROTO_ESP, 4, 1,
		    spi), 0);
		break;
	case PEER_INFO_UNKNOWN_NOTIFY:
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0, 40000, NULL, 0,
		    NULL, 0), 0);
		break;
	case PEER_INFO_DELETE_OLD_CHILD:
		wire_put_u32(spi, p->rekeyed_spi);
		ck_assert_int_eq(ike_pld_delete_build(&mw, IKE_PROTO_ESP, 4, 1,
		    spi), 0);
		break;
	case PEER_INFO_UPDATE:
	case PEER_INFO_COOKIE2:
	case PEER_INFO_ADDRS:
	case PEER_INFO_NO_ADDRS:
	case PEER_INFO_MANY_ADDRS:
	case PEER_INFO_BAD_COOKIE2:
	case PEER_INFO_BAD_ADDR4:
	case PEER_INFO_BAD_ADDR6:
		peer_info_mobike(p, &mw, what);
		break;
	case PEER_INFO_REDIRECT:
	case PEER_INFO_BAD_REDIRECT: {
		uint8_t d[2 + 255];
		size_t dl = peer_redirect_data(p, d, NULL, 0);

		if (what == PEER_INFO_BAD_REDIRECT)
			d[1] = 3, dl = 5;
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0, IKE_N_REDIRECT,
		    NULL, 0, d, dl), 0);
		break;
	}
	case PEER_INFO_AUTH_LIFETIME:
	case PEER_INFO_BAD_AUTH_LIFETIME: {
		uint8_t d[4];

		wire_put_u32(d, p->o.auth_lifetime);
		ck_assert_int_eq(ike_pld_notify_build(&mw, 0,
		    IKE_N_AUTH_LIFETIME, NULL, 0, d,
		    what == PEER_INFO_AUTH_LIFETIME ? 4 : 3), 0);
		break;
	}
	case PEER_INFO_DELETE_RED_IKE:
		ck_assert(p->red_active && p->red_ours);
		ck_assert_int_eq(ike_pld_delete_build(&mw, IKE_PROTO_IKE, 0, 0,
		    NULL), 0);
		peer_swap(p, &p->red);
		peer_hdr(p, &h, IKE_EXCH_INFORMATIONAL, false, p->next_req++);
		peer_seal(p, &h, &mw, false);
		peer_swap(p, &p->red);
		return 0;
	case PEER_INFO_DELETE_OLD_IKE:
		ck_assert(p->old_active);
		ck_assert_int_eq(ike_pld_delete_build(&mw, IKE_PROTO_IKE, 0, 0,
		    NULL), 0);
		peer_swap_old(p);
		peer_hdr(p, &h, IKE_EXCH_INFORMATIONAL, false, p->next_req++);
		peer_seal(p, &h, &mw, false);
		peer_swap_old(p);
		return 0;
	}
	peer_hdr(p, &h, IKE_EXCH_INFORMATIONAL, false, p->next_req++);
	peer_seal(p, &h, &mw, false);
	return 0;
}

int
peer_request_raw(struct peer *p, uint8_t exch, uint8_t first_type,
    const uint8_t *chain, size_t len)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;

	ck_assert_uint_le(len, PEER_BUF);
	wire_wr_init(&w, p->chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	if (len != 0)
		wire_wr_bytes(&w, chain, len);
	mw.first_type = first_type;
	peer_hdr(p, &h, exch, false, p->next_req++);
	peer_seal(p, &h, &mw, false);
	return 0;
}

int
peer_delete_esp(struct peer *p, uint32_t spi)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	uint8_t *chain = p->chain, s[4];

	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	wire_put_u32(s, spi);
	ck_assert_int_eq(ike_pld_delete_build(&mw, IKE_PROTO_ESP, 4, 1, s), 0);
	peer_hdr(p, &h, IKE_EXCH_INFORMATIONAL, false, p->next_req++);
	peer_seal(p, &h, &mw, false);
	return 0;
}

int
peer_rekey_child(struct peer *p, uint16_t ke_group, uint16_t also_group)
{
	struct ike_pld_xform xf[6];
	struct ike_pld_prop pr;
	struct ike_pld_ts tsi, tsr;
	uint8_t *chain = p->chain, spi[4], old[4];
	uint8_t seed[CRYPTO_KEX_SEED_MAX], pub[CRYPTO_KEX_PUB_MAX];
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	size_t publen;

	ck_assert(p->child_up);
	memset(xf, 0, sizeof(xf));
	memset(&pr, 0, sizeof(pr));
	pr.num = 1;
	pr.proto = IKE_PROTO_ESP;
	pr.xf = xf;
	xf[pr.nxf].type = IKE_XF_ENCR;
	xf[pr.nxf].id = p->child.encr;
	xf[pr.nxf].key_len = p->child.encr_key_bits;
	xf[pr.nxf++].has_key_len = p->child.encr_key_bits != 0;
	if (p->child.integ != 0) {
		xf[pr.nxf].type = IKE_XF_INTEG;
		xf[pr.nxf++].id = p->child.integ;
	}
	if (ke_group != 0) {
		xf[pr.nxf].type = IKE_XF_KE;
		xf[pr.nxf++].id = ke_group;
	}
	if (also_group != 0) {
		xf[pr.nxf].type = IKE_XF_KE;
		xf[pr.nxf++].id = also_group;
	}
	xf[pr.nxf].type = IKE_XF_ESN;
	xf[pr.nxf++].id = IKE_ESN_NO;
	p->pend_spi = ++p->esp_spi;
	wire_put_u32(spi, p->pend_spi);
	pr.spi = (struct ike_span){ spi, 4 };
	p->pend_old_spi = p->child.spi_in;
	wire_put_u32(old, p->pend_old_spi);
	peer_nonce(p, p->pend_ni, 0x6a);
	crypto_kex_free(p->pend_kex);
	p->pend_kex = NULL;
	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	ck_assert_int_eq(ike_pld_notify_build(&mw, IKE_PROTO_ESP,
	    IKE_N_REKEY_SA, old, 4, NULL, 0), 0);
	ck_assert_int_eq(ike_pld_sa_build(&mw, &pr, 1), 0);
	ck_assert_int_eq(ike_pld_nonce_build(&mw, p->pend_ni, 32), 0);
	if (ke_group != 0) {
		memset(seed, 0x5d, sizeof(seed));
		ck_assert_int_eq(crypto_kex_new(&p->pend_kex, ke_group, seed,
		    crypto_kex_seed_len(ke_group)), 0);
		ck_assert_int_eq(crypto_kex_public(p->pend_kex, pub,
		    sizeof(pub), &publen), 0);
		ck_assert_int_eq(ike_pld_ke_build(&mw, ke_group, pub, publen),
		    0);
	}
	/* TSi: the gateway's side; TSr: the initiator's (ours in IKE_AUTH). */
	peer_ts_pld(&p->child.ts_local[0], &tsi);
	peer_ts_pld(&p->child.ts_remote[0], &tsr);
	ck_assert_int_eq(ike_pld_ts_build(&mw, IKE_PLD_TSI, &tsi, 1), 0);
	ck_assert_int_eq(ike_pld_ts_build(&mw, IKE_PLD_TSR, &tsr, 1), 0);
	p->pend = 1;
	p->pend_id = p->next_req;
	peer_hdr(p, &h, IKE_EXCH_CREATE_CHILD_SA, false, p->next_req++);
	peer_seal(p, &h, &mw, false);
	return 0;
}

int
peer_rekey_ike(struct peer *p)
{
	struct ike_pld_xform xf[4] = {
		{ IKE_XF_ENCR, p->encr, p->encr_bits, p->encr_bits != 0, false },
		{ IKE_XF_PRF, p->prf, 0, false, false },
		{ IKE_XF_KE, p->dh, 0, false, false },
		{ IKE_XF_INTEG, p->integ, 0, false, false },
	};
	uint8_t spi[8], seed[CRYPTO_KEX_SEED_MAX];
	struct ike_pld_prop pr = { 1, IKE_PROTO_IKE, { spi, 8 }, xf,
	    p->integ != 0 ? 4 : 3 };
	struct ike_msg_wr mw;
	struct wire_wr w;
	struct ike_hdr h;
	uint8_t *chain = p->chain, pub[CRYPTO_KEX_PUB_MAX];
	size_t publen;

	p->pend_ike_spi = 0x0102030405060708ull + (uint64_t)p->n_rekey_ike;
	wire_put_u64(spi, p->pend_ike_spi);
	peer_nonce(p, p->pend_ni, 0x11);
	if (p->o.ike_coll_low != 0)
		memset(p->pend_ni, p->o.ike_coll_low == 1 ? 0x00 : 0xff, 32);
	crypto_kex_free(p->pend_kex);
	p->pend_kex = NULL;
	memset(seed, 0x4c, sizeof(seed));
	ck_assert_int_eq(crypto_kex_new(&p->pend_kex, p->dh, seed,
	    crypto_kex_seed_len(p->dh)), 0);
	ck_assert_int_eq(crypto_kex_public(p->pend_kex, pub, sizeof(pub),
	    &publen), 0);
	wire_wr_init(&w, chain, PEER_BUF);
	ike_msg_wr_chain(&mw, &w);
	ck_assert_int_eq(ike_pld_sa_build(&mw, &pr, 1), 0);
	ck_assert_int_eq(ike_pld_nonce_build(&mw, p->pend_ni, 32), 0);
	ck_assert_int_eq(ike_pld_ke_build(&mw, p->dh, pub, publen), 0);
	p->pend = 2;
	p->pend_id = p->next_req;
	peer_hdr(p, &h, IKE_EXCH_CREATE_CHILD_SA, false, p->next_req++);
	peer_seal(p, &h, &mw, false);
	return 0;
}

/* DER: a tag, then a length in 1 or 3 octets. */
static size_t
der_head(uint8_t *out, uint8_t tag, size_t len)
{
	out[0] = tag;
	if (len < 0x80) {
		out[1] = (uint8_t)len;
		return 2;
	}
	out[1] = 0x82;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	return 4;
}

size_t
peer_cert_bundle(const uint8_t *cert, size_t len, bool crl, uint8_t *out,
    size_t cap)
{
	static const uint8_t empty_crl[] = { 0xa1, 0x02, 0x30, 0x00 };
	uint8_t el[4];
	size_t eh = der_head(el, 0xa0, len), body, o;

	body = eh + len + (crl ? sizeof(empty_crl) : 0);
	ck_assert(len < 0x10000 && body < 0x10000 && body + 4 <= cap);
	o = der_head(out, 0x30, body);
	memcpy(out + o, el, eh);
	memcpy(out + o + eh, cert, len);
	o += eh + len;
	if (crl) {
		memcpy(out + o, empty_crl, sizeof(empty_crl));
		o += sizeof(empty_crl);
	}
	return o;
}
