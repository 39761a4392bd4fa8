/*
 * tests/fuzz/fuzz_cert_bundle.c: ike_cert_bundle_parse() (the CertBundle
 * behind a CERT payload of encoding 13, RFC 7296 §3.6) on any bytes, in
 * an exactly sized heap copy so that ASan sees any read past it.  What
 * parses must be views inside the input, each one DER SEQUENCE, in
 * order and apart.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "ike/ike_pld.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CERTS_MAX	9

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_span certs[CERTS_MAX];
	const uint8_t *end, *last;
	const char *why = NULL;
	size_t n, ncrl, i;
	uint8_t *copy;

	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	end = copy + size;
	if (ike_cert_bundle_parse(copy, size, certs, CERTS_MAX, &n, &ncrl,
	    &why) == 0) {
		if (n == 0 || n > CERTS_MAX)
			abort();
		last = copy;
		for (i = 0; i < n; i++) {
			if (certs[i].p < last || certs[i].len < 2 ||
			    certs[i].len > (size_t)(end - certs[i].p) ||
			    certs[i].p[0] != 0x30)
				abort();
			last = certs[i].p + certs[i].len;
		}
	} else if (why == NULL)
		abort();		/* every refusal says why */
	free(copy);
	return 0;
}
