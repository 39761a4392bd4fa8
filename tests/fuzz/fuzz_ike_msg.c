/*
 * tests/fuzz/fuzz_ike_msg.c: ike_msg_parse() on any bytes, then the
 * re-encoder on whatever parsed.
 *
 * For an input that parses: check the payload rules; parse the SK
 * payload's body as if it were the decrypted inner chain (so the inner
 * walker and every payload parser see fuzzer bytes after SK too);
 * re-encode the outer payloads and the inner chain from the parsed
 * structs, and require that the result parses again and re-encodes to
 * the same bytes (the codec is idempotent after one round: it drops only
 * unknown payloads, reserved bits and unknown transform attributes).
 * Seeds: tests/fuzz/corpus/ike_msg/, the vectors' messages and their
 * decrypted IKE_AUTH chains wrapped as plaintext messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike/ike_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_CAP	(70 * 1024)

static struct ike_msg m1, m2;
static uint8_t out1[OUT_CAP], out2[OUT_CAP];

/* Header and outer payloads of |m|, from its parsed form. */
static size_t
reencode(const struct ike_msg *m, uint8_t *out)
{
	struct ike_msg_wr mw;
	struct wire_wr w;

	wire_wr_init(&w, out, OUT_CAP);
	ike_msg_wr_begin(&mw, &w, &m->hdr);
	if (ike_msg_build_plds(&mw, m, false) != 0 ||
	    ike_msg_wr_finish(&mw) != 0)
		abort();		/* what parsed must encode */
	return w.len;
}

/* The encrypted (inner) payloads of |m| as a bare chain. */
static size_t
reencode_inner(const struct ike_msg *m, uint8_t *out, uint8_t *first)
{
	struct ike_msg_wr mw;
	struct wire_wr w;

	wire_wr_init(&w, out, OUT_CAP);
	ike_msg_wr_chain(&mw, &w);
	if (ike_msg_build_plds(&mw, m, true) != 0)
		abort();
	*first = mw.first_type;
	return w.len;
}

static void
check_outer(const struct ike_msg *m)
{
	size_t n1, n2;

	n1 = reencode(m, out1);
	if (ike_msg_parse(&m2, out1, n1) != 0)
		abort();		/* our own encoding must parse */
	n2 = reencode(&m2, out2);
	if (n1 != n2 || memcmp(out1, out2, n1) != 0)
		abort();
}

static void
check_inner(const struct ike_msg *m)
{
	uint8_t first, first2;
	size_t n1, n2;

	n1 = reencode_inner(m, out1, &first);
	memset(&m2, 0, sizeof(m2));
	if (ike_msg_parse_inner(&m2, first, out1, n1) != 0)
		abort();
	n2 = reencode_inner(&m2, out2, &first2);
	if (first != first2 || n1 != n2 || memcmp(out1, out2, n1) != 0)
		abort();
}

/* Hash-and-URL CERT data (RFC 7296 §3.6) through its parser: the
 * views it returns must lie inside the payload. */
static void
check_hash_url(const struct ike_msg *m)
{
	const uint8_t *hash, *url;
	const char *why;
	size_t i, len;

	for (i = 0; i < m->ncert; i++) {
		if (m->cert[i].enc != 12 && m->cert[i].enc != 13)
			continue;
		if (ike_pld_hash_url_parse(&m->cert[i].data, &hash, &url, &len,
		    &why) != 0)
			continue;
		if (hash != m->cert[i].data.p || url != hash + 20 ||
		    20 + len != m->cert[i].data.len || len > IKE_HASH_URL_MAX)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	/* An exactly sized copy, so any read past the input is caught. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (ike_msg_parse(&m1, copy, size) == 0) {
		(void)ike_msg_check_rules(&m1);
		check_outer(&m1);
		check_hash_url(&m1);
		if (ike_msg_count(&m1, IKE_PLD_SK) != 0 &&
		    ike_msg_parse_inner(&m1, m1.sk.next_type, m1.sk.body.p,
		    m1.sk.body.len) == 0) {
			(void)ike_msg_check_rules(&m1);
			check_inner(&m1);
			check_hash_url(&m1);
		}
	}
	free(copy);
	return 0;
}
