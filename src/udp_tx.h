/*
 * src/udp_tx.h: a burst of ESP packets onto a connected UDP socket with
 * one sendmmsg(), runs of equal-size datagrams as one message each with
 * UDP_SEGMENT (GSO).  Its own message buffers: the loop's transport
 * (xport_udp.c) and the outbound worker (dp_worker.c) each have one.
 * Plain system calls, no libuv: safe on any thread that owns |t|.
 */
#ifndef IR_SRC_UDP_TX_H
#define IR_SRC_UDP_TX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/ir_pkt.h"
#include "src/xport.h"

struct udp_tx {
	bool		 gso;		/* UDP_SEGMENT: until refused */
	bool		 gso_refused;	/* it was, on this burst */
	struct mmsghdr	 msg[XPORT_BATCH_MAX];
	struct iovec	 iov[XPORT_BATCH_MAX];
	uint8_t		 cnt[XPORT_BATCH_MAX];	/* datagrams per msg */
	union {
		char		 buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr	 align;
	}		 cm[XPORT_BATCH_MAX];
};

/*
 * Send |n| (<= XPORT_BATCH_MAX) ESP packets on |fd|, in order, counted
 * in |st| (tx_esp, tx_bytes, drop_tx_full, drop_tx_error).  What the
 * socket does not take is dropped and counted, like a lost datagram.
 * The kernel refusing GSO turns t->gso off (and sets t->gso_refused)
 * and the rest goes one datagram per message.
 */
void	udp_tx_send(struct udp_tx *t, int fd, struct ir_pkt *pkts, unsigned n,
	    struct xport_stats *st);

#endif
