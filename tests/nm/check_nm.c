/* tests/nm/check_nm.c: the runner for the NetworkManager plugin's pure parts. */
#include "tests/check_main.h"

Suite	*nm_profile_suite(void);
Suite	*nm_event_suite(void);

CHECK_MAIN(nm_profile_suite, nm_event_suite)
