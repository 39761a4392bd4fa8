/*
 * src/secret.h: reading secrets (PSK, EAP password, key passphrase) from
 * a file only its owner may read, from stdin ("-"), or from the
 * terminal with echo off.  Never from argv or the environment.
 */
#ifndef IR_SRC_SECRET_H
#define IR_SRC_SECRET_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read the secret in |path| ("-": stdin) into |buf|; a trailing newline
 * (LF or CRLF) is removed.  0, or a negative code with one line in
 * |err|: the file is readable by group/others (chmod 600 it), missing,
 * empty, or longer than |cap|.
 */
int	secret_read_file(const char *path, uint8_t *buf, size_t cap,
	    size_t *len, char *err, size_t err_len);

/* Ask on the controlling terminal with echo off. */
int	secret_read_tty(const char *prompt, uint8_t *buf, size_t cap,
	    size_t *len, char *err, size_t err_len);

#endif
