/*
 * tests/fuzz/fuzz_killswitch.c: the kill switch's state record
 * (/run/ikeroam/killswitch) and nft's counter listing.  A record that
 * parses must render into a ruleset and survive format -> parse
 * unchanged.  Nothing may crash or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/killswitch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char script[8192], text[4096];
	struct killswitch_conf ks, back;
	uint64_t n;
	char *z;

	if (size > 4096 || (z = malloc(size + 1)) == NULL)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';
	(void)killswitch_counter_parse(z, "dropped_out", &n);
	if (killswitch_record_parse(z, size, &ks) == 0) {
		if (killswitch_render(&ks, script, sizeof(script)) != 0 ||
		    killswitch_record_format(&ks, text, sizeof(text)) != 0 ||
		    killswitch_record_parse(text, strlen(text), &back) != 0 ||
		    strcmp(ks.gw_name, back.gw_name) != 0 ||
		    strcmp(ks.ifname, back.ifname) != 0 ||
		    ks.n_gw != back.n_gw || ks.allow_lan != back.allow_lan ||
		    ks.tls_port != back.tls_port)
			abort();
	}
	free(z);
	return 0;
}
