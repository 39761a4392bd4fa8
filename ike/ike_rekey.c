/*
 * ike/ike_rekey.c: CREATE_CHILD_SA, RFC 7296 §1.3.
 *
 * Rekeying our Child SA (§1.3.3), with a new key exchange when the ESP
 * proposals name a group (PFS):
 *
 *   HDR, SK { N(REKEY_SA, old SPI), SA, Ni, [KEi], TSi, TSr }  -->
 *                              <--  HDR, SK { SA, Nr, [KEr], TSi, TSr }
 *   HDR, SK { D(ESP, old SPI) }  -->        (the old SA goes, §2.8)
 *                              <--  HDR, SK { D(ESP, theirs) }
 *
 * Requests from the gateway (its own rekeys of the IKE or Child SA)
 * get N(NO_ADDITIONAL_SAS) for now: a clean refusal (§1.3) that lets it
 * carry on with the SAs it has, rather than a request left unanswered.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"

#define IKE_REKEY_RETRY_MS	30000	/* after TEMPORARY_FAILURE and the like */

int
ike_rekey_request(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	struct ike_msg_wr mw;
	struct wire_wr w;
	int rv;

	(void)now_ms;
	ike_log(sa, IR_LOG_INFO, "the gateway asks to rekey the %s SA; "
	    "answering NO_ADDITIONAL_SAS", m->sa.nprop != 0 &&
	    m->sa.prop[0].proto == IKE_PROTO_IKE ? "IKE" : "Child");
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_notify_build(&mw, 0, IKE_N_NO_ADDITIONAL_SAS, NULL,
	    0, NULL, 0)) != 0)
		return rv;
	return ike_resp_send(sa, IKE_EXCH_CREATE_CHILD_SA, m->hdr.msg_id, &mw);
}

static int
ike_rekey_kex(struct ike_sa *sa, uint16_t group)
{
	uint8_t seed[CRYPTO_KEX_SEED_MAX];
	size_t len = crypto_kex_seed_len(group);
	int rv = IR_ERR_UNSUPPORTED, i;

	crypto_kex_free(sa->rekey_kex);
	sa->rekey_kex = NULL;
	if (len == 0 || len > sizeof(seed))
		return IR_ERR_UNSUPPORTED;
	for (i = 0; i < 8 && rv != 0; i++) {
		ike_random(sa, seed, len);
		rv = crypto_kex_new(&sa->rekey_kex, group, seed, len);
		if (rv != IR_ERR_INVALID_KE)
			break;
	}
	ir_wipe(seed, sizeof(seed));
	return rv;
}

int
ike_sa_rekey_child(struct ike_sa *sa, uint32_t spi_in, uint64_t now_ms)
{
	uint8_t old[4], pub[CRYPTO_KEX_PUB_MAX];
	uint16_t group = sa->conf.esp.n_dh ? sa->conf.esp.dh[0] : 0;
	struct ike_msg_wr mw;
	struct wire_wr w;
	size_t pub_len;
	uint32_t spi;
	int rv;

	if (sa->state != IKE_S_ESTABLISHED || !sa->child.up ||
	    spi_in != sa->child.spi_in)
		return IR_ERR_NOT_FOUND;
	if (sa->req.kind != IKE_REQ_NONE)
		return 0;	/* window 1: ike_info_expire() tries again */
	do {
		ike_random(sa, (uint8_t *)&spi, sizeof(spi));
	} while (spi < 256 || spi == sa->child.spi_in);
	sa->rekey_new_spi = spi;
	ike_random(sa, sa->rekey_ni, sizeof(sa->rekey_ni));
	if (group != 0 && (rv = ike_rekey_kex(sa, group)) != 0)
		return ike_fail(sa, IR_ERR_CONFIG, 0, "cannot make a key "
		    "exchange for PFS group %u: %s", group, ir_strerror(rv));
	wire_put_u32(old, spi_in);
	ike_chain_begin(sa, &mw, &w);
	rv = ike_pld_notify_build(&mw, IKE_PROTO_ESP, IKE_N_REKEY_SA, old, 4,
	    NULL, 0);
	if (rv == 0)
		rv = ike_child_build_sa(sa, &mw, spi, group != 0);
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
	ike_log(sa, IR_LOG_INFO, "rekeying CHILD_SA %08x_i", spi_in);
	sa->child.rekey_ms = UINT64_MAX;	/* until this one is done */
	return 0;
}

/* The old SA goes once the new one is installed (§2.8). */
static int
ike_rekey_delete_old(struct ike_sa *sa, uint32_t old_in, uint64_t now_ms)
{
	uint8_t spi[4];
	struct ike_msg_wr mw;
	struct wire_wr w;
	int rv;

	wire_put_u32(spi, old_in);
	sa->rekey_old_spi = old_in;
	ike_chain_begin(sa, &mw, &w);
	if ((rv = ike_pld_delete_build(&mw, IKE_PROTO_ESP, 4, 1, spi)) != 0)
		return rv;
	return ike_req_send(sa, IKE_REQ_DELETE_CHILD, IKE_EXCH_INFORMATIONAL,
	    &mw, now_ms);
}

static int
ike_rekey_refused(struct ike_sa *sa, uint16_t type, uint64_t now_ms)
{
	char num[8];

	ike_log(sa, IR_LOG_INFO, "the gateway refused the Child SA rekey "
	    "(%s); trying again later", ike_name_or_num(ike_notify_name(type),
	    type, num, sizeof(num)));
	sa->child.rekey_ms = now_ms + IKE_REKEY_RETRY_MS;
	crypto_kex_free(sa->rekey_kex);
	sa->rekey_kex = NULL;
	return 0;
}

int
ike_rekey_response(struct ike_sa *sa, const struct ike_msg *m, uint64_t now_ms)
{
	uint8_t g_ir[CRYPTO_KEX_SECRET_MAX];
	uint32_t old_in = sa->child.spi_in;
	size_t g_len = 0, i;
	int rv;

	ike_req_done(sa);
	for (i = 0; i < m->nnotify; i++)
		if (ike_notify_is_error(m->notify[i].type))
			return ike_rekey_refused(sa, m->notify[i].type,
			    now_ms);
	if (ike_msg_count(m, IKE_PLD_SA) == 0 ||
	    ike_msg_count(m, IKE_PLD_NONCE) == 0 ||
	    ike_msg_count(m, IKE_PLD_TSI) == 0 ||
	    ike_msg_count(m, IKE_PLD_TSR) == 0)
		return ike_rekey_refused(sa, 0, now_ms);
	if (sa->rekey_kex != NULL) {
		if (ike_msg_count(m, IKE_PLD_KE) == 0 ||
		    m->ke.group != crypto_kex_group(sa->rekey_kex) ||
		    crypto_kex_derive(sa->rekey_kex, m->ke.data.p,
		    m->ke.data.len, g_ir, sizeof(g_ir), &g_len) != 0)
			return ike_fail(sa, IR_ERR_NO_PROPOSAL, 0, "the "
			    "gateway's answer to our Child SA rekey has no "
			    "usable KE");
	}
	rv = ike_child_accept(sa, m, sa->rekey_ni, sizeof(sa->rekey_ni),
	    m->nonce.p, m->nonce.len, sa->rekey_kex ? g_ir : NULL, g_len,
	    sa->rekey_new_spi, old_in, now_ms);
	ir_wipe(g_ir, sizeof(g_ir));
	crypto_kex_free(sa->rekey_kex);
	sa->rekey_kex = NULL;
	if (rv != 0)
		return rv;
	if ((rv = ike_rekey_delete_old(sa, old_in, now_ms)) != 0)
		return ike_fail(sa, IR_ERR_INTERNAL, 0, "cannot delete the old "
		    "Child SA: %s", ir_strerror(rv));
	return 0;
}
