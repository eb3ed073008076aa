/*
 * test_storage.c — the storage interface (db.h) and the directory queries
 * (dir.h, import.h) against a real database: the one named by the
 * environment variable KLASTER_TEST_DB (sqlite:PATH or a PostgreSQL URL).
 * tests/run.sh runs it once per backend.  The test starts from an empty
 * database on its own (it removes the SQLite file, or drops the public
 * schema on PostgreSQL), so it can be run again.  Run from the project
 * root: it reads data/reference and data/demo.
 */
#include "t.h"
#include "audit.h"
#include "auth.h"

#include "cube.h"
#include "dataset.h"
#include "db.h"
#include "indic.h"
#include "migrations.h"
#include "dir.h"
#include "firms.h"
#include "fold.h"
#include "import.h"

#include <float.h>
#include <pthread.h>

static struct db *db;

/* ---- helpers ---- */

static long long count_sql(const char *sql)
{
	long long n = -1;
	struct kerr e = KERR_INIT;
	if (db_query_int(db, &n, &e, sql, NULL) != 1)
		printf("# %s: %s\n", sql, e.msg);
	return n;
}

static long long count_orgs(void)
{
	return count_sql("SELECT COUNT(*) FROM organisation");
}

/* A valid NIP from 9 digits (the check digit is computed; remainder 10 is
 * avoided by bumping the ninth digit). */
static void make_nip(char out[11], unsigned long seed)
{
	static const int w[9] = { 6, 5, 7, 2, 3, 4, 5, 6, 7 };
	for (;;) {
		int sum = 0, i;
		snprintf(out, 11, "%09lu", seed % 1000000000UL);
		if (out[0] == '0')
			out[0] = '1';
		for (i = 0; i < 9; i++)
			sum += (out[i] - '0') * w[i];
		if (sum % 11 != 10) {
			out[9] = (char)('0' + sum % 11);
			out[10] = '\0';
			return;
		}
		seed++;
	}
}

/* The result of one search: names, ids and the other fields the checks need. */
struct hit {
	long long id;
	char *name, *type, *size, *section, *voiv, *search;
};

struct hits {
	struct hit *v;
	size_t n;
	long long total;
};

static int collect(void *ctx, const struct org *o)
{
	struct hits *h = ctx;
	struct hit *x;
	struct buf all = BUF_INIT, f = BUF_INIT;
	const char *parts[] = { o->name, o->city, o->street, o->nip, o->regon, o->krs, o->pkd,
				o->postal_code, o->description_pl, o->description_en };
	size_t i;
	h->v = xrealloc(h->v, st_mult(h->n + 1, sizeof(*h->v)));
	x = &h->v[h->n++];
	x->id = o->id;
	x->name = xstrdup(o->name);
	x->type = xstrdup(o->type ? o->type : "");
	x->size = xstrdup(o->size_class ? o->size_class : "");
	x->section = xstrdup(o->pkd_section ? o->pkd_section : "");
	x->voiv = xstrdup(o->voivodeship ? o->voivodeship : "");
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i]) {
			buf_puts(&all, parts[i]);
			buf_putc(&all, ' ');
		}
	buf_putc(&f, ' ');
	fold_search(&f, all.ptr);
	x->search = buf_detach(&f, NULL);   /* " word word …" */
	buf_release(&all);
	return 0;
}

static void hits_free(struct hits *h)
{
	size_t i;
	for (i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].type);
		free(h->v[i].size);
		free(h->v[i].section);
		free(h->v[i].voiv);
		free(h->v[i].search);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}

static int search(struct hits *h, const struct org_query *q)
{
	struct kerr e = KERR_INIT;
	memset(h, 0, sizeof(*h));
	if (dir_org_search(db, q, &h->total, collect, h, &e)) {
		printf("# search failed: %s\n", e.msg);
		return -1;
	}
	return 0;
}

/* Search with only q (all results, name order). */
static int search_q(struct hits *h, const char *text)
{
	struct org_query q;
	memset(&q, 0, sizeof(q));
	q.q = text;
	q.page = 1;
	return search(h, &q);
}

static int has_name(const struct hits *h, const char *name)
{
	size_t i;
	for (i = 0; i < h->n; i++)
		if (strcmp(h->v[i].name, name) == 0)
			return 1;
	return 0;
}

static int has_id(const struct hits *h, long long id)
{
	size_t i;
	for (i = 0; i < h->n; i++)
		if (h->v[i].id == id)
			return 1;
	return 0;
}

/* Does folded text (" a b c") hold a word starting with prefix? */
static int has_word_prefix(const char *folded, const char *prefix)
{
	struct buf pat = BUF_INIT;
	int r;
	buf_printf(&pat, " %s", prefix);
	r = strstr(folded, pat.ptr) != NULL;
	buf_release(&pat);
	return r;
}

static int folded_name_has(const char *name, const char *prefix)
{
	struct buf f = BUF_INIT;
	int r;
	buf_putc(&f, ' ');
	fold_search(&f, name);
	r = has_word_prefix(f.ptr, prefix);
	buf_release(&f);
	return r;
}

static int cmp_sortkey(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	struct buf ka = BUF_INIT, kb = BUF_INIT;
	int r;
	fold_sortkey(&ka, *x);
	fold_sortkey(&kb, *y);
	r = strcmp(ka.ptr, kb.ptr);
	buf_release(&ka);
	buf_release(&kb);
	return r;
}

static long index_of(const struct hits *h, const char *name)
{
	size_t i;
	for (i = 0; i < h->n; i++)
		if (strcmp(h->v[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* ---- the storage interface ---- */

T_TEST(reset_and_migrate)
{
	struct kerr e = KERR_INIT;
	char *log = NULL;
	size_t loglen = 0;
	FILE *f;
	int known = db_migrations_known();

	T_OK(known >= 1);
	T_EQ_INT(db_schema_version(db, &e), 0);
	/* asking the version of an empty database creates nothing in it */
	T_EQ_INT(count_sql(db_kind(db) == DB_POSTGRES
			   ? "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
			   : "SELECT COUNT(*) FROM sqlite_master"), 0);

	f = open_memstream(&log, &loglen);
	T_EQ_INT(db_migrate(db, f, &e), 0);
	fclose(f);
	if (e.kind)
		printf("# %s\n", e.msg);
	T_OK(loglen > 0);           /* the first run reports what it applied */
	free(log);
	T_EQ_INT(db_schema_version(db, &e), known);

	log = NULL;
	loglen = 0;
	f = open_memstream(&log, &loglen);
	T_EQ_INT(db_migrate(db, f, &e), 0);
	fclose(f);
	T_EQ_INT(loglen, 0);        /* the second run applies nothing */
	free(log);
	T_EQ_INT(db_schema_version(db, &e), known);
	/* a connection that may not write (a read-only replica, a read-only file) reads the version */
	{
		struct db *ro = NULL;
		T_EQ_INT(db_open(&ro, getenv("KLASTER_TEST_DB"), &e), 0);
		if (ro) {
			T_EQ_INT(db_exec(ro, db_kind(ro) == DB_POSTGRES ? "SET default_transaction_read_only = on"
					 : "PRAGMA query_only = 1", &e), 0);
			kerr_clear(&e);
			if (!T_OK(db_schema_version(ro, &e) == known))
				printf("# %s\n", e.msg);
			db_close(ro);
		}
	}
	/* every compiled migration recorded once (numbers may have gaps) */
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM schema_migrations"), db_nmigrations);
}

static const char *scratch_sql(void)
{
	return db_kind(db) == DB_POSTGRES
		? "CREATE TABLE scratch (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		  " s TEXT UNIQUE, n BIGINT, d DOUBLE PRECISION)"
		: "CREATE TABLE scratch (id INTEGER PRIMARY KEY AUTOINCREMENT,"
		  " s TEXT UNIQUE, n BIGINT, d DOUBLE PRECISION)";
}

/* INSERT … RETURNING id; returns the id or -1. */
static long long insert_scratch(const char *s, long long n, double d, struct kerr *e)
{
	struct db_stmt *st;
	long long id = -1;
	if (db_prepare(db, "INSERT INTO scratch (s, n, d) VALUES (?, ?, ?) RETURNING id", &st, e))
		return -1;
	db_bind_text(st, 1, s);
	db_bind_int(st, 2, n);
	db_bind_double(st, 3, d);
	if (db_step(st, e) == 1)
		id = db_col_int(st, 0);
	db_finalize(st);
	return id;
}

T_TEST(binding)
{
	static const char *const strs[] = {
		"O'Reilly", "'; DROP TABLE scratch; --", "\"double\" and `back`", "?", "$1 ? $2",
		"Zażółć gęślą jaźń — ŁÓDŹ „cytat” €", "日本語 ελληνικά кириллица 🙂", "back\\slash\\", "",
		"line\nbreak\ttab", NULL };
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	long long ids[16], id;
	size_t i;

	T_EQ_INT(db_exec(db, scratch_sql(), &e), 0);
	for (i = 0; strs[i]; i++) {
		ids[i] = insert_scratch(strs[i], (long long)i, 0.5, &e);
		if (!T_OK(ids[i] > 0))
			printf("# %s\n", e.msg);
	}
	T_OK(ids[1] > ids[0]);
	for (i = 0; strs[i]; i++) {
		int r;
		if (db_prepare(db, "SELECT s, '?' AS q FROM scratch WHERE id = ?", &st, &e)) {
			T_OK(0);
			printf("# %s\n", e.msg);
			continue;
		}
		db_bind_int(st, 1, ids[i]);
		r = db_step(st, &e);
		T_EQ_INT(r, 1);
		if (r == 1) {
			T_EQ_STR(db_col_text(st, 0), strs[i]);
			T_EQ_STR(db_col_text(st, 1), "?");   /* a '?' inside a literal is not a parameter */
		}
		db_finalize(st);
	}
	/* the same strings used as search keys find exactly their row */
	for (i = 0; strs[i]; i++) {
		id = 0;
		T_EQ_INT(db_query_int(db, &id, &e, "SELECT id FROM scratch WHERE s = ?", strs[i], NULL), 1);
		T_EQ_INT(id, ids[i]);
	}
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM scratch"), (long long)i);

	/* NULL: both ways of binding it */
	T_EQ_INT(db_prepare(db, "INSERT INTO scratch (s, n, d) VALUES (?, ?, ?) RETURNING id", &st, &e), 0);
	db_bind_text(st, 1, NULL);
	db_bind_null(st, 2);
	db_bind_null(st, 3);
	T_EQ_INT(db_step(st, &e), 1);
	id = db_col_int(st, 0);
	db_finalize(st);
	T_EQ_INT(db_prepare(db, "SELECT s, n, d FROM scratch WHERE id = ?", &st, &e), 0);
	db_bind_int(st, 1, id);
	T_EQ_INT(db_step(st, &e), 1);
	T_EQ_INT(db_ncols(st), 3);
	T_OK(db_col_null(st, 0) && db_col_null(st, 1) && db_col_null(st, 2));
	T_OK(db_col_text(st, 0) == NULL);
	db_finalize(st);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM scratch WHERE s IS NULL"), 1);

	/* integers and doubles */
	{
		static const long long ints[] = { 0, -1, 2147483648LL, -9007199254740993LL, 9223372036854775807LL };
		static const double dbls[] = { 0.0, 3.141592653589793, -1234.5678, 1e-10, 52.229676 };
		for (i = 0; i < 5; i++) {
			char key[32];
			snprintf(key, sizeof(key), "num%zu", i);
			id = insert_scratch(key, ints[i], dbls[i], &e);
			T_EQ_INT(db_prepare(db, "SELECT n, d FROM scratch WHERE id = ?", &st, &e), 0);
			db_bind_int(st, 1, id);
			T_EQ_INT(db_step(st, &e), 1);
			T_EQ_INT(db_col_int(st, 0), ints[i]);
			T_NEAR(db_col_double(st, 1), dbls[i], 1e-12);
			db_finalize(st);
		}
	}

	/* a boolean reads as 1 or 0 on both backends (PostgreSQL's own text is "t" or "f") */
	T_EQ_INT(db_prepare(db, "SELECT 2 > 1, 1 > 2, NULL > 1, EXISTS (SELECT 1 FROM scratch WHERE n = ?)", &st, &e), 0);
	db_bind_int(st, 1, 0);
	T_EQ_INT(db_step(st, &e), 1);
	T_EQ_INT(db_col_int(st, 0), 1);
	T_EQ_INT(db_col_int(st, 1), 0);
	T_OK(db_col_null(st, 2));
	T_EQ_INT(db_col_int(st, 3), 1);
	T_EQ_STR(db_col_text(st, 0), "1");
	T_EQ_STR(db_col_text(st, 1), "0");
	db_finalize(st);

	/* a statement runs again after db_reset */
	T_EQ_INT(db_prepare(db, "SELECT COUNT(*) FROM scratch WHERE n >= ?", &st, &e), 0);
	db_bind_int(st, 1, 0);
	T_EQ_INT(db_step(st, &e), 1);
	id = db_col_int(st, 0);
	db_reset(st);
	db_bind_int(st, 1, 2147483648LL);
	T_EQ_INT(db_step(st, &e), 1);
	T_OK(db_col_int(st, 0) == 2 && id > 2);
	db_finalize(st);

	/* the table survived the hostile strings */
	T_OK(count_sql("SELECT COUNT(*) FROM scratch") > 10);
}

/* What a database URL klaster cannot open is told: a kind it does not know (not taken for an SQLite
 * file's name, the rest of the URL not shown: it may hold a password), a folder that is not there. */
T_TEST(open_messages)
{
	struct kerr e = KERR_INIT;
	struct db *x = NULL;
	T_EQ_INT(db_open(&x, "mysql://user:secret@db.example/klaster", &e), -1);
	T_OK(x == NULL);
	T_EQ_INT(e.kind, KERR_USAGE);
	if (!T_OK(strstr(e.msg, "of a kind klaster does not know (mysql://)") && !strstr(e.msg, "secret")))
		printf("# %s\n", e.msg);
	T_OK(access("mysql:", F_OK) != 0);   /* no file of that name made */
	kerr_clear(&e);
	T_EQ_INT(db_open(&x, "sqlite:/nonexistent-klaster-folder/sub/k.db", &e), -1);
	T_EQ_INT(e.kind, KERR_DB);
	if (!T_OK(strstr(e.msg, "there is no folder /nonexistent-klaster-folder/sub to hold it") != NULL))
		printf("# %s\n", e.msg);
	kerr_clear(&e);
	T_EQ_INT(db_open(&x, "/nonexistent-klaster-folder/k.db", &e), -1);   /* a bare path, the same */
	T_OK(strstr(e.msg, "there is no folder /nonexistent-klaster-folder to hold it") != NULL);
}

/* One statement a text, and its "?" counted where SQL reads them: a "?" or a quote inside a
 * comment is no placeholder and opens no string, on both backends. */
T_TEST(placeholders)
{
	static const struct {
		const char *sql;
		int nbind;
		const char *want;
	} cases[] = {
		{ "SELECT ? /* what? */", 1, "a" },
		{ "SELECT /* it's */ ?", 1, "a" },
		{ "SELECT ? -- what's this?\n || ?", 2, "ab" },
		{ "SELECT '--' || ? || '/*'", 1, "--a/*" },
		{ "SELECT 'it''s ?' || ?", 1, "it's ?a" },
		{ "SELECT ? || \"x\" FROM (SELECT '?' AS \"x\") q", 1, "a?" },
	};
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	size_t i;
	int rc;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kerr_clear(&e);
		if (!T_OK(db_prepare(db, cases[i].sql, &st, &e) == 0)) {
			printf("# %s: %s\n", cases[i].sql, e.msg);
			continue;
		}
		db_bind_text(st, 1, "a");
		if (cases[i].nbind > 1)
			db_bind_text(st, 2, "b");
		rc = db_step(st, &e);
		if (!T_OK(rc == 1))
			printf("# %s: %s\n", cases[i].sql, e.msg);
		else
			T_EQ_STR(db_col_text(st, 0), cases[i].want);
		db_finalize(st);
	}
	/* a second statement in the text is refused, not left unrun without a word */
	T_EQ_INT(db_exec(db, "CREATE TABLE two_t (k INTEGER)", &e), 0);
	kerr_clear(&e);
	rc = db_prepare(db, "SELECT ?; DROP TABLE two_t", &st, &e);
	if (rc == 0) {
		db_bind_int(st, 1, 1);
		rc = db_step(st, &e);
		db_finalize(st);
	}
	T_EQ_INT(rc, -1);
	T_EQ_INT(e.kind, KERR_DB);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM two_t"), 0);   /* still there */
	/* a trailing semicolon or comment is no second statement */
	T_EQ_INT(db_query_int(db, &(long long){ 0 }, &e, "SELECT COUNT(*) FROM two_t; -- all", NULL), 1);
	T_EQ_INT(db_exec(db, "DROP TABLE two_t", &e), 0);
}

/* Statements are kept per connection and handed out again (db.c): the
 * same text twice at once gives two statements, a finished one is reused
 * with fresh bindings, and one that failed works again afterwards. */
T_TEST(kept_statements)
{
	struct db_stmt *a = NULL, *b = NULL, *c2 = NULL;
	struct kerr e = KERR_INIT;
	const char *sql = "SELECT ? + 1";
	T_EQ_INT(db_prepare(db, sql, &a, &e), 0);
	T_EQ_INT(db_prepare(db, sql, &b, &e), 0);
	T_OK(a != b);
	db_bind_int(a, 1, 41);
	db_bind_int(b, 1, 1);
	T_EQ_INT(db_step(a, &e), 1);
	T_EQ_INT(db_step(b, &e), 1);
	T_EQ_INT(db_col_int(a, 0), 42);
	T_EQ_INT(db_col_int(b, 0), 2);
	db_finalize(a);
	T_EQ_INT(db_prepare(db, sql, &c2, &e), 0);
	T_OK(c2 == a);                       /* the kept one, reset */
	db_bind_int(c2, 1, 9);
	T_EQ_INT(db_step(c2, &e), 1);
	T_EQ_INT(db_col_int(c2, 0), 10);
	db_finalize(c2);
	db_finalize(b);
	/* a failing statement, kept, fails cleanly and works with good input */
	T_EQ_INT(db_exec(db, "CREATE TABLE IF NOT EXISTS kept_t (k INTEGER PRIMARY KEY)", &e), 0);
	T_EQ_INT(db_prepare(db, "INSERT INTO kept_t (k) VALUES (?)", &a, &e), 0);
	db_bind_int(a, 1, 7);
	T_EQ_INT(db_step(a, &e), 0);
	db_finalize(a);
	T_EQ_INT(db_prepare(db, "INSERT INTO kept_t (k) VALUES (?)", &a, &e), 0);
	db_bind_int(a, 1, 7);
	T_EQ_INT(db_step(a, &e), -1);        /* duplicate key */
	T_EQ_INT(e.kind, KERR_CONFLICT);
	db_finalize(a);
	T_EQ_INT(db_prepare(db, "INSERT INTO kept_t (k) VALUES (?)", &a, &e), 0);
	db_bind_int(a, 1, 8);
	T_EQ_INT(db_step(a, &e), 0);
	db_finalize(a);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM kept_t"), 2);
	T_EQ_INT(db_exec(db, "DROP TABLE kept_t", &e), 0);
}

/* db_stream: rows one at a time (PostgreSQL's single-row mode), the same rows as at once; a
 * statement finalized half-way reads the rest so the next one runs, inside a transaction too;
 * an error half-way (PostgreSQL's division by zero at a row) is told and leaves the connection
 * usable. */
T_TEST(streamed_rows)
{
	static const char *const rows = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000)"
					" SELECT x, CASE WHEN x % 7 = 0 THEN NULL ELSE x * 2 END FROM n";
	struct db_stmt *st = NULL;
	struct kerr e = KERR_INIT;
	long long sum = 0, nulls = 0, n = 0, k;
	int r, pg = strcmp(db_kind_name(db), "postgres") == 0;

	T_EQ_INT(db_prepare(db, rows, &st, &e), 0);
	db_stream(st);
	while ((r = db_step(st, &e)) == 1) {
		n++;
		sum += db_col_int(st, 0);
		if (db_col_null(st, 1))
			nulls++;
		else if (db_col_int(st, 1) != 2 * db_col_int(st, 0))
			break;
	}
	T_EQ_INT(r, 0);
	T_EQ_INT(n, 3000);
	T_EQ_INT(sum, 3000LL * 3001 / 2);
	T_EQ_INT(nulls, 3000 / 7);
	db_finalize(st);
	/* half-way, then another statement; and the same in a transaction */
	for (k = 0; k < 2; k++) {
		if (k)
			T_EQ_INT(db_begin(db, &e), 0);
		T_EQ_INT(db_prepare(db, rows, &st, &e), 0);
		db_stream(st);
		for (n = 0; n < 10 && db_step(st, &e) == 1; n++)
			;
		T_EQ_INT(n, 10);
		db_finalize(st);
		T_EQ_INT(count_sql("SELECT 41 + 1"), 42);
		if (k)
			T_EQ_INT(db_commit(db, &e), 0);
	}
	/* an error half-way */
	T_EQ_INT(db_prepare(db, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000)"
			    " SELECT 10 / (x - 1500) FROM n", &st, &e), 0);
	db_stream(st);
	for (n = 0; (r = db_step(st, &e)) == 1; n++)
		;
	db_finalize(st);
	if (pg) {
		T_EQ_INT(r, -1);
		T_OK(strstr(e.msg, "division by zero") != NULL);
		T_OK(n < 1500);
	} else {
		T_EQ_INT(r, 0);              /* SQLite: NULL, no error */
		T_EQ_INT(n, 3000);
	}
	T_EQ_INT(count_sql("SELECT 41 + 1"), 42);
}

/* db_batch: rows many to a statement, across the statements' edges (more rows than a statement
 * takes, and a last shorter one), texts copied (the caller's buffer changes after each row), NULL
 * for a NULL text and a NAN number; a failing row (a duplicate key) fails the batch, and the
 * transaction's rollback leaves none of its rows. */
T_TEST(batched_rows)
{
	struct kerr e = KERR_INIT;
	struct db_batch *b;
	char word[32];
	long long k;
	T_EQ_INT(db_exec(db, "CREATE TABLE batch_t (k INTEGER PRIMARY KEY, w TEXT, x DOUBLE PRECISION)", &e), 0);
	T_EQ_INT(db_begin(db, &e), 0);
	b = db_batch_new(db, "INSERT INTO batch_t (k, w, x)", 3);
	for (k = 1; k <= 777; k++) {
		snprintf(word, sizeof(word), "słowo %lld", k);
		db_batch_int(b, k);
		db_batch_text(b, k % 10 ? word : NULL);
		db_batch_num(b, k % 7 ? (double)k / 4 : NAN);
		T_EQ_INT(db_batch_row(b, &e), 0);
		memset(word, 'x', sizeof(word) - 1);   /* the batch holds its own copy */
	}
	T_EQ_INT(db_batch_finish(b, &e), 0);
	T_EQ_INT(db_commit(db, &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_t"), 777);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_t WHERE w IS NULL"), 77);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_t WHERE x IS NULL"), 111);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_t WHERE w = 'słowo 401' AND x = 100.25"), 1);
	/* a duplicate key in the second statement: the batch fails, the rollback keeps none of it */
	T_EQ_INT(db_begin(db, &e), 0);
	b = db_batch_new(db, "INSERT INTO batch_t (k, w, x)", 3);
	for (k = 1000; k < 1400; k++) {
		db_batch_int(b, k == 1300 ? 5 : k);
		db_batch_text(b, "w");
		db_batch_num(b, 1);
		if (db_batch_row(b, &e))
			break;
	}
	if (k == 1400)
		T_EQ_INT(db_batch_finish(b, &e), -1);
	else
		db_batch_free(b);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	db_rollback(db);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_t"), 777);
	T_EQ_INT(db_exec(db, "DROP TABLE batch_t", &e), 0);
}

/* db_batch's values stored as given (PostgreSQL writes them as COPY's text, where a tab, a line
 * break, a backslash or "\N" in a text means something): texts of every awkward kind and NULL,
 * numbers to the last bit (NAN stores NULL), integers at their extremes. */
T_TEST(batched_values)
{
	static const char *const texts[] = {
		"tab\there", "line\nbreak", "carriage\rreturn", "crlf\r\n", "back\\slash", "\\N", "\\",
		"\\.", "\\t not a tab", "ends in a backslash\\", "\\\\N", "Zażółć gęślą jaźń 日本語 🙂",
		"", "\t", "\n", "x,y;\"q\" 's'", "\x01\x7f control", NULL,
	};
	static const double nums[] = {
		0.1, 1.0 / 3, -2.0 / 3, DBL_MAX, -DBL_MAX, DBL_MIN, DBL_MIN / 4 /* subnormal */, 4.9406564584124654e-324,
		1e308, 1e-308, 123456789.123456789, -2.5e-300, 9007199254740993.0, 0.30000000000000004, 1, 0, NAN,
	};
	static const long long ints[] = { LLONG_MIN, LLONG_MAX, LLONG_MIN + 1, -1, 0, 1, INT_MAX, (long long)INT_MIN - 1 };
	const size_t ntext = sizeof(texts) / sizeof(texts[0]), nnum = sizeof(nums) / sizeof(nums[0]);
	const size_t nint = sizeof(ints) / sizeof(ints[0]);
	size_t n = ntext > nnum ? ntext : nnum, k, bad_text = 0, bad_num = 0, bad_int = 0, rows = 0;
	struct kerr e = KERR_INIT;
	struct db_batch *b;
	struct db_stmt *st;
	int r;

	if (nint > n)
		n = nint;
	T_EQ_INT(db_exec(db, "CREATE TABLE batch_v (k INTEGER PRIMARY KEY, w TEXT, x DOUBLE PRECISION, i BIGINT)", &e), 0);
	T_EQ_INT(db_begin(db, &e), 0);
	b = db_batch_new(db, "INSERT INTO batch_v (k, w, x, i)", 4);
	for (k = 0; k < n; k++) {
		db_batch_int(b, (long long)k);
		db_batch_text(b, k < ntext ? texts[k] : "more");
		db_batch_num(b, k < nnum ? nums[k] : 2.5);
		db_batch_int(b, k < nint ? ints[k] : 7);
		T_EQ_INT(db_batch_row(b, &e), 0);
	}
	r = db_batch_finish(b, &e);
	T_EQ_INT(r, 0);
	if (r)
		printf("# %s\n", e.msg);
	T_EQ_INT(db_commit(db, &e), 0);
	T_EQ_INT(db_prepare(db, "SELECT k, w, x, i FROM batch_v ORDER BY k", &st, &e), 0);
	while ((r = db_step(st, &e)) == 1) {
		long long kk = db_col_int(st, 0);
		const char *w = db_col_text(st, 1);
		const char *want = kk < (long long)ntext ? texts[kk] : "more";
		double x = db_col_double(st, 2), want_x = kk < (long long)nnum ? nums[kk] : 2.5;
		long long i = db_col_int(st, 3), want_i = kk < (long long)nint ? ints[kk] : 7;
		rows++;
		if (want ? !w || strcmp(w, want) != 0 : w != NULL) {
			bad_text++;
			printf("# text %lld: got \"%s\"\n", kk, w ? w : "(null)");
		}
		if (isnan(want_x) ? !db_col_null(st, 2) : db_col_null(st, 2) || memcmp(&x, &want_x, sizeof(x)) != 0) {
			bad_num++;
			printf("# number %lld: got %.17g (%s), want %.17g\n", kk, x, db_col_null(st, 2) ? "NULL" : "not NULL",
			       want_x);
		}
		if (i != want_i) {
			bad_int++;
			printf("# integer %lld: got %lld, want %lld\n", kk, i, want_i);
		}
	}
	db_finalize(st);
	T_EQ_INT(r, 0);
	T_EQ_INT(rows, n);
	T_EQ_INT(bad_text, 0);
	T_EQ_INT(bad_num, 0);
	T_EQ_INT(bad_int, 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_v WHERE w IS NULL"), 1);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_v WHERE x IS NULL"), 1);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_v WHERE w = '\\N'"), 1);   /* the text, not NULL */
	T_EQ_INT(db_exec(db, "DROP TABLE batch_v", &e), 0);
}

/* A batch larger than one write (more rows than PostgreSQL's COPY takes, DB_BATCH_COPY_ROWS): all
 * rows stored; the table's statement trigger runs once a COPY, not once every 160 rows (PostgreSQL;
 * SQLite has row triggers only); another statement between two rows sees at most the rows given
 * before it, ends PostgreSQL's COPY, and the batch goes on. */
T_TEST(batched_many)
{
	const long long n = 2 * DB_BATCH_COPY_ROWS + 5000;
	struct kerr e = KERR_INIT;
	struct db_batch *b;
	long long k, seen = -1;
	int pg = db_kind(db) == DB_POSTGRES, ok = 1, r;

	T_EQ_INT(db_exec(db, "CREATE TABLE batch_m (k BIGINT PRIMARY KEY, w TEXT, x DOUBLE PRECISION);"
			 " CREATE TABLE batch_m_runs (n INTEGER)", &e), 0);
	if (pg)
		T_EQ_INT(db_exec(db, "CREATE FUNCTION batch_m_count() RETURNS trigger LANGUAGE plpgsql AS $$"
				 " BEGIN INSERT INTO batch_m_runs VALUES (1); RETURN NULL; END $$;"
				 " CREATE TRIGGER batch_m_run AFTER INSERT ON batch_m"
				 " FOR EACH STATEMENT EXECUTE FUNCTION batch_m_count()", &e), 0);
	T_EQ_INT(db_begin(db, &e), 0);
	b = db_batch_new(db, "INSERT INTO batch_m (k, w, x)", 3);
	for (k = 0; k < n && ok; k++) {
		db_batch_int(b, k);
		db_batch_text(b, k % 3 ? "a\tb" : "c\\d");
		db_batch_num(b, (double)k / 8);
		ok = db_batch_row(b, &e) == 0;
		if (k == 30000)
			ok = ok && db_query_int(db, &seen, &e, "SELECT COUNT(*) FROM batch_m", NULL) == 1;
	}
	T_OK(ok);
	r = db_batch_finish(b, &e);
	T_EQ_INT(r, 0);
	if (r)
		printf("# %s\n", e.msg);
	T_EQ_INT(db_commit(db, &e), 0);
	T_OK(seen >= 0 && seen <= 30001);   /* at most the rows given before it */
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_m"), n);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_m WHERE w = 'a\tb'"), n - (n + 2) / 3);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_m WHERE x * 8 = k"), n);
	if (pg)   /* COPYs: to the statement between the rows, then DB_BATCH_COPY_ROWS rows, then the rest */
		T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_m_runs"), 3);
	T_EQ_INT(db_exec(db, pg ? "DROP TABLE batch_m; DROP TABLE batch_m_runs; DROP FUNCTION batch_m_count()"
			 : "DROP TABLE batch_m; DROP TABLE batch_m_runs", &e), 0);
}

/* A batch that fails in its middle: a key given twice after a whole write (DB_BATCH_COPY_ROWS rows)
 * is KERR_CONFLICT from the row or the finish that writes it, the batch's later calls say it again,
 * the rollback leaves none of its rows, and the connection runs the next statement and batch; on
 * PostgreSQL a value the column cannot take is KERR_DB, a missing foreign key KERR_CONFLICT. */
static int batch_failing(long long n, long long dup_at, const char *bad_value, long long bad_fk, struct kerr *e)
{
	struct db_batch *b = db_batch_new(db, "INSERT INTO batch_f (k, p, w)", 3);
	long long k;
	int rc = 0, later;
	for (k = 1; k <= n; k++) {
		db_batch_int(b, k == dup_at ? 1 : k);
		if (k == bad_fk)
			db_batch_int(b, 99);
		else
			db_batch_int(b, 1);
		db_batch_text(b, k == dup_at + 1 && bad_value ? bad_value : "w");
		if ((rc = db_batch_row(b, e)) != 0)
			break;
	}
	if (rc) {
		/* said again by the next row and the finish */
		struct kerr again = KERR_INIT;
		db_batch_int(b, n + 1);
		db_batch_int(b, 1);
		db_batch_text(b, "w");
		later = db_batch_row(b, &again);
		T_EQ_INT(later, -1);
		T_EQ_INT(again.kind, e->kind);
		T_EQ_INT(db_batch_finish(b, &again), -1);
		T_EQ_INT(again.kind, e->kind);
		return rc;
	}
	return db_batch_finish(b, e);
}

T_TEST(batched_failures)
{
	const long long n = DB_BATCH_COPY_ROWS + 3000;
	struct kerr e = KERR_INIT;
	unsigned long errors;
	int pg = db_kind(db) == DB_POSTGRES;

	T_EQ_INT(db_exec(db, "CREATE TABLE batch_p (id BIGINT PRIMARY KEY);"
			 " CREATE TABLE batch_f (k BIGINT PRIMARY KEY, p BIGINT NOT NULL REFERENCES batch_p(id), w TEXT);"
			 " INSERT INTO batch_p VALUES (1); INSERT INTO batch_f VALUES (-1, 1, 'kept')", &e), 0);
	/* a key given twice after the first write */
	errors = db_error_count(db);
	T_EQ_INT(db_begin(db, &e), 0);
	T_EQ_INT(batch_failing(n, DB_BATCH_COPY_ROWS + 1000, NULL, 0, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	printf("# %s\n", e.msg);
	T_OK(db_error_count(db) > errors);
	db_rollback(db);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_f"), 1);
	T_EQ_INT(count_sql("SELECT 41 + 1"), 42);
	/* a key given twice in the first write, and nothing more given after it */
	T_EQ_INT(db_begin(db, &e), 0);
	T_EQ_INT(batch_failing(100, 50, NULL, 0, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	db_rollback(db);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_f"), 1);
	/* a foreign key that names no row */
	T_EQ_INT(db_begin(db, &e), 0);
	T_EQ_INT(batch_failing(5000, 0, NULL, 4000, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	db_rollback(db);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_f"), 1);
	if (pg) {
		/* a text where the column holds a number (SQLite keeps it: no types) */
		T_EQ_INT(db_exec(db, "ALTER TABLE batch_f ALTER COLUMN w TYPE BIGINT USING 0", &e), 0);
		T_EQ_INT(db_begin(db, &e), 0);
		T_EQ_INT(batch_failing(2000, 1500, "not a number", 0, &e), -1);
		db_rollback(db);
		T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_f"), 1);
		T_EQ_INT(db_exec(db, "ALTER TABLE batch_f ALTER COLUMN w TYPE TEXT", &e), 0);
	}
	/* outside a transaction the failing write stores nothing of its own rows */
	T_EQ_INT(batch_failing(300, 200, NULL, 0, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_OK(count_sql("SELECT COUNT(*) FROM batch_f WHERE k >= 200") == 0);
	T_EQ_INT(db_exec(db, "DELETE FROM batch_f WHERE k > 0", &e), 0);
	/* the connection goes on: a statement, then a batch that works */
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_f"), 1);
	T_EQ_INT(db_begin(db, &e), 0);
	T_EQ_INT(batch_failing(n, 0, NULL, 0, &e), 0);
	T_EQ_INT(db_commit(db, &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM batch_f"), n + 1);
	T_EQ_INT(db_exec(db, "DROP TABLE batch_f; DROP TABLE batch_p", &e), 0);
}

T_TEST(transactions)
{
	struct kerr e = KERR_INIT;
	long long before = count_sql("SELECT COUNT(*) FROM scratch");

	T_EQ_INT(db_begin(db, &e), 0);
	T_OK(insert_scratch("tx-rollback-1", 1, 1, &e) > 0);
	T_OK(insert_scratch("tx-rollback-2", 2, 2, &e) > 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM scratch"), before + 2);
	db_rollback(db);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM scratch"), before);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM scratch WHERE s LIKE 'tx-rollback%'"), 0);

	T_EQ_INT(db_begin(db, &e), 0);
	T_OK(insert_scratch("tx-commit", 3, 3, &e) > 0);
	T_EQ_INT(db_commit(db, &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM scratch"), before + 1);

	/* a statement that failed in the middle: db_commit tells whether the rest was saved (PostgreSQL
	 * aborts the whole transaction and its COMMIT rolls back; SQLite commits the statements that worked) */
	{
		long long kept;
		int rc;
		T_EQ_INT(db_begin(db, &e), 0);
		T_OK(insert_scratch("tx-half-1", 4, 4, &e) > 0);
		kerr_clear(&e);
		T_EQ_INT(insert_scratch("tx-commit", 5, 5, &e), -1);   /* a key given twice */
		kerr_clear(&e);
		rc = db_commit(db, &e);
		T_OK(!db_in_tx(db));
		kept = count_sql("SELECT COUNT(*) FROM scratch WHERE s = 'tx-half-1'");
		if (!T_OK(rc == 0 ? kept == 1 : kept == 0))
			printf("# db_commit %d, rows kept %lld: %s\n", rc, kept, e.msg);
		if (rc)
			T_OK(e.kind == KERR_DB && strstr(e.msg, "rolled back") != NULL);
		T_EQ_INT(rc, db_kind(db) == DB_POSTGRES ? -1 : 0);
		if (kept)
			T_EQ_INT(db_exec(db, "DELETE FROM scratch WHERE s = 'tx-half-1'", &e), 0);
	}

	/* a second connection sees committed data only */
	{
		struct db *other = NULL;
		long long n = -1;
		T_EQ_INT(db_open(&other, getenv("KLASTER_TEST_DB"), &e), 0);
		if (other) {
			T_EQ_INT(db_query_int(other, &n, &e, "SELECT COUNT(*) FROM scratch WHERE s = ?", "tx-commit", NULL), 1);
			T_EQ_INT(n, 1);
			db_close(other);
		}
	}
}

/* Two transactions that each check before they write ("no row yet, so add one"): db_begin lets one
 * writer at a time in, on both backends, so the second sees what the first wrote.  PostgreSQL on its
 * own would let both read "none" and both write. */
struct race {
	int rc;
	long long seen;
	char msg[sizeof(((struct kerr *)0)->msg)];
};

static int check_then_add(struct db *c, long long *seen, int pause_ms, struct kerr *e)
{
	if (db_begin(c, e))
		return -1;
	if (db_query_int(c, seen, e, "SELECT COUNT(*) FROM race_t", NULL) < 0)
		goto fail;
	if (pause_ms)
		usleep((useconds_t)pause_ms * 1000);
	if (*seen == 0 && db_exec(c, "INSERT INTO race_t (k) VALUES (1)", e))
		goto fail;
	return db_commit(c, e);
fail:
	db_rollback(c);
	return -1;
}

static void *race_second(void *arg)
{
	struct race *r = arg;
	struct kerr e = KERR_INIT;
	struct db *c = NULL;
	r->rc = db_open(&c, getenv("KLASTER_TEST_DB"), &e);
	if (r->rc == 0) {
		r->rc = check_then_add(c, &r->seen, 0, &e);
		db_close(c);
	}
	snprintf(r->msg, sizeof(r->msg), "%s", e.msg);
	return NULL;
}

T_TEST(writers_one_at_a_time)
{
	struct kerr e = KERR_INIT;
	struct race second = { -1, -1, "" };
	long long seen = -1;
	pthread_t th;
	int rc;
	T_EQ_INT(db_exec(db, "CREATE TABLE race_t (k INTEGER)", &e), 0);
	/* the first takes the write lock and reads; the second starts while it holds it */
	T_EQ_INT(db_begin(db, &e), 0);
	T_EQ_INT(db_query_int(db, &seen, &e, "SELECT COUNT(*) FROM race_t", NULL), 1);
	T_EQ_INT(pthread_create(&th, NULL, race_second, &second), 0);
	usleep(300 * 1000);
	if (seen == 0)
		T_EQ_INT(db_exec(db, "INSERT INTO race_t (k) VALUES (1)", &e), 0);
	rc = db_commit(db, &e);
	T_EQ_INT(rc, 0);
	pthread_join(th, NULL);
	if (!T_OK(second.rc == 0))
		printf("# the second writer: %s\n", second.msg);
	T_EQ_INT(second.seen, 1);                                 /* it waited and saw the first's row */
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM race_t"), 1);    /* so one row, not two */
	/* the same with the lock free: both in turn, still one row */
	T_EQ_INT(check_then_add(db, &seen, 0, &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM race_t"), 1);
	/* a writer that holds the lock longer than the other may wait (SQLite's busy timeout of 10 s; on
	 * PostgreSQL, which waits as long as its own locks do, a statement_timeout of 1 s): the other's
	 * db_begin fails, SQLite's saying the database is busy, and leaves its connection as it was (no
	 * transaction left open, aborted, for the connection's next user) */
	{
		struct db *other = NULL;
		long long n = -1;
		time_t t0;
		int pg = db_kind(db) == DB_POSTGRES;
		T_EQ_INT(db_open(&other, getenv("KLASTER_TEST_DB"), &e), 0);
		if (pg)
			T_EQ_INT(db_exec(other, "SET statement_timeout = '1s'", &e), 0);
		T_EQ_INT(db_begin(db, &e), 0);
		T_EQ_INT(db_exec(db, "INSERT INTO race_t (k) VALUES (2)", &e), 0);
		kerr_clear(&e);
		t0 = time(NULL);
		T_EQ_INT(db_begin(other, &e), -1);
		T_EQ_INT(e.kind, KERR_DB);
		if (!pg) {
			T_OK(time(NULL) - t0 >= 9);
			if (!T_OK(strstr(e.msg, "the database is busy: another program writes to it") &&
				  strstr(e.msg, "run this again when it has")))
				printf("# %s\n", e.msg);
		}
		T_OK(!db_in_tx(other));
		db_rollback(db);
		kerr_clear(&e);
		if (!T_OK(db_query_int(other, &n, &e, "SELECT COUNT(*) FROM race_t", NULL) == 1))
			printf("# %s\n", e.msg);
		T_EQ_INT(n, 1);
		T_EQ_INT(db_begin(other, &e), 0);
		T_EQ_INT(db_commit(other, &e), 0);
		db_close(other);
	}
	T_EQ_INT(db_exec(db, "DROP TABLE race_t", &e), 0);
}

/* Cells of rows*ids datasets written by one batch; row bad (from 1) names the dataset 0, which
 * does not exist. */
static int write_cells(long long ds, long long rows, long long bad, struct kerr *e)
{
	struct db_batch *b = db_batch_new(db, "INSERT INTO stat_cell (dataset_id, region, industry, year, employment)", 5);
	long long k;
	for (k = 1; k <= rows; k++) {
		char reg[24];
		snprintf(reg, sizeof(reg), "R%lld", k);
		db_batch_int(b, k == bad ? 0 : ds);
		db_batch_text(b, reg);
		db_batch_text(b, "I1");
		db_batch_int(b, 2020);
		db_batch_num(b, (double)k);
		if (db_batch_row(b, e)) {
			db_batch_free(b);
			return -1;
		}
	}
	return db_batch_finish(b, e);
}

/* A deleter in REPEATABLE READ whose snapshot is older than a value just committed for the column
 * it deletes (PostgreSQL): it waits for the writer, then fails to serialize, rather than cascading
 * with its old snapshot and leaving the new value without its column. */
struct race_delete {
	int rc;
	char msg[sizeof(((struct kerr *)0)->msg)];
};

static void *race_delete_column(void *arg)
{
	struct race_delete *d = arg;
	struct kerr e = KERR_INIT;
	struct db *c = NULL;
	d->rc = db_open(&c, getenv("KLASTER_TEST_DB"), &e);
	if (d->rc == 0) {
		d->rc = db_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1", &e);
		if (d->rc == 0)
			d->rc = db_exec(c, "DELETE FROM firm_value_column WHERE name = 'v'", &e);
		db_exec(c, d->rc ? "ROLLBACK" : "COMMIT", NULL);
		db_close(c);
	}
	snprintf(d->msg, sizeof(d->msg), "%s", e.msg);
	return NULL;
}

static void parent_race_repeatable_read(void)
{
	struct kerr e = KERR_INIT;
	struct race_delete d = { -1, "" };
	pthread_t th;
	T_EQ_INT(db_begin(db, &e), 0);
	T_EQ_INT(db_exec(db, "INSERT INTO firm_value (column_id, seq, value) "
			 "SELECT id, 2, 6.0 FROM firm_value_column WHERE name = 'v'", &e), 0);
	T_EQ_INT(pthread_create(&th, NULL, race_delete_column, &d), 0);
	usleep(400 * 1000);   /* its snapshot taken, its delete waiting for this transaction */
	T_EQ_INT(db_commit(db, &e), 0);
	pthread_join(th, NULL);
	if (!T_OK(d.rc == -1 && strstr(d.msg, "run it again") != NULL))
		printf("# the deleter: %s\n", d.msg);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM firm_value_column WHERE name = 'v'"), 1);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM firm_value v WHERE NOT EXISTS "
			   "(SELECT 1 FROM firm_value_column c WHERE c.id = v.column_id)"), 0);
}

/* The rows that come by the million (a dataset's cells, a firm list's points and values) name a
 * parent that exists, go when it is deleted, and keep its id from changing: SQLite's foreign keys
 * on the one side, PostgreSQL's statement triggers (migration 027) on the other, with the same
 * outcomes — a missing parent in a batch of more than one COPY is KERR_CONFLICT and writes
 * nothing, and while a transaction's new cells name a dataset, another connection cannot delete
 * it. */
T_TEST(parent_rows)
{
	struct kerr e = KERR_INIT;
	long long ds = 0, fd = 0, col = 0;
	const long long many = DB_BATCH_COPY_ROWS + 500;
	int pg = db_kind(db) == DB_POSTGRES;

	T_EQ_INT(db_query_int(db, &ds, &e, "INSERT INTO dataset (name, title, created_at) VALUES ('parents', 'P', 'now') "
			      "RETURNING id", NULL), 1);
	/* a missing dataset in the second COPY of a batch: nothing of it is kept */
	T_EQ_INT(db_begin(db, &e), 0);
	T_EQ_INT(write_cells(ds, many, DB_BATCH_COPY_ROWS + 100, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	printf("# %s\n", e.msg);
	db_rollback(db);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_cell WHERE region LIKE 'R%'"), 0);
	/* and in the first, outside a transaction */
	kerr_clear(&e);
	T_EQ_INT(write_cells(ds, 50, 1, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_cell WHERE region LIKE 'R%'"), 0);
	/* all of them named: stored */
	T_EQ_INT(db_begin(db, &e), 0);
	T_EQ_INT(write_cells(ds, many, 0, &e), 0);
	T_EQ_INT(db_commit(db, &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_cell WHERE region LIKE 'R%'"), many);
	/* a cell moved to a dataset that does not exist, a dataset's id changed under its cells */
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "UPDATE stat_cell SET dataset_id = dataset_id + 1000000 WHERE region = 'R7'", &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "UPDATE dataset SET id = id + 1000000 WHERE name = 'parents'", &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_cell c JOIN dataset d ON d.id = c.dataset_id WHERE d.name = 'parents'"),
		 many);
	/* a dataset whose new cells another transaction is writing cannot be deleted until it ends */
	if (pg) {
		struct db *other = NULL;
		T_EQ_INT(db_open(&other, getenv("KLASTER_TEST_DB"), &e), 0);
		T_EQ_INT(db_exec(other, "SET lock_timeout = '300ms'", &e), 0);
		T_EQ_INT(db_begin(db, &e), 0);
		T_EQ_INT(db_exec(db, "INSERT INTO stat_cell (dataset_id, region, industry, year) "
				 "SELECT id, 'late', 'I1', 2020 FROM dataset WHERE name = 'parents'", &e), 0);
		kerr_clear(&e);
		T_EQ_INT(db_exec(other, "DELETE FROM dataset WHERE name = 'parents'", &e), -1);
		T_OK(strstr(e.msg, "the database is busy") != NULL);
		T_EQ_INT(db_commit(db, &e), 0);
		db_close(other);
	}
	/* deleting the dataset deletes its cells */
	T_EQ_INT(db_exec(db, "DELETE FROM dataset WHERE name = 'parents'", &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_cell WHERE region LIKE 'R%' OR region = 'late'"), 0);

	/* a firm list's points and values the same */
	T_EQ_INT(db_query_int(db, &fd, &e, "INSERT INTO firm_dataset (name, title, created_at) VALUES ('parents', 'P', 'now') "
			      "RETURNING id", NULL), 1);
	T_EQ_INT(db_query_int(db, &col, &e, "INSERT INTO firm_value_column (dataset_id, seq, name) "
			      "SELECT id, 1, 'v' FROM firm_dataset WHERE name = 'parents' RETURNING id", NULL), 1);
	T_EQ_INT(db_exec(db, "INSERT INTO firm_point (dataset_id, seq, firm_id, lat, lon) "
			 "SELECT id, 1, 'f1', 52.0, 21.0 FROM firm_dataset WHERE name = 'parents'", &e), 0);
	T_EQ_INT(db_exec(db, "INSERT INTO firm_value (column_id, seq, value) "
			 "SELECT id, 1, 5.0 FROM firm_value_column WHERE name = 'v'", &e), 0);
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "INSERT INTO firm_point (dataset_id, seq, firm_id, lat, lon) VALUES (0, 2, 'f2', 52, 21)", &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "INSERT INTO firm_value (column_id, seq, value) VALUES (0, 2, 1.0)", &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "UPDATE firm_point SET dataset_id = 0 WHERE firm_id = 'f1'", &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "UPDATE firm_value SET column_id = 0 WHERE value = 5.0", &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "UPDATE firm_value_column SET id = id + 1000000 WHERE name = 'v'", &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	if (pg)
		parent_race_repeatable_read();
	/* deleting the value column deletes its values; the list's id is then kept by its points alone */
	T_EQ_INT(db_exec(db, "DELETE FROM firm_value_column WHERE name = 'v'", &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM firm_value WHERE value = 5.0"), 0);
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "UPDATE firm_dataset SET id = id + 1000000 WHERE name = 'parents'", &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_EQ_INT(db_exec(db, "DELETE FROM firm_dataset WHERE name = 'parents'", &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM firm_point WHERE firm_id = 'f1'"), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM firm_value_column WHERE name = 'v'"), 0);
	(void)ds;
	(void)fd;
	(void)col;
}

T_TEST(conflict)
{
	struct kerr e = KERR_INIT;
	long long id = insert_scratch("unique-key", 1, 1, &e);
	T_OK(id > 0);
	kerr_clear(&e);
	T_EQ_INT(insert_scratch("unique-key", 2, 2, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_OK(e.msg[0] != '\0');
	/* inside a transaction too, and the connection stays usable after rollback */
	T_EQ_INT(db_begin(db, &e), 0);
	kerr_clear(&e);
	T_EQ_INT(insert_scratch("unique-key", 3, 3, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	db_rollback(db);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM scratch WHERE s = 'unique-key'"), 1);
	/* bad SQL is a database error, not a crash */
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "SELEKT nothing", &e), -1);
	T_EQ_INT(e.kind, KERR_DB);
	/* a trigger refusing a write is the database's failure, not a conflict of the data, on both
	 * backends (SQLite reports RAISE as a constraint), with the trigger's message */
	T_EQ_INT(db_exec(db, db_kind(db) == DB_POSTGRES
			 ? "CREATE OR REPLACE FUNCTION scratch_no() RETURNS trigger LANGUAGE plpgsql AS"
			   " $$ BEGIN RAISE EXCEPTION 'scratch is closed'; END $$;"
			   " CREATE TRIGGER scratch_no BEFORE INSERT ON scratch FOR EACH ROW EXECUTE FUNCTION scratch_no()"
			 : "CREATE TRIGGER scratch_no BEFORE INSERT ON scratch BEGIN SELECT RAISE(ABORT, 'scratch is closed');"
			   " END", &e), 0);
	kerr_clear(&e);
	T_EQ_INT(insert_scratch("refused", 4, 4, &e), -1);
	T_EQ_INT(e.kind, KERR_DB);
	T_OK(strstr(e.msg, "scratch is closed") != NULL);
	T_EQ_INT(db_begin(db, &e), 0);
	kerr_clear(&e);
	T_EQ_INT(db_exec(db, "INSERT INTO scratch (s, n, d) VALUES ('refused', 5, 5)", &e), -1);
	T_EQ_INT(e.kind, KERR_DB);
	db_rollback(db);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM scratch WHERE s = 'refused'"), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM scratch WHERE s = 'unique-key'"), 1);
	T_EQ_INT(db_exec(db, "DROP TABLE scratch", &e), 0);
	if (db_kind(db) == DB_POSTGRES)
		T_EQ_INT(db_exec(db, "DROP FUNCTION scratch_no()", &e), 0);
}

/* ---- the directory ---- */

static int import_file(enum import_kind kind, const char *path, struct import_stats *st)
{
	struct kerr e = KERR_INIT;
	struct import_opts opts = { 0, -1, NULL };
	memset(st, 0, sizeof(*st));
	if (import_csv(db, kind, path, NULL, 0, NULL, &opts, st, &e)) {
		printf("# import %s: %s\n", path, e.msg);
		return -1;
	}
	return 0;
}

static long file_rows(const char *path, const char *prefix)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	long n = -1;   /* the header */
	if (!f)
		return -2;
	while (fgets(line, sizeof(line), f))
		if (!prefix || strncmp(line, prefix, strlen(prefix)) == 0)
			n++;
	fclose(f);
	return prefix ? n + 1 : n;
}

T_TEST(import_demo)
{
	struct kerr e = KERR_INIT;
	struct import_stats st;
	long orgs = file_rows("data/demo/organisations.csv", NULL);

	T_EQ_INT(import_reference(db, "data", NULL, &e), 0);
	if (e.kind)
		printf("# %s\n", e.msg);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM region WHERE level = 'voivodeship'"), 16);
	T_OK(count_sql("SELECT COUNT(*) FROM region WHERE level = 'powiat'") > 300);
	T_OK(count_sql("SELECT COUNT(*) FROM pkd") > 50);
	/* reference data is idempotent */
	T_EQ_INT(import_reference(db, "data", NULL, &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM region WHERE level = 'voivodeship'"), 16);

	T_EQ_INT(import_file(IMPORT_ORGANISATIONS, "data/demo/organisations.csv", &st), 0);
	T_EQ_INT(st.rows, orgs);
	T_EQ_INT(st.inserted, orgs);
	T_EQ_INT(count_orgs(), orgs);
	T_EQ_INT(import_file(IMPORT_CLUSTERS, "data/demo/clusters.csv", &st), 0);
	T_EQ_INT(st.inserted, file_rows("data/demo/clusters.csv", NULL));
	T_EQ_INT(import_file(IMPORT_MEMBERS, "data/demo/members.csv", &st), 0);
	T_EQ_INT(st.inserted, file_rows("data/demo/members.csv", NULL));
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM membership"), file_rows("data/demo/members.csv", NULL));
}

/* PKD codes checked to the level they are given at (import_reference stores every level) */
T_TEST(pkd_levels)
{
	static const struct {
		int version;
		const char *code;
		int level;
		const char *why;   /* NULL: known */
	} cases[] = {
		{ 2007, "62.01.Z", 5, NULL },
		{ 2007, "62.0", 3, NULL },
		{ 2007, "62.09", 4, NULL },
		{ 2007, "62", 2, NULL },
		{ 2007, "62.01.Y", 5, "62.01.Y is not a subclass of PKD 2007; class 62.01 has 62.01.Z" },
		{ 2007, "62.05", 4, "62.05 is not a class of PKD 2007; group 62.0 has 62.01, 62.02, 62.03, 62.09" },
		{ 2007, "62.5", 3, "62.5 is not a group of PKD 2007; division 62 has 62.0" },
		{ 2007, "04.11.Z", 5, "division 04 does not exist in PKD 2007" },
		{ 2007, "62.10.A", 5, "62.10.A is not a subclass of PKD 2007" },   /* PKD 2025's */
		{ 2025, "62.10.A", 5, NULL },
		{ 2025, "62.01.Z", 5, "62.01.Z is not a subclass of PKD 2025" },
		/* a class with more than twelve subclasses is cut */
		{ 2025, "01.0", 3, "01.0 is not a group of PKD 2025; division 01 has 01.1, 01.2, 01.3, 01.4, 01.5, 01.6, 01.7" },
	};
	struct buf why = BUF_INIT;
	struct kerr e = KERR_INIT;
	size_t i;
	char path[64];
	FILE *f;

	T_EQ_INT(count_sql("SELECT COUNT(*) FROM pkd WHERE version = 2007 AND level = 'subclass'"), 655);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM pkd WHERE version = 2007 AND level = 'class'"), 615);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM pkd WHERE version = 2007 AND level = 'group'"), 272);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM pkd WHERE version = 2025 AND level = 'subclass'"), 728);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM pkd WHERE version = 2007 AND code = '62.01.Z' AND parent = '62.01' "
			   "AND name_pl LIKE 'Działalność związana z oprogramowaniem%'"), 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_truncate(&why, 0);
		T_EQ_INT(dir_pkd_check(db, cases[i].version, cases[i].code, cases[i].level, &why), cases[i].why ? -1 : 0);
		if (cases[i].why && strncmp(why.len ? why.ptr : "", cases[i].why, strlen(cases[i].why)))
			printf("#   %s: %s\n", cases[i].code, why.len ? why.ptr : "");
		if (cases[i].why)
			T_OK(why.len && strncmp(why.ptr, cases[i].why, strlen(cases[i].why)) == 0);
	}
	buf_release(&why);

	/* a names file whose class comes before its group: refused with the line, nothing stored */
	snprintf(path, sizeof(path), "/tmp/klaster-pkd-%ld.csv", (long)getpid());
	T_OK((f = fopen(path, "w")) != NULL);
	fputs("code,name_pl,name_en\n62,Działalność,\n62.0,Grupa,\n62.01,Klasa nowa,\n62.77,Klasa bez grupy,\n", f);
	fclose(f);
	T_EQ_INT(import_pkd_names(db, path, 2007, &e), -1);
	T_OK(strstr(e.msg, ":5: column code: class 62.77 comes before its group 62.7") != NULL);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM pkd WHERE version = 2007 AND name_pl = 'Klasa nowa'"), 0);
	kerr_clear(&e);
	T_OK((f = fopen(path, "w")) != NULL);
	fputs("code,name_pl\n6201Z,Zwarty zapis,\n", f);
	fclose(f);
	T_EQ_INT(import_pkd_names(db, path, 2007, &e), -1);
	T_OK(strstr(e.msg, ":2: column code: '6201Z' is not a PKD code as GUS writes it") != NULL);
	kerr_clear(&e);
	T_EQ_INT(import_pkd_names(db, path, 2010, &e), -1);
	kerr_clear(&e);
	remove(path);
}

T_TEST(fulltext)
{
	struct hits h, all, a, b;
	size_t i, expected = 0, missing = 0, wrong = 0;

	T_EQ_INT(search_q(&all, NULL), 0);
	T_EQ_INT(all.total, count_orgs());
	T_EQ_INT((long long)all.n, all.total);

	/* "lodz" finds every organisation named Łódź / Łódzki / Łódzka … */
	T_EQ_INT(search_q(&h, "lodz"), 0);
	T_OK(h.n > 0 && (long long)h.n == h.total);
	for (i = 0; i < all.n; i++)
		if (folded_name_has(all.v[i].name, "lodz")) {
			expected++;
			if (!has_id(&h, all.v[i].id)) {
				missing++;
				printf("#   lodz misses %s\n", all.v[i].name);
			}
		}
	T_OK(expected >= 4);
	T_EQ_INT(missing, 0);
	T_OK(has_name(&h, "Bioanalityka Łódź Sp. z o.o."));
	T_OK(has_name(&h, "Łódzka Akademia Technologii Żywności"));
	for (i = 0; i < h.n; i++)
		if (!has_word_prefix(h.v[i].search, "lodz")) {
			wrong++;
			printf("#   lodz wrongly finds %s\n", h.v[i].name);
		}
	T_EQ_INT(wrong, 0);
	/* the query itself may be written with Polish letters and in capitals */
	T_EQ_INT(search_q(&a, "ŁÓDŹ"), 0);
	T_EQ_INT(a.total, h.total);
	hits_free(&a);
	hits_free(&h);

	T_EQ_INT(search_q(&h, "zywiec"), 0);
	T_OK(has_name(&h, "Żywieckie Zakłady Stolarki Budowlanej Sp. z o.o."));
	wrong = 0;
	for (i = 0; i < h.n; i++)
		if (!has_word_prefix(h.v[i].search, "zywiec"))
			wrong++;
	T_EQ_INT(wrong, 0);
	hits_free(&h);

	/* prefix */
	T_EQ_INT(search_q(&h, "zyw"), 0);
	T_OK(has_name(&h, "Żywieckie Zakłady Stolarki Budowlanej Sp. z o.o."));
	T_OK(has_name(&h, "Centrum Badań Żywności Funkcjonalnej"));
	wrong = 0;
	for (i = 0; i < h.n; i++)
		if (!has_word_prefix(h.v[i].search, "zyw"))
			wrong++;
	T_EQ_INT(wrong, 0);
	hits_free(&h);

	/* a prefix in the middle of a word does not match */
	T_EQ_INT(search_q(&h, "ywiec"), 0);
	T_EQ_INT(h.total, 0);
	hits_free(&h);
	/* nothing for nonsense; punctuation-only queries mean "everything" */
	T_EQ_INT(search_q(&h, "qqqxyzzy"), 0);
	T_EQ_INT(h.total, 0);
	hits_free(&h);
	T_EQ_INT(search_q(&h, "\"*'()-:^"), 0);
	T_EQ_INT(h.total, all.total);
	hits_free(&h);
	/* hostile text in a query is data, not syntax */
	T_EQ_INT(search_q(&h, "'; DROP TABLE organisation; --"), 0);
	T_EQ_INT(count_orgs(), all.total);
	hits_free(&h);

	/* several words: AND */
	T_EQ_INT(search_q(&a, "lodz"), 0);
	T_EQ_INT(search_q(&b, "zywnosci"), 0);
	T_EQ_INT(search_q(&h, "Łódź żywności"), 0);
	T_OK(h.total > 0);
	T_OK(h.total < a.total && h.total < b.total);
	expected = 0;
	missing = 0;
	for (i = 0; i < a.n; i++)
		if (has_id(&b, a.v[i].id)) {
			expected++;
			if (!has_id(&h, a.v[i].id))
				missing++;
		}
	T_EQ_INT((long long)expected, h.total);
	T_EQ_INT(missing, 0);
	hits_free(&a);
	hits_free(&b);
	hits_free(&h);
	hits_free(&all);
}

T_TEST(filters)
{
	struct hits all, h;
	struct org_query q;
	struct cluster c;
	struct kerr e = KERR_INIT;
	size_t i, want, bad;

	T_EQ_INT(search_q(&all, NULL), 0);

	memset(&q, 0, sizeof(q));
	q.page = 1;
	q.type = "research";
	T_EQ_INT(search(&h, &q), 0);
	for (i = 0, want = 0; i < all.n; i++)
		want += strcmp(all.v[i].type, "research") == 0;
	T_OK(want > 0);
	T_EQ_INT(h.total, (long long)want);
	for (i = 0, bad = 0; i < h.n; i++)
		bad += strcmp(h.v[i].type, "research") != 0;
	T_EQ_INT(bad, 0);
	hits_free(&h);

	q.type = "enterprise";
	q.size = "micro";
	T_EQ_INT(search(&h, &q), 0);
	for (i = 0, want = 0; i < all.n; i++)
		want += strcmp(all.v[i].type, "enterprise") == 0 && strcmp(all.v[i].size, "micro") == 0;
	T_OK(want > 0);
	T_EQ_INT(h.total, (long long)want);
	for (i = 0, bad = 0; i < h.n; i++)
		bad += strcmp(h.v[i].size, "micro") != 0;
	T_EQ_INT(bad, 0);
	hits_free(&h);

	/* voivodeship 10 = łódzkie */
	memset(&q, 0, sizeof(q));
	q.page = 1;
	q.voiv = "10";
	T_EQ_INT(search(&h, &q), 0);
	for (i = 0, want = 0; i < all.n; i++)
		want += strcmp(all.v[i].voiv, "10") == 0;
	T_OK(want > 0);
	T_EQ_INT(h.total, (long long)want);
	for (i = 0, bad = 0; i < h.n; i++)
		bad += strcmp(h.v[i].voiv, "10") != 0;
	T_EQ_INT(bad, 0);
	hits_free(&h);

	/* section C (manufacturing): every organisation whose main code is in C, and only
	 * organisations with some code in C */
	memset(&q, 0, sizeof(q));
	q.page = 1;
	q.section = "C";
	T_EQ_INT(search(&h, &q), 0);
	T_OK(h.total > 0 && h.total < all.total);
	for (i = 0, bad = 0; i < all.n; i++)
		if (strcmp(all.v[i].section, "C") == 0 && !has_id(&h, all.v[i].id))
			bad++;
	T_EQ_INT(bad, 0);
	T_EQ_INT(h.total, count_sql("SELECT COUNT(DISTINCT org_id) FROM organisation_pkd WHERE section = 'C'"));
	hits_free(&h);

	/* cluster: exactly its members */
	memset(&c, 0, sizeof(c));
	T_EQ_INT(dir_cluster_get(db, "WKM", &c, &e), 0);
	memset(&q, 0, sizeof(q));
	q.page = 1;
	q.cluster = c.id;
	T_EQ_INT(search(&h, &q), 0);
	T_EQ_INT(h.total, file_rows("data/demo/members.csv", "WKM,"));
	hits_free(&h);
	/* filters combine with text */
	q.q = "meble";
	T_EQ_INT(search(&h, &q), 0);
	T_OK(h.total > 0 && h.total < file_rows("data/demo/members.csv", "WKM,"));
	for (i = 0, bad = 0; i < h.n; i++)
		bad += !has_word_prefix(h.v[i].search, "meble");
	T_EQ_INT(bad, 0);
	hits_free(&h);
	cluster_release(&c);

	/* invalid filters are refused with a message */
	memset(&q, 0, sizeof(q));
	q.page = 1;
	q.type = "bogus";
	T_EQ_INT(org_query_check(&q, &e), -1);
	T_OK(strstr(e.msg, "type") != NULL);
	q.type = NULL;
	q.page = 0;
	T_EQ_INT(org_query_check(&q, &e), -1);
	hits_free(&all);
}

T_TEST(polish_order)
{
	struct hits h;
	struct org_query q;
	const char **names;
	size_t i, bad = 0;

	memset(&q, 0, sizeof(q));
	q.page = 1;
	q.sort = "name";
	T_EQ_INT(search(&h, &q), 0);
	names = xmalloc(st_mult(h.n, sizeof(*names)));
	for (i = 0; i < h.n; i++)
		names[i] = h.v[i].name;
	qsort(names, h.n, sizeof(*names), cmp_sortkey);
	for (i = 0; i < h.n; i++)
		if (strcmp(names[i], h.v[i].name) != 0) {
			if (!bad)
				printf("#   position %zu: got %s, want %s\n", i, h.v[i].name, names[i]);
			bad++;
		}
	T_EQ_INT(bad, 0);
	free(names);
	/* L before Ł; Z < Ź < Ż; S < Ś */
	T_OK(index_of(&h, "Lubelska Wytwórnia Podzespołów Śmigłowcowych Sp. z o.o.") <
	     index_of(&h, "Łańcuckie Zakłady Obróbki Skrawaniem Sp. z o.o."));
	T_OK(index_of(&h, "Legnickie Zakłady Aparatury Medycznej Sp. z o.o.") <
	     index_of(&h, "Łącki Dom Oprogramowania Sp. z o.o."));
	T_OK(index_of(&h, "Zielonogórskie Winnice Sp. z o.o.") >= 0);
	T_OK(index_of(&h, "Zielonogórskie Winnice Sp. z o.o.") < index_of(&h, "Źródło Smaku Sp. z o.o."));
	T_OK(index_of(&h, "Źródło Smaku Sp. z o.o.") < index_of(&h, "Żegluga Zatokowa Sp. z o.o."));
	T_OK(index_of(&h, "Szczecińskie Biuro Projektów Okrętowych Sp. z o.o.") <
	     index_of(&h, "Ściana Ogniowa Sp. z o.o."));
	/* -name is the reverse */
	{
		struct hits r;
		q.sort = "-name";
		T_EQ_INT(search(&r, &q), 0);
		T_EQ_INT((long long)r.n, (long long)h.n);
		for (i = 0, bad = 0; i < h.n && i < r.n; i++)
			bad += strcmp(h.v[i].name, r.v[r.n - 1 - i].name) != 0;
		T_EQ_INT(bad, 0);
		hits_free(&r);
	}
	hits_free(&h);
}

T_TEST(pagination)
{
	struct hits all, p;
	struct org_query q;
	long page, pages;
	size_t seen = 0, bad = 0, i;

	T_EQ_INT(search_q(&all, NULL), 0);
	memset(&q, 0, sizeof(q));
	q.per_page = 10;
	pages = (long)((all.total + 9) / 10);
	T_OK(pages >= 2);
	for (page = 1; page <= pages; page++) {
		q.page = page;
		T_EQ_INT(search(&p, &q), 0);
		if (p.total != all.total)
			bad++;
		if (page < pages && p.n != 10)
			bad++;
		for (i = 0; i < p.n; i++, seen++)
			if (seen >= all.n || p.v[i].id != all.v[seen].id)
				bad++;
		hits_free(&p);
	}
	T_EQ_INT(bad, 0);
	T_EQ_INT((long long)seen, all.total);
	q.page = pages + 1;
	T_EQ_INT(search(&p, &q), 0);
	T_EQ_INT((long long)p.n, 0);
	T_EQ_INT(p.total, all.total);
	hits_free(&p);
	/* the total of a text search with a page */
	q.q = "sp";
	q.page = 1;
	q.per_page = 5;
	T_EQ_INT(search(&p, &q), 0);
	T_EQ_INT((long long)p.n, 5);
	T_OK(p.total > 5);
	hits_free(&p);
	hits_free(&all);
}

T_TEST(reimport_unchanged)
{
	struct import_stats st;
	long long before = count_orgs();
	T_EQ_INT(import_file(IMPORT_ORGANISATIONS, "data/demo/organisations.csv", &st), 0);
	T_EQ_INT(st.unchanged, st.rows);
	T_EQ_INT(st.inserted + st.updated + st.skipped, 0);
	T_EQ_INT(import_file(IMPORT_CLUSTERS, "data/demo/clusters.csv", &st), 0);
	T_EQ_INT(st.unchanged, st.rows);
	T_EQ_INT(st.inserted + st.updated, 0);
	T_EQ_INT(import_file(IMPORT_MEMBERS, "data/demo/members.csv", &st), 0);
	T_EQ_INT(st.unchanged, st.rows);
	T_EQ_INT(st.inserted + st.updated, 0);
	T_EQ_INT(count_orgs(), before);
}

/* Three rows; the second data row (line 3) has a wrong NIP check digit. */
static void bad_file(struct buf *b, unsigned long seed)
{
	char n1[11], n2[11], n3[11];
	make_nip(n1, seed);
	make_nip(n2, seed + 1000);
	make_nip(n3, seed + 2000);
	n2[9] = (char)('0' + (n2[9] - '0' + 1) % 10);
	buf_printf(b, "name,type,size_class,nip,city\r\n"
		      "Testowa Spółka Pierwsza %lu,enterprise,small,%s,Łódź\r\n"
		      "Testowa Spółka Druga %lu,enterprise,small,%s,Łódź\r\n"
		      "\"Testowa Spółka \"\"Trzecia\"\" %lu\",research,,%s,Kraków\r\n",
		   seed, n1, seed, n2, seed, n3);
}

T_TEST(invalid_import)
{
	struct buf f = BUF_INIT;
	struct kerr e = KERR_INIT;
	struct import_opts opts = { 0, -1, NULL };
	struct import_stats st;
	long long before = count_orgs();
	char *rep = NULL;
	size_t replen = 0;

	bad_file(&f, 123456780UL);
	memset(&st, 0, sizeof(st));
	T_EQ_INT(import_csv(db, IMPORT_ORGANISATIONS, NULL, f.ptr, f.len, "organisations.csv", &opts, &st, &e), -1);
	if (!T_OK(strstr(e.msg, "organisations.csv:3: column nip") != NULL))
		printf("#   message: %s\n", e.msg);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_EQ_INT(count_orgs(), before);

	/* unknown column */
	kerr_clear(&e);
	{
		static const char unk[] = "name,type,colour\r\nX,ngo,red\r\n";
		T_EQ_INT(import_csv(db, IMPORT_ORGANISATIONS, NULL, unk, strlen(unk), "x.csv", &opts, &st, &e), -1);
	}
	T_OK(strstr(e.msg, "colour") != NULL);
	T_EQ_INT(count_orgs(), before);

	/* skip-invalid: the two good rows are written, the bad one reported */
	opts.skip_invalid = 1;
	opts.report = open_memstream(&rep, &replen);
	memset(&st, 0, sizeof(st));
	kerr_clear(&e);
	T_EQ_INT(import_csv(db, IMPORT_ORGANISATIONS, NULL, f.ptr, f.len, "organisations.csv", &opts, &st, &e), 0);
	fclose(opts.report);
	T_EQ_INT(st.rows, 3);
	T_EQ_INT(st.inserted, 2);
	T_EQ_INT(st.skipped, 1);
	T_EQ_INT(count_orgs(), before + 2);
	T_OK(rep && strstr(rep, "organisations.csv:3:") != NULL && strstr(rep, "column nip") != NULL);
	if (rep)
		printf("#   report: %s", rep);
	free(rep);
	{
		struct hits h;
		T_EQ_INT(search_q(&h, "Testowa Trzecia"), 0);
		T_EQ_INT(h.total, 1);
		T_OK(h.n == 1 && strstr(h.v[0].name, "\"Trzecia\"") != NULL);
		hits_free(&h);
		T_EQ_INT(search_q(&h, "Testowa Druga"), 0);
		T_EQ_INT(h.total, 0);
		hits_free(&h);
	}
	buf_release(&f);
}

/* Rows of members.csv for a cluster with an empty "left" column. */
static long current_members(const char *prefix)
{
	FILE *f = fopen("data/demo/members.csv", "r");
	char line[8192];
	long n = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strncmp(line, prefix, strlen(prefix)) == 0 && len && line[len - 1] == ',')
			n++;
	}
	fclose(f);
	return n;
}

static int count_member(void *ctx, const struct member *m)
{
	long *n = ctx;
	if (m->org.name && m->org.id > 0)
		(*n)++;
	return 0;
}

T_TEST(clusters)
{
	struct cluster a, b;
	struct kerr e = KERR_INIT;
	char id[24];
	long n = 0;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	T_EQ_INT(dir_cluster_get(db, "ŁKŻ", &a, &e), 0);
	T_EQ_STR(a.acronym, "ŁKŻ");
	T_EQ_STR(a.name, "Łódzki Klaster Żywności");
	T_OK(a.coordinator_id > 0);
	snprintf(id, sizeof(id), "%lld", a.id);
	T_EQ_INT(dir_cluster_get(db, id, &b, &e), 0);
	T_EQ_INT(b.id, a.id);
	T_EQ_STR(b.acronym, "ŁKŻ");
	cluster_release(&b);
	T_EQ_INT(dir_cluster_members(db, a.id, count_member, &n, &e), 0);
	T_EQ_INT(n, file_rows("data/demo/members.csv", "ŁKŻ,"));
	cluster_release(&a);

	memset(&a, 0, sizeof(a));
	T_EQ_INT(dir_cluster_get(db, "KLPS", &a, &e), 0);
	T_EQ_INT(a.nmembers, current_members("KLPS,"));   /* those who have not left */
	n = 0;
	T_EQ_INT(dir_cluster_members(db, a.id, count_member, &n, &e), 0);
	T_EQ_INT(n, file_rows("data/demo/members.csv", "KLPS,"));
	cluster_release(&a);

	memset(&a, 0, sizeof(a));
	kerr_clear(&e);
	T_EQ_INT(dir_cluster_get(db, "NOPE", &a, &e), -1);
	T_EQ_INT(e.kind, KERR_NOTFOUND);
	kerr_clear(&e);
	T_EQ_INT(dir_cluster_get(db, "999999", &a, &e), -1);
	T_EQ_INT(e.kind, KERR_NOTFOUND);
	kerr_clear(&e);
	T_EQ_INT(dir_cluster_get(db, "'; DROP TABLE cluster; --", &a, &e), -1);
	T_EQ_INT(e.kind, KERR_NOTFOUND);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM cluster"), file_rows("data/demo/clusters.csv", NULL));
}

T_TEST(voiv_stats)
{
	struct voiv_stat *v = NULL;
	size_t n = 0, i;
	long long orgs = 0, clusters = 0;
	struct kerr e = KERR_INIT;

	T_EQ_INT(dir_voiv_stats(db, &v, &n, &e), 0);
	T_EQ_INT((long long)n, 16);
	for (i = 0; i < n; i++) {
		orgs += v[i].orgs;
		clusters += v[i].clusters;
		if (strcmp(v[i].teryt, "10") == 0)
			T_EQ_STR(v[i].name, "łódzkie");
	}
	T_EQ_INT(orgs, count_sql("SELECT COUNT(*) FROM organisation WHERE voivodeship IS NOT NULL"));
	T_EQ_INT(clusters, count_sql("SELECT COUNT(*) FROM cluster WHERE region IS NOT NULL"));
	T_OK(orgs > 0 && clusters > 0);
	dir_voiv_stats_free(v, n);
}


/*
 * Both page plans (sorting the matches, or walking the sort index on a
 * budget — see dir_org_search) must give exactly the page a brute-force
 * search gives.  The demo data is too small for the walk, so this test adds
 * 1,500 organisations whose words are spread over the alphabet ("centrum")
 * or crowd under one letter ("zakłady …"), and compares pages of many
 * queries with the expected pages computed here from the full list.
 */
struct plan_org {
	long long id;
	char *key, *type, *size, *voiv, *sections, *words;
};

static struct plan_org *plan_all;
static size_t plan_n;

static int plan_collect(void *ctx, const struct org *o)
{
	struct plan_org *x;
	struct buf k = BUF_INIT, w = BUF_INIT, all = BUF_INIT, secs = BUF_INIT;
	const char *parts[] = { o->name, o->city, o->street, o->nip, o->regon, o->krs, o->pkd,
				o->postal_code, o->description_pl, o->description_en };
	size_t i;
	(void)ctx;
	plan_all = xrealloc(plan_all, st_mult(plan_n + 1, sizeof(*plan_all)));
	x = &plan_all[plan_n++];
	x->id = o->id;
	fold_sortkey(&k, o->name);
	x->key = buf_detach(&k, NULL);
	x->type = xstrdup(o->type);
	x->size = xstrdup(o->size_class ? o->size_class : "");
	x->voiv = xstrdup(o->voivodeship ? o->voivodeship : "");
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i]) {
			buf_puts(&all, parts[i]);
			buf_putc(&all, ' ');
		}
	/* a PKD code is also one word without its dots: 62.01.Z → 6201z */
	if (o->pkd) {
		const char *c;
		for (c = o->pkd; *c; c++)
			if (*c == ';')
				buf_putc(&all, ' ');
			else if (*c != '.')
				buf_putc(&all, *c);
	}
	buf_putc(&w, ' ');
	fold_search(&w, all.ptr);
	buf_putc(&w, ' ');
	x->words = buf_detach(&w, NULL);
	/* sections of every code, from the reference table */
	if (o->pkd) {
		char *codes = xstrdup(o->pkd), *p = codes;
		while (p && *p) {
			char *semi = strchr(p, ';'), div[3], *sec;
			if (semi)
				*semi = '\0';
			memcpy(div, p, 2);
			div[2] = '\0';
			sec = dir_pkd_section(db, 2007, div);
			if (sec)
				buf_puts(&secs, sec);
			free(sec);
			p = semi ? semi + 1 : NULL;
		}
		free(codes);
	}
	x->sections = buf_detach(&secs, NULL);
	buf_release(&all);
	return 0;
}

static int plan_cmp(const void *a, const void *b)
{
	const struct plan_org *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->id < y->id ? -1 : x->id > y->id);
}

static int plan_matches(const struct plan_org *x, const struct org_query *q)
{
	if (q->type && strcmp(x->type, q->type))
		return 0;
	if (q->size && strcmp(x->size, q->size))
		return 0;
	if (q->voiv && strcmp(x->voiv, q->voiv))
		return 0;
	if (q->section && !strchr(x->sections, q->section[0]))
		return 0;
	if (q->q) {
		/* every word of the query starts a word of the text */
		struct buf f = BUF_INIT, r = BUF_INIT;
		int ok = 1;
		/* codes typed with dots are looked up as one word */
		dir_search_query(q->q, &r);
		fold_search(&f, r.ptr);
		buf_release(&r);
		{
			char *copy = xstrdup(f.ptr), *tok = copy;
			while (tok && *tok && ok) {
				char *sp = strchr(tok, ' '), pat[80];
				if (sp)
					*sp = '\0';
				snprintf(pat, sizeof(pat), " %s", tok);
				ok = strstr(x->words, pat) != NULL;
				tok = sp ? sp + 1 : NULL;
			}
			free(copy);
		}
		buf_release(&f);
		return ok;
	}
	return 1;
}

struct ids {
	long long v[64];
	size_t n;
};

static int ids_collect(void *ctx, const struct org *o)
{
	struct ids *ids = ctx;
	if (ids->n < 64)
		ids->v[ids->n++] = o->id;
	return 0;
}

T_TEST(plans)
{
	static const char *const first[] = { "Centrum", "Zakłady", "Agencja", "Biuro", "Fabryka", "Instytut",
					     "Łódzkie", "Śląskie", "Żywieckie", "Pracownia" };
	static const char *const second[] = { "Systemów", "Mechaniczne", "Rozwoju", "Projektowe", "Meblowe",
					      "Chemiczne", "Informatyczne", "Transportu" };
	static const char *const cities[] = { "Kraków", "Warszawa", "Łódź", "Gdańsk", "Poznań" };
	static const char *const types[] = { "enterprise", "enterprise", "enterprise", "research", "support" };
	static const char *const sizes[] = { "micro", "small", "medium", "large" };
	static const char *const teryt[] = { "1261", "1465", "1061", "2261", "3064" };
	static const char *const pkd[] = { "62.01.Z", "25.11.Z;62.01.Z", "10.71.Z", "72.19.Z;71.12.Z", "31.09.Z" };
	struct buf csv = BUF_INIT;
	struct import_opts opts = { 0, -1, NULL };
	struct import_stats st;
	struct kerr e = KERR_INIT;
	struct org_query all;
	long n, checked = 0, bad = 0;
	size_t qi, fi, si, pi;
	const char *texts[] = { NULL, "centrum", "zaklady", "warszawa", "62.01.Z", "systemow informatyczne", "lodz" };

	buf_puts(&csv, "name,type,size_class,nip,pkd,city,teryt,demo\n");
	for (n = 0; n < 1500; n++) {
		char nip[11];
		const char *type = types[n % 5];
		make_nip(nip, 800000000UL + (unsigned long)n * 7919UL);
		buf_printf(&csv, "%s %s %s %ld,%s,%s,%s,%s,%s,%s,1\n", first[(n * 7) % 10], second[(n * 3) % 8],
			   cities[n % 5], n, type, strcmp(type, "enterprise") ? "" : sizes[(n / 5) % 4], nip,
			   pkd[(n / 2) % 5], cities[n % 5], teryt[n % 5]);
	}
	T_OK(import_csv(db, IMPORT_ORGANISATIONS, NULL, csv.ptr, csv.len, "plans.csv", &opts, &st, &e) == 0);
	if (e.kind != KERR_NONE)
		printf("# %s\n", e.msg);
	buf_release(&csv);

	memset(&all, 0, sizeof(all));
	all.page = 1;
	plan_n = 0;
	T_OK(dir_org_search(db, &all, NULL, plan_collect, NULL, &e) == 0);
	qsort(plan_all, plan_n, sizeof(*plan_all), plan_cmp);

	for (qi = 0; qi < sizeof(texts) / sizeof(texts[0]); qi++)
		for (fi = 0; fi < 5; fi++)
			for (si = 0; si < 2; si++)
				for (pi = 0; pi < 3; pi++) {
					static const long pages[] = { 1, 2, 7 };
					struct org_query q;
					struct ids got = { { 0 }, 0 }, want = { { 0 }, 0 };
					long long total = 0, want_total = 0;
					size_t k;
					memset(&q, 0, sizeof(q));
					q.q = texts[qi];
					if (fi == 1)
						q.type = "enterprise";
					if (fi == 2)
						q.size = "small";
					if (fi == 3)
						q.voiv = "14";
					if (fi == 4)
						q.section = "J";
					q.sort = si ? "-name" : "name";
					q.page = pages[pi];
					q.per_page = 20;
					if (dir_org_search(db, &q, &total, ids_collect, &got, &e)) {
						printf("# search failed: %s\n", e.msg);
						bad++;
						continue;
					}
					for (k = 0; k < plan_n; k++) {
						size_t j = si ? plan_n - 1 - k : k;
						if (!plan_matches(&plan_all[j], &q))
							continue;
						if (want_total >= (q.page - 1) * 20 && want.n < 20)
							want.v[want.n++] = plan_all[j].id;
						want_total++;
					}
					checked++;
					if (total != want_total || got.n != want.n ||
					    memcmp(got.v, want.v, want.n * sizeof(long long)) != 0) {
						bad++;
						printf("# q=%s filter=%zu sort=%s page=%ld: total %lld want %lld, %zu rows want %zu\n",
						       q.q ? q.q : "", fi, q.sort, q.page, total, want_total, got.n, want.n);
					}
				}
	printf("# %ld searches compared with the brute-force result\n", checked);
	T_EQ_INT(bad, 0);
	for (n = 0; n < (long)plan_n; n++) {
		free(plan_all[n].key);
		free(plan_all[n].type);
		free(plan_all[n].size);
		free(plan_all[n].voiv);
		free(plan_all[n].sections);
		free(plan_all[n].words);
	}
	free(plan_all);
}

/* ---- firm lists with values (firms.h) ---- */

struct got_values {
	char names[4][64];
	long long present[4], missing[4];
	int n;
};

static int got_value(void *ctx, const struct firms_value *v)
{
	struct got_values *g = ctx;
	if (g->n < 4) {
		snprintf(g->names[g->n], sizeof(g->names[0]), "%s", v->name);
		g->present[g->n] = v->present;
		g->missing[g->n] = v->missing;
	}
	g->n++;
	return 0;
}

/* Values come back to the last bit on both backends (the portal's hot
 * spots must equal `map hotspots` on the file), missing ones as missing,
 * and replacing a list drops its old values. */
T_TEST(firm_values)
{
	static const char *const names[] = { "em", "jobs" };
	static const double em[] = { 0.1 + 0.2, NAN, 1.0 / 3.0, 1e-300, 123456789.12345679 };
	struct spatial_firms f, back;
	struct firms_info info;
	struct got_values gv;
	struct kerr e = KERR_INIT;
	size_t i, n = sizeof(em) / sizeof(em[0]);
	int exact = 1;

	memset(&f, 0, sizeof(f));
	f.strs = (struct buf)BUF_INIT;
	f.nattr = 2;
	for (i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof(id), "F%zu", i);
		spatial_firms_add(&f, id, "Firma „Łódź”", i % 2 ? "C10" : "C31", 52.123456789012345 + (double)i / 7,
				  21.000000000000004 - (double)i / 9);
		f.attr[i * 2] = em[i];
		f.attr[i * 2 + 1] = i == 0 ? NAN : (double)(i * 10);
	}
	if (!T_OK(firms_store(db, "values-test", "Wartości", "test", "CC BY 4.0", &f, names, 2, &e) == 0))
		printf("# %s\n", e.msg);
	memset(&gv, 0, sizeof(gv));
	T_EQ_INT(firms_values(db, "values-test", got_value, &gv, &e), 0);
	T_EQ_INT(gv.n, 2);
	T_EQ_STR(gv.names[0], "em");
	T_EQ_STR(gv.names[1], "jobs");
	T_EQ_INT(gv.present[0], 4);
	T_EQ_INT(gv.missing[0], 1);
	T_EQ_INT(gv.present[1], 4);
	T_EQ_INT(gv.missing[1], 1);

	T_EQ_INT(firms_load(db, "values-test", NULL, "em", &back, &info, &e), 0);
	T_EQ_INT(back.n, n);
	T_EQ_INT(back.nattr, 1);
	T_EQ_INT(back.attr_missing ? back.attr_missing[0] : -1, 1);
	for (i = 0; i < n && back.n == n; i++) {
		exact &= isnan(em[i]) ? isnan(back.attr[i]) : back.attr[i] == em[i];
		exact &= back.lat[i] == f.lat[i] && back.lon[i] == f.lon[i];
	}
	T_OK(exact);
	T_EQ_STR(back.n ? spatial_firm_name(&back, 0) : "", "Firma „Łódź”");
	T_EQ_INT(info.skipped, 2);
	T_EQ_STR(info.licence, "CC BY 4.0");
	spatial_firms_release(&back);
	firms_info_release(&info);

	/* an industry keeps the values of its firms */
	T_EQ_INT(firms_load(db, "values-test", "C10", "jobs", &back, NULL, &e), 0);
	T_EQ_INT(back.n, 2);
	T_OK(back.n == 2 && back.attr[0] == 10 && back.attr[1] == 30);
	spatial_firms_release(&back);
	/* no value asked for: no attributes */
	T_EQ_INT(firms_load(db, "values-test", NULL, NULL, &back, NULL, &e), 0);
	T_OK(back.n == n && back.nattr == 0 && back.attr == NULL);
	spatial_firms_release(&back);
	T_EQ_INT(firms_load(db, "values-test", NULL, "nope", &back, NULL, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "value") && strstr(e.msg, "nope"));
	spatial_firms_release(&back);

	/* names are checked before anything is written */
	{
		static const char *const twice[] = { "em", "EM" };
		T_EQ_INT(firms_store(db, "values-test", "x", NULL, NULL, &f, twice, 0, &e), -1);
		T_EQ_INT(e.kind, KERR_USAGE);
		T_EQ_INT(count_sql("SELECT COUNT(*) FROM firm_value"), 2 * (long long)n);
	}
	/* replaced without values: the old ones are gone */
	f.nattr = 0;
	T_EQ_INT(firms_store(db, "values-test", "Wartości", "test", NULL, &f, NULL, 0, &e), 0);
	memset(&gv, 0, sizeof(gv));
	T_EQ_INT(firms_values(db, "values-test", got_value, &gv, &e), 0);
	T_EQ_INT(gv.n, 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM firm_value"), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM firm_value_column"), 0);
	f.nattr = 2;
	spatial_firms_release(&f);
}

/* ---- statistics datasets ---- */

static int same_num(double a, double b)
{
	return isnan(a) ? isnan(b) : a == b;
}

static int same_name(char **a, char **b, size_t i)
{
	const char *x = a ? a[i] : NULL, *y = b ? b[i] : NULL;
	return x && y ? strcmp(x, y) == 0 : x == y;
}

/* 1 when two cubes hold the same codes, names, years, cells, reference and
 * flags (wages aside: they are not stored); else 0 and what differs. */
static int cube_same(const struct cube *a, const struct cube *b)
{
	size_t k, n;
	if (a->nreg != b->nreg || a->nind != b->nind || a->nyear != b->nyear) {
		printf("# shape %zu x %zu x %zu, want %zu x %zu x %zu\n", b->nreg, b->nind, b->nyear, a->nreg, a->nind,
		       a->nyear);
		return 0;
	}
	for (k = 0; k < a->nreg; k++)
		if (strcmp(a->reg[k], b->reg[k]) || !same_name(a->reg_name, b->reg_name, k)) {
			printf("# region %zu: %s\n", k, b->reg[k]);
			return 0;
		}
	for (k = 0; k < a->nind; k++)
		if (strcmp(a->ind[k], b->ind[k]) || !same_name(a->ind_name, b->ind_name, k) ||
		    (a->traded ? a->traded[k] : -1) != (b->traded ? b->traded[k] : -1)) {
			printf("# industry %zu: %s\n", k, b->ind[k]);
			return 0;
		}
	for (k = 0; k < a->nyear; k++)
		if (a->year[k] != b->year[k])
			return 0;
	n = a->nyear * a->nreg * a->nind;
	if (!a->est != !b->est || !a->ref != !b->ref || !a->absent != !b->absent) {
		printf("# est %d/%d, ref %d/%d, absent %d/%d\n", !!b->est, !!a->est, !!b->ref, !!a->ref, !!b->absent,
		       !!a->absent);
		return 0;
	}
	for (k = 0; k < n; k++)
		if (!same_num(a->emp[k], b->emp[k]) || (a->est && !same_num(a->est[k], b->est[k]))) {
			printf("# cell %zu: %.17g, want %.17g\n", k, b->emp[k], a->emp[k]);
			return 0;
		}
	for (k = 0; a->ref && k < a->nyear * a->nind; k++)
		if (!same_num(a->ref[k], b->ref[k])) {
			printf("# ref %zu: %.17g, want %.17g\n", k, b->ref[k], a->ref[k]);
			return 0;
		}
	return 1;
}

struct ds_flags {
	int seen, has_ref, has_traded;
};

static int ds_flags_of(void *ctx, const struct dataset_info *d)
{
	struct ds_flags *f = ctx;
	if (strcmp(d->name, "ref-test") == 0) {
		f->seen = 1;
		f->has_ref = d->has_ref;
		f->has_traded = d->has_traded;
	}
	return 0;
}

/* A dataset comes back as the cube stored: cells, names, the reference
 * economy (unknown values too) and the traded flags, to the last bit on
 * both backends, so that the portal's indicators are the command line's;
 * replacing it without a reference or flags drops them. */
T_TEST(dataset_round_trip)
{
	static const char *const reg[] = { "02", "04", "06" }, *const ind[] = { "A01", "C10", "J62" };
	struct cube_builder *b = cube_builder_new(0);
	struct cube c, back, plain;
	struct dataset_info info;
	struct ds_flags fl;
	struct indic_opts io = INDIC_OPTS_INIT;
	struct indic_result r1, r2;
	struct kerr e = KERR_INIT;
	size_t y, r, i, k;
	int ok = 1;

	memset(&c, 0, sizeof(c));
	memset(&back, 0, sizeof(back));
	memset(&plain, 0, sizeof(plain));
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	for (y = 0; y < 2; y++)
		for (r = 0; r < 3; r++)
			for (i = 0; i < 3; i++) {
				double emp = 10.0 * (double)(r + 1) + (double)(i * 7 + y) / 3.0;
				double est = r == 1 && i == 2 ? NAN : (double)(r + i + 1);
				if (r == 2 && i == 0 && y == 1)
					emp = NAN;   /* a missing cell with establishments */
				ok &= cube_builder_add(b, reg[r], ind[i], 2021 + (int)y, emp, est, NAN, "t", &e) == 0;
			}
	cube_builder_names(b, "02", "Dolnośląskie & <b>", "C10", "Żywność \"spożywcza\"");
	cube_builder_names(b, NULL, NULL, "J62", "IT");
	ok &= cube_builder_traded(b, "A01", 0, "t", NULL, NULL, &e) == 0;
	ok &= cube_builder_traded(b, "C10", 1, "t", NULL, NULL, &e) == 0;
	ok &= cube_builder_ref(b, "A01", 2021, 0.1 + 0.2, "t", &e) == 0;
	ok &= cube_builder_ref(b, "A01", 2022, 1.0 / 3.0 * 1000, "t", &e) == 0;
	ok &= cube_builder_ref(b, "C10", 0, 123456789.12345679, "t", &e) == 0;   /* every year */
	ok &= cube_builder_ref(b, "J62", 2021, NAN, "t", &e) == 0;               /* unknown */
	ok &= cube_builder_ref(b, "J62", 2022, 400, "t", &e) == 0;
	ok &= cube_builder_finish(b, &c, &e) == 0;
	if (!T_OK(ok && c.ref && c.traded)) {
		printf("# %s\n", e.msg);
		cube_release(&c);
		return;
	}
	T_EQ_INT(dataset_store(db, "ref-test", "Odniesienie", "test", "CC BY 4.0 & <x>", "teryt", &c, &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_ref"), 6);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_ref WHERE employment IS NULL"), 1);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_traded"), 2);
	memset(&info, 0, sizeof(info));
	T_EQ_INT(dataset_load(db, "ref-test", &back, &info, &e), 0);
	T_OK(cube_same(&c, &back));
	T_OK(back.traded && back.traded[0] == 0 && back.traded[1] == 1 && back.traded[2] == -1);
	T_OK(back.ref && back.ref[0] == 0.1 + 0.2 && isnan(back.ref[2]) && back.ref[3 + 1] == 123456789.12345679);
	T_OK(info.has_ref && info.has_traded);
	T_EQ_STR(info.licence, "CC BY 4.0 & <x>");
	T_EQ_STR(back.reg_name ? back.reg_name[0] : NULL, "Dolnośląskie & <b>");
	T_EQ_STR(back.ind_name ? back.ind_name[1] : NULL, "Żywność \"spożywcza\"");
	dataset_info_release(&info);
	memset(&fl, 0, sizeof(fl));
	T_EQ_INT(dataset_list(db, ds_flags_of, &fl, &e), 0);
	T_OK(fl.seen && fl.has_ref && fl.has_traded);

	/* the indicators of the loaded cube are those of the stored one, in both bases */
	for (k = 0; k < 2; k++) {
		size_t n = c.nyear * c.nreg * c.nind, j;
		int same = 1;
		io.base = k ? INDIC_BASE_TRADED : INDIC_BASE_ALL;
		T_EQ_INT(indic_compute(&c, &io, &r1, &e), 0);
		T_EQ_INT(indic_compute(&back, &io, &r2, &e), 0);
		for (j = 0; r1.lq && r2.lq && j < n; j++)
			same &= same_num(r1.lq[j], r2.lq[j]) && r1.star_flags[j] == r2.star_flags[j] &&
				r1.strong[j] == r2.strong[j];
		T_OK(r1.lq && r2.lq && same);
		indic_result_release(&r1);
		indic_result_release(&r2);
	}
	cube_release(&back);

	/* replaced without a reference and flags: none are left, none come back */
	free(c.ref);
	c.ref = NULL;
	memset(c.traded, -1, c.nind);
	T_EQ_INT(dataset_store(db, "ref-test", "Odniesienie", "test", NULL, "teryt", &c, &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_ref"), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_traded"), 0);
	memset(&info, 0, sizeof(info));
	T_EQ_INT(dataset_load(db, "ref-test", &plain, &info, &e), 0);
	T_OK(cube_same(&c, &plain));
	T_OK(!plain.ref && !info.has_ref && !info.has_traded);
	dataset_info_release(&info);
	memset(&fl, 0, sizeof(fl));
	T_EQ_INT(dataset_list(db, ds_flags_of, &fl, &e), 0);
	T_OK(fl.seen && !fl.has_ref && !fl.has_traded);
	cube_release(&plain);
	cube_release(&c);
}

/* An industry without a value anywhere (Eurostat's H53 for Poland) is kept
 * by one empty cell, so that the dataset has the file's industries. */
T_TEST(dataset_empty_industry)
{
	static const char *const reg[] = { "02", "04" }, *const ind[] = { "A01", "H53", "J62" };
	struct cube_builder *b = cube_builder_new(0);
	struct cube c, back;
	struct kerr e = KERR_INIT;
	size_t r, i;
	int ok = 1;

	memset(&c, 0, sizeof(c));
	memset(&back, 0, sizeof(back));
	for (r = 0; r < 2; r++)
		for (i = 0; i < 3; i++)
			ok &= cube_builder_add(b, reg[r], ind[i], 2015, i == 1 ? NAN : 10.0 * (double)(r + i + 1),
					       i == 1 ? NAN : 1.0, NAN, "t", &e) == 0;
	ok &= cube_builder_finish(b, &c, &e) == 0;
	if (!T_OK(ok && c.nind == 3)) {
		printf("# %s\n", e.msg);
		cube_release(&c);
		return;
	}
	T_EQ_INT(dataset_store(db, "empty-ind", "Pusta branża", "test", NULL, "nuts2013", &c, &e), 0);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_cell WHERE industry = 'H53'"), 1);
	T_EQ_INT(count_sql("SELECT COUNT(*) FROM stat_cell WHERE industry = 'H53' AND employment IS NULL"
			   " AND establishments IS NULL"), 1);
	T_EQ_INT(dataset_load(db, "empty-ind", &back, NULL, &e), 0);
	T_EQ_INT((long long)back.nind, 3);
	T_OK(cube_same(&c, &back));
	cube_release(&back);
	cube_release(&c);
}

/* A session ends after idle seconds without use as well as 14 days after login; a use writes
 * its time at most once a minute; housekeeping forgets idle sessions. */
T_TEST(session_idle)
{
	struct kerr e = KERR_INIT;
	struct user u;
	char token[AUTH_TOKEN_LEN + 1], hash[AUTH_TOKEN_LEN + 1], sql[256];
	long long user = 0, seen = 0, now = auth_now();

	T_EQ_INT(auth_user_create(db, "idle@storage.example", NULL, "storage password 1", "user", "active", &user, &e), 0);
	T_EQ_INT(auth_session_create(db, user, "127.0.0.1", token, &e), 0);
	auth_token_hash(token, hash);
	/* made before migration 021: no seen_at, so it counts from its login */
	snprintf(sql, sizeof(sql), "UPDATE user_session SET seen_at = NULL, created_at = %lld WHERE token_hash = '%s'",
		 now - 7200, hash);
	T_EQ_INT(db_exec(db, sql, &e), 0);
	T_EQ_INT(auth_session_get(db, token, 3600, &u, &e), 0);
	T_EQ_INT(auth_session_get(db, token, 0, &u, &e), 1);   /* no idle limit: alive */
	T_EQ_INT((long long)u.id, user);
	/* that use wrote its time, so now it is alive under the limit too */
	snprintf(sql, sizeof(sql), "SELECT seen_at FROM user_session WHERE token_hash = '%s'", hash);
	T_EQ_INT(db_query_int(db, &seen, &e, sql, NULL), 1);
	T_OK(seen >= now && seen <= auth_now());
	T_EQ_INT(auth_session_get(db, token, 3600, &u, &e), 1);
	/* used 30 s ago: not written again; 2 minutes ago: written */
	snprintf(sql, sizeof(sql), "UPDATE user_session SET seen_at = %lld WHERE token_hash = '%s'", now - 30, hash);
	T_EQ_INT(db_exec(db, sql, &e), 0);
	T_EQ_INT(auth_session_get(db, token, 3600, &u, &e), 1);
	snprintf(sql, sizeof(sql), "SELECT seen_at FROM user_session WHERE token_hash = '%s'", hash);
	T_EQ_INT(db_query_int(db, &seen, &e, sql, NULL), 1);
	T_EQ_INT(seen, now - 30);
	snprintf(sql, sizeof(sql), "UPDATE user_session SET seen_at = %lld WHERE token_hash = '%s'", now - 120, hash);
	T_EQ_INT(db_exec(db, sql, &e), 0);
	T_EQ_INT(auth_session_get(db, token, 3600, &u, &e), 1);
	snprintf(sql, sizeof(sql), "SELECT seen_at FROM user_session WHERE token_hash = '%s'", hash);
	T_EQ_INT(db_query_int(db, &seen, &e, sql, NULL), 1);
	T_OK(seen >= now);
	/* an hour and a second unused: ended, and housekeeping with that limit forgets it */
	snprintf(sql, sizeof(sql), "UPDATE user_session SET seen_at = %lld WHERE token_hash = '%s'", now - 3601, hash);
	T_EQ_INT(db_exec(db, sql, &e), 0);
	T_EQ_INT(auth_session_get(db, token, 3600, &u, &e), 0);
	T_EQ_INT(auth_housekeeping(db, 0, &e), 0);             /* no idle limit: kept */
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM user_session WHERE token_hash = '%s'", hash);
	T_EQ_INT(db_query_int(db, &seen, &e, sql, NULL), 1);
	T_EQ_INT(seen, 1);
	T_EQ_INT(auth_housekeeping(db, 3600, &e), 0);
	T_EQ_INT(db_query_int(db, &seen, &e, sql, NULL), 1);
	T_EQ_INT(seen, 0);
	T_OK(auth_user_delete(db, user, &e) >= 0);
}

struct periods_seen {
	long long org_id;
	size_t n;
	char text[256];
};

static int periods_member(void *ctx, const struct member *m)
{
	struct periods_seen *ps = ctx;
	size_t i;
	if (m->org_id != ps->org_id)
		return 0;
	ps->n = m->nearlier;
	ps->text[0] = 0;
	for (i = 0; i < m->nearlier; i++)
		snprintf(ps->text + strlen(ps->text), sizeof(ps->text) - strlen(ps->text), "%s%s %s-%s", i ? "; " : "",
			 m->earlier[i].role, m->earlier[i].joined ? m->earlier[i].joined : "?", m->earlier[i].left_on);
	return 0;
}

static int periods_cluster(void *ctx, const struct cluster *c, const struct member *m)
{
	(void)c;
	return periods_member(ctx, m);
}

/* A former member that joins again keeps its ended period on record (membership_period);
 * correcting a row (a leaving date taken back, the same joining date) is no new period. */
T_TEST(member_periods)
{
	struct kerr e = KERR_INIT;
	struct member m;
	enum upsert_result res;
	struct periods_seen ps;
	long long cid = 0, oid = 0, n = 0;

	T_EQ_INT(db_query_int(db, &cid, &e, "SELECT id FROM cluster WHERE acronym = 'KLPS'", NULL), 1);
	T_EQ_INT(db_query_int(db, &oid, &e, "SELECT MAX(id) FROM organisation WHERE id NOT IN"
			      " (SELECT org_id FROM membership)", NULL), 1);
	memset(&m, 0, sizeof(m));
	m.cluster_id = cid;
	m.org_id = oid;
	m.role = xstrdup("founder");
	m.joined = xstrdup("2018-01-10");
	T_EQ_INT(dir_member_upsert(db, &m, &res, &e), 0);
	free(m.left_on);
	m.left_on = xstrdup("2020-06-30");
	T_EQ_INT(dir_member_upsert(db, &m, &res, &e), 0);
	T_EQ_INT(res, UPSERT_UPDATED);
	/* ended: no earlier period yet */
	memset(&ps, 0, sizeof(ps));
	ps.org_id = oid;
	T_EQ_INT(dir_cluster_members(db, cid, periods_member, &ps, &e), 0);
	T_EQ_INT((long long)ps.n, 0);
	/* joins again in 2021 as a plain member */
	free(m.left_on);
	m.left_on = NULL;
	free(m.joined);
	m.joined = xstrdup("2021-03-01");
	free(m.role);
	m.role = xstrdup("member");
	T_EQ_INT(dir_member_upsert(db, &m, &res, &e), 0);
	T_EQ_INT(dir_cluster_members(db, cid, periods_member, &ps, &e), 0);
	T_EQ_INT((long long)ps.n, 1);
	T_EQ_STR(ps.text, "founder 2018-01-10-2020-06-30");
	memset(&ps, 0, sizeof(ps));
	ps.org_id = oid;
	T_EQ_INT(dir_org_clusters(db, oid, periods_cluster, &ps, &e), 0);
	T_EQ_STR(ps.text, "founder 2018-01-10-2020-06-30");
	/* leaves and joins again: two periods, oldest first */
	m.left_on = xstrdup("2022-12-31");
	T_EQ_INT(dir_member_upsert(db, &m, &res, &e), 0);
	free(m.left_on);
	m.left_on = NULL;
	free(m.joined);
	m.joined = xstrdup("2024-05-02");
	T_EQ_INT(dir_member_upsert(db, &m, &res, &e), 0);
	memset(&ps, 0, sizeof(ps));
	ps.org_id = oid;
	T_EQ_INT(dir_cluster_members(db, cid, periods_member, &ps, &e), 0);
	T_EQ_STR(ps.text, "founder 2018-01-10-2020-06-30; member 2021-03-01-2022-12-31");
	/* a leaving date set by mistake and taken back (the same joining date): no new period */
	m.left_on = xstrdup("2025-01-01");
	T_EQ_INT(dir_member_upsert(db, &m, &res, &e), 0);
	free(m.left_on);
	m.left_on = NULL;
	T_EQ_INT(dir_member_upsert(db, &m, &res, &e), 0);
	{
		char ob[24];
		snprintf(ob, sizeof(ob), "%lld", oid);
		T_EQ_INT(db_query_int(db, &n, &e, "SELECT COUNT(*) FROM membership_period WHERE org_id = ?", ob, NULL), 1);
		T_EQ_INT(n, 2);
		/* leave the demo data as it was */
		T_EQ_INT(db_query_int(db, &n, &e, "SELECT COUNT(*) FROM (SELECT 1 FROM membership_period WHERE org_id = ?) x",
				      ob, NULL), 1);
	}
	{
		char sql[160];
		snprintf(sql, sizeof(sql), "DELETE FROM membership_period WHERE org_id = %lld", oid);
		T_EQ_INT(db_exec(db, sql, &e), 0);
		snprintf(sql, sizeof(sql), "DELETE FROM membership WHERE org_id = %lld", oid);
		T_EQ_INT(db_exec(db, sql, &e), 0);
	}
	member_release(&m);
}

/* A deleted message's id is never given to the next one (SQLite: AUTOINCREMENT, 025; PostgreSQL:
 * identity), so an outbox address kept from before never opens another message. */
T_TEST(mail_ids)
{
	struct kerr e = KERR_INIT;
	long long a = 0, b = 0;
	T_EQ_INT(db_query_int(db, &a, &e, "INSERT INTO mail_queue (created_at, to_addr, subject, body, message_id, kind,"
			      " next_attempt_at) VALUES (1, 'x@ids.example', 's', 'b', '<ids-1@klaster>', 'test', 0)"
			      " RETURNING id", NULL), 1);
	T_EQ_INT(db_exec(db, "DELETE FROM mail_queue WHERE message_id = '<ids-1@klaster>'", &e), 0);
	T_EQ_INT(db_query_int(db, &b, &e, "INSERT INTO mail_queue (created_at, to_addr, subject, body, message_id, kind,"
			      " next_attempt_at) VALUES (1, 'x@ids.example', 's', 'b', '<ids-2@klaster>', 'test', 0)"
			      " RETURNING id", NULL), 1);
	T_OK(b > a);
	T_EQ_INT(db_exec(db, "DELETE FROM mail_queue WHERE message_id = '<ids-2@klaster>'", &e), 0);
}

static int count_entry(void *ctx, const struct audit_entry *a)
{
	(*(long *)ctx)++;
	return 0;
}

/* Blocking an account, the audit log's filters and pages, and the scope of a role named by
 * NIP, name or acronym: the same answers on both backends. */
T_TEST(accounts_admin)
{
	struct kerr e = KERR_INIT;
	struct audit_filter f;
	struct user u;
	char token[AUTH_TOKEN_LEN + 1];
	long long admin = 0, other = 0, user = 0, total = 0, id = 0, klps = 0;
	long n = 0;
	int i;

	T_EQ_INT(auth_user_create(db, "adm@storage.example", NULL, "storage password 1", "admin", "active", &admin, &e), 0);
	T_EQ_INT(auth_user_create(db, "usr@storage.example", NULL, "storage password 1", "user", "active", &user, &e), 0);
	/* no one blocks themself, nor the last active administrator */
	T_EQ_INT(auth_user_block(db, admin, admin, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_EQ_INT(auth_user_block(db, admin, 0, &e), -1);
	T_OK(strstr(e.msg, "last active administrator") != NULL);
	/* a block ends the sessions, spends the links and refuses the password */
	T_EQ_INT(auth_session_create(db, user, "127.0.0.1", token, &e), 0);
	T_EQ_INT(auth_session_get(db, token, AUTH_SESSION_IDLE, &u, &e), 1);
	{
		char link[AUTH_TOKEN_LEN + 1];
		T_EQ_INT(auth_link_replace(db, "reset", user, "x", 3600, link, &e), 0);
		T_EQ_INT(auth_link_check(db, "reset", link, &e), 1);
		T_EQ_INT(auth_user_block(db, user, admin, &e), 1);
		T_EQ_INT(auth_link_check(db, "reset", link, &e), 0);
		/* a link made while blocked does not work either */
		T_EQ_INT(auth_link_create(db, "reset", user, "x", 3600, link, &e), 0);
		T_EQ_INT(auth_link_check(db, "reset", link, &e), 0);
		T_EQ_INT(auth_link_use(db, "reset", link, NULL, NULL, 0, &e), -1);
	}
	T_EQ_INT(auth_session_get(db, token, AUTH_SESSION_IDLE, &u, &e), 0);
	T_EQ_INT(auth_user_block(db, user, admin, &e), 0);   /* already */
	T_EQ_INT(auth_check_password(db, "usr@storage.example", "storage password 1", &u, &e), -1);
	T_OK(strstr(e.msg, "blocked") != NULL);
	T_EQ_INT(auth_check_password(db, "usr@storage.example", "wrong password 12", &u, &e), -1);
	T_OK(strstr(e.msg, "blocked") == NULL);
	T_EQ_INT(auth_user_by_id(db, user, &u, &e), 1);
	T_OK(u.blocked_at > 0);
	T_EQ_STR(u.status, "active");
	T_EQ_INT(auth_user_unblock(db, user, &e), 1);
	T_EQ_INT(auth_user_unblock(db, user, &e), 0);
	T_EQ_INT(auth_check_password(db, "usr@storage.example", "storage password 1", &u, &e), 0);
	/* a blocked administrator is not the one who keeps the portal managed */
	T_EQ_INT(auth_user_create(db, "adm2@storage.example", NULL, "storage password 1", "admin", "active", &other, &e), 0);
	T_EQ_INT(auth_user_block(db, other, admin, &e), 1);
	T_EQ_INT(auth_user_delete(db, admin, &e), -1);
	T_EQ_INT(auth_user_block(db, admin, 0, &e), -1);
	T_EQ_INT(auth_user_unblock(db, other, &e), 1);
	T_EQ_INT(auth_user_block(db, admin, 0, &e), 1);
	T_EQ_INT(auth_user_unblock(db, admin, &e), 1);

	/* the audit log: filters and pages */
	for (i = 0; i < 30; i++)
		T_EQ_INT(auth_audit(db, i % 2 ? admin : user, "10.0.0.9", "st-test", "widget", 1 + i % 3, "d", &e), 0);
	T_EQ_INT(audit_filter_parse(&f, "st-test", NULL, NULL, NULL, NULL, NULL, &e), 0);
	T_EQ_INT(audit_list(db, &f, 10, 7, &total, count_entry, &n, &e), 0);
	T_EQ_INT(total, 30);
	T_EQ_INT(n, 7);
	n = 0;
	T_EQ_INT(audit_list(db, &f, 25, 10, NULL, count_entry, &n, &e), 0);
	T_EQ_INT(n, 5);
	T_EQ_INT(audit_filter_parse(&f, "st-test", "ADM@", "widget", "2", NULL, NULL, &e), 0);
	T_EQ_INT(audit_list(db, &f, 0, 0, &total, count_entry, &n, &e), 0);
	T_EQ_INT(total, 5);   /* i odd (admin) with i % 3 == 1: 1, 7, 13, 19, 25 */
	T_EQ_INT(audit_filter_parse(&f, "st-test", "_", NULL, NULL, NULL, NULL, &e), 0);
	T_EQ_INT(audit_list(db, &f, 0, 0, &total, count_entry, &n, &e), 0);
	T_EQ_INT(total, 0);   /* _ is no wildcard */
	{
		char hash_id[24];
		snprintf(hash_id, sizeof(hash_id), "#%lld", user);
		T_EQ_INT(audit_filter_parse(&f, "st-test", hash_id, NULL, NULL, "2000-01-01", "2999-12-31", &e), 0);
		T_EQ_INT(audit_list(db, &f, 0, 0, &total, count_entry, &n, &e), 0);
		T_EQ_INT(total, 15);
		T_EQ_INT(audit_filter_parse(&f, "st-test", hash_id, NULL, NULL, "2000-01-01", "2000-01-01", &e), 0);
		T_EQ_INT(audit_list(db, &f, 0, 0, &total, count_entry, &n, &e), 0);
		T_EQ_INT(total, 0);
	}

	/* the scope of a role */
	T_EQ_INT(auth_scope_org(db, "813-849-65-81", "org", &id, &e), 0);
	T_EQ_INT(db_query_int(db, &other, &e, "SELECT id FROM organisation WHERE nip = '8138496581'", NULL), 1);
	T_EQ_INT(id, other);
	id = 0;
	T_EQ_INT(auth_scope_org(db, "PRECYZMET ZAKŁADY LOTNICZE S.A.", "org", &id, &e), 0);
	T_EQ_INT(id, other);
	T_EQ_INT(auth_scope_org(db, "Sp. z o.o.", "org", &id, &e), -1);
	T_OK(strncmp(e.msg, "org: the names of ", 18) == 0 && strstr(e.msg, "(NIP ") != NULL);
	T_EQ_INT(auth_scope_org(db, "Nie Ma Takiej", "org", &id, &e), -1);
	T_OK(strstr(e.msg, "no organisation is named") != NULL);
	T_EQ_INT(auth_scope_org(db, "#999999999", "org", &id, &e), -1);
	T_EQ_INT(db_query_int(db, &klps, &e, "SELECT id FROM cluster WHERE acronym = 'KLPS'", NULL), 1);
	id = 0;
	T_EQ_INT(auth_scope_cluster(db, "klps", "cluster", &id, &e), 0);
	T_EQ_INT(id, klps);
	id = 0;
	T_EQ_INT(auth_scope_cluster(db, "łódzki klaster żywności", "cluster", &id, &e), 0);
	T_OK(id > 0 && id != klps);
	T_EQ_INT(auth_scope_cluster(db, "Klaster", "cluster", &id, &e), -1);
	T_OK(strstr(e.msg, "type the acronym") != NULL);
}

int main(void)
{
	const char *url = getenv("KLASTER_TEST_DB");
	struct kerr e = KERR_INIT;

	if (!url || !*url) {
		printf("1..0 # SKIP KLASTER_TEST_DB is not set\n");
		return 0;
	}
	if (strncmp(url, "sqlite:", 7) == 0) {
		/* start from a new file */
		const char *sfx[] = { "", "-wal", "-shm", "-journal" };
		size_t i;
		for (i = 0; i < 4; i++) {
			char p[4096];
			snprintf(p, sizeof(p), "%s%s", url + 7, sfx[i]);
			unlink(p);
		}
	}
	if (db_open(&db, url, &e)) {
		printf("not ok 1 - open the database: %s\n", e.msg);
		return 1;
	}
	if (db_kind(db) == DB_POSTGRES &&
	    db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public;", &e)) {
		printf("not ok 1 - reset the database: %s\n", e.msg);
		return 1;
	}
	printf("# backend %s\n", db_kind_name(db));
	T_RUN(reset_and_migrate);
	T_RUN(binding);
	T_RUN(placeholders);
	T_RUN(open_messages);
	T_RUN(kept_statements);
	T_RUN(streamed_rows);
	T_RUN(batched_rows);
	T_RUN(batched_values);
	T_RUN(batched_many);
	T_RUN(batched_failures);
	T_RUN(transactions);
	T_RUN(writers_one_at_a_time);
	T_RUN(conflict);
	T_RUN(parent_rows);
	T_RUN(import_demo);
	T_RUN(pkd_levels);
	T_RUN(fulltext);
	T_RUN(filters);
	T_RUN(polish_order);
	T_RUN(pagination);
	T_RUN(reimport_unchanged);
	T_RUN(invalid_import);
	T_RUN(clusters);
	T_RUN(voiv_stats);
	T_RUN(plans);
	T_RUN(firm_values);
	T_RUN(dataset_round_trip);
	T_RUN(dataset_empty_industry);
	T_RUN(accounts_admin);
	T_RUN(session_idle);
	T_RUN(member_periods);
	T_RUN(mail_ids);
	db_close(db);
	return t_done();
}
