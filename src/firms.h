/*
 * firms.h — located firm lists stored in the database (migration 011) for
 * the portal's firm-point maps: a list of firms with coordinates (as read by
 * spatial_firms_load, spatial.h) under a short name, with a title and a
 * source line.  The firms keep the order of the file, so DBSCAN on a
 * stored list numbers its clusters as `klaster map spatial` does on the
 * file.
 */
#ifndef KLASTER_FIRMS_H
#define KLASTER_FIRMS_H

#include "db.h"
#include "err.h"
#include "spatial.h"

/* The most firms one list may hold: the portal runs DBSCAN and draws
 * every firm on each request.  Larger lists: klaster map spatial. */
#define FIRMS_MAX 50000

struct firms_info {
	long long id;
	char *name, *title, *source;
	long long nfirms;            /* firms stored */
	long long skipped;           /* rows of the file left out: no coordinates */
};
void firms_info_release(struct firms_info *d);

/* Stores the firms of f as list name, replacing one of that name, in one
 * transaction.  name: 1–60 of [a-z0-9-] (KERR_USAGE otherwise); at most
 * FIRMS_MAX firms (KERR_TOOBIG); skipped is recorded for the page. */
int firms_store(struct db *db, const char *name, const char *title, const char *source,
		const struct spatial_firms *f, long long skipped, struct kerr *e);
/* Loads a list back in its stored order (KERR_NOTFOUND when there is
 * none).  industry, when not NULL or "", keeps the firms of that code only
 * (exact match, as --industry of map spatial; out->filtered counts the
 * others).  out is overwritten: release it with spatial_firms_release,
 * also after a failure.  info may be NULL; release it with
 * firms_info_release. */
int firms_load(struct db *db, const char *name, const char *industry, struct spatial_firms *out,
	       struct firms_info *info, struct kerr *e);
/* Every list, by name; each returns non-zero to stop. */
int firms_list(struct db *db, int (*each)(void *ctx, const struct firms_info *d), void *ctx,
	       struct kerr *e);
/* The distinct industry codes of a list, in byte order, each passed to
 * each (which returns non-zero to stop). */
int firms_industries(struct db *db, const char *name, int (*each)(void *ctx, const char *code, long long n),
		     void *ctx, struct kerr *e);

#endif
