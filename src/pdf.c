/* pdf.c — an article as a PDF (see pdf.h).
 *
 * The body is turned into a sequence of blocks (a piece of Pango markup
 * with a style, an indent and maybe a bullet) by walking cmark's tree;
 * each block is laid out by Pango at the width left by its indent and
 * placed line by line, starting a new page when a line does not fit.
 * Everything is done twice: once to count the pages, once to draw them
 * with "page N of M" in the footers. */
#include "pdf.h"

#include <pthread.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <cmark.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "esc.h"
#include "news.h"

/* A4 in points, and the text area */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define LEFT 62.0
#define RIGHT 62.0
#define TOP 60.0
#define BOTTOM 72.0                       /* the footer lives below */
#define TEXT_W (PAGE_W - LEFT - RIGHT)
#define INDENT 18.0                       /* per list or quote level */
#define MAX_DEPTH 24                      /* deeper nesting is drawn at this depth */

#define FONT "DejaVu Sans"
#define MONO "DejaVu Sans Mono"

struct style {
	const char *family;
	double size;                      /* points */
	int bold, italic, mono;
	double r, g, b;
	double before, after;             /* space around the block */
	int keep;                         /* keep with the next block (headings) */
};

static const struct style S_TITLE = { FONT, 20, 1, 0, 0, 0.08, 0.08, 0.1, 0, 6, 0 };
static const struct style S_META = { FONT, 9, 0, 0, 0, 0.35, 0.35, 0.38, 0, 10, 0 };
static const struct style S_LEAD = { FONT, 11.5, 1, 0, 0, 0.15, 0.15, 0.18, 0, 10, 0 };
static const struct style S_BODY = { FONT, 10.5, 0, 0, 0, 0.1, 0.1, 0.1, 0, 7, 0 };
static const struct style S_QUOTE = { FONT, 10.5, 0, 1, 0, 0.3, 0.3, 0.33, 0, 7, 0 };
static const struct style S_CODE = { MONO, 8.5, 0, 0, 1, 0.15, 0.15, 0.15, 2, 9, 0 };
static const struct style S_H[4] = {
	{ FONT, 16, 1, 0, 0, 0.08, 0.08, 0.1, 12, 5, 1 },
	{ FONT, 14, 1, 0, 0, 0.08, 0.08, 0.1, 11, 4, 1 },
	{ FONT, 12.5, 1, 0, 0, 0.08, 0.08, 0.1, 10, 3, 1 },
	{ FONT, 11, 1, 0, 0, 0.08, 0.08, 0.1, 9, 3, 1 },
};

struct flow {
	cairo_t *cr;                      /* NULL while counting pages */
	PangoContext *pc;
	double y;                         /* top of the next line */
	int page, pages;                  /* current (1-based) and total (drawing pass) */
	int blank;                        /* nothing on the page yet */
	const struct pdf_article *a;
};

/* ---- placing text ---- */

static void footer(struct flow *f)
{
	PangoLayout *l;
	PangoFontDescription *fd;
	char text[160];
	int w, h;
	if (!f->cr)
		return;
	cairo_set_source_rgb(f->cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(f->cr, 0.5);
	cairo_move_to(f->cr, LEFT, PAGE_H - BOTTOM + 22);
	cairo_line_to(f->cr, PAGE_W - RIGHT, PAGE_H - BOTTOM + 22);
	cairo_stroke(f->cr);
	fd = pango_font_description_from_string(FONT " 8");
	l = pango_layout_new(f->pc);
	pango_layout_set_font_description(l, fd);
	cairo_set_source_rgb(f->cr, 0.35, 0.35, 0.38);
	/* the address on the left, cut to the room there is */
	pango_layout_set_width(l, (int)((TEXT_W - 110) * PANGO_SCALE));
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_MIDDLE);
	pango_layout_set_text(l, f->a->url && *f->a->url ? f->a->url : "klaster", -1);
	cairo_move_to(f->cr, LEFT, PAGE_H - BOTTOM + 28);
	pango_cairo_show_layout(f->cr, l);
	snprintf(text, sizeof(text), f->a->lang && f->a->lang[0] == 'e' ? "Page %d of %d" : "Strona %d z %d", f->page,
		 f->pages);
	pango_layout_set_width(l, -1);
	pango_layout_set_text(l, text, -1);
	pango_layout_get_size(l, &w, &h);
	cairo_move_to(f->cr, PAGE_W - RIGHT - (double)w / PANGO_SCALE, PAGE_H - BOTTOM + 28);
	pango_cairo_show_layout(f->cr, l);
	g_object_unref(l);
	pango_font_description_free(fd);
}

static void new_page(struct flow *f)
{
	footer(f);
	if (f->cr)
		cairo_show_page(f->cr);
	f->page++;
	f->y = TOP;
	f->blank = 1;
}

static PangoLayout *make_layout(struct flow *f, const char *markup, const struct style *s, double width)
{
	PangoLayout *l = pango_layout_new(f->pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, s->family);
	pango_font_description_set_absolute_size(fd, s->size * PANGO_SCALE);
	pango_font_description_set_weight(fd, s->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, s->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_spacing(l, (int)(s->size * 0.25 * PANGO_SCALE));
	/* our markup is always well formed; should it ever not be, the text
	 * still shows (as it was written) rather than nothing */
	if (pango_parse_markup(markup, -1, 0, NULL, NULL, NULL, NULL))
		pango_layout_set_markup(l, markup, -1);
	else
		pango_layout_set_text(l, markup, -1);
	return l;
}

/* Lays out one block at indent and places its lines; bullet (may be NULL)
 * goes left of the first line. */
static void block(struct flow *f, const char *markup, const struct style *s, double indent, const char *bullet)
{
	double width = TEXT_W - indent, bottom = PAGE_H - BOTTOM;
	PangoLayout *l;
	PangoLayoutIter *it;
	int first = 1;

	if (width < 72)
		width = 72;
	l = make_layout(f, markup, s, width);
	if (!f->blank)
		f->y += s->before;
	if (s->keep && !f->blank) {
		/* a heading needs its first line and about three lines of text below */
		int w, h;
		pango_layout_get_size(l, &w, &h);
		if (f->y + (double)h / PANGO_SCALE + 3 * S_BODY.size * 1.5 > bottom)
			new_page(f);
	}
	it = pango_layout_get_iter(l);
	do {
		PangoRectangle logical;
		double h, base;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		h = (double)logical.height / PANGO_SCALE;
		base = (double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
		if (f->y + h > bottom && !f->blank)
			new_page(f);
		if (f->cr) {
			cairo_set_source_rgb(f->cr, s->r, s->g, s->b);
			if (first && bullet) {
				PangoLayout *bl = make_layout(f, bullet, s, -1);
				int bw, bh;
				pango_layout_get_size(bl, &bw, &bh);
				cairo_move_to(f->cr, LEFT + indent - 5 - (double)bw / PANGO_SCALE, f->y);
				pango_cairo_show_layout(f->cr, bl);
				g_object_unref(bl);
			}
			cairo_move_to(f->cr, LEFT + indent + (double)logical.x / PANGO_SCALE, f->y + base);
			pango_cairo_show_layout_line(f->cr, pango_layout_iter_get_line_readonly(it));
		}
		f->y += h;
		f->blank = 0;
		first = 0;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	f->y += s->after;
}

static void rule(struct flow *f, double indent, double before, double after)
{
	if (f->y + before + after > PAGE_H - BOTTOM)
		new_page(f);
	if (!f->blank)
		f->y += before;
	if (f->cr) {
		cairo_set_source_rgb(f->cr, 0.7, 0.7, 0.7);
		cairo_set_line_width(f->cr, 0.7);
		cairo_move_to(f->cr, LEFT + indent, f->y);
		cairo_line_to(f->cr, PAGE_W - RIGHT, f->y);
		cairo_stroke(f->cr);
	}
	f->y += after;
	f->blank = 0;
}

/* ---- the body: cmark's tree to blocks ---- */

/*
 * Pango markup is XML: esc_html's entities (&amp; &lt; &gt; &quot; &#39;)
 * are valid in it.  A run of text without a space longer than WORD_RUN
 * characters gets a zero-width space (U+200B, a break opportunity that
 * prints nothing) before each of its characters after the first WORD_RUN:
 * Pango's search for a break in a run that has none takes time growing
 * with the square of its length (an unbroken 90,000-character word took
 * 15 s), and a URL or a word that long is broken by the width anyway.  An
 * opportunity at every character fills each line of such a word (one
 * every WORD_RUN characters left up to WORD_RUN - 1 of them unused at the
 * end of a line); the first WORD_RUN characters have none, so a long word
 * begins at the end of a line only when a good part of it fits there.  The
 * run is counted on from the end of the markup so far (a word cut by
 * emphasis into many short texts still gets its breaks).
 */
#define WORD_RUN 32

/* 1 when s begins with a character that belongs to the one before it, so that a break before
 * it would part them: a combining mark (U+0300–U+036F: the ogonek and the acute of Polish
 * letters written decomposed, "a" U+0328, as text pasted from some systems is; U+1AB0–U+1AFF,
 * U+1DC0–U+1DFF, U+20D0–U+20FF, U+FE20–U+FE2F), a variation selector (U+FE00–U+FE0F) or a
 * zero-width joiner (U+200D). */
static int combining_mark(const unsigned char *s)
{
	unsigned cp;
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80)
		cp = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	else if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
		cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	else
		return 0;
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	       (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE2F) || cp == 0x200D;
}

void pdf_markup_text(struct buf *m, const char *s)
{
	size_t run = 0, k, start = 0, n = strlen(s);
	/* the characters at the end of m since its last space (tags and the breaks put there
	 * count: more breaks, never fewer) */
	for (k = m->len; k > 0 && run < WORD_RUN; k--) {
		unsigned char c = (unsigned char)m->ptr[k - 1];
		if (c == ' ' || c == '\n' || c == '\t')
			break;
		run += (c & 0xC0) != 0x80;
	}
	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c == ' ' || c == '\n' || c == '\t') {
			run = 0;
			continue;
		}
		if ((c & 0xC0) == 0x80)
			continue;   /* inside a character */
		if (run >= WORD_RUN && !combining_mark((const unsigned char *)s + k) &&
		    !(k >= 3 && memcmp(s + k - 3, "\xe2\x80\x8d", 3) == 0)) {
			/* before this character (not between a letter and its mark, nor after a joiner) */
			esc_html_n(m, s + start, k - start);
			buf_puts(m, "\xe2\x80\x8b");
			start = k;
		}
		run++;
	}
	esc_html_n(m, s + start, n - start);
}

static void mk_text(struct buf *m, const char *s)
{
	pdf_markup_text(m, s);
}

/* Whether markup a (na bytes) and b (nb) are the same text but for the zero-width spaces
 * pdf_markup_text put in each (at other places: each counts its run from where it began). */
static int same_but_breaks(const char *a, size_t na, const char *b, size_t nb)
{
	static const char zw[] = "\xe2\x80\x8b";
	size_t i = 0, j = 0;
	for (;;) {
		while (na - i >= 3 && memcmp(a + i, zw, 3) == 0)
			i += 3;
		while (nb - j >= 3 && memcmp(b + j, zw, 3) == 0)
			j += 3;
		if (i == na || j == nb)
			return i == na && j == nb;
		if (a[i++] != b[j++])
			return 0;
	}
}

struct walk {
	struct buf m;                     /* markup of the current block */
	int in_block;                     /* collecting inlines */
	int depth;                        /* lists and quotes around */
	int quote;                        /* inside a block quote */
	int counter[MAX_DEPTH + 1];       /* next number of each ordered list */
	int ordered[MAX_DEPTH + 1];
	int tight[MAX_DEPTH + 1];
	char bullet[32];                  /* for the first block of an item */
	size_t link_start;                /* where a link's text began in m */
};

static double indent_of(const struct walk *w)
{
	return (w->depth > MAX_DEPTH ? MAX_DEPTH : w->depth) * INDENT;
}

static const char *take_bullet(struct walk *w)
{
	return w->bullet[0] ? w->bullet : NULL;
}

static void emit(struct flow *f, struct walk *w, const struct style *s)
{
	struct style st = *s;
	int d = w->depth > MAX_DEPTH ? MAX_DEPTH : w->depth;
	if (w->quote && !s->mono && !s->keep)
		st = S_QUOTE;
	/* paragraphs of a tight list sit close together */
	if (d > 0 && w->tight[d] && !s->keep && !s->mono)
		st.after = 2.5;
	block(f, w->m.len ? w->m.ptr : "", &st, indent_of(w), take_bullet(w));
	w->bullet[0] = '\0';
	buf_reset(&w->m);
}

static void body(struct flow *f, const char *md)
{
	cmark_node *doc = cmark_parse_document(md ? md : "", md ? strlen(md) : 0,
					       CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	cmark_iter *it;
	cmark_event_type ev;
	struct walk w;
	if (!doc)
		return;
	memset(&w, 0, sizeof(w));
	buf_init(&w.m, 0);
	it = cmark_iter_new(doc);
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER, d;
		const char *u;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_BLOCK_QUOTE:
			w.depth += enter ? 1 : -1;
			w.quote += enter ? 1 : -1;
			if (enter && w.depth <= MAX_DEPTH)
				w.tight[w.depth] = 0;
			break;
		case CMARK_NODE_LIST:
			w.depth += enter ? 1 : -1;
			if (enter && w.depth <= MAX_DEPTH) {
				w.ordered[w.depth] = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
				w.counter[w.depth] = cmark_node_get_list_start(n);
				w.tight[w.depth] = cmark_node_get_list_tight(n);
			}
			if (!enter)
				f->y += 4;
			break;
		case CMARK_NODE_ITEM:
			if (!enter)
				break;
			d = w.depth > MAX_DEPTH ? MAX_DEPTH : w.depth;
			if (w.ordered[d])
				snprintf(w.bullet, sizeof(w.bullet), "%d.", w.counter[d]++);
			else
				snprintf(w.bullet, sizeof(w.bullet), "%s", d % 2 ? "•" : "◦");
			/* an item with no block of its own still shows its bullet */
			if (!cmark_node_first_child(n)) {
				buf_reset(&w.m);
				emit(f, &w, &S_BODY);
			}
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (enter) {
				buf_reset(&w.m);
				w.in_block = 1;
			} else {
				int level = cmark_node_get_type(n) == CMARK_NODE_HEADING ? cmark_node_get_heading_level(n) : 0;
				w.in_block = 0;
				emit(f, &w, level ? &S_H[level > 4 ? 3 : level - 1] : &S_BODY);
			}
			break;
		case CMARK_NODE_CODE_BLOCK: {
			const char *lit = cmark_node_get_literal(n);
			size_t len = lit ? strlen(lit) : 0;
			struct buf tmp = BUF_INIT;
			while (len && lit[len - 1] == '\n')
				len--;
			buf_add(&tmp, lit ? lit : "", len);
			buf_reset(&w.m);
			mk_text(&w.m, tmp.ptr);
			buf_release(&tmp);
			emit(f, &w, &S_CODE);
			break;
		}
		case CMARK_NODE_THEMATIC_BREAK:
			rule(f, indent_of(&w), 6, 10);
			break;
		case CMARK_NODE_TEXT:
			mk_text(&w.m, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_CODE:
			buf_puts(&w.m, "<tt>");
			mk_text(&w.m, cmark_node_get_literal(n));
			buf_puts(&w.m, "</tt>");
			break;
		case CMARK_NODE_SOFTBREAK:
			buf_putc(&w.m, ' ');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_putc(&w.m, '\n');
			break;
		case CMARK_NODE_EMPH:
			buf_puts(&w.m, enter ? "<i>" : "</i>");
			break;
		case CMARK_NODE_STRONG:
			buf_puts(&w.m, enter ? "<b>" : "</b>");
			break;
		case CMARK_NODE_LINK:
			u = cmark_node_get_url(n);
			if (enter) {
				buf_puts(&w.m, "<span foreground=\"#1d4e89\" underline=\"single\">");
				w.link_start = w.m.len;
			} else {
				/* the address follows the text, unless the text is the address */
				struct buf ue = BUF_INIT;
				mk_text(&ue, u);
				buf_puts(&w.m, "</span>");
				if (u && *u && news_url_ok(u) &&
				    !same_but_breaks(w.m.ptr + w.link_start, w.m.len - 7 - w.link_start, ue.ptr, ue.len))
					html_printf(&w.m, " <span foreground=\"#555555\" size=\"smaller\">(%R)</span>", ue.ptr);
				buf_release(&ue);
			}
			break;
		case CMARK_NODE_IMAGE:
			u = cmark_node_get_url(n);
			if (enter) {
				buf_puts(&w.m, "<i>[");
			} else {
				buf_puts(&w.m, "]</i>");
				if (u && *u && news_url_ok(u)) {
					buf_puts(&w.m, " <span foreground=\"#555555\" size=\"smaller\">(");
					mk_text(&w.m, u);
					buf_puts(&w.m, ")</span>");
				}
			}
			break;
		default:
			/* the document, raw HTML, custom nodes */
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	buf_release(&w.m);
}

/* One pass over the whole article. */
static void article(struct flow *f)
{
	struct buf m = BUF_INIT;
	f->page = 1;
	f->y = TOP;
	f->blank = 1;
	mk_text(&m, f->a->title);
	block(f, m.ptr, &S_TITLE, 0, NULL);
	if (f->a->meta && *f->a->meta) {
		buf_reset(&m);
		mk_text(&m, f->a->meta);
		block(f, m.ptr, &S_META, 0, NULL);
	}
	if (f->a->lead && *f->a->lead) {
		buf_reset(&m);
		mk_text(&m, f->a->lead);
		block(f, m.ptr, &S_LEAD, 0, NULL);
	}
	rule(f, 0, 0, 14);
	buf_release(&m);
	body(f, f->a->body_md);
	footer(f);
}

/* At exit, after the last PDF: the font caches of Pango (this thread's
 * font map; other threads' go when they end), cairo and fontconfig are
 * released, so a leak checker sees only real leaks. */
static void release_fonts(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}

static pthread_once_t release_once = PTHREAD_ONCE_INIT;

static void register_release(void)
{
	atexit(release_fonts);
}

void pdf_fonts_release_at_exit(void)
{
	pthread_once(&release_once, register_release);
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
	struct buf *out = closure;
	buf_add(out, data, length);
	return buf_failed(out) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

int pdf_article(const struct pdf_article *a, struct buf *out, int *pages, struct kerr *e)
{
	struct flow f;
	cairo_surface_t *s;
	cairo_font_options_t *fo;
	cairo_status_t st;
	int rc = -1;

	pdf_fonts_release_at_exit();
	memset(&f, 0, sizeof(f));
	f.a = a;
	/* one context for both passes, so both break the lines alike */
	f.pc = pango_font_map_create_context(pango_cairo_font_map_get_default());
	pango_cairo_context_set_resolution(f.pc, 72.0);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(f.pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_language(f.pc, pango_language_from_string(a->lang && a->lang[0] == 'e' ? "en" : "pl"));

	article(&f);                      /* counting */
	f.pages = f.page;
	s = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, a->title ? a->title : "");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "klaster");
	f.cr = cairo_create(s);
	article(&f);                      /* drawing */
	st = cairo_status(f.cr);
	cairo_destroy(f.cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	g_object_unref(f.pc);
	if (buf_failed(out))
		kerr_set(e, KERR_TOOBIG, "the PDF is larger than the response may be");
	else if (st != CAIRO_STATUS_SUCCESS)
		kerr_set(e, KERR_INTERNAL, "cannot draw the PDF: %s", cairo_status_to_string(st));
	else
		rc = 0;
	if (pages)
		*pages = f.pages;
	return rc;
}
