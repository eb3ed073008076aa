/*
 * dir.h — the directory: organisations of the quadruple helix, clusters,
 * memberships and reference data (regions, PKD).  The library core that
 * the CLI (import/export) and the HTTP front end (pages, API) both call.
 *
 * Records are validated from name/value pairs (a CSV row, a JSON object or
 * a form) by *_from_fields, which returns a message naming the field and
 * the reason.  Strings in the structs are owned by the struct and freed by
 * *_release.  All functions take an open struct db; writes expect the
 * caller to hold a transaction (db_begin) when several rows belong together.
 */
#ifndef KLASTER_DIR_H
#define KLASTER_DIR_H

#include "buf.h"
#include "db.h"
#include "err.h"

struct org {
	long long id;
	char *name, *type, *size_class;
	char *nip, *regon, *krs;
	int pkd_version;
	char *pkd;             /* normalised codes joined by ';', first is the main one */
	char *pkd_section;     /* section letter of the main code */
	char *street, *postal_code, *city, *teryt, *voivodeship;
	int has_coords;
	double lat, lon;
	char *website, *email, *phone, *description_pl, *description_en;
	int demo;
	char *voivodeship_name; /* filled by reads */
	char *updated_at;
};

struct cluster {
	long long id;
	char *acronym, *name;
	long long coordinator_id;
	char *coordinator_name;  /* filled by reads */
	char *coordinator_key;   /* NIP or REGON given on import */
	int founded;
	char *sectors;           /* PKD divisions/classes joined by ';' */
	char *region, *region_name;
	char *website, *email, *description_pl, *description_en;
	char *labels;            /* "kind@from/to" joined by ';' */
	int demo;
	long long nmembers;      /* filled by reads */
};

/* An earlier, ended membership of the same organisation in the same cluster
 * (table membership_period): kept when a former member joins again. */
struct member_period {
	long long cluster_id, org_id;
	char *role, *joined, *left_on;     /* joined may be NULL */
};

struct member {
	long long cluster_id, org_id;
	char *cluster_acronym, *org_key;   /* as given on import */
	char *role, *joined, *left_on;
	struct org org;                    /* filled by dir_cluster_members */
	/* dir_cluster_members and dir_org_clusters: the earlier periods, oldest
	 * first; borrowed, valid during the callback only (member_release leaves
	 * them) */
	const struct member_period *earlier;
	size_t nearlier;
};

void org_release(struct org *o);
void cluster_release(struct cluster *c);
void member_release(struct member *m);

/* Field lists, in export order; NULL-terminated. */
#define ORG_NCOLS 20
extern const char *const org_columns[];
/* o's values in the order of org_columns, as text (ver, lat and lon hold
 * the numbers; lat and lon "" without coordinates; NULL where empty). */
void org_values(const struct org *o, const char *v[ORG_NCOLS], char ver[8], char lat[32], char lon[32]);
extern const char *const cluster_columns[];
extern const char *const member_columns[];

/* Validate and fill from n name/value pairs (values may be NULL/empty for
 * absent).  Unknown names are an error.  On error: -1, e->msg is
 * "column NAME: reason" (KERR_INPUT).  db is used to check reference codes. */
int org_from_fields(struct org *o, const char *const *names, const char *const *values,
		    size_t n, struct db *db, struct kerr *e);
/* The same for a form: every problem, not only the first, each on a line
 * of e->msg as "NAME: reason" (without "column "), in the order of the
 * fields given, then the checks across fields (size_class for the type,
 * lat with lon). */
int org_from_form(struct org *o, const char *const *names, const char *const *values,
		  size_t n, struct db *db, struct kerr *e);
/* The same from a JSON object of scalars (strings, numbers, booleans,
 * null); a body that is not such an object fails with KERR_USAGE, invalid
 * values with KERR_INPUT (as org_from_fields). */
int org_from_json(struct org *o, const char *json, size_t len, struct db *db, struct kerr *e);
/* A partial change of the stored record cur: the body's fields over cur's
 * values, validated whole (as org_from_json); o->id = cur->id, so that
 * dir_org_upsert updates that record even when its NIP or REGON change. */
int org_patch_json(struct org *o, const struct org *cur, const char *json, size_t len, struct db *db,
		   struct kerr *e);
int cluster_from_fields(struct cluster *c, const char *const *names, const char *const *values,
			size_t n, struct db *db, struct kerr *e);
/* The same for a form: every problem, one a line "NAME: reason" (as org_from_form). */
int cluster_from_form(struct cluster *c, const char *const *names, const char *const *values,
		      size_t n, struct db *db, struct kerr *e);
int member_from_fields(struct member *m, const char *const *names, const char *const *values,
		       size_t n, struct db *db, struct kerr *e);

enum upsert_result { UPSERT_INSERTED = 1, UPSERT_UPDATED, UPSERT_UNCHANGED };

/* Inserts or updates, matching on NIP, else REGON, else name + postal
 * code (clusters: acronym; members: cluster + organisation).  Sets o->id.
 * An organisation whose o->id is set already (org_patch_json) updates that
 * record: 404 when there is none, KERR_CONFLICT when another holds its NIP
 * or REGON.
 * Renaming an organisation also refreshes the search text of its offers
 * and services (offer_refresh_org), in the caller's transaction. */
int dir_org_upsert(struct db *db, struct org *o, enum upsert_result *res, struct kerr *e);
int dir_cluster_upsert(struct db *db, struct cluster *c, enum upsert_result *res, struct kerr *e);
/* A member whose row has ended (left_on set) and that m reopens (no left_on,
 * another joining date) joins again: the ended period is kept in
 * membership_period, as it was recorded (a leaving date still to come too),
 * before the row takes m's values; the same joining date without left_on
 * corrects the row instead. */
int dir_member_upsert(struct db *db, struct member *m, enum upsert_result *res, struct kerr *e);

/* Search.  Every filter may be NULL or "" for "any". */
struct org_query {
	const char *q;          /* free text; folded, every word must match as a prefix */
	const char *type;       /* enterprise | research | support | public | ngo */
	const char *size;       /* micro | small | medium | large */
	const char *section;    /* PKD section letter: organisations with a code in it … */
	const char *pkd;        /* a PKD code below the section (62, 62.0, 62.01, 62.01.Z, in any form
				   valid_pkd takes): organisations with a code in it … */
	const char *pkd_version; /* … both of this edition, "2007" (NULL or "": 2007) or "2025" (the
				    editions letter sections J–V and number divisions otherwise) */
	const char *voiv;       /* TERYT of the voivodeship */
	long long cluster;      /* cluster id, 0 = any */
	const char *sort;       /* "name" (default), "-name", "newest", "voivodeship" */
	long page;              /* 1-based */
	long per_page;          /* 1..500; 0 = all (exports only, never from a request) */
};
/*
 * DIR_FILTER_WORDS: the full-text text of an organisation also holds its
 * filter values as words — "xtypeenterprise", "xsizesmall", "xvoiv14",
 * "xsecc" for each PKD section — so a text search with filters is one
 * full-text query, counted and paged without reading rows.  A searched word
 * that as a prefix would reach them ("x", "xs", "xtyp", "xvoiv1") is matched
 * as a whole word, so that typing "x" does not find the whole directory.
 */
/* Rewrites a user's search text for the full-text index: PKD codes with
 * dots ("62.01.Z", "62.01") become one compact word ("6201z", "6201"), and
 * a NIP written with dashes, spaces or "PL" ("813-849-65-81") its ten
 * digits (the whole text, or one word with a dash or the PL prefix).
 * Appends to out; folding happens later (fold_tokens). */
void dir_search_query(const char *q, struct buf *out);
/* Validates the query (unknown type, bad page …) with a message for the user. */
int org_query_check(const struct org_query *q, struct kerr *e);
/* org_query_check, then whether what the filters name exists, so that a filter
 * naming nothing is said rather than answered with an empty list: the
 * voivodeship (KERR_INPUT), the PKD code in its edition (KERR_INPUT, as
 * dir_pkd_check: "pkd: division 04 does not exist in PKD 2007"), the cluster
 * (KERR_NOTFOUND).  dir_org_csv and dir_org_table call it; a page or the API
 * calls it before dir_org_search. */
int org_query_check_db(struct db *db, const struct org_query *q, struct kerr *e);
/* Calls each() for every organisation of the page (o is valid during the
 * call only; a non-zero return stops); *total gets the number of matches. */
int dir_org_search(struct db *db, const struct org_query *q, long long *total,
		   int (*each)(void *ctx, const struct org *o), void *ctx, struct kerr *e);
/* The two halves of dir_org_search: the ids of the page in order (*ids is
 * malloc'ed; free it) with the total, and the full rows for given ids in
 * the given order (ids no longer present are skipped). */
int dir_org_search_ids(struct db *db, const struct org_query *q, long long **ids, size_t *n,
		       long long *total, struct kerr *e);
int dir_org_emit(struct db *db, const long long *ids, size_t n,
		 int (*each)(void *ctx, const struct org *o), void *ctx, struct kerr *e);
/* The data's generation: incremented by every write to the directory
 * (migration 003); -1 on error. */
long long dir_generation(struct db *db);
/* The generations of the three cache areas (http.h R_AREA_*): directory,
 * offers and services, news and comments; -1 on error. */
int dir_generations(struct db *db, long long out[3]);
/* Appends the matches as CSV with the import columns (so an export can be
 * imported again); q->per_page 0 exports all. */
int dir_org_csv(struct db *db, const struct org_query *q, struct buf *out, struct kerr *e);
/* The same rows into a table (tablew.h: XLSX, JSON, CSV or GeoJSON, each
 * organisation with coordinates a point), the import columns, lat, lon and
 * pkd_version as numbers; the caller opened t with org_columns and closes it. */
struct tablew;
int dir_org_table(struct db *db, const struct org_query *q, struct tablew *t, struct kerr *e);
/* Reads one organisation; KERR_NOTFOUND when there is none. */
int dir_org_get(struct db *db, long long id, struct org *o, struct kerr *e);
/* The clusters an organisation belongs to: each(ctx, cluster, member). */
int dir_org_clusters(struct db *db, long long org_id,
		     int (*each)(void *ctx, const struct cluster *c, const struct member *m),
		     void *ctx, struct kerr *e);

/* A cluster search (dir_cluster_list's q and voiv) checked as org_query_check_db
 * checks those of an organisation search: "q: …" (more than 200 characters or
 * 16 words), "voiv: …" (not a 2-digit code, or no such voivodeship); KERR_INPUT. */
int cluster_query_check_db(struct db *db, const char *q, const char *voiv, struct kerr *e);
/* Clusters, sorted in Polish order; q and voiv as for organisations. */
int dir_cluster_list(struct db *db, const char *q, const char *voiv,
		     int (*each)(void *ctx, const struct cluster *c), void *ctx, struct kerr *e);
/* By numeric id or by acronym. */
/* The id of the cluster whose acronym is acronym whatever its case (fold_lower:
 * ŁKŻ is łkż); *id 0 when none.  0, or -1 on a database error. */
int dir_cluster_id(struct db *db, const char *acronym, long long *id, struct kerr *e);
int dir_cluster_get(struct db *db, const char *id_or_acronym, struct cluster *c, struct kerr *e);
int dir_cluster_members(struct db *db, long long cluster_id,
			int (*each)(void *ctx, const struct member *m), void *ctx, struct kerr *e);

/* Counts per voivodeship, for the map. */
struct voiv_stat {
	char teryt[3];
	char *name;
	long long orgs, members, clusters;   /* members: organisations in a cluster now */
};
int dir_voiv_stats(struct db *db, struct voiv_stat **out, size_t *n, struct kerr *e);
/* Coordinates (lon,lat pairs) of current cluster members, at most max;
 * *out is malloc'ed (free it), *n gets the number of points. */
int dir_member_points(struct db *db, size_t max, double **out, size_t *n, struct kerr *e);
void dir_voiv_stats_free(struct voiv_stat *v, size_t n);

/* Reference data: names for codes (NULL when unknown; result owned by caller). */
char *dir_region_name(struct db *db, const char *teryt);
char *dir_org_name(struct db *db, long long id);
char *dir_cluster_name(struct db *db, long long id);
int dir_region_exists(struct db *db, const char *teryt);
int dir_pkd_exists(struct db *db, int version, const char *division);
char *dir_pkd_section(struct db *db, int version, const char *division);
/* The code one level up of a PKD code of level 3..5 (valid_pkd's levels):
 * "62.01.Z" → "62.01", "62.01" → "62.0", "62.0" → "62". */
void dir_pkd_parent(const char *code, int level, char up[10]);
/* The name of valid_pkd's level 1..5: "section" … "subclass" ("" for others). */
const char *dir_pkd_level_name(int level);
/* The level of a PKD code ("section" … "subclass"), NULL when unknown. */
char *dir_pkd_level(struct db *db, int version, const char *code);
/* The name of a PKD code in lang ("pl" or "en"): English from the code, or
 * else from the nearest level above that has one (subclasses have none;
 * 62.01.Z is named as its class), else Polish; a code the table does not
 * hold is named as its division.  NULL when neither is known. */
char *dir_pkd_name(struct db *db, int version, const char *code, const char *lang);
/* Whether the PKD code (valid_pkd's normalised form, of level 2..5) is in
 * PKD version: 0, or -1 with why ("division 04 does not exist in PKD 2007",
 * "62.01.Y is not a subclass of PKD 2007; class 62.01 has 62.01.Z").
 * Groups, classes and subclasses are checked when the table holds that
 * level (klaster import reference); else only their division. */
int dir_pkd_check(struct db *db, int version, const char *code, int level, struct buf *why);

/* Display names of the enumerations; lang is "pl" or "en". */
const char *org_type_label(const char *type, const char *lang);
const char *org_size_label(const char *size, const char *lang);
const char *member_role_label(const char *role, const char *lang);
const char *cluster_label_name(const char *kind, const char *lang);
/* A stored state or account role as a person reads it ("confirmed" →
 * "potwierdzony"): accounts' roles and states, mail, newsletter
 * subscribers (and how they left), drafts; the key itself when unknown. */
const char *state_label(const char *key, const char *lang);
extern const char *const org_types[];   /* NULL-terminated */
extern const char *const org_sizes[];

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void dir_now(char out[32]);

#endif
