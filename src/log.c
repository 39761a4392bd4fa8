/* src/log.c: one stderr sink for every layer. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "src/log.h"
#include "src/log_json.h"

/* Set once by main() before anything runs; read-only afterwards. */
static int log_max = IR_LOG_INFO;
static int log_stamps;
static int log_json;
static struct timespec log_t0;

void
log_init(int max_level, int timestamps)
{
	log_max = max_level;
	log_stamps = timestamps;
	clock_gettime(CLOCK_MONOTONIC, &log_t0);
}

void
log_set_json(int on)
{
	log_json = on;
}

static void
log_json_line(int level, const char *line, int exit_status)
{
	static const char *names[] = { "error", "warning", "info", "debug" };
	char stamp[96], out[1536];
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000);
	log_json_format(out, sizeof(out), stamp, names[level < 0 ? 0 :
	    level > 3 ? 3 : level], (long)getpid(), line, exit_status);
	fprintf(stderr, "%s\n", out);
}

/*
 * One line per message, always: control characters (from a peer's ID, a
 * file name, a gateway's notify text) become '?', so nothing can forge
 * another log line or move the terminal's cursor.
 */
static void
log_clean(const char *in, char *out, size_t cap)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < cap; i++)
		out[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7f ? '?' :
		    in[i];
	out[i] = '\0';
}

void
log_sink(void *ud, int level, const char *raw)
{
	struct timespec now;
	char line[1024];
	double t;

	(void)ud;
	if (level > log_max)
		return;
	if (log_json) {
		log_json_line(level, raw, -1);	/* escaped there */
		return;
	}
	log_clean(raw, line, sizeof(line));
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

void
log_result(int exit_status, const char *line)
{
	if (log_json)
		log_json_line(IR_LOG_ERR, line, exit_status);
	else
		log_sink(NULL, IR_LOG_ERR, line);
}
