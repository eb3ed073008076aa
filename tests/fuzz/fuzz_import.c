/*
 * fuzz_import.c — libFuzzer target for the organisations CSV import
 * (import_csv in src/import.c, with the CSV reader, the field validators
 * and the upsert behind it).
 *
 * An in-memory SQLite database is migrated and loaded with the reference
 * data (regions, PKD) once.  Each input is imported as an organisations
 * file and must either succeed or fail with a message; afterwards no
 * transaction may be left open, and the organisations are deleted again
 * so that every input runs against the same database.
 * Run from the project root (the reference data is read from data/).
 */
#include <stdint.h>

#include "db.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;
static struct import_stats st0;
static long long max_org, max_cluster;

static void setup(void)
{
	struct kerr e = KERR_INIT;
	if (db_open(&db, "sqlite::memory:", &e) || db_migrate(db, NULL, &e)) {
		fprintf(stderr, "fuzz_import: cannot prepare the database: %s\n", e.msg);
		abort();
	}
	/* without the reference data the TERYT/PKD checks reject more rows,
	 * but the import is still worth fuzzing */
	if (import_reference(db, "data", NULL, &e))
		fprintf(stderr, "fuzz_import: reference data not loaded: %s\n", e.msg);
	/* the demo organisations and clusters, so cluster and member rows can
	 * refer to something (they stay; each input's own rows are removed) */
	if (import_csv(db, IMPORT_ORGANISATIONS, "data/demo/organisations.csv", NULL, 0, NULL, NULL, &st0, &e) ||
	    import_csv(db, IMPORT_CLUSTERS, "data/demo/clusters.csv", NULL, 0, NULL, NULL, &st0, &e))
		fprintf(stderr, "fuzz_import: demo data not loaded: %s\n", e.msg);
	db_query_int(db, &max_org, NULL, "SELECT COALESCE(MAX(id), 0) FROM organisation", NULL);
	db_query_int(db, &max_cluster, NULL, "SELECT COALESCE(MAX(id), 0) FROM cluster", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kerr e = KERR_INIT;
	struct import_stats st;
	struct import_opts opts = { 0, -1, NULL };
	int rc;

	if (!db)
		setup();
	/* the first byte picks the mode and the kind: organisations,
	 * clusters or members, with and without --skip-invalid */
	opts.skip_invalid = size > 0 && (data[0] & 1);
	rc = import_csv(db, size > 0 ? (enum import_kind)((data[0] >> 1) % 3) : IMPORT_ORGANISATIONS, NULL,
			(const char *)data, size, "fuzz.csv", &opts, &st, &e);
	if (rc != 0 && rc != -1)
		__builtin_trap();
	if (rc == -1 && (!e.msg[0] || e.kind == KERR_NONE))
		BUG("import failed without a message");
	if (rc == 0 && st.inserted + st.updated + st.unchanged + st.skipped != st.rows)
		BUG("row counts do not add up: %ld rows", st.rows);
	/* no transaction may be left open: a new one must start */
	kerr_clear(&e);
	if (db_begin(db, &e))
		BUG("a transaction was left open: %s", e.msg);
	{
		char sql[256];
		snprintf(sql, sizeof(sql), "DELETE FROM membership; DELETE FROM cluster WHERE id > %lld;"
			 " DELETE FROM organisation WHERE id > %lld", max_cluster, max_org);
		if (db_exec(db, sql, &e))
			BUG("cannot clear the imported rows: %s", e.msg);
	}
	if (db_commit(db, &e))
		BUG("cannot commit: %s", e.msg);
	return 0;
}
