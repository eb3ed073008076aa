/*
 * cube.h — regional statistics for cluster mapping: employment (and,
 * when known, establishments and wages) by region × industry × year.
 *
 * The cube is dense: every region × industry × year cell exists and holds
 * NAN when the input had no value for it (a missing or confidential cell
 * is not a zero).  Codes are kept as given (after trimming); regions and
 * industries are sorted by code in byte order, years ascending.  An input
 * without a year column has one period, year 0.
 *
 * Indexing: cell (y, r, i) is at cube_at(c, y, r, i) in emp, est and wage.
 * est and wage are NULL when the input had no such column.  The reference
 * economy (ref, nyear × nind employment, NAN when unknown) is NULL when no
 * reference was given: the reference is then the sum of the input regions.
 * A reference that was given is kept even when none of its values meets a
 * year of the data (all NAN there): stats_check names that year.
 *
 * A region may be absent from some years (cube_leave_out_empty): absent,
 * nyear × nreg at y * nreg + r, is 1 there and the region's cells of that
 * year are NAN.  absent is NULL when every region is in every year.
 * Whoever totals a region by year honours it (indic.h, related.h): an
 * absent region has no indicators that year and does not count.
 *
 * Ownership: everything in a struct cube belongs to it; cube_release frees
 * it all and leaves an empty cube.
 */
#ifndef KLASTER_CUBE_H
#define KLASTER_CUBE_H

#include <math.h>
#include <stddef.h>

#include "err.h"

struct cube {
	size_t nreg, nind, nyear;
	char **reg, **ind;           /* codes, sorted */
	char **reg_name, **ind_name; /* display names; an entry may be NULL */
	char **ind_name_lang[2];     /* the industries' names in Polish [0] and English [1] where a
					names file gave them (stats_industry_names); arrays and
					entries may be NULL: see cube_ind_name */
	int *year;                   /* ascending */
	double *emp;                 /* nyear * nreg * nind */
	double *est, *wage;          /* same shape, or NULL */
	signed char *traded;         /* per industry: 1 traded, 0 local, -1 not given */
	double *ref;                 /* nyear * nind, or NULL */
	unsigned char *absent;       /* nyear * nreg, or NULL: see above */
	/* Where the values came from, for messages only ("stats.csv:17"; an entry or the
	 * array may be NULL: not known, as for a stored dataset): */
	char **src;                  /* nyear * nreg: the first row of each region in each year */
	char **ref_src;              /* nyear * nind: the reference value's row (with ref) */
	char *ref_file;              /* where the reference came from ("ref.csv", a dataset's name), or
					NULL: for messages about a reference none of whose values is used */
	char **emp_col;              /* nyear: each year's employment column as the file spells it
					("OBS_VALUE", a wide file's "2015 "); the array or an entry
					may be NULL: see cube_emp_col */
};

static inline size_t cube_at(const struct cube *c, size_t y, size_t r, size_t i)
{
	return (y * c->nreg + r) * c->nind + i;
}

/* 1 when region r was left out of year y (cube_leave_out_empty). */
static inline int cube_absent(const struct cube *c, size_t y, size_t r)
{
	return c->absent && c->absent[y * c->nreg + r];
}

/* The first row of region r in year y ("stats.csv:17"), or "" when not known;
 * cube_src_sep is ": " after a known one, for the start of a message. */
static inline const char *cube_src(const struct cube *c, size_t y, size_t r)
{
	const char *s = c->src ? c->src[y * c->nreg + r] : NULL;
	return s ? s : "";
}
static inline const char *cube_src_sep(const struct cube *c, size_t y, size_t r)
{
	return *cube_src(c, y, r) ? ": " : "";
}

/* The column year y's employment came from as the file spells it, for messages
 * ("column 2015 : region …"); "employment" when not known. */
static inline const char *cube_emp_col(const struct cube *c, size_t y)
{
	const char *s = c->emp_col && y < c->nyear ? c->emp_col[y] : NULL;
	return s ? s : "employment";
}

/* Index of a code, year, or (size_t)-1 when absent. */
size_t cube_region(const struct cube *c, const char *code);
size_t cube_industry(const struct cube *c, const char *code);
/* Industry i's name for a reader of language en (0 Polish, 1 English): its
 * name in that language when known, else its display name, else NULL. */
const char *cube_ind_name(const struct cube *c, size_t i, int en);
/* Gives industry i a name in language en (0 Polish, 1 English; copied;
 * an earlier one is replaced). */
void cube_set_ind_name(struct cube *c, size_t i, int en, const char *name);
size_t cube_year(const struct cube *c, int year);
/* The index of year in *y, or -1 with a message naming the years there are
 * ("year 1999 is not in the data (years: 2015, 2016)"; "… 2000 to 2023" for
 * more than 12; a cube of one period says it has no year column). */
int cube_find_year(const struct cube *c, int year, size_t *y, struct kerr *e);

/*
 * Codes of several levels of one classification: how many of the n codes
 * are the start of another, longer code (PL1 of PL11, B05 of B051), whose
 * totals then count twice or more when they are levels of NUTS, TERYT,
 * PKD or NACE.  *outer and *inner (may be NULL) receive the first such pair
 * in sorted order (pointers into codes).  0 when none is.  Names with a
 * space (BDL's labels, "przemysł i budownictwo") are no codes of levels
 * and are not counted.
 */
size_t cube_nested_codes(char *const *codes, size_t n, const char **outer, const char **inner);

/* The employment cells without a value (NAN) of the regions in each year
 * (not absent), of the industries of that year (cube_industry_in_year):
 * their number; *first (may be NULL) the cube index of the first,
 * (size_t)-1 when none. */
size_t cube_missing_cells(const struct cube *c, size_t *first);
/* The same in year index y only (the year a command computes); every year when y is
 * (size_t)-1. */
size_t cube_missing_cells_in(const struct cube *c, size_t y, size_t *first);
/* 1 when industry i has a value (not NAN) in year y in some region that is
 * not absent then: an industry of that year's data. */
int cube_industry_in_year(const struct cube *c, size_t y, size_t i);

void cube_release(struct cube *c);

/* A copy of c in out that shares nothing with it (cube_release frees each
 * on its own): the portal's loaded datasets are kept once (dataset.h) and
 * each request gets its own. */
void cube_copy(struct cube *out, const struct cube *c);

/* 1 when some industry is flagged traded (traded == 1): what the traded
 * base of the indicators needs (indic.h, INDIC_BASE_TRADED). */
int cube_has_traded(const struct cube *c);

/*
 * Leaves out every region in every year in which it has no employment:
 * each of its employment cells that year is missing (NAN) or zero, as for
 * the extra-regio regions of Eurostat's tables (CZZZ).  Its cells of that
 * year (employment, establishments, wages) become NAN and it is marked
 * absent there; a region left out of every year is removed from the cube
 * with its name.  Returns the number of region × year pairs left out.
 * first (may be NULL) receives the first few of them, "CZZZ 2015, DE41
 * 2015" (the year left out for a cube without years), truncated to size
 * bytes.  A cube that went through it once is unchanged by a second call.
 * The callers: the statistics readers with skip_invalid (stats.h), and
 * dataset_load, whose stored datasets hold no cells where a region was
 * left out.
 */
size_t cube_leave_out_empty(struct cube *c, char *first, size_t size);

/*
 * Building a cube from cells given in any order.  With CUBE_SUM, cells
 * with the same region × industry × year are added up (aggregating firms or
 * fine codes); without it a repeated cell is an error naming both places
 * ("src" strings such as "stats.csv:17").  NAN values mark a known-missing
 * cell; summing a NAN with a number gives the number.  With
 * CUBE_ABSENT_ZERO, a cell no row gave, of a region that has a cell in
 * that year, is 0 (employment and establishments; a register lists only
 * what exists) instead of missing; a cell given as missing stays missing.
 * With CUBE_UNIQUE the caller vouches that no cell comes twice (a database
 * table's primary key: dataset_load): no table is kept to find a repeated
 * one, which for millions of cells is most of the building's time and a
 * tenth of its memory; a repeated cell would not be told.
 */
enum { CUBE_SUM = 1, CUBE_ABSENT_ZERO = 2, CUBE_UNIQUE = 4 };
struct cube_builder;
struct cube_builder *cube_builder_new(int flags);
int cube_builder_add(struct cube_builder *b, const char *region, const char *industry, int year,
		     double emp, double est, double wage, const char *src, struct kerr *e);
/*
 * The same for a reader that adds many cells of codes it has gathered
 * itself (stats.c's fast path): each code's index in the builder (added
 * when new, so codes are met in the order of the calls, as
 * cube_builder_add meets them; UINT32_MAX with cube_builder_add's message
 * when the code holds a control character or there are too many), then
 * each cell by those indexes, its source "FILE:LINE" made from file and
 * line only when a cell keeps it or a message names it.  Reserving room
 * for ncells cells first saves growing the builder's tables on the way.
 */
uint32_t cube_builder_region(struct cube_builder *b, const char *code, const char *src, struct kerr *e);
uint32_t cube_builder_industry(struct cube_builder *b, const char *code, const char *src, struct kerr *e);
void cube_builder_reserve(struct cube_builder *b, size_t ncells);
int cube_builder_add_at(struct cube_builder *b, uint32_t region, uint32_t industry, int year, double emp,
			double est, double wage, const char *file, long line, struct kerr *e);
/* Optional names (the last one given wins) and the traded flag (two
 * different flags for one industry are an error naming both sources, and
 * col, the column as the file spells it, when not NULL; code, when not
 * NULL and not industry, is the code the row gives, which a crosswalk put
 * in industry). */
void cube_builder_names(struct cube_builder *b, const char *region, const char *region_name,
			const char *industry, const char *industry_name);
/* How many times a code was given a name other than the one it had (the
 * later one kept); first receives the first of them, "region 02: 'A'
 * then 'B'", truncated to size bytes ("" when none). */
size_t cube_builder_renamed(const struct cube_builder *b, char *first, size_t size);
int cube_builder_traded(struct cube_builder *b, const char *industry, int traded, const char *src,
			const char *col, const char *code, struct kerr *e);
/* Reference economy employment for an industry and year (NAN: given as
 * unknown).  Once a value is given the cube has a reference (cube.ref),
 * whatever it matches; finish fails (KERR_INPUT, naming the reference's
 * file) when none of the reference's industries is an industry of the
 * cells.  With CUBE_SUM the values of one industry and year add up (a
 * crosswalk's codes of one cluster), but unlike a cell's, a sum with a NAN
 * part is NAN: the reference value is then unknown, not the known parts'
 * total, which would pass for the whole nation's and raise the LQs. */
int cube_builder_ref(struct cube_builder *b, const char *industry, int year, double emp,
		     const char *src, struct kerr *e);
/*
 * What a builder holds so far: the number of cells and reference values
 * added, and whether it was created with CUBE_SUM.  A reader that collects
 * cells itself before adding them (stats.c's fast path) needs an empty
 * builder to add them in the same order of sums as row by row.
 */
size_t cube_builder_ncells(const struct cube_builder *b);
int cube_builder_sums(const struct cube_builder *b);
/*
 * The cells (not the reference's) whose value (0 employment, 1
 * establishments, 2 wages) adds a missing part (NAN) to known ones, with
 * CUBE_SUM: each holds the known parts' total, a lower bound of the true
 * one.  A cell whose every part of that value is missing stays missing and
 * is not one of them.  Counts what cube_builder_add was given: a reader
 * that adds each cell once, summed beforehand, has none unless it says so
 * (cube_builder_note_missing).  first receives the first of them in the
 * order of creation, "region 02, industry C26, year 2015", truncated to
 * size bytes ("" when none).
 */
size_t cube_builder_partial_cells(const struct cube_builder *b, int value, char *first, size_t size);
/*
 * The cell cube_builder_add gave a value last had parts without the values
 * of bits (bit k: value k as above) too, which the caller's own sum left
 * out (stats.c's fast path sums a cell's rows before adding it once): they
 * count as missing parts given to the builder, for
 * cube_builder_partial_cells.  A BUG before any add.
 */
void cube_builder_note_missing(struct cube_builder *b, unsigned bits);
/* Builds the dense cube and frees the builder (also on error). */
int cube_builder_finish(struct cube_builder *b, struct cube *out, struct kerr *e);
void cube_builder_free(struct cube_builder *b);

#endif
