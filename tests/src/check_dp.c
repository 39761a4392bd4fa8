/*
 * tests/src/check_dp.c: the outbound worker thread (src/dp_worker.c,
 * sealing with src/dp_seal.c as the loop does) with a real ESP SA, a datagram socket pair standing in for the TUN and
 * another for the UDP socket: what it sends decrypts to what went in, in
 * order; without an SA or a transport nothing leaves (no packet in
 * clear) and the drops are counted; an SA is freed right after the
 * handover returns (ASan: the worker no longer touches it); the soft
 * lifetime asks the loop for a rekey.
 */
#include <arpa/inet.h>
#include <check.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "src/dp_worker.h"
#include "tests/check_main.h"

#define SPI	0x01020304u
#define HEAD	64

static atomic_uint wakes;

static void
wake(void *ud)
{
	(void)ud;
	atomic_fetch_add(&wakes, 1);
}

static struct esp_sa *
sa_new_spi(uint32_t spi, bool outbound, uint64_t soft_packets)
{
	static const uint8_t key[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	    12, 13, 14, 15, 16, 17, 18, 19, 20 };
	struct esp_sa_conf c;
	struct esp_sa *sa;

	memset(&c, 0, sizeof(c));
	c.spi = spi;
	c.outbound = outbound;
	c.encr = CRYPTO_ENCR_AES_GCM_16;
	c.key_bits = 128;
	c.encr_key = key;
	c.encr_key_len = sizeof(key);
	c.soft.packets = soft_packets;
	ck_assert_int_eq(esp_sa_new(&sa, &c), 0);
	return sa;
}

static struct esp_sa *
sa_new(bool outbound, uint64_t soft_packets)
{
	return sa_new_spi(SPI, outbound, soft_packets);
}

/* An IPv4/UDP packet 192.0.2.2 -> 198.51.100.7 carrying |tag|. */
static size_t
pkt4(uint8_t *p, unsigned tag)
{
	size_t len = 20 + 8 + 100;

	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 17;
	inet_pton(AF_INET, "192.0.2.2", p + 12);
	inet_pton(AF_INET, "198.51.100.7", p + 16);
	p[20] = 0x30;
	p[22] = 0x30;
	p[24] = 0;
	p[25] = 108;
	p[28] = (uint8_t)tag;
	p[29] = (uint8_t)(tag >> 8);
	return len;
}

struct rig {
	int tun[2], udp[2];
	struct ike_ts ts;
	struct dp_sa_mirror m;
	struct dp_worker *w;
};

static void
rig_up(struct rig *r)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0,
	    r->tun), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0,
	    r->udp), 0);
	memset(&r->ts, 0, sizeof(r->ts));
	r->ts.type = 7;
	r->ts.port_hi = 65535;
	memset(r->ts.end, 0xff, 4);
	memset(&r->m, 0, sizeof(r->m));
	atomic_store(&wakes, 0);
	ck_assert_int_eq(dp_worker_new(&r->w, wake, NULL), 0);
}

static void
rig_down(struct rig *r)
{
	dp_worker_free(r->w);
	close(r->tun[0]);
	close(r->tun[1]);
	close(r->udp[0]);
	close(r->udp[1]);
}

static struct dp_out
out_for(struct rig *r, struct esp_sa *sa)
{
	struct dp_out o;

	memset(&o, 0, sizeof(o));
	o.tun_fd = r->tun[1];
	o.mtu = 1400;
	if (sa != NULL) {
		o.sas[0].sa = sa;
		o.sas[0].m = &r->m;
		o.sas[0].ts_local = o.sas[0].ts_remote = &r->ts;
		o.sas[0].n_ts_local = o.sas[0].n_ts_remote = 1;
		o.n_sa = 1;
	}
	o.udp_fd = r->udp[0];
	return o;
}

/* Receive up to |want| datagrams within |ms|; decrypt each with |in|
 * and check the tags |first|, |first|+1, ...  Returns how many came. */
static unsigned
collect(struct rig *r, struct esp_sa *in, unsigned want, unsigned first,
    int ms)
{
	struct pollfd p = { .fd = r->udp[1], .events = POLLIN };
	uint8_t buf[HEAD + 2048];
	struct ir_pkt pkt;
	unsigned got = 0;
	ssize_t n;

	while (got < want && poll(&p, 1, ms) > 0) {
		while (got < want && (n = read(r->udp[1], buf + HEAD,
		    sizeof(buf) - HEAD)) > 0) {
			ir_pkt_init(&pkt, buf, sizeof(buf), HEAD);
			pkt.len = (size_t)n;
			ck_assert_int_eq(esp_decrypt(in, &pkt), 0);
			ck_assert_uint_eq(pkt.len, 128);
			ck_assert_uint_eq(pkt.data[28] | pkt.data[29] << 8,
			    first + got);
			got++;
		}
	}
	return got;
}

static void
feed(struct rig *r, unsigned from, unsigned n)
{
	uint8_t p[256];
	unsigned i;
	size_t len;

	for (i = 0; i < n; i++) {
		len = pkt4(p, from + i);
		ck_assert_int_eq(write(r->tun[0], p, len), (ssize_t)len);
	}
}

START_TEST(encrypts_in_order_and_counts)
{
	struct rig r;
	struct esp_sa *out = sa_new(true, 0), *in = sa_new(false, 0);
	struct dp_out o;
	struct dp_counts k;

	rig_up(&r);
	o = out_for(&r, out);
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	ck_assert(dp_worker_same(r.w, &o));
	feed(&r, 0, 100);
	ck_assert_uint_eq(collect(&r, in, 100, 0, 2000), 100);
	/* The counters are added after each round: the round is over once
	 * the worker acknowledged a snapshot taken after it. */
	o.mss4 = 1300;
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	dp_worker_drain(r.w, &k);
	ck_assert_uint_eq(k.x.tx_esp, 100);
	ck_assert_uint_gt(k.x.tx_bytes, 100 * 128);
	ck_assert(k.sent);
	ck_assert_uint_eq(k.drop_no_sa, 0);
	ck_assert_uint_eq(atomic_load(&r.m.packets), 100);
	ck_assert_uint_eq(atomic_load(&r.m.bytes), 100 * 128);
	rig_down(&r);
	esp_sa_free(out);
	esp_sa_free(in);
}
END_TEST

START_TEST(no_sa_no_transport_nothing_leaves)
{
	struct rig r;
	struct esp_sa *out = sa_new(true, 0), *in = sa_new(false, 0);
	struct dp_out o;
	struct dp_counts k;

	rig_up(&r);
	o = out_for(&r, out);
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	feed(&r, 0, 10);
	ck_assert_uint_eq(collect(&r, in, 10, 0, 2000), 10);
	/* The SA goes (a rekey's delete, reconnecting): freed at once
	 * after the handover; ASan would see any later use. */
	o.n_sa = 0;
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	esp_sa_free(out);
	feed(&r, 10, 20);
	/* The transport goes too. */
	o = out_for(&r, NULL);
	o.udp_fd = -1;
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	feed(&r, 30, 5);
	o.mss4 = 1;	/* another snapshot: the rounds before are over */
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	ck_assert_uint_eq(collect(&r, in, 1, 0, 300), 0);
	dp_worker_drain(r.w, &k);
	ck_assert_uint_eq(k.drop_no_sa, 25);
	ck_assert_uint_eq(k.x.tx_esp, 10);
	/* A new SA: traffic again, from sequence number 1. */
	out = sa_new(true, 0);
	esp_sa_free(in);
	in = sa_new(false, 0);
	o = out_for(&r, out);
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	feed(&r, 40, 3);
	ck_assert_uint_eq(collect(&r, in, 3, 40, 2000), 3);
	rig_down(&r);
	esp_sa_free(out);
	esp_sa_free(in);
}
END_TEST

/* RFC 7296 §2.9: two Child SAs, each for half of the gateway's side;
 * a packet goes into the first that covers it (c->out first). */
START_TEST(each_packet_into_the_sa_that_covers_it)
{
	struct rig r;
	struct esp_sa *a = sa_new_spi(0xa, true, 0),
	    *b = sa_new_spi(0xb, true, 0);
	struct ike_ts lo, hi;
	struct dp_sa_mirror mb;
	struct dp_out o;
	uint8_t p[256], buf[HEAD + 2048];
	unsigned i, na = 0, nb = 0;
	struct pollfd pfd;
	uint32_t spi;
	ssize_t n;

	rig_up(&r);
	pfd = (struct pollfd){ .fd = r.udp[1], .events = POLLIN };
	memset(&mb, 0, sizeof(mb));
	lo = hi = r.ts;
	inet_pton(AF_INET, "198.51.100.0", lo.start);
	inet_pton(AF_INET, "198.51.100.127", lo.end);
	inet_pton(AF_INET, "198.51.100.128", hi.start);
	inet_pton(AF_INET, "198.51.100.255", hi.end);
	o = out_for(&r, a);
	o.sas[0].ts_remote = &lo;
	o.sas[1] = o.sas[0];
	o.sas[1].sa = b;
	o.sas[1].m = &mb;
	o.sas[1].ts_remote = &hi;
	o.n_sa = 2;
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	for (i = 0; i < 6; i++) {
		size_t len = pkt4(p, i);

		p[19] = (uint8_t)(i % 2 ? 200 : 7);	/* hi, lo */
		if (i == 5)
			p[16] = 203, p[17] = 0, p[18] = 113; /* none */
		ck_assert_int_eq(write(r.tun[0], p, len), (ssize_t)len);
	}
	/* The worker may take the next snapshot before it reads the TUN:
	 * wait for the five (at most 5 s), not only for the handover. */
	while (na + nb < 5 && poll(&pfd, 1, 5000) > 0)
		while ((n = read(r.udp[1], buf, sizeof(buf))) > 0) {
			spi = (uint32_t)buf[0] << 24 |
			    (uint32_t)buf[1] << 16 |
			    (uint32_t)buf[2] << 8 | buf[3];
			na += spi == 0xa;
			nb += spi == 0xb;
		}
	o.mss4 = 1;	/* another snapshot: the burst and its counts are over */
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	ck_assert_uint_eq(na, 3);
	ck_assert_uint_eq(nb, 2);
	ck_assert_uint_eq(atomic_load(&r.m.packets), 3);
	ck_assert_uint_eq(atomic_load(&mb.packets), 2);
	rig_down(&r);
	esp_sa_free(a);
	esp_sa_free(b);
}
END_TEST

START_TEST(idle_worker_reads_nothing)
{
	struct rig r;
	struct dp_out o;
	uint8_t p[256];

	rig_up(&r);
	memset(&o, 0, sizeof(o));
	o.tun_fd = o.udp_fd = -1;
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	feed(&r, 0, 1);
	usleep(50000);
	/* Still there for the loop thread to read. */
	ck_assert_int_eq(read(r.tun[1], p, sizeof(p)), 128);
	rig_down(&r);
}
END_TEST

START_TEST(soft_lifetime_asks_for_a_rekey)
{
	struct rig r;
	struct esp_sa *out = sa_new(true, 5), *in = sa_new(false, 0);
	struct dp_out o;

	rig_up(&r);
	o = out_for(&r, out);
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	feed(&r, 0, 8);
	ck_assert_uint_eq(collect(&r, in, 8, 0, 2000), 8);
	o.mss4 = 1;
	ck_assert_int_eq(dp_worker_set(r.w, &o, true), 0);
	ck_assert(atomic_load(&r.m.rekey));
	ck_assert_uint_ge(atomic_load(&wakes), 1);
	rig_down(&r);
	esp_sa_free(out);
	esp_sa_free(in);
}
END_TEST

static Suite *
dp_suite(void)
{
	Suite *s = suite_create("dp_worker");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, encrypts_in_order_and_counts);
	tcase_add_test(tc, no_sa_no_transport_nothing_leaves);
	tcase_add_test(tc, each_packet_into_the_sa_that_covers_it);
	tcase_add_test(tc, idle_worker_reads_nothing);
	tcase_add_test(tc, soft_lifetime_asks_for_a_rekey);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(dp_suite)
