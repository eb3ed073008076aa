/*
 * test_offer.c — validation of the offers and services databases
 * (offer.h): an entry from name/value pairs with its normalisation (PKD
 * codes, keywords, text), every field's error naming the field, the date
 * rules, search queries, messages and the folded search text.  The
 * database-backed parts (search, moderation, import) are tested through
 * the server by tests/http/test_offers.py on both backends.
 */
#include "t.h"

#include "offer.h"

static const char *const onames[] = { "kind", "title", "description", "pkd_codes", "keywords", "voivodeship",
				      "valid_from", "valid_until", "contact_name", "contact_email", "contact_phone" };
#define NO (sizeof(onames) / sizeof(onames[0]))

/* A valid offer's values, in the order of onames. */
static void good_offer(const char *v[NO])
{
	v[0] = "cooperation";
	v[1] = "  Współpraca przy spawaniu  ";
	v[2] = "Pierwszy akapit.\r\n\r\nDrugi akapit.\r\n";
	v[3] = "6201Z, 62.01.Z; 72.19.z 25";
	v[4] = " tytan ; spawanie,, lotnictwo ";
	v[5] = "18";
	v[6] = "2026-01-01";
	v[7] = "2026-12-31";
	v[8] = "Anna Nowak";
	v[9] = "anna@firma.example";
	v[10] = "+48 17 111 22 33";
}

/* Runs offer_from_fields with one value changed; returns the message ("" when valid). */
static char msg[1024];
static const char *offer_with(const char *name, const char *value)
{
	const char *v[NO];
	struct offer o;
	struct kerr e = KERR_INIT;
	size_t i;
	good_offer(v);
	for (i = 0; i < NO; i++)
		if (name && strcmp(onames[i], name) == 0)
			v[i] = value;
	if (offer_from_fields(&o, OFFER_BASE_OFFERS, onames, v, NO, &e))
		snprintf(msg, sizeof(msg), "%s", e.msg);
	else
		msg[0] = '\0';
	offer_release(&o);
	return msg;
}

static int starts(const char *s, const char *prefix)
{
	int ok = strncmp(s, prefix, strlen(prefix)) == 0;
	if (!ok)
		printf("#   message: %s\n", s);
	return ok;
}

static char *repeat(const char *unit, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;
	for (i = 0; i < n; i++)
		buf_puts(&b, unit);
	return buf_detach(&b, NULL);
}

T_TEST(offer_valid_and_normalised)
{
	const char *v[NO];
	struct offer o;
	struct kerr e = KERR_INIT;
	good_offer(v);
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, onames, v, NO, &e) == 0);
	T_EQ_STR(o.kind, "cooperation");
	T_EQ_STR(o.title, "Współpraca przy spawaniu");
	T_EQ_STR(o.description, "Pierwszy akapit.\n\nDrugi akapit.");
	/* compact and lower-case forms normalised, the duplicate dropped */
	T_EQ_STR(o.pkd_codes, "62.01.Z 72.19.Z 25");
	T_EQ_STR(o.keywords, "tytan, spawanie, lotnictwo");
	T_EQ_STR(o.voivodeship, "18");
	T_EQ_STR(o.contact_phone, "+48 17 111 22 33");
	T_OK(o.status == NULL && o.demo == 0);
	offer_release(&o);
}

T_TEST(offer_optional_fields)
{
	const char *v[NO];
	struct offer o;
	struct kerr e = KERR_INIT;
	good_offer(v);
	v[3] = "";
	v[4] = NULL;
	v[5] = " ";
	v[10] = "";
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, onames, v, NO, &e) == 0);
	T_OK(o.pkd_codes == NULL && o.keywords == NULL && o.voivodeship == NULL && o.contact_phone == NULL);
	offer_release(&o);
	/* fewer fields given: the missing required ones are reported */
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, onames, v, 1, &e) == -1);
	T_OK(starts(e.msg, "title: required, at most 200 characters"));
	offer_release(&o);
}

T_TEST(offer_errors_name_the_field)
{
	char *long200 = repeat("ą", 200), *long201 = repeat("ą", 201), *many = repeat("62.01.Z ", 1);
	struct buf codes = BUF_INIT;
	int i;
	T_OK(starts(offer_with("kind", ""), "kind: required, one of supply, demand, cooperation, subcontracting, technology"));
	T_OK(starts(offer_with("kind", "barter"), "kind: 'barter' is not one of supply"));
	T_OK(starts(offer_with("title", ""), "title: required, at most 200 characters"));
	T_OK(starts(offer_with("title", long200), ""));   /* 200 characters in 400 bytes are fine */
	T_EQ_STR(msg, "");
	T_OK(starts(offer_with("title", long201), "title: required, at most 200 characters (this one has 201)"));
	T_OK(starts(offer_with("title", "Dwie\nlinie"), "title: must be one line"));
	T_OK(starts(offer_with("description", "\r\n \t"), "description: required, at most 5000 characters"));
	T_OK(starts(offer_with("description", "tekst\x01"), "description: holds control characters"));
	T_OK(starts(offer_with("pkd_codes", "J"), "pkd_codes: 'J' is a section; give a division or finer code"));
	T_OK(starts(offer_with("pkd_codes", "62.01.Z abc"), "pkd_codes: 'abc': "));
	T_OK(starts(offer_with("pkd_codes", "6"), "pkd_codes: '6': "));
	for (i = 10; i < 21; i++)
		buf_printf(&codes, "%d ", i);
	T_OK(starts(offer_with("pkd_codes", codes.ptr), "pkd_codes: at most 10 codes"));
	buf_reset(&codes);
	for (i = 0; i < 15; i++)
		buf_puts(&codes, "62.01.Z ");   /* repeats count once */
	T_OK(starts(offer_with("pkd_codes", codes.ptr), ""));
	T_EQ_STR(msg, "");
	T_OK(starts(offer_with("keywords", "a, bardzo długa fraza która ma zdecydowanie więcej niż pięćdziesiąt znaków"),
		    "keywords: each keyword is one phrase of at most 50 characters"));
	T_OK(starts(offer_with("voivodeship", "7"), "voivodeship: '7' is not the 2-digit TERYT code of a voivodeship"));
	T_OK(starts(offer_with("voivodeship", "07"), "voivodeship: '07' is not"));
	T_OK(starts(offer_with("voivodeship", "34"), "voivodeship: '34' is not"));
	T_OK(starts(offer_with("valid_from", ""), "valid_from: required, a date YYYY-MM-DD"));
	T_OK(starts(offer_with("valid_from", "2026-02-30"), "valid_from: '2026-02-30': "));
	T_OK(starts(offer_with("valid_until", "31.12.2026"), "valid_until: '31.12.2026': "));
	T_OK(starts(offer_with("valid_until", "2025-12-31"), "valid_until: must not be before valid_from (2026-01-01)"));
	T_OK(starts(offer_with("valid_until", "2026-01-01"), ""));   /* one day is fine */
	T_EQ_STR(msg, "");
	T_OK(starts(offer_with("contact_name", ""), "contact_name: required"));
	T_OK(starts(offer_with("contact_email", ""), "contact_email: required"));
	T_OK(starts(offer_with("contact_email", "anna"), "contact_email: "));
	T_OK(starts(offer_with("contact_email", "Anna <anna@firma.example>"), "contact_email: "));
	T_OK(starts(offer_with("contact_phone", "12"), "contact_phone: "));
	T_OK(starts(offer_with("title", "\xff\xfe"), "title: not valid UTF-8 text"));
	free(long200);
	free(long201);
	free(many);
	buf_release(&codes);
}

T_TEST(offer_field_names)
{
	struct offer o;
	struct kerr e = KERR_INIT;
	const char *n1[] = { "title", "price" }, *v1[] = { "x", "10" };
	const char *n2[] = { "title", "title" }, *v2[] = { "a", "b" };
	const char *n3[] = { "status", "demo" }, *v3[] = { "approved", "2" };
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, n1, v1, 2, &e) == -1);
	T_OK(starts(e.msg, "price: unknown field (known: kind, title"));
	offer_release(&o);
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, n2, v2, 2, &e) == -1);
	T_OK(starts(e.msg, "title: given twice"));
	offer_release(&o);
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, n3, v3, 2, &e) == -1);
	T_OK(starts(e.msg, "kind: required"));   /* form order: kind comes first */
	offer_release(&o);
}

T_TEST(offer_import_fields)
{
	const char *names[NO + 2], *v[NO + 2];
	struct offer o;
	struct kerr e = KERR_INIT;
	size_t i;
	good_offer(v);
	for (i = 0; i < NO; i++)
		names[i] = onames[i];
	names[NO] = "status";
	names[NO + 1] = "demo";
	v[NO] = "approved";
	v[NO + 1] = "1";
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, names, v, NO + 2, &e) == 0);
	T_EQ_STR(o.status, "approved");
	T_EQ_INT(o.demo, 1);
	offer_release(&o);
	v[NO] = "published";
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, names, v, NO + 2, &e) == -1);
	T_OK(starts(e.msg, "status: 'published' is not one of pending, approved, rejected, withdrawn"));
	offer_release(&o);
	v[NO] = "";
	v[NO + 1] = "yes";
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, names, v, NO + 2, &e) == -1);
	T_OK(starts(e.msg, "demo: must be 0 or 1"));
	offer_release(&o);
}

T_TEST(service_fields)
{
	const char *names[] = { "category", "title", "description", "price_model", "price_note", "voivodeship",
				"contact_name", "contact_email", "contact_phone" };
	const char *v[] = { "laboratory", "Badania", "Opis", "hourly", " 150 zł/h ", "", "Jan", "jan@lab.example", "" };
	struct offer o;
	struct kerr e = KERR_INIT;
	T_OK(offer_from_fields(&o, OFFER_BASE_SERVICES, names, v, 9, &e) == 0);
	T_EQ_STR(o.kind, "laboratory");
	T_EQ_STR(o.price_model, "hourly");
	T_EQ_STR(o.price_note, "150 zł/h");
	T_OK(o.valid_from == NULL && o.pkd_codes == NULL);
	offer_release(&o);
	v[3] = "";
	T_OK(offer_from_fields(&o, OFFER_BASE_SERVICES, names, v, 9, &e) == -1);
	T_OK(starts(e.msg, "price_model: required, one of free, fixed, hourly, quote, co_financed"));
	offer_release(&o);
	v[3] = "free";
	v[0] = "supply";
	T_OK(offer_from_fields(&o, OFFER_BASE_SERVICES, names, v, 9, &e) == -1);
	T_OK(starts(e.msg, "category: 'supply' is not one of consulting, training, financing, laboratory, ip_transfer, export"));
	offer_release(&o);
	names[0] = "kind";
	T_OK(offer_from_fields(&o, OFFER_BASE_SERVICES, names, v, 9, &e) == -1);
	T_OK(starts(e.msg, "kind: unknown field"));
	offer_release(&o);
	T_OK(offer_org_type_serves("research") && offer_org_type_serves("support"));
	T_OK(!offer_org_type_serves("enterprise") && !offer_org_type_serves("ngo") && !offer_org_type_serves(NULL));
}

T_TEST(offer_dates_and_public)
{
	struct offer o;
	struct kerr e = KERR_INIT;
	memset(&o, 0, sizeof(o));
	o.base = OFFER_BASE_OFFERS;
	o.valid_until = "2026-05-10";
	o.status = "approved";
	T_OK(offer_check_current(&o, "2026-05-10", &e) == 0);
	T_OK(offer_check_current(&o, "2026-05-11", &e) == -1);
	T_OK(starts(e.msg, "valid_until: 2026-05-10 has already passed"));
	T_OK(offer_is_public(&o, "2026-05-10"));
	T_OK(!offer_is_public(&o, "2026-05-11"));
	o.status = "pending";
	T_OK(!offer_is_public(&o, "2026-01-01"));
	o.base = OFFER_BASE_SERVICES;
	o.status = "approved";
	o.valid_until = NULL;
	T_OK(offer_is_public(&o, "2099-01-01"));
	T_OK(offer_check_current(&o, "2099-01-01", &e) == 0);
	{
		char today[11];
		offer_today(today);
		T_EQ_INT((long long)strlen(today), 10);
		T_OK(today[4] == '-' && today[7] == '-');
	}
}

T_TEST(offer_queries)
{
	struct offer_query q;
	struct kerr e = KERR_INIT;
	memset(&q, 0, sizeof(q));
	q.today = "2026-05-10";
	q.page = 1;
	q.per_page = 20;
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == 0);
	q.pkd = "6201";
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == 0);
	T_EQ_STR(q.pkd_norm, "62.01");
	q.pkd = "J";
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == -1);
	T_OK(starts(e.msg, "pkd: 'J' is not a PKD code of a division or finer"));
	q.pkd = NULL;
	q.kind = "laboratory";
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == -1);
	T_OK(starts(e.msg, "kind: 'laboratory' is not one of"));
	T_OK(offer_query_check(OFFER_BASE_SERVICES, &q, &e) == 0);
	q.kind = NULL;
	q.sort = "valid_until";
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == 0);
	T_OK(offer_query_check(OFFER_BASE_SERVICES, &q, &e) == -1);
	T_OK(starts(e.msg, "sort: 'valid_until' is not one of newest, title"));
	q.sort = NULL;
	q.price = "gratis";
	T_OK(offer_query_check(OFFER_BASE_SERVICES, &q, &e) == -1);
	T_OK(starts(e.msg, "price: 'gratis' is not one of free"));
	q.price = NULL;
	q.voiv = "1";
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == -1);
	T_OK(starts(e.msg, "voiv: '1' is not the 2-digit TERYT code of a voivodeship"));
	q.voiv = "99";   /* two digits, but no voivodeship's: refused as the add form refuses it */
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == -1);
	q.voiv = "03";
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == -1);
	q.voiv = "32";
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == 0);
	q.voiv = NULL;
	q.per_page = 101;
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == -1);
	T_OK(starts(e.msg, "per_page: "));
	q.per_page = 20;
	q.q = "a b c d e f g h i j k l m n o p q";
	T_OK(offer_query_check(OFFER_BASE_OFFERS, &q, &e) == -1);
	T_OK(starts(e.msg, "q: at most 16 words"));
}

T_TEST(offer_messages)
{
	char *out = NULL, *big = repeat("ż", OFFER_MESSAGE_MAX + 1);
	struct kerr e = KERR_INIT;
	T_OK(offer_message_check(" \r\n ", &out, &e) == -1 && out == NULL);
	T_OK(starts(e.msg, "message: required"));
	T_OK(offer_message_check(big, &out, &e) == -1);
	T_OK(starts(e.msg, "message: at most 2000 characters (this one has 2001)"));
	big[strlen(big) - 2] = '\0';   /* exactly 2000 */
	T_OK(offer_message_check(big, &out, &e) == 0);
	free(out);
	T_OK(offer_message_check("Dzień dobry,\r\nproszę o kontakt.\r\n", &out, &e) == 0);
	T_EQ_STR(out, "Dzień dobry,\nproszę o kontakt.");
	free(out);
	T_OK(offer_message_check("bell\a", &out, &e) == -1);
	T_OK(offer_note_check("  ", &out, &e) == 0 && out == NULL);
	T_OK(offer_note_check(" Za mało szczegółów ", &out, &e) == 0);
	T_EQ_STR(out, "Za mało szczegółów");
	free(out);
	T_OK(offer_note_check("dwie\nlinie", &out, &e) == -1);
	T_OK(starts(e.msg, "note: must be one line"));
	free(big);
}

T_TEST(offer_search_text_is_folded)
{
	const char *v[NO];
	struct offer o;
	struct kerr e = KERR_INIT;
	struct buf st = BUF_INIT;
	good_offer(v);
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, onames, v, NO, &e) == 0);
	offer_search_text(&o, "Zakłady Łódzkie S.A.", &st);
	T_OK(strstr(st.ptr, "wspolpraca przy spawaniu") != NULL);
	T_OK(strstr(st.ptr, "zaklady lodzkie s a") != NULL);
	T_OK(strstr(st.ptr, " 6201z ") != NULL && strstr(st.ptr, "7219z") != NULL);
	T_OK(strstr(st.ptr, "tytan") != NULL && strstr(st.ptr, "anna nowak") != NULL);
	T_OK(strstr(st.ptr, "anna@") == NULL && strstr(st.ptr, "firma") == NULL);   /* no contact address */
	T_OK(strchr(st.ptr, 0xC5) == NULL);   /* ASCII only */
	buf_release(&st);
	offer_release(&o);
}

T_TEST(offer_labels)
{
	T_EQ_STR(offer_kind_label(OFFER_BASE_OFFERS, "subcontracting", "pl"), "Podwykonawstwo");
	T_EQ_STR(offer_kind_label(OFFER_BASE_SERVICES, "ip_transfer", "en"), "Technology and IP transfer");
	T_EQ_STR(offer_price_label("co_financed", "en"), "co-financed");
	T_EQ_STR(offer_status_label("pending", "pl"), "czeka na moderację");
	T_EQ_STR(offer_kind_label(OFFER_BASE_OFFERS, "unknown", "pl"), "unknown");
	T_EQ_STR(offer_table(OFFER_BASE_SERVICES), "service");
	T_EQ_STR(offer_kind_field(OFFER_BASE_SERVICES), "category");
	T_EQ_STR(offer_fields(OFFER_BASE_OFFERS)[0], "kind");
}

T_TEST(offer_valid_until_horizon)
{
	struct offer o;
	struct kerr e = KERR_INIT;
	memset(&o, 0, sizeof(o));
	o.base = OFFER_BASE_OFFERS;
	o.valid_until = "2028-05-10";
	T_OK(offer_check_current(&o, "2026-05-10", &e) == 0);
	o.valid_until = "2028-05-11";
	T_OK(offer_check_current(&o, "2026-05-10", &e) == -1);
	T_EQ_STR(e.msg, "valid_until: at most 2 years ahead, until 2028-05-10 at the latest (2028-05-11 is later)");
	o.valid_until = "9999-12-31";
	T_OK(offer_check_current(&o, "2026-11-23", &e) == -1);
	T_OK(starts(e.msg, "valid_until: at most 2 years ahead, until 2028-11-23"));
	/* 29 February two years on is 1 March */
	o.valid_until = "2030-03-01";
	T_OK(offer_check_current(&o, "2028-02-29", &e) == 0);
	o.valid_until = "2030-03-02";
	T_OK(offer_check_current(&o, "2028-02-29", &e) == -1);
	/* services have no dates */
	o.base = OFFER_BASE_SERVICES;
	o.valid_until = NULL;
	T_OK(offer_check_current(&o, "2026-05-10", &e) == 0);
}

/* A form's check keeps every problem, one a line, in the order of the form; checks across
 * fields and against the database only of values that passed their own (no database needed
 * here: nothing reaches it). */
T_TEST(offer_form_lists_every_problem)
{
	const char *v[NO];
	struct offer o;
	struct kerr e = KERR_INIT;
	good_offer(v);
	v[0] = "barter";
	v[1] = "";
	v[3] = NULL;
	v[4] = "ten keyword is certainly much longer than fifty characters in all, yes";
	v[5] = NULL;
	v[6] = "2026-12-01";
	v[7] = "2026-11-30";
	v[9] = "nie-adres";
	T_OK(offer_check_form(NULL, &o, OFFER_BASE_OFFERS, onames, v, NO, 0, "2026-11-23", &e) == -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_EQ_STR(e.msg, "kind: 'barter' is not one of supply, demand, cooperation, subcontracting, technology\n"
			"title: required, at most 200 characters\n"
			"keywords: each keyword is one phrase of at most 50 characters, separated by commas\n"
			"valid_until: must not be before valid_from (2026-12-01)\n"
			"contact_email: must contain @, as in name@example.pl\n"
			"org: choose the organisation the entry belongs to");
	offer_release(&o);
	/* a bad date is named once: not compared with the other, nor with today */
	good_offer(v);
	v[3] = NULL;
	v[5] = NULL;
	v[7] = "2026-02-30";
	T_OK(offer_check_form(NULL, &o, OFFER_BASE_OFFERS, onames, v, NO, 0, "2026-11-23", &e) == -1);
	T_OK(starts(e.msg, "valid_until: '2026-02-30': 2026-02-30 does not exist"));
	T_OK(strstr(e.msg, "\norg: ") && !strstr(e.msg, "already passed") && !strstr(e.msg, "valid_from ("));
	offer_release(&o);
	/* the first problem only, as before, for imports and the API */
	good_offer(v);
	v[0] = "barter";
	v[1] = "";
	T_OK(offer_from_fields(&o, OFFER_BASE_OFFERS, onames, v, NO, &e) == -1);
	T_OK(starts(e.msg, "kind: 'barter'") && !strchr(e.msg, '\n'));
	offer_release(&o);
}

int main(void)
{
	T_RUN(offer_valid_and_normalised);
	T_RUN(offer_optional_fields);
	T_RUN(offer_errors_name_the_field);
	T_RUN(offer_field_names);
	T_RUN(offer_import_fields);
	T_RUN(service_fields);
	T_RUN(offer_dates_and_public);
	T_RUN(offer_valid_until_horizon);
	T_RUN(offer_form_lists_every_problem);
	T_RUN(offer_queries);
	T_RUN(offer_messages);
	T_RUN(offer_search_text_is_folded);
	T_RUN(offer_labels);
	return t_done();
}
