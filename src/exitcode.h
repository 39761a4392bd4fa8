/*
 * src/exitcode.h: the documented exit status of ikeroam (see
 * man/ikeroam.8).  Scripts and NetworkManager rely on these numbers:
 * never renumber, only add.
 */
#ifndef IR_EXITCODE_H
#define IR_EXITCODE_H

enum ir_exit {
	IR_EXIT_OK		= 0,	/* connected, then disconnected cleanly */
	IR_EXIT_FAILURE		= 1,	/* anything not listed below */
	IR_EXIT_USAGE		= 2,	/* bad command line or profile */
	IR_EXIT_AUTH		= 3,	/* authentication failed (either side) */
	IR_EXIT_PROPOSAL	= 4,	/* no acceptable proposal */
	IR_EXIT_UNREACHABLE	= 5,	/* the gateway did not answer */
	IR_EXIT_PEER_CERT	= 6,	/* gateway certificate or identity refused */
	IR_EXIT_NETWORK_SETUP	= 7,	/* TUN, addresses, routes or script failed */
	IR_EXIT_REFUSED		= 8,	/* gateway refused selectors or address */
	IR_EXIT_CAPTIVE		= 9,	/* a captive portal blocks the network */
	IR_EXIT_PERMISSION	= 10,	/* needs root or CAP_NET_ADMIN */
	IR_EXIT_LOST		= 11,	/* tunnel was up, then the gateway was lost */
	IR_EXIT_REDIRECT	= 12,	/* redirected too often (RFC 5685 loop) */
	IR_EXIT_RUNNING		= 13,	/* this connection runs already */
	IR_EXIT_NOT_RUNNING	= 14,	/* status/disconnect/reconnect: no
					   such connection runs */
	IR_EXIT_TOKEN		= 15,	/* key's token missing, object not found */
};

#endif
