/* import.c — CSV and reference-data import (see import.h). */
#include "import.h"

#include <jansson.h>
#include <sys/stat.h>

#include "csv.h"
#include "esc.h"
#include "progress.h"
#include "strset.h"
#include "dir.h"
#include "geo.h"
#include "jsonerr.h"
#include "outfile.h"
#include "valid.h"

/* One row of a kind: validate, write, free — behind one table. */
struct kind_ops {
	const char *name;
	const char *const *columns;
	const char *const *required;
	size_t size;
	int (*from_fields)(void *rec, const char *const *names, const char *const *values, size_t n,
			   struct db *db, struct kerr *e);
	int (*upsert)(struct db *db, void *rec, enum upsert_result *res, struct kerr *e);
	void (*release)(void *rec);
	/* the record's identity once upserted (its row in the database), and what it is called */
	void (*key)(const void *rec, char *out, size_t n);
	const char *what;
};

static int org_ff(void *r, const char *const *n, const char *const *v, size_t k, struct db *db, struct kerr *e)
{ return org_from_fields(r, n, v, k, db, e); }
static int org_up(struct db *db, void *r, enum upsert_result *res, struct kerr *e)
{ return dir_org_upsert(db, r, res, e); }
static void org_rel(void *r) { org_release(r); }
static void org_key(const void *r, char *out, size_t n) { snprintf(out, n, "%lld", ((const struct org *)r)->id); }
static int cl_ff(void *r, const char *const *n, const char *const *v, size_t k, struct db *db, struct kerr *e)
{ return cluster_from_fields(r, n, v, k, db, e); }
static int cl_up(struct db *db, void *r, enum upsert_result *res, struct kerr *e)
{ return dir_cluster_upsert(db, r, res, e); }
static void cl_rel(void *r) { cluster_release(r); }
static void cl_key(const void *r, char *out, size_t n) { snprintf(out, n, "%lld", ((const struct cluster *)r)->id); }
static int mem_ff(void *r, const char *const *n, const char *const *v, size_t k, struct db *db, struct kerr *e)
{ return member_from_fields(r, n, v, k, db, e); }
static int mem_up(struct db *db, void *r, enum upsert_result *res, struct kerr *e)
{ return dir_member_upsert(db, r, res, e); }
static void mem_rel(void *r) { member_release(r); }
static void mem_key(const void *r, char *out, size_t n)
{
	const struct member *m = r;
	snprintf(out, n, "%lld/%lld", m->cluster_id, m->org_id);
}

static const char *const org_required[] = { "name", "type", NULL };
static const char *const cluster_required[] = { "acronym", "name", NULL };
static const char *const member_required[] = { "cluster", "organisation", NULL };

static const struct kind_ops kinds[] = {
	[IMPORT_ORGANISATIONS] = { "organisations", org_columns, org_required, sizeof(struct org), org_ff, org_up, org_rel,
				   org_key, "the same organisation as line %ld (matched by NIP, else REGON, else name and "
					    "postal code): give each organisation once" },
	[IMPORT_CLUSTERS] = { "clusters", cluster_columns, cluster_required, sizeof(struct cluster), cl_ff, cl_up, cl_rel,
			      cl_key, "the same cluster as line %ld (matched by acronym): give each cluster once" },
	[IMPORT_MEMBERS] = { "members", member_columns, member_required, sizeof(struct member), mem_ff, mem_up, mem_rel,
			     mem_key, "the same cluster and organisation as line %ld: give each membership once" },
};

static int in_names(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/*
 * What an unknown column name h most likely is, for the message: the header
 * of a file whose columns are separated by ';' or tabs (a spreadsheet in a
 * Polish locale saves "CSV" with ';'), a known name in another case or with
 * spaces around it, an empty name.  Appends to hint ("" when none fits).
 */
static void header_hint(const struct kind_ops *ops, const char *h, size_t pos, struct buf *hint)
{
	const char *const *c;
	size_t len = strlen(h), lead = strspn(h, " \t"), n;
	if (!*h) {
		buf_printf(hint, ": column %zu of the header has no name (a comma too many at the end?)", pos + 1);
		return;
	}
	if (strchr(h, ';') || strchr(h, '\t')) {
		char sep = strchr(h, ';') ? ';' : '\t';
		size_t first = strcspn(h, ";\t");
		for (c = ops->columns; *c; c++)
			if (strlen(*c) == first && strncmp(h, *c, first) == 0) {
				buf_printf(hint, ": the columns are separated by %s, not by commas: save the file as "
					   "\"CSV UTF-8 (comma delimited)\"", sep == ';' ? "semicolons" : "tabs");
				return;
			}
	}
	n = len - lead;
	while (n && (h[lead + n - 1] == ' ' || h[lead + n - 1] == '\t'))
		n--;
	for (c = ops->columns; *c; c++)
		if (strlen(*c) == n && strncasecmp(h + lead, *c, n) == 0) {
			buf_printf(hint, ": did you mean '%s'? (column names are lower case, without spaces around them)", *c);
			return;
		}
}

/* The header alone, at line 1: unknown and missing required columns. */
static int check_header(const struct kind_ops *ops, char **header, size_t n, const char *name,
			struct kerr *e)
{
	const char *const *req;
	size_t i;
	for (i = 0; i < n; i++)
		if (!in_names(ops->columns, header[i])) {
			struct buf known = BUF_INIT, hint = BUF_INIT, shown = BUF_INIT;
			const char *const *c;
			char cut[84];
			for (c = ops->columns; *c; c++)
				buf_printf(&known, "%s%s", known.len ? ", " : "", *c);
			header_hint(ops, header[i], i, &hint);
			/* one line whatever the header holds: a tab, a second byte-order mark shown as \t, \uFEFF */
			esc_filename(&shown, esc_cut(cut, header[i], sizeof(cut) - 1));
			if (hint.len)
				kerr_set(e, KERR_INPUT, "%s:1: unknown column '%s'%s", name, shown.ptr, hint.ptr);
			else
				kerr_set(e, KERR_INPUT, "%s:1: unknown column '%s' (known: %s)", name, shown.ptr, known.ptr);
			buf_release(&known);
			buf_release(&hint);
			buf_release(&shown);
			return -1;
		}
	for (req = ops->required; *req; req++) {
		for (i = 0; i < n; i++)
			if (strcmp(header[i], *req) == 0)
				break;
		if (i == n)
			return kerr_set(e, KERR_INPUT, "%s:1: required column '%s' is missing", name, *req);
	}
	return 0;
}

int import_kind_by_name(const char *name, enum import_kind *out)
{
	size_t i;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, name) == 0) {
			*out = (enum import_kind)i;
			return 0;
		}
	return -1;
}

int import_csv(struct db *db, enum import_kind kind, const char *path, const char *data, size_t len,
	       const char *name, const struct import_opts *opts, struct import_stats *stats,
	       struct kerr *e)
{
	const struct kind_ops *ops = &kinds[kind];
	FILE *f = NULL;
	struct csv *r = NULL;
	char **header = NULL;
	size_t ncols = 0, i;
	int rc = -1, got;
	struct progress pg = { NULL, 0, 0, 0, NULL, NULL, 0, 0 };
	struct strset seen = STRSET_INIT;   /* the records the file has given, by identity */
	void *rec = xcalloc(1, ops->size);
	const char **vals = NULL;

	memset(stats, 0, sizeof(*stats));
	if (!name)
		name = path ? path : "input";
	if (path) {
		struct stat sb;
		f = fopen(path, "rb");
		if (!f) {
			kerr_set(e, KERR_IO, "cannot open %s: %s", name, strerror(errno));
			goto out;
		}
		outfile_input(fileno(f), path);
		if (fstat(fileno(f), &sb) == 0)
			pg.size = (unsigned long long)sb.st_size;
		r = csv_open_file(f, name, ',');
	} else {
		r = csv_open_mem(data, len, name, ',');
		pg.size = len;
	}
	pg.out = opts && opts->report ? opts->report : stderr;
	pg.on = opts && (opts->progress > 0 || (opts->progress == 0 && isatty(fileno(pg.out))));
	pg.name = name;

	got = csv_next(r, e);
	if (got <= 0) {
		if (got == 0)
			kerr_set(e, KERR_INPUT, "%s: the file is empty (a header row is required)", name);
		goto out;
	}
	ncols = csv_nfields(r);
	header = xcalloc(ncols, sizeof(*header));
	for (i = 0; i < ncols; i++) {
		size_t j;
		header[i] = xstrdup(csv_field(r, i));
		for (j = 0; j < i; j++)
			if (strcmp(header[i], header[j]) == 0) {
				kerr_set(e, KERR_INPUT, "%s:%ld: column %s appears twice in the header", name,
					 csv_line(r), header[i]);
				goto out;
			}
	}
	if (check_header(ops, header, ncols, name, e))
		goto out;
	vals = xcalloc(ncols, sizeof(*vals));
	if (db_begin(db, e))
		goto out;
	while ((got = csv_next(r, e)) == 1) {
		enum upsert_result res = UPSERT_UNCHANGED;
		struct kerr rowerr = KERR_INIT;
		long line = csv_line(r);
		int bad = 0;

		stats->rows++;
		if (csv_nfields(r) != ncols) {
			kerr_set(&rowerr, KERR_INPUT, "has %zu field%s, the header has %zu", csv_nfields(r),
				 csv_nfields(r) == 1 ? "" : "s", ncols);
			bad = 1;
		} else {
			for (i = 0; i < ncols; i++) {
				/* exports put an apostrophe before a field that starts like a
				 * spreadsheet formula (esc_csv): dropped, so that exports re-import */
				const char *v = csv_field(r, i);
				vals[i] = v && v[0] == '\'' && esc_csv_formula(v + 1) ? v + 1 : v;
			}
			if (ops->from_fields(rec, (const char *const *)header, vals, ncols, db, &rowerr)) {
				bad = 1;
			} else {
				if (opts && opts->skip_invalid && db_exec(db, "SAVEPOINT row", e)) {
					ops->release(rec);
					goto rollback;
				}
				if (ops->upsert(db, rec, &res, &rowerr)) {
					bad = 1;
				} else {
					/* a record given twice would be overwritten by its second row, silently */
					char key[64];
					long first;
					ops->key(rec, key, sizeof(key));
					if ((first = strset_add(&seen, key, line)) != 0) {
						kerr_set(&rowerr, KERR_INPUT, ops->what, first);
						bad = 1;
					}
				}
				if (opts && opts->skip_invalid)
					db_exec(db, bad ? "ROLLBACK TO SAVEPOINT row" : "RELEASE SAVEPOINT row", NULL);
				ops->release(rec);
			}
		}
		if (bad) {
			/* the database failing (a trigger, a full disk, a lock) is no invalid row: even with
			 * --skip-invalid it stops the import and nothing is written (exit 6) */
			if (!(opts && opts->skip_invalid) || rowerr.kind == KERR_DB) {
				/* a database failure stays one (exit 6), not "bad input" */
				kerr_set(e, rowerr.kind == KERR_CONFLICT || rowerr.kind == KERR_DB ? rowerr.kind : KERR_INPUT,
					 "%s:%ld: %s", name, line, rowerr.msg);
				goto rollback;
			}
			stats->skipped++;
			if (opts->report) {
				/* the message quotes the row's values: shown as a terminal shows them safely */
				struct buf shown = BUF_INIT;
				esc_terminal(&shown, rowerr.msg);
				fprintf(opts->report, "%s%s:%ld: skipped: %s\n", pg.on ? "\r" : "", name, line,
					shown.ptr);
				buf_release(&shown);
			}
			continue;
		}
		if (res == UPSERT_INSERTED)
			stats->inserted++;
		else if (res == UPSERT_UPDATED)
			stats->updated++;
		else
			stats->unchanged++;
		progress_show(&pg, csv_bytes(r), stats->rows, 0);
	}
	if (got < 0)
		goto rollback;
	if (db_commit(db, e))
		goto out;
	progress_show(&pg, pg.size, stats->rows, 1);
	rc = 0;
	goto out;
rollback:
	progress_break(&pg);  /* the message starts on a line of its own */
	db_rollback(db);
	memset(stats, 0, sizeof(*stats));
out:
	if (header)
		for (i = 0; i < ncols; i++)
			free(header[i]);
	free(header);
	free(vals);
	free(rec);
	strset_release(&seen);
	csv_free(r);
	if (f)
		fclose(f);
	return rc;
}

/* ---- reference data ---- */

/*
 * The GeoJSON FeatureCollection at path, its geometry checked with the
 * parser the maps use (code_prop, name_prop as they read it): the document
 * (json_decref it) with *features its array, or NULL with a message that
 * names the file (and line and column of a JSON error).
 */
static json_t *load_features(const char *path, const char *code_prop, const char *name_prop, json_t **features,
			     struct kerr *e)
{
	json_t *root = NULL;
	struct geo_layer L;
	struct buf b = BUF_INIT;
	size_t bom;
	int bad;
	/* read and checked as the maps read a file (a missing file is KERR_IO, a byte-order mark
	 * skipped, a JSON error named by line and column), then kept as JSON for its features */
	if (geo_read_file(path, &b, e)) {
		buf_release(&b);
		return NULL;
	}
	bad = geo_layer_parse(&L, b.ptr ? b.ptr : "", b.len, path, code_prop, name_prop, e);
	bom = b.len >= 3 && memcmp(b.ptr, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	if (!bad && !(root = jsonerr_load(b.ptr + bom, b.len - bom, 0, JSONERR_GEOJSON, path, e)))
		bad = -1;
	buf_release(&b);
	*features = root ? json_object_get(root, "features") : NULL;
	if (!bad && !json_is_array(*features)) {
		geo_layer_release(&L);
		kerr_set(e, KERR_INPUT, "%s: not a GeoJSON FeatureCollection (no \"features\" array)", path);
		json_decref(root);
		return NULL;
	}
	if (bad) {
		/* the property is fixed here: the map commands' --code-property is no option of import */
		static const char advice[] = "name the one that holds the region codes with --code-property";
		char *at = e ? strstr(e->msg, advice) : NULL;
		if (at) {
			char tail[160];
			snprintf(tail, sizeof(tail), "the boundaries loaded into the database need their codes in '%s' "
				 "(rename that property in the file)", code_prop);
			if ((size_t)(at - e->msg) + strlen(tail) < sizeof(e->msg))
				memcpy(at, tail, strlen(tail) + 1);
		}
		geo_layer_release(&L);   /* empty when geo_layer_parse failed */
		json_decref(root);
		return NULL;
	}
	if (L.unlocated) {
		/* the map commands leave a null geometry out (geo_layer_parse); the database keeps a
		 * boundary for every region it stores */
		size_t i;
		const char *code;
		for (i = 0; i < json_array_size(*features); i++)
			if (json_is_null(json_object_get(json_array_get(*features, i), "geometry")))
				break;
		code = json_string_value(json_object_get(json_object_get(json_array_get(*features, i), "properties"),
							 code_prop));
		kerr_set(e, KERR_INPUT, "%s: feature %zu%s%s%s: geometry is null (%zu such %s): every region loaded "
			 "into the database needs its boundary", path, i + 1, code ? " (code " : "", code ? code : "",
			 code ? ")" : "", L.unlocated, L.unlocated == 1 ? "feature" : "features");
		geo_layer_release(&L);
		json_decref(root);
		return NULL;
	}
	geo_layer_release(&L);
	return root;
}

/* A transaction of the reference loaders' own, or the caller's they join
 * (import_reference loads its files in one): *own says which. */
static int tx_open(struct db *db, int *own, struct kerr *e)
{
	*own = !db_in_tx(db);
	return *own ? db_begin(db, e) : 0;
}

static int tx_close(struct db *db, int own, struct kerr *e)
{
	return own ? db_commit(db, e) : 0;
}

int import_regions(struct db *db, const char *path, const char *level, struct kerr *e)
{
	json_t *root, *features;
	struct db_stmt *st = NULL;
	size_t i;
	int rc = -1, own = 0;
	int voiv = strcmp(level, "voivodeship") == 0;

	if (!voiv && strcmp(level, "powiat") != 0)
		return kerr_set(e, KERR_USAGE, "level must be voivodeship or powiat, not '%s'", level);
	if (!(root = load_features(path, "teryt", "name", &features, e)))
		return -1;
	if (tx_open(db, &own, e))
		goto out;
	for (i = 0; i < json_array_size(features); i++) {
		json_t *ft = json_array_get(features, i);
		json_t *props = json_object_get(ft, "properties");
		const char *teryt = json_string_value(json_object_get(props, "teryt"));
		const char *name = json_string_value(json_object_get(props, "name"));
		const char *nuts2 = json_string_value(json_object_get(props, "nuts2"));
		const char *parent = json_string_value(json_object_get(props, "voivodeship"));
		char *geom;
		if (!teryt || !name || strlen(teryt) != (voiv ? 2u : 4u)) {
			kerr_set(e, KERR_INPUT, "%s: feature %zu: property teryt must be a %d-digit string and name a string",
				 path, i + 1, voiv ? 2 : 4);
			goto rollback;
		}
		geom = json_dumps(json_object_get(ft, "geometry"), JSON_COMPACT | JSON_REAL_PRECISION(7));
		if (db_prepare(db, "INSERT INTO region (teryt, level, parent, name, nuts2, geojson, nuts2_2013)"
			       " VALUES (?,?,?,?,?,?,?)"
			       " ON CONFLICT (teryt) DO UPDATE SET level = excluded.level, parent = excluded.parent,"
			       " name = excluded.name, nuts2 = excluded.nuts2, geojson = excluded.geojson,"
			       " nuts2_2013 = excluded.nuts2_2013", &st, e)) {
			free(geom);
			goto rollback;
		}
		db_bind_text(st, 1, teryt);
		db_bind_text(st, 2, level);
		if (voiv)
			db_bind_null(st, 3);
		else
			db_bind_text(st, 3, parent ? parent : "");
		db_bind_text(st, 4, name);
		if (nuts2)
			db_bind_text(st, 5, nuts2);
		else
			db_bind_null(st, 5);
		db_bind_text(st, 6, geom);
		free(geom);
		{
			const char *n13 = json_string_value(json_object_get(props, "nuts2_2013"));
			if (n13)
				db_bind_text(st, 7, n13);
			else
				db_bind_null(st, 7);
		}
		if (db_step(st, e) < 0) {
			kerr_prefix(e, "%s: feature %zu (%s)", path, i + 1, teryt);
			goto rollback;
		}
		db_finalize(st);
		st = NULL;
	}
	if (tx_close(db, own, e))
		goto out;
	rc = 0;
	goto out;
rollback:
	db_finalize(st);
	st = NULL;
	db_rollback(db);
out:
	json_decref(root);
	return rc;
}

int import_nuts(struct db *db, const char *path, struct kerr *e)
{
	json_t *root, *features;
	struct db_stmt *st = NULL;
	size_t i;
	int rc = -1, own = 0;

	if (!(root = load_features(path, "NUTS_ID", "NUTS_NAME", &features, e)))
		return -1;
	if (tx_open(db, &own, e))
		goto out;
	if (db_prepare(db, "INSERT INTO nuts_region (code, level, country, name, geojson) VALUES (?,?,?,?,?)"
		       " ON CONFLICT (code) DO UPDATE SET level = excluded.level, country = excluded.country,"
		       " name = excluded.name, geojson = excluded.geojson", &st, e))
		goto rollback;
	for (i = 0; i < json_array_size(features); i++) {
		json_t *ft = json_array_get(features, i);
		json_t *props = json_object_get(ft, "properties");
		const char *code = json_string_value(json_object_get(props, "NUTS_ID"));
		const char *name = json_string_value(json_object_get(props, "NUTS_NAME"));
		const char *country = json_string_value(json_object_get(props, "CNTR_CODE"));
		json_t *level = json_object_get(props, "LEVL_CODE");
		char *geom;
		if (!code || !name || !country || !json_is_integer(level) || strlen(code) < 2 || strlen(code) > 5 ||
		    strncmp(code, country, 2) != 0) {
			kerr_set(e, KERR_INPUT, "%s: feature %zu: NUTS_ID (2-5 characters starting with CNTR_CODE),"
				 " CNTR_CODE and NUTS_NAME must be strings and LEVL_CODE an integer", path, i + 1);
			goto rollback;
		}
		geom = json_dumps(json_object_get(ft, "geometry"), JSON_COMPACT | JSON_REAL_PRECISION(7));
		db_bind_text(st, 1, code);
		db_bind_int(st, 2, json_integer_value(level));
		db_bind_text(st, 3, country);
		db_bind_text(st, 4, name);
		db_bind_text(st, 5, geom);
		free(geom);
		if (db_step(st, e) < 0) {
			kerr_prefix(e, "%s: feature %zu (%s)", path, i + 1, code);
			goto rollback;
		}
		db_reset(st);
	}
	db_finalize(st);
	st = NULL;
	if (tx_close(db, own, e))
		goto out;
	rc = 0;
	goto out;
rollback:
	db_finalize(st);
	db_rollback(db);
out:
	json_decref(root);
	return rc;
}

/* Stores one PKD code (an empty parent or name_en as NULL), replacing the row of (version, code). */
static int pkd_upsert(struct db *db, int version, const char *level, const char *code, const char *parent,
		      const char *name_pl, const char *name_en, struct kerr *e)
{
	const char *v[] = { level, code, parent, name_pl, name_en };
	struct db_stmt *st;
	int i, rc;
	if (db_prepare(db, "INSERT INTO pkd (version, level, code, parent, name_pl, name_en) VALUES (?,?,?,?,?,?)"
		       " ON CONFLICT (version, code) DO UPDATE SET level = excluded.level,"
		       " parent = excluded.parent, name_pl = excluded.name_pl, name_en = excluded.name_en",
		       &st, e))
		return -1;
	db_bind_int(st, 1, version);
	for (i = 0; i < 5; i++) {
		if (v[i] && *v[i])
			db_bind_text(st, i + 2, v[i]);
		else
			db_bind_null(st, i + 2);
	}
	rc = db_step(st, e) < 0 ? -1 : 0;
	db_finalize(st);
	return rc;
}

int import_pkd(struct db *db, const char *path, struct kerr *e)
{
	static const char *const want[] = { "version", "level", "code", "parent", "name_pl", "name_en" };
	FILE *f = fopen(path, "rb");
	struct csv *r;
	int idx[6], got, rc = -1, own = 0;
	size_t i;
	const char *names[64];
	size_t nh, ncols;

	if (!f)
		return kerr_set(e, KERR_IO, "cannot open %s: %s", path, strerror(errno));
	r = csv_open_file(f, path, ',');
	if ((got = csv_next(r, e)) != 1) {
		if (got == 0)
			kerr_set(e, KERR_INPUT, "%s: empty file", path);
		goto out;
	}
	ncols = csv_nfields(r);
	nh = ncols < 64 ? ncols : 64;
	{
		char *copies[64];
		for (i = 0; i < nh; i++)
			names[i] = copies[i] = xstrdup(csv_field(r, i));
		for (i = 0; i < 6; i++) {
			idx[i] = csv_header_index(names, nh, want[i]);
			if (idx[i] < 0) {
				kerr_set(e, KERR_INPUT, "%s:1: column %s is missing", path, want[i]);
				break;
			}
		}
		for (i = 0; i < nh; i++)
			free(copies[i]);
		if (e && e->kind != KERR_NONE)
			goto out;
	}
	if (tx_open(db, &own, e))
		goto out;
	while ((got = csv_next(r, e)) == 1) {
		const char *ver, *lvl, *code;
		char norm[10];
		int level;
		if (csv_nfields(r) != ncols) {
			kerr_set(e, KERR_INPUT, "%s:%ld: has %zu field%s, the header has %zu", path, csv_line(r),
				 csv_nfields(r), csv_nfields(r) == 1 ? "" : "s", ncols);
			goto rollback;
		}
		ver = csv_field(r, (size_t)idx[0]);
		lvl = csv_field(r, (size_t)idx[1]);
		code = csv_field(r, (size_t)idx[2]);
		if (strcmp(ver, "2007") && strcmp(ver, "2025")) {
			kerr_set(e, KERR_INPUT, "%s:%ld: column version: must be 2007 or 2025", path, csv_line(r));
			goto rollback;
		}
		if (strcmp(lvl, "section") && strcmp(lvl, "division") && strcmp(lvl, "group") && strcmp(lvl, "class") &&
		    strcmp(lvl, "subclass")) {
			kerr_set(e, KERR_INPUT, "%s:%ld: column level: must be section, division, group, class or subclass",
				 path, csv_line(r));
			goto rollback;
		}
		/* the code as GUS writes it, of the level the row gives: a code of no level (XYZ) or of
		 * another would be a code no organisation can be given, or one checked at the wrong level */
		if (valid_pkd(code, norm, &level, NULL) || strcmp(norm, code) || strcmp(dir_pkd_level_name(level), lvl)) {
			char c40[41];   /* cut on a character, not inside one */
			kerr_set(e, KERR_INPUT, "%s:%ld: column code: '%s' is not a PKD %s code as GUS writes it (such as "
				 "J, 62, 62.0, 62.01 or 62.01.Z)", path, csv_line(r), esc_cut(c40, code, 40), lvl);
			goto rollback;
		}
		if (!*csv_field(r, (size_t)idx[4])) {
			kerr_set(e, KERR_INPUT, "%s:%ld: column name_pl: empty (code %s)", path, csv_line(r), code);
			goto rollback;
		}
		if (pkd_upsert(db, (int)strtol(ver, NULL, 10), lvl, csv_field(r, (size_t)idx[2]), csv_field(r, (size_t)idx[3]),
			       csv_field(r, (size_t)idx[4]), csv_field(r, (size_t)idx[5]), e)) {
			kerr_prefix(e, "%s:%ld", path, csv_line(r));
			goto rollback;
		}
	}
	if (got < 0)
		goto rollback;
	if (tx_close(db, own, e))
		goto out;
	rc = 0;
	goto out;
rollback:
	db_rollback(db);
out:
	csv_free(r);
	fclose(f);
	return rc;
}

int import_pkd_names(struct db *db, const char *path, int version, struct kerr *e)
{
	static const char *const want[] = { "code", "name_pl", "name_en" };
	FILE *f;
	struct csv *r;
	int idx[3], got, rc = -1, own = 0;
	long n = 0;
	size_t i;

	if (version != 2007 && version != 2025)
		return kerr_set(e, KERR_USAGE, "the PKD version must be 2007 or 2025, not %d", version);
	if (!(f = fopen(path, "rb")))
		return kerr_set(e, KERR_IO, "cannot open %s: %s", path, strerror(errno));
	r = csv_open_file(f, path, ',');
	if ((got = csv_next(r, e)) != 1) {
		if (got == 0)
			kerr_set(e, KERR_INPUT, "%s: empty file", path);
		goto out;
	}
	for (i = 0; i < 3; i++)
		if ((idx[i] = csv_header_index(csv_fields(r), csv_nfields(r), want[i])) < 0 && i < 2) {
			kerr_set(e, KERR_INPUT, "%s:1: column %s is missing", path, want[i]);
			goto out;
		}
	if (tx_open(db, &own, e))
		goto out;
	while ((got = csv_next(r, e)) == 1) {
		const char *code = csv_field(r, (size_t)idx[0]), *pl = csv_field(r, (size_t)idx[1]);
		const char *en = idx[2] >= 0 ? csv_field(r, (size_t)idx[2]) : "";
		char norm[10], up[10];
		char *known;
		int level;
		if (valid_pkd(code, norm, &level, NULL) || strcmp(norm, code)) {
			kerr_set(e, KERR_INPUT, "%s:%ld: column code: '%s' is not a PKD code as GUS writes it (such as 62, "
				 "62.0, 62.01 or 62.01.Z)", path, csv_line(r), code);
			goto rollback;
		}
		if (!*pl) {
			kerr_set(e, KERR_INPUT, "%s:%ld: column name_pl: empty (code %s)", path, csv_line(r), code);
			goto rollback;
		}
		if (level <= 2) {
			/* sections and divisions come from pkd.csv (import pkd); the names file must agree */
			known = dir_pkd_level(db, version, code);
			if (!known || strcmp(known, dir_pkd_level_name(level))) {
				free(known);
				kerr_set(e, KERR_INPUT, "%s:%ld: column code: %s %s is not in the PKD %d table (load "
					 "reference/pkd.csv first: klaster import pkd)", path, csv_line(r),
					 dir_pkd_level_name(level), code, version);
				goto rollback;
			}
			free(known);
			continue;
		}
		dir_pkd_parent(code, level, up);
		known = dir_pkd_level(db, version, up);
		if (!known || strcmp(known, dir_pkd_level_name(level - 1))) {
			free(known);
			kerr_set(e, KERR_INPUT, "%s:%ld: column code: %s %s comes before its %s %s (or that is not "
				 "in the file)", path, csv_line(r), dir_pkd_level_name(level), code,
				 dir_pkd_level_name(level - 1), up);
			goto rollback;
		}
		free(known);
		if (pkd_upsert(db, version, dir_pkd_level_name(level), code, up, pl, en, e)) {
			kerr_prefix(e, "%s:%ld", path, csv_line(r));
			goto rollback;
		}
		n++;
	}
	if (got < 0)
		goto rollback;
	if (n == 0) {
		kerr_set(e, KERR_INPUT, "%s: no group, class or subclass", path);
		goto rollback;
	}
	if (tx_close(db, own, e))
		goto out;
	rc = 0;
	goto out;
rollback:
	db_rollback(db);
out:
	csv_free(r);
	fclose(f);
	return rc;
}

int import_reference(struct db *db, const char *dir, FILE *log, struct kerr *e)
{
	static const struct {
		const char *file, *what;
	} files[] = {
		{ "reference/voivodeships.geojson", "voivodeship" },
		{ "reference/powiats.geojson", "powiat" },
		{ "reference/pkd.csv", "pkd" },
		{ "reference/pkd2007_names.csv", "pkd2007" },
		{ "reference/pkd2025_names.csv", "pkd2025" },
		{ "reference/eu_nuts2_2021_20M_4326.geojson", "nuts" },
		{ "reference/eu_nuts3_2021_parts_20M_4326.geojson", "nuts" },
	};
	size_t i;
	/* one transaction: a file that fails leaves the reference data as it was */
	if (db_begin(db, e))
		return -1;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		int rc;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].file);
		if (strcmp(files[i].what, "pkd") == 0)
			rc = import_pkd(db, path, e);
		else if (strncmp(files[i].what, "pkd", 3) == 0)
			rc = import_pkd_names(db, path, (int)strtol(files[i].what + 3, NULL, 10), e);
		else if (strcmp(files[i].what, "nuts") == 0)
			rc = import_nuts(db, path, e);
		else
			rc = import_regions(db, path, files[i].what, e);
		if (rc) {
			db_rollback(db);
			kerr_prefix(e, "nothing loaded (the reference data are as they were)");
			return -1;
		}
	}
	if (db_commit(db, e))
		return -1;
	for (i = 0; log && i < sizeof(files) / sizeof(files[0]); i++)
		fprintf(log, "loaded %s/%s\n", dir, files[i].file);
	return 0;
}
