/*
 * src/control_sock.c: the control socket's file (src/control_sock.h).
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "src/control_sock.h"
#include "src/safefile.h"

int
control_sock_path(const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, CONTROL_RUNDIR "/%s.sock", name);

	return n < 0 || (size_t)n >= cap ? IR_ERR_CONFIG : 0;
}

static int
addr_of(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, strlen(path));
	return 0;
}

int
control_sock_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd, rv;

	if ((rv = addr_of(path, &sa)) != 0)
		return rv;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		rv = -errno;
		close(fd);
		return rv;
	}
	return fd;
}

/* /run/ikeroam: made 0755 by root, and checked like every directory
 * ikeroam writes in (src/safefile.h). */
static int
rundir(char *err, size_t err_len)
{
	struct stat st;

	if (mkdir(CONTROL_RUNDIR, 0755) != 0 && errno != EEXIST)
		return ir_err_line(err, err_len, -errno, "cannot create %s: "
		    "%s (run as root)", CONTROL_RUNDIR, strerror(errno));
	if (lstat(CONTROL_RUNDIR, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != 0)
		return ir_err_line(err, err_len, IR_ERR_CONFIG, "%s is not a "
		    "directory owned by root: remove it", CONTROL_RUNDIR);
	return safefile_check_dir(CONTROL_RUNDIR, err, err_len);
}

/* Whatever is at |path| must go, if it is a socket nobody answers on. */
static int
clear_stale(const char *path, char *err, size_t err_len)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : ir_err_line(err, err_len, -errno,
		    "%s: %s", path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return ir_err_line(err, err_len, IR_ERR_CONFIG, "%s exists and "
		    "is not a socket: remove it or choose another "
		    "--control-socket", path);
	if ((fd = control_sock_connect(path)) >= 0) {
		close(fd);
		return ir_err_line(err, err_len, -EADDRINUSE, "this "
		    "connection is already running (control socket %s): "
		    "ikeroam status, or ikeroam disconnect first", path);
	}
	if (fd != -ECONNREFUSED)
		return ir_err_line(err, err_len, fd, "%s: %s", path,
		    strerror(-fd));
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return ir_err_line(err, err_len, IR_ERR_CONFIG, "%s is a "
		    "stale socket of uid %u: remove it", path,
		    (unsigned)st.st_uid);
	if (unlink(path) != 0 && errno != ENOENT)
		return ir_err_line(err, err_len, -errno, "cannot remove the "
		    "stale %s: %s", path, strerror(errno));
	return 0;
}

int
control_sock_listen(struct control_sock *cs, const char *path,
    const char *group, char *err, size_t err_len)
{
	struct sockaddr_un sa;
	struct group *gr;
	struct stat st;
	mode_t old;
	int fd, rv;

	memset(cs, 0, sizeof(*cs));
	cs->fd = -1;
	if (group != NULL) {
		if ((gr = getgrnam(group)) == NULL)
			return ir_err_line(err, err_len, IR_ERR_CONFIG,
			    "control-group \"%s\": no such group: create it "
			    "(addgroup --system %s) or remove the key", group,
			    group);
		cs->group_set = true;
		cs->group = gr->gr_gid;
	}
	if ((rv = addr_of(path, &sa)) != 0 ||
	    snprintf(cs->path, sizeof(cs->path), "%s", path) >=
	    (int)sizeof(cs->path))
		return ir_err_line(err, err_len, -ENAMETOOLONG, "control "
		    "socket %s: the path is too long (at most 107 octets)",
		    path);
	if (strncmp(path, CONTROL_RUNDIR "/", sizeof(CONTROL_RUNDIR)) == 0 &&
	    (rv = rundir(err, err_len)) != 0)
		return rv;
	if ((rv = safefile_check_parent(path, err, err_len)) != 0 ||
	    (rv = clear_stale(path, err, err_len)) != 0)
		return rv;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return ir_err_line(err, err_len, -errno, "control socket: %s",
		    strerror(errno));
	old = umask(0177);		/* 0600 from the start */
	rv = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rv != 0) {
		rv = -errno;
		close(fd);
		return ir_err_line(err, err_len, rv, "control socket %s: %s",
		    path, strerror(-rv));
	}
	if (stat(path, &st) == 0) {
		cs->dev = st.st_dev;
		cs->ino = st.st_ino;
	}
	cs->fd = fd;
	if (cs->group_set && (chown(path, 0, cs->group) != 0 ||
	    chmod(path, 0660) != 0)) {
		rv = -errno;
		control_sock_close(cs);
		control_sock_unlink(cs);
		return ir_err_line(err, err_len, rv, "control socket %s: "
		    "cannot give it to group %s: %s", path, group,
		    strerror(-rv));
	}
	if (listen(fd, 16) != 0) {
		rv = -errno;
		control_sock_close(cs);
		control_sock_unlink(cs);
		return ir_err_line(err, err_len, rv, "control socket %s: %s",
		    path, strerror(-rv));
	}
	return 0;
}

void
control_sock_close(struct control_sock *cs)
{
	if (cs->fd >= 0)
		close(cs->fd);
	cs->fd = -1;
}

void
control_sock_unlink(struct control_sock *cs)
{
	struct stat st;

	if (cs->path[0] == '\0' || cs->ino == 0)
		return;
	if (lstat(cs->path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_dev == cs->dev && st.st_ino == cs->ino)
		(void)unlink(cs->path);
	cs->ino = 0;
}
