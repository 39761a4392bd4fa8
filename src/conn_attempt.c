/*
 * src/conn_attempt.c: reaching the gateway.  Each attempt is a transport
 * (UDP, or RFC 9329 TCP) with an IKE SA started on it, pinned to the
 * path src/netwatch.c found.  This file feeds the engines and records
 * what they say as events (conn_post); src/session.c decides what
 * follows and src/conn.c calls back in here to do it: start, abort,
 * re-open the TCP connection (RFC 9329 §6.1), move to a new path
 * (RFC 4555 MOBIKE, or RFC 7296 §2.23 without it).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "src/conn_int.h"
#include "src/log.h"
#include "src/secret.h"
#include "src/sockaddr_text.h"

static const struct xport_events xp_events;
static const struct ike_callbacks ike_cbs;

void
attempts_init(struct conn *c)
{
	unsigned b, i;

	for (b = 0; b < 2; b++)
		for (i = 0; i < CONN_ATTEMPTS; i++) {
			struct conn_attempt *a = &c->bank[b][i];

			a->c = c;
			a->xp = (int)i;
			uv_timer_init(c->loop, &a->timer);
			a->timer.data = a;
		}
	c->att = c->bank[0];
}

static bool
is_cur(const struct conn_attempt *a)
{
	return a->c->sess.cur == a->xp && !a->probe &&
	    a == &a->c->att[a->xp];
}

/* The session's SA, or the parked one a redirect left carrying traffic. */
static bool
is_live(const struct conn_attempt *a)
{
	return is_cur(a) || a == a->c->prev;
}

/* The path to pin sockets to; empty (the kernel's choice) if unknown. */
static void
attempt_bind(const struct conn *c, struct xport_bind *b)
{
	const struct net_path *p = &c->path;

	memset(b, 0, sizeof(*b));
	if (!p->valid || p->ifname[0] == '\0' ||
	    p->family != c->cf.gw.ss_family)
		return;
	memcpy(b->ifname, p->ifname, sizeof(b->ifname));
	b->src.ss_family = p->family;
	if (p->family == AF_INET)
		memcpy(&((struct sockaddr_in *)&b->src)->sin_addr, p->src, 4);
	else
		memcpy(&((struct sockaddr_in6 *)&b->src)->sin6_addr, p->src,
		    16);
}

static void
gw_with_port(const struct conn *c, uint16_t port, struct sockaddr_storage *gw)
{
	*gw = c->cf.gw;
	if (gw->ss_family == AF_INET)
		((struct sockaddr_in *)gw)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)gw)->sin6_port = htons(port);
}

static void
xp_closed(struct xport *x)
{
	(void)x;
}

static void
xport_drop(struct conn *c, struct xport **x)
{
	if (*x != NULL) {
		conn_dp_forget(c, *x);
		(*x)->ops->close(*x, xp_closed);
		*x = NULL;
	}
}

/* ---- the one place an engine result becomes an event ------------------ */

static void
attempt_on_timer(uv_timer_t *t)
{
	struct conn_attempt *a = t->data;

	if (a->ike != NULL && a->active && !a->closed)
		attempt_after(a, ike_sa_expire(a->ike, uv_now(a->c->loop)));
}

/* Every ike_sa_*() call on |a| ends here: re-arm its deadline, or post
 * its end. */
void
attempt_after(struct conn_attempt *a, int rv)
{
	struct conn *c = a->c;
	struct sess_ev ev = { .xp = a->xp };
	uint64_t at, now = uv_now(c->loop);

	if (ir_err_is_fatal(rv) && !a->closed) {
		/* A fatal code without |closed| is our own failure. */
		a->close.reason = rv;
		snprintf(a->close.detail, sizeof(a->close.detail), "%s",
		    ir_strerror(rv));
		a->closed = true;
	}
	if (a->closed) {
		uv_timer_stop(&a->timer);
		if (a->reported || !a->active) {
			conn_flush(c);
			return;
		}
		a->reported = true;
		if (a == c->prev) {
			struct conn_ev pe = { .kind = CONN_EV_PREV_CLOSED,
			    .sess = { .kind = SE_PREV_CLOSED,
			    .reason = a->close.reason } };

			log_debug("the old IKE SA has ended: %s",
			    a->close.detail[0] ? a->close.detail :
			    ir_strerror(a->close.reason));
			conn_post_ev(c, &pe);
			conn_flush(c);
			return;
		}
		if (a->close.reason == IR_ERR_REDIRECT &&
		    a->close.redirect.type != 0 && !a->probe) {
			/* RFC 5685 §4.2, §5: not a failure, a new start. */
			struct conn_ev re = { .kind = CONN_EV_REDIRECT,
			    .sess = { .kind = SE_REDIRECT, .xp = a->xp },
			    .redirect = a->close.redirect };

			conn_post_ev(c, &re);
			conn_flush(c);
			return;
		}
		if (a->probe) {
			log_debug("UDP probe: no answer, staying on TCP");
			attempt_abort(a);
			conn_flush(c);
			return;
		}
		ev.reason = a->close.reason;
		if (is_cur(a)) {
			c->close = a->close;
			ev.kind = SE_SA_CLOSED;
		} else {
			ev.kind = SE_ATTEMPT_FAILED;
			/* What a gateway said beats a time-out in the end. */
			if (c->close.reason == 0 ||
			    c->close.reason == IR_ERR_TIMEOUT)
				c->close = a->close;
		}
		conn_post(c, &ev);
		conn_flush(c);
		return;
	}
	if (!a->active || a->ike == NULL) {
		uv_timer_stop(&a->timer);
		conn_flush(c);
		return;
	}
	if (rv != 0)
		log_debug("%s: input dropped: %s", fallback_xport_name(a->xp),
		    ir_strerror(rv));
	at = ike_sa_deadline(a->ike);
	if (at == UINT64_MAX)
		uv_timer_stop(&a->timer);
	else
		uv_timer_start(&a->timer, attempt_on_timer,
		    at > now ? at - now : 0, 0);
	conn_flush(c);
}

/* ---- engine callbacks (ud = the attempt) -------------------------------- */

static int
cb_send_msg(void *ud, const uint8_t *msg, size_t len)
{
	struct conn_attempt *a = ud;

	if (a->x == NULL)
		return 0;	/* TCP being re-opened: the engine re-sends */
	return a->x->ops->send_ike(a->x, msg, len);
}

/* The IKE_SA_INIT answer: this attempt reached the gateway. */
static void
cb_nat(void *ud, bool local_nat, bool remote_nat)
{
	struct conn_attempt *a = ud;
	struct conn *c = a->c;
	struct sess_ev ev = { .kind = a->probe ? SE_PROBE_ANSWERED :
	    SE_ANSWERED, .xp = a->xp };
	int rv;

	conn_post(c, &ev);
	if (a->probe) {
		attempt_abort(a);	/* its IKE_AUTH goes nowhere */
		return;
	}
	if (c->sess.cur < 0)
		log_info("gateway answered over %s after %llu ms",
		    a->xp == FB_TLS ? "TLS (RFC 9329 Appendix A)" :
		    a->xp == FB_TCP ? "TCP (RFC 9329)" : "UDP",
		    (unsigned long long)(uv_now(c->loop) - c->t_start));
	if (a->xp != FB_UDP || a->x == NULL)
		return;
	if ((rv = xport_udp_float(a->x)) != 0) {
		log_warn("cannot move to UDP port %u: %s", c->cf.natt_port,
		    uv_strerror(rv));
		return;
	}
	log_debug("NAT: we are %sbehind a NAT, the gateway is %s; using "
	    "UDP port %u", local_nat ? "" : "not ", remote_nat ?
	    "behind one" : "not", c->cf.natt_port);
	if (local_nat)	/* RFC 3948 §4: keep the NAT mapping alive */
		xport_udp_keepalive(a->x, c->cf.keepalive_ms);
}

static void
cb_config(void *ud, const struct ike_cfg_reply *cfg)
{
	struct conn_attempt *a = ud;
	struct sess_ev ev = { .kind = SE_FAIL, .reason = IR_ERR_CONFIG };
	struct ike_cfg_reply checked = *cfg;

	if (conn_cfg_check(a->c, &checked) != 0) {
		conn_post(a->c, &ev);
		return;
	}
	a->c->cfg = checked;
	a->c->have_cfg = true;
}

static void	cb_random(void *ud, uint8_t *buf, size_t len);

static int
cb_child_up(void *ud, const struct ike_child *child)
{
	struct conn_attempt *a = ud;
	struct conn *c = a->c;
	bool first = true;
	struct sess_ev ev = { .kind = SE_ESTABLISHED, .xp = a->xp };
	struct sess_ev fail = { .kind = SE_FAIL, .reason = IR_ERR_CONFIG };
	unsigned i, n_ts = c->n_ts_remote;
	int rv;

	if (!is_live(a))
		return IR_ERR_INTERNAL;
	/* The first Child SA of this IKE SA (a parked one's may be up). */
	for (i = 0; i < CONN_MAX_CHILD; i++)
		if (c->child[i].spi_in != 0 && c->child[i].owner == a)
			first = false;
	if ((rv = conn_child_add(c, child, a)) != 0)
		return rv;
	/* The session's selectors become routes: the local policy first,
	 * as for CFG_REPLY (cb_config).  Those of a further Child SA (the
	 * gateway narrowed ours into several, RFC 7296 §2.9) join them. */
	if (c->n_ts_remote != n_ts && conn_cfg_check_ts(c) != 0) {
		conn_post(c, &fail);
		return 0;
	}
	if (n_ts != 0 && c->n_ts_remote != n_ts && is_cur(a))
		conn_tunnel_routes(c);
	if (first && child->replaces_spi_in == 0 && is_cur(a)) {
		cb_random(a, (uint8_t *)&ev.rnd, sizeof(ev.rnd));
		conn_post(c, &ev);
	}
	return 0;
}

static void
cb_child_down(void *ud, uint32_t spi_in, int reason)
{
	struct conn_attempt *a = ud;

	log_debug("child SA %08x down: %s", spi_in, ir_strerror(reason));
	if (is_live(a))
		conn_child_remove(a->c, spi_in);
}

static void
cb_closed(void *ud, const struct ike_close_info *info)
{
	struct conn_attempt *a = ud;

	a->close = *info;
	a->closed = true;	/* attempt_after() posts it after the call */
}

static void
cb_log(void *ud, int level, const char *line)
{
	struct conn_attempt *a = ud;
	struct conn *c = a->c;
	char buf[600];

	/* Several attempts may talk at once: say which. */
	if (a->probe || (c->sess.cur < 0 && c->att[FB_UDP].active +
	    c->att[FB_TCP].active + c->att[FB_TLS].active > 1)) {
		snprintf(buf, sizeof(buf), "[%s] %s", a->probe ? "probe" :
		    fallback_xport_name(a->xp), line);
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

static void
cb_moved(void *ud, bool local_nat, bool remote_nat)
{
	struct conn_attempt *a = ud;
	struct conn_ev ev = { .kind = CONN_EV_MOVED, .sess.xp = a->xp,
	    .local_nat = local_nat };

	(void)remote_nat;
	if (is_cur(a))
		conn_post_ev(a->c, &ev);
}

/* RFC 5685 §6: the session's gateway sends us elsewhere. */
static void
cb_redirect(void *ud, const struct ike_gw_id *to)
{
	struct conn_attempt *a = ud;
	struct conn_ev ev = { .kind = CONN_EV_REDIRECT,
	    .sess = { .kind = SE_REDIRECT, .xp = a->xp, .in_session = true },
	    .redirect = *to };

	if (is_cur(a))
		conn_post_ev(a->c, &ev);
}

/* RFC 4478: when the session's gateway ends this IKE SA. */
static void
cb_auth_lifetime(void *ud, uint32_t seconds)
{
	struct conn_attempt *a = ud;
	struct sess_ev ev = { .kind = SE_AUTH_LIFETIME, .xp = a->xp,
	    .lifetime_s = seconds };

	if (!is_cur(a))
		return;
	cb_random(a, (uint8_t *)&ev.rnd, sizeof(ev.rnd));
	conn_post(a->c, &ev);
}

/* The revocation check answers on the loop thread, outside any engine
 * call; an attempt aborted meanwhile cancelled it. */
static void
rev_done(void *arg, int verdict, const char *why)
{
	struct conn_attempt *a = arg;

	a->rev = NULL;
	if (a->ike == NULL || !a->active || a->closed)
		return;
	attempt_after(a, ike_sa_peer_cert_done(a->ike, verdict, why,
	    uv_now(a->c->loop)));
}

static int
cb_peer_cert(void *ud, struct ike_peer_cert *pc)
{
	struct conn_attempt *a = ud;
	int rv;

	if (a->c->cf.revocation.policy == REVOCATION_OFF || a->probe)
		return 0;
	rv = revocation_start(a->c->loop, &a->c->cf.revocation, pc, rev_done,
	    a, &a->rev);
	if (rv == 0)
		return IR_ERR_PENDING;
	snprintf(pc->why, sizeof(pc->why), "cannot check the gateway's "
	    "certificate for revocation: %s", ir_strerror(rv));
	return IR_ERR_CERT;
}

/* A hash-and-URL certificate arrived (or not): the engine checks its
 * hash; an attempt aborted meanwhile cancelled the fetch. */
static void
fetch_done(void *arg, unsigned idx, int status, const uint8_t *der,
    size_t len, const char *why)
{
	struct conn_attempt *a = arg;

	if (idx < IKE_FETCH_MAX)
		a->fetch[idx] = NULL;
	if (a->ike == NULL || !a->active || a->closed)
		return;
	attempt_after(a, ike_sa_cert_fetched(a->ike, idx, status, der, len,
	    why, uv_now(a->c->loop)));
}

static int
cb_cert_fetch(void *ud, unsigned idx, const char *url)
{
	struct conn_attempt *a = ud;

	if (idx >= IKE_FETCH_MAX || a->fetch[idx] != NULL)
		return IR_ERR_UNEXPECTED;
	return certfetch_start(a->c->loop, idx, url, fetch_done, a,
	    &a->fetch[idx]);
}

/*
 * EAP-GTC without --password-file: the gateway's prompt on the terminal,
 * the answer typed with echo off.  The loop waits meanwhile; the
 * gateway waits for our answer too.
 */
static int
cb_eap_prompt(void *ud, const char *prompt, char *buf, size_t cap)
{
	char line[260], err[160];
	size_t len = 0;
	int rv;

	(void)ud;
	snprintf(line, sizeof(line), "%s: ", prompt[0] != '\0' ? prompt :
	    "EAP-GTC response");
	if (cap < 2)
		return IR_ERR_NOBUF;
	if ((rv = secret_read_tty(line, (uint8_t *)buf, cap - 1, &len, err,
	    sizeof(err))) != 0) {
		log_warn("EAP-GTC: %s", err);
		return rv;
	}
	buf[len] = '\0';
	return 0;
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
	.moved = cb_moved,
	.peer_cert = cb_peer_cert,
	.cert_fetch = cb_cert_fetch,
	.eap_prompt = cb_eap_prompt,
	.redirect = cb_redirect,
	.auth_lifetime = cb_auth_lifetime,
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

	(void)x;
	if (is_live(a))
		conn_on_esp(a->c, pkt);
}

static void
xp_on_connected(void *ud, struct xport *x)
{
	struct conn_attempt *a = ud;
	struct conn *c = a->c;
	struct sess_ev ev = { .kind = SE_XPORT_OPEN, .xp = a->xp };
	struct ike_path path;

	a->t_opened = uv_now(c->loop);
	conn_post(c, &ev);
	if (!a->reopened || a->ike == NULL || a->closed)
		return;		/* the first connect: IKE_SA_INIT was queued */
	if (is_cur(a))
		log_info("TCP connection re-opened after %llu ms",
		    (unsigned long long)(uv_now(c->loop) - a->t_lost));
	xport_path(x, &path);
	/* RFC 9329 §6.1: re-send what is outstanding, or tell the gateway
	 * which connection the SA lives on now. */
	attempt_after(a, ike_sa_path_changed(a->ike, &path, uv_now(c->loop)));
	conn_status(c, "tcp_reopened");
}

/*
 * The TLS attempt failed before the gateway answered: no TLS server
 * there, or not the front we trust.  Its one line is the report when
 * nothing else gets through (exit status 5); no re-open mends it.
 */
static void
tls_failed(struct conn_attempt *a, int err, const char *detail)
{
	struct conn *c = a->c;
	char addr[INET6_ADDRSTRLEN];
	const char *hint;

	sockaddr_text(&c->cf.gw, addr, sizeof(addr));
	if (err == IR_ERR_TLS_CERT && strncmp(detail, "the certificate is "
	    "not for", 23) == 0)
		snprintf(a->close.detail, sizeof(a->close.detail), "TLS to "
		    "%s:%u: %.100s: connect with a name the front's certificate "
		    "has", addr, c->cf.tls_port, detail);
	else if (err == IR_ERR_TLS_CERT) {
		hint = c->cf.tls_ca == NULL ? "give the front's CA with "
		    "--tls-ca" : "is --tls-ca the front's CA? (a middlebox may "
		    "be intercepting TLS)";
		snprintf(a->close.detail, sizeof(a->close.detail), "TLS to "
		    "%s:%u: the server's certificate is not trusted (%.80s): "
		    "%s", addr, c->cf.tls_port, detail, hint);
	} else if (err == IR_ERR_TLS_NOT)
		snprintf(a->close.detail, sizeof(a->close.detail), "TLS to "
		    "%s:%u: %.100s: check --tls-port, or whether this network "
		    "lets TLS to the gateway out", addr, c->cf.tls_port, detail);
	else
		snprintf(a->close.detail, sizeof(a->close.detail), "TLS to "
		    "%s:%u: the handshake failed (%.100s)", addr,
		    c->cf.tls_port, detail);
	a->close.reason = err;
	a->refused = true;
	/* Said now when other attempts go on; it is the report otherwise. */
	if (c->att[FB_UDP].active || c->att[FB_TCP].active)
		log_info("%s", a->close.detail);
	/* What the front said beats a time-out in the end. */
	if (c->close.reason == 0 || c->close.reason == IR_ERR_TIMEOUT)
		c->close = a->close;
}

static void
xp_on_error(void *ud, struct xport *x, int err)
{
	struct conn_attempt *a = ud;
	struct conn *c = a->c;
	struct sess_ev ev = { .xp = a->xp };

	log_debug("%s transport: %s%s%s", x->name, err == IR_ERR_MALFORMED ?
	    "unparsable stream" : err <= -5000 ? ir_strerror(err) :
	    uv_strerror(err), x->detail[0] != '\0' ? ": " : "", x->detail);
	if (x == a->x_old) {
		xport_drop(a->c, &a->x_old);	/* the path we left */
		return;
	}
	if (a == c->prev) {
		/* The parked SA's TCP connection is gone (it is not
		 * re-opened): the new session, if under way, takes over when
		 * it is up; the policy hears that the parked SA carries
		 * nothing now (between a reauthentication's tries that is a
		 * lost session). */
		if (x->tcp) {
			ev.kind = SE_PREV_CLOSED;
			ev.reason = IR_ERR_TIMEOUT;
			xport_drop(a->c, &a->x);
			conn_post(c, &ev);
		}
		return;
	}
	if (!a->active || a->closed)
		return;
	if (!x->tcp) {
		if (a->probe) {
			attempt_abort(a);	/* ICMP: UDP still refused */
			return;
		}
		ev.kind = SE_ICMP;	/* may be transient or forged */
		conn_post(c, &ev);
		return;
	}
	/* TCP: the connection is gone; the SA is not (RFC 9329 §6.1). */
	ev.kind = SE_XPORT_LOST;
	ev.was_open = x->established;
	ev.opened_ms = a->t_opened;
	ev.reopened = a->reopened;
	xport_drop(a->c, &a->x);
	a->t_lost = uv_now(c->loop);
	if (is_cur(a)) {
		log_info("TCP connection to the gateway lost (%s)",
		    err == IR_ERR_MALFORMED ? "unparsable stream" :
		    uv_strerror(err));
		conn_status(c, "tcp_lost");
	} else if (c->sess.cur < 0 && (err == IR_ERR_TLS_NOT ||
	    err == IR_ERR_TLS_CERT || err == IR_ERR_TLS)) {
		tls_failed(a, err, x->detail);
	} else if (c->sess.cur < 0) {
		conn_tcp_fail_line(c, a->xp == FB_TLS, err, ev.was_open,
		    x->detail, a->close.detail, sizeof(a->close.detail));
		a->close.reason = IR_ERR_TIMEOUT;
		a->refused = true;
		/* The report's line when nothing else says more. */
		if (c->close.reason == 0)
			c->close = a->close;
	}
	conn_post(c, &ev);
}

static const struct xport_events xp_events = {
	.on_ike = xp_on_ike,
	.on_esp = xp_on_esp,
	.on_connected = xp_on_connected,
	.on_error = xp_on_error,
};

/* ---- starting, moving and stopping attempts ------------------------- */

static int
open_xport(struct conn_attempt *a, struct xport **out, bool floated)
{
	struct conn *c = a->c;
	struct sockaddr_storage gw;
	struct xport_bind b;

	attempt_bind(c, &b);
	if (a->xp == FB_TLS) {
		gw_with_port(c, c->cf.tls_port, &gw);
		return xport_tls_new(out, c->loop, (struct sockaddr *)&gw, &b,
		    c->cf.tls_name, c->cf.tls_ca_pem, c->cf.tls_ca_len,
		    &xp_events, a);
	}
	if (a->xp == FB_TCP) {
		gw_with_port(c, c->cf.tcp_port, &gw);
		return xport_tcp_new(out, c->loop, (struct sockaddr *)&gw, &b,
		    &xp_events, a);
	}
	if (floated) {
		gw_with_port(c, c->cf.natt_port, &gw);
		return xport_udp_new_floated(out, c->loop,
		    (struct sockaddr *)&gw, c->cf.natt_port, &b, &xp_events, a);
	}
	return xport_udp_new(out, c->loop, (struct sockaddr *)&c->cf.gw,
	    c->cf.natt_port, &b, &xp_events, a);
}

static void
attempt_reset(struct conn_attempt *a)
{
	a->active = a->probe = a->closed = a->reported = false;
	a->refused = false;
	a->reopened = false;
	a->t_start = a->t_opened = 0;
	memset(&a->close, 0, sizeof(a->close));
}

int
attempt_start(struct conn *c, int xp, bool probe)
{
	struct conn_attempt *a = &c->att[xp];
	struct ike_conf conf;
	struct ike_path path;
	int rv;

	attempt_drop(a);
	attempt_reset(a);
	a->active = true;
	a->probe = probe;
	a->t_start = uv_now(c->loop);
	if ((rv = open_xport(a, &a->x, false)) != 0) {
		a->x = NULL;
		a->closed = a->reported = true;
		a->active = false;
		a->close.reason = IR_ERR_TIMEOUT;
		conn_open_fail_line(c, fallback_xport_name(xp), rv,
		    a->close.detail, sizeof(a->close.detail));
		/* Definite, as a refusal: the report's line if nothing
		 * else says more. */
		a->refused = true;
		if (!probe && c->sess.cur < 0 && c->close.reason == 0)
			c->close = a->close;
		log_debug("%s", a->close.detail);	/* the report says it */
		return rv;
	}
	xport_path(a->x, &path);
	path.tcp = xp != FB_UDP;	/* TLS carries the TCP stream */
	conf = c->cf.ike;
	/* A probe only needs IKE_SA_INIT answered; do not wait long. */
	if (probe)
		conf.giveup_ms = CONN_PROBE_GIVEUP_MS;
	/* Rebuilding a lost session: the path may come back any moment (a
	 * hotspot that blocked UDP for a while); retransmit at least every
	 * 2 s so that the gap after it does is short. */
	if (c->sess.was_up && (conf.retx_max_ms == 0 ||
	    conf.retx_max_ms > CONN_RECONNECT_RETX_MS))
		conf.retx_max_ms = CONN_RECONNECT_RETX_MS;
	rv = ike_sa_new(&a->ike, &conf, &path, &ike_cbs, a, uv_now(c->loop));
	ir_wipe(&conf, sizeof(conf));	/* the PSK and password are in it */
	if (rv != 0) {
		a->closed = true;
		a->close.reason = rv;
		snprintf(a->close.detail, sizeof(a->close.detail),
		    "cannot set up the IKE SA: %s", ir_strerror(rv));
		xport_drop(a->c, &a->x);
		a->active = false;
		a->reported = true;
		return rv;
	}
	attempt_after(a, ike_sa_start(a->ike, uv_now(c->loop)));
	return 0;
}

/*
 * RFC 9329 §6.1: the originator opens a new connection and the SA lives
 * on; the engine re-sends what is outstanding once it is up.  Also after
 * the path changed: the old connection is bound to the old address.
 */
int
attempt_reopen_tcp(struct conn_attempt *a)
{
	struct sess_ev ev = { .kind = SE_XPORT_LOST, .xp = a->xp,
	    .reopened = true };
	int rv;

	if (!a->active || a->closed || a->xp == FB_UDP)
		return 0;
	xport_drop(a->c, &a->x);
	a->reopened = true;
	if ((rv = open_xport(a, &a->x, false)) != 0) {
		log_debug("%s re-open: %s", fallback_xport_name(a->xp),
		    ir_strerror(rv));
		a->x = NULL;
		conn_post(a->c, &ev);	/* the policy backs off */
	}
	return rv;
}

/*
 * Tell the gateway where we are now (RFC 4555 §3.5 UPDATE_SA_ADDRESSES
 * with MOBIKE, an INFORMATIONAL from the new address without it, RFC
 * 7296 §2.23).  |rebind|: a new socket on the new path first; the old
 * one keeps receiving until the gateway confirms (make-before-break when
 * the old uplink still works).  Without |rebind| it checks the path:
 * the same request proves the gateway answers, and with MOBIKE it also
 * re-syncs a NAT mapping that changed under us.
 */
int
attempt_move(struct conn_attempt *a, uint32_t budget_ms, bool rebind)
{
	struct conn *c = a->c;
	struct xport *nx = NULL;
	struct ike_path path;
	int rv;

	if (a->ike == NULL || a->closed || a->x == NULL)
		return 0;
	if (rebind && a->xp == FB_UDP) {
		if ((rv = open_xport(a, &nx, true)) != 0) {
			log_info("cannot open a socket on the new path: %s",
			    uv_strerror(rv));
			nx = NULL;
		} else {
			xport_drop(a->c, &a->x_old);
			xport_udp_keepalive(a->x, 0);
			a->x_old = a->x;
			a->x = nx;
		}
	}
	xport_path(a->x, &path);
	attempt_after(a, ike_sa_move(a->ike, &path, budget_ms,
	    uv_now(c->loop)));
	return 0;
}

/* The gateway confirmed: the path we left goes. */
void
attempt_moved(struct conn_attempt *a, bool local_nat)
{
	xport_drop(a->c, &a->x_old);
	if (a->x != NULL && !a->x->tcp)	/* RFC 3948 §4 */
		xport_udp_keepalive(a->x, local_nat ? a->c->cf.keepalive_ms : 0);
}

/* Drop an attempt that lost the race or whose session is over.  The SA
 * object stays until attempt_drop() (never from one of its callbacks). */
void
attempt_abort(struct conn_attempt *a)
{
	size_t i;

	a->active = false;
	revocation_cancel(a->rev);
	a->rev = NULL;
	for (i = 0; i < IKE_FETCH_MAX; i++) {
		certfetch_cancel(a->fetch[i]);
		a->fetch[i] = NULL;
	}
	uv_timer_stop(&a->timer);
	xport_drop(a->c, &a->x);
	xport_drop(a->c, &a->x_old);
}

/* Abort and free the SA; only from conn.c's door, never from inside an
 * engine call. */
void
attempt_drop(struct conn_attempt *a)
{
	attempt_abort(a);
	ike_sa_free(a->ike);
	a->ike = NULL;
}

/* The current bank's attempts and their Child SAs; the parked SA stays. */
void
attempts_drop_bank(struct conn *c)
{
	unsigned i;

	for (i = 0; i < CONN_ATTEMPTS; i++) {
		conn_children_free_owner(c, &c->att[i]);
		attempt_drop(&c->att[i]);
	}
}

void
attempts_release(struct conn *c)
{
	unsigned b, i;

	for (b = 0; b < 2; b++)
		for (i = 0; i < CONN_ATTEMPTS; i++) {
			attempt_abort(&c->bank[b][i]);
			uv_close((uv_handle_t *)&c->bank[b][i].timer, NULL);
		}
}
