/* db_impl.h — internals shared by db.c and the backends; not for other modules. */
#ifndef KLASTER_DB_IMPL_H
#define KLASTER_DB_IMPL_H

#include "db.h"

enum db_ptype { DBP_NULL = 0, DBP_TEXT, DBP_INT, DBP_DOUBLE };

struct db_param {
	enum db_ptype type;
	char *text;          /* owned; for DBP_TEXT, and the text form of numbers */
	long long i;
	double d;
};

/* Prepared statements kept per connection, keyed by their SQL text:
 * db_prepare hands out a kept one when it is free, db_finalize gives it
 * back (reset) instead of freeing it.  Imports and pages run the same
 * statements over and over; preparing is most of their cost otherwise. */
#define DB_STMT_CACHE 48

struct db_cached {
	char *sql;                 /* NULL: an empty slot */
	struct db_stmt *st;
	int in_use;
	unsigned long last;        /* for least-recently-used eviction */
};

struct db {
	const struct db_backend *be;
	void *conn;
	int in_tx;
	int no_create;           /* set before be->open: an SQLite file must exist */
	struct db_cached kept[DB_STMT_CACHE];
	unsigned long tick;
	long budget_left;        /* progress-handler calls left (SQLite) */
	unsigned long nerrors;   /* failed statements (db_error_count) */
	int no_wait;             /* db_no_wait is on: a busy write is skipped, the database is not away */
	int unavailable;         /* db_unavailable, since db_pool_get (or the opening) */
	int answered;            /* db_answered, since db_pool_get (or the opening) */
	char unavailable_msg[320];
	struct db_batch *copying;  /* the batch whose COPY holds the connection (PostgreSQL), or NULL */
};

struct db_stmt {
	struct db *db;
	void *h;                 /* backend handle */
	char *sql;               /* backend SQL text (owned) */
	int nparams;
	struct db_param *params; /* nparams entries */
	int started;             /* step called since prepare/reset */
	int stream;              /* db_stream: rows one at a time (PostgreSQL's single-row mode) */
	int streaming;           /* PostgreSQL: the rows of a streamed query are still coming */
	long row, nrows;         /* PostgreSQL result cursor */
	int slot;                /* index in db->kept, or -1 when not kept */
};

/* The "?" placeholders of sql, counted where SQL reads them: not inside a
 * quoted string ('…', "…"), a line comment (-- to the end of the line) or a
 * block comment.  With pg not NULL the text is appended to it with the
 * placeholders numbered $1, $2 … (the PostgreSQL backend).  Returns the count. */
int db_sql_params(const char *sql, struct buf *pg);

/* A backend saw that the database cannot be reached (or stayed busy past the wait): sets
 * db_unavailable, with the message (printf-style, one line, cut to its room) for
 * db_unavailable_msg; the first one of a use of the connection is kept. */
void db_note_unavailable(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
