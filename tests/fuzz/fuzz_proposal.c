/*
 * fuzz_proposal.c — libFuzzer target for the "Add company" form
 * (POST /organisations/new): the urlencoded body (form_parse) goes to
 * mod_proposal_check in src/moderation.c (the directory's field validation
 * plus the proposer's address and the cluster), and a valid proposal is
 * stored as JSON, read back and approved.
 *
 * An in-memory SQLite database is migrated and loaded with the reference
 * data and the demo clusters once.  Each input must be refused with a
 * message naming a field, or stored with the same fields it had, and its
 * approval must succeed or be refused as a conflict or a changed rule;
 * afterwards no transaction may be left open, and the rows it wrote are
 * deleted.  Run from the project root (the reference data is read from
 * data/).
 */
#include <stdint.h>

#include "db.h"
#include "form.h"
#include "import.h"
#include "moderation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;
static long long max_org;

static void setup(void)
{
	struct kerr e = KERR_INIT;
	struct import_stats st;
	if (db_open(&db, "sqlite::memory:", &e) || db_migrate(db, NULL, &e)) {
		fprintf(stderr, "fuzz_proposal: cannot prepare the database: %s\n", e.msg);
		abort();
	}
	if (import_reference(db, "data", NULL, &e) ||
	    import_csv(db, IMPORT_ORGANISATIONS, "data/demo/organisations.csv", NULL, 0, NULL, NULL, &st, &e) ||
	    import_csv(db, IMPORT_CLUSTERS, "data/demo/clusters.csv", NULL, 0, NULL, NULL, &st, &e))
		fprintf(stderr, "fuzz_proposal: reference or demo data not loaded: %s\n", e.msg);
	db_query_int(db, &max_org, NULL, "SELECT COALESCE(MAX(id), 0) FROM organisation", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kerr e = KERR_INIT;
	struct form f;
	struct proposal p, back;
	const char *names[FORM_MAX], *values[FORM_MAX];
	size_t i, n = 0;

	if (!db)
		setup();
	memset(&f, 0, sizeof(f));
	if (form_parse(&f, (const char *)data, size, &e)) {
		form_release(&f);
		return 0;
	}
	/* the handler passes the organisation's fields; here every other
	 * name goes in too, to exercise the refusal of unknown fields */
	for (i = 0; i < f.n; i++)
		if (strcmp(f.names[i], "proposer_email") && strcmp(f.names[i], "cluster")) {
			names[n] = f.names[i];
			values[n++] = f.values[i];
		}
	if (mod_proposal_check(&p, names, values, n, form_get(&f, "proposer_email"), form_get(&f, "cluster"), "pl", db,
			       NULL, &e)) {
		if (!e.msg[0] || e.kind != KERR_INPUT || !strchr(e.msg, ':'))
			BUG("refused without a message naming the field (kind %d: %s)", e.kind, e.msg);
		form_release(&f);
		return 0;
	}
	form_release(&f);
	if (db_begin(db, &e) || mod_proposal_submit(db, &p, "fuzz", &e) || db_commit(db, &e))
		BUG("a checked proposal was not stored: %s", e.msg);
	if (mod_proposal_get(db, p.id, &back, &e))
		BUG("a stored proposal cannot be read: %s", e.msg);
	if (back.n != p.n || strcmp(back.email, p.email) || back.cluster_id != p.cluster_id)
		BUG("the proposal read back differs");
	for (i = 0; i < p.n; i++)
		if (strcmp(back.names[i], p.names[i]) || strcmp(back.values[i], p.values[i]))
			BUG("field %s read back differs", p.names[i]);
	proposal_release(&back);
	if (db_begin(db, &e))
		BUG("a transaction was left open: %s", e.msg);
	if (mod_proposal_approve(db, p.id, 0, "fuzz", &back, &e)) {
		if (e.kind != KERR_CONFLICT && e.kind != KERR_INPUT)
			BUG("approval failed: %s", e.msg);
		db_rollback(db);
	} else if (db_commit(db, &e)) {
		BUG("cannot commit an approval: %s", e.msg);
	}
	proposal_release(&back);
	proposal_release(&p);
	{
		char sql[200];
		kerr_clear(&e);
		snprintf(sql, sizeof(sql), "DELETE FROM membership WHERE org_id > %lld; DELETE FROM organisation WHERE id > %lld;"
			 " DELETE FROM org_proposal; DELETE FROM audit_log", max_org, max_org);
		if (db_begin(db, &e) || db_exec(db, sql, &e) || db_commit(db, &e))
			BUG("cannot clear the rows: %s", e.msg);
	}
	return 0;
}
