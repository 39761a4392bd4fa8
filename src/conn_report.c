/*
 * src/conn_report.c: how a connection ended, as one line for the user
 * and a documented exit status (src/exitcode.h, man/ikeroam.8).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "src/conn_int.h"
#include "src/exitcode.h"
#include "src/log.h"
#include "src/sockaddr_text.h"

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

/* "192.0.2.1", or "vpn.example (192.0.2.1)" when named. */
static void
gw_text(const struct conn *c, char *out, size_t cap)
{
	char addr[INET6_ADDRSTRLEN];

	sockaddr_text(&c->cf.gw, addr, sizeof(addr));
	if (c->cf.gw_name[0] == '\0' || strcmp(c->cf.gw_name, addr) == 0)
		snprintf(out, cap, "%s", addr);
	else
		snprintf(out, cap, "%.64s (%s)", c->cf.gw_name, addr);
}

static bool
no_route(int err)
{
	return err == UV_ENETUNREACH || err == UV_EHOSTUNREACH ||
	    err == -ENETUNREACH || err == -EHOSTUNREACH;
}

void
conn_tcp_fail_line(const struct conn *c, bool tls, int err, bool was_open,
    const char *what, char *out, size_t cap)
{
	unsigned port = tls ? c->cf.tls_port : c->cf.tcp_port;
	char gw[128];

	gw_text(c, gw, sizeof(gw));
	if (err == UV_ECONNREFUSED)
		snprintf(out, cap, "gateway %s refused TCP %u: %s", gw, port,
		    tls ? "no TLS front listens there (check --tls-port)" :
		    "it does not accept RFC 9329 TCP");
	else if (no_route(err))
		snprintf(out, cap, "no route to gateway %s (%s): is this "
		    "machine connected to a network?", gw, uv_strerror(err));
	else if (err == IR_ERR_MALFORMED && what[0] != '\0')
		snprintf(out, cap, "gateway %s answered TCP %u with %s, not "
		    "RFC 9329: check --tcp-port", gw, port, what);
	else if (was_open)
		snprintf(out, cap, "gateway %s closed TCP %u before answering "
		    "(%s)", gw, port, err == IR_ERR_MALFORMED ?
		    "unparsable stream" : uv_strerror(err));
	else
		snprintf(out, cap, "gateway %s: TCP %u cannot be reached (%s)",
		    gw, port, uv_strerror(err));
}

void
conn_open_fail_line(const struct conn *c, const char *xport, int err,
    char *out, size_t cap)
{
	char gw[128];

	gw_text(c, gw, sizeof(gw));
	if (no_route(err))
		snprintf(out, cap, "no route to gateway %s (%s): is this "
		    "machine connected to a network?", gw, ir_strerror(err));
	else
		snprintf(out, cap, "cannot open a %s socket to gateway %s: %s",
		    xport, gw, ir_strerror(err));
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
	case IR_ERR_REDIRECT:
		return IR_EXIT_REDIRECT;
	default:
		return IR_EXIT_FAILURE;
	}
}

void
conn_report(struct conn *c)
{
	const struct ike_close_info *info = c->failed ? &c->fail : &c->close;
	uint64_t up_s = c->sess.was_up ? (uv_now(c->loop) - c->t_up) / 1000 : 0;
	char line[128];

	if (!c->failed)
		c->exit_code = exit_for(c, c->sess.quit ? IR_ERR_CLOSED :
		    info->reason != 0 ? info->reason : c->sess.exit_reason);
	if (c->evq_overflow != 0)	/* the queue is sized never to fill */
		log_warn("%llu events were dropped: the event queue was full",
		    (unsigned long long)c->evq_overflow);
	log_debug("exit status %d; dropped: %llu no SA, %llu ESP, %llu TUN "
	    "write, %llu outside the traffic selectors", c->exit_code,
	    (unsigned long long)c->drop_no_sa,
	    (unsigned long long)c->drop_esp,
	    (unsigned long long)c->drop_tun_write,
	    (unsigned long long)c->drop_ts);
	if (c->exit_code == 0) {
		log_info("disconnected after %llu s",
		    (unsigned long long)up_s);
		return;
	}
	if (info->detail[0] != '\0')
		log_result(c->exit_code, info->detail);
	else {
		snprintf(line, sizeof(line), "connection failed: %s",
		    ir_strerror(info->reason));
		log_result(c->exit_code, line);
	}
}
