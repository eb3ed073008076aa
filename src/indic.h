/*
 * indic.h — cluster-mapping indicators computed from a struct cube:
 * location quotients, shares, European Cluster Observatory stars, the US
 * Cluster Mapping Project "strong cluster" rule, shift-share, and the
 * concentration / specialisation indices of regional economics
 * (Herfindahl, Krugman, locational Gini, Hoover, Shannon, Theil,
 * Ellison–Glaeser).
 *
 * All numbers are double.  A NAN employment cell (missing or confidential)
 * counts as 0 in every sum, but an indicator of that cell itself is NAN
 * (and it never gets a star or the strong flag).  What is not known is
 * never written as 0: indic_known says which stars and flags are.
 *
 * Ownership: every array in a result struct is malloc'ed by the compute
 * function and belongs to the caller until the matching *_release, which
 * frees them all and leaves an empty struct (releasing twice is fine).
 * The cube is only read; results do not point into it.  On failure a
 * compute function returns -1, sets e and leaves its result empty.
 *
 * Layouts: a region × industry × year array uses the cube's layout,
 * index cube_at(c, y, r, i); an industry × year array is y * nind + i;
 * a region × year array is y * nreg + r.
 *
 * The reference values these functions are tested against, with their
 * sources, are listed in tests/vectors/README.md.
 */
#ifndef KLASTER_INDIC_H
#define KLASTER_INDIC_H

#include <stddef.h>

#include "cube.h"
#include "err.h"

/* ---- building blocks on plain vectors (NAN-free input expected) ---- */

/* LQ = (e_ri / E_r) / (E_i / E); NAN when a denominator is 0 or NAN. */
double indic_lq(double e_ri, double E_r, double E_i, double E);

/* The reference economy of year index y as the LQs of indic_compute (base
 * all) use it: industry i's employment in it (the cube's reference value,
 * NAN when the reference leaves i unknown; without a reference the sum of
 * the regions' known cells), and its total (each industry's reference
 * value, or for one the reference leaves unknown the regions' own sum —
 * the least the nation can have — over the industries of year y's data,
 * cube_industry_in_year: one without a value in any region that year adds
 * nothing, as in indic_indices). */
double indic_reference_emp(const struct cube *c, size_t y, size_t i);
double indic_reference_total(const struct cube *c, size_t y);

/*
 * The rules' comparisons of a computed value v with a threshold t (LQ >= 1,
 * LQ >= 2, a star's top value, a percentile): sums of decimal numbers carry
 * rounding (0.1 + 0.2 is not 0.3 in binary), so an LQ that is 1 in decimal
 * arithmetic comes out as 0.9999999999999998 about one time in four on data
 * of one decimal place.  Values within INDIC_TIE of t, relative to t, count
 * as equal to it: indic_ge is v >= t - INDIC_TIE * |t|, indic_gt is
 * v > t + INDIC_TIE * |t|.  Whole numbers are unaffected: an LQ of whole
 * counts that is 1 is computed as exactly 1, and one that is not differs
 * from it by at least 1 / (E_r * E_i), more than INDIC_TIE while E_r * E_i
 * stays below 10^12.  NAN on either side gives 0.
 */
#define INDIC_TIE 1e-12
int indic_ge(double v, double t);
int indic_gt(double v, double t);
/* 1 when x and y are one value to the rules: equal, or each indic_ge the other (so they share a
 * rank); 0 when either is NAN. */
int indic_same(double x, double y);

/* The binary form of an LQ: 1 when lq >= threshold (indic_ge: an LQ at the
 * threshold gives 1), 0 below, NAN stays NAN.  The usual threshold is 1. */
double indic_binary(double lq, double threshold);

/*
 * Sorts the n values v ascending, as the C library's qsort (a stable merge
 * sort) does with a comparison of x < y and x > y: equal values (0 and -0)
 * keep their order, so the result is the same to the bit; an array holding
 * a NaN is given to qsort itself.  Without a call per comparison.
 */
void indic_sort(double *v, size_t n);

/*
 * Quantile by linear interpolation, type 7 (R's quantile() default,
 * d3.quantile): h = (n - 1) p, q = x[floor h] + (h - floor h)
 * (x[floor h + 1] - x[floor h]).  x must be sorted ascending, n >= 1,
 * 0 <= p <= 1.  Returns NAN when n == 0.
 */
double indic_quantile7(const double *x, size_t n, double p);

/* Herfindahl of v[0..n) (amounts or shares; normalised to shares here).  The normalised
 * Herfindahl, Krugman, Theil, Hoover and locational Gini below are exactly 0 when they are
 * within INDIC_TIE of 0: the rounding of shares that agree in exact arithmetic, not an index
 * (docs/MAPPING.md, "Indices"). */
struct indic_hhi {
	double hhi;      /* sum of squared shares, in [1/n, 1] */
	double norm;     /* (hhi - 1/n) / (1 - 1/n); NAN when n == 1 */
	double equiv;    /* equivalent number 1/hhi */
};
/* Returns 0, or -1 when the sum is not positive (out is then all NAN). */
int indic_herfindahl(const double *v, size_t n, struct indic_hhi *out);

/*
 * Krugman specialisation index of a region against a reference economy,
 * as REAT's krugman.spec: K = sum_i |s_ri - s_i| with s_ri = reg[i] /
 * sum(reg) and s_i = ref[i] / sum(ref).  Not halved: K is in [0, 2].
 * NAN when a sum is not positive.
 */
double indic_krugman(const double *reg, const double *ref, size_t n);

/*
 * Locational Gini of one industry over n regions, as REAT's gini.conc:
 * with s_j = e_ij / sum(e_ij) (the region's share of the industry) and
 * x_j = e_j / sum(e_j) (the region's share of all employment), the Gini
 * coefficient of the n ratios q_j = s_j / x_j (the LQs), unweighted and
 * without small-sample correction:
 *   G = 2 sum_k k q_(k) / (n sum q) - (n + 1) / n,  q_(1) <= ... <= q_(n).
 * In [0, (n-1)/n].  NAN when a sum is not positive or some e_j is 0.
 */
double indic_gini_conc(const double *e_ij, const double *e_j, size_t n);

/*
 * Hoover concentration index of one industry over n regions:
 * 0.5 sum_j |s_j - x_j| with s_j and x_j as for indic_gini_conc; in [0, 1).
 * NAN when a sum is not positive.
 */
double indic_hoover(const double *e_ij, const double *e_j, size_t n);

/* Shannon diversity -sum s ln s over the shares of v (0 ln 0 = 0);
 * NAN when the sum is not positive. */
double indic_shannon(const double *v, size_t n);

/*
 * Theil specialisation index (relative entropy) of a region against the
 * reference: sum_i s_ri ln(s_ri / s_i), terms with s_ri == 0 omitted.
 * 0 when the region mirrors the reference; INFINITY when the region has
 * an industry the reference lacks; NAN when a sum is not positive.
 */
double indic_theil(const double *reg, const double *ref, size_t n);

/*
 * Ellison–Glaeser agglomeration index of one industry from plant data.
 * Plant k lies in region plant_reg[k] (0 <= plant_reg[k] < nreg) and
 * employs plant_emp[k] >= 0.  x[j] is region j's total employment (or its
 * share; normalised to shares here).  With s_j the industry's share in
 * region j and z_k the plant's share of the industry:
 *   G = sum_j (s_j - x_j)^2,   H = sum_k z_k^2,
 *   gamma = (G - (1 - sum x_j^2) H) / ((1 - sum x_j^2)(1 - H)).
 * gamma is NAN when H == 1 (one plant) or sum x_j^2 == 1 (one region).
 * Returns 0, or -1 (KERR_INPUT) for a region index out of range, a
 * negative or NAN value, or a zero industry or x total.
 */
struct indic_eg {
	double gamma, G, H;
};
int indic_ellison_glaeser(const size_t *plant_reg, const double *plant_emp, size_t nplant,
			  const double *x, size_t nreg, struct indic_eg *out, struct kerr *e);
/*
 * The same for every industry of c in year y (index), from n plants in
 * region preg[k] and industry pind[k] (indices of c) employing pemp[k]; x
 * is each region's total employment in c that year (missing cells 0).
 * out has c->nind entries; an industry without plants or whose plants
 * employ no one gets NAN.  Returns 0, or -1 as indic_ellison_glaeser.
 */
int indic_ellison_glaeser_all(const struct cube *c, size_t y, const size_t *preg, const size_t *pind,
			      const double *pemp, size_t n, struct indic_eg *out, struct kerr *e);

/* ---- per region × industry × year indicators ---- */

enum indic_base {
	INDIC_BASE_ALL = 0,     /* E_r and E over all industries */
	INDIC_BASE_TRADED = 1   /* only industries with traded == 1 */
};

struct indic_opts {
	enum indic_base base;
	double spec_lq;          /* specialisation star when lq >= this; 2 */
	unsigned top_pct;        /* size and focus stars: top this % of regions; 10 */
	int only_year;           /* -1: every year; else the one year computed (a value of c->year,
				    as a command's --year): the other years' indicators are empty
				    (NAN, no star, not strong) and their data is not checked */
	int also_year;           /* with only_year: a second year computed, or -1 */
};
#define INDIC_OPTS_INIT { INDIC_BASE_ALL, 2.0, 10, -1, -1 }

/* Bits of indic_result.star_flags. */
enum { INDIC_STAR_SIZE = 1, INDIC_STAR_SPEC = 2, INDIC_STAR_FOCUS = 4 };

struct indic_result {
	size_t nyear, nreg, nind;       /* the cube's shape */
	enum indic_base base;
	int est_dropped;                /* 1: no establishments data, the strong rule
					   was applied without its establishment test */

	/* region × industry × year (cube layout) */
	double *lq;                     /* (e_ri / E_r) / (E_i / E) */
	double *share_reg;              /* e_ri / E_r */
	double *share_ind;              /* e_ri / E_i */
	unsigned char *star_flags;      /* INDIC_STAR_* bits */
	unsigned char *stars;           /* 0..3, the number of bits set */
	unsigned char *strong;          /* US CMP strong cluster: 0 / 1 */
	unsigned char *strong10;        /* the same with the 90th LQ percentile */
	unsigned char *strong_unknown;  /* INDIC_UNKNOWN_* bits: the flag cannot be decided (the
					   cell's establishments are unknown); strong, strong10
					   are 0 there.  Read through indic_known */

	/* industry × year: the thresholds used (NAN when no region qualified) */
	double *E_i;                    /* reference employment of the industry */
	double *size_thr, *focus_thr;   /* employment, share_reg at the star boundary */
	double *p75_lq, *p90_lq, *p25_emp, *p25_est;   /* p25_est NAN without est */
	unsigned char *est_none;        /* 1: c->est is given but no region the rule looks at
					   has a known establishments value: the rule was
					   applied without its establishment test there */

	/* region × year and per year */
	double *E_r;                    /* the region's base employment */
	double *E;                      /* nyear: the reference total for the base */
};

/*
 * Computes every region × industry × year indicator of cube c (o may be
 * NULL for INDIC_OPTS_INIT).
 *
 * E_r sums region r's industries (only traded == 1 ones with
 * INDIC_BASE_TRADED).  E_i is c->ref when given, otherwise the sum over
 * the cube's regions; E sums E_i over the same industries as E_r that are
 * industries of the year's data (cube_industry_in_year: an industry with
 * no value in any region that year adds nothing to E, though the reference
 * has a value for it), as indic_reference_total.  A NAN reference value
 * makes the industry's lq and share_ind NAN that year.
 * With INDIC_BASE_TRADED an industry whose flag is not 1 (local or not
 * given) is outside the base: its lq and share_reg are NAN and it gets no
 * star and no strong flag (share_ind is still given).
 *
 * European Cluster Observatory stars, per industry and year, over the
 * regions whose employment cell is not NAN (n of them):
 *   size   rank e_ri descending; with k = ceil(n * top_pct / 100) (k >= 1,
 *          computed in integers), a region gets the star when e_ri >= the
 *          value at rank k.  Ties at the boundary all get it, so more than
 *          k regions may; a region with zero employment never does.
 *   spec   lq >= spec_lq.
 *   focus  the same ranking rule as size, on share_reg.
 *
 * US Cluster Mapping Project rule, per industry and year over the regions
 * with employment > 0 and a non-NAN lq: strong when lq >= P75(lq),
 * employment > P25(employment), establishments > P25(establishments) and
 * lq >= 1; strong10 the same with P90(lq).  Percentiles are type 7 (see
 * indic_quantile7).  P25 of establishments is taken over those regions
 * whose establishments cell is not NAN.  A region whose establishments
 * cell is NAN cannot pass or fail that test: its flag is 0 (known) when
 * another test fails, and unknown (strong_unknown, indic_known) when all
 * the others pass.  When c->est is NULL the establishment test is dropped
 * and est_dropped is set; when no region of an industry-year has a known
 * establishments value it is dropped there alone, and est_none says where
 * (indic_est_none, indic_est_notice).
 *
 * A region absent from a year (cube.h, cube_leave_out_empty) has NAN E_r
 * and indicators there, and no star or strong flag.
 *
 * Errors (KERR_INPUT, out left empty): an empty cube; INDIC_BASE_TRADED
 * without traded flags (c->traded NULL or no industry flagged 1); a region
 * whose base employment is zero (or all NAN) in a year it is not absent
 * from — the message names the region code and the year; a reference total
 * of zero in a year.
 */
int indic_compute(const struct cube *c, const struct indic_opts *o, struct indic_result *out,
		  struct kerr *e);
/* 1 when industry i of c takes part in r's base: always with
 * INDIC_BASE_ALL, only when flagged traded with INDIC_BASE_TRADED (an
 * industry outside the base has no LQ, share of region, star or strong
 * flag: they are not 0 but not computed, and written empty). */
int indic_in_base(const struct cube *c, const struct indic_result *r, size_t i);
/* Bits of indic_known. */
enum {
	INDIC_KNOWN_SIZE = 1, INDIC_KNOWN_SPEC = 2, INDIC_KNOWN_FOCUS = 4,
	INDIC_KNOWN_STARS = 8,          /* the number of stars: all three known */
	INDIC_KNOWN_STRONG = 16,        /* strong, and so strong10 too */
	INDIC_KNOWN_STRONG10 = 32       /* strong10 */
};
/* Bits of indic_result.strong_unknown. */
enum { INDIC_UNKNOWN_STRONG = 1, INDIC_UNKNOWN_STRONG10 = 2 };
/*
 * Which stars and flags of cell k (cube layout) were computed, as
 * INDIC_KNOWN_* bits: none when its employment is NAN or its industry is
 * outside the base; else the size star, the focus star when its share of
 * the region is known, the specialisation star and the strong flags when
 * its LQ is known (a NAN reference value, or an industry without
 * employment anywhere, leaves it NAN), and the number of stars when all
 * three stars are.  A strong flag is not known either where the cell's
 * establishments are unknown and every other test of the rule passes
 * (indic_compute).  Whenever strong is known strong10 is too;
 * INDIC_KNOWN_STRONG10 alone also knows the strong10 of 0 of a cell whose
 * strong is unknown (its LQ below the 90th percentile), and every writer
 * of strong10 tests it.  A star or
 * flag not computed is not 0: every writer leaves it empty (null in JSON,
 * a dash on a page).
 */
unsigned indic_known(const struct cube *c, const struct indic_result *r, size_t k);
/*
 * The industry-years whose strong rule was applied without its
 * establishment test because none of their establishments is known
 * (indic_result.est_none): their number, and the first in first ("C27 in
 * 2015", "C27" for a cube without years; "" when none), truncated to size
 * bytes.  0 when c->est is NULL (est_dropped says that).
 */
size_t indic_est_none(const struct cube *c, const struct indic_result *r, char *first, size_t size);
/*
 * The notice about a strong rule applied without its establishment test,
 * appended to out after "name: " (name may be NULL or ""): for data
 * without establishments, "no establishments column: the strong rule is
 * applied without its establishment test" (returns 1); else, for the
 * industry-years of indic_est_none, "no establishments value is known in 1
 * industry-year (first: x in 2015): the strong rule is applied there
 * without its establishment test" (returns their number).  Appends
 * nothing and returns 0 when the test was applied everywhere.
 */
struct buf;
size_t indic_est_notice(struct buf *out, const char *name, const struct cube *c, const struct indic_result *r);
void indic_result_release(struct indic_result *r);

/* ---- shift-share between two years ---- */

struct indic_shift {
	size_t nreg, nind;
	int year0, year1;
	double G;               /* reference growth rate (E1 - E0) / E0 */
	double *G_ind;          /* nind: reference growth of each industry; NAN when its reference
				   is unknown in either year or 0 in year0 (no rate from nothing) */
	/* region × industry, index r * nind + i */
	double *e0, *e1;        /* employment in the two years */
	double *growth;         /* g_ri = (e1 - e0) / e0; NAN when e0 == 0 */
	double *ns;             /* national share  e0 G */
	double *im;             /* industry mix    e0 (G_i - G) */
	double *rs;             /* regional shift  e0 (g_ri - G_i) */
	size_t left_out;        /* cells with a value in one of the two years only */
	size_t first_left_out;  /* the first of them (r * nind + i), or (size_t)-1 */
	/* nreg: INDIC_SHIFT_HAS0 | INDIC_SHIFT_HAS1, whether the region has data (a cell with a
	 * value, and not absent) in year0 and in year1.  A region of one year (1 or 2) keeps its
	 * rows, with the other year's employment and every component empty; a region of neither
	 * (0) has no row (mapping_write_shift) */
	unsigned char *has;
	size_t one_year_regions; /* regions with data in one of the two years only */
	size_t no_year_regions;  /* regions with data in neither */
};
enum { INDIC_SHIFT_HAS0 = 1, INDIC_SHIFT_HAS1 = 2 };

/*
 * Classic shift-share decomposition of e1 - e0 for every cell.  The
 * reference is c->ref when given, else the sum of the cube's regions over
 * the cells known in both years: a cell with a value in one year only
 * (counted in left_out) is left out of the totals of both years, so that a
 * missing cell never passes for growth from or to 0.  The industries of
 * year0's or year1's data (cube_industry_in_year) take part — one with no
 * value in either year adds no reference value to the totals, as in
 * indic_compute; an industry the reference leaves unknown in either year
 * counts in both reference totals E0, E1 at the regions' own employment
 * (as in indic_compute, and in both years, so that G holds no jump from a
 * national value to a regional one) and has NAN G_ind.  RS is computed as
 * the residual (e1 - e0) - NS - IM, which equals e0 (g_ri - G_i) and
 * makes NS + IM + RS = e1 - e0 hold to rounding.  A cell with e0 == 0 has
 * NS = IM = 0 and RS = e1 whatever G_ind — also in an industry without
 * employment anywhere in year0, or unknown in the reference, whose G_ind
 * is NAN.  IM and RS that are zero up to rounding (|x| <= 1e-9 times the
 * largest term) are exactly 0.  A cell with NAN in either year has NAN
 * components, and so has a cell with e0 != 0 of an industry whose G_ind is
 * NAN (its reference unknown in either year).  has[] tells the regions
 * with data in both years from those of one year or of neither.
 *
 * Errors (KERR_INPUT, out left empty): a year not in the cube (the message
 * lists the years there are); a reference total of zero in year0.
 */
int indic_shift_share(const struct cube *c, int year0, int year1, struct indic_shift *out,
		      struct kerr *e);
void indic_shift_release(struct indic_shift *s);

/* ---- region and industry indices per year ---- */

struct indic_indices {
	size_t nyear, nreg, nind;
	/* region × year (index y * nreg + r): over the region's industries,
	 * n = nind for the normalised Herfindahl */
	double *reg_hhi, *reg_hhi_norm, *reg_hhi_equiv;
	double *reg_krugman;    /* vs the reference economy (c->ref or the sum) */
	double *reg_shannon;
	double *reg_theil;      /* vs the reference economy */
	/* industry × year (index y * nind + i): over the cube's regions,
	 * n = nreg for the normalised Herfindahl */
	double *ind_hhi, *ind_hhi_norm, *ind_hhi_equiv;
	double *ind_gini;       /* REAT gini.conc against region totals */
	double *ind_hoover;     /* against region totals */
};

/*
 * Computes the indices of every region and industry in every year.  NAN
 * cells count as 0; all industries take part (no traded base).  An
 * industry with no employment in the cube's regions that year has NAN
 * industry indices.  A region absent from a year (cube.h), or with no
 * employment in it (a structure of nothing), has NAN region indices there
 * and takes no part in the industry indices.  Errors: an empty cube.
 */
int indic_indices(const struct cube *c, struct indic_indices *out, struct kerr *e);
void indic_indices_release(struct indic_indices *x);

#endif
