/*
 * tests/src/check_netcfg_stock.c: src/netcfg_stock.c, what ikeroam knows
 * of the stock vpnc-script: which path is it, and which lines of its
 * "connect" output the early setup makes expected (debug log) while
 * everything else reaches standard error unchanged.
 */
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "src/log.h"
#include "src/netcfg.h"

static int debug_lines;

/* The filtered lines go here (src/log.c is not linked into check_src). */
void
log_msg(int level, const char *fmt, ...)
{
	(void)fmt;
	if (level == IR_LOG_DEBUG)
		debug_lines++;
}

static int
memfile(const char *text)
{
	int fd = memfd_create("t", MFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	return fd;
}

/* netcfg_out_forward(|text|, |early|) with standard error captured. */
static char *
forward(const char *text, bool early)
{
	int in = memfile(text), out = memfile(""), saved = dup(STDERR_FILENO);
	static char got[8192];
	ssize_t n;

	ck_assert_int_ge(saved, 0);
	fflush(stderr);
	ck_assert_int_eq(dup2(out, STDERR_FILENO), STDERR_FILENO);
	netcfg_out_forward(in, early);
	ck_assert_int_eq(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	n = pread(out, got, sizeof(got) - 1, 0);
	ck_assert_int_ge(n, 0);
	got[n] = '\0';
	close(in);
	close(out);
	return got;
}

START_TEST(expected_lines)
{
	static const char *yes[] = { "RTNETLINK answers: File exists",
	    "Error: ipv4: Address already assigned.",
	    "Error: ipv6: address already assigned." };
	static const char *no[] = { "RTNETLINK answers: File exists ",
	    "RTNETLINK answers: File exist", "RTNETLINK answers: No such "
	    "process", "Error: ipv4: Address already assigned",
	    "Error: Nexthop has invalid gateway.", "" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert(netcfg_out_expected(yes[i], strlen(yes[i])));
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert(!netcfg_out_expected(no[i], strlen(no[i])));
}
END_TEST

START_TEST(forward_filters_only_early)
{
	const char *text = "Connect Banner:\n"
	    "RTNETLINK answers: File exists\n"
	    "Error: ipv6: address already assigned.\n"
	    "RTNETLINK answers: No such process\n"
	    "a hook's last words";

	debug_lines = 0;
	ck_assert_str_eq(forward(text, true), "Connect Banner:\n"
	    "RTNETLINK answers: No such process\n"
	    "a hook's last words\n");
	ck_assert_int_eq(debug_lines, 2);
	debug_lines = 0;
	ck_assert_str_eq(forward(text, false), "Connect Banner:\n"
	    "RTNETLINK answers: File exists\n"
	    "Error: ipv6: address already assigned.\n"
	    "RTNETLINK answers: No such process\n"
	    "a hook's last words\n");
	ck_assert_int_eq(debug_lines, 0);
	ck_assert_str_eq(forward("", true), "");
}
END_TEST

/* A line longer than the buffer goes out whole, in pieces. */
START_TEST(forward_long_line)
{
	char text[3000], *got;
	size_t i;

	for (i = 0; i < sizeof(text) - 2; i++)
		text[i] = (char)('a' + i % 26);
	text[sizeof(text) - 2] = '\n';
	text[sizeof(text) - 1] = '\0';
	got = forward(text, true);
	for (i = 0; got[i] != '\0' && i < sizeof(text) - 2; i++)
		if (got[i] == '\n')
			memmove(got + i, got + i + 1, strlen(got + i + 1) + 1);
	ck_assert_int_eq(strncmp(got, text, sizeof(text) - 2), 0);
}
END_TEST

START_TEST(stock_script_path)
{
	char dir[] = "/tmp/ikeroam-stock-XXXXXX", link[64], copy[64];
	int fd;

	ck_assert(!netcfg_script_is_stock(NULL));
	ck_assert(netcfg_script_is_stock(NETCFG_DEFAULT_SCRIPT));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(copy, sizeof(copy), "%s/mine", dir);
	ck_assert(!netcfg_script_is_stock(link));	/* absent */
	fd = open(copy, O_CREAT | O_WRONLY, 0755);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert(!netcfg_script_is_stock(copy));	/* one's own */
	ck_assert_int_eq(symlink(NETCFG_DEFAULT_SCRIPT, link), 0);
	if (access(NETCFG_DEFAULT_SCRIPT, F_OK) == 0)
		ck_assert(netcfg_script_is_stock(link));
	else
		ck_assert(!netcfg_script_is_stock(link));
	unlink(link);
	unlink(copy);
	rmdir(dir);
}
END_TEST

Suite *
netcfg_stock_suite(void)
{
	Suite *s = suite_create("netcfg_stock");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, expected_lines);
	tcase_add_test(tc, forward_filters_only_early);
	tcase_add_test(tc, forward_long_line);
	tcase_add_test(tc, stock_script_path);
	suite_add_tcase(s, tc);
	return s;
}
