/* http.c — libmicrohttpd glue, routing, request lifecycle (see http.h). */
#include "http.h"
#include "valid.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "esc.h"
#include "dir.h"
#include "web.h"

/* The content types handlers use, so a cached response can point at a
 * constant string instead of a copy. */
/* The content types a cached response may have, as static strings (a
 * cached response's own copy is freed with its entry); NULL for any other,
 * which is then not cached. */
static const char *ctype_intern(const char *t)
{
	static const char *const known[] = { "text/html; charset=utf-8", "application/json", "image/svg+xml",
					     "text/csv; charset=utf-8", "image/png", "application/pdf" };
	size_t i;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i], t) == 0)
			return known[i];
	return NULL;
}

/* Longest argument of a "*" route pattern (bytes, with the NUL). */
#define ROUTE_SEG_MAX 128

struct conn_state {
	struct buf body;
	int begun;                   /* on_request has seen the headers */
	int nul_path;                /* the raw path holds "%00" (on_uri) */
	size_t uri_len;              /* the address's length as it came (on_uri) */
	size_t nargs;                /* parameters in the raw query (on_uri) */
	int too_big;
	int responded;
	int keep_body;               /* only routes that take a body buffer it */
	const struct route *rt;
	const char *arg;
	char seg[ROUTE_SEG_MAX];     /* the argument of a "*" pattern */
};

const char *req_arg(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct unknown_arg {
	const char *const *known;
	const char *first;
};

static enum MHD_Result unknown_arg_each(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct unknown_arg *u = cls;
	const char *const *k;
	(void)kind;
	(void)value;
	for (k = u->known; *k; k++)
		if (strcmp(*k, key) == 0)
			return MHD_YES;
	u->first = key;
	return MHD_NO;
}

const char *req_unknown_arg(struct req *r, const char *const *known)
{
	struct unknown_arg u = { known, NULL };
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, unknown_arg_each, &u);
	return u.first;
}

struct arg_count {
	const char *name;
	size_t n;
};

static enum MHD_Result arg_count_each(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct arg_count *a = cls;
	(void)kind;
	(void)value;
	a->n += strcmp(a->name, key) == 0;
	return MHD_YES;
}

size_t req_arg_count(struct req *r, const char *name)
{
	struct arg_count a = { name, 0 };
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, arg_count_each, &a);
	return a.n;
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void req_header_add(struct req *r, const char *name, const char *value)
{
	struct buf b = BUF_INIT;
	if (r->nheaders >= (int)(sizeof(r->headers) / sizeof(r->headers[0])))
		BUG("too many response headers");
	buf_printf(&b, "%s: %s", name, value);
	r->headers[r->nheaders++] = buf_detach(&b, NULL);
}

const char *req_lang_arg(struct req *r)
{
	const char *q = req_arg(r, "lang");
	return q && (strcmp(q, "pl") == 0 || strcmp(q, "en") == 0) ? q : NULL;
}

void req_uncacheable(struct req *r)
{
	r->cache_gen = -1;
}

void req_redirect(struct req *r, const char *location)
{
	r->status = 303;
	req_header_add(r, "Location", location);
	buf_reset(&r->out);
}

static int route_is_api(const struct req *r)
{
	return req_is_api(r);
}

void req_error(struct req *r, int status, const char *message)
{
	buf_reset(&r->out);
	r->status = status;
	if (route_is_api(r)) {
		r->ctype = "application/json";
		buf_printf(&r->out, "{\"error\":{\"status\":%d,\"message\":", status);
		esc_json(&r->out, message);
		buf_puts(&r->out, "}}\n");
	} else {
		r->ctype = "text/html; charset=utf-8";
		web_error_page(r, status, message);
	}
}

/* ---- a database that is away ----
 * While the database cannot be reached (a PostgreSQL server down or restarting) or stays busy past
 * the wait (db_unavailable), a request that met it is answered 503 with Retry-After, whatever
 * its handler made of the failure, and the log says so once: one line when the database goes
 * away, one when it answers again, not one a request.  Each request tries to reconnect
 * (db_pool_get), so the server comes back by itself. */

/* Seconds a client is told to wait: a PostgreSQL restart takes a few. */
#define DB_RETRY_AFTER "5"

static pthread_mutex_t db_state_mu = PTHREAD_MUTEX_INITIALIZER;
static int db_state_away;   /* the log last said the database is away */

/* Notes how a use of a connection went, for the log's two lines (before db_pool_put). */
static void db_state_note(struct db *db)
{
	int away = db_unavailable(db), back = !away && db_answered(db);
	if (!away && !back)
		return;
	pthread_mutex_lock(&db_state_mu);
	if (away && !db_state_away)
		fprintf(stderr, "klaster: the database is unavailable; pages and the API answer 503 until it "
			"answers again: %s\n", db_unavailable_msg(db));
	else if (back && db_state_away)
		fprintf(stderr, "klaster: the database answers again\n");
	db_state_away = away;
	pthread_mutex_unlock(&db_state_mu);
}

/* The answer of a request that met a database that is away: 503, Retry-After, the message in
 * the route's format (a page says it in both languages, web_error_page) and none of the
 * response's own headers (a redirect, a cookie); never cached. */
static void req_unavailable(struct req *r)
{
	while (r->nheaders > 0)
		free(r->headers[--r->nheaders]);
	req_header_add(r, "Retry-After", DB_RETRY_AFTER);
	req_error(r, 503, "the database cannot be reached at the moment; please try again in a few seconds");
	r->cache_gen = -1;
}

void req_error_kerr(struct req *r, const struct kerr *e)
{
	int status = kerr_http_status(e->kind);
	if (status >= 500 && r->db && db_unavailable(r->db)) {
		req_unavailable(r);   /* logged once, by db_state_note */
		return;
	}
	if (status >= 500) {
		fprintf(stderr, "klaster: %s %s: %s\n", r->method, r->path, e->msg);
		/* in English on the API, as its every other message */
		req_error(r, status, L_msg(r, "Błąd serwera. Spróbuj ponownie za chwilę.",
					   "Server error. Please try again in a moment."));
		return;
	}
	req_error(r, status, e->msg);
}

/* ---- routing ---- */

/* A plain pattern matches the whole path.  An R_PREFIX pattern matches one
 * more path segment, either at its end ("/clusters/") or in place of its
 * one '*' ("/clusters/" '*' "/join"); the segment becomes the argument
 * (copied into seg, segsz bytes, for a '*' pattern). */
static int route_match(const struct route *rt, const char *path, const char **arg, char *seg, size_t segsz)
{
	if (rt->flags & R_PREFIX) {
		const char *star = strchr(rt->pattern, '*');
		size_t n = star ? (size_t)(star - rt->pattern) : strlen(rt->pattern);
		const char *end;
		if (strncmp(path, rt->pattern, n) != 0 || !path[n])
			return 0;
		end = strchr(path + n, '/');
		if (!star) {
			if (end)
				return 0;
			*arg = path + n;
			return 1;
		}
		if (!end || end == path + n || (size_t)(end - path - n) >= segsz || strcmp(end, star + 1) != 0)
			return 0;
		memcpy(seg, path + n, (size_t)(end - path - n));
		seg[end - path - n] = '\0';
		*arg = seg;
		return 1;
	}
	*arg = NULL;
	return strcmp(path, rt->pattern) == 0;
}

/* The route for a request: a plain pattern of any table wins over an
 * R_PREFIX one, so "/organisations/new" of one part is not taken for the
 * profile "/organisations/ID" of another. */
static const struct route *find_route(const char *method, const char *path, const char **arg,
				      char *seg, size_t segsz, int *path_known)
{
	const struct route *const *t;
	const struct route *rt;
	int prefix;
	*path_known = 0;
	for (prefix = 0; prefix <= R_PREFIX; prefix += R_PREFIX)
		for (t = route_tables; *t; t++)
			for (rt = *t; rt->method; rt++) {
				const char *a;
				if ((rt->flags & R_PREFIX) != prefix || !route_match(rt, path, &a, seg, segsz))
					continue;
				*path_known = 1;
				if (strcmp(rt->method, method) == 0 ||
				    (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
					*arg = a;
					return rt;
				}
			}
	return NULL;
}

static void allowed_methods(const char *path, struct buf *out)
{
	const struct route *const *t;
	const struct route *rt;
	char seg[ROUTE_SEG_MAX];
	for (t = route_tables; *t; t++)
		for (rt = *t; rt->method; rt++) {
			const char *a;
			if (route_match(rt, path, &a, seg, sizeof(seg)) && !strstr(out->ptr ? out->ptr : "", rt->method)) {
				buf_printf(out, "%s%s", out->len ? ", " : "", rt->method);
				if (strcmp(rt->method, "GET") == 0)
					buf_puts(out, ", HEAD");
			}
		}
}

static void pick_lang(struct req *r)
{
	const char *q = req_lang_arg(r);
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "lang");
	const char *al = req_header(r, "Accept-Language");
	if (q)
		r->lang = q[0] == 'e' ? "en" : "pl";
	else if (c && (strcmp(c, "pl") == 0 || strcmp(c, "en") == 0))
		r->lang = c[0] == 'e' ? "en" : "pl";
	else if (valid_accept_language(al))
		r->lang = valid_accept_language(al);   /* the higher weight of pl and en */
	else
		r->lang = "pl";
}

/* Checks "Authorization: Bearer TOKEN" against the api_token table: the
 * token of an administrator whose account is active and not blocked. */
static int check_admin(struct req *r)
{
	const char *h = req_header(r, "Authorization");
	unsigned char md[32];
	char hex[65];
	long long uid = 0;
	if (!h || strncmp(h, "Bearer ", 7) != 0 || strlen(h + 7) < 16 || strlen(h + 7) > 200)
		return 0;
	crypto_generichash(md, sizeof(md), (const unsigned char *)h + 7, strlen(h + 7), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
	if (db_query_int(r->db, &uid, NULL,
			 "SELECT u.id FROM api_token t JOIN app_user u ON u.id = t.user_id"
			 " WHERE t.token_hash = ? AND u.role = 'admin' AND u.status = 'active' AND u.blocked_at IS NULL",
			 hex, NULL) != 1)
		return 0;
	r->user_id = uid;
	return 1;
}

/* ---- visitors: address, session, CSRF ---- */

static void client_ip(struct req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const char *xff = r->app->trust_proxy ? req_header(r, "X-Forwarded-For") : NULL;
	const char *proto = r->app->trust_proxy ? req_header(r, "X-Forwarded-Proto") : NULL;
	snprintf(r->ip, sizeof(r->ip), "unknown");
	if (xff && *xff) {
		/* the last address is the one the trusted proxy saw */
		const char *last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		snprintf(r->ip, sizeof(r->ip), "%.*s", (int)strcspn(last, " ,"), last);
	} else if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->ip, sizeof(r->ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->ip, sizeof(r->ip));
	}
	r->secure = proto && strcasecmp(proto, "https") == 0;
}

/* Reads the session cookie: a live session makes the request a logged-in one. */
static void load_session(struct req *r)
{
	const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "ksid");
	const char *anon = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "kcsrf");
	if (anon && auth_token_ok(anon))
		snprintf(r->anon, sizeof(r->anon), "%s", anon);
	if (!sid || !auth_token_ok(sid) || !r->db)
		return;
	if (auth_session_get(r->db, sid, r->app->session_idle, &r->user, NULL) == 1) {
		r->logged_in = 1;
		snprintf(r->sid, sizeof(r->sid), "%s", sid);
	}
}

void req_set_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name, value);
	if (max_age >= 0)
		buf_printf(&b, "; Max-Age=%ld", max_age);
	if (r->secure)
		buf_puts(&b, "; Secure");
	req_header_add(r, "Set-Cookie", b.ptr);
	buf_release(&b);
}

void req_csrf(struct req *r, char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char md[32];
	crypto_generichash_state st;
	if (!r->sid[0] && !r->anon[0]) {
		auth_token_new(r->anon, NULL);
		req_set_cookie(r, "kcsrf", r->anon, -1);
	}
	crypto_generichash_init(&st, r->app->csrf_key, sizeof(r->app->csrf_key), sizeof(md));
	if (r->sid[0]) {
		crypto_generichash_update(&st, (const unsigned char *)"session:", 8);
		crypto_generichash_update(&st, (const unsigned char *)r->sid, strlen(r->sid));
	} else {
		crypto_generichash_update(&st, (const unsigned char *)"visitor:", 8);
		crypto_generichash_update(&st, (const unsigned char *)r->anon, strlen(r->anon));
	}
	crypto_generichash_final(&st, md, sizeof(md));
	sodium_bin2hex(out, AUTH_TOKEN_LEN + 1, md, sizeof(md));
}

/* The token of a form must match the visitor's, and a browser's Origin
 * (when sent) must be this site. */
static int csrf_ok(struct req *r)
{
	char want[AUTH_TOKEN_LEN + 1];
	const char *got = req_form(r, "csrf");
	const char *origin = req_header(r, "Origin"), *host = req_header(r, "Host");
	if (!got)
		got = req_header(r, "X-CSRF-Token");
	if (!got || strlen(got) != AUTH_TOKEN_LEN || (!r->sid[0] && !r->anon[0]))
		return 0;
	if (origin && strcmp(origin, "null") != 0) {
		const char *h = strstr(origin, "://");
		if (!host || !h || strcmp(h + 3, host) != 0)
			return 0;
	} else if (origin) {
		return 0;
	}
	req_csrf(r, want);
	return sodium_memcmp(want, got, AUTH_TOKEN_LEN) == 0;
}

/* Decodes the form of an R_FORM route and checks its CSRF token; answers
 * 400/403 and returns 0 when the request must go no further. */
static int form_ok(struct req *r, int upload)
{
	const char *ct = req_header(r, "Content-Type");
	struct kerr e = KERR_INIT;
	if (upload) {
		if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
			req_error(r, 415, L(r, "Formularz z plikiem musi być wysłany jako multipart/form-data.",
					    "A form with a file must be sent as multipart/form-data."));
			return 0;
		}
		if (form_parse_multipart(&r->form, ct, r->body ? r->body : "", r->body_len, &e)) {
			req_error_kerr(r, &e);
			return 0;
		}
	} else if (r->body && (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)) {
		req_error(r, 415, L(r, "Formularz musi być wysłany jako application/x-www-form-urlencoded.",
				    "The form must be sent as application/x-www-form-urlencoded."));
		return 0;
	}
	if (!upload && form_parse(&r->form, r->body, r->body_len, &e)) {
		req_error_kerr(r, &e);
		return 0;
	}
	if (!csrf_ok(r)) {
		req_error(r, 403, L(r, "Formularz wygasł lub pochodzi z innej strony. Wróć, odśwież stronę i wyślij go ponownie.",
				    "The form has expired or came from another site. Go back, reload the page and send it again."));
		return 0;
	}
	return 1;
}

const char *req_form(struct req *r, const char *name)
{
	return form_get(&r->form, name);
}

const struct form_file *req_file(struct req *r, const char *name)
{
	return form_file(&r->form, name);
}

/* The most bytes a request body of route rt may have. */
static size_t body_limit(const struct app *app, const struct route *rt)
{
	return rt && (rt->flags & (R_UPLOAD | R_BIG)) && app->max_upload ? app->max_upload : app->max_body;
}

int req_login(struct req *r, long long user_id, struct kerr *e)
{
	char token[AUTH_TOKEN_LEN + 1];
	if (r->sid[0])
		auth_session_end(r->db, r->sid, NULL);
	if (auth_session_create(r->db, user_id, r->ip, token, e))
		return -1;
	snprintf(r->sid, sizeof(r->sid), "%s", token);
	r->logged_in = auth_user_by_id(r->db, user_id, &r->user, NULL) == 1;
	req_set_cookie(r, "ksid", token, AUTH_SESSION_TTL);
	return 0;
}

void req_logout(struct req *r)
{
	if (r->sid[0])
		auth_session_end(r->db, r->sid, NULL);
	r->sid[0] = '\0';
	r->logged_in = 0;
	req_set_cookie(r, "ksid", "", 0);
}

int req_rate_limited(struct req *r, const char *key1, long limit1, const char *key2, long limit2, long window,
		     const char *message)
{
	struct kerr e = KERR_INIT;
	int ok1 = auth_rate_hit(r->db, key1, window, limit1, &e), ok2 = 1;
	if (ok1 >= 0 && key2)
		ok2 = auth_rate_hit(r->db, key2, window, limit2, &e);
	if (ok1 < 0 || ok2 < 0) {
		req_error_kerr(r, &e);
		return 1;
	}
	if (!ok1 || !ok2) {
		char secs[32];
		snprintf(secs, sizeof(secs), "%ld", window);
		req_header_add(r, "Retry-After", secs);
		req_error(r, 429, message);
		return 1;
	}
	return 0;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value);

int req_deny(struct req *r, int allowed)
{
	if (allowed)
		return 0;
	if (!r->logged_in && strcmp(r->method, "POST") != 0) {
		/* back to the page with its query (/admin/companies?page=2) */
		struct buf here = BUF_INIT, to = BUF_INIT;
		size_t n;
		buf_puts(&here, r->path);
		n = here.len;
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &here);
		if (here.len > n && !buf_failed(&here))
			here.ptr[n] = '?';   /* add_arg began it with '&' */
		buf_puts(&to, "/login?next=");
		esc_url(&to, here.ptr);
		req_redirect(r, to.ptr);
		buf_release(&here);
		buf_release(&to);
		return 1;
	}
	req_error(r, 403, r->logged_in ? L(r, "Twoje konto nie ma uprawnień do tej czynności.",
					   "Your account is not allowed to do this.")
				       : L(r, "Zaloguj się, aby to zrobić.", "Please log in to do this."));
	return 1;
}

/* 1 when r's response is the same in either language and for any cookie: the API's JSON (the API
 * speaks English, L_msg; its downloads, CSV, XLSX and GeoJSON, are in the visitor's language) and
 * the embedded files (req_fixed_etag). */
static int response_lang_free(const struct req *r)
{
	return r->lang_free || (req_is_api(r) && r->ctype && strcmp(r->ctype, "application/json") == 0);
}

static void add_common_headers(struct MHD_Response *resp, const struct req *r)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	/* pages depend on the language cookie and Accept-Language (and the session cookie) */
	if (!response_lang_free(r))
		MHD_add_response_header(resp, "Vary", "Cookie, Accept-Language");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; style-src 'self'; "
				"script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
}

/* 1 when r's handler gave a Cache-Control of its own (the embedded files). */
static int has_cache_control(const struct req *r)
{
	int i;
	for (i = 0; i < r->nheaders; i++)
		if (strncasecmp(r->headers[i], "Cache-Control:", 14) == 0)
			return 1;
	return 0;
}

static enum MHD_Result send_req(struct MHD_Connection *c, struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len;
	char *body;
	int i;

	if (buf_failed(&r->out)) {
		buf_release(&r->out);
		r->status = 500;
		r->ctype = "text/plain; charset=utf-8";
		buf_puts(&r->out, "response too large\n");
	}
	body = buf_detach(&r->out, &len);
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	/* (a 304 goes out with libmicrohttpd's "Content-Length: 0" for its empty body, which this
	 * version adds whatever the response says; clients read no body after a 304) */
	if (r->status != 304)
		MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
	if (r->etag[0] && (r->status == 200 || r->status == 304))
		MHD_add_response_header(resp, "ETag", r->etag);
	add_common_headers(resp, r);
	/* what a logged-in visitor or an administrator's token is shown (an account, the audit log,
	 * a form with its CSRF token) is theirs: kept by no cache, the browser's own included */
	if ((r->logged_in || r->user_id) && !has_cache_control(r))
		MHD_add_response_header(resp, "Cache-Control", "private, no-store");
	for (i = 0; i < r->nheaders; i++) {
		char *colon = strchr(r->headers[i], ':');
		*colon = '\0';
		MHD_add_response_header(resp, r->headers[i], colon + 2);
		free(r->headers[i]);
	}
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result simple_status_h(struct MHD_Connection *c, struct app *app, const char *url,
				       const char *method, int status, const char *msg, const char *hname,
				       const char *hvalue);

static enum MHD_Result simple_status(struct MHD_Connection *c, struct app *app, const char *url,
				     const char *method, int status, const char *msg, const char *allow)
{
	return simple_status_h(c, app, url, method, status, msg, allow ? "Allow" : NULL, allow);
}

/* A request answered before its route runs (simple_status_h, method_not_allowed). */
static void simple_req(struct req *r, struct MHD_Connection *c, struct app *app, const char *url, const char *method)
{
	memset(r, 0, sizeof(*r));
	r->app = app;
	r->conn = c;
	r->path = url;
	r->method = method;
	buf_init(&r->out, 0);
	pick_lang(r);
}

static enum MHD_Result simple_status_h(struct MHD_Connection *c, struct app *app, const char *url,
				       const char *method, int status, const char *msg, const char *hname,
				       const char *hvalue)
{
	struct req r;
	simple_req(&r, c, app, url, method);
	req_error(&r, status, msg);
	if (hname)
		req_header_add(&r, hname, hvalue);
	return send_req(c, &r);
}

/* 405 for a method the address does not take: the message names the method and those it takes
 * (a page in the visitor's language, the API in English), as Allow does. */
static enum MHD_Result method_not_allowed(struct MHD_Connection *c, struct app *app, const char *url,
					  const char *method)
{
	struct req r;
	struct buf allow = BUF_INIT, msg = BUF_INIT;
	char m40[41];
	simple_req(&r, c, app, url, method);
	allowed_methods(url, &allow);
	buf_printf(&msg, L_msg(&r, "metoda %s nie jest dozwolona pod tym adresem: przyjmuje on %s",
			       "the method %s is not allowed at this address: it takes %s"),
		   esc_cut(m40, method, 40), allow.ptr);
	req_error(&r, 405, msg.ptr);
	req_header_add(&r, "Allow", allow.ptr);
	buf_release(&allow);
	buf_release(&msg);
	return send_req(c, &r);
}

/* An answer of a few bytes: a status line, the message as plain text and the fewest headers, for
 * a request whose address has taken most of libmicrohttpd's 32 KiB of the connection (the
 * headers of a full page would no longer fit, and no answer at all would go out). */
static enum MHD_Result tiny_status(struct MHD_Connection *c, int status, const char *msg)
{
	struct buf b = BUF_INIT;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	buf_printf(&b, "%d: %s\n", status, msg);
	resp = MHD_create_response_from_buffer(b.len, b.ptr, MHD_RESPMEM_MUST_COPY);
	buf_release(&b);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "Connection", "close");
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- the response cache ----
 * A public page's response (R_CACHE routes, status 200, no header of its
 * own but a download's Content-Disposition) is kept under its language and URL for the data generation it was made
 * at (cache.h) and the day it was made on; a request first reads the
 * generation, so it never gets a page older than the data it could see
 * itself. */

/* Appends "&key=value" to a buffer, percent-encoded: in a cache key no
 * value can imitate a separator and two different queries never share a
 * key; in a URL it is the query as the browser would send it. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct buf *b = cls;
	(void)kind;
	buf_putc(b, '&');
	esc_url(b, key);
	buf_putc(b, '=');
	esc_url(b, value ? value : "");
	return MHD_YES;
}

/* A response that is the stored 200 of its key (a hit, or one just stored)
 * becomes a 304 without its body when the visitor's If-None-Match names its
 * validator: only what would be that 200 is ever "not modified" (not a 404,
 * an error or a workbook, whose responses have no validator). */
static void not_modified(struct req *r)
{
	if (r->etag[0] && r->status == 200 && valid_etag_matches(req_header(r, "If-None-Match"), r->etag)) {
		r->status = 304;
		buf_reset(&r->out);
	}
}

void req_fixed_etag(struct req *r, const char *etag)
{
	snprintf(r->etag, sizeof(r->etag), "%s", etag);
	r->lang_free = 1;
	not_modified(r);
}

/* The language of r->cache_key ("page LL DAY PATH&ARGS"): the visitor's, or "--" for a response
 * that is the same in both (the API's JSON, response_lang_free), so that one copy and one
 * validator serve every visitor; and the validator of that key (r->etag). */
#define CACHE_KEY_LANG 5   /* where LL is */
static void cache_key_lang(struct req *r, const char *lang)
{
	unsigned char md[12];
	char hex[2 * sizeof(md) + 1];
	if (buf_failed(&r->cache_key)) {
		r->etag[0] = '\0';
		return;
	}
	memcpy(r->cache_key.ptr + CACHE_KEY_LANG, lang, 2);
	crypto_generichash(md, sizeof(md), (const unsigned char *)r->cache_key.ptr, r->cache_key.len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
	/* the process's own mark first: a restart (another version, other settings or
	 * boundaries) gives every page a new validator */
	snprintf(r->etag, sizeof(r->etag), "\"%s-%llx-%s\"", r->app->etag_salt, (unsigned long long)r->cache_gen, hex);
}

/* Serves r from the cache (1: a copy, or 304 when the visitor's If-None-Match
 * names its validator), or arranges for its response to be stored after the
 * handler ran (0).  An API address is looked for without the language first (its JSON), then
 * in the visitor's (a download, whose words are in the visitor's language). */
static int cached_response(struct req *r, int flags)
{
	long long gen = 0, g[3];
	struct buf blob = BUF_INIT;
	int areas = (flags >> R_AREA_SHIFT) & R_AREA_ALL, i, hit, api = req_is_api(r);
	if (!areas)
		areas = R_AREA_ALL;
	if (!r->app->caches[areas] || !r->db || dir_generations(r->db, g))
		return 0;
	/* the sum grows whenever any of the page's areas changes */
	for (i = 0; i < 3; i++)
		if (areas & (1 << i))
			gen += g[i];
	r->cache_in = r->app->caches[areas];
	buf_init(&r->cache_key, 0);
	{
		/* the local date is part of the key: a page may depend on it
		 * (offers leave the listings after their last day, offer.h), so
		 * no cached page outlives midnight */
		char day[16];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		buf_printf(&r->cache_key, "page %s %s ", r->lang, day);
	}
	esc_url(&r->cache_key, r->path);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &r->cache_key);
	r->cache_gen = gen;
	cache_key_lang(r, api ? "--" : r->lang);
	hit = !buf_failed(&r->cache_key) && kcache_get(r->cache_in, gen, r->cache_key.ptr, &blob);
	if (!hit && api) {
		cache_key_lang(r, r->lang);
		hit = !buf_failed(&r->cache_key) && kcache_get(r->cache_in, gen, r->cache_key.ptr, &blob);
	}
	if (hit) {
		/* ctype, NUL, each header line and NUL, NUL, body (cache_store) */
		size_t at = strlen(blob.ptr) + 1, n;
		r->ctype = ctype_intern(blob.ptr);   /* one of those cache_store keeps */
		while ((n = strlen(blob.ptr + at)) > 0) {
			if (r->nheaders < (int)(sizeof(r->headers) / sizeof(r->headers[0])))
				r->headers[r->nheaders++] = xstrdup(blob.ptr + at);
			at += n + 1;
		}
		at++;
		buf_add(&r->out, blob.ptr + at, blob.len - at);
		r->cache_hit = 1;
		not_modified(r);
		buf_release(&blob);
		buf_release(&r->cache_key);
		r->cache_gen = -1;
		return 1;
	}
	buf_release(&blob);
	return 0;
}

/* Whether a response's own headers may be kept with it in the cache and
 * given to other visitors: never a cookie (a visitor's CSRF cookie or the
 * language choice is theirs alone) nor a redirect. */
static int headers_shareable(const struct req *r)
{
	int i;
	for (i = 0; i < r->nheaders; i++)
		if (strncasecmp(r->headers[i], "Content-Disposition:", 20) != 0)
			return 0;
	return 1;
}

/* Stores the response of a cacheable request (see cached_response). */
static void cache_store(struct req *r)
{
	int store = r->cache_gen >= 0 && r->status == 200 && headers_shareable(r) && !buf_failed(&r->out) &&
		    r->ctype && ctype_intern(r->ctype);
	/* a validator only for what the cache holds: not for an error, a response that is the
	 * visitor's alone (a cookie) or one a handler keeps out (req_uncacheable) */
	if (!store && !r->cache_hit && r->cache_in)
		r->etag[0] = '\0';
	if (store) {
		struct buf blob = BUF_INIT;
		int i;
		if (req_is_api(r))   /* kept once for both languages, or under the visitor's (cached_response) */
			cache_key_lang(r, response_lang_free(r) ? "--" : r->lang);
		buf_puts(&blob, r->ctype);
		buf_putc(&blob, '\0');
		for (i = 0; i < r->nheaders; i++) {
			buf_puts(&blob, r->headers[i]);
			buf_putc(&blob, '\0');
		}
		buf_putc(&blob, '\0');
		buf_add(&blob, r->out.ptr, r->out.len);
		if (!buf_failed(&blob))
			kcache_put(r->cache_in, r->cache_gen, r->cache_key.ptr, blob.ptr, blob.len);
		buf_release(&blob);
		not_modified(r);   /* made again (the cache had dropped it) and still what the visitor holds */
	}
	buf_release(&r->cache_key);
}

/* MHD_get_connection_values: the Content-Length headers, and whether two disagree. */
struct count_cl {
	int n;
	const char *first;
	int differ;
};

static enum MHD_Result count_content_length(void *cls, enum MHD_ValueKind kind, const char *key,
					    const char *value)
{
	struct count_cl *k = cls;
	(void)kind;
	if (!key || strcasecmp(key, "Content-Length") != 0 || !value)
		return MHD_YES;
	if (k->n++ && strcmp(k->first, value) != 0)
		k->differ = 1;
	else if (!k->first)
		k->first = value;
	return MHD_YES;
}

/* MHD_get_connection_values_n: sets *cls and stops at a key or value
 * holding a NUL byte (its length beyond its string). */
static enum MHD_Result arg_with_nul(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
				    const char *value, size_t value_size)
{
	(void)kind;
	if ((key && strlen(key) != key_size) || (value && strlen(value) != value_size)) {
		*(int *)cls = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

/* The most parameters an address may have: no form of the portal sends 60.  Each takes room in
 * libmicrohttpd's memory of the connection (32 KiB, its default), which runs out near 450: past
 * that it closes the connection without an answer.  A larger memory (96 KiB) moved that limit
 * to about 1,400 but cost 15% of the requests a second (make bench), so it was not kept. */
#define HTTP_MAX_ARGS 200
/* The longest address answered: its decoded copy and the response's headers share those 32 KiB
 * with it, and an address of 20 KiB left too little for the headers (no answer at all). */
#define HTTP_MAX_URI (12 * 1024)

/* MHD_OPTION_URI_LOG_CALLBACK: the address as it came, before libmicrohttpd
 * decodes it: the connection's state begins here, noting what the decoded
 * address can no longer tell (a "%00" in the path, which decoding would
 * end the path at; the number of parameters). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn_state *cs = xcalloc(1, sizeof(*cs));
	const char *q = strchr(uri, '?'), *p;
	size_t plen = q ? (size_t)(q - uri) : strlen(uri), k;
	(void)cls;
	(void)c;
	cs->uri_len = strlen(uri);
	for (k = 0; k + 2 < plen && !cs->nul_path; k++)
		cs->nul_path = uri[k] == '%' && uri[k + 1] == '0' && uri[k + 2] == '0';
	if (q && q[1]) {
		cs->nargs = 1;
		for (p = q + 1; *p; p++)
			cs->nargs += *p == '&';   /* as libmicrohttpd splits them */
	}
	return cs;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct app *app = cls;
	struct conn_state *cs = *con_cls;
	const struct route *rt;
	const char *arg;
	int known;
	struct req r;
	double t0;
	(void)version;

	if (!cs || !cs->begun) {
		int bad_arg = 0;
		struct count_cl ncl = { 0, NULL, 0 };
		/* The first call has the headers only: route now, so an unknown
		 * path, a wrong method or a missing token is answered before any
		 * body is read, and only routes that take a body buffer one. */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (!cs)
			cs = xcalloc(1, sizeof(*cs));   /* on_uri begins it; in case it did not */
		cs->begun = 1;
		buf_init(&cs->body, 0);
		cs->body.cap = app->max_body;
		*con_cls = cs;
		if (cs->nul_path) {
			cs->responded = 1;
			return simple_status(c, app, url, method, 400,
					     "the path of the address holds a NUL byte (%00): leave it out", NULL);
		}
		if (cs->uri_len > HTTP_MAX_URI) {
			char msg[160];
			snprintf(msg, sizeof(msg), "the address is %zu bytes long, more than the %d a request may have",
				 cs->uri_len, HTTP_MAX_URI);
			cs->responded = 1;
			return tiny_status(c, 414, msg);
		}
		if (cs->nargs > HTTP_MAX_ARGS) {
			char msg[160];
			snprintf(msg, sizeof(msg), "the address has %zu parameters, more than the %d a request may have",
				 cs->nargs, HTTP_MAX_ARGS);
			cs->responded = 1;
			return simple_status(c, app, url, method, 400, msg, NULL);
		}
		MHD_get_connection_values(c, MHD_HEADER_KIND, count_content_length, &ncl);
		if (ncl.differ) {
			/* RFC 9112 6.3: which one the body follows cannot be known */
			cs->responded = 1;
			return simple_status(c, app, url, method, 400,
					     "the request has two Content-Length headers of different values", NULL);
		}
		cs->rt = find_route(method, url, &cs->arg, cs->seg, sizeof(cs->seg), &known);
		if (!cs->rt) {
			cs->responded = 1;
			if (known)
				return method_not_allowed(c, app, url, method);
			return simple_status(c, app, url, method, 404, "no such page", NULL);
		}
		if (MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, arg_with_nul, &bad_arg) < 0 || bad_arg) {
			/* "%00" in the address: every handler reads arguments as C strings, which would
			 * end there and answer for another value than the one asked */
			cs->responded = 1;
			return simple_status(c, app, url, method, 400,
					     "a parameter of the address holds a NUL byte (%00): leave it out", NULL);
		}
		cs->keep_body = strcmp(cs->rt->method, "POST") == 0 || strcmp(cs->rt->method, "PATCH") == 0 ||
				strcmp(cs->rt->method, "PUT") == 0;
		cs->body.cap = body_limit(app, cs->rt);
		if (cs->keep_body && cl && strtoull(cl, NULL, 10) > cs->body.cap) {
			char msg[160];
			snprintf(msg, sizeof(msg), "request body larger than the limit of %zu bytes", cs->body.cap);
			cs->responded = 1;
			return simple_status(c, app, url, method, 413, msg, NULL);
		}
		if (cs->rt->flags & (R_ADMIN | R_UPLOAD)) {
			/* a token route, and an upload whose body may be max_upload bytes, are
			 * an administrator's: anyone else is answered before the body is read
			 * (nobody else makes the server hold a file; R_UPLOAD's CSRF token is in
			 * the body, and is checked when it has come) */
			struct req probe;
			int allowed;
			memset(&probe, 0, sizeof(probe));
			probe.app = app;
			probe.conn = c;
			probe.db = db_pool_get(app->pool);
			if (cs->rt->flags & R_ADMIN) {
				allowed = check_admin(&probe);
			} else {
				load_session(&probe);
				allowed = probe.logged_in && auth_is_admin(&probe.user);
			}
			db_state_note(probe.db);
			if (db_unavailable(probe.db)) {
				db_pool_put(app->pool, probe.db);
				cs->responded = 1;
				return simple_status_h(c, app, url, method, 503,
						       "the database cannot be reached at the moment; please try again in a "
						       "few seconds", "Retry-After", DB_RETRY_AFTER);
			}
			db_pool_put(app->pool, probe.db);
			if (!allowed && (cs->rt->flags & R_ADMIN)) {
				cs->responded = 1;
				return simple_status_h(c, app, url, method, 401,
						       "an administrator's API token is required (Authorization: Bearer …)",
						       "WWW-Authenticate", "Bearer realm=\"klaster\"");
			}
			if (!allowed) {
				struct req d;
				cs->responded = 1;
				simple_req(&d, c, app, url, method);
				/* the page of the account that sent it, as any other page of that session */
				d.logged_in = probe.logged_in;
				d.user = probe.user;
				memcpy(d.sid, probe.sid, sizeof(d.sid));
				memcpy(d.anon, probe.anon, sizeof(d.anon));
				req_error(&d, 403, d.logged_in ? L(&d, "Twoje konto nie ma uprawnień do tej czynności.",
								 "Your account is not allowed to do this.")
							     : L(&d, "Zaloguj się jako administrator, aby wysłać plik.",
								 "Please log in as an administrator to send a file."));
				return send_req(c, &d);
			}
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (cs->keep_body && !cs->too_big) {
			buf_add(&cs->body, upload, *upload_size);
			if (buf_failed(&cs->body))
				cs->too_big = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (cs->responded)
		return MHD_YES;
	cs->responded = 1;
	if (cs->too_big) {
		char msg[160];
		snprintf(msg, sizeof(msg), "request body larger than the limit of %zu bytes", body_limit(app, cs->rt));
		return simple_status(c, app, url, method, 413, msg, NULL);
	}

	t0 = now_ms();
	rt = cs->rt;
	arg = cs->arg;
	memset(&r, 0, sizeof(r));
	r.app = app;
	r.conn = c;
	r.method = method;
	r.path = url;
	r.arg = arg;
	r.is_head = strcmp(method, "HEAD") == 0;
	r.status = 200;
	r.ctype = "text/html; charset=utf-8";
	r.cache_gen = -1;
	buf_init(&r.cache_key, 0);
	buf_init(&r.out, 0);
	r.out.cap = 256u << 20;
	if (cs->body.len) {
		r.body = cs->body.ptr;
		r.body_len = cs->body.len;
	}
	pick_lang(&r);
	client_ip(&r);
	if (rt->flags & (R_DB | R_ADMIN | R_FORM | R_UPLOAD | R_LOGIN))
		r.db = db_pool_get(app->pool);
	load_session(&r);
	if ((rt->flags & R_ADMIN) && !check_admin(&r)) {
		req_header_add(&r, "WWW-Authenticate", "Bearer realm=\"klaster\"");
		req_error(&r, 401, "an administrator's API token is required (Authorization: Bearer …)");
	} else if ((rt->flags & (R_FORM | R_UPLOAD)) && !form_ok(&r, !!(rt->flags & R_UPLOAD))) {
		/* form_ok answered */
	} else if ((rt->flags & R_LOGIN) && req_deny(&r, r.logged_in)) {
		/* req_deny answered */
	} else if ((rt->flags & R_API) && (strcmp(method, "GET") == 0 || r.is_head) && !web_api_query_ok(&r)) {
		/* a parameter the operation does not take: answered before any work or cache */
	} else if (!(rt->flags & R_CACHE) || r.logged_in || !cached_response(&r, rt->flags)) {
		unsigned long errors = r.db ? db_error_count(r.db) : 0;
		rt->handler(&r);
		/* a read page that met a database error is not a partial 200:
		 * it becomes a 500 and is never cached */
		if (r.db && db_unavailable(r.db)) {
			/* below */
		} else if (r.db && db_error_count(r.db) != errors && (rt->flags & R_CACHE)) {
			struct kerr e;
			kerr_set(&e, KERR_DB, "a database read failed while building the page");
			while (r.nheaders > 0)
				free(r.headers[--r.nheaders]);
			req_error_kerr(&r, &e);
			r.cache_gen = -1;
		}
	}
	/* whatever the session check, a guard or the handler made of a database that was away (a
	 * 500, a redirect to the login form, a page with parts missing): a 503; a handler's own 503
	 * (/healthz) keeps its body */
	if (r.db && db_unavailable(r.db)) {
		int i, has = 0;
		for (i = 0; i < r.nheaders; i++)
			has |= strncasecmp(r.headers[i], "Retry-After:", 12) == 0;
		if (r.status != 503)
			req_unavailable(&r);
		else if (!has)
			req_header_add(&r, "Retry-After", DB_RETRY_AFTER);
		r.cache_gen = -1;
	}
	cache_store(&r);
	form_release(&r.form);
	if (r.db) {
		db_state_note(r.db);
		db_pool_put(app->pool, r.db);
	}
	if (rt->flags & R_FORM)
		req_mail_kick(&r);
	if (!app->quiet)
		fprintf(stderr, "%s %s %d %.1fms\n", method, url, r.status, now_ms() - t0);
	return send_req(c, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;
	(void)cls;
	(void)c;
	(void)toe;
	if (cs) {
		buf_release(&cs->body);
		free(cs);
		*con_cls = NULL;
	}
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, struct kerr *e)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	long port;
	char *end;
	memset(ss, 0, sizeof(*ss));
	if (!colon)
		return kerr_set(e, KERR_USAGE, "listen address '%s' must be HOST:PORT", listen);
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || end == colon + 1)
		return kerr_set(e, KERR_USAGE, "listen address '%s': bad port", listen);
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		host[strlen(host) - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return kerr_set(e, KERR_USAGE, "listen address '%s': bad IPv6 address", listen);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (!host[0] || strcmp(host, "*") == 0)
			s4->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (strcmp(host, "localhost") == 0)
			s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		else if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return kerr_set(e, KERR_USAGE, "listen address '%s': bad IPv4 address", listen);
		*len = sizeof(*s4);
	}
	return 0;
}

/* ---- the worker: mail delivery and housekeeping ---- */

struct app_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop, kicked;
	struct app *app;
};

void req_mail_kick(struct req *r)
{
	struct app_worker *w = r->app->worker;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->kicked = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

static void *worker_main(void *arg)
{
	struct app_worker *w = arg;
	long long last_house = 0;
	for (;;) {
		struct kerr e = KERR_INIT;
		struct timespec until;
		struct db *db;
		int done = 0, stop;
		pthread_mutex_lock(&w->lock);
		stop = w->stop;
		w->kicked = 0;
		pthread_mutex_unlock(&w->lock);
		if (stop)
			break;
		db = db_pool_get(w->app->pool);
		/* a batch at a time, so a stop request is seen between batches */
		/* (a database that is away is logged once, by db_state_note, not every second here) */
		if (mail_deliver_due(db, &w->app->mail, 10, &done, &e) && !db_unavailable(db))
			fprintf(stderr, "klaster: mail queue: %s\n", e.msg);
		if (auth_now() - last_house > 600 && !db_unavailable(db)) {
			if ((auth_housekeeping(db, w->app->session_idle, &e) ||
			     mail_housekeeping(db, auth_now(), w->app->mail.keep_days, &e)) && !db_unavailable(db))
				fprintf(stderr, "klaster: housekeeping: %s\n", e.msg);
			if (!db_unavailable(db))   /* else again when the database is back */
				last_house = auth_now();
		}
		db_state_note(db);
		db_pool_put(w->app->pool, db);
		if (done == 10)
			continue;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_mutex_lock(&w->lock);
		while (!w->stop && !w->kicked &&
		       pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
			;
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

static void worker_start(struct app *app)
{
	struct app_worker *w = xcalloc(1, sizeof(*w));
	w->app = app;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
		BUG("cannot start the mail worker");
	app->worker = w;
}

static void worker_stop(struct app *app)
{
	struct app_worker *w = app->worker;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w);
	app->worker = NULL;
}

int http_serve(struct app *app, struct kerr *e)
{
	struct sockaddr_storage ss;
	socklen_t slen;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	int sig, port;
	char shown[300];

	if (parse_listen(app->listen, &ss, &slen, e))
		return -1;
	/* one connection per thread, one for the worker, one for start-up work */
	if (db_pool_open(&app->pool, app->db_url, app->threads + 2, e))
		return -1;
	{
		int a;
		for (a = 1; a <= R_AREA_ALL; a++)
			app->caches[a] = kcache_new(app->cache_bytes);
		app->cache = app->caches[R_AREA_DIR >> R_AREA_SHIFT];
	}
	{
		struct db *db = db_pool_get(app->pool);
		int bad, ver = db_schema_version(db, e);
		/* the schema first: the maps read tables of recent migrations */
		if (ver >= 0 && ver < db_migrations_known()) {
			db_pool_put(app->pool, db);
			return kerr_set(e, KERR_DB, "the database schema is at version %d, this klaster needs %d:"
					" run 'klaster db migrate' first", ver, db_migrations_known());
		}
		bad = ver < 0 || app_load_map(app, db, e);
		db_pool_put(app->pool, db);
		if (bad)
			return -1;
		db = db_pool_get(app->pool);
		bad = auth_secret(db, "csrf", app->csrf_key, e);
		db_pool_put(app->pool, db);
		if (bad)
			return -1;
	}
	{
		/* ETags of this process: what it was started with (version, settings, boundaries)
		 * is in every page, so a restart must not call an old copy current */
		unsigned char rnd[4];
		randombytes_buf(rnd, sizeof(rnd));
		sodium_bin2hex(app->etag_salt, sizeof(app->etag_salt), rnd, sizeof(rnd));
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | (app->quiet ? 0 : MHD_USE_ERROR_LOG) |
			     (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
			     0, NULL, NULL, on_request, app,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->threads,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
			     MHD_OPTION_URI_LOG_CALLBACK, on_uri, app,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000,
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
			     MHD_OPTION_END);
	if (!d)
		return kerr_set(e, KERR_IO, "cannot listen on %s: %s", app->listen, strerror(errno));
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : 0;
	snprintf(shown, sizeof(shown), "%.*s", (int)(strrchr(app->listen, ':') - app->listen), app->listen);
	{
		struct db *db = db_pool_get(app->pool);
		printf("klaster: serving http://%s:%d/ (database: %s)\n",
		       shown[0] && strcmp(shown, "*") ? shown : "0.0.0.0", port, db_kind_name(db));
		db_pool_put(app->pool, db);
	}
	fflush(stdout);
	worker_start(app);
	sigwait(&set, &sig);
	fprintf(stderr, "klaster: stopping (signal %d)\n", sig);
	MHD_stop_daemon(d);
	worker_stop(app);
	return 0;
}
