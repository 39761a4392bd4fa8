/* src/perm_check.c: can this process run a tunnel? (perm_check.h) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cap-ng.h>

#include "src/exitcode.h"
#include "src/perm_check.h"

#define TUN_DEV	"/dev/net/tun"

int
perm_check_connect(bool own_tun, char *err, size_t err_len)
{
	int fd, e;

	capng_get_caps_process();
	if (!own_tun && capng_have_capability(CAPNG_PERMITTED,
	    CAP_NET_ADMIN) == 0) {
		snprintf(err, err_len, "permission denied: a tunnel needs root "
		    "or CAP_NET_ADMIN (the TUN device, addresses, routes); run "
		    "ikeroam with sudo");
		return IR_EXIT_PERMISSION;
	}
	if ((fd = open(TUN_DEV, O_RDWR | O_CLOEXEC)) >= 0) {
		close(fd);
		return 0;
	}
	e = errno;
	if (e == ENOENT || e == ENODEV || e == ENXIO) {
		snprintf(err, err_len, "cannot open " TUN_DEV ": %s: load the "
		    "tun module (modprobe tun), or give this container the "
		    "device", strerror(e));
		return IR_EXIT_NETWORK_SETUP;
	}
	snprintf(err, err_len, "permission denied: cannot open " TUN_DEV
	    ": %s; run ikeroam as root (a systemd unit needs "
	    "DeviceAllow=" TUN_DEV " rw)", strerror(e));
	return IR_EXIT_PERMISSION;
}
