/* tests/src/check_safefile.c: checked reads and atomic writes. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "tests/check_util.h"
#include "src/safefile.h"

#define NOBODY	65534

static char dir[] = "/tmp/ikeroam-safefile-XXXXXX";
static char err[1024];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	err[0] = '\0';
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)system(cmd);
}

static int
read_err(const char *path, unsigned flags)
{
	uint8_t *buf = NULL;
	size_t len;
	int rv;

	rv = safefile_read(path, flags, SAFEFILE_MAX, &buf, &len, err,
	    sizeof(err));
	ck_assert(rv != 0 || buf != NULL);
	safefile_free(buf, len);
	return rv;
}

START_TEST(read_good)
{
	const char *p = t_mkfile(dir, "ca.pem", "hello\n", 0644);
	uint8_t *buf;
	size_t len;
	int fd;

	ck_assert_int_eq(safefile_read(p, 0, SAFEFILE_MAX, &buf, &len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(len, 6);
	ck_assert_str_eq((char *)buf, "hello\n");
	safefile_free(buf, len);
	p = t_mkfile(dir, "work.psk", "secret", 0600);
	ck_assert_int_eq(safefile_open(p, SAFEFILE_SECRET, &fd, err,
	    sizeof(err)), 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	close(fd);
	/* A read-only file for the owner is fine too. */
	p = t_mkfile(dir, "ro.psk", "secret", 0400);
	ck_assert_int_eq(read_err(p, SAFEFILE_SECRET), 0);
}
END_TEST

START_TEST(read_modes)
{
	const char *p;
	char want[1024];

	p = t_mkfile(dir, "work.psk", "secret", 0644);
	ck_assert_int_eq(read_err(p, SAFEFILE_SECRET), IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is readable by others: chmod 600 %s",
	    p, p);
	ck_assert_str_eq(err, want);
	/* Not a secret: others may read it. */
	ck_assert_int_eq(read_err(p, 0), 0);

	p = t_mkfile(dir, "group.psk", "secret", 0640);
	ck_assert_int_eq(read_err(p, SAFEFILE_SECRET), IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is readable by its group: chmod 600 "
	    "%s", p, p);
	ck_assert_str_eq(err, want);

	p = t_mkfile(dir, "gw.pem", "x", 0664);
	ck_assert_int_eq(read_err(p, 0), IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is writable by its group: chmod g-w "
	    "%s", p, p);
	ck_assert_str_eq(err, want);

	p = t_mkfile(dir, "ow.pem", "x", 0646);
	ck_assert_int_eq(read_err(p, 0), IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is writable by others: chmod o-w %s",
	    p, p);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(read_not_regular)
{
	char p[300], want[1024];

	snprintf(p, sizeof(p), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	/* A FIFO must not block the open. */
	ck_assert_int_eq(read_err(p, 0), IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is not a regular file", p);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(read_err(dir, 0), IR_ERR_CONFIG);
	snprintf(p, sizeof(p), "%s/missing", dir);
	ck_assert_int_eq(read_err(p, 0), -ENOENT);
	snprintf(want, sizeof(want), "%s: %s", p, strerror(ENOENT));
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(read_symlinks)
{
	const char *target = t_mkfile(dir, "real.psk", "secret", 0600);
	char link[300], want[1024];

	snprintf(link, sizeof(link), "%s/link.psk", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	/* Our own link (root's, in a root test) leads to a checked file. */
	ck_assert_int_eq(read_err(link, SAFEFILE_SECRET), 0);
	ck_assert_int_eq(chmod(target, 0644), 0);
	ck_assert_int_eq(read_err(link, SAFEFILE_SECRET), IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is readable by others: chmod 600 %s",
	    link, link);
	ck_assert_str_eq(err, want);
	if (getuid() != 0)
		return;
	/* A link planted by someone else is refused, whatever it leads to. */
	ck_assert_int_eq(chmod(target, 0600), 0);
	ck_assert_int_eq(lchown(link, NOBODY, NOBODY), 0);
	ck_assert_int_eq(read_err(link, SAFEFILE_SECRET), IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is a symbolic link owned by uid %d, "
	    "not by root or the user running ikeroam: replace it with the "
	    "file it points to", link, NOBODY);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(read_owner)
{
	const char *p = t_mkfile(dir, "theirs.psk", "secret", 0600);
	char want[1024];
	int fd;

	if (getuid() != 0) {
		/* Without root, a root-owned file stands for "not ours". */
		ck_assert_int_eq(read_err("/etc/hostname", 0), 0);
		return;
	}
	ck_assert_int_ge(fd = open(p, O_RDONLY), 0);
	ck_assert_int_eq(fchown(fd, NOBODY, NOBODY), 0);
	close(fd);
	ck_assert_int_eq(read_err(p, SAFEFILE_SECRET), IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "%s is owned by uid %d, not by root or "
	    "the user running ikeroam: chown root %s", p, NOBODY, p);
	ck_assert_str_eq(err, want);
}
END_TEST

/*
 * --file-owner: that user's files pass the owner check (the mode checks
 * stay); nobody else's do, and without it hers do not either.
 */
START_TEST(read_file_owner)
{
	const char *p = t_mkfile(dir, "hers.psk", "secret", 0600);
	const char *q = t_mkfile(dir, "hers-open.psk", "secret", 0644);
	const char *r = t_mkfile(dir, "other.psk", "secret", 0600);

	if (getuid() != 0) {
		/* Without root nothing can be given away: ours pass. */
		safefile_allow_owner(NOBODY);
		ck_assert_int_eq(read_err(p, SAFEFILE_SECRET), 0);
		safefile_allow_owner((uid_t)-1);
		return;
	}
	ck_assert_int_eq(chown(p, NOBODY, NOBODY), 0);
	ck_assert_int_eq(chown(q, NOBODY, NOBODY), 0);
	ck_assert_int_eq(chown(r, NOBODY - 1, NOBODY - 1), 0);
	ck_assert_int_eq(read_err(p, SAFEFILE_SECRET), IR_ERR_CONFIG);
	safefile_allow_owner(NOBODY);
	ck_assert_int_eq(read_err(p, SAFEFILE_SECRET), 0);
	ck_assert_int_eq(read_err(q, SAFEFILE_SECRET), IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	ck_assert_int_eq(read_err(r, SAFEFILE_SECRET), IR_ERR_CONFIG);
	ck_assert_ptr_nonnull(strstr(err, "is owned by uid"));
	safefile_allow_owner((uid_t)-1);
	ck_assert_int_eq(read_err(p, SAFEFILE_SECRET), IR_ERR_CONFIG);
}
END_TEST

START_TEST(read_cap)
{
	const char *p = t_mkfile(dir, "big", "0123456789", 0644);
	uint8_t *buf;
	size_t len;
	char want[1024];

	ck_assert_int_eq(safefile_read(p, 0, 9, &buf, &len, err, sizeof(err)),
	    IR_ERR_CONFIG);
	ck_assert_ptr_null(buf);
	snprintf(want, sizeof(want), "%s is larger than 9 bytes", p);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(safefile_read(p, 0, 10, &buf, &len, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(len, 10);
	safefile_free(buf, len);
}
END_TEST

static int
count_entries(void)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

typedef int (*write_fn)(const char *, mode_t, const void *, size_t, char *,
    size_t);

/* Replaced whole, with the new mode, and no temporary file left: the
 * durable writer and the one without fsync alike. */
static void
check_replace(write_fn wr)
{
	char p[300];
	struct stat st;
	uint8_t *buf;
	size_t len;

	snprintf(p, sizeof(p), "%s/status.json", dir);
	ck_assert_int_eq(wr(p, 0644, "one\n", 4, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	ck_assert_int_eq(wr(p, 0600, "second\n", 7, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(safefile_read(p, SAFEFILE_SECRET, SAFEFILE_MAX, &buf,
	    &len, err, sizeof(err)), 0);
	ck_assert_str_eq((char *)buf, "second\n");
	safefile_free(buf, len);
	ck_assert_int_eq(count_entries(), 1);	/* no temporary file left */
}

START_TEST(write_atomic)
{
	check_replace(safefile_write);
}
END_TEST

START_TEST(write_atomic_nosync)
{
	check_replace(safefile_write_nosync);
}
END_TEST

START_TEST(write_symlink_planted)
{
	const char *victim = t_mkfile(dir, "victim", "precious\n", 0644);
	char p[300];
	struct stat st;
	uint8_t *buf;
	size_t len;

	snprintf(p, sizeof(p), "%s/status.json", dir);
	ck_assert_int_eq(symlink(victim, p), 0);
	ck_assert_int_eq(safefile_write(p, 0644, "new\n", 4, err, sizeof(err)),
	    0);
	/* The link was replaced; the file it pointed to is untouched. */
	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(safefile_read(victim, 0, SAFEFILE_MAX, &buf, &len,
	    err, sizeof(err)), 0);
	ck_assert_str_eq((char *)buf, "precious\n");
	safefile_free(buf, len);
}
END_TEST

START_TEST(write_dir_checked)
{
	char p[300], want[1024];

	snprintf(p, sizeof(p), "%s/status.json", dir);
	ck_assert_int_eq(chmod(dir, 0770), 0);
	ck_assert_int_eq(safefile_write(p, 0644, "x", 1, err, sizeof(err)),
	    IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "directory %s is writable by its group: "
	    "chmod go-w %s", dir, dir);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(chmod(dir, 0707), 0);
	ck_assert_int_eq(safefile_write(p, 0644, "x", 1, err, sizeof(err)),
	    IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "directory %s is writable by others: "
	    "chmod go-w %s", dir, dir);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(count_entries(), 0);
	/* Sticky, like /tmp: nobody may rename or remove our file. */
	ck_assert_int_eq(chmod(dir, 01777), 0);
	ck_assert_int_eq(safefile_write(p, 0644, "x", 1, err, sizeof(err)), 0);
	ck_assert_int_eq(safefile_check_dir(dir, err, sizeof(err)), 0);
	if (getuid() != 0)
		return;
	ck_assert_int_eq(chmod(dir, 0755), 0);
	ck_assert_int_eq(chown(dir, NOBODY, NOBODY), 0);
	ck_assert_int_eq(safefile_write(p, 0644, "x", 1, err, sizeof(err)),
	    IR_ERR_CONFIG);
	snprintf(want, sizeof(want), "directory %s is owned by uid %d, not by "
	    "root or the user running ikeroam: chown root %s", dir, NOBODY,
	    dir);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(write_bad_paths)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/", dir);
	ck_assert_int_eq(safefile_write(p, 0644, "x", 1, err, sizeof(err)),
	    -EISDIR);
	snprintf(p, sizeof(p), "%s/nodir/status.json", dir);
	ck_assert_int_eq(safefile_write(p, 0644, "x", 1, err, sizeof(err)),
	    -ENOENT);
}
END_TEST

Suite *
safefile_suite(void)
{
	Suite *s = suite_create("safefile");
	TCase *tc = tcase_create("safefile");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, read_good);
	tcase_add_test(tc, read_modes);
	tcase_add_test(tc, read_not_regular);
	tcase_add_test(tc, read_symlinks);
	tcase_add_test(tc, read_owner);
	tcase_add_test(tc, read_file_owner);
	tcase_add_test(tc, read_cap);
	tcase_add_test(tc, write_atomic);
	tcase_add_test(tc, write_atomic_nosync);
	tcase_add_test(tc, write_symlink_planted);
	tcase_add_test(tc, write_dir_checked);
	tcase_add_test(tc, write_bad_paths);
	suite_add_tcase(s, tc);
	return s;
}
