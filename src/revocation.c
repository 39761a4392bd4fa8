/*
 * src/revocation.c: the gateway's certificate path checked against OCSP
 * and CRLs (see revocation.h).  One job per verified path: the cache is
 * read first on the loop thread (through the privileged part with
 * privilege separation: only root may read /var/lib/ikeroam), the
 * blocking fetches run on libuv's thread pool and touch nothing but the
 * job, and the loop thread logs, keeps the fresh answers in the cache
 * and answers.
 */
#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "crypto/crypto_revoke.h"
#include "crypto/crypto_sig.h"
#include "src/log.h"
#include "src/priv.h"
#include "src/revcache.h"
#include "src/revocation.h"
#include "src/safefile.h"

/* A cache entry: read before the work (on the loop thread, through the
 * privileged part when there is one), or a fresh answer to keep after. */
struct rev_entry {
	uint8_t			 kind;		/* enum revcache_kind */
	uint8_t			 key[REVCACHE_KEY_LEN];
	uint8_t			*p;
	size_t			 len;
};

/* One certificate of the path with its issuer (the next one). */
struct rev_cert {
	uint8_t			*der, *issuer;
	size_t			 der_len, issuer_len;
	char			 name[200];	/* for the log */
	struct crypto_rev_uris	 u;
	uint8_t			 ocsp_key[REVCACHE_KEY_LEN];
};

#define REV_ENTRIES_MAX	(REVOCATION_CERTS_MAX * (1 + CRYPTO_REV_URIS_MAX))

struct revocation_job {
	uv_work_t		 work;
	uv_timer_t		 now;		/* nothing to fetch: no thread */
	int			 policy;
	bool			 eap_tls;
	struct rev_cert		 certs[REVOCATION_CERTS_MAX];
	size_t			 n_certs;
	uint8_t			*ocsp[IKE_PEER_OCSP_MAX];
	size_t			 ocsp_len[IKE_PEER_OCSP_MAX];
	uint8_t			 n_ocsp;
	struct rev_entry	 cached[REV_ENTRIES_MAX];	/* ir_malloc */
	size_t			 n_cached;
	struct rev_entry	 fresh[REV_ENTRIES_MAX];	/* malloc */
	size_t			 n_fresh;
	struct revocation_conf	 conf;
	char			 cache_dir[PATH_MAX];
	revocation_done_cb	 done;
	void			*arg;
	bool			 cancelled;
	/* Results, written by the thread, read after it. */
	int			 verdict;
	char			 why[400];
	char			 trace[2048];
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

/* ---- the cache (entries read before, kept after the thread) ------------- */

static const struct rev_entry *
cached(const struct revocation_job *j, int kind, const uint8_t *key)
{
	size_t i;

	for (i = 0; i < j->n_cached; i++)
		if (j->cached[i].kind == kind &&
		    memcmp(j->cached[i].key, key, REVCACHE_KEY_LEN) == 0)
			return &j->cached[i];
	return NULL;
}

/* A fresh answer to keep: the loop thread writes it after the work. */
static void
keep(struct revocation_job *j, int kind, const uint8_t *key, uint8_t *p,
    size_t len)
{
	struct rev_entry *e;

	if (j->n_fresh == REV_ENTRIES_MAX || j->cache_dir[0] == '\0') {
		free(p);
		return;
	}
	e = &j->fresh[j->n_fresh++];
	e->kind = (uint8_t)kind;
	memcpy(e->key, key, REVCACHE_KEY_LEN);
	e->p = p;
	e->len = len;
}

/* ---- the decision (thread pool) ----------------------------------------- */

/* A conclusive answer for certificate |c| from |from|: 1 when decided
 * (good, or the job's verdict is set), 0 to look further. */
static int
decide(struct revocation_job *j, const struct rev_cert *c,
    const struct crypto_rev_result *r, const char *from)
{
	char when[32] = "?";
	struct tm tm;
	time_t t = (time_t)r->revoked_at;

	switch (r->status) {
	case CRYPTO_REV_GOOD:
		trace(j, "revocation: %s is good (%s)", c->name, from);
		return 1;
	case CRYPTO_REV_REVOKED:
		if (gmtime_r(&t, &tm) != NULL)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		snprintf(j->why, sizeof(j->why), "%s is revoked (%s, since %s, "
		    "by %s): do not use this gateway; tell its administrator",
		    c->name, crypto_rev_reason_name(r->reason), when, from);
		j->verdict = IR_ERR_CERT;
		return 1;
	default:
		trace(j, "revocation: %s does not know %s", from, c->name);
		return 0;
	}
}

/* An OCSP response or a CRL from the network or the cache. */
static int
check_answer(const struct rev_cert *c, bool ocsp, const uint8_t *p,
    size_t len, struct crypto_rev_result *r)
{
	if (ocsp)
		return crypto_ocsp_check(p, len, c->der, c->der_len, c->issuer,
		    c->issuer_len, (int64_t)time(NULL), r);
	return crypto_crl_check(p, len, c->der, c->der_len, c->issuer,
	    c->issuer_len, (int64_t)time(NULL), r);
}

/* One responder or distribution point: the cache, then the network.
 * 1 when decided; 0 to look further, with |*reached| when it answered. */
static int
try_uri(struct revocation_job *j, const struct rev_cert *c, const char *uri,
    bool ocsp, const uint8_t *req, size_t req_len, bool *reached)
{
	struct crypto_rev_result r;
	const struct rev_entry *e;
	uint8_t key[REVCACHE_KEY_LEN];
	struct body b;
	char err[200], from[CRYPTO_URI_MAX + 32];
	int kind = ocsp ? REVCACHE_OCSP : REVCACHE_CRL;

	snprintf(from, sizeof(from), "%s %s", ocsp ? "OCSP" : "CRL", uri);
	if (ocsp)
		memcpy(key, c->ocsp_key, sizeof(key));
	else if (revcache_key(uri, strlen(uri), key) != 0)
		memset(key, 0, sizeof(key));
	if ((e = cached(j, kind, key)) != NULL &&
	    check_answer(c, ocsp, e->p, e->len, &r) == 0 &&
	    r.status != CRYPTO_REV_UNKNOWN) {
		*reached = true;
		return decide(j, c, &r, from);
	}
	if (fetch(uri, ocsp ? req : NULL, req_len, ocsp ? REVOCATION_OCSP_MS :
	    REVOCATION_CRL_MS, ocsp ? REVOCATION_OCSP_MAX : REVOCATION_CRL_MAX,
	    &b, err, sizeof(err)) != 0) {
		trace(j, "revocation: %s: %s", from, err);
		return 0;
	}
	*reached = true;
	if (check_answer(c, ocsp, b.buf, b.len, &r) != 0) {
		trace(j, "revocation: %s: %s", from, r.why);
		free(b.buf);
		return 0;
	}
	if (r.status != CRYPTO_REV_UNKNOWN)
		keep(j, kind, key, b.buf, b.len);
	else
		free(b.buf);
	return decide(j, c, &r, from);
}

/* Certificate |c|: 1 when decided (good, or revoked: the verdict is
 * set); 0 when no source knew it, with |j->why| saying so. */
static int
check_cert(struct revocation_job *j, const struct rev_cert *c)
{
	struct crypto_rev_result r;
	uint8_t req[CRYPTO_OCSP_REQ_MAX];
	size_t req_len = 0, i, n_ocsp = c->u.n_ocsp;
	bool reached = false;

	/* RFC 4806: responses the gateway sent, for any of its path. */
	for (i = 0; i < j->n_ocsp; i++)
		if (check_answer(c, true, j->ocsp[i], j->ocsp_len[i], &r) != 0)
			trace(j, "revocation: the gateway's OCSP response is "
			    "not for %s: %s", c->name, r.why);
		else if (decide(j, c, &r, "the OCSP response the gateway "
		    "sent"))
			return 1;
	if (n_ocsp > 0 && crypto_ocsp_request(c->der, c->der_len, c->issuer,
	    c->issuer_len, req, sizeof(req), &req_len) != 0)
		n_ocsp = 0;
	for (i = 0; i < n_ocsp; i++)
		if (try_uri(j, c, c->u.ocsp[i], true, req, req_len, &reached))
			return 1;
	for (i = 0; i < c->u.n_crl; i++)
		if (try_uri(j, c, c->u.crl[i], false, NULL, 0, &reached))
			return 1;
	if (c->u.n_ocsp + c->u.n_crl == 0)
		snprintf(j->why, sizeof(j->why), "no revocation status for "
		    "%s: it names no OCSP responder or CRL", c->name);
	else
		snprintf(j->why, sizeof(j->why), "no revocation status for "
		    "%s: its OCSP responder and CRL were %s", c->name,
		    reached ? "inconclusive" : "unreachable");
	return 0;
}

static void
rev_work(uv_work_t *w)
{
	struct revocation_job *j = w->data;
	size_t i;

	j->verdict = 0;
	if (j->n_certs == 0) {
		trace(j, "revocation: the gateway's certificate is itself a "
		    "trust anchor");
		return;
	}
	/* Leaf first: its answer is the one most often cached. */
	for (i = 0; i < j->n_certs; i++) {
		if (check_cert(j, &j->certs[i])) {
			if (j->verdict != 0)
				return;
			continue;
		}
		if (j->policy == REVOCATION_STRICT) {
			j->verdict = IR_ERR_CERT;
			strncat(j->why, " (--revocation strict)",
			    sizeof(j->why) - strlen(j->why) - 1);
			return;
		}
		trace(j, "%s; accepted (--revocation ifuri)", j->why);
		j->why[0] = '\0';
	}
}

/* ---- the loop thread ------------------------------------------------------- */

static void
job_free(struct revocation_job *j)
{
	size_t i;

	for (i = 0; i < j->n_certs; i++) {
		ir_free(j->certs[i].der);
		ir_free(j->certs[i].issuer);
	}
	for (i = 0; i < j->n_ocsp; i++)
		ir_free(j->ocsp[i]);
	for (i = 0; i < j->n_cached; i++)
		ir_free(j->cached[i].p);
	for (i = 0; i < j->n_fresh; i++)
		free(j->fresh[i].p);
	ir_free(j);
}

/* Read one entry, from the privileged part or the directory. */
static void
cache_load(struct revocation_job *j, int kind, const uint8_t *key,
    size_t max)
{
	struct rev_entry *e;
	char err[300];
	int rv, fd;

	if (j->n_cached == REV_ENTRIES_MAX || j->cache_dir[0] == '\0' ||
	    cached(j, kind, key) != NULL)
		return;
	e = &j->cached[j->n_cached];
	if (j->conf.priv != NULL)
		rv = priv_revcache_open(j->conf.priv, kind, key, &fd);
	else if ((rv = revcache_open(j->cache_dir, kind, key, &fd, err,
	    sizeof(err))) != 0 && rv != -ENOENT)
		log_info("revocation cache: %s", err);
	if (rv == 0)
		rv = revcache_read_fd(fd, max, &e->p, &e->len);
	if (rv != 0)
		return;
	e->kind = (uint8_t)kind;
	memcpy(e->key, key, REVCACHE_KEY_LEN);
	j->n_cached++;
}

/* Keep the fresh answers: through the privileged part, or directly. */
static void
cache_store_all(struct revocation_job *j)
{
	const struct rev_entry *e;
	char err[300];
	size_t i;
	int rv;

	for (i = 0; i < j->n_fresh; i++) {
		e = &j->fresh[i];
		if (j->conf.priv != NULL)
			rv = priv_revcache_store(j->conf.priv, e->kind, e->key,
			    e->p, e->len);
		else if ((rv = revcache_store(j->cache_dir, e->kind, e->key,
		    e->p, e->len, err, sizeof(err))) != 0)
			log_info("%s", err);
		if (rv == IR_ERR_NOBUF)
			log_debug("revocation cache: a CRL of %zu octets is "
			    "too large to keep with privilege separation",
			    e->len);
	}
}

static void
rev_finish(struct revocation_job *j, int status)
{
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
		cache_store_all(j);
		j->done(j->arg, j->verdict, j->why);
	}
}

static void
rev_after(uv_work_t *w, int status)
{
	struct revocation_job *j = w->data;

	rev_finish(j, status);
	job_free(j);
}

static void
rev_now_closed(uv_handle_t *h)
{
	job_free(h->data);
}

static void
rev_now_done(uv_timer_t *t)
{
	rev_finish(t->data, 0);
	uv_close((uv_handle_t *)t, rev_now_closed);
}

static uint8_t *
dup_bytes(const uint8_t *p, size_t len)
{
	uint8_t *c = ir_malloc(len > 0 ? len : 1);

	if (c != NULL && len > 0)
		memcpy(c, p, len);
	return c;
}

/* Certificate |i| of |pc|'s path, with its name for the log and where
 * its status lives; its cache entries read now, on the loop thread. */
static int
add_cert(struct revocation_job *j, const struct ike_peer_cert *pc, size_t i)
{
	struct rev_cert *c = &j->certs[j->n_certs];
	struct crypto_cert *x;
	char subj[160];
	size_t k;

	c->der = dup_bytes(pc->chain[i].p, pc->chain[i].len);
	c->issuer = dup_bytes(pc->chain[i + 1].p, pc->chain[i + 1].len);
	c->der_len = pc->chain[i].len;
	c->issuer_len = pc->chain[i + 1].len;
	j->n_certs++;
	if (c->der == NULL || c->issuer == NULL)
		return IR_ERR_NOMEM;
	if (i == 0)
		snprintf(c->name, sizeof(c->name), "the gateway's %scertificate",
		    pc->eap_tls ? "TLS " : "");
	else {
		subj[0] = '\0';
		if (crypto_cert_load(&x, c->der, c->der_len) == 0) {
			crypto_cert_subject(x, subj, sizeof(subj));
			crypto_cert_free(x);
		}
		snprintf(c->name, sizeof(c->name), "the intermediate CA '%s' "
		    "of the gateway's %scertificate", subj, pc->eap_tls ?
		    "TLS " : "");
	}
	if (crypto_rev_uris(c->der, c->der_len, &c->u) != 0)
		c->u.n_ocsp = c->u.n_crl = 0;
	if (revcache_key(c->der, c->der_len, c->ocsp_key) != 0)
		memset(c->ocsp_key, 0, sizeof(c->ocsp_key));
	if (c->u.n_ocsp > 0)
		cache_load(j, REVCACHE_OCSP, c->ocsp_key, REVOCATION_OCSP_MAX);
	for (k = 0; k < c->u.n_crl; k++) {
		uint8_t key[REVCACHE_KEY_LEN];

		if (revcache_key(c->u.crl[k], strlen(c->u.crl[k]), key) == 0)
			cache_load(j, REVCACHE_CRL, key, REVOCATION_CRL_MAX);
	}
	return 0;
}

/* Whether |j| may fetch anything: a certificate names an OCSP
 * responder or a CRL (check_cert() tries nothing else over the network). */
static bool
job_fetches(const struct revocation_job *j)
{
	size_t i;

	for (i = 0; i < j->n_certs; i++)
		if (j->certs[i].u.n_ocsp + j->certs[i].u.n_crl > 0)
			return true;
	return false;
}

int
revocation_start(uv_loop_t *loop, const struct revocation_conf *rc,
    const struct ike_peer_cert *pc, revocation_done_cb done, void *arg,
    struct revocation_job **out)
{
	struct revocation_job *j;
	size_t i;
	int rv = 0;

	*out = NULL;
	if ((j = ir_calloc(1, sizeof(*j))) == NULL)
		return IR_ERR_NOMEM;
	j->policy = rc->policy;
	j->conf = *rc;
	j->eap_tls = pc->eap_tls;
	snprintf(j->cache_dir, sizeof(j->cache_dir), "%s",
	    rc->cache_dir != NULL ? rc->cache_dir : REVOCATION_CACHE_DIR);
	/* Every certificate but the anchor, each with the next as issuer
	 * (a caller that gave only leaf and issuer: those two). */
	if (pc->n_chain == 0 && pc->issuer_len > 0) {
		struct ike_peer_cert two = *pc;

		two.chain[0] = (struct crypto_iov){ pc->leaf, pc->leaf_len };
		two.chain[1] = (struct crypto_iov){ pc->issuer,
		    pc->issuer_len };
		two.n_chain = 2;
		rv = add_cert(j, &two, 0);
	}
	for (i = 0; rv == 0 && i + 1 < pc->n_chain && i + 1 <
	    IKE_PEER_CHAIN_MAX && j->n_certs < REVOCATION_CERTS_MAX; i++)
		rv = add_cert(j, pc, i);
	for (i = 0; rv == 0 && i < pc->n_ocsp && i < IKE_PEER_OCSP_MAX; i++) {
		j->ocsp[i] = dup_bytes(pc->ocsp[i].p, pc->ocsp[i].len);
		j->ocsp_len[i] = pc->ocsp[i].len;
		j->n_ocsp++;
		if (j->ocsp[i] == NULL)
			rv = IR_ERR_NOMEM;
	}
	/*
	 * Once, here on the loop thread (curl_easy_init() in a worker would
	 * otherwise initialize libcurl without a lock), and only when a
	 * certificate names a source to fetch: the first call opens libcurl
	 * and its twenty libraries (src/lazylib.c), some 30 ms of CPU that a
	 * gateway certificate without URIs (the usual case with
	 * --revocation ifuri) would wait for before its tunnel came up.
	 */
	if (rv == 0 && job_fetches(j) &&
	    curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		rv = IR_ERR_NOMEM;
	if (rv != 0) {
		job_free(j);
		return rv;
	}
	j->done = done;
	j->arg = arg;
	j->work.data = j;
	/* Nothing to fetch (no source named, or only the gateway's own
	 * OCSP responses): a few signature checks, done here.  The answer
	 * still comes from the loop, and libuv's thread pool (four threads)
	 * is not started for it before the first tunnel is up. */
	if (!job_fetches(j)) {
		rev_work(&j->work);
		uv_timer_init(loop, &j->now);
		j->now.data = j;
		uv_timer_start(&j->now, rev_now_done, 0, 0);
		*out = j;
		return 0;
	}
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
