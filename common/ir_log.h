/*
 * common/ir_log.h: the log sink type shared by the engines.  Engines
 * format a line and hand it to a sink owned by src/; they never print.
 * Secrets are never logged, at any level.
 */
#ifndef IR_LOG_H
#define IR_LOG_H

#include <stdarg.h>

enum ir_log_level {
	IR_LOG_ERR = 0,		/* the one user-facing line */
	IR_LOG_WARN = 1,
	IR_LOG_INFO = 2,	/* state changes, progress */
	IR_LOG_DEBUG = 3,	/* parse failures with numbers, per exchange */
};

typedef void (*ir_log_fn)(void *ud, int level, const char *line);

struct ir_log {
	ir_log_fn	 fn;		/* NULL: discard */
	void		*ud;
	int		 max_level;	/* lines above this level are not formatted */
};

/* Format and emit one line; cheap when |level| is filtered out. */
void	ir_logf(const struct ir_log *log, int level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	ir_vlogf(const struct ir_log *log, int level, const char *fmt,
	    va_list ap) __attribute__((format(printf, 3, 0)));

const char	*ir_log_level_name(int level);

#endif
