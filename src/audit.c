/* audit.c — reading the audit log by filters and pages (see audit.h). */
#include "audit.h"

#include "tablew.h"

#include <time.h>

#include "valid.h"

const char *const audit_columns[AUDIT_NCOLS + 1] = {
	"time_utc", "user_id", "user_email", "ip", "action", "object_type", "object_id", "detail", NULL
};

/* Days from 1970-01-01 to the proleptic Gregorian y-m-d (H. Hinnant's
 * days_from_civil): timegm is not in C11 or POSIX. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* A trimmed one-line text of at most AUDIT_TEXT_MAX bytes into out. */
static int filter_text(const char *in, const char *field, char out[AUDIT_TEXT_MAX + 1], struct kerr *e)
{
	size_t n;
	const char *c;
	if (!in)
		in = "";
	while (*in == ' ' || *in == '\t')
		in++;
	n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n > AUDIT_TEXT_MAX)
		return kerr_set(e, KERR_INPUT, "%s: at most %d characters", field, AUDIT_TEXT_MAX);
	for (c = in; c < in + n; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return kerr_set(e, KERR_INPUT, "%s: must be one line of text", field);
	memcpy(out, in, n);
	out[n] = '\0';
	return 0;
}

/* A day YYYY-MM-DD into out and *at (its first second, UTC); "" leaves *at 0. */
static int filter_day(const char *in, const char *field, char out[11], long long *at, struct kerr *e)
{
	char t[AUDIT_TEXT_MAX + 1];
	struct buf why = BUF_INIT;
	if (filter_text(in, field, t, e))
		return -1;
	*at = 0;
	out[0] = '\0';
	if (!*t)
		return 0;
	if (strlen(t) != 10 || valid_date(t, &why)) {
		kerr_set(e, KERR_INPUT, "%s: %s", field, why.len ? why.ptr : "required, a date YYYY-MM-DD");
		buf_release(&why);
		return -1;
	}
	buf_release(&why);
	memcpy(out, t, 11);
	*at = days_from_civil(strtoll(t, NULL, 10), (unsigned)strtol(t + 5, NULL, 10), (unsigned)strtol(t + 8, NULL, 10)) *
	      86400;
	return 0;
}

int audit_filter_parse(struct audit_filter *f, const char *action, const char *user, const char *object_type,
		       const char *object_id, const char *from, const char *to, struct kerr *e)
{
	char id[AUDIT_TEXT_MAX + 1];
	size_t i;
	memset(f, 0, sizeof(*f));
	if (filter_text(action, "action", f->action, e) || filter_text(user, "user", f->user, e) ||
	    filter_text(object_type, "object", f->object_type, e) || filter_text(object_id, "object_id", id, e) ||
	    filter_day(from, "from", f->from, &f->at_from, e) || filter_day(to, "to", f->to, &f->at_to, e))
		return -1;
	/* addresses are stored in lower case (auth_email_norm) */
	for (i = 0; f->user[i]; i++)
		if (f->user[i] >= 'A' && f->user[i] <= 'Z')
			f->user[i] = (char)(f->user[i] - 'A' + 'a');
	if (f->user[0] == '#' && (strlen(f->user) < 2 || strlen(f->user) > 19 ||
				  strspn(f->user + 1, "0123456789") != strlen(f->user) - 1))
		return kerr_set(e, KERR_INPUT, "user: #ID is the number of an account, as in #12");
	if (*id) {
		if (strlen(id) > 18 || strspn(id, "0123456789") != strlen(id) || (f->object_id = strtoll(id, NULL, 10)) < 1)
			return kerr_set(e, KERR_INPUT, "object_id: must be a whole number from 1 to 999999999999999999");
		if (!*f->object_type)
			return kerr_set(e, KERR_INPUT, "object: choose the kind of object the number is of");
	}
	if (f->at_from && f->at_to && f->at_from > f->at_to)
		return kerr_set(e, KERR_INPUT, "to: must not be before from (%s)", f->from);
	if (f->at_to)
		f->at_to += 86400;   /* the whole day */
	return 0;
}

int audit_filter_any(const struct audit_filter *f)
{
	return f->action[0] || f->user[0] || f->object_type[0] || f->object_id || f->from[0] || f->to[0];
}

/* The FROM and WHERE of f, and its binds in order. */
struct where {
	struct buf sql;
	int n;
	const char *text[8];
	long long num[8];
	int is_num[8];
	struct buf like;
};

static void where_text(struct where *w, const char *cond, const char *v)
{
	buf_printf(&w->sql, " AND %s", cond);
	w->text[w->n] = v;
	w->is_num[w->n++] = 0;
}

static void where_num(struct where *w, const char *cond, long long v)
{
	buf_printf(&w->sql, " AND %s", cond);
	w->num[w->n] = v;
	w->is_num[w->n++] = 1;
}

static void where_build(struct where *w, const struct audit_filter *f)
{
	const char *c;
	buf_puts(&w->sql, " FROM audit_log a LEFT JOIN app_user u ON u.id = a.user_id WHERE 1 = 1");
	if (f->action[0])
		where_text(w, "a.action = ?", f->action);
	if (f->user[0] == '#') {
		where_num(w, "a.user_id = ?", strtoll(f->user + 1, NULL, 10));
	} else if (f->user[0]) {
		/* a text the address holds: LIKE with its own wildcards escaped */
		buf_putc(&w->like, '%');
		for (c = f->user; *c; c++) {   /* in lower case, as addresses are stored: alike on both backends */
			if (*c == '%' || *c == '_' || *c == '!')
				buf_putc(&w->like, '!');
			buf_putc(&w->like, (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c));
		}
		buf_putc(&w->like, '%');
		where_text(w, "u.email LIKE ? ESCAPE '!'", w->like.ptr);
	}
	if (f->object_type[0])
		where_text(w, "a.object_type = ?", f->object_type);
	if (f->object_id)
		where_num(w, "a.object_id = ?", f->object_id);
	if (f->at_from)
		where_num(w, "a.at >= ?", f->at_from);
	if (f->at_to)
		where_num(w, "a.at < ?", f->at_to);
}

static void where_bind(struct where *w, struct db_stmt *st)
{
	int i;
	for (i = 0; i < w->n; i++) {
		if (w->is_num[i])
			db_bind_int(st, i + 1, w->num[i]);
		else
			db_bind_text(st, i + 1, w->text[i]);
	}
}

int audit_list(struct db *db, const struct audit_filter *f, long long offset, long limit, long long *total,
	       int (*each)(void *ctx, const struct audit_entry *a), void *ctx, struct kerr *e)
{
	struct where w = { BUF_INIT, 0, { NULL }, { 0 }, { 0 }, BUF_INIT };
	struct buf sql = BUF_INIT;
	struct db_stmt *st = NULL;
	int rc = -1;

	where_build(&w, f);
	if (total) {
		buf_printf(&sql, "SELECT COUNT(*)%s", w.sql.ptr);
		if (db_prepare(db, sql.ptr, &st, e))
			goto cleanup;
		where_bind(&w, st);
		rc = db_step(st, e);
		*total = rc == 1 ? db_col_int(st, 0) : 0;
		db_finalize(st);
		if (rc < 0)
			goto cleanup;
		rc = -1;
	}
	buf_reset(&sql);
	buf_printf(&sql, "SELECT a.id, a.at, COALESCE(a.user_id, 0), COALESCE(u.email, ''), COALESCE(a.ip, ''), a.action,"
		   " COALESCE(a.object_type, ''), COALESCE(a.object_id, 0), COALESCE(a.detail, '')%s ORDER BY a.id DESC",
		   w.sql.ptr);
	/* no limit is a limit no log reaches (LIMIT -1 is SQLite's, LIMIT ALL PostgreSQL's) */
	buf_printf(&sql, " LIMIT %lld OFFSET %lld", limit > 0 ? (long long)limit : 4000000000000000000LL,
		   offset > 0 ? offset : 0);
	if (db_prepare(db, sql.ptr, &st, e))
		goto cleanup;
	where_bind(&w, st);
	while ((rc = db_step(st, e)) == 1) {
		struct audit_entry a;
		a.id = db_col_int(st, 0);
		a.at = db_col_int(st, 1);
		a.user_id = db_col_int(st, 2);
		a.email = db_col_text(st, 3);
		a.ip = db_col_text(st, 4);
		a.action = db_col_text(st, 5);
		a.object_type = db_col_text(st, 6);
		a.object_id = db_col_int(st, 7);
		a.detail = db_col_text(st, 8);
		if (each(ctx, &a)) {
			rc = 0;
			break;
		}
	}
	db_finalize(st);
	rc = rc < 0 ? -1 : 0;
cleanup:
	buf_release(&sql);
	buf_release(&w.sql);
	buf_release(&w.like);
	return rc;
}

int audit_values(struct db *db, enum audit_values_of which, int (*each)(void *ctx, const char *v), void *ctx,
		 struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, which == AUDIT_ACTIONS ? "SELECT DISTINCT action FROM audit_log ORDER BY action"
						  : "SELECT DISTINCT object_type FROM audit_log WHERE object_type IS NOT NULL"
						    " AND object_type <> '' ORDER BY object_type",
		       &st, e))
		return -1;
	while ((rc = db_step(st, e)) == 1)
		if (each(ctx, db_col_text(st, 0))) {
			rc = 0;
			break;
		}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

void audit_time(long long at, char out[20])
{
	time_t t = (time_t)at;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(out, 20, "%lld", at);
}

void audit_entry_values(const struct audit_entry *a, const char *v[AUDIT_NCOLS], char when[20], char user_id[24],
			char object_id[24])
{
	audit_time(a->at, when);
	snprintf(user_id, 24, "%lld", a->user_id);
	snprintf(object_id, 24, "%lld", a->object_id);
	v[0] = when;
	v[1] = a->user_id ? user_id : "";
	v[2] = a->email;
	v[3] = a->ip;
	v[4] = a->action;
	v[5] = a->object_type;
	v[6] = a->object_id ? object_id : "";
	v[7] = a->detail;
}

int audit_table_row(void *ctx, const struct audit_entry *a)
{
	struct tablew *t = ctx;
	const char *v[AUDIT_NCOLS];
	char when[20], uid[24], oid[24];
	size_t i;
	audit_entry_values(a, v, when, uid, oid);
	for (i = 0; i < AUDIT_NCOLS; i++)
		tablew_text(t, v[i]);
	tablew_end_row(t);
	return 0;
}

/* ---- labels: what the log's codes mean to a person ---- */

struct audit_label {
	const char *code, *pl, *en;
};

/* Every action auth_audit is given in src/ (tests/http/test_audit_labels.py
 * finds them there and fails for one without its label here). */
static const struct audit_label action_labels[] = {
	{ "account-delete", "Usunięcie własnego konta", "Account deleted by its owner" },
	{ "cluster-update", "Zmiana danych klastra", "Cluster edited" },
	{ "comment-add", "Nowy komentarz", "Comment added" },
	{ "comment-moderate", "Moderacja komentarza", "Comment moderated" },
	{ "comment-spam", "Komentarz odłożony jako spam", "Comment held as spam" },
	{ "confirm", "Potwierdzenie adresu e-mail", "E-mail address confirmed" },
	{ "dataset-delete", "Usunięcie zbioru danych mapy klastrów", "Cluster map dataset deleted" },
	{ "dataset-upload", "Wgranie zbioru danych mapy klastrów", "Cluster map dataset uploaded" },
	{ "firm-list-delete", "Usunięcie listy firm mapy klastrów", "Cluster map firm list deleted" },
	{ "firm-list-upload", "Wgranie listy firm mapy klastrów", "Cluster map firm list uploaded" },
	{ "login", "Logowanie", "Logged in" },
	{ "login-failed", "Nieudane logowanie", "Failed login" },
	{ "logout", "Wylogowanie", "Logged out" },
	{ "membership-add", "Przyjęcie do klastra", "Admitted to a cluster" },
	{ "membership-end", "Koniec członkostwa w klastrze", "Cluster membership ended" },
	{ "membership-request", "Prośba o przyjęcie do klastra", "Request to join a cluster" },
	{ "membership-request-accept", "Prośba o przyjęcie: przyjęta", "Request to join: accepted" },
	{ "membership-request-decline", "Prośba o przyjęcie: odrzucona", "Request to join: declined" },
	{ "news-create", "Nowy artykuł", "Article created" },
	{ "news-delete", "Usunięcie artykułu", "Article deleted" },
	{ "news-edit", "Zmiana artykułu", "Article edited" },
	{ "news-import", "Import artykułu", "Article imported" },
	{ "news-publish", "Publikacja artykułu", "Article published" },
	{ "news-unpublish", "Wycofanie publikacji artykułu", "Article unpublished" },
	{ "newsletter-campaign-create", "Nowe wydanie newslettera", "Newsletter issue created" },
	{ "newsletter-campaign-edit", "Zmiana wydania newslettera", "Newsletter issue edited" },
	{ "newsletter-confirm", "Potwierdzenie zapisu do newslettera", "Newsletter subscription confirmed" },
	{ "newsletter-confirm-noop", "Ponowne potwierdzenie zapisu (bez zmian)", "Newsletter confirmation repeated (no change)" },
	{ "newsletter-export", "Eksport listy subskrybentów", "Subscriber list exported" },
	{ "newsletter-send", "Wysyłka newslettera", "Newsletter sent" },
	{ "newsletter-subscribe", "Zapis do newslettera", "Newsletter sign-up" },
	{ "newsletter-test", "Próbna wysyłka newslettera", "Newsletter test sent" },
	{ "newsletter-unsubscribe", "Wypisanie z newslettera", "Unsubscribed from the newsletter" },
	{ "offer-approve", "Zatwierdzenie oferty", "Offer approved" },
	{ "offer-create", "Nowa oferta", "Offer created" },
	{ "offer-import", "Import ofert", "Offers imported" },
	{ "offer-interest", "Zainteresowanie ofertą", "Interest in an offer" },
	{ "offer-reject", "Odrzucenie oferty", "Offer rejected" },
	{ "offer-reply", "Odpowiedź w sprawie oferty", "Reply about an offer" },
	{ "offer-update", "Zmiana oferty", "Offer edited" },
	{ "offer-withdraw", "Wycofanie oferty", "Offer withdrawn" },
	{ "org-create", "Dodanie organizacji", "Organisation added" },
	{ "org-proposal-approve", "Zatwierdzenie zgłoszenia organizacji", "Organisation proposal approved" },
	{ "org-proposal-reject", "Odrzucenie zgłoszenia organizacji", "Organisation proposal rejected" },
	{ "org-proposal-update", "Zmiana zgłoszenia organizacji przez zgłaszającego", "Organisation proposal changed by its proposer" },
	{ "org-proposal-withdraw", "Wycofanie zgłoszenia organizacji", "Organisation proposal withdrawn" },
	{ "org-propose", "Zgłoszenie organizacji", "Organisation proposed" },
	{ "org-update", "Zmiana danych organizacji", "Organisation edited" },
	{ "outbox-view", "Odczyt wiadomości ze skrzynki nadawczej", "Outbox message read" },
	{ "password-change", "Zmiana hasła", "Password changed" },
	{ "password-reset", "Nowe hasło z linku w wiadomości", "Password set from an e-mailed link" },
	{ "password-reset-requested", "Prośba o link do zmiany hasła", "Password link requested" },
	{ "profile", "Zmiana profilu", "Profile edited" },
	{ "register", "Rejestracja", "Registration" },
	{ "register-again", "Ponowna rejestracja niepotwierdzonego adresu", "Registration repeated (address not confirmed)" },
	{ "role", "Zmiana roli", "Role changed" },
	{ "service-approve", "Zatwierdzenie usługi", "Service approved" },
	{ "service-create", "Nowa usługa", "Service created" },
	{ "service-import", "Import usług", "Services imported" },
	{ "service-interest", "Zainteresowanie usługą", "Interest in a service" },
	{ "service-reject", "Odrzucenie usługi", "Service rejected" },
	{ "service-update", "Zmiana usługi", "Service edited" },
	{ "service-withdraw", "Wycofanie usługi", "Service withdrawn" },
	{ "sessions-end", "Wylogowanie pozostałych sesji", "Other sessions logged out" },
	{ "token-add", "Nowy token API", "API token created" },
	{ "user-add", "Dodanie konta (wiersz poleceń)", "Account added (command line)" },
	{ "user-block", "Zablokowanie konta", "Account blocked" },
	{ "user-role", "Nadanie roli", "Role given" },
	{ "user-unblock", "Odblokowanie konta", "Account unblocked" },
	{ NULL, NULL, NULL },
};

/* Every object_type auth_audit is given in src/. */
static const struct audit_label object_labels[] = {
	{ "article", "Artykuł", "Article" },
	{ "cluster", "Klaster", "Cluster" },
	{ "comment", "Komentarz", "Comment" },
	{ "dataset", "Zbiór danych", "Dataset" },
	{ "firm_list", "Lista firm", "Firm list" },
	{ "mail", "Wiadomość e-mail", "E-mail message" },
	{ "membership_request", "Prośba o przyjęcie", "Request to join" },
	{ "newsletter_campaign", "Wydanie newslettera", "Newsletter issue" },
	{ "newsletter_subscriber", "Subskrybent newslettera", "Newsletter subscriber" },
	{ "offer", "Oferta", "Offer" },
	{ "org_proposal", "Zgłoszenie organizacji", "Organisation proposal" },
	{ "organisation", "Organizacja", "Organisation" },
	{ "service", "Usługa", "Service" },
	{ "user", "Konto", "Account" },
	{ NULL, NULL, NULL },
};

/* The codes the details hold: decisions, states, ways of unsubscribing. */
static const struct audit_label state_labels[] = {
	{ "approved", "zatwierdzony", "approved" },
	{ "rejected", "odrzucony", "rejected" },
	{ "spam", "spam", "spam" },
	{ "confirmed", "potwierdzony", "confirmed" },
	{ "pending", "niepotwierdzony", "not confirmed" },
	{ "unsubscribed", "wypisany", "unsubscribed" },
	{ "one-click", "jednym kliknięciem", "in one click" },
	{ "page", "na stronie", "on the page" },
	{ "queued", "w kolejce", "queued" },
	{ "sending", "wysyłana", "sending" },
	{ "sent", "wysłana", "sent" },
	{ "outbox", "w skrzynce, bez SMTP", "in the outbox, no SMTP" },
	{ "failed", "nieudana", "failed" },
	{ NULL, NULL, NULL },
};

/* The kinds of mail (mail_enqueue's kind; "newsletter:12" is issue #12). */
static const struct audit_label mail_labels[] = {
	{ "blocked-notice", "zawiadomienie o blokadzie konta", "notice of a blocked account" },
	{ "confirm", "link potwierdzający adres", "address confirmation link" },
	{ "membership-request-accepted", "przyjęcie do klastra", "request to join accepted" },
	{ "membership-request-declined", "odmowa przyjęcia do klastra", "request to join declined" },
	{ "newsletter", "wydanie newslettera", "newsletter issue" },
	{ "newsletter-already", "zapis do newslettera już potwierdzony", "newsletter subscription already confirmed" },
	{ "newsletter-confirm", "potwierdzenie zapisu do newslettera", "newsletter subscription confirmation" },
	{ "newsletter-test", "próbne wydanie newslettera", "newsletter test issue" },
	{ "offer-interest", "zainteresowanie ofertą lub usługą", "interest in an offer or service" },
	{ "offer-reply", "odpowiedź w sprawie oferty lub usługi", "reply about an offer or service" },
	{ "org-proposal-approved", "zgłoszenie organizacji zatwierdzone", "organisation proposal approved" },
	{ "org-proposal-rejected", "zgłoszenie organizacji odrzucone", "organisation proposal rejected" },
	{ "register-exists", "ponowna rejestracja adresu", "registration of a known address" },
	{ "reset", "link do ustawienia hasła", "password link" },
	{ NULL, NULL, NULL },
};

/* The organisation's columns an org-update entry names (web_moderation.c's form labels). */
static const struct audit_label column_labels[] = {
	{ "name", "Nazwa", "Name" },
	{ "type", "Rodzaj organizacji", "Kind of organisation" },
	{ "size_class", "Wielkość", "Size" },
	{ "nip", "NIP", "NIP" },
	{ "regon", "REGON", "REGON" },
	{ "krs", "KRS", "KRS" },
	{ "pkd", "Kody PKD", "PKD codes" },
	{ "pkd_version", "Wersja PKD", "PKD version" },
	{ "street", "Ulica i numer", "Street and number" },
	{ "postal_code", "Kod pocztowy", "Postal code" },
	{ "city", "Miejscowość", "Town" },
	{ "teryt", "Kod TERYT", "TERYT code" },
	{ "lat", "Szerokość geograficzna", "Latitude" },
	{ "lon", "Długość geograficzna", "Longitude" },
	{ "website", "Strona WWW", "Website" },
	{ "email", "E-mail organizacji", "The organisation's e-mail" },
	{ "phone", "Telefon", "Phone" },
	{ "description_pl", "Opis po polsku", "Description in Polish" },
	{ "description_en", "Opis po angielsku", "Description in English" },
	{ "demo", "Dane pokazowe", "Demo data" },
	{ NULL, NULL, NULL },
};

static int is_en(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

static const struct audit_label *label_find(const struct audit_label *t, const char *code, size_t len)
{
	for (; t->code; t++)
		if (strlen(t->code) == len && strncmp(t->code, code, len) == 0)
			return t;
	return NULL;
}

static const char *label_of(const struct audit_label *t, const char *code, const char *lang)
{
	const struct audit_label *l = code ? label_find(t, code, strlen(code)) : NULL;
	return !l ? NULL : is_en(lang) ? l->en : l->pl;
}

const char *audit_action_label(const char *code, const char *lang)
{
	return label_of(action_labels, code, lang);
}

const char *audit_object_label(const char *code, const char *lang)
{
	return label_of(object_labels, code, lang);
}

/* The sentences (and codes) the portal writes as details, as patterns:
 * "%d" one or more digits, "%s" one or more characters (as few as the rest
 * allows), anything else itself.  pl and en say it again, "%1".."%3" the
 * pieces as they are, "%S1" a state code's label, "%K1" a mail kind's; en
 * NULL: the detail as stored. */
static const struct audit_detail {
	const char *action, *pattern, *pl, *en;
} detail_texts[] = {
	{ "user-role", "editor of organisation #%d, which the account proposed", "redaktor organizacji #%1, którą konto zgłosiło",
	  NULL },
	{ "membership-add", "cluster #%d, joined", "klaster #%1: przyjęcie", NULL },
	{ "membership-end", "cluster #%d, left on %s", "klaster #%1: wystąpienie z dniem %2", NULL },
	{ "org-proposal-approve", "organisation #%d, member of cluster #%d", "organizacja #%1, członek klastra #%2", NULL },
	{ "org-proposal-approve", "organisation #%d", "organizacja #%1", NULL },
	{ "org-create", "from proposal #%d", "ze zgłoszenia #%1", NULL },
	{ "org-create", "API", "przez API", "through the API" },
	{ "org-update", "API", "przez API", "through the API" },
	{ "cluster-update", "web", "na stronie", "on the page" },
	{ "membership-request", "organisation #%d asks to join cluster #%d", "organizacja #%1 prosi o przyjęcie do klastra #%2",
	  NULL },
	{ "membership-request-accept", "organisation #%d joins cluster #%d", "organizacja #%1 wchodzi do klastra #%2", NULL },
	{ "newsletter-subscribe", "new; consent %s", "nowy zapis; zgoda w wersji %1", NULL },
	{ "newsletter-subscribe", "pending again; consent %s", "zapis ponowiony, niepotwierdzony; zgoda w wersji %1", NULL },
	{ "newsletter-subscribe", "already confirmed; consent %s", "zapis już potwierdzony; zgoda w wersji %1", NULL },
	{ "newsletter-confirm", "%s", "zgoda w wersji %1", "consent %1" },
	{ "newsletter-confirm-noop", "%s", "%S1", "%S1" },
	{ "newsletter-unsubscribe", "%s", "%S1", "%S1" },
	{ "newsletter-send", "%d recipients", "odbiorców: %1", NULL },
	{ "offer-import", "%s: %d rows", "%1: wierszy: %2", NULL },
	{ "service-import", "%s: %d rows", "%1: wierszy: %2", NULL },
	{ "offer-update", "by an administrator", "przez administratora", NULL },
	{ "offer-update", "back to moderation", "z powrotem do moderacji", NULL },
	{ "service-update", "by an administrator", "przez administratora", NULL },
	{ "service-update", "back to moderation", "z powrotem do moderacji", NULL },
	{ "comment-moderate", "%s", "%S1", "%S1" },
	{ "outbox-view", "%s to %s (%s)", "%K1 do %2 (%S3)", "%K1 to %2 (%S3)" },
};

struct piece {
	const char *at;
	size_t len;
};

/* 1 when the whole of s matches pattern p (see detail_texts), its % pieces from cap[n] on. */
static int pattern_match(const char *p, const char *s, struct piece cap[3], int n)
{
	if (!*p)
		return !*s;
	if (p[0] == '%' && (p[1] == 'd' || p[1] == 's')) {
		const char *end = s;
		if (n >= 3)
			return 0;
		while (*end && (p[1] == 's' || isdigit((unsigned char)*end))) {
			end++;
			cap[n].at = s;
			cap[n].len = (size_t)(end - s);
			if (pattern_match(p + 2, end, cap, n + 1))
				return 1;
		}
		return 0;
	}
	return *p == *s && pattern_match(p + 1, s + 1, cap, n);
}

/* A piece that is a code: its label from t, else the piece itself; a mail
 * kind's ":N" (of a newsletter issue) as " #N". */
static void piece_label(struct buf *out, const struct audit_label *t, struct piece c, const char *lang)
{
	size_t n = c.len;
	const char *colon = memchr(c.at, ':', c.len);
	const struct audit_label *l;
	if (colon)
		n = (size_t)(colon - c.at);
	l = label_find(t, c.at, n);
	if (!l) {
		buf_add(out, c.at, c.len);
		return;
	}
	buf_puts(out, is_en(lang) ? l->en : l->pl);
	if (colon)
		buf_printf(out, " #%.*s", (int)(c.len - n - 1), colon + 1);
}

/* org-update's "web: phone: „a” → „b”, description_pl": the columns by their labels, the values as
 * they are; 0 when the detail is not of that form. */
static int changed_columns(const char *detail, const char *lang, struct buf *out)
{
	static const char open[] = "\xE2\x80\x9E", arrow[] = "\xE2\x80\x9D \xE2\x86\x92 \xE2\x80\x9E", close[] = "\xE2\x80\x9D";
	const char *s = detail + 4;
	size_t start = out->len;
	if (strncmp(detail, "web:", 4) != 0)
		return 0;
	buf_puts(out, is_en(lang) ? "on the page:" : "na stronie:");
	while (*s) {
		const struct audit_label *l;
		size_t n;
		if (*s != ' ')
			goto no;
		s++;
		n = strcspn(s, ":,");
		if (!(l = label_find(column_labels, s, n)))
			goto no;
		buf_printf(out, " %s", is_en(lang) ? l->en : l->pl);
		s += n;
		if (strncmp(s, ": ", 2) == 0 && strncmp(s + 2, open, sizeof(open) - 1) == 0) {
			/* ": „old” → „new”", the new value up to the "”" its item ends with */
			const char *a = strstr(s, arrow), *z;
			if (!a)
				goto no;
			for (z = strstr(a + sizeof(arrow) - 1, close); z; z = strstr(z + 1, close))
				if (!z[sizeof(close) - 1] || z[sizeof(close) - 1] == ',')
					break;
			if (!z)
				goto no;
			z += sizeof(close) - 1;
			buf_add(out, s, (size_t)(z - s));
			s = z;
		}
		if (*s == ',')
			buf_putc(out, *s++);
		else if (*s)
			goto no;
	}
	return 1;
no:
	buf_truncate(out, start);
	return 0;
}

int audit_detail_text(const char *action, const char *detail, const char *lang, struct buf *out)
{
	size_t i;
	if (!action || !detail || !*detail)
		return 0;
	if (strcmp(action, "org-update") == 0 && changed_columns(detail, lang, out))
		return 1;
	for (i = 0; i < sizeof(detail_texts) / sizeof(detail_texts[0]); i++) {
		const struct audit_detail *d = &detail_texts[i];
		struct piece cap[3];
		const char *t;
		if (strcmp(d->action, action) != 0 || !pattern_match(d->pattern, detail, cap, 0))
			continue;
		t = is_en(lang) ? d->en : d->pl;
		if (!t) {
			buf_puts(out, detail);
			return 1;
		}
		for (; *t; t++) {
			if (t[0] == '%' && t[1] >= '1' && t[1] <= '3') {
				buf_add(out, cap[t[1] - '1'].at, cap[t[1] - '1'].len);
				t++;
			} else if (t[0] == '%' && (t[1] == 'S' || t[1] == 'K') && t[2] >= '1' && t[2] <= '3') {
				piece_label(out, t[1] == 'S' ? state_labels : mail_labels, cap[t[2] - '1'], lang);
				t += 2;
			} else {
				buf_putc(out, *t);
			}
		}
		return 1;
	}
	return 0;
}
