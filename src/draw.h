/*
 * draw.h — choropleth maps through cairo: regions coloured by a value in
 * classes, with a title, a legend, a data-source line and optional points,
 * written as SVG, PNG or PDF.  Works offline from any GeoJSON boundary
 * layer (geo.h).
 *
 * The file is written under a temporary name and renamed when complete.
 */
#ifndef KLASTER_DRAW_H
#define KLASTER_DRAW_H

#include <stddef.h>

#include "err.h"
#include "geo.h"

enum draw_format { DRAW_SVG, DRAW_PNG, DRAW_PDF };

#define DRAW_MAX_CLASSES 9

/* The language of a map's own words: both ("no data / brak danych"), Polish or English. */
enum draw_lang { DRAW_LANG_BOTH, DRAW_LANG_PL, DRAW_LANG_EN };
/* "pl", "en" or "both" → lang; -1 otherwise. */
int draw_lang_by_name(const char *name, enum draw_lang *out);
/* The half of a bilingual text "English / polski" in lang (into out, size
 * n), or the whole text for DRAW_LANG_BOTH or a text without " / ". */
const char *draw_lang_text(char *out, size_t n, const char *both, enum draw_lang lang);

struct choropleth {
	const struct geo_layer *layer;
	size_t nparts;               /* the last nparts features of layer are drawn only where they have a
					value (NUTS-3 parts, mapping_load_layer) */
	const double *values;        /* one per feature of layer; NAN = no data */
	int nclasses;                /* 2..DRAW_MAX_CLASSES */
	const double *breaks;        /* nclasses - 1 ascending bounds, or NULL: quantiles (upper
					bounds); without class_labels, a break begins its class */
	const char *const *class_labels; /* with breaks: nclasses names of categories for the legend
					    (0–3 stars, strong or not) instead of the ranges, or NULL */
	const char *title, *subtitle, *legend_title, *source;   /* may be NULL */
	const double *points;        /* lon,lat pairs drawn as dots; may be NULL */
	size_t npoints;
	const long *point_class;     /* per point: a cluster (0..) drawn in its own colour, -1 grey
					(noise); NULL: every point in one colour.  With it and no
					region values (all NAN) the map is a firm-point map. */
	int width, height;           /* pixels (PNG) or points (SVG, PDF); 0 = 800 × 800 */
	const char *format;          /* "svg", "png" or "pdf", or NULL: from the file name's ending */
	int whole_layer;             /* 0: frame the regions that have a value (a country's data
					on a map of Europe); 1: frame the whole layer */
	enum draw_lang lang;         /* the words the map draws itself (legend, "no data") and how
					its numbers are written: both languages with plain numbers
					(DRAW_LANG_BOTH, 0), or one (Polish: decimal commas) */
	int diverging;               /* values around 0 (a change): breaks (required) hold 0, the classes
					below it are drawn in reds, those from it in blues
					(draw_diverging_fill) */
	const signed char *spots;    /* per feature of layer: 1 a hot spot, -1 a cold spot, 0 neither,
					outlined over the classes (hot solid, cold dashed, both thick
					and dark, so that they read in grey too) with two lines in the
					legend; NULL: no hot spots */
	int spots_gi;                /* the spots (and cells) are of Gi (the legend says Gi), else of Gi* */
	const double *cells;         /* grid cells: cell_pts lon,lat corners each (spatial_grid_corners),
					drawn filled under the points where cell_spot is 1 (hot, red) or
					-1 (cold, blue), with two lines in the legend (the corners of
					a cell whose cell_spot is 0 are not read); NULL: none.  With
					them the points are the firms, one colour, and the map a map of
					hot spots of firm density */
	const signed char *cell_spot;
	size_t ncells, cell_pts;
};

/* The format a file name's ending names: .svg or none (also NULL or "-",
 * standard output) SVG, .png PNG, .pdf PDF, in any case; -1 for any other
 * ending (a map is never written silently as SVG into "map.gif"). */
int draw_format_for_path(const char *path, enum draw_format *out);
/* "svg", "png", "pdf" (any case) → format; -1 otherwise. */
int draw_format_by_name(const char *name, enum draw_format *out);
/* Class breaks at the quantiles of the finite values (type 7): writes
 * k - 1 ascending breaks; returns the number of distinct breaks (fewer
 * when values tie), or -1 when there is no finite value. */
int draw_quantile_breaks(const double *v, size_t n, int k, double *breaks);
/* The decimals of a map's class bounds br[0..n), one for all (the portal's tooltips write
 * values a digit finer; the legend writes each bound by its own, draw_class_labels): enough
 * for three significant digits of the smallest non-zero bound, and more (up to 8) until
 * neighbouring bounds read differently; 0 for bounds of 100 and above. */
int draw_break_decimals(const double *br, int n);
/* The same for the bounds of whole-number values (employment): no decimals
 * unless neighbouring bounds would read the same without them (quantiles of
 * whole numbers fall between them). */
int draw_break_decimals_of(const double *br, int n, int whole);
/* The least and the greatest finite value of v[0..n) into *lo, *hi (INFINITY and -INFINITY
 * when there is none); returns whether there is one. */
int draw_value_range(const double *v, size_t n, double *lo, double *hi);
/* Quantile breaks br[0..nb) (upper bounds, as draw_quantile_breaks writes them) without
 * those at or above the greatest finite value of v[0..n): each would end the last class with
 * an empty one above it.  Returns the number left, in place; 0 when every value lies in one
 * class (all the same, or the quantiles all at the greatest). */
int draw_trim_breaks(const double *v, size_t n, double *br, int nb);
/* Class bounds for whole-number values: each bound rounded down and the
 * repeats dropped, in place; returns their number.  A whole number falls
 * in the same class as with the bounds before (v <= b exactly when
 * v <= floor(b)), and now every class holds one, so that its label can
 * name them (draw_class_labels). */
int draw_whole_breaks(double *br, int n);
/* How numbers are written: plain (a point, no grouping: files read in
 * any language), Polish (a decimal comma, a no-break space between
 * thousands) or English (a point, commas between thousands). */
enum draw_numstyle { DRAW_NUM_PLAIN, DRAW_NUM_PL, DRAW_NUM_EN };
/* v with dec decimals (0..9) into out (size n) in the given style; "-0" is
 * written "0", and a negative number begins with the minus sign U+2212 in
 * the Polish and English styles (a hyphen in plain).  |v| of 1e15 or more,
 * and infinities and NaN, are written with %.15g whatever the style.  The
 * text is cut to n - 1 bytes (64 bytes hold any value: the sign, 15
 * integer digits with Polish grouping, 2 bytes each, and 9 decimals). */
void draw_num_text(char *out, size_t n, double v, int dec, enum draw_numstyle style);
/* The legend's labels of the nb + 1 classes of bounds br (a value v is in
 * class c when br[c-1] < v <= br[c]) into labels[0..nb] (112 bytes each):
 * "≤ a", "a–b", "> b"; with lower_closed (br[c-1] <= v < br[c], breaks a
 * user chose) "< a", "a – < b", "≥ b".  For whole-number values (whole) a class is named
 * by the whole numbers it holds ("≤ 2", "3–4", "≥ 9", "5" alone), so that
 * a region's colour and its class's label agree; when some class holds no
 * whole number, or the values are not whole, the bounds are written each
 * by one rule: three significant digits (every whole digit from 100 up),
 * more where neighbours would read alike, no trailing zeros ("0.8",
 * "1.05", "1,000,000"). */
void draw_class_labels(char (*labels)[112], const double *br, int nb, int whole, int lower_closed,
		       enum draw_numstyle style);
/* The legend's label of a map whose values all lie in one class (no breaks): lo, the least
 * value, and hi, the greatest — "1" when they are the same, else "lo–hi" — into out (size n),
 * the numbers as draw_class_labels writes them. */
void draw_range_label(char *out, size_t n, double lo, double hi, enum draw_numstyle style);
/*
 * Class breaks of values around 0 (a change, which may be a loss or a gain): k classes, half
 * of them (k / 2) for the negative values and the rest for those of 0 and more, each side at
 * the quantiles of its own values (type 7), and 0 always a break between them — so the classes
 * read "< a", "a – < 0", "0 – < b", "≥ b" (breaks begin their classes).  A side without values
 * keeps one class (drawn in the legend, so that the colours' meaning shows) and the other side
 * takes the rest — at most DRAW_DIVERGING_SIDE classes a side, its number of shades, so that
 * no two classes share a colour.  Writes at most k - 1 ascending breaks; returns their number
 * (ties between quantiles merge classes), or -1 when no value is finite.
 */
int draw_diverging_breaks(const double *v, size_t n, int k, double *breaks);
/* The class of v among nb breaks: breaks are upper bounds (a break's value in the class below),
 * or with lower_closed lower bounds (in the class above). */
int draw_class_of(double v, const double *breaks, int nb, int lower_closed);
/* The colour ("#rrggbb", static) of class cls of a diverging map whose breaks br[0..nb) hold 0:
 * reds below 0, darker the farther from it, blues from 0 (ColorBrewer RdBu without its white
 * middle).  Breaks without 0 are read as if 0 lay below them all. */
const char *draw_diverging_fill(int cls, const double *br, int nb);
/* The shades on each side of 0 of a diverging map: a side has at most this many classes
 * (draw_diverging_breaks keeps to it; breaks given by hand are checked against it). */
#define DRAW_DIVERGING_SIDE 4
/* Parses "0.5,1,2" into ascending breaks (at most max); -1 with a usage error naming opt
 * ("--breaks") otherwise: an empty value ("1,,2", "1,2,", ",1"), one that is not a decimal number,
 * values that do not increase. */
int draw_parse_breaks(const char *opt, const char *s, double *breaks, int max, int *n, struct kerr *e);
/* The colour of cluster k on point maps as "#rrggbb" (a static string):
 * twelve colours repeating, k < 0 (noise) grey — the colours draw_choropleth
 * gives point_class, for SVG written elsewhere (the portal's map). */
const char *draw_cluster_colour(long k);
/* Releases the process-wide font caches of cairo and fontconfig (they
 * live until exit otherwise, which leak checkers report); call once when
 * no drawing is left to do. */
void draw_shutdown(void);
/* Draws the map to path in m->format, or else the format its ending names
 * (draw_format_for_path; NULL or "-": standard output, SVG unless m->format
 * says otherwise), whole or not at all (outfile.h). */
int draw_choropleth(const struct choropleth *m, const char *path, struct kerr *e);
/* The same map appended to out (buf.h) in m->format ("svg", "png" or "pdf", required), as
 * draw_choropleth would write it to a file: for a server, which sends it rather than writing
 * it.  0, or -1 with e set and out as it was before or with the map's bytes cut short. */
struct buf;
int draw_choropleth_buf(const struct choropleth *m, struct buf *out, struct kerr *e);

#endif
