/*
 * tests/fuzz/fuzz_dn.c: distinguished names (crypto/crypto_dn.c).  The
 * first octet picks the path: even, the rest is the text a user writes
 * (crypto_dn_parse(), then its DER must match itself and print); odd,
 * the rest is DER from a peer, split in two at the second octet, both
 * halves printed, searched for wildcards and matched against each other
 * and themselves, in exactly sized heap copies so that ASan sees any
 * read past them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "crypto/crypto_dn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
peer_dn(const uint8_t *p, size_t len)
{
	char line[256];
	uint8_t *copy = malloc(len ? len : 1);

	if (copy == NULL)
		return;
	memcpy(copy, p, len);
	crypto_dn_text(copy, len, line, sizeof(line));
	(void)crypto_dn_has_wildcards(copy, len);
	if (crypto_dn_match(copy, len, copy, len, true) != 0 &&
	    crypto_dn_match(copy, len, copy, len, false) == 0)
		abort();	/* wildcards only ever widen a match */
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t der[1024];
	char *text, line[256];
	size_t len, cut;

	if (size < 2)
		return 0;
	if ((data[0] & 1) == 0) {
		if ((text = malloc(size)) == NULL)
			return 0;
		memcpy(text, data + 1, size - 1);
		text[size - 1] = '\0';
		if (crypto_dn_parse(text, der, sizeof(der), &len, line,
		    sizeof(line)) == 0) {
			/* What we encode we must read back, equal to itself. */
			if (crypto_dn_match(der, len, der, len, false) != 0)
				abort();
			crypto_dn_text(der, len, line, sizeof(line));
		}
		free(text);
		return 0;
	}
	cut = data[1] % (size - 1);
	peer_dn(data + 2, cut > size - 2 ? size - 2 : cut);
	peer_dn(data + 2, size - 2);
	(void)crypto_dn_match(data + 2, size - 2, data + 2,
	    cut > size - 2 ? size - 2 : cut, true);
	return 0;
}
