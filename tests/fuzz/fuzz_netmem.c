/*
 * tests/fuzz/fuzz_netmem.c: the network memory file (src/netmem.c), which
 * anything running as the user could have written.  The input is the
 * file's text; the key looked up is "k", the one the seeds use.  Nothing
 * may crash, read out of bounds or leak, and the answer is a rung.
 */
#include <stdint.h>
#include <stdlib.h>

#include "src/fallback.h"
#include "src/netmem.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int xp;

	xp = netmem_rung_text((const char *)data, size, "k", 1001);
	if (xp != FB_UDP && xp != FB_TCP && xp != FB_TLS)
		abort();
	return 0;
}
