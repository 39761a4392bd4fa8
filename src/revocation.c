/*
 * src/revocation.c: the gateway's certificate checked against OCSP and
 * CRLs (see revocation.h).  One job per IKE_AUTH answer: the blocking
 * part (cache files, libcurl) runs on libuv's thread pool and touches
 * nothing but the job; the loop thread logs and answers.
 */
#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <uv.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "crypto/crypto_revoke.h"
#include "src/log.h"
#include "src/revocation.h"
#include "src/safefile.h"

struct revocation_job {
	uv_work_t		 work;
	int			 policy;
	char			 cache_dir[PATH_MAX];
	uint8_t			*leaf, *issuer;
	size_t			 leaf_len, issuer_len;
	uint8_t			*ocsp[IKE_PEER_OCSP_MAX];
	size_t			 ocsp_len[IKE_PEER_OCSP_MAX];
	uint8_t			 n_ocsp;
	revocation_done_cb	 done;
	void			*arg;
	bool			 cancelled;
	/* Results, written by the thread, read after it. */
	int			 verdict;
	char			 why[400];
	char			 trace[1024];
};

static void trace(struct revocation_job *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* A line for the loop thread's log. */
static void
trace(struct revocation_job *j, const char *fmt, ...)
{
	size_t n = strlen(j->trace);
	va_list ap;

	if (n + 2 >= sizeof(j->trace))
		return;
	if (n > 0)
		j->trace[n++] = '\n';
	va_start(ap, fmt);
	vsnprintf(j->trace + n, sizeof(j->trace) - n, fmt, ap);
	va_end(ap);
}

/* ---- fetching (thread pool) -------------------------------------------- */

/* malloc(3) itself: ir_malloc()'s failure injection is not for threads. */
struct body {
	uint8_t		*buf;
	size_t		 len, max;
	bool		 too_big;
};

static size_t
body_write(char *p, size_t size, size_t n, void *ud)
{
	struct body *b = ud;
	size_t len = size * n;
	uint8_t *nb;

	if (len > b->max - b->len) {
		b->too_big = true;
		return 0;			/* curl stops the transfer */
	}
	if ((nb = realloc(b->buf, b->len + len)) == NULL)
		return 0;
	memcpy(nb + b->len, p, len);
	b->buf = nb;
	b->len += len;
	return len;
}

/* GET |uri|, or POST |post| as an OCSP request (RFC 6960 Appendix A.1). */
static int
fetch(const char *uri, const uint8_t *post, size_t post_len, long timeout_ms,
    size_t max, struct body *b, char *err, size_t err_len)
{
	struct curl_slist *hdr = NULL;
	long code = 0;
	CURLcode rc;
	CURL *h;

	memset(b, 0, sizeof(*b));
	b->max = max;
	if ((h = curl_easy_init()) == NULL)
		return IR_ERR_NOMEM;
	curl_easy_setopt(h, CURLOPT_URL, uri);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ikeroam/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	if (post != NULL) {
		hdr = curl_slist_append(NULL,
		    "Content-Type: application/ocsp-request");
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)post_len);
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	if (rc == CURLE_OK && code == 200 && b->len > 0)
		return 0;
	if (b->too_big)
		snprintf(err, err_len, "more than %zu bytes", max);
	else if (rc != CURLE_OK)
		snprintf(err, err_len, "%s", curl_easy_strerror(rc));
	else
		snprintf(err, err_len, "HTTP status %ld", code);
	free(b->buf);
	b->buf = NULL;
	return IR_ERR_TIMEOUT;
}

/* <cache_dir>/<hex SHA-1 of |key|><ext> */
static bool
cache_path(const struct revocation_job *j, const uint8_t *key, size_t len,
    const char *ext, char *out, size_t cap)
{
	struct crypto_iov iov = { key, len };
	uint8_t h[CRYPTO_SHA1_DIGEST_LEN];
	char hex[2 * sizeof(h) + 1];
	size_t i;
	int n;

	if (j->cache_dir[0] == '\0' || crypto_sha1(&iov, 1, h) != 0)
		return false;
	for (i = 0; i < sizeof(h); i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	n = snprintf(out, cap, "%s/%s%s", j->cache_dir, hex, ext);
	return n > 0 && (size_t)n < cap;
}

static void
cache_store(struct revocation_job *j, const char *path, const uint8_t *data,
    size_t len)
{
	char err[300];

	/* Only root's cache is shared; a missing one is made 0700. */
	if (mkdir(j->cache_dir, 0700) != 0 && errno != EEXIST)
		return;
	if (safefile_write(path, 0644, data, len, err, sizeof(err)) != 0)
		trace(j, "revocation cache: %s", err);
}

/* ---- the decision (thread pool) ----------------------------------------- */

/* A conclusive answer from |from|: 1 when decided, 0 to look further. */
static int
decide(struct revocation_job *j, const struct crypto_rev_result *r,
    const char *from)
{
	char when[32] = "?";
	struct tm tm;
	time_t t = (time_t)r->revoked_at;

	switch (r->status) {
	case CRYPTO_REV_GOOD:
		trace(j, "revocation: the gateway's certificate is good "
		    "(%s)", from);
		j->verdict = 0;
		return 1;
	case CRYPTO_REV_REVOKED:
		if (gmtime_r(&t, &tm) != NULL)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		snprintf(j->why, sizeof(j->why), "the gateway's certificate "
		    "is revoked (%s, since %s, by %s): do not use this "
		    "gateway; tell its administrator",
		    crypto_rev_reason_name(r->reason), when, from);
		j->verdict = IR_ERR_CERT;
		return 1;
	default:
		trace(j, "revocation: %s does not know the certificate", from);
		return 0;
	}
}

/* An OCSP response or a CRL from the network or the cache. */
static int
check_answer(struct revocation_job *j, bool ocsp, const uint8_t *p,
    size_t len, struct crypto_rev_result *r)
{
	if (ocsp)
		return crypto_ocsp_check(p, len, j->leaf, j->leaf_len,
		    j->issuer, j->issuer_len, (int64_t)time(NULL), r);
	return crypto_crl_check(p, len, j->leaf, j->leaf_len, j->issuer,
	    j->issuer_len, (int64_t)time(NULL), r);
}

/* One responder or distribution point: the cache, then the network.
 * 1 when decided; 0 to look further, with |*reached| when it answered. */
static int
try_uri(struct revocation_job *j, const char *uri, bool ocsp,
    const uint8_t *req, size_t req_len, bool *reached)
{
	struct crypto_rev_result r;
	struct body b;
	char path[PATH_MAX], err[200], from[CRYPTO_URI_MAX + 32];
	uint8_t *buf;
	size_t len;
	int d;

	snprintf(from, sizeof(from), "%s %s", ocsp ? "OCSP" : "CRL", uri);
	if (ocsp ? cache_path(j, j->leaf, j->leaf_len, ".ocsp", path,
	    sizeof(path)) : cache_path(j, (const uint8_t *)uri, strlen(uri),
	    ".crl", path, sizeof(path))) {
		d = safefile_read(path, 0, REVOCATION_CRL_MAX, &buf, &len,
		    err, sizeof(err));
		if (d != 0 && d != -ENOENT)
			trace(j, "revocation cache: %s", err);
		if (d == 0) {
			d = check_answer(j, ocsp, buf, len, &r) == 0 &&
			    r.status != CRYPTO_REV_UNKNOWN;
			safefile_free(buf, len);
			if (d) {
				*reached = true;
				return decide(j, &r, from);
			}
		}
	} else
		path[0] = '\0';
	if (fetch(uri, ocsp ? req : NULL, req_len, ocsp ? REVOCATION_OCSP_MS :
	    REVOCATION_CRL_MS, ocsp ? REVOCATION_OCSP_MAX : REVOCATION_CRL_MAX,
	    &b, err, sizeof(err)) != 0) {
		trace(j, "revocation: %s: %s", from, err);
		return 0;
	}
	*reached = true;
	if (check_answer(j, ocsp, b.buf, b.len, &r) != 0) {
		trace(j, "revocation: %s: %s", from, r.why);
		free(b.buf);
		return 0;
	}
	if (path[0] != '\0' && r.status != CRYPTO_REV_UNKNOWN)
		cache_store(j, path, b.buf, b.len);
	free(b.buf);
	return decide(j, &r, from);
}

static void
rev_work(uv_work_t *w)
{
	struct revocation_job *j = w->data;
	struct crypto_rev_result r;
	struct crypto_rev_uris u;
	uint8_t req[CRYPTO_OCSP_REQ_MAX];
	size_t req_len = 0, i;
	bool reached = false;

	j->verdict = 0;
	for (i = 0; i < j->n_ocsp; i++) {
		if (check_answer(j, true, j->ocsp[i], j->ocsp_len[i], &r) != 0)
			trace(j, "revocation: the gateway's OCSP response: %s",
			    r.why);
		else if (decide(j, &r, "the OCSP response the gateway sent"))
			return;
	}
	if (j->issuer_len == 0) {
		trace(j, "revocation: the gateway's certificate is itself a "
		    "trust anchor");
		return;
	}
	if (crypto_rev_uris(j->leaf, j->leaf_len, &u) != 0)
		u.n_ocsp = u.n_crl = 0;
	if (u.n_ocsp > 0 && crypto_ocsp_request(j->leaf, j->leaf_len,
	    j->issuer, j->issuer_len, req, sizeof(req), &req_len) != 0)
		u.n_ocsp = 0;
	for (i = 0; i < u.n_ocsp; i++)
		if (try_uri(j, u.ocsp[i], true, req, req_len, &reached))
			return;
	for (i = 0; i < u.n_crl; i++)
		if (try_uri(j, u.crl[i], false, NULL, 0, &reached))
			return;
	if (u.n_ocsp + u.n_crl == 0)
		snprintf(j->why, sizeof(j->why), "no revocation status for "
		    "the gateway's certificate: it names no OCSP responder "
		    "or CRL");
	else
		snprintf(j->why, sizeof(j->why), "no revocation status for "
		    "the gateway's certificate: its OCSP responder and CRL "
		    "were %s", reached ? "inconclusive" : "unreachable");
	if (j->policy == REVOCATION_STRICT) {
		j->verdict = IR_ERR_CERT;
		strncat(j->why, " (--revocation strict)", sizeof(j->why) -
		    strlen(j->why) - 1);
	} else
		trace(j, "%s; accepted (--revocation ifuri)", j->why);
}

/* ---- the loop thread ------------------------------------------------------- */

static void
job_free(struct revocation_job *j)
{
	size_t i;

	ir_free(j->leaf);
	ir_free(j->issuer);
	for (i = 0; i < j->n_ocsp; i++)
		ir_free(j->ocsp[i]);
	ir_free(j);
}

static void
rev_after(uv_work_t *w, int status)
{
	struct revocation_job *j = w->data;
	char *line, *save = NULL;

	if (!j->cancelled) {
		for (line = strtok_r(j->trace, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			log_info("%s", line);
		if (status != 0) {
			j->verdict = IR_ERR_CERT;
			snprintf(j->why, sizeof(j->why), "the revocation check "
			    "did not run: %s", uv_strerror(status));
		}
		j->done(j->arg, j->verdict, j->why);
	}
	job_free(j);
}

static uint8_t *
dup_bytes(const uint8_t *p, size_t len)
{
	uint8_t *c = ir_malloc(len > 0 ? len : 1);

	if (c != NULL && len > 0)
		memcpy(c, p, len);
	return c;
}

int
revocation_start(uv_loop_t *loop, const struct revocation_conf *rc,
    const struct ike_peer_cert *pc, revocation_done_cb done, void *arg,
    struct revocation_job **out)
{
	struct revocation_job *j;
	size_t i;
	int rv;

	*out = NULL;
	/* Once, here on the loop thread: curl_easy_init() in a worker
	 * would otherwise initialize libcurl without a lock. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return IR_ERR_NOMEM;
	if ((j = ir_calloc(1, sizeof(*j))) == NULL)
		return IR_ERR_NOMEM;
	j->policy = rc->policy;
	snprintf(j->cache_dir, sizeof(j->cache_dir), "%s",
	    rc->cache_dir != NULL ? rc->cache_dir : REVOCATION_CACHE_DIR);
	j->leaf = dup_bytes(pc->leaf, pc->leaf_len);
	j->leaf_len = pc->leaf_len;
	j->issuer = dup_bytes(pc->issuer, pc->issuer_len);
	j->issuer_len = pc->issuer_len;
	for (i = 0; i < pc->n_ocsp && i < IKE_PEER_OCSP_MAX; i++) {
		j->ocsp[i] = dup_bytes(pc->ocsp[i].p, pc->ocsp[i].len);
		j->ocsp_len[i] = pc->ocsp[i].len;
		j->n_ocsp++;
		if (j->ocsp[i] == NULL)
			break;
	}
	if (j->leaf == NULL || j->issuer == NULL ||
	    (j->n_ocsp > 0 && j->ocsp[j->n_ocsp - 1] == NULL)) {
		job_free(j);
		return IR_ERR_NOMEM;
	}
	j->done = done;
	j->arg = arg;
	j->work.data = j;
	if ((rv = uv_queue_work(loop, &j->work, rev_work, rev_after)) != 0) {
		job_free(j);
		return rv;
	}
	*out = j;
	return 0;
}

void
revocation_cancel(struct revocation_job *j)
{
	if (j != NULL)
		j->cancelled = true;
}
