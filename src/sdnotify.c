/* src/sdnotify.c: sd_notify(3), when ikeroam was built with libsystemd. */
#include "src/log.h"
#include "src/sdnotify.h"

#ifdef HAVE_LIBSYSTEMD
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

void
sdnotify_send(const char *text)
{
	int rv;

	/* Not under a Type=notify unit: libsystemd stays unloaded
	 * (src/lazy_systemd.c); sd_notify would do nothing either. */
	if (getenv("NOTIFY_SOCKET") == NULL)
		return;
	if ((rv = sd_notify(0, text)) < 0)
		log_debug("sd_notify: %s", strerror(-rv));
}
#else
void
sdnotify_send(const char *text)
{
	(void)text;
}
#endif
