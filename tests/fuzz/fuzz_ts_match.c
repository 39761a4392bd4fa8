/*
 * tests/fuzz/fuzz_ts_match.c: the packet side of the traffic selector
 * check (src/ts_match.c) on any packet.  The first 36 octets are two
 * selectors (one IPv4, one IPv6, with their ports and protocol); the
 * rest is the packet, in an exactly sized heap copy so that ASan sees
 * any read past it.  A parsed packet always matches selectors that
 * cover everything of its family.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "src/ts_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_ts ts[2], all[2];
	struct ts_fields f;
	uint8_t *copy;

	if (size < 36)
		return 0;
	memset(ts, 0, sizeof(ts));
	ts[0].type = 7;
	memcpy(ts[0].start, data, 4);
	memcpy(ts[0].end, data + 4, 4);
	ts[0].proto = data[8];
	ts[0].port_lo = (uint16_t)(data[9] << 8 | data[10]);
	ts[0].port_hi = (uint16_t)(data[11] << 8 | data[12]);
	ts[1].type = 8;
	memcpy(ts[1].start, data + 13, 8);
	memcpy(ts[1].end, data + 21, 8);
	ts[1].proto = data[29];
	ts[1].port_lo = (uint16_t)(data[30] << 8 | data[31]);
	ts[1].port_hi = (uint16_t)(data[32] << 8 | data[33]);
	memset(all, 0, sizeof(all));
	all[0].type = 7;
	memset(all[0].end, 0xff, 4);
	all[0].port_hi = 0xffff;
	all[1].type = 8;
	memset(all[1].end, 0xff, 16);
	all[1].port_hi = 0xffff;
	data += 36;
	size -= 36;
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (ts_fields_parse(copy, size, &f) == 0) {
		(void)ts_fields_match(&f, ts, 2, ts, 2);
		if (!ts_fields_match(&f, all, 2, all, 2))
			abort();
	}
	free(copy);
	return 0;
}
