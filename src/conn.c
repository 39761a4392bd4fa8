/*
 * src/conn.c: the life of one connection.
 *
 *   CONNECTING  transport open, IKE_SA_INIT / IKE_AUTH under way
 *   CONFIGURING first Child SA up: TUN opened, vpnc-script "connect"
 *   UP          packets flow TUN <-> ESP <-> transport
 *   CLOSING     DELETE sent (Ctrl-C) or SA lost; script "disconnect"
 *   DONE        every handle closed; the loop returns
 *
 * The engine is driven in one place, conn_after(): every ike_sa_*() call
 * ends there, which re-arms the SA's single deadline or starts teardown.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "esp/esp.h"
#include "src/cli.h"
#include "src/conn.h"
#include "src/conn_int.h"
#include "src/exitcode.h"
#include "src/log.h"

static void	conn_teardown(struct conn *c);

/* ---- engine results ---------------------------------------------------- */

static void
conn_on_timer(uv_timer_t *t)
{
	struct conn *c = t->data;

	if (c->ike != NULL)
		conn_after(c, ike_sa_expire(c->ike, uv_now(c->loop)));
}

void
conn_fail(struct conn *c, int exit_code, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return;		/* the first failure is the one to report */
	c->failed = true;
	c->exit_code = exit_code;
	c->fail.reason = IR_ERR_CONFIG;
	va_start(ap, fmt);
	vsnprintf(c->fail.detail, sizeof(c->fail.detail), fmt, ap);
	va_end(ap);
	c->want_shutdown = true;
}

void
conn_after(struct conn *c, int rv)
{
	uint64_t at, now = uv_now(c->loop);

	if (c->want_shutdown && !c->ike_closed && c->ike != NULL &&
	    !ir_err_is_fatal(rv)) {
		c->want_shutdown = false;
		uv_timer_start(&c->hard_timer, conn_on_hard_timeout,
		    CONN_DELETE_WAIT_MS, 0);
		rv = ike_sa_shutdown(c->ike, now);
	} else if (c->want_shutdown && c->ike == NULL) {
		c->ike_closed = true;
	}

	if (c->ike_closed || ir_err_is_fatal(rv)) {
		if (!c->ike_closed) {
			/* The engine reports through |closed|; a fatal code
			 * without it is our own failure. */
			c->close.reason = rv;
			snprintf(c->close.detail, sizeof(c->close.detail),
			    "%s", ir_strerror(rv));
			c->ike_closed = true;
		}
		conn_teardown(c);
		return;
	}
	if (rv != 0)
		log_debug("input dropped: %s", ir_strerror(rv));
	at = ike_sa_deadline(c->ike);
	if (at == UINT64_MAX)
		uv_timer_stop(&c->ike_timer);
	else
		uv_timer_start(&c->ike_timer, conn_on_timer,
		    at > now ? at - now : 0, 0);
}

/* ---- engine callbacks ---------------------------------------------------- */

static int
cb_send_msg(void *ud, const uint8_t *msg, size_t len)
{
	struct conn *c = ud;

	return c->xp->ops->send_ike(c->xp, msg, len);
}

static void
cb_nat(void *ud, bool local_nat, bool remote_nat)
{
	struct conn *c = ud;
	int rv;

	if (c->xp->tcp)
		return;
	if ((rv = xport_udp_float(c->xp)) != 0) {
		log_warn("cannot move to UDP port %u: %s", c->cf.natt_port,
		    uv_strerror(rv));
		return;
	}
	log_debug("NAT: we are %sbehind a NAT, the gateway is %s; using "
	    "UDP port %u", local_nat ? "" : "not ", remote_nat ?
	    "behind one" : "not", c->cf.natt_port);
	/* RFC 3948 §4: keep the NAT mapping alive. */
	if (local_nat)
		xport_udp_keepalive(c->xp, CONN_KEEPALIVE_MS);
}

static void
cb_config(void *ud, const struct ike_cfg_reply *cfg)
{
	struct conn *c = ud;

	c->cfg = *cfg;
	c->have_cfg = true;
}

static int
cb_child_up(void *ud, const struct ike_child *child)
{
	struct conn *c = ud;
	int rv;

	if ((rv = conn_child_add(c, child)) != 0)
		return rv;
	if (c->state == CONN_CONNECTING)
		conn_tunnel_open(c, child);
	return 0;
}

static void
cb_child_down(void *ud, uint32_t spi_in, int reason)
{
	struct conn *c = ud;

	log_debug("child SA %08x down: %s", spi_in, ir_strerror(reason));
	conn_child_remove(c, spi_in);
}

static void
cb_closed(void *ud, const struct ike_close_info *info)
{
	struct conn *c = ud;

	c->close = *info;
	c->ike_closed = true;	/* conn_after() tears down after the call */
}

static void
cb_log(void *ud, int level, const char *line)
{
	log_sink(ud, level, line);
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

/* ---- transport events ------------------------------------------------------ */

static void
xp_on_ike(void *ud, struct xport *x, uint8_t *msg, size_t len)
{
	struct conn *c = ud;

	if (c->ike == NULL || c->ike_closed)
		return;
	conn_after(c, ike_sa_input(c->ike, msg, len, uv_now(c->loop)));
}

static void
xp_on_error(void *ud, struct xport *x, int err)
{
	struct conn *c = ud;

	/* ICMP unreachable on UDP: keep waiting (it may be transient);
	 * the engine's give-up time decides.  Remembered for the message. */
	c->last_xport_error = err;
	log_debug("%s transport: %s", x->name, uv_strerror(err));
}

static const struct xport_events xp_events = {
	.on_ike = xp_on_ike,
	.on_esp = conn_on_esp,
	.on_error = xp_on_error,
};

/* ---- signals ------------------------------------------------------------ */

static void
conn_on_signal(uv_signal_t *s, int signum)
{
	struct conn *c = s->data;

	if (c->state == CONN_CLOSING || c->state == CONN_DONE) {
		if (++c->signals > 1) {
			log_info("second signal: leaving without waiting");
			c->force = true;
			conn_teardown(c);
		}
		return;
	}
	log_info("%s: disconnecting", strsignal(signum));
	c->user_quit = true;
	c->signals = 1;
	if (c->ike != NULL && ike_sa_established(c->ike)) {
		c->state = CONN_CLOSING;
		uv_timer_start(&c->hard_timer, conn_on_hard_timeout,
		    CONN_DELETE_WAIT_MS, 0);
		conn_after(c, ike_sa_shutdown(c->ike, uv_now(c->loop)));
		return;
	}
	c->close.reason = IR_ERR_CLOSED;
	snprintf(c->close.detail, sizeof(c->close.detail),
	    "interrupted before the tunnel came up");
	c->ike_closed = true;
	conn_teardown(c);
}

void
conn_on_hard_timeout(uv_timer_t *t)
{
	struct conn *c = t->data;

	log_debug("gateway did not confirm the DELETE in time");
	c->force = true;
	if (!c->ike_closed) {
		c->close.reason = IR_ERR_CLOSED;
		c->ike_closed = true;
	}
	conn_teardown(c);
}

/* ---- teardown ------------------------------------------------------------ */

static void
handle_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->open_handles == 0)
		c->state = CONN_DONE;
}

static void
xport_closed(struct xport *x)
{
	(void)x;
}

/* After the network setup is undone: release everything else. */
static void
conn_release(struct conn *c)
{
	unsigned i;

	if (c->released)
		return;
	c->released = true;
	conn_tun_close(c);
	conn_children_free(c);
	if (c->xp != NULL) {
		c->xp->ops->close(c->xp, xport_closed);
		c->xp = NULL;
	}
	uv_timer_stop(&c->ike_timer);
	uv_timer_stop(&c->hard_timer);
	uv_close((uv_handle_t *)&c->ike_timer, handle_closed);
	uv_close((uv_handle_t *)&c->hard_timer, handle_closed);
	for (i = 0; i < IR_ARRAY_LEN(c->sig); i++) {
		uv_signal_stop(&c->sig[i]);
		uv_close((uv_handle_t *)&c->sig[i], handle_closed);
	}
	conn_report(c);
}

static void
netcfg_undone(struct netcfg *nc, int status)
{
	struct conn *c = (struct conn *)((char *)nc -
	    offsetof(struct conn, nc));

	if (status != 0)
		log_warn("undoing the network setup failed: %s",
		    ir_strerror(status));
	conn_release(c);
}

static void
conn_teardown(struct conn *c)
{
	if (c->tearing_down) {
		if (c->force && !c->nc.running)
			conn_release(c);
		return;
	}
	c->tearing_down = true;
	c->state = CONN_CLOSING;
	conn_tun_stop(c);
	if (c->nc.running) {
		/* The "connect" script is still running; its exit callback
		 * sees tearing_down and undoes what it did. */
		return;
	}
	if (netcfg_down(&c->nc, netcfg_undone) != 0)
		conn_release(c);
}

/* ---- public ----------------------------------------------------------------- */

int
conn_new(struct conn **out, uv_loop_t *loop, const struct conn_conf *conf)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	char err[256];
	struct conn *c;
	unsigned i;
	int rv;

	if ((c = ir_calloc(1, sizeof(*c))) == NULL)
		return IR_ERR_NOMEM;
	c->loop = loop;
	c->cf = *conf;
	c->state = CONN_CONNECTING;
	tun_dev_init(&c->tun);
	if ((rv = netcfg_init(&c->nc, loop, conf->script, err,
	    sizeof(err))) != 0) {
		log_err("%s", err);
		ir_free(c);
		return rv;
	}
	uv_timer_init(loop, &c->ike_timer);
	uv_timer_init(loop, &c->hard_timer);
	c->ike_timer.data = c;
	c->hard_timer.data = c;
	c->open_handles = 2;
	for (i = 0; i < IR_ARRAY_LEN(c->sig); i++) {
		uv_signal_init(loop, &c->sig[i]);
		c->sig[i].data = c;
		uv_signal_start(&c->sig[i], conn_on_signal, signals[i]);
		c->open_handles++;
	}
	*out = c;
	return 0;
}

int
conn_start(struct conn *c)
{
	struct ike_path path;
	char addr[INET6_ADDRSTRLEN];
	int rv;

	c->t_start = uv_now(c->loop);
	if (c->cf.gw.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&c->cf.gw)->sin_addr,
		    addr, sizeof(addr));
	else
		inet_ntop(AF_INET6,
		    &((struct sockaddr_in6 *)&c->cf.gw)->sin6_addr, addr,
		    sizeof(addr));
	log_info("connecting to %s (%s) over UDP", c->cf.gw_name, addr);
	if ((rv = xport_udp_new(&c->xp, c->loop, (struct sockaddr *)&c->cf.gw,
	    c->cf.natt_port, &xp_events, c)) != 0) {
		c->close.reason = rv;
		snprintf(c->close.detail, sizeof(c->close.detail),
		    "cannot open a UDP socket to %s: %s", addr, uv_strerror(rv));
		c->ike_closed = true;
		conn_teardown(c);
		return 0;
	}
	xport_path(c->xp, &path);
	if ((rv = ike_sa_new(&c->ike, &c->cf.ike, &path, &ike_cbs, c,
	    uv_now(c->loop))) != 0) {
		c->close.reason = rv;
		snprintf(c->close.detail, sizeof(c->close.detail),
		    "cannot set up the IKE SA: %s", ir_strerror(rv));
		c->ike_closed = true;
		conn_teardown(c);
		return 0;
	}
	conn_after(c, ike_sa_start(c->ike, uv_now(c->loop)));
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
	if (c == NULL)
		return;
	ike_sa_free(c->ike);
	ir_wipe(&c->cf, sizeof(c->cf));
	ir_free(c);
}
