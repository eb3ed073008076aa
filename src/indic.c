/*
 * indic.c — cluster-mapping indicators (see indic.h for the contracts).
 *
 * Structure: plain-vector building blocks first (each one tested against
 * a published vector), then the cube drivers, which only gather vectors
 * out of the cube and call them.
 */
#include "indic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static double nz(double v)
{
	return isnan(v) ? 0.0 : v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/*
 * indic.h.  Sorts v ascending as qsort with cmp_double does, which is the C library's
 * stable merge sort here, without a call per comparison (the stars and the
 * strong rule sort five arrays per industry and year, the locational Gini
 * one, each over the regions): short arrays by insertion, longer ones by a
 * merge sort of runs of 32 — both stable, so that equal values such as 0
 * and -0 keep their order and the result is the C library's to the bit.  An
 * array with a NaN, which compares equal to everything in cmp_double, goes
 * to qsort as before: no order is defined, so the same algorithm keeps the
 * same result.
 */
#define SORT_RUN 32

static void insertion_sort(double *v, size_t n)
{
	size_t k, j;
	for (k = 1; k < n; k++) {
		double x = v[k];
		for (j = k; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void indic_sort(double *v, size_t n)
{
	double *tmp, *from, *to, *t;
	size_t k, w;
	for (k = 0; k < n; k++)
		if (isnan(v[k]))
			break;
	if (k < n) {
		qsort(v, n, sizeof(*v), cmp_double);
		return;
	}
	if (n <= SORT_RUN) {
		insertion_sort(v, n);
		return;
	}
	for (k = 0; k < n; k += SORT_RUN)
		insertion_sort(v + k, n - k < SORT_RUN ? n - k : SORT_RUN);
	ALLOC_ARRAY(tmp, n);
	from = v;
	to = tmp;
	for (w = SORT_RUN; w < n; w *= 2) {
		/* runs of w from from[] merged pairwise into to[]; a tie takes the left run's first */
		for (k = 0; k < n; k += 2 * w) {
			size_t i = k, mid = k + w < n ? k + w : n, j = mid, end = k + 2 * w < n ? k + 2 * w : n, o = k;
			while (i < mid && j < end)
				to[o++] = from[j] < from[i] ? from[j++] : from[i++];
			while (i < mid)
				to[o++] = from[i++];
			while (j < end)
				to[o++] = from[j++];
		}
		t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
	free(tmp);
}

static double sum(const double *v, size_t n)
{
	double s = 0;
	size_t k;
	for (k = 0; k < n; k++)
		s += v[k];
	return s;
}

/*
 * An index of shares (range 0 to 1 or 2, Theil from 0) that is 0 in exact arithmetic comes out
 * as the rounding of its terms, ±1e-17, or below its range (a normalised Herfindahl of
 * −1.5e-17, a Theil of −1.1e-17, where both are ≥ 0): a value within INDIC_TIE of 0 is 0.
 * Values of a true index that small would say that shares agree to twelve digits.
 */
static double index_zero(double x)
{
	return fabs(x) <= INDIC_TIE ? 0.0 : x;
}

/* ---- building blocks ---- */

double indic_lq(double e_ri, double E_r, double E_i, double E)
{
	if (isnan(e_ri) || !(E_r > 0) || !(E_i > 0) || !(E > 0))
		return NAN;
	return (e_ri / E_r) / (E_i / E);
}

int indic_ge(double v, double t)
{
	return v >= t - INDIC_TIE * fabs(t);
}

int indic_same(double x, double y)
{
	return x == y || (indic_ge(x, y) && indic_ge(y, x));
}

int indic_gt(double v, double t)
{
	return v > t + INDIC_TIE * fabs(t);
}

double indic_binary(double lq, double threshold)
{
	if (isnan(lq))
		return NAN;
	return indic_ge(lq, threshold) ? 1.0 : 0.0;
}

double indic_quantile7(const double *x, size_t n, double p)
{
	double h, lo;
	size_t k;
	if (n == 0)
		return NAN;
	h = (double)(n - 1) * p;
	lo = floor(h);
	k = (size_t)lo;
	if (k + 1 >= n)
		return x[n - 1];
	return x[k] + (h - lo) * (x[k + 1] - x[k]);
}

int indic_herfindahl(const double *v, size_t n, struct indic_hhi *out)
{
	double s = sum(v, n), h = 0;
	size_t k;
	out->hhi = out->norm = out->equiv = NAN;
	if (!(s > 0))
		return -1;
	for (k = 0; k < n; k++)
		h += (v[k] / s) * (v[k] / s);
	out->hhi = h;
	out->equiv = 1.0 / h;
	if (n > 1)
		out->norm = index_zero((h - 1.0 / (double)n) / (1.0 - 1.0 / (double)n));
	return 0;
}

double indic_krugman(const double *reg, const double *ref, size_t n)
{
	double sr = sum(reg, n), sf = sum(ref, n), k = 0;
	size_t i;
	if (!(sr > 0) || !(sf > 0))
		return NAN;
	for (i = 0; i < n; i++)
		k += fabs(reg[i] / sr - ref[i] / sf);
	return index_zero(k);
}

double indic_gini_conc(const double *e_ij, const double *e_j, size_t n)
{
	double si = sum(e_ij, n), sj = sum(e_j, n), sq = 0, acc = 0, g;
	double *q;
	size_t k;
	if (n == 0 || !(si > 0) || !(sj > 0))
		return NAN;
	for (k = 0; k < n; k++)
		if (!(e_j[k] > 0))
			return NAN;
	ALLOC_ARRAY(q, n);
	for (k = 0; k < n; k++) {
		q[k] = (e_ij[k] / si) / (e_j[k] / sj);
		sq += q[k];
	}
	indic_sort(q, n);
	for (k = 0; k < n; k++)
		acc += (double)(k + 1) * q[k];
	g = 2.0 * acc / ((double)n * sq) - ((double)n + 1.0) / (double)n;
	free(q);
	return index_zero(g);
}

double indic_hoover(const double *e_ij, const double *e_j, size_t n)
{
	double si = sum(e_ij, n), sj = sum(e_j, n), h = 0;
	size_t k;
	if (!(si > 0) || !(sj > 0))
		return NAN;
	for (k = 0; k < n; k++)
		h += fabs(e_ij[k] / si - e_j[k] / sj);
	return index_zero(0.5 * h);
}

double indic_shannon(const double *v, size_t n)
{
	double s = sum(v, n), h = 0;
	size_t k;
	if (!(s > 0))
		return NAN;
	for (k = 0; k < n; k++)
		if (v[k] > 0)
			h -= (v[k] / s) * log(v[k] / s);
	return h;
}

double indic_theil(const double *reg, const double *ref, size_t n)
{
	double sr = sum(reg, n), sf = sum(ref, n), t = 0;
	size_t i;
	if (!(sr > 0) || !(sf > 0))
		return NAN;
	for (i = 0; i < n; i++) {
		double a = reg[i] / sr, b = ref[i] / sf;
		if (a <= 0)
			continue;
		if (b <= 0)
			return INFINITY;
		t += a * log(a / b);
	}
	return index_zero(t);
}

int indic_ellison_glaeser(const size_t *plant_reg, const double *plant_emp, size_t nplant,
			  const double *x, size_t nreg, struct indic_eg *out, struct kerr *e)
{
	double *s = NULL, tot = 0, xt = 0, G = 0, H = 0, sx2 = 0;
	size_t k, j;
	int ret = -1;

	out->gamma = out->G = out->H = NAN;
	for (k = 0; k < nplant; k++) {
		if (plant_reg[k] >= nreg) {
			kerr_set(e, KERR_INPUT, "plant %zu: region index %zu out of range (%zu regions)",
				 k, plant_reg[k], nreg);
			goto cleanup;
		}
		if (!(plant_emp[k] >= 0)) {
			kerr_set(e, KERR_INPUT, "plant %zu: employment must be a number >= 0", k);
			goto cleanup;
		}
		tot += plant_emp[k];
	}
	for (j = 0; j < nreg; j++) {
		if (!(x[j] >= 0)) {
			kerr_set(e, KERR_INPUT, "region %zu: total employment must be a number >= 0", j);
			goto cleanup;
		}
		xt += x[j];
	}
	if (!(tot > 0)) {
		kerr_set(e, KERR_INPUT, "the industry's plants have no employment");
		goto cleanup;
	}
	if (!(xt > 0)) {
		kerr_set(e, KERR_INPUT, "the regions have no total employment");
		goto cleanup;
	}
	s = xcalloc(nreg ? nreg : 1, sizeof(*s));
	for (k = 0; k < nplant; k++) {
		double z = plant_emp[k] / tot;
		s[plant_reg[k]] += z;
		H += z * z;
	}
	for (j = 0; j < nreg; j++) {
		double xj = x[j] / xt;
		G += (s[j] - xj) * (s[j] - xj);
		sx2 += xj * xj;
	}
	out->G = G;
	out->H = H;
	if (H < 1 && sx2 < 1)
		out->gamma = (G - (1 - sx2) * H) / ((1 - sx2) * (1 - H));
	ret = 0;
cleanup:
	free(s);
	return ret;
}

/* ---- cube helpers ---- */

int indic_ellison_glaeser_all(const struct cube *c, size_t y, const size_t *preg, const size_t *pind,
			      const double *pemp, size_t n, struct indic_eg *out, struct kerr *e)
{
	size_t *start = xcalloc(c->nind + 1, sizeof(*start)), *fill = xcalloc(c->nind + 1, sizeof(*fill));
	size_t *reg = xcalloc(n + 1, sizeof(*reg)), i, k, r;
	double *emp = xcalloc(n + 1, sizeof(*emp)), *x = xcalloc(c->nreg + 1, sizeof(*x));
	int rc = 0;
	for (r = 0; r < c->nreg; r++)
		for (i = 0; i < c->nind; i++)
			x[r] += nz(c->emp[cube_at(c, y, r, i)]);
	/* the plants grouped by industry (a counting sort) */
	for (k = 0; k < n; k++)
		if (pind[k] < c->nind)
			start[pind[k] + 1]++;
	for (i = 0; i < c->nind; i++)
		start[i + 1] += start[i];
	for (k = 0; k < n; k++) {
		size_t at;
		if (pind[k] >= c->nind) {
			rc = kerr_set(e, KERR_INPUT, "plant %zu: industry index %zu out of range (%zu industries)", k,
				      pind[k], c->nind);
			goto out;
		}
		at = start[pind[k]] + fill[pind[k]]++;
		reg[at] = preg[k];
		emp[at] = pemp[k];
	}
	for (i = 0; i < c->nind; i++) {
		size_t m = start[i + 1] - start[i];
		double tot = 0;
		out[i].gamma = out[i].G = out[i].H = NAN;
		for (k = start[i]; k < start[i + 1]; k++)
			tot += emp[k] > 0 ? emp[k] : 0;
		if (!m || !(tot > 0))
			continue;
		if ((rc = indic_ellison_glaeser(reg + start[i], emp + start[i], m, x, c->nreg, &out[i], e)) != 0) {
			kerr_prefix(e, "industry %s", c->ind[i]);
			goto out;
		}
	}
out:
	free(start);
	free(fill);
	free(reg);
	free(emp);
	free(x);
	return rc;
}

/* " in 2015" for a message, or "" for a cube without years (year 0). */
static const char *year_in(int year, char *out, size_t n)
{
	if (year)
		snprintf(out, n, " in %d", year);
	else
		out[0] = '\0';
	return out;
}

static const char *reg_code(const struct cube *c, size_t r, char *tmp, size_t n)
{
	if (c->reg && c->reg[r])
		return c->reg[r];
	snprintf(tmp, n, "#%zu", r);
	return tmp;
}

static int check_cube(const struct cube *c, struct kerr *e)
{
	if (!c || c->nreg == 0 || c->nind == 0 || c->nyear == 0 || !c->emp || !c->year)
		return kerr_set(e, KERR_INPUT, "no employment data: the table has no regions, "
				"industries or years");
	return 0;
}

static int in_base(const struct cube *c, enum indic_base b, size_t i)
{
	return b == INDIC_BASE_ALL || (c->traded && c->traded[i] == 1);
}

/* The employment of industry i in the data's regions in year y (missing cells 0; a region
 * absent from the year has no cells there). */
static double data_emp(const struct cube *c, size_t y, size_t i)
{
	double s = 0;
	size_t r;
	for (r = 0; r < c->nreg; r++)
		s += nz(c->emp[cube_at(c, y, r, i)]);
	return s;
}

/* The reference employment of industry i in year y (NAN when unknown). */
static double ref_emp(const struct cube *c, size_t y, size_t i)
{
	if (c->ref)
		return c->ref[y * c->nind + i];
	return data_emp(c, y, i);
}

/*
 * What industry i counts for in the reference economy's total of year y:
 * its reference value, or, when the reference leaves it unknown, the
 * employment of the data's regions in it — the least the nation can have,
 * since it contains them.  Leaving it out would make the total smaller
 * than the regions' own total and every other LQ of the year too high
 * (docs/MAPPING.md, "Reference economy").
 */
static double ref_part(const struct cube *c, size_t y, size_t i)
{
	double v = ref_emp(c, y, i);
	return isnan(v) ? data_emp(c, y, i) : v;
}

double indic_reference_emp(const struct cube *c, size_t y, size_t i)
{
	return ref_emp(c, y, i);
}

/*
 * The reference economy's total of year y under base b: what each industry of the base counts
 * for (ref_part), over the industries of that year's data alone.  An industry with no value in
 * any region that year is no industry of the year (cube_industry_in_year) and adds nothing,
 * though the reference has a value for it — as a reference industry the data lacks altogether,
 * and as indic_indices leaves it out (docs/MAPPING.md, "Reference economy").
 */
static double ref_total(const struct cube *c, size_t y, enum indic_base b)
{
	double E = 0;
	size_t i;
	for (i = 0; i < c->nind; i++)
		if (in_base(c, b, i) && cube_industry_in_year(c, y, i))
			E += ref_part(c, y, i);
	return E;
}

double indic_reference_total(const struct cube *c, size_t y)
{
	return ref_total(c, y, INDIC_BASE_ALL);
}

/*
 * Fills E_r (nyear * nreg), E_i (nyear * nind) and E (nyear) for a base,
 * checking that every region and every year has employment.
 */
/* 1 when year is computed under o (indic_opts.only_year, also_year). */
static int year_computed(const struct indic_opts *o, int year)
{
	return !o || o->only_year < 0 || year == o->only_year || (o->also_year >= 0 && year == o->also_year);
}

static int base_totals(const struct cube *c, enum indic_base b, const struct indic_opts *o, double *E_r,
		       double *E_i, double *E, struct kerr *e)
{
	size_t y, r, i;
	char tmp[32], yt[32];
	for (y = 0; y < c->nyear; y++) {
		if (!year_computed(o, c->year[y])) {
			/* not computed: no totals, so no indicators (stars_strong skips it) */
			E[y] = NAN;
			for (i = 0; i < c->nind; i++)
				E_i[y * c->nind + i] = NAN;
			for (r = 0; r < c->nreg; r++)
				E_r[y * c->nreg + r] = NAN;
			continue;
		}
		E[y] = ref_total(c, y, b);
		for (i = 0; i < c->nind; i++)
			E_i[y * c->nind + i] = ref_emp(c, y, i);
		for (r = 0; r < c->nreg; r++) {
			double s = 0;
			if (cube_absent(c, y, r)) {
				E_r[y * c->nreg + r] = NAN;   /* left out of this year: no indicators */
				continue;
			}
			for (i = 0; i < c->nind; i++)
				if (in_base(c, b, i))
					s += nz(c->emp[cube_at(c, y, r, i)]);
			E_r[y * c->nreg + r] = s;
			if (!(s > 0) && !*cube_src(c, y, r))
				return kerr_set(e, KERR_INPUT, "region %s has no rows%s (no %semployment): give its "
						"rows of that year, or leave the region out (--skip-invalid leaves out "
						"a region without employment in a year)",
						reg_code(c, r, tmp, sizeof(tmp)), year_in(c->year[y], yt, sizeof(yt)),
						b == INDIC_BASE_TRADED ? "traded " : "");
			if (!(s > 0))
				return kerr_set(e, KERR_INPUT, "%s%s%s%s%sregion %s has no %semployment%s: "
						"check its rows or leave the region out",
						cube_src(c, y, r), cube_src_sep(c, y, r),
						*cube_src(c, y, r) ? "column " : "",
						*cube_src(c, y, r) ? cube_emp_col(c, y) : "",
						*cube_src(c, y, r) ? ": " : "",
						reg_code(c, r, tmp, sizeof(tmp)),
						b == INDIC_BASE_TRADED ? "traded " : "", year_in(c->year[y], yt, sizeof(yt)));
		}
		if (!(E[y] > 0))
			return kerr_set(e, KERR_INPUT, "the reference economy has no %semployment%s",
					b == INDIC_BASE_TRADED ? "traded " : "", year_in(c->year[y], yt, sizeof(yt)));
	}
	return 0;
}

/*
 * Top-share rule of the stars: of the n values (any order), the value at
 * rank k = ceil(n * pct / 100) (k >= 1) when ranked descending.
 * v is sorted in place.
 */
static double top_threshold(double *v, size_t n, unsigned pct)
{
	size_t k;
	if (n == 0)
		return NAN;
	indic_sort(v, n);          /* ascending */
	k = (size_t)(((unsigned long long)n * pct + 99) / 100);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[n - k];                               /* rank k from the top */
}

static void stars_strong(const struct cube *c, const struct indic_opts *o, struct indic_result *out)
{
	size_t y, r, i, n;
	double *a, *b, *d;
	ALLOC_ARRAY(a, c->nreg);
	ALLOC_ARRAY(b, c->nreg);
	ALLOC_ARRAY(d, c->nreg);
	for (y = 0; y < c->nyear; y++) {
		for (i = 0; i < c->nind; i++) {
			size_t yi = y * c->nind + i, na, nb, nd;
			out->size_thr[yi] = out->focus_thr[yi] = NAN;
			out->p75_lq[yi] = out->p90_lq[yi] = out->p25_emp[yi] = out->p25_est[yi] = NAN;
			if (!in_base(c, o->base, i) || !year_computed(o, c->year[y]))
				continue;

			/* stars: over regions with a non-NAN employment cell */
			for (n = 0, r = 0; r < c->nreg; r++) {
				size_t at = cube_at(c, y, r, i);
				if (isnan(c->emp[at]))
					continue;
				a[n] = c->emp[at];
				b[n] = out->share_reg[at];
				n++;
			}
			out->size_thr[yi] = top_threshold(a, n, o->top_pct);
			out->focus_thr[yi] = top_threshold(b, n, o->top_pct);
			for (r = 0; r < c->nreg; r++) {
				size_t at = cube_at(c, y, r, i);
				double v = c->emp[at];
				unsigned char f = 0;
				if (isnan(v) || !(v > 0))
					continue;
				if (indic_ge(v, out->size_thr[yi]))
					f |= INDIC_STAR_SIZE;
				if (indic_ge(out->lq[at], o->spec_lq))
					f |= INDIC_STAR_SPEC;
				if (indic_ge(out->share_reg[at], out->focus_thr[yi]))
					f |= INDIC_STAR_FOCUS;
				out->star_flags[at] = f;
				out->stars[at] = (unsigned char)(!!(f & INDIC_STAR_SIZE) +
								 !!(f & INDIC_STAR_SPEC) +
								 !!(f & INDIC_STAR_FOCUS));
			}

			/* strong: over regions with employment > 0 and an lq; the establishments'
			 * percentile over those of them whose establishments are known */
			for (na = nb = nd = 0, r = 0; r < c->nreg; r++) {
				size_t at = cube_at(c, y, r, i);
				if (!(c->emp[at] > 0) || isnan(out->lq[at]))
					continue;
				a[na++] = out->lq[at];
				b[nb++] = c->emp[at];
				if (c->est && !isnan(c->est[at]))
					d[nd++] = c->est[at];
			}
			if (na == 0)
				continue;
			indic_sort(a, na);
			indic_sort(b, nb);
			indic_sort(d, nd);
			out->p75_lq[yi] = indic_quantile7(a, na, 0.75);
			out->p90_lq[yi] = indic_quantile7(a, na, 0.90);
			out->p25_emp[yi] = indic_quantile7(b, nb, 0.25);
			/* no establishments known in this industry-year: the test is dropped here, as
			 * for data without the column */
			out->est_none[yi] = (unsigned char)(c->est && nd == 0);
			if (nd)
				out->p25_est[yi] = indic_quantile7(d, nd, 0.25);
			for (r = 0; r < c->nreg; r++) {
				size_t at = cube_at(c, y, r, i);
				double lq = out->lq[at];
				int base, est_unknown;
				if (!(c->emp[at] > 0) || isnan(lq))
					continue;
				/* 1: the establishment test applies and this cell's establishments are
				 * unknown, so it passes or fails the test for all we know */
				est_unknown = nd && isnan(c->est[at]);
				base = indic_ge(lq, 1) && indic_gt(c->emp[at], out->p25_emp[yi]);
				if (est_unknown) {
					/* undecided where every other test passes; a known 0 where one fails */
					out->strong_unknown[at] = (unsigned char)((base && indic_ge(lq, out->p75_lq[yi]) ?
										   INDIC_UNKNOWN_STRONG : 0) |
										  (base && indic_ge(lq, out->p90_lq[yi]) ?
										   INDIC_UNKNOWN_STRONG10 : 0));
					continue;   /* strong, strong10 stay 0 */
				}
				base = base && (!nd || indic_gt(c->est[at], out->p25_est[yi]));
				out->strong[at] = (unsigned char)(base && indic_ge(lq, out->p75_lq[yi]));
				out->strong10[at] = (unsigned char)(base && indic_ge(lq, out->p90_lq[yi]));
			}
		}
	}
	free(a);
	free(b);
	free(d);
}

void indic_result_release(struct indic_result *r)
{
	free(r->lq);
	free(r->share_reg);
	free(r->share_ind);
	free(r->star_flags);
	free(r->stars);
	free(r->strong);
	free(r->strong10);
	free(r->strong_unknown);
	free(r->est_none);
	free(r->E_i);
	free(r->size_thr);
	free(r->focus_thr);
	free(r->p75_lq);
	free(r->p90_lq);
	free(r->p25_emp);
	free(r->p25_est);
	free(r->E_r);
	free(r->E);
	memset(r, 0, sizeof(*r));
}

int indic_compute(const struct cube *c, const struct indic_opts *o, struct indic_result *out,
		  struct kerr *e)
{
	static const struct indic_opts defaults = INDIC_OPTS_INIT;
	size_t ncell, nyi, y, r, i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!o)
		o = &defaults;
	if (check_cube(c, e) < 0)
		return -1;
	if (o->base == INDIC_BASE_TRADED && !cube_has_traded(c)) {
		size_t k;
		int local = 0;   /* flags given, every one of them local */
		for (k = 0; c->traded && k < c->nind; k++)
			local |= c->traded[k] == 0;
		return kerr_set(e, KERR_INPUT, "a traded base needs traded flags, and no industry is marked traded: %s",
				local ? "the traded column marks every industry local (0): mark the traded ones 1, "
					"or use all industries" :
					"give the traded column (or a crosswalk with one), or use all industries");
	}
	ncell = st_mult(st_mult(c->nyear, c->nreg), c->nind);
	nyi = st_mult(c->nyear, c->nind);
	out->nyear = c->nyear;
	out->nreg = c->nreg;
	out->nind = c->nind;
	out->base = o->base;
	out->est_dropped = c->est == NULL;
	ALLOC_ARRAY(out->lq, ncell);
	ALLOC_ARRAY(out->share_reg, ncell);
	ALLOC_ARRAY(out->share_ind, ncell);
	out->star_flags = xcalloc(ncell, 1);
	out->stars = xcalloc(ncell, 1);
	out->strong = xcalloc(ncell, 1);
	out->strong10 = xcalloc(ncell, 1);
	out->strong_unknown = xcalloc(ncell, 1);
	out->est_none = xcalloc(nyi, 1);
	ALLOC_ARRAY(out->E_i, nyi);
	ALLOC_ARRAY(out->size_thr, nyi);
	ALLOC_ARRAY(out->focus_thr, nyi);
	ALLOC_ARRAY(out->p75_lq, nyi);
	ALLOC_ARRAY(out->p90_lq, nyi);
	ALLOC_ARRAY(out->p25_emp, nyi);
	ALLOC_ARRAY(out->p25_est, nyi);
	ALLOC_ARRAY(out->E_r, st_mult(c->nyear, c->nreg));
	ALLOC_ARRAY(out->E, c->nyear);

	if (base_totals(c, o->base, o, out->E_r, out->E_i, out->E, e) < 0)
		goto cleanup;
	for (y = 0; y < c->nyear; y++) {
		int skip = !year_computed(o, c->year[y]);
		for (r = 0; r < c->nreg; r++) {
			double Er = out->E_r[y * c->nreg + r];
			for (i = 0; i < c->nind; i++) {
				size_t at = cube_at(c, y, r, i);
				double v = c->emp[at], Ei = out->E_i[y * c->nind + i];
				out->share_ind[at] = isnan(v) || !(Ei > 0) ? NAN : v / Ei;
				if (skip || isnan(v) || !in_base(c, o->base, i)) {
					out->lq[at] = out->share_reg[at] = NAN;
					continue;
				}
				out->share_reg[at] = v / Er;
				out->lq[at] = indic_lq(v, Er, Ei, out->E[y]);
			}
		}
	}
	stars_strong(c, o, out);
	ret = 0;
cleanup:
	if (ret < 0)
		indic_result_release(out);
	return ret;
}

/* ---- shift-share ---- */

void indic_shift_release(struct indic_shift *s)
{
	free(s->G_ind);
	free(s->e0);
	free(s->e1);
	free(s->growth);
	free(s->ns);
	free(s->im);
	free(s->rs);
	free(s->has);
	memset(s, 0, sizeof(*s));
}

/* x, or 0 when it is zero up to the rounding error of terms of magnitude mag: a result
 * that is 0 in exact arithmetic is written as 0, not as -1.1e-16. */
static double zero_to_rounding(double x, double mag)
{
	return fabs(x) <= 1e-9 * mag ? 0.0 : x;
}

int indic_shift_share(const struct cube *c, int year0, int year1, struct indic_shift *out,
		      struct kerr *e)
{
	size_t y0, y1, r, i, ncell;
	double E0 = 0, E1 = 0, *d0 = NULL, *d1 = NULL;

	memset(out, 0, sizeof(*out));
	if (check_cube(c, e) < 0 || cube_find_year(c, year0, &y0, e) < 0 ||
	    cube_find_year(c, year1, &y1, e) < 0)
		return -1;
	/* The regions' employment of each industry over the cells known in both years: a cell
	 * known in one year only is left out of both, so that it cannot pass for growth from or
	 * to 0 (docs/MAPPING.md, "Shift-share"). */
	d0 = xcalloc(c->nind + 1, sizeof(*d0));
	d1 = xcalloc(c->nind + 1, sizeof(*d1));
	out->first_left_out = (size_t)-1;
	for (r = 0; r < c->nreg; r++)
		for (i = 0; i < c->nind; i++) {
			double a = c->emp[cube_at(c, y0, r, i)], b = c->emp[cube_at(c, y1, r, i)];
			if (isnan(a) != isnan(b) && !out->left_out++)
				out->first_left_out = r * c->nind + i;
			if (isnan(a) || isnan(b))
				continue;
			d0[i] += a;
			d1[i] += b;
		}
	for (i = 0; i < c->nind; i++) {
		double R0 = c->ref ? c->ref[y0 * c->nind + i] : d0[i];
		double R1 = c->ref ? c->ref[y1 * c->nind + i] : d1[i];
		/* unknown in the reference in either year: the regions' own in both (ref_part), so that
		 * the industry adds its regions' change to E1 - E0, not the fall from the nation's
		 * value in one year to its regions' part of it in the other */
		int known = !isnan(R0) && !isnan(R1);
		/* no industry of either year's data (a value in some region): its reference values
		 * are not compared, as in indic_compute's E (ref_total) */
		if (!cube_industry_in_year(c, y0, i) && !cube_industry_in_year(c, y1, i))
			continue;
		E0 += known ? R0 : d0[i];
		E1 += known ? R1 : d1[i];
	}
	if (!(E0 > 0)) {
		size_t left_out = out->left_out;
		free(d0);
		free(d1);
		memset(out, 0, sizeof(*out));
		if (left_out && !c->ref)
			/* the year has employment, but only in cells missing in the other year */
			return kerr_set(e, KERR_INPUT, "the regions have no employment in %d in the cells known in both "
					"%d and %d (%zu cell%s with a value in only one of the years %s left out of the "
					"totals), so growth from %d cannot be computed", year0, year0, year1, left_out,
					left_out == 1 ? "" : "s", left_out == 1 ? "is" : "are", year0);
		return kerr_set(e, KERR_INPUT, "the reference economy has no employment in %d, "
				"so growth from %d cannot be computed", year0, year0);
	}

	ncell = st_mult(c->nreg, c->nind);
	out->nreg = c->nreg;
	out->nind = c->nind;
	out->year0 = year0;
	out->year1 = year1;
	out->G = (E1 - E0) / E0;
	ALLOC_ARRAY(out->G_ind, c->nind);
	ALLOC_ARRAY(out->e0, ncell);
	ALLOC_ARRAY(out->e1, ncell);
	ALLOC_ARRAY(out->growth, ncell);
	ALLOC_ARRAY(out->ns, ncell);
	ALLOC_ARRAY(out->im, ncell);
	ALLOC_ARRAY(out->rs, ncell);
	out->has = xcalloc(c->nreg + 1, 1);
	for (r = 0; r < c->nreg; r++) {
		/* data in a year: not left out of it, and some cell with a value (zeros are data:
		 * growth from or to nothing) */
		for (i = 0; i < c->nind && !cube_absent(c, y0, r); i++)
			if (!isnan(c->emp[cube_at(c, y0, r, i)])) {
				out->has[r] |= INDIC_SHIFT_HAS0;
				break;
			}
		for (i = 0; i < c->nind && !cube_absent(c, y1, r); i++)
			if (!isnan(c->emp[cube_at(c, y1, r, i)])) {
				out->has[r] |= INDIC_SHIFT_HAS1;
				break;
			}
		out->one_year_regions += out->has[r] == INDIC_SHIFT_HAS0 || out->has[r] == INDIC_SHIFT_HAS1;
		out->no_year_regions += !out->has[r];
	}
	for (i = 0; i < c->nind; i++) {
		double R0 = c->ref ? c->ref[y0 * c->nind + i] : d0[i];
		double R1 = c->ref ? c->ref[y1 * c->nind + i] : d1[i];
		out->G_ind[i] = R0 > 0 && !isnan(R1) ? (R1 - R0) / R0 : NAN;
	}
	for (r = 0; r < c->nreg; r++) {
		for (i = 0; i < c->nind; i++) {
			size_t k = r * c->nind + i;
			double a = c->emp[cube_at(c, y0, r, i)], b = c->emp[cube_at(c, y1, r, i)], Gi = out->G_ind[i];
			out->e0[k] = a;
			out->e1[k] = b;
			if (isnan(a) || isnan(b)) {
				out->growth[k] = out->ns[k] = out->im[k] = out->rs[k] = NAN;
				continue;
			}
			out->growth[k] = a != 0 ? (b - a) / a : NAN;
			if (a == 0) {
				/* growth from nothing: NS = 0 G and IM = 0 (G_i - G) are 0 whatever G_i,
				 * which an industry without employment in year0 (or unknown in the
				 * reference) does not have, and the whole change is the regional shift */
				out->ns[k] = out->im[k] = 0;
				out->rs[k] = b;
				continue;
			}
			if (isnan(Gi)) {
				/* no reference growth of the industry: no components (not one of three,
				 * which would not add up to the change) */
				out->ns[k] = out->im[k] = out->rs[k] = NAN;
				continue;
			}
			out->ns[k] = a * out->G + 0.0;   /* + 0.0: 0 × a negative rate is 0, not -0 */
			out->im[k] = zero_to_rounding(a * (Gi - out->G), a * fmax(fabs(Gi), fabs(out->G)));
			out->rs[k] = zero_to_rounding((b - a) - out->ns[k] - out->im[k],
						      fmax(fmax(fabs(a), fabs(b)), fmax(fabs(out->ns[k]), fabs(out->im[k]))));
		}
	}
	free(d0);
	free(d1);
	return 0;
}

/* ---- indices ---- */

void indic_indices_release(struct indic_indices *x)
{
	free(x->reg_hhi);
	free(x->reg_hhi_norm);
	free(x->reg_hhi_equiv);
	free(x->reg_krugman);
	free(x->reg_shannon);
	free(x->reg_theil);
	free(x->ind_hhi);
	free(x->ind_hhi_norm);
	free(x->ind_hhi_equiv);
	free(x->ind_gini);
	free(x->ind_hoover);
	memset(x, 0, sizeof(*x));
}

int indic_indices(const struct cube *c, struct indic_indices *out, struct kerr *e)
{
	size_t nry, niy, y, r, i;
	double *E_r = NULL, *E_i = NULL, *row = NULL, *col = NULL, *tot = NULL, *refy = NULL;
	size_t *pres = NULL, npres;
	struct indic_hhi h;

	memset(out, 0, sizeof(*out));
	if (check_cube(c, e) < 0)
		return -1;
	nry = st_mult(c->nyear, c->nreg);
	niy = st_mult(c->nyear, c->nind);
	out->nyear = c->nyear;
	out->nreg = c->nreg;
	out->nind = c->nind;
	ALLOC_ARRAY(out->reg_hhi, nry);
	ALLOC_ARRAY(out->reg_hhi_norm, nry);
	ALLOC_ARRAY(out->reg_hhi_equiv, nry);
	ALLOC_ARRAY(out->reg_krugman, nry);
	ALLOC_ARRAY(out->reg_shannon, nry);
	ALLOC_ARRAY(out->reg_theil, nry);
	ALLOC_ARRAY(out->ind_hhi, niy);
	ALLOC_ARRAY(out->ind_hhi_norm, niy);
	ALLOC_ARRAY(out->ind_hhi_equiv, niy);
	ALLOC_ARRAY(out->ind_gini, niy);
	ALLOC_ARRAY(out->ind_hoover, niy);
	ALLOC_ARRAY(E_r, nry);
	ALLOC_ARRAY(E_i, niy);
	ALLOC_ARRAY(row, c->nind);
	ALLOC_ARRAY(refy, c->nind);
	ALLOC_ARRAY(pres, c->nind);
	ALLOC_ARRAY(col, c->nreg);
	ALLOC_ARRAY(tot, c->nreg);
	for (y = 0; y < c->nyear; y++) {
		double *ref = E_i + y * c->nind;
		for (i = 0; i < c->nind; i++)
			ref[i] = ref_part(c, y, i);   /* unknown: the regions' own, never a share of 0 */
		/* a region's structure is over the industries of that year (a value in some region):
		 * an industry the data have only in other years is no industry of this one, and
		 * does not change its normalised Herfindahl (REAT herf: the length of the vector) */
		for (i = 0, npres = 0; i < c->nind; i++)
			if (cube_industry_in_year(c, y, i)) {
				refy[npres] = ref[i];
				pres[npres++] = i;
			}
		for (r = 0; r < c->nreg; r++) {
			size_t k = y * c->nreg + r;
			E_r[k] = 0;
			if (!cube_absent(c, y, r))
				for (i = 0; i < c->nind; i++)
					E_r[k] += nz(c->emp[cube_at(c, y, r, i)]);
			/* absent, or no employment that year: a structure of nothing (indic_indices) */
			if (!(E_r[k] > 0)) {
				out->reg_hhi[k] = out->reg_hhi_norm[k] = out->reg_hhi_equiv[k] = NAN;
				out->reg_krugman[k] = out->reg_shannon[k] = out->reg_theil[k] = NAN;
				continue;
			}
			for (i = 0; i < npres; i++)
				row[i] = nz(c->emp[cube_at(c, y, r, pres[i])]);
			indic_herfindahl(row, npres, &h);
			out->reg_hhi[k] = h.hhi;
			out->reg_hhi_norm[k] = h.norm;
			out->reg_hhi_equiv[k] = h.equiv;
			out->reg_krugman[k] = indic_krugman(row, refy, npres);
			out->reg_shannon[k] = indic_shannon(row, npres);
			out->reg_theil[k] = indic_theil(row, refy, npres);
		}
		for (i = 0; i < c->nind; i++) {
			/* over the regions in the data that year */
			size_t k = y * c->nind + i, n = 0;
			for (r = 0; r < c->nreg; r++)
				if (E_r[y * c->nreg + r] > 0) {
					col[n] = nz(c->emp[cube_at(c, y, r, i)]);
					tot[n++] = E_r[y * c->nreg + r];
				}
			indic_herfindahl(col, n, &h);
			out->ind_hhi[k] = h.hhi;
			out->ind_hhi_norm[k] = h.norm;
			out->ind_hhi_equiv[k] = h.equiv;
			out->ind_gini[k] = indic_gini_conc(col, tot, n);
			out->ind_hoover[k] = indic_hoover(col, tot, n);
		}
	}
	free(E_r);
	free(E_i);
	free(row);
	free(refy);
	free(pres);
	free(col);
	free(tot);
	return 0;
}

int indic_in_base(const struct cube *c, const struct indic_result *r, size_t i)
{
	return r->base != INDIC_BASE_TRADED || (c->traded && i < c->nind && c->traded[i] == 1);
}

unsigned indic_known(const struct cube *c, const struct indic_result *r, size_t k)
{
	unsigned f;
	if (isnan(c->emp[k]) || !indic_in_base(c, r, k % c->nind))
		return 0;
	f = INDIC_KNOWN_SIZE;
	if (!isnan(r->share_reg[k]))
		f |= INDIC_KNOWN_FOCUS;
	if (!isnan(r->lq[k])) {
		unsigned char u = r->strong_unknown ? r->strong_unknown[k] : 0;
		f |= INDIC_KNOWN_SPEC;
		if (!(u & INDIC_UNKNOWN_STRONG))
			f |= INDIC_KNOWN_STRONG;
		if (!(u & INDIC_UNKNOWN_STRONG10))
			f |= INDIC_KNOWN_STRONG10;
	}
	if ((f & (INDIC_KNOWN_SIZE | INDIC_KNOWN_SPEC | INDIC_KNOWN_FOCUS)) ==
	    (INDIC_KNOWN_SIZE | INDIC_KNOWN_SPEC | INDIC_KNOWN_FOCUS))
		f |= INDIC_KNOWN_STARS;
	return f;
}

size_t indic_est_none(const struct cube *c, const struct indic_result *r, char *first, size_t size)
{
	size_t y, i, n = 0;
	char yt[32];
	if (size)
		first[0] = '\0';
	if (!r->est_none)
		return 0;
	for (y = 0; y < r->nyear; y++)
		for (i = 0; i < r->nind; i++) {
			if (!r->est_none[y * r->nind + i])
				continue;
			if (!n++ && size)
				snprintf(first, size, "%s%s", c->ind[i], year_in(c->year[y], yt, sizeof(yt)));
		}
	return n;
}

size_t indic_est_notice(struct buf *out, const char *name, const struct cube *c, const struct indic_result *r)
{
	char first[96];
	size_t n;
	const char *sep = name && *name ? ": " : "";
	if (!name)
		name = "";
	if (r->est_dropped) {
		buf_printf(out, "%s%sno establishments column: the strong rule is applied without its "
			   "establishment test", name, sep);
		return 1;
	}
	if (!(n = indic_est_none(c, r, first, sizeof(first))))
		return 0;
	buf_printf(out, "%s%sno establishments value is known in %zu industry-year%s (first: %s): the strong rule "
		   "is applied there without its establishment test", name, sep, n, n == 1 ? "" : "s", first);
	return n;
}
