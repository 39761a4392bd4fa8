/*
 * src/xport_udp.c: IKE and ESP over UDP.  One socket, connected to the
 * gateway so that ICMP port/host unreachable reaches us at once (a UDP
 * block shows up in milliseconds instead of a time-out); IKE_SA_INIT
 * goes to port 500, everything after NAT detection to 4500 with the
 * RFC 3948 non-ESP marker in front of IKE, from the same local port.
 *
 * The ESP path costs one system call per burst, not per packet: libuv
 * receives with recvmmsg() (UV_UDP_RECVMMSG: our buffer is cut into
 * 64 KiB slots, one datagram each, and udp_recv() runs once per
 * datagram), and a burst from the TUN goes out with one sendmmsg().
 * With offloads (the default) a burst's runs of equal-size datagrams go
 * out as one message each with UDP_SEGMENT, and the socket receives
 * with UDP_GRO through our own uv_poll_t: each 64 KiB slot may hold many
 * datagrams of the cmsg's size back to back (libuv cannot say it).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "esp/esp.h"
#include "ike/ike.h"
#include "src/log.h"
#include "src/udp_tx.h"
#include "src/xport.h"
#include "tun/tun.h"

/*
 * libuv 1.44 cuts the receive buffer into slots of 64 KiB (its
 * UV__UDP_DGRAM_MAXSIZE: any datagram fits) and takes at most 20 of them
 * per recvmmsg().  The memory is touched only where datagrams land.
 */
#define UDP_RX_SLOT		(64 * 1024)
#define UDP_RX_SLOTS		16
#ifndef UDP_GRO
#define UDP_GRO			104
#endif
#define UDP_GRO_ROUNDS		8	/* recvmmsg() calls per wake-up */
#define UDP_SOCK_BUF		(4 * 1024 * 1024)

struct xport_udp {
	struct xport	 x;		/* first: the public part */
	uv_udp_t	 sock;
	uv_timer_t	 keepalive;
	uint16_t	 natt_port;
	bool		 floated;
	int		 open_handles;
	void		(*done)(struct xport *);
	bool		 gro;		/* UDP_GRO: rx_poll, not libuv */
	bool		 closing;
	uv_poll_t	 rx_poll;
	struct mmsghdr	 rx_msg[UDP_RX_SLOTS];
	struct iovec	 rx_iov[UDP_RX_SLOTS];
	union {
		char		 buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	 align;
	}		 rx_cm[UDP_RX_SLOTS];
	struct udp_tx	 tx;		/* ESP bursts, UDP_SEGMENT */
	uint8_t		 rx[UDP_RX_SLOTS * UDP_RX_SLOT];
};

static struct xport_udp *
udp_of(struct xport *x)
{
	return (struct xport_udp *)x;
}

static void
udp_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct xport_udp *u = h->data;

	(void)suggested;
	buf->base = (char *)u->rx;
	buf->len = sizeof(u->rx);
}

/*
 * A datagram from port 500 is IKE as it is; from 4500 it is classified.
 * |p| starts a slot of |cap| bytes of our buffer.
 */
static void
udp_dispatch(struct xport_udp *u, uint8_t *p, size_t len, size_t cap)
{
	enum esp_udp_kind kind;
	struct ir_pkt pkt;

	if (!u->floated) {
		u->x.stats.rx_ike++;
		u->x.ev.on_ike(u->x.ud, &u->x, p, len);
		return;
	}
	if (esp_udp_classify(p, len, &kind) != 0) {
		u->x.stats.drop_rx_malformed++;
		return;
	}
	switch (kind) {
	case ESP_UDP_KEEPALIVE:
		return;
	case ESP_UDP_IKE:
		u->x.stats.rx_ike++;
		u->x.ev.on_ike(u->x.ud, &u->x, p + ESP_UDP_MARKER_LEN,
		    len - ESP_UDP_MARKER_LEN);
		return;
	case ESP_UDP_ESP:
		u->x.stats.rx_esp++;
		pkt.head = p;
		pkt.cap = cap;
		pkt.data = p;
		pkt.len = len;
		u->x.ev.on_esp(u->x.ud, &u->x, &pkt);
		return;
	}
}

static void
udp_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
    const struct sockaddr *addr, unsigned flags)
{
	struct xport_udp *u = h->data;

	if (nread < 0) {
		/* Connected socket: ICMP unreachable arrives as an error. */
		u->x.ev.on_error(u->x.ud, &u->x, (int)nread);
		return;
	}
	/* nread 0: nothing (EAGAIN), or the end of a recvmmsg() burst
	 * (UV_UDP_MMSG_FREE); the buffer is ours, nothing to free. */
	if (nread == 0 || (flags & UV_UDP_PARTIAL)) {
		if (flags & UV_UDP_PARTIAL)
			u->x.stats.drop_rx_malformed++;
		return;
	}
	(void)addr;	/* connected: only the gateway's port reaches us */
	u->x.stats.rx_bytes += (uint64_t)nread;
	udp_dispatch(u, (uint8_t *)buf->base, (size_t)nread, buf->len);
}

/*
 * UDP_GRO: up to UDP_GRO_ROUNDS recvmmsg() of UDP_RX_SLOTS slots; a slot
 * with a UDP_GRO cmsg holds datagrams of that size back to back, the
 * last maybe shorter.  An error on the connected socket (ICMP
 * unreachable) goes to on_error() as libuv would report it.
 */
static void
udp_gro_readable(uv_poll_t *p, int status, int events)
{
	struct xport_udp *u = p->data;
	struct cmsghdr *c;
	uv_os_fd_t fd;
	size_t off, len, seg, n;
	unsigned r, i;
	int k, gso;

	if (status < 0 || !(events & UV_READABLE) ||
	    uv_fileno((uv_handle_t *)&u->sock, &fd) != 0)
		return;
	for (r = 0; r < UDP_GRO_ROUNDS && !u->closing; r++) {
		for (i = 0; i < UDP_RX_SLOTS; i++) {
			u->rx_iov[i].iov_base = u->rx + i * UDP_RX_SLOT;
			u->rx_iov[i].iov_len = UDP_RX_SLOT;
			memset(&u->rx_msg[i], 0, sizeof(u->rx_msg[i]));
			u->rx_msg[i].msg_hdr.msg_iov = &u->rx_iov[i];
			u->rx_msg[i].msg_hdr.msg_iovlen = 1;
			u->rx_msg[i].msg_hdr.msg_control = u->rx_cm[i].buf;
			u->rx_msg[i].msg_hdr.msg_controllen =
			    sizeof(u->rx_cm[i].buf);
		}
		k = recvmmsg(fd, u->rx_msg, UDP_RX_SLOTS, MSG_DONTWAIT, NULL);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				u->x.ev.on_error(u->x.ud, &u->x, -errno);
			return;
		}
		for (i = 0; i < (unsigned)k && !u->closing; i++) {
			n = u->rx_msg[i].msg_len;
			gso = 0;
			for (c = CMSG_FIRSTHDR(&u->rx_msg[i].msg_hdr); c != NULL;
			    c = CMSG_NXTHDR(&u->rx_msg[i].msg_hdr, c))
				if (c->cmsg_level == IPPROTO_UDP &&
				    c->cmsg_type == UDP_GRO &&
				    c->cmsg_len >= CMSG_LEN(sizeof(int)))
					memcpy(&gso, CMSG_DATA(c), sizeof(gso));
			if (u->rx_msg[i].msg_hdr.msg_flags & MSG_TRUNC) {
				u->x.stats.drop_rx_malformed++;
				continue;
			}
			seg = gso > 0 ? (size_t)gso : n;
			for (off = 0; off < n && !u->closing; off += seg) {
				len = n - off < seg ? n - off : seg;
				u->x.stats.rx_bytes += len;
				udp_dispatch(u, u->rx + i * UDP_RX_SLOT + off, len,
				    len);
			}
		}
		if ((unsigned)k < UDP_RX_SLOTS)
			return;
	}
}

static int
udp_send(struct xport_udp *u, uv_buf_t *bufs, unsigned n)
{
	int rv = uv_udp_try_send(&u->sock, bufs, n, NULL);

	if (rv == UV_EAGAIN || rv == UV_ENOBUFS) {
		u->x.stats.drop_tx_full++;
		return 0;	/* like a lost datagram: retransmit/ICV cope */
	}
	if (rv < 0)
		return rv;
	u->x.stats.tx_bytes += (uint64_t)rv;
	return 0;
}

static int
udp_send_ike(struct xport *x, const uint8_t *msg, size_t len)
{
	static const uint8_t marker[ESP_UDP_MARKER_LEN];
	struct xport_udp *u = udp_of(x);
	uv_buf_t bufs[2];
	unsigned n = 0;

	if (u->floated)
		bufs[n++] = uv_buf_init((char *)marker, sizeof(marker));
	bufs[n++] = uv_buf_init((char *)msg, (unsigned)len);
	x->stats.tx_ike++;
	return udp_send(u, bufs, n);
}

static int
udp_send_esp(struct xport *x, struct ir_pkt *pkts, unsigned n)
{
	struct xport_udp *u = udp_of(x);
	uv_os_fd_t fd;

	if (n > XPORT_BATCH_MAX)
		return IR_ERR_INTERNAL;
	if (uv_fileno((uv_handle_t *)&u->sock, &fd) != 0) {
		x->stats.drop_tx_error += n;
		return 0;
	}
	u->tx.gso_refused = false;
	udp_tx_send(&u->tx, fd, pkts, n, &x->stats);
	if (u->tx.gso_refused)
		log_debug("UDP GSO refused by the kernel: off");
	return 0;
}

int
xport_udp_esp_fd(struct xport *x, bool *gso)
{
	struct xport_udp *u;
	uv_os_fd_t fd;

	*gso = false;
	if (x->tcp)
		return -1;
	u = udp_of(x);
	*gso = u->tx.gso;
	if (u->closing || uv_fileno((uv_handle_t *)&u->sock, &fd) != 0)
		return -1;
	return fd;
}

static void
udp_closed(uv_handle_t *h)
{
	struct xport_udp *u = h->data;

	if (--u->open_handles > 0)
		return;
	if (u->done != NULL)
		u->done(&u->x);
	ir_free(u);
}

static void
udp_close(struct xport *x, void (*done)(struct xport *))
{
	struct xport_udp *u = udp_of(x);

	u->done = done;
	u->closing = true;
	if (u->gro)
		uv_close((uv_handle_t *)&u->rx_poll, udp_closed);
	uv_udp_recv_stop(&u->sock);
	uv_timer_stop(&u->keepalive);
	uv_close((uv_handle_t *)&u->sock, udp_closed);
	uv_close((uv_handle_t *)&u->keepalive, udp_closed);
}

static const struct xport_ops udp_ops = {
	.send_ike = udp_send_ike,
	.send_esp = udp_send_esp,
	.close = udp_close,
};

static void
set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static int
udp_connect(struct xport_udp *u, uint16_t port)
{
	struct sockaddr_storage dst = u->x.gw;
	int len = (int)sizeof(u->x.local), rv;

	set_port(&dst, port);
	if ((rv = uv_udp_connect(&u->sock, (struct sockaddr *)&dst)) != 0)
		return rv;
	return uv_udp_getsockname(&u->sock, (struct sockaddr *)&u->x.local,
	    &len);
}

/* UDP_GRO through our poll where the kernel has it, else libuv's. */
static int
udp_recv_start(struct xport_udp *u, uv_os_fd_t fd)
{
	int one = 1, buf = UDP_SOCK_BUF;

	/* Room for bursts of 64 KiB GSO/GRO messages; the kernel caps it
	 * at net.core.rmem_max / wmem_max (best effort). */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (u->tx.gso && setsockopt(fd, IPPROTO_UDP, UDP_GRO, &one,
	    sizeof(one)) == 0 && uv_poll_init(u->sock.loop, &u->rx_poll,
	    fd) == 0) {
		u->rx_poll.data = u;
		u->gro = true;
		u->open_handles++;
		return uv_poll_start(&u->rx_poll, UV_READABLE,
		    udp_gro_readable);
	}
	return uv_udp_recv_start(&u->sock, udp_alloc, udp_recv);
}

static int
udp_open(struct xport **out, uv_loop_t *loop, const struct sockaddr *gw,
    uint16_t natt_port, const struct xport_bind *bind, bool floated,
    const struct xport_events *ev, void *ud)
{
	struct xport_udp *u;
	size_t alen = gw->sa_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
	uv_os_fd_t fd;
	int rv;

	if ((u = ir_calloc(1, sizeof(*u))) == NULL)
		return IR_ERR_NOMEM;
	u->x.ops = &udp_ops;
	u->x.name = "udp";
	memcpy(&u->x.gw, gw, alen);
	u->x.ev = *ev;
	u->x.ud = ud;
	u->natt_port = natt_port;
	/* The socket is made now, for the gateway's family, so that it can
	 * be pinned to the path before it connects.  UV_UDP_RECVMMSG:
	 * batched receive (libuv >= 1.40). */
	if ((rv = uv_udp_init_ex(loop, &u->sock, (unsigned)gw->sa_family |
	    UV_UDP_RECVMMSG)) != 0) {
		ir_free(u);
		return rv;
	}
	uv_timer_init(loop, &u->keepalive);
	u->sock.data = u;
	u->keepalive.data = u;
	u->open_handles = 2;
	u->floated = floated;
	/* IKEROAM_NO_OFFLOAD / IKEROAM_NO_UDP_GSO: one datagram per
	 * message (the benchmarks' A/B). */
	u->tx.gso = tun_dev_offload_flag() != 0 &&
	    getenv("IKEROAM_NO_UDP_GSO") == NULL;
	if (floated)
		set_port(&u->x.gw, natt_port);
	if ((rv = uv_fileno((uv_handle_t *)&u->sock, &fd)) != 0 ||
	    (rv = xport_bind_fd(fd, bind)) != 0 ||
	    (rv = udp_connect(u, floated ? natt_port : ntohs(gw->sa_family ==
	    AF_INET ? ((const struct sockaddr_in *)gw)->sin_port :
	    ((const struct sockaddr_in6 *)gw)->sin6_port))) != 0 ||
	    (rv = udp_recv_start(u, fd)) != 0) {
		udp_close(&u->x, NULL);
		return rv;
	}
	*out = &u->x;
	return 0;
}

int
xport_udp_new(struct xport **out, uv_loop_t *loop, const struct sockaddr *gw,
    uint16_t natt_port, const struct xport_bind *bind,
    const struct xport_events *ev, void *ud)
{
	return udp_open(out, loop, gw, natt_port, bind, false, ev, ud);
}

int
xport_udp_new_floated(struct xport **out, uv_loop_t *loop,
    const struct sockaddr *gw, uint16_t natt_port,
    const struct xport_bind *bind, const struct xport_events *ev, void *ud)
{
	return udp_open(out, loop, gw, natt_port, bind, true, ev, ud);
}

int
xport_udp_float(struct xport *x)
{
	struct xport_udp *u = udp_of(x);
	struct sockaddr_storage dst = x->gw;
	socklen_t len = sizeof(x->local);
	uv_os_fd_t fd;
	int rv;

	if (u->floated)
		return 0;
	/*
	 * Same socket and local port; only the gateway's port changes
	 * (§2.23).  connect() again rather than libuv's disconnect first:
	 * a UDP disconnect (AF_UNSPEC) makes Linux forget SO_BINDTODEVICE
	 * and an autobound port (__udp_disconnect), and a full tunnel then
	 * routed IKE to a redirect target or another gateway address into
	 * our own TUN.
	 */
	set_port(&dst, u->natt_port);
	if ((rv = uv_fileno((uv_handle_t *)&u->sock, &fd)) != 0)
		return rv;
	if (connect(fd, (struct sockaddr *)&dst, dst.ss_family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) != 0)
		return -errno;
	if (getsockname(fd, (struct sockaddr *)&x->local, &len) != 0)
		return -errno;
	u->floated = true;
	set_port(&x->gw, u->natt_port);
	return 0;
}

static void
udp_keepalive_tick(uv_timer_t *t)
{
	struct xport_udp *u = t->data;
	uint8_t ka[1];
	size_t n;
	uv_buf_t buf;

	if (esp_udp_keepalive(ka, sizeof(ka), &n) != 0)
		return;
	buf = uv_buf_init((char *)ka, (unsigned)n);
	u->x.stats.keepalives++;
	(void)udp_send(u, &buf, 1);
}

void
xport_udp_keepalive(struct xport *x, uint64_t ms)
{
	struct xport_udp *u = udp_of(x);

	if (ms == 0)
		uv_timer_stop(&u->keepalive);
	else
		uv_timer_start(&u->keepalive, udp_keepalive_tick, ms, ms);
}

void
xport_path(const struct xport *x, struct ike_path *path)
{
	const struct sockaddr_storage *l = &x->local, *r = &x->gw;

	memset(path, 0, sizeof(*path));
	path->tcp = x->tcp;
	if (r->ss_family == AF_INET) {
		path->family = 4;
		memcpy(path->local_addr,
		    &((const struct sockaddr_in *)l)->sin_addr, 4);
		memcpy(path->remote_addr,
		    &((const struct sockaddr_in *)r)->sin_addr, 4);
		path->local_port = ntohs(((const struct sockaddr_in *)l)->sin_port);
		path->remote_port = ntohs(((const struct sockaddr_in *)r)->sin_port);
	} else {
		path->family = 6;
		memcpy(path->local_addr,
		    &((const struct sockaddr_in6 *)l)->sin6_addr, 16);
		memcpy(path->remote_addr,
		    &((const struct sockaddr_in6 *)r)->sin6_addr, 16);
		path->local_port = ntohs(((const struct sockaddr_in6 *)l)->sin6_port);
		path->remote_port = ntohs(((const struct sockaddr_in6 *)r)->sin6_port);
	}
}
