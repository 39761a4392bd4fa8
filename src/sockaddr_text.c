/* src/sockaddr_text.c: see sockaddr_text.h. */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "src/sockaddr_text.h"

const char *
sockaddr_text(const struct sockaddr_storage *ss, char *buf, size_t cap)
{
	const void *a;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (ss->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)ss)->sin_addr;
	else if (ss->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	else
		return buf;
	if (inet_ntop(ss->ss_family, a, buf, (socklen_t)cap) == NULL)
		buf[0] = '\0';
	return buf;
}
