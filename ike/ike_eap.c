/*
 * ike/ike_eap.c: EAP-MSCHAPv2 inside IKE_AUTH, RFC 7296 §2.16 with
 * RFC 3748 (EAP) and RFC 2759 / draft-kamath-pppext-eap-mschapv2.
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
 * Both final AUTHs use the MSK as the shared secret of §2.15.
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
#define EAP_TYPE_NAK		3
#define EAP_TYPE_MSCHAPV2	26
#define MSCHAP_CHALLENGE	1
#define MSCHAP_RESPONSE		2
#define MSCHAP_SUCCESS		3
#define MSCHAP_FAILURE		4
#define MSCHAP_RESPONSE_LEN	49	/* peer challenge, 8 zero, NT, flags */

/* EAP header (RFC 3748 §4) of a Response of |len| octets in all. */
static void
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
	sa->eap_mschap_ok = true;
	ike_eap_hdr(w, id, 6, EAP_TYPE_MSCHAPV2);
	wire_wr_u8(w, MSCHAP_SUCCESS);
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
		return ike_fail(sa, IR_ERR_AUTH, IKE_N_AUTHENTICATION_FAILED,
		    "the gateway rejected our EAP-MSCHAPv2 login: check the "
		    "EAP user name and password");
	if (!wire_rd_u8(&r, &ms_id) || !wire_rd_u16(&r, &ms_len))
		return IR_ERR_MALFORMED;
	switch (op) {
	case MSCHAP_CHALLENGE:
		return ike_eap_mschap_response(sa, req->id, ms_id, &r, w);
	case MSCHAP_SUCCESS:
		if (sa->eap_mschap_ok)
			return IR_ERR_UNEXPECTED;
		return ike_eap_mschap_success(sa, req->id, &r, w);
	}
	return IR_ERR_UNSUPPORTED;
}

int
ike_eap_answer(struct ike_sa *sa, const struct ike_pld_eap *req,
    uint8_t *out, size_t cap, size_t *len)
{
	struct wire_wr w;
	size_t n;
	int rv;

	wire_wr_init(&w, out, cap);
	switch (req->type) {
	case EAP_TYPE_IDENTITY:
		/* RFC 3748 §5.1: our identity, no NUL. */
		n = strlen(sa->conf.eap_identity);
		ike_eap_hdr(&w, req->id, 5 + n, EAP_TYPE_IDENTITY);
		wire_wr_bytes(&w, sa->conf.eap_identity, n);
		rv = w.overflow ? IR_ERR_NOBUF : 0;
		break;
	case EAP_TYPE_MSCHAPV2:
		rv = ike_eap_mschap(sa, req, &w);
		break;
	default:
		/* RFC 3748 §5.3.1: a legacy Nak names what we can do. */
		ike_eap_hdr(&w, req->id, 6, EAP_TYPE_NAK);
		wire_wr_u8(&w, EAP_TYPE_MSCHAPV2);
		rv = w.overflow ? IR_ERR_NOBUF : 0;
		break;
	}
	*len = w.len;
	return rv;
}

static int
ike_eap_send(struct ike_sa *sa, const struct ike_pld_eap *req,
    uint64_t now_ms)
{
	uint8_t pkt[1024];
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
	return ike_req_send(sa, IKE_REQ_EAP, IKE_EXCH_IKE_AUTH, &mw, now_ms);
}

/* The gateway's AUTH after EAP: §2.16, with the MSK as the secret. */
static int
ike_eap_verify_msk(struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t want[CRYPTO_PRF_MAX];
	size_t olen, n = crypto_prf_len(sa->prf);
	bool ok;
	int rv;

	if (ike_msg_count(m, IKE_PLD_AUTH) == 0 ||
	    m->auth.method != IKE_AUTHM_SHARED_KEY_MIC)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's last "
		    "IKE_AUTH answer has no AUTH from the EAP key");
	rv = ike_auth_octets(sa, false, sa->idr_body, sa->idr_len, &olen);
	if (rv == 0)
		rv = ike_auth_psk(sa->prf, sa->msk, sizeof(sa->msk),
		    sa->b->octets, olen, want);
	if (rv != 0)
		return ike_fail(sa, rv, 0, "cannot compute AUTH: %s",
		    ir_strerror(rv));
	ir_wipe(sa->b->octets, olen);
	ok = m->auth.data.len == n &&
	    ir_memeq_ct(want, m->auth.data.p, n) == 0;
	ir_wipe(want, sizeof(want));
	if (!ok)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway's AUTH does "
		    "not match the EAP session key");
	return 0;
}

int
ike_eap_response(struct ike_sa *sa, const struct ike_msg *m, int kind,
    uint64_t now_ms)
{
	int rv;

	if (kind == IKE_REQ_EAP_AUTH) {
		if ((rv = ike_eap_verify_msk(sa, m)) != 0)
			return rv;
		return ike_auth_finish(sa, m, now_ms);
	}
	if (ike_msg_count(m, IKE_PLD_EAP) == 0)
		return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway did not start "
		    "EAP: check that it is configured for EAP-MSCHAPv2");
	switch (m->eap.code) {
	case IKE_EAPC_REQUEST:
		return ike_eap_send(sa, &m->eap, now_ms);
	case IKE_EAPC_SUCCESS:
		if (!sa->have_msk)
			return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway sent "
			    "EAP-Success before MS-CHAPv2 finished");
		ike_log(sa, IR_LOG_INFO, "EAP method EAP_MSCHAPV2 "
		    "succeeded, MSK established");
		if ((rv = ike_auth_send_msk(sa, now_ms)) != 0)
			return ike_fail(sa, rv, 0, "cannot build the last "
			    "IKE_AUTH: %s", ir_strerror(rv));
		return 0;
	case IKE_EAPC_FAILURE:
		return ike_fail(sa, IR_ERR_AUTH, IKE_N_AUTHENTICATION_FAILED,
		    "the gateway rejected our EAP login (EAP-Failure): check "
		    "the EAP user name and password");
	}
	return ike_fail(sa, IR_ERR_AUTH, 0, "the gateway sent an EAP Response "
	    "where a Request belongs");
}
