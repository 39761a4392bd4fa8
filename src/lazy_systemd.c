/*
 * src/lazy_systemd.c: sd_notify(3), the one libsystemd function ikeroam
 * calls (src/sdnotify.c), opening libsystemd at its first use
 * (src/lazylib.h).  libsystemd brings libgcrypt, liblzma, libzstd, liblz4,
 * libgpg-error and libcap with it: linked, they cost every start about
 * 2 ms of CPU here, though only a run under systemd's Type=notify speaks
 * to it, and src/sdnotify.c calls this only when $NOTIFY_SOCKET is set.
 */
#include <errno.h>

#include <systemd/sd-daemon.h>

#include "src/lazylib.h"

enum { F_NOTIFY, F_N };
static const char *const names[F_N] = { "sd_notify" };
static void *fn[F_N];
static struct lazylib lib = {
	SYSTEMD_SONAME, "telling systemd the service's state", names, F_N,
	fn, 0
};

int
sd_notify(int unset_environment, const char *state)
{
	if (lazylib_load(&lib) != 0)
		return -ENOSYS;
	return ((int (*)(int, const char *))fn[F_NOTIFY])(unset_environment,
	    state);
}
