/*
 * tests/nm/check_nm_event.c: ikeroam's "config" event becomes the
 * Config/Ip4Config/Ip6Config dicts of NetworkManager's VPN API, and an
 * exit status the right failure reason.
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "nm/service/nm_ikeroam_event.h"
#include "src/exitcode.h"

static struct json_object *
parse(const char *text)
{
	struct json_object *o = json_tokener_parse(text);

	ck_assert_ptr_nonnull(o);
	return o;
}

static guint32
ip4(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

START_TEST(split_tunnel)
{
	struct json_object *ev = parse("{\"event\":\"config\","
	    "\"interface\":\"ikeroam0\",\"gateway\":\"198.51.100.10\","
	    "\"mtu\":1400,\"banner\":\"hello\",\"ip4\":{\"address\":"
	    "\"198.51.100.130\",\"prefix\":32,\"routes\":[{\"dest\":"
	    "\"203.0.113.0\",\"prefix\":24}],\"never_default\":true,"
	    "\"dns\":[\"203.0.113.53\"],\"domains\":[\"corp.test\"]}}");
	struct nm_ikeroam_config cfg;
	GVariant *routes, *r, *dns, *doms;
	const char *s;
	guint32 u;
	gboolean b;
	char err[128];

	ck_assert_int_eq(nm_ikeroam_config_from_json(ev, &cfg, err,
	    sizeof(err)), 0);
	ck_assert(g_variant_lookup(cfg.config, "tundev", "&s", &s));
	ck_assert_str_eq(s, "ikeroam0");
	ck_assert(g_variant_lookup(cfg.config, "gateway", "u", &u));
	ck_assert_uint_eq(u, ip4("198.51.100.10"));
	ck_assert(g_variant_lookup(cfg.config, "mtu", "u", &u));
	ck_assert_uint_eq(u, 1400);
	ck_assert(g_variant_lookup(cfg.config, "banner", "&s", &s));
	ck_assert(g_variant_lookup(cfg.config, "has-ip4", "b", &b) && b);
	ck_assert(g_variant_lookup(cfg.config, "has-ip6", "b", &b) && !b);
	ck_assert_ptr_null(cfg.ip6);

	ck_assert(g_variant_lookup(cfg.ip4, "address", "u", &u));
	ck_assert_uint_eq(u, ip4("198.51.100.130"));
	ck_assert(g_variant_lookup(cfg.ip4, "prefix", "u", &u));
	ck_assert_uint_eq(u, 32);
	ck_assert(g_variant_lookup(cfg.ip4, "never-default", "b", &b) && b);
	routes = g_variant_lookup_value(cfg.ip4, "routes",
	    G_VARIANT_TYPE("aau"));
	ck_assert_ptr_nonnull(routes);
	ck_assert_uint_eq(g_variant_n_children(routes), 1);
	r = g_variant_get_child_value(routes, 0);
	ck_assert_uint_eq(g_variant_n_children(r), 4);
	g_variant_get_child(r, 0, "u", &u);
	ck_assert_uint_eq(u, ip4("203.0.113.0"));
	g_variant_get_child(r, 1, "u", &u);
	ck_assert_uint_eq(u, 24);
	g_variant_unref(r);
	g_variant_unref(routes);
	dns = g_variant_lookup_value(cfg.ip4, "dns", G_VARIANT_TYPE("au"));
	ck_assert_ptr_nonnull(dns);
	g_variant_get_child(dns, 0, "u", &u);
	ck_assert_uint_eq(u, ip4("203.0.113.53"));
	g_variant_unref(dns);
	doms = g_variant_lookup_value(cfg.ip4, "domains", G_VARIANT_TYPE("as"));
	ck_assert_ptr_nonnull(doms);
	g_variant_get_child(doms, 0, "&s", &s);
	ck_assert_str_eq(s, "corp.test");
	g_variant_unref(doms);
	nm_ikeroam_config_clear(&cfg);
	ck_assert_ptr_null(cfg.config);
	json_object_put(ev);
}
END_TEST

START_TEST(full_tunnel_ip6)
{
	struct json_object *ev = parse("{\"event\":\"config\","
	    "\"interface\":\"ikeroam1\",\"gateway\":\"2001:db8::1\","
	    "\"ip6\":{\"address\":\"2001:db8:1::5\",\"prefix\":64,"
	    "\"dns\":[\"2001:db8:1::53\"],\"routes\":[{\"dest\":"
	    "\"2001:db8:2::\",\"prefix\":48}]}}");
	struct nm_ikeroam_config cfg;
	GVariant *v, *routes;
	gboolean b;
	char err[128];

	ck_assert_int_eq(nm_ikeroam_config_from_json(ev, &cfg, err,
	    sizeof(err)), 0);
	v = g_variant_lookup_value(cfg.config, "gateway",
	    G_VARIANT_TYPE("ay"));
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(g_variant_n_children(v), 16);
	g_variant_unref(v);
	ck_assert(g_variant_lookup(cfg.config, "has-ip6", "b", &b) && b);
	ck_assert_ptr_null(cfg.ip4);
	ck_assert(!g_variant_lookup(cfg.ip6, "never-default", "b", &b));
	routes = g_variant_lookup_value(cfg.ip6, "routes",
	    G_VARIANT_TYPE("a(ayuayu)"));
	ck_assert_ptr_nonnull(routes);
	g_variant_unref(routes);
	v = g_variant_lookup_value(cfg.ip6, "dns", G_VARIANT_TYPE("aay"));
	ck_assert_ptr_nonnull(v);
	g_variant_unref(v);
	nm_ikeroam_config_clear(&cfg);
	json_object_put(ev);
}
END_TEST

/*
 * The events as ikeroam's control socket writes them (src/control_msg.c:
 * every member present, empty arrays included): a full IPv4 tunnel with
 * no DNS, and dual stack whose domains ride on the IPv4 object.
 */
START_TEST(as_ikeroam_sends)
{
	struct json_object *full = parse("{\"event\":\"config\","
	    "\"interface\":\"tun0\",\"gateway\":\"198.51.100.10\","
	    "\"mtu\":1410,\"ip4\":{\"address\":\"198.51.100.129\","
	    "\"prefix\":32,\"routes\":[],\"never_default\":false,"
	    "\"dns\":[],\"domains\":[]}}");
	struct json_object *dual = parse("{\"event\":\"config\","
	    "\"interface\":\"tun1\",\"gateway\":\"198.51.100.10\","
	    "\"mtu\":1410,\"ip4\":{\"address\":\"198.51.100.129\","
	    "\"prefix\":32,\"routes\":[{\"dest\":\"203.0.113.0\","
	    "\"prefix\":24}],\"never_default\":true,\"dns\":"
	    "[\"203.0.113.53\"],\"domains\":[\"corp.test\"]},\"ip6\":"
	    "{\"address\":\"2001:db8:1::5\",\"prefix\":128,\"routes\":"
	    "[{\"dest\":\"2001:db8:2::\",\"prefix\":48}],"
	    "\"never_default\":true,\"dns\":[],\"domains\":[]}}");
	struct nm_ikeroam_config cfg;
	GVariant *v;
	gboolean b;
	guint32 u;
	char err[128];

	ck_assert_int_eq(nm_ikeroam_config_from_json(full, &cfg, err,
	    sizeof(err)), 0);
	ck_assert(g_variant_lookup(cfg.config, "mtu", "u", &u));
	ck_assert_uint_eq(u, 1410);
	ck_assert(g_variant_lookup(cfg.config, "has-ip6", "b", &b) && !b);
	/* Full tunnel: NetworkManager's default route goes into it. */
	ck_assert(!g_variant_lookup(cfg.ip4, "never-default", "b", &b));
	/* Empty arrays are left out, not sent as empty lists. */
	ck_assert_ptr_null(g_variant_lookup_value(cfg.ip4, "routes", NULL));
	ck_assert_ptr_null(g_variant_lookup_value(cfg.ip4, "dns", NULL));
	ck_assert_ptr_null(g_variant_lookup_value(cfg.ip4, "domains", NULL));
	nm_ikeroam_config_clear(&cfg);

	ck_assert_int_eq(nm_ikeroam_config_from_json(dual, &cfg, err,
	    sizeof(err)), 0);
	ck_assert(g_variant_lookup(cfg.config, "has-ip4", "b", &b) && b);
	ck_assert(g_variant_lookup(cfg.config, "has-ip6", "b", &b) && b);
	ck_assert(g_variant_lookup(cfg.ip4, "never-default", "b", &b) && b);
	ck_assert(g_variant_lookup(cfg.ip6, "never-default", "b", &b) && b);
	v = g_variant_lookup_value(cfg.ip4, "domains", G_VARIANT_TYPE("as"));
	ck_assert_ptr_nonnull(v);
	g_variant_unref(v);
	ck_assert_ptr_null(g_variant_lookup_value(cfg.ip6, "domains", NULL));
	ck_assert_ptr_null(g_variant_lookup_value(cfg.ip6, "dns", NULL));
	v = g_variant_lookup_value(cfg.ip6, "routes",
	    G_VARIANT_TYPE("a(ayuayu)"));
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(g_variant_n_children(v), 1);
	g_variant_unref(v);
	nm_ikeroam_config_clear(&cfg);
	json_object_put(full);
	json_object_put(dual);
}
END_TEST

static const char *const bad_events[] = {
	"{\"gateway\":\"192.0.2.1\",\"ip4\":{\"address\":\"1.2.3.4\","
	    "\"prefix\":32}}",
	"{\"interface\":\"t\",\"ip4\":{\"address\":\"1.2.3.4\","
	    "\"prefix\":32}}",
	"{\"interface\":\"t\",\"gateway\":\"192.0.2.1\"}",
	"{\"interface\":\"t\",\"gateway\":\"nope\",\"ip4\":{\"address\":"
	    "\"1.2.3.4\",\"prefix\":32}}",
	"{\"interface\":\"t\",\"gateway\":\"192.0.2.1\",\"ip4\":{\"address\":"
	    "\"1.2.3\",\"prefix\":32}}",
	"{\"interface\":\"t\",\"gateway\":\"192.0.2.1\",\"ip4\":{\"address\":"
	    "\"1.2.3.4\",\"prefix\":33}}",
	"{\"interface\":\"t\",\"gateway\":\"192.0.2.1\",\"ip4\":{\"address\":"
	    "\"1.2.3.4\",\"prefix\":32,\"dns\":[\"x\"]}}",
	"{\"interface\":\"t\",\"gateway\":\"192.0.2.1\",\"ip4\":{\"address\":"
	    "\"1.2.3.4\",\"prefix\":32,\"routes\":[{\"dest\":\"10.0.0.0\"}]}}",
	"{\"interface\":\"t\",\"gateway\":\"192.0.2.1\",\"ip4\":{\"address\":"
	    "\"1.2.3.4\",\"prefix\":32},\"ip6\":{\"address\":\"::1\"}}",
	"{\"interface\":\"t\",\"gateway\":\"192.0.2.1\",\"ip4\":{\"address\":"
	    "\"1.2.3.4\",\"prefix\":32,\"domains\":[\"\"]}}",
	/* Not UTF-8: D-Bus would refuse the string. */
	"{\"interface\":\"t\xed\",\"gateway\":\"192.0.2.1\",\"ip4\":{"
	    "\"address\":\"1.2.3.4\",\"prefix\":32}}",
	"{\"interface\":\"t\",\"gateway\":\"192.0.2.1\",\"ip4\":{\"address\":"
	    "\"1.2.3.4\",\"prefix\":32,\"domains\":[\"c\xdf\"]}}",
};

START_TEST(malformed)
{
	struct json_object *ev = parse(bad_events[_i]);
	struct nm_ikeroam_config cfg;
	char err[128] = "";

	ck_assert_int_eq(nm_ikeroam_config_from_json(ev, &cfg, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(cfg.config);
	ck_assert_ptr_null(cfg.ip4);
	ck_assert_ptr_null(cfg.ip6);
	ck_assert_msg(strncmp(err, "config event: ", 14) == 0, "%s", err);
	json_object_put(ev);
}
END_TEST

START_TEST(failures)
{
	ck_assert_int_eq(nm_ikeroam_failure(IR_EXIT_AUTH),
	    NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED);
	ck_assert_int_eq(nm_ikeroam_failure(IR_EXIT_UNREACHABLE),
	    NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
	ck_assert_int_eq(nm_ikeroam_failure(IR_EXIT_PEER_CERT),
	    NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
	ck_assert_int_eq(nm_ikeroam_failure(IR_EXIT_LOST),
	    NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
	/* The key's token missing: nothing to ask (a wrong PIN is 3). */
	ck_assert_int_eq(nm_ikeroam_failure(IR_EXIT_TOKEN),
	    NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
	ck_assert_int_eq(nm_ikeroam_failure(IR_EXIT_REFUSED),
	    NM_VPN_PLUGIN_FAILURE_BAD_IP_CONFIG);
	ck_assert_int_eq(nm_ikeroam_failure(IR_EXIT_FAILURE),
	    NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
}
END_TEST

Suite *
nm_event_suite(void)
{
	Suite *s = suite_create("nm_event");
	TCase *tc = tcase_create("event");

	tcase_add_test(tc, split_tunnel);
	tcase_add_test(tc, full_tunnel_ip6);
	tcase_add_test(tc, as_ikeroam_sends);
	tcase_add_loop_test(tc, malformed, 0,
	    sizeof(bad_events) / sizeof(bad_events[0]));
	tcase_add_test(tc, failures);
	suite_add_tcase(s, tc);
	return s;
}
