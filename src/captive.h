/*
 * src/captive.h: when neither UDP nor TCP reaches the gateway, find out
 * why: fetch a connectivity-check URL (as NetworkManager does) and tell
 * a captive portal, which answers with a redirect or its own page, from
 * a network that is fine (so the gateway itself is the problem) and
 * from no network at all.
 */
#ifndef IR_SRC_CAPTIVE_H
#define IR_SRC_CAPTIVE_H

#include <stddef.h>

/* NetworkManager's check on Debian/GNOME: this exact body means online. */
#define CAPTIVE_DEFAULT_URL	"http://nmcheck.gnome.org/check_network_status.txt"
#define CAPTIVE_DEFAULT_BODY	"NetworkManager is online\n"

enum captive_result {
	CAPTIVE_ONLINE,		/* the check passed: the network is open */
	CAPTIVE_PORTAL,		/* redirected or rewritten: log in first */
	CAPTIVE_OFFLINE,	/* the check itself failed: no network */
};

/* The most of a portal's login URL that is ever shown. */
#define CAPTIVE_URL_MAX		512

/*
 * A login URL comes raw from a portal's Location header, so anyone on
 * the network chooses its bytes.  Before it reaches the terminal, the
 * log or the status file: printable ASCII (0x21..0x7e) stays, every
 * other byte becomes %XX (controls, DEL, space, and all of UTF-8, so C1
 * controls U+0080..U+009F and bidi overrides such as U+202E cannot
 * reorder or hide text), and the result is cut to CAPTIVE_URL_MAX
 * characters, or |cap| - 1, never inside a %XX; a cut URL ends in "...".
 * Pure: src/captive_url.c.
 */
void	captive_url_clean(const char *in, char *out, size_t cap);

/*
 * Fetch |url| (at most |timeout_ms|, no redirects followed) and compare
 * the answer with |expect_body|.  For CAPTIVE_PORTAL, |login_url| gets
 * the redirect target (or |url| when the portal rewrote the page),
 * cleaned by captive_url_clean().
 */
int	captive_probe(const char *url, const char *expect_body,
	    long timeout_ms, char *login_url, size_t cap);

#endif
