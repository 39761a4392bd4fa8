/*
 * tests/esp/check_esp_vectors.c: the ESP packets of the real exchanges in
 * tests/vectors/ (strongSwan 5.9.8 libipsec over UDP; libreswan 4.10 with
 * Linux espintcp over TCP, with ESN).  Each packet under esp/ must decrypt
 * with the logged Child SA keys, picked by SPI, to exactly its .inner.hex,
 * with sequence numbers 1, 2, 3.
 *
 * Then the inner packets are encrypted again and must give the captured
 * packets byte for byte.  Neither peer uses the bare sequence number as
 * the AEAD IV: strongSwan's iv_gen_seq and the kernel's seqiv both send
 * seq XOR a per-SA random constant (the captures show it: the IVs of
 * seq 1, 2, 3 differ from each other in exactly the bits of 1, 2, 3).
 * So the constant is taken from packet 1 (IV XOR 1) as our iv_mask, and
 * packets 2 and 3 must then come out identical.  For CBC the captured IV
 * is handed out by the random callback.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "common/wire.h"
#include "crypto/crypto.h"
#include "tests/check_util.h"
#include "tests/esp/esp_test.h"

static const char *const dirs[] = {
	"strongswan-psk-udp/aesgcm128-prfsha256-x25519",
	"strongswan-psk-udp/aescbc128-sha256-modp2048",
	"strongswan-psk-udp/aesgcm128-prfsha256-x25519-mobike-update",
	"strongswan-eap-udp/aesgcm128-prfsha256-x25519",
	"libreswan-psk-tcp",
};

#define MAX_PKTS	16

struct vec_pkt {
	char		name[128];	/* NN-DIR-spi_XXXXXXXX-seqN */
	uint32_t	spi;
	uint32_t	seq;
	struct tbuf	wire, inner;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vec_pkt *)a)->name,
	    ((const struct vec_pkt *)b)->name);
}

/* Every esp/NN-*.hex of |dir| with its inner, sorted by name. */
static size_t
vec_load(const char *dir, struct vec_pkt *pk)
{
	char path[1024], rel[512];
	const char *top = getenv("top_srcdir");
	struct dirent *de;
	size_t n = 0, l;
	DIR *d;

	snprintf(path, sizeof(path), "%s/tests/vectors/%s/esp",
	    top ? top : ".", dir);
	ck_assert_msg((d = opendir(path)) != NULL, "no %s", path);
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".hex") != 0 ||
		    strstr(de->d_name, ".inner.") != NULL)
			continue;
		ck_assert_uint_lt(n, MAX_PKTS);
		ck_assert_uint_lt(l - 4, sizeof(pk[n].name));
		memcpy(pk[n].name, de->d_name, l - 4);
		pk[n].name[l - 4] = '\0';
		ck_assert_int_eq(sscanf(strstr(pk[n].name, "spi_"),
		    "spi_%8x-seq%u", &pk[n].spi, &pk[n].seq), 2);
		n++;
	}
	closedir(d);
	qsort(pk, n, sizeof(*pk), name_cmp);
	for (l = 0; l < n; l++) {
		snprintf(rel, sizeof(rel), "%s/esp/%s.hex", dir, pk[l].name);
		pk[l].wire = t_vec_hex(rel);
		snprintf(rel, sizeof(rel), "%s/esp/%s.inner.hex", dir,
		    pk[l].name);
		pk[l].inner = t_vec_hex(rel);
	}
	return n;
}

/* The Child SA of one direction as keys.txt gives it. */
struct vec_sa {
	uint32_t	spi;
	uint16_t	encr, key_bits, integ;
	bool		esn;
	struct tbuf	ek, ik;
};

static void
vec_sa_get(const char *dir, const char *d, struct vec_sa *v)
{
	const char *tr = t_vec_key_str(dir, "esp_transforms");
	char name[64];
	unsigned encr, bits = 0, integ = 0, esn = 0;
	struct tbuf spi;
	const char *p;

	/* "ENCR=20/keylen=128 ESN=0", "ENCR=12/keylen=128 INTEG=12 ESN=0" */
	ck_assert_int_eq(sscanf(tr, "ENCR=%u", &encr), 1);
	if ((p = strstr(tr, "keylen=")) != NULL)
		ck_assert_int_eq(sscanf(p, "keylen=%u", &bits), 1);
	if ((p = strstr(tr, "INTEG=")) != NULL)
		ck_assert_int_eq(sscanf(p, "INTEG=%u", &integ), 1);
	ck_assert_ptr_nonnull(p = strstr(tr, "ESN="));
	ck_assert_int_eq(sscanf(p, "ESN=%u", &esn), 1);
	v->encr = (uint16_t)encr;
	v->key_bits = (uint16_t)bits;
	v->integ = (uint16_t)integ;
	v->esn = esn != 0;
	snprintf(name, sizeof(name), "ESP_SPI_%s", d);
	spi = t_vec_key(dir, name);
	ck_assert_uint_eq(spi.len, 4);
	v->spi = wire_get_u32(spi.p);
	snprintf(name, sizeof(name), "ESP_ENCR_%s", d);
	v->ek = t_vec_key(dir, name);
	snprintf(name, sizeof(name), "ESP_INTEG_%s", d);
	v->ik = t_vec_key(dir, name);
}

/* The random callback for CBC: hands out the captured IV. */
static const uint8_t *next_iv;

static void
vec_random(void *ud, uint8_t *buf, size_t len)
{
	(void)ud;
	ck_assert_ptr_nonnull(next_iv);
	memcpy(buf, next_iv, len);
	next_iv = NULL;
}

static struct esp_sa *
vec_sa_new(const struct vec_sa *v, bool outbound, uint64_t iv_mask)
{
	struct esp_sa_conf conf;
	struct esp_sa *sa;

	memset(&conf, 0, sizeof(conf));
	conf.spi = v->spi;
	conf.outbound = outbound;
	conf.esn = v->esn;
	conf.encr = v->encr;
	conf.key_bits = v->key_bits;
	conf.integ = v->integ;
	conf.encr_key = v->ek.p;
	conf.encr_key_len = v->ek.len;
	conf.integ_key = v->ik.p;
	conf.integ_key_len = v->ik.len;
	conf.random = vec_random;
	conf.iv_mask = iv_mask;
	ck_assert_int_eq(esp_sa_new(&sa, &conf), 0);
	return sa;
}

/* One direction of one directory: decrypt all, then re-encrypt all. */
static void
vec_run(const char *dir, const char *d, const struct vec_pkt *pk, size_t n)
{
	struct esp_sa *in, *out;
	struct esp_sa_stats st;
	struct ir_pkt pkt;
	struct vec_sa v;
	uint32_t want_seq = 1;
	uint64_t mask = 0;
	size_t i, done = 0;

	vec_sa_get(dir, d, &v);
	in = vec_sa_new(&v, false, 0);
	for (i = 0; i < n; i++) {
		if (pk[i].spi != v.spi)
			continue;
		ck_assert_uint_eq(pk[i].seq, want_seq);
		ck_assert_uint_eq(wire_get_u32(pk[i].wire.p + 4), want_seq);
		pkt = t_pkt_exact(pk[i].wire.p, pk[i].wire.len, 0, 0);
		ck_assert_msg(esp_decrypt(in, &pkt) == 0, "%s/%s", dir,
		    pk[i].name);
		ck_assert_uint_eq(pkt.len, pk[i].inner.len);
		ck_assert_mem_eq(pkt.data, pk[i].inner.p, pkt.len);
		t_pkt_free(&pkt);
		esp_sa_get_stats(in, &st);
		ck_assert_uint_eq(st.seq, want_seq);
		want_seq++;
		done++;
	}
	ck_assert_uint_eq(done, 3);
	esp_sa_free(in);

	for (i = 0; i < n; i++) {
		if (pk[i].spi != v.spi)
			continue;
		if (v.integ == 0 && mask == 0)	/* from the first packet */
			mask = wire_get_u64(pk[i].wire.p + 8) ^ 1;
		break;
	}
	out = vec_sa_new(&v, true, mask);
	for (i = 0; i < n; i++) {
		if (pk[i].spi != v.spi)
			continue;
		pkt = t_pkt_exact(pk[i].inner.p, pk[i].inner.len,
		    ESP_HEADROOM, ESP_TAILROOM);
		next_iv = pk[i].wire.p + 8;
		ck_assert_int_eq(esp_encrypt(out, &pkt, 0), 0);
		ck_assert_msg(pkt.len == pk[i].wire.len &&
		    memcmp(pkt.data, pk[i].wire.p, pkt.len) == 0,
		    "%s/%s: not reproduced", dir, pk[i].name);
		t_pkt_free(&pkt);
	}
	esp_sa_free(out);
}

START_TEST(vectors_esp)
{
	static struct vec_pkt pk[MAX_PKTS];
	size_t n = vec_load(dirs[_i], pk);

	ck_assert_uint_eq(n, 6);
	vec_run(dirs[_i], "i2r", pk, n);
	vec_run(dirs[_i], "r2i", pk, n);
}
END_TEST

/*
 * libreswan's SA uses ESN: the GCM AAD is SPI | seq_hi | seq_lo.  The
 * same packet on an SA without ESN (8-octet AAD) must fail its ICV,
 * which shows that the test above really used the ESN layout.
 */
START_TEST(vectors_esn_matters)
{
	static struct vec_pkt pk[MAX_PKTS];
	struct esp_sa *in;
	struct ir_pkt pkt;
	struct vec_sa v;
	size_t n = vec_load("libreswan-psk-tcp", pk);

	vec_sa_get("libreswan-psk-tcp", "i2r", &v);
	ck_assert(v.esn);
	v.esn = false;
	in = vec_sa_new(&v, false, 0);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(pk[0].spi, v.spi);
	pkt = t_pkt_exact(pk[0].wire.p, pk[0].wire.len, 0, 0);
	ck_assert_int_eq(esp_decrypt(in, &pkt), IR_ERR_DECRYPT);
	t_pkt_free(&pkt);
	esp_sa_free(in);
}
END_TEST

Suite *esp_vectors_suite(void);

Suite *
esp_vectors_suite(void)
{
	Suite *s = suite_create("esp_vectors");
	TCase *tc = tcase_create("vectors");

	tcase_add_loop_test(tc, vectors_esp, 0, IR_ARRAY_LEN(dirs));
	tcase_add_test(tc, vectors_esn_matters);
	suite_add_tcase(s, tc);
	return s;
}
