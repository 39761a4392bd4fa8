/* tests/esp/check_esp.c: the runner for esp/. */
#include "tests/check_main.h"

#define SUITE(name)	Suite *name(void)
SUITE(esp_replay_suite);
SUITE(esp_crypt_suite);
SUITE(esp_vectors_suite);
SUITE(esp_udp_suite);
SUITE(esp_tcp_suite);

CHECK_MAIN(esp_replay_suite, esp_crypt_suite, esp_vectors_suite,
    esp_udp_suite, esp_tcp_suite)
