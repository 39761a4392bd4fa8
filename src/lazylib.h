/*
 * src/lazylib.h: libraries that only some runs need, opened when first
 * used instead of when ikeroam starts.
 *
 * libcurl (the captive-portal probe, revocation fetches, import from a
 * URL), libnftables (the kill switch), libplist (import of a
 * .mobileconfig), p11-kit (keys on a PKCS#11 token) and libsystemd
 * (sd_notify) bring some thirty shared objects with them; loading and
 * relocating those took most of ikeroam's start-up (see ARCHITECTURE.md,
 * "Start-up").  src/lazy_curl.c, src/lazy_nft.c, src/lazy_plist.c,
 * src/lazy_p11kit.c and src/lazy_systemd.c define the few functions
 * ikeroam calls, with the prototypes of the
 * libraries' own headers (a changed API fails to compile), and each
 * forwards to the library, which lazylib_load() opens once.  The callers
 * do not change; when a library cannot be opened its functions fail as
 * the library's own do when out of memory (NULL, an error code), and one
 * warning names the library and what it was needed for.
 */
#ifndef IKEROAM_SRC_LAZYLIB_H
#define IKEROAM_SRC_LAZYLIB_H

#include <stddef.h>

struct lazylib {
	const char		*soname;	/* e.g. "libcurl.so.4" (configure) */
	const char		*what;		/* for the warning */
	const char *const	*names;		/* the functions, in fn[] order */
	size_t			 n;
	void			**fn;		/* n entries, filled on success */
	int			 state;		/* 0 not tried, 1 loaded, -1 failed */
};

/* 0 once |l|'s library is open and every function found (thread-safe;
 * tried once), else -1. */
int	lazylib_load(struct lazylib *l);

/* Whether the library of |l| was opened (for tests and the bench). */
int	lazylib_loaded(const struct lazylib *l);

#define LAZYLIB_N(a)	(sizeof(a) / sizeof((a)[0]))

#endif
