/*
 * tests/fuzz/fuzz_import.c: one importer of `ikeroam import` on
 * arbitrary bytes (FUZZ_IMPORT names it: import_sswan or
 * import_mobileconfig), then the checks of what it produced.  Built
 * twice by Makefile.am; seeds in tests/fuzz/corpus/import_<format>/.
 */
#include <stddef.h>
#include <stdint.h>

#include "src/import.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import im;
	char err[256];

	import_init(&im);
	if (FUZZ_IMPORT(data, size, &im) == 0 && im.profile != NULL)
		(void)import_validate(im.profile, err, sizeof(err));
	import_clear(&im);
	return 0;
}
