/*
 * src/sockaddr_text.h: the address of a struct sockaddr_storage (the
 * gateway's, a redirect's target) as text for messages, without port.
 */
#ifndef IR_SRC_SOCKADDR_TEXT_H
#define IR_SRC_SOCKADDR_TEXT_H

#include <stddef.h>
#include <sys/socket.h>

/* IPv4 or IPv6 into |buf| (INET6_ADDRSTRLEN fits both); "" for another
 * family.  Returns |buf|. */
const char	*sockaddr_text(const struct sockaddr_storage *ss, char *buf,
		    size_t cap);

#endif
