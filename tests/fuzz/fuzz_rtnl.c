/*
 * tests/fuzz/fuzz_rtnl.c: the rtnetlink route parser and the chooser
 * (src/rtnl_route.c) on any datagram.  The first 17 octets choose the
 * family (low bit of the first), the gateway address and an excluded
 * interface; the rest is walked message by message as a kernel dump
 * would be.  Each body is an exactly sized heap copy so that ASan sees
 * any read past it; the parsed facts and the choice must be consistent.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "common/ir_err.h"
#include "src/rtnl_route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtnl_choice c;
	struct rtnl_route r;
	struct tun_nlmsg m, own;
	const uint8_t *p;
	uint8_t *copy;
	uint32_t ex;
	size_t left, alen;
	int rv, err, n = 0;
	uint8_t family;

	if (size < 17)
		return 0;
	family = (data[0] & 1) ? AF_INET6 : AF_INET;
	ex = data[0] >> 1 & 0x0f;
	rtnl_choose_init(&c, family, data + 1, &ex, 1);
	p = data + 17;
	left = size - 17;
	while ((rv = tun_nlmsg_next(&p, &left, &m)) == 1) {
		if (++n > 4096)
			abort();	/* every step must consume octets */
		if ((copy = malloc(m.body_len ? m.body_len : 1)) == NULL)
			abort();
		memcpy(copy, m.body, m.body_len);
		own = m;
		own.body = copy;
		(void)tun_nlmsg_error(&own, &err);
		rv = rtnl_route_parse(&own, &r);
		if (rv == 0) {
			alen = rtnl_alen(r.family);
			if (alen == 0 || r.dst_len > alen * 8 ||
			    r.n_nh > RTNL_NH_MAX)
				abort();
			rtnl_choose_add(&c, &r);
		} else if (rv != IR_ERR_MALFORMED)
			abort();
		free(copy);
	}
	if (rv != 0 && rv != IR_ERR_MALFORMED)
		abort();
	rv = rtnl_choose_result(&c);
	if (rv == 0 && (c.oif == 0 || c.oif == ex || !c.found ||
	    c.best.type != RTN_UNICAST))
		abort();
	if (rv != 0 && rv != -ENETUNREACH)
		abort();
	return 0;
}
