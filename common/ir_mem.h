/*
 * common/ir_mem.h: allocation for the engines, with a failure-injection
 * hook for tests (nghttp2's failmalloc idea), and the small numeric and
 * hex helpers that every layer needs.
 */
#ifndef IR_MEM_H
#define IR_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Engine allocations go through these.  ir_mem_fail_after(n) makes the
 * n-th following allocation fail (n = 0: the next one); -1 disables
 * injection.  The counter is per process: tests run in forked children.
 */
void	*ir_malloc(size_t n);
void	*ir_calloc(size_t n, size_t size);
void	 ir_free(void *p);
void	 ir_mem_fail_after(long n);

/* Wipe |n| bytes so the compiler cannot drop the store. */
void	 ir_wipe(void *p, size_t n);

/* Constant-time comparison: 0 when equal. */
int	 ir_memeq_ct(const void *a, const void *b, size_t n);

/*
 * Parse a decimal number from a user (CLI, profile) in [min, max], in
 * the spirit of strtonum: 0 or IR_ERR_CONFIG.
 */
int	 ir_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/*
 * Decode hex (whitespace ignored) into |out|: 0, IR_ERR_MALFORMED for a
 * stray character or odd count, IR_ERR_NOBUF when it does not fit.
 */
int	 ir_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len);

/* Encode |n| bytes as lowercase hex into |out| (2n+1 bytes, NUL-ended). */
void	 ir_hex_encode(const uint8_t *p, size_t n, char *out);

#define IR_ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define IR_MIN(a, b)	((a) < (b) ? (a) : (b))
#define IR_MAX(a, b)	((a) > (b) ? (a) : (b))

#endif
