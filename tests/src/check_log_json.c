/* tests/src/check_log_json.c: --json-log lines are valid JSON objects. */
#include <check.h>
#include <json-c/json.h>
#include <string.h>

#include "src/log_json.h"

/* Parse |line| back with json-c and read its fields. */
static json_object *
parse(const char *line)
{
	json_object *o = json_tokener_parse(line);

	ck_assert_msg(o != NULL, "not JSON: %s", line);
	ck_assert(json_object_is_type(o, json_type_object));
	return o;
}

static const char *
field(json_object *o, const char *key)
{
	json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return json_object_get_string(v);
}

START_TEST(json_plain)
{
	char line[512];
	json_object *o;
	size_t n;

	n = log_json_format(line, sizeof(line), "2026-12-02T18:00:00.000Z",
	    "error", 42, "gateway 192.0.2.1 refused TCP 4500: it does not "
	    "accept RFC 9329 TCP", 5);
	ck_assert_uint_eq(n, strlen(line));
	o = parse(line);
	ck_assert_str_eq(field(o, "level"), "error");
	ck_assert_str_eq(field(o, "time"), "2026-12-02T18:00:00.000Z");
	ck_assert_str_eq(field(o, "pid"), "42");
	ck_assert_str_eq(field(o, "exit_status"), "5");
	ck_assert_str_eq(field(o, "message"), "gateway 192.0.2.1 refused TCP "
	    "4500: it does not accept RFC 9329 TCP");
	json_object_put(o);
	/* No exit status: no such field. */
	log_json_format(line, sizeof(line), "t", "info", 1, "up", -1);
	ck_assert_str_eq(line, "{\"time\":\"t\",\"level\":\"info\",\"pid\":1,"
	    "\"message\":\"up\"}");
}
END_TEST

/* Quotes, backslashes, controls and non-UTF-8 from a peer's ID. */
START_TEST(json_hostile)
{
	const char *msg = "id \"x\\\" \n\x1b[2J \xe2\x80\xae \xff end";
	char line[512];
	json_object *o;
	size_t i;

	log_json_format(line, sizeof(line), "t", "warn", 7, msg, -1);
	for (i = 0; line[i] != '\0'; i++)
		ck_assert_msg((unsigned char)line[i] >= 0x20 &&
		    (unsigned char)line[i] < 0x7f, "raw byte 0x%02x",
		    (unsigned char)line[i]);
	o = parse(line);
	ck_assert_ptr_nonnull(strstr(field(o, "message"), "id \"x\\\" "));
	ck_assert_ptr_nonnull(strstr(field(o, "message"), " end"));
	json_object_put(o);
}
END_TEST

/* A line longer than the buffer is cut, and still one object. */
START_TEST(json_cut)
{
	static char msg[4096];
	char line[300];
	json_object *o;
	size_t cap;

	memset(msg, '"', sizeof(msg) - 1);
	for (cap = 128; cap <= sizeof(line); cap += 7) {
		log_json_format(line, cap, "2026-12-02T18:00:00.000Z", "info",
		    123456, msg, 11);
		ck_assert_uint_lt(strlen(line), cap);
		o = parse(line);
		ck_assert_str_eq(field(o, "exit_status"), "11");
		json_object_put(o);
	}
	ck_assert_uint_eq(log_json_format(line, 16, "t", "info", 1, "x", -1),
	    0);
	ck_assert_str_eq(line, "");
}
END_TEST

Suite *
log_json_suite(void)
{
	Suite *s = suite_create("log_json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, json_plain);
	tcase_add_test(tc, json_hostile);
	tcase_add_test(tc, json_cut);
	suite_add_tcase(s, tc);
	return s;
}
