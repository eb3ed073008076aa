/*
 * fuzz_valid.c — libFuzzer target for the validators (src/valid.c) and the
 * text folding (src/fold.c).
 *
 * The input, as a C string, goes to every validator.  A validator must
 * either succeed with an empty reason and a normalised form that validates
 * to itself, or fail with a reason that starts in lower case, does not end
 * with a period and is valid UTF-8.  The search form must be lower-case
 * ASCII words separated by single spaces, no longer than the input and
 * unchanged by folding again; the query tokens must be its words; the sort
 * key must be printable ASCII, within its size bound, and different for
 * different strings (the input is also cut in two at its first '|' to get
 * two strings to compare).
 *
 * Needs src/valid.c, fold.c, buf.c, err.c and esc.c (and -lm).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "esc.h"
#include "fold.h"
#include "i18n.h"
#include "valid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks the outcome of one validator call. */
static void check(const char *what, int rc, struct buf *why)
{
	if (rc == 0) {
		if (why->len)
			BUG("%s succeeded with a reason: %s", what, why->ptr);
	} else if (rc == -1) {
		const char *w = why->ptr;
		if (!why->len || (w[0] >= 'A' && w[0] <= 'Z') || w[why->len - 1] == '.' ||
		    !utf8_valid(w, why->len))
			BUG("%s failed with a bad reason: \"%s\"", what, w);
	} else {
		BUG("%s returned %d", what, rc);
	}
	buf_reset(why);
}

static void all_digits(const char *what, const char *s, size_t n)
{
	size_t i;
	if (strlen(s) != n)
		BUG("%s gave \"%s\"", what, s);
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			BUG("%s gave \"%s\"", what, s);
}

static void validators(const char *s)
{
	struct buf why = BUF_INIT;
	char out[16], again[16];
	int rc, level, level2, y;

	{
		/* a message in Polish: the message itself, or a translation that is valid UTF-8 when
		 * the message is (the captured parts are whole runs of the message) */
		struct buf pl = BUF_INIT;
		const char *t = i18n_pl(s, &pl);
		if (!t || (t != s && utf8_valid(s, strlen(s)) && !utf8_valid(t, strlen(t))))
			BUG("i18n_pl broke \"%s\"", s);
		buf_release(&pl);
	}
	{
		/* the language of an Accept-Language header: one of the two, or none */
		const char *lang = valid_accept_language(s);
		if (lang && strcmp(lang, "en") && strcmp(lang, "pl"))
			BUG("valid_accept_language gave \"%s\"", lang);
	}
	{
		/* an If-None-Match header: a tag it lists after a comma matches, whatever comes before
		 * (unless a quote there could hide the comma, or it begins with the "*" that must stand
		 * alone) */
		struct buf h = BUF_INIT;
		(void)valid_etag_matches(s, "\"0-0\"");
		buf_printf(&h, "%s, \"0-0\"", s);
		if (!valid_etag_matches(h.ptr, "\"0-0\"") && !strchr(s, '"') && s[strspn(s, " \t")] != '*')
			BUG("valid_etag_matches missed the tag after \"%s\"", s);
		/* "*" alone matches any tag; after anything else it is nothing */
		if (!valid_etag_matches(" * ", "\"0-0\""))
			BUG("valid_etag_matches missed a * alone");
		buf_release(&h);
	}
	rc = valid_nip(s, out, &why);
	check("nip", rc, &why);
	if (rc == 0) {
		all_digits("nip", out, 10);
		if (valid_nip(out, again, NULL) || strcmp(out, again) ||
		    nip_check_digit(out) != out[9] - '0')
			BUG("nip %s does not validate again", out);
	}
	rc = valid_regon(s, out, &why);
	check("regon", rc, &why);
	if (rc == 0) {
		all_digits("regon", out, strlen(out) == 9 ? 9 : 14);
		if (valid_regon(out, again, NULL) || strcmp(out, again) ||
		    regon_check_digit(out, strlen(out) - 1) != out[strlen(out) - 1] - '0')
			BUG("regon %s does not validate again", out);
	}
	rc = valid_krs(s, out, &why);
	check("krs", rc, &why);
	if (rc == 0)
		all_digits("krs", out, 10);
	rc = valid_postal(s, out, &why);
	check("postal", rc, &why);
	if (rc == 0 && (strlen(out) != 6 || out[2] != '-' || valid_postal(out, again, NULL) ||
			strcmp(out, again)))
		BUG("postal code %s", out);
	rc = valid_teryt(s, out, &why);
	check("teryt", rc, &why);
	if (rc == 0 && (valid_teryt(out, again, NULL) || strcmp(out, again)))
		BUG("teryt %s does not validate again", out);
	rc = valid_pkd(s, out, &level, &why);
	check("pkd", rc, &why);
	if (rc == 0 && (level < 1 || level > 5 || valid_pkd(out, again, &level2, NULL) ||
			strcmp(out, again) || level != level2))
		BUG("pkd %s (level %d) does not validate again", out, level);
	check("email", valid_email(s, &why), &why);
	check("url", valid_url(s, &why), &why);
	check("phone", valid_phone(s, &why), &why);
	check("date", valid_date(s, &why), &why);
	rc = valid_year(s, 1990, 2025, &y, &why);
	check("year", rc, &why);
	if (rc == 0 && (y < 1990 || y > 2025))
		BUG("year %d out of range", y);
	check("year (empty range)", valid_year(s, 10, 1, &y, &why), &why);
	buf_release(&why);
}

static void coords(const char *lat, const char *lon)
{
	struct buf why = BUF_INIT;
	double la = -1, lo = -1;
	int rc = valid_coord(lat, lon, &la, &lo, &why);
	if (rc == 1) {
		if (why.len || la != -1 || lo != -1)
			BUG("absent point with a reason or a value");
	} else {
		check("coord", rc, &why);
		if (rc == 0 && !(la >= 49.0 && la <= 54.9 && lo >= 14.1 && lo <= 24.2))
			BUG("point %f %f outside the box", la, lo);
	}
	buf_release(&why);
}

static void folding(const char *s)
{
	struct buf a = BUF_INIT, b = BUF_INIT, st = BUF_INIT, k = BUF_INIT;
	const char *tok[8];
	size_t i, n, len = strlen(s);

	fold_search(&a, s);
	if (a.len > len)
		BUG("search form longer than the input");
	for (i = 0; i < a.len; i++) {
		char c = a.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      (c == ' ' && i > 0 && i + 1 < a.len && a.ptr[i - 1] != ' ')))
			BUG("bad search form \"%s\"", a.ptr);
	}
	fold_search(&b, a.ptr);
	if (strcmp(a.ptr, b.ptr) != 0)
		BUG("folding is not idempotent: \"%s\" then \"%s\"", a.ptr, b.ptr);

	/* the tokens, joined by spaces, are the search form (when all fit) */
	n = fold_tokens(s, &st, tok, 8);
	buf_reset(&b);
	for (i = 0; i < n; i++) {
		if (!*tok[i] || strchr(tok[i], ' '))
			BUG("bad token \"%s\"", tok[i]);
		if (i)
			buf_putc(&b, ' ');
		buf_puts(&b, tok[i]);
	}
	if (n < 8 ? strcmp(b.ptr, a.ptr) != 0 : strncmp(b.ptr, a.ptr, b.len) != 0)
		BUG("tokens \"%s\" do not match \"%s\"", b.ptr, a.ptr);

	fold_sortkey(&k, s);
	if (k.len > 5 * len + 2 || k.len < 2)
		BUG("sort key of %zu bytes for %zu", k.len, len);
	for (i = 0; i < k.len; i++)
		if (k.ptr[i] < 0x21 || k.ptr[i] > 0x7E)
			BUG("unprintable sort key");
	buf_release(&a);
	buf_release(&b);
	buf_release(&st);
	buf_release(&k);
}

/* Distinct strings have distinct keys, and equal strings equal ones. */
static void distinct_keys(const char *x, const char *y)
{
	struct buf kx = BUF_INIT, ky = BUF_INIT;
	fold_sortkey(&kx, x);
	fold_sortkey(&ky, y);
	if ((strcmp(x, y) == 0) != (strcmp(kx.ptr, ky.ptr) == 0))
		BUG("sort keys do not tell strings apart");
	buf_release(&kx);
	buf_release(&ky);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *bar;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	validators(s);
	folding(s);

	bar = strchr(s, '|');
	if (bar) {
		*bar = '\0';
		coords(s, bar + 1);
		distinct_keys(s, bar + 1);
		folding(bar + 1);
	} else {
		coords(s, s);
	}
	free(s);
	return 0;
}
