/*
 * src/dp_worker.h: the outbound worker thread (ARCHITECTURE.md "Two
 * threads").  Over the UDP transport it owns TUN reading, segmentation
 * (tun/tun_gso.h), MSS clamping, the traffic-selector check, ESP
 * encryption with the outbound SA (whose sequence numbers only it
 * touches while it has them) and the sendmmsg()/UDP_SEGMENT burst.  The
 * loop thread keeps everything else: inbound (the replay window), IKE,
 * timers, the TCP transport.
 *
 * The loop hands it what to do as an immutable snapshot (struct
 * dp_out, copied, descriptors dup()ed) through src/dp_handoff.h: no lock
 * on the packet path.  An SA or a TUN the loop wants to free is freed
 * only after dp_worker_set(.., wait) returned: the worker acknowledged
 * a snapshot without it.  Without an SA or a transport the worker
 * reads and drops (counted): it never writes anything but ESP.
 */
#ifndef IR_SRC_DP_WORKER_H
#define IR_SRC_DP_WORKER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "esp/esp.h"
#include "ike/ike.h"
#include "src/dp_seal.h"
#include "src/xport.h"

/* What the worker is to do; every pointer outlives the snapshot. */
struct dp_out {
	int			 tun_fd;	/* -1: the worker is idle */
	bool			 vnet_hdr;
	uint32_t		 mtu;
	uint16_t		 mss4, mss6;	/* 0: no clamping */
	/* In the order a packet tries them (struct dp_seal). */
	struct dp_sa_ref	 sas[DP_MAX_SA];
	unsigned		 n_sa;
	int			 udp_fd;	/* -1: drop (no transport) */
	bool			 gso;
};

/* Counted by the worker, drained by the loop (dp_worker_drain). */
struct dp_counts {
	struct xport_stats	 x;		/* tx_esp, tx_bytes, drops */
	uint64_t		 drop_no_sa, drop_ts, drop_esp;
	bool			 sent;		/* ESP went out since */
};

struct dp_worker;

/*
 * Start the thread; |wake| is called on the worker thread when an SA's
 * mirror asks for a rekey (uv_async_send() is safe there).  All signals
 * are blocked in it.  IR_ERR_NOMEM or -errno.
 */
int	dp_worker_new(struct dp_worker **out, void (*wake)(void *ud),
	    void *ud);
/* Is |o| what the worker was last given? */
bool	dp_worker_same(const struct dp_worker *w, const struct dp_out *o);
/*
 * Hand |o| over (descriptors dup()ed); with |wait|, return only once
 * the worker moved to it, so that what it no longer names may be freed.
 * IR_ERR_TIMEOUT when the worker did not answer within 5 s (then nothing
 * it held may be freed), or -errno.
 */
int	dp_worker_set(struct dp_worker *w, const struct dp_out *o, bool wait);
/* Add what the worker counted since the last call to |c| (zeroed
 * first) and free the snapshots it left. */
void	dp_worker_drain(struct dp_worker *w, struct dp_counts *c);
/* Stop and join the thread; free everything (NULL is fine). */
void	dp_worker_free(struct dp_worker *w);

#endif
