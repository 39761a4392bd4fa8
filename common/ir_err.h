/*
 * common/ir_err.h: the one error convention of ikeroam.
 *
 *   0             success
 *   -1 .. -4095   a negated errno or libuv code, passed through unchanged
 *   <= -5000      our own codes, below
 *
 * Non-fatal codes mean "this input was dropped and counted; carry on".
 * Fatal codes end the IKE SA or the program.
 */
#ifndef IR_ERR_H
#define IR_ERR_H

#include <stdbool.h>
#include <stddef.h>

#define IR_ERR_MAP(X)							\
	X(MALFORMED,	-5001, "malformed message",		  0)	\
	X(UNEXPECTED,	-5002, "message not valid in this state", 0)	\
	X(DECRYPT,	-5003, "integrity check failed",	  0)	\
	X(REPLAY,	-5004, "replayed or too old",		  0)	\
	X(NOBUF,	-5005, "buffer too small",		  0)	\
	X(UNSUPPORTED,	-5006, "unsupported algorithm or feature", 0)	\
	X(INVALID_KE,	-5007, "invalid key exchange value",	  0)	\
	X(NOT_FOUND,	-5008, "not found",			  0)	\
	X(DUMMY,	-5009, "dummy packet dropped",		  0)	\
	X(NO_PROPOSAL,	-5010, "no acceptable proposal",	  1)	\
	X(AUTH,		-5011, "authentication failed",		  1)	\
	X(TIMEOUT,	-5012, "peer did not answer",		  1)	\
	X(PEER_ID,	-5013, "peer identity does not match",	  1)	\
	X(CERT,		-5014, "certificate not valid",		  1)	\
	X(TS,		-5015, "traffic selectors not acceptable", 1)	\
	X(CP,		-5016, "address assignment failed",	  1)	\
	X(LIFETIME,	-5017, "SA lifetime exhausted",		  1)	\
	X(CLOSED,	-5018, "SA closed",			  1)	\
	X(CONFIG,	-5019, "bad configuration",		  1)	\
	X(NOMEM,	-5020, "out of memory",			  1)	\
	X(CRYPTO,	-5021, "cryptographic library failure",	  1)	\
	X(REDIRECT,	-5022, "redirected to another gateway",	  1)	\
	X(CERT_PURPOSE,	-5023, "certificate not issued for a gateway", 1) \
	X(TLS,		-5031, "TLS failed",			  1)	\
	X(TLS_NOT,	-5032, "the server does not speak TLS",	  1)	\
	X(TLS_CERT,	-5033, "the TLS certificate is not trusted", 1)	\
	X(PENDING,	-5040, "answer pending",		  0)	\
	X(INTERNAL,	-5099, "internal error",		  1)

enum ir_err {
#define X(name, code, text, fatal) IR_ERR_##name = (code),
	IR_ERR_MAP(X)
#undef X
};

/* A static string for |code|: ours, or strerror(-code) for errno values. */
const char	*ir_strerror(int code);

/* The symbolic name ("MALFORMED") of one of our codes, or "errno". */
const char	*ir_errname(int code);

/* True when |code| ends the SA; false for 0, errno values and drops. */
bool		 ir_err_is_fatal(int code);

/*
 * Format the one line a user reads into |err| (control characters
 * become '?': the text may echo a file or a server) and return |code|.
 */
int		 ir_err_line(char *err, size_t err_len, int code,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
