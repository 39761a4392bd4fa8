/*
 * src/perm_check.h: before anything else, can this process run a
 * tunnel?  A user without root gets one line and exit status 10 at once,
 * not a failure after the gateway has been contacted.
 */
#ifndef IR_SRC_PERM_CHECK_H
#define IR_SRC_PERM_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * CAP_NET_ADMIN (root, or the capability given to the program) unless
 * |own_tun| (--interface: a TUN device made for us beforehand), and
 * /dev/net/tun opens read-write.  0, or the exit status with one line
 * in |err|: IR_EXIT_PERMISSION, or IR_EXIT_NETWORK_SETUP when the
 * kernel has no TUN device at all.
 */
int	perm_check_connect(bool own_tun, char *err, size_t err_len);

#endif
