/*
 * src/netmem.h: networks that blocked UDP, remembered so that the next
 * connection from the same network goes straight to TCP (RFC 9329)
 * instead of waiting out the fallback timeout again.
 *
 * A network is named by what the laptop can see of it: the default
 * route's gateway address and its MAC (or the Wi-Fi SSID that
 * NetworkManager passes with --network-id), together with the VPN
 * gateway, since a network may block one destination and not another.
 * The store is a small JSON file (json-c), mode 0600, written
 * atomically; entries expire so a network that changed its policy is
 * tried over UDP again.
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

/* Whether |key| is remembered as blocking UDP (false when unknown,
 * expired, or the file is missing or unreadable). */
bool	netmem_udp_blocked(const char *path, const char *key, time_t now);

/*
 * Remember the verdict for |key| (true: UDP blocked; false: forget).
 * Keeps at most NETMEM_MAX_ENTRIES, dropping the oldest.  0 or a
 * negative code; the caller only logs failures.
 */
int	netmem_store(const char *path, const char *key, bool udp_blocked,
	    time_t now);

/* The default file: /var/lib/ikeroam/networks.json for root, else
 * $XDG_STATE_HOME (or ~/.local/state)/ikeroam/networks.json. */
int	netmem_default_path(char *out, size_t cap);

#endif
