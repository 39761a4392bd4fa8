/*
 * src/log.h: where ikeroam's lines go.  Errors are one line on stderr
 * prefixed "ikeroam: "; progress and state lines at info; protocol
 * detail at debug (-v), with a monotonic timestamp.  The engines reach
 * it through their |log| callbacks, which take the same levels.
 */
#ifndef IR_SRC_LOG_H
#define IR_SRC_LOG_H

#include "common/ir_log.h"

void	log_init(int max_level, int timestamps);

/* --json-log: every line from here on is one JSON object on stderr
 * (src/log_json.h), whatever the level. */
void	log_set_json(int on);

/* The run's last line: its error and documented exit status (a field of
 * its own with --json-log). */
void	log_result(int exit_status, const char *line);

/* The sink for struct ir_log and the engines' log callbacks. */
void	log_sink(void *ud, int level, const char *line);

void	log_msg(int level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(IR_LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(IR_LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(IR_LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(IR_LOG_DEBUG, __VA_ARGS__)

#endif
