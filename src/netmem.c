/* src/netmem.c: the remembered verdicts on networks (see netmem.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/fallback.h"
#include "src/netmem.h"
#include "src/safefile.h"

int
netmem_key(const struct tun_netid *id, const char *network_id,
    const char *vpn_gw, char *out, size_t cap)
{
	char ip[INET6_ADDRSTRLEN], mac[3 * 32 + 1] = "";
	size_t i;
	int n;

	if (network_id != NULL && network_id[0] != '\0') {
		n = snprintf(out, cap, "ssid=%s|vpn=%s", network_id, vpn_gw);
	} else {
		if (id == NULL || id->gw.family == 0 ||
		    inet_ntop(id->gw.family, id->gw.addr, ip, sizeof(ip)) ==
		    NULL)
			return IR_ERR_NOT_FOUND;
		for (i = 0; i < id->mac_len && i < 32; i++)
			snprintf(mac + (i ? 3 * i - 1 : 0), 4, "%s%02x",
			    i ? ":" : "", id->mac[i]);
		n = snprintf(out, cap, "gw=%s,mac=%s|vpn=%s", ip,
		    mac[0] ? mac : "-", vpn_gw);
	}
	return n < 0 || (size_t)n >= cap ? IR_ERR_NOBUF : 0;
}

/* The store parsed from |text|, or a fresh empty one; never NULL. */
static struct json_object *
netmem_parse(const char *text, size_t len)
{
	struct json_object *root = NULL, *nets;
	struct json_tokener *tok;

	if (text != NULL && len > 0 && len <= NETMEM_MAX_FILE &&
	    (tok = json_tokener_new()) != NULL) {
		root = json_tokener_parse_ex(tok, text, (int)len);
		if (json_tokener_get_error(tok) != json_tokener_success) {
			json_object_put(root);
			root = NULL;
		}
		json_tokener_free(tok);
	}
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		root = json_object_new_object();
	}
	if (!json_object_object_get_ex(root, "networks", &nets) ||
	    !json_object_is_type(nets, json_type_object))
		json_object_object_add(root, "networks",
		    json_object_new_object());
	return root;
}

/* The whole store, or a fresh empty object. */
static struct json_object *
netmem_read(const char *path)
{
	struct json_object *root;
	uint8_t *text = NULL;
	size_t len = 0;
	char err[256];

	/* A store we did not write is ignored, as a missing one is. */
	if (safefile_read(path, 0, NETMEM_MAX_FILE, &text, &len, err,
	    sizeof(err)) != 0)
		text = NULL;
	root = netmem_parse((const char *)text, len);
	safefile_free(text, len);
	return root;
}

/* One entry's rung, when it is still fresh. */
static int
entry_rung(struct json_object *e, time_t now)
{
	struct json_object *v;
	const char *xp;
	int64_t when;

	if (!json_object_is_type(e, json_type_object) ||
	    !json_object_object_get_ex(e, "udp_blocked", &v) ||
	    !json_object_get_boolean(v) ||
	    !json_object_object_get_ex(e, "updated", &v))
		return FB_UDP;
	when = json_object_get_int64(v);
	if (when > now || now - when >= NETMEM_TTL_S)
		return FB_UDP;
	/* No "xport": written before TLS existed, when blocked meant TCP. */
	if (json_object_object_get_ex(e, "xport", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    (xp = json_object_get_string(v)) != NULL && strcmp(xp, "tls") == 0)
		return FB_TLS;
	return FB_TCP;
}

static int
lookup(struct json_object *root, const char *key, time_t now)
{
	struct json_object *nets, *e;

	if (json_object_object_get_ex(root, "networks", &nets) &&
	    json_object_object_get_ex(nets, key, &e))
		return entry_rung(e, now);
	return FB_UDP;
}

int
netmem_rung_text(const char *text, size_t len, const char *key, time_t now)
{
	struct json_object *root = netmem_parse(text, len);
	int xp = lookup(root, key, now);

	json_object_put(root);
	return xp;
}

int
netmem_rung(const char *path, const char *key, time_t now)
{
	struct json_object *root = netmem_read(path);
	int xp = lookup(root, key, now);

	json_object_put(root);
	return xp;
}

bool
netmem_udp_blocked(const char *path, const char *key, time_t now)
{
	return netmem_rung(path, key, now) != FB_UDP;
}

/* Drop the oldest entries until at most |keep| remain. */
static void
prune(struct json_object *nets, int keep)
{
	struct json_object *v;
	const char *oldest;
	int64_t t, tmin;

	while (json_object_object_length(nets) > keep) {
		oldest = NULL;
		tmin = INT64_MAX;
		json_object_object_foreach(nets, k, e) {
			t = json_object_object_get_ex(e, "updated", &v) ?
			    json_object_get_int64(v) : 0;
			if (t < tmin) {
				tmin = t;
				oldest = k;
			}
		}
		if (oldest == NULL)
			return;
		json_object_object_del(nets, oldest);
	}
}

static int
mkdir_parent(const char *path)
{
	char dir[1024], *slash;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return IR_ERR_NOBUF;
	if ((slash = strrchr(dir, '/')) == NULL)
		return 0;
	*slash = '\0';
	if (dir[0] != '\0' && mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int
netmem_store(const char *path, const char *key, bool udp_blocked,
    time_t now)
{
	return netmem_store_rung(path, key, udp_blocked ? FB_TCP : FB_UDP,
	    now);
}

int
netmem_store_rung(const char *path, const char *key, int xp, time_t now)
{
	struct json_object *root = netmem_read(path), *nets, *e;
	const char *text;
	char err[256];
	int rv;

	json_object_object_get_ex(root, "networks", &nets);
	if (xp == FB_TCP || xp == FB_TLS) {
		e = json_object_new_object();
		json_object_object_add(e, "udp_blocked",
		    json_object_new_boolean(1));
		json_object_object_add(e, "xport", json_object_new_string(
		    xp == FB_TLS ? "tls" : "tcp"));
		json_object_object_add(e, "updated",
		    json_object_new_int64((int64_t)now));
		json_object_object_add(nets, key, e);
		prune(nets, NETMEM_MAX_ENTRIES);
	} else {
		json_object_object_del(nets, key);
	}
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
	if ((rv = mkdir_parent(path)) == 0)
		rv = safefile_write(path, 0600, text, strlen(text), err,
		    sizeof(err));
	json_object_put(root);
	return rv;
}

int
netmem_default_path(char *out, size_t cap)
{
	const char *base = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	if (geteuid() == 0)
		n = snprintf(out, cap, "/var/lib/ikeroam/networks.json");
	else if (base != NULL && base[0] == '/')
		n = snprintf(out, cap, "%s/ikeroam/networks.json", base);
	else if (home != NULL && home[0] == '/')
		n = snprintf(out, cap, "%s/.local/state/ikeroam/networks.json",
		    home);
	else
		return IR_ERR_NOT_FOUND;
	return n < 0 || (size_t)n >= cap ? IR_ERR_NOBUF : 0;
}
