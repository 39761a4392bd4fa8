/*
 * tests/ike/check_ike_session.c: a session that lasts for days, against
 * the scripted peer with a fake clock (issue 8): every request of the
 * gateway answered, shutdown with a request in flight, Child SAs deleted
 * and re-created, refused rekeys.  Each test names its RFC 7296 section.
 *
 *   <--  HDR, SK { ?(critical, unknown) }     HDR, SK { N(UNSUPP_CRIT) }  -->
 *   <--  HDR, SK { bad chain }                HDR, SK { N(INVALID_SYNTAX) }  -->
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

/* The gateway's liveness check |id| is answered: IDs still in step. */
static void
check_gw_info(uint32_t id)
{
	int n = H.nsent;

	peer_info(H.peer, PEER_INFO_EMPTY);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, n + 1);
	ck_assert_int_eq(h_to_peer(n), 0);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	ck_assert_uint_eq(H.peer->m.hdr.msg_id, id);
}

/* The engine's last message, decrypted by the peer: one Notify |type|. */
static void
check_refused(uint8_t exch, uint32_t id, uint16_t type, int peer_rv)
{
	const struct ike_msg *m = &H.peer->m;

	ck_assert_int_eq(h_to_peer(H.nsent - 1), peer_rv);
	ck_assert(m->hdr.flags & IKE_FLAG_RESPONSE);
	ck_assert_uint_eq(m->hdr.exch, exch);
	ck_assert_uint_eq(m->hdr.msg_id, id);
	ck_assert_int_eq(m->nnotify, 1);
	ck_assert_uint_eq(m->notify[0].type, type);
}

/* ---- §2.21.3: the gateway's requests we cannot handle --------------- */

/*
 * Inner chains of INFORMATIONAL requests, each wrong in one way:
 *   0  a critical payload of unknown type 200 (§2.5)
 *   1  a Notify whose length overruns the chain (§3.10.1 INVALID_SYNTAX)
 *   2  a Nonce, which INFORMATIONAL does not allow (payload rules)
 *   3  a Delete(ESP) with SPI size 4 and 3 octets of SPIs
 */
static const struct bad_req {
	const char	*what;
	uint8_t		 first;
	uint8_t		 chain[24];
	size_t		 len;
	uint16_t	 notify;
	int		 rv;
} bad_reqs[] = {
	{ "unknown critical payload", 200,
	  { 0, 0x80, 0, 8, 1, 2, 3, 4 }, 8,
	  IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, IR_ERR_UNSUPPORTED },
	{ "overrunning Notify", IKE_PLD_NOTIFY,
	  { 0, 0, 0x01, 0, 0, 0, 0, 40 }, 8,
	  IKE_N_INVALID_SYNTAX, IR_ERR_MALFORMED },
	{ "Nonce in INFORMATIONAL", IKE_PLD_NONCE,
	  { 0, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	    16 }, 20,
	  IKE_N_INVALID_SYNTAX, IR_ERR_MALFORMED },
	{ "Delete with a short SPI list", IKE_PLD_DELETE,
	  { 0, 0, 0, 11, IKE_PROTO_ESP, 4, 0, 1, 1, 2, 3 }, 11,
	  IKE_N_INVALID_SYNTAX, IR_ERR_MALFORMED },
};

START_TEST(gw_bad_request_answered)
{
	const struct bad_req *b = &bad_reqs[_i];
	static uint8_t req[PEER_BUF];
	size_t req_len;
	int n;

	h_init();
	h_established();
	n = H.nsent;
	peer_request_raw(H.peer, IKE_EXCH_INFORMATIONAL, b->first, b->chain,
	    b->len);
	req_len = H.peer->out_len[0];
	memcpy(req, H.peer->out[0], req_len);
	ck_assert_int_eq(h_peer_to_sa(), b->rv);
	/* RFC 7296 §2.21.3: answered, encrypted, under its own ID. */
	ck_assert_int_eq(H.nsent, n + 1);
	check_refused(IKE_EXCH_INFORMATIONAL, 0, b->notify, 0);
	/* §2.5: the data is the one-octet type of the payload. */
	if (b->notify == IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD) {
		ck_assert_uint_eq(H.peer->m.notify[0].data.len, 1);
		ck_assert_uint_eq(H.peer->m.notify[0].data.p[0], 200);
	}
	/* §2.1: a retransmission gets the same answer again. */
	ck_assert_int_eq(ike_sa_input(H.sa, req, req_len, H.now), 0);
	ck_assert_int_eq(H.nsent, n + 2);
	ck_assert_uint_eq(H.sent_len[n + 1], H.sent_len[n]);
	ck_assert_mem_eq(H.sent[n + 1], H.sent[n], H.sent_len[n]);
	/* The SA goes on: the next request has the next ID. */
	check_gw_info(1);
	ck_assert(ike_sa_established(H.sa));
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_int_eq(H.ndown, 0);
	h_free();
}
END_TEST

/*
 * An exchange we do not handle: an unknown type (99), and IKE_AUTH
 * after the SA is up.  §2.21.3 and §3.10.1: INVALID_SYNTAX, in a
 * response of the request's own exchange type and ID.
 */
START_TEST(gw_unknown_exchange_answered)
{
	uint8_t exch = _i == 0 ? 99 : IKE_EXCH_IKE_AUTH;
	int n;

	h_init();
	h_established();
	n = H.nsent;
	peer_request_raw(H.peer, exch, IKE_PLD_NONE, NULL, 0);
	ck_assert_int_ne(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, n + 1);
	/* The peer's codec has no rules for exchange 99 either. */
	check_refused(exch, 0, IKE_N_INVALID_SYNTAX,
	    _i == 0 ? IR_ERR_UNSUPPORTED : 0);
	check_gw_info(1);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/*
 * §2.21 and §3.10.1: INVALID_SYNTAX only for a request that verified.
 * One with a broken ICV is dropped without an answer, and its ID stays
 * free for the genuine request.
 */
START_TEST(gw_forged_request_dropped)
{
	int n;

	h_init();
	h_established();
	n = H.nsent;
	peer_request_raw(H.peer, IKE_EXCH_INFORMATIONAL, 200,
	    bad_reqs[0].chain, bad_reqs[0].len);
	H.peer->out[0][H.peer->out_len[0] - 1] ^= 0x01;
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_DECRYPT);
	ck_assert_int_eq(H.nsent, n);
	H.peer->next_req = 0;
	check_gw_info(0);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/* ---- §2.3: shutdown with a request of ours in flight --------------- */

/*
 * Our liveness check (_i 0) or Child SA rekey (_i 1) is in flight when
 * the user disconnects.  Window 1 (RFC 7296 §2.3): the Delete takes the
 * next message ID only after that answer; a replaced Child SA gets no
 * D(ESP) of its own (§1.4.1: D(IKE) deletes them all).
 */
START_TEST(shutdown_waits_for_request)
{
	int up;

	h_init();
	h_established();
	if (_i == 0)
		ck_assert_int_eq(ike_sa_check_liveness(H.sa, H.now), 0);
	else
		ck_assert_int_eq(ike_sa_rekey_child(H.sa, H.child.spi_in,
		    H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	up = H.nchild_up;
	H.now += 100;
	ck_assert_int_eq(ike_sa_shutdown(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);		/* nothing yet */
	ck_assert_int_eq(ike_sa_shutdown(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_uint_le(ike_sa_deadline(H.sa), H.now + 3000);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nchild_up, up + _i);
	/* Then D(IKE) with the next ID, and nothing else. */
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_str_eq(ike_sa_state_name(H.sa), "DELETING");
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_uint_eq(H.peer->m.hdr.msg_id, 3);
	ck_assert_int_eq(H.peer->ndel_ike, 1);
	ck_assert_int_eq(H.peer->ndel_esp, 0);
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_CLOSED);
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_CLOSED);
	h_free();
}
END_TEST

/*
 * No answer to the request in flight: no ID is free for a Delete, so
 * the SA closes without one, within the shutdown's bound (3 s), over UDP
 * (_i 0) and TCP (_i 1).
 */
START_TEST(shutdown_request_unanswered)
{
	uint64_t t0;
	int i;

	h_init();
	H.path.tcp = _i == 1;
	h_established();
	ck_assert_int_eq(ike_sa_check_liveness(H.sa, H.now), 0);
	t0 = H.now;
	ck_assert_int_eq(ike_sa_shutdown(H.sa, H.now), 0);
	for (i = 0; i < 20 && H.nclosed == 0; i++) {
		H.now = ike_sa_deadline(H.sa);
		ck_assert_uint_le(H.now, t0 + 3000);
		(void)ike_sa_expire(H.sa, H.now);
	}
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_CLOSED);
	ck_assert(strstr(H.close.detail, "no Delete sent") != NULL);
	for (i = 2; i < H.nsent; i++) {
		ck_assert_int_eq(h_to_peer(i), 0);
		ck_assert_int_eq(H.peer->ndel_ike, 0);
	}
	h_free();
}
END_TEST

/* ---- §1.4.1: Child SA Deletes ---------------------------------------- */

/*
 * Our rekey replaced the Child SA and our D(ESP) of the old one is out
 * when the gateway's D(ESP) of it arrives (crossing Deletes, RFC 7296
 * §1.4.1): our answer MUST NOT list it; our Delete's answer removes it,
 * once.
 */
START_TEST(child_deletes_cross)
{
	struct ike_child old;
	int down;

	h_init();
	h_established();
	old = H.child;
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, old.spi_in, H.now), 0);
	ck_assert_int_eq(h_to_peer(2), 0);
	down = H.ndown;
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 4);		/* our D(ESP, old) */
	ck_assert_int_eq(H.sa->req.kind, IKE_REQ_DELETE_CHILD);
	peer_info(H.peer, PEER_INFO_DELETE_OLD_CHILD);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 5);
	ck_assert_int_eq(h_to_peer(4), 0);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	ck_assert_int_eq(H.peer->m.ndel, 0);
	ck_assert(h_logged("crossed ours"));
	/* Our Delete reaches the gateway, its answer comes back. */
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_uint_eq(H.peer->del_esp_spi, old.spi_in);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, down + 1);
	ck_assert_uint_eq(H.down_spi, old.spi_in);
	ck_assert_int_eq(H.sa->req.kind, IKE_REQ_NONE);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/*
 * The gateway rekeys the Child SA four times and deletes none of the
 * old ones: the fourth pushes the oldest out of our IKE_OLD_CHILD_MAX
 * (3) slots, and it is deleted with a D(ESP) of ours (§1.4.1), not
 * dropped without a word.
 */
START_TEST(child_replaced_overflow_deleted)
{
	uint32_t first;
	int i, n;

	h_init();
	h_established();
	first = H.child.spi_in;
	for (i = 0; i < IKE_OLD_CHILD_MAX + 1; i++) {
		n = H.nsent;
		ck_assert_int_eq(peer_rekey_child(H.peer, 0, 0), 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_int_eq(h_to_peer(n), 0);
		ck_assert_int_eq(H.peer->got_notify, 0);
		H.now += 100;
	}
	ck_assert_int_eq(H.ndown, 1);
	ck_assert_uint_eq(H.down_spi, first);
	ck_assert_uint_le(ike_sa_deadline(H.sa), H.now);
	n = H.nsent;
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, n + 1);
	ck_assert_int_eq(h_to_peer(n), 0);
	ck_assert_int_eq(H.peer->ndel_esp, 1);
	ck_assert_uint_eq(H.peer->del_esp_spi, first);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.sa->req.kind, IKE_REQ_NONE);
	ck_assert_uint_gt(ike_sa_deadline(H.sa), H.now);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/* ---- §1.3.1, §2.25: the Child SA gone, made again -------------------- */

/* A new Child SA for the selectors of |before|, paired with the peer's. */
static void
check_created(const struct ike_child *before, int up)
{
	ck_assert_int_eq(H.nchild_up, up + 1);
	ck_assert_uint_eq(H.child.replaces_spi_in, 0);
	ck_assert_uint_ne(H.child.spi_in, before->spi_in);
	ck_assert_uint_eq(H.child.spi_in, H.peer->child.spi_out);
	ck_assert_uint_eq(H.child.spi_out, H.peer->child.spi_in);
	ck_assert_mem_eq(H.child.encr_key_in, H.peer->child.encr_key_out,
	    H.child.encr_key_len);
	ck_assert_int_eq(H.child.n_ts_local, before->n_ts_local);
	ck_assert_mem_eq(H.child.ts_local, before->ts_local,
	    before->n_ts_local * sizeof(struct ike_ts));
	ck_assert_mem_eq(H.child.ts_remote, before->ts_remote,
	    before->n_ts_remote * sizeof(struct ike_ts));
	ck_assert_int_eq(H.peer->n_create, 1);
	ck_assert(H.sa->child->up);
	ck_assert(ike_sa_established(H.sa));
}

/*
 * The gateway deletes the live Child SA outside a rekey (§1.4.1): we
 * answer with ours, and at once ask for a new one for the same
 * selectors (§1.3.1: CREATE_CHILD_SA without N(REKEY_SA)), instead of
 * an IKE SA that looks healthy and carries nothing.
 */
START_TEST(child_deleted_recreated)
{
	struct ike_child before;
	int up;

	h_init();
	h_established();
	before = H.child;
	up = H.nchild_up;
	peer_info(H.peer, PEER_INFO_DELETE_CHILD);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, 1);
	ck_assert_uint_eq(H.down_spi, before.spi_in);
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->m.ndel, 1);
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_uint_eq(H.peer->last_exch, IKE_EXCH_CREATE_CHILD_SA);
	ck_assert_ptr_null(ike_msg_notify(&H.peer->m, IKE_N_REKEY_SA));
	ck_assert(h_logged("creating a new CHILD_SA"));
	ck_assert_int_eq(h_peer_to_sa(), 0);
	check_created(&before, up);
	h_free();
}
END_TEST

/*
 * Our rekey answered CHILD_SA_NOT_FOUND (§2.25): a new one afresh, at
 * once; also when the gateway's Delete of it came first (_i 1, §2.25.1:
 * a rekey of an SA being closed).
 */
START_TEST(child_rekey_not_found_recreated)
{
	struct ike_child before;
	int up, n;

	h_init();
	H.popts.rekey_notify = IKE_N_CHILD_SA_NOT_FOUND;
	h_established();
	before = H.child;
	up = H.nchild_up;
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, before.spi_in, H.now), 0);
	if (_i == 1) {
		peer_info(H.peer, PEER_INFO_DELETE_CHILD);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_int_eq(H.nsent, 4);	/* the answer only */
	}
	n = H.nsent;
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, 1);
	ck_assert_uint_eq(H.down_spi, before.spi_in);
	ck_assert_int_eq(H.nsent, n + 1);
	ck_assert_int_eq(h_to_peer(n), 0);
	ck_assert_uint_eq(H.peer->last_exch, IKE_EXCH_CREATE_CHILD_SA);
	ck_assert_ptr_null(ike_msg_notify(&H.peer->m, IKE_N_REKEY_SA));
	ck_assert_int_eq(h_peer_to_sa(), 0);
	check_created(&before, up);
	h_free();
}
END_TEST

/*
 * TEMPORARY_FAILURE to every rekey (_i 0) or to the new Child SA after
 * the gateway deleted it (_i 1), §2.25: again after 2, 4, 8 ... s (at
 * most 60 s apart), and after 5 min the IKE SA closes with the reason.
 */
START_TEST(child_tempfail_backoff_closes)
{
	uint64_t t0, last = 0, gap, prev_gap = 0;
	int i, j, tries = 0, n;

	h_init();
	if (_i == 0)
		H.popts.rekey_notify = IKE_N_TEMPORARY_FAILURE;
	else
		H.popts.create_notify = IKE_N_TEMPORARY_FAILURE;
	h_established();
	t0 = last = H.now;
	if (_i == 0) {
		ck_assert_int_eq(ike_sa_rekey_child(H.sa, H.child.spi_in,
		    H.now), 0);
	} else {
		peer_info(H.peer, PEER_INFO_DELETE_CHILD);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		H.fed++;	/* our answer to the Delete */
	}
	for (i = 0; i < 200 && H.nclosed == 0; i++) {
		n = H.fed;
		h_run();
		for (j = n; j < H.nsent; j++) {
			/* Header octets 18, 19: exchange type, flags. */
			if (H.sent[j][18] != IKE_EXCH_CREATE_CHILD_SA ||
			    (H.sent[j][19] & IKE_FLAG_RESPONSE))
				continue;
			gap = H.now - last;
			if (tries > 1)
				ck_assert_uint_ge(gap, prev_gap);
			ck_assert_uint_le(gap, 60000);
			prev_gap = gap;
			last = H.now;
			tries++;
		}
		if (H.nclosed != 0)
			break;
		H.now = ike_sa_deadline(H.sa);
		ike_sa_traffic_seen(H.sa, H.now);
		(void)ike_sa_expire(H.sa, H.now);
	}
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_TIMEOUT);
	ck_assert_int_eq(H.close.notify, IKE_N_TEMPORARY_FAILURE);
	ck_assert(strstr(H.close.detail, "TEMPORARY_FAILURE") != NULL);
	ck_assert_uint_ge(H.now - t0, 300000);
	ck_assert_uint_le(H.now - t0, 300000 + 61000);
	ck_assert_int_ge(tries, 6);
	h_free();
}
END_TEST

/* ---- §1.3: INVALID_KE_PAYLOAD to our Child SA rekey ------------------ */

/*
 * Our rekey's KE is of curve25519; the gateway wants ecp256.  _i 0: we
 * offered it, so once more with it (and it stays for the next rekey);
 * _i 1: we did not, so it is a refusal (try again later); _i 2: the
 * gateway then asks for curve25519 back: retried once only.
 */
START_TEST(child_rekey_invalid_ke)
{
	static const uint16_t esp_dh[] = { CRYPTO_KEX_CURVE25519,
	    CRYPTO_KEX_ECP256 };
	struct ike_child old;
	int up;

	h_init();
	H.conf.esp.n_dh = _i == 1 ? 1 : 2;
	memcpy(H.conf.esp.dh, esp_dh, sizeof(esp_dh));
	H.popts.child_want_group = CRYPTO_KEX_ECP256;
	h_established();
	old = H.child;
	up = H.nchild_up;
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, old.spi_in, H.now), 0);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_uint_eq(H.peer->m.ke.group, CRYPTO_KEX_CURVE25519);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	if (_i == 2) {
		ck_assert_int_eq(H.nsent, 4);
		H.peer->o.child_want_group = CRYPTO_KEX_CURVE25519;
		ck_assert_int_eq(h_to_peer(3), 0);
		ck_assert_uint_eq(H.peer->m.ke.group, CRYPTO_KEX_ECP256);
		ck_assert_int_eq(h_peer_to_sa(), 0);
	}
	if (_i == 0) {
		ck_assert(h_logged("the gateway wants PFS group ecp256"));
		ck_assert_int_eq(H.nsent, 4);
		ck_assert_int_eq(h_to_peer(3), 0);
		ck_assert_uint_eq(H.peer->m.ke.group, CRYPTO_KEX_ECP256);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_int_eq(H.nchild_up, up + 1);
		ck_assert_uint_eq(H.child.replaces_spi_in, old.spi_in);
		ck_assert_uint_eq(H.sa->child_group, CRYPTO_KEX_ECP256);
	} else {
		ck_assert_int_eq(H.nsent, _i == 2 ? 4 : 3);
		ck_assert_int_eq(H.nchild_up, up);
		ck_assert(h_logged("refused the Child SA rekey "
		    "(INVALID_KE_PAYLOAD)"));
		ck_assert_uint_eq(H.sa->child->rekey_ms, H.now +
		    IKE_REKEY_RETRY_MS);
	}
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

Suite *
ike_session_suite(void)
{
	Suite *s = suite_create("ike_session");
	TCase *tc = tcase_create("answers");

	tcase_add_loop_test(tc, gw_bad_request_answered, 0,
	    IR_ARRAY_LEN(bad_reqs));
	tcase_add_loop_test(tc, gw_unknown_exchange_answered, 0, 2);
	tcase_add_test(tc, gw_forged_request_dropped);
	suite_add_tcase(s, tc);

	tc = tcase_create("child");
	tcase_add_test(tc, child_deletes_cross);
	tcase_add_test(tc, child_replaced_overflow_deleted);
	tcase_add_test(tc, child_deleted_recreated);
	tcase_add_loop_test(tc, child_rekey_not_found_recreated, 0, 2);
	tcase_add_loop_test(tc, child_tempfail_backoff_closes, 0, 2);
	tcase_add_loop_test(tc, child_rekey_invalid_ke, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("shutdown");
	tcase_add_loop_test(tc, shutdown_waits_for_request, 0, 2);
	tcase_add_loop_test(tc, shutdown_request_unanswered, 0, 2);
	suite_add_tcase(s, tc);

	return s;
}
