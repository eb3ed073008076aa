/* firms.c — located firm lists in the database (see firms.h). */
#include "firms.h"

#include "dataset.h"
#include "dir.h"

void firms_info_release(struct firms_info *d)
{
	free(d->name);
	free(d->title);
	free(d->source);
	memset(d, 0, sizeof(*d));
}

int firms_store(struct db *db, const char *name, const char *title, const char *source,
		const struct spatial_firms *f, long long skipped, struct kerr *e)
{
	struct db_stmt *st = NULL;
	long long id = 0, dummy;
	char now[32], nskip[32];
	size_t i;

	if (!dataset_name_ok(name))
		return kerr_set(e, KERR_USAGE, "firm list name '%s': 1 to 60 lower-case letters, digits or '-'", name);
	if (f->n > FIRMS_MAX)
		return kerr_set(e, KERR_TOOBIG, "%zu located firms: the portal keeps at most %d per list"
				" (use klaster map spatial for larger files)", f->n, FIRMS_MAX);
	dir_now(now);
	snprintf(nskip, sizeof(nskip), "%lld", skipped);
	if (db_begin(db, e))
		return -1;
	if (db_query_int(db, &dummy, e, "DELETE FROM firm_dataset WHERE name = ?", name, NULL) < 0)
		goto fail;
	if (db_query_int(db, &id, e,
			 "INSERT INTO firm_dataset (name, title, source, skipped, created_at) VALUES (?,?,?,?,?)"
			 " RETURNING id", name, title ? title : name, source ? source : "", nskip, now, NULL) != 1)
		goto fail;
	if (db_prepare(db, "INSERT INTO firm_point (dataset_id, seq, firm_id, name, industry, lat, lon)"
		       " VALUES (?,?,?,?,?,?,?)", &st, e))
		goto fail;
	for (i = 0; i < f->n; i++) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (long long)i);
		db_bind_text(st, 3, spatial_firm_id(f, i));
		db_bind_text(st, 4, spatial_firm_name(f, i));
		db_bind_text(st, 5, spatial_firm_industry(f, i));
		db_bind_double(st, 6, f->lat[i]);
		db_bind_double(st, 7, f->lon[i]);
		if (db_step(st, e) < 0)
			goto fail;
		db_reset(st);
	}
	db_finalize(st);
	return db_commit(db, e);
fail:
	db_finalize(st);
	db_rollback(db);
	return -1;
}

static char *col_dup(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return xstrdup(s ? s : "");
}

#define INFO_COLS "SELECT d.id, d.name, d.title, d.source, d.skipped," \
	" (SELECT COUNT(*) FROM firm_point p WHERE p.dataset_id = d.id) FROM firm_dataset d"

static void info_from(struct db_stmt *st, struct firms_info *d)
{
	d->id = db_col_int(st, 0);
	d->name = col_dup(st, 1);
	d->title = col_dup(st, 2);
	d->source = col_dup(st, 3);
	d->skipped = db_col_int(st, 4);
	d->nfirms = db_col_int(st, 5);
}

int firms_load(struct db *db, const char *name, const char *industry, struct spatial_firms *out,
	       struct firms_info *info, struct kerr *e)
{
	struct db_stmt *st = NULL;
	struct firms_info d;
	int r;

	memset(out, 0, sizeof(*out));
	out->strs = (struct buf)BUF_INIT;
	memset(&d, 0, sizeof(d));
	if (info)
		memset(info, 0, sizeof(*info));
	if (db_prepare(db, INFO_COLS " WHERE d.name = ?", &st, e))
		return -1;
	db_bind_text(st, 1, name);
	r = db_step(st, e);
	if (r == 1)
		info_from(st, &d);
	db_finalize(st);
	if (r != 1)
		return r == 0 ? kerr_set(e, KERR_NOTFOUND, "no firm list '%s'", name) : -1;
	if (db_prepare(db, "SELECT firm_id, name, industry, lat, lon FROM firm_point WHERE dataset_id = ?"
		       " ORDER BY seq", &st, e))
		goto fail;
	db_bind_int(st, 1, d.id);
	while ((r = db_step(st, e)) == 1) {
		const char *ind = db_col_text(st, 2);
		out->rows++;
		if (industry && *industry && strcmp(ind ? ind : "", industry) != 0) {
			out->filtered++;
			continue;
		}
		spatial_firms_add(out, db_col_text(st, 0), db_col_text(st, 1), ind, db_col_double(st, 3),
				  db_col_double(st, 4));
	}
	db_finalize(st);
	if (r < 0)
		goto fail;
	if (buf_failed(&out->strs)) {
		kerr_set(e, KERR_INTERNAL, "firm list '%s': out of memory", name);
		goto fail;
	}
	if (info)
		*info = d;
	else
		firms_info_release(&d);
	return 0;
fail:
	firms_info_release(&d);
	spatial_firms_release(out);
	return -1;
}

int firms_list(struct db *db, int (*each)(void *ctx, const struct firms_info *d), void *ctx, struct kerr *e)
{
	struct db_stmt *st;
	int r;
	if (db_prepare(db, INFO_COLS " ORDER BY d.name", &st, e))
		return -1;
	while ((r = db_step(st, e)) == 1) {
		struct firms_info d;
		int stop;
		info_from(st, &d);
		stop = each(ctx, &d);
		firms_info_release(&d);
		if (stop)
			break;
	}
	db_finalize(st);
	return r < 0 ? -1 : 0;
}

struct ind_count {
	char *code;
	long long n;
};

static int ind_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ind_count *)a)->code, ((const struct ind_count *)b)->code);
}

int firms_industries(struct db *db, const char *name, int (*each)(void *ctx, const char *code, long long n),
		     void *ctx, struct kerr *e)
{
	struct db_stmt *st;
	struct ind_count *v = NULL;
	size_t n = 0, cap = 0, i;
	int r;
	if (db_prepare(db, "SELECT p.industry, COUNT(*) FROM firm_point p JOIN firm_dataset d ON d.id = p.dataset_id"
		       " WHERE d.name = ? AND p.industry <> '' GROUP BY p.industry", &st, e))
		return -1;
	db_bind_text(st, 1, name);
	while ((r = db_step(st, e)) == 1) {
		if (n == cap) {
			cap = cap ? st_mult(cap, 2) : 32;
			v = xrealloc(v, st_mult(cap, sizeof(*v)));
		}
		v[n].code = xstrdup(db_col_text(st, 0));
		v[n++].n = db_col_int(st, 1);
	}
	db_finalize(st);
	/* byte order on both backends, whatever the database's collation */
	if (n)
		qsort(v, n, sizeof(*v), ind_cmp);
	for (i = 0; i < n && r >= 0; i++)
		if (each(ctx, v[i].code, v[i].n))
			break;
	for (i = 0; i < n; i++)
		free(v[i].code);
	free(v);
	return r < 0 ? -1 : 0;
}
