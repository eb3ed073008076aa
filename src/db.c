/* db.c — backend-independent part of the storage interface (see db.h). */
#include "db.h"
#include "db_impl.h"

#include <math.h>
#include <pthread.h>
#include <strings.h>

static const struct {
	const char *prefix;
	const struct db_backend *be;
	int strip;   /* strip the prefix before handing the URL over */
} schemes[] = {
	{ "sqlite:", &db_sqlite_backend, 1 },
	{ "postgres://", &db_pg_backend, 0 },
	{ "postgresql://", &db_pg_backend, 0 },
};

static int open_as(struct db **out, const char *url, int no_create, struct kerr *e)
{
	const struct db_backend *be = &db_sqlite_backend;
	const char *rest = url;
	struct db *db;
	size_t i;

	*out = NULL;
	if (!url || !*url)
		return kerr_set(e, KERR_USAGE, "no database given (use --db or KLASTER_DB)");
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i].prefix);
		if (strncmp(url, schemes[i].prefix, n) == 0) {
			be = schemes[i].be;
			rest = schemes[i].strip ? url + n : url;
			break;
		}
	}
	if (i == sizeof(schemes) / sizeof(schemes[0])) {
		/* "kind://…" of a database klaster does not speak (mysql://, postgre://, pgsql://) is no
		 * SQLite file name: said so, naming the kind only (the rest may hold a password) */
		size_t k = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
		if (k && strncmp(url + k, "://", 3) == 0)
			return kerr_set(e, KERR_USAGE, "the database URL is of a kind klaster does not know (%.*s://): "
					"give sqlite:PATH (or a file's path) or postgres://USER@HOST/NAME", (int)(k > 40 ? 40 : k), url);
	}
	db = xcalloc(1, sizeof(*db));
	db->be = be;
	db->no_create = no_create;
	if (be->open(db, rest, e)) {
		free(db);
		return -1;
	}
	*out = db;
	return 0;
}

int db_open(struct db **out, const char *url, struct kerr *e)
{
	return open_as(out, url, 0, e);
}

int db_open_existing(struct db **out, const char *url, struct kerr *e)
{
	return open_as(out, url, 1, e);
}

int db_open_migrated(struct db **out, const char *url, struct kerr *e)
{
	int ver;
	if (open_as(out, url, 1, e))
		return -1;
	ver = db_schema_version(*out, e);
	if (ver >= 0 && ver < db_migrations_known()) {
		if (ver == 0)
			kerr_set(e, KERR_DB, "the database has no tables yet: run 'klaster db migrate' first "
				 "(then 'klaster import reference data' for the boundaries and classifications)");
		else
			kerr_set(e, KERR_DB, "the database schema is at version %d, this klaster needs %d: run "
				 "'klaster db migrate' first", ver, db_migrations_known());
	}
	if (ver < 0 || ver < db_migrations_known()) {
		db_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static void stmt_free(struct db_stmt *st)
{
	int i;
	st->db->be->finalize(st);
	for (i = 0; i < st->nparams; i++)
		free(st->params[i].text);
	free(st->params);
	free(st->sql);
	free(st);
}

void db_close(struct db *db)
{
	int i;
	if (!db)
		return;
	if (db->copying)
		BUG("db_close with a db_batch still open");
	for (i = 0; i < DB_STMT_CACHE; i++)
		if (db->kept[i].sql) {
			if (db->kept[i].in_use)
				BUG("db_close with a statement still in use: %s", db->kept[i].sql);
			stmt_free(db->kept[i].st);
			free(db->kept[i].sql);
		}
	db->be->close(db);
	free(db);
}

enum db_kind db_kind(const struct db *db)
{
	return db->be == &db_pg_backend ? DB_POSTGRES : DB_SQLITE;
}

const char *db_kind_name(const struct db *db)
{
	return db->be->name;
}

unsigned long db_error_count(const struct db *db)
{
	return db->nerrors;
}

int db_unavailable(const struct db *db)
{
	return db->unavailable;
}

const char *db_unavailable_msg(const struct db *db)
{
	return db->unavailable_msg;
}

int db_answered(const struct db *db)
{
	return db->answered;
}

void db_note_unavailable(struct db *db, const char *fmt, ...)
{
	va_list ap;
	if (db->unavailable)
		return;   /* the first says why ("connection refused"); the next ones, "no connection" */
	db->unavailable = 1;
	va_start(ap, fmt);
	vsnprintf(db->unavailable_msg, sizeof(db->unavailable_msg), fmt, ap);
	va_end(ap);
}

static void batch_copy_yield(struct db *db);

int db_exec(struct db *db, const char *sql, struct kerr *e)
{
	int rc;
	batch_copy_yield(db);
	rc = db->be->exec(db, sql, e);
	if (rc)
		db->nerrors++;
	else
		db->answered = 1;
	return rc;
}

int db_sql_params(const char *sql, struct buf *pg)
{
	const char *p = sql, *from;
	int n = 0;
	while (*p) {
		from = p;
		if (*p == '\'' || *p == '"') {
			/* to the closing quote; a doubled quote inside is the quote itself, read as two strings */
			const char *end = strchr(p + 1, *p);
			p = end ? end + 1 : p + strlen(p);
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else if (*p == '?') {
			n++;
			p++;
			if (pg)
				buf_printf(pg, "$%d", n);
			continue;
		} else {
			p++;
		}
		if (pg)
			buf_add(pg, from, (size_t)(p - from));
	}
	return n;
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out, struct kerr *e)
{
	struct db_stmt *st;
	int n, i, slot = -1;

	/* a kept statement with this text, free to use? */
	db->tick++;
	for (i = 0; i < DB_STMT_CACHE; i++)
		if (db->kept[i].sql && !db->kept[i].in_use && strcmp(db->kept[i].sql, sql) == 0) {
			db->kept[i].in_use = 1;
			db->kept[i].last = db->tick;
			db_reset(db->kept[i].st);
			*out = db->kept[i].st;
			return 0;
		}
	/* a slot for the new one: an empty one, else the least recently used free one */
	for (i = 0; i < DB_STMT_CACHE; i++) {
		if (db->kept[i].in_use)
			continue;
		if (!db->kept[i].sql) {
			slot = i;
			break;
		}
		if (slot < 0 || db->kept[i].last < db->kept[slot].last)
			slot = i;
	}
	st = xcalloc(1, sizeof(*st));
	n = db_sql_params(sql, NULL);
	st->db = db;
	st->nparams = n;
	st->params = xcalloc((size_t)n + 1, sizeof(*st->params));
	if (db->be->prepare(db, st, sql, e)) {
		db->nerrors++;
		free(st->params);
		free(st->sql);
		free(st);
		*out = NULL;
		return -1;
	}
	st->slot = slot;
	if (slot >= 0) {
		if (db->kept[slot].sql) {
			stmt_free(db->kept[slot].st);
			free(db->kept[slot].sql);
		}
		db->kept[slot].sql = xstrdup(sql);
		db->kept[slot].st = st;
		db->kept[slot].in_use = 1;
		db->kept[slot].last = db->tick;
	}
	*out = st;
	return 0;
}

static struct db_param *param_slot(struct db_stmt *st, int i)
{
	struct db_param *p;
	if (i < 1 || i > st->nparams)
		BUG("db bind index %d out of range 1..%d", i, st->nparams);
	p = &st->params[i - 1];
	free(p->text);
	memset(p, 0, sizeof(*p));
	return p;
}

void db_bind_text(struct db_stmt *st, int i, const char *s)
{
	struct db_param *p = param_slot(st, i);
	if (s) {
		p->type = DBP_TEXT;
		p->text = xstrdup(s);
	}
}

void db_bind_int(struct db_stmt *st, int i, long long v)
{
	struct db_param *p = param_slot(st, i);
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%lld", v);
	p->type = DBP_INT;
	p->i = v;
	p->text = xstrdup(tmp);
}

void db_bind_double(struct db_stmt *st, int i, double v)
{
	struct db_param *p = param_slot(st, i);
	char tmp[40];
	snprintf(tmp, sizeof(tmp), "%.17g", v);
	p->type = DBP_DOUBLE;
	p->d = v;
	p->text = xstrdup(tmp);
}

void db_bind_null(struct db_stmt *st, int i)
{
	param_slot(st, i);
}

int db_step(struct db_stmt *st, struct kerr *e)
{
	int rc;
	if (!st->started)
		batch_copy_yield(st->db);
	rc = st->db->be->step(st, e);
	st->started = 1;
	if (rc == -1)
		st->db->nerrors++;
	else if (rc >= 0)
		st->db->answered = 1;
	return rc;
}

int db_ncols(struct db_stmt *st)
{
	return st->db->be->ncols(st);
}

const char *db_col_text(struct db_stmt *st, int i)
{
	return st->db->be->col_text(st, i);
}

int db_col_null(struct db_stmt *st, int i)
{
	if (st->db->be->col_null)
		return st->db->be->col_null(st, i);
	return db_col_text(st, i) == NULL;
}

long long db_col_int(struct db_stmt *st, int i)
{
	const char *s;
	if (st->db->be->col_int)
		return st->db->be->col_int(st, i);
	s = db_col_text(st, i);
	return s ? strtoll(s, NULL, 10) : 0;
}

double db_col_double(struct db_stmt *st, int i)
{
	const char *s;
	if (st->db->be->col_double)
		return st->db->be->col_double(st, i);
	s = db_col_text(st, i);
	return s ? strtod(s, NULL) : 0.0;
}

void db_stream(struct db_stmt *st)
{
	if (st->started)
		BUG("db_stream after the first db_step");
	st->stream = 1;
}

void db_reset(struct db_stmt *st)
{
	int i;
	st->db->be->reset(st);
	for (i = 0; i < st->nparams; i++) {
		free(st->params[i].text);
		memset(&st->params[i], 0, sizeof(st->params[i]));
	}
	st->started = 0;
	st->stream = 0;
}

void db_finalize(struct db_stmt *st)
{
	if (!st)
		return;
	if (st->slot >= 0) {
		/* kept for the next db_prepare of the same text */
		db_reset(st);
		st->db->kept[st->slot].in_use = 0;
		return;
	}
	stmt_free(st);
}

/* ---- batched INSERT (db.h) ---- */

#define DB_BATCH_ROWS 160
/* COPY's rows are sent to the server in pieces of about this many bytes */
#define DB_COPY_CHUNK 65536

struct db_batch_val {
	enum { BV_NULL, BV_TEXT, BV_INT, BV_NUM } kind;
	size_t text;       /* BV_TEXT: offset in texts */
	long long i;
	double d;
};

struct db_batch {
	struct db *db;
	char *head;
	int ncols;
	size_t rows_max;           /* rows a full statement takes */
	struct db_stmt *full;      /* prepared for rows_max rows, once needed */
	size_t n;                  /* values held (rows × ncols; with copy, of the row being given) */
	struct db_batch_val *v;    /* rows_max × ncols (not with copy) */
	struct buf texts;          /* the texts held, NUL-terminated; with copy, the rows not yet sent */
	/* COPY (a backend with copy_begin) */
	char *copy;                /* "COPY table (cols) FROM STDIN", or NULL: INSERT statements */
	int copy_open;             /* the COPY runs (db->copying is this batch) */
	long copy_rows;            /* rows given since the last COPY ended */
	int failed;                /* a write failed: err, said again by every later call */
	struct kerr err;
};

/* "INSERT INTO t (a, b)" as "COPY t (a, b) FROM STDIN". */
static char *batch_copy_sql(const char *head)
{
	static const char into[] = "INSERT INTO ";
	struct buf sql = BUF_INIT;
	const char *p = head, *open;
	if (strncasecmp(p, into, sizeof(into) - 1) != 0)
		BUG("db_batch_new: '%s' is not INSERT INTO table (columns)", head);
	p += sizeof(into) - 1;
	open = strchr(p, '(');
	if (!open || open == p || strchr(open, ')') == NULL || strchr(open, ')')[1] != '\0')
		BUG("db_batch_new: '%s' is not INSERT INTO table (columns)", head);
	buf_puts(&sql, "COPY ");
	buf_puts(&sql, p);
	buf_puts(&sql, " FROM STDIN");
	return buf_detach(&sql, NULL);
}

struct db_batch *db_batch_new(struct db *db, const char *head, int ncols)
{
	struct db_batch *b;
	if (ncols < 1 || ncols > DB_BATCH_MAX_COLS)
		BUG("db_batch_new: %d columns", ncols);
	b = xcalloc(1, sizeof(*b));
	b->db = db;
	b->head = xstrdup(head);
	b->ncols = ncols;
	b->copy = batch_copy_sql(head);   /* (checks head on every backend) */
	if (db->be->copy_begin) {
		buf_init(&b->texts, DB_COPY_CHUNK + 4096);
		return b;
	}
	free(b->copy);
	b->copy = NULL;
	b->rows_max = 999 / (size_t)ncols < DB_BATCH_ROWS ? 999 / (size_t)ncols : DB_BATCH_ROWS;
	b->v = xcalloc(b->rows_max * (size_t)ncols, sizeof(*b->v));
	buf_init(&b->texts, 1024);
	return b;
}

/* A failure of the batch's writing, kept for its later calls. */
static int batch_fail(struct db_batch *b, const struct kerr *why)
{
	b->failed = 1;
	b->err = *why;
	return -1;
}

/* A failure of a COPY (a failed statement, for db_error_count). */
static int batch_copy_fail(struct db_batch *b, const struct kerr *why)
{
	b->db->nerrors++;
	return batch_fail(b, why);
}

/* Sends the whole rows held to the COPY, which is started first when none runs.  0 or -1
 * (the batch failed). */
static int batch_copy_send(struct db_batch *b)
{
	struct db *db = b->db;
	struct kerr e = KERR_INIT;
	if (b->failed)
		return -1;
	if (!b->texts.len)
		return 0;
	if (buf_failed(&b->texts)) {
		kerr_set(&e, KERR_INTERNAL, "out of memory");
		return batch_copy_fail(b, &e);
	}
	if (!b->copy_open) {
		if (db->copying)
			BUG("db_batch: two batches at once on one connection");
		if (db->be->copy_begin(db, b->copy, &e))
			return batch_copy_fail(b, &e);
		b->copy_open = 1;
		db->copying = b;
	}
	if (db->be->copy_data(db, b->texts.ptr, b->texts.len, &e)) {
		b->copy_open = 0;
		b->copy_rows = 0;
		db->copying = NULL;
		db->be->copy_end(db, NULL);   /* out of the COPY; the first error is the one said */
		return batch_copy_fail(b, &e);
	}
	buf_reset(&b->texts);
	return 0;
}

/* Sends the rows held and ends the COPY (when one runs): its rows are written.  0 or -1. */
static int batch_copy_end(struct db_batch *b)
{
	struct kerr e = KERR_INIT;
	int rc = batch_copy_send(b);
	if (!b->copy_open)
		return rc;
	b->copy_open = 0;
	b->copy_rows = 0;
	b->db->copying = NULL;
	if (b->db->be->copy_end(b->db, &e))
		return rc ? rc : batch_copy_fail(b, &e);
	if (!rc)
		b->db->answered = 1;
	return rc;
}

/* Another statement is about to run on db: the COPY that holds it is ended first (db.h). */
static void batch_copy_yield(struct db *db)
{
	struct db_batch *b = db->copying;
	if (!b)
		return;
	if (b->n)
		BUG("a statement between the values of a row of a db_batch");
	batch_copy_end(b);   /* a failure is kept for the batch's next call */
}

static struct db_batch_val *batch_next(struct db_batch *b)
{
	if (b->n >= b->rows_max * (size_t)b->ncols)
		BUG("db_batch: more values than a row has columns (db_batch_row not called)");
	return &b->v[b->n++];
}

/* With copy: the separator before the next value of the row. */
static void copy_next(struct db_batch *b)
{
	if (b->n >= (size_t)b->ncols)
		BUG("db_batch: more values than a row has columns (db_batch_row not called)");
	if (b->n++)
		buf_putc(&b->texts, '\t');
}

void db_batch_text(struct db_batch *b, const char *s)
{
	struct db_batch_val *x;
	if (b->copy) {
		/* COPY's text format: backslash, tab, line feed and carriage return escaped, \N NULL */
		const char *p, *from;
		copy_next(b);
		if (!s) {
			buf_puts(&b->texts, "\\N");
			return;
		}
		for (p = from = s; *p; p++) {
			const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n"
					  : *p == '\r' ? "\\r" : NULL;
			if (!esc)
				continue;
			buf_add(&b->texts, from, (size_t)(p - from));
			buf_puts(&b->texts, esc);
			from = p + 1;
		}
		buf_add(&b->texts, from, (size_t)(p - from));
		return;
	}
	x = batch_next(b);
	x->kind = s ? BV_TEXT : BV_NULL;
	if (s) {
		x->text = b->texts.len;
		buf_add(&b->texts, s, strlen(s) + 1);
	}
}

void db_batch_int(struct db_batch *b, long long v)
{
	struct db_batch_val *x;
	if (b->copy) {
		copy_next(b);
		buf_printf(&b->texts, "%lld", v);
		return;
	}
	x = batch_next(b);
	x->kind = BV_INT;
	x->i = v;
}

void db_batch_num(struct db_batch *b, double v)
{
	struct db_batch_val *x;
	if (b->copy) {
		/* as db_bind_double writes a number: it reads back to the same bits */
		copy_next(b);
		if (isnan(v))
			buf_puts(&b->texts, "\\N");
		else
			buf_printf(&b->texts, "%.17g", v);
		return;
	}
	x = batch_next(b);
	x->kind = isnan(v) ? BV_NULL : BV_NUM;
	x->d = v;
}

/* Writes the rows held: 0, or -1 (e set). */
static int batch_flush(struct db_batch *b, struct kerr *e)
{
	size_t rows = b->n / (size_t)b->ncols, k;
	struct db_stmt *st = NULL;
	int rc;
	if (b->n % (size_t)b->ncols)
		BUG("db_batch: a row of %zu values for %d columns", b->n % (size_t)b->ncols, b->ncols);
	if (!rows)
		return 0;
	if (buf_failed(&b->texts))
		return kerr_set(e, KERR_INTERNAL, "out of memory");
	if (rows == b->rows_max && b->full) {
		st = b->full;
	} else {
		struct buf sql = BUF_INIT;
		int c;
		buf_puts(&sql, b->head);
		buf_puts(&sql, " VALUES ");
		for (k = 0; k < rows; k++) {
			buf_puts(&sql, k ? ",(" : "(");
			for (c = 0; c < b->ncols; c++)
				buf_puts(&sql, c ? ",?" : "?");
			buf_putc(&sql, ')');
		}
		rc = buf_failed(&sql) ? kerr_set(e, KERR_INTERNAL, "out of memory") : db_prepare(b->db, sql.ptr, &st, e);
		buf_release(&sql);
		if (rc)
			return -1;
		if (rows == b->rows_max)
			b->full = st;
	}
	for (k = 0; k < b->n; k++) {
		const struct db_batch_val *x = &b->v[k];
		int i = (int)k + 1;
		if (x->kind == BV_TEXT)
			db_bind_text(st, i, b->texts.ptr + x->text);
		else if (x->kind == BV_INT)
			db_bind_int(st, i, x->i);
		else if (x->kind == BV_NUM)
			db_bind_double(st, i, x->d);
		else
			db_bind_null(st, i);
	}
	rc = db_step(st, e) < 0 ? -1 : 0;
	if (st == b->full)
		db_reset(st);
	else
		db_finalize(st);
	b->n = 0;
	buf_reset(&b->texts);
	return rc;
}

/* The batch's kept failure into e: -1. */
static int batch_said(const struct db_batch *b, struct kerr *e)
{
	if (e)
		*e = b->err;
	return -1;
}

/* batch_flush, its failure kept. */
static int batch_insert(struct db_batch *b, struct kerr *e)
{
	struct kerr why = KERR_INIT;
	if (batch_flush(b, &why) == 0)
		return 0;
	batch_fail(b, &why);
	return batch_said(b, e);
}

int db_batch_row(struct db_batch *b, struct kerr *e)
{
	if (b->copy) {
		if (b->n != (size_t)b->ncols)
			BUG("db_batch_row: %zu values for %d columns", b->n, b->ncols);
		b->n = 0;
		if (b->failed) {
			buf_reset(&b->texts);
			return batch_said(b, e);
		}
		buf_putc(&b->texts, '\n');
		b->copy_rows++;
		if (b->copy_rows >= DB_BATCH_COPY_ROWS)
			return batch_copy_end(b) ? batch_said(b, e) : 0;
		if (b->texts.len >= DB_COPY_CHUNK)
			return batch_copy_send(b) ? batch_said(b, e) : 0;
		return 0;
	}
	if (b->n % (size_t)b->ncols)
		BUG("db_batch_row: %zu values for %d columns", b->n % (size_t)b->ncols, b->ncols);
	if (b->failed) {
		b->n = 0;
		buf_reset(&b->texts);
		return batch_said(b, e);
	}
	return b->n == b->rows_max * (size_t)b->ncols ? batch_insert(b, e) : 0;
}

int db_batch_finish(struct db_batch *b, struct kerr *e)
{
	int rc;
	if (b->copy) {
		if (b->n)
			BUG("db_batch_finish: a row of %zu values for %d columns", b->n, b->ncols);
		rc = batch_copy_end(b) || b->failed ? batch_said(b, e) : 0;
	} else {
		rc = b->failed ? batch_said(b, e) : batch_insert(b, e);
	}
	db_batch_free(b);
	return rc;
}

void db_batch_free(struct db_batch *b)
{
	if (!b)
		return;
	if (b->copy_open) {
		/* the rows not sent are dropped; the COPY is ended (not cancelled, which would abort
		 * the transaction it is in), so the connection can run the next statement */
		buf_reset(&b->texts);
		b->n = 0;
		batch_copy_end(b);
	}
	db_finalize(b->full);
	buf_release(&b->texts);
	free(b->v);
	free(b->copy);
	free(b->head);
	free(b);
}

int db_query_int(struct db *db, long long *out, struct kerr *e, const char *sql, ...)
{
	struct db_stmt *st;
	va_list ap;
	const char *arg;
	int i = 1, rc;

	if (db_prepare(db, sql, &st, e))
		return -1;
	va_start(ap, sql);
	while ((arg = va_arg(ap, const char *)) != NULL && i <= st->nparams)
		db_bind_text(st, i++, arg);
	va_end(ap);
	rc = db_step(st, e);
	if (rc == 1)
		*out = db_col_int(st, 0);
	db_finalize(st);
	return rc;
}

int db_begin(struct db *db, struct kerr *e)
{
	if (db->in_tx)
		BUG("nested transaction");
	if (db_exec(db, db->be->begin_sql, e))
		return -1;
	db->in_tx = 1;
	return 0;
}

int db_commit(struct db *db, struct kerr *e)
{
	int rc = db_exec(db, "COMMIT", e);
	if (rc) {
		db_rollback(db);
		return -1;
	}
	db->in_tx = 0;
	return 0;
}

int db_in_tx(const struct db *db)
{
	return db->in_tx;
}

void db_rollback(struct db *db)
{
	if (db->in_tx)
		db_exec(db, "ROLLBACK", NULL);
	db->in_tx = 0;
}

void db_fts_ids(struct db *db, const char *table, struct buf *sql)
{
	db->be->fts_ids(table, sql);
}

void db_budget(struct db *db, long ops)
{
	if (db->be->budget)
		db->be->budget(db, ops);
}

void db_no_wait(struct db *db, int on)
{
	db->no_wait = on;
	if (db->be->no_wait)
		db->be->no_wait(db, on);
}

void db_index_hint(struct db *db, const char *index, struct buf *sql)
{
	if (db->be->index_hints)
		buf_printf(sql, " INDEXED BY %s", index);
}

void db_fts_param(struct db *db, const char *const *tokens, size_t n, struct buf *param)
{
	db->be->fts_param(tokens, n, param);
}

/* ---- connection pool ---- */

struct db_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int size, nfree;
	struct db **all, **free;
};

int db_pool_open(struct db_pool **out, const char *url, int size, struct kerr *e)
{
	struct db_pool *p = xcalloc(1, sizeof(*p));
	int i;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->all = xcalloc((size_t)size, sizeof(*p->all));
	p->free = xcalloc((size_t)size, sizeof(*p->free));
	for (i = 0; i < size; i++) {
		if (db_open(&p->all[i], url, e)) {
			p->size = i;
			db_pool_close(p);
			*out = NULL;
			return -1;
		}
		p->free[i] = p->all[i];
	}
	p->size = p->nfree = size;
	*out = p;
	return 0;
}

struct db *db_pool_get(struct db_pool *p)
{
	struct db *db;
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	db = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	db->unavailable = db->answered = 0;
	db->unavailable_msg[0] = '\0';
	/* a server restart or a network cut leaves a dead connection in the
	 * pool: reconnect it before use instead of failing every request */
	if (db->be->revive)
		db->be->revive(db);
	return db;
}

void db_pool_put(struct db_pool *p, struct db *db)
{
	if (db->in_tx)
		db_rollback(db);
	pthread_mutex_lock(&p->mu);
	p->free[p->nfree++] = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void db_pool_close(struct db_pool *p)
{
	int i;
	if (!p)
		return;
	for (i = 0; i < p->size; i++)
		db_close(p->all[i]);
	free(p->all);
	free(p->free);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}
