/* dir.c — organisations, clusters and memberships (see dir.h). */
#include "dir.h"

#include "esc.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>

#include "fold.h"
#include "jsonerr.h"
#include "offer.h"
#include "valid.h"

const char *const org_types[] = { "enterprise", "research", "support", "public", "ngo", NULL };
const char *const org_sizes[] = { "micro", "small", "medium", "large", NULL };

struct enum_label {
	const char *key, *pl, *en;
};

static const struct enum_label enum_labels[] = {
	{ "enterprise", "Przedsiębiorstwo", "Enterprise" },
	{ "research", "Uczelnia / jednostka B+R", "University / R&D unit" },
	{ "support", "Instytucja otoczenia biznesu", "Business-support institution" },
	{ "public", "Administracja publiczna", "Public authority" },
	{ "ngo", "Organizacja pozarządowa / inna", "NGO / other" },
	{ "micro", "mikro (<10)", "micro (<10)" },
	{ "small", "małe (10–49)", "small (10–49)" },
	{ "medium", "średnie (50–249)", "medium (50–249)" },
	{ "large", "duże (250+)", "large (250+)" },
	{ "coordinator", "koordynator", "coordinator" },
	{ "founder", "członek założyciel", "founding member" },
	{ "member", "członek", "member" },
	{ "partner", "partner", "partner" },
	{ "kkk", "Krajowy Klaster Kluczowy", "National Key Cluster" },
	{ "ecei-bronze", "Brązowa odznaka ECEI", "ECEI Bronze Label" },
	{ "ecei-silver", "Srebrna odznaka ECEI", "ECEI Silver Label" },
	{ "ecei-gold", "Złota odznaka ECEI", "ECEI Gold Label" },
};

/* key's label in lang from table t of n entries; key itself when the table has none */
static const char *label_in(const struct enum_label *t, size_t n, const char *key, const char *lang)
{
	size_t i;
	if (!key)
		return "";
	for (i = 0; i < n; i++)
		if (strcmp(t[i].key, key) == 0)
			return lang && strcmp(lang, "en") == 0 ? t[i].en : t[i].pl;
	return key;
}

static const char *label_of(const char *key, const char *lang)
{
	return label_in(enum_labels, sizeof(enum_labels) / sizeof(enum_labels[0]), key, lang);
}

const char *org_type_label(const char *t, const char *lang) { return label_of(t, lang); }
const char *org_size_label(const char *s, const char *lang) { return label_of(s, lang); }
const char *member_role_label(const char *r, const char *lang) { return label_of(r, lang); }
const char *cluster_label_name(const char *k, const char *lang) { return label_of(k, lang); }

/* States and account roles: a table of their own, as their keys repeat those above
 * ("coordinator" is a member's role there, an account's here). */
static const struct enum_label state_labels[] = {
	{ "user", "użytkownik", "user" },
	{ "editor", "redaktor organizacji", "organisation editor" },
	{ "coordinator", "koordynator klastra", "cluster coordinator" },
	{ "admin", "administrator", "administrator" },
	{ "active", "aktywne", "active" },
	{ "pending", "oczekuje", "pending" },
	{ "disabled", "zablokowane", "disabled" },
	{ "confirmed", "potwierdzony", "confirmed" },
	{ "unsubscribed", "wypisany", "unsubscribed" },
	{ "one-click", "jednym kliknięciem", "one click" },
	{ "page", "na stronie", "on the page" },
	{ "queued", "w kolejce", "queued" },
	{ "sending", "wysyłana", "sending" },
	{ "sent", "wysłana", "sent" },
	{ "outbox", "w skrzynce (bez SMTP)", "in the outbox (no SMTP)" },
	{ "failed", "nieudana", "failed" },
	{ "draft", "szkic", "draft" },
	{ "published", "opublikowany", "published" },
};

const char *state_label(const char *key, const char *lang)
{
	return label_in(state_labels, sizeof(state_labels) / sizeof(state_labels[0]), key, lang);
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

void dir_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}


void org_release(struct org *o)
{
	char **fields[] = { &o->name, &o->type, &o->size_class, &o->nip, &o->regon, &o->krs,
			    &o->pkd, &o->pkd_section, &o->street, &o->postal_code, &o->city,
			    &o->teryt, &o->voivodeship, &o->website, &o->email, &o->phone,
			    &o->description_pl, &o->description_en, &o->voivodeship_name,
			    &o->updated_at };
	size_t i;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		free(*fields[i]);
		*fields[i] = NULL;
	}
	memset(o, 0, sizeof(*o));
}

void cluster_release(struct cluster *c)
{
	char **fields[] = { &c->acronym, &c->name, &c->coordinator_name, &c->coordinator_key,
			    &c->sectors, &c->region, &c->region_name, &c->website, &c->email,
			    &c->description_pl, &c->description_en, &c->labels };
	size_t i;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		free(*fields[i]);
	memset(c, 0, sizeof(*c));
}

void member_release(struct member *m)
{
	free(m->cluster_acronym);
	free(m->org_key);
	free(m->role);
	free(m->joined);
	free(m->left_on);
	org_release(&m->org);
	memset(m, 0, sizeof(*m));
}

/* ---------------------------------------------------------------- *
 * Reference data
 * ---------------------------------------------------------------- */

static char *query_text(struct db *db, const char *sql, const char *a, const char *b)
{
	struct db_stmt *st;
	char *out = NULL;
	if (db_prepare(db, sql, &st, NULL))
		return NULL;
	if (a)
		db_bind_text(st, 1, a);
	if (b)
		db_bind_text(st, 2, b);
	if (db_step(st, NULL) == 1 && db_col_text(st, 0))
		out = xstrdup(db_col_text(st, 0));
	db_finalize(st);
	return out;
}

char *dir_org_name(struct db *db, long long id)
{
	char idb[24];
	snprintf(idb, sizeof(idb), "%lld", id);
	return query_text(db, "SELECT name FROM organisation WHERE id = ?", idb, NULL);
}

char *dir_cluster_name(struct db *db, long long id)
{
	char idb[24];
	snprintf(idb, sizeof(idb), "%lld", id);
	return query_text(db, "SELECT name FROM cluster WHERE id = ?", idb, NULL);
}

char *dir_region_name(struct db *db, const char *teryt)
{
	return query_text(db, "SELECT name FROM region WHERE teryt = ?", teryt, NULL);
}

int dir_region_exists(struct db *db, const char *teryt)
{
	char *n = dir_region_name(db, teryt);
	free(n);
	return n != NULL;
}

char *dir_pkd_section(struct db *db, int version, const char *division)
{
	char v[8];
	snprintf(v, sizeof(v), "%d", version);
	return query_text(db, "SELECT parent FROM pkd WHERE version = ? AND code = ? AND level = 'division'",
			  v, division);
}

int dir_pkd_exists(struct db *db, int version, const char *division)
{
	char *s = dir_pkd_section(db, version, division);
	free(s);
	return s != NULL;
}

void dir_pkd_parent(const char *code, int level, char up[10])
{
	size_t n = level == 5 ? 5 : level == 4 ? 4 : 2;
	memcpy(up, code, n);
	up[n] = '\0';
}

char *dir_pkd_level(struct db *db, int version, const char *code)
{
	char v[8];
	snprintf(v, sizeof(v), "%d", version);
	return query_text(db, "SELECT level FROM pkd WHERE version = ? AND code = ?", v, code);
}

char *dir_pkd_name(struct db *db, int version, const char *code, const char *lang)
{
	struct db_stmt *st;
	char v[8], div[3];
	char *out = NULL;
	int round, col;
	snprintf(v, sizeof(v), "%d", version);
	snprintf(div, sizeof(div), "%s", code);
	if (db_prepare(db, "SELECT a.name_pl, a.name_en, b.name_en, c.name_en FROM pkd a"
		       " LEFT JOIN pkd b ON b.version = a.version AND b.code = a.parent"
		       " LEFT JOIN pkd c ON c.version = a.version AND c.code = b.parent"
		       " WHERE a.version = ? AND a.code = ?", &st, NULL))
		return NULL;
	/* the code itself, else (a table without the deeper levels) its division */
	for (round = 0; round < 2 && !out; round++) {
		db_reset(st);
		db_bind_text(st, 1, v);
		db_bind_text(st, 2, round ? div : code);
		if (db_step(st, NULL) == 1) {
			for (col = 1; lang && strcmp(lang, "en") == 0 && col <= 3 && !out; col++)
				if (db_col_text(st, col))
					out = xstrdup(db_col_text(st, col));
			if (!out && db_col_text(st, 0))
				out = xstrdup(db_col_text(st, 0));
		}
		if (strcmp(div, code) == 0)
			break;
	}
	db_finalize(st);
	return out;
}

const char *dir_pkd_level_name(int level)
{
	static const char *const names[] = { "", "section", "division", "group", "class", "subclass" };
	return level >= 1 && level <= 5 ? names[level] : "";
}

int dir_pkd_check(struct db *db, int version, const char *code, int level, struct buf *why)
{
	char v[8], div[3], up[10];
	char *hit, *any;
	struct db_stmt *st;
	size_t n = 0;

	snprintf(v, sizeof(v), "%d", version);
	memcpy(div, code, 2);
	div[2] = '\0';
	if (!dir_pkd_exists(db, version, div)) {
		buf_printf(why, "division %s does not exist in PKD %d", div, version);
		return -1;
	}
	if (level <= 2 || level > 5)
		return 0;
	hit = dir_pkd_level(db, version, code);
	if (hit && strcmp(hit, dir_pkd_level_name(level)) == 0) {
		free(hit);
		return 0;
	}
	free(hit);
	/* a table loaded before the deeper levels were shipped: checked to the division */
	any = query_text(db, "SELECT code FROM pkd WHERE version = ? AND level = ? LIMIT 1", v, dir_pkd_level_name(level));
	free(any);
	if (!any)
		return 0;
	buf_printf(why, "%s is not a %s of PKD %d", code, dir_pkd_level_name(level), version);
	/* what the level above holds, so that the right code is one look away */
	dir_pkd_parent(code, level, up);
	if (db_prepare(db, "SELECT code FROM pkd WHERE version = ? AND parent = ? ORDER BY code", &st, NULL) == 0) {
		db_bind_text(st, 1, v);
		db_bind_text(st, 2, up);
		while (db_step(st, NULL) == 1 && db_col_text(st, 0)) {
			if (n == 0)
				buf_printf(why, "; %s %s has ", dir_pkd_level_name(level - 1), up);
			if (n < 12)
				buf_printf(why, "%s%s", n ? ", " : "", db_col_text(st, 0));
			n++;
		}
		if (n > 12)
			buf_puts(why, ", …");
		db_finalize(st);
	}
	return -1;
}

/* ---------------------------------------------------------------- *
 * Validation from name/value pairs (table-driven)
 * ---------------------------------------------------------------- */

enum fkind {
	F_TEXT, F_LONGTEXT, F_NIP, F_REGON, F_KRS, F_POSTAL, F_TERYT, F_URL, F_EMAIL, F_PHONE,
	F_ORGTYPE, F_SIZE, F_PKDLIST, F_PKDVER, F_LAT, F_LON, F_DEMO, F_YEAR, F_DATE, F_ROLE,
	F_LABELS, F_VOIV, F_KEY
};

struct field {
	const char *name;
	int required;
	enum fkind kind;
	int slot;            /* index into the record's value array */
};

#define MAXF 32

/* Values by slot after the generic checks; strings are normalised copies. */
struct rec {
	char *v[MAXF];
	double lat, lon;
	int year;
};

static void rec_free(struct rec *r)
{
	int i;
	for (i = 0; i < MAXF; i++)
		free(r->v[i]);
}

static int trimmed_empty(const char *s)
{
	if (!s)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

static char *trim_dup(const char *s)
{
	const char *end;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	return xstrndup(s, (size_t)(end - s));
}

/* Appends a reason to why; returns -1 so checks read "rc = whyf(...)". */
static int whyf(struct buf *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int whyf(struct buf *why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(why, fmt, ap);
	va_end(ap);
	return -1;
}

/* Whether code is one of the ';'-separated codes of list (NULL: none). */
static int pkd_listed(const char *list, const char *code)
{
	size_t n = strlen(code);
	const char *p = list;
	while (p && *p) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		if (len == n && memcmp(p, code, n) == 0)
			return 1;
		p = semi ? semi + 1 : NULL;
	}
	return 0;
}

static int check_one(const struct field *f, const char *val, struct rec *r, int pkd_version,
		     struct db *db, struct kerr *e)
{
	struct buf why = BUF_INIT;
	char out[32];
	char *v = trim_dup(val);
	int rc = 0, lvl;
	unsigned cc;

	switch (f->kind) {
	case F_TEXT:
	case F_KEY:
		/* one line of text: an ESC or a line break would reach terminals, exports and messages */
		if ((cc = text_control(v)))
			rc = whyf(&why, "holds a control character (U+%04X): it must be one line of text, without tabs",
				  cc);
		else if (utf8_chars(v) > 300)
			rc = whyf(&why, "longer than 300 characters");
		break;
	case F_LONGTEXT: {
		/* lines end in LF: a browser sends a textarea's lines with CRLF, and the same text
		 * saved again must be the same text */
		char *w = v, *q;
		for (q = v; *q; q++)
			if (!(q[0] == '\r' && q[1] == '\n'))
				*w++ = *q;
		*w = '\0';
		if ((cc = text_control_lines(v)))
			rc = whyf(&why, "holds a control character (U+%04X): only line breaks and tabs are allowed", cc);
		else if (utf8_chars(v) > 5000)
			rc = whyf(&why, "longer than 5000 characters");
		break;
	}
	case F_NIP:
		if (!(rc = valid_nip(v, out, &why))) { free(v); v = xstrdup(out); }
		break;
	case F_REGON:
		if (!(rc = valid_regon(v, out, &why))) { free(v); v = xstrdup(out); }
		break;
	case F_KRS:
		if (!(rc = valid_krs(v, out, &why))) { free(v); v = xstrdup(out); }
		break;
	case F_POSTAL:
		if (!(rc = valid_postal(v, out, &why))) { free(v); v = xstrdup(out); }
		break;
	case F_TERYT:
	case F_VOIV:
		rc = valid_teryt(v, out, &why);
		if (!rc && f->kind == F_VOIV && strlen(out) != 2)
			rc = whyf(&why, "must be a 2-digit voivodeship code");
		if (!rc && strlen(out) <= 4 && !dir_region_exists(db, out))
			rc = whyf(&why, "unknown TERYT code %s", out);
		if (!rc && strlen(out) == 7) {
			char pw[5];
			memcpy(pw, out, 4);
			pw[4] = '\0';
			if (!dir_region_exists(db, pw))
				rc = whyf(&why, "unknown powiat %s in gmina code %s", pw, out);
		}
		if (!rc) { free(v); v = xstrdup(out); }
		break;
	case F_URL:
		rc = valid_url(v, &why);
		break;
	case F_EMAIL:
		rc = valid_email(v, &why);
		break;
	case F_PHONE:
		rc = valid_phone(v, &why);
		break;
	case F_ORGTYPE:
		if (!in_list(v, org_types))
			rc = whyf(&why, "'%s' is not one of enterprise, research, support, public, ngo", v);
		break;
	case F_SIZE:
		if (!in_list(v, org_sizes))
			rc = whyf(&why, "'%s' is not one of micro, small, medium, large", v);
		break;
	case F_ROLE: {
		static const char *const roles[] = { "coordinator", "founder", "member", "partner", NULL };
		if (!in_list(v, roles))
			rc = whyf(&why, "'%s' is not one of coordinator, founder, member, partner", v);
		break;
	}
	case F_PKDVER:
		if (strcmp(v, "2007") && strcmp(v, "2025"))
			rc = whyf(&why, "must be 2007 or 2025");
		break;
	case F_PKDLIST: {
		struct buf norm = BUF_INIT;
		char *save = v, *p = v;
		int count = 0;
		while (!rc && p && *p) {
			char *semi = strchr(p, ';');
			char *code;
			if (semi)
				*semi = '\0';
			code = trim_dup(p);
			if (*code) {
				if (valid_pkd(code, out, &lvl, &why)) {
					buf_printf(&why, " (in '%s')", code);
					rc = -1;
				} else if (lvl < 2) {
					rc = whyf(&why, "'%s' is a section; give a division or finer code", code);
				} else if (dir_pkd_check(db, pkd_version, out, lvl, &why)) {
					rc = -1;
				} else if (pkd_listed(norm.ptr, out)) {
					/* the list is a set: a code twice is a typing slip, said rather than kept twice */
					rc = whyf(&why, "'%s' is given twice", out);
				} else if (++count > 20) {
					rc = whyf(&why, "more than 20 codes");
				} else {
					buf_printf(&norm, "%s%s", norm.len ? ";" : "", out);
				}
			}
			free(code);
			p = semi ? semi + 1 : NULL;
		}
		free(save);
		v = buf_detach(&norm, NULL);
		break;
	}
	case F_LAT:
	case F_LON: {
		char *end;
		double d;
		/* plain decimal degrees only: strtod would also take "nan",
		 * "inf" and hexadecimal */
		if (strspn(v, "0123456789.-+") != strlen(v)) {
			rc = whyf(&why, "'%s' is not a decimal number", v);
			break;
		}
		d = strtod(v, &end);
		if (end == v || *end || !isfinite(d))
			rc = whyf(&why, "'%s' is not a number", v);
		else if (f->kind == F_LAT && (d < 49.0 || d > 54.9))
			rc = whyf(&why, "%g is outside Poland (49.0–54.9 N)", d);
		else if (f->kind == F_LON && (d < 14.1 || d > 24.2))
			rc = whyf(&why, "%g is outside Poland (14.1–24.2 E)", d);
		else if (f->kind == F_LAT)
			r->lat = d;
		else
			r->lon = d;
		break;
	}
	case F_DEMO:
		if (strcmp(v, "0") && strcmp(v, "1"))
			rc = whyf(&why, "must be 0 or 1");
		break;
	case F_YEAR: {
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		rc = valid_year(v, 1990, tm.tm_year + 1900, &r->year, &why);
		break;
	}
	case F_DATE:
		rc = valid_date(v, &why);
		break;
	case F_LABELS: {
		char *p = v;
		while (!rc && p && *p) {
			char *semi = strchr(p, ';'), *item, *at, *slash;
			if (semi)
				*semi = '\0';
			item = trim_dup(p);
			at = strchr(item, '@');
			slash = at ? strchr(at, '/') : NULL;
			if (*item) {
				static const char *const kinds[] = { "kkk", "ecei-bronze", "ecei-silver", "ecei-gold", NULL };
				if (!at || !slash) {
					rc = whyf(&why, "'%s' is not KIND@FROM/TO", item);
				} else {
					*at = *slash = '\0';
					if (!in_list(item, kinds))
						rc = whyf(&why, "unknown label '%s' (kkk, ecei-bronze, ecei-silver, ecei-gold)", item);
					else if (valid_date(at + 1, &why))
						rc = -1;
					else if (slash[1] && valid_date(slash + 1, &why))
						rc = -1;
					else if (slash[1] && strcmp(slash + 1, at + 1) < 0)
						rc = whyf(&why, "label %s ends before it starts", item);
				}
			}
			free(item);
			if (semi)
				*semi = ';';
			p = semi ? semi + 1 : NULL;
		}
		if (!rc) {
			/* normalise: strip spaces around items */
			struct buf norm = BUF_INIT;
			char *q = v;
			while (q && *q) {
				char *semi = strchr(q, ';'), *item;
				if (semi)
					*semi = '\0';
				item = trim_dup(q);
				if (*item)
					buf_printf(&norm, "%s%s", norm.len ? ";" : "", item);
				free(item);
				q = semi ? semi + 1 : NULL;
			}
			free(v);
			v = buf_detach(&norm, NULL);
		}
		break;
	}
	}
	if (rc) {
		kerr_set(e, KERR_INPUT, "column %s: %s", f->name, why.ptr);
		free(v);
	} else {
		free(r->v[f->slot]);
		r->v[f->slot] = v;
	}
	buf_release(&why);
	return rc ? -1 : 0;
}

/*
 * The problems of a record.  With all (a form), each problem is kept as a
 * line "NAME: reason" and the checks go on, so that a person sees every
 * field to correct at once; without it (an import, the API) the first
 * problem ends the checks as "column NAME: reason".
 */
struct problems {
	int all;
	struct buf lines;
};

/* Takes the problem e holds ("column NAME: reason"): 1 to go on checking (all), else 0. */
static int problem(struct problems *p, struct kerr *e)
{
	const char *m = e->msg;
	if (!p || !p->all)
		return 0;
	if (strncmp(m, "column ", 7) == 0)
		m += 7;
	buf_printf(&p->lines, "%s%s", p->lines.len ? "\n" : "", m);
	kerr_clear(e);
	return 1;
}

/* After the checks: -1 with every line in e when there were problems (all), else 0. */
static int problems_end(struct problems *p, struct kerr *e)
{
	if (!p || !p->lines.len)
		return 0;
	return kerr_set_lines(e, KERR_INPUT, p->lines.ptr);
}

/* Whether a problem of field name is kept already (its value was given, but bad). */
static int seen_bad(const struct problems *p, const char *name)
{
	const char *s;
	size_t n = strlen(name);
	if (!p || !p->lines.len)
		return 0;
	for (s = p->lines.ptr; s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL)
		if (strncmp(s, name, n) == 0 && s[n] == ':')
			return 1;
	return 0;
}

/* Generic part: unknown columns, required ones, per-field checks. */
static int fields_check(const struct field *spec, const char *const *names, const char *const *values,
			size_t n, struct rec *r, int pkd_version, struct db *db, struct problems *pr,
			struct kerr *e)
{
	size_t i;
	const struct field *f;
	int seen[MAXF] = { 0 };

	for (i = 0; i < n; i++) {
		for (f = spec; f->name; f++)
			if (strcmp(f->name, names[i]) == 0)
				break;
		if (!f->name) {
			struct buf known = BUF_INIT;
			for (f = spec; f->name; f++)
				buf_printf(&known, "%s%s", known.len ? ", " : "", f->name);
			kerr_set(e, KERR_INPUT, "unknown column '%s' (known: %s)", names[i], known.ptr);
			buf_release(&known);
			return -1;
		}
		if (seen[f->slot]++)
			return kerr_set(e, KERR_INPUT, "column %s given twice", f->name);
		if (trimmed_empty(values[i])) {
			/* a form: a required field left empty is named where it stands */
			if (f->required && pr && pr->all) {
				kerr_set(e, KERR_INPUT, "column %s: required, but empty or missing", f->name);
				problem(pr, e);
			}
			continue;
		}
		if (check_one(f, values[i], r, pkd_version, db, e) && !problem(pr, e))
			return -1;
	}
	for (f = spec; f->name; f++)
		if (f->required && !r->v[f->slot] && !seen_bad(pr, f->name)) {
			kerr_set(e, KERR_INPUT, "column %s: required, but empty or missing", f->name);
			if (!problem(pr, e))
				return -1;
		}
	return 0;
}

enum {
	O_NAME, O_TYPE, O_SIZE, O_NIP, O_REGON, O_KRS, O_PKD, O_PKDVER, O_STREET, O_POSTAL,
	O_CITY, O_TERYT, O_LAT, O_LON, O_WEB, O_EMAIL, O_PHONE, O_DPL, O_DEN, O_DEMO
};

static const struct field org_spec[] = {
	{ "name", 1, F_TEXT, O_NAME },
	{ "type", 1, F_ORGTYPE, O_TYPE },
	{ "size_class", 0, F_SIZE, O_SIZE },
	{ "nip", 0, F_NIP, O_NIP },
	{ "regon", 0, F_REGON, O_REGON },
	{ "krs", 0, F_KRS, O_KRS },
	{ "pkd", 0, F_PKDLIST, O_PKD },
	{ "pkd_version", 0, F_PKDVER, O_PKDVER },
	{ "street", 0, F_TEXT, O_STREET },
	{ "postal_code", 0, F_POSTAL, O_POSTAL },
	{ "city", 0, F_TEXT, O_CITY },
	{ "teryt", 0, F_TERYT, O_TERYT },
	{ "lat", 0, F_LAT, O_LAT },
	{ "lon", 0, F_LON, O_LON },
	{ "website", 0, F_URL, O_WEB },
	{ "email", 0, F_EMAIL, O_EMAIL },
	{ "phone", 0, F_PHONE, O_PHONE },
	{ "description_pl", 0, F_LONGTEXT, O_DPL },
	{ "description_en", 0, F_LONGTEXT, O_DEN },
	{ "demo", 0, F_DEMO, O_DEMO },
	{ NULL, 0, 0, 0 }
};

const char *const org_columns[] = {
	"name", "type", "size_class", "nip", "regon", "krs", "pkd", "pkd_version", "street",
	"postal_code", "city", "teryt", "lat", "lon", "website", "email", "phone",
	"description_pl", "description_en", "demo", NULL
};

void org_values(const struct org *o, const char *v[ORG_NCOLS], char ver[8], char lat[32], char lon[32])
{
	snprintf(ver, 8, "%d", o->pkd_version);
	lat[0] = lon[0] = '\0';
	if (o->has_coords) {
		snprintf(lat, 32, "%.6f", o->lat);
		snprintf(lon, 32, "%.6f", o->lon);
	}
	{
		const char *tmp[ORG_NCOLS] = { o->name, o->type, o->size_class, o->nip, o->regon, o->krs, o->pkd, ver,
					       o->street, o->postal_code, o->city, o->teryt, lat, lon, o->website,
					       o->email, o->phone, o->description_pl, o->description_en,
					       o->demo ? "1" : "0" };
		memcpy(v, tmp, sizeof(tmp));
	}
}

static int org_fields(struct org *o, const char *const *names, const char *const *values, size_t n,
		      struct db *db, struct problems *pr, struct kerr *e)
{
	struct rec r;
	int version = 2007;
	size_t i;

	memset(&r, 0, sizeof(r));
	memset(o, 0, sizeof(*o));
	/* the PKD version decides how codes are checked: read it first
	 * (the same trimmed value the field check sees) */
	for (i = 0; i < n; i++)
		if (strcmp(names[i], "pkd_version") == 0 && values[i]) {
			char *t = trim_dup(values[i]);
			if (strcmp(t, "2025") == 0)
				version = 2025;
			free(t);
		}
	if (fields_check(org_spec, names, values, n, &r, version, db, pr, e))
		goto fail;
	/* the checks across fields: only of fields that passed their own */
	if (r.v[O_TYPE] && strcmp(r.v[O_TYPE], "enterprise") == 0 && !r.v[O_SIZE] && !seen_bad(pr, "size_class")) {
		kerr_set(e, KERR_INPUT, "column size_class: required for an enterprise (micro, small, medium, large)");
		if (!problem(pr, e))
			goto fail;
	}
	if (r.v[O_TYPE] && strcmp(r.v[O_TYPE], "enterprise") != 0 && r.v[O_SIZE]) {
		kerr_set(e, KERR_INPUT, "column size_class: only enterprises have a size class (type is %s)",
			 r.v[O_TYPE]);
		if (!problem(pr, e))
			goto fail;
	}
	if (!r.v[O_LAT] != !r.v[O_LON] && !seen_bad(pr, "lat") && !seen_bad(pr, "lon")) {
		kerr_set(e, KERR_INPUT, "column %s: lat and lon must be given together", r.v[O_LAT] ? "lon" : "lat");
		if (!problem(pr, e))
			goto fail;
	}
	if (problems_end(pr, e))
		goto fail;
	o->name = r.v[O_NAME]; r.v[O_NAME] = NULL;
	o->type = r.v[O_TYPE]; r.v[O_TYPE] = NULL;
	o->size_class = r.v[O_SIZE]; r.v[O_SIZE] = NULL;
	o->nip = r.v[O_NIP]; r.v[O_NIP] = NULL;
	o->regon = r.v[O_REGON]; r.v[O_REGON] = NULL;
	o->krs = r.v[O_KRS]; r.v[O_KRS] = NULL;
	o->pkd_version = version;
	o->pkd = r.v[O_PKD] && *r.v[O_PKD] ? r.v[O_PKD] : NULL;
	if (o->pkd)
		r.v[O_PKD] = NULL;
	o->street = r.v[O_STREET]; r.v[O_STREET] = NULL;
	o->postal_code = r.v[O_POSTAL]; r.v[O_POSTAL] = NULL;
	o->city = r.v[O_CITY]; r.v[O_CITY] = NULL;
	o->teryt = r.v[O_TERYT]; r.v[O_TERYT] = NULL;
	if (o->teryt)
		o->voivodeship = xstrndup(o->teryt, 2);
	if (r.v[O_LAT]) {
		o->has_coords = 1;
		o->lat = r.lat;
		o->lon = r.lon;
	}
	o->website = r.v[O_WEB]; r.v[O_WEB] = NULL;
	o->email = r.v[O_EMAIL]; r.v[O_EMAIL] = NULL;
	o->phone = r.v[O_PHONE]; r.v[O_PHONE] = NULL;
	o->description_pl = r.v[O_DPL]; r.v[O_DPL] = NULL;
	o->description_en = r.v[O_DEN]; r.v[O_DEN] = NULL;
	o->demo = r.v[O_DEMO] && strcmp(r.v[O_DEMO], "1") == 0;
	if (o->pkd) {
		char div[3];
		memcpy(div, o->pkd, 2);
		div[2] = '\0';
		o->pkd_section = dir_pkd_section(db, version, div);
	}
	rec_free(&r);
	return 0;
fail:
	rec_free(&r);
	org_release(o);
	return -1;
}

int org_from_fields(struct org *o, const char *const *names, const char *const *values,
		    size_t n, struct db *db, struct kerr *e)
{
	return org_fields(o, names, values, n, db, NULL, e);
}

int org_from_form(struct org *o, const char *const *names, const char *const *values,
		  size_t n, struct db *db, struct kerr *e)
{
	struct problems pr = { 1, BUF_INIT };
	int rc = org_fields(o, names, values, n, db, &pr, e);
	buf_release(&pr.lines);
	return rc;
}

/* The pairs of a JSON object of scalars, values as text (owned[k] to free;
 * null is ""): their number, or -1 with e (KERR_USAGE: not such an object). */
static long json_pairs(json_t *root, const char *names[64], char *owned[64], struct kerr *e)
{
	json_t *val;
	const char *key;
	size_t n = 0, i;
	if (!json_is_object(root)) {
		kerr_set(e, KERR_USAGE, "the body must be a JSON object");
		return -1;
	}
	json_object_foreach(root, key, val) {
		char num[64];
		if (n == 64) {
			kerr_set(e, KERR_USAGE, "too many fields (at most 64)");
			goto fail;
		}
		if (json_is_string(val) && strlen(json_string_value(val)) != json_string_length(val)) {
			char k100[101];
			kerr_set(e, KERR_INPUT, "field %s: the text holds a NUL character (\\u0000): leave it out",
				 esc_cut(k100, key, 100));
			goto fail;
		}
		if (json_is_string(val)) {
			owned[n] = xstrdup(json_string_value(val));
		} else if (json_is_integer(val)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(val));
			owned[n] = xstrdup(num);
		} else if (json_is_real(val)) {
			snprintf(num, sizeof(num), "%.17g", json_real_value(val));
			owned[n] = xstrdup(num);
		} else if (json_is_boolean(val)) {
			owned[n] = xstrdup(json_is_true(val) ? "1" : "0");
		} else if (json_is_null(val)) {
			owned[n] = xstrdup("");
		} else {
			kerr_set(e, KERR_USAGE, "field %.100s: must be a string, number, boolean or null", key);
			goto fail;
		}
		names[n++] = key;
	}
	return (long)n;
fail:
	for (i = 0; i < n; i++)
		free(owned[i]);
	return -1;
}

/* org_from_json and org_patch_json: the body's pairs over cur's values (cur NULL: alone). */
static int org_from_json_over(struct org *o, const struct org *cur, const char *json, size_t len, struct db *db,
			      struct kerr *e)
{
	json_t *root;
	const char *names[64 + ORG_NCOLS], *values[64 + ORG_NCOLS] = { NULL };
	char *owned[64], ver[8], lat[32], lon[32];
	long nb, k;
	size_t n = 0, i;
	int rc = -1;

	memset(o, 0, sizeof(*o));
	/* a text holding \u0000 is read, so that json_pairs names its field */
	root = jsonerr_load(json, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, JSONERR_BODY, NULL, e);
	if (!root)
		return -1;
	if ((nb = json_pairs(root, names, owned, e)) < 0)
		goto out;
	for (k = 0; k < nb; k++)
		values[k] = owned[k];
	n = (size_t)nb;
	if (cur) {
		/* every column the body leaves out keeps its value */
		const char *v[ORG_NCOLS];
		org_values(cur, v, ver, lat, lon);
		for (i = 0; org_columns[i]; i++) {
			for (k = 0; k < nb && strcmp(names[k], org_columns[i]); k++)
				;
			if (k == nb) {
				names[n] = org_columns[i];
				values[n++] = v[i];
			}
		}
	}
	rc = org_from_fields(o, names, values, n, db, e);
	for (k = 0; k < nb; k++)
		free(owned[k]);
out:
	json_decref(root);
	return rc;
}

int org_from_json(struct org *o, const char *json, size_t len, struct db *db, struct kerr *e)
{
	return org_from_json_over(o, NULL, json, len, db, e);
}

int org_patch_json(struct org *o, const struct org *cur, const char *json, size_t len, struct db *db,
		   struct kerr *e)
{
	if (org_from_json_over(o, cur, json, len, db, e))
		return -1;
	o->id = cur->id;
	return 0;
}

enum {
	C_ACR, C_NAME, C_COORD, C_FOUNDED, C_SECTORS, C_REGION, C_WEB, C_EMAIL, C_DPL, C_DEN,
	C_LABELS, C_DEMO
};

static const struct field cluster_spec[] = {
	{ "acronym", 1, F_KEY, C_ACR },
	{ "name", 1, F_TEXT, C_NAME },
	{ "coordinator", 0, F_KEY, C_COORD },
	{ "founded", 0, F_YEAR, C_FOUNDED },
	{ "sectors", 0, F_PKDLIST, C_SECTORS },
	{ "region", 0, F_VOIV, C_REGION },
	{ "website", 0, F_URL, C_WEB },
	{ "email", 0, F_EMAIL, C_EMAIL },
	{ "description_pl", 0, F_LONGTEXT, C_DPL },
	{ "description_en", 0, F_LONGTEXT, C_DEN },
	{ "labels", 0, F_LABELS, C_LABELS },
	{ "demo", 0, F_DEMO, C_DEMO },
	{ NULL, 0, 0, 0 }
};

const char *const cluster_columns[] = {
	"acronym", "name", "coordinator", "founded", "sectors", "region", "website", "email",
	"description_pl", "description_en", "labels", "demo", NULL
};

/* An organisation id by NIP or REGON (digits only); 0 when unknown. */
static long long org_by_key(struct db *db, const char *key)
{
	long long id = 0;
	char norm[16];
	struct buf why = BUF_INIT;
	if (!valid_nip(key, norm, &why))
		db_query_int(db, &id, NULL, "SELECT id FROM organisation WHERE nip = ?", norm, NULL);
	buf_reset(&why);
	if (!id && !valid_regon(key, norm, &why))
		db_query_int(db, &id, NULL, "SELECT id FROM organisation WHERE regon = ?", norm, NULL);
	buf_release(&why);
	return id;
}

static int cluster_fields(struct cluster *c, const char *const *names, const char *const *values, size_t n,
			  struct db *db, struct problems *pr, struct kerr *e)
{
	struct rec r;
	memset(&r, 0, sizeof(r));
	memset(c, 0, sizeof(*c));
	if (fields_check(cluster_spec, names, values, n, &r, 2007, db, pr, e))
		goto fail;
	if (r.v[C_COORD]) {
		c->coordinator_id = org_by_key(db, r.v[C_COORD]);
		if (!c->coordinator_id) {
			kerr_set(e, KERR_INPUT, "column coordinator: no organisation with NIP or REGON %s in the directory (import organisations first)",
				 r.v[C_COORD]);
			if (!problem(pr, e))
				goto fail;
		}
	}
	if (problems_end(pr, e))
		goto fail;
	c->acronym = r.v[C_ACR]; r.v[C_ACR] = NULL;
	c->name = r.v[C_NAME]; r.v[C_NAME] = NULL;
	c->coordinator_key = r.v[C_COORD]; r.v[C_COORD] = NULL;
	c->founded = r.v[C_FOUNDED] ? r.year : 0;
	c->sectors = r.v[C_SECTORS] && *r.v[C_SECTORS] ? r.v[C_SECTORS] : NULL;
	if (c->sectors)
		r.v[C_SECTORS] = NULL;
	c->region = r.v[C_REGION]; r.v[C_REGION] = NULL;
	c->website = r.v[C_WEB]; r.v[C_WEB] = NULL;
	c->email = r.v[C_EMAIL]; r.v[C_EMAIL] = NULL;
	c->description_pl = r.v[C_DPL]; r.v[C_DPL] = NULL;
	c->description_en = r.v[C_DEN]; r.v[C_DEN] = NULL;
	c->labels = r.v[C_LABELS] && *r.v[C_LABELS] ? r.v[C_LABELS] : NULL;
	if (c->labels)
		r.v[C_LABELS] = NULL;
	c->demo = r.v[C_DEMO] && strcmp(r.v[C_DEMO], "1") == 0;
	rec_free(&r);
	return 0;
fail:
	rec_free(&r);
	cluster_release(c);
	return -1;
}

int cluster_from_fields(struct cluster *c, const char *const *names, const char *const *values,
			size_t n, struct db *db, struct kerr *e)
{
	return cluster_fields(c, names, values, n, db, NULL, e);
}

int cluster_from_form(struct cluster *c, const char *const *names, const char *const *values,
		      size_t n, struct db *db, struct kerr *e)
{
	struct problems pr = { 1, BUF_INIT };
	int rc = cluster_fields(c, names, values, n, db, &pr, e);
	buf_release(&pr.lines);
	return rc;
}

enum { M_CLUSTER, M_ORG, M_ROLE, M_JOINED, M_LEFT };

static const struct field member_spec[] = {
	{ "cluster", 1, F_KEY, M_CLUSTER },
	{ "organisation", 1, F_KEY, M_ORG },
	{ "role", 0, F_ROLE, M_ROLE },
	{ "joined", 0, F_DATE, M_JOINED },
	{ "left", 0, F_DATE, M_LEFT },
	{ NULL, 0, 0, 0 }
};

const char *const member_columns[] = { "cluster", "organisation", "role", "joined", "left", NULL };

int member_from_fields(struct member *m, const char *const *names, const char *const *values,
		       size_t n, struct db *db, struct kerr *e)
{
	struct rec r;
	memset(&r, 0, sizeof(r));
	memset(m, 0, sizeof(*m));
	if (fields_check(member_spec, names, values, n, &r, 2007, db, NULL, e))
		goto fail;
	if (dir_cluster_id(db, r.v[M_CLUSTER], &m->cluster_id, e))
		goto fail;
	if (!m->cluster_id) {
		kerr_set(e, KERR_INPUT, "column cluster: no cluster with acronym '%s' (import clusters first)",
			 r.v[M_CLUSTER]);
		goto fail;
	}
	m->org_id = org_by_key(db, r.v[M_ORG]);
	if (!m->org_id) {
		kerr_set(e, KERR_INPUT, "column organisation: no organisation with NIP or REGON %s in the directory",
			 r.v[M_ORG]);
		goto fail;
	}
	if (r.v[M_JOINED] && r.v[M_LEFT] && strcmp(r.v[M_LEFT], r.v[M_JOINED]) < 0) {
		kerr_set(e, KERR_INPUT, "column left: %s is before joined %s", r.v[M_LEFT], r.v[M_JOINED]);
		goto fail;
	}
	m->cluster_acronym = r.v[M_CLUSTER]; r.v[M_CLUSTER] = NULL;
	m->org_key = r.v[M_ORG]; r.v[M_ORG] = NULL;
	m->role = r.v[M_ROLE] ? r.v[M_ROLE] : xstrdup("member");
	r.v[M_ROLE] = NULL;
	m->joined = r.v[M_JOINED]; r.v[M_JOINED] = NULL;
	m->left_on = r.v[M_LEFT]; r.v[M_LEFT] = NULL;
	rec_free(&r);
	return 0;
fail:
	rec_free(&r);
	member_release(m);
	return -1;
}

/* ---------------------------------------------------------------- *
 * Writes
 * ---------------------------------------------------------------- */

/* BLAKE2b of the given fields, NUL-separated, as hex. */
static void fields_hash(char out[65], const char *const *v, size_t n)
{
	crypto_generichash_state h;
	unsigned char md[32];
	size_t i;
	crypto_generichash_init(&h, NULL, 0, sizeof(md));
	for (i = 0; i < n; i++) {
		const char *s = v[i] ? v[i] : "\x01";
		crypto_generichash_update(&h, (const unsigned char *)s, strlen(s) + 1);
	}
	crypto_generichash_final(&h, md, sizeof(md));
	sodium_bin2hex(out, 65, md, sizeof(md));
}

static void bind_opt(struct db_stmt *st, int i, const char *s)
{
	if (s && *s)
		db_bind_text(st, i, s);
	else
		db_bind_null(st, i);
}

/* "62.01.Z" → "6201z": one search word for a PKD code, so that a code
 * typed with its dots is one selective term instead of "62", "01", "z". */
static void pkd_compact(struct buf *out, const char *code, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (code[i] != '.')
			buf_putc(out, tolower((unsigned char)code[i]));
}

void dir_search_query(const char *q, struct buf *out)
{
	const char *p = q;
	char nip[11];
	/* a NIP as people write it ("813-849-65-81", "PL 813 849 65 81"): its ten digits */
	if (q && valid_nip(q, nip, NULL) == 0) {
		buf_puts(out, nip);
		buf_putc(out, ' ');
		return;
	}
	while (p && *p) {
		const char *end = p;
		char word[64], norm[10];
		int level;
		while (*end && !isspace((unsigned char)*end))
			end++;
		if (end > p && (size_t)(end - p) < sizeof(word)) {
			memcpy(word, p, (size_t)(end - p));
			word[end - p] = '\0';
			if ((strchr(word, '-') || (word[0] | 0x20) == 'p') && valid_nip(word, nip, NULL) == 0) {
				buf_puts(out, nip);
				buf_putc(out, ' ');
				p = end;
				while (isspace((unsigned char)*p))
					p++;
				continue;
			}
			if (strchr(word, '.') && valid_pkd(word, norm, &level, NULL) == 0 && level >= 3) {
				pkd_compact(out, norm, strlen(norm));
				buf_putc(out, ' ');
				p = end;
				while (isspace((unsigned char)*p))
					p++;
				continue;
			}
		}
		buf_add(out, p, (size_t)(end - p));
		buf_putc(out, ' ');
		p = end;
		while (isspace((unsigned char)*p))
			p++;
	}
}

/* Search text: every field a user may type, folded, and the PKD codes also
 * in their compact form (see dir_search_query). */
static void org_search_text(const struct org *o, const char *sections, struct buf *out)
{
	struct buf all = BUF_INIT;
	const char *parts[] = { o->name, o->city, o->street, o->nip, o->regon, o->krs, o->pkd,
				o->postal_code, o->description_pl, o->description_en };
	size_t i;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i]) {
			buf_puts(&all, parts[i]);
			buf_putc(&all, ' ');
		}
	if (o->pkd) {
		const char *p = o->pkd;
		while (*p) {
			const char *semi = strchr(p, ';');
			size_t n = semi ? (size_t)(semi - p) : strlen(p);
			pkd_compact(&all, p, n);
			buf_putc(&all, ' ');
			p += n;
			if (*p)
				p++;
		}
	}
	fold_search(out, all.ptr);
	buf_release(&all);
	/* the filters as words of their own (see DIR_FILTER_WORDS in dir.h) */
	buf_printf(out, " xtype%s", o->type);
	if (o->size_class)
		buf_printf(out, " xsize%s", o->size_class);
	if (o->voivodeship)
		buf_printf(out, " xvoiv%s", o->voivodeship);
	if (sections) {
		const char *p;
		for (p = sections; *p; p++)
			buf_printf(out, " xsec%c", tolower((unsigned char)*p));
	}
}

/* The distinct PKD sections of all codes, as letters in order ("CJ"). */
static void org_sections(struct db *db, const struct org *o, char out[32])
{
	const char *p = o->pkd;
	size_t n = 0;
	out[0] = '\0';
	while (p && *p) {
		char div[3], *sec;
		const char *semi = strchr(p, ';');
		memcpy(div, p, 2);
		div[2] = '\0';
		sec = dir_pkd_section(db, o->pkd_version, div);
		if (sec && sec[0] && !strchr(out, sec[0]) && n < 30) {
			size_t k = n++;
			/* insertion keeps the letters sorted */
			while (k > 0 && out[k - 1] > sec[0]) {
				out[k] = out[k - 1];
				k--;
			}
			out[k] = sec[0];
			out[n] = '\0';
		}
		free(sec);
		p = semi ? semi + 1 : NULL;
	}
}

int dir_org_upsert(struct db *db, struct org *o, enum upsert_result *res, struct kerr *e)
{
	char hash[65], now[32], latbuf[32] = "", lonbuf[32] = "", ver[8];
	struct buf search = BUF_INIT, key = BUF_INIT;
	struct db_stmt *st = NULL;
	long long id = 0;
	int rc = -1, i, existed;
	long long same_name = 1;
	const char *hv[ORG_NCOLS];
	char secs[32];

	org_values(o, hv, ver, latbuf, lonbuf);
	fields_hash(hash, hv, ORG_NCOLS);
	if (o->id > 0) {
		/* this record (org_patch_json): its NIP and REGON must be no other's */
		char idb[24];
		long long other = 0, there = 0;
		snprintf(idb, sizeof(idb), "%lld", o->id);
		if (db_query_int(db, &there, e, "SELECT COUNT(*) FROM organisation WHERE id = ?", idb, NULL) < 0 ||
		    db_query_int(db, &other, e, "SELECT COALESCE(MIN(id), 0) FROM organisation WHERE id <> ? AND "
				 "(nip = ? OR regon = ?)", idb, o->nip ? o->nip : "", o->regon ? o->regon : "", NULL) < 0)
			goto out;
		if (!there) {
			kerr_set(e, KERR_NOTFOUND, "no organisation #%lld", o->id);
			goto out;
		}
		if (other) {
			kerr_set(e, KERR_CONFLICT, "organisation #%lld already has this NIP or REGON", other);
			goto out;
		}
		id = o->id;
	}
	/* the record to update: same NIP, else same REGON, else same name and
	 * postal code; a failed lookup is an error, never a silent insert */
	if (!id && o->nip && db_query_int(db, &id, e, "SELECT id FROM organisation WHERE nip = ?", o->nip, NULL) < 0)
		goto out;
	if (!id && o->regon &&
	    db_query_int(db, &id, e, "SELECT id FROM organisation WHERE regon = ?", o->regon, NULL) < 0)
		goto out;
	if (!o->nip && !o->regon) {
		/* by name and postal code: only an organisation known by them, without NIP and REGON; one
		 * that has either is named by it (a row without would else replace it and erase them) */
		const char *pc = o->postal_code ? o->postal_code : "";
		long long other = 0;
		char idb[24];
		snprintf(idb, sizeof(idb), "%lld", o->id > 0 ? o->id : 0);
		if (db_query_int(db, &other, e, "SELECT COALESCE(MIN(id), 0) FROM organisation WHERE name = ? AND"
				 " COALESCE(postal_code, '') = ? AND nip IS NULL AND regon IS NULL AND id <> ?",
				 o->name, pc, idb, NULL) < 0)
			goto out;
		if (o->id > 0 && other) {
			/* two of them would be one to every later import (said as the NIP or REGON conflict
			 * below is, without a column: the profile form puts it at its REGON field) */
			kerr_set(e, KERR_CONFLICT, "organisation #%lld has this name and postal code, and neither "
				 "has a NIP or REGON: give this one its NIP or REGON, or another name or postal code", other);
			goto out;
		}
		if (!id)
			id = other;
		if (!id && db_query_int(db, &other, e, "SELECT COALESCE(MIN(id), 0) FROM organisation WHERE name = ? AND"
					" COALESCE(postal_code, '') = ?", o->name, pc, NULL) < 0)
			goto out;
		if (!id && other) {
			char *oname = dir_org_name(db, other);
			kerr_set(e, KERR_CONFLICT, "column nip: organisation #%lld (%s) has this name and postal code and a NIP "
				 "or REGON: give its NIP or REGON to update it, or this organisation's own to add another",
				 other, oname ? oname : "");
			free(oname);
			goto out;
		}
	}
	if (id && o->id <= 0) {
		/* found by its NIP, its REGON must be no other organisation's (and the other way round):
		 * else the write fails on the database's uniqueness with a message naming no column */
		const char *col[2] = { "nip", "regon" }, *val[2] = { o->nip, o->regon }, *what[2] = { "NIP", "REGON" };
		char idb[24];
		int k;
		snprintf(idb, sizeof(idb), "%lld", id);
		for (k = 0; k < 2; k++) {
			long long other = 0;
			char sql[96], *oname;
			if (!val[k])
				continue;
			snprintf(sql, sizeof(sql), "SELECT COALESCE(MIN(id), 0) FROM organisation WHERE %s = ? AND id <> ?",
				 col[k]);
			if (db_query_int(db, &other, e, sql, val[k], idb, NULL) < 0)
				goto out;
			if (!other)
				continue;
			oname = dir_org_name(db, other);
			kerr_set(e, KERR_CONFLICT, "column %s: %s %s is another organisation's (#%lld %s) than the one "
				 "of this row's %s (#%lld): give the numbers of one organisation", col[k], what[k], val[k],
				 other, oname ? oname : "", what[1 - k], id);
			free(oname);
			goto out;
		}
	}
	if (id) {
		long long same = 0;
		char idb[24];
		snprintf(idb, sizeof(idb), "%lld", id);
		if (db_query_int(db, &same, e, "SELECT COUNT(*) FROM organisation WHERE id = ? AND row_hash = ?",
				 idb, hash, NULL) < 0)
			goto out;
		if (same) {
			o->id = id;
			*res = UPSERT_UNCHANGED;
			rc = 0;
			goto out;
		}
	}
	existed = id != 0;
	if (id) {
		char idb[24];
		snprintf(idb, sizeof(idb), "%lld", id);
		if (db_query_int(db, &same_name, e, "SELECT COUNT(*) FROM organisation WHERE id = ? AND name = ?", idb,
				 o->name, NULL) < 0)
			goto out;
	}
	org_sections(db, o, secs);
	org_search_text(o, secs, &search);
	fold_sortkey(&key, o->name);
	dir_now(now);
	if (id) {
		if (db_prepare(db, "UPDATE organisation SET name=?, type=?, size_class=?, nip=?, regon=?, krs=?,"
			       " pkd_version=?, pkd_main=?, pkd_codes=?, pkd_section=?, pkd_sections=?, street=?, postal_code=?, city=?, teryt=?,"
			       " voivodeship=?, lat=?, lon=?, website=?, email=?, phone=?, description_pl=?,"
			       " description_en=?, demo=?, search_text=?, sort_key=?, row_hash=?, updated_at=?"
			       " WHERE id=?", &st, e))
			goto out;
	} else {
		if (db_prepare(db, "INSERT INTO organisation (name, type, size_class, nip, regon, krs,"
			       " pkd_version, pkd_main, pkd_codes, pkd_section, pkd_sections, street, postal_code, city, teryt,"
			       " voivodeship, lat, lon, website, email, phone, description_pl,"
			       " description_en, demo, search_text, sort_key, row_hash, updated_at, created_at)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id", &st, e))
			goto out;
	}
	i = 1;
	db_bind_text(st, i++, o->name);
	db_bind_text(st, i++, o->type);
	bind_opt(st, i++, o->size_class);
	bind_opt(st, i++, o->nip);
	bind_opt(st, i++, o->regon);
	bind_opt(st, i++, o->krs);
	db_bind_int(st, i++, o->pkd_version);
	if (o->pkd) {
		char main_code[16];
		const char *semi = strchr(o->pkd, ';');
		size_t n = semi ? (size_t)(semi - o->pkd) : strlen(o->pkd);
		snprintf(main_code, sizeof(main_code), "%.*s", (int)n, o->pkd);
		db_bind_text(st, i++, main_code);
	} else {
		db_bind_null(st, i++);
	}
	bind_opt(st, i++, o->pkd);
	bind_opt(st, i++, o->pkd_section);
	bind_opt(st, i++, secs);
	bind_opt(st, i++, o->street);
	bind_opt(st, i++, o->postal_code);
	bind_opt(st, i++, o->city);
	bind_opt(st, i++, o->teryt);
	bind_opt(st, i++, o->voivodeship);
	if (o->has_coords) {
		db_bind_double(st, i++, o->lat);
		db_bind_double(st, i++, o->lon);
	} else {
		db_bind_null(st, i++);
		db_bind_null(st, i++);
	}
	bind_opt(st, i++, o->website);
	bind_opt(st, i++, o->email);
	bind_opt(st, i++, o->phone);
	bind_opt(st, i++, o->description_pl);
	bind_opt(st, i++, o->description_en);
	db_bind_int(st, i++, o->demo);
	db_bind_text(st, i++, search.ptr);
	db_bind_text(st, i++, key.ptr);
	db_bind_text(st, i++, hash);
	db_bind_text(st, i++, now);
	if (id)
		db_bind_int(st, i++, id);
	else
		db_bind_text(st, i++, now);
	if (db_step(st, e) < 0)
		goto out;
	if (!id)
		id = db_col_int(st, 0);
	db_finalize(st);
	st = NULL;
	o->id = id;
	*res = existed ? UPSERT_UPDATED : UPSERT_INSERTED;
	/* PKD codes, one row each */
	{
		char idb[24];
		long long dummy;
		snprintf(idb, sizeof(idb), "%lld", id);
		if (db_query_int(db, &dummy, e, "DELETE FROM organisation_pkd WHERE org_id = ?", idb, NULL) < 0)
			goto out;
		if (o->pkd) {
			char *codes = xstrdup(o->pkd), *p = codes;
			int pos = 0;
			while (p && *p) {
				char *semi = strchr(p, ';');
				char div[3];
				char *sec;
				if (semi)
					*semi = '\0';
				memcpy(div, p, 2);
				div[2] = '\0';
				sec = dir_pkd_section(db, o->pkd_version, div);
				if (db_prepare(db, "INSERT INTO organisation_pkd (org_id, position, code, section) VALUES (?,?,?,?)",
					       &st, e) == 0) {
					db_bind_int(st, 1, id);
					db_bind_int(st, 2, pos++);
					db_bind_text(st, 3, p);
					bind_opt(st, 4, sec);
					if (db_step(st, e) < 0) {
						free(sec);
						free(codes);
						goto out;
					}
					db_finalize(st);
					st = NULL;
				} else {
					free(sec);
					free(codes);
					goto out;
				}
				free(sec);
				p = semi ? semi + 1 : NULL;
			}
			free(codes);
		}
	}
	/* offers and services are found by their organisation's name too */
	if (existed && !same_name && offer_refresh_org(db, id, e))
		goto out;
	rc = 0;
out:
	db_finalize(st);
	buf_release(&search);
	buf_release(&key);
	return rc;
}

static void cluster_search_text(const struct cluster *c, struct buf *out)
{
	struct buf all = BUF_INIT;
	const char *parts[] = { c->acronym, c->name, c->sectors, c->description_pl, c->description_en };
	size_t i;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i]) {
			buf_puts(&all, parts[i]);
			buf_putc(&all, ' ');
		}
	fold_search(out, all.ptr);
	buf_release(&all);
}

/* Replaces the rows of a child table (sectors, labels) from a ';' list. */
static int replace_children(struct db *db, long long id, const char *list, int labels, struct kerr *e)
{
	struct db_stmt *st = NULL;
	char idb[24];
	long long dummy;
	char *copy, *p;
	int rc = 0;

	snprintf(idb, sizeof(idb), "%lld", id);
	if (db_query_int(db, &dummy, e, labels ? "DELETE FROM cluster_label WHERE cluster_id = ?"
						: "DELETE FROM cluster_sector WHERE cluster_id = ?", idb, NULL) < 0)
		return -1;
	if (!list)
		return 0;
	copy = xstrdup(list);
	for (p = copy; !rc && p && *p;) {
		char *semi = strchr(p, ';');
		if (semi)
			*semi = '\0';
		if (labels) {
			char *at = strchr(p, '@'), *slash = at ? strchr(at, '/') : NULL;
			if (!at || !slash)
				BUG("label not validated: %s", p);
			*at = *slash = '\0';
			rc = db_prepare(db, "INSERT INTO cluster_label (cluster_id, kind, valid_from, valid_to)"
					" VALUES (?,?,?,?) ON CONFLICT DO NOTHING", &st, e);
			if (!rc) {
				db_bind_int(st, 1, id);
				db_bind_text(st, 2, p);
				db_bind_text(st, 3, at + 1);
				bind_opt(st, 4, slash + 1);
			}
		} else {
			rc = db_prepare(db, "INSERT INTO cluster_sector (cluster_id, code) VALUES (?,?)"
					" ON CONFLICT DO NOTHING", &st, e);
			if (!rc) {
				db_bind_int(st, 1, id);
				db_bind_text(st, 2, p);
			}
		}
		if (!rc && db_step(st, e) < 0)
			rc = -1;
		db_finalize(st);
		st = NULL;
		p = semi ? semi + 1 : NULL;
	}
	free(copy);
	return rc;
}

/* qsort order of sectors: by code. */
static int cmp_item(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* qsort order of labels "kind@from/to": by start, then kind (as cluster_children reads them). */
static int cmp_label(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *xa = strchr(x, '@'), *ya = strchr(y, '@');
	int c = strcmp(xa ? xa : "", ya ? ya : "");
	return c ? c : strcmp(x, y);
}

/*
 * A ';' list (validated, without blanks) in the order the directory reads
 * it back (cluster_children), so that a record read and written again is
 * the same record: its hash does not change, nothing is updated.
 */
static void sort_list(char *list, int (*cmp)(const void *, const void *))
{
	char **item, *p;
	size_t n = 1, k = 0, i;
	struct buf out = BUF_INIT;
	if (!list || !*list)
		return;
	for (p = list; *p; p++)
		n += *p == ';';
	item = xcalloc(n, sizeof(*item));
	for (p = list; p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL)
		item[k++] = p;
	for (i = 0; i < n; i++)
		if (i + 1 < n)
			item[i + 1][-1] = '\0';
	qsort(item, n, sizeof(*item), cmp);
	for (i = 0; i < n; i++)
		buf_printf(&out, "%s%s", i ? ";" : "", item[i]);
	memcpy(list, out.ptr, out.len + 1);
	buf_release(&out);
	free(item);
}

/*
 * The row hash of a cluster (column row_hash), from the values an import
 * gives; sorts c's sectors and labels into the order they are read back, so
 * that a cluster read by dir_cluster_get hashes as the row that wrote it.
 */
static void cluster_hash(struct cluster *c, char hash[65])
{
	char founded[8] = "", coord[24] = "";
	if (c->founded)
		snprintf(founded, sizeof(founded), "%d", c->founded);
	if (c->coordinator_id)
		snprintf(coord, sizeof(coord), "%lld", c->coordinator_id);
	sort_list(c->sectors, cmp_item);
	sort_list(c->labels, cmp_label);
	const char *hv[] = { c->acronym, c->name, coord, founded, c->sectors, c->region, c->website,
			     c->email, c->description_pl, c->description_en, c->labels,
			     c->demo ? "1" : "0" };
	fields_hash(hash, hv, sizeof(hv) / sizeof(hv[0]));
}

int dir_cluster_upsert(struct db *db, struct cluster *c, enum upsert_result *res, struct kerr *e)
{
	char hash[65], now[32];
	struct buf search = BUF_INIT, key = BUF_INIT;
	struct db_stmt *st = NULL;
	long long id = 0, same = 0;
	int rc = -1, i;

	cluster_hash(c, hash);
	/* acronyms are one whatever their case (MKTC is mktc): a new spelling renames the cluster */
	if (dir_cluster_id(db, c->acronym, &id, e))
		return -1;
	if (id && db_query_int(db, &same, e, "SELECT COUNT(*) FROM cluster WHERE acronym = ? AND row_hash = ?",
			       c->acronym, hash, NULL) < 0)
		return -1;
	if (same) {
		c->id = id;
		*res = UPSERT_UNCHANGED;
		return 0;
	}
	cluster_search_text(c, &search);
	fold_sortkey(&key, c->name);
	dir_now(now);
	if (db_prepare(db, id ? "UPDATE cluster SET name=?, coordinator_id=?, founded=?, region=?, website=?,"
			       " email=?, description_pl=?, description_en=?, demo=?, search_text=?, sort_key=?,"
			       " row_hash=?, updated_at=?, acronym=? WHERE id=? RETURNING id"
			     : "INSERT INTO cluster (name, coordinator_id, founded, region, website, email,"
			       " description_pl, description_en, demo, search_text, sort_key, row_hash, updated_at,"
			       " acronym, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
		       &st, e))
		goto out;
	i = 1;
	db_bind_text(st, i++, c->name);
	if (c->coordinator_id)
		db_bind_int(st, i++, c->coordinator_id);
	else
		db_bind_null(st, i++);
	if (c->founded)
		db_bind_int(st, i++, c->founded);
	else
		db_bind_null(st, i++);
	bind_opt(st, i++, c->region);
	bind_opt(st, i++, c->website);
	bind_opt(st, i++, c->email);
	bind_opt(st, i++, c->description_pl);
	bind_opt(st, i++, c->description_en);
	db_bind_int(st, i++, c->demo);
	db_bind_text(st, i++, search.ptr);
	db_bind_text(st, i++, key.ptr);
	db_bind_text(st, i++, hash);
	db_bind_text(st, i++, now);
	db_bind_text(st, i++, c->acronym);
	if (id)
		db_bind_int(st, i++, id);
	else
		db_bind_text(st, i++, now);
	if (db_step(st, e) != 1)
		goto out;
	c->id = db_col_int(st, 0);
	db_finalize(st);
	st = NULL;
	if (replace_children(db, c->id, c->sectors, 0, e) || replace_children(db, c->id, c->labels, 1, e))
		goto out;
	*res = id ? UPSERT_UPDATED : UPSERT_INSERTED;
	rc = 0;
out:
	db_finalize(st);
	buf_release(&search);
	buf_release(&key);
	return rc;
}

/*
 * The coordinator role and the cluster's coordinator agree: a cluster without
 * a coordinator takes the organisation as its coordinator, and its row hash
 * is computed again, so that the cluster exported and imported again is
 * unchanged rather than "updated".
 */
static int cluster_take_coordinator(struct db *db, long long cluster_id, long long org_id, struct kerr *e)
{
	char cid[24], oid[24], hash[65];
	long long taken = 0, dummy;
	struct cluster c;
	int r;

	snprintf(cid, sizeof(cid), "%lld", cluster_id);
	snprintf(oid, sizeof(oid), "%lld", org_id);
	r = db_query_int(db, &taken, e, "UPDATE cluster SET coordinator_id = ? WHERE id = ? AND coordinator_id IS NULL"
			 " RETURNING id", oid, cid, NULL);
	if (r <= 0)
		return r;
	if (dir_cluster_get(db, cid, &c, e))
		return -1;
	cluster_hash(&c, hash);
	cluster_release(&c);
	return db_query_int(db, &dummy, e, "UPDATE cluster SET row_hash = ? WHERE id = ?", hash, cid, NULL) < 0 ? -1 : 0;
}

int dir_member_upsert(struct db *db, struct member *m, enum upsert_result *res, struct kerr *e)
{
	struct db_stmt *st = NULL;
	long long exists = 0, same = 0;
	char cid[24], oid[24];
	int rc = -1;

	snprintf(cid, sizeof(cid), "%lld", m->cluster_id);
	snprintf(oid, sizeof(oid), "%lld", m->org_id);
	if (db_query_int(db, &exists, e, "SELECT COUNT(*) FROM membership WHERE cluster_id = ? AND org_id = ?",
			 cid, oid, NULL) < 0)
		return -1;
	if (exists && db_query_int(db, &same, e,
				   "SELECT COUNT(*) FROM membership WHERE cluster_id = ? AND org_id = ? AND role = ?"
				   " AND COALESCE(joined, '') = ? AND COALESCE(left_on, '') = ?",
				   cid, oid, m->role, m->joined ? m->joined : "", m->left_on ? m->left_on : "",
				   NULL) < 0)
		return -1;
	if (same) {
		*res = UPSERT_UNCHANGED;
		return 0;
	}
	if (exists && !m->left_on && m->joined) {
		/* joining again: the ended period stays on record */
		if (db_prepare(db, "INSERT INTO membership_period (cluster_id, org_id, role, joined, left_on)"
			       " SELECT cluster_id, org_id, role, joined, left_on FROM membership"
			       " WHERE cluster_id = ? AND org_id = ? AND left_on IS NOT NULL AND COALESCE(joined, '') <> ?",
			       &st, e))
			return -1;
		db_bind_int(st, 1, m->cluster_id);
		db_bind_int(st, 2, m->org_id);
		db_bind_text(st, 3, m->joined);
		rc = db_step(st, e);
		db_finalize(st);
		if (rc < 0)
			return -1;
		rc = -1;
	}
	if (db_prepare(db, exists ? "UPDATE membership SET role = ?, joined = ?, left_on = ? WHERE cluster_id = ? AND org_id = ?"
				  : "INSERT INTO membership (role, joined, left_on, cluster_id, org_id) VALUES (?,?,?,?,?)",
		       &st, e))
		return -1;
	db_bind_text(st, 1, m->role);
	bind_opt(st, 2, m->joined);
	bind_opt(st, 3, m->left_on);
	db_bind_int(st, 4, m->cluster_id);
	db_bind_int(st, 5, m->org_id);
	if (db_step(st, e) >= 0) {
		rc = 0;
		*res = exists ? UPSERT_UPDATED : UPSERT_INSERTED;
	}
	db_finalize(st);
	if (!rc && strcmp(m->role, "coordinator") == 0)
		rc = cluster_take_coordinator(db, m->cluster_id, m->org_id, e);
	return rc;
}
