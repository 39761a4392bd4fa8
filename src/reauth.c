/* src/reauth.c: when to reauthenticate; see reauth.h. */
#include "common/ir_mem.h"
#include "src/reauth.h"

/* Up to a twentieth of |span_ms|, from |rnd|. */
static uint64_t
jitter(uint64_t span_ms, uint32_t rnd)
{
	return rnd % (span_ms / 20 + 1);
}

uint64_t
reauth_at(uint64_t now_ms, uint32_t local_s, bool gw_told,
    uint32_t gw_lifetime_s, uint32_t rnd)
{
	uint64_t at = UINT64_MAX, span, margin;

	if (local_s != 0) {
		span = (uint64_t)local_s * 1000;
		at = now_ms + span - jitter(span, rnd);
	}
	if (gw_told) {
		span = (uint64_t)gw_lifetime_s * 1000;
		margin = IR_MIN(span / 10 + REAUTH_MARGIN_MS, span / 2);
		margin += jitter(span, rnd >> 16 | rnd << 16);
		at = IR_MIN(at, now_ms + (span > margin ? span - margin : 0));
	}
	return at;
}
