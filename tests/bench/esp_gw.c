/*
 * tests/bench/esp_gw.c: a minimal IKEv2 responder gateway for the
 * benchmarks, so that ikeroam's data path can be measured against a peer
 * that is not the bottleneck (strongSwan's userspace ESP is).
 *
 *   client --UDP 500/4500 or TCP 4500--> esp_gw --TUN--> routes --> LAN
 *
 * IKE is tests/ike/peer.c (the scripted PSK responder of the engine's
 * tests, linked with PEER_NO_CHECK: a surprise aborts); ESP is esp/; the
 * TUN is tun/.  One thread, one poll() loop, one client at a time:
 *
 *   UDP 500      IKE as it is (RFC 7296 §2)
 *   UDP 4500     non-ESP marker + IKE, ESP, NAT keepalives (RFC 3948 §2)
 *   TCP 4500     "IKETCP", then [len16][0000 IKE] / [len16][ESP] frames
 *                (RFC 9329 §3); a new connection replaces the old (§6.1)
 *   TUN          -> esp_encrypt -> the path the client was last heard on
 *
 * The data path is ikeroam's (src/conn_data.c, ARCHITECTURE.md "The
 * data path"), so that the far side is not the limit: the TUN with
 * IFF_VNET_HDR and offloads (tun/tun_gso.h: super-packets segmented
 * here, received TCP segments coalesced), ESP out over UDP with
 * UDP_SEGMENT (one sendmsg per run of equal-size datagrams), in with
 * UDP_GRO, the TCP stream written in large writes.  IKEROAM_NO_OFFLOAD=1
 * and ESP_GW_NO_UDP_GSO=1 turn them off (one packet per system call).
 * At exit with -v it prints its CPU time (user/sys) and the counters.
 *
 * Test infrastructure, not product: it trusts the peer code's asserts,
 * keeps one session, and drops whatever does not fit.
 *
 * Usage: esp_gw --psk-file F --pool 198.51.100.129 --dns 203.0.113.53
 *               --tun NAME [-v]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <netinet/udp.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "common/ir_pkt.h"
#include "common/wire.h"
#include "crypto/crypto.h"
#include "esp/esp.h"
#include "tests/check_util.h"
#include "tests/ike/peer.h"
#include "tun/tun.h"
#include "tun/tun_gso.h"
#include "src/child_esp.h"

#define GW_HEADROOM	64
#define GW_PKT_CAP	(GW_HEADROOM + 65536 + ESP_TAILROOM)
#define GW_TUN_MTU	1400		/* below every client's inner MTU */
#define GW_BUDGET	64		/* packets per readable event */
#define GW_TXQ_CAP	(256 * 1024)	/* TCP send queue: bounded, drops */
#define GW_ARENA_CAP	(4 * 1024 * 1024)
#define IKE_HDR_LEN	28
#define GW_SLOT		(GW_HEADROOM + GW_TUN_MTU + ESP_TAILROOM + 64)
#define GW_SLOTS	64		/* ESP packets per send burst */
#define GW_GSO_BYTES	(65535 - 20 - 8)	/* one UDP_SEGMENT send */
#ifndef UDP_SEGMENT
#define UDP_SEGMENT	103
#endif
#ifndef UDP_GRO
#define UDP_GRO		104
#endif

enum gw_path { PATH_NONE, PATH_UDP500, PATH_UDP4500, PATH_TCP };

struct gw {
	/* IKE: the scripted responder, in the arena below. */
	struct peer_opts	 po;
	char			 psk[256];
	uint8_t			 cp_ip4[4], cp_dns4[4], cp_subnet4[8];
	struct peer		*peer;
	uint64_t		 spi_i;		/* the session's initiator SPI */
	bool			 answered;	/* last_id has a reply in out[] */
	uint32_t		 last_id;

	/* ESP: the Child SA as the responder sees it (in = i2r). */
	struct esp_sa		*in, *out;
	uint32_t		 spi_in;

	/* Sockets and the path back to the client. */
	int			 u500, u4500, tl, tc;	/* -1: closed */
	enum gw_path		 path;
	struct sockaddr_in	 to;		/* UDP: the client's address */
	struct esp_tcp_rd	 rd;
	size_t			 txq_off, txq_len;
	uint8_t			 txq[GW_TXQ_CAP];

	struct tun_dev		 tun;
	struct tun_nl		 nl;
	bool			 verbose;

	/* Counters, printed at exit with -v. */
	uint64_t		 rx_esp, tx_esp, drop_esp, drop_txq, drop_tun;

	uint8_t			 pkt[GW_PKT_CAP];
	uint8_t			 rbuf[65536];

	/* The offload path (tun.vnet_hdr; udp_gso, udp_gro). */
	bool			 udp_gso, udp_gro;
	uint64_t		 tx_calls, rx_calls;	/* socket syscalls */
	struct tun_gro		 gro;
	uint8_t			 tunbuf[TUN_VNET_HDR_LEN + TUN_GSO_MAX];
	struct ir_pkt		 txp[GW_SLOTS];
	unsigned		 n_out;
	uint8_t			 slots[GW_SLOTS][GW_SLOT];
};

static volatile sig_atomic_t gw_stop;

static void	gw_log(const struct gw *g, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

static void
gw_log(const struct gw *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->verbose)
		return;
	va_start(ap, fmt);
	fputs("esp_gw: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void
gw_die(const char *what, int err)
{
	fprintf(stderr, "esp_gw: %s: %s\n", what, err < 0 && err > -4096 ?
	    strerror(-err) : ir_strerror(err));
	exit(1);
}

/* ---- peer.c's helpers from tests/check_util.h ------------------------ */

/*
 * peer.c allocates its struct and per-message scratch with t_alloc().
 * A bump arena: the peer sits at its start, and the scratch above
 * |arena_mark| is released before every message.
 */
static uint8_t *arena;
static size_t arena_used, arena_mark;

void *
t_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > GW_ARENA_CAP - arena_used)
		abort();
	p = arena + arena_used;
	arena_used += n;
	memset(p, 0, n);
	return p;
}

struct tbuf
t_vec_file(const char *relpath)
{
	(void)relpath;
	abort();			/* PSK only: no certificate files */
}

/* ---- ESP -------------------------------------------------------------- */

static void
gw_random(void *ud, uint8_t *buf, size_t len)
{
	(void)ud;
	if (crypto_random(buf, len) != 0)
		abort();
}

/* The peer's Child SA (new, or rekeyed): a fresh ESP pair. */
static void
gw_child_install(struct gw *g)
{
	const struct ike_child *ch = &g->peer->child;
	struct esp_sa_conf in, out;
	int rv;

	child_esp_confs(ch, gw_random, &in, &out);
	esp_sa_free(g->in);
	esp_sa_free(g->out);
	g->in = g->out = NULL;
	if ((rv = esp_sa_new(&g->in, &in)) != 0 ||
	    (rv = esp_sa_new(&g->out, &out)) != 0)
		gw_die("ESP SA", rv);
	g->spi_in = ch->spi_in;
	gw_log(g, "child SA up: in %08x out %08x", ch->spi_in, ch->spi_out);
}

/* ---- Sending ---------------------------------------------------------- */

/* Flush the TCP queue as far as the socket takes it. */
static void
gw_tcp_flush(struct gw *g)
{
	ssize_t n;

	while (g->txq_len > 0 && g->tc >= 0) {
		n = write(g->tc, g->txq + g->txq_off, g->txq_len);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				g->txq_len = 0;		/* closed below */
			return;
		}
		g->txq_off += (size_t)n;
		g->txq_len -= (size_t)n;
	}
	g->txq_off = 0;
}

/* One RFC 9329 frame into the queue; dropped when it does not fit.
 * The caller flushes (a burst is one write). */
static void
gw_tcp_queue(struct gw *g, enum esp_tcp_kind kind, const uint8_t *p,
    size_t len)
{
	uint8_t hdr[8];
	size_t hl;

	if (g->tc < 0 || esp_tcp_frame_hdr(kind, len, hdr, sizeof(hdr),
	    &hl) != 0)
		return;
	if (g->txq_off + g->txq_len + hl + len > GW_TXQ_CAP) {
		memmove(g->txq, g->txq + g->txq_off, g->txq_len);
		g->txq_off = 0;
		if (g->txq_len + hl + len > GW_TXQ_CAP) {
			g->drop_txq++;
			return;
		}
	}
	memcpy(g->txq + g->txq_off + g->txq_len, hdr, hl);
	memcpy(g->txq + g->txq_off + g->txq_len + hl, p, len);
	g->txq_len += hl + len;
}

static void
gw_tcp_send(struct gw *g, enum esp_tcp_kind kind, const uint8_t *p,
    size_t len)
{
	gw_tcp_queue(g, kind, p, len);
	gw_tcp_flush(g);
}

/*
 * The sealed ESP packets in g->out to the client.  UDP with GSO: each
 * run of equal-size datagrams (the last of a run may be shorter) is one
 * sendmsg() with UDP_SEGMENT; without: one sendmmsg().  TCP: queued,
 * one write.
 */
static void
gw_send_burst(struct gw *g)
{
	struct mmsghdr mm[GW_SLOTS];
	struct iovec iov[GW_SLOTS];
	union {
		char		buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr	align;
	} cm;
	struct msghdr mh;
	struct cmsghdr *c;
	unsigned i, j, n = g->n_out;
	size_t tot;
	uint16_t seg;

	g->n_out = 0;
	if (n == 0)
		return;
	if (g->path == PATH_TCP) {
		for (i = 0; i < n; i++)
			gw_tcp_queue(g, ESP_TCP_ESP, g->txp[i].data,
			    g->txp[i].len);
		gw_tcp_flush(g);
		g->tx_calls++;
		return;
	}
	for (i = 0; i < n; i++) {
		iov[i].iov_base = g->txp[i].data;
		iov[i].iov_len = g->txp[i].len;
	}
	if (!g->udp_gso) {
		memset(mm, 0, sizeof(mm[0]) * n);
		for (i = 0; i < n; i++) {
			mm[i].msg_hdr.msg_name = &g->to;
			mm[i].msg_hdr.msg_namelen = sizeof(g->to);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		(void)sendmmsg(g->u4500, mm, n, 0);
		g->tx_calls++;
		return;
	}
	for (i = 0; i < n; i = j) {
		/* A run: equal sizes, one shorter at most at its end, all
		 * in one IP datagram's worth (UDP length field, IPv4). */
		seg = (uint16_t)iov[i].iov_len;
		tot = seg;
		for (j = i + 1; j < n && iov[j].iov_len == seg &&
		    tot + seg <= GW_GSO_BYTES; j++)
			tot += seg;
		if (j < n && iov[j].iov_len < seg &&
		    tot + iov[j].iov_len <= GW_GSO_BYTES)
			j++;
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &g->to;
		mh.msg_namelen = sizeof(g->to);
		mh.msg_iov = &iov[i];
		mh.msg_iovlen = j - i;
		if (j - i > 1) {
			memset(&cm, 0, sizeof(cm));
			mh.msg_control = cm.buf;
			mh.msg_controllen = sizeof(cm.buf);
			c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = SOL_UDP;
			c->cmsg_type = UDP_SEGMENT;
			c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
			memcpy(CMSG_DATA(c), &seg, sizeof(seg));
		}
		(void)sendmsg(g->u4500, &mh, 0);
		g->tx_calls++;
	}
}

/* The peer's answer (one message, or several fragments) on |path|. */
static void
gw_send_ike(struct gw *g, enum gw_path path, const struct sockaddr_in *to)
{
	uint8_t b[4 + PEER_BUF];
	int i;

	for (i = 0; i < g->peer->nout; i++) {
		const uint8_t *m = g->peer->out[i];
		size_t len = g->peer->out_len[i];

		switch (path) {
		case PATH_UDP500:
			(void)sendto(g->u500, m, len, 0,
			    (const struct sockaddr *)to, sizeof(*to));
			break;
		case PATH_UDP4500:
			memset(b, 0, ESP_UDP_MARKER_LEN);
			memcpy(b + ESP_UDP_MARKER_LEN, m, len);
			(void)sendto(g->u4500, b, ESP_UDP_MARKER_LEN + len, 0,
			    (const struct sockaddr *)to, sizeof(*to));
			break;
		case PATH_TCP:
			gw_tcp_send(g, ESP_TCP_IKE, m, len);
			break;
		case PATH_NONE:
			break;
		}
	}
}

/* ---- IKE -------------------------------------------------------------- */

static void
gw_session_new(struct gw *g, uint64_t spi_i)
{
	if (g->peer != NULL)
		gw_log(g, "new IKE SA %016llx replaces the old one",
		    (unsigned long long)spi_i);
	peer_free(g->peer);
	esp_sa_free(g->in);
	esp_sa_free(g->out);
	g->in = g->out = NULL;
	g->spi_in = 0;
	arena_used = 0;
	g->peer = peer_new(&g->po, g->psk);
	arena_mark = arena_used;
	g->spi_i = spi_i;
	g->answered = false;
}

/*
 * One IKE message from the client.  peer.c answers every request it is
 * given, so a retransmitted request (same message ID) gets the stored
 * answer again instead (RFC 7296 §2.1).
 */
static void
gw_ike(struct gw *g, const uint8_t *m, size_t len, enum gw_path path,
    const struct sockaddr_in *from)
{
	uint64_t spi_i, spi_r;
	uint32_t id;
	uint8_t exch, flags;
	int rv;

	if (len < IKE_HDR_LEN)
		return;
	spi_i = wire_get_u64(m);
	spi_r = wire_get_u64(m + 8);
	exch = m[18];
	flags = m[19];
	id = wire_get_u32(m + 20);
	if (flags & IKE_FLAG_RESPONSE)
		return;			/* we send no requests */
	if (exch == IKE_EXCH_IKE_SA_INIT && spi_r == 0 &&
	    (g->peer == NULL || spi_i != g->spi_i))
		gw_session_new(g, spi_i);
	else if (g->peer == NULL || spi_i != g->spi_i)
		return;			/* not our session */
	if (g->answered && id == g->last_id) {
		gw_send_ike(g, path, from);
		return;
	}
	arena_used = arena_mark;
	if ((rv = peer_input(g->peer, m, len)) != 0) {
		gw_log(g, "IKE message %u dropped: %s", id, ir_strerror(rv));
		return;
	}
	g->answered = true;
	g->last_id = id;
	gw_log(g, "IKE exchange %u, message %u: %d answer(s)", exch, id,
	    g->peer->nout);
	gw_send_ike(g, path, from);
	if (g->peer->child_up && g->peer->child.spi_in != g->spi_in)
		gw_child_install(g);
}

/* ---- Receiving -------------------------------------------------------- */

/* What the coalescer holds, to the TUN as one (super-)packet. */
static void
gw_gro_flush(struct gw *g)
{
	const uint8_t *p;
	size_t n;

	if ((n = tun_gro_finish(&g->gro, &p)) > 0 &&
	    tun_dev_write(&g->tun, p, n) != 0)
		g->drop_tun++;
}

/* One ESP packet at g->pkt: decrypt, remember the path, to the TUN. */
static void
gw_esp_in(struct gw *g, struct ir_pkt *pkt, enum gw_path path,
    const struct sockaddr_in *from)
{
	if (g->in == NULL || esp_decrypt(g->in, pkt) != 0) {
		g->drop_esp++;
		return;
	}
	g->rx_esp++;
	g->path = path;
	if (path == PATH_UDP4500)
		g->to = *from;
	if (!g->tun.vnet_hdr) {
		if (tun_dev_write(&g->tun, pkt->data, pkt->len) != 0)
			g->drop_tun++;
		return;
	}
	if (tun_gro_add(&g->gro, pkt->data, pkt->len) == TUN_GRO_FLUSH) {
		gw_gro_flush(g);
		(void)tun_gro_add(&g->gro, pkt->data, pkt->len);
	}
}

/* One datagram of port |path|: IKE, ESP or a keepalive. */
static void
gw_udp_datagram(struct gw *g, struct ir_pkt *p, enum gw_path path,
    const struct sockaddr_in *from);

static void
gw_udp_readable(struct gw *g, int fd, enum gw_path path)
{
	struct sockaddr_in from;
	struct ir_pkt pkt;
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *c;
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} cm;
	ssize_t n;
	size_t off, seg, len;
	int i, gso;

	for (i = 0; i < GW_BUDGET; i++) {
		iov.iov_base = g->rbuf;
		iov.iov_len = sizeof(g->rbuf);
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		if ((n = recvmsg(fd, &mh, 0)) < 0)
			break;
		g->rx_calls++;
		gso = 0;
		for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO)
				memcpy(&gso, CMSG_DATA(c), sizeof(gso));
		seg = gso > 0 ? (size_t)gso : (size_t)n;
		/* UDP_GRO: equal datagrams back to back, the last shorter. */
		for (off = 0; off < (size_t)n; off += seg) {
			len = (size_t)n - off < seg ? (size_t)n - off : seg;
			ir_pkt_init(&pkt, g->pkt, sizeof(g->pkt), GW_HEADROOM);
			memcpy(pkt.data, g->rbuf + off, len);
			pkt.len = len;
			gw_udp_datagram(g, &pkt, path, &from);
		}
	}
	if (g->tun.vnet_hdr)
		gw_gro_flush(g);
}

static void
gw_udp_datagram(struct gw *g, struct ir_pkt *p, enum gw_path path,
    const struct sockaddr_in *fromp)
{
	struct sockaddr_in from = *fromp;
	struct ir_pkt pkt = *p;
	enum esp_udp_kind kind;

	{
		if (path == PATH_UDP500) {
			gw_ike(g, pkt.data, pkt.len, path, &from);
			return;
		}
		if (esp_udp_classify(pkt.data, pkt.len, &kind) != 0 ||
		    kind == ESP_UDP_KEEPALIVE)
			return;
		if (kind == ESP_UDP_IKE) {
			g->path = PATH_UDP4500;
			g->to = from;
			gw_ike(g, pkt.data + ESP_UDP_MARKER_LEN,
			    pkt.len - ESP_UDP_MARKER_LEN, path, &from);
			return;
		}
		gw_esp_in(g, &pkt, path, &from);
	}
}

static void
gw_tcp_close(struct gw *g, const char *why)
{
	if (g->tc < 0)
		return;
	gw_log(g, "TCP connection closed: %s", why);
	close(g->tc);
	g->tc = -1;
	g->txq_off = g->txq_len = 0;
	if (g->path == PATH_TCP)
		g->path = PATH_NONE;
}

static void
gw_tcp_accept(struct gw *g)
{
	int fd, one = 1;

	fd = accept4(g->tl, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	gw_tcp_close(g, "replaced by a new connection");
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	g->tc = fd;
	esp_tcp_rd_init(&g->rd, true);	/* §3: the initiator sends IKETCP */
	gw_log(g, "TCP connection accepted");
}

/* One frame from the stream: IKE to the peer, ESP copied and decrypted. */
static void
gw_tcp_frame(struct gw *g, const uint8_t *f, size_t len,
    enum esp_tcp_kind kind)
{
	struct ir_pkt pkt;

	if (kind == ESP_TCP_KEEPALIVE)
		return;
	if (kind == ESP_TCP_IKE) {
		g->path = PATH_TCP;
		gw_ike(g, f, len, PATH_TCP, NULL);
		return;
	}
	ir_pkt_init(&pkt, g->pkt, sizeof(g->pkt), GW_HEADROOM);
	if (len > ir_pkt_tailroom(&pkt))
		return;
	memcpy(pkt.data, f, len);
	pkt.len = len;
	gw_esp_in(g, &pkt, PATH_TCP, NULL);
}

static void
gw_tcp_readable(struct gw *g)
{
	const uint8_t *in, *f;
	enum esp_tcp_kind kind;
	size_t n, flen;
	ssize_t r;
	int i;

	for (i = 0; i < GW_BUDGET && g->tc >= 0; i++) {
		r = read(g->tc, g->rbuf, sizeof(g->rbuf));
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (r <= 0) {
			gw_tcp_close(g, r == 0 ? "end of stream" :
			    strerror(errno));
			return;
		}
		in = g->rbuf;
		n = (size_t)r;
		while (n > 0) {
			if (esp_tcp_next(&g->rd, &in, &n, &f, &flen,
			    &kind) != 0) {
				gw_tcp_close(g, "unparsable stream");
				return;
			}
			if (flen > 0)
				gw_tcp_frame(g, f, flen, kind);
		}
		g->rx_calls++;
		if (g->tun.vnet_hdr)
			gw_gro_flush(g);
	}
}

/* Seal one inner packet into the next slot; a full burst goes out. */
static void
gw_seal(struct gw *g, struct ir_pkt *pkt)
{
	if (g->out == NULL || g->path == PATH_NONE ||
	    esp_encrypt(g->out, pkt, 0) != 0) {
		g->drop_esp++;
		return;
	}
	g->tx_esp++;
	g->txp[g->n_out++] = *pkt;
	if (g->n_out == GW_SLOTS)
		gw_send_burst(g);
}

/* TUN -> ESP -> the client, on the path it was last heard on: each
 * read a packet or, with offloads, a super-packet cut to the MTU. */
static void
gw_tun_readable(struct gw *g)
{
	struct tun_gso gs;
	struct ir_pkt pkt;
	size_t len;
	int i;

	for (i = 0; i < GW_BUDGET; i++) {
		if (!g->tun.vnet_hdr) {
			ir_pkt_init(&pkt, g->slots[g->n_out], GW_SLOT,
			    GW_HEADROOM);
			if (tun_dev_read(&g->tun, pkt.data, GW_TUN_MTU,
			    &len) != 0 || len > GW_TUN_MTU)
				break;
			pkt.len = len;
			gw_seal(g, &pkt);
			continue;
		}
		if (tun_dev_read(&g->tun, g->tunbuf, sizeof(g->tunbuf),
		    &len) != 0)
			break;
		if (len > sizeof(g->tunbuf) ||
		    tun_gso_init(&gs, g->tunbuf, len, GW_TUN_MTU) != 0) {
			g->drop_esp++;
			continue;
		}
		for (;;) {
			ir_pkt_init(&pkt, g->slots[g->n_out], GW_SLOT,
			    GW_HEADROOM);
			if (tun_gso_next(&gs, pkt.data, GW_TUN_MTU, &len) != 1)
				break;
			pkt.len = len;
			gw_seal(g, &pkt);
		}
	}
	gw_send_burst(g);
}

/* ---- Set-up and the loop ---------------------------------------------- */

static int
gw_socket(int type, uint16_t port)
{
	struct sockaddr_in a;
	int fd, one = 1, buf = 4 * 1024 * 1024;

	fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		gw_die("socket", -errno);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (type == SOCK_DGRAM) {
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		gw_die("bind", -errno);
	if (type == SOCK_STREAM && listen(fd, 4) != 0)
		gw_die("listen", -errno);
	return fd;
}

/* The TUN, up, with a host route to the pool address through it. */
static void
gw_tun_open(struct gw *g, const char *name)
{
	struct tun_route r;
	int rv;

	tun_dev_init(&g->tun);
	tun_nl_init(&g->nl);
	if ((rv = tun_dev_open(&g->tun, name, tun_dev_offload_flag())) != 0 ||
	    (rv = tun_dev_offload(&g->tun, true)) != 0 ||
	    (rv = tun_dev_set_mtu(&g->tun, GW_TUN_MTU)) != 0 ||
	    (rv = tun_dev_set_up(&g->tun, true)) != 0)
		gw_die("TUN", rv);
	memset(&r, 0, sizeof(r));
	r.dst.ip.family = AF_INET;
	memcpy(r.dst.ip.addr, g->cp_ip4, 4);
	r.dst.len = 32;
	r.ifindex = g->tun.ifindex;
	if ((rv = tun_nl_open(&g->nl)) != 0 ||
	    (rv = tun_route_add(&g->nl, &r)) != 0)
		gw_die("route to the pool address", rv);
}

static void
gw_read_psk(struct gw *g, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL || fgets(g->psk, sizeof(g->psk), f) == NULL)
		gw_die(path, f == NULL ? -errno : IR_ERR_CONFIG);
	fclose(f);
	n = strcspn(g->psk, "\r\n");
	g->psk[n] = '\0';
	if (n == 0)
		gw_die(path, IR_ERR_CONFIG);
}

static void
gw_usage(void)
{
	fputs("usage: esp_gw --psk-file F --pool 198.51.100.129 "
	    "--dns 203.0.113.53 --tun NAME [-v]\n", stderr);
	exit(2);
}

static void
gw_args(struct gw *g, int argc, char **argv, const char **tun)
{
	static const struct option lo[] = {
		{ "psk-file", required_argument, NULL, 'p' },
		{ "pool", required_argument, NULL, 'a' },
		{ "dns", required_argument, NULL, 'd' },
		{ "tun", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	bool psk = false, pool = false, dns = false;
	int c;

	*tun = NULL;
	while ((c = getopt_long(argc, argv, "v", lo, NULL)) != -1) {
		switch (c) {
		case 'p': gw_read_psk(g, optarg); psk = true; break;
		case 'a': pool = inet_pton(AF_INET, optarg, g->cp_ip4) == 1;
			break;
		case 'd': dns = inet_pton(AF_INET, optarg, g->cp_dns4) == 1;
			break;
		case 't': *tun = optarg; break;
		case 'v': g->verbose = true; break;
		default: gw_usage();
		}
	}
	if (!psk || !pool || !dns || *tun == NULL || optind != argc)
		gw_usage();
	/* Split-include: the DNS server's /24, the protected LAN. */
	memcpy(g->cp_subnet4, g->cp_dns4, 3);
	memset(g->cp_subnet4 + 4, 0xff, 3);
	g->po.auth = PEER_AUTH_PSK;
	g->po.cp_ip4 = g->cp_ip4;
	g->po.cp_dns4 = g->cp_dns4;
	g->po.cp_subnet4 = g->cp_subnet4;
}

static void
gw_on_signal(int sig)
{
	(void)sig;
	gw_stop = 1;
}

static void
gw_loop(struct gw *g)
{
	struct pollfd p[5];

	while (!gw_stop) {
		p[0] = (struct pollfd){ g->u500, POLLIN, 0 };
		p[1] = (struct pollfd){ g->u4500, POLLIN, 0 };
		p[2] = (struct pollfd){ g->tl, POLLIN, 0 };
		p[3] = (struct pollfd){ g->tun.fd, POLLIN, 0 };
		p[4] = (struct pollfd){ g->tc, (short)(POLLIN |
		    (g->txq_len ? POLLOUT : 0)), 0 };
		if (poll(p, g->tc >= 0 ? 5 : 4, 1000) < 0) {
			if (errno == EINTR)
				continue;
			gw_die("poll", -errno);
		}
		if (p[0].revents & POLLIN)
			gw_udp_readable(g, g->u500, PATH_UDP500);
		if (p[1].revents & POLLIN)
			gw_udp_readable(g, g->u4500, PATH_UDP4500);
		if (p[2].revents & POLLIN)
			gw_tcp_accept(g);
		if (p[3].revents & POLLIN)
			gw_tun_readable(g);
		if (g->tc >= 0 && (p[4].revents & POLLOUT))
			gw_tcp_flush(g);
		if (g->tc >= 0 && (p[4].revents & (POLLIN | POLLHUP | POLLERR)))
			gw_tcp_readable(g);
	}
}

int
main(int argc, char **argv)
{
	struct gw *g = calloc(1, sizeof(*g));
	const char *tun;
	struct sigaction sa;

	arena = malloc(GW_ARENA_CAP);
	if (g == NULL || arena == NULL)
		gw_die("memory", IR_ERR_NOMEM);
	gw_args(g, argc, argv, &tun);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = gw_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	g->tc = -1;
	gw_tun_open(g, tun);
	g->u500 = gw_socket(SOCK_DGRAM, 500);
	g->u4500 = gw_socket(SOCK_DGRAM, 4500);
	if (tun_dev_offload_flag() != 0) {
		int one = 1;

		g->udp_gro = setsockopt(g->u4500, SOL_UDP, UDP_GRO, &one,
		    sizeof(one)) == 0;
		g->udp_gso = getenv("ESP_GW_NO_UDP_GSO") == NULL;
	}
	gw_log(g, "offloads: TUN %s 0x%x, UDP GSO %s, UDP GRO %s",
	    g->tun.vnet_hdr ? "vnet_hdr" : "none", g->tun.offload,
	    g->udp_gso ? "on" : "off", g->udp_gro ? "on" : "off");
	g->tl = gw_socket(SOCK_STREAM, 4500);
	gw_log(g, "listening on UDP 500, 4500 and TCP 4500, TUN %s",
	    g->tun.name);
	gw_loop(g);
	gw_log(g, "ESP in %llu, out %llu, dropped: ESP %llu, TCP queue %llu, "
	    "TUN %llu", (unsigned long long)g->rx_esp,
	    (unsigned long long)g->tx_esp, (unsigned long long)g->drop_esp,
	    (unsigned long long)g->drop_txq, (unsigned long long)g->drop_tun);
	{
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		gw_log(g, "CPU user %ld.%03ld s, sys %ld.%03ld s; socket "
		    "system calls: %llu sends, %llu receives",
		    (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec / 1000,
		    (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec / 1000,
		    (unsigned long long)g->tx_calls,
		    (unsigned long long)g->rx_calls);
	}
	gw_tcp_close(g, "exit");
	close(g->u500);
	close(g->u4500);
	close(g->tl);
	(void)tun_nl_undo(&g->nl);
	tun_nl_close(&g->nl);
	tun_dev_close(&g->tun);
	esp_sa_free(g->in);
	esp_sa_free(g->out);
	peer_free(g->peer);
	ir_wipe(g->psk, sizeof(g->psk));
	free(arena);
	free(g);
	return 0;
}
