/* dataset.c — statistics datasets in the database (see dataset.h). */
#include "dataset.h"
#include "dscache.h"

#include <math.h>

#include "dir.h"
#include "esc.h"

void dataset_info_release(struct dataset_info *d)
{
	free(d->name);
	free(d->title);
	free(d->source);
	free(d->licence);
	free(d->region_kind);
	memset(d, 0, sizeof(*d));
}

int dataset_name_ok(const char *s)
{
	size_t n = strlen(s), i;
	if (n < 1 || n > 60)
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return 0;
	return 1;
}

int dataset_text_ok(const char *opt, const char *s, struct kerr *e)
{
	unsigned cc;
	if (!s)
		return 0;
	if (!utf8_valid(s, strlen(s)))
		return kerr_set(e, KERR_USAGE, "%s is not UTF-8 text (convert it: iconv -f CP1250 -t UTF-8)", opt);
	if ((cc = text_control(s)))
		return kerr_set(e, KERR_USAGE, "%s holds a control character (U+%04X): it must be one line of text, "
				"without tabs", opt, cc);
	if (strcmp(opt, "--title") == 0 && !*s)
		return kerr_set(e, KERR_USAGE, "--title is empty: leave it out and the title is the name");
	return 0;
}

void dataset_json_source(struct buf *b, const char *source, const char *licence)
{
	buf_puts(b, ",\"source\":");
	esc_json(b, source ? source : "");
	buf_puts(b, ",\"licence\":");
	esc_json(b, licence ? licence : "");
}

void dataset_geojson_attribution(struct buf *out, size_t start, const char *name, const char *title,
				 const char *source, const char *licence)
{
	static const char head[] = "{\"type\":\"FeatureCollection\",";
	size_t n = sizeof(head) - 1;
	struct buf b = BUF_INIT;
	if (start > out->len || out->len - start < n || memcmp(out->ptr + start, head, n) != 0)
		return;
	buf_add(&b, out->ptr, start + n);
	buf_puts(&b, "\"dataset\":");
	esc_json(&b, name ? name : "");
	buf_puts(&b, ",\"title\":");
	esc_json(&b, title ? title : "");
	dataset_json_source(&b, source, licence);
	buf_putc(&b, ',');
	buf_add(&b, out->ptr + start + n, out->len - start - n);
	buf_reset(out);
	buf_add(out, b.ptr, b.len);
	buf_release(&b);
}

int dataset_name_new_ok(const char *s)
{
	return dataset_name_ok(s) && s[0] != '-';
}

int dataset_region_kind_ok(const char *kind)
{
	return strcmp(kind, "teryt") == 0 || strcmp(kind, "nuts2013") == 0 || strcmp(kind, "other") == 0;
}

/* One row of stat_cell. */
static int store_cell(struct db_batch *b, long long id, const char *reg, const char *ind, int year,
		      double emp, double est, struct kerr *e)
{
	db_batch_int(b, id);
	db_batch_text(b, reg);
	db_batch_text(b, ind);
	db_batch_int(b, year);
	db_batch_num(b, emp);
	db_batch_num(b, est);
	return db_batch_row(b, e);
}

int dataset_store(struct db *db, const char *name, const char *title, const char *source,
		  const char *licence, const char *region_kind, const struct cube *c, struct kerr *e)
{
	struct db_batch *b = NULL;
	long long id = 0, dummy;
	char now[32];
	size_t y, r, i;
	char *stored = NULL;   /* per industry: some cell of it stored */
	int rc;
	static const char *const children[] = {
		"DELETE FROM stat_cell WHERE dataset_id = ?", "DELETE FROM stat_name WHERE dataset_id = ?",
		"DELETE FROM stat_ref WHERE dataset_id = ?", "DELETE FROM stat_traded WHERE dataset_id = ?",
	};
	char sid[32];

	if (!dataset_name_new_ok(name))
		return kerr_set(e, KERR_USAGE, "dataset name '%s': 1 to 60 lower-case letters, digits or '-', not "
				"beginning with '-'", name);
	if (!dataset_region_kind_ok(region_kind))
		return kerr_set(e, KERR_USAGE, "region kind must be teryt, nuts2013 or other, not '%s'", region_kind);
	dir_now(now);
	if (db_begin(db, e))
		return -1;
	/* The dataset's row is taken (made, or the stored one claimed) before anything else:
	 * another store of the same name at the same time waits here until this one is
	 * committed and then replaces it whole, where a DELETE of a row not there yet (or
	 * already deleted by the other) let both insert it and the second fail on the
	 * name's uniqueness.  What the stored one held is then deleted under its id. */
	if (db_query_int(db, &id, e,
			 "INSERT INTO dataset (name, title, source, licence, region_kind, created_at) VALUES (?,?,?,?,?,?)"
			 " ON CONFLICT (name) DO UPDATE SET title = excluded.title, source = excluded.source,"
			 " licence = excluded.licence, region_kind = excluded.region_kind, created_at = excluded.created_at"
			 " RETURNING id",
			 name, title, source ? source : "", licence ? licence : "", region_kind, now, NULL) != 1)
		goto fail;
	snprintf(sid, sizeof(sid), "%lld", id);
	for (i = 0; i < sizeof(children) / sizeof(children[0]); i++)
		if (db_query_int(db, &dummy, e, children[i], sid, NULL) < 0)
			goto fail;
	b = db_batch_new(db, "INSERT INTO stat_cell (dataset_id, region, industry, year, employment, establishments)", 6);
	stored = xcalloc(c->nind ? c->nind : 1, 1);
	/* in the order of the primary key (region, industry, year; the cube's codes are sorted): each
	 * key goes next to the one before in the key's index, where written a year after another it
	 * went between keys written before, all over the index (2,280,000 cells: SQLite 4.5 s of CPU
	 * instead of 6.5, PostgreSQL's server 15 s instead of 17) */
	for (r = 0; r < c->nreg; r++)
		for (i = 0; i < c->nind; i++)
			for (y = 0; y < c->nyear; y++) {
				size_t k = cube_at(c, y, r, i);
				double est = c->est ? c->est[k] : NAN;
				if (isnan(c->emp[k]) && isnan(est))
					continue;
				if (store_cell(b, id, c->reg[r], c->ind[i], c->year[y], c->emp[k], est, e))
					goto fail;
				stored[i] = 1;
			}
	/* an industry empty everywhere is kept by one empty cell, so that the
	 * stored dataset has the industries of the file (as the command line's
	 * table and its counts of industries do) */
	for (i = 0; i < c->nind; i++)
		if (!stored[i] && c->nreg && c->nyear &&
		    store_cell(b, id, c->reg[0], c->ind[i], c->year[0], NAN, NAN, e))
			goto fail;
	free(stored);
	stored = NULL;
	rc = db_batch_finish(b, e);
	b = NULL;
	if (rc)
		goto fail;
	b = db_batch_new(db, "INSERT INTO stat_name (dataset_id, kind, code, name, name_pl, name_en)", 6);
	for (r = 0; c->reg_name && r < c->nreg; r++)
		if (c->reg_name[r]) {
			db_batch_int(b, id);
			db_batch_text(b, "region");
			db_batch_text(b, c->reg[r]);
			db_batch_text(b, c->reg_name[r]);
			db_batch_text(b, NULL);
			db_batch_text(b, NULL);
			if (db_batch_row(b, e))
				goto fail;
		}
	for (i = 0; c->ind_name && i < c->nind; i++)
		if (c->ind_name[i]) {
			db_batch_int(b, id);
			db_batch_text(b, "industry");
			db_batch_text(b, c->ind[i]);
			db_batch_text(b, c->ind_name[i]);
			db_batch_text(b, c->ind_name_lang[0] ? c->ind_name_lang[0][i] : NULL);
			db_batch_text(b, c->ind_name_lang[1] ? c->ind_name_lang[1][i] : NULL);
			if (db_batch_row(b, e))
				goto fail;
		}
	rc = db_batch_finish(b, e);
	b = NULL;
	if (rc)
		goto fail;
	if (c->ref) {
		b = db_batch_new(db, "INSERT INTO stat_ref (dataset_id, industry, year, employment)", 4);
		for (y = 0; y < c->nyear; y++)
			for (i = 0; i < c->nind; i++) {
				db_batch_int(b, id);
				db_batch_text(b, c->ind[i]);
				db_batch_int(b, c->year[y]);
				db_batch_num(b, c->ref[y * c->nind + i]);
				if (db_batch_row(b, e))
					goto fail;
			}
		rc = db_batch_finish(b, e);
		b = NULL;
		if (rc)
			goto fail;
	}
	b = db_batch_new(db, "INSERT INTO stat_traded (dataset_id, industry, traded)", 3);
	for (i = 0; c->traded && i < c->nind; i++)
		if (c->traded[i] >= 0) {
			db_batch_int(b, id);
			db_batch_text(b, c->ind[i]);
			db_batch_int(b, c->traded[i] ? 1 : 0);
			if (db_batch_row(b, e))
				goto fail;
		}
	rc = db_batch_finish(b, e);
	b = NULL;
	if (rc)
		goto fail;
	return db_commit(db, e);
fail:
	free(stored);
	db_batch_free(b);
	db_rollback(db);
	return -1;
}

static char *col_dup(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return s ? xstrdup(s) : NULL;
}

long dataset_pkd_names(struct db *db, struct cube *c, int version, struct kerr *e)
{
	struct db_stmt *st = NULL;
	char v[8];
	long named = 0;
	size_t i;
	int r;
	snprintf(v, sizeof(v), "%d", version);
	if (db_prepare(db, "SELECT name_pl, name_en FROM pkd WHERE version = ? AND code = ?", &st, e))
		return -1;
	for (i = 0; i < c->nind; i++) {
		const char *pl, *en;
		db_reset(st);
		db_bind_text(st, 1, v);
		db_bind_text(st, 2, c->ind[i]);
		if ((r = db_step(st, e)) < 0) {
			db_finalize(st);
			return -1;
		}
		if (r == 0)
			continue;
		pl = db_col_text(st, 0);
		en = db_col_text(st, 1);
		if (pl && *pl)
			cube_set_ind_name(c, i, 0, pl);
		if (en && *en)
			cube_set_ind_name(c, i, 1, en);
		if (!c->ind_name[i] && ((en && *en) || (pl && *pl)))
			c->ind_name[i] = xstrdup(en && *en ? en : pl);
		named++;
	}
	db_finalize(st);
	return named;
}

int dataset_load(struct db *db, const char *name, struct cube *out, struct dataset_info *info, struct kerr *e)
{
	struct db_stmt *st = NULL;
	struct cube_builder *b = NULL;
	struct dataset_info d;
	long long gen = -1, ncell = 0;
	char sid[32];
	int r;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	/* the data generation first: cells read after it are at least as new (dscache.h) */
	if (db_prepare(db, "SELECT id, name, title, source, region_kind, licence,"
		       " (SELECT generation FROM change_counter WHERE id = 1) FROM dataset WHERE name = ?", &st, e))
		return -1;
	db_bind_text(st, 1, name);
	r = db_step(st, e);
	if (r == 1) {
		d.id = db_col_int(st, 0);
		d.name = col_dup(st, 1);
		d.title = col_dup(st, 2);
		d.source = col_dup(st, 3);
		d.region_kind = col_dup(st, 4);
		d.licence = col_dup(st, 5);
		gen = db_col_null(st, 6) ? -1 : db_col_int(st, 6);
	}
	db_finalize(st);
	st = NULL;
	if (r != 1)
		return r == 0 ? kerr_set(e, KERR_NOTFOUND, "no dataset '%s'", name) : -1;
	if (gen >= 0 && dscache_get(d.id, gen, out))
		goto done;
	snprintf(sid, sizeof(sid), "%lld", d.id);
	if (db_query_int(db, &ncell, e, "SELECT COUNT(*) FROM stat_cell WHERE dataset_id = ?", sid, NULL) < 0)
		goto fail;
	b = cube_builder_new(CUBE_UNIQUE);  /* the cells' primary key */
	cube_builder_reserve(b, ncell > 0 ? (size_t)ncell : 0);
	if (db_prepare(db, "SELECT region, industry, year, employment, establishments FROM stat_cell"
		       " WHERE dataset_id = ?", &st, e))
		goto fail;
	db_stream(st);   /* millions of rows: not held all at once (PostgreSQL) */
	db_bind_int(st, 1, d.id);
	while ((r = db_step(st, e)) == 1) {
		double emp = db_col_null(st, 3) ? NAN : db_col_double(st, 3);
		double est = db_col_null(st, 4) ? NAN : db_col_double(st, 4);
		if (cube_builder_add(b, db_col_text(st, 0), db_col_text(st, 1), (int)db_col_int(st, 2), emp, est,
				     NAN, name, e))
			goto fail;
	}
	db_finalize(st);
	st = NULL;
	if (r < 0)
		goto fail;
	if (db_prepare(db, "SELECT kind, code, name FROM stat_name WHERE dataset_id = ?", &st, e))
		goto fail;
	db_bind_int(st, 1, d.id);
	while ((r = db_step(st, e)) == 1) {
		const char *kind = db_col_text(st, 0);
		if (strcmp(kind, "region") == 0)
			cube_builder_names(b, db_col_text(st, 1), db_col_text(st, 2), NULL, NULL);
		else
			cube_builder_names(b, NULL, NULL, db_col_text(st, 1), db_col_text(st, 2));
	}
	db_finalize(st);
	st = NULL;
	if (r < 0)
		goto fail;
	/* the reference economy: every industry and year, NULL where unknown */
	if (db_prepare(db, "SELECT industry, year, employment FROM stat_ref WHERE dataset_id = ?", &st, e))
		goto fail;
	db_bind_int(st, 1, d.id);
	while ((r = db_step(st, e)) == 1)
		if (cube_builder_ref(b, db_col_text(st, 0), (int)db_col_int(st, 1),
				     db_col_null(st, 2) ? NAN : db_col_double(st, 2), name, e))
			goto fail;
	db_finalize(st);
	st = NULL;
	if (r < 0)
		goto fail;
	if (db_prepare(db, "SELECT industry, traded FROM stat_traded WHERE dataset_id = ?", &st, e))
		goto fail;
	db_bind_int(st, 1, d.id);
	while ((r = db_step(st, e)) == 1)
		if (cube_builder_traded(b, db_col_text(st, 0), db_col_int(st, 1) != 0, name, NULL, NULL, e))
			goto fail;
	db_finalize(st);
	st = NULL;
	if (r < 0)
		goto fail;
	r = cube_builder_finish(b, out, e);
	b = NULL;
	if (r)
		goto fail;
	/* the industries' names in Polish and English, where given */
	if (db_prepare(db, "SELECT code, name_pl, name_en FROM stat_name WHERE dataset_id = ? AND kind = 'industry'"
		       " AND (name_pl IS NOT NULL OR name_en IS NOT NULL)", &st, e))
		goto fail_cube;
	db_bind_int(st, 1, d.id);
	while ((r = db_step(st, e)) == 1) {
		size_t i = cube_industry(out, db_col_text(st, 0));
		int k;
		for (k = 0; k < 2 && i != (size_t)-1; k++)
			if (!db_col_null(st, 1 + k))
				cube_set_ind_name(out, i, k, db_col_text(st, 1 + k));
	}
	db_finalize(st);
	st = NULL;
	if (r < 0)
		goto fail_cube;
	/* a region without cells in a year was left out of it when stored */
	cube_leave_out_empty(out, NULL, 0);
	if (gen >= 0)
		dscache_put(d.id, gen, out);
done:
	d.generation = gen;
	d.has_ref = out->ref != NULL;
	d.has_traded = cube_has_traded(out);
	if (info)
		*info = d;
	else
		dataset_info_release(&d);
	return 0;
fail_cube:
	cube_release(out);
fail:
	db_finalize(st);
	if (b)
		cube_builder_free(b);
	dataset_info_release(&d);
	return -1;
}

int dataset_delete(struct db *db, const char *name, struct kerr *e)
{
	long long id;
	int r = db_query_int(db, &id, e, "DELETE FROM dataset WHERE name = ? RETURNING id", name, NULL);
	if (r < 0)
		return -1;
	return r == 0 ? kerr_set(e, KERR_NOTFOUND, "there is no dataset '%s'", name) : 0;
}

int dataset_shape(struct db *db, long long id, long long *nreg, long long *nind, long long *nyear,
		  struct kerr *e)
{
	char sid[32];
	snprintf(sid, sizeof(sid), "%lld", id);
	*nreg = *nind = *nyear = 0;
	if (db_query_int(db, nreg, e, "SELECT COUNT(DISTINCT region) FROM stat_cell WHERE dataset_id = ?", sid,
			 NULL) < 0 ||
	    db_query_int(db, nind, e, "SELECT COUNT(DISTINCT industry) FROM stat_cell WHERE dataset_id = ?", sid,
			 NULL) < 0 ||
	    db_query_int(db, nyear, e, "SELECT COUNT(DISTINCT year) FROM stat_cell WHERE dataset_id = ?", sid,
			 NULL) < 0)
		return -1;
	return 0;
}

int dataset_list(struct db *db, int (*each)(void *ctx, const struct dataset_info *d), void *ctx, struct kerr *e)
{
	struct db_stmt *st;
	int r;
	if (db_prepare(db, "SELECT id, name, title, source, region_kind,"
		       " CASE WHEN EXISTS (SELECT 1 FROM stat_ref f WHERE f.dataset_id = d.id) THEN 1 ELSE 0 END,"
		       " CASE WHEN EXISTS (SELECT 1 FROM stat_traded t WHERE t.dataset_id = d.id AND t.traded = 1)"
		       " THEN 1 ELSE 0 END, licence"
		       " FROM dataset d ORDER BY name", &st, e))
		return -1;
	while ((r = db_step(st, e)) == 1) {
		struct dataset_info d;
		int stop;
		d.id = db_col_int(st, 0);
		d.name = col_dup(st, 1);
		d.title = col_dup(st, 2);
		d.source = col_dup(st, 3);
		d.region_kind = col_dup(st, 4);
		d.has_ref = db_col_int(st, 5) != 0;
		d.has_traded = db_col_int(st, 6) != 0;
		d.licence = col_dup(st, 7);
		d.generation = -1;
		stop = each(ctx, &d);
		dataset_info_release(&d);
		if (stop)
			break;
	}
	db_finalize(st);
	return r < 0 ? -1 : 0;
}
