/*
 * tests/vectors/tools/keylog_preload.c: a test-only LD_PRELOAD shim that
 * writes the TLS secrets of every SSL_CTX the process makes to the file
 * named by $IR_TEST_KEYLOG, in the NSS key log format (one line per
 * secret: LABEL client_random secret, as OpenSSL's keylog callback
 * gives them; CLIENT_RANDOM for TLS 1.2, EXPORTER_SECRET etc. for 1.3).
 *
 * Only mkvec_eaptls.sh uses it, to capture the EAP-TLS vector of
 * tests/vectors/strongswan-eaptls-udp/ with a test certificate.  It is
 * never built by make and never linked into ikeroam: production code
 * has no key log.  The file is opened when the shim loads (before
 * ikeroam drops privileges), so the network part can still append.
 *
 *   cc -shared -fPIC -o keylog.so keylog_preload.c -ldl -lssl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

static int keylog_fd = -1;

__attribute__((constructor)) static void
keylog_open(void)
{
	const char *path = getenv("IR_TEST_KEYLOG");

	if (path != NULL && path[0] != '\0')
		keylog_fd = open(path, O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC, 0600);
}

static void
keylog_line(const SSL *ssl, const char *line)
{
	size_t n = strlen(line);

	(void)ssl;
	if (keylog_fd < 0 || n > 1000)
		return;
	/* One write per line: O_APPEND keeps lines whole. */
	char buf[1024];
	memcpy(buf, line, n);
	buf[n] = '\n';
	(void)!write(keylog_fd, buf, n + 1);
}

SSL_CTX *
SSL_CTX_new(const SSL_METHOD *meth)
{
	static SSL_CTX *(*real)(const SSL_METHOD *);
	SSL_CTX *ctx;

	if (real == NULL)
		real = (SSL_CTX *(*)(const SSL_METHOD *))dlsym(RTLD_NEXT,
		    "SSL_CTX_new");
	if (real == NULL)
		abort();
	if ((ctx = real(meth)) != NULL && keylog_fd >= 0)
		SSL_CTX_set_keylog_callback(ctx, keylog_line);
	return ctx;
}
