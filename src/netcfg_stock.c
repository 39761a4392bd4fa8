/*
 * src/netcfg_stock.c: what ikeroam knows of the stock vpnc-script.
 *
 * Whether a path is that script: with it, the early setup is the default
 * (src/netcfg.c), since what it installs is known.  And what it printed
 * during "connect", passed on to standard error: after the early setup
 * its "ip addr add" meets the address ikeroam added first and ip(8) says
 * "RTNETLINK answers: File exists" (or the kernel's "Address already
 * assigned"): true, expected, and no error of the user's, so that line
 * goes to the debug log.  Everything else (a hook's
 * words, a real failure) is copied as the script wrote it.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/log.h"
#include "src/netcfg.h"

#define OUT_LINE	1024	/* longer lines go out in pieces */

bool
netcfg_script_is_stock(const char *path)
{
	struct stat a, b;

	if (path == NULL)
		return false;
	if (strcmp(path, NETCFG_DEFAULT_SCRIPT) == 0)
		return true;
	return stat(path, &a) == 0 && stat(NETCFG_DEFAULT_SCRIPT, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * ip(8) says EEXIST in its own words, or in the kernel's (an extended
 * ACK, NLMSGERR_ATTR_MSG, from devinet.c and addrconf.c).
 */
bool
netcfg_out_expected(const char *line, size_t len)
{
	static const char *const said[] = {
		"RTNETLINK answers: File exists",
		"Error: ipv4: Address already assigned.",
		"Error: ipv6: address already assigned.",
	};
	size_t i;

	for (i = 0; i < sizeof(said) / sizeof(said[0]); i++)
		if (len == strlen(said[i]) && memcmp(line, said[i], len) == 0)
			return true;
	return false;
}

static void
out_write(const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void
out_line(const char *line, size_t len, bool early)
{
	if (early && netcfg_out_expected(line, len)) {
		log_debug("vpnc-script: %.*s (ikeroam added it first)",
		    (int)len, line);
		return;
	}
	out_write(line, len);
	out_write("\n", 1);
}

void
netcfg_out_forward(int fd, bool early)
{
	char buf[OUT_LINE];
	size_t have = 0, start, i;
	off_t off = 0;
	ssize_t n;

	for (;;) {
		n = pread(fd, buf + have, sizeof(buf) - have, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += n;
		have += (size_t)n;
		for (start = 0, i = 0; i < have; i++)
			if (buf[i] == '\n') {
				out_line(buf + start, i - start, early);
				start = i + 1;
			}
		if (start == 0 && have == sizeof(buf)) {
			out_line(buf, have, early);	/* a piece */
			start = have;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	if (have > 0)
		out_line(buf, have, early);
}
