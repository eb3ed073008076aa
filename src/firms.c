/* firms.c — located firm lists in the database (see firms.h). */
#include "firms.h"

#include <math.h>

#include "dataset.h"
#include "dir.h"
#include "esc.h"
#include "stats.h"
#include "strset.h"

void firms_info_release(struct firms_info *d)
{
	free(d->name);
	free(d->title);
	free(d->source);
	free(d->licence);
	memset(d, 0, sizeof(*d));
}

int firms_values_check(const char *const *names, size_t n, struct kerr *e)
{
	size_t i, j, len;
	if (n > FIRMS_MAX_VALUES)
		return kerr_set(e, KERR_USAGE, "%zu value columns: a list keeps at most %d", n, FIRMS_MAX_VALUES);
	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if (!len || len > FIRMS_VALUE_NAME_MAX || !utf8_valid(names[i], len))
			return kerr_set(e, KERR_USAGE, "value column '%s': a name of 1 to %d bytes of UTF-8 text", names[i],
					FIRMS_VALUE_NAME_MAX);
		for (j = 0; j < len; j++)
			if ((unsigned char)names[i][j] < 0x20 || names[i][j] == 0x7f)
				return kerr_set(e, KERR_USAGE, "value column: a name without control characters");
		for (j = 0; j < i; j++)
			if (strcasecmp(names[i], names[j]) == 0)
				return kerr_set(e, KERR_USAGE, "value column '%s' is given twice", names[i]);
	}
	return 0;
}

/* What a list longer than FIRMS_MAX is told, after what was too many. */
#define FIRMS_MAX_ADVICE "the portal keeps at most %d per list (use klaster map spatial for larger files)"

int firms_read(const char *path, const struct spatial_firms_opts *o, struct spatial_firms *f, struct kerr *e)
{
	struct spatial_firms_opts lo = *o;
	lo.max_firms = FIRMS_MAX;
	if (spatial_firms_load(path, &lo, f, e) == 0)
		return 0;
	if (e && e->kind == KERR_TOOBIG) {
		/* "FILE:LINE: more than N located firms" said with the portal's limit and the way out */
		char what[sizeof(e->msg)];
		snprintf(what, sizeof(what), "%s", e->msg);
		kerr_set(e, KERR_TOOBIG, "%s: " FIRMS_MAX_ADVICE, what, FIRMS_MAX);
	}
	return -1;
}

/* The values of the firms of f under list id: one column row per name, one
 * value row per firm and column (NULL when missing). */
static int store_values(struct db *db, long long id, const struct spatial_firms *f, const char *const *names,
			struct kerr *e)
{
	struct db_batch *b;
	long long col = 0;
	char sid[32], sseq[32];
	size_t k, i;

	snprintf(sid, sizeof(sid), "%lld", id);
	for (k = 0; k < f->nattr; k++) {
		snprintf(sseq, sizeof(sseq), "%zu", k);
		if (db_query_int(db, &col, e, "INSERT INTO firm_value_column (dataset_id, seq, name) VALUES (?,?,?)"
				 " RETURNING id", sid, sseq, names[k], NULL) != 1)
			return -1;
		b = db_batch_new(db, "INSERT INTO firm_value (column_id, seq, value)", 3);
		for (i = 0; i < f->n; i++) {
			db_batch_int(b, col);
			db_batch_int(b, (long long)i);
			db_batch_num(b, f->attr[i * f->nattr + k]);   /* NAN: NULL, missing */
			if (db_batch_row(b, e)) {
				db_batch_free(b);
				return -1;
			}
		}
		if (db_batch_finish(b, e))
			return -1;
	}
	return 0;
}

int firms_store(struct db *db, const char *name, const char *title, const char *source, const char *licence,
		const struct spatial_firms *f, const char *const *value_names, long long skipped, struct kerr *e)
{
	struct db_stmt *st = NULL;
	struct db_batch *b = NULL;
	long long id = 0, dummy;
	char now[32], nskip[32];
	size_t i;
	int rc;

	if (!dataset_name_new_ok(name))
		return kerr_set(e, KERR_USAGE, "firm list name '%s': 1 to 60 lower-case letters, digits or '-', not "
				"beginning with '-'", name);
	if (f->n > FIRMS_MAX)
		return kerr_set(e, KERR_TOOBIG, "%zu located firms: " FIRMS_MAX_ADVICE, f->n, FIRMS_MAX);
	if (f->nattr && firms_values_check(value_names, f->nattr, e))
		return -1;
	dir_now(now);
	snprintf(nskip, sizeof(nskip), "%lld", skipped);
	if (db_begin(db, e))
		return -1;
	if (db_query_int(db, &dummy, e, "DELETE FROM firm_dataset WHERE name = ?", name, NULL) < 0)
		goto fail;
	if (db_query_int(db, &id, e,
			 "INSERT INTO firm_dataset (name, title, source, licence, skipped, created_at) VALUES (?,?,?,?,?,?)"
			 " RETURNING id", name, title ? title : name, source ? source : "", licence ? licence : "", nskip, now,
			 NULL) != 1)
		goto fail;
	/* many rows a statement (db_batch): a statement a firm took 45 s for 50,000 on PostgreSQL */
	b = db_batch_new(db, "INSERT INTO firm_point (dataset_id, seq, firm_id, name, industry, lat, lon)", 7);
	for (i = 0; i < f->n; i++) {
		db_batch_int(b, id);
		db_batch_int(b, (long long)i);
		db_batch_text(b, spatial_firm_id(f, i));
		db_batch_text(b, spatial_firm_name(f, i));
		db_batch_text(b, spatial_firm_industry(f, i));
		db_batch_num(b, f->lat[i]);
		db_batch_num(b, f->lon[i]);
		if (db_batch_row(b, e))
			goto fail;
	}
	rc = db_batch_finish(b, e);
	b = NULL;
	if (rc)
		goto fail;
	if (f->nind_names) {
		if (db_prepare(db, "INSERT INTO firm_industry (dataset_id, code, name, name_pl, name_en) VALUES (?,?,?,?,?)",
			       &st, e))
			goto fail;
		for (i = 0; i < f->nind_names; i++) {
			int k;
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, f->strs.ptr + f->ind_code[i]);
			db_bind_text(st, 3, f->strs.ptr + f->ind_name[i]);
			for (k = 0; k < 2; k++)
				db_bind_text(st, 4 + k, f->ind_lang[k] && f->ind_lang[k][i] != (size_t)-1
							? f->strs.ptr + f->ind_lang[k][i] : NULL);
			if (db_step(st, e) < 0)
				goto fail;
			db_reset(st);
		}
		db_finalize(st);
		st = NULL;
	}
	if (store_values(db, id, f, value_names, e))
		goto fail;
	return db_commit(db, e);
fail:
	db_finalize(st);
	db_batch_free(b);
	db_rollback(db);
	return -1;
}

static char *col_dup(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return xstrdup(s ? s : "");
}

#define INFO_COLS "SELECT d.id, d.name, d.title, d.source, d.skipped," \
	" (SELECT COUNT(*) FROM firm_point p WHERE p.dataset_id = d.id), d.licence FROM firm_dataset d"

static void info_from(struct db_stmt *st, struct firms_info *d)
{
	d->id = db_col_int(st, 0);
	d->name = col_dup(st, 1);
	d->title = col_dup(st, 2);
	d->source = col_dup(st, 3);
	d->skipped = db_col_int(st, 4);
	d->nfirms = db_col_int(st, 5);
	d->licence = col_dup(st, 6);
}

int firms_load(struct db *db, const char *name, const char *industry, const char *value,
	       struct spatial_firms *out, struct firms_info *info, struct kerr *e)
{
	struct db_stmt *st = NULL;
	struct firms_info d;
	long long col = 0;
	char sid[32];
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
	if (value && *value) {
		snprintf(sid, sizeof(sid), "%lld", d.id);
		r = db_query_int(db, &col, e, "SELECT id FROM firm_value_column WHERE dataset_id = ? AND name = ?", sid,
				 value, NULL);
		if (r != 1) {
			if (r == 0)
				kerr_set(e, KERR_INPUT, "value: the firm list %s has no value '%s'", name, value);
			goto fail;
		}
		out->nattr = 1;
		out->attr_missing = xcalloc(1, sizeof(*out->attr_missing));
	}
	/* without a value the join finds nothing (column ids start at 1) */
	if (db_prepare(db, "SELECT p.firm_id, p.name, p.industry, p.lat, p.lon, v.value FROM firm_point p"
		       " LEFT JOIN firm_value v ON v.column_id = ? AND v.seq = p.seq"
		       " WHERE p.dataset_id = ? ORDER BY p.seq", &st, e))
		goto fail;
	db_bind_int(st, 1, col);
	db_bind_int(st, 2, d.id);
	while ((r = db_step(st, e)) == 1) {
		const char *ind = db_col_text(st, 2);
		out->rows++;
		if (industry && *industry && strcmp(ind ? ind : "", industry) != 0) {
			out->filtered++;
			continue;
		}
		spatial_firms_add(out, db_col_text(st, 0), db_col_text(st, 1), ind, db_col_double(st, 3),
				  db_col_double(st, 4));
		if (!out->nattr)
			continue;
		if (db_col_null(st, 5))
			out->attr_missing[0]++;
		else
			out->attr[out->n - 1] = db_col_double(st, 5);
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

int firms_delete(struct db *db, const char *name, struct kerr *e)
{
	long long id;
	int r = db_query_int(db, &id, e, "DELETE FROM firm_dataset WHERE name = ? RETURNING id", name, NULL);
	if (r < 0)
		return -1;
	return r == 0 ? kerr_set(e, KERR_NOTFOUND, "there is no firm list '%s'", name) : 0;
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
	char *code, *name;
	long long n;
};

/* Codes that are whole numbers by their value (1, 3, 20, 21 … not 1, 20, 21 … 3), others in byte order after them. */
static int ind_cmp(const void *a, const void *b)
{
	const char *x0 = ((const struct ind_count *)a)->code, *y0 = ((const struct ind_count *)b)->code;
	const char *x = x0, *y = y0;
	size_t nx = strlen(x), ny = strlen(y);
	int dx = nx && strspn(x, "0123456789") == nx, dy = ny && strspn(y, "0123456789") == ny;
	if (dx != dy)
		return dx ? -1 : 1;
	if (dx && nx != ny) {
		/* leading zeros aside, a longer number is larger */
		while (nx > 1 && *x == '0')
			x++, nx--;
		while (ny > 1 && *y == '0')
			y++, ny--;
		if (nx != ny)
			return nx < ny ? -1 : 1;
	}
	return strcmp(x, y) ? strcmp(x, y) : strcmp(x0, y0);   /* "07" and "7": one order */
}

int firms_industries(struct db *db, const char *name, int en,
		     int (*each)(void *ctx, const char *code, const char *iname, long long n), void *ctx,
		     struct kerr *e)
{
	struct db_stmt *st;
	struct ind_count *v = NULL;
	size_t n = 0, cap = 0, i;
	int r;
	if (db_prepare(db, en ? "SELECT p.industry, COUNT(*), COALESCE(MAX(i.name_en), MAX(i.name)) FROM firm_point p"
			       " JOIN firm_dataset d ON d.id = p.dataset_id"
			       " LEFT JOIN firm_industry i ON i.dataset_id = d.id AND i.code = p.industry"
			       " WHERE d.name = ? AND p.industry <> '' GROUP BY p.industry"
			  : "SELECT p.industry, COUNT(*), COALESCE(MAX(i.name_pl), MAX(i.name)) FROM firm_point p"
		       " JOIN firm_dataset d ON d.id = p.dataset_id"
		       " LEFT JOIN firm_industry i ON i.dataset_id = d.id AND i.code = p.industry"
		       " WHERE d.name = ? AND p.industry <> '' GROUP BY p.industry", &st, e))
		return -1;
	db_bind_text(st, 1, name);
	while ((r = db_step(st, e)) == 1) {
		const char *nm = db_col_text(st, 2);
		if (n == cap) {
			cap = cap ? st_mult(cap, 2) : 32;
			v = xrealloc(v, st_mult(cap, sizeof(*v)));
		}
		v[n].code = xstrdup(db_col_text(st, 0));
		v[n].name = xstrdup(nm ? nm : "");
		v[n++].n = db_col_int(st, 1);
	}
	db_finalize(st);
	/* byte order on both backends, whatever the database's collation */
	if (n)
		qsort(v, n, sizeof(*v), ind_cmp);
	for (i = 0; i < n && r >= 0; i++)
		if (each(ctx, v[i].code, v[i].name, v[i].n))
			break;
	for (i = 0; i < n; i++) {
		free(v[i].code);
		free(v[i].name);
	}
	free(v);
	return r < 0 ? -1 : 0;
}

int firms_values(struct db *db, const char *name, int (*each)(void *ctx, const struct firms_value *v), void *ctx,
		 struct kerr *e)
{
	struct db_stmt *st;
	int r;
	if (db_prepare(db, "SELECT c.name, COUNT(v.value), COUNT(v.seq) FROM firm_value_column c"
		       " JOIN firm_dataset d ON d.id = c.dataset_id LEFT JOIN firm_value v ON v.column_id = c.id"
		       " WHERE d.name = ? GROUP BY c.id, c.name, c.seq ORDER BY c.seq", &st, e))
		return -1;
	db_bind_text(st, 1, name);
	while ((r = db_step(st, e)) == 1) {
		struct firms_value v;
		v.name = db_col_text(st, 0);
		v.present = db_col_int(st, 1);
		v.missing = db_col_int(st, 2) - v.present;
		if (each(ctx, &v))
			break;
	}
	db_finalize(st);
	return r < 0 ? -1 : 0;
}

int firms_industry_names(struct spatial_firms *f, const char *path, long *named, struct kerr *e)
{
	struct code_names cn;
	struct strset seen = STRSET_INIT;
	size_t i, j, k;
	int rc = -1;
	*named = 0;
	if (code_names_read(path, &cn, e))
		return -1;
	for (k = 0; k < 2; k++) {
		f->ind_lang[k] = xrealloc(f->ind_lang[k], st_mult(f->nind_names + 1, sizeof(size_t)));
		for (j = 0; j < f->nind_names; j++)
			f->ind_lang[k][j] = (size_t)-1;
	}
	for (i = 0; i < f->n; i++) {
		const char *code = spatial_firm_industry(f, i);
		long at;
		if (!*code || strset_add(&seen, code, 1))
			continue;   /* no industry, or one met before */
		if ((at = code_names_find(&cn, code, e)) == -2)
			goto out;
		if (at < 0)
			continue;
		for (j = 0; j < f->nind_names && strcmp(f->strs.ptr + f->ind_code[j], code); j++)
			;
		if (j == f->nind_names) {
			/* a code the list's own names did not cover: named from the file */
			if (!*cn.name[at])
				continue;
			f->ind_code = xrealloc(f->ind_code, st_mult(j + 1, sizeof(size_t)));
			f->ind_name = xrealloc(f->ind_name, st_mult(j + 1, sizeof(size_t)));
			for (k = 0; k < 2; k++)
				f->ind_lang[k] = xrealloc(f->ind_lang[k], st_mult(j + 1, sizeof(size_t)));
			f->ind_code[j] = f->strs.len;
			buf_add(&f->strs, code, strlen(code) + 1);
			f->ind_name[j] = f->strs.len;
			buf_add(&f->strs, cn.name[at], strlen(cn.name[at]) + 1);
			f->ind_lang[0][j] = f->ind_lang[1][j] = (size_t)-1;
			f->nind_names++;
		}
		for (k = 0; k < 2; k++)
			if (*cn.lang[k][at]) {
				f->ind_lang[k][j] = f->strs.len;
				buf_add(&f->strs, cn.lang[k][at], strlen(cn.lang[k][at]) + 1);
			}
		(*named)++;
	}
	rc = 0;
out:
	strset_release(&seen);
	code_names_release(&cn);
	return rc;
}
