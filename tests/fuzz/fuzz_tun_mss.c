/*
 * tests/fuzz/fuzz_tun_mss.c: tun_clamp_mss() on any packet.  The first
 * two octets are the MSS to clamp to; the rest is the packet, an exactly
 * sized heap copy.  Whatever it does, it may only change the two MSS
 * octets and the two checksum octets, and only when it says so; a second
 * clamp to the same value must change nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tun/tun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *pkt;
	uint16_t mss;
	size_t len, i, changed = 0;
	int rv;

	if (size < 2)
		return 0;
	mss = (uint16_t)(data[0] << 8 | data[1]);
	len = size - 2;
	if ((pkt = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(pkt, data + 2, len);
	rv = tun_clamp_mss(pkt, len, mss);
	for (i = 0; i < len; i++)
		if (pkt[i] != data[2 + i])
			changed++;
	if (rv != 0 && rv != 1)
		abort();
	if ((rv == 0 && changed != 0) || changed > 4)
		abort();
	if (tun_clamp_mss(pkt, len, mss) != 0)
		abort();
	free(pkt);
	return 0;
}
