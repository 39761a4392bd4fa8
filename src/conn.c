/*
 * src/conn.c: the life of one connection.
 *
 *   CONNECTING  attempts under way (UDP, TCP or both: conn_attempt.c)
 *   CONFIGURING first Child SA up: TUN opened, vpnc-script "connect"
 *   UP          packets flow TUN <-> ESP <-> transport (conn_data.c)
 *   CLOSING     DELETE sent (Ctrl-C) or SA lost; script "disconnect"
 *   DONE        every handle closed; the loop returns
 */
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/conn.h"
#include "src/conn_int.h"
#include "src/exitcode.h"
#include "src/log.h"

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
	if (c->cur == NULL || c->cur->ike == NULL)
		c->ike_closed = true;
}

/* ---- signals ------------------------------------------------------------ */

void
conn_on_hard_timeout(uv_timer_t *t)
{
	struct conn *c = t->data;

	log_debug("the gateway did not confirm the DELETE in time");
	c->force = true;
	if (!c->ike_closed) {
		c->close.reason = IR_ERR_CLOSED;
		c->ike_closed = true;
	}
	conn_teardown(c);
}

static void
conn_on_signal(uv_signal_t *s, int signum)
{
	struct conn *c = s->data;
	struct ike_sa *ike = conn_ike(c);

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
	if (ike != NULL && ike_sa_established(ike)) {
		c->state = CONN_CLOSING;
		uv_timer_start(&c->hard_timer, conn_on_hard_timeout,
		    CONN_DELETE_WAIT_MS, 0);
		conn_after(c, ike_sa_shutdown(ike, uv_now(c->loop)));
		return;
	}
	c->close.reason = IR_ERR_CLOSED;
	snprintf(c->close.detail, sizeof(c->close.detail),
	    "interrupted before the tunnel came up");
	c->ike_closed = true;
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
	conn_attempts_release(c);
	conn_session_release(c);
	conn_udp_probe_release(c);
	uv_timer_stop(&c->hard_timer);
	uv_close((uv_handle_t *)&c->hard_timer, handle_closed);
	for (i = 0; i < IR_ARRAY_LEN(c->sig); i++) {
		uv_signal_stop(&c->sig[i]);
		uv_close((uv_handle_t *)&c->sig[i], handle_closed);
	}
	conn_report(c);
	conn_status(c, "closed");
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

void
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
	if (c->nc.running)
		return;	/* "connect" still runs; its callback undoes it */
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
		ir_wipe(&c->cf, sizeof(c->cf));
		ir_free(c);
		return rv;
	}
	uv_timer_init(loop, &c->hard_timer);
	c->hard_timer.data = c;
	c->open_handles = 1;
	conn_session_init(c);
	conn_udp_probe_init(c);
	c->open_handles += 3;
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
	conn_attempts_start(c);
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
	for (i = 0; i < IR_ARRAY_LEN(c->att); i++)
		ike_sa_free(c->att[i].ike);
	ir_wipe(&c->cf, sizeof(c->cf));
	ir_free(c);
}
