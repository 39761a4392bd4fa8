/*
 * src/reauth.h: when to reauthenticate (RFC 7296 §2.8.3: a new IKE SA
 * from scratch, built before the old one goes).  Two reasons, the first
 * due wins:
 *   - the local --reauth interval, up to a twentieth earlier;
 *   - the gateway's AUTH_LIFETIME (RFC 4478 §3): it ends the IKE SA
 *     then, so we start a tenth of the lifetime plus 2 s before (at most
 *     half of it), and up to a twentieth earlier again, so that the new
 *     SA is up in time and many clients of one gateway spread out.
 *
 * When the new SA cannot be built (no answer, a busy gateway, a
 * redirect's target unreachable) the old one is still valid: it keeps
 * the traffic and the attempt is made again, with back-off, until the
 * old SA is nearly spent (reauth_retry_until, reauth_retry_at).
 * Pure: the time and the random number come in.
 */
#ifndef IR_SRC_REAUTH_H
#define IR_SRC_REAUTH_H

#include <stdbool.h>
#include <stdint.h>

#define REAUTH_MARGIN_MS	2000	/* on top of a tenth of the lifetime */

#define REAUTH_RETRY_FIRST_MS	5000	/* the first gap after a failure */
#define REAUTH_RETRY_CAP_MS	300000	/* the gap doubles up to this */
#define REAUTH_RETRIES		16	/* tries again at most this often */
#define REAUTH_RETRY_LEAD_MS	2000	/* the last one starts this long
					   before the old SA ends */
#define REAUTH_RETRY_WINDOW_MS	600000	/* an old SA whose end is not
					   known: retries end after this */

/*
 * From |now_ms|: the local interval |local_s| (0: none) and the
 * gateway's |gw_lifetime_s| (0: none told; RFC 4478 has no "0 means
 * now", a 0 is taken as "at once").  |gw_told| says whether the gateway
 * sent one.  |rnd|: any 32 random bits.  UINT64_MAX: never.
 */
uint64_t	reauth_at(uint64_t now_ms, uint32_t local_s, bool gw_told,
		    uint32_t gw_lifetime_s, uint32_t rnd);

/*
 * The old SA was parked at |now_ms|; it ends at |sa_end_ms| (the
 * gateway's AUTH_LIFETIME; 0: not told).  Retries end then, less
 * REAUTH_RETRY_LEAD_MS, or REAUTH_RETRY_WINDOW_MS from now.
 */
uint64_t	reauth_retry_until(uint64_t now_ms, uint64_t sa_end_ms);

/*
 * The |failed|-th attempt (1: the first) failed at |now_ms|: when to try
 * again, at most at |until_ms|; up to a quarter of the gap earlier, from
 * |rnd|, so that the clients of a busy gateway spread out.  UINT64_MAX:
 * give up (REAUTH_RETRIES failed, or |until_ms| has passed).
 */
uint64_t	reauth_retry_at(uint64_t now_ms, unsigned failed,
		    uint64_t until_ms, uint32_t rnd);

#endif
