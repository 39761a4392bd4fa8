/*
 * src/conn_session.c: keeping the tunnel when the session under it is
 * lost.  A roaming laptop loses its gateway all the time: the gateway
 * restarts, a NAT forgets its mapping, the laptop sleeps for an hour.
 * The TUN device, its addresses and routes stay; a new IKE SA is built
 * (UDP first, TCP when needed, as at start), and packets flow again on
 * its Child SA.  Only when the gateway says no (authentication,
 * proposals) or the reconnect window (--reconnect-timeout) runs out does
 * ikeroam exit, with status 11.
 *
 * Suspend: CLOCK_MONOTONIC stops while the machine sleeps and
 * CLOCK_BOOTTIME does not; when they drift apart the machine slept, and
 * the gateway is checked at once instead of after the liveness interval.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/conn_int.h"
#include "src/log.h"

#define CLOCK_CHECK_MS		5000
#define SUSPEND_MIN_MS		10000	/* a gap this long was a sleep */

/* Delays before the 1st, 2nd, ... try to build a new session. */
static const uint32_t again_ms[] = { 200, 1000, 3000, 5000, 10000, 20000,
    30000 };

static uint64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Worth another session: the gateway went away, it did not refuse us. */
bool
conn_reconnect_wanted(struct conn *c)
{
	uint64_t now = uv_now(c->loop);

	if (c->user_quit || c->failed || c->tearing_down || !c->was_up ||
	    c->cf.reconnect_ms == 0)
		return false;
	switch (c->close.reason) {
	case IR_ERR_TIMEOUT:
	case IR_ERR_CLOSED:
	case IR_ERR_LIFETIME:
	case IR_ERR_INTERNAL:
		break;
	default:
		return false;	/* AUTH, PROPOSAL, CERT, TS, CP: ask the user */
	}
	return c->t_session_lost == 0 ||
	    now - c->t_session_lost < c->cf.reconnect_ms;
}

static void
again_now(uv_timer_t *t)
{
	struct conn *c = t->data;

	if (c->tearing_down)
		return;
	conn_attempts_begin(c);
}

void
conn_reconnect(struct conn *c)
{
	uint32_t delay;

	if (!c->reconnecting) {
		c->reconnecting = true;
		c->t_session_lost = uv_now(c->loop);
		c->sessions_lost++;
		if (!c->moving_to_udp)
			log_info("%s: keeping the tunnel, reconnecting",
			    c->close.detail);
		c->moving_to_udp = false;
	}
	delay = again_ms[IR_MIN(c->session_tries, IR_ARRAY_LEN(again_ms) - 1)];
	c->session_tries++;
	conn_children_free(c);
	conn_attempts_reset(c);
	conn_status(c, "reconnecting");
	uv_timer_start(&c->again_timer, again_now, delay, 0);
}

static void
reconfigured(struct netcfg *nc, int status)
{
	(void)nc;
	if (status != 0)
		log_warn("applying the new address failed: %s",
		    ir_strerror(status));
}

static void
unconfigured(struct netcfg *nc, int status)
{
	struct conn *c = (struct conn *)((char *)nc -
	    offsetof(struct conn, nc));
	struct netcfg_info info = nc->info;

	(void)status;
	if (c->tearing_down)
		return;
	info.cfg = c->cfg;
	(void)netcfg_up(nc, &info, reconfigured);
}

void
conn_reconnected(struct conn *c)
{
	bool same = c->have_cfg && c->nc.info.cfg.has_ip4 == c->cfg.has_ip4 &&
	    memcmp(c->nc.info.cfg.ip4, c->cfg.ip4, 4) == 0 &&
	    c->nc.info.cfg.has_ip6 == c->cfg.has_ip6 &&
	    memcmp(c->nc.info.cfg.ip6, c->cfg.ip6, 16) == 0;

	c->reconnecting = false;
	c->session_tries = 0;
	log_info("reconnected in %llu ms over %s%s",
	    (unsigned long long)(uv_now(c->loop) - c->t_session_lost),
	    conn_xp(c) != NULL && conn_xp(c)->tcp ? "TCP" : "UDP",
	    same ? "" : "; the gateway gave another address: reconfiguring");
	c->t_session_lost = 0;
	conn_status(c, "up");
	/* Another virtual IP: undo the old setup, apply the new one. */
	if (!same && !c->nc.running)
		(void)netcfg_down(&c->nc, unconfigured);
}

/* ---- suspend and resume --------------------------------------------- */

static void
clock_tick(uv_timer_t *t)
{
	struct conn *c = t->data;
	uint64_t mono = clock_ms(CLOCK_MONOTONIC), boot = clock_ms(CLOCK_BOOTTIME);
	uint64_t slept = (boot - c->clock_boot) - (mono - c->clock_mono);
	struct ike_sa *ike = conn_ike(c);

	c->clock_mono = mono;
	c->clock_boot = boot;
	if (slept < SUSPEND_MIN_MS || ike == NULL || !ike_sa_established(ike) ||
	    c->state != CONN_UP)
		return;
	log_info("resumed after %llu s asleep: checking the gateway",
	    (unsigned long long)(slept / 1000));
	conn_after(c, ike_sa_check_liveness(ike, uv_now(c->loop)));
}

void
conn_session_init(struct conn *c)
{
	uv_timer_init(c->loop, &c->again_timer);
	uv_timer_init(c->loop, &c->clock_timer);
	c->again_timer.data = c;
	c->clock_timer.data = c;
	c->clock_mono = clock_ms(CLOCK_MONOTONIC);
	c->clock_boot = clock_ms(CLOCK_BOOTTIME);
	uv_timer_start(&c->clock_timer, clock_tick, CLOCK_CHECK_MS,
	    CLOCK_CHECK_MS);
	uv_unref((uv_handle_t *)&c->clock_timer);
}

static void
session_handle_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->open_handles == 0)
		c->state = CONN_DONE;
}

void
conn_session_release(struct conn *c)
{
	uv_timer_stop(&c->again_timer);
	uv_timer_stop(&c->clock_timer);
	uv_close((uv_handle_t *)&c->again_timer, session_handle_closed);
	uv_close((uv_handle_t *)&c->clock_timer, session_handle_closed);
}
