/*
 * esp/esp_int.h: the SA structure shared by the files of esp/.  Included
 * only inside esp/; everyone else sees struct esp_sa as opaque.
 */
#ifndef ESP_INT_H
#define ESP_INT_H

#include "crypto/crypto.h"
#include "esp/esp.h"

struct esp_sa {
	uint32_t		 spi;
	bool			 outbound;
	bool			 esn;
	bool			 aead;
	size_t			 iv_len;	/* explicit IV on the wire */
	size_t			 icv_len;
	size_t			 align;		/* max(4, cipher block) */
	struct crypto_xform	*xf;		/* owns the keys */
	uint64_t		 seq_out;	/* outbound: last sent */
	uint64_t		 iv_mask;	/* outbound AEAD */
	esp_random_fn		 random;	/* outbound CBC */
	void			*random_ud;
	struct esp_limit	 soft;
	struct esp_limit	 hard;
	struct esp_sa_stats	 st;
	struct esp_replay	 replay;	/* inbound */
};

/* The highest sequence number the SA may use: 2^32 - 1 without ESN. */
static inline uint64_t
esp_seq_max(const struct esp_sa *sa)
{
	return sa->esn ? UINT64_MAX : UINT32_MAX;
}

#endif
