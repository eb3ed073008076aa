/*
 * firms.h — located firm lists stored in the database (migrations 011 and
 * 013) for the portal's firm-point maps: a list of firms with coordinates
 * (as read by spatial_firms_load, spatial.h) under a short name, with a
 * title, a source line, its licence (the terms of reuse, migration 026)
 * and any number of named numeric values per firm
 * (emissions, employment; missing ones stored as NULL).  The firms keep the
 * order of the file, so DBSCAN on a stored list numbers its clusters as
 * `klaster map spatial` does on the file, and Getis–Ord on a value gives
 * what `klaster map hotspots --value` gives.
 */
#ifndef KLASTER_FIRMS_H
#define KLASTER_FIRMS_H

#include "db.h"
#include "err.h"
#include "spatial.h"

/* The most firms one list may hold: the portal runs DBSCAN and draws
 * every firm on each request.  Larger lists: klaster map spatial. */
#define FIRMS_MAX 50000
/* The most values a list may carry, and the longest value name (bytes). */
#define FIRMS_MAX_VALUES 16
#define FIRMS_VALUE_NAME_MAX 60

struct firms_info {
	long long id;
	char *name, *title, *source, *licence;   /* source, licence: "" when none */
	long long nfirms;            /* firms stored */
	long long skipped;           /* rows of the file left out: no coordinates */
};
void firms_info_release(struct firms_info *d);

/* Checks the names of n values for a list: 1 to FIRMS_MAX_VALUES of them,
 * each 1 to FIRMS_VALUE_NAME_MAX bytes of printable text, no two alike
 * (case ignored, as the columns of a file are found); -1 with KERR_USAGE
 * and a message naming the --value option otherwise. */
int firms_values_check(const char *const *names, size_t n, struct kerr *e);
/* Names the industries of f's firms from a names file (code_names_read:
 * `code` with `name`, `name_pl`, `name_en`): an industry without a name
 * takes the file's display name, and the Polish and English names become
 * its names in those languages (stored by firms_store, shown by the points
 * page in its language).  *named gets the number of industries the file
 * named.  0, or -1 with a message (the file's, or two rows for one code). */
int firms_industry_names(struct spatial_firms *f, const char *path, long *named, struct kerr *e);
/* Reads a firm list to store from path as spatial_firms_load reads it
 * with o (whose max_firms is replaced by FIRMS_MAX): a file with more
 * located firms than a list keeps is refused at the row of the first one
 * too many (KERR_TOOBIG naming the file, that line, the limit and the way
 * out), before the rest of it is read, so a file of millions of rows costs
 * neither the time to read it nor the memory to hold it.  f as
 * spatial_firms_load leaves it. */
int firms_read(const char *path, const struct spatial_firms_opts *o, struct spatial_firms *f, struct kerr *e);
/* Stores the firms of f as list name, replacing one of that name, in one
 * transaction: nothing is written when anything fails.  name: 1–60 of
 * [a-z0-9-] (KERR_USAGE otherwise); source and licence may be NULL (none:
 * stored as ""); at most FIRMS_MAX firms (KERR_TOOBIG);
 * skipped is recorded for the page.  The f->nattr attributes of the firms
 * are stored as values named value_names (firms_values_check; NULL when
 * f->nattr is 0), missing ones as NULL. */
int firms_store(struct db *db, const char *name, const char *title, const char *source, const char *licence,
		const struct spatial_firms *f, const char *const *value_names, long long skipped, struct kerr *e);
/* Loads a list back in its stored order (KERR_NOTFOUND when there is
 * none).  industry, when not NULL or "", keeps the firms of that code only
 * (exact match, as --industry of map spatial; out->filtered counts the
 * others).  value, when not NULL or "", names a stored value: it becomes
 * the one attribute of every firm (out->nattr 1, NAN when missing;
 * KERR_INPUT when the list has no such value).  out is overwritten:
 * release it with spatial_firms_release, also after a failure.  info may
 * be NULL; release it with firms_info_release. */
int firms_load(struct db *db, const char *name, const char *industry, const char *value,
	       struct spatial_firms *out, struct firms_info *info, struct kerr *e);
/* A stored value of a list: how many of its firms have it, and lack it. */
struct firms_value {
	const char *name;
	long long present, missing;
};
/* The values of a list, in the order they were given, each passed to each
 * (which returns non-zero to stop); none for an unknown list. */
int firms_values(struct db *db, const char *name, int (*each)(void *ctx, const struct firms_value *v), void *ctx,
		 struct kerr *e);
/* Every list, by name; each returns non-zero to stop. */
/* Deletes firm list name with its firms, values and industry names: 0, or
 * -1 with KERR_NOTFOUND when there is none. */
int firms_delete(struct db *db, const char *name, struct kerr *e);
int firms_list(struct db *db, int (*each)(void *ctx, const struct firms_info *d), void *ctx,
	       struct kerr *e);
/* The distinct industry codes of a list, numbers by their value and the
 * others after them in byte order, each passed to
 * each with its name in language en (0 Polish, 1 English) when the list has
 * one (firms_industry_names), else its own name ("" when the list was
 * stored without one: import firms --industry-name-column) and its number
 * of firms (each returns non-zero to stop). */
int firms_industries(struct db *db, const char *name, int en,
		     int (*each)(void *ctx, const char *code, const char *iname, long long n), void *ctx,
		     struct kerr *e);

#endif
