/* common/ir_err.c: names and texts for the codes of ir_err.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ir_err.h"

const char *
ir_strerror(int code)
{
	switch (code) {
	case 0:
		return "success";
#define X(name, num, text, fatal) case num: return text;
	IR_ERR_MAP(X)
#undef X
	default:
		break;
	}
	if (code < 0 && code > -4096)
		return strerror(-code);
	return "unknown error";
}

const char *
ir_errname(int code)
{
	switch (code) {
#define X(name, num, text, fatal) case num: return #name;
	IR_ERR_MAP(X)
#undef X
	default:
		return code == 0 ? "OK" : "errno";
	}
}

bool
ir_err_is_fatal(int code)
{
	switch (code) {
#define X(name, num, text, fatal) case num: return fatal;
	IR_ERR_MAP(X)
#undef X
	default:
		return false;
	}
}

int
ir_err_line(char *err, size_t err_len, int code, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	for (p = err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return code;
}
