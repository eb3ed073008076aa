/*
 * web_moderation.c — "Add company" (/organisations/new) with its
 * moderation queue (/admin/companies), organisations' requests to join
 * a cluster (/clusters/ID/join), and the profiles kept up to date by their
 * people: an organisation's by its editor (/organisations/ID/edit), a
 * cluster's by its coordinator (/clusters/ID/edit).  The work is done by moderation.c; these
 * handlers read forms, check roles, send the e-mails and render.  The
 * rules are in docs/PORTAL-COMPANIES.md.
 */
#include "web.h"

#include <stddef.h>

#include "esc.h"
#include "fold.h"
#include "moderation.h"

/* "Add company" proposals per window (seconds): per client address for
 * visitors, per account for logged-in users. */
#define PROPOSE_PER_IP 10
#define PROPOSE_PER_USER 30
#define PROPOSE_WINDOW 3600
#define JOIN_PER_USER 20
#define JOIN_WINDOW 3600

/* The honeypot: a field people never see (hidden) and bots fill in. */
#define HONEYPOT "fax"

/* The text in the proposer's (or requester's) language, for e-mails. */
static const char *LL(const char *lang, const char *pl, const char *en)
{
	return lang && lang[0] == 'e' ? en : pl;
}

/* A positive id from a string (form field or path segment); 0 if not one. */
static long long parse_id(const char *s)
{
	char *end;
	long long id;
	if (!s || !isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	id = strtoll(s, &end, 10);
	return *end || errno || id <= 0 ? 0 : id;
}

/* Counts one attempt under key; answers 429 and returns 1 when over the limit. */
static int rate_limited(struct req *r, const char *key, long limit, long window)
{
	return req_rate_limited(r, key, limit, NULL, 0, window,
				L(r, "Zbyt wiele zgłoszeń. Spróbuj ponownie za godzinę.",
				  "Too many submissions. Try again in an hour."));
}

static void fail_tx(struct req *r, struct kerr *e)
{
	db_rollback(r->db);
	req_error_kerr(r, e);
}

/* ---- the "Add company" form ---- */

enum fkind { FK_INPUT, FK_AREA, FK_TYPE, FK_SIZE, FK_PKDVER, FK_VOIV };

static const struct org_field {
	const char *name, *pl, *en;
	enum fkind kind;
	const char *input;          /* the input's type (FK_INPUT) */
	const char *attrs;          /* raw attributes, written as they are */
} org_form[] = {
	{ "name", "Nazwa", "Name", FK_INPUT, "text", "required maxlength=\"300\" autocomplete=\"organization\"" },
	{ "type", "Rodzaj organizacji", "Kind of organisation", FK_TYPE, NULL, NULL },
	{ "size_class", "Wielkość (tylko przedsiębiorstwa)", "Size (enterprises only)", FK_SIZE, NULL, NULL },
	{ "nip", "NIP", "NIP (tax number)", FK_INPUT, "text", "maxlength=\"20\" inputmode=\"numeric\"" },
	{ "regon", "REGON", "REGON", FK_INPUT, "text", "maxlength=\"20\" inputmode=\"numeric\"" },
	{ "krs", "KRS", "KRS", FK_INPUT, "text", "maxlength=\"20\" inputmode=\"numeric\"" },
	{ "pkd", "Kody PKD (rozdzielone „;”, najpierw główny)", "PKD codes (separated by “;”, the main one first)",
	  FK_INPUT, "text", "maxlength=\"300\" placeholder=\"62.01.Z;62.02.Z\"" },
	{ "pkd_version", "Wersja PKD", "PKD version", FK_PKDVER, NULL, NULL },
	{ "street", "Ulica i numer", "Street and number", FK_INPUT, "text", "maxlength=\"300\"" },
	{ "postal_code", "Kod pocztowy", "Postal code", FK_INPUT, "text",
	  "maxlength=\"6\" placeholder=\"00-000\" autocomplete=\"postal-code\"" },
	{ "city", "Miejscowość", "Town", FK_INPUT, "text", "maxlength=\"300\"" },
	{ "teryt", "Kod TERYT gminy lub powiatu", "TERYT code of the gmina or powiat", FK_INPUT, "text",
	  "maxlength=\"7\" inputmode=\"numeric\"" },
	{ "website", "Strona WWW", "Website", FK_INPUT, "url", "maxlength=\"300\" placeholder=\"https://\"" },
	/* text, not type=email: a browser refuses an internationalised address the directory takes
	 * (żółw@example.pl), and with it the whole form */
	{ "email", "E-mail organizacji", "The organisation's e-mail", FK_INPUT, "text",
	  "maxlength=\"254\" inputmode=\"email\" autocomplete=\"email\"" },
	{ "phone", "Telefon", "Phone", FK_INPUT, "tel", "maxlength=\"40\"" },
	{ "description_pl", "Opis po polsku", "Description in Polish", FK_AREA, NULL, "maxlength=\"5000\"" },
	{ "description_en", "Opis po angielsku", "Description in English", FK_AREA, NULL, "maxlength=\"5000\"" },
};
#define N_ORG_FORM (sizeof(org_form) / sizeof(org_form[0]))

/* The form's label of field name, NULL when the form has no such field (web_form_errors). */
static const char *form_label(struct req *r, const char *name)
{
	size_t i;
	for (i = 0; i < N_ORG_FORM; i++)
		if (strcmp(org_form[i].name, name) == 0)
			return L(r, org_form[i].pl, org_form[i].en);
	if (strcmp(name, "proposer_email") == 0)
		return L(r, "Twój adres e-mail", "Your e-mail address");
	if (strcmp(name, "cluster") == 0)
		return L(r, "Klaster", "Cluster");
	return NULL;
}

static const char *field_label(struct req *r, const char *name)
{
	size_t i;
	for (i = 0; i < N_ORG_FORM; i++)
		if (strcmp(org_form[i].name, name) == 0)
			return L(r, org_form[i].pl, org_form[i].en);
	return name;
}

/* A select; attrs "readonly" makes it disabled (a select has no read-only state; the handler
 * ignores the field anyway). */
static void select_begin_attrs(struct req *r, const char *name, const char *label, const char *attrs)
{
	int locked = attrs && strncmp(attrs, "readonly", 8) == 0;
	html_printf(&r->out, "<p class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"%R%R%R>", name,
		    label, name, name, web_invalid(r, name), locked ? " disabled" : "",
		    locked ? " aria-describedby=\"locked-hint\"" : "");
}

static void select_begin(struct req *r, const char *name, const char *label)
{
	select_begin_attrs(r, name, label, NULL);
}

static void option(struct req *r, const char *value, const char *label, const char *current)
{
	html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", value,
		    current && strcmp(current, value) == 0 ? " selected" : "", label);
}

struct cluster_opts {
	struct req *r;
	const char *current;
};

static int cluster_option(void *ctx, const struct cluster *c)
{
	struct cluster_opts *co = ctx;
	char id[24], label[700];
	snprintf(id, sizeof(id), "%lld", c->id);
	snprintf(label, sizeof(label), "%s (%s)", c->name, c->acronym);
	option(co->r, id, label, co->current);
	return 0;
}

/* The voivodeships as options (TERYT code, name), value cur selected; "— none —" first. */
static void voiv_options(struct req *r, const char *cur)
{
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	option(r, "", L(r, "— brak —", "— none —"), cur);
	if (db_prepare(r->db, "SELECT teryt, name FROM region WHERE level = 'voivodeship' ORDER BY teryt", &st, &e)) {
		fprintf(stderr, "klaster: voivodeships: %s\n", e.msg);
		return;
	}
	while (db_step(st, &e) == 1)
		option(r, db_col_text(st, 0), db_col_text(st, 1), cur);
	db_finalize(st);
}

/* The fields of a form (n of fields), with vals[i] (may be NULL) the value of fields[i]. */
static void form_fields(struct req *r, const struct org_field *fields, size_t n, const char *const *vals)
{
	size_t i;
	for (i = 0; i < n; i++) {
		const struct org_field *f = &fields[i];
		const char *label = L(r, f->pl, f->en), *v = vals[i];
		size_t k;
		switch (f->kind) {
		case FK_INPUT:
			web_field(r, f->name, label, f->input, v, f->attrs);
			break;
		case FK_AREA:
			web_textarea(r, f->name, label, v, 4, f->attrs);
			break;
		case FK_TYPE:
			select_begin_attrs(r, f->name, label, f->attrs);
			for (k = 0; org_types[k]; k++)
				option(r, org_types[k], org_type_label(org_types[k], r->lang), v);
			buf_puts(&r->out, "</select></p>");
			break;
		case FK_SIZE:
			select_begin(r, f->name, label);
			option(r, "", L(r, "— nie dotyczy —", "— not applicable —"), v);
			for (k = 0; org_sizes[k]; k++)
				option(r, org_sizes[k], org_size_label(org_sizes[k], r->lang), v);
			buf_puts(&r->out, "</select></p>");
			break;
		case FK_PKDVER:
			select_begin(r, f->name, label);
			option(r, "2007", "PKD 2007", v);
			option(r, "2025", "PKD 2025", v);
			buf_puts(&r->out, "</select></p>");
			break;
		case FK_VOIV:
			select_begin(r, f->name, label);
			voiv_options(r, v);
			buf_puts(&r->out, "</select></p>");
			break;
		}
	}
}

static void org_form_fields(struct req *r, const char *const vals[N_ORG_FORM])
{
	form_fields(r, org_form, N_ORG_FORM, vals);
}

/* The select of the cluster a proposal asks to join, current selected. */
static void cluster_select(struct req *r, const char *current)
{
	struct kerr e = KERR_INIT;
	struct cluster_opts co = { r, current };
	select_begin(r, "cluster", L(r, "Klaster, do którego organizacja chce należeć (nieobowiązkowo)",
				     "A cluster the organisation wants to join (optional)"));
	option(r, "", L(r, "— żaden —", "— none —"), co.current);
	if (dir_cluster_list(r->db, NULL, NULL, cluster_option, &co, &e))
		fprintf(stderr, "klaster: cluster list: %s\n", e.msg);
	buf_puts(&r->out, "</select></p>");
}

static void my_proposals(struct req *r);

/* The form, with the values of the request's form (v) when re-rendered. */
static void propose_page(struct req *r, const char *error, int with_values)
{
	size_t i;
	const char *done = req_arg(r, "done"), *vals[N_ORG_FORM];
#define V(name) (with_values ? req_form(r, name) : NULL)

	page_begin(r, L(r, "Dodaj firmę", "Add company"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/organisations\">%s</a></p><h1>%s</h1><p>%s</p>",
		    L(r, "Organizacje", "Organisations"), L(r, "Dodaj firmę", "Add company"),
		    L(r, "Zaproponuj organizację do katalogu. Moderator sprawdzi zgłoszenie przed publikacją, "
			 "a o decyzji napiszemy na podany adres e-mail.",
		      "Propose an organisation for the directory. A moderator checks the proposal before it is "
			 "published, and we e-mail you the decision."));
	if (done && strcmp(done, "1") == 0 && !error)
		web_alert(r, "notice", L(r, "Dziękujemy! Zgłoszenie czeka na moderatora; o decyzji napiszemy e-mailem.",
					 "Thank you! The proposal waits for a moderator; we will e-mail you the decision."));
	if (done && strcmp(done, "saved") == 0 && !error)
		web_alert(r, "notice", L(r, "Zapisano zmiany. Zgłoszenie nadal czeka na moderatora.",
					 "Changes saved. The proposal still awaits a moderator."));
	else if (done && strcmp(done, "withdrawn") == 0 && !error)
		web_alert(r, "notice", L(r, "Zgłoszenie wycofane.", "The proposal was withdrawn."));
	if (r->logged_in)
		html_printf(&r->out, "<p><a href=\"#proposals\">%s</a></p>",
			    L(r, "Twoje zgłoszenia: stan, poprawki, wycofanie", "Your proposals: their state, changes, withdrawing"));
	if (error)
		web_form_errors(r, error, form_label);
	form_open(r, "/organisations/new", "stack");
	for (i = 0; i < N_ORG_FORM; i++)
		vals[i] = V(org_form[i].name);
	org_form_fields(r, vals);
	cluster_select(r, V("cluster"));
	if (r->logged_in)
		html_printf(&r->out, "<p class=\"hint\">%s <strong>%s</strong></p>",
			    L(r, "Decyzję wyślemy na adres Twojego konta:", "We will send the decision to your account's address:"),
			    r->user.email);
	else
		web_field(r, "proposer_email", L(r, "Twój adres e-mail (do powiadomienia o decyzji)",
						 "Your e-mail address (to tell you the decision)"),
			  "email", V("proposer_email"), "required maxlength=\"254\" autocomplete=\"email\"");
	html_printf(&r->out, "<div hidden><label for=\"f-" HONEYPOT "\">%s</label>"
		    "<input id=\"f-" HONEYPOT "\" name=\"" HONEYPOT "\" type=\"text\" value=\"\" tabindex=\"-1\" autocomplete=\"off\"></div>",
		    L(r, "Zostaw to pole puste", "Leave this field empty"));
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>",
		    L(r, "Wyślij zgłoszenie", "Send the proposal"));
	if (r->logged_in)
		my_proposals(r);
	page_end(r);
#undef V
}

static void proposal_edit(struct req *r);

/* The form; ?edit=ID: the change form of the user's own pending proposal ID. */
static void h_propose(struct req *r)
{
	if (req_arg(r, "edit"))
		return proposal_edit(r);
	propose_page(r, NULL, 0);
}

/* Mails every coordinator of a cluster about something waiting for them. */
struct notice {
	struct req *r;
	const char *kind, *what;      /* what: the organisation's name */
	const char *cluster;
	struct kerr *e;
	int failed;
};

static int notify_coordinator(void *ctx, const char *email, const char *lang)
{
	struct notice *n = ctx;
	struct buf body = BUF_INIT;
	int rc;
	if (strcmp(n->kind, "proposal") == 0)
		buf_printf(&body, LL(lang, "Dzień dobry,\n\nzgłoszono nową organizację „%s”, która chce należeć do klastra „%s”.\n"
					   "Zgłoszenie czeka na decyzję:\n%s/admin/companies\n",
				     "Hello,\n\na new organisation, “%s”, was proposed and asks to join the cluster “%s”.\n"
					   "The proposal waits for your decision:\n%s/admin/companies\n"),
			   n->what, n->cluster, n->r->app->mail.base_url);
	else
		buf_printf(&body, LL(lang, "Dzień dobry,\n\norganizacja „%s” prosi o przyjęcie do klastra „%s”.\n"
					   "Prośba czeka na decyzję:\n%s/admin/companies\n",
				     "Hello,\n\nthe organisation “%s” asks to join the cluster “%s”.\n"
					   "The request waits for your decision:\n%s/admin/companies\n"),
			   n->what, n->cluster, n->r->app->mail.base_url);
	rc = mail_enqueue(n->r->db, strcmp(n->kind, "proposal") == 0 ? "org-proposal-new" : "membership-request-new", email,
			  LL(lang, "Nowe zgłoszenie do klastra", "New request for your cluster"), body.ptr, NULL, n->e);
	buf_release(&body);
	if (rc)
		n->failed = 1;
	return rc ? 1 : 0;
}

/* Mails the coordinators of the cluster proposal p asks to join (p->cluster_id, not 0) that it
 * waits for them: 0, or non-zero with e. */
static int notify_proposal_cluster(struct req *r, const struct proposal *p, struct kerr *e)
{
	struct cluster c;
	char cid[24];
	int rc;
	snprintf(cid, sizeof(cid), "%lld", p->cluster_id);
	rc = dir_cluster_get(r->db, cid, &c, e);
	if (!rc) {
		struct notice nt = { r, "proposal", p->name, c.name, e, 0 };
		rc = mod_cluster_coordinators(r->db, p->cluster_id, notify_coordinator, &nt, e) || nt.failed;
		cluster_release(&c);
	}
	return rc;
}

static void h_propose_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *names[N_ORG_FORM], *values[N_ORG_FORM];
	const char *email = r->logged_in ? r->user.email : req_form(r, "proposer_email");
	struct proposal p;
	struct org o;
	long long dup;
	size_t i, n = 0;
	int rc;

	/* a filled honeypot is a bot: the same answer as for a person, nothing stored */
	if (req_form(r, HONEYPOT) && *req_form(r, HONEYPOT))
		return req_redirect(r, "/organisations/new?done=1");
	for (i = 0; i < N_ORG_FORM; i++)
		if (req_form(r, org_form[i].name)) {
			names[n] = org_form[i].name;
			values[n++] = req_form(r, org_form[i].name);
		}
	if (mod_proposal_check(&p, names, values, n, email, req_form(r, "cluster"), r->lang, r->db, &o, &e)) {
		if (e.kind != KERR_INPUT)
			return req_error_kerr(r, &e);
		r->status = 400;
		return propose_page(r, e.msg, 1);
	}
	rc = mod_org_duplicate(r->db, &o, &dup, &e);
	org_release(&o);
	if (rc) {
		proposal_release(&p);
		if (rc < 0)
			return req_error_kerr(r, &e);
		r->status = 409;
		return propose_page(r, e.msg, 1);
	}
	{
		struct buf key = BUF_INIT;
		int over;
		if (r->logged_in)
			buf_printf(&key, "propose-user:%lld", r->user.id);
		else
			buf_printf(&key, "propose-ip:%s", r->ip);
		over = rate_limited(r, key.ptr, r->logged_in ? PROPOSE_PER_USER : PROPOSE_PER_IP, PROPOSE_WINDOW);
		buf_release(&key);
		if (over) {
			proposal_release(&p);
			return;
		}
	}
	p.proposer_id = r->logged_in ? r->user.id : 0;
	if (db_begin(r->db, &e)) {
		proposal_release(&p);
		return req_error_kerr(r, &e);
	}
	rc = mod_proposal_submit(r->db, &p, r->ip, &e);
	if (!rc && p.cluster_id)
		rc = notify_proposal_cluster(r, &p, &e);
	proposal_release(&p);
	if (rc)
		return fail_tx(r, &e);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	req_redirect(r, "/organisations/new?done=1");
}

/* ---- the proposer's own proposals, under the form of /organisations/new ---- */

static const char *proposal_state(struct req *r, const char *status)
{
	return strcmp(status, "pending") == 0    ? L(r, "czeka na moderatora", "awaiting a moderator")
	       : strcmp(status, "approved") == 0 ? L(r, "zatwierdzona", "approved")
	       : strcmp(status, "rejected") == 0 ? L(r, "odrzucona", "rejected")
						  : status;
}

static int mine_item(void *ctx, const struct proposal *p)
{
	struct req *r = ctx;
	char created[32], id[24];
	web_time_utc(p->created_at, created);
	snprintf(id, sizeof(id), "%lld", p->id);
	html_printf(&r->out, "<article class=\"proposal\" id=\"proposal-%s\"><h3>%s <span class=\"muted\">#%s</span></h3>"
		    "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd><strong>%s</strong></dd>",
		    id, p->name, id, L(r, "Zgłoszono", "Received"), created, L(r, "Stan", "State"),
		    proposal_state(r, p->status));
	if (p->cluster_id)
		html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", L(r, "Chce należeć do klastra", "Asks to join the cluster"),
			    p->cluster_name ? p->cluster_name : "");
	if (p->reason)
		html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", L(r, "Powód odrzucenia", "Reason for rejecting"), p->reason);
	if (p->org_id)
		html_printf(&r->out, "<dt>%s</dt><dd><a href=\"/organisations/%lld\">%s</a></dd>",
			    L(r, "W katalogu", "In the directory"), p->org_id, p->name);
	buf_puts(&r->out, "</dl>");
	if (strcmp(p->status, "pending") == 0) {
		struct buf ask = BUF_INIT;
		buf_printf(&ask, L(r, "Wycofać zgłoszenie „%s”?", "Withdraw the proposal “%s”?"), p->name);
		html_printf(&r->out, "<p><a href=\"/organisations/new?edit=%s\">%s<span class=\"vh\">: %s</span></a></p>",
			    id, L(r, "Popraw zgłoszenie", "Change the proposal"), p->name);
		form_open(r, "/organisations/proposals/withdraw", "inline");
		html_printf(&r->out, "<input type=\"hidden\" name=\"id\" value=\"%s\"><button type=\"submit\" class=\"danger\""
			    " data-confirm=\"%s\">%s<span class=\"vh\">: %s</span></button></form>",
			    id, ask.ptr, L(r, "Wycofaj zgłoszenie", "Withdraw the proposal"), p->name);
		buf_release(&ask);
	}
	buf_puts(&r->out, "</article>");
	return 0;
}

/* The proposals made from the account, under the "Add company" form. */
static void my_proposals(struct req *r)
{
	struct kerr e = KERR_INIT;
	size_t before;
	html_printf(&r->out, "<section id=\"proposals\"><h2>%s</h2><p class=\"hint\">%s</p>",
		    L(r, "Twoje zgłoszenia", "Your proposals"),
		    L(r, "Organizacje zaproponowane z Twojego konta, najnowsze najpierw. Zgłoszenie czekające na moderatora "
			 "możesz poprawić albo wycofać.",
		      "The organisations proposed from your account, newest first. A proposal awaiting a moderator may be "
			 "changed or withdrawn."));
	before = r->out.len;
	if (mod_proposal_list_mine(r->db, r->user.id, mine_item, r, &e))
		fprintf(stderr, "klaster: own proposals: %s\n", e.msg);
	if (r->out.len == before)
		html_printf(&r->out, "<p>%s</p>", L(r, "Z tego konta nie zgłoszono jeszcze żadnej organizacji.",
						      "You have proposed no organisation yet."));
	buf_puts(&r->out, "</section>");
}

/* The edit form of proposal p; the values are the posted ones when with_values, else p's;
 * seen is the version the form stands for. */
static void proposal_edit_page(struct req *r, const struct proposal *p, const char *error, int with_values,
			       const char *seen)
{
	const char *vals[N_ORG_FORM];
	char cid[24];
	size_t i;
	snprintf(cid, sizeof(cid), "%lld", p->cluster_id);
	page_begin(r, L(r, "Popraw zgłoszenie", "Change the proposal"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/organisations/new#proposals\">%s</a></p><h1>%s</h1><p>%s</p>",
		    L(r, "Twoje zgłoszenia", "Your proposals"), L(r, "Popraw zgłoszenie", "Change the proposal"),
		    L(r, "Zgłoszenie czeka na moderatora; zmiany zobaczy on przed decyzją.",
		      "The proposal awaits a moderator, who sees the changes before deciding."));
	if (error)
		web_form_errors(r, error, form_label);
	form_open(r, "/organisations/proposals/edit", "stack");
	html_printf(&r->out, "<input type=\"hidden\" name=\"id\" value=\"%lld\"><input type=\"hidden\" name=\"seen\" value=\"%s\">",
		    p->id, seen);
	for (i = 0; i < N_ORG_FORM; i++)
		vals[i] = with_values ? req_form(r, org_form[i].name) : proposal_field(p, org_form[i].name);
	org_form_fields(r, vals);
	cluster_select(r, with_values ? req_form(r, "cluster") : p->cluster_id ? cid : "");
	html_printf(&r->out, "<p><button type=\"submit\">%s</button> <a href=\"/organisations/new#proposals\">%s</a></p></form>",
		    L(r, "Zapisz zmiany", "Save the changes"), L(r, "Anuluj", "Cancel"));
	page_end(r);
}

/* The proposal of the request's id (query or form) if it is the user's own and pending: 0, or
 * -1 answered (404 for none, 403 for another's, 409 when decided already). */
static int own_proposal(struct req *r, const char *idtext, struct proposal *p)
{
	struct kerr e = KERR_INIT;
	long long id = parse_id(idtext);
	memset(p, 0, sizeof(*p));
	if (!id || mod_proposal_get(r->db, id, p, &e)) {
		if (e.kind == KERR_DB)
			req_error_kerr(r, &e);
		else
			req_error(r, 404, L(r, "Nie ma takiego zgłoszenia.", "No such proposal."));
		proposal_release(p);
		return -1;
	}
	if (req_deny(r, p->proposer_id > 0 && p->proposer_id == r->user.id)) {
		proposal_release(p);
		return -1;
	}
	if (strcmp(p->status, "pending") != 0) {
		req_error(r, 409, L(r, "O tym zgłoszeniu moderator już zdecydował: nie można go zmienić ani wycofać.",
				    "A moderator has decided on this proposal already: it can no longer be changed or withdrawn."));
		proposal_release(p);
		return -1;
	}
	return 0;
}

static void proposal_edit(struct req *r)
{
	struct proposal p;
	char seen[MOD_VERSION_LEN];
	if (req_deny(r, r->logged_in) || own_proposal(r, req_arg(r, "edit"), &p))
		return;
	mod_proposal_version(&p, seen);
	proposal_edit_page(r, &p, NULL, 0, seen);
	proposal_release(&p);
}

/* The answer to a change or withdrawal of one's proposal that failed (the transaction rolled
 * back): 409 when a moderator decided on it meanwhile, else e's own. */
static void proposal_change_failed(struct req *r, const struct kerr *e)
{
	if (e->kind == KERR_CONFLICT)
		return req_error(r, 409, L(r, "O tym zgłoszeniu moderator już zdecydował: nie można go zmienić ani wycofać.",
					   "A moderator has decided on this proposal already: it can no longer be changed or withdrawn."));
	req_error_kerr(r, e);
}

static void h_proposal_edit_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	const char *names[N_ORG_FORM], *values[N_ORG_FORM], *seen = req_form(r, "seen");
	struct proposal cur, p;
	struct org o;
	char now[MOD_VERSION_LEN];
	long long dup;
	size_t i, n = 0;
	int rc;

	if (own_proposal(r, req_form(r, "id"), &cur))
		return;
	for (i = 0; i < N_ORG_FORM; i++)
		if (req_form(r, org_form[i].name)) {
			names[n] = org_form[i].name;
			values[n++] = req_form(r, org_form[i].name);
		}
	mod_proposal_version(&cur, now);
	if (mod_proposal_check(&p, names, values, n, cur.email, req_form(r, "cluster"), cur.lang, r->db, &o, &e)) {
		if (e.kind != KERR_INPUT) {
			proposal_release(&cur);
			return req_error_kerr(r, &e);
		}
		r->status = 400;
		proposal_edit_page(r, &cur, e.msg, 1, seen && *seen ? seen : now);
		return proposal_release(&cur);
	}
	rc = mod_org_duplicate(r->db, &o, &dup, &e);
	org_release(&o);
	if (rc) {
		proposal_release(&p);
		if (rc < 0) {
			proposal_release(&cur);
			return req_error_kerr(r, &e);
		}
		r->status = 409;
		proposal_edit_page(r, &cur, e.msg, 1, seen && *seen ? seen : now);
		return proposal_release(&cur);
	}
	if (db_begin(r->db, &e)) {
		proposal_release(&p);
		proposal_release(&cur);
		return req_error_kerr(r, &e);
	}
	/* compared in the transaction: a save from a form opened before another (a second tab) does
	 * not overwrite it unseen */
	proposal_release(&cur);
	rc = mod_proposal_get(r->db, parse_id(req_form(r, "id")), &cur, &e);
	if (!rc && seen && *seen) {
		mod_proposal_version(&cur, now);
		if (strcmp(seen, now) != 0) {
			db_rollback(r->db);
			r->status = 409;
			proposal_edit_page(r, &cur, L(r, "Zgłoszenie zmieniło się, odkąd otwarto ten formularz (zapisano je w innej "
							 "karcie). Poniżej są Twoje zmiany: zapisz je ponownie, jeśli mają zastąpić obecne.",
						      "The proposal changed since this form was opened (it was saved in another tab). "
							 "Your changes are below: save them again if they should replace what it holds now."),
					   1, now);
			proposal_release(&p);
			return proposal_release(&cur);
		}
	}
	rc = rc || mod_proposal_update(r->db, cur.id, r->user.id, &p, r->ip, &e);
	if (!rc && p.cluster_id && p.cluster_id != cur.cluster_id)
		rc = notify_proposal_cluster(r, &p, &e);   /* a cluster named now: told as of a new proposal */
	if (rc) {
		proposal_release(&p);
		proposal_release(&cur);
		db_rollback(r->db);
		return proposal_change_failed(r, &e);
	}
	proposal_release(&p);
	proposal_release(&cur);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	req_mail_kick(r);
	req_redirect(r, "/organisations/new?done=saved#proposals");
}

static void h_proposal_withdraw(struct req *r)
{
	static const char *const keep[] = { "id", NULL };
	struct kerr e = KERR_INIT;
	struct proposal p;
	if (own_proposal(r, req_form(r, "id"), &p))
		return;
	if (!web_confirmed(r)) {
		struct buf what = BUF_INIT;
		buf_printf(&what, L(r, "Zgłoszenie organizacji „%s” zostanie usunięte i nie trafi do moderatora.",
				    "The proposal of “%s” is deleted and does not reach a moderator."), p.name);
		web_confirm_page(r, L(r, "Wycofać zgłoszenie?", "Withdraw the proposal?"), what.ptr, "/organisations/proposals/withdraw",
				 keep, L(r, "Wycofaj zgłoszenie", "Withdraw the proposal"), "/organisations/new#proposals");
		buf_release(&what);
		return proposal_release(&p);
	}
	if (db_begin(r->db, &e)) {
		proposal_release(&p);
		return req_error_kerr(r, &e);
	}
	if (mod_proposal_withdraw(r->db, p.id, r->user.id, r->ip, &e)) {
		proposal_release(&p);
		db_rollback(r->db);
		return proposal_change_failed(r, &e);
	}
	proposal_release(&p);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	req_redirect(r, "/organisations/new?done=withdrawn#proposals");
}

/* ---- moderation: /admin/companies ---- */

/*
 * The proposal or request a refused decision posted to action was about (its form's id), 0 for
 * another: its fields and its reason carry the ids the page's error lines link to
 * (decision_label).
 */
static long long refused_item(struct req *r, const char *action)
{
	return r->status >= 400 && strcmp(r->method, "POST") == 0 && strcmp(r->path, action) == 0
		       ? parse_id(req_form(r, "id")) : 0;
}

/* The name an error line of /admin/companies gives field name: the reason of a rejection, a
 * proposal's fields by the form's labels; NULL for another (web_form_errors). */
static const char *decision_label(struct req *r, const char *name)
{
	if (strcmp(name, "reason") == 0)
		return L(r, "Powód", "Reason");
	if (refused_item(r, "/admin/companies/approve") || refused_item(r, "/admin/companies/reject"))
		return form_label(r, name);
	return NULL;
}

struct admin_list {
	struct req *r;
	long count;
};

/*
 * The hidden id and the reason field of a rejection (required) or a declined request, the
 * field named by its row (what).  Its id is prefix + the item's id, or, on the item whose
 * decision was refused, f-reason (the target of the error's link), with the reason as typed.
 */
static void reason_field(struct req *r, const char *id, const char *prefix, int refused, const char *label,
			 int required, const char *what)
{
	const char *typed = refused && req_form(r, "reason") ? req_form(r, "reason") : "";
	html_printf(&r->out, "<input type=\"hidden\" name=\"id\" value=\"%s\"><p class=\"field\"><label for=\"%s%s\">%s%R"
		    "<span class=\"vh\"> (%s)</span></label><textarea id=\"%s%s\" name=\"reason\" rows=\"2\"%R maxlength=\"2000\"%R>"
		    "%s</textarea></p>", id, refused ? "f-reason" : prefix, refused ? "" : id, label,
		    required ? web_required_mark() : "", what, refused ? "f-reason" : prefix, refused ? "" : id,
		    required ? " required" : "", refused ? web_invalid(r, "reason") : "", typed);
}

static int proposal_item(void *ctx, const struct proposal *p)
{
	struct admin_list *al = ctx;
	struct req *r = al->r;
	char created[32], id[24], seen[MOD_VERSION_LEN];
	struct user pu;
	size_t i;
	int refused;
	al->count++;
	web_time_utc(p->created_at, created);
	snprintf(id, sizeof(id), "%lld", p->id);
	html_printf(&r->out, "<article class=\"proposal\" id=\"proposal-%s\"><h3>%s <span class=\"muted\">#%s</span></h3>"
		    "<dl class=\"facts\">", id, p->name, id);
	refused = p->id == refused_item(r, "/admin/companies/approve") || p->id == refused_item(r, "/admin/companies/reject");
	for (i = 0; i < p->n; i++) {
		/* the refused proposal's field an error names: the target of its link */
		int named = refused && *web_invalid(r, p->names[i]);
		html_printf(&r->out, "<dt>%s</dt><dd%R%s%R>%s</dd>", field_label(r, p->names[i]), named ? " id=\"f-" : "",
			    named ? p->names[i] : "", named ? "\"" : "",
			    strcmp(p->names[i], "type") == 0 ? org_type_label(p->values[i], r->lang)
			    : strcmp(p->names[i], "size_class") == 0 ? org_size_label(p->values[i], r->lang)
								      : p->values[i]);
	}
	if (p->cluster_id)
		html_printf(&r->out, "<dt>%s</dt><dd><a href=\"/clusters/%lld\">%s</a></dd>",
			    L(r, "Chce należeć do klastra", "Asks to join the cluster"), p->cluster_id,
			    p->cluster_name ? p->cluster_name : "");
	html_printf(&r->out, "<dt>%s</dt><dd>%s%s</dd><dt>%s</dt><dd>%s</dd></dl>", L(r, "Zgłaszający", "Proposed by"),
		    p->email, p->proposer_id ? "" : L(r, " (gość)", " (visitor)"), L(r, "Zgłoszono", "Received"), created);
	mod_proposal_version(p, seen);
	form_open(r, "/admin/companies/approve", "inline");
	web_page_input(r);
	html_printf(&r->out, "<input type=\"hidden\" name=\"seen\" value=\"%s\">", seen);
	if (p->proposer_id && auth_user_by_id(r->db, p->proposer_id, &pu, NULL) == 1 && strcmp(pu.role, "user") == 0 &&
	    !pu.org_id && !pu.blocked_at && strcmp(pu.status, "active") == 0)
		/* whoever proposed a company with a plain account may keep its profile (mod_proposer_editor);
		 * an account with a role keeps it, and is offered nothing */
		html_printf(&r->out, "<p class=\"field check\"><input type=\"checkbox\" id=\"editor-p%s\" name=\"editor\" "
			    "value=\"1\" checked> <label for=\"editor-p%s\">%s %s</label></p>", id, id,
			    L(r, "Zgłaszający zostaje redaktorem profilu organizacji (gdy jego konto nie ma innej roli):",
			      "The proposer becomes the editor of the organisation's profile (when the account has no other role):"),
			    p->email);
	/* the proposals' buttons are alike: each names its organisation to a screen reader */
	html_printf(&r->out, "<input type=\"hidden\" name=\"id\" value=\"%s\"><button type=\"submit\">%s"
		    "<span class=\"vh\">: %s</span></button></form>", id,
		    p->cluster_id ? L(r, "Zatwierdź i przyjmij do klastra", "Approve and admit to the cluster")
				  : L(r, "Zatwierdź", "Approve"), p->name);
	form_open(r, "/admin/companies/reject", "stack");
	web_page_input(r);
	html_printf(&r->out, "<input type=\"hidden\" name=\"seen\" value=\"%s\">", seen);
	reason_field(r, id, "reason-p", p->id == refused_item(r, "/admin/companies/reject"),
		     L(r, "Powód odrzucenia (trafi do zgłaszającego)", "Reason for rejecting (sent to the proposer)"), 1, p->name);
	html_printf(&r->out, "<p><button type=\"submit\" class=\"danger\">%s<span class=\"vh\">: %s</span></button></p></form>"
		    "</article>", L(r, "Odrzuć", "Reject"), p->name);
	return 0;
}

static int request_item(void *ctx, const struct join_request *q)
{
	struct admin_list *al = ctx;
	struct req *r = al->r;
	char created[32], id[24];
	al->count++;
	web_time_utc(q->created_at, created);
	snprintf(id, sizeof(id), "%lld", q->id);
	html_printf(&r->out, "<article class=\"request\" id=\"request-%s\"><h3><a href=\"/organisations/%lld\">%s</a> → "
		    "<a href=\"/clusters/%lld\">%s</a> <span class=\"muted\">#%s</span></h3><dl class=\"facts\">"
		    "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
		    id, q->org_id, q->org_name, q->cluster_id, q->cluster_name, id, L(r, "Prosi", "Asked by"), q->email,
		    L(r, "Wysłano", "Received"), created);
	if (q->message)
		html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", L(r, "Wiadomość", "Message"), q->message);
	buf_puts(&r->out, "</dl>");
	form_open(r, "/admin/companies/accept", "inline");
	web_page_input(r);
	/* the requests' buttons are alike: each names its organisation to a screen reader */
	html_printf(&r->out, "<input type=\"hidden\" name=\"id\" value=\"%s\"><button type=\"submit\">%s"
		    "<span class=\"vh\">: %s → %s</span></button></form>", id,
		    L(r, "Przyjmij do klastra", "Accept into the cluster"), q->org_name, q->cluster_name);
	form_open(r, "/admin/companies/decline", "stack");
	web_page_input(r);
	reason_field(r, id, "reason-r", q->id == refused_item(r, "/admin/companies/decline"),
		     L(r, "Powód (nieobowiązkowo; trafi do organizacji)", "Reason (optional; sent to the organisation)"), 0,
		     q->org_name);
	html_printf(&r->out, "<p><button type=\"submit\" class=\"danger\">%s<span class=\"vh\">: %s → %s</span></button></p>"
		    "</form></article>", L(r, "Odrzuć prośbę", "Decline"), q->org_name, q->cluster_name);
	return 0;
}

/* The queues a moderator may decide: an administrator all (-1), a
 * coordinator their cluster's (0 when they have none: nothing). */
static long long moderator_scope(struct req *r)
{
	return auth_is_admin(&r->user) ? -1 : r->user.cluster_id;
}

static void admin_companies_link(void *ctx, long p, struct buf *out)
{
	buf_printf(out, "/admin/companies?page=%ld", p);
}

/* Under one of the two lists: how many wait in it in all, or that none
 * does, or that this page is past its end. */
static void list_end(struct req *r, long shown, long long total, const char *none)
{
	if (!total)
		html_printf(&r->out, "<p>%s</p>", none);
	else if (!shown)
		html_printf(&r->out, "<p>%s</p>", L(r, "Nic na tej stronie.", "Nothing on this page."));
	if (total)
		html_printf(&r->out, "<p class=\"count\">%s: <strong>%lld</strong></p>", L(r, "Czeka", "Waiting"), total);
}

/* The two pending lists, page page of each (one page number for both, as
 * on /admin/offers), with error or a done=… notice above them. */
static void admin_page(struct req *r, long page, const char *error)
{
	static const struct {
		const char *code, *pl, *en;
	} done[] = {
		{ "approved", "Zatwierdzono: organizacja jest w katalogu, zgłaszający dostał e-mail.",
		  "Approved: the organisation is in the directory and the proposer was e-mailed." },
		{ "approved-editor", "Zatwierdzono: organizacja jest w katalogu, a konto zgłaszającego jest teraz kontem jej "
				     "redaktora; dostał e-mail.",
		  "Approved: the organisation is in the directory and the proposer's account is now its editor; they "
		  "were e-mailed." },
		{ "rejected", "Odrzucono; zgłaszający dostał e-mail z powodem.", "Rejected; the proposer was e-mailed the reason." },
		{ "accepted", "Przyjęto do klastra; organizacja dostała e-mail.", "Accepted into the cluster; the organisation was e-mailed." },
		{ "declined", "Prośba odrzucona; organizacja dostała e-mail.", "Request declined; the organisation was e-mailed." },
	};
	struct kerr e = KERR_INIT;
	struct admin_list al = { r, 0 };
	long long scope = moderator_scope(r), total = 0;
	long offset = (page - 1) * MOD_LIST_MAX, pages;
	const char *d = req_arg(r, "done");
	size_t i;
	int rc;

	page_begin(r, L(r, "Zgłoszone firmy i prośby o członkostwo", "Proposed companies and membership requests"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1>", L(r, "Panel", "Administration"),
		    L(r, "Zgłoszone firmy i prośby o członkostwo", "Proposed companies and membership requests"));
	for (i = 0; d && !error && i < sizeof(done) / sizeof(done[0]); i++)
		if (strcmp(d, done[i].code) == 0)
			web_alert(r, "notice", L(r, done[i].pl, done[i].en));
	if (error)
		web_form_errors(r, error, decision_label);
	if (scope < 0)
		html_printf(&r->out, "<p class=\"hint\">%s</p>",
			    L(r, "Jako administrator widzisz wszystkie zgłoszenia i prośby.",
			      "As an administrator you see every proposal and request."));
	else if (scope == 0)
		html_printf(&r->out, "<p class=\"hint\">%s</p>",
			    L(r, "Twoje konto koordynatora nie jest przypisane do klastra.",
			      "Your coordinator account is not assigned to a cluster."));
	else
		html_printf(&r->out, "<p class=\"hint\">%s</p>",
			    L(r, "Widzisz zgłoszenia i prośby dotyczące Twojego klastra. Zgłoszenia bez klastra zatwierdza administrator.",
			      "You see the proposals and requests for your cluster. Proposals naming no cluster are for an administrator."));
	html_printf(&r->out, "<section aria-labelledby=\"h-proposals\"><h2 id=\"h-proposals\">%s</h2>",
		    L(r, "Zgłoszone organizacje", "Proposed organisations"));
	if (scope)
		web_required_legend(r);   /* once for the proposals' forms below (a rejection needs a reason) */
	rc = scope ? mod_proposal_list(r->db, scope, offset, MOD_LIST_MAX, &total, proposal_item, &al, &e) : 0;
	if (!rc)
		list_end(r, al.count, total, L(r, "Brak zgłoszeń.", "Nothing waiting."));
	pages = (long)((total + MOD_LIST_MAX - 1) / MOD_LIST_MAX);
	html_printf(&r->out, "</section><section aria-labelledby=\"h-requests\"><h2 id=\"h-requests\">%s</h2>",
		    L(r, "Prośby o członkostwo w klastrze", "Requests to join a cluster"));
	al.count = 0;
	total = 0;
	if (!rc)
		rc = scope ? mod_request_list(r->db, scope, offset, MOD_LIST_MAX, &total, request_item, &al, &e) : 0;
	if (!rc)
		list_end(r, al.count, total, L(r, "Brak próśb.", "Nothing waiting."));
	if ((total + MOD_LIST_MAX - 1) / MOD_LIST_MAX > pages)
		pages = (long)((total + MOD_LIST_MAX - 1) / MOD_LIST_MAX);
	buf_puts(&r->out, "</section>");
	web_pages(r, page, pages, admin_companies_link, NULL);
	page_end(r);
	if (rc)
		req_error_kerr(r, &e);
}

static void h_admin_companies(struct req *r)
{
	const char *arg = req_arg(r, "page");
	long long page = arg && *arg ? parse_id(arg) : 1;
	if (req_deny(r, auth_is_moderator(&r->user)))
		return;
	if (page < 1 || page > 100000)
		return req_error(r, 400, L(r, "Numer strony (page): musi być liczbą całkowitą od 1 do 100000",
					   "Page number (page): must be a whole number from 1 to 100000"));
	admin_page(r, (long)page, NULL);
}

/* The page of the lists a decision was taken on (its form's page), where its item and the
 * fields its error names are. */
static long decision_page(struct req *r)
{
	long long page = parse_id(req_form(r, "page"));
	return page >= 1 && page <= 100000 ? (long)page : 1;
}

/* A decision that cannot be taken (already decided, duplicate, no longer
 * valid): the page again with the message and the status of the error. */
static void decision_failed(struct req *r, struct kerr *e)
{
	db_rollback(r->db);
	if (e->kind == KERR_CONFLICT || e->kind == KERR_INPUT || e->kind == KERR_NOTFOUND) {
		r->status = e->kind == KERR_CONFLICT ? 409 : e->kind == KERR_NOTFOUND ? 404 : 422;
		return admin_page(r, decision_page(r), e->msg);
	}
	req_error_kerr(r, e);
}

/* Reads the proposal named by the form and checks that the user may decide
 * it; answers and returns -1 otherwise. */
static int proposal_allowed(struct req *r, long long *id)
{
	struct kerr e = KERR_INIT;
	struct proposal p;
	int allowed;
	if (req_deny(r, auth_is_moderator(&r->user)))
		return -1;
	*id = parse_id(req_form(r, "id"));
	if (!*id || mod_proposal_get(r->db, *id, &p, &e)) {
		if (e.kind == KERR_DB)
			req_error_kerr(r, &e);
		else
			req_error(r, 404, L(r, "Nie ma takiego zgłoszenia.", "No such proposal."));
		return -1;
	}
	allowed = auth_can_coordinate(&r->user, p.cluster_id);
	proposal_release(&p);
	return req_deny(r, allowed) ? -1 : 0;
}

/*
 * In the decision's transaction: when the form's "seen" (the version the page showed) is not
 * the version of pending proposal id now — its proposer changed it since the page was opened —
 * rolls back, answers 409 with the list (where it is shown as it is now) and returns 1.  A
 * proposal decided meanwhile is left to the decision's own conflict.
 */
static int proposal_stale(struct req *r, long long id)
{
	struct kerr e = KERR_INIT;
	struct proposal p;
	const char *seen = req_form(r, "seen");
	char now[MOD_VERSION_LEN];
	int stale;
	if (!seen || !*seen || mod_proposal_get(r->db, id, &p, &e))
		return 0;   /* a missing proposal: the decision says so */
	mod_proposal_version(&p, now);
	stale = strcmp(p.status, "pending") == 0 && strcmp(seen, now) != 0;
	proposal_release(&p);
	if (!stale)
		return 0;
	db_rollback(r->db);
	r->status = 409;
	admin_page(r, decision_page(r), L(r, "Zgłaszający zmienił to zgłoszenie, odkąd otwarto tę stronę; nic nie "
					     "zdecydowano. Poniżej jest takie, jakie jest teraz.",
					  "The proposer changed this proposal since this page was opened; nothing was decided. "
					     "It is shown below as it is now."));
	return 1;
}

static void h_admin_approve(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct proposal p;
	struct buf body = BUF_INIT;
	long long id;
	int bad, made_editor = 0;
	if (proposal_allowed(r, &id))
		return;
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (proposal_stale(r, id))
		return;
	memset(&p, 0, sizeof(p));
	if (mod_proposal_approve(r->db, id, r->user.id, r->ip, &p, &e) ||
	    (req_form(r, "editor") && strcmp(req_form(r, "editor"), "1") == 0 &&
	     mod_proposer_editor(r->db, &p, r->user.id, r->ip, &made_editor, &e))) {
		proposal_release(&p);
		return decision_failed(r, &e);
	}
	buf_printf(&body, LL(p.lang, "Dzień dobry,\n\nzgłoszona przez Ciebie organizacja „%s” została zatwierdzona i jest już w katalogu:\n%s/organisations/%lld\n",
			     "Hello,\n\nthe organisation you proposed, “%s”, was approved and is now in the directory:\n%s/organisations/%lld\n"),
		   p.name, r->app->mail.base_url, p.org_id);
	if (made_editor)
		buf_printf(&body, LL(p.lang, "Twoje konto w portalu jest teraz kontem redaktora tej organizacji: jej profil "
					     "zmienisz tu:\n%s/organisations/%lld/edit\na jej oferty i usługi dodasz w portalu.\n",
				     "Your portal account is now the editor of this organisation: change its profile here:\n"
				     "%s/organisations/%lld/edit\nand add its offers and services on the portal.\n"),
			   r->app->mail.base_url, p.org_id);
	if (p.cluster_id)
		buf_printf(&body, LL(p.lang, "Została też przyjęta do klastra „%s”.\n", "It was also admitted to the cluster “%s”.\n"),
			   p.cluster_name ? p.cluster_name : "");
	bad = mail_enqueue(r->db, "org-proposal-approved", p.email,
			   LL(p.lang, "Organizacja dodana do katalogu", "Your organisation is in the directory"), body.ptr, NULL, &e);
	buf_release(&body);
	proposal_release(&p);
	if (bad)
		return fail_tx(r, &e);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	web_redirect_page(r, made_editor ? "/admin/companies?done=approved-editor" : "/admin/companies?done=approved");
}

static void h_admin_reject(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct proposal p;
	struct buf body = BUF_INIT;
	const char *reason = req_form(r, "reason");
	long long id;
	int bad;
	if (proposal_allowed(r, &id))
		return;
	if (mod_text_check(reason, "reason", 1, &e)) {
		r->status = 400;
		return admin_page(r, decision_page(r), e.msg);
	}
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (proposal_stale(r, id))
		return;
	memset(&p, 0, sizeof(p));
	if (mod_proposal_reject(r->db, id, reason, r->user.id, r->ip, &p, &e)) {
		proposal_release(&p);
		return decision_failed(r, &e);
	}
	buf_printf(&body, LL(p.lang, "Dzień dobry,\n\nzgłoszona przez Ciebie organizacja „%s” nie została dodana do katalogu.\n\nPowód:\n%s\n",
			     "Hello,\n\nthe organisation you proposed, “%s”, was not added to the directory.\n\nReason:\n%s\n"),
		   p.name, reason);
	bad = mail_enqueue(r->db, "org-proposal-rejected", p.email,
			   LL(p.lang, "Zgłoszenie organizacji odrzucone", "Your proposal was not accepted"), body.ptr, NULL, &e);
	buf_release(&body);
	proposal_release(&p);
	if (bad)
		return fail_tx(r, &e);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	web_redirect_page(r, "/admin/companies?done=rejected");
}

static int request_allowed(struct req *r, long long *id)
{
	struct kerr e = KERR_INIT;
	struct join_request q;
	int allowed;
	if (req_deny(r, auth_is_moderator(&r->user)))
		return -1;
	*id = parse_id(req_form(r, "id"));
	if (!*id || mod_request_get(r->db, *id, &q, &e)) {
		if (e.kind == KERR_DB)
			req_error_kerr(r, &e);
		else
			req_error(r, 404, L(r, "Nie ma takiej prośby.", "No such request."));
		return -1;
	}
	allowed = auth_can_coordinate(&r->user, q.cluster_id);
	join_request_release(&q);
	return req_deny(r, allowed) ? -1 : 0;
}

static void h_admin_accept(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct join_request q;
	struct buf body = BUF_INIT;
	long long id;
	int bad;
	if (request_allowed(r, &id))
		return;
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (mod_request_accept(r->db, id, r->user.id, r->ip, &q, &e)) {
		join_request_release(&q);
		return decision_failed(r, &e);
	}
	buf_printf(&body, LL(q.lang, "Dzień dobry,\n\norganizacja „%s” została przyjęta do klastra „%s”:\n%s/clusters/%lld\n",
			     "Hello,\n\nthe organisation “%s” was accepted into the cluster “%s”:\n%s/clusters/%lld\n"),
		   q.org_name, q.cluster_name, r->app->mail.base_url, q.cluster_id);
	bad = mail_enqueue(r->db, "membership-request-accepted", q.email,
			   LL(q.lang, "Przyjęcie do klastra", "Accepted into the cluster"), body.ptr, NULL, &e);
	buf_release(&body);
	join_request_release(&q);
	if (bad)
		return fail_tx(r, &e);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	web_redirect_page(r, "/admin/companies?done=accepted");
}

static void h_admin_decline(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct join_request q;
	struct buf body = BUF_INIT;
	const char *reason = req_form(r, "reason");
	long long id;
	int bad;
	if (request_allowed(r, &id))
		return;
	if (mod_text_check(reason, "reason", 0, &e)) {
		r->status = 400;
		return admin_page(r, decision_page(r), e.msg);
	}
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (mod_request_decline(r->db, id, reason, r->user.id, r->ip, &q, &e)) {
		join_request_release(&q);
		return decision_failed(r, &e);
	}
	buf_printf(&body, LL(q.lang, "Dzień dobry,\n\nprośba organizacji „%s” o przyjęcie do klastra „%s” została odrzucona.\n",
			     "Hello,\n\nthe request of “%s” to join the cluster “%s” was declined.\n"),
		   q.org_name, q.cluster_name);
	if (reason && *reason)
		buf_printf(&body, LL(q.lang, "\nPowód:\n%s\n", "\nReason:\n%s\n"), reason);
	bad = mail_enqueue(r->db, "membership-request-declined", q.email,
			   LL(q.lang, "Prośba o przyjęcie do klastra odrzucona", "Your request to join the cluster was declined"),
			   body.ptr, NULL, &e);
	buf_release(&body);
	join_request_release(&q);
	if (bad)
		return fail_tx(r, &e);
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	web_redirect_page(r, "/admin/companies?done=declined");
}

/* ---- asking to join a cluster: /clusters/ID/join ---- */

/* Reads the cluster of the path and the editor's organisation; answers
 * (404, 403) and returns -1 when there is nothing to ask for. */
static int join_context(struct req *r, struct cluster *c, struct org *o)
{
	struct kerr e = KERR_INIT;
	memset(o, 0, sizeof(*o));
	if (!r->arg || strlen(r->arg) > 100 || dir_cluster_get(r->db, r->arg, c, &e)) {
		if (e.kind == KERR_DB)
			req_error_kerr(r, &e);
		else
			req_error(r, 404, L(r, "Nie ma takiego klastra.", "No such cluster."));
		return -1;
	}
	if (!(r->user.org_id > 0 && auth_can_edit_org(&r->user, r->user.org_id))) {
		cluster_release(c);
		req_error(r, 403, L(r, "O przyjęcie do klastra prosi redaktor organizacji (konto przypisane do organizacji).",
				    "Only an organisation's editor (an account assigned to an organisation) can ask to join a cluster."));
		return -1;
	}
	if (dir_org_get(r->db, r->user.org_id, o, &e)) {
		cluster_release(c);
		if (e.kind == KERR_NOTFOUND)
			req_error(r, 404, L(r, "Twoja organizacja nie istnieje już w katalogu.",
					    "Your organisation is no longer in the directory."));
		else
			req_error_kerr(r, &e);
		return -1;
	}
	return 0;
}

/* The name an error line of the request to join gives field name (web_form_errors). */
static const char *join_label(struct req *r, const char *name)
{
	return strcmp(name, "message") == 0 ? L(r, "Wiadomość do koordynatora", "A message to the coordinator") : NULL;
}

static void join_page(struct req *r, const struct cluster *c, const struct org *o, const char *error,
		      const char *message)
{
	struct kerr e = KERR_INIT;
	const char *done = req_arg(r, "done");
	int state = mod_membership_state(r->db, c->id, o->id, &e);
	if (state < 0)
		return req_error_kerr(r, &e);
	page_begin(r, L(r, "Prośba o przyjęcie do klastra", "Ask to join the cluster"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/clusters/%lld\">%s</a></p><h1>%s</h1>"
		    "<dl class=\"facts\"><dt>%s</dt><dd><a href=\"/clusters/%lld\">%s</a></dd>"
		    "<dt>%s</dt><dd><a href=\"/organisations/%lld\">%s</a></dd></dl>",
		    c->id, c->name, L(r, "Prośba o przyjęcie do klastra", "Ask to join the cluster"),
		    L(r, "Klaster", "Cluster"), c->id, c->name, L(r, "Organizacja", "Organisation"), o->id, o->name);
	if (error)
		web_form_errors(r, error, join_label);
	if (done && strcmp(done, "1") == 0 && state == 2 && !error)
		web_alert(r, "notice", L(r, "Prośba wysłana. Koordynator klastra zdecyduje; napiszemy e-mailem.",
					 "Request sent. The cluster's coordinator decides; we will e-mail you."));
	else if (state == 2)
		web_alert(r, "notice", L(r, "Prośba Twojej organizacji czeka na decyzję koordynatora.",
					 "Your organisation's request waits for the coordinator's decision."));
	else if (state == 1)
		web_alert(r, "notice", L(r, "Twoja organizacja należy już do tego klastra.",
					 "Your organisation is already a member of this cluster."));
	if (state == 0) {
		struct buf action = BUF_INIT;
		buf_printf(&action, "/clusters/%lld/join", c->id);
		form_open(r, action.ptr, "stack");
		buf_release(&action);
		web_textarea(r, "message", L(r, "Wiadomość do koordynatora (nieobowiązkowo)", "A message to the coordinator (optional)"),
			     message, 4, "maxlength=\"2000\"");
		html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>",
			    L(r, "Poproś o przyjęcie", "Ask to join"));
	}
	page_end(r);
}

static void h_join(struct req *r)
{
	struct cluster c;
	struct org o;
	if (join_context(r, &c, &o))
		return;
	join_page(r, &c, &o, NULL, NULL);
	cluster_release(&c);
	org_release(&o);
}

static void h_join_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct cluster c;
	struct org o;
	struct join_request q;
	const char *message = req_form(r, "message");
	int rc;

	if (join_context(r, &c, &o))
		return;
	if (mod_text_check(message, "message", 0, &e)) {
		r->status = 400;
		join_page(r, &c, &o, e.msg, message);
		goto out;
	}
	{
		struct buf key = BUF_INIT;
		int over;
		buf_printf(&key, "join-user:%lld", r->user.id);
		over = rate_limited(r, key.ptr, JOIN_PER_USER, JOIN_WINDOW);
		buf_release(&key);
		if (over)
			goto out;
	}
	memset(&q, 0, sizeof(q));
	q.cluster_id = c.id;
	q.org_id = o.id;
	q.requested_by = r->user.id;
	snprintf(q.email, sizeof(q.email), "%s", r->user.email);
	q.message = message && *message ? xstrdup(message) : NULL;
	snprintf(q.lang, sizeof(q.lang), "%s", r->lang);
	if (db_begin(r->db, &e)) {
		join_request_release(&q);
		req_error_kerr(r, &e);
		goto out;
	}
	rc = mod_request_create(r->db, &q, r->ip, &e);
	if (!rc) {
		struct notice nt = { r, "request", o.name, c.name, &e, 0 };
		rc = mod_cluster_coordinators(r->db, c.id, notify_coordinator, &nt, &e) || nt.failed;
	}
	join_request_release(&q);
	if (rc) {
		db_rollback(r->db);
		if (e.kind == KERR_CONFLICT) {
			r->status = 409;
			join_page(r, &c, &o, e.msg, message);
		} else {
			req_error_kerr(r, &e);
		}
		goto out;
	}
	if (db_commit(r->db, &e)) {
		req_error_kerr(r, &e);
		goto out;
	}
	{
		struct buf to = BUF_INIT;
		buf_printf(&to, "/clusters/%lld/join?done=1", c.id);
		req_redirect(r, to.ptr);
		buf_release(&to);
	}
out:
	cluster_release(&c);
	org_release(&o);
}

/* ---- the members of a cluster ---- */

/* The cluster a members page or form is about: a coordinator's own, or for
 * an administrator the one named by the argument; 0 (answered) when none. */
static long long members_cluster(struct req *r, const char *arg)
{
	long long named = 0, id;
	if (arg && *arg && !isdigit((unsigned char)*arg) && strlen(arg) <= 64)
		dir_cluster_id(r->db, arg, &named, NULL);   /* an acronym, in any case, as /clusters/KLPS */
	else
		named = parse_id(arg);
	id = auth_is_admin(&r->user) ? named : r->user.cluster_id;
	if (req_deny(r, auth_is_moderator(&r->user)))
		return 0;
	if (!auth_is_admin(&r->user) && arg && *arg && named != r->user.cluster_id) {
		req_deny(r, 0);
		return 0;
	}
	if (id <= 0) {
		req_error(r, 400, L(r, "Klaster (cluster): wybierz klaster.", "Cluster (cluster): choose a cluster."));
		return 0;
	}
	return id;
}

struct member_list {
	struct req *r;
	long long cluster_id, coordinator_id;
	const char *cluster_name;
	int count;
};

/* A former member's row, with the button that admits it again (/admin/members/add). */
static int former_item(void *ctx, const struct member *m)
{
	struct member_list *ml = ctx;
	struct req *r = ml->r;
	char cid[24], oid[24];
	if (!m->left_on || !*m->left_on)
		return 0;
	snprintf(cid, sizeof(cid), "%lld", ml->cluster_id);
	snprintf(oid, sizeof(oid), "#%lld", m->org_id);
	if (!ml->count++)
		/* the buttons' column is named to a screen reader: a header without text names nothing */
		html_printf(&r->out, "<h2>%s</h2><table><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
			    "<th><span class=\"vh\">%s</span></th></tr></thead><tbody>",
			    L(r, "Byli członkowie", "Former members"), L(r, "Organizacja", "Organisation"), L(r, "Od", "Since"),
			    L(r, "Do", "Until"), L(r, "Czynności", "Actions"));
	html_printf(&r->out, "<tr><td><a href=\"/organisations/%lld\">%s</a></td><td>%s", m->org_id, m->org.name,
		    m->joined ? m->joined : "");
	web_member_earlier(r, &r->out, m, "<br>");
	html_printf(&r->out, "</td><td>%s</td><td>", m->left_on);
	form_open(r, "/admin/members/add", "inline");
	html_printf(&r->out, "<input type=\"hidden\" name=\"cluster\" value=\"%s\"><input type=\"hidden\" name=\"org\" value=\"%s\">"
		    "<button type=\"submit\">%s<span class=\"vh\">: %s</span></button></form></td></tr>", cid, oid,
		    L(r, "Przyjmij ponownie", "Admit again"), m->org.name);
	return 0;
}

static int member_item(void *ctx, const struct member *m)
{
	struct member_list *ml = ctx;
	struct req *r = ml->r;
	char cid[24], oid[24];
	if (m->left_on && *m->left_on)
		return 0;
	snprintf(cid, sizeof(cid), "%lld", ml->cluster_id);
	snprintf(oid, sizeof(oid), "%lld", m->org_id);
	html_printf(&r->out, "<tr><td><a href=\"/organisations/%s\">%s</a></td><td>%s</td><td>%s", oid, m->org.name,
		    member_role_label(m->role, r->lang), m->joined ? m->joined : "");
	web_member_earlier(r, &r->out, m, "<br>");
	buf_puts(&r->out, "</td><td>");
	if (m->org_id == ml->coordinator_id) {
		/* mod_membership_end refuses it: the coordinator stays while it coordinates */
		html_printf(&r->out, "<span class=\"muted\">%s</span></td></tr>",
			    L(r, "koordynator klastra", "the cluster's coordinator"));
		ml->count++;
		return 0;
	}
	form_open(r, "/admin/members/end", "inline");
	{
		struct buf ask = BUF_INIT;
		buf_printf(&ask, L(r, "Zakończyć członkostwo organizacji „%s” w klastrze „%s”?",
				   "End the membership of “%s” in the cluster “%s”?"), m->org.name, ml->cluster_name);
		/* the button names its row's organisation to a screen reader (the rows' buttons are alike) */
		html_printf(&r->out, "<input type=\"hidden\" name=\"cluster\" value=\"%s\"><input type=\"hidden\" name=\"org\" value=\"%s\">"
			    "<button type=\"submit\" data-confirm=\"%s\">%s<span class=\"vh\">: %s</span></button></form></td></tr>",
			    cid, oid, ask.ptr, L(r, "Zakończ członkostwo", "End membership"), m->org.name);
		buf_release(&ask);
	}
	ml->count++;
	return 0;
}

static int cluster_choice(void *ctx, const struct cluster *c)
{
	struct req *r = ctx;
	char id[24];
	snprintf(id, sizeof(id), "%lld", c->id);
	html_printf(&r->out, "<li><a href=\"/admin/members?cluster=%s\">%s</a></li>", id, c->name);
	return 0;
}

static void members_page(struct req *r, long long cid, const char *error, int of_add);

static void h_admin_members(struct req *r)
{
	struct kerr e = KERR_INIT;
	long long cid;
	if (auth_is_admin(&r->user) && !req_arg(r, "cluster")) {
		/* an administrator first chooses the cluster */
		page_begin(r, L(r, "Członkowie klastra", "Cluster members"));
		html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1><ul>",
			    L(r, "Panel", "Administration"), L(r, "Wybierz klaster", "Choose a cluster"));
		if (dir_cluster_list(r->db, NULL, NULL, cluster_choice, r, &e))
			return req_error_kerr(r, &e);
		buf_puts(&r->out, "</ul>");
		page_end(r);
		return;
	}
	cid = members_cluster(r, req_arg(r, "cluster"));
	if (cid)
		members_page(r, cid, NULL, 0);
}

/* The name an error line of the form that admits a member gives field name (web_form_errors). */
static const char *add_label(struct req *r, const char *name)
{
	return strcmp(name, "org") == 0 ? L(r, "Organizacja z katalogu", "An organisation of the directory") : NULL;
}

/* The members of cluster cid with their "End membership" buttons and the form that admits one;
 * error: a refused request's problem, or NULL: the add form's (of_add: shown above it, the text
 * typed kept) or an ending's (shown at the top). */
static void members_page(struct req *r, long long cid, const char *error, int of_add)
{
	struct kerr e = KERR_INIT;
	struct cluster c;
	struct member_list ml = { r, 0, 0, NULL, 0 };
	const char *typed = error && of_add ? req_form(r, "org") : NULL;
	char id[24];
	snprintf(id, sizeof(id), "%lld", cid);
	memset(&c, 0, sizeof(c));
	if (dir_cluster_get(r->db, id, &c, &e)) {
		cluster_release(&c);
		return req_error_kerr(r, &e);
	}
	ml.cluster_id = cid;
	ml.coordinator_id = c.coordinator_id;
	ml.cluster_name = c.name;
	page_begin(r, L(r, "Członkowie klastra", "Cluster members"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s: %s</h1>", L(r, "Panel", "Administration"),
		    L(r, "Członkowie klastra", "Cluster members"), c.name);
	if (req_arg(r, "done"))
		web_alert(r, "notice", strcmp(req_arg(r, "done"), "added") == 0 ? L(r, "Przyjęto nowego członka.", "The member is admitted.")
										 : L(r, "Członkostwo zakończone.", "Membership ended."));
	if (error && !of_add)
		web_alert(r, "error", error);
	html_printf(&r->out, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th><span class=\"vh\">%s</span></th>"
		    "</tr></thead><tbody>",
		    L(r, "Organizacja", "Organisation"), L(r, "Rola", "Role"), L(r, "Od", "Since"), L(r, "Czynności", "Actions"));
	if (dir_cluster_members(r->db, cid, member_item, &ml, &e)) {
		cluster_release(&c);
		return req_error_kerr(r, &e);
	}
	buf_puts(&r->out, "</tbody></table>");
	ml.count = 0;
	if (dir_cluster_members(r->db, cid, former_item, &ml, &e)) {
		cluster_release(&c);
		return req_error_kerr(r, &e);
	}
	if (ml.count)
		buf_puts(&r->out, "</tbody></table>");
	/* admitting an organisation of the directory directly (a former member too) */
	html_printf(&r->out, "<h2 id=\"add\">%s</h2>", L(r, "Przyjmij organizację", "Admit an organisation"));
	if (error && of_add)
		web_form_errors(r, error, add_label);
	form_open(r, "/admin/members/add", "stack");
	html_printf(&r->out, "<input type=\"hidden\" name=\"cluster\" value=\"%s\">", id);
	web_field_hint(r, "org", L(r, "Organizacja z katalogu", "An organisation of the directory"), "text", typed,
		       error ? "required maxlength=\"300\" aria-invalid=\"true\"" : "required maxlength=\"300\"",
		       auth_is_admin(&r->user)
			       ? L(r, "NIP, nazwa albo #numer organizacji z katalogu, także byłego członka.",
				   "The NIP, name or #number of an organisation of the directory, a former member too.")
			       : L(r, "NIP, nazwa albo #numer byłego członka klastra (inne organizacje proszą o członkostwo same).",
				   "The NIP, name or #number of a former member (other organisations ask to join themselves)."));
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>",
		    L(r, "Przyjmij do klastra", "Admit to the cluster"));
	cluster_release(&c);
	page_end(r);
}

static void h_admin_members_add(struct req *r)
{
	struct kerr e = KERR_INIT;
	long long cid = members_cluster(r, req_form(r, "cluster")), org = 0;
	struct buf to = BUF_INIT;
	if (!cid)
		return;
	if (!req_form(r, "org") || !*req_form(r, "org")) {
		r->status = 400;
		return members_page(r, cid, L(r, "org: podaj NIP, nazwę albo #numer organizacji.",
					      "org: give the organisation's NIP, name or #number."), 1);
	}
	if (auth_scope_org(r->db, req_form(r, "org"), "org", &org, &e)) {
		if (e.kind != KERR_INPUT)
			return req_error_kerr(r, &e);
		r->status = 400;
		return members_page(r, cid, e.msg, 1);
	}
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (mod_member_add(r->db, cid, org, !auth_is_admin(&r->user), r->user.id, r->ip, &e)) {
		db_rollback(r->db);
		if (e.kind == KERR_CONFLICT || e.kind == KERR_NOTFOUND || e.kind == KERR_AUTH) {
			r->status = kerr_http_status(e.kind);
			return members_page(r, cid, e.msg, 1);
		}
		return req_error_kerr(r, &e);
	}
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	buf_printf(&to, "/admin/members?cluster=%lld&done=added", cid);
	req_redirect(r, to.ptr);
	buf_release(&to);
}

/* The page that asks before a membership ends (web_confirm_page). */
static void members_end_confirm(struct req *r, long long cid, long long org)
{
	static const char *const keep[] = { "cluster", "org", NULL };
	struct kerr e = KERR_INIT;
	struct cluster c;
	struct buf what = BUF_INIT, back = BUF_INIT;
	char id[24], *name;
	snprintf(id, sizeof(id), "%lld", cid);
	memset(&c, 0, sizeof(c));
	if (dir_cluster_get(r->db, id, &c, &e)) {
		cluster_release(&c);
		return req_error_kerr(r, &e);
	}
	name = dir_org_name(r->db, org);
	buf_printf(&what, L(r, "Organizacja „%s” przestanie być członkiem klastra „%s” z dzisiejszą datą. "
			       "Zniknie z listy członków na stronie klastra; wróci prośbą o członkostwo albo przyjęta ponownie na tej stronie.",
			    "“%s” stops being a member of the cluster “%s” as of today. It leaves the member list on the "
			       "cluster's page; a membership request, or admitting it again on this page, brings it back."),
		   name ? name : id, c.name);
	buf_printf(&back, "/admin/members?cluster=%lld", cid);
	web_confirm_page(r, L(r, "Zakończyć członkostwo?", "End the membership?"), what.ptr, "/admin/members/end", keep,
			 L(r, "Zakończ członkostwo", "End membership"), back.ptr);
	free(name);
	buf_release(&what);
	buf_release(&back);
	cluster_release(&c);
}

/* An ending refused (not a member, the coordinating organisation): the members page says why
 * with the status of the refusal; a database failure is a 500 as ever. */
static void members_end_refused(struct req *r, long long cid, struct kerr *e)
{
	if (e->kind != KERR_NOTFOUND && e->kind != KERR_CONFLICT)
		return req_error_kerr(r, e);
	r->status = kerr_http_status(e->kind);
	members_page(r, cid, e->msg, 0);
}

static void h_admin_members_end(struct req *r)
{
	struct kerr e = KERR_INIT;
	long long cid = members_cluster(r, req_form(r, "cluster")), org = parse_id(req_form(r, "org"));
	struct buf to = BUF_INIT;
	if (!cid)
		return;
	if (!org)
		return req_error(r, 400, L(r, "org: brak organizacji.", "org: no organisation given."));
	if (!web_confirmed(r)) {
		/* what cannot end is refused now, not after the question: on the members page */
		if (mod_membership_check(r->db, cid, org, &e))
			return members_end_refused(r, cid, &e);
		return members_end_confirm(r, cid, org);
	}
	if (db_begin(r->db, &e))
		return req_error_kerr(r, &e);
	if (mod_membership_end(r->db, cid, org, r->user.id, r->ip, &e)) {
		db_rollback(r->db);
		return members_end_refused(r, cid, &e);
	}
	if (db_commit(r->db, &e))
		return req_error_kerr(r, &e);
	buf_printf(&to, "/admin/members?cluster=%lld&done=1", cid);
	req_redirect(r, to.ptr);
	buf_release(&to);
}

/* ---- an organisation's profile: /organisations/ID/edit ---- */

/*
 * The organisation of /organisations/ID/edit, loaded into *o when the
 * user may edit it (an administrator, or its editor: auth_can_edit_org).
 * 0; -1 after answering (404, or the login / 403 of req_deny).
 */
static int editable_org(struct req *r, struct org *o)
{
	struct kerr e = KERR_INIT;
	char *end;
	long long id;
	errno = 0;
	id = strtoll(r->arg, &end, 10);
	if (!isdigit((unsigned char)r->arg[0]) || *end || errno || id <= 0) {
		req_error(r, 404, L(r, "Nie ma takiej organizacji.", "No such organisation."));
		return -1;
	}
	if (req_deny(r, auth_can_edit_org(&r->user, id)))
		return -1;
	if (dir_org_get(r->db, id, o, &e)) {
		if (e.kind == KERR_NOTFOUND)
			req_error(r, 404, L(r, "Nie ma takiej organizacji.", "No such organisation."));
		else
			req_error_kerr(r, &e);
		return -1;
	}
	return 0;
}

/*
 * The identifiers (NIP, REGON, KRS) say which organisation a record is: its
 * editor keeps the profile up to date but does not turn the record into
 * another organisation's (with its memberships); an administrator may.
 */
static int org_locked(const struct req *r, const char *name)
{
	return !auth_is_admin(&r->user) && (strcmp(name, "nip") == 0 || strcmp(name, "regon") == 0 ||
					   strcmp(name, "krs") == 0 || strcmp(name, "type") == 0);
}

/* The value of field name among org_columns' values v (org_values). */
static const char *column_value(const char *const v[ORG_NCOLS], const char *name)
{
	size_t i;
	for (i = 0; org_columns[i]; i++)
		if (strcmp(org_columns[i], name) == 0)
			return v[i];
	return NULL;
}

/* The form, with cur's values, or the request's when re-rendered (with_values) after error. */
static void edit_page(struct req *r, const struct org *cur, const char *error, int with_values)
{
	const char *v[ORG_NCOLS], *vals[N_ORG_FORM];
	char ver[8], lat[32], lon[32], action[64];
	size_t i;
	org_values(cur, v, ver, lat, lon);
	for (i = 0; i < N_ORG_FORM; i++)
		vals[i] = with_values ? req_form(r, org_form[i].name) : column_value(v, org_form[i].name);
	page_begin(r, L(r, "Edycja profilu organizacji", "Edit the organisation's profile"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/organisations\">%s</a> › <a href=\"/organisations/%lld\">%s</a></p>"
		    "<h1>%s</h1><p>%s</p>", L(r, "Organizacje", "Organisations"), cur->id, cur->name,
		    L(r, "Edycja profilu organizacji", "Edit the organisation's profile"),
		    L(r, "Zmiany są widoczne w katalogu od razu po zapisaniu. Puste pole usuwa wartość.",
		      "Changes show in the directory as soon as they are saved. An empty field removes its value."));
	if (error)
		web_form_errors(r, error, form_label);
	snprintf(action, sizeof(action), "/organisations/%lld/edit", cur->id);
	form_open(r, action, "stack");
	if (auth_is_admin(&r->user)) {
		org_form_fields(r, vals);
	} else {
		/* the identifiers are read-only to an editor (org_locked) */
		struct org_field fields[N_ORG_FORM];
		memcpy(fields, org_form, sizeof(fields));
		for (i = 0; i < N_ORG_FORM; i++)
			if (org_locked(r, fields[i].name)) {
				fields[i].attrs = "readonly aria-describedby=\"locked-hint\"";
				vals[i] = column_value(v, fields[i].name);
			}
		form_fields(r, fields, N_ORG_FORM, vals);
		html_printf(&r->out, "<p class=\"hint\" id=\"locked-hint\">%s</p>",
			    L(r, "Rodzaj organizacji, NIP, REGON i KRS wskazują, czym jest ta organizacja (od rodzaju "
				 "zależy np. prawo do ofert usług): zmienia je administrator portalu.",
			      "The kind of organisation, NIP, REGON and KRS say what this organisation is (the kind "
			      "decides, for one, who offers services): the portal's administrator changes them."));
	}
	html_printf(&r->out, "<p><button type=\"submit\">%s</button> <a href=\"/organisations/%lld\">%s</a></p></form>",
		    L(r, "Zapisz zmiany", "Save changes"), cur->id, L(r, "anuluj", "cancel"));
	page_end(r);
}

static void h_org_edit(struct req *r)
{
	struct org cur;
	if (editable_org(r, &cur))
		return;
	edit_page(r, &cur, NULL, 0);
	org_release(&cur);
}

/*
 * A changed field in an audit entry: "name: „Old” → „New”" when both values are
 * short (a name, a type, a phone: what a moderator checks), else the field's
 * name alone (a description, however short).
 */
static void audit_change(struct buf *b, const char *field, const char *was, const char *now)
{
	const char *a = was ? was : "", *z = now ? now : "";
	buf_printf(b, "%s %s", b->len > 4 ? "," : "", field);
	if (strncmp(field, "description", 11) != 0 && utf8_chars(a) <= 80 && utf8_chars(z) <= 80 &&
	    !strchr(a, '\n') && !strchr(z, '\n'))
		buf_printf(b, ": \xE2\x80\x9E%s\xE2\x80\x9D \xE2\x86\x92 \xE2\x80\x9E%s\xE2\x80\x9D", a, z);
}

/* Whether a text of the address differs (a moved organisation's coordinates are no longer its own). */
static int moved(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

static void h_org_edit_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct org cur, o;
	const char *v[ORG_NCOLS], *names[ORG_NCOLS], *values[ORG_NCOLS];
	char ver[8], lat[32], lon[32], to[64];
	enum upsert_result res;
	struct buf changed = BUF_INIT;
	size_t i, n = 0;

	if (editable_org(r, &cur))
		return;
	/* the form's fields as sent (a field left out of the request keeps its value); the
	 * others (coordinates, the demo flag) as stored, whatever the request holds */
	org_values(&cur, v, ver, lat, lon);
	for (i = 0; org_columns[i]; i++) {
		const char *sent = form_label(r, org_columns[i]) && !org_locked(r, org_columns[i]) ?
					   req_form(r, org_columns[i]) : NULL;
		names[n] = org_columns[i];
		values[n++] = sent ? sent : v[i];
	}
	if (org_from_form(&o, names, values, n, r->db, &e)) {
		if (e.kind != KERR_INPUT) {
			org_release(&cur);
			return req_error_kerr(r, &e);
		}
		r->status = 400;
		edit_page(r, &cur, e.msg, 1);
		org_release(&cur);
		return;
	}
	o.id = cur.id;
	/* a new address: the stored coordinates were of the old one; the map places the
	 * organisation by its TERYT code until new ones are given */
	if (cur.has_coords && (moved(o.street, cur.street) || moved(o.postal_code, cur.postal_code) ||
			       moved(o.city, cur.city) || moved(o.teryt, cur.teryt)))
		o.has_coords = 0;
	{
		/* the audit entry names the fields changed ("web: phone, description_pl") */
		const char *nv[ORG_NCOLS];
		char nver[8], nlat[32], nlon[32];
		org_values(&o, nv, nver, nlat, nlon);
		buf_puts(&changed, "web:");
		for (i = 0; org_columns[i]; i++)
			if (strcmp(v[i] ? v[i] : "", nv[i] ? nv[i] : "") != 0)
				audit_change(&changed, org_columns[i], v[i], nv[i]);
	}
	if (db_begin(r->db, &e) || dir_org_upsert(r->db, &o, &res, &e) ||
	    (res != UPSERT_UNCHANGED &&
	     auth_audit(r->db, r->user.id, r->ip, "org-update", "organisation", o.id, changed.ptr, &e)) ||
	    db_commit(r->db, &e)) {
		db_rollback(r->db);
		buf_release(&changed);
		if (e.kind == KERR_CONFLICT) {
			/* the NIP or REGON of another organisation: the field that holds it; else the name
			 * and postal code of another without NIP and REGON: the name */
			struct buf m = BUF_INIT;
			long long other = 0;
			const char *field = "name";
			char id[24];
			snprintf(id, sizeof(id), "%lld", cur.id);
			if (o.nip && db_query_int(r->db, &other, NULL, "SELECT COUNT(*) FROM organisation WHERE nip = ? AND "
						  "id <> ?", o.nip, id, NULL) >= 0 && other)
				field = "nip";
			else if (o.regon && db_query_int(r->db, &other, NULL, "SELECT COUNT(*) FROM organisation WHERE "
							 "regon = ? AND id <> ?", o.regon, id, NULL) >= 0 && other)
				field = "regon";
			buf_printf(&m, "%s: %s", field, e.msg);
			org_release(&o);
			r->status = 409;
			edit_page(r, &cur, m.ptr, 1);
			buf_release(&m);
		} else {
			org_release(&o);
			req_error_kerr(r, &e);
		}
		org_release(&cur);
		return;
	}
	snprintf(to, sizeof(to), "/organisations/%lld?saved=1", cur.id);
	buf_release(&changed);
	org_release(&o);
	org_release(&cur);
	req_redirect(r, to);
}

/* ---- a cluster's profile: /clusters/ID/edit ---- */

/* The cluster's fields its coordinator keeps up to date; the acronym, the coordinating
 * organisation and the labels are an administrator's (klaster import clusters). */
static const struct org_field cluster_form[] = {
	{ "name", "Nazwa", "Name", FK_INPUT, "text", "required maxlength=\"300\"" },
	{ "founded", "Rok założenia", "Year founded", FK_INPUT, "text", "maxlength=\"4\" inputmode=\"numeric\"" },
	{ "sectors", "Sektory: kody PKD (rozdzielone „;”)", "Sectors: PKD codes (separated by “;”)", FK_INPUT, "text",
	  "maxlength=\"300\" placeholder=\"62;63.1\"" },
	{ "region", "Województwo", "Voivodeship", FK_VOIV, NULL, NULL },
	{ "website", "Strona WWW", "Website", FK_INPUT, "url", "maxlength=\"300\" placeholder=\"https://\"" },
	{ "email", "E-mail klastra", "The cluster's e-mail", FK_INPUT, "text",
	  "maxlength=\"254\" inputmode=\"email\" autocomplete=\"email\"" },
	{ "description_pl", "Opis po polsku", "Description in Polish", FK_AREA, NULL, "maxlength=\"5000\"" },
	{ "description_en", "Opis po angielsku", "Description in English", FK_AREA, NULL, "maxlength=\"5000\"" },
};
#define N_CLUSTER_FORM (sizeof(cluster_form) / sizeof(cluster_form[0]))

static const char *cluster_label(struct req *r, const char *name)
{
	size_t i;
	for (i = 0; i < N_CLUSTER_FORM; i++)
		if (strcmp(cluster_form[i].name, name) == 0)
			return L(r, cluster_form[i].pl, cluster_form[i].en);
	return NULL;
}

/* The stored value of the cluster's column name as the import writes it (year: in year[8]). */
static const char *cluster_value(const struct cluster *c, const char *name, char year[8])
{
	static const struct {
		const char *name;
		size_t off;
	} text[] = {
		{ "acronym", offsetof(struct cluster, acronym) }, { "name", offsetof(struct cluster, name) },
		{ "sectors", offsetof(struct cluster, sectors) }, { "region", offsetof(struct cluster, region) },
		{ "website", offsetof(struct cluster, website) }, { "email", offsetof(struct cluster, email) },
		{ "description_pl", offsetof(struct cluster, description_pl) },
		{ "description_en", offsetof(struct cluster, description_en) },
		{ "labels", offsetof(struct cluster, labels) },
	};
	size_t i;
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (strcmp(text[i].name, name) == 0)
			return *(char *const *)((const char *)c + text[i].off);
	if (strcmp(name, "founded") == 0) {
		if (!c->founded)
			return NULL;
		snprintf(year, 8, "%d", c->founded);
		return year;
	}
	if (strcmp(name, "demo") == 0)
		return c->demo ? "1" : "0";
	return NULL;  /* coordinator: kept by id (h_cluster_edit_post) */
}

/* The cluster of /clusters/ID/edit, loaded into *c when the user may coordinate it: 0; -1 after answering. */
static int editable_cluster(struct req *r, struct cluster *c)
{
	struct kerr e = KERR_INIT;
	/* ID, or the acronym (as /clusters/ACRONYM/join takes it) */
	if (!*r->arg || strlen(r->arg) > 100 || dir_cluster_get(r->db, r->arg, c, &e)) {
		if (e.kind == KERR_DB)
			req_error_kerr(r, &e);
		else
			req_error(r, 404, L(r, "Nie ma takiego klastra.", "No such cluster."));
		return -1;
	}
	if (req_deny(r, auth_can_coordinate(&r->user, c->id))) {
		cluster_release(c);
		return -1;
	}
	return 0;
}

static void cluster_edit_page(struct req *r, const struct cluster *cur, const char *error, int with_values)
{
	const char *vals[N_CLUSTER_FORM];
	char year[8], action[64];
	size_t i;
	for (i = 0; i < N_CLUSTER_FORM; i++)
		vals[i] = with_values ? req_form(r, cluster_form[i].name) : cluster_value(cur, cluster_form[i].name, year);
	page_begin(r, L(r, "Edycja profilu klastra", "Edit the cluster's profile"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/clusters\">%s</a> › <a href=\"/clusters/%lld\">%s</a></p>"
		    "<h1>%s</h1><p>%s</p>", L(r, "Klastry", "Clusters"), cur->id, cur->name,
		    L(r, "Edycja profilu klastra", "Edit the cluster's profile"),
		    L(r, "Zmiany są widoczne od razu po zapisaniu. Skrót, organizację koordynującą i wyróżnienia "
			 "zmienia administrator.",
		      "Changes show as soon as they are saved. The acronym, the coordinating organisation and "
			 "the labels are changed by an administrator."));
	if (error)
		web_form_errors(r, error, cluster_label);
	snprintf(action, sizeof(action), "/clusters/%lld/edit", cur->id);
	form_open(r, action, "stack");
	form_fields(r, cluster_form, N_CLUSTER_FORM, vals);
	html_printf(&r->out, "<p><button type=\"submit\">%s</button> <a href=\"/clusters/%lld\">%s</a></p></form>",
		    L(r, "Zapisz zmiany", "Save changes"), cur->id, L(r, "anuluj", "cancel"));
	page_end(r);
}

static void h_cluster_edit(struct req *r)
{
	struct cluster cur;
	if (editable_cluster(r, &cur))
		return;
	cluster_edit_page(r, &cur, NULL, 0);
	cluster_release(&cur);
}

static void h_cluster_edit_post(struct req *r)
{
	struct kerr e = KERR_INIT;
	struct cluster cur, c;
	const char *names[16], *values[16];
	char year[8], to[64];
	enum upsert_result res;
	size_t i, n = 0;

	if (editable_cluster(r, &cur))
		return;
	/* the form's fields as sent (left out: kept), the others as stored; the coordinating
	 * organisation is kept by its id below */
	for (i = 0; cluster_columns[i]; i++) {
		const char *sent = cluster_label(r, cluster_columns[i]) ? req_form(r, cluster_columns[i]) : NULL;
		if (strcmp(cluster_columns[i], "coordinator") == 0)
			continue;
		names[n] = cluster_columns[i];
		values[n++] = sent ? sent : cluster_value(&cur, cluster_columns[i], year);
	}
	if (cluster_from_form(&c, names, values, n, r->db, &e)) {
		if (e.kind != KERR_INPUT) {
			cluster_release(&cur);
			return req_error_kerr(r, &e);
		}
		r->status = 400;
		cluster_edit_page(r, &cur, e.msg, 1);
		cluster_release(&cur);
		return;
	}
	c.coordinator_id = cur.coordinator_id;
	if (db_begin(r->db, &e) || dir_cluster_upsert(r->db, &c, &res, &e) ||
	    (res != UPSERT_UNCHANGED &&
	     auth_audit(r->db, r->user.id, r->ip, "cluster-update", "cluster", cur.id, "web", &e)) ||
	    db_commit(r->db, &e)) {
		db_rollback(r->db);
		cluster_release(&c);
		cluster_release(&cur);
		return req_error_kerr(r, &e);
	}
	snprintf(to, sizeof(to), "/clusters/%lld?saved=1", cur.id);
	cluster_release(&c);
	cluster_release(&cur);
	req_redirect(r, to);
}

const struct route moderation_routes[] = {
	{ "GET", "/organisations/new", h_propose, R_DB },
	{ "POST", "/organisations/new", h_propose_post, R_DB | R_FORM },
	{ "POST", "/organisations/proposals/edit", h_proposal_edit_post, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/organisations/proposals/withdraw", h_proposal_withdraw, R_DB | R_FORM | R_LOGIN },
	{ "GET", "/organisations/*/edit", h_org_edit, R_DB | R_LOGIN | R_PREFIX },
	{ "POST", "/organisations/*/edit", h_org_edit_post, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "GET", "/clusters/*/edit", h_cluster_edit, R_DB | R_LOGIN | R_PREFIX },
	{ "POST", "/clusters/*/edit", h_cluster_edit_post, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "GET", "/clusters/*/join", h_join, R_DB | R_LOGIN | R_PREFIX },
	{ "POST", "/clusters/*/join", h_join_post, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "GET", "/admin/companies", h_admin_companies, R_DB | R_LOGIN },
	{ "POST", "/admin/companies/approve", h_admin_approve, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/companies/reject", h_admin_reject, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/companies/accept", h_admin_accept, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/companies/decline", h_admin_decline, R_DB | R_FORM | R_LOGIN },
	{ "GET", "/admin/members", h_admin_members, R_DB | R_LOGIN },
	{ "POST", "/admin/members/end", h_admin_members_end, R_DB | R_FORM | R_LOGIN },
	{ "POST", "/admin/members/add", h_admin_members_add, R_DB | R_FORM | R_LOGIN },
	{ NULL, NULL, NULL, 0 }
};
