/*
 * src/priv_msg.h: the messages between ikeroam's network part and its
 * privileged part (src/priv.h), one per SOCK_SEQPACKET datagram.  Pure:
 * no I/O, so the validator has a unit test and a fuzz target.
 *
 * Every message starts with the same 8 octets, in network byte order:
 *
 *    0                   1                   2                   3
 *   +-------------+-------------+---------------------------+
 *   |  version 1  |    type     |       reserved (0)        |
 *   +-------------+-------------+---------------------------+
 *   |                     sequence number                   |
 *   +-------------------------------------------------------+
 *   |                    body (by type)                     |
 *
 * Requests (network part -> privileged part), bodies:
 *   TUN_OPEN, TUN_MTU   u32 MTU (576..9000); the device is the one the
 *                       privileged part was configured with
 *   NC_UP, NC_RECONNECT the tunnel's configuration (priv_msg.c); the
 *                       TUN's name and index are the privileged part's
 *   NC_ATTEMPT, NC_DOWN empty
 *   NC_REPIN            u32 ifindex (> 0), address of the next hop
 *   STATUS              u16 length, the status file's text (no control
 *                       characters but tab and newline)
 *   NETMEM_RUNG         u64 time, u16 length, the network's key
 *   NETMEM_STORE        u8 rung (enum fb_xport), u64 time, u16 length,
 *                       the network's key
 *   GATEWAY             a unicast address (not unspecified, loopback,
 *                       multicast or broadcast): the gateway an RFC 5685
 *                       REDIRECT sent us to; the privileged part takes
 *                       at most PRIV_GATEWAY_MAX in PRIV_GATEWAY_WINDOW
 *                       seconds
 *   NOTIFY              u16 length, sd_notify(3) text for systemd from
 *                       the main PID (NotifyAccess=main): lines
 *                       "READY=1", "STOPPING=1" or "STATUS=" and
 *                       printable text, < PRIV_NOTIFY_MAX octets
 *   SIGN                u8 scheme (enum crypto_sig_kind 1..4), u8 hash
 *                       (enum crypto_hash_id 1..5), u16 PSS salt length
 *                       (<= 512, 0 but for PSS), u16 length (1..
 *                       PRIV_SIGN_MAX), the octets to sign with the
 *                       configured key: an IKE message's signed octets
 *                       (RFC 7296 §2.15), so they start with an IKEv2
 *                       header (version 2.0, IKE_SA_INIT) whose length
 *                       fits in them
 *   REVCACHE_OPEN       u8 kind (enum revcache_kind), 20 octets key: the
 *                       reply passes the entry opened read-only
 *   REVCACHE_STORE      u8 kind, 20 octets key, u32 length (1 ..
 *                       REVCACHE_PRIV_MAX), one DER SEQUENCE of exactly
 *                       that length (an OCSP response or a CRL)
 * Replies and notices (privileged part -> network part):
 *   REPLY               u8 request type, u32 status (0 or negative),
 *                       u32 value (the rung, the TUN's ifindex), u8
 *                       flags, u8 length, the TUN's name; TUN_OPEN's
 *                       reply carries the TUN's fd (SCM_RIGHTS); SIGN's
 *                       then u16 length (<= PRIV_SIG_MAX), the signature
 *   QUIT                empty: a signal asked ikeroam to disconnect
 * Anything else, any field out of range or any octet left over is
 * IR_ERR_MALFORMED: the privileged part acts on nothing it did not
 * check.
 */
#ifndef IR_SRC_PRIV_MSG_H
#define IR_SRC_PRIV_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/netcfg.h"
#include "src/revcache.h"

#define PRIV_MSG_VERSION	1
#define PRIV_MSG_HDR		8
#define PRIV_MSG_MAX		65536	/* the longest datagram */
#define PRIV_STATUS_MAX		12288	/* status file text */
#define PRIV_KEY_MAX		512	/* network memory key, NUL included */
#define PRIV_NOTIFY_MAX		256	/* sd_notify text, NUL included */
#define PRIV_MTU_MIN		576
#define PRIV_MTU_MAX		9000
#define PRIV_GATEWAY_MAX	5	/* redirects taken within ... */
#define PRIV_GATEWAY_WINDOW	300	/* ... seconds (session.h's limit) */
#define PRIV_SIGN_MAX		12288	/* octets to sign */
#define PRIV_SIG_MAX		1024	/* a signature (RSA-8192) */

enum priv_type {
	PRIV_TUN_OPEN = 1,
	PRIV_TUN_MTU,
	PRIV_NC_UP,
	PRIV_NC_RECONNECT,
	PRIV_NC_ATTEMPT,
	PRIV_NC_REPIN,
	PRIV_NC_DOWN,
	PRIV_STATUS,
	PRIV_NETMEM_RUNG,
	PRIV_NETMEM_STORE,
	PRIV_GATEWAY,
	PRIV_NOTIFY,
	PRIV_SIGN,
	PRIV_REVCACHE_OPEN,
	PRIV_REVCACHE_STORE,
	PRIV_REQ_LAST = PRIV_REVCACHE_STORE,
	PRIV_REPLY = 0x80,
	PRIV_QUIT = 0x81,
};

#define PRIV_REPLY_APPLIED	0x01	/* netcfg: the setup is applied */
#define PRIV_REPLY_ADOPTED	0x02	/* TUN_OPEN: the TUN existed */

/* One request, parsed: only the fields of its type are set. */
struct priv_req {
	uint8_t			 type;
	uint32_t		 seq;
	uint32_t		 mtu;
	struct netcfg_info	 info;		/* tundev NULL, ifindex 0 */
	uint32_t		 ifindex;	/* NC_REPIN */
	struct tun_ip		 via;		/* NC_REPIN; family 0: on-link */
	struct tun_ip		 gateway;	/* GATEWAY */
	const uint8_t		*text;		/* STATUS, NOTIFY: borrowed */
	size_t			 text_len;
	char			 key[PRIV_KEY_MAX];	/* NETMEM_* */
	uint8_t			 rung;
	uint64_t		 now;
	uint8_t			 sig_kind;	/* SIGN */
	uint8_t			 sig_hash;
	uint16_t		 sig_salt;
	const uint8_t		*data;		/* SIGN: borrowed */
	size_t			 data_len;
	uint8_t			 rc_kind;	/* REVCACHE_* */
	uint8_t			 rc_key[REVCACHE_KEY_LEN];
	const uint8_t		*blob;		/* REVCACHE_STORE: borrowed */
	size_t			 blob_len;
};

struct priv_reply {
	uint8_t		 type;		/* PRIV_REPLY or PRIV_QUIT */
	uint32_t	 seq;
	uint8_t		 req;		/* the request's type */
	int32_t		 status;
	uint32_t	 value;
	uint8_t		 flags;
	char		 name[TUN_NAME_MAX];
	uint8_t		 sig[PRIV_SIG_MAX];	/* SIGN */
	size_t		 sig_len;
};

/* Encode |rq| (its type's fields) into |buf|: 0 with *|len|, or
 * IR_ERR_NOBUF, IR_ERR_MALFORMED (a field the parser would refuse). */
int	priv_req_build(const struct priv_req *rq, uint8_t *buf, size_t cap,
	    size_t *len);

/*
 * The validator: parse and check one request of |len| octets.  0, or
 * IR_ERR_MALFORMED for anything but a well-formed request whose every
 * field is in range.  |rq->text| points into |msg|.
 */
int	priv_req_parse(const uint8_t *msg, size_t len, struct priv_req *rq);

/* An sd_notify text the privileged part passes on (NOTIFY above). */
bool	priv_notify_ok(const uint8_t *text, size_t len);

int	priv_reply_build(const struct priv_reply *rp, uint8_t *buf,
	    size_t cap, size_t *len);
int	priv_reply_parse(const uint8_t *msg, size_t len,
	    struct priv_reply *rp);

#endif
