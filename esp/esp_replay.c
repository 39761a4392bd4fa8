/*
 * esp/esp_replay.c: the receiver's anti-replay window, RFC 4303 §3.4.3
 * and Appendix A.
 *
 * The window covers the |size| sequence numbers top - size + 1 .. top,
 * where top is the highest sequence number whose ICV verified.  It is a
 * ring of 64-bit words (RFC 6479): the bit of sequence number s lives in
 * word (s / 64) % ESP_REPLAY_WORDS, so sliding the window clears whole
 * words and never shifts the bitmap.  The ring has one word more than
 * the widest window needs, so the words of a window never overlap.
 *
 * Processing follows §3.4.3: esp_replay_check() is the cheap pre-check
 * before the ICV, and changes nothing; esp_replay_update() runs only
 * after the ICV verified, checks again and records.  A forged packet
 * with a sequence number far ahead therefore never moves the window.
 */
#include <string.h>

#include "common/ir_err.h"
#include "esp/esp.h"

int
esp_replay_init(struct esp_replay *r, uint32_t size, bool esn)
{
	if (size < 32 || size > ESP_REPLAY_WINDOW_MAX)
		return IR_ERR_CONFIG;
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->esn = esn;
	return 0;
}

static size_t
esp_replay_word(uint64_t seq)
{
	return (size_t)((seq / 64) % ESP_REPLAY_WORDS);
}

static uint64_t
esp_replay_bit(uint64_t seq)
{
	return UINT64_C(1) << (seq % 64);
}

/*
 * The full 64-bit sequence number from the 32 low bits on the wire,
 * RFC 4303 Appendix A2.2, with Tl, Th the halves of top and W the window:
 *
 *   Case A, Tl >= W - 1 (the window lies within one 2^32 subspace):
 *	Seql >= Tl - W + 1:  Seqh = Th       (in or right of the window)
 *	otherwise:           Seqh = Th + 1   (the low bits wrapped ahead)
 *   Case B, Tl < W - 1 (the window spans two subspaces):
 *	Seql >= Tl - W + 1 (mod 2^32):  Seqh = Th - 1  (left part)
 *	otherwise:                      Seqh = Th
 *
 * The guess is authenticated by the ICV, which covers Seqh (§2.2.1,
 * RFC 4106 §5).  Without ESN, Seqh is 0.  Returns false when the guess
 * falls outside 1 .. 2^64 - 1, which can only be an old or bogus packet.
 */
static bool
esp_replay_infer(const struct esp_replay *r, uint32_t seq_lo, uint64_t *seq)
{
	uint32_t tl = (uint32_t)r->top, th = (uint32_t)(r->top >> 32);
	uint32_t bottom = tl - (r->size - 1);	/* mod 2^32 on purpose */

	if (!r->esn) {
		*seq = seq_lo;
		return seq_lo != 0;
	}
	if (tl >= r->size - 1) {
		if (seq_lo >= bottom)
			*seq = (uint64_t)th << 32 | seq_lo;
		else if (th == UINT32_MAX)
			return false;
		else
			*seq = (uint64_t)(th + 1) << 32 | seq_lo;
	} else {
		if (seq_lo >= bottom) {
			if (th == 0)
				return false;	/* left of sequence number 1 */
			*seq = (uint64_t)(th - 1) << 32 | seq_lo;
		} else
			*seq = (uint64_t)th << 32 | seq_lo;
	}
	return *seq != 0;
}

/* True when |seq| may be new: right of top, or in the window and unseen. */
static bool
esp_replay_fresh(const struct esp_replay *r, uint64_t seq)
{
	if (seq == 0)
		return false;
	if (seq > r->top)
		return true;
	if (r->top - seq >= r->size)
		return false;			/* left of the window */
	return (r->bits[esp_replay_word(seq)] & esp_replay_bit(seq)) == 0;
}

int
esp_replay_check(const struct esp_replay *r, uint32_t seq_lo, uint64_t *seq)
{
	if (!esp_replay_infer(r, seq_lo, seq) || !esp_replay_fresh(r, *seq))
		return IR_ERR_REPLAY;
	return 0;
}

int
esp_replay_update(struct esp_replay *r, uint64_t seq)
{
	uint64_t w, from, to;

	if (!esp_replay_fresh(r, seq))
		return IR_ERR_REPLAY;
	if (seq > r->top) {
		/*
		 * Slide: clear the words that the new top brings into the
		 * ring, all of them at most once when the jump is far.
		 */
		from = r->top / 64 + 1;
		to = seq / 64;
		if (to >= from && to - from >= ESP_REPLAY_WORDS - 1)
			memset(r->bits, 0, sizeof(r->bits));
		else
			for (w = from; w <= to; w++)
				r->bits[w % ESP_REPLAY_WORDS] = 0;
		r->top = seq;
	}
	r->bits[esp_replay_word(seq)] |= esp_replay_bit(seq);
	return 0;
}
