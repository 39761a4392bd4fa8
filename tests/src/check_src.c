/* tests/src/check_src.c: the runner for the pure parts of src/. */
#include "tests/check_main.h"

Suite	*cli_suite(void);
Suite	*ident_suite(void);
Suite	*fallback_suite(void);
Suite	*netmem_suite(void);
Suite	*session_suite(void);
Suite	*reauth_suite(void);
Suite	*ts_match_suite(void);
Suite	*rtnl_suite(void);
Suite	*killswitch_suite(void);
Suite	*captive_url_suite(void);
Suite	*tcp_sniff_suite(void);
Suite	*log_json_suite(void);
Suite	*safefile_suite(void);
Suite	*secret_suite(void);
Suite	*cfg_policy_suite(void);
Suite	*profile_suite(void);
Suite	*tcp_sniff_suite(void);
Suite	*log_json_suite(void);
Suite	*priv_suite(void);
Suite	*control_suite(void);
Suite	*dp_handoff_suite(void);
Suite	*netcfg_stock_suite(void);

CHECK_MAIN(cli_suite, ident_suite, fallback_suite, netmem_suite,
    session_suite, reauth_suite, ts_match_suite, rtnl_suite, killswitch_suite, safefile_suite,
    secret_suite, cfg_policy_suite, captive_url_suite, profile_suite,
    tcp_sniff_suite, log_json_suite, priv_suite, control_suite,
    dp_handoff_suite, netcfg_stock_suite)
