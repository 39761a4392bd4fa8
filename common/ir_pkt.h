/*
 * common/ir_pkt.h: a packet buffer with headroom and tailroom, so that
 * headers can be pushed in front of a packet and trailers appended to it
 * without copying (openconnect's struct pkt, the Linux sk_buff idea).
 *
 *	head                 data                  data + len      head + cap
 *	 |<--- headroom ----->|<------- len -------->|<-- tailroom -->|
 *
 * src/ owns the memory (a fixed pool); the engines move |data| and |len|
 * inside it and never allocate or free.  ESP wants about 24 + 16 octets
 * of headroom (UDP/TCP framing, SPI, sequence number, IV) and 16 + 2 + 32
 * of tailroom (padding, pad length, next header, ICV): see esp.h.
 *
 * Every helper checks its bounds and fails without moving anything.
 */
#ifndef IR_PKT_H
#define IR_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "common/ir_err.h"

struct ir_pkt {
	uint8_t	*head;		/* start of the buffer */
	uint8_t	*data;		/* first byte of the packet */
	size_t	 len;		/* bytes of packet at |data| */
	size_t	 cap;		/* bytes of buffer at |head| */
};

/* An empty packet in |buf| (|cap| bytes) with |headroom| bytes in front. */
static inline void
ir_pkt_init(struct ir_pkt *pkt, uint8_t *buf, size_t cap, size_t headroom)
{
	if (headroom > cap)
		headroom = cap;
	pkt->head = buf;
	pkt->cap = cap;
	pkt->data = buf + headroom;
	pkt->len = 0;
}

static inline size_t
ir_pkt_headroom(const struct ir_pkt *pkt)
{
	return (size_t)(pkt->data - pkt->head);
}

static inline size_t
ir_pkt_tailroom(const struct ir_pkt *pkt)
{
	return pkt->cap - ir_pkt_headroom(pkt) - pkt->len;
}

/* Grow the packet by |n| bytes in front; |*hdr| is the new start. */
static inline int
ir_pkt_push(struct ir_pkt *pkt, size_t n, uint8_t **hdr)
{
	if (ir_pkt_headroom(pkt) < n)
		return IR_ERR_NOBUF;
	pkt->data -= n;
	pkt->len += n;
	*hdr = pkt->data;
	return 0;
}

/* Drop |n| bytes from the front (a header that has been read). */
static inline int
ir_pkt_pull(struct ir_pkt *pkt, size_t n)
{
	if (pkt->len < n)
		return IR_ERR_MALFORMED;
	pkt->data += n;
	pkt->len -= n;
	return 0;
}

/* Grow the packet by |n| bytes at the end; |*tail| is where they start. */
static inline int
ir_pkt_put(struct ir_pkt *pkt, size_t n, uint8_t **tail)
{
	if (ir_pkt_tailroom(pkt) < n)
		return IR_ERR_NOBUF;
	*tail = pkt->data + pkt->len;
	pkt->len += n;
	return 0;
}

/* Drop |n| bytes from the end (a trailer that has been read). */
static inline int
ir_pkt_trim(struct ir_pkt *pkt, size_t n)
{
	if (pkt->len < n)
		return IR_ERR_MALFORMED;
	pkt->len -= n;
	return 0;
}

#endif
