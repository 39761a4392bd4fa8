/* src/captive_url.c: a portal's login URL made safe to print (captive.h). */
#include <string.h>

#include "src/captive.h"

#define CUT_MARK	"..."

void
captive_url_clean(const char *in, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t limit, len = 0, need;
	unsigned char ch;

	if (cap == 0)
		return;
	limit = cap - 1 < CAPTIVE_URL_MAX ? cap - 1 : CAPTIVE_URL_MAX;
	for (; *in != '\0'; in++) {
		ch = (unsigned char)*in;
		need = ch > 0x20 && ch < 0x7f ? 1 : 3;
		if (len + need > limit)
			goto cut;
		if (need == 1) {
			out[len++] = (char)ch;
		} else {
			out[len++] = '%';
			out[len++] = hex[ch >> 4];
			out[len++] = hex[ch & 0x0f];
		}
	}
	out[len] = '\0';
	return;
cut:
	/* Back off whole characters until the mark fits. */
	while (len > 0 && len + strlen(CUT_MARK) > limit)
		len -= len >= 3 && out[len - 3] == '%' ? 3 : 1;
	if (len + strlen(CUT_MARK) <= limit) {
		memcpy(out + len, CUT_MARK, strlen(CUT_MARK));
		len += strlen(CUT_MARK);
	}
	out[len] = '\0';
}
