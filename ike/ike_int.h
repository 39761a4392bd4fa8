/*
 * ike/ike_int.h: the inside of the IKEv2 initiator engine: struct
 * ike_sa, its states, and the functions the exchange files share.
 * Included only by the ike/ sources and the engine's tests.
 *
 * One file per exchange (strongSwan's task split without objects):
 *   ike_sa.c     lifecycle, input dispatch, the state door, deadline
 *   ike_retx.c   message IDs, window 1, sending, retransmission, the
 *                cached response, SK protection and fragmentation
 *   ike_init.c   IKE_SA_INIT, NAT detection, SKEYSEED
 *   ike_auth.c   IKE_AUTH with PSK or certificates, the peer's AUTH
 *   ike_eap.c    IKE_AUTH rounds of EAP-MSCHAPv2 (RFC 7296 §2.16)
 *   ike_cp.c     configuration payload request and reply
 *   ike_child.c  the ESP SA payload, traffic selectors, KEYMAT
 *   ike_info.c   INFORMATIONAL both ways: liveness, Delete, paths
 *   ike_rekey.c  CREATE_CHILD_SA for Child SAs, both ways, collisions
 *   ike_rekey_ike.c  CREATE_CHILD_SA for the IKE SA, both ways, and the
 *                old IKE SA until its Delete
 *   ike_mobike.c our moves (RFC 4555 §3.5), fast liveness checks, the
 *                gateway's MOBIKE notifies
 *
 * Memory: struct ike_sa and its buffers are allocated in ike_sa_new()
 * and nothing else is, except the crypto objects of a negotiation (the
 * key exchange and the two SK transforms), made once per exchange and
 * never per packet.
 */
#ifndef IR_IKE_INT_H
#define IR_IKE_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ir_log.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "crypto/crypto_eaptls.h"
#include "crypto/crypto_mschap.h"
#include "crypto/crypto_sig.h"
#include "ike/ike.h"
#include "ike/ike_msg.h"

/* ---- States ----------------------------------------------------------- */

#define IKE_STATE_MAP(X)						\
	X(IDLE)		/* made, nothing sent */			\
	X(INIT_SENT)	/* IKE_SA_INIT request out */			\
	X(AUTH_SENT)	/* IKE_AUTH request out (first or EAP round) */	\
	X(ESTABLISHED)	/* authenticated, Child SA up */		\
	X(DELETING)	/* our Delete of the IKE SA is out */		\
	X(CLOSED)	/* closed() was called; nothing more */

enum ike_state {
#define X(n) IKE_S_##n,
	IKE_STATE_MAP(X)
#undef X
	IKE_S_COUNT
};

const char	*ike_state_str(int state);

/* ---- Limits ------------------------------------------------------------ */

#define IKE_TX_MAX		16384	/* one message we build */
#define IKE_REQ_MAX		24576	/* a request as sent (fragments) */
#define IKE_RESP_MAX		16384	/* our cached response */
#define IKE_RX_MAX		65536	/* a received message, copied */
#define IKE_INIT_MSG_MAX	8192	/* IKE_SA_INIT messages kept for AUTH */
#define IKE_OCTETS_MAX		(IKE_INIT_MSG_MAX + 256 + CRYPTO_PRF_MAX)
#define IKE_NONCE_LEN		32	/* Ni: 256 bits, §2.10 */
#define IKE_COOKIE_MAX		64	/* §2.6: 1..64 octets */
#define IKE_COOKIE_TRIES	3	/* restarts on COOKIE */
#define IKE_KE_TRIES		3	/* restarts on INVALID_KE_PAYLOAD */
#define IKE_FRAG_MTU_DEFAULT	1280
#define IKE_SHUTDOWN_WAIT_MS	3000	/* Delete: wait this long for an answer */
#define IKE_OLD_CHILD_MAX	3	/* Child SAs replaced, not yet deleted */
#define IKE_EVICT_MAX		8	/* ... and pushed out: D(ESP) to send */
#define IKE_OLD_CHILD_WAIT_MS	10000	/* the gateway's Delete of one (§2.8) */
#define IKE_OLD_IKE_WAIT_MS	30000	/* the old IKE SA's Delete (§2.18) */
#define IKE_REKEY_RETRY_MS	30000	/* after NO_PROPOSAL_CHOSEN and the like */
#define IKE_TEMPFAIL_FIRST_MS	2000	/* TEMPORARY_FAILURE: first retry, */
#define IKE_TEMPFAIL_GAP_MS	60000	/* doubling up to this gap, */
#define IKE_TEMPFAIL_MAX_MS	300000	/* closing the IKE SA after (§2.25) */
#define IKE_COOKIE2_LEN		16	/* ours; RFC 4555 §3.8: 8..64 */
#define IKE_COOKIE2_MIN		8
#define IKE_COOKIE2_MAX		64
#define IKE_FAST_FIRST_MS	500	/* fast retransmission: first gap */

/* Why requests retransmit fast (ike_mobike.c). */
enum ike_fast {
	IKE_FAST_NONE,
	IKE_FAST_MOVE,		/* ike_sa_move() */
	IKE_FAST_LIVENESS,	/* ike_sa_check_liveness_within() */
};

/* What the outstanding request is for. */
enum ike_req_kind {
	IKE_REQ_NONE,
	IKE_REQ_INIT,
	IKE_REQ_AUTH,		/* first IKE_AUTH (PSK/cert, or EAP start) */
	IKE_REQ_EAP,		/* an EAP round */
	IKE_REQ_EAP_AUTH,	/* final IKE_AUTH with the MSK-based AUTH */
	IKE_REQ_DPD,		/* empty INFORMATIONAL */
	IKE_REQ_DELETE,		/* D(IKE) */
	IKE_REQ_PATH,		/* empty INFORMATIONAL after a new TCP path */
	IKE_REQ_MOBIKE,		/* UPDATE_SA_ADDRESSES */
	IKE_REQ_REKEY_CHILD,	/* CREATE_CHILD_SA */
	IKE_REQ_DELETE_CHILD,	/* D(ESP) of a rekeyed Child SA */
	IKE_REQ_REKEY_IKE,	/* CREATE_CHILD_SA { SA(IKE), Ni, KEi } */
};

/*
 * EAP-TLS framing (RFC 5216 §3.1): the bounds of one reassembled TLS
 * flight, and the size of the fragments we send.  Our fragments carry
 * at most IKE_EAPTLS_FRAG_LEN octets of TLS data, so that an IKE_AUTH
 * request with one stays below 1280 octets of IP (RFC 7383 §2.5.1:
 * the minimum IPv6 MTU) without IKE fragmentation.
 */
#define IKE_EAPTLS_MSG_MAX	65536	/* TLS Message Length we accept */
#define IKE_EAPTLS_FRAGS_MAX	128	/* fragments of one flight */
#define IKE_EAPTLS_FRAG_LEN	1000
#define IKE_EAPTLS_F_LEN	0x80	/* L: TLS Message Length follows */
#define IKE_EAPTLS_F_MORE	0x40	/* M: more fragments follow */
#define IKE_EAPTLS_F_START	0x20	/* S: EAP-TLS Start */

/* One EAP-TLS packet's Type-Data, parsed. */
struct ike_eaptls_frag {
	uint8_t		 flags;
	bool		 has_len;
	uint32_t	 tls_len;	/* TLS Message Length when |has_len| */
	struct ike_span	 data;		/* TLS record bytes */
};

/* Reassembly of one flight from the gateway: only counted, the bytes
 * go straight into the TLS input. */
struct ike_eaptls_rx {
	bool		 active;	/* inside a fragmented flight */
	bool		 has_total;
	uint32_t	 total;		/* its TLS Message Length */
	uint32_t	 got;
	uint16_t	 nfrag;
};

struct ike_eaptls {
	struct crypto_eaptls	*tls;	/* made at the Start, once */
	struct ike_eaptls_rx	 rx;
	uint32_t		 tx_total;	/* our flight being sent */
	uint32_t		 tx_sent;
	bool			 started;
	bool			 rev_asked;	/* peer_cert() for its path */
};

/* A message as sent: one, or the fragments of one (RFC 7383). */
struct ike_sent {
	uint8_t		 n;
	uint16_t	 off[IKE_FRAG_MAX_COUNT], len[IKE_FRAG_MAX_COUNT];
};

/* Our one request in flight (window 1, §2.3) and its retransmissions. */
struct ike_req {
	int		 kind;		/* enum ike_req_kind; NONE: idle */
	uint8_t		 exch;
	uint32_t	 msg_id;
	uint64_t	 first_ms;	/* when first sent */
	uint64_t	 next_ms;	/* next retransmission */
	uint32_t	 interval;	/* current back-off */
	uint64_t	 giveup_ms;	/* fail after this */
	uint32_t	 nretx;
	int		 fast;		/* enum ike_fast: timers of |mv| */
	uint64_t	 fast_from;	/* when sent fast first */
	struct ike_sent	 sent;		/* in b->req */
};

/*
 * A move of ours (ike_sa_move()) or a fast liveness check, and what the
 * gateway told us of its addresses (RFC 4555).
 */
struct ike_move {
	int		 fast;		/* enum ike_fast; NONE: normal timers */
	uint32_t	 budget_ms;
	uint64_t	 until_ms;	/* give up then */
	bool		 pending;	/* the update waits for the request
					   in flight (window 1) */
	bool		 confirm;	/* moved() when the update is answered */
	uint8_t		 cookie2[IKE_COOKIE2_LEN];	/* in the update */
	uint32_t	 n_forged;	/* answers with a wrong COOKIE2 */
	uint32_t	 n_malformed;	/* MOBIKE notifies with bad lengths */
	struct ike_addr	 peer[IKE_PEER_ADDR_MAX];
	uint8_t		 npeer;
};

/* The ESP Child SA negotiated in IKE_AUTH (or by a rekey). */
struct ike_child_sa {
	bool		 up;
	uint32_t	 spi_in, spi_out;	/* host order */
	uint16_t	 encr, encr_bits, integ;
	bool		 esn;
	uint64_t	 rekey_ms;		/* UINT64_MAX: never */
};

/*
 * One Child SA and what it is for.  The first slot asks for conf's
 * selectors; a further one for those of conf.ts_remote the Child SAs up
 * do not cover (the gateway narrowed them away, §2.9).
 */
#define IKE_CHILD_MAX		4
struct ike_child_slot {
	bool		 used;
	struct ike_child_sa sa;
	/* The Child SA is gone (the gateway deleted it, or it did not
	 * know it) or not made yet: CREATE_CHILD_SA for its selectors at
	 * this time; UINT64_MAX: none due. */
	uint64_t	 create_ms;
	struct ike_ts	 ts_remote[IKE_TS_MAX];	/* asked; 0: conf's */
	uint8_t		 n_ts_remote;
	struct ike_ts	 got[IKE_TS_MAX];	/* TSr the gateway gave */
	uint8_t		 n_got;
};

/* A Child SA a rekey replaced, until one side deletes it (§2.8). */
struct ike_child_old {
	uint32_t	 spi_in, spi_out;	/* 0: the slot is free */
	uint64_t	 delete_ms;		/* we send D(ESP) then */
};

/*
 * §2.25: the gateway asked to rekey the Child SA we are rekeying too.
 * Its new SA is installed; the nonces decide which of the two stays
 * when our own exchange ends.
 */
struct ike_child_coll {
	bool		 active;
	struct ike_child_sa sa;			/* the gateway's new SA */
	uint8_t		 ni[256];		/* its Ni */
	size_t		 ni_len;
	uint8_t		 nr[IKE_NONCE_LEN];	/* our Nr */
};

/*
 * The IKE SA a rekey replaced (§2.18), kept with its own keys, SPIs and
 * message IDs until its Delete is done: the gateway's (answered) or
 * ours (sent and retransmitted here, not through struct ike_req).
 */
struct ike_old_ike {
	bool		 active;
	bool		 redundant;		/* §2.8.2: a crossing's loser,
						   not the replaced SA */
	bool		 orig_init;
	uint64_t	 spi_i, spi_r;
	struct crypto_xform *tx, *rx;
	uint32_t	 peer_next_id;
	bool		 resp_valid;		/* b->old_resp answers ... */
	uint32_t	 resp_id;		/* ... this request */
	struct ike_sent	 resp_sent;
	bool		 req_active;		/* our request in b->old_req: */
	int		 req_kind;		/* D(IKE), or one in flight
						   when the gateway rekeyed */
	uint32_t	 req_id;
	struct ike_sent	 req_sent;
	uint64_t	 req_next_ms;
	uint32_t	 req_interval;
	uint64_t	 until_ms;		/* forget it then */
};

/* What the peer chose (ike_props_check(), ike_rekey_choose()). */
struct ike_choice {
	uint16_t	encr, encr_bits, integ, prf, dh;
	bool		esn;
	uint32_t	spi;		/* ESP: the responder's SPI */
	uint64_t	ike_spi;	/* IKE rekey: the responder's SPI */
	uint8_t		spi_len;	/* as received: 0, 4 or 8 */
};

/*
 * §2.8.2: the gateway's IKE SA rekey, answered while ours was in flight.
 * Its new SA waits here, keys made, until our exchange ends; the lowest
 * of the four nonces then tells which of the two new SAs goes.
 */
struct ike_ike_coll {
	bool		 active;
	struct ike_choice c;
	struct crypto_ike_keys k;		/* secrets: cleared */
	struct crypto_xform *tx, *rx;
	uint64_t	 spi_i, spi_r;		/* the gateway's, ours */
	uint8_t		 low[256];		/* the lower of its nonces */
	size_t		 low_len;
};

/* The big buffers, in one allocation next to struct ike_sa. */
struct ike_bufs {
	struct ike_msg		 m;		/* the message being handled */
	uint8_t			 tx[IKE_TX_MAX];	/* a message we build */
	uint8_t			 plain[IKE_TX_MAX];	/* its inner chain */
	uint8_t			 req[IKE_REQ_MAX];	/* our request as sent */
	uint8_t			 resp[IKE_RESP_MAX];	/* our last response */
	uint8_t			 rx[IKE_RX_MAX];	/* received, decrypted here */
	uint8_t			 rx_inner[IKE_FRAG_MAX_BYTES];
	struct ike_frag_reasm	 reasm;
	uint8_t			 msg1[IKE_INIT_MSG_MAX];	/* our INIT request */
	uint8_t			 msg2[IKE_INIT_MSG_MAX];	/* their response */
	uint8_t			 octets[IKE_OCTETS_MAX];	/* AUTH input */
	uint8_t			 old_req[1024];		/* old IKE SA: D(IKE) */
	uint8_t			 old_resp[IKE_RESP_MAX];	/* its answer */
	uint8_t			 red_req[1024];	/* §2.8.2's redundant SA: */
	uint8_t			 red_resp[1024];	/* D(IKE), answer */
	/* Hash-and-URL certificates (§3.6) as fetched, by slot. */
	uint8_t			 fetched[IKE_FETCH_MAX][IKE_FETCH_CERT_MAX];
	/* The certificates' DER inside each, in order: the whole of
	 * encoding 12, those of a bundle (13) as parsed once when it came
	 * (ike_sa_cert_fetched()); one more than the verifier takes, so
	 * that a longer chain is refused there, not cut. */
	struct ike_span	 fetched_cert[IKE_FETCH_MAX][CRYPTO_CHAIN_MAX + 1];
	size_t		 fetched_ncert[IKE_FETCH_MAX];
};

struct ike_sa {
	struct ike_conf		 conf;		/* copied; secrets wiped */
	struct ike_path		 path;
	struct ike_callbacks	 cb;
	void			*ud;
	struct ir_log		 log;
	struct ike_bufs		*b;

	int			 state;		/* enum ike_state */
	bool			 closed_called;
	/* The header's SPIs (§3.1): spi_i is the original initiator's,
	 * ours unless the gateway rekeyed the IKE SA (it then becomes the
	 * original initiator of the new one, RFC 4718 §5.5). */
	uint64_t		 spi_i, spi_r;
	bool			 orig_init;	/* we set the I flag */

	/* IKE_SA_INIT. */
	struct crypto_kex	*kex;
	uint16_t		 dh_group;
	uint8_t			 ni[IKE_NONCE_LEN];
	uint8_t			 nr[256];
	size_t			 nr_len;
	uint8_t			 cookie[IKE_COOKIE_MAX];
	size_t			 cookie_len;
	uint8_t			 n_cookie, n_invalid_ke;
	size_t			 msg1_len, msg2_len;
	uint32_t		 peer_hashes;	/* CRYPTO_HASH_BIT set */
	/* The IKE_AUTH answer in b->m waits for peer_cert(): the request
	 * kind it answered; 0: nothing waits. */
	int			 cert_pending;
	/* Hash-and-URL: slot -> index in b->m.cert[], lengths fetched (0:
	 * not yet), slots still awaited; |fetch_n| 0: none in this answer. */
	uint8_t			 fetch_cert[IKE_FETCH_MAX];
	size_t			 fetch_len[IKE_FETCH_MAX];
	uint8_t			 fetch_n, fetch_left;
	bool			 peer_frag, peer_mobike;
	bool			 peer_childless;	/* RFC 6023 announced */
	bool			 childless;	/* our IKE_AUTH has no Child SA */
	bool			 had_child;	/* a Child SA was ever up */
	uint32_t		 lifetime_pending;	/* AUTH_LIFETIME s to
						   report after it; 0: none */
	bool			 nat_local, nat_remote;

	/* §2.21: an unauthenticated error notify while we wait, or
	 * (|early_bad_prop|) an answer choosing what we never offered. */
	/* RFC 5685: the REDIRECT of IKE_SA_INIT or IKE_AUTH; closed()
	 * then reports IR_ERR_REDIRECT whatever ends the SA. */
	struct ike_gw_id	 redirect_to;
	bool			 redirect_close;
	uint16_t		 early_notify;
	bool			 early_bad_prop;
	uint64_t		 early_until;

	/* The IKE SA's algorithms and keys. */
	uint16_t		 encr, encr_bits, integ, prf;
	struct crypto_ike_keys	 keys;
	struct crypto_xform	*tx, *rx;	/* SK_ei/ai out, SK_er/ar in */

	/* Exchanges. */
	uint32_t		 next_id;	/* our next request's ID */
	uint32_t		 peer_next_id;	/* the peer's next request */
	struct ike_req		 req;
	bool			 resp_valid;	/* |b->resp| answers ... */
	uint32_t		 resp_id;	/* ... this request ID */
	struct ike_sent		 resp_sent;	/* in b->resp */
	uint64_t		 last_rx_ms;	/* authenticated input seen */

	/* IKE_AUTH. */
	uint32_t		 child_spi;	/* SPI we chose for ESP in */
	bool			 cfg_reported;
	/* The Child SAs, one a slot (several when the gateway narrows
	 * what we asked for into more than one set, RFC 7296 §2.9):
	 * |child| and |cs| point at the slot being handled (ike_slot_use). */
	struct ike_child_slot	 slot[IKE_CHILD_MAX];
	struct ike_child_slot	*cs;
	struct ike_child_sa	*child;		/* &cs->sa */
	uint8_t			 req_slot;	/* of the CREATE_CHILD_SA out */
	uint32_t		 ts_asked;	/* conf.ts_remote entries asked
						   for again (a bit each) */
	uint32_t		 rekey_old_spi;	/* rekey under way: old SA */
	uint32_t		 rekey_new_spi;
	uint8_t			 rekey_ni[IKE_NONCE_LEN];
	struct crypto_kex	*rekey_kex;
	uint16_t		 child_group;	/* PFS group of our rekeys */
	uint64_t		 tempfail_since;	/* 0: none */
	uint32_t		 tempfail_gap;
	bool			 rekey_ke_retried;	/* §1.3: once */
	struct ike_child_old	 old_child[IKE_OLD_CHILD_MAX];
	uint32_t		 evict[IKE_EVICT_MAX];	/* their spi_in */
	uint8_t			 nevict;
	struct ike_child_coll	 coll;

	/* ike_sa_shutdown() with a request in flight: the Delete follows
	 * its answer, or the SA closes at |shutdown_until| without one. */
	bool			 shutdown;
	uint64_t		 shutdown_until;

	/* IKE SA rekey (§2.18). */
	uint64_t		 ike_rekey_ms;	/* UINT64_MAX: never */
	uint64_t		 rekey_spi;	/* our new IKE SPI, in flight */
	struct ike_old_ike	 old_ike;
	struct ike_old_ike	 red_ike;	/* §2.8.2 */
	struct ike_ike_coll	 ike_coll;	/* §2.8.2 */

	/* EAP (ike_eap.c): the method's outcome. */
	uint8_t			 msk[CRYPTO_MSCHAP_MSK_LEN];
	bool			 have_msk;
	bool			 eap_method_ok;	/* the method succeeded */
	bool			 eap_only_peer;	/* the gateway sent no AUTH
						   (RFC 5998): EAP proves it */
	uint8_t			 eap_naks;	/* Naks sent */
	uint8_t			 eap_nak_type;	/* the last method refused */
	bool			 eap_method_seen;	/* the gateway asked
						   for our method */
	bool			 eap_mschap_rejected;	/* MS-CHAPv2 Failure
						   Request answered */
	struct ike_eaptls	 eaptls;

	/* EAP-MSCHAPv2. */
	struct crypto_mschap	*mschap;
	uint8_t			 idr_body[4 + IKE_ID_MAX];	/* IDr' */
	size_t			 idr_len;
	uint8_t			 eap_auth_challenge[16];
	uint8_t			 eap_peer_challenge[16];
	uint8_t			 eap_nt_response[24];
	bool			 eap_mschap_ok;	/* Success verified */

	/* MOBIKE and fast liveness checks. */
	struct ike_move		 mv;
};

/* ---- ike_sa.c ------------------------------------------------------ */

void	ike_set_state(struct ike_sa *sa, int to);
void	ike_log(const struct ike_sa *sa, int level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * End the SA: log |detail| as the user's line, call closed() once, go
 * to CLOSED.  Returns |reason| so callers can "return ike_fail(...)".
 */
int	ike_fail(struct ike_sa *sa, int reason, uint16_t notify,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	ike_random(struct ike_sa *sa, uint8_t *buf, size_t len);

/* ---- ike_retx.c ---------------------------------------------------- */

/*
 * Start a protected message's inner chain in b->plain.  Then add
 * payloads with the ike_pld_*_build() functions on |mw| and finish with
 * ike_req_send() (a request) or ike_resp_send() (our answer).
 */
void	ike_chain_begin(struct ike_sa *sa, struct ike_msg_wr *mw,
	    struct wire_wr *w);
/* Protect (SK or SKF fragments) and send a new request of |kind|. */
int	ike_req_send(struct ike_sa *sa, int kind, uint8_t exch,
	    struct ike_msg_wr *mw, uint64_t now_ms);
/* Send an unprotected request (IKE_SA_INIT) from b->tx. */
int	ike_req_send_plain(struct ike_sa *sa, int kind, uint8_t exch,
	    size_t len, uint64_t now_ms);
/* Protect and send the response to the peer's request |msg_id|; cache it. */
int	ike_resp_send(struct ike_sa *sa, uint8_t exch, uint32_t msg_id,
	    struct ike_msg_wr *mw);
/* The response to the outstanding request arrived: stop retransmitting. */
void	ike_req_done(struct ike_sa *sa);
/* Retransmission and give-up; 0 or a fatal code. */
int	ike_req_expire(struct ike_sa *sa, uint64_t now_ms);
uint64_t ike_req_deadline(const struct ike_sa *sa);
/* Send the outstanding request again now (new TCP connection); its
 * timers restart (fast ones while sa->mv.fast is set). */
int	ike_req_resend(struct ike_sa *sa, uint64_t now_ms);
/* Put the request in flight on the fast timers of sa->mv from |now_ms|. */
void	ike_req_fast(struct ike_sa *sa, uint64_t now_ms);
/*
 * RFC 7296 §2.21.3: once the IKE SA is authenticated every request with
 * an error gets an answer, encrypted, under the request's own message
 * ID and exchange type: N(UNSUPPORTED_CRITICAL_PAYLOAD) with the one-
 * octet payload type (§2.5) when |m| has an unknown critical payload,
 * else N(INVALID_SYNTAX) (§3.10.1: a type, length or value out of
 * range; for an exchange we do not handle as well).  Only for requests
 * that verified under SK_ar/SK_er: the unauthenticated are dropped.
 * Returns |rv| (the request was not acted on).
 */
int	ike_resp_refuse(struct ike_sa *sa, const struct ike_msg *m, int rv);
/* Resend our cached response (a retransmitted peer request). */
int	ike_resp_resend(struct ike_sa *sa);
/* Log a payload list in RFC notation: "IKE_AUTH request 1 [ IDi AUTH ]". */
void	ike_log_msg(const struct ike_sa *sa, const char *verb,
	    const struct ike_msg *m);
void	ike_log_chain(const struct ike_sa *sa, const char *verb, uint8_t exch,
	    bool response, uint32_t msg_id, uint8_t first_type,
	    const uint8_t *p, size_t len);
/* Seal the inner chain |in| under |h| with |x| into |dst| (SK, unsplit). */
int	ike_seal_one(struct ike_sa *sa, struct crypto_xform *x,
	    const struct ike_hdr *h, const struct ike_msg_wr *in, uint8_t *dst,
	    size_t cap, struct ike_sent *s);
/* Hand every part of |s| in |buf| to send_msg(). */
void	ike_send_sent(struct ike_sa *sa, const uint8_t *buf,
	    const struct ike_sent *s);

/* ---- ike_init.c ---------------------------------------------------- */

int	ike_init_send(struct ike_sa *sa, uint64_t now_ms);
int	ike_init_response(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
/* §2.21: fail with the error notify remembered from IKE_SA_INIT. */
int	ike_init_early_fail(struct ike_sa *sa);
/* NAT_DETECTION_*_IP data, §2.23: SHA-1(SPIi | SPIr | IP | port). */
int	ike_natd_hash(uint64_t spi_i, uint64_t spi_r, uint8_t family,
	    const uint8_t *addr, uint16_t port, uint8_t out[20]);
/*
 * The proposals of |a| as SA payload structures: an AEAD proposal and a
 * classic one (§3.3), with |spi| (IKE: none on first negotiation, ESP:
 * 4 octets) and, for IKE, |dh_first| moved to the front of the groups.
 */
struct ike_props {
	struct ike_pld_prop	prop[2];
	uint8_t			nprop;
	struct ike_pld_xform	xf[2 * (4 * IKE_ALGS_MAX + 2)];
	uint8_t			spi[4];
};
int	ike_props_make(struct ike_props *p, const struct ike_algs *a,
	    uint8_t proto, uint16_t dh_first, bool with_dh, uint32_t spi);
/*
 * Check that the peer chose exactly one proposal made of transforms we
 * offered (§2.7, §3.3.6) and read it out.  IR_ERR_NO_PROPOSAL otherwise.
 */
int	ike_props_check(const struct ike_props *offered,
	    const struct ike_pld_sa *sa, uint8_t proto, struct ike_choice *c);

/*
 * NAT-D notifies of |type| in |m|: |*found| any, |*match| one carrying
 * the hash of |addr|:|port| on the current SPIs.
 */
int	ike_natd_match(const struct ike_sa *sa, const struct ike_msg *m,
	    uint16_t type, const uint8_t *addr, uint16_t port, bool *found,
	    bool *match);
/* Both NAT-D notifies of |m| against the current path: sets
 * sa->nat_local/nat_remote and |*found| when both are there (§2.23). */
int	ike_natd_detect(struct ike_sa *sa, const struct ike_msg *m,
	    bool *found);
/* NAT_DETECTION_SOURCE_IP and _DESTINATION_IP of the current path, on
 * the current SPIs (|spi_r| 0 in IKE_SA_INIT), into |mw|. */
int	ike_natd_build(struct ike_sa *sa, struct ike_msg_wr *mw,
	    uint64_t spi_r);

/* ---- ike_auth.c ---------------------------------------------------- */

int	ike_auth_send(struct ike_sa *sa, uint64_t now_ms);
int	ike_auth_response(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
/*
 * AUTH for a shared secret, §2.15: prf(prf(secret, "Key Pad for
 * IKEv2"), octets).  |out| gets crypto_prf_len(prf) octets.
 */
int	ike_auth_psk(uint16_t prf, const uint8_t *secret, size_t secret_len,
	    const uint8_t *octets, size_t octets_len, uint8_t *out);
/* The signed octets: |msg| | |nonce| | prf(SK_p, ID'), into b->octets. */
int	ike_auth_octets(struct ike_sa *sa, bool ours, const uint8_t *id_body,
	    size_t id_len, size_t *len);
/* Check the gateway's IDr, CERT and AUTH in |m|; 0 or a fatal code. */
int	ike_auth_verify_peer(struct ike_sa *sa, const struct ike_msg *m);
/* The verified |path| to the peer_cert() callback (revocation): 0,
 * IR_ERR_PENDING (sa->cert_pending is the caller's to set), or the SA
 * failed.  |m| may carry OCSP CERT payloads; NULL inside EAP-TLS. */
int	ike_auth_peer_cert(struct ike_sa *sa, const struct ike_msg *m,
	    const struct crypto_chain *path, bool eap_tls);
/* The error notify of an IKE_AUTH response: a fatal code, or 0. */
int	ike_auth_error_notify(struct ike_sa *sa, const struct ike_msg *m);
/* RFC 4478: N(AUTH_LIFETIME) in |m| (4 octets, seconds) to the caller;
 * another length is logged and ignored (a status notify, §3.10.1). */
void	ike_auth_lifetime(struct ike_sa *sa, const struct ike_msg *m);
/* The last IKE_AUTH of EAP: AUTH from the MSK (§2.16). */
int	ike_auth_send_msk(struct ike_sa *sa, uint64_t now_ms);
/* IKE_AUTH succeeded: CP, Child SA, ESTABLISHED. */
int	ike_auth_finish(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
/* RFC 4945 §3.1: equal IDs; FQDN and RFC822 compare without case. */
bool	ike_id_equal(const struct ike_id *want, const struct ike_pld_id *got);
/* An ID as one printable phrase for the log. */
void	ike_id_text(uint8_t type, const uint8_t *p, size_t len, char *buf,
	    size_t cap);
/* Keep the gateway's IDr' for the AUTH after EAP (§2.16). */
int	ike_auth_keep_idr(struct ike_sa *sa, const struct ike_msg *m);
/* Our IDi (conf.local_id, or the subject of our certificate). */
int	ike_auth_local_id(const struct ike_sa *sa, uint8_t *type,
	    uint8_t *data, size_t cap, size_t *len);

/* ---- ike_eap.c ----------------------------------------------------- */

/* An IKE_AUTH answer while EAP runs; |kind| is the request it answers. */
int	ike_eap_response(struct ike_sa *sa, const struct ike_msg *m, int kind,
	    uint64_t now_ms);
/*
 * Our answer to one EAP Request (RFC 3748 Identity, Notification, the
 * configured method, or a Nak naming it) into |out|.
 */
int	ike_eap_answer(struct ike_sa *sa, const struct ike_pld_eap *req,
	    uint8_t *out, size_t cap, size_t *len);
/* An EAP Response header (RFC 3748 §4) of |len| octets in all. */
void	ike_eap_hdr(struct wire_wr *w, uint8_t id, size_t len, uint8_t type);
/* Is the method |type| mutual and key-deriving (RFC 5998 §4)? */
bool	ike_eap_mutual(uint8_t type);
/* The secret of our AUTH (|ours|) or the gateway's after EAP (§2.16). */
void	ike_eap_auth_secret(const struct ike_sa *sa, bool ours,
	    const uint8_t **key, size_t *len);
/* The gateway's first IKE_AUTH answer has no AUTH (RFC 5998): allowed
 * only with conf.eap_only and a mutual method; keeps its IDr. */
int	ike_eap_only_accept(struct ike_sa *sa, const struct ike_msg *m);

/* ---- ike_eap_tls.c ------------------------------------------------- */

/* Parse an EAP-TLS Type-Data (after the Type octet), RFC 5216 §3.1. */
int	ike_eaptls_parse(const uint8_t *p, size_t len,
	    struct ike_eaptls_frag *f);
/*
 * Count one fragment of the gateway's flight into |rx|: *|complete|
 * when it was the last one.  IR_ERR_MALFORMED for a TLS Message Length
 * above IKE_EAPTLS_MSG_MAX or that changes, more data than announced,
 * an empty fragment with M, more than IKE_EAPTLS_FRAGS_MAX fragments, or
 * a last fragment short of the announced length.
 */
int	ike_eaptls_rx_add(struct ike_eaptls_rx *rx,
	    const struct ike_eaptls_frag *f, bool *complete);
/* EAP-Success arrived: the handshake must be done; derive the MSK. */
int	ike_eaptls_finish(struct ike_sa *sa);
/* Our EAP-TLS Response to |req| into |w|. */
int	ike_eaptls_answer(struct ike_sa *sa, const struct ike_pld_eap *req,
	    struct wire_wr *w);

/* ---- ike_cp.c ------------------------------------------------------ */

int	ike_cp_build(const struct ike_sa *sa, struct ike_msg_wr *mw);
void	ike_cp_parse(const struct ike_pld_cp *cp, struct ike_cfg_reply *out);

/* ---- ike_child.c --------------------------------------------------- */

/* The SA payload (ESP, |spi| ours) of a request; with |group| != 0 the
 * PFS groups of conf.esp, |group| (that of our KE) first. */
int	ike_child_build_sa(struct ike_sa *sa, struct ike_msg_wr *mw,
	    uint32_t spi, uint16_t group);
/* Make slot |i| the one sa->child and sa->cs point at. */
void	ike_slot_use(struct ike_sa *sa, size_t i);
/* The slot whose Child SA up has inbound (|out|: outbound) SPI |spi|. */
struct ike_child_slot *ike_slot_find(struct ike_sa *sa, uint32_t spi,
	    bool out);
/* The current slot's Child SA for the rest of our selectors was refused
 * for good (|type|): logged, the slot freed; false for the first slot
 * or one that is up (retried as before). */
bool	ike_slot_give_up(struct ike_sa *sa, uint16_t type);
/* TSi and TSr of a request: conf.ts_local (or everything) and the
 * current slot's remote selectors. */
int	ike_child_build_ts(struct ike_sa *sa, struct ike_msg_wr *mw);
/*
 * The gateway's SA, TSi and TSr: check, derive KEYMAT (with |g_ir| for
 * PFS, else NULL), fill and report the Child SA with child_up().
 */
int	ike_child_accept(struct ike_sa *sa, const struct ike_msg *m,
	    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	    const uint8_t *g_ir, size_t g_ir_len, uint32_t spi_in,
	    uint32_t replaces, uint64_t now_ms);
/*
 * Log and report |c| with child_up() and record it in |into| (the
 * current Child SA, or a colliding one); fails the SA when src/ cannot
 * install it.
 */
int	ike_child_install(struct ike_sa *sa, const struct ike_child *c,
	    struct ike_child_sa *into, uint64_t now_ms);
/* Selectors of a TS payload into |out| (at most IKE_TS_MAX). */
void	ike_ts_from_pld(const struct ike_pld_ts_list *l, struct ike_ts *out,
	    uint8_t *n);
/* The keys of |c| after ike_child_keys() when we answered the exchange. */
void	ike_child_keys_swap(struct ike_child *c);
/* §2.17 split of KEYMAT into |c|: we are the initiator. */
int	ike_child_keys(uint16_t prf, const uint8_t *sk_d, size_t sk_d_len,
	    const uint8_t *g_ir, size_t g_ir_len, const uint8_t *ni,
	    size_t ni_len, const uint8_t *nr, size_t nr_len,
	    struct ike_child *c);
/* Are the selectors of |got| inside the ones we proposed (§2.9)? */
bool	ike_ts_narrowed(const struct ike_ts *ours, size_t nours,
	    const struct ike_pld_ts_list *got);
void	ike_ts_default(struct ike_ts *ts, size_t *n, const struct ike_ts *conf,
	    size_t nconf);

/* ---- ike_info.c ---------------------------------------------------- */

int	ike_info_request(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
int	ike_info_response(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
int	ike_info_send_empty(struct ike_sa *sa, int kind, uint64_t now_ms);
int	ike_info_expire(struct ike_sa *sa, uint64_t now_ms);
uint64_t ike_info_deadline(const struct ike_sa *sa);
/* After an input or a timer: the Delete a shutdown left waiting for the
 * window (§2.3).  Returns |rv|, or the Delete's fatal code. */
int	ike_info_continue(struct ike_sa *sa, int rv, uint64_t now_ms);
int	ike_info_delete(struct ike_sa *sa, uint64_t now_ms);

/* ike_redirect.c: RFC 5685. */
int	ike_redirect_build(const struct ike_sa *sa, struct ike_msg_wr *mw);
int	ike_redirect_parse(const struct ike_pld_notify *n,
	    const uint8_t *nonce, size_t nonce_len, struct ike_gw_id *out);
void	ike_redirect_name(const struct ike_gw_id *gw, char *buf, size_t len);
int	ike_redirect_init(struct ike_sa *sa, const struct ike_msg *m);
int	ike_redirect_auth(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
int	ike_redirect_info(const struct ike_msg *m, struct ike_gw_id *to);

/* ---- ike_mobike.c -------------------------------------------------- */

/* Our update after a move: UPDATE_SA_ADDRESSES, NAT-D, COOKIE2. */
int	ike_mobike_send_update(struct ike_sa *sa, uint64_t now_ms);
/* The answer to it (IKE_REQ_MOBIKE); the request stays on when it is
 * ignored (non-fatal return). */
int	ike_mobike_response(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
/* An answer to IKE_REQ_PATH arrived: moved() if a move sent it. */
void	ike_mobike_path_answered(struct ike_sa *sa);
/* After an input or a timer: the update a move left pending. */
int	ike_mobike_continue(struct ike_sa *sa, int rv, uint64_t now_ms);
/* MOBIKE notifies of the gateway's INFORMATIONAL request: check them
 * (IR_ERR_MALFORMED: answer INVALID_SYNTAX), then add our answer's
 * NAT-D and COOKIE2 and record its addresses. */
int	ike_mobike_check(struct ike_sa *sa, const struct ike_msg *m);
int	ike_mobike_answer(struct ike_sa *sa, const struct ike_msg *m,
	    struct ike_msg_wr *mw);
/* ADDITIONAL_*_ADDRESS / NO_ADDITIONAL_ADDRESSES of IKE_AUTH. */
void	ike_mobike_auth(struct ike_sa *sa, const struct ike_msg *m);
/* Is |type| a notify ike_mobike.c handles in INFORMATIONALs? */
bool	ike_mobike_notify(uint16_t type);

/* ---- ike_rekey.c --------------------------------------------------- */

/*
 * The gateway deleted the live Child SA outside a rekey, or said it
 * does not know it: child_down() it and make a new one for the same
 * selectors (CREATE_CHILD_SA without REKEY_SA) when the window allows.
 */
void	ike_rekey_child_lost(struct ike_sa *sa, uint64_t now_ms);
int	ike_rekey_create(struct ike_sa *sa, uint64_t now_ms);
/* CREATE_CHILD_SA for the first slot whose Child SA is due (window
 * permitting); 0 when none is. */
int	ike_rekey_create_due(struct ike_sa *sa, uint64_t now_ms);

int	ike_rekey_request(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
int	ike_rekey_response(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
/* The Delete of a replaced Child SA was answered (IKE_REQ_DELETE_CHILD). */
void	ike_rekey_deleted(struct ike_sa *sa);
/*
 * A D(ESP) from the gateway for |spi_out|: true with the old SA's
 * inbound SPI to list in our answer.  False for an SA we know nothing
 * of, and for one whose Delete of ours is in flight (§1.4.1: the
 * crossing Deletes each delete one direction; the answer must not list
 * it again).
 */
bool	ike_rekey_old_gone(struct ike_sa *sa, uint32_t spi_out,
	    uint32_t *spi_in);
/* The SA ends: child_down() for every replaced or colliding Child SA. */
void	ike_rekey_drop_all(struct ike_sa *sa, int reason);
/* Timers of the replaced Child SAs; the earliest one. */
int	ike_rekey_expire(struct ike_sa *sa, uint64_t now_ms);
uint64_t ike_rekey_deadline(const struct ike_sa *sa);
/*
 * Refuse the gateway's CREATE_CHILD_SA |m| (|what| it asked, for the
 * log) with the error notify |type| (§3.10.1); |group| non-zero goes
 * in its data (INVALID_KE_PAYLOAD, §1.3).
 */
int	ike_rekey_refuse(struct ike_sa *sa, const struct ike_msg *m,
	    const char *what, uint16_t type, uint16_t group);
/* A fresh key exchange of |group| into |*kex|, from cb->random. */
int	ike_rekey_kex_new(struct ike_sa *sa, struct crypto_kex **kex,
	    uint16_t group);
/*
 * Choose, as the responder, one of the gateway's proposals |theirs| of
 * |proto| that uses only what |ours| lists (§2.7, §3.3.6).  |ke_group|
 * is the group of its KE payload (0: none).  Writes our answer's
 * proposal into |out| (|xf| holds its transforms; SPI set by the
 * caller).  IR_ERR_NO_PROPOSAL, or IR_ERR_INVALID_KE with |*want| the
 * group to ask for.
 */
int	ike_rekey_choose(const struct ike_algs *ours, const struct ike_algs
	    *groups, const struct ike_pld_sa *theirs, uint8_t proto,
	    uint16_t ke_group, struct ike_choice *c, struct ike_pld_prop *out,
	    struct ike_pld_xform xf[5], uint16_t *want);
/* §2.25.1: does |a| sort below |b| (nonces as unsigned octet strings)? */
bool	ike_nonce_lower(const uint8_t *a, size_t alen, const uint8_t *b,
	    size_t blen);

/* ---- ike_rekey_ike.c ----------------------------------------------- */

int	ike_rekey_ike_start(struct ike_sa *sa, uint64_t now_ms);
int	ike_rekey_ike_request(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
int	ike_rekey_ike_response(struct ike_sa *sa, const struct ike_msg *m,
	    uint64_t now_ms);
/* When to rekey the IKE SA next: ike_rekey_ms less up to 10 %. */
void	ike_rekey_ike_schedule(struct ike_sa *sa, uint64_t now_ms);
/*
 * Is |h| addressed to the old IKE SA, or to the redundant one of a
 * crossing (§2.8.2)?  Then ike_rekey_old_input() with it.
 */
struct ike_old_ike *ike_rekey_old_match(struct ike_sa *sa,
	    const struct ike_hdr *h);
int	ike_rekey_old_input(struct ike_sa *sa, struct ike_old_ike *o,
	    struct ike_msg *m, uint64_t now_ms);
int	ike_rekey_old_expire(struct ike_sa *sa, uint64_t now_ms);
uint64_t ike_rekey_old_deadline(const struct ike_sa *sa);
/* Forget the old and redundant IKE SAs and a pending crossing. */
void	ike_rekey_old_clear(struct ike_sa *sa);
/* Is an IKE SA rekey of either end unfinished (no new one may start)? */
bool	ike_rekey_ike_busy(const struct ike_sa *sa);
/*
 * The gateway deletes the current IKE SA while its rekey, answered
 * during ours, waits in sa->ike_coll: it saw no crossing and its new SA
 * stands (§2.8.2).  True when that SA took over (answer the Delete
 * first: it goes out under the old keys).
 */
bool	ike_rekey_ike_coll_delete(struct ike_sa *sa, uint64_t now_ms);

#endif
