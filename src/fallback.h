/*
 * src/fallback.h: which transport to use: UDP, TCP 4500 (RFC 9329 §5:
 * TCP only as a fallback) or the same stream inside TLS on 443 (RFC 9329
 * Appendix A), the ladder's last rung.  A pure state machine with no I/O
 * and no clock, so it is tested with a fake clock; the caller carries out
 * its actions and feeds it events.
 *
 * auto mode, beyond the RFC's minimum:
 *  - UDP first; when it is silent for |fallback_ms| (a few seconds, not
 *    libreswan's 30-60 s) TCP starts too, and UDP keeps trying.  When TCP
 *    is refused, reset or closed before it answered, or silent for
 *    another |fallback_ms|, TLS starts too.  The first IKE_SA_INIT
 *    answer wins and the other attempts are closed.
 *  - An ICMP unreachable for UDP starts TCP at once.
 *  - A remembered network starts at the rung that worked there; when
 *    that rung fails, the whole ladder runs again from UDP, once.
 *  - |race_ms| > 0: TCP starts that long after UDP whatever happens.
 */
#ifndef IR_SRC_FALLBACK_H
#define IR_SRC_FALLBACK_H

#include <stdbool.h>
#include <stdint.h>

enum fb_mode { FB_MODE_AUTO, FB_MODE_UDP, FB_MODE_TCP, FB_MODE_TLS };

/* The rungs of the ladder, in order; also the attempt indexes.  0 and
 * 1 equal false and true, so a caller that passes "bool tcp" still
 * means UDP or TCP. */
enum fb_xport { FB_UDP = 0, FB_TCP = 1, FB_TLS = 2 };
#define FB_NXPORT	3

/* Actions for the caller, as a bit set. */
#define FB_START_UDP	0x01u
#define FB_START_TCP	0x02u
#define FB_ABORT_UDP	0x04u	/* close the losing attempt cleanly */
#define FB_ABORT_TCP	0x08u
#define FB_GIVE_UP	0x10u	/* every attempt failed */
#define FB_START_TLS	0x20u
#define FB_ABORT_TLS	0x40u

enum fb_state {
	FB_IDLE,
	FB_TRYING,		/* one or more attempts under way */
	FB_WON_UDP,
	FB_WON_TCP,
	FB_FAILED,
	FB_WON_TLS,
};

struct fallback {
	int		mode;		/* enum fb_mode */
	uint32_t	fallback_ms;
	uint32_t	race_ms;
	int		first;		/* enum fb_xport: auto starts here */
	int		state;		/* enum fb_state */
	bool		on[FB_NXPORT];	/* attempt under way */
	bool		dead[FB_NXPORT];	/* attempt failed */
	bool		udp_silent;	/* UDP never answered before another won */
	int		next;		/* the rung |t_next| starts */
	uint64_t	t_start, t_next;	/* t_next: 0: none */
};

/*
 * |first|: where auto mode starts on this network (enum fb_xport, from
 * the network memory; false/true still mean UDP/TCP).  Ignored in the
 * fixed modes.
 */
void		fallback_init(struct fallback *fb, int mode, uint32_t fallback_ms,
		    uint32_t race_ms, int first);
unsigned	fallback_start(struct fallback *fb, uint64_t now_ms);
/* An IKE_SA_INIT response arrived over transport |xp| (enum fb_xport). */
unsigned	fallback_answered(struct fallback *fb, int xp, uint64_t now_ms);
/* That attempt failed (ICMP unreachable, RST, refused, closed before
 * answering, TLS refused, engine gave up). */
unsigned	fallback_failed(struct fallback *fb, int xp, uint64_t now_ms);
/* That attempt got an ICMP error but goes on (it may be transient or
 * forged): in auto mode the next rung starts at once. */
unsigned	fallback_refused(struct fallback *fb, int xp, uint64_t now_ms);
/* UINT64_MAX: nothing to wait for. */
uint64_t	fallback_deadline(const struct fallback *fb);
unsigned	fallback_expire(struct fallback *fb, uint64_t now_ms);

/* Whether an attempt over |xp| is under way. */
bool		fallback_running(const struct fallback *fb, int xp);
/* The rung that won (enum fb_xport), or -1 before one did. */
int		fallback_winner(const struct fallback *fb);

/* "udp", "tcp", "tls": for logs and the status file. */
const char	*fallback_xport_name(int xp);
const char	*fallback_state_name(int state);

#endif
