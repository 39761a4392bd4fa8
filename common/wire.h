/*
 * common/wire.h: the bounds-checked byte reader and writer that every
 * parser and encoder in ikeroam uses.  Network byte order throughout.
 *
 * Readers return bool and every call is checked where it happens: a
 * failed read consumes nothing.  wire_rd_sub() confines a payload parser
 * to its own bytes.  Writers have a sticky overflow flag that is checked
 * once, after the last write, because a failed write only means "buffer
 * too small" and never feeds a later length.
 *
 * No allocation, no I/O: views into the caller's buffer only.
 */
#ifndef IR_WIRE_H
#define IR_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WIRE_CHECK __attribute__((warn_unused_result))

struct wire_rd {
	const uint8_t	*p;		/* next unread byte */
	size_t		 left;		/* bytes that may still be read */
};

struct wire_wr {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 len;		/* bytes written so far */
	bool		 overflow;	/* sticky: some write did not fit */
};

static inline void
wire_rd_init(struct wire_rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->left = len;
}

WIRE_CHECK static inline bool
wire_rd_u8(struct wire_rd *r, uint8_t *v)
{
	if (r->left < 1)
		return false;
	*v = r->p[0];
	r->p++;
	r->left--;
	return true;
}

WIRE_CHECK static inline bool
wire_rd_u16(struct wire_rd *r, uint16_t *v)
{
	if (r->left < 2)
		return false;
	*v = (uint16_t)(r->p[0] << 8 | r->p[1]);
	r->p += 2;
	r->left -= 2;
	return true;
}

WIRE_CHECK static inline bool
wire_rd_u32(struct wire_rd *r, uint32_t *v)
{
	if (r->left < 4)
		return false;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return true;
}

WIRE_CHECK static inline bool
wire_rd_u64(struct wire_rd *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (r->left < 8)
		return false;
	if (!wire_rd_u32(r, &hi) || !wire_rd_u32(r, &lo))
		return false;
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/* Copy |len| bytes out. */
WIRE_CHECK static inline bool
wire_rd_copy(struct wire_rd *r, void *out, size_t len)
{
	if (r->left < len)
		return false;
	memcpy(out, r->p, len);
	r->p += len;
	r->left -= len;
	return true;
}

/* A borrowed view of the next |len| bytes, no copy. */
WIRE_CHECK static inline bool
wire_rd_bytes(struct wire_rd *r, size_t len, const uint8_t **view)
{
	if (r->left < len)
		return false;
	*view = r->p;
	r->p += len;
	r->left -= len;
	return true;
}

WIRE_CHECK static inline bool
wire_rd_skip(struct wire_rd *r, size_t len)
{
	if (r->left < len)
		return false;
	r->p += len;
	r->left -= len;
	return true;
}

/* The next |len| bytes become |sub|, a reader that cannot see past them. */
WIRE_CHECK static inline bool
wire_rd_sub(struct wire_rd *r, size_t len, struct wire_rd *sub)
{
	if (r->left < len)
		return false;
	sub->p = r->p;
	sub->left = len;
	r->p += len;
	r->left -= len;
	return true;
}

/* Take the last |len| bytes off the end (ICV, ESP trailer). */
WIRE_CHECK static inline bool
wire_rd_tail(struct wire_rd *r, size_t len, const uint8_t **view)
{
	if (r->left < len)
		return false;
	r->left -= len;
	*view = r->p + r->left;
	return true;
}

static inline void
wire_wr_init(struct wire_wr *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = false;
}

static inline bool
wire_wr_room(struct wire_wr *w, size_t n)
{
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return false;
	}
	return true;
}

static inline void
wire_wr_u8(struct wire_wr *w, uint8_t v)
{
	if (wire_wr_room(w, 1))
		w->buf[w->len++] = v;
}

static inline void
wire_wr_u16(struct wire_wr *w, uint16_t v)
{
	if (!wire_wr_room(w, 2))
		return;
	w->buf[w->len++] = (uint8_t)(v >> 8);
	w->buf[w->len++] = (uint8_t)v;
}

static inline void
wire_wr_u32(struct wire_wr *w, uint32_t v)
{
	if (!wire_wr_room(w, 4))
		return;
	w->buf[w->len++] = (uint8_t)(v >> 24);
	w->buf[w->len++] = (uint8_t)(v >> 16);
	w->buf[w->len++] = (uint8_t)(v >> 8);
	w->buf[w->len++] = (uint8_t)v;
}

static inline void
wire_wr_u64(struct wire_wr *w, uint64_t v)
{
	wire_wr_u32(w, (uint32_t)(v >> 32));
	wire_wr_u32(w, (uint32_t)v);
}

static inline void
wire_wr_bytes(struct wire_wr *w, const void *p, size_t n)
{
	if (n == 0 || !wire_wr_room(w, n))
		return;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static inline void
wire_wr_zero(struct wire_wr *w, size_t n)
{
	if (n == 0 || !wire_wr_room(w, n))
		return;
	memset(w->buf + w->len, 0, n);
	w->len += n;
}

/* Reserve |n| bytes to fill in later; NULL (and overflow) if they do not fit. */
static inline uint8_t *
wire_wr_reserve(struct wire_wr *w, size_t n)
{
	uint8_t *p;

	if (!wire_wr_room(w, n))
		return NULL;
	p = w->buf + w->len;
	w->len += n;
	return p;
}

static inline size_t
wire_wr_mark(const struct wire_wr *w)
{
	return w->len;
}

/*
 * Write at |at| the 16-bit length of everything from |start| to the
 * current end.  Overflows when that length exceeds 0xffff.
 */
static inline void
wire_wr_patch_len16(struct wire_wr *w, size_t at, size_t start)
{
	size_t n;

	if (w->overflow || at + 2 > w->len || start > w->len)
		return;
	n = w->len - start;
	if (n > 0xffff) {
		w->overflow = true;
		return;
	}
	w->buf[at] = (uint8_t)(n >> 8);
	w->buf[at + 1] = (uint8_t)n;
}

/* Same, 32 bits (the IKE header's Length). */
static inline void
wire_wr_patch_len32(struct wire_wr *w, size_t at, size_t start)
{
	size_t n;

	if (w->overflow || at + 4 > w->len || start > w->len)
		return;
	n = w->len - start;
	if (n > 0xffffffffu) {
		w->overflow = true;
		return;
	}
	w->buf[at] = (uint8_t)(n >> 24);
	w->buf[at + 1] = (uint8_t)(n >> 16);
	w->buf[at + 2] = (uint8_t)(n >> 8);
	w->buf[at + 3] = (uint8_t)n;
}

/* Big-endian helpers for fixed positions (headers patched in place). */
static inline uint16_t
wire_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
wire_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
wire_get_u64(const uint8_t *p)
{
	return (uint64_t)wire_get_u32(p) << 32 | wire_get_u32(p + 4);
}

static inline void
wire_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
wire_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
wire_put_u64(uint8_t *p, uint64_t v)
{
	wire_put_u32(p, (uint32_t)(v >> 32));
	wire_put_u32(p + 4, (uint32_t)v);
}

#endif
