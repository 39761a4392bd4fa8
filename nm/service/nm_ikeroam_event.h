/*
 * nm/service/nm_ikeroam_event.h: ikeroam's control-socket events in
 * NetworkManager's terms.  Pure (GLib values, no I/O); tested by
 * tests/nm/check_nm.c.
 */
#ifndef NM_IKEROAM_EVENT_H
#define NM_IKEROAM_EVENT_H

#include <stddef.h>

#include <NetworkManager.h>
#include <json-c/json.h>

/* The dicts of NetworkManager's Config, Ip4Config and Ip6Config. */
struct nm_ikeroam_config {
	GVariant	*config;	/* never NULL after success */
	GVariant	*ip4;		/* NULL: no IPv4 in the tunnel */
	GVariant	*ip6;		/* NULL: no IPv6 in the tunnel */
};

/*
 * A "config" event (the object of one line) -> the three dicts, owned
 * (not floating) by |out|.  0, or -1 with one line in |err| naming the
 * field that is missing or malformed.
 */
int	 nm_ikeroam_config_from_json(struct json_object *ev,
	    struct nm_ikeroam_config *out, char *err, size_t err_len);
void	 nm_ikeroam_config_clear(struct nm_ikeroam_config *cfg);

/* ikeroam's exit status (src/exitcode.h) -> NetworkManager's reason. */
NMVpnPluginFailure nm_ikeroam_failure(int exit_status);

#endif
