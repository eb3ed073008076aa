/*
 * fuzz_json_org.c — libFuzzer target for the JSON body of
 * POST /api/v1/organisations (org_from_json in src/dir.c: jansson, then
 * the same field validators as the CSV import), followed by the upsert of
 * a valid record and a read back.
 *
 * An in-memory SQLite database is migrated and loaded with the reference
 * data once.  Each input must be accepted or refused with a message; an
 * accepted record must be written and read back with the same name.
 * Run from the project root (the reference data is read from data/).
 */
#include <stdint.h>

#include "db.h"
#include "dir.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;

static void setup(void)
{
	struct kerr e = KERR_INIT;
	if (db_open(&db, "sqlite::memory:", &e) || db_migrate(db, NULL, &e)) {
		fprintf(stderr, "fuzz_json_org: cannot prepare the database: %s\n", e.msg);
		abort();
	}
	if (import_reference(db, "data", NULL, &e))
		fprintf(stderr, "fuzz_json_org: reference data not loaded: %s\n", e.msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kerr e = KERR_INIT;
	struct org o, back;
	enum upsert_result res;

	if (!db)
		setup();
	if (org_from_json(&o, (const char *)data, size, db, &e)) {
		if (!e.msg[0] || (e.kind != KERR_USAGE && e.kind != KERR_INPUT))
			BUG("refused without a message (kind %d)", e.kind);
		return 0;
	}
	if (db_begin(db, &e) || dir_org_upsert(db, &o, &res, &e) || db_commit(db, &e)) {
		/* a conflict (same REGON as another NIP) is a clean refusal */
		db_rollback(db);
		if (e.kind != KERR_CONFLICT)
			BUG("upsert of a valid record failed: %s", e.msg);
		org_release(&o);
		return 0;
	}
	if (dir_org_get(db, o.id, &back, &e))
		BUG("record %lld written but not read back: %s", o.id, e.msg);
	if (strcmp(back.name, o.name) != 0)
		BUG("name changed on the way: '%s' → '%s'", o.name, back.name);
	org_release(&back);
	org_release(&o);
	if (db_exec(db, "DELETE FROM organisation", &e))
		BUG("cannot clear the organisations: %s", e.msg);
	return 0;
}
