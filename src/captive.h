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

/*
 * Fetch |url| (at most |timeout_ms|, no redirects followed) and compare
 * the answer with |expect_body|.  For CAPTIVE_PORTAL, |login_url| gets
 * the redirect target (or |url| when the portal rewrote the page).
 */
int	captive_probe(const char *url, const char *expect_body,
	    long timeout_ms, char *login_url, size_t cap);

#endif
