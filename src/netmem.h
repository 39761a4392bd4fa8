/*
 * src/netmem.h: networks that blocked UDP (or TCP 4500 too), remembered
 * so that the next connection from the same network starts at the rung
 * of the transport ladder that worked there: TCP (RFC 9329) or TLS
 * (RFC 9329 Appendix A), instead of waiting out the fallback timeouts
 * again.
 *
 * A network is named by what the laptop can see of it: the default
 * route's gateway address and its MAC (or the Wi-Fi SSID that
 * NetworkManager passes with --network-id), together with the VPN
 * gateway, since a network may block one destination and not another.
 * The store is a small JSON file (json-c), mode 0600, written
 * atomically; entries expire so a network that changed its policy is
 * tried over UDP again.
 *
 * One entry: { "udp_blocked": true, "xport": "tcp" | "tls",
 * "updated": <unix time> }.  Files written before "xport" existed load
 * as TCP; older versions of ikeroam read "udp_blocked" of new files and
 * go to TCP, which is what they can do.
 */
#ifndef IR_SRC_NETMEM_H
#define IR_SRC_NETMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "tun/tun.h"

#define NETMEM_TTL_S		(7 * 24 * 3600)	/* a verdict is kept a week */
#define NETMEM_MAX_ENTRIES	256
#define NETMEM_MAX_FILE		(256 * 1024)

/*
 * The key of this network for VPN gateway |vpn_gw|: "ssid=<id>|vpn=..."
 * when |network_id| is given, else "gw=<ip>,mac=<mac>|vpn=...".
 * IR_ERR_NOT_FOUND when there is nothing to name the network by.
 */
int	netmem_key(const struct tun_netid *id, const char *network_id,
	    const char *vpn_gw, char *out, size_t cap);

/*
 * The rung that worked for |key| (enum fb_xport of src/fallback.h):
 * FB_UDP when unknown, expired, or the file is missing, unreadable or
 * damaged.
 */
int	netmem_rung(const char *path, const char *key, time_t now);

/* The same from the file's text (|len| bytes, not NUL-terminated):
 * the parser the fuzz target drives. */
int	netmem_rung_text(const char *text, size_t len, const char *key,
	    time_t now);

/*
 * Remember that rung |xp| worked for |key| (FB_UDP: forget the network).
 * Keeps at most NETMEM_MAX_ENTRIES, dropping the oldest.  0 or a
 * negative code; the caller only logs failures.
 */
int	netmem_store_rung(const char *path, const char *key, int xp,
	    time_t now);

/* The two-rung forms: blocked means TCP or TLS worked; storing true
 * remembers TCP, false forgets. */
bool	netmem_udp_blocked(const char *path, const char *key, time_t now);
int	netmem_store(const char *path, const char *key, bool udp_blocked,
	    time_t now);

/* The default file: /var/lib/ikeroam/networks.json for root, else
 * $XDG_STATE_HOME (or ~/.local/state)/ikeroam/networks.json. */
int	netmem_default_path(char *out, size_t cap);

#endif
