/*
 * tests/src/check_control.c: the control socket's codec and access
 * policy (src/control_msg.c): requests as peers may send them, replies
 * and events as nm/service/nm_ikeroam_event.c reads them.
 */
#include <arpa/inet.h>
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/control_msg.h"

static int
parse(const char *line, struct ctl_req *rq)
{
	char err[160];

	return ctl_req_parse(line, strlen(line), rq, err, sizeof(err));
}

START_TEST(requests)
{
	static const struct { const char *line; int cmd; } ok[] = {
		{ "{\"id\":1,\"cmd\":\"status\"}", CTL_STATUS },
		{ "{\"cmd\":\"subscribe\",\"id\":2}", CTL_SUBSCRIBE },
		{ " {\"id\":3,\"cmd\":\"unsubscribe\"} \r", CTL_UNSUBSCRIBE },
		{ "{\"id\":0,\"cmd\":\"disconnect\",\"x\":[1]}", CTL_DISCONNECT },
		{ "{\"id\":9007199254740991,\"cmd\":\"reconnect\"}",
		    CTL_RECONNECT },
	};
	struct ctl_req rq;
	char line[96];
	size_t i, n;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_int_eq(parse(ok[i].line, &rq), 0);
		ck_assert_int_eq(rq.cmd, ok[i].cmd);
	}
	ck_assert_int_eq(rq.id, 9007199254740991LL);
	/* What the commands send parses back. */
	n = ctl_req_build(42, CTL_STATUS, line, sizeof(line));
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(line[n - 1], '\n');
	ck_assert_int_eq(ctl_req_parse(line, n - 1, &rq, line + 60, 30), 0);
	ck_assert_int_eq(rq.id, 42);
	ck_assert_int_eq(rq.cmd, CTL_STATUS);
	ck_assert_uint_eq(ctl_req_build(1, CTL_STATUS, line, 10), 0);
}
END_TEST

START_TEST(bad_requests)
{
	static const char *const bad[] = {
		"", "{", "[1,2]", "42", "\"status\"", "{\"id\":1}",
		"{\"cmd\":\"status\"}", "{\"id\":-1,\"cmd\":\"status\"}",
		"{\"id\":1.5,\"cmd\":\"status\"}", "{\"id\":\"1\",\"cmd\":\"status\"}",
		"{\"id\":9007199254740992,\"cmd\":\"status\"}",
		"{\"id\":1,\"cmd\":\"STATUS\"}", "{\"id\":1,\"cmd\":\"fly\"}",
		"{\"id\":1,\"cmd\":7}", "{\"id\":1,\"cmd\":\"status\"} x",
		"{\"id\":1,\"cmd\":\"status\"}{}", "{\"id\":true,\"cmd\":\"status\"}",
		"{\"a\":{\"b\":{\"c\":{\"d\":{}}}},\"id\":1,\"cmd\":\"status\"}",
	};
	struct ctl_req rq;
	char err[160];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(ctl_req_parse(bad[i], strlen(bad[i]), &rq, err,
		    sizeof(err)) == IR_ERR_MALFORMED, "accepted: %s", bad[i]);
		ck_assert_msg(err[0] != '\0', "no error line for %s", bad[i]);
	}
	/* The id of a request with an unknown command is kept for the
	 * error reply. */
	ck_assert_int_eq(parse("{\"id\":5,\"cmd\":\"fly\"}", &rq),
	    IR_ERR_MALFORMED);
	ck_assert_int_eq(rq.id, 5);
	/* An embedded NUL, and a line at the bound. */
	ck_assert_int_eq(ctl_req_parse("{\"id\":1,\0\"cmd\":\"status\"}", 25,
	    &rq, err, sizeof(err)), IR_ERR_MALFORMED);
	ck_assert_int_eq(ctl_req_parse("{}", CTL_LINE_MAX, &rq, err,
	    sizeof(err)), IR_ERR_MALFORMED);
}
END_TEST

static const char *
text(struct json_object *o, char **keep)
{
	size_t len;

	*keep = ctl_line(o, &len);
	json_object_put(o);
	ck_assert_ptr_nonnull(*keep);
	ck_assert_int_eq((*keep)[len - 1], '\n');
	ck_assert_ptr_null(memchr(*keep, '\n', len - 1));
	return *keep;
}

START_TEST(replies_events)
{
	char *s;

	ck_assert_str_eq(text(ctl_reply_ok(3), &s), "{\"id\":3,\"ok\":true}\n");
	ir_free(s);
	ck_assert_str_eq(text(ctl_reply_error(-1, "too \"many\"\nclients"), &s),
	    "{\"id\":null,\"ok\":false,\"error\":\"too \\\"many\\\"\\nclients\"}\n");
	ir_free(s);
	ck_assert_str_eq(text(ctl_event_state("up", "steady", NULL), &s),
	    "{\"event\":\"state\",\"state\":\"up\",\"substate\":\"steady\","
	    "\"reason\":\"\"}\n");
	ir_free(s);
	/* The NetworkManager service reads exit_status and reason. */
	ck_assert_str_eq(text(ctl_event_exit(3, "authentication failed"), &s),
	    "{\"event\":\"exit\",\"exit_status\":3,\"reason\":"
	    "\"authentication failed\"}\n");
	ir_free(s);
}
END_TEST

/* The config event in the shape nm/service/nm_ikeroam_event.c parses. */
START_TEST(config_event)
{
	struct ctl_config c;
	struct json_object *o, *ip4, *ip6, *v;
	char *s;

	memset(&c, 0, sizeof(c));
	c.interface = "tun3";
	c.gateway = "198.51.100.10";
	c.mtu = 1400;
	ck_assert_ptr_null(ctl_event_config(&c));	/* no address */
	c.cfg.has_ip4 = true;
	inet_pton(AF_INET, "198.51.100.130", c.cfg.ip4);
	c.cfg.n_dns4 = 1;
	inet_pton(AF_INET, "203.0.113.53", c.cfg.dns4[0]);
	c.cfg.n_domains = 1;
	strcpy(c.cfg.domains[0], "corp.test");
	c.cfg.has_ip6 = true;
	inet_pton(AF_INET6, "2001:db8::5", c.cfg.ip6);
	c.cfg.ip6_prefix = 64;
	c.routes[0].family = 4;
	c.routes[0].prefix = 24;
	inet_pton(AF_INET, "203.0.113.0", c.routes[0].addr);
	c.n_routes = 1;
	o = ctl_event_config(&c);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o,
	    "interface")), "tun3");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o,
	    "gateway")), "198.51.100.10");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(o, "mtu")),
	    1400);
	ck_assert(json_object_object_get_ex(o, "ip4", &ip4));
	ck_assert_str_eq(json_object_get_string(json_object_object_get(ip4,
	    "address")), "198.51.100.130");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(ip4,
	    "prefix")), 32);	/* no netmask: a host */
	v = json_object_object_get(ip4, "routes");
	ck_assert_uint_eq(json_object_array_length(v), 1);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(v, 0), "dest")), "203.0.113.0");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(
	    json_object_array_get_idx(v, 0), "prefix")), 24);
	ck_assert(json_object_get_boolean(json_object_object_get(ip4,
	    "never_default")));
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(
	    json_object_object_get(ip4, "dns"), 0)), "203.0.113.53");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(
	    json_object_object_get(ip4, "domains"), 0)), "corp.test");
	/* IPv6: its own prefix, no split of its family: a full tunnel. */
	ck_assert(json_object_object_get_ex(o, "ip6", &ip6));
	ck_assert_str_eq(json_object_get_string(json_object_object_get(ip6,
	    "address")), "2001:db8::5");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(ip6,
	    "prefix")), 64);
	ck_assert(!json_object_get_boolean(json_object_object_get(ip6,
	    "never_default")));
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(ip6,
	    "domains")), 0);
	text(o, &s);
	ir_free(s);
}
END_TEST

START_TEST(peers)
{
	const gid_t groups[] = { 27, 100, 4 };

	ck_assert(ctl_peer_allowed(0, 0, NULL, 0, false, 0));
	ck_assert(ctl_peer_allowed(0, 5, NULL, 0, true, 4));
	ck_assert(!ctl_peer_allowed(1000, 1000, groups, 3, false, 4));
	ck_assert(ctl_peer_allowed(1000, 1000, groups, 3, true, 4));
	ck_assert(ctl_peer_allowed(1000, 4, NULL, 0, true, 4));
	ck_assert(!ctl_peer_allowed(1000, 1000, groups, 2, true, 4));
	ck_assert(!ctl_peer_allowed(65534, 65534, NULL, 0, true, 4));
}
END_TEST

Suite *
control_suite(void)
{
	Suite *s = suite_create("control");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, requests);
	tcase_add_test(tc, bad_requests);
	tcase_add_test(tc, replies_events);
	tcase_add_test(tc, config_event);
	tcase_add_test(tc, peers);
	suite_add_tcase(s, tc);
	return s;
}
