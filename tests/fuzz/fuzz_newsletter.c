/*
 * fuzz_newsletter.c — libFuzzer target for the newsletter's parsers
 * (src/newsletter.c).
 *
 * The input is cut at its first newline: the first line is a Content-Type,
 * the rest a POST body for nl_oneclick_body (under that type, and under
 * the two types of RFC 8058 with a fixed boundary).  The answer must not
 * depend on trailing bytes past len (a copy without a NUL terminator is
 * checked too).  The same input, split at '|', fills a campaign form
 * (subject | intro | lang | article ids | offer ids, ids split at ','):
 * on success the subject is one non-empty line of at most NL_SUBJECT_MAX
 * characters, the intro holds no CR, ids are positive and unique; on
 * failure the message starts with the field's name.  The mail body built
 * from a valid campaign must be valid UTF-8 without CR.
 * A broken promise stops the run with __builtin_trap().
 */
#include <stdint.h>

#include "esc.h"
#include "newsletter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static size_t split(char *s, int sep, char **parts, size_t max)
{
	size_t n = 0;
	while (n < max) {
		char *p = strchr(s, sep);
		parts[n++] = s;
		if (!p)
			break;
		*p = '\0';
		s = p + 1;
	}
	return n;
}

static void campaign(const char *text)
{
	struct kerr e = KERR_INIT;
	struct nl_campaign c;
	char *copy = xstrdup(text), *f[5] = { NULL, NULL, NULL, NULL, NULL };
	char *ids_a[NL_ITEMS_MAX + 8], *ids_o[NL_ITEMS_MAX + 8];
	size_t na = 0, no = 0, i, j;
	split(copy, '|', f, 5);
	if (f[3] && *f[3])
		na = split(f[3], ',', ids_a, NL_ITEMS_MAX + 8);
	if (f[4] && *f[4])
		no = split(f[4], ',', ids_o, NL_ITEMS_MAX + 8);
	nl_campaign_init(&c);
	if (nl_campaign_from_form(&c, f[0], f[1], f[2], (const char *const *)ids_a, na, (const char *const *)ids_o, no,
				  &e) == 0) {
		struct buf b = BUF_INIT;
		struct nl_item items[2 * NL_ITEMS_MAX];
		size_t n = 0, chars = 0;
		const char *p;
		CHECK(*c.subject && !strpbrk(c.subject, "\r\n"));
		for (p = c.subject; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		CHECK(chars <= NL_SUBJECT_MAX);
		CHECK(!strchr(c.intro, '\r'));
		CHECK(c.narticles <= NL_ITEMS_MAX && c.noffers <= NL_ITEMS_MAX);
		for (i = 0; i < c.narticles; i++) {
			CHECK(c.articles[i] > 0);
			for (j = 0; j < i; j++)
				CHECK(c.articles[i] != c.articles[j]);
		}
		for (i = 0; i < c.noffers; i++) {
			CHECK(c.offers[i] > 0);
			for (j = 0; j < i; j++)
				CHECK(c.offers[i] != c.offers[j]);
		}
		/* the form's own texts stand in for item titles and summaries */
		for (i = 0; i < c.narticles + c.noffers; i++, n++) {
			memset(&items[n], 0, sizeof(items[n]));
			items[n].is_offer = i >= c.narticles;
			items[n].id = items[n].is_offer ? c.offers[i - c.narticles] : c.articles[i];
			items[n].title = c.subject;
			items[n].summary = c.intro;
			items[n].until = items[n].is_offer ? "2099-12-31" : NULL;
		}
		nl_body_write(&b, c.lang, c.intro, items, n, "http://x", "http://x/u", c.subject);
		CHECK(!buf_failed(&b) && utf8_valid(b.ptr, b.len) && !strchr(b.ptr, '\r'));
		buf_release(&b);
	} else {
		static const char *const fields[] = { "subject: ", "intro: ", "lang: ", "articles: ", "offers: " };
		int named = 0;
		for (i = 0; i < 5; i++)
			named |= strncmp(e.msg, fields[i], strlen(fields[i])) == 0;
		CHECK(named);
	}
	nl_campaign_release(&c);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1), *nl, *ctype, *exact;
	const char *body;
	size_t blen;
	int r;
	memcpy(text, data, size);
	text[size] = '\0';
	nl = memchr(text, '\n', size);
	ctype = xstrndup(text, nl ? (size_t)(nl - text) : size);
	body = nl ? nl + 1 : text + size;
	blen = size - (size_t)(body - text);
	/* the parser must stay within len: give it an exact-size copy */
	exact = xmalloc(blen ? blen : 1);
	memcpy(exact, body, blen);
	r = nl_oneclick_body(ctype, exact, blen);
	CHECK(r == 0 || r == 1);
	CHECK(nl_oneclick_body(ctype, body, blen) == r);
	(void)nl_oneclick_body("multipart/form-data; boundary=B", exact, blen);
	(void)nl_oneclick_body("application/x-www-form-urlencoded", exact, blen);
	free(exact);
	free(ctype);
	if (memchr(text, '\0', size) == NULL && utf8_valid(text, size))
		campaign(text);
	free(text);
	return 0;
}
