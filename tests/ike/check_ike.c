/* tests/ike/check_ike.c: the runner for ike/. */
#include "tests/check_main.h"

#define SUITE(name)	Suite *name(void)
SUITE(ike_names_suite);
SUITE(ike_msg_suite);
SUITE(ike_pld_suite);
SUITE(ike_sk_suite);
SUITE(ike_vectors_suite);
SUITE(ike_algs_suite);
SUITE(ike_sa_suite);
SUITE(ike_auth_suite);
SUITE(ike_rekey_suite);
SUITE(ike_mobike_suite);
SUITE(ike_session_suite);
SUITE(ike_x509_suite);
SUITE(ike_eap_suite);
SUITE(ike_redirect_suite);
SUITE(ike_reauth_suite);
SUITE(ike_childless_suite);
SUITE(ike_eaptls_vectors_suite);
SUITE(ike_children_suite);

CHECK_MAIN(ike_names_suite, ike_msg_suite, ike_pld_suite, ike_sk_suite,
    ike_vectors_suite, ike_algs_suite, ike_sa_suite, ike_auth_suite,
    ike_rekey_suite, ike_mobike_suite, ike_session_suite, ike_x509_suite,
    ike_eap_suite,
    ike_redirect_suite, ike_reauth_suite, ike_childless_suite,
    ike_eaptls_vectors_suite, ike_children_suite)
