/* audit.c — reading the audit log by filters and pages (see audit.h). */
#include "audit.h"

#include "tablew.h"

#include <time.h>

#include "valid.h"

const char *const audit_columns[AUDIT_NCOLS + 1] = {
	"time_utc", "user_id", "user_email", "ip", "action", "object_type", "object_id", "detail", NULL
};

/* Days from 1970-01-01 to the proleptic Gregorian y-m-d (H. Hinnant's
 * days_from_civil): timegm is not in C11 or POSIX. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* A trimmed one-line text of at most AUDIT_TEXT_MAX bytes into out. */
static int filter_text(const char *in, const char *field, char out[AUDIT_TEXT_MAX + 1], struct kerr *e)
{
	size_t n;
	const char *c;
	if (!in)
		in = "";
	while (*in == ' ' || *in == '\t')
		in++;
	n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n > AUDIT_TEXT_MAX)
		return kerr_set(e, KERR_INPUT, "%s: at most %d characters", field, AUDIT_TEXT_MAX);
	for (c = in; c < in + n; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return kerr_set(e, KERR_INPUT, "%s: must be one line of text", field);
	memcpy(out, in, n);
	out[n] = '\0';
	return 0;
}

/* A day YYYY-MM-DD into out and *at (its first second, UTC); "" leaves *at 0. */
static int filter_day(const char *in, const char *field, char out[11], long long *at, struct kerr *e)
{
	char t[AUDIT_TEXT_MAX + 1];
	struct buf why = BUF_INIT;
	if (filter_text(in, field, t, e))
		return -1;
	*at = 0;
	out[0] = '\0';
	if (!*t)
		return 0;
	if (strlen(t) != 10 || valid_date(t, &why)) {
		kerr_set(e, KERR_INPUT, "%s: %s", field, why.len ? why.ptr : "required, a date YYYY-MM-DD");
		buf_release(&why);
		return -1;
	}
	buf_release(&why);
	memcpy(out, t, 11);
	*at = days_from_civil(strtoll(t, NULL, 10), (unsigned)strtol(t + 5, NULL, 10), (unsigned)strtol(t + 8, NULL, 10)) *
	      86400;
	return 0;
}

int audit_filter_parse(struct audit_filter *f, const char *action, const char *user, const char *object_type,
		       const char *object_id, const char *from, const char *to, struct kerr *e)
{
	char id[AUDIT_TEXT_MAX + 1];
	size_t i;
	memset(f, 0, sizeof(*f));
	if (filter_text(action, "action", f->action, e) || filter_text(user, "user", f->user, e) ||
	    filter_text(object_type, "object", f->object_type, e) || filter_text(object_id, "object_id", id, e) ||
	    filter_day(from, "from", f->from, &f->at_from, e) || filter_day(to, "to", f->to, &f->at_to, e))
		return -1;
	/* addresses are stored in lower case (auth_email_norm) */
	for (i = 0; f->user[i]; i++)
		if (f->user[i] >= 'A' && f->user[i] <= 'Z')
			f->user[i] = (char)(f->user[i] - 'A' + 'a');
	if (f->user[0] == '#' && (strlen(f->user) < 2 || strlen(f->user) > 19 ||
				  strspn(f->user + 1, "0123456789") != strlen(f->user) - 1))
		return kerr_set(e, KERR_INPUT, "user: #ID is the number of an account, as in #12");
	if (*id) {
		if (strlen(id) > 18 || strspn(id, "0123456789") != strlen(id) || (f->object_id = strtoll(id, NULL, 10)) < 1)
			return kerr_set(e, KERR_INPUT, "object_id: must be a whole number from 1 to 999999999999999999");
		if (!*f->object_type)
			return kerr_set(e, KERR_INPUT, "object: choose the kind of object the number is of");
	}
	if (f->at_from && f->at_to && f->at_from > f->at_to)
		return kerr_set(e, KERR_INPUT, "to: must not be before from (%s)", f->from);
	if (f->at_to)
		f->at_to += 86400;   /* the whole day */
	return 0;
}

int audit_filter_any(const struct audit_filter *f)
{
	return f->action[0] || f->user[0] || f->object_type[0] || f->object_id || f->from[0] || f->to[0];
}

/* The FROM and WHERE of f, and its binds in order. */
struct where {
	struct buf sql;
	int n;
	const char *text[8];
	long long num[8];
	int is_num[8];
	struct buf like;
};

static void where_text(struct where *w, const char *cond, const char *v)
{
	buf_printf(&w->sql, " AND %s", cond);
	w->text[w->n] = v;
	w->is_num[w->n++] = 0;
}

static void where_num(struct where *w, const char *cond, long long v)
{
	buf_printf(&w->sql, " AND %s", cond);
	w->num[w->n] = v;
	w->is_num[w->n++] = 1;
}

static void where_build(struct where *w, const struct audit_filter *f)
{
	const char *c;
	buf_puts(&w->sql, " FROM audit_log a LEFT JOIN app_user u ON u.id = a.user_id WHERE 1 = 1");
	if (f->action[0])
		where_text(w, "a.action = ?", f->action);
	if (f->user[0] == '#') {
		where_num(w, "a.user_id = ?", strtoll(f->user + 1, NULL, 10));
	} else if (f->user[0]) {
		/* a text the address holds: LIKE with its own wildcards escaped */
		buf_putc(&w->like, '%');
		for (c = f->user; *c; c++) {   /* in lower case, as addresses are stored: alike on both backends */
			if (*c == '%' || *c == '_' || *c == '!')
				buf_putc(&w->like, '!');
			buf_putc(&w->like, (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c));
		}
		buf_putc(&w->like, '%');
		where_text(w, "u.email LIKE ? ESCAPE '!'", w->like.ptr);
	}
	if (f->object_type[0])
		where_text(w, "a.object_type = ?", f->object_type);
	if (f->object_id)
		where_num(w, "a.object_id = ?", f->object_id);
	if (f->at_from)
		where_num(w, "a.at >= ?", f->at_from);
	if (f->at_to)
		where_num(w, "a.at < ?", f->at_to);
}

static void where_bind(struct where *w, struct db_stmt *st)
{
	int i;
	for (i = 0; i < w->n; i++) {
		if (w->is_num[i])
			db_bind_int(st, i + 1, w->num[i]);
		else
			db_bind_text(st, i + 1, w->text[i]);
	}
}

int audit_list(struct db *db, const struct audit_filter *f, long long offset, long limit, long long *total,
	       int (*each)(void *ctx, const struct audit_entry *a), void *ctx, struct kerr *e)
{
	struct where w = { BUF_INIT, 0, { NULL }, { 0 }, { 0 }, BUF_INIT };
	struct buf sql = BUF_INIT;
	struct db_stmt *st = NULL;
	int rc = -1;

	where_build(&w, f);
	if (total) {
		buf_printf(&sql, "SELECT COUNT(*)%s", w.sql.ptr);
		if (db_prepare(db, sql.ptr, &st, e))
			goto cleanup;
		where_bind(&w, st);
		rc = db_step(st, e);
		*total = rc == 1 ? db_col_int(st, 0) : 0;
		db_finalize(st);
		if (rc < 0)
			goto cleanup;
		rc = -1;
	}
	buf_reset(&sql);
	buf_printf(&sql, "SELECT a.id, a.at, COALESCE(a.user_id, 0), COALESCE(u.email, ''), COALESCE(a.ip, ''), a.action,"
		   " COALESCE(a.object_type, ''), COALESCE(a.object_id, 0), COALESCE(a.detail, '')%s ORDER BY a.id DESC",
		   w.sql.ptr);
	/* no limit is a limit no log reaches (LIMIT -1 is SQLite's, LIMIT ALL PostgreSQL's) */
	buf_printf(&sql, " LIMIT %lld OFFSET %lld", limit > 0 ? (long long)limit : 4000000000000000000LL,
		   offset > 0 ? offset : 0);
	if (db_prepare(db, sql.ptr, &st, e))
		goto cleanup;
	where_bind(&w, st);
	while ((rc = db_step(st, e)) == 1) {
		struct audit_entry a;
		a.id = db_col_int(st, 0);
		a.at = db_col_int(st, 1);
		a.user_id = db_col_int(st, 2);
		a.email = db_col_text(st, 3);
		a.ip = db_col_text(st, 4);
		a.action = db_col_text(st, 5);
		a.object_type = db_col_text(st, 6);
		a.object_id = db_col_int(st, 7);
		a.detail = db_col_text(st, 8);
		if (each(ctx, &a)) {
			rc = 0;
			break;
		}
	}
	db_finalize(st);
	rc = rc < 0 ? -1 : 0;
cleanup:
	buf_release(&sql);
	buf_release(&w.sql);
	buf_release(&w.like);
	return rc;
}

int audit_values(struct db *db, enum audit_values_of which, int (*each)(void *ctx, const char *v), void *ctx,
		 struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, which == AUDIT_ACTIONS ? "SELECT DISTINCT action FROM audit_log ORDER BY action"
						  : "SELECT DISTINCT object_type FROM audit_log WHERE object_type IS NOT NULL"
						    " AND object_type <> '' ORDER BY object_type",
		       &st, e))
		return -1;
	while ((rc = db_step(st, e)) == 1)
		if (each(ctx, db_col_text(st, 0))) {
			rc = 0;
			break;
		}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

void audit_time(long long at, char out[20])
{
	time_t t = (time_t)at;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(out, 20, "%lld", at);
}

void audit_entry_values(const struct audit_entry *a, const char *v[AUDIT_NCOLS], char when[20], char user_id[24],
			char object_id[24])
{
	audit_time(a->at, when);
	snprintf(user_id, 24, "%lld", a->user_id);
	snprintf(object_id, 24, "%lld", a->object_id);
	v[0] = when;
	v[1] = a->user_id ? user_id : "";
	v[2] = a->email;
	v[3] = a->ip;
	v[4] = a->action;
	v[5] = a->object_type;
	v[6] = a->object_id ? object_id : "";
	v[7] = a->detail;
}

int audit_table_row(void *ctx, const struct audit_entry *a)
{
	struct tablew *t = ctx;
	const char *v[AUDIT_NCOLS];
	char when[20], uid[24], oid[24];
	size_t i;
	audit_entry_values(a, v, when, uid, oid);
	for (i = 0; i < AUDIT_NCOLS; i++)
		tablew_text(t, v[i]);
	tablew_end_row(t);
	return 0;
}
