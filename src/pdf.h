/*
 * pdf.h — an article as a PDF document: cairo's PDF surface, Pango for
 * the text layout (font "DejaVu Sans" through fontconfig, so Polish
 * letters come out right).
 *
 * The Markdown body is laid out by walking cmark's tree, not by rendering
 * HTML: headings, paragraphs, bullet and numbered lists (nested), block
 * quotes, code blocks, rules, emphasis, strong, code spans; a link is its
 * text followed by its address in brackets; an image is its description
 * and address.  Raw HTML in the source is left out, as on the page.
 * A4 pages with margins, text wrapped to the width, a heading never alone
 * at the foot of a page, and a footer with the page number ("Strona N z M"
 * or "Page N of M").
 *
 * Safe to call from several threads at once (each uses its thread's Pango
 * font map).  The first call registers an exit handler that releases the
 * font caches of Pango, cairo and fontconfig (so leak checkers stay
 * quiet): the process must not exit while another thread draws.
 */
#ifndef KLASTER_PDF_H
#define KLASTER_PDF_H

#include "buf.h"
#include "err.h"

struct pdf_article {
	const char *title;         /* required */
	const char *meta;          /* the line under the title (date, author, cluster); may be NULL */
	const char *lead;          /* plain text; may be NULL or "" */
	const char *body_md;       /* Markdown */
	const char *url;           /* the article's address, printed in the footer; may be NULL */
	const char *lang;          /* "pl" or "en": the language of the footer */
};

/* Appends s to the Pango markup m, escaped, with a zero-width space (U+200B)
 * before every character of a run without a space after its first 32
 * (counted on from the end of m; never before a combining mark, a
 * variation selector or a zero-width joiner, nor after a joiner, which
 * would part a letter from its mark or an emoji sequence): break
 * opportunities that keep the layout of a very long word linear in its
 * length (Pango's is quadratic without one) and let each of its lines be
 * filled to the width, while a word of up to 32 characters is never
 * broken. */
void pdf_markup_text(struct buf *m, const char *s);

/* Appends the PDF to out; *pages (may be NULL) gets the number of pages.
 * -1 with KERR_INTERNAL when cairo fails, KERR_TOOBIG when out is full. */
int pdf_article(const struct pdf_article *a, struct buf *out, int *pages, struct kerr *e);

/* Registers, once per process, the release at exit of the font caches of
 * Pango, cairo and fontconfig, so that a leak checker sees only real leaks:
 * for a server that draws (articles, maps) in its threads.  pdf_article
 * calls it; so does any other drawing of the server. */
void pdf_fonts_release_at_exit(void);

#endif
