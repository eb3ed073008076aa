/*
 * fuzz_stats.c — libFuzzer target for the statistics readers (src/stats.c)
 * and the cube builder behind them (src/cube.c).
 *
 * Each input is loaded from memory in every format, with and without the
 * sum flag and the other options the first byte's bits pick (filters and
 * skipping, absent rows as zeros, plants).  A load must either succeed with a
 * consistent cube (codes sorted and unique, years ascending, every known
 * value finite and not negative) or fail with a message.
 *
 * Long files are also loaded with the general reader, the fast path in one
 * part, in two parts, and in two parts with the first taking the end of the
 * second's half (stats_opts.reader): all four must
 * give the same cube to the bit, the same counts and the same message.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cube.h"
#include "err.h"
#include "stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct cube *c)
{
	size_t k, n;
	for (k = 1; k < c->nreg; k++)
		if (strcmp(c->reg[k - 1], c->reg[k]) >= 0)
			BUG("regions not sorted: %s, %s", c->reg[k - 1], c->reg[k]);
	for (k = 1; k < c->nind; k++)
		if (strcmp(c->ind[k - 1], c->ind[k]) >= 0)
			BUG("industries not sorted: %s, %s", c->ind[k - 1], c->ind[k]);
	for (k = 1; k < c->nyear; k++)
		if (c->year[k - 1] >= c->year[k])
			BUG("years not ascending");
	for (k = 0; k < c->nreg; k++)
		if (cube_region(c, c->reg[k]) != k)
			BUG("region lookup");
	for (k = 0; k < c->nind; k++)
		if (cube_industry(c, c->ind[k]) != k)
			BUG("industry lookup");
	n = c->nyear * c->nreg * c->nind;
	for (k = 0; k < n; k++) {
		double v = c->emp[k];
		if (!isnan(v) && (!isfinite(v) || v < 0))
			BUG("bad value %g", v);
	}
}

static int same_values(const double *a, const double *b, size_t n)
{
	size_t k;
	if (!a || !b)
		return a == b;
	for (k = 0; k < n; k++)
		if (isnan(a[k]) ? !isnan(b[k]) : memcmp(&a[k], &b[k], sizeof(double)) != 0)
			return 0;
	return 1;
}

static int same_strings(char *const *a, char *const *b, size_t n)
{
	size_t k;
	for (k = 0; k < n; k++)
		if ((a[k] == NULL) != (b[k] == NULL) || (a[k] && strcmp(a[k], b[k]) != 0))
			return 0;
	return 1;
}

static void same_cube(const struct cube *a, const struct cube *b)
{
	size_t n = a->nyear * a->nreg * a->nind;
	if (a->nreg != b->nreg || a->nind != b->nind || a->nyear != b->nyear ||
	    !same_strings(a->reg, b->reg, a->nreg) || !same_strings(a->ind, b->ind, a->nind) ||
	    !same_strings(a->reg_name, b->reg_name, a->nreg) ||
	    !same_strings(a->ind_name, b->ind_name, a->nind) ||
	    (a->nyear && memcmp(a->year, b->year, a->nyear * sizeof(int)) != 0) ||
	    (a->nind && memcmp(a->traded, b->traded, a->nind) != 0) ||
	    !same_values(a->emp, b->emp, n) || !same_values(a->est, b->est, n) ||
	    !same_values(a->wage, b->wage, n))
		BUG("the fast path and the general reader read different cubes");
}

/* Loads data with the fast path (one part, two, two with the first taking
 * the end of the second's half) and compares with the general reader. */
static void compare_readers(const uint8_t *data, size_t size, struct stats_opts o)
{
	static const enum stats_reader fast[] = { STATS_READER_FAST, STATS_READER_SPLIT, STATS_READER_STEAL };
	struct stats_counts gn, fn;
	struct kerr ge = KERR_INIT, fe = KERR_INIT;
	struct cube gc, fc;
	size_t k;
	int grc, frc;

	o.reader = STATS_READER_GENERAL;
	grc = stats_load_mem((const char *)data, size, "fuzz.csv", &o, &gc, &gn, &ge);
	for (k = 0; k < sizeof(fast) / sizeof(fast[0]); k++) {
		o.reader = fast[k];
		kerr_clear(&fe);
		frc = stats_load_mem((const char *)data, size, "fuzz.csv", &o, &fc, &fn, &fe);
		if (frc != grc || fe.kind != ge.kind || strcmp(fe.msg, ge.msg) != 0)
			BUG("reader %d: \"%s\", the general reader: \"%s\"", (int)fast[k], fe.msg, ge.msg);
		if (frc == 0) {
			if (fn.rows != gn.rows || fn.cells != gn.cells || fn.missing != gn.missing ||
			    fn.invalid != gn.invalid || fn.filtered != gn.filtered ||
			    strcmp(fn.first_invalid, gn.first_invalid) != 0 || fn.partial != gn.partial ||
			    strcmp(fn.first_partial, gn.first_partial) != 0)
				BUG("reader %d: other counts than the general reader's", (int)fast[k]);
			same_cube(&fc, &gc);
			cube_release(&fc);
		}
	}
	if (grc == 0)
		cube_release(&gc);
}

/* A stand-in for boundaries: the north in one region, the south in another, the equator in none. */
static const char *fake_locate(void *ctx, double lat, double lon)
{
	(void)ctx;
	(void)lon;
	return lat > 0 ? "N1" : lat < 0 ? "S1" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum stats_format fmts[] = { STATS_AUTO, STATS_LONG, STATS_EUROSTAT_TSV,
						  STATS_FIRMS, STATS_BDL };
	size_t k;
	int sum = size > 0 && (data[0] & 1);

	for (k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		struct stats_opts o;
		memset(&o, 0, sizeof(o));
		o.fmt = fmts[k];
		o.sum = sum;
		/* the fifth bit: rows a file leaves out are 0 (--absent zero) */
		o.absent_zero = size > 0 && (data[0] & 16);
		/* the second bit turns on the filters and the skipping of bad values */
		if (size > 0 && (data[0] & 2)) {
			o.skip_invalid = 1;
			o.region_len = 4;
			o.industry_len = 3;
		}
		struct stats_counts n;
		struct kerr e = KERR_INIT;
		struct cube c;
		struct stats_plants pl;
		int rc;
		/* the fourth bit: a firm list's plants, and regions from coordinates */
		memset(&pl, 0, sizeof(pl));
		if (size > 0 && (data[0] & 8) && fmts[k] == STATS_FIRMS) {
			o.plants = &pl;
			o.locate = fake_locate;
		}
		rc = stats_load_mem((const char *)data, size, "fuzz.csv", &o, &c, &n, &e);
		if (rc == 0) {
			size_t p;
			check(&c);
			for (p = 0; p < pl.n; p++)
				if (pl.reg[p] >= c.nreg || pl.ind[p] >= c.nind || !(pl.emp[p] >= 0))
					BUG("a plant outside the cube");
			stats_plants_release(&pl);
			cube_release(&c);
		} else if (rc != -1 || !e.msg[0] || e.kind == KERR_NONE) {
			BUG("load failed without a message");
		}
		/* the third bit asks for a region prefix (a filter the fast path applies itself) */
		if (size > 0 && (data[0] & 4))
			o.region_prefix = "p";
		if (fmts[k] == STATS_AUTO || fmts[k] == STATS_LONG)
			compare_readers(data, size, o);
	}
	return 0;
}
