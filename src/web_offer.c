/*
 * web_offer.c — the offers database ("baza ofert") and the pages it shares
 * with the services database (web_service.c, through web_offer.h): the
 * listings and entry pages, the add and edit forms, withdrawal, "I am
 * interested" with its relayed replies (/offers/reply), the editors' list
 * (/offers/mine), the moderation queue (/admin/offers) and the JSON API.
 * The work is done by offer.c; these handlers read forms, check roles on
 * the server and render.  Every change is one transaction with its audit
 * entry and its mail.
 */
#include "web_offer.h"

#include "esc.h"
#include "i18n.h"

#define LIST_PER_PAGE 20
#define INTEREST_PER_USER 5         /* "I am interested" messages per user … */
#define INTEREST_WINDOW 3600        /* … per hour */
#define REPLY_PER_IP 30             /* relayed replies per client address per hour */
#define MINE_LIMIT 200
#define QUEUE_LIMIT 200
#define ORG_SELECT_MAX 1000         /* above this many organisations an admin types the id */

static const struct base_ui {
	const char *path, *type;
	const char *pl, *en;
	const char *add_pl, *add_en;
	const char *lead_pl, *lead_en;
	const char *none_pl, *none_en;
	const char *one_pl, *one_en;        /* "ofercie", "offer": after "about the" */
} uis[2] = {
	{ "/offers", "offer", "Baza ofert", "Offers", "Dodaj ofertę", "Add an offer",
	  "Oferty podaży, popytu, współpracy, podwykonawstwa i technologii od firm i instytucji z klastrów.",
	  "Supply, demand, cooperation, subcontracting and technology offers from cluster members.",
	  "Brak ofert spełniających kryteria.", "No offers match these criteria.", "oferty", "offer" },
	{ "/services", "service", "Baza usług", "Services", "Dodaj usługę", "Add a service",
	  "Usługi instytucji otoczenia biznesu, jednostek B+R i uczelni: doradztwo, szkolenia, finansowanie, "
	  "laboratoria, transfer technologii, wsparcie eksportu.",
	  "Services of business-support institutions, R&D units and universities: consulting, training, financing, "
	  "laboratories, technology transfer, export support.",
	  "Brak usług spełniających kryteria.", "No services match these criteria.", "usługi", "service" },
};

/* ---- small helpers ---- */

static int parse_id(const char *s, long long *id)
{
	const char *p;
	if (!s || !*s || strlen(s) > 18)
		return -1;
	for (p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	*id = strtoll(s, NULL, 10);
	return *id > 0 ? 0 : -1;
}

static void demo_badge(struct req *r, int demo)
{
	if (demo)
		html_printf(&r->out, " <span class=\"badge demo\" title=\"%s\">demo</span>",
			    L(r, "fikcyjne dane demonstracyjne", "fictional demo data"));
}

/* The first max characters of s (escaped), with "…" when cut. */
static void excerpt(struct buf *out, const char *s, size_t max)
{
	size_t i = 0, chars = 0;
	while (s[i] && chars < max) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	esc_html_n(out, s, i);
	if (s[i])
		buf_puts(out, "…");
}

static void date_of(long long t, char out[11])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void option(struct req *r, const char *value, const char *label, const char *current)
{
	html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", value,
		    current && strcmp(current, value) == 0 ? " selected" : "", label);
}

/* A select of the voivodeships (first option: any / the whole country). */
static void voiv_options(struct req *r, const char *current, const char *none)
{
	struct db_stmt *st;
	option(r, "", none, current);
	if (!db_prepare(r->db, "SELECT teryt, name FROM region WHERE level = 'voivodeship' ORDER BY teryt", &st, NULL)) {
		while (db_step(st, NULL) == 1)
			option(r, db_col_text(st, 0), db_col_text(st, 1), current);
		db_finalize(st);
	}
}

/* Rolls back and answers with the error (a database error mid-change). */
static void fail_tx(struct req *r, struct kerr *e)
{
	db_rollback(r->db);
	req_error_kerr(r, e);
}

static const char *notice_of(struct req *r)
{
	static const struct {
		const char *code, *pl, *en;
	} done[] = {
		{ "created", "Zapisano. Wpis czeka na moderację i pojawi się na liście po zatwierdzeniu.",
		  "Saved. The entry awaits moderation and will be listed once approved." },
		{ "saved", "Zapisano zmiany.", "Changes saved." },
		{ "resubmitted", "Zapisano zmiany. Wpis wraca do moderacji.", "Changes saved. The entry goes back to moderation." },
		{ "withdrawn", "Wpis wycofany.", "The entry was withdrawn." },
		{ "sent", "Wiadomość wysłana. Osoba kontaktowa odpowie przez portal — Twój adres e-mail pozostaje ukryty.",
		  "Message sent. The contact person will answer through the portal; your e-mail address stays hidden." },
		{ "approved", "Zatwierdzono.", "Approved." },
		{ "rejected", "Odrzucono.", "Rejected." },
	};
	const char *d = req_arg(r, "done");
	size_t i;
	for (i = 0; d && i < sizeof(done) / sizeof(done[0]); i++)
		if (strcmp(d, done[i].code) == 0)
			return L(r, done[i].pl, done[i].en);
	return NULL;
}

/* ---- the listing ---- */

static const char *kind_param(enum offer_base b) { return offer_kind_field(b); }

/* A whole number from the query string; absent or empty gives def. */
static int arg_number(struct req *r, const char *name, long min, long max, long def, long *out, struct kerr *e)
{
	const char *v = req_arg(r, name);
	char *end;
	long n;
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (*end || errno || !isdigit((unsigned char)*v) || n < min || n > max)
		return kerr_set(e, KERR_INPUT, "%s: must be a whole number from %ld to %ld", name, min, max);
	*out = n;
	return 0;
}

/*
 * The cluster of cluster= (its number or acronym, in any case) into *id, 0
 * when the parameter is not given; -1 with a message (KERR_NOTFOUND, naming
 * the parameter) for a cluster there is not.  Its id and name only: a
 * listing needs no more (dir_cluster_get would load its members too).
 */
static int cluster_arg(struct req *r, long long *id, struct kerr *e)
{
	const char *v = req_arg(r, "cluster");
	char v40[41], *name = NULL;
	*id = 0;
	if (!v || !*v)
		return 0;
	if (strlen(v) <= 64) {
		if (isdigit((unsigned char)*v))
			*id = strspn(v, "0123456789") == strlen(v) && strlen(v) < 19 ? strtoll(v, NULL, 10) : 0;
		else if (dir_cluster_id(r->db, v, id, e))
			return -1;   /* the database's failure */
		if (*id > 0 && !(name = dir_cluster_name(r->db, *id)))
			*id = 0;
		free(name);
	}
	if (*id > 0)
		return 0;
	snprintf(v40, sizeof(v40), "%.40s", v);
	/* as /news?cluster= says it: a filter by what is not there */
	return kerr_set(e, KERR_NOTFOUND, "cluster: there is no cluster '%s' (give its number or acronym)", v40);
}

/* Adds the problem of one (a line "param: reason") to lines; *found_only stays 1 while every
 * problem is of a thing there is not (KERR_NOTFOUND). */
static void query_problem(struct buf *lines, const struct kerr *one, int *found_only)
{
	buf_printf(lines, "%s%s", lines->len ? "\n" : "", one->msg);
	if (one->kind != KERR_NOTFOUND)
		*found_only = 0;
}

/*
 * The listing's parameters into *q.  Every problem is found, one line "param: reason" each in
 * the order of the form, then the parameters the form has no control for: KERR_NOTFOUND when
 * all of them name what is not there (an organisation, a cluster), else KERR_INPUT.  *q then
 * holds what could be read (a refused page or per_page its default), for the form to keep.
 */
static int read_query(struct req *r, enum offer_base b, struct offer_query *q, char today[11], struct kerr *e)
{
	struct kerr one = KERR_INIT;
	struct buf lines = BUF_INIT, later = BUF_INIT;
	int found_only = 1, rc = 0;
	long org = 0;
	char *name;

	memset(q, 0, sizeof(*q));
	offer_today(today);
	q->today = today;
	q->q = req_arg(r, "q");
	q->kind = req_arg(r, kind_param(b));
	q->voiv = req_arg(r, "voiv");
	q->pkd = b == OFFER_BASE_OFFERS ? req_arg(r, "pkd") : NULL;
	q->price = b == OFFER_BASE_SERVICES ? req_arg(r, "price") : NULL;
	q->sort = req_arg(r, "sort");
	if (arg_number(r, "page", 1, 100000, 1, &q->page, &one)) {
		query_problem(&later, &one, &found_only);
		q->page = 1;
	}
	if (arg_number(r, "per_page", 1, 100, LIST_PER_PAGE, &q->per_page, &one)) {
		query_problem(&later, &one, &found_only);
		q->per_page = LIST_PER_PAGE;
	}
	if (offer_query_check(b, q, &one))
		query_problem(&lines, &one, &found_only);
	/* the entries of an organisation there is not: 404 naming the parameter, as for a
	 * cluster, not an empty list under its number */
	if (arg_number(r, "org", 1, 999999999999L, 0, &org, &one)) {
		query_problem(&later, &one, &found_only);
	} else if (org > 0) {
		if ((name = dir_org_name(r->db, org)) != NULL) {
			q->org = org;   /* kept by the form of a listing that refuses another parameter */
			free(name);
		} else {
			kerr_set(&one, KERR_NOTFOUND, "org: no organisation #%ld", org);
			query_problem(&later, &one, &found_only);
		}
	}
	if (cluster_arg(r, &q->cluster, &one)) {
		if (one.kind != KERR_NOTFOUND) {
			*e = one;   /* the database's failure */
			rc = -1;
			goto out;
		}
		query_problem(&later, &one, &found_only);
	}
	if (later.len)
		buf_printf(&lines, "%s%s", lines.len ? "\n" : "", later.ptr);
	if (lines.len)
		rc = kerr_set_lines(e, found_only ? KERR_NOTFOUND : KERR_INPUT, lines.ptr);
out:
	buf_release(&lines);
	buf_release(&later);
	return rc;
}

/*
 * The listing's parameters by the names its page shows: the filters by
 * their controls' labels (an error line links to the control, which is
 * marked), and those the form has no control for (they come in the
 * address: a page, an organisation's or a cluster's link) by what they
 * mean, with the parameter beside it.
 */
static const struct filter_name {
	const char *name, *pl, *en;
	int control;                 /* 1: the form has a control #f-NAME */
} filter_names[] = {
	{ "q", "Szukaj", "Search", 1 }, { "kind", "Rodzaj", "Kind", 1 }, { "category", "Kategoria", "Category", 1 },
	{ "voiv", "Województwo", "Voivodeship", 1 }, { "pkd", "Kod PKD", "PKD code", 1 }, { "price", "Cena", "Price", 1 },
	{ "sort", "Sortuj", "Sort by", 1 }, { "page", "Numer strony", "Page number", 0 },
	{ "per_page", "Liczba wpisów na stronie", "Entries per page", 0 }, { "org", "Organizacja", "Organisation", 0 },
	{ "cluster", "Klaster", "Cluster", 0 },
};

static const struct filter_name *filter_name_of(const char *name, size_t n)
{
	size_t i;
	for (i = 0; i < sizeof(filter_names) / sizeof(filter_names[0]); i++)
		if (strlen(filter_names[i].name) == n && strncmp(filter_names[i].name, name, n) == 0)
			return &filter_names[i];
	return NULL;
}

/* The label of the filter control of parameter name, NULL when the form has none (web_form_errors). */
static const char *filter_label(struct req *r, const char *name)
{
	const struct filter_name *f = filter_name_of(name, strlen(name));
	return f && f->control ? L(r, f->pl, f->en) : NULL;
}

/* A listing's problems, one "param: reason" a line, above its form in the page's language: a
 * filter's by its label, linked to its control (marked); a parameter without one by its meaning
 * ("Page number (page): …"). */
static void listing_error(struct req *r, const char *msg)
{
	struct buf text = BUF_INIT, one = BUF_INIT, pl = BUF_INIT;
	const char *s, *nl;
	for (s = msg; s; s = nl ? nl + 1 : NULL) {
		size_t len, n;
		const struct filter_name *f;
		const char *m;
		nl = strchr(s, '\n');
		len = nl ? (size_t)(nl - s) : strlen(s);
		n = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
		f = n < len && s[n] == ':' ? filter_name_of(s, n) : NULL;
		if (text.len)
			buf_putc(&text, '\n');
		if (!f || f->control) {
			buf_add(&text, s, len);   /* web_form_errors names it by its label */
			continue;
		}
		buf_reset(&one);
		buf_add(&one, s, len);
		buf_reset(&pl);
		m = req_polish(r) ? i18n_pl(one.ptr, &pl) : one.ptr;
		if (strncmp(m, f->name, n) == 0 && m[n] == ':')
			buf_printf(&text, "%s (%s)%s", L(r, f->pl, f->en), f->name, m + n);
		else
			buf_puts(&text, m);
	}
	web_form_errors(r, text.ptr, filter_label);
	buf_release(&text);
	buf_release(&one);
	buf_release(&pl);
}

/* A link to the same listing with one parameter changed. */
static void list_link(struct req *r, enum offer_base b, struct buf *out, const char *key, const char *val)
{
	const char *keys[] = { "q", kind_param(b), "voiv", b == OFFER_BASE_OFFERS ? "pkd" : "price", "sort",
			       "org", "cluster", "per_page", "page" };
	size_t i;
	int first = 1;
	buf_puts(out, uis[b].path);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = strcmp(keys[i], key) == 0 ? val : req_arg(r, keys[i]);
		if (v && *v) {
			buf_putc(out, first ? '?' : '&');
			buf_puts(out, keys[i]);
			buf_putc(out, '=');
			esc_url(out, v);
			first = 0;
		}
	}
}

struct page_link_ctx {
	struct req *r;
	enum offer_base b;
};

static void page_link(void *ctx, long p, struct buf *out)
{
	struct page_link_ctx *pl = ctx;
	char num[24];
	snprintf(num, sizeof(num), "%ld", p);
	list_link(pl->r, pl->b, out, "page", num);
}

struct list_ctx {
	struct req *r;
	struct buf *out;
};

static int list_row(void *ctx, const struct offer *o)
{
	struct list_ctx *lc = ctx;
	struct req *r = lc->r;
	struct buf *out = lc->out;
	html_printf(out, "<tr><td><a href=\"%s/%lld\">%s</a>", uis[o->base].path, o->id, o->title);
	if (o->demo)
		html_printf(out, " <span class=\"badge demo\" title=\"%s\">demo</span>",
			    L(r, "fikcyjne dane demonstracyjne", "fictional demo data"));
	buf_puts(out, "<br><small>");
	excerpt(out, o->description, 200);
	html_printf(out, "</small></td><td>%s</td><td><a href=\"/organisations/%lld\">%s</a></td><td>%s</td>",
		    offer_kind_label(o->base, o->kind, r->lang), o->org_id, o->org_name,
		    o->voivodeship_name ? o->voivodeship_name : L(r, "cała Polska", "all of Poland"));
	if (o->base == OFFER_BASE_OFFERS)
		html_printf(out, "<td class=\"date\">%s</td></tr>", o->valid_until);
	else
		html_printf(out, "<td>%s%s%s</td></tr>", offer_price_label(o->price_model, r->lang),
			    o->price_note ? " — " : "", o->price_note ? o->price_note : "");
	return 0;
}

static int may_add(struct req *r, enum offer_base b);

/* The filter form of the listing, with the values of q (as typed, also when refused); the
 * controls an error alert named are marked (web_invalid). */
static void list_form(struct req *r, enum offer_base b, const struct offer_query *q)
{
	const struct base_ui *u = &uis[b];
	const char *const *kinds = offer_kind_list(b);
	const char *kp = kind_param(b);
	size_t i;
	html_printf(&r->out, "<form class=\"filters\" action=\"%s\" method=\"get\" role=\"search\">"
		    "<div class=\"f-q\"><label for=\"f-q\">%s</label><input id=\"f-q\" type=\"search\" name=\"q\" value=\"%s\""
		    " maxlength=\"200\"%R></div><div>",
		    u->path, filter_label(r, "q"), q->q ? q->q : "", web_invalid(r, "q"));
	if (q->org > 0)
		html_printf(&r->out, "<input type=\"hidden\" name=\"org\" value=\"%lld\">", q->org);
	if (q->cluster > 0)
		html_printf(&r->out, "<input type=\"hidden\" name=\"cluster\" value=\"%lld\">", q->cluster);
	html_printf(&r->out, "<label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"%R>", kp, filter_label(r, kp), kp,
		    kp, web_invalid(r, kp));
	option(r, "", L(r, "— wszystkie —", "— all —"), q->kind);
	for (i = 0; kinds[i]; i++)
		option(r, kinds[i], offer_kind_label(b, kinds[i], r->lang), q->kind);
	html_printf(&r->out, "</select></div><div><label for=\"f-voiv\">%s</label><select id=\"f-voiv\" name=\"voiv\"%R>",
		    filter_label(r, "voiv"), web_invalid(r, "voiv"));
	voiv_options(r, q->voiv, L(r, "— wszystkie —", "— all —"));
	buf_puts(&r->out, "</select></div><div>");
	if (b == OFFER_BASE_OFFERS) {
		html_printf(&r->out, "<label for=\"f-pkd\">%s</label><input id=\"f-pkd\" name=\"pkd\" value=\"%s\" size=\"8\""
			    " maxlength=\"10\" placeholder=\"62.01\"%R>",
			    filter_label(r, "pkd"), q->pkd ? q->pkd : "", web_invalid(r, "pkd"));
	} else {
		html_printf(&r->out, "<label for=\"f-price\">%s</label><select id=\"f-price\" name=\"price\"%R>",
			    filter_label(r, "price"), web_invalid(r, "price"));
		option(r, "", L(r, "— wszystkie —", "— all —"), q->price);
		for (i = 0; service_price_models[i]; i++)
			option(r, service_price_models[i], offer_price_label(service_price_models[i], r->lang), q->price);
		buf_puts(&r->out, "</select>");
	}
	html_printf(&r->out, "</div><div><label for=\"f-sort\">%s</label><select id=\"f-sort\" name=\"sort\"%R>",
		    filter_label(r, "sort"), web_invalid(r, "sort"));
	option(r, "newest", L(r, "najnowsze", "newest"), q->sort ? q->sort : "newest");
	option(r, "title", L(r, "tytuł A–Ż", "title A–Z"), q->sort);
	if (b == OFFER_BASE_OFFERS)
		option(r, "valid_until", L(r, "najkrócej ważne", "ending soonest"), q->sort);
	html_printf(&r->out, "</select></div><div class=\"f-go\"><button type=\"submit\">%s</button> "
		    "<a href=\"%s\">%s</a></div></form>",
		    L(r, "Filtruj", "Filter"), u->path, L(r, "wyczyść", "clear"));
}

void offers_list(struct req *r, enum offer_base b)
{
	const struct base_ui *u = &uis[b];
	struct offer_query q;
	struct offer_result res;
	struct kerr e = KERR_INIT;
	struct buf rows = BUF_INIT;
	char today[11];
	long pages;
	int bad = read_query(r, b, &q, today, &e);

	if (bad && e.kind != KERR_INPUT && e.kind != KERR_NOTFOUND)
		return req_error_kerr(r, &e);
	page_begin(r, L(r, u->pl, u->en));
	html_printf(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p>", L(r, u->pl, u->en), L(r, u->lead_pl, u->lead_en));
	/* the way to add: for a visitor (it leads to the login) and for those who may; an editor's
	 * own entries beside it */
	if (!r->logged_in || may_add(r, b)) {
		html_printf(&r->out, "<p><a href=\"%s/new\">%s</a>", u->path, L(r, u->add_pl, u->add_en));
		if (r->logged_in && strcmp(r->user.role, "editor") == 0)
			html_printf(&r->out, " · <a href=\"/offers/mine\">%s</a>",
				    L(r, "Moje oferty i usługi", "My offers and services"));
		buf_puts(&r->out, "</p>");
	} else if (r->logged_in && strcmp(r->user.role, "editor") == 0) {
		html_printf(&r->out, "<p><a href=\"/offers/mine\">%s</a></p>", L(r, "Moje oferty i usługi", "My offers and services"));
	}
	if (bad) {
		/* a filter the search cannot take: said above the form, which keeps what was typed
		 * (404 for an organisation or a cluster there is not, 400 for the rest) */
		r->status = e.kind == KERR_NOTFOUND ? 404 : 400;
		listing_error(r, e.msg);
		list_form(r, b, &q);
		page_end(r);
		return;
	}
	if (q.org > 0) {
		/* one organisation's entries (its directory page links here); the filters keep it */
		char idb[24], *name;
		snprintf(idb, sizeof(idb), "%lld", q.org);
		name = dir_org_name(r->db, q.org);
		html_printf(&r->out, "<p class=\"notice\">%s <a href=\"/organisations/%s\">%s</a> · <a href=\"%s\">%s</a></p>",
			    L(r, "Tylko wpisy organizacji", "Only the entries of"), idb,
			    name ? name : idb, u->path, L(r, "pokaż wszystkie", "show all"));
		free(name);
	}
	if (q.cluster > 0) {
		/* the entries of a cluster's members (its page links here); the filters keep it */
		char *name = dir_cluster_name(r->db, q.cluster);
		html_printf(&r->out, "<p class=\"notice\">%s <a href=\"/clusters/%lld\">%s</a> · <a href=\"%s\">%s</a></p>",
			    L(r, "Tylko wpisy członków klastra", "Only the entries of the members of"), q.cluster,
			    name ? name : "", u->path, L(r, "pokaż wszystkie", "show all"));
		free(name);
	}
	list_form(r, b, &q);

	/* the rows first: their count is shown above them */
	{
		struct list_ctx lc = { r, &rows };
		if (offer_search(r->db, b, &q, &res, list_row, &lc, &e)) {
			buf_release(&rows);
			buf_release(&r->out);
			return req_error_kerr(r, &e);
		}
	}
	pages = (long)((res.total + q.per_page - 1) / q.per_page);
	html_printf(&r->out, "<p class=\"count\" role=\"status\">%s: <strong>%lld</strong></p>", L(r, "Znaleziono", "Found"),
		    res.total);
	if (res.total == 0) {
		html_printf(&r->out, "<p>%s</p>", L(r, u->none_pl, u->none_en));
	} else if (!rows.len) {
		/* a page past the last (an old link, a typed number): where the entries end, not an empty table */
		struct buf last = BUF_INIT;
		char num[24];
		snprintf(num, sizeof(num), "%ld", pages);
		list_link(r, b, &last, "page", num);
		html_printf(&r->out, "<p class=\"notice\">%s %ld. <a href=\"%s\">%s %ld</a></p>",
			    L(r, "Wpisy kończą się na stronie", "The entries end on page"), pages, last.ptr,
			    L(r, "Przejdź do strony", "Go to page"), pages);
		buf_release(&last);
	} else {
		html_printf(&r->out, "<div class=\"table-wrap\"><table class=\"results\"><thead><tr><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "</tr></thead><tbody>",
			    L(r, "Tytuł", "Title"), b == OFFER_BASE_OFFERS ? L(r, "Rodzaj", "Kind") : L(r, "Kategoria", "Category"),
			    L(r, "Organizacja", "Organisation"), L(r, "Województwo", "Voivodeship"),
			    b == OFFER_BASE_OFFERS ? L(r, "Ważna do", "Valid until") : L(r, "Cena", "Price"));
		buf_add(&r->out, rows.ptr, rows.len);
		buf_puts(&r->out, "</tbody></table></div>");
	}
	buf_release(&rows);
	{
		struct page_link_ctx pl = { r, b };
		web_pages(r, q.page, pages, page_link, &pl);
	}
	page_end(r);
}

/* ---- one entry ---- */

/* What the visitor may do with an entry. */
struct rights {
	int edit, moderate;
};

static int rights_of(struct req *r, const struct offer *o, struct rights *rt, struct kerr *e)
{
	int m;
	rt->edit = r->logged_in && offer_can_edit(&r->user, o->org_id);
	m = r->logged_in ? offer_can_moderate(r->db, &r->user, o->org_id, e) : 0;
	if (m < 0)
		return -1;
	rt->moderate = m;
	return 0;
}

/* Loads the entry whose id is idtext (a route's last segment): answers
 * 404 and returns -1 when there is none. */
static int load(struct req *r, enum offer_base b, const char *idtext, struct offer *o)
{
	struct kerr e = KERR_INIT;
	long long id;
	if (parse_id(idtext, &id)) {
		req_error(r, 404, L(r, "Nie ma takiego wpisu.", "No such entry."));
		return -1;
	}
	if (offer_get(r->db, b, id, o, &e)) {
		if (e.kind == KERR_NOTFOUND)
			req_error(r, 404, L(r, "Nie ma takiego wpisu.", "No such entry."));
		else
			req_error_kerr(r, &e);
		offer_release(o);
		return -1;
	}
	return 0;
}

static const char *entry_value(const struct offer *o, const char *name);

#define VERSION_LEN 64

/*
 * The version of an entry a form was made from (its hidden field "seen"): the state, the time
 * of the last change and a hash (FNV-1a) of the content and the moderator's note, the hash for
 * a change within the same second.  A decision or an edit posted from a page that no longer
 * shows the entry as it is (edited or decided on since: another tab, another moderator) is
 * refused (version_changed), so that nobody approves a text they did not see, takes down an
 * entry another moderator has just approved, or overwrites a newer save.
 */
static void fnv_add(unsigned long long *h, const char *v)
{
	for (; v && *v; v++) {
		*h ^= (unsigned char)*v;
		*h *= 1099511628211ULL;
	}
	*h ^= 0xff;   /* the end of a field: "ab" "c" is not "a" "bc" */
	*h *= 1099511628211ULL;
}

static void entry_version(const struct offer *o, char out[VERSION_LEN])
{
	const char *const *names = offer_fields(o->base);
	unsigned long long h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; names[i]; i++)
		fnv_add(&h, entry_value(o, names[i]));
	fnv_add(&h, o->moderation_note);
	snprintf(out, VERSION_LEN, "%s.%lld.%016llx", o->status, o->updated_at, h);
}

/* 1 when the form's "seen" names another version of o than its current one; a form without
 * it (a script's post) is not compared. */
static int version_changed(struct req *r, const struct offer *o)
{
	const char *seen = req_form(r, "seen");
	char now[VERSION_LEN];
	if (!seen || !*seen)
		return 0;
	entry_version(o, now);
	return strcmp(seen, now) != 0;
}

/* What an entry is now, for the message of a refused stale form: its state and the moderator's
 * note, in the page's language. */
static void state_now(struct req *r, const struct offer *o, struct buf *out)
{
	buf_puts(out, offer_status_label(o->status, r->lang));
	if (o->moderation_note)
		buf_printf(out, " (%s: %s)", L(r, "uwaga moderatora", "moderator's note"), o->moderation_note);
}

/* The hidden field "seen" of a form about o. */
static void seen_input(struct req *r, const struct offer *o)
{
	char v[VERSION_LEN];
	entry_version(o, v);
	html_printf(&r->out, "<input type=\"hidden\" name=\"seen\" value=\"%s\">", v);
}

/* A moderator's decision form on the entry page: it comes back to the page (field "from"). */
static void decision_form(struct req *r, const struct offer *o, int approve, const char *button)
{
	char idb[24];
	snprintf(idb, sizeof(idb), "%lld", o->id);
	form_open(r, approve ? "/admin/offers/approve" : "/admin/offers/reject", "inline");
	html_printf(&r->out, "<input type=\"hidden\" name=\"base\" value=\"%s\"><input type=\"hidden\" name=\"id\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"from\" value=\"entry\">",
		    uis[o->base].type, idb);
	seen_input(r, o);
	if (!approve)
		html_printf(&r->out, "<input name=\"note\" maxlength=\"500\" aria-label=\"%s\" placeholder=\"%s\"> ",
			    L(r, "Powód (widzi go autor)", "Reason (the author sees it)"),
			    L(r, "powód (opcjonalnie)", "reason (optional)"));
	html_printf(&r->out, "<button type=\"submit\"%R>%s</button></form> ", approve ? "" : " class=\"danger\"", button);
}

/* The question a withdraw button asks with JavaScript (data-confirm), into ask. */
static void withdraw_question(struct req *r, const struct offer *o, struct buf *ask)
{
	buf_printf(ask, L(r, "Wycofać wpis „%s”? Zniknie z portalu.", "Withdraw the entry “%s”? It leaves the portal."),
		   o->title);
}

/*
 * "Manage": what the editors and moderators of the entry may do in its
 * current state — edit and withdraw (editors; not once withdrawn), approve
 * (pending or rejected) and reject (pending, or take down an approved one)
 * (moderators).  Nothing, not even the heading, when nothing applies.
 */
static void manage(struct req *r, const struct offer *o, const struct rights *rt)
{
	const struct base_ui *u = &uis[o->base];
	int withdrawn = strcmp(o->status, "withdrawn") == 0;
	int approve = rt->moderate && (strcmp(o->status, "pending") == 0 || strcmp(o->status, "rejected") == 0);
	int reject = rt->moderate && (strcmp(o->status, "pending") == 0 || strcmp(o->status, "approved") == 0);
	if (!rt->edit && !approve && !reject)
		return;
	html_printf(&r->out, "<h2>%s</h2>", L(r, "Zarządzanie", "Manage"));
	if (rt->edit) {
		html_printf(&r->out, "<p><a href=\"%s/edit/%lld\">%s</a> · <a href=\"/offers/mine\">%s</a></p>", u->path, o->id,
			    L(r, "Edytuj", "Edit"), L(r, "Moje wpisy", "My entries"));
		if (!withdrawn) {
			struct buf action = BUF_INIT, ask = BUF_INIT;
			buf_printf(&action, "%s/withdraw/%lld", u->path, o->id);
			withdraw_question(r, o, &ask);
			form_open(r, action.ptr, "inline");
			html_printf(&r->out, "<input type=\"hidden\" name=\"from\" value=\"entry\">"
				    "<button type=\"submit\" class=\"danger\" data-confirm=\"%s\">%s</button></form>",
				    ask.ptr, L(r, "Wycofaj wpis", "Withdraw the entry"));
			buf_release(&action);
			buf_release(&ask);
		}
	}
	if (approve || reject) {
		html_printf(&r->out, "<h3>%s</h3><p class=\"hint\">%s</p><div class=\"decisions\">", L(r, "Moderacja", "Moderation"),
			    strcmp(o->status, "approved") == 0
				    ? L(r, "Wpis jest opublikowany. Odrzucenie zdejmuje go z portalu; autor dostanie e-mail z powodem.",
					"The entry is published. Rejecting takes it down; the author is e-mailed the reason.")
			    : strcmp(o->status, "rejected") == 0
				    ? L(r, "Wpis został odrzucony. Możesz go jednak zatwierdzić.",
					"The entry was rejected. You may approve it after all.")
				    : L(r, "Wpis czeka na decyzję.", "The entry awaits a decision."));
		if (approve)
			decision_form(r, o, 1, L(r, "Zatwierdź", "Approve"));
		if (reject)
			decision_form(r, o, 0, strcmp(o->status, "approved") == 0 ? L(r, "Zdejmij z portalu", "Take it down")
										   : L(r, "Odrzuć", "Reject"));
		html_printf(&r->out, "</div><p><a href=\"/admin/offers\">%s</a></p>",
			    L(r, "Kolejka moderacji", "The moderation queue"));
		/* who to ask before a decision: the contact the page never publishes (moderators only) */
		html_printf(&r->out, "<dl class=\"facts contact-private\"><dt>%s</dt><dd>%s</dd><dt>E-mail</dt>"
			    "<dd><a href=\"mailto:%s\">%s</a></dd>", L(r, "Kontakt autora (widzą go tylko moderatorzy)",
								 "The author's contact (moderators only)"),
			    o->contact_name, o->contact_email, o->contact_email);
		if (o->contact_phone && *o->contact_phone)
			html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", L(r, "Telefon", "Phone"), o->contact_phone);
		buf_puts(&r->out, "</dl>");
	}
}

/* The names the errors of the message forms give their one field ("message: …" of
 * offer_message_check): the field's label, linked to it, in the page's language. */
static const char *interest_label(struct req *r, const char *name)
{
	return strcmp(name, "message") == 0 ? L(r, "Wiadomość", "Message") : NULL;
}

static const char *reply_label(struct req *r, const char *name)
{
	return strcmp(name, "message") == 0 ? L(r, "Twoja odpowiedź", "Your answer") : NULL;
}

/* The entry page; error/message re-show the interest form after a bad post. */
static void show_page(struct req *r, const struct offer *o, const struct rights *rt, const char *today,
		      const char *error, const char *message)
{
	const struct base_ui *u = &uis[o->base];
	const char *notice = notice_of(r);
	int pub = offer_is_public(o, today);

	page_begin(r, o->title);
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"%s\">%s</a></p><h1>%s", u->path, L(r, u->pl, u->en), o->title);
	demo_badge(r, o->demo);
	buf_puts(&r->out, "</h1>");
	if (notice)
		web_alert(r, "notice", notice);
	if (!pub) {
		struct buf s = BUF_INIT;
		buf_printf(&s, "%s: %s", L(r, "Stan", "Status"), offer_status_label(o->status, r->lang));
		if (strcmp(o->status, "approved") == 0)
			buf_printf(&s, " — %s", L(r, "termin ważności minął, wpis nie jest już wyświetlany na liście",
						  "its validity has ended; it is no longer listed"));
		if (o->moderation_note)
			buf_printf(&s, " — %s: %s", L(r, "uwaga moderatora", "moderator's note"), o->moderation_note);
		web_alert(r, "notice", s.ptr);
		buf_release(&s);
	}
	html_printf(&r->out, "<div class=\"two\"><section><dl class=\"facts\"><dt>%s</dt><dd>%s</dd>",
		    o->base == OFFER_BASE_OFFERS ? L(r, "Rodzaj", "Kind") : L(r, "Kategoria", "Category"),
		    offer_kind_label(o->base, o->kind, r->lang));
	html_printf(&r->out, "<dt>%s</dt><dd><a href=\"/organisations/%lld\">%s</a></dd><dt>%s</dt><dd>%s</dd>",
		    L(r, "Organizacja", "Organisation"), o->org_id, o->org_name, L(r, "Województwo", "Voivodeship"),
		    o->voivodeship_name ? o->voivodeship_name : L(r, "cała Polska", "all of Poland"));
	if (o->base == OFFER_BASE_OFFERS) {
		html_printf(&r->out, "<dt>%s</dt><dd>%s – %s</dd>", L(r, "Ważna", "Valid"), o->valid_from, o->valid_until);
		if (o->pkd_codes) {
			html_printf(&r->out, "<dt>%s</dt><dd>", L(r, "Działalność (PKD)", "Activity (PKD)"));
			web_pkd_list(r, 2007, o->pkd_codes, " ");
			buf_puts(&r->out, "</dd>");
		}
		if (o->keywords)
			html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", L(r, "Słowa kluczowe", "Keywords"), o->keywords);
	} else {
		html_printf(&r->out, "<dt>%s</dt><dd>%s%s%s</dd>", L(r, "Cena", "Price"),
			    offer_price_label(o->price_model, r->lang), o->price_note ? " — " : "",
			    o->price_note ? o->price_note : "");
	}
	{
		char day[11];
		date_of(o->created_at, day);
		html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", L(r, "Dodano", "Added"), day);
	}
	html_printf(&r->out, "<dt>%s</dt><dd>%s</dd></dl>", L(r, "Osoba kontaktowa", "Contact person"), o->contact_name);
	esc_html_paragraphs(&r->out, o->description, "desc");
	buf_puts(&r->out, "</section><section>");

	/* "I am interested": the contact's address and phone never reach the page */
	html_printf(&r->out, "<h2>%s</h2><p class=\"hint\">%s</p>", L(r, "Zgłoś zainteresowanie", "I am interested"),
		    L(r, "Portal przekaże Twoją wiadomość osobie kontaktowej wraz z Twoim imieniem i nazwiskiem oraz nazwą "
			 "organizacji. Odpowiedź przyjdzie przez portal: adresy e-mail obu stron pozostają ukryte.",
		      "The portal passes your message on to the contact person with your name and organisation. The answer "
			 "comes back through the portal: neither side's e-mail address is shown to the other."));
	if (!pub) {
		html_printf(&r->out, "<p>%s</p>", L(r, "Wiadomości można wysyłać tylko do opublikowanych, aktualnych wpisów.",
						      "Messages can be sent only about published, current entries."));
	} else if (!r->logged_in) {
		struct buf next = BUF_INIT;
		buf_printf(&next, "%s/%lld", u->path, o->id);
		html_printf(&r->out, "<p><a href=\"/login?next=%u\">%s</a> · <a href=\"/register\">%s</a></p>", next.ptr,
			    L(r, "Zaloguj się, aby napisać", "Log in to write"), L(r, "Załóż konto", "Register"));
		buf_release(&next);
	} else {
		struct buf action = BUF_INIT;
		buf_printf(&action, "%s/interest/%lld", u->path, o->id);
		if (error)
			web_form_errors(r, error, interest_label);   /* before the field: it names it to mark */
		form_open(r, action.ptr, "stack");
		web_textarea(r, "message", L(r, "Wiadomość (do 2000 znaków)", "Message (up to 2000 characters)"),
			     message ? message : "", 6, "required maxlength=\"2000\"");
		html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>", L(r, "Wyślij", "Send"));
		buf_release(&action);
	}
	manage(r, o, rt);
	buf_puts(&r->out, "</section></div>");
	page_end(r);
}

/* Loads the entry of the page and decides who may see it: 0 and the
 * entry, or -1 when an answer (404/410) was given. */
static int load_visible(struct req *r, enum offer_base b, const char *idtext, struct offer *o, struct rights *rt,
			const char *today)
{
	struct kerr e = KERR_INIT;
	if (load(r, b, idtext, o))
		return -1;
	if (rights_of(r, o, rt, &e)) {
		offer_release(o);
		req_error_kerr(r, &e);
		return -1;
	}
	if (offer_is_public(o, today) || rt->edit || rt->moderate)
		return 0;
	if (strcmp(o->status, "approved") == 0) {
		struct buf msg = BUF_INIT;
		buf_printf(&msg, L(r, "Ta oferta wygasła %s.", "This offer expired on %s."), o->valid_until);
		req_error(r, 410, msg.ptr);
		buf_release(&msg);
	} else {
		req_error(r, 404, L(r, "Nie ma takiego wpisu.", "No such entry."));
	}
	offer_release(o);
	return -1;
}

/* One address an entry: PATH/ID as the portal writes it (web_canonical_path); 1 when redirected. */
static int canonical_entry(struct req *r, enum offer_base b, const char *idtext)
{
	char canon[64];
	long long id;
	if (parse_id(idtext, &id))
		return 0;   /* not a number: load's 404 */
	snprintf(canon, sizeof(canon), "%s/%lld", uis[b].path, id);
	return web_canonical_path(r, canon);
}

void offers_show(struct req *r, enum offer_base b)
{
	struct offer o;
	struct rights rt;
	char today[11];
	offer_today(today);
	if (canonical_entry(r, b, r->arg))
		return;
	if (load_visible(r, b, r->arg, &o, &rt, today))
		return;
	show_page(r, &o, &rt, today, NULL, NULL);
	offer_release(&o);
}

/* ---- "I am interested" and the relayed replies ---- */

/* The sender as the other side sees them: name and organisation, never the address; an
 * account without a name is "a portal user" in the language of en (0: Polish, 1: English). */
static void user_label(struct db *db, long long user_id, int en, struct buf *out)
{
	const char *anyone = en ? "A portal user" : "Użytkownik portalu";
	struct db_stmt *st;
	if (!db_prepare(db, "SELECT COALESCE(u.name, ''), COALESCE(g.name, '') FROM app_user u"
			" LEFT JOIN organisation g ON g.id = u.org_id WHERE u.id = ?", &st, NULL)) {
		db_bind_int(st, 1, user_id);
		if (db_step(st, NULL) == 1) {
			const char *name = db_col_text(st, 0), *org = db_col_text(st, 1);
			/* never the address: an account without a name is "a portal user" */
			buf_puts(out, name && *name ? name : anyone);
			if (org && *org)
				buf_printf(out, " (%s)", org);
		}
		db_finalize(st);
	}
	if (!out->len)
		buf_puts(out, anyone);
}

/*
 * The relayed mail: who writes about which entry, the text, and the reply
 * link; in Polish and English, since the recipient's language is unknown.
 * Neither address is in it: the portal is the sender, there is no
 * Reply-To, and the link answers through the portal.
 */
static void relay_body(struct req *r, struct buf *body, const struct offer *o, const char *who,
		       const char *who_en, int first, const char *text, const char *token)
{
	const struct base_ui *u = &uis[o->base];
	const char *base = r->app->mail.base_url;
	buf_printf(body, "%s %s „%s” %s:\n%s%s/%lld\n\n", who,
		   first ? "zgłasza zainteresowanie i pisze w sprawie" : "odpowiada w sprawie",
		   o->title, o->base == OFFER_BASE_OFFERS ? "(oferta w portalu klaster)" : "(usługa w portalu klaster)",
		   base, u->path, o->id);
	buf_printf(body, "----\n%s\n----\n\n", text);
	buf_printf(body, "Aby odpowiedzieć, otwórz link (działa jeden raz, przez 30 dni):\n%s/offers/reply?token=%s\n\n"
		   "Portal przekazuje wiadomości: adresy e-mail obu stron pozostają ukryte. Odpowiedź na ten e-mail "
		   "nie dotrze do nadawcy.\n\n", base, token);
	buf_printf(body, "-- English --\n\n%s %s the %s \"%s\" on the klaster portal%s:\n%s%s/%lld\n\n"
		   "(The message is above.)\n\nTo answer, open this link (it works once, for 30 days):\n%s/offers/reply?token=%s\n\n"
		   "The portal relays messages: neither side's e-mail address is shown to the other. A reply to this e-mail "
		   "does not reach the sender.\n",
		   who_en, first ? "is interested in" : "answers about", u->one_en, o->title, first ? " and writes" : "", base,
		   u->path, o->id, base, token);
}

void offers_interest_post(struct req *r, enum offer_base b)
{
	struct offer o;
	struct rights rt;
	struct kerr e = KERR_INIT;
	struct offer_message m;
	struct buf who = BUF_INIT, who_en = BUF_INIT, body = BUF_INIT, subject = BUF_INIT, key = BUF_INIT;
	char today[11], token[AUTH_TOKEN_LEN + 1], subj[24];
	char *text = NULL;
	int ok;

	offer_today(today);
	if (load_visible(r, b, r->arg, &o, &rt, today))
		return;
	if (!offer_is_public(&o, today)) {
		offer_release(&o);
		return req_error(r, 409, L(r, "Ten wpis nie jest opublikowany.", "This entry is not published."));
	}
	if (offer_message_check(req_form(r, "message"), &text, &e)) {
		r->status = 400;
		show_page(r, &o, &rt, today, e.msg, req_form(r, "message"));
		offer_release(&o);
		return;
	}
	buf_printf(&key, "offer-interest-user:%lld", r->user.id);
	ok = auth_rate_hit(r->db, key.ptr, INTEREST_WINDOW, INTEREST_PER_USER, &e);
	buf_release(&key);
	if (ok <= 0) {
		free(text);
		offer_release(&o);
		if (ok < 0)
			return req_error_kerr(r, &e);
		req_header_add(r, "Retry-After", "3600");
		return req_error(r, 429, L(r, "Wysłano już wiele wiadomości. Spróbuj ponownie za godzinę.",
					   "You have sent many messages already. Try again in an hour."));
	}
	memset(&m, 0, sizeof(m));
	m.base = b;
	m.item_id = o.id;
	m.user_id = r->user.id;
	m.to_owner = 1;
	m.body = text;
	user_label(r->db, r->user.id, 0, &who);
	user_label(r->db, r->user.id, 1, &who_en);
	if (db_begin(r->db, &e))
		goto fail;
	if (offer_message_add(r->db, &m, &e))
		goto fail_tx;
	snprintf(subj, sizeof(subj), "%lld", m.id);
	if (auth_link_create(r->db, OFFER_REPLY_KIND, r->user.id, subj, OFFER_REPLY_TTL, token, &e))
		goto fail_tx;
	relay_body(r, &body, &o, who.ptr, who_en.ptr, 1, text, token);
	buf_printf(&subject, "%s: %s", b == OFFER_BASE_OFFERS ? "Zainteresowanie ofertą / Interest in your offer"
							    : "Zainteresowanie usługą / Interest in your service", o.title);
	if (mail_enqueue(r->db, "offer-interest", o.contact_email, subject.ptr, body.ptr, NULL, &e) ||
	    auth_audit(r->db, r->user.id, r->ip, b == OFFER_BASE_OFFERS ? "offer-interest" : "service-interest",
		       offer_table(b), o.id, NULL, &e))
		goto fail_tx;
	if (db_commit(r->db, &e))
		goto fail;
	req_mail_kick(r);
	{
		struct buf to = BUF_INIT;
		buf_printf(&to, "%s/%lld?done=sent", uis[b].path, o.id);
		req_redirect(r, to.ptr);
		buf_release(&to);
	}
	goto out;
fail_tx:
	db_rollback(r->db);
fail:
	req_error_kerr(r, &e);
out:
	free(text);
	buf_release(&who);
	buf_release(&who_en);
	buf_release(&body);
	buf_release(&subject);
	offer_release(&o);
}

static void reply_spent(struct req *r)
{
	r->status = 410;
	page_begin(r, L(r, "Odpowiedź", "Reply"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Odpowiedź", "Reply"));
	web_alert(r, "error", L(r, "Ten link został już użyty albo wygasł.", "This link was already used or has expired."));
	page_end(r);
}

/* The reply form for the message a link answers. */
static void reply_form(struct req *r, const char *token, long long msg_id, const char *error, const char *text)
{
	struct kerr e = KERR_INIT;
	struct offer_message m;
	struct offer o;
	struct buf who = BUF_INIT;
	if (offer_message_get(r->db, msg_id, &m, &e) || offer_get(r->db, m.base, m.item_id, &o, &e)) {
		if (e.kind == KERR_NOTFOUND)
			return reply_spent(r);
		return req_error_kerr(r, &e);
	}
	if (m.to_owner)
		user_label(r->db, m.user_id, !req_polish(r), &who);
	else
		buf_printf(&who, "%s (%s)", o.contact_name, o.org_name);
	page_begin(r, L(r, "Odpowiedź", "Reply"));
	html_printf(&r->out, "<h1>%s</h1><p>%s: <strong>%s</strong> — %s <a href=\"%s/%lld\">%s</a></p>",
		    L(r, "Odpowiedź", "Reply"), L(r, "Wiadomość od", "Message from"), who.ptr,
		    L(r, "w sprawie", "about"), uis[o.base].path, o.id, o.title);
	buf_puts(&r->out, "<blockquote>");
	esc_html_paragraphs(&r->out, m.body, "desc");
	buf_puts(&r->out, "</blockquote>");
	if (error)
		web_form_errors(r, error, reply_label);
	form_open(r, "/offers/reply", "stack");
	html_printf(&r->out, "<input type=\"hidden\" name=\"token\" value=\"%s\">", token);
	web_textarea_hint(r, "message", L(r, "Twoja odpowiedź (do 2000 znaków)", "Your answer (up to 2000 characters)"),
			  text ? text : "", 6, "required maxlength=\"2000\"",
			  L(r, "Portal przekaże odpowiedź bez ujawniania Twojego adresu e-mail.",
			    "The portal passes the answer on without showing your e-mail address."));
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>", L(r, "Wyślij odpowiedź", "Send the answer"));
	page_end(r);
	buf_release(&who);
	offer_message_release(&m);
	offer_release(&o);
}

static void h_reply(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *token = req_arg(r, "token");
	long long id = 0;
	int ok = offer_reply_peek(r->db, token, &id, &e);
	if (ok < 0)
		return req_error_kerr(r, &e);
	if (!ok)
		return reply_spent(r);
	reply_form(r, token, id, NULL, NULL);
}

static void h_reply_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *token = req_form(r, "token");
	struct offer_message m, answer;
	struct offer o;
	struct user u;
	struct buf key = BUF_INIT, who = BUF_INIT, who_en = BUF_INIT, body = BUF_INIT, subject = BUF_INIT;
	char subj[64], newtok[AUTH_TOKEN_LEN + 1];
	char *text = NULL;
	long long uid = 0, msg_id = 0;
	int ok;

	memset(&m, 0, sizeof(m));
	memset(&o, 0, sizeof(o));
	ok = offer_reply_peek(r->db, token, &msg_id, &e);
	if (ok < 0)
		return req_error_kerr(r, &e);
	if (!ok)
		return reply_spent(r);
	if (offer_message_check(req_form(r, "message"), &text, &e)) {
		r->status = 400;
		return reply_form(r, token, msg_id, e.msg, req_form(r, "message"));
	}
	buf_printf(&key, "offer-reply-ip:%s", r->ip);
	ok = auth_rate_hit(r->db, key.ptr, 3600, REPLY_PER_IP, &e);
	buf_release(&key);
	if (ok <= 0) {
		free(text);
		if (ok < 0)
			return req_error_kerr(r, &e);
		req_header_add(r, "Retry-After", "3600");
		return req_error(r, 429, L(r, "Zbyt wiele wiadomości. Spróbuj ponownie za godzinę.",
					   "Too many messages. Try again in an hour."));
	}
	if (db_begin(r->db, &e))
		goto fail;
	if (auth_link_use(r->db, OFFER_REPLY_KIND, token, &uid, subj, sizeof(subj), &e)) {
		db_rollback(r->db);
		free(text);
		return e.kind == KERR_AUTH ? reply_spent(r) : req_error_kerr(r, &e);
	}
	if (offer_message_get(r->db, strtoll(subj, NULL, 10), &m, &e) || offer_get(r->db, m.base, m.item_id, &o, &e) ||
	    auth_user_by_id(r->db, m.user_id, &u, &e) != 1) {
		if (!e.msg[0])
			kerr_set(&e, KERR_NOTFOUND, "the person of this conversation no longer has an account");
		goto fail_tx;
	}
	memset(&answer, 0, sizeof(answer));
	answer.base = m.base;
	answer.item_id = m.item_id;
	answer.user_id = m.user_id;
	answer.to_owner = !m.to_owner;
	answer.body = text;
	if (offer_message_add(r->db, &answer, &e))
		goto fail_tx;
	snprintf(subj, sizeof(subj), "%lld", answer.id);
	if (auth_link_create(r->db, OFFER_REPLY_KIND, m.user_id, subj, OFFER_REPLY_TTL, newtok, &e))
		goto fail_tx;
	if (answer.to_owner) {
		user_label(r->db, m.user_id, 0, &who);
		user_label(r->db, m.user_id, 1, &who_en);
	} else {
		buf_printf(&who, "%s (%s)", o.contact_name, o.org_name);
		buf_puts(&who_en, who.ptr);
	}
	relay_body(r, &body, &o, who.ptr, who_en.ptr, 0, text, newtok);
	buf_printf(&subject, "Odpowiedź / Reply: %s", o.title);
	if (mail_enqueue(r->db, "offer-reply", answer.to_owner ? o.contact_email : u.email, subject.ptr, body.ptr, NULL,
			 &e) ||
	    auth_audit(r->db, r->logged_in ? r->user.id : 0, r->ip, "offer-reply", offer_table(o.base), o.id, NULL, &e))
		goto fail_tx;
	if (db_commit(r->db, &e))
		goto fail;
	req_mail_kick(r);
	page_begin(r, L(r, "Odpowiedź wysłana", "Answer sent"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Odpowiedź wysłana", "Answer sent"));
	web_alert(r, "notice", L(r, "Portal przekazał Twoją odpowiedź. Twój adres e-mail pozostaje ukryty.",
				 "The portal has passed your answer on. Your e-mail address stays hidden."));
	html_printf(&r->out, "<p><a href=\"%s/%lld\">%s</a></p>", uis[o.base].path, o.id, o.title);
	page_end(r);
	goto out;
fail_tx:
	db_rollback(r->db);
fail:
	req_error_kerr(r, &e);
out:
	free(text);
	offer_message_release(&m);
	offer_release(&o);
	buf_release(&who);
	buf_release(&who_en);
	buf_release(&body);
	buf_release(&subject);
}

/* ---- the add and edit forms ---- */

/* The fields of the form: the label above each, and the short name an error line gives it. */
static const struct {
	const char *name, *pl, *en, *short_pl, *short_en;
} labels[] = {
	{ "org", "Organizacja", "Organisation", "Organizacja", "Organisation" },
	{ "kind", "Rodzaj oferty", "Kind of offer", "Rodzaj oferty", "Kind of offer" },
	{ "category", "Kategoria usługi", "Service category", "Kategoria usługi", "Service category" },
	{ "title", "Tytuł (do 200 znaków)", "Title (up to 200 characters)", "Tytuł", "Title" },
	{ "description", "Opis (do 5000 znaków)", "Description (up to 5000 characters)", "Opis", "Description" },
	{ "pkd_codes", "Kody PKD (np. 62.01.Z, 72.19.Z; do 10)", "PKD codes (e.g. 62.01.Z, 72.19.Z; up to 10)", "Kody PKD",
	  "PKD codes" },
	{ "keywords", "Słowa kluczowe, oddzielone przecinkami", "Keywords, separated by commas", "Słowa kluczowe",
	  "Keywords" },
	{ "voivodeship", "Województwo", "Voivodeship", "Województwo", "Voivodeship" },
	{ "valid_from", "Ważna od", "Valid from", "Ważna od", "Valid from" },
	{ "valid_until", "Ważna do (po tym dniu oferta znika z listy)", "Valid until (after this day the offer leaves the listing)",
	  "Ważna do", "Valid until" },
	{ "price_model", "Model cenowy", "Price model", "Model cenowy", "Price model" },
	{ "price_note", "Cena — szczegóły (np. 150 zł/h netto)", "Price details (e.g. PLN 150 per hour net)",
	  "Cena — szczegóły", "Price details" },
	{ "contact_name", "Osoba kontaktowa (imię i nazwisko są publikowane)", "Contact person (the name is published)",
	  "Osoba kontaktowa", "Contact person" },
	{ "contact_email", "E-mail osoby kontaktowej (nie jest publikowany)", "Contact e-mail (never published)",
	  "E-mail osoby kontaktowej", "Contact e-mail" },
	{ "contact_phone", "Telefon (nie jest publikowany)", "Phone (never published)", "Telefon", "Phone" },
};

static const char *field_label(struct req *r, const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].name, name) == 0)
			return L(r, labels[i].pl, labels[i].en);
	return name;
}

/* The name an error line gives field name, NULL when the form has no such field (web_form_errors). */
static const char *error_label(struct req *r, const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].name, name) == 0)
			return L(r, labels[i].short_pl, labels[i].short_en);
	return NULL;
}

/* The value of field name of a stored entry. */
static const char *entry_value(const struct offer *o, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "kind", offsetof(struct offer, kind) }, { "category", offsetof(struct offer, kind) },
		{ "title", offsetof(struct offer, title) }, { "description", offsetof(struct offer, description) },
		{ "pkd_codes", offsetof(struct offer, pkd_codes) }, { "keywords", offsetof(struct offer, keywords) },
		{ "voivodeship", offsetof(struct offer, voivodeship) }, { "valid_from", offsetof(struct offer, valid_from) },
		{ "valid_until", offsetof(struct offer, valid_until) }, { "price_model", offsetof(struct offer, price_model) },
		{ "price_note", offsetof(struct offer, price_note) }, { "contact_name", offsetof(struct offer, contact_name) },
		{ "contact_email", offsetof(struct offer, contact_email) },
		{ "contact_phone", offsetof(struct offer, contact_phone) },
	};
	size_t i;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, name) == 0)
			return *(char *const *)((const char *)o + map[i].off);
	return NULL;
}

#define MAXFIELDS 16

struct form_vals {
	const char *v[MAXFIELDS];    /* aligned with offer_fields(b) */
	const char *org;             /* admins' choice of organisation (new entries) */
	const char *seen;            /* the version edited (entry_version), NULL for a new entry */
};

static void vals_from_request(struct req *r, enum offer_base b, struct form_vals *fv)
{
	const char *const *names = offer_fields(b);
	size_t i;
	memset(fv, 0, sizeof(*fv));
	for (i = 0; names[i]; i++)
		fv->v[i] = req_form(r, names[i]);
	fv->org = req_form(r, "org");
	fv->seen = req_form(r, "seen");
}

/* The organisation select of an administrator (services: only those that
 * may offer them); a number field when there are too many. */
static void org_choice(struct req *r, enum offer_base b, const char *current, int invalid)
{
	struct db_stmt *st;
	long long n = 0;
	const char *where = b == OFFER_BASE_SERVICES ? " WHERE type IN ('research', 'support')" : "";
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "SELECT COUNT(*) FROM organisation%s", where);
	db_query_int(r->db, &n, NULL, sql.ptr, NULL);
	if (n > ORG_SELECT_MAX) {
		web_field(r, "org", L(r, "Organizacja (numer z adresu jej strony w katalogu)",
				     "Organisation (the number in the address of its directory page)"),
			  "number", current, invalid ? "required min=\"1\" aria-invalid=\"true\"" : "required min=\"1\"");
		buf_release(&sql);
		return;
	}
	web_required_legend(r);
	html_printf(&r->out, "<p class=\"field\"><label for=\"f-org\">%s%R</label><select id=\"f-org\" name=\"org\" required%R>",
		    L(r, "Organizacja", "Organisation"), web_required_mark(), invalid ? " aria-invalid=\"true\"" : "");
	option(r, "", L(r, "— wybierz —", "— choose —"), current);
	buf_reset(&sql);
	buf_printf(&sql, "SELECT CAST(id AS TEXT), name FROM organisation%s ORDER BY sort_key", where);
	if (!db_prepare(r->db, sql.ptr, &st, NULL)) {
		while (db_step(st, NULL) == 1)
			option(r, db_col_text(st, 0), db_col_text(st, 1), current);
		db_finalize(st);
	}
	buf_puts(&r->out, "</select></p>");
	buf_release(&sql);
}

/* The form of an entry: action, the values to show, the problems (every
 * line "field: reason" is listed by the field's label, linked to it, and
 * the field marked invalid), and whether the organisation is chosen here. */
static void entry_form(struct req *r, enum offer_base b, const char *action, const char *heading,
		       const struct form_vals *fv, const char *error, int choose_org)
{
	const char *const *names = offer_fields(b);
	size_t i;

	page_begin(r, heading);
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"%s\">%s</a></p><h1>%s</h1>", uis[b].path,
		    L(r, uis[b].pl, uis[b].en), heading);
	if (error)
		web_form_errors(r, error, error_label);   /* before the fields: it names those to mark */
	form_open(r, action, "stack");
	if (fv->seen && *fv->seen)
		html_printf(&r->out, "<input type=\"hidden\" name=\"seen\" value=\"%s\">", fv->seen);
	if (choose_org)
		org_choice(r, b, fv->org, *web_invalid(r, "org") != '\0');
	for (i = 0; names[i]; i++) {
		const char *name = names[i], *val = fv->v[i] ? fv->v[i] : "", *label = field_label(r, name);
		/* web_field, web_textarea and the selects mark a named field; the first to correct takes the focus */
		int first = *web_invalid(r, name) && strncmp(r->bad_fields + 1, name, strlen(name)) == 0 &&
			    r->bad_fields[1 + strlen(name)] == ' ';
		struct buf attrs = BUF_INIT;
		if (strcmp(name, "kind") == 0 || strcmp(name, "category") == 0 || strcmp(name, "price_model") == 0 ||
		    strcmp(name, "voivodeship") == 0) {
			int req = strcmp(name, "voivodeship") != 0;
			if (req)
				web_required_legend(r);
			html_printf(&r->out, "<p class=\"field\"><label for=\"f-%s\">%s%R</label><select id=\"f-%s\" name=\"%s\"%R%R%R>",
				    name, label, req ? web_required_mark() : "", name, name, req ? " required" : "",
				    web_invalid(r, name), first ? " autofocus" : "");
			if (strcmp(name, "voivodeship") == 0) {
				voiv_options(r, val, L(r, "— cała Polska —", "— all of Poland —"));
			} else {
				const char *const *list = strcmp(name, "price_model") == 0 ? service_price_models : offer_kind_list(b);
				size_t k;
				option(r, "", L(r, "— wybierz —", "— choose —"), val);
				for (k = 0; list[k]; k++)
					option(r, list[k], strcmp(name, "price_model") == 0 ? offer_price_label(list[k], r->lang)
											    : offer_kind_label(b, list[k], r->lang),
					       val);
			}
			buf_puts(&r->out, "</select></p>");
			continue;
		}
		if (first)
			buf_puts(&attrs, "autofocus ");
		if (strcmp(name, "description") == 0) {
			buf_puts(&attrs, "required maxlength=\"5000\"");
			web_textarea(r, name, label, val, 8, attrs.ptr);
		} else if (strcmp(name, "valid_from") == 0 || strcmp(name, "valid_until") == 0) {
			buf_puts(&attrs, "required");
			web_field(r, name, label, "date", val, attrs.ptr);
		} else if (strcmp(name, "contact_email") == 0) {
			buf_puts(&attrs, "required maxlength=\"254\"");
			web_field(r, name, label, "email", val, attrs.ptr);
		} else if (strcmp(name, "contact_phone") == 0) {
			buf_puts(&attrs, "maxlength=\"40\"");
			web_field(r, name, label, "tel", val, attrs.ptr);
		} else if (strcmp(name, "title") == 0 || strcmp(name, "contact_name") == 0) {
			buf_puts(&attrs, "required maxlength=\"200\"");
			web_field(r, name, label, "text", val, attrs.ptr);
		} else {
			buf_puts(&attrs, strcmp(name, "keywords") == 0 ? "maxlength=\"300\"" : "maxlength=\"200\"");
			web_field(r, name, label, "text", val, attrs.ptr);
		}
		buf_release(&attrs);
	}
	html_printf(&r->out, "<p class=\"hint\" id=\"entry-hint\">%s</p><p><button type=\"submit\" aria-describedby=\"entry-hint\">%s"
		    "</button></p></form>",
		    L(r, "Nowe i zmienione wpisy redaktorów czekają na zatwierdzenie przez moderatora.",
		      "New and changed entries of editors wait for a moderator's approval."), L(r, "Zapisz", "Save"));
	page_end(r);
}

/* Whether the logged-in user may add to base b (deny_add's rule), without answering. */
static int may_add(struct req *r, enum offer_base b)
{
	struct kerr e = KERR_INIT;
	struct offer probe;
	if (auth_is_admin(&r->user))
		return 1;
	if (!r->logged_in || strcmp(r->user.role, "editor") != 0 || r->user.org_id <= 0)
		return 0;
	if (b != OFFER_BASE_SERVICES)
		return 1;
	memset(&probe, 0, sizeof(probe));
	probe.base = b;
	probe.org_id = r->user.org_id;
	return offer_check_refs(r->db, &probe, &e) == 0;
}

/* Who may add: an administrator, or an editor with an organisation (that,
 * for services, may offer them).  Answers and returns 1 when not allowed. */
static int deny_add(struct req *r, enum offer_base b)
{
	struct kerr e = KERR_INIT;
	if (req_deny(r, auth_is_admin(&r->user) || (strcmp(r->user.role, "editor") == 0 && r->user.org_id > 0)))
		return 1;
	if (b == OFFER_BASE_SERVICES && !auth_is_admin(&r->user)) {
		struct offer probe;
		memset(&probe, 0, sizeof(probe));
		probe.base = b;
		probe.org_id = r->user.org_id;
		if (offer_check_refs(r->db, &probe, &e)) {
			if (e.kind != KERR_INPUT) {
				req_error_kerr(r, &e);
				return 1;
			}
			req_error(r, 403, L(r, "Usługi dodają uczelnie, jednostki B+R i instytucje otoczenia biznesu; Twoja "
					       "organizacja do nich nie należy.",
					    "Services are added by universities, R&D units and business-support institutions; "
					       "your organisation is not one of them."));
			return 1;
		}
	}
	return 0;
}

void offers_new(struct req *r, enum offer_base b)
{
	struct form_vals fv;
	const char *const *names = offer_fields(b);
	char today[11];
	size_t i;
	if (deny_add(r, b))
		return;
	offer_today(today);
	memset(&fv, 0, sizeof(fv));
	for (i = 0; names[i]; i++) {
		if (strcmp(names[i], "valid_from") == 0)
			fv.v[i] = today;
		else if (strcmp(names[i], "contact_name") == 0)
			fv.v[i] = r->user.name;
		else if (strcmp(names[i], "contact_email") == 0)
			fv.v[i] = r->user.email;
	}
	fv.org = req_arg(r, "org");
	entry_form(r, b, b == OFFER_BASE_OFFERS ? "/offers/new" : "/services/new", L(r, uis[b].add_pl, uis[b].add_en),
		   &fv, NULL, auth_is_admin(&r->user));
}

/* Validates the posted form into *o (of organisation org_id, 0 when none
 * was chosen): 0, or -1 with every problem for the person, one a line
 * (KERR_INPUT), or another error. */
static int entry_from_request(struct req *r, enum offer_base b, struct offer *o, long long org_id, struct kerr *e)
{
	const char *const *names = offer_fields(b);
	const char *vals[MAXFIELDS];
	char today[11];
	size_t n;
	for (n = 0; names[n]; n++)
		vals[n] = req_form(r, names[n]);
	offer_today(today);
	return offer_check_form(r->db, o, b, names, vals, n, org_id, today, e);
}

void offers_new_post(struct req *r, enum offer_base b)
{
	struct kerr e = KERR_INIT;
	struct offer o;
	struct form_vals fv;
	long long org = 0;
	const char *heading = L(r, uis[b].add_pl, uis[b].add_en), *action = b == OFFER_BASE_OFFERS ? "/offers/new" : "/services/new";

	if (deny_add(r, b))
		return;
	memset(&o, 0, sizeof(o));
	/* an administrator's choice that is no number is no choice (offer_check_form names it) */
	if (!auth_is_admin(&r->user))
		org = r->user.org_id;
	else if (parse_id(req_form(r, "org"), &org))
		org = 0;
	if (entry_from_request(r, b, &o, org, &e)) {
		offer_release(&o);
		if (e.kind != KERR_INPUT)
			return req_error_kerr(r, &e);
		r->status = 400;
		vals_from_request(r, b, &fv);
		return entry_form(r, b, action, heading, &fv, e.msg, auth_is_admin(&r->user));
	}
	o.author_id = r->user.id;
	if (db_begin(r->db, &e)) {
		offer_release(&o);
		return req_error_kerr(r, &e);
	}
	if (offer_insert(r->db, &o, &e) ||
	    auth_audit(r->db, r->user.id, r->ip, b == OFFER_BASE_OFFERS ? "offer-create" : "service-create", offer_table(b),
		       o.id, o.title, &e)) {
		offer_release(&o);
		return fail_tx(r, &e);
	}
	offer_release(&o);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	req_redirect(r, "/offers/mine?done=created");
}

/* Loads the entry of an edit route and checks the right: 0, or -1 answered. */
static int load_editable(struct req *r, enum offer_base b, struct offer *o)
{
	if (load(r, b, r->arg, o))
		return -1;
	if (req_deny(r, offer_can_edit(&r->user, o->org_id))) {
		offer_release(o);
		return -1;
	}
	return 0;
}

static void edit_action(enum offer_base b, long long id, struct buf *out)
{
	buf_printf(out, "%s/edit/%lld", uis[b].path, id);
}

void offers_edit(struct req *r, enum offer_base b)
{
	struct offer o;
	struct form_vals fv;
	struct buf action = BUF_INIT;
	const char *const *names = offer_fields(b);
	char seen[VERSION_LEN];
	size_t i;
	if (load_editable(r, b, &o))
		return;
	memset(&fv, 0, sizeof(fv));
	for (i = 0; names[i]; i++)
		fv.v[i] = entry_value(&o, names[i]);
	entry_version(&o, seen);
	fv.seen = seen;
	edit_action(b, o.id, &action);
	entry_form(r, b, action.ptr, L(r, "Edycja wpisu", "Edit the entry"), &fv, NULL, 0);
	buf_release(&action);
	offer_release(&o);
}

void offers_edit_post(struct req *r, enum offer_base b)
{
	struct kerr e = KERR_INIT;
	struct offer old, o;
	struct buf action = BUF_INIT, to = BUF_INIT;
	int admin = auth_is_admin(&r->user);

	if (load_editable(r, b, &old))
		return;
	memset(&o, 0, sizeof(o));
	if (entry_from_request(r, b, &o, old.org_id, &e)) {
		struct form_vals fv;
		offer_release(&o);
		if (e.kind != KERR_INPUT) {
			offer_release(&old);
			return req_error_kerr(r, &e);
		}
		r->status = 400;
		vals_from_request(r, b, &fv);
		edit_action(b, old.id, &action);
		entry_form(r, b, action.ptr, L(r, "Edycja wpisu", "Edit the entry"), &fv, e.msg, 0);
		buf_release(&action);
		offer_release(&old);
		return;
	}
	o.id = old.id;
	o.demo = old.demo;
	/* an editor's change is moderated again; an administrator's is not */
	if (db_begin(r->db, &e))
		goto fail;
	/* the entry as it is now, in the transaction: a form opened before another save or a
	 * moderator's decision (another tab, another person) does not overwrite it unseen */
	offer_release(&old);
	if (offer_get(r->db, b, o.id, &old, &e)) {
		db_rollback(r->db);
		goto fail;
	}
	if (version_changed(r, &old)) {
		struct form_vals fv;
		struct buf msg = BUF_INIT, st = BUF_INIT;
		char seen[VERSION_LEN];
		db_rollback(r->db);
		state_now(r, &old, &st);
		buf_printf(&msg, L(r, "Wpis zmienił się, odkąd otwarto ten formularz (zapisano go w innej karcie albo "
				      "moderator już o nim zdecydował). Teraz: %s. Poniżej są Twoje zmiany: zapisz je ponownie, "
				      "jeśli mają zastąpić obecną treść.",
				   "The entry changed since this form was opened (it was saved in another tab, or a moderator "
				      "decided on it). It is now: %s. Your changes are below: save them again if they should "
				      "replace what it holds now."),
			   st.ptr);
		r->status = 409;
		vals_from_request(r, b, &fv);
		entry_version(&old, seen);
		fv.seen = seen;   /* saving this form again is a decision taken on what it said */
		edit_action(b, old.id, &action);
		entry_form(r, b, action.ptr, L(r, "Edycja wpisu", "Edit the entry"), &fv, msg.ptr, 0);
		buf_release(&msg);
		buf_release(&st);
		buf_release(&action);
		offer_release(&o);
		offer_release(&old);
		return;
	}
	if (offer_update(r->db, &o, admin ? NULL : "pending", &e) ||
	    auth_audit(r->db, r->user.id, r->ip, b == OFFER_BASE_OFFERS ? "offer-update" : "service-update",
		       offer_table(b), o.id, admin ? "by an administrator" : "back to moderation", &e)) {
		db_rollback(r->db);
		goto fail;
	}
	if (db_commit(r->db, &e))
		goto fail;
	buf_printf(&to, "%s/%lld?done=%s", uis[b].path, o.id, admin ? "saved" : "resubmitted");
	req_redirect(r, to.ptr);
	buf_release(&to);
	offer_release(&o);
	offer_release(&old);
	return;
fail:
	offer_release(&o);
	offer_release(&old);
	req_error_kerr(r, &e);
}

/* The page that asks before an entry is withdrawn (web_confirm_page); the
 * form's page (of /offers/mine) and from=entry (the entry's own page) come
 * along, and say where Cancel leads. */
static void withdraw_confirm(struct req *r, const struct offer *o)
{
	static const char *const keep[] = { "page", "from", NULL };
	const struct base_ui *u = &uis[o->base];
	struct buf what = BUF_INIT, action = BUF_INIT, back = BUF_INIT;
	const char *from = req_form(r, "from"), *page = req_form(r, "page");
	buf_printf(&what, L(r, "Wpis „%s” (%s, %s) przestanie być widoczny w portalu: zniknie z listy i wyszukiwania, "
			       "a jego strona odpowie „nie znaleziono”. Wraca dopiero po edycji i ponownej moderacji.",
			    "The entry “%s” (%s, %s) stops being shown on the portal: it leaves the listing and the search, "
			       "and its page answers “not found”. It comes back only when edited and moderated again."),
		   o->title, L(r, u->pl, u->en), o->org_name ? o->org_name : "");
	buf_printf(&action, "%s/withdraw/%lld", u->path, o->id);
	if (from && strcmp(from, "entry") == 0)
		buf_printf(&back, "%s/%lld", u->path, o->id);
	else if (page && *page && strlen(page) <= 6 && strspn(page, "0123456789") == strlen(page))
		buf_printf(&back, "/offers/mine?page=%s", page);
	else
		buf_puts(&back, "/offers/mine");
	web_confirm_page(r, L(r, "Wycofać wpis?", "Withdraw the entry?"), what.ptr, action.ptr, keep,
			 L(r, "Wycofaj wpis", "Withdraw the entry"), back.ptr);
	buf_release(&what);
	buf_release(&action);
	buf_release(&back);
}

void offers_withdraw_post(struct req *r, enum offer_base b)
{
	struct kerr e = KERR_INIT;
	struct offer o;
	if (load_editable(r, b, &o))
		return;
	if (!web_confirmed(r)) {
		/* nothing to ask about an entry withdrawn already */
		if (strcmp(o.status, "withdrawn") == 0)
			req_error(r, 409, L(r, "Ten wpis jest już wycofany.", "This entry is withdrawn already."));
		else
			withdraw_confirm(r, &o);
		return offer_release(&o);
	}
	if (db_begin(r->db, &e)) {
		offer_release(&o);
		return req_error_kerr(r, &e);
	}
	if (offer_set_status(r->db, b, o.id, "pending approved rejected", "withdrawn", 0, NULL, &e) ||
	    auth_audit(r->db, r->user.id, r->ip, b == OFFER_BASE_OFFERS ? "offer-withdraw" : "service-withdraw",
		       offer_table(b), o.id, NULL, &e)) {
		offer_release(&o);
		return fail_tx(r, &e);
	}
	offer_release(&o);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	web_redirect_page(r, "/offers/mine?done=withdrawn");
}

/* ---- the editors' list ---- */

static int mine_row(void *ctx, const struct offer *o)
{
	struct req *r = ctx;
	const struct base_ui *u = &uis[o->base];
	html_printf(&r->out, "<tr><td><a href=\"%s/%lld\">%s</a>", u->path, o->id, o->title);
	demo_badge(r, o->demo);
	html_printf(&r->out, "<br><small>%s</small></td><td>%s", o->org_name, offer_status_label(o->status, r->lang));
	if (o->moderation_note)
		html_printf(&r->out, "<br><small>%s</small>", o->moderation_note);
	/* the rows' links and buttons are alike: each names its entry to a screen reader */
	html_printf(&r->out, "</td>");
	/* only an offer has an end date; the services' table has no such column */
	if (o->base == OFFER_BASE_OFFERS)
		html_printf(&r->out, "<td class=\"date\">%s</td>", o->valid_until);
	html_printf(&r->out, "<td><a href=\"%s/edit/%lld\">%s<span class=\"vh\">: %s</span></a>", u->path, o->id,
		    L(r, "Edytuj", "Edit"), o->title);
	if (strcmp(o->status, "withdrawn") != 0) {
		struct buf action = BUF_INIT, ask = BUF_INIT;
		buf_printf(&action, "%s/withdraw/%lld", u->path, o->id);
		withdraw_question(r, o, &ask);
		buf_puts(&r->out, " ");
		form_open(r, action.ptr, "inline");
		web_page_input(r);
		html_printf(&r->out, "<button type=\"submit\" class=\"link\" data-confirm=\"%s\">%s<span class=\"vh\">: %s</span>"
			    "</button></form>", ask.ptr, L(r, "Wycofaj", "Withdraw"), o->title);
		buf_release(&action);
		buf_release(&ask);
	}
	buf_puts(&r->out, "</td></tr>");
	return 0;
}

static void mine_link(void *ctx, long p, struct buf *out)
{
	buf_printf(out, "/offers/mine?page=%ld", p);
}

static void h_mine(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *notice = notice_of(r);
	long long org = auth_is_admin(&r->user) ? 0 : r->user.org_id, total;
	long page, pages = 1;
	int b, serves = 1;
	if (req_deny(r, auth_is_admin(&r->user) || (strcmp(r->user.role, "editor") == 0 && r->user.org_id > 0)))
		return;
	if (arg_number(r, "page", 1, 100000, 1, &page, &e))
		return req_error(r, 400, e.msg);
	if (!auth_is_admin(&r->user)) {
		/* only universities, R&D units and business-support institutions add services */
		struct offer probe;
		struct kerr pe = KERR_INIT;
		memset(&probe, 0, sizeof(probe));
		probe.base = OFFER_BASE_SERVICES;
		probe.org_id = org;
		serves = offer_check_refs(r->db, &probe, &pe) == 0;
	}
	page_begin(r, L(r, "Moje oferty i usługi", "My offers and services"));
	html_printf(&r->out, "<h1>%s</h1>", auth_is_admin(&r->user) ? L(r, "Wszystkie oferty i usługi", "All offers and services")
								    : L(r, "Oferty i usługi mojej organizacji",
									    "My organisation's offers and services"));
	if (notice)
		web_alert(r, "notice", notice);
	for (b = 0; b < 2; b++) {
		const struct base_ui *u = &uis[b];
		size_t before;
		html_printf(&r->out, "<h2>%s</h2>", L(r, u->pl, u->en));
		if (b == 0 || serves)
			html_printf(&r->out, "<p><a href=\"%s/new\">%s</a></p>", u->path, L(r, u->add_pl, u->add_en));
		/* an offer's end date has a column; a service has none (a header without text would be empty) */
		html_printf(&r->out, "<div class=\"table-wrap\"><table class=\"results\"><thead><tr><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th>", L(r, "Tytuł", "Title"), L(r, "Stan", "Status"));
		if (b == 0)
			html_printf(&r->out, "<th scope=\"col\">%s</th>", L(r, "Ważna do", "Valid until"));
		html_printf(&r->out, "<th scope=\"col\">%s</th></tr></thead><tbody>", L(r, "Czynności", "Actions"));
		before = r->out.len;
		if (offer_list_org(r->db, (enum offer_base)b, org, (page - 1) * MINE_LIMIT, MINE_LIMIT, &total, mine_row, r,
				   &e)) {
			buf_release(&r->out);
			return req_error_kerr(r, &e);
		}
		if (r->out.len == before)
			html_printf(&r->out, "<tr><td colspan=\"%d\">%s</td></tr>", b == 0 ? 4 : 3,
				    total ? L(r, "nic na tej stronie", "nothing on this page") : L(r, "brak", "none"));
		buf_puts(&r->out, "</tbody></table></div>");
		if (total)
			html_printf(&r->out, "<p class=\"count\">%s: <strong>%lld</strong></p>", L(r, "Razem", "In all"), total);
		if ((total + MINE_LIMIT - 1) / MINE_LIMIT > pages)
			pages = (long)((total + MINE_LIMIT - 1) / MINE_LIMIT);
	}
	/* one page number for both lists: page N shows the Nth MINE_LIMIT of each */
	web_pages(r, page, pages, mine_link, NULL);
	page_end(r);
}

/* ---- moderation ---- */

static int queue_row(void *ctx, const struct offer *o)
{
	struct req *r = ctx;
	const struct base_ui *u = &uis[o->base];
	char day[11], idb[24];
	date_of(o->created_at, day);
	snprintf(idb, sizeof(idb), "%lld", o->id);
	html_printf(&r->out, "<tr><td><a href=\"%s/%lld\">%s</a><br><small>", u->path, o->id, o->title);
	excerpt(&r->out, o->description, 300);
	html_printf(&r->out, "</small></td><td>%s</td><td><a href=\"/organisations/%lld\">%s</a></td><td class=\"date\">%s</td><td>",
		    offer_kind_label(o->base, o->kind, r->lang), o->org_id, o->org_name, day);
	form_open(r, "/admin/offers/approve", "inline");
	web_page_input(r);
	seen_input(r, o);
	/* the rows' controls are alike: each names its entry to a screen reader */
	html_printf(&r->out, "<input type=\"hidden\" name=\"base\" value=\"%s\"><input type=\"hidden\" name=\"id\" value=\"%s\">"
		    "<button type=\"submit\">%s<span class=\"vh\">: %s</span></button></form> ",
		    u->type, idb, L(r, "Zatwierdź", "Approve"), o->title);
	form_open(r, "/admin/offers/reject", "inline");
	web_page_input(r);
	seen_input(r, o);
	html_printf(&r->out, "<input type=\"hidden\" name=\"base\" value=\"%s\"><input type=\"hidden\" name=\"id\" value=\"%s\">"
		    "<input name=\"note\" maxlength=\"500\" aria-label=\"%s: %s\" placeholder=\"%s\"> <button type=\"submit\" class=\"danger\">"
		    "%s<span class=\"vh\">: %s</span></button></form></td></tr>",
		    u->type, idb, L(r, "Powód odrzucenia", "Reason for rejection"), o->title,
		    L(r, "powód (opcjonalnie)", "reason (optional)"), L(r, "Odrzuć", "Reject"), o->title);
	return 0;
}

static void admin_offers_link(void *ctx, long p, struct buf *out)
{
	buf_printf(out, "/admin/offers?page=%ld", p);
}

static void h_admin_offers(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *notice = notice_of(r);
	long long cluster = auth_is_admin(&r->user) ? 0 : r->user.cluster_id, total;
	long page, pages = 1;
	int b;
	if (req_deny(r, auth_is_moderator(&r->user)))
		return;
	if (arg_number(r, "page", 1, 100000, 1, &page, &e))
		return req_error(r, 400, e.msg);
	page_begin(r, L(r, "Oferty i usługi do moderacji", "Offers and services to moderate"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1><p class=\"hint\">%s</p>",
		    L(r, "Panel", "Administration"), L(r, "Oferty i usługi do moderacji", "Offers and services to moderate"),
		    auth_is_admin(&r->user) ? L(r, "Wszystkie wpisy czekające na moderację, najstarsze najpierw.",
						 "Every entry awaiting moderation, oldest first.")
					    : L(r, "Wpisy organizacji należących do Twojego klastra, najstarsze najpierw.",
						"Entries of the organisations in your cluster, oldest first."));
	if (notice)
		web_alert(r, "notice", notice);
	/* one page number for both queues: page N shows the Nth QUEUE_LIMIT of each */
	for (b = 0; b < 2; b++) {
		size_t before;
		html_printf(&r->out, "<h2>%s</h2><div class=\"table-wrap\"><table class=\"results\"><thead><tr>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th></tr></thead><tbody>",
			    L(r, uis[b].pl, uis[b].en), L(r, "Tytuł", "Title"), b == 0 ? L(r, "Rodzaj", "Kind") : L(r, "Kategoria", "Category"),
			    L(r, "Organizacja", "Organisation"), L(r, "Dodano", "Added"), L(r, "Decyzja", "Decision"));
		before = r->out.len;
		total = 0;
		if (auth_is_admin(&r->user) || cluster > 0) {
			if (offer_list_pending(r->db, (enum offer_base)b, cluster, (page - 1) * QUEUE_LIMIT, QUEUE_LIMIT, &total,
					       queue_row, r, &e)) {
				buf_release(&r->out);
				return req_error_kerr(r, &e);
			}
		}
		if (r->out.len == before)
			html_printf(&r->out, "<tr><td colspan=\"5\">%s</td></tr>",
				    total ? L(r, "nic na tej stronie", "nothing on this page") : L(r, "nic nie czeka", "nothing waits"));
		buf_puts(&r->out, "</tbody></table></div>");
		if (total)
			html_printf(&r->out, "<p class=\"count\">%s: <strong>%lld</strong></p>", L(r, "Czeka", "Waiting"), total);
		if ((total + QUEUE_LIMIT - 1) / QUEUE_LIMIT > pages)
			pages = (long)((total + QUEUE_LIMIT - 1) / QUEUE_LIMIT);
	}
	web_pages(r, page, pages, admin_offers_link, NULL);
	page_end(r);
}

static void moderate(struct req *r, int approve)
{
	struct kerr e = KERR_INIT;
	const char *base = req_form(r, "base"), *note = req_form(r, "note"), *from = req_form(r, "from");
	/* the entry page's forms come back to it, the queue's to their page of the queue */
	int from_entry = from && strcmp(from, "entry") == 0;
	enum offer_base b;
	struct offer o;
	struct buf body = BUF_INIT, subject = BUF_INIT, detail = BUF_INIT;
	long long id;
	int can;
	char *clean = NULL;

	/* who cannot moderate any entry is told so before the form is looked at (a 403, not a 400
	 * about a field of a form that is not theirs to send) */
	if (req_deny(r, auth_is_admin(&r->user) || strcmp(r->user.role, "coordinator") == 0))
		return;
	if (!base || (strcmp(base, "offer") && strcmp(base, "service")))
		return req_error(r, 400, L(r, "Baza (base): wpis musi być ofertą albo usługą.",
					   "Base (base): the entry must be an offer or a service."));
	b = strcmp(base, "offer") == 0 ? OFFER_BASE_OFFERS : OFFER_BASE_SERVICES;
	if (!approve && offer_note_check(note, &clean, &e))
		return req_error(r, 400, e.msg);
	if (parse_id(req_form(r, "id"), &id)) {
		free(clean);
		return req_error(r, 400, "id: must be the number of an entry");
	}
	/* the entry is read in the transaction (which holds the write lock): what the version is
	 * compared with is what the decision changes */
	memset(&o, 0, sizeof(o));
	if (db_begin(r->db, &e))
		goto fail;
	if (offer_get(r->db, b, id, &o, &e)) {
		db_rollback(r->db);
		if (e.kind == KERR_NOTFOUND)
			req_error(r, 404, L(r, "Nie ma takiego wpisu.", "No such entry."));
		else
			req_error_kerr(r, &e);
		goto out;
	}
	can = offer_can_moderate(r->db, &r->user, o.org_id, &e);
	if (can < 0)
		goto fail_tx;
	if (!can) {
		db_rollback(r->db);
		req_deny(r, 0);
		goto out;
	}
	if (version_changed(r, &o)) {
		/* the page the decision was taken on showed another text or state */
		struct buf msg = BUF_INIT;
		db_rollback(r->db);
		state_now(r, &o, &detail);
		buf_printf(&msg, L(r, "Wpis „%s” zmienił się, odkąd otwarto tę stronę (ktoś go edytował albo już o nim "
				      "zdecydował). Teraz: %s. Nic nie zmieniono: otwórz wpis ponownie i zdecyduj o tym, co widać.",
				   "The entry “%s” changed since this page was opened (it was edited or decided on meanwhile). "
				      "It is now: %s. Nothing was changed: open the entry again and decide on what it shows."),
			   o.title, detail.ptr);
		req_error(r, 409, msg.ptr);
		buf_release(&msg);
		goto out;
	}
	if (offer_set_status(r->db, b, o.id, approve ? "pending rejected" : "pending approved", approve ? "approved" : "rejected",
			     r->user.id, clean, &e)) {
		db_rollback(r->db);
		if (e.kind == KERR_CONFLICT) {
			req_error(r, 409, L(r, "Ten wpis został już rozpatrzony albo wycofany.",
					    "This entry was already decided on or withdrawn."));
			goto out;
		}
		goto fail;
	}
	buf_printf(&detail, "%s", clean ? clean : "");
	if (auth_audit(r->db, r->user.id, r->ip, approve ? (b == OFFER_BASE_OFFERS ? "offer-approve" : "service-approve")
							 : (b == OFFER_BASE_OFFERS ? "offer-reject" : "service-reject"),
		       offer_table(b), o.id, detail.len ? detail.ptr : NULL, &e))
		goto fail_tx;
	/* the editor who wrote it is told */
	if (o.author_id > 0) {
		struct user author;
		int found = auth_user_by_id(r->db, o.author_id, &author, &e);
		if (found < 0)
			goto fail_tx;
		if (found) {
			const char *base_url = r->app->mail.base_url;
			if (approve) {
				buf_printf(&subject, "Opublikowano / Published: %s", o.title);
				buf_printf(&body, "Dzień dobry,\n\nwpis „%s” został zatwierdzony i jest widoczny w portalu klaster:\n%s%s/%lld\n\n"
					   "-- English --\n\nYour entry \"%s\" was approved and is listed on the klaster portal:\n%s%s/%lld\n",
					   o.title, base_url, uis[b].path, o.id, o.title, base_url, uis[b].path, o.id);
			} else {
				buf_printf(&subject, "Odrzucono / Rejected: %s", o.title);
				/* an approved entry taken down is told so, not that it "was not approved" */
				int was_public = strcmp(o.status, "approved") == 0;
				buf_printf(&body, "Dzień dobry,\n\nwpis „%s” %s.%s%s\n\nMożesz go poprawić i wysłać ponownie:\n"
					   "%s%s/edit/%lld\n\n-- English --\n\nYour entry \"%s\" %s.%s%s\n\n"
					   "You can correct it and send it again:\n%s%s/edit/%lld\n",
					   o.title, was_public ? "został zdjęty z portalu przez moderatora" : "nie został zatwierdzony",
					   clean ? " Uwaga moderatora: " : "", clean ? clean : "", base_url, uis[b].path, o.id, o.title,
					   was_public ? "was taken down from the portal by a moderator" : "was not approved",
					   clean ? " The moderator's note: " : "", clean ? clean : "", base_url, uis[b].path, o.id);
			}
			if (mail_enqueue(r->db, approve ? "offer-approved" : "offer-rejected", author.email, subject.ptr, body.ptr,
					 NULL, &e))
				goto fail_tx;
		}
	}
	if (db_commit(r->db, &e))
		goto fail;
	req_mail_kick(r);
	if (from_entry) {
		struct buf to = BUF_INIT;
		buf_printf(&to, "%s/%lld?done=%s", uis[b].path, o.id, approve ? "approved" : "rejected");
		req_redirect(r, to.ptr);
		buf_release(&to);
	} else {
		web_redirect_page(r, approve ? "/admin/offers?done=approved" : "/admin/offers?done=rejected");
	}
	goto out;
fail_tx:
	db_rollback(r->db);
fail:
	req_error_kerr(r, &e);
out:
	free(clean);
	offer_release(&o);
	buf_release(&body);
	buf_release(&subject);
	buf_release(&detail);
}

static void h_approve(struct req *r) { moderate(r, 1); }
static void h_reject(struct req *r) { moderate(r, 0); }

/* ---- the JSON API ---- */

static void jstr(struct buf *b, const char *key, const char *v)
{
	buf_putc(b, ',');
	esc_json(b, key);
	buf_putc(b, ':');
	if (v)
		esc_json(b, v);
	else
		buf_puts(b, "null");
}

/* A list field ("a b" or "a, b") as a JSON array. */
static void jlist(struct buf *b, const char *key, const char *v, const char *sep)
{
	int first = 1;
	buf_putc(b, ',');
	esc_json(b, key);
	buf_puts(b, ":[");
	while (v && *v) {
		size_t n;
		while (*v == ' ')
			v++;
		n = strcspn(v, sep);
		while (n && v[n - 1] == ' ')
			n--;
		if (n) {
			char *item = xstrndup(v, n);
			if (!first)
				buf_putc(b, ',');
			esc_json(b, item);
			free(item);
			first = 0;
		}
		v += n;
		while (*v && (*v == ' ' || strchr(sep, *v)))
			v++;
	}
	buf_putc(b, ']');
}

struct api_ctx {
	struct req *r;
	int n;
};

/* One entry for the API: everything public, never the contact's e-mail or phone. */
static int api_item(void *ctx, const struct offer *o)
{
	struct api_ctx *ac = ctx;
	struct buf *b = &ac->r->out, url = BUF_INIT;
	char created[32];
	time_t t = (time_t)o->created_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (ac->n++)
		buf_putc(b, ',');
	buf_printf(b, "{\"id\":%lld", o->id);
	jstr(b, offer_kind_field(o->base), o->kind);
	jstr(b, "title", o->title);
	jstr(b, "description", o->description);
	if (o->base == OFFER_BASE_OFFERS) {
		jlist(b, "pkd_codes", o->pkd_codes, " ");
		jlist(b, "keywords", o->keywords, ",");
		jstr(b, "valid_from", o->valid_from);
		jstr(b, "valid_until", o->valid_until);
	} else {
		jstr(b, "price_model", o->price_model);
		jstr(b, "price_note", o->price_note);
	}
	jstr(b, "voivodeship", o->voivodeship);
	jstr(b, "voivodeship_name", o->voivodeship_name);
	buf_printf(b, ",\"organisation\":{\"id\":%lld", o->org_id);
	jstr(b, "name", o->org_name);
	buf_putc(b, '}');
	jstr(b, "contact_name", o->contact_name);
	buf_printf(&url, "%s%s/%lld", ac->r->app->mail.base_url, uis[o->base].path, o->id);
	jstr(b, "url", url.ptr);
	jstr(b, "created_at", created);
	buf_printf(b, ",\"demo\":%s}", o->demo ? "true" : "false");
	buf_release(&url);
	return 0;
}

void offers_api(struct req *r, enum offer_base b)
{
	struct offer_query q;
	struct offer_result res;
	struct kerr e = KERR_INIT;
	struct api_ctx ac = { r, 0 };
	char today[11];
	if (read_query(r, b, &q, today, &e))
		return req_error(r, e.kind == KERR_NOTFOUND ? 404 : 400, e.msg);
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"items\":[");
	if (offer_search(r->db, b, &q, &res, api_item, &ac, &e)) {
		buf_release(&r->out);
		return req_error_kerr(r, &e);
	}
	buf_printf(&r->out, "],\"total\":%lld,\"page\":%ld,\"per_page\":%ld}\n", res.total, q.page, q.per_page);
}

void offers_api_item(struct req *r, enum offer_base b)
{
	struct offer o;
	struct kerr e = KERR_INIT;
	struct api_ctx ac = { r, 0 };
	char today[11];
	long long id;
	const char *missing = b == OFFER_BASE_OFFERS ? "no such offer" : "no such service";
	if (parse_id(r->arg, &id))
		return req_error(r, 404, missing);
	if (offer_get(r->db, b, id, &o, &e)) {
		offer_release(&o);
		return e.kind == KERR_NOTFOUND ? req_error(r, 404, missing) : req_error_kerr(r, &e);
	}
	/* the list's rule: whatever offer_search does not list is not there */
	offer_today(today);
	if (!offer_is_public(&o, today)) {
		offer_release(&o);
		return req_error(r, 404, missing);
	}
	r->ctype = "application/json";
	api_item(&ac, &o);
	buf_putc(&r->out, '\n');
	offer_release(&o);
}

/* ---- the routes of the offers database ---- */

static void h_offers(struct req *r) { offers_list(r, OFFER_BASE_OFFERS); }
static void h_offer(struct req *r) { offers_show(r, OFFER_BASE_OFFERS); }
static void h_offer_new(struct req *r) { offers_new(r, OFFER_BASE_OFFERS); }
static void h_offer_new_post(struct req *r) { offers_new_post(r, OFFER_BASE_OFFERS); }
static void h_offer_edit(struct req *r) { offers_edit(r, OFFER_BASE_OFFERS); }
static void h_offer_edit_post(struct req *r) { offers_edit_post(r, OFFER_BASE_OFFERS); }
static void h_offer_withdraw(struct req *r) { offers_withdraw_post(r, OFFER_BASE_OFFERS); }
static void h_offer_interest(struct req *r) { offers_interest_post(r, OFFER_BASE_OFFERS); }
static void h_api_offers(struct req *r) { offers_api(r, OFFER_BASE_OFFERS); }
static void h_api_offer(struct req *r) { offers_api_item(r, OFFER_BASE_OFFERS); }

/* Exact paths come before the "/offers/" prefix route. */
const struct route offer_routes[] = {
	{ "GET", "/offers", h_offers, R_DB | R_CACHE | R_AREA_DIR | R_AREA_OFFERS },
	{ "GET", "/offers/new", h_offer_new, R_DB | R_LOGIN },
	{ "POST", "/offers/new", h_offer_new_post, R_DB | R_FORM | R_LOGIN },
	{ "GET", "/offers/mine", h_mine, R_DB | R_LOGIN },
	{ "GET", "/offers/reply", h_reply, R_DB },
	{ "POST", "/offers/reply", h_reply_post, R_DB | R_FORM },
	{ "GET", "/offers/edit/", h_offer_edit, R_DB | R_LOGIN | R_PREFIX },
	{ "POST", "/offers/edit/", h_offer_edit_post, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "POST", "/offers/withdraw/", h_offer_withdraw, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "POST", "/offers/interest/", h_offer_interest, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "GET", "/offers/", h_offer, R_DB | R_PREFIX | R_CACHE | R_AREA_DIR | R_AREA_OFFERS },
	{ "GET", "/admin/offers", h_admin_offers, R_DB | R_LOGIN },
	{ "POST", "/admin/offers/approve", h_approve, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/offers/reject", h_reject, R_DB | R_FORM | R_LOGIN },
	{ "GET", "/api/v1/offers", h_api_offers, R_DB | R_API | R_CACHE | R_AREA_DIR | R_AREA_OFFERS },
	{ "GET", "/api/v1/offers/", h_api_offer, R_DB | R_API | R_PREFIX | R_CACHE | R_AREA_DIR | R_AREA_OFFERS },
	{ NULL, NULL, NULL, 0 }
};
