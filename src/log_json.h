/*
 * src/log_json.h: one log line as one JSON object (--json-log), for
 * scripts and journald-like collectors:
 *   {"time":"2026-12-02T18:40:00.123Z","level":"error","pid":42,
 *    "message":"gateway 192.0.2.1 refused TCP 4500: ...","exit_status":5}
 * Pure (src/log_json.c); src/log.c writes the result.
 */
#ifndef IR_SRC_LOG_JSON_H
#define IR_SRC_LOG_JSON_H

#include <stddef.h>

/*
 * Format into |out| (NUL-terminated, no newline).  |msg| is escaped:
 * '"', '\', controls and every byte >= 0x80 (as \u00XX, so the object
 * is valid UTF-8 JSON whatever a peer put in the line).  |exit_status|
 * < 0: no such field.  A message too long for |out| is cut, the object
 * stays whole.  Returns the length written.
 */
size_t	log_json_format(char *out, size_t cap, const char *time,
	    const char *level, long pid, const char *msg, int exit_status);

#endif
