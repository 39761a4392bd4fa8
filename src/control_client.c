/*
 * src/control_client.c: the commands' side of the control socket
 * (src/control_client.h).
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "src/control_client.h"
#include "src/exitcode.h"

uint64_t
control_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
control_open(struct control_conn *cc, const char *path, char *err,
    size_t err_len)
{
	int fd;

	cc->len = 0;
	if ((fd = control_sock_connect(path)) >= 0) {
		cc->fd = fd;
		return 0;
	}
	cc->fd = -1;
	if (fd == -ENOENT || fd == -ECONNREFUSED) {
		snprintf(err, err_len, "not running (no ikeroam answers on %s)",
		    path);
		return IR_EXIT_NOT_RUNNING;
	}
	if (fd == -EACCES || fd == -EPERM) {
		snprintf(err, err_len, "%s: permission denied: run as root or "
		    "as a member of the profile's control-group", path);
		return IR_EXIT_PERMISSION;
	}
	snprintf(err, err_len, "%s: %s", path, strerror(-fd));
	return IR_EXIT_FAILURE;
}

void
control_end(struct control_conn *cc)
{
	if (cc->fd >= 0)
		close(cc->fd);
	cc->fd = -1;
}

int
control_request(struct control_conn *cc, int64_t id, int cmd)
{
	char line[96];
	size_t len = ctl_req_build(id, cmd, line, sizeof(line)), off = 0;
	ssize_t n;

	while (off < len) {
		n = send(cc->fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	return 0;
}

int
control_next(struct control_conn *cc, uint64_t deadline,
    struct json_object **out)
{
	struct pollfd pfd = { .fd = cc->fd, .events = POLLIN };
	struct json_object *o;
	char *nl;
	uint64_t now;
	size_t n;
	ssize_t r;

	*out = NULL;
	for (;;) {
		if ((nl = memchr(cc->buf, '\n', cc->len)) != NULL) {
			n = (size_t)(nl - cc->buf);
			*nl = '\0';
			o = json_tokener_parse(cc->buf);
			memmove(cc->buf, nl + 1, cc->len - n - 1);
			cc->len -= n + 1;
			if (o == NULL || !json_object_is_type(o,
			    json_type_object)) {
				json_object_put(o);
				return IR_ERR_MALFORMED;
			}
			*out = o;
			return 0;
		}
		if (cc->len == sizeof(cc->buf))
			return IR_ERR_MALFORMED;
		if ((now = control_now_ms()) >= deadline)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)(deadline - now)) < 0 && errno != EINTR)
			return -errno;
		if (pfd.revents == 0)
			continue;
		r = recv(cc->fd, cc->buf + cc->len, sizeof(cc->buf) - cc->len,
		    0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPIPE;
		cc->len += (size_t)r;
	}
}

int
control_reply_of(struct control_conn *cc, int64_t id, uint64_t deadline,
    struct json_object **out)
{
	struct json_object *o, *v;
	int rv;

	for (;;) {
		if ((rv = control_next(cc, deadline, &o)) != 0)
			return rv;
		/* A refusal at accept has "id": null. */
		if (json_object_object_get_ex(o, "ok", &v) &&
		    (!json_object_object_get_ex(o, "id", &v) || v == NULL ||
		    json_object_get_int64(v) == id)) {
			*out = o;
			return 0;
		}
		json_object_put(o);
	}
}

int
control_find(const char *name, const char *sock, char *path, size_t cap,
    char *err, size_t err_len)
{
	size_t i;

	if (sock != NULL) {
		snprintf(path, cap, "%s", sock);
		return 0;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_' ||
		    name[i] == '.' || name[i] == '-') || i > 64)
			break;
	if (name[i] != '\0' || i == 0 || name[0] == '.' ||
	    control_sock_path(name, path, cap) != 0) {
		snprintf(err, err_len, "'%.64s' is not a connection name "
		    "(A-Z a-z 0-9 _ . -)", name);
		return IR_EXIT_USAGE;
	}
	return 0;
}

size_t
control_list(char paths[][CONTROL_PATH_MAX], char names[][CONTROL_PATH_MAX],
    size_t cap)
{
	struct dirent *d;
	size_t n = 0, len;
	DIR *dir;

	if ((dir = opendir(CONTROL_RUNDIR)) == NULL)
		return 0;
	while (n < cap && (d = readdir(dir)) != NULL) {
		len = strlen(d->d_name);
		if (len > 5 && len < 70 && d->d_type == DT_SOCK &&
		    strcmp(d->d_name + len - 5, ".sock") == 0) {
			snprintf(paths[n], CONTROL_PATH_MAX, "%s/%.70s",
			    CONTROL_RUNDIR, d->d_name);
			snprintf(names[n], CONTROL_PATH_MAX, "%.*s",
			    (int)(len - 5), d->d_name);
			n++;
		} else if (strncmp(d->d_name, "nm-", 3) == 0 && len < 80 &&
		    d->d_type == DT_DIR) {
			snprintf(paths[n], CONTROL_PATH_MAX, "%s/%.60s/"
			    "control.sock", CONTROL_RUNDIR, d->d_name);
			if (access(paths[n], F_OK) != 0)
				continue;
			snprintf(names[n], CONTROL_PATH_MAX, "%.80s", d->d_name);
			n++;
		}
	}
	closedir(dir);
	return n;
}
