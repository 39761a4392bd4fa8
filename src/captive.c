/* src/captive.c: the captive-portal probe over libcurl (see captive.h). */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "src/captive.h"
#include "src/log.h"

#define BODY_MAX	512	/* enough to compare; a portal page is cut */

struct body {
	char	buf[BODY_MAX + 1];
	size_t	len;
};

static size_t
body_write(char *p, size_t size, size_t n, void *ud)
{
	struct body *b = ud;
	size_t len = size * n, take = BODY_MAX - b->len;

	if (take > len)
		take = len;
	memcpy(b->buf + b->len, p, take);
	b->len += take;
	b->buf[b->len] = '\0';
	return len;	/* accept everything, keep the start */
}

int
captive_probe(const char *url, const char *expect_body, long timeout_ms,
    char *login_url, size_t cap)
{
	struct body body = { .len = 0 };
	char *location = NULL;
	long code = 0;
	CURLcode rc;
	CURL *h;
	int result;

	login_url[0] = '\0';
	if ((h = curl_easy_init()) == NULL)
		return CAPTIVE_OFFLINE;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ikeroam/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		log_debug("connectivity check %s: %s", url,
		    curl_easy_strerror(rc));
		curl_easy_cleanup(h);
		return CAPTIVE_OFFLINE;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &location);
	if (code >= 300 && code < 400 && location != NULL) {
		captive_url_clean(location, login_url, cap);
		result = CAPTIVE_PORTAL;
	} else if (code == 200 && strcmp(body.buf, expect_body) == 0) {
		result = CAPTIVE_ONLINE;
	} else if (code == 204 && expect_body[0] == '\0') {
		result = CAPTIVE_ONLINE;
	} else {
		/* Anything else on the check URL is someone else's page. */
		captive_url_clean(url, login_url, cap);
		result = CAPTIVE_PORTAL;
	}
	log_debug("connectivity check %s: HTTP %ld -> %s", url, code,
	    result == CAPTIVE_ONLINE ? "online" : "captive portal");
	curl_easy_cleanup(h);
	return result;
}
