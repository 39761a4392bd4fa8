/* tests/tun/tun_test.h: addresses and split networks from text. */
#ifndef TESTS_TUN_TUN_TEST_H
#define TESTS_TUN_TUN_TEST_H

#include "tun/tun.h"

/* "192.0.2.1" or "2001:db8::1"; fails the test when it does not parse. */
struct tun_ip		tt_ip(const char *text);

/* A split-include network |text|/|len|, any protocol and port. */
struct tun_split	tt_split(const char *text, uint8_t len);

#endif
