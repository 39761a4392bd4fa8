/*
 * tests/ike/check_ike_sa.c: the initiator engine against the scripted
 * responder of peer.c, with the deterministic random callback and a
 * fake clock.  PSK handshakes, restarts, retransmission, §2.21, the
 * gateway's errors, INFORMATIONAL both ways, TCP, failure injection.
 *
 *   IKE_SA_INIT { SA, KE, Ni, N(NATD_S_IP), N(NATD_D_IP), ... }  -->
 *                                  <--  { SA, KE, Nr, N(NATD_*) }
 *   IKE_AUTH { IDi, AUTH, CP, SA, TSi, TSr }  -->
 *                                  <--  { IDr, AUTH, CP, SA, TSi, TSr }
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

START_TEST(psk_handshake)
{
	h_init();
	h_established();
	ck_assert(H.peer->auth_ok);
	ck_assert_int_eq(H.nchild_up, 1);
	ck_assert_int_eq(H.ncfg, 1);
	/* The CP reply of peer.c: 10.1.0.2/24, DNS, split 10/8, domain. */
	ck_assert(H.cfg.has_ip4);
	ck_assert_mem_eq(H.cfg.ip4, ((uint8_t[]){ 10, 1, 0, 2 }), 4);
	ck_assert_int_eq(H.cfg.ip4_prefix, 24);
	ck_assert_int_eq(H.cfg.n_dns4, 1);
	ck_assert_mem_eq(H.cfg.dns4[0], ((uint8_t[]){ 10, 1, 0, 53 }), 4);
	ck_assert_int_eq(H.cfg.n_subnets, 1);
	ck_assert_int_eq(H.cfg.subnets[0].prefix, 8);
	ck_assert_int_eq(H.cfg.n_domains, 1);
	ck_assert_str_eq(H.cfg.domains[0], "corp.test");
	/* The keys of the Child SA, seen from both ends (§2.17). */
	ck_assert_uint_eq(H.child.spi_out, H.peer->child.spi_in);
	ck_assert_uint_eq(H.child.spi_in, H.peer->child.spi_out);
	ck_assert_uint_eq(H.child.encr, H.peer->child.encr);
	ck_assert_uint_gt(H.child.encr_key_len, 0);
	ck_assert_uint_eq(H.child.encr_key_len, H.peer->child.encr_key_len);
	ck_assert_mem_eq(H.child.encr_key_in, H.peer->child.encr_key_out,
	    H.child.encr_key_len);
	ck_assert_mem_eq(H.child.encr_key_out, H.peer->child.encr_key_in,
	    H.child.encr_key_len);
	ck_assert(memcmp(H.child.encr_key_in, H.child.encr_key_out,
	    H.child.encr_key_len) != 0);
	ck_assert(H.nat_called && !H.nat_local && !H.nat_remote);
	ck_assert(h_logged("generating IKE_SA_INIT request 0 [ SA KE No "
	    "N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) ]"));
	ck_assert(h_logged("generating IKE_AUTH request 1 [ IDi "
	    "N(INIT_CONTACT) AUTH CPRQ SA TSi TSr ]"));
	ck_assert(h_logged("state AUTH_SENT -> ESTABLISHED"));
	ck_assert(!h_logged(H_PSK));
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 30000);
	/* §3.15.1: IPv4 only asked for, so no IPv6 attributes. */
	ck_assert(H.peer->cp_asked & (1ull << IKE_CPA_INTERNAL_IP4_ADDRESS));
	ck_assert(!(H.peer->cp_asked & (1ull << IKE_CPA_INTERNAL_IP6_SUBNET)));
	h_free();
}
END_TEST

/* §3.15.1: with IPv6 wanted, its address, DNS and split networks. */
START_TEST(cp_request_ipv6)
{
	h_init();
	H.conf.want_ip6 = true;
	h_established();
	ck_assert(H.peer->cp_asked & (1ull << IKE_CPA_INTERNAL_IP6_ADDRESS));
	ck_assert(H.peer->cp_asked & (1ull << IKE_CPA_INTERNAL_IP6_DNS));
	ck_assert(H.peer->cp_asked & (1ull << IKE_CPA_INTERNAL_IP6_SUBNET));
	ck_assert(H.peer->cp_asked & (1ull << IKE_CPA_INTERNAL_DNS_DOMAIN));
	h_free();
}
END_TEST

/* §2.23: our NAT-D values are SHA-1(SPIi | 0 | IP | port). */
START_TEST(natd_values)
{
	uint8_t want[20], spi[16] = { 0 }, b[22];
	struct crypto_iov iov = { b, sizeof(b) };

	h_init();
	H.conf.force_encap = _i == 1;
	h_established();
	memcpy(spi, H.sent[0], 8);
	memcpy(b, spi, 16);
	memcpy(b + 16, (uint8_t[]){ 198, 51, 100, 10, 0x01, 0xf4 }, 6);
	ck_assert_int_eq(crypto_sha1(&iov, 1, want), 0);
	ck_assert_mem_eq(H.peer->natd_dst, want, 20);
	memcpy(b + 16, (uint8_t[]){ 192, 0, 2, 2, 0x01, 0xf4 }, 6);
	ck_assert_int_eq(crypto_sha1(&iov, 1, want), 0);
	if (_i == 1)	/* force_encap: a source hash that cannot match */
		ck_assert(memcmp(H.peer->natd_src, want, 20) != 0);
	else
		ck_assert_mem_eq(H.peer->natd_src, want, 20);
	h_free();
}
END_TEST

START_TEST(cookie_restart)
{
	h_init();
	H.popts.cookie = true;
	h_established();
	ck_assert_int_eq(H.peer->n_init, 2);
	ck_assert(H.peer->saw_cookie);
	/* §2.6: N(COOKIE) is the first payload of the second request. */
	ck_assert_int_eq(H.sent[1][16], IKE_PLD_NOTIFY);
	ck_assert_uint_eq(H.sent_len[1], H.sent_len[0] + 4 + 4 + 18);
	ck_assert_mem_eq(H.sent[1] + 28 + 8, "cookie-of-the-peer", 18);
	h_free();
}
END_TEST

START_TEST(invalid_ke_restart)
{
	h_init();
	H.popts.want_group = CRYPTO_KEX_ECP256;	/* offered, not first */
	h_established();
	ck_assert_int_eq(H.peer->n_init, 2);
	ck_assert_int_eq(H.peer->dh, CRYPTO_KEX_ECP256);
	ck_assert(h_logged("restarting IKE_SA_INIT"));
	h_free();
}
END_TEST

START_TEST(invalid_ke_not_offered)
{
	h_init();
	H.popts.want_group = CRYPTO_KEX_ECP384;	/* never offered */
	h_start();
	ck_assert_int_eq(h_to_peer(0), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 1);		/* no restart */
	ck_assert_int_eq(H.nclosed, 0);
	/* §2.21: the error wins only when nothing better came. */
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 1000);
	H.now += 5000;
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), IR_ERR_NO_PROPOSAL);
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.notify, IKE_N_INVALID_KE_PAYLOAD);
	h_free();
}
END_TEST

/* 1, 2, 4, 8, 8 s ... then the give-up at 30 s. */
START_TEST(retransmit_timing)
{
	static const uint64_t at[] = { 1000, 3000, 7000, 15000, 23000 };
	uint64_t t0;
	size_t i;

	h_init();
	h_start();
	t0 = H.now;
	for (i = 0; i < IR_ARRAY_LEN(at); i++) {
		ck_assert_uint_eq(ike_sa_deadline(H.sa), t0 + at[i]);
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + at[i] - 1), 0);
		ck_assert_int_eq(H.nsent, (int)i + 1);
		ck_assert_int_eq(ike_sa_expire(H.sa, t0 + at[i]), 0);
		ck_assert_int_eq(H.nsent, (int)i + 2);
		ck_assert_uint_eq(H.sent_len[i + 1], H.sent_len[0]);
		ck_assert_mem_eq(H.sent[i + 1], H.sent[0], H.sent_len[0]);
	}
	ck_assert_uint_eq(ike_sa_deadline(H.sa), t0 + 30000);
	ck_assert_int_eq(ike_sa_expire(H.sa, t0 + 30000), IR_ERR_TIMEOUT);
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_TIMEOUT);
	ck_assert(strstr(H.close.detail, "no answer from the gateway after 30 s")
	    != NULL);
	ck_assert_uint_eq(ike_sa_deadline(H.sa), UINT64_MAX);
	h_free();
}
END_TEST

START_TEST(tcp_no_retransmit)
{
	h_init();
	H.path.tcp = true;
	h_start();
	/* FRAG_SUP is negotiated over TCP too (never used there), so that
	 * the SA can move back to UDP later (shared/RFC-NOTES.md). */
	ck_assert(h_logged("N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) ]"));
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 30000);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 1000), 0);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 9000), 0);
	ck_assert_int_eq(H.nsent, 1);
	/* A new connection gets the request at once (RFC 9329 §6.1). */
	ck_assert_int_eq(ike_sa_path_changed(H.sa, &H.path, H.now + 9000), 0);
	ck_assert_int_eq(H.nsent, 2);
	ck_assert_mem_eq(H.sent[1], H.sent[0], H.sent_len[0]);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 30000), IR_ERR_TIMEOUT);
	h_free();
}
END_TEST

START_TEST(lost_response_retransmit)
{
	uint64_t t;

	h_init();
	h_start();
	ck_assert_int_eq(h_to_peer(0), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 2);		/* IKE_AUTH */
	ck_assert_int_eq(h_to_peer(1), 0);	/* its answer is lost */
	t = ike_sa_deadline(H.sa);
	ck_assert_uint_eq(t, H.now + 1000);
	H.now = t;
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_mem_eq(H.sent[2], H.sent[1], H.sent_len[1]);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert_int_eq(H.nchild_up, 1);
	h_free();
}
END_TEST

START_TEST(duplicate_response_ignored)
{
	h_init();
	h_established();
	/* The IKE_AUTH answer again: late, it matches nothing (§2.1). */
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_UNEXPECTED);
	ck_assert_int_eq(H.nchild_up, 1);
	ck_assert_int_eq(H.ncfg, 1);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/* §2.21: unauthenticated, so believed only when nothing better came. */
START_TEST(wrong_proposal_refused)
{
	h_init();
	H.popts.wrong_proposal = true;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 1000);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 5000),
	    IR_ERR_NO_PROPOSAL);
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_NO_PROPOSAL);
	ck_assert_int_eq(H.close.notify, 0);
	ck_assert(strstr(H.close.detail, "did not offer") != NULL);
	h_free();
}
END_TEST

START_TEST(auth_mismatch)
{
	h_init();
	H.popts.wrong_auth = true;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert_int_eq(H.close.notify, 0);
	ck_assert_int_eq(H.nchild_up, 0);
	h_free();
}
END_TEST

START_TEST(psk_rejected_by_gateway)
{
	h_init();
	H.popts.psk = "another secret";
	h_start();
	h_run();
	ck_assert(!H.peer->auth_ok);
	ck_assert_int_eq(H.close.reason, IR_ERR_AUTH);
	ck_assert_int_eq(H.close.notify, IKE_N_AUTHENTICATION_FAILED);
	ck_assert_str_eq(H.close.detail, "the gateway rejected our "
	    "authentication (AUTHENTICATION_FAILED): check the PSK and --id");
	h_free();
}
END_TEST

static const struct {
	uint16_t	notify;
	int		reason;
} auth_errors[] = {
	{ IKE_N_AUTHENTICATION_FAILED,	IR_ERR_AUTH },
	{ IKE_N_NO_PROPOSAL_CHOSEN,	IR_ERR_NO_PROPOSAL },
	{ IKE_N_TS_UNACCEPTABLE,	IR_ERR_TS },
	{ IKE_N_INTERNAL_ADDRESS_FAILURE, IR_ERR_CP },
	{ IKE_N_FAILED_CP_REQUIRED,	IR_ERR_CP },
};

START_TEST(auth_error_notifies)
{
	h_init();
	H.popts.auth_notify = auth_errors[_i].notify;
	h_start();
	h_run();
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, auth_errors[_i].reason);
	ck_assert_int_eq(H.close.notify, auth_errors[_i].notify);
	ck_assert(strstr(H.close.detail, ike_notify_name(
	    auth_errors[_i].notify)) != NULL);
	h_free();
}
END_TEST

/*
 * §2.21: a forged NO_PROPOSAL_CHOSEN (_i 0), or a forged answer choosing
 * a proposal we never offered (_i 1), then the real answer: an on-path
 * injector cannot end the attempt (and push auto mode to TCP).
 */
START_TEST(forged_error_then_answer)
{
	struct peer_opts o = { .init_no_proposal = _i == 0,
	    .wrong_proposal = _i == 1 };
	struct peer *forger;

	h_init();
	h_start();
	forger = peer_new(&o, H_PSK);
	ck_assert_int_eq(peer_input(forger, H.sent[0], H.sent_len[0]), 0);
	ck_assert_int_eq(ike_sa_input(H.sa, forger->out[0],
	    forger->out_len[0], H.now), 0);
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 1000);
	ck_assert(h_logged(_i == 0 ? "IKE_SA_INIT answered with "
	    "NO_PROPOSAL_CHOSEN; waiting" : "IKE_SA_INIT answered with a "
	    "proposal we did not offer; waiting"));
	H.now += 300;
	h_run();
	ck_assert(ike_sa_established(H.sa));
	ck_assert_int_eq(H.nclosed, 0);
	H.now += 10000;		/* the remembered error is gone */
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nclosed, 0);
	peer_free(forger);
	h_free();
}
END_TEST

START_TEST(forged_error_alone)
{
	h_init();
	H.popts.init_no_proposal = true;
	H.conf.half_open_notify_ms = 2500;
	h_start();
	ck_assert_int_eq(h_to_peer(0), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 1000), 0);
	ck_assert_int_eq(H.nsent, 2);		/* still retransmitting */
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 2500);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 2500),
	    IR_ERR_NO_PROPOSAL);
	ck_assert_int_eq(H.close.notify, IKE_N_NO_PROPOSAL_CHOSEN);
	ck_assert(strstr(H.close.detail, "NO_PROPOSAL_CHOSEN") != NULL);
	h_free();
}
END_TEST

START_TEST(narrowed_ts_accepted)
{
	h_init();
	H.popts.narrow_ts = true;
	h_established();
	ck_assert_int_eq(H.child.n_ts_local, 1);
	ck_assert_mem_eq(H.child.ts_local[0].start,
	    ((uint8_t[]){ 10, 1, 0, 2 }), 4);
	ck_assert_mem_eq(H.child.ts_local[0].end,
	    ((uint8_t[]){ 10, 1, 0, 2 }), 4);
	h_free();
}
END_TEST

START_TEST(widened_ts_refused)
{
	h_init();
	H.conf.n_ts_remote = 1;
	H.conf.ts_remote[0].type = 7;
	H.conf.ts_remote[0].port_hi = 0xffff;
	memcpy(H.conf.ts_remote[0].start, (uint8_t[]){ 10, 0, 0, 0 }, 4);
	memcpy(H.conf.ts_remote[0].end, (uint8_t[]){ 10, 255, 255, 255 }, 4);
	H.popts.widen_tsr = true;
	h_start();
	h_run();
	ck_assert_int_eq(H.close.reason, IR_ERR_TS);
	ck_assert_int_eq(H.nchild_up, 0);
	h_free();
}
END_TEST

START_TEST(fragmented_response)
{
	h_init();
	H.popts.frag = true;
	h_established();
	ck_assert(H.peer->saw_frag_sup);
	ck_assert_int_gt(H.peer->nout, 1);
	ck_assert(h_logged("received fragment #1 of"));
	ck_assert_int_eq(H.nchild_up, 1);
	h_free();
}
END_TEST

START_TEST(gateway_deletes_ike)
{
	h_init();
	h_established();
	peer_info(H.peer, PEER_INFO_DELETE_IKE);
	ck_assert_int_eq(h_peer_to_sa(), IR_ERR_CLOSED);
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_str_eq(H.close.detail, "the gateway closed the connection");
	ck_assert_int_eq(H.ndown, 1);
	/* We answered first (empty INFORMATIONAL response). */
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	ck_assert_int_eq(H.peer->m.hdr.msg_id, 0);
	ck_assert_int_eq(H.peer->m.ndel, 0);
	h_free();
}
END_TEST

START_TEST(gateway_deletes_child)
{
	h_init();
	h_established();
	peer_info(H.peer, PEER_INFO_DELETE_CHILD);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, 1);
	ck_assert_uint_eq(H.down_spi, H.child.spi_in);
	ck_assert_int_eq(H.nclosed, 0);
	/* §1.4.1: our answer deletes our half of the pair. */
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->m.ndel, 1);
	ck_assert_int_eq(H.peer->m.del[0].proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(wire_get_u32(H.peer->m.del[0].spis.p),
	    H.child.spi_in);
	h_free();
}
END_TEST

START_TEST(liveness_answered)
{
	static uint8_t req[PEER_BUF];
	size_t req_len;

	h_init();
	h_established();
	peer_info(H.peer, _i == 0 ? PEER_INFO_EMPTY :
	    PEER_INFO_UNKNOWN_NOTIFY);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 3);
	req_len = H.peer->out_len[0];
	memcpy(req, H.peer->out[0], req_len);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_INITIATOR);
	ck_assert_int_eq(H.peer->m.npld, 1);	/* SK only: empty */
	/* The same request again: the cached answer, byte for byte. */
	ck_assert_int_eq(ike_sa_input(H.sa, req, req_len, H.now), 0);
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_mem_eq(H.sent[3], H.sent[2], H.sent_len[2]);
	/* The next one is new. */
	peer_info(H.peer, PEER_INFO_EMPTY);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 5);
	ck_assert_int_eq(h_to_peer(4), 0);
	ck_assert_int_eq(H.peer->m.hdr.msg_id, 1);
	h_free();
}
END_TEST

START_TEST(dpd_after_idle)
{
	uint64_t t;

	h_init();
	H.conf.dpd_ms = 10000;
	h_established();
	t = ike_sa_deadline(H.sa);
	ck_assert_uint_eq(t, H.now + 10000);
	ike_sa_traffic_seen(H.sa, H.now + 5000);	/* ESP came in */
	ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 15000);
	H.now += 15000;
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	if (_i == 0) {		/* answered */
		ck_assert_int_eq(h_to_peer(2), 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 10000);
		ck_assert_int_eq(H.nclosed, 0);
	} else {		/* lost */
		ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 30000),
		    IR_ERR_TIMEOUT);
		ck_assert(strstr(H.close.detail, "lost the gateway: no answer "
		    "to liveness checks") != NULL);
		ck_assert_int_eq(H.ndown, 1);
	}
	h_free();
}
END_TEST

START_TEST(shutdown_sends_delete)
{
	h_init();
	h_established();
	ck_assert_int_eq(ike_sa_shutdown(H.sa, H.now), 0);
	ck_assert_str_eq(ike_sa_state_name(H.sa), "DELETING");
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->ndel_ike, 1);
	ck_assert_int_eq(H.peer->m.ndel, 1);
	ck_assert_int_eq(H.peer->m.del[0].proto, IKE_PROTO_IKE);
	if (_i == 0) {
		ck_assert_int_eq(h_peer_to_sa(), IR_ERR_CLOSED);
	} else {	/* no answer: a short bounded wait */
		ck_assert_uint_le(ike_sa_deadline(H.sa), H.now + 3000);
		ck_assert_int_eq(ike_sa_expire(H.sa, H.now + 3000),
		    IR_ERR_CLOSED);
	}
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(H.close.reason, IR_ERR_CLOSED);
	h_free();
}
END_TEST

START_TEST(shutdown_before_up)
{
	h_init();
	h_start();
	ck_assert_int_eq(ike_sa_shutdown(H.sa, H.now), IR_ERR_CLOSED);
	ck_assert_int_eq(H.nclosed, 1);
	ck_assert_int_eq(ike_sa_input(H.sa, H.sent[0], H.sent_len[0], H.now),
	    IR_ERR_UNEXPECTED);
	h_free();
}
END_TEST

/* The gateway's IKE SA rekey is answered, no longer refused (see
 * check_ike_rekey.c for the keys). */
START_TEST(gateway_rekey_answered)
{
	h_init();
	h_established();
	peer_rekey_ike(H.peer);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->m.nnotify, 0);
	ck_assert_int_eq(ike_msg_count(&H.peer->m, IKE_PLD_KE), 1);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/* §1.3.3 with PFS: new SA, keys on both ends, then D(old). */
START_TEST(child_rekey)
{
	struct ike_child old;

	h_init();
	h_established();
	old = H.child;
	if (_i == 1) {		/* the lifetime timer starts it */
		ck_assert_uint_eq(ike_sa_deadline(H.sa), H.now + 30000);
		H.now += 3600u * 1000;
		ike_sa_traffic_seen(H.sa, H.now);
		ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	} else {
		ck_assert_int_eq(ike_sa_rekey_child(H.sa, old.spi_in + 1,
		    H.now), IR_ERR_NOT_FOUND);
		ck_assert_int_eq(ike_sa_rekey_child(H.sa, old.spi_in, H.now),
		    0);
	}
	ck_assert_int_eq(H.nsent, 3);
	ck_assert(h_logged("generating CREATE_CHILD_SA request 2 "
	    "[ N(REKEY_SA) SA No KE TSi TSr ]"));
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nchild_up, 2);
	ck_assert_uint_eq(H.child.replaces_spi_in, old.spi_in);
	ck_assert_uint_ne(H.child.spi_in, old.spi_in);
	ck_assert_uint_eq(H.child.spi_out, H.peer->child.spi_in);
	ck_assert_uint_eq(H.child.spi_in, H.peer->child.spi_out);
	ck_assert_mem_eq(H.child.encr_key_in, H.peer->child.encr_key_out,
	    H.child.encr_key_len);
	ck_assert_mem_eq(H.child.encr_key_out, H.peer->child.encr_key_in,
	    H.child.encr_key_len);
	ck_assert(memcmp(H.child.encr_key_in, old.encr_key_in,
	    H.child.encr_key_len) != 0);
	/* Then the old SA goes (§2.8). */
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_int_eq(H.ndown, 0);
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_int_eq(H.peer->del_esp_spi, old.spi_in);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, 1);
	ck_assert_uint_eq(H.down_spi, old.spi_in);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

START_TEST(path_change_established)
{
	h_init();
	h_established();
	H.path.tcp = true;
	ck_assert_int_eq(ike_sa_path_changed(H.sa, &H.path, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);		/* empty INFORMATIONAL */
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->m.hdr.exch, IKE_EXCH_INFORMATIONAL);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(ike_sa_check_liveness(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 4);
	h_free();
}
END_TEST

/* Garbage and truncations never change the state. */
START_TEST(garbage_dropped)
{
	uint8_t junk[64];
	size_t n;

	h_init();
	h_start();
	memset(junk, 0xa5, sizeof(junk));
	ck_assert(ike_sa_input(H.sa, junk, sizeof(junk), H.now) < 0);
	ck_assert_int_eq(h_to_peer(0), 0);
	for (n = 0; n < H.peer->out_len[0]; n += 7)
		ck_assert(!ir_err_is_fatal(ike_sa_input(H.sa,
		    H.peer->out[0], n, H.now)));
	ck_assert_int_eq(H.nsent, 1);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 2);
	h_free();
}
END_TEST

/* Every allocation of ike_sa_new() can fail, cleanly. */
START_TEST(alloc_failures)
{
	struct ike_sa *sa;
	static const struct ike_callbacks cb = {
		.send_msg = (int (*)(void *, const uint8_t *, size_t))1,
		.random = t_random,
		.closed = (void (*)(void *, const struct ike_close_info *))1,
	};
	long i;
	int rv;

	h_init();
	for (i = 0;; i++) {
		ir_mem_fail_after(i);
		rv = ike_sa_new(&sa, &H.conf, &H.path, &cb, NULL, 0);
		ir_mem_fail_after(-1);
		if (rv == 0)
			break;
		ck_assert_int_eq(rv, IR_ERR_NOMEM);
		ck_assert_ptr_null(sa);
	}
	ck_assert_int_ge(i, 2);
	ike_sa_free(sa);
	h_init();
	h_established();
	h_free();
}
END_TEST

START_TEST(bad_conf_rejected)
{
	struct ike_sa *sa;

	h_init();
	H.conf.psk_len = 0;
	ck_assert_int_eq(ike_sa_new(&sa, &H.conf, &H.path, &(struct
	    ike_callbacks){ 0 }, NULL, 0), IR_ERR_CONFIG);
	ck_assert_ptr_null(sa);
}
END_TEST

Suite *
ike_sa_suite(void)
{
	Suite *s = suite_create("ike_sa");
	TCase *tc = tcase_create("psk");

	tcase_add_test(tc, psk_handshake);
	tcase_add_test(tc, cp_request_ipv6);
	tcase_add_loop_test(tc, natd_values, 0, 2);
	tcase_add_test(tc, cookie_restart);
	tcase_add_test(tc, invalid_ke_restart);
	tcase_add_test(tc, invalid_ke_not_offered);
	tcase_add_test(tc, retransmit_timing);
	tcase_add_test(tc, tcp_no_retransmit);
	tcase_add_test(tc, lost_response_retransmit);
	tcase_add_test(tc, duplicate_response_ignored);
	tcase_add_test(tc, wrong_proposal_refused);
	tcase_add_test(tc, auth_mismatch);
	tcase_add_test(tc, psk_rejected_by_gateway);
	tcase_add_loop_test(tc, auth_error_notifies, 0,
	    IR_ARRAY_LEN(auth_errors));
	tcase_add_loop_test(tc, forged_error_then_answer, 0, 2);
	tcase_add_test(tc, forged_error_alone);
	tcase_add_test(tc, narrowed_ts_accepted);
	tcase_add_test(tc, widened_ts_refused);
	tcase_add_test(tc, fragmented_response);
	suite_add_tcase(s, tc);

	tc = tcase_create("informational");
	tcase_add_test(tc, gateway_deletes_ike);
	tcase_add_test(tc, gateway_deletes_child);
	tcase_add_loop_test(tc, liveness_answered, 0, 2);
	tcase_add_loop_test(tc, dpd_after_idle, 0, 2);
	tcase_add_loop_test(tc, shutdown_sends_delete, 0, 2);
	tcase_add_test(tc, shutdown_before_up);
	tcase_add_test(tc, gateway_rekey_answered);
	tcase_add_test(tc, path_change_established);
	tcase_add_loop_test(tc, child_rekey, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_add_test(tc, garbage_dropped);
	tcase_add_test(tc, alloc_failures);
	tcase_add_test(tc, bad_conf_rejected);
	suite_add_tcase(s, tc);
	return s;
}
