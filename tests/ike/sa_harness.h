/*
 * tests/ike/sa_harness.h: drives one engine SA against the scripted
 * peer (peer.h) with a fake clock and the deterministic random callback
 * of check_util.h; records everything the callbacks report.
 */
#ifndef IKE_TEST_SA_HARNESS_H
#define IKE_TEST_SA_HARNESS_H

#include "ike/ike.h"
#include "tests/ike/peer.h"

#define H_SENT_MAX	64
#define H_UPS_MAX	8

struct harness {
	struct ike_conf		 conf;
	struct ike_path		 path;
	struct ike_sa		*sa;
	struct peer		*peer;
	struct peer_opts	 popts;
	uint64_t		 now;

	/* What the engine sent, in order; |fed| = handed to the peer. */
	uint8_t			*sent[H_SENT_MAX];
	size_t			 sent_len[H_SENT_MAX];
	int			 nsent, fed;

	struct ike_child	 child;		/* the last child_up() */
	int			 nchild_up;
	struct ike_child	 ups[H_UPS_MAX];	/* the first ones */
	struct ike_cfg_reply	 cfg;
	int			 ncfg;
	struct ike_close_info	 close;
	int			 nclosed;
	uint32_t		 down_spi;
	int			 ndown;
	bool			 nat_called, nat_local, nat_remote;
	int			 nmoved;		/* moved() calls */
	bool			 moved_local, moved_remote;
	struct ike_gw_id	 redirect;	/* the last redirect() */
	int			 nredirect;
	uint32_t		 auth_lifetime;	/* the last auth_lifetime() */
	int			 nauth_lifetime;
	int			 auth_lifetime_ups;	/* nchild_up then */
	char			*log;		/* every line, '\n'-separated */
	size_t			 log_len;

	/* eap_prompt(): what the gateway asked, and the answer (NULL:
	 * refuse). */
	char			 prompt_seen[256];
	int			 nprompt;
	const char		*prompt_answer;

	/* peer_cert(): its answer (0, IR_ERR_PENDING, or a refusal with
	 * |peer_cert_why|), another for the EAP-TLS certificate when not
	 * 0; what the calls saw. */
	int			 peer_cert_verdict, peer_cert_eap_verdict;
	const char		*peer_cert_why;
	int			 npeer_cert;
	uint8_t			 peer_chain_len[4];
	bool			 peer_eap_tls[4];
	bool			 peer_chain_ok[4];	/* leaf/issuer agree */
	uint8_t			 peer_n_ocsp[4];	/* RFC 4806 responses */
	uint8_t			 peer_ocsp0[2048];	/* the first, as given */
	size_t			 peer_ocsp0_len;

	/* cert_fetch(): set when |fetch_on| (else the callback is NULL);
	 * the URLs asked for, and what it returns. */
	bool			 fetch_on;
	int			 nfetch;
	char			 fetch_url[4][256];
	int			 fetch_rv;

	/* Borrowed objects for certificate and EAP configurations. */
	struct crypto_pkey	*key;
	struct crypto_cert	*cert;
	struct crypto_trust	*trust;
};

extern struct harness H;

#define H_PSK	"correct horse battery staple"

/* PSK, default algorithms, 192.0.2.2:500 -> 198.51.100.10:500. */
void	h_init(void);
/* Certificate authentication with client-rsa3072 and root-ca. */
void	h_init_cert(void);
/* EAP-MSCHAPv2 as alice / alice-password, root-ca. */
void	h_init_eap(void);
/* EAP-TLS with client-rsa3072 (alice@vpn.test) against the peer's
 * TLS server (gw-rsa2048), root-ca. */
void	h_init_eap_tls(void);
/* ike_sa_new() + the peer; ike_sa_start(). */
void	h_start(void);
/* h_start(), h_run(): the SA is ESTABLISHED, nothing closed. */
void	h_established(void);
/* Feed everything sent to the peer and its answers back, until quiet. */
void	h_run(void);
/* The peer's current out[] into the engine; the last return value. */
int	h_peer_to_sa(void);
/* The engine's message |i| to the peer. */
int	h_to_peer(int i);
bool	h_logged(const char *s);
/* Forget what was sent so far (long runs: indices restart at 0). */
void	h_clear_sent(void);
void	h_free(void);

#endif
