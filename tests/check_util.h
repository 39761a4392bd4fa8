/*
 * tests/check_util.h: helpers shared by every test binary.  Memory comes
 * from a static arena, so tests need not free what they read (each test
 * runs in its own forked process, which starts with an empty arena).
 */
#ifndef CHECK_UTIL_H
#define CHECK_UTIL_H

#include <stddef.h>
#include <stdint.h>

struct tbuf {
	uint8_t	*p;
	size_t	 len;
};

/* |n| zeroed bytes from the arena; aborts the test when it is full. */
void		*t_alloc(size_t n);

/* Hex (whitespace ignored) to bytes; aborts the test on bad hex. */
struct tbuf	 t_hex(const char *hex);

/* The raw bytes of tests/vectors/<relpath>. */
struct tbuf	 t_vec_file(const char *relpath);

/* The hex file tests/vectors/<relpath>, decoded. */
struct tbuf	 t_vec_hex(const char *relpath);

/* True when tests/vectors/<relpath> exists. */
int		 t_vec_exists(const char *relpath);

/*
 * The value of |name| in tests/vectors/<dir>/keys.txt, decoded as hex
 * (an empty value gives len 0); aborts when the name is missing.
 */
struct tbuf	 t_vec_key(const char *dir, const char *name);

/* The same value as text (for non-hex entries such as ike_transforms). */
const char	*t_vec_key_str(const char *dir, const char *name);

/*
 * The file |dir|/|name| written with |text| and then chmod |mode|; its
 * path, from the arena.  Aborts the test on any failure.
 */
const char	*t_mkfile(const char *dir, const char *name, const char *text,
		    unsigned mode);

/* A deterministic random callback: a counter-based byte stream. */
void		 t_random(void *ud, uint8_t *buf, size_t len);

#endif
