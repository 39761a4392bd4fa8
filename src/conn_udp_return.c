/*
 * src/conn_udp_return.c: back to UDP when the network lets it through.
 *
 * TCP encapsulation is a fallback (RFC 9329 §5): TCP in TCP stalls under
 * loss and costs throughput.  A laptop that fell back to TCP in a hotel
 * often moves to a network where UDP works, or the hotel's filter lets
 * UDP through later.  So while the tunnel runs over TCP, every
 * --udp-probe interval a throw-away IKE_SA_INIT goes to UDP 500; when the
 * gateway answers it, UDP gets through, and the tunnel moves: the IKE SA
 * on TCP is deleted (INFORMATIONAL { D }) and a new session is built over
 * UDP under the same TUN device and routes, as after a lost session.
 *
 * Why not MOBIKE (RFC 4555) UPDATE_SA_ADDRESSES: the one RFC 9329 gateway
 * we know, libreswan 4.10, accepts the update but keeps ESP in the
 * kernel's espintcp state, so traffic is black-holed.  A new session
 * works with every gateway and costs about half a second.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/ir_err.h"
#include "src/cli.h"
#include "src/conn_int.h"
#include "src/log.h"
#include "src/netmem.h"

static bool
on_tcp_and_up(const struct conn *c)
{
	const struct conn_attempt *a = c->cur;

	return a != NULL && a->xp != NULL && a->xp->tcp && a->ike != NULL &&
	    ike_sa_established(a->ike) && c->state == CONN_UP &&
	    !c->reconnecting && !c->tearing_down;
}

static void
probe_tick(uv_timer_t *t)
{
	struct conn *c = t->data;
	struct conn_attempt *p = &c->att[0];	/* the UDP slot is free */

	if (!on_tcp_and_up(c) || p->active || p == c->cur)
		return;
	ike_sa_free(p->ike);		/* last probe's, or the lost race's */
	p->ike = NULL;
	p->closed = false;
	memset(&p->close, 0, sizeof(p->close));
	p->probe = true;
	log_debug("on TCP: probing UDP");
	if (attempt_start(c, false) != 0)
		attempt_abort(p);
}

/* The probe runs every --udp-probe interval and acts only on TCP. */
void
conn_udp_probe_init(struct conn *c)
{
	uv_timer_init(c->loop, &c->probe_timer);
	c->probe_timer.data = c;
	if (c->cf.udp_probe_ms == 0 || c->cf.transport != CLI_XPORT_AUTO)
		return;
	uv_timer_start(&c->probe_timer, probe_tick, c->cf.udp_probe_ms,
	    c->cf.udp_probe_ms);
}

void
conn_udp_probe_answered(struct conn *c, struct conn_attempt *probe,
    bool local_nat)
{
	struct conn_attempt *a = c->cur;

	(void)local_nat;
	attempt_abort(probe);	/* its IKE_AUTH goes nowhere */
	probe->probe = false;
	if (!on_tcp_and_up(c))
		return;
	log_info("UDP gets through again: moving the tunnel to UDP");
	c->moving_to_udp = true;
	c->cf.udp_blocked_here = false;
	if (c->cf.netmem_path[0] != '\0')
		(void)netmem_store(c->cf.netmem_path, c->cf.netmem_key, false,
		    time(NULL));
	conn_status(c, "moving_to_udp");
	/* A different SA from the probe's, whose callback this is. */
	attempt_after(a, ike_sa_shutdown(a->ike, uv_now(c->loop)));
}

static void
probe_timer_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->open_handles == 0)
		c->state = CONN_DONE;
}

void
conn_udp_probe_release(struct conn *c)
{
	uv_timer_stop(&c->probe_timer);
	uv_close((uv_handle_t *)&c->probe_timer, probe_timer_closed);
}
