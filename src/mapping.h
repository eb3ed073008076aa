/*
 * mapping.h — cluster-mapping results as tables (tablew.h): the front
 * ends (the `klaster map` commands, later the portal's downloads) call
 * these with a loaded cube (cube.h, stats.h) and a table writer.
 */
#ifndef KLASTER_MAPPING_H
#define KLASTER_MAPPING_H

#include "cube.h"
#include "indic.h"
#include "tablew.h"

/* Columns of the indicator table, NULL-terminated. */
extern const char *const mapping_indicator_columns[];
extern const char *const mapping_region_index_columns[];
extern const char *const mapping_industry_index_columns[];
extern const char *const mapping_shift_columns[];

/* One row per region × industry × year (cells without employment data
 * are written with empty indicators). year_filter < 0 writes every year. */
int mapping_write_indicators(const struct cube *c, const struct indic_result *res, int year_filter,
			     struct tablew *t, struct kerr *e);
/* Region indices (one row per region × year) or industry indices (one row
 * per industry × year). */
int mapping_write_region_indices(const struct cube *c, const struct indic_indices *x,
				 struct tablew *t, struct kerr *e);
int mapping_write_industry_indices(const struct cube *c, const struct indic_indices *x,
				   struct tablew *t, struct kerr *e);
/* One row per region × industry between two years. */
int mapping_write_shift(const struct cube *c, const struct indic_shift *s, struct tablew *t,
			struct kerr *e);

#endif
