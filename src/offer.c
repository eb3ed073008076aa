/* offer.c — the offers and services databases (see offer.h). */
#include "offer.h"

#include "csv.h"
#include "dir.h"
#include "esc.h"
#include "fold.h"
#include "strset.h"
#include "valid.h"

/* ---- enumerations ---- */

const char *const offer_kinds[] = { "supply", "demand", "cooperation", "subcontracting", "technology", NULL };
const char *const service_categories[] = { "consulting", "training", "financing", "laboratory", "ip_transfer",
					   "export", NULL };
const char *const service_price_models[] = { "free", "fixed", "hourly", "quote", "co_financed", NULL };
static const char *const statuses[] = { "pending", "approved", "rejected", "withdrawn", NULL };

static const struct {
	const char *code, *pl, *en;
} labels[] = {
	{ "supply", "Podaż — oferuję", "Supply — I offer" },
	{ "demand", "Popyt — szukam", "Demand — I am looking for" },
	{ "cooperation", "Współpraca", "Cooperation" },
	{ "subcontracting", "Podwykonawstwo", "Subcontracting" },
	{ "technology", "Technologia", "Technology" },
	{ "consulting", "Doradztwo", "Consulting" },
	{ "training", "Szkolenia", "Training" },
	{ "financing", "Finansowanie", "Financing" },
	{ "laboratory", "Usługi laboratoryjne", "Laboratory services" },
	{ "ip_transfer", "Transfer technologii i własność intelektualna", "Technology and IP transfer" },
	{ "export", "Wsparcie eksportu", "Export support" },
	{ "free", "bezpłatnie", "free of charge" },
	{ "fixed", "cena stała", "fixed price" },
	{ "hourly", "stawka godzinowa", "hourly rate" },
	{ "quote", "wycena indywidualna", "on quotation" },
	{ "co_financed", "dofinansowanie", "co-financed" },
	{ "pending", "czeka na moderację", "awaiting moderation" },
	{ "approved", "opublikowana", "published" },
	{ "rejected", "odrzucona", "rejected" },
	{ "withdrawn", "wycofana", "withdrawn" },
};

static const char *label_of(const char *code, const char *lang)
{
	size_t i;
	if (!code)
		return "";
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].code, code) == 0)
			return lang && lang[0] == 'e' ? labels[i].en : labels[i].pl;
	return code;
}

const char *offer_kind_label(enum offer_base b, const char *kind, const char *lang)
{
	(void)b;
	return label_of(kind, lang);
}

const char *offer_price_label(const char *model, const char *lang) { return label_of(model, lang); }
const char *offer_status_label(const char *status, const char *lang) { return label_of(status, lang); }

const char *const *offer_kind_list(enum offer_base b)
{
	return b == OFFER_BASE_OFFERS ? offer_kinds : service_categories;
}

const char *offer_table(enum offer_base b)
{
	return b == OFFER_BASE_OFFERS ? "offer" : "service";
}

const char *offer_kind_field(enum offer_base b)
{
	return b == OFFER_BASE_OFFERS ? "kind" : "category";
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static void list_join(struct buf *out, const char *const *list)
{
	for (; *list; list++)
		buf_printf(out, "%s%s", out->len ? ", " : "", *list);
}

void offer_today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void offer_release(struct offer *o)
{
	char **s[] = { &o->kind, &o->title, &o->description, &o->pkd_codes, &o->keywords, &o->price_model,
		       &o->price_note, &o->voivodeship, &o->valid_from, &o->valid_until, &o->contact_name,
		       &o->contact_email, &o->contact_phone, &o->status, &o->moderation_note, &o->org_name,
		       &o->org_type, &o->voivodeship_name };
	size_t i;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		free(*s[i]);
		*s[i] = NULL;
	}
}

/* ---- validation ---- */

enum ftype { FT_KIND, FT_LINE, FT_TEXT, FT_PKD, FT_KEYWORDS, FT_PRICE, FT_VOIV, FT_DATE, FT_EMAIL, FT_PHONE,
	     FT_STATUS, FT_DEMO };

struct fspec {
	const char *name;
	enum ftype type;
	int required;
	size_t max;          /* characters, for FT_LINE / FT_TEXT / FT_KEYWORDS */
	size_t off;          /* offsetof the char * in struct offer; for FT_DEMO unused */
};

#define OFF(f) offsetof(struct offer, f)

static const struct fspec offer_spec[] = {
	{ "kind", FT_KIND, 1, 0, OFF(kind) },
	{ "title", FT_LINE, 1, OFFER_TITLE_MAX, OFF(title) },
	{ "description", FT_TEXT, 1, OFFER_DESC_MAX, OFF(description) },
	{ "pkd_codes", FT_PKD, 0, 0, OFF(pkd_codes) },
	{ "keywords", FT_KEYWORDS, 0, OFFER_KEYWORDS_MAX, OFF(keywords) },
	{ "voivodeship", FT_VOIV, 0, 0, OFF(voivodeship) },
	{ "valid_from", FT_DATE, 1, 0, OFF(valid_from) },
	{ "valid_until", FT_DATE, 1, 0, OFF(valid_until) },
	{ "contact_name", FT_LINE, 1, OFFER_NAME_MAX, OFF(contact_name) },
	{ "contact_email", FT_EMAIL, 1, 0, OFF(contact_email) },
	{ "contact_phone", FT_PHONE, 0, 0, OFF(contact_phone) },
	{ "status", FT_STATUS, 0, 0, OFF(status) },
	{ "demo", FT_DEMO, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

static const struct fspec service_spec[] = {
	{ "category", FT_KIND, 1, 0, OFF(kind) },
	{ "title", FT_LINE, 1, OFFER_TITLE_MAX, OFF(title) },
	{ "description", FT_TEXT, 1, OFFER_DESC_MAX, OFF(description) },
	{ "price_model", FT_PRICE, 1, 0, OFF(price_model) },
	{ "price_note", FT_LINE, 0, OFFER_NOTE_MAX, OFF(price_note) },
	{ "voivodeship", FT_VOIV, 0, 0, OFF(voivodeship) },
	{ "contact_name", FT_LINE, 1, OFFER_NAME_MAX, OFF(contact_name) },
	{ "contact_email", FT_EMAIL, 1, 0, OFF(contact_email) },
	{ "contact_phone", FT_PHONE, 0, 0, OFF(contact_phone) },
	{ "status", FT_STATUS, 0, 0, OFF(status) },
	{ "demo", FT_DEMO, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

static const char *const offer_field_names[] = { "kind", "title", "description", "pkd_codes", "keywords",
						 "voivodeship", "valid_from", "valid_until", "contact_name",
						 "contact_email", "contact_phone", NULL };
static const char *const service_field_names[] = { "category", "title", "description", "price_model",
						   "price_note", "voivodeship", "contact_name", "contact_email",
						   "contact_phone", NULL };

const char *const *offer_fields(enum offer_base b)
{
	return b == OFFER_BASE_OFFERS ? offer_field_names : service_field_names;
}

/* A copy without surrounding white space, with CR LF and lone CR as LF. */
static char *clean_dup(const char *s)
{
	const char *end;
	struct buf b = BUF_INIT;
	if (!s)
		s = "";
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	for (; s < end; s++) {
		if (*s == '\r') {
			buf_putc(&b, '\n');
			if (s + 1 < end && s[1] == '\n')
				s++;
		} else {
			buf_putc(&b, *s);
		}
	}
	return buf_detach(&b, NULL);
}

/* 1 when s holds no control character (multi: except LF and tab). */
static int no_controls(const char *s, int multi)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 || c == 0x7f) && !(multi && (c == '\n' || c == '\t')))
			return 0;
	}
	return 1;
}

static int set_err(struct kerr *e, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int set_err(struct kerr *e, const char *field, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	kerr_set(e, KERR_INPUT, "%s: %s", field, b.ptr);
	buf_release(&b);
	return -1;
}

/* Text fields: one line or several, at most max characters. */
static int check_text(const struct fspec *f, const char *v, struct kerr *e)
{
	size_t n;
	if (!utf8_valid(v, strlen(v)))
		return set_err(e, f->name, "not valid UTF-8 text");
	if (!no_controls(v, f->type == FT_TEXT))
		return set_err(e, f->name, f->type == FT_TEXT ? "holds control characters" : "must be one line of text");
	n = utf8_chars(v);
	if (n > f->max)
		return set_err(e, f->name, "%s, at most %zu characters (this one has %zu)",
			       f->required ? "required" : "optional", f->max, n);
	return 0;
}

/* PKD codes separated by spaces, commas or semicolons → "62.01.Z 72.19.Z". */
static int check_pkd_list(const char *name, const char *v, char **out, struct kerr *e)
{
	struct buf norm = BUF_INIT, why = BUF_INIT;
	const char *p = v;
	int count = 0, rc = 0;
	while (*p && !rc) {
		size_t n = strcspn(p, " ,;\t\n");
		if (n) {
			char code[32], code_norm[10];
			int level;
			if (n >= sizeof(code)) {
				rc = set_err(e, name, "'%.20s…' is not a PKD code", p);
				break;
			}
			memcpy(code, p, n);
			code[n] = '\0';
			if (valid_pkd(code, code_norm, &level, &why)) {
				rc = set_err(e, name, "'%s': %s", code, why.ptr);
			} else if (level < 2) {
				rc = set_err(e, name, "'%s' is a section; give a division or finer code (e.g. 62 or 62.01.Z)",
					     code);
			} else {
				/* de-duplicate: the list is short */
				struct buf pad = BUF_INIT;
				buf_printf(&pad, " %s ", code_norm);
				{
					struct buf have = BUF_INIT;
					buf_printf(&have, " %s ", norm.ptr);
					if (!strstr(have.ptr, pad.ptr)) {
						if (++count > OFFER_PKD_MAX)
							rc = set_err(e, name, "at most %d codes", OFFER_PKD_MAX);
						else
							buf_printf(&norm, "%s%s", norm.len ? " " : "", code_norm);
					}
					buf_release(&have);
				}
				buf_release(&pad);
			}
		}
		p += n;
		if (*p)
			p++;
	}
	buf_release(&why);
	if (rc) {
		buf_release(&norm);
		return -1;
	}
	*out = norm.len ? buf_detach(&norm, NULL) : NULL;
	buf_release(&norm);
	return 0;
}

/* Keywords separated by commas, semicolons or lines → "a, b, c". */
static int check_keywords(const struct fspec *f, const char *v, char **out, struct kerr *e)
{
	struct buf norm = BUF_INIT;
	const char *p = v;
	int count = 0;
	if (check_text(&(struct fspec){ f->name, FT_TEXT, 0, f->max, 0 }, v, e))
		return -1;
	while (*p) {
		size_t n = strcspn(p, ",;\n");
		char *word = xstrndup(p, n), *w = clean_dup(word);
		free(word);
		if (*w) {
			if (strchr(w, '\t') || utf8_chars(w) > 50) {
				free(w);
				buf_release(&norm);
				return set_err(e, f->name, "each keyword is one phrase of at most 50 characters, separated by commas");
			}
			if (++count > 20) {
				free(w);
				buf_release(&norm);
				return set_err(e, f->name, "at most 20 keywords");
			}
			buf_printf(&norm, "%s%s", norm.len ? ", " : "", w);
		}
		free(w);
		p += n;
		if (*p)
			p++;
	}
	*out = norm.len ? buf_detach(&norm, NULL) : NULL;
	buf_release(&norm);
	return 0;
}

static int check_field(struct offer *o, const struct fspec *f, const char *raw, struct kerr *e)
{
	char *v = clean_dup(raw), **slot = f->type == FT_DEMO ? NULL : (char **)((char *)o + f->off);
	struct buf why = BUF_INIT, list = BUF_INIT;
	int rc = 0;

	if (!*v) {
		if (f->required) {
			if (f->type == FT_KIND || f->type == FT_PRICE) {
				list_join(&list, f->type == FT_PRICE ? service_price_models : offer_kind_list(o->base));
				rc = set_err(e, f->name, "required, one of %s", list.ptr);
			} else if (f->type == FT_LINE || f->type == FT_TEXT) {
				rc = set_err(e, f->name, "required, at most %zu characters", f->max);
			} else if (f->type == FT_DATE) {
				rc = set_err(e, f->name, "required, a date YYYY-MM-DD");
			} else {
				rc = set_err(e, f->name, "required");
			}
		}
		free(v);
		v = NULL;
		goto out;
	}
	switch (f->type) {
	case FT_KIND:
	case FT_PRICE:
	case FT_STATUS: {
		const char *const *allowed = f->type == FT_KIND ? offer_kind_list(o->base)
					   : f->type == FT_PRICE ? service_price_models : statuses;
		if (!in_list(v, allowed)) {
			list_join(&list, allowed);
			rc = set_err(e, f->name, "'%s' is not one of %s", v, list.ptr);
		}
		break;
	}
	case FT_LINE:
	case FT_TEXT:
		rc = check_text(f, v, e);
		break;
	case FT_PKD: {
		char *norm = NULL;
		if (!(rc = check_pkd_list(f->name, v, &norm, e))) {
			free(v);
			v = norm;
		}
		break;
	}
	case FT_KEYWORDS: {
		char *norm = NULL;
		if (!(rc = check_keywords(f, v, &norm, e))) {
			free(v);
			v = norm;
		}
		break;
	}
	case FT_VOIV:
		if (strlen(v) != 2 || !isdigit((unsigned char)v[0]) || !isdigit((unsigned char)v[1]) ||
		    valid_teryt(v, NULL, &why))
			rc = set_err(e, f->name, "'%s' is not the 2-digit TERYT code of a voivodeship (02, 04 … 32)", v);
		break;
	case FT_DATE:
		if (valid_date(v, &why))
			rc = set_err(e, f->name, "'%s': %s", v, why.ptr);
		break;
	case FT_EMAIL:
		if (valid_email(v, &why))
			rc = set_err(e, f->name, "%s", why.ptr);
		break;
	case FT_PHONE:
		if (valid_phone(v, &why))
			rc = set_err(e, f->name, "%s", why.ptr);
		break;
	case FT_DEMO:
		if (strcmp(v, "0") && strcmp(v, "1"))
			rc = set_err(e, f->name, "must be 0 or 1");
		else
			o->demo = v[0] == '1';
		break;
	}
out:
	if (!rc && slot) {
		free(*slot);
		*slot = v;
		v = NULL;
	}
	free(v);
	buf_release(&why);
	buf_release(&list);
	return rc;
}

/* Keeps the problem e holds as a line of *all (a form: the checks go on) and returns 0; without
 * all (an import, the API) returns -1, so the first problem ends the checks. */
static int keep(struct buf *all, struct kerr *e)
{
	if (!all)
		return -1;
	buf_printf(all, "%s%s", all->len ? "\n" : "", e->msg);
	kerr_clear(e);
	return 0;
}

/* offer_from_fields, with every problem of a field kept in *all when it is not NULL. */
static int from_fields(struct offer *o, enum offer_base b, const char *const *names, const char *const *values,
		       size_t n, struct buf *all, struct kerr *e)
{
	const struct fspec *spec = b == OFFER_BASE_OFFERS ? offer_spec : service_spec, *f;
	size_t i, j;
	memset(o, 0, sizeof(*o));
	o->base = b;
	for (i = 0; i < n; i++) {
		for (f = spec; f->name; f++)
			if (names[i] && strcmp(names[i], f->name) == 0)
				break;
		if (!f->name) {
			struct buf known = BUF_INIT;
			for (f = spec; f->name; f++)
				buf_printf(&known, "%s%s", known.len ? ", " : "", f->name);
			kerr_set(e, KERR_INPUT, "%s: unknown field (known: %s)", names[i] ? names[i] : "(null)", known.ptr);
			buf_release(&known);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (names[j] && strcmp(names[j], names[i]) == 0)
				return kerr_set(e, KERR_INPUT, "%s: given twice", names[i]);
	}
	/* in the order of the form, so the first wrong field is reported first */
	for (f = spec; f->name; f++) {
		const char *v = NULL;
		for (i = 0; i < n; i++)
			if (names[i] && strcmp(names[i], f->name) == 0)
				v = values[i];
		if (check_field(o, f, v, e) && keep(all, e))
			return -1;
		/* across fields: only of dates that passed their own check */
		if (f->off == OFF(valid_until) && f->type == FT_DATE && o->valid_from && o->valid_until &&
		    strcmp(o->valid_from, o->valid_until) > 0 &&
		    set_err(e, "valid_until", "must not be before valid_from (%s)", o->valid_from) && keep(all, e))
			return -1;
	}
	return 0;
}

int offer_from_fields(struct offer *o, enum offer_base b, const char *const *names, const char *const *values,
		      size_t n, struct kerr *e)
{
	return from_fields(o, b, names, values, n, NULL, e);
}

/* The last day an offer may be valid until when written on day today: the same day
 * OFFER_VALID_YEARS later (29 February: 1 March). */
static void horizon_of(const char *today, char out[11])
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(today) - 1900 + OFFER_VALID_YEARS;
	tm.tm_mon = atoi(today + 5) - 1;
	tm.tm_mday = atoi(today + 8);
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	mktime(&tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* offer_check_current, with every problem kept in *all when it is not NULL. */
static int check_current(const struct offer *o, const char *today, struct buf *all, struct kerr *e)
{
	char last[11];
	if (o->base != OFFER_BASE_OFFERS || !o->valid_until)
		return 0;
	if (strcmp(o->valid_until, today) < 0 &&
	    set_err(e, "valid_until", "%s has already passed: the offer would never be listed", o->valid_until) &&
	    keep(all, e))
		return -1;
	horizon_of(today, last);
	if (strcmp(o->valid_until, last) > 0 &&
	    set_err(e, "valid_until", "at most %d years ahead, until %s at the latest (%s is later)", OFFER_VALID_YEARS,
		    last, o->valid_until) &&
	    keep(all, e))
		return -1;
	return 0;
}

int offer_check_current(const struct offer *o, const char *today, struct kerr *e)
{
	return check_current(o, today, NULL, e);
}

int offer_org_type_serves(const char *org_type)
{
	return org_type && (strcmp(org_type, "research") == 0 || strcmp(org_type, "support") == 0);
}

/* The type of an organisation (1), none (0) or -1. */
static int org_type_of(struct db *db, long long org_id, char *type, size_t n, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT type FROM organisation WHERE id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, org_id);
	rc = db_step(st, e);
	if (rc == 1)
		snprintf(type, n, "%s", db_col_text(st, 0));
	db_finalize(st);
	return rc;
}

/* offer_check_refs, with every problem kept in *all when it is not NULL (a database error
 * always ends the checks). */
static int check_refs(struct db *db, const struct offer *o, struct buf *all, struct kerr *e)
{
	char type[32] = "";
	int rc;
	if (o->org_id <= 0) {
		if (set_err(e, "org", "choose the organisation the entry belongs to") && keep(all, e))
			return -1;
	} else {
		rc = org_type_of(db, o->org_id, type, sizeof(type), e);
		if (rc < 0)
			return -1;
		if (rc == 0 && set_err(e, "org", "no organisation with id %lld", o->org_id) && keep(all, e))
			return -1;
		if (rc == 1 && o->base == OFFER_BASE_SERVICES && !offer_org_type_serves(type) &&
		    set_err(e, "org", "services are offered by universities, R&D units and business-support "
			    "institutions; this organisation is of type %s", type) && keep(all, e))
			return -1;
	}
	if (o->voivodeship && !dir_region_exists(db, o->voivodeship) &&
	    set_err(e, "voivodeship", "no voivodeship with TERYT code %s", o->voivodeship) && keep(all, e))
		return -1;
	if (o->pkd_codes) {
		const char *p = o->pkd_codes;
		while (*p) {
			size_t n = strcspn(p, " ");
			char code[10], norm[10];
			int level, bad;
			struct buf why = BUF_INIT;
			/* the stored list is check_pkd_list's: normalised codes of at most 7 bytes */
			snprintf(code, sizeof(code), "%.*s", (int)(n < 9 ? n : 9), p);
			bad = valid_pkd(code, norm, &level, &why) || dir_pkd_check(db, 2007, norm, level, &why);
			if (bad) {
				set_err(e, "pkd_codes", "'%.*s': %s", (int)n, p, why.ptr);
				buf_release(&why);
				if (keep(all, e))
					return -1;
			} else {
				buf_release(&why);
			}
			p += n;
			if (*p)
				p++;
		}
	}
	return 0;
}

int offer_check_refs(struct db *db, const struct offer *o, struct kerr *e)
{
	return check_refs(db, o, NULL, e);
}

int offer_check_form(struct db *db, struct offer *o, enum offer_base b, const char *const *names,
		     const char *const *values, size_t n, long long org_id, const char *today, struct kerr *e)
{
	struct buf all = BUF_INIT;
	int rc = -1;
	if (from_fields(o, b, names, values, n, &all, e))
		goto out;
	o->org_id = org_id;
	if (check_current(o, today, &all, e) || check_refs(db, o, &all, e))
		goto out;
	if (all.len) {
		kerr_set_lines(e, KERR_INPUT, all.ptr);
		goto out;
	}
	rc = 0;
out:
	buf_release(&all);
	return rc;
}

/* ---- search text ---- */

void offer_search_text(const struct offer *o, const char *org_name, struct buf *out)
{
	struct buf all = BUF_INIT;
	const char *parts[] = { o->title, o->description, o->keywords, o->pkd_codes, o->price_note, org_name,
				o->contact_name };
	size_t i;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i]) {
			buf_puts(&all, parts[i]);
			buf_putc(&all, ' ');
		}
	/* PKD codes also as one word each, as dir_search_query rewrites a query */
	if (o->pkd_codes) {
		const char *p;
		for (p = o->pkd_codes; *p; p++)
			if (*p == ' ')
				buf_putc(&all, ' ');
			else if (*p != '.')
				buf_putc(&all, tolower((unsigned char)*p));
	}
	fold_search(out, all.ptr);
	buf_release(&all);
}

/* ---- writes ---- */

static char *org_name_of(struct db *db, long long org_id)
{
	struct db_stmt *st;
	char *name = NULL;
	if (db_prepare(db, "SELECT name FROM organisation WHERE id = ?", &st, NULL))
		return NULL;
	db_bind_int(st, 1, org_id);
	if (db_step(st, NULL) == 1 && db_col_text(st, 0))
		name = xstrdup(db_col_text(st, 0));
	db_finalize(st);
	return name;
}

/* Binds the content columns in the order of CONTENT_COLS; returns the next index. */
#define OFFER_CONTENT "kind, title, description, pkd_codes, keywords, voivodeship, valid_from, valid_until," \
	" contact_name, contact_email, contact_phone, demo, search_text, sort_key"
#define SERVICE_CONTENT "category, title, description, price_model, price_note, voivodeship," \
	" contact_name, contact_email, contact_phone, demo, search_text, sort_key"

static int bind_content(struct db_stmt *st, const struct offer *o, const char *search, const char *sort)
{
	int i = 1;
	db_bind_text(st, i++, o->kind);
	db_bind_text(st, i++, o->title);
	db_bind_text(st, i++, o->description);
	if (o->base == OFFER_BASE_OFFERS) {
		db_bind_text(st, i++, o->pkd_codes);
		db_bind_text(st, i++, o->keywords);
	} else {
		db_bind_text(st, i++, o->price_model);
		db_bind_text(st, i++, o->price_note);
	}
	db_bind_text(st, i++, o->voivodeship);
	if (o->base == OFFER_BASE_OFFERS) {
		db_bind_text(st, i++, o->valid_from);
		db_bind_text(st, i++, o->valid_until);
	}
	db_bind_text(st, i++, o->contact_name);
	db_bind_text(st, i++, o->contact_email);
	db_bind_text(st, i++, o->contact_phone);
	db_bind_int(st, i++, o->demo);
	db_bind_text(st, i++, search);
	db_bind_text(st, i++, sort);
	return i;
}

static void texts_for(struct db *db, const struct offer *o, struct buf *search, struct buf *sort)
{
	char *org = org_name_of(db, o->org_id);
	offer_search_text(o, org, search);
	fold_sortkey(sort, o->title);
	free(org);
}

int offer_insert(struct db *db, struct offer *o, struct kerr *e)
{
	struct buf sql = BUF_INIT, search = BUF_INIT, sort = BUF_INIT;
	struct db_stmt *st = NULL;
	long long now = auth_now();
	int i, rc = -1, n;
	const char *status = o->status ? o->status : "pending";

	texts_for(db, o, &search, &sort);
	n = o->base == OFFER_BASE_OFFERS ? 14 : 12;
	buf_printf(&sql, "INSERT INTO %s (%s, org_id, author_id, status, created_at, updated_at) VALUES (",
		   offer_table(o->base), o->base == OFFER_BASE_OFFERS ? OFFER_CONTENT : SERVICE_CONTENT);
	for (i = 0; i < n + 5; i++)
		buf_puts(&sql, i ? ",?" : "?");
	buf_puts(&sql, ") RETURNING id");
	if (db_prepare(db, sql.ptr, &st, e))
		goto out;
	i = bind_content(st, o, search.ptr, sort.ptr);
	db_bind_int(st, i++, o->org_id);
	if (o->author_id > 0)
		db_bind_int(st, i++, o->author_id);
	else
		db_bind_null(st, i++);
	db_bind_text(st, i++, status);
	db_bind_int(st, i++, now);
	db_bind_int(st, i++, now);
	if (db_step(st, e) != 1)
		goto out;
	o->id = db_col_int(st, 0);
	o->created_at = o->updated_at = now;
	rc = 0;
out:
	db_finalize(st);
	buf_release(&sql);
	buf_release(&search);
	buf_release(&sort);
	return rc;
}

int offer_update(struct db *db, const struct offer *o, const char *new_status, struct kerr *e)
{
	struct buf sql = BUF_INIT, search = BUF_INIT, sort = BUF_INIT;
	struct db_stmt *st = NULL;
	const char *p, *cols = o->base == OFFER_BASE_OFFERS ? OFFER_CONTENT : SERVICE_CONTENT;
	int i, rc = -1, r;

	texts_for(db, o, &search, &sort);
	/* "a, b, c" → "a=?, b=?, c=?" */
	buf_printf(&sql, "UPDATE %s SET ", offer_table(o->base));
	for (p = cols; *p; p++) {
		if (*p == ',')
			buf_puts(&sql, "=?");
		buf_putc(&sql, *p);
	}
	buf_puts(&sql, "=?, updated_at=?");
	if (new_status)
		buf_puts(&sql, ", status=?, moderated_by=NULL, moderation_note=NULL");
	buf_puts(&sql, " WHERE id=? RETURNING id");
	if (db_prepare(db, sql.ptr, &st, e))
		goto out;
	i = bind_content(st, o, search.ptr, sort.ptr);
	db_bind_int(st, i++, auth_now());
	if (new_status)
		db_bind_text(st, i++, new_status);
	db_bind_int(st, i++, o->id);
	r = db_step(st, e);
	if (r < 0)
		goto out;
	if (r == 0) {
		kerr_set(e, KERR_NOTFOUND, "no %s with id %lld", offer_table(o->base), o->id);
		goto out;
	}
	rc = 0;
out:
	db_finalize(st);
	buf_release(&sql);
	buf_release(&search);
	buf_release(&sort);
	return rc;
}

int offer_set_status(struct db *db, enum offer_base b, long long id, const char *from, const char *to,
		     long long moderator_id, const char *note, struct kerr *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st = NULL;
	const char *states[8];
	size_t ns = 0, k;
	char *copy = xstrdup(from), *p = copy;
	int i = 1, r, rc = -1;

	if (!in_list(to, statuses))
		BUG("offer_set_status: unknown status %s", to);
	while (*p && ns < 8) {
		size_t n = strcspn(p, " ");
		if (n)
			states[ns++] = p;
		p += n;
		if (*p)
			*p++ = '\0';
	}
	buf_printf(&sql, "UPDATE %s SET status=?, updated_at=?", offer_table(b));
	if (moderator_id > 0)
		buf_puts(&sql, ", moderated_by=?, moderation_note=?");
	buf_puts(&sql, " WHERE id=? AND status IN (");
	for (k = 0; k < ns; k++)
		buf_puts(&sql, k ? ",?" : "?");
	buf_puts(&sql, ") RETURNING id");
	if (db_prepare(db, sql.ptr, &st, e))
		goto out;
	db_bind_text(st, i++, to);
	db_bind_int(st, i++, auth_now());
	if (moderator_id > 0) {
		db_bind_int(st, i++, moderator_id);
		db_bind_text(st, i++, note && *note ? note : NULL);
	}
	db_bind_int(st, i++, id);
	for (k = 0; k < ns; k++)
		db_bind_text(st, i++, states[k]);
	r = db_step(st, e);
	if (r < 0)
		goto out;
	if (r == 0) {
		long long n = 0;
		char idb[24];
		db_finalize(st);
		st = NULL;
		buf_reset(&sql);
		buf_printf(&sql, "SELECT COUNT(*) FROM %s WHERE id = ?", offer_table(b));
		snprintf(idb, sizeof(idb), "%lld", id);
		if (db_query_int(db, &n, e, sql.ptr, idb, NULL) < 0)
			goto out;
		if (n == 0)
			kerr_set(e, KERR_NOTFOUND, "no %s with id %lld", offer_table(b), id);
		else
			kerr_set(e, KERR_CONFLICT, "the %s is not in a state that can become %s", offer_table(b), to);
		goto out;
	}
	rc = 0;
out:
	db_finalize(st);
	buf_release(&sql);
	free(copy);
	return rc;
}

/* ---- reads ---- */

/* Columns of both bases in one shape; the other base's columns are NULL. */
static void select_cols(enum offer_base b, struct buf *sql)
{
	buf_printf(sql, "SELECT o.id, o.org_id, COALESCE(o.author_id, 0), %s, o.title, o.description, %s,"
		   " o.voivodeship, o.contact_name, o.contact_email, o.contact_phone, o.status, o.moderation_note,"
		   " o.demo, o.created_at, o.updated_at, g.name, g.type, r.name"
		   " FROM %s o JOIN organisation g ON g.id = o.org_id LEFT JOIN region r ON r.teryt = o.voivodeship",
		   b == OFFER_BASE_OFFERS ? "o.kind" : "o.category",
		   b == OFFER_BASE_OFFERS ? "o.pkd_codes, o.keywords, NULL, NULL, o.valid_from, o.valid_until"
					  : "NULL, NULL, o.price_model, o.price_note, NULL, NULL",
		   offer_table(b));
}

static char *col_dup(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return s ? xstrdup(s) : NULL;
}

static void offer_from_row(struct offer *o, enum offer_base b, struct db_stmt *st)
{
	memset(o, 0, sizeof(*o));
	o->base = b;
	o->id = db_col_int(st, 0);
	o->org_id = db_col_int(st, 1);
	o->author_id = db_col_int(st, 2);
	o->kind = col_dup(st, 3);
	o->title = col_dup(st, 4);
	o->description = col_dup(st, 5);
	o->pkd_codes = col_dup(st, 6);
	o->keywords = col_dup(st, 7);
	o->price_model = col_dup(st, 8);
	o->price_note = col_dup(st, 9);
	o->valid_from = col_dup(st, 10);
	o->valid_until = col_dup(st, 11);
	o->voivodeship = col_dup(st, 12);
	o->contact_name = col_dup(st, 13);
	o->contact_email = col_dup(st, 14);
	o->contact_phone = col_dup(st, 15);
	o->status = col_dup(st, 16);
	o->moderation_note = col_dup(st, 17);
	o->demo = (int)db_col_int(st, 18);
	o->created_at = db_col_int(st, 19);
	o->updated_at = db_col_int(st, 20);
	o->org_name = col_dup(st, 21);
	o->org_type = col_dup(st, 22);
	o->voivodeship_name = col_dup(st, 23);
}

int offer_get(struct db *db, enum offer_base b, long long id, struct offer *o, struct kerr *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int r;
	memset(o, 0, sizeof(*o));
	select_cols(b, &sql);
	buf_puts(&sql, " WHERE o.id = ?");
	r = db_prepare(db, sql.ptr, &st, e);
	buf_release(&sql);
	if (r)
		return -1;
	db_bind_int(st, 1, id);
	r = db_step(st, e);
	if (r == 1)
		offer_from_row(o, b, st);
	db_finalize(st);
	if (r == 0)
		return kerr_set(e, KERR_NOTFOUND, "no %s with id %lld", offer_table(b), id);
	return r == 1 ? 0 : -1;
}

int offer_is_public(const struct offer *o, const char *today)
{
	return o->status && strcmp(o->status, "approved") == 0 &&
	       (o->base == OFFER_BASE_SERVICES || (o->valid_until && strcmp(o->valid_until, today) >= 0));
}

int offer_can_edit(const struct user *u, long long org_id)
{
	return auth_can_edit_org(u, org_id);
}

int offer_can_moderate(struct db *db, const struct user *u, long long org_id, struct kerr *e)
{
	long long n = 0;
	char cl[24], org[24];
	if (auth_is_admin(u))
		return 1;
	if (!u || strcmp(u->role, "coordinator") != 0 || u->cluster_id <= 0 || org_id <= 0)
		return 0;
	snprintf(cl, sizeof(cl), "%lld", u->cluster_id);
	snprintf(org, sizeof(org), "%lld", org_id);
	if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM membership WHERE cluster_id = ? AND org_id = ?"
			 " AND left_on IS NULL", cl, org, NULL) < 0)
		return -1;
	return n > 0;
}

/* Runs a prepared list query: rows are read first, then each() is called,
 * so a callback may use the connection. */
static int emit_rows(struct db_stmt *st, enum offer_base b, int (*each)(void *ctx, const struct offer *o),
		     void *ctx, struct kerr *e)
{
	struct offer *rows = NULL;
	size_t n = 0, cap = 0, k;
	int r;
	while ((r = db_step(st, e)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			rows = xrealloc(rows, st_mult(cap, sizeof(*rows)));
		}
		offer_from_row(&rows[n++], b, st);
	}
	db_finalize(st);
	for (k = 0; k < n && r == 0; k++)
		if (each && each(ctx, &rows[k]))
			break;
	for (k = 0; k < n; k++)
		offer_release(&rows[k]);
	free(rows);
	return r < 0 ? -1 : 0;
}

/* Adds the problem "field: reason" as a line of lines (offer_query_check). */
static void query_problem(struct buf *lines, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void query_problem(struct buf *lines, const char *field, const char *fmt, ...)
{
	va_list ap;
	buf_printf(lines, "%s%s: ", lines->len ? "\n" : "", field);
	va_start(ap, fmt);
	buf_vprintf(lines, fmt, ap);
	va_end(ap);
}

/* Every problem is found, one line "param: reason" each in the order of the listing's form
 * (kerr_set_lines), so that a listing with several wrong filters names all of them at once. */
int offer_query_check(enum offer_base b, struct offer_query *q, struct kerr *e)
{
	struct buf list = BUF_INIT, lines = BUF_INIT;
	int rc = 0;
	q->pkd_norm[0] = '\0';
	if (q->q && utf8_chars(q->q) > 200) {
		query_problem(&lines, "q", "the search text is longer than 200 characters");
	} else if (q->q) {
		struct buf folded = BUF_INIT;
		const char *tok[17];
		size_t n = fold_tokens(q->q, &folded, tok, 17);
		buf_release(&folded);
		if (n > 16)
			query_problem(&lines, "q", "at most 16 words can be searched at once");
	}
	if (q->kind && *q->kind && !in_list(q->kind, offer_kind_list(b))) {
		list_join(&list, offer_kind_list(b));
		query_problem(&lines, offer_kind_field(b), "'%s' is not one of %s", q->kind, list.ptr);
		buf_reset(&list);
	}
	if (q->voiv && *q->voiv &&
	    (strlen(q->voiv) != 2 || !isdigit((unsigned char)q->voiv[0]) || !isdigit((unsigned char)q->voiv[1]) ||
	     atoi(q->voiv) % 2 || atoi(q->voiv) < 2 || atoi(q->voiv) > 32))
		query_problem(&lines, "voiv", "'%s' is not the 2-digit TERYT code of a voivodeship (02, 04 … 32)", q->voiv);
	if (b == OFFER_BASE_OFFERS && q->pkd && *q->pkd) {
		int level;
		struct buf why = BUF_INIT;
		if (valid_pkd(q->pkd, q->pkd_norm, &level, &why) || level < 2) {
			query_problem(&lines, "pkd", "'%s' is not a PKD code of a division or finer (e.g. 62 or 62.01.Z)", q->pkd);
			q->pkd_norm[0] = '\0';
		}
		buf_release(&why);
	}
	if (b == OFFER_BASE_SERVICES && q->price && *q->price && !in_list(q->price, service_price_models)) {
		list_join(&list, service_price_models);
		query_problem(&lines, "price", "'%s' is not one of %s", q->price, list.ptr);
		buf_reset(&list);
	}
	if (q->sort && *q->sort && strcmp(q->sort, "newest") && strcmp(q->sort, "title") &&
	    (b == OFFER_BASE_SERVICES || strcmp(q->sort, "valid_until")))
		query_problem(&lines, "sort", b == OFFER_BASE_OFFERS ? "'%s' is not one of newest, title, valid_until"
								      : "'%s' is not one of newest, title", q->sort);
	if (q->page < 1 || q->page > 100000)
		query_problem(&lines, "page", "must be between 1 and 100000");
	if (q->per_page < 1 || q->per_page > 100)
		query_problem(&lines, "per_page", "must be between 1 and 100");
	if (!q->today || valid_date(q->today, NULL))
		BUG("offer_query_check: today must be a date");
	if (lines.len)
		rc = kerr_set_lines(e, KERR_INPUT, lines.ptr);
	buf_release(&list);
	buf_release(&lines);
	return rc;
}

/* " WHERE …" of the public search, with its parameters in order. */
struct where {
	struct buf sql, fts, toks, like;
	char org[24], cluster[24];
	const char *p[8];
	size_t np;
};

static void where_build(struct db *db, enum offer_base b, const struct offer_query *q, struct where *w)
{
	memset(w, 0, sizeof(*w));
	buf_init(&w->sql, 0);
	buf_init(&w->fts, 0);
	buf_init(&w->toks, 0);
	buf_init(&w->like, 0);
	buf_puts(&w->sql, " WHERE o.status = 'approved'");
	if (b == OFFER_BASE_OFFERS) {
		buf_puts(&w->sql, " AND o.valid_until >= ?");
		w->p[w->np++] = q->today;
	}
	if (q->kind && *q->kind) {
		buf_printf(&w->sql, " AND o.%s = ?", offer_kind_field(b));
		w->p[w->np++] = q->kind;
	}
	if (q->voiv && *q->voiv) {
		buf_puts(&w->sql, " AND o.voivodeship = ?");
		w->p[w->np++] = q->voiv;
	}
	if (q->org > 0) {
		snprintf(w->org, sizeof(w->org), "%lld", q->org);
		buf_puts(&w->sql, " AND o.org_id = ?");
		w->p[w->np++] = w->org;
	}
	if (q->cluster > 0) {
		/* the members of today, as the cluster's page lists them */
		snprintf(w->cluster, sizeof(w->cluster), "%lld", q->cluster);
		buf_puts(&w->sql, " AND o.org_id IN (SELECT org_id FROM membership WHERE cluster_id = ? AND left_on IS NULL)");
		w->p[w->np++] = w->cluster;
	}
	if (b == OFFER_BASE_OFFERS && q->pkd_norm[0]) {
		/* normalised codes: "62" matches " 62.01.Z", "62.0" matches " 62.01.Z" */
		buf_puts(&w->sql, " AND (' ' || o.pkd_codes) LIKE ?");
		buf_printf(&w->like, "%% %s%%", q->pkd_norm);
		w->p[w->np++] = w->like.ptr;
	}
	if (b == OFFER_BASE_SERVICES && q->price && *q->price) {
		buf_puts(&w->sql, " AND o.price_model = ?");
		w->p[w->np++] = q->price;
	}
	if (q->q && *q->q) {
		struct buf rewritten = BUF_INIT;
		const char *tok[16];
		size_t ntok;
		/* exactly as the directory searches: PKD codes with dots become
		 * one word, then the folded tokens must match word prefixes */
		dir_search_query(q->q, &rewritten);
		ntok = fold_tokens(rewritten.ptr, &w->toks, tok, 16);
		buf_release(&rewritten);
		if (ntok) {
			buf_puts(&w->sql, " AND o.id IN (");
			db_fts_ids(db, offer_table(b), &w->sql);
			buf_puts(&w->sql, ")");
			db_fts_param(db, tok, ntok, &w->fts);
			w->p[w->np++] = w->fts.ptr;
		}
	}
}

static void where_release(struct where *w)
{
	buf_release(&w->sql);
	buf_release(&w->fts);
	buf_release(&w->toks);
	buf_release(&w->like);
}

int offer_search(struct db *db, enum offer_base b, struct offer_query *q, struct offer_result *res,
		 int (*each)(void *ctx, const struct offer *o), void *ctx, struct kerr *e)
{
	struct where w;
	struct buf sql = BUF_INIT;
	struct db_stmt *st = NULL;
	const char *order;
	size_t k;
	int rc = -1, i;

	memset(res, 0, sizeof(*res));
	if (offer_query_check(b, q, e))
		return -1;
	where_build(db, b, q, &w);
	buf_printf(&sql, "SELECT COUNT(*), %s FROM %s o%s",
		   b == OFFER_BASE_OFFERS ? "COALESCE(MIN(o.valid_until), '')" : "''", offer_table(b), w.sql.ptr);
	if (db_prepare(db, sql.ptr, &st, e))
		goto out;
	for (k = 0; k < w.np; k++)
		db_bind_text(st, (int)k + 1, w.p[k]);
	if (db_step(st, e) != 1)
		goto out;
	res->total = db_col_int(st, 0);
	snprintf(res->soonest_until, sizeof(res->soonest_until), "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
	db_finalize(st);
	st = NULL;

	if (q->sort && strcmp(q->sort, "title") == 0)
		order = "o.sort_key, o.id";
	else if (q->sort && strcmp(q->sort, "valid_until") == 0)
		order = "o.valid_until, o.sort_key, o.id";
	else
		order = "o.created_at DESC, o.id DESC";
	buf_reset(&sql);
	select_cols(b, &sql);
	buf_printf(&sql, "%s ORDER BY %s LIMIT ? OFFSET ?", w.sql.ptr, order);
	if (db_prepare(db, sql.ptr, &st, e))
		goto out;
	for (k = 0; k < w.np; k++)
		db_bind_text(st, (int)k + 1, w.p[k]);
	i = (int)w.np + 1;
	db_bind_int(st, i++, q->per_page);
	db_bind_int(st, i++, (long long)(q->page - 1) * q->per_page);
	rc = emit_rows(st, b, each, ctx, e);
	st = NULL;
out:
	db_finalize(st);
	buf_release(&sql);
	where_release(&w);
	return rc;
}

/* The search texts of one organisation's entries, computed before any is written. */
struct refresh_ctx {
	char *org_name;
	long long *ids;
	char **texts;
	size_t n, cap;
};

static int refresh_row(void *ctx, const struct offer *o)
{
	struct refresh_ctx *rc = ctx;
	struct buf text = BUF_INIT;
	if (rc->n == rc->cap) {
		rc->cap = rc->cap ? rc->cap * 2 : 16;
		rc->ids = xrealloc(rc->ids, st_mult(rc->cap, sizeof(*rc->ids)));
		rc->texts = xrealloc(rc->texts, st_mult(rc->cap, sizeof(*rc->texts)));
	}
	offer_search_text(o, rc->org_name, &text);
	rc->ids[rc->n] = o->id;
	rc->texts[rc->n++] = buf_detach(&text, NULL);
	return 0;
}

int offer_refresh_org(struct db *db, long long org_id, struct kerr *e)
{
	struct refresh_ctx rc = { 0 };
	struct buf sql = BUF_INIT;
	struct db_stmt *st = NULL;
	size_t k;
	int b, r = -1;

	rc.org_name = org_name_of(db, org_id);
	for (b = 0; b < 2; b++) {
		for (k = 0; k < rc.n; k++)
			free(rc.texts[k]);
		rc.n = 0;
		buf_reset(&sql);
		select_cols((enum offer_base)b, &sql);
		buf_puts(&sql, " WHERE o.org_id = ?");
		if (db_prepare(db, sql.ptr, &st, e))
			goto out;
		db_bind_int(st, 1, org_id);
		if (emit_rows(st, (enum offer_base)b, refresh_row, &rc, e))
			goto out;
		st = NULL;
		if (!rc.n)
			continue;
		buf_reset(&sql);
		/* only rows whose text differs: an unchanged row is not a write */
		buf_printf(&sql, "UPDATE %s SET search_text = ? WHERE id = ? AND search_text <> ?", offer_table((enum offer_base)b));
		if (db_prepare(db, sql.ptr, &st, e))
			goto out;
		for (k = 0; k < rc.n; k++) {
			db_reset(st);
			db_bind_text(st, 1, rc.texts[k]);
			db_bind_int(st, 2, rc.ids[k]);
			db_bind_text(st, 3, rc.texts[k]);
			if (db_step(st, e) < 0)
				goto out;
		}
		db_finalize(st);
		st = NULL;
	}
	r = 0;
out:
	db_finalize(st);
	for (k = 0; k < rc.n; k++)
		free(rc.texts[k]);
	free(rc.texts);
	free(rc.ids);
	free(rc.org_name);
	buf_release(&sql);
	return r;
}

int offer_list_org(struct db *db, enum offer_base b, long long org_id, long offset, long limit, long long *total,
		   int (*each)(void *ctx, const struct offer *o), void *ctx, struct kerr *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	const char *where = org_id > 0 ? " WHERE o.org_id = ?" : "";
	int i = 1, r;
	buf_printf(&sql, "SELECT COUNT(*) FROM %s o%s", offer_table(b), where);
	if (db_prepare(db, sql.ptr, &st, e)) {
		buf_release(&sql);
		return -1;
	}
	if (org_id > 0)
		db_bind_int(st, 1, org_id);
	r = db_step(st, e);
	*total = r == 1 ? db_col_int(st, 0) : 0;
	db_finalize(st);
	buf_reset(&sql);
	if (r != 1) {
		buf_release(&sql);
		return -1;
	}
	select_cols(b, &sql);
	buf_printf(&sql, "%s ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?", where);
	if (db_prepare(db, sql.ptr, &st, e)) {
		buf_release(&sql);
		return -1;
	}
	buf_release(&sql);
	if (org_id > 0)
		db_bind_int(st, i++, org_id);
	db_bind_int(st, i++, limit);
	db_bind_int(st, i++, offset);
	return emit_rows(st, b, each, ctx, e);
}

int offer_list_pending(struct db *db, enum offer_base b, long long cluster_id, long offset, long limit,
		       long long *total, int (*each)(void *ctx, const struct offer *o), void *ctx, struct kerr *e)
{
	struct buf sql = BUF_INIT, where = BUF_INIT;
	struct db_stmt *st;
	int i = 1, r;
	buf_puts(&where, " WHERE o.status = 'pending'");
	if (cluster_id > 0)
		buf_puts(&where, " AND o.org_id IN (SELECT org_id FROM membership WHERE cluster_id = ? AND left_on IS NULL)");
	buf_printf(&sql, "SELECT COUNT(*) FROM %s o%s", offer_table(b), where.ptr);
	if (db_prepare(db, sql.ptr, &st, e))
		goto fail;
	if (cluster_id > 0)
		db_bind_int(st, 1, cluster_id);
	r = db_step(st, e);
	*total = r == 1 ? db_col_int(st, 0) : 0;
	db_finalize(st);
	if (r != 1)
		goto fail;
	buf_reset(&sql);
	select_cols(b, &sql);
	buf_printf(&sql, "%s ORDER BY o.created_at, o.id LIMIT ? OFFSET ?", where.ptr);
	if (db_prepare(db, sql.ptr, &st, e))
		goto fail;
	buf_release(&sql);
	buf_release(&where);
	if (cluster_id > 0)
		db_bind_int(st, i++, cluster_id);
	db_bind_int(st, i++, limit);
	db_bind_int(st, i++, offset);
	return emit_rows(st, b, each, ctx, e);
fail:
	buf_release(&sql);
	buf_release(&where);
	return -1;
}

/* ---- "I am interested" messages ---- */

void offer_message_release(struct offer_message *m)
{
	free(m->body);
	m->body = NULL;
}

int offer_message_check(const char *text, char **out, struct kerr *e)
{
	char *v = clean_dup(text);
	size_t n;
	*out = NULL;
	if (!*v) {
		free(v);
		return set_err(e, "message", "required, at most %d characters", OFFER_MESSAGE_MAX);
	}
	if (!utf8_valid(v, strlen(v)) || !no_controls(v, 1)) {
		free(v);
		return set_err(e, "message", "holds control characters");
	}
	n = utf8_chars(v);
	if (n > OFFER_MESSAGE_MAX) {
		free(v);
		return set_err(e, "message", "at most %d characters (this one has %zu)", OFFER_MESSAGE_MAX, n);
	}
	*out = v;
	return 0;
}

int offer_note_check(const char *text, char **out, struct kerr *e)
{
	static const struct fspec note = { "note", FT_LINE, 0, OFFER_MODNOTE_MAX, 0 };
	char *v = clean_dup(text);
	*out = NULL;
	if (check_text(&note, v, e)) {
		free(v);
		return -1;
	}
	if (*v)
		*out = v;
	else
		free(v);
	return 0;
}

int offer_message_add(struct db *db, struct offer_message *m, struct kerr *e)
{
	struct db_stmt *st;
	int r;
	m->created_at = auth_now();
	if (db_prepare(db, "INSERT INTO offer_message (offer_id, service_id, user_id, to_owner, body, created_at)"
		       " VALUES (?,?,?,?,?,?) RETURNING id", &st, e))
		return -1;
	if (m->base == OFFER_BASE_OFFERS) {
		db_bind_int(st, 1, m->item_id);
		db_bind_null(st, 2);
	} else {
		db_bind_null(st, 1);
		db_bind_int(st, 2, m->item_id);
	}
	db_bind_int(st, 3, m->user_id);
	db_bind_int(st, 4, m->to_owner ? 1 : 0);
	db_bind_text(st, 5, m->body);
	db_bind_int(st, 6, m->created_at);
	r = db_step(st, e);
	if (r == 1)
		m->id = db_col_int(st, 0);
	db_finalize(st);
	return r == 1 ? 0 : -1;
}

int offer_message_get(struct db *db, long long id, struct offer_message *m, struct kerr *e)
{
	struct db_stmt *st;
	int r;
	memset(m, 0, sizeof(*m));
	if (db_prepare(db, "SELECT id, COALESCE(offer_id, 0), COALESCE(service_id, 0), user_id, to_owner, body,"
		       " created_at FROM offer_message WHERE id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	r = db_step(st, e);
	if (r == 1) {
		m->id = db_col_int(st, 0);
		m->base = db_col_int(st, 1) ? OFFER_BASE_OFFERS : OFFER_BASE_SERVICES;
		m->item_id = db_col_int(st, 1) ? db_col_int(st, 1) : db_col_int(st, 2);
		m->user_id = db_col_int(st, 3);
		m->to_owner = (int)db_col_int(st, 4);
		m->body = col_dup(st, 5);
		m->created_at = db_col_int(st, 6);
	}
	db_finalize(st);
	if (r == 0)
		return kerr_set(e, KERR_NOTFOUND, "the conversation no longer exists");
	return r == 1 ? 0 : -1;
}

int offer_reply_peek(struct db *db, const char *token, long long *id, struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;
	int r;
	if (!auth_token_ok(token))
		return 0;
	auth_token_hash(token, hash);
	if (db_prepare(db, "SELECT COALESCE(subject, '') FROM auth_token WHERE token_hash = ? AND kind = ?"
		       " AND used_at IS NULL AND expires_at > ?", &st, e))
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, OFFER_REPLY_KIND);
	db_bind_int(st, 3, auth_now());
	r = db_step(st, e);
	if (r == 1)
		*id = strtoll(db_col_text(st, 0), NULL, 10);
	db_finalize(st);
	return r;
}

/* ---- CSV import ---- */

/* An organisation by NIP or REGON; 0 when unknown. */
static long long org_by_key(struct db *db, const char *key)
{
	long long id = 0;
	char norm[16];
	if (!valid_nip(key, norm, NULL))
		db_query_int(db, &id, NULL, "SELECT id FROM organisation WHERE nip = ?", norm, NULL);
	if (!id && !valid_regon(key, norm, NULL))
		db_query_int(db, &id, NULL, "SELECT id FROM organisation WHERE regon = ?", norm, NULL);
	return id;
}

static int same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int same_entry(const struct offer *a, const struct offer *b)
{
	return same(a->kind, b->kind) && same(a->title, b->title) && same(a->description, b->description) &&
	       same(a->pkd_codes, b->pkd_codes) && same(a->keywords, b->keywords) &&
	       same(a->price_model, b->price_model) && same(a->price_note, b->price_note) &&
	       same(a->voivodeship, b->voivodeship) && same(a->valid_from, b->valid_from) &&
	       same(a->valid_until, b->valid_until) && same(a->contact_name, b->contact_name) &&
	       same(a->contact_email, b->contact_email) && same(a->contact_phone, b->contact_phone) &&
	       same(a->status, b->status) && a->demo == b->demo;
}

/* One validated row: insert, update or leave. */
static int import_row(struct db *db, struct offer *o, struct offer_import_stats *st, struct kerr *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *q;
	long long id = 0;
	int r;
	if (!o->status) {
		o->status = xstrdup("approved");
	}
	if (offer_check_refs(db, o, e))
		return -1;
	buf_printf(&sql, "SELECT id FROM %s WHERE org_id = ? AND title = ? ORDER BY id LIMIT 1", offer_table(o->base));
	r = db_prepare(db, sql.ptr, &q, e);
	buf_release(&sql);
	if (r)
		return -1;
	db_bind_int(q, 1, o->org_id);
	db_bind_text(q, 2, o->title);
	r = db_step(q, e);
	if (r == 1)
		id = db_col_int(q, 0);
	db_finalize(q);
	if (r < 0)
		return -1;
	if (!id) {
		if (offer_insert(db, o, e))
			return -1;
		st->inserted++;
		return 0;
	}
	{
		struct offer old;
		int unchanged;
		if (offer_get(db, o->base, id, &old, e))
			return -1;
		unchanged = same_entry(&old, o);
		offer_release(&old);
		if (unchanged) {
			st->unchanged++;
			return 0;
		}
	}
	o->id = id;
	if (offer_update(db, o, o->status, e))
		return -1;
	st->updated++;
	return 0;
}

int offer_import_csv(struct db *db, enum offer_base b, const char *path, struct offer_import_stats *st,
		     struct kerr *e)
{
	FILE *f;
	struct csv *r = NULL;
	char **header = NULL;
	const char **names = NULL, **vals = NULL;
	size_t ncols = 0, i, nn;
	long org_col = -1;
	int got, rc = -1, in_tx = 0;
	struct strset seen = STRSET_INIT;   /* the entries the file has given: organisation and title */

	memset(st, 0, sizeof(*st));
	f = fopen(path, "rb");
	if (!f)
		return kerr_set(e, KERR_IO, "cannot open %s: %s", path, strerror(errno));
	r = csv_open_file(f, path, ',');
	got = csv_next(r, e);
	if (got <= 0) {
		if (got == 0)
			kerr_set(e, KERR_INPUT, "%s: the file is empty (a header row is required)", path);
		goto out;
	}
	ncols = csv_nfields(r);
	header = xcalloc(ncols, sizeof(*header));
	names = xcalloc(ncols, sizeof(*names));
	vals = xcalloc(ncols, sizeof(*vals));
	for (i = 0; i < ncols; i++) {
		const struct fspec *fs;
		header[i] = xstrdup(csv_field(r, i));
		if (strcmp(header[i], "organisation") == 0) {
			org_col = (long)i;
			continue;
		}
		for (fs = b == OFFER_BASE_OFFERS ? offer_spec : service_spec; fs->name; fs++)
			if (strcmp(fs->name, header[i]) == 0)
				break;
		if (!fs->name) {
			struct buf known = BUF_INIT;
			buf_puts(&known, "organisation");
			for (fs = b == OFFER_BASE_OFFERS ? offer_spec : service_spec; fs->name; fs++)
				buf_printf(&known, ", %s", fs->name);
			kerr_set(e, KERR_INPUT, "%s:1: unknown column '%s' (known: %s)", path, header[i], known.ptr);
			buf_release(&known);
			goto out;
		}
	}
	if (org_col < 0) {
		kerr_set(e, KERR_INPUT, "%s:1: required column 'organisation' (NIP or REGON) is missing", path);
		goto out;
	}
	if (db_begin(db, e))
		goto out;
	in_tx = 1;
	while ((got = csv_next(r, e)) == 1) {
		struct offer o;
		struct kerr re = KERR_INIT;
		long line = csv_line(r);
		const char *key = csv_field(r, (size_t)org_col);
		st->rows++;
		if (csv_nfields(r) != ncols) {
			kerr_set(e, KERR_INPUT, "%s:%ld: has %zu field%s, the header has %zu", path, line, csv_nfields(r),
				 csv_nfields(r) == 1 ? "" : "s", ncols);
			goto out;
		}
		for (i = 0, nn = 0; i < ncols; i++)
			if ((long)i != org_col) {
				names[nn] = header[i];
				vals[nn++] = csv_field(r, i);
			}
		if (offer_from_fields(&o, b, names, vals, nn, &re) ||
		    ((o.org_id = org_by_key(db, key)) == 0 &&
		     set_err(&re, "organisation", "no organisation with NIP or REGON '%s'", key))) {
			offer_release(&o);
			kerr_set(e, KERR_INPUT, "%s:%ld: %s", path, line, re.msg);
			goto out;
		}
		{
			/* an entry is its organisation's title (import_row): a second row of it in the file
			 * would overwrite the first unseen */
			struct buf k = BUF_INIT;
			long first;
			buf_printf(&k, "%lld\n%s", o.org_id, o.title ? o.title : "");
			first = strset_add(&seen, k.ptr, line);
			buf_release(&k);
			if (first) {
				offer_release(&o);
				kerr_set(e, KERR_INPUT, "%s:%ld: the same organisation and title as line %ld: give each %s once",
					 path, line, first, b == OFFER_BASE_OFFERS ? "offer" : "service");
				goto out;
			}
		}
		if (import_row(db, &o, st, &re)) {
			offer_release(&o);
			kerr_set(e, re.kind == KERR_DB ? KERR_DB : KERR_INPUT, "%s:%ld: %s", path, line, re.msg);
			goto out;
		}
		offer_release(&o);
	}
	if (got < 0)
		goto out;
	{
		char detail[160];
		snprintf(detail, sizeof(detail), "%s: %ld rows", path, st->rows);
		if (auth_audit(db, 0, NULL, b == OFFER_BASE_OFFERS ? "offer-import" : "service-import",
			       offer_table(b), 0, detail, e))
			goto out;
	}
	in_tx = 0;
	if (db_commit(db, e))
		goto out;
	rc = 0;
out:
	if (in_tx)
		db_rollback(db);
	if (rc)
		st->inserted = st->updated = st->unchanged = 0;
	if (header)
		for (i = 0; i < ncols; i++)
			free(header[i]);
	free(header);
	free(names);
	free(vals);
	strset_release(&seen);
	csv_free(r);
	fclose(f);
	return rc;
}
