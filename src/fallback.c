/* src/fallback.c: the UDP / TCP / TLS transport ladder (see fallback.h). */
#include <stdint.h>
#include <string.h>

#include "src/fallback.h"

static const unsigned start_bit[FB_NXPORT] = {
	FB_START_UDP, FB_START_TCP, FB_START_TLS
};
static const unsigned abort_bit[FB_NXPORT] = {
	FB_ABORT_UDP, FB_ABORT_TCP, FB_ABORT_TLS
};
static const int won_state[FB_NXPORT] = { FB_WON_UDP, FB_WON_TCP, FB_WON_TLS };

void
fallback_init(struct fallback *fb, int mode, uint32_t fallback_ms,
    uint32_t race_ms, int first)
{
	*fb = (struct fallback){ 0 };
	fb->mode = mode;
	fb->fallback_ms = fallback_ms;
	fb->race_ms = race_ms;
	fb->first = first >= FB_UDP && first <= FB_TLS ? first : FB_UDP;
	fb->state = FB_IDLE;
}

/* The highest rung started so far (running or dead), or -1. */
static int
top_rung(const struct fallback *fb)
{
	int xp;

	for (xp = FB_TLS; xp >= FB_UDP; xp--)
		if (fb->on[xp] || fb->dead[xp])
			return xp;
	return -1;
}

/* auto mode: the rung above the top one starts |delay| from now. */
static void
arm_next(struct fallback *fb, uint64_t now_ms, uint32_t delay)
{
	int n = top_rung(fb) + 1;

	fb->t_next = 0;
	if (fb->mode != FB_MODE_AUTO || n >= FB_NXPORT)
		return;
	fb->next = n;
	fb->t_next = now_ms + delay;
}

static unsigned
start_rung(struct fallback *fb, int xp, uint64_t now_ms)
{
	if (fb->on[xp] || fb->dead[xp])
		return 0;
	fb->on[xp] = true;
	arm_next(fb, now_ms, fb->fallback_ms);
	return start_bit[xp];
}

/* auto mode: |xp| failed or was refused; climb at once when it was the
 * top rung (a lower one failing changes nothing: a higher one runs). */
static unsigned
climb(struct fallback *fb, int xp, uint64_t now_ms)
{
	if (fb->mode != FB_MODE_AUTO || xp != top_rung(fb) ||
	    xp + 1 >= FB_NXPORT)
		return 0;
	return start_rung(fb, xp + 1, now_ms);
}

unsigned
fallback_start(struct fallback *fb, uint64_t now_ms)
{
	unsigned act;

	fb->state = FB_TRYING;
	fb->t_start = now_ms;
	switch (fb->mode) {
	case FB_MODE_UDP:
		return start_rung(fb, FB_UDP, now_ms);
	case FB_MODE_TCP:
		return start_rung(fb, FB_TCP, now_ms);
	case FB_MODE_TLS:
		return start_rung(fb, FB_TLS, now_ms);
	default:
		break;
	}
	act = start_rung(fb, fb->first, now_ms);
	if (fb->first == FB_UDP && fb->race_ms > 0 &&
	    fb->race_ms < fb->fallback_ms)
		arm_next(fb, now_ms, fb->race_ms);
	return act;
}

bool
fallback_running(const struct fallback *fb, int xp)
{
	return xp >= FB_UDP && xp <= FB_TLS && fb->on[xp];
}

unsigned
fallback_answered(struct fallback *fb, int xp, uint64_t now_ms)
{
	unsigned act = 0;
	int i;

	(void)now_ms;
	if (fb->state != FB_TRYING || !fallback_running(fb, xp))
		return 0;
	fb->t_next = 0;
	fb->state = won_state[xp];
	fb->udp_silent = xp != FB_UDP && (fb->on[FB_UDP] || fb->dead[FB_UDP]);
	for (i = FB_UDP; i <= FB_TLS; i++) {
		if (i != xp && fb->on[i]) {
			fb->on[i] = false;
			act |= abort_bit[i];
		}
	}
	return act;
}

unsigned
fallback_failed(struct fallback *fb, int xp, uint64_t now_ms)
{
	unsigned act;

	if (fb->state != FB_TRYING || xp < FB_UDP || xp > FB_TLS)
		return 0;
	fb->on[xp] = false;
	fb->dead[xp] = true;
	/* Refused, reset or closed: no reason to wait for the timer. */
	act = climb(fb, xp, now_ms);
	/* The rung remembered for this network failed (its front is gone,
	 * the network changed): the whole ladder again, from UDP, once. */
	if (!fb->on[FB_UDP] && !fb->on[FB_TCP] && !fb->on[FB_TLS] &&
	    fb->mode == FB_MODE_AUTO && fb->first != FB_UDP) {
		fb->first = FB_UDP;
		memset(fb->on, 0, sizeof(fb->on));
		memset(fb->dead, 0, sizeof(fb->dead));
		return act | start_rung(fb, FB_UDP, now_ms);
	}
	if (!fb->on[FB_UDP] && !fb->on[FB_TCP] && !fb->on[FB_TLS]) {
		fb->state = FB_FAILED;
		fb->t_next = 0;
		act |= FB_GIVE_UP;
	}
	return act;
}

unsigned
fallback_refused(struct fallback *fb, int xp, uint64_t now_ms)
{
	if (fb->state != FB_TRYING || !fallback_running(fb, xp))
		return 0;
	return climb(fb, xp, now_ms);
}

uint64_t
fallback_deadline(const struct fallback *fb)
{
	if (fb->state != FB_TRYING || fb->t_next == 0)
		return UINT64_MAX;
	return fb->t_next;
}

unsigned
fallback_expire(struct fallback *fb, uint64_t now_ms)
{
	if (fb->state != FB_TRYING || fb->t_next == 0 || now_ms < fb->t_next)
		return 0;
	fb->t_next = 0;
	return start_rung(fb, fb->next, now_ms);
}

int
fallback_winner(const struct fallback *fb)
{
	switch (fb->state) {
	case FB_WON_UDP: return FB_UDP;
	case FB_WON_TCP: return FB_TCP;
	case FB_WON_TLS: return FB_TLS;
	default: return -1;
	}
}

const char *
fallback_xport_name(int xp)
{
	switch (xp) {
	case FB_UDP: return "udp";
	case FB_TCP: return "tcp";
	case FB_TLS: return "tls";
	default: return "?";
	}
}

const char *
fallback_state_name(int state)
{
	switch (state) {
	case FB_IDLE: return "idle";
	case FB_TRYING: return "trying";
	case FB_WON_UDP: return "udp";
	case FB_WON_TCP: return "tcp";
	case FB_WON_TLS: return "tls";
	case FB_FAILED: return "failed";
	default: return "?";
	}
}
