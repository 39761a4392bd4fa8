/*
 * src/cmd_list.c: `ikeroam list`: the profiles in the configuration
 * directory (profile.h), one line each: name, gateway, transport.  A
 * profile that does not load is listed with what to run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/commands.h"
#include "src/exitcode.h"
#include "src/log.h"
#include "src/profile.h"

#define LIST_MAX	256

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
list_one(const char *dir, const char *file)
{
	struct profile *p = NULL;
	struct cli_opts o;
	char name[256], path[4096], err[1024];
	size_t n = strlen(file) - 5;

	snprintf(name, sizeof(name), "%.*s", (int)n, file);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (profile_load_named(path, &o, &p, err, sizeof(err)) != 0)
		printf("%-20s %-30s (broken: ikeroam check %s)\n", name, "-",
		    name);
	else
		printf("%-20s %-30s %s\n", name, o.gateway != NULL ?
		    o.gateway : "-", cli_transport_name(o.transport));
	profile_free(p);
}

int
cmd_list(int argc, char **argv)
{
	const char *dir = profile_confdir();
	char *names[LIST_MAX];
	struct dirent *e;
	size_t n = 0, i, len;
	DIR *d;

	(void)argv;
	if (argc > 1) {
		log_err("list: unexpected argument '%s'", argv[1]);
		return IR_EXIT_USAGE;
	}
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT) {
			printf("no profiles: %s does not exist\n", dir);
			return IR_EXIT_OK;
		}
		log_err("%s: %s", dir, strerror(errno));
		return IR_EXIT_FAILURE;
	}
	while ((e = readdir(d)) != NULL && n < LIST_MAX) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= 5 ||
		    strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if ((names[n] = strdup(e->d_name)) != NULL)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	if (n == 0)
		printf("no profiles in %s\n", dir);
	else
		printf("%-20s %-30s %s\n", "NAME", "GATEWAY", "TRANSPORT");
	for (i = 0; i < n; i++) {
		list_one(dir, names[i]);
		free(names[i]);
	}
	return IR_EXIT_OK;
}
