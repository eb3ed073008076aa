/*
 * web_account.c — the account pages (register, confirm, log in and out,
 * forgot and reset password, my account, delete my account) and the
 * administrator's pages (users and roles, the outbox, the audit log).
 * The work is done by auth.c and mailq.c; these handlers read forms,
 * check roles and render.
 */
#include "web.h"

#include "audit.h"
#include "esc.h"
#include "fold.h"
#include "moderation.h"
#include "news.h"
#include "offer.h"

/* Rate limits: attempts per window (seconds) per e-mail address and per
 * client address. */
#define LOGIN_PER_EMAIL 5       /* failed logins of one address from one client address */
#define LOGIN_PER_EMAIL_ALL 50  /* … of one address from anywhere (guessing spread over many clients) */
#define LOGIN_PER_IP 60
#define LOGIN_WINDOW 900
#define FORGOT_PER_EMAIL 3
#define FORGOT_PER_IP 20
#define FORGOT_WINDOW 3600
#define REGISTER_PER_EMAIL 3
#define REGISTER_PER_IP 20
#define REGISTER_WINDOW 3600

/* Counts one attempt against the per-IP limit and, when email is given,
 * the per-address one; answers 429 and returns 1 when either is exceeded. */
static int rate_limited(struct req *r, const char *what, const char *email, long per_email, long per_ip,
			long window)
{
	struct buf kip = BUF_INIT, kemail = BUF_INIT;
	int over;
	buf_printf(&kip, "%s-ip:%s", what, r->ip);
	if (email && *email)
		buf_printf(&kemail, "%s-email:%s", what, email);
	over = req_rate_limited(r, kip.ptr, per_ip, email && *email ? kemail.ptr : NULL, per_email, window,
				L(r, "Zbyt wiele prób. Odczekaj kilka minut i spróbuj ponownie.",
				  "Too many attempts. Wait a few minutes and try again."));
	buf_release(&kip);
	buf_release(&kemail);
	return over;
}

/* Takes back the attempt rate_limited counted when it succeeded: a user who
 * logs in on several devices, or types the right password, uses up nothing. */
static void rate_forgive(struct req *r, const char *what, const char *email, long window)
{
	struct buf k = BUF_INIT;
	buf_printf(&k, "%s-ip:%s", what, r->ip);
	auth_rate_forgive(r->db, k.ptr, window, NULL);
	if (email && *email) {
		buf_reset(&k);
		buf_printf(&k, "%s-email:%s", what, email);
		auth_rate_forgive(r->db, k.ptr, window, NULL);
	}
	buf_release(&k);
}

/* A local path to return to after logging in: "/" unless next is a path
 * on this site (no "//" or scheme, so no open redirect). */
static void link_url(struct req *r, struct buf *out, const char *path, const char *token)
{
	buf_printf(out, "%s%s?token=%s", r->app->mail.base_url, path, token);
}

static void audit(struct req *r, const char *action, const char *type, long long id, const char *detail)
{
	struct kerr e = KERR_INIT;
	if (auth_audit(r->db, r->logged_in ? r->user.id : 0, r->ip, action, type, id, detail, &e))
		fprintf(stderr, "klaster: audit log: %s\n", e.msg);
}

/*
 * The names error lines give the fields of the account pages (web_form_errors): each form's own
 * labels, shortened, in the page's language; NULL for a field the form does not have (the line
 * is then shown as it is).
 */
struct field_label {
	const char *name, *pl, *en;
};

static const char *label_in(struct req *r, const struct field_label *t, const char *name)
{
	for (; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return L(r, t->pl, t->en);
	return NULL;
}

static const char *register_label(struct req *r, const char *name)
{
	static const struct field_label t[] = {
		{ "email", "Adres e-mail", "E-mail address" }, { "name", "Imię i nazwisko", "Name" },
		{ "password", "Hasło", "Password" }, { NULL, NULL, NULL },
	};
	return label_in(r, t, name);
}

static const char *login_label(struct req *r, const char *name)
{
	static const struct field_label t[] = {
		{ "email", "Adres e-mail", "E-mail address" }, { "password", "Hasło", "Password" }, { NULL, NULL, NULL },
	};
	return label_in(r, t, name);
}

static const char *forgot_label(struct req *r, const char *name)
{
	static const struct field_label t[] = {
		{ "email", "Adres e-mail konta", "Your account's e-mail address" }, { NULL, NULL, NULL },
	};
	return label_in(r, t, name);
}

/* The reset form and the password change of /account. */
static const char *password_label(struct req *r, const char *name)
{
	static const struct field_label t[] = {
		{ "current", "Obecne hasło", "Current password" }, { "password", "Nowe hasło", "New password" },
		{ "password2", "Powtórz nowe hasło", "Repeat the new password" }, { NULL, NULL, NULL },
	};
	return label_in(r, t, name);
}

static const char *profile_label(struct req *r, const char *name)
{
	static const struct field_label t[] = {
		{ "name", "Imię i nazwisko", "Name" }, { NULL, NULL, NULL },
	};
	return label_in(r, t, name);
}

/* The deletion's password field: named current in the form, as the password change's, but with
 * an id of its own, f-delete-current, which its error lines name. */
static const char *delete_label(struct req *r, const char *name)
{
	static const struct field_label t[] = {
		{ "delete-current", "Hasło, dla potwierdzenia", "Your password, to confirm" }, { NULL, NULL, NULL },
	};
	return label_in(r, t, name);
}

/* The refused row of /admin/users: its controls carry these ids (users_page). */
static const char *users_label(struct req *r, const char *name)
{
	static const struct field_label t[] = {
		{ "role", "Rola", "Role" }, { "org", "Organizacja redaktora", "The editor's organisation" },
		{ "cluster", "Klaster koordynatora", "The coordinator's cluster" }, { NULL, NULL, NULL },
	};
	return label_in(r, t, name);
}

static const char *audit_label(struct req *r, const char *name)
{
	static const struct field_label t[] = {
		{ "action", "Czynność", "Action" }, { "user", "Kto", "Who" }, { "object", "Obiekt: rodzaj", "Object: kind" },
		{ "object_id", "Obiekt: numer", "Object: number" }, { "from", "Od dnia", "From" }, { "to", "Do dnia", "To" },
		{ NULL, NULL, NULL },
	};
	return label_in(r, t, name);
}

/* ---- register and confirm ---- */

static void register_form(struct req *r, const char *error, const char *email, const char *name)
{
	page_begin(r, L(r, "Załóż konto", "Register"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Załóż konto", "Register"));
	if (error)
		web_form_errors(r, error, register_label);
	form_open(r, "/register", "stack");
	web_field(r, "email", L(r, "Adres e-mail", "E-mail address"), "email", email,
		  "required autocomplete=\"email\" maxlength=\"254\"");
	web_field(r, "name", L(r, "Imię i nazwisko", "Name"), "text", name, "autocomplete=\"name\" maxlength=\"200\"");
	web_field(r, "password", L(r, "Hasło (co najmniej 10 znaków)", "Password (at least 10 characters)"),
		  "password", "", "required autocomplete=\"new-password\" minlength=\"10\"");
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form><p class=\"hint\">%s</p>",
		    L(r, "Załóż konto", "Register"),
		    L(r, "Wyślemy link potwierdzający na podany adres. Konto zacznie działać po jego otwarciu.",
		      "We will send a confirmation link to this address. The account works once you open it."));
	page_end(r);
}

static void h_register(struct req *r)
{
	register_form(r, NULL, "", "");
}

static void mail_or_500(struct req *r, struct kerr *e)
{
	db_rollback(r->db);
	req_error_kerr(r, e);
}

/* Mails a confirmation link for the new pending account id. */
static int confirm_mail(struct req *r, long long id, const char *email, struct kerr *e)
{
	char token[AUTH_TOKEN_LEN + 1];
	struct buf url = BUF_INIT, body = BUF_INIT;
	int rc;
	if (auth_confirm_link_create(r->db, id, token, e))
		return -1;
	link_url(r, &url, "/confirm", token);
	buf_printf(&body, L(r, "Dzień dobry,\n\naby potwierdzić adres i uruchomić konto w portalu klaster, otwórz link:\n%s\n\n"
			       "Link jest ważny 48 godzin i działa jeden raz; wcześniejsze linki potwierdzające przestają działać. "
			       "Jeśli to nie Ty zakładasz konto, zignoruj tę wiadomość.\n",
			    "Hello,\n\nto confirm your address and activate your klaster account, open this link:\n%s\n\n"
			       "The link works once, for 48 hours; any earlier confirmation link no longer works. "
			       "If you did not register, ignore this message.\n"),
		   url.ptr);
	rc = mail_enqueue(r->db, "confirm", email, L(r, "Potwierdź adres e-mail", "Confirm your e-mail address"), body.ptr,
			  NULL, e);
	buf_release(&url);
	buf_release(&body);
	return rc;
}

/* Queues the notice that answers a registration or a password reset asked
 * for a blocked account: no link is made, the owner learns why. */
static int blocked_mail(struct req *r, const char *email, struct kerr *e)
{
	return mail_enqueue(r->db, "blocked-notice", email, L(r, "Konto zablokowane", "Your account is blocked"),
			    L(r, "Dzień dobry,\n\nktoś (być może Ty) poprosił w portalu klaster o link do konta o tym adresie.\n"
				 "Konto jest zablokowane przez administratora portalu, więc link nie został wysłany. "
				 "Jeśli to Twoje konto, skontaktuj się z administratorem portalu.\n",
			      "Hello,\n\nsomeone (perhaps you) asked the klaster portal for a link to the account with this address.\n"
				 "The account is blocked by the portal's administrator, so no link was sent. "
				 "If it is your account, contact the portal's administrator.\n"),
			    NULL, e);
}

static int reset_mail(struct req *r, const struct user *up, const char *email, int again, struct kerr *e);

/* Adds the problem in e as a line of lines (web_form_errors lists them) and clears e. */
static void problem_add(struct buf *lines, struct kerr *e)
{
	buf_printf(lines, "%s%s", lines->len ? "\n" : "", e->msg);
	kerr_clear(e);
}

static void h_register_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	char email[256];
	const char *name = req_form(r, "name"), *pw = req_form(r, "password");
	struct user u;
	long long id = 0;
	struct buf body = BUF_INIT, problems = BUF_INIT;
	int found, email_ok;

	/* every problem of the form at once, in the form's order */
	email_ok = !auth_email_norm(req_form(r, "email"), email, "email", &e);
	if (!email_ok)
		problem_add(&problems, &e);
	/* one line without control characters: the name is shown to others, on pages and in mails */
	if (auth_name_policy(name, &e))
		problem_add(&problems, &e);
	if (auth_password_policy(pw, email_ok ? email : NULL, &e))
		problem_add(&problems, &e);
	if (problems.len) {
		r->status = 400;
		register_form(r, problems.ptr, req_form(r, "email"), name);
		buf_release(&problems);
		return;
	}
	/* per address too: every answer mails it, and no one may flood an inbox */
	if (rate_limited(r, "register", email, REGISTER_PER_EMAIL, REGISTER_PER_IP, REGISTER_WINDOW))
		return;
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	found = auth_user_by_email(r->db, email, &u, &e);
	if (found < 0)
		return mail_or_500(r, &e);
	/* every answer costs one password hash, as creating an account does: the time taken says
	 * nothing about whether the address has an account */
	if (found)
		auth_password_burn(pw);
	if (found && u.blocked_at) {
		/* the same answer again; a blocked account gets no link */
		if (blocked_mail(r, email, &e))
			return mail_or_500(r, &e);
	} else if (found && strcmp(u.status, "active") == 0) {
		/* the same answer as for a new address; the owner is told */
		buf_printf(&body, L(r, "Ktoś (być może Ty) próbował założyć konto w portalu klaster na ten adres,\n"
				       "ale konto już istnieje. Jeśli nie pamiętasz hasła, ustaw nowe:\n%s/forgot\n",
				    "Someone (perhaps you) tried to register on the klaster portal with this address,\n"
				       "but the account already exists. If you forgot your password, set a new one:\n%s/forgot\n"),
			   r->app->mail.base_url);
		if (mail_enqueue(r->db, "register-exists", email, L(r, "Konto już istnieje", "Your account already exists"),
				 body.ptr, NULL, &e))
			return buf_release(&body), mail_or_500(r, &e);
	} else if (found) {
		/*
		 * Not confirmed yet (the first link lost or expired).  The password typed now is not
		 * taken: whoever registers an address again would otherwise choose the password its
		 * owner confirms.  The earlier confirmation links are spent (whose password the account
		 * holds is not known) and the mailbox gets a link that sets a password and confirms.
		 */
		if (auth_links_spend(r->db, u.id, "confirm", &e) || reset_mail(r, &u, email, 1, &e))
			return mail_or_500(r, &e);
	} else {
		if (auth_user_create(r->db, email, name, pw, "user", "pending", &id, &e) ||
		    confirm_mail(r, id, email, &e) ||
		    auth_audit(r->db, id, r->ip, "register", "user", id, email, &e))
			return mail_or_500(r, &e);
	}
	buf_release(&body);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	page_begin(r, L(r, "Sprawdź pocztę", "Check your mail"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Sprawdź pocztę", "Check your mail"));
	web_alert(r, "notice", L(r, "Jeśli adres jest poprawny, wysłaliśmy na niego link potwierdzający. Otwórz go, aby uruchomić konto.",
				 "If the address is right, we have sent it a confirmation link. Open it to activate your account."));
	page_end(r);
}

static void h_confirm(struct req *r)
{
	const char *token = req_arg(r, "token");
	struct kerr e = KERR_INIT;
	int ok = auth_link_check(r->db, "confirm", token, &e);
	if (ok < 0)
		return req_error_kerr(r, &e);
	page_begin(r, L(r, "Potwierdź adres", "Confirm your address"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Potwierdź adres", "Confirm your address"));
	if (!ok) {
		r->status = 410;
		web_alert(r, "error", L(r, "Ten link został już użyty albo wygasł. Zaloguj się lub załóż konto ponownie.",
					"This link was already used or has expired. Log in, or register again."));
	} else {
		/* a button, so a mail scanner that follows links cannot spend it */
		form_open(r, "/confirm", "stack");
		html_printf(&r->out, "<input type=\"hidden\" name=\"token\" value=\"%s\">"
			    "<p><button type=\"submit\">%s</button></p></form>",
			    token, L(r, "Potwierdzam adres i uruchamiam konto", "Confirm my address and activate the account"));
	}
	page_end(r);
}

static void h_confirm_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	long long uid = 0;
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (auth_user_confirm(r->db, req_form(r, "token"), &uid, &e)) {
		db_rollback(r->db);
		if (e.kind == KERR_AUTH) {
			r->status = 410;
			page_begin(r, L(r, "Potwierdź adres", "Confirm your address"));
			web_alert(r, "error", L(r, "Ten link został już użyty albo wygasł.", "This link was already used or has expired."));
			page_end(r);
			return;
		}
		return req_error_kerr(r, &e);
	}
	if (auth_audit(r->db, uid, r->ip, "confirm", "user", uid, NULL, &e) || req_login(r, uid, &e))
		return mail_or_500(r, &e);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	req_redirect(r, "/account?done=confirmed");
}

/* ---- log in and out ---- */

static void login_form(struct req *r, const char *error, const char *email)
{
	const char *next = web_local_path(req_form(r, "next") ? req_form(r, "next") : req_arg(r, "next"));
	page_begin(r, L(r, "Logowanie", "Log in"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Logowanie", "Log in"));
	if (error)
		web_form_errors(r, error, login_label);
	form_open(r, "/login", "stack");
	html_printf(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
	web_field(r, "email", L(r, "Adres e-mail", "E-mail address"), "email", email,
		  "required autocomplete=\"username\" maxlength=\"254\"");
	web_field(r, "password", L(r, "Hasło", "Password"), "password", "", "required autocomplete=\"current-password\"");
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>"
		    "<p><a href=\"/forgot\">%s</a> · <a href=\"/register\">%s</a></p>",
		    L(r, "Zaloguj", "Log in"), L(r, "Nie pamiętam hasła", "Forgot password?"),
		    L(r, "Załóż konto", "Register"));
	page_end(r);
}

static void h_login(struct req *r)
{
	if (r->logged_in)
		return req_redirect(r, web_local_path(req_arg(r, "next")));
	login_form(r, NULL, "");
}

static void h_login_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	char email[256];
	const char *pw = req_form(r, "password");
	struct user u;
	if (auth_email_norm(req_form(r, "email"), email, "email", &e) || !pw || !*pw) {
		r->status = 400;
		login_form(r, e.msg[0] ? e.msg : L(r, "Podaj hasło.", "Enter your password."), req_form(r, "email"));
		return;
	}
	/*
	 * The tight limit of an address counts per client address, so nobody elsewhere locks a
	 * coordinator out by typing wrong passwords for her address; the loose one across all
	 * clients still stops guessing spread over many of them.
	 */
	{
		struct buf at = BUF_INIT, all = BUF_INIT;
		int over;
		buf_printf(&at, "%s|%s", email, r->ip);
		buf_printf(&all, "login-email-all:%s", email);
		over = rate_limited(r, "login", at.ptr, LOGIN_PER_EMAIL, LOGIN_PER_IP, LOGIN_WINDOW) ||
		       req_rate_limited(r, all.ptr, LOGIN_PER_EMAIL_ALL, NULL, 0, LOGIN_WINDOW,
					L(r, "Zbyt wiele prób. Odczekaj kilka minut i spróbuj ponownie.",
					  "Too many attempts. Wait a few minutes and try again."));
		buf_release(&at);
		buf_release(&all);
		if (over)
			return;
	}
	if (auth_check_password(r->db, email, pw, &u, &e)) {
		if (e.kind != KERR_AUTH)
			return req_error_kerr(r, &e);
		audit(r, "login-failed", "user", 0, email);
		r->status = 401;
		req_header_add(r, "WWW-Authenticate", "Cookie realm=\"klaster\" form-action=\"/login\"");
		login_form(r, e.msg, email);
		return;
	}
	{
		struct buf at = BUF_INIT, all = BUF_INIT;
		buf_printf(&at, "%s|%s", email, r->ip);
		buf_printf(&all, "login-email-all:%s", email);
		rate_forgive(r, "login", at.ptr, LOGIN_WINDOW);
		auth_rate_forgive(r->db, all.ptr, LOGIN_WINDOW, NULL);
		buf_release(&at);
		buf_release(&all);
	}
	if (req_login(r, u.id, &e))
		return req_error_kerr(r, &e);
	audit(r, "login", "user", u.id, NULL);
	req_redirect(r, web_local_path(req_form(r, "next")));
}

static void h_logout_post(struct req *r)
{
	if (r->logged_in)
		audit(r, "logout", "user", r->user.id, NULL);
	req_logout(r);
	req_redirect(r, "/");
}

/* ---- forgot and reset ---- */

static void forgot_form(struct req *r, const char *error, const char *notice, const char *email)
{
	page_begin(r, L(r, "Nie pamiętam hasła", "Forgot password"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Nie pamiętam hasła", "Forgot password"));
	if (error)
		web_form_errors(r, error, forgot_label);
	if (notice)
		web_alert(r, "notice", notice);
	form_open(r, "/forgot", "stack");
	/* what was typed stays, marked when it is what the error is about */
	web_field(r, "email", L(r, "Adres e-mail konta", "Your account's e-mail address"), "email", email ? email : "",
		  error ? "required autocomplete=\"email\" maxlength=\"254\" aria-invalid=\"true\""
			: "required autocomplete=\"email\" maxlength=\"254\"");
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>",
		    L(r, "Wyślij link do zmiany hasła", "Send me a reset link"));
	page_end(r);
}

static void h_forgot(struct req *r)
{
	forgot_form(r, NULL, NULL, NULL);
}

/*
 * For an address without an account, the work reset_mail does for one — a
 * link spending the earlier ones, its mail and the audit entry — in a
 * savepoint that is then rolled back: the answer costs the same statements
 * and the same commit either way, so its time does not say whether the
 * address has an account (as every registration costs one password hash),
 * and nothing of it is kept: no link, no mail, no entry.
 */
static int reset_mail_undone(struct req *r, const char *email, struct kerr *e)
{
	struct user none;
	int rc;
	memset(&none, 0, sizeof(none));
	snprintf(none.status, sizeof(none.status), "active");
	if (db_exec(r->db, "SAVEPOINT forgot_unknown", e))
		return -1;
	rc = reset_mail(r, &none, email, 0, e);
	if (db_exec(r->db, "ROLLBACK TO SAVEPOINT forgot_unknown", rc ? NULL : e))
		return -1;
	return rc;
}

static void h_forgot_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	char email[256];
	struct user u;
	int found;
	if (auth_email_norm(req_form(r, "email"), email, "email", &e)) {
		r->status = 400;
		forgot_form(r, e.msg, NULL, req_form(r, "email"));
		return;
	}
	if (rate_limited(r, "forgot", email, FORGOT_PER_EMAIL, FORGOT_PER_IP, FORGOT_WINDOW))
		return;
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	found = auth_user_by_email(r->db, email, &u, &e);
	if (found < 0)
		return mail_or_500(r, &e);
	if (found && u.blocked_at) {
		if (blocked_mail(r, email, &e))
			return mail_or_500(r, &e);
	} else if (found) {
		if (reset_mail(r, &u, email, 0, &e))
			return mail_or_500(r, &e);
	} else if (reset_mail_undone(r, email, &e)) {
		return mail_or_500(r, &e);
	}
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	/* the same answer whether or not the address has an account */
	forgot_form(r, NULL, L(r, "Jeśli konto z tym adresem istnieje, wysłaliśmy na niego link do zmiany hasła. Link działa przez godzinę.",
			       "If an account with this address exists, we have sent it a reset link. The link works for one hour."),
		    NULL);
}

/*
 * Mails u (of address email) a reset link that replaces the earlier ones,
 * with its audit entry: "set a new password" for an active account; for
 * one not confirmed yet, "confirm the address by setting a password" (using
 * the link proves the mailbox and activates it).  again: asked by a repeated
 * registration rather than by /forgot.  0, or -1 with e.
 */
static int reset_mail(struct req *r, const struct user *up, const char *email, int again, struct kerr *e)
{
	char token[AUTH_TOKEN_LEN + 1];
	struct buf url = BUF_INIT, body = BUF_INIT;
	int bad;
	/* the newest link replaces the earlier ones (no account: the same statements, undone by
	 * reset_mail_undone) */
	if (up->id > 0 ? auth_link_replace(r->db, "reset", up->id, email, AUTH_RESET_TTL, token, e)
		       : (auth_links_spend(r->db, 0, "reset", e) ||
			  auth_link_create(r->db, "reset", 0, email, AUTH_RESET_TTL, token, e)))
		return -1;
	link_url(r, &url, "/reset", token);
	if (again)
		buf_printf(&body, L(r, "Dzień dobry,\n\nktoś (być może Ty) ponownie zakłada konto w portalu klaster na ten adres.\n"
				       "Konto nie działa jeszcze, bo adres nie został potwierdzony. Aby potwierdzić adres, "
				       "ustawić hasło i uruchomić konto, otwórz link:\n%s\n\nLink działa jeden raz, przez godzinę; "
				       "wcześniejsze linki potwierdzające przestają działać. Jeśli to nie Ty, zignoruj tę wiadomość.\n",
				    "Hello,\n\nsomeone (perhaps you) registered again on the klaster portal with this address.\n"
				       "The account is not active yet: its address was never confirmed. To confirm the address, "
				       "set a password and activate the account, open this link:\n%s\n\nThe link works once, "
				       "for one hour; earlier confirmation links no longer work. If it was not you, ignore this "
				       "message.\n"),
			   url.ptr);
	else if (strcmp(up->status, "active") == 0)
		buf_printf(&body, L(r, "Dzień dobry,\n\nktoś (być może Ty) poprosił o zmianę hasła do konta w portalu klaster.\n"
				       "Aby ustawić nowe hasło, otwórz link:\n%s\n\nLink działa jeden raz, przez godzinę; "
				       "wcześniejsze linki do zmiany hasła przestają działać. "
				       "Jeśli to nie Ty, zignoruj tę wiadomość — hasło się nie zmieni.\n",
				    "Hello,\n\nsomeone (perhaps you) asked to reset the password of your klaster account.\n"
				       "To set a new password, open this link:\n%s\n\nThe link works once, for one hour; "
				       "any earlier reset link no longer works. "
				       "If it was not you, ignore this message: your password stays as it is.\n"),
			   url.ptr);
	else   /* not confirmed yet: setting a password through the link confirms the address */
		buf_printf(&body, L(r, "Dzień dobry,\n\nktoś (być może Ty) poprosił o zmianę hasła do konta w portalu klaster.\n"
				       "Konto nie działa jeszcze, bo adres nie został potwierdzony. Aby potwierdzić adres, "
				       "ustawić hasło i uruchomić konto, otwórz link:\n%s\n\nLink działa jeden raz, przez godzinę. "
				       "Jeśli to nie Ty, zignoruj tę wiadomość.\n",
				    "Hello,\n\nsomeone (perhaps you) asked to reset the password of your klaster account.\n"
				       "The account is not active yet: its address was never confirmed. To confirm the address, "
				       "set a password and activate the account, open this link:\n%s\n\nThe link works once, "
				       "for one hour. If it was not you, ignore this message.\n"),
			   url.ptr);
	bad = mail_enqueue(r->db, "reset", email, again ? L(r, "Potwierdź adres i ustaw hasło", "Confirm your address "
							       "and set a password") : L(r, "Zmiana hasła", "Reset your password"),
			   body.ptr, NULL, e) ||
	      auth_audit(r->db, up->id, r->ip, again ? "register-again" : "password-reset-requested", "user", up->id,
			 again ? email : NULL, e);
	buf_release(&url);
	buf_release(&body);
	return bad ? -1 : 0;
}

static void reset_form(struct req *r, const char *token, const char *error)
{
	page_begin(r, L(r, "Nowe hasło", "New password"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Nowe hasło", "New password"));
	if (error)
		web_form_errors(r, error, password_label);
	form_open(r, "/reset", "stack");
	html_printf(&r->out, "<input type=\"hidden\" name=\"token\" value=\"%s\">", token);
	web_field(r, "password", L(r, "Nowe hasło (co najmniej 10 znaków)", "New password (at least 10 characters)"),
		  "password", "", "required autocomplete=\"new-password\" minlength=\"10\"");
	web_field(r, "password2", L(r, "Powtórz nowe hasło", "Repeat the new password"), "password", "",
		  "required autocomplete=\"new-password\" minlength=\"10\"");
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>", L(r, "Ustaw hasło", "Set the password"));
	page_end(r);
}

static void link_spent(struct req *r)
{
	r->status = 410;
	page_begin(r, L(r, "Nowe hasło", "New password"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Nowe hasło", "New password"));
	web_alert(r, "error", L(r, "Ten link został już użyty albo wygasł.", "This link was already used or has expired."));
	html_printf(&r->out, "<p><a href=\"/forgot\">%s</a></p>", L(r, "Poproś o nowy link", "Ask for a new link"));
	page_end(r);
}

static void h_reset(struct req *r)
{
	const char *token = req_arg(r, "token");
	struct kerr e = KERR_INIT;
	int ok = auth_link_check(r->db, "reset", token, &e);
	if (ok < 0)
		return req_error_kerr(r, &e);
	if (!ok)
		return link_spent(r);
	reset_form(r, token, NULL);
}

static void h_reset_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *token = req_form(r, "token"), *pw = req_form(r, "password"), *pw2 = req_form(r, "password2");
	long long uid = 0;
	struct user u;
	int ok;
	if (rate_limited(r, "reset", NULL, 0, FORGOT_PER_IP * 3, FORGOT_WINDOW))
		return;
	ok = auth_link_check(r->db, "reset", token, &e);
	if (ok < 0)
		return req_error_kerr(r, &e);
	if (!ok)
		return link_spent(r);
	if (auth_password_policy(pw, NULL, &e) ||
	    (strcmp(pw, pw2 ? pw2 : "") != 0 && kerr_set(&e, KERR_INPUT, "password2: the two passwords differ"))) {
		r->status = 400;
		reset_form(r, token, e.msg);
		return;
	}
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (auth_link_use(r->db, "reset", token, &uid, NULL, 0, &e)) {
		db_rollback(r->db);
		return e.kind == KERR_AUTH ? link_spent(r) : req_error_kerr(r, &e);
	}
	/* a link to the address proves it: an account not yet confirmed is activated */
	if (auth_user_by_id(r->db, uid, &u, &e) != 1 || auth_password_policy(pw, u.email, &e) ||
	    auth_user_set_password(r->db, uid, pw, &e) || auth_sessions_end_all(r->db, uid, NULL, &e) ||
	    auth_audit(r->db, uid, r->ip, "password-reset", "user", uid, NULL, &e) ||
	    (strcmp(u.status, "active") != 0 &&
	     (auth_user_activate(r->db, uid, &e) || auth_audit(r->db, uid, r->ip, "confirm", "user", uid, NULL, &e)))) {
		db_rollback(r->db);
		if (e.kind == KERR_INPUT) {
			r->status = 400;
			reset_form(r, token, e.msg);
			return;
		}
		if (!e.msg[0])
			kerr_set(&e, KERR_NOTFOUND, "the account no longer exists");
		return req_error_kerr(r, &e);
	}
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	page_begin(r, L(r, "Nowe hasło", "New password"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Nowe hasło", "New password"));
	web_alert(r, "notice", L(r, "Hasło zmienione. Zaloguj się nowym hasłem.", "Password changed. Log in with the new password."));
	html_printf(&r->out, "<p><a href=\"/login\">%s</a></p>", L(r, "Zaloguj", "Log in"));
	page_end(r);
}

/* ---- my account ---- */

struct session_rows {
	struct req *r;
	int n;
};

static int session_row(void *ctx, const struct auth_session_info *si)
{
	struct session_rows *sr = ctx;
	struct req *r = sr->r;
	char a[32], b[32];
	web_time_utc(si->created_at, a);
	web_time_utc(si->seen_at, b);
	if (!sr->n++)
		html_printf(&r->out, "<table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\"><span class=\"vh\">%s</span></th>"
			    "</tr></thead><tbody>",
			    L(r, "Aktywne sesje konta", "Where you are logged in"),
			    L(r, "Zalogowano", "Logged in"), L(r, "Ostatnio użyta", "Last used"),
			    L(r, "Adres IP logowania", "IP address at login"), L(r, "Bieżąca", "Current"));
	html_printf(&r->out, "<tr><td class=\"date\">%s</td><td class=\"date\">%s</td><td>%s</td><td>%s</td></tr>", a, b,
		    si->ip, si->current ? L(r, "ta sesja", "this session") : "");
	return 0;
}

/* The live sessions of the account, and a button that ends the others (a login left on
 * another computer). */
static void account_sessions(struct req *r)
{
	struct session_rows sr = { r, 0 };
	struct kerr e = KERR_INIT;
	html_printf(&r->out, "<h2>%s</h2>", L(r, "Sesje", "Sessions"));
	if (auth_sessions_list(r->db, r->user.id, r->app->session_idle, r->sid, session_row, &sr, &e)) {
		web_alert(r, "error", e.msg);
		return;
	}
	if (sr.n)
		buf_puts(&r->out, "</tbody></table>");
	if (sr.n > 1) {
		form_open(r, "/account/sessions/end", "stack");
		html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>",
			    L(r, "Wyloguj pozostałe sesje", "Log out the other sessions"));
	} else {
		html_printf(&r->out, "<p>%s</p>", L(r, "Brak innych aktywnych sesji.",
						 "You are not logged in anywhere else."));
	}
}

/* The forms of /account, each of which shows its own error above itself. */
enum account_form { ACCOUNT_NONE, ACCOUNT_PROFILE, ACCOUNT_PASSWORD, ACCOUNT_DELETE };

/* My account.  error (may be NULL): the refusal of the form which, shown above that form with
 * its fields marked (ACCOUNT_NONE: at the top). */
/* What the account's role covers: the editor's organisation and the coordinator's cluster, with
 * the pages where that work is done (an editor has no panel of their own). */
static void account_scope(struct req *r)
{
	struct db_stmt *st;
	if (r->user.org_id > 0 && !db_prepare(r->db, "SELECT name FROM organisation WHERE id = ?", &st, NULL)) {
		db_bind_int(st, 1, r->user.org_id);
		if (db_step(st, NULL) == 1) {
			html_printf(&r->out, "<p class=\"scope\">%s <a href=\"/organisations/%lld\">%s</a>",
				    L(r, "Twoja organizacja:", "Your organisation:"), r->user.org_id, db_col_text(st, 0));
			if (auth_can_edit_org(&r->user, r->user.org_id))
				html_printf(&r->out, " · <a href=\"/organisations/%lld/edit\">%s</a> · <a href=\"/offers/mine\">%s</a>",
					    r->user.org_id, L(r, "edytuj jej profil", "edit its profile"),
					    L(r, "jej oferty i usługi", "its offers and services"));
			buf_puts(&r->out, "</p>");
		}
		db_finalize(st);
	}
	if (r->user.cluster_id > 0 && !db_prepare(r->db, "SELECT name FROM cluster WHERE id = ?", &st, NULL)) {
		db_bind_int(st, 1, r->user.cluster_id);
		if (db_step(st, NULL) == 1) {
			/* by id, as every cluster link: an acronym is free text (digits, a slash) */
			html_printf(&r->out, "<p class=\"scope\">%s <a href=\"/clusters/%lld\">%s</a>",
				    L(r, "Twój klaster:", "Your cluster:"), r->user.cluster_id, db_col_text(st, 0));
			if (auth_can_coordinate(&r->user, r->user.cluster_id))
				html_printf(&r->out, " · <a href=\"/clusters/%lld/edit\">%s</a>", r->user.cluster_id,
					    L(r, "edytuj jego profil", "edit its profile"));
			buf_puts(&r->out, "</p>");
		}
		db_finalize(st);
	}
}

static void account_page(struct req *r, enum account_form which, const char *error, const char *notice)
{
	static const struct {
		const char *code, *pl, *en;
	} done[] = {
		{ "confirmed", "Adres potwierdzony — konto działa.", "Address confirmed: your account is active." },
		{ "password", "Hasło zmienione. Inne sesje zostały wylogowane.", "Password changed. Your other sessions were logged out." },
		{ "profile", "Zapisano.", "Saved." },
		{ "sessions", "Pozostałe sesje zostały wylogowane.", "Your other sessions were logged out." },
	};
	const char *d = req_arg(r, "done");
	size_t i;
	page_begin(r, L(r, "Moje konto", "My account"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Moje konto", "My account"));
	for (i = 0; d && !notice && i < sizeof(done) / sizeof(done[0]); i++)
		if (strcmp(d, done[i].code) == 0)
			notice = L(r, done[i].pl, done[i].en);
	if (error && which == ACCOUNT_NONE)
		web_alert(r, "error", error);
	if (notice)
		web_alert(r, "notice", notice);
	html_printf(&r->out, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
		    L(r, "Adres e-mail", "E-mail address"), r->user.email, L(r, "Rola", "Role"), state_label(r->user.role, r->lang));
	account_scope(r);
	html_printf(&r->out, "<h2>%s</h2>", L(r, "Dane", "Profile"));
	if (error && which == ACCOUNT_PROFILE)
		web_form_errors(r, error, profile_label);
	form_open(r, "/account/profile", "stack");
	{
		/* after a refused save, the name as typed, marked */
		int bad = error && which == ACCOUNT_PROFILE && *web_invalid(r, "name");
		web_field(r, "name", L(r, "Imię i nazwisko", "Name"), "text", bad ? req_form(r, "name") : r->user.name,
			  bad ? "maxlength=\"200\" autocomplete=\"name\" aria-invalid=\"true\""
			      : "maxlength=\"200\" autocomplete=\"name\"");
	}
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>", L(r, "Zapisz", "Save"));
	html_printf(&r->out, "<h2>%s</h2>", L(r, "Zmiana hasła", "Change password"));
	if (error && which == ACCOUNT_PASSWORD)
		web_form_errors(r, error, password_label);
	form_open(r, "/account/password", "stack");
	web_field(r, "current", L(r, "Obecne hasło", "Current password"), "password", "", "required autocomplete=\"current-password\"");
	web_field(r, "password", L(r, "Nowe hasło (co najmniej 10 znaków)", "New password (at least 10 characters)"), "password", "",
		  "required autocomplete=\"new-password\" minlength=\"10\"");
	web_field(r, "password2", L(r, "Powtórz nowe hasło", "Repeat the new password"), "password", "",
		  "required autocomplete=\"new-password\" minlength=\"10\"");
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>", L(r, "Zmień hasło", "Change password"));
	account_sessions(r);
	html_printf(&r->out, "<h2>%s</h2><p>%s</p>", L(r, "Usunięcie konta", "Delete my account"),
		    L(r, "Konto i sesje zostaną usunięte; tego nie można cofnąć.",
		      "Your account and sessions are removed; this cannot be undone."));
	if (error && which == ACCOUNT_DELETE)
		web_form_errors(r, error, delete_label);
	form_open(r, "/account/delete", "stack");
	/* the field is named current, as the password form's above, but has an id of its own (one id a page),
	 * which its errors name (delete_label) */
	html_printf(&r->out, "<p class=\"field\"><label for=\"f-delete-current\">%s</label>"
		    "<input id=\"f-delete-current\" name=\"current\" type=\"password\" value=\"\" required "
		    "autocomplete=\"current-password\"%R></p>",
		    L(r, "Hasło, dla potwierdzenia", "Your password, to confirm"), web_invalid(r, "delete-current"));
	html_printf(&r->out, "<p><button type=\"submit\" class=\"danger\">%s</button></p></form>",
		    L(r, "Usuń moje konto", "Delete my account"));
	page_end(r);
}

static void h_account(struct req *r)
{
	account_page(r, ACCOUNT_NONE, NULL, NULL);
}

static void h_account_profile(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *name = req_form(r, "name");
	struct db_stmt *st;
	int rc;
	/* a name is shown on pages and in mails: the rule of registration (auth_name_policy) */
	if (auth_name_policy(name, &e)) {
		r->status = 400;
		return account_page(r, ACCOUNT_PROFILE, e.msg, NULL);
	}
	if (db_prepare(r->db, "UPDATE app_user SET name = ? WHERE id = ?", &st, &e))
		return req_error_kerr(r, &e);
	db_bind_text(st, 1, name && *name ? name : NULL);
	db_bind_int(st, 2, r->user.id);
	rc = db_step(st, &e);
	db_finalize(st);
	if (rc < 0)
		return req_error_kerr(r, &e);
	audit(r, "profile", "user", r->user.id, NULL);
	req_redirect(r, "/account?done=profile");
}

/* Checks the current password of the logged-in user; answers 400 when wrong, with the page
 * whose form which (the password change, the deletion) says so above itself. */
static int current_password_ok(struct req *r, enum account_form which)
{
	struct kerr e = KERR_INIT;
	struct user u;
	const char *cur = req_form(r, "current");
	if (rate_limited(r, "password-check", r->user.email, LOGIN_PER_EMAIL, LOGIN_PER_IP, LOGIN_WINDOW))
		return 0;
	if (!cur || auth_check_password(r->db, r->user.email, cur, &u, &e)) {
		if (e.kind != KERR_AUTH && e.kind != KERR_NONE) {
			req_error_kerr(r, &e);
			return 0;
		}
		r->status = 400;
		if (which == ACCOUNT_DELETE)
			account_page(r, which, L(r, "delete-current: hasło jest nieprawidłowe.", "delete-current: the password is wrong."),
				     NULL);
		else
			account_page(r, which, L(r, "current: obecne hasło jest nieprawidłowe.", "current: the current password is wrong."),
				     NULL);
		return 0;
	}
	rate_forgive(r, "password-check", r->user.email, LOGIN_WINDOW);
	return 1;
}

static void h_account_password(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *pw = req_form(r, "password"), *pw2 = req_form(r, "password2");
	if (!current_password_ok(r, ACCOUNT_PASSWORD))
		return;
	if (auth_password_policy(pw, r->user.email, &e) ||
	    (strcmp(pw, pw2 ? pw2 : "") != 0 && kerr_set(&e, KERR_INPUT, "password2: the two passwords differ"))) {
		r->status = 400;
		return account_page(r, ACCOUNT_PASSWORD, e.msg, NULL);
	}
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (auth_user_set_password(r->db, r->user.id, pw, &e) || auth_sessions_end_all(r->db, r->user.id, r->sid, &e) ||
	    auth_audit(r->db, r->user.id, r->ip, "password-change", "user", r->user.id, NULL, &e))
		return mail_or_500(r, &e);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	req_redirect(r, "/account?done=password");
}

static void h_account_sessions_end(struct req *r)
{
	struct kerr e = KERR_INIT;
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (auth_sessions_end_all(r->db, r->user.id, r->sid, &e) ||
	    auth_audit(r->db, r->user.id, r->ip, "sessions-end", "user", r->user.id, NULL, &e)) {
		db_rollback(r->db);
		return req_error_kerr(r, &e);
	}
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	req_redirect(r, "/account?done=sessions");
}

static void h_account_delete(struct req *r)
{
	struct kerr e = KERR_INIT;
	long long id = r->user.id;
	if (!current_password_ok(r, ACCOUNT_DELETE))
		return;
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (auth_audit(r->db, id, r->ip, "account-delete", "user", id, r->user.email, &e) ||
	    auth_user_delete(r->db, id, &e))
		return mail_or_500(r, &e);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	r->sid[0] = '\0';
	req_logout(r);
	page_begin(r, L(r, "Konto usunięte", "Account deleted"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Konto usunięte", "Account deleted"));
	web_alert(r, "notice", L(r, "Twoje konto zostało usunięte.", "Your account has been deleted."));
	page_end(r);
}

const struct route account_routes[] = {
	{ "GET", "/register", h_register, R_DB },
	{ "POST", "/register", h_register_post, R_DB | R_FORM },
	{ "GET", "/confirm", h_confirm, R_DB },
	{ "POST", "/confirm", h_confirm_post, R_DB | R_FORM },
	{ "GET", "/login", h_login, R_DB },
	{ "POST", "/login", h_login_post, R_DB | R_FORM },
	{ "POST", "/logout", h_logout_post, R_DB | R_FORM },
	{ "GET", "/forgot", h_forgot, R_DB },
	{ "POST", "/forgot", h_forgot_post, R_DB | R_FORM },
	{ "GET", "/reset", h_reset, R_DB },
	{ "POST", "/reset", h_reset_post, R_DB | R_FORM },
	{ "GET", "/account", h_account, R_DB | R_LOGIN },
	{ "POST", "/account/profile", h_account_profile, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/account/password", h_account_password, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/account/sessions/end", h_account_sessions_end, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/account/delete", h_account_delete, R_DB | R_FORM | R_LOGIN },
	{ NULL, NULL, NULL, 0 }
};

/* ---- administration ---- */

/* ---- the panel: what waits for a decision ---- */

static int no_proposal(void *ctx, const struct proposal *p)
{
	(void)ctx, (void)p;
	return 0;
}

static int no_request(void *ctx, const struct join_request *q)
{
	(void)ctx, (void)q;
	return 0;
}

static int no_entry(void *ctx, const struct offer *o)
{
	(void)ctx, (void)o;
	return 0;
}

static int no_comment(void *ctx, const struct comment *c)
{
	(void)ctx, (void)c;
	return 0;
}

/*
 * How many items wait in the queue of a panel link (pending proposals and
 * membership requests, offers and services, comments), in the scope the
 * queue's own page shows the moderator (an administrator every cluster's,
 * a coordinator their cluster's); 0 for a link without a queue, -1 on error.
 */
static long long waiting(struct req *r, const char *href, struct kerr *e)
{
	long long cluster = auth_is_admin(&r->user) ? 0 : r->user.cluster_id, a = 0, b = 0;
	if (!auth_is_admin(&r->user) && cluster <= 0)
		return 0;   /* a coordinator without a cluster has no queue */
	if (strcmp(href, "/admin/companies") == 0) {
		long long scope = cluster ? cluster : -1;
		if (mod_proposal_list(r->db, scope, 0, 1, &a, no_proposal, NULL, e) ||
		    mod_request_list(r->db, scope, 0, 1, &b, no_request, NULL, e))
			return -1;
	} else if (strcmp(href, "/admin/offers") == 0) {
		if (offer_list_pending(r->db, OFFER_BASE_OFFERS, cluster, 0, 1, &a, no_entry, NULL, e) ||
		    offer_list_pending(r->db, OFFER_BASE_SERVICES, cluster, 0, 1, &b, no_entry, NULL, e))
			return -1;
	} else if (strcmp(href, "/admin/comments") == 0) {
		if (news_comment_queue(r->db, "pending", cluster, 0, 1, &a, no_comment, NULL, e))
			return -1;
	}
	return a + b;
}

static void h_admin(struct req *r)
{
	static const struct {
		const char *href, *pl, *en;
		int admin_only;
	} links[] = {
		{ "/admin/users", "Użytkownicy i role", "Users and roles", 1 },
		{ "/admin/companies", "Zgłoszone firmy i prośby o członkostwo", "Proposed companies and membership requests", 0 },
		{ "/admin/members", "Członkowie klastra", "The cluster's members", 0 },
		{ "/admin/offers", "Oferty i usługi do moderacji", "Offers and services to moderate", 0 },
		{ "/admin/news", "Aktualności", "News", 0 },
		{ "/admin/comments", "Komentarze do moderacji", "Comments to moderate", 0 },
		{ "/admin/newsletter", "Newsletter: kampanie i subskrybenci", "Newsletter: campaigns and subscribers", 0 },
		{ "/admin/datasets", "Mapa klastrów: zbiory danych i listy firm", "Cluster map: datasets and firm lists", 1 },
		{ "/admin/outbox", "Skrzynka nadawcza (poczta)", "Outbox (mail)", 1 },
		{ "/admin/audit", "Dziennik zmian", "Audit log", 1 },
	};
	long long n[sizeof(links) / sizeof(links[0])], all = 0;
	struct kerr e = KERR_INIT;
	size_t i;
	if (req_deny(r, auth_is_moderator(&r->user)))
		return;
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		n[i] = !links[i].admin_only || auth_is_admin(&r->user) ? waiting(r, links[i].href, &e) : 0;
		if (n[i] < 0)
			return req_error_kerr(r, &e);
		all += n[i];
	}
	page_begin(r, L(r, "Panel", "Administration"));
	html_printf(&r->out, "<h1>%s</h1><p class=\"lead\" data-waiting=\"%lld\">", L(r, "Panel", "Administration"), all);
	if (all)
		html_printf(&r->out, "%s: <strong>%lld</strong>", L(r, "Czeka na Twoją decyzję", "Waiting for your decision"), all);
	else
		html_printf(&r->out, "%s", L(r, "Nic nie czeka na Twoją decyzję.", "Nothing waits for your decision."));
	buf_puts(&r->out, "</p><ul>");
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (links[i].admin_only && !auth_is_admin(&r->user))
			continue;
		html_printf(&r->out, "<li><a href=\"%s\">%s</a>", links[i].href, L(r, links[i].pl, links[i].en));
		if (n[i] > 0)
			html_printf(&r->out, " — %s: <strong class=\"waiting\">%lld</strong>", L(r, "czeka", "waiting"), n[i]);
		buf_puts(&r->out, "</li>");
	}
	buf_puts(&r->out, "</ul>");
	page_end(r);
}

static void role_option(struct req *r, const char *value, const char *label, const char *current)
{
	html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", value, strcmp(value, current) == 0 ? " selected" : "",
		    label);
}

/* The clusters a coordinator may be given, for the select of every row. */
struct cluster_choice {
	long long id;
	char *label;      /* "ACRONYM — name" */
};

static int cluster_choices(struct req *r, struct cluster_choice **out, size_t *n, struct kerr *e)
{
	struct db_stmt *st;
	size_t alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (db_prepare(r->db, "SELECT id, acronym, name FROM cluster ORDER BY sort_key", &st, e))
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		struct buf label = BUF_INIT;
		if (*n == alloc) {
			alloc = alloc ? st_mult(alloc, 2) : 16;
			*out = xrealloc(*out, st_mult(alloc, sizeof(**out)));
		}
		buf_printf(&label, "%s — %s", db_col_text(st, 1), db_col_text(st, 2));
		(*out)[*n].id = db_col_int(st, 0);
		(*out)[*n].label = buf_detach(&label, NULL);
		(*n)++;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static void cluster_choices_free(struct cluster_choice *c, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(c[i].label);
	free(c);
}

/* The list of users whose address holds q, at most 500.  error (may be
 * NULL): a refused change of the account err_uid, whose row then shows
 * the role, organisation and cluster as they were sent, the field the
 * error names marked. */
static void users_page(struct req *r, const char *q, const char *error, long long err_uid)
{
	static const struct {
		const char *code, *pl, *en;
	} done[] = {
		{ "1", "Zapisano.", "Saved." },
		{ "blocked", "Konto zablokowane: jego sesje zakończono, linki z e-maili i tokeny API przestały działać.",
		  "The account is blocked: its sessions have ended, its e-mailed links and API tokens no longer work." },
		{ "unblocked", "Konto odblokowane: jego właściciel może się znów zalogować.",
		  "The account is unblocked: its owner can log in again." },
		{ "already-blocked", "To konto było już zablokowane.", "This account was already blocked." },
		{ "not-blocked", "To konto nie było zablokowane.", "This account was not blocked." },
	};
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	struct cluster_choice *cls = NULL;
	size_t ncls = 0, i;
	const char *d = req_arg(r, "done");
	struct buf like = BUF_INIT;
	int rc;
	if (!q)
		q = "";
	if (cluster_choices(r, &cls, &ncls, &e) ||
	    db_prepare(r->db, "SELECT u.id, u.email, COALESCE(u.name, ''), u.role, u.status, COALESCE(u.org_id, 0),"
		       " COALESCE(u.cluster_id, 0), COALESCE(o.name, ''), COALESCE(c.name, ''), COALESCE(o.nip, ''),"
		       " COALESCE(u.blocked_at, 0) FROM app_user u"
		       " LEFT JOIN organisation o ON o.id = u.org_id LEFT JOIN cluster c ON c.id = u.cluster_id"
		       " WHERE ? = '' OR u.email LIKE ? ESCAPE '!' ORDER BY u.email LIMIT 500", &st, &e)) {
		cluster_choices_free(cls, ncls);
		return req_error_kerr(r, &e);
	}
	{
		/* the text the address holds, its wildcards escaped, in lower case as addresses are
		 * stored: the same matches on SQLite (LIKE ignores ASCII case) and PostgreSQL (it does not) */
		const char *c;
		buf_putc(&like, '%');
		for (c = q; *c; c++) {
			if (*c == '%' || *c == '_' || *c == '!')
				buf_putc(&like, '!');
			buf_putc(&like, (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c));
		}
		buf_putc(&like, '%');
	}
	db_bind_text(st, 1, q);
	db_bind_text(st, 2, like.ptr);
	buf_release(&like);
	page_begin(r, L(r, "Użytkownicy i role", "Users and roles"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1>", L(r, "Panel", "Administration"),
		    L(r, "Użytkownicy i role", "Users and roles"));
	for (i = 0; d && !error && i < sizeof(done) / sizeof(done[0]); i++)
		if (strcmp(d, done[i].code) == 0)
			web_alert(r, "notice", L(r, done[i].pl, done[i].en));
	if (error)
		web_form_errors(r, error, users_label);
	html_printf(&r->out, "<form class=\"search\" method=\"get\" action=\"/admin/users\"><label for=\"uq\">%s</label>"
		    "<input id=\"uq\" name=\"q\" type=\"search\" value=\"%s\"><button type=\"submit\">%s</button></form>",
		    L(r, "E-mail zawiera", "E-mail contains"), q, L(r, "Szukaj", "Search"));
	html_printf(&r->out, "<p class=\"hint\">%s</p>",
		    L(r, "Redaktor potrzebuje organizacji: wpisz jej NIP albo nazwę (lub #numer). "
			 "Koordynator potrzebuje klastra: wybierz go z listy.",
		      "An editor needs an organisation: type its NIP or name (or #number). "
		      "A coordinator needs a cluster: choose it from the list."));
	html_printf(&r->out, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		    L(r, "E-mail", "E-mail"), L(r, "Stan", "Status"), L(r, "Rola i zakres", "Role and scope"),
		    L(r, "Zmiana roli", "Change role"), L(r, "Dostęp", "Access"));
	while ((rc = db_step(st, &e)) == 1) {
		long long id = db_col_int(st, 0), org = db_col_int(st, 5), cl = db_col_int(st, 6);
		const char *role = db_col_text(st, 3), *nip = db_col_text(st, 9), *org_text;
		int blocked = db_col_int(st, 10) != 0, mine = err_uid == id;
		char idbuf[32], orgbuf[32];
		long long cl_sel = cl;
		snprintf(idbuf, sizeof(idbuf), "%lld", id);
		snprintf(orgbuf, sizeof(orgbuf), "#%lld", org);
		/* the organisation as it can be typed back: its NIP, else its number */
		org_text = org ? (*nip ? nip : orgbuf) : "";
		if (mine) {
			/* the refused change as it was sent */
			const char *v = req_form(r, "cluster");
			role = req_form(r, "role") && auth_role_ok(req_form(r, "role")) ? req_form(r, "role") : role;
			org_text = req_form(r, "org") ? req_form(r, "org") : "";
			cl_sel = v && *v ? strtoll(v, NULL, 10) : 0;
		}
		html_printf(&r->out, "<tr><td>%s<br><small>%s</small></td><td>%s", db_col_text(st, 1), db_col_text(st, 2),
			    state_label(db_col_text(st, 4), r->lang));
		if (blocked)
			html_printf(&r->out, " <span class=\"badge blocked\">%s</span>", L(r, "zablokowane", "blocked"));
		html_printf(&r->out, "</td><td>%s %s%s</td><td>", state_label(db_col_text(st, 3), r->lang), db_col_text(st, 7),
			    db_col_text(st, 8));
		form_open(r, "/admin/users/role", "inline");
		/* the refused row's controls have the ids its error lines link to (users_label) */
		html_printf(&r->out, "<input type=\"hidden\" name=\"user\" value=\"%s\"><input type=\"hidden\" name=\"q\" "
			    "value=\"%s\"><select name=\"role\"%R aria-label=\"%s: %s\"%R>", idbuf, q, mine ? " id=\"f-role\"" : "",
			    L(r, "Rola", "Role"), db_col_text(st, 1), mine ? web_invalid(r, "role") : "");
		role_option(r, "user", L(r, "użytkownik", "user"), role);
		role_option(r, "editor", L(r, "redaktor organizacji", "organisation editor"), role);
		role_option(r, "coordinator", L(r, "koordynator klastra", "cluster coordinator"), role);
		role_option(r, "admin", L(r, "administrator", "administrator"), role);
		/* the rows' fields are alike too: each names its account, after the words of its label */
		html_printf(&r->out, "</select> <input name=\"org\"%R size=\"16\" maxlength=\"200\" value=\"%s\" aria-label=\"%s (%s)\""
			    " placeholder=\"%s\"%R> <select name=\"cluster\"%R aria-label=\"%s: %s\"%R><option value=\"\">%s</option>",
			    mine ? " id=\"f-org\"" : "", org_text,
			    L(r, "Organizacja redaktora: NIP albo nazwa", "The editor's organisation: NIP or name"), db_col_text(st, 1),
			    L(r, "NIP lub nazwa organizacji", "organisation NIP or name"), mine ? web_invalid(r, "org") : "",
			    mine ? " id=\"f-cluster\"" : "", L(r, "Klaster koordynatora", "The coordinator's cluster"),
			    db_col_text(st, 1), mine ? web_invalid(r, "cluster") : "",
			    L(r, "— klaster —", "— cluster —"));
		for (i = 0; i < ncls; i++)
			html_printf(&r->out, "<option value=\"%lld\"%R>%s</option>", cls[i].id,
				    cls[i].id == cl_sel ? " selected" : "", cls[i].label);
		/* the rows' buttons are alike: each names its account to a screen reader */
		html_printf(&r->out, "</select> <button type=\"submit\">%s<span class=\"vh\">: %s</span></button></form></td><td>",
			    L(r, "Zapisz", "Save"), db_col_text(st, 1));
		form_open(r, blocked ? "/admin/users/unblock" : "/admin/users/block", "inline");
		html_printf(&r->out, "<input type=\"hidden\" name=\"user\" value=\"%s\"><input type=\"hidden\" name=\"q\" "
			    "value=\"%s\"><button type=\"submit\"%R>%s<span class=\"vh\">: %s</span></button></form></td></tr>",
			    idbuf, q, blocked ? "" : " class=\"danger\"",
			    blocked ? L(r, "Odblokuj", "Unblock") : L(r, "Zablokuj", "Block"), db_col_text(st, 1));
	}
	db_finalize(st);
	cluster_choices_free(cls, ncls);
	buf_puts(&r->out, "</tbody></table>");
	page_end(r);
	if (rc < 0)
		req_error_kerr(r, &e);
}

static void h_admin_users(struct req *r)
{
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	users_page(r, req_arg(r, "q"), NULL, 0);
}

static long long form_id(struct req *r, const char *name)
{
	const char *v = req_form(r, name);
	char *end;
	long long id;
	if (!v || !*v)
		return 0;
	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	id = strtoll(v, &end, 10);
	return *end || errno ? -1 : id;
}

/* Back to the list the form was sent from (its search q), with done=code. */
static void users_redirect(struct req *r, const char *code)
{
	struct buf to = BUF_INIT;
	const char *q = req_form(r, "q");
	buf_printf(&to, "/admin/users?done=%s", code);
	if (q && *q) {
		buf_puts(&to, "&q=");
		esc_url(&to, q);
	}
	req_redirect(r, to.ptr);
	buf_release(&to);
}

/* The user a form of /admin/users names (field user), read into *u;
 * answers (400, 404) and returns -1 when there is none. */
static int form_user(struct req *r, struct user *u)
{
	struct kerr e = KERR_INIT;
	long long uid = form_id(r, "user");
	int found;
	if (uid <= 0) {
		req_error(r, 400, L(r, "Użytkownik (user): podaj numer konta", "User (user): an account's number"));
		return -1;
	}
	found = auth_user_by_id(r->db, uid, u, &e);
	if (found < 0)
		req_error_kerr(r, &e);
	else if (!found)
		req_error(r, 404, L(r, "Nie ma takiego użytkownika.", "No such user."));
	return found == 1 ? 0 : -1;
}

/* A refused change: the list again, filtered to the account, with the
 * message (a person's mistake) or the error page. */
static void users_refused(struct req *r, const struct user *u, struct kerr *e)
{
	db_rollback(r->db);
	if (e->kind != KERR_INPUT && e->kind != KERR_CONFLICT)
		return req_error_kerr(r, e);
	r->status = e->kind == KERR_INPUT ? 400 : 409;
	users_page(r, u->email, e->msg, u->id);
}

static void h_admin_users_role(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *role = req_form(r, "role"), *org_text = req_form(r, "org"), *cl_text = req_form(r, "cluster");
	long long org = 0, cl = 0;
	struct user u;
	struct buf detail = BUF_INIT;
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	if (form_user(r, &u))
		return;
	if (u.id == r->user.id && (!role || strcmp(role, "admin") != 0))
		return req_error(r, 409, L(r, "Nie możesz odebrać sobie roli administratora.",
					   "You cannot take the administrator role from yourself."));
	/* the scope the role uses, named as the administrator chose it */
	if ((role && strcmp(role, "editor") == 0 && auth_scope_org(r->db, org_text, "org", &org, &e)) ||
	    (role && strcmp(role, "coordinator") == 0 && auth_scope_cluster(r->db, cl_text, "cluster", &cl, &e)))
		return users_refused(r, &u, &e);
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	buf_printf(&detail, "%s → %s org=%lld cluster=%lld", u.role, role ? role : "", org, cl);
	if (auth_user_set_role(r->db, u.id, role, org, cl, &e) ||
	    auth_audit(r->db, r->user.id, r->ip, "role", "user", u.id, detail.ptr, &e)) {
		buf_release(&detail);
		return users_refused(r, &u, &e);
	}
	buf_release(&detail);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	users_redirect(r, "1");
}

/* POST /admin/users/block and /admin/users/unblock. */
static void admin_users_block(struct req *r, int block)
{
	struct kerr e = KERR_INIT;
	struct user u;
	int changed;
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	if (form_user(r, &u))
		return;
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	changed = block ? auth_user_block(r->db, u.id, r->user.id, &e) : auth_user_unblock(r->db, u.id, &e);
	if (changed < 0 ||
	    (changed && auth_audit(r->db, r->user.id, r->ip, block ? "user-block" : "user-unblock", "user", u.id, u.email,
				   &e)))
		return users_refused(r, &u, &e);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	users_redirect(r, changed ? (block ? "blocked" : "unblocked") : (block ? "already-blocked" : "not-blocked"));
}

static void h_admin_users_block(struct req *r)
{
	admin_users_block(r, 1);
}

static void h_admin_users_unblock(struct req *r)
{
	admin_users_block(r, 0);
}

/* ---- the outbox and the audit log: lists a page at a time ---- */

#define OUTBOX_PAGE 100
#define AUDIT_PAGE 100
#define AUDIT_CSV_MAX 100000

/* The ?page= of a list: 1 when absent; answers 400 and returns 0 when it is no page number. */
static long list_page(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *v = req_arg(r, "page");
	char *end;
	long long p;
	if (!v || !*v)
		return 1;
	errno = 0;
	p = strtoll(v, &end, 10);
	if (*end || errno || !isdigit((unsigned char)*v) || p < 1 || p > 100000) {
		kerr_set(&e, KERR_INPUT, "%s", L(r, "Numer strony (page): musi być liczbą całkowitą od 1 do 100000",
						 "Page number (page): must be a whole number from 1 to 100000"));
		req_error_kerr(r, &e);
		return 0;
	}
	return (long)p;
}

static long pages_of(long long total, long per)
{
	long long p = (total + per - 1) / per;
	return p < 1 ? 1 : p > 100000 ? 100000 : (long)p;
}

static void outbox_link(void *ctx, long p, struct buf *out)
{
	buf_printf(out, "/admin/outbox?page=%ld", p);
}

static void h_admin_outbox(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	long long total = 0;
	long page, shown = 0;
	int rc;
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	if (!(page = list_page(r)))
		return;
	if (db_query_int(r->db, &total, &e, "SELECT COUNT(*) FROM mail_queue", NULL) < 0 ||
	    db_prepare(r->db, "SELECT id, to_addr, subject, status, attempts, COALESCE(last_error, ''), created_at"
		       " FROM mail_queue ORDER BY id DESC LIMIT ? OFFSET ?", &st, &e))
		return req_error_kerr(r, &e);
	db_bind_int(st, 1, OUTBOX_PAGE);
	db_bind_int(st, 2, (long long)(page - 1) * OUTBOX_PAGE);
	page_begin(r, L(r, "Skrzynka nadawcza", "Outbox"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1><p class=\"hint\">%s</p>",
		    L(r, "Panel", "Administration"), L(r, "Skrzynka nadawcza", "Outbox"),
		    r->app->mail.smtp_url && *r->app->mail.smtp_url
			    ? L(r, "Poczta jest wysyłana przez serwer SMTP; tu widać wiadomości i ich stan, najnowsze najpierw.",
				"Mail goes out through the SMTP server; here are the messages and their state, newest first.")
			    : L(r, "Nie skonfigurowano serwera SMTP: wiadomości zostają tutaj (stan „outbox”).",
				"No SMTP server is configured: messages stay here (state “outbox”)."));
	html_printf(&r->out, "<table><thead><tr><th>#</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		    L(r, "Do", "To"), L(r, "Temat", "Subject"), L(r, "Stan", "State"), L(r, "Próby / błąd", "Attempts / error"));
	while ((rc = db_step(st, &e)) == 1) {
		char id[32], att[32];
		snprintf(id, sizeof(id), "%lld", db_col_int(st, 0));
		snprintf(att, sizeof(att), "%lld", db_col_int(st, 4));
		html_printf(&r->out, "<tr><td><a href=\"/admin/outbox/%s\">%s</a></td><td>%s</td><td>%s</td><td>%s</td>"
			    "<td>%s %s</td></tr>", id, id, db_col_text(st, 1), db_col_text(st, 2),
			    state_label(db_col_text(st, 3), r->lang), att, db_col_text(st, 5));
		shown++;
	}
	db_finalize(st);
	buf_puts(&r->out, "</tbody></table>");
	if (!total)
		html_printf(&r->out, "<p>%s</p>", L(r, "Nie ma jeszcze żadnej wiadomości.", "There is no message yet."));
	else if (!shown)
		html_printf(&r->out, "<p>%s</p>", L(r, "Nic na tej stronie.", "Nothing on this page."));
	if (total)
		html_printf(&r->out, "<p class=\"count\">%s: <strong>%lld</strong></p>", L(r, "Razem", "In all"), total);
	web_pages(r, page, pages_of(total, OUTBOX_PAGE), outbox_link, NULL);
	page_end(r);
	if (rc < 0)
		req_error_kerr(r, &e);
}

static void h_admin_outbox_msg(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	char *end;
	long long id = strtoll(r->arg, &end, 10);
	int rc;
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	if (*end || id <= 0)
		return req_error(r, 404, L(r, "Nie ma takiej wiadomości.", "No such message."));
	if (db_prepare(r->db, "SELECT to_addr, subject, body, COALESCE(headers, ''), status, message_id, kind"
		       " FROM mail_queue WHERE id = ?", &st, &e))
		return req_error_kerr(r, &e);
	db_bind_int(st, 1, id);
	rc = db_step(st, &e);
	if (rc != 1) {
		db_finalize(st);
		return rc < 0 ? req_error_kerr(r, &e) : req_error(r, 404, L(r, "Nie ma takiej wiadomości.", "No such message."));
	}
	page_begin(r, db_col_text(st, 1));
	html_printf(&r->out, "<h1>%s</h1><dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
		    "<dt>Message-ID</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl><pre class=\"mail\">%s%s</pre>",
		    db_col_text(st, 1), L(r, "Do", "To"), db_col_text(st, 0), L(r, "Stan", "State"),
		    state_label(db_col_text(st, 4), r->lang),
		    db_col_text(st, 5), L(r, "Rodzaj", "Kind"), db_col_text(st, 6), db_col_text(st, 3), db_col_text(st, 2));
	{
		/* a message not yet delivered (or kept in the outbox) holds its live links — someone's
		 * password reset, say — so who read it is recorded */
		struct buf detail = BUF_INIT;
		buf_printf(&detail, "%s to %s (%s)", db_col_text(st, 6), db_col_text(st, 0), db_col_text(st, 4));
		db_finalize(st);
		audit(r, "outbox-view", "mail", id, detail.ptr);
		buf_release(&detail);
	}
	html_printf(&r->out, "<p><a href=\"/admin/outbox\">%s</a></p>", L(r, "Wróć", "Back"));
	page_end(r);
}

/* The audit filter of the request's query; -1 with the message for a 400. */
static int audit_filter_of(struct req *r, struct audit_filter *f, struct kerr *e)
{
	return audit_filter_parse(f, req_arg(r, "action"), req_arg(r, "user"), req_arg(r, "object"),
				  req_arg(r, "object_id"), req_arg(r, "from"), req_arg(r, "to"), e);
}

/* The query of a filter (URL-escaped, "&" between, no leading "?"). */
static void audit_query(const struct audit_filter *f, struct buf *out)
{
	const struct {
		const char *name, *value;
	} parts[] = {
		{ "action", f->action }, { "user", f->user }, { "object", f->object_type },
		{ "from", f->from }, { "to", f->to },
	};
	size_t i;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i].value[0]) {
			buf_printf(out, "%s%s=", out->len ? "&" : "", parts[i].name);
			esc_url(out, parts[i].value);
		}
	if (f->object_id)
		buf_printf(out, "%sobject_id=%lld", out->len ? "&" : "", f->object_id);
}

static void audit_link(void *ctx, long p, struct buf *out)
{
	const struct audit_filter *f = ctx;
	struct buf q = BUF_INIT;
	audit_query(f, &q);
	buf_printf(out, "/admin/audit?%s%spage=%ld", q.ptr, q.len ? "&" : "", p);
	buf_release(&q);
}

/* An action or a kind of object by its label in the page's language; a code the portal does not
 * write (audit.h) as it is. */
static const char *action_label(const char *code, struct req *r)
{
	const char *l = audit_action_label(code, r->lang);
	return l ? l : code;
}

static const char *object_label(const char *code, struct req *r)
{
	const char *l = audit_object_label(code, r->lang);
	return l ? l : code;
}

struct audit_select {
	struct req *r;
	const char *current;
	int seen;
	const char *(*label)(const char *code, struct req *r);
};

static int audit_option(void *ctx, const char *v)
{
	struct audit_select *s = ctx;
	int cur = strcmp(v, s->current) == 0;
	html_printf(&s->r->out, "<option value=\"%s\"%R>%s</option>", v, cur ? " selected" : "", s->label(v, s->r));
	s->seen |= cur;
	return 0;
}

/* A select of the values the log holds, the current one kept even when the log holds it no more. */
static void audit_select(struct req *r, const char *name, const char *label, enum audit_values_of which,
			 const char *current)
{
	struct audit_select s = { r, current, 0, which == AUDIT_ACTIONS ? action_label : object_label };
	html_printf(&r->out, "<div><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"%R>"
		    "<option value=\"\">%s</option>", name, label, name, name, web_invalid(r, name),
		    L(r, "— wszystkie —", "— all —"));
	audit_values(r->db, which, audit_option, &s, NULL);
	if (*current && !s.seen)
		html_printf(&r->out, "<option value=\"%s\" selected>%s</option>", current, s.label(current, r));
	buf_puts(&r->out, "</select></div>");
}

static void audit_form(struct req *r, const struct audit_filter *f)
{
	char oid[24] = "";
	const char *ov = req_arg(r, "object_id");
	if (f->object_id)
		snprintf(oid, sizeof(oid), "%lld", f->object_id);
	html_printf(&r->out, "<form class=\"filters\" action=\"/admin/audit\" method=\"get\" role=\"search\">");
	audit_select(r, "action", L(r, "Czynność", "Action"), AUDIT_ACTIONS,
		     f->action[0] ? f->action : req_arg(r, "action") ? req_arg(r, "action") : "");
	html_printf(&r->out, "<div><label for=\"f-user\">%s</label><input id=\"f-user\" name=\"user\" type=\"search\" "
		    "maxlength=\"200\" value=\"%s\" placeholder=\"%s\"%R></div>",
		    L(r, "Kto (e-mail zawiera, albo #numer konta)", "Who (e-mail contains, or #account number)"),
		    f->user[0] ? f->user : req_arg(r, "user") ? req_arg(r, "user") : "", "@firma.pl", web_invalid(r, "user"));
	audit_select(r, "object", L(r, "Obiekt: rodzaj", "Object: kind"), AUDIT_OBJECT_TYPES,
		     f->object_type[0] ? f->object_type : req_arg(r, "object") ? req_arg(r, "object") : "");
	html_printf(&r->out, "<div><label for=\"f-object_id\">%s</label><input id=\"f-object_id\" name=\"object_id\" "
		    "inputmode=\"numeric\" maxlength=\"19\" value=\"%s\"%R></div>",
		    L(r, "Obiekt: numer", "Object: number"), oid[0] ? oid : ov ? ov : "", web_invalid(r, "object_id"));
	html_printf(&r->out, "<div><label for=\"f-from\">%s</label><input id=\"f-from\" name=\"from\" type=\"date\" "
		    "value=\"%s\"%R></div><div><label for=\"f-to\">%s</label><input id=\"f-to\" name=\"to\" type=\"date\" "
		    "value=\"%s\"%R></div>",
		    L(r, "Od dnia (UTC)", "From (UTC)"), f->from[0] ? f->from : req_arg(r, "from") ? req_arg(r, "from") : "",
		    web_invalid(r, "from"), L(r, "Do dnia (UTC, włącznie)", "To (UTC, included)"),
		    f->to[0] ? f->to : req_arg(r, "to") ? req_arg(r, "to") : "", web_invalid(r, "to"));
	html_printf(&r->out, "<div><button type=\"submit\">%s</button> <a href=\"/admin/audit\">%s</a></div></form>",
		    L(r, "Filtruj", "Filter"), L(r, "Wyczyść", "Clear"));
}

/* A role and its scope as the role changes store them ("editor org=12", "coordinator cluster=3",
 * "org=0" for none): the role by its label, the scope linked to its page.  0 when text is not
 * of that form. */
static int role_scope(struct req *r, const char *text, struct buf *out)
{
	char role[16];
	long long org = -1, cl = -1, v;
	int n = 0;
	const char *s = text;
	if (sscanf(s, "%15[a-z]%n", role, &n) != 1 || !auth_role_ok(role))
		return 0;
	s += n;
	while (*s) {
		char key[8];
		if (sscanf(s, " %7[a-z]=%lld%n", key, &v, &n) != 2 || v < 0)
			return 0;
		if (strcmp(key, "org") == 0 && org < 0)
			org = v;
		else if (strcmp(key, "cluster") == 0 && cl < 0)
			cl = v;
		else
			return 0;
		s += n;
	}
	html_printf(out, "%s", state_label(role, r->lang));
	if (org > 0)
		html_printf(out, ", %s <a href=\"/organisations/%lld\">#%lld</a>", L(r, "organizacja", "organisation"), org, org);
	if (cl > 0)
		html_printf(out, ", %s <a href=\"/clusters/%lld\">#%lld</a>", L(r, "klaster", "cluster"), cl, cl);
	return 1;
}

/* The detail of an entry as a person reads it: a role change ("user → editor org=12 cluster=0")
 * and a new account's role ("editor org=12") by their labels, with the organisation or cluster
 * linked; the portal's sentences and codes in the page's language (audit_detail_text); else as
 * stored (text a person typed, an address). */
static void audit_detail(struct req *r, const char *action, const char *detail)
{
	static const char arrow[] = " \xE2\x86\x92 ";
	struct buf t = BUF_INIT;
	const char *to = strstr(detail, arrow);
	if (strcmp(action, "role") == 0 && to && (size_t)(to - detail) < 16) {
		char from[16];
		snprintf(from, sizeof(from), "%.*s", (int)(to - detail), detail);
		if (auth_role_ok(from) && role_scope(r, to + sizeof(arrow) - 1, &t)) {
			html_printf(&r->out, "%s \xE2\x86\x92 %R", state_label(from, r->lang), t.ptr);
			buf_release(&t);
			return;
		}
	} else if (strcmp(action, "user-add") == 0 && role_scope(r, detail, &t)) {
		buf_add(&r->out, t.ptr, t.len);
		buf_release(&t);
		return;
	}
	buf_reset(&t);
	if (audit_detail_text(action, detail, r->lang, &t))
		html_printf(&r->out, "%s", t.ptr);
	else
		html_printf(&r->out, "%s", detail);
	buf_release(&t);
}

struct audit_rows {
	struct req *r;
	long shown;
};

static int audit_row(void *ctx, const struct audit_entry *a)
{
	struct audit_rows *ar = ctx;
	struct req *r = ar->r;
	char when[20];
	audit_time(a->at, when);
	html_printf(&r->out, "<tr><td class=\"date\">%s</td><td>", when);
	/* who, the action and the object link to the log filtered by them (who by the account's
	 * number: its address as a filter would also take every address that holds it) */
	if (a->user_id && a->email[0])
		html_printf(&r->out, "<a href=\"/admin/audit?user=%%23%lld\">%s</a>", a->user_id, a->email);
	else if (a->user_id)
		html_printf(&r->out, "<a href=\"/admin/audit?user=%%23%lld\">#%lld</a>", a->user_id, a->user_id);
	html_printf(&r->out, "</td><td>%s</td><td><a href=\"/admin/audit?action=%u\">%s</a></td><td>", a->ip, a->action,
		    action_label(a->action, r));
	if (a->object_type[0] && a->object_id)
		html_printf(&r->out, "<a href=\"/admin/audit?object=%u&amp;object_id=%lld\">%s #%lld</a>", a->object_type,
			    a->object_id, object_label(a->object_type, r), a->object_id);
	else
		html_printf(&r->out, "%s", object_label(a->object_type, r));
	buf_puts(&r->out, "</td><td class=\"detail\">");
	audit_detail(r, a->action, a->detail);
	buf_puts(&r->out, "</td></tr>");
	ar->shown++;
	return 0;
}

static void h_admin_audit(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct audit_filter f;
	struct audit_rows ar = { r, 0 };
	struct buf q = BUF_INIT;
	long long total = 0;
	long page;
	int bad;
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	if (!(page = list_page(r)))
		return;
	bad = audit_filter_of(r, &f, &e);
	page_begin(r, L(r, "Dziennik zmian", "Audit log"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1>", L(r, "Panel", "Administration"),
		    L(r, "Dziennik zmian", "Audit log"));
	if (bad) {
		/* the form again with the values as typed and the field marked */
		r->status = 400;
		web_form_errors(r, e.msg, audit_label);
		memset(&f, 0, sizeof(f));
		audit_form(r, &f);
		page_end(r);
		return;
	}
	audit_form(r, &f);
	audit_query(&f, &q);
	html_printf(&r->out, "<p class=\"actions\"><a href=\"/admin/audit.csv%R%s\">%s</a></p>", q.len ? "?" : "", q.ptr,
		    L(r, "Pobierz jako CSV (z tymi filtrami)", "Download as CSV (with these filters)"));
	buf_release(&q);
	html_printf(&r->out, "<div class=\"table-wrap\"><table class=\"results\"><thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">IP</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>",
		    L(r, "Kiedy (UTC)", "When (UTC)"), L(r, "Kto", "Who"), L(r, "Czynność", "Action"), L(r, "Obiekt", "Object"),
		    L(r, "Szczegóły", "Details"));
	if (audit_list(r->db, &f, (long long)(page - 1) * AUDIT_PAGE, AUDIT_PAGE, &total, audit_row, &ar, &e)) {
		buf_release(&r->out);
		return req_error_kerr(r, &e);
	}
	buf_puts(&r->out, "</tbody></table></div>");
	if (!total)
		html_printf(&r->out, "<p>%s</p>", audit_filter_any(&f) ? L(r, "Żaden wpis nie pasuje do filtrów.", "No entry matches the filters.")
								     : L(r, "Dziennik jest pusty.", "The log is empty."));
	else if (!ar.shown)
		html_printf(&r->out, "<p>%s</p>", L(r, "Nic na tej stronie.", "Nothing on this page."));
	if (total)
		html_printf(&r->out, "<p class=\"count\">%s: <strong>%lld</strong></p>",
			    audit_filter_any(&f) ? L(r, "Pasujących wpisów", "Matching entries") : L(r, "Wpisów", "Entries"), total);
	web_pages(r, page, pages_of(total, AUDIT_PAGE), audit_link, &f);
	page_end(r);
}

/* GET /admin/audit.csv: the entries the filters of /admin/audit match, newest first. */
static int no_entry_row(void *ctx, const struct audit_entry *a)
{
	(void)ctx, (void)a;
	return 0;
}

static void h_admin_audit_csv(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct audit_filter f;
	struct web_table wt;
	long long total = 0;
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	if (audit_filter_of(r, &f, &e))
		return req_error_kerr(r, &e);
	/* all or nothing: an export cut short would pass for the whole log */
	if (audit_list(r->db, &f, 0, 1, &total, no_entry_row, NULL, &e))
		return req_error_kerr(r, &e);
	if (total > AUDIT_CSV_MAX) {
		char msg[300];
		snprintf(msg, sizeof(msg), L(r, "Filtry obejmują %lld wpisów, więcej niż %d, które mieści eksport: zawęź je "
					     "(np. zakresem dat) albo użyj polecenia klaster audit.",
					  "The filters match %lld entries, more than the %d an export holds: narrow them "
					  "(a date range, say), or use the command klaster audit."), total, AUDIT_CSV_MAX);
		return req_error(r, 413, msg);
	}
	if (web_table_open(r, &wt, TABLEW_CSV, "audit", audit_columns, &e))
		return req_error_kerr(r, &e);
	if (audit_list(r->db, &f, 0, AUDIT_CSV_MAX, NULL, audit_table_row, wt.t, &e)) {
		tablew_abort(wt.t);
		return req_error_kerr(r, &e);
	}
	if (web_table_send(r, &wt, "audit.csv", &e))
		return req_error_kerr(r, &e);
}

const struct route admin_routes[] = {
	{ "GET", "/admin", h_admin, R_DB | R_LOGIN },
	{ "GET", "/admin/users", h_admin_users, R_DB | R_LOGIN },
	{ "POST", "/admin/users/role", h_admin_users_role, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/users/block", h_admin_users_block, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/users/unblock", h_admin_users_unblock, R_DB | R_FORM | R_LOGIN },
	{ "GET", "/admin/outbox", h_admin_outbox, R_DB | R_LOGIN },
	{ "GET", "/admin/outbox/", h_admin_outbox_msg, R_DB | R_LOGIN | R_PREFIX },
	{ "GET", "/admin/audit", h_admin_audit, R_DB | R_LOGIN },
	{ "GET", "/admin/audit.csv", h_admin_audit_csv, R_DB | R_LOGIN },
	{ NULL, NULL, NULL, 0 }
};
