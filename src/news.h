/*
 * news.h — the portal's news: articles written in Markdown by cluster
 * coordinators (and portal-wide ones by administrators), their comments
 * with moderation, the spam guard of the comment form, and the import of
 * articles from files.  The HTTP pages (web_news.c) and the CLI
 * (klaster import news) are thin front ends over these functions; the PDF
 * of an article is pdf.h.
 *
 * Markdown is parsed by cmark and written back as HTML by our own walk of
 * its tree, so what reaches a page is an allow-list: a few block and
 * inline elements, links only to http, https, mailto and relative
 * addresses, images only from this site; raw HTML in the source is
 * dropped, never copied.
 *
 * Errors follow err.h: KERR_INPUT with a message that starts with the
 * form field ("title: required"), KERR_NOTFOUND, KERR_DB.
 */
#ifndef KLASTER_NEWS_H
#define KLASTER_NEWS_H

#include "buf.h"
#include "db.h"
#include "err.h"

#define NEWS_TITLE_MAX 200        /* characters */
#define NEWS_LEAD_MAX 1000        /* characters */
#define NEWS_BODY_MAX 100000      /* characters */
#define NEWS_COMMENT_MAX 4000     /* characters */
#define NEWS_COMMENT_LINKS 2      /* at most this many links in a comment */

/* ---- Markdown ---- */

/* Appends the HTML of Markdown source md (len bytes, any bytes: invalid
 * UTF-8 is replaced) to out.  The article's highest heading becomes h2,
 * as the page's h1 is the title (# → h2, or ## → h2 in an article whose
 * headings start at ##), and the others keep their distance from it.  Links that are not http(s), mailto or
 * relative become plain text; images other than this site's (a path
 * starting with one "/") become links; raw HTML is left out. */
void news_md_html(struct buf *out, const char *md, size_t len);
/* 1 when a link may point at u: no control characters, and no scheme
 * (a relative address) or http, https, mailto. */
int news_url_ok(const char *u);
/* Plain text of Markdown (for the lead of a list entry or a mail): the
 * text of the blocks separated by spaces, at most max bytes (cut at a
 * character boundary, "…" added when cut). */
void news_md_text(struct buf *out, const char *md, size_t len, size_t max);

/* ---- articles ---- */

struct article {
	long long id;
	long long cluster_id;          /* 0: portal-wide */
	long long author_id;           /* 0: none (imported, or the account is gone) */
	char *title, *lead, *body_md;  /* lead may be "" */
	char lang[3];                  /* pl, en */
	char status[12];               /* draft, published */
	long long published_at;        /* Unix seconds, 0 = never published */
	long long created_at, updated_at;
	int demo;
	/* filled by news_get and news_list, ignored by writes: */
	char *cluster_name;            /* "" when portal-wide */
	char *author_name;             /* name or e-mail of the author, "" when none */
	long long comments;            /* approved comments */
};

/* Frees the strings of a (not a itself); a may be zeroed or filled. */
void article_release(struct article *a);

/* Checks the fields a person types (title, lead, body, lang): required
 * ones present, lengths, valid UTF-8 without control characters (C0, DEL
 * and C1, esc.h's text_control; the lead and the body may hold tabs and
 * line breaks, LF or CR LF).  -1 with KERR_INPUT naming the first bad
 * field. */
int news_check(const char *title, const char *lead, const char *body, const char *lang, struct kerr *e);

/* 1 and *a filled (release it), 0 not found, -1 error. */
int news_get(struct db *db, long long id, struct article *a, struct kerr *e);
/* Inserts a (status draft unless a->status says published, which then
 * takes published_at or now); checks it with news_check; *id gets the new
 * id.  The caller holds the transaction and writes the audit entry. */
int news_create(struct db *db, const struct article *a, long long now, long long *id, struct kerr *e);
/* Updates title, lead, body, lang and cluster of article a->id. */
int news_update(struct db *db, const struct article *a, long long now, struct kerr *e);
/* Publishes (status "published"; the first publication sets
 * published_at) or takes back to a draft ("draft"). */
int news_set_status(struct db *db, long long id, const char *status, long long now, struct kerr *e);
/* Deletes an article with its comments. */
int news_delete(struct db *db, long long id, struct kerr *e);

struct news_query {
	int published_only;            /* 1: the public list */
	long long cluster_id;          /* > 0: only this cluster's; 0: all */
	int portal_only;               /* 1: only portal-wide articles */
	long offset, limit;
};
/* Calls each for the articles of q, newest first (drafts by their last
 * change), with *total the count of all matches.  each returns non-zero
 * to stop.  The article passed lives for the call only. */
int news_list(struct db *db, const struct news_query *q, long long *total,
	      int (*each)(void *ctx, const struct article *a), void *ctx, struct kerr *e);

/* ---- comments ---- */

struct comment {
	long long id, article_id, user_id, created_at;
	const char *body, *status, *author;   /* author: name or "" */
	const char *article_title;            /* news_comment_queue only */
	long long cluster_id;                 /* of the article (queue only) */
};

/* Counts the links in plain text: http:// and https:// addresses and
 * www. names. */
int news_count_links(const char *s);
/* Checks a comment body: required, at most NEWS_COMMENT_MAX characters,
 * valid UTF-8 without control characters (line breaks and tabs allowed, as
 * in news_check's body), at most NEWS_COMMENT_LINKS links.  -1 with
 * KERR_INPUT naming the field "body". */
int news_comment_check(const char *body, struct kerr *e);
/* Adds a comment with status pending or spam; *id gets its id. */
int news_comment_add(struct db *db, long long article_id, long long user_id, const char *body,
		     const char *status, const char *ip, long long now, long long *id, struct kerr *e);
/* The comments of an article with status (e.g. "approved"), oldest first. */
int news_comments(struct db *db, long long article_id, const char *status,
		  int (*each)(void *ctx, const struct comment *c), void *ctx, struct kerr *e);
/* The moderation queue: comments with status, newest first; cluster_id
 * > 0 limits it to that cluster's articles (a coordinator's view), 0 is
 * every article (an administrator's).  *total gets the number of such
 * comments; each() is called for at most limit of them after skipping
 * offset (one page). */
int news_comment_queue(struct db *db, const char *status, long long cluster_id, long offset, long limit,
		       long long *total, int (*each)(void *ctx, const struct comment *c), void *ctx, struct kerr *e);
/* The article and its cluster of a comment: 1 found, 0 not, -1 error. */
int news_comment_owner(struct db *db, long long comment_id, long long *article_id, long long *cluster_id,
		       struct kerr *e);
/* Sets a comment's status (approved, rejected, spam, pending) and who did it. */
int news_comment_moderate(struct db *db, long long comment_id, const char *status, long long moderator,
			  struct kerr *e);

/* ---- the comment form's time stamp ----
 * The form carries "SECONDS.MAC" where MAC is a keyed BLAKE2b of the
 * article, the user and the time the form was shown, so a client cannot
 * forge an older time.  NEWS_STAMP_LEN is enough room for one. */
#define NEWS_STAMP_LEN 96
void news_stamp_make(const unsigned char key[32], long long article_id, long long user_id, long long now,
		     char out[NEWS_STAMP_LEN]);
/* 0: a genuine stamp at least min_age and at most max_age seconds old;
 * 1: genuine but younger than min_age (posted too fast); -1: missing,
 * forged or older than max_age. */
int news_stamp_check(const unsigned char key[32], long long article_id, long long user_id, const char *stamp,
		     long long now, long min_age, long max_age);

/* ---- import ---- */

/* Parses one article file: a header between two lines "---" with
 * "name: value" lines (key, title, lead, lang, cluster — an acronym or
 * empty for portal-wide —, published — YYYY-MM-DD, or empty for a draft —,
 * demo — 0 or 1), then the Markdown body.  Fills a (release it) and key;
 * cluster acronym goes to cluster (may be ""). name is used in messages
 * ("NAME:LINE: reason"). */
int news_parse_file(const char *name, const char *text, size_t len, struct article *a, char *key, size_t keysz,
		    char *cluster, size_t clustersz, struct kerr *e);
/* Imports article files (one transaction for all of them): an article
 * with the same key is updated, a new key inserted.  log (may be NULL)
 * gets one line per file. */
int news_import_files(struct db *db, char *const *paths, int n, FILE *log, struct kerr *e);

#endif
