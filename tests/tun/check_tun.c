/* tests/tun/check_tun.c: the runner for tun/. */
#include "tests/check_main.h"

#define SUITE(name)	Suite *name(void)
SUITE(tun_script_suite);
SUITE(tun_netlink_suite);
SUITE(tun_mtu_suite);
SUITE(tun_mss_suite);
SUITE(tun_plan_suite);
SUITE(tun_gso_suite);
SUITE(tun_csum_suite);

CHECK_MAIN(tun_script_suite, tun_netlink_suite, tun_mtu_suite,
    tun_mss_suite, tun_plan_suite, tun_gso_suite, tun_csum_suite)
