/* test_pdf.c — the PDF of an article (pdf.h): its text in Pango markup, and a
 * long unbroken word laid out. */
#include "pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

/* the number of zero-width spaces (U+200B) in s */
static size_t zwsp(const char *s)
{
	size_t n = 0;
	while ((s = strstr(s, "\xe2\x80\x8b"))) {
		n++;
		s += 3;
	}
	return n;
}

T_TEST(markup_text)
{
	struct buf m = BUF_INIT;
	char word[101];
	memset(word, 'x', 100);
	word[100] = '\0';
	/* escaped as XML */
	pdf_markup_text(&m, "a <b> & \"c\"");
	T_EQ_STR(m.ptr, "a &lt;b&gt; &amp; &quot;c&quot;");
	/* short words: nothing added */
	buf_reset(&m);
	pdf_markup_text(&m, "zażółć gęślą jaźń, a word of thirty-two characters: abcdefghijklmnopqrstuvwxyz012345");
	T_EQ_INT((long long)zwsp(m.ptr), 0);
	/* 100 characters: a break after the 32nd, 64th and 96th */
	buf_reset(&m);
	pdf_markup_text(&m, word);
	T_EQ_INT((long long)zwsp(m.ptr), 3);
	T_OK(strncmp(m.ptr + 32, "\xe2\x80\x8b", 3) == 0);
	T_EQ_INT((long long)m.len, 100 + 3 * 3);
	/* a run of two-byte letters is never cut inside a letter */
	buf_reset(&m);
	{
		struct buf w = BUF_INIT;
		int k;
		for (k = 0; k < 40; k++)
			buf_puts(&w, "ł");
		pdf_markup_text(&m, w.ptr);
		T_EQ_INT((long long)zwsp(m.ptr), 1);
		T_OK(strncmp(m.ptr + 64, "\xe2\x80\x8b", 3) == 0);
		buf_release(&w);
	}
	/* a word cut into many short texts (emphasis) still gets its breaks */
	buf_reset(&m);
	{
		int k;
		for (k = 0; k < 50; k++) {
			pdf_markup_text(&m, "xy");
			buf_puts(&m, k % 2 ? "</i>" : "<i>");
		}
		T_OK(zwsp(m.ptr) >= 2);
	}
	buf_release(&m);
}

T_TEST(long_word)
{
	/* a body of one 90,000-character word: laid out over many pages, wrapped at the width */
	struct buf body = BUF_INIT, out = BUF_INIT;
	struct kerr e = KERR_INIT;
	struct pdf_article a = { "Słowo", NULL, NULL, NULL, NULL, "pl" };
	int pages = 0, k;
	for (k = 0; k < 90000; k++)
		buf_putc(&body, 'x');
	a.body_md = body.ptr;
	T_EQ_INT(pdf_article(&a, &out, &pages, &e), 0);
	T_OK(pages >= 10);
	T_OK(out.len > 1000 && memcmp(out.ptr, "%PDF-", 5) == 0);
	buf_release(&body);
	buf_release(&out);
}

/* The text of a PDF by poppler's pdftotext (installed with the project's packages). */
static char *pdf_text(const struct buf *pdf)
{
	char path[] = "/tmp/klaster-test-pdf.XXXXXX", cmd[128];
	struct buf out = BUF_INIT;
	FILE *p;
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, pdf->ptr, pdf->len) != (ssize_t)pdf->len) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 %s -", path);
	if ((p = popen(cmd, "r"))) {
		buf_read_stream(&out, p);
		pclose(p);
	}
	unlink(path);
	return buf_detach(&out, NULL);
}

T_TEST(links)
{
	/* a link is its text and then its address, unless the text is the address (an autolink,
	 * long enough to get its own zero-width spaces: they must not make the two differ) */
	struct buf out = BUF_INIT;
	struct kerr e = KERR_INIT;
	struct pdf_article a = { "Linki", NULL, NULL, NULL, NULL, "pl" };
	char *text;
	a.body_md = "See <https://example.com/a/rather/long/address/of/a/page>. And [the page](https://example.com/p).";
	T_EQ_INT(pdf_article(&a, &out, NULL, &e), 0);
	text = pdf_text(&out);
	T_OK(text && strstr(text, "See https://example.com/a/rather/long/address/of/a/page."));
	T_OK(text && !strstr(text, "(https://example.com/a/rather"));
	T_OK(text && strstr(text, "the page (https://"));   /* the address may wrap to the next line */
	free(text);
	buf_release(&out);
}

int main(void)
{
	pdf_fonts_release_at_exit();
	T_RUN(markup_text);
	T_RUN(long_word);
	T_RUN(links);
	return t_done();
}
