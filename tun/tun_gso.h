/*
 * tun/tun_gso.h: TUN offloads in userspace (pure, sans-I/O, nothing
 * allocated).  With IFF_VNET_HDR every TUN read starts with a
 * struct virtio_net_hdr (include/uapi/linux/virtio_net.h, legacy layout,
 * 10 octets, host byte order) and, once TUNSETOFFLOAD allowed it, may
 * carry a TCP or UDP "super-packet" of up to 64 KiB that the kernel did
 * not segment (TSO/USO) and whose checksum it did not finish.
 *
 *   out (TUN -> ESP):  tun_gso_init() parses the header and the packet,
 *     tun_gso_next() writes one packet that fits the tunnel MTU at a
 *     time: IPv4 total length, ID (+1 per segment) and header checksum,
 *     IPv6 payload length, TCP sequence number, FIN/PSH on the last
 *     segment only, CWR on the first only, UDP length, and full TCP/UDP
 *     checksums.  A packet without GSO is copied as it is, its partial
 *     checksum finished (VIRTIO_NET_HDR_F_NEEDS_CSUM).
 *   in (ESP -> TUN):  tun_gro_add() coalesces consecutive in-order
 *     segments of one TCP flow (same addresses, ports, ACK, window,
 *     options; checksums verified first), tun_gro_finish() gives the
 *     super-packet with its virtio_net_hdr (GSO_TCPV4/6, partial
 *     checksum), or one packet with an empty header.
 */
#ifndef TUN_TUN_GSO_H
#define TUN_TUN_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tun/tun_csum.h"

#define TUN_VNET_HDR_LEN	10	/* struct virtio_net_hdr */
#define TUN_GSO_MAX		65535	/* largest IP packet in or out */

#define TUN_VNET_F_NEEDS_CSUM	1	/* VIRTIO_NET_HDR_F_NEEDS_CSUM */
#define TUN_VNET_F_DATA_VALID	2
#define TUN_VNET_GSO_NONE	0
#define TUN_VNET_GSO_TCPV4	1
#define TUN_VNET_GSO_UDP	3	/* UFO: never enabled, refused */
#define TUN_VNET_GSO_TCPV6	4
#define TUN_VNET_GSO_UDP_L4	5	/* USO */
#define TUN_VNET_GSO_ECN	0x80

struct tun_vnet_hdr {
	uint8_t		flags;
	uint8_t		gso_type;
	uint16_t	hdr_len, gso_size, csum_start, csum_offset;
};

void	tun_vnet_hdr_get(const uint8_t *p, struct tun_vnet_hdr *h);
void	tun_vnet_hdr_put(uint8_t *p, const struct tun_vnet_hdr *h);

/* The TCP/UDP checksum of the L4 part of an IP packet (0: correct as
 * stored, when the packet carries one); |l4_off| from tun_ip_l4(). */
uint16_t	tun_l4_csum(const uint8_t *ip, size_t len, size_t l4_off,
		    uint8_t proto);

enum tun_gso_kind { TUN_GSO_ONE, TUN_GSO_TCP, TUN_GSO_UDP };

/* The segmenter's state: points into the caller's read buffer. */
struct tun_gso {
	const uint8_t	*pkt;		/* the IP packet, after the header */
	size_t		 len;
	size_t		 l4_off;	/* IP header length */
	size_t		 hdr_len;	/* IP + TCP/UDP headers */
	size_t		 seg;		/* payload octets per segment */
	size_t		 off;		/* next payload octet, from hdr_len */
	unsigned	 idx;		/* next segment */
	uint8_t		 kind;		/* enum tun_gso_kind */
	bool		 v6, done;
	struct tun_vnet_hdr vh;
};

/*
 * Parse |len| octets read from a TUN with IFF_VNET_HDR (header, then the
 * packet).  |mtu|: the largest packet tun_gso_next() may write; TCP
 * segments shrink to fit it, UDP datagrams (USO) cannot: refused.
 * 0, or IR_ERR_MALFORMED (drop it): short, lengths that disagree, an
 * unknown GSO type, IPv6 extension headers or IPv4 fragments under GSO,
 * a checksum offset outside the packet.
 */
int	tun_gso_init(struct tun_gso *g, const uint8_t *buf, size_t len,
	    size_t mtu);

/* Write the next packet into |out| (|cap| octets): 1 and |*len|, 0 when
 * all were written, IR_ERR_NOBUF when |cap| is too small. */
int	tun_gso_next(struct tun_gso *g, uint8_t *out, size_t cap,
	    size_t *len);

/* Segments tun_gso_next() will write in all (at least 1). */
unsigned	tun_gso_count(const struct tun_gso *g);

/* ---- GRO ---------------------------------------------------------------- */

#define TUN_GRO_MAX_SEGS	64

struct tun_gro {
	size_t		 len;		/* IP packet held; 0: empty */
	size_t		 l4_off, hdr_len;
	size_t		 seg;		/* payload of the first segment */
	unsigned	 nseg;
	uint32_t	 next_seq;
	bool		 v6, closed;	/* closed: nothing may follow */
	uint8_t		 buf[TUN_VNET_HDR_LEN + TUN_GSO_MAX];
};

void	tun_gro_init(struct tun_gro *g);

enum { TUN_GRO_HELD = 0, TUN_GRO_FLUSH = 1 };

/*
 * Offer one decrypted IP packet.  TUN_GRO_HELD: copied into |g| (merged
 * or, when |g| was empty, held alone).  TUN_GRO_FLUSH: |g| holds
 * something it does not fit: tun_gro_finish() and offer it again (an
 * empty |g| always takes it).  IR_ERR_NOBUF: longer than TUN_GSO_MAX.
 */
int	tun_gro_add(struct tun_gro *g, const uint8_t *pkt, size_t len);

/* The held packet with its virtio_net_hdr in front (|*out|, the return
 * value octets; 0 when empty); |g| is empty afterwards. */
size_t	tun_gro_finish(struct tun_gro *g, const uint8_t **out);

#endif
