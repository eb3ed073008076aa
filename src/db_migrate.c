/* db_migrate.c — applies the numbered migrations (see db.h). */
#include "db.h"
#include "db_impl.h"
#include "migrations.h"

/* A line of its own in a migration that rebuilds tables others refer to:
 * the backend's foreign keys are off while it runs (SQLite: dropping the
 * old table would otherwise cascade into the tables that refer to it) and
 * every foreign key is checked before it commits. */
#define NO_FK "--@no-foreign-keys"

static int wants_no_fk(const char *sql)
{
	const char *p = sql;
	size_t n = strlen(NO_FK);
	while ((p = strstr(p, NO_FK)) != NULL) {
		if ((p == sql || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* Keeps the lines meant for this backend and fills in @PK@ and @CBIN@. */
static void render(const struct db_backend *be, const char *sql, struct buf *out)
{
	const char *line = sql;
	int keep = 1;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if (n == strlen(NO_FK) && strncmp(line, NO_FK, n) == 0) {
			/* read by wants_no_fk, not a section */
		} else if (n >= 3 && strncmp(line, "--@", 3) == 0) {
			if (n == 6 && strncmp(line, "--@end", 6) == 0)
				keep = 1;
			else
				keep = (n - 3 == strlen(be->section) &&
					strncmp(line + 3, be->section, n - 3) == 0);
		} else if (keep) {
			const char *p = line, *stop = line + n;
			while (p < stop) {
				if (*p == '@' && (size_t)(stop - p) >= 4 && strncmp(p, "@PK@", 4) == 0) {
					buf_puts(out, be->pk_type);
					p += 4;
				} else if (*p == '@' && (size_t)(stop - p) >= 6 && strncmp(p, "@CBIN@", 6) == 0) {
					buf_puts(out, be->cbin);
					p += 6;
				} else {
					buf_putc(out, *p++);
				}
			}
			buf_putc(out, '\n');
		}
		line += n;
		if (*line == '\n')
			line++;
	}
}

int db_migrations_known(void)
{
	return db_nmigrations ? db_migrations[db_nmigrations - 1].version : 0;
}

static int ensure_table(struct db *db, struct kerr *e)
{
	return db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			   " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)", e);
}

int db_schema_version(struct db *db, struct kerr *e)
{
	long long v = 0, have = 0;
	/* asked, not created: reading the version of a database never writes to it */
	if (db_query_int(db, &have, e, db->be->has_table, "schema_migrations", NULL) < 0)
		return -1;
	if (!have)
		return 0;
	if (db_query_int(db, &v, e, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL) < 0)
		return -1;
	return (int)v;
}

int db_migrate(struct db *db, FILE *log, struct kerr *e)
{
	int i, no_fk = 0;
	if (ensure_table(db, e))
		return -1;
	for (i = 0; i < db_nmigrations; i++) {
		const struct db_migration *m = &db_migrations[i];
		struct buf sql = BUF_INIT;
		struct db_stmt *st = NULL;
		long long have = 0, broken_before = 0;
		char when[32];
		time_t now = time(NULL);
		struct tm tm;

		no_fk = wants_no_fk(m->sql) && db->be->fk_off;
		/* outside the transaction: SQLite ignores the pragma inside one */
		if (no_fk && db_exec(db, db->be->fk_off, e))
			return -1;
		if (db_begin(db, e))
			goto fail_fk;
		/* several servers may start at once on one PostgreSQL database */
		if (db_kind(db) == DB_POSTGRES &&
		    db_exec(db, "SELECT pg_advisory_xact_lock(7262353)", e))
			goto fail;
		{
			char v[16];
			snprintf(v, sizeof(v), "%d", m->version);
			if (db_query_int(db, &have, e,
					 "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", v, NULL) < 0)
				goto fail;
		}
		if (have) {
			db_rollback(db);
			if (no_fk && db_exec(db, db->be->fk_on, e))
				return -1;
			continue;
		}
		/* rows that broke a foreign key before it are not the migration's doing */
		broken_before = 0;
		if (no_fk && db_query_int(db, &broken_before, e, db->be->fk_check, NULL) < 0)
			goto fail;
		render(db->be, m->sql, &sql);
		if (db_exec(db, sql.ptr, e)) {
			kerr_prefix(e, "migration %03d_%s", m->version, m->name);
			buf_release(&sql);
			goto fail;
		}
		buf_release(&sql);
		if (no_fk) {
			long long broken = 0;
			if (db_query_int(db, &broken, e, db->be->fk_check, NULL) < 0)
				goto fail;
			if (broken > broken_before) {
				struct db_stmt *fk;
				const char *what = "";
				char first[200] = "";
				/* the first of them, to find it: its table, row and the table it names */
				if (db->be->fk_first && db_prepare(db, db->be->fk_first, &fk, NULL) == 0) {
					if (db_step(fk, NULL) == 1) {
						snprintf(first, sizeof(first), " (first: %s row %s refers to a missing %s)",
							 db_col_text(fk, 0) ? db_col_text(fk, 0) : "?",
							 db_col_text(fk, 1) ? db_col_text(fk, 1) : "?",
							 db_col_text(fk, 2) ? db_col_text(fk, 2) : "?");
						what = first;
					}
					db_finalize(fk);
				}
				kerr_set(e, KERR_DB, "migration %03d_%s: %lld rows would break a foreign key, %lld more than "
					 "before it%s", m->version, m->name, broken, broken - broken_before, what);
				goto fail;
			}
		}
		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (db_prepare(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			       &st, e))
			goto fail;
		db_bind_int(st, 1, m->version);
		db_bind_text(st, 2, m->name);
		db_bind_text(st, 3, when);
		if (db_step(st, e) < 0) {
			db_finalize(st);
			goto fail;
		}
		db_finalize(st);
		if (db_commit(db, e))
			goto fail_fk;
		if (no_fk && db_exec(db, db->be->fk_on, e))
			return -1;
		if (log)
			fprintf(log, "applied migration %03d_%s\n", m->version, m->name);
	}
	return 0;
fail:
	db_rollback(db);
fail_fk:
	if (no_fk) {
		db_exec(db, db->be->fk_on, NULL);   /* keeps the first error's message */
	}
	return -1;
}
