/* src/main.c: the ikeroam program (grows with the first-tunnel issue). */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("ikeroam %s\n", PACKAGE_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: ikeroam --version\n");
	return 2;
}
