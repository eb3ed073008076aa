/* mapping.c — cluster-mapping result tables (see mapping.h). */
#include "mapping.h"

#include <math.h>

#include "draw.h"
#include "geo.h"
#include "nuts.h"
#include "related.h"

const char *const mapping_indicator_columns[] = {
	"region", "region_name", "industry", "industry_name", "year", "employment", "establishments",
	"lq", "share_of_region", "share_of_industry", "size_star", "specialisation_star", "focus_star",
	"stars", "strong", "strong10", NULL
};

const char *const mapping_region_index_columns[] = {
	"region", "region_name", "year", "hhi", "hhi_normalised", "hhi_equivalent_number", "krugman",
	"shannon", "theil", NULL
};

const char *const mapping_industry_index_columns[] = {
	"industry", "industry_name", "year", "hhi", "hhi_normalised", "hhi_equivalent_number", "gini",
	"hoover", "eg_gamma", "eg_G", "eg_H", NULL
};

const char *const mapping_shift_columns[] = {
	"region", "region_name", "industry", "industry_name", "year0", "year1", "employment0",
	"employment1", "growth", "national_share", "industry_mix", "regional_shift", NULL
};

/* A year cell: empty for a cube without years (year 0, cube.h). */
static void year_cell(struct tablew *t, int year)
{
	if (year)
		tablew_int(t, year);
	else
		tablew_text(t, NULL);
}

static const char *name_or_null(char **names, size_t i)
{
	return names ? names[i] : NULL;
}

/* A star or flag: v, or an empty cell when it was not computed (indic_known). */
/* A count (stars) or, with yes, a yes/no flag; an empty cell where it is not known. */
static void known_cell(struct tablew *t, unsigned known, unsigned bit, long long v, int yes)
{
	if (!(known & bit))
		tablew_num(t, NAN);
	else if (yes)
		tablew_bool(t, v != 0);
	else
		tablew_int(t, v);
}

static void flag_cell(struct tablew *t, unsigned known, unsigned bit, long long v)
{
	known_cell(t, known, bit, v, 1);
}

/* The rows of mapping_write_indicators, of one year (year_filter >= 0), one region
 * (region_only != (size_t)-1) or all, one industry (industry_only != (size_t)-1) or all;
 * with L, each row's geometry the boundary of the region's features place[r] in L. */
static int write_indicators(const struct cube *c, const struct indic_result *res, int year_filter,
			    size_t region_only, size_t industry_only, const struct geo_layer *L,
			    const struct nuts_place *place, struct tablew *t)
{
	struct buf gj = BUF_INIT;
	size_t y, r, i;
	for (y = 0; y < c->nyear; y++) {
		if (year_filter >= 0 && c->year[y] != year_filter)
			continue;
		for (r = 0; r < c->nreg; r++)
			for (i = 0; i < c->nind && !cube_absent(c, y, r) && (region_only == (size_t)-1 || r == region_only);
			     i++) {
				size_t k = cube_at(c, y, r, i);
				unsigned kn = indic_known(c, res, k);
				if (industry_only != (size_t)-1 && i != industry_only)
					continue;
				if (L && tablew_wants_geometry(t)) {
					buf_reset(&gj);
					geo_features_geojson(&gj, L, place[r].feat, place[r].n);
					tablew_geometry(t, gj.ptr, gj.len);
				}
				tablew_text(t, c->reg[r]);
				tablew_text(t, name_or_null(c->reg_name, r));
				tablew_text(t, c->ind[i]);
				tablew_text(t, name_or_null(c->ind_name, i));
				year_cell(t, c->year[y]);
				tablew_num(t, c->emp[k]);
				tablew_num(t, c->est ? c->est[k] : NAN);
				tablew_num(t, res->lq[k]);
				tablew_num(t, res->share_reg[k]);
				tablew_num(t, res->share_ind[k]);
				if (kn) {
					flag_cell(t, kn, INDIC_KNOWN_SIZE, (res->star_flags[k] & INDIC_STAR_SIZE) != 0);
					flag_cell(t, kn, INDIC_KNOWN_SPEC, (res->star_flags[k] & INDIC_STAR_SPEC) != 0);
					flag_cell(t, kn, INDIC_KNOWN_FOCUS, (res->star_flags[k] & INDIC_STAR_FOCUS) != 0);
					known_cell(t, kn, INDIC_KNOWN_STARS, res->stars[k], 0);
					flag_cell(t, kn, INDIC_KNOWN_STRONG, res->strong[k]);
					flag_cell(t, kn, INDIC_KNOWN_STRONG10, res->strong10[k]);
				}
				tablew_end_row(t);
			}
	}
	buf_release(&gj);
	return 0;
}

int mapping_write_indicators(const struct cube *c, const struct indic_result *res, int year_filter,
			     struct tablew *t, struct kerr *e)
{
	(void)e;
	return write_indicators(c, res, year_filter, (size_t)-1, (size_t)-1, NULL, NULL, t);
}

int mapping_write_region_indicators(const struct cube *c, const struct indic_result *res, int year_filter,
				    size_t r, struct tablew *t, struct kerr *e)
{
	(void)e;
	return write_indicators(c, res, year_filter, r, (size_t)-1, NULL, NULL, t);
}

int mapping_write_industry_layer(const struct cube *c, const struct indic_result *res, int year, size_t i,
				 const struct geo_layer *L, const struct nuts_place *place, struct tablew *t,
				 struct kerr *e)
{
	(void)e;
	return write_indicators(c, res, year, (size_t)-1, i, L, place, t);
}

/* mapping.h. */
int mapping_value_cmp(const void *a, const void *b)
{
	const struct mapping_value *x = a, *y = b;
	if (isnan(x->v) != isnan(y->v))
		return isnan(x->v) ? 1 : -1;
	if (!isnan(x->v) && x->v != y->v)
		return x->v < y->v ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

static int value_index_cmp(const void *a, const void *b)
{
	const struct mapping_value *x = a, *y = b;
	return (x->i > y->i) - (x->i < y->i);
}

void mapping_profile_release(struct mapping_profile *p)
{
	free(p->order);
	free(p->rank);
	memset(p, 0, sizeof(*p));
}

int mapping_region_profile(const struct cube *c, const struct indic_result *res, size_t y, size_t r,
			   struct mapping_profile *p)
{
	size_t i, k;
	struct mapping_value *v;
	memset(p, 0, sizeof(*p));
	if (y >= c->nyear || r >= c->nreg || cube_absent(c, y, r))
		return -1;
	v = xcalloc(c->nind + 1, sizeof(*v));
	p->order = xcalloc(c->nind + 1, sizeof(*p->order));
	p->rank = xcalloc(c->nind + 1, sizeof(*p->rank));
	for (i = 0; i < c->nind; i++) {
		k = cube_at(c, y, r, i);
		v[i].v = res->lq[k];
		v[i].i = i;
		p->ranked += !isnan(v[i].v);
		if (!isnan(c->emp[k])) {
			p->employment += c->emp[k];
			p->industries += c->emp[k] > 0;
		}
		if (indic_known(c, res, k) & INDIC_KNOWN_STARS)
			p->stars[res->stars[k] > 3 ? 3 : res->stars[k]]++;
		if (indic_known(c, res, k) & INDIC_KNOWN_STRONG)
			p->strong += res->strong[k] != 0;
		if (indic_known(c, res, k) & INDIC_KNOWN_STRONG10)
			p->strong10 += res->strong10[k] != 0;
	}
	/* highest LQ first, without an LQ after, ties in the cube's order */
	qsort(v, c->nind, sizeof(*v), mapping_value_cmp);
	/* LQs one under the rules' tie (each with the one before it: they share a rank) in the
	 * cube's order, not by the last bit of their floats */
	for (i = 0; i < p->ranked; i = k) {
		size_t j;
		for (k = i + 1; k < p->ranked && indic_same(v[k].v, v[k - 1].v); k++)
			;
		if (k - i > 1)
			qsort(v + i, k - i, sizeof(*v), value_index_cmp);
		for (j = i; j < k; j++)   /* one rank for the group, its first place's: 1, 2, 2, 4 */
			p->rank[j] = (int)i + 1;
	}
	for (i = 0; i < c->nind; i++)
		p->order[i] = v[i].i;
	free(v);
	return 0;
}

int mapping_write_region_indices(const struct cube *c, const struct indic_indices *x, int year,
				 struct tablew *t, struct kerr *e)
{
	size_t y, r;
	for (y = 0; y < c->nyear; y++)
		for (r = 0; r < c->nreg; r++) {
			size_t k = y * c->nreg + r;
			if (cube_absent(c, y, r) || (year >= 0 && c->year[y] != year))
				continue;
			tablew_text(t, c->reg[r]);
			tablew_text(t, name_or_null(c->reg_name, r));
			year_cell(t, c->year[y]);
			tablew_num(t, x->reg_hhi[k]);
			tablew_num(t, x->reg_hhi_norm[k]);
			tablew_num(t, x->reg_hhi_equiv[k]);
			tablew_num(t, x->reg_krugman[k]);
			tablew_num(t, x->reg_shannon[k]);
			tablew_num(t, x->reg_theil[k]);
			tablew_end_row(t);
		}
	(void)e;
	return 0;
}

int mapping_write_industry_indices(const struct cube *c, const struct indic_indices *x,
				   const struct indic_eg *eg, int year, struct tablew *t, struct kerr *e)
{
	size_t y, i;
	for (y = 0; y < c->nyear; y++)
		for (i = 0; i < c->nind; i++) {
			size_t k = y * c->nind + i;
			if (year >= 0 && c->year[y] != year)
				continue;
			tablew_text(t, c->ind[i]);
			tablew_text(t, name_or_null(c->ind_name, i));
			year_cell(t, c->year[y]);
			tablew_num(t, x->ind_hhi[k]);
			tablew_num(t, x->ind_hhi_norm[k]);
			tablew_num(t, x->ind_hhi_equiv[k]);
			tablew_num(t, x->ind_gini[k]);
			tablew_num(t, x->ind_hoover[k]);
			if (eg) {
				tablew_num(t, eg[k].gamma);
				tablew_num(t, eg[k].G);
				tablew_num(t, eg[k].H);
			}
			tablew_end_row(t);
		}
	(void)e;
	return 0;
}

/* Whether industry i has a value in year0 or year1 in some region: an industry of neither (of a
 * year between them, say) has no rows, as a region of neither has none. */
static int shift_industry_has(const struct indic_shift *s, size_t i)
{
	size_t r;
	for (r = 0; r < s->nreg; r++)
		if (!isnan(s->e0[r * s->nind + i]) || !isnan(s->e1[r * s->nind + i]))
			return 1;
	return 0;
}

int mapping_write_shift(const struct cube *c, const struct indic_shift *s, struct tablew *t,
			struct kerr *e)
{
	size_t r, i;
	unsigned char *ind_has = xcalloc(c->nind + 1, 1);
	for (i = 0; i < c->nind; i++)
		ind_has[i] = (unsigned char)shift_industry_has(s, i);
	for (r = 0; r < c->nreg; r++)
		for (i = 0; i < c->nind && s->has[r]; i++) {
			size_t k = r * c->nind + i;
			if (!ind_has[i])
				continue;
			tablew_text(t, c->reg[r]);
			tablew_text(t, name_or_null(c->reg_name, r));
			tablew_text(t, c->ind[i]);
			tablew_text(t, name_or_null(c->ind_name, i));
			tablew_int(t, s->year0);
			tablew_int(t, s->year1);
			tablew_num(t, s->e0[k]);
			tablew_num(t, s->e1[k]);
			tablew_num(t, s->growth[k]);
			tablew_num(t, s->ns[k]);
			tablew_num(t, s->im[k]);
			tablew_num(t, s->rs[k]);
			tablew_end_row(t);
		}
	free(ind_has);
	(void)e;
	return 0;
}

size_t mapping_shift_regions(struct buf *out, const struct cube *c, const struct indic_shift *s, unsigned has,
			     size_t max)
{
	size_t r, n = 0;
	for (r = 0; r < c->nreg; r++) {
		if (s->has[r] != has)
			continue;
		if (n < max)
			buf_printf(out, "%s%s", n ? ", " : "", c->reg[r]);
		else if (n == max)
			buf_puts(out, ", …");
		n++;
	}
	return n;
}

/* The regions (and industries) listed in a notice, at most. */
enum { SHIFT_NOTICE_REGIONS = 10 };

size_t mapping_shift_notice(struct buf *out, const char *src, const struct cube *c, const struct indic_shift *s)
{
	const char *sep = src && *src ? ": " : "";
	size_t r, i, lines = 0;
	src = src ? src : "";
	if (s->one_year_regions) {
		/* "none in 2015: 08; none in 2023: 06", the years in order */
		static const unsigned char only[2] = { INDIC_SHIFT_HAS1, INDIC_SHIFT_HAS0 };
		size_t k, n, parts = 0;
		buf_printf(out, "%s%s%zu region%s %s data in only one of %d and %d (", src, sep, s->one_year_regions,
			   s->one_year_regions == 1 ? "" : "s", s->one_year_regions == 1 ? "has" : "have", s->year0,
			   s->year1);
		for (k = 0; k < 2; k++) {
			struct buf codes = BUF_INIT;
			n = mapping_shift_regions(&codes, c, s, only[k], SHIFT_NOTICE_REGIONS);
			if (n)
				buf_printf(out, "%snone in %d: %s", parts++ ? "; " : "", k ? s->year1 : s->year0, codes.ptr);
			buf_release(&codes);
		}
		buf_printf(out, "): %s rows are kept, with every component empty and no employment for the year %s",
			   s->one_year_regions == 1 ? "its" : "their", s->one_year_regions == 1 ? "it lacks" : "they lack");
		lines++;
	}
	if (s->no_year_regions) {
		struct buf codes = BUF_INIT;
		mapping_shift_regions(&codes, c, s, 0, SHIFT_NOTICE_REGIONS);
		buf_printf(out, "%s%s%s%zu region%s no data in %d or %d and %s no rows (%s)", lines ? "\n" : "", src, sep,
			   s->no_year_regions, s->no_year_regions == 1 ? " has" : "s have", s->year0, s->year1,
			   s->no_year_regions == 1 ? "has" : "have", codes.ptr);
		buf_release(&codes);
		lines++;
	}
	{
		struct buf codes = BUF_INIT;
		size_t n = 0;
		for (i = 0; i < c->nind; i++)
			if (!shift_industry_has(s, i)) {
				if (n < SHIFT_NOTICE_REGIONS)
					buf_printf(&codes, "%s%s", n ? ", " : "", c->ind[i]);
				else if (n == SHIFT_NOTICE_REGIONS)
					buf_puts(&codes, ", …");
				n++;
			}
		if (n) {
			buf_printf(out, "%s%s%s%zu industr%s no data in %d or %d and %s no rows (%s)", lines ? "\n" : "",
				   src, sep, n, n == 1 ? "y has" : "ies have", s->year0, s->year1, n == 1 ? "has" : "have",
				   codes.ptr);
			lines++;
		}
		buf_release(&codes);
	}
	if (!s->left_out)
		return lines;
	r = s->first_left_out / c->nind;
	i = s->first_left_out % c->nind;
	buf_printf(out, "%s%s%s%zu region x industry cell%s %s a value in only one of %d and %d (first: %s %s, missing "
		   "in %d): %s, %s own components empty", lines ? "\n" : "", src, sep, s->left_out,
		   s->left_out == 1 ? "" : "s", s->left_out == 1 ? "has" : "have",
		   s->year0, s->year1, c->reg[r], c->ind[i], isnan(s->e0[s->first_left_out]) ? s->year0 : s->year1,
		   c->ref ? "the totals are the reference's" : "left out of the totals of both years",
		   s->left_out == 1 ? "its" : "their");
	return lines + 1;
}

const char *const mapping_draw_indicators =
	"lq, employment, share_of_region, share_of_industry, stars, strong, strong10, growth, regional_shift";

static const struct mapping_category categories[] = {
	{ "stars", 4, { 0.5, 1.5, 2.5 }, { "0 gwiazdek", "1 gwiazdka", "2 gwiazdki", "3 gwiazdki" },
	  { "0 stars", "1 star", "2 stars", "3 stars" } },
	{ "strong", 2, { 0.5 }, { "nie spełnia reguły", "silny" }, { "not strong", "strong" } },
	{ "strong10", 2, { 0.5 }, { "nie spełnia reguły", "silny (90.)" }, { "not strong", "strong (90th)" } },
};

const struct mapping_category *mapping_category_of(const char *indicator)
{
	size_t k;
	for (k = 0; indicator && k < sizeof(categories) / sizeof(categories[0]); k++)
		if (strcmp(categories[k].indicator, indicator) == 0)
			return &categories[k];
	return NULL;
}

/* In the order of mapping_indicator_value's cases and of mapping_draw_indicators. */
static const char *const draw_indicator_names[] = { "lq", "employment", "share_of_region", "share_of_industry",
						    "stars", "strong", "strong10", "growth", "regional_shift" };
enum { DI_GROWTH = 7, DI_REGIONAL_SHIFT = 8 };
#define NDRAW_INDICATORS (sizeof(draw_indicator_names) / sizeof(draw_indicator_names[0]))
/* What a map of each says in its legend and title: in both languages, as a map file is read in
 * either (shares as the fractions they are). */
static const char *const draw_indicator_labels[] = {
	"LQ (location quotient) / iloraz lokalizacji",
	"employment / zatrudnienie",
	"share of the region's employment (0–1) / udział w zatrudnieniu regionu (0–1)",
	"share of the industry's employment (0–1) / udział w zatrudnieniu branży (0–1)",
	"ECO stars / gwiazdki ECO",
	"strong cluster (US CMP) / silny klaster",
	"strong cluster, 90th percentile / silny klaster (90. percentyl)",
	"employment growth (fraction: 0.1 = +10%) / dynamika zatrudnienia (ułamek: 0,1 = +10%)",
	"regional shift (jobs; shift-share) / efekt regionalny (miejsca pracy; shift-share)",
};
_Static_assert(sizeof(draw_indicator_labels) / sizeof(draw_indicator_labels[0]) == NDRAW_INDICATORS,
	       "a label for every indicator");

static size_t draw_indicator_index(const char *indicator)
{
	size_t i;
	for (i = 0; indicator && i < NDRAW_INDICATORS; i++)
		if (strcmp(draw_indicator_names[i], indicator) == 0)
			break;
	return indicator ? i : NDRAW_INDICATORS;
}

int mapping_indicator_check(const char *indicator, struct kerr *e)
{
	if (draw_indicator_index(indicator) == NDRAW_INDICATORS)
		return kerr_set(e, KERR_USAGE, "--indicator must be one of %s, not '%s'", mapping_draw_indicators,
				indicator ? indicator : "");
	return 0;
}

double mapping_indicator_value(const struct cube *c, const struct indic_result *res, const char *indicator,
			       size_t k)
{
	switch (draw_indicator_index(indicator)) {
	case 0: return res->lq[k];
	case 1: return c->emp[k];
	case 2: return res->share_reg[k];
	case 3: return res->share_ind[k];
	case 4: return indic_known(c, res, k) & INDIC_KNOWN_STARS ? (double)res->stars[k] : NAN;
	case 5: return indic_known(c, res, k) & INDIC_KNOWN_STRONG ? (double)res->strong[k] : NAN;
	case 6: return indic_known(c, res, k) & INDIC_KNOWN_STRONG10 ? (double)res->strong10[k] : NAN;
	default: return NAN;
	}
}

int mapping_is_change(const char *indicator)
{
	size_t di = draw_indicator_index(indicator);
	return di == DI_GROWTH || di == DI_REGIONAL_SHIFT;
}

double mapping_change_value(const struct indic_shift *s, const char *indicator, size_t r, size_t i)
{
	size_t di = draw_indicator_index(indicator);
	if (!s || r >= s->nreg || i >= s->nind)
		return NAN;
	return di == DI_GROWTH ? s->growth[r * s->nind + i] : di == DI_REGIONAL_SHIFT ? s->rs[r * s->nind + i] : NAN;
}

int mapping_change_years(const struct cube *c, int from, int to, const char *opt_from, const char *opt_to,
			 size_t *y0, size_t *y1, struct kerr *e)
{
	if (c->nyear < 2 || !c->year[0])
		return kerr_set(e, KERR_INPUT, c->year[0] ? "a change needs two years and the data has one (%d)"
				: "a change needs two years and the data has no year column (one period)", c->year[0]);
	*y0 = 0;
	*y1 = c->nyear - 1;
	if (from >= 0 && cube_find_year(c, from, y0, e))
		return kerr_prefix(e, "%s", opt_from), -1;
	if (to >= 0 && cube_find_year(c, to, y1, e))
		return kerr_prefix(e, "%s", opt_to), -1;
	if (*y0 >= *y1)
		return kerr_set(e, KERR_INPUT, "%s %d must come before %s %d (the data has %d to %d)", opt_from,
				c->year[*y0], opt_to, c->year[*y1], c->year[0], c->year[c->nyear - 1]);
	return 0;
}

int mapping_choose(const struct cube *c, const char *industry, const char *indicator, int year, size_t *ind,
		   size_t *y, struct kerr *e)
{
	if (mapping_indicator_check(indicator, e))
		return -1;
	*ind = cube_industry(c, industry);
	if (*ind == (size_t)-1)
		return kerr_set(e, KERR_INPUT, "--industry %s: no such industry in the data", industry);
	*y = c->nyear - 1;
	return year >= 0 ? cube_find_year(c, year, y, e) : 0;
}

/* nuts_lookup on a boundary file: features outside the frame of Europe
 * are not drawn, as on the portal's map. */
static long file_lookup(const void *ctx, const char *code, int *shown)
{
	const struct geo_layer *L = ctx;
	const struct geo_feature *f = geo_layer_find(L, code);
	if (f && !geo_bbox_overlaps(f->bbox, nuts_europe_frame))
		*shown = 0;
	return f ? f - L->f : -1;
}

/* Whether any feature of L has a NUTS-like code. */
static int layer_nuts_like(const struct geo_layer *L)
{
	size_t k;
	for (k = 0; k < L->n; k++)
		if (nuts_code_like(L->f[k].code))
			return 1;
	return 0;
}

size_t mapping_place_regions(const struct cube *c, size_t y, const struct geo_layer *L, const char *src,
			     const char *code_prop, int nuts2013, const char *verb, struct nuts_place *pl)
{
	const unsigned char *skip = c->absent ? c->absent + y * c->nreg : NULL;
	struct buf t = BUF_INIT;
	size_t r, k, drawn = 0, via = 0, hint = 0, unplaced, parts = 0;

	if (nuts2013) {
		nuts_place_regions(c->reg, c->nreg, file_lookup, L, pl);
	} else {
		for (r = 0; r < c->nreg; r++) {
			const struct geo_feature *f = geo_layer_find(L, c->reg[r]);
			nuts_place_one(&pl[r], f ? f - L->f : -1);
		}
	}
	for (r = 0; r < c->nreg; r++) {
		const struct nuts_change *ch;
		if (skip && skip[r])
			continue;
		drawn += pl[r].n > 0;
		if (pl[r].n && pl[r].via && via++ < 3) {
			buf_printf(&t, "%s%s as ", via > 1 ? ", " : "", c->reg[r]);
			for (k = 0; k < pl[r].n; k++)
				buf_printf(&t, "%s%s", k ? "+" : "", L->f[pl[r].feat[k]].code);
		}
		ch = nuts2013 || pl[r].n ? NULL : nuts_change_find(c->reg[r]);
		hint += ch && ch->kind != NUTS_NONE;
		parts += !pl[r].n && pl[r].via && pl[r].why == NUTS_NO_BOUNDARY && nuts_is_nuts3(pl[r].via->to[0]);
	}
	if (via)
		fprintf(stderr, "%s: %zu %s of the data %s through the NUTS 2021 correspondence (%s%s)\n", src, via,
			plural((long long)via, "region", "regions"), verb, t.ptr, via > 3 ? ", …" : "");
	buf_reset(&t);
	unplaced = nuts_unplaced_text(&t, c->reg, pl, c->nreg, skip, 0);
	if (unplaced)
		fprintf(stderr, "%s: %zu %s of the data not %s (property %s): %s\n", src, unplaced,
			plural((long long)unplaced, "region", "regions"), verb, code_prop, t.ptr);
	if (hint && layer_nuts_like(L))
		fprintf(stderr, "%s: %zu of them have a NUTS 2021 correspondence (NUTS codes of 2013 and older): "
			"--nuts2013 uses it\n", src, hint);
	else if (unplaced && !drawn) {
		/* NUTS codes in the data, others in the file: --nuts2013 would not help, another property may */
		for (r = 0; r < c->nreg && !nuts_code_like(c->reg[r]); r++)
			;
		if (r < c->nreg && !layer_nuts_like(L))
			fprintf(stderr, "%s: the data's regions have NUTS codes (%s), the boundaries' property %s holds "
				"none (%s): give the property that holds the NUTS codes with --code-property\n", src,
				c->reg[r], code_prop, L->n ? L->f[0].code : "");
	}
	if (unplaced && L->numeric_codes) {
		/* "02" in the data, 2 in the file: codes are compared as text */
		for (r = 0; r < c->nreg; r++)
			if (!pl[r].n && !(skip && skip[r]) && c->reg[r][0] == '0' && c->reg[r][1])
				break;
		if (r < c->nreg) {
			const char *nz = c->reg[r] + strspn(c->reg[r], "0");
			fprintf(stderr, "%s: property %s of the boundaries is a number in %zu of %zu features, which "
				"drops leading zeros: the data's %s is not %s there; write the codes as strings in "
				"the boundary file (\"%s\")\n", src, code_prop, L->numeric_codes, L->n, c->reg[r],
				*nz ? nz : "0", c->reg[r]);
		}
	}
	if (unplaced) {
		/* 2 in the data, 02 in the boundaries: a spreadsheet took the data's codes for numbers */
		size_t f;
		for (r = 0; r < c->nreg; r++) {
			const char *code = c->reg[r];
			if (pl[r].n || (skip && skip[r]) || !*code || strspn(code, "0123456789") != strlen(code))
				continue;
			for (f = 0; f < L->n; f++) {
				const char *b = L->f[f].code;
				size_t z = b ? strspn(b, "0") : 0;
				if (z && strcmp(b + z, code) == 0) {
					fprintf(stderr, "%s: the data's %s looks like %s of the boundaries without its "
						"leading zero%s (a spreadsheet takes such codes for numbers): write the "
						"codes as text in the data (\"%s\")\n", src, code, b, z > 1 ? "s" : "", b);
					break;
				}
			}
			if (f < L->n)
				break;
		}
	}
	if (parts)
		fprintf(stderr, "%s: %zu of them are drawn on NUTS-3 regions that these boundaries lack: --parts "
			"eu_nuts3_2021_parts_20M_4326.geojson (data/reference) adds them\n", src, parts);
	buf_release(&t);
	return drawn;
}

int mapping_names_present(const struct geo_layer *L, const char *path, const char *prop, struct kerr *e)
{
	size_t k;
	for (k = 0; k < L->n; k++)
		if (L->f[k].name)
			return 0;
	if (!L->n)
		return 0;
	return kerr_set(e, KERR_INPUT, "%s: no feature has the property '%s' (--name-property): the names are "
			"in another property", path, prop);
}

const char *mapping_place_name(const struct geo_layer *L, const struct nuts_place *p)
{
	int placed = p->n > 0 || ((p->why == NUTS_TOO_SMALL || p->why == NUTS_OUTSIDE_FRAME) && p->feat[0] >= 0);
	if (!placed)
		return NULL;   /* not on these boundaries: they cannot name it */
	if (p->via)
		return p->via->name;   /* the old region's own name (PL12 Mazowieckie on PL91 + PL92) */
	return p->n <= 1 ? L->f[p->feat[0]].name : NULL;
}

/* nuts_lookup on a layer, every feature usable (names do not depend on the frame). */
static long name_lookup(const void *ctx, const char *code, int *shown)
{
	const struct geo_layer *L = ctx;
	const struct geo_feature *f = geo_layer_find(L, code);
	(void)shown;
	return f ? f - L->f : -1;
}

size_t mapping_name_regions(struct cube *c, const struct geo_layer *L, const char *src, const char *file,
			    const char *code_prop, int nuts2013)
{
	struct nuts_place *pl = xcalloc(c->nreg + 1, sizeof(*pl));
	struct buf t = BUF_INIT;
	size_t r, named = 0, via = 0, unnamed = 0;
	if (!c->reg_name)
		c->reg_name = xcalloc(c->nreg ? c->nreg : 1, sizeof(char *));
	if (nuts2013)
		nuts_place_regions(c->reg, c->nreg, name_lookup, L, pl);
	else
		for (r = 0; r < c->nreg; r++)
			nuts_place_one(&pl[r], name_lookup(L, c->reg[r], NULL));
	for (r = 0; r < c->nreg; r++) {
		const char *nm = mapping_place_name(L, &pl[r]);
		if (c->reg_name[r] && *c->reg_name[r])
			continue;   /* the data's own name */
		if (!nm || !*nm) {
			if (unnamed++ < 5)
				buf_printf(&t, "%s%s", unnamed > 1 ? ", " : "", c->reg[r]);
			continue;
		}
		free(c->reg_name[r]);
		c->reg_name[r] = xstrdup(nm);
		named++;
		via += pl[r].via != NULL;
	}
	if (!named && !unnamed) {
		fprintf(stderr, "%s: the data names every region: --region-names is not used\n", src);
	} else {
		fprintf(stderr, "%s: %zu %s named from %s", src, named, plural((long long)named, "region", "regions"),
			file);
		if (via)
			fprintf(stderr, " (%zu through the NUTS 2021 correspondence)", via);
		fputc('\n', stderr);
	}
	if (unnamed)
		fprintf(stderr, "%s: %zu %s without a name in the data or in %s (property %s): %s%s\n", src, unnamed,
			plural((long long)unnamed, "region", "regions"), file, code_prop, t.ptr, unnamed > 5 ? ", …" : "");
	buf_release(&t);
	free(pl);
	return named;
}

int mapping_load_layer(struct geo_layer *L, const char *boundaries, const char *parts, const char *code_prop,
		       const char *name_prop, size_t *nparts, struct kerr *e)
{
	struct geo_layer P;
	*nparts = 0;
	if (geo_layer_load(L, boundaries, code_prop, name_prop, e))
		return -1;
	if (!parts)
		return 0;
	if (geo_layer_load(&P, parts, code_prop, name_prop, e)) {
		kerr_prefix(e, "--parts");
		geo_layer_release(L);
		return -1;
	}
	*nparts = P.n;
	if (geo_layer_append(L, &P, parts, e)) {
		kerr_prefix(e, "--parts");
		geo_layer_release(&P);
		geo_layer_release(L);
		*nparts = 0;
		return -1;
	}
	return 0;
}

int mapping_draw_check(const struct mapping_draw_opts *o, double *breaks, int *nb, struct kerr *e)
{
	if (o->layer && (mapping_is_change(o->indicator) || o->hotspots))
		return kerr_set(e, KERR_USAGE, "map draw -o FILE.geojson writes the map of one year's indicator as a layer: "
				"%s -o FILE.geojson writes each region's %s with its boundary",
				mapping_is_change(o->indicator) ? "for a change between two years, map hotspots --regions … "
								  "--indicator growth|regional_shift --band METRES"
								: "for the hot spots, map hotspots --regions …",
				mapping_is_change(o->indicator) ? "change" : "Gi*, z and spot");
	*nb = 0;
	if (mapping_indicator_check(o->indicator, e))
		return -1;
	if (mapping_category_of(o->indicator) && (o->breaks || o->nclasses))
		return kerr_set(e, KERR_USAGE, "--indicator %s is drawn in its categories: --breaks and --classes "
				"do not apply", o->indicator);
	if (o->breaks && draw_parse_breaks("--breaks", o->breaks, breaks, DRAW_MAX_CLASSES - 1, nb, e))
		return -1;
	if (o->breaks && mapping_is_change(o->indicator)) {
		/* a change diverges around 0: 0 is always a break, added where it is missing */
		int k = 0, j;
		while (k < *nb && breaks[k] < 0)
			k++;
		if (k == *nb || breaks[k] != 0) {
			if (*nb == DRAW_MAX_CLASSES - 1)
				return kerr_set(e, KERR_USAGE, "--breaks '%s': a change is drawn with 0 among its breaks, and "
						"with 0 added there would be more than %d", o->breaks, DRAW_MAX_CLASSES - 1);
			for (j = *nb; j > k; j--)
				breaks[j] = breaks[j - 1];
			breaks[k] = 0;
			(*nb)++;
		}
		/* k breaks below 0 make k + 1 classes ending at or below it; the others begin at 0 or
		 * above; each side has four shades (draw_diverging_fill), one a class */
		if (k + 1 > DRAW_DIVERGING_SIDE || *nb - k > DRAW_DIVERGING_SIDE)
			return kerr_set(e, KERR_USAGE, "--breaks '%s': a map of change has at most %d classes on each "
					"side of 0 (the shades of its reds and of its blues), and these make %d below "
					"and %d from 0", o->breaks, DRAW_DIVERGING_SIDE, k + 1, *nb - k);
	}
	return 0;
}

/* The shares' legend in per cent (mapping_draw_opts.percent), in the order of their labels above,
 * then growth's. */
static const char *const draw_share_percent_labels[] = {
	"share of the region's employment (%) / udział w zatrudnieniu regionu (%)",
	"share of the industry's employment (%) / udział w zatrudnieniu branży (%)",
	"employment growth (%) / dynamika zatrudnienia (%)",
};

int mapping_choropleth_init(struct mapping_choropleth *mc, const struct cube *c, const struct indic_result *res,
			    const struct mapping_draw_opts *o, const struct geo_layer *L, size_t nparts,
			    const struct nuts_place *pl, size_t y, size_t ind, struct kerr *e)
{
	struct choropleth *m = &mc->m;
	const struct mapping_category *cat = mapping_category_of(o->indicator);
	size_t di = draw_indicator_index(o->indicator), r, f, k;
	int change = mapping_is_change(o->indicator);
	/* shares and growth in per cent when asked: the values and the legend's heading */
	int pct = o->percent && (di == 2 || di == 3 || di == DI_GROWTH);
	int nb = 0;

	memset(mc, 0, sizeof(*mc));
	if (mapping_draw_check(o, mc->breaks, &nb, e))
		return -1;
	if (change && !o->shift)
		BUG("mapping_choropleth_init: a change (%s) without its shift-share", o->indicator);
	ALLOC_ARRAY(mc->values, L->n ? L->n : 1);
	for (f = 0; f < L->n; f++)
		mc->values[f] = NAN;
	for (r = 0; r < c->nreg; r++)
		for (k = 0; k < pl[r].n; k++)   /* a union: every part */
			mc->values[pl[r].feat[k]] = (change ? mapping_change_value(o->shift, o->indicator, r, ind)
						     : mapping_indicator_value(c, res, o->indicator, cube_at(c, y, r, ind))) *
						    (pct ? 100 : 1);
	m->layer = L;
	m->nparts = nparts;
	m->values = mc->values;
	m->nclasses = o->breaks ? nb + 1 : (o->nclasses ? o->nclasses : 5);
	m->breaks = o->breaks ? mc->breaks : NULL;
	if (change) {
		/* around 0: reds for losses, blues for gains, 0 a bound between them; six classes unless asked */
		if (!o->breaks) {
			nb = draw_diverging_breaks(mc->values, L->n, o->nclasses ? o->nclasses : 6, mc->breaks);
			if (nb < 0) {
				free(mc->values);
				memset(mc, 0, sizeof(*mc));
				return kerr_set(e, KERR_INPUT, "no region has a value of %s to draw", o->indicator);
			}
			m->nclasses = nb + 1;
			m->breaks = mc->breaks;
		}
		m->diverging = 1;
	}
	if (cat) {
		/* a map file is read in either language: both names, unless one is asked for */
		for (k = 0; k < (size_t)cat->nclasses; k++) {
			if (o->lang == DRAW_LANG_BOTH)
				snprintf(mc->names[k], sizeof(mc->names[k]), "%s / %s", cat->en[k], cat->pl[k]);
			else
				snprintf(mc->names[k], sizeof(mc->names[k]), "%s",
					 o->lang == DRAW_LANG_EN ? cat->en[k] : cat->pl[k]);
			mc->labels[k] = mc->names[k];
		}
		m->nclasses = cat->nclasses;
		m->breaks = cat->breaks;
		m->class_labels = mc->labels;
	}
	draw_lang_text(mc->legend, sizeof(mc->legend),
		       pct ? draw_share_percent_labels[di == DI_GROWTH ? 2 : di - 2] : draw_indicator_labels[di], o->lang);
	{
		/* the industry's name in the map's language when known */
		const char *iname = o->lang == DRAW_LANG_BOTH ? (c->ind_name ? c->ind_name[ind] : NULL)
							      : cube_ind_name(c, ind, o->lang == DRAW_LANG_EN);
		snprintf(mc->title, sizeof(mc->title), "%s — %s%s%s", mc->legend, c->ind[ind], iname ? " " : "",
			 iname ? iname : "");
	}
	m->title = o->title ? o->title : mc->title;
	if (change)
		/* the period, with an en dash: "2015–2023" */
		snprintf(mc->subtitle, sizeof(mc->subtitle), "%d\xe2\x80\x93%d", o->shift->year0, o->shift->year1);
	else if (c->year[y])
		snprintf(mc->subtitle, sizeof(mc->subtitle), "%d", c->year[y]);
	m->subtitle = mc->subtitle[0] ? mc->subtitle : NULL;
	m->legend_title = mc->legend;
	m->lang = o->lang;
	m->source = o->source;
	m->format = o->format;
	return 0;
}

void mapping_choropleth_release(struct mapping_choropleth *mc)
{
	free(mc->values);
	memset(mc, 0, sizeof(*mc));
}

int mapping_draw(const struct cube *c, const struct indic_result *res, const struct mapping_draw_opts *o,
		 struct kerr *e)
{
	struct geo_layer L;
	struct mapping_choropleth mc;
	struct mapping_draw_opts oc = *o;
	struct indic_shift sh;
	struct nuts_place *pl = NULL;
	signed char *spots = NULL;
	double breaks[DRAW_MAX_CLASSES];
	size_t y, y0 = 0, ind, nparts, f;
	int nb = 0, rc = -1, change = mapping_is_change(o->indicator);

	memset(&sh, 0, sizeof(sh));
	if (mapping_draw_check(o, breaks, &nb, e))
		return -1;
	if (mapping_choose(c, o->industry, o->indicator, change ? -1 : o->year, &ind, &y, e)) {
		if (o->data_name)   /* the industry or year the data lacks: named with the data */
			kerr_prefix(e, "%s", o->data_name);
		return -1;
	}
	if (change) {
		/* the change between two years: the shift-share of `map shift-share --from --to` */
		if (mapping_change_years(c, o->from, o->year, "--from", "--to", &y0, &y, e) ||
		    indic_shift_share(c, c->year[y0], c->year[y], &sh, e))
			return -1;
		{
			struct buf nt = BUF_INIT;
			if (mapping_shift_notice(&nt, o->data_name ? o->data_name : "the data", c, &sh))
				fprintf(stderr, "%s\n", nt.ptr);
			buf_release(&nt);
		}
		oc.shift = &sh;
	}
	if (mapping_load_layer(&L, o->boundaries, o->parts, o->code_prop, o->name_prop, &nparts, e)) {
		indic_shift_release(&sh);
		return -1;
	}
	if (o->name_prop && mapping_names_present(&L, o->boundaries, o->name_prop, e)) {
		geo_layer_release(&L);
		indic_shift_release(&sh);
		return -1;
	}
	pl = xcalloc(c->nreg + 1, sizeof(*pl));
	if (!mapping_place_regions(c, y, &L, o->boundaries, o->code_prop, o->nuts2013, "drawn", pl)) {
		kerr_set(e, KERR_INPUT, "%s: no region code of the data matches property %s of the boundaries%s",
			 o->boundaries, o->code_prop, o->nuts2013 ? ", also through the NUTS 2013 correspondence" : "");
		goto out;
	}
	if (mapping_choropleth_init(&mc, c, res, &oc, &L, nparts, pl, y, ind, e))
		goto out;
	if (!change && !indic_in_base(c, res, ind)) {
		for (f = 0; f < L.n && isnan(mc.m.values[f]); f++)
			;
		if (f == L.n) {
			/* a local industry against the traded base: nothing was computed for it */
			kerr_set(e, KERR_INPUT, "industry %s is not traded: against the traded base (--base traded) it "
				 "has no %s; draw it against all industries (without --base traded), or draw a traded "
				 "industry", c->ind[ind], o->indicator);
			mapping_choropleth_release(&mc);
			goto out;
		}
	}
	if (o->layer) {
		/* the map as a layer: the same regions on the same boundaries, their values as a table */
		struct tablew *t;
		size_t ncols = 0;
		mapping_choropleth_release(&mc);
		while (mapping_indicator_columns[ncols])
			ncols++;
		if (tablew_open(&t, TABLEW_GEOJSON, o->out, "map", mapping_indicator_columns, ncols, e) == 0) {
			if (mapping_write_industry_layer(c, res, c->year[y], ind, &L, pl, t, e))
				tablew_abort(t);
			else
				rc = tablew_close(t, e);
		}
		goto out;
	}
	if (o->hotspots) {
		/* the hot and cold spots of the values drawn, outlined: those of `map hotspots --regions` */
		struct mapping_hotspots h;
		if (mapping_hotspots(c, res, change ? &sh : NULL, y, ind, o->indicator, &L, pl, o->hotspots, &h, e)) {
			kerr_prefix(e, "--band");
			mapping_hotspots_release(&h);
			mapping_choropleth_release(&mc);
			goto out;
		}
		spots = mapping_spot_features(&h, pl, L.n);
		{
			/* what map hotspots --regions says of the same computation */
			const char *dn = o->data_name ? o->data_name : "the data";
			struct buf nt = BUF_INIT;
			if (h.no_value)
				fprintf(stderr, "%s: %zu %s without a value of %s left out of the hot spots (first: %s)\n",
					dn, h.no_value, h.no_value == 1 ? "region" : "regions", o->indicator,
					c->reg[h.first_no_value]);
			if (spatial_islands_notice(&nt, dn, &h.g, o->hotspots->star,
						   h.g.nisland ? c->reg[h.reg[h.g.first_island]] : NULL))
				fprintf(stderr, "%s\n", nt.ptr);
			buf_reset(&nt);
			if (spatial_all_neighbours_notice(&nt, dn, &h.g, o->hotspots->star))
				fprintf(stderr, "%s\n", nt.ptr);
			buf_release(&nt);
			fprintf(stderr, "%s: %zu %s, %s, band %.10g m: %zu hot and %zu cold %s at p < 0.05 outlined\n",
				dn, h.n, h.n == 1 ? "region" : "regions", o->hotspots->star ? "Gi*" : "Gi",
				o->hotspots->band, h.hot, h.cold, h.cold == 1 ? "spot" : "spots");
		}
		mapping_hotspots_release(&h);
		mc.m.spots = spots;
		mc.m.spots_gi = !o->hotspots->star;
	}
	rc = draw_choropleth(&mc.m, o->out, e);
	mapping_choropleth_release(&mc);
out:
	free(spots);
	free(pl);
	geo_layer_release(&L);
	indic_shift_release(&sh);
	return rc;
}

signed char *mapping_spot_features(const struct mapping_hotspots *h, const struct nuts_place *pl, size_t nfeat)
{
	signed char *spots = xcalloc(nfeat + 1, sizeof(*spots));
	size_t i, k;
	for (i = 0; i < h->n; i++)
		for (k = 0; k < pl[h->reg[i]].n; k++)   /* a union: every part */
			spots[pl[h->reg[i]].feat[k]] = (signed char)spatial_spot(&h->g, i);
	return spots;
}

void mapping_hotspots_release(struct mapping_hotspots *h)
{
	free(h->reg);
	free(h->value);
	free(h->lat);
	free(h->lon);
	free(h->at);
	spatial_getis_ord_release(&h->g);
	memset(h, 0, sizeof(*h));
}

int mapping_hotspots(const struct cube *c, const struct indic_result *res, const struct indic_shift *sh, size_t y,
		     size_t ind, const char *indicator, const struct geo_layer *L, const struct nuts_place *pl,
		     const struct spatial_getis_ord_opts *go, struct mapping_hotspots *h, struct kerr *e)
{
	size_t r, n = c->nreg ? c->nreg : 1;
	int change = mapping_is_change(indicator);

	memset(h, 0, sizeof(*h));
	if (change && !sh)
		return kerr_set(e, KERR_USAGE, "--indicator %s is a change between two years: its hot spots need the "
				"shift-share of the two years", indicator);
	h->first_no_place = h->first_no_value = (size_t)-1;
	ALLOC_ARRAY(h->reg, n);
	ALLOC_ARRAY(h->value, n);
	ALLOC_ARRAY(h->lat, n);
	ALLOC_ARRAY(h->lon, n);
	ALLOC_ARRAY(h->at, n);
	for (r = 0; r < c->nreg; r++) {
		double v = change ? mapping_change_value(sh, indicator, r, ind)
				  : mapping_indicator_value(c, res, indicator, cube_at(c, y, r, ind));
		h->at[r] = (size_t)-1;
		if (cube_absent(c, y, r))
			continue;   /* not in the data this year */
		if (!pl[r].n) {
			if (!h->no_place++)
				h->first_no_place = r;
			continue;
		}
		if (isnan(v)) {
			if (!h->no_value++)
				h->first_no_value = r;
			continue;
		}
		h->at[r] = h->n;
		h->reg[h->n] = r;
		h->value[h->n] = v;
		geo_centroid(L, pl[r].feat, pl[r].n, &h->lon[h->n], &h->lat[h->n]);
		h->n++;
	}
	if (h->n < 2)
		return kerr_set(e, KERR_INPUT, "%zu region%s with a value of %s and a boundary: hot spots need at least two",
				h->n, h->n == 1 ? "" : "s", indicator);
	if (spatial_getis_ord(h->lat, h->lon, h->value, h->n, go, &h->g, e))
		return -1;
	spatial_spots_count(&h->g, &h->hot, &h->cold);
	return 0;
}

const char *const mapping_hotspot_columns[] = {
	"region", "name", "value", "lat", "lon", "gi", "z", "p", "spot", NULL
};

int mapping_write_hotspots(const struct cube *c, const struct geo_layer *L, const struct nuts_place *pl,
			   const struct mapping_hotspots *h, struct tablew *t, struct kerr *e)
{
	struct buf name = BUF_INIT, gj = BUF_INIT;
	size_t i, k;
	int spot;
	for (i = 0; i < h->n; i++) {
		const struct nuts_place *p = &pl[h->reg[i]];
		if (tablew_wants_geometry(t)) {   /* the region's boundary (its parts, for an older NUTS code) */
			buf_reset(&gj);
			geo_features_geojson(&gj, L, p->feat, p->n);
			tablew_geometry(t, gj.ptr, gj.len);
		}
		buf_reset(&name);
		for (k = 0; k < p->n; k++)
			if (L->f[p->feat[k]].name)
				buf_printf(&name, "%s%s", name.len ? " + " : "", L->f[p->feat[k]].name);
		tablew_text(t, c->reg[h->reg[i]]);
		tablew_text(t, name.len ? name.ptr : NULL);   /* null in JSON without a name */
		tablew_num(t, h->value[i]);
		tablew_num(t, h->lat[i]);
		tablew_num(t, h->lon[i]);
		tablew_num(t, h->g.g[i]);
		tablew_num(t, h->g.z[i]);
		tablew_num(t, h->g.p[i]);
		/* neither hot nor cold: an empty cell (null in JSON), as in the points' tables */
		spot = spatial_spot(&h->g, i);
		tablew_text(t, spot ? spatial_spot_name(spot) : NULL);
		tablew_end_row(t);
	}
	buf_release(&name);
	buf_release(&gj);
	(void)e;
	return 0;
}

const char *const mapping_pair_columns[] = {
	"industry", "industry_name", "other_industry", "other_industry_name", "year", "colocation", "proximity", NULL
};
const char *const mapping_density_columns[] = {
	"region", "region_name", "industry", "industry_name", "year", "relatedness_density", NULL
};
const char *const mapping_group_columns[] = {
	"industry", "industry_name", "year", "group", "groups", "group_score", "modularity", NULL
};

int mapping_write_pairs(const struct cube *c, const struct related *rel, size_t only, struct tablew *t,
			struct kerr *e)
{
	size_t i, j, n = rel->nind;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			if (only != (size_t)-1 && i != only && j != only)
				continue;
			tablew_text(t, c->ind[i]);
			tablew_text(t, name_or_null(c->ind_name, i));
			tablew_text(t, c->ind[j]);
			tablew_text(t, name_or_null(c->ind_name, j));
			year_cell(t, rel->year);
			tablew_num(t, rel->colocation[i * n + j]);
			tablew_num(t, rel->proximity[i * n + j]);
			tablew_end_row(t);
		}
	(void)e;
	return 0;
}

int mapping_write_density(const struct cube *c, const struct related *rel, size_t only, struct tablew *t,
			  struct kerr *e)
{
	size_t r, i, y = cube_year(c, rel->year);
	for (r = 0; r < rel->nreg; r++)
		for (i = 0; i < rel->nind && !cube_absent(c, y, r); i++) {
			if (only != (size_t)-1 && i != only)
				continue;
			tablew_text(t, c->reg[r]);
			tablew_text(t, name_or_null(c->reg_name, r));
			tablew_text(t, c->ind[i]);
			tablew_text(t, name_or_null(c->ind_name, i));
			year_cell(t, rel->year);
			tablew_num(t, rel->density[r * rel->nind + i]);
			tablew_end_row(t);
		}
	(void)e;
	return 0;
}

int mapping_write_groups(const struct cube *c, const struct related *rel, size_t only, struct tablew *t,
			 struct kerr *e)
{
	size_t i;
	for (i = 0; i < rel->nind; i++) {
		if (only != (size_t)-1 && i != only && (rel->group[only] < 0 || rel->group[i] != rel->group[only]))
			continue;
		tablew_text(t, c->ind[i]);
		tablew_text(t, name_or_null(c->ind_name, i));
		year_cell(t, rel->year);
		if (rel->group[i] < 0)
			tablew_num(t, NAN);   /* no employment that year: not grouped */
		else
			tablew_int(t, rel->group[i]);
		tablew_int(t, rel->ngroups);
		tablew_num(t, rel->group_score);
		tablew_num(t, rel->modularity);
		tablew_end_row(t);
	}
	(void)e;
	return 0;
}
