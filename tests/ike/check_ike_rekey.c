/*
 * tests/ike/check_ike_rekey.c: rekeys against the scripted peer, RFC 7296
 * §1.3.2, §1.3.3, §2.8, §2.17, §2.18, §2.25.  The peer computes its keys
 * with its own code, so equal keys on both ends mean both followed the
 * RFC, and a mistake in the engine cannot cancel out.
 *
 * The gateway rekeys the Child SA, then deletes the old one:
 *   <--  CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, [KEi], TSi, TSr }
 *        { SA, Nr, [KEr], TSi, TSr }  -->
 *   <--  INFORMATIONAL { D(ESP, old) }       { D(ESP, ours) }  -->
 * The gateway rekeys the IKE SA, then deletes the old one (old keys):
 *   <--  CREATE_CHILD_SA { SA(IKE), Ni, KEi }    { SA, Nr, KEr }  -->
 *   <--  INFORMATIONAL { D(IKE) }                { }  -->
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"
#include "tests/check_util.h"
#include "tests/ike/sa_harness.h"

/* The engine's |c| and the peer's |pc| are the two ends of one pair. */
static void
check_pair(const struct ike_child *c, const struct ike_child *pc)
{
	ck_assert_uint_eq(c->spi_in, pc->spi_out);
	ck_assert_uint_eq(c->spi_out, pc->spi_in);
	ck_assert_uint_gt(c->encr_key_len, 0);
	ck_assert_uint_eq(c->encr_key_len, pc->encr_key_len);
	ck_assert_uint_eq(c->integ_key_len, pc->integ_key_len);
	ck_assert_mem_eq(c->encr_key_in, pc->encr_key_out, c->encr_key_len);
	ck_assert_mem_eq(c->encr_key_out, pc->encr_key_in, c->encr_key_len);
	ck_assert_mem_eq(c->integ_key_in, pc->integ_key_out,
	    c->integ_key_len);
	ck_assert(memcmp(c->encr_key_in, c->encr_key_out,
	    c->encr_key_len) != 0);
}

static void
check_ts_kept(const struct ike_child *now, const struct ike_child *before)
{
	ck_assert_int_eq(now->n_ts_local, before->n_ts_local);
	ck_assert_int_eq(now->n_ts_remote, before->n_ts_remote);
	ck_assert_mem_eq(now->ts_local, before->ts_local,
	    before->n_ts_local * sizeof(struct ike_ts));
	ck_assert_mem_eq(now->ts_remote, before->ts_remote,
	    before->n_ts_remote * sizeof(struct ike_ts));
}

/* Both ends hold the same IKE SA keys and SPIs. */
static void
check_ike_keys(void)
{
	const struct crypto_ike_keys *a = &H.sa->keys, *b = &H.peer->keys;

	ck_assert_uint_eq(H.sa->spi_i, H.peer->spi_i);
	ck_assert_uint_eq(H.sa->spi_r, H.peer->spi_r);
	ck_assert_uint_eq(a->prf_len, b->prf_len);
	ck_assert_uint_eq(a->encr_len, b->encr_len);
	ck_assert_mem_eq(a->sk_d, b->sk_d, a->prf_len);
	ck_assert_mem_eq(a->sk_ei, b->sk_ei, a->encr_len);
	ck_assert_mem_eq(a->sk_er, b->sk_er, a->encr_len);
	ck_assert_mem_eq(a->sk_ai, b->sk_ai, a->integ_len);
	ck_assert_mem_eq(a->sk_pi, b->sk_pi, a->prf_len);
}

/* Liveness checks both ways: the gateway's |gw_id|, our |id|. */
static void
check_info_both_ways(uint32_t gw_id, uint32_t id)
{
	int n = H.nsent;

	peer_info(H.peer, PEER_INFO_EMPTY);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, n + 1);
	ck_assert_int_eq(h_to_peer(n), 0);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	ck_assert_uint_eq(H.peer->m.hdr.msg_id, gw_id);
	/* §3.1: the I flag is the original initiator's. */
	ck_assert_int_eq((H.peer->m.hdr.flags & IKE_FLAG_INITIATOR) != 0,
	    H.sa->orig_init);
	ck_assert_int_eq(ike_sa_check_liveness(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, n + 2);
	ck_assert_int_eq(h_to_peer(n + 1), 0);
	ck_assert(!(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE));
	ck_assert_uint_eq(H.peer->m.hdr.msg_id, id);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.sa->req.kind, IKE_REQ_NONE);
}

static bool
no_old_children(void)
{
	size_t i;

	for (i = 0; i < IKE_OLD_CHILD_MAX; i++)
		if (H.sa->old_child[i].spi_in != 0)
			return false;
	return !H.sa->coll.active;
}

/* ---- The gateway rekeys the Child SA -------------------------------- */

/* One gateway rekey of the Child SA with PFS |group| (0: none). */
static void
gw_rekey_child(uint16_t group)
{
	struct ike_child old = H.child;
	int up = H.nchild_up, down = H.ndown, n = H.nsent;

	ck_assert_int_eq(peer_rekey_child(H.peer, group, 0), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, n + 1);
	ck_assert_int_eq(H.nchild_up, up + 1);
	ck_assert_int_eq(h_to_peer(n), 0);
	ck_assert_int_eq(H.peer->got_notify, 0);
	ck_assert_int_eq(ike_msg_count(&H.peer->m, IKE_PLD_KE), group != 0);
	ck_assert_uint_eq(H.child.replaces_spi_in, old.spi_in);
	check_pair(&H.child, &H.peer->initiated);
	check_ts_kept(&H.child, &old);
	ck_assert(memcmp(H.child.encr_key_in, old.encr_key_in,
	    H.child.encr_key_len) != 0);
	/* §2.8: the gateway deletes the old SA; we answer with ours. */
	ck_assert_int_eq(H.ndown, down);
	peer_info(H.peer, PEER_INFO_DELETE_OLD_CHILD);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, down + 1);
	ck_assert_uint_eq(H.down_spi, old.spi_in);
	ck_assert_int_eq(h_to_peer(n + 1), 0);
	ck_assert_int_eq(H.peer->m.ndel, 1);
	ck_assert_uint_eq(wire_get_u32(H.peer->m.del[0].spis.p), old.spi_in);
	ck_assert(no_old_children());
	ck_assert(ike_sa_established(H.sa));
}

static const uint16_t pfs_groups[] = { 0, CRYPTO_KEX_CURVE25519,
    CRYPTO_KEX_ECP256, CRYPTO_KEX_MODP2048 };

START_TEST(gateway_rekeys_child)
{
	h_init();
	h_established();
	gw_rekey_child(pfs_groups[_i]);
	ck_assert(h_logged("the gateway is rekeying CHILD_SA"));
	ck_assert(h_logged("CHILD_SA established with SPIs"));
	/* The new SA's rekey timer runs from now. */
	ck_assert_uint_eq(H.sa->child->rekey_ms, H.now + 3600u * 1000);
	h_free();
}
END_TEST

/* The gateway never deletes the old SA: we do, after a while. */
START_TEST(gateway_rekeys_child_no_delete)
{
	struct ike_child old;

	h_init();
	h_established();
	old = H.child;
	peer_rekey_child(H.peer, CRYPTO_KEX_CURVE25519, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_uint_le(ike_sa_deadline(H.sa), H.now +
	    IKE_OLD_CHILD_WAIT_MS);
	H.now += IKE_OLD_CHILD_WAIT_MS - 1;
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	H.now += 1;
	ike_sa_traffic_seen(H.sa, H.now);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_uint_eq(H.peer->del_esp_spi, old.spi_in);
	ck_assert_int_eq(H.ndown, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, 1);
	ck_assert_uint_eq(H.down_spi, old.spi_in);
	ck_assert(no_old_children());
	h_free();
}
END_TEST

/* A group we do not use: INVALID_KE naming ours, then the retry works. */
START_TEST(gateway_rekey_invalid_ke)
{
	h_init();
	h_established();
	peer_rekey_child(H.peer, CRYPTO_KEX_MODP3072, CRYPTO_KEX_ECP256);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->got_notify, IKE_N_INVALID_KE_PAYLOAD);
	ck_assert_int_eq(H.peer->got_group, CRYPTO_KEX_ECP256);
	ck_assert_int_eq(H.nchild_up, 1);
	/* Only groups we do not list: no proposal at all. */
	peer_rekey_child(H.peer, CRYPTO_KEX_MODP3072, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_int_eq(H.peer->got_notify, IKE_N_NO_PROPOSAL_CHOSEN);
	ck_assert_int_eq(H.nchild_up, 1);
	h_clear_sent();
	gw_rekey_child(CRYPTO_KEX_ECP256);
	h_free();
}
END_TEST

/* A rekey of an SPI we never had; a further Child SA. */
START_TEST(gateway_rekey_unknown)
{
	h_init();
	h_established();
	H.peer->child.spi_in ^= 0x01010101;
	peer_rekey_child(H.peer, 0, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(H.peer->got_notify, IKE_N_CHILD_SA_NOT_FOUND);
	ck_assert_int_eq(H.nchild_up, 1);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/* ---- Collisions (§2.25.1) -------------------------------------------- */

/*
 * Both ends rekey the Child SA at once.  _i == 0: the gateway's
 * exchange (B) has the lowest nonce, we win: we delete the old SA, the
 * gateway deletes B.  _i == 1: ours (A) has it, we lose: we delete A,
 * the gateway deletes the old SA.
 */
START_TEST(child_rekey_collision)
{
	struct ike_child old, a, b;
	bool win = _i == 0;

	h_init();
	H.popts.nonce_set = true;
	h_established();
	old = H.child;
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, old.spi_in, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);			/* A */
	H.peer->o.nonce_fill = win ? 0x00 : 0xff;	/* Ni of B */
	peer_rekey_child(H.peer, CRYPTO_KEX_CURVE25519, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 4);			/* our answer to B */
	ck_assert(h_logged("(collision)"));
	ck_assert_int_eq(H.nchild_up, 2);
	b = H.ups[1];
	ck_assert_uint_eq(b.replaces_spi_in, old.spi_in);
	H.peer->o.nonce_fill = win ? 0xff : 0x00;	/* Nr of A */
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);		/* A's answer */
	ck_assert_int_eq(H.nchild_up, 3);
	a = H.ups[2];
	check_pair(&a, &H.peer->answered);
	ck_assert_int_eq(h_to_peer(3), 0);		/* B's answer */
	ck_assert_int_eq(H.peer->got_notify, 0);
	check_pair(&b, &H.peer->initiated);
	check_ts_kept(&a, &old);
	check_ts_kept(&b, &old);
	ck_assert_int_eq(H.nsent, 5);			/* our Delete */
	ck_assert_int_eq(h_to_peer(4), 0);
	ck_assert_int_eq(H.peer->m.ndel, 1);
	ck_assert_int_eq(H.ndown, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, 1);
	if (win) {
		ck_assert(h_logged("CHILD_SA rekey collision won"));
		ck_assert_uint_eq(H.peer->del_esp_spi, old.spi_in);
		ck_assert_uint_eq(H.down_spi, old.spi_in);
		ck_assert_uint_eq(H.sa->child->spi_in, a.spi_in);
		/* The gateway deletes its redundant SA, B. */
		peer_delete_esp(H.peer, H.peer->initiated.spi_in);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_uint_eq(H.down_spi, b.spi_in);
	} else {
		ck_assert(h_logged("CHILD_SA rekey collision lost"));
		ck_assert_uint_eq(H.peer->del_esp_spi, a.spi_in);
		ck_assert_uint_eq(H.down_spi, a.spi_in);
		ck_assert_uint_eq(H.sa->child->spi_in, b.spi_in);
		/* The winner's initiator, the gateway, deletes the old SA. */
		peer_info(H.peer, PEER_INFO_DELETE_OLD_CHILD);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_uint_eq(H.down_spi, old.spi_in);
	}
	ck_assert_int_eq(H.ndown, 2);
	ck_assert_int_eq(h_to_peer(5), 0);
	ck_assert_int_eq(H.peer->m.ndel, 1);
	ck_assert(no_old_children());
	ck_assert(ike_sa_established(H.sa));
	ck_assert(H.sa->child->up);
	ck_assert_uint_ne(H.sa->child->rekey_ms, UINT64_MAX);
	h_free();
}
END_TEST

/* Our rekey is refused after we answered the gateway's: its SA stays. */
START_TEST(child_rekey_collision_refused)
{
	struct ike_child old;

	h_init();
	h_established();
	old = H.child;
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, old.spi_in, H.now), 0);
	peer_rekey_child(H.peer, 0, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	H.peer->o.rekey_notify = IKE_N_TEMPORARY_FAILURE;
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 4);		/* nothing deleted by us */
	ck_assert_uint_eq(H.sa->child->spi_in, H.ups[1].spi_in);
	ck_assert(!H.sa->coll.active);
	ck_assert_int_eq(h_to_peer(3), 0);	/* our answer to its rekey */
	check_pair(&H.ups[1], &H.peer->initiated);
	peer_info(H.peer, PEER_INFO_DELETE_OLD_CHILD);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.ndown, 1);
	ck_assert_uint_eq(H.down_spi, old.spi_in);
	ck_assert(no_old_children());
	h_free();
}
END_TEST

/* ---- The IKE SA ------------------------------------------------------ */

/* One gateway rekey of the IKE SA, then its Delete of the old one. */
static void
gw_rekey_ike(void)
{
	uint64_t old_i = H.sa->spi_i, old_r = H.sa->spi_r;
	int n = H.nsent, up = H.nchild_up, down = H.ndown;

	ck_assert_int_eq(peer_rekey_ike(H.peer), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, n + 1);
	ck_assert_int_eq(h_to_peer(n), 0);
	ck_assert_int_eq(H.peer->got_notify, 0);
	ck_assert_uint_ne(H.sa->spi_i, old_i);
	ck_assert_uint_ne(H.sa->spi_r, old_r);
	check_ike_keys();
	/* The gateway started it: it is the new SA's original initiator. */
	ck_assert(!H.sa->orig_init);
	ck_assert_uint_eq(H.sa->next_id, 0);
	ck_assert_uint_eq(H.sa->peer_next_id, 0);
	ck_assert(H.sa->old_ike.active);
	/* Its D(IKE) on the old SA deletes nothing else. */
	peer_info(H.peer, PEER_INFO_DELETE_OLD_IKE);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, n + 2);
	ck_assert_int_eq(h_to_peer(n + 1), 0);
	ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
	ck_assert_uint_eq(H.peer->m.hdr.spi_i, old_i);
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_int_eq(H.ndown, down);
	ck_assert_int_eq(H.nchild_up, up);
	ck_assert(H.sa->child->up);
	ck_assert(ike_sa_established(H.sa));
}

START_TEST(gateway_rekeys_ike)
{
	struct ike_child c;

	h_init();
	h_established();
	gw_rekey_ike();
	ck_assert(h_logged("IKE SA rekeyed, new SPIs 0102030405060708_i"));
	ck_assert(h_logged("the gateway deleted the old IKE SA"));
	/* §2.18: message IDs restart at 0, both ways, I flag the
	 * gateway's. */
	check_info_both_ways(0, 0);
	check_info_both_ways(1, 1);
	/* A Child SA rekey under the new SK_d. */
	c = H.child;
	ck_assert_int_eq(ike_sa_rekey_child(H.sa, c.spi_in, H.now), 0);
	ck_assert_int_eq(h_to_peer(H.nsent - 1), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	check_pair(&H.child, &H.peer->answered);
	/* The old SA is forgotten in time. */
	ck_assert(H.sa->old_ike.active);
	H.now += IKE_SHUTDOWN_WAIT_MS;
	ike_sa_traffic_seen(H.sa, H.now);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert(!H.sa->old_ike.active);
	h_free();
}
END_TEST

/*
 * The gateway rekeys the IKE SA while our liveness check is in flight
 * (_i 0): answered (§2.25.2 refuses only a collision with what cannot
 * finish on the old SA); the check went out on the old SA and its
 * answer is taken there (§2.18).  While our Child SA rekey is in flight
 * (_i 1): TEMPORARY_FAILURE, and ours completes.
 */
START_TEST(gateway_rekeys_ike_busy)
{
	uint64_t old_i;

	h_init();
	h_established();
	old_i = H.sa->spi_i;
	if (_i == 0)
		ck_assert_int_eq(ike_sa_check_liveness(H.sa, H.now), 0);
	else
		ck_assert_int_eq(ike_sa_rekey_child(H.sa, H.child.spi_in,
		    H.now), 0);
	peer_rekey_ike(H.peer);		/* our request is in flight */
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 4);
	ck_assert_int_eq(h_to_peer(3), 0);
	if (_i == 1) {
		ck_assert_int_eq(H.peer->got_notify, IKE_N_TEMPORARY_FAILURE);
		ck_assert_int_eq(H.peer->n_rekey_ike, 0);
		ck_assert(H.sa->orig_init);
		ck_assert_int_eq(h_to_peer(2), 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		check_pair(&H.child, &H.peer->answered);
		ck_assert(ike_sa_established(H.sa));
		h_free();
		return;
	}
	ck_assert_int_eq(H.peer->got_notify, 0);
	ck_assert_int_eq(H.peer->n_rekey_ike, 1);
	check_ike_keys();
	ck_assert(!H.sa->orig_init);
	ck_assert_int_eq(H.sa->req.kind, IKE_REQ_NONE);
	/* Our liveness check, on the old SA, is answered there. */
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_uint_eq(H.peer->m.hdr.spi_i, old_i);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert(h_logged("request 2 answered on the old IKE SA"));
	ck_assert(H.sa->old_ike.active);
	ck_assert(!H.sa->old_ike.req_active);
	peer_info(H.peer, PEER_INFO_DELETE_OLD_IKE);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	check_info_both_ways(0, 0);
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert(ike_sa_established(H.sa));
	h_free();
}
END_TEST

/*
 * Our rekey of the IKE SA: by the timer (_i == 0; with jitter from
 * cb->random, never after ike_rekey_ms), or after the gateway asked for
 * another group (_i == 1), then our D(IKE) of the old SA.
 */
START_TEST(our_ike_rekey)
{
	uint64_t at, t0;
	uint64_t old_i;

	h_init();
	H.conf.child_rekey_ms = 5u * 3600 * 1000;
	if (_i == 1)
		H.popts.rekey_want_group = CRYPTO_KEX_ECP256;
	h_established();
	t0 = H.now;
	old_i = H.sa->spi_i;
	at = H.sa->ike_rekey_ms;
	ck_assert_uint_le(at, t0 + 4u * 3600 * 1000);
	ck_assert_uint_ge(at, t0 + 4u * 3600 * 1000 - 1440u * 1000);
	/* Live traffic keeps liveness checks away until then. */
	H.now = at - 1;
	ike_sa_traffic_seen(H.sa, H.now);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 2);
	H.now = at;
	ike_sa_traffic_seen(H.sa, H.now);
	ck_assert_uint_eq(ike_sa_deadline(H.sa), at);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);
	ck_assert(h_logged("generating CREATE_CHILD_SA request 2 [ SA No KE ]"));
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	if (_i == 1) {
		ck_assert(h_logged("the gateway wants group ecp256"));
		ck_assert_int_eq(H.nsent, 4);
		ck_assert_int_eq(h_to_peer(3), 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_int_eq(H.sa->dh_group, CRYPTO_KEX_ECP256);
	}
	ck_assert_int_eq(H.peer->n_rekey_ike, 1);
	check_ike_keys();
	ck_assert(H.sa->orig_init);
	ck_assert_uint_ne(H.sa->spi_i, old_i);
	ck_assert(h_logged("IKE SA rekeyed, new SPIs"));
	/* Our D(IKE) on the old SA, under the old keys. */
	ck_assert_int_eq(H.nsent, 4 + _i);
	ck_assert_int_eq(h_to_peer(3 + _i), 0);
	ck_assert_uint_eq(H.peer->m.hdr.spi_i, old_i);
	ck_assert_int_eq(H.peer->ndel_ike, 1);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert(!H.sa->old_ike.active);
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_int_eq(H.ndown, 0);
	check_info_both_ways(0, 0);
	/* The next rekey is scheduled afresh. */
	ck_assert_uint_gt(H.sa->ike_rekey_ms, H.now + 3u * 3600 * 1000);
	h_free();
}
END_TEST

/* TEMPORARY_FAILURE: keep the SA, try again later. */
START_TEST(our_ike_rekey_refused)
{
	h_init();
	H.popts.rekey_notify = IKE_N_TEMPORARY_FAILURE;
	h_established();
	H.now = H.sa->ike_rekey_ms;
	ike_sa_traffic_seen(H.sa, H.now);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(h_to_peer(2), 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert(ike_sa_established(H.sa));
	ck_assert(!H.sa->old_ike.active);
	ck_assert_uint_eq(H.sa->ike_rekey_ms, H.now + IKE_REKEY_RETRY_MS);
	check_info_both_ways(0, 3);
	h_free();
}
END_TEST

/*
 * RFC 7296 §2.8.2, crossing IKE SA rekeys: the gateway's rekey arrives
 * while ours is in flight; both are answered, and "the SA created with
 * the lowest of the four nonces" is redundant and deleted by its
 * creator, while the survivor's creator deletes the old SA.  The peer
 * decides with its own code, so both ends must agree.
 *   _i 0: the gateway's Ni is the lowest: its SA (B) is redundant; ours
 *         (A) stands, we delete the old SA, the gateway deletes B;
 *   _i 1: the gateway's Nr (answering ours) is the lowest: A is
 *         redundant, we delete it, B stands, the gateway deletes the
 *         old SA;
 *   _i 2: the gateway refuses ours (TEMPORARY_FAILURE): B stands;
 *   _i 3: the gateway saw no crossing (our request was lost): it
 *         deletes the old SA before answering ours; B stands.
 * Before this, the gateway's rekey was refused with TEMPORARY_FAILURE.
 */
START_TEST(ike_rekey_collision)
{
	uint64_t old_i, a_spi;
	int n;

	h_init();
	if (_i < 2)
		H.popts.ike_coll_low = _i + 1;
	h_established();
	old_i = H.sa->spi_i;
	H.now = H.sa->ike_rekey_ms;
	ike_sa_traffic_seen(H.sa, H.now);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert_int_eq(H.nsent, 3);		/* ours: request 2 */
	a_spi = H.sa->rekey_spi;
	if (_i == 2)
		H.peer->o.rekey_notify = IKE_N_TEMPORARY_FAILURE;
	peer_rekey_ike(H.peer);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(H.nsent, 4);		/* answered, not refused */
	ck_assert(H.sa->ike_coll.active);
	ck_assert(h_logged("while we are too (collision)"));
	ck_assert_int_eq(H.sa->spi_i, old_i);	/* nothing switched yet */
	if (_i == 3) {
		/* The gateway takes our answer and deletes the old SA. */
		ck_assert_int_eq(h_to_peer(3), 0);
		ck_assert_int_eq(H.peer->got_notify, 0);
		peer_info(H.peer, PEER_INFO_DELETE_OLD_IKE);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_int_eq(H.nsent, 5);
		ck_assert_int_eq(h_to_peer(4), 0);
		ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
		ck_assert_uint_eq(H.peer->m.hdr.spi_i, old_i);
		ck_assert(h_logged("its new IKE SA stands"));
		ck_assert_int_eq(H.sa->req.kind, IKE_REQ_NONE);
		ck_assert(H.sa->rekey_kex == NULL);
		ck_assert(!H.sa->orig_init);
		goto done;
	}
	ck_assert_int_eq(h_to_peer(2), 0);	/* ours reaches the gateway */
	ck_assert_int_eq(h_peer_to_sa(), 0);	/* its answer: we decide */
	ck_assert_int_eq(h_to_peer(3), 0);	/* ours: it decides */
	ck_assert_int_eq(H.peer->got_notify, 0);
	ck_assert(!H.sa->ike_coll.active);
	if (_i == 2) {
		ck_assert(h_logged("taking its new IKE SA"));
		ck_assert_int_eq(H.nsent, 4);
		ck_assert(!H.sa->red_ike.active);
		ck_assert(!H.sa->orig_init);
		goto done;
	}
	ck_assert(H.peer->red_active);
	ck_assert(H.sa->red_ike.active);
	ck_assert_int_eq(H.nsent, 5);
	n = H.peer->ndel_ike;
	ck_assert_int_eq(h_to_peer(4), 0);
	ck_assert_int_eq(H.peer->ndel_ike, n + 1);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	if (_i == 0) {
		/* B redundant: the gateway made it and deletes it. */
		ck_assert(h_logged("IKE_SA rekey collision won"));
		ck_assert(H.peer->red_ours);
		ck_assert(H.sa->orig_init);
		ck_assert_uint_eq(H.sa->spi_i, a_spi);
		ck_assert(!H.sa->red_ike.orig_init);
		/* Our D(IKE) went on the old SA, answered there. */
		ck_assert(h_logged("the old IKE SA"));
		ck_assert(!H.sa->old_ike.active);
		peer_info(H.peer, PEER_INFO_DELETE_RED_IKE);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert(h_logged("the gateway deleted the redundant IKE SA"));
		ck_assert_int_eq(H.nsent, 6);
		ck_assert_int_eq(h_to_peer(5), 0);
		ck_assert(H.peer->m.hdr.flags & IKE_FLAG_RESPONSE);
		ck_assert_uint_eq(H.peer->m.hdr.spi_i, H.peer->red.spi_i);
	} else {
		/* A redundant: we made it, our D(IKE) on A itself, ID 0. */
		ck_assert(h_logged("IKE_SA rekey collision lost"));
		ck_assert(!H.peer->red_ours);
		ck_assert(!H.sa->orig_init);
		ck_assert_uint_ne(H.sa->spi_i, a_spi);
		ck_assert_uint_eq(H.peer->m.hdr.spi_i, a_spi);
		ck_assert_uint_eq(H.peer->m.hdr.msg_id, 0);
		ck_assert(h_logged("the redundant IKE SA"));
		ck_assert(!H.sa->red_ike.active);
		peer_info(H.peer, PEER_INFO_DELETE_OLD_IKE);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert(h_logged("the gateway deleted the old IKE SA"));
		ck_assert_int_eq(H.nsent, 6);
		ck_assert_int_eq(h_to_peer(5), 0);
		ck_assert_uint_eq(H.peer->m.hdr.spi_i, old_i);
	}
done:
	ck_assert_int_eq(H.peer->n_rekey_ike, 1);
	check_ike_keys();
	ck_assert_uint_ne(H.sa->spi_i, old_i);
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_int_eq(H.ndown, 0);
	ck_assert(H.sa->child->up);
	/* The survivor carries both ways, IDs from 0 (§2.18). */
	check_info_both_ways(0, 0);
	/* Whatever is left of the others is forgotten in time. */
	H.now += IKE_OLD_IKE_WAIT_MS;
	ike_sa_traffic_seen(H.sa, H.now);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	ck_assert(!H.sa->old_ike.active);
	ck_assert(!H.sa->red_ike.active);
	/* And the next rekey is ours to start again. */
	ck_assert_uint_ne(H.sa->ike_rekey_ms, UINT64_MAX);
	h_free();
}
END_TEST

/* A gateway's Child SA rekey while we rekey the IKE SA (§2.25). */
START_TEST(child_rekey_during_ike_rekey)
{
	h_init();
	h_established();
	H.now = H.sa->ike_rekey_ms;
	ike_sa_traffic_seen(H.sa, H.now);
	ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
	peer_rekey_child(H.peer, 0, 0);
	ck_assert_int_eq(h_peer_to_sa(), 0);
	ck_assert_int_eq(h_to_peer(3), 0);
	ck_assert_int_eq(H.peer->got_notify, IKE_N_TEMPORARY_FAILURE);
	ck_assert_int_eq(H.nchild_up, 1);
	h_free();
}
END_TEST

/* Days of rekeys: every kind, again and again; nothing piles up. */
START_TEST(many_rekeys)
{
	struct ike_child c;
	int i;

	h_init();
	h_established();
	for (i = 0; i < 50; i++) {
		h_clear_sent();
		gw_rekey_child(i % 2 ? CRYPTO_KEX_CURVE25519 : 0);
		h_clear_sent();
		gw_rekey_ike();
		h_clear_sent();
		/* Ours, with the Delete of the old SA. */
		c = H.child;
		ck_assert_int_eq(ike_sa_rekey_child(H.sa, c.spi_in, H.now), 0);
		ck_assert_int_eq(h_to_peer(0), 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		check_pair(&H.child, &H.peer->answered);
		ck_assert_int_eq(h_to_peer(1), 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert_uint_eq(H.down_spi, c.spi_in);
		ck_assert(no_old_children());
		H.now += 4000;
		ike_sa_traffic_seen(H.sa, H.now);
		ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
		ck_assert(!H.sa->old_ike.active);
		h_clear_sent();
		H.now = H.sa->ike_rekey_ms;
		ike_sa_traffic_seen(H.sa, H.now);
		ck_assert_int_eq(ike_sa_expire(H.sa, H.now), 0);
		ck_assert_int_eq(h_to_peer(0), 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		check_ike_keys();
		ck_assert_int_eq(h_to_peer(1), 0);
		ck_assert_int_eq(h_peer_to_sa(), 0);
		ck_assert(!H.sa->old_ike.active);
		H.now += 1000;
	}
	ck_assert_int_eq(H.peer->n_rekey_ike, 100);
	ck_assert_int_eq(H.nclosed, 0);
	ck_assert_int_eq(H.ndown, 100);
	ck_assert_int_eq(H.nchild_up, 101);
	h_clear_sent();
	check_info_both_ways(H.peer->next_req, H.sa->next_id);
	h_free();
}
END_TEST

Suite *
ike_rekey_suite(void)
{
	Suite *s = suite_create("ike_rekey");
	TCase *tc = tcase_create("child");

	tcase_add_loop_test(tc, gateway_rekeys_child, 0,
	    IR_ARRAY_LEN(pfs_groups));
	tcase_add_test(tc, gateway_rekeys_child_no_delete);
	tcase_add_test(tc, gateway_rekey_invalid_ke);
	tcase_add_test(tc, gateway_rekey_unknown);
	tcase_add_loop_test(tc, child_rekey_collision, 0, 2);
	tcase_add_test(tc, child_rekey_collision_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("ike");
	tcase_add_test(tc, gateway_rekeys_ike);
	tcase_add_loop_test(tc, gateway_rekeys_ike_busy, 0, 2);
	tcase_add_loop_test(tc, our_ike_rekey, 0, 2);
	tcase_add_test(tc, our_ike_rekey_refused);
	tcase_add_loop_test(tc, ike_rekey_collision, 0, 4);
	tcase_add_test(tc, child_rekey_during_ike_rekey);
	suite_add_tcase(s, tc);

	tc = tcase_create("long");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, many_rekeys);
	suite_add_tcase(s, tc);
	return s;
}
