/* news.c — articles, Markdown to HTML, comments, the comment stamp and
 * the import of article files (see news.h). */
#include "news.h"

#include <cmark.h>
#include <sodium.h>

#include "auth.h"
#include "dir.h"
#include "esc.h"
#include "fold.h"

/* ---- Markdown ---- */

/* cmark reads the whole source in memory; NEWS_BODY_MAX characters are at
 * most four times as many bytes, and nothing longer is ever stored. */
#define MD_OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

/* 1 when a link may point at u: no control characters, and either no
 * scheme at all (a relative address) or http, https or mailto. */
int news_url_ok(const char *u)
{
	const unsigned char *p;
	size_t n;
	if (!u)
		return 0;
	for (p = (const unsigned char *)u; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	n = strcspn(u, ":/?#");
	if (u[n] != ':')
		return 1;
	return (n == 4 && strncasecmp(u, "http", 4) == 0) || (n == 5 && strncasecmp(u, "https", 5) == 0) ||
	       (n == 6 && strncasecmp(u, "mailto", 6) == 0);
}

/* An image the page may load: a path on this site (the pages allow images
 * from their own origin only). */
static int image_local(const char *u)
{
	return news_url_ok(u) && u[0] == '/' && u[1] != '/' && u[1] != '\\';
}

static int in_tight_list(cmark_node *para)
{
	cmark_node *item = cmark_node_parent(para), *list = item ? cmark_node_parent(item) : NULL;
	return item && list && cmark_node_get_type(item) == CMARK_NODE_ITEM && cmark_node_get_list_tight(list);
}

static void title_attr(struct buf *out, cmark_node *n)
{
	const char *t = cmark_node_get_title(n);
	if (t && *t)
		html_printf(out, " title=\"%s\"", t);
}

/* The highest (smallest) heading level in doc, 1..6; 1 when it has none. */
static int top_heading(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int top = 7;
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) < top)
			top = cmark_node_get_heading_level(n);
	}
	cmark_iter_free(it);
	return top == 7 ? 1 : top;
}

void news_md_html(struct buf *out, const char *md, size_t len)
{
	cmark_node *doc = cmark_parse_document(md ? md : "", md ? len : 0, MD_OPTIONS);
	cmark_iter *it;
	int shift;   /* the article's highest heading becomes h2: the page's h1 is the title */
	cmark_event_type ev;
	cmark_node *alt = NULL;        /* an image whose alt text is being written */
	cmark_node *open_link = NULL;  /* the link an <a> was opened for */
	int alt_close = 0;             /* what closes alt: 1 "\">" (img), 2 "</a>" */

	if (!doc)
		return;   /* cmark ran out of memory: nothing */
	shift = 2 - top_heading(doc);
	it = cmark_iter_new(doc);
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER;
		cmark_node_type t = cmark_node_get_type(n);
		if (alt) {
			/* inside an image only its text counts (it is an attribute
			 * or a link's text) */
			if (n == alt && !enter) {
				buf_puts(out, alt_close == 1 ? "\">" : alt_close == 2 ? "</a>" : "");
				alt = NULL;
			} else if (enter && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
				esc_html(out, cmark_node_get_literal(n));
			} else if (enter && (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)) {
				buf_putc(out, ' ');
			}
			continue;
		}
		switch (t) {
		case CMARK_NODE_DOCUMENT:
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			buf_puts(out, enter ? "<blockquote>\n" : "</blockquote>\n");
			break;
		case CMARK_NODE_LIST:
			if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST) {
				int start = cmark_node_get_list_start(n);
				if (!enter)
					buf_puts(out, "</ol>\n");
				else if (start != 1)
					html_printf(out, "<ol start=\"%d\">\n", start);
				else
					buf_puts(out, "<ol>\n");
			} else {
				buf_puts(out, enter ? "<ul>\n" : "</ul>\n");
			}
			break;
		case CMARK_NODE_ITEM:
			buf_puts(out, enter ? "<li>" : "</li>\n");
			break;
		case CMARK_NODE_CODE_BLOCK:
			buf_puts(out, "<pre><code>");
			esc_html(out, cmark_node_get_literal(n));
			buf_puts(out, "</code></pre>\n");
			break;
		case CMARK_NODE_PARAGRAPH:
			if (!in_tight_list(n))
				buf_puts(out, enter ? "<p>" : "</p>\n");
			break;
		case CMARK_NODE_HEADING: {
			int level = cmark_node_get_heading_level(n) + shift;
			if (level > 6)
				level = 6;
			html_printf(out, enter ? "<h%d>" : "</h%d>\n", level);
			break;
		}
		case CMARK_NODE_THEMATIC_BREAK:
			buf_puts(out, "<hr>\n");
			break;
		case CMARK_NODE_TEXT:
			esc_html(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
			buf_putc(out, '\n');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_puts(out, "<br>\n");
			break;
		case CMARK_NODE_CODE:
			buf_puts(out, "<code>");
			esc_html(out, cmark_node_get_literal(n));
			buf_puts(out, "</code>");
			break;
		case CMARK_NODE_EMPH:
			buf_puts(out, enter ? "<em>" : "</em>");
			break;
		case CMARK_NODE_STRONG:
			buf_puts(out, enter ? "<strong>" : "</strong>");
			break;
		case CMARK_NODE_LINK:
			if (enter && !open_link && news_url_ok(cmark_node_get_url(n))) {
				html_printf(out, "<a href=\"%s\"", cmark_node_get_url(n));
				title_attr(out, n);
				buf_puts(out, " rel=\"nofollow ugc noopener\">");
				open_link = n;
			} else if (!enter && n == open_link) {
				buf_puts(out, "</a>");
				open_link = NULL;
			}
			break;
		case CMARK_NODE_IMAGE: {
			const char *u = cmark_node_get_url(n);
			alt = n;
			alt_close = 0;
			if (image_local(u)) {
				html_printf(out, "<img src=\"%s\"", u);
				title_attr(out, n);
				buf_puts(out, " alt=\"");
				alt_close = 1;
			} else if (!open_link && news_url_ok(u)) {
				html_printf(out, "<a href=\"%s\"", u);
				title_attr(out, n);
				buf_puts(out, " rel=\"nofollow ugc noopener\">");
				alt_close = 2;
			}
			if (!enter) {   /* no children: closed at once */
				buf_puts(out, alt_close == 1 ? "\">" : alt_close == 2 ? "</a>" : "");
				alt = NULL;
			}
			break;
		}
		default:
			/* raw HTML (blocks and inline) and custom nodes: left out */
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}

/* Appends s to out while out holds fewer than max bytes past start; 1 when cut. */
static int add_capped(struct buf *out, size_t start, const char *s, size_t max)
{
	size_t room, n = strlen(s);
	if (out->len - start >= max)
		return 1;
	room = max - (out->len - start);
	if (n <= room) {
		buf_add(out, s, n);
		return 0;
	}
	while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80)
		room--;
	buf_add(out, s, room);
	return 1;
}

void news_md_text(struct buf *out, const char *md, size_t len, size_t max)
{
	cmark_node *doc = cmark_parse_document(md ? md : "", md ? len : 0, MD_OPTIONS);
	cmark_iter *it;
	cmark_event_type ev;
	size_t start = out->len;
	int cut = 0, space = 0;
	if (!doc)
		return;
	it = cmark_iter_new(doc);
	while (!cut && it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK) {
			if (space && out->len > start)
				cut = add_capped(out, start, " ", max);
			space = 0;
			if (!cut)
				cut = add_capped(out, start, cmark_node_get_literal(n), max);
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK ||
			   (ev == CMARK_EVENT_EXIT && t < CMARK_NODE_FIRST_INLINE)) {
			space = 1;
		}
	}
	if (cut)
		buf_puts(out, "…");
	cmark_iter_free(it);
	cmark_node_free(doc);
}

/* ---- checks ---- */

/* 1 when s holds a control character (esc.h's text_control: C0, DEL and
 * the C1 controls U+0080–U+009F) other than, with lines, tab and the line
 * breaks of a form (LF, CR LF). */
static int has_controls(const char *s, int lines)
{
	char *copy, *w;
	const char *p;
	int bad;
	if (!lines)
		return text_control(s) != 0;
	if (!strchr(s, '\r'))
		return text_control_lines(s) != 0;
	/* a browser sends a textarea's lines with CR LF */
	copy = w = xstrdup(s);
	for (p = s; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*w++ = *p;
	*w = '\0';
	bad = text_control_lines(copy) != 0;
	free(copy);
	return bad;
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static int check_text(const char *field, const char *s, int required, size_t max, int lines, struct kerr *e)
{
	if (required && blank(s))
		return kerr_set(e, KERR_INPUT, "%s: required", field);
	if (!s)
		return 0;
	if (!utf8_valid(s, strlen(s)))
		return kerr_set(e, KERR_INPUT, "%s: not valid UTF-8 text", field);
	if (utf8_chars(s) > max)
		return kerr_set(e, KERR_INPUT, "%s: at most %zu characters", field, max);
	if (has_controls(s, lines))
		return kerr_set(e, KERR_INPUT, "%s: control characters are not allowed%s", field,
				lines ? "" : " (one line of text)");
	return 0;
}

int news_check(const char *title, const char *lead, const char *body, const char *lang, struct kerr *e)
{
	if (check_text("title", title, 1, NEWS_TITLE_MAX, 0, e) || check_text("lead", lead, 0, NEWS_LEAD_MAX, 1, e) ||
	    check_text("body", body, 1, NEWS_BODY_MAX, 1, e))
		return -1;
	if (!lang || (strcmp(lang, "pl") != 0 && strcmp(lang, "en") != 0))
		return kerr_set(e, KERR_INPUT, "lang: must be pl or en");
	return 0;
}

int news_count_links(const char *s)
{
	int n = 0;
	const char *p;
	if (!s)
		return 0;
	for (p = s; *p; p++) {
		if (strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0) {
			n++;
			p += strcspn(p, " \t\r\n") - 1;   /* one address counts once */
		} else if (strncasecmp(p, "www.", 4) == 0 && (p == s || isspace((unsigned char)p[-1]) || p[-1] == '(')) {
			n++;
			p += strcspn(p, " \t\r\n") - 1;
		}
	}
	return n;
}

int news_comment_check(const char *body, struct kerr *e)
{
	int links;
	if (check_text("body", body, 1, NEWS_COMMENT_MAX, 1, e))
		return -1;
	links = news_count_links(body);
	if (links > NEWS_COMMENT_LINKS)
		return kerr_set(e, KERR_INPUT, "body: at most %d links in a comment (this one has %d)", NEWS_COMMENT_LINKS,
				links);
	return 0;
}

/* ---- articles ---- */

void article_release(struct article *a)
{
	free(a->title);
	free(a->lead);
	free(a->body_md);
	free(a->cluster_name);
	free(a->author_name);
	a->title = a->lead = a->body_md = a->cluster_name = a->author_name = NULL;
}

static char *dup_col(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return xstrdup(s ? s : "");
}

#define ARTICLE_COLS                                                                                              \
	"a.id, COALESCE(a.cluster_id, 0), COALESCE(a.author_id, 0), a.title, COALESCE(a.lead, ''), a.body_md, a.lang," \
	" a.status, COALESCE(a.published_at, 0), a.created_at, a.updated_at, a.demo, COALESCE(c.name, ''),"         \
	" COALESCE(u.name, ''),"                                                                                     \
	" (SELECT COUNT(*) FROM article_comment k WHERE k.article_id = a.id AND k.status = 'approved')"             \
	" FROM article a LEFT JOIN cluster c ON c.id = a.cluster_id LEFT JOIN app_user u ON u.id = a.author_id"

static void article_from_row(struct db_stmt *st, struct article *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_col_int(st, 0);
	a->cluster_id = db_col_int(st, 1);
	a->author_id = db_col_int(st, 2);
	a->title = dup_col(st, 3);
	a->lead = dup_col(st, 4);
	a->body_md = dup_col(st, 5);
	snprintf(a->lang, sizeof(a->lang), "%s", db_col_text(st, 6));
	snprintf(a->status, sizeof(a->status), "%s", db_col_text(st, 7));
	a->published_at = db_col_int(st, 8);
	a->created_at = db_col_int(st, 9);
	a->updated_at = db_col_int(st, 10);
	a->demo = (int)db_col_int(st, 11);
	a->cluster_name = dup_col(st, 12);
	a->author_name = dup_col(st, 13);
	a->comments = db_col_int(st, 14);
}

int news_get(struct db *db, long long id, struct article *a, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	memset(a, 0, sizeof(*a));
	if (db_prepare(db, "SELECT " ARTICLE_COLS " WHERE a.id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st, e);
	if (rc == 1)
		article_from_row(st, a);
	db_finalize(st);
	return rc;
}

static void bind_cluster(struct db_stmt *st, int i, long long cluster_id)
{
	if (cluster_id > 0)
		db_bind_int(st, i, cluster_id);
	else
		db_bind_null(st, i);
}

int news_create(struct db *db, const struct article *a, long long now, long long *id, struct kerr *e)
{
	struct db_stmt *st;
	int rc, published = strcmp(a->status, "published") == 0;
	if (news_check(a->title, a->lead, a->body_md, a->lang, e))
		return -1;
	if (db_prepare(db, "INSERT INTO article (cluster_id, author_id, title, lead, body_md, lang, status, published_at,"
		       " created_at, updated_at, demo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &st, e))
		return -1;
	bind_cluster(st, 1, a->cluster_id);
	if (a->author_id > 0)
		db_bind_int(st, 2, a->author_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, a->title);
	db_bind_text(st, 4, a->lead && *a->lead ? a->lead : NULL);
	db_bind_text(st, 5, a->body_md);
	db_bind_text(st, 6, a->lang);
	db_bind_text(st, 7, published ? "published" : "draft");
	if (published)
		db_bind_int(st, 8, a->published_at ? a->published_at : now);
	else
		db_bind_null(st, 8);
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, now);
	db_bind_int(st, 11, a->demo ? 1 : 0);
	rc = db_step(st, e);
	if (rc == 1 && id)
		*id = db_col_int(st, 0);
	db_finalize(st);
	return rc == 1 ? 0 : -1;
}

/* Runs an UPDATE or DELETE … RETURNING id that must change one row (and
 * finalizes it): KERR_NOTFOUND when it changed none. */
static int step_one(struct db_stmt *st, const char *what, long long id, struct kerr *e)
{
	int rc = db_step(st, e);
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return kerr_set(e, KERR_NOTFOUND, "no %s with id %lld", what, id);
	return 0;
}

int news_update(struct db *db, const struct article *a, long long now, struct kerr *e)
{
	struct db_stmt *st;
	if (news_check(a->title, a->lead, a->body_md, a->lang, e))
		return -1;
	if (db_prepare(db, "UPDATE article SET cluster_id = ?, title = ?, lead = ?, body_md = ?, lang = ?, updated_at = ?"
		       " WHERE id = ? RETURNING id", &st, e))
		return -1;
	bind_cluster(st, 1, a->cluster_id);
	db_bind_text(st, 2, a->title);
	db_bind_text(st, 3, a->lead && *a->lead ? a->lead : NULL);
	db_bind_text(st, 4, a->body_md);
	db_bind_text(st, 5, a->lang);
	db_bind_int(st, 6, now);
	db_bind_int(st, 7, a->id);
	return step_one(st, "article", a->id, e);
}

int news_set_status(struct db *db, long long id, const char *status, long long now, struct kerr *e)
{
	struct db_stmt *st;
	int publish = strcmp(status, "published") == 0;
	if (!publish && strcmp(status, "draft") != 0)
		BUG("news_set_status: status %s", status);
	if (db_prepare(db, publish ? "UPDATE article SET status = 'published', published_at = COALESCE(published_at, ?),"
				     " updated_at = ? WHERE id = ? RETURNING id"
				   : "UPDATE article SET status = 'draft', updated_at = ? WHERE id = ? RETURNING id",
		       &st, e))
		return -1;
	if (publish)
		db_bind_int(st, 1, now);
	db_bind_int(st, publish ? 2 : 1, now);
	db_bind_int(st, publish ? 3 : 2, id);
	return step_one(st, "article", id, e);
}

int news_delete(struct db *db, long long id, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "DELETE FROM article_comment WHERE article_id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st, e);
	db_finalize(st);
	if (rc < 0 || db_prepare(db, "DELETE FROM article WHERE id = ? RETURNING id", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	return step_one(st, "article", id, e);
}

static void list_where(const struct news_query *q, struct buf *sql)
{
	buf_puts(sql, " WHERE 1 = 1");
	if (q->published_only)
		buf_puts(sql, " AND a.status = 'published'");
	if (q->cluster_id > 0)
		buf_puts(sql, " AND a.cluster_id = ?");
	if (q->portal_only)
		buf_puts(sql, " AND a.cluster_id IS NULL");
}

int news_list(struct db *db, const struct news_query *q, long long *total,
	      int (*each)(void *ctx, const struct article *a), void *ctx, struct kerr *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc, i = 1;
	long long n = 0;

	buf_puts(&sql, "SELECT COUNT(*) FROM article a");
	list_where(q, &sql);
	if (db_prepare(db, sql.ptr, &st, e))
		goto fail;
	if (q->cluster_id > 0)
		db_bind_int(st, 1, q->cluster_id);
	rc = db_step(st, e);
	if (rc == 1)
		n = db_col_int(st, 0);
	db_finalize(st);
	if (rc < 0)
		goto fail;
	if (total)
		*total = n;

	buf_reset(&sql);
	buf_puts(&sql, "SELECT " ARTICLE_COLS);
	list_where(q, &sql);
	buf_puts(&sql, " ORDER BY COALESCE(a.published_at, a.updated_at) DESC, a.id DESC LIMIT ? OFFSET ?");
	if (db_prepare(db, sql.ptr, &st, e))
		goto fail;
	if (q->cluster_id > 0)
		db_bind_int(st, i++, q->cluster_id);
	db_bind_int(st, i++, q->limit > 0 ? q->limit : 20);
	db_bind_int(st, i++, q->offset > 0 ? q->offset : 0);
	while ((rc = db_step(st, e)) == 1) {
		struct article a;
		int stop;
		article_from_row(st, &a);
		stop = each(ctx, &a);
		article_release(&a);
		if (stop)
			break;
	}
	db_finalize(st);
	buf_release(&sql);
	return rc < 0 ? -1 : 0;
fail:
	buf_release(&sql);
	return -1;
}

/* ---- comments ---- */

int news_comment_add(struct db *db, long long article_id, long long user_id, const char *body,
		     const char *status, const char *ip, long long now, long long *id, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (strcmp(status, "pending") != 0 && strcmp(status, "spam") != 0)
		BUG("news_comment_add: status %s", status);
	if (news_comment_check(body, e))
		return -1;
	if (db_prepare(db, "INSERT INTO article_comment (article_id, user_id, body, status, ip, created_at)"
		       " VALUES (?, ?, ?, ?, ?, ?) RETURNING id", &st, e))
		return -1;
	db_bind_int(st, 1, article_id);
	if (user_id > 0)
		db_bind_int(st, 2, user_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, body);
	db_bind_text(st, 4, status);
	db_bind_text(st, 5, ip && *ip ? ip : NULL);
	db_bind_int(st, 6, now);
	rc = db_step(st, e);
	if (rc == 1 && id)
		*id = db_col_int(st, 0);
	db_finalize(st);
	return rc == 1 ? 0 : -1;
}

static int each_comment(struct db_stmt *st, int queue, int (*each)(void *ctx, const struct comment *c), void *ctx,
			struct kerr *e)
{
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		struct comment c;
		memset(&c, 0, sizeof(c));
		c.id = db_col_int(st, 0);
		c.article_id = db_col_int(st, 1);
		c.user_id = db_col_int(st, 2);
		c.created_at = db_col_int(st, 3);
		c.body = db_col_text(st, 4);
		c.status = db_col_text(st, 5);
		c.author = db_col_text(st, 6);
		if (queue) {
			c.article_title = db_col_text(st, 7);
			c.cluster_id = db_col_int(st, 8);
		}
		if (each(ctx, &c))
			break;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int news_comments(struct db *db, long long article_id, const char *status,
		  int (*each)(void *ctx, const struct comment *c), void *ctx, struct kerr *e)
{
	struct db_stmt *st;
	if (db_prepare(db, "SELECT k.id, k.article_id, COALESCE(k.user_id, 0), k.created_at, k.body, k.status,"
		       " COALESCE(u.name, '') FROM article_comment k LEFT JOIN app_user u ON u.id = k.user_id"
		       " WHERE k.article_id = ? AND k.status = ? ORDER BY k.created_at, k.id", &st, e))
		return -1;
	db_bind_int(st, 1, article_id);
	db_bind_text(st, 2, status);
	return each_comment(st, 0, each, ctx, e);
}

/* The rows of the moderation queue: a status, and a cluster unless the
 * cluster bound twice is <= 0. */
#define QUEUE_FROM                                                                                          \
	" FROM article_comment k JOIN article a ON a.id = k.article_id"                                      \
	" LEFT JOIN app_user u ON u.id = k.user_id WHERE k.status = ? AND (? <= 0 OR a.cluster_id = ?)"

int news_comment_queue(struct db *db, const char *status, long long cluster_id, long offset, long limit,
		       long long *total, int (*each)(void *ctx, const struct comment *c), void *ctx, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT COUNT(*)" QUEUE_FROM, &st, e))
		return -1;
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, cluster_id);
	db_bind_int(st, 3, cluster_id);
	rc = db_step(st, e);
	*total = rc == 1 ? db_col_int(st, 0) : 0;
	db_finalize(st);
	if (rc != 1)
		return -1;
	if (db_prepare(db, "SELECT k.id, k.article_id, COALESCE(k.user_id, 0), k.created_at, k.body, k.status,"
		       " COALESCE(NULLIF(u.name, ''), u.email, ''), a.title, COALESCE(a.cluster_id, 0)" QUEUE_FROM
		       " ORDER BY k.id DESC LIMIT ? OFFSET ?",
		       &st, e))
		return -1;
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, cluster_id);
	db_bind_int(st, 3, cluster_id);
	db_bind_int(st, 4, limit);
	db_bind_int(st, 5, offset);
	return each_comment(st, 1, each, ctx, e);
}

int news_comment_owner(struct db *db, long long comment_id, long long *article_id, long long *cluster_id,
		       struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT k.article_id, COALESCE(a.cluster_id, 0) FROM article_comment k"
		       " JOIN article a ON a.id = k.article_id WHERE k.id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, comment_id);
	rc = db_step(st, e);
	if (rc == 1) {
		*article_id = db_col_int(st, 0);
		*cluster_id = db_col_int(st, 1);
	}
	db_finalize(st);
	return rc;
}

int news_comment_moderate(struct db *db, long long comment_id, const char *status, long long moderator,
			  struct kerr *e)
{
	struct db_stmt *st;
	static const char *const ok[] = { "approved", "rejected", "spam", "pending" };
	size_t i;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (status && strcmp(status, ok[i]) == 0)
			break;
	if (i == sizeof(ok) / sizeof(ok[0]))
		return kerr_set(e, KERR_INPUT, "decision: must be approved, rejected or spam");
	if (db_prepare(db, "UPDATE article_comment SET status = ?, moderated_by = ? WHERE id = ? RETURNING id", &st, e))
		return -1;
	db_bind_text(st, 1, status);
	if (moderator > 0)
		db_bind_int(st, 2, moderator);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, comment_id);
	return step_one(st, "comment", comment_id, e);
}

/* ---- the comment stamp ---- */

#define STAMP_MAC 16

static void stamp_mac(const unsigned char key[32], long long article_id, long long user_id, long long t,
		      unsigned char mac[STAMP_MAC])
{
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "klaster-comment:%lld:%lld:%lld", article_id, user_id, t);
	crypto_generichash(mac, STAMP_MAC, (const unsigned char *)msg, (size_t)n, key, 32);
}

void news_stamp_make(const unsigned char key[32], long long article_id, long long user_id, long long now,
		     char out[NEWS_STAMP_LEN])
{
	unsigned char mac[STAMP_MAC];
	char hex[2 * STAMP_MAC + 1];
	stamp_mac(key, article_id, user_id, now, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(out, NEWS_STAMP_LEN, "%lld.%s", now, hex);
}

int news_stamp_check(const unsigned char key[32], long long article_id, long long user_id, const char *stamp,
		     long long now, long min_age, long max_age)
{
	unsigned char mac[STAMP_MAC], got[STAMP_MAC];
	char *end;
	long long t;
	size_t glen = 0;
	if (!stamp || !isdigit((unsigned char)stamp[0]))
		return -1;
	errno = 0;
	t = strtoll(stamp, &end, 10);
	if (errno || *end != '.' || strlen(end + 1) != 2 * STAMP_MAC ||
	    sodium_hex2bin(got, sizeof(got), end + 1, 2 * STAMP_MAC, NULL, &glen, NULL) != 0 || glen != STAMP_MAC)
		return -1;
	stamp_mac(key, article_id, user_id, t, mac);
	if (sodium_memcmp(mac, got, STAMP_MAC) != 0)
		return -1;
	if (t > now + 60 || now - t > max_age)
		return -1;
	return now - t < min_age ? 1 : 0;
}

/* ---- import ---- */

static char *trim(char *s)
{
	char *end;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > 64)
		return 0;
	for (; *k; k++)
		if (!(islower((unsigned char)*k) || isdigit((unsigned char)*k) || *k == '-' || *k == '_'))
			return 0;
	return 1;
}

/* YYYY-MM-DD to Unix seconds at 08:00 UTC of that day. */
static int parse_date(const char *s, long long *out)
{
	struct tm tm;
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 || y > 9999 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 8;
	*out = (long long)timegm(&tm);
	/* timegm normalises 31 February to March: refuse it */
	{
		time_t t = (time_t)*out;
		struct tm back;
		gmtime_r(&t, &back);
		if (back.tm_mday != d)
			return -1;
	}
	return 0;
}

int news_parse_file(const char *name, const char *text, size_t len, struct article *a, char *key, size_t keysz,
		    char *cluster, size_t clustersz, struct kerr *e)
{
	char *copy, *line, *next;
	int lineno = 1, rc = -1, have_title = 0;
	const char *body = NULL;
	memset(a, 0, sizeof(*a));
	snprintf(a->lang, sizeof(a->lang), "pl");
	snprintf(a->status, sizeof(a->status), "draft");
	key[0] = cluster[0] = '\0';
	if (memchr(text, '\0', len))
		return kerr_set(e, KERR_INPUT, "%s: holds a NUL byte", name);
	copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	line = copy;
	if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	next = strchr(line, '\n');
	if (next)
		*next = '\0';
	if (strcmp(trim(line), "---") != 0) {
		kerr_set(e, KERR_INPUT, "%s:1: an article file starts with a line '---' and a header", name);
		goto out;
	}
	for (;;) {
		char *colon, *v;
		if (!next) {
			kerr_set(e, KERR_INPUT, "%s:%d: the header has no closing line '---'", name, lineno);
			goto out;
		}
		line = next + 1;
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next = '\0';
		line = trim(line);
		if (strcmp(line, "---") == 0)
			break;
		if (!*line || *line == '#')
			continue;
		colon = strchr(line, ':');
		if (!colon) {
			kerr_set(e, KERR_INPUT, "%s:%d: a header line is 'name: value'", name, lineno);
			goto out;
		}
		*colon = '\0';
		v = trim(colon + 1);
		line = trim(line);
		if (strcmp(line, "key") == 0) {
			if (!key_ok(v) || strlen(v) >= keysz) {
				kerr_set(e, KERR_INPUT, "%s:%d: key: 1 to 64 characters a-z, 0-9, - and _", name, lineno);
				goto out;
			}
			snprintf(key, keysz, "%s", v);
		} else if (strcmp(line, "title") == 0) {
			free(a->title);
			a->title = xstrdup(v);
			have_title = 1;
		} else if (strcmp(line, "lead") == 0) {
			free(a->lead);
			a->lead = xstrdup(v);
		} else if (strcmp(line, "lang") == 0) {
			if (strcmp(v, "pl") != 0 && strcmp(v, "en") != 0) {
				kerr_set(e, KERR_INPUT, "%s:%d: lang: must be pl or en", name, lineno);
				goto out;
			}
			snprintf(a->lang, sizeof(a->lang), "%s", v);
		} else if (strcmp(line, "cluster") == 0) {
			if (strlen(v) >= clustersz) {
				kerr_set(e, KERR_INPUT, "%s:%d: cluster: an acronym is shorter", name, lineno);
				goto out;
			}
			snprintf(cluster, clustersz, "%s", v);
		} else if (strcmp(line, "published") == 0) {
			if (!*v) {
				snprintf(a->status, sizeof(a->status), "draft");
				a->published_at = 0;
			} else if (parse_date(v, &a->published_at)) {
				kerr_set(e, KERR_INPUT, "%s:%d: published: a date YYYY-MM-DD, or empty for a draft", name, lineno);
				goto out;
			} else {
				snprintf(a->status, sizeof(a->status), "published");
			}
		} else if (strcmp(line, "demo") == 0) {
			if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
				kerr_set(e, KERR_INPUT, "%s:%d: demo: 0 or 1", name, lineno);
				goto out;
			}
			a->demo = v[0] == '1';
		} else {
			kerr_set(e, KERR_INPUT, "%s:%d: unknown header field '%s' (key, title, lead, lang, cluster, published, demo)",
				 name, lineno, line);
			goto out;
		}
	}
	if (!key[0]) {
		kerr_set(e, KERR_INPUT, "%s: the header needs a key (it identifies the article when imported again)", name);
		goto out;
	}
	if (!have_title) {
		kerr_set(e, KERR_INPUT, "%s: the header needs a title", name);
		goto out;
	}
	body = next ? next + 1 : "";
	a->body_md = xstrdup(body);
	if (!a->lead)
		a->lead = xstrdup("");
	if (news_check(a->title, a->lead, a->body_md, a->lang, e)) {
		kerr_prefix(e, "%s", name);
		goto out;
	}
	rc = 0;
out:
	free(copy);
	if (rc)
		article_release(a);
	return rc;
}

static int import_one(struct db *db, const char *path, FILE *log, struct kerr *e)
{
	FILE *f = fopen(path, "rb");
	struct buf text = BUF_INIT;
	struct article a;
	char key[80], cluster[64], chunk[8192];
	long long id = 0, now = auth_now();
	size_t n;
	int found, rc = -1;
	struct db_stmt *st;

	memset(&a, 0, sizeof(a));
	if (!f)
		return kerr_set(e, KERR_IO, "cannot open %s: %s", path, strerror(errno));
	text.cap = 4u * NEWS_BODY_MAX + 65536;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&text, chunk, n);
	fclose(f);
	if (buf_failed(&text)) {
		kerr_set(e, KERR_TOOBIG, "%s: larger than an article may be", path);
		goto out;
	}
	if (news_parse_file(path, text.ptr, text.len, &a, key, sizeof(key), cluster, sizeof(cluster), e))
		goto out;
	if (cluster[0]) {
		long long cid = 0;
		found = dir_cluster_id(db, cluster, &cid, e) ? -1 : cid != 0;
		if (found < 0)
			goto out;
		if (!found) {
			kerr_set(e, KERR_INPUT, "%s: cluster: no cluster with the acronym '%s' (import the clusters first)",
				 path, cluster);
			goto out;
		}
		a.cluster_id = cid;
	}
	found = db_query_int(db, &id, e, "SELECT id FROM article WHERE import_key = ?", key, NULL);
	if (found < 0)
		goto out;
	if (found) {
		if (db_prepare(db, "UPDATE article SET cluster_id = ?, title = ?, lead = ?, body_md = ?, lang = ?, status = ?,"
			       " published_at = ?, demo = ?, updated_at = ? WHERE id = ?", &st, e))
			goto out;
		bind_cluster(st, 1, a.cluster_id);
		db_bind_text(st, 2, a.title);
		db_bind_text(st, 3, *a.lead ? a.lead : NULL);
		db_bind_text(st, 4, a.body_md);
		db_bind_text(st, 5, a.lang);
		db_bind_text(st, 6, a.status);
		if (a.published_at)
			db_bind_int(st, 7, a.published_at);
		else
			db_bind_null(st, 7);
		db_bind_int(st, 8, a.demo);
		db_bind_int(st, 9, now);
		db_bind_int(st, 10, id);
		found = db_step(st, e);
		db_finalize(st);
		if (found < 0)
			goto out;
	} else {
		if (news_create(db, &a, now, &id, e))
			goto out;
		if (db_prepare(db, "UPDATE article SET import_key = ? WHERE id = ?", &st, e))
			goto out;
		db_bind_text(st, 1, key);
		db_bind_int(st, 2, id);
		found = db_step(st, e);
		db_finalize(st);
		if (found < 0)
			goto out;
	}
	if (auth_audit(db, 0, NULL, "news-import", "article", id, key, e))
		goto out;
	if (log)
		fprintf(log, "%s: article %lld (%s, %s)\n", path, id, key, a.status);
	rc = 0;
out:
	article_release(&a);
	buf_release(&text);
	return rc;
}

int news_import_files(struct db *db, char *const *paths, int n, FILE *log, struct kerr *e)
{
	int i;
	if (n < 1)
		return kerr_set(e, KERR_USAGE, "import news needs at least one article file");
	if (db_begin(db, e))
		return -1;
	for (i = 0; i < n; i++)
		if (import_one(db, paths[i], log, e)) {
			db_rollback(db);
			return -1;
		}
	return db_commit(db, e);
}
