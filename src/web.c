/* web.c — the route table and the HTML pages of the public directory. */
#include "web.h"

#include <math.h>
#include <pthread.h>
#include <sys/stat.h>

#include "dscache.h"
#include "esc.h"
#include "tablew.h"
#include "i18n.h"
#include "moderation.h"
#include "news.h"
#include "offer.h"

const struct route web_routes[] = {
	{ "GET", "/", h_home, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/organisations", h_orgs, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/organisations.csv", h_orgs_csv, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/organisations.xlsx", h_orgs_xlsx, R_DB },
	/* a profile counts its published offers and services (a cluster's, its members' and its news) */
	{ "GET", "/organisations/", h_org, R_DB | R_PREFIX | R_CACHE | R_AREA_DIR | R_AREA_OFFERS },
	{ "GET", "/clusters", h_clusters, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/clusters/", h_cluster, R_DB | R_PREFIX | R_CACHE | R_AREA_DIR | R_AREA_OFFERS | R_AREA_NEWS },
	{ "GET", "/map", h_map, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/map.svg", h_map_svg, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map", h_cluster_map, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map.csv", h_cluster_map_csv, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map.svg", h_cluster_map_image, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map.png", h_cluster_map_image, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map.pdf", h_cluster_map_image, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map/region", h_cluster_region, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/datasets", h_api_datasets, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/datasets/", h_api_dataset, R_DB | R_API | R_PREFIX | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/cluster-map", h_api_cluster_map, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/cluster-map/region", h_api_cluster_region, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/cluster-map.csv", h_cluster_map_csv, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/cluster-map.xlsx", h_cluster_map_csv, R_DB | R_API },
	{ "GET", "/lang", h_lang, 0 },
	{ "GET", "/static/", h_static, R_PREFIX },
	{ "GET", "/healthz", h_health, R_DB },
	{ "GET", "/api/v1/organisations", h_api_orgs, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "POST", "/api/v1/organisations", h_api_org_post, R_DB | R_API | R_ADMIN },
	{ "GET", "/api/v1/organisations/", h_api_org, R_DB | R_API | R_PREFIX | R_CACHE | R_AREA_DIR },
	{ "PATCH", "/api/v1/organisations/", h_api_org_patch, R_DB | R_API | R_PREFIX | R_ADMIN },
	{ "GET", "/api/v1/clusters", h_api_clusters, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/clusters/", h_api_cluster, R_DB | R_API | R_PREFIX | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/regions", h_api_regions, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/pkd", h_api_pkd, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/stats", h_api_stats, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/openapi.json", h_openapi, R_API },
	{ NULL, NULL, NULL, 0 }
};

/* Every part of the portal brings its own table. */
const struct route *const route_tables[] = {
	web_routes, account_routes, admin_routes, offer_routes, service_routes, news_routes,
	newsletter_routes, moderation_routes, points_routes, related_routes, trend_routes, dataset_routes, NULL
};

/* ---- layout ---- */

/* The current path and query, for the language switch's way back. */
void web_time_utc(long long t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm))
		out[0] = '\0';
}

void web_self_url(struct req *r, struct buf *out)
{
	static const char *const keep[] = { "q", "type", "size", "section", "pkd", "pkd_version", "voiv", "cluster", "sort",
					    "page", "per_page", "layer", "dataset", "industry", "indicator", "year", "base", "region", "feature", "from",
					    "eps_km", "min_samples", "band_km", "cell_km", "grid", "value", "format",
					    "action", "user", "object", "object_id", "to", "kind", "category", "price", "org",
					    "status", NULL };
	const char *const *k;
	int first = 1;
	buf_puts(out, r->path);
	for (k = keep; *k; k++) {
		const char *v = req_arg(r, *k);
		if (v && *v) {
			buf_putc(out, first ? '?' : '&');
			buf_puts(out, *k);
			buf_putc(out, '=');
			esc_url(out, v);
			first = 0;
		}
	}
}

/* The main menu, in order. */
static const struct {
	const char *href, *pl, *en;
} nav[] = {
	{ "/organisations", "Organizacje", "Organisations" },
	{ "/clusters", "Klastry", "Clusters" },
	{ "/map", "Mapa", "Map" },
	{ "/cluster-map", "Mapa klastrów", "Cluster map" },
	{ "/offers", "Oferty", "Offers" },
	{ "/services", "Usługi", "Services" },
	{ "/news", "Aktualności", "News" },
	{ "/api/v1/openapi.json", "API", "API" },
};

/* The menu entry whose section the path is in ("/cluster-map/points" is
 * in "/cluster-map"), or -1. */
static int nav_section(const char *path)
{
	size_t i, n, best = 0;
	int at = -1;
	for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		n = strlen(nav[i].href);
		if (strncmp(path, nav[i].href, n) == 0 && (path[n] == '\0' || path[n] == '/' || path[n] == '.' ||
							    path[n] == '?') && n > best) {
			best = n;
			at = (int)i;
		}
	}
	return at;
}

void page_begin(struct req *r, const char *title)
{
	struct buf back = BUF_INIT;
	const char *other = r->lang[0] == 'e' ? "pl" : "en";
	size_t i;

	web_self_url(r, &back);
	html_printf(&r->out,
		    "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>%s — klaster</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/static/klaster.css\">"
		    "<script src=\"/static/klaster.js\" defer></script></head><body>"
		    "<a class=\"skip\" href=\"#main\">%s</a>"
		    "<header class=\"top\"><a class=\"brand\" href=\"/\">klaster</a>"
		    "<nav aria-label=\"%s\"><ul>",
		    r->lang, title, L(r, "Przejdź do treści", "Skip to content"),
		    L(r, "Menu główne", "Main menu"));
	for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		size_t n = strlen(nav[i].href);
		int cur = strncmp(r->path, nav[i].href, n) == 0;
		html_printf(&r->out, "<li><a href=\"%s\"%R>%s</a></li>", nav[i].href,
			    cur ? " aria-current=\"page\"" : "", L(r, nav[i].pl, nav[i].en));
	}
	html_printf(&r->out, "</ul></nav><div class=\"account\">");
	if (r->logged_in) {
		html_printf(&r->out, "<a href=\"/account\">%s</a>", r->user.name[0] ? r->user.name : r->user.email);
		if (auth_is_moderator(&r->user))
			html_printf(&r->out, " <a href=\"/admin\">%s</a>", L(r, "Panel", "Admin"));
		form_open(r, "/logout", "inline");
		html_printf(&r->out, "<button type=\"submit\" class=\"link\">%s</button></form>",
			    L(r, "Wyloguj", "Log out"));
	} else {
		html_printf(&r->out, "<a href=\"/login\">%s</a> <a href=\"/register\">%s</a>",
			    L(r, "Zaloguj", "Log in"), L(r, "Załóż konto", "Register"));
	}
	html_printf(&r->out, "</div><a class=\"lang\" href=\"/lang?set=%u&amp;back=%u\" hreflang=\"%s\" lang=\"%s\">%s</a>"
		    "</header><main id=\"main\">",
		    other, back.ptr, other, other, r->lang[0] == 'e' ? "Polski" : "English");
	buf_release(&back);
}

void page_end(struct req *r)
{
	html_printf(&r->out, "</main><footer><p><a href=\"/newsletter\">%s</a> · <a href=\"/organisations/new\">%s</a></p>"
		    "<p>%s</p><p>%s</p></footer></body></html>\n",
		    L(r, "Newsletter — zapisz się", "Newsletter — subscribe"), L(r, "Dodaj firmę", "Add a company"),
		    L(r, "klaster — katalog klastrów i ich członków. Granice: PRG GUGiK (przez polska-geojson, MIT); "
			 "klasyfikacje PKD: GUS.",
		      "klaster — a directory of clusters and their members. Boundaries: GUGiK PRG (via polska-geojson, MIT); "
			 "PKD classification: Statistics Poland (GUS)."),
		    L(r, "Wpisy oznaczone „demo” są fikcyjnymi danymi demonstracyjnymi.",
		      "Entries marked “demo” are fictional demo data."));
}

/* 1 for a posted field a refusal never shows back: the token, the spam guards, the links'
 * secrets, passwords and the machinery of a form (where to go next, the page, the second step). */
static int field_kept_back(const char *name)
{
	static const char *const names[] = { "csrf", "stamp", "website", "token", "t", "confirm", "next", "page",
					     "consent_version", NULL };
	size_t i;
	for (i = 0; names[i]; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return strstr(name, "password") != NULL || strstr(name, "current") != NULL;
}

/* 1 when the request came from a page of this site: no Origin or Sec-Fetch-Site naming another. */
static int same_site_request(struct req *r)
{
	const char *origin = req_header(r, "Origin"), *host = req_header(r, "Host"), *site = req_header(r, "Sec-Fetch-Site");
	const char *h = origin ? strstr(origin, "://") : NULL;
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return 0;
	return !origin || (h && host && strcmp(h + 3, host) == 0);
}

/* The path of the page a form was posted from: its Referer on this site (the pages send it,
 * Referrer-Policy same-origin), else the form's own address, which most forms share with
 * their page (/news/new, /register). */
static const char *form_page(struct req *r)
{
	const char *ref = req_header(r, "Referer"), *host = req_header(r, "Host"), *h = ref ? strstr(ref, "://") : NULL;
	size_t n = host ? strlen(host) : 0;
	if (h && n && strncmp(h + 3, host, n) == 0 && h[3 + n] == '/')
		return web_local_path(h + 3 + n);
	return web_local_path(r->path);
}

/*
 * Under the 403 of a form that could not be taken because its session ended (or its page was
 * opened in an earlier one: its token is not the visitor's), what saves the work: a link to log
 * in that returns to the form's page, and the texts the form carried, escaped, in read-only
 * fields to copy.  The request itself changes nothing.  A form posted from another site gets
 * the bare refusal: its text is not shown on this one.
 */
/* The label a refused form's text is shown under (form_refused): the field's label where it is one
 * of the portal's text fields, else "Field (name)", in the page's language. */
static const char *typed_label(struct req *r, const char *name, struct buf *tmp)
{
	static const struct {
		const char *name, *pl, *en;
	} labels[] = {
		{ "name", "Nazwa", "Name" },
		{ "title", "Tytuł", "Title" },
		{ "lead", "Wstęp", "Lead" },
		{ "intro", "Wstęp", "Introduction" },
		{ "body", "Treść", "Body" },
		{ "text", "Treść", "Text" },
		{ "comment", "Komentarz", "Comment" },
		{ "message", "Wiadomość", "Message" },
		{ "subject", "Temat", "Subject" },
		{ "note", "Uwaga", "Note" },
		{ "reason", "Powód", "Reason" },
		{ "description_pl", "Opis po polsku", "Description in Polish" },
		{ "description_en", "Opis po angielsku", "Description in English" },
		{ "pkd_codes", "Kody PKD", "PKD codes" },
		{ "valid_until", "Ważne do", "Valid until" },
		{ "email", "Adres e-mail", "E-mail address" },
		{ "proposer_email", "Adres e-mail zgłaszającego", "Proposer's e-mail address" },
		{ "street", "Ulica", "Street" },
		{ "city", "Miejscowość", "Town" },
		{ "postal_code", "Kod pocztowy", "Postal code" },
		{ "phone", "Telefon", "Phone" },
		{ "acronym", "Skrót", "Acronym" },
		{ "keywords", "Słowa kluczowe", "Keywords" },
		{ "price", "Cena", "Price" },
	};
	size_t i;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].name, name) == 0)
			return L(r, labels[i].pl, labels[i].en);
	buf_reset(tmp);
	buf_printf(tmp, "%s (%s)", L(r, "Pole", "Field"), name);
	return tmp->ptr;
}

static void form_refused(struct req *r)
{
	char mine[AUTH_TOKEN_LEN + 1];
	const char *got = req_form(r, "csrf"), *cookie = req_header(r, "Cookie"), *back;
	size_t i, shown = 0;
	struct buf tmp = BUF_INIT;
	if (!r->method || strcmp(r->method, "POST") != 0 || !r->form.n || !same_site_request(r))
		return;
	req_csrf(r, mine);
	if (r->logged_in && got && strcmp(got, mine) == 0)
		return;   /* a role's refusal, not an ended session */
	back = form_page(r);
	/* a session cookie that names no live session: it ended, and logging in again continues */
	if (r->logged_in || !cookie || !strstr(cookie, "ksid="))
		html_printf(&r->out, "<p class=\"form-back\"><a href=\"%s\">%s</a></p>", back,
			    L(r, "Otwórz formularz ponownie", "Open the form again"));
	else
		html_printf(&r->out, "<p class=\"form-back\"><a href=\"/login?next=%u\">%s</a></p>", back,
			    L(r, "Zaloguj się ponownie i wróć do formularza", "Log in again and return to the form"));
	for (i = 0; i < r->form.n; i++) {
		const char *name = r->form.names[i], *v = r->form.values[i], *c;
		int lines = 1;
		if (field_kept_back(name) || !v[strspn(v, "0123456789 \t\r\n")] || strlen(v) < 3)
			continue;   /* kept back, or no text: a number (an id), a code of a choice (pl), a tick */
		for (c = v; *c; c++)
			lines += *c == '\n';
		if (!shown++)
			html_printf(&r->out, "<section class=\"typed\" aria-labelledby=\"typed-h\"><h2 id=\"typed-h\">%s</h2><p>%s</p>",
				    L(r, "Tekst z formularza", "The text of the form"),
				    L(r, "Nic nie zostało zapisane. Skopiuj tekst, zanim otworzysz formularz ponownie.",
				      "Nothing was saved. Copy the text before you open the form again."));
		html_printf(&r->out, "<p class=\"field\"><label for=\"typed-%d\">%s</label><textarea id=\"typed-%d\" rows=\"%d\" "
			    "readonly>%s</textarea></p>", (int)i, typed_label(r, name, &tmp), (int)i, lines < 12 ? lines : 12, v);
	}
	if (shown)
		buf_puts(&r->out, "</section>");
	buf_release(&tmp);
}

void web_error_page(struct req *r, int status, const char *message)
{
	const char *title = status == 404 ? L(r, "Nie znaleziono", "Not found")
			  : status == 403 ? L(r, "Brak dostępu", "Forbidden")
			  : status == 409 ? L(r, "Konflikt", "Conflict")
			  : status == 429 ? L(r, "Zbyt wiele prób", "Too many attempts")
			  : status == 405 ? L(r, "Niedozwolona metoda", "Method not allowed")
			  : status == 413 ? L(r, "Za duże żądanie", "Request too large")
			  : status == 410 ? L(r, "Już niedostępne", "No longer available")
			  : status == 415 ? L(r, "Nieobsługiwany format", "Unsupported format")
			  : status == 401 ? L(r, "Wymagane logowanie", "Login required")
			  : status == 422 ? L(r, "Błędne dane", "Invalid data")
			  : status == 503 ? L(r, "Usługa chwilowo niedostępna", "Service temporarily unavailable")
			  : status >= 500 ? L(r, "Błąd serwera", "Server error")
					  : L(r, "Błędne żądanie", "Bad request");
	int sec = nav_section(r->path);
	struct buf pl = BUF_INIT;
	const char *msg_en = message, *msg_pl = i18n_pl(message, &pl);
	if (req_polish(r))
		message = msg_pl;
	page_begin(r, title);
	html_printf(&r->out, "<h1>%s</h1><p class=\"error\" role=\"alert\">%s</p>", title, message);
	if (status == 503 && msg_pl != msg_en)
		/* a passing failure (the database away) is said in the other language too: the
		 * visitor's choice of language may be what could not be read */
		html_printf(&r->out, "<p lang=\"%s\">%s</p>", req_polish(r) ? "en" : "pl",
			    req_polish(r) ? msg_en : msg_pl);
	buf_release(&pl);
	if (status == 403)
		form_refused(r);
	/* the links keep a language asked for in the address (?lang=en without the cookie), so
	 * that the way back is not in the other language */
	buf_puts(&r->out, "<p>");
	if (sec >= 0 && strncmp(nav[sec].href, "/api/", 5) != 0)
		html_printf(&r->out, "<a href=\"%s%R%s\">%s: %s</a> · ", nav[sec].href, req_lang_arg(r) ? "?lang=" : "",
			    req_lang_arg(r) ? req_lang_arg(r) : "", L(r, "Wróć", "Back to"), L(r, nav[sec].pl, nav[sec].en));
	html_printf(&r->out, "<a href=\"/%R%s\">%s</a></p>", req_lang_arg(r) ? "?lang=" : "",
		    req_lang_arg(r) ? req_lang_arg(r) : "", L(r, "Strona główna", "Home page"));
	page_end(r);
}

void form_open(struct req *r, const char *action, const char *cls)
{
	form_open_upload(r, action, cls, 0);
}

void form_open_upload(struct req *r, const char *action, const char *cls, int upload)
{
	char token[AUTH_TOKEN_LEN + 1];
	req_csrf(r, token);
	html_printf(&r->out, "<form method=\"post\" action=\"%s\"%R", action,
		    upload ? " enctype=\"multipart/form-data\"" : "");
	if (cls)
		html_printf(&r->out, " class=\"%s\"", cls);
	html_printf(&r->out, "><input type=\"hidden\" name=\"csrf\" value=\"%s\">", token);
	r->required_legend = 0;
}

static const char *invalid_mark(const struct req *r, const char *name, const char *attrs);

const char *web_invalid(const struct req *r, const char *name)
{
	return invalid_mark(r, name, NULL);
}

/* " aria-invalid=\"true\"" for a field an error alert named (and not already marked), else "". */
static const char *invalid_mark(const struct req *r, const char *name, const char *attrs)
{
	const char *s;
	size_t n = strlen(name);
	if (attrs && strstr(attrs, "aria-invalid"))
		return "";
	for (s = r->bad_fields; (s = strstr(s, name)) != NULL; s += n)
		if (s > r->bad_fields && s[-1] == ' ' && s[n] == ' ')
			return " aria-invalid=\"true\"";
	return "";
}

/* 1 when the raw attributes attrs hold the word "required". */
static int attrs_required(const char *attrs)
{
	const char *s;
	size_t n = strlen("required");
	for (s = attrs; s && (s = strstr(s, "required")) != NULL; s += n)
		if ((s == attrs || s[-1] == ' ') && (s[n] == '\0' || s[n] == ' ' || s[n] == '='))
			return 1;
	return 0;
}

void web_required_legend(struct req *r)
{
	if (r->required_legend)
		return;
	r->required_legend = 1;
	html_printf(&r->out, "<p class=\"hint required-legend\"><span class=\"req\" aria-hidden=\"true\">*</span> %s</p>",
		    L(r, "— pole wymagane", "— a required field"));
}

const char *web_required_mark(void)
{
	return " <span class=\"req\" aria-hidden=\"true\">*</span>";
}

/* The start of a field: the legend before a form's first required field, the
 * label (with the mark when required) and the hint (f-NAME-hint). */
static void field_head(struct req *r, const char *name, const char *label, const char *attrs, const char *hint)
{
	int req = attrs_required(attrs);
	if (req)
		web_required_legend(r);
	html_printf(&r->out, "<p class=\"field\"><label for=\"f-%s\">%s%R</label>", name, label,
		    req ? web_required_mark() : "");
	if (hint)
		html_printf(&r->out, "<span class=\"hint\" id=\"f-%s-hint\">%s</span>", name, hint);
}

void web_field_hint(struct req *r, const char *name, const char *label, const char *type, const char *value,
		    const char *attrs, const char *hint)
{
	field_head(r, name, label, attrs, hint);
	html_printf(&r->out, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\"%R%R%R", name, name, type,
		    value ? value : "", attrs ? " " : "", attrs ? attrs : "", invalid_mark(r, name, attrs));
	if (hint)
		html_printf(&r->out, " aria-describedby=\"f-%s-hint\"", name);
	buf_puts(&r->out, "></p>");
}

void web_field(struct req *r, const char *name, const char *label, const char *type, const char *value,
	       const char *attrs)
{
	web_field_hint(r, name, label, type, value, attrs, NULL);
}

void web_textarea_hint(struct req *r, const char *name, const char *label, const char *value, int rows,
		       const char *attrs, const char *hint)
{
	field_head(r, name, label, attrs, hint);
	html_printf(&r->out, "<textarea id=\"f-%s\" name=\"%s\" rows=\"%d\"%R%R%R", name, name, rows,
		    attrs ? " " : "", attrs ? attrs : "", invalid_mark(r, name, attrs));
	if (hint)
		html_printf(&r->out, " aria-describedby=\"f-%s-hint\"", name);
	html_printf(&r->out, ">%s</textarea></p>", value ? value : "");
}

void web_textarea(struct req *r, const char *name, const char *label, const char *value, int rows,
		  const char *attrs)
{
	web_textarea_hint(r, name, label, value, rows, attrs, NULL);
}

int web_confirmed(struct req *r)
{
	const char *c = req_form(r, "confirm");
	return c && strcmp(c, "1") == 0;
}

void web_confirm_page(struct req *r, const char *title, const char *what, const char *action,
		      const char *const *keep, const char *button, const char *back)
{
	const char *const *k;
	page_begin(r, title);
	html_printf(&r->out, "<h1>%s</h1><p class=\"confirm-what\" id=\"confirm-what\">%s</p>", title, what);
	form_open(r, action, "confirm");
	for (k = keep; k && *k; k++) {
		const char *v = req_form(r, *k);
		if (v && *v)
			html_printf(&r->out, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", *k, v);
	}
	html_printf(&r->out, "<input type=\"hidden\" name=\"confirm\" value=\"1\"><p><button type=\"submit\" class=\"danger\""
		    " aria-describedby=\"confirm-what\">%s</button> <a href=\"%s\">%s</a></p></form>",
		    button, web_local_path(back), L(r, "Anuluj", "Cancel"));
	page_end(r);
}

void web_alert(struct req *r, const char *cls, const char *message)
{
	if (strcmp(cls, "error") == 0)
		return web_form_errors(r, message, NULL);
	html_printf(&r->out, "<p class=\"%s\" role=\"status\">%s</p>", cls, message);
}

/* One problem "field: reason" of web_form_errors, in the page's language, the field by its label. */
static void form_error_line(struct req *r, const char *line, size_t len,
			    const char *(*label)(struct req *r, const char *field))
{
	struct buf one = BUF_INIT, pl = BUF_INIT, key = BUF_INIT;
	const char *m, *name = NULL;
	size_t n;
	buf_add(&one, line, len);
	/* the library's messages are English: a Polish page shows them in Polish (i18n.h) */
	m = req_polish(r) ? i18n_pl(one.ptr, &pl) : one.ptr;
	/* a field's name, or the id of a field named as another form's on the same page (delete-current) */
	n = *m == '-' ? 0 : strspn(m, "abcdefghijklmnopqrstuvwxyz0123456789_-");
	if (n && m[n] == ':') {
		/* the field the line begins with, for the form's fields to mark */
		size_t have = strlen(r->bad_fields);
		if (have + n + 3 < sizeof(r->bad_fields))
			snprintf(r->bad_fields + have, sizeof(r->bad_fields) - have, "%s%.*s ", have ? "" : " ",
				 (int)n, m);
		buf_add(&key, m, n);
		name = label ? label(r, key.ptr) : NULL;
	}
	if (name)
		html_printf(&r->out, "<a href=\"#f-%s\">%s</a>%s", key.ptr, name, m + n);
	else
		html_printf(&r->out, "%s", m);
	buf_release(&one);
	buf_release(&pl);
	buf_release(&key);
}

void web_form_errors(struct req *r, const char *message, const char *(*label)(struct req *r, const char *field))
{
	const char *s, *nl;
	size_t lines = 1;
	r->bad_fields[0] = '\0';
	for (s = message; (nl = strchr(s, '\n')) != NULL; s = nl + 1)
		lines++;
	if (lines == 1) {
		buf_puts(&r->out, "<p class=\"error\" role=\"alert\">");
		form_error_line(r, message, strlen(message), label);
		buf_puts(&r->out, "</p>");
		return;
	}
	html_printf(&r->out, "<div class=\"error\" role=\"alert\"><p>%s</p><ul>",
		    L(r, "Popraw zaznaczone pola:", "Please correct the fields marked:"));
	for (s = message; s; s = nl ? nl + 1 : NULL) {
		nl = strchr(s, '\n');
		buf_puts(&r->out, "<li>");
		form_error_line(r, s, nl ? (size_t)(nl - s) : strlen(s), label);
		buf_puts(&r->out, "</li>");
	}
	buf_puts(&r->out, "</ul></div>");
}

static int page_shown(long p, long page, long pages)
{
	return p <= 2 || p >= pages - 1 || (p >= page - 2 && p <= page + 2);
}

void web_pages(struct req *r, long page, long pages, void (*link)(void *ctx, long p, struct buf *out), void *ctx)
{
	struct buf href = BUF_INIT;
	long p;
	if (pages <= 1)
		return;
	html_printf(&r->out, "<nav class=\"pages\" aria-label=\"%s\"><ul>", L(r, "Strony", "Pages"));
	if (page > 1) {
		link(ctx, page - 1 < pages ? page - 1 : pages, &href);
		html_printf(&r->out, "<li><a rel=\"prev\" href=\"%s\">%s</a></li>", href.ptr, L(r, "« poprzednia", "« previous"));
	}
	for (p = 1; p <= pages; p++) {
		/* the first two, page ± 2 and the last two; a gap of one page shows that page */
		if (!page_shown(p, page, pages) && !(page_shown(p - 1, page, pages) && page_shown(p + 1, page, pages))) {
			if (page_shown(p - 1, page, pages))
				buf_puts(&r->out, "<li>…</li>");
			continue;
		}
		buf_reset(&href);
		link(ctx, p, &href);
		html_printf(&r->out, "<li><a%R href=\"%s\">%ld</a></li>", p == page ? " aria-current=\"page\"" : "", href.ptr, p);
	}
	if (page < pages) {
		buf_reset(&href);
		link(ctx, page + 1, &href);
		html_printf(&r->out, "<li><a rel=\"next\" href=\"%s\">%s</a></li>", href.ptr, L(r, "następna »", "next »"));
	}
	buf_puts(&r->out, "</ul></nav>");
	buf_release(&href);
}

/* A page number from 2 to 100000 in s, else 1. */
static long page_number(const char *s)
{
	long n = 0;
	if (!s || !*s || strlen(s) > 6)
		return 1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return 1;
		n = n * 10 + (*s - '0');
	}
	return n >= 2 && n <= 100000 ? n : 1;
}

void web_page_input(struct req *r)
{
	long p = page_number(req_arg(r, "page"));
	if (p > 1)
		html_printf(&r->out, "<input type=\"hidden\" name=\"page\" value=\"%ld\">", p);
}

void web_redirect_page(struct req *r, const char *where)
{
	struct buf to = BUF_INIT;
	long p = page_number(req_form(r, "page"));
	buf_puts(&to, where);
	if (p > 1)
		buf_printf(&to, "%cpage=%ld", strchr(where, '?') ? '&' : '?', p);
	req_redirect(r, to.ptr);
	buf_release(&to);
}

static void demo_badge(struct req *r, int demo)
{
	if (demo)
		html_printf(&r->out, " <span class=\"badge demo\" title=\"%s\">demo</span>",
			    L(r, "fikcyjne dane demonstracyjne", "fictional demo data"));
}

/* ---- select lists from reference data ---- */

static void select_open(struct req *r, const char *name, const char *label)
{
	html_printf(&r->out, "<label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"%R>", name, label, name, name,
		    web_invalid(r, name));
}

static void option(struct req *r, const char *value, const char *label, const char *current)
{
	html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", value,
		    current && strcmp(current, value) == 0 ? " selected" : "", label);
}

static void select_sql(struct req *r, const char *name, const char *label, const char *sql,
		       const char *current)
{
	struct db_stmt *st;
	select_open(r, name, label);
	option(r, "", L(r, "— wszystkie —", "— all —"), current);
	if (!db_prepare(r->db, sql, &st, NULL)) {
		db_bind_text(st, 1, r->lang);
		while (db_step(st, NULL) == 1)
			option(r, db_col_text(st, 0), db_col_text(st, 1), current);
		db_finalize(st);
	}
	buf_puts(&r->out, "</select>");
}

/* A whole number from the query string; absent or empty gives def. */
static int arg_number(struct req *r, const char *name, long long min, long long max, long long def,
		      long long *out, struct kerr *e)
{
	const char *v = req_arg(r, name);
	char *end;
	long long n;
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (*end || errno || !isdigit((unsigned char)*v) || n < min || n > max)
		return kerr_set(e, KERR_INPUT, "%s: must be a whole number from %lld to %lld", name, min, max);
	*out = n;
	return 0;
}

/* The cache key of a query: every field that changes the result. */
static void org_query_key(const struct org_query *q, struct buf *key)
{
	const char *parts[] = { q->q, q->type, q->size, q->section, q->pkd, q->pkd_version, q->voiv, q->sort };
	size_t i;
	/* values percent-encoded: none can imitate a separator */
	buf_puts(key, "orgs");
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		buf_putc(key, '&');
		esc_url(key, parts[i] ? parts[i] : "");
	}
	buf_printf(key, "&%lld&%ld&%ld", q->cluster, q->page, q->per_page);
}

/*
 * Downloads are built in a directory of this process's own, made once by
 * mkdtemp (mode 0700) in $TMPDIR (an absolute path, else /tmp) and removed
 * at exit: in a shared /tmp another local user could otherwise put a link
 * at a download's name and have the export written through it.  Nobody else
 * can create a name inside it.
 */
static pthread_once_t dl_once = PTHREAD_ONCE_INIT;
static char dl_dir[256];
static int dl_atexit;
static int dl_errno;

static void dl_dir_remove(void)
{
	if (dl_dir[0])
		rmdir(dl_dir);
}

/* Whether dl_dir is still a directory of this process's user that no one else may enter
 * (not a link to one). */
static int dl_dir_ours(void)
{
	struct stat st;
	return lstat(dl_dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 077);
}

static void dl_dir_make(void)
{
	const char *base = getenv("TMPDIR");
	if (!base || base[0] != '/' || strlen(base) > sizeof(dl_dir) - 40)
		base = "/tmp";
	snprintf(dl_dir, sizeof(dl_dir), "%s/klaster-dl.XXXXXX", base);
	if (!mkdtemp(dl_dir)) {
		dl_errno = errno;
		dl_dir[0] = '\0';
		return;
	}
	if (!dl_atexit++)
		atexit(dl_dir_remove);
}

int web_table_open(struct req *r, struct web_table *wt, enum tablew_format fmt, const char *sheet,
		   const char *const *cols, struct kerr *e)
{
	static unsigned long seq;
	static pthread_mutex_t seq_lock = PTHREAD_MUTEX_INITIALIZER;
	unsigned long k;
	size_t n = 0;
	(void)r;
	while (cols[n])
		n++;
	wt->fmt = fmt;
	wt->t = NULL;
	pthread_once(&dl_once, dl_dir_make);
	pthread_mutex_lock(&seq_lock);
	/* a cleaner of old files in /tmp may have removed the directory while the server rested
	 * (and someone else made one of that name): use it only while it is ours alone */
	if (dl_dir[0] && !dl_dir_ours())
		dl_dir_make();
	k = ++seq;
	pthread_mutex_unlock(&seq_lock);
	if (!dl_dir[0])
		return kerr_set(e, KERR_IO, "cannot make a private directory for downloads in $TMPDIR or /tmp: %s",
				strerror(dl_errno));
	snprintf(wt->tmp, sizeof(wt->tmp), "%s/%lu.%s", dl_dir, k,
		 fmt == TABLEW_XLSX ? "xlsx" : fmt == TABLEW_GEOJSON ? "geojson" : "csv");
	return tablew_open(&wt->t, fmt, wt->tmp, sheet, cols, n, e);
}

int web_table_read(struct web_table *wt, struct buf *out, struct kerr *e)
{
	char chunk[16384];
	size_t got;
	FILE *f;
	int rc = tablew_close(wt->t, e);
	wt->t = NULL;
	if (rc)
		return -1;
	if (!(f = fopen(wt->tmp, "rb"))) {
		rc = kerr_set(e, KERR_IO, "cannot read back %s: %s", wt->tmp, strerror(errno));
		remove(wt->tmp);
		return rc;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, got);
	fclose(f);
	remove(wt->tmp);
	return 0;
}

int web_table_send(struct req *r, struct web_table *wt, const char *filename, struct kerr *e)
{
	struct buf cd = BUF_INIT;
	if (web_table_read(wt, &r->out, e))
		return -1;
	r->ctype = wt->fmt == TABLEW_XLSX	 ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		   : wt->fmt == TABLEW_GEOJSON ? "application/geo+json"
					       : "text/csv; charset=utf-8";
	if (wt->fmt == TABLEW_XLSX)
		req_uncacheable(r);   /* its notes say when it was downloaded */
	buf_printf(&cd, "attachment; filename=\"%s\"", filename);
	req_header_add(r, "Content-Disposition", cd.ptr);
	buf_release(&cd);
	return 0;
}

int web_org_search(struct req *r, const struct org_query *q, long long *total,
		   int (*each)(void *ctx, const struct org *o), void *ctx, struct kerr *e)
{
	struct buf key = BUF_INIT, blob = BUF_INIT;
	long long gen, *ids = NULL, tot = 0;
	size_t n = 0;
	int rc = -1;

	gen = r->app->cache && q->per_page > 0 ? dir_generation(r->db) : -1;
	if (gen < 0)
		return dir_org_search(r->db, q, total, each, ctx, e);
	org_query_key(q, &key);
	if (kcache_get(r->app->cache, gen, key.ptr, &blob) && blob.len >= sizeof(long long) &&
	    (blob.len - sizeof(long long)) % sizeof(long long) == 0) {
		n = (blob.len - sizeof(long long)) / sizeof(long long);
		memcpy(&tot, blob.ptr, sizeof(tot));
		ids = xmalloc(st_mult(n ? n : 1, sizeof(*ids)));
		memcpy(ids, blob.ptr + sizeof(long long), n * sizeof(*ids));
	} else {
		if (dir_org_search_ids(r->db, q, &ids, &n, &tot, e))
			goto out;
		buf_reset(&blob);
		buf_add(&blob, &tot, sizeof(tot));
		buf_add(&blob, ids, n * sizeof(*ids));
		kcache_put(r->app->cache, gen, key.ptr, blob.ptr, blob.len);
	}
	if (total)
		*total = tot;
	rc = dir_org_emit(r->db, ids, n, each, ctx, e);
out:
	free(ids);
	buf_release(&key);
	buf_release(&blob);
	return rc;
}

int web_org_query(struct req *r, struct org_query *q, struct kerr *e)
{
	long long n;
	memset(q, 0, sizeof(*q));
	q->q = req_arg(r, "q");
	q->type = req_arg(r, "type");
	q->size = req_arg(r, "size");
	q->section = req_arg(r, "section");
	q->pkd = req_arg(r, "pkd");
	q->pkd_version = req_arg(r, "pkd_version");
	q->voiv = req_arg(r, "voiv");
	q->sort = req_arg(r, "sort");
	if (arg_number(r, "cluster", 1, LLONG_MAX, 0, &n, e))
		return -1;
	q->cluster = n;
	if (arg_number(r, "page", 1, 1000000, 1, &n, e))
		return -1;
	q->page = (long)n;
	if (arg_number(r, "per_page", 1, 500, 20, &n, e))
		return -1;
	q->per_page = (long)n;
	/* a filter that names nothing is a mistake to say, as the offers do, not an empty list */
	return org_query_check_db(r->db, q, e);
}

/* ---- home ---- */

static int home_cluster(void *ctx, const struct cluster *c)
{
	struct req *r = ctx;
	html_printf(&r->out, "<li><a href=\"/clusters/%lld\">%s</a> <span class=\"muted\">(%s, %lld %s)</span>",
		    c->id, c->name, c->region_name ? c->region_name : "—", c->nmembers,
		    c->nmembers == 1 ? L(r, "członek", "member") : L(r, "członków", "members"));
	demo_badge(r, c->demo);
	buf_puts(&r->out, "</li>");
	return 0;
}

static long long *voiv_values(struct req *r, int clusters, struct kerr *e)
{
	struct voiv_stat *vs;
	size_t n, i, j;
	long long *vals;
	if (dir_voiv_stats(r->db, &vs, &n, e))
		return NULL;
	vals = xcalloc(r->app->voiv.n + 1, sizeof(*vals));
	for (i = 0; i < r->app->voiv.n; i++)
		for (j = 0; j < n; j++)
			if (strcmp(vs[j].teryt, r->app->voiv.f[i].code) == 0)
				vals[i] = clusters ? vs[j].clusters : vs[j].orgs;
	dir_voiv_stats_free(vs, n);
	return vals;
}

void h_home(struct req *r)
{
	struct kerr e = KERR_INIT;
	long long norg = 0, ncl = 0, ndemo = 0;
	long long *vals;
	struct map_opts mo;

	db_query_int(r->db, &norg, NULL, "SELECT COUNT(*) FROM organisation", NULL);
	db_query_int(r->db, &ncl, NULL, "SELECT COUNT(*) FROM cluster", NULL);
	db_query_int(r->db, &ndemo, NULL, "SELECT COUNT(*) FROM cluster WHERE demo = 1", NULL);
	vals = voiv_values(r, 0, &e);
	if (!vals) {
		req_error_kerr(r, &e);
		return;
	}
	page_begin(r, L(r, "Katalog klastrów", "Cluster directory"));
	if (ndemo)
		html_printf(&r->out, "<p class=\"demo-banner\" role=\"note\">%s</p>",
			    L(r, "Ten katalog zawiera fikcyjne dane demonstracyjne (oznaczone „demo”).",
			      "This directory holds fictional demo data (marked “demo”)."));
	html_printf(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>",
		    L(r, "Klastry i ich członkowie", "Clusters and their members"),
		    L(r, "Przedsiębiorstwa, uczelnie i jednostki B+R, instytucje otoczenia biznesu, administracja "
			 "i organizacje pozarządowe, które współpracują w klastrach.",
		      "Enterprises, universities and R&D units, business-support institutions, public authorities "
			 "and NGOs that cooperate in clusters."));
	html_printf(&r->out, "<form class=\"search\" action=\"/organisations\" method=\"get\" role=\"search\">"
		    "<label for=\"home-q\">%s</label><input id=\"home-q\" name=\"q\" type=\"search\" maxlength=\"200\" placeholder=\"%s\">"
		    "<button type=\"submit\">%s</button></form>",
		    L(r, "Szukaj organizacji", "Search organisations"),
		    L(r, "nazwa, miasto, NIP, PKD…", "name, town, NIP, PKD…"), L(r, "Szukaj", "Search"));
	html_printf(&r->out, "<p class=\"stats\"><strong>%lld</strong> %s · <strong>%lld</strong> %s</p>",
		    norg, L(r, "organizacji", "organisations"), ncl, L(r, "klastrów", "clusters"));
	buf_puts(&r->out, "<div class=\"two\"><section>");
	html_printf(&r->out, "<h2>%s</h2>", L(r, "Organizacje w województwach", "Organisations by voivodeship"));
	memset(&mo, 0, sizeof(mo));
	mo.values = vals;
	mo.link_prefix = "/organisations?voiv=";
	mo.legend_title = L(r, "Liczba organizacji w województwach (kliknij region, by filtrować)",
			    "Organisations per voivodeship (click a region to filter)");
	map_svg(r, &r->out, &mo);
	free(vals);
	html_printf(&r->out, "</section><section><h2>%s</h2><ul class=\"clusters\">", L(r, "Klastry", "Clusters"));
	if (dir_cluster_list(r->db, NULL, NULL, home_cluster, r, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	buf_puts(&r->out, "</ul></section></div>");
	page_end(r);
}

/* ---- organisation directory ---- */

struct list_ctx {
	struct req *r;
	long n;
};

/* A ';'-joined code list shown as "a, b, c". */
static void pkd_list(struct buf *out, const char *codes)
{
	const char *p = codes;
	while (p && *p) {
		const char *semi = strchr(p, ';');
		size_t n = semi ? (size_t)(semi - p) : strlen(p);
		esc_html_n(out, p, n);
		if (semi)
			buf_puts(out, ", ");
		p = semi ? semi + 1 : NULL;
	}
}

void web_pkd_list(struct req *r, int version, const char *codes, const char *seps)
{
	const char *p = codes;
	buf_puts(&r->out, "<ul class=\"plain\">");
	while (p && *p) {
		size_t n = strcspn(p, seps);
		if (n) {
			char code[16], *name;
			snprintf(code, sizeof(code), "%.*s", (int)(n < 15 ? n : 15), p);
			buf_puts(&r->out, "<li>");
			esc_html_n(&r->out, p, n);
			if ((name = dir_pkd_name(r->db, version, code, r->lang)))
				html_printf(&r->out, " — %s", name);
			free(name);
			buf_puts(&r->out, "</li>");
		}
		p += n;
		if (*p)
			p++;
	}
	buf_puts(&r->out, "</ul>");
}

static int org_row(void *ctx, const struct org *o)
{
	struct list_ctx *lc = ctx;
	struct req *r = lc->r;
	html_printf(&r->out, "<tr><td><a href=\"/organisations/%lld\">%s</a>", o->id, o->name);
	demo_badge(r, o->demo);
	html_printf(&r->out, "</td><td>%s%s%s</td><td>%s</td><td>%s</td><td>",
		    org_type_label(o->type, r->lang), o->size_class ? ", " : "",
		    o->size_class ? org_size_label(o->size_class, r->lang) : "",
		    o->city ? o->city : "", o->voivodeship_name ? o->voivodeship_name : "");
	pkd_list(&r->out, o->pkd);
	buf_puts(&r->out, "</td></tr>");
	lc->n++;
	return 0;
}

/* A link to the same search with one parameter changed. */
static void search_link(struct req *r, struct buf *out, const char *key, const char *val)
{
	static const char *const keys[] = { "q", "type", "size", "section", "pkd", "pkd_version", "voiv", "cluster", "sort", "page",
					    "per_page", NULL };
	const char *const *k;
	int first = 1;
	buf_puts(out, "/organisations");
	for (k = keys; *k; k++) {
		const char *v = strcmp(*k, key) == 0 ? val : req_arg(r, *k);
		if (v && *v) {
			buf_putc(out, first ? '?' : '&');
			buf_puts(out, *k);
			buf_putc(out, '=');
			esc_url(out, v);
			first = 0;
		}
	}
}

/* web_pages' link: the same search on page p. */
static void orgs_page_link(void *ctx, long p, struct buf *out)
{
	char num[24];
	snprintf(num, sizeof(num), "%ld", p);
	search_link(ctx, out, "page", num);
}

/* The search form's filters (h_orgs) and their labels, by the name of their parameter. */
static const struct {
	const char *name, *pl, *en;
} org_filters[] = {
	{ "q", "Szukaj", "Search" },
	{ "type", "Typ", "Type" },
	{ "size", "Wielkość", "Size" },
	{ "section", "Sekcja PKD", "PKD section" },
	{ "pkd", "Kod PKD", "PKD code" },
	{ "pkd_version", "Wersja PKD", "PKD edition" },
	{ "voiv", "Województwo", "Voivodeship" },
	{ "cluster", "Klaster", "Cluster" },
	{ "sort", "Sortuj", "Sort by" },
};

/* The label an error line gives filter name, NULL when the form has no such field (web_form_errors). */
static const char *org_filter_label(struct req *r, const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(org_filters) / sizeof(org_filters[0]); i++)
		if (strcmp(org_filters[i].name, name) == 0)
			return L(r, org_filters[i].pl, org_filters[i].en);
	return NULL;
}

/*
 * A search parameter that is wrong, said above the search form: a filter by
 * its label, linked to its field (web_form_errors); the page and the number
 * of results a page, which the form has no field for, by what they are
 * rather than by the address's parameter name.
 */
static void orgs_query_error(struct req *r, const char *msg)
{
	static const struct {
		const char *name, *pl, *en;
	} params[] = {
		{ "page", "Numer strony", "Page number" },
		{ "per_page", "Liczba wyników na stronie", "Results per page" },
	};
	struct buf pl = BUF_INIT, said = BUF_INIT;
	const char *m = req_polish(r) ? i18n_pl(msg, &pl) : msg;
	size_t i, n;
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		n = strlen(params[i].name);
		if (strncmp(m, params[i].name, n) == 0 && m[n] == ':') {
			buf_printf(&said, "%s%s", L(r, params[i].pl, params[i].en), m + n);
			break;
		}
	}
	web_form_errors(r, said.len ? said.ptr : msg, org_filter_label);
	buf_release(&pl);
	buf_release(&said);
}

void h_orgs(struct req *r)
{
	struct org_query q;
	struct kerr e = KERR_INIT;
	long long total = 0;
	struct list_ctx lc = { r, 0 };
	struct buf link = BUF_INIT;
	long pages;
	static const char *const sort_keys[] = { "name", "-name", "newest", "voivodeship" };
	const char *sort_pl[] = { "nazwa A–Ż", "nazwa Ż–A", "ostatnio zmienione", "województwo" };
	const char *sort_en[] = { "name A–Z", "name Z–A", "recently changed", "voivodeship" };
	size_t i;
	int bad = web_org_query(r, &q, &e);

	/* a cluster that is not there (KERR_NOTFOUND) is a filter value the form cannot take as well */
	if (bad && e.kind != KERR_INPUT && !(e.kind == KERR_NOTFOUND && strncmp(e.msg, "cluster:", 8) == 0)) {
		req_error_kerr(r, &e);
		return;
	}
	page_begin(r, L(r, "Organizacje", "Organisations"));
	html_printf(&r->out, "<h1>%s</h1><p class=\"actions\"><a href=\"/organisations/new\">%s</a></p>",
		    L(r, "Organizacje", "Organisations"), L(r, "Dodaj firmę lub instytucję", "Add a company or institution"));
	if (bad) {
		/* a filter the search cannot take: said above the form, which keeps what was typed */
		r->status = 400;
		orgs_query_error(r, e.msg);
	}
	html_printf(&r->out, "<form class=\"filters\" action=\"/organisations\" method=\"get\" role=\"search\">"
		    "<div class=\"f-q\"><label for=\"f-q\">%s</label><input id=\"f-q\" type=\"search\" name=\"q\" maxlength=\"200\" value=\"%s\"%R></div>",
		    org_filter_label(r, "q"), q.q ? q.q : "", web_invalid(r, "q"));
	buf_puts(&r->out, "<div>");
	select_open(r, "type", org_filter_label(r, "type"));
	option(r, "", L(r, "— wszystkie —", "— all —"), q.type);
	for (i = 0; org_types[i]; i++)
		option(r, org_types[i], org_type_label(org_types[i], r->lang), q.type);
	buf_puts(&r->out, "</select></div><div>");
	select_open(r, "size", org_filter_label(r, "size"));
	option(r, "", L(r, "— wszystkie —", "— all —"), q.size);
	for (i = 0; org_sizes[i]; i++)
		option(r, org_sizes[i], org_size_label(org_sizes[i], r->lang), q.size);
	buf_puts(&r->out, "</select></div><div>");
	/* the sections of the edition chosen below (their letters differ from J on) */
	select_sql(r, "section", org_filter_label(r, "section"),
		   q.pkd_version && strcmp(q.pkd_version, "2025") == 0
			   ? "SELECT code, code || ' — ' || CASE WHEN ? = 'en' AND name_en IS NOT NULL THEN name_en ELSE "
			     "name_pl END FROM pkd WHERE version = 2025 AND level = 'section' ORDER BY code"
			   : "SELECT code, code || ' — ' || CASE WHEN ? = 'en' AND name_en IS NOT NULL THEN name_en ELSE "
			     "name_pl END FROM pkd WHERE version = 2007 AND level = 'section' ORDER BY code",
		   q.section);
	html_printf(&r->out, "</div><div class=\"f-pkd\"><label for=\"f-pkd\">%s</label><input id=\"f-pkd\" "
		    "name=\"pkd\" value=\"%s\" size=\"8\" maxlength=\"20\" placeholder=\"62.01\" title=\"%s\"%R></div><div>",
		    org_filter_label(r, "pkd"), q.pkd ? q.pkd : "",
		    L(r, "Dział, grupa, klasa lub podklasa: 62, 62.0, 62.01, 62.01.Z",
		      "A division, group, class or subclass: 62, 62.0, 62.01, 62.01.Z"), web_invalid(r, "pkd"));
	select_open(r, "pkd_version", org_filter_label(r, "pkd_version"));
	option(r, "2007", "PKD 2007", q.pkd_version && *q.pkd_version ? q.pkd_version : "2007");
	option(r, "2025", "PKD 2025", q.pkd_version && *q.pkd_version ? q.pkd_version : "2007");
	buf_puts(&r->out, "</select></div><div>");
	select_sql(r, "voiv", org_filter_label(r, "voiv"),
		   /* TERYT numbers the voivodeships in Polish alphabetical order (łódzkie after lubuskie),
		    * which a byte order of the names is not */
		   "SELECT teryt, name FROM region WHERE level = 'voivodeship' AND ? <> '' ORDER BY teryt", q.voiv);
	buf_puts(&r->out, "</div><div>");
	{
		char cur[24] = "";
		if (q.cluster)
			snprintf(cur, sizeof(cur), "%lld", q.cluster);
		select_sql(r, "cluster", org_filter_label(r, "cluster"),
			   "SELECT CAST(id AS TEXT), acronym || ' — ' || name FROM cluster WHERE ? <> '' ORDER BY sort_key",
			   cur);
	}
	buf_puts(&r->out, "</div><div>");
	select_open(r, "sort", org_filter_label(r, "sort"));
	for (i = 0; i < 4; i++)
		option(r, sort_keys[i], L(r, sort_pl[i], sort_en[i]), q.sort ? q.sort : "name");
	html_printf(&r->out, "</select></div><div class=\"f-go\"><button type=\"submit\">%s</button> "
		    "<a href=\"/organisations\">%s</a></div></form>",
		    L(r, "Filtruj", "Filter"), L(r, "wyczyść", "clear"));

	if (bad) {
		page_end(r);
		return;
	}
	/* results */
	{
		struct buf tmp = BUF_INIT;
		size_t mark = r->out.len;
		buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"results\"><thead><tr>");
		html_printf(&r->out, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">PKD</th></tr></thead><tbody>",
			    L(r, "Nazwa", "Name"), L(r, "Typ", "Type"), L(r, "Miejscowość", "Town"),
			    L(r, "Województwo", "Voivodeship"));
		if (web_org_search(r, &q, &total, org_row, &lc, &e)) {
			buf_release(&tmp);
			buf_release(&r->out);
			req_error_kerr(r, &e);
			return;
		}
		buf_puts(&r->out, "</tbody></table></div>");
		/* the count goes above the table */
		html_printf(&tmp, "<p class=\"count\" role=\"status\">%s: <strong>%lld</strong>", L(r, "Znaleziono", "Found"), total);
		search_link(r, &link, "page", "");
		{
			struct buf csv = BUF_INIT;
			const char *qs = strchr(link.ptr, '?');
			buf_printf(&csv, "/organisations.csv%s", qs ? qs : "");
			html_printf(&tmp, " · <a href=\"%s\" download>%s</a>", csv.ptr, L(r, "pobierz CSV", "download CSV"));
			buf_reset(&csv);
			buf_printf(&csv, "/organisations.xlsx%s", qs ? qs : "");
			html_printf(&tmp, " · <a href=\"%s\" download>XLSX</a>", csv.ptr);
			buf_release(&csv);
		}
		buf_puts(&tmp, "</p>");
		if (total == 0)
			html_printf(&tmp, "<p>%s</p>", L(r, "Brak organizacji spełniających kryteria.",
							  "No organisations match these criteria."));
		else if (q.per_page && q.page > (total + q.per_page - 1) / q.per_page) {
			struct buf last = BUF_INIT;
			long n = (long)((total + q.per_page - 1) / q.per_page);
			orgs_page_link(r, n, &last);
			html_printf(&tmp, "<p class=\"notice\">%s %ld. <a href=\"%s\">%s %ld</a></p>",
				    L(r, "Wyniki kończą się na stronie", "The results end on page"), n, last.ptr,
				    L(r, "Przejdź do strony", "Go to page"), n);
			buf_release(&last);
		}
		{
			/* insert tmp at mark */
			struct buf all = BUF_INIT;
			buf_add(&all, r->out.ptr, mark);
			buf_add(&all, tmp.ptr, tmp.len);
			buf_add(&all, r->out.ptr + mark, r->out.len - mark);
			all.cap = r->out.cap;
			buf_release(&r->out);
			r->out = all;
		}
		buf_release(&tmp);
	}
	pages = q.per_page ? (long)((total + q.per_page - 1) / q.per_page) : 1;
	web_pages(r, q.page, pages, orgs_page_link, r);
	buf_release(&link);
	page_end(r);
}

static int org_csv_row(void *ctx, const struct org *o)
{
	struct buf *out = ctx;
	const char *v[ORG_NCOLS];
	char ver[8], lat[32], lon[32];
	size_t i;
	org_values(o, v, ver, lat, lon);
	for (i = 0; i < ORG_NCOLS; i++) {
		if (i)
			buf_putc(out, ',');
		esc_csv(out, v[i]);
	}
	buf_puts(out, "\r\n");
	return 0;
}

/* The CSV has the import columns, so an export can be imported again. */
int dir_org_csv(struct db *db, const struct org_query *q, struct buf *out, struct kerr *e)
{
	size_t i;
	if (org_query_check_db(db, q, e))
		return -1;
	for (i = 0; org_columns[i]; i++)
		buf_printf(out, "%s%s", i ? "," : "", org_columns[i]);
	buf_puts(out, "\r\n");
	return dir_org_search(db, q, NULL, org_csv_row, out, e);
}

static int org_table_row(void *ctx, const struct org *o)
{
	struct tablew *t = ctx;
	const char *v[ORG_NCOLS];
	char ver[8], lat[32], lon[32];
	size_t i;
	org_values(o, v, ver, lat, lon);
	for (i = 0; i < ORG_NCOLS; i++) {
		if (strcmp(org_columns[i], "pkd_version") == 0)
			tablew_int(t, o->pkd_version);
		else if (strcmp(org_columns[i], "lat") == 0)
			tablew_num(t, o->has_coords ? o->lat : NAN);
		else if (strcmp(org_columns[i], "lon") == 0)
			tablew_num(t, o->has_coords ? o->lon : NAN);
		else
			tablew_text(t, v[i]);
	}
	if (o->has_coords)   /* GeoJSON: the organisation's place (null without coordinates) */
		tablew_point(t, o->lon, o->lat);
	tablew_end_row(t);
	return 0;
}

int dir_org_table(struct db *db, const struct org_query *q, struct tablew *t, struct kerr *e)
{
	if (org_query_check_db(db, q, e))
		return -1;
	return dir_org_search(db, q, NULL, org_table_row, t, e);
}

void h_orgs_csv(struct req *r)
{
	struct org_query q;
	struct kerr e = KERR_INIT;
	int rc;
	if (web_org_query(r, &q, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	q.per_page = 0;   /* the whole result, not one page */
	q.page = 1;
	rc = dir_org_csv(r->db, &q, &r->out, &e);
	if (rc) {
		req_error_kerr(r, &e);
		return;
	}
	r->ctype = "text/csv; charset=utf-8";
	req_header_add(r, "Content-Disposition", "attachment; filename=\"organisations.csv\"");
}

/* The same search as a workbook: the import columns (coordinates and the PKD edition as numbers)
 * and a second sheet saying where the table comes from and which filters made it. */
void h_orgs_xlsx(struct req *r)
{
	struct org_query q;
	struct kerr e = KERR_INIT;
	struct web_table wt;
	struct buf filters = BUF_INIT, when = BUF_INIT;
	char now[32];
	size_t i;
	int rc = -1;
	if (web_org_query(r, &q, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	q.per_page = 0;
	q.page = 1;
	{
		const char *parts[][2] = { { "q", q.q }, { "type", q.type }, { "size", q.size }, { "section", q.section },
					   { "pkd", q.pkd }, { "pkd_version", q.pkd && *q.pkd ? (q.pkd_version && *q.pkd_version ?
												  q.pkd_version : "2007") : NULL },
					   { "voiv", q.voiv } };
		for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
			if (parts[i][1] && *parts[i][1])
				buf_printf(&filters, "%s%s=%s", filters.len ? ", " : "", parts[i][0], parts[i][1]);
		if (q.cluster)
			buf_printf(&filters, "%scluster=%lld", filters.len ? ", " : "", q.cluster);
	}
	dir_now(now);
	buf_printf(&when, "%s: %s UTC", L(r, "Wyeksportowano", "Exported"), now);
	{
		struct buf f = BUF_INIT;
		const char *notes[4];
		buf_printf(&f, "%s: %s", L(r, "Filtry", "Filters"), filters.len ? filters.ptr : L(r, "brak", "none"));
		notes[0] = L(r, "Źródło: katalog organizacji klaster", "Source: the klaster organisation directory");
		notes[1] = when.ptr;
		notes[2] = f.ptr;
		notes[3] = NULL;
		if (web_table_open(r, &wt, TABLEW_XLSX, "organisations", org_columns, &e) == 0) {
			if (dir_org_table(r->db, &q, wt.t, &e)) {
				tablew_abort(wt.t);
			} else {
				tablew_notes(wt.t, L(r, "źródło", "source"), notes);
				rc = web_table_send(r, &wt, "organisations.xlsx", &e);
			}
		}
		buf_release(&f);
	}
	buf_release(&filters);
	buf_release(&when);
	if (rc)
		req_error_kerr(r, &e);
}

/* ---- organisation profile ---- */

static int parse_id(const char *s, long long *id)
{
	char *end;
	if (!s || !*s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*id = strtoll(s, &end, 10);
	return *end || errno || *id <= 0 ? -1 : 0;
}

int web_canonical_path(struct req *r, const char *canon)
{
	struct buf to = BUF_INIT, self = BUF_INIT;
	const char *qs;
	static const char *const more[] = { "lang", "saved" };
	size_t i;
	if (strcmp(r->path, canon) == 0)
		return 0;
	/* the query goes along: the portal's arguments, and ?lang= and ?saved= */
	web_self_url(r, &self);
	qs = self.ptr ? strchr(self.ptr, '?') : NULL;
	buf_printf(&to, "%s%s", canon, qs ? qs : "");
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		const char *v = req_arg(r, more[i]);
		if (v && *v) {
			buf_printf(&to, "%c%s=", strchr(to.ptr, '?') ? '&' : '?', more[i]);
			esc_url(&to, v);
		}
	}
	req_redirect(r, to.ptr);
	r->status = 301;
	buf_release(&to);
	buf_release(&self);
	return 1;
}

/* A profile's one address, prefix + id (web_canonical_path).  1 when redirected. */
static int canonical_id(struct req *r, const char *prefix, long long id)
{
	char path[64];
	snprintf(path, sizeof(path), "%s%lld", prefix, id);
	return web_canonical_path(r, path);
}

/* On a profile, for those who may change it: "saved" after an edit (?saved=1), and the link to
 * prefix + id + "/edit". */
static void profile_edit_link(struct req *r, const char *prefix, long long id, const char *label)
{
	const char *saved = req_arg(r, "saved");
	if (saved && strcmp(saved, "1") == 0)
		web_alert(r, "notice", L(r, "Zapisano zmiany profilu.", "The profile's changes are saved."));
	html_printf(&r->out, "<p class=\"actions\"><a href=\"%s%lld/edit\">%s</a></p>", prefix, id, label);
}

static void dl_row(struct req *r, const char *label, const char *value)
{
	if (value && *value)
		html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", label, value);
}

void web_member_earlier(struct req *r, struct buf *out, const struct member *m, const char *lead)
{
	size_t i;
	if (!m->nearlier)
		return;
	html_printf(out, "%s<span class=\"earlier\">%s ", lead, L(r, "wcześniej:", "earlier:"));
	for (i = 0; i < m->nearlier; i++) {
		const struct member_period *p = &m->earlier[i];
		if (i)
			buf_puts(out, ", ");
		if (p->joined && *p->joined)
			html_printf(out, "%s – %s", p->joined, p->left_on);
		else
			html_printf(out, "%s %s", L(r, "do", "until"), p->left_on);
	}
	buf_puts(out, "</span>");
}

static int org_cluster_li(void *ctx, const struct cluster *c, const struct member *m)
{
	struct req *r = ctx;
	html_printf(&r->out, "<li><a href=\"/clusters/%lld\">%s</a> — %s", c->id, c->name,
		    member_role_label(m->role, r->lang));
	if (m->joined)
		html_printf(&r->out, ", %s %s", L(r, "od", "since"), m->joined);
	if (m->left_on)
		html_printf(&r->out, ", %s %s", L(r, "do", "until"), m->left_on);
	web_member_earlier(r, &r->out, m, "; ");
	buf_puts(&r->out, "</li>");
	return 0;
}

static int count_none(void *ctx, const struct offer *o)
{
	(void)ctx;
	(void)o;
	return 0;
}

static int news_none(void *ctx, const struct article *a)
{
	(void)ctx;
	(void)a;
	return 0;
}

/* The published offers and services of an organisation (org_id > 0) or of a cluster's current
 * members (cluster_id > 0), as links to their lists (nothing when there are none). */
static void org_entries(struct req *r, long long org_id, long long cluster_id)
{
	static const struct {
		enum offer_base b;
		const char *pl, *en, *path;
	} bases[] = {
		{ OFFER_BASE_OFFERS, "Oferty", "Offers", "/offers" },
		{ OFFER_BASE_SERVICES, "Usługi", "Services", "/services" },
	};
	char today[11];
	size_t i;
	int shown = 0;
	offer_today(today);
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		struct offer_query q;
		struct offer_result res;
		memset(&q, 0, sizeof(q));
		q.today = today;
		q.org = org_id;
		q.cluster = cluster_id;
		q.page = 1;
		q.per_page = 1;
		if (offer_query_check(bases[i].b, &q, NULL) ||
		    offer_search(r->db, bases[i].b, &q, &res, count_none, NULL, NULL) || res.total == 0)
			continue;
		if (!shown++)
			html_printf(&r->out, "<h2>%s</h2><ul>", cluster_id ? L(r, "Oferty i usługi członków", "The members' offers and services")
									  : L(r, "Oferty i usługi", "Offers and services"));
		html_printf(&r->out, "<li><a href=\"%s?%R=%lld\">%s: %lld</a></li>", bases[i].path, cluster_id ? "cluster" : "org",
			    cluster_id ? cluster_id : org_id, L(r, bases[i].pl, bases[i].en), res.total);
	}
	if (shown)
		buf_puts(&r->out, "</ul>");
}

void h_org(struct req *r)
{
	struct org o;
	struct kerr e = KERR_INIT;
	long long id;
	const char *desc;

	if (parse_id(r->arg, &id)) {
		req_error(r, 404, L(r, "Nie ma takiej organizacji.", "No such organisation."));
		return;
	}
	if (canonical_id(r, "/organisations/", id))
		return;
	if (dir_org_get(r->db, id, &o, &e)) {
		if (e.kind == KERR_NOTFOUND)
			req_error(r, 404, L(r, "Nie ma takiej organizacji.", "No such organisation."));
		else
			req_error_kerr(r, &e);
		return;
	}
	page_begin(r, o.name);
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/organisations\">%s</a></p><h1>%s",
		    L(r, "Organizacje", "Organisations"), o.name);
	demo_badge(r, o.demo);
	buf_puts(&r->out, "</h1>");
	/* its editor and the administrators change the profile (web_moderation.c) */
	if (r->logged_in && auth_can_edit_org(&r->user, o.id))
		profile_edit_link(r, "/organisations/", o.id, L(r, "Edytuj profil", "Edit the profile"));
	buf_puts(&r->out, "<div class=\"two\"><section><dl class=\"facts\">");
	dl_row(r, L(r, "Typ", "Type"), org_type_label(o.type, r->lang));
	if (o.size_class)
		dl_row(r, L(r, "Wielkość", "Size"), org_size_label(o.size_class, r->lang));
	dl_row(r, "NIP", o.nip);
	dl_row(r, "REGON", o.regon);
	dl_row(r, "KRS", o.krs);
	if (o.pkd) {
		struct buf b = BUF_INIT;
		html_printf(&r->out, "<dt>%s (PKD %d)</dt><dd>", L(r, "Działalność", "Activity"), o.pkd_version);
		web_pkd_list(r, o.pkd_version, o.pkd, ";");
		buf_puts(&r->out, "</dd>");
		buf_release(&b);
	}
	{
		struct buf a = BUF_INIT;
		if (o.street)
			buf_printf(&a, "%s, ", o.street);
		if (o.postal_code)
			buf_printf(&a, "%s ", o.postal_code);
		if (o.city)
			buf_puts(&a, o.city);
		dl_row(r, L(r, "Adres", "Address"), a.ptr);
		buf_release(&a);
	}
	dl_row(r, L(r, "Województwo", "Voivodeship"), o.voivodeship_name);
	dl_row(r, "TERYT", o.teryt);
	if (o.website)
		html_printf(&r->out, "<dt>%s</dt><dd><a href=\"%s\" rel=\"nofollow noopener\">%s</a></dd>",
			    L(r, "Strona WWW", "Website"), o.website, o.website);
	if (o.email)
		html_printf(&r->out, "<dt>E-mail</dt><dd><a href=\"mailto:%s\">%s</a></dd>", o.email, o.email);
	dl_row(r, L(r, "Telefon", "Phone"), o.phone);
	buf_puts(&r->out, "</dl>");
	desc = r->lang[0] == 'e' && o.description_en ? o.description_en : o.description_pl;
	if (desc)
		esc_html_paragraphs(&r->out, desc, "desc");
	html_printf(&r->out, "<h2>%s</h2><ul>", L(r, "Członkostwo w klastrach", "Cluster membership"));
	{
		size_t before = r->out.len;
		if (dir_org_clusters(r->db, o.id, org_cluster_li, r, &e)) {
			org_release(&o);
			req_error_kerr(r, &e);
			return;
		}
		if (r->out.len == before)
			html_printf(&r->out, "<li>%s</li>", L(r, "brak", "none"));
	}
	buf_puts(&r->out, "</ul>");
	org_entries(r, o.id, 0);
	buf_puts(&r->out, "</section><section>");
	{
		struct map_opts mo;
		double pt[2];
		memset(&mo, 0, sizeof(mo));
		mo.highlight = o.voivodeship;
		if (o.has_coords) {
			pt[0] = o.lon;
			pt[1] = o.lat;
			mo.points = pt;
			mo.npoints = 1;
		}
		mo.width = 360;
		mo.legend_title = L(r, "Położenie organizacji", "Location of the organisation");
		map_svg(r, &r->out, &mo);
	}
	buf_puts(&r->out, "</section></div>");
	org_release(&o);
	page_end(r);
}

/* ---- clusters ---- */

/* Whether a label given from..to (ISO dates; to "" while it lasts) is held on today.
 * from is "YYYY-MM-DD" and ends at the '/' that follows it. */
static int label_current(const char *from, const char *to, const char *today)
{
	return strncmp(from, today, 10) <= 0 && (!*to || strcmp(to, today) >= 0);
}

static int cluster_row(void *ctx, const struct cluster *c)
{
	struct req *r = ctx;
	html_printf(&r->out, "<tr><td><a href=\"/clusters/%lld\">%s</a>", c->id, c->name);
	demo_badge(r, c->demo);
	html_printf(&r->out, "</td><td>%s</td><td>%s</td><td class=\"num\">%lld</td><td>", c->acronym,
		    c->region_name ? c->region_name : "", c->nmembers);
	if (c->labels) {
		char *copy = xstrdup(c->labels), *p = copy, today[11];
		offer_today(today);
		while (p && *p) {
			char *semi = strchr(p, ';'), *at, *slash;
			if (semi)
				*semi = '\0';
			at = strchr(p, '@');
			slash = at ? strchr(at, '/') : NULL;
			if (at)
				*at = '\0';
			/* the list shows the labels held today; the profile lists them all with their dates */
			if (!at || !slash || label_current(at + 1, slash + 1, today))
				html_printf(&r->out, "<span class=\"badge label-%s\">%s</span> ", p,
					    cluster_label_name(p, r->lang));
			p = semi ? semi + 1 : NULL;
		}
		free(copy);
	}
	buf_puts(&r->out, "</td></tr>");
	return 0;
}

/* The cluster search's fields (h_clusters) by their parameter's name, NULL for none (web_form_errors). */
static const char *cluster_filter_label(struct req *r, const char *name)
{
	if (strcmp(name, "q") == 0)
		return L(r, "Szukaj klastrów", "Search clusters");
	if (strcmp(name, "voiv") == 0)
		return L(r, "Województwo", "Voivodeship");
	return NULL;
}

static int cluster_list_row(void *ctx, const struct cluster *c)
{
	struct list_ctx *lc = ctx;
	lc->n++;
	return cluster_row(lc->r, c);
}

void h_clusters(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct list_ctx lc = { r, 0 };
	const char *q = req_arg(r, "q"), *voiv = req_arg(r, "voiv");
	int bad = cluster_query_check_db(r->db, q, voiv, &e);
	if (bad && e.kind != KERR_INPUT) {
		req_error_kerr(r, &e);
		return;
	}
	page_begin(r, L(r, "Klastry", "Clusters"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Klastry", "Clusters"));
	if (bad) {
		/* said above the form, which keeps what was given (as the organisations' search) */
		r->status = 400;
		web_form_errors(r, e.msg, cluster_filter_label);
	}
	/* the voivodeship a map's link filters by is a field of the form, so that it shows and a
	 * search keeps it */
	html_printf(&r->out, "<form class=\"search\" action=\"/clusters\" method=\"get\" role=\"search\">"
		    "<label for=\"f-q\">%s</label><input id=\"f-q\" type=\"search\" name=\"q\" maxlength=\"200\" value=\"%s\"%R>",
		    cluster_filter_label(r, "q"), q ? q : "", web_invalid(r, "q"));
	select_sql(r, "voiv", cluster_filter_label(r, "voiv"),
		   "SELECT teryt, name FROM region WHERE level = 'voivodeship' AND ? <> '' ORDER BY teryt", voiv);
	html_printf(&r->out, "<button type=\"submit\">%s</button></form>", L(r, "Szukaj", "Search"));
	if (bad) {
		page_end(r);
		return;
	}
	html_printf(&r->out, "<div class=\"table-wrap\"><table class=\"results\"><thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>",
		    L(r, "Nazwa", "Name"), L(r, "Akronim", "Acronym"), L(r, "Województwo", "Voivodeship"),
		    L(r, "Członkowie", "Members"), L(r, "Wyróżnienia", "Labels"));
	if (dir_cluster_list(r->db, q, voiv, cluster_list_row, &lc, &e)) {
		buf_release(&r->out);
		req_error_kerr(r, &e);
		return;
	}
	buf_puts(&r->out, "</tbody></table></div>");
	if (!lc.n)
		html_printf(&r->out, "<p role=\"status\">%s</p>", L(r, "Brak klastrów spełniających kryteria.",
								       "No clusters match these criteria."));
	page_end(r);
}

struct structure {
	struct req *r;
	long types[5], sizes[4], total, former;
	double *pts;
	size_t npts;
	struct buf rows;
};

static int member_row(void *ctx, const struct member *m)
{
	struct structure *s = ctx;
	struct req *r = s->r;
	size_t i;
	if (m->left_on) {
		s->former++;
	} else {
		s->total++;
		for (i = 0; org_types[i]; i++)
			if (strcmp(org_types[i], m->org.type) == 0)
				s->types[i]++;
		for (i = 0; m->org.size_class && org_sizes[i]; i++)
			if (strcmp(org_sizes[i], m->org.size_class) == 0)
				s->sizes[i]++;
		if (m->org.has_coords) {
			s->pts = xrealloc(s->pts, st_mult(s->npts + 1, 2 * sizeof(double)));
			s->pts[2 * s->npts] = m->org.lon;
			s->pts[2 * s->npts + 1] = m->org.lat;
			s->npts++;
		}
	}
	html_printf(&s->rows, "<tr%R><td><a href=\"/organisations/%lld\">%s</a></td><td>%s</td><td>%s</td>"
		    "<td>%s</td><td>%s</td><td class=\"date\">%s",
		    m->left_on ? " class=\"former\"" : "", m->org.id, m->org.name,
		    org_type_label(m->org.type, r->lang),
		    m->org.size_class ? org_size_label(m->org.size_class, r->lang) : "",
		    m->org.city ? m->org.city : "", member_role_label(m->role, r->lang),
		    m->joined ? m->joined : "");
	web_member_earlier(r, &s->rows, m, "<br>");
	html_printf(&s->rows, "</td><td class=\"date\">%s</td></tr>", m->left_on ? m->left_on : "");
	return 0;
}

static void bar_table(struct req *r, const char *caption, const char *const *keys, const long *counts,
		      size_t n, long total)
{
	size_t i;
	html_printf(&r->out, "<table class=\"bars\"><caption>%s</caption><tbody>", caption);
	for (i = 0; i < n; i++) {
		int pct = total ? (int)(100.0 * (double)counts[i] / (double)total + 0.5) : 0;
		html_printf(&r->out, "<tr><th scope=\"row\">%s</th><td class=\"num\">%ld</td>"
			    "<td><span class=\"bar\" data-pct=\"%d\"><span class=\"bar-fill w%d\"></span></span> %d%%</td></tr>",
			    org_type_label(keys[i], r->lang), counts[i], pct, pct / 5 * 5, pct);
	}
	buf_puts(&r->out, "</tbody></table>");
}

void h_cluster(struct req *r)
{
	struct cluster c;
	struct kerr e = KERR_INIT;
	struct structure s;
	const char *desc;

	if (!r->arg || strlen(r->arg) > 100 || dir_cluster_get(r->db, r->arg, &c, &e)) {
		if (e.kind == KERR_DB)
			req_error_kerr(r, &e);
		else
			req_error(r, 404, L(r, "Nie ma takiego klastra.", "No such cluster."));
		return;
	}
	if (isdigit((unsigned char)r->arg[0]) && canonical_id(r, "/clusters/", c.id)) {
		cluster_release(&c);
		return;
	}
	memset(&s, 0, sizeof(s));
	s.r = r;
	buf_init(&s.rows, 0);
	if (dir_cluster_members(r->db, c.id, member_row, &s, &e)) {
		cluster_release(&c);
		buf_release(&s.rows);
		free(s.pts);
		req_error_kerr(r, &e);
		return;
	}
	page_begin(r, c.name);
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/clusters\">%s</a></p><h1>%s <span class=\"muted\">(%s)</span>",
		    L(r, "Klastry", "Clusters"), c.name, c.acronym);
	demo_badge(r, c.demo);
	buf_puts(&r->out, "</h1>");
	{
		/* the request to join: for a visitor (it leads to the login) and an organisation's editor
		 * whose organisation is not in the cluster; a pending request is said instead */
		int state = -1;
		if (r->logged_in && r->user.org_id > 0 && auth_can_edit_org(&r->user, r->user.org_id))
			state = mod_membership_state(r->db, c.id, r->user.org_id, NULL);
		if (!r->logged_in || state == 0)
			html_printf(&r->out, "<p class=\"actions\"><a href=\"/clusters/%lld/join\">%s</a></p>", c.id,
				    L(r, "Poproś o przyjęcie organizacji do klastra", "Ask for your organisation to join"));
		else if (state == 2)
			html_printf(&r->out, "<p class=\"actions\"><a href=\"/clusters/%lld/join\">%s</a></p>", c.id,
				    L(r, "Prośba Twojej organizacji czeka na decyzję koordynatora",
				      "Your organisation's request waits for the coordinator's decision"));
	}
	/* its coordinator and the administrators change the profile (web_moderation.c) */
	if (r->logged_in && auth_can_coordinate(&r->user, c.id))
		profile_edit_link(r, "/clusters/", c.id, L(r, "Edytuj profil klastra", "Edit the cluster's profile"));
	buf_puts(&r->out, "<div class=\"two\"><section><dl class=\"facts\">");
	if (c.coordinator_id)
		html_printf(&r->out, "<dt>%s</dt><dd><a href=\"/organisations/%lld\">%s</a></dd>",
			    L(r, "Koordynator", "Coordinator"), c.coordinator_id, c.coordinator_name);
	if (c.founded)
		html_printf(&r->out, "<dt>%s</dt><dd>%d</dd>", L(r, "Rok założenia", "Founded"), c.founded);
	dl_row(r, L(r, "Województwo", "Voivodeship"), c.region_name);
	if (c.sectors) {
		html_printf(&r->out, "<dt>%s</dt><dd>", L(r, "Sektory (PKD)", "Sectors (PKD)"));
		web_pkd_list(r, 2007, c.sectors, ";");
		buf_puts(&r->out, "</dd>");
	}
	if (c.labels) {
		char *copy = xstrdup(c.labels), *p = copy, today[11];
		offer_today(today);
		html_printf(&r->out, "<dt>%s</dt><dd><ul class=\"plain\">", L(r, "Wyróżnienia", "Labels"));
		while (p && *p) {
			char *semi = strchr(p, ';'), *at, *slash;
			if (semi)
				*semi = '\0';
			at = strchr(p, '@');
			slash = at ? strchr(at, '/') : NULL;
			if (at && slash) {
				int now = label_current(at + 1, slash + 1, today);
				*at = *slash = '\0';
				html_printf(&r->out, "<li%R><span class=\"badge label-%s\">%s</span> %s – %s%s</li>",
					    now ? "" : " class=\"muted\"", p, cluster_label_name(p, r->lang), at + 1,
					    slash[1] ? slash + 1 : "…",
					    now ? "" : slash[1] && strcmp(slash + 1, today) < 0 ? L(r, " (wygasło)", " (expired)")
												: L(r, " (jeszcze nie)", " (not yet)"));
			}
			p = semi ? semi + 1 : NULL;
		}
		free(copy);
		buf_puts(&r->out, "</ul></dd>");
	}
	if (c.website)
		html_printf(&r->out, "<dt>%s</dt><dd><a href=\"%s\" rel=\"nofollow noopener\">%s</a></dd>",
			    L(r, "Strona WWW", "Website"), c.website, c.website);
	if (c.email)
		html_printf(&r->out, "<dt>E-mail</dt><dd><a href=\"mailto:%s\">%s</a></dd>", c.email, c.email);
	buf_puts(&r->out, "</dl>");
	desc = r->lang[0] == 'e' && c.description_en ? c.description_en : c.description_pl;
	if (desc)
		esc_html_paragraphs(&r->out, desc, "desc");
	html_printf(&r->out, "<h2>%s</h2><p>%s: <strong>%ld</strong>", L(r, "Struktura", "Structure"),
		    L(r, "Członkowie", "Members"), s.total);
	if (s.former)
		html_printf(&r->out, " (%s: %ld)", L(r, "byli", "former"), s.former);
	buf_puts(&r->out, "</p>");
	bar_table(r, L(r, "Członkowie według typu", "Members by type"), org_types, s.types, 5, s.total);
	{
		long ent = s.types[0];
		bar_table(r, L(r, "Przedsiębiorstwa według wielkości", "Enterprises by size"), org_sizes, s.sizes, 4, ent);
	}
	buf_puts(&r->out, "</section><section>");
	{
		struct map_opts mo;
		memset(&mo, 0, sizeof(mo));
		mo.highlight = c.region;
		mo.points = s.pts;
		mo.npoints = s.npts;
		mo.width = 420;
		mo.legend_title = L(r, "Położenie członków klastra", "Where the cluster's members are");
		map_svg(r, &r->out, &mo);
	}
	buf_puts(&r->out, "</section></div>");
	{
		struct buf link = BUF_INIT;
		buf_printf(&link, "/organisations?cluster=%lld", c.id);
		html_printf(&r->out, "<h2>%s</h2><p><a href=\"%s\">%s</a></p>", L(r, "Członkowie", "Members"), link.ptr,
			    L(r, "Przeszukaj członków w katalogu", "Search the members in the directory"));
		buf_release(&link);
	}
	html_printf(&r->out, "<div class=\"table-wrap\"><table class=\"results\"><thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		    L(r, "Nazwa", "Name"), L(r, "Typ", "Type"), L(r, "Wielkość", "Size"),
		    L(r, "Miejscowość", "Town"), L(r, "Rola", "Role"), L(r, "Od", "Joined"), L(r, "Do", "Left"));
	buf_add(&r->out, s.rows.ptr, s.rows.len);
	buf_puts(&r->out, "</tbody></table></div>");
	org_entries(r, 0, c.id);
	{
		/* the cluster's news, when it has published any */
		struct news_query nq;
		long long total = 0;
		memset(&nq, 0, sizeof(nq));
		nq.published_only = 1;
		nq.cluster_id = c.id;
		nq.limit = 1;   /* the count is what is wanted */
		if (news_list(r->db, &nq, &total, news_none, NULL, NULL) == 0 && total > 0)
			html_printf(&r->out, "<h2>%s</h2><p><a href=\"/news?cluster=%lld\">%s: %lld</a></p>",
				    L(r, "Aktualności", "News"), c.id, L(r, "Aktualności klastra", "The cluster's news"), total);
	}
	buf_release(&s.rows);
	free(s.pts);
	cluster_release(&c);
	page_end(r);
}

/* ---- map ---- */

void h_map(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *layer = req_arg(r, "layer");
	int clusters = layer && strcmp(layer, "clusters") == 0;
	struct voiv_stat *vs = NULL;
	size_t nvs = 0, i, j, npts = 0;
	long long *vals;
	double *pts = NULL;
	struct map_opts mo;

	if (layer && *layer && strcmp(layer, "clusters") && strcmp(layer, "organisations")) {
		req_error(r, 400, L(r, "Warstwa (layer) musi być „organizacje” albo „klastry”.",
				    "layer must be organisations or clusters."));
		return;
	}
	if (dir_voiv_stats(r->db, &vs, &nvs, &e) || dir_member_points(r->db, 5000, &pts, &npts, &e)) {
		dir_voiv_stats_free(vs, nvs);
		req_error_kerr(r, &e);
		return;
	}
	/* values in the order of the map's features */
	vals = xcalloc(r->app->voiv.n + 1, sizeof(*vals));
	for (i = 0; i < r->app->voiv.n; i++)
		for (j = 0; j < nvs; j++)
			if (strcmp(vs[j].teryt, r->app->voiv.f[i].code) == 0)
				vals[i] = clusters ? vs[j].clusters : vs[j].orgs;
	page_begin(r, L(r, "Mapa", "Map"));
	html_printf(&r->out, "<h1>%s</h1><p class=\"tabs\"><a href=\"/map?layer=organisations\"%R>%s</a> · "
		    "<a href=\"/map?layer=clusters\"%R>%s</a></p>",
		    L(r, "Mapa klastrów i organizacji", "Map of clusters and organisations"),
		    clusters ? "" : " aria-current=\"true\"", L(r, "Organizacje", "Organisations"),
		    clusters ? " aria-current=\"true\"" : "", L(r, "Klastry", "Clusters"));
	memset(&mo, 0, sizeof(mo));
	mo.values = vals;
	mo.link_prefix = clusters ? "/clusters?voiv=" : "/organisations?voiv=";
	mo.points = pts;
	mo.npoints = npts;
	mo.legend_title = clusters ? L(r, "Liczba klastrów w województwach; punkty: członkowie klastrów",
				       "Clusters per voivodeship; dots: cluster members")
				   : L(r, "Liczba organizacji w województwach; punkty: członkowie klastrów",
				       "Organisations per voivodeship; dots: cluster members");
	buf_puts(&r->out, "<div class=\"two\"><section>");
	map_svg(r, &r->out, &mo);
	html_printf(&r->out, "<p class=\"muted\">%s</p></section><section><div class=\"table-wrap\"><table class=\"results\"><caption>%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>",
		    L(r, "Kliknij województwo, aby zobaczyć jego organizacje lub klastry.",
		      "Click a voivodeship to see its organisations or clusters."),
		    L(r, "Województwa", "Voivodeships"), L(r, "Województwo", "Voivodeship"),
		    L(r, "Organizacje", "Organisations"), L(r, "Członkowie klastrów", "Cluster members"),
		    L(r, "Klastry", "Clusters"));
	for (j = 0; j < nvs; j++)
		html_printf(&r->out, "<tr><td><a href=\"/organisations?voiv=%s\">%s</a></td><td class=\"num\">%lld</td>"
			    "<td class=\"num\">%lld</td><td class=\"num\"><a href=\"/clusters?voiv=%s\">%lld</a></td></tr>",
			    vs[j].teryt, vs[j].name, vs[j].orgs, vs[j].members, vs[j].teryt, vs[j].clusters);
	buf_puts(&r->out, "</tbody></table></div></section></div>");
	free(vals);
	free(pts);
	dir_voiv_stats_free(vs, nvs);
	page_end(r);
}

void h_map_svg(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *layer = req_arg(r, "layer");
	long long *vals = voiv_values(r, layer && strcmp(layer, "clusters") == 0, &e);
	struct map_opts mo;
	if (!vals) {
		req_error_kerr(r, &e);
		return;
	}
	memset(&mo, 0, sizeof(mo));
	mo.values = vals;
	mo.link_prefix = "/organisations?voiv=";
	buf_puts(&r->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	map_svg(r, &r->out, &mo);
	free(vals);
	r->ctype = "image/svg+xml";
}

/* ---- small routes ---- */

const char *web_local_path(const char *p)
{
	const unsigned char *b;
	/* Browsers drop tabs and newlines from URLs and read '\\' as '/', so any
	 * control byte, space, DEL or backslash anywhere makes the target "/"
	 * ("/\t/evil.example" would be "//evil.example", another site). */
	if (!p || p[0] != '/' || p[1] == '/')
		return "/";
	for (b = (const unsigned char *)p; *b; b++)
		if (*b < 0x21 || *b == 0x7f || *b == '\\')
			return "/";
	return p;
}

void h_lang(struct req *r)
{
	const char *set = req_arg(r, "set"), *back = req_arg(r, "back");
	if (!set || (strcmp(set, "pl") && strcmp(set, "en"))) {
		req_error(r, 400, "set must be pl or en");
		return;
	}
	back = web_local_path(back);
	req_header_add(r, "Set-Cookie", strcmp(set, "en") == 0
			   ? "lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
			   : "lang=pl; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
	req_redirect(r, back);
}

void h_health(struct req *r)
{
	struct kerr e = KERR_INIT;
	int v = db_schema_version(r->db, &e);
	r->ctype = "application/json";
	if (v < 0) {
		r->status = 503;
		buf_puts(&r->out, "{\"status\":\"error\"}\n");
		return;
	}
	buf_printf(&r->out, "{\"status\":\"ok\",\"database\":\"%s\",\"schema\":%d", db_kind_name(r->db), v);
	if (r->app->cache) {
		struct kcache_stats cs;
		kcache_stats(r->app->cache, &cs);
		buf_printf(&r->out, ",\"search_cache\":{\"hits\":%llu,\"misses\":%llu,\"entries\":%llu,"
			   "\"bytes\":%llu,\"flushes\":%llu}", cs.hits, cs.misses, cs.entries, cs.bytes, cs.flushes);
	}
	{
		struct dscache_stats ds;
		dscache_stats(&ds);
		buf_printf(&r->out, ",\"dataset_cache\":{\"hits\":%lu,\"misses\":%lu,\"entries\":%lu,\"bytes\":%lu,"
			   "\"room\":%lu}", ds.hits, ds.misses, (unsigned long)ds.entries, (unsigned long)ds.bytes,
			   (unsigned long)ds.room);
	}
	buf_puts(&r->out, "}\n");
}
