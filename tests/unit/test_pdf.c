/* test_pdf.c — the PDF of an article (pdf.h): its text in Pango markup, and a
 * long unbroken word laid out. */
#include "pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pango/pangocairo.h>

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
	/* 100 characters: none among the first 32, then a break before each of the other 68 */
	buf_reset(&m);
	pdf_markup_text(&m, word);
	T_EQ_INT((long long)zwsp(m.ptr), 68);
	T_OK(strncmp(m.ptr + 32, "\xe2\x80\x8b", 3) == 0);
	T_OK(strncmp(m.ptr + 32 + 3 + 1, "\xe2\x80\x8b", 3) == 0);
	T_EQ_INT((long long)m.len, 100 + 68 * 3);
	/* a run of two-byte letters is never cut inside a letter */
	buf_reset(&m);
	{
		struct buf w = BUF_INIT;
		int k;
		for (k = 0; k < 40; k++)
			buf_puts(&w, "ł");
		pdf_markup_text(&m, w.ptr);
		T_EQ_INT((long long)zwsp(m.ptr), 8);
		T_OK(strncmp(m.ptr + 64, "\xe2\x80\x8b", 3) == 0);
		T_OK(strncmp(m.ptr + 64 + 3 + 2, "\xe2\x80\x8b", 3) == 0);
		buf_release(&w);
	}
	/* a space starts a new run: a word of 32 after a long one gets no break */
	buf_reset(&m);
	pdf_markup_text(&m, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx abcdefghijklmnopqrstuvwxyz012345");
	T_OK(strstr(m.ptr, " abcdefghijklmnopqrstuvwxyz012345") != NULL);
	/* an emoji with a variation selector or joined by U+200D is not parted */
	buf_reset(&m);
	{
		struct buf w = BUF_INIT;
		int k;
		for (k = 0; k < 40; k++)
			buf_puts(&w, "\xe2\x9c\x88\xef\xb8\x8f" "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x94\xac");
		pdf_markup_text(&m, w.ptr);
		T_OK(!strstr(m.ptr, "\xe2\x80\x8b\xef\xb8\x8f") && !strstr(m.ptr, "\xe2\x80\x8b\xe2\x80\x8d") &&
		     !strstr(m.ptr, "\xe2\x80\x8d\xe2\x80\x8b"));
		T_OK(zwsp(m.ptr) > 40);
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

/* The number of characters of each line of the bare word (no break opportunity in it) laid
 * out by Pango alone at the body's font and width, as pdf_article's context does: Pango breaks
 * such a word between any two letters, filling every line.  At most max lines. */
static int reference_lines(const char *word, int *len, int max)
{
	PangoContext *pc = pango_font_map_create_context(pango_cairo_font_map_get_default());
	PangoLayout *l;
	PangoFontDescription *fd = pango_font_description_new();
	cairo_font_options_t *fo = cairo_font_options_create();
	PangoLayoutIter *it;
	int n = 0;
	pango_cairo_context_set_resolution(pc, 72.0);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_language(pc, pango_language_from_string("pl"));
	l = pango_layout_new(pc);
	pango_font_description_set_family(fd, "DejaVu Sans");
	pango_font_description_set_absolute_size(fd, 10.5 * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)((595.276 - 62.0 - 62.0) * PANGO_SCALE));   /* pdf.c's TEXT_W */
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, word, -1);
	it = pango_layout_get_iter(l);
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		if (n < max)
			len[n] = (int)g_utf8_strlen(word + line->start_index, line->length);
		n++;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	g_object_unref(pc);
	return n;
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

T_TEST(long_word_lines_filled)
{
	/* a word far longer than the line: each of its lines holds as many letters as the width
	 * takes (as Pango alone breaks it, give or take one), not the ragged chunks between break
	 * opportunities set every 32 characters (64 letters where 78 fit) */
	struct buf body = BUF_INIT, out = BUF_INIT;
	struct kerr e = KERR_INIT;
	struct pdf_article a = { "Słowo", NULL, NULL, NULL, "https://example.com/news/1", "pl" };   /* a footer of more than letters */
	int want[32], nwant, got = 0, k, same = 1;
	char *text, *line, *save = NULL;
	for (k = 0; k < 500; k++)
		buf_putc(&body, "abcdefghijklmnopqrstuvwxyz"[(k * 7) % 26]);
	nwant = reference_lines(body.ptr, want, 32);
	T_OK(nwant >= 5 && nwant < 32);
	a.body_md = body.ptr;
	T_EQ_INT(pdf_article(&a, &out, NULL, &e), 0);
	text = pdf_text(&out);
	T_OK(text != NULL);
	/* the word's lines are those of the text made of its letters only */
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) < 2 || strspn(line, "abcdefghijklmnopqrstuvwxyz") != strlen(line))
			continue;
		/* within a letter of it: the breaks between the letters may change their kerning a little */
		if (got >= nwant || abs((int)strlen(line) - want[got]) > 1) {
			same = 0;
			printf("#   line %d: %zu letters, Pango alone puts %d\n", got + 1, strlen(line), got < nwant ? want[got] : 0);
		}
		got++;
	}
	T_EQ_INT(got, nwant);
	T_OK(same);
	free(text);
	buf_release(&body);
	buf_release(&out);
}

int main(void)
{
	pdf_fonts_release_at_exit();
	T_RUN(markup_text);
	T_RUN(long_word);
	T_RUN(links);
	T_RUN(long_word_lines_filled);
	return t_done();
}
