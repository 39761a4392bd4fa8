/*
 * src/revocation.h: is a certificate of the gateway's path revoked?
 * Every certificate but the trust anchor is checked against its issuer
 * (RFC 5280 §6.3): the gateway's certificate (from a CERT payload or
 * from EAP-TLS) and its intermediate CAs.  The fetching half of
 * revocation: OCSP responses the gateway sent (CERT encoding 14,
 * RFC 4806) first, then a cache, then each certificate's OCSP responders
 * (authorityInfoAccess, RFC 6960 Appendix A POST) and CRL distribution
 * points (RFC 5280 §4.2.1.13) over libcurl, with time and size limits.
 * crypto/crypto_revoke.c parses and checks.
 *
 * The engine asks through its peer_cert() callback and waits (sans
 * I/O); the blocking fetches run on libuv's thread pool (a check with
 * nothing to fetch runs on the loop thread, without starting the pool),
 * and the answer comes back on the loop thread, where the caller hands
 * it to ike_sa_peer_cert_done().
 */
#ifndef IR_SRC_REVOCATION_H
#define IR_SRC_REVOCATION_H

#include "ike/ike.h"

struct uv_loop_s;

enum revocation_policy {
	REVOCATION_IFURI = 0,	/* check where the certificate says; refuse
				   only a revoked one (the default) */
	REVOCATION_STRICT,	/* also refuse when no status was found */
	REVOCATION_OFF,
};

#define REVOCATION_CACHE_DIR	"/var/lib/ikeroam/revocation"
#define REVOCATION_OCSP_MS	5000	/* one OCSP exchange */
#define REVOCATION_CRL_MS	10000	/* one CRL download */
#define REVOCATION_OCSP_MAX	(64 * 1024)
#define REVOCATION_CRL_MAX	(4 * 1024 * 1024)
#define REVOCATION_CERTS_MAX	(IKE_PEER_CHAIN_MAX - 1)	/* checked */

struct priv_client;

struct revocation_conf {
	int		 policy;	/* enum revocation_policy */
	const char	*cache_dir;	/* NULL: REVOCATION_CACHE_DIR */
	/* With privilege separation the cache lives in the privileged
	 * part (PRIV_REVCACHE_*); NULL: this process reads and writes
	 * |cache_dir| itself. */
	struct priv_client *priv;
};

/* |verdict| 0: use the certificate; IR_ERR_CERT: refuse it, |why| says
 * why in one line. */
typedef void (*revocation_done_cb)(void *arg, int verdict, const char *why);

struct revocation_job;

/*
 * Start checking |pc| (copied).  |done| runs later on the loop thread,
 * never from inside this call, unless revocation_cancel() came first.
 * 0, or IR_ERR_NOMEM / a libuv code (nothing started).
 */
int	revocation_start(struct uv_loop_s *loop, const struct revocation_conf *rc,
	    const struct ike_peer_cert *pc, revocation_done_cb done,
	    void *arg, struct revocation_job **out);

/* The owner goes away: |done| will not be called; the job frees itself
 * when its thread is done (or at the next turn of the loop). */
void	revocation_cancel(struct revocation_job *j);

#endif
