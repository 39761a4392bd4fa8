/*
 * src/revcache.c: the files of the revocation cache (see revcache.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "src/revcache.h"
#include "src/safefile.h"

int
revcache_key(const void *p, size_t len, uint8_t key[REVCACHE_KEY_LEN])
{
	struct crypto_iov iov = { p, len };

	return crypto_sha1(&iov, 1, key);
}

bool
revcache_path(const char *dir, int kind, const uint8_t key[REVCACHE_KEY_LEN],
    char *out, size_t cap)
{
	char hex[2 * REVCACHE_KEY_LEN + 1];
	size_t i;
	int n;

	if (dir == NULL || dir[0] == '\0' ||
	    (kind != REVCACHE_OCSP && kind != REVCACHE_CRL))
		return false;
	for (i = 0; i < REVCACHE_KEY_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	n = snprintf(out, cap, "%s/%s%s", dir, hex, kind == REVCACHE_OCSP ?
	    ".ocsp" : ".crl");
	return n > 0 && (size_t)n < cap;
}

int
revcache_open(const char *dir, int kind, const uint8_t key[REVCACHE_KEY_LEN],
    int *fd, char *err, size_t err_len)
{
	char path[4096];

	*fd = -1;
	if (!revcache_path(dir, kind, key, path, sizeof(path))) {
		snprintf(err, err_len, "revocation cache: no usable directory");
		return -ENOENT;
	}
	return safefile_open(path, 0, fd, err, err_len);
}

int
revcache_read_fd(int fd, size_t max, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *b;
	size_t got = 0;
	ssize_t n;

	*buf = NULL;
	*len = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > max) {
		close(fd);
		return IR_ERR_MALFORMED;
	}
	if ((b = ir_malloc((size_t)st.st_size)) == NULL) {
		close(fd);
		return IR_ERR_NOMEM;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, b + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		ir_free(b);
		return IR_ERR_MALFORMED;
	}
	*buf = b;
	*len = got;
	return 0;
}

int
revcache_store(const char *dir, int kind, const uint8_t key[REVCACHE_KEY_LEN],
    const uint8_t *p, size_t len, char *err, size_t err_len)
{
	char path[4096];

	if (!revcache_der_ok(p, len) || len > REVCACHE_FILE_MAX) {
		snprintf(err, err_len, "revocation cache: not an answer to "
		    "keep");
		return IR_ERR_MALFORMED;
	}
	if (!revcache_path(dir, kind, key, path, sizeof(path))) {
		snprintf(err, err_len, "revocation cache: no usable directory");
		return -ENOENT;
	}
	/* Only root's cache is shared; a missing one is made 0700. */
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		int e = errno;

		snprintf(err, err_len, "revocation cache %s: %s", dir,
		    strerror(e));
		return -e;
	}
	return safefile_write(path, 0644, p, len, err, err_len);
}
