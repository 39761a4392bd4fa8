/*
 * src/certfetch.h: the gateway's certificate fetched from the URL of a
 * "Hash and URL of X.509 certificate" CERT payload (RFC 7296 §3.6,
 * encoding 12).  The engine hands out the URL (its cert_fetch()
 * callback) and checks the SHA-1 hash of what comes back before it uses
 * it (ike_sa_cert_fetched()); this file only downloads: http:// only, as
 * §3.6 says, no redirects, CERTFETCH_MS and CERTFETCH_MAX, on libuv's
 * thread pool, the answer on the loop thread.
 */
#ifndef IR_SRC_CERTFETCH_H
#define IR_SRC_CERTFETCH_H

#include <stddef.h>
#include <stdint.h>

struct uv_loop_s;

#define CERTFETCH_MS	5000
#define CERTFETCH_MAX	8192	/* one DER certificate: IKE_FETCH_CERT_MAX */

/* |status| 0 with |der|/|len| (borrowed for the call), or IR_ERR_TIMEOUT
 * with one line in |why|. */
typedef void (*certfetch_done_cb)(void *arg, unsigned idx, int status,
    const uint8_t *der, size_t len, const char *why);

struct certfetch_job;

/* Start fetching |url| (copied).  |done| runs later on the loop thread
 * unless certfetch_cancel() came first.  0, or IR_ERR_NOMEM / a libuv
 * code. */
int	certfetch_start(struct uv_loop_s *loop, unsigned idx, const char *url,
	    certfetch_done_cb done, void *arg, struct certfetch_job **out);
void	certfetch_cancel(struct certfetch_job *j);

#endif
