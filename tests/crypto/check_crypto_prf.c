/*
 * tests/crypto/check_crypto_prf.c: the PRFs and prf+ of crypto_prf.c.
 *
 * Known answers from RFC 2202 (HMAC-SHA1), RFC 4231 (HMAC-SHA2, the
 * untruncated cases: the PRF uses the full output), RFC 3566 §4 and
 * RFC 4434 §2.1 (AES-XCBC), RFC 4615 §4 (AES-CMAC-PRF-128).  Every value
 * was recomputed with python3 (hmac, cryptography's AES and CMAC, and an
 * XCBC written on AES-ECB).  The prf+ answers were computed with python3
 * from the definition in RFC 7296 §2.13.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "tests/check_util.h"

Suite	*prf_suite(void);

/*
 * Test input: "\"text\"" is ASCII, "aa*131" is 131 octets of 0xaa, and
 * anything else is hex.
 */
static struct tbuf
tv_bytes(const char *spec)
{
	struct tbuf b;
	unsigned int byte, n;
	size_t len = strlen(spec);

	if (len >= 2 && spec[0] == '"' && spec[len - 1] == '"') {
		b.len = len - 2;
		b.p = t_alloc(b.len + 1);
		memcpy(b.p, spec + 1, b.len);
		return b;
	}
	if (strchr(spec, '*') != NULL) {
		ck_assert_int_eq(sscanf(spec, "%x*%u", &byte, &n), 2);
		b.len = n;
		b.p = t_alloc(n + 1);
		memset(b.p, (int)byte, n);
		return b;
	}
	return t_hex(spec);
}

struct prf_vec {
	const char	*src;
	uint16_t	 prf;
	const char	*key, *data, *out;
};

#define K25	"0102030405060708090a0b0c0d0e0f10111213141516171819"
#define T6	"\"Test Using Larger Than Block-Size Key - Hash Key First\""
#define T7	"\"This is a test using a larger than block-size key and a " \
		"larger than block-size data. The key needs to be hashed " \
		"before being used by the HMAC algorithm.\""
#define HI	"\"Hi There\""
#define JEFE	"\"Jefe\""
#define WHAT	"\"what do ya want for nothing?\""

static const struct prf_vec hmac_vecs[] = {
	{ "RFC 2202 §3 case 1", CRYPTO_PRF_HMAC_SHA1, "0b*20", HI,
	    "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ "RFC 2202 §3 case 2", CRYPTO_PRF_HMAC_SHA1, JEFE, WHAT,
	    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ "RFC 2202 §3 case 3", CRYPTO_PRF_HMAC_SHA1, "aa*20", "dd*50",
	    "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
	{ "RFC 2202 §3 case 4", CRYPTO_PRF_HMAC_SHA1, K25, "cd*50",
	    "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
	{ "RFC 2202 §3 case 5", CRYPTO_PRF_HMAC_SHA1, "0c*20",
	    "\"Test With Truncation\"",
	    "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
	{ "RFC 2202 §3 case 6", CRYPTO_PRF_HMAC_SHA1, "aa*80", T6,
	    "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ "RFC 2202 §3 case 7", CRYPTO_PRF_HMAC_SHA1, "aa*80",
	    "\"Test Using Larger Than Block-Size Key and Larger Than One "
	    "Block-Size Data\"", "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },

	{ "RFC 4231 §4.2 SHA-256", CRYPTO_PRF_HMAC_SHA2_256, "0b*20", HI,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "RFC 4231 §4.2 SHA-384", CRYPTO_PRF_HMAC_SHA2_384, "0b*20", HI,
	    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	    "faea9ea9076ede7f4af152e8b2fa9cb6" },
	{ "RFC 4231 §4.2 SHA-512", CRYPTO_PRF_HMAC_SHA2_512, "0b*20", HI,
	    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	    "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	{ "RFC 4231 §4.3 SHA-256", CRYPTO_PRF_HMAC_SHA2_256, JEFE, WHAT,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "RFC 4231 §4.3 SHA-384", CRYPTO_PRF_HMAC_SHA2_384, JEFE, WHAT,
	    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	    "8e2240ca5e69e2c78b3239ecfab21649" },
	{ "RFC 4231 §4.3 SHA-512", CRYPTO_PRF_HMAC_SHA2_512, JEFE, WHAT,
	    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	{ "RFC 4231 §4.4 SHA-256", CRYPTO_PRF_HMAC_SHA2_256, "aa*20", "dd*50",
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ "RFC 4231 §4.4 SHA-384", CRYPTO_PRF_HMAC_SHA2_384, "aa*20", "dd*50",
	    "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	    "2a5ab39dc13814b94e3ab6e101a34f27" },
	{ "RFC 4231 §4.4 SHA-512", CRYPTO_PRF_HMAC_SHA2_512, "aa*20", "dd*50",
	    "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	    "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
	{ "RFC 4231 §4.5 SHA-256", CRYPTO_PRF_HMAC_SHA2_256, K25, "cd*50",
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ "RFC 4231 §4.5 SHA-384", CRYPTO_PRF_HMAC_SHA2_384, K25, "cd*50",
	    "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
	    "6801dd23c4a7d679ccf8a386c674cffb" },
	{ "RFC 4231 §4.5 SHA-512", CRYPTO_PRF_HMAC_SHA2_512, K25, "cd*50",
	    "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	    "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
	{ "RFC 4231 §4.7 SHA-256", CRYPTO_PRF_HMAC_SHA2_256, "aa*131", T6,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ "RFC 4231 §4.7 SHA-384", CRYPTO_PRF_HMAC_SHA2_384, "aa*131", T6,
	    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	    "0c2ef6ab4030fe8296248df163f44952" },
	{ "RFC 4231 §4.7 SHA-512", CRYPTO_PRF_HMAC_SHA2_512, "aa*131", T6,
	    "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	    "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	{ "RFC 4231 §4.8 SHA-256", CRYPTO_PRF_HMAC_SHA2_256, "aa*131", T7,
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	{ "RFC 4231 §4.8 SHA-384", CRYPTO_PRF_HMAC_SHA2_384, "aa*131", T7,
	    "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
	    "a678cc31e799176d3860e6110c46523e" },
	{ "RFC 4231 §4.8 SHA-512", CRYPTO_PRF_HMAC_SHA2_512, "aa*131", T7,
	    "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	    "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
};

#define K16	"000102030405060708090a0b0c0d0e0f"
#define M20	"000102030405060708090a0b0c0d0e0f10111213"

static const struct prf_vec aes_vecs[] = {
	/* RFC 3566 §4: with a 128-bit key the PRF is the XCBC-MAC. */
	{ "RFC 3566 §4 case 1 (empty)", CRYPTO_PRF_AES128_XCBC, K16, "",
	    "75f0251d528ac01c4573dfd584d79f29" },
	{ "RFC 3566 §4 case 2 (3 octets)", CRYPTO_PRF_AES128_XCBC, K16,
	    "000102", "5b376580ae2f19afe7219ceef172756f" },
	{ "RFC 3566 §4 case 3 (16 octets)", CRYPTO_PRF_AES128_XCBC, K16, K16,
	    "d2a246fa349b68a79998a4394ff7a263" },
	{ "RFC 3566 §4 case 5 (32 octets)", CRYPTO_PRF_AES128_XCBC, K16,
	    K16 "101112131415161718191a1b1c1d1e1f",
	    "f54f0ec8d2b9f3d36807734bd5283fd4" },
	{ "RFC 3566 §4 case 6 (34 octets)", CRYPTO_PRF_AES128_XCBC, K16,
	    K16 "101112131415161718191a1b1c1d1e1f2021",
	    "becbb3bccdb518a30677d5481fb6b4d8" },
	{ "RFC 3566 §4 case 7 (1000 octets)", CRYPTO_PRF_AES128_XCBC, K16,
	    "00*1000", "f0dafee895db30253761103b5d84528f" },
	{ "RFC 4434 §2.1 key 16", CRYPTO_PRF_AES128_XCBC, K16, M20,
	    "47f51b4564966215b8985c63055ed308" },
	{ "RFC 4434 §2.1 key 10", CRYPTO_PRF_AES128_XCBC,
	    "00010203040506070809", M20, "0fa087af7d866e7653434e602fdde835" },
	{ "RFC 4434 §2.1 key 18", CRYPTO_PRF_AES128_XCBC, K16 "edcb", M20,
	    "8cd3c93ae598a9803006ffb67c40e9e4" },
	{ "RFC 4615 §4 key 18", CRYPTO_PRF_AES128_CMAC, K16 "edcb", M20,
	    "84a348a4a45d235babfffc0d2b4da09a" },
	{ "RFC 4615 §4 key 16", CRYPTO_PRF_AES128_CMAC, K16, M20,
	    "980ae87b5f4c9c5214f5b6a8455e4c2d" },
	{ "RFC 4615 §4 key 10", CRYPTO_PRF_AES128_CMAC,
	    "00010203040506070809", M20, "290d9e112edb09ee141fcf64c0b72f3d" },
};

static void
check_prf_vec(const struct prf_vec *v)
{
	struct tbuf key = tv_bytes(v->key), data = tv_bytes(v->data);
	struct tbuf want = t_hex(v->out);
	struct crypto_iov iov = { data.p, data.len };
	uint8_t out[CRYPTO_PRF_MAX];

	ck_assert_uint_eq(crypto_prf_len(v->prf), want.len);
	ck_assert_msg(crypto_prf(v->prf, key.p, key.len, &iov, 1, out) == 0,
	    "%s", v->src);
	ck_assert_msg(memcmp(out, want.p, want.len) == 0, "%s", v->src);
}

START_TEST(prf_hmac)
{
	check_prf_vec(&hmac_vecs[_i]);
}
END_TEST

START_TEST(prf_aes)
{
	check_prf_vec(&aes_vecs[_i]);
}
END_TEST

/*
 * The same data cut into pieces of every size from 1 to 17 octets gives
 * the same answer: exercises the XCBC block buffering across pieces.
 */
START_TEST(prf_scattered)
{
	const struct prf_vec *v = &aes_vecs[_i];
	struct tbuf key = tv_bytes(v->key), data = tv_bytes(v->data);
	struct tbuf want = t_hex(v->out);
	struct crypto_iov *iov = t_alloc(sizeof(*iov) * (data.len + 1));
	uint8_t out[CRYPTO_PRF_MAX];
	size_t piece, off, n;

	for (piece = 1; piece <= 17; piece++) {
		for (off = 0, n = 0; off < data.len; off += piece, n++) {
			iov[n].p = data.p + off;
			iov[n].len = IR_MIN(piece, data.len - off);
		}
		ck_assert_int_eq(crypto_prf(v->prf, key.p, key.len, iov, n,
		    out), 0);
		ck_assert_msg(memcmp(out, want.p, want.len) == 0,
		    "%s, pieces of %zu", v->src, piece);
	}
}
END_TEST

struct prf_plus_vec {
	uint16_t	 prf;
	const char	*out;		/* 100 octets */
};

/* prf+(K = a0 a1 ... b3, S = "prf+ seed for ikeroam"), python3. */
static const struct prf_plus_vec prf_plus_vecs[] = {
	{ CRYPTO_PRF_HMAC_SHA1,
	    "596aabc8820d120e60f1df0b69a1c2fdc0e8494febce6f70c028fe9c2c08813a"
	    "ccb27b660ad2f64dac7d6c8199181524c920a90167bb7f78b4a469991694474e"
	    "2b824eaffb174e31fe3445039477fa7a112cf6eae3ee91a06cf21b4ac109feaa"
	    "27d7da40" },
	{ CRYPTO_PRF_AES128_XCBC,
	    "04e9230c699b41ed8b3886a4d4c91811c5a4543adf31818913d38468b21a2c60"
	    "60b776b071049f96a3b59d0c31126a2175aecd0c9ff4aa4c2dbf88cc3933ab20"
	    "b139d5d38f873f0c75b49e7519b2c09389ffdc8793e1e00da9d9c73dcddbed2f"
	    "2b6933c6" },
	{ CRYPTO_PRF_HMAC_SHA2_256,
	    "9e5b02b44dc91bf443467b5b38f41ad1fba99c30db5d511ead66b687d36e1980"
	    "9cb648d30573f059a03620217a3bb8cc93b4b6c6332445a73c39f30172ab2010"
	    "f58188e947693d6bc2060d3b5d0c686b285e8597d6cd386fbcc6e595ab7763f2"
	    "6f410c30" },
	{ CRYPTO_PRF_HMAC_SHA2_384,
	    "63aedcf5a4235fc2d6986dd8a601ee05731248619731cebcf86794ac932e03a5"
	    "9d32bdf0021e33701c959f861a331885626a8e3bff89b9312a9acf3f86fa09f4"
	    "f1526bdb1c378fe0688b593aeb2733f58131306ed86d739c77c0a0e55c04c6d1"
	    "66d867dc" },
	{ CRYPTO_PRF_HMAC_SHA2_512,
	    "08cd58bfd827d8354ade18962deb47d0c6f91983f5de4452c73539c68235f915"
	    "eba78958d214db13c1724d6a72a7a6e8c3fd15087a2991f3e81c9387f71fe1ed"
	    "d542e28b1c71f6cc96126f5d8eed2b23985b48e1e7abfb8fa65973a2e1b8008d"
	    "9f3ad1c6" },
	{ CRYPTO_PRF_AES128_CMAC,
	    "49c57b77a13fe878929e87664d02e525e67942ca28f155e5c21e58410be47e4a"
	    "b377714e71cb85047c5471b78e1621520e8b7d3168e8580b0a8e8875f88d7355"
	    "be6e9576037e265e2b6702fde8baa7cd6b28514933b21ba0a9a83c96953fc80c"
	    "1101ed61" },
};

static const char prf_plus_seed[] = "prf+ seed for ikeroam";

START_TEST(prf_plus_kat)
{
	const struct prf_plus_vec *v = &prf_plus_vecs[_i];
	struct tbuf want = t_hex(v->out);
	/* The seed in two pieces, as the key derivation passes it. */
	const struct crypto_iov seed[] = {
		{ (const uint8_t *)prf_plus_seed, 5 },
		{ (const uint8_t *)prf_plus_seed + 5,
		    sizeof(prf_plus_seed) - 6 },
	};
	uint8_t key[20], out[100];
	size_t i, len;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0xa0 + i);
	ck_assert_uint_eq(want.len, sizeof(out));
	/* Every prefix length: prf+ output is truncated, never padded. */
	for (len = 0; len <= sizeof(out); len += 7) {
		memset(out, 0xee, sizeof(out));
		ck_assert_int_eq(crypto_prf_plus(v->prf, key, sizeof(key), seed,
		    2, out, len), 0);
		ck_assert_mem_eq(out, want.p, len);
		for (i = len; i < sizeof(out); i++)
			ck_assert_uint_eq(out[i], 0xee);
	}
}
END_TEST

/* RFC 7296 §2.13: the counter is one octet, so 255 blocks at most. */
START_TEST(prf_plus_limit)
{
	uint16_t prf = CRYPTO_PRF_HMAC_SHA1;
	size_t max = 255 * crypto_prf_len(prf);
	uint8_t *out = t_alloc(max + 1), key[4] = { 1, 2, 3, 4 };
	struct crypto_iov s = { key, sizeof(key) };
	uint8_t t[CRYPTO_PRF_MAX];
	struct crypto_iov last[] = { { t, 20 }, { key, sizeof(key) },
	    { (const uint8_t *)"\xff", 1 } };

	ck_assert_int_eq(crypto_prf_plus(prf, key, sizeof(key), &s, 1, out,
	    max + 1), IR_ERR_INTERNAL);
	ck_assert_int_eq(crypto_prf_plus(prf, key, sizeof(key), &s, 1, out,
	    max), 0);
	/* T255 = prf(K, T254 | S | 0xff) */
	memcpy(t, out + max - 40, 20);
	ck_assert_int_eq(crypto_prf(prf, key, sizeof(key), last, 3, t), 0);
	ck_assert_mem_eq(out + max - 20, t, 20);
}
END_TEST

START_TEST(prf_unsupported)
{
	uint8_t out[CRYPTO_PRF_MAX], key[16] = { 0 };
	struct crypto_iov d = { key, sizeof(key) };
	const uint16_t bad[] = { 0, 1, 3, 9, 0xffff };
	size_t i;

	for (i = 0; i < IR_ARRAY_LEN(bad); i++) {
		ck_assert(!crypto_prf_supported(bad[i]));
		ck_assert_uint_eq(crypto_prf_len(bad[i]), 0);
		ck_assert_int_eq(crypto_prf(bad[i], key, sizeof(key), &d, 1,
		    out), IR_ERR_UNSUPPORTED);
		ck_assert_int_eq(crypto_prf_plus(bad[i], key, sizeof(key), &d,
		    1, out, 16), IR_ERR_UNSUPPORTED);
	}
	ck_assert(crypto_prf_supported(CRYPTO_PRF_AES128_CMAC));
	ck_assert_uint_eq(crypto_prf_len(CRYPTO_PRF_HMAC_SHA1), 20);
	ck_assert_uint_eq(crypto_prf_len(CRYPTO_PRF_AES128_XCBC), 16);
	ck_assert_uint_eq(crypto_prf_len(CRYPTO_PRF_HMAC_SHA2_512), 64);
}
END_TEST

Suite *
prf_suite(void)
{
	Suite *s = suite_create("prf");
	TCase *tc = tcase_create("prf");

	tcase_add_loop_test(tc, prf_hmac, 0, IR_ARRAY_LEN(hmac_vecs));
	tcase_add_loop_test(tc, prf_aes, 0, IR_ARRAY_LEN(aes_vecs));
	tcase_add_loop_test(tc, prf_scattered, 0, IR_ARRAY_LEN(aes_vecs));
	tcase_add_loop_test(tc, prf_plus_kat, 0, IR_ARRAY_LEN(prf_plus_vecs));
	tcase_add_test(tc, prf_plus_limit);
	tcase_add_test(tc, prf_unsupported);
	suite_add_tcase(s, tc);
	return s;
}
