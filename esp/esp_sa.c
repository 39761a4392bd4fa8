/*
 * esp/esp_sa.c: one ESP security association for one direction
 * (RFC 4301 §4.4.2 SAD entry, as far as a userspace client needs it):
 * SPI, the keyed transform, the sequence number counter or anti-replay
 * window, lifetime limits and the counters of everything dropped.
 *
 * This file allocates (once per SA); esp_crypt.c does the per-packet
 * work and allocates nothing.
 */
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "common/wire.h"
#include "esp/esp_int.h"

/*
 * Without ESN the counter must never cycle (RFC 4303 §3.3.3), so the SA
 * runs out after 2^32 - 1 packets.  Ask for a rekey when 1/16 of that
 * space is left, long before the hard end, whatever the configured soft
 * limits say.
 */
#define ESP_SEQ_SOFT_MARGIN	(UINT64_C(1) << 28)

static int
esp_sa_check_conf(const struct esp_sa_conf *conf)
{
	uint32_t w = conf->replay_window;

	if (conf->spi == 0)
		return IR_ERR_CONFIG;
	if (!conf->outbound && w != 0 &&
	    (w < 32 || w > ESP_REPLAY_WINDOW_MAX))
		return IR_ERR_CONFIG;
	if (conf->outbound && conf->random == NULL &&
	    !crypto_encr_is_aead(conf->encr))
		return IR_ERR_CONFIG;
	return 0;
}

int
esp_sa_new(struct esp_sa **out, const struct esp_sa_conf *conf)
{
	struct esp_sa *sa;
	int rv;

	*out = NULL;
	if ((rv = esp_sa_check_conf(conf)) != 0)
		return rv;
	if ((sa = ir_calloc(1, sizeof(*sa))) == NULL)
		return IR_ERR_NOMEM;
	rv = crypto_xform_new(&sa->xf, conf->encr, conf->key_bits, conf->integ,
	    conf->encr_key, conf->encr_key_len, conf->integ_key,
	    conf->integ_key_len);
	if (rv != 0) {
		ir_free(sa);
		return rv;
	}
	sa->spi = conf->spi;
	sa->outbound = conf->outbound;
	sa->esn = conf->esn;
	sa->aead = crypto_xform_is_aead(sa->xf);
	sa->iv_len = crypto_xform_iv_len(sa->xf);
	sa->icv_len = crypto_xform_icv_len(sa->xf);
	sa->align = IR_MAX((size_t)4, crypto_xform_block_len(sa->xf));
	sa->iv_mask = conf->iv_mask;
	sa->random = conf->random;
	sa->random_ud = conf->random_ud;
	sa->soft = conf->soft;
	sa->hard = conf->hard;
	/* Our own invariants on what crypto/ reports (ESP_HEADROOM etc.). */
	if (sa->iv_len > CRYPTO_IV_MAX || sa->icv_len > CRYPTO_ICV_MAX ||
	    sa->align > 16 || (sa->align & (sa->align - 1)) != 0) {
		esp_sa_free(sa);
		return IR_ERR_INTERNAL;
	}
	rv = esp_replay_init(&sa->replay, conf->replay_window != 0 ?
	    conf->replay_window : ESP_REPLAY_WINDOW, conf->esn);
	if (rv != 0) {
		esp_sa_free(sa);
		return rv;
	}
	*out = sa;
	return 0;
}

void
esp_sa_free(struct esp_sa *sa)
{
	if (sa == NULL)
		return;
	crypto_xform_free(sa->xf);	/* wipes the keys */
	ir_wipe(sa, sizeof(*sa));	/* and the IV mask with them */
	ir_free(sa);
}

uint32_t
esp_sa_spi(const struct esp_sa *sa)
{
	return sa->spi;
}

void
esp_sa_get_stats(const struct esp_sa *sa, struct esp_sa_stats *out)
{
	*out = sa->st;
}

/* True when |lim| has a limit that |st| has reached. */
static bool
esp_limit_reached(const struct esp_limit *lim, const struct esp_sa_stats *st)
{
	return (lim->packets != 0 && st->packets >= lim->packets) ||
	    (lim->bytes != 0 && st->bytes >= lim->bytes);
}

enum esp_life
esp_sa_lifetime(const struct esp_sa *sa)
{
	uint64_t seq = sa->outbound ? sa->seq_out : sa->replay.top;
	uint64_t max = esp_seq_max(sa);

	if (seq >= max || esp_limit_reached(&sa->hard, &sa->st))
		return ESP_LIFE_HARD;
	if ((!sa->esn && seq >= max - ESP_SEQ_SOFT_MARGIN) ||
	    esp_limit_reached(&sa->soft, &sa->st))
		return ESP_LIFE_SOFT;
	return ESP_LIFE_OK;
}

int
esp_pkt_spi(const uint8_t *p, size_t len, uint32_t *spi)
{
	struct wire_rd r;

	wire_rd_init(&r, p, len);
	if (len < ESP_HDR_LEN || !wire_rd_u32(&r, spi))
		return IR_ERR_MALFORMED;
	return 0;
}
