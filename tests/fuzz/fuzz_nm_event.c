/*
 * tests/fuzz/fuzz_nm_event.c: one line from ikeroam's control socket as
 * the NetworkManager service reads it: JSON, then a "config" event into
 * NetworkManager's dicts (nm/service/nm_ikeroam_event.c).  Nothing may
 * crash, read out of bounds or leak; a success gives a Config dict.
 */
#include <stdint.h>
#include <stdlib.h>

#include "nm/service/nm_ikeroam_event.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok;
	struct json_object *ev;
	struct nm_ikeroam_config cfg;
	char err[256];

	if (size > 65536 || (tok = json_tokener_new_ex(16)) == NULL)
		return 0;
	ev = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (ev == NULL)
		return 0;
	if (json_object_is_type(ev, json_type_object) &&
	    nm_ikeroam_config_from_json(ev, &cfg, err, sizeof(err)) == 0) {
		if (cfg.config == NULL)
			abort();
		nm_ikeroam_config_clear(&cfg);
	}
	json_object_put(ev);
	return 0;
}
