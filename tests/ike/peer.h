/*
 * tests/ike/peer.h: a scripted IKEv2 RESPONDER for the engine's tests,
 * built from the codec (ike_msg.h) and crypto/ only, never from the
 * engine's own files: it chooses proposals, answers IKE_SA_INIT with its
 * own KE, Nr and NAT-D, checks our AUTH (PSK, certificate or the EAP
 * MSK) with its own code, and answers IKE_AUTH with IDr, AUTH, CP, SA
 * and TS.  Options inject the faults the tests need.
 *
 * Messages it produces land in |out[]| (several for fragments).
 */
#ifndef IKE_TEST_PEER_H
#define IKE_TEST_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "crypto/crypto_mschap.h"
#include "crypto/crypto_sig.h"
#include "ike/ike.h"
#include "ike/ike_msg.h"
#include "tests/tls_srv.h"

#define PEER_OUT_MAX	8
#define PEER_BUF	16384

enum peer_auth {
	PEER_AUTH_PSK = 0,
	PEER_AUTH_CERT,		/* gw-rsa2048 (vpn.test), root-ca */
};

struct peer_opts {
	enum peer_auth	 auth;
	const char	*psk;		/* the peer's PSK ("" = same as ours) */
	bool		 cookie;	/* first INIT gets N(COOKIE) */
	uint16_t	 want_group;	/* != KE group: N(INVALID_KE_PAYLOAD) */
	bool		 init_no_proposal;	/* INIT: N(NO_PROPOSAL_CHOSEN) */
	bool		 wrong_proposal;	/* choose AES-GCM 192 (not offered) */
	bool		 auth_failed;	/* IKE_AUTH: N(AUTHENTICATION_FAILED) */
	uint16_t	 auth_notify;	/* IKE_AUTH: answer with this error */
	bool		 wrong_auth;	/* our AUTH over a wrong secret */
	bool		 narrow_ts;	/* TSi: the assigned address only */
	bool		 widen_tsr;	/* TSr: 0.0.0.0/0 whatever we asked */
	bool		 frag;		/* announce RFC 7383, fragment IKE_AUTH */
	bool		 no_sig_hashes;	/* INIT: no SIGNATURE_HASH_ALGORITHMS */
	bool		 sha1_auth;	/* AUTH method 1 (RSA, SHA-1) anyway */
	/* Its certificate as "Hash and URL" (§3.6, encoding 12) at this
	 * URL instead of the DER; |hash_url_bundle|: encoding 13, the hash
	 * of |bundle| (|bundle_len| octets), or when NULL of
	 * peer_cert_bundle() of its certificate. */
	const char	*hash_url;
	/* RFC 4806: a CERT of encoding 14 (OCSP Content) after its own. */
	const uint8_t	*ocsp;
	size_t		 ocsp_len;
	bool		 hash_url_bundle;
	const uint8_t	*bundle;
	size_t		 bundle_len;
	bool		 eap;		/* EAP-MSCHAPv2 server */
	const char	*eap_password;
	bool		 eap_bad_success; /* wrong "S=" authenticator */
	/* A wrong password gets a Failure Request that allows a retry
	 * ("E=691 R=1", as strongSwan) instead of an EAP-Failure; the
	 * EAP-Failure comes after the client's Failure Response, never with
	 * |eap_fail_ack_silent|. */
	bool		 eap_retry;
	bool		 eap_fail_ack_silent;
	/* Other EAP methods and modes (peer_eap.c).  |eap_method|: 0 for
	 * MSCHAPv2 (with |eap|), 6 GTC, 13 TLS, 26 MSCHAPv2 again. */
	uint8_t		 eap_method;
	uint8_t		 eap_first;	/* propose this type first: a Nak */
	bool		 eap_only;	/* RFC 5998: no AUTH, no CERT first */
	bool		 eap_early_success; /* EAP-Success after the Start */
	const char	*gtc_prompt;	/* NULL: "Password: " */
	/* EAP-TLS: the server's highest version (0: 1.3), its indication
	 * (tls_srv.h), its fragment size (0: 1000), L in every fragment,
	 * and the CA it takes client certificates from (NULL: root-ca). */
	uint16_t	 tls_max;
	int		 tls_indication;
	size_t		 tls_frag;
	bool		 tls_len_all;
	const char	*tls_client_ca;
	bool		 no_cp;
	bool		 mobike;
	/* MOBIKE (RFC 4555): IKE_AUTH with N(ADDITIONAL_IP4_ADDRESS)
	 * 203.0.113.7 and N(ADDITIONAL_IP6_ADDRESS) 2001:db8::7; answers to
	 * UPDATE_SA_ADDRESSES with this error notify only; COOKIE2 in them:
	 * 0 echoed, 1 left out, 2 one octet changed. */
	bool		 addrs;
	bool		 addrs_bad;	/* and an ADD_4_ADDR of 3 octets */
	uint16_t	 update_refuse;
	int		 update_cookie;
	/* CP reply (4 octets each; subnet: address | mask); NULL: 10.1.0.2,
	 * DNS 10.1.0.53, subnet 10.0.0.0/8.  tests/bench/esp_gw sets them. */
	const uint8_t	*cp_ip4, *cp_dns4, *cp_subnet4;
	/* Rekeys.  |nonce_set|: every rekey nonce of the peer is 32 octets
	 * of |nonce_fill| (collision tests: 0x00 sorts lowest). */
	bool		 nonce_set;
	uint8_t		 nonce_fill;
	uint16_t	 rekey_notify;	/* answer our rekeys with this error */
	uint16_t	 rekey_want_group; /* our IKE rekey: INVALID_KE unless */
	uint16_t	 child_want_group; /* our Child rekey: the same */
	uint16_t	 create_notify;	/* answer our new Child SAs with this */
	/* Crossing IKE SA rekeys (RFC 7296 §2.8.2): 1, the peer's Ni of its
	 * own IKE rekey is 32 x 0x00 (the lowest of all) and its Nr 0xff;
	 * 2, its Nr answering ours is 32 x 0x00 and its Ni 0xff. */
	int		 ike_coll_low;
	/* RFC 5685: N(REDIRECT) to 198.51.100.11 (or |redirect_fqdn|) in
	 * IKE_SA_INIT (1: with our Ni, 2: with another nonce) or in the
	 * IKE_AUTH answer in place of the Child SA. */
	int		 redirect_init;
	/* RFC 4478: N(AUTH_LIFETIME) with this many seconds in the IKE_AUTH
	 * answer (0: none) and in PEER_INFO_AUTH_LIFETIME. */
	uint32_t	 auth_lifetime;
	bool		 redirect_auth;
	const char	*redirect_fqdn;
	/* RFC 6023: 1, announce CHILDLESS_IKEV2_SUPPORTED (and answer a
	 * childless IKE_AUTH without a Child SA); 2, and also answer an
	 * IKE_AUTH that asks for a Child SA without one (as a gateway that
	 * accepts only childless IKE SAs). */
	int		 childless;
};

/* The peer's view of one IKE SA (current or the one a rekey replaced). */
struct peer_ike {
	uint64_t		 spi_i, spi_r;
	bool			 orig_init;	/* the peer sets the I flag */
	struct crypto_xform	*tx, *rx;
	uint32_t		 next_req;
};

struct peer {
	struct peer_opts	 o;
	uint64_t		 spi_i, spi_r;
	uint8_t			 ni[256], nr[32];
	size_t			 ni_len;
	uint16_t		 encr, encr_bits, integ, prf, dh;
	struct crypto_kex	*kex;
	struct crypto_ike_keys	 keys;
	struct crypto_xform	*tx, *rx;	/* SK_er/ar out, SK_ei/ai in */
	uint8_t			 msg1[8192], msg2[8192];
	size_t			 msg1_len, msg2_len;
	uint32_t		 hashes;	/* the initiator's HASH_ALG */
	int			 n_init;	/* IKE_SA_INIT requests seen */
	int			 stage;		/* IKE_AUTH round */
	uint32_t		 next_req;	/* the peer's own request IDs */
	uint32_t		 last_id;	/* last request answered */

	/* What the initiator sent, for the tests to check. */
	bool			 auth_ok;	/* its AUTH verified */
	bool			 saw_cookie, saw_frag_sup, saw_mobike;
	bool			 saw_certreq, saw_cert, saw_idr;
	/* The CERTREQs of IKE_AUTH, in order: encodings and lengths. */
	uint8_t			 certreq_enc[8];
	size_t			 certreq_len[8];
	uint8_t			 ncertreq;
	uint8_t			 ocsp_certreq[64];	/* encoding 14's */
	bool			 saw_redirect_sup;
	bool			 saw_childless;	/* N(CHILDLESS_...) in INIT */
	int			 n_auth_sa;	/* IKE_AUTH requests with SA */
	int			 n_auth_no_sa;	/* ... without SA, TSi, TSr */
	uint8_t			 redirected_from[2 + 255];	/* N data */
	size_t			 redirected_from_len;
	uint64_t		 cp_asked;	/* 1 << attribute type */
	uint8_t			 natd_src[20], natd_dst[20];
	uint8_t			 last_exch;
	int			 ndel_ike, ndel_esp;
	uint32_t		 del_esp_spi;
	uint32_t		 n_cp_attrs;
	/* UPDATE_SA_ADDRESSES seen; its NAT-D and COOKIE2.  |see_addr|
	 * and |see_port|: where the peer sees the initiator (a NAT when
	 * they differ from its path), for NAT-D in its answers. */
	int			 n_update;
	uint8_t			 upd_natd_src[20], upd_natd_dst[20];
	uint8_t			 upd_cookie2[64];
	size_t			 upd_cookie2_len;
	uint8_t			 see_addr[4];
	uint16_t		 see_port, my_port;

	/* Child SA as the responder sees it: in = i2r. */
	struct ike_child	 child;
	bool			 child_up;
	uint32_t		 esp_spi;	/* ours (the responder's) */
	uint32_t		 rekeyed_spi;	/* the old one after a rekey */
	struct ike_child	 answered;	/* last Child SA of our rekeys */
	struct ike_child	 initiated;	/* last one of the peer's */
	int			 n_create;	/* new Child SAs answered */
	/* Every Child SA up (a rekey replaces its entry), in the order
	 * made; |child| is the last one handled. */
	struct ike_child	 kids[4];
	int			 nkids;

	/* The peer's own CREATE_CHILD_SA in flight (0: none, 1: Child SA,
	 * 2: IKE SA), and the error notify of the last answer to it. */
	int			 pend;
	uint32_t		 pend_id, pend_old_spi, pend_spi;
	uint64_t		 pend_ike_spi;
	uint8_t			 pend_ni[32];
	struct crypto_kex	*pend_kex;
	uint16_t		 got_notify, got_group;
	/* IKE rekeys: the SA replaced, kept for its Delete. */
	bool			 orig_init;
	bool			 old_active;
	struct peer_ike		 old;
	int			 n_rekey_ike;
	/* §2.8.2: the initiator's IKE rekey answered while the peer's own
	 * was in flight (|coll|, its SA in |cand|, not in use yet); once
	 * both ended, the redundant SA (|red|) and which one it was:
	 * |red_ours| the peer's own (it deletes it), else the initiator's. */
	bool			 coll;
	struct peer_ike		 cand;
	struct crypto_ike_keys	 cand_keys;
	uint16_t		 cand_alg[4];
	uint8_t			 cand_low[256];
	size_t			 cand_low_len;
	bool			 red_active, red_ours;
	struct peer_ike		 red;
	uint8_t			 last_ni[256];	/* the initiator's rekey Ni */
	size_t			 last_ni_len;

	/* EAP. */
	struct crypto_mschap	*mschap;
	uint8_t			 auth_chal[16], peer_chal[16], nt[24];
	uint8_t			 msk[64];
	char			 eap_name[64];
	bool			 eap_fail_acked; /* MS-CHAPv2 Failure Response */
	uint8_t			 idi[4 + 255];		/* IDi' */
	size_t			 idi_len;
	uint8_t			 first_raw[PEER_BUF];	/* first IKE_AUTH */
	size_t			 first_len;
	struct ike_msg		 first;

	/* EAP of peer_eap.c. */
	struct tls_srv		*tls;
	uint8_t			 tls_rx[65536], tls_tx[65536];
	size_t			 tls_rx_len, tls_tx_len, tls_tx_off;
	int			 tls_frags_in, tls_frags_out, tls_acks;
	bool			 msk_set;
	bool			 saw_eap_only;	/* N(EAP_ONLY_AUTHENTICATION) */
	uint8_t			 nak_type;	/* what a Nak asked for */
	int			 n_nak;
	uint8_t			 eap_id;
	char			 gtc_answer[256];

	/* Keys of the peer's certificate authentication. */
	struct crypto_pkey	*gw_key;
	struct crypto_cert	*gw_cert;

	/* Output. */
	uint8_t			 out[PEER_OUT_MAX][PEER_BUF];
	size_t			 out_len[PEER_OUT_MAX];
	int			 nout;

	/* Scratch. */
	uint8_t			 chain[PEER_BUF];	/* an inner chain */
	struct ike_msg		 m;
	uint8_t			 rx_buf[65536];
	uint8_t			 plain[65536];
};

/* Shared between peer.c and peer_eap.c. */
void	peer_add_id_auth(struct peer *p, struct ike_msg_wr *mw, bool id,
	    const uint8_t *secret, size_t slen);
void	peer_eap_send(struct peer *p, const struct ike_msg *m,
	    const uint8_t *eap, size_t len, bool first);
void	peer_eap_challenge(struct peer *p, const struct ike_msg *m);
void	peer_eap_success(struct peer *p, const struct ike_msg *m);
bool	peer_verify_auth(struct peer *p, const struct ike_msg *m,
	    const uint8_t *secret, size_t slen);
/* EAP beyond the MSCHAPv2 script: 0 when it answered with EAP, 1 for
 * the last IKE_AUTH (AUTH checked into |auth_ok|: answer it). */
int	peer_eap_ext(struct peer *p, const struct ike_msg *m);

/* A peer with |o|; |psk| is the shared secret (both ends by default). */
struct peer	*peer_new(const struct peer_opts *o, const char *psk);
void		 peer_free(struct peer *p);
/* A CertBundle (RFC 7296 §3.6) holding |cert| and, with |crl|, an empty
 * CertificateList after it; its length (asserts it fits |cap|). */
size_t		 peer_cert_bundle(const uint8_t *cert, size_t len, bool crl,
		    uint8_t *out, size_t cap);

/*
 * One message from the initiator.  A request is answered into out[];
 * a response to the peer's own request is parsed into |m| (decrypted).
 * Returns 0, or the codec's error for what the peer could not read.
 */
int		 peer_input(struct peer *p, const uint8_t *msg, size_t len);

/* The peer's own INFORMATIONAL requests, into out[0]. */
enum peer_info {
	PEER_INFO_EMPTY,
	PEER_INFO_DELETE_IKE,
	PEER_INFO_DELETE_CHILD,
	PEER_INFO_UNKNOWN_NOTIFY,
	PEER_INFO_DELETE_OLD_CHILD,	/* D(ESP, rekeyed_spi) */
	PEER_INFO_DELETE_OLD_IKE,	/* D(IKE) on the SA a rekey replaced */
	PEER_INFO_DELETE_RED_IKE,	/* D(IKE) on §2.8.2's redundant SA */
	PEER_INFO_UPDATE,		/* N(UPD_SA_ADDR) NAT-D COOKIE2 */
	PEER_INFO_COOKIE2,		/* N(COOKIE2) alone, 8 octets */
	PEER_INFO_ADDRS,		/* 2 x ADD_4_ADDR, 1 x ADD_6_ADDR */
	PEER_INFO_NO_ADDRS,		/* N(NO_ADDITIONAL_ADDRESSES) */
	PEER_INFO_MANY_ADDRS,		/* 10 x ADD_4_ADDR */
	PEER_INFO_BAD_COOKIE2,		/* COOKIE2 of 7 octets */
	PEER_INFO_BAD_ADDR4,		/* ADD_4_ADDR of 5 octets */
	PEER_INFO_BAD_ADDR6,		/* ADD_6_ADDR of 4 octets */
	PEER_INFO_REDIRECT,		/* N(REDIRECT), RFC 5685 §6 */
	PEER_INFO_BAD_REDIRECT,		/* N(REDIRECT), IPv4 of 3 octets */
	PEER_INFO_AUTH_LIFETIME,	/* N(AUTH_LIFETIME), RFC 4478 */
	PEER_INFO_BAD_AUTH_LIFETIME,	/* N(AUTH_LIFETIME) of 3 octets */
};
/* NAT-D hash of |addr|:|port| (IPv4) on the peer's SPIs. */
void		 peer_natd_hash(struct peer *p, const uint8_t *addr,
		    uint16_t port, uint8_t out[20]);
int		 peer_info(struct peer *p, enum peer_info what);
/*
 * A request of exchange |exch| whose inner chain is the |len| octets at
 * |chain| as they are (first payload |first_type|), sealed under the
 * peer's keys with its next message ID: for requests the engine cannot
 * handle (bad chains, unknown critical payloads, unknown exchanges).
 */
int		 peer_request_raw(struct peer *p, uint8_t exch,
		    uint8_t first_type, const uint8_t *chain, size_t len);
/* D(ESP, |spi|): one of the peer's inbound SPIs. */
int		 peer_delete_esp(struct peer *p, uint32_t spi);
/*
 * The gateway's own rekeys, into out[0]; the answer (peer_input) then
 * finishes them: keys, SPIs, and for the IKE SA the switch to the new SA
 * (the peer becomes its original initiator; D(IKE) of the old one with
 * PEER_INFO_DELETE_OLD_IKE).
 *   Child SA: N(REKEY_SA), SA, Ni, [KEi of |ke_group|], TSi, TSr; the
 *   proposal names |ke_group| and |also_group| (0: none).
 *   IKE SA:   SA (the current algorithms, new SPI), Ni, KEi.
 */
int		 peer_rekey_child(struct peer *p, uint16_t ke_group,
		    uint16_t also_group);
int		 peer_rekey_ike(struct peer *p);

#endif
