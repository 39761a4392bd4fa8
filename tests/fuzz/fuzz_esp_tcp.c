/*
 * tests/fuzz/fuzz_esp_tcp.c: the RFC 9329 deframer esp_tcp_next() on any
 * stream, split at points derived from the input.  The first octet says
 * whether the IKETCP prefix is expected and seeds the split sizes; the
 * rest is the stream.  Every chunk is an exactly sized heap copy, every
 * frame must lie inside the chunk or the deframer's buffer, and the same
 * stream fed whole must give the same frames (split invariance).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "esp/esp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES	256

struct fuzz_out {
	size_t		n;
	int		rv;
	uint32_t	sum[MAX_FRAMES];	/* length, kind and a checksum */
};

static struct esp_tcp_rd rd;

static uint32_t
fuzz_sum(const uint8_t *p, size_t len, int kind)
{
	uint32_t h = 2166136261u ^ (uint32_t)kind;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h ^ (uint32_t)len << 7;
}

static size_t
fuzz_chunk(uint32_t *x, bool whole)
{
	if (whole)
		return SIZE_MAX;
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return 1 + (*x % 4 == 0 ? *x % 70000 : *x % 7);
}

static void
fuzz_run(const uint8_t *s, size_t size, bool prefix, uint32_t seed,
    bool whole, struct fuzz_out *out)
{
	const uint8_t *in, *frame;
	enum esp_tcp_kind kind;
	size_t pos = 0, chunk, n, len;
	uint8_t *copy;
	int rv = 0;

	esp_tcp_rd_init(&rd, prefix);
	out->n = 0;
	while (pos < size && rv == 0) {
		chunk = fuzz_chunk(&seed, whole);
		if (chunk > size - pos)
			chunk = size - pos;
		if ((copy = malloc(chunk)) == NULL)
			abort();
		memcpy(copy, s + pos, chunk);
		in = copy;
		n = chunk;
		do {
			rv = esp_tcp_next(&rd, &in, &n, &frame, &len, &kind);
			if (rv != 0) {
				if (rv != IR_ERR_MALFORMED || len != 0)
					abort();
				break;
			}
			if (len == 0) {
				if (n != 0)
					abort();	/* must eat it all */
				break;
			}
			if (!((frame >= copy && frame + len <= copy + chunk) ||
			    (frame >= rd.buf && frame + len <= rd.buf +
			    sizeof(rd.buf))))
				abort();
			if (len > ESP_TCP_FRAME_MAX || (kind != ESP_TCP_IKE &&
			    kind != ESP_TCP_ESP && kind != ESP_TCP_KEEPALIVE))
				abort();
			/* RFC 3948 §2.3: a keepalive is the one octet 0xFF. */
			if (kind == ESP_TCP_KEEPALIVE && (len != 1 ||
			    frame[0] != 0xff))
				abort();
			if (out->n < MAX_FRAMES)
				out->sum[out->n] = fuzz_sum(frame, len, kind);
			out->n++;
		} while (n > 0);
		free(copy);
		pos += chunk;
	}
	out->rv = rv;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_out a, b;
	size_t k;

	if (size < 1)
		return 0;
	fuzz_run(data + 1, size - 1, data[0] & 1, data[0] | 0x100u, false, &a);
	fuzz_run(data + 1, size - 1, data[0] & 1, 0, true, &b);
	if (a.n != b.n || a.rv != b.rv)
		abort();
	for (k = 0; k < a.n && k < MAX_FRAMES; k++)
		if (a.sum[k] != b.sum[k])
			abort();
	return 0;
}
