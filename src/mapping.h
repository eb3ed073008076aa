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
 * are written with empty indicators; a region absent from a year, cube.h,
 * has no rows there). year_filter < 0 writes every year. */
int mapping_write_indicators(const struct cube *c, const struct indic_result *res, int year_filter,
			     struct tablew *t, struct kerr *e);
/* Region indices (one row per region × year it is not absent from) or
 * industry indices (one row per industry × year). */
int mapping_write_region_indices(const struct cube *c, const struct indic_indices *x,
				 struct tablew *t, struct kerr *e);
int mapping_write_industry_indices(const struct cube *c, const struct indic_indices *x,
				   struct tablew *t, struct kerr *e);
/* One row per region × industry between two years. */
int mapping_write_shift(const struct cube *c, const struct indic_shift *s, struct tablew *t,
			struct kerr *e);

/* Relatedness tables (related.h): industry pairs (i < j) with co-location
 * and proximity; region × industry relatedness density; each industry's
 * group. */
struct related;
extern const char *const mapping_pair_columns[];
extern const char *const mapping_density_columns[];
extern const char *const mapping_group_columns[];
int mapping_write_pairs(const struct cube *c, const struct related *rel, struct tablew *t, struct kerr *e);
int mapping_write_density(const struct cube *c, const struct related *rel, struct tablew *t, struct kerr *e);
int mapping_write_groups(const struct cube *c, const struct related *rel, struct tablew *t, struct kerr *e);

/* A choropleth of one indicator of one industry and year (draw.h). */
struct mapping_draw_opts {
	const char *boundaries;      /* GeoJSON path */
	const char *code_prop;       /* property holding the region code */
	const char *name_prop;       /* may be NULL */
	const char *industry;        /* industry code in the cube */
	const char *indicator;       /* lq, employment, share_of_region, share_of_industry, stars */
	int year;                    /* -1: the latest year */
	int nclasses;                /* 2..9; ignored with breaks */
	const char *breaks;          /* "0.5,1,2" or NULL for quantiles */
	const char *title, *source;  /* NULL: a title is made up; no source line */
	const char *out;             /* .svg, .png or .pdf */
	int nuts2013;                /* the codes are NUTS-2 codes of 2013 or older and the boundaries
					NUTS 2021 regions: draw through the correspondence (nuts.h) */
};
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

#endif
