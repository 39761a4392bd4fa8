/* tests/crypto/check_crypto.c: the runner for crypto/. */
#include "tests/check_main.h"

#define SUITE(name)	Suite *name(void)
SUITE(kex_suite);
SUITE(prf_suite);
SUITE(keys_suite);
SUITE(xform_suite);
SUITE(sig_suite);
SUITE(x509_suite);
SUITE(mschap_suite);
SUITE(tls_suite);
SUITE(dn_suite);
SUITE(revoke_suite);
SUITE(eaptls_suite);
SUITE(pkcs11_suite);

CHECK_MAIN(kex_suite, prf_suite, keys_suite, xform_suite, sig_suite,
    x509_suite, mschap_suite, tls_suite, dn_suite, revoke_suite,
    eaptls_suite, pkcs11_suite)
