/*
 * src/lazy_nft.c: the libnftables functions ikeroam calls, opening
 * libnftables at the first of them (src/lazylib.h).  Only the kill
 * switch (--kill-switch, `ikeroam kill-switch`, a leftover table) uses
 * it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <nftables/libnftables.h>

#include "src/lazylib.h"

enum {
	F_CTX_NEW, F_CTX_FREE, F_BUFFER_OUTPUT, F_BUFFER_ERROR,
	F_GET_OUTPUT, F_GET_ERROR, F_RUN_BUFFER, F_N
};
static const char *const names[F_N] = {
	"nft_ctx_new", "nft_ctx_free", "nft_ctx_buffer_output",
	"nft_ctx_buffer_error", "nft_ctx_get_output_buffer",
	"nft_ctx_get_error_buffer", "nft_run_cmd_from_buffer",
};
static void *fn[F_N];
static struct lazylib lib = {
	NFTABLES_SONAME, "the kill switch", names, F_N, fn, 0
};

#define CALL(f, type)	((type)fn[f])

/* Every other function takes a context, so the library is loaded. */
struct nft_ctx *
nft_ctx_new(uint32_t flags)
{
	if (lazylib_load(&lib) != 0)
		return NULL;
	return CALL(F_CTX_NEW, struct nft_ctx *(*)(uint32_t))(flags);
}

void
nft_ctx_free(struct nft_ctx *ctx)
{
	CALL(F_CTX_FREE, void (*)(struct nft_ctx *))(ctx);
}

int
nft_ctx_buffer_output(struct nft_ctx *ctx)
{
	return CALL(F_BUFFER_OUTPUT, int (*)(struct nft_ctx *))(ctx);
}

int
nft_ctx_buffer_error(struct nft_ctx *ctx)
{
	return CALL(F_BUFFER_ERROR, int (*)(struct nft_ctx *))(ctx);
}

const char *
nft_ctx_get_output_buffer(struct nft_ctx *ctx)
{
	return CALL(F_GET_OUTPUT, const char *(*)(struct nft_ctx *))(ctx);
}

const char *
nft_ctx_get_error_buffer(struct nft_ctx *ctx)
{
	return CALL(F_GET_ERROR, const char *(*)(struct nft_ctx *))(ctx);
}

int
nft_run_cmd_from_buffer(struct nft_ctx *ctx, const char *buf)
{
	return CALL(F_RUN_BUFFER, int (*)(struct nft_ctx *,
	    const char *))(ctx, buf);
}
