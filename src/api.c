/* api.c — the JSON API under /api/v1/ and its OpenAPI document. */
#include "web.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>

#include "esc.h"
#include "static.h"

/*
 * The query parameters a handler reads must be text (web_args_text: UTF-8
 * without control characters): a value that is not (q=%FF, Latin-2 bytes,
 * a tab) is a 400 naming the parameter, never a filter quietly dropped or
 * a match of nothing.  names is NULL-terminated; answers and returns -1 for
 * the first bad one, else 0.
 */
static int api_args_utf8(struct req *r, const char *const *names)
{
	struct kerr e = KERR_INIT;
	if (!web_args_text(r, names, &e))
		return 0;
	req_error(r, 400, e.msg);
	return -1;
}

/*
 * The query parameters each operation of the API takes, read once from the
 * OpenAPI document the server publishes (static/openapi.json): the one list
 * of them, which tests/http/test_openapi.py holds to what the handlers do.
 */
struct api_op {
	char *method;          /* "GET", "PUT" … */
	char **seg;            /* the path's segments; "{…}" stands for any one */
	size_t nseg;
	char **param;          /* the query parameters it takes (nparam of them), then "lang", NULL */
	size_t nparam;
};

static struct api_op *api_ops;
static size_t api_nops;
static pthread_once_t api_ops_once = PTHREAD_ONCE_INIT;

/* path's segments (after "/"), each a string of its own, into *seg. */
static size_t split_path(const char *path, char ***seg)
{
	size_t n = 0;
	const char *p = path;
	*seg = NULL;
	while (*p == '/') {
		const char *end = strchr(p + 1, '/');
		size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);
		*seg = xrealloc(*seg, st_mult(n + 1, sizeof(**seg)));
		(*seg)[n] = xmalloc(len + 1);
		memcpy((*seg)[n], p + 1, len);
		(*seg)[n++][len] = '\0';
		p += len + 1;
	}
	return n;
}

static void api_ops_load(void)
{
	const struct static_file *f = static_find("openapi.json");
	json_t *doc = f ? json_loads(f->data, 0, NULL) : NULL, *item, *op;
	const char *path, *method;
	if (!doc)
		BUG("openapi.json is not embedded or not JSON");
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		json_object_foreach(item, method, op) {
			struct api_op *o;
			json_t *p, *lists[2];
			size_t k, l;
			char *m;
			if (!json_is_object(op) || strcmp(method, "parameters") == 0)
				continue;
			api_ops = xrealloc(api_ops, st_mult(api_nops + 1, sizeof(*api_ops)));
			o = &api_ops[api_nops++];
			memset(o, 0, sizeof(*o));
			o->method = m = xstrdup(method);
			for (; *m; m++)
				*m = (char)toupper((unsigned char)*m);
			o->nseg = split_path(path, &o->seg);
			o->param = xcalloc(1, sizeof(*o->param));
			/* the operation's parameters and the path's, shared by its operations */
			lists[0] = json_object_get(op, "parameters");
			lists[1] = json_object_get(item, "parameters");
			for (l = 0; l < 2; l++)
				json_array_foreach(lists[l], k, p) {
					const char *in = json_string_value(json_object_get(p, "in"));
					const char *name = json_string_value(json_object_get(p, "name"));
					if (!in || !name || strcmp(in, "query") != 0)
						continue;
					o->param = xrealloc(o->param, st_mult(o->nparam + 2, sizeof(*o->param)));
					o->param[o->nparam++] = xstrdup(name);
					o->param[o->nparam] = NULL;
				}
			/* and lang= on any (a download's language), after the NULL-terminated list's
			 * nparam that messages name */
			o->param = xrealloc(o->param, st_mult(o->nparam + 2, sizeof(*o->param)));
			o->param[o->nparam] = (char *)"lang";
			o->param[o->nparam + 1] = NULL;
		}
	}
	json_decref(doc);
}

/* 1 when path ("/api/v1/offers/7") is o's, a "{…}" segment standing for any one not empty. */
static int path_is(const struct api_op *o, const char *path)
{
	size_t j;
	for (j = 0; j < o->nseg; j++) {
		const char *end;
		size_t len;
		if (*path++ != '/')
			return 0;
		end = strchr(path, '/');
		len = end ? (size_t)(end - path) : strlen(path);
		if (o->seg[j][0] == '{' ? len == 0 : strlen(o->seg[j]) != len || memcmp(o->seg[j], path, len) != 0)
			return 0;
		path += len;
	}
	return *path == '\0';
}

/* The operation of method on path in the document, or NULL. */
static const struct api_op *api_op_find(const char *method, const char *path)
{
	size_t k;
	pthread_once(&api_ops_once, api_ops_load);
	for (k = 0; k < api_nops; k++)
		if (strcmp(api_ops[k].method, method) == 0 && path_is(&api_ops[k], path))
			return &api_ops[k];
	return NULL;
}

int web_param_refused(struct req *r, const char *const *params, size_t nnamed, const char *done)
{
	const char *unknown = req_unknown_arg(r, params);
	struct buf msg = BUF_INIT;
	char cut[41];
	size_t k;
	if (!unknown)
		return 0;
	buf_printf(&msg, "%s: not a parameter of this request (it takes ", esc_cut(cut, unknown, 40));
	for (k = 0; k < nnamed; k++)
		buf_printf(&msg, "%s%s", k ? (k + 1 < nnamed ? ", " : " or ") : "", params[k]);
	buf_printf(&msg, "%s)%s%s", nnamed ? "" : "none", done ? "; nothing was " : "", done ? done : "");
	req_error(r, 400, msg.ptr);
	buf_release(&msg);
	return -1;
}

int web_api_query_ok(struct req *r)
{
	const struct api_op *op = api_op_find(strcmp(r->method, "HEAD") == 0 ? "GET" : r->method, r->path);
	/* lang= follows the operation's own parameters in its list, unnamed in the message */
	return !op || web_param_refused(r, (const char *const *)op->param, op->nparam, NULL) == 0;
}

/* A request body must say it is JSON (Content-Type application/json, with
 * any parameters): a form or plain text is a 415 naming the type to send,
 * not a body guessed at.  Answers and returns -1, else 0. */
static int api_body_json(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	size_t n = strlen("application/json");
	if (ct && strncasecmp(ct, "application/json", n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
		return 0;
	req_error(r, 415, ct && *ct ? "Content-Type: the body must be sent as application/json"
			      : "Content-Type: the header is missing; the body must be sent as application/json");
	return -1;
}

static void json_str_field(struct buf *b, const char *key, const char *v, int comma)
{
	if (comma)
		buf_putc(b, ',');
	esc_json(b, key);
	buf_putc(b, ':');
	if (v)
		esc_json(b, v);
	else
		buf_puts(b, "null");
}

static void org_json(struct buf *b, const struct org *o)
{
	buf_printf(b, "{\"id\":%lld", o->id);
	json_str_field(b, "name", o->name, 1);
	json_str_field(b, "type", o->type, 1);
	json_str_field(b, "size_class", o->size_class, 1);
	json_str_field(b, "nip", o->nip, 1);
	json_str_field(b, "regon", o->regon, 1);
	json_str_field(b, "krs", o->krs, 1);
	buf_printf(b, ",\"pkd_version\":%d", o->pkd_version);
	json_str_field(b, "pkd", o->pkd, 1);
	json_str_field(b, "pkd_section", o->pkd_section, 1);
	json_str_field(b, "street", o->street, 1);
	json_str_field(b, "postal_code", o->postal_code, 1);
	json_str_field(b, "city", o->city, 1);
	json_str_field(b, "teryt", o->teryt, 1);
	json_str_field(b, "voivodeship", o->voivodeship, 1);
	json_str_field(b, "voivodeship_name", o->voivodeship_name, 1);
	if (o->has_coords)
		buf_printf(b, ",\"lat\":%.6f,\"lon\":%.6f", o->lat, o->lon);
	else
		buf_puts(b, ",\"lat\":null,\"lon\":null");
	json_str_field(b, "website", o->website, 1);
	json_str_field(b, "email", o->email, 1);
	json_str_field(b, "phone", o->phone, 1);
	json_str_field(b, "description_pl", o->description_pl, 1);
	json_str_field(b, "description_en", o->description_en, 1);
	buf_printf(b, ",\"demo\":%s}", o->demo ? "true" : "false");
}

struct jlist {
	struct buf *b;
	int n;
};

static int org_json_item(void *ctx, const struct org *o)
{
	struct jlist *jl = ctx;
	if (jl->n++)
		buf_putc(jl->b, ',');
	org_json(jl->b, o);
	return 0;
}

void h_api_orgs(struct req *r)
{
	struct org_query q;
	struct kerr e = KERR_INIT;
	long long total = 0;
	struct jlist jl = { &r->out, 0 };
	static const char *const args[] = { "q", "type", "size", "section", "pkd", "pkd_version", "voiv", "cluster",
					    "sort", "page", "per_page", NULL };

	if (api_args_utf8(r, args))
		return;
	if (web_org_query(r, &q, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"items\":[");
	if (web_org_search(r, &q, &total, org_json_item, &jl, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	buf_printf(&r->out, "],\"total\":%lld,\"page\":%ld,\"per_page\":%ld}\n", total, q.page, q.per_page);
}

/* The organisation's number in the path: digits only ("+5" or " 5" are not
 * another name for organisation 5); 0 when it is none. */
static long long org_id_arg(const struct req *r)
{
	const char *p;
	for (p = r->arg; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	if (!*r->arg || strlen(r->arg) > 18)
		return 0;
	return strtoll(r->arg, NULL, 10);
}

/* The 404 of an id that is not one: as the one of an id no organisation
 * has, and saying what an id is. */
static void org_id_not_found(struct req *r)
{
	struct buf msg = BUF_INIT;
	buf_puts(&msg, "no organisation with id '");
	buf_add(&msg, r->arg, strlen(r->arg) > 40 ? 40 : strlen(r->arg));
	buf_puts(&msg, "': an id is a whole number from 1");
	req_error(r, 404, utf8_valid(msg.ptr, msg.len) ? msg.ptr : "no organisation with this id: an id is a whole number from 1");
	buf_release(&msg);
}

void h_api_org(struct req *r)
{
	struct org o;
	struct kerr e = KERR_INIT;
	long long id = org_id_arg(r);
	if (id <= 0) {
		org_id_not_found(r);
		return;
	}
	if (dir_org_get(r->db, id, &o, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	r->ctype = "application/json";
	org_json(&r->out, &o);
	buf_putc(&r->out, '\n');
	org_release(&o);
}

/* Stores o (from the request's body) with its audit entry in one
 * transaction, as every change of the portal (auth.h; an unchanged record
 * is no change), and answers with the stored record. */
static void org_store(struct req *r, struct org *o)
{
	struct kerr e = KERR_INIT;
	enum upsert_result res;
	long long id;
	if (db_begin(r->db, &e) || dir_org_upsert(r->db, o, &res, &e) ||
	    (res != UPSERT_UNCHANGED &&
	     auth_audit(r->db, r->user_id, r->ip, res == UPSERT_INSERTED ? "org-create" : "org-update", "organisation",
			o->id, "API", &e)) ||
	    db_commit(r->db, &e)) {
		db_rollback(r->db);
		org_release(o);
		req_error_kerr(r, &e);
		return;
	}
	id = o->id;
	org_release(o);
	if (dir_org_get(r->db, id, o, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	r->status = res == UPSERT_INSERTED ? 201 : 200;
	r->ctype = "application/json";
	org_json(&r->out, o);
	buf_putc(&r->out, '\n');
	{
		char loc[64];
		snprintf(loc, sizeof(loc), "/api/v1/organisations/%lld", id);
		req_header_add(r, "Location", loc);
	}
	org_release(o);
}

/* POST /api/v1/organisations: one JSON object with the import columns; the
 * record it names (NIP, REGON, name and postal code) is replaced whole. */
void h_api_org_post(struct req *r)
{
	struct org o;
	struct kerr e = KERR_INIT;
	if (!r->body) {
		req_error(r, 400, "a JSON object is required as the request body");
		return;
	}
	if (api_body_json(r))
		return;
	if (org_from_json(&o, r->body, r->body_len, r->db, &e)) {
		/* a body that is not an object of scalars is 400; a valid object
		 * with invalid values is 422 */
		req_error(r, e.kind == KERR_USAGE ? 400 : 422, e.msg);
		return;
	}
	org_store(r, &o);
}

/* PATCH /api/v1/organisations/ID: the fields the body names change, the
 * others keep their values (null empties a field). */
void h_api_org_patch(struct req *r)
{
	struct org cur, o;
	struct kerr e = KERR_INIT;
	long long id = org_id_arg(r);
	int rc;
	if (id <= 0) {
		org_id_not_found(r);
		return;
	}
	if (!r->body) {
		req_error(r, 400, "a JSON object is required as the request body");
		return;
	}
	if (api_body_json(r))
		return;
	if (dir_org_get(r->db, id, &cur, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	rc = org_patch_json(&o, &cur, r->body, r->body_len, r->db, &e);
	org_release(&cur);
	if (rc) {
		req_error(r, e.kind == KERR_USAGE ? 400 : 422, e.msg);
		return;
	}
	org_store(r, &o);
}

static void cluster_json(struct buf *b, const struct cluster *c)
{
	buf_printf(b, "{\"id\":%lld", c->id);
	json_str_field(b, "acronym", c->acronym, 1);
	json_str_field(b, "name", c->name, 1);
	if (c->coordinator_id)
		buf_printf(b, ",\"coordinator_id\":%lld", c->coordinator_id);
	else
		buf_puts(b, ",\"coordinator_id\":null");
	json_str_field(b, "coordinator_name", c->coordinator_name, 1);
	if (c->founded)
		buf_printf(b, ",\"founded\":%d", c->founded);
	else
		buf_puts(b, ",\"founded\":null");
	json_str_field(b, "region", c->region, 1);
	json_str_field(b, "region_name", c->region_name, 1);
	json_str_field(b, "sectors", c->sectors, 1);
	json_str_field(b, "labels", c->labels, 1);
	json_str_field(b, "website", c->website, 1);
	json_str_field(b, "email", c->email, 1);
	json_str_field(b, "description_pl", c->description_pl, 1);
	json_str_field(b, "description_en", c->description_en, 1);
	buf_printf(b, ",\"members\":%lld,\"demo\":%s}", c->nmembers, c->demo ? "true" : "false");
}

static int cluster_json_item(void *ctx, const struct cluster *c)
{
	struct jlist *jl = ctx;
	if (jl->n++)
		buf_putc(jl->b, ',');
	cluster_json(jl->b, c);
	return 0;
}

void h_api_clusters(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct jlist jl = { &r->out, 0 };
	const char *q = req_arg(r, "q"), *voiv = req_arg(r, "voiv");
	static const char *const args[] = { "q", "voiv", NULL };
	if (api_args_utf8(r, args))
		return;
	if (cluster_query_check_db(r->db, q, voiv, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"items\":[");
	if (dir_cluster_list(r->db, q, voiv, cluster_json_item, &jl, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	buf_printf(&r->out, "],\"total\":%d}\n", jl.n);
}

static int member_json_item(void *ctx, const struct member *m)
{
	struct jlist *jl = ctx;
	if (jl->n++)
		buf_putc(jl->b, ',');
	buf_puts(jl->b, "{");
	json_str_field(jl->b, "role", m->role, 0);
	json_str_field(jl->b, "joined", m->joined, 1);
	json_str_field(jl->b, "left", m->left_on, 1);
	if (m->nearlier) {
		size_t i;
		/* earlier periods of the same organisation in the cluster, oldest first */
		buf_puts(jl->b, ",\"earlier\":[");
		for (i = 0; i < m->nearlier; i++) {
			buf_puts(jl->b, i ? ",{" : "{");
			json_str_field(jl->b, "role", m->earlier[i].role, 0);
			json_str_field(jl->b, "joined", m->earlier[i].joined, 1);
			json_str_field(jl->b, "left", m->earlier[i].left_on, 1);
			buf_puts(jl->b, "}");
		}
		buf_puts(jl->b, "]");
	}
	buf_puts(jl->b, ",\"organisation\":");
	org_json(jl->b, &m->org);
	buf_puts(jl->b, "}");
	return 0;
}

void h_api_cluster(struct req *r)
{
	struct cluster c;
	struct kerr e = KERR_INIT;
	struct jlist jl = { &r->out, 0 };
	if (strlen(r->arg) > 100 || dir_cluster_get(r->db, r->arg, &c, &e)) {
		if (e.kind == KERR_DB)
			req_error_kerr(r, &e);
		else
			req_error(r, 404, "no such cluster");
		return;
	}
	r->ctype = "application/json";
	cluster_json(&r->out, &c);
	buf_truncate(&r->out, r->out.len - 1);
	buf_puts(&r->out, ",\"membership\":[");
	if (dir_cluster_members(r->db, c.id, member_json_item, &jl, &e)) {
		cluster_release(&c);
		req_error_kerr(r, &e);
		return;
	}
	buf_puts(&r->out, "]}\n");
	cluster_release(&c);
}

/*
 * A query's rows as {"items":[{…}],"total":N}: one table-driven writer for
 * the reference lists.  cols name the JSON keys in column order; a name
 * starting with '#' is written as a number (the '#' dropped).  binds are
 * the text parameters (NULL-terminated).
 */
static void api_rows(struct req *r, const char *sql, const char *const *cols, const char *const *binds)
{
	struct db_stmt *st;
	struct kerr e = KERR_INIT;
	int n = 0, rc, i;
	if (db_prepare(r->db, sql, &st, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	for (i = 0; binds[i]; i++)
		db_bind_text(st, i + 1, binds[i]);
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"items\":[");
	while ((rc = db_step(st, &e)) == 1) {
		buf_puts(&r->out, n++ ? ",{" : "{");
		for (i = 0; cols[i]; i++) {
			const char *v = db_col_text(st, i);
			if (cols[i][0] == '#') {
				if (i)
					buf_putc(&r->out, ',');
				esc_json(&r->out, cols[i] + 1);
				buf_printf(&r->out, ":%lld", v ? strtoll(v, NULL, 10) : 0LL);
			} else {
				json_str_field(&r->out, cols[i], v, i > 0);
			}
		}
		buf_puts(&r->out, "}");
	}
	db_finalize(st);
	if (rc < 0) {
		buf_reset(&r->out);
		req_error_kerr(r, &e);
		return;
	}
	buf_printf(&r->out, "],\"total\":%d}\n", n);
}

/* A query parameter of a reference list: absent and empty are the same (no
 * filter), as in the organisations' search. */
static const char *list_arg(struct req *r, const char *name)
{
	const char *v = req_arg(r, name);
	return v && *v ? v : NULL;
}

/* 400 "NAME: 'VALUE' is not one of WHAT". */
static void not_one_of(struct req *r, const char *name, const char *v, const char *what)
{
	char msg[200];
	snprintf(msg, sizeof(msg), "%s: '%.40s' is not one of %s", name, v, what);
	req_error(r, 400, msg);
}

void h_api_regions(struct req *r)
{
	static const char *const cols[] = { "teryt", "level", "parent", "name", "nuts2", NULL };
	static const char *const args[] = { "level", NULL };
	const char *level = list_arg(r, "level");
	const char *binds[] = { level ? level : "", level ? level : "", NULL };
	if (api_args_utf8(r, args))
		return;
	if (level && strcmp(level, "voivodeship") && strcmp(level, "powiat")) {
		not_one_of(r, "level", level, "voivodeship, powiat");
		return;
	}
	api_rows(r, "SELECT teryt, level, parent, name, nuts2 FROM region WHERE (? = '' OR level = ?) ORDER BY teryt",
		 cols, binds);
}

void h_api_pkd(struct req *r)
{
	static const char *const cols[] = { "#version", "level", "code", "parent", "name_pl", "name_en", NULL };
	static const char *const levels[] = { "section", "division", "group", "class", "subclass" };
	static const char *const args[] = { "version", "level", "parent", NULL };
	const char *ver = list_arg(r, "version"), *level = list_arg(r, "level"), *parent = list_arg(r, "parent");
	const char *binds[] = { ver ? ver : "2007", level ? level : "", level ? level : "", parent ? parent : "",
				parent ? parent : "", NULL };
	size_t i;
	if (api_args_utf8(r, args))
		return;
	if (ver && strcmp(ver, "2007") && strcmp(ver, "2025")) {
		not_one_of(r, "version", ver, "2007, 2025");
		return;
	}
	for (i = 0; level && i < sizeof(levels) / sizeof(levels[0]) && strcmp(level, levels[i]); i++)
		;
	if (level && i == sizeof(levels) / sizeof(levels[0])) {
		not_one_of(r, "level", level, "section, division, group, class, subclass");
		return;
	}
	if (parent) {
		/* a parent the edition does not have is a mistake to say, not an empty list */
		struct kerr e = KERR_INIT;
		long long n = 0;
		if (db_query_int(r->db, &n, &e, "SELECT COUNT(*) FROM pkd WHERE version = ? AND code = ?", binds[0],
				 parent, NULL) < 0) {
			req_error_kerr(r, &e);
			return;
		}
		if (!n) {
			char msg[200];
			snprintf(msg, sizeof(msg), "parent: PKD %s has no code '%.40s' (a section A, a division 62, a group "
				 "62.0 or a class 62.01)", binds[0], parent);
			req_error(r, 400, msg);
			return;
		}
	}
	api_rows(r, "SELECT version, level, code, parent, name_pl, name_en FROM pkd WHERE version = ?"
		 " AND (? = '' OR level = ?) AND (? = '' OR parent = ?) ORDER BY code", cols, binds);
}

void h_api_stats(struct req *r)
{
	struct voiv_stat *vs;
	size_t n, i;
	struct kerr e = KERR_INIT;
	if (dir_voiv_stats(r->db, &vs, &n, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"voivodeships\":[");
	for (i = 0; i < n; i++) {
		buf_puts(&r->out, i ? ",{" : "{");
		json_str_field(&r->out, "teryt", vs[i].teryt, 0);
		json_str_field(&r->out, "name", vs[i].name, 1);
		buf_printf(&r->out, ",\"organisations\":%lld,\"clusters\":%lld}", vs[i].orgs, vs[i].clusters);
	}
	buf_puts(&r->out, "]}\n");
	dir_voiv_stats_free(vs, n);
}
