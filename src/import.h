/*
 * import.h — loading CSV files and reference data into the directory.
 *
 * A CSV import is one transaction: every row is validated (messages name
 * the file, the line, the column and the reason) and nothing is written if
 * any row fails — unless skip_invalid is set, in which case each bad row
 * is reported to opts->report and skipped (a savepoint per row keeps a
 * half-written row out).  Killing the process mid-import leaves the
 * database as it was: the transaction is never committed.
 */
#ifndef KLASTER_IMPORT_H
#define KLASTER_IMPORT_H

#include <stdio.h>

#include "db.h"
#include "err.h"

enum import_kind { IMPORT_ORGANISATIONS, IMPORT_CLUSTERS, IMPORT_MEMBERS };

struct import_opts {
	int skip_invalid;
	int progress;        /* 1 always, 0 only when report is a terminal, -1 never */
	FILE *report;        /* skipped rows and progress; may be NULL */
};

struct import_stats {
	long rows, inserted, updated, unchanged, skipped;
};

/* Finds the kind by its command name ("organisations", "clusters", "members"). */
int import_kind_by_name(const char *name, enum import_kind *out);

/* Imports a CSV file (path) or, when path is NULL, data/len from memory
 * named by name.  On failure returns -1 and nothing was written. */
int import_csv(struct db *db, enum import_kind kind, const char *path, const char *data, size_t len,
	       const char *name, const struct import_opts *opts, struct import_stats *stats,
	       struct kerr *e);

/* Reference data: the voivodeship and powiat boundaries (GeoJSON with
 * properties teryt, name[, nuts2, voivodeship]) and the PKD list
 * (CSV version,level,code,parent,name_pl,name_en).  Idempotent. */
int import_regions(struct db *db, const char *path, const char *level, struct kerr *e);
int import_pkd(struct db *db, const char *path, struct kerr *e);
/* The groups, classes and subclasses of PKD version (2007 or 2025) from a
 * CSV code,name_pl[,name_en] in GUS's code form (62.0, 62.01, 62.01.Z), as
 * reference/pkd2007_names.csv: each code's parent must come before it, its
 * sections and divisions must already be in the table (import_pkd), and
 * they are only checked.  One transaction: on an error (file:line: column
 * code|name_pl: why) nothing is stored.  Idempotent. */
int import_pkd_names(struct db *db, const char *path, int version, struct kerr *e);
/* NUTS regions of Europe (GeoJSON as Eurostat's GISCO files: properties
 * NUTS_ID, LEVL_CODE, CNTR_CODE, NUTS_NAME) into nuts_region, for the
 * cluster map of European datasets.  Idempotent. */
int import_nuts(struct db *db, const char *path, struct kerr *e);
/* All reference files below dir/reference/: voivodeships, powiats, PKD
 * (pkd.csv, then every level from pkd2007_names.csv and pkd2025_names.csv)
 * and the NUTS-2 regions of Europe (eu_nuts2_2021_20M_4326.geojson). */
int import_reference(struct db *db, const char *dir, FILE *log, struct kerr *e);

#endif
