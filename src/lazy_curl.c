/*
 * src/lazy_curl.c: the libcurl functions ikeroam calls, opening libcurl
 * at the first of them (src/lazylib.h).  Only the captive-portal probe,
 * revocation fetches and `ikeroam import https://...` use libcurl; a
 * connection that needs none of them never loads it.
 */
#include <stdarg.h>

#include <curl/curl.h>

#include "src/lazylib.h"

enum {
	F_GLOBAL_INIT, F_EASY_INIT, F_EASY_SETOPT, F_EASY_PERFORM,
	F_EASY_GETINFO, F_EASY_CLEANUP, F_EASY_STRERROR, F_SLIST_APPEND,
	F_SLIST_FREE_ALL, F_N
};
static const char *const names[F_N] = {
	"curl_global_init", "curl_easy_init", "curl_easy_setopt",
	"curl_easy_perform", "curl_easy_getinfo", "curl_easy_cleanup",
	"curl_easy_strerror", "curl_slist_append", "curl_slist_free_all",
};
static void *fn[F_N];
static struct lazylib lib = {
	CURL_SONAME, "HTTP (captive-portal probe, revocation, import)",
	names, F_N, fn, 0
};

#define CALL(f, type)	((type)fn[f])

/* The names in parentheses: curl.h may define them as macros. */
CURLcode
(curl_global_init)(long flags)
{
	if (lazylib_load(&lib) != 0)
		return CURLE_FAILED_INIT;
	return CALL(F_GLOBAL_INIT, CURLcode (*)(long))(flags);
}

CURL *
(curl_easy_init)(void)
{
	if (lazylib_load(&lib) != 0)
		return NULL;
	return CALL(F_EASY_INIT, CURL *(*)(void))();
}

/*
 * The argument's type follows from the option's number, as libcurl
 * itself reads it (CURLOPTTYPE_*).  A handle exists, so the library is
 * loaded.
 */
CURLcode
(curl_easy_setopt)(CURL *h, CURLoption opt, ...)
{
	typedef CURLcode (*setopt_fn)(CURL *, CURLoption, ...);
	setopt_fn f = CALL(F_EASY_SETOPT, setopt_fn);
	CURLcode rc;
	va_list ap;

	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = f(h, opt, va_arg(ap, long));
	else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
		rc = f(h, opt, va_arg(ap, void *));
	else if (opt < CURLOPTTYPE_OFF_T)
		rc = f(h, opt, va_arg(ap, void (*)(void)));
	else if (opt < CURLOPTTYPE_BLOB)
		rc = f(h, opt, va_arg(ap, curl_off_t));
	else
		rc = f(h, opt, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode
(curl_easy_perform)(CURL *h)
{
	return CALL(F_EASY_PERFORM, CURLcode (*)(CURL *))(h);
}

/* Every CURLINFO_* takes a pointer to where the answer goes. */
CURLcode
(curl_easy_getinfo)(CURL *h, CURLINFO info, ...)
{
	CURLcode rc;
	va_list ap;

	va_start(ap, info);
	rc = CALL(F_EASY_GETINFO, CURLcode (*)(CURL *, CURLINFO, ...))(h,
	    info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

void
(curl_easy_cleanup)(CURL *h)
{
	if (h != NULL)
		CALL(F_EASY_CLEANUP, void (*)(CURL *))(h);
}

const char *
(curl_easy_strerror)(CURLcode rc)
{
	if (!lazylib_loaded(&lib))
		return "libcurl could not be loaded";
	return CALL(F_EASY_STRERROR, const char *(*)(CURLcode))(rc);
}

struct curl_slist *
(curl_slist_append)(struct curl_slist *l, const char *s)
{
	if (lazylib_load(&lib) != 0)
		return NULL;
	return CALL(F_SLIST_APPEND, struct curl_slist *(*)(struct curl_slist *,
	    const char *))(l, s);
}

void
(curl_slist_free_all)(struct curl_slist *l)
{
	if (l != NULL && lazylib_loaded(&lib))
		CALL(F_SLIST_FREE_ALL, void (*)(struct curl_slist *))(l);
}
