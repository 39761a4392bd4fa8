/*
 * tests/fuzz/fuzz_nm_import.c: an ikeroam profile imported into a
 * NetworkManager connection (nm/shared/nm_ikeroam_import.c), a file
 * from anywhere.  Nothing may crash, read out of bounds or leak; what
 * imports must export, and the export must import again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nm/shared/nm_ikeroam.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nm_ikeroam_import im, again;
	char err[256], *out;

	if (nm_ikeroam_import((const char *)data, size, &im, err,
	    sizeof(err)) != 0)
		return 0;
	if (nm_ikeroam_export(im.data, im.ndata, im.name, &out, err,
	    sizeof(err)) != 0)
		abort();
	if (nm_ikeroam_import(out, strlen(out), &again, err,
	    sizeof(err)) != 0)
		abort();
	nm_ikeroam_import_clear(&again);
	nm_ikeroam_import_clear(&im);
	free(out);
	return 0;
}
