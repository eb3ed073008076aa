/*
 * stats.h — reading regional statistics into a cube (see cube.h).
 *
 * Every reader validates every row and fails on the first bad one with a
 * message naming the file, the line and the field ("stats.csv:17: column
 * employment: \"12x\" is not a number").  Files are read as a stream
 * through csv.h: memory is bounded by the cube, not by the file — except
 * that a long file the fast path can read (enum stats_reader below) is
 * mapped into memory, read in place and, when big, in two threads, and
 * that an input which is not a regular file (a pipe, /dev/stdin) of at most
 * STATS_PIPE_WHOLE bytes is read whole into memory first (its start cannot
 * be peeked at and read again), then as a block, the fast path's way; a
 * longer one that the fast path would read (a data file of the long layout
 * with a header it reads) is copied on into a temporary file with no name
 * in $TMPDIR (else /tmp) and read as that file (memory stays bounded: its
 * first bytes while copying), up to STATS_SPILL_MAX bytes and half the
 * disk's free room; any other, or where no such file can be made, the
 * disk fills or the copy reaches its limit (or RLIMIT_FSIZE), is read on as
 * it comes by the general reader after what was read or copied (memory
 * bounded, the general reader's time).
 *
 * Formats (STATS_AUTO picks one with stats_detect_format):
 *
 *   STATS_LONG  a CSV with a header, separated by ',' or ';' (or a tab),
 *     whichever occurs most in the header line.  Columns:
 *       region, industry, employment          required
 *       year, establishments, wages, traded, region_name, industry_name
 *     in any order; any other column is an error.  Numbers may use spaces
 *     as thousands separators ("1 234") and a decimal point; a file
 *     separated by ';' (such as Statistics Poland exports) may use the
 *     decimal comma ("1234,5").  An empty value, ":", "NA", "N/A" or
 *     "null" (as R, pandas and databases write one) is a missing value
 *     (NAN).  As in a Eurostat table, flag letters after a number are
 *     dropped ("219 d" is 219) and a flag alone ("d", confidential) is a
 *     missing value.  Counts may not be negative.  traded is 1/0,
 *     true/false, yes/no or tak/nie (empty: not given).  Without a year
 *     column the cube has the one year 0.
 *
 *     Other names of columns (long_aliases[] in stats.c): geo and nuts are
 *     the region, nace_r2 and pkd the industry.
 *
 *     Wide layout: without an employment column, every column named by a
 *     year ("2015") or by one letter and a year ("n2015", "y2015") holds
 *     the employment of that year, one cell per such column and row.  It
 *     cannot be combined with the year, establishments or wages columns.
 *
 *   STATS_EUROSTAT_TSV  a Eurostat table in tab-separated layout: the first
 *     header cell lists the dimensions ("unit,nace_r2,geo\time"; the last
 *     must be geo, one must be nace_r2 (or another nace_*) and the others,
 *     such as unit, must hold a single value in the whole file); then one
 *     column per year.  A value is a number, ":" (missing), either followed
 *     by flag letters ("123 c", ": c", "1 234 p"), which are dropped.
 *
 *   STATS_FIRMS  a firms CSV (id,name,industry,lat,lon[,employment][,region]):
 *     each row adds its employment (1 when the column is absent, i.e.
 *     counting firms; nothing when the value is empty, NA, ":" or a flag
 *     alone: a firm of unknown size, which still counts as an
 *     establishment) to its region × industry cell; cells are
 *     always summed.  A row without a region is an error.
 *
 *   STATS_BDL  Statistics Poland's Local Data Bank (Bank Danych Lokalnych)
 *     exported in the vertical layout: "Kod;Nazwa;<dimensions>;Rok;Wartosc;
 *     Jednostka miary;Atrybut;" (told by a header starting with Kod that has
 *     Wartosc or Wartość).  Kod is the region (Nazwa its name), Rok the
 *     year, Wartosc the employment (decimal comma; GUS's "-" is 0, "." and
 *     "x" are missing).  The industries are the one dimension between
 *     Nazwa and Rok, or of several the one whose name says PKD, NACE,
 *     sekcje or działy; every other dimension, and Jednostka miary, must
 *     hold one value in the whole file (else two values of a cell would be
 *     added up).  "sekcja C" is the code C (its name "sekcja C"); any other
 *     value is its own code and name.  Totals of all industries
 *     ("ogółem", "razem") are skipped and counted (stats_counts.totals):
 *     klaster adds up the industries itself.  The nation's rows (a Kod of
 *     zeros: POLSKA) are the reference economy (stats_counts.national), as
 *     a --reference file would give it, unless ref_path is set (then they
 *     are skipped as totals).  The regions must be of one level (a
 *     12-digit code whose stem — the code cut after its last field that is
 *     not all zeros, in fields of 2, 2, 1, 2, 2, 2, 1 digits — begins
 *     another's holds it), and the unit a count (not "%", "‰", "na 1000
 *     …").  The 12-digit code of a voivodeship, a powiat or a gmina is
 *     read as its TERYT code (02, 0264, 0264011: stats_counts.teryt), the
 *     code the shipped boundaries and the portal's maps use; other units
 *     (macroregions, subregions) keep BDL's code.  One dimension named for
 *     sexes or ages is refused.  Atrybut and
 *     the empty column after the last ';' are not read.
 *
 * The reference economy file is a CSV with industry, employment and an
 * optional year column.
 *
 * A crosswalk (industry,cluster[,traded]) maps each input industry code to
 * a cluster code before adding, in the data and the reference alike; cells
 * are then summed (two codes of one cluster add up).  Its traded column
 * sets the cube's traded flags.  A code missing from the crosswalk is an
 * error, or with skip_unmapped a skipped row (counted).  In the reference a
 * cluster's value with an unknown part is unknown, and so is one that
 * lacks a code the data gives in that year (counted in ref_gaps): either
 * would be a lower bound of the nation's.
 *
 * Filters, for files that mix levels (NUTS 0/1/2, NACE sections and
 * divisions): region_len and industry_len keep the rows whose code has
 * that many characters, region_prefix the rows whose region starts with it
 * (case ignored as by fold_lower_prefix: of Polish and other Latin letters
 * too).  They look at the codes as given, before the crosswalk,
 * and come before the values are read: a row left out is counted, never
 * an error.  industry_len applies to the reference file too.  When every
 * row is left out, the load fails.
 *
 * skip_invalid: a value that is not a number (or is negative) skips its
 * row (in the wide layout and in a Eurostat table: its cell) instead of
 * failing; the first message is kept in the counts.  Bad codes, years and
 * headers are still errors.  It also leaves out a region from a year in
 * which it has no employment (every value missing or zero, as Eurostat's
 * extra-regio regions): cube_leave_out_empty, counted in left_out.
 * Without it such a region is an error where a total by region is needed
 * (indic.h, related.h).
 */
#ifndef KLASTER_STATS_H
#define KLASTER_STATS_H

#include <stdio.h>

#include "cube.h"
#include "err.h"

enum stats_format { STATS_AUTO, STATS_LONG, STATS_EUROSTAT_TSV, STATS_FIRMS, STATS_BDL };

/*
 * How a long CSV is read.  The fast path reads a long file held in memory
 * (a regular file is mapped; stats_load_mem's block as it is) without the
 * csv.h reader, parsing plain rows in place; it applies when the file has
 * no crosswalk, no wide layout and no traded or name columns, and the
 * builder is still empty.  Its result, counts and messages are those of
 * the general reader: rows that are not plain are read by the general
 * row code, and anything else (a quote, a CSV-level problem, a repeated
 * cell without sum) makes it give the whole input to the general reader.
 * Only tests and benchmarks need anything but STATS_READER_AUTO.
 */
enum stats_reader {
	STATS_READER_AUTO,     /* the fast path when it applies; in two parts (two threads) when
				  the input is big and there are two CPUs */
	STATS_READER_GENERAL,  /* the general reader only */
	STATS_READER_FAST,     /* the fast path when it applies, in one part */
	STATS_READER_SPLIT,    /* the fast path when it applies, in two parts whatever the size (the
				  first taking over the end of the second's half as in AUTO) */
	STATS_READER_STEAL,    /* as SPLIT, the second part in chunks of 64 bytes, and the first part,
				  done with its half, always takes the later half of what the second
				  has not begun (AUTO does so when the first part finishes first);
				  a mapped file's pages are given back every page, not 32 MiB */
};

struct stats_opts {
	enum stats_format fmt;
	const char *crosswalk_path;  /* NULL: codes are used as given */
	const char *ref_path;        /* NULL: the reference is the sum of the regions */
	int sum;                     /* add up repeated cells instead of failing (CUBE_SUM) */
	int absent_zero;             /* a cell no row gives, of a region present that year, is 0
					(CUBE_ABSENT_ZERO: registers list what exists); 0: missing */
	int skip_unmapped;           /* skip rows whose code is not in the crosswalk */
	FILE *progress;              /* a progress line for big files when this is a terminal; may be NULL */
	int skip_invalid;            /* skip values that are not numbers (counted) instead of failing */
	size_t region_len;           /* keep regions whose code has this many characters; 0: all */
	size_t industry_len;         /* the same for industry codes (and the reference) */
	const char *region_prefix;   /* keep regions starting with this; NULL or "": all */
	enum stats_reader reader;    /* 0 (STATS_READER_AUTO) unless comparing the readers */
	size_t pipe_whole;           /* a stream of at most this many bytes is read whole (0:
					STATS_PIPE_WHOLE; tests give small sizes) */
	size_t spill_max;            /* a longer one is copied into a temporary file for the fast
					path up to this many bytes (0: STATS_SPILL_MAX; at most half
					the disk's free room too), the rest read as it comes */
	int years[2];                /* the years a command computes (its --year, or shift-share's
					--from and --to): stats_load validates only them and counts
					only them in stats_counts.ref_unknown; */
	size_t nyears;               /* 0: every year */
	int zero_regions;            /* 1: a region with zero total employment in a year is no
					error (shift-share: growth from or to nothing); 0: it is
					(location quotients are undefined there) */
	int refuse_empty;            /* 1: a region whose rows in a year computed all lack a value is
					an error naming the employment's column as the file spells it
					(for the commands that compute location quotients or
					relatedness, which refuse such a region anyway); 0: it loads */
	int latest_year;             /* 1 (with nyears 0): the latest year of the data is the one
					computed (map draw, relatedness, hotspots --regions without
					--year), validated and counted as years[] are */
	/* A firm list without a region column: the code of the region holding (lat, lon),
	 * or NULL when none does (the firm is counted in stats_counts.outside). */
	const char *(*locate)(void *ctx, double lat, double lon);
	void *locate_ctx;
	struct stats_plants *plants; /* a firm list: also receives the firms one by one */
};

/* The firms of a firm list one by one (for the Ellison–Glaeser index): n plants, each in
 * region reg[k] and industry ind[k] (indices of the loaded cube) with employment emp[k].
 * stats_load fills it only when it succeeds (release it then); firms of a region it leaves
 * out (skip_invalid) and firms of unknown size are left out.  Other readers (stats_read)
 * leave it empty. */
struct stats_plants {
	size_t n;
	size_t *reg, *ind;
	double *emp;
};
void stats_plants_release(struct stats_plants *p);

/* What a load saw; all counts are rows of the data file. */
struct stats_counts {
	long rows;                /* data rows read */
	long cells;               /* values added (a Eurostat row holds one per year) */
	long missing;             /* values that were missing (NAN) */
	long partial;             /* cells of a sum (--sum, a crosswalk) whose employment adds missing
				     values to known ones: the known parts' total, a lower bound
				     (cube_builder_partial_cells); a cell of missing parts alone is not */
	char first_partial[160];  /* the first, "region 02, industry C26, year 2015", "" when none */
	long partial_est;         /* the same of establishments: the strong rule's test takes the
				     known parts' total */
	char first_partial_est[160];
	long unmapped;            /* rows skipped because of skip_unmapped */
	char first_unmapped[64];  /* the first such code (truncated), "" when none */
	long invalid;             /* values skipped because of skip_invalid */
	char first_invalid[256];  /* the message about the first one (truncated), "" when none */
	long filtered;            /* rows left out by region_len, industry_len, region_prefix */
	long left_out;            /* region × years left out for want of employment (skip_invalid) */
	char first_left_out[96];  /* the first of them, "CZZZ 2015, DE41 2015, …", "" when none */
	int fast_parts;           /* the fast path read the data in this many parts (1, 2); 0: the
				     general reader did */
	int fast_stolen;          /* 1: the first part read the end of the second part's half */
	long ref_gaps;            /* codes of a crosswalk that the data gives and the reference lacks,
				     which leave their clusters' reference values unknown */
	char first_ref_gap[160];  /* the first, "C27 of ELEC in 2015, given at stats.csv:3" */
	long ref_unknown;         /* industry × years the data has and the reference leaves unknown */
	char first_ref_unknown[80]; /* the first, "G47 in 2022" */
	char ref_file[256];       /* the file the reference economy came from (a --reference file, or
				     the data file itself whose national rows give it: STATS_BDL),
				     truncated; "" without a reference */
	long outside;             /* firms placed by coordinates that no region holds (skipped) */
	long first_outside;       /* the line of the first of them */
	long unknown_size;        /* firms of a firm list whose employment is not given (empty, NA, ":") */
	long first_unknown_size;  /* the line of the first of them */
	long totals;              /* rows of totals skipped: all industries, the nation with a --reference (STATS_BDL) */
	char first_total[96];     /* the first, "000000000000 ogółem" */
	long national;            /* rows of the nation taken as the reference economy (STATS_BDL) */
	long teryt;               /* rows whose BDL unit code was read as its TERYT code (STATS_BDL) */
	char first_teryt[48];     /* the first such reading, "030210564000 is 0264" */
	long zero_restored;       /* rows whose 11-digit BDL code was given back its leading zero */
	char first_zero_restored[48]; /* the first, "11200000000" */
	char industry_dim[80];    /* the column the industries came from (STATS_BDL), "" otherwise */
	int industry_dim_named;   /* 1 when that column's name says so (PKD, NACE, sekcje …) */
	long renamed;             /* rows that gave a code a name other than the one it had (the last
				     name given is kept: cube_builder_renamed) */
	char first_renamed[200];  /* the first, "region 02: 'A' then 'B'" */
};

/*
 * The one parser of numbers in data files (statistics, and firm values of
 * spatial.h): a trimmed string of digits with an optional sign, optional
 * thousands separators in groups of three (a space, U+00A0 or U+202F:
 * "1 234"), then an optional decimal point ('.', or ',' when dec_comma —
 * the Polish decimal comma of ';' files) and digits.  No exponent ("1e3"),
 * no leading point (".5"), at most 60 digits before the point and 60
 * after it (more are STATS_NUM_BAD).  "" and ":" are STATS_NUM_MISSING
 * (*out NAN).
 */
/*
 * Whether o's region filters keep a row of region code reg, as the readers
 * decide it: 0 when they do, STATS_FILTER_LEN when region_len leaves it out,
 * STATS_FILTER_PREFIX when region_prefix does (the length is tried first).
 * For a message about a region the data lacks (map indicators --region).
 */
enum { STATS_FILTER_KEPT = 0, STATS_FILTER_LEN = 1, STATS_FILTER_PREFIX = 2 };
int stats_region_filtered(const struct stats_opts *o, const char *reg);

/* STATS_NUM_LONG: a number but for its length (more than STATS_NUM_DIGITS digits before the
 * decimal mark, or after it). */
enum { STATS_NUM_OK = 0, STATS_NUM_MISSING = 1, STATS_NUM_BAD = -1, STATS_NUM_LONG = -2 };
#define STATS_NUM_DIGITS 60
/* A stream (a pipe) of at most this many bytes is read whole, then by the fast path (above). */
#define STATS_PIPE_WHOLE ((size_t)128 << 20)
#define STATS_SPILL_MAX ((size_t)4 << 30)
int stats_parse_number(const char *s, int dec_comma, double *out);

/*
 * The readers' messages about a number, "NAME:LINE: column COL: …", for
 * every reader of numbers (firm values too) to word them alike (KERR_INPUT,
 * returns -1).  stats_number_too_long: s (STATS_NUM_LONG) has so many
 * digits, too long for what ("a count"); quoted whole up to quote bytes,
 * else by its beginning cut between characters and "…".
 * stats_dot_thousands_error: s, trimmed v, is "1.234" in a ';' file
 * (stats_dot_thousands): both readings and how to write each.
 * stats_decimal_comma_error: s, trimmed v, is a number with the decimal
 * comma ("52,1") in a file not separated by ';', where a comma marks no
 * decimals: to write it with a point (52.1); with thousands (a count,
 * which may be whole) "1,234" is told as both readings, 1234 and 1.234.
 */
int stats_number_too_long(const char *name, long line, const char *col, const char *s, const char *what,
			  size_t quote, struct kerr *e);
int stats_dot_thousands_error(const char *name, long line, const char *col, const char *s, const char *v,
			      struct kerr *e);
int stats_decimal_comma_error(const char *name, long line, const char *col, const char *s, const char *v,
			      int thousands, struct kerr *e);

/*
 * Whether a trimmed count of a file separated by semicolons is "1.234" or
 * "12.345" (1 to 3 digits, not starting with 0, a dot and three digits):
 * ambiguous there, since Polish separates thousands with the dot, so a
 * count (not a coordinate) written so is refused naming both readings.
 */
int stats_dot_thousands(const char *s);

/*
 * The notice about the industry-years the reference economy leaves
 * unknown (stats_counts.ref_unknown), appended to out: "REF: the reference
 * economy leaves 1 industry-year of the data unknown (first: y in 2023):
 * its location quotients are left empty, and the reference total counts
 * it at the regions' own employment, the least the nation can have"
 * (indic.h).  REF is ref, or when ref is NULL the file the reference came
 * from (stats_counts.ref_file: a BDL file's own national rows).  Returns
 * the count; appends nothing when it is 0.  what: the command's word for
 * what the unknown industries lack ("shift-share", "indices"); NULL or any
 * other: their location quotients.
 */
struct buf;
size_t stats_ref_unknown_notice(struct buf *out, const char *ref, const struct stats_counts *n, const char *what);

/* "long", "eurostat", "firms", "bdl" (and "auto"); NULL for an unknown value. */
const char *stats_format_name(enum stats_format fmt);
/* Sets *fmt from a name as above; -1 (KERR_USAGE, listing the names) when unknown. */
int stats_format_by_name(const char *name, enum stats_format *fmt, struct kerr *e);

/*
 * Recognises the format from the first line: a Eurostat header ("...\time"
 * in the first tab-separated cell), a firms header (id, lat and lon
 * columns) or else the long CSV.  The _mem form looks at data[0..len).
 */
int stats_detect_format(const char *path, enum stats_format *fmt, struct kerr *e);
void stats_detect_format_mem(const char *data, size_t len, enum stats_format *fmt);

/*
 * Loads a data file (and o->crosswalk_path and o->ref_path when set),
 * builds the cube and validates it with stats_check.  On success *out
 * belongs to the caller (cube_release); on failure *out is empty.  counts
 * may be NULL.  o may be NULL (STATS_AUTO, no crosswalk or reference).
 */
int stats_load(const char *path, const struct stats_opts *o, struct cube *out,
	       struct stats_counts *counts, struct kerr *e);
/* stats_load with the input named name in messages and counts (a file's name is otherwise
 * its path, escaped): "standard input" for /dev/stdin. */
int stats_load_named(const char *path, const char *name, const struct stats_opts *o, struct cube *out,
		     struct stats_counts *counts, struct kerr *e);
/* The same, reading the data from data[0..len) named name in messages. */
int stats_load_mem(const char *data, size_t len, const char *name, const struct stats_opts *o,
		   struct cube *out, struct stats_counts *counts, struct kerr *e);

/*
 * The building blocks of stats_load, for callers with several inputs:
 * stats_read adds one data file to b, stats_read_ref a reference economy
 * file.  o->crosswalk_path applies (it is read by each call); o->ref_path
 * is ignored.  The caller creates b with CUBE_SUM when o->sum is set or a
 * crosswalk is given, and with CUBE_SUM for STATS_FIRMS.  counts (may be
 * NULL) is added to, not reset.
 */
int stats_read(struct cube_builder *b, const char *path, const struct stats_opts *o,
	       struct stats_counts *counts, struct kerr *e);
int stats_read_ref(struct cube_builder *b, const char *path, const struct stats_opts *o,
		   struct kerr *e);

/*
 * Validates a finished cube for location quotients: no region may have a
 * zero total employment in a year where it has known values; the
 * reference economy (when given) must have values in every year of the
 * data, not all zero, and in each industry it gives at least the total of
 * the data's regions (a country contains its regions).  Messages name the
 * region's first row or the reference value's row when the cube knows them
 * (cube.src, cube.ref_src), else name (may be NULL).
 */
int stats_check(const struct cube *c, const char *name, struct kerr *e);
/* The same for some years of the data only (years[0..nyears): the years a
 * command computes; nyears 0: every year, as stats_check); zero_regions 1
 * leaves out the test of regions' totals (stats_opts.zero_regions). */
int stats_check_years(const struct cube *c, const char *name, const int *years, size_t nyears, int zero_regions,
		      struct kerr *e);

/*
 * Names for industry codes from a CSV with a `code` column and at least one
 * of `name`, `name_pl` and `name_en` (other columns are ignored — e.g.
 * Eurostat's NACE dictionary or pkd2007_names.csv in data/reference/): every
 * industry of the cube without a name gets the file's `name` of its code,
 * else its `name_en`, else its `name_pl`; `name_pl` and `name_en` also become
 * its names in those languages (cube_ind_name), which the portal shows in
 * its language.  A code of the cube named on two rows is an error (which
 * would be meant is not known); codes not in the cube are ignored.  A name
 * that is only the label a BDL export gives a section ("sekcja C" of code C)
 * is replaced by the file's.  Returns the number of industries given a name,
 * or -1 with a message; file_code (may be NULL) gets the file's first code
 * ("" for an empty file), for a message when none matched.
 */
long stats_industry_names(struct cube *c, const char *path, char file_code[32], struct kerr *e);

/*
 * A names file as stats_industry_names reads it (`code` and at least one
 * of `name`, `name_pl`, `name_en`; other columns ignored), every row kept:
 * name[k] is the row's display name (its `name`, else `name_en`, else
 * `name_pl`), lang[0][k] and lang[1][k] its Polish and English names;
 * "" where the row gives none.  code_names_read: 0, or -1 with a message
 * naming the file (and line 1 for missing columns).
 */
struct code_names {
	size_t n;
	char **code, **name, **lang[2];
	long *line;       /* each row's line in the file */
	size_t *order;    /* the rows by code, then line */
	char *path;       /* the file in messages (esc_filename) */
};
int code_names_read(const char *path, struct code_names *out, struct kerr *e);
/* The row of code: its index, -1 when the file has none, or -2 with a message
 * naming both lines when two rows name it (which one is meant is not known). */
long code_names_find(const struct code_names *c, const char *code, struct kerr *e);
void code_names_release(struct code_names *c);

#endif
