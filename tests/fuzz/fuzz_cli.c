/*
 * tests/fuzz/fuzz_cli.c: what users type.  The input is split at NUL
 * bytes into an argv for cli_parse(); every argument is also tried as an
 * identity (ident_parse) and as IKE and ESP proposals (ike_algs_parse).
 * Nothing may crash, read out of bounds or leak; errors must be one line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike/ike_algs.h"
#include "src/cli.h"
#include "src/ident.h"

#define MAX_ARGS	32

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 2], err[512];
	struct cli_opts o;
	struct ike_algs algs;
	struct ike_id id;
	size_t i, start = 0;
	int argc = 1;

	if (size > 4096)
		return 0;
	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = (char *)"ikeroam";
	for (i = 0; i <= size && argc <= MAX_ARGS; i++) {
		if (buf[i] != '\0')
			continue;
		argv[argc++] = buf + start;
		start = i + 1;
	}
	argv[argc] = NULL;
	for (i = 1; i < (size_t)argc; i++) {
		(void)ident_parse(argv[i], &id, err, sizeof(err));
		(void)ike_algs_parse(argv[i], false, &algs, err, sizeof(err));
		(void)ike_algs_parse(argv[i], true, &algs, err, sizeof(err));
	}
	if (cli_parse(argc, argv, &o, err, sizeof(err)) != 0 &&
	    strchr(err, '\n') != NULL)
		abort();	/* an error must stay one line */
	free(buf);
	return 0;
}
