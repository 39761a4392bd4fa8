/*
 * ike/ike_redirect.c: the client side of RFC 5685, IKEv2 redirect.
 *
 *   IKE_SA_INIT  ->  ... N(REDIRECT_SUPPORTED)         (§4.1)
 *                    or N(REDIRECTED_FROM, old gw)     (§4.2, §5)
 *   IKE_SA_INIT  <-  N(REDIRECT, new gw, Ni)           (§4.2)
 *   IKE_AUTH     <-  IDr, AUTH, N(REDIRECT, new gw)    (§5)
 *   INFORMATIONAL <- N(REDIRECT, new gw)               (§6)
 *
 * Notify data (§10): GW Ident Type (1 IPv4, 2 IPv6, 3 FQDN), GW Ident
 * Len, the identity, then in IKE_SA_INIT only the Nonce Data: our Ni.
 */
#include <stdio.h>
#include <string.h>

#include "common/ir_err.h"
#include "common/ir_mem.h"
#include "ike/ike_int.h"

/* An FQDN as RFC 1035 §2.3.1 letters, digits, '-' and dots. */
static bool
ike_redirect_fqdn_ok(const uint8_t *p, size_t len)
{
	size_t i;

	if (len == 0 || p[0] == '.' || p[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') ||
		    p[i] == '-' || p[i] == '.'))
			return false;
	return true;
}

int
ike_redirect_parse(const struct ike_pld_notify *n, const uint8_t *nonce,
    size_t nonce_len, struct ike_gw_id *out)
{
	const uint8_t *p = n->data.p;
	size_t len = n->data.len, idlen;

	memset(out, 0, sizeof(*out));
	if (len < 2)
		return IR_ERR_MALFORMED;
	idlen = p[1];
	if (2 + idlen > len)
		return IR_ERR_MALFORMED;
	switch (p[0]) {
	case IKE_GWID_IPV4:
		if (idlen != 4)
			return IR_ERR_MALFORMED;
		break;
	case IKE_GWID_IPV6:
		if (idlen != 16)
			return IR_ERR_MALFORMED;
		break;
	case IKE_GWID_FQDN:
		if (!ike_redirect_fqdn_ok(p + 2, idlen))
			return IR_ERR_MALFORMED;
		break;
	default:
		return IR_ERR_UNSUPPORTED;
	}
	/* §4.2: the nonce proves the answer saw our request. */
	if (nonce != NULL && (len - 2 - idlen != nonce_len ||
	    ir_memeq_ct(p + 2 + idlen, nonce, nonce_len) != 0))
		return IR_ERR_UNEXPECTED;
	if (nonce == NULL && len != 2 + idlen)
		return IR_ERR_MALFORMED;
	out->type = p[0];
	out->len = (uint8_t)idlen;
	memcpy(out->data, p + 2, idlen);
	return 0;
}

void
ike_redirect_name(const struct ike_gw_id *gw, char *buf, size_t len)
{
	const uint8_t *a = gw->data;
	size_t i, o;

	switch (gw->type) {
	case IKE_GWID_IPV4:
		snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		return;
	case IKE_GWID_IPV6:
		for (i = 0, o = 0; i < 16 && o + 6 < len; i += 2)
			o += (size_t)snprintf(buf + o, len - o, "%s%x",
			    i ? ":" : "", (unsigned)(a[i] << 8 | a[i + 1]));
		if (len > 0)
			buf[IR_MIN(o, len - 1)] = '\0';
		return;
	default:
		snprintf(buf, len, "%.*s", (int)gw->len, (const char *)a);
	}
}

int
ike_redirect_build(const struct ike_sa *sa, struct ike_msg_wr *mw)
{
	const struct ike_gw_id *from = &sa->conf.redirected_from;
	uint8_t d[2 + IKE_GW_ID_MAX];

	if (!sa->conf.redirect)
		return 0;
	if (from->type == 0)
		return ike_pld_notify_build(mw, 0, IKE_N_REDIRECT_SUPPORTED,
		    NULL, 0, NULL, 0);
	d[0] = from->type;
	d[1] = from->len;
	memcpy(d + 2, from->data, from->len);
	return ike_pld_notify_build(mw, 0, IKE_N_REDIRECTED_FROM, NULL, 0,
	    d, 2 + (size_t)from->len);
}

/*
 * §4.2: IKE_SA_INIT answered with N(REDIRECT) alone.  Unauthenticated,
 * but it carries our Ni, so only someone who saw our request can send
 * it; the new gateway must still prove the configured identity.
 * Returns IR_ERR_NOT_FOUND when there is no REDIRECT to follow.
 */
int
ike_redirect_init(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pld_notify *n;
	char name[64];
	int rv;

	if (!sa->conf.redirect ||
	    (n = ike_msg_notify(m, IKE_N_REDIRECT)) == NULL)
		return IR_ERR_NOT_FOUND;
	if ((rv = ike_redirect_parse(n, sa->ni, sizeof(sa->ni),
	    &sa->redirect_to)) != 0) {
		ike_log(sa, IR_LOG_INFO, "ignoring a REDIRECT in IKE_SA_INIT: "
		    "%s", rv == IR_ERR_UNEXPECTED ? "its nonce is not ours" :
		    "malformed");
		return IR_ERR_UNEXPECTED;
	}
	ike_redirect_name(&sa->redirect_to, name, sizeof(name));
	sa->redirect_close = true;
	return ike_fail(sa, IR_ERR_REDIRECT, IKE_N_REDIRECT, "the gateway "
	    "redirects us to %s (IKE_SA_INIT)", name);
}

/*
 * §5: the last IKE_AUTH answer, its AUTH verified, carries N(REDIRECT)
 * and no Child SA.  We delete the SA (closed() then reports the
 * redirect, whatever the answer).
 */
int
ike_redirect_auth(struct ike_sa *sa, const struct ike_msg *m,
    uint64_t now_ms)
{
	const struct ike_pld_notify *n;
	char name[64];

	if (!sa->conf.redirect ||
	    (n = ike_msg_notify(m, IKE_N_REDIRECT)) == NULL)
		return IR_ERR_NOT_FOUND;
	if (ike_redirect_parse(n, NULL, 0, &sa->redirect_to) != 0) {
		ike_log(sa, IR_LOG_INFO, "ignoring a malformed REDIRECT in "
		    "IKE_AUTH");
		return IR_ERR_NOT_FOUND;
	}
	ike_redirect_name(&sa->redirect_to, name, sizeof(name));
	ike_log(sa, IR_LOG_INFO, "the gateway redirects us to %s (IKE_AUTH)",
	    name);
	sa->redirect_close = true;
	return ike_info_delete(sa, now_ms);
}

/*
 * §6: N(REDIRECT) in the gateway's INFORMATIONAL.  Returns 0 with |to|
 * set, IR_ERR_NOT_FOUND without one, IR_ERR_MALFORMED (answer
 * INVALID_SYNTAX, §2.21.3).
 */
int
ike_redirect_info(const struct ike_msg *m, struct ike_gw_id *to)
{
	const struct ike_pld_notify *n;

	if ((n = ike_msg_notify(m, IKE_N_REDIRECT)) == NULL)
		return IR_ERR_NOT_FOUND;
	if (ike_redirect_parse(n, NULL, 0, to) != 0)
		return IR_ERR_MALFORMED;
	return 0;
}
