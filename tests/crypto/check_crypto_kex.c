/*
 * tests/crypto/check_crypto_kex.c: the key exchange of crypto_kex.c.
 *
 * Known answers from RFC 5903 §8 (ECP groups 19-21) and RFC 7748 §6.1,
 * §6.2 (X25519, X448), each recomputed with python3's cryptography
 * package; the RFC 5903 values were also checked against published
 * copies (OpenBSD regress, ring, mbed TLS test tables).  The MODP primes
 * are RFC 3526's, recomputed from the formula of RFC 3526 with an integer
 * Machin pi and compared with OpenSSL's named groups.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto.h"
#include "tests/check_util.h"

Suite	*kex_suite(void);

/* RFC 3526 §3, §4, §5: p = 2^N - 2^(N-64) - 1 + 2^64 * ([2^(N-130) pi] + X) */
#define MODP2048_P \
	"ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74" \
	"020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437" \
	"4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed" \
	"ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05" \
	"98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb" \
	"9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b" \
	"e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718" \
	"3995497cea956ae515d2261898fa051015728e5a8aacaa68ffffffffffffffff"

#define MODP3072_P \
	"ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74" \
	"020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437" \
	"4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed" \
	"ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05" \
	"98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb" \
	"9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b" \
	"e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718" \
	"3995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33" \
	"a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7" \
	"abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864" \
	"d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e2" \
	"08e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff"

#define MODP4096_P \
	"ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74" \
	"020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437" \
	"4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed" \
	"ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05" \
	"98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb" \
	"9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b" \
	"e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718" \
	"3995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33" \
	"a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7" \
	"abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864" \
	"d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e2" \
	"08e24fa074e5ab3143db5bfce0fd108e4b82d120a92108011a723c12a787e6d7" \
	"88719a10bdba5b2699c327186af4e23c1a946834b6150bda2583e9ca2ad44ce8" \
	"dbbbc2db04de8ef92e8efc141fbecaa6287c59474e6bc05d99b2964fa090c3a2" \
	"233ba186515be7ed1f612970cee2d7afb81bdd762170481cd0069127d5b05aa9" \
	"93b4ea988d8fddc186ffb7dc90a6c08f4df435c934063199ffffffffffffffff"

struct ke_vec {
	const char	*src;
	uint16_t	 group;
	const char	*i, *gi, *r, *gr, *shared;	/* hex */
};

static const struct ke_vec ke_vecs[] = {
	{ "RFC 5903 §8.1", CRYPTO_KEX_ECP256,
	    "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
	    "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
	    "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3",
	    "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53",
	    "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
	    "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
	    "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de" },
	{ "RFC 5903 §8.2", CRYPTO_KEX_ECP384,
	    "099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655"
	    "e35b538041e649ee3faef896783ab194",
	    "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6"
	    "de3ac808acb4bdb4c88732aee95f41aa9482ed1fc0eeb9cafc4984625ccfc23f"
	    "65032149e0e144ada024181535a0f38eeb9fcff3c2c947dae69b4c634573a81c",
	    "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942"
	    "e0308312916b8ed2960e4bd55a7448fc",
	    "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d"
	    "0d1ac43a0336def96fda41d0774a3571dcfbec7aacf3196472169e838430367f"
	    "66eebe3c6e70c416dd5f0c68759dd1fff83fa40142209dff5eaad96db9e6386c",
	    "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4"
	    "d603135569b9e9d09cf5d4a270f59746" },
	{ "RFC 5903 §8.3", CRYPTO_KEX_ECP521,
	    "0037ade9319a89f4dabdb3ef411aaccca5123c61acab57b5393dce47608172a0"
	    "95aa85a30fe1c2952c6771d937ba9777f5957b2639bab072462f68c27a57382d"
	    "4a52",
	    "0015417e84dbf28c0ad3c278713349dc7df153c897a1891bd98bab4357c9ecbe"
	    "e1e3bf42e00b8e380aeae57c2d107564941885942af5a7f4601723c4195d176c"
	    "ed3e017cae20b6641d2eeb695786d8c946146239d099e18e1d5a514c739d7cb4"
	    "a10ad8a788015ac405d7799dc75e7b7d5b6cf2261a6a7f1507438bf01beb6ca3"
	    "926f9582",
	    "0145ba99a847af43793fdd0e872e7cdfa16be30fdc780f97bccc3f078380201e"
	    "9c677d600b343757a3bdbf2a3163e4c2f869cca7458aa4a4effc311f5cb15168"
	    "5eb9",
	    "00d0b3975ac4b799f5bea16d5e13e9af971d5e9b984c9f39728b5e5739735a21"
	    "9b97c356436adc6e95bb0352f6be64a6c2912d4ef2d0433ced2b6171640012d9"
	    "460f015c68226383956e3bd066e797b623c27ce0eac2f551a10c2c724d985207"
	    "7b87220b6536c5c408a1d2aebb8e86d678ae49cb57091f4732296579ab44fcd1"
	    "7f0fc56a",
	    "01144c7d79ae6956bc8edb8e7c787c4521cb086fa64407f97894e5e6b2d79b04"
	    "d1427e73ca4baa240a34786859810c06b3c715a3a8cc3151f2bee417996d19f3"
	    "ddea" },
	{ "RFC 7748 §6.1", CRYPTO_KEX_CURVE25519,
	    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
	    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
	    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742" },
	{ "RFC 7748 §6.2", CRYPTO_KEX_CURVE448,
	    "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf5"
	    "74a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
	    "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bb"
	    "c836647241d953d40c5b12da88120d53177f80e532c41fa0",
	    "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120"
	    "bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d",
	    "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972"
	    "fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609",
	    "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56"
	    "fd2464c335543936521c24403085d59a449a5037514a879d" },
};

static struct crypto_kex *
kex_from_seed(uint16_t group, const uint8_t *seed, size_t len)
{
	struct crypto_kex *k;

	ck_assert_uint_eq(crypto_kex_seed_len(group), len);
	ck_assert_int_eq(crypto_kex_new(&k, group, seed, len), 0);
	ck_assert_uint_eq(crypto_kex_group(k), group);
	return k;
}

static void
check_public(const struct crypto_kex *k, const struct tbuf *want)
{
	uint8_t pub[CRYPTO_KEX_PUB_MAX];
	size_t len;

	ck_assert_int_eq(crypto_kex_public(k, pub, sizeof(pub), &len), 0);
	ck_assert_uint_eq(len, want->len);
	ck_assert_mem_eq(pub, want->p, len);
}

static void
check_derive(const struct crypto_kex *k, const struct tbuf *peer,
    const struct tbuf *want)
{
	uint8_t secret[CRYPTO_KEX_SECRET_MAX];
	size_t len;

	ck_assert_int_eq(crypto_kex_derive(k, peer->p, peer->len, secret,
	    sizeof(secret), &len), 0);
	ck_assert_uint_eq(len, want->len);
	ck_assert_mem_eq(secret, want->p, len);
}

/* Private keys -> public values -> the same g^ir from both sides. */
START_TEST(kex_rfc_vectors)
{
	const struct ke_vec *v = &ke_vecs[_i];
	struct tbuf i = t_hex(v->i), gi = t_hex(v->gi), r = t_hex(v->r);
	struct tbuf gr = t_hex(v->gr), shared = t_hex(v->shared);
	struct crypto_kex *ki, *kr;

	ck_assert_uint_eq(crypto_kex_pub_len(v->group), gi.len);
	ki = kex_from_seed(v->group, i.p, i.len);
	kr = kex_from_seed(v->group, r.p, r.len);
	check_public(ki, &gi);
	check_public(kr, &gr);
	check_derive(ki, &gr, &shared);
	check_derive(kr, &gi, &shared);
	crypto_kex_free(ki);
	crypto_kex_free(kr);
}
END_TEST

static const uint16_t modp_groups[] = {
	CRYPTO_KEX_MODP2048, CRYPTO_KEX_MODP3072, CRYPTO_KEX_MODP4096,
};
static const char *const modp_primes[] = {
	MODP2048_P, MODP3072_P, MODP4096_P,
};

/* Two key pairs from the deterministic test stream agree. */
START_TEST(kex_modp_roundtrip)
{
	uint16_t group = modp_groups[_i];
	size_t slen = crypto_kex_seed_len(group), plen, len;
	uint8_t seed[CRYPTO_KEX_SEED_MAX], pa[CRYPTO_KEX_PUB_MAX];
	uint8_t pb[CRYPTO_KEX_PUB_MAX], sa[CRYPTO_KEX_SECRET_MAX];
	uint8_t sb[CRYPTO_KEX_SECRET_MAX];
	struct crypto_kex *a, *b;

	plen = t_hex(modp_primes[_i]).len;
	ck_assert_uint_eq(crypto_kex_pub_len(group), plen);
	t_random(NULL, seed, slen);
	a = kex_from_seed(group, seed, slen);
	t_random(NULL, seed, slen);
	b = kex_from_seed(group, seed, slen);
	ck_assert_int_eq(crypto_kex_public(a, pa, sizeof(pa), &plen), 0);
	ck_assert_uint_eq(plen, crypto_kex_pub_len(group));
	ck_assert_int_eq(crypto_kex_public(b, pb, sizeof(pb), &plen), 0);
	ck_assert_mem_ne(pa, pb, plen);
	/* Fixed-length big-endian: memcmp orders them as numbers. */
	ck_assert_int_lt(memcmp(pa, t_hex(modp_primes[_i]).p, plen), 0);
	ck_assert_int_lt(memcmp(pb, t_hex(modp_primes[_i]).p, plen), 0);
	ck_assert_int_eq(crypto_kex_derive(a, pb, plen, sa, sizeof(sa), &len),
	    0);
	ck_assert_uint_eq(len, plen);
	ck_assert_int_eq(crypto_kex_derive(b, pa, plen, sb, sizeof(sb), &len),
	    0);
	ck_assert_uint_eq(len, plen);
	ck_assert_mem_eq(sa, sb, len);
	crypto_kex_free(a);
	crypto_kex_free(b);
}
END_TEST

/*
 * A hand-checkable answer: x = 2 gives y = 2^2 = 4, x = 3 gives 8, and
 * g^ir = 2^6 = 64, kept at the full length of p with its leading zeros
 * (RFC 7296 §2.14).
 */
START_TEST(kex_modp_small)
{
	uint16_t group = modp_groups[_i];
	size_t slen = crypto_kex_seed_len(group);
	size_t plen = crypto_kex_pub_len(group);
	uint8_t s2[CRYPTO_KEX_SEED_MAX] = { 0 };
	uint8_t s3[CRYPTO_KEX_SEED_MAX] = { 0 };
	struct tbuf y4, y8, z64;
	struct crypto_kex *a, *b;

	y4.p = t_alloc(plen);
	y8.p = t_alloc(plen);
	z64.p = t_alloc(plen);
	y4.len = y8.len = z64.len = plen;
	y4.p[plen - 1] = 4;
	y8.p[plen - 1] = 8;
	z64.p[plen - 1] = 64;
	s2[slen - 1] = 2;
	s3[slen - 1] = 3;
	a = kex_from_seed(group, s2, slen);
	b = kex_from_seed(group, s3, slen);
	check_public(a, &y4);
	check_public(b, &y8);
	check_derive(a, &y8, &z64);
	check_derive(b, &y4, &z64);
	crypto_kex_free(a);
	crypto_kex_free(b);
}
END_TEST

static void
check_rejected(const struct crypto_kex *k, const uint8_t *peer, size_t len,
    const char *what)
{
	uint8_t secret[CRYPTO_KEX_SECRET_MAX];
	size_t slen = 99;

	ck_assert_msg(crypto_kex_derive(k, peer, len, secret, sizeof(secret),
	    &slen) == IR_ERR_INVALID_KE, "%s not rejected", what);
	ck_assert_uint_eq(slen, 0);
}

/* RFC 7296 §3.4, SP 800-56A §5.6.2.3.1: 1 < y < p - 1, fixed length. */
START_TEST(kex_modp_reject)
{
	uint16_t group = modp_groups[_i];
	struct tbuf p = t_hex(modp_primes[_i]);
	size_t plen = p.len;
	uint8_t *y = t_alloc(plen + 1), seed[CRYPTO_KEX_SEED_MAX];
	struct crypto_kex *k;

	t_random(NULL, seed, sizeof(seed));
	k = kex_from_seed(group, seed, crypto_kex_seed_len(group));
	memset(y, 0, plen);
	check_rejected(k, y, plen, "0");
	y[plen - 1] = 1;
	check_rejected(k, y, plen, "1");
	check_rejected(k, p.p, plen, "p");
	memcpy(y, p.p, plen);
	ck_assert_uint_eq(y[plen - 1], 0xff);
	y[plen - 1] = 0xfe;
	check_rejected(k, y, plen, "p - 1");
	memset(y, 0xff, plen);
	check_rejected(k, y, plen, "2^N - 1");
	memset(y, 0, plen + 1);
	y[plen] = 4;
	check_rejected(k, y, plen + 1, "4, one octet too long");
	check_rejected(k, y + 2, plen - 1, "4, one octet too short");
	check_rejected(k, y, 0, "empty");
	/* Just inside the range: 2 is accepted; a short buffer is not. */
	memset(y, 0, plen);
	y[plen - 1] = 2;
	{
		uint8_t secret[CRYPTO_KEX_SECRET_MAX];
		size_t slen;

		ck_assert_int_eq(crypto_kex_derive(k, y, plen, secret,
		    sizeof(secret), &slen), 0);
		ck_assert_int_eq(crypto_kex_derive(k, y, plen, secret,
		    plen - 1, &slen), IR_ERR_NOBUF);
	}
	crypto_kex_free(k);
}
END_TEST

/* RFC 5903 §7 / SP 800-56A §5.6.2.3.3: the peer's point must be valid. */
START_TEST(kex_ecp_reject)
{
	const struct ke_vec *v = &ke_vecs[_i];	/* the three ECP rows */
	struct tbuf i = t_hex(v->i), gr = t_hex(v->gr);
	size_t n = gr.len, half = n / 2;
	uint8_t *bad = t_alloc(n + 1);
	struct crypto_kex *k = kex_from_seed(v->group, i.p, i.len);

	memcpy(bad, gr.p, n);
	bad[n - 1] ^= 1;
	check_rejected(k, bad, n, "y with its last bit flipped");
	memcpy(bad, gr.p, n);
	bad[half - 1] ^= 1;
	check_rejected(k, bad, n, "x with its last bit flipped");
	memset(bad, 0, n);
	check_rejected(k, bad, n, "(0, 0), the usual infinity encoding");
	memset(bad, 0xff, n);
	check_rejected(k, bad, n, "coordinates above p");
	memcpy(bad, gr.p, n);
	check_rejected(k, bad, n - 1, "one octet short");
	bad[n] = 0;
	check_rejected(k, bad, n + 1, "one octet long");
	crypto_kex_free(k);
}
END_TEST

/* The scalar must be in [1, n-1]; the caller draws a new seed. */
START_TEST(kex_ecp_scalar_range)
{
	const uint16_t groups[] = { CRYPTO_KEX_ECP256, CRYPTO_KEX_ECP384,
	    CRYPTO_KEX_ECP521 };
	uint8_t seed[CRYPTO_KEX_SEED_MAX];
	struct crypto_kex *k = (void *)1;
	size_t g, len;

	for (g = 0; g < IR_ARRAY_LEN(groups); g++) {
		len = crypto_kex_seed_len(groups[g]);
		memset(seed, 0, len);
		ck_assert_int_eq(crypto_kex_new(&k, groups[g], seed, len),
		    IR_ERR_INVALID_KE);
		ck_assert_ptr_null(k);
		/* Above n, even with the top bits of P-521 cleared. */
		memset(seed, 0xff, len);
		ck_assert_int_eq(crypto_kex_new(&k, groups[g], seed, len),
		    IR_ERR_INVALID_KE);
		ck_assert_ptr_null(k);
		ck_assert_int_eq(crypto_kex_new(&k, groups[g], seed, len - 1),
		    IR_ERR_INTERNAL);
	}
}
END_TEST

/* P-521: the top 7 bits of the 66-octet seed are ignored. */
START_TEST(kex_ecp521_top_bits)
{
	const struct ke_vec *v = &ke_vecs[2];
	struct tbuf i = t_hex(v->i), gi = t_hex(v->gi);
	struct crypto_kex *k;

	ck_assert_uint_eq(i.p[0], 0x00);
	i.p[0] = 0xfe;
	k = kex_from_seed(v->group, i.p, i.len);
	check_public(k, &gi);
	crypto_kex_free(k);
}
END_TEST

/*
 * RFC 8031 §2.3 / RFC 7748 §6: low-order points give an all-zero shared
 * secret, which must be refused.  Points of order 1, 2 (p - 1), 4/8.
 */
static const struct {
	uint16_t	 group;
	const char	*u;
} xdh_low[] = {
	{ CRYPTO_KEX_CURVE25519, "00*32" },
	{ CRYPTO_KEX_CURVE25519, "01" "00*31" },
	{ CRYPTO_KEX_CURVE25519,
	    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800" },
	{ CRYPTO_KEX_CURVE25519,
	    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f" },
	{ CRYPTO_KEX_CURVE448, "00*56" },
	{ CRYPTO_KEX_CURVE448, "01" "00*55" },
};

/* |spec| is hex, optionally ending in "00*n": n zero octets. */
static struct tbuf
low_point(const char *spec)
{
	struct tbuf b;
	const char *star = strchr(spec, '*');
	size_t lead = star != NULL ? (size_t)(star - spec) - 2 : strlen(spec);
	size_t zeros = star != NULL ? (size_t)strtoul(star + 1, NULL, 10) : 0;
	char head[80];

	ck_assert_uint_lt(lead, sizeof(head));
	memcpy(head, spec, lead);
	head[lead] = '\0';
	b = t_hex(head);
	ck_assert_uint_ge(CRYPTO_KEX_PUB_MAX, b.len + zeros);
	{
		uint8_t *p = t_alloc(b.len + zeros);

		memcpy(p, b.p, b.len);
		b.p = p;
		b.len += zeros;
	}
	return b;
}

START_TEST(kex_xdh_low_order)
{
	uint16_t group = xdh_low[_i].group;
	struct tbuf u = low_point(xdh_low[_i].u);
	uint8_t seed[CRYPTO_KEX_SEED_MAX];
	struct crypto_kex *k;

	ck_assert_uint_eq(u.len, crypto_kex_pub_len(group));
	t_random(NULL, seed, sizeof(seed));
	k = kex_from_seed(group, seed, crypto_kex_seed_len(group));
	check_rejected(k, u.p, u.len, xdh_low[_i].u);
	check_rejected(k, u.p, u.len - 1, "short");
	crypto_kex_free(k);
}
END_TEST

START_TEST(kex_unsupported)
{
	const uint16_t bad[] = { 0, 1, 2, 5, 17, 18, 22, 30, 33, 0xffff };
	uint8_t seed[CRYPTO_KEX_SEED_MAX] = { 1 }, pub[8];
	struct crypto_kex *k = (void *)1;
	size_t i, len;

	for (i = 0; i < IR_ARRAY_LEN(bad); i++) {
		ck_assert(!crypto_kex_supported(bad[i]));
		ck_assert_uint_eq(crypto_kex_pub_len(bad[i]), 0);
		ck_assert_uint_eq(crypto_kex_seed_len(bad[i]), 0);
		ck_assert_int_eq(crypto_kex_new(&k, bad[i], seed, 32),
		    IR_ERR_UNSUPPORTED);
		ck_assert_ptr_null(k);
	}
	for (i = 0; i < IR_ARRAY_LEN(ke_vecs); i++)
		ck_assert(crypto_kex_supported(ke_vecs[i].group));
	t_random(NULL, seed, sizeof(seed));
	k = kex_from_seed(CRYPTO_KEX_CURVE25519, seed, 32);
	ck_assert_int_eq(crypto_kex_public(k, pub, sizeof(pub), &len),
	    IR_ERR_NOBUF);
	crypto_kex_free(k);
	crypto_kex_free(NULL);
}
END_TEST

Suite *
kex_suite(void)
{
	Suite *s = suite_create("kex");
	TCase *tc = tcase_create("kex");

	tcase_add_loop_test(tc, kex_rfc_vectors, 0, IR_ARRAY_LEN(ke_vecs));
	tcase_add_loop_test(tc, kex_modp_roundtrip, 0,
	    IR_ARRAY_LEN(modp_groups));
	tcase_add_loop_test(tc, kex_modp_small, 0, IR_ARRAY_LEN(modp_groups));
	tcase_add_loop_test(tc, kex_modp_reject, 0, IR_ARRAY_LEN(modp_groups));
	tcase_add_loop_test(tc, kex_ecp_reject, 0, 3);
	tcase_add_test(tc, kex_ecp_scalar_range);
	tcase_add_test(tc, kex_ecp521_top_bits);
	tcase_add_loop_test(tc, kex_xdh_low_order, 0, IR_ARRAY_LEN(xdh_low));
	tcase_add_test(tc, kex_unsupported);
	suite_add_tcase(s, tc);
	return s;
}
