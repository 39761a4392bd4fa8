/*
 * src/reauth.h: when to reauthenticate (RFC 7296 §2.8.3: a new IKE SA
 * from scratch, built before the old one goes).  Two reasons, the first
 * due wins:
 *   - the local --reauth interval, up to a twentieth earlier;
 *   - the gateway's AUTH_LIFETIME (RFC 4478 §3): it ends the IKE SA
 *     then, so we start a tenth of the lifetime plus 2 s before (at most
 *     half of it), and up to a twentieth earlier again, so that the new
 *     SA is up in time and many clients of one gateway spread out.
 * Pure: the time and the random number come in.
 */
#ifndef IR_SRC_REAUTH_H
#define IR_SRC_REAUTH_H

#include <stdbool.h>
#include <stdint.h>

#define REAUTH_MARGIN_MS	2000	/* on top of a tenth of the lifetime */

/*
 * From |now_ms|: the local interval |local_s| (0: none) and the
 * gateway's |gw_lifetime_s| (0: none told; RFC 4478 has no "0 means
 * now", a 0 is taken as "at once").  |gw_told| says whether the gateway
 * sent one.  |rnd|: any 32 random bits.  UINT64_MAX: never.
 */
uint64_t	reauth_at(uint64_t now_ms, uint32_t local_s, bool gw_told,
		    uint32_t gw_lifetime_s, uint32_t rnd);

#endif
