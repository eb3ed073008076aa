/*
 * test_moderation.c — "Add company" proposals and membership requests
 * (moderation.h) on an in-memory SQLite database with the reference data
 * and the demo directory.  Run from the project root (reads data/).
 */
#include "t.h"

#include "auth.h"
#include "db.h"
#include "dir.h"
#include "import.h"
#include "moderation.h"

static struct db *db;
static long long cl_a, cl_b;

static long long count(const char *sql, const char *arg)
{
	long long n = -1;
	struct kerr e = KERR_INIT;
	if (db_query_int(db, &n, &e, sql, arg, NULL) < 0)
		printf("# %s: %s\n", sql, e.msg);
	return n;
}

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

/* A proposal from a few fields: name, nip (may be NULL), cluster id. */
static int check(struct proposal *p, const char *name, const char *nip, const char *email, const char *cluster,
		 struct kerr *e)
{
	const char *names[] = { "name", "type", "size_class", "nip", "city", "postal_code", "pkd" };
	const char *values[] = { name, "enterprise", "small", nip, "Kraków", "30-001", "62.01.Z" };
	return mod_proposal_check(p, names, values, 7, email, cluster, "en", db, NULL, e);
}

static int begins(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

T_TEST(validation)
{
	struct kerr e = KERR_INIT;
	struct proposal p;
	struct org o;
	char nip[11];

	make_nip(nip, 4242001);
	T_OK(check(&p, "Alfa", "1234567890", "a@example.com", NULL, &e) == -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(begins(e.msg, "nip: "));
	T_OK(check(&p, "", nip, "a@example.com", NULL, &e) == -1);
	T_OK(begins(e.msg, "name: required"));
	T_OK(check(&p, "Alfa", nip, "not an address", NULL, &e) == -1);
	T_OK(begins(e.msg, "proposer_email: "));
	T_OK(check(&p, "Alfa", nip, "", NULL, &e) == -1);
	T_OK(begins(e.msg, "proposer_email: "));
	T_OK(check(&p, "Alfa", nip, "a@example.com", "99999", &e) == -1);
	T_EQ_STR(e.msg, "cluster: no such cluster");
	T_OK(check(&p, "Alfa", nip, "a@example.com", "1; DROP TABLE cluster", &e) == -1);
	T_EQ_STR(e.msg, "cluster: no such cluster");
	{
		const char *names[] = { "name", "type", "demo" }, *values[] = { "Alfa", "ngo", "1" };
		T_OK(mod_proposal_check(&p, names, values, 3, "a@example.com", NULL, "pl", db, NULL, &e) == -1);
		T_OK(begins(e.msg, "demo: not a field"));
	}
	{
		const char *names[] = { "name", "type", "name" }, *values[] = { "Alfa", "ngo", "Beta" };
		T_OK(mod_proposal_check(&p, names, values, 3, "a@example.com", NULL, "pl", db, NULL, &e) == -1);
		T_EQ_STR(e.msg, "name: given twice");
	}
	{
		/* twice, the first of them empty (found by fuzz_proposal) */
		const char *names[] = { "name", "type", "website", "website" }, *values[] = { "Alfa", "ngo", "", "x" };
		T_OK(mod_proposal_check(&p, names, values, 4, "a@example.com", NULL, "pl", db, NULL, &e) == -1);
		T_EQ_STR(e.msg, "website: given twice");
	}
	{
		const char *names[] = { "name", "type", "size_class" }, *values[] = { "Alfa", "research", "small" };
		T_OK(mod_proposal_check(&p, names, values, 3, "a@example.com", NULL, "pl", db, NULL, &e) == -1);
		T_OK(begins(e.msg, "size_class: "));
	}
	{
		/* a form sees every problem at once, one a line, in the order of the fields, then the checks
		 * across fields; a required field left empty is one problem, not two */
		const char *names[] = { "name", "type", "nip", "postal_code", "website", "lat" };
		const char *values[] = { "", "enterprise", "1234567890", "123", "ftp:x", "50.1" };
		T_OK(mod_proposal_check(&p, names, values, 6, "not an address", "999", "en", db, NULL, &e) == -1);
		T_EQ_STR(e.msg, "name: required, but empty or missing\n"
				"nip: '1234567890': is not a valid NIP: no check digit exists for its first nine digits\n"
				"postal_code: must be a Polish postal code NN-NNN, e.g. 00-950\n"
				"website: must start with http:// or https://, as in https://www.example.pl\n"
				"size_class: required for an enterprise (micro, small, medium, large)\n"
				"lon: lat and lon must be given together\n"
				"proposer_email: must not contain spaces\n"
				"cluster: no such cluster");
	}
	{
		const char *names[] = { "name", "type", "teryt" }, *values[] = { "Alfa", "ngo", "9999" };
		T_OK(mod_proposal_check(&p, names, values, 3, "a@example.com", NULL, "pl", db, NULL, &e) == -1);
		T_OK(begins(e.msg, "teryt: "));
	}
	{
		/* empty values are absent; the address is normalised; o gets the org */
		char spaced[24];
		const char *names[] = { "name", "type", "nip", "regon", "street" };
		const char *values[5];
		snprintf(spaced, sizeof(spaced), "PL %.3s-%.3s-%.2s-%.2s", nip, nip + 3, nip + 6, nip + 8);
		values[0] = " Alfa Sp. z o.o. ";
		values[1] = "ngo";
		values[2] = spaced;
		values[3] = "";
		values[4] = NULL;
		T_OK(mod_proposal_check(&p, names, values, 5, " Alfa@Example.COM ", "", "en", db, &o, &e) == 0);
		T_EQ_INT(p.n, 3);
		T_EQ_STR(p.email, "alfa@example.com");
		T_EQ_STR(p.nip, nip);
		T_EQ_STR(p.name, "Alfa Sp. z o.o.");
		T_EQ_STR(o.nip, nip);
		T_EQ_STR(p.lang, "en");
		T_EQ_INT(p.cluster_id, 0);
		T_OK(proposal_field(&p, "regon") == NULL);
		T_EQ_STR(proposal_field(&p, "nip"), spaced);
		org_release(&o);
		proposal_release(&p);
	}
	T_OK(mod_text_check(NULL, "reason", 0, &e) == 0);
	T_OK(mod_text_check(" \n", "reason", 1, &e) == -1);
	T_EQ_STR(e.msg, "reason: required");
	{
		char big[MOD_TEXT_MAX + 2];
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		T_OK(mod_text_check(big, "message", 0, &e) == -1);
		T_OK(begins(e.msg, "message: at most"));
		big[MOD_TEXT_MAX] = '\0';
		T_OK(mod_text_check(big, "message", 1, &e) == 0);
	}
}

static int count_item(void *ctx, const struct proposal *p)
{
	(*(long *)ctx)++;
	(void)p;
	return 0;
}

static long pending(long long cluster)
{
	long n = 0;
	struct kerr e = KERR_INIT;
	if (mod_proposal_list(db, cluster, 0, MOD_LIST_MAX, NULL, count_item, &n, &e))
		printf("# %s\n", e.msg);
	return n;
}

T_TEST(approve_and_reject)
{
	struct kerr e = KERR_INIT;
	struct proposal p, d;
	struct org o;
	char nip[11], cid[24];
	long long orgs0 = count("SELECT COUNT(*) FROM organisation", NULL), id1, id2, dup;

	make_nip(nip, 4242101);
	snprintf(cid, sizeof(cid), "%lld", cl_a);
	T_OK(check(&p, "Beta Lotnicza", nip, "beta@example.com", cid, &e) == 0);
	T_OK(mod_proposal_submit(db, &p, "127.0.0.1", &e) == 0);
	id1 = p.id;
	T_OK(id1 > 0);
	proposal_release(&p);
	/* a second proposal of the same company, from someone else */
	T_OK(check(&p, "Beta Lotnicza bis", nip, "other@example.com", NULL, &e) == 0);
	p.proposer_id = 0;
	T_OK(mod_proposal_submit(db, &p, "127.0.0.2", &e) == 0);
	id2 = p.id;
	proposal_release(&p);
	T_EQ_INT(count("SELECT COUNT(*) FROM organisation", NULL), orgs0);
	T_EQ_INT(pending(-1), 2);
	T_EQ_INT(pending(cl_a), 1);
	T_EQ_INT(pending(cl_b), 0);

	T_OK(mod_proposal_get(db, id1, &p, &e) == 0);
	T_EQ_STR(p.status, "pending");
	T_EQ_STR(proposal_field(&p, "city"), "Kraków");
	T_EQ_STR(p.email, "beta@example.com");
	T_EQ_INT(p.cluster_id, cl_a);
	T_OK(p.cluster_name != NULL);
	proposal_release(&p);
	T_OK(mod_proposal_get(db, 999999, &p, &e) == -1 && e.kind == KERR_NOTFOUND);

	T_OK(db_begin(db, &e) == 0);
	T_OK(mod_proposal_approve(db, id1, 0, "127.0.0.1", &p, &e) == 0);
	T_OK(db_commit(db, &e) == 0);
	T_EQ_INT(count("SELECT COUNT(*) FROM organisation", NULL), orgs0 + 1);
	T_OK(p.org_id > 0);
	T_OK(dir_org_get(db, p.org_id, &o, &e) == 0);
	T_EQ_STR(o.name, "Beta Lotnicza");
	T_EQ_STR(o.nip, nip);
	T_EQ_STR(o.size_class, "small");
	T_EQ_INT(o.demo, 0);
	org_release(&o);
	T_EQ_INT(mod_membership_state(db, cl_a, p.org_id, &e), 1);
	T_EQ_INT(count("SELECT COUNT(*) FROM org_proposal WHERE status = 'approved' AND org_id IS NOT NULL", NULL), 1);
	T_EQ_INT(count("SELECT COUNT(*) FROM audit_log WHERE action = 'org-create'", NULL), 1);
	proposal_release(&p);

	/* approving again, or the duplicate: a conflict, and nothing stays written */
	T_OK(db_begin(db, &e) == 0);
	T_OK(mod_proposal_approve(db, id1, 0, "127.0.0.1", &p, &e) == -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	db_rollback(db);
	proposal_release(&p);
	T_OK(db_begin(db, &e) == 0);
	T_OK(mod_proposal_approve(db, id2, 0, "127.0.0.1", &p, &e) == -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_OK(begins(e.msg, "nip: an organisation with NIP "));
	db_rollback(db);
	proposal_release(&p);
	T_EQ_INT(count("SELECT COUNT(*) FROM organisation", NULL), orgs0 + 1);
	T_OK(mod_proposal_get(db, id2, &p, &e) == 0);
	T_EQ_STR(p.status, "pending");
	proposal_release(&p);
	T_EQ_INT(count("SELECT COUNT(*) FROM audit_log WHERE action = 'org-proposal-approve'", NULL), 1);

	/* mod_org_duplicate by NIP, and by name and postal code without NIP/REGON */
	T_OK(check(&p, "Beta Lotnicza", nip, "x@example.com", NULL, &e) == 0);
	proposal_release(&p);
	{
		const char *names[] = { "name", "type", "postal_code" }, *values[] = { "Beta Lotnicza", "ngo", "30-001" };
		T_OK(mod_proposal_check(&d, names, values, 3, "x@example.com", NULL, "pl", db, &o, &e) == 0);
		T_EQ_INT(mod_org_duplicate(db, &o, &dup, &e), 1);
		T_OK(begins(e.msg, "name: "));
		org_release(&o);
		proposal_release(&d);
		values[2] = "30-002";
		T_OK(mod_proposal_check(&d, names, values, 3, "x@example.com", NULL, "pl", db, &o, &e) == 0);
		T_EQ_INT(mod_org_duplicate(db, &o, &dup, &e), 0);
		org_release(&o);
		proposal_release(&d);
	}

	/* rejecting needs a reason */
	T_OK(db_begin(db, &e) == 0);
	T_OK(mod_proposal_reject(db, id2, "", 0, "127.0.0.1", &p, &e) == -1);
	T_EQ_STR(e.msg, "reason: required");
	T_OK(mod_proposal_reject(db, id2, "Duplikat.", 0, "127.0.0.1", &p, &e) == 0);
	T_OK(db_commit(db, &e) == 0);
	T_EQ_STR(p.status, "rejected");
	T_EQ_STR(p.reason, "Duplikat.");
	T_EQ_STR(p.email, "other@example.com");
	proposal_release(&p);
	T_EQ_INT(pending(-1), 0);
}

T_TEST(requests)
{
	struct kerr e = KERR_INIT;
	struct join_request q;
	long long org = 0, id;

	/* an organisation of neither cluster */
	T_OK(db_query_int(db, &org, &e, "SELECT MIN(id) FROM organisation o WHERE NOT EXISTS (SELECT 1 FROM membership m"
			  " WHERE m.org_id = o.id AND m.cluster_id IN (SELECT id FROM cluster WHERE acronym IN ('KLPS', 'MKTC')))",
			  NULL) == 1);
	T_EQ_INT(mod_membership_state(db, cl_a, org, &e), 0);
	memset(&q, 0, sizeof(q));
	q.cluster_id = cl_a;
	q.org_id = org;
	snprintf(q.email, sizeof(q.email), "editor@example.com");
	q.message = xstrdup("Prosimy o przyjęcie.");
	snprintf(q.lang, sizeof(q.lang), "pl");
	T_OK(mod_request_create(db, &q, "127.0.0.1", &e) == 0);
	id = q.id;
	T_OK(id > 0);
	T_EQ_INT(mod_membership_state(db, cl_a, org, &e), 2);
	T_OK(mod_request_create(db, &q, "127.0.0.1", &e) == -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_OK(strstr(e.msg, "already waiting") != NULL);
	q.org_id = 999999;
	T_OK(mod_request_create(db, &q, "127.0.0.1", &e) == -1);
	T_EQ_INT(e.kind, KERR_NOTFOUND);
	join_request_release(&q);

	T_OK(mod_request_get(db, id, &q, &e) == 0);
	T_EQ_STR(q.message, "Prosimy o przyjęcie.");
	T_EQ_STR(q.status, "pending");
	T_OK(q.org_name && q.cluster_name && q.cluster_acronym);
	join_request_release(&q);

	T_OK(db_begin(db, &e) == 0);
	T_OK(mod_request_accept(db, id, 0, "127.0.0.1", &q, &e) == 0);
	T_OK(db_commit(db, &e) == 0);
	T_EQ_STR(q.status, "accepted");
	join_request_release(&q);
	T_EQ_INT(mod_membership_state(db, cl_a, org, &e), 1);
	{
		char cid[24], oid[24];
		long long n = 0;
		snprintf(cid, sizeof(cid), "%lld", cl_a);
		snprintf(oid, sizeof(oid), "%lld", org);
		db_query_int(db, &n, &e, "SELECT COUNT(*) FROM membership WHERE cluster_id = ? AND org_id = ? AND role = 'member'"
			     " AND joined IS NOT NULL AND left_on IS NULL", cid, oid, NULL);
		T_EQ_INT(n, 1);
	}
	T_OK(db_begin(db, &e) == 0);
	T_OK(mod_request_accept(db, id, 0, "127.0.0.1", &q, &e) == -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	db_rollback(db);
	join_request_release(&q);

	/* a member cannot ask again; another cluster may decline */
	memset(&q, 0, sizeof(q));
	q.cluster_id = cl_a;
	q.org_id = org;
	snprintf(q.email, sizeof(q.email), "editor@example.com");
	T_OK(mod_request_create(db, &q, "127.0.0.1", &e) == -1);
	T_OK(strstr(e.msg, "already a member") != NULL);
	q.cluster_id = cl_b;
	T_OK(mod_request_create(db, &q, "127.0.0.1", &e) == 0);
	id = q.id;
	join_request_release(&q);
	T_OK(db_begin(db, &e) == 0);
	T_OK(mod_request_decline(db, id, "Nie teraz.", 0, "127.0.0.1", &q, &e) == 0);
	T_OK(db_commit(db, &e) == 0);
	T_EQ_STR(q.reason, "Nie teraz.");
	join_request_release(&q);
	T_EQ_INT(mod_membership_state(db, cl_b, org, &e), 0);
	T_EQ_INT(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'membership-request%'", NULL), 4);
}

int main(void)
{
	struct kerr e = KERR_INIT;
	struct import_stats st;
	if (db_open(&db, "sqlite::memory:", &e) || db_migrate(db, NULL, &e) || import_reference(db, "data", NULL, &e) ||
	    import_csv(db, IMPORT_ORGANISATIONS, "data/demo/organisations.csv", NULL, 0, NULL, NULL, &st, &e) ||
	    import_csv(db, IMPORT_CLUSTERS, "data/demo/clusters.csv", NULL, 0, NULL, NULL, &st, &e) ||
	    import_csv(db, IMPORT_MEMBERS, "data/demo/members.csv", NULL, 0, NULL, NULL, &st, &e)) {
		printf("not ok 1 - cannot prepare the database: %s\n", e.msg);
		return 1;
	}
	db_query_int(db, &cl_a, NULL, "SELECT id FROM cluster WHERE acronym = 'KLPS'", NULL);
	db_query_int(db, &cl_b, NULL, "SELECT id FROM cluster WHERE acronym = 'MKTC'", NULL);
	T_RUN(validation);
	T_RUN(approve_and_reject);
	T_RUN(requests);
	db_close(db);
	return t_done();
}
