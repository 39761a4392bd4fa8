/*
 * src/import_fetch.h: downloading a profile for `ikeroam import
 * https://...` through libcurl: HTTPS only (redirects too), the server
 * certificate verified (the system's CA store, or |ca_file|), at most
 * IMPORT_INPUT_MAX bytes, time limits, progress lines when slow.
 */
#ifndef IR_SRC_IMPORT_FETCH_H
#define IR_SRC_IMPORT_FETCH_H

#include <stddef.h>
#include <stdint.h>

#define IMPORT_FETCH_REDIRECTS	5

struct import_fetch_opts {
	const char	*ca_file;	/* NULL: the system's CA store */
	unsigned	 connect_s;	/* connect timeout [10] */
	unsigned	 total_s;	/* whole transfer [60] */
	size_t		 max;		/* [IMPORT_INPUT_MAX] */
};

/*
 * GET |url| into a new buffer (*|data|, the caller frees it).  0, or a
 * negative code with one line in |err| for each way it fails: the name
 * does not resolve, the connection is refused, the TLS certificate is
 * not trusted, an HTTP status other than 200, too large, too slow, a
 * redirect to something other than https.
 */
int	import_fetch(const char *url, const struct import_fetch_opts *o,
	    uint8_t **data, size_t *len, char *err, size_t err_len);

#endif
