/*
 * tests/crypto/check_crypto_xform.c: the protection transforms of
 * crypto/crypto.h (crypto_xform_*): known answers from the RFCs, tamper
 * detection, round trips for every suite, and packets from real
 * strongSwan exchanges.
 *
 * Every typed vector was recomputed with python3's cryptography package
 * and checked against a second copy of the RFC text.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "tests/check_util.h"

Suite	*xform_suite(void);

#define GCM	CRYPTO_ENCR_AES_GCM_16
#define CCP	CRYPTO_ENCR_CHACHA20_POLY1305
#define CBC	CRYPTO_ENCR_AES_CBC

static struct crypto_xform *
xform(uint16_t encr, uint16_t bits, uint16_t integ, struct tbuf ek,
    struct tbuf ik)
{
	struct crypto_xform *x = NULL;
	int rv;

	rv = crypto_xform_new(&x, encr, bits, integ, ek.p, ek.len, ik.p,
	    ik.len);
	ck_assert_msg(rv == 0, "crypto_xform_new(%u, %u, %u): %d", encr, bits,
	    integ, rv);
	ck_assert_ptr_nonnull(x);
	return x;
}

static uint8_t *
dup(struct tbuf b)
{
	uint8_t *p = t_alloc(b.len + 1);

	memcpy(p, b.p, b.len);
	return p;
}

/* ---- AEAD known answers ---------------------------------------------- */

/*
 * key = cipher key | salt, so that the spec's 96-bit IV splits into the
 * RFC 4106 salt (first 4 octets) and explicit IV (last 8 octets).
 */
struct aead_kat {
	const char	*name;
	uint16_t	 encr, bits;
	const char	*key, *iv, *aad, *pt, *ct, *tag;
};

/* McGrew & Viega, "The Galois/Counter Mode of Operation", Appendix B. */
#define GCM_K	"feffe9928665731c6d6a8f9467308308"
#define GCM_IV	"facedbaddecaf888"		/* salt: cafebabe */
#define GCM_A	"feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_P60	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da"	\
		"2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"	\
		"b16aedf5aa0de657ba637b39"
#define GCM_P64	GCM_P60 "1aafd255"

static const struct aead_kat aead_kats[] = {
	{ "GCM TC1", GCM, 128, "00000000000000000000000000000000" "00000000",
	  "0000000000000000", "", "", "", "58e2fccefa7e3061367f1d57a4e7455a" },
	{ "GCM TC2", GCM, 128, "00000000000000000000000000000000" "00000000",
	  "0000000000000000", "", "00000000000000000000000000000000",
	  "0388dace60b6a392f328c2b971b2fe78",
	  "ab6e47d42cec13bdf53a67b21257bddf" },
	{ "GCM TC3", GCM, 128, GCM_K "cafebabe", GCM_IV, "", GCM_P64,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "GCM TC4", GCM, 128, GCM_K "cafebabe", GCM_IV, GCM_A, GCM_P60,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "GCM TC8", GCM, 192,
	  "000000000000000000000000000000000000000000000000" "00000000",
	  "0000000000000000", "", "00000000000000000000000000000000",
	  "98e7247c07f0fe411c267e4384b0f600",
	  "2ff58d80033927ab8ef4d4587514f0fb" },
	{ "GCM TC10", GCM, 192, GCM_K "feffe9928665731c" "cafebabe", GCM_IV,
	  GCM_A, GCM_P60,
	  "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	  "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
	  "2519498e80f1478f37ba55bd6d27618c" },
	{ "GCM TC13", GCM, 256,
	  "0000000000000000000000000000000000000000000000000000000000000000"
	  "00000000", "0000000000000000", "", "", "",
	  "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "GCM TC14", GCM, 256,
	  "0000000000000000000000000000000000000000000000000000000000000000"
	  "00000000", "0000000000000000", "",
	  "00000000000000000000000000000000",
	  "cea7403d4d606b6e074ec5d3baf39d18",
	  "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "GCM TC15", GCM, 256, GCM_K GCM_K "cafebabe", GCM_IV, "", GCM_P64,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "GCM TC16", GCM, 256, GCM_K GCM_K "cafebabe", GCM_IV, GCM_A, GCM_P60,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
	/* RFC 8439 §2.8.2: nonce 07000000 | 4041424344454647. */
	{ "RFC 8439 2.8.2", CCP, 0,
	  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	  "07000000", "4041424344454647", "50515253c0c1c2c3c4c5c6c7",
	  /* "Ladies and Gentlemen of the class of '99: If I could offer
	   * you only one tip for the future, sunscreen would be it." */
	  "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
	  "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
	  "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
	  "637265656e20776f756c642062652069742e",
	  "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	  "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	  "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	  "3ff4def08e4b7a9de576d26586cec64b6116",
	  "1ae10b594f09e26a7e902ecbd0600691" },
	/* RFC 7634 Appendix A: an ESP packet, SPI 01020304, seq 5; the
	 * plaintext is an ICMP echo in IPv4 plus the ESP trailer. */
	{ "RFC 7634 A", CCP, 0,
	  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	  "a0a1a2a3", "1011121314151617", "0102030400000005",
	  "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10"
	  "0007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
	  "2425262728292a2b2c2d2e2f303132333435363701020204",
	  "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
	  "14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
	  "cbec163fac469b502773f6fb94e664da9165b82829f641e0",
	  "76aaa8266b7fb0f7b11b369907e1ad43" },
};

START_TEST(aead_kat_seal)
{
	const struct aead_kat *k = &aead_kats[_i];
	struct tbuf iv = t_hex(k->iv), aad = t_hex(k->aad), pt = t_hex(k->pt);
	struct tbuf ct = t_hex(k->ct), tag = t_hex(k->tag);
	struct crypto_xform *x;
	uint8_t icv[CRYPTO_ICV_MAX], *data = dup(pt);

	x = xform(k->encr, k->bits, CRYPTO_INTEG_NONE, t_hex(k->key),
	    t_hex(""));
	ck_assert_uint_eq(crypto_xform_iv_len(x), iv.len);
	ck_assert_uint_eq(crypto_xform_icv_len(x), tag.len);
	ck_assert_int_eq(crypto_xform_seal(x, aad.p, aad.len, NULL, 0, iv.p,
	    data, pt.len, icv), 0);
	ck_assert_msg(memcmp(data, ct.p, ct.len) == 0, "%s: ciphertext",
	    k->name);
	ck_assert_msg(memcmp(icv, tag.p, tag.len) == 0, "%s: tag", k->name);
	crypto_xform_free(x);
}
END_TEST

START_TEST(aead_kat_open)
{
	const struct aead_kat *k = &aead_kats[_i];
	struct tbuf iv = t_hex(k->iv), aad = t_hex(k->aad), pt = t_hex(k->pt);
	struct tbuf ct = t_hex(k->ct), tag = t_hex(k->tag);
	struct crypto_xform *x;
	uint8_t *data = dup(ct), *bad = dup(tag);

	x = xform(k->encr, k->bits, CRYPTO_INTEG_NONE, t_hex(k->key),
	    t_hex(""));
	ck_assert_int_eq(crypto_xform_open(x, aad.p, aad.len, NULL, 0, iv.p,
	    data, ct.len, tag.p), 0);
	ck_assert_msg(memcmp(data, pt.p, pt.len) == 0, "%s: plaintext",
	    k->name);
	/* A wrong tag fails and leaves no plaintext behind: zeros. */
	bad[tag.len - 1] ^= 0x01;
	memcpy(data, ct.p, ct.len);
	ck_assert_int_eq(crypto_xform_open(x, aad.p, aad.len, NULL, 0, iv.p,
	    data, ct.len, bad), IR_ERR_DECRYPT);
	for (size_t i = 0; i < ct.len; i++)
		ck_assert_uint_eq(data[i], 0);
	crypto_xform_free(x);
}
END_TEST

/* One context, several packets: the key schedule survives IV reloads. */
START_TEST(aead_context_reuse)
{
	const struct aead_kat *k3 = &aead_kats[2], *k4 = &aead_kats[3];
	struct tbuf iv = t_hex(GCM_IV), a4 = t_hex(k4->aad);
	struct tbuf p3 = t_hex(k3->pt), p4 = t_hex(k4->pt);
	struct crypto_xform *x;
	uint8_t icv[CRYPTO_ICV_MAX], *d3, *d4;
	int round;

	x = xform(GCM, 128, CRYPTO_INTEG_NONE, t_hex(k3->key), t_hex(""));
	for (round = 0; round < 3; round++) {
		d3 = dup(p3);
		d4 = dup(p4);
		ck_assert_int_eq(crypto_xform_seal(x, NULL, 0, NULL, 0, iv.p,
		    d3, p3.len, icv), 0);
		ck_assert(memcmp(icv, t_hex(k3->tag).p, 16) == 0);
		ck_assert_int_eq(crypto_xform_seal(x, a4.p, a4.len, NULL, 0,
		    iv.p, d4, p4.len, icv), 0);
		ck_assert(memcmp(d4, t_hex(k4->ct).p, p4.len) == 0);
		ck_assert(memcmp(icv, t_hex(k4->tag).p, 16) == 0);
	}
	crypto_xform_free(x);
}
END_TEST

/*
 * Each packet's IV is the one loaded: a known answer sealed and opened
 * on a context that has just sealed and opened (and failed to open)
 * under another IV still matches.  (A nonce left from the packet before
 * would give another ciphertext and tag.)
 */
START_TEST(aead_kat_after_other_iv)
{
	const struct aead_kat *k = &aead_kats[_i];
	struct tbuf iv = t_hex(k->iv), aad = t_hex(k->aad), pt = t_hex(k->pt);
	struct tbuf ct = t_hex(k->ct), tag = t_hex(k->tag);
	struct crypto_xform *x;
	uint8_t icv[CRYPTO_ICV_MAX], other[16], *data;
	size_t i;

	x = xform(k->encr, k->bits, CRYPTO_INTEG_NONE, t_hex(k->key),
	    t_hex(""));
	for (i = 0; i < iv.len; i++)
		other[i] = (uint8_t)(iv.p[i] ^ (0x5a + i));
	data = dup(pt);
	ck_assert_int_eq(crypto_xform_seal(x, aad.p, aad.len, NULL, 0, other,
	    data, pt.len, icv), 0);
	ck_assert_int_eq(crypto_xform_open(x, aad.p, aad.len, NULL, 0, iv.p,
	    data, pt.len, icv), IR_ERR_DECRYPT);
	data = dup(pt);
	ck_assert_int_eq(crypto_xform_seal(x, aad.p, aad.len, NULL, 0, iv.p,
	    data, pt.len, icv), 0);
	ck_assert_msg(memcmp(data, ct.p, ct.len) == 0, "%s: ciphertext",
	    k->name);
	ck_assert_msg(memcmp(icv, tag.p, tag.len) == 0, "%s: tag", k->name);
	ck_assert_int_eq(crypto_xform_open(x, aad.p, aad.len, NULL, 0, iv.p,
	    data, ct.len, tag.p), 0);
	ck_assert_msg(memcmp(data, pt.p, pt.len) == 0, "%s: plaintext",
	    k->name);
	crypto_xform_free(x);
}
END_TEST

/* ---- AES-CBC + HMAC known answers ------------------------------------ */

/*
 * RFC 3602 §4 Cases #1-#4 and NIST SP 800-38A F.2.3 / F.2.5 (first
 * block) for the ciphertext; the ICV over aad | iv | ciphertext was
 * computed separately with python3 (hmac module), under integrity key
 * 01 02 03 .. (key length octets) and aad 00004321 00000001.
 */
struct cbc_kat {
	const char	*name;
	uint16_t	 bits, integ;
	const char	*key, *iv, *pt, *ct, *icv;
};

#define CBC_AAD	"0000432100000001"

static const struct cbc_kat cbc_kats[] = {
	{ "RFC 3602 #1", 128, CRYPTO_INTEG_HMAC_SHA1_96,
	  "06a9214036b8a15b512e03d534120006",
	  "3dafba429d9eb430b422da802c9fac41",
	  "53696e676c6520626c6f636b206d7367",	/* "Single block msg" */
	  "e353779c1079aeb82708942dbe77181a", "c5d5e2fdafc6e893417847a9" },
	{ "RFC 3602 #2", 128, CRYPTO_INTEG_HMAC_SHA2_256_128,
	  "c286696d887c9aa0611bbb3e2025a45a",
	  "562e17996d093d28ddb3ba695a2e6f58",
	  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1",
	  "076cff15596099b9b97db654be6bb7d7" },
	{ "RFC 3602 #3", 128, CRYPTO_INTEG_HMAC_SHA2_384_192,
	  "6c3ea0477630ce21a2ce334aa746c2cd",
	  "c782dc4c098c66cbd9cd27d825682c81",
	  /* "This is a 48-byte message (exactly 3 AES blocks)" */
	  "5468697320697320612034382d62797465206d65737361676520286578616374"
	  "6c7920332041455320626c6f636b7329",
	  "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5"
	  "021c19216bad525c8579695d83ba2684",
	  "d8d5835045db1fd2edfeaab07f40b96b0aa596658fd719de" },
	{ "RFC 3602 #4", 128, CRYPTO_INTEG_HMAC_SHA2_512_256,
	  "56e47a38c5598974bc46903dba290349",
	  "8ce82eefbea0da3c44699ed7db51b7d9",
	  "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	  "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
	  "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e"
	  "35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55",
	  "686ac99b150c528357a9f95e6c3d55ed206d53bf290242732d3778e2d072a76b" },
	{ "SP 800-38A F.2.3", 192, CRYPTO_INTEG_HMAC_SHA2_256_128,
	  "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	  "000102030405060708090a0b0c0d0e0f",
	  "6bc1bee22e409f96e93d7e117393172a",
	  "4f021db243bc633d7178183a9fa071e8",
	  "b1286177b09e14fa27acdd652267f930" },
	{ "SP 800-38A F.2.5", 256, CRYPTO_INTEG_HMAC_SHA2_512_256,
	  "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  "000102030405060708090a0b0c0d0e0f",
	  "6bc1bee22e409f96e93d7e117393172a",
	  "f58c4c04d6e5f1ba779eabfb5f7bfbd6",
	  "ef98815afb2a8bf667076202d8478c1ac4400487d84c63e1d72d9e862fb70892" },
};

/* Integrity key 01 02 03 .. of |integ|'s key length. */
static struct tbuf
counting_key(uint16_t integ)
{
	struct tbuf k;
	size_t i;

	k.len = crypto_integ_key_len(integ);
	k.p = t_alloc(k.len);
	for (i = 0; i < k.len; i++)
		k.p[i] = (uint8_t)(i + 1);
	return k;
}

START_TEST(cbc_kat_seal_open)
{
	const struct cbc_kat *k = &cbc_kats[_i];
	struct tbuf iv = t_hex(k->iv), pt = t_hex(k->pt), ct = t_hex(k->ct);
	struct tbuf want = t_hex(k->icv), aad = t_hex(CBC_AAD);
	struct crypto_xform *x;
	uint8_t icv[CRYPTO_ICV_MAX], *data = dup(pt);

	x = xform(CBC, k->bits, k->integ, t_hex(k->key),
	    counting_key(k->integ));
	ck_assert_uint_eq(crypto_xform_icv_len(x), want.len);
	ck_assert_int_eq(crypto_xform_seal(x, aad.p, aad.len, NULL, 0, iv.p,
	    data, pt.len, icv), 0);
	ck_assert_msg(memcmp(data, ct.p, ct.len) == 0, "%s: ct", k->name);
	ck_assert_msg(memcmp(icv, want.p, want.len) == 0, "%s: icv", k->name);
	ck_assert_int_eq(crypto_xform_open(x, aad.p, aad.len, NULL, 0, iv.p,
	    data, ct.len, icv), 0);
	ck_assert_msg(memcmp(data, pt.p, pt.len) == 0, "%s: pt", k->name);
	crypto_xform_free(x);
}
END_TEST

/*
 * Truncated HMAC vectors: RFC 2202 §3 (SHA-1 cases 3 and 5, 96 bits as
 * in RFC 2404) and RFC 4868 §2.7.2 (AUTH256-2..4, AUTH384-2..3,
 * AUTH512-2..4).  With no ciphertext the ICV is HMAC(aad | iv | tail),
 * so each vector's data is split over those three inputs (the IV takes
 * 16 octets); the splits differ on purpose.
 */
struct hmac_kat {
	const char	*name;
	uint16_t	 integ;
	const char	*key;		/* NULL: the 01 02 03 .. key */
	uint8_t		 key_byte;	/* else the key repeats this, or */
	const char	*data;		/* hex; NULL: 50 x data_byte */
	uint8_t		 data_byte;
	size_t		 aad_len;	/* then 16 octets IV, then the tail */
	const char	*icv;
};

#define WHAT	"7768617420646f2079612077616e7420666f72206e6f7468696e673f"
#define JEFE4	"4a6566654a6566654a6566654a656665"

static const struct hmac_kat hmac_kats[] = {
	{ "RFC 2202 SHA1-3", CRYPTO_INTEG_HMAC_SHA1_96, "", 0xaa, NULL, 0xdd,
	  34, "125d7342b9ac11cd91a39af4" },
	{ "RFC 2202 SHA1-5", CRYPTO_INTEG_HMAC_SHA1_96, "", 0x0c,
	  "546573742057697468205472756e636174696f6e",	/* 20 octets */
	  0, 4, "4c1a03424b55e07fe7f27be1" },
	{ "AUTH256-2", CRYPTO_INTEG_HMAC_SHA2_256_128, JEFE4 JEFE4, 0, WHAT, 0,
	  12, "167f928588c5cc2eef8e3093caa0e87c" },
	{ "AUTH256-3", CRYPTO_INTEG_HMAC_SHA2_256_128, "", 0xaa, NULL, 0xdd,
	  2, "cdcb1220d1ecccea91e53aba3092f962" },
	{ "AUTH256-4", CRYPTO_INTEG_HMAC_SHA2_256_128, NULL, 0, NULL, 0xcd,
	  0, "372efcf9b40b35c2115b1346903d2ef4" },
	{ "AUTH384-2", CRYPTO_INTEG_HMAC_SHA2_384_192, JEFE4 JEFE4 JEFE4, 0,
	  WHAT, 0, 5, "2c7353974f1842fd66d53c452ca42122b28c0b594cfb184d" },
	{ "AUTH384-3", CRYPTO_INTEG_HMAC_SHA2_384_192, "", 0xaa, NULL, 0xdd,
	  17, "809f439be00274321d4a538652164b53554a508184a0c316" },
	{ "AUTH512-2", CRYPTO_INTEG_HMAC_SHA2_512_256, JEFE4 JEFE4 JEFE4 JEFE4,
	  0, WHAT, 0, 12,
	  "cb370917ae8a7ce28cfd1d8f4705d6141c173b2a9362c15df235dfb251b15454" },
	{ "AUTH512-3", CRYPTO_INTEG_HMAC_SHA2_512_256, "", 0xaa, NULL, 0xdd,
	  1,
	  "2ee7acd783624ca9398710f3ee05ae41b9f9b0510c87e49e586cc9bf961733d8" },
	{ "AUTH512-4", CRYPTO_INTEG_HMAC_SHA2_512_256, NULL, 0, NULL, 0xcd,
	  30,
	  "5e6688e5a3daec826ca32eaea224eff5e700628947470e13ad01302561bab108" },
};

static struct tbuf
hmac_kat_key(const struct hmac_kat *k)
{
	struct tbuf key;

	if (k->key == NULL)
		return counting_key(k->integ);
	if (k->key[0] != '\0')
		return t_hex(k->key);
	key.len = crypto_integ_key_len(k->integ);
	key.p = t_alloc(key.len);
	memset(key.p, k->key_byte, key.len);
	return key;
}

START_TEST(hmac_kat)
{
	const struct hmac_kat *k = &hmac_kats[_i];
	struct tbuf d, want = t_hex(k->icv);
	struct crypto_xform *x;
	const uint8_t *iv, *tail;
	uint8_t icv[CRYPTO_ICV_MAX];
	size_t tail_len;
	int round;

	if (k->data != NULL)
		d = t_hex(k->data);
	else {
		d.len = 50;
		d.p = t_alloc(d.len);
		memset(d.p, k->data_byte, d.len);
	}
	ck_assert_uint_ge(d.len, k->aad_len + 16);
	iv = d.p + k->aad_len;
	tail = iv + 16;
	tail_len = d.len - k->aad_len - 16;
	x = xform(CBC, 128, k->integ, t_hex("000102030405060708090a0b0c0d0e0f"),
	    hmac_kat_key(k));
	/* Twice: the second HMAC reuses the key set up in crypto_xform_new. */
	for (round = 0; round < 2; round++) {
		ck_assert_int_eq(crypto_xform_seal(x, d.p, k->aad_len, tail,
		    tail_len, iv, NULL, 0, icv), 0);
		ck_assert_msg(memcmp(icv, want.p, want.len) == 0, "%s round %d",
		    k->name, round);
		ck_assert_int_eq(crypto_xform_open(x, d.p, k->aad_len, tail,
		    tail_len, iv, NULL, 0, want.p), 0);
	}
	crypto_xform_free(x);
}
END_TEST

/* ---- Every suite: round trips and tampering -------------------------- */

struct suite {
	uint16_t	encr, bits, integ;
};

static const struct suite suites[] = {
	{ GCM, 128, 0 }, { GCM, 192, 0 }, { GCM, 256, 0 }, { CCP, 0, 0 },
	{ CBC, 128, CRYPTO_INTEG_HMAC_SHA1_96 },
	{ CBC, 128, CRYPTO_INTEG_HMAC_SHA2_256_128 },
	{ CBC, 128, CRYPTO_INTEG_HMAC_SHA2_384_192 },
	{ CBC, 128, CRYPTO_INTEG_HMAC_SHA2_512_256 },
	{ CBC, 192, CRYPTO_INTEG_HMAC_SHA1_96 },
	{ CBC, 192, CRYPTO_INTEG_HMAC_SHA2_256_128 },
	{ CBC, 192, CRYPTO_INTEG_HMAC_SHA2_384_192 },
	{ CBC, 192, CRYPTO_INTEG_HMAC_SHA2_512_256 },
	{ CBC, 256, CRYPTO_INTEG_HMAC_SHA1_96 },
	{ CBC, 256, CRYPTO_INTEG_HMAC_SHA2_256_128 },
	{ CBC, 256, CRYPTO_INTEG_HMAC_SHA2_384_192 },
	{ CBC, 256, CRYPTO_INTEG_HMAC_SHA2_512_256 },
};

/* |len| pseudo-random octets, a fixed stream per |seed| (xorshift32). */
static struct tbuf
rand_buf(size_t len, uint32_t seed)
{
	struct tbuf b;
	uint32_t v = seed * 2654435761u + 1;
	size_t i;

	b.len = len;
	b.p = t_alloc(len + 1);
	for (i = 0; i < len; i++) {
		v ^= v << 13;
		v ^= v >> 17;
		v ^= v << 5;
		b.p[i] = (uint8_t)v;
	}
	return b;
}

static struct crypto_xform *
suite_xform(const struct suite *s)
{
	return xform(s->encr, s->bits, s->integ,
	    rand_buf(crypto_encr_key_len(s->encr, s->bits), 1),
	    rand_buf(crypto_integ_key_len(s->integ), 2));
}

START_TEST(suite_round_trip)
{
	const struct suite *s = &suites[_i];
	struct crypto_xform *x = suite_xform(s);
	size_t blk = crypto_xform_block_len(x), len, lens[66], n = 0, i;
	struct tbuf aad = rand_buf(12, 3), tail = rand_buf(4, 4);
	struct tbuf iv = rand_buf(crypto_xform_iv_len(x), 5), pt;
	uint8_t icv[CRYPTO_ICV_MAX], *data;

	for (len = 0; len <= 64; len += blk)
		lens[n++] = len;
	lens[n++] = blk == 1 ? 1400 : 1408;
	for (i = 0; i < n; i++) {
		pt = rand_buf(lens[i], 100 + (uint32_t)i);
		data = dup(pt);
		ck_assert_int_eq(crypto_xform_seal(x, aad.p, aad.len, tail.p,
		    tail.len, iv.p, data, pt.len, icv), 0);
		if (pt.len >= 16)
			ck_assert_msg(memcmp(data, pt.p, pt.len) != 0,
			    "len %zu not encrypted", pt.len);
		ck_assert_msg(crypto_xform_open(x, aad.p, aad.len, tail.p,
		    tail.len, iv.p, data, pt.len, icv) == 0, "len %zu", pt.len);
		ck_assert_msg(memcmp(data, pt.p, pt.len) == 0, "len %zu",
		    pt.len);
	}
	crypto_xform_free(x);
}
END_TEST

/* Seal 64 octets, break one input, expect IR_ERR_DECRYPT; then recover. */
START_TEST(suite_tamper)
{
	const struct suite *s = &suites[_i];
	struct crypto_xform *x = suite_xform(s);
	struct tbuf aad = rand_buf(8, 3), tail = rand_buf(4, 4);
	struct tbuf iv = rand_buf(crypto_xform_iv_len(x), 5);
	struct tbuf pt = rand_buf(64, 6);
	size_t icv_len = crypto_xform_icv_len(x);
	uint8_t icv[CRYPTO_ICV_MAX], *ct = dup(pt), *d, *before;
	int what, want;

	ck_assert_int_eq(crypto_xform_seal(x, aad.p, aad.len, tail.p,
	    tail.len, iv.p, ct, pt.len, icv), 0);
	for (what = 0; what < 5; what++) {
		d = t_alloc(pt.len);
		memcpy(d, ct, pt.len);
		switch (what) {
		case 0: icv[icv_len - 1] ^= 0x80; break;
		case 1: aad.p[7] ^= 0x01; break;
		case 2: d[40] ^= 0x10; break;
		case 3: iv.p[0] ^= 0x01; break;
		case 4: tail.p[3] ^= 0x01; break;
		}
		before = dup((struct tbuf){ d, pt.len });
		/* AEADs do not take |icv_tail|: ESN bits go in their AAD. */
		want = what == 4 && crypto_xform_is_aead(x) ? 0 :
		    IR_ERR_DECRYPT;
		ck_assert_msg(crypto_xform_open(x, aad.p, aad.len, tail.p,
		    tail.len, iv.p, d, pt.len, icv) == want, "tamper %d", what);
		if (want != 0 && !crypto_xform_is_aead(x))
			ck_assert(memcmp(d, before, pt.len) == 0); /* as was */
		if (want != 0 && crypto_xform_is_aead(x))
			ck_assert(d[0] == 0 &&
			    memcmp(d, d + 1, pt.len - 1) == 0);
		switch (what) {			/* undo */
		case 0: icv[icv_len - 1] ^= 0x80; break;
		case 1: aad.p[7] ^= 0x01; break;
		case 3: iv.p[0] ^= 0x01; break;
		case 4: tail.p[3] ^= 0x01; break;
		}
	}
	/* A failed open leaves the context fit for the next packet. */
	d = dup((struct tbuf){ ct, pt.len });
	ck_assert_int_eq(crypto_xform_open(x, aad.p, aad.len, tail.p,
	    tail.len, iv.p, d, pt.len, icv), 0);
	ck_assert(memcmp(d, pt.p, pt.len) == 0);
	crypto_xform_free(x);
}
END_TEST

START_TEST(cbc_rejects_partial_blocks)
{
	const struct suite *s = &suites[4 + _i];	/* the CBC suites */
	struct crypto_xform *x = suite_xform(s);
	uint8_t iv[16] = { 0 }, data[48] = { 0 }, icv[CRYPTO_ICV_MAX] = { 0 };
	static const size_t bad[] = { 1, 15, 17, 31, 47 };
	size_t i;

	ck_assert_uint_eq(crypto_xform_block_len(x), 16);
	for (i = 0; i < IR_ARRAY_LEN(bad); i++) {
		ck_assert_int_eq(crypto_xform_seal(x, NULL, 0, NULL, 0, iv,
		    data, bad[i], icv), IR_ERR_MALFORMED);
		ck_assert_int_eq(crypto_xform_open(x, NULL, 0, NULL, 0, iv,
		    data, bad[i], icv), IR_ERR_MALFORMED);
	}
	crypto_xform_free(x);
}
END_TEST

/* ---- Queries, construction errors ------------------------------------ */

START_TEST(queries)
{
	ck_assert(crypto_encr_supported(CBC, 128));
	ck_assert(crypto_encr_supported(CBC, 256));
	ck_assert(!crypto_encr_supported(CBC, 0));
	ck_assert(!crypto_encr_supported(CBC, 64));
	ck_assert(crypto_encr_supported(GCM, 192));
	ck_assert(!crypto_encr_supported(GCM, 0));
	ck_assert(crypto_encr_supported(CCP, 0));
	ck_assert(!crypto_encr_supported(CCP, 256));	/* RFC 7634 §4 */
	ck_assert(!crypto_encr_supported(3, 0));	/* 3DES */
	ck_assert(!crypto_encr_supported(19, 128));	/* AES-GCM-12 */
	ck_assert(crypto_encr_is_aead(GCM) && crypto_encr_is_aead(CCP));
	ck_assert(!crypto_encr_is_aead(CBC));
	ck_assert_uint_eq(crypto_encr_key_len(CBC, 192), 24);
	ck_assert_uint_eq(crypto_encr_key_len(GCM, 128), 20);
	ck_assert_uint_eq(crypto_encr_key_len(GCM, 256), 36);
	ck_assert_uint_eq(crypto_encr_key_len(CCP, 0), 36);
	ck_assert_uint_eq(crypto_encr_key_len(CBC, 100), 0);
	ck_assert(!crypto_integ_supported(CRYPTO_INTEG_NONE));
	ck_assert(!crypto_integ_supported(1));		/* HMAC-MD5-96 */
	ck_assert_uint_eq(crypto_integ_key_len(CRYPTO_INTEG_HMAC_SHA1_96), 20);
	ck_assert_uint_eq(crypto_integ_icv_len(CRYPTO_INTEG_HMAC_SHA1_96), 12);
	ck_assert_uint_eq(crypto_integ_key_len(
	    CRYPTO_INTEG_HMAC_SHA2_384_192), 48);
	ck_assert_uint_eq(crypto_integ_icv_len(
	    CRYPTO_INTEG_HMAC_SHA2_512_256), 32);
	ck_assert_uint_eq(crypto_integ_icv_len(CRYPTO_INTEG_NONE), 0);
}
END_TEST

START_TEST(new_rejects)
{
	static const uint8_t k[64];
	struct crypto_xform *x = (struct crypto_xform *)k; /* must be reset */
	const uint16_t sha256 = CRYPTO_INTEG_HMAC_SHA2_256_128;

	ck_assert_int_eq(crypto_xform_new(&x, 3, 0, sha256, k, 24, k, 32),
	    IR_ERR_UNSUPPORTED);
	ck_assert_ptr_null(x);
	ck_assert_int_eq(crypto_xform_new(&x, CBC, 128, CRYPTO_INTEG_NONE, k,
	    16, NULL, 0), IR_ERR_UNSUPPORTED);
	ck_assert_int_eq(crypto_xform_new(&x, GCM, 128, sha256, k, 20, k, 32),
	    IR_ERR_UNSUPPORTED);
	ck_assert_int_eq(crypto_xform_new(&x, CCP, 256, 0, k, 36, NULL, 0),
	    IR_ERR_UNSUPPORTED);
	/* Key lengths that do not match the transform: a caller's bug. */
	ck_assert_int_eq(crypto_xform_new(&x, GCM, 128, 0, k, 16, NULL, 0),
	    IR_ERR_INTERNAL);
	ck_assert_int_eq(crypto_xform_new(&x, CBC, 128, sha256, k, 16, k, 20),
	    IR_ERR_INTERNAL);
	ck_assert_ptr_null(x);
	ir_mem_fail_after(0);
	ck_assert_int_eq(crypto_xform_new(&x, CBC, 128, sha256, k, 16, k, 32),
	    IR_ERR_NOMEM);
	ck_assert_ptr_null(x);
	crypto_xform_free(NULL);
}
END_TEST

/* ---- Real packets: strongSwan 5.9.8 ESP and IKE SK ------------------- */

/*
 * Both ESP (RFC 4303 §2) and the SK payload (RFC 7296 §3.14) read
 *	aad | IV | ciphertext | ICV
 * where aad is SPI | seq (8 octets) for ESP and, for SK, the IKE header
 * and the SK payload header (28 + 4 octets).  One call shape opens both.
 */
struct real_pkt {
	const char	*dir, *file, *ekey, *ikey;
	uint16_t	 encr, bits, integ;
	size_t		 aad_len;
	bool		 esp;
};

#define SS	"strongswan-psk-udp/"
#define SSGCM	SS "aesgcm128-prfsha256-x25519"
#define SSCBC	SS "aescbc128-sha256-modp2048"

static const struct real_pkt real_pkts[] = {
	{ SSGCM, "esp/01-i2r-spi_c2d87398-seq1", "ESP_ENCR_i2r", NULL,
	  GCM, 128, 0, 8, true },
	{ SSCBC, "esp/01-i2r-spi_876f29c1-seq1", "ESP_ENCR_i2r",
	  "ESP_INTEG_i2r", CBC, 128, CRYPTO_INTEG_HMAC_SHA2_256_128, 8, true },
	{ SSGCM, "03-IKE_AUTH-req", "SK_ei", NULL, GCM, 128, 0, 32, false },
	{ SSCBC, "03-IKE_AUTH-req", "SK_ei", "SK_ai", CBC, 128,
	  CRYPTO_INTEG_HMAC_SHA2_256_128, 32, false },
};

START_TEST(real_packet_open)
{
	const struct real_pkt *r = &real_pkts[_i];
	struct crypto_xform *x;
	struct tbuf pkt, inner, ik = { NULL, 0 };
	char path[256];
	size_t iv_len, icv_len, len, pad, trailer;
	uint8_t *data;

	snprintf(path, sizeof(path), "%s/%s.hex", r->dir, r->file);
	pkt = t_vec_hex(path);
	snprintf(path, sizeof(path), "%s/%s.inner.hex", r->dir, r->file);
	inner = t_vec_hex(path);
	if (r->ikey != NULL)
		ik = t_vec_key(r->dir, r->ikey);
	x = xform(r->encr, r->bits, r->integ, t_vec_key(r->dir, r->ekey), ik);
	iv_len = crypto_xform_iv_len(x);
	icv_len = crypto_xform_icv_len(x);
	ck_assert_uint_gt(pkt.len, r->aad_len + iv_len + icv_len);
	len = pkt.len - r->aad_len - iv_len - icv_len;
	data = pkt.p + r->aad_len + iv_len;

	ck_assert_int_eq(crypto_xform_open(x, pkt.p, r->aad_len, NULL, 0,
	    pkt.p + r->aad_len, data, len, data + len), 0);
	/* ESP: Pad Length, Next Header (4: IPv4); SK: Pad Length. */
	trailer = r->esp ? 2 : 1;
	ck_assert_uint_ge(len, trailer);
	pad = data[len - trailer];
	if (r->esp)
		ck_assert_uint_eq(data[len - 1], 4);
	ck_assert_uint_eq(len - trailer - pad, inner.len);
	ck_assert(memcmp(data, inner.p, inner.len) == 0);
	crypto_xform_free(x);
}
END_TEST

/* The first octet flipped anywhere in a real packet is caught. */
START_TEST(real_packet_tamper)
{
	const struct real_pkt *r = &real_pkts[_i];
	struct crypto_xform *x;
	struct tbuf pkt, ik = { NULL, 0 };
	char path[256];
	size_t iv_len, icv_len, len, at;
	uint8_t *copy;

	snprintf(path, sizeof(path), "%s/%s.hex", r->dir, r->file);
	pkt = t_vec_hex(path);
	if (r->ikey != NULL)
		ik = t_vec_key(r->dir, r->ikey);
	x = xform(r->encr, r->bits, r->integ, t_vec_key(r->dir, r->ekey), ik);
	iv_len = crypto_xform_iv_len(x);
	icv_len = crypto_xform_icv_len(x);
	len = pkt.len - r->aad_len - iv_len - icv_len;
	copy = t_alloc(pkt.len);
	for (at = 0; at < pkt.len; at += 7) {
		memcpy(copy, pkt.p, pkt.len);
		copy[at] ^= 0x04;
		ck_assert_msg(crypto_xform_open(x, copy, r->aad_len, NULL, 0,
		    copy + r->aad_len, copy + r->aad_len + iv_len, len,
		    copy + pkt.len - icv_len) == IR_ERR_DECRYPT, "octet %zu",
		    at);
	}
	crypto_xform_free(x);
}
END_TEST

Suite *
xform_suite(void)
{
	Suite *s = suite_create("xform");
	TCase *kat = tcase_create("kat");
	TCase *all = tcase_create("suites");
	TCase *real = tcase_create("real");

	tcase_add_loop_test(kat, aead_kat_seal, 0, IR_ARRAY_LEN(aead_kats));
	tcase_add_loop_test(kat, aead_kat_open, 0, IR_ARRAY_LEN(aead_kats));
	tcase_add_test(kat, aead_context_reuse);
	tcase_add_loop_test(kat, aead_kat_after_other_iv, 0,
	    IR_ARRAY_LEN(aead_kats));
	tcase_add_loop_test(kat, cbc_kat_seal_open, 0, IR_ARRAY_LEN(cbc_kats));
	tcase_add_loop_test(kat, hmac_kat, 0, IR_ARRAY_LEN(hmac_kats));
	suite_add_tcase(s, kat);

	tcase_add_loop_test(all, suite_round_trip, 0, IR_ARRAY_LEN(suites));
	tcase_add_loop_test(all, suite_tamper, 0, IR_ARRAY_LEN(suites));
	tcase_add_loop_test(all, cbc_rejects_partial_blocks, 0,
	    IR_ARRAY_LEN(suites) - 4);
	tcase_add_test(all, queries);
	tcase_add_test(all, new_rejects);
	suite_add_tcase(s, all);

	tcase_add_loop_test(real, real_packet_open, 0, IR_ARRAY_LEN(real_pkts));
	tcase_add_loop_test(real, real_packet_tamper, 0,
	    IR_ARRAY_LEN(real_pkts));
	suite_add_tcase(s, real);
	return s;
}
