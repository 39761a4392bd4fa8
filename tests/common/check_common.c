/* tests/common/check_common.c: the runner for common/. */
#include "tests/check_main.h"

Suite	*wire_suite(void);
Suite	*ir_mem_suite(void);

CHECK_MAIN(wire_suite, ir_mem_suite)
