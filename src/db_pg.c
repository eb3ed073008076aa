/* db_pg.c — the PostgreSQL backend of db.h (libpq, text-format parameters). */
#include "db.h"
#include "db_impl.h"

#include <libpq-fe.h>

static void pg_revive(struct db *db);

/* The type of PostgreSQL's boolean (pg_type.oid of bool, fixed since 6.x; server/catalog/pg_type_d.h) */
#define PG_BOOLOID 16

/* A statement that failed because the connection is gone (the server
 * restarted, the network dropped) is tried once more on a new connection —
 * unless a transaction was open, which the old connection took with it. */
static int pg_lost(struct db *db)
{
	/* (a reconnection that failed in this use of the connection is not tried again: db.h) */
	if (PQstatus(db->conn) != CONNECTION_BAD || db->in_tx || db->unavailable)
		return 0;
	pg_revive(db);
	return PQstatus(db->conn) == CONNECTION_OK;
}

/* A transaction (db_begin) takes the write lock at once, as SQLite's BEGIN IMMEDIATE does: one
 * transaction-scoped advisory lock that every klaster transaction on the database takes first, so
 * writers go one at a time and a transaction that checks before it writes (the last administrator,
 * an overlapping membership) sees what the one before it wrote — READ COMMITTED alone would let two
 * of them read the same "none" and both write.  It waits as PostgreSQL's own locks do (no limit,
 * unless the server sets lock_timeout or statement_timeout).  The migrations' own lock
 * (db_migrate.c) is another key, taken after this one. */
#define PG_BEGIN_SQL "BEGIN; SELECT pg_advisory_xact_lock(7262354)"

/* Every session's settings; extra_float_digits 3 sends doubles as text that
 * reads back to the same bits (the default of PostgreSQL 12 and later). */
#define PG_SESSION_SQL \
	"SET client_min_messages = warning; SET client_encoding = 'UTF8'; SET extra_float_digits = 3"

/* libpq's message as one line, into out: its lines ("…refused\n\tIs the server running…",
 * "ERROR: …\nDETAIL: …") joined by "; ", the last line break dropped (a message is one line). */
static void pg_one_line(char *out, size_t size, const char *msg)
{
	size_t n = 0;
	while (*msg && n + 3 < size) {
		if (*msg == '\n') {
			while (*msg == '\n' || *msg == '\t' || *msg == ' ')
				msg++;
			if (*msg) {
				out[n++] = ';';
				out[n++] = ' ';
			}
			continue;
		}
		out[n++] = *msg++;
	}
	if (*msg) {
		/* cut short: room for "…", not inside a UTF-8 character, and said so */
		size_t end = n;
		unsigned char next;
		while (n && n + 4 > size)
			n--;
		next = (unsigned char)(n < end ? out[n] : *msg);
		if ((next & 0xC0) == 0x80) {   /* inside a character: back to before its first byte */
			while (n && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
				n--;
			if (n)
				n--;
		}
		if (n + 4 <= size) {
			memcpy(out + n, "\xe2\x80\xa6", 3);   /* … */
			n += 3;
		}
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* How long making a connection may take, unless the URL says (connect_timeout=…): libpq's own
 * default is none, and a server's host that drops packets would hold every request that tries
 * to reconnect for as long as the system's TCP gives up after (minutes). */
#define PG_CONNECT_TIMEOUT "5"

static int pg_open(struct db *db, const char *url, struct kerr *e)
{
	/* the URL after the default: its own settings win */
	static const char *const keys[] = { "connect_timeout", "dbname", NULL };
	const char *vals[] = { PG_CONNECT_TIMEOUT, url, NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (!c || PQstatus(c) != CONNECTION_OK) {
		char msg[800];
		pg_one_line(msg, sizeof(msg), c ? PQerrorMessage(c) : "out of memory");
		kerr_set(e, KERR_DB, "cannot connect to PostgreSQL: %s", msg);
		PQfinish(c);
		return -1;
	}
	db->conn = c;
	{
		PGresult *r = PQexec(c, PG_SESSION_SQL);
		PQclear(r);
	}
	return 0;
}

static void pg_close(struct db *db)
{
	PQfinish(db->conn);
}

/* Whether a statement failed because the server cannot be reached or is busy, not because of
 * the statement (db_unavailable): the connection is broken (and pg_lost could not make it
 * again), or the SQLSTATE is a connection exception (class 08), the server shutting down,
 * crashed or starting up (57P01, 57P02, 57P03), too many connections (53300) or the server's
 * lock_timeout (55P03). */
static int pg_is_unavailable(PGconn *c, const char *state)
{
	static const char *const states[] = { "57P01", "57P02", "57P03", "53300", "55P03" };
	size_t i;
	if (PQstatus(c) == CONNECTION_BAD)
		return 1;
	if (!state)
		return 0;
	if (strncmp(state, "08", 2) == 0)
		return 1;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(state, states[i]) == 0)
			return 1;
	return 0;
}

static int pg_result_err(struct db *db, PGresult *r, struct kerr *e)
{
	PGconn *c = db->conn;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	enum kerr_kind kind = KERR_DB;
	char msg[800];
	/* class 23: integrity constraint violation */
	if (state && strncmp(state, "23", 2) == 0)
		kind = KERR_CONFLICT;
	pg_one_line(msg, sizeof(msg), r ? PQresultErrorMessage(r) : PQerrorMessage(c));
	if (pg_is_unavailable(c, state))
		db_note_unavailable(db, "postgres: %s", msg);
	/* the ones a person can act on, said so (as db_sqlite.c says them) */
	if (state && strcmp(state, "55P03") == 0)   /* lock_not_available: the server's lock_timeout ran out */
		return kerr_set(e, kind, "postgres: the database is busy: another program writes to it (a klaster "
				"import, a server's writes) and did not finish in the time the server allows; run this "
				"again when it has (%s)", msg);
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
		return kerr_set(e, kind, "postgres: another program's writes got in the way of this one, which is "
				"rolled back: run it again (%s)", msg);
	return kerr_set(e, kind, "postgres: %s", msg);
}

static int pg_exec(struct db *db, const char *sql, struct kerr *e)
{
	PGresult *r = PQexec(db->conn, sql);
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (s == PGRES_FATAL_ERROR && pg_lost(db)) {
		PQclear(r);
		r = PQexec(db->conn, sql);
		s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	}
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
		pg_result_err(db, r, e);
		PQclear(r);
		/* a text that opened a transaction and failed after it (db_begin's lock that timed out) must
		 * not leave it open and aborted for the connection's next user, who knows of none */
		if (!db->in_tx && PQtransactionStatus(db->conn) != PQTRANS_IDLE &&
		    PQtransactionStatus(db->conn) != PQTRANS_UNKNOWN)
			PQclear(PQexec(db->conn, "ROLLBACK"));
		return -1;
	}
	/* COMMIT of a transaction in which a statement failed succeeds as a command but rolls the
	 * transaction back (its tag is ROLLBACK): nothing was saved, which the caller must hear
	 * (SQLite keeps the rest of such a transaction and commits it) */
	if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
		PQclear(r);
		return kerr_set(e, KERR_DB, "postgres: COMMIT: the transaction was rolled back and nothing of it "
				"was saved, because a statement in it had failed");
	}
	PQclear(r);
	return 0;
}

/* Rewrites the "?" placeholders into $1, $2 … (db_sql_params: not those in strings or comments). */
static int pg_prepare(struct db *db, struct db_stmt *st, const char *sql, struct kerr *e)
{
	struct buf b = BUF_INIT;
	(void)db;
	(void)e;
	db_sql_params(sql, &b);
	st->sql = buf_detach(&b, NULL);
	return 0;
}

/* Reads what is left of a streamed query's results (db_stream), so that the connection can run
 * the next statement: the rows are read and dropped, not cancelled, which would abort the
 * transaction the query may be in. */
static void pg_stream_drain(struct db_stmt *st)
{
	PGresult *r;
	PQclear(st->h);
	st->h = NULL;
	if (st->streaming)
		while ((r = PQgetResult(st->db->conn)) != NULL)
			PQclear(r);
	st->streaming = 0;
	st->row = st->nrows = 0;
}

/* db_stream's step: the query sent at the first, then each step's one row (PGRES_SINGLE_TUPLE)
 * until the end (PGRES_TUPLES_OK of no rows, or the whole result when the single-row mode was
 * not granted). */
static int pg_stream_step(struct db_stmt *st, struct kerr *e)
{
	PGresult *r;
	ExecStatusType s;
	if (!st->started) {
		const char **vals = xcalloc((size_t)st->nparams + 1, sizeof(*vals));
		int i, sent;
		for (i = 0; i < st->nparams; i++)
			vals[i] = st->params[i].type == DBP_NULL ? NULL : st->params[i].text;
		sent = PQsendQueryParams(st->db->conn, st->sql, st->nparams, NULL, vals, NULL, NULL, 0);
		if (!sent && pg_lost(st->db))
			sent = PQsendQueryParams(st->db->conn, st->sql, st->nparams, NULL, vals, NULL, NULL, 0);
		free(vals);
		if (!sent) {
			pg_result_err(st->db, NULL, e);
			return -1;
		}
		PQsetSingleRowMode(st->db->conn);  /* refused only before a result: the whole one comes */
		st->streaming = 1;
		st->h = NULL;
		st->row = st->nrows = 0;
	}
	if (st->h && st->row + 1 < st->nrows) {   /* a whole result, read row by row */
		st->row++;
		return 1;
	}
	PQclear(st->h);
	st->h = NULL;
	if (!st->streaming)
		return 0;
	r = PQgetResult(st->db->conn);
	s = r ? PQresultStatus(r) : PGRES_COMMAND_OK;
	if (r && (s == PGRES_SINGLE_TUPLE || (s == PGRES_TUPLES_OK && PQntuples(r) > 0))) {
		st->h = r;
		st->row = 0;
		st->nrows = PQntuples(r);
		return 1;
	}
	if (r && s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		pg_result_err(st->db, r, e);
		PQclear(r);
		pg_stream_drain(st);
		return -1;
	}
	PQclear(r);
	pg_stream_drain(st);   /* the end: the NULL after the last result */
	return 0;
}

static int pg_step(struct db_stmt *st, struct kerr *e)
{
	if (st->stream)
		return pg_stream_step(st, e);
	if (!st->started) {
		const char **vals = xcalloc((size_t)st->nparams + 1, sizeof(*vals));
		PGresult *r;
		ExecStatusType s;
		int i;
		for (i = 0; i < st->nparams; i++)
			vals[i] = st->params[i].type == DBP_NULL ? NULL : st->params[i].text;
		r = PQexecParams(st->db->conn, st->sql, st->nparams, NULL, vals, NULL, NULL, 0);
		s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
		if (s == PGRES_FATAL_ERROR && pg_lost(st->db)) {
			PQclear(r);
			r = PQexecParams(st->db->conn, st->sql, st->nparams, NULL, vals, NULL, NULL, 0);
			s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
		}
		free(vals);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			pg_result_err(st->db, r, e);
			PQclear(r);
			st->h = NULL;
			st->started = 1;
			return -1;
		}
		st->h = r;
		st->row = -1;
		st->nrows = s == PGRES_TUPLES_OK ? PQntuples(r) : 0;
	}
	if (!st->h)
		return 0;
	st->row++;
	return st->row < st->nrows ? 1 : 0;
}

/* db_batch's COPY (db.h): started as a statement is, retried once on a new connection when
 * the old one was lost outside a transaction (pg_lost). */
static int pg_copy_begin(struct db *db, const char *sql, struct kerr *e)
{
	PGresult *r;
	ExecStatusType s;
	/* a db_stream query whose rows are still coming would be cut short (libpq drops them) */
	if (PQtransactionStatus(db->conn) == PQTRANS_ACTIVE)
		BUG("db_batch: a COPY while another statement's rows are being read");
	r = PQexec(db->conn, sql);
	s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (s == PGRES_FATAL_ERROR && pg_lost(db)) {
		PQclear(r);
		r = PQexec(db->conn, sql);
		s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	}
	if (s != PGRES_COPY_IN) {
		pg_result_err(db, r, e);
		PQclear(r);
		while ((r = PQgetResult(db->conn)) != NULL)   /* (none: PQexec read them all) */
			PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

static int pg_copy_data(struct db *db, const char *data, size_t n, struct kerr *e)
{
	while (n) {
		int part = n > (size_t)1 << 30 ? 1 << 30 : (int)n;
		if (PQputCopyData(db->conn, data, part) != 1)
			return pg_result_err(db, NULL, e);
		data += part;
		n -= (size_t)part;
	}
	return 0;
}

/* Ends the data and reads every result, so that the connection is out of the COPY whatever
 * happened: the server's answer of a COPY that failed (a key given twice, a value the column
 * cannot take) is an error as pg_step says it. */
static int pg_copy_end(struct db *db, struct kerr *e)
{
	PGresult *r;
	int rc = 0;
	if (PQputCopyEnd(db->conn, NULL) != 1)
		rc = pg_result_err(db, NULL, e);
	while ((r = PQgetResult(db->conn)) != NULL) {
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_COPY_IN) {
			/* still in the COPY (the end could not be sent): it fails, and the next result ends it */
			PQclear(r);
			if (PQputCopyEnd(db->conn, "the client could not send the end of the data") != 1)
				break;
			continue;
		}
		if (s != PGRES_COMMAND_OK && !rc)
			rc = pg_result_err(db, r, e);
		PQclear(r);
		if (PQstatus(db->conn) == CONNECTION_BAD)
			break;
	}
	return rc;
}

static const char *pg_col_text(struct db_stmt *st, int i)
{
	PGresult *r = st->h;
	if (!r || st->row < 0 || st->row >= st->nrows || i >= PQnfields(r))
		return NULL;
	if (PQgetisnull(r, (int)st->row, i))
		return NULL;
	/* a boolean (a comparison, EXISTS) reads as SQLite's 1 or 0, not "t" or "f", which
	 * db_col_int would read as 0 both */
	if (PQftype(r, i) == PG_BOOLOID)
		return *PQgetvalue(r, (int)st->row, i) == 't' ? "1" : "0";
	return PQgetvalue(r, (int)st->row, i);
}

static int pg_ncols(struct db_stmt *st)
{
	return st->h ? PQnfields(st->h) : 0;
}

static void pg_reset(struct db_stmt *st)
{
	if (st->streaming)
		pg_stream_drain(st);
	PQclear(st->h);
	st->h = NULL;
	st->row = st->nrows = 0;
}

static void pg_finalize(struct db_stmt *st)
{
	if (st->streaming)
		pg_stream_drain(st);
	PQclear(st->h);
	st->h = NULL;
}

static void pg_fts_ids(const char *table, struct buf *sql)
{
	buf_printf(sql, "SELECT id FROM %s WHERE search_tsv @@ to_tsquery('simple', ?)", table);
}

static void pg_fts_param(const char *const *tokens, size_t n, struct buf *param)
{
	size_t i;
	for (i = 0; i < n; i++) {
		int exact = tokens[i][0] == '=';
		buf_printf(param, "%s%s%s", i ? " & " : "", tokens[i] + exact, exact ? "" : ":*");
	}
}

static void pg_revive(struct db *db)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return;
	PQreset(db->conn);
	if (PQstatus(db->conn) == CONNECTION_OK) {
		PGresult *r = PQexec(db->conn, PG_SESSION_SQL);
		PQclear(r);
	} else {
		char msg[800];
		pg_one_line(msg, sizeof(msg), PQerrorMessage(db->conn));
		db_note_unavailable(db, "cannot connect to PostgreSQL: %s", msg);
	}
}

const struct db_backend db_pg_backend = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.step = pg_step,
	.col_text = pg_col_text,
	.ncols = pg_ncols,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.begin_sql = PG_BEGIN_SQL,
	.fts_ids = pg_fts_ids,
	.fts_param = pg_fts_param,
	.pk_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.cbin = "COLLATE \"C\"",
	.section = "postgres",
	.has_table = "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?",
	.revive = pg_revive,
	.copy_begin = pg_copy_begin,
	.copy_data = pg_copy_data,
	.copy_end = pg_copy_end,
};
