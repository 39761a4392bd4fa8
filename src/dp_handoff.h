/*
 * src/dp_handoff.h: hands immutable snapshots from one producer thread
 * (the libuv loop) to one consumer thread (src/dp_worker.c) without a
 * lock: an atomic pointer to the newest snapshot and the generation the
 * consumer last moved to.  A snapshot the producer replaced is retired
 * and freed only once the consumer acknowledged a newer one, so that
 * whatever it points to (an outbound ESP SA, descriptors) outlives its
 * last use.  Pure: no I/O, no clock; tests/src/check_dp_handoff.c drives
 * it with a fake worker and with a real thread.
 *
 *   producer: dp_handoff_publish() -> wake the consumer (the caller's
 *             eventfd) -> dp_handoff_acked() / dp_handoff_reclaim()
 *   consumer: between bursts, dp_handoff_take(); it must hold nothing
 *             from the previous snapshot after the call.
 */
#ifndef IR_SRC_DP_HANDOFF_H
#define IR_SRC_DP_HANDOFF_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define DP_HANDOFF_RETIRED	8	/* retired, not yet acknowledged */

/* First member of every snapshot. */
struct dp_snap_hdr {
	uint64_t	gen;		/* set by dp_handoff_publish() */
};

struct dp_handoff {
	_Atomic(struct dp_snap_hdr *) cur;	/* newest published */
	_Atomic uint64_t	 ack;		/* consumer: gen it runs on */
	/* the producer's own */
	uint64_t		 gen;		/* of cur */
	struct dp_snap_hdr	*retired[DP_HANDOFF_RETIRED];
	unsigned		 n_retired;
	void			(*free_snap)(void *ud, struct dp_snap_hdr *s);
	void			*ud;
};

void	dp_handoff_init(struct dp_handoff *h,
	    void (*free_snap)(void *ud, struct dp_snap_hdr *s), void *ud);

/*
 * Producer: make |s| (not NULL) the newest; the one it replaces is
 * retired.  Returns the new generation, or 0 (nothing
 * done) when DP_HANDOFF_RETIRED snapshots wait for the consumer: wait
 * for dp_handoff_acked(h, dp_handoff_gen(h)), reclaim, and try again.
 */
uint64_t dp_handoff_publish(struct dp_handoff *h, struct dp_snap_hdr *s);
/* Producer: the generation of the newest snapshot. */
uint64_t dp_handoff_gen(const struct dp_handoff *h);
/* Producer: the consumer moved to generation |gen| or later. */
bool	dp_handoff_acked(struct dp_handoff *h, uint64_t gen);
/* Producer: free the retired snapshots the consumer left; how many
 * are still waiting. */
unsigned dp_handoff_reclaim(struct dp_handoff *h);
/* Producer: the newest snapshot (still owned by the handoff). */
struct dp_snap_hdr *dp_handoff_cur(struct dp_handoff *h);
/* Producer, once the consumer is gone (joined): free everything. */
void	dp_handoff_clear(struct dp_handoff *h);

/*
 * Consumer: the newest snapshot; when it is not |mine|, the consumer is
 * recorded as having moved to it (|*moved| true).
 */
struct dp_snap_hdr *dp_handoff_take(struct dp_handoff *h,
	    struct dp_snap_hdr *mine, bool *moved);

#endif
