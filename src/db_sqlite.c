/* db_sqlite.c — the SQLite backend of db.h (WAL, FTS5). */
#include "db.h"
#include "db_impl.h"

#include <sqlite3.h>
#include <sys/stat.h>

/* How long a statement waits for another connection's write lock (db_no_wait: none). */
#define SQ_BUSY_MS 10000

/* The kind of an error of extended code code: a constraint the data breaks (a key given twice, a
 * foreign key) is KERR_CONFLICT; the RAISE of a trigger is the database refusing the write, not
 * the data conflicting with data, so KERR_DB, as PostgreSQL's RAISE EXCEPTION (SQLSTATE P0001,
 * db_pg.c) is; the rest is KERR_DB. */
static enum kerr_kind sq_kind(int code)
{
	return (code & 0xff) == SQLITE_CONSTRAINT && code != SQLITE_CONSTRAINT_TRIGGER ? KERR_CONFLICT : KERR_DB;
}

static int sq_err(struct db *db, struct kerr *e, const char *what)
{
	sqlite3 *c = db->conn;
	int code = sqlite3_extended_errcode(c);
	enum kerr_kind kind = sq_kind(code);
	/* the two a person can act on, said so (the transaction, if any, is rolled back by the caller) */
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
		char msg[320];
		snprintf(msg, sizeof(msg), "sqlite: %s: the database is busy: another program writes to it (a klaster "
			 "import, a server's writes) and did not finish within %d s; run this again when it has",
			 what, SQ_BUSY_MS / 1000);
		/* waited out: the database is away for now (a write db_no_wait lets fail at once is not) */
		if (!db->no_wait)
			db_note_unavailable(db, "%s", msg);
		return kerr_set(e, kind, "%s", msg);
	}
	if ((code & 0xff) == SQLITE_FULL)
		return kerr_set(e, kind, "sqlite: %s: the disk that holds the database is full; what this command "
				"wrote is rolled back: free some space and run it again", what);
	return kerr_set(e, kind, "sqlite: %s: %s", what, sqlite3_errmsg(c));
}

static int sq_open(struct db *db, const char *path, struct kerr *e)
{
	sqlite3 *c = NULL;
	int rc = sqlite3_open_v2(path, &c, SQLITE_OPEN_READWRITE | (db->no_create ? 0 : SQLITE_OPEN_CREATE) |
				 SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK && db->no_create && access(path, F_OK) != 0 && errno == ENOENT) {
		kerr_set(e, KERR_NOTFOUND, "there is no database %s: create it with 'klaster db migrate' (or give "
			 "another with --db or KLASTER_DB)", path);
		sqlite3_close(c);
		return -1;
	}
	if (rc != SQLITE_OK && (rc & 0xff) == SQLITE_CANTOPEN && !db->no_create) {
		/* "unable to open database file" says neither what nor why: the folder, when it is that */
		const char *slash = strrchr(path, '/');
		char dir[4096];
		struct stat sb;
		snprintf(dir, sizeof(dir), "%.*s", slash && slash > path ? (int)(slash - path) : 1, path);
		if (slash && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
			kerr_set(e, KERR_DB, "cannot open SQLite database '%s': there is no folder %s to hold it", path, dir);
			sqlite3_close(c);
			return -1;
		}
	}
	if (rc != SQLITE_OK) {
		kerr_set(e, KERR_DB, "cannot open SQLite database '%s': %s", path,
			 c ? sqlite3_errmsg(c) : sqlite3_errstr(rc));
		sqlite3_close(c);
		return -1;
	}
	db->conn = c;
	sqlite3_busy_timeout(c, SQ_BUSY_MS);
	/* 8 MiB of page cache per connection holds the hot search indexes of
	 * a 100,000-organisation directory (4 MiB halves the throughput, 12 MiB
	 * adds nothing), and keeps the server with its default 4 threads and 5
	 * connections under 64 MiB (docs/BENCHMARKS.md). */
	if (sqlite3_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
				    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-8192;", NULL, NULL, NULL) != SQLITE_OK) {
		sq_err(db, e, path);
		sqlite3_close(c);
		return -1;
	}
	return 0;
}

static void sq_close(struct db *db)
{
	sqlite3_close_v2(db->conn);
}

static int sq_exec(struct db *db, const char *sql, struct kerr *e)
{
	char *msg = NULL;
	if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int xcode = sqlite3_extended_errcode(db->conn), code = xcode & 0xff;
		if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL) {
			char what[40];
			/* the statement's first word ("BEGIN", "COMMIT"), as sq_err names its step */
			snprintf(what, sizeof(what), "%.*s", (int)strcspn(sql, " ;("), sql);
			sqlite3_free(msg);
			return sq_err(db, e, what);
		}
		kerr_set(e, sq_kind(xcode), "sqlite: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int sq_prepare(struct db *db, struct db_stmt *st, const char *sql, struct kerr *e)
{
	sqlite3_stmt *h = NULL, *more = NULL;
	const char *tail = NULL;
	if (sqlite3_prepare_v2(db->conn, sql, -1, &h, &tail) != SQLITE_OK)
		return sq_err(db, e, "prepare");
	/* SQLite prepares the first statement of the text and would leave the rest unrun without a
	 * word; PostgreSQL refuses such a text: refuse it here too (what follows may be only blanks,
	 * semicolons and comments, which prepare to no statement) */
	if (tail && *tail && (sqlite3_prepare_v2(db->conn, tail, -1, &more, NULL) != SQLITE_OK || more)) {
		sqlite3_finalize(more);
		sqlite3_finalize(h);
		return kerr_set(e, KERR_DB, "sqlite: prepare: one statement at a time, but the text goes on after "
				"the first: %.60s", tail);
	}
	if (sqlite3_bind_parameter_count(h) != st->nparams) {
		int have = sqlite3_bind_parameter_count(h);
		sqlite3_finalize(h);
		return kerr_set(e, KERR_DB, "sqlite: prepare: the statement has %d parameters where %d \"?\" were "
				"counted (only plain \"?\" placeholders are bound): %.60s", have, st->nparams, sql);
	}
	st->h = h;
	return 0;
}

static int sq_step(struct db_stmt *st, struct kerr *e)
{
	sqlite3_stmt *h = st->h;
	int rc, i;
	if (!st->started) {
		for (i = 0; i < st->nparams; i++) {
			struct db_param *p = &st->params[i];
			switch (p->type) {
			case DBP_NULL: rc = sqlite3_bind_null(h, i + 1); break;
			case DBP_TEXT: rc = sqlite3_bind_text(h, i + 1, p->text, -1, SQLITE_STATIC); break;
			case DBP_INT: rc = sqlite3_bind_int64(h, i + 1, p->i); break;
			case DBP_DOUBLE: rc = sqlite3_bind_double(h, i + 1, p->d); break;
			default: rc = SQLITE_MISUSE;
			}
			if (rc != SQLITE_OK)
				return sq_err(st->db, e, "bind");
		}
	}
	rc = sqlite3_step(h);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_INTERRUPT && st->db->budget_left <= 0) {
		sqlite3_reset(h);
		return DB_OVER_BUDGET;
	}
	return sq_err(st->db, e, "step");
}

#define SQ_BUDGET_STEP 1000

static int sq_progress(void *arg)
{
	struct db *db = arg;
	return --db->budget_left <= 0;
}

static void sq_no_wait(struct db *db, int on)
{
	sqlite3_busy_timeout(db->conn, on ? 0 : SQ_BUSY_MS);
}

static void sq_budget(struct db *db, long ops)
{
	if (ops > 0) {
		db->budget_left = ops / SQ_BUDGET_STEP + 1;
		sqlite3_progress_handler(db->conn, SQ_BUDGET_STEP, sq_progress, db);
	} else {
		db->budget_left = 0;
		sqlite3_progress_handler(db->conn, 0, NULL, NULL);
	}
}

static const char *sq_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->h, i);
}

/* The stored double itself: SQLite's text form of a REAL has only 15
 * significant digits. */
static double sq_col_double(struct db_stmt *st, int i)
{
	return sqlite3_column_double(st->h, i);
}

/* A number column read as SQLite holds it, not written as text first and
 * parsed again (a dataset of 2 million cells has 2 million years, and as
 * many values asked whether they are NULL). */
static long long sq_col_int(struct db_stmt *st, int i)
{
	return (long long)sqlite3_column_int64(st->h, i);
}

static int sq_col_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(st->h, i) == SQLITE_NULL;
}

static int sq_ncols(struct db_stmt *st)
{
	return sqlite3_column_count(st->h);
}

static void sq_reset(struct db_stmt *st)
{
	sqlite3_reset(st->h);
	sqlite3_clear_bindings(st->h);
}

static void sq_finalize(struct db_stmt *st)
{
	sqlite3_finalize(st->h);
}

static void sq_fts_ids(const char *table, struct buf *sql)
{
	buf_printf(sql, "SELECT rowid AS id FROM %s_fts WHERE %s_fts MATCH ?", table, table);
}

static void sq_fts_param(const char *const *tokens, size_t n, struct buf *param)
{
	size_t i;
	for (i = 0; i < n; i++) {
		int exact = tokens[i][0] == '=';
		buf_printf(param, "%s\"%s\"%s", i ? " " : "", tokens[i] + exact, exact ? "" : "*");
	}
}

const struct db_backend db_sqlite_backend = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.step = sq_step,
	.col_text = sq_col_text,
	.col_double = sq_col_double,
	.col_int = sq_col_int,
	.col_null = sq_col_null,
	.ncols = sq_ncols,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.begin_sql = "BEGIN IMMEDIATE",
	.fts_ids = sq_fts_ids,
	.fts_param = sq_fts_param,
	.pk_type = "INTEGER PRIMARY KEY",
	.cbin = "COLLATE BINARY",
	.section = "sqlite",
	.index_hints = 1,
	.fk_off = "PRAGMA foreign_keys=OFF",
	.fk_on = "PRAGMA foreign_keys=ON",
	.fk_check = "SELECT COUNT(*) FROM pragma_foreign_key_check",
	.fk_first = "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check LIMIT 1",
	.has_table = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
	.budget = sq_budget,
	.no_wait = sq_no_wait,
};
