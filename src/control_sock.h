/*
 * src/control_sock.h: the control socket's file, made by root before
 * the split (src/main.c) because the network part, an unprivileged
 * user, cannot create or remove files in the root-owned /run/ikeroam.
 *
 *   /run/ikeroam/NAME.sock for `ikeroam connect NAME`, or the path of
 *   --control-socket (NetworkManager: /run/ikeroam/nm-UUID/control.sock
 *   in a 0700 directory it made).  Mode 0660 and the group of the
 *   profile's control-group, or 0600 without one.
 *
 * A socket left by a dead ikeroam (connect(2) is refused) is replaced;
 * a live one means the connection runs already.  The listening
 * descriptor is inherited by the network part (src/control.c serves
 * it); the privileged part removes the file at the very end, and only
 * if it is still the one it made.
 */
#ifndef IR_SRC_CONTROL_SOCK_H
#define IR_SRC_CONTROL_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CONTROL_RUNDIR		"/run/ikeroam"
#define CONTROL_PATH_MAX	108	/* sun_path */

struct control_sock {
	int		 fd;		/* listening; -1: none */
	char		 path[CONTROL_PATH_MAX];
	dev_t		 dev;		/* the file we made */
	ino_t		 ino;
	bool		 group_set;
	gid_t		 group;
};

/* CONTROL_RUNDIR/NAME.sock into |out|: 0, or IR_ERR_CONFIG (too long). */
int	control_sock_path(const char *name, char *out, size_t cap);

/*
 * Make and listen on |path| (|group|: a group name, or NULL).  0;
 * IR_ERR_BUSY when a live ikeroam answers there (|err| says so); another
 * negative code with one line in |err|.
 */
int	control_sock_listen(struct control_sock *cs, const char *path,
	    const char *group, char *err, size_t err_len);

/* Close our descriptor (if any) and remove the file if it is ours. */
void	control_sock_close(struct control_sock *cs);
void	control_sock_unlink(struct control_sock *cs);

/*
 * The client's side: connect to |path| (blocking, close-on-exec).
 * A descriptor, or a negative -errno.
 */
int	control_sock_connect(const char *path);

#endif
