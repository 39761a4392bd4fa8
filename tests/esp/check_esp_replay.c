/*
 * tests/esp/check_esp_replay.c: the anti-replay window of esp_replay.c,
 * RFC 4303 §3.4.3 and Appendix A, from a spec table; then the same rules
 * through esp_decrypt(), where a forged packet must not move the window.
 */
#include <check.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "tests/check_util.h"
#include "tests/esp/esp_test.h"

#define OK	0
#define REPLAY	IR_ERR_REPLAY
#define FORGED	1		/* the pre-check passes, the ICV does not */

/*
 * One received packet: the 32 low bits on the wire, what the pre-check
 * must say, and the full sequence number it must infer (0: do not care).
 * Unless FORGED, an accepted packet is then recorded (ICV verified).
 */
struct step {
	uint32_t	lo;
	int		want;
	uint64_t	seq;
	int		flags;
};

struct spec {
	const char		*name;
	uint32_t		 size;
	bool			 esn;
	const struct step	*steps;
};

#define END	{ 0, 0, 0, -1 }

static const struct step basic[] = {		/* STYLE.md's example */
	{ 1, OK, 1, 0 }, { 3, OK, 3, 0 }, { 2, OK, 2, 0 },
	{ 2, REPLAY, 0, 0 }, { 3, REPLAY, 0, 0 }, { 1, REPLAY, 0, 0 },
	{ 0, REPLAY, 0, 0 },			/* 0 is never sent, §3.3.3 */
	END
};
static const struct step w64[] = {		/* 64 wide: 7 .. 70 */
	{ 70, OK, 70, 0 }, { 6, REPLAY, 0, 0 }, { 7, OK, 7, 0 },
	{ 7, REPLAY, 0, 0 }, { 71, OK, 71, 0 }, { 7, REPLAY, 0, 0 },
	{ 8, OK, 8, 0 }, END
};
static const struct step edge[] = {		/* 1024 wide: 977 .. 2000 */
	{ 2000, OK, 2000, 0 }, { 976, REPLAY, 0, 0 }, { 977, OK, 977, 0 },
	{ 977, REPLAY, 0, 0 }, { 1999, OK, 1999, 0 }, { 2001, OK, 2001, 0 },
	{ 977, REPLAY, 0, 0 }, { 978, OK, 978, 0 }, END
};
static const struct step jump[] = {		/* far ahead, then back */
	{ 5, OK, 5, 0 }, { 100000, OK, 100000, 0 }, { 5, REPLAY, 0, 0 },
	{ 6, REPLAY, 0, 0 }, { 98977, OK, 98977, 0 },
	{ 98976, REPLAY, 0, 0 }, { 99999, OK, 99999, 0 },
	{ 100000, REPLAY, 0, 0 }, { 4000000000u, OK, 4000000000u, 0 },
	{ 99999, REPLAY, 0, 0 }, { 3999998977u, OK, 0, 0 }, END
};
/*
 * The ring has 65 words: after a jump of exactly 65 words, word 0 is
 * reused and must have been cleared, or 4161 (same bit as 1) would be
 * taken for a replay.  Then the window edge at 4096.
 */
static const struct step ring[] = {
	{ 1, OK, 1, 0 }, { 2, OK, 2, 0 }, { 63, OK, 63, 0 },
	{ 4170, OK, 4170, 0 }, { 4161, OK, 4161, 0 }, { 4162, OK, 4162, 0 },
	{ 4160, OK, 4160, 0 }, { 4161, REPLAY, 0, 0 }, { 1, REPLAY, 0, 0 },
	{ 74, REPLAY, 0, 0 }, { 75, OK, 75, 0 }, { 75, REPLAY, 0, 0 },
	{ 4171, OK, 4171, 0 }, { 75, REPLAY, 0, 0 }, { 76, OK, 76, 0 },
	END
};
/*
 * A jump of 64 words clears words 1 .. 64 one by one and keeps word 0,
 * still in the window; the next word reuses word 0's place and clears it.
 */
static const struct step ring_part[] = {
	{ 1, OK, 1, 0 }, { 2, OK, 2, 0 }, { 63, OK, 63, 0 },
	{ 4097, OK, 4097, 0 }, { 1, REPLAY, 0, 0 }, { 2, REPLAY, 0, 0 },
	{ 3, OK, 3, 0 }, { 63, REPLAY, 0, 0 }, { 4165, OK, 4165, 0 },
	{ 4161, OK, 4161, 0 }, { 4162, OK, 4162, 0 }, { 69, REPLAY, 0, 0 },
	{ 70, OK, 70, 0 }, { 4098, OK, 4098, 0 }, { 4097, REPLAY, 0, 0 }, END
};
/* Slide one at a time past a word boundary. */
static const struct step slide[] = {
	{ 62, OK, 62, 0 }, { 63, OK, 63, 0 }, { 64, OK, 64, 0 },
	{ 65, OK, 65, 0 }, { 127, OK, 127, 0 }, { 128, OK, 128, 0 },
	{ 64, REPLAY, 0, 0 }, { 65, REPLAY, 0, 0 }, { 66, OK, 66, 0 },
	{ 66, REPLAY, 0, 0 }, END
};
/* §3.4.3: the window moves only after the ICV verified. */
static const struct step forged[] = {
	{ 1, OK, 1, 0 }, { 2, OK, 2, 0 },
	{ 1000000, OK, 1000000, FORGED }, { 3, OK, 3, 0 },
	{ 1000000, OK, 1000000, FORGED }, { 4, OK, 4, 0 },
	{ 1000000, OK, 1000000, 0 }, { 5, REPLAY, 0, 0 },
	{ 1000000, REPLAY, 0, 0 }, END
};
/*
 * ESN, Appendix A2.2: the low 32 bits wrap and the high bits are
 * inferred.  Case A (window within one subspace) until top = 2^32 + 5;
 * then case B (window across the boundary).
 */
static const struct step esn_wrap[] = {
	{ 0xfffffff0u, REPLAY, 0, 0 },		/* B at start: left of 1 */
	{ 0x7fffffffu, OK, 0x7fffffffu, 0 },
	{ 0xffffff00u, OK, 0xffffff00u, 0 },
	{ 0x00000005u, OK, 0x100000005u, 0 },	/* A: Seqh = Th + 1 */
	{ 0xffffff80u, OK, 0xffffff80u, 0 },	/* B: Seqh = Th - 1 */
	{ 0xffffff00u, REPLAY, 0, 0 },
	{ 0x00000000u, OK, 0x100000000u, 0 },	/* a valid 0 low half */
	/* Exactly W behind reads as far ahead (Th); the ICV decides. */
	{ 0xfffffc05u, OK, 0x1fffffc05u, FORGED },
	{ 0xfffffc06u, OK, 0xfffffc06u, 0 },	/* W - 1 behind */
	{ 0x00000005u, REPLAY, 0, 0 },
	{ 0x00000400u, OK, 0x100000400u, 0 },	/* B: Seqh = Th */
	/* Tl = 1024 >= W - 1: case A; a large low half is ahead. */
	{ 0xffffffffu, OK, 0x1ffffffffu, FORGED },
	{ 0x00000404u, OK, 0x100000404u, 0 },
	{ 0x00000005u, REPLAY, 0, 0 },		/* seen, at the left edge */
	{ 0xfffffffeu, OK, 0x1fffffffeu, 0 },	/* far ahead, same Th */
	END
};
/* Without ESN the same low bits never wrap: a small one is old. */
static const struct step noesn_wrap[] = {
	{ 0xffffff00u, OK, 0xffffff00u, 0 },
	{ 0x00000005u, REPLAY, 0, 0 },
	{ 0xffffffffu, OK, 0xffffffffu, 0 },
	{ 0xfffffbffu, REPLAY, 0, 0 }, { 0xfffffc00u, OK, 0, 0 }, END
};

static const struct spec specs[] = {
	{ "1,3,2 accepted, 2 again rejected",	1024, false, basic },
	{ "64 wide: after 70, 6 out, 7 in",	64, false, w64 },
	{ "edge at exactly the window size",	1024, false, edge },
	{ "far-ahead jumps",			1024, false, jump },
	{ "ring words reused after a jump",	4096, false, ring },
	{ "ring words kept, then reused",	4096, false, ring_part },
	{ "sliding across word boundaries",	64, false, slide },
	{ "forged far-ahead does not move",	1024, false, forged },
	{ "ESN: low bits wrap, high inferred",	1024, true, esn_wrap },
	{ "no ESN: low bits never wrap",	1024, false, noesn_wrap },
};

START_TEST(replay_spec)
{
	const struct spec *sp = &specs[_i];
	struct esp_replay r;
	const struct step *st;
	uint64_t seq;
	int rv, k;

	ck_assert_int_eq(esp_replay_init(&r, sp->size, sp->esn), 0);
	for (k = 0, st = sp->steps; st->flags != -1; st++, k++) {
		rv = esp_replay_check(&r, st->lo, &seq);
		ck_assert_msg(rv == st->want, "%s: step %d (%#x): %d, want %d",
		    sp->name, k, st->lo, rv, st->want);
		if (rv != 0)
			continue;
		if (st->seq != 0)
			ck_assert_msg(seq == st->seq,
			    "%s: step %d: inferred %#llx, want %#llx", sp->name,
			    k, (unsigned long long)seq,
			    (unsigned long long)st->seq);
		if (st->flags == FORGED)
			continue;	/* ICV failed: no update */
		ck_assert_int_eq(esp_replay_update(&r, seq), 0);
		/* Appendix A3's second check: now it is a replay. */
		ck_assert_int_eq(esp_replay_update(&r, seq), IR_ERR_REPLAY);
	}
}
END_TEST

START_TEST(replay_init_bounds)
{
	struct esp_replay r;

	ck_assert_int_eq(esp_replay_init(&r, 31, false), IR_ERR_CONFIG);
	ck_assert_int_eq(esp_replay_init(&r, 32, false), 0);
	ck_assert_int_eq(esp_replay_init(&r, ESP_REPLAY_WINDOW_MAX, true), 0);
	ck_assert_int_eq(esp_replay_init(&r, ESP_REPLAY_WINDOW_MAX + 1, true),
	    IR_ERR_CONFIG);
}
END_TEST

/* Every window width: exactly W - 1 behind is in, W behind is out. */
START_TEST(replay_every_width)
{
	struct esp_replay r;
	uint32_t w = 32 + (uint32_t)_i * 61;
	uint64_t seq;

	ck_assert_int_eq(esp_replay_init(&r, w, false), 0);
	ck_assert_int_eq(esp_replay_check(&r, 10000, &seq), 0);
	ck_assert_int_eq(esp_replay_update(&r, seq), 0);
	ck_assert_int_eq(esp_replay_check(&r, 10000 - w, &seq), REPLAY);
	ck_assert_int_eq(esp_replay_check(&r, 10000 - w + 1, &seq), 0);
	ck_assert_int_eq(esp_replay_update(&r, seq), 0);
	ck_assert_int_eq(esp_replay_check(&r, 10000 - w + 1, &seq), REPLAY);
}
END_TEST

/*
 * Through esp_decrypt(): a packet with a far-ahead sequence number and a
 * bad ICV is dropped as IR_ERR_DECRYPT and leaves the window where it
 * was, so the packets that follow it are still accepted.
 */
START_TEST(replay_decrypt_forged)
{
	const struct t_suite *s = &t_suites[_i % t_nsuites];
	bool esn = _i >= (int)t_nsuites;
	struct esp_sa *in = t_esp_sa(s, esn, false, 0);
	uint8_t inner[60], wire[200];
	struct esp_sa_stats st;
	struct t_ref ref;
	struct ir_pkt pkt;
	static const uint64_t seqs[] = { 1, 2, 1000000, 3, 1000000, 1 };
	static const uint64_t top[] = { 1, 2, 2, 3, 1000000, 1000000 };
	static const int want[] = { 0, 0, IR_ERR_DECRYPT, 0, 0, REPLAY };
	size_t i, n;

	t_ip_packet(inner, sizeof(inner), false, 1);
	t_ref_init(&ref, inner, sizeof(inner));
	for (i = 0; i < IR_ARRAY_LEN(seqs); i++) {
		n = t_esp_ref(s, esn, T_SPI, seqs[i], &ref, wire, sizeof(wire));
		if (want[i] == IR_ERR_DECRYPT)
			wire[n - 1] ^= 0x01;		/* forge the ICV */
		pkt = t_pkt_exact(wire, n, 0, 0);
		/*
		 * With ESN, 1 far left of the window is read as 2^32 + 1
		 * (Appendix A2.2, case A), and then its ICV fails.
		 */
		ck_assert_int_eq(esp_decrypt(in, &pkt),
		    esn && want[i] == REPLAY ? IR_ERR_DECRYPT : want[i]);
		esp_sa_get_stats(in, &st);
		ck_assert_uint_eq(st.seq, top[i]);
		t_pkt_free(&pkt);
	}
	esp_sa_get_stats(in, &st);
	ck_assert_uint_eq(st.packets, 4);
	ck_assert_uint_eq(st.drop_decrypt, esn ? 2 : 1);
	ck_assert_uint_eq(st.drop_replay, esn ? 0 : 1);
	esp_sa_free(in);
}
END_TEST

/* ESN through esp_decrypt(): the inferred high bits are authenticated. */
START_TEST(replay_decrypt_esn_wrap)
{
	const struct t_suite *s = &t_suites[_i];
	struct esp_sa *in = t_esp_sa(s, true, false, 0);
	uint8_t inner[48], wire[200];
	struct esp_sa_stats st;
	struct t_ref ref;
	struct ir_pkt pkt;
	size_t n;

	t_ip_packet(inner, sizeof(inner), false, 2);
	t_ref_init(&ref, inner, sizeof(inner));
#define FEED(seq, want) do {						\
	n = t_esp_ref(s, true, T_SPI, (seq), &ref, wire, sizeof(wire));	\
	pkt = t_pkt_exact(wire, n, 0, 0);				\
	ck_assert_int_eq(esp_decrypt(in, &pkt), (want));		\
	t_pkt_free(&pkt);						\
} while (0)
	FEED(0x7fffffffu, 0);
	FEED(0xffffff00u, 0);
	/* Sent as 5 in subspace 0, inferred as 2^32 + 5: the ICV fails. */
	FEED(0x000000005u, IR_ERR_DECRYPT);
	FEED(0x100000005u, 0);
	FEED(0x0ffffff80u, 0);
	esp_sa_get_stats(in, &st);
	ck_assert(st.seq == 0x100000005u);
	ck_assert_uint_eq(st.packets, 4);
	ck_assert_uint_eq(st.drop_decrypt, 1);
#undef FEED
	esp_sa_free(in);
}
END_TEST

Suite *esp_replay_suite(void);

Suite *
esp_replay_suite(void)
{
	Suite *s = suite_create("esp_replay");
	TCase *tc = tcase_create("window");

	tcase_add_loop_test(tc, replay_spec, 0, IR_ARRAY_LEN(specs));
	tcase_add_test(tc, replay_init_bounds);
	tcase_add_loop_test(tc, replay_every_width, 0, 66);
	suite_add_tcase(s, tc);
	tc = tcase_create("decrypt");
	tcase_add_loop_test(tc, replay_decrypt_forged, 0, 2 * (int)t_nsuites);
	tcase_add_loop_test(tc, replay_decrypt_esn_wrap, 0, (int)t_nsuites);
	suite_add_tcase(s, tc);
	return s;
}
