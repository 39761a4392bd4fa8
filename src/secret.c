/* src/secret.c: secrets from owner-only files, stdin or the terminal. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "src/safefile.h"
#include "src/secret.h"

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

int
secret_read_file(const char *path, uint8_t *buf, size_t cap, size_t *len,
    char *err, size_t err_len)
{
	uint8_t tmp[1024];
	size_t n = 0;
	int fd, rv;

	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		if ((rv = safefile_open(path, SAFEFILE_SECRET, &fd, err,
		    err_len)) != 0)
			return rv;
	}
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
	struct termios old, quiet;
	char line[512];
	size_t n;
	FILE *tty;
	int rv = 0;

	if ((tty = fopen("/dev/tty", "r+e")) == NULL) {
		snprintf(err, err_len, "no terminal to ask for the password; "
		    "use --password-file FILE (or - for stdin)");
		return IR_ERR_CONFIG;
	}
	fputs(prompt, tty);
	fflush(tty);
	if (tcgetattr(fileno(tty), &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	if (fgets(line, sizeof(line), tty) == NULL) {
		snprintf(err, err_len, "no password entered");
		rv = IR_ERR_CONFIG;
	}
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (rv == 0) {
		n = strcspn(line, "\r\n");
		if (n == 0 || n > cap) {
			snprintf(err, err_len, n == 0 ? "no password entered" :
			    "the password is too long");
			rv = IR_ERR_CONFIG;
		} else {
			memcpy(buf, line, n);
			*len = n;
		}
	}
	ir_wipe(line, sizeof(line));
	return rv;
}
