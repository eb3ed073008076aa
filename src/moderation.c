/* moderation.c — "Add company" proposals and membership requests (see moderation.h). */
#include "moderation.h"

#include <jansson.h>

#include "auth.h"

const char *const mod_org_fields[] = {
	"name", "type", "size_class", "nip", "regon", "krs", "pkd", "pkd_version", "street",
	"postal_code", "city", "teryt", "lat", "lon", "website", "email", "phone",
	"description_pl", "description_en", NULL
};

static const char *known_field(const char *name)
{
	size_t i;
	for (i = 0; mod_org_fields[i]; i++)
		if (strcmp(mod_org_fields[i], name) == 0)
			return mod_org_fields[i];
	return NULL;
}

static const char *lang_ok(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? "en" : "pl";
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void copy_str(char *out, size_t outsz, const char *s)
{
	snprintf(out, outsz, "%s", s ? s : "");
}

/* The directory names its fields "column NAME: …" (import files); on a
 * form the field is simply "NAME: …". */
static void form_message(struct kerr *e)
{
	if (strncmp(e->msg, "column ", 7) == 0)
		memmove(e->msg, e->msg + 7, strlen(e->msg + 7) + 1);
}

static void today(char out[11])
{
	char now[32];
	dir_now(now);
	memcpy(out, now, 10);
	out[10] = '\0';
}

/* ---- proposals ---- */

void proposal_release(struct proposal *p)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		free(p->values[i]);
	free(p->name);
	free(p->nip);
	free(p->cluster_name);
	free(p->reason);
	memset(p, 0, sizeof(*p));
}

const char *proposal_field(const struct proposal *p, const char *name)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return p->values[i];
	return NULL;
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s == '\0';
}

int mod_proposal_check(struct proposal *p, const char *const *names, const char *const *values, size_t n,
		       const char *email, const char *cluster, const char *lang, struct db *db, struct org *o,
		       struct kerr *e)
{
	struct org org;
	size_t i, j;

	memset(p, 0, sizeof(*p));
	if (o)
		memset(o, 0, sizeof(*o));
	for (i = 0; i < n; i++) {
		const char *name = known_field(names[i]);
		if (!name) {
			kerr_set(e, KERR_INPUT, "%.100s: not a field of an organisation", names[i]);
			goto fail;
		}
		/* twice, even when one of them is empty (org_from_form sees the empty ones too) */
		for (j = 0; j < i; j++)
			if (known_field(names[j]) == name)
				goto twice;
		if (blank(values[i]))
			continue;
		if (p->n == MOD_NFIELDS)
			BUG("more proposal fields than MOD_NFIELDS");
		p->names[p->n] = name;
		p->values[p->n++] = xstrdup(values[i]);
	}
	{
		/* every problem of the form at once, one a line, in the form's order (org_from_form
		 * sees the empty fields too, to name a required one where it stands) */
		struct buf lines = BUF_INIT;
		int bad = org_from_form(&org, names, values, n, db, e);
		if (bad && e->kind != KERR_INPUT) {
			buf_release(&lines);
			goto fail;
		}
		if (bad)
			buf_puts(&lines, e->msg);
		if (auth_email_norm(email, p->email, "proposer_email", e))
			buf_printf(&lines, "%s%s", lines.len ? "\n" : "", e->msg);
		if (!blank(cluster)) {
			char *end;
			long long exists = 0;
			errno = 0;
			p->cluster_id = strtoll(cluster, &end, 10);
			if (*end || errno || p->cluster_id <= 0 ||
			    db_query_int(db, &exists, NULL, "SELECT COUNT(*) FROM cluster WHERE id = ?", cluster, NULL) < 0 ||
			    !exists)
				buf_printf(&lines, "%scluster: no such cluster", lines.len ? "\n" : "");
		}
		if (lines.len) {
			if (!bad)
				org_release(&org);
			kerr_set_lines(e, KERR_INPUT, lines.ptr);
			buf_release(&lines);
			goto fail;
		}
		buf_release(&lines);
	}
	p->name = xstrdup(org.name);
	p->nip = dup_or_null(org.nip);
	copy_str(p->lang, sizeof(p->lang), lang_ok(lang));
	copy_str(p->status, sizeof(p->status), "pending");
	if (o)
		*o = org;
	else
		org_release(&org);
	return 0;
twice:
	kerr_set(e, KERR_INPUT, "%s: given twice", names[i]);
fail:
	if (e->kind != KERR_DB)
		e->kind = KERR_INPUT;
	proposal_release(p);
	return -1;
}

int mod_org_duplicate(struct db *db, const struct org *o, long long *id, struct kerr *e)
{
	const char *field = NULL, *value = NULL;
	*id = 0;
	if (o->nip) {
		if (db_query_int(db, id, e, "SELECT id FROM organisation WHERE nip = ?", o->nip, NULL) < 0)
			return -1;
		field = "nip", value = o->nip;
	}
	if (!*id && o->regon) {
		if (db_query_int(db, id, e, "SELECT id FROM organisation WHERE regon = ?", o->regon, NULL) < 0)
			return -1;
		field = "regon", value = o->regon;
	}
	if (!*id && !o->nip && !o->regon) {
		if (db_query_int(db, id, e, "SELECT id FROM organisation WHERE name = ? AND COALESCE(postal_code, '') = ?",
				 o->name, o->postal_code ? o->postal_code : "", NULL) < 0)
			return -1;
		field = "name", value = o->name;
	}
	if (!*id)
		return 0;
	if (strcmp(field, "name") == 0)
		kerr_set(e, KERR_CONFLICT, "name: an organisation with this name and postal code is already in the directory (#%lld)",
			 *id);
	else
		kerr_set(e, KERR_CONFLICT, "%s: an organisation with %s %s is already in the directory (#%lld)", field,
			 strcmp(field, "nip") == 0 ? "NIP" : "REGON", value, *id);
	return 1;
}

/* The fields as a JSON object of strings (jansson keeps their order). */
static char *fields_json(const struct proposal *p)
{
	json_t *obj = json_object();
	char *out;
	size_t i;
	for (i = 0; i < p->n; i++)
		json_object_set_new(obj, p->names[i], json_string(p->values[i]));
	out = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!out)
		BUG("cannot write the fields of a proposal as JSON");
	return out;
}

static int fields_parse(struct proposal *p, const char *json, struct kerr *e)
{
	json_error_t jerr;
	json_t *root = json_loads(json ? json : "", 0, &jerr), *val;
	const char *key;
	if (!root || !json_is_object(root)) {
		json_decref(root);
		return kerr_set(e, KERR_DB, "proposal #%lld: its fields are not a JSON object", p->id);
	}
	json_object_foreach(root, key, val) {
		const char *name = known_field(key);
		if (!name || !json_is_string(val) || p->n == MOD_NFIELDS) {
			json_decref(root);
			return kerr_set(e, KERR_DB, "proposal #%lld: unexpected field %.100s", p->id, key);
		}
		p->names[p->n] = name;
		p->values[p->n++] = xstrdup(json_string_value(val));
	}
	json_decref(root);
	return 0;
}

/* Binds parameters 1-4 of a proposal's row: its fields (json), name, NIP and cluster (NULL for none). */
static void bind_proposal(struct db_stmt *st, const char *json, const struct proposal *p)
{
	db_bind_text(st, 1, json);
	db_bind_text(st, 2, p->name);
	db_bind_text(st, 3, p->nip);
	if (p->cluster_id)
		db_bind_int(st, 4, p->cluster_id);
	else
		db_bind_null(st, 4);
}

int mod_proposal_submit(struct db *db, struct proposal *p, const char *ip, struct kerr *e)
{
	struct db_stmt *st;
	char *json = fields_json(p);
	int rc;
	p->created_at = auth_now();
	if (db_prepare(db, "INSERT INTO org_proposal (fields, name, nip, cluster_id, proposer_email, proposer_id, lang, ip,"
		       " status, created_at) VALUES (?,?,?,?,?,?,?,?, 'pending', ?) RETURNING id", &st, e)) {
		free(json);
		return -1;
	}
	bind_proposal(st, json, p);
	db_bind_text(st, 5, p->email);
	if (p->proposer_id)
		db_bind_int(st, 6, p->proposer_id);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, lang_ok(p->lang));
	db_bind_text(st, 8, ip);
	db_bind_int(st, 9, p->created_at);
	rc = db_step(st, e);
	if (rc == 1)
		p->id = db_col_int(st, 0);
	db_finalize(st);
	free(json);
	if (rc != 1)
		return rc < 0 ? -1 : kerr_set(e, KERR_DB, "the proposal was not stored");
	return auth_audit(db, p->proposer_id, ip, "org-propose", "org_proposal", p->id, p->name, e);
}

#define PROPOSAL_COLS \
	"p.id, p.fields, p.name, p.nip, p.proposer_email, COALESCE(p.proposer_id, 0), COALESCE(p.cluster_id, 0)," \
	" c.name, p.lang, p.status, p.reason, COALESCE(p.org_id, 0), p.created_at" \
	" FROM org_proposal p LEFT JOIN cluster c ON c.id = p.cluster_id"

static int proposal_row(struct db_stmt *st, struct proposal *p, struct kerr *e)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, 0);
	p->name = xstrdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
	p->nip = dup_or_null(db_col_text(st, 3));
	copy_str(p->email, sizeof(p->email), db_col_text(st, 4));
	p->proposer_id = db_col_int(st, 5);
	p->cluster_id = db_col_int(st, 6);
	p->cluster_name = dup_or_null(db_col_text(st, 7));
	copy_str(p->lang, sizeof(p->lang), lang_ok(db_col_text(st, 8)));
	copy_str(p->status, sizeof(p->status), db_col_text(st, 9));
	p->reason = dup_or_null(db_col_text(st, 10));
	p->org_id = db_col_int(st, 11);
	p->created_at = db_col_int(st, 12);
	if (fields_parse(p, db_col_text(st, 1), e)) {
		proposal_release(p);
		return -1;
	}
	return 0;
}

int mod_proposal_get(struct db *db, long long id, struct proposal *p, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	memset(p, 0, sizeof(*p));
	if (db_prepare(db, "SELECT " PROPOSAL_COLS " WHERE p.id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st, e);
	if (rc == 1)
		rc = proposal_row(st, p, e) ? -1 : 1;
	db_finalize(st);
	if (rc == 0)
		return kerr_set(e, KERR_NOTFOUND, "no proposal #%lld", id);
	return rc < 0 ? -1 : 0;
}

/* The number of pending rows of a list: sql counts them, with the
 * cluster bound twice; *total is left alone when total is NULL. */
static int count_pending(struct db *db, const char *sql, long long cluster_id, long long *total, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (!total)
		return 0;
	if (db_prepare(db, sql, &st, e))
		return -1;
	db_bind_int(st, 1, cluster_id);
	db_bind_int(st, 2, cluster_id);
	rc = db_step(st, e);
	*total = rc == 1 ? db_col_int(st, 0) : 0;
	db_finalize(st);
	return rc == 1 ? 0 : -1;
}


/* Gives each proposal row of st (PROPOSAL_COLS, bound) to each until it returns non-zero, then
 * finalizes st: 0, or -1 with e. */
static int proposals_each(struct db_stmt *st, int (*each)(void *ctx, const struct proposal *p), void *ctx,
			  struct kerr *e)
{
	struct proposal p;
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		int stop;
		if (proposal_row(st, &p, e)) {
			rc = -1;
			break;
		}
		stop = each(ctx, &p);
		proposal_release(&p);
		if (stop)
			break;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int mod_proposal_list(struct db *db, long long cluster_id, long offset, long limit, long long *total,
		      int (*each)(void *ctx, const struct proposal *p), void *ctx, struct kerr *e)
{
	struct db_stmt *st;
	if (count_pending(db, "SELECT COUNT(*) FROM org_proposal p WHERE p.status = 'pending' AND (? < 0 OR p.cluster_id = ?)",
			  cluster_id, total, e))
		return -1;
	if (db_prepare(db, "SELECT " PROPOSAL_COLS " WHERE p.status = 'pending' AND (? < 0 OR p.cluster_id = ?)"
		       " ORDER BY p.created_at, p.id LIMIT ? OFFSET ?", &st, e))
		return -1;
	db_bind_int(st, 1, cluster_id);
	db_bind_int(st, 2, cluster_id);
	db_bind_int(st, 3, limit);
	db_bind_int(st, 4, offset);
	return proposals_each(st, each, ctx, e);
}

int mod_proposal_list_mine(struct db *db, long long proposer_id, int (*each)(void *ctx, const struct proposal *p),
			   void *ctx, struct kerr *e)
{
	struct db_stmt *st;
	if (db_prepare(db, "SELECT " PROPOSAL_COLS " WHERE p.proposer_id = ? ORDER BY p.created_at DESC, p.id DESC LIMIT ?",
		       &st, e))
		return -1;
	db_bind_int(st, 1, proposer_id);
	db_bind_int(st, 2, MOD_LIST_MAX);
	return proposals_each(st, each, ctx, e);
}

void mod_proposal_version(const struct proposal *p, char out[MOD_VERSION_LEN])
{
	unsigned long long h = 1469598103934665603ULL;
	char cid[24];
	size_t i;
	const char *part;
	snprintf(cid, sizeof(cid), "%lld", p->cluster_id);
	for (i = 0; i <= 2 * p->n + 1; i++) {
		part = i < 2 * p->n ? (i % 2 ? p->values[i / 2] : p->names[i / 2]) : i == 2 * p->n ? cid : p->status;
		for (; part && *part; part++) {
			h ^= (unsigned char)*part;
			h *= 1099511628211ULL;
		}
		h ^= 0xff;   /* the end of a part */
		h *= 1099511628211ULL;
	}
	snprintf(out, MOD_VERSION_LEN, "%016llx", h);
}

/* The proposal id of account proposer_id, still pending: 0, or -1 with KERR_NOTFOUND (none of
 * that account) or KERR_CONFLICT (decided already). */
static int own_pending(struct db *db, long long id, long long proposer_id, struct kerr *e)
{
	struct proposal p;
	int rc = 0;
	if (mod_proposal_get(db, id, &p, e))
		return -1;
	if (proposer_id <= 0 || p.proposer_id != proposer_id)
		rc = kerr_set(e, KERR_NOTFOUND, "no proposal #%lld of yours", id);
	else if (strcmp(p.status, "pending") != 0)
		rc = kerr_set(e, KERR_CONFLICT, "proposal #%lld was already decided (%s)", id, p.status);
	proposal_release(&p);
	return rc;
}

int mod_proposal_update(struct db *db, long long id, long long proposer_id, const struct proposal *p, const char *ip,
			struct kerr *e)
{
	struct db_stmt *st;
	char *json;
	int rc;
	if (own_pending(db, id, proposer_id, e))
		return -1;
	json = fields_json(p);
	if (db_prepare(db, "UPDATE org_proposal SET fields = ?, name = ?, nip = ?, cluster_id = ?"
		       " WHERE id = ? AND status = 'pending'", &st, e)) {
		free(json);
		return -1;
	}
	bind_proposal(st, json, p);
	db_bind_int(st, 5, id);
	rc = db_step(st, e);
	db_finalize(st);
	free(json);
	if (rc < 0)
		return -1;
	return auth_audit(db, proposer_id, ip, "org-proposal-update", "org_proposal", id, p->name, e);
}

int mod_proposal_withdraw(struct db *db, long long id, long long proposer_id, const char *ip, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (own_pending(db, id, proposer_id, e))
		return -1;
	if (db_prepare(db, "DELETE FROM org_proposal WHERE id = ? AND status = 'pending'", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st, e);
	db_finalize(st);
	if (rc < 0)
		return -1;
	return auth_audit(db, proposer_id, ip, "org-proposal-withdraw", "org_proposal", id, NULL, e);
}

/* Moves a pending row of table to status (the guard against two
 * moderators deciding at once: the second finds it decided). */
static int decide(struct db *db, const char *table, long long id, const char *status, const char *reason,
		  long long moderator_id, struct kerr *e)
{
	struct db_stmt *st;
	struct buf sql = BUF_INIT;
	int rc;
	buf_printf(&sql, "UPDATE %s SET status = ?, reason = ?, decided_by = ?, decided_at = ?"
		   " WHERE id = ? AND status = 'pending' RETURNING id", table);
	rc = db_prepare(db, sql.ptr, &st, e);
	buf_release(&sql);
	if (rc)
		return -1;
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, reason && *reason ? reason : NULL);
	if (moderator_id > 0)
		db_bind_int(st, 3, moderator_id);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, auth_now());
	db_bind_int(st, 5, id);
	rc = db_step(st, e);
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		char state[16] = "";
		long long found = 0;
		struct db_stmt *q;
		buf_init(&sql, 0);
		buf_printf(&sql, "SELECT status FROM %s WHERE id = ?", table);
		if (db_prepare(db, sql.ptr, &q, e) == 0) {
			db_bind_int(q, 1, id);
			if (db_step(q, e) == 1) {
				found = 1;
				copy_str(state, sizeof(state), db_col_text(q, 0));
			}
			db_finalize(q);
		}
		buf_release(&sql);
		if (!found)
			return kerr_set(e, KERR_NOTFOUND, "no %s #%lld",
					strcmp(table, "org_proposal") == 0 ? "proposal" : "membership request", id);
		return kerr_set(e, KERR_CONFLICT, "%s #%lld was already decided (%s)",
				strcmp(table, "org_proposal") == 0 ? "proposal" : "membership request", id, state);
	}
	return 0;
}

static int add_member(struct db *db, long long cluster_id, long long org_id, struct kerr *e)
{
	struct member m;
	enum upsert_result res;
	char day[11];
	int rc;
	memset(&m, 0, sizeof(m));
	today(day);
	m.cluster_id = cluster_id;
	m.org_id = org_id;
	m.role = xstrdup("member");
	m.joined = xstrdup(day);
	rc = dir_member_upsert(db, &m, &res, e);
	member_release(&m);
	return rc;
}

int mod_member_add(struct db *db, long long cluster_id, long long org_id, int former_only, long long moderator_id,
		   const char *ip, struct kerr *e)
{
	char cid[24], oid[24], detail[80];
	long long n = 0;
	snprintf(cid, sizeof(cid), "%lld", cluster_id);
	snprintf(oid, sizeof(oid), "%lld", org_id);
	if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM organisation WHERE id = ?", oid, NULL) < 0)
		return -1;
	if (!n)
		return kerr_set(e, KERR_NOTFOUND, "org: no organisation #%lld", org_id);
	if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM membership WHERE cluster_id = ? AND org_id = ? AND left_on IS NULL",
			 cid, oid, NULL) < 0)
		return -1;
	if (n)
		return kerr_set(e, KERR_CONFLICT, "org: the organisation is already a member of the cluster");
	if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM membership_request WHERE cluster_id = ? AND org_id = ?"
			 " AND status = 'pending'", cid, oid, NULL) < 0)
		return -1;
	if (n)
		return kerr_set(e, KERR_CONFLICT, "org: the organisation's request to join waits in the queue: accept it there");
	if (former_only) {
		if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM membership WHERE cluster_id = ? AND org_id = ?", cid, oid,
				 NULL) < 0)
			return -1;
		if (!n)
			return kerr_set(e, KERR_AUTH, "org: a coordinator admits again a former member only; another "
					"organisation asks to join itself, or an administrator admits it");
	}
	if (add_member(db, cluster_id, org_id, e))
		return -1;
	/* on the organisation, as membership-end writes it */
	snprintf(detail, sizeof(detail), "cluster #%lld, joined", cluster_id);
	return auth_audit(db, moderator_id, ip, "membership-add", "organisation", org_id, detail, e);
}

int mod_proposal_approve(struct db *db, long long id, long long moderator_id, const char *ip, struct proposal *p,
			 struct kerr *e)
{
	struct org o;
	enum upsert_result res;
	long long dup;
	char detail[160], idb[24], oidb[24];
	int rc;

	memset(&o, 0, sizeof(o));
	if (decide(db, "org_proposal", id, "approved", NULL, moderator_id, e) || mod_proposal_get(db, id, p, e))
		return -1;
	if (org_from_fields(&o, p->names, (const char *const *)p->values, p->n, db, e)) {
		form_message(e);
		kerr_prefix(e, "the proposal no longer passes the directory's checks");
		return -1;
	}
	rc = mod_org_duplicate(db, &o, &dup, e);
	if (rc) {
		org_release(&o);
		return -1;
	}
	if (dir_org_upsert(db, &o, &res, e)) {
		org_release(&o);
		return -1;
	}
	p->org_id = o.id;
	org_release(&o);
	if (res != UPSERT_INSERTED)   /* written meanwhile by someone else: the caller rolls back */
		return kerr_set(e, KERR_CONFLICT, "the organisation is already in the directory (#%lld)", p->org_id);
	snprintf(idb, sizeof(idb), "%lld", id);
	snprintf(oidb, sizeof(oidb), "%lld", p->org_id);
	if (db_query_int(db, &dup, e, "UPDATE org_proposal SET org_id = ? WHERE id = ?", oidb, idb, NULL) < 0)
		return -1;
	if (p->cluster_id && add_member(db, p->cluster_id, p->org_id, e))
		return -1;
	copy_str(p->status, sizeof(p->status), "approved");
	if (p->cluster_id)
		snprintf(detail, sizeof(detail), "organisation #%lld, member of cluster #%lld", p->org_id, p->cluster_id);
	else
		snprintf(detail, sizeof(detail), "organisation #%lld", p->org_id);
	if (auth_audit(db, moderator_id, ip, "org-proposal-approve", "org_proposal", id, detail, e))
		return -1;
	snprintf(detail, sizeof(detail), "from proposal #%lld", id);
	return auth_audit(db, moderator_id, ip, "org-create", "organisation", p->org_id, detail, e);
}

int mod_proposer_editor(struct db *db, const struct proposal *p, long long moderator_id, const char *ip, int *made,
			struct kerr *e)
{
	char uid[24], oid[24], detail[96];
	long long got = 0;
	int rc;
	*made = 0;
	if (p->proposer_id <= 0 || p->org_id <= 0)
		return 0;
	snprintf(uid, sizeof(uid), "%lld", p->proposer_id);
	snprintf(oid, sizeof(oid), "%lld", p->org_id);
	rc = db_query_int(db, &got, e, "UPDATE app_user SET role = 'editor', org_id = ? WHERE id = ? AND role = 'user'"
			  " AND status = 'active' AND blocked_at IS NULL AND org_id IS NULL RETURNING id", oid, uid, NULL);
	if (rc <= 0)
		return rc;
	*made = 1;
	snprintf(detail, sizeof(detail), "editor of organisation #%lld, which the account proposed", p->org_id);
	return auth_audit(db, moderator_id, ip, "user-role", "user", p->proposer_id, detail, e);
}

int mod_text_check(const char *s, const char *field, int required, struct kerr *e)
{
	if (required && blank(s))
		return kerr_set(e, KERR_INPUT, "%s: required", field);
	if (s && strlen(s) > MOD_TEXT_MAX)
		return kerr_set(e, KERR_INPUT, "%s: at most %d characters", field, MOD_TEXT_MAX);
	return 0;
}

int mod_proposal_reject(struct db *db, long long id, const char *reason, long long moderator_id, const char *ip,
			struct proposal *p, struct kerr *e)
{
	memset(p, 0, sizeof(*p));
	if (mod_text_check(reason, "reason", 1, e) || decide(db, "org_proposal", id, "rejected", reason, moderator_id, e) ||
	    mod_proposal_get(db, id, p, e))
		return -1;
	return auth_audit(db, moderator_id, ip, "org-proposal-reject", "org_proposal", id, reason, e);
}

/* ---- membership requests ---- */

void join_request_release(struct join_request *q)
{
	free(q->message);
	free(q->reason);
	free(q->org_name);
	free(q->cluster_name);
	free(q->cluster_acronym);
	memset(q, 0, sizeof(*q));
}

int mod_membership_state(struct db *db, long long cluster_id, long long org_id, struct kerr *e)
{
	char cid[24], oid[24];
	long long n = 0;
	snprintf(cid, sizeof(cid), "%lld", cluster_id);
	snprintf(oid, sizeof(oid), "%lld", org_id);
	if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM membership_request WHERE cluster_id = ? AND org_id = ?"
			 " AND status = 'pending'", cid, oid, NULL) < 0)
		return -1;
	if (n)
		return 2;
	if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM membership WHERE cluster_id = ? AND org_id = ?"
			 " AND left_on IS NULL", cid, oid, NULL) < 0)
		return -1;
	return n ? 1 : 0;
}

int mod_request_create(struct db *db, struct join_request *q, const char *ip, struct kerr *e)
{
	struct db_stmt *st;
	char cid[24], oid[24], detail[80];
	long long n = 0;
	int rc;

	snprintf(cid, sizeof(cid), "%lld", q->cluster_id);
	snprintf(oid, sizeof(oid), "%lld", q->org_id);
	if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM cluster WHERE id = ?", cid, NULL) < 0)
		return -1;
	if (!n)
		return kerr_set(e, KERR_NOTFOUND, "no cluster #%lld", q->cluster_id);
	n = 0;
	if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM organisation WHERE id = ?", oid, NULL) < 0)
		return -1;
	if (!n)
		return kerr_set(e, KERR_NOTFOUND, "no organisation #%lld", q->org_id);
	if (mod_text_check(q->message, "message", 0, e))
		return -1;
	rc = mod_membership_state(db, q->cluster_id, q->org_id, e);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return kerr_set(e, KERR_CONFLICT, "the organisation is already a member of this cluster");
	if (rc == 2)
		return kerr_set(e, KERR_CONFLICT, "a request of this organisation to join this cluster is already waiting");
	q->created_at = auth_now();
	if (db_prepare(db, "INSERT INTO membership_request (cluster_id, org_id, requested_by, requester_email, message,"
		       " lang, status, created_at) VALUES (?,?,?,?,?,?, 'pending', ?) RETURNING id", &st, e))
		return -1;
	db_bind_int(st, 1, q->cluster_id);
	db_bind_int(st, 2, q->org_id);
	if (q->requested_by)
		db_bind_int(st, 3, q->requested_by);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, q->email);
	db_bind_text(st, 5, q->message && *q->message ? q->message : NULL);
	db_bind_text(st, 6, lang_ok(q->lang));
	db_bind_int(st, 7, q->created_at);
	rc = db_step(st, e);
	if (rc == 1)
		q->id = db_col_int(st, 0);
	db_finalize(st);
	if (rc != 1)
		return rc < 0 ? -1 : kerr_set(e, KERR_DB, "the request was not stored");
	copy_str(q->status, sizeof(q->status), "pending");
	snprintf(detail, sizeof(detail), "organisation #%lld asks to join cluster #%lld", q->org_id, q->cluster_id);
	return auth_audit(db, q->requested_by, ip, "membership-request", "membership_request", q->id, detail, e);
}

#define REQUEST_COLS \
	"q.id, q.cluster_id, q.org_id, COALESCE(q.requested_by, 0), q.requester_email, q.message, q.reason, q.lang," \
	" q.status, o.name, c.name, c.acronym, q.created_at" \
	" FROM membership_request q JOIN organisation o ON o.id = q.org_id JOIN cluster c ON c.id = q.cluster_id"

static void request_row(struct db_stmt *st, struct join_request *q)
{
	memset(q, 0, sizeof(*q));
	q->id = db_col_int(st, 0);
	q->cluster_id = db_col_int(st, 1);
	q->org_id = db_col_int(st, 2);
	q->requested_by = db_col_int(st, 3);
	copy_str(q->email, sizeof(q->email), db_col_text(st, 4));
	q->message = dup_or_null(db_col_text(st, 5));
	q->reason = dup_or_null(db_col_text(st, 6));
	copy_str(q->lang, sizeof(q->lang), lang_ok(db_col_text(st, 7)));
	copy_str(q->status, sizeof(q->status), db_col_text(st, 8));
	q->org_name = dup_or_null(db_col_text(st, 9));
	q->cluster_name = dup_or_null(db_col_text(st, 10));
	q->cluster_acronym = dup_or_null(db_col_text(st, 11));
	q->created_at = db_col_int(st, 12);
}

int mod_request_get(struct db *db, long long id, struct join_request *q, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	memset(q, 0, sizeof(*q));
	if (db_prepare(db, "SELECT " REQUEST_COLS " WHERE q.id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st, e);
	if (rc == 1)
		request_row(st, q);
	db_finalize(st);
	if (rc == 0)
		return kerr_set(e, KERR_NOTFOUND, "no membership request #%lld", id);
	return rc < 0 ? -1 : 0;
}

int mod_request_list(struct db *db, long long cluster_id, long offset, long limit, long long *total,
		     int (*each)(void *ctx, const struct join_request *q), void *ctx, struct kerr *e)
{
	struct db_stmt *st;
	struct join_request q;
	int rc;
	if (count_pending(db, "SELECT COUNT(*) FROM membership_request q JOIN organisation o ON o.id = q.org_id"
			  " JOIN cluster c ON c.id = q.cluster_id WHERE q.status = 'pending'"
			  " AND (? < 0 OR q.cluster_id = ?)", cluster_id, total, e))
		return -1;
	if (db_prepare(db, "SELECT " REQUEST_COLS " WHERE q.status = 'pending' AND (? < 0 OR q.cluster_id = ?)"
		       " ORDER BY q.created_at, q.id LIMIT ? OFFSET ?", &st, e))
		return -1;
	db_bind_int(st, 1, cluster_id);
	db_bind_int(st, 2, cluster_id);
	db_bind_int(st, 3, limit);
	db_bind_int(st, 4, offset);
	while ((rc = db_step(st, e)) == 1) {
		int stop;
		request_row(st, &q);
		stop = each(ctx, &q);
		join_request_release(&q);
		if (stop)
			break;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int mod_request_accept(struct db *db, long long id, long long moderator_id, const char *ip, struct join_request *q,
		       struct kerr *e)
{
	char detail[80];
	memset(q, 0, sizeof(*q));
	if (decide(db, "membership_request", id, "accepted", NULL, moderator_id, e) || mod_request_get(db, id, q, e))
		return -1;
	switch (mod_membership_state(db, q->cluster_id, q->org_id, e)) {
	case -1:
		return -1;
	case 1:
		return kerr_set(e, KERR_CONFLICT, "%s is already a member of %s", q->org_name, q->cluster_name);
	}
	if (add_member(db, q->cluster_id, q->org_id, e))
		return -1;
	snprintf(detail, sizeof(detail), "organisation #%lld joins cluster #%lld", q->org_id, q->cluster_id);
	return auth_audit(db, moderator_id, ip, "membership-request-accept", "membership_request", id, detail, e);
}

int mod_request_decline(struct db *db, long long id, const char *reason, long long moderator_id, const char *ip,
			struct join_request *q, struct kerr *e)
{
	memset(q, 0, sizeof(*q));
	if (mod_text_check(reason, "reason", 0, e) ||
	    decide(db, "membership_request", id, "declined", reason, moderator_id, e) || mod_request_get(db, id, q, e))
		return -1;
	return auth_audit(db, moderator_id, ip, "membership-request-decline", "membership_request", id,
			  reason && *reason ? reason : NULL, e);
}

int mod_cluster_coordinators(struct db *db, long long cluster_id,
			     int (*each)(void *ctx, const char *email, const char *lang), void *ctx, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT email, lang FROM app_user WHERE role = 'coordinator' AND cluster_id = ?"
		       " AND status = 'active' AND blocked_at IS NULL ORDER BY id", &st, e))
		return -1;
	db_bind_int(st, 1, cluster_id);
	while ((rc = db_step(st, e)) == 1)
		if (each(ctx, db_col_text(st, 0), lang_ok(db_col_text(st, 1))))
			break;
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int mod_membership_check(struct db *db, long long cluster_id, long long org_id, struct kerr *e)
{
	long long coord = 0, current = 0;
	char cid[24], oid[24];
	snprintf(cid, sizeof(cid), "%lld", cluster_id);
	snprintf(oid, sizeof(oid), "%lld", org_id);
	/* the coordinator stays a member while it coordinates: the cluster's
	 * page would name a former member as its coordinator */
	if (db_query_int(db, &coord, e, "SELECT COUNT(*) FROM cluster WHERE id = ? AND coordinator_id = ?", cid, oid,
			 NULL) < 0)
		return -1;
	if (coord)
		return kerr_set(e, KERR_CONFLICT, "organisation #%lld coordinates cluster #%lld: its membership cannot end "
				"while it does (the cluster's coordinator is changed first, by importing the cluster)",
				org_id, cluster_id);
	if (db_query_int(db, &current, e, "SELECT COUNT(*) FROM membership WHERE cluster_id = ? AND org_id = ?"
			 " AND left_on IS NULL", cid, oid, NULL) < 0)
		return -1;
	if (!current)
		return kerr_set(e, KERR_NOTFOUND, "organisation #%lld is not a current member of cluster #%lld", org_id,
				cluster_id);
	return 0;
}

int mod_membership_end(struct db *db, long long cluster_id, long long org_id, long long moderator_id,
		       const char *ip, struct kerr *e)
{
	struct db_stmt *st;
	char today[11], now[32];
	int rc;
	if (mod_membership_check(db, cluster_id, org_id, e))
		return -1;
	dir_now(now);
	snprintf(today, sizeof(today), "%.10s", now);
	if (db_prepare(db, "UPDATE membership SET left_on = ? WHERE cluster_id = ? AND org_id = ? AND left_on IS NULL"
		       " RETURNING org_id", &st, e))
		return -1;
	db_bind_text(st, 1, today);
	db_bind_int(st, 2, cluster_id);
	db_bind_int(st, 3, org_id);
	rc = db_step(st, e);
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return kerr_set(e, KERR_NOTFOUND, "organisation #%lld is not a current member of cluster #%lld", org_id,
				cluster_id);
	{
		char detail[64];
		snprintf(detail, sizeof(detail), "cluster #%lld, left on %s", cluster_id, today);
		return auth_audit(db, moderator_id, ip, "membership-end", "organisation", org_id, detail, e);
	}
}
