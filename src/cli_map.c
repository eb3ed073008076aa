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
#include <strings.h>
#include <sys/stat.h>

#include "esc.h"
#include "fold.h"
#include "indic.h"
#include "mapping.h"
#include "outfile.h"
#include "geo.h"
#include "progress.h"
#include "stats.h"

/*
 * The usage of each map command, without the "map " in front (klaster
 * prints "klaster map …", klaster-map "klaster-map …"); MAP_READING are the
 * options that read a statistics file, shared by every command on one.
 */
#define MAP_READING \
	"[--format auto|long|eurostat|firms|bdl] [--sum] [--absent zero|missing] [--reference REF.csv]\n" \
	"       [--crosswalk XWALK.csv [--skip-unmapped]] [--skip-invalid] [--region-length N]\n" \
	"       [--industry-length N] [--region-prefix CODE] [--industry-names CODES.csv]"
/* the progress line of a long input on standard error: forced on or off (every command) */
#define MAP_PROGRESS "[--progress|--no-progress]"
#define MAP_TABLE_OUT "[-o OUT.csv|.json|.xlsx] [--output-format csv|json|xlsx] " MAP_PROGRESS
/* the tables of places (firms, cells, regions): also GeoJSON */
#define MAP_PLACES_OUT "[-o OUT.csv|.json|.xlsx|.geojson] [--output-format csv|json|xlsx|geojson]\n" \
	"       " MAP_PROGRESS
#define MAP_LOCATE "[--boundaries FILE.geojson [--code-property P] (firms without a region column)]\n" \
	"       [--region-names FILE.geojson [--code-property P] [--name-property P] [--nuts2013 [--parts F]]]"
#define U_INDICATORS \
	"indicators STATS.csv [--base all|traded] [--year Y] [--region CODE]\n       " MAP_READING "\n       " MAP_LOCATE \
	"\n       " MAP_TABLE_OUT
#define U_INDICES \
	"indices STATS.csv [--base region|industry] [--year YEAR]\n       " MAP_READING "\n       " MAP_LOCATE "\n       " \
	MAP_TABLE_OUT
#define U_SHIFT \
	"shift-share STATS.csv [--from Y0 --to Y1]\n       " MAP_READING "\n       " MAP_LOCATE "\n       " \
	MAP_TABLE_OUT
#define U_RELATED \
	"relatedness STATS.csv [--base pairs|density|groups] [--year Y] (also spelt related)\n       " MAP_READING \
	"\n       " MAP_TABLE_OUT
#define U_DRAW \
	"draw STATS.csv --boundaries FILE.geojson [--code-property P] [--name-property P] --industry CODE\n" \
	"       [--indicator lq|employment|share_of_region|share_of_industry|stars|strong|strong10]\n" \
	"       [--year Y] [--base all|traded] [--classes N | --breaks A,B,C] [--title T] [--source S]\n" \
	"       [--indicator growth|regional_shift [--from Y0] [--to Y1] (default: the first and last year)]\n" \
	"       [--lang pl|en|both] [--nuts2013 [--parts NUTS3.geojson]]\n" \
	"       [--band METRES [--star|--no-star] [--row-standardise] (hot and cold spots outlined)]\n" \
	"       " MAP_READING "\n" \
	"       -o MAP.svg|.png|.pdf|.geojson|- [--output-format svg|png|pdf|geojson] (.geojson: the map as a GIS layer)\n" \
	"       " MAP_PROGRESS
#define U_SPATIAL \
	"spatial FIRMS.csv --eps METRES [--min-samples K] [--industry CODE]\n" \
	"       [--id-column C] [--name-column C] [--industry-column C]\n" \
	"       [--map MAP.svg|.png|.pdf|- --boundaries FILE.geojson [--code-property P] [--title T] [--source S]\n" \
	"       [--lang pl|en|both]]\n" \
	"       " MAP_PLACES_OUT
#define U_HOTSPOTS_VALUE \
	"hotspots POINTS.csv --value COLUMN --band METRES [--planar (x, y columns; --band in their unit)]\n" \
	"       [--star|--no-star] [--row-standardise] [--skip-invalid] [--industry CODE]\n" \
	"       [--id-column C] [--name-column C] [--industry-column C]\n       " MAP_PLACES_OUT
#define U_HOTSPOTS_CELL \
	"hotspots FIRMS.csv --cell METRES [--grid degrees|eu] [--within AREA.geojson] [--band METRES (1.5 cells)]\n" \
	"       [--star|--no-star] [--row-standardise] [--industry CODE] [--id-column C] [--name-column C] [--industry-column C]\n" \
	"       [--map MAP.svg|.png|.pdf|- [--boundaries FILE.geojson [--code-property P]] [--title T] [--source S]\n" \
	"       [--lang pl|en|both]]\n" \
	"       " MAP_PLACES_OUT
#define U_HOTSPOTS_REGIONS \
	"hotspots STATS.csv --regions BOUNDARIES.geojson [--code-property P] [--name-property P]\n" \
	"       [--nuts2013 [--parts NUTS3.geojson]] --industry CODE\n" \
	"       [--indicator lq|employment|share_of_region|share_of_industry|stars|strong|strong10\n" \
	"                    |growth|regional_shift] [--year Y] [--base all|traded]\n" \
	"       [--from Y0 --to Y1 (growth, regional_shift)] --band METRES [--star|--no-star] [--row-standardise]\n" \
	"       " MAP_READING "\n       " MAP_PLACES_OUT

const char *const cli_map_usage[] = {
	"map " U_INDICATORS, "map " U_INDICES, "map " U_SHIFT, "map " U_RELATED, "map " U_DRAW, "map " U_SPATIAL,
	"map " U_HOTSPOTS_VALUE, "map " U_HOTSPOTS_CELL, "map " U_HOTSPOTS_REGIONS, NULL
};

const char cli_map_help[] =
	"Cluster mapping on files, no database needed (see docs/MAPPING.md):\n"
	"location quotients, shares, European Cluster Observatory stars and the U.S. Cluster\n"
	"Mapping Project strong rule per region x industry x year; Herfindahl, Krugman, Gini,\n"
	"Hoover and entropy indices (Ellison-Glaeser on firm lists); shift-share between two years;\n"
	"relatedness of industries (pairs, density, groups); choropleth maps (quantile or\n"
	"fixed classes, legend, title, source line; --nuts2013 draws NUTS-2 codes of 2013 and older on\n"
	"NUTS 2021 boundaries through Eurostat's correspondence, and --parts adds the NUTS-3 regions that\n"
	"older regions cut across NUTS-2 are drawn on). Firm points: DBSCAN clusters on the great circle\n"
	"(labels as scikit-learn's haversine DBSCAN) and Getis-Ord Gi / Gi* hot spots (as PySAL esda), of a\n"
	"value on points or, with --regions, of an indicator on the regions' centroids.\n"
	"An input named - is standard input. Every result file is written whole or not at all.\n"
	"A long input (1 MiB or more; DBSCAN: 100000 points or more) shows a progress line on standard\n"
	"error when it is a terminal; --progress shows it wherever standard error goes, --no-progress never.\n"
	"Each command takes only its own options; 'map COMMAND --help' shows its usage alone.";

/* The map commands, one bit each; `hotspots --regions` (statistics on
 * regions) has options of its own and so a bit of its own. */
enum {
	MC_INDICATORS = 1 << 0,
	MC_INDICES = 1 << 1,
	MC_SHIFT = 1 << 2,
	MC_RELATED = 1 << 3,
	MC_DRAW = 1 << 4,
	MC_SPATIAL = 1 << 5,
	MC_HOTSPOTS = 1 << 6,      /* on points: --value or --cell */
	MC_HOTREGIONS = 1 << 7,    /* --regions */
	MC_TABLES = MC_INDICATORS | MC_INDICES | MC_SHIFT,
	MC_STATS = MC_TABLES | MC_RELATED | MC_DRAW | MC_HOTREGIONS,   /* read a statistics file */
	MC_ALL = MC_STATS | MC_SPATIAL | MC_HOTSPOTS
};

/* The commands: a name as typed, its bit, and its usage (a command may have several rows). */
static const struct map_cmd {
	const char *name;
	unsigned bit;
	const char *usage;
} map_cmds[] = {
	{ "indicators", MC_INDICATORS, U_INDICATORS },
	{ "indices", MC_INDICES, U_INDICES },
	{ "shift-share", MC_SHIFT, U_SHIFT },
	{ "relatedness", MC_RELATED, U_RELATED },
	{ "related", MC_RELATED, U_RELATED },
	{ "draw", MC_DRAW, U_DRAW },
	{ "spatial", MC_SPATIAL, U_SPATIAL },
	{ "hotspots", MC_HOTSPOTS, U_HOTSPOTS_VALUE },
	{ "hotspots", MC_HOTSPOTS, U_HOTSPOTS_CELL },
	{ "hotspots", MC_HOTREGIONS, U_HOTSPOTS_REGIONS },
};
#define NMAP_CMDS (sizeof(map_cmds) / sizeof(map_cmds[0]))

/* Every option of the map commands and the commands it belongs to. */
static const struct map_opt {
	const char *name;
	int value;            /* 1: takes a value */
	unsigned cmds;
	const char *same_as;  /* another spelling of this option, or NULL */
} map_opts[] = {
	/* reading a statistics file (cli_map_load) */
	{ "--format", 1, MC_STATS, NULL },
	{ "--sum", 0, MC_STATS, NULL },
	{ "--absent", 1, MC_STATS, NULL },
	{ "--reference", 1, MC_STATS, NULL },
	{ "--crosswalk", 1, MC_STATS, NULL },
	{ "--skip-unmapped", 0, MC_STATS, NULL },
	{ "--skip-invalid", 0, MC_STATS | MC_HOTSPOTS, NULL },
	{ "--region-length", 1, MC_STATS, NULL },
	{ "--industry-length", 1, MC_STATS, NULL },
	{ "--region-prefix", 1, MC_STATS, NULL },
	{ "--industry-names", 1, MC_STATS, NULL },
	/* the result */
	{ "-o", 1, MC_ALL, NULL },
	{ "--output", 1, MC_ALL, "-o" },
	{ "--output-format", 1, MC_ALL, NULL },
	/* what is computed */
	{ "--base", 1, MC_INDICATORS | MC_INDICES | MC_RELATED | MC_DRAW | MC_HOTREGIONS, NULL },
	{ "--year", 1, MC_INDICATORS | MC_INDICES | MC_RELATED | MC_DRAW | MC_HOTREGIONS, NULL },
	{ "--from", 1, MC_SHIFT | MC_DRAW | MC_HOTREGIONS, NULL },
	{ "--to", 1, MC_SHIFT | MC_DRAW | MC_HOTREGIONS, NULL },
	{ "--industry", 1, MC_DRAW | MC_SPATIAL | MC_HOTSPOTS | MC_HOTREGIONS, NULL },
	{ "--indicator", 1, MC_DRAW | MC_HOTREGIONS, NULL },
	{ "--region", 1, MC_INDICATORS, NULL },
	/* boundaries and maps */
	{ "--boundaries", 1, MC_TABLES | MC_DRAW | MC_SPATIAL | MC_HOTSPOTS, NULL },
	{ "--regions", 1, MC_HOTREGIONS, NULL },
	{ "--region-names", 1, MC_TABLES, NULL },
	{ "--code-property", 1, MC_TABLES | MC_DRAW | MC_SPATIAL | MC_HOTSPOTS | MC_HOTREGIONS, NULL },
	{ "--name-property", 1, MC_TABLES | MC_DRAW | MC_HOTREGIONS, NULL },
	{ "--nuts2013", 0, MC_TABLES | MC_DRAW | MC_HOTREGIONS, NULL },
	{ "--parts", 1, MC_TABLES | MC_DRAW | MC_HOTREGIONS, NULL },
	{ "--classes", 1, MC_DRAW, NULL },
	{ "--breaks", 1, MC_DRAW, NULL },
	{ "--title", 1, MC_DRAW | MC_SPATIAL | MC_HOTSPOTS, NULL },
	{ "--lang", 1, MC_DRAW | MC_SPATIAL | MC_HOTSPOTS, NULL },
	{ "--source", 1, MC_DRAW | MC_SPATIAL | MC_HOTSPOTS, NULL },
	{ "--map", 1, MC_SPATIAL | MC_HOTSPOTS, NULL },
	/* firm points */
	{ "--id-column", 1, MC_SPATIAL | MC_HOTSPOTS, NULL },
	{ "--name-column", 1, MC_SPATIAL | MC_HOTSPOTS, NULL },
	{ "--industry-column", 1, MC_SPATIAL | MC_HOTSPOTS, NULL },
	{ "--eps", 1, MC_SPATIAL, NULL },
	{ "--min-samples", 1, MC_SPATIAL, NULL },
	{ "--value", 1, MC_HOTSPOTS, NULL },
	{ "--cell", 1, MC_HOTSPOTS, NULL },
	{ "--planar", 0, MC_HOTSPOTS, NULL },
	{ "--grid", 1, MC_HOTSPOTS, NULL },
	{ "--within", 1, MC_HOTSPOTS, NULL },
	/* Getis–Ord */
	{ "--band", 1, MC_HOTSPOTS | MC_HOTREGIONS | MC_DRAW, NULL },
	{ "--star", 0, MC_HOTSPOTS | MC_HOTREGIONS | MC_DRAW, NULL },
	{ "--no-star", 0, MC_HOTSPOTS | MC_HOTREGIONS | MC_DRAW, NULL },
	{ "--row-standardise", 0, MC_HOTSPOTS | MC_HOTREGIONS | MC_DRAW, NULL },
	/* the progress line on standard error (map_progress) */
	{ "--progress", 0, MC_ALL, NULL },
	{ "--no-progress", 0, MC_ALL, NULL },
};
#define NMAP_OPTS (sizeof(map_opts) / sizeof(map_opts[0]))

/* The row of an argument that names an option ("--year" or "--year=…"), or -1. */
static int map_opt_of(const char *arg)
{
	size_t k, n;
	for (k = 0; k < NMAP_OPTS; k++) {
		n = strlen(map_opts[k].name);
		if (strncmp(arg, map_opts[k].name, n) == 0 && (!arg[n] || arg[n] == '='))
			return (int)k;
	}
	return -1;
}

/* The row of the canonical spelling of option k. */
static size_t map_opt_canon(size_t k)
{
	int j = map_opts[k].same_as ? map_opt_of(map_opts[k].same_as) : -1;
	return j < 0 ? k : (size_t)j;
}

/* "map indices", "map hotspots --regions", "map hotspots without --regions": the command in messages. */
static const char *map_cmd_title(const char *what, unsigned bit, char *buf, size_t size)
{
	snprintf(buf, size, "map %s%s", what, bit == MC_HOTREGIONS ? " --regions"
					       : bit == MC_HOTSPOTS ? " without --regions" : "");
	return buf;
}

/* A table's -o NAME with --output-format F: an ending of NAME that names a table format must
 * be F (map draw checks its map formats itself, draw.h being klaster's). */
static int out_agrees(struct cmd_ctx *c, const char *out, const char *fmtname)
{
	const char *end = outfile_ending(out);
	enum tablew_format f;
	if (!out || !fmtname || !*end || strcasecmp(end, fmtname) == 0)
		return 0;
	if (tablew_format_by_name(end, &f) == 0)
		return kerr_set(c->e, KERR_USAGE, "-o %s ends in .%s but --output-format says %s: give one of "
				"them, or make them agree", out, end, fmtname);
	return 0;
}

int cli_map_command_known(struct kerr *e, const char *what)
{
	size_t k;
	for (k = 0; k < NMAP_CMDS; k++)
		if (strcmp(map_cmds[k].name, what) == 0)
			return 0;
	if (!*what)
		return kerr_set(e, KERR_USAGE, "map needs a command: indicators, indices, shift-share, relatedness, "
				"draw, spatial or hotspots (klaster map --help)");
	return kerr_set(e, KERR_USAGE, "map what? indicators, indices, shift-share, relatedness, draw, "
			"spatial or hotspots, not '%s' (see --help)", what);
}

int cli_map_check(struct cmd_ctx *c, const char *what)
{
	const char *val[NMAP_OPTS];
	int spelt[NMAP_OPTS];   /* how each option given was spelt (its row) */
	char title[64];
	unsigned bit = 0;
	size_t k;
	int i, m;

	if (cli_map_command_known(c->e, what))
		return -1;
	for (k = 0; k < NMAP_CMDS && !bit; k++)
		if (strcmp(map_cmds[k].name, what) == 0)
			bit = map_cmds[k].bit;
	if (bit == MC_HOTSPOTS)
		for (i = 0; i < c->argc; i++)
			if (map_opt_of(c->argv[i]) == map_opt_of("--regions"))
				bit = MC_HOTREGIONS;
	map_cmd_title(what, bit, title, sizeof(title));
	memset(val, 0, sizeof(val));
	for (i = 0; i < c->argc; i++) {
		const char *a = c->argv[i], *eq;
		if (a[0] != '-' || !a[1])
			continue;   /* the input ("-": standard input) */
		if ((m = map_opt_of(a)) < 0)
			return kerr_set(c->e, KERR_USAGE, "unknown option '%s' of %s (see --help)", a, title);
		if (!(map_opts[m].cmds & bit))
			return kerr_set(c->e, KERR_USAGE, "%s does not apply to %s (see --help)", map_opts[m].name, title);
		k = map_opt_canon((size_t)m);
		if (val[k])
			return kerr_set(c->e, KERR_USAGE, "%s is given twice%s%s%s", map_opts[m].name,
					spelt[k] != m ? " (also as " : "", spelt[k] != m ? map_opts[spelt[k]].name : "",
					spelt[k] != m ? ")" : "");
		spelt[k] = m;
		eq = strchr(a, '=');
		if (!map_opts[m].value) {
			if (eq)
				return kerr_set(c->e, KERR_USAGE, "%s takes no value", map_opts[m].name);
			val[k] = "";
		} else if (eq) {
			val[k] = eq + 1;
		} else if (i + 1 == c->argc || strncmp(c->argv[i + 1], "--", 2) == 0) {
			return kerr_set(c->e, KERR_USAGE, "%s needs a value", map_opts[m].name);
		} else {
			val[k] = c->argv[++i];
		}
	}
#define GIVEN(name) val[map_opt_of(name)]
	if (GIVEN("--classes") && GIVEN("--breaks"))
		return kerr_set(c->e, KERR_USAGE, "--classes and --breaks do not go together: --breaks A,B,C sets "
				"the classes (one more than the breaks)");
	if (GIVEN("--lang") && draw_lang_by_name(GIVEN("--lang"), &(enum draw_lang){ 0 }))
		return kerr_set(c->e, KERR_USAGE, "--lang must be pl, en or both, not '%s'", GIVEN("--lang"));
	if (GIVEN("--star") && GIVEN("--no-star"))
		return kerr_set(c->e, KERR_USAGE, "--star and --no-star do not go together");
	if (GIVEN("--progress") && GIVEN("--no-progress"))   /* as import says it (main.c) */
		return kerr_set(c->e, KERR_USAGE, "--progress and --no-progress contradict each other: give one");
	if (bit == MC_DRAW && !GIVEN("--band") && (GIVEN("--star") || GIVEN("--no-star") || GIVEN("--row-standardise")))
		return kerr_set(c->e, KERR_USAGE, "map draw: %s goes with --band METRES (the hot spots outlined)",
				GIVEN("--star") ? "--star" : GIVEN("--no-star") ? "--no-star" : "--row-standardise");
	if (bit == MC_DRAW && (GIVEN("--output-format") ? strcasecmp(GIVEN("--output-format"), "geojson") == 0
					     : GIVEN("-o") && strcasecmp(outfile_ending(GIVEN("-o")), "geojson") == 0)) {
		/* the map as a GIS layer holds every indicator of the table: no picture, so none of the
		 * picture's options has anything to act on (a GIS classes and titles the layer itself) */
		static const char *const picture[] = { "--classes", "--breaks", "--title", "--source", "--lang" };
		size_t j;
		for (j = 0; j < sizeof(picture) / sizeof(*picture); j++)
			if (GIVEN(picture[j]))
				return kerr_set(c->e, KERR_USAGE, "map draw: %s is an option of the picture (.svg, .png, .pdf), "
						"and -o FILE.geojson writes the map as a layer for a GIS, with every "
						"indicator and without classes, title, source line or legend: leave out %s, "
						"or draw a picture", picture[j], picture[j]);
	}
	if (bit != MC_DRAW && out_agrees(c, GIVEN("-o"), GIVEN("--output-format")))
		return -1;
	if (bit != MC_DRAW && GIVEN("--output-format") && strcasecmp(GIVEN("--output-format"), "xlsx") == 0 &&
	    (!GIVEN("-o") || outfile_is_stdout(GIVEN("-o"))))
		/* said before anything is read, as the other clashes of options are */
		return kerr_set(c->e, KERR_USAGE, "an XLSX table needs an output file (-o FILE.xlsx)");
	if (bit != MC_DRAW && GIVEN("-o") && outfile_in_place(GIVEN("-o")) &&
	    (GIVEN("--output-format") ? strcasecmp(GIVEN("--output-format"), "xlsx") == 0
				      : strcasecmp(outfile_ending(GIVEN("-o")), "xlsx") == 0))
		/* a zip file is written with seeks (tablew_open says the same after reading) */
		return kerr_set(c->e, KERR_USAGE, "an XLSX table needs a regular file, not %s",
				cli_shown_name(c, GIVEN("-o")));
	if (bit == MC_SPATIAL) {
		const char *map = GIVEN("--map");
		if (map && !GIVEN("--boundaries"))
			return kerr_set(c->e, KERR_USAGE, "map spatial --map draws the firms over boundaries: give "
					"--boundaries FILE.geojson too");
		if (GIVEN("--boundaries") && !map)
			return kerr_set(c->e, KERR_USAGE, "map spatial --boundaries goes with --map MAP.svg|png|pdf");
		if (!GIVEN("--map") && (GIVEN("--title") || GIVEN("--source") || GIVEN("--code-property") || GIVEN("--lang")))
			return kerr_set(c->e, KERR_USAGE, "map spatial: %s goes with --map and --boundaries",
					GIVEN("--title") ? "--title" : GIVEN("--source") ? "--source" : GIVEN("--lang") ? "--lang"
					: "--code-property");
	}
	if (GIVEN("--skip-unmapped") && !GIVEN("--crosswalk"))
		/* it skips industries the crosswalk does not map: without one it would mean nothing */
		return kerr_set(c->e, KERR_USAGE, "%s: --skip-unmapped goes with --crosswalk XWALK.csv", title);
	if ((bit & MC_TABLES) && GIVEN("--code-property") && !GIVEN("--boundaries") && !GIVEN("--region-names"))
		return kerr_set(c->e, KERR_USAGE, "%s: --code-property goes with --boundaries or --region-names", title);
	if (bit & MC_TABLES) {
		static const char *const named[] = { "--name-property", "--nuts2013", "--parts" };
		size_t j;
		for (j = 0; j < sizeof(named) / sizeof(*named); j++)
			if (GIVEN(named[j]) && !GIVEN("--region-names"))
				return kerr_set(c->e, KERR_USAGE, "%s: %s goes with --region-names FILE.geojson", title,
						named[j]);
		if (GIVEN("--parts") && !GIVEN("--nuts2013"))
			return kerr_set(c->e, KERR_USAGE, "%s: --parts goes with --nuts2013", title);
		if (GIVEN("--region-names") && strcmp(GIVEN("--region-names"), "-") == 0)
			return kerr_set(c->e, KERR_USAGE, "%s: --region-names reads a GeoJSON file, not standard input",
					title);
		if (GIVEN("--region-names") && bit == MC_INDICES && GIVEN("--base") &&
		    strcmp(GIVEN("--base"), "industry") == 0)
			return kerr_set(c->e, KERR_USAGE, "%s: --base industry gives one row per industry, without "
					"regions: --region-names does not apply", title);
	}
#undef GIVEN
	return 0;
}

int cli_map_print_usage(FILE *f, const char *prefix, const char *what)
{
	size_t k;
	int n = 0;
	for (k = 0; k < NMAP_CMDS; k++) {
		if (what ? strcmp(map_cmds[k].name, what) != 0 : strcmp(map_cmds[k].name, "related") == 0)
			continue;
		fprintf(f, "%s%s%s\n", n ? "       " : "usage: ", prefix, map_cmds[k].usage);
		n++;
	}
	return n ? 0 : -1;
}

/* A year given as --year, --from or --to: 1 to 9999, as the data's years are (year 0 is no year of
 * the data: a file without a year column is one period, computed without --year, and --year 0 says
 * so); *year is left as it is when v is NULL. */
int cli_map_year(struct cmd_ctx *c, const char *opt, const char *v, int *year)
{
	long y = 0;
	const char *p;
	if (!v)
		return 0;
	for (p = v; *p && isdigit((unsigned char)*p) && y <= 9999; p++)
		y = y * 10 + (*p - '0');
	if (*v && !*p && y == 0 && strcmp(opt, "--year") == 0)
		return kerr_set(c->e, KERR_USAGE, "--year must be a year from 1 to 9999, not '%s' (data without a "
				"year column is one period: leave --year out)", v);
	if (!*v || *p || y < 1 || y > 9999)
		return kerr_set(c->e, KERR_USAGE, "%s must be a year from 1 to 9999, not '%s'", opt, v);
	*year = (int)y;
	return 0;
}

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

const char *cli_map_input_name(struct cmd_ctx *c, const char *path)
{
	return strcmp(path, "-") == 0 ? "standard input" : cli_shown_name(c, path);
}

const char *cli_map_open_path(const char *path)
{
	return strcmp(path, "-") == 0 ? "/dev/stdin" : path;
}

void cli_map_name_stdin(struct kerr *e)
{
	const char *tmp = "/dev/stdin", *name = "standard input";
	char out[sizeof(e->msg)];
	const char *p = e->msg, *q;
	size_t n = 0, lt = strlen(tmp), ln = strlen(name);
	while ((q = strstr(p, tmp)) && n + (size_t)(q - p) + ln < sizeof(out)) {
		memcpy(out + n, p, (size_t)(q - p));
		n += (size_t)(q - p);
		memcpy(out + n, name, ln);
		n += ln;
		p = q + lt;
	}
	snprintf(out + n, sizeof(out) - n, "%s", p);
	memcpy(e->msg, out, sizeof(out));
}

/* 1 when path is read by name (a regular file, or one that cannot be opened: the reader says
 * why); 0 for standard input ("-"), pipes, sockets and devices, which are read only once. */
static int input_by_name(const char *path)
{
	struct stat sb;
	if (strcmp(path, "-") == 0)
		return 0;
	return stat(path, &sb) != 0 || S_ISREG(sb.st_mode);
}

/* --boundaries on a file that names its regions: counts the firms placed by the boundaries. */
struct locate_count {
	const char *(*locate)(void *ctx, double lat, double lon);
	void *ctx;
	long calls;
};

static const char *locate_counted(void *ctx, double lat, double lon)
{
	struct locate_count *l = ctx;
	l->calls++;
	return l->locate(l->ctx, lat, lon);
}

/* A side input (--reference, --crosswalk, --industry-names) named "-" is standard input, read
 * through /dev/stdin (cli_map_open_path); one input at most may be it. */
static const char *side_input(const char *path, int *stdin_users)
{
	if (!path)
		return NULL;
	*stdin_users += strcmp(path, "-") == 0;
	return cli_map_open_path(path);
}

/* What a file gave (a value, a name quoted in a notice) as a terminal shows it safely (esc_terminal). */
static const char *data_shown(struct buf *b, const char *s)
{
	buf_reset(b);
	esc_terminal(b, s);
	return b->ptr;
}

static int map_load(struct cmd_ctx *c, const struct map_args *a_, struct cube *cube);

int cli_map_load(struct cmd_ctx *c, const struct map_args *a_, struct cube *cube)
{
	const char *side[] = { a_->ref, a_->crosswalk, a_->industry_names };
	size_t k;
	if (map_load(c, a_, cube) == 0)
		return 0;
	/* a side input from standard input is read as /dev/stdin: its messages name standard input */
	for (k = 0; k < sizeof(side) / sizeof(side[0]); k++)
		if (side[k] && strcmp(side[k], "-") == 0)
			cli_map_name_stdin(c->e);
	/* a region x industry x year (or a reference cell) given twice, refused by the cube (its
	 * message: "… given twice (first at line 2)", where the crosswalk's and the firm list's say
	 * "is given twice"): every command here takes --sum, which adds them; the portal's upload,
	 * which shares the message, has no such option, so the hint is the command line's */
	if (c->e->kind == KERR_CONFLICT && !a_->sum && strstr(c->e->msg, " given twice (") &&
	    !strstr(c->e->msg, " is given twice (")) {
		char msg[sizeof(c->e->msg)];
		memcpy(msg, c->e->msg, sizeof(msg));
		kerr_set(c->e, KERR_CONFLICT, "%s; --sum adds such rows together", msg);
	}
	return -1;
}

static int map_load(struct cmd_ctx *c, const struct map_args *a_, struct cube *cube)
{
	struct stats_opts o;
	struct stats_counts counts;
	struct locate_count lc = { a_->locate, a_->locate_ctx, 0 };
	const char *name = cli_map_input_name(c, a_->input);
	struct map_args side = *a_;
	const struct map_args *a = &side;
	int stdin_users = strcmp(a_->input, "-") == 0;
	long named = 0;
	char file_code[32] = "";
	side.ref = side_input(a_->ref, &stdin_users);
	side.crosswalk = side_input(a_->crosswalk, &stdin_users);
	side.industry_names = side_input(a_->industry_names, &stdin_users);
	if (stdin_users > 1)
		return kerr_set(c->e, KERR_USAGE, "only one input can be read from standard input ('-')");
	memset(&o, 0, sizeof(o));
	o.fmt = STATS_AUTO;
	if (a->format && stats_format_by_name(a->format, &o.fmt, c->e))
		return -1;
	o.crosswalk_path = a->crosswalk;
	o.ref_path = a->ref;
	{
		/* --year, or --from and --to: only those years are computed, so only they must be valid
		 * (a reference of one year) and only they count in the notices */
		const char *yv[2] = { a->year ? a->year : a->from, a->year ? NULL : a->to };
		int draw_change = a->what && strcmp(a->what, "draw") == 0 && a->indicator &&
				  (strcmp(a->indicator, "growth") == 0 || strcmp(a->indicator, "regional_shift") == 0);
		size_t k;
		for (k = 0; k < 2 && yv[k]; k++) {
			char *end;
			long y = strtol(yv[k], &end, 10);
			if (*end || !*yv[k] || y < 1 || y > 9999 || (!a->year && (!a->from || !a->to)))
				break;
			o.years[o.nyears++] = (int)y;
		}
		if (k < 2 && yv[k])
			o.nyears = 0;   /* one of them is not a year: cli_map_year says so */
		/* the commands that show one year show the latest without --year (a map of change: two) */
		o.latest_year = !a->year && a->what && !draw_change &&
				(strcmp(a->what, "draw") == 0 || strcmp(a->what, "relatedness") == 0 ||
				 strcmp(a->what, "related") == 0 || strcmp(a->what, "hotspots") == 0);
	}
	/* growth from nothing (a region that had no employment in the first year) is shift-share's to show */
	o.zero_regions = a->what && (strcmp(a->what, "shift-share") == 0 || strcmp(a->what, "indices") == 0 ||
				     (strcmp(a->what, "draw") == 0 && a->indicator &&
				      (strcmp(a->indicator, "growth") == 0 || strcmp(a->indicator, "regional_shift") == 0)));
	/* the others compute location quotients (or relatedness), which a region without any value
	 * in a year computed has not: refused as it is read, naming the file's column */
	o.refuse_empty = !o.zero_regions;
	o.sum = a->sum;
	if (a->absent && strcmp(a->absent, "zero") != 0 && strcmp(a->absent, "missing") != 0)
		return kerr_set(c->e, KERR_USAGE, "--absent must be zero (a row the file leaves out is 0, as in a "
				"register) or missing (unknown, the default), not '%s'", a->absent);
	o.absent_zero = a->absent && strcmp(a->absent, "zero") == 0;
	o.skip_unmapped = a->skip_unmapped;
	o.skip_invalid = a->skip_invalid;
	o.region_prefix = a->region_prefix;
	if (map_code_len(c, "--region-length", a->region_len, &o.region_len) ||
	    map_code_len(c, "--industry-length", a->industry_len, &o.industry_len))
		return -1;
	o.progress = a->no_progress ? NULL : stderr;   /* on a terminal, for a long file (stats.h) */
	if (a->locate) {
		o.locate = locate_counted;
		o.locate_ctx = &lc;
	}
	o.plants = a->plants;
	/* standard input, a pipe or a device is read once as it comes (stats.h: whole up to
	 * STATS_PIPE_WHOLE bytes, else with memory bounded), named as the command line names it */
	if (input_by_name(a->input) ? stats_load(a->input, &o, cube, &counts, c->e)
				    : stats_load_named(cli_map_open_path(a->input), name, &o, cube, &counts, c->e))
		return -1;
	if (a->industry_names &&
	    (named = stats_industry_names(cube, a->industry_names, file_code, c->e)) < 0) {
		cube_release(cube);
		return -1;
	}
	struct buf shown = BUF_INIT;   /* data_shown's */
	fprintf(stderr, "%s: %ld %s, %zu %s x %zu %s x %zu %s%s\n", name, counts.rows,
		plural(counts.rows, "row", "rows"), cube->nreg, plural((long long)cube->nreg, "region", "regions"),
		cube->nind, plural((long long)cube->nind, "industry", "industries"), cube->nyear,
		plural((long long)cube->nyear, "year", "years"), counts.missing ? " (some cells missing)" : "");
	if (a->industry_names && named == 0 && cube->nind)
		/* codes of another form (NACE's C10 against PKD's 10) or of another level */
		fprintf(stderr, "%s: industry names from %s: none of the %zu industries is named: the data's codes "
			"are like %s, the file's like %s; give a names file of the data's classification and level\n",
			name, cli_map_input_name(c, a_->industry_names), cube->nind, cube->ind[0], file_code);
	else if (a->industry_names)
		fprintf(stderr, "%s: industry names from %s: %ld of %zu %s named\n", name,
			cli_map_input_name(c, a_->industry_names), named,
			cube->nind, plural((long long)cube->nind, "industry", "industries"));
	{
		/* PL, PL1 and PL11 in one file: levels of one classification add up more than once */
		static const struct { const char *what, *opt; } lv[2] = { { "region", "--region-length" },
									  { "industry", "--industry-length" } };
		int k;
		for (k = 0; k < 2; k++) {
			const char *outer, *inner;
			size_t n = k ? cube_nested_codes(cube->ind, cube->nind, &outer, &inner)
				     : cube_nested_codes(cube->reg, cube->nreg, &outer, &inner);
			if (n)
				fprintf(stderr, "%s: %zu %s %s the start of a longer one (first: %s of %s): if they are "
					"levels of one classification (NUTS, TERYT, PKD, NACE), every total counts them "
					"more than once; keep one level with %s N\n", name, n, lv[k].what,
					n == 1 ? "code is" : "codes are", outer, inner, lv[k].opt);
		}
	}
	if (cube->nreg == 1 && !cube->ref && a->what &&
	    (strcmp(a->what, "indicators") == 0 || strcmp(a->what, "draw") == 0))
		fprintf(stderr, "%s: one region: compared with itself, its location quotients are all 1; give the "
			"economy it belongs to (--reference) or a file of more regions\n", name);
	if (counts.partial > 0 && (a->sum || a->crosswalk))
		/* a sum over parts of which some are missing is the known parts' total (cube.h, put_value);
		 * a cell whose every part is missing stays missing, and is no lower bound */
		fprintf(stderr, "%s: %ld %s (%s%s): where rows are added up (--sum) or a crosswalk adds missing "
			"values to known ones, the cell holds the known ones' total, a lower bound of the true one "
			"(a cell whose every part is missing stays missing)\n", name, counts.partial,
			plural(counts.partial, "cell is a lower bound", "cells are lower bounds"),
			counts.partial == 1 ? "" : "first: ", counts.first_partial);
	if (counts.partial_est > 0 && (a->sum || a->crosswalk))
		/* the same of establishments, which the strong rule's test compares with a percentile */
		fprintf(stderr, "%s: establishments of %ld %s (%s%s): rows added up gave some and left others out, "
			"so the cell holds the known ones' total, a lower bound, which the strong rule's "
			"establishment test takes as it is\n", name, counts.partial_est,
			plural(counts.partial_est, "cell are a lower bound", "cells are lower bounds"),
			counts.partial_est == 1 ? "" : "first: ", counts.first_partial_est);
	if (counts.renamed)
		fprintf(stderr, "%s: %ld %s gave a code another name than before (first: %s): the last name given "
			"is used\n", name, counts.renamed, plural(counts.renamed, "row", "rows"),
			data_shown(&shown, counts.first_renamed));
	if (counts.industry_dim[0] && !counts.industry_dim_named)
		fprintf(stderr, "%s: the industries are the values of the column \"%s\", whose name does not say "
			"PKD or NACE: check that they are industries\n", name, counts.industry_dim);
	if (counts.zero_restored)
		fprintf(stderr, "%s: %ld %s: a Kod of 11 digits (first: %s) lost its leading zero, as a spreadsheet "
			"drops it from a number: read as 0%s (BDL codes have 12 digits); keep Kod as text when the "
			"export is opened in a spreadsheet\n", name, counts.zero_restored,
			plural(counts.zero_restored, "row", "rows"), counts.first_zero_restored, counts.first_zero_restored);
	if (counts.teryt)
		fprintf(stderr, "%s: %ld %s: the BDL unit codes are read as TERYT codes (first: %s), the codes of the "
			"shipped boundaries\n", name, counts.teryt, plural(counts.teryt, "row", "rows"), counts.first_teryt);
	if (counts.national)
		fprintf(stderr, "%s: %ld %s of the nation (a Kod of zeros) %s the reference economy the regions are "
			"compared with\n", name, counts.national, plural(counts.national, "row", "rows"),
			counts.national == 1 ? "is" : "are");
	if (counts.totals)
		fprintf(stderr, "%s: %ld %s of totals skipped (first: %s): klaster adds up the %s itself\n", name,
			counts.totals, plural(counts.totals, "row", "rows"), counts.first_total,
			a->ref ? "industries (and the nation's rows: --reference gives the nation)" : "industries");
	if (counts.unmapped)
		fprintf(stderr, "%s: %ld %s skipped: industry not in the crosswalk (first: %s)\n", name,
			counts.unmapped, plural(counts.unmapped, "row", "rows"), data_shown(&shown, counts.first_unmapped));
	if (counts.filtered)
		fprintf(stderr, "%s: %ld %s left out by the region and industry filters\n", name,
			counts.filtered, plural(counts.filtered, "row", "rows"));
	if (counts.invalid)
		fprintf(stderr, "%s: %ld %s skipped: not %s (first: %s)\n", name, counts.invalid,
			plural(counts.invalid, "value", "values"), plural(counts.invalid, "a valid number", "valid numbers"),
			data_shown(&shown, counts.first_invalid));
	if (counts.left_out)
		fprintf(stderr, "%s: %ld %s left out of a year in which every value is missing or zero "
			"(first: %s)\n", name, counts.left_out, plural(counts.left_out, "region", "regions"),
			counts.first_left_out);
	if (counts.ref_gaps) {
		/* a cluster's reference without some of its codes would be a lower bound (stats.c, xw_ref_gaps) */
		const char *ref = a->ref ? cli_map_input_name(c, a_->ref) : counts.ref_file;
		fprintf(stderr, "%s%s%ld %s of the crosswalk that the data gives %s not in the reference economy "
			"(%s%s): %s leaves its cluster's reference value unknown, as a code the reference gives as "
			"unknown does\n", ref, *ref ? ": " : "", counts.ref_gaps, plural(counts.ref_gaps, "code", "codes"),
			counts.ref_gaps == 1 ? "is" : "are", counts.ref_gaps == 1 ? "" : "first: ", counts.first_ref_gap,
			counts.ref_gaps == 1 ? "it" : "each");
	}
	{
		struct buf nb = BUF_INIT;
		if (stats_ref_unknown_notice(&nb, a->ref ? cli_map_input_name(c, a_->ref) : NULL, &counts, a->what))
			fprintf(stderr, "%s\n", nb.ptr);
		buf_release(&nb);
	}
	if (counts.unknown_size)
		fprintf(stderr, "%s: %ld firm%s of unknown size (first on line %ld): counted as establishment%s, "
			"without employment\n", name, counts.unknown_size, counts.unknown_size == 1 ? "" : "s",
			counts.first_unknown_size, counts.unknown_size == 1 ? "" : "s");
	if (counts.outside)
		fprintf(stderr, "%s: %ld %s outside every region of the boundaries skipped (first on line %ld)\n",
			name, counts.outside, plural(counts.outside, "firm", "firms"), counts.first_outside);
	if (a->locate && !lc.calls && counts.rows > 0)
		fprintf(stderr, "%s: the file names the region of every row (a region column): --boundaries is "
			"not used\n", name);
	buf_release(&shown);
	if (a->region_names) {
		if (!a->name_regions) {
			cube_release(cube);
			return kerr_set(c->e, KERR_USAGE, "--region-names reads GeoJSON: run the command with klaster");
		}
		if (a->name_regions(a_, cube, name, c->e)) {
			cube_release(cube);
			return -1;
		}
	}
	return 0;
}

/* The table format -o and --output-format ask for: 0, or -1 (KERR_USAGE) naming the option. */
static int table_format(struct cmd_ctx *c, const struct map_args *a, enum tablew_format *f)
{
	if (a->fmtname && tablew_format_by_name(a->fmtname, f))
		return kerr_set(c->e, KERR_USAGE, "--output-format must be csv, json or xlsx%s, not '%s'",
				a->places ? " (or geojson)" : "", a->fmtname);
	if (!a->fmtname && tablew_format_for_path(a->out, f))
		return kerr_set(c->e, KERR_USAGE, "-o %s: a table is written as .csv, .json or .xlsx%s; name the "
				"file so, or give --output-format csv|json|xlsx%s", a->out, a->places ? " (or .geojson)" : "",
				a->places ? "|geojson" : "");
	if (*f == TABLEW_GEOJSON && !a->places && a->planar)
		/* points of the plane: GeoJSON's coordinates are longitudes and latitudes */
		return kerr_set(c->e, KERR_USAGE, "%s%s: GeoJSON holds longitudes and latitudes, and --planar x, y "
				"are none: write .csv, .json or .xlsx (without --planar, map %s writes GeoJSON)",
				a->fmtname ? "--output-format " : "-o ", a->fmtname ? a->fmtname : a->out,
				a->what ? a->what : "…");
	if (*f == TABLEW_GEOJSON && !a->places)
		/* a table of regions × industries has no places of its own */
		return kerr_set(c->e, KERR_USAGE, "%s%s: GeoJSON holds places, and map %s writes a table without "
				"them: write .csv, .json or .xlsx (map spatial and map hotspots write GeoJSON)",
				a->fmtname ? "--output-format " : "-o ", a->fmtname ? a->fmtname : a->out,
				a->what ? a->what : "…");
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

/* A number above 0 for a required option (--eps, --band): opt is its name, unit
 * what its value is ("METRES"). */
static int map_positive(struct cmd_ctx *c, const char *what, const char *opt, const char *unit, const char *v,
			double *out)
{
	char *end;
	if (!v)
		return kerr_set(c->e, KERR_USAGE, "map %s needs %s %s", what, opt, unit);
	errno = 0;
	/* decimal only: strtod would also read 0x10 as 16 and inf or nan */
	*out = strspn(v, "0123456789.eE+-") == strlen(v) ? strtod(v, &end) : NAN;
	if (!isnan(*out) && *v && !*end && (isinf(*out) || errno == ERANGE) && *out >= 1)
		return kerr_set(c->e, KERR_USAGE, "%s %s is too large a number (write it in %s)", opt, v, unit);
	if (!isnan(*out) && *v && !*end && errno == ERANGE && *v != '-')
		/* below the smallest number of full precision (1e-320) or below every number (1e-400):
		 * an underflow, not "too large" nor a value of 0 or less as written */
		return kerr_set(c->e, KERR_USAGE, "%s %s is too small a number to compute with (write it in %s)", opt, v,
				unit);
	if (!*v || isnan(*out) || *end || errno || !(*out > 0) || !isfinite(*out))
		return kerr_set(c->e, KERR_USAGE, "%s must be a number above 0, not '%s'", opt, v);
	return 0;
}

/* What --row-standardise's z-scores are (docs/MAPPING.md, "Getis–Ord hot spots"), on stderr. */
static void row_std_notice(void)
{
	fputs("note: --row-standardise: z and p as PySAL esda's G_Local computes them (the variance of binary "
	      "weights, with W_i = 1), smaller than with binary weights: Ord and Getis (1995) and R spdep's "
	      "localG give the binary weights' z for row-standardised ones too (a row scaled is the same test)\n",
	      stderr);
}

int cli_map_gi_opts(struct cmd_ctx *c, int planar, double band_default, struct spatial_getis_ord_opts *go)
{
	const char *band = opt_value(c, "--band");
	int star = opt_flag(c, "--star"), no_star = opt_flag(c, "--no-star");
	memset(go, 0, sizeof(*go));
	if (star && no_star)
		return kerr_set(c->e, KERR_USAGE, "--star and --no-star do not go together");
	go->star = !no_star;
	go->row_standardise = opt_flag(c, "--row-standardise");
	if (go->row_standardise)
		row_std_notice();
	go->metric = planar ? SPATIAL_PLANAR : SPATIAL_GEO;
	if (!band && band_default > 0) {
		go->band = band_default;
		return 0;
	}
	return map_positive(c, "hotspots", "--band", planar ? "DISTANCE (in the unit of x and y)" : "METRES", band,
			    &go->band);
}


/* Takes --progress and --no-progress (both at once were refused by cli_map_check) out of c: the
 * progress line of every reader and of DBSCAN from now on, on standard error whatever it is, or
 * never, or (neither given) when it is a terminal (progress_set_mode). */
static void map_progress(struct cmd_ctx *c, struct map_args *a)
{
	int on = opt_flag(c, "--progress");
	a->no_progress = opt_flag(c, "--no-progress");
	progress_set_mode(on ? PROGRESS_ALWAYS : a->no_progress ? PROGRESS_NEVER : PROGRESS_ON_TERMINAL);
}

/* spatial_firms_load on path ("-": standard input); messages name the input as given. */
static int points_load(struct cmd_ctx *c, const char *path, const struct spatial_firms_opts *fo,
		       struct spatial_firms *f)
{
	/* the reader takes a pipe as it comes (its first line, then the rest), as import firms does */
	if (strcmp(path, "-") != 0)
		return spatial_firms_load(path, fo, f, c->e);
	if (spatial_firms_load(cli_map_open_path(path), fo, f, c->e) == 0)
		return 0;
	cli_map_name_stdin(c->e);
	return -1;
}

/* map hotspots --cell: the grid may have this many cells, and the band is
 * this many cells unless --band is given (as on the portal's firm maps). */
#define GRID_MAX_CELLS 1000000
#define GRID_BAND_CELLS 1.5

/* map spatial | map hotspots: firm points (spatial.h, docs/MAPPING.md "Firm points"). */
void cli_map_default_source(char *out, size_t size, const char *input, const char *boundaries, const char *lang)
{
	const char *in = strrchr(input, '/'), *bd = boundaries ? strrchr(boundaries, '/') : NULL;
	int pl = lang && strcmp(lang, "pl") == 0;
	in = in ? in + 1 : input;
	bd = bd ? bd + 1 : boundaries;
	if (bd)
		snprintf(out, size, pl ? "Dane: %.120s; granice: %.120s" : "Data: %.120s; boundaries: %.120s", in, bd);
	else
		snprintf(out, size, pl ? "Dane: %.120s" : "Data: %.120s", in);
}

/* The map options of map spatial | map hotspots (what; opt the option that asks for a map),
 * checked before anything is read: klaster draws it (draw_points), its format, and the map
 * and the table not both on standard output. */
static int points_map_check(struct cmd_ctx *c, const struct map_args *a, const char *what, const char *opt,
			    cli_map_draw_points_fn draw_points)
{
	if (!draw_points)
		return kerr_set(c->e, KERR_USAGE, "map %s %s draws a map: run it with klaster", what, opt);
	if (draw_points(c, a, NULL))
		return -1;
	if (a->breaks && outfile_is_stdout(a->breaks) && outfile_is_stdout(a->out))
		return kerr_set(c->e, KERR_USAGE, "map %s: the map (--map -) and the table cannot both go to standard "
				"output: give the table a file with -o", what);
	return 0;
}

/* --grid NAME of map hotspots --cell: the kinds of grid (spatial.h). */
static const struct {
	const char *name;
	enum spatial_grid_kind kind;
} grid_kinds[] = {
	{ "degrees", SPATIAL_GRID_DEGREES },
	{ "eu", SPATIAL_GRID_LAEA },
	{ "epsg:3035", SPATIAL_GRID_LAEA },
};

int cli_map_points(struct cmd_ctx *c, const char *what, cli_map_draw_points_fn draw_points,
		   cli_map_load_area_fn load_area)
{
	struct map_args a;
	struct spatial_firms_opts fo;
	struct spatial_firms f;
	struct spatial_dbscan d;
	struct spatial_getis_ord_opts go;
	struct spatial_getis_ord g;
	struct tablew *t = NULL;
	struct spatial_grid grid;
	struct spatial_grid_opts gro;
	struct geo_layer area;
	const char *eps, *ms, *within = NULL;
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
	memset(&gro, 0, sizeof(gro));
	memset(&area, 0, sizeof(area));
	map_progress(c, &a);
	a.out = opt_value(c, "-o");
	if (!a.out)
		a.out = opt_value(c, "--output");
	a.fmtname = opt_value(c, "--output-format");
	fo.id_col = opt_value(c, "--id-column");
	fo.name_col = opt_value(c, "--name-column");
	fo.industry_col = opt_value(c, "--industry-column");
	fo.industry = opt_value(c, "--industry");
	/* the map of the firms (--map), both commands' */
	a.boundaries = opt_value(c, "--boundaries");
	a.code_prop = opt_value(c, "--code-property");
	a.title = opt_value(c, "--title");
	a.source = opt_value(c, "--source");
	a.lang = opt_value(c, "--lang");
	a.breaks = opt_value(c, "--map");    /* the map file */
	if (dbscan) {
		eps = opt_value(c, "--eps");
		ms = opt_value(c, "--min-samples");
		if (no_more_args(c, 1) || map_positive(c, what, "--eps", "METRES", eps, &eps_m))
			return -1;
		if (a.boundaries && points_map_check(c, &a, what, "--boundaries", draw_points))
			return -1;
		errno = 0;
		if (ms && ((k = strtoul(ms, &end, 10)) < 1 || *end || !isdigit((unsigned char)*ms) || errno))
			return kerr_set(c->e, KERR_USAGE, "--min-samples must be a whole number from 1, not '%s'", ms);
	} else {
		const char *cell = opt_value(c, "--cell"), *gname = opt_value(c, "--grid");
		within = opt_value(c, "--within");
		a.within = within;
		fo.value_col = opt_value(c, "--value");
		fo.planar = opt_flag(c, "--planar");
		fo.skip_invalid = opt_flag(c, "--skip-invalid");
		/* what is analysed first: without it, the band means nothing yet */
		if (!fo.value_col && !cell)
			return kerr_set(c->e, KERR_USAGE, "map hotspots needs --value COLUMN (a value on points), "
					"--cell METRES (the density of the firms on a grid) or --regions "
					"BOUNDARIES.geojson (an indicator of a statistics file)");
		if (cell && (fo.value_col || fo.planar))
			return kerr_set(c->e, KERR_USAGE, "map hotspots --cell counts the firms on a grid in metres: "
					"not with %s", fo.value_col ? "--value" : "--planar");
		if ((gname || within) && !cell)
			return kerr_set(c->e, KERR_USAGE, "map hotspots: %s goes with --cell METRES (the grid the firms are "
					"counted on)", gname ? "--grid" : "--within");
		if (cell && map_positive(c, what, "--cell", "METRES", cell, &cell_m))
			return -1;
		if (gname) {
			size_t i;
			for (i = 0; i < sizeof(grid_kinds) / sizeof(grid_kinds[0]); i++)
				if (strcasecmp(gname, grid_kinds[i].name) == 0)
					break;
			if (i == sizeof(grid_kinds) / sizeof(grid_kinds[0]))
				return kerr_set(c->e, KERR_USAGE, "--grid must be degrees (cells of equal degrees, anywhere) "
						"or eu (Eurostat's grid of Europe, EPSG:3035), not '%s'", gname);
			gro.kind = grid_kinds[i].kind;
		}
		if (gro.kind == SPATIAL_GRID_LAEA && cell_m != floor(cell_m))
			return kerr_set(c->e, KERR_USAGE, "--grid eu takes cells of whole metres (1000, 10000 …), not --cell "
					"%s", cell);
		if (within && !load_area)
			return kerr_set(c->e, KERR_USAGE, "map hotspots --within reads GeoJSON: run it with klaster");
		if ((a.breaks || a.boundaries || a.title || a.source || a.lang) && !cell)
			return kerr_set(c->e, KERR_USAGE, "map hotspots: %s draws the hot and cold cells of --cell METRES "
					"(a map of values on points or regions is map draw's)",
					a.breaks ? "--map" : a.boundaries ? "--boundaries" : a.title ? "--title" :
					a.source ? "--source" : "--lang");
		if ((a.boundaries || a.title || a.source || a.lang) && !a.breaks)
			return kerr_set(c->e, KERR_USAGE, "map hotspots: %s goes with --map MAP.svg|png|pdf",
					a.boundaries ? "--boundaries" : a.title ? "--title" : a.source ? "--source" : "--lang");
		if (a.code_prop && !a.boundaries)
			return kerr_set(c->e, KERR_USAGE, "map hotspots: --code-property goes with --boundaries "
					"FILE.geojson (of --map)");
		if (cell && fo.skip_invalid)
			return kerr_set(c->e, KERR_USAGE, "map hotspots: --skip-invalid skips the bad values of --value "
					"COLUMN, and --cell counts the firms: not with --cell");
		if (a.breaks && !a.boundaries && !within)
			return kerr_set(c->e, KERR_USAGE, "map hotspots --map draws the cells on boundaries: give "
					"--boundaries FILE.geojson or --within AREA.geojson");
		if (a.breaks && points_map_check(c, &a, what, "--map", draw_points))
			return -1;
		if (cli_map_gi_opts(c, fo.planar, GRID_BAND_CELLS * cell_m, &go) || no_more_args(c, 1))
			return -1;
		if (cell_m > 0 && go.band < cell_m)
			/* the next cells' centres are a cell away: every cell would be compared with itself alone */
			return kerr_set(c->e, KERR_USAGE, "map hotspots: --band %.10g is less than --cell %.10g: no cell would "
					"have a neighbour within the band (the next cells' centres are %.10g m away); give "
					"a band of at least the cell (without --band: %.10g, %.10g cells)", go.band, cell_m, cell_m,
					GRID_BAND_CELLS * cell_m, GRID_BAND_CELLS);
	}
	a.what = what;
	a.planar = fo.planar;
	a.places = !fo.planar;   /* firms or cells in degrees: GeoJSON */
	{
		enum tablew_format tf;
		if (table_format(c, &a, &tf))
			return -1;
	}
	a.input = c->argv[0];
	a.name = cli_map_input_name(c, a.input);
	{
		/* a result in place of an input, or the map and the table in one file: told before
		 * either is written (outfile.h) */
		const char *ins[] = { a.input, a.boundaries, within };
		static const char *const opts[] = { "--boundaries", "--within" };
		if (outfile_clash(a.out, a.breaks, ins, 3, c->e) || outfile_clash(a.breaks, NULL, ins, 3, c->e) ||
		    cli_inputs_readable(c, opts, ins + 1, 2))
			return -1;
	}
	if (within && load_area(c, within, &area))
		return -1;   /* the area first: a wrong file is told before the firms are read */
	fo.progress = stderr;
	if (points_load(c, a.input, &fo, &f))
		goto out;
	if (f.no_coords)
		fprintf(stderr, "%s: %ld %s without coordinates skipped (first on line %ld)\n", a.name,
			f.no_coords, plural(f.no_coords, "row", "rows"), f.first_no_coords);
	if (!fo.planar) {
		struct buf sw = BUF_INIT;
		if (spatial_swapped_notice(&sw, a.name, f.lat, f.lon, f.n, f.lat_col, f.lon_col))
			fprintf(stderr, "%s\n", sw.ptr);
		buf_release(&sw);
	}
	if (f.no_value)
		fprintf(stderr, "%s: %ld %s without a numeric value of %s skipped (first on line %ld)\n", a.name,
			f.no_value, plural(f.no_value, "row", "rows"), fo.value_col, f.first_no_value);
	if (f.filtered)
		fprintf(stderr, "%s: %ld %s of other industries left out\n", a.name, f.filtered,
			plural(f.filtered, "row", "rows"));
	if (dbscan) {
		struct progress pg = { stderr, 0, f.n, 0, "DBSCAN", "points", 0, 0 };
		pg.on = progress_want(stderr, f.n, 100000);  /* about a second and more */
		if (spatial_dbscan_pg(f.lat, f.lon, f.n, eps_m, k, &pg, &d, c->e))
			goto out;
		fprintf(stderr, "%s: %zu %s, eps %.10g m, min-samples %lu: %ld %s, %zu core %s, %zu noise %s\n", a.name,
			f.n, plural((long long)f.n, "firm", "firms"), eps_m, k, d.nclusters,
			plural(d.nclusters, "cluster", "clusters"), d.ncore, plural((long long)d.ncore, "point", "points"),
			d.nnoise, plural((long long)d.nnoise, "point", "points"));
		if (a.boundaries) {
			/* the map says what it shows and from what, unless told otherwise */
			char title[160], source[320];
			if (!a.title) {
				if (a.lang && strcmp(a.lang, "pl") == 0)
					/* skupienie, skupienia, skupień: Polish plural forms */
					snprintf(title, sizeof(title), "DBSCAN: eps %.10g m, min-samples %lu — %ld %s", eps_m,
						 k, d.nclusters, d.nclusters == 1 ? "skupienie" :
						 (d.nclusters % 10 >= 2 && d.nclusters % 10 <= 4 &&
						  (d.nclusters % 100 < 12 || d.nclusters % 100 > 14)) ? "skupienia" : "skupień");
				else
					snprintf(title, sizeof(title), "DBSCAN: eps %.10g m, min-samples %lu — %ld %s", eps_m,
						 k, d.nclusters, plural(d.nclusters, "cluster", "clusters"));
				a.title = title;
			}
			if (!a.source) {
				cli_map_default_source(source, sizeof(source), a.name, a.boundaries, a.lang);
				a.source = source;
			}
			struct cli_map_points_pic pic = { &f, &d, NULL, NULL, 0 };
			if (draw_points(c, &a, &pic))
				goto out;
		}
		if (cli_map_open_table(c, &a, spatial_dbscan_columns, "clusters", &t) ||
		    spatial_write_dbscan(&f, &d, t, c->e))
			goto out;
	} else if (cell_m > 0) {
		size_t hot, cold;
		gro.cell_m = cell_m;
		gro.max_cells = GRID_MAX_CELLS;
		gro.within = within ? &area : NULL;
		if (spatial_grid_hotspots(f.lat, f.lon, f.n, &gro, &go, &grid, &g, c->e)) {
			/* a point by its number: the firm by its id and line */
			unsigned long pt;
			const char *m = strstr(c->e->msg, "point ");
			if (m && sscanf(m, "point %lu ", &pt) == 1 && pt >= 1 && pt <= f.n)
				kerr_prefix(c->e, "%s: --cell: firm %s", a.name, spatial_firm_id(&f, pt - 1));
			else if (within && strstr(c->e->msg, "the study area"))
				kerr_prefix(c->e, "%s: --within %s", a.name, cli_map_input_name(c, within));
			else
				kerr_prefix(c->e, "%s: --cell", a.name);
			goto out;
		}
		spatial_spots_count(&g, &hot, &cold);
		fprintf(stderr, "%s: %zu %s on %zu x %zu cells of %.10g m%s, %s, band %.10g m: %zu hot %s and %zu cold %s at "
			"p < 0.05\n", a.name, f.n, plural((long long)f.n, "firm", "firms"), grid.rows, grid.cols, cell_m,
			grid.kind == SPATIAL_GRID_LAEA ? " of the grid of Europe (EPSG:3035)" : "", go.star ? "Gi*" : "Gi",
			go.band, hot, plural((long long)hot, "spot", "spots"), cold, plural((long long)cold, "spot", "spots"));
		if (within)
			fprintf(stderr, "%s: %zu of the %zu cells lie in the study area %s (their centre, or a firm) and "
				"take part; the %zu others are left out\n", a.name, grid.nin, grid.n,
				cli_map_input_name(c, within), grid.n - grid.nin);
		{
			/* a band below the cell size leaves every cell alone: its Gi* is its own count */
			struct buf nb = BUF_INIT;
			char first[128] = "";
			if (g.nisland) {   /* the cell by its number (and code): the table's cell column */
				char code[96];
				spatial_grid_code(&grid, g.first_island, code, sizeof(code));
				snprintf(first, sizeof(first), "cell %zu%s%s", g.first_island, *code ? " " : "", code);
			}
			if (spatial_islands_notice(&nb, a.name, &g, go.star, first))
				fprintf(stderr, "%s (cells of the grid)\n", nb.ptr);
			buf_reset(&nb);
			if (spatial_all_neighbours_notice(&nb, a.name, &g, go.star))
				fprintf(stderr, "%s (cells of the grid)\n", nb.ptr);
			buf_release(&nb);
		}
		if (a.breaks) {
			/* the hot and cold cells over the boundaries, the firms as dots; said as the DBSCAN map says */
			char title[200], source[320];
			struct cli_map_points_pic pic = { &f, NULL, &grid, &g, !go.star };
			if (!a.title) {
				if (a.lang && strcmp(a.lang, "pl") == 0)
					snprintf(title, sizeof(title), "%s: %zu gorących i %zu zimnych oczek po %.10g km%s",
						 go.star ? "Gi*" : "Gi", hot, cold, cell_m / 1000,
						 grid.kind == SPATIAL_GRID_LAEA ? " (siatka Europy, EPSG:3035)" : "");
				else
					snprintf(title, sizeof(title), "%s: %zu hot and %zu cold %s of %.10g km%s",
						 go.star ? "Gi*" : "Gi", hot, cold, hot + cold == 1 ? "cell" : "cells",
						 cell_m / 1000, grid.kind == SPATIAL_GRID_LAEA ? " (grid of Europe, EPSG:3035)" : "");
				a.title = title;
			}
			if (!a.source) {
				cli_map_default_source(source, sizeof(source), a.name, a.boundaries ? a.boundaries : within, a.lang);
				a.source = source;
			}
			if (draw_points(c, &a, &pic))
				goto out;
		}
		if (cli_map_open_table(c, &a, spatial_grid_hotspot_columns_of(&grid), "hotspots", &t) ||
		    spatial_write_grid_hotspots(&grid, &g, t, c->e))
			goto out;
	} else {
		size_t hot, cold, same;
		if (spatial_getis_ord(f.lat, f.lon, f.value, f.n, &go, &g, c->e)) {
			kerr_prefix(c->e, "%s", a.name);
			goto out;
		}
		spatial_spots_count(&g, &hot, &cold);
		for (same = 1; same < f.n && f.value[same] == f.value[0]; same++)
			;
		if (f.n && same == f.n)
			fprintf(stderr, "%s: every one of the %zu points has the same value (%g): without variation Gi* "
				"has no z-scores, and every z is empty\n", a.name, f.n, f.value[0]);
		fprintf(stderr, "%s: %zu %s, %s, band %.10g%s: %zu hot %s and %zu cold %s at p < 0.05\n", a.name, f.n,
			plural((long long)f.n, "point", "points"), go.star ? "Gi*" : "Gi", go.band, fo.planar ? "" : " m",
			hot, plural((long long)hot, "spot", "spots"), cold, plural((long long)cold, "spot", "spots"));
		{
			struct buf nb = BUF_INIT;
			if (spatial_islands_notice(&nb, a.name, &g, go.star,
						   g.nisland ? f.strs.ptr + f.id[g.first_island] : NULL))
				fprintf(stderr, "%s\n", nb.ptr);
			buf_reset(&nb);
			if (spatial_all_neighbours_notice(&nb, a.name, &g, go.star))
				fprintf(stderr, "%s\n", nb.ptr);
			buf_release(&nb);
		}
		if (cli_map_open_table(c, &a, fo.planar ? spatial_planar_hotspot_columns : spatial_hotspot_columns,
				       "hotspots", &t) ||
		    spatial_write_hotspots(&f, &g, fo.planar, t, c->e))
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
	geo_layer_release(&area);
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
	map_progress(c, &a);
	a.places = strcmp(what, "hotspots") == 0;   /* --regions: the regions' boundaries */
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
	a.absent = opt_value(c, "--absent");
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
	a.region = opt_value(c, "--region");
	a.classes = opt_value(c, "--classes");
	a.breaks = opt_value(c, "--breaks");
	a.title = opt_value(c, "--title");
	a.source = opt_value(c, "--source");
	a.lang = opt_value(c, "--lang");
	a.nuts2013 = opt_flag(c, "--nuts2013");
	a.parts = opt_value(c, "--parts");
	a.region_names = opt_value(c, "--region-names");
	if (strcmp(what, "draw") == 0) {
		/* the hot and cold spots outlined on the map (map draw --band; --star and the others
		 * without --band were refused with the other clashes of options) */
		const char *band = opt_value(c, "--band");
		int no_star = opt_flag(c, "--no-star");
		a.gi.row_standardise = opt_flag(c, "--row-standardise");
		if (a.gi.row_standardise && band)
			row_std_notice();
		(void)opt_flag(c, "--star");   /* the default */
		a.gi.star = !no_star;
		a.gi.metric = SPATIAL_GEO;
		if (band && map_positive(c, "draw", "--band", "METRES", band, &a.gi.band))
			return -1;
		a.hotspots = band != NULL;
	}
	if (no_more_args(c, 1))
		return -1;
	if (strcmp(what, "draw") != 0) {
		/* a table: a bad -o or --output-format is told before the input is read */
		enum tablew_format f;
		if (table_format(c, &a, &f))
			return -1;
	}
	a.input = c->argv[0];
	a.name = cli_map_input_name(c, a.input);
	{
		/* a result in place of an input: told before anything is read (outfile.h) */
		const char *ins[] = { a.input, a.ref, a.crosswalk, a.boundaries, a.industry_names, a.region_names,
				      a.parts };
		static const char *const opts[] = { "--reference", "--crosswalk", "--boundaries", "--industry-names",
						    "--region-names", "--parts" };
		if (outfile_clash(a.out, NULL, ins, sizeof(ins) / sizeof(ins[0]), c->e) ||
		    cli_inputs_readable(c, opts, ins + 1, sizeof(opts) / sizeof(opts[0])))
			return -1;   /* the side inputs too: a misspelt one is told before the main input is read */
	}
	*a_ = a;
	return 0;
}

int cli_map_compute(struct cmd_ctx *c, const struct map_args *a, const struct cube *cube, struct indic_opts *io,
		    int year, int latest, struct indic_result *res)
{
	io->only_year = year >= 0 ? year : latest && cube->nyear ? cube->year[cube->nyear - 1] : -1;
	if (indic_compute(cube, io, res, c->e)) {
		cli_map_name_error(c, a);
		return -1;
	}
	return 0;
}

void cli_map_name_error(struct cmd_ctx *c, const struct map_args *a)
{
	/* a message with a line starts with the file's name already */
	if (strncmp(c->e->msg, a->input, strlen(a->input)) != 0 && strncmp(c->e->msg, a->name, strlen(a->name)) != 0)
		kerr_prefix(c->e, "%s", a->name);
}

/* map indicators | indices | shift-share: a table of results (a from cli_map_args). */
/* On stderr: how many employment cells of year index y (every year: (size_t)-1) have no value
 * (cube_missing_cells_in) and count as 0 where ("in the indices"; where_one, when not NULL, for a
 * single cell), the first of them, and what follows; nothing when there is none. */
static void missing_notice(const char *name, const struct cube *cube, size_t y, const char *where,
			   const char *where_one, const char *follows)
{
	size_t first, n = cube_missing_cells_in(cube, y, &first);
	size_t yy, rr;
	if (!n)
		return;
	yy = first / (cube->nreg * cube->nind);
	rr = first / cube->nind % cube->nreg;
	fprintf(stderr, "%s: %zu %s without a value (confidential or missing) %s as 0 %s (first: region %s, "
		"industry %s", name, n, plural((long long)n, "cell", "cells"), n == 1 ? "counts" : "count",
		n == 1 && where_one ? where_one : where,
		cube->reg[rr], cube->ind[first % cube->nind]);
	if (cube->year[yy])
		fprintf(stderr, " in %d", cube->year[yy]);
	fprintf(stderr, "): %s\n", follows);
}

/* --region with a filter that leaves that region out (--region-length, --region-prefix): a usage
 * error before the data is read, naming both options. */
static int region_filtered(struct cmd_ctx *c, const struct map_args *a)
{
	struct stats_opts o = { .region_prefix = a->region_prefix };
	if (!a->region)
		return 0;
	if (map_code_len(c, "--region-length", a->region_len, &o.region_len))
		return -1;
	switch (stats_region_filtered(&o, a->region)) {
	case STATS_FILTER_LEN:
		return kerr_set(c->e, KERR_USAGE, "--region %s: --region-length %s leaves it out (its code has %zu "
				"%s): give a region of %zu characters, or leave out --region-length", a->region,
				a->region_len, utf8_chars(a->region),
				plural((long long)utf8_chars(a->region), "character", "characters"), o.region_len);
	case STATS_FILTER_PREFIX:
		return kerr_set(c->e, KERR_USAGE, "--region %s: --region-prefix %s leaves it out (only regions "
				"whose code starts with %s are read): give a region that starts with it, or leave out "
				"--region-prefix", a->region, a->region_prefix, a->region_prefix);
	}
	return 0;
}

/* --region's code in the data: as given, else the one code that differs from it in case alone (as
 * --region-prefix ignores case: pl21 is PL21); (size_t)-1 when none, or when two differ so. */
static size_t region_of(const struct cube *cube, const char *code)
{
	size_t r = cube_region(cube, code), k;
	if (r != (size_t)-1)
		return r;
	for (k = 0; k < cube->nreg; k++) {
		if (!fold_lower_prefix(cube->reg[k], code) || !fold_lower_prefix(code, cube->reg[k]))
			continue;
		if (r != (size_t)-1)
			return (size_t)-1;
		r = k;
	}
	return r;
}

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
		size_t region = (size_t)-1, yi;
		memset(&res, 0, sizeof(res));
		if (a.base && strcmp(a.base, "all") && strcmp(a.base, "traded"))
			return kerr_set(c->e, KERR_USAGE, "--base must be all or traded, not '%s'", a.base);
		io.base = a.base && strcmp(a.base, "traded") == 0 ? INDIC_BASE_TRADED : INDIC_BASE_ALL;
		if (cli_map_year(c, "--year", a.year, &year) || region_filtered(c, &a) || cli_map_load(c, &a, &cube))
			return -1;
		if (year >= 0 && cube_find_year(&cube, year, &yi, c->e)) {
			kerr_prefix(c->e, "%s", a.name);
			goto out;
		}
		if (a.region && (region = region_of(&cube, a.region)) == (size_t)-1) {
			kerr_set(c->e, KERR_INPUT, "%s: --region %s: no such region in the data", a.name, a.region);
			goto out;
		}
		if (cli_map_compute(c, &a, &cube, &io, year, 0, &res))
			goto out;
		{
			/* the strong rule without its establishment test: no column, or none known in an industry-year */
			struct buf nb = BUF_INIT;
			if (indic_est_notice(&nb, a.name, &cube, &res))
				fprintf(stderr, "%s\n", nb.ptr);
			buf_release(&nb);
		}
		/* a suppressed cell lowers its region's total: the other LQs of the region rise with it */
		missing_notice(a.name, &cube, year >= 0 ? yi : (size_t)-1,
			       "in the totals of their region and industry", "in the totals of its region and industry",
			       "the LQs and shares of such a region are against a total without them (its other LQs "
			       "are higher than with the cell known)");
		if (cli_map_open_table(c, &a, mapping_indicator_columns, "indicators", &t) ||
		    (a.region ? mapping_write_region_indicators(&cube, &res, year, region, t, c->e)
			      : mapping_write_indicators(&cube, &res, year, t, c->e))) {
			indic_result_release(&res);
			goto out;
		}
		indic_result_release(&res);
	} else if (strcmp(a.what, "indices") == 0) {
		struct indic_indices x;
		int industries = a.base && strcmp(a.base, "industry") == 0;
		memset(&x, 0, sizeof(x));
		if (a.base && strcmp(a.base, "industry") && strcmp(a.base, "region"))
			return kerr_set(c->e, KERR_USAGE, "map indices: --base must be region or industry, not '%s'", a.base);
		struct stats_plants pl;
		struct indic_eg *eg = NULL;
		size_t y = 0, yi;
		int year = -1;
		memset(&pl, 0, sizeof(pl));
		if (cli_map_year(c, "--year", a.year, &year))
			return -1;
		a.plants = industries ? &pl : NULL;  /* a firm list: the Ellison–Glaeser index too */
		if (cli_map_load(c, &a, &cube) ||
		    (year >= 0 && cube_find_year(&cube, year, &yi, c->e) && (kerr_prefix(c->e, "%s", a.name), 1)) ||
		    (indic_indices(&cube, &x, c->e) && (cli_map_name_error(c, &a), 1))) {
			stats_plants_release(&pl);
			goto out;
		}
		/* cells without a value are 0 in these sums: say how many, as map relatedness does (of
		 * --year's year alone when given: the table has no other) */
		missing_notice(a.name, &cube, year >= 0 ? yi : (size_t)-1, "in the indices", NULL,
			       "the index of a region or industry with such cells takes them as 0");
		{
			/* regions without employment in a year: no structure there (indic_indices) */
			size_t n = 0, fy = 0, fr = 0, yy, rr;
			for (yy = year >= 0 ? yi : 0; yy < (year >= 0 ? yi + 1 : cube.nyear); yy++)
				for (rr = 0; rr < cube.nreg; rr++)
					if (!cube_absent(&cube, yy, rr) && isnan(x.reg_hhi[yy * cube.nreg + rr]) && !n++) {
						fy = yy;
						fr = rr;
					}
			if (n) {
				fprintf(stderr, "%s: %zu %s without employment in a year: %s region indices are empty "
					"there and %s no part in the industries' (first: region %s", a.name, n,
					plural((long long)n, "region", "regions"), n == 1 ? "its" : "their",
					n == 1 ? "it takes" : "they take", cube.reg[fr]);
				if (cube.year[fy])
					fprintf(stderr, " in %d", cube.year[fy]);
				fputs(")\n", stderr);
			}
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
		    (industries ? mapping_write_industry_indices(&cube, &x, eg, year, t, c->e)
				: mapping_write_region_indices(&cube, &x, year, t, c->e))) {
			free(eg);
			indic_indices_release(&x);
			goto out;
		}
		free(eg);
		indic_indices_release(&x);
	} else if (strcmp(a.what, "shift-share") == 0) {
		struct indic_shift sh;
		int y0 = 0, y1 = 0;
		memset(&sh, 0, sizeof(sh));
		if (!a.from != !a.to)
			return kerr_set(c->e, KERR_USAGE, "map shift-share needs both --from YEAR and --to YEAR (or "
					"neither, for data of two years)");
		if (a.from && (cli_map_year(c, "--from", a.from, &y0) || cli_map_year(c, "--to", a.to, &y1)))
			return -1;
		if (a.from && y0 >= y1)
			return kerr_set(c->e, KERR_USAGE, "map shift-share: --from %d must come before --to %d", y0, y1);
		if (cli_map_load(c, &a, &cube))
			goto out;
		if (!a.from) {
			/* data of two years: from the first to the second */
			if (cube.nyear < 2) {
				/* a cube without years is one period, year 0: not "one (0)" (mapping_change_years) */
				kerr_set(c->e, KERR_INPUT, cube.nyear && cube.year[0]
					 ? "%s: shift-share compares two years and the data has one (%d)"
					 : "%s: shift-share compares two years and the data has no year column (one period)",
					 a.name, cube.nyear ? cube.year[0] : 0);
				goto out;
			}
			if (cube.nyear > 2) {
				kerr_set(c->e, KERR_USAGE, "%s: the data has %zu years (%d to %d): choose two with --from YEAR "
					 "and --to YEAR", a.name, cube.nyear, cube.year[0], cube.year[cube.nyear - 1]);
				goto out;
			}
			y0 = cube.year[0];
			y1 = cube.year[1];
		}
		if (indic_shift_share(&cube, y0, y1, &sh, c->e)) {
			cli_map_name_error(c, &a);
			goto out;
		}
		{
			struct buf nb = BUF_INIT;
			if (mapping_shift_notice(&nb, a.name, &cube, &sh))
				fprintf(stderr, "%s\n", nb.ptr);
			buf_release(&nb);
		}
		if (cli_map_open_table(c, &a, mapping_shift_columns, "shift-share", &t) ||
		    mapping_write_shift(&cube, &sh, t, c->e)) {
			indic_shift_release(&sh);
			goto out;
		}
		indic_shift_release(&sh);
	} else {
		BUG("cli_map_table: map %s is not a table of cli_map_table (cli_map_check first)", a.what);
	}
	rc = tablew_close(t, c->e);
	t = NULL;
out:
	if (t)
		tablew_abort(t);
	cube_release(&cube);
	return rc;
}
