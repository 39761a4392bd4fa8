/*
 * src/lazy_p11kit.c: the p11-kit functions crypto/crypto_pkcs11.c calls
 * (keys on a PKCS#11 token, --key pkcs11:URI), opening p11-kit at the
 * first of them (src/lazylib.h).  Linked, p11-kit and libffi were two of
 * the ten objects every start mapped and relocated (p11-kit alone has
 * some 6,800 relocations), though only a run with a token key uses them.
 * The unit tests of crypto/ link the library itself.
 *
 * Without the library: p11_kit_uri_new() fails as when out of memory,
 * the loaders find no module, and p11_kit_message() says what was
 * missing.
 */
#include <p11-kit/p11-kit.h>
#include <p11-kit/uri.h>

#include "src/lazylib.h"

enum {
	F_URI_NEW, F_URI_PARSE, F_URI_FREE, F_URI_MODULE_PATH,
	F_URI_PIN_VALUE, F_URI_PIN_SOURCE, F_URI_MATCH_TOKEN,
	F_MODULES_LOAD_INIT, F_MODULES_FINAL_RELEASE, F_MODULE_LOAD,
	F_MODULE_INIT, F_MODULE_FINAL, F_MODULE_RELEASE, F_MESSAGE, F_N
};
static const char *const names[F_N] = {
	"p11_kit_uri_new", "p11_kit_uri_parse", "p11_kit_uri_free",
	"p11_kit_uri_get_module_path", "p11_kit_uri_get_pin_value",
	"p11_kit_uri_get_pin_source", "p11_kit_uri_match_token_info",
	"p11_kit_modules_load_and_initialize",
	"p11_kit_modules_finalize_and_release", "p11_kit_module_load",
	"p11_kit_module_initialize", "p11_kit_module_finalize",
	"p11_kit_module_release", "p11_kit_message"
};
static void *fn[F_N];
static struct lazylib lib = {
	P11KIT_SONAME, "a key on a PKCS#11 token", names, F_N, fn, 0
};

#define CALL(f, type)	((type)fn[f])

/* The constructors and loaders open the library.  Every other function
 * takes an object one of them returned, so the library is open. */
P11KitUri *
p11_kit_uri_new(void)
{
	if (lazylib_load(&lib) != 0)
		return NULL;
	return CALL(F_URI_NEW, P11KitUri *(*)(void))();
}

int
p11_kit_uri_parse(const char *string, P11KitUriType uri_type, P11KitUri *uri)
{
	return CALL(F_URI_PARSE, int (*)(const char *, P11KitUriType,
	    P11KitUri *))(string, uri_type, uri);
}

void
p11_kit_uri_free(P11KitUri *uri)
{
	if (uri != NULL)
		CALL(F_URI_FREE, void (*)(P11KitUri *))(uri);
}

const char *
p11_kit_uri_get_module_path(const P11KitUri *uri)
{
	return CALL(F_URI_MODULE_PATH, const char *(*)(const P11KitUri *))
	    (uri);
}

const char *
p11_kit_uri_get_pin_value(const P11KitUri *uri)
{
	return CALL(F_URI_PIN_VALUE, const char *(*)(const P11KitUri *))(uri);
}

const char *
p11_kit_uri_get_pin_source(const P11KitUri *uri)
{
	return CALL(F_URI_PIN_SOURCE, const char *(*)(const P11KitUri *))
	    (uri);
}

int
p11_kit_uri_match_token_info(const P11KitUri *uri,
    const CK_TOKEN_INFO *token_info)
{
	return CALL(F_URI_MATCH_TOKEN, int (*)(const P11KitUri *,
	    const CK_TOKEN_INFO *))(uri, token_info);
}

CK_FUNCTION_LIST **
p11_kit_modules_load_and_initialize(int flags)
{
	if (lazylib_load(&lib) != 0)
		return NULL;
	return CALL(F_MODULES_LOAD_INIT, CK_FUNCTION_LIST **(*)(int))(flags);
}

void
p11_kit_modules_finalize_and_release(CK_FUNCTION_LIST **modules)
{
	if (modules != NULL)
		CALL(F_MODULES_FINAL_RELEASE, void (*)(CK_FUNCTION_LIST **))
		    (modules);
}

CK_FUNCTION_LIST *
p11_kit_module_load(const char *module_path, int flags)
{
	if (lazylib_load(&lib) != 0)
		return NULL;
	return CALL(F_MODULE_LOAD, CK_FUNCTION_LIST *(*)(const char *, int))
	    (module_path, flags);
}

CK_RV
p11_kit_module_initialize(CK_FUNCTION_LIST *module)
{
	return CALL(F_MODULE_INIT, CK_RV (*)(CK_FUNCTION_LIST *))(module);
}

CK_RV
p11_kit_module_finalize(CK_FUNCTION_LIST *module)
{
	return CALL(F_MODULE_FINAL, CK_RV (*)(CK_FUNCTION_LIST *))(module);
}

void
p11_kit_module_release(CK_FUNCTION_LIST *module)
{
	if (module != NULL)
		CALL(F_MODULE_RELEASE, void (*)(CK_FUNCTION_LIST *))(module);
}

/* Also asked after a loader failed, perhaps for want of the library. */
const char *
p11_kit_message(void)
{
	if (!lazylib_loaded(&lib))
		return "p11-kit (" P11KIT_SONAME ") cannot be loaded";
	return CALL(F_MESSAGE, const char *(*)(void))();
}
