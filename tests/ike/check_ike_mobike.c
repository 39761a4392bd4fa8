/*
 * tests/ike/check_ike_mobike.c: MOBIKE (RFC 4555) and the fast liveness
 * check, the engine against the scripted peer with a fake clock.
 *
 *   INFORMATIONAL { N(UPD_SA_ADDR), N(NATD_S_IP), N(NATD_D_IP),
 *                   N(COOKIE2) }  -->
 *                          <--  { N(NATD_S_IP), N(NATD_D_IP), N(COOKIE2) }
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

static const uint8_t new_local[4] = { 203, 0, 113, 5 };
static const uint8_t nat_addr[4] = { 203, 0, 113, 99 };

static void
m_established(bool mobike)
{
	H.conf.mobike = mobike;
	H.popts.mobike = mobike;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert(ike_sa_peer_mobike(H.sa) == mobike);
	ck_assert_int_eq(H.nsent, 2);
}

/* The client's new address; the peer sees it (or a NAT) on 4500. */
static void
m_new_path(bool behind_nat)
{
	memcpy(H.path.local_addr, new_local, 4);
	H.path.local_port = 4500;
	H.path.remote_port = 4500;
	memcpy(H.peer->see_addr, behind_nat ? nat_addr : new_local, 4);
	H.peer->see_port = behind_nat ? 31000 : 4500;
	H.peer->my_port = 4500;
}

static bool
m_has_notify(const struct ike_msg *m, uint16_t type)
{
	return ike_msg_notify(m, type) != NULL;
}

/* §3.5, §3.8: the update, NAT-D of the new path, COOKIE2 echoed. */
START_TEST(move_mobike_update)
{
	uint8_t want[20];

	h_init();
	m_established(true);
	m_new_path(_i == 1);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert(h_logged("generating INFORMATIONAL request 2 [ "
	    "N(UPD_SA_ADDR) N(NATD_S_IP) N(NATD_D_IP) N(COOKIE2) ]"));
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->n_update, 1);
	ck_assert_uint_eq(H.peer->upd_cookie2_len, IKE_COOKIE2_LEN);
	peer_natd_hash(H.peer, new_local, 4500, want);
	ck_assert_mem_eq(H.peer->upd_natd_src, want, 20);
	peer_natd_hash(H.peer, (const uint8_t[]){ 198, 51, 100, 10 }, 4500,
	    want);
	ck_assert_mem_eq(H.peer->upd_natd_dst, want, 20);
	ck_assert_int_eq(H.nmoved, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nmoved, 1);
	ck_assert(H.moved_local == (_i == 1));
	ck_assert(!H.moved_remote);
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_int_eq(H.sa->mv.fast, IKE_FAST_NONE);
	/* Back to the idle liveness timer. */
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 30000);
	h_free();
}
END_TEST

/* force_encap keeps its source hash that cannot match (RFC 7296 §2.23). */
START_TEST(move_force_encap)
{
	uint8_t want[20];

	h_init();
	H.conf.force_encap = true;
	m_established(true);
	m_new_path(false);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now), 0);
	ck_assert_int_eq(h_to_peer(2), 0);
	peer_natd_hash(H.peer, new_local, 4500, want);
	ck_assert(memcmp(H.peer->upd_natd_src, want, 20) != 0);
	peer_natd_hash(H.peer, (const uint8_t[]){ 198, 51, 100, 10 }, 4500,
	    want);
	ck_assert_mem_eq(H.peer->upd_natd_dst, want, 20);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nmoved, 1);
	h_free();
}
END_TEST

/* No MOBIKE: an empty INFORMATIONAL from the new address (§2.23). */
START_TEST(move_without_mobike)
{
	h_init();
	m_established(false);
	m_new_path(false);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->m.hdr.exch, IKE_EXCH_INFORMATIONAL);
	ck_assert_int_eq(H.peer->m.npld, 1);	/* SK only: empty */
	ck_assert_int_eq(H.peer->n_update, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nmoved, 1);
	ck_assert(!H.moved_local && !H.moved_remote);
	h_free();
}
END_TEST

/* Fast retransmission: 0, 0.5, 1, 2, 3 s, given up at the 4 s budget. */
START_TEST(move_no_answer)
{
	static const uint32_t at[] = { 500, 1000, 2000, 3000 };
	uint64_t t0;
	size_t i;

	h_init();
	m_established(true);
	m_new_path(false);
	t0 = H.now;
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, t0), 0);
	ck_assert_int_eq(H.nsent, 3);
	for (i = 0; i < IR_ARRAY_LEN(at); i++) {
		ck_assert_uint_eq(ike_sa_deadline(H.sa), t0 + at[i]);
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + at[i]), 0);
		ck_assert_int_eq(H.nsent, 4 + (int)i);
		ck_assert_mem_eq(H.sent[3 + i], H.sent[2], H.sent_len[2]);
	}
	ck_assert_uint_eq(ike_sa_deadline(H.sa), t0 + 4000);
	ck_assert_int_eq(ike_sa_expire(H.sa, t0 + 3999), 0);
	ck_assert_int_eq(ike_sa_expire(H.sa, t0 + 4000), IR_ERR_TIMEOUT);
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_TIMEOUT);
	ck_assert_str_eq(H.close.detail, "no answer on the new path within "
	    "4 s");
	ck_assert_int_eq(H.nmoved, 0);
	h_free();
}
END_TEST

static const uint16_t refusals[] = {
	IKE_N_UNACCEPTABLE_ADDRESSES,		/* RFC 4555 §3.5, §4 */
	IKE_N_UNEXPECTED_NAT_DETECTED,		/* §3.9 */
	IKE_N_NO_NATS_ALLOWED,
};

/* The gateway refuses the new address: the SA ends, a clear reason. */
START_TEST(move_refused)
{
	h_init();
	H.popts.update_refuse = refusals[_i];
	m_established(true);
	m_new_path(false);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now), 0);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_CLOSED);
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_CLOSED);
	ck_assert_int_eq(H.close.notify, refusals[_i]);
	ck_assert(strstr(H.close.detail, "the gateway refused our new "
	    "address (") != NULL);
	ck_assert(strstr(H.close.detail, "a new session is needed") != NULL);
	ck_assert_int_eq(H.nmoved, 0);
	ck_assert_int_eq(H.ndown, 1);
	h_free();
}
END_TEST

/* §3.8: an answer without our COOKIE2 is no answer; keep asking. */
START_TEST(move_cookie2_mismatch)
{
	h_init();
	H.popts.update_cookie = 1 + _i;		/* left out, changed */
	m_established(true);
	m_new_path(false);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now), 0);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_UNEXPECTED);
	ck_assert_int_eq(H.sa->mv.n_forged, 1);
	ck_assert(h_logged("without our COOKIE2 (1 so far)"));
	ck_assert_int_eq(H.nmoved, 0);
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_int_eq(H.sa->req.kind, IKE_REQ_MOBIKE);
	/* Retransmission goes on, then the budget ends it. */
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 500), 0);
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_UNEXPECTED);
	ck_assert_int_eq(H.sa->mv.n_forged, 2);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 4000), IR_ERR_TIMEOUT);
	ck_assert_int_eq(H.nmoved, 0);
	h_free();
}
END_TEST

/*
 * Window 1 (RFC 7296 §2.3): a Child SA rekey (_i 0) or a liveness check
 * (_i 1) in flight is sent again on the new path with its message ID;
 * the update follows its answer (after the rekey's Delete of the old
 * Child SA, which the answer starts).
 */
START_TEST(move_with_request_in_flight)
{
	uint32_t id;
	int upd;

	h_init();
	m_established(true);
	if (_i == 0)
		ck_assert_int_eq(ike_sa_rekey_child(H.sa, H.child.spi_in,
		    H.now), 0);
	else
		ck_assert_int_eq(ike_sa_check_liveness(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	id = H.sa->req.msg_id;
	m_new_path(false);
	H.now += 1000;
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now), 0);
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_uint_eq(H.sent_len[3], H.sent_len[2]);
	ck_assert_mem_eq(H.sent[3], H.sent[2], H.sent_len[2]);
	ck_assert_uint_eq(H.sa->req.msg_id, id);
	/* Fast timers for it too. */
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 500);
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	if (_i == 0) {
		ck_assert_int_eq(H.nchild_up, 2);
		ck_assert_int_eq(H.nsent, 5);	/* D(ESP) of the old SA */
		ck_assert_int_eq(h_to_peer(4), 0);
		ck_assert_int_eq(H.peer->m.ndel, 1);
		ck_assert_int_eq(H.peer->n_update, 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
	}
	upd = _i == 0 ? 5 : 4;
	ck_assert_int_eq(H.nsent, upd + 1);
	ck_assert_int_eq(H.nmoved, 0);
	ck_assert_int_eq(h_to_peer(upd), 0);
	ck_assert_int_eq(H.peer->n_update, 1);
	ck_assert_uint_eq(H.peer->m.hdr.msg_id, id + (_i == 0 ? 2 : 1));
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nmoved, 1);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/* The request in flight, never answered: the move's budget ends it. */
START_TEST(move_in_flight_lost)
{
	h_init();
	m_established(true);
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, H.child.spi_in, H.now), 0);
	m_new_path(false);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 2000, H.now + 20000), 0);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 22000), IR_ERR_TIMEOUT);
	ck_assert_str_eq(H.close.detail, "no answer on the new path within "
	    "2 s");
	h_free();
}
END_TEST

/* The budget is the caller's, longer than giveup_ms too; a fast
 * liveness check during the move only shortens it. */
START_TEST(move_budget)
{
	uint64_t t0;

	h_init();
	m_established(true);
	m_new_path(false);
	t0 = H.now;
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 45000, t0), 0);
	if (_i == 0) {
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + 30000), 0);
		ck_assert_int_eq(H.nclosed, 0);
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + 45000),
		    IR_ERR_TIMEOUT);
		ck_assert_str_eq(H.close.detail, "no answer on the new path "
		    "within 45 s");
	} else {
		ck_assert_int_eq(ike_sa_check_liveness_within(H.sa, 3000,
		    t0 + 1000), 0);
		ck_assert_int_eq(H.nsent, 4);	/* the update, at once */
		ck_assert_mem_eq(H.sent[3], H.sent[2], H.sent_len[2]);
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + 4000),
		    IR_ERR_TIMEOUT);
		ck_assert(strstr(H.close.detail, "no answer on the new path")
		    != NULL);
	}
	h_free();
}
END_TEST

/* RFC 9329 §2.2: over TCP nothing is sent twice; the budget holds. */
START_TEST(move_tcp)
{
	h_init();
	m_established(true);
	m_new_path(false);
	H.path.tcp = true;
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 4000);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 500), 0);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 3000), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->n_update, 0);	/* the connection tells */
	if (_i == 0) {
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_int_eq(H.nmoved, 1);
	} else {
		ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 4000),
		    IR_ERR_TIMEOUT);
		ck_assert_str_eq(H.close.detail, "no answer on the new path "
		    "within 4 s");
	}
	h_free();
}
END_TEST

/* Moves before the SA is up: the request again; the update after. */
START_TEST(move_during_handshake)
{
	h_init();
	H.conf.mobike = H.popts.mobike = true;
	h_start();
	ck_assert_int_eq(h_to_peer(0), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);	/* IKE_AUTH out */
	ck_assert_int_eq(H.nsent, 2);
	memcpy(H.path.local_addr, new_local, 4);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_mem_eq(H.sent[2], H.sent[1], H.sent_len[1]);
	memcpy(H.peer->see_addr, new_local, 4);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert_int_eq(H.nsent, 4);		/* the update */
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_int_eq(H.peer->n_update, 1);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nmoved, 1);
	h_free();
}
END_TEST

/* A fast check: 0, 0.5, 1, 2, 3 s, then "lost the gateway" at 4 s. */
START_TEST(liveness_within)
{
	static const uint32_t at[] = { 500, 1000, 2000, 3000 };
	uint64_t t0;
	size_t i;

	h_init();
	m_established(false);
	t0 = H.now + 5000;
	ck_assert_int_eq(ike_sa_check_liveness_within(H.sa, 4000, t0), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert(h_logged("generating INFORMATIONAL request 2 [ ]"));
	for (i = 0; i < IR_ARRAY_LEN(at); i++) {
		ck_assert_uint_eq(ike_sa_deadline(H.sa), t0 + at[i]);
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + at[i]), 0);
		ck_assert_int_eq(H.nsent, 4 + (int)i);
	}
	if (_i == 0) {
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + 4000),
		    IR_ERR_TIMEOUT);
		ck_assert_str_eq(H.close.detail, "lost the gateway: no answer "
		    "to liveness checks for 4 s");
	} else {
		H.now = t0 + 3500;
		ck_assert_int_eq(h_to_peer(6), 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_int_eq(H.nclosed, 0);
		ck_assert_int_eq(H.sa->mv.fast, IKE_FAST_NONE);
		ck_assert_uint_eq(ike_sa_last_rx(H.sa), H.now);
		ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 30000);
	}
	h_free();
}
END_TEST

/* A request in flight is sent again now (UDP) or only waited for, with
 * the shorter budget (TCP, RFC 9329 §2.2). */
START_TEST(liveness_within_in_flight)
{
	h_init();
	if (_i == 1)
		H.path.tcp = true;
	m_established(false);
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, H.child.spi_in, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	H.now += 200;
	ck_assert_int_eq(ike_sa_check_liveness_within(H.sa, 2000, H.now), 0);
	if (_i == 0) {
		ck_assert_int_eq(H.nsent, 4);
		ck_assert_mem_eq(H.sent[3], H.sent[2], H.sent_len[2]);
		ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 250);
	} else {
		ck_assert_int_eq(H.nsent, 3);
		ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 2000);
	}
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 2000), IR_ERR_TIMEOUT);
	ck_assert_str_eq(H.close.detail, "lost the gateway: no answer to "
	    "liveness checks for 2 s");
	h_free();
}
END_TEST

/* §3.5, §3.8: the gateway's UPDATE_SA_ADDRESSES and COOKIE2 answered. */
START_TEST(gateway_update_answered)
{
	const struct ike_pld_notify *n;
	uint8_t want[20];

	h_init();
	m_established(true);
	peer_info(H.peer, _i == 0 ? PEER_INFO_UPDATE : PEER_INFO_COOKIE2);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	n = ike_msg_notify(&H.peer->m, IKE_N_COOKIE2);
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(n->data.len, _i == 0 ? 16 : 8);
	ck_assert_int_eq(n->data.p[0], 0xc2);
	if (_i == 0) {
		n = ike_msg_notify(&H.peer->m, IKE_N_NAT_DETECTION_SOURCE_IP);
		ck_assert_ptr_nonnull(n);
		peer_natd_hash(H.peer, (const uint8_t[]){ 192, 0, 2, 2 }, 500,
		    want);
		ck_assert_mem_eq(n->data.p, want, 20);
		n = ike_msg_notify(&H.peer->m,
		    IKE_N_NAT_DETECTION_DESTINATION_IP);
		ck_assert_ptr_nonnull(n);
		peer_natd_hash(H.peer, (const uint8_t[]){ 198, 51, 100, 10 },
		    500, want);
		ck_assert_mem_eq(n->data.p, want, 20);
	} else {
		ck_assert(!m_has_notify(&H.peer->m,
		    IKE_N_NAT_DETECTION_SOURCE_IP));
	}
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/* §3.4: the gateway's addresses, from IKE_AUTH and INFORMATIONALs. */
START_TEST(gateway_addresses)
{
	struct ike_addr a[IKE_PEER_ADDR_MAX + 2];

	h_init();
	H.popts.addrs = true;
	m_established(true);
	ck_assert_uint_eq(ike_sa_peer_addresses(H.sa, a, 10), 2);
	ck_assert_int_eq(a[0].family, 4);
	ck_assert_mem_eq(a[0].addr, ((const uint8_t[]){ 203, 0, 113, 7 }), 4);
	ck_assert_int_eq(a[1].family, 6);
	ck_assert_int_eq(a[1].addr[0], 0x20);
	ck_assert_int_eq(a[1].addr[15], 7);
	ck_assert_uint_eq(ike_sa_peer_addresses(H.sa, a, 1), 1);
	/* A new list replaces the old. */
	peer_info(H.peer, PEER_INFO_ADDRS);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_uint_eq(ike_sa_peer_addresses(H.sa, a, 10), 3);
	ck_assert_int_eq(a[1].addr[3], 21);
	ck_assert_int_eq(a[2].family, 6);
	ck_assert_int_eq(a[2].addr[15], 0x21);
	/* Bounded. */
	peer_info(H.peer, PEER_INFO_MANY_ADDRS);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_uint_eq(ike_sa_peer_addresses(H.sa, a, 10),
	    IKE_PEER_ADDR_MAX);
	ck_assert_int_eq(a[7].addr[3], 37);
	peer_info(H.peer, PEER_INFO_NO_ADDRS);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_uint_eq(ike_sa_peer_addresses(H.sa, a, 10), 0);
	ck_assert_int_eq(H.nsent, 5);		/* every one answered */
	h_free();
}
END_TEST

/* A bad address in IKE_AUTH: the list is left out, the SA comes up. */
START_TEST(auth_bad_address)
{
	struct ike_addr a[IKE_PEER_ADDR_MAX];

	h_init();
	H.popts.addrs = H.popts.addrs_bad = true;
	m_established(true);
	ck_assert_uint_eq(ike_sa_peer_addresses(H.sa, a, 8), 0);
	ck_assert_int_eq(H.sa->mv.n_malformed, 1);
	h_free();
}
END_TEST

/* Bad notify lengths: INVALID_SYNTAX (RFC 7296 §2.21.3, §3.10.1),
 * counted, nothing used, the next request goes on. */
START_TEST(gateway_bad_notify)
{
	static const enum peer_info bad[] = { PEER_INFO_BAD_COOKIE2,
	    PEER_INFO_BAD_ADDR4, PEER_INFO_BAD_ADDR6 };
	struct ike_addr a[IKE_PEER_ADDR_MAX];

	h_init();
	H.popts.addrs = true;
	m_established(true);
	peer_info(H.peer, bad[_i]);
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_MALFORMED);
	ck_assert_int_eq(H.sa->mv.n_malformed, 1);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert(m_has_notify(&H.peer->m, IKE_N_INVALID_SYNTAX));
	ck_assert(!m_has_notify(&H.peer->m, IKE_N_COOKIE2));
	ck_assert_uint_eq(ike_sa_peer_addresses(H.sa, a, 8), 2);
	ck_assert(ike_sa_established(H.sa));
	peer_info(H.peer, PEER_INFO_NO_ADDRS);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_uint_eq(ike_sa_peer_addresses(H.sa, a, 8), 0);
	h_free();
}
END_TEST

/* Without MOBIKE the notifies are only status: ignored, answered. */
START_TEST(gateway_mobike_not_negotiated)
{
	struct ike_addr a[IKE_PEER_ADDR_MAX];

	h_init();
	m_established(false);
	peer_info(H.peer, PEER_INFO_BAD_ADDR4);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	peer_info(H.peer, PEER_INFO_ADDRS);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_uint_eq(ike_sa_peer_addresses(H.sa, a, 8), 0);
	ck_assert_int_eq(H.nsent, 4);
	h_free();
}
END_TEST

/*
 * Shutdown in the middle of a move: the Delete wins, no update; it
 * waits for the answer to the liveness check in flight (window 1, RFC
 * 7296 §2.3).
 */
START_TEST(move_then_shutdown)
{
	h_init();
	m_established(true);
	ck_assert_int_eq(ike_sa_check_liveness(H.sa, H.now), 0);
	m_new_path(false);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now), 0);
	ck_assert_int_eq(ike_sa_shutdown(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 5);
	ck_assert_int_eq(h_to_peer(4), 0);
	ck_assert_int_eq(H.peer->ndel_ike, 1);
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_CLOSED);
	ck_assert_int_eq(H.nmoved, 0);
	ck_assert_int_eq(H.nsent, 5);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now),
	    IR_ERR_UNEXPECTED);
	ck_assert_int_eq(ike_sa_check_liveness_within(H.sa, 4000, H.now),
	    IR_ERR_UNEXPECTED);
	h_free();
}
END_TEST

/*
 * The path goes while our Delete is unanswered (the uplink under it was
 * taken down): the same Delete again from the new path, no update; the
 * gateway's answer there closes the SA.
 */
START_TEST(shutdown_then_move)
{
	h_init();
	m_established(true);
	ck_assert_int_eq(ike_sa_shutdown(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	m_new_path(false);
	ck_assert_int_eq(ike_sa_move(H.sa, &H.path, 4000, H.now + 80), 0);
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_int_eq((int)H.sent_len[3], (int)H.sent_len[2]);
	ck_assert_mem_eq(H.sent[3], H.sent[2], H.sent_len[2]);
	ck_assert(h_logged("closing: sending our Delete again on the new path "
	    "over UDP"));
	ck_assert(!h_logged("UPD_SA_ADDR"));
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_int_eq(H.peer->ndel_ike, 1);
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_CLOSED);
	ck_assert_int_eq(H.nmoved, 0);
	h_free();
}
END_TEST

Suite *ike_mobike_suite(void);

Suite *
ike_mobike_suite(void)
{
	Suite *s = suite_create("ike_mobike");
	TCase *tc = tcase_create("move");

	tcase_add_loop_test(tc, move_mobike_update, 0, 2);
	tcase_add_test(tc, move_force_encap);
	tcase_add_test(tc, move_without_mobike);
	tcase_add_test(tc, move_no_answer);
	tcase_add_loop_test(tc, move_refused, 0, IR_ARRAY_LEN(refusals));
	tcase_add_loop_test(tc, move_cookie2_mismatch, 0, 2);
	tcase_add_loop_test(tc, move_with_request_in_flight, 0, 2);
	tcase_add_test(tc, move_in_flight_lost);
	tcase_add_loop_test(tc, move_budget, 0, 2);
	tcase_add_loop_test(tc, move_tcp, 0, 2);
	tcase_add_test(tc, move_during_handshake);
	tcase_add_test(tc, move_then_shutdown);
	tcase_add_test(tc, shutdown_then_move);
	suite_add_tcase(s, tc);
	tc = tcase_create("liveness");
	tcase_add_loop_test(tc, liveness_within, 0, 2);
	tcase_add_loop_test(tc, liveness_within_in_flight, 0, 2);
	suite_add_tcase(s, tc);
	tc = tcase_create("gateway");
	tcase_add_loop_test(tc, gateway_update_answered, 0, 2);
	tcase_add_test(tc, gateway_addresses);
	tcase_add_test(tc, auth_bad_address);
	tcase_add_loop_test(tc, gateway_bad_notify, 0, 3);
	tcase_add_test(tc, gateway_mobike_not_negotiated);
	suite_add_tcase(s, tc);
	return s;
}
