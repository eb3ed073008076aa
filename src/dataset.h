/*
 * dataset.h — statistics datasets stored in the database for the portal's
 * cluster map: a cube (cube.h) under a short name, with a title, a source
 * line, its licence (the terms of reuse, migration 026: shown next to the
 * source wherever its numbers go) and the kind of region codes it uses.  What the indicators need of
 * the cube is stored with it (migrations 004 and 014): employment and
 * establishments, the region and industry names, the reference economy
 * (cube.ref) and the traded flags (cube.traded), so that indicators of a
 * loaded dataset equal those of `klaster map indicators` on the file it was
 * imported from.  Wages are not stored.
 */
#ifndef KLASTER_DATASET_H
#define KLASTER_DATASET_H

#include "cube.h"
#include "db.h"
#include "err.h"

struct dataset_info {
	long long id;
	char *name, *title, *source, *licence, *region_kind;   /* source, licence: "" or NULL when none */
	int has_ref;     /* 1: stored with a reference economy (cube.ref) */
	int has_traded;  /* 1: some industry is flagged traded, so the traded
			    base (INDIC_BASE_TRADED) can be computed */
	long long generation;   /* dataset_load: the data generation the cube was read at (what
				   dscache keys it and its derived results by); -1 when not known */
};
void dataset_info_release(struct dataset_info *d);

/* 1 when s is a valid name of a stored dataset or firm list (firms.h):
 * 1–60 characters of [a-z0-9-]. */
int dataset_name_ok(const char *s);
/* 1 when s may name a new dataset or firm list: dataset_name_ok, and not
 * beginning with '-', which the command line reads as an option (a list
 * named "-a" could not be deleted: `klaster dataset delete -a`). */
int dataset_name_new_ok(const char *s);
/* 0 when s, the --title, --source or --licence (opt) of a stored dataset or
 * firm list, is one line of UTF-8 text (and a title not empty); else -1
 * with KERR_USAGE naming opt and why: `klaster dataset list` writes them on
 * its tab-separated line, and the portal's pages, API and downloads write
 * them as text.  s may be NULL (not given). */
int dataset_text_ok(const char *opt, const char *s, struct kerr *e);
/* Appends the source and licence of a dataset or firm list (NULL or "" for none) as members of a
 * JSON object, each after a comma: ,"source":"…","licence":"…" ("" for none, as the API has
 * always written a source). */
void dataset_json_source(struct buf *b, const char *source, const char *licence);
/* A GeoJSON FeatureCollection written into out from byte start on (tablew) gains the dataset's
 * or firm list's name, title, source and licence as members of its own (RFC 7946 6.1: foreign
 * members, which a GIS reading its features passes over), so that the layer says where its
 * numbers come from and on what terms.  out is left as it is when it holds no collection there. */
void dataset_geojson_attribution(struct buf *out, size_t start, const char *name, const char *title,
				 const char *source, const char *licence);
/* Names the industries of c that are sections or divisions of PKD version (2007, 2025) by the
 * classification the database holds (table pkd, `klaster import reference`): their Polish and
 * English names (cube_ind_name), and as the display name the English one where the file gave
 * none (as an --industry-names file's name_en).  A code the classification lacks (a class, NACE's
 * "C29") stays as it is.  The number of industries named, or -1 with e. */
long dataset_pkd_names(struct db *db, struct cube *c, int version, struct kerr *e);

/* 1 when kind is a region kind dataset_store takes: teryt, nuts2013 or other. */
int dataset_region_kind_ok(const char *kind);

/* Stores the cube as dataset name, replacing one of that name (and all
 * it held, under the same id), in one transaction; another store of the
 * same name at the same time waits for this one's commit and then replaces
 * it whole (the last committed is the dataset).  Rows are written many to a
 * statement.  name: 1–60 of [a-z0-9-]; source and licence may be NULL
 * (none: stored as ""); region_kind:
 * teryt, nuts2013 or other.  Only cells with a value are stored: a region
 * with none (all missing, or left out by the reader, cube_leave_out_empty)
 * is not in the dataset, nor is a year without any; an industry without
 * any is stored as one empty cell (of the first region and year), so that
 * the dataset has every industry of the cube.  With
 * c->ref every value of it is stored (NAN as unknown); of c->traded the
 * flags that are given (0 or 1); the names that are given. */
int dataset_store(struct db *db, const char *name, const char *title, const char *source,
		  const char *licence, const char *region_kind, const struct cube *c, struct kerr *e);
/* Loads a dataset back as a cube (KERR_NOTFOUND when there is none);
 * info may be NULL.  The cube equals the one stored, but for wages (NULL)
 * and what was not stored (above): its ref is NULL when it was stored
 * without a reference, else nyear × nind with NAN where the reference had
 * no value; traded is -1 for an industry stored without a flag.  A region
 * without cells in one of the dataset's years is absent from it
 * (cube_leave_out_empty), as it was left out of it when stored.  With the
 * cache of loaded datasets on (dscache.h: the portal's server), a dataset
 * loaded before at the current data generation is copied from there. */
int dataset_load(struct db *db, const char *name, struct cube *out, struct dataset_info *info,
		 struct kerr *e);
/* Deletes dataset name and everything it holds (cells, names, reference,
 * traded flags) in one statement: 0, or -1 with KERR_NOTFOUND when there
 * is none. */
int dataset_delete(struct db *db, const char *name, struct kerr *e);
/* The shape of a stored dataset: its regions, industries and years (of
 * its cells); -1 on a database error. */
int dataset_shape(struct db *db, long long id, long long *nreg, long long *nind, long long *nyear,
		  struct kerr *e);
/* Every dataset, by name (has_ref and has_traded filled in too). */
int dataset_list(struct db *db, int (*each)(void *ctx, const struct dataset_info *d), void *ctx,
		 struct kerr *e);

#endif
