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
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kerr e = KERR_INIT;
	struct import_stats st;
	struct import_opts opts = { 0, -1, NULL };
	int rc;

	if (!db)
		setup();
	opts.skip_invalid = size > 0 && (data[0] & 1);   /* both modes */
	rc = import_csv(db, IMPORT_ORGANISATIONS, NULL, (const char *)data, size, "fuzz.csv", &opts,
			&st, &e);
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
	if (db_exec(db, "DELETE FROM organisation", &e))
		BUG("cannot clear the organisations: %s", e.msg);
	if (db_commit(db, &e))
		BUG("cannot commit: %s", e.msg);
	return 0;
}
