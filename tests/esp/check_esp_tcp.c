/*
 * tests/esp/check_esp_tcp.c: RFC 9329 framing.  The two TCP streams of
 * the libreswan exchange must deframe into exactly the frames that
 * frames.txt lists, equal to their .hex files, however the stream is
 * split; the sender helpers must rebuild the initiator's stream byte for
 * byte; and bad lengths and prefixes must be refused for good.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "tests/check_util.h"
#include "tests/esp/esp_test.h"

#define DIR	"libreswan-psk-tcp"
#define MAX_FRAMES	16

struct want_frame {
	size_t		off;		/* of the Length field in the stream */
	size_t		length;		/* the Length field */
	int		kind;
	struct tbuf	body;		/* IKE message or ESP packet */
};

/* The frames of direction |dir| ("i2r", "r2i") from frames.txt. */
static size_t
want_load(const char *dir, struct want_frame *w)
{
	struct tbuf text = t_vec_file(DIR "/frames.txt");
	char *line, *save = NULL, kind[32], file[128], rel[256];
	unsigned off, length;
	size_t n = 0;

	text.p[text.len] = '\0';
	for (line = strtok_r((char *)text.p, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, dir, 3) != 0 || strstr(line, "Length=") ==
		    NULL)
			continue;
		ck_assert_int_eq(sscanf(line + 3,
		    " off=%x Length=%u %31s %127s", &off, &length, kind, file),
		    4);
		ck_assert_uint_lt(n, MAX_FRAMES);
		w[n].off = off;
		w[n].length = length;
		w[n].kind = strcmp(kind, "ESP") == 0 ? ESP_TCP_ESP :
		    ESP_TCP_IKE;
		snprintf(rel, sizeof(rel), DIR "/%s", file);
		w[n].body = t_vec_hex(rel);
		n++;
	}
	ck_assert_uint_eq(n, 6);
	return n;
}

/*
 * Feed |stream| in chunks whose sizes come from |next_chunk| and check
 * every frame against |w|.  The input of each call is a separate exact
 * heap copy, so ASan sees any read past a chunk.
 */
static void
deframe_check(const struct tbuf *stream, bool prefix,
    const struct want_frame *w, size_t nw, size_t (*next_chunk)(void *),
    void *ud)
{
	static struct esp_tcp_rd d;
	const uint8_t *in, *frame;
	enum esp_tcp_kind kind;
	size_t pos = 0, n, chunk, len, got = 0, consumed;
	uint8_t *copy;

	esp_tcp_rd_init(&d, prefix);
	while (pos < stream->len) {
		chunk = next_chunk(ud);		/* once: IR_MIN is a macro */
		chunk = IR_MIN(chunk, stream->len - pos);
		copy = malloc(chunk);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, stream->p + pos, chunk);
		in = copy;
		n = chunk;
		do {
			ck_assert_int_eq(esp_tcp_next(&d, &in, &n, &frame, &len,
			    &kind), 0);
			if (len == 0) {
				ck_assert_uint_eq(n, 0);
				break;
			}
			consumed = pos + (size_t)(in - copy);
			ck_assert_uint_lt(got, nw);
			ck_assert_uint_eq(consumed - w[got].length, w[got].off);
			ck_assert_int_eq(kind, w[got].kind);
			ck_assert_uint_eq(len, w[got].body.len);
			ck_assert_mem_eq(frame, w[got].body.p, len);
			ck_assert_uint_eq(w[got].length, len +
			    (kind == ESP_TCP_IKE ? 6 : 2));
			got++;
		} while (n > 0);
		free(copy);
		pos += chunk;
	}
	ck_assert_uint_eq(got, nw);
}

static size_t
fixed_chunk(void *ud)
{
	return *(size_t *)ud;
}

/* A deterministic xorshift for random split points. */
static size_t
random_chunk(void *ud)
{
	uint32_t *x = ud;

	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x % 4 == 0 ? 1 + *x % 1200 : 1 + (*x >> 8) % 40;
}

/* Both streams in every chunk size 1 .. 64 (1 is byte by byte). */
START_TEST(tcp_streams_chunks)
{
	struct want_frame wi[MAX_FRAMES], wr[MAX_FRAMES];
	struct tbuf si = t_vec_file(DIR "/tcp/stream.i2r.bin");
	struct tbuf sr = t_vec_file(DIR "/tcp/stream.r2i.bin");
	struct tbuf si_noprefix = { si.p + 6, si.len - 6 };
	size_t ni = want_load("i2r", wi), nr = want_load("r2i", wr), k;
	size_t chunk = (size_t)_i + 1;

	ck_assert_mem_eq(si.p, ESP_TCP_PREFIX, ESP_TCP_PREFIX_LEN);
	deframe_check(&si, true, wi, ni, fixed_chunk, &chunk);
	deframe_check(&sr, false, wr, nr, fixed_chunk, &chunk);
	/* Without the prefix (as we receive), offsets shift by 6. */
	for (k = 0; k < ni; k++)
		wi[k].off -= 6;
	deframe_check(&si_noprefix, false, wi, ni, fixed_chunk, &chunk);
}
END_TEST

/* Whole streams at once, and random split points. */
START_TEST(tcp_streams_random)
{
	struct want_frame wi[MAX_FRAMES], wr[MAX_FRAMES];
	struct tbuf si = t_vec_file(DIR "/tcp/stream.i2r.bin");
	struct tbuf sr = t_vec_file(DIR "/tcp/stream.r2i.bin");
	size_t ni = want_load("i2r", wi), nr = want_load("r2i", wr);
	size_t all = 1 << 20;
	uint32_t seed;

	deframe_check(&si, true, wi, ni, fixed_chunk, &all);
	deframe_check(&sr, false, wr, nr, fixed_chunk, &all);
	for (seed = 1; seed <= 300; seed++) {
		uint32_t x = seed * 2654435761u;

		deframe_check(&si, true, wi, ni, random_chunk, &x);
		deframe_check(&sr, false, wr, nr, random_chunk, &x);
	}
}
END_TEST

/* The sender helpers rebuild the initiator's stream byte for byte. */
START_TEST(tcp_reframe_stream)
{
	struct want_frame wi[MAX_FRAMES];
	struct tbuf si = t_vec_file(DIR "/tcp/stream.i2r.bin");
	size_t ni = want_load("i2r", wi), k, pos, h;
	static uint8_t out[4096], buf[4096];
	struct ir_pkt pkt;
	uint8_t *p;

	memcpy(out, ESP_TCP_PREFIX, ESP_TCP_PREFIX_LEN);
	pos = ESP_TCP_PREFIX_LEN;
	for (k = 0; k < ni; k++) {
		ir_pkt_init(&pkt, buf, sizeof(buf), 64);
		ck_assert_int_eq(ir_pkt_put(&pkt, wi[k].body.len, &p), 0);
		memcpy(p, wi[k].body.p, wi[k].body.len);
		ck_assert_int_eq(esp_tcp_push_frame(&pkt, wi[k].kind), 0);
		ck_assert_uint_eq(pkt.len, wi[k].length);
		memcpy(out + pos, pkt.data, pkt.len);
		pos += pkt.len;
		/* The gathered-write form gives the same header. */
		ck_assert_int_eq(esp_tcp_frame_hdr(wi[k].kind, wi[k].body.len,
		    buf, sizeof(buf), &h), 0);
		ck_assert_mem_eq(buf, out + pos - pkt.len, h);
	}
	ck_assert_uint_eq(pos, si.len);
	ck_assert_mem_eq(out, si.p, si.len);
}
END_TEST

/* Feed |hex| in one go; expect |rv| and, for 0, one frame of |len|. */
static void
feed_one(const char *hex, bool prefix, int rv, size_t want_len)
{
	static struct esp_tcp_rd d;
	struct tbuf b = t_hex(hex);
	const uint8_t *in = b.p, *frame;
	enum esp_tcp_kind kind;
	size_t n = b.len, len;

	esp_tcp_rd_init(&d, prefix);
	ck_assert_int_eq(esp_tcp_next(&d, &in, &n, &frame, &len, &kind), rv);
	ck_assert_uint_eq(len, want_len);
	if (rv != 0) {
		/* Sticky: the stream is dead, whatever follows. */
		in = b.p;
		n = b.len;
		ck_assert_int_eq(esp_tcp_next(&d, &in, &n, &frame, &len,
		    &kind), rv);
		ck_assert_ptr_null(frame);
	}
}

START_TEST(tcp_bad_lengths)
{
	feed_one("0000", false, IR_ERR_MALFORMED, 0);		/* length 0 */
	feed_one("0001", false, IR_ERR_MALFORMED, 0);		/* length 1 */
	feed_one("0002 aabb", false, IR_ERR_MALFORMED, 0);	/* length 2 */
	feed_one("0003 01", false, IR_ERR_MALFORMED, 0);
	feed_one("0004 ffff", false, IR_ERR_MALFORMED, 0);
	/* ESP shorter than SPI + sequence number, and just long enough. */
	feed_one("0009 00000001 000000", false, IR_ERR_MALFORMED, 0);
	feed_one("000a 00000001 00000001", false, 0, 8);
	/* IKE: marker + a 28-octet header at least. */
	feed_one("0021 00000000" "00000000000000000000000000000000"
	    "000000000000000000000000000000", false, IR_ERR_MALFORMED, 0);
	feed_one("0022 00000000" "00000000000000000000000000000000"
	    "00000000000000000000000000000000", false, 0, 28);
	/* A partial frame: nothing yet, no error. */
	feed_one("0022 00000000", false, 0, 0);
	feed_one("00", false, 0, 0);
}
END_TEST

/*
 * A NAT-keepalive (RFC 3948 §2.3) framed over TCP is dropped, not fatal:
 * Linux's espintcp drops it too.  Whole, split, and before an ESP frame.
 */
START_TEST(tcp_keepalive_frame)
{
	static struct esp_tcp_rd d;
	struct tbuf b = t_hex("0003 ff 000a 00000001 00000002");
	const uint8_t *in = b.p, *frame;
	enum esp_tcp_kind kind;
	size_t n = 1, len;

	feed_one("0003 ff", false, 0, 1);
	esp_tcp_rd_init(&d, false);
	ck_assert_int_eq(esp_tcp_next(&d, &in, &n, &frame, &len, &kind), 0);
	ck_assert_uint_eq(len, 0);
	n = b.len - 1;
	ck_assert_int_eq(esp_tcp_next(&d, &in, &n, &frame, &len, &kind), 0);
	ck_assert_int_eq(kind, ESP_TCP_KEEPALIVE);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(esp_tcp_next(&d, &in, &n, &frame, &len, &kind), 0);
	ck_assert_int_eq(kind, ESP_TCP_ESP);
	ck_assert_uint_eq(len, 8);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(tcp_bad_prefix)
{
	feed_one("494b45544358 000a0000000100000001", true,
	    IR_ERR_MALFORMED, 0);				/* IKETCX */
	feed_one("474554202f20", true, IR_ERR_MALFORMED, 0);	/* "GET / " */
	feed_one("00", true, IR_ERR_MALFORMED, 0);
	feed_one("494b4554", true, 0, 0);			/* "IKET": more */
	feed_one("494b45544350 000a0000000100000001", true, 0, 8);
}
END_TEST

/* The largest frame: Length 65535, whole and byte by byte. */
START_TEST(tcp_max_frame)
{
	static struct esp_tcp_rd d;
	static uint8_t s[65535 + 10];
	const uint8_t *in, *frame;
	enum esp_tcp_kind kind;
	size_t n, len, i, frames = 0;

	s[0] = 0xff;
	s[1] = 0xff;
	for (i = 2; i < 65535; i++)
		s[i] = (uint8_t)(i * 7 + 1);
	memcpy(s + 65535, "\x00\x0a\x00\x00\x00\x09\x00\x00\x00\x01", 10);
	esp_tcp_rd_init(&d, false);
	in = s;
	n = sizeof(s);
	ck_assert_int_eq(esp_tcp_next(&d, &in, &n, &frame, &len, &kind), 0);
	ck_assert_uint_eq(len, 65533);
	ck_assert_int_eq(kind, ESP_TCP_ESP);
	ck_assert_mem_eq(frame, s + 2, len);
	esp_tcp_rd_init(&d, false);
	for (i = 0; i < sizeof(s); i++) {
		in = s + i;
		n = 1;
		ck_assert_int_eq(esp_tcp_next(&d, &in, &n, &frame, &len,
		    &kind), 0);
		ck_assert_uint_eq(n, 0);
		if (len == 0)
			continue;
		if (frames++ == 0) {
			ck_assert_uint_eq(i, 65534);
			ck_assert_uint_eq(len, 65533);
			ck_assert_mem_eq(frame, s + 2, len);
		} else {
			ck_assert_uint_eq(len, 8);
			ck_assert_mem_eq(frame, s + 65537, 8);
		}
	}
	ck_assert_uint_eq(frames, 2);
}
END_TEST

START_TEST(tcp_sender_limits)
{
	static uint8_t buf[70000];
	struct ir_pkt pkt;
	uint8_t hdr[8], *p;
	size_t h;

	ck_assert_int_eq(esp_tcp_frame_hdr(ESP_TCP_ESP, 65533, hdr,
	    sizeof(hdr), &h), 0);
	ck_assert_uint_eq(h, 2);
	ck_assert_mem_eq(hdr, "\xff\xff", 2);
	ck_assert_int_eq(esp_tcp_frame_hdr(ESP_TCP_ESP, 65534, hdr,
	    sizeof(hdr), &h), IR_ERR_NOBUF);
	ck_assert_int_eq(esp_tcp_frame_hdr(ESP_TCP_IKE, 65529, hdr,
	    sizeof(hdr), &h), 0);
	ck_assert_uint_eq(h, 6);
	ck_assert_mem_eq(hdr, "\xff\xff\0\0\0\0", 6);
	ck_assert_int_eq(esp_tcp_frame_hdr(ESP_TCP_IKE, 65530, hdr,
	    sizeof(hdr), &h), IR_ERR_NOBUF);
	ck_assert_int_eq(esp_tcp_frame_hdr(ESP_TCP_IKE, 10, hdr, 5, &h),
	    IR_ERR_NOBUF);
	ir_pkt_init(&pkt, buf, sizeof(buf), 5);
	ck_assert_int_eq(ir_pkt_put(&pkt, 100, &p), 0);
	ck_assert_int_eq(esp_tcp_push_frame(&pkt, ESP_TCP_IKE), IR_ERR_NOBUF);
	ck_assert_uint_eq(pkt.len, 100);
	ck_assert_int_eq(esp_tcp_push_frame(&pkt, ESP_TCP_ESP), 0);
	ck_assert_uint_eq(pkt.len, 102);
	ck_assert_mem_eq(pkt.data, "\x00\x66", 2);
}
END_TEST

Suite *esp_tcp_suite(void);

Suite *
esp_tcp_suite(void)
{
	Suite *s = suite_create("esp_tcp");
	TCase *tc = tcase_create("tcp");

	tcase_add_loop_test(tc, tcp_streams_chunks, 0, 64);
	tcase_add_test(tc, tcp_streams_random);
	tcase_add_test(tc, tcp_reframe_stream);
	tcase_add_test(tc, tcp_bad_lengths);
	tcase_add_test(tc, tcp_keepalive_frame);
	tcase_add_test(tc, tcp_bad_prefix);
	tcase_add_test(tc, tcp_max_frame);
	tcase_add_test(tc, tcp_sender_limits);
	suite_add_tcase(s, tc);
	return s;
}
