/* src/child_esp.c: a Child SA's keys into two ESP SA configurations. */
#include <string.h>

#include "src/child_esp.h"

void
child_esp_confs(const struct ike_child *ch, esp_random_fn random,
    struct esp_sa_conf *in, struct esp_sa_conf *out)
{
	memset(in, 0, sizeof(*in));
	in->spi = ch->spi_in;
	in->esn = ch->esn;
	in->encr = ch->encr;
	in->key_bits = ch->encr_key_bits;
	in->integ = ch->integ;
	in->encr_key = ch->encr_key_in;
	in->encr_key_len = ch->encr_key_len;
	in->integ_key = ch->integ_key_in;
	in->integ_key_len = ch->integ_key_len;
	*out = *in;
	out->spi = ch->spi_out;
	out->outbound = true;
	out->encr_key = ch->encr_key_out;
	out->integ_key = ch->integ_key_out;
	out->random = random;
}
