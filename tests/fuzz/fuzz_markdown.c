/*
 * fuzz_markdown.c — libFuzzer target for the Markdown path of the news
 * (src/news.c): any bytes → news_md_html, and the output must keep the
 * promises of news.h whatever the input:
 *   - valid UTF-8 without control characters other than tab, LF and CR;
 *   - every '<' opens or closes one of the allowed elements (p, h2–h6,
 *     blockquote, ul, ol, li, pre, code, hr, br, em, strong, a, img) with
 *     only the allowed attributes (href, title, rel, start, src, alt), each
 *     value in double quotes; text outside the tags holds no > " ' and
 *     every & starts one of the entities esc_html writes;
 *   - an href, read as a browser would (entities decoded, tabs and line
 *     breaks dropped, leading spaces and controls skipped), has no scheme
 *     but http, https or mailto — never javascript:, vbscript: or data:;
 *   - an img src is a path on this site ("/x", not "//host").
 * The plain-text preview (news_md_text) is valid UTF-8 within its limit,
 * and the comment checks do not crash.  A broken promise stops the run
 * with __builtin_trap().
 */
#include <stdint.h>

#include "buf.h"
#include "esc.h"
#include "news.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static const char *const tags[] = { "p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre",
				    "code", "hr", "br", "em", "strong", "a", "img" };
static const char *const attrs[] = { "href", "title", "rel", "start", "src", "alt" };

static int in_list(const char *s, size_t n, const char *const *list, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return 1;
	return 0;
}

static int entity_at(const char *p)
{
	return strncmp(p, "&amp;", 5) == 0 || strncmp(p, "&lt;", 4) == 0 || strncmp(p, "&gt;", 4) == 0 ||
	       strncmp(p, "&quot;", 6) == 0 || strncmp(p, "&#39;", 5) == 0;
}

/* The attribute value v (n bytes, entities as written) as a browser reads
 * a URL: entities decoded, tab/CR/LF removed, leading C0 and spaces
 * skipped, lower-cased. */
static void browser_url(const char *v, size_t n, struct buf *out)
{
	size_t i;
	int lead = 1;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)v[i];
		if (c == '&') {
			CHECK(entity_at(v + i));
			c = v[i + 1] == 'a' ? '&' : v[i + 1] == 'l' ? '<' : v[i + 1] == 'g' ? '>' : v[i + 1] == 'q' ? '"' : '\'';
			i += strcspn(v + i, ";");
		}
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (lead && c <= 0x20)
			continue;
		lead = 0;
		buf_putc(out, tolower(c));
	}
}

static void check_href(const char *v, size_t n, int img)
{
	struct buf u = BUF_INIT;
	size_t k;
	browser_url(v, n, &u);
	k = strcspn(u.ptr, ":/?#");
	if (u.ptr[k] == ':')
		CHECK((k == 4 && memcmp(u.ptr, "http", 4) == 0) || (k == 5 && memcmp(u.ptr, "https", 5) == 0) ||
		      (k == 6 && memcmp(u.ptr, "mailto", 6) == 0));
	CHECK(strstr(u.ptr, "javascript:") != u.ptr && strstr(u.ptr, "vbscript:") != u.ptr && strstr(u.ptr, "data:") != u.ptr);
	if (img)
		CHECK(u.ptr[0] == '/' && u.ptr[1] != '/' && u.ptr[1] != '\\');
	buf_release(&u);
}

/* One tag starting at p ('<'); returns the length up to and with '>'. */
static size_t check_tag(const char *p)
{
	const char *q = p + 1, *name;
	size_t n;
	int is_img, closing = 0;
	if (*q == '/') {
		closing = 1;
		q++;
	}
	name = q;
	n = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789");
	CHECK(n > 0 && in_list(name, n, tags, sizeof(tags) / sizeof(tags[0])));
	is_img = n == 3 && memcmp(name, "img", 3) == 0;
	q += n;
	while (*q == ' ') {
		const char *an = ++q, *v;
		size_t alen = strspn(q, "abcdefghijklmnopqrstuvwxyz");
		CHECK(!closing && alen > 0 && in_list(an, alen, attrs, sizeof(attrs) / sizeof(attrs[0])));
		q += alen;
		CHECK(q[0] == '=' && q[1] == '"');
		v = q + 2;
		q = strchr(v, '"');
		CHECK(q != NULL);
		CHECK(memchr(v, '<', (size_t)(q - v)) == NULL && memchr(v, '>', (size_t)(q - v)) == NULL);
		if ((alen == 4 && memcmp(an, "href", 4) == 0) || (alen == 3 && memcmp(an, "src", 3) == 0))
			check_href(v, (size_t)(q - v), is_img && alen == 3);
		q++;
	}
	CHECK(*q == '>');
	return (size_t)(q - p) + 1;
}

static void check_html(const struct buf *b)
{
	size_t i = 0;
	CHECK(!buf_failed(b));
	CHECK(utf8_valid(b->ptr, b->len));
	while (i < b->len) {
		unsigned char c = (unsigned char)b->ptr[i];
		CHECK(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
		if (c == '<') {
			i += check_tag(b->ptr + i);
			continue;
		}
		CHECK(c != '>' && c != '"' && c != '\'');
		if (c == '&')
			CHECK(entity_at(b->ptr + i));
		i++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf html = BUF_INIT, text = BUF_INIT, s = BUF_INIT;
	struct kerr e = KERR_INIT;
	if (size > 65536)
		return 0;
	news_md_html(&html, (const char *)data, size);
	check_html(&html);
	news_md_text(&text, (const char *)data, size, 300);
	CHECK(!buf_failed(&text) && text.len <= 300 + strlen("…"));
	CHECK(utf8_valid(text.ptr, text.len));
	/* the comment checks take a C string */
	buf_add(&s, data, size);
	if (!memchr(data, 0, size)) {
		int links = news_count_links(s.ptr);
		CHECK(links >= 0 && (size_t)links <= size);
		(void)news_comment_check(s.ptr, &e);
	}
	buf_release(&html);
	buf_release(&text);
	buf_release(&s);
	return 0;
}
