/*
 * crypto/crypto_pkcs11.c: keys and certificates on PKCS#11 tokens
 * (crypto/crypto_pkcs11.h).
 *
 * Debian 12 ships the libp11 engine (libengine-pkcs11-openssl 0.4.12)
 * but no PKCS#11 provider for OpenSSL 3, so the key is an engine key: a
 * legacy EVP_PKEY whose RSA or EC methods call C_Sign on the token, and
 * which EVP_DigestSign (crypto_sig.c) uses like any other key.  The
 * ENGINE API is deprecated in OpenSSL 3.0; this file alone uses it, with
 * the deprecation attributes suppressed (so --enable-werror builds).
 *
 * The engine tells a wrong PIN by the PKCS#11 return code it puts on the
 * error queue (CKR_PIN_INCORRECT under the "PKCS#11 module" library), but
 * says "object not found" both for a missing token and for a missing
 * object; p11-kit, which lists the tokens of the same modules, tells
 * them apart and gives the PIN's state (locked, final try) before any
 * login is tried.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ui.h>
#include <openssl/x509.h>
#include <p11-kit/p11-kit.h>
#include <p11-kit/uri.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "crypto/crypto_pkcs11.h"
#include "crypto/crypto_sig_int.h"

#define URI_MAX		1024

struct crypto_pkcs11 {
	ENGINE		*e;
	UI_METHOD	*ui;
};

/* The engine's PIN prompt: never; ikeroam asks itself, once. */
static int
ui_refuse(UI *ui, UI_STRING *s)
{
	(void)ui;
	(void)s;
	return 0;
}

bool
crypto_pkcs11_is_uri(const char *s)
{
	return s != NULL && strncmp(s, "pkcs11:", 7) == 0;
}

/* A blank-padded PKCS#11 string as a C string. */
static void
p11_str(char *out, size_t cap, const unsigned char *in, size_t n)
{
	size_t i;

	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\0'))
		n--;
	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++)
		out[i] = in[i] >= 0x20 && in[i] < 0x7f ? (char)in[i] : '?';
	out[n] = '\0';
}

static int
parse_uri(const char *uri, P11KitUri **out, char *why, size_t cap)
{
	P11KitUri *u;

	*out = NULL;
	if (!crypto_pkcs11_is_uri(uri) || strlen(uri) >= URI_MAX) {
		crypto_why_set(why, cap, "not a PKCS#11 URI (RFC 7512: "
		    "pkcs11:token=...;object=...)");
		return IR_ERR_MALFORMED;
	}
	if ((u = p11_kit_uri_new()) == NULL)
		return IR_ERR_NOMEM;
	if (p11_kit_uri_parse(uri, P11_KIT_URI_FOR_ANY, u) != P11_KIT_URI_OK) {
		p11_kit_uri_free(u);
		crypto_why_set(why, cap, "%s: not a valid PKCS#11 URI (RFC "
		    "7512)", uri);
		return IR_ERR_MALFORMED;
	}
	if (p11_kit_uri_get_pin_value(u) != NULL ||
	    p11_kit_uri_get_pin_source(u) != NULL) {
		p11_kit_uri_free(u);
		crypto_why_set(why, cap, "the PKCS#11 URI carries a PIN "
		    "(pin-value, pin-source): remove it and give the PIN with "
		    "--key-passphrase-file or on the terminal");
		return IR_ERR_MALFORMED;
	}
	*out = u;
	return 0;
}

/* The first token of |mods| that |u| matches. */
static bool
match_token(CK_FUNCTION_LIST **mods, P11KitUri *u,
    struct crypto_token_info *info)
{
	CK_SLOT_ID slots[64];
	CK_TOKEN_INFO ti;
	CK_ULONG n, i;
	size_t m;

	for (m = 0; mods[m] != NULL; m++) {
		n = sizeof(slots) / sizeof(slots[0]);
		if (mods[m]->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK)
			continue;
		for (i = 0; i < n; i++) {
			if (mods[m]->C_GetTokenInfo(slots[i], &ti) != CKR_OK ||
			    !p11_kit_uri_match_token_info(u, &ti))
				continue;
			p11_str(info->label, sizeof(info->label), ti.label,
			    sizeof(ti.label));
			p11_str(info->manufacturer, sizeof(info->manufacturer),
			    ti.manufacturerID, sizeof(ti.manufacturerID));
			p11_str(info->model, sizeof(info->model), ti.model,
			    sizeof(ti.model));
			p11_str(info->serial, sizeof(info->serial),
			    ti.serialNumber, sizeof(ti.serialNumber));
			info->login_required =
			    (ti.flags & CKF_LOGIN_REQUIRED) != 0;
			info->pin_locked = (ti.flags & CKF_USER_PIN_LOCKED) != 0;
			info->pin_final_try =
			    (ti.flags & CKF_USER_PIN_FINAL_TRY) != 0;
			info->pin_count_low =
			    (ti.flags & CKF_USER_PIN_COUNT_LOW) != 0;
			return true;
		}
	}
	return false;
}

int
crypto_pkcs11_find_token(const char *uri, struct crypto_token_info *info,
    char *why, size_t cap)
{
	CK_FUNCTION_LIST *one[2] = { NULL, NULL }, **mods;
	const char *path;
	P11KitUri *u;
	bool found;
	int rv;

	memset(info, 0, sizeof(*info));
	if ((rv = parse_uri(uri, &u, why, cap)) != 0)
		return rv;
	if ((path = p11_kit_uri_get_module_path(u)) != NULL) {
		if ((one[0] = p11_kit_module_load(path, 0)) == NULL ||
		    p11_kit_module_initialize(one[0]) != CKR_OK) {
			if (one[0] != NULL)
				p11_kit_module_release(one[0]);
			/* |path| lives in |u|: the line first. */
			crypto_why_set(why, cap, "the PKCS#11 module %s cannot "
			    "be loaded: %s", path, p11_kit_message() != NULL ?
			    p11_kit_message() : "unknown reason");
			p11_kit_uri_free(u);
			return IR_ERR_CONFIG;
		}
		mods = one;
	} else if ((mods = p11_kit_modules_load_and_initialize(0)) == NULL) {
		p11_kit_uri_free(u);
		crypto_why_set(why, cap, "p11-kit cannot load the PKCS#11 "
		    "modules: %s", p11_kit_message() != NULL ?
		    p11_kit_message() : "unknown reason");
		return IR_ERR_CONFIG;
	}
	found = match_token(mods, u, info);
	if (mods == one) {
		p11_kit_module_finalize(one[0]);
		p11_kit_module_release(one[0]);
	} else
		p11_kit_modules_finalize_and_release(mods);
	p11_kit_uri_free(u);
	if (!found) {
		crypto_why_set(why, cap, "no PKCS#11 token matches %s: is it "
		    "plugged in (pkcs11-tool -L lists the tokens)?", uri);
		return IR_ERR_NOT_FOUND;
	}
	return 0;
}

/* What the engine gets: the URI without its query ("?module-path=..."),
 * which libp11 does not know. */
static void
engine_uri(const char *uri, char *out, size_t cap)
{
	size_t n = strcspn(uri, "?");

	if (n >= cap)
		n = cap - 1;
	memcpy(out, uri, n);
	out[n] = '\0';
}

int
crypto_pkcs11_open(struct crypto_pkcs11 **out, const char *uri,
    struct crypto_token_info *info, char *why, size_t cap)
{
	struct crypto_token_info ti;
	struct crypto_pkcs11 *t;
	const char *path;
	P11KitUri *u;
	int rv;

	*out = NULL;
	if (info == NULL)
		info = &ti;
	if ((rv = crypto_pkcs11_find_token(uri, info, why, cap)) != 0)
		return rv;
	if (info->pin_locked) {
		crypto_why_set(why, cap, "the user PIN of token \"%s\" is "
		    "locked: unblock it with the security officer's PIN "
		    "(e.g. pkcs11-tool --init-pin)", info->label);
		return IR_ERR_AUTH;
	}
	if ((rv = parse_uri(uri, &u, why, cap)) != 0)
		return rv;
	if ((t = ir_calloc(1, sizeof(*t))) == NULL) {
		p11_kit_uri_free(u);
		return IR_ERR_NOMEM;
	}
	/* ENGINE_by_id loads engines-3/pkcs11.so when it is not built in. */
	if ((t->e = ENGINE_by_id("pkcs11")) == NULL) {
		p11_kit_uri_free(u);
		ir_free(t);
		ERR_clear_error();
		crypto_why_set(why, cap, "the PKCS#11 engine of OpenSSL is "
		    "missing: apt-get install libengine-pkcs11-openssl");
		return IR_ERR_CONFIG;
	}
	/* Its own messages on stderr would say again what |why| says. */
	(void)ENGINE_ctrl_cmd_string(t->e, "QUIET", NULL, 1);
	path = p11_kit_uri_get_module_path(u);
	if ((t->ui = UI_create_method("ikeroam-no-prompt")) == NULL ||
	    UI_method_set_reader(t->ui, ui_refuse) != 0 ||
	    (path != NULL &&
	    !ENGINE_ctrl_cmd_string(t->e, "MODULE_PATH", path, 0)) ||
	    !ENGINE_ctrl_cmd(t->e, "SET_USER_INTERFACE", 0, t->ui, NULL, 0) ||
	    !ENGINE_init(t->e)) {
		crypto_why_set(why, cap, "the PKCS#11 engine cannot start%s%s",
		    path != NULL ? " with the module " : "",
		    path != NULL ? path : "");
		p11_kit_uri_free(u);
		ENGINE_free(t->e);
		if (t->ui != NULL)
			UI_destroy_method(t->ui);
		ir_free(t);
		ERR_clear_error();
		return IR_ERR_CONFIG;
	}
	p11_kit_uri_free(u);
	*out = t;
	return 0;
}

int
crypto_pkcs11_cert(struct crypto_pkcs11 *t, const char *uri,
    struct crypto_cert **out, char *why, size_t cap)
{
	struct {
		const char	*uri;
		X509		*cert;
	} p = { NULL, NULL };
	char buf[URI_MAX];

	*out = NULL;
	engine_uri(uri, buf, sizeof(buf));
	p.uri = buf;
	if (!ENGINE_ctrl_cmd(t->e, "LOAD_CERT_CTRL", 0, &p, NULL, 1) ||
	    p.cert == NULL) {
		ERR_clear_error();
		crypto_why_set(why, cap, "no certificate matches %s on the "
		    "token (pkcs11-tool -O lists its objects)", uri);
		return IR_ERR_NOT_FOUND;
	}
	return crypto_cert_wrap(out, p.cert);
}

/* A reason of the PKCS#11 module's error library (a CK_RV), or 0. */
static unsigned long
pkcs11_rv(void)
{
	unsigned long e, found = 0;
	const char *lib;

	while ((e = ERR_get_error()) != 0) {
		lib = ERR_lib_error_string(e);
		if (lib != NULL && strcmp(lib, "PKCS#11 module") == 0 &&
		    found == 0)
			found = (unsigned long)ERR_GET_REASON(e);
	}
	return found;
}

int
crypto_pkcs11_key(struct crypto_pkcs11 *t, const char *uri, const char *pin,
    struct crypto_pkey **out, char *why, size_t cap)
{
	char buf[URI_MAX];
	EVP_PKEY *pkey;
	unsigned long ck;
	int rv;

	*out = NULL;
	engine_uri(uri, buf, sizeof(buf));
	ERR_clear_error();
	if (pin != NULL && !ENGINE_ctrl_cmd_string(t->e, "PIN", pin, 0)) {
		ERR_clear_error();
		return IR_ERR_CRYPTO;
	}
	/* A UI that refuses: the engine never asks, and logs in once. */
	pkey = ENGINE_load_private_key(t->e, buf, t->ui, NULL);
	if (pkey == NULL) {
		ck = pkcs11_rv();
		if (ck == CKR_PIN_INCORRECT || ck == CKR_PIN_LEN_RANGE) {
			crypto_why_set(why, cap, "wrong PIN for the token of %s "
			    "(tried once; the token counts the failures)", uri);
			return IR_ERR_AUTH;
		}
		if (ck == CKR_PIN_LOCKED || ck == CKR_PIN_EXPIRED) {
			crypto_why_set(why, cap, "the PIN of the token of %s "
			    "is %s", uri, ck == CKR_PIN_LOCKED ? "locked" :
			    "expired");
			return IR_ERR_AUTH;
		}
		if (ck == CKR_USER_PIN_NOT_INITIALIZED || (ck == 0 &&
		    pin == NULL)) {
			crypto_why_set(why, cap, "no private key matches %s "
			    "without a PIN: give it with --key-passphrase-file "
			    "or on the terminal", uri);
			return IR_ERR_NOT_FOUND;
		}
		if (ck != 0)
			crypto_why_set(why, cap, "the token refused %s (PKCS#11 "
			    "error 0x%lx)", uri, ck);
		else
			crypto_why_set(why, cap, "no private key matches %s on "
			    "the token (pkcs11-tool -O --login lists its "
			    "objects)", uri);
		return ck != 0 ? IR_ERR_CRYPTO : IR_ERR_NOT_FOUND;
	}
	if ((rv = crypto_pkey_wrap(out, pkey)) != 0) {
		crypto_why_set(why, cap, "%s: %s", uri, rv == IR_ERR_UNSUPPORTED ?
		    "a key type or size ikeroam does not use (RSA >= 2048 "
		    "bits, ECDSA P-256/384/521)" : ir_strerror(rv));
		return rv;
	}
	/* Nothing to export, but it signs. */
	(*out)->priv = true;
	return 0;
}

void
crypto_pkcs11_close(struct crypto_pkcs11 *t)
{
	if (t == NULL)
		return;
	/* PIN: the engine wipes its copy when it is destroyed. */
	ENGINE_finish(t->e);
	ENGINE_free(t->e);
	UI_destroy_method(t->ui);
	ERR_clear_error();
	ir_free(t);
}
