/*
 * ike/ike_names.c: name lookups generated from the X-macro tables of
 * ike_names.h.  Each lookup is a switch built from its table, so the
 * compiler rejects a number listed twice and the names never drift from
 * the enums.
 */
#include <stdio.h>

#include "ike/ike_names.h"

#define NAME_CASE2(n, v)	case (v): return #n;
#define NAME_CASE3(n, v, s)	case (v): return (s);

#define NAME_FN(fn, MAP, CASE)						\
const char *								\
fn(unsigned v)								\
{									\
	switch (v) {							\
	MAP(CASE)							\
	}								\
	return NULL;							\
}

NAME_FN(ike_exch_name, IKE_EXCH_MAP, NAME_CASE2)
NAME_FN(ike_pld_name, IKE_PLD_MAP, NAME_CASE3)
NAME_FN(ike_notify_name, IKE_NOTIFY_MAP, NAME_CASE2)
NAME_FN(ike_xf_type_name, IKE_XF_MAP, NAME_CASE2)
NAME_FN(ike_encr_name, IKE_ENCR_MAP, NAME_CASE2)
NAME_FN(ike_prf_name, IKE_PRF_MAP, NAME_CASE2)
NAME_FN(ike_integ_name, IKE_INTEG_MAP, NAME_CASE2)
NAME_FN(ike_ke_name, IKE_KE_MAP, NAME_CASE2)
NAME_FN(ike_esn_name, IKE_ESN_MAP, NAME_CASE2)
NAME_FN(ike_proto_name, IKE_PROTO_MAP, NAME_CASE2)
NAME_FN(ike_id_type_name, IKE_IDTYPE_MAP, NAME_CASE2)
NAME_FN(ike_cert_enc_name, IKE_CERT_MAP, NAME_CASE2)
NAME_FN(ike_auth_method_name, IKE_AUTHM_MAP, NAME_CASE2)
NAME_FN(ike_hash_name, IKE_HASH_MAP, NAME_CASE2)
NAME_FN(ike_ts_type_name, IKE_TSTYPE_MAP, NAME_CASE2)
NAME_FN(ike_cfg_type_name, IKE_CFG_MAP, NAME_CASE2)
NAME_FN(ike_cp_attr_name, IKE_CPA_MAP, NAME_CASE2)
NAME_FN(ike_gw_id_type_name, IKE_GWID_MAP, NAME_CASE2)
NAME_FN(ike_eap_code_name, IKE_EAPC_MAP, NAME_CASE2)

const char *
ike_xf_id_name(unsigned type, unsigned id)
{
	switch (type) {
	case IKE_XF_ENCR:
		return ike_encr_name(id);
	case IKE_XF_PRF:
		return ike_prf_name(id);
	case IKE_XF_INTEG:
		return ike_integ_name(id);
	case IKE_XF_KE:
		return ike_ke_name(id);
	case IKE_XF_ESN:
		return ike_esn_name(id);
	}
	return NULL;
}

/*
 * The payload types this codec parses.  GSPM (RFC 6467) has a number but
 * no parser: it is treated as unknown, so a critical GSPM gets
 * UNSUPPORTED_CRITICAL_PAYLOAD (RFC 7296 §2.5).
 */
bool
ike_pld_is_known(unsigned type)
{
	return (type >= IKE_PLD_SA && type <= IKE_PLD_EAP) ||
	    type == IKE_PLD_SKF;
}

const char *
ike_name_or_num(const char *name, unsigned v, char *buf, size_t cap)
{
	if (name != NULL)
		return name;
	snprintf(buf, cap, "%u", v);
	return buf;
}
