/* tests/src/check_netmem.c: remembering which transport a network lets out. */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ir_err.h"
#include "src/fallback.h"
#include "src/netmem.h"

static char dir[] = "/tmp/ikeroam-netmem-XXXXXX";
static char path[256];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/networks.json", dir);
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)system(cmd);
}

START_TEST(keys)
{
	struct tun_netid id;
	char key[256];

	memset(&id, 0, sizeof(id));
	ck_assert_int_eq(netmem_key(&id, NULL, "vpn.test", key, sizeof(key)),
	    IR_ERR_NOT_FOUND);
	id.gw.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", id.gw.addr);
	ck_assert_int_eq(netmem_key(&id, NULL, "vpn.test", key, sizeof(key)),
	    0);
	ck_assert_str_eq(key, "gw=192.0.2.1,mac=-|vpn=vpn.test");
	memcpy(id.mac, "\x02\x00\x5e\x10\x00\x01", 6);
	id.mac_len = 6;
	ck_assert_int_eq(netmem_key(&id, NULL, "vpn.test", key, sizeof(key)),
	    0);
	ck_assert_str_eq(key, "gw=192.0.2.1,mac=02:00:5e:10:00:01|vpn=vpn.test");
	ck_assert_int_eq(netmem_key(&id, "Airport WiFi", "vpn.test", key,
	    sizeof(key)), 0);
	ck_assert_str_eq(key, "ssid=Airport WiFi|vpn=vpn.test");
	ck_assert_int_eq(netmem_key(&id, NULL, "vpn.test", key, 10),
	    IR_ERR_NOBUF);
}
END_TEST

START_TEST(remember_expire_forget)
{
	struct stat st;

	ck_assert(!netmem_udp_blocked(path, "a", 1000));
	ck_assert_int_eq(netmem_store(path, "a", true, 1000), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 077, 0);
	ck_assert(netmem_udp_blocked(path, "a", 1001));
	ck_assert(!netmem_udp_blocked(path, "b", 1001));
	ck_assert(!netmem_udp_blocked(path, "a", 1000 + NETMEM_TTL_S));
	ck_assert_int_eq(netmem_store(path, "a", false, 1002), 0);
	ck_assert(!netmem_udp_blocked(path, "a", 1003));
}
END_TEST

START_TEST(bounded_and_robust)
{
	char key[32];
	FILE *f;
	int i;

	for (i = 0; i < NETMEM_MAX_ENTRIES + 10; i++) {
		snprintf(key, sizeof(key), "net%d", i);
		ck_assert_int_eq(netmem_store(path, key, true, 1000 + i), 0);
	}
	ck_assert(!netmem_udp_blocked(path, "net0", 2000));	/* pruned */
	ck_assert(netmem_udp_blocked(path, "net265", 2000));
	/* A damaged file is ignored, then replaced. */
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("{ not json", f);
	fclose(f);
	ck_assert(!netmem_udp_blocked(path, "net265", 2000));
	ck_assert_int_eq(netmem_store(path, "x", true, 2000), 0);
	ck_assert(netmem_udp_blocked(path, "x", 2001));
}
END_TEST

START_TEST(rungs)
{
	ck_assert_int_eq(netmem_rung(path, "a", 1000), FB_UDP);
	ck_assert_int_eq(netmem_store_rung(path, "a", FB_TLS, 1000), 0);
	ck_assert_int_eq(netmem_store_rung(path, "b", FB_TCP, 1000), 0);
	ck_assert_int_eq(netmem_rung(path, "a", 1001), FB_TLS);
	ck_assert_int_eq(netmem_rung(path, "b", 1001), FB_TCP);
	/* The two-rung view: both block UDP. */
	ck_assert(netmem_udp_blocked(path, "a", 1001));
	ck_assert(netmem_udp_blocked(path, "b", 1001));
	ck_assert_int_eq(netmem_rung(path, "a", 1000 + NETMEM_TTL_S), FB_UDP);
	ck_assert_int_eq(netmem_store_rung(path, "a", FB_UDP, 1002), 0);
	ck_assert_int_eq(netmem_rung(path, "a", 1003), FB_UDP);
	ck_assert_int_eq(netmem_rung(path, "b", 1003), FB_TCP);
}
END_TEST

/* Files written before the TLS rung existed still load. */
START_TEST(old_files_load)
{
	static const char old[] = "{ \"networks\": { \"k\": "
	    "{ \"udp_blocked\": true, \"updated\": 1000 } } }";
	static const char *bad[] = {
		"{ \"networks\": { \"k\": { \"udp_blocked\": true, "
		    "\"updated\": 1000, \"xport\": \"carrier pigeon\" } } }",
		"{ \"networks\": { \"k\": { \"udp_blocked\": true, "
		    "\"updated\": 1000, \"xport\": 2 } } }",
	};
	static const char *udp[] = {
		"{ \"networks\": { \"k\": { \"udp_blocked\": false, "
		    "\"updated\": 1000, \"xport\": \"tls\" } } }",
		"{ \"networks\": { \"k\": { \"udp_blocked\": true, "
		    "\"xport\": \"tls\" } } }",
		"{ \"networks\": { \"k\": [ 1, 2 ] } }",
		"{ \"networks\": [] }",
		"[]", "", "{", "{ \"networks\": { \"k\": ",
	};
	static const char tls[] = "{ \"networks\": { \"k\": { \"udp_blocked\": "
	    "true, \"updated\": 1000, \"xport\": \"tls\" } } }";
	FILE *f;
	size_t i;

	ck_assert_int_eq(netmem_rung_text(old, strlen(old), "k", 1001), FB_TCP);
	ck_assert_int_eq(netmem_rung_text(tls, strlen(tls), "k", 1001), FB_TLS);
	/* Truncated anywhere: never more than the whole file says. */
	for (i = 0; i < strlen(tls); i++)
		ck_assert_int_eq(netmem_rung_text(tls, i, "k", 1001), FB_UDP);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(netmem_rung_text(bad[i], strlen(bad[i]), "k",
		    1001), FB_TCP);
	for (i = 0; i < sizeof(udp) / sizeof(udp[0]); i++)
		ck_assert_int_eq(netmem_rung_text(udp[i], strlen(udp[i]), "k",
		    1001), FB_UDP);
	/* The same through the file, then a store keeps the old entry. */
	ck_assert_int_eq(netmem_store(path, "x", true, 1000), 0);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(old, f);
	fclose(f);
	ck_assert_int_eq(netmem_rung(path, "k", 1001), FB_TCP);
	ck_assert_int_eq(netmem_store_rung(path, "n", FB_TLS, 1001), 0);
	ck_assert_int_eq(netmem_rung(path, "k", 1002), FB_TCP);
	ck_assert_int_eq(netmem_rung(path, "n", 1002), FB_TLS);
}
END_TEST

Suite *
netmem_suite(void)
{
	Suite *s = suite_create("netmem");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, keys);
	tcase_add_test(tc, remember_expire_forget);
	tcase_add_test(tc, bounded_and_robust);
	tcase_add_test(tc, rungs);
	tcase_add_test(tc, old_files_load);
	suite_add_tcase(s, tc);
	return s;
}
