/*
 * web_news.c — news articles, their print view and PDF, and comments.
 *
 * Public: /news (published articles, newest first, by cluster, in pages),
 * /news/ID (the article and its approved comments), /news/ID/print and
 * /news/ID.pdf.  Coordinators write their cluster's articles, an
 * administrator any (or portal-wide ones): /news/new, /news/ID/edit,
 * publish, unpublish, delete, and the list /admin/news.  Logged-in users
 * comment (POST /news/ID/comments); comments wait at /admin/comments for
 * an administrator or the coordinator of the article's cluster.
 * The work is done by news.c and pdf.c; these handlers read forms, check
 * roles and render.
 */
#include <pthread.h>

#include "web.h"

#include "esc.h"
#include "news.h"
#include "pdf.h"

#define NEWS_PER_PAGE 10
#define ADMIN_LIST_MAX 200
#define COMMENTS_PER_USER 5          /* comments … */
#define COMMENTS_WINDOW 600          /* … per this many seconds */
#define STAMP_MAX_AGE 86400          /* a comment form works for a day */

/* The shortest time between showing the comment form and posting it:
 * KLASTER_COMMENT_MIN_SECONDS (read once), 3 seconds by default. */
static long min_age = 3;
static pthread_once_t min_age_once = PTHREAD_ONCE_INIT;

static void read_min_age(void)
{
	const char *v = getenv("KLASTER_COMMENT_MIN_SECONDS");
	char *end;
	long n;
	if (v && *v) {
		n = strtol(v, &end, 10);
		if (!*end && n >= 0 && n <= 3600)
			min_age = n;
	}
}

static long comment_min_age(void)
{
	pthread_once(&min_age_once, read_min_age);
	return min_age;
}

/* ---- helpers ---- */

/* The article id at the start of r->arg.  With rest, *rest gets what
 * follows the number ("" or ".pdf"); without, the number must be the
 * whole path segment ("12" of /news/12/edit).  -1 when there is none. */
static long long arg_id(struct req *r, const char **rest)
{
	char *end;
	long long id;
	if (!r->arg || !isdigit((unsigned char)r->arg[0]))
		return -1;
	errno = 0;
	id = strtoll(r->arg, &end, 10);
	if (errno || id <= 0 || (!rest && *end && *end != '/'))
		return -1;
	if (rest)
		*rest = end;
	return id;
}

static void not_found(struct req *r)
{
	req_error(r, 404, L(r, "Nie ma takiego artykułu.", "No such article."));
}

/* May the user write articles at all: an administrator, or a coordinator
 * with a cluster. */
static int can_write(const struct req *r)
{
	return r->logged_in && (auth_is_admin(&r->user) ||
				(strcmp(r->user.role, "coordinator") == 0 && r->user.cluster_id > 0));
}

/* May the user change this article (and moderate its comments). */
static int can_manage(const struct req *r, const struct article *a)
{
	return r->logged_in && auth_can_coordinate(&r->user, a->cluster_id);
}

/* Loads the article of the request's id for viewing: drafts only for
 * those who may manage them (404 for everybody else, as if there were no
 * such article).  1 loaded (release it), 0 answered. */
static int load_article(struct req *r, long long id, struct article *a)
{
	struct kerr e = KERR_INIT;
	int rc = id > 0 ? news_get(r->db, id, a, &e) : 0;
	if (rc < 0) {
		req_error_kerr(r, &e);
		return 0;
	}
	if (rc == 0 || (strcmp(a->status, "published") != 0 && !can_manage(r, a))) {
		if (rc)
			article_release(a);
		not_found(r);
		return 0;
	}
	return 1;
}

static void date_of(long long t, char out[16])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static void demo_badge(struct req *r, int demo)
{
	if (demo)
		html_printf(&r->out, " <span class=\"badge demo\" title=\"%s\">demo</span>",
			    L(r, "fikcyjne dane demonstracyjne", "fictional demo data"));
}

static void draft_badge(struct req *r, const struct article *a)
{
	if (strcmp(a->status, "published") != 0)
		html_printf(&r->out, " <span class=\"badge\">%s</span>", L(r, "szkic", "draft"));
}

/* "2025-09-15 · Author · Cluster" as text (the PDF's line under the title). */
static void meta_text(struct req *r, const struct article *a, struct buf *out)
{
	char date[16];
	if (a->published_at) {
		date_of(a->published_at, date);
		buf_puts(out, date);
	} else {
		buf_puts(out, L(r, "szkic", "draft"));
	}
	if (a->author_name && *a->author_name)
		buf_printf(out, " · %s", a->author_name);
	buf_printf(out, " · %s", *a->cluster_name ? a->cluster_name : L(r, "portal klaster", "klaster portal"));
}

/* The same line as HTML, with the cluster linked. */
static void meta_html(struct req *r, const struct article *a)
{
	char date[16];
	buf_puts(&r->out, "<p class=\"muted news-meta\">");
	if (a->published_at) {
		date_of(a->published_at, date);
		html_printf(&r->out, "<time datetime=\"%s\">%s</time>", date, date);
	} else {
		html_printf(&r->out, "%s", L(r, "nieopublikowany", "not published"));
	}
	if (a->author_name && *a->author_name)
		html_printf(&r->out, " · %s", a->author_name);
	if (a->cluster_id)
		html_printf(&r->out, " · <a href=\"/clusters/%lld\">%s</a>", a->cluster_id, a->cluster_name);
	else
		html_printf(&r->out, " · %s", L(r, "portal klaster", "klaster portal"));
	buf_puts(&r->out, "</p>");
}

/* Plain text with its line breaks kept: each line escaped, joined by <br>. */
static void text_lines(struct buf *out, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "\r\n");
		esc_html_n(out, s, n);
		s += n;
		if (*s == '\r' && s[1] == '\n')
			s++;
		if (*s) {
			s++;
			if (*s)
				buf_puts(out, "<br>\n");
		}
	}
}

static void article_url(struct req *r, long long id, struct buf *out)
{
	buf_printf(out, "%s/news/%lld", r->app->mail.base_url ? r->app->mail.base_url : "", id);
}

/* ---- the public list ---- */

struct list_ctx {
	struct req *r;
	int n;
};

static int list_item(void *ctx, const struct article *a)
{
	struct list_ctx *c = ctx;
	struct req *r = c->r;
	c->n++;
	html_printf(&r->out, "<article class=\"news-item\" lang=\"%s\"><h2><a href=\"/news/%lld\">%s</a>", a->lang, a->id,
		    a->title);
	demo_badge(r, a->demo);
	buf_puts(&r->out, "</h2>");
	meta_html(r, a);
	if (*a->lead) {
		html_printf(&r->out, "<p>%s</p>", a->lead);
	} else {
		struct buf t = BUF_INIT;
		news_md_text(&t, a->body_md, strlen(a->body_md), 300);
		html_printf(&r->out, "<p>%s</p>", t.ptr);
		buf_release(&t);
	}
	buf_puts(&r->out, "</article>");
	return 0;
}

/* A positive number from the query string (default def); -1 when bad. */
static long long query_num(struct req *r, const char *name, long long def)
{
	const char *v = req_arg(r, name);
	char *end;
	long long n;
	if (!v || !*v)
		return def;
	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	return errno || *end || n < 1 ? -1 : n;
}

/* The cluster of /news?cluster=: its number (as the filter's form sends it) or its acronym in
 * any case (as /clusters/KLPS takes it), 0 for none.  -1 with a message naming the parameter:
 * KERR_INPUT for neither, KERR_NOTFOUND for a cluster there is not (a filter by what is not
 * there: 404, not an empty list), or a database error. */
static int news_cluster_arg(struct req *r, long long *cluster, struct kerr *e)
{
	const char *v = req_arg(r, "cluster");
	*cluster = 0;
	if (!v || !*v)
		return 0;
	if (isdigit((unsigned char)*v) || *v == '-' || *v == '+') {
		char *name;
		long long id = query_num(r, "cluster", 0);
		if (id < 0)
			return kerr_set(e, KERR_INPUT, "cluster: must be the number or acronym of a cluster");
		if (!(name = dir_cluster_name(r->db, id)))
			return kerr_set(e, KERR_NOTFOUND, "cluster: no such cluster");
		free(name);
		*cluster = id;
		return 0;
	}
	if (strlen(v) > 40)
		return kerr_set(e, KERR_INPUT, "cluster: must be the number or acronym of a cluster");
	if (dir_cluster_id(r->db, v, cluster, e))
		return -1;
	if (!*cluster)
		return kerr_set(e, KERR_NOTFOUND, "cluster: no such cluster");
	return 0;
}

/* The list's filter: the clusters that have published articles, current selected; the select
 * is marked when an error alert named it. */
static void cluster_filter(struct req *r, long long current)
{
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	int rc;
	if (db_prepare(r->db, "SELECT DISTINCT c.id, c.name, c.sort_key FROM cluster c JOIN article a ON a.cluster_id = c.id"
		       " WHERE a.status = 'published' ORDER BY c.sort_key", &st, &e))
		return;
	html_printf(&r->out, "<form class=\"search\" method=\"get\" action=\"/news\"><label for=\"f-cluster\">%s</label>"
		    "<select id=\"f-cluster\" name=\"cluster\"%R><option value=\"\">%s</option>",
		    L(r, "Klaster", "Cluster"), web_invalid(r, "cluster"), L(r, "wszystkie", "all"));
	while ((rc = db_step(st, &e)) == 1)
		html_printf(&r->out, "<option value=\"%lld\"%R>%s</option>", db_col_int(st, 0),
			    db_col_int(st, 0) == current ? " selected" : "", db_col_text(st, 1));
	db_finalize(st);
	html_printf(&r->out, "</select> <button type=\"submit\">%s</button></form>", L(r, "Pokaż", "Show"));
}

/* The list's name of its filter in an error line (web_form_errors): the cluster's select. */
static const char *list_label(struct req *r, const char *name)
{
	return strcmp(name, "cluster") == 0 ? L(r, "Klaster", "Cluster") : NULL;
}

/* web_pages' link: page p of /news, of one cluster (*ctx) or of all (0). */
static void news_page_link(void *ctx, long p, struct buf *out)
{
	long long cluster = *(const long long *)ctx;
	buf_printf(out, "/news?page=%ld", p);
	if (cluster)
		buf_printf(out, "&cluster=%lld", cluster);
}

static void h_news(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct news_query q;
	struct list_ctx c = { r, 0 };
	long long total = 0, page = query_num(r, "page", 1), cluster = 0;
	int bad_page = page < 1 || page > 100000, bad = news_cluster_arg(r, &cluster, &e);

	if (bad && e.kind != KERR_INPUT && e.kind != KERR_NOTFOUND)
		return req_error_kerr(r, &e);
	page_begin(r, L(r, "Aktualności", "News"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Aktualności", "News"));
	if (can_write(r))
		html_printf(&r->out, "<p><a href=\"/news/new\">%s</a> · <a href=\"/admin/news\">%s</a></p>",
			    L(r, "Napisz artykuł", "Write an article"), L(r, "Wszystkie artykuły i szkice", "All articles and drafts"));
	if (bad_page || bad) {
		/* what the list cannot take, each said above the form (the cluster's select marked), no
		 * list: 404 for a cluster there is not, else 400 */
		struct buf lines = BUF_INIT;
		r->status = bad && e.kind == KERR_NOTFOUND && !bad_page ? 404 : 400;
		if (bad)
			buf_puts(&lines, e.msg);
		if (bad_page)
			buf_printf(&lines, "%s%s", lines.len ? "\n" : "",
				   L(r, "Numer strony (page): musi być liczbą całkowitą od 1 do 100000",
				     "Page number (page): must be a whole number from 1 to 100000"));
		web_form_errors(r, lines.ptr, list_label);
		buf_release(&lines);
		cluster_filter(r, cluster);
		page_end(r);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.published_only = 1;
	q.cluster_id = cluster;
	q.limit = NEWS_PER_PAGE;
	q.offset = (long)((page - 1) * NEWS_PER_PAGE);
	cluster_filter(r, cluster);
	if (news_list(r->db, &q, &total, list_item, &c, &e)) {
		buf_reset(&r->out);
		return req_error_kerr(r, &e);
	}
	if (!c.n && total > 0) {
		struct buf last = BUF_INIT;
		long n = (long)((total + NEWS_PER_PAGE - 1) / NEWS_PER_PAGE);
		news_page_link(&cluster, n, &last);
		html_printf(&r->out, "<p class=\"notice\">%s %ld. <a href=\"%s\">%s %ld</a></p>",
			    L(r, "Artykuły kończą się na stronie", "The articles end on page"), n, last.ptr,
			    L(r, "Przejdź do strony", "Go to page"), n);
		buf_release(&last);
	} else if (!c.n) {
		html_printf(&r->out, "<p class=\"muted\">%s</p>", L(r, "Nie ma jeszcze artykułów.", "No articles yet."));
	}
	web_pages(r, (long)page, (long)((total + NEWS_PER_PAGE - 1) / NEWS_PER_PAGE), news_page_link, &cluster);
	page_end(r);
}

/* ---- one article ---- */

struct comments_ctx {
	struct req *r;
	int n;
};

static int comment_item(void *ctx, const struct comment *k)
{
	struct comments_ctx *c = ctx;
	struct req *r = c->r;
	char date[16];
	date_of(k->created_at, date);
	c->n++;
	html_printf(&r->out, "<li id=\"comment-%lld\"><p class=\"muted\">%s · <time datetime=\"%s\">%s</time></p><p>",
		    k->id, *k->author ? k->author : L(r, "Użytkownik portalu", "Portal user"), date, date);
	text_lines(&r->out, k->body);
	buf_puts(&r->out, "</p></li>");
	return 0;
}

/* The manager's buttons: edit, publish or take back, delete. */
static void manage_tools(struct req *r, const struct article *a)
{
	char action[64];
	html_printf(&r->out, "<section class=\"news-manage\" aria-label=\"%s\"><p><a href=\"/news/%lld/edit\">%s</a></p>",
		    L(r, "Zarządzanie artykułem", "Manage the article"), a->id, L(r, "Edytuj", "Edit"));
	if (strcmp(a->status, "published") == 0) {
		snprintf(action, sizeof(action), "/news/%lld/unpublish", a->id);
		form_open(r, action, "inline");
		html_printf(&r->out, "<button type=\"submit\">%s</button></form> ", L(r, "Wycofaj publikację", "Unpublish"));
	} else {
		snprintf(action, sizeof(action), "/news/%lld/publish", a->id);
		form_open(r, action, "inline");
		html_printf(&r->out, "<button type=\"submit\">%s</button></form> ", L(r, "Opublikuj", "Publish"));
	}
	snprintf(action, sizeof(action), "/news/%lld/delete", a->id);
	form_open(r, action, "inline");
	{
		struct buf ask = BUF_INIT;
		buf_printf(&ask, L(r, "Usunąć artykuł „%s” na zawsze, razem z komentarzami?",
				   "Delete the article “%s” for good, with its comments?"), a->title);
		html_printf(&r->out, "<button type=\"submit\" class=\"danger\" data-confirm=\"%s\">%s</button></form></section>",
			    ask.ptr, L(r, "Usuń artykuł", "Delete the article"));
		buf_release(&ask);
	}
}

/* The comment form's name of field name in an error line, NULL when it has none (web_form_errors). */
static const char *comment_label(struct req *r, const char *name)
{
	return strcmp(name, "body") == 0 ? L(r, "Komentarz", "Comment") : NULL;
}

/* The article page; error and body (may be NULL) re-show a comment form
 * that was refused; stamp (may be NULL) is the form's time stamp to keep. */
static void article_page(struct req *r, const struct article *a, const char *error, const char *body,
			 const char *stamp)
{
	struct kerr e = KERR_INIT;
	struct comments_ctx cc = { r, 0 };
	const char *done = req_arg(r, "done"), *sent = req_arg(r, "comment");
	static const struct {
		const char *code, *pl, *en;
	} notices[] = {
		{ "created", "Zapisano szkic. Opublikuj go, gdy będzie gotowy.", "Draft saved. Publish it when it is ready." },
		{ "saved", "Zapisano zmiany.", "Changes saved." },
		{ "published", "Artykuł jest opublikowany.", "The article is published." },
		{ "unpublished", "Artykuł wrócił do szkiców.", "The article is a draft again." },
	};
	size_t i;

	page_begin(r, a->title);
	html_printf(&r->out, "<p class=\"muted\"><a href=\"/news\">← %s</a></p>", L(r, "Aktualności", "News"));
	for (i = 0; done && i < sizeof(notices) / sizeof(notices[0]); i++)
		if (strcmp(done, notices[i].code) == 0)
			web_alert(r, "notice", L(r, notices[i].pl, notices[i].en));
	html_printf(&r->out, "<article class=\"news\" lang=\"%s\"><h1>%s", a->lang, a->title);
	demo_badge(r, a->demo);
	draft_badge(r, a);
	buf_puts(&r->out, "</h1>");
	meta_html(r, a);
	if (*a->lead)
		html_printf(&r->out, "<p class=\"lead\">%s</p>", a->lead);
	buf_puts(&r->out, "<div class=\"news-body\">\n");
	news_md_html(&r->out, a->body_md, strlen(a->body_md));   /* allow-listed HTML (news.h) */
	html_printf(&r->out, "</div><p class=\"news-tools\"><a href=\"/news/%lld/print\">%s</a> · "
		    "<a href=\"/news/%lld.pdf\" type=\"application/pdf\">%s</a></p></article>",
		    a->id, L(r, "Wersja do druku", "Print view"), a->id, L(r, "Pobierz PDF", "Download PDF"));
	if (can_manage(r, a))
		manage_tools(r, a);

	html_printf(&r->out, "<section id=\"comments\" class=\"comments\"><h2>%s (%lld)</h2>",
		    L(r, "Komentarze", "Comments"), a->comments);
	if (a->comments) {
		buf_puts(&r->out, "<ol class=\"plain\">");
		if (news_comments(r->db, a->id, "approved", comment_item, &cc, &e))
			fprintf(stderr, "klaster: comments of article %lld: %s\n", a->id, e.msg);
		buf_puts(&r->out, "</ol>");
	}
	if (sent && strcmp(sent, "sent") == 0)
		web_alert(r, "notice", L(r, "Dziękujemy! Komentarz pojawi się po zatwierdzeniu przez moderatora.",
					 "Thank you! Your comment will appear once a moderator approves it."));
	if (strcmp(a->status, "published") != 0) {
		html_printf(&r->out, "<p class=\"muted\">%s</p>",
			    L(r, "Komentarze są możliwe po publikacji.", "Comments open once the article is published."));
	} else if (r->logged_in) {
		char action[64], fresh[NEWS_STAMP_LEN];
		snprintf(action, sizeof(action), "/news/%lld/comments", a->id);
		news_stamp_make(r->app->csrf_key, a->id, r->user.id, auth_now(), fresh);
		html_printf(&r->out, "<h3 id=\"comment-form\">%s</h3>", L(r, "Wypowiedz się", "Comment"));
		if (error)
			web_form_errors(r, error, comment_label);
		form_open(r, action, "stack");
		html_printf(&r->out, "<input type=\"hidden\" name=\"stamp\" value=\"%s\">"
			    "<div hidden><label for=\"f-website\">%s</label>"
			    "<input id=\"f-website\" name=\"website\" type=\"text\" value=\"\" tabindex=\"-1\" autocomplete=\"off\"></div>",
			    stamp ? stamp : fresh, L(r, "Zostaw to pole puste", "Leave this field empty"));
		web_textarea_hint(r, "body", L(r, "Komentarz (zwykły tekst)", "Comment (plain text)"), body ? body : "", 5,
				  "required maxlength=\"4000\"",
				  L(r, "Komentarze są publikowane po zatwierdzeniu przez moderatora. Najwyżej 2 linki.",
				    "Comments are published once a moderator approves them. At most 2 links."));
		html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>",
			    L(r, "Wyślij komentarz", "Send the comment"));
	} else {
		html_printf(&r->out, "<p><a href=\"/login?next=/news/%lld\">%s</a></p>", a->id,
			    L(r, "Zaloguj się, aby skomentować", "Log in to comment"));
	}
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void pdf_download(struct req *r, const struct article *a)
{
	struct kerr e = KERR_INIT;
	struct buf meta = BUF_INIT, url = BUF_INIT;
	struct pdf_article p;
	char disp[96];
	meta_text(r, a, &meta);
	article_url(r, a->id, &url);
	p.title = a->title;
	p.meta = meta.ptr;
	p.lead = a->lead;
	p.body_md = a->body_md;
	p.url = url.ptr;
	p.lang = r->lang;
	if (pdf_article(&p, &r->out, NULL, &e)) {
		buf_reset(&r->out);
		r->out.err = 0;
		req_error_kerr(r, &e);
	} else {
		r->ctype = "application/pdf";
		snprintf(disp, sizeof(disp), "attachment; filename=\"klaster-news-%lld.pdf\"", a->id);
		req_header_add(r, "Content-Disposition", disp);
	}
	buf_release(&meta);
	buf_release(&url);
}

/* GET /news/ID and /news/ID.pdf */
static void h_news_article(struct req *r)
{
	const char *rest = "";
	long long id = arg_id(r, &rest);
	struct article a;
	int pdf = id > 0 && strcmp(rest, ".pdf") == 0;
	char canon[48];
	if (id <= 0 || (*rest && !pdf))
		return not_found(r);
	snprintf(canon, sizeof(canon), "/news/%lld%s", id, pdf ? ".pdf" : "");
	if (web_canonical_path(r, canon))
		return;
	if (!load_article(r, id, &a))
		return;
	if (pdf)
		pdf_download(r, &a);
	else
		article_page(r, &a, NULL, NULL, NULL);
	article_release(&a);
}

/* GET /news/ID/print: the article alone, with the print stylesheet. */
static void h_news_print(struct req *r)
{
	long long id = arg_id(r, NULL);
	struct article a;
	struct buf meta = BUF_INIT, url = BUF_INIT;
	char canon[48];
	snprintf(canon, sizeof(canon), "/news/%lld/print", id);
	if (id > 0 && web_canonical_path(r, canon))
		return;
	if (!load_article(r, id, &a))
		return;
	meta_text(r, &a, &meta);
	article_url(r, a.id, &url);
	/* the text alone, but in a main landmark: a screen reader's "skip to main" finds it */
	html_printf(&r->out,
		    "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>%s — klaster</title><link rel=\"icon\" href=\"data:,\">"   /* no /favicon.ico to ask for */
		    "<link rel=\"stylesheet\" href=\"/static/news-print.css\"></head>"
		    "<body class=\"print\"><main><p class=\"screen-only\"><a href=\"/news/%lld\">← %s</a> · %s</p>"
		    "<article><header><p class=\"site\">klaster · %s</p><h1 lang=\"%s\">%s</h1><p class=\"meta\">%s</p></header>",
		    r->lang, a.title, a.id, L(r, "Wróć do artykułu", "Back to the article"),
		    L(r, "Drukuj: Ctrl+P", "Print: Ctrl+P"), L(r, "Aktualności", "News"), a.lang, a.title, meta.ptr);
	/* the page speaks the reader's language; the article's own text is marked with its own */
	if (*a.lead)
		html_printf(&r->out, "<p class=\"lead\" lang=\"%s\">%s</p>", a.lang, a.lead);
	html_printf(&r->out, "<div class=\"body\" lang=\"%s\">\n", a.lang);
	news_md_html(&r->out, a.body_md, strlen(a.body_md));   /* allow-listed HTML (news.h) */
	html_printf(&r->out, "</div><footer><p>%s: %s</p></footer></article></main></body></html>\n", L(r, "Źródło", "Source"),
		    url.ptr);
	buf_release(&meta);
	buf_release(&url);
	article_release(&a);
}

/* ---- writing ---- */

static void cluster_choice(struct req *r, long long current)
{
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	int rc;
	if (!auth_is_admin(&r->user)) {
		/* a coordinator writes for their own cluster */
		struct db_stmt *q;
		if (db_prepare(r->db, "SELECT name FROM cluster WHERE id = ?", &q, &e) == 0) {
			db_bind_int(q, 1, r->user.cluster_id);
			if (db_step(q, &e) == 1)
				html_printf(&r->out, "<p class=\"field\">%s: <strong>%s</strong></p>", L(r, "Klaster", "Cluster"),
					    db_col_text(q, 0));
			db_finalize(q);
		}
		return;
	}
	if (db_prepare(r->db, "SELECT id, name FROM cluster ORDER BY sort_key", &st, &e))
		return;
	html_printf(&r->out, "<p class=\"field\"><label for=\"f-cluster\">%s</label><select id=\"f-cluster\" name=\"cluster\"%R>"
		    "<option value=\"\">%s</option>", L(r, "Klaster", "Cluster"), web_invalid(r, "cluster"),
		    L(r, "— cały portal —", "— the whole portal —"));
	while ((rc = db_step(st, &e)) == 1)
		html_printf(&r->out, "<option value=\"%lld\"%R>%s</option>", db_col_int(st, 0),
			    db_col_int(st, 0) == current ? " selected" : "", db_col_text(st, 1));
	db_finalize(st);
	buf_puts(&r->out, "</select></p>");
}

/* The article form's name of field name in an error line, NULL when it has none (web_form_errors). */
static const char *article_label(struct req *r, const char *name)
{
	static const struct {
		const char *name, *pl, *en;
	} labels[] = {
		{ "title", "Tytuł", "Title" }, { "lead", "Wstęp", "Lead" }, { "body", "Treść", "Body" },
		{ "lang", "Język artykułu", "Language of the article" }, { "cluster", "Klaster", "Cluster" },
	};
	size_t i;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].name, name) == 0)
			return L(r, labels[i].pl, labels[i].en);
	return NULL;
}

/* The article form (new when a->id is 0); values from a. */
static void article_form(struct req *r, const struct article *a, const char *error)
{
	char action[64];
	const char *title = a->id ? L(r, "Edycja artykułu", "Edit the article") : L(r, "Nowy artykuł", "New article");
	page_begin(r, title);
	html_printf(&r->out, "<h1>%s</h1>", title);
	if (error)
		web_form_errors(r, error, article_label);
	if (a->id)
		snprintf(action, sizeof(action), "/news/%lld/edit", a->id);
	else
		snprintf(action, sizeof(action), "/news/new");
	form_open(r, action, "stack");
	web_field(r, "title", L(r, "Tytuł", "Title"), "text", a->title, "required maxlength=\"200\"");
	web_textarea(r, "lead", L(r, "Wstęp (jeden akapit, zwykły tekst)", "Lead (one paragraph, plain text)"), a->lead, 3,
		     "maxlength=\"1000\"");
	web_textarea_hint(r, "body", L(r, "Treść (Markdown)", "Body (Markdown)"), a->body_md, 18, "required",
			  L(r, "Markdown: # nagłówek, *kursywa*, **pogrubienie**, - lista, 1. lista numerowana, "
			       "[tekst](https://adres). Kod HTML nie jest wyświetlany.",
			    "Markdown: # heading, *italics*, **bold**, - list, 1. numbered list, [text](https://address). "
			       "HTML is not shown."));
	html_printf(&r->out, "<p class=\"field\"><label for=\"f-lang\">%s</label><select id=\"f-lang\" name=\"lang\"%R>"
		    "<option value=\"pl\"%R>polski</option><option value=\"en\"%R>English</option></select></p>",
		    L(r, "Język artykułu", "Language of the article"), web_invalid(r, "lang"), strcmp(a->lang, "en") != 0 ? " selected" : "",
		    strcmp(a->lang, "en") == 0 ? " selected" : "");
	cluster_choice(r, a->cluster_id);
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>",
		    a->id ? L(r, "Zapisz zmiany", "Save the changes") : L(r, "Zapisz szkic", "Save as a draft"));
	page_end(r);
}

/* Adds the problem in one as a line of lines (web_form_errors lists them) and clears one. */
static void problem_add(struct buf *lines, struct kerr *one)
{
	buf_printf(lines, "%s%s", lines->len ? "\n" : "", one->msg);
	kerr_clear(one);
}

/*
 * The problems of the article's fields, every one, a line each in the form's order, into lines.
 * news_check (the one rule, which news_create and news_update apply again) stops at its first
 * problem, so it is asked about one field at a time, the others given values it takes.
 */
static void article_problems(const struct article *a, const char *lang, struct buf *lines)
{
	struct kerr one = KERR_INIT;
	if (news_check(a->title, "", "x", "pl", &one))
		problem_add(lines, &one);
	if (news_check("x", a->lead, "x", "pl", &one))
		problem_add(lines, &one);
	if (news_check("x", "", a->body_md, "pl", &one))
		problem_add(lines, &one);
	if (news_check("x", "", "x", lang, &one))
		problem_add(lines, &one);
}

/* Reads the form into a (strings borrowed from the request: do not
 * release them).  The cluster: an administrator picks one (or none), a
 * coordinator's is theirs; -1 with every problem, a line each naming its
 * field (KERR_INPUT), or a database error. */
static int article_from_form(struct req *r, struct article *a, long long keep_cluster, struct kerr *e)
{
	const char *lang = req_form(r, "lang");
	struct buf problems = BUF_INIT;
	a->title = (char *)(req_form(r, "title") ? req_form(r, "title") : "");
	a->lead = (char *)(req_form(r, "lead") ? req_form(r, "lead") : "");
	a->body_md = (char *)(req_form(r, "body") ? req_form(r, "body") : "");
	snprintf(a->lang, sizeof(a->lang), "%s", lang && strlen(lang) == 2 ? lang : "");
	article_problems(a, lang ? lang : "", &problems);
	if (auth_is_admin(&r->user)) {
		const char *c = req_form(r, "cluster");
		char *end;
		long long id = 0;
		if (c && *c) {
			errno = 0;
			id = strtoll(c, &end, 10);
			if (!isdigit((unsigned char)*c) || *end || errno || id < 0) {
				buf_printf(&problems, "%scluster: must be the number of a cluster", problems.len ? "\n" : "");
				id = 0;
			}
		}
		if (id > 0) {
			long long found = 0;
			char idbuf[24];
			snprintf(idbuf, sizeof(idbuf), "%lld", id);
			/* BIGINT as the column: PostgreSQL's INTEGER is 32-bit, and a
			 * larger id must be "no such cluster", not a database error */
			if (db_query_int(r->db, &found, e, "SELECT COUNT(*) FROM cluster WHERE id = CAST(? AS BIGINT)", idbuf,
					 NULL) < 0) {
				buf_release(&problems);
				return -1;
			}
			if (!found)
				buf_printf(&problems, "%scluster: no such cluster", problems.len ? "\n" : "");
		}
		a->cluster_id = id;
	} else {
		a->cluster_id = keep_cluster;
	}
	if (problems.len) {
		kerr_set_lines(e, KERR_INPUT, problems.ptr);
		buf_release(&problems);
		return -1;
	}
	buf_release(&problems);
	return 0;
}

static void h_news_new(struct req *r)
{
	struct article a;
	if (req_deny(r, can_write(r)))
		return;
	memset(&a, 0, sizeof(a));
	a.title = a.lead = a.body_md = (char *)"";
	snprintf(a.lang, sizeof(a.lang), "%s", r->lang);
	a.cluster_id = auth_is_admin(&r->user) ? 0 : r->user.cluster_id;
	article_form(r, &a, NULL);
}

static void bad_form(struct req *r, struct article *a, const struct kerr *e)
{
	if (e->kind != KERR_INPUT)
		return req_error_kerr(r, e);
	r->status = 400;
	if (!a->lang[0])
		snprintf(a->lang, sizeof(a->lang), "pl");
	article_form(r, a, e->msg);
}

static void h_news_new_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct article a;
	long long id = 0;
	char where[64];
	if (req_deny(r, can_write(r)))
		return;
	memset(&a, 0, sizeof(a));
	a.author_id = r->user.id;
	snprintf(a.status, sizeof(a.status), "draft");
	if (article_from_form(r, &a, r->user.cluster_id, &e))
		return bad_form(r, &a, &e);
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (news_create(r->db, &a, auth_now(), &id, &e) ||
	    auth_audit(r->db, r->user.id, r->ip, "news-create", "article", id, a.title, &e)) {
		db_rollback(r->db);
		return bad_form(r, &a, &e);
	}
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	snprintf(where, sizeof(where), "/news/%lld?done=created", id);
	req_redirect(r, where);
}

/* Loads the article of a manager's request: 404 when there is none, 403
 * when the user may not manage it.  1 loaded (release it), 0 answered. */
static int load_managed(struct req *r, struct article *a)
{
	struct kerr e = KERR_INIT;
	long long id = arg_id(r, NULL);
	int rc = id > 0 ? news_get(r->db, id, a, &e) : 0;
	if (rc < 0) {
		req_error_kerr(r, &e);
		return 0;
	}
	if (rc == 0) {
		not_found(r);
		return 0;
	}
	if (req_deny(r, can_manage(r, a))) {
		article_release(a);
		return 0;
	}
	return 1;
}

static void h_news_edit(struct req *r)
{
	struct article a;
	if (!load_managed(r, &a))
		return;
	article_form(r, &a, NULL);
	article_release(&a);
}

static void h_news_edit_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct article a, in;
	char where[64];
	if (!load_managed(r, &a))
		return;
	memset(&in, 0, sizeof(in));
	in.id = a.id;
	if (article_from_form(r, &in, a.cluster_id, &e)) {
		article_release(&a);
		return bad_form(r, &in, &e);
	}
	if (db_begin(r->db, &e)) {
		article_release(&a);
		return req_error_kerr(r, &e);
	}
	if (news_update(r->db, &in, auth_now(), &e) ||
	    auth_audit(r->db, r->user.id, r->ip, "news-edit", "article", a.id, in.title, &e)) {
		db_rollback(r->db);
		article_release(&a);
		return bad_form(r, &in, &e);
	}
	article_release(&a);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	snprintf(where, sizeof(where), "/news/%lld?done=saved", in.id);
	req_redirect(r, where);
}

static void set_status(struct req *r, const char *status, const char *action, const char *done)
{
	struct kerr e = KERR_INIT;
	struct article a;
	char where[64];
	if (!load_managed(r, &a))
		return;
	if (db_begin(r->db, &e)) {
		article_release(&a);
		return req_error_kerr(r, &e);
	}
	if (news_set_status(r->db, a.id, status, auth_now(), &e) ||
	    auth_audit(r->db, r->user.id, r->ip, action, "article", a.id, a.title, &e)) {
		db_rollback(r->db);
		article_release(&a);
		return req_error_kerr(r, &e);
	}
	snprintf(where, sizeof(where), "/news/%lld?done=%s", a.id, done);
	article_release(&a);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	req_redirect(r, where);
}

static void h_news_publish(struct req *r)
{
	set_status(r, "published", "news-publish", "published");
}

static void h_news_unpublish(struct req *r)
{
	set_status(r, "draft", "news-unpublish", "unpublished");
}

/* The page that asks before an article is deleted (web_confirm_page). */
static void delete_confirm(struct req *r, const struct article *a)
{
	struct buf what = BUF_INIT;
	char action[64], back[48];
	buf_printf(&what, L(r, "Artykuł „%s” (%s) zostanie usunięty na zawsze, a z nim wszystkie jego komentarze "
			       "(opublikowane: %lld). Tego nie można cofnąć; by tylko zdjąć go z portalu, wycofaj publikację.",
			    "The article “%s” (%s) is deleted for good, and with it all its comments (published: %lld). "
			       "This cannot be undone; to only take it off the portal, unpublish it."),
		   a->title, strcmp(a->status, "published") == 0 ? L(r, "opublikowany", "published") : L(r, "szkic", "draft"),
		   a->comments);
	snprintf(action, sizeof(action), "/news/%lld/delete", a->id);
	snprintf(back, sizeof(back), "/news/%lld", a->id);
	web_confirm_page(r, L(r, "Usunąć artykuł?", "Delete the article?"), what.ptr, action, NULL,
			 L(r, "Usuń artykuł", "Delete the article"), back);
	buf_release(&what);
}

static void h_news_delete(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct article a;
	if (!load_managed(r, &a))
		return;
	if (!web_confirmed(r)) {
		delete_confirm(r, &a);
		return article_release(&a);
	}
	if (db_begin(r->db, &e)) {
		article_release(&a);
		return req_error_kerr(r, &e);
	}
	if (auth_audit(r->db, r->user.id, r->ip, "news-delete", "article", a.id, a.title, &e) ||
	    news_delete(r->db, a.id, &e)) {
		db_rollback(r->db);
		article_release(&a);
		return req_error_kerr(r, &e);
	}
	article_release(&a);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	req_redirect(r, "/admin/news?done=deleted");
}

/* ---- comments ---- */

static void comment_refused(struct req *r, const struct article *a, int status, const char *msg, const char *stamp)
{
	r->status = status;
	article_page(r, a, msg, req_form(r, "body"), stamp);
}

static void h_news_comment(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct article a;
	const char *body = req_form(r, "body"), *stamp = req_form(r, "stamp"), *trap = req_form(r, "website");
	const char *status;
	long long id = arg_id(r, NULL), cid = 0, now = auth_now();
	char key[64], where[96];
	int st, ok;

	if (!load_article(r, id, &a))
		return;
	if (strcmp(a.status, "published") != 0) {
		article_release(&a);
		return req_error(r, 409, L(r, "Komentarze są możliwe po publikacji.", "Comments open once the article is published."));
	}
	if (news_comment_check(body, &e)) {
		comment_refused(r, &a, 400, e.msg, stamp);
		return article_release(&a);
	}
	st = news_stamp_check(r->app->csrf_key, a.id, r->user.id, stamp, now, comment_min_age(), STAMP_MAX_AGE);
	if (st < 0) {
		comment_refused(r, &a, 400, L(r, "Formularz wygasł. Wyślij komentarz jeszcze raz.",
					      "The form has expired. Send the comment again."), NULL);
		return article_release(&a);
	}
	if (st > 0) {
		comment_refused(r, &a, 400, L(r, "Wysłano zbyt szybko po otwarciu strony. Odczekaj kilka sekund i wyślij ponownie.",
					      "Sent too quickly after opening the page. Wait a few seconds and send it again."),
				stamp);
		return article_release(&a);
	}
	snprintf(key, sizeof(key), "comment-user:%lld", r->user.id);
	ok = auth_rate_hit(r->db, key, COMMENTS_WINDOW, COMMENTS_PER_USER, &e);
	if (ok < 0) {
		article_release(&a);
		return req_error_kerr(r, &e);
	}
	if (!ok) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%d", COMMENTS_WINDOW);
		req_header_add(r, "Retry-After", secs);
		comment_refused(r, &a, 429, L(r, "Zbyt wiele komentarzy w krótkim czasie. Spróbuj ponownie za kilka minut.",
					      "Too many comments in a short time. Try again in a few minutes."), stamp);
		return article_release(&a);
	}
	/* the hidden field is filled by robots only: kept, marked as spam */
	status = trap && *trap ? "spam" : "pending";
	if (db_begin(r->db, &e)) {
		article_release(&a);
		return req_error_kerr(r, &e);
	}
	if (news_comment_add(r->db, a.id, r->user.id, body, status, r->ip, now, &cid, &e) ||
	    auth_audit(r->db, r->user.id, r->ip, strcmp(status, "spam") == 0 ? "comment-spam" : "comment-add", "comment",
		       cid, NULL, &e)) {
		db_rollback(r->db);
		if (e.kind == KERR_INPUT)
			comment_refused(r, &a, 400, e.msg, stamp);
		else
			req_error_kerr(r, &e);
		return article_release(&a);
	}
	if (db_commit(r->db, &e)) {
		article_release(&a);
		return req_error_kerr(r, &e);
	}
	snprintf(where, sizeof(where), "/news/%lld?comment=sent#comments", a.id);
	article_release(&a);
	req_redirect(r, where);
}

/* ---- administration ---- */

static int admin_item(void *ctx, const struct article *a)
{
	struct req *r = ctx;
	char date[16] = "";
	date_of(a->published_at ? a->published_at : a->updated_at, date);
	html_printf(&r->out, "<tr><td><a href=\"/news/%lld\">%s</a>", a->id, a->title);
	demo_badge(r, a->demo);
	html_printf(&r->out, "</td><td>%s</td><td>%s</td><td>%s</td><td><a href=\"/news/%lld/edit\">%s"
		    "<span class=\"vh\">: %s</span></a></td></tr>",
		    *a->cluster_name ? a->cluster_name : L(r, "cały portal", "whole portal"),
		    strcmp(a->status, "published") == 0 ? L(r, "opublikowany", "published") : L(r, "szkic", "draft"), date,
		    a->id, L(r, "Edytuj", "Edit"), a->title);
	return 0;
}

static void admin_news_link(void *ctx, long p, struct buf *out)
{
	buf_printf(out, "/admin/news?page=%ld", p);
}

static void h_admin_news(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct news_query q;
	long long total = 0;
	const char *done = req_arg(r, "done");
	long long page = query_num(r, "page", 1);
	if (req_deny(r, can_write(r)))
		return;
	if (page < 1 || page > 100000)
		return req_error(r, 400, "page: a number from 1");
	memset(&q, 0, sizeof(q));
	q.limit = ADMIN_LIST_MAX;
	q.offset = (long)((page - 1) * ADMIN_LIST_MAX);
	if (!auth_is_admin(&r->user))
		q.cluster_id = r->user.cluster_id;
	page_begin(r, L(r, "Aktualności — zarządzanie", "News — management"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Aktualności — zarządzanie", "News — management"));
	if (done && strcmp(done, "deleted") == 0)
		web_alert(r, "notice", L(r, "Artykuł usunięty.", "The article was deleted."));
	html_printf(&r->out, "<p><a href=\"/news/new\">%s</a> · <a href=\"/admin/comments\">%s</a></p>",
		    L(r, "Napisz artykuł", "Write an article"), L(r, "Komentarze do moderacji", "Comments to moderate"));
	html_printf(&r->out, "<div class=\"table-wrap\"><table class=\"results\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th></tr></thead><tbody>",
		    L(r, "Tytuł", "Title"), L(r, "Klaster", "Cluster"), L(r, "Stan", "Status"), L(r, "Data", "Date"),
		    L(r, "Zmiana", "Change"));
	if (news_list(r->db, &q, &total, admin_item, r, &e)) {
		buf_reset(&r->out);
		return req_error_kerr(r, &e);
	}
	buf_puts(&r->out, "</tbody></table></div>");
	web_pages(r, (long)page, (long)((total + ADMIN_LIST_MAX - 1) / ADMIN_LIST_MAX), admin_news_link, NULL);
	page_end(r);
}

static const char *const comment_states[] = { "pending", "spam", "rejected", "approved" };

static const char *comment_state_label(struct req *r, const char *s)
{
	return strcmp(s, "pending") == 0 ? L(r, "oczekujące", "pending")
	       : strcmp(s, "spam") == 0  ? L(r, "spam", "spam")
	       : strcmp(s, "rejected") == 0 ? L(r, "odrzucone", "rejected")
					     : L(r, "zatwierdzone", "approved");
}

struct queue_ctx {
	struct req *r;
	const char *status;
	int n;
};

/* A decision on a comment; the rows' buttons are alike, so each names its comment (what) to a screen reader. */
static void decision_button(struct req *r, const char *value, const char *label, const char *current, const char *what)
{
	if (strcmp(value, current) != 0)
		html_printf(&r->out, "<button type=\"submit\" name=\"decision\" value=\"%s\">%s<span class=\"vh\"> %s</span></button> ",
			    value, label, what);
}

static int queue_item(void *ctx, const struct comment *k)
{
	struct queue_ctx *c = ctx;
	struct req *r = c->r;
	char date[16], action[64];
	date_of(k->created_at, date);
	c->n++;
	html_printf(&r->out, "<li id=\"c%lld\"><p class=\"muted\"><a href=\"/news/%lld\">%s</a> · %s · %s</p><p>", k->id,
		    k->article_id, k->article_title, k->author, date);
	text_lines(&r->out, k->body);
	buf_puts(&r->out, "</p>");
	snprintf(action, sizeof(action), "/admin/comments/%lld", k->id);
	form_open(r, action, "inline");
	web_page_input(r);
	html_printf(&r->out, "<input type=\"hidden\" name=\"from\" value=\"%s\">", c->status);
	{
		struct buf what = BUF_INIT;
		buf_printf(&what, L(r, "— komentarz %s do „%s” (%s)", "— the comment by %s on “%s” (%s)"),
			   *k->author ? k->author : L(r, "użytkownika portalu", "a portal user"), k->article_title, date);
		decision_button(r, "approved", L(r, "Zatwierdź", "Approve"), c->status, what.ptr);
		decision_button(r, "rejected", L(r, "Odrzuć", "Reject"), c->status, what.ptr);
		decision_button(r, "spam", L(r, "To spam", "Spam"), c->status, what.ptr);
		buf_release(&what);
	}
	buf_puts(&r->out, "</form></li>");
	return 0;
}

static const char *known_state(const char *s)
{
	size_t i;
	for (i = 0; s && i < sizeof(comment_states) / sizeof(comment_states[0]); i++)
		if (strcmp(s, comment_states[i]) == 0)
			return comment_states[i];
	return NULL;
}

/* ctx: the address of the status shown (one of comment_states) */
static void admin_comments_link(void *ctx, long p, struct buf *out)
{
	buf_printf(out, "/admin/comments?status=%s&page=%ld", *(const char *const *)ctx, p);
}

static void h_admin_comments(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *status = req_arg(r, "status") ? known_state(req_arg(r, "status")) : "pending";
	struct queue_ctx c = { r, NULL, 0 };
	long long cluster = 0, total = 0, page = query_num(r, "page", 1);
	size_t i;
	if (req_deny(r, auth_is_admin(&r->user) || (auth_is_moderator(&r->user) && r->user.cluster_id > 0)))
		return;
	if (!status)
		return req_error(r, 400, "status: pending, spam, rejected or approved");
	if (page < 1 || page > 100000)
		return req_error(r, 400, "page: a number from 1");
	c.status = status;
	if (!auth_is_admin(&r->user))
		cluster = r->user.cluster_id;
	page_begin(r, L(r, "Komentarze do moderacji", "Comments to moderate"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Komentarze do moderacji", "Comments to moderate"));
	if (req_arg(r, "done"))
		web_alert(r, "notice", L(r, "Zapisano decyzję.", "Decision saved."));
	html_printf(&r->out, "<nav class=\"tabs\" aria-label=\"%s\">", L(r, "Stan", "Status"));
	for (i = 0; i < sizeof(comment_states) / sizeof(comment_states[0]); i++)
		html_printf(&r->out, "<a href=\"/admin/comments?status=%s\"%R>%s</a> ", comment_states[i],
			    strcmp(comment_states[i], status) == 0 ? " aria-current=\"page\"" : "",
			    comment_state_label(r, comment_states[i]));
	buf_puts(&r->out, "</nav><ol class=\"plain comment-queue\">");
	if (news_comment_queue(r->db, status, cluster, (long)((page - 1) * ADMIN_LIST_MAX), ADMIN_LIST_MAX, &total,
			       queue_item, &c, &e)) {
		buf_reset(&r->out);
		return req_error_kerr(r, &e);
	}
	buf_puts(&r->out, "</ol>");
	if (!c.n)
		html_printf(&r->out, "<p class=\"muted\">%s</p>",
			    total ? L(r, "Nic na tej stronie.", "Nothing on this page.") : L(r, "Brak komentarzy.", "No comments."));
	else
		html_printf(&r->out, "<p class=\"count\">%s: <strong>%lld</strong></p>", L(r, "Razem", "In all"), total);
	web_pages(r, (long)page, (long)((total + ADMIN_LIST_MAX - 1) / ADMIN_LIST_MAX), admin_comments_link, &status);
	page_end(r);
}

static void h_admin_comment_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	char *end;
	long long id = r->arg ? strtoll(r->arg, &end, 10) : 0, article = 0, cluster = 0;
	const char *decision = req_form(r, "decision"), *from = known_state(req_form(r, "from"));
	char where[96];
	int rc;
	if (!r->arg || !isdigit((unsigned char)r->arg[0]) || *end || id <= 0)
		return req_error(r, 404, L(r, "Nie ma takiego komentarza.", "No such comment."));
	rc = news_comment_owner(r->db, id, &article, &cluster, &e);
	if (rc < 0)
		return req_error_kerr(r, &e);
	if (rc == 0)
		return req_error(r, 404, L(r, "Nie ma takiego komentarza.", "No such comment."));
	if (req_deny(r, auth_can_coordinate(&r->user, cluster)))
		return;
	if (!decision || (strcmp(decision, "approved") != 0 && strcmp(decision, "rejected") != 0 &&
			  strcmp(decision, "spam") != 0))
		return req_error(r, 400, "decision: approved, rejected or spam");
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (news_comment_moderate(r->db, id, decision, r->user.id, &e) ||
	    auth_audit(r->db, r->user.id, r->ip, "comment-moderate", "comment", id, decision, &e)) {
		db_rollback(r->db);
		return req_error_kerr(r, &e);
	}
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	snprintf(where, sizeof(where), "/admin/comments?status=%s&done=1", from ? from : "pending");
	web_redirect_page(r, where);
}

const struct route news_routes[] = {
	{ "GET", "/news", h_news, R_DB | R_CACHE | R_AREA_DIR | R_AREA_NEWS },
	{ "GET", "/news/new", h_news_new, R_DB | R_LOGIN },
	{ "POST", "/news/new", h_news_new_post, R_DB | R_FORM | R_LOGIN },
	{ "GET", "/news/*/edit", h_news_edit, R_DB | R_LOGIN | R_PREFIX },
	{ "POST", "/news/*/edit", h_news_edit_post, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "POST", "/news/*/publish", h_news_publish, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "POST", "/news/*/unpublish", h_news_unpublish, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "POST", "/news/*/delete", h_news_delete, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "POST", "/news/*/comments", h_news_comment, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "GET", "/news/*/print", h_news_print, R_DB | R_CACHE | R_AREA_DIR | R_AREA_NEWS | R_PREFIX },
	{ "GET", "/news/", h_news_article, R_DB | R_CACHE | R_AREA_DIR | R_AREA_NEWS | R_PREFIX },
	{ "GET", "/admin/news", h_admin_news, R_DB | R_LOGIN },
	{ "GET", "/admin/comments", h_admin_comments, R_DB | R_LOGIN },
	{ "POST", "/admin/comments/", h_admin_comment_post, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ NULL, NULL, NULL, 0 }
};
