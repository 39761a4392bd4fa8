/*
 * src/conn_report.c: how a connection ended, as one line for the user
 * and a documented exit status (src/exitcode.h, man/ikeroam.8).
 */
#include <stdarg.h>
#include <stdio.h>

#include "common/ir_err.h"
#include "src/conn_int.h"
#include "src/exitcode.h"
#include "src/log.h"

/* A local failure and its exit status: shown instead of the engine's
 * reason (the first one wins). */
void
conn_fail_note(struct conn *c, int exit_code, const char *fmt, ...)
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
}

/* The exit status for an engine reason. */
static int
exit_for(const struct conn *c, int reason)
{
	switch (reason) {
	case 0:
	case IR_ERR_CLOSED:
		return c->sess.quit ? IR_EXIT_OK :
		    c->sess.was_up ? IR_EXIT_LOST : IR_EXIT_FAILURE;
	case IR_ERR_AUTH:
		return IR_EXIT_AUTH;
	case IR_ERR_NO_PROPOSAL:
		return IR_EXIT_PROPOSAL;
	case IR_ERR_TIMEOUT:
	case IR_ERR_TLS:
	case IR_ERR_TLS_NOT:
	case IR_ERR_TLS_CERT:	/* TLS only passes middleboxes */
		return c->sess.was_up ? IR_EXIT_LOST : IR_EXIT_UNREACHABLE;
	case IR_ERR_PEER_ID:
	case IR_ERR_CERT:
		return IR_EXIT_PEER_CERT;
	case IR_ERR_TS:
	case IR_ERR_CP:
		return IR_EXIT_REFUSED;
	case IR_ERR_CONFIG:
		return IR_EXIT_USAGE;
	default:
		return IR_EXIT_FAILURE;
	}
}

void
conn_report(struct conn *c)
{
	const struct ike_close_info *info = c->failed ? &c->fail : &c->close;
	uint64_t up_s = c->sess.was_up ? (uv_now(c->loop) - c->t_up) / 1000 : 0;

	if (!c->failed)
		c->exit_code = exit_for(c, c->sess.quit ? IR_ERR_CLOSED :
		    info->reason != 0 ? info->reason : c->sess.exit_reason);
	if (c->evq_overflow != 0)	/* the queue is sized never to fill */
		log_warn("%llu events were dropped: the event queue was full",
		    (unsigned long long)c->evq_overflow);
	if (c->exit_code == 0) {
		log_info("disconnected after %llu s",
		    (unsigned long long)up_s);
		return;
	}
	if (info->detail[0] != '\0')
		log_err("%s", info->detail);
	else
		log_err("connection failed: %s", ir_strerror(info->reason));
	log_debug("exit status %d; dropped: %llu no SA, %llu ESP, %llu TUN "
	    "write, %llu outside the traffic selectors", c->exit_code,
	    (unsigned long long)c->drop_no_sa,
	    (unsigned long long)c->drop_esp,
	    (unsigned long long)c->drop_tun_write,
	    (unsigned long long)c->drop_ts);
}
