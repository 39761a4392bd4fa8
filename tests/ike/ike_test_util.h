/*
 * tests/ike/ike_test_util.h: small helpers shared by the codec tests:
 * write a test message payload by payload, raw or with the builders.
 */
#ifndef IKE_TEST_UTIL_H
#define IKE_TEST_UTIL_H

#include <check.h>
#include <string.h>

#include "ike/ike_msg.h"
#include "tests/check_util.h"

#define TM_CAP	(70 * 1024)

struct tmsg {
	uint8_t			*buf;
	struct wire_wr		 w;
	struct ike_msg_wr	 mw;
};

/* Start a message: SPIi 0x0102030405060708, SPIr 0x1112131415161718. */
static inline void
tm_begin(struct tmsg *t, uint8_t exch, uint8_t flags, uint32_t msg_id)
{
	struct ike_hdr h = {
		.spi_i = 0x0102030405060708ull, .spi_r = 0x1112131415161718ull,
		.version = IKE_VERSION_2, .exch = exch, .flags = flags,
		.msg_id = msg_id,
	};

	t->buf = t_alloc(TM_CAP);
	wire_wr_init(&t->w, t->buf, TM_CAP);
	ike_msg_wr_begin(&t->mw, &t->w, &h);
}

/* Start a bare inner chain. */
static inline void
tm_chain(struct tmsg *t)
{
	t->buf = t_alloc(TM_CAP);
	wire_wr_init(&t->w, t->buf, TM_CAP);
	ike_msg_wr_chain(&t->mw, &t->w);
}

/* A payload of any |type| with generic-header |flags| and a hex body. */
static inline void
tm_raw(struct tmsg *t, uint8_t type, uint8_t flags, const char *body_hex)
{
	struct tbuf b = t_hex(body_hex);
	size_t start = ike_pld_begin(&t->mw, type);

	t->buf[start + 1] = flags;
	wire_wr_bytes(&t->w, b.p, b.len);
	ck_assert_int_eq(ike_pld_end(&t->mw, start), 0);
}

/* A payload body of |len| octets of |fill|. */
static inline void
tm_fill(struct tmsg *t, uint8_t type, size_t len, uint8_t fill)
{
	size_t start = ike_pld_begin(&t->mw, type);
	uint8_t *p = wire_wr_reserve(&t->w, len);

	ck_assert_ptr_nonnull(p);
	memset(p, fill, len);
	ck_assert_int_eq(ike_pld_end(&t->mw, start), 0);
}

/* Close a message started with tm_begin(). */
static inline struct tbuf
tm_end(struct tmsg *t)
{
	struct tbuf b;

	ck_assert_int_eq(ike_msg_wr_finish(&t->mw), 0);
	b.p = t->buf;
	b.len = t->w.len;
	return b;
}

/* Close a bare chain. */
static inline struct tbuf
tm_chain_end(struct tmsg *t)
{
	struct tbuf b;

	ck_assert(!t->w.overflow);
	b.p = t->buf;
	b.len = t->w.len;
	return b;
}

static inline struct ike_msg *
t_msg(void)
{
	return t_alloc(sizeof(struct ike_msg));
}

/* Parse the bare chain |b| (first type |first|) into a fresh message. */
static inline int
t_parse_chain(struct ike_msg *m, uint8_t first, struct tbuf b)
{
	memset(m, 0, sizeof(*m));
	return ike_msg_parse_inner(m, first, b.p, b.len);
}

#endif
