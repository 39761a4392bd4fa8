/*
 * src/safefile.h: files that ikeroam trusts, read and written so that
 * nobody else can slip theirs in.  ikeroam runs as root, through sudo
 * rules or for NetworkManager, so a file it reads must be one that only
 * root or the invoking user could have written, and a file it writes
 * must never land where someone else's symbolic link points.
 *
 * Reading: open(O_NOFOLLOW | O_CLOEXEC), then fstat(2) of that very
 * descriptor (never stat-then-open): a regular file, owned by root or by
 * getuid(), writable by nobody else; a secret also readable by nobody
 * else.  A symbolic link is followed only when root or getuid() owns the
 * link itself (/etc/ssl/certs is made of links), and the file it leads
 * to is checked as above.
 *
 * Writing: a new file made with openat(O_CREAT | O_EXCL | O_NOFOLLOW)
 * beside the target, in a directory owned by root or getuid() that
 * nobody else may write (or that is sticky, like /tmp), then fchmod,
 * write, fsync, rename(2) over the target and fsync of the directory: a
 * reader sees the old content or the new one, never a half, and a
 * crash leaves one or the other.
 *
 * Errors come back as 0 or a negative IR_ERR_* / -errno with one line
 * in |err| that names the file and says what to do, e.g.
 *   "/etc/ikeroam/work.psk is readable by others: chmod 600
 *    /etc/ikeroam/work.psk"
 */
#ifndef IR_SRC_SAFEFILE_H
#define IR_SRC_SAFEFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SAFEFILE_SECRET	0x01	/* no permission at all for group/others */
#define SAFEFILE_MAX	(1024 * 1024)	/* default cap of safefile_read */

/*
 * Open |path| for reading and check the opened file as above.  On 0,
 * *|fd| is the descriptor (O_CLOEXEC), the caller closes it.  Errors:
 * -ENOENT, -EACCES... (open), IR_ERR_CONFIG (not a regular file, wrong
 * owner or mode, a link owned by someone else); |err| says which.
 */
int	safefile_open(const char *path, unsigned flags, int *fd, char *err,
	    size_t err_len);

/*
 * The checks of safefile_open() on a descriptor already open (|path|
 * only names it in |err|).
 */
int	safefile_check_fd(int fd, const char *path, unsigned flags, char *err,
	    size_t err_len);

/*
 * The whole file, checked as by safefile_open(), in a new buffer of
 * *|len| bytes plus a NUL that *|len| does not count.  IR_ERR_CONFIG
 * when it holds more than |max| bytes.  Free with safefile_free() (it
 * wipes: the file may be a key).
 */
int	safefile_read(const char *path, unsigned flags, size_t max,
	    uint8_t **buf, size_t *len, char *err, size_t err_len);
void	safefile_free(uint8_t *buf, size_t len);

/*
 * Check that the directory |dir| may hold files ikeroam writes: owned by
 * root or getuid(), and not writable by group or others unless sticky.
 */
int	safefile_check_dir(const char *dir, char *err, size_t err_len);

/*
 * --file-owner: files and directories of |uid| pass the owner checks too
 * (root's and the caller's always do).  NetworkManager's service names
 * the connection's user, whose certificates live in her home.
 */
void	safefile_allow_owner(uid_t uid);
/* The same by name or numeric uid; IR_ERR_CONFIG and one line in |err|
 * when there is no such user. */
int	safefile_allow_user(const char *user, char *err, size_t err_len);

/* The same for the directory that holds (or would hold) the file |path|. */
int	safefile_check_parent(const char *path, char *err, size_t err_len);

/*
 * Replace |path| with |len| bytes of |data|, file mode |mode|, as
 * described above.  The directory must pass safefile_check_dir().
 */
int	safefile_write(const char *path, mode_t mode, const void *data,
	    size_t len, char *err, size_t err_len);

/*
 * The same without fsync(2), for records of the running state (the
 * network setup's undo record in /run, --status-file): what they
 * describe does not survive a reboot either, and the rename alone gives
 * what a killed ikeroam needs, the old record or the new, never half of
 * one.  Where /run is not a tmpfs, the two fsyncs cost the start-up
 * milliseconds before the tunnel was reported up.
 */
int	safefile_write_nosync(const char *path, mode_t mode, const void *data,
	    size_t len, char *err, size_t err_len);

#endif
