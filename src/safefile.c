/* src/safefile.c: checked reads and atomic writes (see safefile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/safefile.h"

static int	say(char *err, size_t err_len, int rv, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));

static int
say(char *err, size_t err_len, int rv, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && err_len > 0) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return rv;
}

static int
say_errno(char *err, size_t err_len, const char *path, int e)
{
	return say(err, err_len, -e, "%s: %s", path, strerror(e));
}

/* --file-owner: one more user whose files are accepted (-1: none). */
static uid_t also_owner = (uid_t)-1;

void
safefile_allow_owner(uid_t uid)
{
	also_owner = uid;
}

int
safefile_allow_user(const char *user, char *err, size_t err_len)
{
	const struct passwd *pw;
	char *end;
	unsigned long v;

	if ((pw = getpwnam(user)) != NULL) {
		safefile_allow_owner(pw->pw_uid);
		return 0;
	}
	errno = 0;
	v = strtoul(user, &end, 10);
	if (user[0] >= '0' && user[0] <= '9' && *end == '\0' && errno == 0 &&
	    v < (unsigned long)(uid_t)-1) {
		safefile_allow_owner((uid_t)v);
		return 0;
	}
	return say(err, err_len, IR_ERR_CONFIG, "--file-owner: no user '%s' "
	    "on this system: give a user name or a numeric uid", user);
}

static int
owner_ok(uid_t uid)
{
	return uid == 0 || uid == getuid() ||
	    (also_owner != (uid_t)-1 && uid == also_owner);
}

static int
owner_fail(const char *what, const char *path, uid_t uid, char *err,
    size_t err_len)
{
	return say(err, err_len, IR_ERR_CONFIG, "%s%s is owned by uid %u, not "
	    "by root or the user running ikeroam: chown root %s", what, path,
	    (unsigned)uid, path);
}

int
safefile_check_fd(int fd, const char *path, unsigned flags, char *err,
    size_t err_len)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return say_errno(err, err_len, path, errno);
	if (!S_ISREG(st.st_mode))
		return say(err, err_len, IR_ERR_CONFIG, "%s is not a regular "
		    "file", path);
	if (!owner_ok(st.st_uid))
		return owner_fail("", path, st.st_uid, err, err_len);
	if ((st.st_mode & S_IWOTH) != 0)
		return say(err, err_len, IR_ERR_CONFIG, "%s is writable by "
		    "others: chmod o-w %s", path, path);
	if ((st.st_mode & S_IWGRP) != 0)
		return say(err, err_len, IR_ERR_CONFIG, "%s is writable by its "
		    "group: chmod g-w %s", path, path);
	if ((flags & SAFEFILE_SECRET) == 0)
		return 0;
	if ((st.st_mode & S_IRWXO) != 0)
		return say(err, err_len, IR_ERR_CONFIG, "%s is readable by "
		    "others: chmod 600 %s", path, path);
	if ((st.st_mode & S_IRWXG) != 0)
		return say(err, err_len, IR_ERR_CONFIG, "%s is readable by its "
		    "group: chmod 600 %s", path, path);
	return 0;
}

/*
 * The final name is a symbolic link.  Only root or the user may have put
 * it there (whoever owns a link decides where it leads); the file at its
 * end is then checked like any other.
 */
static int
open_link(const char *path, int *fd, char *err, size_t err_len)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return say_errno(err, err_len, path, errno);
	if (!S_ISLNK(st.st_mode))	/* replaced meanwhile: say so */
		return say_errno(err, err_len, path, ELOOP);
	if (!owner_ok(st.st_uid))
		return say(err, err_len, IR_ERR_CONFIG, "%s is a symbolic link "
		    "owned by uid %u, not by root or the user running ikeroam: "
		    "replace it with the file it points to", path,
		    (unsigned)st.st_uid);
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) < 0)
		return say_errno(err, err_len, path, errno);
	return 0;
}

int
safefile_open(const char *path, unsigned flags, int *fd, char *err,
    size_t err_len)
{
	int rv;

	*fd = -1;
	/* O_NONBLOCK: a FIFO planted in place of the file must not hang us
	 * before fstat tells what it is; regular files ignore the flag. */
	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);
	if (*fd < 0 && errno == ELOOP) {
		if ((rv = open_link(path, fd, err, err_len)) != 0)
			return rv;
	} else if (*fd < 0)
		return say_errno(err, err_len, path, errno);
	if ((rv = safefile_check_fd(*fd, path, flags, err, err_len)) != 0) {
		close(*fd);
		*fd = -1;
	}
	return rv;
}

void
safefile_free(uint8_t *buf, size_t len)
{
	if (buf == NULL)
		return;
	ir_wipe(buf, len + 1);
	ir_free(buf);
}

int
safefile_read(const char *path, unsigned flags, size_t max, uint8_t **buf,
    size_t *len, char *err, size_t err_len)
{
	struct stat st;
	size_t cap, n = 0;
	ssize_t r;
	uint8_t *p;
	int fd, rv;

	*buf = NULL;
	*len = 0;
	if ((rv = safefile_open(path, flags, &fd, err, err_len)) != 0)
		return rv;
	if (fstat(fd, &st) != 0) {
		rv = say_errno(err, err_len, path, errno);
		close(fd);
		return rv;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > max) {
		close(fd);
		return say(err, err_len, IR_ERR_CONFIG, "%s is larger than %zu "
		    "bytes", path, max);
	}
	/* One spare byte tells a file that grew from one that did not. */
	cap = (size_t)st.st_size + 1;
	if ((p = ir_malloc(cap + 1)) == NULL) {
		close(fd);
		return say(err, err_len, IR_ERR_NOMEM, "%s: out of memory",
		    path);
	}
	while (n < cap) {
		r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rv = say_errno(err, err_len, path, errno);
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (rv == 0 && n == cap)
		rv = say(err, err_len, IR_ERR_CONFIG, "%s changed while it was "
		    "read", path);
	if (rv != 0) {
		safefile_free(p, cap);
		return rv;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

/* The directory of |path| ("." for a bare name) and the name in it. */
static int
split_path(const char *path, char *dir, size_t dir_len, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		snprintf(dir, dir_len, ".");
		*base = path;
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= dir_len)
			return -ENAMETOOLONG;
		memcpy(dir, path, n);
		dir[n] = '\0';
		*base = slash + 1;
	}
	if (**base == '\0' || strcmp(*base, ".") == 0 ||
	    strcmp(*base, "..") == 0)
		return -EISDIR;
	return 0;
}

/* Open |dir| and check it may hold our files; the descriptor in *|dfd|. */
static int
open_dir(const char *dir, int *dfd, char *err, size_t err_len)
{
	struct stat st;
	int rv = 0;

	if ((*dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return say_errno(err, err_len, dir, errno);
	if (fstat(*dfd, &st) != 0)
		rv = say_errno(err, err_len, dir, errno);
	else if (!owner_ok(st.st_uid))
		rv = owner_fail("directory ", dir, st.st_uid, err, err_len);
	/* A sticky directory (/tmp) lets nobody rename or remove our
	 * files; any other shared one would. */
	else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
	    (st.st_mode & S_ISVTX) == 0)
		rv = say(err, err_len, IR_ERR_CONFIG, "directory %s is "
		    "writable by %s: chmod go-w %s", dir,
		    (st.st_mode & S_IWOTH) != 0 ? "others" : "its group", dir);
	if (rv != 0) {
		close(*dfd);
		*dfd = -1;
	}
	return rv;
}

int
safefile_check_dir(const char *dir, char *err, size_t err_len)
{
	int dfd, rv;

	if ((rv = open_dir(dir, &dfd, err, err_len)) == 0)
		close(dfd);
	return rv;
}

int
safefile_check_parent(const char *path, char *err, size_t err_len)
{
	char dir[PATH_MAX];
	const char *base;
	int rv;

	if ((rv = split_path(path, dir, sizeof(dir), &base)) != 0)
		return say(err, err_len, rv, "%s: %s", path, strerror(-rv));
	return safefile_check_dir(dir, err, err_len);
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t r;

	while (len > 0) {
		r = write(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

/* A new file ".NAME.XXXXXXXX" in |dfd|, created by us and nobody else. */
static int
create_temp(int dfd, const char *base, char *tmp, size_t tmp_len, int *fd)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t rnd[4];
	char sfx[9];
	int tries, i;

	if (strlen(base) + 11 > NAME_MAX)
		return -ENAMETOOLONG;
	for (tries = 0; tries < 64; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
			return -EIO;
		for (i = 0; i < 4; i++) {
			sfx[2 * i] = hex[rnd[i] >> 4];
			sfx[2 * i + 1] = hex[rnd[i] & 15];
		}
		sfx[8] = '\0';
		snprintf(tmp, tmp_len, ".%s.%s", base, sfx);
		*fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (*fd >= 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static int
write_replace(const char *path, mode_t mode, const void *data, size_t len,
    bool durable, char *err, size_t err_len)
{
	char dir[PATH_MAX], tmp[NAME_MAX + 1];
	const char *base;
	int dfd, fd, rv;

	if ((rv = split_path(path, dir, sizeof(dir), &base)) != 0)
		return say(err, err_len, rv, "%s: %s", path, strerror(-rv));
	if ((rv = open_dir(dir, &dfd, err, err_len)) != 0)
		return rv;
	if ((rv = create_temp(dfd, base, tmp, sizeof(tmp), &fd)) != 0) {
		close(dfd);
		return say(err, err_len, rv, "%s: cannot create a file beside "
		    "it: %s", path, strerror(-rv));
	}
	if (fchmod(fd, mode) != 0 || (rv = write_all(fd, data, len)) != 0 ||
	    (durable && fsync(fd) != 0))
		rv = rv != 0 ? rv : -errno;
	if (close(fd) != 0 && rv == 0)
		rv = -errno;
	if (rv == 0 && renameat(dfd, tmp, dfd, base) != 0)
		rv = -errno;
	if (rv != 0) {
		(void)unlinkat(dfd, tmp, 0);
		close(dfd);
		return say(err, err_len, rv, "%s: %s", path, strerror(-rv));
	}
	/* The rename itself is durable once the directory is. */
	if (durable)
		(void)fsync(dfd);
	close(dfd);
	return 0;
}

int
safefile_write(const char *path, mode_t mode, const void *data, size_t len,
    char *err, size_t err_len)
{
	return write_replace(path, mode, data, len, true, err, err_len);
}

int
safefile_write_nosync(const char *path, mode_t mode, const void *data,
    size_t len, char *err, size_t err_len)
{
	return write_replace(path, mode, data, len, false, err, err_len);
}
