/*
 * ike/ike.h: the IKEv2 initiator engine of ikeroam, sans-I/O.
 *
 * The engine negotiates one IKE SA and its Child SAs with a gateway
 * (RFC 7296).  It never touches a socket, the clock or libuv, and never
 * calls a random number generator itself: everything arrives as
 * arguments, everything leaves through |struct ike_callbacks|.
 *
 * The contract:
 *  1. ike_sa_new() copies |conf| (secrets included; they are wiped in
 *     ike_sa_free()) and |cb|.  Pointers inside |conf| marked "borrowed"
 *     must outlive the SA.
 *  2. |now_ms| is a monotonic time in milliseconds (src/ passes uv_now()).
 *     The SA has one deadline (retransmission, liveness, rekey, or
 *     give-up, whichever is earliest): ike_sa_deadline().  When it is
 *     reached, call ike_sa_expire().
 *  3. Output happens only through the callbacks, during the engine call
 *     that caused it.
 *  4. No re-entry: a callback never calls ike_sa_*() on the same SA.
 *  5. Every function returns 0 or a negative IR_ERR_* code.  Non-fatal
 *     codes (ir_err_is_fatal() false: MALFORMED, UNEXPECTED, DECRYPT, ...)
 *     mean that the input was dropped and counted.  A fatal code means the
 *     SA is dead: |closed| has been called with the reason.
 *  6. The engine knows its transport (struct ike_path).  Over TCP
 *     (RFC 9329) it does not retransmit on a live connection and does not
 *     fragment.
 *
 * Typical use (src/conn.c):
 *	ike_sa_new(&sa, &conf, &cb, conn, now);
 *	ike_sa_start(sa, now);                 -> send_msg(IKE_SA_INIT)
 *	ike_sa_input(sa, datagram, len, now);  -> send_msg(IKE_AUTH) ...
 *	                                       -> child_up(), config()
 *	ike_sa_shutdown(sa, now);              -> send_msg(INFORMATIONAL{D})
 *	                                       -> closed()
 */
#ifndef IR_IKE_H
#define IR_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

struct ike_sa;				/* opaque */
struct crypto_pkey;			/* crypto/crypto_sig.h */
struct crypto_cert;
struct crypto_trust;

/* ---- Configuration ------------------------------------------------- */

#define IKE_ALGS_MAX		12
#define IKE_ID_MAX		255
#define IKE_TS_MAX		16
#define IKE_CFG_DNS_MAX		4
#define IKE_CFG_SUBNET_MAX	32
#define IKE_CFG_DOMAIN_MAX	8
#define IKE_CFG_DOMAIN_LEN	128
#define IKE_PSK_MAX		256
#define IKE_PASSWORD_MAX	256
#define IKE_CERT_CHAIN_MAX	4	/* intermediates we send */

/*
 * Algorithms offered, in preference order, as IANA transform IDs.  The
 * engine builds at most two proposals from them: one with the AEAD
 * ciphers (no integrity transform) and one with the others plus |integ|.
 */
struct ike_algs {
	struct {
		uint16_t id;		/* enum crypto_encr_id */
		uint16_t key_bits;	/* 0 for ChaCha20-Poly1305 */
	}		encr[IKE_ALGS_MAX];
	uint16_t	integ[IKE_ALGS_MAX];	/* enum crypto_integ_id */
	uint16_t	prf[IKE_ALGS_MAX];	/* IKE only */
	uint16_t	dh[IKE_ALGS_MAX];	/* IKE; for ESP: PFS on rekey */
	uint8_t		n_encr, n_integ, n_prf, n_dh;
	bool		esn;		/* ESP: offer ESN before no-ESN */
};

/* An IKE identity (RFC 7296 §3.5): ID type and its data as sent. */
struct ike_id {
	uint8_t		type;		/* 1 IPv4, 2 FQDN, 3 RFC822, 5 IPv6,
					   9 DER_ASN1_DN, 11 KEY_ID */
	uint16_t	len;
	uint8_t		data[IKE_ID_MAX];
};

/*
 * A gateway's identity in REDIRECT and REDIRECTED_FROM (RFC 5685 §10):
 * an address (4 or 16 octets, network order) or an FQDN (no dot at the
 * end, not NUL-terminated).
 */
#define IKE_GW_ID_MAX		255
struct ike_gw_id {
	uint8_t		type;		/* 1 IPv4, 2 IPv6, 3 FQDN (IKE_GWID_*
					   of ike_names.h); 0: none */
	uint8_t		len;
	uint8_t		data[IKE_GW_ID_MAX];
};

/* A traffic selector (RFC 7296 §3.13.1); addresses in network order. */
struct ike_ts {
	uint8_t		type;		/* 7 TS_IPV4_ADDR_RANGE, 8 TS_IPV6 */
	uint8_t		proto;		/* 0: any */
	uint16_t	port_lo, port_hi;
	uint8_t		start[16], end[16];	/* 4 or 16 octets used */
};

enum ike_childless {
	IKE_CHILDLESS_NEVER = 0,	/* no announcement, Child SA in AUTH */
	/* Childless when the gateway announces it and it pays: the ESP
	 * proposals name a group, so the first Child SA gets its own key
	 * exchange (PFS), which one made in IKE_AUTH cannot have (§1.2);
	 * it costs a round trip. */
	IKE_CHILDLESS_AUTO = 1,
	IKE_CHILDLESS_FORCE = 2,	/* always; fails (IR_ERR_NO_PROPOSAL) with
					   a gateway that did not announce it */
};

enum ike_auth_kind {
	IKE_CONF_AUTH_PSK = 1,		/* RFC 7296 §2.15 */
	IKE_CONF_AUTH_CERT = 2,		/* RSA, ECDSA, Ed25519; RFC 7427 */
	IKE_CONF_AUTH_EAP = 3,		/* RFC 7296 §2.16, |eap_method| */
};

/* EAP methods we run as the peer (RFC 3748 §5, IANA EAP types). */
enum ike_eap_method {
	IKE_EAP_GTC = 6,		/* RFC 3748 §5.6; no MSK */
	IKE_EAP_TLS = 13,		/* RFC 5216, RFC 9190 */
	IKE_EAP_MSCHAPV2 = 26,		/* RFC 2759 */
};

struct ike_conf {
	struct ike_algs	 ike;		/* IKE SA proposals */
	struct ike_algs	 esp;		/* Child SA proposals */

	struct ike_id	 local_id;
	struct ike_id	 remote_id;	/* type 0: accept any the cert proves */
	bool		 send_idr;	/* also send remote_id as IDr (a hint
					   for gateways with several IDs) */

	int		 auth;		/* enum ike_auth_kind */
	uint8_t		 psk[IKE_PSK_MAX];	/* secret: copied, wiped */
	size_t		 psk_len;
	uint8_t		 eap_method;	/* enum ike_eap_method; 0: MSCHAPv2 */
	/*
	 * RFC 5998: announce EAP_ONLY_AUTHENTICATION and accept a gateway
	 * that sends no AUTH in its first answer, proven instead by the
	 * EAP method: only EAP-TLS and EAP-MSCHAPv2 (mutual, with an MSK).
	 */
	bool		 eap_only;
	uint16_t	 eap_tls_max_version;	/* 0x0303, 0x0304; 0: 1.3 */
	char		 eap_identity[IKE_ID_MAX + 1];
	/* MSCHAPv2 password, or the GTC response; an empty GTC response
	 * is asked for through eap_prompt() when the request comes. */
	char		 eap_password[IKE_PASSWORD_MAX];	/* secret */
	/* Borrowed, must outlive the SA: */
	const struct crypto_pkey	*key;	/* IKE_CONF_AUTH_CERT, EAP-TLS */
	const struct crypto_cert	*cert;	/* our certificate */
	/* Intermediate CAs sent after it, each in its own CERT payload
	 * (RFC 7296 §3.6), nearest to our certificate first. */
	const struct crypto_cert	*cert_chain[IKE_CERT_CHAIN_MAX];
	uint8_t				 n_cert_chain;
	const struct crypto_trust	*trust;	/* verifies the gateway */
	/*
	 * RFC 4806 §3: ask the gateway for OCSP responses about its path
	 * with a second CERTREQ, encoding 14 (OCSP Content), listing the
	 * same trust anchor keys as the X.509 one.  Set when the caller
	 * checks revocation (its peer_cert() then gets the responses).
	 */
	bool				 ocsp_certreq;

	/* Configuration payload: what to ask for (RFC 7296 §3.15). */
	bool		 want_ip4, want_ip6;
	/* Traffic selectors we propose; none: 0.0.0.0/0 and ::/0.  Remote
	 * ones the gateway's answer leaves out are asked for again in
	 * further Child SAs (at most 4 in all). */
	struct ike_ts	 ts_local[IKE_TS_MAX], ts_remote[IKE_TS_MAX];
	uint8_t		 n_ts_local, n_ts_remote;

	/*
	 * RFC 7296 §2.23: send a NAT_DETECTION_SOURCE_IP that cannot match,
	 * so the gateway encapsulates ESP in UDP even without a NAT.  A
	 * userspace ESP engine has no other way to receive ESP.
	 */
	bool		 force_encap;
	bool		 mobike;	/* announce MOBIKE_SUPPORTED (RFC 4555) */
	bool		 fragmentation;	/* RFC 7383 */
	uint16_t	 fragment_mtu;	/* IP MTU for fragments; 0: 1280 */
	/*
	 * RFC 5685: announce N(REDIRECT_SUPPORTED) in IKE_SA_INIT, or, when
	 * |redirected_from| is set (this SA follows a redirect), send
	 * N(REDIRECTED_FROM) with the redirecting gateway's address in its
	 * place (§4.2, §5).
	 */
	bool		 redirect;
	struct ike_gw_id redirected_from;
	/*
	 * RFC 6023, childless IKE SAs: enum ike_childless.  Unless NEVER we
	 * announce N(CHILDLESS_IKEV2_SUPPORTED) in IKE_SA_INIT; when the
	 * gateway announces it too, IKE_AUTH may carry no SA, TSi, TSr and
	 * the first Child SA is made by CREATE_CHILD_SA right after, with
	 * its own key exchange when |esp| names groups (PFS).
	 */
	uint8_t		 childless;

	/* Timers, all in milliseconds; 0 takes the default in brackets. */
	uint32_t	 retx_base_ms;	/* first retransmission [1000] */
	uint32_t	 retx_max_ms;	/* back-off cap [8000] */
	uint32_t	 giveup_ms;	/* no answer at all: fail [30000] */
	uint32_t	 half_open_notify_ms;	/* §2.21 wait [5000] */
	uint32_t	 dpd_ms;	/* liveness when idle [30000]; UINT32_MAX off */
	uint32_t	 ike_rekey_ms;	/* [4 h], less up to a tenth drawn
					   from |random| (RFC 7296 §2.8) */
	uint32_t	 child_rekey_ms;	/* [1 h] */
};

/* The transport the IKE SA uses now (RFC 9329 vs RFC 7296 over UDP). */
struct ike_path {
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 local_addr[16], remote_addr[16];
	uint16_t	 local_port, remote_port;
	bool		 tcp;		/* RFC 9329 stream */
};

/* ---- What the engine reports ------------------------------------- */

/* One more address of the gateway (RFC 4555 §3.4), network order. */
#define IKE_PEER_ADDR_MAX	8
struct ike_addr {
	uint8_t		 family;	/* 4 or 6 */
	uint8_t		 addr[16];	/* 4 or 16 octets used */
};

/* A Child SA, both directions.  Keys are secrets: copy and wipe. */
struct ike_child {
	uint32_t	 spi_in, spi_out;	/* host order */
	uint16_t	 encr, encr_key_bits, integ;
	bool		 esn;
	size_t		 encr_key_len;		/* salt included */
	size_t		 integ_key_len;
	uint8_t		 encr_key_in[CRYPTO_ENCR_KEY_MAX];
	uint8_t		 encr_key_out[CRYPTO_ENCR_KEY_MAX];
	uint8_t		 integ_key_in[CRYPTO_INTEG_KEY_MAX];
	uint8_t		 integ_key_out[CRYPTO_INTEG_KEY_MAX];
	struct ike_ts	 ts_local[IKE_TS_MAX], ts_remote[IKE_TS_MAX];
	uint8_t		 n_ts_local, n_ts_remote;
	uint32_t	 replaces_spi_in;	/* rekey: old SA, 0 if none */
};

/* What the gateway assigned (CFG_REPLY, RFC 7296 §3.15, RFC 8598). */
struct ike_cfg_reply {
	bool		 has_ip4, has_ip6;
	uint8_t		 ip4[4], ip4_prefix;	/* prefix 32 without netmask */
	uint8_t		 ip6[16], ip6_prefix;
	uint8_t		 dns4[IKE_CFG_DNS_MAX][4];
	uint8_t		 dns6[IKE_CFG_DNS_MAX][16];
	uint8_t		 n_dns4, n_dns6;
	struct {
		uint8_t	 addr[16], prefix;
		uint8_t	 family;		/* 4 or 6 */
	}		 subnets[IKE_CFG_SUBNET_MAX];	/* split include */
	uint8_t		 n_subnets;
	char		 domains[IKE_CFG_DOMAIN_MAX][IKE_CFG_DOMAIN_LEN];
	uint8_t		 n_domains;		/* INTERNAL_DNS_DOMAIN */
};

/* Why the SA ended, for the one line the user sees. */
struct ike_close_info {
	int		 reason;	/* IR_ERR_*; IR_ERR_CLOSED: clean */
	uint16_t	 notify;	/* peer's error notify type, 0 if none */
	char		 detail[256];	/* one line, no secrets */
	/* IR_ERR_REDIRECT: where to start over (RFC 5685 §4, §5). */
	struct ike_gw_id redirect;
};

/*
 * The gateway's certificate once its path and its AUTH signature have
 * verified, for the caller's revocation check (RFC 5280 §6.3, RFC 6960).
 * Views borrowed for the callback.
 */
#define IKE_PEER_OCSP_MAX	4
#define IKE_PEER_CHAIN_MAX	9	/* leaf, 7 intermediates, anchor */
struct ike_peer_cert {
	const uint8_t	*leaf, *issuer;	/* DER; issuer_len 0: the leaf is
					   itself a trust anchor */
	size_t		 leaf_len, issuer_len;
	/* The whole verified path, leaf first, trust anchor last (so
	 * chain[0] is |leaf| and chain[1] |issuer|): every certificate
	 * but the anchor is checked, each against the next. */
	struct crypto_iov chain[IKE_PEER_CHAIN_MAX];
	uint8_t		 n_chain;
	/* The certificate came inside EAP-TLS (RFC 5216), not in a CERT
	 * payload: the TLS server certificate of the gateway. */
	bool		 eap_tls;
	/* OCSP responses the gateway sent as CERT payloads of encoding 14
	 * (RFC 4806), not yet checked. */
	struct crypto_iov ocsp[IKE_PEER_OCSP_MAX];
	uint8_t		 n_ocsp;
	char		 why[200];	/* out: the reason of a refusal */
};

struct ike_callbacks {
	/* Send one IKE message on the current path (src/ adds the UDP
	 * non-ESP marker or the RFC 9329 frame).  |msg| is borrowed. */
	int	(*send_msg)(void *ud, const uint8_t *msg, size_t len);
	/* NAT detection done after IKE_SA_INIT (§2.23): from now on use
	 * port 4500 with the non-ESP marker (always when force_encap). */
	void	(*nat)(void *ud, bool local_behind_nat, bool remote_behind_nat);
	/* A Child SA is up (or rekeyed: |replaces_spi_in|).  Borrowed.
	 * Several may be up at once, each for its own selectors, when the
	 * gateway narrowed ts_remote (RFC 7296 §2.9) and the engine asked
	 * for the rest: a packet goes into the newest whose selectors
	 * cover it.  When the gateway deletes a live one (child_down())
	 * the engine makes a new one for the same selectors: child_up()
	 * again, |replaces_spi_in| 0. */
	int	(*child_up)(void *ud, const struct ike_child *child);
	void	(*child_down)(void *ud, uint32_t spi_in, int reason);
	/* The CFG_REPLY, once, before the first child_up. */
	void	(*config)(void *ud, const struct ike_cfg_reply *cfg);
	/* The SA ended.  Free it only after the engine call returns. */
	void	(*closed)(void *ud, const struct ike_close_info *info);
	void	(*log)(void *ud, int level, const char *line);
	/* All randomness: SPIs, nonces, IVs, KE private keys. */
	void	(*random)(void *ud, uint8_t *buf, size_t len);
	/*
	 * Optional (NULL: not told).  The gateway confirmed a move of
	 * ike_sa_move() (or the MOBIKE update of ike_sa_path_changed()):
	 * its answer came back on the new path, COOKIE2 echoed, NAT
	 * detection redone on that path when MOBIKE was used (otherwise the
	 * values of the last detection).  Use port 4500 and UDP-encapsulated
	 * ESP when |local_behind_nat| or force_encap.
	 */
	void	(*moved)(void *ud, bool local_behind_nat,
		    bool remote_behind_nat);
	/*
	 * Optional (NULL: accepted).  May the gateway's certificate be
	 * used?  0: yes, go on now; IR_ERR_PENDING: the caller answers
	 * later with ike_sa_peer_cert_done() (the engine ignores input
	 * meanwhile); another code: refused, with a line in |pc->why|.
	 */
	int	(*peer_cert)(void *ud, struct ike_peer_cert *pc);
	/*
	 * Optional.  EAP-GTC (RFC 3748 §5.6) without a configured response:
	 * show the gateway's |prompt| (printable text, maybe empty) to the
	 * user and put the answer, NUL-terminated, into |buf|.  0, or
	 * negative (the SA fails with IR_ERR_AUTH).  May block.
	 */
	int	(*eap_prompt)(void *ud, const char *prompt, char *buf,
		    size_t cap);
	/*
	 * Optional (NULL: the redirect is logged and ignored).  The gateway
	 * asked, in an INFORMATIONAL of the established SA, that we move to
	 * |to| (RFC 5685 §6); the request is already answered.  Build the
	 * new SA there (conf.redirected_from set), then ike_sa_shutdown()
	 * this one.  A REDIRECT in IKE_SA_INIT or IKE_AUTH ends the SA
	 * instead: closed() with IR_ERR_REDIRECT and ike_close_info.redirect.
	 */
	void	(*redirect)(void *ud, const struct ike_gw_id *to);
	/*
	 * Optional (NULL: logged only).  RFC 4478: the gateway will end the
	 * IKE SA |seconds| from now unless we reauthenticate (a new IKE SA
	 * from scratch, RFC 7296 §2.8.3) before then.  From the IKE_AUTH
	 * answer (after child_up) or an INFORMATIONAL; each replaces the
	 * last.
	 */
	void	(*auth_lifetime)(void *ud, uint32_t seconds);
	/*
	 * Optional (NULL: HTTP_CERT_LOOKUP_SUPPORTED is not announced and
	 * hash-and-URL certificates are refused).  The gateway sent its
	 * certificate number |idx| (0..IKE_FETCH_MAX-1) as "Hash and URL of
	 * X.509 certificate" or "of X.509 bundle" (RFC 7296 §3.6, encodings
	 * 12 and 13): fetch |url| (an http:// URL of printable ASCII,
	 * NUL-terminated, borrowed) and answer with ike_sa_cert_fetched(),
	 * never from inside this call.
	 * 0: started (the engine ignores input meanwhile); another code:
	 * the SA fails.
	 */
	int	(*cert_fetch)(void *ud, unsigned idx, const char *url);
};

#define IKE_FETCH_MAX		4	/* hash-and-URL certificates */
#define IKE_FETCH_CERT_MAX	8192	/* octets of each */

/* ---- The engine ------------------------------------------------------ */

int	 ike_sa_new(struct ike_sa **out, const struct ike_conf *conf,
	    const struct ike_path *path, const struct ike_callbacks *cb,
	    void *ud, uint64_t now_ms);
void	 ike_sa_free(struct ike_sa *sa);

/* Send IKE_SA_INIT. */
int	 ike_sa_start(struct ike_sa *sa, uint64_t now_ms);

/*
 * The answer to a peer_cert() callback that returned IR_ERR_PENDING:
 * |verdict| 0 goes on with the IKE_AUTH answer, anything else closes the
 * SA (IR_ERR_CERT, with |why| as its line).  IR_ERR_UNEXPECTED when no
 * answer was awaited.
 */
int	 ike_sa_peer_cert_done(struct ike_sa *sa, int verdict, const char *why,
	    uint64_t now_ms);

/*
 * The answer to cert_fetch(|idx|): |status| 0 with the certificate's DER
 * (copied; its SHA-1 must be the hash the gateway sent, §3.6, else the
 * SA fails), or a failed fetch (the SA fails with IR_ERR_CERT and
 * |why|).  Once every certificate is in, the IKE_AUTH answer goes on.
 * IR_ERR_UNEXPECTED when no such answer was awaited.
 */
int	 ike_sa_cert_fetched(struct ike_sa *sa, unsigned idx, int status,
	    const uint8_t *der, size_t len, const char *why, uint64_t now_ms);

/* One received IKE message, without the non-ESP marker or TCP frame. */
int	 ike_sa_input(struct ike_sa *sa, const uint8_t *msg, size_t len,
	    uint64_t now_ms);

/* The earliest time ike_sa_expire() must run; UINT64_MAX: none. */
uint64_t ike_sa_deadline(const struct ike_sa *sa);
int	 ike_sa_expire(struct ike_sa *sa, uint64_t now_ms);

/* Authenticated traffic arrived (ESP decrypted): postpones liveness. */
void	 ike_sa_traffic_seen(struct ike_sa *sa, uint64_t now_ms);

/*
 * The path changed: new local address, UDP -> TCP, a re-opened TCP
 * connection (RFC 9329 §6.1: re-send outstanding requests, or an
 * INFORMATIONAL / UPDATE_SA_ADDRESSES so the gateway moves the SA).
 */
int	 ike_sa_path_changed(struct ike_sa *sa, const struct ike_path *path,
	    uint64_t now_ms);

/*
 * The client moved (new source address or port, or interface; same
 * transport kind): tell the gateway.  |path| is copied.
 *   With MOBIKE negotiated, over UDP: INFORMATIONAL { N(UPDATE_SA_ADDRESSES),
 *   N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP),
 *   N(COOKIE2) } (RFC 4555 §3.5, §3.8); force_encap keeps its source hash
 *   that cannot match.  Otherwise (no MOBIKE, or TCP where the new
 *   connection is the news, RFC 9329 §6.1): an empty INFORMATIONAL from
 *   the new address (RFC 7296 §2.23).
 * A request already in flight is first sent again on the new path
 * (window 1, RFC 7296 §2.3; it keeps its message ID), and the update
 * follows when it is answered, with a fresh budget.  Before the SA is
 * established only the request in flight is sent again; the update
 * follows once the SA is up.
 * Retransmission is fast: the first send at once, then after 1/8 of
 * |budget_ms| (at most 500 ms), then doubling the time elapsed, each
 * gap at most |budget_ms| / 4 (4 s budget: 0, 0.5, 1, 2, 3 s).  Over
 * TCP nothing is sent twice on a live connection (RFC 9329 §2.2).
 * Nothing answered within |budget_ms| (0: giveup_ms): the SA fails with
 * IR_ERR_TIMEOUT "no answer on the new path within N s".
 * The gateway's answer ends the move: moved() is called.  An answer
 * with N(UNACCEPTABLE_ADDRESSES), N(UNEXPECTED_NAT_DETECTED) or
 * N(NO_NATS_ALLOWED) (RFC 4555 §3.5, §3.9) ends the SA with
 * IR_ERR_CLOSED and that notify in ike_close_info: start a new session.
 * An answer without our COOKIE2 is ignored (counted and logged as a
 * forgery, §3.8) and retransmission goes on.
 * Returns 0, IR_ERR_UNEXPECTED on a closed SA, or a fatal code.
 */
int	 ike_sa_move(struct ike_sa *sa, const struct ike_path *path,
	    uint32_t budget_ms, uint64_t now_ms);

/*
 * Is the gateway still there?  Sends an empty INFORMATIONAL now, or,
 * when a request is in flight, sends that again now (over TCP: not
 * again, only the budget applies).  Retransmits fast as ike_sa_move()
 * and fails the SA with IR_ERR_TIMEOUT "lost the gateway: no answer to
 * liveness checks for N s" when nothing answers within |budget_ms|
 * (0: giveup_ms).  Any answer to the request in flight ends the check.
 * For: outbound ESP without inbound for a few seconds, an ICMP error,
 * resume from suspend.  During a move it only shortens the move's
 * budget.  The idle check after dpd_ms stays as it is.
 * Returns 0, 0 while DELETING (nothing to do), IR_ERR_UNEXPECTED on a
 * closed SA, or a fatal code.
 */
int	 ike_sa_check_liveness_within(struct ike_sa *sa, uint32_t budget_ms,
	    uint64_t now_ms);

/* Rekey the Child SA whose inbound SPI is |spi_in| (ESP lifetime hit). */
int	 ike_sa_rekey_child(struct ike_sa *sa, uint32_t spi_in, uint64_t now_ms);

/* Send a liveness check now (e.g. after resume from suspend). */
int	 ike_sa_check_liveness(struct ike_sa *sa, uint64_t now_ms);

/*
 * Delete Child and IKE SAs (INFORMATIONAL { D(IKE) }); |closed| follows
 * the answer, or a short wait.  With a request of ours in flight the
 * Delete waits for its answer (window 1, RFC 7296 §2.3), at most 3 s;
 * without one the SA closes with no Delete.  In all at most 6 s.
 */
int	 ike_sa_shutdown(struct ike_sa *sa, uint64_t now_ms);

/* For status output: state name, SPIs, algorithms (one line each). */
const char	*ike_sa_state_name(const struct ike_sa *sa);
bool		 ike_sa_established(const struct ike_sa *sa);

/* Both ends announced MOBIKE_SUPPORTED (RFC 4555 §3.2). */
bool		 ike_sa_peer_mobike(const struct ike_sa *sa);
/* When authenticated input (IKE, or ESP via ike_sa_traffic_seen) last
 * arrived, in |now_ms| time. */
uint64_t	 ike_sa_last_rx(const struct ike_sa *sa);
/*
 * The gateway's additional addresses (RFC 4555 §3.4: ADDITIONAL_IP4_ADDRESS,
 * ADDITIONAL_IP6_ADDRESS from IKE_AUTH or its INFORMATIONALs; each list
 * replaces the last, NO_ADDITIONAL_ADDRESSES empties it), at most
 * IKE_PEER_ADDR_MAX kept.  Copies up to |max| into |out|; returns how
 * many it copied.
 */
unsigned	 ike_sa_peer_addresses(const struct ike_sa *sa,
		    struct ike_addr *out, unsigned max);

#endif
