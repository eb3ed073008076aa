/*
 * web_newsletter.c — the newsletter pages: subscribe with consent and
 * double opt-in, confirm, one-click unsubscribe (RFC 8058), and the
 * administration: campaigns (coordinators and administrators) and the
 * subscriber list with its CSV export (administrators).  The work is done
 * by newsletter.c; these handlers read forms, check roles and render.
 */
#include "web.h"

#include "esc.h"
#include "newsletter.h"

/* Subscription requests per window (seconds) per client address and per
 * e-mail address. */
#define SUB_PER_IP 20
#define SUB_PER_EMAIL 3
#define SUB_WINDOW 3600
/* Rows shown on one list page (the CSV export has them all). */
#define LIST_MAX 1000

static struct nl_actor actor(struct req *r)
{
	struct nl_actor a;
	a.user_id = r->logged_in ? r->user.id : 0;
	a.ip = r->ip;
	a.base_url = r->app->mail.base_url;
	return a;
}

/* Counts one attempt against both limits; answers 429 and returns 1 when
 * either is exceeded. */
static int rate_limited(struct req *r, const char *email)
{
	struct buf kip = BUF_INIT, kemail = BUF_INIT;
	int over;
	buf_printf(&kip, "newsletter-ip:%s", r->ip);
	buf_printf(&kemail, "newsletter-email:%s", email);
	over = req_rate_limited(r, kip.ptr, SUB_PER_IP, kemail.ptr, SUB_PER_EMAIL, SUB_WINDOW,
				L(r, "Zbyt wiele prób zapisu. Spróbuj ponownie za godzinę.",
				  "Too many subscription attempts. Try again in an hour."));
	buf_release(&kip);
	buf_release(&kemail);
	return over;
}

/* ---- subscribe ---- */

/* The forms' names of their fields in an error line, NULL for another (web_form_errors). */
static const char *nl_label(struct req *r, const char *name)
{
	static const struct {
		const char *name, *pl, *en;
	} labels[] = {
		{ "email", "Adres e-mail", "E-mail address" }, { "consent", "Zgoda", "Consent" },
		{ "subject", "Temat", "Subject" }, { "lang", "Język", "Language" }, { "intro", "Wstęp", "Introduction" },
		{ "articles", "Aktualności", "News" }, { "offers", "Oferty współpracy", "Cooperation offers" },
	};
	size_t i;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].name, name) == 0)
			return L(r, labels[i].pl, labels[i].en);
	return NULL;
}

static void subscribe_form(struct req *r, const char *error, const char *email)
{
	page_begin(r, "Newsletter");
	html_printf(&r->out, "<h1>Newsletter</h1><p>%s</p>",
		    L(r, "Aktualności portalu i oferty współpracy klastrów — e-mailem, co jakiś czas. "
			 "Każde wydanie ma link do wypisania się jednym kliknięciem.",
		      "The portal's news and the clusters' cooperation offers by e-mail, now and then. "
			 "Every issue has a link to unsubscribe with one click."));
	if (error)
		web_form_errors(r, error, nl_label);
	form_open(r, "/newsletter", "stack");
	web_field_hint(r, "email", L(r, "Adres e-mail", "E-mail address"), "email", email,
		       "required autocomplete=\"email\" maxlength=\"254\"",
		       L(r, "Wyślemy na niego link potwierdzający. Newsletter zacznie przychodzić dopiero po jego otwarciu "
			    "i potwierdzeniu.",
			 "We will send it a confirmation link. The newsletter starts only after you open it and confirm."));
	html_printf(&r->out, "<input type=\"hidden\" name=\"consent_version\" value=\"%s\">"
		    "<p class=\"field consent\"><input id=\"f-consent\" name=\"consent\" type=\"checkbox\" value=\"1\" required%R>"
		    " <label for=\"f-consent\">%s <small>(%s %s)</small>%R</label></p>"
		    "<p><button type=\"submit\">%s</button></p></form>",
		    NL_CONSENT_VERSION, web_invalid(r, "consent"), nl_consent_text(r->lang), L(r, "wersja zgody", "consent version"),
		    NL_CONSENT_VERSION, web_required_mark(), L(r, "Zapisz mnie", "Subscribe"));
	page_end(r);
}

static void h_subscribe(struct req *r)
{
	subscribe_form(r, NULL, r->logged_in ? r->user.email : "");
}

static void h_subscribe_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct nl_actor a = actor(r);
	char email[256];
	if (nl_subscribe_validate(req_form(r, "email"), req_form(r, "consent"), req_form(r, "consent_version"), email,
				  &e)) {
		r->status = 400;
		subscribe_form(r, e.msg, req_form(r, "email"));
		return;
	}
	if (rate_limited(r, email))
		return;
	if (nl_subscribe(r->db, &a, email, r->lang, NULL, &e))
		return req_error_kerr(r, &e);
	/* the same answer for a new, a pending and a confirmed address */
	page_begin(r, L(r, "Sprawdź pocztę", "Check your mail"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Sprawdź pocztę", "Check your mail"));
	web_alert(r, "notice", L(r, "Dziękujemy. Jeśli adres jest poprawny, wysłaliśmy na niego wiadomość. "
				    "Aby zacząć otrzymywać newsletter, otwórz link z wiadomości i potwierdź zapis.",
				 "Thank you. If the address is right, we have sent it a message. To start receiving "
				    "the newsletter, open the link in it and confirm."));
	page_end(r);
}

/* ---- confirm ---- */

static void link_gone(struct req *r)
{
	r->status = 410;
	page_begin(r, L(r, "Potwierdzenie zapisu", "Confirm your subscription"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Potwierdzenie zapisu", "Confirm your subscription"));
	web_alert(r, "error", L(r, "Ten link został już użyty albo wygasł.", "This link was already used or has expired."));
	html_printf(&r->out, "<p><a href=\"/newsletter\">%s</a></p>", L(r, "Zapisz się ponownie", "Subscribe again"));
	page_end(r);
}

static void h_confirm(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *token = req_arg(r, "token");
	int ok;
	if (!token || !*token)   /* no link's at all: an address cut short, not one used up */
		return req_error(r, 400, L(r, "token: brak kodu z linku w e-mailu; otwórz cały link",
					   "token: the code of the e-mail's link is missing; open the whole link"));
	ok = nl_confirm_check(r->db, token, &e);
	if (ok < 0)
		return req_error_kerr(r, &e);
	if (!ok)
		return link_gone(r);
	page_begin(r, L(r, "Potwierdzenie zapisu", "Confirm your subscription"));
	html_printf(&r->out, "<h1>%s</h1><p>%s</p>", L(r, "Potwierdzenie zapisu", "Confirm your subscription"),
		    L(r, "Naciśnij przycisk, aby potwierdzić zapis do newslettera.",
		      "Press the button to confirm your newsletter subscription."));
	/* a button, so a mail scanner that follows links cannot confirm */
	form_open(r, "/newsletter/confirm", "stack");
	html_printf(&r->out, "<input type=\"hidden\" name=\"token\" value=\"%s\"><p><button type=\"submit\">%s</button></p></form>",
		    token, L(r, "Potwierdzam zapis", "Confirm my subscription"));
	page_end(r);
}

static void h_confirm_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct nl_actor a = actor(r);
	char email[256];
	int subscribed = 0;
	if (nl_confirm(r->db, &a, req_form(r, "token"), email, &subscribed, &e)) {
		if (e.kind == KERR_AUTH)
			return link_gone(r);
		return req_error_kerr(r, &e);
	}
	page_begin(r, L(r, "Potwierdzenie zapisu", "Confirm your subscription"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Potwierdzenie zapisu", "Confirm your subscription"));
	if (subscribed) {
		struct buf msg = BUF_INIT;
		buf_printf(&msg, L(r, "Zapis potwierdzony: %s otrzyma kolejne wydania newslettera.",
				   "Subscription confirmed: %s will receive the next issues of the newsletter."), email);
		web_alert(r, "notice", msg.ptr);
		buf_release(&msg);
	} else {
		web_alert(r, "error", L(r, "Ten adres został w międzyczasie wypisany. Aby znów otrzymywać newsletter, zapisz się ponownie.",
					"This address has been unsubscribed since. To receive the newsletter again, subscribe again."));
		html_printf(&r->out, "<p><a href=\"/newsletter\">%s</a></p>", L(r, "Zapisz się", "Subscribe"));
	}
	page_end(r);
}

/* ---- unsubscribe ---- */

static void unknown_link(struct req *r)
{
	r->status = 404;
	page_begin(r, L(r, "Wypisanie z newslettera", "Unsubscribe"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Wypisanie z newslettera", "Unsubscribe"));
	web_alert(r, "error", L(r, "Nie znamy tego linku. Skopiuj cały link z wiadomości.",
				"This link is not known. Copy the whole link from the message."));
	page_end(r);
}

/* The token of the unsubscribe link in a campaign's test message (nl_campaign_test): it names
 * no subscriber, and is no real token (those are 64 hex digits). */
#define TEST_LINK_TOKEN "TEST"

/* The page of a test message's unsubscribe link: it unsubscribes no one, and says why. */
static void test_link(struct req *r)
{
	page_begin(r, L(r, "Wypisanie z newslettera", "Unsubscribe"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Wypisanie z newslettera", "Unsubscribe"));
	web_alert(r, "notice", L(r, "To link do wypisania z wiadomości próbnej kampanii: nikogo nie wypisuje. W wysłanej "
				    "kampanii każdy subskrybent dostaje w swojej wiadomości własny link, który wypisuje go "
				    "jednym kliknięciem.",
				 "This is the unsubscribe link of a campaign's test message: it unsubscribes no one. When "
				    "the campaign is sent, each subscriber's message has a link of its own that unsubscribes "
				    "them with one click."));
	page_end(r);
}

static void h_unsubscribe(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct nl_subscriber s;
	const char *token = req_arg(r, "t");
	struct buf action = BUF_INIT, msg = BUF_INIT;
	int rc;
	if (token && strcmp(token, TEST_LINK_TOKEN) == 0)
		return test_link(r);
	rc = nl_unsub_find(r->db, token, &s, &e);
	if (rc < 0)
		return req_error_kerr(r, &e);
	if (!rc)
		return unknown_link(r);
	page_begin(r, L(r, "Wypisanie z newslettera", "Unsubscribe"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Wypisanie z newslettera", "Unsubscribe"));
	if (strcmp(s.status, "unsubscribed") == 0) {
		buf_printf(&msg, L(r, "Adres %s jest już wypisany.", "%s is already unsubscribed."), s.email);
		web_alert(r, "notice", msg.ptr);
	} else {
		buf_printf(&msg, L(r, "Czy wypisać adres %s z newslettera?", "Unsubscribe %s from the newsletter?"), s.email);
		html_printf(&r->out, "<p>%s</p>", msg.ptr);
		/* posts to the same one-click route: the token is the authority */
		buf_printf(&action, "/newsletter/unsubscribe?t=%s", token);
		form_open(r, action.ptr, "stack");
		html_printf(&r->out, "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
			    "<input type=\"hidden\" name=\"via\" value=\"page\"><p><button type=\"submit\">%s</button></p></form>",
			    L(r, "Wypisz mnie", "Unsubscribe me"));
	}
	buf_release(&action);
	buf_release(&msg);
	page_end(r);
}

/*
 * POST /newsletter/unsubscribe?t=TOKEN with the body
 * "List-Unsubscribe=One-Click" (RFC 8058).  Mail clients send it from
 * their own servers, without the visitor's cookies and so without a CSRF
 * token: this route is deliberately not R_FORM.  It is safe without one
 * because the token in the URL is unguessable (32 random bytes), names
 * one subscriber, and can do nothing but unsubscribe that subscriber —
 * the worst a forged request can do is what the link's owner asked for.
 * The body is parsed here with form_parse (newsletter.c).
 */
static void h_unsubscribe_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct nl_actor a = actor(r);
	struct nl_subscriber s;
	struct form f;
	const char *ctype = req_header(r, "Content-Type");
	const char *token = req_arg(r, "t");
	const char *how = "one-click";
	struct buf msg = BUF_INIT;
	int parsed;

	memset(&f, 0, sizeof(f));
	parsed = ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0 && r->body &&
		 form_parse(&f, r->body, r->body_len, NULL) == 0;
	if (parsed) {
		if (!token)
			token = form_get(&f, "t");
		if (form_get(&f, "via") && strcmp(form_get(&f, "via"), "page") == 0)
			how = "page";
	}
	if (!nl_oneclick_body(ctype, r->body, r->body_len)) {
		form_release(&f);
		return req_error(r, 400, L(r, "Oczekiwano treści List-Unsubscribe=One-Click (RFC 8058).",
					   "Expected the body List-Unsubscribe=One-Click (RFC 8058)."));
	}
	if (token && strcmp(token, TEST_LINK_TOKEN) == 0) {
		form_release(&f);
		return test_link(r);
	}
	if (nl_unsubscribe(r->db, &a, token, how, &s, &e)) {
		form_release(&f);
		if (e.kind == KERR_NOTFOUND)
			return unknown_link(r);
		return req_error_kerr(r, &e);
	}
	form_release(&f);
	page_begin(r, L(r, "Wypisanie z newslettera", "Unsubscribe"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Wypisanie z newslettera", "Unsubscribe"));
	buf_printf(&msg, L(r, "Wypisano: %s nie otrzyma już newslettera.", "Unsubscribed: %s will get no more newsletters."),
		   s.email);
	web_alert(r, "notice", msg.ptr);
	buf_release(&msg);
	html_printf(&r->out, "<p><a href=\"/newsletter\">%s</a></p>", L(r, "Zapisz się ponownie", "Subscribe again"));
	page_end(r);
}

/* ---- campaigns (coordinators and administrators) ---- */

/* Administrators, and coordinators who have a cluster. */
static int can_compose(const struct req *r)
{
	return r->logged_in && (auth_is_admin(&r->user) || auth_can_coordinate(&r->user, r->user.cluster_id));
}

/* An administrator's campaign (cluster 0) only for administrators. */
static int can_manage(const struct req *r, const struct nl_campaign *c)
{
	return r->logged_in && auth_can_coordinate(&r->user, c->cluster_id);
}

static int has_id(const long long *ids, size_t n, long long id)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static void lang_option(struct req *r, const char *value, const char *label, const char *current)
{
	html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", value, strcmp(value, current) == 0 ? " selected" : "",
		    label);
}

/* The form of a new (c->id 0) or an edited draft, with the items to choose
 * from: the newest published news and the approved offers still valid. */
static void compose_form(struct req *r, const char *error, const struct nl_campaign *c)
{
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	char day[11], idbuf[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc, any = 0;

	localtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (error)
		web_form_errors(r, error, nl_label);
	form_open(r, c->id ? "/admin/newsletter/edit" : "/admin/newsletter/new", "stack");
	if (c->id) {
		snprintf(idbuf, sizeof(idbuf), "%lld", c->id);
		html_printf(&r->out, "<input type=\"hidden\" name=\"campaign\" value=\"%s\">", idbuf);
	}
	web_field(r, "subject", L(r, "Temat", "Subject"), "text", c->subject ? c->subject : "",
		  "required maxlength=\"200\"");
	html_printf(&r->out, "<p class=\"field\"><label for=\"f-lang\">%s</label><select id=\"f-lang\" name=\"lang\"%R>",
		    L(r, "Język stałych tekstów wiadomości", "Language of the message's fixed texts"), web_invalid(r, "lang"));
	lang_option(r, "pl", "polski", c->lang);
	lang_option(r, "en", "English", c->lang);
	buf_puts(&r->out, "</select></p>");
	web_textarea(r, "intro", L(r, "Wstęp (zwykły tekst)", "Introduction (plain text)"), c->intro ? c->intro : "", 6,
		     "maxlength=\"5000\"");

	/* the lists have the ids their error lines link to (nl_label) */
	html_printf(&r->out, "<fieldset id=\"f-articles\"%R><legend>%s</legend>", web_invalid(r, "articles"),
		    L(r, "Aktualności (opublikowane)", "News (published)"));
	if (db_prepare(r->db, "SELECT id, title, COALESCE(published_at, created_at) FROM article WHERE status = 'published'"
		       " ORDER BY COALESCE(published_at, created_at) DESC, id DESC LIMIT 100", &st, &e) == 0) {
		while ((rc = db_step(st, &e)) == 1) {
			long long id = db_col_int(st, 0);
			char when[32];
			web_time_utc(db_col_int(st, 2), when);
			snprintf(idbuf, sizeof(idbuf), "%lld", id);
			html_printf(&r->out, "<p class=\"check\"><input type=\"checkbox\" id=\"a-%s\" name=\"articles\" value=\"%s\"%R>"
				    " <label for=\"a-%s\">%s <small>(%s)</small></label></p>",
				    idbuf, idbuf, has_id(c->articles, c->narticles, id) ? " checked" : "", idbuf,
				    db_col_text(st, 1), when);
			any = 1;
		}
		db_finalize(st);
	}
	if (!any)
		html_printf(&r->out, "<p class=\"hint\">%s</p>", L(r, "Brak opublikowanych aktualności.", "No published news."));
	buf_puts(&r->out, "</fieldset>");

	any = 0;
	html_printf(&r->out, "<fieldset id=\"f-offers\"%R><legend>%s</legend>", web_invalid(r, "offers"),
		    L(r, "Oferty współpracy (zatwierdzone, aktualne)", "Cooperation offers (approved, current)"));
	if (db_prepare(r->db, "SELECT o.id, o.title, g.name, o.valid_until FROM offer o JOIN organisation g ON g.id = o.org_id"
		       " WHERE o.status = 'approved' AND o.valid_until >= ? ORDER BY o.created_at DESC, o.id DESC LIMIT 100",
		       &st, &e) == 0) {
		db_bind_text(st, 1, day);
		while ((rc = db_step(st, &e)) == 1) {
			long long id = db_col_int(st, 0);
			snprintf(idbuf, sizeof(idbuf), "%lld", id);
			html_printf(&r->out, "<p class=\"check\"><input type=\"checkbox\" id=\"o-%s\" name=\"offers\" value=\"%s\"%R>"
				    " <label for=\"o-%s\">%s — %s <small>(%s %s)</small></label></p>",
				    idbuf, idbuf, has_id(c->offers, c->noffers, id) ? " checked" : "", idbuf, db_col_text(st, 1),
				    db_col_text(st, 2), L(r, "ważna do", "valid until"), db_col_text(st, 3));
			any = 1;
		}
		db_finalize(st);
	}
	if (!any)
		html_printf(&r->out, "<p class=\"hint\">%s</p>", L(r, "Brak aktualnych ofert.", "No current offers."));
	buf_puts(&r->out, "</fieldset>");
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>",
		    L(r, "Zapisz i pokaż podgląd", "Save and preview"));
	if (e.kind != KERR_NONE)
		fprintf(stderr, "klaster: newsletter items: %s\n", e.msg);
}

static void h_admin_newsletter(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	long long conf = 0, pend = 0, unsub = 0;
	char n1[32], n2[32], n3[32];
	int rc;
	if (req_deny(r, can_compose(r)))
		return;
	if (db_query_int(r->db, &conf, &e, "SELECT COUNT(*) FROM newsletter_subscriber WHERE status = 'confirmed'", NULL) < 0 ||
	    db_query_int(r->db, &pend, &e, "SELECT COUNT(*) FROM newsletter_subscriber WHERE status = 'pending'", NULL) < 0 ||
	    db_query_int(r->db, &unsub, &e, "SELECT COUNT(*) FROM newsletter_subscriber WHERE status = 'unsubscribed'", NULL) < 0)
		return req_error_kerr(r, &e);
	if (db_prepare(r->db, "SELECT c.id, c.subject, c.status, c.created_at, COALESCE(c.sent_at, 0), c.recipients,"
		       " COALESCE(k.name, ''),"
		       " (SELECT COUNT(*) FROM mail_queue m WHERE m.kind = 'newsletter:' || c.id AND m.status = 'sent'),"
		       " (SELECT COUNT(*) FROM mail_queue m WHERE m.kind = 'newsletter:' || c.id"
		       " AND m.status IN ('queued', 'sending', 'outbox')),"
		       " (SELECT COUNT(*) FROM mail_queue m WHERE m.kind = 'newsletter:' || c.id AND m.status = 'failed')"
		       " FROM newsletter_campaign c LEFT JOIN cluster k ON k.id = c.cluster_id"
		       " WHERE ? = 1 OR c.cluster_id = ? ORDER BY c.id DESC LIMIT 500", &st, &e))
		return req_error_kerr(r, &e);
	db_bind_int(st, 1, auth_is_admin(&r->user) ? 1 : 0);
	db_bind_int(st, 2, r->user.cluster_id);
	snprintf(n1, sizeof(n1), "%lld", conf);
	snprintf(n2, sizeof(n2), "%lld", pend);
	snprintf(n3, sizeof(n3), "%lld", unsub);
	page_begin(r, L(r, "Newsletter: kampanie", "Newsletter: campaigns"));
	html_printf(&r->out, "<h1>%s</h1><p>%s: <strong>%s</strong> · %s: %s · %s: %s</p>",
		    L(r, "Newsletter: kampanie", "Newsletter: campaigns"), L(r, "Potwierdzeni subskrybenci", "Confirmed subscribers"),
		    n1, L(r, "niepotwierdzeni", "unconfirmed"), n2, L(r, "wypisani", "unsubscribed"), n3);
	html_printf(&r->out, "<p><a href=\"/admin/newsletter/new\">%s</a>", L(r, "Nowa kampania", "New campaign"));
	if (auth_is_admin(&r->user))
		html_printf(&r->out, " · <a href=\"/admin/newsletter/subscribers\">%s</a>",
			    L(r, "Subskrybenci", "Subscribers"));
	buf_puts(&r->out, "</p>");
	html_printf(&r->out, "<table><thead><tr><th>#</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		    L(r, "Temat", "Subject"), L(r, "Klaster", "Cluster"), L(r, "Stan", "Status"), L(r, "Kiedy", "When"),
		    L(r, "Odbiorcy / wysłano / niewysłane (kolejka, skrzynka) / błędy",
		      "Recipients / sent / not sent yet (queue, outbox) / failed"));
	while ((rc = db_step(st, &e)) == 1) {
		char id[32], when[32], counts[96];
		int sent = strcmp(db_col_text(st, 2), "sent") == 0;
		snprintf(id, sizeof(id), "%lld", db_col_int(st, 0));
		web_time_utc(sent ? db_col_int(st, 4) : db_col_int(st, 3), when);
		if (sent)
			snprintf(counts, sizeof(counts), "%lld / %lld / %lld / %lld", db_col_int(st, 5), db_col_int(st, 7),
				 db_col_int(st, 8), db_col_int(st, 9));
		else
			counts[0] = '\0';
		html_printf(&r->out, "<tr><td>%s</td><td><a href=\"/admin/newsletter/campaign/%s\">%s</a></td><td>%s</td>"
			    "<td>%s</td><td>%s</td><td>%s</td></tr>",
			    id, id, db_col_text(st, 1), db_col_text(st, 6),
			    sent ? L(r, "wysłana", "sent") : L(r, "szkic", "draft"), when, counts);
	}
	db_finalize(st);
	buf_puts(&r->out, "</tbody></table>");
	page_end(r);
	if (rc < 0)
		req_error_kerr(r, &e);
}

static void h_campaign_new(struct req *r)
{
	struct nl_campaign c;
	if (req_deny(r, can_compose(r)))
		return;
	nl_campaign_init(&c);
	snprintf(c.lang, sizeof(c.lang), "%s", r->lang);
	page_begin(r, L(r, "Nowa kampania", "New campaign"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Nowa kampania", "New campaign"));
	compose_form(r, NULL, &c);
	page_end(r);
}

/* A positive id as a form sends it, else 0. */
static long long parse_id(const char *s)
{
	char *end;
	long long id;
	if (!s || !*s)
		return 0;
	id = strtoll(s, &end, 10);
	return *end || id <= 0 ? 0 : id;
}

/*
 * The items chosen that are not public now, a line each ("articles: #ID …"), into lines: those
 * the form offers (compose_form), published news and approved offers still valid.
 * nl_campaign_save checks them again as it saves; this lets the form name them with its other
 * problems.  0, or -1 on a database error (e).
 */
static int items_not_public(struct req *r, const struct nl_campaign *c, struct buf *lines, struct kerr *e)
{
	char day[11];
	time_t t = time(NULL);
	struct tm tm;
	size_t i;
	localtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	for (i = 0; i < c->narticles + c->noffers; i++) {
		int offer = i >= c->narticles;
		long long id = offer ? c->offers[i - c->narticles] : c->articles[i], n = 0;
		char idbuf[24];
		snprintf(idbuf, sizeof(idbuf), "%lld", id);
		if (db_query_int(r->db, &n, e, offer ? "SELECT COUNT(*) FROM offer WHERE id = CAST(? AS BIGINT) AND status = "
						     "'approved' AND valid_until >= ?"
						   : "SELECT COUNT(*) FROM article WHERE id = CAST(? AS BIGINT) AND status = "
						     "'published'", idbuf, offer ? day : NULL, NULL) < 0)
			return -1;
		if (!n)
			buf_printf(lines, "%s%s: #%lld %s", lines->len ? "\n" : "", offer ? "offers" : "articles", id,
				   offer ? "is not an approved offer that is still valid" : "is not a published news item");
	}
	return 0;
}

/*
 * Every problem of the posted form, a line each in the form's order, into lines; c is filled
 * from the form where it can be.  nl_campaign_from_form (the one rule) stops at its first
 * problem, so each field it names is given a value it takes and the form is read again, until
 * it takes the form or names a field twice.  0, or -1 on a database error (e).
 */
static int campaign_problems(struct req *r, struct nl_campaign *c, struct buf *lines, struct kerr *e)
{
	static const char *const fields[] = { "subject", "intro", "lang", "articles", "offers" };
	enum { N_FIELDS = sizeof(fields) / sizeof(fields[0]) };
	struct kerr one = KERR_INIT;
	const char *arts[FORM_MAX], *offs[FORM_MAX];
	size_t na = form_all(&r->form, "articles", arts, FORM_MAX);
	size_t no = form_all(&r->form, "offers", offs, FORM_MAX);
	const char *subject = req_form(r, "subject"), *intro = req_form(r, "intro"), *lang = req_form(r, "lang");
	unsigned seen = 0;
	while (nl_campaign_from_form(c, subject, intro, lang, arts, na, offs, no, &one)) {
		size_t k, n = strcspn(one.msg, ":");
		for (k = 0; k < N_FIELDS && !(strlen(fields[k]) == n && strncmp(one.msg, fields[k], n) == 0); k++)
			;
		if (k < N_FIELDS && (seen & 1u << k))
			break;   /* the same field again: said already */
		buf_printf(lines, "%s%s", lines->len ? "\n" : "", one.msg);
		kerr_clear(&one);
		if (k == N_FIELDS)
			break;   /* of no field a stand-in can replace */
		seen |= 1u << k;
		if (k == 0)
			subject = "x";
		else if (k == 1)
			intro = "x";
		else if (k == 2)
			lang = "pl";
		else if (k == 3)
			na = 0;
		else
			no = 0;
	}
	return items_not_public(r, c, lines, e);
}

/* Reads the posted form into c; on bad input re-renders it with 400, naming every problem. */
static int campaign_from_request(struct req *r, struct nl_campaign *c)
{
	struct kerr e = KERR_INIT;
	struct buf problems = BUF_INIT;
	const char *arts[FORM_MAX], *offs[FORM_MAX];
	size_t na = form_all(&r->form, "articles", arts, FORM_MAX);
	size_t no = form_all(&r->form, "offers", offs, FORM_MAX);
	if (campaign_problems(r, c, &problems, &e)) {
		buf_release(&problems);
		req_error_kerr(r, &e);
		return -1;
	}
	if (!problems.len)
		return 0;
	r->status = 400;
	/* keep what was typed, chosen and ticked (the form was read with stand-ins for the fields
	 * it refused); ids that do not parse, or name no item the form offers, are simply unchecked */
	free(c->subject);
	free(c->intro);
	c->subject = xstrdup(req_form(r, "subject") ? req_form(r, "subject") : "");
	c->intro = xstrdup(req_form(r, "intro") ? req_form(r, "intro") : "");
	{
		const char *lang = req_form(r, "lang");
		size_t k;
		if (lang && (strcmp(lang, "pl") == 0 || strcmp(lang, "en") == 0))
			snprintf(c->lang, sizeof(c->lang), "%s", lang);
		free(c->articles);
		free(c->offers);
		c->articles = xcalloc(na + 1, sizeof(long long));
		c->offers = xcalloc(no + 1, sizeof(long long));
		c->narticles = c->noffers = 0;
		for (k = 0; k < na; k++)
			if ((c->articles[c->narticles] = parse_id(arts[k])) > 0)
				c->narticles++;
		for (k = 0; k < no; k++)
			if ((c->offers[c->noffers] = parse_id(offs[k])) > 0)
				c->noffers++;
	}
	page_begin(r, c->id ? L(r, "Kampania", "Campaign") : L(r, "Nowa kampania", "New campaign"));
	html_printf(&r->out, "<h1>%s</h1>", c->id ? L(r, "Kampania", "Campaign") : L(r, "Nowa kampania", "New campaign"));
	compose_form(r, problems.ptr, c);
	page_end(r);
	buf_release(&problems);
	return -1;
}

static void save_and_show(struct req *r, struct nl_campaign *c)
{
	struct kerr e = KERR_INIT;
	struct nl_actor a = actor(r);
	struct buf to = BUF_INIT;
	if (nl_campaign_save(r->db, &a, c, &e)) {
		if (e.kind != KERR_INPUT)
			return req_error_kerr(r, &e);
		r->status = 400;
		page_begin(r, L(r, "Kampania", "Campaign"));
		html_printf(&r->out, "<h1>%s</h1>", L(r, "Kampania", "Campaign"));
		compose_form(r, e.msg, c);
		page_end(r);
		return;
	}
	buf_printf(&to, "/admin/newsletter/campaign/%lld?done=saved", c->id);
	req_redirect(r, to.ptr);
	buf_release(&to);
}

static void h_campaign_new_post(struct req *r)
{
	struct nl_campaign c;
	if (req_deny(r, can_compose(r)))
		return;
	nl_campaign_init(&c);
	c.cluster_id = auth_is_admin(&r->user) ? 0 : r->user.cluster_id;
	c.author_id = r->user.id;
	if (campaign_from_request(r, &c) == 0)
		save_and_show(r, &c);
	nl_campaign_release(&c);
}

/* Loads the campaign named by id for a page or an action: 1 with c
 * filled, or 0 after answering (404, 403 or 500). */
static int campaign_for(struct req *r, long long id, struct nl_campaign *c)
{
	struct kerr e = KERR_INIT;
	int rc;
	if (req_deny(r, can_compose(r)))
		return 0;
	rc = id > 0 ? nl_campaign_get(r->db, id, c, &e) : 0;
	if (rc < 0) {
		req_error_kerr(r, &e);
		return 0;
	}
	if (rc == 0) {
		req_error(r, 404, L(r, "Nie ma takiej kampanii.", "No such campaign."));
		return 0;
	}
	if (req_deny(r, can_manage(r, c)))
		return 0;
	return 1;
}

static void h_campaign_edit_post(struct req *r)
{
	struct nl_campaign c;
	nl_campaign_init(&c);
	if (campaign_for(r, parse_id(req_form(r, "campaign")), &c)) {
		if (strcmp(c.status, "draft") != 0)
			req_error(r, 409, L(r, "Ta kampania została już wysłana i nie można jej zmienić.",
					    "This campaign was already sent and cannot be changed."));
		else if (campaign_from_request(r, &c) == 0)
			save_and_show(r, &c);
	}
	nl_campaign_release(&c);
}

/* The confirmed subscribers, to whom a campaign sent now goes: 0, or -1 with e set. */
static int confirmed_count(struct req *r, long long *n, struct kerr *e)
{
	*n = 0;
	return db_query_int(r->db, n, e, "SELECT COUNT(*) FROM newsletter_subscriber WHERE status = 'confirmed'", NULL) < 0
		       ? -1 : 0;
}

/* The question "Send now" asks with JavaScript (data-confirm), into ask. */
static void send_question(struct req *r, const struct nl_campaign *c, long long n, struct buf *ask)
{
	/* the number after a colon: no agreement of Polish or English nouns with it to get wrong */
	buf_printf(ask, L(r, "Wysłać teraz kampanię „%s” do potwierdzonych subskrybentów (liczba: %lld)? Wysyłki nie można cofnąć.",
			  "Send the campaign “%s” now to the confirmed subscribers (%lld of them)? A send cannot be taken back."),
		   c->subject, n);
}

static void h_campaign(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct nl_campaign c;
	struct buf preview = BUF_INIT, unsub = BUF_INIT;
	char created[32], sent[32], idbuf[32];
	nl_campaign_init(&c);
	if (!campaign_for(r, parse_id(r->arg), &c))
		goto out;
	nl_unsub_url(&unsub, r->app->mail.base_url, "…");
	if (nl_campaign_render(r->db, &c, r->app->mail.base_url, unsub.ptr, &preview, &e)) {
		req_error_kerr(r, &e);
		goto out;
	}
	web_time_utc(c.created_at, created);
	web_time_utc(c.sent_at, sent);
	snprintf(idbuf, sizeof(idbuf), "%lld", c.id);
	page_begin(r, c.subject);
	html_printf(&r->out, "<h1>%s</h1>", c.subject);
	if (req_arg(r, "done")) {
		const char *done = req_arg(r, "done");
		struct buf m = BUF_INIT;
		if (strcmp(done, "test") == 0) {
			buf_printf(&m, L(r, "Wysłano próbną wiadomość na adres %s. Kampania pozostaje szkicem.",
					 "A test message was sent to %s. The campaign stays a draft."), r->user.email);
			if (!r->app->mail.smtp_url || !*r->app->mail.smtp_url)
				buf_puts(&m, L(r, " Portal nie ma serwera poczty: wiadomość czeka w skrzynce nadawczej "
						  "administratora (/admin/outbox).",
					       " The portal has no mail server: the message waits in the administrator's "
						  "outbox (/admin/outbox)."));
		}
		web_alert(r, "notice", strcmp(done, "sent") == 0 ? L(r, "Kampania wysłana: wiadomości czekają w kolejce poczty.",
								      "Campaign sent: the messages are in the mail queue.")
				       : m.len ? m.ptr : L(r, "Zapisano.", "Saved."));
		buf_release(&m);
	}
	html_printf(&r->out, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
		    L(r, "Stan", "Status"), strcmp(c.status, "sent") == 0 ? L(r, "wysłana", "sent") : L(r, "szkic", "draft"),
		    L(r, "Utworzona", "Created"), created);
	if (strcmp(c.status, "sent") == 0) {
		struct nl_counts n;
		char counts[160];
		if (nl_campaign_counts(r->db, c.id, &n, &e)) {
			req_error_kerr(r, &e);
			goto out;
		}
		snprintf(counts, sizeof(counts), "%lld", c.recipients);
		html_printf(&r->out, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>", L(r, "Wysłana", "Sent"), sent,
			    L(r, "Odbiorcy", "Recipients"), counts);
		snprintf(counts, sizeof(counts), "%lld / %lld / %lld / %lld", n.sent, n.waiting, n.outbox, n.failed);
		html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>",
			    L(r, "Wysłane / w kolejce / w skrzynce nadawczej (bez SMTP) / błędy",
			      "Sent / queued / in the outbox (no SMTP) / failed"), counts);
	}
	buf_puts(&r->out, "</dl>");
	html_printf(&r->out, "<h2>%s</h2><p class=\"hint\">%s</p><pre class=\"mail\">%s: %s\n\n%s</pre>",
		    L(r, "Podgląd", "Preview"),
		    L(r, "Tak zobaczą ją subskrybenci (zwykły tekst). Link do wypisania jest w każdej wiadomości osobny; "
			 "pozycje wycofane lub nieaktualne w chwili wysyłki są pomijane.",
		      "This is what subscribers will see (plain text). Each message has its own unsubscribe link; "
			 "items withdrawn or expired when it is sent are left out."),
		    L(r, "Temat", "Subject"), c.subject, preview.ptr);
	if (strcmp(c.status, "draft") == 0) {
		long long conf = 0;
		char nconf[32];
		struct buf ask = BUF_INIT;
		if (confirmed_count(r, &conf, &e)) {
			req_error_kerr(r, &e);
			goto out;
		}
		snprintf(nconf, sizeof(nconf), "%lld", conf);
		send_question(r, &c, conf, &ask);
		html_printf(&r->out, "<h2>%s</h2>", L(r, "Wysyłka", "Send"));
		if (conf > 0) {
			form_open(r, "/admin/newsletter/send", "stack");
			html_printf(&r->out, "<input type=\"hidden\" name=\"campaign\" value=\"%s\"><p>%s: <strong>%s</strong></p>"
				    "<p><button type=\"submit\" data-confirm=\"%s\">%s</button></p></form>",
				    idbuf, L(r, "Potwierdzeni subskrybenci, do których trafi", "Confirmed subscribers it goes to"),
				    nconf, ask.ptr, L(r, "Wyślij teraz", "Send now"));
		} else {
			/* nobody to send to: said, and no button that would only be refused */
			html_printf(&r->out, "<p class=\"notice send-none\">%s</p>",
				    L(r, "Nikt jeszcze nie potwierdził zapisu na newsletter, więc kampanii nie ma do kogo wysłać; "
					 "pozostaje szkicem.",
				      "No subscriber has confirmed yet, so there is no one to send the campaign to; it stays a "
				      "draft."));
		}
		buf_release(&ask);
		/* a test first, to the sender's own address only (the portal relays to no one else) */
		form_open(r, "/admin/newsletter/test", "stack");
		html_printf(&r->out, "<input type=\"hidden\" name=\"campaign\" value=\"%s\"><p>%s <strong>%s</strong></p>"
			    "<p><button type=\"submit\">%s</button></p></form>",
			    idbuf, L(r, "Wiadomość próbna trafi na adres Twojego konta:", "A test message goes to your account's address:"),
			    r->user.email, L(r, "Wyślij próbną wiadomość", "Send a test message"));
		html_printf(&r->out, "<h2>%s</h2>", L(r, "Edycja", "Edit"));
		compose_form(r, NULL, &c);
	}
	html_printf(&r->out, "<p><a href=\"/admin/newsletter\">%s</a></p>", L(r, "Wszystkie kampanie", "All campaigns"));
	page_end(r);
out:
	buf_release(&preview);
	buf_release(&unsub);
	nl_campaign_release(&c);
}

/* After a send or a test: back to the campaign's page saying what was done; a
 * conflict (the campaign is sent already) is 409 with conflict as the message. */
static void campaign_done(struct req *r, long long id, const char *done, int rc, struct kerr *e, const char *conflict)
{
	struct buf to = BUF_INIT;
	if (rc) {
		if (e->kind == KERR_CONFLICT)
			req_error(r, 409, conflict);
		else
			req_error_kerr(r, e);
		return;
	}
	buf_printf(&to, "/admin/newsletter/campaign/%lld?done=%s", id, done);
	req_redirect(r, to.ptr);
	buf_release(&to);
}

/* The page that asks before a campaign goes out (web_confirm_page): how many
 * it reaches, in which language, and that it cannot be taken back. */
static void send_confirm(struct req *r, const struct nl_campaign *c)
{
	static const char *const keep[] = { "campaign", NULL };
	struct kerr e = KERR_INIT;
	struct buf what = BUF_INIT, back = BUF_INIT;
	long long n = 0;
	if (strcmp(c->status, "draft") != 0)
		return req_error(r, 409, L(r, "Ta kampania została już wysłana; drugi raz jej nie wyślemy.",
					   "This campaign was already sent; it is not sent twice."));
	if (confirmed_count(r, &n, &e))
		return req_error_kerr(r, &e);
	if (!n)
		return req_error(r, 400, "campaign: no subscriber has confirmed yet, so no one would get it; the campaign "
					 "stays a draft");
	buf_printf(&what, L(r, "Kampania „%s” trafi teraz do potwierdzonych subskrybentów (liczba: %lld) — każdy dostanie "
			       "e-mail od razu. Wysyłki nie można cofnąć ani powtórzyć; wiadomość próbną możesz najpierw wysłać do siebie.",
			    "The campaign “%s” goes now to the confirmed subscribers (%lld of them) — each gets an e-mail at "
			       "once. A send cannot be taken back or repeated; you may send yourself a test message first."),
		   c->subject, n);
	buf_printf(&back, "/admin/newsletter/campaign/%lld", c->id);
	web_confirm_page(r, L(r, "Wysłać kampanię teraz?", "Send the campaign now?"), what.ptr, "/admin/newsletter/send",
			 keep, L(r, "Wyślij teraz", "Send now"), back.ptr);
	buf_release(&what);
	buf_release(&back);
}

static void h_campaign_send(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct nl_actor a = actor(r);
	struct nl_campaign c;
	long long n = 0;
	nl_campaign_init(&c);
	if (!campaign_for(r, parse_id(req_form(r, "campaign")), &c))
		goto out;
	if (!web_confirmed(r)) {
		send_confirm(r, &c);
		goto out;
	}
	campaign_done(r, c.id, "sent", nl_campaign_send(r->db, &a, c.id, &n, &e), &e,
		      L(r, "Ta kampania została już wysłana; drugi raz jej nie wyślemy.",
			"This campaign was already sent; it is not sent twice."));
out:
	nl_campaign_release(&c);
}

/* A draft's test message to the sender's own address; 20 an hour per account. */
static void h_campaign_test(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct nl_actor a = actor(r);
	struct nl_campaign c;
	struct buf key = BUF_INIT;
	int over;
	nl_campaign_init(&c);
	if (!campaign_for(r, parse_id(req_form(r, "campaign")), &c))
		goto out;
	buf_printf(&key, "newsletter-test:%lld", r->user.id);
	over = req_rate_limited(r, key.ptr, 20, NULL, 0, 3600,
				L(r, "Zbyt wiele wiadomości próbnych. Spróbuj ponownie za godzinę.",
				  "Too many test messages. Try again in an hour."));
	if (over)
		goto out;
	campaign_done(r, c.id, "test", nl_campaign_test(r->db, &a, c.id, r->user.email, &e), &e,
		      L(r, "Ta kampania została już wysłana; próba jest dla szkicu.",
			"This campaign was already sent; a test is for a draft."));
out:
	buf_release(&key);
	nl_campaign_release(&c);
}

/* ---- subscribers (administrators) ---- */

static void h_subscribers(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	const char *status = req_arg(r, "status");
	int rc;
	if (req_deny(r, r->logged_in && auth_is_admin(&r->user)))
		return;
	if (status && !*status)
		status = NULL;
	if (status && strcmp(status, "pending") != 0 && strcmp(status, "confirmed") != 0 &&
	    strcmp(status, "unsubscribed") != 0)
		return req_error(r, 400, L(r, "Stan (status): „potwierdzony”, „oczekujący” albo „wypisany”",
					   "Status (status): confirmed, pending or unsubscribed"));
	if (db_prepare(r->db, "SELECT email, status, lang, consent_version, requested_at, COALESCE(request_ip, ''),"
		       " COALESCE(confirmed_at, 0), COALESCE(confirm_ip, ''), COALESCE(unsubscribed_at, 0),"
		       " COALESCE(unsubscribe_ip, ''), COALESCE(unsubscribe_how, '') FROM newsletter_subscriber"
		       " WHERE ? = '' OR status = ? ORDER BY id DESC LIMIT 1000", &st, &e))
		return req_error_kerr(r, &e);
	db_bind_text(st, 1, status ? status : "");
	db_bind_text(st, 2, status ? status : "");
	page_begin(r, L(r, "Newsletter: subskrybenci", "Newsletter: subscribers"));
	html_printf(&r->out, "<h1>%s</h1><p><a href=\"/admin/newsletter/subscribers.csv\">%s</a> · %s: "
		    "<a href=\"/admin/newsletter/subscribers\">%s</a> <a href=\"?status=confirmed\">%s</a> "
		    "<a href=\"?status=pending\">%s</a> <a href=\"?status=unsubscribed\">%s</a></p>",
		    L(r, "Newsletter: subskrybenci", "Newsletter: subscribers"), L(r, "Pobierz CSV", "Download CSV"),
		    L(r, "Pokaż", "Show"), L(r, "wszystkich", "all"), L(r, "potwierdzonych", "confirmed"),
		    L(r, "niepotwierdzonych", "unconfirmed"), L(r, "wypisanych", "unsubscribed"));
	html_printf(&r->out, "<table><thead><tr><th>E-mail</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
		    "</thead><tbody>",
		    L(r, "Stan", "Status"), L(r, "Zgoda (wersja, język)", "Consent (version, language)"),
		    L(r, "Zapis: czas, IP", "Requested: time, IP"), L(r, "Potwierdzenie: czas, IP", "Confirmed: time, IP"),
		    L(r, "Wypisanie: czas, IP, sposób", "Unsubscribed: time, IP, how"));
	while ((rc = db_step(st, &e)) == 1) {
		char t1[32], t2[32], t3[32];
		web_time_utc(db_col_int(st, 4), t1);
		web_time_utc(db_col_int(st, 6), t2);
		web_time_utc(db_col_int(st, 8), t3);
		html_printf(&r->out, "<tr><td>%s</td><td>%s</td><td>%s %s</td><td>%s %s</td><td>%s %s</td><td>%s %s %s</td></tr>",
			    db_col_text(st, 0), state_label(db_col_text(st, 1), r->lang), db_col_text(st, 3), db_col_text(st, 2),
			    t1, db_col_text(st, 5), t2, db_col_text(st, 7), t3, db_col_text(st, 9),
			    state_label(db_col_text(st, 10), r->lang));
	}
	db_finalize(st);
	buf_puts(&r->out, "</tbody></table>");
	html_printf(&r->out, "<p class=\"hint\">%s</p>",
		    L(r, "Najnowsze 1000; plik CSV zawiera wszystkich.", "The newest 1000; the CSV file has them all."));
	page_end(r);
	if (rc < 0)
		req_error_kerr(r, &e);
}

static void h_subscribers_csv(struct req *r)
{
	struct kerr e = KERR_INIT;
	if (req_deny(r, r->logged_in && auth_is_admin(&r->user)))
		return;
	if (nl_subscribers_csv(r->db, &r->out, &e)) {
		buf_reset(&r->out);
		return req_error_kerr(r, &e);
	}
	/* personal data leaves the portal: the export is recorded */
	if (auth_audit(r->db, r->user.id, r->ip, "newsletter-export", "newsletter_subscriber", 0, NULL, &e)) {
		buf_reset(&r->out);
		return req_error_kerr(r, &e);
	}
	r->ctype = "text/csv; charset=utf-8";
	req_header_add(r, "Content-Disposition", "attachment; filename=\"newsletter-subscribers.csv\"");
}

const struct route newsletter_routes[] = {
	{ "GET", "/newsletter", h_subscribe, R_DB },
	{ "POST", "/newsletter", h_subscribe_post, R_DB | R_FORM },
	{ "GET", "/newsletter/confirm", h_confirm, R_DB },
	{ "POST", "/newsletter/confirm", h_confirm_post, R_DB | R_FORM },
	{ "GET", "/newsletter/unsubscribe", h_unsubscribe, R_DB },
	/* RFC 8058 one-click: no R_FORM on purpose (see h_unsubscribe_post) */
	{ "POST", "/newsletter/unsubscribe", h_unsubscribe_post, R_DB },
	{ "GET", "/admin/newsletter", h_admin_newsletter, R_DB | R_LOGIN },
	{ "GET", "/admin/newsletter/new", h_campaign_new, R_DB | R_LOGIN },
	{ "POST", "/admin/newsletter/new", h_campaign_new_post, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/newsletter/edit", h_campaign_edit_post, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/newsletter/send", h_campaign_send, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/newsletter/test", h_campaign_test, R_DB | R_FORM | R_LOGIN },
	{ "GET", "/admin/newsletter/campaign/", h_campaign, R_DB | R_LOGIN | R_PREFIX },
	{ "GET", "/admin/newsletter/subscribers", h_subscribers, R_DB | R_LOGIN },
	{ "GET", "/admin/newsletter/subscribers.csv", h_subscribers_csv, R_DB | R_LOGIN },
	{ NULL, NULL, NULL, 0 }
};
