/*
 * src/xport_bind.c: pin a transport's socket to the path src/netwatch.c
 * found.  SO_BINDTODEVICE makes the kernel look routes up through that
 * interface only, so IKE and ESP never enter our own TUN (a full tunnel
 * routes everything there) and never follow a host route pinned to an
 * uplink that is gone; binding the source address makes the gateway see
 * the address the new network gave us (RFC 4555 §3.5 reads it from the
 * IP header).
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "src/xport.h"

int
xport_bind_fd(int fd, const struct xport_bind *b)
{
	socklen_t len;

	if (b == NULL)
		return 0;
	if (b->ifname[0] != '\0' && setsockopt(fd, SOL_SOCKET,
	    SO_BINDTODEVICE, b->ifname, (socklen_t)strnlen(b->ifname,
	    sizeof(b->ifname))) != 0)
		return -errno;
	if (b->src.ss_family == AF_UNSPEC)
		return 0;
	len = b->src.ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
	if (bind(fd, (const struct sockaddr *)&b->src, len) != 0)
		return -errno;
	return 0;
}
