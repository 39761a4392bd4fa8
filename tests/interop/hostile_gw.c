/*
 * tests/interop/hostile_gw.c: a gateway that turns hostile once the
 * tunnel is up (issue 8 item 7).  IKE is tests/ike/peer.c (the engine
 * tests' scripted PSK responder), ESP is esp/; it answers ICMP echo
 * requests that arrive through the tunnel itself, so no TUN is needed.
 *
 * After the client's first ESP packet it runs its cases one at a time,
 * each an authenticated request the client must answer as RFC 7296 says
 * (or must not answer), or unauthenticated junk it must drop:
 *
 *   <--  HDR, SK { ?(critical, type 200) }    HDR, SK { N(UNSUPP_CRIT) } -->
 *   <--  HDR, SK { bad chain }                HDR, SK { N(INVALID_SYNTAX) } -->
 *   <--  HDR(id + 7), SK { }                  (nothing: outside the window)
 *   <--  ...
 *
 * Each case prints PASS or FAIL; then the tunnel must still carry
 * pings.  The last line is "hostile_gw: N passed, N failed"; it keeps
 * serving the tunnel until SIGTERM.  Exit status 0 when all passed.
 *
 * Usage: hostile_gw --psk-file F --pool 198.51.100.129
 *                   --dns 203.0.113.53 [-v]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "common/ir_pkt.h"
#include "common/wire.h"
#include "crypto/crypto.h"
#include "esp/esp.h"
#include "src/child_esp.h"
#include "tests/check_util.h"
#include "tests/ike/peer.h"
#include "tun/tun_csum.h"

#define HG_HEADROOM	64
#define HG_PKT_CAP	(HG_HEADROOM + 65536 + ESP_TAILROOM)
#define HG_ARENA_CAP	(4 * 1024 * 1024)
#define HG_BUDGET	64
#define IKE_HDR_LEN	28
#define ANSWER_MS	3000	/* an answer is late after this */
#define QUIET_MS	1500	/* no answer expected: listen this long */
#define FLOOD_N		300	/* one-at-a-time INFORMATIONALs */
#define BURST_N		20	/* back-to-back INFORMATIONALs */
#define CP_ATTRS	1000	/* attributes in the huge CP */

enum expect {
	EXP_NOTIFY,		/* one answer carrying error Notify |notify| */
	EXP_EMPTY,		/* one answer without an error Notify */
	EXP_ANY,		/* one answer, whatever it says */
	EXP_NONE,		/* no answer */
	EXP_SAME,		/* the same octets as the first case's answer */
	EXP_ALL,		/* |count| answers, IDs in order */
	EXP_RECREATE,		/* an answer, then a new Child SA */
	EXP_TRAFFIC,		/* echo requests still arrive */
};

struct hg;

struct hg_case {
	const char	*what;
	void		(*send)(struct hg *);
	enum expect	 expect;
	uint16_t	 notify;
	int		 count;
};

struct hg {
	struct peer_opts	 po;
	char			 psk[256];
	uint8_t			 cp_ip4[4], cp_dns4[4], cp_subnet4[8];
	struct peer		*peer;
	uint64_t		 spi_i;
	bool			 answered;
	uint32_t		 last_id;

	struct esp_sa		*in, *out;
	uint32_t		 spi_in;

	int			 u500, u4500;
	struct sockaddr_in	 to;		/* the client's UDP 4500 */
	bool			 to_set;
	bool			 ike_on_4500;
	struct sockaddr_in	 ike_to;
	bool			 verbose;

	/* The cases. */
	int			 ncase, pass, fail;
	bool			 running, done;
	uint64_t		 t_case, t_first_esp;
	uint32_t		 want_id;	/* first ID a case waits for */
	int			 nanswers;	/* answers to this case */
	uint32_t		 ans_id;	/* last answer's ID */
	bool			 ans_in_order;
	uint16_t		 ans_notify;	/* first error Notify, or 0 */
	uint8_t			 ans_data0;
	int			 flood_sent;
	uint32_t		 child_before;
	uint64_t		 echoes, echoes_at_case;
	uint8_t			 first_req[PEER_BUF], first_ans[PEER_BUF];
	size_t			 first_req_len, first_ans_len;
	uint8_t			 ans_raw[PEER_BUF];
	size_t			 ans_raw_len;
	uint64_t		 rx_esp, drop_esp;

	uint8_t			 pkt[HG_PKT_CAP];
	uint8_t			 chain[16384];
};

static volatile sig_atomic_t hg_stop;
static uint8_t *arena;
static size_t arena_used, arena_mark;

/* ---- peer.c's helpers from tests/check_util.h ------------------------ */

void *
t_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > HG_ARENA_CAP - arena_used)
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
	abort();			/* PSK only */
}

/* ---- Small things ---------------------------------------------------- */

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void	hg_log(const struct hg *g, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

static void
hg_log(const struct hg *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->verbose)
		return;
	va_start(ap, fmt);
	fputs("hostile_gw: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void
hg_die(const char *what, int err)
{
	fprintf(stderr, "hostile_gw: %s: %s\n", what, err < 0 && err > -4096 ?
	    strerror(-err) : ir_strerror(err));
	exit(2);
}

static void
hg_random(void *ud, uint8_t *buf, size_t len)
{
	(void)ud;
	if (crypto_random(buf, len) != 0)
		abort();
}

/* ---- Sending --------------------------------------------------------- */

static void
hg_send_raw_ike(struct hg *g, const uint8_t *m, size_t len)
{
	uint8_t b[4 + PEER_BUF];

	if (len > PEER_BUF)
		return;
	if (g->ike_on_4500) {
		memset(b, 0, ESP_UDP_MARKER_LEN);
		memcpy(b + ESP_UDP_MARKER_LEN, m, len);
		(void)sendto(g->u4500, b, ESP_UDP_MARKER_LEN + len, 0,
		    (const struct sockaddr *)&g->ike_to, sizeof(g->ike_to));
	} else
		(void)sendto(g->u500, m, len, 0,
		    (const struct sockaddr *)&g->ike_to, sizeof(g->ike_to));
}

/* What the peer produced (answers, or its own request) to the client. */
static void
hg_send_out(struct hg *g)
{
	int i;

	for (i = 0; i < g->peer->nout; i++)
		hg_send_raw_ike(g, g->peer->out[i], g->peer->out_len[i]);
}

static void
hg_child_install(struct hg *g)
{
	const struct ike_child *ch = &g->peer->child;
	struct esp_sa_conf in, out;
	int rv;

	child_esp_confs(ch, hg_random, &in, &out);
	esp_sa_free(g->in);
	esp_sa_free(g->out);
	g->in = g->out = NULL;
	if ((rv = esp_sa_new(&g->in, &in)) != 0 ||
	    (rv = esp_sa_new(&g->out, &out)) != 0)
		hg_die("ESP SA", rv);
	g->spi_in = ch->spi_in;
	hg_log(g, "child SA up: in %08x out %08x", ch->spi_in, ch->spi_out);
}

/* ---- IKE from the client --------------------------------------------- */

static void
hg_session_new(struct hg *g, uint64_t spi_i)
{
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

/* An answer to one of our requests: note what it says. */
static void
hg_answer(struct hg *g, const uint8_t *m, size_t len, uint32_t id)
{
	const struct ike_msg *im = &g->peer->m;
	size_t i;
	int rv;

	arena_used = arena_mark;
	rv = peer_input(g->peer, m, len);
	if (rv != 0 && rv != IR_ERR_UNSUPPORTED) {
		hg_log(g, "answer %u unreadable: %s", id, ir_strerror(rv));
		return;
	}
	if (g->nanswers > 0 && id != g->ans_id + 1)
		g->ans_in_order = false;
	if (g->nanswers == 0 && id != g->want_id)
		g->ans_in_order = false;
	g->nanswers++;
	g->ans_id = id;
	g->ans_notify = 0;
	for (i = 0; i < im->nnotify; i++)
		if (ike_notify_is_error(im->notify[i].type)) {
			g->ans_notify = im->notify[i].type;
			g->ans_data0 = im->notify[i].data.len > 0 ?
			    im->notify[i].data.p[0] : 0;
			break;
		}
	if (len <= sizeof(g->ans_raw)) {
		memcpy(g->ans_raw, m, len);
		g->ans_raw_len = len;
	}
	hg_log(g, "answer %u: %d notify(s), first error %u", id,
	    (int)im->nnotify, g->ans_notify);
}

static void
hg_ike(struct hg *g, const uint8_t *m, size_t len, bool on_4500,
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
	if (exch == IKE_EXCH_IKE_SA_INIT && spi_r == 0 &&
	    !(flags & IKE_FLAG_RESPONSE) &&
	    (g->peer == NULL || spi_i != g->spi_i))
		hg_session_new(g, spi_i);
	else if (g->peer == NULL || spi_i != g->spi_i)
		return;
	g->ike_on_4500 = on_4500;
	g->ike_to = *from;
	if (flags & IKE_FLAG_RESPONSE) {
		hg_answer(g, m, len, id);
		if (g->peer->child_up && g->peer->child.spi_in != g->spi_in)
			hg_child_install(g);
		return;
	}
	if (g->answered && id == g->last_id) {
		hg_send_out(g);		/* RFC 7296 §2.1 */
		return;
	}
	arena_used = arena_mark;
	if ((rv = peer_input(g->peer, m, len)) != 0) {
		hg_log(g, "request %u dropped: %s", id, ir_strerror(rv));
		return;
	}
	g->answered = true;
	g->last_id = id;
	hg_send_out(g);
	if (g->peer->child_up && g->peer->child.spi_in != g->spi_in)
		hg_child_install(g);
}

/* ---- ESP: echo requests answered from inside the tunnel --------------- */

/* An IPv4 ICMP echo request becomes its reply, in place. */
static bool
hg_echo_reply(uint8_t *p, size_t len)
{
	uint8_t a[4];
	size_t ihl;
	uint16_t c;

	if (len < 20 || (p[0] >> 4) != 4)
		return false;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < 20 || len < ihl + 8 || p[9] != 1 || p[ihl] != 8)
		return false;
	memcpy(a, p + 12, 4);
	memcpy(p + 12, p + 16, 4);
	memcpy(p + 16, a, 4);
	p[ihl] = 0;
	/* RFC 1624: the type went from 8 to 0. */
	c = (uint16_t)((p[ihl + 2] << 8) | p[ihl + 3]);
	c = tun_csum_update(c, 0x0800, 0x0000);
	p[ihl + 2] = (uint8_t)(c >> 8);
	p[ihl + 3] = (uint8_t)c;
	return true;
}

static void
hg_esp_in(struct hg *g, struct ir_pkt *pkt, const struct sockaddr_in *from)
{
	if (g->in == NULL || esp_decrypt(g->in, pkt) != 0) {
		g->drop_esp++;
		return;
	}
	g->rx_esp++;
	g->to = *from;
	if (!g->to_set) {
		g->to_set = true;
		g->t_first_esp = now_ms();
	}
	if (!hg_echo_reply(pkt->data, pkt->len) || g->out == NULL ||
	    esp_encrypt(g->out, pkt, 0) != 0)
		return;
	g->echoes++;
	(void)sendto(g->u4500, pkt->data, pkt->len, 0,
	    (const struct sockaddr *)&g->to, sizeof(g->to));
}

static void
hg_udp_readable(struct hg *g, int fd, bool is_4500)
{
	struct sockaddr_in from;
	socklen_t flen;
	struct ir_pkt pkt;
	enum esp_udp_kind kind;
	ssize_t n;
	int i;

	for (i = 0; i < HG_BUDGET; i++) {
		ir_pkt_init(&pkt, g->pkt, sizeof(g->pkt), HG_HEADROOM);
		flen = sizeof(from);
		n = recvfrom(fd, pkt.data, ir_pkt_tailroom(&pkt), 0,
		    (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		pkt.len = (size_t)n;
		if (!is_4500) {
			hg_ike(g, pkt.data, pkt.len, false, &from);
			continue;
		}
		if (esp_udp_classify(pkt.data, pkt.len, &kind) != 0 ||
		    kind == ESP_UDP_KEEPALIVE)
			continue;
		if (kind == ESP_UDP_IKE) {
			hg_ike(g, pkt.data + ESP_UDP_MARKER_LEN,
			    pkt.len - ESP_UDP_MARKER_LEN, true, &from);
			continue;
		}
		hg_esp_in(g, &pkt, &from);
	}
}

/* ---- The cases --------------------------------------------------------- */

/* A sealed request with the inner chain |chain| (first payload |first|),
 * in the peer's out[0], not sent. */
static void
req_build(struct hg *g, uint8_t exch, uint8_t first, const uint8_t *chain,
    size_t len)
{
	arena_used = arena_mark;
	g->want_id = g->peer->next_req;
	if (peer_request_raw(g->peer, exch, first, chain, len) != 0)
		hg_die("peer_request_raw", IR_ERR_INTERNAL);
}

static void
req_raw(struct hg *g, uint8_t exch, uint8_t first, const uint8_t *chain,
    size_t len)
{
	req_build(g, exch, first, chain, len);
	hg_send_out(g);
}

static void
send_unknown_critical(struct hg *g)
{
	static const uint8_t c[] = { 0, 0x80, 0, 8, 1, 2, 3, 4 };

	req_raw(g, IKE_EXCH_INFORMATIONAL, 200, c, sizeof(c));
	memcpy(g->first_req, g->peer->out[0], g->peer->out_len[0]);
	g->first_req_len = g->peer->out_len[0];
}

static void
send_retransmit(struct hg *g)
{
	g->want_id = wire_get_u32(g->first_req + 20);
	hg_send_raw_ike(g, g->first_req, g->first_req_len);
}

static void
send_overrun_notify(struct hg *g)
{
	static const uint8_t c[] = { 0, 0, 0x01, 0, 0, 0, 0, 40 };

	req_raw(g, IKE_EXCH_INFORMATIONAL, IKE_PLD_NOTIFY, c, sizeof(c));
}

static void
send_nonce_in_info(struct hg *g)
{
	uint8_t c[20] = { 0, 0, 0, 20 };

	req_raw(g, IKE_EXCH_INFORMATIONAL, IKE_PLD_NONCE, c, sizeof(c));
}

static void
send_short_delete(struct hg *g)
{
	static const uint8_t c[] = { 0, 0, 0, 11, IKE_PROTO_ESP, 4, 0, 1,
	    1, 2, 3 };

	req_raw(g, IKE_EXCH_INFORMATIONAL, IKE_PLD_DELETE, c, sizeof(c));
}

static void
send_unknown_exchange(struct hg *g)
{
	req_raw(g, 99, IKE_PLD_NONE, NULL, 0);
}

static void
send_late_ike_auth(struct hg *g)
{
	req_raw(g, IKE_EXCH_IKE_AUTH, IKE_PLD_NONE, NULL, 0);
}

static void
send_forged_icv(struct hg *g)
{
	static const uint8_t c[] = { 0, 0x80, 0, 8, 1, 2, 3, 4 };

	req_build(g, IKE_EXCH_INFORMATIONAL, 200, c, sizeof(c));
	/* One octet of the ICV changed; its ID goes back to the peer: the
	 * next case's genuine request takes it (§2.21). */
	g->peer->out[0][g->peer->out_len[0] - 1] ^= 0x01;
	hg_send_out(g);
	g->peer->next_req--;
}

static void
send_outside_window(struct hg *g)
{
	uint32_t next = g->peer->next_req;

	g->peer->next_req = next + 7;
	req_raw(g, IKE_EXCH_INFORMATIONAL, IKE_PLD_NONE, NULL, 0);
	g->peer->next_req = next;
}

/* Unknown status Notify 40000 and an unknown non-critical payload. */
static void
send_unknown_status(struct hg *g)
{
	static const uint8_t c[] = { 0, 0, 0, 8, 0, 0, 0x9c, 0x40 };

	req_raw(g, IKE_EXCH_INFORMATIONAL, IKE_PLD_NOTIFY, c, sizeof(c));
}

static void
send_unknown_noncritical(struct hg *g)
{
	static const uint8_t c[] = { 0, 0, 0, 12, 9, 9, 9, 9, 9, 9, 9, 9 };

	req_raw(g, IKE_EXCH_INFORMATIONAL, 201, c, sizeof(c));
}

static void
send_delete_unknown(struct hg *g)
{
	static const uint8_t c[] = { 0, 0, 0, 20, IKE_PROTO_ESP, 4, 0, 3,
	    0xde, 0xad, 0, 1, 0xde, 0xad, 0, 2, 0xde, 0xad, 0, 3 };

	req_raw(g, IKE_EXCH_INFORMATIONAL, IKE_PLD_DELETE, c, sizeof(c));
}

/* CP(CFG_REPLY) with CP_ATTRS INTERNAL_IP4_DNS attributes (8 KB). */
static void
send_huge_cp(struct hg *g)
{
	size_t len = 8 + (size_t)CP_ATTRS * 8, i;
	uint8_t *c = g->chain;

	memset(c, 0, len);
	c[2] = (uint8_t)(len >> 8);
	c[3] = (uint8_t)len;
	c[4] = 2;				/* CFG_REPLY */
	for (i = 0; i < CP_ATTRS; i++) {
		uint8_t *a = c + 8 + i * 8;

		a[1] = 3;			/* INTERNAL_IP4_DNS */
		a[3] = 4;
		a[4] = 203, a[5] = 0, a[6] = 113, a[7] = (uint8_t)i;
	}
	req_raw(g, IKE_EXCH_INFORMATIONAL, IKE_PLD_CP, c, len);
}

/* A CP attribute whose length runs 65535 octets past the payload. */
static void
send_overrun_cp(struct hg *g)
{
	static const uint8_t c[] = { 0, 0, 0, 16, 2, 0, 0, 0,
	    0, 3, 0xff, 0xff, 203, 0, 113, 53 };

	req_raw(g, IKE_EXCH_INFORMATIONAL, IKE_PLD_CP, c, sizeof(c));
}

static void
send_burst(struct hg *g)
{
	int i;

	g->want_id = g->peer->next_req;
	for (i = 0; i < BURST_N; i++) {
		arena_used = arena_mark;
		if (peer_request_raw(g->peer, IKE_EXCH_INFORMATIONAL,
		    IKE_PLD_NONE, NULL, 0) != 0)
			hg_die("peer_request_raw", IR_ERR_INTERNAL);
		hg_send_out(g);
	}
}

static void
send_flood_next(struct hg *g)
{
	arena_used = arena_mark;
	if (g->flood_sent == 0)
		g->want_id = g->peer->next_req;
	if (peer_request_raw(g->peer, IKE_EXCH_INFORMATIONAL, IKE_PLD_NONE,
	    NULL, 0) != 0)
		hg_die("peer_request_raw", IR_ERR_INTERNAL);
	hg_send_out(g);
	g->flood_sent++;
}

static void
send_delete_live_child(struct hg *g)
{
	arena_used = arena_mark;
	g->want_id = g->peer->next_req;
	g->child_before = g->spi_in;
	if (peer_info(g->peer, PEER_INFO_DELETE_CHILD) != 0)
		hg_die("peer_info", IR_ERR_INTERNAL);
	hg_send_out(g);
}

/* Unauthenticated junk on both ports: none of it may get an answer. */
static void
send_junk(struct hg *g)
{
	uint8_t b[512];
	uint32_t spi = g->peer->child.spi_out;

	g->want_id = g->peer->next_req;
	hg_random(NULL, b, sizeof(b));
	(void)sendto(g->u4500, b, 200, 0, (struct sockaddr *)&g->to,
	    sizeof(g->to));
	/* Non-ESP marker, our SPIs, a garbage SK payload. */
	memset(b, 0, 4);
	wire_put_u64(b + 4, g->peer->spi_i);
	wire_put_u64(b + 12, g->peer->spi_r);
	b[4 + 16] = IKE_PLD_SK;
	b[4 + 17] = 0x20;
	b[4 + 18] = IKE_EXCH_INFORMATIONAL;
	b[4 + 19] = 0;
	wire_put_u32(b + 4 + 20, g->peer->next_req);
	wire_put_u32(b + 4 + 24, 300);
	(void)sendto(g->u4500, b, 4 + 300, 0, (struct sockaddr *)&g->to,
	    sizeof(g->to));
	/* ESP on the client's SPI with a wrong ICV, on an unknown SPI, and
	 * too short to be ESP; a NAT keepalive. */
	wire_put_u32(b, spi);
	wire_put_u32(b + 4, 1);
	(void)sendto(g->u4500, b, 120, 0, (struct sockaddr *)&g->to,
	    sizeof(g->to));
	wire_put_u32(b, 0x0badf00d);
	(void)sendto(g->u4500, b, 120, 0, (struct sockaddr *)&g->to,
	    sizeof(g->to));
	(void)sendto(g->u4500, b, 3, 0, (struct sockaddr *)&g->to,
	    sizeof(g->to));
	b[0] = 0xff;
	(void)sendto(g->u4500, b, 1, 0, (struct sockaddr *)&g->to,
	    sizeof(g->to));
}

static void
send_nothing(struct hg *g)
{
	g->want_id = g->peer->next_req;
	g->echoes_at_case = g->echoes;
}

static const struct hg_case cases[] = {
	{ "unknown critical payload (RFC 7296 §2.5): UNSUPPORTED_CRITICAL_PAYLOAD",
	  send_unknown_critical, EXP_NOTIFY,
	  IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, 1 },
	{ "the same request again (§2.1): the same answer", send_retransmit,
	  EXP_SAME, 0, 1 },
	{ "Notify overrunning the chain (§3.10.1): INVALID_SYNTAX",
	  send_overrun_notify, EXP_NOTIFY, IKE_N_INVALID_SYNTAX, 1 },
	{ "Nonce in an INFORMATIONAL (§1.4): INVALID_SYNTAX",
	  send_nonce_in_info, EXP_NOTIFY, IKE_N_INVALID_SYNTAX, 1 },
	{ "Delete with a short SPI list (§3.11): INVALID_SYNTAX",
	  send_short_delete, EXP_NOTIFY, IKE_N_INVALID_SYNTAX, 1 },
	{ "unknown exchange type 99 (§2.21.3): INVALID_SYNTAX",
	  send_unknown_exchange, EXP_NOTIFY, IKE_N_INVALID_SYNTAX, 1 },
	{ "IKE_AUTH on an established SA (§2.21.3): INVALID_SYNTAX",
	  send_late_ike_auth, EXP_NOTIFY, IKE_N_INVALID_SYNTAX, 1 },
	{ "request with a broken ICV (§2.21): no answer", send_forged_icv,
	  EXP_NONE, 0, 1 },
	{ "message ID outside the window (§2.3): no answer",
	  send_outside_window, EXP_NONE, 0, 1 },
	{ "unknown status Notify 40000 (§3.10.1): answered",
	  send_unknown_status, EXP_EMPTY, 0, 1 },
	{ "unknown non-critical payload (§2.5): answered",
	  send_unknown_noncritical, EXP_EMPTY, 0, 1 },
	{ "Delete of three unknown ESP SPIs (§1.4.1): answered",
	  send_delete_unknown, EXP_EMPTY, 0, 1 },
	{ "CP with 1000 attributes (8 KB): answered", send_huge_cp, EXP_ANY,
	  0, 1 },
	{ "CP attribute overrunning its payload (§3.15.1): INVALID_SYNTAX",
	  send_overrun_cp, EXP_NOTIFY, IKE_N_INVALID_SYNTAX, 1 },
	{ "20 back-to-back requests (§2.3): each answered once, in order",
	  send_burst, EXP_ALL, 0, BURST_N },
	{ "300 requests one at a time: all answered", send_flood_next,
	  EXP_ALL, 0, FLOOD_N },
	{ "unauthenticated junk on UDP 500 and 4500: no answer", send_junk,
	  EXP_NONE, 0, 1 },
	{ "Delete of the live Child SA (§1.4.1): answered, SA re-created",
	  send_delete_live_child, EXP_RECREATE, 0, 1 },
	{ "the tunnel still carries pings", send_nothing, EXP_TRAFFIC, 0, 3 },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static void
hg_case_start(struct hg *g)
{
	const struct hg_case *c = &cases[g->ncase];

	g->nanswers = 0;
	g->ans_in_order = true;
	g->ans_notify = 0;
	g->flood_sent = 0;
	g->t_case = now_ms();
	hg_log(g, "case %d: %s", g->ncase + 1, c->what);
	c->send(g);
}

static void
hg_case_end(struct hg *g, bool ok, const char *detail)
{
	printf("%s: hostile: %s%s%s\n", ok ? "PASS" : "FAIL",
	    cases[g->ncase].what, *detail ? " — " : "", detail);
	fflush(stdout);
	if (ok)
		g->pass++;
	else
		g->fail++;
	/* A case that got no answer leaves its ID unanswered on our side:
	 * the peer's counter stays where the client expects the next. */
	g->ncase++;
	if ((size_t)g->ncase == NCASES) {
		g->done = true;
		printf("hostile_gw: %d passed, %d failed\n", g->pass, g->fail);
		fflush(stdout);
		return;
	}
	hg_case_start(g);
}

/* Called after every poll(): has the current case finished? */
static void
hg_case_check(struct hg *g)
{
	const struct hg_case *c = &cases[g->ncase];
	uint64_t age = now_ms() - g->t_case;
	char d[160];

	switch (c->expect) {
	case EXP_NOTIFY:
		if (g->nanswers == 0 && age < ANSWER_MS)
			return;
		snprintf(d, sizeof(d), "%d answer(s), error notify %u%s",
		    g->nanswers, g->ans_notify,
		    c->notify == IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD &&
		    g->ans_data0 != 200 ? ", not naming type 200" : "");
		hg_case_end(g, g->nanswers == 1 && g->ans_in_order &&
		    g->ans_notify == c->notify &&
		    (c->notify != IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD ||
		    g->ans_data0 == 200), d);
		return;
	case EXP_SAME:
		if (g->nanswers == 0 && age < ANSWER_MS)
			return;
		snprintf(d, sizeof(d), "%d answer(s), %s", g->nanswers,
		    g->ans_raw_len == g->first_ans_len &&
		    memcmp(g->ans_raw, g->first_ans, g->first_ans_len) == 0 ?
		    "octet for octet" : "different octets");
		hg_case_end(g, g->nanswers == 1 &&
		    g->ans_raw_len == g->first_ans_len &&
		    memcmp(g->ans_raw, g->first_ans, g->first_ans_len) == 0, d);
		return;
	case EXP_EMPTY:
	case EXP_ANY:
		if (g->nanswers == 0 && age < ANSWER_MS)
			return;
		snprintf(d, sizeof(d), "%d answer(s), error notify %u",
		    g->nanswers, g->ans_notify);
		hg_case_end(g, g->nanswers == 1 && g->ans_in_order &&
		    (c->expect == EXP_ANY || g->ans_notify == 0), d);
		return;
	case EXP_NONE:
		if (age < QUIET_MS)
			return;
		snprintf(d, sizeof(d), "%d answer(s)", g->nanswers);
		hg_case_end(g, g->nanswers == 0, d);
		return;
	case EXP_ALL:
		if (c->send == send_flood_next && g->nanswers == g->flood_sent &&
		    g->flood_sent < c->count) {
			g->t_case = now_ms();
			send_flood_next(g);
			return;
		}
		if (g->nanswers < c->count && age < ANSWER_MS)
			return;
		snprintf(d, sizeof(d), "%d of %d answered%s", g->nanswers,
		    c->count, g->ans_in_order ? "" : ", out of order");
		hg_case_end(g, g->nanswers == c->count && g->ans_in_order, d);
		return;
	case EXP_RECREATE:
		if ((g->nanswers == 0 || g->spi_in == g->child_before) &&
		    age < 3 * ANSWER_MS)
			return;
		snprintf(d, sizeof(d), "%d answer(s), Child SA %08x -> %08x",
		    g->nanswers, g->child_before, g->spi_in);
		hg_case_end(g, g->nanswers == 1 &&
		    g->spi_in != g->child_before, d);
		return;
	case EXP_TRAFFIC:
		if (g->echoes - g->echoes_at_case < (uint64_t)c->count &&
		    age < 4 * ANSWER_MS)
			return;
		snprintf(d, sizeof(d), "%llu echo requests answered",
		    (unsigned long long)(g->echoes - g->echoes_at_case));
		hg_case_end(g, g->echoes - g->echoes_at_case >=
		    (uint64_t)c->count, d);
		return;
	}
}

/* ---- Set-up and the loop ---------------------------------------------- */

static int
hg_socket(uint16_t port)
{
	struct sockaddr_in a;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		hg_die("socket", -errno);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		hg_die("bind", -errno);
	return fd;
}

static void
hg_read_psk(struct hg *g, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL || fgets(g->psk, sizeof(g->psk), f) == NULL)
		hg_die(path, f == NULL ? -errno : IR_ERR_CONFIG);
	fclose(f);
	n = strcspn(g->psk, "\r\n");
	g->psk[n] = '\0';
	if (n == 0)
		hg_die(path, IR_ERR_CONFIG);
}

static void
hg_usage(void)
{
	fputs("usage: hostile_gw --psk-file F --pool 198.51.100.129 "
	    "--dns 203.0.113.53 [-v]\n", stderr);
	exit(2);
}

static void
hg_args(struct hg *g, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "psk-file", required_argument, NULL, 'p' },
		{ "pool", required_argument, NULL, 'a' },
		{ "dns", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	bool psk = false, pool = false, dns = false;
	int c;

	while ((c = getopt_long(argc, argv, "v", lo, NULL)) != -1) {
		switch (c) {
		case 'p': hg_read_psk(g, optarg); psk = true; break;
		case 'a': pool = inet_pton(AF_INET, optarg, g->cp_ip4) == 1;
			break;
		case 'd': dns = inet_pton(AF_INET, optarg, g->cp_dns4) == 1;
			break;
		case 'v': g->verbose = true; break;
		default: hg_usage();
		}
	}
	if (!psk || !pool || !dns || optind != argc)
		hg_usage();
	memcpy(g->cp_subnet4, g->cp_dns4, 3);
	memset(g->cp_subnet4 + 4, 0xff, 3);
	g->po.auth = PEER_AUTH_PSK;
	g->po.cp_ip4 = g->cp_ip4;
	g->po.cp_dns4 = g->cp_dns4;
	g->po.cp_subnet4 = g->cp_subnet4;
}

static void
hg_on_signal(int sig)
{
	(void)sig;
	hg_stop = 1;
}

static void
hg_loop(struct hg *g)
{
	struct pollfd p[2];

	while (!hg_stop) {
		p[0] = (struct pollfd){ g->u500, POLLIN, 0 };
		p[1] = (struct pollfd){ g->u4500, POLLIN, 0 };
		if (poll(p, 2, 50) < 0) {
			if (errno == EINTR)
				continue;
			hg_die("poll", -errno);
		}
		if (p[0].revents & POLLIN)
			hg_udp_readable(g, g->u500, false);
		if (p[1].revents & POLLIN)
			hg_udp_readable(g, g->u4500, true);
		if (g->done || g->peer == NULL || !g->to_set)
			continue;
		if (!g->running) {
			/* Begin a second after the client's first ESP. */
			if (now_ms() - g->t_first_esp < 1000)
				continue;
			g->running = true;
			hg_case_start(g);
			continue;
		}
		/* The first case's answer, for the retransmission case. */
		if (g->ncase == 0 && g->nanswers == 1 &&
		    g->first_ans_len == 0) {
			memcpy(g->first_ans, g->ans_raw, g->ans_raw_len);
			g->first_ans_len = g->ans_raw_len;
		}
		hg_case_check(g);
	}
}

int
main(int argc, char **argv)
{
	struct hg *g = calloc(1, sizeof(*g));
	struct sigaction sa;
	int rc;

	arena = malloc(HG_ARENA_CAP);
	if (g == NULL || arena == NULL)
		hg_die("memory", IR_ERR_NOMEM);
	hg_args(g, argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hg_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	g->u500 = hg_socket(500);
	g->u4500 = hg_socket(4500);
	hg_log(g, "listening on UDP 500 and 4500");
	hg_loop(g);
	hg_log(g, "ESP in %llu, dropped %llu, echoes %llu",
	    (unsigned long long)g->rx_esp, (unsigned long long)g->drop_esp,
	    (unsigned long long)g->echoes);
	rc = g->done && g->fail == 0 ? 0 : 1;
	close(g->u500);
	close(g->u4500);
	esp_sa_free(g->in);
	esp_sa_free(g->out);
	peer_free(g->peer);
	ir_wipe(g->psk, sizeof(g->psk));
	free(arena);
	free(g);
	return rc;
}
