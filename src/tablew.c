/* tablew.c — CSV, JSON and XLSX result tables (see tablew.h).  XLSX goes
 * through libxlsxwriter; CSV and JSON through the escaping module. */
#include "tablew.h"

#include <float.h>
#include <math.h>

#include "buf.h"
#include "esc.h"
#include "outfile.h"
#include "tablew_xlsx.h"

struct tablew {
	enum tablew_format fmt;
	FILE *f;                    /* CSV, JSON */
	char *path;                 /* NULL for standard output */
	struct outfile out;         /* where a file goes (outfile.h) */
	struct tablew_xlsx *x;      /* XLSX (tablew_xlsx.h) */
	char **cols;
	size_t ncols, col;
	long row;
	int err;
	enum kerr_kind kind;        /* of err: KERR_IO, or KERR_TOOBIG past what a worksheet holds */
	char errmsg[600];
	struct buf line;
	struct buf geom;            /* GeoJSON: the row's geometry, empty for null */
};

/* JSON and GeoJSON write the cells alike (GeoJSON as a Feature's properties). */
#define IS_JSON(t) ((t)->fmt == TABLEW_JSON || (t)->fmt == TABLEW_GEOJSON)

int tablew_format_by_name(const char *name, enum tablew_format *out)
{
	static const struct {
		const char *name;
		enum tablew_format fmt;
	} names[] = { { "csv", TABLEW_CSV }, { "json", TABLEW_JSON }, { "xlsx", TABLEW_XLSX }, { "geojson", TABLEW_GEOJSON } };
	size_t i;
	for (i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(names[i].name, name) == 0) {
			*out = names[i].fmt;
			return 0;
		}
	return -1;
}

int tablew_format_for_path(const char *path, enum tablew_format *out)
{
	const char *end = outfile_ending(path);
	if (!*end || strcasecmp(end, "txt") == 0) {
		*out = TABLEW_CSV;
		return 0;
	}
	return tablew_format_by_name(end, out);
}

static void fail(struct tablew *t, const char *fmt, const char *detail)
{
	if (!t->err) {
		t->err = 1;
		snprintf(t->errmsg, sizeof(t->errmsg), fmt, detail);
	}
}

/* The first error, of a table larger than XLSX allows: what and the way out. */
static void fail_limit(struct tablew *t, const char *what)
{
	if (!t->err) {
		t->err = 1;
		t->kind = KERR_TOOBIG;
		snprintf(t->errmsg, sizeof(t->errmsg), "%.200s: %.300s: write the table as CSV or JSON",
			 t->path ? t->path : "standard output", what);
	}
}

/* The first write error: "cannot write PATH: REASON". */
static void fail_write(struct tablew *t)
{
	if (!t->err) {
		t->err = 1;
		snprintf(t->errmsg, sizeof(t->errmsg), "cannot write %.200s: %s",
			 t->path ? t->path : "standard output", strerror(errno));
	}
}

static void flush_line(struct tablew *t)
{
	if (t->f && t->line.len && fwrite(t->line.ptr, 1, t->line.len, t->f) != t->line.len)
		fail_write(t);
	buf_reset(&t->line);
}

int tablew_open(struct tablew **out, enum tablew_format fmt, const char *path, const char *sheet,
		const char *const *cols, size_t ncols, struct kerr *e)
{
	struct tablew *t;
	size_t i;
	*out = NULL;
	if (outfile_is_stdout(path))
		path = NULL;
	if (fmt == TABLEW_XLSX && !path)
		return kerr_set(e, KERR_USAGE, "an XLSX table needs an output file (-o FILE.xlsx)");
	t = xcalloc(1, sizeof(*t));
	t->fmt = fmt;
	t->ncols = ncols;
	t->cols = xcalloc(ncols ? ncols : 1, sizeof(*t->cols));
	for (i = 0; i < ncols; i++)
		t->cols[i] = xstrdup(cols[i]);
	buf_init(&t->line, 0);
	buf_init(&t->geom, 0);
	if (path) {
		t->path = xstrdup(path);
		if (outfile_begin(&t->out, path, e)) {
			tablew_abort(t);
			return -1;
		}
	}
	if (fmt == TABLEW_XLSX) {
		if (t->out.direct) {
			/* a zip file is written with seeks: not into a device or a pipe */
			kerr_set(e, KERR_USAGE, "an XLSX table needs a regular file, not %s", path);
			tablew_abort(t);
			return -1;
		}
		if (!(t->x = tablew_xlsx_open(t->out.name, sheet ? sheet : "klaster", cols, ncols, e))) {
			tablew_abort(t);
			return -1;
		}
		t->row = 1;
	} else {
		t->f = path ? outfile_fopen(&t->out, e) : stdout;
		if (!t->f) {
			tablew_abort(t);
			return -1;
		}
		if (fmt == TABLEW_CSV) {
			for (i = 0; i < ncols; i++) {
				if (i)
					buf_putc(&t->line, ',');
				esc_csv(&t->line, cols[i]);
			}
			buf_puts(&t->line, "\r\n");
		} else {
			buf_puts(&t->line, fmt == TABLEW_GEOJSON ? "{\"type\":\"FeatureCollection\",\"features\":[" : "[");
		}
		flush_line(t);
	}
	*out = t;
	return 0;
}

/* 10^k: exact for |k| <= 27 (a long double of 64 bits of mantissa holds them), else from powl. */
static long double pow10l_of(int k)
{
	static const long double tab[28] = { 1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,
					     1e7L,  1e8L,  1e9L,  1e10L, 1e11L, 1e12L, 1e13L,
					     1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L,
					     1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L };
	if (k >= 0 && k < 28)
		return tab[k];
	if (k < 0 && k > -28)
		return 1 / tab[-k];
	return powl(10, k);
}

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 u128;

/* 10^k for 0 <= k <= 38 (below 2^127). */
static u128 pow10_u128(int k)
{
	static const unsigned long long t[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
		1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL
	};
	return k < 20 ? (u128)t[k] : (u128)t[19] * t[k - 19];
}

/*
 * m * 2^q * 10^k in integers, exactly: *d its integer part and *cmp where
 * the rest lies against a half (-1 below, 0 a tie, 1 above).  0 when the
 * numbers would not fit in 128 bits (the caller takes the other way).
 */
static int scale_exact(unsigned long long m, int q, int k, unsigned long long *d, int *cmp)
{
	u128 n, p, quo, rem;
	if (k >= 0) {
		int sh = -q;
		if (k > 22 || sh < 1 || sh > 127)
			return 0;  /* m < 2^53 times 10^22 < 2^74 fits; the shift is within the word */
		n = (u128)m * pow10_u128(k);
		quo = n >> sh;
		rem = n - (quo << sh);
		p = (u128)1 << (sh - 1);
		*cmp = rem < p ? -1 : rem > p;
	} else {
		if (-k > 29 || q > 73 || (q < 0 && (-k > 16 || q < -60)))
			return 0;
		n = q >= 0 ? (u128)m << q : (u128)m;
		p = pow10_u128(-k);
		if (q < 0)
			p <<= -q;  /* 10^16 < 2^54, shifted by at most 60 */
		quo = n / p;
		rem = n - quo * p;
		*cmp = 2 * rem < p ? -1 : 2 * rem > p;
	}
	if (quo >> 63)
		return 0;
	*d = (unsigned long long)quo;
	return 1;
}

/*
 * The ten digits of a finite a > 0 rounded as printf rounds (the exact
 * binary value to the nearest, ties to even) in integer arithmetic: 1 when
 * a is a normal number from 1e-13 to 2^127, the digits in *u (10^9 <= *u
 * < 10^10) and the exponent of the first in *x.
 */
static int g10_digits_exact(double a, int *x, unsigned long long *u)
{
	uint64_t bits;
	unsigned long long m, d;
	int e, q, xx, cmp, tries;
	memcpy(&bits, &a, sizeof(bits));
	e = (int)(bits >> 52 & 0x7ff);
	if (e == 0 || e == 0x7ff)
		return 0;
	m = (bits & ((1ULL << 52) - 1)) | 1ULL << 52;
	q = e - 1075;
	xx = (int)floor((e - 1023) * 0.30102999566398119521);  /* off by at most one */
	for (tries = 0; tries < 3; tries++) {
		if (!scale_exact(m, q, 9 - xx, &d, &cmp))
			return 0;
		if (d >= 10000000000ULL)
			xx++;
		else if (d < 1000000000ULL)
			xx--;
		else
			break;
	}
	if (tries == 3)
		return 0;
	if (cmp > 0 || (cmp == 0 && (d & 1)))
		d++;
	if (d == 10000000000ULL) {
		d = 1000000000ULL;
		xx++;
	}
	*x = xx;
	*u = d;
	return 1;
}
#endif

/*
 * The same in long double arithmetic (64 bits of mantissa) for the rest:
 * the scaled value is within about 1e-17 of the exact one, so its rounding
 * is the exact value's unless it lies within 1e-6 of a half: then 0, and
 * printf decides (as when long double is no wider than double).
 */
static int g10_digits_ld(double v, int *xp, unsigned long long *up)
{
	long double a = fabsl((long double)v), sc, r;
	unsigned long long u;
	int x;
	if (LDBL_MANT_DIG < 64)
		return 0;
	{
		/* the decimal exponent from the binary one (off by at most one, mended below) */
		int b2;
		(void)frexp(fabs(v), &b2);
		x = (int)floor((b2 - 1) * 0.30102999566398119521);
	}
	sc = a * pow10l_of(9 - x);
	while (sc >= 1e10L) {
		x++;
		sc = a * pow10l_of(9 - x);
	}
	while (sc < 1e9L) {
		x--;
		sc = a * pow10l_of(9 - x);
	}
	if (sc < 1e9L || sc >= 1e10L)
		return 0;
	r = floorl(sc);
	if (fabsl(sc - r - 0.5L) < 1e-6L)
		return 0;  /* near a tie: printf rounds the exact value */
	u = (unsigned long long)r + (sc - r > 0.5L);
	if (u == 10000000000ULL) {
		u = 1000000000ULL;
		x++;
	}
	*xp = x;
	*up = u;
	return 1;
}

/*
 * What "%.10g" writes for a finite v, without printf: ten digits rounded
 * as printf rounds them (g10_digits_exact, else g10_digits_ld), then set
 * out as %g does (fixed point for exponents -4 to 9, else d.ddde±XX;
 * trailing zeros dropped).  1 when written, 0 when printf must decide.
 */
static int g10_text(struct buf *b, double v)
{
	char out[40], dig[10];
	int x, n = 0, k, nd;
	unsigned long long u;
	if (!isfinite(v))
		return 0;
	if (v == 0) {
		buf_puts(b, signbit(v) ? "-0" : "0");
		return 1;
	}
#ifdef __SIZEOF_INT128__
	if (!g10_digits_exact(fabs(v), &x, &u))
#endif
		if (!g10_digits_ld(v, &x, &u))
			return 0;
	for (k = 9; k >= 0; k--) {
		dig[k] = (char)('0' + u % 10);
		u /= 10;
	}
	for (nd = 10; nd > 1 && dig[nd - 1] == '0'; nd--)
		;
	if (v < 0)
		out[n++] = '-';
	if (x >= -4 && x < 10) {
		if (x >= 0) {
			for (k = 0; k <= x; k++)
				out[n++] = dig[k];
			if (nd > x + 1) {
				out[n++] = '.';
				for (; k < nd; k++)
					out[n++] = dig[k];
			}
		} else {
			out[n++] = '0';
			out[n++] = '.';
			for (k = 0; k < -x - 1; k++)
				out[n++] = '0';
			for (k = 0; k < nd; k++)
				out[n++] = dig[k];
		}
	} else {
		int ax = x < 0 ? -x : x;
		out[n++] = dig[0];
		if (nd > 1) {
			out[n++] = '.';
			for (k = 1; k < nd; k++)
				out[n++] = dig[k];
		}
		out[n++] = 'e';
		out[n++] = x < 0 ? '-' : '+';
		if (ax >= 100)
			out[n++] = (char)('0' + ax / 100);
		out[n++] = (char)('0' + ax / 10 % 10);
		out[n++] = (char)('0' + ax % 10);
	}
	buf_add(b, out, (size_t)n);
	return 1;
}

/* The digits of u, after a '-' when neg, written backwards to end at end (21 bytes before it
 * are room enough): where they begin.  printf is most of the time of big tables otherwise. */
static char *whole_text(char *end, unsigned long long u, int neg)
{
	do
		*--end = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (neg)
		*--end = '-';
	return end;
}

/*
 * A number as text: what "%.10g" writes, without printf for the common
 * case of a value with at most six decimals and fewer than ten significant
 * digits (coordinates, shares, counts), which is written in fixed point
 * with the trailing zeros dropped — the same text "%.10g" gives.  Big result
 * tables spend most of their time here otherwise.
 */
void tablew_num_text(struct buf *b, double v)
{
	double a = fabs(v), scaled = a * 1e6, r = floor(scaled + 0.5);
	if (a < 1e3 && a >= 1e-3 && fabs(scaled - r) <= 4 * DBL_EPSILON * (r > 1 ? r : 1)) {
		char tmp[32], *start, *end = tmp + 24;
		unsigned long long u = (unsigned long long)r, fp = u % 1000000ULL;
		int d;
		/* fewer than ten significant digits: "%.10g" would show them all */
		start = whole_text(end, u / 1000000ULL, v < 0);
		if (fp) {
			for (d = 6; d >= 1; d--) {
				end[d] = (char)('0' + fp % 10);
				fp /= 10;
			}
			*end = '.';
			for (d = 6; end[d] == '0'; d--)
				;
			end += d + 1;
		}
		buf_add(b, start, (size_t)(end - start));
		return;
	}
	if (a < 0x1p53 && a == floor(a)) {
		/* a whole number below 2^53 (a sum of counts or wages): all its digits, as "%.0f" (up
		 * to ten digits "%.10g" shows it so too), -0 too; beyond, "%.10g" would write
		 * 12345678901 as 1.23456789e+10 */
		char tmp[24], *start = whole_text(tmp + sizeof(tmp), (unsigned long long)a, signbit(v));
		buf_add(b, start, (size_t)(tmp + sizeof(tmp) - start));
		return;
	}
	if (!g10_text(b, v))
		buf_printf(b, "%.10g", v);
}

/* Starts a cell: separators for CSV, the key for JSON. */
static int cell_begin(struct tablew *t)
{
	if (t->col >= t->ncols) {
		fail(t, "%s", "more cells than columns in a row");
		return -1;
	}
	if (t->fmt == TABLEW_CSV) {
		if (t->col)
			buf_putc(&t->line, ',');
	} else if (t->fmt == TABLEW_JSON) {
		buf_puts(&t->line, t->col ? "," : (t->row ? ",\n{" : "\n{"));
		esc_json(&t->line, t->cols[t->col]);
		buf_putc(&t->line, ':');
	} else if (t->fmt == TABLEW_GEOJSON) {
		if (!t->col)
			buf_puts(&t->line, t->row ? ",\n{\"type\":\"Feature\",\"properties\":{" : "\n{\"type\":\"Feature\",\"properties\":{");
		else
			buf_putc(&t->line, ',');
		esc_json(&t->line, t->cols[t->col]);
		buf_putc(&t->line, ':');
	} else if (t->row > TABLEW_XLSX_MAX_ROW) {
		if (!t->err) {
			char what[120];
			snprintf(what, sizeof(what), "more than the %ld rows a worksheet holds below its header",
				 TABLEW_XLSX_MAX_ROW);
			fail_limit(t, what);
		}
		t->col++;   /* the cell is passed over, not written (tablew_end_row pads up to ncols) */
		return -1;
	}
	return 0;
}

/* The characters (not bytes) of UTF-8 text s. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void tablew_text(struct tablew *t, const char *s)
{
	if (cell_begin(t))
		return;
	if (t->fmt == TABLEW_CSV)
		esc_csv(&t->line, s);
	else if (IS_JSON(t))
		s ? esc_json(&t->line, s) : buf_puts(&t->line, "null");
	else if (s && strlen(s) > TABLEW_XLSX_MAX_TEXT && utf8_chars(s) > TABLEW_XLSX_MAX_TEXT) {
		char what[200];
		snprintf(what, sizeof(what), "row %ld, column %.60s: a text of %zu characters, more than the %d "
			 "a spreadsheet cell holds", t->row + 1, t->cols[t->col], utf8_chars(s), TABLEW_XLSX_MAX_TEXT);
		fail_limit(t, what);
	} else if (s && tablew_xlsx_text(t->x, t->row, t->col, s))
		fail(t, "cannot write a cell of %s", t->path);
	t->col++;
}

void tablew_notes(struct tablew *t, const char *sheet, const char *const *lines)
{
	if (t->err || t->fmt != TABLEW_XLSX)
		return;
	if (tablew_xlsx_notes(t->x, sheet, lines))
		fail(t, "cannot write the notes of %s", t->path);
}

void tablew_num(struct tablew *t, double v)
{
	if (cell_begin(t))
		return;
	if (!isfinite(v)) {
		if (IS_JSON(t))
			buf_puts(&t->line, "null");
	} else if (t->fmt == TABLEW_XLSX) {
		if (tablew_xlsx_num(t->x, t->row, t->col, v))
			fail(t, "cannot write a cell of %s", t->path);
	} else {
		tablew_num_text(&t->line, v);
	}
	t->col++;
}

void tablew_int(struct tablew *t, long long v)
{
	if (t->fmt == TABLEW_XLSX) {
		tablew_num(t, (double)v);
		return;
	}
	if (cell_begin(t))
		return;
	{
		char tmp[24], *start = whole_text(tmp + sizeof(tmp),
						  v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
		buf_add(&t->line, start, (size_t)(tmp + sizeof(tmp) - start));
	}
	t->col++;
}

void tablew_bool(struct tablew *t, int v)
{
	if (!IS_JSON(t)) {
		tablew_int(t, v != 0);
		return;
	}
	if (cell_begin(t))
		return;
	buf_puts(&t->line, v ? "true" : "false");
	t->col++;
}

void tablew_end_row(struct tablew *t)
{
	/* short rows are padded with empty cells */
	while (t->col < t->ncols)
		tablew_text(t, NULL);
	if (t->fmt == TABLEW_CSV)
		buf_puts(&t->line, "\r\n");
	else if (t->fmt == TABLEW_JSON)
		buf_puts(&t->line, "}");
	else if (t->fmt == TABLEW_GEOJSON) {
		buf_puts(&t->line, "},\"geometry\":");
		if (t->geom.len)
			buf_add(&t->line, t->geom.ptr, t->geom.len);
		else
			buf_puts(&t->line, "null");
		buf_putc(&t->line, '}');
		buf_reset(&t->geom);
	}
	t->row++;
	t->col = 0;
	if (t->line.len > 65536 || IS_JSON(t))
		flush_line(t);
}

/* lon,lat as GeoJSON positions write them: "[lon,lat]" with the table's numbers. */
static void position(struct buf *b, double lon, double lat)
{
	buf_putc(b, '[');
	tablew_num_text(b, lon);
	buf_putc(b, ',');
	tablew_num_text(b, lat);
	buf_putc(b, ']');
}

void tablew_point(struct tablew *t, double lon, double lat)
{
	if (t->fmt != TABLEW_GEOJSON)
		return;
	buf_reset(&t->geom);
	if (!isfinite(lon) || !isfinite(lat))
		return;
	buf_puts(&t->geom, "{\"type\":\"Point\",\"coordinates\":");
	position(&t->geom, lon, lat);
	buf_putc(&t->geom, '}');
}

void tablew_polygon(struct tablew *t, const double *lonlat, size_t n)
{
	size_t i;
	if (t->fmt != TABLEW_GEOJSON)
		return;
	buf_reset(&t->geom);
	for (i = 0; i < 2 * n; i++)
		if (!isfinite(lonlat[i]))
			return;
	if (n < 3)
		return;
	buf_puts(&t->geom, "{\"type\":\"Polygon\",\"coordinates\":[[");
	for (i = 0; i <= n; i++) {   /* the first corner again: a closed ring */
		if (i)
			buf_putc(&t->geom, ',');
		position(&t->geom, lonlat[2 * (i % n)], lonlat[2 * (i % n) + 1]);
	}
	buf_puts(&t->geom, "]]}");
}

int tablew_wants_geometry(const struct tablew *t)
{
	return t->fmt == TABLEW_GEOJSON;
}

void tablew_geometry(struct tablew *t, const char *json, size_t len)
{
	if (t->fmt != TABLEW_GEOJSON)
		return;
	buf_reset(&t->geom);
	buf_add(&t->geom, json, len);
}

static void free_t(struct tablew *t)
{
	size_t i;
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cols);
	free(t->path);
	buf_release(&t->line);
	buf_release(&t->geom);
	free(t);
}

void tablew_abort(struct tablew *t)
{
	if (!t)
		return;
	if (t->f && t->f != stdout)
		fclose(t->f);
	if (t->x)
		(void)tablew_xlsx_close(t->x, NULL);
	outfile_abort(&t->out);
	free_t(t);
}

int tablew_close(struct tablew *t, struct kerr *e)
{
	int rc = 0;
	if (t->col)
		tablew_end_row(t);
	if (t->fmt == TABLEW_JSON)
		buf_puts(&t->line, t->row ? "\n]\n" : "]\n");
	else if (t->fmt == TABLEW_GEOJSON)
		buf_puts(&t->line, t->row ? "\n]}\n" : "]}\n");
	flush_line(t);
	if (t->f) {
		if (t->f == stdout ? fflush(stdout) != 0 : fclose(t->f) != 0)
			fail_write(t);
		t->f = NULL;
	}
	if (t->x) {
		const char *why = NULL;
		int xe = tablew_xlsx_close(t->x, &why);
		t->x = NULL;
		if (xe && !t->err) {
			/* libxlsxwriter's reason, and the system's when it has one (a full disk) */
			t->err = 1;
			snprintf(t->errmsg, sizeof(t->errmsg), "cannot write %.200s: %s%s%s", t->path,
				 why ? why : "libxlsxwriter failed", errno ? ": " : "", errno ? strerror(errno) : "");
		}
	}
	if (t->err) {
		rc = kerr_set(e, t->kind ? t->kind : KERR_IO, "%s", t->errmsg);
	} else if (t->path) {
		rc = outfile_commit(&t->out, e);
	}
	outfile_abort(&t->out);  /* after a failure; nothing left after a commit */
	free_t(t);
	return rc;
}
