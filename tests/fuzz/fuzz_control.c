/*
 * tests/fuzz/fuzz_control.c: the control socket's request parser
 * (src/control_msg.c), which reads what any local peer in the control
 * group sends.  Nothing may crash or read out of bounds; an accepted
 * request has a known command and an id in range, and its error or
 * reply encodes as one line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_mem.h"
#include "src/control_msg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *o;
	struct ctl_req rq;
	char err[160], *line;
	size_t len;
	int rv;

	rv = ctl_req_parse((const char *)data, size, &rq, err, sizeof(err));
	if (rv == 0 && (rq.cmd < CTL_STATUS || rq.cmd > CTL_RECONNECT ||
	    rq.id < 0 || rq.id > CTL_ID_MAX))
		abort();
	o = rv == 0 ? ctl_reply_ok(rq.id) : ctl_reply_error(rq.id, err);
	line = ctl_line(o, &len);
	json_object_put(o);
	if (line == NULL || memchr(line, '\n', len - 1) != NULL)
		abort();
	ir_free(line);
	return 0;
}
