/*
 * src/secret.h: reading secrets (PSK, EAP password, key passphrase) from
 * a file only its owner may read, from stdin ("-"), or from the
 * terminal with echo off; and memory to keep them in.  Never from argv
 * or the environment.
 */
#ifndef IR_SRC_SECRET_H
#define IR_SRC_SECRET_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read the secret in |path| ("-": stdin) into |buf|; a trailing newline
 * (LF or CRLF) is removed.  The file is checked by safefile_open() with
 * SAFEFILE_SECRET.  When stdin is a terminal, "-" asks with echo off.
 * 0, or a negative code with one line in |err|: the file is readable by
 * group/others (chmod 600 it), missing, empty, or longer than |cap|.
 */
int	secret_read_file(const char *path, uint8_t *buf, size_t cap,
	    size_t *len, char *err, size_t err_len);

/* Ask on the controlling terminal (/dev/tty) with echo off. */
int	secret_read_tty(const char *prompt, uint8_t *buf, size_t cap,
	    size_t *len, char *err, size_t err_len);

/*
 * Ask on the terminal |fd| with echo off: |prompt| is written to it, one
 * line is read with read(2) (no stdio buffer keeps a copy) and the
 * terminal's settings are restored, also when SIGINT, SIGTERM, SIGHUP or
 * SIGQUIT arrives meanwhile (the signal is then delivered as before).
 */
int	secret_read_terminal(int fd, const char *prompt, uint8_t *buf,
	    size_t cap, size_t *len, char *err, size_t err_len);

/*
 * |n| zeroed bytes for secrets: locked in RAM (never swapped; best
 * effort when RLIMIT_MEMLOCK is low), left out of core dumps
 * (MADV_DONTDUMP), wiped and unmapped by secret_free().  NULL when out
 * of memory.
 */
void	*secret_alloc(size_t n);
void	 secret_free(void *p, size_t n);

#endif
