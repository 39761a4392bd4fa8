/*
 * ike/ike_eap.c: EAP inside IKE_AUTH, RFC 7296 §2.16 with RFC 3748: the
 * Identity, Notification and Nak of the peer, the method chosen with
 * conf.eap_method (EAP-MSCHAPv2 here, RFC 2759 and
 * draft-kamath-pppext-eap-mschapv2; EAP-GTC, RFC 3748 §5.6; EAP-TLS in
 * ike_eap_tls.c), and EAP-only authentication (RFC 5998).
 *
 *   HDR, SK { IDi, [CERTREQ], [IDr], CP, SAi2, TSi, TSr }  -->
 *                  <--  HDR, SK { IDr, CERT, AUTH, EAP(Request/Identity) }
 *   HDR, SK { EAP(Response/Identity) }  -->
 *                  <--  HDR, SK { EAP(Request/MSCHAPv2 Challenge) }
 *   HDR, SK { EAP(Response/MSCHAPv2 Response) }  -->
 *                  <--  HDR, SK { EAP(Request/MSCHAPv2 Success) }
 *   HDR, SK { EAP(Response/MSCHAPv2 Success) }  -->
 *                  <--  HDR, SK { EAP(Success) }
 *   HDR, SK { AUTH }  -->
 *                  <--  HDR, SK { AUTH, CP, SAr2, TSi, TSr }
 *
 * The gateway proves itself with its certificate in the first answer
 * (ike_auth.c checks it before we send anything of the password's).
 * Both final AUTHs use the MSK as the shared secret of §2.15, or, for a
 * method without one (GTC), SK_pi and SK_pr (§2.16).
 *
 * EAP-only (RFC 5998): with conf.eap_only we announce
 * EAP_ONLY_AUTHENTICATION and the gateway may leave AUTH (and CERT) out
 * of its first answer.  Then only a mutual method that derives an MSK
 * may run (§4): EAP-TLS, where the gateway's TLS certificate is checked
 * against --ca and its IDr, or EAP-MSCHAPv2, whose authenticator
 * response proves that the gateway knows the password.  The final AUTH
 * from the MSK binds the IDr to that proof.  EAP-GTC never runs there.
 *
 * An MS-CHAPv2 packet after the EAP header and Type 26 (RFC 2759 §4):
 *   | OpCode | MS-CHAPv2-ID |  MS-Length (2)  | Value-Size | Value | Name
 * MS-Length counts from OpCode to the end (the EAP Length minus 5).
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"

#define EAP_TYPE_IDENTITY	1
#define EAP_TYPE_NOTIFICATION	2
#define EAP_TYPE_NAK		3
#define EAP_TYPE_MSCHAPV2	26
#define EAP_NAKS_MAX		4	/* then the gateway has nothing for us */
#define MSCHAP_CHALLENGE	1
#define MSCHAP_RESPONSE		2
#define MSCHAP_SUCCESS		3
#define MSCHAP_FAILURE		4
#define MSCHAP_RESPONSE_LEN	49	/* peer challenge, 8 zero, NT, flags */
/* How long the EAP-Failure may take after our MS-CHAPv2 Failure Response
 * (one round trip and the gateway's own delay: strongSwan waits 2 s
 * before its Failure Request, none after). */
#define EAP_FAIL_ACK_WAIT_MS	5000

static void ike_eap_text(const struct ike_span *t, char *buf, size_t cap);

void
ike_eap_hdr(struct wire_wr *w, uint8_t id, size_t len, uint8_t type)
{
	wire_wr_u8(w, IKE_EAPC_RESPONSE);
	wire_wr_u8(w, id);
	wire_wr_u16(w, (uint16_t)len);
	wire_wr_u8(w, type);
}

static int
ike_eap_mschap_response(struct ike_sa *sa, uint8_t id, uint8_t ms_id,
    struct wire_rd *r, struct wire_wr *w)
{
	const char *name = sa->conf.eap_identity;
	const char *pw = sa->conf.eap_password;
	size_t name_len = strlen(name), len = 4 + 1 + 4 + 1 +
	    MSCHAP_RESPONSE_LEN + name_len;
	uint8_t vsize;
	int rv;

	if (!wire_rd_u8(r, &vsize) || vsize != 16 ||
	    !wire_rd_copy(r, sa->eap_auth_challenge, 16))
		return IR_ERR_MALFORMED;
	if (len > 0xffff)
		return IR_ERR_CONFIG;
	ike_random(sa, sa->eap_peer_challenge, 16);
	rv = crypto_mschap_nt_response(sa->mschap, sa->eap_auth_challenge,
	    sa->eap_peer_challenge, name, name_len, pw, strlen(pw),
	    sa->eap_nt_response);
	if (rv != 0)
		return rv;
	ike_eap_hdr(w, id, len, EAP_TYPE_MSCHAPV2);
	wire_wr_u8(w, MSCHAP_RESPONSE);
	wire_wr_u8(w, ms_id);
	wire_wr_u16(w, (uint16_t)(len - 5));
	wire_wr_u8(w, MSCHAP_RESPONSE_LEN);
	wire_wr_bytes(w, sa->eap_peer_challenge, 16);
	wire_wr_zero(w, 8);
	wire_wr_bytes(w, sa->eap_nt_response, 24);
	wire_wr_u8(w, 0);			/* Flags */
	wire_wr_bytes(w, name, name_len);
	return w->overflow ? IR_ERR_NOBUF : 0;
}

/* The authenticator's "S=<hex>" proves it knows our password too. */
static int
ike_eap_mschap_success(struct ike_sa *sa, uint8_t id, struct wire_rd *r,
    struct wire_wr *w)
{
	const char *name = sa->conf.eap_identity;
	const char *pw = sa->conf.eap_password;
	int rv;

	rv = crypto_mschap_auth_check(sa->mschap, sa->eap_auth_challenge,
	    sa->eap_peer_challenge, sa->eap_nt_response, name, strlen(name),
	    pw, strlen(pw), r->p, r->left);
	if (rv != 0)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's MS-CHAPv2 "
		    "authenticator response is wrong: it does not know our "
		    "password; it may be an impostor");
	if ((rv = crypto_mschap_msk(sa->mschap, sa->eap_nt_response, pw,
	    strlen(pw), sa->msk)) != 0)
		return rv;
	sa->have_msk = true;
	sa->eap_method_ok = true;
	ike_eap_hdr(w, id, 6, EAP_TYPE_MSCHAPV2);
	wire_wr_u8(w, MSCHAP_SUCCESS);
	return w->overflow ? IR_ERR_NOBUF : 0;
}

/* The user's line when the gateway refused our MS-CHAPv2 response. */
static int
ike_eap_mschap_rejected(struct ike_sa *sa)
{
	return ike_fail(sa, IR_ERR_AUTH, IKE_N_AUTHENTICATION_FAILED,
	    "the gateway rejected our EAP-MSCHAPv2 login: check the EAP user "
	    "name and password");
}

/*
 * A Failure Request (draft-kamath-pppext-eap-mschapv2 §2, RFC 2759 §6:
 * "E=691 R=1 C=... V=3 M=..."): the password was wrong.  We do not retry
 * with the same password; the peer MUST answer with a Failure Response
 * (OpCode 4 alone), after which the gateway ends EAP with an EAP-Failure
 * and deletes the half-done IKE SA.  Without that answer a gateway that
 * allows retries (strongSwan) keeps the IKE SA until its own timeout.
 * The EAP-Failure (ike_eap_failure()) or, failing that, the short wait
 * in ike_eap_send() ends it on our side.
 */
static int
ike_eap_mschap_failure(struct ike_sa *sa, const struct ike_pld_eap *req,
    struct wire_wr *w)
{
	char text[120];
	struct ike_span msg = { NULL, 0 };

	if (sa->eap_mschap_rejected)
		return ike_eap_mschap_rejected(sa);
	sa->eap_mschap_rejected = true;
	/* OpCode, MS-CHAPv2-ID, MS-Length, then the message. */
	if (req->type_data.len > 4) {
		msg.p = req->type_data.p + 4;
		msg.len = req->type_data.len - 4;
	}
	ike_eap_text(&msg, text, sizeof(text));
	ike_log(sa, IR_LOG_INFO, "the gateway rejected our EAP-MSCHAPv2 "
	    "response (%s): acknowledging it, no retry", text[0] != '\0' ?
	    text : "no message");
	ike_eap_hdr(w, req->id, 6, EAP_TYPE_MSCHAPV2);
	wire_wr_u8(w, MSCHAP_FAILURE);
	return w->overflow ? IR_ERR_NOBUF : 0;
}

static int
ike_eap_mschap(struct ike_sa *sa, const struct ike_pld_eap *req,
    struct wire_wr *w)
{
	struct wire_rd r;
	uint8_t op, ms_id;
	uint16_t ms_len;

	wire_rd_init(&r, req->type_data.p, req->type_data.len);
	if (!wire_rd_u8(&r, &op))
		return IR_ERR_MALFORMED;
	if (op == MSCHAP_FAILURE)
		return ike_eap_mschap_failure(sa, req, w);
	if (!wire_rd_u8(&r, &ms_id) || !wire_rd_u16(&r, &ms_len))
		return IR_ERR_MALFORMED;
	switch (op) {
	case MSCHAP_CHALLENGE:
		return ike_eap_mschap_response(sa, req->id, ms_id, &r, w);
	case MSCHAP_SUCCESS:
		if (sa->eap_method_ok)
			return IR_ERR_UNEXPECTED;
		return ike_eap_mschap_success(sa, req->id, &r, w);
	}
	return IR_ERR_UNSUPPORTED;
}

/* EAP type names for the log, IANA "Method Types". */
static const char *
ike_eap_type_name(uint8_t type)
{
	switch (type) {
	case 4: return "EAP-MD5";
	case 5: return "EAP-OTP";
	case IKE_EAP_GTC: return "EAP-GTC";
	case IKE_EAP_TLS: return "EAP-TLS";
	case 18: return "EAP-SIM";
	case 21: return "EAP-TTLS";
	case 23: return "EAP-AKA";
	case 25: return "PEAP";
	case IKE_EAP_MSCHAPV2: return "EAP-MSCHAPv2";
	case 50: return "EAP-AKA'";
	}
	return "an unknown EAP method";
}

bool
ike_eap_mutual(uint8_t type)
{
	return type == IKE_EAP_TLS || type == IKE_EAP_MSCHAPV2;
}

/* Printable text of the gateway's, for one log line. */
static void
ike_eap_text(const struct ike_span *t, char *buf, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < t->len && o + 1 < cap; i++)
		buf[o++] = t->p[i] >= 0x20 && t->p[i] < 0x7f ? (char)t->p[i] :
		    t->p[i] == '\n' ? ' ' : '?';
	buf[o] = '\0';
}

/*
 * EAP-GTC, RFC 3748 §5.6: the Request's data is a message to show the
 * user, the Response's the user's answer (strongSwan and RADIUS servers
 * take the password or one-time code as it is).  No MSK: the AUTHs
 * come from SK_pi/SK_pr, and only a gateway that signed its first
 * answer gets here (ike_conf_check() keeps GTC out of EAP-only).
 */
static int
ike_eap_gtc(struct ike_sa *sa, const struct ike_pld_eap *req,
    struct wire_wr *w)
{
	char prompt[200], buf[IKE_PASSWORD_MAX];
	const char *resp = sa->conf.eap_password;
	size_t n;
	int rv;

	ike_eap_text(&req->type_data, prompt, sizeof(prompt));
	ike_log(sa, IR_LOG_INFO, "EAP-GTC: the gateway asks: %s",
	    prompt[0] != '\0' ? prompt : "(no text)");
	buf[0] = '\0';
	if (resp[0] == '\0') {
		if (sa->cb.eap_prompt == NULL)
			return ike_fail(sa, IR_ERR_CONFIG, 0, "EAP-GTC: the "
			    "gateway asks for a response and none is "
			    "configured: add --password-file");
		if ((rv = sa->cb.eap_prompt(sa->ud, prompt, buf,
		    sizeof(buf))) != 0) {
			ir_wipe(buf, sizeof(buf));
			return ike_fail(sa, IR_ERR_AUTH, 0, "EAP-GTC: no "
			    "response was entered");
		}
		buf[sizeof(buf) - 1] = '\0';
		resp = buf;
	}
	n = strlen(resp);
	if (n == 0 || 5 + n > 0xffff) {
		ir_wipe(buf, sizeof(buf));
		return ike_fail(sa, IR_ERR_AUTH, 0, "EAP-GTC: the response is "
		    "empty");
	}
	ike_eap_hdr(w, req->id, 5 + n, IKE_EAP_GTC);
	wire_wr_bytes(w, resp, n);
	ir_wipe(buf, sizeof(buf));
	sa->eap_method_ok = true;
	return w->overflow ? IR_ERR_NOBUF : 0;
}

/* RFC 3748 §5.3.1: a legacy Nak names the one method we do. */
static int
ike_eap_nak(struct ike_sa *sa, const struct ike_pld_eap *req,
    struct wire_wr *w)
{
	uint8_t want = sa->conf.eap_method;

	if (++sa->eap_naks > EAP_NAKS_MAX)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway keeps "
		    "proposing EAP methods other than %s: check --eap against "
		    "the gateway's configuration", ike_eap_type_name(want));
	if (sa->eap_only_peer && !ike_eap_mutual(req->type))
		ike_log(sa, IR_LOG_WARN, "the gateway proposed %s, which does "
		    "not prove the gateway: refused without a gateway "
		    "certificate (EAP-only); asking for %s",
		    ike_eap_type_name(req->type), ike_eap_type_name(want));
	else
		ike_log(sa, IR_LOG_INFO, "the gateway proposed %s; asking for "
		    "%s (Nak)", ike_eap_type_name(req->type),
		    ike_eap_type_name(want));
	sa->eap_nak_type = req->type;
	ike_eap_hdr(w, req->id, 6, EAP_TYPE_NAK);
	wire_wr_u8(w, want);
	return w->overflow ? IR_ERR_NOBUF : 0;
}

int
ike_eap_answer(struct ike_sa *sa, const struct ike_pld_eap *req,
    uint8_t *out, size_t cap, size_t *len)
{
	char text[200];
	struct wire_wr w;
	size_t n;
	int rv;

	wire_wr_init(&w, out, cap);
	if (req->type == EAP_TYPE_IDENTITY) {
		/* RFC 3748 §5.1: our identity, no NUL. */
		n = strlen(sa->conf.eap_identity);
		ike_eap_hdr(&w, req->id, 5 + n, EAP_TYPE_IDENTITY);
		wire_wr_bytes(&w, sa->conf.eap_identity, n);
		rv = w.overflow ? IR_ERR_NOBUF : 0;
	} else if (req->type == EAP_TYPE_NOTIFICATION) {
		/* RFC 3748 §5.2: shown, and answered with no data. */
		ike_eap_text(&req->type_data, text, sizeof(text));
		ike_log(sa, IR_LOG_INFO, "EAP notification from the gateway: "
		    "%s", text);
		ike_eap_hdr(&w, req->id, 5, EAP_TYPE_NOTIFICATION);
		rv = w.overflow ? IR_ERR_NOBUF : 0;
	} else if (req->type != sa->conf.eap_method) {
		rv = ike_eap_nak(sa, req, &w);
	} else {
		sa->eap_method_seen = true;
		if (req->type == IKE_EAP_MSCHAPV2)
			rv = ike_eap_mschap(sa, req, &w);
		else if (req->type == IKE_EAP_TLS)
			rv = ike_eaptls_answer(sa, req, &w);
		else
			rv = ike_eap_gtc(sa, req, &w);
	}
	*len = w.len;
	return rv;
}

static int
ike_eap_send(struct ike_sa *sa, const struct ike_pld_eap *req,
    uint64_t now_ms)
{
	uint8_t pkt[IKE_EAPTLS_FRAG_LEN + 64];
	struct ike_msg_wr mw;
	struct wire_wr w;
	size_t len;
	int rv;

	rv = ike_eap_answer(sa, req, pkt, sizeof(pkt), &len);
	if (sa->state == IKE_S_CLOSED)
		return rv;
	if (rv != 0)
		return ike_fail(sa, ir_err_is_fatal(rv) ? rv : IR_ERR_AUTH,
		    0, "EAP failed: %s in the gateway's EAP request",
		    ir_strerror(rv));
	ike_chain_begin(sa, &mw, &w);
	rv = ike_pld_eap_build(&mw, pkt, len);
	ir_wipe(pkt, sizeof(pkt));
	if (rv != 0)
		return ike_fail(sa, rv, 0, "cannot build the EAP response");
	ike_set_state(sa, IKE_S_AUTH_SENT);
	rv = ike_req_send(sa, IKE_REQ_EAP, IKE_EXCH_IKE_AUTH, &mw, now_ms);
	/* Our Failure Response is a courtesy: wait for the EAP-Failure
	 * only briefly (ike_req_giveup() then gives the login failure). */
	if (rv == 0 && sa->eap_mschap_rejected)
		sa->req.giveup_ms = IR_MIN(sa->req.giveup_ms,
		    now_ms + EAP_FAIL_ACK_WAIT_MS);
	return rv;
}

/*
 * The secret of the AUTHs after EAP, §2.16: the MSK's first 64 octets,
 * or without an MSK (GTC) SK_pi for ours and SK_pr for the gateway's.
 */
void
ike_eap_auth_secret(const struct ike_sa *sa, bool ours, const uint8_t **key,
    size_t *len)
{
	if (sa->have_msk) {
		*key = sa->msk;
		*len = sizeof(sa->msk);
		return;
	}
	*key = ours ? sa->keys.sk_pi : sa->keys.sk_pr;
	*len = sa->keys.prf_len;
}

/* The gateway's AUTH after EAP: §2.16, with the EAP secret. */
static int
ike_eap_verify_msk(struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t want[CRYPTO_PRF_MAX];
	const uint8_t *key;
	size_t olen, klen, n = crypto_prf_len(sa->prf);
	bool ok;
	int rv;

	if (ike_msg_count(m, IKE_PLD_AUTH) == 0 ||
	    m->auth.method != IKE_AUTHM_SHARED_KEY_MIC)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's last "
		    "IKE_AUTH answer has no AUTH from the EAP key");
	ike_eap_auth_secret(sa, false, &key, &klen);
	rv = ike_auth_octets(sa, false, sa->idr_body, sa->idr_len, &olen);
	if (rv == 0)
		rv = ike_auth_psk(sa->prf, key, klen, sa->b->octets, olen,
		    want);
	if (rv != 0)
		return ike_fail(sa, rv, 0, "cannot compute AUTH: %s",
		    ir_strerror(rv));
	ir_wipe(sa->b->octets, olen);
	ok = m->auth.data.len == n &&
	    ir_memeq_ct(want, m->auth.data.p, n) == 0;
	ir_wipe(want, sizeof(want));
	if (!ok)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's AUTH does "
		    "not match the EAP session key%s", sa->eap_only_peer ?
		    ": it may be an impostor" : "");
	if (sa->eap_only_peer)
		ike_log(sa, IR_LOG_INFO, "the gateway proved itself through "
		    "%s (EAP-only, RFC 5998)",
		    ike_eap_type_name(sa->conf.eap_method));
	return 0;
}

int
ike_eap_only_accept(struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t method = sa->conf.eap_method;
	char idt[64];
	int rv;

	if (!sa->conf.eap_only)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway did not "
		    "authenticate itself (no AUTH: RFC 5998 EAP-only); if "
		    "that is intended, add --eap-only with --eap tls or "
		    "mschapv2");
	if (!ike_eap_mutual(method))
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway wants "
		    "EAP-only authentication, but %s does not prove the "
		    "gateway: refused", ike_eap_type_name(method));
	if (ike_msg_count(m, IKE_PLD_IDR) == 0)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's IKE_AUTH "
		    "answer has no IDr");
	if ((rv = ike_auth_keep_idr(sa, m)) != 0)
		return rv;
	/* MSCHAPv2 proves a password, not a name: the IDr must be the one
	 * asked for.  EAP-TLS checks it against the TLS certificate. */
	if (method == IKE_EAP_MSCHAPV2 && sa->conf.remote_id.type != 0 &&
	    crypto_id_is_pattern(sa->conf.remote_id.type,
	    sa->conf.remote_id.data, sa->conf.remote_id.len))
		return ike_fail(sa, IR_ERR_PEER_ID, 0, "EAP-only with "
		    "EAP-MSCHAPv2 needs the gateway's exact identity in "
		    "--remote-id, not a pattern: no certificate proves it");
	if (method == IKE_EAP_MSCHAPV2 && sa->conf.remote_id.type != 0 &&
	    !ike_id_equal(&sa->conf.remote_id, &m->idr))
		return ike_fail(sa, IR_ERR_PEER_ID, 0, "the gateway's identity "
		    "is not the one of --remote-id: check --remote-id");
	ike_id_text(m->idr.type, m->idr.data.p, m->idr.data.len, idt,
	    sizeof(idt));
	sa->eap_only_peer = true;
	ike_log(sa, IR_LOG_INFO, "the gateway '%s' uses EAP-only "
	    "authentication (RFC 5998): %s must prove it", idt,
	    ike_eap_type_name(method));
	return 0;
}

/* The user's line for an EAP-Failure, after the method we ran. */
static int
ike_eap_failure(struct ike_sa *sa)
{
	uint8_t method = sa->conf.eap_method;

	if (sa->eap_nak_type != 0 && !sa->eap_method_seen)
		return ike_fail(sa, IR_ERR_AUTH, IKE_N_AUTHENTICATION_FAILED,
		    "the gateway rejected our EAP login after we refused its "
		    "%s (we do %s only): check --eap against the gateway's "
		    "configuration", ike_eap_type_name(sa->eap_nak_type),
		    ike_eap_type_name(method));
	if (method == IKE_EAP_TLS)
		return ike_fail(sa, IR_ERR_AUTH, IKE_N_AUTHENTICATION_FAILED,
		    "the gateway rejected our EAP-TLS login (EAP-Failure): "
		    "check --cert/--key and that the gateway trusts their CA");
	return ike_fail(sa, IR_ERR_AUTH, IKE_N_AUTHENTICATION_FAILED,
	    "the gateway rejected our %s login (EAP-Failure): check the "
	    "EAP user name and %s", ike_eap_type_name(method),
	    method == IKE_EAP_GTC ? "the response" : "password");
}

int
ike_eap_response(struct ike_sa *sa, const struct ike_msg *m, int kind,
    uint64_t now_ms)
{
	uint8_t method = sa->conf.eap_method;
	int rv;

	if (kind == IKE_REQ_EAP_AUTH) {
		if ((rv = ike_eap_verify_msk(sa, m)) != 0)
			return rv;
		return ike_auth_finish(sa, m, now_ms);
	}
	if (ike_msg_count(m, IKE_PLD_EAP) == 0)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway did not start "
		    "EAP: check that it is configured for %s",
		    ike_eap_type_name(method));
	switch (m->eap.code) {
	case IKE_EAPC_REQUEST:
		/* After our Failure Response only the EAP-Failure belongs. */
		if (sa->eap_mschap_rejected)
			return ike_eap_mschap_rejected(sa);
		return ike_eap_send(sa, &m->eap, now_ms);
	case IKE_EAPC_SUCCESS:
		/* RFC 9190 §2.5, RFC 5998 §4: never before the method
		 * proved what it proves. */
		if (method == IKE_EAP_TLS && !sa->have_msk &&
		    (rv = ike_eaptls_finish(sa)) != 0)
			return rv;
		/* The TLS server certificate gets the revocation check of
		 * a CERT payload's; ike_sa_peer_cert_done() comes back
		 * here with the same message. */
		if (method == IKE_EAP_TLS && !sa->eaptls.rev_asked) {
			sa->eaptls.rev_asked = true;
			rv = ike_auth_peer_cert(sa, NULL,
			    crypto_eaptls_peer_path(sa->eaptls.tls), true);
			if (rv == IR_ERR_PENDING) {
				ike_log(sa, IR_LOG_DEBUG, "waiting for the "
				    "revocation check of the gateway's TLS "
				    "certificate");
				sa->cert_pending = kind;
				return 0;
			}
			if (rv != 0)
				return rv;
		}
		if (!sa->eap_method_ok)
			return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway sent "
			    "EAP-Success before %s finished",
			    ike_eap_type_name(method));
		ike_log(sa, IR_LOG_INFO, "EAP method %s succeeded, %s",
		    ike_eap_type_name(method), sa->have_msk ?
		    "MSK established" : "no MSK (AUTH from SK_pi/SK_pr)");
		if ((rv = ike_auth_send_msk(sa, now_ms)) != 0)
			return ike_fail(sa, rv, 0, "cannot build the last "
			    "IKE_AUTH: %s", ir_strerror(rv));
		return 0;
	case IKE_EAPC_FAILURE:
		return ike_eap_failure(sa);
	}
	return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway sent an EAP Response "
	    "where a Request belongs");
}
