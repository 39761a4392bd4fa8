/*
 * tun/tun_csum.h: the Internet checksum (RFC 1071), one implementation
 * for the data path (segmentation, coalescing, MSS clamping).  Pure.
 *
 * Sums are kept in host order over native loads (RFC 1071 §2(B): the
 * one's complement sum is byte-order independent), folded to 16 bits
 * and stored with a native store; only values given as numbers
 * (tun_csum_add16) are converted.  |p| may have any alignment.
 */
#ifndef TUN_CSUM_H
#define TUN_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add |n| octets that start at an even offset of the checksummed data
 * to the partial sum |s| (any value a previous call returned). */
uint64_t	tun_csum_add(uint64_t s, const uint8_t *p, size_t n);
/* Add a 16-bit value given in host order, as a word of the data. */
uint64_t	tun_csum_add16(uint64_t s, uint16_t v);
/* Fold a partial sum to 16 bits (not complemented). */
uint16_t	tun_csum_fold(uint64_t s);
/* Store a folded sum where a native load of the data would read it. */
void		tun_csum_store(uint8_t *p, uint16_t v);
/* The checksum of |len| octets: the complement of their folded sum. */
uint16_t	tun_csum(const uint8_t *p, size_t len);
/* RFC 1624 eqn. 3: checksum |hc| after a 16-bit word went from |old|
 * to |new| (all three in the same order). */
uint16_t	tun_csum_update(uint16_t hc, uint16_t old, uint16_t new);

#endif
