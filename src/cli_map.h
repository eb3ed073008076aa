/*
 * cli_map.h — the `map` commands on files, without a database: the one
 * front end code of `klaster map …` (main.c) and of klaster-map
 * (main_map.c), which links only what these need and so starts in about
 * a millisecond instead of loading the portal's libraries.
 *
 * cli_map_args takes a statistics command's options out of the command
 * line; cli_map_table runs indicators, indices and shift-share on them;
 * cli_map_points runs spatial and hotspots.  draw and related (cairo,
 * igraph) stay with klaster, which klaster-map hands them to.  Every
 * function returns 0, or -1 with the message in c->e (err.h); notices go
 * to standard error; a result file is written whole or not at all
 * (tablew.h).
 */
#ifndef KLASTER_CLI_MAP_H
#define KLASTER_CLI_MAP_H

#include "cli.h"
#include "cube.h"
#include "spatial.h"
#include "tablew.h"

/* The options of a map command, as given (NULL when absent). */
struct map_args {
	const char *input, *out, *format, *ref, *crosswalk, *base, *fmtname, *year, *from, *to, *what;
	const char *region_len, *industry_len, *region_prefix;
	const char *boundaries, *code_prop, *name_prop, *industry, *indicator, *classes, *breaks, *title, *source;
	const char *parts;          /* --parts: NUTS-3 boundaries older regions are drawn on (mapping_load_layer) */
	const char *industry_names;
	int sum, skip_unmapped, skip_invalid, nuts2013;
	/* a firm list without regions: the region holding a firm (stats_opts.locate; klaster
	 * sets it from --boundaries) */
	const char *(*locate)(void *ctx, double lat, double lon);
	void *locate_ctx;
	struct stats_plants *plants;  /* receives a firm list's firms (stats_opts.plants), or NULL */
};

/* The usage lines and the help text of `map` (klaster-map prints the same). */
extern const char cli_map_usage[];
extern const char cli_map_help[];

/* Takes the options of a statistics command (what: indicators, indices,
 * shift-share, related, draw) out of c into *a; the file is c->argv[0]. */
int cli_map_args(struct cmd_ctx *c, const char *what, struct map_args *a);
/* Reads a->input as the reading options say, with the notices of `map`. */
int cli_map_load(struct cmd_ctx *c, const struct map_args *a, struct cube *cube);
/* Opens the result table -o / --output-format ask for (standard output when absent). */
int cli_map_open_table(struct cmd_ctx *c, const struct map_args *a, const char *const *cols,
		       const char *sheet, struct tablew **t);
/* map indicators | indices | shift-share. */
int cli_map_table(struct cmd_ctx *c, struct map_args *a);

/* Draws `map spatial --boundaries L --map FILE` (klaster's; NULL in klaster-map). */
typedef int (*cli_map_draw_points_fn)(struct cmd_ctx *c, const struct map_args *a,
				      const struct spatial_firms *f, const struct spatial_dbscan *d);
/* Takes --band, --star / --no-star and --row-standardise of `map hotspots`
 * out of c into *go (great-circle distances, or planar ones): -1 when the
 * band is not a number above 0, or missing and band_default is 0. */
int cli_map_gi_opts(struct cmd_ctx *c, int planar, double band_default, struct spatial_getis_ord_opts *go);
/* map spatial | map hotspots (what) on the rest of c's arguments. */
int cli_map_points(struct cmd_ctx *c, const char *what, cli_map_draw_points_fn draw_points);

#endif
