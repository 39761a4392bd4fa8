/*
 * src/fallback.h: which transport to use, UDP or TCP (RFC 9329 §5:
 * TCP only as a fallback).  A pure state machine with no I/O and no
 * clock, so it is tested with a fake clock; conn.c carries out its
 * actions and feeds it events.
 *
 * auto mode, beyond the RFC's minimum:
 *  - UDP first; when it is silent for |fallback_ms| (a few seconds, not
 *    libreswan's 30-60 s) TCP starts too, and UDP keeps trying: the
 *    first IKE_SA_INIT answer wins and the other attempt is closed.
 *  - An ICMP unreachable for UDP starts TCP at once.
 *  - A network remembered as blocking UDP starts with TCP directly.
 *  - |race_ms| > 0: TCP starts that long after UDP whatever happens.
 */
#ifndef IR_SRC_FALLBACK_H
#define IR_SRC_FALLBACK_H

#include <stdbool.h>
#include <stdint.h>

enum fb_mode { FB_MODE_AUTO, FB_MODE_UDP, FB_MODE_TCP };

/* The transports, as attempt indexes. */
enum fb_xport { FB_UDP = 0, FB_TCP = 1, FB_TLS = 2 };

/* Actions for the caller, as a bit set. */
#define FB_START_UDP	0x01u
#define FB_START_TCP	0x02u
#define FB_ABORT_UDP	0x04u	/* close the losing attempt cleanly */
#define FB_ABORT_TCP	0x08u
#define FB_GIVE_UP	0x10u	/* every attempt failed */

enum fb_state {
	FB_IDLE,
	FB_TRYING,		/* one or both attempts under way */
	FB_WON_UDP,
	FB_WON_TCP,
	FB_FAILED,
};

struct fallback {
	int		mode;		/* enum fb_mode */
	uint32_t	fallback_ms;
	uint32_t	race_ms;
	bool		udp_blocked_here;	/* remembered for this network */
	int		state;		/* enum fb_state */
	bool		udp_on, tcp_on;	/* attempt under way */
	bool		udp_dead, tcp_dead;
	bool		udp_silent;	/* UDP never answered before TCP won */
	uint64_t	t_start, t_tcp;	/* t_tcp: when TCP starts; 0: never */
};

void		fallback_init(struct fallback *fb, int mode, uint32_t fallback_ms,
		    uint32_t race_ms, bool udp_blocked_here);
unsigned	fallback_start(struct fallback *fb, uint64_t now_ms);
/* An IKE_SA_INIT response arrived over that transport. */
unsigned	fallback_answered(struct fallback *fb, bool tcp, uint64_t now_ms);
/* That attempt failed (ICMP unreachable, RST, refused, engine gave up). */
unsigned	fallback_failed(struct fallback *fb, bool tcp, uint64_t now_ms);
/* UINT64_MAX: nothing to wait for. */
uint64_t	fallback_deadline(const struct fallback *fb);
unsigned	fallback_expire(struct fallback *fb, uint64_t now_ms);

/* The one progress line: "trying UDP", "UDP silent for 2.5 s: trying TCP". */
const char	*fallback_state_name(int state);

#endif
