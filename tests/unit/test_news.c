/*
 * test_news.c — the news library without a database: Markdown to HTML
 * (what is kept, what is neutralised), the plain-text preview, the checks
 * of article and comment fields with their messages, the link counter,
 * the comment form's signed time stamp, the article file parser, and the
 * PDF of an article (a PDF, one page for a short article, more for a
 * long one).
 */
#include "t.h"

#include "buf.h"
#include "err.h"
#include "news.h"
#include "pdf.h"

static struct buf html = BUF_INIT;

static const char *md(const char *src)
{
	buf_reset(&html);
	news_md_html(&html, src, strlen(src));
	return html.ptr;
}

static int has(const char *s, const char *part)
{
	return strstr(s, part) != NULL;
}

static int has_ci(const char *s, const char *part)
{
	size_t n = strlen(part);
	for (; *s; s++)
		if (strncasecmp(s, part, n) == 0)
			return 1;
	return 0;
}

T_TEST(markdown_elements)
{
	T_EQ_STR(md("# Tytuł\n\nZwykły *akapit* i **mocny** tekst.\n"),
		 "<h2>Tytuł</h2>\n<p>Zwykły <em>akapit</em> i <strong>mocny</strong> tekst.</p>\n");
	T_EQ_STR(md("- jeden\n- dwa\n"), "<ul>\n<li>jeden</li>\n<li>dwa</li>\n</ul>\n");
	T_EQ_STR(md("3. c\n4. d\n"), "<ol start=\"3\">\n<li>c</li>\n<li>d</li>\n</ol>\n");
	/* the article's highest heading is h2 under the page's h1, whatever level it is written at;
	 * the others keep their distance from it (never past h6) */
	T_EQ_STR(md("###### six\n"), "<h2>six</h2>\n");
	T_EQ_STR(md("## Cele\n\n### Etap 1\n"), "<h2>Cele</h2>\n<h3>Etap 1</h3>\n");
	T_EQ_STR(md("# A\n\n###### F\n"), "<h2>A</h2>\n<h6>F</h6>\n");
	T_EQ_STR(md("`a<b`\n"), "<p><code>a&lt;b</code></p>\n");
	T_EQ_STR(md("    x < y && z\n"), "<pre><code>x &lt; y &amp;&amp; z\n</code></pre>\n");
	T_EQ_STR(md("> cytat\n"), "<blockquote>\n<p>cytat</p>\n</blockquote>\n");
	T_EQ_STR(md("a  \nb\n\n---\n"), "<p>a<br>\nb</p>\n<hr>\n");
	T_EQ_STR(md("[strona](https://example.org/a?b=1&c=2 \"T\\\"x\")\n"),
		 "<p><a href=\"https://example.org/a?b=1&amp;c=2\" title=\"T&quot;x\" rel=\"nofollow ugc noopener\">strona</a></p>\n");
	T_EQ_STR(md("[w](/news/1) [m](mailto:a@b.pl) [r](../x)\n"),
		 "<p><a href=\"/news/1\" rel=\"nofollow ugc noopener\">w</a> "
		 "<a href=\"mailto:a@b.pl\" rel=\"nofollow ugc noopener\">m</a> "
		 "<a href=\"../x\" rel=\"nofollow ugc noopener\">r</a></p>\n");
}

T_TEST(markdown_neutralised)
{
	/* raw HTML never reaches the page, as a block or inline */
	T_EQ_STR(md("<script>alert(1)</script>\n\ntekst\n"), "<p>tekst</p>\n");
	T_EQ_STR(md("a <img src=x onerror=alert(1)> b <b>c</b>\n"), "<p>a  b c</p>\n");
	T_OK(!has_ci(md("<div onclick=\"x()\">\n\n*y*\n\n</div>\n"), "<div"));
	T_OK(!has_ci(md("<iframe src=\"https://evil.example\"></iframe>\n"), "iframe"));
	/* javascript: and other schemes lose the link and keep the text */
	T_EQ_STR(md("[kliknij](javascript:alert(1))\n"), "<p>kliknij</p>\n");
	T_EQ_STR(md("[x](JaVaScRiPt:alert(1))\n"), "<p>x</p>\n");
	T_EQ_STR(md("[x](&#106;avascript&#58;alert(1))\n"), "<p>x</p>\n");
	T_EQ_STR(md("[x](<java\tscript:alert(1)>)\n"), "<p>x</p>\n");
	T_EQ_STR(md("[x](vbscript:msgbox)\n"), "<p>x</p>\n");
	T_EQ_STR(md("[x](data:text/html;base64,PHNjcmlwdD4=)\n"), "<p>x</p>\n");
	T_EQ_STR(md("<javascript:alert(1)>\n"), "<p>javascript:alert(1)</p>\n");
	T_OK(!has_ci(md("[a]: javascript:alert(1)\n\n[a]\n"), "href"));
	T_OK(!has_ci(md("![x](javascript:alert(1))\n"), "javascript"));
	/* images: only this site's are loaded, others become links */
	T_EQ_STR(md("![logo \"x\"](/static/logo.png)\n"), "<p><img src=\"/static/logo.png\" alt=\"logo &quot;x&quot;\"></p>\n");
	T_EQ_STR(md("![foto *z* targów](https://example.org/a.jpg)\n"),
		 "<p><a href=\"https://example.org/a.jpg\" rel=\"nofollow ugc noopener\">foto z targów</a></p>\n");
	T_EQ_STR(md("![p](//evil.example/x.png)\n"), "<p><a href=\"//evil.example/x.png\" rel=\"nofollow ugc noopener\">p</a></p>\n");
	/* an image inside a link does not open a second link */
	T_EQ_STR(md("[![a](https://e.x/i.png)](https://e.x/)\n"),
		 "<p><a href=\"https://e.x/\" rel=\"nofollow ugc noopener\">a</a></p>\n");
	/* bytes that are not UTF-8 and control characters are replaced */
	T_OK(!has(md("a\x01" "b \xff\n"), "\x01"));
	T_OK(!has(md("a\x01" "b \xff\n"), "\xff"));
	T_EQ_STR(md(""), "");
}

T_TEST(markdown_text)
{
	struct buf b = BUF_INIT;
	const char *src = "# Nagłówek\n\nPierwszy *akapit*.\n\n- punkt\n";
	news_md_text(&b, src, strlen(src), 1000);
	T_EQ_STR(b.ptr, "Nagłówek Pierwszy akapit. punkt");
	buf_reset(&b);
	news_md_text(&b, "Zażółć gęślą jaźń", strlen("Zażółć gęślą jaźń"), 5);
	T_EQ_STR(b.ptr, "Zaż…");   /* cut before the half of "ó" */
	buf_release(&b);
}

T_TEST(article_checks)
{
	struct kerr e = KERR_INIT;
	char longer[NEWS_TITLE_MAX * 2 + 8];
	size_t i;
	T_EQ_INT(news_check("Tytuł", "", "Treść", "pl", &e), 0);
	T_EQ_INT(news_check("  ", "", "Treść", "pl", &e), -1);
	T_EQ_STR(e.msg, "title: required");
	T_EQ_INT(news_check("T", "", "", "pl", &e), -1);
	T_EQ_STR(e.msg, "body: required");
	T_EQ_INT(news_check("T", "", "b", "de", &e), -1);
	T_EQ_STR(e.msg, "lang: must be pl or en");
	T_EQ_INT(news_check("T\nU", "", "b", "pl", &e), -1);
	T_EQ_STR(e.msg, "title: control characters are not allowed (one line of text)");
	T_EQ_INT(news_check("T", "", "b\xff", "pl", &e), -1);
	T_EQ_STR(e.msg, "body: not valid UTF-8 text");
	/* 200 two-byte characters are fine, 201 are not */
	for (i = 0; i < NEWS_TITLE_MAX; i++)
		memcpy(longer + 2 * i, "ł", 2);
	longer[2 * NEWS_TITLE_MAX] = '\0';
	T_EQ_INT(news_check(longer, "", "b", "en", &e), 0);
	memcpy(longer + 2 * NEWS_TITLE_MAX, "ł", 3);
	T_EQ_INT(news_check(longer, "", "b", "en", &e), -1);
	T_EQ_STR(e.msg, "title: at most 200 characters");
	T_EQ_INT(news_check("T", "one\r\nlead", "b\tc\n", "en", &e), 0);
}

T_TEST(comment_checks)
{
	struct kerr e = KERR_INIT;
	T_EQ_INT(news_count_links("see https://a.pl and http://b.pl/x, www.c.pl"), 3);
	T_EQ_INT(news_count_links("HTTPS://A.PL/HTTP://B"), 1);
	T_EQ_INT(news_count_links("no links, just www-ish words: awww.ok"), 0);
	T_EQ_INT(news_comment_check("Dziękuję za artykuł!\nŚwietny.", &e), 0);
	T_EQ_INT(news_comment_check("https://a.pl https://b.pl", &e), 0);
	T_EQ_INT(news_comment_check("https://a.pl https://b.pl https://c.pl", &e), -1);
	T_EQ_STR(e.msg, "body: at most 2 links in a comment (this one has 3)");
	T_EQ_INT(news_comment_check(" \n ", &e), -1);
	T_EQ_STR(e.msg, "body: required");
	T_EQ_INT(news_comment_check("a\x07", &e), -1);
	T_OK(strncmp(e.msg, "body: ", 6) == 0);
}

T_TEST(stamps)
{
	unsigned char key[32], other[32];
	char s[NEWS_STAMP_LEN], forged[NEWS_STAMP_LEN];
	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	news_stamp_make(key, 12, 34, 1000000, s);
	T_EQ_INT(news_stamp_check(key, 12, 34, s, 1000003, 3, 86400), 0);
	T_EQ_INT(news_stamp_check(key, 12, 34, s, 1000002, 3, 86400), 1);      /* too fast */
	T_EQ_INT(news_stamp_check(key, 12, 34, s, 1000000 + 86401, 3, 86400), -1);   /* too old */
	T_EQ_INT(news_stamp_check(key, 13, 34, s, 1000010, 3, 86400), -1);     /* another article */
	T_EQ_INT(news_stamp_check(key, 12, 35, s, 1000010, 3, 86400), -1);     /* another user */
	T_EQ_INT(news_stamp_check(other, 12, 34, s, 1000010, 3, 86400), -1);   /* another key */
	/* an earlier time with the same MAC does not pass */
	snprintf(forged, sizeof(forged), "999000%s", strchr(s, '.'));
	T_EQ_INT(news_stamp_check(key, 12, 34, forged, 1000010, 3, 86400), -1);
	T_EQ_INT(news_stamp_check(key, 12, 34, "", 1000010, 3, 86400), -1);
	T_EQ_INT(news_stamp_check(key, 12, 34, NULL, 1000010, 3, 86400), -1);
	T_EQ_INT(news_stamp_check(key, 12, 34, "1000000.zz", 1000010, 3, 86400), -1);
}

T_TEST(article_files)
{
	struct kerr e = KERR_INIT;
	struct article a;
	char key[80], cl[64];
	const char *good = "---\nkey: demo-1\ntitle: Targi „Skrzydła” 2025\nlead: Krótko.\nlang: pl\ncluster: KLPS\n"
			   "published: 2025-09-15\ndemo: 1\n---\n# Program\n\nTekst.\n";
	T_EQ_INT(news_parse_file("a.md", good, strlen(good), &a, key, sizeof(key), cl, sizeof(cl), &e), 0);
	T_EQ_STR(key, "demo-1");
	T_EQ_STR(cl, "KLPS");
	T_EQ_STR(a.title, "Targi „Skrzydła” 2025");
	T_EQ_STR(a.lead, "Krótko.");
	T_EQ_STR(a.status, "published");
	T_EQ_INT(a.published_at, 1757923200);   /* 2025-09-15 08:00 UTC */
	T_EQ_INT(a.demo, 1);
	T_EQ_STR(a.body_md, "# Program\n\nTekst.\n");
	article_release(&a);

	T_EQ_INT(news_parse_file("b.md", "title: x\n", 9, &a, key, sizeof(key), cl, sizeof(cl), &e), -1);
	T_EQ_STR(e.msg, "b.md:1: an article file starts with a line '---' and a header");
	T_EQ_INT(news_parse_file("c.md", "---\ntitle: x\n---\nb", 18, &a, key, sizeof(key), cl, sizeof(cl), &e), -1);
	T_EQ_STR(e.msg, "c.md: the header needs a key (it identifies the article when imported again)");
	T_EQ_INT(news_parse_file("d.md", "---\nkey: k\ntitle: x\npublished: 2025-02-30\n---\nb", 46, &a, key, sizeof(key), cl,
				 sizeof(cl), &e), -1);
	T_EQ_STR(e.msg, "d.md:4: published: a date YYYY-MM-DD, or empty for a draft");
	T_EQ_INT(news_parse_file("e.md", "---\nkey: k\nautor: x\n---\nb", 25, &a, key, sizeof(key), cl, sizeof(cl), &e), -1);
	T_EQ_STR(e.msg, "e.md:3: unknown header field 'autor' (key, title, lead, lang, cluster, published, demo)");
	T_EQ_INT(news_parse_file("f.md", "---\nkey: k\ntitle: x\n", 20, &a, key, sizeof(key), cl, sizeof(cl), &e), -1);
	T_EQ_STR(e.msg, "f.md:4: the header has no closing line '---'");
	T_EQ_INT(news_parse_file("g.md", "---\nkey: k\ntitle: x\n---\n", 24, &a, key, sizeof(key), cl, sizeof(cl), &e), -1);
	T_EQ_STR(e.msg, "g.md: body: required");
	T_EQ_INT(news_parse_file("h.md", "---\nkey: K!\n---\n", 16, &a, key, sizeof(key), cl, sizeof(cl), &e), -1);
	T_EQ_STR(e.msg, "h.md:2: key: 1 to 64 characters a-z, 0-9, - and _");
}

/* Pages of a PDF counted from its page objects. */
static int pdf_pages(const struct buf *b)
{
	int n = 0;
	size_t i;
	for (i = 0; i + 10 < b->len; i++)
		if (memcmp(b->ptr + i, "/Type /Page", 11) == 0 && b->ptr[i + 11] != 's')
			n++;
	return n;
}

T_TEST(pdf)
{
	struct kerr e = KERR_INIT;
	struct buf out = BUF_INIT, body = BUF_INIT;
	struct pdf_article a = { "Zażółć gęślą jaźń", "2025-09-15 · KLPS", "Krótki wstęp.",
				 "# Nagłówek\n\n- *jeden*\n- **dwa** [link](https://example.org)\n\n> cytat\n\n    kod\n",
				 "http://localhost/news/1", "pl" };
	int pages = 0, i;
	T_EQ_INT(pdf_article(&a, &out, &pages, &e), 0);
	T_OK(out.len > 1000 && memcmp(out.ptr, "%PDF-", 5) == 0);
	T_EQ_INT(pages, 1);
	T_EQ_INT(pdf_pages(&out), 1);
	for (i = 0; i < 120; i++)
		buf_printf(&body, "## Część %d\n\nAkapit numer %d: zażółć gęślą jaźń, a tekst jest dość długi, by się zawinąć "
				  "na kilka wierszy strony A4 z marginesami.\n\n", i, i);
	a.body_md = body.ptr;
	buf_reset(&out);
	T_EQ_INT(pdf_article(&a, &out, &pages, &e), 0);
	T_OK(pages > 3);
	T_EQ_INT(pdf_pages(&out), pages);
	buf_release(&out);
	buf_release(&body);
}

int main(void)
{
	T_RUN(markdown_elements);
	T_RUN(markdown_neutralised);
	T_RUN(markdown_text);
	T_RUN(article_checks);
	T_RUN(comment_checks);
	T_RUN(stamps);
	T_RUN(article_files);
	T_RUN(pdf);
	buf_release(&html);
	return t_done();
}
