/*
 * nm/service/nm_ikeroam_event.c: the "config" event becomes the
 * dictionaries of NetworkManager's VPN plugin D-Bus API
 * (nm-vpn-dbus-interface.h); an exit status becomes a failure reason.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "nm/service/nm_ikeroam_event.h"
#include "src/exitcode.h"

static int
fail(char *err, size_t err_len, const char *field, const char *what)
{
	snprintf(err, err_len, "config event: %s %s", field, what);
	return -1;
}

/* A string member, valid UTF-8 (as D-Bus strings must be), or NULL. */
static const char *
get_string(struct json_object *o, const char *key)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	return g_utf8_validate(s, -1, NULL) ? s : NULL;
}

/* An integer member in [min, max]; false when absent or out of range. */
static bool
get_uint(struct json_object *o, const char *key, int64_t min, int64_t max,
    guint32 *out)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return false;
	n = json_object_get_int64(v);
	if (n < min || n > max)
		return false;
	*out = (guint32)n;
	return true;
}

static struct json_object *
get_array(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

static GVariant *
ip6_bytes(const struct in6_addr *a)
{
	return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, a->s6_addr, 16,
	    1);
}

/* "dns": addresses of the family; "domains": names for split DNS. */
static int
add_dns(GVariantBuilder *b, struct json_object *ip, int family, char *err,
    size_t err_len)
{
	struct json_object *arr;
	GVariantBuilder list;
	struct in6_addr a6;
	struct in_addr a4;
	const char *s;
	size_t i, n;

	if ((arr = get_array(ip, "dns")) != NULL &&
	    (n = json_object_array_length(arr)) > 0) {
		g_variant_builder_init(&list, family == AF_INET ?
		    G_VARIANT_TYPE("au") : G_VARIANT_TYPE("aay"));
		for (i = 0; i < n; i++) {
			s = json_object_get_string(
			    json_object_array_get_idx(arr, i));
			if (s != NULL && family == AF_INET &&
			    inet_pton(AF_INET, s, &a4) == 1)
				g_variant_builder_add(&list, "u", a4.s_addr);
			else if (s != NULL && family == AF_INET6 &&
			    inet_pton(AF_INET6, s, &a6) == 1)
				g_variant_builder_add_value(&list,
				    ip6_bytes(&a6));
			else {
				g_variant_builder_clear(&list);
				return fail(err, err_len, "dns", "holds a "
				    "malformed address");
			}
		}
		g_variant_builder_add(b, "{sv}", "dns",
		    g_variant_builder_end(&list));
	}
	if ((arr = get_array(ip, "domains")) != NULL &&
	    (n = json_object_array_length(arr)) > 0) {
		g_variant_builder_init(&list, G_VARIANT_TYPE("as"));
		for (i = 0; i < n; i++) {
			s = json_object_get_string(
			    json_object_array_get_idx(arr, i));
			if (s == NULL || *s == '\0' ||
			    !g_utf8_validate(s, -1, NULL)) {
				g_variant_builder_clear(&list);
				return fail(err, err_len, "domains", "holds "
				    "an empty or malformed name");
			}
			g_variant_builder_add(&list, "s", s);
		}
		g_variant_builder_add(b, "{sv}", "domains",
		    g_variant_builder_end(&list));
	}
	return 0;
}

/* "routes": [{"dest", "prefix"}]: aau or a(ayuayu), no next hop. */
static int
add_routes(GVariantBuilder *b, struct json_object *ip, int family,
    char *err, size_t err_len)
{
	static const struct in6_addr any6;
	struct json_object *arr, *r;
	GVariantBuilder list, route;
	struct in6_addr a6;
	struct in_addr a4;
	const char *dest;
	guint32 prefix;
	size_t i, n;

	if ((arr = get_array(ip, "routes")) == NULL ||
	    (n = json_object_array_length(arr)) == 0)
		return 0;
	g_variant_builder_init(&list, family == AF_INET ?
	    G_VARIANT_TYPE("aau") : G_VARIANT_TYPE("a(ayuayu)"));
	for (i = 0; i < n; i++) {
		r = json_object_array_get_idx(arr, i);
		dest = get_string(r, "dest");
		if (dest == NULL || !get_uint(r, "prefix", 0,
		    family == AF_INET ? 32 : 128, &prefix))
			goto bad;
		if (family == AF_INET) {
			if (inet_pton(AF_INET, dest, &a4) != 1)
				goto bad;
			g_variant_builder_init(&route, G_VARIANT_TYPE("au"));
			g_variant_builder_add(&route, "u", a4.s_addr);
			g_variant_builder_add(&route, "u", prefix);
			g_variant_builder_add(&route, "u", (guint32)0);
			g_variant_builder_add(&route, "u", (guint32)0);
			g_variant_builder_add_value(&list,
			    g_variant_builder_end(&route));
		} else {
			if (inet_pton(AF_INET6, dest, &a6) != 1)
				goto bad;
			g_variant_builder_add_value(&list, g_variant_new(
			    "(@ayu@ayu)", ip6_bytes(&a6), prefix,
			    ip6_bytes(&any6), (guint32)0));
		}
	}
	g_variant_builder_add(b, "{sv}", "routes",
	    g_variant_builder_end(&list));
	return 0;
bad:
	g_variant_builder_clear(&list);
	return fail(err, err_len, "routes", "holds a malformed route");
}

/* One "ip4" or "ip6" object -> its dict (a new reference) or NULL. */
static GVariant *
ip_dict(struct json_object *ip, int family, char *err, size_t err_len)
{
	struct json_object *nd;
	GVariantBuilder b;
	struct in6_addr a6;
	struct in_addr a4;
	const char *addr;
	guint32 prefix;

	addr = get_string(ip, "address");
	if (addr == NULL || !get_uint(ip, "prefix", 1,
	    family == AF_INET ? 32 : 128, &prefix)) {
		fail(err, err_len, family == AF_INET ? "ip4" : "ip6",
		    "lacks an address or prefix");
		return NULL;
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	if (family == AF_INET && inet_pton(AF_INET, addr, &a4) == 1)
		g_variant_builder_add(&b, "{sv}", "address",
		    g_variant_new_uint32(a4.s_addr));
	else if (family == AF_INET6 && inet_pton(AF_INET6, addr, &a6) == 1)
		g_variant_builder_add(&b, "{sv}", "address", ip6_bytes(&a6));
	else {
		g_variant_builder_clear(&b);
		fail(err, err_len, "address", "is malformed");
		return NULL;
	}
	g_variant_builder_add(&b, "{sv}", "prefix",
	    g_variant_new_uint32(prefix));
	if (add_dns(&b, ip, family, err, err_len) != 0 ||
	    add_routes(&b, ip, family, err, err_len) != 0) {
		g_variant_builder_clear(&b);
		return NULL;
	}
	/* A split tunnel: only its routes go through the VPN. */
	if (json_object_object_get_ex(ip, "never_default", &nd) &&
	    json_object_get_boolean(nd))
		g_variant_builder_add(&b, "{sv}", "never-default",
		    g_variant_new_boolean(TRUE));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

int
nm_ikeroam_config_from_json(struct json_object *ev,
    struct nm_ikeroam_config *out, char *err, size_t err_len)
{
	struct json_object *ip4 = NULL, *ip6 = NULL;
	GVariantBuilder b;
	struct in6_addr a6;
	struct in_addr a4;
	const char *tun, *gw, *banner;
	guint32 mtu;

	memset(out, 0, sizeof(*out));
	if ((tun = get_string(ev, "interface")) == NULL || *tun == '\0')
		return fail(err, err_len, "interface", "is missing");
	if ((gw = get_string(ev, "gateway")) == NULL)
		return fail(err, err_len, "gateway", "is missing");
	json_object_object_get_ex(ev, "ip4", &ip4);
	json_object_object_get_ex(ev, "ip6", &ip6);
	if (ip4 != NULL && !json_object_is_type(ip4, json_type_object))
		ip4 = NULL;
	if (ip6 != NULL && !json_object_is_type(ip6, json_type_object))
		ip6 = NULL;
	if (ip4 == NULL && ip6 == NULL)
		return fail(err, err_len, "ip4/ip6", "are both missing");

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "tundev", g_variant_new_string(tun));
	/* The outer address: NetworkManager keeps a route to it. */
	if (inet_pton(AF_INET, gw, &a4) == 1)
		g_variant_builder_add(&b, "{sv}", "gateway",
		    g_variant_new_uint32(a4.s_addr));
	else if (inet_pton(AF_INET6, gw, &a6) == 1)
		g_variant_builder_add(&b, "{sv}", "gateway", ip6_bytes(&a6));
	else {
		g_variant_builder_clear(&b);
		return fail(err, err_len, "gateway", "is malformed");
	}
	if (get_uint(ev, "mtu", 576, 65535, &mtu))
		g_variant_builder_add(&b, "{sv}", "mtu",
		    g_variant_new_uint32(mtu));
	if ((banner = get_string(ev, "banner")) != NULL && *banner != '\0')
		g_variant_builder_add(&b, "{sv}", "banner",
		    g_variant_new_string(banner));
	g_variant_builder_add(&b, "{sv}", "has-ip4",
	    g_variant_new_boolean(ip4 != NULL));
	g_variant_builder_add(&b, "{sv}", "has-ip6",
	    g_variant_new_boolean(ip6 != NULL));
	out->config = g_variant_ref_sink(g_variant_builder_end(&b));

	if ((ip4 != NULL && (out->ip4 = ip_dict(ip4, AF_INET, err,
	    err_len)) == NULL) || (ip6 != NULL &&
	    (out->ip6 = ip_dict(ip6, AF_INET6, err, err_len)) == NULL)) {
		nm_ikeroam_config_clear(out);
		return -1;
	}
	return 0;
}

void
nm_ikeroam_config_clear(struct nm_ikeroam_config *cfg)
{
	g_clear_pointer(&cfg->config, g_variant_unref);
	g_clear_pointer(&cfg->ip4, g_variant_unref);
	g_clear_pointer(&cfg->ip6, g_variant_unref);
}

NMVpnPluginFailure
nm_ikeroam_failure(int exit_status)
{
	switch (exit_status) {
	case IR_EXIT_AUTH:
		/* A wrong PSK or password: NetworkManager asks again. */
		return NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED;
	case IR_EXIT_REFUSED:
		/* The gateway refused our selectors or address. */
		return NM_VPN_PLUGIN_FAILURE_BAD_IP_CONFIG;
	default:
		return NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED;
	}
}
