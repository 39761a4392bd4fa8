/*
 * src/sdnotify.h: systemd's readiness protocol (sd_notify(3)) for
 * Type=notify units: READY=1 once the tunnel is up, STATUS= lines,
 * STOPPING=1.  With NotifyAccess=main only the main PID may speak: under
 * privilege separation the network part asks the privileged part
 * (PRIV_NOTIFY of src/priv_msg.h), which calls this.  A no-op without
 * $NOTIFY_SOCKET or without libsystemd at build time.
 */
#ifndef IR_SRC_SDNOTIFY_H
#define IR_SRC_SDNOTIFY_H

void	sdnotify_send(const char *text);

#endif
