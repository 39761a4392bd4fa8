/*
 * src/xport.h: the transports that carry IKE and ESP to the gateway:
 * UDP (RFC 7296 port 500, RFC 3948 port 4500), TCP (RFC 9329) and the
 * same TCP stream inside TLS (RFC 9329 Appendix A).
 * A transport owns its libuv handles; received messages go to the
 * owner through struct xport_events, during the libuv callback.
 */
#ifndef IR_SRC_XPORT_H
#define IR_SRC_XPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

#include "common/ir_pkt.h"

/* Room a transport may need in front of an ESP packet (TCP length). */
#define XPORT_HEADROOM	8
/* Most ESP packets one send_esp() call takes: one sendmmsg() or writev(). */
#define XPORT_BATCH_MAX	64

struct xport;

/*
 * Where a transport's packets leave: the uplink and source address the
 * route to the gateway uses now (src/netwatch.c).  ifname "" and
 * src.ss_family AF_UNSPEC: the kernel's choice.  The port of |src| is 0.
 */
struct xport_bind {
	char			 ifname[16];	/* IFNAMSIZ */
	struct sockaddr_storage	 src;
};

/* SO_BINDTODEVICE and bind() on |fd| (see xport_bind.c); -errno. */
int	xport_bind_fd(int fd, const struct xport_bind *b);

struct xport_events {
	/* One IKE message, marker/frame removed; |msg| is writable and
	 * borrowed for the call. */
	void	(*on_ike)(void *ud, struct xport *x, uint8_t *msg, size_t len);
	/* One ESP packet (SPI .. ICV) in a buffer with headroom. */
	void	(*on_esp)(void *ud, struct xport *x, struct ir_pkt *pkt);
	/* TCP connected (UDP never calls it). */
	void	(*on_connected)(void *ud, struct xport *x);
	/* The transport failed: ICMP unreachable on UDP, RST/FIN/timeout
	 * on TCP.  |err| is a libuv code, IR_ERR_MALFORMED (TCP stream),
	 * or for TLS IR_ERR_TLS_NOT (no TLS server), IR_ERR_TLS_CERT (its
	 * certificate is not trusted) or IR_ERR_TLS; x->detail says more. */
	void	(*on_error)(void *ud, struct xport *x, int err);
};

struct xport_stats {
	uint64_t	tx_ike, rx_ike, tx_esp, rx_esp;
	uint64_t	tx_bytes, rx_bytes;
	uint64_t	drop_tx_full;		/* socket or queue full */
	uint64_t	drop_tx_error;		/* send failed (ICMP error) */
	uint64_t	drop_rx_foreign;	/* not from the gateway */
	uint64_t	drop_rx_malformed;
	uint64_t	keepalives;		/* sent */
	uint64_t	rx_keepalive;		/* 0xFF frames over TCP, dropped */
};

struct xport_ops {
	int	(*send_ike)(struct xport *x, const uint8_t *msg, size_t len);
	/*
	 * A burst of |n| ESP packets (at most XPORT_BATCH_MAX), in order,
	 * each with XPORT_HEADROOM in front; they may be modified.  One
	 * system call for the burst where the socket takes it; what it does
	 * not take is dropped and counted, like a lost datagram.
	 */
	int	(*send_esp)(struct xport *x, struct ir_pkt *pkts, unsigned n);
	/* Close every handle; |done| runs from the last close callback. */
	void	(*close)(struct xport *x, void (*done)(struct xport *x));
};

struct xport {
	const struct xport_ops	*ops;
	const char		*name;		/* "udp", "tcp" or "tls" */
	bool			 tcp;
	bool			 established;	/* TCP: the connect succeeded */
	struct sockaddr_storage	 gw;		/* gateway, port of IKE_SA_INIT */
	struct sockaddr_storage	 local;		/* our address and port */
	struct xport_events	 ev;
	void			*ud;
	struct xport_stats	 stats;
	char			 detail[200];	/* on_error(): why, or "" */
};

/* UDP: IKE_SA_INIT to |gw| (port 500), then float to |natt_port|. */
int	xport_udp_new(struct xport **out, uv_loop_t *loop,
	    const struct sockaddr *gw, uint16_t natt_port,
	    const struct xport_bind *bind, const struct xport_events *ev,
	    void *ud);
/* A roaming move: a new socket on |bind|, already on the NAT-T port
 * when |floated| (keepalives are the caller's). */
int	xport_udp_new_floated(struct xport **out, uv_loop_t *loop,
	    const struct sockaddr *gw, uint16_t natt_port,
	    const struct xport_bind *bind, const struct xport_events *ev,
	    void *ud);
/* Move IKE and ESP to the NAT-T port with the non-ESP marker (§2.23). */
int	xport_udp_float(struct xport *x);
/* The socket's descriptor for ESP bursts from another thread (which
 * dup()s it), and whether UDP_SEGMENT is on; -1 for a closing or TCP
 * transport. */
int	xport_udp_esp_fd(struct xport *x, bool *gso);
/* Start RFC 3948 keepalives every |ms| milliseconds (0: stop). */
void	xport_udp_keepalive(struct xport *x, uint64_t ms);

/*
 * TCP (RFC 9329): connect to |gw| (the gateway's TCP port), send the
 * IKETCP prefix, then frames.  on_connected() when the connection is up;
 * anything sent before is queued.  on_error() on RST, FIN, a failed
 * connect or an unparsable stream; the owner closes and may re-open.
 */
int	xport_tcp_new(struct xport **out, uv_loop_t *loop,
	    const struct sockaddr *gw, const struct xport_bind *bind,
	    const struct xport_events *ev, void *ud);

/*
 * TLS (RFC 9329 Appendix A): the TCP transport's stream inside TLS, to
 * |gw| (usually port 443, a TLS-terminating front of the gateway), on
 * |bind| as for TCP.  The
 * server's certificate is verified against the CA certificates in
 * |ca_pem| (|ca_len| octets of PEM, read before ikeroam gave up its
 * privileges), or the system store when NULL, for |server_name| (SNI too when it is a DNS
 * name; an IP address is matched against the IP address SAN).  TLS only
 * gets IKE through middleboxes: IKE still authenticates the gateway.
 * name "tls", tcp true: the IKE engine behaves as over TCP.
 * on_connected() after the handshake and the verification succeeded;
 * on_error() as for TCP, plus IR_ERR_TLS_NOT / IR_ERR_TLS_CERT /
 * IR_ERR_TLS with x->detail.  IR_ERR_CONFIG: |ca_pem| is unusable.
 */
int	xport_tls_new(struct xport **out, uv_loop_t *loop,
	    const struct sockaddr *gw, const struct xport_bind *bind,
	    const char *server_name, const uint8_t *ca_pem, size_t ca_len,
	    const struct xport_events *ev, void *ud);

/* Fill |path| (ike/ike.h) from the transport's addresses. */
struct ike_path;
void	xport_path(const struct xport *x, struct ike_path *path);

#endif
