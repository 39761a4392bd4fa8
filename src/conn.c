/*
 * src/conn.c: the driver of one connection.  src/session.c decides;
 * this file feeds it events and carries out its actions:
 *
 *   events  <- conn_post() by the lower files (engine callbacks,
 *              transports, network setup), the signals, the 1 s tick
 *              (silence and sleep marks) and src/netwatch.c (the path
 *              to the gateway changed)
 *   door    -> conn_drain(): each event to session_event(), each action
 *              carried out, the one session timer re-armed
 *
 * It owns the door, the session timer, the tick, the signals and the
 * path watch; every other handle has one owner below (conn_int.h), and
 * conn_release() is the one close path.  uv_run() returns when the last
 * handle is closed.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/captive.h"
#include "src/cli.h"
#include "src/conn.h"
#include "src/conn_int.h"
#include "src/control.h"
#include "src/control_msg.h"
#include "src/exitcode.h"
#include "src/killswitch.h"
#include "src/log.h"
#include "src/netmem.h"
#include "src/priv.h"
#include "src/sockaddr_text.h"

#define CONN_DRAIN_MAX	64	/* events per wake-up of the door */
#define CONN_COUNTER_TICKS 5	/* "counters" events this often */

static void	conn_drain(uv_idle_t *door);
static void	conn_release(struct conn *c);

static uint64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the network: memory and path ---------------------------------- */

/* Which network are we on now (the key of src/netmem.c), and did it
 * block UDP to this gateway before? */
static bool
network_blocks_udp(struct conn *c)
{
	struct tun_netid id;
	struct tun_nl *nl;
	bool have_id = false;

	if (c->cf.netmem_path[0] == '\0')
		return false;
	if (c->cf.network_id == NULL &&
	    (nl = ir_calloc(1, sizeof(*nl))) != NULL) {
		tun_nl_init(nl);
		have_id = tun_nl_open(nl) == 0 && tun_netid_get(nl,
		    c->cf.gw.ss_family, &id) == 0;
		tun_nl_close(nl);
		ir_free(nl);
	}
	if (netmem_key(have_id ? &id : NULL, c->cf.network_id, c->cf.gw_name,
	    c->cf.netmem_key, sizeof(c->cf.netmem_key)) != 0)
		return false;
	c->cf.remembered_xport = priv_netmem_rung(c->cf.priv,
	    c->cf.netmem_path, c->cf.netmem_key, time(NULL));
	c->cf.udp_blocked_here = c->cf.remembered_xport != FB_UDP;
	log_debug("network %s%s%s", c->cf.netmem_key, c->cf.udp_blocked_here ?
	    ": blocked UDP before; " : "", c->cf.udp_blocked_here ?
	    fallback_xport_name(c->cf.remembered_xport) : "");
	return c->cf.udp_blocked_here;
}

/* |xp|: the rung that worked (enum fb_xport); FB_UDP forgets. */
static void
remember_network(struct conn *c, int xp)
{
	int rv;

	if (c->cf.netmem_path[0] == '\0')
		return;
	c->cf.udp_blocked_here = xp != FB_UDP;
	c->cf.remembered_xport = xp;
	if ((rv = priv_netmem_store(c->cf.priv, c->cf.netmem_path,
	    c->cf.netmem_key, xp, time(NULL))) != 0)
		log_debug("cannot update %s: %s", c->cf.netmem_path,
		    ir_strerror(rv));
	else if (xp != FB_UDP)
		log_info("this network blocks UDP%s to the gateway: next time "
		    "ikeroam goes straight to %s here", xp == FB_TLS ?
		    " and TCP 4500" : "", xp == FB_TLS ? "TLS" : "TCP");
}

static void
path_changed(struct conn *c, const struct net_path *now,
    const struct net_path *before, bool resumed)
{
	char a[128], b[128];
	struct sess_ev ev = { .kind = SE_PATH, .path_valid = now->valid,
	    .resumed = resumed };

	log_info("network changed: %s (was %s)", net_path_str(now, a,
	    sizeof(a)), net_path_str(before, b, sizeof(b)));
	c->path = *now;
	if (now->valid) {
		ev.udp_blocked_here = network_blocks_udp(c);
		ev.rung_here = c->cf.remembered_xport;
		conn_tunnel_repin(c);
	}
	conn_post(c, &ev);
	conn_status(c, now->valid ? "network_changed" : "offline");
}

static void
on_path_changed(void *ud, const struct net_path *now,
    const struct net_path *before)
{
	path_changed(ud, now, before, false);
}

static void
path_watch_start(struct conn *c)
{
	int rv;

	if ((rv = netwatch_new(&c->nw, c->loop, (struct sockaddr *)&c->cf.gw,
	    on_path_changed, c)) != 0) {
		log_warn("cannot watch the network (%s): changes are noticed "
		    "by liveness checks only", ir_strerror(rv));
		c->nw = NULL;
		return;
	}
	c->path = *netwatch_last(c->nw);
	if (c->path.valid) {
		char buf[128];

		log_debug("path to the gateway: %s", net_path_str(&c->path,
		    buf, sizeof(buf)));
	}
}

/* ---- the clock tick: silence on the path, sleep and stops ----------- */

static void
on_tick(uv_timer_t *t)
{
	struct conn *c = t->data;
	uint64_t mono = clock_ms(CLOCK_MONOTONIC), boot = clock_ms(CLOCK_BOOTTIME);
	/* Suspended: BOOTTIME ran on while MONOTONIC stopped.  Stopped
	 * (SIGSTOP) or starved: the tick itself came late. */
	uint64_t slept = (boot - c->tick_boot) - (mono - c->tick_mono);
	uint64_t late = mono - c->tick_mono > CONN_TICK_MS ?
	    mono - c->tick_mono - CONN_TICK_MS : 0;
	struct sess_ev ev = { .kind = SE_TICK, .rx_ms = c->rx_ms,
	    .tx_unanswered_ms = c->tx_unanswered_ms };
	struct net_path before, now_path;

	c->tick_mono = mono;
	c->tick_boot = boot;
	ev.slept_ms = slept + late;
	if (++c->counter_ticks % CONN_COUNTER_TICKS == 0)
		conn_event_counters(c);
	if (ev.slept_ms >= SESS_SLEEP_MIN_MS) {
		log_info("resumed after %llu s %s", (unsigned long long)
		    (ev.slept_ms / 1000), slept >= late ? "asleep" :
		    "stopped");
		uv_update_time(c->loop);
		/* The network may have changed while we slept: the path
		 * first (a move, or waiting for a route), then the tick. */
		before = c->path;
		if (c->nw != NULL && netwatch_query(c->nw, &now_path) == 0 &&
		    !net_path_same(&before, &now_path))
			path_changed(c, &now_path, &before, true);
	}
	conn_post(c, &ev);
}

/* ---- signals ------------------------------------------------------------ */

static void
on_signal(uv_signal_t *s, int signum)
{
	struct conn *c = s->data;
	struct sess_ev ev = { .kind = SE_QUIT };

	if (!c->sess.quit)
		log_info("%s: disconnecting", strsignal(signum));
	else
		log_info("second signal: leaving without waiting");
	conn_post(c, &ev);
}

/* ---- actions ------------------------------------------------------------ */

static void
log_connecting(struct conn *c, unsigned act)
{
	char addr[INET6_ADDRSTRLEN];

	sockaddr_text(&c->cf.gw, addr, sizeof(addr));
	if (c->sess.state == SS_UP && (c->sess.sub == SU_REAUTHING ||
	    c->sess.sub == SU_REDIRECTING) && c->sess.park_fails > 0) {
		log_info("%s again (try %u): a new IKE SA at %s while the old "
		    "one carries the traffic", c->sess.sub == SU_REAUTHING ?
		    "reauthenticating" : "following the redirect",
		    c->sess.park_fails + 1, c->cf.gw_name);
		conn_status(c, session_sub_name(c->sess.sub));
		return;
	}
	if (c->sess.state == SS_UP && c->sess.sub == SU_REAUTHING) {
		/* on_state() said it; the session is not lost. */
		conn_status(c, "reauthenticating");
		return;
	}
	log_info("%s to %s%s%s%s over %s%s", c->sess.was_up ? "reconnecting" :
	    "connecting", c->cf.gw_name, strcmp(addr, c->cf.gw_name) ? " (" :
	    "", strcmp(addr, c->cf.gw_name) ? addr : "",
	    strcmp(addr, c->cf.gw_name) ? ")" : "", act & SA_START_UDP ?
	    "UDP" : act & SA_START_TCP ? "TCP (RFC 9329)" :
	    "TLS (RFC 9329 Appendix A)", c->sess.udp_blocked_here ?
	    ": this network blocked UDP before" : "");
	conn_status(c, c->sess.was_up ? "reconnecting" : "connecting");
}

static void
log_tcp_start(struct conn *c)
{
	if (c->sess.state == SS_CONNECTING && c->cf.race_ms > 0 &&
	    c->cf.race_ms < c->cf.fallback_ms)
		log_info("racing: TCP port %u (RFC 9329) alongside UDP; the "
		    "first to answer wins", c->cf.tcp_port);
	else if (c->sess.state == SS_CONNECTING && !c->sess.fb.dead[FB_UDP])
		log_info("no answer over UDP after %.1f s: trying TCP port %u "
		    "(RFC 9329)", c->cf.fallback_ms / 1000.0, c->cf.tcp_port);
	else
		log_info("trying TCP port %u (RFC 9329) too", c->cf.tcp_port);
	conn_status(c, "trying_tcp");
}

static void
log_tls_start(struct conn *c)
{
	if (c->sess.state == SS_CONNECTING && c->sess.fb.dead[FB_TCP])
		log_info("TCP port %u %s: trying TLS on port %u (RFC 9329 "
		    "Appendix A)", c->cf.tcp_port, c->att[FB_TCP].close.detail[0] ?
		    "refused or closed" : "failed", c->cf.tls_port);
	else if (c->sess.state == SS_CONNECTING)
		log_info("no answer over TCP after %.1f s: trying TLS on port "
		    "%u (RFC 9329 Appendix A)", c->cf.fallback_ms / 1000.0,
		    c->cf.tls_port);
	else
		log_info("trying TLS on port %u (RFC 9329 Appendix A) too",
		    c->cf.tls_port);
	conn_status(c, "trying_tls");
}

static void
drop_session(struct conn *c)
{
	unsigned b, i;

	for (b = 0; b < 2; b++)
		for (i = 0; i < CONN_ATTEMPTS; i++)
			attempt_drop(&c->bank[b][i]);
	c->prev = NULL;
	conn_children_free(c);
	c->n_ts_remote = 0;	/* the next session brings its own */
}

/* ---- RFC 5685 redirects ------------------------------------------------- */

static void
free_parked(struct conn *c)
{
	if (c->prev == NULL)
		return;
	conn_children_free_owner(c, c->prev);
	attempt_drop(c->prev);
	c->prev = NULL;
}

/*
 * SA_PARK: the session's attempt steps aside, still carrying traffic,
 * and the new session is built in the other bank (make-before-break).
 */
static void
park(struct conn *c)
{
	struct conn_attempt *old = c->cur_before;
	unsigned i;

	free_parked(c);		/* an older one: no time to wait for it */
	for (i = 0; i < CONN_ATTEMPTS; i++)
		if (&c->att[i] != old)
			attempt_drop(&c->att[i]);	/* probes */
	c->prev = old;
	c->att = c->att == c->bank[0] ? c->bank[1] : c->bank[0];
	for (i = 0; i < CONN_ATTEMPTS; i++)
		attempt_drop(&c->att[i]);
	c->n_ts_remote = 0;	/* the new session brings its own */
}

/* SA_DROP_PREV: the new session carries the traffic; delete the old SA
 * (freed when it has closed: CONN_EV_PREV_CLOSED). */
static void
drop_prev(struct conn *c)
{
	struct conn_attempt *p = c->prev;

	if (p == NULL)
		return;
	if (p->ike != NULL && p->active && !p->closed) {
		log_debug("deleting the old IKE SA");
		attempt_after(p, ike_sa_shutdown(p->ike, uv_now(c->loop)));
		return;
	}
	free_parked(c);
}

/* The gateways the kill switch lets through: the one configured, the
 * one we leave (its SA still carries traffic) and the new one. */
static void
killswitch_follow(struct conn *c)
{
	struct sockaddr_storage gw[3];
	unsigned n = 0;
	char err[256];
	int rv;

	gw[n++] = c->gw_orig;
	if (memcmp(&c->gw_last, &c->gw_orig, sizeof(c->gw_orig)) != 0)
		gw[n++] = c->gw_last;
	if (memcmp(&c->cf.gw, &c->gw_orig, sizeof(c->gw_orig)) != 0 &&
	    memcmp(&c->cf.gw, &c->gw_last, sizeof(c->gw_last)) != 0)
		gw[n++] = c->cf.gw;
	if ((rv = killswitch_update_gateways(gw, n, err, sizeof(err))) != 0)
		log_warn("%s: the new gateway may be blocked", err);
}

/* The target is the gateway from now on: every place that is pinned to
 * the gateway follows, then the policy hears SE_GATEWAY. */
static void
gateway_switch(struct conn *c, const struct sockaddr_storage *to,
    const char *name)
{
	struct sess_ev ev = { .kind = SE_GATEWAY };
	struct ike_gw_id *from = &c->cf.ike.redirected_from;
	struct sockaddr_storage gw = *to;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	struct net_path now;
	uint16_t port = c->cf.gw.ss_family == AF_INET ?
	    ((struct sockaddr_in *)&c->cf.gw)->sin_port :
	    ((struct sockaddr_in6 *)&c->cf.gw)->sin6_port;
	int rv;

	sockaddr_text(&c->cf.gw, a, sizeof(a));
	sockaddr_text(&gw, b, sizeof(b));
	if (gw.ss_family == AF_INET)
		((struct sockaddr_in *)&gw)->sin_port = port;
	else
		((struct sockaddr_in6 *)&gw)->sin6_port = port;
	log_info("redirected by %s to %s%s%s%s", a, name, strcmp(name, b) ?
	    " (" : "", strcmp(name, b) ? b : "", strcmp(name, b) ? ")" : "");
	/* RFC 5685 §5: REDIRECTED_FROM names the gateway that sent us. */
	memset(from, 0, sizeof(*from));
	from->type = c->cf.gw.ss_family == AF_INET ? 1 : 2;
	from->len = c->cf.gw.ss_family == AF_INET ? 4 : 16;
	memcpy(from->data, c->cf.gw.ss_family == AF_INET ?
	    (const void *)&((struct sockaddr_in *)&c->cf.gw)->sin_addr :
	    (const void *)&((struct sockaddr_in6 *)&c->cf.gw)->sin6_addr,
	    from->len);
	c->gw_last = c->cf.gw;
	c->cf.gw = gw;
	snprintf(c->cf.gw_name, sizeof(c->cf.gw_name), "%s", name);
	/* The kill switch: the privileged part checks and applies it. */
	if (c->cf.priv != NULL) {
		if ((rv = priv_gateway(c->cf.priv, &c->cf.gw)) != 0)
			log_warn("the privileged part did not take the new "
			    "gateway (%s): the kill switch may block it",
			    ir_strerror(rv));
	} else {
		killswitch_follow(c);
	}
	/* The path to it (sockets are pinned to that), and its memory. */
	if (c->nw != NULL && netwatch_set_gateway(c->nw,
	    (struct sockaddr *)&c->cf.gw) == 0 &&
	    netwatch_query(c->nw, &now) == 0)
		c->path = now;
	/* The host route pin moves at netcfg_reconnect() (the new session's
	 * setup names the new gateway); the old SA's socket stays bound to
	 * its uplink meanwhile. */
	ev.path_valid = c->path.valid;
	ev.udp_blocked_here = network_blocks_udp(c);
	ev.rung_here = c->cf.remembered_xport;
	conn_status(c, "redirected");
	conn_post(c, &ev);
}

static void
on_redirect_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct conn *c = req->data;
	struct sess_ev ev = { .kind = SE_FAIL, .reason = IR_ERR_REDIRECT };
	struct sockaddr_storage ss;
	char name[IKE_GW_ID_MAX + 1];

	c->resolving = false;
	if (c->released) {
		uv_freeaddrinfo(res);
		return;
	}
	snprintf(name, sizeof(name), "%.*s", (int)c->redir_to.len,
	    (const char *)c->redir_to.data);
	if (status != 0 || res == NULL || res->ai_addrlen > sizeof(ss)) {
		conn_fail_note(c, IR_EXIT_UNREACHABLE, "the gateway redirected "
		    "us to %s, which does not resolve (%s): check your DNS",
		    name, status != 0 ? uv_strerror(status) : "no address");
		uv_freeaddrinfo(res);
		conn_post(c, &ev);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, res->ai_addr, res->ai_addrlen);
	uv_freeaddrinfo(res);
	gateway_switch(c, &ss, name);
}

/* SA_REDIRECT: the target of c->redir_to, an address or a name (RFC
 * 5685 §10) resolved as the first connect's was, without blocking. */
static void
redirect_start(struct conn *c)
{
	const struct ike_gw_id *to = &c->redir_to;
	struct sockaddr_storage ss;
	struct addrinfo hints;
	char name[IKE_GW_ID_MAX + 1];
	int rv;

	memset(&ss, 0, sizeof(ss));
	if (to->type == 1 || to->type == 2) {
		ss.ss_family = to->type == 1 ? AF_INET : AF_INET6;
		memcpy(to->type == 1 ?
		    (void *)&((struct sockaddr_in *)&ss)->sin_addr :
		    (void *)&((struct sockaddr_in6 *)&ss)->sin6_addr,
		    to->data, to->type == 1 ? 4 : 16);
		sockaddr_text(&ss, name, sizeof(name));
		gateway_switch(c, &ss, name);
		return;
	}
	snprintf(name, sizeof(name), "%.*s", (int)to->len,
	    (const char *)to->data);
	log_info("redirected to %s: resolving it", name);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	c->redir_gai.data = c;
	if ((rv = uv_getaddrinfo(c->loop, &c->redir_gai, on_redirect_resolved,
	    name, NULL, &hints)) != 0) {
		struct sess_ev ev = { .kind = SE_FAIL,
		    .reason = IR_ERR_REDIRECT };

		conn_fail_note(c, IR_EXIT_UNREACHABLE, "the gateway redirected "
		    "us to %s, which cannot be resolved (%s)", name,
		    uv_strerror(rv));
		conn_post(c, &ev);
		return;
	}
	c->resolving = true;
}

/* "UDP, TCP or TLS": the transports that were tried and got no answer
 * (a refused one is named apart). */
static void
tried_list(const struct conn *c, char *buf, size_t cap)
{
	static const char *names[CONN_ATTEMPTS] = { "UDP", "TCP", "TLS" };
	size_t len = 0;
	int i, n = 0, done = 0;

	buf[0] = '\0';
	for (i = 0; i < CONN_ATTEMPTS; i++)
		n += c->att[i].t_start != 0 && !c->att[i].refused;
	for (i = 0; i < CONN_ATTEMPTS && len < cap; i++) {
		if (c->att[i].t_start == 0 || c->att[i].refused)
			continue;
		len += (size_t)snprintf(buf + len, cap - len, "%s%s",
		    done == 0 ? "" : done == n - 1 ? " or " : ", ", names[i]);
		done++;
	}
}

/* Every attempt went unanswered and the network looks open. */
static void
explain_no_answer(struct conn *c)
{
	const struct conn_attempt *t = &c->att[FB_TCP];
	char addr[INET6_ADDRSTRLEN], tried[32];
	uint64_t secs = (uv_now(c->loop) - c->t_start + 500) / 1000;

	/* What a gateway (or its TLS front) said beats a time-out. */
	if (c->close.reason != 0 && c->close.reason != IR_ERR_TIMEOUT)
		return;
	tried_list(c, tried, sizeof(tried));
	conn_fail_note(c, IR_EXIT_UNREACHABLE, "no answer from %.48s (%s) "
	    "over %s in %llu s: check the gateway address, or whether this "
	    "network lets VPN traffic out%s%s", c->cf.gw_name,
	    sockaddr_text(&c->cf.gw, addr, sizeof(addr)),
	    tried[0] ? tried : "TCP", (unsigned long long)secs,
	    t->refused ? "; " : "", t->refused ? t->close.detail : "");
}

/*
 * Every rung tried was refused or could not be opened: the gateway (or
 * the lack of a route) said so, no connectivity check can say more.
 * The first such line, in ladder order.
 */
static const char *
all_refused(const struct conn *c)
{
	const char *line = NULL;
	int i, n = 0;

	for (i = 0; i < CONN_ATTEMPTS; i++) {
		if (c->att[i].t_start == 0)
			continue;
		if (!c->att[i].refused)
			return NULL;
		if (n++ == 0)
			line = c->att[i].close.detail;
	}
	return n > 0 && line[0] != '\0' ? line : NULL;
}

/* Nothing answered at all: ask the network why, then fail. */
static void
diagnose(struct conn *c)
{
	struct sess_ev ev = { .kind = SE_FAIL, .reason = IR_ERR_TIMEOUT };
	char login[201];	/* cut by captive_url_clean(), "..." shown */
	const char *refused;

	if ((refused = all_refused(c)) != NULL) {
		conn_fail_note(c, IR_EXIT_UNREACHABLE, "%s", refused);
		conn_post(c, &ev);
		return;
	}
	log_info("no answer from the gateway in %llu s: checking the network "
	    "(%s)", (unsigned long long)((uv_now(c->loop) - c->t_start +
	    500) / 1000), c->cf.captive_url);
	switch (captive_probe(c->cf.captive_url, c->cf.captive_expect, 5000,
	    login, sizeof(login))) {
	case CAPTIVE_PORTAL:
		conn_fail_note(c, IR_EXIT_CAPTIVE, "captive portal detected: "
		    "log in at %s, then connect again", login);
		break;
	case CAPTIVE_OFFLINE:
		conn_fail_note(c, IR_EXIT_UNREACHABLE, "no answer from %.48s, "
		    "and the connectivity check failed too: is this machine "
		    "online?", c->cf.gw_name);
		break;
	default:
		explain_no_answer(c);	/* the network is open */
		break;
	}
	uv_update_time(c->loop);	/* the probe blocked a while */
	conn_post(c, &ev);
}

static void
shutdown_sa(struct conn *c)
{
	struct conn_attempt *a = conn_cur(c);

	/* Between a reauthentication's attempts only the parked SA is. */
	if (a == NULL && c->prev != NULL && c->prev->active)
		a = c->prev;

	if (a == NULL || a->ike == NULL || a->closed) {
		struct sess_ev ev = { .kind = SE_SA_CLOSED,
		    .reason = IR_ERR_CLOSED };

		conn_post(c, &ev);
		return;
	}
	attempt_after(a, ike_sa_shutdown(a->ike, uv_now(c->loop)));
}

/*
 * SA_PARK_RETRY: the new session of a reauthentication or redirect
 * failed; the old SA, still valid, carries on (session.c).  Why, from
 * the attempts before they are dropped: what a gateway said beats a
 * time-out.
 */
static void
log_park_retry(struct conn *c)
{
	const struct session *s = &c->sess;
	const struct ike_close_info *ci;
	const char *why = NULL;
	uint64_t now = uv_now(c->loop);
	char life[48] = "", old[INET6_ADDRSTRLEN];
	bool said = false;	/* not a time-out */
	unsigned i;

	for (i = 0; i < CONN_ATTEMPTS && !said; i++) {
		ci = &c->att[i].close;
		if (ci->reason == 0 || ci->detail[0] == '\0')
			continue;
		said = ci->reason != IR_ERR_TIMEOUT;
		if (why == NULL || said)
			why = ci->detail;
	}
	if (why == NULL)
		why = ir_strerror(s->reason);
	if (s->t_park_sa_end > now)
		snprintf(life, sizeof(life), ", for %llu s more",
		    (unsigned long long)((s->t_park_sa_end - now) / 1000));
	if (s->sub == SU_REAUTHING) {
		log_warn("reauthentication failed (%s): the old IKE SA keeps "
		    "carrying the traffic%s; trying again in %.1f s", why, life,
		    (double)(s->t_retry - now) / 1000.0);
	} else {
		sockaddr_text(&c->gw_last, old, sizeof(old));
		log_warn("the gateway we were redirected to (%s) failed (%s): "
		    "keeping the old IKE SA at %s while it lives%s; trying "
		    "again in %.1f s", c->cf.gw_name, why, old, life,
		    (double)(s->t_retry - now) / 1000.0);
	}
	conn_status(c, s->sub == SU_REAUTHING ? "reauth_retry" :
	    "redirect_retry");
}

static const unsigned start_bit[CONN_ATTEMPTS] = {
	SA_START_UDP, SA_START_TCP, SA_START_TLS
};
static const unsigned abort_bit[CONN_ATTEMPTS] = {
	SA_ABORT_UDP, SA_ABORT_TCP, SA_ABORT_TLS
};

static void
apply(struct conn *c, unsigned act)
{
	struct conn_attempt *cur = conn_cur(c);
	unsigned i;

	if (act & SA_DROP_SESSION)
		drop_session(c);
	if (act & SA_PARK_RETRY)
		log_park_retry(c);	/* before the attempts go */
	if (act & SA_DROP_ATTEMPTS)
		attempts_drop_bank(c);
	if (act & SA_REDIRECT)
		redirect_start(c);	/* posts SE_GATEWAY */
	if (act & SA_PARK)
		park(c);
	if (act & SA_ATTEMPTS_RESET) {
		c->t_start = uv_now(c->loop);
		log_connecting(c, act);
	}
	for (i = 0; i < CONN_ATTEMPTS; i++)
		if (act & abort_bit[i])
			attempt_abort(&c->att[i]);
	/* TCP first (a network that blocked UDP before) was said above. */
	if ((act & SA_START_TCP) && !((act & SA_ATTEMPTS_RESET) &&
	    !(act & SA_START_UDP)))
		log_tcp_start(c);
	if ((act & SA_START_TLS) && !(act & SA_ATTEMPTS_RESET))
		log_tls_start(c);	/* else log_connecting() said it */
	if ((act & SA_START_UDP) && !(act & SA_ATTEMPTS_RESET))
		log_info("the transport that worked on this network before "
		    "failed: trying UDP, then TCP and TLS");
	for (i = 0; i < CONN_ATTEMPTS; i++)
		if ((act & start_bit[i]) &&
		    attempt_start(c, (int)i, false) != 0) {
			struct sess_ev ev = { .kind = SE_ATTEMPT_FAILED,
			    .xp = (int)i, .reason = IR_ERR_TIMEOUT };

			conn_post(c, &ev);
		}
	if (act & SA_REMEMBER)
		remember_network(c, c->sess.remember_rung);
	if (act & (SA_OPEN_TUNNEL | SA_RECONFIGURE))
		/* The redirect is behind us: announce REDIRECT_SUPPORTED
		 * again from now on. */
		memset(&c->cf.ike.redirected_from, 0,
		    sizeof(c->cf.ike.redirected_from));
	if (act & SA_OPEN_TUNNEL)
		conn_tunnel_open(c);
	if (act & SA_RECONFIGURE)
		conn_tunnel_reconfigure(c);
	if (act & SA_DROP_PREV)
		drop_prev(c);
	if (act & SA_UPDATE_MTU)
		conn_tunnel_update_mtu(c);
	if ((act & SA_REOPEN_TCP) && cur != NULL)
		(void)attempt_reopen_tcp(cur);
	else if (act & SA_REOPEN_TCP)
		(void)attempt_reopen_tcp(&c->att[FB_TCP]);
	if ((act & (SA_MOVE | SA_CHECK)) && cur != NULL) {
		c->t_move = uv_now(c->loop);
		(void)attempt_move(cur, c->sess.check_budget,
		    (act & SA_MOVE) != 0);
	}
	if ((act & SA_PROBE_UDP) && !c->att[FB_UDP].active) {
		log_debug("on TCP: probing UDP");
		attempt_drop(&c->att[FB_UDP]);
		(void)attempt_start(c, FB_UDP, true);
	}
	if (act & SA_SHUTDOWN)
		shutdown_sa(c);
	if (act & SA_DIAGNOSE)
		diagnose(c);
	if (act & SA_UNDO)
		conn_tunnel_undo(c);
	if (act & SA_RELEASE)
		conn_release(c);
}

/* ---- the door ----------------------------------------------------------- */

/* Why the session runs over this transport, in a few words. */
static const char *
transport_why(const struct conn *c)
{
	if (c->sess.cur == FB_UDP)
		return c->cf.transport == CLI_XPORT_UDP ? "--transport udp" :
		    "UDP answered";
	if (c->cf.transport != CLI_XPORT_AUTO)
		return c->cf.transport == CLI_XPORT_TLS ? "--transport tls" :
		    "--transport tcp";
	/* UDP tried and silent now; else the attempt began on the rung
	 * the network memory gave (the memory is already updated when the
	 * first fallback's answer gets here: not the test). */
	if (!c->sess.fb.udp_silent && c->sess.udp_blocked_here)
		return "this network blocked UDP before";
	return c->sess.cur == FB_TLS ? "no answer over UDP and TCP 4500" :
	    "no answer over UDP";
}

static void
on_state(void *ud, int from, int from_sub, int to, int to_sub,
    const char *why)
{
	struct conn *c = ud;

	log_debug("session: %s%s%s -> %s%s%s (%s)", session_state_name(from),
	    from_sub ? "/" : "", session_sub_name(from_sub),
	    session_state_name(to), to_sub ? "/" : "", session_sub_name(to_sub),
	    why != NULL ? why : "");
	if (to == SS_RECONNECTING && from != SS_RECONNECTING) {
		c->t_lost = uv_now(c->loop);
		log_info("%s: keeping the tunnel, reconnecting", why);
		conn_tunnel_attempt(c);
	}
	if (to == SS_UP && to_sub == SU_STEADY && from == SS_RECONNECTING)
		log_info("reconnected in %llu ms over %s", (unsigned long long)
		    (uv_now(c->loop) - c->t_lost), conn_xp(c) != NULL &&
		    conn_xp(c)->tcp ? "TCP" : "UDP");
	if (to == SS_UP && to_sub == SU_STEADY && from == SS_UP &&
	    (from_sub == SU_MOVING || from_sub == SU_CHECKING))
		log_info("%s in %llu ms (same IKE SA)", from_sub == SU_MOVING ?
		    "moved to the new path" : "path checked",
		    (unsigned long long)(uv_now(c->loop) - c->t_move));
	if (to == SS_UP && to_sub == SU_STEADY && from_sub == SU_REDIRECTING)
		log_info("the tunnel moved to %s in %llu ms over %s; deleting "
		    "the old IKE SA", c->cf.gw_name, (unsigned long long)
		    (uv_now(c->loop) - c->t_start), conn_xp(c) != NULL &&
		    conn_xp(c)->tcp ? "TCP" : "UDP");
	if (to == SS_UP && to_sub == SU_REAUTHING)
		log_info("reauthenticating: a new IKE SA at %s while the old "
		    "one carries the traffic (RFC 7296 2.8.3)", c->cf.gw_name);
	if (to == SS_UP && to_sub == SU_STEADY && from_sub == SU_REAUTHING)
		log_info("reauthenticated in %llu ms over %s; the tunnel moved "
		    "to the new IKE SA, deleting the old one",
		    (unsigned long long)(uv_now(c->loop) - c->t_start),
		    conn_xp(c) != NULL && conn_xp(c)->tcp ? "TCP" : "UDP");
	if (to == SS_UP && to_sub == SU_LEAVING_TCP)
		log_info("UDP gets through again: moving the tunnel to UDP");
	if (to == SS_UP && to_sub == SU_STEADY && from != SS_UP)
		conn_event_transport(c, transport_why(c));
	if (to == SS_UP && to_sub == SU_STEADY && from == SS_UP &&
	    from_sub == SU_MOVING) {
		char path[128];

		conn_event_simple(c, "moved", "path", net_path_str(&c->path,
		    path, sizeof(path)));
	}
	conn_event_state(c, why);
	if (to != from || to_sub != from_sub)
		conn_notify(c, "STATUS=%s%s%s%s%s", session_state_name(to),
		    to_sub ? "/" : "", session_sub_name(to_sub),
		    why != NULL ? ": " : "", why != NULL ? why : "");
	/* Checks again while ESP only goes out (one-way traffic) are
	 * routine: only the first is news. */
	if (to == SS_UP && to_sub == SU_CHECKING)
		log_msg(c->sess.checks_ok > 0 ? IR_LOG_DEBUG : IR_LOG_INFO,
		    "%s: checking the path to the gateway (%.1f s)", why,
		    c->sess.check_budget / 1000.0);
	conn_status(c, session_state_name(to));
}

static void
handle_ev(struct conn *c, const struct conn_ev *e)
{
	struct conn_attempt *cur = conn_cur(c);
	uint64_t now = uv_now(c->loop);
	unsigned act;

	c->cur_before = cur;
	switch (e->kind) {
	case CONN_EV_REDIRECT:
		if (c->resolving)
			break;	/* one at a time */
		c->redir_to = e->redirect;
		/* FALLTHROUGH */
	case CONN_EV_SESSION:
		act = session_event(&c->sess, &e->sess, now);
		if (e->sess.kind != SE_TICK || act != 0)
			log_debug("session: event %s%s -> actions %#x",
			    session_ev_name(e->sess.kind), e->sess.kind ==
			    SE_ANSWERED || e->sess.kind == SE_ATTEMPT_FAILED ?
			    (e->sess.xp == FB_TLS ? " tls" : e->sess.xp ==
			    FB_TCP ? " tcp" : " udp") : "", act);
		if ((act & SA_UNDO) && c->sess.exit_reason == IR_ERR_REDIRECT)
			conn_fail_note(c, IR_EXIT_REDIRECT, "the gateways "
			    "redirected us %d times within %d minutes (last to "
			    "%.64s): a redirect loop; giving up, tell the VPN's "
			    "administrator", SESS_REDIRECT_MAX + 1,
			    SESS_REDIRECT_WINDOW_MS / 60000, c->cf.gw_name);
		apply(c, act);
		break;
	case CONN_EV_REKEY_CHILD: {
		/* The IKE SA that made that Child SA (a parked one's too). */
		struct conn_attempt *o = NULL;
		unsigned i;

		for (i = 0; i < CONN_MAX_CHILD; i++)
			if (c->child[i].spi_in == e->spi && e->spi != 0)
				o = c->child[i].owner;
		if (o != NULL && o->ike != NULL && o->active && !o->closed)
			attempt_after(o, ike_sa_rekey_child(o->ike, e->spi,
			    now));
		break;
	}
	case CONN_EV_PREV_CLOSED:
		free_parked(c);
		/* The policy decides what its end means (a reauthentication
		 * waiting to try again has lost its SA). */
		apply(c, session_event(&c->sess, &e->sess, now));
		break;
	case CONN_EV_MOVED:
		if (cur != NULL && cur->xp == e->sess.xp) {
			struct sess_ev ev = { .kind = SE_MOVED };

			attempt_moved(cur, e->local_nat);
			apply(c, session_event(&c->sess, &ev, now));
		}
		break;
	default:
		break;
	}
}

static void
on_session_timer(uv_timer_t *t)
{
	struct conn *c = t->data;
	struct sess_ev ev = { .kind = SE_TIMER };

	conn_post(c, &ev);
}

static void
conn_drain(uv_idle_t *door)
{
	struct conn *c = door->data;
	struct conn_ev e;
	unsigned n;
	uint64_t at, now;

	if (c->draining)
		return;
	c->draining = true;
	for (n = 0; n < CONN_DRAIN_MAX && c->evq_n > 0 && !c->released;
	    n++) {
		e = c->evq[c->evq_head];
		c->evq_head = (c->evq_head + 1) % CONN_EVQ;
		c->evq_n--;
		uv_update_time(c->loop);
		handle_ev(c, &e);
	}
	c->draining = false;
	if (c->evq_n == 0 || c->released)
		uv_idle_stop(&c->door);
	if (c->released)
		return;
	now = uv_now(c->loop);
	at = session_deadline(&c->sess);
	if (at == UINT64_MAX)
		uv_timer_stop(&c->sess_timer);
	else
		uv_timer_start(&c->sess_timer, on_session_timer,
		    at > now ? at - now : 0, 0);
}

/* ---- the one close path ---------------------------------------------- */

static void
conn_release(struct conn *c)
{
	unsigned i;

	if (c->released)
		return;
	conn_report(c);
	conn_status(c, "closed");
	c->released = true;
	conn_event_exit(c);
	conn_tell_end(c);
	control_close(c->ctl);
	c->ctl = NULL;
	conn_tun_close(c);
	conn_children_free(c);
	attempts_release(c);
	if (c->nw != NULL) {
		netwatch_close(c->nw, NULL, NULL);
		c->nw = NULL;
	}
	if (c->resolving)
		(void)uv_cancel((uv_req_t *)&c->redir_gai);
	uv_idle_stop(&c->door);
	uv_close((uv_handle_t *)&c->door, NULL);
	uv_timer_stop(&c->sess_timer);
	uv_close((uv_handle_t *)&c->sess_timer, NULL);
	uv_timer_stop(&c->tick);
	uv_close((uv_handle_t *)&c->tick, NULL);
	for (i = 0; i < IR_ARRAY_LEN(c->sig); i++) {
		uv_signal_stop(&c->sig[i]);
		uv_close((uv_handle_t *)&c->sig[i], NULL);
	}
}

/* ---- the control socket (src/control.h) ----------------------------------- */

static void
on_control_request(void *ud, struct control_client *cl, int64_t id, int cmd)
{
	struct conn *c = ud;
	struct json_object *o;
	struct sess_ev ev = { .kind = SE_QUIT };

	switch (cmd) {
	case CTL_STATUS:
		o = ctl_reply_ok(id);
		json_object_object_add(o, "status", conn_status_object(c,
		    "status"));
		control_reply(cl, o);
		return;
	case CTL_DISCONNECT:
		if (!c->sess.quit)
			log_info("control socket: disconnect asked");
		control_reply(cl, ctl_reply_ok(id));
		conn_post(c, &ev);
		return;
	case CTL_RECONNECT:
		if (c->sess.state != SS_UP || c->sess.quit) {
			char why[96];

			snprintf(why, sizeof(why), "the tunnel is not up (%s): "
			    "nothing to reconnect", session_state_name(
			    c->sess.state));
			control_reply(cl, ctl_reply_error(id, why));
			return;
		}
		log_info("control socket: reconnect asked");
		ev.kind = SE_RECONNECT;
		control_reply(cl, ctl_reply_ok(id));
		conn_post(c, &ev);
		return;
	default:
		control_reply(cl, ctl_reply_error(id, "unknown command"));
		return;
	}
}

/* A new subscriber learns where things stand. */
static void
on_control_subscribed(void *ud, struct control_client *cl)
{
	struct conn *c = ud;

	control_send(cl, ctl_event_state(session_state_name(c->sess.state),
	    c->sess.sub != SU_NONE ? session_sub_name(c->sess.sub) : "",
	    c->sess.why));
	if (c->nc.applied && c->sess.state == SS_UP)
		conn_event_config(c, true);
}

static const struct control_ops control_ops = {
	.request = on_control_request,
	.subscribed = on_control_subscribed,
};

/* ---- public --------------------------------------------------------------- */

int
conn_new(struct conn **out, uv_loop_t *loop, const struct conn_conf *conf)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	static const int modes[] = { [CLI_XPORT_AUTO] = FB_MODE_AUTO,
	    [CLI_XPORT_UDP] = FB_MODE_UDP, [CLI_XPORT_TCP] = FB_MODE_TCP,
	    [CLI_XPORT_TLS] = FB_MODE_TLS };
	struct sess_conf sc;
	char err[256];
	struct conn *c;
	unsigned i;
	int rv;

	if ((c = ir_calloc(1, sizeof(*c))) == NULL)
		return IR_ERR_NOMEM;
	c->loop = loop;
	c->cf = *conf;
	c->gw_orig = c->gw_last = conf->gw;
	tun_dev_init(&c->tun);
	if (conf->priv != NULL)
		priv_netcfg_init(&c->nc, loop, conf->script, conf->priv);
	else if ((rv = netcfg_init(&c->nc, loop, conf->script, err,
	    sizeof(err))) != 0) {
		log_err("%s", err);
		ir_wipe(&c->cf, sizeof(c->cf));
		ir_free(c);
		return rv;
	}
	c->nc.external = conf->netcfg_external;
	if (conf->priv == NULL)
		c->nc.early = conf->script_early;
	if (conf->control_fd >= 0 && (rv = control_new(&c->ctl, loop,
	    conf->control_fd, conf->control_group_set, conf->control_group,
	    &control_ops, c)) != 0)
		log_warn("the control socket cannot be served: %s",
		    ir_strerror(rv));
	memset(&sc, 0, sizeof(sc));
	sc.mode = modes[conf->transport];
	sc.fallback_ms = conf->fallback_ms;
	sc.race_ms = conf->race_ms;
	sc.reconnect_ms = conf->reconnect_ms;
	sc.reauth_s = conf->reauth_s;
	sc.udp_probe_ms = conf->udp_probe_ms;
	sc.silence_ms = conf->silence_ms;
	sc.check_ms = conf->check_ms;
	sc.diagnose = conf->captive_url != NULL;
	session_init(&c->sess, &sc);
	c->sess.udp_blocked_here = conf->udp_blocked_here;
	c->sess.rung_here = conf->remembered_xport;
	c->sess.on_state = on_state;
	c->sess.ud = c;

	uv_idle_init(loop, &c->door);
	c->door.data = c;
	c->door_cb = conn_drain;
	uv_timer_init(loop, &c->sess_timer);
	c->sess_timer.data = c;
	uv_timer_init(loop, &c->tick);
	c->tick.data = c;
	for (i = 0; i < IR_ARRAY_LEN(c->sig); i++) {
		uv_signal_init(loop, &c->sig[i]);
		c->sig[i].data = c;
		uv_signal_start(&c->sig[i], on_signal, signals[i]);
	}
	attempts_init(c);
	*out = c;
	return 0;
}

int
conn_start(struct conn *c)
{
	struct sess_ev ev = { .kind = SE_START };
	char msg[256];

	/* What an ikeroam killed earlier left behind (routes, addresses,
	 * the gateway pin, DNS through vpnc-script "disconnect"). */
	if (c->cf.priv == NULL && (netcfg_cleanup_stale(NULL, msg,
	    sizeof(msg)) != 0 || msg[0] != '\0'))
		log_info("%s", msg[0] != '\0' ? msg : "cleaning up after an "
		    "earlier ikeroam failed");

	c->tick_mono = clock_ms(CLOCK_MONOTONIC);
	c->tick_boot = clock_ms(CLOCK_BOOTTIME);
	uv_timer_start(&c->tick, on_tick, CONN_TICK_MS, CONN_TICK_MS);
	path_watch_start(c);
	conn_post(c, &ev);
	return 0;
}

int
conn_exit_code(const struct conn *c)
{
	return c->exit_code;
}

void
conn_free(struct conn *c)
{
	unsigned i;

	if (c == NULL)
		return;
	for (i = 0; i < CONN_ATTEMPTS; i++) {
		ike_sa_free(c->bank[0][i].ike);
		ike_sa_free(c->bank[1][i].ike);
	}
	ir_free(c->last_config);
	if (c->cf.ready_fd >= 0)
		close(c->cf.ready_fd);
	ir_wipe(&c->cf, sizeof(c->cf));
	ir_free(c);
}
