/*
 * src/udp_tx.c: ESP bursts onto a connected UDP socket (udp_tx.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "src/udp_tx.h"

/* One UDP_SEGMENT send: the whole must fit one IPv4 datagram. */
#define UDP_GSO_BYTES		(65535 - 20 - 8)
#ifndef UDP_SEGMENT
#define UDP_SEGMENT		103
#endif

/*
 * The burst as messages: without GSO one per datagram; with it one per
 * run of equal-size datagrams (the last of a run may be shorter, the
 * kernel's rule), at most UDP_GSO_BYTES in all, with a UDP_SEGMENT
 * cmsg (Linux 4.18; the kernel cuts the run into datagrams, and veth or
 * a NIC with checksum offload carries it whole).  Returns the count.
 */
static unsigned
udp_fill(struct udp_tx *t, struct ir_pkt *pkts, unsigned n)
{
	struct msghdr *mh;
	struct cmsghdr *c;
	unsigned i, j, m = 0;
	size_t tot;
	uint16_t seg;

	for (i = 0; i < n; i++) {
		t->iov[i].iov_base = pkts[i].data;
		t->iov[i].iov_len = pkts[i].len;
	}
	for (i = 0; i < n; i = j, m++) {
		seg = (uint16_t)pkts[i].len;
		tot = seg;
		j = i + 1;
		if (t->gso) {
			for (; j < n && pkts[j].len == seg &&
			    tot + seg <= UDP_GSO_BYTES; j++)
				tot += seg;
			if (j < n && pkts[j].len < seg &&
			    tot + pkts[j].len <= UDP_GSO_BYTES)
				j++;
		}
		memset(&t->msg[m], 0, sizeof(t->msg[m]));
		mh = &t->msg[m].msg_hdr;
		mh->msg_iov = &t->iov[i];
		mh->msg_iovlen = j - i;
		t->cnt[m] = (uint8_t)(j - i);
		if (j - i < 2)
			continue;
		memset(&t->cm[m], 0, sizeof(t->cm[m]));
		mh->msg_control = t->cm[m].buf;
		mh->msg_controllen = sizeof(t->cm[m].buf);
		c = CMSG_FIRSTHDR(mh);
		c->cmsg_level = IPPROTO_UDP;
		c->cmsg_type = UDP_SEGMENT;
		c->cmsg_len = CMSG_LEN(sizeof(seg));
		memcpy(CMSG_DATA(c), &seg, sizeof(seg));
	}
	return m;
}

/* Datagrams in messages [from, to). */
static unsigned
udp_count(const struct udp_tx *t, unsigned from, unsigned to)
{
	unsigned k = 0;

	for (; from < to; from++)
		k += t->cnt[from];
	return k;
}

void
udp_tx_send(struct udp_tx *t, int fd, struct ir_pkt *pkts, unsigned n,
    struct xport_stats *st)
{
	unsigned i, m, done = 0, sent;
	int k, err;

	if (n > XPORT_BATCH_MAX)
		n = XPORT_BATCH_MAX;
	m = udp_fill(t, pkts, n);
	st->tx_esp += n;
	/* Connected socket: no addresses.  sendmmsg() stops at the first
	 * message the kernel refuses and reports how many went. */
	while (done < m) {
		k = sendmmsg(fd, t->msg + done, m - done, 0);
		if (k > 0) {
			for (i = done; i < done + (unsigned)k; i++)
				st->tx_bytes += t->msg[i].msg_len;
			done += (unsigned)k;
			continue;
		}
		err = k < 0 ? errno : EAGAIN;
		if (err == EINTR)
			continue;
		if (t->gso && t->cnt[done] > 1 &&
		    (err == EIO || err == EINVAL)) {
			/* No checksum offload on the uplink (or an old
			 * kernel): GSO off for this socket, the rest again
			 * one datagram per message. */
			t->gso = false;
			t->gso_refused = true;
			sent = udp_count(t, 0, done);
			st->tx_esp -= n - sent;
			udp_tx_send(t, fd, pkts + sent, n - sent, st);
			return;
		}
		if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS) {
			/* The send buffer is full: everything left is
			 * dropped, as a full router queue would. */
			st->drop_tx_full += udp_count(t, done, m);
			return;
		}
		/* A pending ICMP error on the connected socket, reported
		 * once: only that message is lost. */
		st->drop_tx_error += t->cnt[done++];
	}
}
