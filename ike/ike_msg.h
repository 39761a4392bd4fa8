/*
 * ike/ike_msg.h: IKEv2 messages (RFC 7296 §3.1, §3.2, §3.14; RFC 7383).
 *
 * Parse, then decide.  ike_msg_parse() turns the bytes of one message
 * into a plain struct ike_msg: the header, the payload chain in wire
 * order, and typed views per payload kind.  It takes no action.  The
 * engine then, for protected exchanges:
 *
 *	ike_msg_parse(&m, buf, len);		header + outer chain
 *	ike_msg_open(&m, rx_xform, buf);	SK: verify, decrypt in place,
 *						parse the inner chain
 *	ike_msg_check_rules(&m);		§1.2-style payload rules
 *
 * and reads only |m|.  For fragments (SKF), ike_sk_open() decrypts each
 * one and struct ike_frag_reasm puts them back together; then
 * ike_msg_parse_inner() adds the reassembled chain.
 *
 * Ownership: struct ike_msg holds views into the caller's buffer and
 * into itself (proposals point at its transform pool), so it must not be
 * copied with memcpy/assignment and is valid while the buffer is.  It is
 * large (~9 KiB): embed it in the SA or keep it static, not on a small
 * stack.  Nothing here allocates.
 *
 * Returns: 0 or a negative IR_ERR_* code.  IR_ERR_MALFORMED (answer
 * INVALID_SYNTAX where §2.21 says so) and IR_ERR_UNSUPPORTED are
 * non-fatal: drop and count.  When parsing fails, |err_notify| names the
 * Notify that RFC 7296 would answer a request with (0: none) and
 * |err_why| a sentence for the debug log.
 */
#ifndef IR_IKE_MSG_H
#define IR_IKE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/wire.h"
#include "ike/ike_names.h"
#include "ike/ike_pld.h"

struct crypto_xform;

#define IKE_HDR_LEN		28
#define IKE_VERSION_2		0x20	/* major 2, minor 0 */

/* Header flags, §3.1. */
#define IKE_FLAG_INITIATOR	0x08
#define IKE_FLAG_VERSION	0x10
#define IKE_FLAG_RESPONSE	0x20

/* Capacities of one message (outer and inner chains together). */
#define IKE_MSG_MAX_PLD		64
#define IKE_MSG_MAX_CERT	8
#define IKE_MSG_MAX_CERTREQ	8
#define IKE_MSG_MAX_NOTIFY	32
#define IKE_MSG_MAX_DELETE	8
#define IKE_MSG_MAX_VENDOR	16

/* The IKE header, §3.1; SPIs as big-endian numbers. */
struct ike_hdr {
	uint64_t	spi_i, spi_r;
	uint8_t		next_type;
	uint8_t		version;	/* major << 4 | minor */
	uint8_t		exch;		/* IKE_EXCH_* */
	uint8_t		flags;		/* IKE_FLAG_* */
	uint32_t	msg_id;
	uint32_t	length;
};

/*
 * One payload of the chain, in wire order.  |idx| is its position in
 * the typed array of its kind (cert[], notify[], ...; 0 for the kinds
 * that have a single slot).  Unknown non-critical payloads are skipped
 * (§2.5) and not listed.
 */
struct ike_pld_ref {
	uint8_t		type;		/* IKE_PLD_* */
	bool		critical;
	bool		encrypted;	/* inside SK / SKF */
	uint8_t		idx;
	struct ike_span	body;		/* after the generic header */
};

struct ike_msg {
	struct ike_hdr		hdr;
	const uint8_t		*raw;		/* the whole message */
	size_t			 raw_len;

	struct ike_pld_ref	 pld[IKE_MSG_MAX_PLD];
	uint8_t			 npld;

	/* Typed views.  Single-slot kinds hold the first occurrence;
	 * ike_msg_check_rules() rejects a second one. */
	struct ike_pld_sa	 sa;
	struct ike_pld_ke	 ke;
	struct ike_span		 nonce;
	struct ike_pld_id	 idi, idr;
	struct ike_pld_auth	 auth;
	struct ike_pld_ts_list	 tsi, tsr;
	struct ike_pld_cp	 cp;
	struct ike_pld_eap	 eap;
	struct ike_pld_sk	 sk;
	struct ike_pld_skf	 skf;
	struct ike_pld_cert	 cert[IKE_MSG_MAX_CERT];
	struct ike_pld_cert	 certreq[IKE_MSG_MAX_CERTREQ];
	struct ike_pld_notify	 notify[IKE_MSG_MAX_NOTIFY];
	struct ike_pld_delete	 del[IKE_MSG_MAX_DELETE];
	struct ike_span		 vendor[IKE_MSG_MAX_VENDOR];
	uint8_t			 ncert, ncertreq, nnotify, ndel, nvendor;

	/* Why parsing failed, for the engine's answer and its log. */
	uint16_t		 err_notify;	/* IKE_N_*; 0: answer nothing */
	uint8_t			 err_pld;	/* UNSUPPORTED_CRITICAL_PAYLOAD */
	const char		*err_why;
};

/* ---- Header --------------------------------------------------------- */

/*
 * Read the IKE header of the |len| octets at |buf|.  IR_ERR_MALFORMED
 * when |len| < 28, the Length field differs from |len|, or SPIi is zero;
 * IR_ERR_UNSUPPORTED when the major version is not 2.
 */
int	ike_hdr_parse(const uint8_t *buf, size_t len, struct ike_hdr *hdr);

/* ---- Parsing -------------------------------------------------------- */

/*
 * Parse the header and the unencrypted payload chain of one message.
 * The chain ends at Next Payload 0 or at SK / SKF, which must be last
 * (§3.14).  An unknown payload is skipped unless its critical bit is
 * set; then this returns IR_ERR_UNSUPPORTED with |err_notify| =
 * UNSUPPORTED_CRITICAL_PAYLOAD and |err_pld| = its type (§2.5).  A major
 * version above 2 gives IR_ERR_UNSUPPORTED with INVALID_MAJOR_VERSION.
 */
int	ike_msg_parse(struct ike_msg *m, const uint8_t *buf, size_t len);

/*
 * Add the decrypted chain of |len| octets at |p|, starting with payload
 * |first_type|, to |m|; the payloads are marked encrypted.  SK or SKF
 * inside is malformed.  |p| must outlive |m|.
 */
int	ike_msg_parse_inner(struct ike_msg *m, uint8_t first_type,
	    const uint8_t *p, size_t len);

/* How many payloads of |type| the chain holds; the first one, or NULL. */
size_t	ike_msg_count(const struct ike_msg *m, uint8_t type);
const struct ike_pld_notify *ike_msg_notify(const struct ike_msg *m,
	    uint16_t type);

/*
 * Check |m| against the payload rules of its exchange and direction
 * (ike_rules.c): which payloads may appear, how often, encrypted or not,
 * and which Notifies may stand alone ("sufficient": COOKIE, REDIRECT,
 * every error type).  IR_ERR_MALFORMED on a violation (|err_why| says
 * which), IR_ERR_UNSUPPORTED for an exchange type without rules.
 */
int	ike_msg_check_rules(struct ike_msg *m);

/* ---- Writing -------------------------------------------------------- */

/* Write the IKE header |hdr| (Next Payload and Length are patched later). */
void	ike_msg_wr_begin(struct ike_msg_wr *mw, struct wire_wr *w,
	    const struct ike_hdr *hdr);
/* Patch the header's Length: 0 or IR_ERR_NOBUF. */
int	ike_msg_wr_finish(struct ike_msg_wr *mw);

/*
 * Re-encode the payloads of |m| (outer or inner ones, as |encrypted|
 * says) from their typed views, in chain order.  SK and SKF are copied
 * as they are (still encrypted).  The codec's own round-trip check: for
 * a message we can parse, parse -> build gives the same bytes except
 * where the peer set reserved or critical bits.
 */
int	ike_msg_build_plds(struct ike_msg_wr *mw, const struct ike_msg *m,
	    bool encrypted);

/* ---- The Encrypted payload, §3.14 (ike_sk.c) ------------------------ */

/*
 * Open an SK payload after the payloads before it: write its generic
 * header and leave room for the IV.  The inner payloads follow with the
 * usual builders; ike_sk_seal() closes the message.
 */
int	ike_sk_begin(struct ike_msg_wr *mw, const struct crypto_xform *x);

/*
 * Pad (§3.14: to the cipher's block, zero octets and a Pad Length),
 * patch the SK and IKE lengths, then encrypt in place with |iv|
 * (crypto_xform_iv_len() octets, from the engine's random callback)
 * and write the ICV.  The AAD (AEAD) or the MAC input (CBC+HMAC) starts
 * at the IKE header, so nothing may be written after this.
 */
int	ike_sk_seal(struct ike_msg_wr *mw, struct crypto_xform *x,
	    const uint8_t *iv);

/*
 * Verify and decrypt the SK or SKF payload of |m| in place; |buf| is the
 * buffer |m| was parsed from (the same bytes, writable).  |*plain| gets
 * the inner octets without padding.  IR_ERR_DECRYPT when the ICV fails
 * (drop silently, §2.21.2), IR_ERR_MALFORMED when the lengths do not fit
 * the transform or the Pad Length overruns.  Pad octets are not checked:
 * §3.14 lets the sender choose them (strongSwan's are random).
 */
int	ike_sk_open(struct crypto_xform *x, uint8_t *buf,
	    const struct ike_msg *m, struct ike_span *plain);

/* ike_sk_open() of the SK payload, then ike_msg_parse_inner(). */
int	ike_msg_open(struct ike_msg *m, struct crypto_xform *x, uint8_t *buf);

/* ---- Fragmentation, RFC 7383 (ike_frag.c) -------------------------- */

#define IKE_FRAG_MAX_COUNT	32	/* fragments of one message */
#define IKE_FRAG_MAX_BYTES	65535	/* reassembled plaintext */

/*
 * The largest plaintext chunk that fits in a fragment message of
 * |frag_len| octets (IKE header, SKF header, IV, padding, ICV); 0 when
 * none does.
 */
size_t	ike_frag_chunk_max(const struct crypto_xform *x, size_t frag_len);

/*
 * Write one whole fragment message: header |hdr| (Next Payload forced to
 * SKF), SKF with |num| of |total| (|first_type| only in fragment 1, as
 * RFC 7383 §2.5 says), |chunk| encrypted with |iv|.  The AAD runs up to
 * and including Total Fragments.
 */
int	ike_frag_seal(struct wire_wr *w, const struct ike_hdr *hdr,
	    uint8_t first_type, uint16_t num, uint16_t total,
	    const uint8_t *chunk, size_t len, struct crypto_xform *x,
	    const uint8_t *iv);

/*
 * Reassembly of one message from verified fragments, with fixed
 * capacity: at most IKE_FRAG_MAX_COUNT fragments and IKE_FRAG_MAX_BYTES
 * of plaintext.  Nothing is allocated per fragment.  Embed it (it holds
 * 64 KiB) and ike_frag_reasm_clear() it, which wipes the plaintext.
 */
struct ike_frag_reasm {
	bool		active;
	uint32_t	msg_id;
	uint16_t	total, have;
	uint8_t		first_type;
	uint16_t	off[IKE_FRAG_MAX_COUNT], len[IKE_FRAG_MAX_COUNT];
	uint32_t	got;		/* bit n-1: fragment n is in */
	size_t		used;
	uint8_t		buf[IKE_FRAG_MAX_BYTES];
};

void	ike_frag_reasm_init(struct ike_frag_reasm *r);
void	ike_frag_reasm_clear(struct ike_frag_reasm *r);

/*
 * Add the decrypted |plain| of fragment |skf| of message |msg_id|
 * (RFC 7383 §2.6): a new message ID starts over; a duplicate is ignored;
 * a larger Total Fragments restarts, a smaller one is dropped.
 * |*complete| says whether every fragment is in.  IR_ERR_MALFORMED for
 * a count or size above the capacity.
 */
int	ike_frag_reasm_add(struct ike_frag_reasm *r, uint32_t msg_id,
	    const struct ike_pld_skf *skf, const uint8_t *plain, size_t len,
	    bool *complete);

/*
 * Copy the complete message's inner chain, in fragment order, to |out|
 * and give the type of its first payload; then the object is empty.
 * IR_ERR_UNEXPECTED when it is not complete, IR_ERR_NOBUF when |cap| is
 * too small.
 */
int	ike_frag_reasm_take(struct ike_frag_reasm *r, uint8_t *out,
	    size_t cap, size_t *len, uint8_t *first_type);

#endif
