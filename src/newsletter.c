/* newsletter.c — subscriptions, campaigns, unsubscription (see newsletter.h). */
#include "newsletter.h"

#include "auth.h"
#include "esc.h"
#include "fold.h"
#include "form.h"
#include "mailq.h"

static const char consent_pl[] =
	"Chcę otrzymywać e-mailem newsletter portalu klaster (aktualności i oferty współpracy klastrów). "
	"Zgadzam się na przechowywanie w tym celu mojego adresu e-mail oraz czasu i adresu IP zapisu "
	"i potwierdzenia. Zgodę mogę wycofać w każdej chwili linkiem „wypisz się” w każdym wydaniu. Po "
	"wypisaniu się adres, czasy i adresy IP zapisu, potwierdzenia i wypisania pozostają zapisane "
	"wyłącznie jako dowód, że newsletter był wysyłany za zgodą i kiedy ją wycofano.";
static const char consent_en[] =
	"I want to receive the klaster portal's newsletter (news and cooperation offers of the clusters) "
	"by e-mail. I agree that my e-mail address and the time and IP address of my subscription and of "
	"its confirmation are kept for this purpose. I can withdraw this consent at any time with the "
	"“unsubscribe” link in every issue. After I unsubscribe, the address and the times and IP "
	"addresses of the subscription, the confirmation and the unsubscription are kept only as proof "
	"that the newsletter was sent with consent and of when it was withdrawn.";

const char *nl_consent_text(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? consent_en : consent_pl;
}

static const char *pick(const char *lang, const char *pl, const char *en)
{
	return lang && strcmp(lang, "en") == 0 ? en : pl;
}

static int audit(struct db *db, const struct nl_actor *a, const char *action, const char *type, long long id,
		 const char *detail, struct kerr *e)
{
	return auth_audit(db, a->user_id, a->ip, action, type, id, detail, e);
}

/* Runs a statement with the given binds that returns nothing (or a row
 * that is ignored); -1 on error. */
static int exec_stmt(struct db_stmt *st, struct kerr *e)
{
	int rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Today's date (server's local time) as YYYY-MM-DD: offers are valid
 * through their valid_until day. */
static void today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- subscriptions ---- */

int nl_subscribe_validate(const char *email_in, const char *consent, const char *version, char email[256],
			  struct kerr *e)
{
	if (auth_email_norm(email_in, email, "email", e))
		return -1;
	if (!consent || (strcmp(consent, "1") != 0 && strcmp(consent, "on") != 0 && strcmp(consent, "yes") != 0))
		return kerr_set(e, KERR_INPUT, "consent: tick the box to agree to receive the newsletter");
	if (version && strcmp(version, NL_CONSENT_VERSION) != 0)
		return kerr_set(e, KERR_INPUT, "consent: the consent text changed after the form was shown; "
				"read it and tick the box again");
	return 0;
}

static void confirm_body(struct buf *b, const char *lang, const char *email, const char *url)
{
	buf_printf(b, pick(lang,
			   "Dzień dobry,\n\nktoś (zapewne Ty) poprosił o zapisanie adresu %s do newslettera portalu klaster.\n"
			   "Aby potwierdzić zapis, otwórz link i naciśnij przycisk „Potwierdzam zapis”:\n%s\n\n"
			   "Link działa jeden raz, przez 48 godzin. Jeśli to nie Ty, zignoruj tę wiadomość: "
			   "bez potwierdzenia nie wyślemy na ten adres żadnego newslettera.\n",
			   "Hello,\n\nsomeone (probably you) asked to subscribe %s to the klaster portal's newsletter.\n"
			   "To confirm, open this link and press the button “Confirm my subscription”:\n%s\n\n"
			   "The link works once, for 48 hours. If it was not you, ignore this message: without "
			   "a confirmation this address gets no newsletter.\n"),
		   email, url);
}

static void already_body(struct buf *b, const char *lang, const char *email, const char *base_url)
{
	buf_printf(b, pick(lang,
			   "Dzień dobry,\n\nktoś (zapewne Ty) poprosił o zapisanie adresu %s do newslettera portalu klaster,\n"
			   "ale ten adres już jest zapisany — nic nie zmieniliśmy.\n\n"
			   "Każde wydanie newslettera zawiera link, którym można się wypisać jednym kliknięciem.\n%s/newsletter\n",
			   "Hello,\n\nsomeone (probably you) asked to subscribe %s to the klaster portal's newsletter,\n"
			   "but this address is already subscribed, so nothing has changed.\n\n"
			   "Every issue of the newsletter has a link to unsubscribe with one click.\n%s/newsletter\n"),
		   email, base_url);
}

int nl_subscribe(struct db *db, const struct nl_actor *a, const char *email, const char *lang,
		 enum nl_sub_outcome *out, struct kerr *e)
{
	struct db_stmt *st;
	struct buf body = BUF_INIT, url = BUF_INIT;
	long long id = 0, now = auth_now();
	char status[16] = "", token[AUTH_TOKEN_LEN + 1];
	int rc;
	enum nl_sub_outcome what;

	if (strcmp(lang, "en") != 0)
		lang = "pl";
	if (db_begin(db, e))
		return -1;
	if (db_prepare(db, "SELECT id, status FROM newsletter_subscriber WHERE email = ?", &st, e))
		goto fail;
	db_bind_text(st, 1, email);
	rc = db_step(st, e);
	if (rc == 1) {
		id = db_col_int(st, 0);
		snprintf(status, sizeof(status), "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc < 0)
		goto fail;

	if (strcmp(status, "confirmed") == 0) {
		what = NL_SUB_ALREADY;
		already_body(&body, lang, email, a->base_url);
		if (mail_enqueue(db, "newsletter-already", email,
				 pick(lang, "Ten adres już jest zapisany do newslettera", "You are already subscribed"),
				 body.ptr, NULL, e))
			goto fail;
	} else {
		if (id) {
			/* pending: the request is renewed; unsubscribed: asked again,
			 * so a new double opt-in starts from a clean record */
			what = strcmp(status, "pending") == 0 ? NL_SUB_PENDING : NL_SUB_NEW;
			if (db_prepare(db, "UPDATE newsletter_subscriber SET status = 'pending', lang = ?, consent_version = ?,"
				       " requested_at = ?, request_ip = ?, confirmed_at = NULL, confirm_ip = NULL,"
				       " unsubscribed_at = NULL, unsubscribe_ip = NULL, unsubscribe_how = NULL WHERE id = ?",
				       &st, e))
				goto fail;
			db_bind_text(st, 1, lang);
			db_bind_text(st, 2, NL_CONSENT_VERSION);
			db_bind_int(st, 3, now);
			db_bind_text(st, 4, a->ip);
			db_bind_int(st, 5, id);
			if (exec_stmt(st, e))
				goto fail;
		} else {
			what = NL_SUB_NEW;
			if (db_prepare(db, "INSERT INTO newsletter_subscriber (email, status, lang, consent_version,"
				       " requested_at, request_ip) VALUES (?, 'pending', ?, ?, ?, ?) RETURNING id", &st, e))
				goto fail;
			db_bind_text(st, 1, email);
			db_bind_text(st, 2, lang);
			db_bind_text(st, 3, NL_CONSENT_VERSION);
			db_bind_int(st, 4, now);
			db_bind_text(st, 5, a->ip);
			rc = db_step(st, e);
			if (rc == 1)
				id = db_col_int(st, 0);
			db_finalize(st);
			if (rc != 1) {
				if (rc == 0)
					kerr_set(e, KERR_DB, "newsletter: the new subscriber got no id");
				goto fail;
			}
		}
		/* the newest link replaces the earlier ones: the consent record just written (time,
		 * address, version) is the request whose link confirms it */
		if (db_prepare(db, "UPDATE auth_token SET used_at = ? WHERE kind = 'newsletter' AND subject = ?"
			       " AND used_at IS NULL", &st, e))
			goto fail;
		db_bind_int(st, 1, now);
		db_bind_text(st, 2, email);
		if (exec_stmt(st, e) || auth_link_create(db, "newsletter", 0, email, NL_CONFIRM_TTL, token, e))
			goto fail;
		buf_printf(&url, "%s/newsletter/confirm?token=%s", a->base_url, token);
		confirm_body(&body, lang, email, url.ptr);
		if (mail_enqueue(db, "newsletter-confirm", email,
				 pick(lang, "Potwierdź zapis do newslettera", "Confirm your newsletter subscription"),
				 body.ptr, NULL, e))
			goto fail;
	}
	{
		char detail[96];
		snprintf(detail, sizeof(detail), "%s; consent %s",
			 what == NL_SUB_NEW ? "new" : what == NL_SUB_PENDING ? "pending again" : "already confirmed",
			 NL_CONSENT_VERSION);
		if (audit(db, a, "newsletter-subscribe", "newsletter_subscriber", id, detail, e))
			goto fail;
	}
	if (db_commit(db, e))
		goto fail;
	buf_release(&body);
	buf_release(&url);
	if (out)
		*out = what;
	return 0;
fail:
	db_rollback(db);
	buf_release(&body);
	buf_release(&url);
	return -1;
}

int nl_confirm_check(struct db *db, const char *token, struct kerr *e)
{
	return auth_link_check(db, "newsletter", token, e);
}

int nl_confirm(struct db *db, const struct nl_actor *a, const char *token, char email[256], int *subscribed,
	       struct kerr *e)
{
	struct db_stmt *st;
	char addr[256] = "";
	long long uid = 0, id = 0;
	int rc;
	if (subscribed)
		*subscribed = 0;
	if (db_begin(db, e))
		return -1;
	if (auth_link_use(db, "newsletter", token, &uid, addr, sizeof(addr), e))
		goto fail;
	if (db_prepare(db, "UPDATE newsletter_subscriber SET status = 'confirmed', confirmed_at = ?, confirm_ip = ?"
		       " WHERE email = ? AND status = 'pending' RETURNING id", &st, e))
		goto fail;
	db_bind_int(st, 1, auth_now());
	db_bind_text(st, 2, a->ip);
	db_bind_text(st, 3, addr);
	rc = db_step(st, e);
	if (rc == 1)
		id = db_col_int(st, 0);
	db_finalize(st);
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		if (audit(db, a, "newsletter-confirm", "newsletter_subscriber", id, NL_CONSENT_VERSION, e))
			goto fail;
		if (subscribed)
			*subscribed = 1;
	} else {
		/* a second link of a request already confirmed, or of an
		 * address unsubscribed since: spent, nothing else changes */
		char status[16] = "";
		if (db_prepare(db, "SELECT id, status FROM newsletter_subscriber WHERE email = ?", &st, e))
			goto fail;
		db_bind_text(st, 1, addr);
		rc = db_step(st, e);
		if (rc == 1) {
			id = db_col_int(st, 0);
			snprintf(status, sizeof(status), "%s", db_col_text(st, 1));
		}
		db_finalize(st);
		if (rc < 0)
			goto fail;
		if (subscribed)
			*subscribed = strcmp(status, "confirmed") == 0;
		if (audit(db, a, "newsletter-confirm-noop", "newsletter_subscriber", id, status, e))
			goto fail;
	}
	if (db_commit(db, e))
		goto fail;
	if (email)
		snprintf(email, 256, "%s", addr);
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int nl_unsub_find(struct db *db, const char *token, struct nl_subscriber *s, struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;
	int rc;
	memset(s, 0, sizeof(*s));
	if (!auth_token_ok(token))
		return 0;
	auth_token_hash(token, hash);
	if (db_prepare(db, "SELECT s.id, s.email, s.status, s.lang FROM newsletter_delivery d"
		       " JOIN newsletter_subscriber s ON s.id = d.subscriber_id WHERE d.unsub_hash = ?", &st, e))
		return -1;
	db_bind_text(st, 1, hash);
	rc = db_step(st, e);
	if (rc == 1) {
		s->id = db_col_int(st, 0);
		snprintf(s->email, sizeof(s->email), "%s", db_col_text(st, 1));
		snprintf(s->status, sizeof(s->status), "%s", db_col_text(st, 2));
		snprintf(s->lang, sizeof(s->lang), "%s", db_col_text(st, 3));
	}
	db_finalize(st);
	return rc;
}

int nl_unsubscribe(struct db *db, const struct nl_actor *a, const char *token, const char *how,
		   struct nl_subscriber *s, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_begin(db, e))
		return -1;
	rc = nl_unsub_find(db, token, s, e);
	if (rc <= 0) {
		if (rc == 0)
			kerr_set(e, KERR_NOTFOUND, "t: this unsubscribe link is not known");
		goto fail;
	}
	if (strcmp(s->status, "unsubscribed") != 0) {
		if (db_prepare(db, "UPDATE newsletter_subscriber SET status = 'unsubscribed', unsubscribed_at = ?,"
			       " unsubscribe_ip = ?, unsubscribe_how = ? WHERE id = ?", &st, e))
			goto fail;
		db_bind_int(st, 1, auth_now());
		db_bind_text(st, 2, a->ip);
		db_bind_text(st, 3, how);
		db_bind_int(st, 4, s->id);
		if (exec_stmt(st, e) || audit(db, a, "newsletter-unsubscribe", "newsletter_subscriber", s->id, how, e))
			goto fail;
		snprintf(s->status, sizeof(s->status), "unsubscribed");
	}
	if (db_commit(db, e))
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* The one-click body sent as multipart/form-data (form.c reads it): its
 * List-Unsubscribe field, blanks after it left out, is One-Click. */
static int oneclick_multipart(const char *ctype, const char *body, size_t len)
{
	struct form f;
	const char *v;
	size_t n;
	int ok = 0;
	if (form_parse_multipart(&f, ctype, body, len, NULL) == 0 && (v = form_get(&f, "List-Unsubscribe"))) {
		for (n = strlen(v); n && (v[n - 1] == ' ' || v[n - 1] == '\t'); n--)
			;
		ok = n == 9 && memcmp(v, "One-Click", 9) == 0;
	}
	form_release(&f);
	return ok;
}

int nl_oneclick_body(const char *ctype, const char *body, size_t len)
{
	struct form f;
	int ok;
	if (!body || !len)
		return 0;
	if (ctype && strncasecmp(ctype, "multipart/form-data", 19) == 0)
		return oneclick_multipart(ctype, body, len);
	if (ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) != 0)
		return 0;
	ok = form_parse(&f, body, len, NULL) == 0;
	if (ok) {
		const char *v = form_get(&f, "List-Unsubscribe");
		ok = v && strcmp(v, "One-Click") == 0;
	}
	form_release(&f);
	return ok;
}

void nl_unsub_url(struct buf *out, const char *base_url, const char *token)
{
	buf_printf(out, "%s/newsletter/unsubscribe?t=%s", base_url, token);
}

void nl_unsub_headers(struct buf *out, const char *unsub_url)
{
	buf_printf(out, "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", unsub_url);
}

/* ---- campaigns ---- */

void nl_campaign_init(struct nl_campaign *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->lang, sizeof(c->lang), "pl");
	snprintf(c->status, sizeof(c->status), "draft");
}

void nl_campaign_release(struct nl_campaign *c)
{
	free(c->subject);
	free(c->intro);
	free(c->articles);
	free(c->offers);
	nl_campaign_init(c);
}

/* Decimal ids into a fresh array without duplicates. */
static int parse_ids(const char *field, const char *const *v, size_t n, long long **out, size_t *nout,
		     struct kerr *e)
{
	size_t i, j, k = 0;
	*out = NULL;
	*nout = 0;
	if (n == 0)
		return 0;
	ALLOC_ARRAY(*out, n);
	for (i = 0; i < n; i++) {
		const char *s = v[i] ? v[i] : "";
		long long id = 0;
		size_t d;
		for (d = 0; s[d] >= '0' && s[d] <= '9' && d < 18; d++)
			id = id * 10 + (s[d] - '0');
		if (d == 0 || s[d] || id <= 0) {
			kerr_set(e, KERR_INPUT, "%s: '%.40s' is not an item number", field, s);
			free(*out);
			*out = NULL;
			return -1;
		}
		for (j = 0; j < k && (*out)[j] != id; j++)
			;
		if (j < k)
			continue;
		if (k == NL_ITEMS_MAX) {
			kerr_set(e, KERR_INPUT, "%s: at most %d items in one campaign", field, NL_ITEMS_MAX);
			free(*out);
			*out = NULL;
			return -1;
		}
		(*out)[k++] = id;
	}
	*nout = k;
	return 0;
}

int nl_campaign_from_form(struct nl_campaign *c, const char *subject, const char *intro, const char *lang,
			  const char *const *articles, size_t narticles, const char *const *offers, size_t noffers,
			  struct kerr *e)
{
	const char *s = subject ? subject : "", *send;
	struct buf b = BUF_INIT;
	free(c->subject);
	free(c->intro);
	free(c->articles);
	free(c->offers);
	c->subject = c->intro = NULL;
	c->articles = c->offers = NULL;
	c->narticles = c->noffers = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	send = s + strlen(s);
	while (send > s && (send[-1] == ' ' || send[-1] == '\t'))
		send--;
	c->subject = xstrndup(s, (size_t)(send - s));
	if (!*c->subject || strpbrk(c->subject, "\r\n") || !utf8_valid(c->subject, strlen(c->subject)) ||
	    utf8_chars(c->subject) > NL_SUBJECT_MAX)
		return kerr_set(e, KERR_INPUT, "subject: required, one line of at most %d characters", NL_SUBJECT_MAX);
	/* the intro is kept with LF line ends only */
	for (s = intro ? intro : ""; *s; s++)
		if (*s != '\r')
			buf_putc(&b, *s);
	while (b.len && (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == ' '))
		buf_truncate(&b, b.len - 1);
	c->intro = buf_detach(&b, NULL);
	if (!utf8_valid(c->intro, strlen(c->intro)) || utf8_chars(c->intro) > NL_INTRO_MAX)
		return kerr_set(e, KERR_INPUT, "intro: at most %d characters of text", NL_INTRO_MAX);
	if (!lang || !*lang)
		lang = "pl";
	if (strcmp(lang, "pl") != 0 && strcmp(lang, "en") != 0)
		return kerr_set(e, KERR_INPUT, "lang: pl or en");
	snprintf(c->lang, sizeof(c->lang), "%s", lang);
	if (parse_ids("articles", articles, narticles, &c->articles, &c->narticles, e) ||
	    parse_ids("offers", offers, noffers, &c->offers, &c->noffers, e))
		return -1;
	if (!*c->intro && !c->narticles && !c->noffers)
		return kerr_set(e, KERR_INPUT, "articles: choose at least one news item or offer, or write an introduction");
	return 0;
}

static const char sql_article_public[] =
	"SELECT title, COALESCE(lead, '') FROM article WHERE id = ? AND status = 'published'";
static const char sql_offer_public[] =
	"SELECT o.title, g.name, o.valid_until FROM offer o JOIN organisation g ON g.id = o.org_id"
	" WHERE o.id = ? AND o.status = 'approved' AND o.valid_until >= ?";

/* 1 when the item is public now, 0 when not, -1 on error. */
static int item_public(struct db *db, int is_offer, long long id, const char *day, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, is_offer ? sql_offer_public : sql_article_public, &st, e))
		return -1;
	db_bind_int(st, 1, id);
	if (is_offer)
		db_bind_text(st, 2, day);
	rc = db_step(st, e);
	db_finalize(st);
	return rc;
}

static int insert_items(struct db *db, long long cid, const char *kind, const long long *ids, size_t n, int *pos,
			struct kerr *e)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct db_stmt *st;
		if (db_prepare(db, "INSERT INTO newsletter_item (campaign_id, kind, item_id, position) VALUES (?,?,?,?)",
			       &st, e))
			return -1;
		db_bind_int(st, 1, cid);
		db_bind_text(st, 2, kind);
		db_bind_int(st, 3, ids[i]);
		db_bind_int(st, 4, (*pos)++);
		if (exec_stmt(st, e))
			return -1;
	}
	return 0;
}

/* KERR_NOTFOUND or KERR_CONFLICT for a campaign that is not a draft. */
static int not_a_draft(struct db *db, long long id, struct kerr *e)
{
	long long n = 0;
	char v[32];
	snprintf(v, sizeof(v), "%lld", id);
	if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM newsletter_campaign WHERE id = ?", v, NULL) < 0)
		return -1;
	if (!n)
		return kerr_set(e, KERR_NOTFOUND, "campaign #%lld does not exist", id);
	return kerr_set(e, KERR_CONFLICT, "campaign #%lld was already sent", id);
}

int nl_campaign_save(struct db *db, const struct nl_actor *a, struct nl_campaign *c, struct kerr *e)
{
	struct db_stmt *st;
	char day[11];
	long long now = auth_now(), id = 0;
	size_t i;
	int rc, pos = 0;
	today(day);
	if (db_begin(db, e))
		return -1;
	for (i = 0; i < c->narticles; i++) {
		rc = item_public(db, 0, c->articles[i], day, e);
		if (rc < 0)
			goto fail;
		if (!rc) {
			kerr_set(e, KERR_INPUT, "articles: #%lld is not a published news item", c->articles[i]);
			goto fail;
		}
	}
	for (i = 0; i < c->noffers; i++) {
		rc = item_public(db, 1, c->offers[i], day, e);
		if (rc < 0)
			goto fail;
		if (!rc) {
			kerr_set(e, KERR_INPUT, "offers: #%lld is not an approved offer that is still valid", c->offers[i]);
			goto fail;
		}
	}
	if (c->id == 0) {
		if (db_prepare(db, "INSERT INTO newsletter_campaign (cluster_id, author_id, lang, subject, intro, status,"
			       " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?) RETURNING id", &st, e))
			goto fail;
		if (c->cluster_id > 0)
			db_bind_int(st, 1, c->cluster_id);
		else
			db_bind_null(st, 1);
		if (c->author_id > 0)
			db_bind_int(st, 2, c->author_id);
		else
			db_bind_null(st, 2);
		db_bind_text(st, 3, c->lang);
		db_bind_text(st, 4, c->subject);
		db_bind_text(st, 5, c->intro ? c->intro : "");
		db_bind_int(st, 6, now);
		db_bind_int(st, 7, now);
	} else {
		if (db_prepare(db, "UPDATE newsletter_campaign SET lang = ?, subject = ?, intro = ?, updated_at = ?"
			       " WHERE id = ? AND status = 'draft' RETURNING id", &st, e))
			goto fail;
		db_bind_text(st, 1, c->lang);
		db_bind_text(st, 2, c->subject);
		db_bind_text(st, 3, c->intro ? c->intro : "");
		db_bind_int(st, 4, now);
		db_bind_int(st, 5, c->id);
	}
	rc = db_step(st, e);
	if (rc == 1)
		id = db_col_int(st, 0);
	db_finalize(st);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		if (c->id == 0)
			kerr_set(e, KERR_DB, "newsletter: the new campaign got no id");
		else
			not_a_draft(db, c->id, e);
		goto fail;
	}
	if (c->id) {
		if (db_prepare(db, "DELETE FROM newsletter_item WHERE campaign_id = ?", &st, e))
			goto fail;
		db_bind_int(st, 1, id);
		if (exec_stmt(st, e))
			goto fail;
	}
	if (insert_items(db, id, "article", c->articles, c->narticles, &pos, e) ||
	    insert_items(db, id, "offer", c->offers, c->noffers, &pos, e) ||
	    audit(db, a, c->id ? "newsletter-campaign-edit" : "newsletter-campaign-create", "newsletter_campaign", id,
		  c->subject, e))
		goto fail;
	if (db_commit(db, e))
		goto fail;
	c->id = id;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int nl_campaign_get(struct db *db, long long id, struct nl_campaign *c, struct kerr *e)
{
	struct db_stmt *st;
	size_t na = 0, no = 0;
	int rc;
	nl_campaign_release(c);
	if (db_prepare(db, "SELECT id, COALESCE(cluster_id, 0), COALESCE(author_id, 0), recipients, created_at,"
		       " COALESCE(sent_at, 0), lang, status, subject, intro FROM newsletter_campaign WHERE id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st, e);
	if (rc == 1) {
		c->id = db_col_int(st, 0);
		c->cluster_id = db_col_int(st, 1);
		c->author_id = db_col_int(st, 2);
		c->recipients = db_col_int(st, 3);
		c->created_at = db_col_int(st, 4);
		c->sent_at = db_col_int(st, 5);
		snprintf(c->lang, sizeof(c->lang), "%s", db_col_text(st, 6));
		snprintf(c->status, sizeof(c->status), "%s", db_col_text(st, 7));
		c->subject = xstrdup(db_col_text(st, 8));
		c->intro = xstrdup(db_col_text(st, 9) ? db_col_text(st, 9) : "");
	}
	db_finalize(st);
	if (rc != 1)
		return rc;
	if (db_prepare(db, "SELECT kind, item_id FROM newsletter_item WHERE campaign_id = ? ORDER BY position", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	ALLOC_ARRAY(c->articles, NL_ITEMS_MAX);
	ALLOC_ARRAY(c->offers, NL_ITEMS_MAX);
	while ((rc = db_step(st, e)) == 1) {
		int is_offer = strcmp(db_col_text(st, 0), "offer") == 0;
		if (is_offer && no < NL_ITEMS_MAX)
			c->offers[no++] = db_col_int(st, 1);
		else if (!is_offer && na < NL_ITEMS_MAX)
			c->articles[na++] = db_col_int(st, 1);
	}
	db_finalize(st);
	c->narticles = na;
	c->noffers = no;
	return rc < 0 ? -1 : 1;
}

/* ---- the body of a campaign mail ---- */

/* Writes s as one line of at most limit characters (whitespace runs
 * become one space, leading and trailing whitespace is dropped) into out
 * (may be NULL to count only); returns the characters of the whole line. */
static size_t line_part(struct buf *out, const char *s, size_t limit)
{
	size_t chars = 0;
	int space = 0;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			space = 1;
			continue;
		}
		if ((ch & 0xC0) != 0x80) {
			chars += 1 + (size_t)space;
			if (out && chars <= limit && space)
				buf_putc(out, ' ');
			space = 0;
		}
		if (out && chars <= limit)
			buf_putc(out, (char)ch);
	}
	return chars;
}

/* One line of at most max characters: a longer text is cut at a
 * character boundary and ends with "…" (which counts as one). */
static void one_line(struct buf *out, const char *s, size_t max)
{
	if (line_part(NULL, s, max) <= max) {
		line_part(out, s, max);
		return;
	}
	line_part(out, s, max - 1);
	/* a cut right after a space leaves it at the end */
	if (out->len && out->ptr[out->len - 1] == ' ')
		buf_truncate(out, out->len - 1);
	buf_puts(out, "…");
}

void nl_body_write(struct buf *out, const char *lang, const char *intro, const struct nl_item *items, size_t n,
		   const char *base_url, const char *unsub_url, const char *sender)
{
	size_t i;
	int pass;
	const char *p;
	if (intro && *intro) {
		for (p = intro; *p; p++)
			if (*p != '\r')
				buf_putc(out, *p);
		buf_puts(out, "\n\n");
	}
	for (pass = 0; pass < 2; pass++) {
		int head = 0;
		for (i = 0; i < n; i++) {
			const struct nl_item *it = &items[i];
			if (it->is_offer != pass)
				continue;
			if (!head) {
				const char *h = pass ? pick(lang, "OFERTY WSPÓŁPRACY", "COOPERATION OFFERS")
						     : pick(lang, "AKTUALNOŚCI", "NEWS");
				buf_printf(out, "%s\n\n", h);
				head = 1;
			}
			buf_puts(out, "* ");
			one_line(out, it->title, 200);
			buf_puts(out, "\n");
			if (it->summary && *it->summary) {
				buf_puts(out, "  ");
				one_line(out, it->summary, 300);
				if (it->until && *it->until)
					buf_printf(out, pick(lang, " (ważna do %s)", " (valid until %s)"), it->until);
				buf_puts(out, "\n");
			}
			buf_printf(out, "  %s/%s/%lld\n\n", base_url, pass ? "offers" : "news", it->id);
		}
	}
	buf_puts(out, "-- \n");
	if (sender && *sender)
		buf_printf(out, pick(lang, "Newsletter portalu klaster, wydanie: %s.\n",
				     "The klaster portal newsletter, issued by %s.\n"), sender);
	else
		buf_puts(out, pick(lang, "Newsletter portalu klaster.\n", "The klaster portal newsletter.\n"));
	buf_printf(out, pick(lang,
			     "Otrzymujesz go, bo ten adres został zapisany i potwierdzony na %s/newsletter.\n"
			     "Wypisz się jednym kliknięciem: %s\n",
			     "You get it because this address was subscribed and confirmed at %s/newsletter.\n"
			     "Unsubscribe with one click: %s\n"),
		   base_url, unsub_url);
}

/* The public items and the sender of a campaign, read once and used for
 * every mail. */
struct loaded {
	struct nl_item *items;
	size_t n;
	char **strs;             /* every string the items point to */
	size_t nstrs;
	char *sender;
};

static void loaded_release(struct loaded *l)
{
	size_t i;
	for (i = 0; i < l->nstrs; i++)
		free(l->strs[i]);
	free(l->strs);
	free(l->items);
	free(l->sender);
	memset(l, 0, sizeof(*l));
}

static const char *keep(struct loaded *l, const char *s)
{
	char *copy = xstrdup(s ? s : "");
	l->strs[l->nstrs++] = copy;
	return copy;
}

static int load(struct db *db, const struct nl_campaign *c, struct loaded *l, struct kerr *e)
{
	size_t i, total = c->narticles + c->noffers;
	char day[11];
	memset(l, 0, sizeof(*l));
	today(day);
	ALLOC_ARRAY(l->items, total ? total : 1);
	ALLOC_ARRAY(l->strs, st_mult(total ? total : 1, 3));
	for (i = 0; i < total; i++) {
		int is_offer = i >= c->narticles;
		long long id = is_offer ? c->offers[i - c->narticles] : c->articles[i];
		struct db_stmt *st;
		int rc;
		if (db_prepare(db, is_offer ? sql_offer_public : sql_article_public, &st, e))
			goto fail;
		db_bind_int(st, 1, id);
		if (is_offer)
			db_bind_text(st, 2, day);
		rc = db_step(st, e);
		if (rc == 1) {
			struct nl_item *it = &l->items[l->n++];
			it->is_offer = is_offer;
			it->id = id;
			it->title = keep(l, db_col_text(st, 0));
			it->summary = keep(l, db_col_text(st, 1));
			it->until = is_offer ? keep(l, db_col_text(st, 2)) : NULL;
		}
		db_finalize(st);
		if (rc < 0)
			goto fail;
	}
	if (c->cluster_id > 0) {
		struct db_stmt *st;
		int rc;
		if (db_prepare(db, "SELECT name FROM cluster WHERE id = ?", &st, e))
			goto fail;
		db_bind_int(st, 1, c->cluster_id);
		rc = db_step(st, e);
		if (rc == 1)
			l->sender = xstrdup(db_col_text(st, 0) ? db_col_text(st, 0) : "");
		db_finalize(st);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	loaded_release(l);
	return -1;
}

int nl_campaign_render(struct db *db, const struct nl_campaign *c, const char *base_url, const char *unsub_url,
		       struct buf *out, struct kerr *e)
{
	struct loaded l;
	if (load(db, c, &l, e))
		return -1;
	nl_body_write(out, c->lang, c->intro, l.items, l.n, base_url, unsub_url, l.sender);
	loaded_release(&l);
	return 0;
}

struct rcpt {
	long long id;
	char *email;
};

int nl_campaign_send(struct db *db, const struct nl_actor *a, long long id, long long *recipients,
		     struct kerr *e)
{
	struct nl_campaign c;
	struct loaded l;
	struct db_stmt *st;
	struct rcpt *to = NULL;
	size_t nto = 0, alloc = 0, i;
	struct buf body = BUF_INIT, url = BUF_INIT, hdr = BUF_INIT, kind = BUF_INIT;
	long long now = auth_now(), got = 0;
	int rc, loaded = 0;

	nl_campaign_init(&c);
	memset(&l, 0, sizeof(l));
	if (db_begin(db, e))
		return -1;
	/* the one statement that turns a draft into a sent campaign: a
	 * second send (or two at once) finds no draft and gets 409 */
	if (db_prepare(db, "UPDATE newsletter_campaign SET status = 'sent', sent_at = ?, sent_by = ?, updated_at = ?"
		       " WHERE id = ? AND status = 'draft' RETURNING id", &st, e))
		goto fail;
	db_bind_int(st, 1, now);
	if (a->user_id > 0)
		db_bind_int(st, 2, a->user_id);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	rc = db_step(st, e);
	db_finalize(st);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		not_a_draft(db, id, e);
		goto fail;
	}
	rc = nl_campaign_get(db, id, &c, e);
	if (rc != 1) {
		if (rc == 0)
			kerr_set(e, KERR_NOTFOUND, "campaign #%lld does not exist", id);
		goto fail;
	}
	if (load(db, &c, &l, e))
		goto fail;
	loaded = 1;
	if (!l.n && !*c.intro) {
		kerr_set(e, KERR_INPUT, "articles: every item of this campaign was withdrawn or has expired; edit it first");
		goto fail;
	}
	/* the recipients first, then the writes (one connection, one statement at a time) */
	if (db_prepare(db, "SELECT id, email FROM newsletter_subscriber WHERE status = 'confirmed' ORDER BY id", &st, e))
		goto fail;
	while ((rc = db_step(st, e)) == 1) {
		if (nto == alloc) {
			alloc = alloc ? st_mult(alloc, 2) : 64;
			to = xrealloc(to, st_mult(alloc, sizeof(*to)));
		}
		to[nto].id = db_col_int(st, 0);
		to[nto].email = xstrdup(db_col_text(st, 1));
		nto++;
	}
	db_finalize(st);
	if (rc < 0)
		goto fail;
	if (!nto) {
		/* a send cannot be taken back: to no one, it would only end the draft */
		kerr_set(e, KERR_INPUT, "campaign: no subscriber has confirmed yet, so no one would get it; the "
			 "campaign stays a draft");
		goto fail;
	}
	buf_printf(&kind, "newsletter:%lld", id);
	for (i = 0; i < nto; i++) {
		char token[AUTH_TOKEN_LEN + 1], hash[AUTH_TOKEN_LEN + 1];
		auth_token_new(token, hash);
		if (db_prepare(db, "INSERT INTO newsletter_delivery (campaign_id, subscriber_id, unsub_hash) VALUES (?,?,?)",
			       &st, e))
			goto fail;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, to[i].id);
		db_bind_text(st, 3, hash);
		if (exec_stmt(st, e))
			goto fail;
		buf_reset(&url);
		buf_reset(&hdr);
		buf_reset(&body);
		nl_unsub_url(&url, a->base_url, token);
		nl_unsub_headers(&hdr, url.ptr);
		nl_body_write(&body, c.lang, c.intro, l.items, l.n, a->base_url, url.ptr, l.sender);
		if (buf_failed(&body) || buf_failed(&hdr)) {
			kerr_set(e, KERR_INTERNAL, "newsletter: out of memory while writing a mail");
			goto fail;
		}
		if (mail_enqueue(db, kind.ptr, to[i].email, c.subject, body.ptr, hdr.ptr, e)) {
			kerr_prefix(e, "subscriber #%lld", to[i].id);
			goto fail;
		}
		got++;
	}
	if (db_prepare(db, "UPDATE newsletter_campaign SET recipients = ? WHERE id = ?", &st, e))
		goto fail;
	db_bind_int(st, 1, got);
	db_bind_int(st, 2, id);
	if (exec_stmt(st, e))
		goto fail;
	{
		char detail[64];
		snprintf(detail, sizeof(detail), "%lld recipients", got);
		if (audit(db, a, "newsletter-send", "newsletter_campaign", id, detail, e))
			goto fail;
	}
	if (db_commit(db, e))
		goto fail;
	if (recipients)
		*recipients = got;
	rc = 0;
	goto out;
fail:
	db_rollback(db);
	rc = -1;
out:
	for (i = 0; i < nto; i++)
		free(to[i].email);
	free(to);
	if (loaded)
		loaded_release(&l);
	nl_campaign_release(&c);
	buf_release(&body);
	buf_release(&url);
	buf_release(&hdr);
	buf_release(&kind);
	return rc;
}

int nl_campaign_test(struct db *db, const struct nl_actor *a, long long id, const char *to, struct kerr *e)
{
	struct nl_campaign c;
	struct loaded l;
	struct buf body = BUF_INIT, url = BUF_INIT, subject = BUF_INIT, kind = BUF_INIT;
	int rc = -1, got, loaded = 0;

	nl_campaign_init(&c);
	memset(&l, 0, sizeof(l));
	got = nl_campaign_get(db, id, &c, e);
	if (got != 1) {
		if (got == 0)
			kerr_set(e, KERR_NOTFOUND, "campaign #%lld does not exist", id);
		goto out;
	}
	if (strcmp(c.status, "draft") != 0) {
		kerr_set(e, KERR_CONFLICT, "campaign #%lld was sent already: a test is for a draft", id);
		goto out;
	}
	if (load(db, &c, &l, e))
		goto out;
	loaded = 1;
	if (!l.n && !*c.intro) {
		/* as nl_campaign_send would refuse it */
		kerr_set(e, KERR_INPUT, "articles: every item of this campaign was withdrawn or has expired; edit it first");
		goto out;
	}
	/* the body subscribers would get, with an unsubscribe link that goes nowhere (a test
	 * recipient is no subscriber) */
	nl_unsub_url(&url, a->base_url, "TEST");
	nl_body_write(&body, c.lang, c.intro, l.items, l.n, a->base_url, url.ptr, l.sender);
	buf_printf(&subject, "[TEST] %s", c.subject);
	buf_printf(&kind, "newsletter-test:%lld", id);
	if (buf_failed(&body) || buf_failed(&subject)) {
		kerr_set(e, KERR_INTERNAL, "newsletter: out of memory while writing a mail");
		goto out;
	}
	if (db_begin(db, e))
		goto out;
	if (mail_enqueue(db, kind.ptr, to, subject.ptr, body.ptr, NULL, e) ||
	    audit(db, a, "newsletter-test", "newsletter_campaign", id, to, e) || db_commit(db, e)) {
		db_rollback(db);
		goto out;
	}
	rc = 0;
out:
	if (loaded)
		loaded_release(&l);
	nl_campaign_release(&c);
	buf_release(&body);
	buf_release(&url);
	buf_release(&subject);
	buf_release(&kind);
	return rc;
}

int nl_campaign_counts(struct db *db, long long id, struct nl_counts *n, struct kerr *e)
{
	struct db_stmt *st;
	char kind[48];
	int rc;
	memset(n, 0, sizeof(*n));
	snprintf(kind, sizeof(kind), "newsletter:%lld", id);
	if (db_prepare(db, "SELECT COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0),"
		       " COALESCE(SUM(CASE WHEN status IN ('queued', 'sending') THEN 1 ELSE 0 END), 0),"
		       " COALESCE(SUM(CASE WHEN status = 'outbox' THEN 1 ELSE 0 END), 0),"
		       " COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0)"
		       " FROM mail_queue WHERE kind = ?", &st, e))
		return -1;
	db_bind_text(st, 1, kind);
	rc = db_step(st, e);
	if (rc == 1) {
		n->sent = db_col_int(st, 0);
		n->waiting = db_col_int(st, 1);
		n->outbox = db_col_int(st, 2);
		n->failed = db_col_int(st, 3);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static void csv_time(struct buf *out, struct db_stmt *st, int col)
{
	char when[32] = "";
	if (!db_col_null(st, col)) {
		time_t t = (time_t)db_col_int(st, col);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	esc_csv(out, when);
}

int nl_subscribers_csv(struct db *db, struct buf *out, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT email, status, lang, consent_version, requested_at, request_ip, confirmed_at,"
		       " confirm_ip, unsubscribed_at, unsubscribe_ip, unsubscribe_how FROM newsletter_subscriber ORDER BY id",
		       &st, e))
		return -1;
	buf_puts(out, "email,status,lang,consent_version,requested_at,request_ip,confirmed_at,confirm_ip,"
		      "unsubscribed_at,unsubscribe_ip,unsubscribe_how\r\n");
	while ((rc = db_step(st, e)) == 1) {
		int col;
		for (col = 0; col < 11; col++) {
			if (col)
				buf_putc(out, ',');
			if (col == 4 || col == 6 || col == 8)
				csv_time(out, st, col);
			else
				esc_csv(out, db_col_text(st, col));
		}
		buf_puts(out, "\r\n");
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}
