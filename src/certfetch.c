/*
 * src/certfetch.c: a certificate from a hash-and-URL CERT payload, over
 * plain HTTP (see certfetch.h).
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/certfetch.h"

struct certfetch_job {
	uv_work_t		 work;
	unsigned		 idx;
	char			 url[512];
	certfetch_done_cb	 done;
	void			*arg;
	bool			 cancelled;
	/* Written by the thread, read after it; malloc(3): ir_malloc()'s
	 * failure injection is not for threads. */
	uint8_t			*buf;
	size_t			 len;
	bool			 too_big;
	int			 status;
	char			 why[300];
};

static size_t
body_write(char *p, size_t size, size_t n, void *ud)
{
	struct certfetch_job *j = ud;
	size_t len = size * n;
	uint8_t *nb;

	if (len > CERTFETCH_MAX - j->len) {
		j->too_big = true;
		return 0;			/* curl stops the transfer */
	}
	if ((nb = realloc(j->buf, j->len + len)) == NULL)
		return 0;
	memcpy(nb + j->len, p, len);
	j->buf = nb;
	j->len += len;
	return len;
}

static void
fetch_work(uv_work_t *w)
{
	struct certfetch_job *j = w->data;
	long code = 0;
	CURLcode rc;
	CURL *h;

	j->status = IR_ERR_TIMEOUT;
	if ((h = curl_easy_init()) == NULL) {
		snprintf(j->why, sizeof(j->why), "out of memory");
		return;
	}
	curl_easy_setopt(h, CURLOPT_URL, j->url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)CERTFETCH_MS);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	/* RFC 7296 §3.6: "http" URLs only. */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ikeroam/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, j);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	if (rc == CURLE_OK && code == 200 && j->len > 0) {
		j->status = 0;
		return;
	}
	if (j->too_big)
		snprintf(j->why, sizeof(j->why), "more than %d bytes",
		    CERTFETCH_MAX);
	else if (rc != CURLE_OK)
		snprintf(j->why, sizeof(j->why), "%s", curl_easy_strerror(rc));
	else
		snprintf(j->why, sizeof(j->why), "HTTP status %ld", code);
}

static void
fetch_after(uv_work_t *w, int status)
{
	struct certfetch_job *j = w->data;

	if (!j->cancelled) {
		if (status != 0) {
			j->status = IR_ERR_TIMEOUT;
			snprintf(j->why, sizeof(j->why), "did not run: %s",
			    uv_strerror(status));
		}
		j->done(j->arg, j->idx, j->status, j->status == 0 ? j->buf :
		    NULL, j->status == 0 ? j->len : 0, j->why);
	}
	free(j->buf);
	ir_free(j);
}

int
certfetch_start(uv_loop_t *loop, unsigned idx, const char *url,
    certfetch_done_cb done, void *arg, struct certfetch_job **out)
{
	struct certfetch_job *j;
	int rv;

	*out = NULL;
	if (strlen(url) >= sizeof(j->url))
		return IR_ERR_MALFORMED;
	/* Once, on the loop thread (curl_easy_init() would otherwise
	 * initialize libcurl in a worker without a lock). */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return IR_ERR_NOMEM;
	if ((j = ir_calloc(1, sizeof(*j))) == NULL)
		return IR_ERR_NOMEM;
	j->idx = idx;
	snprintf(j->url, sizeof(j->url), "%s", url);
	j->done = done;
	j->arg = arg;
	j->work.data = j;
	if ((rv = uv_queue_work(loop, &j->work, fetch_work, fetch_after)) != 0) {
		ir_free(j);
		return rv;
	}
	*out = j;
	return 0;
}

void
certfetch_cancel(struct certfetch_job *j)
{
	if (j != NULL)
		j->cancelled = true;
}
