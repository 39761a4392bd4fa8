/*
 * tests/esp/esp_test.h: helpers shared by the esp/ tests: the transform
 * suites under test, SAs with fixed keys, IP packets, and a reference ESP
 * encoder written from RFC 4303 independently of esp_crypt.c, so that the
 * engine's output and its checks can be compared with a second opinion.
 */
#ifndef ESP_TEST_H
#define ESP_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp/esp.h"

struct t_suite {
	const char	*name;
	uint16_t	 encr, key_bits, integ;
};

extern const struct t_suite	t_suites[];
extern const size_t		t_nsuites;

#define T_SPI	0x0a0b0c0du

/* An SA of |s| with fixed keys (the same for both directions). */
struct esp_sa	*t_esp_sa(const struct t_suite *s, bool esn, bool outbound,
		    uint32_t replay_window);

/* The same keys as a crypto_xform, for the reference encoder. */
struct crypto_xform *t_esp_xform(const struct t_suite *s);

/* Fill |p| with an IPv4 (|v6| false) or IPv6 packet of |len| octets. */
void	t_ip_packet(uint8_t *p, size_t len, bool v6, uint32_t seed);

/* What the reference encoder builds; -1 fields mean "as RFC 4303 says". */
struct t_ref {
	const uint8_t	*payload;		/* inner packet (and TFC) */
	size_t		 len;
	int		 nh;			/* next header; -1: 4 */
	int		 pad;			/* pad octets; -1: minimal */
	int		 pad_field;		/* Pad Length field; -1: pad */
	bool		 bad_pad;		/* last pad octet wrong */
	const uint8_t	*iv;			/* NULL: seq (AEAD) or zeros */
};

/* Defaults: |len| octets of |payload|, everything else per the RFC. */
void	t_ref_init(struct t_ref *ref, const uint8_t *payload, size_t len);

/*
 * Build the ESP packet SPI .. ICV for |seq| (64 bits; the wire carries
 * the low half) into |out| and return its length.
 */
size_t	t_esp_ref(const struct t_suite *s, bool esn, uint32_t spi, uint64_t seq,
	    const struct t_ref *ref, uint8_t *out, size_t cap);

/*
 * A packet buffer of exactly |headroom| + |len| + |tailroom| octets from
 * malloc(), so that AddressSanitizer sees any write out of bounds.
 */
struct ir_pkt	t_pkt_exact(const uint8_t *data, size_t len, size_t headroom,
		    size_t tailroom);
void		t_pkt_free(struct ir_pkt *pkt);

#endif
