/*
 * src/conn_attempt.c: reaching the gateway.  Each attempt is a transport
 * (UDP or RFC 9329 TCP) with an IKE SA started on it; src/fallback.c
 * decides which attempts run, this file carries its actions out, feeds
 * the engines and re-opens the TCP connection when it drops (RFC 9329
 * §6.1: the originator re-connects; the SAs live on).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "src/captive.h"
#include "src/cli.h"
#include "src/conn_int.h"
#include "src/exitcode.h"
#include "src/log.h"
#include "src/netmem.h"

#define RECONNECT_MAX_MS	16000	/* back-off cap for TCP re-opens */

static void	fb_apply(struct conn *c, unsigned act);

static struct conn_attempt *
attempt_of(struct conn *c, bool tcp)
{
	return &c->att[tcp ? 1 : 0];
}

static const char *
gw_addr(const struct conn *c, char *buf, size_t cap)
{
	const struct sockaddr_storage *ss = &c->cf.gw;

	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
		    buf, (socklen_t)cap);
	else
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)ss)->sin6_addr, buf,
		    (socklen_t)cap);
	return buf;
}

/* ---- the one place an engine result becomes an action ------------------- */

static void
attempt_on_timer(uv_timer_t *t)
{
	struct conn_attempt *a = t->data;

	if (a->ike != NULL && a->active && !a->closed)
		attempt_after(a, ike_sa_expire(a->ike, uv_now(a->c->loop)));
}

void
attempt_after(struct conn_attempt *a, int rv)
{
	struct conn *c;
	uint64_t at, now;

	if (a == NULL)
		return;
	c = a->c;
	now = uv_now(c->loop);
	if (a == c->cur && c->want_shutdown && !a->closed && a->ike != NULL &&
	    !ir_err_is_fatal(rv)) {
		c->want_shutdown = false;
		uv_timer_start(&c->hard_timer, conn_on_hard_timeout,
		    CONN_DELETE_WAIT_MS, 0);
		rv = ike_sa_shutdown(a->ike, now);
	}
	if (ir_err_is_fatal(rv) && !a->closed) {
		/* A fatal code without |closed| is our own failure. */
		a->close.reason = rv;
		snprintf(a->close.detail, sizeof(a->close.detail), "%s",
		    ir_strerror(rv));
		a->closed = true;
	}
	if (a->closed) {
		uv_timer_stop(&a->timer);
		if (a == c->cur) {
			c->close = a->close;
			if (conn_reconnect_wanted(c)) {
				conn_reconnect(c);
				return;
			}
			c->ike_closed = true;
			conn_teardown(c);
		} else if (a->active && a->probe) {
			attempt_abort(a);	/* UDP still blocked: stay on TCP */
			log_debug("UDP probe: no answer, staying on TCP");
		} else if (a->active) {
			attempt_abort(a);	/* its socket too, or uv_run hangs */
			fb_apply(c, fallback_failed(&c->fb, a->tcp, now));
		}
		return;
	}
	if (!a->active) {
		uv_timer_stop(&a->timer);
		return;
	}
	if (rv != 0)
		log_debug("%s: input dropped: %s", a->tcp ? "tcp" : "udp",
		    ir_strerror(rv));
	at = ike_sa_deadline(a->ike);
	if (at == UINT64_MAX)
		uv_timer_stop(&a->timer);
	else
		uv_timer_start(&a->timer, attempt_on_timer,
		    at > now ? at - now : 0, 0);
}

/* ---- engine callbacks (ud = the attempt) ------------------------------- */

static int
cb_send_msg(void *ud, const uint8_t *msg, size_t len)
{
	struct conn_attempt *a = ud;

	if (a->xp == NULL)
		return 0;	/* TCP being re-opened: the engine re-sends */
	return a->xp->ops->send_ike(a->xp, msg, len);
}

/* Next time on this network: straight to TCP, or UDP first again. */
static void
remember_network(struct conn *c)
{
	bool blocked = c->fb.state == FB_WON_TCP && c->fb.udp_silent;
	int rv;

	if (c->cf.netmem_path[0] == '\0' || blocked == c->cf.udp_blocked_here)
		return;
	if ((rv = netmem_store(c->cf.netmem_path, c->cf.netmem_key, blocked,
	    time(NULL))) != 0)
		log_debug("cannot update %s: %s", c->cf.netmem_path,
		    ir_strerror(rv));
	else if (blocked)
		log_info("this network blocks UDP to the gateway: next time "
		    "ikeroam goes straight to TCP here");
}

/* The IKE_SA_INIT answer: this attempt reached the gateway. */
static void
cb_nat(void *ud, bool local_nat, bool remote_nat)
{
	struct conn_attempt *a = ud;
	struct conn *c = a->c;
	int rv;

	if (a->probe) {
		conn_udp_probe_answered(c, a, local_nat);
		return;
	}
	if (c->cur == NULL) {
		c->cur = a;
		log_info("gateway answered over %s after %llu ms", a->tcp ?
		    "TCP (RFC 9329)" : "UDP", (unsigned long long)
		    (uv_now(c->loop) - c->t_start));
		fb_apply(c, fallback_answered(&c->fb, a->tcp, uv_now(c->loop)));
		remember_network(c);
		conn_status(c, "answered");
	}
	if (a->tcp || a->xp == NULL)
		return;
	if ((rv = xport_udp_float(a->xp)) != 0) {
		log_warn("cannot move to UDP port %u: %s", c->cf.natt_port,
		    uv_strerror(rv));
		return;
	}
	log_debug("NAT: we are %sbehind a NAT, the gateway is %s; using "
	    "UDP port %u", local_nat ? "" : "not ", remote_nat ?
	    "behind one" : "not", c->cf.natt_port);
	if (local_nat)	/* RFC 3948 §4: keep the NAT mapping alive */
		xport_udp_keepalive(a->xp, CONN_KEEPALIVE_MS);
}

static void
cb_config(void *ud, const struct ike_cfg_reply *cfg)
{
	struct conn_attempt *a = ud;

	a->c->cfg = *cfg;
	a->c->have_cfg = true;
}

static int
cb_child_up(void *ud, const struct ike_child *child)
{
	struct conn_attempt *a = ud;
	struct conn *c = a->c;
	int rv;

	if (a != c->cur)
		return IR_ERR_INTERNAL;
	if ((rv = conn_child_add(c, child)) != 0)
		return rv;
	if (c->reconnecting)
		conn_reconnected(c);
	else if (c->state == CONN_CONNECTING)
		conn_tunnel_open(c, child);
	return 0;
}

static void
cb_child_down(void *ud, uint32_t spi_in, int reason)
{
	struct conn_attempt *a = ud;

	log_debug("child SA %08x down: %s", spi_in, ir_strerror(reason));
	if (a == a->c->cur)
		conn_child_remove(a->c, spi_in);
}

static void
cb_closed(void *ud, const struct ike_close_info *info)
{
	struct conn_attempt *a = ud;

	a->close = *info;
	a->closed = true;	/* attempt_after() acts after the call */
}

static void
cb_log(void *ud, int level, const char *line)
{
	struct conn_attempt *a = ud;
	char buf[600];

	/* Two attempts may talk at once: say which. */
	if (a->c->cur == NULL && a->c->fb.tcp_on && a->c->fb.udp_on) {
		snprintf(buf, sizeof(buf), "[%s] %s", a->tcp ? "tcp" : "udp",
		    line);
		log_sink(NULL, level, buf);
		return;
	}
	log_sink(NULL, level, line);
}

static void
cb_random(void *ud, uint8_t *buf, size_t len)
{
	(void)ud;
	if (crypto_random(buf, len) != 0)
		abort();	/* no randomness: nothing we send is safe */
}

static const struct ike_callbacks ike_cbs = {
	.send_msg = cb_send_msg,
	.nat = cb_nat,
	.child_up = cb_child_up,
	.child_down = cb_child_down,
	.config = cb_config,
	.closed = cb_closed,
	.log = cb_log,
	.random = cb_random,
};

/* ---- transport events (ud = the attempt) -------------------------------- */

static void
xp_on_ike(void *ud, struct xport *x, uint8_t *msg, size_t len)
{
	struct conn_attempt *a = ud;

	(void)x;
	if (a->ike == NULL || a->closed || !a->active)
		return;
	attempt_after(a, ike_sa_input(a->ike, msg, len, uv_now(a->c->loop)));
}

static void
xp_on_esp(void *ud, struct xport *x, struct ir_pkt *pkt)
{
	struct conn_attempt *a = ud;

	if (a == a->c->cur)
		conn_on_esp(a->c, x, pkt);
}

static void	tcp_reconnect_later(struct conn *c);
static void	xp_closed(struct xport *x);

static void
xp_on_connected(void *ud, struct xport *x)
{
	struct conn_attempt *a = ud;
	struct conn *c = a->c;
	struct ike_path path;

	a->t_opened = uv_now(c->loop);
	if (!a->reopening || a->ike == NULL)
		return;		/* the first connect: IKE_SA_INIT was queued */
	a->reopening = false;
	a->reopened = true;
	if (a == c->cur)
		log_info("TCP connection re-opened after %llu ms",
		    (unsigned long long)(uv_now(c->loop) - c->t_lost));
	xport_path(x, &path);
	/* RFC 9329 §6.1: re-send what is outstanding, or tell the gateway
	 * which connection the SA lives on now. */
	attempt_after(a, ike_sa_path_changed(a->ike, &path, uv_now(c->loop)));
	conn_status(c, "tcp_reopened");
}

static void
xp_on_error(void *ud, struct xport *x, int err)
{
	struct conn_attempt *a = ud;
	struct conn *c = a->c;

	log_debug("%s transport: %s", x->name, err == IR_ERR_MALFORMED ?
	    "unparsable stream" : uv_strerror(err));
	if (!x->tcp && a->probe) {
		attempt_abort(a);	/* ICMP: UDP is still refused */
		return;
	}
	if (!x->tcp) {
		/* ICMP unreachable on UDP: in auto mode try TCP now, but let
		 * UDP go on (ICMP may be transient or forged). */
		if (c->cur == NULL && c->cf.transport == CLI_XPORT_AUTO &&
		    !c->fb.tcp_on && !c->fb.tcp_dead) {
			log_info("UDP to the gateway was refused (%s): trying "
			    "TCP port %u", uv_strerror(err), c->cf.tcp_port);
			fb_apply(c, FB_START_TCP);
			c->fb.tcp_on = true;
			c->fb.t_tcp = 0;
		}
		return;
	}
	/* TCP: the connection is gone; the SA is not (RFC 9329 §6.1). */
	bool was_up = x->established;
	bool brief = was_up && uv_now(c->loop) - a->t_opened <
	    CONN_TCP_STABLE_MS;

	a->xp->ops->close(a->xp, xp_closed);
	a->xp = NULL;
	if (c->state == CONN_CLOSING || !a->active || a->closed)
		return;
	/* A connection that lasted starts the back-off from scratch. */
	if (was_up && !brief) {
		c->reconnects = 0;
		a->reopen_rejects = 0;
	}
	/*
	 * The gateway keeps closing the re-opened connections at once
	 * (libreswan 4.10 keeps the SA on the dead socket, answering or
	 * not before it closes): this SA cannot move, so build a new
	 * session now instead of re-opening in a loop or waiting for the
	 * liveness checks to fail.
	 */
	if (a == c->cur && a->reopened && brief &&
	    ++a->reopen_rejects >= CONN_REOPEN_REJECTS) {
		a->closed = true;
		a->close.reason = IR_ERR_TIMEOUT;
		snprintf(a->close.detail, sizeof(a->close.detail), "the gateway "
		    "closes every re-opened TCP connection");
		attempt_after(a, 0);
		return;
	}
	/*
	 * Re-open when the SA lives on: always once it won, and before the
	 * answer too when the connection had been up (libreswan closes the
	 * connection after N(INVALID_KE_PAYLOAD); the engine's restarted
	 * IKE_SA_INIT goes out on the new one), a few times at most.
	 */
	if (a == c->cur || (c->cur == NULL && was_up &&
	    a->early_reopens++ < CONN_EARLY_REOPENS)) {
		if (a == c->cur)
			log_info("TCP connection to the gateway lost (%s): "
			    "re-opening", err == IR_ERR_MALFORMED ?
			    "unparsable stream" : uv_strerror(err));
		c->t_lost = uv_now(c->loop);
		a->reopening = true;
		tcp_reconnect_later(c);
		if (a == c->cur)
			conn_status(c, "tcp_lost");
		return;
	}
	if (c->cur == NULL) {
		a->active = false;
		if (a->ike != NULL)
			uv_timer_stop(&a->timer);
		a->closed = true;
		a->close.reason = IR_ERR_TIMEOUT;
		snprintf(a->close.detail, sizeof(a->close.detail),
		    "the gateway's TCP port %u %s", c->cf.tcp_port, was_up ?
		    "closed the connection before answering" :
		    "cannot be reached");
		fb_apply(c, fallback_failed(&c->fb, true, uv_now(c->loop)));
	}
}

static const struct xport_events xp_events = {
	.on_ike = xp_on_ike,
	.on_esp = xp_on_esp,
	.on_connected = xp_on_connected,
	.on_error = xp_on_error,
};

const struct xport_events *
conn_xp_events(void)
{
	return &xp_events;
}

static void
xp_closed(struct xport *x)
{
	(void)x;
}

/* ---- TCP re-open -------------------------------------------------------- */

static void
tcp_reconnect_now(uv_timer_t *t)
{
	struct conn *c = t->data;
	struct conn_attempt *a = &c->att[1];	/* the TCP attempt */
	struct sockaddr_storage gw = c->cf.gw;
	int rv;

	if (!a->active || a->closed || a->xp != NULL ||
	    c->state == CONN_CLOSING)
		return;
	((struct sockaddr_in *)&gw)->sin_port = htons(c->cf.tcp_port);
	if (gw.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&gw)->sin6_port = htons(c->cf.tcp_port);
	if ((rv = xport_tcp_new(&a->xp, c->loop, (struct sockaddr *)&gw,
	    &xp_events, a)) != 0) {
		log_debug("TCP re-open: %s", uv_strerror(rv));
		a->xp = NULL;
		tcp_reconnect_later(c);
	}
}

static void
tcp_reconnect_later(struct conn *c)
{
	uint64_t delay = c->reconnects == 0 ? 0 :
	    IR_MIN(500ull << IR_MIN(c->reconnects, 6), RECONNECT_MAX_MS);

	c->reconnects++;
	uv_timer_start(&c->reconnect_timer, tcp_reconnect_now, delay, 0);
}

/* ---- starting and stopping attempts ------------------------------------ */

/* The transport of an attempt: TCP to --tcp-port or UDP to the gateway. */
static int
attempt_open_xport(struct conn *c, struct conn_attempt *a, bool tcp)
{
	struct sockaddr_storage gw = c->cf.gw;
	char addr[INET6_ADDRSTRLEN];
	int rv;

	if (tcp) {
		if (gw.ss_family == AF_INET)
			((struct sockaddr_in *)&gw)->sin_port =
			    htons(c->cf.tcp_port);
		else
			((struct sockaddr_in6 *)&gw)->sin6_port =
			    htons(c->cf.tcp_port);
		rv = xport_tcp_new(&a->xp, c->loop, (struct sockaddr *)&gw,
		    &xp_events, a);
	} else {
		rv = xport_udp_new(&a->xp, c->loop, (struct sockaddr *)&gw,
		    c->cf.natt_port, &xp_events, a);
	}
	if (rv != 0) {
		a->xp = NULL;
		a->closed = true;
		a->close.reason = IR_ERR_TIMEOUT;
		snprintf(a->close.detail, sizeof(a->close.detail),
		    "cannot open a %s socket to %s: %s", tcp ? "TCP" : "UDP",
		    gw_addr(c, addr, sizeof(addr)), uv_strerror(rv));
	}
	return rv;
}

int
attempt_start(struct conn *c, bool tcp)
{
	struct conn_attempt *a = attempt_of(c, tcp);
	struct ike_conf conf;
	struct ike_path path;
	int rv;

	a->active = true;
	a->t_start = uv_now(c->loop);
	if ((rv = attempt_open_xport(c, a, tcp)) != 0)
		return rv;
	xport_path(a->xp, &path);
	path.tcp = tcp;
	conf = c->cf.ike;
	/* A probe only needs IKE_SA_INIT answered; do not wait long. */
	if (a->probe)
		conf.giveup_ms = CONN_PROBE_GIVEUP_MS;
	rv = ike_sa_new(&a->ike, &conf, &path, &ike_cbs, a, uv_now(c->loop));
	ir_wipe(&conf, sizeof(conf));	/* the PSK and password are in it */
	if (rv != 0) {
		a->closed = true;
		a->close.reason = rv;
		snprintf(a->close.detail, sizeof(a->close.detail),
		    "cannot set up the IKE SA: %s", ir_strerror(rv));
		return rv;
	}
	attempt_after(a, ike_sa_start(a->ike, uv_now(c->loop)));
	return 0;
}

/* Drop an attempt that lost the race.  The SA object goes with the
 * connection (never from inside one of its own callbacks). */
void
attempt_abort(struct conn_attempt *a)
{
	if (!a->active)
		return;
	a->active = false;
	uv_timer_stop(&a->timer);
	if (a->xp != NULL) {
		a->xp->ops->close(a->xp, xp_closed);
		a->xp = NULL;
	}
}

/*
 * Nothing answered: ask the network why.  True when it explained it
 * (captive portal, or no network at all) and the failure is recorded.
 */
static bool
diagnose_network(struct conn *c, uint64_t secs)
{
	char login[512];

	if (c->cf.captive_url == NULL)
		return false;
	log_info("no answer from the gateway in %llu s: checking the "
	    "network (%s)", (unsigned long long)secs, c->cf.captive_url);
	switch (captive_probe(c->cf.captive_url, c->cf.captive_expect, 5000,
	    login, sizeof(login))) {
	case CAPTIVE_PORTAL:
		conn_fail(c, IR_EXIT_CAPTIVE, "captive portal detected: log in "
		    "at %.200s, then connect again", login);
		break;
	case CAPTIVE_OFFLINE:
		conn_fail(c, IR_EXIT_UNREACHABLE, "no answer from %.48s, and "
		    "the connectivity check failed too: is this machine "
		    "online?", c->cf.gw_name);
		break;
	default:
		return false;	/* the network is open: the gateway is not */
	}
	c->ike_closed = true;
	conn_teardown(c);
	return true;
}

static void
give_up(struct conn *c)
{
	struct conn_attempt *u = &c->att[0], *t = &c->att[1];
	char addr[INET6_ADDRSTRLEN];
	uint64_t secs = (uv_now(c->loop) - c->t_start + 500) / 1000;

	if (c->reconnecting && conn_reconnect_wanted(c)) {
		conn_reconnect(c);	/* keep trying, the tunnel stays */
		return;
	}
	/* Prefer what a gateway said over a time-out. */
	if (u->t_start != 0 && u->close.reason != IR_ERR_TIMEOUT &&
	    u->close.reason != 0)
		c->close = u->close;
	else if (t->t_start != 0 && t->close.reason != IR_ERR_TIMEOUT &&
	    t->close.reason != 0)
		c->close = t->close;
	else if (diagnose_network(c, secs))
		return;
	else {
		c->close.reason = IR_ERR_TIMEOUT;
		snprintf(c->close.detail, sizeof(c->close.detail),
		    "no answer from %.48s (%s) over %s%s in %llu s: check the "
		    "gateway address, or whether this network lets VPN "
		    "traffic out", c->cf.gw_name, gw_addr(c, addr,
		    sizeof(addr)), u->t_start ? "UDP" : "",
		    t->t_start ? (u->t_start ? " or TCP" : "TCP") : "",
		    (unsigned long long)secs);
	}
	c->ike_closed = true;
	conn_teardown(c);
}

static void
fb_on_timer(uv_timer_t *t)
{
	struct conn *c = t->data;
	unsigned act = fallback_expire(&c->fb, uv_now(c->loop));

	if ((act & FB_START_TCP) && c->cf.race_ms > 0 &&
	    c->cf.race_ms < c->cf.fallback_ms)
		log_info("racing: TCP port %u (RFC 9329) alongside UDP; the "
		    "first to answer wins", c->cf.tcp_port);
	else if (act & FB_START_TCP)
		log_info("no answer over UDP after %.1f s: trying TCP port %u "
		    "(RFC 9329)", c->cf.fallback_ms / 1000.0, c->cf.tcp_port);
	fb_apply(c, act);
	if (act & FB_START_TCP)
		conn_status(c, "trying_tcp");
}

static void
fb_apply(struct conn *c, unsigned act)
{
	uint64_t at;

	if (act & FB_ABORT_UDP)
		attempt_abort(&c->att[0]);
	if (act & FB_ABORT_TCP)
		attempt_abort(&c->att[1]);
	if ((act & FB_START_UDP) && attempt_start(c, false) != 0)
		act |= fallback_failed(&c->fb, false, uv_now(c->loop));
	if ((act & FB_START_TCP) && attempt_start(c, true) != 0)
		act |= fallback_failed(&c->fb, true, uv_now(c->loop));
	if (act & FB_GIVE_UP) {
		give_up(c);
		return;
	}
	at = fallback_deadline(&c->fb);
	if (at == UINT64_MAX)
		uv_timer_stop(&c->fb_timer);
	else
		uv_timer_start(&c->fb_timer, fb_on_timer,
		    at > uv_now(c->loop) ? at - uv_now(c->loop) : 0, 0);
}

/* Start (or, after a lost session, start again) reaching the gateway. */
void
conn_attempts_begin(struct conn *c)
{
	static const int modes[] = { [CLI_XPORT_AUTO] = FB_MODE_AUTO,
	    [CLI_XPORT_UDP] = FB_MODE_UDP, [CLI_XPORT_TCP] = FB_MODE_TCP };
	char addr[INET6_ADDRSTRLEN];
	unsigned act;

	fallback_init(&c->fb, modes[c->cf.transport], c->cf.fallback_ms,
	    c->cf.race_ms, c->cf.udp_blocked_here);
	c->t_start = uv_now(c->loop);
	act = fallback_start(&c->fb, c->t_start);
	conn_status(c, c->reconnecting ? "reconnecting" : "connecting");
	gw_addr(c, addr, sizeof(addr));
	log_info("%s to %s%s%s%s over %s%s", c->reconnecting ?
	    "reconnecting" : "connecting", c->cf.gw_name,
	    strcmp(addr, c->cf.gw_name) ? " (" : "",
	    strcmp(addr, c->cf.gw_name) ? addr : "",
	    strcmp(addr, c->cf.gw_name) ? ")" : "",
	    act & FB_START_UDP ? "UDP" : "TCP (RFC 9329)",
	    c->cf.udp_blocked_here ? ": this network blocked UDP before" : "");
	fb_apply(c, act);
}

/*
 * Forget both attempts (their SAs are dead or were never used) so that
 * conn_attempts_begin() can run again.  Not from an engine callback.
 */
void
conn_attempts_reset(struct conn *c)
{
	unsigned i;

	uv_timer_stop(&c->fb_timer);
	uv_timer_stop(&c->reconnect_timer);
	for (i = 0; i < 2; i++) {
		struct conn_attempt *a = &c->att[i];

		attempt_abort(a);
		ike_sa_free(a->ike);
		a->ike = NULL;
		a->active = a->closed = a->reopening = a->reopened = false;
		a->reopen_rejects = 0;
		a->t_opened = 0;
		a->early_reopens = 0;
		a->t_start = 0;
		memset(&a->close, 0, sizeof(a->close));
	}
	c->cur = NULL;
	c->reconnects = 0;
}

void
conn_attempts_start(struct conn *c)
{
	unsigned i;

	for (i = 0; i < 2; i++) {
		c->att[i].c = c;
		c->att[i].tcp = i == 1;
		uv_timer_init(c->loop, &c->att[i].timer);
		c->att[i].timer.data = &c->att[i];
	}
	uv_timer_init(c->loop, &c->fb_timer);
	uv_timer_init(c->loop, &c->reconnect_timer);
	c->fb_timer.data = c;
	c->reconnect_timer.data = c;
	c->open_handles += 4;
	conn_attempts_begin(c);
}

static void
conn_handle_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->open_handles == 0)
		c->state = CONN_DONE;
}

static void
attempt_timer_closed(uv_handle_t *h)
{
	struct conn_attempt *a = h->data;

	if (--a->c->open_handles == 0)
		a->c->state = CONN_DONE;
}

void
conn_attempts_release(struct conn *c)
{
	unsigned i;

	for (i = 0; i < 2; i++) {
		attempt_abort(&c->att[i]);
		uv_close((uv_handle_t *)&c->att[i].timer, attempt_timer_closed);
	}
	uv_timer_stop(&c->fb_timer);
	uv_timer_stop(&c->reconnect_timer);
	uv_close((uv_handle_t *)&c->fb_timer, conn_handle_closed);
	uv_close((uv_handle_t *)&c->reconnect_timer, conn_handle_closed);
}
