/* src/secret.c: secrets from owner-only files, stdin or the terminal. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/safefile.h"
#include "src/secret.h"

#define LINE_MAX_SECRET	1024

/*
 * The terminal whose echo is off while a prompt waits, for the signal
 * handler: the one state a handler cannot be handed.
 */
static int		tty_fd = -1;
static struct termios	tty_saved;

static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void
restore_on_signal(int sig)
{
	if (tty_fd >= 0) {
		(void)tcsetattr(tty_fd, TCSANOW, &tty_saved);
		(void)!write(tty_fd, "\n", 1);
	}
	/* Then die (or whatever the old action was) as if we never
	 * caught it: SA_RESETHAND restored the default. */
	raise(sig);
}

static void
strip_newline(uint8_t *buf, size_t *len)
{
	if (*len > 0 && buf[*len - 1] == '\n')
		(*len)--;
	if (*len > 0 && buf[*len - 1] == '\r')
		(*len)--;
}

/* Read all of |fd| into |buf|; one byte of slack detects "too long". */
static int
read_all(int fd, uint8_t *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	ssize_t r;

	for (;;) {
		if (n == cap)
			return IR_ERR_NOBUF;
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return 0;
}

/* One line from |fd|, a byte at a time so nothing is read past it. */
static int
read_line(int fd, uint8_t *buf, size_t cap, size_t *len, bool *too_long)
{
	size_t n = 0;
	ssize_t r;
	uint8_t ch;

	*too_long = false;
	for (;;) {
		r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0 || ch == '\n')
			break;
		if (n < cap)
			buf[n++] = ch;
		else
			*too_long = true;
	}
	ch = 0;
	*len = n;
	return 0;
}

int
secret_read_terminal(int fd, const char *prompt, uint8_t *buf, size_t cap,
    size_t *len, char *err, size_t err_len)
{
	struct sigaction sa, old[sizeof(prompt_signals) /
	    sizeof(prompt_signals[0])];
	struct termios quiet;
	uint8_t line[LINE_MAX_SECRET];
	bool too_long, have_tio;
	size_t n = 0, i;
	int rv;

	(void)!write(fd, prompt, strlen(prompt));
	have_tio = tcgetattr(fd, &tty_saved) == 0;
	if (have_tio) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = restore_on_signal;
		sa.sa_flags = SA_RESETHAND;
		sigemptyset(&sa.sa_mask);
		tty_fd = fd;
		for (i = 0; i < sizeof(prompt_signals) /
		    sizeof(prompt_signals[0]); i++)
			sigaction(prompt_signals[i], &sa, &old[i]);
		quiet = tty_saved;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
		(void)tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	rv = read_line(fd, line, sizeof(line), &n, &too_long);
	if (have_tio) {
		(void)tcsetattr(fd, TCSAFLUSH, &tty_saved);
		tty_fd = -1;
		for (i = 0; i < sizeof(prompt_signals) /
		    sizeof(prompt_signals[0]); i++)
			sigaction(prompt_signals[i], &old[i], NULL);
	}
	(void)!write(fd, "\n", 1);
	if (rv == 0) {
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n == 0) {
			snprintf(err, err_len, "nothing was entered");
			rv = IR_ERR_CONFIG;
		} else if (too_long || n > cap) {
			snprintf(err, err_len, "what was entered is longer "
			    "than %zu bytes", cap);
			rv = IR_ERR_CONFIG;
		} else {
			memcpy(buf, line, n);
			*len = n;
		}
	} else
		snprintf(err, err_len, "cannot read the terminal: %s",
		    strerror(-rv));
	ir_wipe(line, sizeof(line));
	return rv;
}

int
secret_read_file(const char *path, uint8_t *buf, size_t cap, size_t *len,
    char *err, size_t err_len)
{
	uint8_t tmp[LINE_MAX_SECRET];
	size_t n = 0;
	int fd, rv;

	if (strcmp(path, "-") == 0 && isatty(STDIN_FILENO))
		return secret_read_terminal(STDIN_FILENO, "Secret: ", buf, cap,
		    len, err, err_len);
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((rv = safefile_open(path, SAFEFILE_SECRET, &fd, err,
	    err_len)) != 0)
		return rv;
	rv = read_all(fd, tmp, sizeof(tmp), &n);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rv == 0) {
		strip_newline(tmp, &n);
		if (n == 0) {
			snprintf(err, err_len, "%s: the secret is empty", path);
			rv = IR_ERR_CONFIG;
		} else if (n > cap) {
			snprintf(err, err_len, "%s: the secret is longer than "
			    "%zu bytes", path, cap);
			rv = IR_ERR_CONFIG;
		} else {
			memcpy(buf, tmp, n);
			*len = n;
		}
	} else {
		snprintf(err, err_len, "%s: %s", path, rv == IR_ERR_NOBUF ?
		    "the file is too large for a secret" : ir_strerror(rv));
	}
	ir_wipe(tmp, sizeof(tmp));
	return rv;
}

int
secret_read_tty(const char *prompt, uint8_t *buf, size_t cap, size_t *len,
    char *err, size_t err_len)
{
	int fd, rv;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		snprintf(err, err_len, "no terminal to ask for the password; "
		    "use --password-file FILE (or - for stdin)");
		return IR_ERR_CONFIG;
	}
	rv = secret_read_terminal(fd, prompt, buf, cap, len, err, err_len);
	close(fd);
	return rv;
}

static size_t
page_round(size_t n)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t p = pg > 0 ? (size_t)pg : 4096;

	return n == 0 ? p : (n + p - 1) / p * p;
}

void *
secret_alloc(size_t n)
{
	size_t len = page_round(n);
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Both are best effort: an unprivileged user's RLIMIT_MEMLOCK may
	 * be small, and the process is not dumpable anyway (main.c). */
	(void)mlock(p, len);
	(void)madvise(p, len, MADV_DONTDUMP);
	return p;
}

void
secret_free(void *p, size_t n)
{
	size_t len = page_round(n);

	if (p == NULL)
		return;
	ir_wipe(p, len);
	(void)munlock(p, len);
	(void)munmap(p, len);
}
