/* draw.c — choropleth maps with cairo (see draw.h). */
#include "draw.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <errno.h>
#include <math.h>

#include "buf.h"
#include "esc.h"
#include "indic.h"
#include "outfile.h"

/* ColorBrewer "YlGnBu"-like sequential ramp, light to dark; index by
 * class within the number of classes used. */
/* Twelve distinguishable colours for clusters of points (ColorBrewer
 * "Paired", dark first); cluster k gets colour k mod 12. */
static const double categorical[12][3] = {
	{ 0.122, 0.471, 0.706 }, { 0.200, 0.627, 0.173 }, { 0.890, 0.102, 0.110 }, { 1.000, 0.498, 0.000 },
	{ 0.416, 0.239, 0.604 }, { 0.694, 0.349, 0.157 }, { 0.651, 0.808, 0.890 }, { 0.698, 0.875, 0.541 },
	{ 0.984, 0.604, 0.600 }, { 0.992, 0.749, 0.435 }, { 0.792, 0.698, 0.839 }, { 0.600, 0.600, 0.200 },
};

/* The same colours for SVG written by hand (draw_cluster_colour). */
static const char *const categorical_hex[12] = {
	"#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#6a3d9a", "#b15928",
	"#a6cee3", "#b2df8a", "#fb9a99", "#fdbf6f", "#cab2d6", "#999933",
};

const char *draw_cluster_colour(long k)
{
	return k < 0 ? "#8c8c8c" : categorical_hex[k % 12];
}

static const double ramp[DRAW_MAX_CLASSES][3] = {
	{ 1.000, 1.000, 0.851 }, { 0.929, 0.973, 0.694 }, { 0.780, 0.914, 0.706 },
	{ 0.498, 0.804, 0.733 }, { 0.255, 0.714, 0.769 }, { 0.114, 0.569, 0.753 },
	{ 0.133, 0.369, 0.659 }, { 0.145, 0.204, 0.580 }, { 0.031, 0.114, 0.345 },
};

int draw_format_by_name(const char *name, enum draw_format *out)
{
	static const struct {
		const char *name;
		enum draw_format fmt;
	} names[] = { { "svg", DRAW_SVG }, { "png", DRAW_PNG }, { "pdf", DRAW_PDF } };
	size_t i;
	for (i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(names[i].name, name) == 0) {
			*out = names[i].fmt;
			return 0;
		}
	return -1;
}

int draw_format_for_path(const char *path, enum draw_format *out)
{
	const char *end = outfile_ending(path);
	if (!*end) {
		*out = DRAW_SVG;
		return 0;
	}
	return draw_format_by_name(end, out);
}

/* cairo's writer into a buffer (an SVG, finished by svg_finish). */
static cairo_status_t write_to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, (const char *)data, len);
	return buf_failed(closure) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/*
 * Writes cairo's SVG (svg, len bytes) to f with a <title> and <desc> (the
 * map's title, subtitle and source) after the opening tag, for the
 * programs that name or describe a picture, and the transparent text layer
 * (texts) before the end.  0, or -1 on a write error.
 */
static int svg_finish(const char *svg, size_t len, const struct choropleth *m, const struct buf *texts, FILE *f)
{
	struct buf head = BUF_INIT, tail = BUF_INIT;
	/* svg is text, NUL-terminated (buf.h) */
	const char *open = strstr(svg, "<svg"), *gt = open ? strchr(open, '>') : NULL;
	const char *end = NULL, *p;
	size_t at, rest;
	int rc;
	for (p = svg; (p = strstr(p, "</svg>")) != NULL; p += 6)
		end = p;
	if (!gt || !end || end < gt)
		return fwrite(svg, 1, len, f) == len ? 0 : -1;
	buf_puts(&head, "\n<title>");
	esc_html(&head, m->title ? m->title : "Map");
	buf_puts(&head, "</title>");
	if (m->subtitle || m->source) {
		buf_puts(&head, "<desc>");
		if (m->subtitle)
			esc_html(&head, m->subtitle);
		if (m->subtitle && m->source)
			buf_puts(&head, " — ");
		if (m->source)
			esc_html(&head, m->source);
		buf_puts(&head, "</desc>");
	}
	buf_printf(&tail, "<g font-family=\"DejaVu Sans\" fill=\"#000\" fill-opacity=\"0\">\n%s</g>\n",
		   texts->ptr ? texts->ptr : "");
	at = (size_t)(gt + 1 - svg);
	rest = (size_t)(end - svg);
	rc = fwrite(svg, 1, at, f) != at || fwrite(head.ptr, 1, head.len, f) != head.len ||
	     fwrite(svg + at, 1, rest - at, f) != rest - at || fwrite(tail.ptr, 1, tail.len, f) != tail.len ||
	     fwrite(svg + rest, 1, len - rest, f) != len - rest || buf_failed(&head) || buf_failed(&tail) ? -1 : 0;
	buf_release(&head);
	buf_release(&tail);
	return rc;
}

/* cairo's writer into a FILE, keeping why a write failed: cairo itself says only "error while
 * writing to output stream", not that the disk is full. */
struct file_writer {
	FILE *f;
	int err;                    /* the errno of the first write that failed, or 0 */
};

static cairo_status_t write_to_file(void *closure, const unsigned char *data, unsigned int len)
{
	struct file_writer *w = closure;
	errno = 0;
	if (fwrite(data, 1, len, w->f) == len)
		return CAIRO_STATUS_SUCCESS;
	if (!w->err)
		w->err = errno ? errno : EIO;
	return CAIRO_STATUS_WRITE_ERROR;
}

/* Why a write failed, for "cannot draw FILE: …": errno's words when known, else cairo's. */
static const char *write_failure(int err, cairo_status_t st)
{
	return err ? strerror(err) : cairo_status_to_string(st);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int draw_quantile_breaks(const double *v, size_t n, int k, double *breaks)
{
	double *s;
	size_t m = 0, i;
	int j, nb = 0;
	ALLOC_ARRAY(s, n ? n : 1);
	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			s[m++] = v[i];
	if (!m) {
		free(s);
		return -1;
	}
	qsort(s, m, sizeof(*s), cmp_double);
	for (j = 1; j < k; j++) {
		double h = (double)(m - 1) * j / k, lo = floor(h);
		size_t a = (size_t)lo, b = a + 1 < m ? a + 1 : a;
		double q = s[a] + (h - lo) * (s[b] - s[a]);
		if (nb == 0 || q > breaks[nb - 1])
			breaks[nb++] = q;
	}
	free(s);
	return nb;
}

/* Entry k (from 1) of breaks s is empty: the message names it, where it is, and s without its
 * empty entries to write instead. */
static int breaks_empty(const char *opt, const char *s, int k, struct kerr *e)
{
	struct buf fix = BUF_INIT;
	const char *p = s, *q, *where;
	int i, last = 1;
	for (;;) {
		size_t len;
		q = strchr(p, ',');
		len = q ? (size_t)(q - p) : strlen(p);
		if (len) {
			if (fix.len)
				buf_add(&fix, ",", 1);
			buf_add(&fix, p, len);
		}
		if (!q)
			break;
		p = q + 1;
	}
	for (i = 1, p = s; (q = strchr(p, ',')) != NULL; p = q + 1)
		if (++i > k)
			last = 0;
	where = k == 1 ? "before the first comma" : last ? "after the last comma" : "between two commas";
	if (fix.len)
		kerr_set(e, KERR_USAGE, "%s '%s': value %d is empty (%s): write the breaks separated by single "
			 "commas (%s '%s')", opt, s, k, where, opt, fix.ptr ? fix.ptr : "");
	else
		kerr_set(e, KERR_USAGE, "%s '%s': value %d is empty (%s): give at least one number", opt, s, k,
			 where);
	buf_release(&fix);
	return -1;
}

int draw_parse_breaks(const char *opt, const char *s, double *breaks, int max, int *n, struct kerr *e)
{
	const char *p = s;
	*n = 0;
	if (!*s)
		return kerr_set(e, KERR_USAGE, "%s: give at least one value", opt);
	for (;;) {
		char *end;
		const char *q;
		double d;
		if (!*p || *p == ',')
			return breaks_empty(opt, s, *n + 1, e);
		/* decimal numbers only: strtod also reads hexadecimal, "inf" and "nan" */
		for (q = p; *q && *q != ','; q++)
			if (!isdigit((unsigned char)*q) && !strchr("+-.eE", *q))
				return kerr_set(e, KERR_USAGE, "%s '%s': expected decimal numbers separated by "
						"commas", opt, s);
		errno = 0;
		d = strtod(p, &end);
		if (end == p || !isfinite(d) || (*end && *end != ','))
			return kerr_set(e, KERR_USAGE, "%s '%s': expected numbers separated by commas", opt, s);
		if (errno == ERANGE)
			return kerr_set(e, KERR_USAGE, "%s '%s': %.*s is out of the range of numbers", opt, s,
					(int)(end - p), p);
		if (*n == max)
			return kerr_set(e, KERR_USAGE, "%s '%s': at most %d values", opt, s, max);
		if (*n && d <= breaks[*n - 1])
			return kerr_set(e, KERR_USAGE, "%s '%s': values must increase", opt, s);
		breaks[(*n)++] = d;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

int draw_value_range(const double *v, size_t n, double *lo, double *hi)
{
	size_t i;
	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; v && i < n; i++)
		if (isfinite(v[i])) {
			*lo = fmin(*lo, v[i]);
			*hi = fmax(*hi, v[i]);
		}
	return isfinite(*lo);
}

int draw_trim_breaks(const double *v, size_t n, double *br, int nb)
{
	double low, top;
	draw_value_range(v, n, &low, &top);
	/* a break within the rules' tie of the greatest value is at it: an LQ of 1 computed as
	 * 0.9999999999999998 beside LQs of 1 is one value (INDIC_TIE), not a class of its own */
	while (nb > 0 && br[nb - 1] >= top - INDIC_TIE * fabs(top))
		nb--;
	return nb;
}

int draw_class_of(double v, const double *breaks, int nb, int lower_closed)
{
	int c = 0;
	while (c < nb && (lower_closed ? v >= breaks[c] : v > breaks[c]))
		c++;
	return c;
}

static double min_of(const double *v, size_t n)
{
	double m = INFINITY;
	size_t i;
	for (i = 0; i < n; i++)
		m = fmin(m, v[i]);
	return m;
}

int draw_diverging_breaks(const double *v, size_t n, int k, double *breaks)
{
	double *neg, *pos, q[DRAW_MAX_CLASSES];
	size_t nn = 0, np = 0, i;
	int kneg, kpos, nb = 0, j, nq;
	if (k < 2)
		k = 2;
	if (k > DRAW_MAX_CLASSES)
		k = DRAW_MAX_CLASSES;
	ALLOC_ARRAY(neg, n ? n : 1);
	ALLOC_ARRAY(pos, n ? n : 1);
	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (v[i] < 0)
			neg[nn++] = v[i];
		else
			pos[np++] = v[i];
	}
	if (!nn && !np) {
		free(neg);
		free(pos);
		return -1;
	}
	kneg = k / 2;
	kpos = k - kneg;
	if (!nn) {
		kneg = 1;
		kpos = k - 1;
	} else if (!np) {
		kpos = 1;
		kneg = k - 1;
	}
	/* no more classes on a side than it has shades: two classes must never share a colour */
	if (kneg > DRAW_DIVERGING_SIDE)
		kneg = DRAW_DIVERGING_SIDE;
	if (kpos > DRAW_DIVERGING_SIDE)
		kpos = DRAW_DIVERGING_SIDE;
	/* breaks begin their classes: a break at a side's least value would leave the class below it
	 * empty, and is dropped (one region below 0 is one class, not an empty one and its own) */
	nq = kneg > 1 ? draw_quantile_breaks(neg, nn, kneg, q) : 0;
	for (j = 0; j < nq; j++)
		if (q[j] > min_of(neg, nn))
			breaks[nb++] = q[j];   /* all below 0: quantiles of negative values */
	breaks[nb++] = 0;
	nq = kpos > 1 ? draw_quantile_breaks(pos, np, kpos, q) : 0;
	for (j = 0; j < nq; j++)
		if (q[j] > breaks[nb - 1] && q[j] > min_of(pos, np))   /* a quantile of 0 is the 0 above */
			breaks[nb++] = q[j];
	free(neg);
	free(pos);
	return nb;
}

/* ColorBrewer RdBu (8 classes without the white middle): four reds, dark to light, then four
 * blues, light to dark; with the same colours as numbers for cairo. */
static const char *const diverging_hex[8] = {
	"#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac",
};
static const double diverging_rgb[8][3] = {
	{ 0.698, 0.094, 0.169 }, { 0.839, 0.376, 0.302 }, { 0.957, 0.647, 0.510 }, { 0.992, 0.859, 0.780 },
	{ 0.820, 0.898, 0.941 }, { 0.573, 0.773, 0.871 }, { 0.263, 0.576, 0.765 }, { 0.129, 0.400, 0.675 },
};

/* The palette index of class cls (diverging_hex). */
static int diverging_index(int cls, const double *br, int nb)
{
	int z = 0, nneg, npos, d, n, s;
	while (z < nb && br[z] < 0)
		z++;
	/* breaks begin their classes: with br[z] == 0, classes 0..z end at or below 0 */
	nneg = z < nb && br[z] == 0 ? z + 1 : z;
	npos = nb + 1 - nneg;
	if (cls < nneg) {
		d = nneg - cls;     /* 1: the class nearest 0 */
		n = nneg;
	} else {
		d = cls - nneg + 1;
		n = npos;
	}
	/* spread the side's classes over its four shades, light near 0 */
	s = n <= 1 ? 2 : 1 + (d - 1) * 3 / (n - 1);
	return cls < nneg ? 4 - s : 3 + s;
}

const char *draw_diverging_fill(int cls, const double *br, int nb)
{
	return diverging_hex[diverging_index(cls, br, nb)];
}

int draw_whole_breaks(double *br, int n)
{
	int i, m = 0;
	for (i = 0; i < n; i++) {
		double f = floor(br[i]);
		if (!m || f > br[m - 1])
			br[m++] = f;
	}
	return m;
}

int draw_break_decimals(const double *br, int n)
{
	return draw_break_decimals_of(br, n, 0);
}

int draw_break_decimals_of(const double *br, int n, int whole)
{
	double least = 0;
	int i, d;
	for (i = 0; i < n; i++)
		if (isfinite(br[i]) && br[i] != 0 && (least == 0 || fabs(br[i]) < least))
			least = fabs(br[i]);
	if (whole || least == 0 || least >= 100)
		d = 0;
	else
		d = 2 - (int)floor(log10(least));
	if (d < 0)
		d = 0;
	for (; d < 8; d++) {
		/* neighbouring bounds must read differently */
		char a[64], b[64];
		for (i = 1; i < n; i++) {
			snprintf(a, sizeof(a), "%.*f", d, br[i - 1]);
			snprintf(b, sizeof(b), "%.*f", d, br[i]);
			if (strcmp(a, b) == 0)
				break;
		}
		if (i >= n)
			break;
	}
	return d > 8 ? 8 : d;
}

/* The decimals that give v three significant digits: none from 100 up, at most 8. */
static int sig_decimals(double v)
{
	int d;
	if (v == 0 || !isfinite(v) || fabs(v) >= 100)
		return 0;
	d = 2 - (int)floor(log10(fabs(v)));
	return d > 8 ? 8 : d;
}

/* The fewest decimals (at most 8) that write a and b differently. */
static int apart_decimals(double a, double b)
{
	char x[64], y[64];
	int d;
	if (!(fabs(a) < 1e15 && fabs(b) < 1e15))
		return 0;   /* written with %.15g (draw_num_text) */
	for (d = 0; d < 8; d++) {
		snprintf(x, sizeof(x), "%.*f", d, a);
		snprintf(y, sizeof(y), "%.*f", d, b);
		if (strcmp(x, y) != 0)
			break;
	}
	return d;
}

/*
 * The bounds br[0..n) of a legend as it writes them, into out[0..n), each
 * by one rule: three significant digits (every whole digit from 100 up),
 * more where a neighbour would read the same, and no trailing zeros —
 * `0.8`, `1.2`, `2`, `1,000,000`, `−0.0001`; in the style's decimal mark.
 */
static void bound_texts(const double *br, int n, char (*out)[52], enum draw_numstyle style)
{
	int i;
	for (i = 0; i < n; i++) {
		char t[64];
		size_t len;
		int d = sig_decimals(br[i]), k;
		if (i > 0 && (k = apart_decimals(br[i - 1], br[i])) > d)
			d = k;
		if (i + 1 < n && (k = apart_decimals(br[i], br[i + 1])) > d)
			d = k;
		if (fabs(br[i]) < 1e15) {
			/* the decimals without the zeros that end them: the same number, shorter */
			snprintf(t, sizeof(t), "%.*f", d, br[i]);
			for (len = strlen(t); d > 0 && t[len - 1] == '0'; len--)
				d--;
		}
		draw_num_text(out[i], sizeof(out[i]), br[i], d, style);
	}
}

void draw_class_labels(char (*labels)[112], const double *br, int nb, int whole, int lower_closed,
		       enum draw_numstyle style)
{
	char a[52], b[52], (*num)[52];
	int c;
	if (nb <= 0) {
		labels[0][0] = '\0';   /* one class, no bound: draw_range_label names it */
		return;
	}
	if (whole) {
		/* the whole numbers of each class: floor(br[c-1]) + 1 .. floor(br[c]) */
		for (c = 0; c + 1 < nb && whole; c++)
			if (floor(br[c + 1]) < floor(br[c]) + 1)
				whole = 0;   /* a class without a whole number: write the bounds */
	}
	if (whole) {
		for (c = 0; c <= nb; c++) {
			double lo = c ? floor(br[c - 1]) + 1 : 0, hi = c < nb ? floor(br[c]) : 0;
			draw_num_text(a, sizeof(a), lo, 0, style);
			draw_num_text(b, sizeof(b), hi, 0, style);
			if (c == 0)
				snprintf(labels[c], 112, "≤ %s", b);
			else if (c == nb)
				snprintf(labels[c], 112, "≥ %s", a);
			else if (lo == hi)
				snprintf(labels[c], 112, "%s", a);
			else
				snprintf(labels[c], 112, "%s–%s", a, b);
		}
		return;
	}
	num = xcalloc((size_t)nb, sizeof(*num));
	bound_texts(br, nb, num, style);
	for (c = 0; c <= nb; c++) {
		if (c > 0)
			snprintf(a, sizeof(a), "%s", num[c - 1]);
		if (c < nb)
			snprintf(b, sizeof(b), "%s", num[c]);
		if (lower_closed && c == 0)
			snprintf(labels[c], 112, "< %s", b);
		else if (lower_closed && c == nb)
			snprintf(labels[c], 112, "≥ %s", a);
		else if (lower_closed)
			snprintf(labels[c], 112, "%s – < %s", a, b);
		else if (c == 0)
			snprintf(labels[c], 112, "≤ %s", b);
		else if (c == nb)
			snprintf(labels[c], 112, "> %s", a);
		else
			snprintf(labels[c], 112, "%s–%s", a, b);
	}
	free(num);
}

void draw_range_label(char *out, size_t n, double lo, double hi, enum draw_numstyle style)
{
	double br[2] = { lo, hi };
	char num[2][52];
	int one = lo == hi || (hi > lo && hi - lo <= INDIC_TIE * fmax(fabs(lo), fabs(hi)));   /* tied: one value */
	if (one)
		br[0] = hi;
	bound_texts(br, one ? 1 : 2, num, style);
	if (one)
		snprintf(out, n, "%s", num[0]);
	else
		snprintf(out, n, "%s–%s", num[0], num[1]);
}

void draw_num_text(char *out, size_t n, double v, int dec, enum draw_numstyle style)
{
	char t[64], *p, *dot;
	const char *group = style == DRAW_NUM_PL ? "\u00a0" : ",";
	size_t nint, k, o = 0;
	if (dec < 0)
		dec = 0;
	if (dec > 9)
		dec = 9;
	if (!isfinite(v) || fabs(v) >= 1e15) {
		/* beyond what a table shows digit by digit: 15 significant digits, as they are */
		snprintf(out, n, "%.15g", v);
		return;
	}
	snprintf(t, sizeof(t), "%.*f", dec, v);
	if (strspn(t, "-0.") == strlen(t) && t[0] == '-')
		memmove(t, t + 1, strlen(t));   /* -0.00 */
	if (style == DRAW_NUM_PLAIN) {
		snprintf(out, n, "%s", t);
		return;
	}
	p = t[0] == '-' ? t + 1 : t;
	dot = strchr(p, '.');
	nint = dot ? (size_t)(dot - p) : strlen(p);
	if (n == 0)
		return;
	if (p != t) {
		if (n < 4) {
			out[0] = '\0';   /* no room for the sign: nothing rather than a wrong number */
			return;
		}
		memcpy(out + o, "\u2212", 3);   /* the minus sign, not the hyphen */
		o += 3;
	}
	for (k = 0; k < nint; k++) {
		/* Polish groups only from five digits on (2223, but 12\u00a0345) */
		if (k && (nint - k) % 3 == 0 && (style == DRAW_NUM_EN || nint > 4)) {
			size_t gl = strlen(group);
			if (o + gl < n) {
				memcpy(out + o, group, gl);
				o += gl;
			}
		}
		if (o + 1 < n)
			out[o++] = p[k];
	}
	if (dot) {
		if (o + 1 < n)
			out[o++] = style == DRAW_NUM_PL ? ',' : '.';
		for (k = 1; dot[k] && o + 1 < n; k++)
			out[o++] = dot[k];
	}
	out[o] = '\0';
}

/*
 * cairo's SVG surface draws text as glyph outlines: a reader of the SVG
 * could not select, search or hear it.  While an SVG is drawn, every text
 * drawn is also kept here as an SVG <text> element at the same place and
 * size; draw_choropleth lays them over the map, transparent, so that the
 * text is there for browsers, search and screen readers and the picture is
 * unchanged.  Attached to the cairo context as user data.
 */
static const cairo_user_data_key_t texts_key;

static void note_text(cairo_t *cr, double x, double y, double size, int bold, const char *s)
{
	struct buf *b = cairo_get_user_data(cr, &texts_key);
	if (!b || !*s)
		return;
	cairo_user_to_device(cr, &x, &y);
	buf_printf(b, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"%s>", x, y, size,
		   bold ? " font-weight=\"bold\"" : "");
	esc_html(b, s);
	buf_puts(b, "</text>\n");
}

static void text(cairo_t *cr, double x, double y, double size, int bold, const char *s)
{
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
	note_text(cr, x, y, size, bold, s);
}

/* The width of bytes s[0..n) in the current font. */
static double text_width(cairo_t *cr, char *buf, const char *s, size_t n)
{
	cairo_text_extents_t te;
	memcpy(buf, s, n);
	buf[n] = '\0';
	cairo_text_extents(cr, buf, &te);
	return te.x_advance;
}

/*
 * A paragraph of text with its top left at (x, y), wrapped at spaces to
 * width (a word wider than that is broken between characters): its
 * height.  At most max_lines lines (0: as many as it takes); a text cut
 * short ends its last line with "…".  Drawn only when draw is set (else
 * measured), so that the map can make room for a title or a source line
 * instead of cutting it at the edge.  Measured with cairo's own text API,
 * not Pango: Pango's font map (and the thread that loads its fonts)
 * outlives the map, and draw_shutdown releases cairo's and fontconfig's
 * caches, which must then be unused.
 */
static double para(cairo_t *cr, double x, double y, double width, double size, int bold, const char *s,
		   size_t max_lines, int draw)
{
	cairo_font_extents_t fe;
	size_t n = strlen(s), at = 0, lines = 0;
	char *buf = xmalloc(n + sizeof("…"));
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_font_extents(cr, &fe);
	for (;;) {
		size_t end, fit = 0, rest;
		int cut;
		while (at < n && s[at] == ' ')
			at++;
		if (at >= n)
			break;
		/* the most words that fit */
		for (end = at; end < n;) {
			size_t next = end;
			while (next < n && s[next] != ' ')
				next++;
			if (text_width(cr, buf, s + at, next - at) > width)
				break;
			fit = next;
			end = next;
			while (end < n && s[end] == ' ')
				end++;
		}
		if (!fit) {
			/* one word wider than the line: as many characters as fit, at least one */
			size_t k = at;
			fit = at;
			while (k < n && s[k] != ' ') {
				size_t k2 = k + 1;
				while (k2 < n && ((unsigned char)s[k2] & 0xC0) == 0x80)
					k2++;   /* a whole UTF-8 character */
				if (fit > at && text_width(cr, buf, s + at, k2 - at) > width)
					break;
				fit = k = k2;
			}
		}
		for (rest = fit; rest < n && s[rest] == ' '; rest++)
			;
		/* the last line allowed, with text after it: as many characters as fit before "…" */
		cut = max_lines && lines + 1 == max_lines && rest < n;
		if (cut) {
			size_t k = fit;
			for (;;) {
				while (k > at && s[k - 1] == ' ')
					k--;
				memcpy(buf, s + at, k - at);
				memcpy(buf + (k - at), "…", sizeof("…"));
				if (k == at || text_width(cr, buf, buf, strlen(buf)) <= width)
					break;
				do
					k--;   /* back one whole UTF-8 character */
				while (k > at && ((unsigned char)s[k] & 0xC0) == 0x80);
			}
		} else {
			memcpy(buf, s + at, fit - at);
			buf[fit - at] = '\0';
		}
		if (draw) {
			cairo_move_to(cr, x, y + (double)lines * fe.height + fe.ascent);
			cairo_show_text(cr, buf);
			note_text(cr, x, y + (double)lines * fe.height + fe.ascent, size, bold, buf);
		}
		lines++;
		at = fit;
		if (cut)
			break;
	}
	free(buf);
	return (double)lines * fe.height;
}

/* The height of a line of text of this size. */
static double line_height(cairo_t *cr, double size, int bold)
{
	cairo_font_extents_t fe;
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_font_extents(cr, &fe);
	return fe.height;
}

/*
 * Room of height room shared among n texts that need need[0..n): each gets
 * what it needs when all fit; else the room is shared evenly, and a text
 * that needs less than its share leaves the rest to the others.  The
 * heights given, into got[0..n).
 */
static void share_room(double room, const double *need, double *got, int n)
{
	int done[3] = { 0, 0, 0 }, left = n, i, more = 1;
	if (n > 3)
		BUG("share_room: %d texts", n);
	while (more && left > 0) {
		more = 0;
		for (i = 0; i < n; i++)
			if (!done[i] && need[i] <= room / left) {
				got[i] = need[i];
				room -= need[i];
				done[i] = 1;
				left--;
				more = 1;
			}
	}
	for (i = 0; i < n; i++)
		if (!done[i])
			got[i] = room / left;
}

/* The polygons of one feature as a cairo path (even-odd for holes). */
static void feature_path(cairo_t *cr, const struct geo_proj *p, const struct geo_feature *f)
{
	size_t k, r, i;
	for (k = 0; k < f->npolys; k++)
		for (r = 0; r < f->polys[k].nrings; r++) {
			const struct geo_ring *ring = &f->polys[k].rings[r];
			for (i = 0; i < ring->n; i++) {
				double x, y;
				geo_project(p, ring->xy[2 * i], ring->xy[2 * i + 1], &x, &y);
				if (i == 0)
					cairo_move_to(cr, x, y);
				else
					cairo_line_to(cr, x, y);
			}
			cairo_close_path(cr);
		}
}

/* Strokes the current path as a hot spot's outline (spot 1: red, solid) or a cold one's (-1:
 * blue, dashed) over a white halo, which keeps it apart from the darkest fills, and clears the
 * dash. */
static void spot_stroke(cairo_t *cr, int spot)
{
	static const double dash[] = { 5, 3 };
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, 4.6);
	cairo_stroke_preserve(cr);
	if (spot > 0)
		cairo_set_source_rgb(cr, 0.80, 0.05, 0.10);
	else
		cairo_set_source_rgb(cr, 0.05, 0.25, 0.60);
	cairo_set_dash(cr, dash, spot > 0 ? 0 : 2, 0);
	cairo_set_line_width(cr, 2.4);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

static void render(cairo_t *cr, const struct choropleth *m, double W, double H, const double *breaks, int nb)
{
	const double legend_h = 30 + 18.0 * (nb + 2) + (m->spots || m->cells ? 36 : 0), tw = W - 32;
	double top = 12, map_h, src_h = 0, lo, hi;
	struct geo_proj proj;
	size_t i, src_cap;
	int c, nclass = nb + 1, has_missing = 0;
	/* breaks the user chose are where classes begin: a value of 1 with --breaks 0.5,1,1.2 is in
	 * the class from 1 (LQ >= 1, as the rules read it); quantiles end their classes */
	int lower_closed = m->breaks && !m->class_labels;
	char word[64];   /* a word of the legend in the map's language */

	draw_value_range(m->values, m->layer->n, &lo, &hi);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.11, 0.15, 0.2);
	{
		/* title, subtitle and source line wrapped to the width, the map between them; texts
		 * too long to leave the map a quarter of the picture share the room left, each cut
		 * short with "…" (whole in the SVG's <title> and <desc> and the PDF's information),
		 * so that nothing drawn overlaps */
		const char *txt[3] = { m->title, m->subtitle, m->source };
		static const double size[3] = { 20, 13, 11 };
		double need[3] = { 0, 0, 0 }, got[3], lh[3];
		/* the margins above, between and below the texts: 10, 2, 8, and 8 under the source
		 * line or more, as the map reserves at least 24 for it */
		double room = H - legend_h - fmax(50, H / 4) - 10 - 2 - 8 - 16;
		size_t cap[3] = { 0, 0, 0 };
		int k;
		for (k = 0; k < 3; k++) {
			lh[k] = line_height(cr, size[k], k == 0);
			if (txt[k])
				need[k] = para(cr, 16, 0, tw, size[k], k == 0, txt[k], 0, 0);
		}
		share_room(room, need, got, 3);
		for (k = 0; k < 3; k++)
			if (txt[k] && got[k] < need[k])   /* at least one line: a name, if only a beginning */
				cap[k] = got[k] >= lh[k] ? (size_t)floor(got[k] / lh[k]) : 1;
		if (m->title || m->subtitle) {
			top = 10;
			if (m->title)
				top += para(cr, 16, top, tw, size[0], 1, m->title, cap[0], 1) + 2;
			if (m->subtitle)
				top += para(cr, 16, top, tw, size[1], 0, m->subtitle, cap[1], 1);
			top += 8;
		}
		if (m->source)
			src_h = para(cr, 16, 0, tw, size[2], 0, m->source, cap[2], 0) + 8;
		src_cap = cap[2];
	}
	map_h = H - top - legend_h - (src_h > 24 ? src_h : 24);
	if (map_h < 50)
		map_h = 50;
	{
		/* the frame: the regions with data, unless the whole layer is asked for */
		double bb[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
		for (i = 0; i < m->layer->n && !m->whole_layer; i++)
			if (isfinite(m->values[i])) {
				const double *fb = m->layer->f[i].bbox;
				bb[0] = fmin(bb[0], fb[0]);
				bb[1] = fmin(bb[1], fb[1]);
				bb[2] = fmax(bb[2], fb[2]);
				bb[3] = fmax(bb[3], fb[3]);
			}
		/* a map of points only: frame the points */
		if (!isfinite(bb[0]) && m->npoints && !m->whole_layer) {
			for (i = 0; i < m->npoints; i++) {
				bb[0] = fmin(bb[0], m->points[2 * i]);
				bb[1] = fmin(bb[1], m->points[2 * i + 1]);
				bb[2] = fmax(bb[2], m->points[2 * i]);
				bb[3] = fmax(bb[3], m->points[2 * i + 1]);
			}
			/* a little room around them */
			bb[0] -= 0.2;
			bb[1] -= 0.2;
			bb[2] += 0.2;
			bb[3] += 0.2;
		}
		if (!isfinite(bb[0]))
			memcpy(bb, m->layer->bbox, sizeof(bb));
		geo_proj_fit(&proj, bb, W, map_h, 10);
	}
	cairo_save(cr);
	cairo_translate(cr, 0, top);
	cairo_rectangle(cr, 0, 0, W, map_h);
	cairo_clip(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (i = 0; i < m->layer->n; i++) {
		double v = m->values[i];
		if (i >= m->layer->n - m->nparts && !isfinite(v))
			continue;   /* a part no region is drawn on */
		feature_path(cr, &proj, &m->layer->f[i]);
		if (isfinite(v)) {
			/* spread the classes used over the whole ramp */
			int cls = draw_class_of(v, breaks, nb, lower_closed);
			int idx = nclass > 1 ? cls * (DRAW_MAX_CLASSES - 1) / (nclass - 1) : DRAW_MAX_CLASSES / 2;
			const double *rgb = m->diverging ? diverging_rgb[diverging_index(cls, breaks, nb)] : ramp[idx];
			cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
		} else {
			has_missing = 1;
			cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		}
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		cairo_set_line_width(cr, 0.6);
		cairo_stroke(cr);
	}
	for (i = 0; m->spots && i < m->layer->n; i++) {
		/* hot and cold spots outlined over every fill, so no neighbour's edge covers them */
		if (!m->spots[i])
			continue;
		feature_path(cr, &proj, &m->layer->f[i]);
		spot_stroke(cr, m->spots[i]);
	}
	for (i = 0; m->cells && i < m->ncells; i++) {
		/* hot and cold cells, translucent, under the firms */
		const double *q = m->cells + 2 * m->cell_pts * i;
		size_t j;
		if (!m->cell_spot[i])
			continue;
		for (j = 0; j < m->cell_pts; j++) {
			double x, y;
			geo_project(&proj, q[2 * j], q[2 * j + 1], &x, &y);
			if (j)
				cairo_line_to(cr, x, y);
			else
				cairo_move_to(cr, x, y);
		}
		cairo_close_path(cr);
		if (m->cell_spot[i] > 0)
			cairo_set_source_rgba(cr, 0.84, 0.19, 0.12, 0.55);
		else
			cairo_set_source_rgba(cr, 0.13, 0.40, 0.67, 0.55);
		cairo_fill(cr);
	}
	for (i = 0; i < m->npoints; i++) {
		double x, y;
		geo_project(&proj, m->points[2 * i], m->points[2 * i + 1], &x, &y);
		if (m->cells) {   /* the firms over their cells: small, dark */
			cairo_arc(cr, x, y, 1.6, 0, 2 * M_PI);
			cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
			cairo_fill(cr);
			continue;
		}
		cairo_arc(cr, x, y, 2.5, 0, 2 * M_PI);
		if (!m->point_class)
			cairo_set_source_rgb(cr, 0.85, 0.28, 0.0);
		else if (m->point_class[i] < 0)
			cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
		else {
			const double *col = categorical[m->point_class[i] % 12];
			cairo_set_source_rgb(cr, col[0], col[1], col[2]);
		}
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_set_line_width(cr, 0.6);
		cairo_stroke(cr);
	}
	cairo_restore(cr);

	/* legend: one box per class with its range */
	{
		double y = top + map_h + 16;
		cairo_set_source_rgb(cr, 0.11, 0.15, 0.2);
		text(cr, 16, y, 13, 1, m->legend_title ? m->legend_title : "");
		y += 8;
		/* no breaks and no value: a map of points, whose legend names them; no breaks and
		 * values: one class, all the values in it */
		if (nb == 0 && !isfinite(lo) && m->cells) {
			/* a map of hot spots of firm density: the firms, then the cells below */
			cairo_arc(cr, 27, y + 7, 2.5, 0, 2 * M_PI);
			cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
			cairo_fill(cr);
			cairo_set_source_rgb(cr, 0.11, 0.15, 0.2);
			text(cr, 46, y + 11, 12, 0, draw_lang_text(word, sizeof(word), "firms / firmy", m->lang));
			y += 18;
		} else if (nb == 0 && !isfinite(lo) && m->point_class) {
			/* a firm-point map: colours are clusters, grey is noise */
			int k;
			for (k = 0; k < 6; k++) {
				cairo_arc(cr, 22 + 12 * k, y + 7, 4, 0, 2 * M_PI);
				cairo_set_source_rgb(cr, categorical[k][0], categorical[k][1], categorical[k][2]);
				cairo_fill(cr);
			}
			cairo_set_source_rgb(cr, 0.11, 0.15, 0.2);
			text(cr, 96, y + 11, 12, 0, draw_lang_text(word, sizeof(word), "clusters / skupienia", m->lang));
			y += 18;
			cairo_arc(cr, 22, y + 7, 4, 0, 2 * M_PI);
			cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
			cairo_fill(cr);
			cairo_set_source_rgb(cr, 0.11, 0.15, 0.2);
			text(cr, 46, y + 11, 12, 0, draw_lang_text(word, sizeof(word), "noise / szum", m->lang));
		}
		if (nb == 0 && !isfinite(lo))
			nclass = 0;   /* no value, no class */
		int whole = 1;
		size_t v;
		char (*auto_labels)[112] = xcalloc((size_t)nb + 1, sizeof(*auto_labels));
		for (v = 0; m->values && v < m->layer->n; v++)
			if (isfinite(m->values[v]) && m->values[v] != floor(m->values[v]))
				whole = 0;
		enum draw_numstyle numstyle = m->lang == DRAW_LANG_PL ? DRAW_NUM_PL
					      : m->lang == DRAW_LANG_EN ? DRAW_NUM_EN : DRAW_NUM_PLAIN;
		draw_class_labels(auto_labels, breaks, nb, whole && !m->breaks, lower_closed, numstyle);
		for (c = 0; c < nclass; c++) {
			char label[112];
			int idx = nclass > 1 ? c * (DRAW_MAX_CLASSES - 1) / (nclass - 1) : DRAW_MAX_CLASSES / 2;
			const double *rgb = m->diverging ? diverging_rgb[diverging_index(c, breaks, nb)] : ramp[idx];
			if (m->class_labels && m->breaks && c < m->nclasses)
				snprintf(label, sizeof(label), "%s", m->class_labels[c]);
			else if (nb == 0)   /* one class: the values it holds, no bound beyond them */
				draw_range_label(label, sizeof(label), lo, hi, numstyle);
			else
				snprintf(label, sizeof(label), "%s", auto_labels[c <= nb ? c : nb]);
			cairo_rectangle(cr, 16, y, 22, 13);
			cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
			cairo_fill_preserve(cr);
			cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
			cairo_set_line_width(cr, 0.6);
			cairo_stroke(cr);
			cairo_set_source_rgb(cr, 0.11, 0.15, 0.2);
			text(cr, 46, y + 11, 12, 0, label);
			y += 18;
		}
		free(auto_labels);
		if (has_missing && isfinite(lo)) {
			cairo_rectangle(cr, 16, y, 22, 13);
			cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
			cairo_fill(cr);
			cairo_set_source_rgb(cr, 0.11, 0.15, 0.2);
			text(cr, 46, y + 11, 12, 0, draw_lang_text(word, sizeof(word), "no data / brak danych", m->lang));
			y += 18;
		}
		if (m->cells) {
			static const char *const cell_words[2][2] = {
				{ "hot cell (Gi*, p < 0.05) / gorące oczko (Gi*, p < 0,05)",
				  "cold cell (Gi*, p < 0.05) / zimne oczko (Gi*, p < 0,05)" },
				{ "hot cell (Gi, p < 0.05) / gorące oczko (Gi, p < 0,05)",
				  "cold cell (Gi, p < 0.05) / zimne oczko (Gi, p < 0,05)" },
			};
			char cw[96];
			int k;
			for (k = 0; k < 2; k++) {
				cairo_rectangle(cr, 16, y, 22, 13);
				if (k)
					cairo_set_source_rgba(cr, 0.13, 0.40, 0.67, 0.55);
				else
					cairo_set_source_rgba(cr, 0.84, 0.19, 0.12, 0.55);
				cairo_fill(cr);
				cairo_set_source_rgb(cr, 0.11, 0.15, 0.2);
				text(cr, 46, y + 11, 12, 0,
				     draw_lang_text(cw, sizeof(cw), cell_words[m->spots_gi ? 1 : 0][k], m->lang));
				y += 18;
			}
		}
		if (m->spots) {
			static const char *const spot_words[2][2] = {
				{ "hot spot (Gi*, p < 0.05) / gorący punkt (Gi*, p < 0,05)",
				  "cold spot (Gi*, p < 0.05) / zimny punkt (Gi*, p < 0,05)" },
				{ "hot spot (Gi, p < 0.05) / gorący punkt (Gi, p < 0,05)",
				  "cold spot (Gi, p < 0.05) / zimny punkt (Gi, p < 0,05)" },
			};
			char sw[96];
			int k;
			for (k = 0; k < 2; k++) {
				cairo_rectangle(cr, 17, y + 1, 20, 11);
				spot_stroke(cr, k ? -1 : 1);
				cairo_set_source_rgb(cr, 0.11, 0.15, 0.2);
				text(cr, 46, y + 11, 12, 0,
				     draw_lang_text(sw, sizeof(sw), spot_words[m->spots_gi ? 1 : 0][k], m->lang));
				y += 18;
			}
		}
	}
	if (m->source) {
		cairo_set_source_rgb(cr, 0.31, 0.36, 0.4);
		para(cr, 16, H - src_h, tw, 11, 0, m->source, src_cap, 1);
	}
}

int draw_lang_by_name(const char *name, enum draw_lang *out)
{
	static const char *const names[] = { "both", "pl", "en" };
	size_t i;
	for (i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i]) == 0) {
			*out = (enum draw_lang)i;
			return 0;
		}
	return -1;
}

const char *draw_lang_text(char *out, size_t n, const char *both, enum draw_lang lang)
{
	const char *sep = strstr(both, " / ");
	if (lang == DRAW_LANG_BOTH || !sep)
		snprintf(out, n, "%s", both);
	else if (lang == DRAW_LANG_EN)
		snprintf(out, n, "%.*s", (int)(sep - both), both);
	else
		snprintf(out, n, "%s", sep + 3);
	return out;
}

/* What draw_choropleth and draw_choropleth_buf check before drawing: the layer, the number of
 * classes and the class breaks (given, or at the quantiles; whole bounds for whole numbers) into
 * breaks[0..*nb).  0, or -1 with e set. */
static int draw_classes(const struct choropleth *m, double *breaks, int *nb_out, struct kerr *e)
{
	int nb;
	if (!m->layer || !m->layer->n)
		return kerr_set(e, KERR_INPUT, "the boundary layer is empty");
	if (m->nclasses < 2 || m->nclasses > DRAW_MAX_CLASSES)
		return kerr_set(e, KERR_USAGE, "classes must be between 2 and %d", DRAW_MAX_CLASSES);
	if (m->breaks) {
		nb = m->nclasses - 1;
		memcpy(breaks, m->breaks, (size_t)nb * sizeof(double));
	} else {
		nb = draw_quantile_breaks(m->values, m->layer->n, m->nclasses, breaks);
		if (nb < 0 && !m->npoints)
			return kerr_set(e, KERR_INPUT, "no region has a value to draw");
		if (nb < 0)
			nb = 0;    /* a map of points: no classes */
		/* quantiles end their classes: one at the greatest value would leave the class above
		 * it empty (every value the same: one class, not "≤ 1" and an empty "> 1") */
		nb = draw_trim_breaks(m->values, m->layer->n, breaks, nb);
		{
			/* whole numbers (employment): whole bounds, so that every class holds one and its
			 * legend names them */
			size_t i;
			int whole = nb > 0;
			for (i = 0; whole && i < m->layer->n; i++)
				if (isfinite(m->values[i]) && m->values[i] != floor(m->values[i]))
					whole = 0;
			if (whole)
				nb = draw_whole_breaks(breaks, nb);
		}
	}
	*nb_out = nb;
	return 0;
}

/* Draws m in format fmt with the class breaks of draw_classes into f (not closed here); what
 * names the destination in messages.  0, or -1 with e set; *err receives the errno of a write
 * that failed, also one that cairo let pass (0 when none). */
static int draw_stream(const struct choropleth *m, enum draw_format fmt, const double *breaks, int nb, FILE *f,
		       const char *what, int *err, struct kerr *e)
{
	struct file_writer w = { f, 0 };
	double W = m->width > 0 ? m->width : 800, H = m->height > 0 ? m->height : 800;
	cairo_surface_t *s = NULL;
	cairo_t *cr;
	cairo_status_t st;
	struct buf svg = BUF_INIT, texts = BUF_INIT;
	int rc = -1;

	switch (fmt) {
	case DRAW_SVG: s = cairo_svg_surface_create_for_stream(write_to_buf, &svg, W, H); break;
	case DRAW_PDF:
		s = cairo_pdf_surface_create_for_stream(write_to_file, &w, W, H);
		/* the document's title and maker, as PDF readers show them */
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, m->title ? m->title : "Map");
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "klaster");
		break;
	case DRAW_PNG: s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)W, (int)H); break;
	}
	if (!s || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		kerr_set(e, KERR_IO, "cannot draw %s: %s", what,
			 s ? cairo_status_to_string(cairo_surface_status(s)) : "no surface");
		goto out;
	}
	cr = cairo_create(s);
	if (fmt == DRAW_SVG)
		cairo_set_user_data(cr, &texts_key, &texts, NULL);
	render(cr, m, W, H, breaks, nb);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS && fmt == DRAW_PNG)
		st = cairo_surface_write_to_png_stream(s, write_to_file, &w);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	if (st == CAIRO_STATUS_SUCCESS && fmt == DRAW_SVG && buf_failed(&texts))
		st = CAIRO_STATUS_NO_MEMORY;
	if (st == CAIRO_STATUS_SUCCESS && fmt == DRAW_SVG) {
		errno = 0;
		if (svg_finish(svg.ptr, svg.len, m, &texts, f)) {
			w.err = errno ? errno : EIO;
			st = CAIRO_STATUS_WRITE_ERROR;
		}
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		kerr_set(e, KERR_IO, "cannot draw %s: %s", what, write_failure(w.err, st));
		goto out;
	}
	rc = 0;
out:
	*err = w.err;
	if (s)
		cairo_surface_destroy(s);
	buf_release(&svg);
	buf_release(&texts);
	return rc;
}

int draw_choropleth(const struct choropleth *m, const char *path, struct kerr *e)
{
	enum draw_format fmt;
	struct outfile out;
	FILE *f = NULL;
	double breaks[DRAW_MAX_CLASSES];
	int nb;
	int rc = -1, to_stdout = outfile_is_stdout(path), err = 0;
	const char *what = to_stdout ? "to standard output" : path;

	memset(&out, 0, sizeof(out));
	if (m->format ? draw_format_by_name(m->format, &fmt) != 0 : draw_format_for_path(path, &fmt) != 0)
		return m->format ? kerr_set(e, KERR_USAGE, "--output-format must be svg, png or pdf, not '%s'", m->format)
				 : kerr_set(e, KERR_USAGE, "%s: a map is written as .svg, .png or .pdf", path);
	if (draw_classes(m, breaks, &nb, e))
		return -1;
	if (to_stdout) {
		f = stdout;
	} else {
		if (outfile_begin(&out, path, e))
			return -1;
		if (!(f = outfile_fopen(&out, e)))
			goto out;
	}
	if (draw_stream(m, fmt, breaks, nb, f, what, &err, e))
		goto out;
	{
		/* a write that failed while stdio flushed its buffer (a full disk) sets the stream's
		 * error flag, and the data is dropped: fclose then succeeds on what is left */
		int bad = ferror(f);
		errno = 0;
		if (to_stdout ? fflush(f) : fclose(f)) {
			bad = 1;
			if (!err)
				err = errno;
		}
		if (!to_stdout)
			f = NULL;  /* closed, whether or not it went well */
		if (bad) {
			kerr_set(e, KERR_IO, "cannot draw %s: %s", what, write_failure(err, CAIRO_STATUS_WRITE_ERROR));
			goto out;
		}
	}
	if (!to_stdout && outfile_commit(&out, e))
		goto out;
	rc = 0;
out:
	if (f && f != stdout)
		fclose(f);
	if (rc)
		outfile_abort(&out);
	return rc;
}

int draw_choropleth_buf(const struct choropleth *m, struct buf *out, struct kerr *e)
{
	enum draw_format fmt;
	double breaks[DRAW_MAX_CLASSES];
	char *mem = NULL;
	size_t len = 0;
	FILE *f;
	int nb, rc;

	if (draw_format_by_name(m->format, &fmt) != 0)
		return kerr_set(e, KERR_USAGE, "format must be svg, png or pdf, not '%s'", m->format ? m->format : "");
	if (draw_classes(m, breaks, &nb, e))
		return -1;
	if (!(f = open_memstream(&mem, &len)))
		return kerr_set(e, KERR_IO, "cannot draw the map: %s", strerror(errno));
	rc = draw_stream(m, fmt, breaks, nb, f, "the map", &(int){ 0 }, e);
	if (fclose(f) && !rc)
		rc = kerr_set(e, KERR_IO, "cannot draw the map: %s", strerror(errno));
	if (!rc) {
		buf_add(out, mem, len);
		if (buf_failed(out))
			rc = kerr_set(e, KERR_IO, "cannot draw the map: out of memory");
	}
	free(mem);
	return rc;
}

void draw_shutdown(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
