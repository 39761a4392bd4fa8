/* src/fallback.c: the UDP/TCP transport choice (see fallback.h). */
#include <stdint.h>

#include "src/fallback.h"

void
fallback_init(struct fallback *fb, int mode, uint32_t fallback_ms,
    uint32_t race_ms, bool udp_blocked_here)
{
	*fb = (struct fallback){ 0 };
	fb->mode = mode;
	fb->fallback_ms = fallback_ms;
	fb->race_ms = race_ms;
	fb->udp_blocked_here = udp_blocked_here;
	fb->state = FB_IDLE;
}

static unsigned
start_tcp(struct fallback *fb)
{
	if (fb->tcp_on || fb->tcp_dead)
		return 0;
	fb->tcp_on = true;
	fb->t_tcp = 0;
	return FB_START_TCP;
}

unsigned
fallback_start(struct fallback *fb, uint64_t now_ms)
{
	unsigned act = 0;
	uint32_t delay;

	fb->state = FB_TRYING;
	fb->t_start = now_ms;
	if (fb->mode == FB_MODE_TCP ||
	    (fb->mode == FB_MODE_AUTO && fb->udp_blocked_here))
		return start_tcp(fb);
	fb->udp_on = true;
	act |= FB_START_UDP;
	if (fb->mode == FB_MODE_AUTO) {
		delay = fb->race_ms > 0 && fb->race_ms < fb->fallback_ms ?
		    fb->race_ms : fb->fallback_ms;
		fb->t_tcp = now_ms + delay;
	}
	return act;
}

unsigned
fallback_answered(struct fallback *fb, bool tcp, uint64_t now_ms)
{
	(void)now_ms;
	if (fb->state != FB_TRYING)
		return 0;
	fb->t_tcp = 0;
	if (tcp) {
		fb->state = FB_WON_TCP;
		fb->udp_silent = fb->udp_on || fb->udp_dead;
		if (fb->udp_on) {
			fb->udp_on = false;
			return FB_ABORT_UDP;
		}
		return 0;
	}
	fb->state = FB_WON_UDP;
	if (fb->tcp_on) {
		fb->tcp_on = false;
		return FB_ABORT_TCP;
	}
	return 0;
}

unsigned
fallback_failed(struct fallback *fb, bool tcp, uint64_t now_ms)
{
	unsigned act = 0;

	(void)now_ms;
	if (fb->state != FB_TRYING)
		return 0;
	if (tcp) {
		fb->tcp_on = false;
		fb->tcp_dead = true;
	} else {
		fb->udp_on = false;
		fb->udp_dead = true;
		/* UDP is refused: no reason to wait for the timer. */
		if (fb->mode == FB_MODE_AUTO)
			act |= start_tcp(fb);
	}
	if (!fb->udp_on && !fb->tcp_on) {
		fb->state = FB_FAILED;
		fb->t_tcp = 0;
		act |= FB_GIVE_UP;
	}
	return act;
}

uint64_t
fallback_deadline(const struct fallback *fb)
{
	if (fb->state != FB_TRYING || fb->t_tcp == 0)
		return UINT64_MAX;
	return fb->t_tcp;
}

unsigned
fallback_expire(struct fallback *fb, uint64_t now_ms)
{
	if (fb->state != FB_TRYING || fb->t_tcp == 0 || now_ms < fb->t_tcp)
		return 0;
	return start_tcp(fb);
}

const char *
fallback_state_name(int state)
{
	switch (state) {
	case FB_IDLE: return "idle";
	case FB_TRYING: return "trying";
	case FB_WON_UDP: return "udp";
	case FB_WON_TCP: return "tcp";
	case FB_FAILED: return "failed";
	default: return "?";
	}
}
