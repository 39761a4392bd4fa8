/* src/log_json.c: a log line as one JSON object (log_json.h). */
#include <stdio.h>
#include <string.h>

#include "src/log_json.h"

/* Room kept for the closing fields: ',"exit_status":-2147483648}'. */
#define TAIL_MAX	32

/* One byte of |msg|, escaped, if it fits in |room|: its length or 0. */
static size_t
escape_byte(unsigned char ch, char *out, size_t room)
{
	char buf[8];
	size_t n;

	if (ch == '"' || ch == '\\')
		n = (size_t)snprintf(buf, sizeof(buf), "\\%c", ch);
	else if (ch < 0x20 || ch >= 0x7f)
		n = (size_t)snprintf(buf, sizeof(buf), "\\u%04x", ch);
	else {
		buf[0] = (char)ch;
		n = 1;
	}
	if (n > room)
		return 0;
	memcpy(out, buf, n);
	return n;
}

size_t
log_json_format(char *out, size_t cap, const char *time, const char *level,
    long pid, const char *msg, int exit_status)
{
	size_t len, n;
	int w;

	if (cap < 128) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	w = snprintf(out, cap, "{\"time\":\"%s\",\"level\":\"%s\",\"pid\":%ld,"
	    "\"message\":\"", time, level, pid);
	if (w < 0 || (size_t)w >= cap - TAIL_MAX)
		return out[0] = '\0', 0;
	len = (size_t)w;
	for (; *msg != '\0'; msg++) {
		n = escape_byte((unsigned char)*msg, out + len,
		    cap - TAIL_MAX - len);
		if (n == 0)
			break;		/* cut: the object stays whole */
		len += n;
	}
	if (exit_status >= 0)
		w = snprintf(out + len, cap - len, "\",\"exit_status\":%d}",
		    exit_status);
	else
		w = snprintf(out + len, cap - len, "\"}");
	return len + (size_t)w;
}
