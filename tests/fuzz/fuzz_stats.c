/*
 * fuzz_stats.c — libFuzzer target for the statistics readers (src/stats.c)
 * and the cube builder behind them (src/cube.c).
 *
 * Each input is loaded from memory in every format, with and without the
 * sum flag (the first byte picks it).  A load must either succeed with a
 * consistent cube (codes sorted and unique, years ascending, every known
 * value finite and not negative) or fail with a message.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum stats_format fmts[] = { STATS_AUTO, STATS_LONG, STATS_EUROSTAT_TSV,
						  STATS_FIRMS };
	size_t k;
	int sum = size > 0 && (data[0] & 1);

	for (k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		struct stats_opts o;
		memset(&o, 0, sizeof(o));
		o.fmt = fmts[k];
		o.sum = sum;
		/* the second bit turns on the filters and the skipping of bad values */
		if (size > 0 && (data[0] & 2)) {
			o.skip_invalid = 1;
			o.region_len = 4;
			o.industry_len = 3;
		}
		struct stats_counts n;
		struct kerr e = KERR_INIT;
		struct cube c;
		int rc = stats_load_mem((const char *)data, size, "fuzz.csv", &o, &c, &n, &e);
		if (rc == 0) {
			check(&c);
			cube_release(&c);
		} else if (rc != -1 || !e.msg[0] || e.kind == KERR_NONE) {
			BUG("load failed without a message");
		}
	}
	return 0;
}
