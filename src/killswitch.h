/*
 * src/killswitch.h: the opt-in kill switch (--kill-switch).
 *
 * One nftables table of our own, "inet ikeroam_killswitch", lets only
 * the gateway's IKE, ESP-in-UDP, TCP and TLS traffic (and what a roaming
 * laptop needs to get an address: loopback, DHCPv4, IPv6 ND and DHCPv6)
 * use the physical uplinks; everything else may only go through the TUN,
 * named before it exists.  The table is kernel state: it outlives
 * ikeroam, so a crash or SIGKILL leaks nothing.  A record under
 * /run/ikeroam/ says that it is on and for which gateway.
 *
 * Two halves: killswitch_rules.c renders the ruleset and the record
 * (pure, unit-tested); killswitch.c runs them through libnftables and
 * writes the record.
 */
#ifndef IR_SRC_KILLSWITCH_H
#define IR_SRC_KILLSWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define KILLSWITCH_FAMILY	"inet"
#define KILLSWITCH_TABLE	"ikeroam_killswitch"
#define KILLSWITCH_IFNAME	"ikeroam0"	/* TUN without --interface */
#define KILLSWITCH_STATE_DIR	"/run/ikeroam"
#define KILLSWITCH_STATE_FILE	KILLSWITCH_STATE_DIR "/killswitch"
#define KILLSWITCH_MAX_GW	8	/* gateway addresses (MOBIKE) */
#define KILLSWITCH_TLS_PORT	443	/* RFC 9329 Appendix A */

struct killswitch_conf {
	char		 gw_name[256];		/* as written */
	/* The gateway's addresses, IPv4 or IPv6; ports ignored. */
	struct sockaddr_storage gw[KILLSWITCH_MAX_GW];
	unsigned	 n_gw;
	uint16_t	 ike_port;		/* UDP [500] */
	uint16_t	 natt_port;		/* UDP [4500] */
	uint16_t	 tcp_port;		/* RFC 9329 [4500]; 0: none */
	uint16_t	 tls_port;		/* TLS [443]; 0: none */
	char		 ifname[16];		/* the TUN */
	bool		 allow_lan;		/* private, link-local */
};

/* Drop counters of the table, from killswitch_status(). */
struct killswitch_counts {
	uint64_t	out, in, fwd;		/* packets */
};

/* ---- pure (killswitch_rules.c) ---------------------------------------- */

/*
 * The nft script that replaces the table in one transaction (add, delete,
 * add: no gap, no error when it did not exist).  0, IR_ERR_CONFIG (no
 * gateway address, an address family other than IPv4/IPv6, or an
 * interface name that is empty or not printable) or IR_ERR_NOBUF.
 */
int	killswitch_render(const struct killswitch_conf *ks, char *buf,
	    size_t len);

/* The nft script that removes the table, whether it exists or not. */
extern const char	killswitch_delete_script[];

/* The state record: lines "key value".  0 or IR_ERR_NOBUF. */
int	killswitch_record_format(const struct killswitch_conf *ks, char *buf,
	    size_t len);

/*
 * Parse a record written by killswitch_record_format().  0, or
 * IR_ERR_MALFORMED on any line it does not understand.
 */
int	killswitch_record_parse(const char *text, size_t len,
	    struct killswitch_conf *ks);

/*
 * The packet count of named counter |name| in the text of "list table"
 * (the table's own listing).  0, or IR_ERR_NOT_FOUND.
 */
int	killswitch_counter_parse(const char *listing, const char *name,
	    uint64_t *packets);

/* The address of |ss| (IPv4 or IPv6) as text; false for another family. */
bool	killswitch_addr_text(const struct sockaddr_storage *ss,
	    char text[INET6_ADDRSTRLEN]);

/* ---- nftables and the record (killswitch.c) ------------------------------ */

/*
 * Install or atomically replace the table and write the record.  Needs
 * CAP_NET_ADMIN.  0, or a negative code with one line in |err|: -EPERM
 * without the capability.
 */
int	killswitch_apply(const struct killswitch_conf *ks, char *err,
	    size_t err_len);

/*
 * The gateway's addresses changed (MOBIKE, RFC 4555 §3.6 / §3.4, or a
 * new resolution): re-apply the table recorded under /run/ikeroam with
 * |gw| (ports ignored) in one transaction.  Call it before the first
 * packet goes to a new address.  0 and nothing done when no kill switch
 * is recorded; else as killswitch_apply().
 */
int	killswitch_update_gateways(const struct sockaddr_storage *gw,
	    unsigned n_gw, char *err, size_t err_len);

/*
 * Remove the table and the record.  |*was_on| says whether the table
 * existed; |counts| (may be NULL) gets its drop counters.  0, or a
 * negative code with one line in |err|.
 */
int	killswitch_remove(bool *was_on, struct killswitch_counts *counts,
	    char *err, size_t err_len);

/*
 * Is the table installed, and what does the record say?  |*on|: the table
 * exists; |*have_record|: |ks| was filled from the record.  0, or a
 * negative code with one line in |err|.
 */
int	killswitch_status(bool *on, bool *have_record,
	    struct killswitch_conf *ks, struct killswitch_counts *counts,
	    char *err, size_t err_len);

/* The record only (no root needed); 0 or -ENOENT, IR_ERR_MALFORMED. */
int	killswitch_record_read(struct killswitch_conf *ks);

/* ---- the user's side (killswitch_cmd.c) -------------------------------- */

/* `ikeroam kill-switch off|status` (enum cli_command): the exit status. */
int	killswitch_cmd(int command);

/*
 * `connect --kill-switch`, before the connection starts: apply |ks| and
 * say so.  |*was_on|: a record of an earlier run was there.  The exit
 * status: 0, or the failure's (10 without CAP_NET_ADMIN), with its line.
 */
int	killswitch_connect_on(const struct killswitch_conf *ks,
	    bool *was_on);

/*
 * The connection ended with exit status |code|: remove the kill switch
 * after a clean disconnect (0) or when |keep| is false; otherwise keep it
 * and say so in one line with the command that clears it.
 */
void	killswitch_connect_done(int code, bool keep);

/* Without --kill-switch: warn when an earlier run left one on. */
void	killswitch_warn_leftover(void);

#endif
