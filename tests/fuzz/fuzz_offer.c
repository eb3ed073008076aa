/*
 * fuzz_offer.c — libFuzzer target for the validation of the offers and
 * services databases (src/offer.c): offer_from_fields, the search-query
 * check, the message and note checks and the folded search text.
 *
 * The first byte picks the base (even: offers, odd: services); the rest is
 * split at NUL bytes into the values of the base's fields in form order
 * (missing values are absent).  Each call must either succeed or fail
 * with a message that starts with a field name and ": ".  An accepted
 * entry, validated again from its own normalised values, must come out
 * unchanged, and its search text must be lower-case ASCII words.  No
 * database is needed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "offer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXV 16

static void check_refusal(const struct kerr *e, const char *const *names, size_t n, const char *what)
{
	size_t i;
	const char *colon = strstr(e->msg, ": ");
	if (e->kind != KERR_INPUT || !colon)
		BUG("%s refused without a field: kind %d, \"%s\"", what, e->kind, e->msg);
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == (size_t)(colon - e->msg) && strncmp(e->msg, names[i], (size_t)(colon - e->msg)) == 0)
			return;
	BUG("%s refused naming no known field: \"%s\"", what, e->msg);
}

static const char *value_of(const struct offer *o, const char *name)
{
	if (!strcmp(name, "kind") || !strcmp(name, "category")) return o->kind;
	if (!strcmp(name, "title")) return o->title;
	if (!strcmp(name, "description")) return o->description;
	if (!strcmp(name, "pkd_codes")) return o->pkd_codes;
	if (!strcmp(name, "keywords")) return o->keywords;
	if (!strcmp(name, "price_model")) return o->price_model;
	if (!strcmp(name, "price_note")) return o->price_note;
	if (!strcmp(name, "voivodeship")) return o->voivodeship;
	if (!strcmp(name, "valid_from")) return o->valid_from;
	if (!strcmp(name, "valid_until")) return o->valid_until;
	if (!strcmp(name, "contact_name")) return o->contact_name;
	if (!strcmp(name, "contact_email")) return o->contact_email;
	if (!strcmp(name, "contact_phone")) return o->contact_phone;
	BUG("unknown field %s", name);
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum offer_base b;
	const char *const *names;
	const char *vals[MAXV];
	char *copy;
	size_t n = 0, nnames, i, pos;
	struct offer o, again;
	struct kerr e = KERR_INIT;

	if (size < 1)
		return 0;
	b = data[0] % 2 ? OFFER_BASE_SERVICES : OFFER_BASE_OFFERS;
	names = offer_fields(b);
	for (nnames = 0; names[nnames]; nnames++)
		;
	copy = malloc(size);
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	for (pos = 0; pos < size - 1 && n < nnames; ) {
		vals[n++] = copy + pos;
		pos += strlen(copy + pos) + 1;
	}

	if (offer_from_fields(&o, b, names, vals, n, &e)) {
		check_refusal(&e, names, nnames, "offer_from_fields");
	} else {
		const char *norm[MAXV];
		struct buf st = BUF_INIT;
		for (i = 0; i < nnames; i++)
			norm[i] = value_of(&o, names[i]);
		if (offer_from_fields(&again, b, names, norm, nnames, &e))
			BUG("the normalised entry is refused: %s", e.msg);
		for (i = 0; i < nnames; i++)
			if (!same(value_of(&o, names[i]), value_of(&again, names[i])))
				BUG("%s changed when validated again: \"%s\" → \"%s\"", names[i], value_of(&o, names[i]),
				    value_of(&again, names[i]));
		offer_release(&again);
		offer_search_text(&o, "Zakład", &st);
		for (i = 0; i < st.len; i++)
			if (!((st.ptr[i] >= 'a' && st.ptr[i] <= 'z') || (st.ptr[i] >= '0' && st.ptr[i] <= '9') || st.ptr[i] == ' '))
				BUG("search text holds byte 0x%02x", (unsigned char)st.ptr[i]);
		buf_release(&st);
	}
	offer_release(&o);

	{
		static const char *const qnames[] = { "kind", "category", "voiv", "pkd", "price", "sort", "q", "page",
						      "per_page" };
		struct offer_query q;
		memset(&q, 0, sizeof(q));
		q.today = "2026-01-01";
		q.page = 1;
		q.per_page = 20;
		q.kind = n > 0 ? vals[0] : NULL;
		q.voiv = n > 1 ? vals[1] : NULL;
		q.pkd = n > 2 ? vals[2] : NULL;
		q.price = n > 3 ? vals[3] : NULL;
		q.sort = n > 4 ? vals[4] : NULL;
		q.q = n > 5 ? vals[5] : NULL;
		if (offer_query_check(b, &q, &e))
			check_refusal(&e, qnames, sizeof(qnames) / sizeof(qnames[0]), "offer_query_check");
		else if (b == OFFER_BASE_OFFERS && q.pkd && *q.pkd && !q.pkd_norm[0])
			BUG("an accepted PKD filter was not normalised");
	}
	{
		static const char *const mnames[] = { "message", "note" };
		char *out = NULL;
		if (offer_message_check(copy, &out, &e))
			check_refusal(&e, mnames, 2, "offer_message_check");
		else if (!out || !*out)
			BUG("an accepted message is empty");
		free(out);
		out = NULL;
		if (offer_note_check(copy, &out, &e))
			check_refusal(&e, mnames, 2, "offer_note_check");
		free(out);
	}
	free(copy);
	return 0;
}
