/* tests/src/check_secret.c: secrets from the terminal and in locked memory. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "src/secret.h"

/* What the terminal showed: everything the master side can read now. */
static size_t
drain(int master, char *out, size_t cap)
{
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	size_t n = 0;
	ssize_t r;

	while (n + 1 < cap && poll(&pfd, 1, 200) == 1 &&
	    (r = read(master, out + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	return n;
}

static bool
echo_on(int fd)
{
	struct termios t;

	ck_assert_int_eq(tcgetattr(fd, &t), 0);
	return (t.c_lflag & ECHO) != 0;
}

/* A person at the terminal: types |text| once the prompt has turned the
 * echo off (typed ahead, TCSAFLUSH would drop it). */
static void
type_later(int master, int slave, const char *text)
{
	int i;

	if (fork() != 0)
		return;
	for (i = 0; i < 400 && echo_on(slave); i++)
		usleep(5000);
	(void)!write(master, text, strlen(text));
	_exit(0);
}

START_TEST(terminal_no_echo)
{
	int master, slave;
	uint8_t buf[64];
	char err[256], shown[512];
	size_t len = 0;

	ck_assert_int_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	ck_assert(echo_on(slave));
	type_later(master, slave, "hunter2\n");
	ck_assert_int_eq(secret_read_terminal(slave, "PSK: ", buf,
	    sizeof(buf), &len, err, sizeof(err)), 0);
	wait(NULL);
	ck_assert_uint_eq(len, 7);
	ck_assert_mem_eq(buf, "hunter2", 7);
	ck_assert(echo_on(slave));		/* restored */
	drain(master, shown, sizeof(shown));
	ck_assert_ptr_nonnull(strstr(shown, "PSK: "));
	ck_assert_ptr_null(strstr(shown, "hunter2"));	/* never echoed */
}
END_TEST

START_TEST(terminal_too_long_or_empty)
{
	int master, slave;
	uint8_t buf[4];
	char err[256];
	size_t len = 0;

	ck_assert_int_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	type_later(master, slave, "12345\n");
	ck_assert_int_eq(secret_read_terminal(slave, "x: ", buf, sizeof(buf),
	    &len, err, sizeof(err)), IR_ERR_CONFIG);
	wait(NULL);
	ck_assert_str_eq(err, "what was entered is longer than 4 bytes");
	type_later(master, slave, "\n");
	ck_assert_int_eq(secret_read_terminal(slave, "x: ", buf, sizeof(buf),
	    &len, err, sizeof(err)), IR_ERR_CONFIG);
	wait(NULL);
	ck_assert_str_eq(err, "nothing was entered");
}
END_TEST

/* Ctrl-C at the prompt: the process dies of SIGINT, the echo is back. */
START_TEST(terminal_echo_restored_on_signal)
{
	int master, slave, status, i;
	uint8_t buf[64];
	char err[256];
	size_t len;
	pid_t pid;

	ck_assert_int_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	if ((pid = fork()) == 0) {
		(void)secret_read_terminal(slave, "PSK: ", buf, sizeof(buf),
		    &len, err, sizeof(err));
		_exit(0);	/* must not be reached */
	}
	for (i = 0; i < 200 && echo_on(slave); i++)
		usleep(10000);
	ck_assert(!echo_on(slave));
	ck_assert_int_eq(kill(pid, SIGINT), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGINT);
	ck_assert(echo_on(slave));
}
END_TEST

START_TEST(locked_memory)
{
	uint8_t *p = secret_alloc(100);

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p[0] | p[99], 0);
	memcpy(p, "secret", 6);
	secret_free(p, 100);
	secret_free(NULL, 0);
}
END_TEST

Suite *
secret_suite(void)
{
	Suite *s = suite_create("secret");
	TCase *tc = tcase_create("secret");

	tcase_add_test(tc, terminal_no_echo);
	tcase_add_test(tc, terminal_too_long_or_empty);
	tcase_add_test(tc, terminal_echo_restored_on_signal);
	tcase_add_test(tc, locked_memory);
	suite_add_tcase(s, tc);
	return s;
}
