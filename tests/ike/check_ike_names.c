/*
 * tests/ike/check_ike_names.c: the X-macro tables of ike/ike_names.h.
 *
 * The numbers below were checked against two sources besides our own
 * table: strongSwan's notify_payload.h (types up to 16417) and the IANA
 * "IKEv2 Parameters" listings carried by other IKEv2 codecs (16418 and
 * up, RFC 7383 / RFC 7427 / RFC 6023), plus RFC 7296 §3 for the rest.
 */
#include <check.h>
#include <string.h>

#include "ike/ike_names.h"
#include "tests/check_util.h"

struct name_vec {
	const char	*(*fn)(unsigned);
	unsigned	 value;
	const char	*name;
	unsigned	 enum_value;	/* the generated enum constant */
};

static const struct name_vec name_vecs[] = {
	{ ike_exch_name, 34, "IKE_SA_INIT", IKE_EXCH_IKE_SA_INIT },
	{ ike_exch_name, 35, "IKE_AUTH", IKE_EXCH_IKE_AUTH },
	{ ike_exch_name, 36, "CREATE_CHILD_SA", IKE_EXCH_CREATE_CHILD_SA },
	{ ike_exch_name, 37, "INFORMATIONAL", IKE_EXCH_INFORMATIONAL },
	{ ike_pld_name, 33, "SA", IKE_PLD_SA },
	{ ike_pld_name, 40, "No", IKE_PLD_NONCE },
	{ ike_pld_name, 46, "SK", IKE_PLD_SK },
	{ ike_pld_name, 47, "CP", IKE_PLD_CP },
	{ ike_pld_name, 48, "EAP", IKE_PLD_EAP },
	{ ike_pld_name, 53, "SKF", IKE_PLD_SKF },
	{ ike_notify_name, 1, "UNSUPPORTED_CRITICAL_PAYLOAD",
	    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD },
	{ ike_notify_name, 7, "INVALID_SYNTAX", IKE_N_INVALID_SYNTAX },
	{ ike_notify_name, 17, "INVALID_KE_PAYLOAD", IKE_N_INVALID_KE_PAYLOAD },
	{ ike_notify_name, 24, "AUTHENTICATION_FAILED",
	    IKE_N_AUTHENTICATION_FAILED },
	{ ike_notify_name, 40, "UNACCEPTABLE_ADDRESSES",
	    IKE_N_UNACCEPTABLE_ADDRESSES },
	{ ike_notify_name, 16390, "COOKIE", IKE_N_COOKIE },
	{ ike_notify_name, 16396, "MOBIKE_SUPPORTED", IKE_N_MOBIKE_SUPPORTED },
	{ ike_notify_name, 16400, "UPDATE_SA_ADDRESSES",
	    IKE_N_UPDATE_SA_ADDRESSES },
	{ ike_notify_name, 16401, "COOKIE2", IKE_N_COOKIE2 },
	{ ike_notify_name, 16406, "REDIRECT_SUPPORTED",
	    IKE_N_REDIRECT_SUPPORTED },
	{ ike_notify_name, 16407, "REDIRECT", IKE_N_REDIRECT },
	{ ike_notify_name, 16408, "REDIRECTED_FROM", IKE_N_REDIRECTED_FROM },
	{ ike_notify_name, 16409, "TICKET_LT_OPAQUE", IKE_N_TICKET_LT_OPAQUE },
	{ ike_notify_name, 16418, "CHILDLESS_IKEV2_SUPPORTED",
	    IKE_N_CHILDLESS_IKEV2_SUPPORTED },
	{ ike_notify_name, 16430, "IKEV2_FRAGMENTATION_SUPPORTED",
	    IKE_N_IKEV2_FRAGMENTATION_SUPPORTED },
	{ ike_notify_name, 16431, "SIGNATURE_HASH_ALGORITHMS",
	    IKE_N_SIGNATURE_HASH_ALGORITHMS },
	{ ike_xf_type_name, 4, "KE", IKE_XF_KE },
	{ ike_encr_name, 12, "AES_CBC", IKE_ENCR_AES_CBC },
	{ ike_encr_name, 20, "AES_GCM_16", IKE_ENCR_AES_GCM_16 },
	{ ike_encr_name, 28, "CHACHA20_POLY1305", IKE_ENCR_CHACHA20_POLY1305 },
	{ ike_prf_name, 5, "HMAC_SHA2_256", IKE_PRF_HMAC_SHA2_256 },
	{ ike_integ_name, 12, "HMAC_SHA2_256_128", IKE_INTEG_HMAC_SHA2_256_128 },
	{ ike_ke_name, 14, "MODP2048", IKE_KE_MODP2048 },
	{ ike_ke_name, 31, "CURVE25519", IKE_KE_CURVE25519 },
	{ ike_esn_name, 1, "YES", IKE_ESN_YES },
	{ ike_id_type_name, 3, "RFC822_ADDR", IKE_IDT_RFC822_ADDR },
	{ ike_id_type_name, 11, "KEY_ID", IKE_IDT_KEY_ID },
	{ ike_cert_enc_name, 4, "X509_SIG", IKE_CERT_X509_SIG },
	{ ike_auth_method_name, 2, "SHARED_KEY_MIC", IKE_AUTHM_SHARED_KEY_MIC },
	{ ike_auth_method_name, 14, "DIGITAL_SIGNATURE",
	    IKE_AUTHM_DIGITAL_SIGNATURE },
	{ ike_ts_type_name, 8, "IPV6_ADDR_RANGE", IKE_TST_IPV6_ADDR_RANGE },
	{ ike_cfg_type_name, 2, "REPLY", IKE_CFG_REPLY },
	{ ike_cp_attr_name, 3, "INTERNAL_IP4_DNS", IKE_CPA_INTERNAL_IP4_DNS },
	{ ike_cp_attr_name, 13, "INTERNAL_IP4_SUBNET",
	    IKE_CPA_INTERNAL_IP4_SUBNET },
	{ ike_cp_attr_name, 25, "INTERNAL_DNS_DOMAIN",
	    IKE_CPA_INTERNAL_DNS_DOMAIN },
	{ ike_cp_attr_name, 26, "INTERNAL_DNSSEC_TA",
	    IKE_CPA_INTERNAL_DNSSEC_TA },
	{ ike_hash_name, 2, "SHA2_256", IKE_HASH_SHA2_256 },
	{ ike_proto_name, 3, "ESP", IKE_PROTO_ESP },
	{ ike_gw_id_type_name, 3, "FQDN", IKE_GWID_FQDN },
	{ ike_eap_code_name, 3, "SUCCESS", IKE_EAPC_SUCCESS },
};

START_TEST(names_known)
{
	const struct name_vec *v = &name_vecs[_i];
	const char *got = v->fn(v->value);

	ck_assert_uint_eq(v->enum_value, v->value);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, v->name);
}
END_TEST

START_TEST(names_unknown)
{
	char buf[16];

	ck_assert_ptr_null(ike_notify_name(2));
	ck_assert_ptr_null(ike_notify_name(16383));
	ck_assert_ptr_null(ike_notify_name(65535));
	ck_assert_ptr_null(ike_exch_name(33));
	ck_assert_ptr_null(ike_pld_name(50));
	ck_assert_ptr_null(ike_xf_id_name(9, 1));
	ck_assert_ptr_null(ike_cp_attr_name(0));
	ck_assert_str_eq(ike_name_or_num(ike_notify_name(9999), 9999, buf,
	    sizeof(buf)), "9999");
	ck_assert_str_eq(ike_name_or_num(ike_notify_name(16390), 16390, buf,
	    sizeof(buf)), "COOKIE");
}
END_TEST

START_TEST(names_xf_id)
{
	ck_assert_str_eq(ike_xf_id_name(IKE_XF_ENCR, 20), "AES_GCM_16");
	ck_assert_str_eq(ike_xf_id_name(IKE_XF_PRF, 7), "HMAC_SHA2_512");
	ck_assert_str_eq(ike_xf_id_name(IKE_XF_INTEG, 0), "NONE");
	ck_assert_str_eq(ike_xf_id_name(IKE_XF_KE, 19), "ECP256");
	ck_assert_str_eq(ike_xf_id_name(IKE_XF_ESN, 0), "NO");
}
END_TEST

START_TEST(names_classes)
{
	ck_assert(ike_notify_is_error(IKE_N_INVALID_KE_PAYLOAD));
	ck_assert(ike_notify_is_error(16383));
	ck_assert(!ike_notify_is_error(IKE_N_INITIAL_CONTACT));
	ck_assert(ike_pld_is_known(IKE_PLD_SA));
	ck_assert(ike_pld_is_known(IKE_PLD_EAP));
	ck_assert(ike_pld_is_known(IKE_PLD_SKF));
	ck_assert(!ike_pld_is_known(IKE_PLD_GSPM));
	ck_assert(!ike_pld_is_known(0));
	ck_assert(!ike_pld_is_known(32));
	ck_assert(!ike_pld_is_known(52));
}
END_TEST

/* Every payload name of the table round-trips through its lookup. */
START_TEST(names_table_complete)
{
#define CHECK_PLD(n, v, s)	ck_assert_str_eq(ike_pld_name(v), s);
	IKE_PLD_MAP(CHECK_PLD)
#undef CHECK_PLD
#define CHECK_N(n, v)		ck_assert_str_eq(ike_notify_name(v), #n);
	IKE_NOTIFY_MAP(CHECK_N)
#undef CHECK_N
}
END_TEST

Suite *ike_names_suite(void);

Suite *
ike_names_suite(void)
{
	Suite *s = suite_create("ike_names");
	TCase *tc = tcase_create("names");

	tcase_add_loop_test(tc, names_known, 0,
	    sizeof(name_vecs) / sizeof(name_vecs[0]));
	tcase_add_test(tc, names_unknown);
	tcase_add_test(tc, names_xf_id);
	tcase_add_test(tc, names_classes);
	tcase_add_test(tc, names_table_complete);
	suite_add_tcase(s, tc);
	return s;
}
