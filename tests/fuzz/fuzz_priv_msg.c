/*
 * tests/fuzz/fuzz_priv_msg.c: the privileged part's request validator
 * (src/priv_msg.c), which reads what a compromised network part could
 * send, and the reply parser.  Nothing may crash or read out of bounds;
 * a request it accepts must encode back to the same octets.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/priv_msg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t	out[PRIV_MSG_MAX];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct priv_req rq;
	struct priv_reply rp;
	size_t len;

	if (priv_req_parse(data, size, &rq) == 0) {
		if (priv_req_build(&rq, out, sizeof(out), &len) != 0 ||
		    len != size || memcmp(out, data, size) != 0)
			abort();
	}
	(void)priv_reply_parse(data, size, &rp);
	return 0;
}
