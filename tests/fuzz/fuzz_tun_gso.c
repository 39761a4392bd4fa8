/*
 * tests/fuzz/fuzz_tun_gso.c: the TUN offload parser and segmenter
 * (tun/tun_gso.c) on any virtio_net_hdr + super-packet, then the
 * coalescer on every segment it wrote.  The first two octets are the
 * MTU; the rest is what a TUN read returned, an exactly sized heap copy.
 * Every segment must fit the MTU and the output buffer; the coalescer
 * must never give back more than it was given plus its header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tun/tun_gso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tun_gro gro;
static uint8_t seg[65536];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tun_gso g;
	const uint8_t *p;
	uint8_t *buf;
	size_t mtu, len, in = 0, outn = 0;
	unsigned n = 0, count;
	int rv;

	if (size < 2)
		return 0;
	mtu = (size_t)(data[0] << 8 | data[1]);
	if ((buf = malloc(size - 2 > 0 ? size - 2 : 1)) == NULL)
		abort();
	memcpy(buf, data + 2, size - 2);
	tun_gro_init(&gro);
	if (tun_gso_init(&g, buf, size - 2, mtu) == 0) {
		count = tun_gso_count(&g);
		while ((rv = tun_gso_next(&g, seg, sizeof(seg), &len)) == 1) {
			if (len > mtu || len > sizeof(seg) || ++n > count)
				abort();
			in += len;
			if (tun_gro_add(&gro, seg, len) == TUN_GRO_FLUSH) {
				outn += tun_gro_finish(&gro, &p);
				if (tun_gro_add(&gro, seg, len) !=
				    TUN_GRO_HELD)
					abort();
			}
		}
		if (rv != 0 || n != count)
			abort();
		outn += tun_gro_finish(&gro, &p);
		if (outn > in + (size_t)n * TUN_VNET_HDR_LEN)
			abort();
	}
	/* The coalescer on the raw packet too. */
	if (size - 2 > TUN_VNET_HDR_LEN &&
	    tun_gro_add(&gro, buf + TUN_VNET_HDR_LEN,
	    size - 2 - TUN_VNET_HDR_LEN) == TUN_GRO_HELD)
		(void)tun_gro_finish(&gro, &p);
	free(buf);
	return 0;
}
