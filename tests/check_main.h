/*
 * tests/check_main.h: one Check runner per module.  Each module's
 * check_<module>.c lists its suite constructors:
 *
 *	CHECK_MAIN(wire_suite, ir_mem_suite)
 *
 * Tests run in fork mode (one process per test), so a crash fails one
 * test and the arena of check_util.c starts empty in every test.
 * CK_RUN_SUITE / CK_RUN_CASE select what runs.
 */
#ifndef CHECK_MAIN_H
#define CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define CHECK_MAIN(...)							\
int									\
main(void)								\
{									\
	Suite *(*makers[])(void) = { __VA_ARGS__ };			\
	SRunner *sr = srunner_create(NULL);				\
	size_t i;							\
	int failed;							\
									\
	for (i = 0; i < sizeof(makers) / sizeof(makers[0]); i++)	\
		srunner_add_suite(sr, makers[i]());			\
	srunner_run_all(sr, CK_NORMAL);					\
	failed = srunner_ntests_failed(sr);				\
	srunner_free(sr);						\
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;		\
}

#endif
