/*
 * mapping.h — cluster-mapping results as tables (tablew.h): the front
 * ends (the `klaster map` commands, later the portal's downloads) call
 * these with a loaded cube (cube.h, stats.h) and a table writer.
 */
#ifndef KLASTER_MAPPING_H
#define KLASTER_MAPPING_H

#include "cube.h"
#include "draw.h"
#include "geo.h"
#include "indic.h"
#include "nuts.h"
#include "spatial.h"
#include "tablew.h"

/* Columns of the indicator table, NULL-terminated. */
extern const char *const mapping_indicator_columns[];
extern const char *const mapping_region_index_columns[];
extern const char *const mapping_industry_index_columns[];
extern const char *const mapping_shift_columns[];

/* One row per region × industry × year (cells without employment data
 * are written with empty indicators; a region absent from a year, cube.h,
 * has no rows there). year_filter < 0 writes every year. */
int mapping_write_indicators(const struct cube *c, const struct indic_result *res, int year_filter,
			     struct tablew *t, struct kerr *e);
/* The same rows for region r of c alone (the portal's region profile
 * download, `map indicators --region`). */
int mapping_write_region_indicators(const struct cube *c, const struct indic_result *res, int year_filter,
				    size_t r, struct tablew *t, struct kerr *e);
/* The same rows for industry i of c in year (a year of c; 0 for a cube
 * without years), one per region: the map of one industry as a layer —
 * in GeoJSON each region with its boundary, the features place[r] of L
 * (mapping_place_regions; null where a region has none). */
struct geo_layer;
struct nuts_place;
int mapping_write_industry_layer(const struct cube *c, const struct indic_result *res, int year, size_t i,
				 const struct geo_layer *L, const struct nuts_place *place, struct tablew *t,
				 struct kerr *e);

/* A value of item i (an industry, a region) in an order of mapping_value_cmp (qsort): the
 * highest value first, an unknown (NAN) after every known one, equal values and the unknown in
 * the order of i (the cube's). */
struct mapping_value {
	double v;
	size_t i;
};
int mapping_value_cmp(const void *a, const void *b);

/*
 * A region's profile in year y: its industries ordered by location
 * quotient, highest first (equal LQs in the cube's order; industries
 * without an LQ after them, in the cube's order), and what they add up to.
 * Counted over the industries with a value (not NAN) in the base
 * (indic_in_base): stars (stars[k] industries with k stars) and the strong
 * flags; employment sums the known cells; industries counts those with
 * employment above 0.  0, or -1 when r is not in the data in year y
 * (cube_absent) or out of range.  Release with mapping_profile_release.
 */
struct mapping_profile {
	size_t *order;          /* c->nind industry indices */
	int *rank;              /* c->nind: order[k]'s rank by LQ (1, 2, 2, 4; LQs one under the rules' tie,
				   each with the one before it, share it); 0 without an LQ */
	size_t ranked;          /* the first ranked of order have an LQ */
	double employment;
	size_t industries;
	size_t stars[4];
	size_t strong, strong10;
};
int mapping_region_profile(const struct cube *c, const struct indic_result *res, size_t y, size_t r,
			   struct mapping_profile *p);
void mapping_profile_release(struct mapping_profile *p);
/* Region indices (one row per region × year it is not absent from) or
 * industry indices (one row per industry × year), with the Ellison–Glaeser
 * γ, G and H of a firm list (eg: nyear × nind, index y * nind + i) or
 * empty cells there (eg NULL: no plant data); year >= 0: that year's rows
 * only. */
int mapping_write_region_indices(const struct cube *c, const struct indic_indices *x, int year,
				 struct tablew *t, struct kerr *e);
struct indic_eg;
int mapping_write_industry_indices(const struct cube *c, const struct indic_indices *x,
				   const struct indic_eg *eg, int year, struct tablew *t, struct kerr *e);
/* One row per region × industry between two years, of every region with data in one of them
 * at least (indic_shift.has): a region of one year keeps its rows, with the other year's
 * employment and every component empty; a region of neither has none, nor has an industry
 * without a value in either year in any region. */
int mapping_write_shift(const struct cube *c, const struct indic_shift *s, struct tablew *t,
			struct kerr *e);
/*
 * The codes of the regions whose indic_shift.has is has (INDIC_SHIFT_HAS0: data in year0
 * only; INDIC_SHIFT_HAS1: in year1 only; 0: in neither), appended to out separated by ", ":
 * the first max of them, then "…" when there are more.  Returns how many there are.
 */
size_t mapping_shift_regions(struct buf *out, const struct cube *c, const struct indic_shift *s, unsigned has,
			     size_t max);
/*
 * The notice about what s could not compare, appended to out, one line each
 * (without the last newline):
 * - the regions with data in one year only (indic_shift.one_year_regions), named:
 *   "SRC: 2 regions have data in only one of 2015 and 2023 (none in 2015: 08;
 *   none in 2023: 06): their rows are kept, with every component empty and no
 *   employment for the year they lack";
 * - the regions with data in neither (no_year_regions), named: "SRC: 1 region has
 *   no data in 2015 or 2023 and has no rows (X)";
 * - the industries without a value in either year, named: "SRC: 1 industry has no
 *   data in 2015 or 2023 and has no rows (w)";
 * - the cells known in one year only (indic_shift.left_out): "SRC: 1 region x
 *   industry cell has a value in only one of 2015 and 2023 (first: B x, missing
 *   in 2023): left out of the totals of both years, its own components empty"
 *   ("the totals are the reference's" instead when c has a reference economy,
 *   whose totals the cell does not change).
 * Returns the number of lines; appends nothing when it is 0.  `map shift-share` says
 * it on stderr.
 */
size_t mapping_shift_notice(struct buf *out, const char *src, const struct cube *c, const struct indic_shift *s);

/* Relatedness tables (related.h): industry pairs (i < j) with co-location
 * and proximity; region × industry relatedness density; each industry's
 * group.  only: an industry index whose rows alone are written (pairs: with
 * it on either side; density: its regions; groups: the industries of its
 * group, or its own row when it has none), or (size_t)-1 for every row (the
 * tables of `klaster map relatedness`). */
struct related;
extern const char *const mapping_pair_columns[];
extern const char *const mapping_density_columns[];
extern const char *const mapping_group_columns[];
int mapping_write_pairs(const struct cube *c, const struct related *rel, size_t only, struct tablew *t,
			struct kerr *e);
int mapping_write_density(const struct cube *c, const struct related *rel, size_t only, struct tablew *t,
			  struct kerr *e);
int mapping_write_groups(const struct cube *c, const struct related *rel, size_t only, struct tablew *t,
			 struct kerr *e);

/* A choropleth of one indicator of one industry and year (draw.h). */
struct mapping_draw_opts {
	const char *boundaries;      /* GeoJSON path */
	const char *code_prop;       /* property holding the region code */
	const char *name_prop;       /* may be NULL */
	const char *industry;        /* industry code in the cube */
	const char *indicator;       /* lq, employment, share_of_region, share_of_industry, stars, strong, strong10,
					or a change between two years: growth, regional_shift (mapping_is_change) */
	int year;                    /* -1: the latest year; of a change, its last year (--to) */
	int from;                    /* a change's first year (--from); -1: the data's first (mapping_change_years) */
	const char *data_name;       /* the data in notices (NULL: "the data") */
	const struct indic_shift *shift;  /* a change: indic_shift_share between its two years, which
					     mapping_choropleth_init draws (mapping_draw computes it) */
	int nclasses;                /* 2..9; ignored with breaks */
	const char *breaks;          /* "0.5,1,2" or NULL for quantiles */
	const char *title, *source;  /* NULL: a title is made up; no source line */
	const char *out;             /* .svg, .png or .pdf, or "-" */
	const char *format;          /* svg, png or pdf, or NULL: from out's ending */
	int nuts2013;                /* the codes are NUTS-2 codes of 2013 or older and the boundaries
					NUTS 2021 regions: draw through the correspondence (nuts.h) */
	const char *parts;           /* NULL, or a GeoJSON of NUTS-3 parts (mapping_load_layer) */
	enum draw_lang lang;         /* the map's words and numbers: both languages (0), Polish or
					English (the title made up, the legend, the industry's name) */
	int percent;                 /* shares and growth drawn in per cent (0–100, "(%)" in the legend)
					rather than the fractions of the tables (0: the command line's) */
	const struct spatial_getis_ord_opts *hotspots;  /* mapping_draw: outline the Gi* hot and cold
					spots (p < 0.05) of the values drawn, as mapping_hotspots finds
					them on the regions drawn (metric SPATIAL_GEO); NULL: none */
	int layer;                   /* mapping_draw writes the map as a GeoJSON layer to out instead of a
					picture: the indicator table's rows of the industry and year, each
					region with the boundary it is drawn on (mapping_write_industry_layer;
					not of a change, nor with hotspots) */
};
/*
 * Loads the boundaries and, when parts is not NULL, appends the features of
 * that file (same code and name properties) as parts: the NUTS-3 regions
 * that older NUTS-2 regions are drawn on when no NUTS 2021 NUTS-2 region
 * fits (nuts.h; data/reference/eu_nuts3_2021_parts_20M_4326.geojson).  A
 * map draws a part only where it carries a value.  *nparts gets the number
 * of parts, the last features of L.  0, or -1 with e set (L empty).
 */
int mapping_load_layer(struct geo_layer *L, const char *boundaries, const char *parts, const char *code_prop,
		       const char *name_prop, size_t *nparts, struct kerr *e);
/*
 * An indicator whose values are categories (0–3 stars; strong or not):
 * maps draw it in fixed classes, each named in the legend, instead of
 * classes at the quantiles.  mapping_category_of gives the categories of
 * an indicator, or NULL for one whose values are quantities.
 */
struct mapping_category {
	const char *indicator;
	int nclasses;
	double breaks[3];            /* nclasses - 1 upper bounds */
	const char *pl[4], *en[4];   /* the classes' names */
};
const struct mapping_category *mapping_category_of(const char *indicator);

/*
 * The indicators of change between two years, from the shift-share decomposition
 * (indic_shift_share, as `map shift-share` computes it): growth, the rate (e1 - e0) / e0 of the
 * region's employment in the industry (a fraction; none when e0 is 0 — no rate from nothing),
 * and regional_shift, the shift-share's regional component of the change (in the employment's
 * unit).  Maps draw them in diverging classes around 0 (draw_diverging_breaks).
 */
int mapping_is_change(const char *indicator);
/* The value of change indicator for region r and industry i of s; NAN when it has none (or the
 * indicator is not a change). */
double mapping_change_value(const struct indic_shift *s, const char *indicator, size_t r, size_t i);
/*
 * The two years of a change in c: from and to (each < 0 when not given: the data's first and
 * its last year — a map of change over the whole period; shift-share's table asks for both on
 * data of more than two years).  opt_from and opt_to name the options in messages ("--from",
 * "--to"; the portal's "from", "year").  Errors (KERR_INPUT): data of one year (or no year
 * column); a year not in the data (naming the years there are); from not before to.  0 with
 * *y0 < *y1 the indices of the years.
 */
int mapping_change_years(const struct cube *c, int from, int to, const char *opt_from, const char *opt_to,
			 size_t *y0, size_t *y1, struct kerr *e);

/* Names of the indicators mapping_draw knows, for messages and --help. */
extern const char *const mapping_draw_indicators;
/* Regions of the cube are matched to features by code; regions without a
 * feature are reported on stderr, features without data are drawn as
 * "no data".  With nuts2013 the regions are placed as on the portal's map
 * of Europe (nuts_place_regions): a code without a boundary of its own is
 * drawn as its NUTS 2021 region(s), a union on every part, and regions
 * outside the frame of Europe (nuts_europe_frame) are left out; stderr
 * says which regions were drawn that way and why the others were not.
 * Without it, stderr says how many of the regions without a boundary have
 * a correspondence.  Errors name the option at fault. */
int mapping_draw(const struct cube *c, const struct indic_result *res, const struct mapping_draw_opts *o,
		 struct kerr *e);
/*
 * What mapping_draw draws, once the regions are placed: the choropleth (mc->m) of o's indicator
 * for industry ind and year y of c on L, whose last nparts features are parts, the regions of c
 * placed at pl (c->nreg entries, from mapping_place_regions or the portal's own placing) — the
 * values per feature (of a change, from o->shift, which must be given; y is then its last year:
 * the subtitle says "Y0–Y1", and the classes diverge around 0, --breaks getting 0 added), the classes (o->nclasses, o->breaks, or an indicator's categories), the
 * title made up unless o->title, the year as subtitle, the legend, o->source and o->lang, and
 * o->format.  o->boundaries, o->out and the other file options are not read.  The front end then
 * draws mc->m (draw_choropleth to a file, draw_choropleth_buf to memory).  mc points into L and
 * into itself: keep both while drawing, then mapping_choropleth_release.  0, or -1 with a usage
 * message (o's indicator, breaks or classes) and nothing to release.
 */
struct mapping_choropleth {
	struct choropleth m;
	double *values;
	double breaks[DRAW_MAX_CLASSES];
	char names[4][64];
	const char *labels[4];
	char title[600], subtitle[200], legend[160];
};
int mapping_choropleth_init(struct mapping_choropleth *mc, const struct cube *c, const struct indic_result *res,
			    const struct mapping_draw_opts *o, const struct geo_layer *L, size_t nparts,
			    const struct nuts_place *pl, size_t y, size_t ind, struct kerr *e);
void mapping_choropleth_release(struct mapping_choropleth *mc);
/* The options of o that need no data — the indicator's name, --breaks and
 * --classes against a categorical indicator, the breaks themselves — checked
 * as mapping_draw checks them, so that a command can refuse them before it
 * reads its input: 0 with breaks[0..*nb) parsed (breaks has
 * DRAW_MAX_CLASSES - 1 places), or -1 with a usage message. */
int mapping_draw_check(const struct mapping_draw_opts *o, double *breaks, int *nb, struct kerr *e);

/* 0 when indicator is one of mapping_draw_indicators (exactly), else -1
 * with a usage message naming --indicator. */
int mapping_indicator_check(const char *indicator, struct kerr *e);

/* The value of an indicator named in mapping_draw_indicators for cell k
 * (cube_at) of c; NAN when the cell has none or the name is unknown (or a
 * change, which needs its shift-share: mapping_change_value). */
double mapping_indicator_value(const struct cube *c, const struct indic_result *res, const char *indicator,
			       size_t k);

/*
 * Checks that indicator is one of mapping_draw_indicators and finds the
 * industry (a code of c) and the year (year < 0: the latest; a change's last year comes from
 * mapping_change_years instead) in c: 0 with
 * *ind and *y set, or -1 with a message naming --indicator, --industry or
 * --year.
 */
int mapping_choose(const struct cube *c, const char *industry, const char *indicator, int year, size_t *ind,
		   size_t *y, struct kerr *e);

/*
 * Places the regions of c on the features of L (pl has c->nreg entries, in
 * the cube's order) as mapping_draw does: by code, or with nuts2013 through
 * the NUTS correspondence (nuts_place_regions; features outside the frame
 * of Europe are not used).  Says on stderr, for the regions of year y,
 * which were placed through the correspondence and which were not placed
 * and why; src names the boundary file and verb the use ("drawn",
 * "placed").  Returns the number of regions of year y placed.
 */
size_t mapping_place_regions(const struct cube *c, size_t y, const struct geo_layer *L, const char *src,
			     const char *code_prop, int nuts2013, const char *verb, struct nuts_place *pl);

/*
 * 0 when some feature of L has a name, or L has no features; else -1
 * (KERR_INPUT) saying that no feature of path has property prop: for a
 * --name-property given by hand, which a misspelling would otherwise turn
 * into silently empty names.
 */
int mapping_names_present(const struct geo_layer *L, const char *path, const char *prop, struct kerr *e);

/*
 * The name of a region placed at p on L: through the NUTS correspondence
 * that region's own name (p->via), else the name of its one feature (also
 * when it is too small or outside the frame to be drawn); NULL when it has
 * none or lies on several features.  The portal names its regions so.
 */
const char *mapping_place_name(const struct geo_layer *L, const struct nuts_place *p);

/*
 * Gives every region of c without a name (none, or "") the name of its
 * place on L (mapping_place_name): by code, or with nuts2013 through the
 * NUTS correspondence, whether or not the region could be drawn at the
 * scale of Europe.  Says on stderr how many were named (src: the data's
 * name in messages; file and code_prop those of L), how many through the
 * correspondence, and which stay unnamed.  Returns the number named.
 */
size_t mapping_name_regions(struct cube *c, const struct geo_layer *L, const char *src, const char *file,
			    const char *code_prop, int nuts2013);

/*
 * Getis–Ord hot spots of one indicator across regions (docs/MAPPING.md,
 * "Getis–Ord hot spots"): each region of year y that is placed on L (pl,
 * from mapping_place_regions or the portal's own matching) and has a value
 * of the indicator for industry ind is a point at the centroid of its
 * feature(s) (geo_centroid: a region on several features, a union of NUTS
 * 2021 regions, at the centroid of all of them), and spatial_getis_ord
 * runs on those points with go (go->metric must be SPATIAL_GEO, the band in
 * metres of great-circle distance).  Regions absent from the year
 * (cube_absent) are not counted; regions without a place or without a
 * value (NAN) are left out and counted.  Fewer than two points is
 * KERR_INPUT.  A change indicator (mapping_is_change: growth, regional_shift)
 * takes its values from sh, the shift-share from an earlier year to year y
 * (indic_shift_share; res is then not read): a cell of one year only has
 * no value, nor has the growth of a region without employment in the
 * first year; without sh it is KERR_USAGE.  out is overwritten; release it with
 * mapping_hotspots_release (also after a failure).
 */
struct mapping_hotspots {
	size_t n;                      /* regions in the computation */
	size_t *reg;                   /* their indices in the cube, in the cube's order */
	double *value, *lat, *lon;     /* each one's value and point (degrees) */
	struct spatial_getis_ord g;    /* Gi or Gi* of them: g.n == n */
	size_t *at;                    /* per cube region: its position among the n, or (size_t)-1 */
	size_t no_place, no_value;     /* regions of the year left out: without a boundary, without a value */
	size_t first_no_place, first_no_value;   /* the cube index of the first of each, (size_t)-1: none */
	size_t hot, cold;              /* spatial_spots_count */
};
int mapping_hotspots(const struct cube *c, const struct indic_result *res, const struct indic_shift *sh, size_t y,
		     size_t ind, const char *indicator, const struct geo_layer *L, const struct nuts_place *pl,
		     const struct spatial_getis_ord_opts *go, struct mapping_hotspots *out, struct kerr *e);
void mapping_hotspots_release(struct mapping_hotspots *h);
/* The spot of every feature of a layer of nfeat features (1 hot, -1 cold, 0 neither or no
 * region), from h and the places pl it was computed with (a region on several features marks
 * each): an array the caller frees, as draw's choropleth.spots and the portal's map take it. */
signed char *mapping_spot_features(const struct mapping_hotspots *h, const struct nuts_place *pl, size_t nfeat);

/* region, name, value, lat, lon, gi, z, p, spot (NULL-terminated). */
extern const char *const mapping_hotspot_columns[];
/* One row per region of h, in the cube's order; name is the boundary's
 * (the names of its features joined by " + "), empty without one; spot is
 * "hot", "cold" or empty (null in JSON). */
int mapping_write_hotspots(const struct cube *c, const struct geo_layer *L, const struct nuts_place *pl,
			   const struct mapping_hotspots *h, struct tablew *t, struct kerr *e);

#endif
