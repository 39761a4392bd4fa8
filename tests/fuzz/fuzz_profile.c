/*
 * tests/fuzz/fuzz_profile.c: a profile (src/profile.c), written by
 * whoever may write /etc/ikeroam or passed by NetworkManager.  The first
 * byte chooses whether inline secrets are allowed and whether a base
 * directory resolves relative paths; the rest is the profile's text,
 * which is then also tried as a --secrets-fd object.  Nothing may crash,
 * read out of bounds or leak, an error is one printable line, and what
 * the profile applied passes or fails cli_finish() like any command line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/profile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one_line(const char *err)
{
	const char *c;

	for (c = err; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p;
	struct cli_opts o;
	char err[1024];
	size_t i;
	int rv;

	if (size < 1 || profile_new(&p) != 0)
		return 0;
	cli_defaults(&o);
	o.command = CLI_CMD_CONNECT;
	err[0] = '\0';
	rv = profile_apply_text(p, "/etc/ikeroam/fuzz.json",
	    (data[0] & 2) != 0 ? "/etc/ikeroam" : NULL,
	    (const char *)data + 1, size - 1,
	    (data[0] & 1) != 0 ? "chmod 600 /etc/ikeroam/fuzz.json" : NULL,
	    &o, err, sizeof(err));
	one_line(err);
	if (rv == 0) {
		/* Every setting the profile made is readable. */
		for (i = 0; i < profile_n_settings(p); i++)
			if (strlen(profile_setting(p, i)->key) == 0)
				abort();
		(void)cli_finish(&o, err, sizeof(err));
		one_line(err);
	}
	(void)profile_apply_secrets(p, "--secrets-fd 3",
	    (const char *)data + 1, size - 1, &o, err, sizeof(err));
	one_line(err);
	profile_free(p);
	return 0;
}
