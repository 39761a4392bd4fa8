/*
 * tests/src/netwatch_probe.c: src/netwatch.c against a real kernel, for
 * tests/interop/netwatch-test.sh (root, in a namespace it creates).
 *
 *   netwatch_probe GATEWAY [MAX_SECONDS]
 *
 * Prints one line per event on stdout, with the wall clock in ms (the
 * script compares it with its own EPOCHREALTIME):
 *   start <path>
 *   changed t=MS | now: <path> | before: <path>
 *   query t=MS <path>
 * and reads commands, one per line, on stdin:
 *   exclude IFNAME | gw ADDRESS | query | quit
 * It exits after MAX_SECONDS (default 60) whatever happens, and at the
 * end of stdin.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uv.h>

#include "common/ir_err.h"
#include "common/ir_log.h"
#include "src/log.h"
#include "src/netwatch.h"

static struct netwatch *nw;
static uv_pipe_t in;
static uv_timer_t limit;
static char line[256];
static size_t line_len;
static bool quitting;

static long long
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
parse_addr(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		return 0;
	}
	return -1;
}

static void
on_changed(void *ud, const struct net_path *now, const struct net_path *before)
{
	char a[96], b[96];

	(void)ud;
	printf("changed t=%lld | now: %s | before: %s\n", wall_ms(),
	    net_path_str(now, a, sizeof(a)), net_path_str(before, b,
	    sizeof(b)));
	fflush(stdout);
}

static void
quit(void)
{
	if (quitting)
		return;
	quitting = true;
	netwatch_close(nw, NULL, NULL);
	uv_close((uv_handle_t *)&in, NULL);
	uv_close((uv_handle_t *)&limit, NULL);
}

static void
command(char *cmd)
{
	struct sockaddr_storage ss;
	struct net_path p;
	char s[96];
	int rv;

	if (strncmp(cmd, "exclude ", 8) == 0) {
		netwatch_exclude_ifindex(nw, if_nametoindex(cmd + 8));
		printf("excluded %s %u\n", cmd + 8, if_nametoindex(cmd + 8));
	} else if (strncmp(cmd, "gw ", 3) == 0) {
		if (parse_addr(cmd + 3, &ss) != 0 ||
		    netwatch_set_gateway(nw, (struct sockaddr *)&ss) != 0)
			printf("error bad address %s\n", cmd + 3);
		else
			printf("gateway %s\n", cmd + 3);
	} else if (strcmp(cmd, "query") == 0) {
		rv = netwatch_query(nw, &p);
		if (rv != 0)
			printf("query t=%lld error %d\n", wall_ms(), rv);
		else
			printf("query t=%lld %s\n", wall_ms(),
			    net_path_str(&p, s, sizeof(s)));
	} else if (strcmp(cmd, "quit") == 0)
		quit();
	else if (cmd[0] != '\0')
		printf("error unknown command %s\n", cmd);
	fflush(stdout);
}

static void
on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	static char raw[512];

	(void)h;
	(void)hint;
	*buf = uv_buf_init(raw, sizeof(raw));
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	ssize_t i;

	(void)s;
	if (n < 0) {
		quit();
		return;
	}
	for (i = 0; i < n && !quitting; i++) {
		if (buf->base[i] == '\n') {
			line[line_len] = '\0';
			command(line);
			line_len = 0;
		} else if (line_len + 1 < sizeof(line))
			line[line_len++] = buf->base[i];
	}
}

static void
on_limit(uv_timer_t *t)
{
	(void)t;
	printf("error time limit reached\n");
	fflush(stdout);
	quit();
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	uv_loop_t *loop = uv_default_loop();
	char s[96];
	long secs = 60;
	int rv;

	if (argc < 2 || parse_addr(argv[1], &ss) != 0) {
		fprintf(stderr, "usage: netwatch_probe GATEWAY [MAX_SECONDS]\n");
		return 2;
	}
	if (argc > 2)
		secs = strtol(argv[2], NULL, 10);
	if (secs < 1 || secs > 600)
		secs = 60;
	log_init(getenv("NETWATCH_DEBUG") ? IR_LOG_DEBUG : IR_LOG_INFO, 1);
	if ((rv = netwatch_new(&nw, loop, (struct sockaddr *)&ss, on_changed,
	    NULL)) != 0) {
		fprintf(stderr, "netwatch_new: %s\n", ir_strerror(rv));
		return 1;
	}
	printf("start %s\n", net_path_str(netwatch_last(nw), s, sizeof(s)));
	fflush(stdout);
	uv_pipe_init(loop, &in, 0);
	if (uv_pipe_open(&in, 0) != 0 ||
	    uv_read_start((uv_stream_t *)&in, on_alloc, on_read) != 0) {
		fprintf(stderr, "netwatch_probe: stdin must be a pipe\n");
		return 1;
	}
	uv_timer_init(loop, &limit);
	uv_timer_start(&limit, on_limit, (uint64_t)secs * 1000, 0);
	uv_run(loop, UV_RUN_DEFAULT);
	uv_loop_close(loop);
	return 0;
}
