/*
 * db.h — the one storage interface of klaster, with two backends:
 * SQLite (embedded, the default) and PostgreSQL (libpq).  The backend is
 * chosen by the database URL:
 *
 *     sqlite:PATH            (also a bare path)   — WAL mode, FTS5
 *     postgres://… or postgresql://…              — libpq connection URI
 *
 * SQL is written once with "?" placeholders; the PostgreSQL backend turns
 * them into $1, $2 … (outside quoted strings and comments).  Every value is bound, never
 * pasted into SQL text.  What differs between the dialects (full-text
 * search, schema details in migrations) is asked of the backend through the
 * db_fts_* and migration hooks below, so domain code never tests the kind.
 *
 * A struct db is one connection and is not thread-safe: the HTTP server
 * keeps a pool (db_pool) and gives each request its own connection.
 */
#ifndef KLASTER_DB_H
#define KLASTER_DB_H

#include "buf.h"
#include "err.h"

struct db;
struct db_stmt;

enum db_kind { DB_SQLITE = 1, DB_POSTGRES = 2 };

/* Opens a connection; on failure returns -1 with a message (KERR_DB).  An
 * SQLite file that is not there is created. */
int db_open(struct db **out, const char *url, struct kerr *e);
/* As db_open, for a database that must be there and migrated: an SQLite
 * file that is not there is not created (KERR_NOTFOUND), and a schema older
 * than this klaster's (db_migrations_known) is KERR_DB; both messages say
 * to run 'klaster db migrate'. */
int db_open_migrated(struct db **out, const char *url, struct kerr *e);
/* As db_open, for a database that must be there, at any schema version: an
 * SQLite file that is not there is not created (KERR_NOTFOUND). */
int db_open_existing(struct db **out, const char *url, struct kerr *e);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
const char *db_kind_name(const struct db *db);

/* How many statements failed on this connection so far (prepare, step or
 * exec): a caller can tell whether anything went wrong during a piece of
 * work that does not check every read itself. */
unsigned long db_error_count(const struct db *db);

/* Whether a statement on this connection failed because the database could not be reached (the
 * PostgreSQL server is down or restarting, the connection was cut and could not be made again,
 * the server takes no more connections) or stayed busy past the wait (SQLite's busy timeout,
 * PostgreSQL's lock_timeout; not a write db_no_wait lets fail at once): a passing state, which
 * the server answers with 503 and Retry-After rather than 500.  db_unavailable_msg is the
 * database's message of the last such failure ("" when none); db_answered says a statement
 * worked.  They tell of one use of a pooled connection (db_pool_get clears them, and a
 * reconnection it tries that fails is db_unavailable), else of the connection since db_open.
 * Once db_unavailable, a lost PostgreSQL connection is not tried again until the next
 * db_pool_get: a request that meets a server that is away waits for one attempt, not one a
 * statement. */
int db_unavailable(const struct db *db);
const char *db_unavailable_msg(const struct db *db);
int db_answered(const struct db *db);

/* Runs SQL text without parameters (may hold several statements). */
int db_exec(struct db *db, const char *sql, struct kerr *e);

/* Prepares one statement (a text with a second one is KERR_DB on both
 * backends; a trailing ";" or comment is fine).  The statement belongs to db and must be
 * finalized before db_close.  Indexes for bind are 1-based, for columns
 * 0-based. */
int db_prepare(struct db *db, const char *sql, struct db_stmt **st, struct kerr *e);
void db_bind_text(struct db_stmt *st, int i, const char *s);   /* NULL binds NULL; copied */
void db_bind_int(struct db_stmt *st, int i, long long v);
void db_bind_double(struct db_stmt *st, int i, double v);
void db_bind_null(struct db_stmt *st, int i);
/* Returns 1 when a row is available, 0 when done, -1 on error, and
 * DB_OVER_BUDGET when a budget set with db_budget ran out.  An error is
 * KERR_CONFLICT when the data breaks a constraint (a key given twice, a
 * foreign key), else KERR_DB, on both backends: a write the database
 * refuses (a trigger's RAISE, a read-only database, a full disk) is
 * KERR_DB with the database's message. */
int db_step(struct db_stmt *st, struct kerr *e);
#define DB_OVER_BUDGET (-2)
/* Limits the work of the next statements on db to about ops virtual-machine
 * steps (SQLite; other backends ignore it); 0 lifts the limit.  Lets a
 * caller try a plan that is usually fast and fall back to a safe one. */
void db_budget(struct db *db, long ops);
/* With on, a statement that would wait for another connection's write lock
 * fails at once instead of waiting (SQLite's busy timeout, 10 s otherwise;
 * PostgreSQL ignores it): for a write that may be skipped, such as noting
 * when a session was last used.  Off restores the wait. */
void db_no_wait(struct db *db, int on);
int db_ncols(struct db_stmt *st);
/* Column values of the current row; text is NULL for SQL NULL and stays
 * valid until the next db_step/db_reset/db_finalize.  A boolean (a
 * comparison, EXISTS …) is "1" or "0" on both backends.  A double stored as
 * DOUBLE PRECISION comes back to the last bit on both backends; NULL reads
 * as 0 (test db_col_null). */
const char *db_col_text(struct db_stmt *st, int i);
long long db_col_int(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
int db_col_null(struct db_stmt *st, int i);
/* Asks for the rows of st (before its first db_step) one at a time as they
 * are read, not all at once: PostgreSQL sends them in single-row mode, so
 * reading millions (dataset_load) does not first hold them all in memory;
 * SQLite reads rows one at a time anyway.  Until the last row has been
 * read, or st is reset or finalized (which reads the rest), no other
 * statement may run on the connection.  A reset ends it: ask again for
 * the next run. */
void db_stream(struct db_stmt *st);
/* Clears the result and bindings so the statement can run again. */
void db_reset(struct db_stmt *st);

/*
 * Rows written many at a time: a list of millions of cells or tens of
 * thousands of firms, written a statement a row, cost a round trip each on
 * PostgreSQL (and ran the table's statement triggers each time: minutes
 * instead of seconds).  head is "INSERT INTO table (col, …)" and nothing
 * more, ncols its columns (1 to DB_BATCH_MAX_COLS).  SQLite writes the
 * rows many to one INSERT … VALUES (…),(…) statement (at most 999
 * parameters and 160 rows one); PostgreSQL sends them with
 * COPY table (col, …) FROM STDIN (text format), one COPY for up to
 * DB_BATCH_COPY_ROWS rows, so its triggers, constraint checks and index
 * updates run as for one statement.  A row is its values, in the columns'
 * order, then db_batch_row; texts are copied (NULL stores NULL; any text,
 * tabs, line breaks and backslashes too, is stored as given), an integer is
 * stored whole, a number to the last bit (a NAN stores NULL).  The values
 * are converted by the database as a bound text would be: a text where the
 * column holds a number is refused by both.
 *
 * Rows are written once there are enough, and all by db_batch_finish,
 * which frees the batch whatever happens; db_batch_free frees it without
 * writing the rows not yet written (which those are differs by backend).
 * A failure is said by the db_batch_row or db_batch_finish that writes the
 * failing row, as db_step says it (KERR_CONFLICT for a key given twice, a
 * foreign key; KERR_DB for a value the column cannot take), and every
 * later call of the batch says it again.  Run a batch inside a transaction
 * (db_begin): a failure leaves the rows written before it to the rollback.
 *
 * While a batch is open PostgreSQL's COPY holds the connection: another
 * statement on it (db_exec, db_step) first ends the COPY, writing the rows
 * sent so far; a failure of that COPY is said by the batch's next call (in
 * a transaction the statement fails too, as the transaction is aborted).
 * Not between a row's values, and not while a db_stream query's rows are
 * still being read (the rows are a statement, as db_stream says).
 */
#define DB_BATCH_MAX_COLS 16
#define DB_BATCH_COPY_ROWS 65536
struct db_batch;
struct db_batch *db_batch_new(struct db *db, const char *head, int ncols);
void db_batch_text(struct db_batch *b, const char *s);
void db_batch_int(struct db_batch *b, long long v);
void db_batch_num(struct db_batch *b, double v);
int db_batch_row(struct db_batch *b, struct kerr *e);
int db_batch_finish(struct db_batch *b, struct kerr *e);
void db_batch_free(struct db_batch *b);
void db_finalize(struct db_stmt *st);

/* Runs a statement that returns at most one row with one integer column
 * (e.g. COUNT(*) or INSERT … RETURNING id).  Binds are given as a
 * NULL-terminated list of strings.  *out is untouched when there is no
 * row; returns 1 for a row, 0 for none, -1 on error. */
int db_query_int(struct db *db, long long *out, struct kerr *e, const char *sql, ...);

/* Transactions.  db_begin takes the database's write lock at once, on
 * SQLite (BEGIN IMMEDIATE) and on PostgreSQL (a transaction-scoped advisory
 * lock every klaster transaction takes), so transactions that write go one
 * at a time: one that reads before it writes sees what the one before it
 * committed, and two writers never deadlock mid-transaction.  On SQLite
 * waiting for the lock ends after 10 s with a KERR_DB saying the database
 * is busy; PostgreSQL waits as for its own locks (no limit unless the
 * server sets one).  A db_begin that fails leaves the connection with no
 * transaction open.  Statements outside a transaction take no lock.
 * db_commit returns 0 only when the transaction was saved: on PostgreSQL a
 * statement that failed inside it aborts the whole transaction and COMMIT
 * then rolls it back, which is -1 (KERR_DB); SQLite keeps the statements
 * that worked and commits them.  A caller that goes on after a failed
 * statement wraps it in a SAVEPOINT, as the same code must work on both. */
int db_begin(struct db *db, struct kerr *e);
int db_commit(struct db *db, struct kerr *e);
void db_rollback(struct db *db);
/* 1 between db_begin and db_commit/db_rollback (a caller's transaction to join). */
int db_in_tx(const struct db *db);

/* Full-text search.  db_fts_ids appends to sql a subquery
 * "SELECT … AS id …" giving the ids of the rows of table that match one
 * bound parameter; db_fts_param appends that parameter's value, built from
 * the folded tokens (a-z, 0-9 only; see fold.h).  Every token must occur
 * as a word prefix; a token written "=word" must occur as the whole word. */
void db_fts_ids(struct db *db, const char *table, struct buf *sql);
void db_fts_param(struct db *db, const char *const *tokens, size_t n, struct buf *param);
/* Appends " INDEXED BY index" where the backend honours index hints (SQLite),
 * nothing elsewhere: for ORDER BY … LIMIT plans the planner cannot cost. */
void db_index_hint(struct db *db, const char *index, struct buf *sql);

/* Migrations.  They are numbered SQL files compiled into the program
 * (sql/migrations/NNN_name.sql).  Lines between "--@sqlite" and "--@end"
 * run only on SQLite, between "--@postgres" and "--@end" only on
 * PostgreSQL; "@PK@" becomes an auto-increment integer primary key and
 * "@CBIN@" a byte-order collation.  db_migrate applies the missing ones in
 * order, each in its own transaction, and records them in
 * schema_migrations; it prints one line per applied migration to log
 * (may be NULL). */
int db_migrate(struct db *db, FILE *log, struct kerr *e);
/* Number of the newest migration compiled in, and of the newest applied (0 if none;
 * reading it writes nothing, so it works on a read-only database). */
int db_migrations_known(void);
int db_schema_version(struct db *db, struct kerr *e);

/* A fixed-size pool of connections for the threads of the server. */
struct db_pool;
int db_pool_open(struct db_pool **out, const char *url, int size, struct kerr *e);
/* Blocks until a connection is free; a broken one (a PostgreSQL server that restarted) is
 * connected again first, and when that fails the connection comes back db_unavailable. */
struct db *db_pool_get(struct db_pool *p);
void db_pool_put(struct db_pool *p, struct db *db);
void db_pool_close(struct db_pool *p);

/* The backend table every backend fills (internal to db*.c). */
struct db_backend {
	const char *name;
	int (*open)(struct db *db, const char *url, struct kerr *e);
	void (*close)(struct db *db);
	int (*exec)(struct db *db, const char *sql, struct kerr *e);
	int (*prepare)(struct db *db, struct db_stmt *st, const char *sql, struct kerr *e);
	int (*step)(struct db_stmt *st, struct kerr *e);
	const char *(*col_text)(struct db_stmt *st, int i);
	double (*col_double)(struct db_stmt *st, int i);   /* may be NULL: parsed from col_text */
	long long (*col_int)(struct db_stmt *st, int i);   /* may be NULL: parsed from col_text */
	int (*col_null)(struct db_stmt *st, int i);        /* may be NULL: col_text is NULL */
	int (*ncols)(struct db_stmt *st);
	void (*reset)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	const char *begin_sql;
	void (*fts_ids)(const char *table, struct buf *sql);
	void (*fts_param)(const char *const *tokens, size_t n, struct buf *param);
	const char *pk_type;
	const char *cbin;
	const char *section;   /* "sqlite" or "postgres": migration blocks kept */
	int index_hints;       /* understands INDEXED BY */
	/* For migrations marked --@no-foreign-keys (db_migrate.c); NULL when the
	 * backend needs nothing: turn foreign keys off and on outside a
	 * transaction, and count the rows that break one (one number). */
	const char *fk_off, *fk_on, *fk_check;
	const char *fk_first;  /* the first such row: its table, rowid, the table it names (may be NULL) */
	const char *has_table; /* one number: how many tables named ? the database (its current schema) has */
	void (*budget)(struct db *db, long ops);   /* may be NULL */
	void (*no_wait)(struct db *db, int on);    /* may be NULL */
	void (*revive)(struct db *db);             /* reconnect a broken connection (db_note_unavailable
						      when that fails); may be NULL */
	/* COPY … FROM STDIN for db_batch; all three NULL when the backend has none (db_batch then
	 * writes multi-row INSERTs).  copy_begin runs sql (a COPY); copy_data sends text of whole
	 * rows in COPY's text format; copy_end ends the data and reads the outcome, an error as
	 * step says it, and always leaves the connection out of the COPY (also after copy_data
	 * failed).  0 or -1 (e set). */
	int (*copy_begin)(struct db *db, const char *sql, struct kerr *e);
	int (*copy_data)(struct db *db, const char *data, size_t n, struct kerr *e);
	int (*copy_end)(struct db *db, struct kerr *e);
};

extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_pg_backend;

#endif
