/*
 * tests/tun/tun_probe.c: drives the tun/ API for real, for the root-only
 * tests/tun/tun-netns.sh, which runs it inside a fresh network namespace
 * prepared with a veth "uplink" (198.51.100.2/24, default via
 * 198.51.100.1) and checks what it prints.
 *
 *   tun_probe NAME
 *
 * Creates TUN NAME, sets MTU 1400 and brings it up, reads the network
 * identity, pins a host route to the VPN gateway 203.0.113.10, adds
 * 192.0.2.77/24, 2001:db8:77::77/64, a route to 203.0.113.0/24 and the
 * default halves, prints "ip addr" and "ip route", then undoes it all
 * and prints them again.  Addresses are RFC 5737 / RFC 3849 ones.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/ir_err.h"
#include "tun/tun.h"

static struct tun_nl nl;	/* 32 KB of receive buffer: not on the stack */

static struct tun_ip
ip(const char *text)
{
	struct tun_ip a;

	memset(&a, 0, sizeof(a));
	a.family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(a.family, text, a.addr) != 1)
		abort();
	return a;
}

static void
check(int rv, const char *what)
{
	if (rv != 0) {
		fprintf(stderr, "tun_probe: %s: %s\n", what, ir_strerror(rv));
		exit(1);
	}
}

static void
show(const char *title, const char *dev)
{
	char cmd[128];

	printf("== %s ==\n", title);
	fflush(stdout);
	snprintf(cmd, sizeof(cmd),
	    "ip link show dev %s; ip addr show dev %s; ip route; ip -6 route",
	    dev, dev);
	if (system(cmd) != 0)
		printf("(ip failed)\n");
	fflush(stdout);
}

static void
print_netid(void)
{
	struct tun_netid id;
	char gw[INET6_ADDRSTRLEN];
	size_t i;

	check(tun_netid_get(&nl, AF_INET, &id), "tun_netid_get");
	inet_ntop(id.gw.family, id.gw.addr, gw, sizeof(gw));
	printf("netid gw=%s dev=%s mac=", gw, id.ifname);
	for (i = 0; i < id.mac_len; i++)
		printf("%s%02x", i ? ":" : "", id.mac[i]);
	printf("\n");
}

static void
print_lookup(const char *dst)
{
	struct tun_ip a = ip(dst);
	struct tun_route r;
	char gw[INET6_ADDRSTRLEN] = "-";

	check(tun_route_lookup(&nl, &a, &r), "tun_route_lookup");
	if (r.gw.family != 0)
		inet_ntop(r.gw.family, r.gw.addr, gw, sizeof(gw));
	printf("lookup %s ifindex=%u via=%s\n", dst, (unsigned)r.ifindex, gw);
}

int
main(int argc, char **argv)
{
	struct tun_prefix a4 = { ip("192.0.2.77"), 24 };
	struct tun_prefix a6 = { ip("2001:db8:77::77"), 64 };
	struct tun_ip vpngw = ip("203.0.113.10");
	struct tun_route net;
	struct tun_dev t;

	if (argc != 2) {
		fprintf(stderr, "usage: tun_probe NAME\n");
		return 2;
	}
	tun_dev_init(&t);
	tun_nl_init(&nl);
	check(tun_dev_open(&t, argv[1], 0), "tun_dev_open");
	printf("tun %s ifindex=%u\n", t.name, (unsigned)t.ifindex);
	check(tun_dev_set_mtu(&t, 1400), "tun_dev_set_mtu");
	check(tun_dev_set_up(&t, true), "tun_dev_set_up");
	check(tun_nl_open(&nl), "tun_nl_open");
	print_netid();

	/* The gateway's host route first, while the default still leads out. */
	check(tun_route_add_gateway(&nl, &vpngw), "tun_route_add_gateway");
	check(tun_addr_add(&nl, t.ifindex, &a4), "tun_addr_add v4");
	check(tun_addr_add(&nl, t.ifindex, &a6), "tun_addr_add v6");
	memset(&net, 0, sizeof(net));
	net.dst.ip = ip("203.0.113.0");
	net.dst.len = 24;
	net.ifindex = t.ifindex;
	check(tun_route_add(&nl, &net), "tun_route_add");
	/* Added twice: EEXIST, and not recorded a second time. */
	if (tun_route_add(&nl, &net) != -EEXIST)
		check(IR_ERR_INTERNAL, "duplicate route not refused");
	check(tun_route_add_default(&nl, t.ifindex, AF_INET), "default v4");
	check(tun_route_add_default(&nl, t.ifindex, AF_INET6), "default v6");
	printf("recorded %zu\n", nl.n_undo);
	print_lookup("203.0.113.5");
	print_lookup("203.0.113.10");
	show("configured", t.name);

	check(tun_nl_undo(&nl), "tun_nl_undo");
	printf("recorded %zu\n", nl.n_undo);
	print_lookup("203.0.113.10");
	show("undone", t.name);

	tun_nl_close(&nl);
	tun_dev_close(&t);
	return 0;
}
