/* tests/check_util.c: arena, hex and vector-file helpers for tests. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/ir_mem.h"
#include "tests/check_util.h"

#define ARENA_SIZE	(8u << 20)

static uint8_t	arena[ARENA_SIZE];
static size_t	arena_used;

void *
t_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > ARENA_SIZE - arena_used)
		ck_abort_msg("test arena full (%zu + %zu)", arena_used, n);
	p = arena + arena_used;
	arena_used += n;
	memset(p, 0, n);
	return p;
}

struct tbuf
t_hex(const char *hex)
{
	struct tbuf b;
	size_t cap = strlen(hex) / 2 + 1;

	b.p = t_alloc(cap);
	if (ir_hex_decode(hex, b.p, cap, &b.len) != 0)
		ck_abort_msg("bad hex in test: %.40s", hex);
	return b;
}

static void
vec_path(const char *relpath, char *out, size_t cap)
{
	const char *top = getenv("top_srcdir");

	snprintf(out, cap, "%s/tests/vectors/%s", top ? top : ".", relpath);
}

int
t_vec_exists(const char *relpath)
{
	char path[1024];
	struct stat st;

	vec_path(relpath, path, sizeof(path));
	return stat(path, &st) == 0;
}

struct tbuf
t_vec_file(const char *relpath)
{
	char path[1024];
	struct tbuf b;
	FILE *f;
	long n;

	vec_path(relpath, path, sizeof(path));
	if ((f = fopen(path, "rb")) == NULL)
		ck_abort_msg("cannot open vector %s", path);
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		ck_abort_msg("cannot size vector %s", path);
	b.p = t_alloc((size_t)n + 1);
	b.len = fread(b.p, 1, (size_t)n, f);
	fclose(f);
	if (b.len != (size_t)n)
		ck_abort_msg("short read on vector %s", path);
	return b;
}

struct tbuf
t_vec_hex(const char *relpath)
{
	struct tbuf text = t_vec_file(relpath);

	text.p[text.len] = '\0';
	return t_hex((const char *)text.p);
}

const char *
t_vec_key_str(const char *dir, const char *name)
{
	char rel[512], *line, *save = NULL, *eq, *end;
	struct tbuf text;
	size_t nlen = strlen(name);

	snprintf(rel, sizeof(rel), "%s/keys.txt", dir);
	text = t_vec_file(rel);
	text.p[text.len] = '\0';
	for (line = strtok_r((char *)text.p, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || strncmp(line, name, nlen) != 0)
			continue;
		eq = line + nlen;
		while (*eq == ' ')
			eq++;
		if (*eq != '=')
			continue;
		eq++;
		while (*eq == ' ')
			eq++;
		end = eq + strlen(eq);
		while (end > eq && (end[-1] == ' ' || end[-1] == '\r'))
			*--end = '\0';
		return eq;
	}
	ck_abort_msg("%s: no key %s", rel, name);
	return NULL;
}

struct tbuf
t_vec_key(const char *dir, const char *name)
{
	return t_hex(t_vec_key_str(dir, name));
}

void
t_random(void *ud, uint8_t *buf, size_t len)
{
	static uint32_t counter;
	size_t i;

	(void)ud;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(0x5a ^ (counter++ * 167u));
}

const char *
t_mkfile(const char *dir, const char *name, const char *text, unsigned mode)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = t_alloc(n);
	FILE *f;

	snprintf(p, n, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(p, (mode_t)mode), 0);
	return p;
}
