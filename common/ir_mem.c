/* common/ir_mem.c: engine allocation, wiping and small parsers. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ir_err.h"
#include "ir_mem.h"

/* Test-only failure injection; never touched unless a test asks. */
static long fail_countdown = -1;

void
ir_mem_fail_after(long n)
{
	fail_countdown = n;
}

static bool
ir_mem_should_fail(void)
{
	if (fail_countdown < 0)
		return false;
	if (fail_countdown == 0) {
		fail_countdown = -1;
		return true;
	}
	fail_countdown--;
	return false;
}

void *
ir_malloc(size_t n)
{
	if (ir_mem_should_fail())
		return NULL;
	return malloc(n == 0 ? 1 : n);
}

void *
ir_calloc(size_t n, size_t size)
{
	if (ir_mem_should_fail())
		return NULL;
	return calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
}

void
ir_free(void *p)
{
	free(p);
}

void
ir_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n-- > 0)
		*v++ = 0;
}

int
ir_memeq_ct(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= x[i] ^ y[i];
	return acc != 0;
}

int
ir_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s == '\0' || !isdigit((unsigned char)*s))
		return IR_ERR_CONFIG;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return IR_ERR_CONFIG;
	*out = (uint32_t)v;
	return 0;
}

static int
hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
ir_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *hex != '\0'; hex++) {
		if (isspace((unsigned char)*hex))
			continue;
		if ((v = hex_nibble(*hex)) < 0)
			return IR_ERR_MALFORMED;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return IR_ERR_NOBUF;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		return IR_ERR_MALFORMED;
	*len = n;
	return 0;
}

void
ir_hex_encode(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}
