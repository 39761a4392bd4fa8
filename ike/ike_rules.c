/*
 * ike/ike_rules.c: which payloads each exchange may carry (strongSwan's
 * rule tables, as data).  RFC 7296 §1.2 - §1.5 give the message shapes;
 * the tables below hold the counts, whether a payload must be inside SK
 * (every exchange but IKE_SA_INIT), and which payload may stand alone:
 * a "sufficient" Notify (an error type, or one of the status types
 * listed per table) lifts the minimum counts, as when an IKE_SA_INIT
 * response is only N(COOKIE) or N(INVALID_KE_PAYLOAD) (§1.2, §2.6, §1.3).
 *
 * A payload type not listed for the exchange is malformed; ranges are
 * generous where an extension adds payloads (EAP rounds, RFC 6023
 * childless IKE_AUTH, RFC 4739 multiple auth), because the engine, not
 * the codec, decides what a message means.
 */
#include "common/ir_err.h"
#include "ike/ike_msg.h"

struct ike_pld_rule {
	uint8_t	type;
	uint8_t	min, max;
	bool	encrypted;
	bool	sufficient;
};

struct ike_rule_set {
	uint8_t				 exch;
	bool				 response;
	const struct ike_pld_rule	*rules;
	size_t				 nrules;
	const uint16_t			*status_ok;	/* sufficient status N */
	size_t				 nstatus_ok;
};

/* IKE_SA_INIT request, §1.2: HDR, SAi1, KEi, Ni, [N+], [V+]. */
static const struct ike_pld_rule init_req_rules[] = {
	/* type            min max  encrypted sufficient */
	{ IKE_PLD_NOTIFY,   0, 32,  false,    false },
	{ IKE_PLD_SA,       1,  1,  false,    false },
	{ IKE_PLD_KE,       1,  1,  false,    false },
	{ IKE_PLD_NONCE,    1,  1,  false,    false },
	{ IKE_PLD_VENDOR,   0, 16,  false,    false },
};

/* IKE_SA_INIT response.  A Notify alone is "sufficient": COOKIE,
 * INVALID_KE_PAYLOAD, NO_PROPOSAL_CHOSEN and REDIRECT (RFC 5685 §6)
 * come without SA/KE/Nr. */
static const struct ike_pld_rule init_resp_rules[] = {
	{ IKE_PLD_NOTIFY,   0, 32,  false,    true  },
	{ IKE_PLD_SA,       1,  1,  false,    false },
	{ IKE_PLD_KE,       1,  1,  false,    false },
	{ IKE_PLD_NONCE,    1,  1,  false,    false },
	{ IKE_PLD_CERTREQ,  0,  8,  false,    false },
	{ IKE_PLD_VENDOR,   0, 16,  false,    false },
};
static const uint16_t init_resp_ok[] = { IKE_N_COOKIE, IKE_N_REDIRECT };

/* IKE_AUTH request, §1.2, §2.16 (EAP rounds carry only EAP or AUTH). */
static const struct ike_pld_rule auth_req_rules[] = {
	{ IKE_PLD_IDI,      0,  1,  true,     false },
	{ IKE_PLD_CERT,     0,  8,  true,     false },
	{ IKE_PLD_CERTREQ,  0,  8,  true,     false },
	{ IKE_PLD_IDR,      0,  1,  true,     false },
	{ IKE_PLD_AUTH,     0,  1,  true,     false },
	{ IKE_PLD_EAP,      0,  1,  true,     false },
	{ IKE_PLD_CP,       0,  1,  true,     false },
	{ IKE_PLD_SA,       0,  1,  true,     false },
	{ IKE_PLD_TSI,      0,  1,  true,     false },
	{ IKE_PLD_TSR,      0,  1,  true,     false },
	{ IKE_PLD_NOTIFY,   0, 32,  true,     false },
	{ IKE_PLD_VENDOR,   0, 16,  true,     false },
};

/* IKE_AUTH response: AUTHENTICATION_FAILED or REDIRECT may be alone. */
static const struct ike_pld_rule auth_resp_rules[] = {
	{ IKE_PLD_NOTIFY,   0, 32,  true,     true  },
	{ IKE_PLD_IDR,      0,  1,  true,     false },
	{ IKE_PLD_CERT,     0,  8,  true,     false },
	{ IKE_PLD_AUTH,     0,  1,  true,     false },
	{ IKE_PLD_EAP,      0,  1,  true,     false },
	{ IKE_PLD_CP,       0,  1,  true,     false },
	{ IKE_PLD_SA,       0,  1,  true,     false },
	{ IKE_PLD_TSI,      0,  1,  true,     false },
	{ IKE_PLD_TSR,      0,  1,  true,     false },
	{ IKE_PLD_VENDOR,   0, 16,  true,     false },
};
static const uint16_t auth_resp_ok[] = { IKE_N_REDIRECT };

/* CREATE_CHILD_SA, §1.3: SA, Ni, [KEi], [TSi, TSr] (none for IKE rekey). */
static const struct ike_pld_rule child_req_rules[] = {
	{ IKE_PLD_NOTIFY,   0, 32,  true,     false },
	{ IKE_PLD_SA,       1,  1,  true,     false },
	{ IKE_PLD_NONCE,    1,  1,  true,     false },
	{ IKE_PLD_KE,       0,  1,  true,     false },
	{ IKE_PLD_TSI,      0,  1,  true,     false },
	{ IKE_PLD_TSR,      0,  1,  true,     false },
	{ IKE_PLD_VENDOR,   0, 16,  true,     false },
};

/* CREATE_CHILD_SA response: NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD,
 * TEMPORARY_FAILURE, ... alone (§1.3, §2.7, §2.25). */
static const struct ike_pld_rule child_resp_rules[] = {
	{ IKE_PLD_NOTIFY,   0, 32,  true,     true  },
	{ IKE_PLD_SA,       1,  1,  true,     false },
	{ IKE_PLD_NONCE,    1,  1,  true,     false },
	{ IKE_PLD_KE,       0,  1,  true,     false },
	{ IKE_PLD_TSI,      0,  1,  true,     false },
	{ IKE_PLD_TSR,      0,  1,  true,     false },
	{ IKE_PLD_VENDOR,   0, 16,  true,     false },
};

/* INFORMATIONAL, §1.4: [N], [D], [CP]; empty for liveness checks. */
static const struct ike_pld_rule info_rules[] = {
	{ IKE_PLD_NOTIFY,   0, 32,  true,     false },
	{ IKE_PLD_DELETE,   0,  8,  true,     false },
	{ IKE_PLD_CP,       0,  1,  true,     false },
	{ IKE_PLD_VENDOR,   0, 16,  true,     false },
};

#define RULES(e, resp, r, ok, nok)					\
	{ (e), (resp), (r), sizeof(r) / sizeof((r)[0]), (ok), (nok) }

static const struct ike_rule_set rule_sets[] = {
	RULES(IKE_EXCH_IKE_SA_INIT, false, init_req_rules, NULL, 0),
	RULES(IKE_EXCH_IKE_SA_INIT, true, init_resp_rules, init_resp_ok, 2),
	RULES(IKE_EXCH_IKE_AUTH, false, auth_req_rules, NULL, 0),
	RULES(IKE_EXCH_IKE_AUTH, true, auth_resp_rules, auth_resp_ok, 1),
	RULES(IKE_EXCH_CREATE_CHILD_SA, false, child_req_rules, NULL, 0),
	RULES(IKE_EXCH_CREATE_CHILD_SA, true, child_resp_rules, NULL, 0),
	RULES(IKE_EXCH_INFORMATIONAL, false, info_rules, NULL, 0),
	RULES(IKE_EXCH_INFORMATIONAL, true, info_rules, NULL, 0),
};

static int
ike_rules_bad(struct ike_msg *m, const char *why)
{
	m->err_notify = IKE_N_INVALID_SYNTAX;
	m->err_why = why;
	return IR_ERR_MALFORMED;
}

static const struct ike_pld_rule *
ike_rule_find(const struct ike_rule_set *rs, uint8_t type)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i].type == type)
			return &rs->rules[i];
	return NULL;
}

/* Does a Notify of |m| let the message stand without its minimums? */
static bool
ike_rules_sufficient(const struct ike_rule_set *rs, const struct ike_msg *m)
{
	const struct ike_pld_rule *r = ike_rule_find(rs, IKE_PLD_NOTIFY);
	size_t i, j;

	if (r == NULL || !r->sufficient)
		return false;
	for (i = 0; i < m->nnotify; i++) {
		if (ike_notify_is_error(m->notify[i].type))
			return true;
		for (j = 0; j < rs->nstatus_ok; j++)
			if (m->notify[i].type == rs->status_ok[j])
				return true;
	}
	return false;
}

/* The protection wrapper: SK (or SKF) alone outside, except in INIT. */
static int
ike_rules_wrapper(struct ike_msg *m, bool plain_exch)
{
	size_t nsk = ike_msg_count(m, IKE_PLD_SK) +
	    ike_msg_count(m, IKE_PLD_SKF);

	if (plain_exch)
		return nsk == 0 ? 0 :
		    ike_rules_bad(m, "SK in an unprotected exchange");
	if (nsk != 1)
		return ike_rules_bad(m, "protected exchange without SK");
	return 0;
}

int
ike_msg_check_rules(struct ike_msg *m)
{
	const struct ike_rule_set *rs = NULL;
	const struct ike_pld_rule *r;
	bool resp = (m->hdr.flags & IKE_FLAG_RESPONSE) != 0, enough;
	size_t i, n;
	int rv;

	for (i = 0; i < sizeof(rule_sets) / sizeof(rule_sets[0]); i++)
		if (rule_sets[i].exch == m->hdr.exch &&
		    rule_sets[i].response == resp)
			rs = &rule_sets[i];
	if (rs == NULL) {
		m->err_why = "no payload rules for this exchange";
		return IR_ERR_UNSUPPORTED;
	}
	rv = ike_rules_wrapper(m, m->hdr.exch == IKE_EXCH_IKE_SA_INIT);
	if (rv != 0)
		return rv;
	for (i = 0; i < m->npld; i++) {
		if (m->pld[i].type == IKE_PLD_SK ||
		    m->pld[i].type == IKE_PLD_SKF)
			continue;
		if ((r = ike_rule_find(rs, m->pld[i].type)) == NULL)
			return ike_rules_bad(m,
			    "payload not allowed in this exchange");
		if (r->encrypted != m->pld[i].encrypted)
			return ike_rules_bad(m, r->encrypted ?
			    "payload must be encrypted" :
			    "payload must not be encrypted");
	}
	enough = ike_rules_sufficient(rs, m);
	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rules[i];
		n = ike_msg_count(m, r->type);
		if (n > r->max)
			return ike_rules_bad(m, "payload occurs too often");
		if (n < r->min && !enough)
			return ike_rules_bad(m, "required payload missing");
	}
	return 0;
}
