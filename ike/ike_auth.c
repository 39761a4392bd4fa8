/*
 * ike/ike_auth.c: the IKE_AUTH exchange, RFC 7296 §1.2, with a PSK or
 * certificates (§2.15, RFC 7427), and the checks of the gateway's
 * answer.
 *
 *   HDR, SK { IDi, [CERT], N(INIT_CONTACT), [CERTREQ], [IDr], AUTH,
 *             CP(CFG_REQUEST), SAi2, TSi, TSr, [N(MOBIKE_SUP)] }  -->
 *                       <--  HDR, SK { IDr, [CERT+], AUTH, CP(CFG_REPLY),
 *                                      SAr2, TSi, TSr }
 *
 * With EAP (§2.16, ike_eap.c) the first request has no AUTH.
 *
 * The signed octets of §2.15: for us, our IKE_SA_INIT request | Nr |
 * prf(SK_pi, IDi'); for the gateway, its IKE_SA_INIT response | Ni |
 * prf(SK_pr, IDr'), where IDx' is the ID payload body (type, three
 * reserved octets, data).
 */
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_dn.h"
#include "ike/ike_int.h"

static const char ike_key_pad[] = "Key Pad for IKEv2";	/* §2.15, 17 octets */

int
ike_auth_psk(uint16_t prf, const uint8_t *secret, size_t secret_len,
    const uint8_t *octets, size_t octets_len, uint8_t *out)
{
	uint8_t key[CRYPTO_PRF_MAX];
	struct crypto_iov pad = { (const uint8_t *)ike_key_pad, 17 };
	struct crypto_iov data = { octets, octets_len };
	int rv;

	rv = crypto_prf(prf, secret, secret_len, &pad, 1, key);
	if (rv == 0)
		rv = crypto_prf(prf, key, crypto_prf_len(prf), &data, 1, out);
	ir_wipe(key, sizeof(key));
	return rv;
}

int
ike_auth_octets(struct ike_sa *sa, bool ours, const uint8_t *id_body,
    size_t id_len, size_t *len)
{
	const uint8_t *msg = ours ? sa->b->msg1 : sa->b->msg2;
	size_t msg_len = ours ? sa->msg1_len : sa->msg2_len;
	const uint8_t *nonce = ours ? sa->nr : sa->ni;
	size_t nonce_len = ours ? sa->nr_len : sizeof(sa->ni);
	const uint8_t *skp = ours ? sa->keys.sk_pi : sa->keys.sk_pr;
	struct crypto_iov id = { id_body, id_len };
	uint8_t *o = sa->b->octets;
	size_t plen = crypto_prf_len(sa->prf);

	if (msg_len + nonce_len + plen > sizeof(sa->b->octets))
		return IR_ERR_NOBUF;
	memcpy(o, msg, msg_len);
	memcpy(o + msg_len, nonce, nonce_len);
	*len = msg_len + nonce_len + plen;
	return crypto_prf(sa->prf, skp, sa->keys.prf_len, &id, 1,
	    o + msg_len + nonce_len);
}

int
ike_auth_local_id(const struct ike_sa *sa, uint8_t *type, uint8_t *data,
    size_t cap, size_t *len)
{
	const struct ike_id *id = &sa->conf.local_id;

	if (id->type != 0) {
		if (id->len > cap)
			return IR_ERR_NOBUF;
		*type = id->type;
		memcpy(data, id->data, id->len);
		*len = id->len;
		return 0;
	}
	if (sa->conf.auth == IKE_CONF_AUTH_EAP) {
		/* As strongSwan's clients do: the EAP identity, an RFC822
		 * address when it has an '@', else an FQDN. */
		*len = strlen(sa->conf.eap_identity);
		if (*len > cap)
			return IR_ERR_NOBUF;
		*type = strchr(sa->conf.eap_identity, '@') != NULL ?
		    IKE_IDT_RFC822_ADDR : IKE_IDT_FQDN;
		memcpy(data, sa->conf.eap_identity, *len);
		return 0;
	}
	if (sa->conf.cert == NULL)
		return IR_ERR_CONFIG;
	/* RFC 4945 §3.1.5: the certificate's subject DN. */
	*type = IKE_IDT_DER_ASN1_DN;
	return crypto_cert_subject_der(sa->conf.cert, data, cap, len);
}

/* Our AUTH payload: the PSK MIC (or the MSK's, §2.16) or a signature. */
static int
ike_auth_build_auth(struct ike_sa *sa, struct ike_msg_wr *mw,
    const uint8_t *id_body, size_t id_len)
{
	uint8_t out[CRYPTO_AUTH_DATA_MAX], method;
	struct crypto_sig_alg alg;
	size_t olen, n;
	int rv;

	if ((rv = ike_auth_octets(sa, true, id_body, id_len, &olen)) != 0)
		return rv;
	if (sa->conf.auth == IKE_CONF_AUTH_CERT) {
		rv = crypto_sig_choose(sa->conf.key, sa->peer_hashes, false,
		    &method, &alg);
		if (rv == 0)
			rv = crypto_auth_sign(sa->conf.key, method, &alg,
			    sa->b->octets, olen, out, sizeof(out), &n);
		if (rv == 0)
			ike_log(sa, IR_LOG_DEBUG, "authentication of our "
			    "identity with %s", ike_auth_method_name(method));
	} else {
		/* RFC 7296 §2.16: the first 64 octets of the MSK. */
		const uint8_t *secret = sa->conf.psk;
		size_t slen = sa->conf.psk_len;

		if (sa->conf.auth == IKE_CONF_AUTH_EAP)
			ike_eap_auth_secret(sa, true, &secret, &slen);
		method = IKE_AUTHM_SHARED_KEY_MIC;
		n = crypto_prf_len(sa->prf);
		rv = ike_auth_psk(sa->prf, secret, slen, sa->b->octets, olen,
		    out);
	}
	ir_wipe(sa->b->octets, olen);
	if (rv == 0)
		rv = ike_pld_auth_build(mw, method, out, n);
	ir_wipe(out, sizeof(out));
	return rv;
}

/* The final IKE_AUTH of EAP: only AUTH (§2.16). */
int
ike_auth_send_msk(struct ike_sa *sa, uint64_t now_ms)
{
	uint8_t id[4 + IKE_ID_MAX], type;
	struct ike_msg_wr mw;
	struct wire_wr w;
	size_t len;
	int rv;

	if ((rv = ike_auth_local_id(sa, &type, id + 4, IKE_ID_MAX, &len)) != 0)
		return rv;
	id[0] = type;
	id[1] = id[2] = id[3] = 0;
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_auth_build_auth(sa, &mw, id, 4 + len)) != 0)
		return rv;
	return ike_req_send(sa, IKE_REQ_EAP_AUTH, IKE_EXCH_IKE_AUTH, &mw,
	    now_ms);
}

static int
ike_auth_build(struct ike_sa *sa, struct ike_msg_wr *mw)
{
	uint8_t id[4 + IKE_ID_MAX], type, creq[20 * 16];
	const uint8_t *der;
	size_t len, n, i;
	int rv;

	if ((rv = ike_auth_local_id(sa, &type, id + 4, IKE_ID_MAX, &len)) != 0)
		return rv;
	id[0] = type;
	id[1] = id[2] = id[3] = 0;
	if ((rv = ike_pld_id_build(mw, IKE_PLD_IDI, type, id + 4, len)) != 0)
		return rv;
	if (sa->conf.auth == IKE_CONF_AUTH_CERT) {
		crypto_cert_der(sa->conf.cert, &der, &n);
		if ((rv = ike_pld_cert_build(mw, IKE_PLD_CERT,
		    IKE_CERT_X509_SIG, der, n)) != 0)
			return rv;
		/* §3.6: our intermediates follow, one CERT each. */
		for (i = 0; i < sa->conf.n_cert_chain; i++) {
			crypto_cert_der(sa->conf.cert_chain[i], &der, &n);
			if ((rv = ike_pld_cert_build(mw, IKE_PLD_CERT,
			    IKE_CERT_X509_SIG, der, n)) != 0)
				return rv;
		}
	}
	if ((rv = ike_pld_notify_build(mw, 0, IKE_N_INITIAL_CONTACT, NULL, 0,
	    NULL, 0)) != 0)
		return rv;
	/* §3.7: the CAs we trust, as SHA-1 of their public keys.  With the
	 * system's store (a hundred CAs or more) the list stays empty: the
	 * CERTREQ then only asks the gateway to send its certificate, as
	 * gateways that send it "if asked" want. */
	if (sa->conf.trust != NULL && crypto_trust_certreq(sa->conf.trust,
	    creq, sizeof(creq), &n) == 0 &&
	    (n != 0 || crypto_trust_is_system(sa->conf.trust))) {
		if ((rv = ike_pld_cert_build(mw, IKE_PLD_CERTREQ,
		    IKE_CERT_X509_SIG, creq, n)) != 0)
			return rv;
		/* RFC 4806 §3: and OCSP responses, from responders whose
		 * keys we trust: our anchors (they sign, or certify the
		 * signer).  Empty with the system's store: any responder
		 * the CA authorized.  After the X.509 CERTREQ, since
		 * libreswan reads only the first CERTREQ; not in EAP-only
		 * mode, where no CERT payload comes. */
		if (sa->conf.ocsp_certreq && !sa->conf.eap_only &&
		    (rv = ike_pld_cert_build(mw, IKE_PLD_CERTREQ,
		    IKE_CERT_OCSP_CONTENT, creq, n)) != 0)
			return rv;
	}
	/* §3.10.1: we can fetch hash-and-URL certificates (src/ has the
	 * HTTP client; the engine checks the hashes). */
	if (sa->cb.cert_fetch != NULL && sa->conf.trust != NULL &&
	    (rv = ike_pld_notify_build(mw, 0, IKE_N_HTTP_CERT_LOOKUP_SUPPORTED,
	    NULL, 0, NULL, 0)) != 0)
		return rv;
	if (sa->conf.remote_id.type != 0 && sa->conf.send_idr &&
	    (rv = ike_pld_id_build(mw,
	    IKE_PLD_IDR, sa->conf.remote_id.type, sa->conf.remote_id.data,
	    sa->conf.remote_id.len)) != 0)
		return rv;
	if (sa->conf.auth != IKE_CONF_AUTH_EAP &&
	    (rv = ike_auth_build_auth(sa, mw, id, 4 + len)) != 0)
		return rv;
	/* RFC 5998 §3: we accept a gateway proven by the EAP method. */
	if (sa->conf.auth == IKE_CONF_AUTH_EAP && sa->conf.eap_only &&
	    (rv = ike_pld_notify_build(mw, 0, IKE_N_EAP_ONLY_AUTHENTICATION,
	    NULL, 0, NULL, 0)) != 0)
		return rv;
	/* RFC 6023 §4: a childless IKE_AUTH has no SA, TSi, TSr. */
	if ((rv = ike_cp_build(sa, mw)) != 0 || (!sa->childless &&
	    ((rv = ike_child_build_sa(sa, mw, sa->child_spi, 0)) != 0 ||
	    (rv = ike_child_build_ts(sa, mw)) != 0)))
		return rv;
	/* Over TCP too: MOBIKE is how the SA goes back to UDP (RFC 9329 §5). */
	if (sa->conf.mobike && (rv = ike_pld_notify_build(mw,
	    0, IKE_N_MOBIKE_SUPPORTED, NULL, 0, NULL, 0)) != 0)
		return rv;
	return 0;
}

int
ike_auth_send(struct ike_sa *sa, uint64_t now_ms)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	uint32_t spi;
	int rv;

	/*
	 * RFC 6023 §3: childless only when the gateway announced it; with
	 * "auto" only when it pays, that is when the ESP proposals name a
	 * group: the first Child SA then gets its own key exchange (PFS),
	 * which a Child SA of IKE_AUTH cannot have (RFC 7296 §1.2).
	 */
	if (sa->conf.childless == IKE_CHILDLESS_FORCE && !sa->peer_childless)
		return ike_fail(sa, IR_ERR_NO_PROPOSAL, 0, "the gateway does not "
		    "support childless IKE SAs (RFC 6023): set childless to "
		    "auto or never");
	sa->childless = sa->peer_childless &&
	    (sa->conf.childless == IKE_CHILDLESS_FORCE ||
	    (sa->conf.childless == IKE_CHILDLESS_AUTO &&
	    sa->conf.esp.n_dh != 0));
	/* SPIs 1-255 are reserved (RFC 4303 §2.1). */
	do {
		ike_random(sa, (uint8_t *)&spi, sizeof(spi));
		sa->child_spi = spi;
	} while (sa->child_spi < 256);
	ike_set_state(sa, IKE_S_AUTH_SENT);
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_auth_build(sa, &mw)) != 0 ||
	    (rv = ike_req_send(sa, IKE_REQ_AUTH, IKE_EXCH_IKE_AUTH, &mw,
	    now_ms)) != 0) {
		ir_wipe(sa->b->plain, w.len);
		return ike_fail(sa, rv == IR_ERR_NOBUF ? IR_ERR_CONFIG : rv, 0,
		    "cannot build IKE_AUTH: %s", ir_strerror(rv));
	}
	return 0;
}

/* ---- The gateway's answer ------------------------------------------ */

int
ike_auth_error_notify(struct ike_sa *sa, const struct ike_msg *m)
{
	const char *what;
	char num[8];
	uint16_t t = 0;
	size_t i;

	for (i = 0; i < m->nnotify && t == 0; i++)
		if (ike_notify_is_error(m->notify[i].type))
			t = m->notify[i].type;
	switch (t) {
	case 0:
		return 0;
	case IKE_N_AUTHENTICATION_FAILED:
		what = sa->conf.auth == IKE_CONF_AUTH_PSK ?
		    "check the PSK and --id" :
		    sa->conf.auth == IKE_CONF_AUTH_CERT ?
		    "check our certificate and --id" :
		    "check the EAP user name and password";
		return ike_fail(sa, IR_ERR_AUTH, t, "the gateway rejected our "
		    "authentication (AUTHENTICATION_FAILED): %s", what);
	case IKE_N_NO_PROPOSAL_CHOSEN:
		return ike_fail(sa, IR_ERR_NO_PROPOSAL, t, "the gateway "
		    "accepted none of our ESP proposals (NO_PROPOSAL_CHOSEN): "
		    "check --esp against the gateway's configuration");
	case IKE_N_TS_UNACCEPTABLE:
		return ike_fail(sa, IR_ERR_TS, t, "the gateway refused our "
		    "traffic selectors (TS_UNACCEPTABLE): check the networks "
		    "configured on both sides");
	case IKE_N_INTERNAL_ADDRESS_FAILURE:
	case IKE_N_FAILED_CP_REQUIRED:
		return ike_fail(sa, IR_ERR_CP, t, "the gateway assigned us no "
		    "address (%s): its address pool may be exhausted or not "
		    "configured for this user", ike_notify_name(t));
	}
	return ike_fail(sa, IR_ERR_AUTH, t, "the gateway refused IKE_AUTH "
	    "(%s)", ike_name_or_num(ike_notify_name(t), t, num, sizeof(num)));
}

bool
ike_id_equal(const struct ike_id *want, const struct ike_pld_id *got)
{
	size_t i;

	if (want->type != got->type || want->len != got->data.len)
		return false;
	if (want->type != IKE_IDT_FQDN && want->type != IKE_IDT_RFC822_ADDR)
		return memcmp(want->data, got->data.p, want->len) == 0;
	for (i = 0; i < want->len; i++) {
		uint8_t a = want->data[i], b = got->data.p[i];

		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b + 32);
		if (a != b)
			return false;
	}
	return true;
}

void
ike_id_text(uint8_t type, const uint8_t *p, size_t len, char *buf, size_t cap)
{
	size_t i, o = 0;

	if (type == IKE_IDT_IPV4_ADDR && len == 4) {
		snprintf(buf, cap, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
		return;
	}
	if (type == IKE_IDT_DER_ASN1_DN) {
		crypto_dn_text(p, len, buf, cap);
		return;
	}
	if (type != IKE_IDT_FQDN && type != IKE_IDT_RFC822_ADDR) {
		snprintf(buf, cap, "(%s, %zu octets)", ike_id_type_name(type) ?
		    ike_id_type_name(type) : "ID", len);
		return;
	}
	for (i = 0; i < len && o + 2 < cap; i++)
		buf[o++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	buf[o] = '\0';
}

/*
 * Ask the caller about the verified certificate path (revocation): 0 to
 * go on, IR_ERR_PENDING to wait for ike_sa_peer_cert_done(), or the SA
 * fails with the caller's line.  |m| (NULL inside EAP-TLS) may carry
 * OCSP responses (RFC 4806).
 */
int
ike_auth_peer_cert(struct ike_sa *sa, const struct ike_msg *m,
    const struct crypto_chain *path, bool eap_tls)
{
	struct crypto_cert *c[IKE_PEER_CHAIN_MAX];
	struct ike_peer_cert pc;
	size_t i, n;
	int rv = 0;

	if (sa->cb.peer_cert == NULL)
		return 0;
	memset(&pc, 0, sizeof(pc));
	memset(c, 0, sizeof(c));
	n = path != NULL ? crypto_chain_len(path) : 0;
	if (n > IKE_PEER_CHAIN_MAX)
		n = IKE_PEER_CHAIN_MAX;
	for (i = 0; i < n && rv == 0; i++)
		if ((rv = crypto_chain_cert(path, i, &c[i])) == 0) {
			crypto_cert_der(c[i], &pc.chain[i].p,
			    &pc.chain[i].len);
			pc.n_chain++;
		}
	if (rv != 0 || n == 0) {
		snprintf(pc.why, sizeof(pc.why), "cannot keep the gateway's "
		    "certificate path: %s", ir_strerror(rv != 0 ? rv :
		    IR_ERR_CERT));
		rv = IR_ERR_CERT;
		goto out;
	}
	pc.leaf = pc.chain[0].p;
	pc.leaf_len = pc.chain[0].len;
	if (n > 1) {
		pc.issuer = pc.chain[1].p;
		pc.issuer_len = pc.chain[1].len;
	}
	pc.eap_tls = eap_tls;
	for (i = 0; m != NULL && i < m->ncert && pc.n_ocsp < IKE_PEER_OCSP_MAX;
	    i++)
		if (m->cert[i].enc == IKE_CERT_OCSP_CONTENT)
			pc.ocsp[pc.n_ocsp++] = (struct crypto_iov){
			    m->cert[i].data.p, m->cert[i].data.len };
	rv = sa->cb.peer_cert(sa->ud, &pc);
out:
	for (i = 0; i < IKE_PEER_CHAIN_MAX; i++)
		crypto_cert_free(c[i]);
	if (rv == 0 || rv == IR_ERR_PENDING)
		return rv;
	pc.why[sizeof(pc.why) - 1] = '\0';
	return ike_fail(sa, IR_ERR_CERT, 0, "%s", pc.why[0] ? pc.why :
	    "the gateway's certificate was refused");
}

/*
 * The certificates fetched for CERT payload |i| (hash and URL, §3.6),
 * after the |n| of |chain| (CRYPTO_CHAIN_MAX + 1 entries: one more than
 * the verifier takes, so that a longer chain is refused there, not cut):
 * the one of encoding 12, or those of a bundle (13) in its order, as
 * ike_sa_cert_fetched() kept them.  Returns the new count.
 */
static size_t
fetched_certs(const struct ike_sa *sa, size_t i, struct crypto_iov *chain,
    size_t n)
{
	const struct ike_span *c;
	size_t s, k;

	for (s = 0; s < sa->fetch_n; s++) {
		if (sa->fetch_cert[s] != i || sa->fetch_len[s] == 0)
			continue;
		c = sa->b->fetched_cert[s];
		for (k = 0; k < sa->b->fetched_ncert[s] &&
		    n <= CRYPTO_CHAIN_MAX; k++)
			chain[n++] = (struct crypto_iov){ c[k].p, c[k].len };
	}
	return n;
}

/* The gateway's certificate chain, its identities, then its signature. */
static int
ike_auth_verify_cert(struct ike_sa *sa, const struct ike_msg *m, size_t olen)
{
	struct crypto_iov chain[CRYPTO_CHAIN_MAX + 1];
	struct crypto_chain *path = NULL;
	struct crypto_cert *leaf = NULL;
	struct crypto_pkey *pub = NULL;
	char why[CRYPTO_WHY_MAX], idt[160], anchor[CRYPTO_WHY_MAX];
	size_t i, n = 0;
	int rv;

	if (sa->conf.trust == NULL)
		return ike_fail(sa, IR_ERR_CERT, 0, "the gateway signs with a "
		    "certificate but no CA is configured: add --ca");
	for (i = 0; i < m->ncert; i++)
		if (m->cert[i].enc == IKE_CERT_X509_SIG) {
			if (n <= CRYPTO_CHAIN_MAX)
				chain[n++] = (struct crypto_iov){
				    m->cert[i].data.p, m->cert[i].data.len };
		} else if (m->cert[i].enc == IKE_CERT_HASH_URL_X509 ||
		    m->cert[i].enc == IKE_CERT_HASH_URL_BUNDLE)
			n = fetched_certs(sa, i, chain, n);
	if (n == 0)
		return ike_fail(sa, IR_ERR_CERT, 0, "the gateway sent no "
		    "certificate: configure it to send its certificate");
	why[0] = '\0';
	if ((rv = crypto_trust_verify_chain(sa->conf.trust, chain, n,
	    CRYPTO_TIME_NOW, &path, why, sizeof(why))) != 0)
		return ike_fail(sa, IR_ERR_CERT, 0, "the gateway's certificate "
		    "is not trusted: %s; %s", why[0] ? why : ir_strerror(rv),
		    rv == IR_ERR_CERT_PURPOSE ? "its CA issued it for another "
		    "use: ask the gateway's administrator for a certificate "
		    "with serverAuth or id-kp-ipsecIKE (RFC 4945)" :
		    crypto_trust_is_system(sa->conf.trust) ? "it does not "
		    "chain to the system's trust store: give its CA with --ca" :
		    "check --ca");
	crypto_chain_subject(path, crypto_chain_len(path) - 1, anchor,
	    sizeof(anchor));
	ike_log(sa, IR_LOG_INFO, "gateway certificate verified by CA '%s'%s",
	    anchor, crypto_chain_from_system(path) ?
	    " (system trust store)" : "");
	if ((rv = crypto_chain_cert(path, 0, &leaf)) != 0) {
		crypto_chain_free(path);
		return ike_fail(sa, rv, 0, "cannot keep the gateway's "
		    "certificate: %s", ir_strerror(rv));
	}
	ike_id_text(m->idr.type, m->idr.data.p, m->idr.data.len, idt,
	    sizeof(idt));
	if (crypto_cert_match_id(leaf, m->idr.type, m->idr.data.p,
	    m->idr.data.len) != 0) {
		rv = ike_fail(sa, IR_ERR_PEER_ID, 0, "the gateway's "
		    "certificate does not carry its identity %s", idt);
		goto out;
	}
	if (sa->conf.remote_id.type != 0 && crypto_cert_match_pattern(leaf,
	    sa->conf.remote_id.type, sa->conf.remote_id.data,
	    sa->conf.remote_id.len) != 0) {
		rv = ike_fail(sa, IR_ERR_PEER_ID, 0, "the gateway is %s, but "
		    "--remote-id names another identity: check --remote-id",
		    idt);
		goto out;
	}
	/* RFC 7427 §1, RFC 8247 §3.2: a gateway that announced
	 * SIGNATURE_HASH_ALGORITHMS can sign with SHA-2; its SHA-1 method
	 * 1 is a downgrade (method 14 refuses SHA-1 by itself). */
	if (sa->peer_hashes != 0 && m->auth.method == IKE_AUTHM_RSA_SIG) {
		rv = ike_fail(sa, IR_ERR_AUTH, 0, "the gateway signs with "
		    "RSA PKCS#1 v1.5 and SHA-1 (AUTH method 1) although it "
		    "announced RFC 7427 signatures: refused; configure the "
		    "gateway for RFC 7427 signatures with SHA-2");
		goto out;
	}
	if ((rv = crypto_cert_pubkey(leaf, &pub)) != 0 ||
	    (rv = crypto_auth_verify(pub, m->auth.method, m->auth.data.p,
	    m->auth.data.len, sa->b->octets, olen, NULL)) != 0) {
		rv = ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's AUTH "
		    "signature does not verify (%s): it may be an impostor",
		    ir_strerror(rv));
		goto out;
	}
	ike_log(sa, IR_LOG_INFO, "authentication of '%s' with %s "
	    "successful", idt, ike_auth_method_name(m->auth.method) ?
	    ike_auth_method_name(m->auth.method) : "?");
	rv = ike_auth_peer_cert(sa, m, path, false);
out:
	crypto_pkey_free(pub);
	crypto_cert_free(leaf);
	crypto_chain_free(path);
	return rv;
}

static int
ike_auth_verify_psk(struct ike_sa *sa, const struct ike_msg *m, size_t olen)
{
	uint8_t want[CRYPTO_PRF_MAX];
	size_t n = crypto_prf_len(sa->prf);
	bool ok;
	int rv;

	if (sa->conf.auth == IKE_CONF_AUTH_EAP ||
	    sa->conf.psk_len == 0)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway "
		    "authenticates with a PSK, but we expect a certificate: "
		    "check the gateway's configuration");
	if ((rv = ike_auth_psk(sa->prf, sa->conf.psk, sa->conf.psk_len,
	    sa->b->octets, olen, want)) != 0)
		return ike_fail(sa, rv, 0, "cannot compute AUTH: %s",
		    ir_strerror(rv));
	ok = m->auth.data.len == n &&
	    ir_memeq_ct(want, m->auth.data.p, n) == 0;
	ir_wipe(want, sizeof(want));
	if (!ok)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's AUTH does "
		    "not match our PSK: check the PSK (or the gateway is an "
		    "impostor)");
	if (sa->conf.remote_id.type != 0 &&
	    !ike_id_equal(&sa->conf.remote_id, &m->idr))
		return ike_fail(sa, IR_ERR_PEER_ID, 0, "the gateway's identity "
		    "is not the one of --remote-id: check --remote-id");
	ike_log(sa, IR_LOG_INFO, "authentication of the gateway with "
	    "pre-shared key successful");
	return 0;
}

int
ike_auth_keep_idr(struct ike_sa *sa, const struct ike_msg *m)
{
	if (m->idr.body.len > sizeof(sa->idr_body) || m->idr.body.len < 4)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's IDr is too "
		    "long");
	memcpy(sa->idr_body, m->idr.body.p, m->idr.body.len);
	sa->idr_len = m->idr.body.len;
	return 0;
}

int
ike_auth_verify_peer(struct ike_sa *sa, const struct ike_msg *m)
{
	size_t olen;
	int rv;

	if (ike_msg_count(m, IKE_PLD_IDR) == 0 ||
	    ike_msg_count(m, IKE_PLD_AUTH) == 0)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's IKE_AUTH "
		    "answer has no %s", ike_msg_count(m, IKE_PLD_IDR) ?
		    "AUTH" : "IDr");
	if ((rv = ike_auth_keep_idr(sa, m)) != 0)
		return rv;
	if ((rv = ike_auth_octets(sa, false, m->idr.body.p, m->idr.body.len,
	    &olen)) != 0)
		return ike_fail(sa, rv, 0, "cannot compute AUTH: %s",
		    ir_strerror(rv));
	if (m->auth.method == IKE_AUTHM_SHARED_KEY_MIC)
		rv = ike_auth_verify_psk(sa, m, olen);
	else
		rv = ike_auth_verify_cert(sa, m, olen);
	ir_wipe(sa->b->octets, olen);
	return rv;
}

void
ike_auth_lifetime(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pld_notify *n;
	uint32_t secs;

	if ((n = ike_msg_notify(m, IKE_N_AUTH_LIFETIME)) == NULL)
		return;
	if (n->data.len != 4) {
		ike_log(sa, IR_LOG_DEBUG, "ignoring N(AUTH_LIFETIME) of %zu "
		    "octets", n->data.len);
		return;
	}
	secs = wire_get_u32(n->data.p);
	ike_log(sa, IR_LOG_INFO, "the gateway wants us to reauthenticate "
	    "within %u s (RFC 4478)", secs);
	/* Childless (RFC 6023): the caller hears of it after the first
	 * child_up(), as from an IKE_AUTH that made one (ike.h). */
	if (!sa->had_child) {
		sa->lifetime_pending = secs;
		return;
	}
	if (sa->cb.auth_lifetime != NULL)
		sa->cb.auth_lifetime(sa->ud, secs);
}

int
ike_auth_finish(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	struct ike_cfg_reply cfg;
	int rv;

	bool no_child;

	if ((rv = ike_redirect_auth(sa, m, now_ms)) != IR_ERR_NOT_FOUND)
		return rv;
	no_child = ike_msg_count(m, IKE_PLD_SA) == 0 ||
	    ike_msg_count(m, IKE_PLD_TSI) == 0 ||
	    ike_msg_count(m, IKE_PLD_TSR) == 0;
	/*
	 * RFC 6023: a gateway that announced childless IKE SAs may answer
	 * our Child SA with none (one that accepts only childless ones);
	 * the Child SA then comes by CREATE_CHILD_SA like after our own
	 * childless IKE_AUTH.  Error notifies were handled before.
	 */
	if (no_child && !sa->childless && sa->peer_childless &&
	    sa->conf.childless != IKE_CHILDLESS_NEVER) {
		ike_log(sa, IR_LOG_INFO, "the gateway set up no Child SA in "
		    "IKE_AUTH; creating it with CREATE_CHILD_SA (RFC 6023)");
		sa->childless = true;
	}
	if (no_child && !sa->childless)
		return ike_fail(sa, IR_ERR_NO_PROPOSAL, 0, "the gateway "
		    "authenticated us but set up no tunnel (no Child SA)");
	if (!no_child && sa->childless)
		return ike_fail(sa, IR_ERR_NO_PROPOSAL, 0, "the gateway "
		    "answered our childless IKE_AUTH with a Child SA "
		    "(RFC 6023 §4)");
	if (ike_msg_notify(m, IKE_N_MOBIKE_SUPPORTED) != NULL)
		sa->peer_mobike = true;
	ike_mobike_auth(sa, m);
	if (ike_msg_count(m, IKE_PLD_CP) != 0 &&
	    m->cp.type == IKE_CFG_REPLY && !sa->cfg_reported) {
		ike_cp_parse(&m->cp, &cfg);
		sa->cfg_reported = true;
		if (sa->cb.config != NULL)
			sa->cb.config(sa->ud, &cfg);
	}
	ike_slot_use(sa, 0);
	if (!sa->childless && (rv = ike_child_accept(sa, m, sa->ni,
	    sizeof(sa->ni), sa->nr, sa->nr_len, NULL, 0, sa->child_spi, 0,
	    now_ms)) != 0)
		return rv;
	ike_set_state(sa, IKE_S_ESTABLISHED);
	ike_rekey_ike_schedule(sa, now_ms);
	ike_log(sa, IR_LOG_INFO, "IKE SA established between us and the "
	    "gateway%s", sa->childless ? " (childless, RFC 6023)" : "");
	sa->last_rx_ms = now_ms;
	ike_auth_lifetime(sa, m);
	if (sa->state != IKE_S_ESTABLISHED)
		return 0;
	/* RFC 6023 §4: the first Child SA, by CREATE_CHILD_SA at once;
	 * or the rest of our selectors the gateway narrowed away (§2.9). */
	if (sa->childless)
		sa->cs->create_ms = now_ms;
	return ike_rekey_create_due(sa, now_ms);
}

/* The gateway is proven: EAP goes on, or the SA is up. */
static int
ike_auth_go_on(struct ike_sa *sa, const struct ike_msg *m, int kind,
    uint64_t now_ms)
{
	if (sa->conf.auth == IKE_CONF_AUTH_EAP)
		return ike_eap_response(sa, m, kind, now_ms);
	return ike_auth_finish(sa, m, now_ms);
}

/* The gateway's identity and AUTH, then the rest of the answer. */
static int
ike_auth_check_peer(struct ike_sa *sa, const struct ike_msg *m, int kind,
    uint64_t now_ms)
{
	int rv;

	if (kind == IKE_REQ_AUTH &&
	    (rv = ike_auth_verify_peer(sa, m)) != 0) {
		if (rv != IR_ERR_PENDING)
			return rv;
		ike_log(sa, IR_LOG_DEBUG, "waiting for the revocation check "
		    "of the gateway's certificate");
		sa->cert_pending = kind;
		return 0;
	}
	return ike_auth_go_on(sa, m, kind, now_ms);
}

/*
 * Hash-and-URL certificates and bundles (§3.6, encodings 12 and 13) in
 * the answer: hand their URLs out and wait (0), or IR_ERR_NOT_FOUND when
 * there are none; the SA fails on a malformed one, or one we did not ask
 * for.
 */
static int
ike_auth_fetch(struct ike_sa *sa, const struct ike_msg *m, int kind)
{
	const uint8_t *hash, *url;
	char u[IKE_HASH_URL_MAX + 1];
	const char *why;
	size_t i, ulen, n = 0;
	int rv;

	sa->fetch_n = sa->fetch_left = 0;
	for (i = 0; i < m->ncert; i++) {
		if (m->cert[i].enc != IKE_CERT_HASH_URL_X509 &&
		    m->cert[i].enc != IKE_CERT_HASH_URL_BUNDLE)
			continue;
		if (sa->cb.cert_fetch == NULL || sa->conf.trust == NULL)
			return ike_fail(sa, IR_ERR_CERT, 0, "the gateway sent "
			    "its certificate as hash and URL although we did "
			    "not announce HTTP_CERT_LOOKUP_SUPPORTED");
		if (ike_pld_hash_url_parse(&m->cert[i].data, &hash, &url,
		    &ulen, &why) != 0)
			return ike_fail(sa, IR_ERR_CERT, 0, "the gateway's "
			    "hash-and-URL certificate is refused: %s", why);
		if (n == IKE_FETCH_MAX)
			return ike_fail(sa, IR_ERR_CERT, 0, "the gateway sent "
			    "more than %d hash-and-URL certificates",
			    IKE_FETCH_MAX);
		sa->fetch_cert[n] = (uint8_t)i;
		sa->fetch_len[n] = 0;
		n++;
	}
	if (n == 0)
		return IR_ERR_NOT_FOUND;
	sa->fetch_n = sa->fetch_left = (uint8_t)n;
	sa->cert_pending = kind;
	for (i = 0; i < n; i++) {
		(void)ike_pld_hash_url_parse(&m->cert[sa->fetch_cert[i]].data,
		    &hash, &url, &ulen, &why);
		memcpy(u, url, ulen);
		u[ulen] = '\0';
		ike_log(sa, IR_LOG_INFO, "fetching the gateway's certificate%s "
		    "from %s (hash and URL)", m->cert[sa->fetch_cert[i]].enc ==
		    IKE_CERT_HASH_URL_BUNDLE ? " bundle" : "", u);
		if ((rv = sa->cb.cert_fetch(sa->ud, (unsigned)i, u)) != 0) {
			sa->cert_pending = 0;
			return ike_fail(sa, IR_ERR_CERT, 0, "cannot fetch the "
			    "gateway's certificate from %s (hash and URL): %s",
			    u, ir_strerror(rv));
		}
	}
	return 0;
}

int
ike_auth_response(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	int kind = sa->req.kind, rv;

	ike_req_done(sa);
	if ((rv = ike_auth_error_notify(sa, m)) != 0)
		return rv;
	/* RFC 5998 §3: no AUTH but EAP is the gateway's EAP-only answer. */
	if (kind == IKE_REQ_AUTH && sa->conf.auth == IKE_CONF_AUTH_EAP &&
	    ike_msg_count(m, IKE_PLD_AUTH) == 0 &&
	    ike_msg_count(m, IKE_PLD_EAP) != 0) {
		if ((rv = ike_eap_only_accept(sa, m)) != 0)
			return rv;
		return ike_auth_go_on(sa, m, kind, now_ms);
	}
	if (kind == IKE_REQ_AUTH &&
	    (rv = ike_auth_fetch(sa, m, kind)) != IR_ERR_NOT_FOUND)
		return rv;
	return ike_auth_check_peer(sa, m, kind, now_ms);
}

int
ike_sa_cert_fetched(struct ike_sa *sa, unsigned idx, int status,
    const uint8_t *der, size_t len, const char *why, uint64_t now_ms)
{
	const struct ike_msg *m = &sa->b->m;
	const uint8_t *hash, *url;
	uint8_t h[CRYPTO_SHA1_LEN];
	char u[IKE_HASH_URL_MAX + 1];
	struct ike_span *certs;
	const char *bad;
	size_t ulen, nc = 1, ncrl;
	struct crypto_iov iov = { der, len };
	int kind = sa->cert_pending;

	if (kind == 0 || sa->fetch_left == 0 || idx >= sa->fetch_n ||
	    sa->fetch_len[idx] != 0 || sa->state == IKE_S_CLOSED)
		return IR_ERR_UNEXPECTED;
	if (ike_pld_hash_url_parse(&m->cert[sa->fetch_cert[idx]].data, &hash,
	    &url, &ulen, &bad) != 0)
		return IR_ERR_UNEXPECTED;	/* checked before the fetch */
	memcpy(u, url, ulen);
	u[ulen] = '\0';
	sa->cert_pending = 0;
	if (status != 0)
		return ike_fail(sa, IR_ERR_CERT, 0, "cannot fetch the gateway's "
		    "certificate from %s (hash and URL): %s", u, why != NULL &&
		    why[0] != '\0' ? why : ir_strerror(status));
	if (len == 0 || len > IKE_FETCH_CERT_MAX)
		return ike_fail(sa, IR_ERR_CERT, 0, "the gateway's certificate "
		    "at %s has %zu octets: refused", u, len);
	if (crypto_sha1(&iov, 1, h) != 0 ||
	    ir_memeq_ct(h, hash, sizeof(h)) != 0)
		return ike_fail(sa, IR_ERR_CERT, 0, "the certificate fetched "
		    "from %s does not match the SHA-1 hash the gateway sent "
		    "(RFC 7296 section 3.6): refused", u);
	/* Kept, and a bundle parsed, once: fetched_certs() takes the views
	 * into the copy. */
	memcpy(sa->b->fetched[idx], der, len);
	certs = sa->b->fetched_cert[idx];
	if (m->cert[sa->fetch_cert[idx]].enc == IKE_CERT_HASH_URL_BUNDLE) {
		if (ike_cert_bundle_parse(sa->b->fetched[idx], len, certs,
		    IR_ARRAY_LEN(sa->b->fetched_cert[idx]), &nc, &ncrl,
		    &bad) != 0)
			return ike_fail(sa, IR_ERR_CERT, 0, "the certificate "
			    "bundle fetched from %s is refused: %s", u, bad);
		ike_log(sa, IR_LOG_INFO, "fetched the gateway's certificate "
		    "bundle from %s (%zu octets, hash matches): %zu "
		    "certificate(s)%s", u, len, nc, ncrl > 0 ? ", CRLs not "
		    "used" : "");
	} else {
		certs[0] = (struct ike_span){ sa->b->fetched[idx], len };
		ike_log(sa, IR_LOG_INFO, "fetched the gateway's certificate "
		    "from %s (%zu octets, hash matches)", u, len);
	}
	sa->b->fetched_ncert[idx] = nc;
	sa->fetch_len[idx] = len;
	if (--sa->fetch_left > 0) {
		sa->cert_pending = kind;
		return 0;
	}
	return ike_auth_check_peer(sa, m, kind, now_ms);
}

int
ike_sa_peer_cert_done(struct ike_sa *sa, int verdict, const char *why,
    uint64_t now_ms)
{
	int kind = sa->cert_pending;

	if (kind == 0 || sa->fetch_left != 0 || sa->state == IKE_S_CLOSED)
		return IR_ERR_UNEXPECTED;
	sa->cert_pending = 0;
	if (verdict != 0)
		return ike_fail(sa, IR_ERR_CERT, 0, "%s", why != NULL &&
		    why[0] != '\0' ? why : "the gateway's certificate was "
		    "refused");
	return ike_auth_go_on(sa, &sa->b->m, kind, now_ms);
}
