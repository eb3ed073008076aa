/*
 * test_stats.c — the cube builder (src/cube.c) and the statistics readers
 * (src/stats.c): the fixtures in tests/data/stats/, every validation
 * message, crosswalks, the reference economy, and the aggregation of a
 * generated firms file.
 */
#include "t.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "buf.h"
#include "csv.h"
#include "cube.h"
#include "dscache.h"
#include "err.h"
#include "indic.h"
#include "related.h"
#include "stats.h"

#define DIR "tests/data/stats/"
/* The real Eurostat SBS file the project ships (see data/README.md). */
#define REAL_SBS "data/stats/eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv"

/* emp of region rc, industry ic, year y (0 when the cube has no years). */
static double emp_at(const struct cube *c, const char *rc, int y, const char *ic)
{
	size_t r = cube_region(c, rc), i = cube_industry(c, ic), yy = cube_year(c, y);
	if (r == (size_t)-1 || i == (size_t)-1 || yy == (size_t)-1)
		return -999;
	return c->emp[cube_at(c, yy, r, i)];
}

static double arr_at(const struct cube *c, const double *a, const char *rc, int y, const char *ic)
{
	size_t r = cube_region(c, rc), i = cube_industry(c, ic), yy = cube_year(c, y);
	if (!a || r == (size_t)-1 || i == (size_t)-1 || yy == (size_t)-1)
		return -999;
	return a[cube_at(c, yy, r, i)];
}

/* Loads data[] named stats.csv and returns the error message ("" on success). */
static struct kerr last;
static const char *load_err_fmt(const char *data, enum stats_format fmt, int sum)
{
	struct stats_opts o = { .fmt = fmt, .sum = sum };
	struct cube c;
	kerr_clear(&last);
	if (stats_load_mem(data, strlen(data), "stats.csv", &o, &c, NULL, &last) == 0)
		cube_release(&c);
	return last.msg;
}

static const char *load_err(const char *data)
{
	return load_err_fmt(data, STATS_AUTO, 0);
}

/* ---- the builder ------------------------------------------------------------- */

T_TEST(builder_basic)
{
	struct kerr e = KERR_INIT;
	struct cube_builder *b = cube_builder_new(0);
	struct cube c;
	T_EQ_INT(cube_builder_add(b, "PL22", "C26", 2016, 5, NAN, NAN, "a.csv:2", &e), 0);
	T_EQ_INT(cube_builder_add(b, "PL21", "C27", 2015, 7, 1, NAN, "a.csv:3", &e), 0);
	T_EQ_INT(cube_builder_add(b, "PL21", "C26", 2015, NAN, NAN, NAN, "a.csv:4", &e), 0);
	cube_builder_names(b, "PL21", "Małopolskie", "C26", NULL);
	cube_builder_names(b, "PL21", "Małopolska", "ZZZ", "not in the data");
	T_EQ_INT(cube_builder_traded(b, "C26", 1, "x.csv:2", "traded", NULL, &e), 0);
	T_EQ_INT(cube_builder_traded(b, "C26", 5, "x.csv:3", "traded", NULL, &e), 0);  /* any non-zero is traded */
	T_EQ_INT(cube_builder_finish(b, &c, &e), 0);
	T_EQ_INT(c.nreg, 2);
	T_EQ_INT(c.nind, 2);
	T_EQ_INT(c.nyear, 2);
	T_EQ_STR(c.reg[0], "PL21");
	T_EQ_STR(c.reg[1], "PL22");
	T_EQ_STR(c.ind[0], "C26");
	T_EQ_INT(c.year[0], 2015);
	T_EQ_INT(c.year[1], 2016);
	T_EQ_STR(c.reg_name[0], "Małopolska");  /* the last name given wins */
	T_OK(c.reg_name[1] == NULL);
	T_OK(c.ind_name[0] == NULL);
	T_EQ_INT(c.traded[0], 1);
	T_EQ_INT(c.traded[1], -1);
	T_OK(c.est != NULL);
	T_OK(c.wage == NULL);
	T_OK(c.ref == NULL);
	T_EQ_INT(cube_industry(&c, "ZZZ"), (long long)(size_t)-1);
	T_EQ_INT(cube_region(&c, "PL2"), (long long)(size_t)-1);
	T_EQ_INT(cube_year(&c, 2017), (long long)(size_t)-1);
	T_EQ_INT(cube_year(&c, 2016), 1);
	T_NEAR(emp_at(&c, "PL22", 2016, "C26"), 5, 0);
	T_NEAR(emp_at(&c, "PL21", 2015, "C27"), 7, 0);
	T_OK(isnan(emp_at(&c, "PL21", 2015, "C26")));  /* known missing */
	T_OK(isnan(emp_at(&c, "PL22", 2015, "C26")));  /* never given */
	T_NEAR(arr_at(&c, c.est, "PL21", 2015, "C27"), 1, 0);
	cube_release(&c);
	T_EQ_INT(c.nreg, 0);
	T_OK(c.emp == NULL);
	cube_release(&c);  /* twice is harmless */
}

/* A cube with a bit of everything a copy must carry: names, traded flags,
 * a reference, establishments, a region left out of a year, sources;
 * built with the builder's flags. */
static void rich_cube_flags(struct cube *c, double scale, int flags)
{
	struct kerr e = KERR_INIT;
	struct cube_builder *b = cube_builder_new(flags);
	T_EQ_INT(cube_builder_add(b, "PL22", "C26", 2016, 5 * scale, 2, NAN, "a.csv:2", &e), 0);
	T_EQ_INT(cube_builder_add(b, "PL21", "C27", 2015, 7 * scale, 1, NAN, "a.csv:3", &e), 0);
	T_EQ_INT(cube_builder_add(b, "PL21", "C26", 2016, 3 * scale, NAN, NAN, "a.csv:4", &e), 0);
	T_EQ_INT(cube_builder_add(b, "PL22", "C27", 2015, 0, NAN, NAN, "a.csv:5", &e), 0);
	cube_builder_names(b, "PL21", "Małopolskie", "C26", "Komputery");
	T_EQ_INT(cube_builder_traded(b, "C26", 1, "x.csv:2", "traded", NULL, &e), 0);
	T_EQ_INT(cube_builder_ref(b, "C26", 2015, 100, "r.csv:2", &e), 0);
	T_EQ_INT(cube_builder_ref(b, "C27", 2015, 50, "r.csv:3", &e), 0);
	T_EQ_INT(cube_builder_finish(b, c, &e), 0);
	T_OK(cube_leave_out_empty(c, NULL, 0) == 1);  /* PL22 in 2015 */
	cube_set_ind_name(c, 0, 1, "Computers");
}

static void rich_cube(struct cube *c, double scale)
{
	rich_cube_flags(c, scale, 0);
}

/* Two cubes alike in every field (same shape and values, NAN as NAN). */
static int cubes_alike(const struct cube *a, const struct cube *b)
{
	size_t k, cells = a->nyear * a->nreg * a->nind;
	if (a->nreg != b->nreg || a->nind != b->nind || a->nyear != b->nyear)
		return 0;
	for (k = 0; k < a->nreg; k++)
		if (strcmp(a->reg[k], b->reg[k]) || !a->reg_name[k] != !b->reg_name[k] ||
		    (a->reg_name[k] && strcmp(a->reg_name[k], b->reg_name[k])))
			return 0;
	for (k = 0; k < a->nind; k++)
		if (strcmp(a->ind[k], b->ind[k]) || a->traded[k] != b->traded[k] ||
		    strcmp(cube_ind_name(a, k, 1) ? cube_ind_name(a, k, 1) : "", cube_ind_name(b, k, 1) ? cube_ind_name(b, k, 1) : ""))
			return 0;
	for (k = 0; k < a->nyear; k++)
		if (a->year[k] != b->year[k])
			return 0;
	for (k = 0; k < cells; k++)
		if (memcmp(&a->emp[k], &b->emp[k], sizeof(double)) || memcmp(&a->est[k], &b->est[k], sizeof(double)))
			return 0;
	for (k = 0; k < a->nyear * a->nind; k++)
		if (memcmp(&a->ref[k], &b->ref[k], sizeof(double)))
			return 0;
	for (k = 0; k < a->nyear * a->nreg; k++)
		if (cube_absent(a, k / a->nreg, k % a->nreg) != cube_absent(b, k / a->nreg, k % a->nreg) ||
		    strcmp(cube_src(a, k / a->nreg, k % a->nreg), cube_src(b, k / a->nreg, k % a->nreg)))
			return 0;
	return (a->wage == NULL) == (b->wage == NULL) && !strcmp(a->ref_file ? a->ref_file : "", b->ref_file ? b->ref_file : "");
}

/* A copy shares nothing: the original released, the copy is whole (ASan
 * would catch a shared array freed twice or read after it was freed). */
T_TEST(cube_copy_whole)
{
	struct cube a, b, c;
	rich_cube(&a, 1);
	rich_cube(&c, 1);
	cube_copy(&b, &a);
	T_OK(cubes_alike(&a, &b));
	T_OK(b.emp != a.emp && b.reg != a.reg && b.reg[0] != a.reg[0] && b.absent != a.absent);
	cube_release(&a);
	T_OK(cubes_alike(&b, &c));
	b.emp[0] = 99;
	T_OK(!cubes_alike(&b, &c));
	cube_release(&b);
	cube_release(&c);
}

/* Cells vouched unique (CUBE_UNIQUE, as a stored dataset's) make the same
 * cube without the table that finds repeated ones. */
T_TEST(builder_unique_cells)
{
	struct cube a, b;
	rich_cube_flags(&a, 3, 0);
	rich_cube_flags(&b, 3, CUBE_UNIQUE);
	T_OK(cubes_alike(&a, &b));
	cube_release(&a);
	cube_release(&b);
}

/* The portal's cache of loaded datasets (dscache.h): off until given room,
 * a cube given back only at the generation it was read at, each get its own
 * copy, the least recently used dropped for room, one too large not kept. */
T_TEST(dataset_cache)
{
	struct cube a, b, got;
	size_t one;
	unsigned long h0 = dscache_hits();
	rich_cube(&a, 1);
	rich_cube(&b, 2);
	one = dscache_cube_bytes(&a);
	T_OK(one > 0);
	dscache_put(1, 10, &a);
	T_EQ_INT(dscache_get(1, 10, &got), 0);     /* off */
	dscache_limit(2 * one + one / 2);          /* room for two */
	dscache_put(1, 10, &a);
	T_EQ_INT(dscache_get(1, 10, &got), 1);
	T_OK(cubes_alike(&got, &a));
	got.emp[0] = -1;                           /* the page's own copy */
	cube_release(&got);
	T_EQ_INT(dscache_get(1, 10, &got), 1);
	T_OK(cubes_alike(&got, &a));
	cube_release(&got);
	T_EQ_INT(dscache_hits() - h0, 2);
	T_EQ_INT(dscache_get(1, 11, &got), 0);     /* the data changed since: dropped */
	T_EQ_INT(dscache_get(1, 10, &got), 0);
	T_EQ_INT(dscache_bytes(), 0);
	dscache_put(1, 11, &a);
	dscache_put(1, 9, &b);                     /* read before: not over the newer one */
	T_EQ_INT(dscache_get(1, 11, &got), 1);
	T_OK(cubes_alike(&got, &a));
	cube_release(&got);
	dscache_put(2, 11, &b);
	T_EQ_INT(dscache_get(1, 11, &got), 1);     /* 1 used last: 2 goes for 3 */
	cube_release(&got);
	dscache_put(3, 11, &a);
	T_EQ_INT(dscache_get(2, 11, &got), 0);
	T_EQ_INT(dscache_get(3, 11, &got), 1);
	cube_release(&got);
	T_EQ_INT(dscache_get(1, 11, &got), 1);
	cube_release(&got);
	T_EQ_INT(dscache_bytes(), 2 * one);
	dscache_limit(one / 2);                    /* cut: none fits */
	T_EQ_INT(dscache_bytes(), 0);
	dscache_put(4, 11, &a);
	T_EQ_INT(dscache_get(4, 11, &got), 0);
	dscache_limit(0);
	cube_release(&a);
	cube_release(&b);
}

/* Two relatedness results alike in every field and array (NAN as NAN, bit for bit). */
static int related_alike(const struct related *a, const struct related *b)
{
	size_t sq = a->nind * a->nind, rc = a->nreg * a->nind;
	return a->nreg == b->nreg && a->nind == b->nind && a->year == b->year && a->ngroups == b->ngroups &&
	       a->ungrouped == b->ungrouped && !memcmp(&a->group_score, &b->group_score, sizeof(double)) &&
	       !memcmp(&a->modularity, &b->modularity, sizeof(double)) && a->unknown == b->unknown &&
	       !memcmp(a->colocation, b->colocation, sq * sizeof(double)) &&
	       !memcmp(a->proximity, b->proximity, sq * sizeof(double)) &&
	       !memcmp(a->density, b->density, rc * sizeof(double)) && !memcmp(a->rca, b->rca, rc * sizeof(double)) &&
	       !memcmp(a->group, b->group, a->nind * sizeof(int));
}

/* The same cache keeps a year's relatedness of a dataset beside its cube: given back, a copy of
 * its own, only for that year and generation; a get of the dataset at a newer generation drops
 * every entry of it read before. */
T_TEST(dataset_cache_related)
{
	static const char data[] = "region,industry,year,employment\n"
				   "A,C10,2015,10\nA,C20,2015,5\nA,C30,2015,1\nB,C10,2015,8\nB,C20,2015,9\nB,C30,2015,2\n"
				   "C,C10,2015,3\nC,C20,2015,4\nC,C30,2015,7\nD,C10,2015,6\nD,C20,2015,1\nD,C30,2015,5\n"
				   "A,C10,2016,11\nA,C20,2016,5\nA,C30,2016,2\nB,C10,2016,7\nB,C20,2016,9\nB,C30,2016,2\n"
				   "C,C10,2016,3\nC,C20,2016,5\nC,C30,2016,7\nD,C10,2016,6\nD,C20,2016,2\nD,C30,2016,5\n";
	struct stats_opts o = { .fmt = STATS_AUTO };
	struct stats_counts n;
	struct kerr e = KERR_INIT;
	struct related r0, r1, got;
	struct cube c, cgot;
	T_EQ_INT(stats_load_mem(data, strlen(data), "s.csv", &o, &c, &n, &e), 0);
	T_EQ_INT(related_compute(&c, 0, &r0, &e), 0);
	T_EQ_INT(related_compute(&c, 1, &r1, &e), 0);
	T_OK(related_bytes(&r0) > 4 * 3 * sizeof(double));
	dscache_related_put(7, 20, 0, &r0);
	T_EQ_INT(dscache_related_get(7, 20, 0, &got), 0);   /* off */
	dscache_limit(dscache_cube_bytes(&c) + 3 * related_bytes(&r0));
	dscache_put(7, 20, &c);
	dscache_related_put(7, 20, 0, &r0);
	dscache_related_put(7, 20, 1, &r1);
	T_EQ_INT(dscache_related_get(7, 20, 0, &got), 1);
	T_OK(related_alike(&got, &r0));
	got.density[0] = -1;                                 /* the page's own copy */
	related_release(&got);
	T_EQ_INT(dscache_related_get(7, 20, 1, &got), 1);
	T_OK(related_alike(&got, &r1) && !related_alike(&got, &r0));
	related_release(&got);
	T_EQ_INT(dscache_related_get(7, 20, 0, &got), 1);
	T_OK(related_alike(&got, &r0));
	related_release(&got);
	T_EQ_INT(dscache_related_get(8, 20, 0, &got), 0);   /* another dataset */
	T_EQ_INT(dscache_get(7, 20, &cgot), 1);              /* the cube beside them */
	cube_release(&cgot);
	T_EQ_INT(dscache_get(7, 21, &cgot), 0);              /* the data changed: all of dataset 7 dropped */
	T_EQ_INT(dscache_related_get(7, 20, 0, &got), 0);
	T_EQ_INT(dscache_related_get(7, 20, 1, &got), 0);
	T_EQ_INT(dscache_bytes(), 0);
	dscache_related_put(7, 21, 0, &r0);
	dscache_related_put(7, 20, 0, &r1);                  /* read before: not over the newer one */
	T_EQ_INT(dscache_related_get(7, 21, 0, &got), 1);
	T_OK(related_alike(&got, &r0));
	related_release(&got);
	/* a request that began before the change misses, and leaves the newer entry */
	T_EQ_INT(dscache_related_get(7, 20, 0, &got), 0);
	T_EQ_INT(dscache_related_get(7, 21, 0, &got), 1);
	related_release(&got);
	dscache_limit(0);
	related_release(&r0);
	related_release(&r1);
	cube_release(&c);
}

/*
 * A cell keeps its source as its file's name (shared by the file's cells)
 * and a line: the source named in a message is the one given, whatever it
 * looks like (a colon in the name, leading zeros, no line, a long number).
 */
T_TEST(builder_sources_kept_as_given)
{
	static const char *const src[] = { "d:x.csv:12", "a.csv:007", "a.csv:1234567890", "dataset pkd", "b.csv:",
					   "c.csv:4", "c.csv:5", "" };
	struct kerr e = KERR_INIT;
	struct cube_builder *b = cube_builder_new(0);
	char ind[16], want[200];
	size_t k;
	for (k = 0; k < sizeof(src) / sizeof(src[0]); k++) {
		snprintf(ind, sizeof(ind), "C%02u", (unsigned)k);
		T_EQ_INT(cube_builder_add(b, "02", ind, 2015, 1, NAN, NAN, src[k], &e), 0);
	}
	for (k = 0; k < sizeof(src) / sizeof(src[0]); k++) {
		snprintf(ind, sizeof(ind), "C%02u", (unsigned)k);
		T_EQ_INT(cube_builder_add(b, "02", ind, 2015, 1, NAN, NAN, "zz.txt:1", &e), -1);
		snprintf(want, sizeof(want), "zz.txt:1: region 02, industry %s, year 2015 given twice (%s%s)", ind,
			 *src[k] ? "first at " : "given before", src[k]);
		T_EQ_STR(e.msg, want);
	}
	cube_builder_free(b);
}

T_TEST(builder_errors)
{
	struct kerr e = KERR_INIT;
	struct cube_builder *b = cube_builder_new(0);
	T_EQ_INT(cube_builder_add(b, "02", "C26", 2015, 1, NAN, NAN, "stats.csv:9", &e), 0);
	T_EQ_INT(cube_builder_add(b, "02", "C26", 2015, 1, NAN, NAN, "stats.csv:17", &e), -1);
	T_EQ_STR(e.msg, "stats.csv:17: region 02, industry C26, year 2015 given twice (first at line 9)");
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_EQ_INT(cube_builder_add(b, "02", "C26", 2015, 1, NAN, NAN, "other.csv:3", &e), -1);
	T_EQ_STR(e.msg, "other.csv:3: region 02, industry C26, year 2015 given twice (first at stats.csv:9)");
	T_EQ_INT(cube_builder_add(b, "02", "C27", 0, 1, NAN, NAN, "s.csv:2", &e), 0);
	T_EQ_INT(cube_builder_add(b, "02", "C27", 0, 1, NAN, NAN, "s.csv:5", &e), -1);
	T_EQ_STR(e.msg, "s.csv:5: region 02, industry C27 given twice (first at line 2)");
	T_EQ_INT(cube_builder_traded(b, "C26", 1, "x.csv:4", "traded", NULL, &e), 0);
	T_EQ_INT(cube_builder_traded(b, "C26", 0, "x.csv:8", "traded", NULL, &e), -1);
	T_EQ_STR(e.msg, "x.csv:8: column traded: industry C26 is marked local here but traded before "
		 "(first at line 4)");
	/* a code a crosswalk put in a cluster is named with its cluster; no column: none named */
	T_EQ_INT(cube_builder_traded(b, "C26", 0, "x.csv:9", "traded", "26.11", &e), -1);
	T_EQ_STR(e.msg, "x.csv:9: column traded: industry 26.11 (cluster C26) is marked local here but "
		 "traded before (first at line 4)");
	T_EQ_INT(cube_builder_traded(b, "C26", 0, "x", NULL, NULL, &e), -1);
	T_EQ_STR(e.msg, "x: industry C26 is marked local here but traded before (first at x.csv:4)");
	T_EQ_INT(cube_builder_ref(b, "C26", 2015, 10, "r.csv:2", &e), 0);
	T_EQ_INT(cube_builder_ref(b, "C26", 2015, 10, "r.csv:3", &e), -1);
	T_EQ_STR(e.msg, "r.csv:3: reference employment for industry C26, year 2015 given twice "
		 "(first at line 2)");
	cube_builder_free(b);
	cube_builder_free(NULL);
}

/* Cells by the codes' indexes (the fast path's way) build the cube cube_builder_add builds, with
 * its messages; the source is made from the file and line only where one is needed. */
T_TEST(builder_by_index)
{
	static const struct { const char *r, *i; int year; double emp, est; long line; } cell[] = {
		{ "04", "C27", 2016, 3, 1, 2 }, { "02", "C26", 2015, 5, NAN, 3 }, { "04", "C26", 2015, NAN, 2, 4 },
		{ "02", "C27", 2016, 7, 1, 5 },
	};
	struct kerr e = KERR_INIT;
	struct cube_builder *a = cube_builder_new(CUBE_SUM), *b = cube_builder_new(CUBE_SUM);
	struct cube ca, cb;
	uint32_t r, i, r2;
	size_t k;
	cube_builder_reserve(b, 3);   /* fewer than are added: the builder grows as before */
	for (k = 0; k < sizeof(cell) / sizeof(cell[0]); k++) {
		char src[32];
		snprintf(src, sizeof(src), "s.csv:%ld", cell[k].line);
		T_EQ_INT(cube_builder_add(a, cell[k].r, cell[k].i, cell[k].year, cell[k].emp, cell[k].est, NAN, src, &e), 0);
		r = cube_builder_region(b, cell[k].r, src, &e);
		i = cube_builder_industry(b, cell[k].i, src, &e);
		T_OK(r != UINT32_MAX && i != UINT32_MAX);
		T_EQ_INT(cube_builder_add_at(b, r, i, cell[k].year, cell[k].emp, cell[k].est, NAN, "s.csv", cell[k].line,
					     &e), 0);
	}
	T_EQ_INT(cube_builder_region(b, "04", NULL, &e), 0);   /* met first: index 0, found again */
	T_EQ_INT(cube_builder_industry(b, "C26", NULL, &e), 1);
	T_EQ_INT(cube_builder_finish(a, &ca, &e), 0);
	T_EQ_INT(cube_builder_finish(b, &cb, &e), 0);
	T_EQ_INT(cb.nreg, ca.nreg);
	T_EQ_INT(cb.nind, ca.nind);
	T_EQ_INT(cb.nyear, ca.nyear);
	for (k = 0; k < ca.nyear * ca.nreg * ca.nind; k++) {
		T_OK(isnan(cb.emp[k]) ? isnan(ca.emp[k]) : cb.emp[k] == ca.emp[k]);
		T_OK(isnan(cb.est[k]) ? isnan(ca.est[k]) : cb.est[k] == ca.est[k]);
	}
	/* each region's first row in each year, made from the file and line */
	for (k = 0; k < ca.nyear * ca.nreg; k++)
		T_EQ_STR(cb.src[k] ? cb.src[k] : "(none)", ca.src[k] ? ca.src[k] : "(none)");
	T_EQ_STR(cb.src[0], "s.csv:3");
	cube_release(&ca);
	cube_release(&cb);

	/* a repeated cell without CUBE_SUM names both lines, as cube_builder_add does */
	b = cube_builder_new(0);
	r = cube_builder_region(b, "02", "s.csv:9", &e);
	i = cube_builder_industry(b, "C26", "s.csv:9", &e);
	T_EQ_INT(cube_builder_add_at(b, r, i, 2015, 1, NAN, NAN, "s.csv", 9, &e), 0);
	T_EQ_INT(cube_builder_add_at(b, r, i, 2015, 1, NAN, NAN, "s.csv", 17, &e), -1);
	T_EQ_STR(e.msg, "s.csv:17: region 02, industry C26, year 2015 given twice (first at line 9)");
	T_EQ_INT(e.kind, KERR_CONFLICT);
	/* a code with a control character is refused with the reader's place; nothing is added */
	r2 = cube_builder_region(b, "0\0332", "s.csv:20", &e);
	T_EQ_INT(r2, UINT32_MAX);
	T_EQ_STR(e.msg, "s.csv:20: region code holds a control character (U+001B): codes are text");
	T_EQ_INT(e.kind, KERR_INPUT);
	T_EQ_INT(cube_builder_industry(b, "C\a", "s.csv:21", &e), UINT32_MAX);
	T_EQ_STR(e.msg, "s.csv:21: industry code holds a control character (U+0007): codes are text");
	T_EQ_INT(cube_builder_region(b, "04", NULL, &e), 1);   /* the refused code took no index */
	/* cube_builder_add checks both codes before adding either */
	T_EQ_INT(cube_builder_add(b, "06", "C\a", 2015, 1, NAN, NAN, "s.csv:22", &e), -1);
	T_EQ_STR(e.msg, "s.csv:22: industry code holds a control character (U+0007): codes are text");
	T_EQ_INT(cube_builder_region(b, "06", NULL, &e), 2);
	cube_builder_free(b);
}

T_TEST(builder_sum)
{
	struct kerr e = KERR_INIT;
	struct cube_builder *b = cube_builder_new(CUBE_SUM);
	struct cube c;
	cube_builder_add(b, "A", "X", 0, NAN, NAN, NAN, NULL, &e);
	cube_builder_add(b, "A", "X", 0, 2, NAN, 1, NULL, &e);   /* NAN + 2 = 2 */
	cube_builder_add(b, "A", "X", 0, 3, NAN, NAN, NULL, &e); /* 2 + 3 */
	cube_builder_add(b, "A", "X", 0, NAN, NAN, NAN, NULL, &e);
	cube_builder_add(b, "B", "X", 0, NAN, NAN, NAN, NULL, &e);
	cube_builder_ref(b, "X", 0, 4, NULL, &e);
	cube_builder_ref(b, "X", 0, 6, NULL, &e);
	cube_builder_ref(b, "Y", 0, 6, NULL, &e);  /* not in the data: dropped */
	{
		/* A-X adds missing values to known ones: a lower bound; B-X, missing alone, stays missing
		 * and is none; the reference's sums are not cells */
		char first[64];
		T_EQ_INT(cube_builder_partial_cells(b, 0, first, sizeof(first)), 1);
		T_EQ_STR(first, "region A, industry X");
		/* its wages too (one known of four); its establishments, missing in every row, are not */
		T_EQ_INT(cube_builder_partial_cells(b, 2, first, sizeof(first)), 1);
		T_EQ_INT(cube_builder_partial_cells(b, 1, first, sizeof(first)), 0);
		T_EQ_STR(first, "");
	}
	T_EQ_INT(cube_builder_finish(b, &c, &e), 0);
	T_EQ_INT(c.nind, 1);
	T_NEAR(emp_at(&c, "A", 0, "X"), 5, 0);
	T_NEAR(arr_at(&c, c.wage, "A", 0, "X"), 1, 0);
	T_OK(isnan(emp_at(&c, "B", 0, "X")));
	T_OK(c.ref != NULL && c.ref[0] == 10);
	cube_release(&c);

	/* a reference sum with an unknown part is unknown, whichever part comes first (a cell's
	 * unknown part adds nothing: the known ones' total is a lower bound) */
	{
		static const double parts[2][2] = { { 4, NAN }, { NAN, 4 } };
		int k;
		for (k = 0; k < 2; k++) {
			b = cube_builder_new(CUBE_SUM);
			cube_builder_add(b, "A", "X", 0, 2, NAN, NAN, NULL, &e);
			cube_builder_add(b, "A", "X", 0, NAN, NAN, NAN, NULL, &e);
			cube_builder_ref(b, "X", 0, parts[k][0], NULL, &e);
			cube_builder_ref(b, "X", 0, parts[k][1], NULL, &e);
			cube_builder_ref(b, "X", 0, 6, NULL, &e);
			T_EQ_INT(cube_builder_finish(b, &c, &e), 0);
			T_NEAR(emp_at(&c, "A", 0, "X"), 2, 0);
			T_OK(c.ref != NULL && isnan(c.ref[0]));
			cube_release(&c);
		}
	}

	/* an empty builder gives an empty cube */
	T_EQ_INT(cube_builder_finish(cube_builder_new(0), &c, &e), 0);
	T_EQ_INT(c.nreg + c.nind + c.nyear, 0);
	T_EQ_INT(cube_region(&c, "A"), (long long)(size_t)-1);
	cube_release(&c);
}

/* ---- the readers --------------------------------------------------------------- */

T_TEST(long_without_year)
{
	struct kerr e = KERR_INIT;
	struct stats_counts n;
	struct cube c;
	enum stats_format f = STATS_AUTO;
	T_EQ_INT(stats_detect_format(DIR "long_noyear.csv", &f, &e), 0);
	T_EQ_INT(f, STATS_LONG);
	T_EQ_INT(stats_load(DIR "long_noyear.csv", NULL, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 4);
	T_EQ_INT(n.cells, 4);
	T_EQ_INT(n.missing, 0);
	T_EQ_INT(c.nreg, 2);
	T_EQ_INT(c.nind, 2);
	T_EQ_INT(c.nyear, 1);
	T_EQ_INT(c.year[0], 0);
	T_NEAR(emp_at(&c, "02", 0, "C26"), 100, 0);
	T_NEAR(emp_at(&c, "04", 0, "C27"), 1234.5, 0);
	T_EQ_STR(c.reg_name[0], "Dolnośląskie");
	T_EQ_STR(c.reg_name[1], "Kujawsko-Pomorskie");
	T_EQ_STR(c.ind_name[0], "Computers");
	T_EQ_STR(c.ind_name[1], "Electrical equipment");
	T_OK(c.est == NULL && c.wage == NULL && c.ref == NULL);
	T_EQ_INT(c.traded[0], -1);
	cube_release(&c);
}

T_TEST(long_with_year)
{
	struct kerr e = KERR_INIT;
	struct stats_counts n;
	struct cube c;
	T_EQ_INT(stats_load(DIR "long_year.csv", NULL, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 8);
	T_EQ_INT(n.missing, 1);
	T_EQ_INT(c.nyear, 2);
	T_EQ_INT(c.year[0], 2015);
	T_EQ_INT(c.year[1], 2016);
	T_NEAR(emp_at(&c, "04", 2016, "C27"), 80, 0);
	T_OK(isnan(emp_at(&c, "02", 2016, "C27")));
	T_NEAR(arr_at(&c, c.est, "02", 2015, "C26"), 3, 0);
	T_OK(isnan(arr_at(&c, c.est, "04", 2015, "C27")));
	T_NEAR(arr_at(&c, c.wage, "02", 2015, "C26"), 5000, 0);
	T_OK(isnan(arr_at(&c, c.wage, "02", 2016, "C26")));
	T_EQ_INT(c.traded[cube_industry(&c, "C26")], 1);
	T_EQ_INT(c.traded[cube_industry(&c, "C27")], 0);
	cube_release(&c);
}

T_TEST(semicolon_decimal_comma)
{
	struct kerr e = KERR_INIT;
	struct cube c;
	T_EQ_INT(stats_load(DIR "gus.csv", NULL, &c, NULL, &e), 0);
	T_EQ_STR(e.msg, "");
	T_NEAR(emp_at(&c, "02", 2020, "C26"), 1234.5, 0);
	T_NEAR(emp_at(&c, "02", 2020, "C27"), 12, 0);
	T_NEAR(emp_at(&c, "14", 2020, "C26"), 7000, 0);     /* no-break space */
	T_NEAR(emp_at(&c, "14", 2020, "C27"), 3000.75, 0);  /* narrow no-break space */
	T_NEAR(arr_at(&c, c.wage, "02", 2020, "C26"), 10.25, 0);
	T_NEAR(arr_at(&c, c.wage, "02", 2020, "C27"), 1.5, 0);
	cube_release(&c);
}

/* Statistics Poland's signs in any file separated by semicolons, as in BDL exports: "-" or "–"
 * (nothing occurred) is 0, "." (no data) and "x" (not applicable) are missing; in a file
 * separated by commas they are still not numbers. */
T_TEST(semicolon_gus_signs)
{
	static const char long_file[] = "region;industry;year;employment;establishments\n"
					"02;C26;2020;-;-\n02;C27;2020;\xE2\x80\x93;1\n04;C26;2020;.;x\n"
					"04;C27;2020;X;2\n06;C26;2020;12,5;3\n06;C27;2020;4;1\n02;C28;2020;5;1\n"
					"04;C28;2020;3;1\n";
	static const char wide_file[] = "region;industry;2019;2020\n02;C26;-;5\n02;C27;4;4\n04;C26;.;7\n04;C27;3;x\n";
	struct kerr e = KERR_INIT;
	struct stats_counts n;
	struct cube c;
	struct stats_opts o = { .fmt = STATS_AUTO };
	T_EQ_INT(stats_load_mem(long_file, sizeof(long_file) - 1, "gus.csv", &o, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_NEAR(emp_at(&c, "02", 2020, "C26"), 0, 0);
	T_NEAR(arr_at(&c, c.est, "02", 2020, "C26"), 0, 0);
	T_NEAR(emp_at(&c, "02", 2020, "C27"), 0, 0);          /* an en dash, as the yearbooks write it */
	T_OK(isnan(emp_at(&c, "04", 2020, "C26")));
	T_OK(isnan(arr_at(&c, c.est, "04", 2020, "C26")));
	T_OK(isnan(emp_at(&c, "04", 2020, "C27")));
	T_NEAR(emp_at(&c, "06", 2020, "C26"), 12.5, 0);
	T_EQ_INT(n.missing, 2);
	cube_release(&c);
	T_EQ_INT(stats_load_mem(wide_file, sizeof(wide_file) - 1, "wide.csv", &o, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_NEAR(emp_at(&c, "02", 2019, "C26"), 0, 0);
	T_OK(isnan(emp_at(&c, "04", 2019, "C26")));
	T_OK(isnan(emp_at(&c, "04", 2020, "C27")));
	cube_release(&c);
	/* a ',' file: a dash is still no number, and says where */
	T_EQ_INT(stats_load_mem("region,industry,employment\n02,C26,-\n", 35, "c.csv", &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, "c.csv:2: column employment: \"-\" is not a number");
	T_EQ_INT(stats_load_mem("region,industry,employment\n02,C26,x\n", 35, "c.csv", &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, "c.csv:2: column employment: \"x\" is not a number");
	{
		/* a firm list is no table of GUS's: a firm's employment is a number or unknown (empty, NA,
		 * ':'), as map spatial and hotspots read the same list, also in a ';' file */
		static const char firms[] = "id;industry;lat;lon;employment;region\n1;C26;52,1;21;5;02\n"
					    "2;C26;52,1;21;-;02\n3;C27;52,1;21;x;04\n4;C27;52,1;21;.;04\n"
					    "5;C26;52,1;21;\xE2\x80\x93;04\n6;C27;52,1;21;:;02\n";
		struct stats_opts skip = { .fmt = STATS_AUTO, .skip_invalid = 1 };
		T_EQ_INT(stats_load_mem(firms, sizeof(firms) - 1, "firms.csv", &o, &c, &n, &e), -1);
		T_EQ_STR(e.msg, "firms.csv:3: column employment: \"-\" is not a number");
		kerr_clear(&e);
		T_EQ_INT(stats_load_mem(firms, sizeof(firms) - 1, "firms.csv", &skip, &c, &n, &e), 0);
		T_EQ_INT(n.invalid, 4);
		T_EQ_STR(n.first_invalid, "firms.csv:3: column employment: \"-\" is not a number");
		T_EQ_INT(n.unknown_size, 1);
		T_NEAR(emp_at(&c, "02", 0, "C26"), 5, 0);
		T_EQ_INT(c.nreg, 1);   /* 04: its firms were all left out */
		cube_release(&c);
	}
}

T_TEST(eurostat)
{
	struct kerr e = KERR_INIT;
	struct stats_counts n;
	struct cube c;
	enum stats_format f = STATS_AUTO;
	T_EQ_INT(stats_detect_format(DIR "eurostat.tsv", &f, &e), 0);
	T_EQ_INT(f, STATS_EUROSTAT_TSV);
	T_EQ_INT(stats_load(DIR "eurostat.tsv", NULL, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 4);
	T_EQ_INT(n.cells, 12);
	T_EQ_INT(n.missing, 2);
	T_EQ_INT(c.nyear, 3);
	T_EQ_INT(c.year[2], 2017);
	T_EQ_INT(c.nreg, 2);
	T_EQ_STR(c.reg[0], "PL21");
	T_NEAR(emp_at(&c, "PL21", 2015, "C26"), 123, 0);    /* "123 c" */
	T_OK(isnan(emp_at(&c, "PL21", 2016, "C26")));       /* ": c" */
	T_NEAR(emp_at(&c, "PL21", 2017, "C26"), 12345, 0);  /* " 12 345 p" */
	T_NEAR(emp_at(&c, "PL22", 2015, "C26"), 100, 0);    /* "100 " */
	T_NEAR(emp_at(&c, "PL22", 2016, "C26"), 4, 0);      /* "4 u" */
	T_OK(isnan(emp_at(&c, "PL22", 2017, "C26")));       /* ":" */
	T_NEAR(emp_at(&c, "PL22", 2015, "C27"), 1000, 0);
	T_NEAR(emp_at(&c, "PL22", 2016, "C27"), 0, 0);
	T_NEAR(emp_at(&c, "PL22", 2017, "C27"), 50, 0);     /* "50 bp" */
	T_NEAR(emp_at(&c, "PL21", 2016, "C27"), 8, 0);
	cube_release(&c);
}

/* Statistics Poland's Local Data Bank export, vertical layout (BOM, quotes, CRLF, ';' at the end). */
T_TEST(bdl)
{
	struct kerr e = KERR_INIT;
	struct stats_counts n;
	struct cube c;
	enum stats_format f = STATS_AUTO;
	T_EQ_INT(stats_detect_format(DIR "bdl.csv", &f, &e), 0);
	T_EQ_INT(f, STATS_BDL);
	T_EQ_INT(stats_load(DIR "bdl.csv", NULL, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 10);
	T_EQ_INT(n.totals, 1);   /* ogółem */
	T_EQ_STR(n.first_total, "011212000000 ogółem");
	T_EQ_INT(n.national, 2); /* POLSKA (a Kod of zeros): the reference economy */
	T_OK(c.ref != NULL);
	T_NEAR(c.ref ? c.ref[cube_year(&c, 2021) * c.nind + cube_industry(&c, "C")] : -1, 2500, 0);
	T_EQ_STR(n.industry_dim, "Sekcje PKD 2007");
	T_EQ_INT(n.industry_dim_named, 1);
	T_EQ_INT(n.cells, 7);
	T_EQ_INT(n.missing, 2);  /* "." and "x" */
	T_EQ_INT(c.nreg, 2);
	T_EQ_INT(c.nyear, 2);
	T_NEAR(emp_at(&c, "011212000000", 2021, "C"), 1200.5, 0);  /* "1 200,5" */
	T_NEAR(emp_at(&c, "011212000000", 2021, "F"), 0, 0);       /* "-": nothing occurred */
	T_OK(isnan(emp_at(&c, "011212000000", 2022, "F")));         /* ".": no data */
	T_NEAR(emp_at(&c, "011212000000", 2022, "C"), 1250, 0);
	T_NEAR(emp_at(&c, "012424000000", 2021, "F"), 200, 0);
	T_OK(isnan(emp_at(&c, "012424000000", 2021, "przetwórstwo przemysłowe razem")));  /* "x" */
	T_EQ_STR(c.reg_name[cube_region(&c, "011212000000")], "małopolskie");   /* BDL's capitals as Polish writes the name */
	T_EQ_STR(c.ind_name[cube_industry(&c, "C")], "sekcja C");
	cube_release(&c);
}

T_TEST(bdl_errors)
{
	const enum stats_format B = STATS_BDL;
	const char *h = "Kod;Nazwa;Sekcje PKD;Rok;Wartosc;Jednostka miary;Atrybut;\n";
	struct buf b = BUF_INIT;
#define BDL(rows) (buf_reset(&b), buf_puts(&b, h), buf_puts(&b, rows), load_err_fmt(b.ptr, B, 0))
	T_EQ_STR(BDL("02;A;sekcja C;2022;12x;osoba;;\n"), "stats.csv:2: column Wartosc: \"12x\" is not a number");
	T_EQ_STR(BDL("02;A;sekcja C;2022;-5;osoba;;\n"), "stats.csv:2: column Wartosc: -5 is negative");
	T_EQ_STR(BDL("02;A;sekcja C;2022;1.234;osoba;;\n"),
		 "stats.csv:2: column Wartosc: \"1.234\" is not a number here: in a file separated by semicolons, "
		 "where the decimal mark is a comma, a dot may separate thousands (1234) or mark decimals "
		 "(1.234); write 1234 or 1,234");
	T_EQ_STR(BDL("02;A;sekcja C;2022;1;osoba;;\n02;A;sekcja C;2022;2;osoba;;\n"),
		 "stats.csv:3: region 02, industry C, year 2022 given twice (first at line 2)");
	T_EQ_STR(BDL("02;A;sekcja C;22x;1;osoba;;\n"),
		 "stats.csv:2: column Rok: \"22x\" is not a year (a whole number from 1 to 9999)");
	T_EQ_STR(BDL(";A;sekcja C;2022;1;osoba;;\n"), "stats.csv:2: column Kod is empty");
	T_EQ_STR(BDL("02;A;;2022;1;osoba;;\n"), "stats.csv:2: column Sekcje PKD is empty");
	T_EQ_STR(BDL("02;A;sekcja C;2022;1;osoba;;\n04;B;sekcja C;2022;1;zł;;\n"),
		 "stats.csv:3: column Jednostka miary: zł here but osoba at line 2: the file mixes two "
		 "variables; export one value of Jednostka miary (osoba, say)");
	T_EQ_STR(BDL("02;A;sekcja C;2022;1;osoba;\n"), "stats.csv:2: the row has 7 fields, the header has 8");
	/* only totals: nothing is left */
	T_EQ_STR(BDL("000000000000;POLSKA;sekcja C;2022;1;osoba;;\n"), "stats.csv: every row is a total (of the nation, or of all industries: ogółem); "
		 "export the regions by industry");
#undef BDL
	buf_release(&b);
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Sekcje PKD;Płeć;Rok;Wartosc;\n02;A;sekcja C;ogółem;2022;1;\n"
			      "02;A;sekcja F;kobiety;2022;1;\n", B, 0),
		 "stats.csv:3: column Płeć: kobiety here but ogółem at line 2: the values of one region and "
		 "industry would add up; export one value of Płeć (ogółem, say)");
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Płeć;Wiek;Rok;Wartosc;\n02;A;x;y;2022;1;\n", B, 0),
		 "stats.csv:1: Płeć, Wiek: klaster takes the industries from the dimension whose name says PKD, "
		 "NACE, sekcje or działy, and none does; export the variable by one such dimension");
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Sekcje PKD;Działy PKD;Rok;Wartosc;\n", B, 0),
		 "stats.csv:1: Sekcje PKD, Działy PKD: klaster takes the industries from the dimension whose name "
		 "says PKD, NACE, sekcje or działy, and several do; export the variable by one such dimension");
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Rok;Wartosc;\n", B, 0),
		 "stats.csv:1: the header has no dimension between Nazwa and Rok: klaster takes the industries "
		 "from the dimension whose name says PKD, NACE, sekcje or działy, and there is none; export the "
		 "variable by one such dimension");
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Sekcje;Wartosc\n02;A;C;1\n", B, 0),
		 "stats.csv:1: the column Rok of a Local Data Bank (BDL) export is missing from the header "
		 "(export the table in the vertical layout: Kod;Nazwa;…;Rok;Wartosc)");
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Sekcje;Rok;Wartosc;Rok\n", B, 0),
		 "stats.csv:1: column Rok appears twice in the header");
	T_EQ_STR(load_err_fmt("Kod;;Sekcje;Rok;Wartosc\n", B, 0), "stats.csv:1: header column 2 has no name");
	/* one dimension whatever its name (told: stats_counts.industry_dim_named), unless it names sexes or ages;
	 * a Wartość header */
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Grupy;Rok;Wartość\n02;A;G1;2022;1\n04;B;G1;2022;2\n", B, 0), "");
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Płeć;Rok;Wartosc\n02;A;kobiety;2022;1\n", B, 0),
		 "stats.csv:1: the variable's one dimension, Płeć, holds no industries: klaster compares industries "
		 "(a dimension such as Sekcje PKD 2007); export the variable by industry");
	/* units that are not counts */
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Sekcje PKD;Rok;Wartosc;Jednostka miary\n02;A;sekcja C;2022;1,5;%\n", B, 0),
		 "stats.csv:2: column Jednostka miary: \"%\" is not a count: location quotients compare counts "
		 "(persons, entities); export a variable counted in persons or units");
	T_OK(strstr(load_err_fmt("Kod;Nazwa;Sekcje PKD;Rok;Wartosc;Jednostka miary\n02;A;sekcja C;2022;1;na 1000 "
				 "ludności\n", B, 0), "is not a count") != NULL);
	/* units of two levels: a voivodeship and its powiat */
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Sekcje PKD;Rok;Wartosc\n011200000000;M;sekcja C;2022;5\n"
			      "012400000000;S;sekcja C;2022;5\n011212000000;P;sekcja C;2022;2\n", B, 0),
		 "stats.csv:4: column Kod: the file holds units of two levels: 011200000000 (line 2) holds "
		 "011212000000, whose code begins with its own: every total would count their people twice; export "
		 "the units of one level (województwa, say), or keep one level with --region-length (2: województwa, "
		 "4: powiaty, 7: gminy)");
	/* powiats 10 and 14 of one subregion are of one level (the code's fields are 2, 2, 1, 2, 2, 2, 1
	 * digits: 01 24 1 39 10 00 0 and 01 24 1 39 14 00 0) */
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Sekcje PKD;Rok;Wartosc\n012413910000;P10;sekcja C;2022;5\n"
			      "012413914000;P14;sekcja C;2022;5\n012413977000;P77;sekcja F;2022;5\n", B, 0), "");
	/* 10-digit codes of voivodeships 10 and 12 are not nested (codes of another shape are not checked) */
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Sekcje PKD;Rok;Wartosc\n1000000000;Ł;sekcja C;2022;5\n"
			      "1200000000;M;sekcja C;2022;5\n1200000000;M;sekcja F;2022;5\n", B, 0), "");
	/* the horizontal layout: told to export the vertical one */
	T_EQ_STR(load_err("Kod;Nazwa;\"sekcja A;2021;[osoba]\";\n02;A;1;\n"),
		 "stats.csv:1: this is a Local Data Bank (BDL) table in the horizontal layout (a column a year: "
		 "\"sekcja A;2021;[osoba]\"); klaster reads the vertical one: export the table again as \"układ "
		 "pionowy\" (Kod;Nazwa;…;Rok;Wartosc)");
	/* razem is a total too */
	T_EQ_STR(load_err_fmt("Kod;Nazwa;Sekcje PKD;Rok;Wartosc\n02;A;razem;2022;5\n02;A;sekcja C;2022;5\n"
			      "04;B;sekcja C;2022;5\n", B, 0), "");
}

T_TEST(crosswalk)
{
	struct kerr e = KERR_INIT;
	struct stats_counts n;
	struct stats_opts o = { .crosswalk_path = DIR "crosswalk.csv", .skip_unmapped = 1 };
	struct cube c;
	T_EQ_INT(stats_load(DIR "xw_data.csv", &o, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 6);
	T_EQ_INT(n.unmapped, 1);
	T_EQ_STR(n.first_unmapped, "X99");
	T_EQ_INT(c.nind, 2);
	T_NEAR(emp_at(&c, "02", 0, "ELEC"), 150, 0);
	T_NEAR(emp_at(&c, "04", 0, "ELEC"), 25, 0);
	T_NEAR(emp_at(&c, "02", 0, "RETAIL"), 30, 0);
	T_NEAR(emp_at(&c, "04", 0, "RETAIL"), 10, 0);
	T_EQ_INT(c.traded[cube_industry(&c, "ELEC")], 1);
	T_EQ_INT(c.traded[cube_industry(&c, "RETAIL")], 0);
	cube_release(&c);

	o.skip_unmapped = 0;
	T_EQ_INT(stats_load(DIR "xw_data.csv", &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, DIR "xw_data.csv:7: column industry: X99 is not in the crosswalk "
		 DIR "crosswalk.csv");

	o.crosswalk_path = DIR "crosswalk_conflict.csv";
	T_EQ_INT(stats_load(DIR "xw_data.csv", &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, DIR "crosswalk_conflict.csv:3: column traded: industry ELEC is marked local "
		 "here but traded before (first at line 2)");

	o.crosswalk_path = DIR "missing.csv";
	T_EQ_INT(stats_load(DIR "xw_data.csv", &o, &c, &n, &e), -1);
	T_EQ_INT(e.kind, KERR_IO);
}

T_TEST(reference)
{
	struct kerr e = KERR_INIT;
	struct stats_opts o = { .ref_path = DIR "ref.csv" };
	struct cube c;
	size_t c26, c27;
	T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, NULL, &e), 0);
	T_EQ_STR(e.msg, "");
	T_OK(c.ref != NULL);
	c26 = cube_industry(&c, "C26");
	c27 = cube_industry(&c, "C27");
	T_NEAR(c.ref[0 * c.nind + c26], 1000, 0);
	T_NEAR(c.ref[0 * c.nind + c27], 500, 0);
	T_NEAR(c.ref[1 * c.nind + c26], 1100, 0);
	T_NEAR(c.ref[1 * c.nind + c27], 550, 0);
	cube_release(&c);

	/* a reference without a year applies to every year */
	o.ref_path = DIR "ref_noyear.csv";
	T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, NULL, &e), 0);
	T_OK(c.ref != NULL && c.ref[1 * c.nind + cube_industry(&c, "C27")] == 500);
	cube_release(&c);

	o.ref_path = DIR "ref_bad.csv";
	T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, NULL, &e), -1);
	T_EQ_STR(e.msg, DIR "ref_bad.csv:3: column employment: \"oops\" is not a number");

	/* a reference that does not contain the data: less than the regions' total (C27 in 2015:
	 * 50 + 75 = 125 against 100), an industry missing, a year missing */
	kerr_clear(&e);
	o.ref_path = DIR "ref_small.csv";
	T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, NULL, &e), -1);
	T_EQ_STR(e.msg, DIR "ref_small.csv:3: column employment: industry C27 in 2015: the reference economy "
			    "has 100, less than the 125 of the data's regions, by more than the rounding of the "
			    "values could make (a reference contains them, as their country does; compare with the "
			    "regions' own sum by leaving the nation's rows or --reference out)");
	kerr_clear(&e);
	o.ref_path = DIR "ref_noind.csv";
	{
		/* an industry the reference leaves unknown: counted for a notice, its LQs empty */
		struct stats_counts n;
		T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, &n, &e), 0);
		T_EQ_INT(n.ref_unknown, 2);
		T_EQ_STR(n.first_ref_unknown, "C27 in 2015");
		cube_release(&c);
	}
	kerr_clear(&e);
	o.ref_path = DIR "ref_2015.csv";
	T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, NULL, &e), -1);
	T_EQ_STR(e.msg, DIR "ref_2015.csv: the reference economy has no values in 2016, a year of the data "
		 "(every year of the data needs one)");
	kerr_clear(&e);
	/* the first row of each region in each year is known for messages; a reference value's row too */
	o.ref_path = DIR "ref.csv";
	T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, NULL, &e), 0);
	T_OK(c.src != NULL && c.ref_src != NULL);
	T_EQ_STR(cube_src(&c, 1, cube_region(&c, "04")), DIR "long_year.csv:8");
	T_EQ_STR(c.ref_src[1 * c.nind + cube_industry(&c, "C27")], DIR "ref.csv:5");
	cube_release(&c);

	/* the reference through a crosswalk */
	o.ref_path = DIR "ref_noyear.csv";
	o.crosswalk_path = DIR "crosswalk.csv";
	kerr_clear(&e);
	T_EQ_INT(stats_load(DIR "long_noyear.csv", &o, &c, NULL, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(c.nind, 1);
	T_OK(c.ref != NULL && c.ref[0] == 1500);
	T_NEAR(emp_at(&c, "02", 0, "ELEC"), 150, 0);
	T_NEAR(emp_at(&c, "04", 0, "ELEC"), 1259.5, 0);
	cube_release(&c);

	/* the data marks C27 local, the crosswalk puts it in a traded cluster */
	T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, NULL, &e), -1);
	T_EQ_STR(e.msg, DIR "long_year.csv:3: column traded: industry C27 (cluster ELEC) is marked "
		 "local here but traded before (first at " DIR "crosswalk.csv:2)");
}

T_TEST(numbers)
{
	struct cube c;
	struct kerr e = KERR_INIT;
	const char *ok = "region;industry;employment\nA;1;1 234 567\nA;2;0,5\nA;3;7.25\nA;4;:\nA;5;\n";
	T_EQ_INT(stats_load_mem(ok, strlen(ok), "s.csv", NULL, &c, NULL, &e), 0);
	T_NEAR(emp_at(&c, "A", 0, "1"), 1234567, 0);
	T_NEAR(emp_at(&c, "A", 0, "2"), 0.5, 0);
	T_NEAR(emp_at(&c, "A", 0, "3"), 7.25, 0);
	T_OK(isnan(emp_at(&c, "A", 0, "4")));
	T_OK(isnan(emp_at(&c, "A", 0, "5")));
	cube_release(&c);
	T_EQ_STR(load_err("region,industry,employment\nA,1,12 34\n"),
		 "stats.csv:2: column employment: \"12 34\" is not a number");
	T_EQ_STR(load_err("region,industry,employment\nA,1,1234 567\n"),
		 "stats.csv:2: column employment: \"1234 567\" is not a number");
	T_EQ_STR(load_err("region,industry,employment\nA,1,\"1,5\"\n"),
		 "stats.csv:2: column employment: \"1,5\" is not a number here: the decimal comma is read in "
		 "files separated by semicolons (as Statistics Poland writes them); in this file write a point (1.5)");
	T_EQ_STR(load_err("region,industry,employment\nA,1,inf\n"),
		 "stats.csv:2: column employment: \"inf\" is not a number");
	T_EQ_STR(load_err("region,industry,employment\nA,1,1e5\n"),
		 "stats.csv:2: column employment: \"1e5\" is not a number");
	T_EQ_STR(load_err("region,industry,employment\nA,1,5.\n"),
		 "stats.csv:2: column employment: \"5.\" is not a number");
}

T_TEST(long_errors)
{
	T_EQ_STR(load_err("region,employment\nA,1\n"),
		 "stats.csv:1: the required column industry is missing from the header");
	T_EQ_STR(load_err("region,industry,wages\nA,1,1\n"),
		 "stats.csv:1: the required column employment is missing from the header (or give "
		 "one column per year, such as 2015 or n2015)");
	T_EQ_STR(load_err("region,industry,employment,colour\nA,1,1,red\n"),
		 "stats.csv:1: unknown column \"colour\" in a statistics file (the known columns are "
		 "region (or geo, nuts), industry (or nace_r2, pkd), employment (or OBS_VALUE), year (or "
		 "TIME_PERIOD), establishments, wages, traded, region_name, industry_name)");
	T_EQ_STR(load_err("region,industry,employment,Region\n"),
		 "stats.csv:1: columns region and Region are both the region column: keep one of them");
	T_EQ_STR(load_err("region,industry,employment,region\n"), "stats.csv:1: column region appears twice in the header");
	T_EQ_STR(load_err("region,industry,employment\nA,1,12x\n"),
		 "stats.csv:2: column employment: \"12x\" is not a number");
	T_EQ_STR(load_err("region,industry,employment\nA,1,5\nA,2,-3\n"),
		 "stats.csv:3: column employment: -3 is negative");
	T_EQ_STR(load_err("region,industry,employment,establishments\nA,1,5,-1\n"),
		 "stats.csv:2: column establishments: -1 is negative");
	T_EQ_STR(load_err("region,industry,employment,wages\nA,1,5,abc\n"),
		 "stats.csv:2: column wages: \"abc\" is not a number");
	T_EQ_STR(load_err("region,industry,year,employment\n02,C26,2015,1\n02,C27,2015,1\n"
			  "02,C26,2015,3\n"),
		 "stats.csv:4: region 02, industry C26, year 2015 given twice (first at line 2)");
	T_EQ_STR(load_err("region,industry,employment\n  ,C26,1\n"),
		 "stats.csv:2: column region is empty");
	T_EQ_STR(load_err("region,industry,employment\n02,,1\n"),
		 "stats.csv:2: column industry is empty");
	T_EQ_STR(load_err("region,industry,year,employment\n02,C26,15x,1\n"),
		 "stats.csv:2: column year: \"15x\" is not a year (a whole number from 1 to 9999)");
	T_EQ_STR(load_err("region,industry,year,employment\n02,C26,0,1\n"),
		 "stats.csv:2: column year: \"0\" is not a year (a whole number from 1 to 9999)");
	T_EQ_STR(load_err("region,industry,employment,traded\n02,C26,1,maybe\n"),
		 "stats.csv:2: column traded: \"maybe\" is not one of 1, 0, true, false, yes, no, tak, nie, traded, local");
	T_EQ_STR(load_err("region,industry,employment,traded\n02,C26,1,1\n04,C26,1,nie\n"),
		 "stats.csv:3: column traded: industry C26 is marked local here but traded before "
		 "(first at line 2)");
	T_EQ_STR(load_err("region,industry,employment,Traded\n02,C26,1,1\n04,C26,1,nie\n"),
		 "stats.csv:3: column Traded: industry C26 is marked local here but traded before "
		 "(first at line 2)");
	T_EQ_STR(load_err("region,industry,employment\n02,C26\n"),
		 "stats.csv:2: the row has 2 fields, the header has 3");
	T_EQ_STR(load_err(""), "stats.csv: the file is empty (a header row is required)");
	T_EQ_STR(load_err("region,industry,employment\n"), "stats.csv: no data rows after the header");
	T_EQ_STR(load_err("region,industry,employment\n02,\"C26\n"),
		 "stats.csv:2: unterminated quoted field (the quote at position 4 of its line is never closed)");
	/* zero total employment in a region */
	T_EQ_STR(load_err("region,industry,year,employment\n02,C26,2015,1\n04,C26,2015,0\n"
			  "04,C27,2015,0\n04,C26,2016,3\n"),
		 "stats.csv:3: column employment: region 04 has zero total employment in 2015 (this is "
		 "its first row; location quotients are undefined there)");
	T_EQ_STR(load_err("region,industry,employment\n02,C26,0\n"),
		 "stats.csv:2: column employment: region 02 has zero total employment (this is its first "
		 "row; location quotients are undefined there)");
	/* all values missing is not zero */
	T_EQ_STR(load_err("region,industry,employment\n02,C26,:\n04,C26,1\n"), "");
	/* with the sum flag, repeated cells add up */
	T_EQ_STR(load_err_fmt("region,industry,employment\n02,C26,1\n02,C26,2\n", STATS_LONG, 1), "");
}

T_TEST(eurostat_errors)
{
	const enum stats_format E = STATS_EUROSTAT_TSV;
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26,PL21\t12x\n", E, 0),
		 "stats.csv:2: column 2015: \"12x\" is not a value (a number or \":\", optionally "
		 "followed by flags such as \"c\" or \"p\")");
	/* flags alone are a missing cell, as ": c" and as in the long layout; a letter twice is not flags */
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26,PL21\tc\nC26,PL22\t5\n", E, 0), "");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26,PL21\tcc\n", E, 0),
		 "stats.csv:2: column 2015: \"cc\" is not a value (a number or \":\", optionally "
		 "followed by flags such as \"c\" or \"p\")");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26,PL21\t5 zz\n", E, 0),
		 "stats.csv:2: column 2015: \"5 zz\" is not a value (a number or \":\", optionally "
		 "followed by flags such as \"c\" or \"p\")");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26,PL21\t-5\n", E, 0),
		 "stats.csv:2: column 2015: -5 is negative");
	T_EQ_STR(load_err_fmt("geo,nace_r2\\time\t2015\nPL21,C26\t5\n", E, 0),
		 "stats.csv:1: the last dimension before the backslash is \"nace_r2\", not geo (the regions)");
	T_EQ_STR(load_err_fmt("unit,geo\\time\t2015\nNR,PL21\t5\n", E, 0),
		 "stats.csv:1: no industry dimension (nace_r2) in \"unit,geo\\time\"");
	T_EQ_STR(load_err_fmt("nace_r2,geo\t2015\nC26,PL21\t5\n", E, 0),
		 "stats.csv:1: the first header cell \"nace_r2,geo\" is not a Eurostat dimension list "
		 "(such as nace_r2,geo\\time)");
	/* a table whose tabs a spreadsheet replaced: said so, not "no year columns" */
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time,2015,2016\nC26,PL21,1,2\n", E, 0),
		 "stats.csv:1: the header \"nace_r2,geo\\time,2015,2016\" has no tabs: a Eurostat table separates "
		 "its columns by tabs, and this one by ',' (a table saved from a spreadsheet?); read the .tsv file "
		 "as Eurostat gives it");
	T_EQ_STR(load_err_fmt("nace_r2;geo\\time;2015\nC26;PL21;1\n", E, 0),
		 "stats.csv:1: the header \"nace_r2;geo\\time;2015\" has no tabs: a Eurostat table separates "
		 "its columns by tabs, and this one by ';' (a table saved from a spreadsheet?); read the .tsv file "
		 "as Eurostat gives it");
	/* found as a long file, which names the column */
	T_EQ_STR(load_err("nace_r2;geo\\time;2015\nC26;PL21;1\n"),
		 "stats.csv:1: unknown column \"geo\\time\" in a statistics file: it heads a Eurostat table, whose "
		 "columns are separated by tabs, and this file's by ';' (a table saved from a spreadsheet?); read "
		 "the .tsv file as Eurostat gives it, or name the column geo to read a column per year (the known "
		 "columns are region (or geo, nuts), industry (or nace_r2, pkd), employment (or OBS_VALUE), year "
		 "(or TIME_PERIOD), establishments, wages, traded, region_name, industry_name)");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\t2015M01\n", E, 0),
		 "stats.csv:1: header column 3: \"2015M01\" is not a year");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\t2015\n", E, 0),
		 "stats.csv:1: the year 2015 appears twice in the header");
	T_EQ_STR(load_err_fmt("unit,nace_r2,geo\\time\t2015\nNR,C26,PL21\t5\nTHS,C27,PL21\t5\n", E, 0),
		 "stats.csv:3: column unit,nace_r2,geo\\time: unit is THS here but NR at line 2 (keep one unit in the file)");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26\t5\n", E, 0),
		 "stats.csv:2: column nace_r2,geo\\time: \"C26\" has 1 code, the header names 2 dimensions");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26,PL21,X\t5\n", E, 0),
		 "stats.csv:2: column nace_r2,geo\\time: \"C26,PL21,X\" has more codes than the 2 dimensions of the "
		 "header");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26, \t5\n", E, 0),
		 "stats.csv:2: column nace_r2,geo\\time: the geo code is empty");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26,PL21\t5\nC26,PL21\t6\n", E, 0),
		 "stats.csv:3: region PL21, industry C26, year 2015 given twice (first at line 2)");
	T_EQ_STR(load_err_fmt("nace_r2,geo\\time\t2015\nC26,PL21\t5\t6\n", E, 0),
		 "stats.csv:2: the row has 3 fields, the header has 2");
}

T_TEST(firms_errors)
{
	const enum stats_format F = STATS_FIRMS;
	T_EQ_STR(load_err_fmt("id,name,industry,lat,lon\n1,A,C26,50,19\n", F, 0),
		 "stats.csv:1: the column region is missing from the header (each firm needs a region code; map "
		 "indicators, indices and shift-share and import stats find it from lat and lon with --boundaries "
		 "FILE.geojson)");
	T_EQ_STR(load_err_fmt("id,name,industry,lat,lon,region\n1,A,C26,50,19,\n", F, 0),
		 "stats.csv:2: column region is empty");
	T_EQ_STR(load_err_fmt("id,name,industry,lat,lon,region,employment\n1,A,C26,50,19,02,-2\n", F, 0),
		 "stats.csv:2: column employment: -2 is negative");
	T_EQ_STR(load_err_fmt("id,name,industry,lat,lon,region,size\n", F, 0),
		 "stats.csv:1: unknown column \"size\" in a firms file (the known columns are id, name, "
		 "industry, lat (or latitude), lon (or longitude, lng), employment, region, region_name, "
		 "industry_name)");
}

T_TEST(formats)
{
	enum stats_format f = STATS_AUTO;
	struct kerr e = KERR_INIT;
	stats_detect_format_mem("id,name,industry,lat,lon,region\n", 32, &f);
	T_EQ_INT(f, STATS_FIRMS);
	stats_detect_format_mem("\xEF\xBB\xBFgeo\\time\t2015\n", 18, &f);
	T_EQ_INT(f, STATS_EUROSTAT_TSV);
	/* a backslash without a tab after it: not a Eurostat table (the long reader names the column) */
	stats_detect_format_mem("nace_r2,geo\\time,2015\n", 22, &f);
	T_EQ_INT(f, STATS_LONG);
	stats_detect_format_mem("region,industry,employment,note\\x\n", 34, &f);
	T_EQ_INT(f, STATS_LONG);
	stats_detect_format_mem("region;industry;employment\n", 27, &f);
	T_EQ_INT(f, STATS_LONG);
	stats_detect_format_mem("", 0, &f);
	T_EQ_INT(f, STATS_LONG);
	T_EQ_INT(stats_format_by_name("eurostat", &f, &e), 0);
	T_EQ_INT(f, STATS_EUROSTAT_TSV);
	T_EQ_STR(stats_format_name(STATS_FIRMS), "firms");
	T_EQ_INT(stats_format_by_name("xls", &f, &e), -1);
	T_EQ_STR(e.msg, "unknown statistics format \"xls\" (use auto, long, eurostat, firms or bdl)");
	stats_detect_format_mem("\"Kod\";\"Nazwa\";\"Rok\";\"Wartosc\"\n", 33, &f);
	T_EQ_INT(f, STATS_BDL);
	stats_detect_format_mem("Kod;Nazwa;Rok;Warto\xC5\x9B\xC4\x87\n", 28, &f);
	T_EQ_INT(f, STATS_BDL);
	stats_detect_format_mem("Nazwa;Kod;Rok;Wartosc\n", 22, &f);
	T_EQ_INT(f, STATS_LONG);  /* Kod must come first */
	T_EQ_INT(stats_detect_format(DIR "nonexistent.csv", &f, &e), -1);
	T_EQ_INT(e.kind, KERR_IO);
}

/* ---- aggregation of firms ------------------------------------------------------- */

T_TEST(firms_aggregation)
{
	enum { NROWS = 200000, NREG = 16, NIND = 50 };
	static double want[NREG][NIND];
	const char *tmp = getenv("TMPDIR");
	struct buf path = BUF_INIT;
	struct kerr e = KERR_INIT;
	struct stats_counts n;
	struct stats_opts o = { .fmt = STATS_AUTO };
	struct cube c;
	FILE *f;
	int fd, k, r, i, bad = 0;
	unsigned seed = 12345;

	buf_printf(&path, "%s/klaster-firms-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path.ptr);
	T_OK(fd >= 0);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fprintf(f, "id,name,industry,lat,lon,employment,region\n");
	for (k = 0; k < NROWS; k++) {
		unsigned emp;
		seed = seed * 1103515245u + 12345u;
		r = (int)((seed >> 8) % NREG);
		seed = seed * 1103515245u + 12345u;
		i = (int)((seed >> 8) % NIND);
		emp = (seed >> 4) % 250;
		if (k % 10 == 0) {
			/* no employment (empty or NA alike): a firm of unknown size adds none */
			fprintf(f, "%d,\"Firm %d, Ltd\",C%02d,50.1,19.9,%s,R%02d\n", k, k, i, k % 20 ? "" : "NA", r);
		} else {
			fprintf(f, "%d,Firm %d,C%02d,50.1,19.9,%u,R%02d\n", k, k, i, emp, r);
			want[r][i] += emp;
		}
	}
	fclose(f);
	T_EQ_INT(stats_detect_format(path.ptr, &o.fmt, &e), 0);
	T_EQ_INT(o.fmt, STATS_FIRMS);
	T_EQ_INT(stats_load(path.ptr, &o, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, NROWS);
	T_EQ_INT(c.nreg, NREG);
	T_EQ_INT(c.nind, NIND);
	T_EQ_INT(c.nyear, 1);
	for (r = 0; r < NREG && c.nreg == NREG && c.nind == NIND; r++)
		for (i = 0; i < NIND; i++)
			if (c.emp[cube_at(&c, 0, (size_t)r, (size_t)i)] != want[r][i])
				bad++;
	T_EQ_INT(bad, 0);
	T_NEAR(emp_at(&c, "R03", 0, "C07"), want[3][7], 0);
	cube_release(&c);
	unlink(path.ptr);
	buf_release(&path);
}

/* ---- messages name a column as the file spells it ------------------------------- */

/* A file holding text, under TMPDIR; its path in *path (release it and unlink). */
static int temp_file(struct buf *path, const char *text)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;
	int fd;
	buf_printf(path, "%s/klaster-cols-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path->ptr);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return 0;
}

/* The message of loading data (named stats.csv) with o, "" when it loads. */
static const char *load_err_opts(const char *data, const struct stats_opts *o)
{
	struct cube c;
	kerr_clear(&last);
	if (stats_load_mem(data, strlen(data), "stats.csv", o, &c, NULL, &last) == 0)
		cube_release(&c);
	return last.msg;
}

T_TEST(columns_as_spelled)
{
	static const char sdmx[] = "DATAFLOW,LAST UPDATE,freq,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n";
	struct stats_opts o = { .fmt = STATS_AUTO, .refuse_empty = 1 };
	struct buf d = BUF_INIT, ref = BUF_INIT, xw = BUF_INIT, big = BUF_INIT;
	const char *last_part;

	/* SDMX-CSV: TIME_PERIOD, OBS_VALUE, nace_r2 */
	buf_printf(&d, "%sX,1,A,C10,PL21,20x5,12,\n", sdmx);
	T_EQ_STR(load_err_opts(d.ptr, &o), "stats.csv:2: column TIME_PERIOD: \"20x5\" is not a year (a whole number "
		 "from 1 to 9999)");
	buf_reset(&d);
	buf_printf(&d, "%sX,1,A,C10,PL21,2015,12,\nX,1,A,C10,PL22,2015,0,\nX,1,A,C11,PL21,2015,3,\n", sdmx);
	T_EQ_STR(load_err_opts(d.ptr, &o), "stats.csv:3: column OBS_VALUE: region PL22 has zero total employment in "
		 "2015 (this is its first row; location quotients are undefined there)");
	buf_reset(&d);
	buf_printf(&d, "%sX,1,A,C10,PL21,2015,12,\nX,1,A,C10,PL22,2015,,c\nX,1,A,C11,PL21,2015,3,\n", sdmx);
	T_EQ_STR(load_err_opts(d.ptr, &o), "stats.csv:3: column OBS_VALUE: region PL22 has no employment in 2015: "
		 "check its rows or leave the region out");
	o.refuse_empty = 0;   /* shift-share and indices take such a region: it loads */
	T_EQ_STR(load_err_opts(d.ptr, &o), "");
	o.refuse_empty = 1;
	/* the wide layout: the year's own column */
	T_EQ_STR(load_err_opts("geo,nace_r2,n2015,y2016\nPL21,C10,12,5\nPL22,C10,0,5\n", &o),
		 "stats.csv:3: column n2015: region PL22 has zero total employment in 2015 (this is its first row; "
		 "location quotients are undefined there)");
	T_EQ_STR(load_err_opts("geo,nace_r2,n2015,y2016\nPL21,C10,12,5\nPL22,C10,3,:\n", &o),
		 "stats.csv:3: column y2016: region PL22 has no employment in 2016: check its rows or leave the "
		 "region out");
	/* a Eurostat table: the year's column as its header spells it */
	o.fmt = STATS_EUROSTAT_TSV;
	T_EQ_STR(load_err_opts("nace_r2,geo\\time\t2015 \t2016 \nC10,PL21\t12\t5\nC10,PL22\t0\t5\n", &o),
		 "stats.csv:3: column 2015: region PL22 has zero total employment in 2015 (this is its first row; "
		 "location quotients are undefined there)");
	o.fmt = STATS_AUTO;
	/* a column in another case is named as the file writes it */
	T_EQ_STR(load_err_opts("Region,Industry,Employment\nA,x,-1\n", &o), "stats.csv:2: column Employment: -1 is negative");
	T_EQ_STR(load_err_opts("Region,Industry,Year,Employment\nA,x,20x5,1\n", &o),
		 "stats.csv:2: column Year: \"20x5\" is not a year (a whole number from 1 to 9999)");
	/* the reference economy's column, and the crosswalk's code column of the data */
	if (temp_file(&ref, "nace_r2,TIME_PERIOD,OBS_VALUE\nC10,2015,5\nC11,2015,100\n") == 0) {
		o.ref_path = ref.ptr;
		buf_reset(&d);
		buf_printf(&d, "%sX,1,A,C10,PL21,2015,12,\nX,1,A,C11,PL21,2015,3,\n", sdmx);
		load_err_opts(d.ptr, &o);
		last_part = strstr(last.msg, ":2: column ");
		T_EQ_STR(last_part ? last_part : last.msg, ":2: column OBS_VALUE: industry C10 in 2015: the reference economy "
			 "has 5, less than the 12 of the data's regions, by more than the rounding of the values could make "
			 "(a reference contains them, as their country does; compare with the regions' own sum by leaving "
			 "the nation's rows or --reference out)");
		o.ref_path = NULL;
		unlink(ref.ptr);
	}
	if (temp_file(&xw, "industry,cluster\nC10,F\n") == 0) {
		o.crosswalk_path = xw.ptr;
		buf_reset(&d);
		buf_printf(&d, "%sX,1,A,C13,PL21,2015,12,\n", sdmx);
		load_err_opts(d.ptr, &o);
		last_part = strstr(last.msg, " is not in the crosswalk");
		T_OK(last_part != NULL && strncmp(last.msg, "stats.csv:2: column nace_r2: C13 is not in the crosswalk ",
						  strlen("stats.csv:2: column nace_r2: C13 is not in the crosswalk ")) == 0);
		o.fmt = STATS_EUROSTAT_TSV;
		T_EQ_STR(strncmp(load_err_opts("unit,nace_r2,geo\\time\t2015\nNR,C13,PL21\t5\n", &o),
				 "stats.csv:2: column unit,nace_r2,geo\\time: C13 is not in the crosswalk ", 58) == 0 ? "ok" :
			 last.msg, "ok");
		o.fmt = STATS_AUTO;
		o.crosswalk_path = NULL;
		unlink(xw.ptr);
	}
	/* a field over 1 MiB: its column too (the general reader: quoted) */
	buf_printf(&big, "%sX,1,A,C10,PL21,2015,\"", sdmx);
	{
		size_t k;
		for (k = 0; k < CSV_FIELD_MAX + 10; k++)
			buf_putc(&big, '1');
	}
	buf_puts(&big, "\",\n");
	T_EQ_STR(load_err_opts(big.ptr, &o), "stats.csv:2: field 7 (column OBS_VALUE) is longer than 1 MiB");
	/* in the header itself no column is known yet: by its position */
	buf_reset(&big);
	buf_puts(&big, "region,industry,");
	{
		size_t k;
		for (k = 0; k < CSV_FIELD_MAX + 10; k++)
			buf_putc(&big, 'x');
	}
	buf_puts(&big, "\nA,x,1\n");
	T_EQ_STR(load_err_opts(big.ptr, &o), "stats.csv:1: field 3 is longer than 1 MiB");
	buf_release(&d);
	buf_release(&ref);
	buf_release(&xw);
	buf_release(&big);
}

/* ---- aliases, the wide layout, flags, filters ------------------------------------ */

T_TEST(wide_aliases_flags)
{
	struct kerr e = KERR_INIT;
	struct stats_counts n;
	struct cube c;
	T_EQ_INT(stats_load(DIR "wide.csv", NULL, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 5);
	T_EQ_INT(n.cells, 10);
	T_EQ_INT(n.missing, 3);
	T_EQ_INT(n.filtered, 0);
	T_EQ_INT(c.nyear, 2);
	T_EQ_INT(c.year[0], 2015);
	T_EQ_INT(c.nreg, 3);
	T_NEAR(emp_at(&c, "PL21", 2015, "C26"), 1234.5, 0);  /* decimal comma in a ';' file */
	T_NEAR(emp_at(&c, "PL21", 2016, "C26"), 1300, 0);
	T_NEAR(emp_at(&c, "PL21", 2015, "C27"), 219, 0);     /* "219 d": the flag is dropped */
	T_OK(isnan(emp_at(&c, "PL21", 2016, "C27")));        /* " d": confidential */
	T_NEAR(emp_at(&c, "PL22", 2015, "C26"), 0, 0);       /* "0 d" */
	T_OK(isnan(emp_at(&c, "PL22", 2016, "C26")));        /* ":" */
	T_NEAR(emp_at(&c, "PL22", 2015, "C27"), 5, 0);       /* "5 e" */
	T_OK(isnan(emp_at(&c, "PL2", 2016, "C26")));         /* "" */
	T_NEAR(emp_at(&c, "PL22", 2016, "C27"), 7.25, 0);    /* "7,25 p" */
	cube_release(&c);

	/* Statistics Poland's column names, bare years, a BOM */
	T_EQ_INT(stats_load(DIR "gus_wide.csv", NULL, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(c.nyear, 2);
	T_NEAR(emp_at(&c, "PL21", 2020, "26"), 1234.5, 0);
	T_NEAR(emp_at(&c, "PL22", 2021, "26"), 7100.25, 0);
	T_NEAR(emp_at(&c, "PL22", 2020, "27"), 3000.75, 0);
	T_OK(isnan(emp_at(&c, "PL21", 2021, "27")));
	cube_release(&c);

	/* the flags in the long layout; a word is still not a number */
	T_EQ_STR(load_err("region,industry,employment\nA,1,5 c\nA,2,c\nB,1,: c\nB,2,3\n"), "");
	T_EQ_STR(load_err("region,industry,employment\nA,1,5 x\n"),
		 "stats.csv:2: column employment: \"5 x\" is not a number");
	T_EQ_STR(load_err("geo;nace_r2;n2015\nIS;B05;12:00 AM\n"),
		 "stats.csv:2: column n2015: \"12:00 AM\" is not a number");
	T_EQ_STR(load_err("nuts,industry,employment\n,C26,1\n"), "stats.csv:2: column nuts is empty");
	T_EQ_STR(load_err("geo,nuts,industry,employment\nA,A,C26,1\n"),
		 "stats.csv:1: columns geo and nuts are both the region column: keep one of them");
	T_EQ_STR(load_err("region,industry,2015,y2015\nA,1,1,1\n"),
		 "stats.csv:1: the year 2015 appears twice in the header (2015 and y2015)");
	T_EQ_STR(load_err("region,industry,employment,2015\nA,1,1,1\n"),
		 "stats.csv:1: column 2015 is a year column, but the header has an employment column "
		 "(give one or the other)");
	T_EQ_STR(load_err("region,industry,year,2015\nA,1,2015,1\n"),
		 "stats.csv:1: column year: year columns such as 2015 cannot be combined with it (use "
		 "one row per year instead)");
	T_EQ_STR(load_err("region,industry,n20155\nA,1,1\n"),
		 "stats.csv:1: unknown column \"n20155\" in a statistics file (the known columns are "
		 "region (or geo, nuts), industry (or nace_r2, pkd), employment (or OBS_VALUE), year (or "
		 "TIME_PERIOD), establishments, wages, traded, region_name, industry_name)");
}

T_TEST(skip_invalid_and_filters)
{
	const char *data = "geo;nace_r2;n2015;n2016\nPL21;C26;10;12:00 AM\nPL21;C;40;?\n"
			   "PL22;C26;20;-1\nDE11;C26;5;5\nPL2;C26;30;32\n";
	struct stats_opts o = { .fmt = STATS_AUTO };
	struct stats_counts n;
	struct kerr e = KERR_INIT;
	struct cube c;

	T_EQ_INT(stats_load_mem(data, strlen(data), "s.csv", &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, "s.csv:2: column n2016: \"12:00 AM\" is not a number");

	/* skip_invalid: each bad cell of the wide layout is skipped, the others kept */
	o.skip_invalid = 1;
	kerr_clear(&e);
	T_EQ_INT(stats_load_mem(data, strlen(data), "s.csv", &o, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 5);
	T_EQ_INT(n.invalid, 3);
	T_EQ_STR(n.first_invalid, "s.csv:2: column n2016: \"12:00 AM\" is not a number");
	T_EQ_INT(n.cells, 7);
	T_NEAR(emp_at(&c, "PL21", 2015, "C26"), 10, 0);
	T_OK(isnan(emp_at(&c, "PL21", 2016, "C26")));
	cube_release(&c);

	/* the filters come first: rows left out are not read further */
	o.skip_invalid = 0;
	o.region_prefix = "pl";
	o.region_len = 4;
	o.industry_len = 3;
	T_EQ_INT(stats_load_mem(data, strlen(data), "s.csv", &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, "s.csv:2: column n2016: \"12:00 AM\" is not a number");
	o.skip_invalid = 1;
	kerr_clear(&e);
	T_EQ_INT(stats_load_mem(data, strlen(data), "s.csv", &o, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 5);
	T_EQ_INT(n.filtered, 3);  /* PL21 C, DE11, PL2 */
	T_EQ_INT(n.invalid, 2);
	T_EQ_INT(c.nreg, 2);
	T_EQ_INT(c.nind, 1);
	cube_release(&c);

	/* a long file: a bad value skips its row */
	o.region_prefix = NULL;
	o.region_len = o.industry_len = 0;
	T_EQ_STR(load_err("region,industry,employment\nA,1,5\nA,2,zz\nB,1,3\n"),
		 "stats.csv:3: column employment: \"zz\" is not a number");
	/* a letter twice after a number is no flags either: "5 pp" is not 5, as "pp" is not missing */
	T_EQ_STR(load_err("region,industry,employment\nA,1,5\nA,2,5 pp\nB,1,3\n"),
		 "stats.csv:3: column employment: \"5 pp\" is not a number");
	T_EQ_STR(load_err("region,industry,employment\nA,1,5\nA,2,: cc\nB,1,3\n"),
		 "stats.csv:3: column employment: \": cc\" is not a number");
	T_EQ_STR(load_err("region,industry,employment\nA,1,5 bep\nA,2,1\nB,1,3\n"), "");
	{
		const char *l = "region,industry,employment,wages\nA,1,5,\nA,2,7,bad\nB,1,3,\n";
		T_EQ_INT(stats_load_mem(l, strlen(l), "l.csv", &o, &c, &n, &e), 0);
		T_EQ_INT(n.invalid, 1);
		T_EQ_STR(n.first_invalid, "l.csv:3: column wages: \"bad\" is not a number");
		T_EQ_INT(cube_industry(&c, "2"), (long long)(size_t)-1);
		cube_release(&c);
	}

	/* Eurostat TSV and firms files have the same filters and skipping */
	{
		const char *t = "nace_r2,geo\\time\t2015\t2016\nC26,PL21\t5\tbad\nC,PL21\t9\t9\n"
				"C26,DE11\t1\t1\n";
		o.region_prefix = "PL";
		o.industry_len = 3;
		T_EQ_INT(stats_load_mem(t, strlen(t), "t.tsv", &o, &c, &n, &e), 0);
		T_EQ_STR(e.msg, "");
		T_EQ_INT(n.filtered, 2);
		T_EQ_INT(n.invalid, 1);
		T_EQ_INT(c.nreg * c.nind, 1);
		cube_release(&c);
	}
	{
		const char *f = "id,name,industry,lat,lon,employment,region\n1,A,C26,50,19,5,PL21\n"
				"2,B,C26,50,19,oops,PL21\n3,C,C26,50,19,2,DE11\n";
		T_EQ_INT(stats_load_mem(f, strlen(f), "f.csv", &o, &c, &n, &e), 0);
		T_EQ_INT(n.filtered, 1);
		T_EQ_INT(n.invalid, 1);
		T_NEAR(emp_at(&c, "PL21", 0, "C26"), 5, 0);
		cube_release(&c);
	}

	/* everything left out is an error naming the filters */
	o.region_prefix = "XX";
	o.region_len = 4;
	o.industry_len = 3;
	T_EQ_INT(stats_load_mem(data, strlen(data), "s.csv", &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, "s.csv: no row is left after the filters (region codes of 4 characters, "
		 "region codes starting with XX, industry codes of 3 characters): all 5 rows were left "
		 "out");
	T_EQ_INT(e.kind, KERR_INPUT);
}

/* ---- the real Eurostat SBS file ----------------------------------------------------- */

/* Sums of the file's C26 × PL21 LQ, read without stats.c: Polish NUTS-2 codes, divisions. */
struct sbs_sums {
	double e, E_r, E_i, E;
	long cells;
};

static int sbs_sums(const char *path, struct sbs_sums *s)
{
	char line[256];
	FILE *f = fopen(path, "r");
	memset(s, 0, sizeof(*s));
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *ind = line, *reg = strchr(line, ';'), *val;
		double v;
		if (!reg || !(val = strchr(reg + 1, ';')))
			continue;
		*reg++ = '\0';
		*val++ = '\0';
		if (strlen(ind) != 3 || strlen(reg) != 4 || strncmp(reg, "PL", 2) != 0 ||
		    !(*val >= '0' && *val <= '9'))
			continue;  /* another level, or " d" / blank */
		v = strtod(val, NULL);
		s->cells++;
		s->E += v;
		if (strcmp(reg, "PL21") == 0)
			s->E_r += v;
		if (strcmp(ind, "C26") == 0)
			s->E_i += v;
		if (strcmp(reg, "PL21") == 0 && strcmp(ind, "C26") == 0)
			s->e = v;
	}
	fclose(f);
	return 0;
}

/* A region with no employment in a year (every value missing or zero):
 * an error by default, left out of that year with skip_invalid
 * (cube_leave_out_empty), and then absent for the indicators. */
T_TEST(leave_out_empty)
{
	const char *data = "region,industry,year,employment\nA1,C10,2015,10\nA1,C20,2015,5\nA1,C10,2016,4\n"
			   "A2,C10,2015,8\nA2,C20,2015,\nA2,C10,2016,\nA2,C20,2016,0\nZZ,C10,2015,\nZZ,C10,2016,\n";
	/* the same without A2's zero: A2 has only missing values in 2016 */
	const char *data2 = "region,industry,year,employment\nA1,C10,2015,10\nA1,C20,2015,5\nA1,C10,2016,4\n"
			    "A2,C10,2015,8\nA2,C20,2015,\nA2,C10,2016,\nZZ,C10,2015,\nZZ,C10,2016,\n";
	const char *none = "region,industry,employment\nZZ,C10,0\nZY,C10,\n";
	struct stats_opts o = { .fmt = STATS_AUTO };
	struct stats_counts n;
	struct kerr e = KERR_INIT;
	struct indic_result res;
	struct indic_indices x;
	struct related rel;
	struct cube c;
	size_t a1, a2;

	T_EQ_INT(stats_load_mem(data, strlen(data), "s.csv", &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, "s.csv:7: column employment: region A2 has zero total employment in 2016 (this is its first "
			"row; location quotients are undefined there)");
	kerr_clear(&e);
	T_EQ_INT(stats_load_mem(data2, strlen(data2), "s.csv", &o, &c, &n, &e), 0);
	T_EQ_INT(n.left_out, 0);
	T_OK(!c.absent);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), -1);
	T_EQ_STR(e.msg, "s.csv:8: column employment: region ZZ has no employment in 2015: check its rows or leave the "
		 "region out");
	cube_release(&c);

	o.skip_invalid = 1;
	kerr_clear(&e);
	T_EQ_INT(stats_load_mem(data, strlen(data), "s.csv", &o, &c, &n, &e), 0);
	T_EQ_INT(n.left_out, 3);
	T_EQ_STR(n.first_left_out, "ZZ 2015, A2 2016, ZZ 2016");
	T_EQ_INT(c.nreg, 2);   /* ZZ, left out of every year, is gone */
	a1 = cube_region(&c, "A1");
	a2 = cube_region(&c, "A2");
	T_EQ_INT(cube_region(&c, "ZZ"), -1);
	T_OK(!cube_absent(&c, 0, a2) && cube_absent(&c, 1, a2) && !cube_absent(&c, 1, a1));
	T_OK(isnan(emp_at(&c, "A2", 2016, "C20")));   /* its zero is gone with it */
	T_NEAR(emp_at(&c, "A2", 2015, "C10"), 8, 0);
	T_EQ_INT(cube_leave_out_empty(&c, NULL, 0), 0);   /* a second time: nothing more */
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_NEAR(res.lq[cube_at(&c, 0, a1, 0)], (10.0 / 15) / (18.0 / 23), 1e-12);
	T_NEAR(res.lq[cube_at(&c, 1, a1, 0)], 1, 1e-12);   /* A1 is all of 2016 */
	T_OK(isnan(res.E_r[1 * c.nreg + a2]) && isnan(res.lq[cube_at(&c, 1, a2, 0)]) && !res.stars[cube_at(&c, 1, a2, 0)]);
	indic_result_release(&res);
	T_EQ_INT(indic_indices(&c, &x, &e), 0);
	T_OK(isnan(x.reg_hhi[1 * c.nreg + a2]) && x.reg_hhi[1 * c.nreg + a1] == 1);
	T_NEAR(x.ind_hhi[1 * c.nind + 0], 1, 1e-12);       /* C10 in 2016: A1 alone */
	indic_indices_release(&x);
	T_EQ_INT(related_compute(&c, 1, &rel, &e), 0);
	T_OK(isnan(rel.density[a2 * rel.nind]) && isnan(rel.density[a2 * rel.nind + 1]));
	related_release(&rel);
	/* it is the mark that lets A2 out of 2016 */
	c.absent[1 * c.nreg + a2] = 0;
	T_EQ_INT(related_compute(&c, 1, &rel, &e), -1);
	T_EQ_STR(e.msg, "s.csv:7: column employment: region A2 has no employment in 2016: relatedness is undefined "
		 "there");
	kerr_clear(&e);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), -1);
	T_EQ_STR(e.msg, "s.csv:7: column employment: region A2 has no employment in 2016: check its rows or leave the "
		 "region out");
	cube_release(&c);

	/* nothing left: an error naming the file */
	kerr_clear(&e);
	T_EQ_INT(stats_load_mem(none, strlen(none), "z.csv", &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, "z.csv: no region has employment: every value is missing or zero");
}

T_TEST(real_eurostat_sbs)
{
	static const char *const pl2013[] = { "PL11", "PL12", "PL21", "PL22", "PL31", "PL32",
					      "PL33", "PL34", "PL41", "PL42", "PL43", "PL51",
					      "PL52", "PL61", "PL62", "PL63" };
	struct stats_opts o = { .fmt = STATS_AUTO };
	struct stats_counts n;
	struct kerr e = KERR_INIT;
	struct indic_result res;
	struct sbs_sums s;
	struct cube c;
	size_t k, r, i;

	/* the project ships the file: its absence is a failure (the tests run from the project root) */
	T_OK(access(REAL_SBS, R_OK) == 0);
	/* the corrupted Icelandic cells: the first is on line 725 */
	T_EQ_INT(stats_load(REAL_SBS, &o, &c, &n, &e), -1);
	T_EQ_STR(e.msg, REAL_SBS ":725: column n2015: \"12:00 AM\" is not a number");
	T_EQ_INT(e.kind, KERR_INPUT);

	/* skipped: all 30 of them */
	o.skip_invalid = 1;
	kerr_clear(&e);
	T_EQ_INT(stats_load(REAL_SBS, &o, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 46859);
	T_EQ_INT(n.invalid, 30);
	T_EQ_STR(n.first_invalid, REAL_SBS ":725: column n2015: \"12:00 AM\" is not a number");
	cube_release(&c);

	/* Poland's NUTS-2 regions (NUTS 2013) by NACE division */
	o.region_prefix = "PL";
	o.region_len = 4;
	o.industry_len = 3;
	T_EQ_INT(stats_load(REAL_SBS, &o, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 46859);
	T_EQ_INT(n.filtered, 46859 - 16 * 68);
	T_EQ_INT(n.invalid, 0);
	T_EQ_INT(n.cells, 16 * 68);
	T_EQ_INT(n.missing, 117);  /* " d" cells: confidential */
	T_EQ_INT(c.nreg, 16);
	T_EQ_INT(c.nind, 68);
	T_EQ_INT(c.nyear, 1);
	T_EQ_INT(c.year[0], 2015);
	for (k = 0; k < 16 && c.nreg == 16; k++)
		T_EQ_STR(c.reg[k], pl2013[k]);
	T_NEAR(emp_at(&c, "PL21", 2015, "C26"), 4800, 0);  /* C26;PL21;4800 */
	T_OK(isnan(emp_at(&c, "PL11", 2015, "B05")));       /* B05;PL11; d */

	/*
	 * The LQ of C26 in PL21 from sums read straight from the file.  With awk
	 * (same selection, " d" and blanks left out) they are e = 4800,
	 * E_r = 751835, E_i = 60332, E = 8456139 over 971 known cells.
	 */
	T_EQ_INT(sbs_sums(REAL_SBS, &s), 0);
	T_NEAR(s.e, 4800, 0);
	T_NEAR(s.E_r, 751835, 0);
	T_NEAR(s.E_i, 60332, 0);
	T_NEAR(s.E, 8456139, 0);
	T_EQ_INT(s.cells, 971);
	T_EQ_INT(n.cells - n.missing, 971);
	memset(&res, 0, sizeof(res));
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	r = cube_region(&c, "PL21");
	i = cube_industry(&c, "C26");
	if (res.lq && r != (size_t)-1 && i != (size_t)-1) {
		T_NEAR(res.lq[cube_at(&c, 0, r, i)], (s.e / s.E_r) / (s.E_i / s.E), 1e-12);
		T_NEAR(res.lq[cube_at(&c, 0, r, i)], 0.894835260145, 1e-9);
		T_NEAR(res.E_r[r], s.E_r, 0);
	}
	indic_result_release(&res);
	cube_release(&c);
}

/* ---- the fast path against the general reader ----------------------------------- */

/* Whether two cubes are the same to the bit (NAN equal to NAN). */
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

static int same_names(char *const *a, char *const *b, size_t n)
{
	size_t k;
	for (k = 0; k < n; k++)
		if ((a[k] == NULL) != (b[k] == NULL) || (a[k] && strcmp(a[k], b[k]) != 0))
			return 0;
	return 1;
}

static int same_cube(const struct cube *a, const struct cube *b)
{
	size_t n = a->nyear * a->nreg * a->nind;
	if (a->nreg != b->nreg || a->nind != b->nind || a->nyear != b->nyear)
		return 0;
	if (!same_names(a->reg, b->reg, a->nreg) || !same_names(a->ind, b->ind, a->nind) ||
	    !same_names(a->reg_name, b->reg_name, a->nreg) || !same_names(a->ind_name, b->ind_name, a->nind))
		return 0;
	if (a->nyear && memcmp(a->year, b->year, a->nyear * sizeof(int)) != 0)
		return 0;
	if (a->nind && memcmp(a->traded, b->traded, a->nind) != 0)
		return 0;
	return same_values(a->emp, b->emp, n) && same_values(a->est, b->est, n) &&
	       same_values(a->wage, b->wage, n) && same_values(a->ref, b->ref, a->nyear * a->nind);
}

static int same_counts(const struct stats_counts *a, const struct stats_counts *b)
{
	return a->rows == b->rows && a->cells == b->cells && a->missing == b->missing &&
	       a->partial == b->partial && strcmp(a->first_partial, b->first_partial) == 0 &&
	       a->partial_est == b->partial_est && strcmp(a->first_partial_est, b->first_partial_est) == 0 &&
	       a->invalid == b->invalid && strcmp(a->first_invalid, b->first_invalid) == 0 &&
	       a->filtered == b->filtered && a->unmapped == b->unmapped;
}

/* What one load gave. */
struct outcome {
	int rc;
	struct kerr e;
	struct stats_counts n;
	struct cube c;
};

static void load_with(struct outcome *out, const char *path, const char *data, size_t len,
		      struct stats_opts o, enum stats_reader reader)
{
	o.reader = reader;
	kerr_clear(&out->e);
	out->rc = path ? stats_load(path, &o, &out->c, &out->n, &out->e)
		       : stats_load_mem(data, len, "s.csv", &o, &out->c, &out->n, &out->e);
}

/*
 * Loads data[0..len) (from memory, or from a file when path is given) with
 * the general reader, the fast path in one part and in two parts, and
 * checks that all three give the same result, counts and message.  Returns
 * the fast_parts of the one-part and two-part loads as 10 * one + two
 * (0 when the fast path gave up), and the general message in msg.
 */
static int compare_readers_at(const char *what, const char *path, const char *data, size_t len,
			      const struct stats_opts *o, char *msg, size_t msgsize, int line)
{
	static const enum stats_reader readers[] = { STATS_READER_FAST, STATS_READER_SPLIT,
						     STATS_READER_STEAL, STATS_READER_AUTO };
	struct outcome g, f;
	int parts = 0, ok = 1;
	size_t k;
	char label[160];

	load_with(&g, path, data, len, *o, STATS_READER_GENERAL);
	if (msg)
		snprintf(msg, msgsize, "%s", g.rc ? g.e.msg : "");
	for (k = 0; k < sizeof(readers) / sizeof(readers[0]); k++) {
		load_with(&f, path, data, len, *o, readers[k]);
		if (f.rc != g.rc || strcmp(f.e.msg, g.e.msg) != 0 || f.e.kind != g.e.kind ||
		    (g.rc == 0 && (!same_counts(&f.n, &g.n) || !same_cube(&f.c, &g.c)))) {
			ok = 0;
			printf("#   %s (line %d), reader %d: general rc %d \"%s\", fast rc %d \"%s\"\n", what,
			       line, (int)readers[k], g.rc, g.e.msg, f.rc, f.e.msg);
		}
		if (readers[k] == STATS_READER_FAST)
			parts += 10 * f.n.fast_parts;
		else if (readers[k] == STATS_READER_SPLIT)
			parts += f.n.fast_parts;
		if (f.rc == 0)
			cube_release(&f.c);
	}
	if (g.rc == 0)
		cube_release(&g.c);
	snprintf(label, sizeof(label), "the readers agree: %s", what);
	t_check(ok, label, __FILE__, line);
	return parts;
}

static int compare_readers_msg(const char *what, const char *data, const struct stats_opts *o,
			       char *msg, size_t msgsize, int line)
{
	return compare_readers_at(what, NULL, data, strlen(data), o, msg, msgsize, line);
}

#define COMPARE(what, data, o) compare_readers_msg(what, data, o, NULL, 0, __LINE__)
/* The fast path read it: in one part, and in one or two when asked for two (a tiny input has no middle). */
#define FAST(parts) ((parts) == 11 || (parts) == 12)
#define COMPARE_MSG(what, data, o, msg) compare_readers_msg(what, data, o, msg, sizeof(msg), __LINE__)

/* The same through a file, which the fast path maps. */
static int compare_file(const char *what, const char *data, size_t len, const struct stats_opts *o,
			int line)
{
	const char *tmp = getenv("TMPDIR");
	struct buf path = BUF_INIT;
	int fd, parts;
	FILE *f;
	buf_printf(&path, "%s/klaster-fast-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path.ptr);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		t_check(0, "a temporary file", __FILE__, line);
		buf_release(&path);
		return -1;
	}
	fwrite(data, 1, len, f);
	fclose(f);
	parts = compare_readers_at(what, path.ptr, data, len, o, NULL, 0, line);
	unlink(path.ptr);
	buf_release(&path);
	return parts;
}

/* A pipe a child fills with data[0..len): its read end in *fd, named in name ("/dev/fd/N");
 * the child's pid, or -1 (the caller closes *fd and waits for the child). */
static pid_t pipe_of(const char *data, size_t len, int *fd, char *name, size_t nsize)
{
	int p[2];
	pid_t pid;
	if (pipe(p))
		return -1;
	if ((pid = fork()) == 0) {
		size_t at = 0;
		close(p[0]);
		while (at < len) {
			ssize_t k = write(p[1], data + at, len - at);
			if (k <= 0)
				_exit(1);
			at += (size_t)k;
		}
		_exit(0);
	}
	close(p[1]);
	*fd = p[0];
	snprintf(name, nsize, "/dev/fd/%d", p[0]);
	return pid;
}

/* Loads data[0..len) through a pipe with o, into out; the pipe's name ("/dev/fd/N") in name. */
static void load_pipe(struct outcome *out, const char *data, size_t len, const struct stats_opts *o,
		      char *name, size_t nsize)
{
	int fd;
	pid_t pid = pipe_of(data, len, &fd, name, nsize);
	kerr_clear(&out->e);
	out->rc = -2;
	if (pid < 0)
		return;
	out->rc = stats_load(name, o, &out->c, &out->n, &out->e);
	close(fd);
	waitpid(pid, NULL, 0);
}

/* Leaves bytes other than 0 where the next call's locals will lie (as an earlier call would). */
static __attribute__((noinline)) void stack_dirty(void)
{
	volatile unsigned char junk[16384];
	size_t k;
	for (k = 0; k < sizeof(junk); k++)
		junk[k] = 0xA5;
}

/* stats_read (a data file added to a builder of the caller's) starts from nothing: no crosswalk,
 * stream or counts but those of o, whatever the stack held. */
T_TEST(read_into_builder)
{
	struct stats_opts o = { .fmt = STATS_AUTO };
	struct stats_counts n;
	struct cube_builder *b = cube_builder_new(0);
	struct kerr e = KERR_INIT;
	struct cube c;
	int rc;
	memset(&n, 0, sizeof(n));
	stack_dirty();
	rc = stats_read(b, DIR "long_year.csv", &o, &n, &e);
	T_EQ_INT(rc, 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(n.rows, 8);
	T_EQ_INT(cube_builder_finish(b, &c, &e), 0);
	T_EQ_INT(c.nreg, 2);
	cube_release(&c);
}

/* A reference economy through a pipe, read whole or (longer than pipe_whole) as it comes: the same. */
T_TEST(pipe_reference)
{
	struct buf data = BUF_INIT, ref = BUF_INIT;
	struct stats_opts o = { .fmt = STATS_AUTO };
	struct outcome a, b;
	char name[64];
	int k, fd, pass;

	buf_puts(&data, "region,industry,year,employment\n");
	buf_puts(&ref, "industry,year,employment\n");
	for (k = 0; k < 40; k++) {
		buf_printf(&data, "%02d,C%d,2020,%d\n", 2 * (k % 4 + 1), 10 + k / 4, k + 3);
		if (k < 10)
			buf_printf(&ref, "C%d,2020,%d\n", 10 + k, 1000 + 7 * k);
	}
	/* read whole; longer than pipe_whole: read as it comes (a side input is never copied into a
	 * file: the general reader reads it either way), also where no file could be made */
	for (pass = 0; pass < 3; pass++) {
		struct outcome *out = pass ? &b : &a;
		const char *was = getenv("TMPDIR");
		char *keep = was ? strdup(was) : NULL;
		pid_t pid = pipe_of(ref.ptr, ref.len, &fd, name, sizeof(name));
		o.pipe_whole = pass ? 50 : 0;
		o.ref_path = name;
		if (pass == 2)
			setenv("TMPDIR", "/nonexistent/klaster", 1);
		kerr_clear(&out->e);
		out->rc = pid < 0 ? -2 : stats_load_mem(data.ptr, data.len, "s.csv", &o, &out->c, &out->n, &out->e);
		close(fd);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		if (keep)
			setenv("TMPDIR", keep, 1);
		else
			unsetenv("TMPDIR");
		free(keep);
		if (pass == 0)
			continue;
		T_EQ_INT(a.rc, 0);
		T_EQ_INT(b.rc, 0);
		T_EQ_STR(b.e.msg, "");
		T_OK(a.rc == 0 && b.rc == 0 && same_cube(&a.c, &b.c) && a.c.ref && b.c.ref &&
		     a.c.ref[cube_industry(&a.c, "C19")] == 1063 && b.c.ref[cube_industry(&b.c, "C19")] == 1063);
		if (b.rc == 0)
			cube_release(&b.c);
	}
	if (a.rc == 0)
		cube_release(&a.c);
	buf_release(&data);
	buf_release(&ref);
}

/* A crosswalk through a pipe longer than pipe_whole is read on as it comes: the same cube, and a
 * bad row after the bytes read first named by its line. */
T_TEST(pipe_crosswalk)
{
	struct buf xw = BUF_INIT;
	struct stats_opts o = { .fmt = STATS_AUTO, .skip_unmapped = 1 };
	struct outcome a, b;
	char name[64];
	int k, fd, pass;
	pid_t pid;

	buf_puts(&xw, "industry,cluster,traded\n");
	for (k = 0; k < 30; k++)
		buf_printf(&xw, "Z%d,Q%d,%d\n", k, k % 3, k % 3 == 0);
	buf_puts(&xw, "C26,ELEC,1\nC27,ELEC,1\nG47,RETAIL,0\n");
	for (pass = 0; pass < 2; pass++) {
		struct outcome *out = pass ? &b : &a;
		pid = pipe_of(xw.ptr, xw.len, &fd, name, sizeof(name));
		o.pipe_whole = pass ? 40 : 0;
		o.crosswalk_path = name;
		kerr_clear(&out->e);
		out->rc = pid < 0 ? -2 : stats_load(DIR "xw_data.csv", &o, &out->c, &out->n, &out->e);
		close(fd);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	T_EQ_INT(a.rc, 0);
	T_EQ_INT(b.rc, 0);
	T_EQ_STR(b.e.msg, "");
	T_OK(a.rc == 0 && b.rc == 0 && same_cube(&a.c, &b.c) && same_counts(&a.n, &b.n));
	T_NEAR(b.rc == 0 ? emp_at(&b.c, "02", 0, "ELEC") : -1, 150, 0);
	if (a.rc == 0)
		cube_release(&a.c);
	if (b.rc == 0)
		cube_release(&b.c);

	buf_puts(&xw, "C28,ELEC,maybe\n");
	pid = pipe_of(xw.ptr, xw.len, &fd, name, sizeof(name));
	o.pipe_whole = 40;
	o.crosswalk_path = name;
	kerr_clear(&b.e);
	b.rc = pid < 0 ? -2 : stats_load(DIR "xw_data.csv", &o, &b.c, &b.n, &b.e);
	close(fd);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	T_EQ_INT(b.rc, -1);
	T_OK(strncmp(b.e.msg, name, strlen(name)) == 0);
	T_OK(strstr(b.e.msg, ":35: column traded:") != NULL);
	buf_release(&xw);
}

/* The separator of a header longer than the bytes looked at first is guessed from those bytes
 * whether the input is a file, a block in memory or a pipe (read whole or as it comes): here the
 * first 64 KiB have more commas and the whole line more semicolons (a file's columns are unknown
 * as "region;industry;employment;x", whichever way it is read). */
T_TEST(long_header_separator)
{
	struct buf data = BUF_INIT, path = BUF_INIT;
	struct stats_opts o = { .fmt = STATS_AUTO }, small = { .fmt = STATS_AUTO, .pipe_whole = 100 };
	struct outcome f, m, p, s;
	char name[64], sname[64];
	int k;

	buf_puts(&data, "region;industry;employment;x,x,x,x,");
	for (k = 0; k < 70000; k++)
		buf_putc(&data, 'y');
	buf_puts(&data, ";w;v\n02;C26;5;1;2;3\n");
	T_OK(data.len > 65536 + 1000);
	T_EQ_INT(temp_file(&path, data.ptr), 0);
	load_with(&f, path.ptr, NULL, 0, o, STATS_READER_AUTO);
	load_with(&m, NULL, data.ptr, data.len, o, STATS_READER_AUTO);
	load_pipe(&p, data.ptr, data.len, &o, name, sizeof(name));
	load_pipe(&s, data.ptr, data.len, &small, sname, sizeof(sname));
	T_EQ_INT(f.rc, -1);
	T_EQ_INT(m.rc, -1);
	T_EQ_INT(p.rc, -1);
	T_EQ_INT(s.rc, -1);
	/* the same message after each one's name */
	T_EQ_STR(m.e.msg + strlen("s.csv"), f.e.msg + path.len);
	T_EQ_STR(p.e.msg + strlen(name), f.e.msg + path.len);
	T_EQ_STR(s.e.msg + strlen(sname), f.e.msg + path.len);
	T_OK(strstr(f.e.msg, "unknown column \"region;industry;employment;x\"") != NULL);
	unlink(path.ptr);
	buf_release(&path);
	buf_release(&data);
}

/* Loads data[0..len) through a pipe with o while TMPDIR is tmpdir (NULL: unset), as load_pipe. */
static void load_pipe_in(struct outcome *out, const char *data, size_t len, const struct stats_opts *o,
			 char *name, size_t nsize, const char *tmpdir)
{
	const char *was = getenv("TMPDIR");
	char *keep = was ? strdup(was) : NULL;
	if (tmpdir)
		setenv("TMPDIR", tmpdir, 1);
	else
		unsetenv("TMPDIR");
	load_pipe(out, data, len, o, name, nsize);
	if (keep)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
}

/* A pipe longer than pipe_whole is copied on into a temporary file and read as that file (the
 * fast path); where no such file can be made it is read on as it comes (the general reader,
 * memory bounded); a shorter one whole, then by the fast path: all as the same bytes from
 * memory, with the same messages. */
T_TEST(pipe_streamed)
{
	struct buf big = BUF_INIT, bad = BUF_INIT;
	struct stats_opts o = { .fmt = STATS_AUTO }, small = { .fmt = STATS_AUTO, .pipe_whole = 100 };
	struct outcome m, p;
	char name[64], want[4096];
	const char *tmp = getenv("TMPDIR");
	const char *dirs[2];
	int k, d;

	dirs[0] = tmp && *tmp == '/' ? tmp : "/tmp";   /* a file can be made there */
	dirs[1] = "/nonexistent/klaster";               /* none can */
	buf_puts(&big, "region,industry,year,employment,establishments\n");
	for (k = 0; k < 400; k++)
		buf_printf(&big, "%02d,C%d,%d,%d,%d\n", 2 * (k % 16 + 1), 10 + k / 16 % 20, 2020 + k / 320, k % 97 + 1,
			   k % 5 + 1);
	load_with(&m, NULL, big.ptr, big.len, o, STATS_READER_AUTO);
	T_EQ_INT(m.rc, 0);
	for (d = 0; d < 2; d++) {
		load_pipe_in(&p, big.ptr, big.len, &small, name, sizeof(name), dirs[d]);
		T_EQ_INT(p.rc, 0);
		T_EQ_STR(p.e.msg, "");
		T_OK(p.rc == 0 && m.rc == 0 && same_counts(&p.n, &m.n) && same_cube(&p.c, &m.c));
		if (d == 0)
			T_OK(p.n.fast_parts > 0);      /* copied, then read as a file */
		else
			T_EQ_INT(p.n.fast_parts, 0);   /* read as it came */
		if (p.rc == 0)
			cube_release(&p.c);
	}
	{
		/* a copy longer than spill_max stops there, and the rest is read as it comes */
		struct stats_opts capped = small;
		capped.spill_max = 2000;
		load_pipe_in(&p, big.ptr, big.len, &capped, name, sizeof(name), dirs[0]);
		T_OK(p.rc == 0 && same_counts(&p.n, &m.n) && same_cube(&p.c, &m.c));
		T_EQ_INT(p.n.fast_parts, 0);
		if (p.rc == 0)
			cube_release(&p.c);
	}
	load_pipe(&p, big.ptr, big.len, &o, name, sizeof(name));
	T_OK(p.rc == 0 && same_counts(&p.n, &m.n) && same_cube(&p.c, &m.c));
	T_OK(p.n.fast_parts > 0);      /* read whole, then as a block */
	if (p.rc == 0)
		cube_release(&p.c);
	cube_release(&m.c);

	/* a bad row far after the bytes read first: the same message, its line counted on */
	buf_add(&bad, big.ptr, big.len);
	buf_puts(&bad, "02,C10,2022,12x,1\n");
	load_with(&m, NULL, bad.ptr, bad.len, o, STATS_READER_AUTO);
	T_OK(strncmp(m.e.msg, "s.csv:", 6) == 0);
	for (d = 0; d < 2; d++) {
		load_pipe_in(&p, bad.ptr, bad.len, &small, name, sizeof(name), dirs[d]);
		T_EQ_INT(p.rc, -1);
		snprintf(want, sizeof(want), "%s%s", name, m.e.msg + 5);
		T_EQ_STR(p.e.msg, want);
		T_EQ_STR(p.e.msg + strlen(name), ":402: column employment: \"12x\" is not a number");
	}

	/* other layouts too: a Eurostat table, found from the bytes read first */
	buf_reset(&bad);
	buf_puts(&bad, "nace_r2,geo\\time\t2015\t2016\n");
	for (k = 0; k < 60; k++)
		buf_printf(&bad, "C%d,PL%d\t%d c\t%d\n", 10 + k % 20, 21 + k / 20, k + 1, k + 2);
	load_with(&m, NULL, bad.ptr, bad.len, o, STATS_READER_AUTO);
	T_EQ_INT(m.rc, 0);
	for (d = 0; d < 2; d++) {
		load_pipe_in(&p, bad.ptr, bad.len, &small, name, sizeof(name), dirs[d]);
		T_EQ_INT(p.rc, 0);
		T_OK(p.rc == 0 && m.rc == 0 && same_counts(&p.n, &m.n) && same_cube(&p.c, &m.c));
		if (p.rc == 0)
			cube_release(&p.c);
	}
	if (m.rc == 0)
		cube_release(&m.c);
	buf_release(&big);
	buf_release(&bad);
}

/* Feeds data[0..len) into a pipe (named in name) from a child, which ends, when the pipe is closed
 * before the end, with the MiB it has written as its status (at most 255). */
static pid_t pipe_counted(const char *data, size_t len, int *fd, char *name, size_t nsize)
{
	int p[2];
	pid_t pid;
	if (pipe(p))
		return -1;
	if ((pid = fork()) == 0) {
		size_t at = 0;
		signal(SIGPIPE, SIG_IGN);
		close(p[0]);
		while (at < len) {
			ssize_t k = write(p[1], data + at, len - at < 65536 ? len - at : 65536);
			if (k <= 0)
				break;
			at += (size_t)k;
		}
		_exit((at >> 20) < 255 ? (int)(at >> 20) : 255);
	}
	close(p[1]);
	*fd = p[0];
	snprintf(name, nsize, "/dev/fd/%d", p[0]);
	return pid;
}

/* The MiB of data[0..len) a load through a pipe with o took before it ended (in *out, with its
 * name); ref: the data file is mem[0..nmem) and the pipe the reference. */
static int load_counted(struct outcome *out, const char *data, size_t len, struct stats_opts o, int ref,
			const char *mem, size_t nmem, char *name, size_t nsize)
{
	int fd, status = -1;
	pid_t pid = pipe_counted(data, len, &fd, name, nsize);
	kerr_clear(&out->e);
	out->rc = -2;
	if (pid < 0)
		return -1;
	if (ref)
		o.ref_path = name;
	out->rc = ref ? stats_load_mem(mem, nmem, "s.csv", &o, &out->c, &out->n, &out->e)
		      : stats_load(name, &o, &out->c, &out->n, &out->e);
	close(fd);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A long pipe is copied into a temporary file only for the fast path, which reads a data file of
 * the long layout whose header it takes: one it would not read so (a header it does not know,
 * another layout, a side input) is read as it comes, so that an error near its start is told
 * before the rest of it is read (an endless stream, `yes |` or /dev/zero, filled the disk first),
 * with the message the same bytes from memory give. */
T_TEST(pipe_copied_for_fast_path_only)
{
	struct buf yes = BUF_INIT, tsv = BUF_INIT, data = BUF_INIT;
	struct stats_opts small = { .fmt = STATS_AUTO, .pipe_whole = 1000 };
	struct outcome m, p;
	char name[64], want[4096];
	int mib;

	while (yes.len < ((size_t)8 << 20))   /* what `yes` writes */
		buf_puts(&yes, "y\ny\ny\ny\ny\ny\ny\ny\n");
	buf_puts(&tsv, "nace_r2,geo\\time\t2015\t2016\nC10,PL21\t5\t6\nC11,PL21\t5 x\t6\n");
	while (tsv.len < ((size_t)8 << 20))
		buf_puts(&tsv, "C12,PL22\t7\t8\nC13,PL22\t7\t8\nC14,PL22\t7\t8\nC15,PL22\t7\t8\n");
	buf_puts(&data, "region,industry,employment\n02,C10,5\n04,C11,7\n");

	load_with(&m, NULL, yes.ptr, yes.len, small, STATS_READER_AUTO);
	mib = load_counted(&p, yes.ptr, yes.len, small, 0, NULL, 0, name, sizeof(name));
	T_EQ_INT(p.rc, -1);
	snprintf(want, sizeof(want), "%s%s", name, m.e.msg + strlen("s.csv"));
	T_EQ_STR(p.e.msg, want);
	T_OK(mib >= 0 && mib <= 1);   /* not the 8 MiB */
	if (mib > 1)
		printf("#   %d MiB of an unknown header's pipe read\n", mib);

	load_with(&m, NULL, tsv.ptr, tsv.len, small, STATS_READER_AUTO);
	T_OK(strstr(m.e.msg, "s.csv:3:") != NULL);
	mib = load_counted(&p, tsv.ptr, tsv.len, small, 0, NULL, 0, name, sizeof(name));
	T_EQ_INT(p.rc, -1);
	snprintf(want, sizeof(want), "%s%s", name, m.e.msg + strlen("s.csv"));
	T_EQ_STR(p.e.msg, want);
	T_OK(mib >= 0 && mib <= 1);
	if (mib > 1)
		printf("#   %d MiB of a Eurostat table's pipe read\n", mib);

	/* a reference: the general reader's whichever way it comes */
	mib = load_counted(&p, yes.ptr, yes.len, small, 1, data.ptr, data.len, name, sizeof(name));
	T_EQ_INT(p.rc, -1);
	T_OK(strncmp(p.e.msg, name, strlen(name)) == 0 && strncmp(p.e.msg + strlen(name), ":1:", 3) == 0);
	T_OK(mib >= 0 && mib <= 1);
	if (mib > 1)
		printf("#   %d MiB of a reference's pipe read: %s\n", mib, p.e.msg);
	buf_release(&yes);
	buf_release(&tsv);
	buf_release(&data);
}

/* The copy of a long pipe never has a name in TMPDIR, not even for a moment (a command stopped
 * then, by kill -9 or a crash, would leave it behind): a watch on the directory sees no file made
 * while a pipe is copied there and read from the copy. */
T_TEST(pipe_copy_nameless)
{
	struct buf big = BUF_INIT, dir = BUF_INIT;
	struct stats_opts small = { .fmt = STATS_AUTO, .sum = 1, .pipe_whole = 1000 };
	struct outcome p;
	char name[64], ev[4096];
	int k, in = inotify_init1(IN_NONBLOCK);
	ssize_t got = -1;

	buf_puts(&dir, "/tmp/klaster-nameless.XXXXXX");
	T_OK(in >= 0 && mkdtemp(dir.ptr) != NULL);
	T_OK(in >= 0 && inotify_add_watch(in, dir.ptr, IN_CREATE | IN_MOVED_TO) >= 0);
	buf_puts(&big, "region,industry,employment\n");
	for (k = 0; k < 2000; k++)
		buf_printf(&big, "%02d,C%d,%d\n", 2 * (k % 16 + 1), 10 + k % 30, k % 97 + 1);
	load_pipe_in(&p, big.ptr, big.len, &small, name, sizeof(name), dir.ptr);
	T_EQ_INT(p.rc, 0);
	T_EQ_STR(p.e.msg, "");
	T_OK(p.rc == 0 && p.n.fast_parts > 0);   /* copied, then read as a file */
	if (in >= 0)
		got = read(in, ev, sizeof(ev));
	T_OK(got < 0 && errno == EAGAIN);   /* no event: nothing was named */
	if (got > 0)
		printf("#   a file was made in TMPDIR: %s\n", ((struct inotify_event *)ev)->len ?
		       ((struct inotify_event *)ev)->name : "");
	if (in >= 0)
		close(in);
	T_EQ_INT(rmdir(dir.ptr), 0);   /* and nothing was left */
	if (p.rc == 0)
		cube_release(&p.c);
	buf_release(&big);
	buf_release(&dir);
}

/* Loads 150,000 rows (about 2 MiB) through a pipe longer than pipe_whole with a pseudo-terminal as
 * the progress line's place, TMPDIR being tmpdir: what the terminal saw into seen; 0, or -1 when
 * no terminal could be had. */
static int pipe_on_tty(struct outcome *p, char *name, size_t nsize, const char *tmpdir, struct buf *seen)
{
	struct buf big = BUF_INIT;
	struct stats_opts small = { .fmt = STATS_AUTO, .sum = 1, .pipe_whole = 1000 };
	char more[4096];
	int k, master = posix_openpt(O_RDWR | O_NOCTTY), slave = -1;
	ssize_t got;
	FILE *tty = NULL;

	if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0 && ptsname(master))
		slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (slave < 0 || !(tty = fdopen(slave, "w"))) {
		if (slave >= 0)
			close(slave);
		if (master >= 0)
			close(master);
		return -1;
	}
	buf_puts(&big, "region,industry,employment\n");
	for (k = 0; k < 150000; k++)
		buf_printf(&big, "%02d,C%d,%d\n", 2 * (k % 16 + 1), 10 + k % 300, k % 97 + 1);
	small.progress = tty;
	load_pipe_in(p, big.ptr, big.len, &small, name, nsize, tmpdir);
	fclose(tty);
	fcntl(master, F_SETFL, O_NONBLOCK);
	while ((got = read(master, more, sizeof(more))) > 0)
		buf_add(seen, more, (size_t)got);
	close(master);
	buf_release(&big);
	return 0;
}

/* On a terminal, copying a long pipe shows how many MiB are copied (its size is not known), then
 * the read its progress line as from a file. */
T_TEST(pipe_spill_progress)
{
	struct buf seen = BUF_INIT;
	struct outcome p;
	char name[64], want[128];
	const char *tmp = getenv("TMPDIR");

	T_EQ_INT(pipe_on_tty(&p, name, sizeof(name), tmp && *tmp == '/' ? tmp : "/tmp", &seen), 0);
	T_EQ_INT(p.rc, 0);
	snprintf(want, sizeof(want), "%s: 1 MiB copied to a temporary file", name);   /* of 1.9 MB */
	T_OK(seen.len && strstr(seen.ptr, want) != NULL);
	if (!seen.len || !strstr(seen.ptr, want))
		printf("#   the terminal saw: %s\n", seen.len ? seen.ptr : "");
	T_OK(seen.len && strstr(seen.ptr, "[####################] 100% 150000 rows") != NULL);
	if (p.rc == 0)
		cube_release(&p.c);
	buf_release(&seen);
}

/* On a terminal, a long pipe read as it comes (here: no temporary file can be made; also another
 * layout or a side input) shows its rows read so far, its size not being known, as a file of
 * that size shows its progress line. */
T_TEST(pipe_stream_progress)
{
	struct buf seen = BUF_INIT;
	struct outcome p;
	char name[64], want[128];

	T_EQ_INT(pipe_on_tty(&p, name, sizeof(name), "/nonexistent/klaster", &seen), 0);
	T_EQ_INT(p.rc, 0);
	T_EQ_INT(p.rc == 0 ? p.n.fast_parts : -1, 0);   /* read as it came */
	snprintf(want, sizeof(want), "%s: 150000 rows", name);
	T_OK(seen.len && strstr(seen.ptr, want) != NULL);
	if (!seen.len || !strstr(seen.ptr, want))
		printf("#   the terminal saw: %s\n", seen.len ? seen.ptr : "");
	if (p.rc == 0)
		cube_release(&p.c);
	buf_release(&seen);
}

/* A copy of a long pipe that runs out of room (here: a file size limit, `ulimit -f`) is read from
 * where it stopped: the bytes read first, the bytes copied after them, those read but not written
 * and then the rest of the pipe, in order — the same cube as from memory.  In a child, which has
 * the limit, and SIGXFSZ's default action, which ends the process when a write passes the limit:
 * the copy stops at the limit instead. */
T_TEST(pipe_spill_full)
{
	struct buf big = BUF_INIT;
	struct stats_opts o = { .fmt = STATS_AUTO, .sum = 1 }, small = { .fmt = STATS_AUTO, .sum = 1, .pipe_whole = 1000 };
	int k, status = -1;
	pid_t pid;

	buf_puts(&big, "region,industry,year,employment,establishments\n");
	for (k = 0; k < 220000; k++)   /* about 3.7 MB: more than three of the copy's 1 MiB chunks */
		buf_printf(&big, "%02d,C%d,%d,%d,%d\n", 2 * (k % 16 + 1), 10 + k / 16 % 300, 2020 + k / 110000,
			   k % 97 + 1, k % 5 + 1);
	T_OK(big.len > ((size_t)3 << 20));
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct rlimit lim = { (rlim_t)5 << 19, (rlim_t)5 << 19 };   /* 2.5 MiB */
		struct outcome m, p;
		char name[64];
		const char *tmp = getenv("TMPDIR");
		int ok;
		signal(SIGXFSZ, SIG_DFL);
		if (setrlimit(RLIMIT_FSIZE, &lim))
			_exit(3);
		load_with(&m, NULL, big.ptr, big.len, o, STATS_READER_AUTO);
		load_pipe_in(&p, big.ptr, big.len, &small, name, sizeof(name), tmp && *tmp == '/' ? tmp : "/tmp");
		ok = m.rc == 0 && p.rc == 0 && same_counts(&p.n, &m.n) && same_cube(&p.c, &m.c) &&
		     p.n.fast_parts == 0;   /* read as it came, after the copy */
		if (!ok)
			printf("#   the pipe: rc %d, \"%s\", %d parts\n", p.rc, p.e.msg, p.n.fast_parts);
		fflush(stdout);
		_exit(ok ? 0 : p.rc == 0 ? 2 : 1);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	T_OK(pid > 0 && WIFEXITED(status));
	if (pid > 0 && WIFSIGNALED(status))
		printf("#   the child was ended by signal %d\n", WTERMSIG(status));
	T_EQ_INT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
	buf_release(&big);
}

/* NA, N/A and null — R's, pandas' and databases' missing value — are a missing cell, as an empty
 * value is, in a long file (every reader) and in a reference; "Na" or "NAN" stay errors. */
T_TEST(na_missing)
{
	struct stats_opts o = { .fmt = STATS_AUTO };
	char msg[512], want[512];
	const char *const nas[] = { "NA", "N/A", "null", "NULL" };
	size_t k;
	for (k = 0; k < sizeof(nas) / sizeof(nas[0]); k++) {
		struct buf na = BUF_INIT, empty = BUF_INIT;
		struct outcome a, b;
		buf_printf(&na, "region,industry,employment\n02,C26,5\n04,C26,%s\n04,C27,7\n02,C27,3\n", nas[k]);
		buf_puts(&empty, "region,industry,employment\n02,C26,5\n04,C26,\n04,C27,7\n02,C27,3\n");
		COMPARE(nas[k], na.ptr, &o);
		load_with(&a, NULL, na.ptr, na.len, o, STATS_READER_AUTO);
		load_with(&b, NULL, empty.ptr, empty.len, o, STATS_READER_AUTO);
		T_EQ_INT(a.rc, 0);
		T_OK(a.rc == 0 && b.rc == 0 && same_counts(&a.n, &b.n) && same_cube(&a.c, &b.c) && a.n.missing == 1);
		if (a.rc == 0)
			cube_release(&a.c);
		if (b.rc == 0)
			cube_release(&b.c);
		buf_release(&na);
		buf_release(&empty);
	}
	COMPARE_MSG("NAN", "region,industry,employment\n02,C26,5\n04,C26,NAN\n", &o, msg);
	snprintf(want, sizeof(want), "s.csv:3: column employment: \"NAN\" is not a number");
	T_EQ_STR(msg, want);
}

T_TEST(fast_plain)
{
	struct stats_opts o = { .fmt = STATS_AUTO };
	struct stats_opts sum = { .fmt = STATS_AUTO, .sum = 1 };
	char msg[1024];
	const char *plain = "region,industry,employment,establishments\n02,C26,5,1\n04,C27,7,2\n"
			    "02,C27,0,0\n04,C26,12.25,3\n";

	/* plain files take the fast path, in one part and in two */
	T_OK(FAST(COMPARE("plain", plain, &o)));
	T_OK(FAST(compare_file("plain, mapped", plain, strlen(plain), &o, __LINE__)));
	T_OK(FAST(COMPARE("year, wages, columns in another order",
			 "year,employment,wages,industry,region\n2015,5,10.5,C26,02\n2016,6,,C26,02\n"
			 "2015,7,1,C27,04\n2016,0.125,2,C27,04\n", &o)));
	T_OK(FAST(COMPARE("a ';' file with decimal commas",
			 "region;industry;employment\n02;C26;1234,5\n02;C27;0,75\n04;C26;3\n", &o)));
	/* GUS's signs ("-" 0, "." and "x" missing): rows the fast path hands to the general code */
	T_OK(FAST(COMPARE("GUS's signs in a ';' file",
			 "region;industry;employment\n02;C26;-\n02;C27;.\n04;C26;3\n04;C27;x\n06;C26;\xE2\x80\x93\n", &o)));
	T_OK(FAST(COMPARE("a tab-separated file",
			 "region\tindustry\temployment\n02\tC26\t5\n04\tC26\t1.5\n", &o)));
	T_OK(FAST(COMPARE("Windows line endings",
			 "region,industry,employment\r\n02,C26,5\r\n04,C26,7\r\n", &o)));
	T_OK(FAST(COMPARE("no line break at the end", "region,industry,employment\n02,C26,5\n04,C26,7", &o)));
	T_OK(FAST(COMPARE("a CR at the very end", "region,industry,employment\n02,C26,5\n04,C26,7\r", &o)));
	T_OK(FAST(COMPARE("empty lines", "\n\nregion,industry,employment\n\n02,C26,5\n\r\n\n04,C26,7\n\n", &o)));
	T_OK(FAST(COMPARE("a byte-order mark", "\xEF\xBB\xBFregion,industry,employment\n02,C26,5\n04,C26,7\n", &o)));
	T_OK(FAST(COMPARE("aliases", "geo,nace_r2,employment\nPL21,C26,5\nPL22,C26,7\n", &o)));
	T_OK(FAST(COMPARE("a quoted header, plain rows",
			 "\"region\",\"industry\",\"employment\"\n02,C26,5\n04,C26,7\n", &o)));
	T_OK(FAST(COMPARE("missing values", "region,industry,employment\n02,C26,\n02,C27,5\n04,C26,:\n04,C27,d\n", &o)));
	T_OK(FAST(COMPARE("15 digits", "region,industry,employment\n02,C26,999999999999999\n02,C27,1\n", &o)));
	T_OK(FAST(COMPARE("8 digits and more in a short row",
			  "region,industry,employment\n02,G,12345678\n02,H,123456789\n2,I,1234567890\n"
			  "02,C27,1\n02,C28,1\n02,C29,1\n", &o)));
	COMPARE_MSG("a word in a short row", "region,industry,employment\n02,G,employment\n02,C27,50\n"
		    "02,C28,50\n", &o, msg);
	T_EQ_STR(msg, "s.csv:2: column employment: \"employment\" is not a number");
	/* a control character in a code, a bad count after it: every reader names the first (the fast
	 * path in two parts used to name the later line, its cells being added after the rows) */
	COMPARE_MSG("a control character in a code", "region,industry,employment\n02,C26,5\n04,C27,7\n"
		    "0\0012,C28,1\n04,C28,employment\n02,C29,3\n", &o, msg);
	T_EQ_STR(msg, "s.csv:4: column region holds a control character (U+0001): codes are text");
	/* establishments are whole: 2.5 refused the same way by every reader, 2.0 taken as 2 */
	COMPARE_MSG("establishments not whole", "region,industry,employment,establishments\n02,C26,5,1\n"
		    "04,C26,7,2.5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: column establishments: \"2.5\" is not a whole number (establishments are counted)");
	COMPARE_MSG("establishments not whole, decimal comma", "region;industry;employment;establishments\n"
		    "02;C26;5;1\n04;C26;7;2,5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: column establishments: \"2,5\" is not a whole number (establishments are counted)");
	T_OK(FAST(COMPARE("establishments written 2.0", "region,industry,employment,establishments\n02,C26,5,1\n"
			  "04,C26,7,2.0\n", &o)));
	T_OK(FAST(COMPARE("16 digits and more", "region,industry,employment\n02,C26,9999999999999999\n"
			 "02,C27,123456789012345678901234567890\n02,C28,1234567890.123456789\n", &o)));
	T_OK(FAST(COMPARE("decimals that round",
			 "region,industry,employment\n02,C26,0.1\n02,C27,0.3\n02,C28,123456789.012345\n"
			 "02,C29,0.000000000000001\n02,C30,000000000001.5\n", &o)));
	T_OK(FAST(COMPARE("leading zeros and long codes",
			 "region,industry,employment\n0002,ABCDEFGHIJKLMNOPQRSTUVWXYZ,007\n"
			 "0002,ABCDEFGHIJKLMNOPQRSTUVWXYz,1\n0002,ABCDEFGH,1\n0002,ABCDEFGHI,2\n", &o)));
	/* a quote anywhere sends the whole file to the general reader */
	T_EQ_INT(COMPARE("quotes", "region,industry,employment\n02,C26,5\n\"04\",C26,7\n", &o), 0);
	T_EQ_INT(COMPARE("a quoted value", "region,industry,employment\n02,C26,5\n04,C26,\"1,5\"\n", &o), 0);
	T_EQ_INT(COMPARE("a quoted line break",
			 "region,industry,employment,establishments\n02,C26,5,1\n04,\"C\n26\",7,1\n", &o), 0);

	/* rows that are not plain are read by the general row code, in the fast path */
	T_OK(FAST(COMPARE("blanks, group separators, flags",
			 "region;industry;employment\n 02 ;C26;1 234\n02;\tC27;1 234 567,5\n04;C26;5 c\n"
			 "04;C27;1\xC2\xA0" "234 d\n04;C28;12\xC2\xA0" "345\n04;C29;1\xE2\x80\xAF" "000\n", &o)));
	T_OK(FAST(COMPARE("UTF-8 codes", "region,industry,employment\nzażółć,C26,5\n02,gęś,7\n", &o)));
	T_OK(FAST(COMPARE("signs", "region,industry,employment\n02,C26,+5\n02,C27,-0\n04,C26,1\n", &o)));

	/* errors: the same message, naming the same line */
	COMPARE_MSG("a negative value", "region,industry,employment\n02,C26,5\n02,C27,5\n04,C26,-3\n", &o, msg);
	T_EQ_STR(msg, "s.csv:4: column employment: -3 is negative");
	COMPARE_MSG("a bad number", "region,industry,employment\n02,C26,5\n\n02,C27,12x\n04,C26,1\n", &o, msg);
	T_EQ_STR(msg, "s.csv:4: column employment: \"12x\" is not a number");
	COMPARE_MSG("100 digits", "region,industry,employment\n02,C26,5\n02,C27,"
		    "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
		    "\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: column employment: \""
		 "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
		 "\" has 100 digits: too long for a count (at most 60 digits are read before the decimal mark and 60 "
		 "after it); is it the right column?");
	COMPARE_MSG("61 decimals", "region;industry;employment\n02;C26;5\n02;C27;1 234,"
		    "0000000000000000000000000000000000000000000000000000000000001\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: column employment: \"1 234,"
		 "0000000000000000000000000000000000000000000000000000000000001\" has 65 digits: too long for a count "
		 "(at most 60 digits are read before the decimal mark and 60 after it); is it the right column?");
	{
		/* a number of thousands of digits: quoted by its beginning, so that the message still says
		 * what is wrong (a message holds 1024 bytes) */
		struct buf b = BUF_INIT, want = BUF_INIT;
		size_t k;
		buf_puts(&b, "region,industry,employment\n02,C26,5\n02,C27,");
		for (k = 0; k < 2000; k++)
			buf_putc(&b, '9');
		buf_puts(&b, "\n");
		COMPARE_MSG("2000 digits", b.ptr, &o, msg);
		buf_puts(&want, "s.csv:3: column employment: \"");
		for (k = 0; k < 120; k++)
			buf_putc(&want, '9');
		buf_puts(&want, "…\" has 2000 digits: too long for a count (at most 60 digits are read before the "
			 "decimal mark and 60 after it); is it the right column?");
		T_EQ_STR(msg, want.ptr);
		/* cut between characters: +123 and 40 groups of U+202F (3 bytes) and three digits, byte 120
		 * the last of the 20th separator */
		buf_reset(&b);
		buf_puts(&b, "region;industry;employment\n02;C26;5\n02;C27;+123");
		for (k = 0; k < 40; k++)
			buf_puts(&b, "\xE2\x80\xAF" "000");
		buf_puts(&b, "\n");
		COMPARE_MSG("123 digits in groups", b.ptr, &o, msg);
		buf_reset(&want);
		buf_puts(&want, "s.csv:3: column employment: \"+123");
		for (k = 0; k < 19; k++)
			buf_puts(&want, "\xE2\x80\xAF" "000");
		buf_puts(&want, "…\" has 123 digits: too long for a count (at most 60 digits are read before the "
			 "decimal mark and 60 after it); is it the right column?");
		T_EQ_STR(msg, want.ptr);
		buf_release(&b);
		buf_release(&want);
	}
	T_OK(FAST(COMPARE("60 digits and a sign", "region,industry,employment\n02,C26,"
			  "+999999999999999999999999999999999999999999999999999999999999\n02,C27,1\n", &o)));
	COMPARE_MSG("an exponent", "region,industry,employment\n02,C26,5\n02,C27,1e5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: column employment: \"1e5\" is not a number");
	COMPARE_MSG("a point without digits after", "region,industry,employment\r\n02,C26,5.\r\n", &o, msg);
	T_EQ_STR(msg, "s.csv:2: column employment: \"5.\" is not a number");
	COMPARE_MSG("a point without digits before", "region,industry,employment\n02,C26,.5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:2: column employment: \".5\" is not a number");
	COMPARE_MSG("a decimal comma in a ',' file", "region\tindustry\temployment\n02\tC26\t1,5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:2: column employment: \"1,5\" is not a number here: the decimal comma is read in "
		 "files separated by semicolons (as Statistics Poland writes them); in this file write a point (1.5)");
	COMPARE_MSG("a bad year", "region,industry,year,employment\n02,C26,2015,5\n02,C26,20155,5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: column year: \"20155\" is not a year (a whole number from 1 to 9999)");
	COMPARE_MSG("year 0", "region,industry,year,employment\n02,C26,0000,5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:2: column year: \"0000\" is not a year (a whole number from 1 to 9999)");
	COMPARE_MSG("a no-break space before a number", "region;industry;employment\n02;C26;\xC2\xA0" "7\n", &o, msg);
	T_EQ_STR(msg, "s.csv:2: column employment: \"\xC2\xA0" "7\" is not a number");
	COMPARE_MSG("an empty code", "region,industry,employment\n02,C26,5\n,C26,5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: column region is empty");
	COMPARE_MSG("an empty alias", "geo,industry,employment\n02,C26,5\n  ,C26,5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: column geo is empty");
	COMPARE_MSG("too few fields", "region,industry,employment\n02,C26,5\n02,C27\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: the row has 2 fields, the header has 3");
	COMPARE_MSG("too many fields", "region,industry,employment\n02,C26,5\n02,C27,1,\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: the row has 4 fields, the header has 3");
	COMPARE_MSG("a line of blanks", "region,industry,employment\n02,C26,5\n   \n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: the row has 1 field, the header has 3");
	COMPARE_MSG("invalid UTF-8", "region,industry,employment\n02,C26,5\n02,C\xC3\x28,5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: invalid UTF-8 at byte 5 (column industry) (save the file as UTF-8)");
	COMPARE_MSG("invalid UTF-8 in a filtered row", "region,industry,employment\n02,C26,5\n0002,C26,\xFF\n",
		    &(struct stats_opts){ .region_len = 2 }, msg);
	T_EQ_STR(msg, "s.csv:3: invalid UTF-8 at byte 10 (column employment) (save the file as UTF-8)");
	{
		static const char nul[] = "region,industry,employment\n02,C26,5\n02,C2\0,5\n";
		struct outcome g;
		compare_readers_at("a NUL byte", NULL, nul, sizeof(nul) - 1, &o, msg, sizeof(msg), __LINE__);
		T_EQ_STR(msg, "s.csv:3: a NUL byte at position 6 (is this a binary or UTF-16 file?)");
		load_with(&g, NULL, nul, sizeof(nul) - 1, o, STATS_READER_GENERAL);
		T_EQ_INT(g.rc, -1);
	}
	COMPARE_MSG("a lone CR", "region,industry,employment\n02,C26,5\r04,C26,5\n04,C26,1\n", &o, msg);
	T_EQ_STR(msg, "s.csv:4: region 04, industry C26 given twice (first at line 3)");
	COMPARE_MSG("a CR inside a row", "region,industry,employment\n02,C26,5\n02,C\r27,5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: the row has 2 fields, the header has 3");
	COMPARE_MSG("a UTF-16 file", "\xFF\xFEr\0e\0", &o, msg);
	T_EQ_STR(msg, "s.csv:1: the file is in UTF-16 (as Excel's \"Unicode text\"); save it as \"CSV UTF-8\", or convert it (iconv -f utf-16 -t utf-8)");
	COMPARE_MSG("no data rows", "region,industry,employment\n\n\r\n", &o, msg);
	T_EQ_STR(msg, "s.csv: no data rows after the header");
	COMPARE_MSG("zero employment", "region,industry,employment\n02,C26,0\n04,C26,5\n", &o, msg);
	T_EQ_STR(msg, "s.csv:2: column employment: region 02 has zero total employment (this is its first row; "
		 "location quotients are undefined there)");

	/* repeated cells: an error naming both lines, or summed */
	COMPARE_MSG("a repeated cell", "region,industry,year,employment\n02,C26,2015,1\n02,C27,2015,1\n"
		    "\n02,C26,2015,3\n", &o, msg);
	T_EQ_STR(msg, "s.csv:5: region 02, industry C26, year 2015 given twice (first at line 2)");
	COMPARE_MSG("a repeated cell after a row that is not plain",
		    "region,industry,employment\n02, C26,1\n02,C27,1\n02,C26,3\n", &o, msg);
	T_EQ_STR(msg, "s.csv:4: region 02, industry C26 given twice (first at line 2)");
	COMPARE_MSG("a bad number after a repeated cell",
		    "region,industry,employment\n02,C26,1\n02,C26,1\n02,C27,x\n", &o, msg);
	T_EQ_STR(msg, "s.csv:3: region 02, industry C26 given twice (first at line 2)");
	T_OK(FAST(COMPARE("repeated cells summed",
			 "region,industry,employment,establishments\n02,C26,1,1\n02,C26,2.5,\n02,C26,,1\n"
			 "04,C26,:,\n04,C26,,\n02,C27,3,1\n", &sum)));
	{
		/* the cells that are lower bounds, the same whichever reader reads them: 02-C26 adds a
		 * missing value to known ones; 04-C26, of missing values alone, stays missing and is none;
		 * 04-C27 in 2016 adds a missing value to 2 (4 values are missing, 2 cells are lower bounds) */
		static const enum stats_reader readers[] = { STATS_READER_GENERAL, STATS_READER_FAST,
							     STATS_READER_SPLIT };
		const char *d = "region,industry,year,employment\n02,C26,2015,1\n02,C26,2015,:\n04,C26,2015,:\n"
				"04,C26,2015,\n02,C27,2015,3\n04,C27,2016,:\n04,C27,2016,2\n";
		size_t k;
		for (k = 0; k < sizeof(readers) / sizeof(readers[0]); k++) {
			struct outcome out;
			load_with(&out, NULL, d, strlen(d), sum, readers[k]);
			T_EQ_INT(out.rc, 0);
			T_EQ_INT(out.n.fast_parts != 0, readers[k] != STATS_READER_GENERAL);
			T_EQ_INT(out.n.missing, 4);
			/* the fast path, which sums a cell's rows first, notes the missing parts of its sums */
			T_EQ_INT(out.n.partial, 2);
			T_EQ_STR(out.n.first_partial, "region 02, industry C26, year 2015");
			if (out.rc == 0)
				cube_release(&out.c);
		}
		T_OK(FAST(COMPARE("lower bounds", d, &sum)));
	}
	{
		/* establishments too: 02-C26 adds a row without them to known ones (its employment is
		 * whole), 04-C27 is a lower bound in both; 06-C26 never gives them (not one), nor does a
		 * file without the column; the same whichever reader, in one part or two */
		static const enum stats_reader readers[] = { STATS_READER_GENERAL, STATS_READER_FAST,
							     STATS_READER_SPLIT };
		const char *d = "region,industry,employment,establishments\n02,C26,1,1\n02,C26,2,\n06,C26,4,\n"
				"06,C26,5,\n04,C27,:,2\n04,C27,3,\n02,C27,3,1\n02,C27,3,1\n02,C28,2.5,\n02,C28,1,1\n";
		const char *none = "region,industry,employment\n02,C26,1\n02,C26,2\n04,C26,3\n";
		struct outcome out_none;
		size_t k;
		for (k = 0; k < sizeof(readers) / sizeof(readers[0]); k++) {
			struct outcome out;
			load_with(&out, NULL, d, strlen(d), sum, readers[k]);
			T_EQ_INT(out.rc, 0);
			T_EQ_INT(out.n.partial, 1);
			T_EQ_STR(out.n.first_partial, "region 04, industry C27");
			T_EQ_INT(out.n.partial_est, 3);
			T_EQ_STR(out.n.first_partial_est, "region 02, industry C26");
			if (out.rc == 0) {
				T_NEAR(arr_at(&out.c, out.c.est, "02", 0, "C26"), 1, 0);
				T_OK(isnan(arr_at(&out.c, out.c.est, "06", 0, "C26")));
				cube_release(&out.c);
			}
		}
		T_OK(FAST(COMPARE("lower bounds of establishments", d, &sum)));
		load_with(&out_none, NULL, none, strlen(none), sum, STATS_READER_FAST);
		T_EQ_INT(out_none.rc, 0);
		T_EQ_INT(out_none.n.partial_est, 0);
		if (out_none.rc == 0)
			cube_release(&out_none.c);
	}

	/* fields of 1 MiB (the most the csv reader takes) and more */
	{
		struct buf b = BUF_INIT;
		size_t k;
		buf_puts(&b, "region,industry,employment\n02,");
		for (k = 0; k < CSV_FIELD_MAX; k++)
			buf_putc(&b, 'A' + (char)(k % 26));
		buf_puts(&b, ",5\n04,C26,7\n");
		T_OK(FAST(compare_readers_at("a code of 1 MiB", NULL, b.ptr, b.len, &o, msg, sizeof(msg), __LINE__)));
		T_EQ_STR(msg, "");
		buf_reset(&b);
		buf_puts(&b, "region,industry,employment\n02,C26,5\n02,");
		for (k = 0; k <= CSV_FIELD_MAX; k++)
			buf_putc(&b, 'A' + (char)(k % 26));
		buf_puts(&b, ",5\n");
		compare_readers_at("a code longer than 1 MiB", NULL, b.ptr, b.len, &o, msg, sizeof(msg), __LINE__);
		T_EQ_STR(msg, "s.csv:3: field 2 (column industry) is longer than 1 MiB");
		buf_reset(&b);
		buf_puts(&b, "region,industry,employment\n02,C26,");
		for (k = 0; k <= CSV_FIELD_MAX; k++)
			buf_putc(&b, '1');
		buf_puts(&b, "\n");
		compare_readers_at("a number longer than 1 MiB", NULL, b.ptr, b.len, &o, msg, sizeof(msg), __LINE__);
		T_EQ_STR(msg, "s.csv:2: field 3 (column employment) is longer than 1 MiB");
		buf_release(&b);
	}
}

T_TEST(fast_options)
{
	struct stats_opts o = { .fmt = STATS_AUTO };
	char msg[1024];
	const char *data = "region;industry;employment;establishments\nPL21;C26;10;1\nPL21;C;40;1\n"
			   "PL22;C26;20;-1\nDE11;C26;5;x\nPL2;C26;30;1\npl22;C27;1,5;2\nPL22;C28;oops;\n";

	/* a dot in a ';' file whose decimal mark is the comma: "1.234" may be thousands, so it is
	 * refused naming both readings; "1.5" and "0.125" cannot be, and are decimals */
	{
		struct stats_opts d = { .fmt = STATS_AUTO };
		COMPARE_MSG("a dot between thousands?", "region;industry;employment\nA;x;1.234\nA;y;10,5\nB;x;3\n", &d,
			    msg);
		T_EQ_STR(msg, "s.csv:2: column employment: \"1.234\" is not a number here: in a file separated by "
			      "semicolons, where the decimal mark is a comma, a dot may separate thousands (1234) or "
			      "mark decimals (1.234); write 1234 or 1,234");
		T_OK(FAST(COMPARE("dots that are decimals", "region;industry;employment\nA;x;1.5\nA;y;10,5\n"
				  "B;x;0.125\nB;y;12.3456\n", &d)));
		/* dots between thousands that cannot be decimals: said so, with the number to write */
		COMPARE_MSG("dots between thousands", "region;industry;employment\nA;x;1.234.567\nA;y;10,5\nB;x;3\n",
			    &d, msg);
		T_EQ_STR(msg, "s.csv:2: column employment: \"1.234.567\" is not a number here: a dot between "
			      "thousands is not read; write 1234567");
		COMPARE_MSG("a dot between thousands and a decimal comma",
			    "region;industry;employment\nA;x;5\nA;y;12.345,6\nB;x;3\n", &d, msg);
		T_EQ_STR(msg, "s.csv:3: column employment: \"12.345,6\" is not a number here: a dot between "
			      "thousands is not read; write 12345,6");
		COMPARE_MSG("in a ',' file the dot is the decimal point", "region,industry,employment\nA,x,1.234\nB,x,2\n",
			    &d, msg);
		T_EQ_STR(msg, "");
	}
	/* filters and skipped values count the same, with the same first message */
	o.skip_invalid = 1;
	T_OK(FAST(COMPARE("skip_invalid", data, &o)));
	o.region_prefix = "pl";
	o.region_len = 4;
	o.industry_len = 3;
	T_OK(FAST(COMPARE("filters", data, &o)));
	o.skip_invalid = 0;
	COMPARE_MSG("filters without skip_invalid", data, &o, msg);
	T_EQ_STR(msg, "s.csv:4: column establishments: -1 is negative");
	o.region_prefix = "PL21X";
	o.region_len = 0;
	COMPARE_MSG("everything filtered", data, &o, msg);
	T_EQ_STR(msg, "s.csv: no row is left after the filters (region codes starting with PL21X, industry "
		 "codes of 3 characters): all 7 rows were left out");
	{
		/* one row: not "all 1 rows" */
		struct stats_opts one = { .fmt = STATS_AUTO, .region_prefix = "PL9" };
		COMPARE_MSG("one row filtered", "region,industry,employment\nPL21,C26,5\n", &one, msg);
		T_EQ_STR(msg, "s.csv: no row is left after the filters (region codes starting with PL9): its one row "
			 "was left out");
	}
	/* the prefix ignores the case of Polish letters too, in every reader; ASCII rows compare as before */
	{
		static const char pl[] = "region,industry,employment\n\xC5\x81" "A,x,5\n\xC5\x81" "B,x,6\nLA,x,7\n"
					 "\xC5\x82" "a1,y,1\nla,y,2\n\xC5\x81" "A,y,3\n";
		struct stats_opts lo = { .fmt = STATS_AUTO, .region_prefix = "\xC5\x82" "a" };   /* ła */
		struct outcome g;
		T_OK(FAST(COMPARE("a prefix of a Polish letter", pl, &lo)));
		load_with(&g, NULL, pl, sizeof(pl) - 1, lo, STATS_READER_GENERAL);
		T_EQ_INT(g.rc, 0);
		T_EQ_INT(g.n.filtered, 3);
		if (g.rc == 0) {
			T_EQ_INT(g.c.nreg, 2);
			cube_release(&g.c);
		}
		lo.region_prefix = "l";
		T_OK(FAST(COMPARE("an ASCII prefix, Polish codes", pl, &lo)));
		load_with(&g, NULL, pl, sizeof(pl) - 1, lo, STATS_READER_GENERAL);
		T_EQ_INT(g.rc, 0);
		T_EQ_INT(g.n.filtered, 4);
		if (g.rc == 0)
			cube_release(&g.c);
	}

	/* the fast path does not apply: the general reader reads */
	o = (struct stats_opts){ .fmt = STATS_AUTO };
	T_EQ_INT(COMPARE("the wide layout", "region,industry,2015,2016\n02,C26,1,2\n", &o), 0);
	T_EQ_INT(COMPARE("names", "region,industry,employment,region_name\n02,C26,1,Dolnośląskie\n", &o), 0);
	T_EQ_INT(COMPARE("traded", "region,industry,employment,traded\n02,C26,1,1\n", &o), 0);
	T_EQ_INT(COMPARE("firms", "id,name,industry,lat,lon,region\n1,A,C26,50,19,02\n", &o), 0);
	o.crosswalk_path = DIR "crosswalk.csv";
	T_EQ_INT(COMPARE("a crosswalk", "region,industry,employment\n02,C26,1\n", &o), 0);
	o.crosswalk_path = NULL;
	o.ref_path = DIR "ref_noyear.csv";
	T_OK(FAST(COMPARE("a reference file", "region,industry,employment\n02,C26,1\n02,C27,2\n", &o)));
}

/*
 * A generated long file (its header when header is set) of nrows rows:
 * every odd-th not plain (none when 0), every decimals-th a decimal.
 */
static void gen_rows(struct buf *b, int header, int nrows, int odd, unsigned seed, int decimals)
{
	static const char *const weird[] = {
		" 5", "5 ", "1 234", "5 c", "c", ":", "", "+3", "-0", "1e3", "07", "0.5", ".5", "5.",
		"\xC2\xA0" "5", "1\xC2\xA0" "000", "12345678901234567", "x", "-1", "0.000",
	};
	int k;
	if (header)
		buf_puts(b, "region,industry,year,employment,establishments\n");
	for (k = 0; k < nrows; k++) {
		unsigned r, i, y, v;
		seed = seed * 1103515245u + 12345u;
		r = (seed >> 8) % 7;
		seed = seed * 1103515245u + 12345u;
		i = (seed >> 8) % 41;
		y = 2015 + (seed >> 4) % 2;
		seed = seed * 1103515245u + 12345u;
		v = (seed >> 8) % 1000;
		if (odd && k % odd == odd - 1) {
			const char *w = weird[(seed >> 3) % (sizeof(weird) / sizeof(weird[0]))];
			buf_printf(b, "R%u,I%02u,%u,%s,1\n", r, i, y, w);
		} else if (decimals && k % decimals == 0) {
			buf_printf(b, "R%u,I%02u,%u,%u.%02u,1\n", r, i, y, v, v % 100);
		} else {
			buf_printf(b, "R%u,I%02u,%u,%u,%s\n", r, i, y, v, k % 5 ? "1" : "");
		}
		if (k % 97 == 3)
			buf_puts(b, k % 2 ? "\n" : "\r\n");
	}
}

/* Loads data with STATS_READER_STEAL: 1 when the first part took lines
 * from the second's half and the result is the general reader's. */
static int stole(const char *data, size_t len, const struct stats_opts *o)
{
	struct outcome g, f;
	int ok;
	load_with(&g, NULL, data, len, *o, STATS_READER_GENERAL);
	load_with(&f, NULL, data, len, *o, STATS_READER_STEAL);
	ok = f.rc == g.rc && strcmp(f.e.msg, g.e.msg) == 0 &&
	     (g.rc || (same_counts(&f.n, &g.n) && same_cube(&f.c, &g.c)));
	if (!ok)
		printf("#   general rc %d \"%s\", stealing rc %d \"%s\"\n", g.rc, g.e.msg, f.rc, f.e.msg);
	if (g.rc == 0)
		cube_release(&g.c);
	if (f.rc == 0)
		cube_release(&f.c);
	return ok ? f.n.fast_stolen : -1;
}

/*
 * The first part, done with its half, reads the end of the second's
 * (STATS_READER_STEAL forces it on small inputs): cells met first in those
 * lines, or both there and in the second part's lines before them, come out
 * in the order of the file; anything that would not join in order (an
 * error, a decimal, an invalid value in the lines taken) reads the whole
 * input again in one part, with the general reader's message.
 */
/* --absent zero: a row a register leaves out is 0, for a region present that year; a value
 * given as missing stays missing; every reader agrees. */
T_TEST(absent_zero)
{
	static const char data[] = "region,industry,year,employment,establishments\n"
				   "02,C,2020,100,3\n02,G,2020,50,2\n12,C,2020,30,1\n12,G,2020,80,4\n14,C,2020,20,1\n"
				   "02,C,2021,110,3\n02,G,2021,,2\n12,C,2021,35,1\n12,G,2021,85,4\n";
	struct stats_opts o = { .absent_zero = 1 };
	struct kerr e = KERR_INIT;
	struct cube c;
	size_t y0, y1, r14, r02, g;

	T_OK(FAST(COMPARE("absent rows as zeros", data, &o)));
	if (!T_OK(stats_load_mem(data, strlen(data), "a.csv", &o, &c, NULL, &e) == 0)) {
		printf("# %s\n", e.msg);
		return;
	}
	y0 = cube_year(&c, 2020);
	y1 = cube_year(&c, 2021);
	r14 = cube_region(&c, "14");
	r02 = cube_region(&c, "02");
	g = cube_industry(&c, "G");
	/* 14 G in 2020: no row, 14 has a row that year: 0 employment, 0 establishments */
	T_NEAR(c.emp[cube_at(&c, y0, r14, g)], 0, 0);
	T_NEAR(c.est[cube_at(&c, y0, r14, g)], 0, 0);
	/* 14 in 2021: no row at all: the region is not in that year, its cells stay missing */
	T_OK(isnan(c.emp[cube_at(&c, y1, r14, g)]));
	/* 02 G in 2021: given empty: missing, not zero */
	T_OK(isnan(c.emp[cube_at(&c, y1, r02, g)]));
	cube_release(&c);
	/* without it, the left-out row is missing */
	o.absent_zero = 0;
	T_EQ_INT(stats_load_mem(data, strlen(data), "a.csv", &o, &c, NULL, &e), 0);
	T_OK(isnan(c.emp[cube_at(&c, y0, r14, g)]));
	cube_release(&c);
}

T_TEST(fast_steal)
{
	struct stats_opts o = { .fmt = STATS_AUTO, .sum = 1 };
	struct stats_opts skip = { .fmt = STATS_AUTO, .sum = 1, .skip_invalid = 1 };
	struct buf b = BUF_INIT, c = BUF_INIT;
	int k;

	gen_rows(&b, 1, 6000, 0, 11, 0);
	T_EQ_INT(stole(b.ptr, b.len, &o), 1);
	/* new codes: in the second part's lines (at 55% of the file; the lines taken begin at about
	 * 75%) and again in the lines taken, or only in the latter */
	buf_reset(&b);
	gen_rows(&b, 1, 3000, 0, 12, 0);
	gen_rows(&b, 0, 300, 0, 13, 0);
	buf_puts(&b, "R9,Q1,2015,4,1\nR8,Q2,2016,5,1\n");
	gen_rows(&b, 0, 2600, 0, 14, 0);
	for (k = 0; k < 12; k++)
		buf_printf(&b, "R%d,Z%d,2015,%d,1\nR8,Q%d,2016,1,1\n", 10 + k % 3, 11 - k, k, 1 + k % 2);
	T_EQ_INT(stole(b.ptr, b.len, &o), 1);
	T_EQ_INT(compare_readers_at("new codes at the end", NULL, b.ptr, b.len, &o, NULL, 0, __LINE__), 12);
	/* from a mapped file: its pages are given back as they are read (every page in this mode) */
	T_EQ_INT(compare_file("new codes at the end, mapped", b.ptr, b.len, &o, __LINE__), 12);
	/* the lines taken hold an error, a decimal, an invalid value: read again in one part */
	buf_reset(&c);
	buf_add(&c, b.ptr, b.len);
	buf_puts(&c, "R1,I01,2015,-4,1\n");
	T_EQ_INT(stole(c.ptr, c.len, &o), 0);
	buf_reset(&c);
	buf_add(&c, b.ptr, b.len);
	buf_puts(&c, "R1,I01,2015,4.5,1\n");
	T_EQ_INT(stole(c.ptr, c.len, &o), 0);
	buf_reset(&c);
	buf_add(&c, b.ptr, b.len);
	buf_puts(&c, "R1,I01,2015,oops,1\n");
	T_EQ_INT(stole(c.ptr, c.len, &skip), 0);
	/* an invalid value in the first part's own half: its message is the first; taking lines is fine,
	 * also when they hold another */
	buf_reset(&c);
	buf_puts(&c, "region,industry,year,employment,establishments\nR1,I01,2015,oops,1\n");
	buf_add(&c, b.ptr + 47, b.len - 47);
	buf_puts(&c, "R1,I01,2015,oops again,1\n");
	T_EQ_INT(stole(c.ptr, c.len, &skip), 1);
	buf_reset(&c);
	buf_puts(&c, "region,industry,year,employment,establishments\nR1,I01,2015,oops,1\n");
	gen_rows(&c, 0, 6000, 0, 15, 0);
	T_EQ_INT(stole(c.ptr, c.len, &skip), 1);
	/* without sum there is nothing to take (repeated cells are errors, named in order) */
	o.sum = 0;
	buf_reset(&c);
	buf_puts(&c, "region,industry,employment\n");
	for (k = 0; k < 3000; k++)
		buf_printf(&c, "R%d,I%d,%d\n", k % 50, k / 50, k);
	T_EQ_INT(stole(c.ptr, c.len, &o), 0);
	buf_release(&b);
	buf_release(&c);
}

T_TEST(fast_generated)
{
	struct stats_opts o = { .fmt = STATS_AUTO, .sum = 1 };
	struct stats_opts skip = { .fmt = STATS_AUTO, .sum = 1, .skip_invalid = 1 };
	struct buf b = BUF_INIT;
	char msg[1024];
	int parts;

	/* whole numbers: the halves are merged */
	gen_rows(&b, 1, 20000, 0, 1, 0);
	T_EQ_INT(compare_readers_at("20000 rows", NULL, b.ptr, b.len, &o, NULL, 0, __LINE__), 12);
	T_EQ_INT(compare_file("20000 rows, mapped", b.ptr, b.len, &o, __LINE__), 12);
	/* decimals: the second half is read again after the first */
	buf_reset(&b);
	gen_rows(&b, 1, 20000, 0, 2, 7);
	T_EQ_INT(compare_readers_at("decimals", NULL, b.ptr, b.len, &o, NULL, 0, __LINE__), 11);
	/* decimals in the first half merge when its sums are whole */
	buf_reset(&b);
	gen_rows(&b, 1, 0, 0, 3, 0);
	{
		int k;
		for (k = 0; k < 200; k++)
			buf_printf(&b, "R%d,I%02d,2015,%s,1\n", k / 2 % 7, k / 2 % 41, k % 2 ? "2.5" : "0.5");
		buf_printf(&b, "R1,I01,2016,7.0,1\n");
	}
	gen_rows(&b, 0, 40000, 0, 3, 0);
	T_EQ_INT(compare_readers_at("decimals first", NULL, b.ptr, b.len, &o, NULL, 0, __LINE__), 12);
	/* rows that are not plain, skipped or failing */
	buf_reset(&b);
	gen_rows(&b, 1, 20000, 13, 4, 0);
	parts = compare_readers_at("odd rows, skipped", NULL, b.ptr, b.len, &skip, NULL, 0, __LINE__);
	T_EQ_INT(parts / 10, 1);
	compare_readers_at("odd rows, failing", NULL, b.ptr, b.len, &o, msg, sizeof(msg), __LINE__);
	T_OK(strstr(msg, "is not a number") || strstr(msg, "is negative"));
	/* an invalid value in the second half only, skipped: read again in order for its message */
	buf_reset(&b);
	gen_rows(&b, 1, 20000, 0, 5, 0);
	buf_puts(&b, "R1,I01,2015,oops,1\n");
	T_EQ_INT(compare_readers_at("the second half's first invalid value", NULL, b.ptr, b.len, &skip,
				    NULL, 0, __LINE__), 11);
	/* keys of at most 8 bytes (the table of keys has short slots), then longer ones among them
	 * (its slots grow to 24 bytes), then short ones again */
	buf_reset(&b);
	buf_puts(&b, "region,industry,employment,establishments\n");
	{
		int k;
		for (k = 0; k < 6000; k++)
			buf_printf(&b, "R%d,I%d,%d,1\n", k % 9, k / 9 % 300, k % 17);
		for (k = 0; k < 6000; k++)
			buf_printf(&b, "%s%d,I%d,%d,%d\n", k % 3 ? "R" : "REGION", k % 9, k / 9 % 300, k % 13, k % 2);
		for (k = 0; k < 3000; k++)
			buf_printf(&b, "R%d,I%d,%d,1\n", k % 5, k % 200, k % 11);
	}
	T_EQ_INT(compare_readers_at("short keys, then longer ones", NULL, b.ptr, b.len, &o, NULL, 0, __LINE__),
		 12);
	T_EQ_INT(compare_file("short keys, then longer ones, mapped", b.ptr, b.len, &o, __LINE__), 12);
	/* rows by their key (fast_pair_run) with short keys: cells whose sums pass 2^31 and 2^32,
	 * counts of 0 or not given among the others, a decimal for a cell between its plain rows
	 * (its rows then go one by one, and by the accumulator again once its value is whole),
	 * filtered keys, one cell named by two keys, a NUL inside a known key, one or three
	 * counts, counts in another order, and the table moving to 24-byte slots with sums kept */
	{
		static const char *const heads[] = {
			"region,industry,employment,establishments\n",
			"region,industry,establishments,employment\n",
			"region,industry,employment\n",
			"region,industry,employment,establishments,wages\n",
			"region,industry,employment,wages\n",
		};
		struct stats_opts filt = { .fmt = STATS_AUTO, .sum = 1, .region_prefix = "R1" };
		size_t h;
		int k;
		for (h = 0; h < sizeof(heads) / sizeof(heads[0]); h++) {
			int nc = h == 2 ? 1 : h == 3 ? 3 : 2;
			char what[96];
			buf_reset(&b);
			buf_puts(&b, heads[h]);
			for (k = 0; k < 12000; k++) {
				int r = k % 7, i = k / 7 % 40, big = (r == 3 && i < 5);
				const char *extra = nc == 1 ? "" : nc == 2 ? ",%d" : ",%d,%d";
				char fmt[64];
				/* 9,999,999 in every row of a few cells: their lanes pass 2^31 every 215 rows */
				long e = big ? 9999999 : k % 97 == 0 ? 0 : 1 + k % 13;
				long x = big ? 9999999 : k % 89 == 0 ? 0 : 1 + k % 3;
				snprintf(fmt, sizeof(fmt), "R%%d,I%%d,%%s%s\n", extra);
				if (k % 101 == 0)
					buf_printf(&b, "R%d,I%d,%s", r, i, nc == 1 ? "\n" : nc == 2 ? ",4\n" : ",4,\n");
				else if (k % 211 == 0 && nc > 1)
					buf_printf(&b, "R%d,I%d,5,%s\n", r, i, nc == 3 ? "," : "");
				else if (r == 5 && i == 7 && k % 3 == 0 && h == 1)   /* establishments first: whole */
					buf_printf(&b, "R%d,I%d,1,%s\n", r, i, k % 2 ? "2.5" : "0.5");
				else if (r == 5 && i == 7 && k % 3 == 0)
					buf_printf(&b, "R%d,I%d,%s%s\n", r, i, k % 2 ? "2.5" : "0.5",
						   nc == 1 ? "" : nc == 2 ? ",1" : ",1,1");
				else {
					char num[32];
					snprintf(num, sizeof(num), "%ld", e);
					buf_printf(&b, fmt, r, i, num, (int)x, (int)(x * 7));
				}
			}
			snprintf(what, sizeof(what), "rows by short keys, %s", heads[h]);
			what[strlen(what) - 1] = '\0';
			/* decimals in both halves: the second is read again after the first (11) */
			T_EQ_INT(compare_readers_at(what, NULL, b.ptr, b.len, &o, NULL, 0, __LINE__), 11);
			T_EQ_INT(compare_readers_at(what, NULL, b.ptr, b.len, &filt, NULL, 0, __LINE__), 12);
			/* then a longer key: the slots go to 24 bytes with their sums */
			for (k = 0; k < 3000; k++)
				buf_printf(&b, "REGION%d,I%d,%d%s\n", k % 3, k % 40, 1 + k % 5,
					   nc == 1 ? "" : nc == 2 ? ",1" : ",1,2");
			for (k = 0; k < 3000; k++)
				buf_printf(&b, "R%d,I%d,%d%s\n", k % 7, k % 40, 1 + k % 5,
					   nc == 1 ? "" : nc == 2 ? ",1" : ",1,2");
			T_EQ_INT(compare_readers_at(what, NULL, b.ptr, b.len, &o, NULL, 0, __LINE__), 11);
		}
		/* one cell by two keys of at most 8 bytes (a year written 015 and 15), and a NUL inside a key met before */
		buf_reset(&b);
		buf_puts(&b, "region,industry,year,employment,establishments\n");
		for (k = 0; k < 6000; k++)
			buf_printf(&b, "R,I%d,%s,%d,1\n", k % 9, k % 2 ? "015" : "15", 1 + k % 4);
		T_EQ_INT(compare_readers_at("one cell by two keys", NULL, b.ptr, b.len, &o, NULL, 0, __LINE__), 12);
		/* a decimal for that cell (its value stays one), then both keys again */
		buf_puts(&b, "R,I1,015,2.5,1\n");
		for (k = 0; k < 600; k++)
			buf_printf(&b, "R,I%d,%s,%d,1\n", k % 3, k % 2 ? "015" : "15", 1 + k % 4);
		T_EQ_INT(compare_readers_at("one cell by two keys, a decimal", NULL, b.ptr, b.len, &o, NULL, 0, __LINE__) / 10, 1);
		for (k = 0; k < 20; k++)
			buf_puts(&b, "R,I1,15,1,1\n");
		buf_add(&b, "R,I1\0\0,1,1\n", 11);
		compare_readers_at("a NUL inside a known key", NULL, b.ptr, b.len, &o, msg, sizeof(msg), __LINE__);
		T_OK(msg[0] != '\0');
	}
	/* rows around 16 bytes (one SSE2 load reads a row of up to 15), fields of every length */
	buf_reset(&b);
	buf_puts(&b, "region,industry,employment,establishments\n");
	{
		int k;
		for (k = 0; k < 4000; k++) {
			int rl = 1 + k % 5, il = 1 + k / 5 % 13, el = k / 65 % 10, xl = k / 650 % 3;
			buf_printf(&b, "%.*s,%.*s,%.*s,%.*s%s", rl, "R23456789", il, "I234567890abc", el,
				   "1234567890", xl, "10", k % 7 == 0 ? "\r\n" : "\n");
		}
	}
	T_EQ_INT(compare_readers_at("rows of every length", NULL, b.ptr, b.len, &o, NULL, 0, __LINE__), 12);
	/* the same with odd bytes at every place: a quote, a CR, a blank, a high byte, a point */
	{
		static const char odd[] = { '"', '\r', ' ', '\x80', '.', ',', '\t', 'x', '\0' };
		size_t at, j, len = b.len;
		char msg2[1024];
		for (j = 0; j < sizeof(odd); j++)
			for (at = 43 + j * 7; at < len && at < 43 + 200; at += 13) {
				struct buf c = BUF_INIT;
				buf_add(&c, b.ptr, len);
				c.ptr[at] = odd[j];
				compare_readers_at("an odd byte", NULL, c.ptr, c.len, &o, msg2, sizeof(msg2), __LINE__);
				buf_release(&c);
			}
	}

	/* without sum, a cell in both halves is an error naming both lines */
	buf_reset(&b);
	buf_puts(&b, "region,industry,employment\n");
	{
		int k;
		for (k = 0; k < 5000; k++)
			buf_printf(&b, "R%d,I%d,%d\n", k % 50, k / 50, k);
		buf_puts(&b, "R7,I3,1\n");
	}
	o.sum = 0;
	compare_readers_at("a cell repeated across the halves", NULL, b.ptr, b.len, &o, msg, sizeof(msg),
			   __LINE__);
	T_EQ_STR(msg, "s.csv:5002: region R7, industry I3 given twice (first at line 159)");
	buf_release(&b);
}

/* A file written to a pipe, read back as /dev/fd/N: a stream that cannot seek. */
static int pipe_path(const char *text, char *path, size_t size, int *fd)
{
	int p[2];
	size_t n = strlen(text);
	if (pipe(p) != 0)
		return -1;
	if (write(p[1], text, n) != (ssize_t)n) {   /* small: fits in the pipe's buffer */
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	snprintf(path, size, "/dev/fd/%d", p[0]);
	*fd = p[0];
	return 0;
}

/* Readers on a pipe: the start is peeked at without seeking back (stats.h). */
T_TEST(pipe_input)
{
	static const char data[] = "region,industry,year,employment\nA,x,2023,75\nA,y,2023,25\nB,x,2023,10\n"
				   "B,y,2023,90\n";
	struct kerr e = KERR_INIT;
	struct stats_opts o = { .fmt = STATS_AUTO };
	struct cube c;
	char path[32];
	int fd;
	if (!T_OK(pipe_path(data, path, sizeof(path), &fd) == 0))
		return;
	T_EQ_INT(stats_load(path, &o, &c, NULL, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(c.nreg, 2);
	T_NEAR(emp_at(&c, "B", 2023, "y"), 90, 0);
	T_OK(c.src && strncmp(cube_src(&c, 0, 1), path, strlen(path)) == 0);   /* named by its path */
	cube_release(&c);
	close(fd);
	/* the reference on a pipe too */
	if (!T_OK(pipe_path("industry,employment\nx,100\ny,150\n", path, sizeof(path), &fd) == 0))
		return;
	{
		char data_path[64];
		FILE *f;
		snprintf(data_path, sizeof(data_path), "%s/klaster-pipe-%d.csv", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
			 (int)getpid());
		f = fopen(data_path, "w");
		fputs(data, f);
		fclose(f);
		o.ref_path = path;
		T_EQ_INT(stats_load(data_path, &o, &c, NULL, &e), 0);
		T_EQ_STR(e.msg, "");
		T_OK(c.ref && c.ref[cube_industry(&c, "y")] == 150);
		cube_release(&c);
		unlink(data_path);
	}
	close(fd);
}

/* A reference given always counts: one that matches nothing is an error naming it. */
T_TEST(reference_matching_nothing)
{
	struct kerr e = KERR_INIT;
	struct stats_opts o = { .industry_len = 3 };
	struct cube c;
	struct stats_counts n;
	struct buf b = BUF_INIT;
	char ref[64];
	FILE *f;
	/* every row of the reference has a code of 2 characters, the data's of 3: all left out */
	snprintf(ref, sizeof(ref), "/tmp/klaster-ref-%d.csv", (int)getpid());
	f = fopen(ref, "w");
	fputs("industry,employment\nC2,1000\n", f);
	fclose(f);
	o.ref_path = ref;
	T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, NULL, &e), -1);
	T_OK(strstr(e.msg, ": every row of the reference economy was left out (its industry codes are not of the "
		    "--industry-length)") != NULL);
	unlink(ref);
	kerr_clear(&e);
	/* a cube whose industries the reference does not know */
	{
		struct cube_builder *bl = cube_builder_new(0);
		T_EQ_INT(cube_builder_add(bl, "A", "x", 2023, 5, NAN, NAN, "d.csv:2", &e), 0);
		T_EQ_INT(cube_builder_ref(bl, "q", 2023, 100, "other.csv:2", &e), 0);
		T_EQ_INT(cube_builder_finish(bl, &c, &e), -1);
		T_OK(strstr(e.msg, "other.csv: no industry of the reference economy is an industry of the data "
			    "(the reference's first is q, the data's first x)") != NULL);
		kerr_clear(&e);
		/* one that knows the industry but not the year: kept, and stats_check names both */
		bl = cube_builder_new(0);
		T_EQ_INT(cube_builder_add(bl, "A", "x", 2023, 5, NAN, NAN, "d.csv:2", &e), 0);
		T_EQ_INT(cube_builder_ref(bl, "x", 2020, 100, "other.csv:2", &e), 0);
		T_EQ_INT(cube_builder_finish(bl, &c, &e), 0);
		T_OK(c.ref != NULL && isnan(c.ref[0]));
		T_EQ_STR(c.ref_file, "other.csv");
		T_EQ_INT(stats_check(&c, "d.csv", &e), -1);
		T_EQ_STR(e.msg, "other.csv: the reference economy has no values in 2023, a year of the data (every "
			 "year of the data needs one)");
		cube_release(&c);
		kerr_clear(&e);
	}
	/* the notice about unknown industries says the rule of the totals */
	o.industry_len = 0;
	o.ref_path = DIR "ref_noind.csv";
	T_EQ_INT(stats_load(DIR "long_year.csv", &o, &c, &n, &e), 0);
	T_EQ_INT(stats_ref_unknown_notice(&b, "ref_noind.csv", &n, "indicators"), 2);
	T_EQ_STR(b.ptr, "ref_noind.csv: the reference economy leaves 2 industry-years of the data unknown (first: C27 "
		 "in 2015): their location quotients are left empty, and the reference total counts them at the "
		 "regions' own employment, the least the nation can have");
	/* what it means for a shift-share: its components, not LQs */
	buf_reset(&b);
	T_EQ_INT(stats_ref_unknown_notice(&b, "ref_noind.csv", &n, "shift-share"), 2);
	T_OK(strstr(b.ptr, "their shift-share components (which need the industry's national growth) are left empty") &&
	     !strstr(b.ptr, "location quotients"));
	buf_release(&b);
	cube_release(&c);
}

/* The one number parser (stats_parse_number), also for firm values (spatial.h). */
T_TEST(parse_number_public)
{
	double v;
	T_EQ_INT(stats_parse_number("1 234,5", 1, &v), STATS_NUM_OK);
	T_NEAR(v, 1234.5, 0);
	T_EQ_INT(stats_parse_number("1 234,5", 0, &v), STATS_NUM_BAD);
	T_EQ_INT(stats_parse_number("1e3", 0, &v), STATS_NUM_BAD);
	T_EQ_INT(stats_parse_number(":", 0, &v), STATS_NUM_MISSING);
	T_EQ_INT(stats_parse_number("-3", 0, &v), STATS_NUM_OK);
	T_NEAR(v, -3, 0);
	/* a minus zero is 0: never the -0 that the tables would write as "-0" */
	T_EQ_INT(stats_parse_number("-0", 0, &v), STATS_NUM_OK);
	T_EQ_INT(v == 0 && !signbit(v), 1);
	T_EQ_INT(stats_parse_number("-0,0", 1, &v), STATS_NUM_OK);
	T_EQ_INT(v == 0 && !signbit(v), 1);
	T_EQ_INT(stats_parse_number("-0.000", 0, &v), STATS_NUM_OK);
	T_EQ_INT(v == 0 && !signbit(v), 1);
	{
		/* 60 digits are read; 61 before or after the mark are too long, not "no number" */
		char d[140];
		memset(d, '9', 60);
		d[60] = '\0';
		T_EQ_INT(stats_parse_number(d, 0, &v), STATS_NUM_OK);
		d[60] = '9';
		d[61] = '\0';
		T_EQ_INT(stats_parse_number(d, 0, &v), STATS_NUM_LONG);
		T_EQ_INT(isnan(v), 1);
		memcpy(d, "1.", 2);
		memset(d + 2, '5', 61);
		d[63] = '\0';
		T_EQ_INT(stats_parse_number(d, 0, &v), STATS_NUM_LONG);
		d[62] = '\0';
		T_EQ_INT(stats_parse_number(d, 0, &v), STATS_NUM_OK);
		T_EQ_INT(stats_parse_number("9x99", 0, &v), STATS_NUM_BAD);
	}
}

/* A crosswalk's code that the data gives and the reference lacks leaves its cluster's reference
 * value unknown, as ':' does, that year (xw_data.csv: 02 ELEC = C26 100 + C27 50). */
T_TEST(crosswalk_reference_gap)
{
	struct kerr e = KERR_INIT;
	struct stats_counts n;
	struct stats_opts o = { .crosswalk_path = DIR "crosswalk.csv", .skip_unmapped = 1 };
	struct buf ref = BUF_INIT;
	struct cube c;
	size_t elec, retail;
	if (temp_file(&ref, "industry,employment\nC26,1000\nG47,3000\n")) {
		T_OK(0);
		return;
	}
	o.ref_path = ref.ptr;
	T_EQ_INT(stats_load(DIR "xw_data.csv", &o, &c, &n, &e), 0);
	T_EQ_STR(e.msg, "");
	elec = cube_industry(&c, "ELEC");
	retail = cube_industry(&c, "RETAIL");
	T_OK(c.ref && isnan(c.ref[elec]));
	T_OK(c.ref && c.ref[retail] == 3000);
	T_EQ_INT(n.ref_gaps, 1);
	T_EQ_STR(n.first_ref_gap, "C27 of ELEC, given at " DIR "xw_data.csv:3");
	T_EQ_INT(n.ref_unknown, 1);
	cube_release(&c);
	unlink(ref.ptr);
	buf_release(&ref);
}

int main(void)
{
	T_RUN(builder_basic);
	T_RUN(columns_as_spelled);
	T_RUN(cube_copy_whole);
	T_RUN(builder_unique_cells);
	T_RUN(dataset_cache);
	T_RUN(dataset_cache_related);
	T_RUN(builder_sources_kept_as_given);
	T_RUN(builder_errors);
	T_RUN(builder_by_index);
	T_RUN(builder_sum);
	T_RUN(long_without_year);
	T_RUN(long_with_year);
	T_RUN(semicolon_decimal_comma);
	T_RUN(semicolon_gus_signs);
	T_RUN(na_missing);
	T_RUN(pipe_streamed);
	T_RUN(pipe_spill_full);
	T_RUN(pipe_copied_for_fast_path_only);
	T_RUN(pipe_copy_nameless);
	T_RUN(pipe_spill_progress);
	T_RUN(pipe_stream_progress);
	T_RUN(read_into_builder);
	T_RUN(pipe_reference);
	T_RUN(pipe_crosswalk);
	T_RUN(long_header_separator);
	T_RUN(eurostat);
	T_RUN(crosswalk);
	T_RUN(crosswalk_reference_gap);
	T_RUN(reference);
	T_RUN(numbers);
	T_RUN(long_errors);
	T_RUN(eurostat_errors);
	T_RUN(bdl);
	T_RUN(bdl_errors);
	T_RUN(firms_errors);
	T_RUN(formats);
	T_RUN(firms_aggregation);
	T_RUN(wide_aliases_flags);
	T_RUN(skip_invalid_and_filters);
	T_RUN(leave_out_empty);
	T_RUN(real_eurostat_sbs);
	T_RUN(fast_plain);
	T_RUN(fast_options);
	T_RUN(absent_zero);
	T_RUN(fast_generated);
	T_RUN(fast_steal);
	T_RUN(pipe_input);
	T_RUN(reference_matching_nothing);
	T_RUN(parse_number_public);
	return t_done();
}
