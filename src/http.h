/*
 * http.h — the HTTP front end: libmicrohttpd underneath, a route table on
 * top.  Handlers get a struct req (request-scoped: everything it holds is
 * freed when the response is sent) and fill r->out, r->status and
 * r->ctype.  They never talk to libmicrohttpd themselves.
 */
#ifndef KLASTER_HTTP_H
#define KLASTER_HTTP_H

#include "buf.h"
#include "db.h"
#include "err.h"
#include "cache.h"
#include "geo.h"
#include "auth.h"
#include "form.h"
#include "mailq.h"

/* A boundary layer the portal draws besides the voivodeships (map.c):
 * its features, their SVG path data projected once at start-up into a
 * MAP_W × MAP_H picture, and that projection. */
struct map_layer {
	struct geo_layer g;          /* empty (n == 0) when the database has no such boundaries */
	char **paths;                /* per feature; NULL for a feature outside the frame (not drawn) */
	struct geo_proj proj;
	size_t ndrawn;               /* features with a path */
	size_t nparts;               /* the last nparts features are parts: NUTS-3 regions that older
					NUTS-2 regions are drawn on (nuts.h), drawn only where they
					carry a value or a hot or cold spot */
};

struct app {
	const char *db_url;
	const char *listen;          /* "HOST:PORT" */
	int threads;
	size_t max_body;             /* bytes; larger request bodies get 413 */
	size_t max_upload;           /* the same for an upload (R_UPLOAD); 0: max_body */
	struct db_pool *pool;
	struct geo_layer voiv;       /* voivodeship boundaries (cache of the region table) */
	char **voiv_paths;           /* projected SVG path data per feature */
	double map_w, map_h;
	struct map_layer powiats;    /* the 380 powiats (region table), framed like the voivodeships */
	struct map_layer nuts2;      /* NUTS-2 regions of Europe (nuts_region), framed on Europe */
	int quiet;
	size_t cache_bytes;          /* search-result cache size; 0 = none */
	struct kcache *cache;        /* the directory's cache (= caches[1]): pages and search results */
	struct kcache *caches[8];    /* one per combination of cache areas (index: the R_AREA_* bits >> R_AREA_SHIFT) */
	struct mail_cfg mail;        /* mail delivery (mailq.h); mail.base_url is the portal's address */
	int trust_proxy;             /* believe X-Forwarded-For / X-Forwarded-Proto */
	long session_idle;           /* seconds a session lives unused; 0 = only its 14 days */
	unsigned char csrf_key[32];  /* shared by the servers on one database (app_secret) */
	char etag_salt[9];           /* this process's mark in the response cache's ETags (random at start) */
	struct app_worker *worker;   /* the mail and housekeeping thread */
};

struct req {
	struct app *app;
	void *conn;                  /* struct MHD_Connection * */
	const char *method, *path;
	const char *arg;             /* the "*" part of a route pattern, or NULL */
	const char *lang;            /* "pl" or "en" */
	int is_head;
	struct db *db;               /* from the pool, for routes flagged R_DB */
	const char *body;            /* request body (NUL-terminated), or NULL */
	size_t body_len;
	/* the response */
	int status;
	const char *ctype;
	struct buf out;
	char *headers[8];            /* "Name: value" lines, owned */
	int nheaders;
	char bad_fields[256];        /* the fields an error alert names (" email name ", from lines
					"email: …"), which web_field and web_textarea then mark
					aria-invalid; "" when none */
	int required_legend;         /* the open form's legend of the required mark is written
					(web_required_legend; form_open clears it) */
	long long user_id;           /* set by R_ADMIN routes after the token check */
	long long cache_gen;         /* generation of a cacheable response, or -1 */
	struct kcache *cache_in;     /* the cache it goes to */
	struct buf cache_key;
	int cache_hit;               /* served from the response cache (or 304 by its validator) */
	int lang_free;               /* the response is the same in either language and for any cookie
					(req_fixed_etag): sent without Vary */
	char etag[48];               /* the validator of a shareable cached response ("" when none):
					the data generation and a hash of cache_key, so it changes with
					the data, the day, the language and the address */
	/* the visitor */
	char ip[64];                 /* client address (X-Forwarded-For with trust_proxy) */
	int secure;                  /* served over TLS (by a trusted proxy) */
	int logged_in;               /* user below is valid */
	struct user user;            /* the logged-in user (auth.h) */
	char sid[AUTH_TOKEN_LEN + 1];    /* the session cookie's token, or "" */
	char anon[AUTH_TOKEN_LEN + 1];   /* a visitor's CSRF cookie, or "" */
	struct form form;            /* the decoded body of R_FORM routes */
};

/* Query-string argument (decoded), or NULL. */
const char *req_arg(struct req *r, const char *name);
/* The name of the first query-string argument that is not one of known (NULL-terminated), or
 * NULL when every one is: for requests that store what they are given, where a mistyped
 * parameter dropped unseen would store something else.  The name points into the request. */
const char *req_unknown_arg(struct req *r, const char *const *known);
/* How many times the query string gives the argument name (0: not at all). */
size_t req_arg_count(struct req *r, const char *name);
/* Request header, or NULL. */
const char *req_header(struct req *r, const char *name);
/* Adds a response header (copied). */
void req_header_add(struct req *r, const char *name, const char *value);
/* Keeps this response of an R_CACHE route out of the response cache (it
 * says when it was made, as a workbook's "downloaded at" line does). */
void req_uncacheable(struct req *r);
/* For a 200 whose body depends on the address alone (an embedded file): etag (a quoted
 * string, the body's strong validator) goes out with it, the response does not vary by
 * language or cookie, and it becomes a 304 without the body when If-None-Match names etag.
 * Call it after the body is written. */
void req_fixed_etag(struct req *r, const char *etag);
/* The language asked for in the address (lang=pl or lang=en, which pages
 * that link to themselves keep in their links and forms), or NULL. */
const char *req_lang_arg(struct req *r);
/* 1 when the request's language is Polish, 0 for English. */
static inline int req_polish(const struct req *r)
{
	return r->lang[0] != 'e';
}
/* Picks the text for the request's language. */
static inline const char *L(const struct req *r, const char *pl, const char *en)
{
	return req_polish(r) ? pl : en;
}
/* 1 for a route of the JSON API (under /api/), which answers in English. */
static inline int req_is_api(const struct req *r)
{
	return strncmp(r->path, "/api/", 5) == 0;
}
/* A message: in the page's language, in English for the API. */
static inline const char *L_msg(const struct req *r, const char *pl, const char *en)
{
	return req_is_api(r) ? en : L(r, pl, en);
}

/* Error responses in the route's format (HTML page or JSON). */
void req_error(struct req *r, int status, const char *message);
void req_error_kerr(struct req *r, const struct kerr *e);
/* 303 redirect to a local path. */
void req_redirect(struct req *r, const char *location);

/* A field of the posted form (R_FORM routes), or NULL. */
const char *req_form(struct req *r, const char *name);
/* A file of the posted form (R_UPLOAD routes), or NULL when the field
 * held none. */
const struct form_file *req_file(struct req *r, const char *name);
/* The CSRF token of this visitor: derived from the session token, or for
 * a visitor from a random cookie (set here when missing — so a page that
 * shows a form is never served from the response cache). */
void req_csrf(struct req *r, char out[AUTH_TOKEN_LEN + 1]);
/* Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure over TLS;
 * max_age 0 deletes it, -1 makes it last until the browser closes. */
void req_set_cookie(struct req *r, const char *name, const char *value, long max_age);
/* Starts a session for user_id (a new token: sessions rotate at login)
 * and sets its cookie; ends the request's old session first. */
int req_login(struct req *r, long long user_id, struct kerr *e);
/* Ends the request's session and deletes its cookie. */
void req_logout(struct req *r);
/* When allowed is 0: answers 403 (logged in) or sends the visitor to the
 * login page (GET) / 403 (POST), and returns 1.  Returns 0 when allowed. */
int req_deny(struct req *r, int allowed);
/* Counts one attempt under key1 (at most limit1 per window seconds) and,
 * when key2 is given, under key2 (limit2): when either is over, answers
 * 429 with Retry-After and message and returns 1; a database error
 * answers 500 and returns 1.  Returns 0 when the attempt may go on. */
int req_rate_limited(struct req *r, const char *key1, long limit1, const char *key2, long limit2, long window,
		     const char *message);
/* Wakes the mail worker (after queueing mail). */
void req_mail_kick(struct req *r);

enum route_flags {
	R_DB = 1,       /* needs a database connection */
	R_API = 2,      /* JSON errors */
	R_ADMIN = 4,    /* needs an administrator's API token (Bearer) */
	R_PREFIX = 8,   /* one more path segment goes to r->arg: the pattern ends with
			   '/' ("/clusters/"), or one '*' in it stands for the
			   segment ("/clusters/" '*' "/join"); a plain pattern of
			   any table wins over an R_PREFIX one */
	R_CACHE = 16,   /* a public GET whose 200 response depends only on the URL, the
			   language and the directory's data: kept in the response cache
			   (only for visitors who are not logged in), with a download's
			   Content-Disposition but never with other headers of its own
			   (a cookie makes the response the visitor's alone) */
	R_FORM = 32,    /* a POST of an HTML form: the body is decoded into r->form and
			   must carry the visitor's CSRF token (field "csrf" or header
			   X-CSRF-Token) and no foreign Origin, else 403 */
	R_LOGIN = 64,   /* only for logged-in users (see req_deny) */
	/* The areas of data an R_CACHE page shows; its cached copy is valid
	 * while the generations of those areas stay (migrations 003 and 012).
	 * An R_CACHE route naming no area depends on all of them. */
	R_AREA_DIR = 128,      /* the directory, reference data, statistics, firm points */
	R_AREA_OFFERS = 256,   /* offers and services */
	R_AREA_NEWS = 512,     /* news and comments */
	R_UPLOAD = 1024, /* a POST of an HTML form sent as multipart/form-data (a file
			    upload): its body may be max_upload bytes; the texts are
			    decoded into r->form and the files kept as slices of the body
			    (req_file); the CSRF token is checked as for R_FORM (which the
			    route does not also set), another Content-Type is a 415;
			    only an administrator's session is read that far: anyone
			    else has a 403 before the body is read */
	R_BIG = 2048    /* the body may be max_upload bytes: a file sent as it is (PUT
			   /api/v1/datasets/NAME) */
};
#define R_AREA_SHIFT 7
#define R_AREA_ALL 7           /* (R_AREA_DIR | R_AREA_OFFERS | R_AREA_NEWS) >> R_AREA_SHIFT */

struct route {
	const char *method;          /* "GET" also serves HEAD */
	const char *pattern;
	void (*handler)(struct req *r);
	int flags;
};

/* Starts the server and blocks until SIGINT/SIGTERM. */
int http_serve(struct app *app, struct kerr *e);
/* Loads the map cache from the region table. */
int app_load_map(struct app *app, struct db *db, struct kerr *e);
void app_release(struct app *app);

/* The routes: one table per part of the portal, each ending with a
 * { NULL } entry, listed in route_tables (web.c). */
extern const struct route *const route_tables[];

#endif
