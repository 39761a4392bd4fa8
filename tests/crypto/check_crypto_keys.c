/*
 * tests/crypto/check_crypto_keys.c: SKEYSEED, SK_* and KEYMAT
 * (RFC 7296 §2.14, §2.17, §2.18) of crypto_keys.c.
 *
 * The main answers come from real exchanges between two strongSwan 5.9.8
 * peers (tests/vectors/strongswan-*), whose debug logs gave g^ir,
 * SKEYSEED, every SK_* and the ESP keys.  The AES-PRF SKEYSEED, the
 * rekeyed SKEYSEED and the KEYMAT with PFS were computed with python3
 * (hmac, cryptography's CMAC, and an XCBC on AES-ECB) from RFC 7296.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "tests/check_util.h"

Suite	*keys_suite(void);

static const char *const exchanges[] = {
	"strongswan-psk-udp/aescbc128-sha256-modp2048",
	"strongswan-psk-udp/aesgcm128-prfsha256-x25519",
	"strongswan-psk-udp/aesgcm128-prfsha256-x25519-mobike-update",
	"strongswan-eap-udp/aesgcm128-prfsha256-x25519",
};

/* The PRF transform ID from "ike_transforms = ... PRF=5 ...". */
static uint16_t
exchange_prf(const char *dir)
{
	const char *s = strstr(t_vec_key_str(dir, "ike_transforms"), "PRF=");

	ck_assert_ptr_nonnull(s);
	return (uint16_t)strtoul(s + 4, NULL, 10);
}

START_TEST(keys_skeyseed)
{
	const char *dir = exchanges[_i];
	uint16_t prf = exchange_prf(dir);
	struct tbuf ni = t_vec_key(dir, "Ni"), nr = t_vec_key(dir, "Nr");
	struct tbuf g_ir = t_vec_key(dir, "g_ir");
	struct tbuf want = t_vec_key(dir, "SKEYSEED");
	uint8_t out[CRYPTO_PRF_MAX];

	ck_assert_uint_eq(want.len, crypto_prf_len(prf));
	ck_assert_int_eq(crypto_skeyseed(prf, ni.p, ni.len, nr.p, nr.len,
	    g_ir.p, g_ir.len, out), 0);
	ck_assert_mem_eq(out, want.p, want.len);
}
END_TEST

static void
check_key(const char *dir, const char *name, const uint8_t *got,
    size_t got_len)
{
	struct tbuf want = t_vec_key(dir, name);

	ck_assert_msg(got_len == want.len, "%s: %s is %zu octets, not %zu",
	    dir, name, got_len, want.len);
	ck_assert_msg(memcmp(got, want.p, want.len) == 0, "%s: %s", dir, name);
}

/* Every SK_*, with the lengths the exchange used (keys.txt). */
START_TEST(keys_ike_sa)
{
	const char *dir = exchanges[_i];
	uint16_t prf = exchange_prf(dir);
	struct tbuf ni = t_vec_key(dir, "Ni"), nr = t_vec_key(dir, "Nr");
	struct tbuf spi_i = t_vec_key(dir, "SPIi");
	struct tbuf spi_r = t_vec_key(dir, "SPIr");
	struct tbuf seed = t_vec_key(dir, "SKEYSEED");
	size_t integ_len = t_vec_key(dir, "SK_ai").len;
	size_t encr_len = t_vec_key(dir, "SK_ei").len;
	struct crypto_ike_keys k;
	size_t i;

	ck_assert_uint_eq(spi_i.len, 8);
	ck_assert_uint_eq(spi_r.len, 8);
	ck_assert_int_eq(crypto_ike_keys_derive(prf, seed.p, ni.p, ni.len,
	    nr.p, nr.len, spi_i.p, spi_r.p, integ_len, encr_len, &k), 0);
	ck_assert_uint_eq(k.prf_len, crypto_prf_len(prf));
	ck_assert_uint_eq(k.integ_len, integ_len);
	ck_assert_uint_eq(k.encr_len, encr_len);
	check_key(dir, "SK_d", k.sk_d, k.prf_len);
	check_key(dir, "SK_ai", k.sk_ai, k.integ_len);
	check_key(dir, "SK_ar", k.sk_ar, k.integ_len);
	check_key(dir, "SK_ei", k.sk_ei, k.encr_len);
	check_key(dir, "SK_er", k.sk_er, k.encr_len);
	check_key(dir, "SK_pi", k.sk_pi, k.prf_len);
	check_key(dir, "SK_pr", k.sk_pr, k.prf_len);

	crypto_ike_keys_clear(&k);
	for (i = 0; i < sizeof(k); i++)
		ck_assert_uint_eq(((const uint8_t *)&k)[i], 0);
}
END_TEST

/*
 * KEYMAT = prf+(SK_d, Ni | Nr) without PFS (IKE_AUTH), split as
 * ENCR_i2r | INTEG_i2r | ENCR_r2i | INTEG_r2i (RFC 7296 §2.17).
 */
START_TEST(keys_child_keymat)
{
	static const char *const parts[] = {
		"ESP_ENCR_i2r", "ESP_INTEG_i2r",
		"ESP_ENCR_r2i", "ESP_INTEG_r2i",
	};
	const char *dir = exchanges[_i];
	uint16_t prf = exchange_prf(dir);
	struct tbuf ni = t_vec_key(dir, "Ni"), nr = t_vec_key(dir, "Nr");
	struct tbuf sk_d = t_vec_key(dir, "SK_d");
	size_t encr_len = t_vec_key(dir, "ESP_ENCR_i2r").len;
	size_t integ_len = t_vec_key(dir, "ESP_INTEG_i2r").len;
	size_t lens[4] = { encr_len, integ_len, encr_len, integ_len };
	uint8_t km[2 * (CRYPTO_ENCR_KEY_MAX + CRYPTO_INTEG_KEY_MAX)];
	size_t i, off = 0, total = 2 * (encr_len + integ_len);

	ck_assert_uint_le(total, sizeof(km));
	ck_assert_int_eq(crypto_child_keymat(prf, sk_d.p, sk_d.len, NULL, 0,
	    ni.p, ni.len, nr.p, nr.len, km, total), 0);
	for (i = 0; i < IR_ARRAY_LEN(parts); i++) {
		check_key(dir, parts[i], km + off, lens[i]);
		off += lens[i];
	}
}
END_TEST

/*
 * RFC 7296 §2.14: with AES-XCBC-PRF-128 and AES-CMAC-PRF-128 the key of
 * SKEYSEED is the first 64 bits of Ni and of Nr.  Ni = 00..1f,
 * Nr = 20..3f, g^ir = 40..5f; answers from python3.
 */
START_TEST(keys_skeyseed_aes)
{
	static const struct {
		uint16_t	 prf;
		const char	*out;
	} v[] = {
		{ CRYPTO_PRF_AES128_XCBC, "48c342895dd1d8a49be8c067032adcf8" },
		{ CRYPTO_PRF_AES128_CMAC, "86521034dcf0885cd5cb281d5c49c753" },
	};
	uint8_t ni[32], nr[32], g[32], out[CRYPTO_PRF_MAX];
	struct tbuf want = t_hex(v[_i].out);
	size_t i;

	for (i = 0; i < 32; i++) {
		ni[i] = (uint8_t)i;
		nr[i] = (uint8_t)(32 + i);
		g[i] = (uint8_t)(64 + i);
	}
	ck_assert_int_eq(crypto_skeyseed(v[_i].prf, ni, sizeof(ni), nr,
	    sizeof(nr), g, sizeof(g), out), 0);
	ck_assert_mem_eq(out, want.p, 16);
	/* Only 64 bits of each nonce enter SKEYSEED. */
	ni[8] ^= 1;
	nr[31] ^= 1;
	ck_assert_int_eq(crypto_skeyseed(v[_i].prf, ni, sizeof(ni), nr,
	    sizeof(nr), g, sizeof(g), out), 0);
	ck_assert_mem_eq(out, want.p, 16);
	ni[7] ^= 1;
	ck_assert_int_eq(crypto_skeyseed(v[_i].prf, ni, sizeof(ni), nr,
	    sizeof(nr), g, sizeof(g), out), 0);
	ck_assert_mem_ne(out, want.p, 16);
	ck_assert_int_eq(crypto_skeyseed(v[_i].prf, ni, 7, nr, sizeof(nr), g,
	    sizeof(g), out), IR_ERR_MALFORMED);
}
END_TEST

/*
 * §2.18 rekey and §2.17 KEYMAT with PFS.  Inputs: SK_d of the
 * strongswan-psk-udp x25519 exchange as the old SK_d, and g^ir, Ni, Nr of
 * the strongswan-eap-udp exchange as the new ones; answers from python3.
 */
#define OLD_DIR	"strongswan-psk-udp/aesgcm128-prfsha256-x25519"
#define NEW_DIR	"strongswan-eap-udp/aesgcm128-prfsha256-x25519"

START_TEST(keys_rekey_pfs)
{
	struct tbuf sk_d = t_vec_key(OLD_DIR, "SK_d");
	struct tbuf g = t_vec_key(NEW_DIR, "g_ir");
	struct tbuf ni = t_vec_key(NEW_DIR, "Ni");
	struct tbuf nr = t_vec_key(NEW_DIR, "Nr");
	struct tbuf seed = t_hex(
	    "218186b40dfa11d1b27c75ad5a5143041ddde21a3d3abd9f507817cd3424fb7b");
	struct tbuf km = t_hex(
	    "922bd9d50e2eed34ecf8433a668ae7ae0f3bf7c44ae1bd1055baaa5e084fec53"
	    "bc999e9957f6b8b191262e23f9819e0ea0e4e723e4d8134c81519aba8adf3d71"
	    "789a8128cd5fa5b461885e0d78469ddb668a436106791cce3547b6f9dd8ff9fb"
	    "f8dc3f2acbf8b0cf2fe12e90070c4976a42d746068803a93f7fcbc29d7159831");
	uint8_t out[128];

	ck_assert_uint_eq(g.p[0], 0x00);	/* a leading zero, kept */
	ck_assert_int_eq(crypto_skeyseed_rekey(CRYPTO_PRF_HMAC_SHA2_256, sk_d.p,
	    sk_d.len, g.p, g.len, ni.p, ni.len, nr.p, nr.len, out), 0);
	ck_assert_mem_eq(out, seed.p, seed.len);
	ck_assert_int_eq(crypto_child_keymat(CRYPTO_PRF_HMAC_SHA2_256, sk_d.p,
	    sk_d.len, g.p, g.len, ni.p, ni.len, nr.p, nr.len, out,
	    sizeof(out)), 0);
	ck_assert_mem_eq(out, km.p, sizeof(out));
	/* Without g^ir the answer must differ (it is the no-PFS KEYMAT). */
	ck_assert_int_eq(crypto_child_keymat(CRYPTO_PRF_HMAC_SHA2_256, sk_d.p,
	    sk_d.len, NULL, 0, ni.p, ni.len, nr.p, nr.len, out, sizeof(out)),
	    0);
	ck_assert_mem_ne(out, km.p, sizeof(out));
}
END_TEST

START_TEST(keys_errors)
{
	uint8_t buf[300] = { 0 }, out[CRYPTO_PRF_MAX];
	uint8_t spi[8] = { 0 };
	struct crypto_ike_keys k;

	ck_assert_int_eq(crypto_skeyseed(3, buf, 16, buf, 16, buf, 32, out),
	    IR_ERR_UNSUPPORTED);
	ck_assert_int_eq(crypto_skeyseed(CRYPTO_PRF_HMAC_SHA2_256, buf, 257,
	    buf, 16, buf, 32, out), IR_ERR_MALFORMED);
	ck_assert_int_eq(crypto_skeyseed(CRYPTO_PRF_HMAC_SHA2_256, buf, 256,
	    buf, 256, buf, 32, out), 0);
	ck_assert_int_eq(crypto_ike_keys_derive(3, buf, buf, 16, buf, 16, spi,
	    spi, 32, 16, &k), IR_ERR_UNSUPPORTED);
	ck_assert_int_eq(crypto_ike_keys_derive(CRYPTO_PRF_HMAC_SHA2_512, buf,
	    buf, 16, buf, 16, spi, spi, CRYPTO_INTEG_KEY_MAX + 1, 16, &k),
	    IR_ERR_INTERNAL);
	ck_assert_int_eq(crypto_ike_keys_derive(CRYPTO_PRF_HMAC_SHA2_512, buf,
	    buf, 16, buf, 16, spi, spi, 32, CRYPTO_ENCR_KEY_MAX + 1, &k),
	    IR_ERR_INTERNAL);
	/* The largest set fits: SHA-512 PRF, 64-octet INTEG, 36-octet ENCR. */
	ck_assert_int_eq(crypto_ike_keys_derive(CRYPTO_PRF_HMAC_SHA2_512, buf,
	    buf, 16, buf, 16, spi, spi, CRYPTO_INTEG_KEY_MAX,
	    CRYPTO_ENCR_KEY_MAX, &k), 0);
	crypto_ike_keys_clear(&k);
}
END_TEST

Suite *
keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("keys");

	tcase_add_loop_test(tc, keys_skeyseed, 0, IR_ARRAY_LEN(exchanges));
	tcase_add_loop_test(tc, keys_ike_sa, 0, IR_ARRAY_LEN(exchanges));
	tcase_add_loop_test(tc, keys_child_keymat, 0, IR_ARRAY_LEN(exchanges));
	tcase_add_loop_test(tc, keys_skeyseed_aes, 0, 2);
	tcase_add_test(tc, keys_rekey_pfs);
	tcase_add_test(tc, keys_errors);
	suite_add_tcase(s, tc);
	return s;
}
