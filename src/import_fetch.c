/* src/import_fetch.c: an HTTPS download with limits (src/import_fetch.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "common/ir_err.h"
#include "src/import.h"
#include "src/import_fetch.h"
#include "src/log.h"

struct sink {
	uint8_t		*buf;
	size_t		 len, cap, max;
	bool		 too_large;
	const char	*host;
};

static size_t
on_data(char *p, size_t size, size_t n, void *ud)
{
	struct sink *s = ud;
	size_t add = size * n, cap;
	uint8_t *nb;

	if (add > s->max - s->len) {
		s->too_large = true;
		return 0;		/* makes curl fail: CURLE_WRITE_ERROR */
	}
	if (s->len + add > s->cap) {
		cap = s->cap == 0 ? 16384 : s->cap;
		while (cap < s->len + add)
			cap *= 2;
		if (cap > s->max)
			cap = s->max;
		if ((nb = realloc(s->buf, cap)) == NULL)
			return 0;
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, add);
	s->len += add;
	return add;
}

/* The host part of |url| for messages: after "://" and any user
 * part, up to the path. */
static void
url_host(const char *url, char *out, size_t cap)
{
	const char *p = strstr(url, "://"), *e, *at;
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += 3;
	e = p + strcspn(p, "/?#");
	if ((at = memchr(p, '@', (size_t)(e - p))) != NULL)
		p = at + 1;
	n = (size_t)(e - p);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* A line a second once the download has taken more than a second. */
struct progress {
	struct sink	*sink;
	CURL		*curl;
	curl_off_t	 next_us;	/* next line at this elapsed time */
};

static int
on_xfer(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct progress *pr = ud;
	curl_off_t us = 0;

	(void)ultotal;
	(void)ulnow;
	if (curl_easy_getinfo(pr->curl, CURLINFO_TOTAL_TIME_T, &us) != CURLE_OK)
		return 0;
	if (us < pr->next_us)
		return 0;
	pr->next_us = us + 1000000;
	if (dltotal > 0)
		log_info("downloading from %s: %lld of %lld bytes",
		    pr->sink->host, (long long)dlnow, (long long)dltotal);
	else
		log_info("downloading from %s: %lld bytes so far",
		    pr->sink->host, (long long)dlnow);
	return 0;
}

#define fail(err, err_len, ...) \
	ir_err_line((err), (err_len), IR_ERR_CONFIG, __VA_ARGS__)

/* One line per way the transfer can fail. */
static int
explain(CURLcode cc, const struct sink *s, const char *ebuf,
    const struct import_fetch_opts *o, char *err, size_t err_len)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return fail(err, err_len, "cannot resolve %s (DNS); check the "
		    "name and the network", s->host);
	case CURLE_COULDNT_CONNECT:
		return fail(err, err_len, "cannot connect to %s: %s", s->host,
		    ebuf[0] != '\0' ? ebuf : "refused or unreachable");
	case CURLE_PEER_FAILED_VERIFICATION:
		return fail(err, err_len, "the TLS certificate of %s is not "
		    "trusted (%s); give its CA with --https-ca FILE", s->host,
		    ebuf);
	case CURLE_SSL_CONNECT_ERROR:
		return fail(err, err_len, "TLS with %s failed: %s", s->host,
		    ebuf);
	case CURLE_SSL_CACERT_BADFILE:
		return fail(err, err_len, "--https-ca %s: not a CA file",
		    o->ca_file != NULL ? o->ca_file : "(system)");
	case CURLE_OPERATION_TIMEDOUT:
		return fail(err, err_len, "%s did not answer in time (%s); try "
		    "again, or raise --timeout", s->host, ebuf);
	case CURLE_FILESIZE_EXCEEDED:
		return fail(err, err_len, "the file at %s is larger than %zu "
		    "bytes; refused", s->host, o->max);
	case CURLE_WRITE_ERROR:
		if (s->too_large)
			return fail(err, err_len, "the file at %s is larger "
			    "than %zu bytes; refused", s->host, o->max);
		return fail(err, err_len, "out of memory while downloading");
	case CURLE_UNSUPPORTED_PROTOCOL:
		return fail(err, err_len, "%s redirected to a URL that is not "
		    "https; refused", s->host);
	case CURLE_TOO_MANY_REDIRECTS:
		return fail(err, err_len, "%s redirected more than %d times; "
		    "refused", s->host, IMPORT_FETCH_REDIRECTS);
	default:
		return fail(err, err_len, "downloading from %s failed: %s%s%s",
		    s->host, curl_easy_strerror(cc), ebuf[0] != '\0' ? ": " :
		    "", ebuf);
	}
}

int
import_fetch(const char *url, const struct import_fetch_opts *o,
    uint8_t **data, size_t *len, char *err, size_t err_len)
{
	char ebuf[CURL_ERROR_SIZE], host[256];
	struct sink s = { .max = o->max };
	struct progress pr = { .sink = &s, .next_us = 1000000 };
	CURLcode cc;
	long status = 0;
	CURL *c;
	int rv;

	*data = NULL;
	*len = 0;
	ebuf[0] = '\0';
	url_host(url, host, sizeof(host));
	s.host = host;
	if (strncmp(url, "https://", 8) != 0 ||
	    !import_text_ok(url, strlen(url)) || strchr(url, ' ') != NULL)
		return fail(err, err_len, "only https:// URLs are fetched");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (c = curl_easy_init()) == NULL)
		return fail(err, err_len, "cannot start libcurl");
	pr.curl = c;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)IMPORT_FETCH_REDIRECTS);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)o->connect_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)o->total_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ikeroam/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_xfer);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &pr);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (cc != CURLE_OK) {
		rv = explain(cc, &s, ebuf, o, err, err_len);
	} else if (status != 200) {
		rv = fail(err, err_len, "%s answered with HTTP status %ld; "
		    "check the URL", host, status);
	} else if (s.len == 0) {
		rv = fail(err, err_len, "%s sent an empty file", host);
	} else {
		*data = s.buf;
		*len = s.len;
		return 0;
	}
	free(s.buf);
	return rv;
}
