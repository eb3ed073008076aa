/* dataset.c — statistics datasets in the database (see dataset.h). */
#include "dataset.h"

#include <math.h>

#include "dir.h"
#include "esc.h"

void dataset_info_release(struct dataset_info *d)
{
	free(d->name);
	free(d->title);
	free(d->source);
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

int dataset_name_new_ok(const char *s)
{
	return dataset_name_ok(s) && s[0] != '-';
}

static void bind_num(struct db_stmt *st, int i, double v)
{
	if (isnan(v))
		db_bind_null(st, i);
	else
		db_bind_double(st, i, v);
}

int dataset_region_kind_ok(const char *kind)
{
	return strcmp(kind, "teryt") == 0 || strcmp(kind, "nuts2013") == 0 || strcmp(kind, "other") == 0;
}

/* One row of stat_cell through st (prepared with its six parameters): 0 or -1 (e set). */
static int store_cell(struct db_stmt *st, long long id, const char *reg, const char *ind, int year,
		      double emp, double est, struct kerr *e)
{
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, reg);
	db_bind_text(st, 3, ind);
	db_bind_int(st, 4, year);
	bind_num(st, 5, emp);
	bind_num(st, 6, est);
	if (db_step(st, e) < 0)
		return -1;
	db_reset(st);
	return 0;
}

int dataset_store(struct db *db, const char *name, const char *title, const char *source,
		  const char *region_kind, const struct cube *c, struct kerr *e)
{
	struct db_stmt *st = NULL;
	long long id = 0, dummy;
	char now[32];
	size_t y, r, i;
	char *stored = NULL;   /* per industry: some cell of it stored */

	if (!dataset_name_new_ok(name))
		return kerr_set(e, KERR_USAGE, "dataset name '%s': 1 to 60 lower-case letters, digits or '-', not "
				"beginning with '-'", name);
	if (!dataset_region_kind_ok(region_kind))
		return kerr_set(e, KERR_USAGE, "region kind must be teryt, nuts2013 or other, not '%s'", region_kind);
	dir_now(now);
	if (db_begin(db, e))
		return -1;
	if (db_query_int(db, &dummy, e, "DELETE FROM dataset WHERE name = ?", name, NULL) < 0)
		goto fail;
	if (db_query_int(db, &id, e,
			 "INSERT INTO dataset (name, title, source, region_kind, created_at) VALUES (?,?,?,?,?) RETURNING id",
			 name, title, source ? source : "", region_kind, now, NULL) != 1)
		goto fail;
	if (db_prepare(db, "INSERT INTO stat_cell (dataset_id, region, industry, year, employment, establishments)"
		       " VALUES (?,?,?,?,?,?)", &st, e))
		goto fail;
	stored = xcalloc(c->nind ? c->nind : 1, 1);
	for (y = 0; y < c->nyear; y++)
		for (r = 0; r < c->nreg; r++)
			for (i = 0; i < c->nind; i++) {
				size_t k = cube_at(c, y, r, i);
				double est = c->est ? c->est[k] : NAN;
				if (isnan(c->emp[k]) && isnan(est))
					continue;
				if (store_cell(st, id, c->reg[r], c->ind[i], c->year[y], c->emp[k], est, e))
					goto fail;
				stored[i] = 1;
			}
	/* an industry empty everywhere is kept by one empty cell, so that the
	 * stored dataset has the industries of the file (as the command line's
	 * table and its counts of industries do) */
	for (i = 0; i < c->nind; i++)
		if (!stored[i] && c->nreg && c->nyear &&
		    store_cell(st, id, c->reg[0], c->ind[i], c->year[0], NAN, NAN, e))
			goto fail;
	free(stored);
	stored = NULL;
	db_finalize(st);
	st = NULL;
	if (db_prepare(db, "INSERT INTO stat_name (dataset_id, kind, code, name, name_pl, name_en)"
		       " VALUES (?,?,?,?,?,?)", &st, e))
		goto fail;
	for (r = 0; c->reg_name && r < c->nreg; r++)
		if (c->reg_name[r]) {
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, "region");
			db_bind_text(st, 3, c->reg[r]);
			db_bind_text(st, 4, c->reg_name[r]);
			db_bind_null(st, 5);
			db_bind_null(st, 6);
			if (db_step(st, e) < 0)
				goto fail;
			db_reset(st);
		}
	for (i = 0; c->ind_name && i < c->nind; i++)
		if (c->ind_name[i]) {
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, "industry");
			db_bind_text(st, 3, c->ind[i]);
			db_bind_text(st, 4, c->ind_name[i]);
			db_bind_text(st, 5, c->ind_name_lang[0] ? c->ind_name_lang[0][i] : NULL);
			db_bind_text(st, 6, c->ind_name_lang[1] ? c->ind_name_lang[1][i] : NULL);
			if (db_step(st, e) < 0)
				goto fail;
			db_reset(st);
		}
	db_finalize(st);
	st = NULL;
	if (c->ref) {
		if (db_prepare(db, "INSERT INTO stat_ref (dataset_id, industry, year, employment) VALUES (?,?,?,?)", &st, e))
			goto fail;
		for (y = 0; y < c->nyear; y++)
			for (i = 0; i < c->nind; i++) {
				db_bind_int(st, 1, id);
				db_bind_text(st, 2, c->ind[i]);
				db_bind_int(st, 3, c->year[y]);
				bind_num(st, 4, c->ref[y * c->nind + i]);
				if (db_step(st, e) < 0)
					goto fail;
				db_reset(st);
			}
		db_finalize(st);
		st = NULL;
	}
	if (db_prepare(db, "INSERT INTO stat_traded (dataset_id, industry, traded) VALUES (?,?,?)", &st, e))
		goto fail;
	for (i = 0; c->traded && i < c->nind; i++)
		if (c->traded[i] >= 0) {
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, c->ind[i]);
			db_bind_int(st, 3, c->traded[i] ? 1 : 0);
			if (db_step(st, e) < 0)
				goto fail;
			db_reset(st);
		}
	db_finalize(st);
	return db_commit(db, e);
fail:
	free(stored);
	db_finalize(st);
	db_rollback(db);
	return -1;
}

static char *col_dup(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return s ? xstrdup(s) : NULL;
}

int dataset_load(struct db *db, const char *name, struct cube *out, struct dataset_info *info, struct kerr *e)
{
	struct db_stmt *st = NULL;
	struct cube_builder *b = NULL;
	struct dataset_info d;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	if (db_prepare(db, "SELECT id, name, title, source, region_kind FROM dataset WHERE name = ?", &st, e))
		return -1;
	db_bind_text(st, 1, name);
	r = db_step(st, e);
	if (r == 1) {
		d.id = db_col_int(st, 0);
		d.name = col_dup(st, 1);
		d.title = col_dup(st, 2);
		d.source = col_dup(st, 3);
		d.region_kind = col_dup(st, 4);
	}
	db_finalize(st);
	st = NULL;
	if (r != 1)
		return r == 0 ? kerr_set(e, KERR_NOTFOUND, "no dataset '%s'", name) : -1;
	b = cube_builder_new(0);
	if (db_prepare(db, "SELECT region, industry, year, employment, establishments FROM stat_cell"
		       " WHERE dataset_id = ?", &st, e))
		goto fail;
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
		       " THEN 1 ELSE 0 END"
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
		stop = each(ctx, &d);
		dataset_info_release(&d);
		if (stop)
			break;
	}
	db_finalize(st);
	return r < 0 ? -1 : 0;
}
