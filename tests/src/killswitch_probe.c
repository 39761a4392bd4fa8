/*
 * tests/src/killswitch_probe.c: killswitch_update_gateways() against the
 * kernel, for tests/interop/killswitch.sh (root, in its namespace).  The
 * lead's MOBIKE code calls it; nothing on the command line does.
 *
 *   killswitch_probe ADDRESS...
 *
 * Exit 0 when it did its job (also: nothing recorded, nothing done), 1
 * with the reason on stderr.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "src/killswitch.h"

int
main(int argc, char **argv)
{
	struct sockaddr_storage gw[KILLSWITCH_MAX_GW];
	char err[256];
	int i;

	if (argc < 2 || argc - 1 > KILLSWITCH_MAX_GW) {
		fprintf(stderr, "usage: killswitch_probe ADDRESS...\n");
		return 1;
	}
	memset(gw, 0, sizeof(gw));
	for (i = 1; i < argc; i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&gw[i - 1];
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&gw[i - 1];

		if (inet_pton(AF_INET, argv[i], &sin->sin_addr) == 1)
			sin->sin_family = AF_INET;
		else if (inet_pton(AF_INET6, argv[i], &sin6->sin6_addr) == 1)
			sin6->sin6_family = AF_INET6;
		else {
			fprintf(stderr, "killswitch_probe: '%s'?\n", argv[i]);
			return 1;
		}
	}
	if (killswitch_update_gateways(gw, (unsigned)argc - 1, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "killswitch_probe: %s\n", err);
		return 1;
	}
	return 0;
}
