/*
 * src/conn_status.c: the connection's state as JSON for scripts and
 * NetworkManager (--status-file FILE), rewritten atomically at every
 * change: connecting, trying TCP, up, TCP re-opening, closed (with the
 * exit status and the one-line reason).  No secrets: addresses, names,
 * counters.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/ir_mem.h"
#include "src/conn_int.h"
#include "src/log.h"
#include "src/priv.h"
#include "src/safefile.h"

static const char *
state_name(const struct conn *c)
{
	if (c->released)
		return "closed";
	return session_state_name(c->sess.state);
}

static struct json_object *
ip_json(int af, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	return inet_ntop(af, a, buf, sizeof(buf)) != NULL ?
	    json_object_new_string(buf) : NULL;
}

static void
add_ip(struct json_object *o, const char *key, int af, const uint8_t *a)
{
	json_object_object_add(o, key, ip_json(af, a));
}

static struct json_object *
status_json(const struct conn *c, const char *event)
{
	struct json_object *o = json_object_new_object(), *dns, *x;
	const struct xport *xp = conn_xp(c);
	unsigned i;

	json_object_object_add(o, "state", json_object_new_string(
	    state_name(c)));
	if (c->sess.sub != SU_NONE && !c->released)
		json_object_object_add(o, "substate", json_object_new_string(
		    session_sub_name(c->sess.sub)));
	json_object_object_add(o, "event", json_object_new_string(event));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "gateway",
	    json_object_new_string(c->cf.gw_name));
	json_object_object_add(o, "transport", xp != NULL ?
	    json_object_new_string(xp->name) : NULL);
	json_object_object_add(o, "fallback", json_object_new_string(
	    fallback_state_name(c->sess.fb.state)));
	json_object_object_add(o, "sessions_lost",
	    json_object_new_int((int)c->sess.sessions_lost));
	if (c->path.valid) {
		char buf[128];

		json_object_object_add(o, "path", json_object_new_string(
		    net_path_str(&c->path, buf, sizeof(buf))));
	}
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(
	    (int64_t)(uv_now(c->loop) - c->t_start)));
	if (c->tun.fd >= 0) {
		json_object_object_add(o, "interface",
		    json_object_new_string(c->tun.name));
		json_object_object_add(o, "mtu",
		    json_object_new_int((int)c->tun_mtu));
	}
	if (c->have_cfg && c->cfg.has_ip4)
		add_ip(o, "address", AF_INET, c->cfg.ip4);
	if (c->have_cfg && c->cfg.has_ip6)
		add_ip(o, "address6", AF_INET6, c->cfg.ip6);
	if (c->have_cfg && c->cfg.n_dns4 + c->cfg.n_dns6 > 0) {
		dns = json_object_new_array();
		for (i = 0; i < c->cfg.n_dns4; i++)
			json_object_array_add(dns, ip_json(AF_INET,
			    c->cfg.dns4[i]));
		for (i = 0; i < c->cfg.n_dns6; i++)
			json_object_array_add(dns, ip_json(AF_INET6,
			    c->cfg.dns6[i]));
		json_object_object_add(o, "dns", dns);
	}
	if (xp != NULL) {
		x = json_object_new_object();
		json_object_object_add(x, "tx_esp",
		    json_object_new_int64((int64_t)xp->stats.tx_esp));
		json_object_object_add(x, "rx_esp",
		    json_object_new_int64((int64_t)xp->stats.rx_esp));
		json_object_object_add(x, "drop_tx_full",
		    json_object_new_int64((int64_t)xp->stats.drop_tx_full));
		json_object_object_add(x, "drop_no_sa",
		    json_object_new_int64((int64_t)c->drop_no_sa));
		json_object_object_add(x, "drop_outside_ts",
		    json_object_new_int64((int64_t)c->drop_ts));
		json_object_object_add(o, "counters", x);
	}
	if (c->released) {
		json_object_object_add(o, "exit_status",
		    json_object_new_int(c->exit_code));
		json_object_object_add(o, "reason", json_object_new_string(
		    c->failed ? c->fail.detail : c->close.detail));
	}
	return o;
}

void
conn_status(struct conn *c, const char *event)
{
	struct json_object *o;
	const char *text;
	char *line, err[600];
	size_t len;

	if (c->cf.status_file == NULL)
		return;
	o = status_json(c, event);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	len = strlen(text);
	if ((line = ir_malloc(len + 1)) != NULL) {
		memcpy(line, text, len);
		line[len] = '\n';
		/* main.c checked the directory: a failure here is passing. */
		if (c->cf.priv != NULL)
			priv_status_write(c->cf.priv, line, len + 1);
		else if (safefile_write(c->cf.status_file, 0644, line,
		    len + 1, err, sizeof(err)) != 0)
			log_debug("%s", err);
		ir_free(line);
	}
	json_object_put(o);
}
