/* mailq.c — the persistent mail queue and its SMTP delivery (see mailq.h). */
#include "mailq.h"

#include <curl/curl.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "valid.h"

static int has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

/* Header lines must each be "Name: value" with a name of letters, digits
 * and '-', and no bare CR or LF inside a value. */
static int headers_ok(const char *h)
{
	while (*h) {
		const char *eol = strstr(h, "\r\n"), *p;
		if (!eol)
			return 0;
		for (p = h; p < eol && *p != ':'; p++)
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
				return 0;
		if (p == h || p >= eol || p[1] != ' ')
			return 0;
		for (; p < eol; p++)
			if (*p == '\r' || *p == '\n')
				return 0;
		h = eol + 2;
	}
	return 1;
}

void mail_quotes_pl(struct buf *out, const char *s)
{
	int depth = 0;
	while (*s) {
		if (strncmp(s, "„", 3) == 0) {
			buf_puts(out, depth ? "»" : "„");
			depth++;
			s += 3;
		} else if (strncmp(s, "”", 3) == 0) {
			buf_puts(out, depth > 1 ? "«" : "”");
			if (depth)
				depth--;
			s += 3;
		} else {
			if (*s == '\n')
				depth = 0;   /* an unclosed quote of one line does not reach the next */
			buf_putc(out, *s++);
		}
	}
}

int mail_enqueue(struct db *db, const char *kind, const char *to, const char *subject, const char *body,
		 const char *headers, struct kerr *e)
{
	struct buf why = BUF_INIT, subj = BUF_INIT, text = BUF_INIT;
	char mid[AUTH_TOKEN_LEN + 1];
	char msgid[128];
	struct db_stmt *st;
	long long now = auth_now();
	int rc;
	if (!to || has_crlf(to) || valid_email(to, &why)) {
		buf_release(&why);
		return kerr_set(e, KERR_INPUT, "mail: '%.100s' is not one e-mail address", to ? to : "");
	}
	if (!subject || has_crlf(subject))
		return kerr_set(e, KERR_INPUT, "mail: the subject must be one line");
	if (headers && !headers_ok(headers))
		return kerr_set(e, KERR_INPUT, "mail: extra headers must be 'Name: value' lines");
	auth_token_new(mid, NULL);
	snprintf(msgid, sizeof(msgid), "<%.32s@klaster>", mid);
	if (db_prepare(db, "INSERT INTO mail_queue (created_at, to_addr, subject, body, headers, message_id, kind,"
		       " next_attempt_at) VALUES (?,?,?,?,?,?,?,?)", &st, e))
		return -1;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, to);
	/* „Klaster „Skrzydła”” reads „Klaster »Skrzydła«” */
	mail_quotes_pl(&subj, subject);
	mail_quotes_pl(&text, body ? body : "");
	db_bind_text(st, 3, subj.ptr);
	db_bind_text(st, 4, text.ptr);
	db_bind_text(st, 5, headers && *headers ? headers : NULL);
	db_bind_text(st, 6, msgid);
	db_bind_text(st, 7, kind);
	db_bind_int(st, 8, now);
	rc = db_step(st, e);
	db_finalize(st);
	buf_release(&subj);
	buf_release(&text);
	return rc < 0 ? -1 : 0;
}

/* RFC 2047 "encoded-word"s for a non-ASCII header value, in pieces short
 * enough for the 76-character limit. */
static void header_text(struct buf *out, const char *s)
{
	const unsigned char *p;
	size_t n = strlen(s), i = 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			break;
	if (!*p) {
		buf_puts(out, s);
		return;
	}
	while (i < n) {
		/* 36 bytes → 48 base64 characters; never split a UTF-8 sequence */
		size_t take = n - i < 36 ? n - i : 36;
		char b64[64];
		while (take < n - i && ((unsigned char)s[i + take] & 0xC0) == 0x80)
			take--;
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + i, take,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
		i += take;
	}
}

/* Whether a line of body (CR dropped, as mail_compose drops it) is longer than
 * MAIL_LINE_MAX bytes. */
static int has_long_line(const char *body)
{
	size_t n = 0;
	for (; *body; body++) {
		if (*body == '\n')
			n = 0;
		else if (*body != '\r' && ++n > MAIL_LINE_MAX)
			return 1;
	}
	return 0;
}

/* One line of n bytes as quoted-printable (RFC 2045 6.7): '=', controls
 * other than tab, bytes above 126 and a space or tab ending the line as =XX,
 * with soft line breaks ("=" CRLF) so that no line is longer than 76. */
static void qp_line(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, col = 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int enc = c == '=' || c > 126 || (c < 32 && c != '\t') || ((c == ' ' || c == '\t') && i + 1 == n);
		size_t w = enc ? 3 : 1;
		if (col + w > 75) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		if (enc) {
			buf_putc(out, '=');
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		} else {
			buf_putc(out, (char)c);
		}
		col += w;
	}
}

void mail_compose(const struct mail_cfg *cfg, const char *to, const char *subject, const char *body,
		  const char *headers, const char *message_id, long long date, struct buf *out)
{
	char when[64];
	time_t t = (time_t)date;
	struct tm tm;
	const char *p;
	int bol = 1, qp = has_long_line(body);
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(out, "From: %s\r\nTo: %s\r\nSubject: ", cfg->from, to);
	header_text(out, subject);
	buf_printf(out, "\r\nDate: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
		   "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: %s\r\n"
		   "Auto-Submitted: auto-generated\r\n", when, message_id, qp ? "quoted-printable" : "8bit");
	if (headers)
		buf_puts(out, headers);
	buf_puts(out, "\r\n");
	if (qp) {
		/* a line over SMTP's limit (a paragraph typed as one line): quoted-printable, whose
		 * soft line breaks the reader's program joins again; the text is unchanged */
		struct buf line = BUF_INIT;
		for (p = body;; p++) {
			if (*p == '\n' || !*p) {
				if (*p || line.len) {
					qp_line(out, line.ptr ? line.ptr : "", line.len);
					buf_puts(out, "\r\n");
				}
				buf_reset(&line);
				if (!*p)
					break;
			} else if (*p != '\r') {
				buf_putc(&line, *p);
			}
		}
		buf_release(&line);
		return;
	}
	/* CRLF line ends; libcurl does the SMTP dot-stuffing itself */
	for (p = body; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			buf_puts(out, "\r\n");
			bol = 1;
			continue;
		}
		bol = 0;
		buf_putc(out, *p);
	}
	if (!bol)
		buf_puts(out, "\r\n");
}

struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ud)
{
	struct upload *u = ud;
	size_t n = size * nmemb;
	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* The bare address of "Name <addr>" or of "addr". */
static void bare_address(const char *from, char *out, size_t outsz)
{
	const char *lt = strrchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	if (lt && gt)
		snprintf(out, outsz, "<%.*s>", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(out, outsz, "<%s>", from);
}

static int smtp_send(const struct mail_cfg *cfg, const char *to, const struct buf *msg, struct buf *err)
{
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct upload up = { msg->ptr, msg->len };
	char from[300], rcptaddr[300], ebuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;
	if (!c) {
		buf_puts(err, "cannot start libcurl");
		return -1;
	}
	bare_address(cfg->from, from, sizeof(from));
	snprintf(rcptaddr, sizeof(rcptaddr), "<%s>", to);
	rcpt = curl_slist_append(rcpt, rcptaddr);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, cfg->timeout > 0 ? cfg->timeout : 60L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		buf_printf(err, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}

int mail_requeue_stale(struct db *db, const struct mail_cfg *cfg, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "UPDATE mail_queue SET status = 'queued', claimed_at = NULL"
		       " WHERE status = 'sending' AND claimed_at < ?", &st, e))
		return -1;
	db_bind_int(st, 1, auth_now() - (cfg->lease > 0 ? cfg->lease : 300));
	rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

struct qmsg {
	long long id, created, attempts;
	char *to, *subject, *body, *headers, *message_id;
};

static void qmsg_release(struct qmsg *m)
{
	free(m->to);
	free(m->subject);
	free(m->body);
	free(m->headers);
	free(m->message_id);
	memset(m, 0, sizeof(*m));
}

static char *col_dup(struct db_stmt *st, int i)
{
	const char *v = db_col_text(st, i);
	return v ? xstrdup(v) : NULL;
}

/* Claims the oldest due message: 1 claimed, 0 none due, -1 error. */
static int claim(struct db *db, struct qmsg *m, struct kerr *e)
{
	struct db_stmt *st;
	long long now = auth_now();
	int rc;
	memset(m, 0, sizeof(*m));
	if (db_prepare(db, "UPDATE mail_queue SET status = 'sending', claimed_at = ?"
		       " WHERE id = (SELECT id FROM mail_queue WHERE status = 'queued' AND next_attempt_at <= ?"
		       " ORDER BY next_attempt_at, id LIMIT 1) AND status = 'queued'"
		       " RETURNING id, created_at, attempts, to_addr, subject, body, headers, message_id", &st, e))
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now);
	rc = db_step(st, e);
	if (rc == 1) {
		m->id = db_col_int(st, 0);
		m->created = db_col_int(st, 1);
		m->attempts = db_col_int(st, 2);
		m->to = col_dup(st, 3);
		m->subject = col_dup(st, 4);
		m->body = col_dup(st, 5);
		m->headers = col_dup(st, 6);
		m->message_id = col_dup(st, 7);
	}
	db_finalize(st);
	return rc;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void mail_redact(struct buf *out, const char *s)
{
	if (!s)
		return;
	while (*s) {
		size_t n = 0;
		while (is_hex(s[n]))
			n++;
		if (n >= 64)
			buf_puts(out, MAIL_REDACTED);
		else
			buf_add(out, s, n);
		s += n;
		if (*s)
			buf_putc(out, *s++);
	}
}

/* Records the outcome of a delivery; a message the SMTP server accepted
 * ("sent") is stored redacted (see mailq.h) in the same statement. */
static int finish(struct db *db, const struct qmsg *m, const char *status, long long next, const char *error,
		  struct kerr *e)
{
	struct db_stmt *st;
	struct buf body = BUF_INIT, headers = BUF_INIT;
	int sent = strcmp(status, "sent") == 0, rc;
	if (sent) {
		mail_redact(&body, m->body);
		mail_redact(&headers, m->headers);
	}
	if (db_prepare(db, "UPDATE mail_queue SET status = ?, attempts = attempts + 1, next_attempt_at = ?,"
		       " sent_at = CASE WHEN ? IN ('sent', 'outbox') THEN ? ELSE sent_at END, last_error = ?,"
		       " claimed_at = NULL, body = COALESCE(?, body), headers = CASE WHEN ? = 1 THEN ? ELSE headers END,"
		       " redacted_at = ? WHERE id = ?", &st, e)) {
		buf_release(&body);
		buf_release(&headers);
		return -1;
	}
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, next);
	db_bind_text(st, 3, status);
	db_bind_int(st, 4, auth_now());
	db_bind_text(st, 5, error);
	db_bind_text(st, 6, sent ? (body.ptr ? body.ptr : "") : NULL);
	db_bind_int(st, 7, sent);
	db_bind_text(st, 8, sent && m->headers ? (headers.ptr ? headers.ptr : "") : NULL);
	if (sent)
		db_bind_int(st, 9, auth_now());
	else
		db_bind_null(st, 9);
	db_bind_int(st, 10, m->id);
	rc = db_step(st, e);
	db_finalize(st);
	buf_release(&body);
	buf_release(&headers);
	return rc < 0 ? -1 : 0;
}

/* Redacts up to 100 messages that need it; *n counts them. */
static int redact_batch(struct db *db, long long now, long long cutoff, int *n, struct kerr *e)
{
	struct db_stmt *st;
	long long ids[100];
	char *bodies[100], *headers[100];
	int k = 0, i, rc = 0;
	*n = 0;
	if (db_prepare(db, "SELECT id, body, headers FROM mail_queue WHERE redacted_at IS NULL AND"
		       " (status = 'sent' OR (status = 'outbox' AND sent_at < ?) OR (status = 'failed' AND created_at < ?))"
		       " ORDER BY id LIMIT 100", &st, e))
		return -1;
	db_bind_int(st, 1, cutoff);
	db_bind_int(st, 2, cutoff);
	while (k < 100 && (rc = db_step(st, e)) == 1) {
		ids[k] = db_col_int(st, 0);
		bodies[k] = col_dup(st, 1);
		headers[k] = col_dup(st, 2);
		k++;
	}
	db_finalize(st);
	if (rc < 0 && k < 100) {
		for (i = 0; i < k; i++) {
			free(bodies[i]);
			free(headers[i]);
		}
		return -1;
	}
	rc = 0;
	for (i = 0; i < k; i++) {
		struct buf b = BUF_INIT, h = BUF_INIT;
		mail_redact(&b, bodies[i]);
		mail_redact(&h, headers[i]);
		if (rc == 0 && db_prepare(db, "UPDATE mail_queue SET body = ?, headers = ?, redacted_at = ?"
					  " WHERE id = ? AND redacted_at IS NULL", &st, e) == 0) {
			db_bind_text(st, 1, b.ptr ? b.ptr : "");
			db_bind_text(st, 2, headers[i] ? (h.ptr ? h.ptr : "") : NULL);
			db_bind_int(st, 3, now);
			db_bind_int(st, 4, ids[i]);
			if (db_step(st, e) < 0)
				rc = -1;
			db_finalize(st);
		} else {
			rc = -1;
		}
		buf_release(&b);
		buf_release(&h);
		free(bodies[i]);
		free(headers[i]);
	}
	*n = k;
	return rc;
}

int mail_housekeeping(struct db *db, long long now, long keep_days, struct kerr *e)
{
	struct db_stmt *st;
	long long cutoff;
	int rc, n;
	if (keep_days < 1 || keep_days > MAIL_KEEP_DAYS_MAX)
		keep_days = MAIL_KEEP_DAYS;
	cutoff = now - keep_days * 86400LL;
	if (db_prepare(db, "DELETE FROM mail_queue WHERE kind NOT LIKE 'newsletter:%' AND"
		       " ((status IN ('sent', 'outbox') AND sent_at < ?) OR (status = 'failed' AND created_at < ?))",
		       &st, e))
		return -1;
	db_bind_int(st, 1, cutoff);
	db_bind_int(st, 2, cutoff);
	rc = db_step(st, e);
	db_finalize(st);
	if (rc < 0)
		return -1;
	do {
		if (redact_batch(db, now, cutoff, &n, e))
			return -1;
	} while (n == 100);
	return 0;
}

int mail_deliver_due(struct db *db, const struct mail_cfg *cfg, int max, int *done, struct kerr *e)
{
	int n;
	*done = 0;
	if (mail_requeue_stale(db, cfg, e))
		return -1;
	for (n = 0; n < max; n++) {
		struct qmsg m;
		int rc = claim(db, &m, e);
		if (rc <= 0)
			return rc;
		if (!cfg->smtp_url || !*cfg->smtp_url) {
			rc = finish(db, &m, "outbox", auth_now(), NULL, e);
			(*done)++;
		} else {
			struct buf msg = BUF_INIT, err = BUF_INIT;
			mail_compose(cfg, m.to, m.subject, m.body, m.headers, m.message_id, m.created, &msg);
			if (smtp_send(cfg, m.to, &msg, &err) == 0) {
				rc = finish(db, &m, "sent", auth_now(), NULL, e);
				(*done)++;
			} else {
				long long wait = 60LL << (m.attempts < 6 ? m.attempts : 6);
				if (wait > 3600)
					wait = 3600;
				rc = finish(db, &m, m.attempts + 1 >= MAIL_MAX_ATTEMPTS ? "failed" : "queued",
					    auth_now() + wait, err.ptr ? err.ptr : "delivery failed", e);
			}
			buf_release(&msg);
			buf_release(&err);
		}
		qmsg_release(&m);
		if (rc)
			return -1;
	}
	return 0;
}
