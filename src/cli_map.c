/*
 * cli_map.c — the `map` commands on files, shared by klaster (main.c) and
 * klaster-map (main_map.c); see cli_map.h.
 */
#include "cli_map.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indic.h"
#include "mapping.h"
#include "outfile.h"
#include "progress.h"
#include "stats.h"

const char cli_map_usage[] =
	"map indicators|indices|shift-share|relatedness STATS.csv [--format long|eurostat|firms] [--sum]\n"
	"       [--reference REF.csv] [--crosswalk XWALK.csv [--skip-unmapped]] [--skip-invalid]\n"
	"       [--region-length N] [--industry-length N] [--region-prefix CODE] [--industry-names CODES.csv]\n"
	"       [--base all|traded (indicators) | region|industry (indices) |\n"
	"        pairs|density|groups (relatedness; also spelt related)] [--year Y]\n"
	"       [--from Y0 --to Y1 (shift-share)] [-o OUT.csv|.json|.xlsx] [--output-format F]\n"
	"       [--boundaries FILE.geojson [--code-property P] (firms without a region column)]\n"
	"       map draw STATS.csv --boundaries FILE.geojson [--code-property P] --industry CODE\n"
	"       [--indicator lq|employment|share_of_region|share_of_industry|stars|strong|strong10]\n"
	"       [--year Y] [--classes N | --breaks A,B,C] [--title T] [--source S]\n"
	"       [--nuts2013 [--parts NUTS3.geojson]] -o MAP.svg|.png|.pdf|-\n"
	"       map spatial FIRMS.csv --eps METRES [--min-samples K] [--industry CODE]\n"
	"       [--id-column C] [--name-column C] [--industry-column C] [-o OUT.csv|.json|.xlsx]\n"
	"       map hotspots POINTS.csv --value COLUMN --band METRES [--star|--no-star]\n"
	"       [--row-standardise] [--planar] [--skip-invalid] [--industry CODE] [-o OUT]\n"
	"       map hotspots FIRMS.csv --cell METRES [--band METRES (1.5 cells)] [--star|--no-star]\n"
	"       [--row-standardise] [--industry CODE] [-o OUT]\n"
	"       map hotspots STATS.csv --regions BOUNDARIES.geojson [--code-property P] [--name-property P]\n"
	"       [--nuts2013 [--parts NUTS3.geojson]] --industry CODE\n"
	"       [--indicator lq|employment|share_of_region|share_of_industry|stars]\n"
	"       [--year Y] [--base all|traded] --band METRES [--star|--no-star] [--row-standardise]\n"
	"       [the reading options of map indicators] [-o OUT.csv|.json|.xlsx]";

const char cli_map_help[] =
	"Cluster mapping on a statistics file, no database needed (see docs/MAPPING.md):\n"
	"location quotients, shares, European Cluster Observatory stars and the U.S. Cluster\n"
	"Mapping Project strong rule per region x industry x year; Herfindahl, Krugman, Gini,\n"
	"Hoover and entropy indices; shift-share between two years; choropleth maps (quantile or\n"
	"fixed classes, legend, title, source line; --nuts2013 draws NUTS-2 codes of 2013 and older on\n"
	"NUTS 2021 boundaries through Eurostat's correspondence, and --parts adds the NUTS-3 regions that\n"
	"older regions cut across NUTS-2 are drawn on). Firm points: DBSCAN clusters on the great circle\n"
	"(labels as scikit-learn's haversine DBSCAN) and Getis-Ord Gi / Gi* hot spots (as PySAL esda), of a\n"
	"value on points or, with --regions, of an indicator on the regions' centroids.\n"
	"Every result file is written whole or not at all.";

/* A code length for --region-length / --industry-length: a whole number from 1 to 99. */
static int map_code_len(struct cmd_ctx *c, const char *opt, const char *v, size_t *out)
{
	char *end;
	long n;
	if (!v)
		return 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || n < 1 || n > 99)
		return kerr_set(c->e, KERR_USAGE, "%s must be a number of characters (1-99), not '%s'", opt, v);
	*out = (size_t)n;
	return 0;
}

int cli_map_load(struct cmd_ctx *c, const struct map_args *a, struct cube *cube)
{
	struct stats_opts o;
	struct stats_counts counts;
	memset(&o, 0, sizeof(o));
	o.fmt = STATS_AUTO;
	if (a->format && stats_format_by_name(a->format, &o.fmt, c->e))
		return -1;
	o.crosswalk_path = a->crosswalk;
	o.ref_path = a->ref;
	o.sum = a->sum;
	o.skip_unmapped = a->skip_unmapped;
	o.skip_invalid = a->skip_invalid;
	o.region_prefix = a->region_prefix;
	if (map_code_len(c, "--region-length", a->region_len, &o.region_len) ||
	    map_code_len(c, "--industry-length", a->industry_len, &o.industry_len))
		return -1;
	o.progress = stderr;
	o.locate = a->locate;
	o.locate_ctx = a->locate_ctx;
	o.plants = a->plants;
	if (stats_load(a->input, &o, cube, &counts, c->e))
		return -1;
	if (a->industry_names && stats_industry_names(cube, a->industry_names, c->e) < 0) {
		cube_release(cube);
		return -1;
	}
	fprintf(stderr, "%s: %ld rows, %zu regions x %zu industries x %zu years%s\n", a->input, counts.rows,
		cube->nreg, cube->nind, cube->nyear, counts.missing ? " (some cells missing)" : "");
	if (counts.unmapped)
		fprintf(stderr, "%s: %ld rows skipped: industry not in the crosswalk (first: %s)\n", a->input,
			counts.unmapped, counts.first_unmapped);
	if (counts.filtered)
		fprintf(stderr, "%s: %ld rows left out by the region and industry filters\n", a->input,
			counts.filtered);
	if (counts.invalid)
		fprintf(stderr, "%s: %ld values skipped: not valid numbers (first: %s)\n", a->input,
			counts.invalid, counts.first_invalid);
	if (counts.left_out)
		fprintf(stderr, "%s: %ld regions left out of a year in which every value is missing or zero "
			"(first: %s)\n", a->input, counts.left_out, counts.first_left_out);
	if (counts.ref_unknown)
		fprintf(stderr, "%s: the reference economy has no employment for %ld industry-years of the data "
			"(first: %s): their location quotients are left empty\n", a->ref, counts.ref_unknown,
			counts.first_ref_unknown);
	if (counts.outside)
		fprintf(stderr, "%s: %ld firms outside every region of the boundaries skipped (first on line %ld)\n",
			a->input, counts.outside, counts.first_outside);
	return 0;
}

/* The table format -o and --output-format ask for: 0, or -1 (KERR_USAGE) naming the option. */
static int table_format(struct cmd_ctx *c, const struct map_args *a, enum tablew_format *f)
{
	if (a->fmtname && tablew_format_by_name(a->fmtname, f))
		return kerr_set(c->e, KERR_USAGE, "--output-format must be csv, json or xlsx, not '%s'", a->fmtname);
	if (!a->fmtname && tablew_format_for_path(a->out, f))
		return kerr_set(c->e, KERR_USAGE, "-o %s: a table is written as .csv, .json or .xlsx; name the "
				"file so, or give --output-format csv|json|xlsx", a->out);
	return 0;
}

int cli_map_open_table(struct cmd_ctx *c, const struct map_args *a, const char *const *cols,
			  const char *sheet, struct tablew **t)
{
	enum tablew_format f;
	size_t n = 0;
	if (table_format(c, a, &f))
		return -1;
	while (cols[n])
		n++;
	return tablew_open(t, f, a->out, sheet, cols, n, c->e);
}

/* A number above 0 for a required option (--eps, --band). */
static int map_positive(struct cmd_ctx *c, const char *what, const char *opt, const char *v, double *out)
{
	char *end;
	if (!v)
		return kerr_set(c->e, KERR_USAGE, "map %s needs %s", what, opt);
	errno = 0;
	*out = strtod(v, &end);
	if (!*v || *end || errno || !(*out > 0) || !isfinite(*out))
		return kerr_set(c->e, KERR_USAGE, "%s must be a number above 0, not '%s'", opt, v);
	return 0;
}

int cli_map_gi_opts(struct cmd_ctx *c, int planar, double band_default, struct spatial_getis_ord_opts *go)
{
	const char *band = opt_value(c, "--band");
	memset(go, 0, sizeof(*go));
	go->star = !opt_flag(c, "--no-star");
	if (opt_flag(c, "--star"))
		go->star = 1;
	go->row_standardise = opt_flag(c, "--row-standardise");
	go->metric = planar ? SPATIAL_PLANAR : SPATIAL_GEO;
	if (!band && band_default > 0) {
		go->band = band_default;
		return 0;
	}
	return map_positive(c, "hotspots", "--band DISTANCE", band, &go->band);
}

/* map hotspots --cell: the grid may have this many cells, and the band is
 * this many cells unless --band is given (as on the portal's firm maps). */
#define GRID_MAX_CELLS 1000000
#define GRID_BAND_CELLS 1.5

/* map spatial | map hotspots: firm points (spatial.h, docs/MAPPING.md "Firm points"). */
int cli_map_points(struct cmd_ctx *c, const char *what, cli_map_draw_points_fn draw_points)
{
	struct map_args a;
	struct spatial_firms_opts fo;
	struct spatial_firms f;
	struct spatial_dbscan d;
	struct spatial_getis_ord_opts go;
	struct spatial_getis_ord g;
	struct tablew *t = NULL;
	struct spatial_grid grid;
	const char *eps, *ms;
	int dbscan = strcmp(what, "spatial") == 0, rc = -1;
	unsigned long k = 5;
	double eps_m = 0, cell_m = 0;
	char *end;

	memset(&a, 0, sizeof(a));
	memset(&fo, 0, sizeof(fo));
	memset(&f, 0, sizeof(f));
	memset(&d, 0, sizeof(d));
	memset(&go, 0, sizeof(go));
	memset(&g, 0, sizeof(g));
	memset(&grid, 0, sizeof(grid));
	a.out = opt_value(c, "-o");
	if (!a.out)
		a.out = opt_value(c, "--output");
	a.fmtname = opt_value(c, "--output-format");
	fo.id_col = opt_value(c, "--id-column");
	fo.name_col = opt_value(c, "--name-column");
	fo.industry_col = opt_value(c, "--industry-column");
	fo.industry = opt_value(c, "--industry");
	if (dbscan) {
		a.boundaries = opt_value(c, "--boundaries");
		a.code_prop = opt_value(c, "--code-property");
		a.title = opt_value(c, "--title");
		a.source = opt_value(c, "--source");
		a.breaks = opt_value(c, "--map");    /* the map file */
		eps = opt_value(c, "--eps");
		ms = opt_value(c, "--min-samples");
		if (no_more_args(c, 1) || map_positive(c, what, "--eps METRES", eps, &eps_m))
			return -1;
		if (a.breaks && outfile_is_stdout(a.breaks) && outfile_is_stdout(a.out))
			return kerr_set(c->e, KERR_USAGE, "map spatial: the map (--map -) and the table cannot both go "
					"to standard output: give the table a file with -o");
		errno = 0;
		if (ms && ((k = strtoul(ms, &end, 10)) < 1 || *end || !isdigit((unsigned char)*ms) || errno))
			return kerr_set(c->e, KERR_USAGE, "--min-samples must be a whole number from 1, not '%s'", ms);
	} else {
		const char *cell = opt_value(c, "--cell");
		fo.value_col = opt_value(c, "--value");
		fo.planar = opt_flag(c, "--planar");
		fo.skip_invalid = opt_flag(c, "--skip-invalid");
		if (cell && map_positive(c, what, "--cell METRES", cell, &cell_m))
			return -1;
		if (cli_map_gi_opts(c, fo.planar, GRID_BAND_CELLS * cell_m, &go) || no_more_args(c, 1))
			return -1;
		if (cell && (fo.value_col || fo.planar))
			return kerr_set(c->e, KERR_USAGE, "map hotspots --cell counts the firms on a grid in metres: "
					"not with %s", fo.value_col ? "--value" : "--planar");
		if (!fo.value_col && !cell)
			return kerr_set(c->e, KERR_USAGE, "map hotspots needs --value COLUMN, or --cell METRES for the "
					"density of the firms on a grid");
	}
	{
		enum tablew_format tf;
		if (table_format(c, &a, &tf))
			return -1;
	}
	a.input = c->argv[0];
	fo.progress = stderr;
	if (spatial_firms_load(a.input, &fo, &f, c->e))
		goto out;
	if (f.no_coords)
		fprintf(stderr, "%s: %ld rows without coordinates skipped (first on line %ld)\n", a.input,
			f.no_coords, f.first_no_coords);
	if (f.no_value)
		fprintf(stderr, "%s: %ld rows without a numeric value of %s skipped (first on line %ld)\n", a.input,
			f.no_value, fo.value_col, f.first_no_value);
	if (f.filtered)
		fprintf(stderr, "%s: %ld rows of other industries left out\n", a.input, f.filtered);
	if (dbscan) {
		struct progress pg = { stderr, 0, f.n, 0, "DBSCAN", "points", 0 };
		pg.on = progress_want(stderr, f.n, 100000);  /* about a second and more */
		if (spatial_dbscan_pg(f.lat, f.lon, f.n, eps_m, k, &pg, &d, c->e))
			goto out;
		fprintf(stderr, "%s: %zu firms, eps %g m, min-samples %lu: %ld clusters, %zu core points, "
			"%zu noise points\n", a.input, f.n, eps_m, k, d.nclusters, d.ncore, d.nnoise);
		if (a.boundaries && !draw_points) {
			kerr_set(c->e, KERR_USAGE, "map spatial --boundaries draws a map: run it with klaster");
			goto out;
		}
		if (a.boundaries && draw_points(c, &a, &f, &d))
			goto out;
		if (cli_map_open_table(c, &a, spatial_dbscan_columns, "clusters", &t) ||
		    spatial_write_dbscan(&f, &d, t, c->e))
			goto out;
	} else if (cell_m > 0) {
		size_t hot, cold;
		if (spatial_grid_hotspots(f.lat, f.lon, f.n, cell_m, GRID_MAX_CELLS, &go, &grid, &g, c->e)) {
			kerr_prefix(c->e, "%s: --cell", a.input);
			goto out;
		}
		spatial_spots_count(&g, &hot, &cold);
		fprintf(stderr, "%s: %zu firms on %zu x %zu cells of %g m, %s, band %g m: %zu hot spots and %zu cold "
			"spots at p < 0.05\n", a.input, f.n, grid.rows, grid.cols, cell_m, go.star ? "Gi*" : "Gi", go.band,
			hot, cold);
		if (cli_map_open_table(c, &a, spatial_grid_hotspot_columns, "hotspots", &t) ||
		    spatial_write_grid_hotspots(&grid, &g, t, c->e))
			goto out;
	} else {
		size_t hot, cold;
		if (spatial_getis_ord(f.lat, f.lon, f.value, f.n, &go, &g, c->e))
			goto out;
		spatial_spots_count(&g, &hot, &cold);
		fprintf(stderr, "%s: %zu points, %s, band %g%s: %zu hot spots and %zu cold spots at p < 0.05\n",
			a.input, f.n, go.star ? "Gi*" : "Gi", go.band, fo.planar ? "" : " m", hot, cold);
		if (cli_map_open_table(c, &a, spatial_hotspot_columns, "hotspots", &t) ||
		    spatial_write_hotspots(&f, &g, t, c->e))
			goto out;
	}
	rc = tablew_close(t, c->e);
	t = NULL;
out:
	if (t)
		tablew_abort(t);
	spatial_dbscan_release(&d);
	spatial_getis_ord_release(&g);
	spatial_grid_release(&grid);
	spatial_firms_release(&f);
	return rc;
}

/* Takes the options of the statistics commands (all but spatial and hotspots) out of c into a;
 * what is the command's word (indicators, draw …). */
int cli_map_args(struct cmd_ctx *c, const char *what, struct map_args *a_)
{
	struct map_args a;
	memset(&a, 0, sizeof(a));
	a.what = what;
	a.out = opt_value(c, "-o");
	if (!a.out)
		a.out = opt_value(c, "--output");
	a.fmtname = opt_value(c, "--output-format");
	a.format = opt_value(c, "--format");
	a.ref = opt_value(c, "--reference");
	a.crosswalk = opt_value(c, "--crosswalk");
	a.base = opt_value(c, "--base");
	a.year = opt_value(c, "--year");
	a.from = opt_value(c, "--from");
	a.to = opt_value(c, "--to");
	a.sum = opt_flag(c, "--sum");
	a.skip_unmapped = opt_flag(c, "--skip-unmapped");
	a.skip_invalid = opt_flag(c, "--skip-invalid");
	a.region_len = opt_value(c, "--region-length");
	a.industry_len = opt_value(c, "--industry-length");
	a.region_prefix = opt_value(c, "--region-prefix");
	a.industry_names = opt_value(c, "--industry-names");
	a.boundaries = opt_value(c, "--boundaries");
	a.code_prop = opt_value(c, "--code-property");
	a.name_prop = opt_value(c, "--name-property");
	a.industry = opt_value(c, "--industry");
	a.indicator = opt_value(c, "--indicator");
	a.classes = opt_value(c, "--classes");
	a.breaks = opt_value(c, "--breaks");
	a.title = opt_value(c, "--title");
	a.source = opt_value(c, "--source");
	a.nuts2013 = opt_flag(c, "--nuts2013");
	a.parts = opt_value(c, "--parts");
	if (no_more_args(c, 1))
		return -1;
	if (strcmp(what, "draw") != 0) {
		/* a table: a bad -o or --output-format is told before the input is read */
		enum tablew_format f;
		if (table_format(c, &a, &f))
			return -1;
	}
	a.input = c->argv[0];
	*a_ = a;
	return 0;
}

/* map indicators | indices | shift-share: a table of results (a from cli_map_args). */
int cli_map_table(struct cmd_ctx *c, struct map_args *a_)
{
	struct map_args a = *a_;
	struct cube cube;
	struct tablew *t = NULL;
	int rc = -1;

	memset(&cube, 0, sizeof(cube));
	if (strcmp(a.what, "indicators") == 0) {
		struct indic_opts io = INDIC_OPTS_INIT;
		struct indic_result res;
		int year = -1;
		char *end;
		memset(&res, 0, sizeof(res));
		if (a.base && strcmp(a.base, "all") && strcmp(a.base, "traded"))
			return kerr_set(c->e, KERR_USAGE, "--base must be all or traded, not '%s'", a.base);
		io.base = a.base && strcmp(a.base, "traded") == 0 ? INDIC_BASE_TRADED : INDIC_BASE_ALL;
		if (a.year && ((year = (int)strtol(a.year, &end, 10)) < 0 || *end || !*a.year))
			return kerr_set(c->e, KERR_USAGE, "--year must be a year, not '%s'", a.year);
		if (cli_map_load(c, &a, &cube))
			return -1;
		if (year >= 0 && cube_year(&cube, year) == (size_t)-1) {
			kerr_set(c->e, KERR_INPUT, "%s: no data for year %d", a.input, year);
			goto out;
		}
		if (indic_compute(&cube, &io, &res, c->e))
			goto out;
		if (res.est_dropped)
			fprintf(stderr, "%s: no establishments column: the strong rule is applied without its "
				"establishment test\n", a.input);
		if (cli_map_open_table(c, &a, mapping_indicator_columns, "indicators", &t) ||
		    mapping_write_indicators(&cube, &res, year, t, c->e)) {
			indic_result_release(&res);
			goto out;
		}
		indic_result_release(&res);
	} else if (strcmp(a.what, "indices") == 0) {
		struct indic_indices x;
		int industries = a.base && strcmp(a.base, "industry") == 0;
		memset(&x, 0, sizeof(x));
		if (a.base && strcmp(a.base, "industry") && strcmp(a.base, "region"))
			return kerr_set(c->e, KERR_USAGE, "indices: --base must be region or industry, not '%s'", a.base);
		struct stats_plants pl;
		struct indic_eg *eg = NULL;
		size_t y = 0;
		memset(&pl, 0, sizeof(pl));
		a.plants = industries ? &pl : NULL;  /* a firm list: the Ellison–Glaeser index too */
		if (cli_map_load(c, &a, &cube) || indic_indices(&cube, &x, c->e)) {
			stats_plants_release(&pl);
			goto out;
		}
		if (pl.n) {
			eg = xcalloc(cube.nyear * cube.nind + 1, sizeof(*eg));
			for (y = 0; y < cube.nyear; y++)
				if (indic_ellison_glaeser_all(&cube, y, pl.reg, pl.ind, pl.emp, pl.n, eg + y * cube.nind,
							      c->e))
					break;
		}
		stats_plants_release(&pl);
		if ((eg && y < cube.nyear) ||
		    cli_map_open_table(c, &a, industries ? mapping_industry_index_columns : mapping_region_index_columns,
				       "indices", &t) ||
		    (industries ? mapping_write_industry_indices(&cube, &x, eg, t, c->e)
				: mapping_write_region_indices(&cube, &x, t, c->e))) {
			free(eg);
			indic_indices_release(&x);
			goto out;
		}
		free(eg);
		indic_indices_release(&x);
	} else if (strcmp(a.what, "shift-share") == 0) {
		struct indic_shift sh;
		char *e1, *e2;
		long y0, y1;
		memset(&sh, 0, sizeof(sh));
		if (!a.from || !a.to)
			return kerr_set(c->e, KERR_USAGE, "shift-share needs --from YEAR and --to YEAR");
		y0 = strtol(a.from, &e1, 10);
		y1 = strtol(a.to, &e2, 10);
		if (*e1 || *e2 || !*a.from || !*a.to)
			return kerr_set(c->e, KERR_USAGE, "--from and --to must be years");
		if (cli_map_load(c, &a, &cube) || indic_shift_share(&cube, (int)y0, (int)y1, &sh, c->e))
			goto out;
		if (cli_map_open_table(c, &a, mapping_shift_columns, "shift-share", &t) ||
		    mapping_write_shift(&cube, &sh, t, c->e)) {
			indic_shift_release(&sh);
			goto out;
		}
		indic_shift_release(&sh);
	} else {
		return kerr_set(c->e, KERR_USAGE, "map what? indicators, indices, shift-share, relatedness, draw, spatial or hotspots");
	}
	rc = tablew_close(t, c->e);
	t = NULL;
out:
	if (t)
		tablew_abort(t);
	cube_release(&cube);
	return rc;
}
