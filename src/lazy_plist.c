/*
 * src/lazy_plist.c: the libplist functions `ikeroam import` calls for a
 * .mobileconfig (src/import_mobileconfig.c), opening libplist at the
 * first of them (src/lazylib.h).  Nodes come only from plist_from_xml(),
 * so every other function finds the library loaded.
 */
#include <stdint.h>

#include <plist/plist.h>

#include "src/lazylib.h"

enum {
	F_FROM_XML, F_IS_BINARY, F_FREE, F_NODE_TYPE, F_DICT_GET,
	F_DICT_NEW_ITER, F_DICT_NEXT, F_ARRAY_SIZE, F_ARRAY_GET,
	F_STRING_PTR, F_DATA_PTR, F_BOOL_VAL, F_UINT_VAL, F_N
};
static const char *const names[F_N] = {
	"plist_from_xml", "plist_is_binary", "plist_free",
	"plist_get_node_type", "plist_dict_get_item", "plist_dict_new_iter",
	"plist_dict_next_item", "plist_array_get_size",
	"plist_array_get_item", "plist_get_string_ptr", "plist_get_data_ptr",
	"plist_get_bool_val", "plist_get_uint_val",
};
static void *fn[F_N];
static struct lazylib lib = {
	PLIST_SONAME, "importing a .mobileconfig", names, F_N, fn, 0
};

#define CALL(f, type)	((type)fn[f])

void
plist_from_xml(const char *xml, uint32_t len, plist_t *out)
{
	*out = NULL;
	if (lazylib_load(&lib) == 0)
		CALL(F_FROM_XML, void (*)(const char *, uint32_t,
		    plist_t *))(xml, len, out);
}

int
plist_is_binary(const char *data, uint32_t len)
{
	if (lazylib_load(&lib) != 0)
		return 0;
	return CALL(F_IS_BINARY, int (*)(const char *, uint32_t))(data, len);
}

void
plist_free(plist_t p)
{
	if (p != NULL)
		CALL(F_FREE, void (*)(plist_t))(p);
}

plist_type
plist_get_node_type(plist_t n)
{
	return CALL(F_NODE_TYPE, plist_type (*)(plist_t))(n);
}

plist_t
plist_dict_get_item(plist_t d, const char *key)
{
	return CALL(F_DICT_GET, plist_t (*)(plist_t, const char *))(d, key);
}

void
plist_dict_new_iter(plist_t d, plist_dict_iter *it)
{
	CALL(F_DICT_NEW_ITER, void (*)(plist_t, plist_dict_iter *))(d, it);
}

void
plist_dict_next_item(plist_t d, plist_dict_iter it, char **key,
    plist_t *val)
{
	CALL(F_DICT_NEXT, void (*)(plist_t, plist_dict_iter, char **,
	    plist_t *))(d, it, key, val);
}

uint32_t
plist_array_get_size(plist_t a)
{
	return CALL(F_ARRAY_SIZE, uint32_t (*)(plist_t))(a);
}

plist_t
plist_array_get_item(plist_t a, uint32_t i)
{
	return CALL(F_ARRAY_GET, plist_t (*)(plist_t, uint32_t))(a, i);
}

const char *
plist_get_string_ptr(plist_t n, uint64_t *len)
{
	return CALL(F_STRING_PTR, const char *(*)(plist_t, uint64_t *))(n,
	    len);
}

const char *
plist_get_data_ptr(plist_t n, uint64_t *len)
{
	return CALL(F_DATA_PTR, const char *(*)(plist_t, uint64_t *))(n, len);
}

void
plist_get_bool_val(plist_t n, uint8_t *val)
{
	CALL(F_BOOL_VAL, void (*)(plist_t, uint8_t *))(n, val);
}

void
plist_get_uint_val(plist_t n, uint64_t *val)
{
	CALL(F_UINT_VAL, void (*)(plist_t, uint64_t *))(n, val);
}
