/* common/ir_log.c: format a line into a fixed buffer and hand it on. */
#include <stdio.h>

#include "ir_log.h"

void
ir_vlogf(const struct ir_log *log, int level, const char *fmt, va_list ap)
{
	char line[512];

	if (log == NULL || log->fn == NULL || level > log->max_level)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	log->fn(log->ud, level, line);
}

void
ir_logf(const struct ir_log *log, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ir_vlogf(log, level, fmt, ap);
	va_end(ap);
}

const char *
ir_log_level_name(int level)
{
	static const char *const names[] = { "error", "warning", "info",
	    "debug" };

	if (level < 0 || level > IR_LOG_DEBUG)
		return "debug";
	return names[level];
}
