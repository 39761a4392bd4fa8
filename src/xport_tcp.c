/*
 * src/xport_tcp.c: IKE and ESP over one TCP connection (RFC 9329).
 *
 * We are always the TCP Originator: connect to the gateway's port 4500,
 * send the six octets "IKETCP" once, then frames of a 16-bit length that
 * counts itself and either the non-ESP marker + an IKE message or an ESP
 * packet.  The gateway's direction has no prefix.
 *
 * Inner TCP over outer TCP: a long outer queue turns inner losses into
 * stalls and latency.  So the socket's unsent data is kept small
 * (TCP_NOTSENT_LOWAT), our own queue is bounded in bytes, and when it is
 * full ESP packets are dropped (the inner flows see loss and back off)
 * while IKE messages are always queued (RFC 9329 §6, DESIGN.md).
 *
 * TLS (RFC 9329 Appendix A, from RFC 8229 §6): the same stream inside a
 * TLS session, usually to port 443 and a TLS-terminating front of the
 * gateway.  crypto/crypto_tls.c does TLS on memory buffers; here the
 * queue |q| holds what goes on the wire (TLS records), plaintext sent
 * before the handshake ends waits in |pre|, and received records are
 * decrypted into |ptx| before the same deframer.  One framing code for
 * both.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_tls.h"
#include "esp/esp.h"
#include "src/log.h"
#include "src/tcp_sniff.h"
#include "src/xport.h"

#ifndef TCP_NOTSENT_LOWAT
#define TCP_NOTSENT_LOWAT	25
#endif

#define TCP_QUEUE_CAP		(256 * 1024)	/* IKE may use all of it */
#define TCP_QUEUE_ESP_MAX	(64 * 1024)	/* ESP beyond this: dropped */
#define TCP_NOTSENT		(16 * 1024)	/* kernel's unsent bytes */
#define TCP_RX_SIZE		(64 * 1024)
#define TLS_PRE_CAP		(32 * 1024)	/* IKE_SA_INIT before TLS is up */

/* TLS only: allocated by xport_tls_new(). */
struct xport_tls_part {
	struct crypto_tls *tls;
	bool		 up;		/* handshake done, certificate checked */
	bool		 heard;		/* the server sent something */
	size_t		 pre_len;
	uint8_t		 pre[TLS_PRE_CAP];	/* prefix + frames, plaintext */
	uint8_t		 ptx[TCP_RX_SIZE];	/* decrypted stream */
};

struct xport_tcp {
	struct xport	 x;		/* first: the public part */
	uv_tcp_t	 sock;
	uv_connect_t	 connect_req;
	uv_write_t	 write_req;
	bool		 connected, writing, failed, closing;
	bool		 framed;	/* a frame came: RFC 9329 spoken */
	size_t		 n_first;
	uint8_t		 first[TCP_SNIFF_LEN];	/* what came before that */
	size_t		 q_len;		/* bytes queued, from q[0] */
	size_t		 q_inflight;	/* q[0..q_inflight) is being written */
	int		 open_handles;
	void		(*done)(struct xport *);
	struct esp_tcp_rd rd;		/* incremental deframer, ~64 KiB */
	struct xport_tls_part *tls;	/* NULL: plain TCP */
	uint8_t		 rx[TCP_RX_SIZE];
	uint8_t		 q[TCP_QUEUE_CAP];
};

static struct xport_tcp *
tcp_of(struct xport *x)
{
	return (struct xport_tcp *)x;
}

static void	tcp_flush(struct xport_tcp *t);

static void
tcp_fail(struct xport_tcp *t, int err)
{
	if (t->failed || t->closing)
		return;
	t->failed = true;
	uv_read_stop((uv_stream_t *)&t->sock);
	t->x.ev.on_error(t->x.ud, &t->x, err);
}

/* A TLS failure: the one line the user sees needs crypto_tls's why. */
static void
tls_fail(struct xport_tcp *t, int err)
{
	snprintf(t->x.detail, sizeof(t->x.detail), "%s",
	    crypto_tls_detail(t->tls->tls));
	tcp_fail(t, err);
}

/* TLS records waiting in the memory BIO move to the wire queue. */
static void
tls_drain(struct xport_tcp *t)
{
	t->q_len += crypto_tls_output(t->tls->tls, t->q + t->q_len,
	    TCP_QUEUE_CAP - t->q_len);
}

static void
tcp_written(uv_write_t *req, int status)
{
	struct xport_tcp *t = req->data;

	t->writing = false;
	if (status < 0) {
		tcp_fail(t, status);
		return;
	}
	/* Compact: what was appended during the write moves to the front. */
	memmove(t->q, t->q + t->q_inflight, t->q_len - t->q_inflight);
	t->q_len -= t->q_inflight;
	t->q_inflight = 0;
	tcp_flush(t);
}

/* Hand the whole queue to libuv; tcp_written() runs when it is out. */
static void
tcp_write_queue(struct xport_tcp *t)
{
	uv_buf_t buf;
	int rv;

	t->q_inflight = t->q_len;
	buf = uv_buf_init((char *)t->q, (unsigned)t->q_inflight);
	t->write_req.data = t;
	if ((rv = uv_write(&t->write_req, (uv_stream_t *)&t->sock, &buf, 1,
	    tcp_written)) != 0) {
		t->q_inflight = 0;
		tcp_fail(t, rv);
		return;
	}
	t->writing = true;
}

static bool
tcp_can_write(const struct xport_tcp *t)
{
	return !t->writing && t->connected && !t->failed && !t->closing;
}

static void
tcp_flush(struct xport_tcp *t)
{
	uv_buf_t buf;
	int rv;

	if (t->tls != NULL)
		tls_drain(t);
	if (t->q_len == 0 || !tcp_can_write(t))
		return;
	/* Try the fast path first; queue a write for what remains. */
	buf = uv_buf_init((char *)t->q, (unsigned)t->q_len);
	rv = uv_try_write((uv_stream_t *)&t->sock, &buf, 1);
	if (rv > 0) {
		t->x.stats.tx_bytes += (uint64_t)rv;
		memmove(t->q, t->q + rv, t->q_len - (size_t)rv);
		t->q_len -= (size_t)rv;
		if (t->q_len == 0)
			return;
	} else if (rv != UV_EAGAIN) {
		tcp_fail(t, rv);
		return;
	}
	tcp_write_queue(t);
}

/*
 * TLS: plaintext waits in |pre| until the handshake is over, then goes
 * through TLS into the memory BIO.  IKE (|limit| is the whole queue) is
 * always taken; ESP only while the records fit under |limit|.
 */
static int
tls_append(struct xport_tcp *t, const uv_buf_t *bufs, unsigned n,
    size_t total, size_t limit)
{
	struct xport_tls_part *p = t->tls;
	unsigned i;
	int rv;

	if (!p->up) {
		if (p->pre_len + total > TLS_PRE_CAP) {
			t->x.stats.drop_tx_full++;
			return IR_ERR_NOBUF;
		}
		for (i = 0; i < n; i++) {
			memcpy(p->pre + p->pre_len, bufs[i].base, bufs[i].len);
			p->pre_len += bufs[i].len;
		}
		return 0;
	}
	if (limit < TCP_QUEUE_CAP && t->q_len + crypto_tls_pending(p->tls) +
	    total + CRYPTO_TLS_OVERHEAD(total) > limit) {
		t->x.stats.drop_tx_full++;
		return IR_ERR_NOBUF;
	}
	for (i = 0; i < n; i++) {
		if ((rv = crypto_tls_write(p->tls, (const uint8_t *)bufs[i].base,
		    bufs[i].len)) != 0) {
			tls_fail(t, rv);
			return rv;
		}
	}
	tls_drain(t);
	return 0;
}

/* Append |n| pieces to the queue, all or nothing, under |limit|. */
static int
tcp_append(struct xport_tcp *t, const uv_buf_t *bufs, unsigned n,
    size_t limit)
{
	size_t total = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		total += bufs[i].len;
	if (t->tls != NULL)
		return tls_append(t, bufs, n, total, limit);
	/* Before connect, keep room for the prefix put in front then. */
	if (!t->connected && limit == TCP_QUEUE_CAP)
		limit -= ESP_TCP_PREFIX_LEN;
	if (t->q_len + total > limit) {
		t->x.stats.drop_tx_full++;
		return IR_ERR_NOBUF;
	}
	for (i = 0; i < n; i++) {
		memcpy(t->q + t->q_len, bufs[i].base, bufs[i].len);
		t->q_len += bufs[i].len;
	}
	return 0;
}

static int
tcp_queue(struct xport_tcp *t, const uv_buf_t *bufs, unsigned n,
    size_t limit)
{
	int rv;

	if ((rv = tcp_append(t, bufs, n, limit)) == 0)
		tcp_flush(t);
	return rv;
}

static int
tcp_send_ike(struct xport *x, const uint8_t *msg, size_t len)
{
	struct xport_tcp *t = tcp_of(x);
	uint8_t hdr[8];
	size_t hlen;
	uv_buf_t bufs[2];
	int rv;

	if (t->failed || t->closing)
		return 0;	/* the owner re-opens and re-sends */
	if ((rv = esp_tcp_frame_hdr(ESP_TCP_IKE, len, hdr, sizeof(hdr),
	    &hlen)) != 0)
		return rv;
	bufs[0] = uv_buf_init((char *)hdr, (unsigned)hlen);
	bufs[1] = uv_buf_init((char *)msg, (unsigned)len);
	x->stats.tx_ike++;
	/* IKE is never dropped for ESP's sake: the whole queue is its. */
	rv = tcp_queue(t, bufs, 2, TCP_QUEUE_CAP);
	return rv == IR_ERR_NOBUF ? 0 : rv;
}

/*
 * Write what the socket takes of frames |bufs| (one writev()) when
 * nothing is queued.  Returns how many frames are dealt with: written,
 * or written in part with the rest queued (a partial frame must be
 * finished, whatever it costs: the stream would be unparsable
 * otherwise).  *|refused|: the socket is full, do not try it again.
 */
static unsigned
tcp_write_direct(struct xport_tcp *t, uv_buf_t *bufs, unsigned n,
    bool *refused)
{
	unsigned i = 0;
	size_t w;
	int rv;

	rv = uv_try_write((uv_stream_t *)&t->sock, bufs, n);
	if (rv < 0 && rv != UV_EAGAIN) {
		tcp_fail(t, rv);
		return n;
	}
	*refused = rv == UV_EAGAIN;
	if (rv <= 0)
		return 0;
	t->x.stats.tx_bytes += (uint64_t)rv;
	for (w = (size_t)rv; i < n && w >= bufs[i].len; i++)
		w -= bufs[i].len;
	if (i == n)
		return n;
	*refused = true;
	if (w > 0) {
		bufs[i].base += w;
		bufs[i].len -= w;
		(void)tcp_append(t, &bufs[i], 1, TCP_QUEUE_CAP);
		i++;
	}
	return i;
}

static int
tcp_send_esp(struct xport *x, struct ir_pkt *pkts, unsigned n)
{
	struct xport_tcp *t = tcp_of(x);
	uv_buf_t bufs[XPORT_BATCH_MAX];
	unsigned i, nb = 0;
	bool refused = false;

	if (n > XPORT_BATCH_MAX)
		return IR_ERR_INTERNAL;
	if (!t->connected || t->failed || t->closing) {
		x->stats.drop_tx_full += n;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (esp_tcp_push_frame(&pkts[i], ESP_TCP_ESP) != 0) {
			x->stats.drop_tx_error++;	/* no headroom: a bug */
			continue;
		}
		bufs[nb++] = uv_buf_init((char *)pkts[i].data,
		    (unsigned)pkts[i].len);
	}
	x->stats.tx_esp += nb;
	/* Nothing queued: the burst goes straight to the socket, no copy. */
	i = 0;
	if (t->q_len == 0 && tcp_can_write(t) && t->tls == NULL)
		i = tcp_write_direct(t, bufs, nb, &refused);
	if (t->failed || i == nb)
		return 0;
	/* The rest waits in the queue; past TCP_QUEUE_ESP_MAX ESP is dropped
	 * (counted in tcp_append) so that inner TCP sees loss. */
	for (; i < nb; i++)
		(void)tcp_append(t, &bufs[i], 1, TCP_QUEUE_ESP_MAX);
	if (refused && tcp_can_write(t) && t->q_len > 0)
		tcp_write_queue(t);	/* the socket said EAGAIN just now */
	else
		tcp_flush(t);
	return 0;
}

static void
tcp_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct xport_tcp *t = h->data;

	(void)suggested;
	buf->base = (char *)t->rx;
	buf->len = sizeof(t->rx);
}

static void
tcp_deliver(struct xport_tcp *t, const uint8_t *frame, size_t len,
    enum esp_tcp_kind kind)
{
	struct ir_pkt pkt;

	if (kind == ESP_TCP_KEEPALIVE) {
		/* RFC 3948 §2.3 keepalive: nothing to deliver. */
		t->x.stats.rx_keepalive++;
		return;
	}
	if (kind == ESP_TCP_IKE) {
		t->x.stats.rx_ike++;
		t->x.ev.on_ike(t->x.ud, &t->x, (uint8_t *)frame, len);
		return;
	}
	t->x.stats.rx_esp++;
	/* The frame lives in our own buffers (rx or the deframer's). */
	pkt.head = (uint8_t *)frame;
	pkt.data = (uint8_t *)frame;
	pkt.len = len;
	pkt.cap = len;
	t->x.ev.on_esp(t->x.ud, &t->x, &pkt);
}

/*
 * Before the first frame: is it RFC 9329 at all?  A web server, a TLS
 * server or SSH on the port is said at once; other data when the stream
 * ends or cannot be parsed (|eof|).  Plain TCP only: a reopened
 * connection may start with ESP, which the deframer takes.  true: failed.
 */
static bool
tcp_not_rfc9329(struct xport_tcp *t, const uint8_t *in, size_t n, int eof)
{
	size_t take = TCP_SNIFF_LEN - t->n_first;
	enum tcp_sniff s;

	if (t->framed || t->tls != NULL)
		return false;
	if (take > n)
		take = n;
	if (take > 0)
		memcpy(t->first + t->n_first, in, take);
	t->n_first += take;
	if (t->n_first == 0)
		return false;
	s = tcp_sniff(t->first, t->n_first, eof);
	if (s == TCP_SNIFF_MORE || s == TCP_SNIFF_RFC9329 ||
	    (s == TCP_SNIFF_OTHER && !eof))
		return false;
	snprintf(t->x.detail, sizeof(t->x.detail), "%s", tcp_sniff_name(s));
	tcp_fail(t, IR_ERR_MALFORMED);
	return true;
}

/* The RFC 9329 stream, from the socket or out of TLS. */
static void
tcp_deframe(struct xport_tcp *t, const uint8_t *in, size_t n)
{
	const uint8_t *frame;
	enum esp_tcp_kind kind;
	size_t len;

	while (n > 0 && !t->failed && !t->closing) {
		if (esp_tcp_next(&t->rd, &in, &n, &frame, &len, &kind) != 0) {
			/* RFC 9329 §3: an unparsable stream is closed. */
			t->x.stats.drop_rx_malformed++;
			if (tcp_not_rfc9329(t, NULL, 0, 1))
				return;
			log_warn("the gateway sent a TCP stream that is not RFC "
			    "9329 framing; closing the connection");
			tcp_fail(t, IR_ERR_MALFORMED);
			return;
		}
		if (len > 0)
			tcp_deliver(t, frame, len, kind);
	}
}

static void	tls_up(struct xport_tcp *t);

/* TLS records in: the handshake, then the stream. */
static void
tls_read(struct xport_tcp *t, const uint8_t *in, size_t n)
{
	struct xport_tls_part *p = t->tls;
	size_t got;
	bool done;
	int rv;

	p->heard = true;
	if ((rv = crypto_tls_input(p->tls, in, n)) != 0) {
		tls_fail(t, rv);
		return;
	}
	if (!p->up) {
		if ((rv = crypto_tls_handshake(p->tls, &done)) != 0) {
			tls_fail(t, rv);
			return;
		}
		tcp_flush(t);
		if (!done)
			return;
		tls_up(t);
	}
	while (!t->failed && !t->closing) {
		if ((rv = crypto_tls_read(p->tls, p->ptx, sizeof(p->ptx),
		    &got)) != 0) {
			/* close_notify is the gateway closing: as FIN. */
			if (rv == IR_ERR_CLOSED)
				tcp_fail(t, UV_EOF);
			else
				tls_fail(t, rv);
			return;
		}
		if (got == 0)
			break;
		tcp_deframe(t, p->ptx, got);
	}
	tcp_flush(t);	/* key updates, tickets: TLS may answer */
}

static void
tcp_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct xport_tcp *t = s->data;

	if (nread < 0) {
		/* Closed before TLS was up: no TLS server there, or a
		 * middlebox cut it at the ClientHello. */
		if (t->tls != NULL && !t->tls->up) {
			snprintf(t->x.detail, sizeof(t->x.detail), "the server "
			    "closed the connection %s", t->tls->heard ?
			    "during the TLS handshake" : "without a TLS answer");
			tcp_fail(t, IR_ERR_TLS_NOT);
			return;
		}
		if (tcp_not_rfc9329(t, NULL, 0, 1))
			return;
		tcp_fail(t, (int)nread);	/* UV_EOF: the gateway closed */
		return;
	}
	t->x.stats.rx_bytes += (size_t)nread;
	if (tcp_not_rfc9329(t, (const uint8_t *)buf->base, (size_t)nread, 0))
		return;
	if (t->tls != NULL)
		tls_read(t, (const uint8_t *)buf->base, (size_t)nread);
	else
		tcp_deframe(t, (const uint8_t *)buf->base, (size_t)nread);
}

static void
tcp_set_options(struct xport_tcp *t)
{
	uv_os_fd_t fd;
	int lowat = TCP_NOTSENT;
	int len = (int)sizeof(t->x.local);

	uv_tcp_nodelay(&t->sock, 1);
	if (uv_fileno((uv_handle_t *)&t->sock, &fd) == 0 &&
	    setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &lowat,
	    sizeof(lowat)) != 0)
		log_debug("TCP_NOTSENT_LOWAT: %s", strerror(errno));
	(void)uv_tcp_getsockname(&t->sock, (struct sockaddr *)&t->x.local,
	    &len);
}

/* The TCP connection is up: send the ClientHello. */
static void
tls_start(struct xport_tcp *t)
{
	bool done;
	int rv;

	if ((rv = crypto_tls_handshake(t->tls->tls, &done)) != 0) {
		tls_fail(t, rv);
		return;
	}
	tcp_flush(t);
}

/*
 * Handshake done and the certificate verified: the prefix, then what
 * was sent meanwhile, go into TLS (RFC 9329 Appendix A: the stream is
 * the same as over TCP).
 */
static void
tls_up(struct xport_tcp *t)
{
	struct xport_tls_part *p = t->tls;
	uv_buf_t bufs[2] = {
		uv_buf_init((char *)ESP_TCP_PREFIX, ESP_TCP_PREFIX_LEN),
		uv_buf_init((char *)p->pre, (unsigned)p->pre_len),
	};

	p->up = true;
	t->x.established = true;
	if (tls_append(t, bufs, 2, ESP_TCP_PREFIX_LEN + p->pre_len,
	    TCP_QUEUE_CAP) != 0)
		return;
	p->pre_len = 0;
	tcp_flush(t);
	if (!t->failed && t->x.ev.on_connected != NULL)
		t->x.ev.on_connected(t->x.ud, &t->x);
}

static void
tcp_connected(uv_connect_t *req, int status)
{
	struct xport_tcp *t = req->data;
	uv_buf_t prefix = uv_buf_init((char *)ESP_TCP_PREFIX,
	    ESP_TCP_PREFIX_LEN);
	int rv;

	if (t->closing)
		return;
	if (status < 0) {
		tcp_fail(t, status);
		return;
	}
	tcp_set_options(t);
	t->connected = true;
	if ((rv = uv_read_start((uv_stream_t *)&t->sock, tcp_alloc,
	    tcp_read)) != 0) {
		tcp_fail(t, rv);
		return;
	}
	if (t->tls != NULL) {
		tls_start(t);
		return;		/* on_connected() once TLS is up */
	}
	t->x.established = true;
	/*
	 * The prefix goes first, ahead of anything queued meanwhile;
	 * tcp_append() kept room for it.
	 */
	memmove(t->q + ESP_TCP_PREFIX_LEN, t->q, t->q_len);
	memcpy(t->q, prefix.base, ESP_TCP_PREFIX_LEN);
	t->q_len += ESP_TCP_PREFIX_LEN;
	tcp_flush(t);
	if (t->x.ev.on_connected != NULL)
		t->x.ev.on_connected(t->x.ud, &t->x);
}

static void
tcp_free_xport(struct xport_tcp *t)
{
	if (t->tls != NULL) {
		crypto_tls_free(t->tls->tls);
		ir_free(t->tls);
	}
	ir_free(t);
}

static void
tcp_closed(uv_handle_t *h)
{
	struct xport_tcp *t = h->data;

	if (t->done != NULL)
		t->done(&t->x);
	tcp_free_xport(t);
}

static void
tcp_close(struct xport *x, void (*done)(struct xport *))
{
	struct xport_tcp *t = tcp_of(x);

	t->done = done;
	t->closing = true;
	uv_read_stop((uv_stream_t *)&t->sock);
	uv_close((uv_handle_t *)&t->sock, tcp_closed);
}

static const struct xport_ops tcp_ops = {
	.send_ike = tcp_send_ike,
	.send_esp = tcp_send_esp,
	.close = tcp_close,
};

static struct xport_tcp *
tcp_alloc_xport(const struct sockaddr *gw, const struct xport_events *ev,
    void *ud)
{
	struct xport_tcp *t;
	size_t alen = gw->sa_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);

	if ((t = ir_calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->x.ops = &tcp_ops;
	t->x.name = "tcp";
	t->x.tcp = true;
	memcpy(&t->x.gw, gw, alen);
	t->x.ev = *ev;
	t->x.ud = ud;
	esp_tcp_rd_init(&t->rd, false);
	return t;
}

static int
tcp_open(struct xport_tcp *t, struct xport **out, uv_loop_t *loop,
    const struct sockaddr *gw, const struct xport_bind *bind)
{
	uv_os_fd_t fd;
	int rv;

	/* The socket is made now so that it can be pinned to the path. */
	if ((rv = uv_tcp_init_ex(loop, &t->sock, gw->sa_family)) != 0) {
		tcp_free_xport(t);
		return rv;
	}
	t->sock.data = t;
	t->connect_req.data = t;
	if ((rv = uv_fileno((uv_handle_t *)&t->sock, &fd)) != 0 ||
	    (rv = xport_bind_fd(fd, bind)) != 0 ||
	    (rv = uv_tcp_connect(&t->connect_req, &t->sock, gw,
	    tcp_connected)) != 0) {
		tcp_close(&t->x, NULL);
		return rv;
	}
	*out = &t->x;
	return 0;
}

int
xport_tcp_new(struct xport **out, uv_loop_t *loop, const struct sockaddr *gw,
    const struct xport_bind *bind, const struct xport_events *ev, void *ud)
{
	struct xport_tcp *t;

	if ((t = tcp_alloc_xport(gw, ev, ud)) == NULL)
		return IR_ERR_NOMEM;
	return tcp_open(t, out, loop, gw, bind);
}

int
xport_tls_new(struct xport **out, uv_loop_t *loop, const struct sockaddr *gw,
    const struct xport_bind *bind, const char *server_name,
    const uint8_t *ca_pem, size_t ca_len, const struct xport_events *ev,
    void *ud)
{
	struct xport_tcp *t;
	int rv;

	if ((t = tcp_alloc_xport(gw, ev, ud)) == NULL ||
	    (t->tls = ir_calloc(1, sizeof(*t->tls))) == NULL) {
		ir_free(t);
		return IR_ERR_NOMEM;
	}
	t->x.name = "tls";
	if ((rv = crypto_tls_new_pem(&t->tls->tls, server_name, ca_pem,
	    ca_len)) != 0) {
		snprintf(t->x.detail, sizeof(t->x.detail), "%s",
		    crypto_tls_detail(t->tls->tls));
		log_debug("TLS: %s", t->x.detail);
		tcp_free_xport(t);
		return rv;
	}
	return tcp_open(t, out, loop, gw, bind);
}
