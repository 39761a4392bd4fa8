/*
 * src/conn_status.c: the connection's state as JSON for scripts and
 * NetworkManager (--status-file FILE), rewritten atomically at every
 * change: connecting, trying TCP, up, TCP re-opening, closed (with the
 * exit status and the one-line reason).  No secrets: addresses, names,
 * counters.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/ir_mem.h"
#include "src/conn_int.h"
#include "src/control.h"
#include "src/control_msg.h"
#include "src/log.h"
#include "src/priv.h"
#include "src/priv_msg.h"
#include "src/safefile.h"
#include "src/sdnotify.h"
#include "src/sockaddr_text.h"

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

static void	add_sas(const struct conn *c, struct json_object *o);

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
		json_object_object_add(x, "tx_bytes",
		    json_object_new_int64((int64_t)xp->stats.tx_bytes));
		json_object_object_add(x, "rx_bytes",
		    json_object_new_int64((int64_t)xp->stats.rx_bytes));
		json_object_object_add(o, "counters", x);
	}
	if (xp != NULL && c->xport_why[0] != '\0')
		json_object_object_add(o, "transport_why",
		    json_object_new_string(c->xport_why));
	if (c->t_up != 0 && !c->released)
		json_object_object_add(o, "uptime_ms", json_object_new_int64(
		    (int64_t)(uv_now(c->loop) - c->t_up)));
	add_sas(c, o);
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
		else if (safefile_write_nosync(c->cf.status_file, 0644, line,
		    len + 1, err, sizeof(err)) != 0)
			log_debug("%s", err);
		ir_free(line);
	}
	json_object_put(o);
}

struct json_object *
conn_status_object(const struct conn *c, const char *event)
{
	return status_json(c, event);
}

/* The Child SAs: SPIs, traffic, age and the next rekey. */
static void
add_sas(const struct conn *c, struct json_object *o)
{
	uint64_t now = uv_now(c->loop), life = c->cf.ike.child_rekey_ms != 0 ?
	    c->cf.ike.child_rekey_ms : 3600000;
	struct json_object *a, *s;
	struct esp_sa_stats in, out;
	char spi[16];
	unsigned i;

	a = json_object_new_array();
	for (i = 0; i < CONN_MAX_CHILD; i++) {
		const struct conn_child *ch = &c->child[i];

		if (ch->spi_in == 0 || ch->in == NULL || ch->out == NULL)
			continue;
		esp_sa_get_stats(ch->in, &in);
		/* The outbound SA may be the worker thread's: its mirror. */
		memset(&out, 0, sizeof(out));
		out.packets = atomic_load_explicit(&ch->om.packets,
		    memory_order_relaxed);
		out.bytes = atomic_load_explicit(&ch->om.bytes,
		    memory_order_relaxed);
		s = json_object_new_object();
		snprintf(spi, sizeof(spi), "%08x", ch->spi_in);
		json_object_object_add(s, "spi_in", json_object_new_string(spi));
		snprintf(spi, sizeof(spi), "%08x", ch->spi_out);
		json_object_object_add(s, "spi_out",
		    json_object_new_string(spi));
		json_object_object_add(s, "bytes_in",
		    json_object_new_int64((int64_t)in.bytes));
		json_object_object_add(s, "bytes_out",
		    json_object_new_int64((int64_t)out.bytes));
		json_object_object_add(s, "packets_in",
		    json_object_new_int64((int64_t)in.packets));
		json_object_object_add(s, "packets_out",
		    json_object_new_int64((int64_t)out.packets));
		json_object_object_add(s, "age_s", json_object_new_int64(
		    (int64_t)((now - ch->t_up) / 1000)));
		json_object_object_add(s, "rekey_in_s", json_object_new_int64(
		    now - ch->t_up < life ? (int64_t)((life - (now -
		    ch->t_up)) / 1000) : 0));
		json_object_object_add(s, "active",
		    json_object_new_boolean(ch == c->out));
		json_object_array_add(a, s);
	}
	json_object_object_add(o, "child_sas", a);
}

/* ---- events on the control socket (src/control.h) ----------------------- */

void
conn_event_state(struct conn *c, const char *why)
{
	if (c->ctl == NULL)
		return;
	control_event(c->ctl, ctl_event_state(state_name(c),
	    c->sess.sub != SU_NONE && !c->released ?
	    session_sub_name(c->sess.sub) : "", why));
}

static struct json_object *
config_json(const struct conn *c)
{
	struct ctl_config cc;
	struct tun_split split[CTL_ROUTES_MAX];
	struct netcfg_info info;
	char gw[INET6_ADDRSTRLEN] = "";
	size_t i, n;

	if (!c->have_cfg || c->tun.fd < 0)
		return NULL;
	memset(&cc, 0, sizeof(cc));
	memset(&info, 0, sizeof(info));
	info.cfg = c->cfg;
	memcpy(info.ts_remote, c->ts_remote, sizeof(info.ts_remote));
	info.n_ts_remote = c->n_ts_remote;
	n = netcfg_splits(&info, split, CTL_ROUTES_MAX);
	for (i = 0; i < n; i++) {
		cc.routes[cc.n_routes].family = split[i].net.ip.family ==
		    AF_INET ? 4 : 6;
		cc.routes[cc.n_routes].prefix = split[i].net.len;
		memcpy(cc.routes[cc.n_routes].addr, split[i].net.ip.addr, 16);
		cc.n_routes++;
	}
	sockaddr_text(&c->cf.gw, gw, sizeof(gw));
	cc.interface = c->tun.name;
	cc.gateway = gw;
	cc.mtu = c->tun_mtu;
	cc.cfg = c->cfg;
	return ctl_event_config(&cc);
}

/* Sent at up, and again whenever it changed (a reconnect, a move to
 * TCP with another MTU); |force|: to one who just subscribed. */
void
conn_event_config(struct conn *c, bool force)
{
	struct json_object *o;
	size_t len;
	char *line;

	if (c->ctl == NULL || (o = config_json(c)) == NULL)
		return;
	if ((line = ctl_line(o, &len)) == NULL) {
		json_object_put(o);
		return;
	}
	if (!force && c->last_config != NULL &&
	    strcmp(c->last_config, line) == 0) {
		ir_free(line);
		json_object_put(o);
		return;
	}
	ir_free(c->last_config);
	c->last_config = line;
	control_event(c->ctl, o);
}

void
conn_event_transport(struct conn *c, const char *why)
{
	const struct xport *xp = conn_xp(c);
	struct json_object *o;

	snprintf(c->xport_why, sizeof(c->xport_why), "%s", why);
	if (c->ctl == NULL || xp == NULL)
		return;
	o = ctl_event("transport");
	json_object_object_add(o, "transport", json_object_new_string(
	    c->sess.cur == FB_TLS ? "tls" : c->sess.cur == FB_TCP ? "tcp" :
	    "udp"));
	json_object_object_add(o, "why", json_object_new_string(why));
	control_event(c->ctl, o);
}

/* Every CONN_COUNTER_TICKS ticks while someone listens. */
void
conn_event_counters(struct conn *c)
{
	const struct xport *xp = conn_xp(c);
	struct json_object *o;

	if (!control_has_subscribers(c->ctl) || xp == NULL)
		return;
	o = ctl_event("counters");
	json_object_object_add(o, "bytes_in",
	    json_object_new_int64((int64_t)xp->stats.rx_bytes));
	json_object_object_add(o, "bytes_out",
	    json_object_new_int64((int64_t)xp->stats.tx_bytes));
	json_object_object_add(o, "packets_in",
	    json_object_new_int64((int64_t)xp->stats.rx_esp));
	json_object_object_add(o, "packets_out",
	    json_object_new_int64((int64_t)xp->stats.tx_esp));
	json_object_object_add(o, "drops", json_object_new_int64((int64_t)
	    (c->drop_no_sa + c->drop_ts + c->drop_esp + c->drop_tun_write +
	    xp->stats.drop_tx_full)));
	control_event(c->ctl, o);
}

void
conn_event_simple(struct conn *c, const char *name, const char *key,
    const char *value)
{
	struct json_object *o;

	if (c->ctl == NULL)
		return;
	o = ctl_event(name);
	if (key != NULL)
		json_object_object_add(o, key, json_object_new_string(value));
	control_event(c->ctl, o);
}

void
conn_event_exit(struct conn *c)
{
	const char *reason = c->failed ? c->fail.detail : c->close.detail;

	if (c->ctl == NULL)
		return;
	if (c->exit_code != 0 && reason[0] != '\0')
		conn_event_simple(c, "error", "error", reason);
	control_event(c->ctl, ctl_event_exit(c->exit_code, reason[0] != '\0' ?
	    reason : c->exit_code == 0 ? "disconnected" : "failed"));
}

/* ---- systemd and --background ------------------------------------------- */

void
conn_notify(struct conn *c, const char *fmt, ...)
{
	char text[PRIV_NOTIFY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (c->cf.priv != NULL)
		priv_notify(c->cf.priv, text);
	else
		sdnotify_send(text);
}

/* The one line of --background: "0 up ..." or "STATUS reason". */
static void
tell_parent(struct conn *c, int code, const char *line)
{
	char buf[512];
	int n;

	if (c->cf.ready_fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%d %s\n", code, line);
	if (n > 0)
		(void)write(c->cf.ready_fd, buf, (size_t)n < sizeof(buf) ?
		    (size_t)n : sizeof(buf) - 1);
	close(c->cf.ready_fd);
	c->cf.ready_fd = -1;
}

void
conn_tell_up(struct conn *c)
{
	char a[INET6_ADDRSTRLEN] = "";

	if (c->told_up)
		return;
	c->told_up = true;
	if (c->cfg.has_ip4)
		inet_ntop(AF_INET, c->cfg.ip4, a, sizeof(a));
	else if (c->cfg.has_ip6)
		inet_ntop(AF_INET6, c->cfg.ip6, a, sizeof(a));
	conn_notify(c, "READY=1\nSTATUS=up: %s, address %s, over %s",
	    c->tun.name, a[0] ? a : "-", conn_xp(c) != NULL ?
	    conn_xp(c)->name : "?");
	tell_parent(c, 0, "up");
}

void
conn_tell_end(struct conn *c)
{
	const char *reason = c->failed ? c->fail.detail : c->close.detail;

	conn_notify(c, "STOPPING=1");
	tell_parent(c, c->exit_code != 0 ? c->exit_code : 1, reason[0] ?
	    reason : "ikeroam ended before the tunnel was up");
}
