/* dir_query.c — reading the directory: search, profiles, clusters, map counts (see dir.h). */
#include "dir.h"

#include "fold.h"
#include "valid.h"

#define ORG_COLS "o.id, o.name, o.type, o.size_class, o.nip, o.regon, o.krs, o.pkd_version," \
	" o.pkd_codes, o.pkd_section, o.street, o.postal_code, o.city, o.teryt, o.voivodeship," \
	" o.lat, o.lon, o.website, o.email, o.phone, o.description_pl, o.description_en, o.demo," \
	" r.name, o.updated_at"
#define ORG_FROM " FROM organisation o LEFT JOIN region r ON r.teryt = o.voivodeship"

static char *col_dup(struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return s ? xstrdup(s) : NULL;
}

/* Fills o from the ORG_COLS columns starting at column c. */
static void org_from_row(struct org *o, struct db_stmt *st, int c)
{
	memset(o, 0, sizeof(*o));
	o->id = db_col_int(st, c + 0);
	o->name = col_dup(st, c + 1);
	o->type = col_dup(st, c + 2);
	o->size_class = col_dup(st, c + 3);
	o->nip = col_dup(st, c + 4);
	o->regon = col_dup(st, c + 5);
	o->krs = col_dup(st, c + 6);
	o->pkd_version = (int)db_col_int(st, c + 7);
	o->pkd = col_dup(st, c + 8);
	o->pkd_section = col_dup(st, c + 9);
	o->street = col_dup(st, c + 10);
	o->postal_code = col_dup(st, c + 11);
	o->city = col_dup(st, c + 12);
	o->teryt = col_dup(st, c + 13);
	o->voivodeship = col_dup(st, c + 14);
	if (!db_col_null(st, c + 15) && !db_col_null(st, c + 16)) {
		o->has_coords = 1;
		o->lat = db_col_double(st, c + 15);
		o->lon = db_col_double(st, c + 16);
	}
	o->website = col_dup(st, c + 17);
	o->email = col_dup(st, c + 18);
	o->phone = col_dup(st, c + 19);
	o->description_pl = col_dup(st, c + 20);
	o->description_en = col_dup(st, c + 21);
	o->demo = (int)db_col_int(st, c + 22);
	o->voivodeship_name = col_dup(st, c + 23);
	o->updated_at = col_dup(st, c + 24);
}

static int one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static const char *const sorts[] = { "name", "-name", "newest", "voivodeship", NULL };

int org_query_check(const struct org_query *q, struct kerr *e)
{
	if (q->type && *q->type && !one_of(q->type, org_types))
		return kerr_set(e, KERR_INPUT, "type: '%s' is not one of enterprise, research, support, public, ngo", q->type);
	if (q->size && *q->size && !one_of(q->size, org_sizes))
		return kerr_set(e, KERR_INPUT, "size: '%s' is not one of micro, small, medium, large", q->size);
	if (q->section && *q->section) {
		int v2025 = q->pkd_version && strcmp(q->pkd_version, "2025") == 0;
		if (strlen(q->section) != 1 || q->section[0] < 'A' || q->section[0] > (v2025 ? 'V' : 'U'))
			return kerr_set(e, KERR_INPUT, "section: '%s' is not a section letter of PKD %s (A–%s)",
					q->section, v2025 ? "2025" : "2007", v2025 ? "V" : "U");
	}
	if (q->pkd && *q->pkd) {
		char code[10];
		int level = 0;
		if (strlen(q->pkd) > 20 || valid_pkd(q->pkd, code, &level, NULL))
			return kerr_set(e, KERR_INPUT, "pkd: '%s' is not a PKD code (a division such as 62, a group "
					"62.0, a class 62.01 or a subclass 62.01.Z)", q->pkd);
		if (level == 1)
			return kerr_set(e, KERR_INPUT, "pkd: %s is a section: choose it as the section", code);
	}
	if (q->pkd_version && *q->pkd_version && strcmp(q->pkd_version, "2007") && strcmp(q->pkd_version, "2025"))
		return kerr_set(e, KERR_INPUT, "pkd_version: '%s' is not 2007 or 2025", q->pkd_version);
	if (q->voiv && *q->voiv) {
		const char *p = q->voiv;
		if (strlen(p) != 2 || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
			return kerr_set(e, KERR_INPUT, "voiv: '%s' is not a 2-digit TERYT code", q->voiv);
	}
	if (q->sort && *q->sort && !one_of(q->sort, sorts))
		return kerr_set(e, KERR_INPUT, "sort: '%s' is not one of name, -name, newest, voivodeship", q->sort);
	if (q->page < 1 || q->page > 1000000)
		return kerr_set(e, KERR_INPUT, "page: must be between 1 and 1000000");
	if (q->per_page < 0 || q->per_page > 500)
		return kerr_set(e, KERR_INPUT, "per_page: must be between 1 and 500");
	if (q->q && utf8_chars(q->q) > 200)   /* characters, as the message says: "żółw" is 4 */
		return kerr_set(e, KERR_INPUT, "q: the search text is longer than 200 characters");
	if (q->q) {
		/* the full-text query takes 16 words; more would be dropped silently */
		struct buf folded = BUF_INIT;
		const char *tok[17];
		size_t n = fold_tokens(q->q, &folded, tok, 17);
		buf_release(&folded);
		if (n > 16)
			return kerr_set(e, KERR_INPUT, "q: at most 16 words can be searched at once");
	}
	return 0;
}

int org_query_check_db(struct db *db, const struct org_query *q, struct kerr *e)
{
	if (org_query_check(q, e))
		return -1;
	if (q->voiv && *q->voiv && !dir_region_exists(db, q->voiv))
		return kerr_set(e, KERR_INPUT, "voiv: no voivodeship with TERYT code %s", q->voiv);
	if (q->pkd && *q->pkd) {
		struct buf why = BUF_INIT;
		char code[10];
		int level = 0, version = q->pkd_version && strcmp(q->pkd_version, "2025") == 0 ? 2025 : 2007;
		if (valid_pkd(q->pkd, code, &level, NULL) == 0 && dir_pkd_check(db, version, code, level, &why)) {
			kerr_set(e, KERR_INPUT, "pkd: %s", why.ptr);
			buf_release(&why);
			return -1;
		}
		buf_release(&why);
	}
	if (q->cluster > 0) {
		char id[24];
		long long there = 0;
		snprintf(id, sizeof(id), "%lld", q->cluster);
		if (db_query_int(db, &there, e, "SELECT COUNT(*) FROM cluster WHERE id = ?", id, NULL) < 0)
			return -1;
		if (!there)
			return kerr_set(e, KERR_NOTFOUND, "cluster: no cluster #%lld", q->cluster);
	}
	return 0;
}

int cluster_query_check_db(struct db *db, const char *q, const char *voiv, struct kerr *e)
{
	struct org_query oq;
	memset(&oq, 0, sizeof(oq));
	oq.q = q;
	oq.voiv = voiv;
	oq.page = 1;
	return org_query_check_db(db, &oq, e);
}

/*
 * A search is split in two kinds of conditions: column filters on the
 * organisation row (type, size, voivodeship) and id sets from other tables
 * (full-text matches, PKD section, cluster membership).  Keeping them apart
 * lets the count skip the organisation table when only id sets are given,
 * and lets the page query pick between sorting the matches and walking the
 * sort index (see dir_org_search).
 */
struct org_where {
	struct buf cols;            /* " AND o.type = ?" … */
	const char *colp[4];
	size_t ncolp;
	struct buf subs[4];         /* "SELECT … AS id …" */
	const char *subp[4][3];     /* the parameters of each (the later ones may be NULL) */
	size_t nsubs;
	char pkd[10], pkd_below[12]; /* the code of the PKD filter, and "62.%" for the codes in it */
	int section_sub;            /* index of the PKD-section id set, or -1 */
	char section_like[8];       /* "%C%": the same test on o.pkd_sections */
	struct buf fts, toks;
	struct buf exact;           /* "=x\0=xs\0": the tokens matched as whole words (reaches_filter_word) */
	char cluster_id[24];
};

/*
 * Whether a token, matched as a word prefix, would reach the filter words
 * every organisation's text holds (DIR_FILTER_WORDS): "x", "xs", "xtyp",
 * "xsec", "xvoiv1" … — a search for "x" would otherwise find the whole
 * directory.  Such a token is matched as a whole word instead.
 */
static int reaches_filter_word(const char *t)
{
	static const char *const marks[] = { "xtype", "xsize", "xvoiv", "xsec", NULL };
	const char *const *m;
	size_t n = strlen(t);
	for (m = marks; *m; m++)
		if (strncmp(t, *m, n < strlen(*m) ? n : strlen(*m)) == 0)
			return 1;
	return 0;
}

static void org_where_build(struct db *db, const struct org_query *q, struct org_where *w)
{
	const char *tok[24];
	char words[4][24];
	size_t ntok = 0, i;
	int fts_filters, level = 0;
	memset(w, 0, sizeof(*w));
	w->section_sub = -1;
	buf_init(&w->cols, 0);
	buf_init(&w->fts, 0);
	buf_init(&w->toks, 0);
	buf_init(&w->exact, 0);
	for (i = 0; i < 4; i++)
		buf_init(&w->subs[i], 0);
	if (q->q && *q->q) {
		struct buf rewritten = BUF_INIT;
		dir_search_query(q->q, &rewritten);
		ntok = fold_tokens(rewritten.ptr, &w->toks, tok, 16);
		buf_release(&rewritten);
		/* the tokens that would reach the filter words as prefixes, as whole words (offsets
		 * first: the buffer may move while it grows) */
		{
			size_t at[16], k;
			for (i = 0; i < ntok; i++) {
				at[i] = (size_t)-1;
				if (reaches_filter_word(tok[i])) {
					at[i] = w->exact.len;
					buf_printf(&w->exact, "=%s", tok[i]);
					buf_putc(&w->exact, '\0');
				}
			}
			for (k = 0; k < ntok; k++)
				if (at[k] != (size_t)-1 && !buf_failed(&w->exact))
					tok[k] = w->exact.ptr + at[k];
		}
	}
	/* with a text query the filters join it as whole words (DIR_FILTER_WORDS) */
	fts_filters = ntok > 0;
	if (fts_filters) {
		const struct {
			const char *prefix, *value;
		} f[] = { { "xtype", q->type }, { "xsize", q->size }, { "xvoiv", q->voiv }, { "xsec", q->section } };
		for (i = 0; i < 4; i++)
			if (f[i].value && *f[i].value) {
				size_t k;
				snprintf(words[i], sizeof(words[i]), "=%s%s", f[i].prefix, f[i].value);
				for (k = 0; words[i][k]; k++)
					words[i][k] = (char)tolower((unsigned char)words[i][k]);
				tok[ntok++] = words[i];
			}
		db_fts_ids(db, "organisation", &w->subs[w->nsubs]);
		db_fts_param(db, tok, ntok, &w->fts);
		w->subp[w->nsubs++][0] = w->fts.ptr;
	}
	if (!fts_filters && q->section && *q->section) {
		buf_puts(&w->subs[w->nsubs], "SELECT org_id AS id FROM organisation_pkd WHERE section = ?");
		w->section_sub = (int)w->nsubs;
		w->subp[w->nsubs++][0] = q->section;
		snprintf(w->section_like, sizeof(w->section_like), "%%%.1s%%", q->section);
	}
	if (q->pkd && *q->pkd && valid_pkd(q->pkd, w->pkd, &level, NULL) == 0) {
		/* the code itself, or one below it: division 62 holds 62.0, 62.01 and 62.01.Z (not
		 * 620…), group 62.0 the classes 62.0x, class 62.01 the subclasses 62.01.x */
		/* … of one edition: PKD 2025 renumbered divisions and classes (62.01 is not 62.10) */
		buf_puts(&w->subs[w->nsubs], "SELECT p.org_id AS id FROM organisation_pkd p JOIN organisation po"
			 " ON po.id = p.org_id WHERE po.pkd_version = ? AND (p.code = ? OR p.code LIKE ?)");
		snprintf(w->pkd_below, sizeof(w->pkd_below), level == 3 ? "%s%%" : "%s.%%", w->pkd);
		w->subp[w->nsubs][0] = q->pkd_version && *q->pkd_version ? q->pkd_version : "2007";
		w->subp[w->nsubs][1] = w->pkd;
		w->subp[w->nsubs++][2] = w->pkd_below;
	}
	if (q->cluster > 0) {
		snprintf(w->cluster_id, sizeof(w->cluster_id), "%lld", q->cluster);
		buf_puts(&w->subs[w->nsubs], "SELECT org_id AS id FROM membership WHERE cluster_id = ? AND left_on IS NULL");
		w->subp[w->nsubs++][0] = w->cluster_id;
	}
	if (q->section && *q->section) {
		/* a letter of the edition chosen: PKD 2025's J is publishing, 2007's information and
		 * communication; the organisation row is read anyway (its column, not an id set) */
		buf_puts(&w->cols, " AND o.pkd_version = ?");
		w->colp[w->ncolp++] = q->pkd_version && *q->pkd_version ? q->pkd_version : "2007";
	}
	if (fts_filters)
		return;
	if (q->type && *q->type) {
		buf_puts(&w->cols, " AND o.type = ?");
		w->colp[w->ncolp++] = q->type;
	}
	if (q->size && *q->size) {
		buf_puts(&w->cols, " AND o.size_class = ?");
		w->colp[w->ncolp++] = q->size;
	}
	if (q->voiv && *q->voiv) {
		buf_puts(&w->cols, " AND o.voivodeship = ?");
		w->colp[w->ncolp++] = q->voiv;
	}
}

static void org_where_release(struct org_where *w)
{
	size_t i;
	buf_release(&w->cols);
	buf_release(&w->fts);
	buf_release(&w->toks);
	buf_release(&w->exact);
	for (i = 0; i < 4; i++)
		buf_release(&w->subs[i]);
}

/* " WHERE 1=1 AND o.type = ? … AND o.id IN (…)".  For a walk of the sort
 * index the section is tested on the indexed pkd_sections column instead
 * of through its id set, so the walk never reads a row it skips. */
static void org_where_sql(const struct org_where *w, struct buf *sql, int walk)
{
	size_t i;
	buf_printf(sql, " WHERE 1=1%s", w->cols.ptr);
	if (walk && w->section_sub >= 0)
		buf_puts(sql, " AND o.pkd_sections LIKE ?");
	for (i = 0; i < w->nsubs; i++)
		if (!(walk && (int)i == w->section_sub))
			buf_printf(sql, " AND o.id IN (%s)", w->subs[i].ptr);
}

/* The parameters of id set k. */
static void sub_bind(const struct org_where *w, size_t k, struct db_stmt *st, int *i)
{
	size_t j;
	for (j = 0; j < 3 && w->subp[k][j]; j++)
		db_bind_text(st, (*i)++, w->subp[k][j]);
}

static void org_where_bind(const struct org_where *w, struct db_stmt *st, int *i, int walk)
{
	size_t k;
	for (k = 0; k < w->ncolp; k++)
		db_bind_text(st, (*i)++, w->colp[k]);
	if (walk && w->section_sub >= 0)
		db_bind_text(st, (*i)++, w->section_like);
	for (k = 0; k < w->nsubs; k++)
		if (!(walk && (int)k == w->section_sub))
			sub_bind(w, k, st, i);
}

static int org_count(struct db *db, const struct org_where *w, long long *total, struct kerr *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st = NULL;
	int i = 1, rc = -1;
	size_t k;
	if (w->nsubs && !w->ncolp) {
		/* every id in those tables is an organisation (foreign keys):
		 * count the intersection without reading organisation rows */
		if (w->nsubs == 1) {
			buf_printf(&sql, "SELECT COUNT(DISTINCT id) FROM (%s) s", w->subs[0].ptr);
		} else {
			buf_puts(&sql, "SELECT COUNT(*) FROM (");
			for (k = 0; k < w->nsubs; k++)
				buf_printf(&sql, "%s%s", k ? " INTERSECT " : "", w->subs[k].ptr);
			buf_puts(&sql, ") s");
		}
	} else {
		buf_puts(&sql, "SELECT COUNT(*) FROM organisation o");
		org_where_sql(w, &sql, 0);
	}
	if (db_prepare(db, sql.ptr, &st, e))
		goto out;
	if (w->nsubs && !w->ncolp)
		for (k = 0; k < w->nsubs; k++)
			sub_bind(w, k, st, &i);
	else
		org_where_bind(w, st, &i, 0);
	if (db_step(st, e) != 1)
		goto out;
	*total = db_col_int(st, 0);
	rc = 0;
out:
	db_finalize(st);
	buf_release(&sql);
	return rc;
}

/* Fetches the full rows of ids[] and calls each() in the order of ids;
 * returns 1 when each() asked to stop, 0 when done, -1 on error. */
static int org_emit(struct db *db, const long long *ids, size_t n,
		    int (*each)(void *ctx, const struct org *o), void *ctx, struct kerr *e)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st = NULL;
	struct org *rows = xcalloc(n ? n : 1, sizeof(*rows));
	size_t k;
	int r, rc = -1;

	buf_puts(&sql, "SELECT " ORG_COLS ORG_FROM " WHERE o.id IN (");
	for (k = 0; k < n; k++)
		buf_puts(&sql, k ? ",?" : "?");
	buf_puts(&sql, ")");
	if (db_prepare(db, sql.ptr, &st, e))
		goto out;
	for (k = 0; k < n; k++)
		db_bind_int(st, (int)k + 1, ids[k]);
	while ((r = db_step(st, e)) == 1) {
		long long id = db_col_int(st, 0);
		for (k = 0; k < n; k++)
			if (ids[k] == id && !rows[k].id) {
				org_from_row(&rows[k], st, 0);
				break;
			}
	}
	if (r < 0)
		goto out;
	rc = 0;
	for (k = 0; k < n; k++)
		if (rows[k].id && each && each(ctx, &rows[k])) {
			rc = 1;
			break;
		}
out:
	for (k = 0; k < n; k++)
		org_release(&rows[k]);
	free(rows);
	db_finalize(st);
	buf_release(&sql);
	return rc;
}

/* Below this many matches sorting them is always cheap; the walk's budget
 * is in SQLite virtual-machine steps (about a millisecond's work). */
#define WALK_MIN 300
#define WALK_BUDGET 60000L

/* Pages of at most this many rows are fetched in one query of ids. */
#define ORG_BATCH 500

int dir_org_search_ids(struct db *db, const struct org_query *q, long long **out, size_t *nout,
		       long long *total, struct kerr *e)
{
	struct org_where w;
	struct buf sql = BUF_INIT;
	struct db_stmt *st = NULL;
	long long count = -1, *ids = NULL;
	size_t nids = 0, cap = 0;
	const char *order = "o.sort_key, o.id", *index = "organisation_sort";
	int rc = -1, r = 0, i, pass;

	*out = NULL;
	*nout = 0;
	if (org_query_check(q, e))
		return -1;
	org_where_build(db, q, &w);
	if (total || q->per_page > 0) {
		if (org_count(db, &w, &count, e))
			goto out;
		if (total)
			*total = count;
	}
	if (q->sort && strcmp(q->sort, "-name") == 0) {
		order = "o.sort_key DESC, o.id DESC";
	} else if (q->sort && strcmp(q->sort, "newest") == 0) {
		order = "o.updated_at DESC, o.id DESC";
		index = "organisation_newest";
	} else if (q->sort && strcmp(q->sort, "voivodeship") == 0) {
		/* voivodeship TERYT codes follow the Polish alphabetical order of
		 * their names (02 dolnośląskie … 32 zachodniopomorskie), so the
		 * code orders them the same way on every backend; none last */
		order = "COALESCE(o.voivodeship, '99'), o.sort_key, o.id";
		index = NULL;
	}
	/*
	 * Two plans for one page: sort every match by its key (cost: one row
	 * read per match), or walk the sort index, which holds the filter
	 * columns, until a page is full (cost: the entries before the page's
	 * last match; small when matches are many and spread over the
	 * alphabet, large when they crowd under a few letters, as the words of
	 * a name do).  With many matches the walk is tried first, on a budget;
	 * when the budget runs out the sort is done instead.  The planner
	 * cannot know the number of full-text matches, so it is told.
	 */
	for (pass = (index && q->per_page > 0 && count > WALK_MIN) ? 0 : 1; pass < 2; pass++) {
		buf_reset(&sql);
		buf_puts(&sql, "SELECT o.id FROM organisation o");
		if (pass == 0)
			db_index_hint(db, index, &sql);
		org_where_sql(&w, &sql, pass == 0);
		buf_printf(&sql, " ORDER BY %s", order);
		if (q->per_page > 0)
			buf_puts(&sql, " LIMIT ? OFFSET ?");
		if (db_prepare(db, sql.ptr, &st, e))
			goto out;
		i = 1;
		org_where_bind(&w, st, &i, pass == 0);
		if (q->per_page > 0) {
			db_bind_int(st, i++, q->per_page);
			db_bind_int(st, i++, (q->page - 1) * q->per_page);
		}
		if (pass == 0)
			db_budget(db, WALK_BUDGET);
		nids = 0;
		while ((r = db_step(st, e)) == 1) {
			if (nids == cap) {
				cap = cap ? cap * 2 : 64;
				ids = xrealloc(ids, st_mult(cap, sizeof(*ids)));
			}
			ids[nids++] = db_col_int(st, 0);
		}
		if (pass == 0)
			db_budget(db, 0);
		db_finalize(st);
		st = NULL;
		if (r == DB_OVER_BUDGET)
			continue;
		if (r < 0)
			goto out;
		break;
	}
	*out = ids;
	*nout = nids;
	ids = NULL;
	rc = 0;
out:
	free(ids);
	db_finalize(st);
	buf_release(&sql);
	org_where_release(&w);
	return rc;
}

int dir_org_emit(struct db *db, const long long *ids, size_t n,
		 int (*each)(void *ctx, const struct org *o), void *ctx, struct kerr *e)
{
	size_t k;
	int stop = 0;
	/* full rows in batches: bounded statements and memory for exports */
	for (k = 0; k < n && !stop; k += ORG_BATCH) {
		stop = org_emit(db, ids + k, n - k < ORG_BATCH ? n - k : ORG_BATCH, each, ctx, e);
		if (stop < 0)
			return -1;
	}
	return 0;
}

int dir_org_search(struct db *db, const struct org_query *q, long long *total,
		   int (*each)(void *ctx, const struct org *o), void *ctx, struct kerr *e)
{
	long long *ids;
	size_t n;
	int rc;
	if (dir_org_search_ids(db, q, &ids, &n, total, e))
		return -1;
	rc = dir_org_emit(db, ids, n, each, ctx, e);
	free(ids);
	return rc;
}

int dir_org_get(struct db *db, long long id, struct org *o, struct kerr *e)
{
	struct db_stmt *st;
	int r;
	if (db_prepare(db, "SELECT " ORG_COLS ORG_FROM " WHERE o.id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	r = db_step(st, e);
	if (r == 1)
		org_from_row(o, st, 0);
	db_finalize(st);
	if (r == 0)
		return kerr_set(e, KERR_NOTFOUND, "no organisation with id %lld", id);
	return r == 1 ? 0 : -1;
}

#define CLUSTER_COLS "c.id, c.acronym, c.name, c.coordinator_id, co.name, c.founded, c.region, r.name," \
	" c.website, c.email, c.description_pl, c.description_en, c.demo," \
	" (SELECT COUNT(*) FROM membership m WHERE m.cluster_id = c.id AND m.left_on IS NULL)"
#define CLUSTER_FROM " FROM cluster c LEFT JOIN organisation co ON co.id = c.coordinator_id" \
	" LEFT JOIN region r ON r.teryt = c.region"

/* Sectors and labels as ';' lists. */
static void cluster_children(struct db *db, struct cluster *c)
{
	struct db_stmt *st;
	struct buf b = BUF_INIT;
	if (!db_prepare(db, "SELECT code FROM cluster_sector WHERE cluster_id = ? ORDER BY code", &st, NULL)) {
		db_bind_int(st, 1, c->id);
		while (db_step(st, NULL) == 1)
			buf_printf(&b, "%s%s", b.len ? ";" : "", db_col_text(st, 0));
		db_finalize(st);
	}
	c->sectors = b.len ? buf_detach(&b, NULL) : NULL;
	buf_release(&b);
	if (!db_prepare(db, "SELECT kind, valid_from, COALESCE(valid_to, '') FROM cluster_label"
			" WHERE cluster_id = ? ORDER BY valid_from, kind", &st, NULL)) {
		db_bind_int(st, 1, c->id);
		while (db_step(st, NULL) == 1)
			buf_printf(&b, "%s%s@%s/%s", b.len ? ";" : "", db_col_text(st, 0), db_col_text(st, 1),
				   db_col_text(st, 2));
		db_finalize(st);
	}
	c->labels = b.len ? buf_detach(&b, NULL) : NULL;
	buf_release(&b);
}

int dir_cluster_list(struct db *db, const char *q, const char *voiv,
		     int (*each)(void *ctx, const struct cluster *c), void *ctx, struct kerr *e)
{
	struct buf sql = BUF_INIT, fts = BUF_INIT, toks = BUF_INIT;
	const char *tok[16];
	size_t ntok = 0;
	struct db_stmt *st = NULL;
	int i = 1, r, rc = -1;
	/* rows are collected first: the children need the connection */
	struct cluster *all = NULL;
	size_t n = 0, alloc = 0, k;

	buf_puts(&sql, "SELECT " CLUSTER_COLS CLUSTER_FROM " WHERE 1=1");
	if (q && *q && (ntok = fold_tokens(q, &toks, tok, 16))) {
		buf_puts(&sql, " AND c.id IN (");
		db_fts_ids(db, "cluster", &sql);
		buf_puts(&sql, ")");
		db_fts_param(db, tok, ntok, &fts);
	}
	if (voiv && *voiv)
		buf_puts(&sql, " AND c.region = ?");
	buf_puts(&sql, " ORDER BY c.sort_key, c.id");
	if (db_prepare(db, sql.ptr, &st, e))
		goto out;
	if (ntok)
		db_bind_text(st, i++, fts.ptr);
	if (voiv && *voiv)
		db_bind_text(st, i++, voiv);
	while ((r = db_step(st, e)) == 1) {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			all = xrealloc(all, st_mult(alloc, sizeof(*all)));
		}
		memset(&all[n], 0, sizeof(all[n]));
		all[n].id = db_col_int(st, 0);
		n++;
	}
	db_finalize(st);
	st = NULL;
	if (r < 0)
		goto out;
	for (k = 0; k < n; k++) {
		char idb[24];
		struct cluster c;
		snprintf(idb, sizeof(idb), "%lld", all[k].id);
		if (dir_cluster_get(db, idb, &c, e))
			goto out;
		r = each(ctx, &c);
		cluster_release(&c);
		if (r)
			break;
	}
	rc = 0;
out:
	free(all);
	db_finalize(st);
	buf_release(&sql);
	buf_release(&fts);
	buf_release(&toks);
	return rc;
}

int dir_cluster_id(struct db *db, const char *acronym, long long *id, struct kerr *e)
{
	struct db_stmt *st;
	struct buf want = BUF_INIT, have = BUF_INIT;
	int r;
	*id = 0;
	fold_lower(&want, acronym);
	/* folded here, not by SQL: SQLite's lower() folds ASCII letters only (ŁKŻ is not łkż there);
	 * a directory holds tens of clusters, not millions */
	if (db_prepare(db, "SELECT id, acronym FROM cluster", &st, e)) {
		buf_release(&want);
		return -1;
	}
	while ((r = db_step(st, e)) == 1) {
		if (strcmp(db_col_text(st, 1), acronym) == 0) {
			*id = db_col_int(st, 0);   /* the acronym as written wins over another case of it */
			r = 0;
			break;
		}
		buf_reset(&have);
		fold_lower(&have, db_col_text(st, 1));
		if (!*id && have.len == want.len && memcmp(have.ptr, want.ptr, want.len) == 0)
			*id = db_col_int(st, 0);
	}
	db_finalize(st);
	buf_release(&want);
	buf_release(&have);
	return r < 0 ? -1 : 0;
}

int dir_cluster_get(struct db *db, const char *key, struct cluster *c, struct kerr *e)
{
	struct db_stmt *st;
	int r, numeric = *key != '\0';
	const char *p;
	for (p = key; *p; p++)
		if (!isdigit((unsigned char)*p))
			numeric = 0;
	long long id = 0;
	if (numeric)
		id = strtoll(key, NULL, 10);
	else if (dir_cluster_id(db, key, &id, e))
		return -1;
	if (db_prepare(db, "SELECT " CLUSTER_COLS CLUSTER_FROM " WHERE c.id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	r = db_step(st, e);
	if (r == 1) {
		/* copy the row before the child queries reuse the connection */
		struct cluster tmp;
		memset(&tmp, 0, sizeof(tmp));
		tmp.id = db_col_int(st, 0);
		tmp.acronym = col_dup(st, 1);
		tmp.name = col_dup(st, 2);
		tmp.coordinator_id = db_col_int(st, 3);
		tmp.coordinator_name = col_dup(st, 4);
		tmp.founded = (int)db_col_int(st, 5);
		tmp.region = col_dup(st, 6);
		tmp.region_name = col_dup(st, 7);
		tmp.website = col_dup(st, 8);
		tmp.email = col_dup(st, 9);
		tmp.description_pl = col_dup(st, 10);
		tmp.description_en = col_dup(st, 11);
		tmp.demo = (int)db_col_int(st, 12);
		tmp.nmembers = db_col_int(st, 13);
		db_finalize(st);
		cluster_children(db, &tmp);
		*c = tmp;
		return 0;
	}
	db_finalize(st);
	if (r == 0)
		return kerr_set(e, KERR_NOTFOUND, "no cluster '%s'", key);
	return -1;
}

/* The earlier periods of a cluster's members (by_org 0) or of an
 * organisation's memberships (by_org 1), ordered by cluster, organisation
 * and date. */
struct periods {
	struct member_period *v;
	size_t n;
};

static void periods_release(struct periods *p)
{
	size_t i;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].role);
		free(p->v[i].joined);
		free(p->v[i].left_on);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int periods_load(struct db *db, int by_org, long long id, struct periods *p, struct kerr *e)
{
	struct db_stmt *st;
	int r;
	memset(p, 0, sizeof(*p));
	if (db_prepare(db, by_org ? "SELECT cluster_id, org_id, role, joined, left_on FROM membership_period"
				    " WHERE org_id = ? ORDER BY cluster_id, left_on, id"
				  : "SELECT cluster_id, org_id, role, joined, left_on FROM membership_period"
				    " WHERE cluster_id = ? ORDER BY org_id, left_on, id", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	while ((r = db_step(st, e)) == 1) {
		struct member_period *q;
		p->v = xrealloc(p->v, st_mult(p->n + 1, sizeof(*p->v)));
		q = &p->v[p->n++];
		q->cluster_id = db_col_int(st, 0);
		q->org_id = db_col_int(st, 1);
		q->role = col_dup(st, 2);
		q->joined = col_dup(st, 3);
		q->left_on = col_dup(st, 4);
	}
	db_finalize(st);
	if (r < 0)
		periods_release(p);
	return r < 0 ? -1 : 0;
}

/* Points m at its earlier periods in p (a run of equal keys). */
static void periods_attach(const struct periods *p, struct member *m)
{
	size_t i;
	m->earlier = NULL;
	m->nearlier = 0;
	for (i = 0; i < p->n; i++)
		if (p->v[i].cluster_id == m->cluster_id && p->v[i].org_id == m->org_id) {
			if (!m->earlier)
				m->earlier = &p->v[i];
			m->nearlier++;
		}
}

int dir_cluster_members(struct db *db, long long cluster_id,
			int (*each)(void *ctx, const struct member *m), void *ctx, struct kerr *e)
{
	struct periods earlier;
	struct db_stmt *st;
	int r;
	if (periods_load(db, 0, cluster_id, &earlier, e))
		return -1;
	if (db_prepare(db, "SELECT m.role, m.joined, m.left_on, " ORG_COLS ORG_FROM
		       " JOIN membership m ON m.org_id = o.id WHERE m.cluster_id = ?"
		       " ORDER BY CASE m.role WHEN 'coordinator' THEN 0 ELSE 1 END,"
		       " CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END, o.sort_key", &st, e)) {
		periods_release(&earlier);
		return -1;
	}
	db_bind_int(st, 1, cluster_id);
	while ((r = db_step(st, e)) == 1) {
		struct member m;
		int stop;
		memset(&m, 0, sizeof(m));
		m.cluster_id = cluster_id;
		m.role = col_dup(st, 0);
		m.joined = col_dup(st, 1);
		m.left_on = col_dup(st, 2);
		org_from_row(&m.org, st, 3);
		m.org_id = m.org.id;
		periods_attach(&earlier, &m);
		stop = each(ctx, &m);
		member_release(&m);
		if (stop)
			break;
	}
	db_finalize(st);
	periods_release(&earlier);
	return r < 0 ? -1 : 0;
}

int dir_org_clusters(struct db *db, long long org_id,
		     int (*each)(void *ctx, const struct cluster *c, const struct member *m),
		     void *ctx, struct kerr *e)
{
	struct periods earlier;
	struct db_stmt *st;
	int r;
	if (periods_load(db, 1, org_id, &earlier, e))
		return -1;
	if (db_prepare(db, "SELECT c.id, c.acronym, c.name, m.role, m.joined, m.left_on FROM membership m"
		       " JOIN cluster c ON c.id = m.cluster_id WHERE m.org_id = ? ORDER BY c.sort_key", &st, e)) {
		periods_release(&earlier);
		return -1;
	}
	db_bind_int(st, 1, org_id);
	while ((r = db_step(st, e)) == 1) {
		struct cluster c;
		struct member m;
		int stop;
		memset(&c, 0, sizeof(c));
		memset(&m, 0, sizeof(m));
		c.id = db_col_int(st, 0);
		c.acronym = col_dup(st, 1);
		c.name = col_dup(st, 2);
		m.role = col_dup(st, 3);
		m.joined = col_dup(st, 4);
		m.left_on = col_dup(st, 5);
		m.cluster_id = c.id;
		m.org_id = org_id;
		periods_attach(&earlier, &m);
		stop = each(ctx, &c, &m);
		cluster_release(&c);
		member_release(&m);
		if (stop)
			break;
	}
	db_finalize(st);
	periods_release(&earlier);
	return r < 0 ? -1 : 0;
}

int dir_voiv_stats(struct db *db, struct voiv_stat **out, size_t *n, struct kerr *e)
{
	struct db_stmt *st;
	struct voiv_stat *v = NULL;
	size_t cnt = 0;
	int r;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, "SELECT r.teryt, r.name,"
		       " (SELECT COUNT(*) FROM organisation o WHERE o.voivodeship = r.teryt),"
		       " (SELECT COUNT(*) FROM cluster c WHERE c.region = r.teryt),"
		       " (SELECT COUNT(DISTINCT m.org_id) FROM membership m JOIN organisation o ON o.id = m.org_id"
		       "  WHERE o.voivodeship = r.teryt AND m.left_on IS NULL)"
		       " FROM region r WHERE r.level = 'voivodeship' ORDER BY r.teryt", &st, e))
		return -1;
	while ((r = db_step(st, e)) == 1) {
		v = xrealloc(v, st_mult(cnt + 1, sizeof(*v)));
		snprintf(v[cnt].teryt, sizeof(v[cnt].teryt), "%s", db_col_text(st, 0));
		v[cnt].name = col_dup(st, 1);
		v[cnt].orgs = db_col_int(st, 2);
		v[cnt].clusters = db_col_int(st, 3);
		v[cnt].members = db_col_int(st, 4);
		cnt++;
	}
	db_finalize(st);
	if (r < 0) {
		dir_voiv_stats_free(v, cnt);
		return -1;
	}
	*out = v;
	*n = cnt;
	return 0;
}

void dir_voiv_stats_free(struct voiv_stat *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int dir_member_points(struct db *db, size_t max, double **out, size_t *n, struct kerr *e)
{
	struct db_stmt *st;
	double *pts = NULL;
	size_t cnt = 0;
	int r;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, "SELECT o.lon, o.lat FROM organisation o WHERE o.lat IS NOT NULL AND o.id IN"
		       " (SELECT org_id FROM membership WHERE left_on IS NULL) ORDER BY o.id LIMIT ?", &st, e))
		return -1;
	db_bind_int(st, 1, (long long)max);
	while ((r = db_step(st, e)) == 1) {
		pts = xrealloc(pts, st_mult(cnt + 1, 2 * sizeof(double)));
		pts[2 * cnt] = db_col_double(st, 0);
		pts[2 * cnt + 1] = db_col_double(st, 1);
		cnt++;
	}
	db_finalize(st);
	if (r < 0) {
		free(pts);
		return -1;
	}
	*out = pts;
	*n = cnt;
	return 0;
}

long long dir_generation(struct db *db)
{
	long long g = -1;
	if (db_query_int(db, &g, NULL, "SELECT generation FROM change_counter WHERE id = 1", NULL) != 1)
		return -1;
	return g;
}

int dir_generations(struct db *db, long long out[3])
{
	struct db_stmt *st;
	int rc, i;
	if (db_prepare(db, "SELECT (SELECT generation FROM change_counter WHERE id = 1),"
		       " (SELECT generation FROM cache_area WHERE id = 2), (SELECT generation FROM cache_area WHERE id = 3)",
		       &st, NULL))
		return -1;
	rc = db_step(st, NULL);
	if (rc == 1)
		for (i = 0; i < 3; i++)
			out[i] = db_col_int(st, i);
	db_finalize(st);
	return rc == 1 ? 0 : -1;
}
