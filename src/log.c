/* src/log.c: one stderr sink for every layer. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "src/log.h"

/* Set once by main() before anything runs; read-only afterwards. */
static int log_max = IR_LOG_INFO;
static int log_stamps;
static struct timespec log_t0;

void
log_init(int max_level, int timestamps)
{
	log_max = max_level;
	log_stamps = timestamps;
	clock_gettime(CLOCK_MONOTONIC, &log_t0);
}

int
log_level(void)
{
	return log_max;
}

void
log_sink(void *ud, int level, const char *line)
{
	struct timespec now;
	double t;

	(void)ud;
	if (level > log_max)
		return;
	if (log_stamps) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		t = (double)(now.tv_sec - log_t0.tv_sec) +
		    (double)(now.tv_nsec - log_t0.tv_nsec) / 1e9;
		fprintf(stderr, "[%8.3f] %s: %s\n", t,
		    ir_log_level_name(level), line);
	} else if (level <= IR_LOG_WARN) {
		fprintf(stderr, "ikeroam: %s%s\n",
		    level == IR_LOG_WARN ? "warning: " : "", line);
	} else {
		fprintf(stderr, "%s\n", line);
	}
}

void
log_msg(int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_sink(NULL, level, line);
}
