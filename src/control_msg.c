/*
 * src/control_msg.c: the control socket's messages (src/control_msg.h):
 * the request parser every peer line goes through, the replies and
 * events, and who may connect.  Pure.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/control_msg.h"

#define CTL_JSON_DEPTH	4	/* a request is a flat object */

static const char *const cmd_names[] = {
	[CTL_STATUS] = "status",
	[CTL_SUBSCRIBE] = "subscribe",
	[CTL_UNSUBSCRIBE] = "unsubscribe",
	[CTL_DISCONNECT] = "disconnect",
	[CTL_RECONNECT] = "reconnect",
};

const char *
ctl_cmd_name(int cmd)
{
	if (cmd < CTL_STATUS || cmd > CTL_RECONNECT)
		return "?";
	return cmd_names[cmd];
}

static int
bad(char *err, size_t err_len, const char *what)
{
	snprintf(err, err_len, "%s", what);
	return IR_ERR_MALFORMED;
}

int
ctl_req_parse(const char *line, size_t len, struct ctl_req *rq, char *err,
    size_t err_len)
{
	struct json_tokener *tok;
	struct json_object *o, *v;
	const char *s;
	size_t i, end;
	int64_t id;
	int c;

	rq->id = -1;
	rq->cmd = 0;
	if (len >= CTL_LINE_MAX)
		return bad(err, err_len, "request too long");
	if (memchr(line, '\0', len) != NULL)
		return bad(err, err_len, "a NUL in the request");
	if ((tok = json_tokener_new_ex(CTL_JSON_DEPTH)) == NULL)
		return bad(err, err_len, "out of memory");
	o = json_tokener_parse_ex(tok, line, (int)len);
	end = o != NULL ? (size_t)json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	if (o == NULL)
		return bad(err, err_len, "not JSON");
	for (i = end; i < len; i++)	/* only white space may follow */
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
			json_object_put(o);
			return bad(err, err_len, "text after the JSON object");
		}
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return bad(err, err_len, "not a JSON object");
	}
	if (json_object_object_get_ex(o, "id", &v) &&
	    json_object_is_type(v, json_type_int) &&
	    (id = json_object_get_int64(v)) >= 0 && id <= CTL_ID_MAX)
		rq->id = id;
	else {
		json_object_put(o);
		return bad(err, err_len, "\"id\" must be an integer from 0 to "
		    "2^53-1");
	}
	if (!json_object_object_get_ex(o, "cmd", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		json_object_put(o);
		return bad(err, err_len, "\"cmd\" must be a string");
	}
	s = json_object_get_string(v);
	for (c = CTL_STATUS; c <= CTL_RECONNECT; c++)
		if (strcmp(s, cmd_names[c]) == 0)
			rq->cmd = c;
	json_object_put(o);
	if (rq->cmd == 0)
		return bad(err, err_len, "unknown \"cmd\": use status, "
		    "subscribe, unsubscribe, disconnect or reconnect");
	return 0;
}

size_t
ctl_req_build(int64_t id, int cmd, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "{\"id\":%lld,\"cmd\":\"%s\"}\n",
	    (long long)id, ctl_cmd_name(cmd));

	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

static struct json_object *
reply(int64_t id, bool ok)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", id >= 0 ?
	    json_object_new_int64(id) : NULL);
	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	return o;
}

struct json_object *
ctl_reply_ok(int64_t id)
{
	return reply(id, true);
}

struct json_object *
ctl_reply_error(int64_t id, const char *error)
{
	struct json_object *o = reply(id, false);

	json_object_object_add(o, "error", json_object_new_string(error));
	return o;
}

struct json_object *
ctl_event(const char *name)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "event", json_object_new_string(name));
	return o;
}

struct json_object *
ctl_event_state(const char *state, const char *sub, const char *reason)
{
	struct json_object *o = ctl_event("state");

	json_object_object_add(o, "state", json_object_new_string(state));
	json_object_object_add(o, "substate", json_object_new_string(
	    sub != NULL ? sub : ""));
	json_object_object_add(o, "reason", json_object_new_string(
	    reason != NULL ? reason : ""));
	return o;
}

struct json_object *
ctl_event_exit(int exit_status, const char *reason)
{
	struct json_object *o = ctl_event("exit");

	json_object_object_add(o, "exit_status",
	    json_object_new_int(exit_status));
	json_object_object_add(o, "reason", json_object_new_string(
	    reason != NULL ? reason : ""));
	return o;
}

static struct json_object *
ip_text(int af, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	return inet_ntop(af, a, buf, sizeof(buf)) != NULL ?
	    json_object_new_string(buf) : json_object_new_string("");
}

/* "ip4" or "ip6": address, prefix, routes, never_default, dns,
 * domains (with the first family that has an address). */
static struct json_object *
ip_obj(const struct ctl_config *c, int af, bool domains)
{
	const struct ike_cfg_reply *r = &c->cfg;
	struct json_object *o = json_object_new_object(), *a;
	uint8_t fam = af == AF_INET ? 4 : 6;
	size_t i, n = 0;

	json_object_object_add(o, "address", af == AF_INET ?
	    ip_text(AF_INET, r->ip4) : ip_text(AF_INET6, r->ip6));
	json_object_object_add(o, "prefix", json_object_new_int(af == AF_INET ?
	    (r->ip4_prefix != 0 ? r->ip4_prefix : 32) :
	    (r->ip6_prefix != 0 ? r->ip6_prefix : 128)));
	a = json_object_new_array();
	for (i = 0; i < c->n_routes; i++) {
		struct json_object *rt;

		if (c->routes[i].family != fam)
			continue;
		rt = json_object_new_object();
		json_object_object_add(rt, "dest", ip_text(af,
		    c->routes[i].addr));
		json_object_object_add(rt, "prefix",
		    json_object_new_int(c->routes[i].prefix));
		json_object_array_add(a, rt);
		n++;
	}
	json_object_object_add(o, "routes", a);
	/* Splits of this family: only they go through the tunnel. */
	json_object_object_add(o, "never_default",
	    json_object_new_boolean(n > 0));
	a = json_object_new_array();
	if (af == AF_INET)
		for (i = 0; i < r->n_dns4; i++)
			json_object_array_add(a, ip_text(AF_INET, r->dns4[i]));
	else
		for (i = 0; i < r->n_dns6; i++)
			json_object_array_add(a, ip_text(AF_INET6, r->dns6[i]));
	json_object_object_add(o, "dns", a);
	a = json_object_new_array();
	for (i = 0; domains && i < r->n_domains; i++)
		json_object_array_add(a, json_object_new_string_len(
		    r->domains[i], (int)strnlen(r->domains[i],
		    sizeof(r->domains[i]))));
	json_object_object_add(o, "domains", a);
	return o;
}

struct json_object *
ctl_event_config(const struct ctl_config *c)
{
	struct json_object *o;

	if (!c->cfg.has_ip4 && !c->cfg.has_ip6)
		return NULL;
	o = ctl_event("config");
	json_object_object_add(o, "interface", json_object_new_string(
	    c->interface != NULL ? c->interface : ""));
	json_object_object_add(o, "gateway", json_object_new_string(
	    c->gateway != NULL ? c->gateway : ""));
	json_object_object_add(o, "mtu", json_object_new_int((int)c->mtu));
	if (c->cfg.has_ip4)
		json_object_object_add(o, "ip4", ip_obj(c, AF_INET, true));
	if (c->cfg.has_ip6)
		json_object_object_add(o, "ip6", ip_obj(c, AF_INET6,
		    !c->cfg.has_ip4));
	return o;
}

char *
ctl_line(struct json_object *o, size_t *len)
{
	const char *text = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN);
	size_t n = strlen(text);
	char *line;

	if ((line = ir_malloc(n + 2)) == NULL)
		return NULL;
	memcpy(line, text, n);
	line[n] = '\n';
	line[n + 1] = '\0';
	*len = n + 1;
	return line;
}

bool
ctl_peer_allowed(uid_t uid, gid_t gid, const gid_t *groups,
    size_t n_groups, bool group_set, gid_t group)
{
	size_t i;

	if (uid == 0)
		return true;
	if (!group_set)
		return false;
	if (gid == group)
		return true;
	for (i = 0; i < n_groups; i++)
		if (groups[i] == group)
			return true;
	return false;
}
