/*
 * cli_map.h — the `map` commands on files, without a database: the one
 * front end code of `klaster map …` (main.c) and of klaster-map
 * (main_map.c), which links only what these need and so starts in about
 * a millisecond instead of loading the portal's libraries.
 *
 * cli_map_check checks a command line against the one table of the
 * commands' options before anything else; cli_map_args takes a statistics
 * command's options out of the command line; cli_map_table runs indicators, indices and shift-share on them;
 * cli_map_points runs spatial and hotspots.  draw and related (cairo,
 * igraph) stay with klaster, which klaster-map hands them to.  Every
 * function returns 0, or -1 with the message in c->e (err.h); notices go
 * to standard error; a result file is written whole or not at all
 * (tablew.h).
 */
#ifndef KLASTER_CLI_MAP_H
#define KLASTER_CLI_MAP_H

#include <stdio.h>

#include "cli.h"
#include "cube.h"
#include "indic.h"
#include "spatial.h"
#include "tablew.h"

/* The options of a map command, as given (NULL when absent). */
struct map_args {
	const char *input;          /* the path given; "-" is standard input */
	const char *name;           /* the input in messages: the path escaped, or "standard input"
				       (cli_map_input_name) */
	const char *out, *format, *ref, *crosswalk, *base, *fmtname, *year, *from, *to, *what;
	const char *region_len, *industry_len, *region_prefix;
	const char *boundaries, *code_prop, *name_prop, *industry, *indicator, *classes, *breaks, *title, *source;
	const char *lang;            /* --lang of a map: pl, en or both (NULL: both) */
	const char *parts;          /* --parts: NUTS-3 boundaries older regions are drawn on (mapping_load_layer) */
	const char *industry_names;
	const char *absent;         /* --absent zero|missing: a cell no row gives (stats_opts.absent_zero) */
	const char *region;         /* map indicators --region: that region's rows only */
	int sum, skip_unmapped, skip_invalid, nuts2013;
	int no_progress;            /* --no-progress (import stats, map): no progress line (cli_map_load) */
	const char *within;         /* map hotspots --within: the study area (a map is drawn on it without --boundaries) */
	int places;                 /* the table has places (a geometry per row): GeoJSON may be asked for */
	int planar;                 /* ... but its x, y are not degrees (hotspots --planar): no GeoJSON */
	/* a firm list without regions: the region holding a firm (stats_opts.locate; klaster
	 * sets it from --boundaries) */
	const char *(*locate)(void *ctx, double lat, double lon);
	void *locate_ctx;
	struct stats_plants *plants;  /* receives a firm list's firms (stats_opts.plants), or NULL */
	/* --region-names: gives the regions the data leaves unnamed the names of their
	 * boundaries (klaster sets it: GeoJSON needs jansson); called by cli_map_load once the
	 * cube is read, src naming the input in notices; 0, or -1 with a message */
	const char *region_names;
	int (*name_regions)(const struct map_args *a, struct cube *cube, const char *src, struct kerr *e);
	int hotspots;                    /* map draw --band: outline the hot spots of gi */
	struct spatial_getis_ord_opts gi;
};

/* The usage forms of `map`, one a command ("map indicators STATS.csv …", a line that goes on
 * starting with spaces), NULL after the last; and its help text (klaster-map prints the same). */
extern const char *const cli_map_usage[];
extern const char cli_map_help[];

/* 0 when what names a map command (indicators, related, …); else -1 with a usage message in e
 * that lists the commands, the one message of an unknown command whether it is run or its
 * --help is asked for, by klaster or klaster-map. */
int cli_map_command_known(struct kerr *e, const char *what);

/*
 * Checks the arguments of map command what (c's arguments after the
 * command word) before anything is read: the command is known; every
 * option is one of its own (a table says which option belongs to which
 * commands: "--year does not apply to map indices"), given once, with its
 * value when it takes one; no two options contradict each other (--classes
 * and --breaks, --star and --no-star, --progress and --no-progress, an -o
 * ending that names another table format than --output-format, spatial's
 * --map and --boundaries without each other).  Takes nothing out of c.
 * -1 with KERR_USAGE.
 */
int cli_map_check(struct cmd_ctx *c, const char *what);
/* Prints the usage of map command what (every form of it; all the commands
 * when what is NULL), each line starting with prefix ("klaster map ",
 * "klaster-map "): -1 (nothing printed) when what is no command. */
int cli_map_print_usage(FILE *f, const char *prefix, const char *what);
/* The path a reader opens for the input path: /dev/stdin for "-" (standard input), else path. */
const char *cli_map_open_path(const char *path);
/* After a reader given cli_map_open_path("-") failed: the message of e names standard input,
 * as the user gave it, instead of /dev/stdin. */
void cli_map_name_stdin(struct kerr *e);
/* The input in messages: "standard input" for "-", else path as messages
 * show it (cli_shown_name: control characters escaped; kept by c). */
const char *cli_map_input_name(struct cmd_ctx *c, const char *path);
/* Sets *year from v (--year, --from, --to: opt) when v is not NULL: a whole
 * number from 1 to 9999 (the data's years), else -1 (KERR_USAGE) quoting v
 * as given; --year 0 is refused saying that data without a year column is
 * one period, computed without --year. */
int cli_map_year(struct cmd_ctx *c, const char *opt, const char *v, int *year);

/* Takes the options of a statistics command (what: indicators, indices,
 * shift-share, related, draw) out of c into *a; the file is c->argv[0].
 * --progress / --no-progress set the progress line's mode for the rest of
 * the process (progress_set_mode), as cli_map_points does. */
int cli_map_args(struct cmd_ctx *c, const char *what, struct map_args *a);
/* Reads a->input as the reading options say, with the notices of `map`.
 * "-" is standard input; it and other inputs that can be read only once
 * (pipes, devices: not a regular file) are read whole into memory first
 * (stats_load_mem). */
int cli_map_load(struct cmd_ctx *c, const struct map_args *a, struct cube *cube);
/* Computes the indicators of a loaded cube (indic_compute with io) for the year a command
 * shows — year >= 0, else with latest the latest year, else every year (io->only_year) —
 * so that problems of other years do not stop it; an error names the input
 * (cli_map_name_error). */
int cli_map_compute(struct cmd_ctx *c, const struct map_args *a, const struct cube *cube, struct indic_opts *io,
		    int year, int latest, struct indic_result *res);
/* Puts a's input name in front of c->e's message unless it names it already. */
void cli_map_name_error(struct cmd_ctx *c, const struct map_args *a);
/* Opens the result table -o / --output-format ask for (standard output when absent). */
int cli_map_open_table(struct cmd_ctx *c, const struct map_args *a, const char *const *cols,
		       const char *sheet, struct tablew **t);
/* map indicators | indices | shift-share. */
int cli_map_table(struct cmd_ctx *c, struct map_args *a);

/* What a firm-point map shows: the firms, and their DBSCAN clusters or the
 * hot and cold cells of their density on a grid. */
struct cli_map_points_pic {
	const struct spatial_firms *f;
	const struct spatial_dbscan *d;        /* map spatial: the firms coloured by cluster; or NULL */
	const struct spatial_grid *grid;       /* map hotspots --cell: the hot and cold cells; or NULL */
	const struct spatial_getis_ord *gi;    /* ... their Gi* (spatial_grid_hotspots) */
	int gi_plain;                          /* ... of Gi (--no-star), not Gi* */
};
/* Draws `map spatial --map FILE --boundaries L` and `map hotspots --cell …
 * --map FILE [--boundaries L]` (klaster's; NULL in klaster-map).  Called
 * first with pic NULL, before anything is read, to check a's map options
 * (the format --map names): 0 or -1 (KERR_USAGE). */
typedef int (*cli_map_draw_points_fn)(struct cmd_ctx *c, const struct map_args *a,
				      const struct cli_map_points_pic *pic);
/* Takes --band, --star / --no-star and --row-standardise of `map hotspots`
 * out of c into *go (great-circle distances, or planar ones): -1 when the
 * band is not a number above 0, or missing and band_default is 0. */
int cli_map_gi_opts(struct cmd_ctx *c, int planar, double band_default, struct spatial_getis_ord_opts *go);
/* map spatial | map hotspots (what) on the rest of c's arguments.  An input
 * read only once ("-", a pipe) is copied to a temporary file under TMPDIR
 * (else /tmp), read from there and removed (spatial_firms_load reads a
 * file by name); messages name the input as given. */
struct geo_layer;
/* Loads `map hotspots --within AREA.geojson`, the study area, as a layer
 * without codes (geo_layer_load with code_prop NULL; klaster's, as jansson
 * is: NULL in klaster-map, which hands such a command to klaster). */
typedef int (*cli_map_load_area_fn)(struct cmd_ctx *c, const char *path, struct geo_layer *L);
int cli_map_points(struct cmd_ctx *c, const char *what, cli_map_draw_points_fn draw_points,
		   cli_map_load_area_fn load_area);

/* The source line of a map drawn without --source: "Data: FILE; boundaries:
 * FILE" (the files' names without their folders; boundaries may be NULL),
 * "Dane: FILE; granice: FILE" when lang is "pl". */
void cli_map_default_source(char *out, size_t size, const char *input, const char *boundaries, const char *lang);

#endif
