/*
 * dataset.h — statistics datasets stored in the database for the portal's
 * cluster map: a cube (cube.h) under a short name, with a title, a source
 * line and the kind of region codes it uses.
 */
#ifndef KLASTER_DATASET_H
#define KLASTER_DATASET_H

#include "cube.h"
#include "db.h"
#include "err.h"

struct dataset_info {
	long long id;
	char *name, *title, *source, *region_kind;
};
void dataset_info_release(struct dataset_info *d);

/* 1 when s is a valid name of a stored dataset or firm list (firms.h):
 * 1–60 characters of [a-z0-9-]. */
int dataset_name_ok(const char *s);

/* Stores the cube as dataset name, replacing one of that name, in one
 * transaction.  name: 1–60 of [a-z0-9-]; region_kind: teryt, nuts2013 or
 * other.  Only cells with a value are stored: a region with none (all
 * missing, or left out by the reader, cube_leave_out_empty) is not in the
 * dataset. */
int dataset_store(struct db *db, const char *name, const char *title, const char *source,
		  const char *region_kind, const struct cube *c, struct kerr *e);
/* Loads a dataset back as a cube (KERR_NOTFOUND when there is none);
 * info may be NULL.  A region without cells in one of the dataset's years
 * is absent from it (cube_leave_out_empty), as it was left out of it when
 * stored. */
int dataset_load(struct db *db, const char *name, struct cube *out, struct dataset_info *info,
		 struct kerr *e);
/* Every dataset, by name. */
int dataset_list(struct db *db, int (*each)(void *ctx, const struct dataset_info *d), void *ctx,
		 struct kerr *e);

#endif
