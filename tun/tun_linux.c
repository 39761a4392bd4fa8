/*
 * tun/tun_linux.c: the Linux TUN device (Documentation/networking/
 * tuntap.rst): open or adopt, MTU and link state, one packet per read
 * and write.
 *
 * IFF_TUN | IFF_NO_PI means every read() returns exactly one IP packet
 * with no 4-octet packet-information prefix, and every write() takes one;
 * the IP version is in the packet's first nibble.  The fd is non-blocking
 * because src/ owns it with a uv_poll_t and reads until -EAGAIN.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_tun.h>

#include "common/ir_err.h"
#include "tun/tun.h"

void
tun_dev_init(struct tun_dev *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

/* Copy |name| into an ifreq name field: IR_ERR_CONFIG when too long. */
static int
tun_copy_name(char *dst, const char *name)
{
	size_t n = strlen(name);

	if (n >= IFNAMSIZ)
		return IR_ERR_CONFIG;
	memcpy(dst, name, n + 1);
	return 0;
}

/*
 * TUNSETIFF on a fresh /dev/net/tun fd.  On an existing name the kernel
 * attaches to that device (allowed for its owner, or with CAP_NET_ADMIN);
 * otherwise it creates one.
 */
static int
tun_attach(struct tun_dev *t, const char *name, unsigned flags)
{
	struct ifreq ifr;
	int fd, rv;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (flags & TUN_DEV_MULTI_QUEUE)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	if (flags & TUN_DEV_VNET_HDR)
		ifr.ifr_flags |= IFF_VNET_HDR;
	if (name != NULL && name[0] != '\0' &&
	    (rv = tun_copy_name(ifr.ifr_name, name)) != 0)
		return rv;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		rv = -errno;
		close(fd);
		return rv;
	}
	/* The kernel fills in the name it chose for "tun%d". */
	memcpy(t->name, ifr.ifr_name, IFNAMSIZ);
	t->name[TUN_NAME_MAX - 1] = '\0';
	t->ifindex = if_nametoindex(t->name);
	if (t->ifindex == 0) {
		rv = -errno;
		close(fd);
		return rv;
	}
	t->fd = fd;
	return 0;
}

int
tun_dev_open(struct tun_dev *t, const char *name, unsigned flags)
{
	tun_dev_init(t);
	return tun_attach(t, name, flags);
}

int
tun_dev_adopt(struct tun_dev *t, const char *name)
{
	int rv;

	tun_dev_init(t);
	if (name == NULL || name[0] == '\0')
		return IR_ERR_CONFIG;
	/*
	 * Without this check TUNSETIFF would quietly create a new device
	 * when NetworkManager's has gone, and the addresses NM assigns
	 * would land elsewhere.
	 */
	if (strlen(name) >= IFNAMSIZ)
		return IR_ERR_CONFIG;
	if (if_nametoindex(name) == 0)
		return -ENODEV;
	rv = tun_attach(t, name, 0);
	if (rv == 0)
		t->adopted = true;
	return rv;
}

#ifndef TUN_F_USO4
#define TUN_F_USO4	0x20
#define TUN_F_USO6	0x40
#endif

unsigned
tun_dev_offload_flag(void)
{
	const char *e = getenv("IKEROAM_NO_OFFLOAD");

	return e == NULL || e[0] == '\0' || strcmp(e, "0") == 0 ?
	    TUN_DEV_VNET_HDR : 0;
}

int
tun_dev_offload(struct tun_dev *t, bool want)
{
	static const unsigned try[] = {
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
		TUN_F_CSUM | TUN_F_TSO4,
		TUN_F_CSUM,
	};
	struct ifreq ifr;
	int sz = 10;	/* struct virtio_net_hdr, tun/tun_gso.h */
	size_t i;

	t->vnet_hdr = false;
	t->offload = 0;
	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(t->fd, TUNGETIFF, &ifr) < 0)
		return -errno;
	if (!(ifr.ifr_flags & IFF_VNET_HDR))
		return 0;
	if (ioctl(t->fd, TUNSETVNETHDRSZ, &sz) < 0)
		return -errno;
	t->vnet_hdr = true;
	for (i = 0; want && i < sizeof(try) / sizeof(try[0]); i++)
		if (ioctl(t->fd, TUNSETOFFLOAD, (unsigned long)try[i]) == 0) {
			t->offload = try[i];
			return 0;
		}
	(void)ioctl(t->fd, TUNSETOFFLOAD, 0ul);
	return 0;
}

/* Interface ioctls go through any socket; an AF_INET datagram is usual. */
static int
tun_ifioctl(const struct tun_dev *t, unsigned long req, struct ifreq *ifr)
{
	int s, rv = 0;

	memset(ifr->ifr_name, 0, sizeof(ifr->ifr_name));
	memcpy(ifr->ifr_name, t->name, strnlen(t->name, IFNAMSIZ - 1));
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (ioctl(s, req, ifr) < 0)
		rv = -errno;
	close(s);
	return rv;
}

int
tun_dev_set_mtu(const struct tun_dev *t, uint32_t mtu)
{
	struct ifreq ifr;

	if (mtu > 65535)
		return -EINVAL;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = (int)mtu;
	return tun_ifioctl(t, SIOCSIFMTU, &ifr);
}

int
tun_dev_set_up(const struct tun_dev *t, bool up)
{
	struct ifreq ifr;
	int rv;

	memset(&ifr, 0, sizeof(ifr));
	if ((rv = tun_ifioctl(t, SIOCGIFFLAGS, &ifr)) != 0)
		return rv;
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	return tun_ifioctl(t, SIOCSIFFLAGS, &ifr);
}

int
tun_dev_read(const struct tun_dev *t, uint8_t *buf, size_t cap, size_t *len)
{
	ssize_t n;

	*len = 0;
	do
		n = read(t->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	*len = (size_t)n;
	return 0;
}

int
tun_dev_write(const struct tun_dev *t, const uint8_t *pkt, size_t len)
{
	ssize_t n;

	do
		n = write(t->fd, pkt, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	/* A TUN takes a packet whole or not at all. */
	return (size_t)n == len ? 0 : -EIO;
}

void
tun_dev_close(struct tun_dev *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}
