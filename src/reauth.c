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

uint64_t
reauth_retry_until(uint64_t now_ms, uint64_t sa_end_ms)
{
	if (sa_end_ms == 0)
		return now_ms + REAUTH_RETRY_WINDOW_MS;
	return sa_end_ms > now_ms + REAUTH_RETRY_LEAD_MS ?
	    sa_end_ms - REAUTH_RETRY_LEAD_MS : now_ms;
}

uint64_t
reauth_retry_at(uint64_t now_ms, unsigned failed, uint64_t until_ms,
    uint32_t rnd)
{
	uint64_t gap = REAUTH_RETRY_FIRST_MS;
	unsigned i;

	if (failed == 0 || failed > REAUTH_RETRIES || now_ms >= until_ms)
		return UINT64_MAX;
	for (i = 1; i < failed && gap < REAUTH_RETRY_CAP_MS; i++)
		gap *= 2;
	gap = IR_MIN(gap, (uint64_t)REAUTH_RETRY_CAP_MS);
	gap -= rnd % (gap / 4 + 1);
	/* The old SA's last moments still get one try. */
	return IR_MIN(now_ms + gap, until_ms);
}
