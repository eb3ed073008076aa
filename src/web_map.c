/* web_map.c — the portal's cluster map ("Mapa klastrów / Cluster map"):
 * stored datasets (dataset.h) with their indicators (indic.h) as a map of
 * the voivodeships, a ranked table, CSV/XLSX downloads and the API; with
 * band_km, Getis–Ord Gi* hot spots of the indicator across the regions on
 * the map (mapping_hotspots, as `klaster map hotspots --regions`), on the
 * page, in the API and as the download.  The indicators are those of
 * `klaster map indicators` on the imported file: against the dataset's
 * reference economy when it was imported with one, and with base=traded
 * (a dataset with traded flags) on the traded industries, as --base
 * traded. */
#include "web.h"
#include "web_cmap.h"
#include "dscache.h"

#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <time.h>

#include "dataset.h"
#include "draw.h"
#include "esc.h"
#include "fold.h"
#include "indic.h"
#include "mapping.h"
#include "nuts.h"
#include "pdf.h"
#include "related.h"
#include "tablew.h"

static const struct {
	const char *key, *pl, *en;
} indicators[] = {
	{ "lq", "iloraz lokalizacji (LQ)", "location quotient (LQ)" },
	{ "employment", "zatrudnienie", "employment" },
	{ "share_of_region", "udział w zatrudnieniu regionu", "share of the region's employment" },
	{ "share_of_industry", "udział w zatrudnieniu branży", "share of the industry's employment" },
	{ "stars", "gwiazdki ECO (0–3)", "ECO stars (0–3)" },
	{ "strong", "silny klaster (USCMP, 75. percentyl)", "strong cluster (USCMP, 75th percentile)" },
	{ "strong10", "silny klaster (USCMP, 90. percentyl)", "strong cluster (USCMP, 90th percentile)" },
	/* changes between two years (mapping_is_change): offered when the dataset has two or more */
	{ "growth", "dynamika zatrudnienia", "employment growth" },
	{ "regional_shift", "efekt regionalny (shift-share)", "regional shift (shift-share)" },
};
#define NIND (sizeof(indicators) / sizeof(indicators[0]))

/* The shift-share's three components as every page names them (the map of a change, a region's
 * profile compared with an earlier year): one set of words, so that a table read on one page
 * reads the same on the other. */
enum { SS_NATIONAL, SS_MIX, SS_REGIONAL };
static const char *const shift_names[3][2] = {
	[SS_NATIONAL] = { "Efekt krajowy", "National share" },
	[SS_MIX] = { "Efekt strukturalny", "Industry mix" },
	[SS_REGIONAL] = { "Efekt regionalny", "Regional shift" },
};
#define SS_NAME(r, k) L(r, shift_names[k][0], shift_names[k][1])
/* The indicators of one year come first in indicators[], the changes after them. */
#define NIND_YEAR 7

/* Hot spots on regions: the distance band between region centroids (km). */
#define REGION_BAND_KM_MIN 1.0
#define REGION_BAND_KM_MAX 5000.0


void cmap_release(struct cmap *m)
{
	dataset_info_release(&m->info);
	indic_result_release(&m->res);
	indic_shift_release(&m->sh);
	cube_release(&m->cube);
}

int cmap_related(const struct cmap *m, struct related *rel, struct kerr *e)
{
	long long gen = m->info.generation;
	if (gen >= 0 && dscache_related_get(m->info.id, gen, m->year, rel))
		return 0;
	if (related_compute(&m->cube, m->year, rel, e))
		return -1;
	if (gen >= 0)
		dscache_related_put(m->info.id, gen, m->year, rel);
	return 0;
}

static int first_dataset(void *ctx, const struct dataset_info *d)
{
	char **name = ctx;
	*name = xstrdup(d->name);
	return 1;
}

/* Adds a sentence to m->notice (after those before it).  A sentence whose last words were cut
 * short ("…", esc_cut) ends with the ellipsis alone, not "…." */
static void notice_add(struct cmap *m, const char *fmt, ...)
{
	static const char cut_end[] = "\xe2\x80\xa6.";
	size_t n = strlen(m->notice), len;
	va_list ap;
	if (n && n + 1 < sizeof(m->notice))
		m->notice[n++] = ' ';
	va_start(ap, fmt);
	vsnprintf(m->notice + n, sizeof(m->notice) - n, fmt, ap);
	va_end(ap);
	len = strlen(m->notice);
	if (len >= n + sizeof(cut_end) - 1 && strcmp(m->notice + len - (sizeof(cut_end) - 1), cut_end) == 0)
		m->notice[len - 1] = '\0';
}

/* Why a query parameter's value v is not text, "" when it is: a value that is not UTF-8
 * (Latin-2 bytes, %C5 alone) or holds a control character (C0, DEL, C1) is never a code, a
 * name or a number, so it is refused rather than matched against nothing or echoed. */
static const char *arg_not_text(const struct req *r, const char *v, char *why, size_t n)
{
	unsigned cc;
	*why = '\0';
	if (!v)
		return why;
	if (!utf8_valid(v, strlen(v)))
		snprintf(why, n, "%s", L_msg(r, "wartość nie jest tekstem UTF-8 (zakoduj w adresie bajty UTF-8 każdego "
					     "znaku: ł to %C5%82)",
					 "the value is not UTF-8 text (percent-encode the UTF-8 bytes of each character: "
					     "ł is %C5%82)"));
	else if ((cc = text_control(v)) != 0)
		snprintf(why, n, L_msg(r, "wartość zawiera znak sterujący (U+%04X): podaj ją bez tabulacji, końców "
				       "wierszy i innych znaków sterujących",
				   "the value holds a control character (U+%04X): give it without tabs, line breaks "
				       "or other control characters"), cc);
	return why;
}

static const char *arg_refused(struct req *r, const char *name, char *why, size_t n);

/* A query parameter of the cluster map's routes as cmap_load and the handlers read it: NULL
 * when it is given twice or is not text (arg_refused), which the route has refused (the API) or shows refused
 * (a page, which leaves the choice out). */
const char *cmap_arg(struct req *r, const char *name)
{
	char why[200];
	return *arg_refused(r, name, why, sizeof(why)) ? NULL : req_arg(r, name);
}

/* Why the query parameter name is refused, "" when it is not: given more than once (which of
 * its values was meant cannot be known: the first would be read and the others dropped unseen),
 * or a value that is not text (arg_not_text). */
static const char *arg_refused(struct req *r, const char *name, char *why, size_t n)
{
	size_t times = req_arg_count(r, name);
	if (times > 1) {
		snprintf(why, n, L_msg(r, "parametr podano w adresie %zu razy: podaj go raz",
				       "the parameter is given %zu times in the address: give it once"), times);
		return why;
	}
	return arg_not_text(r, req_arg(r, name), why, n);
}

/* web.h: the parameters names must be given once and be text (arg_refused). */
int web_args_text(struct req *r, const char *const *names, struct kerr *e)
{
	char why[200];
	for (; *names; names++)
		if (*arg_refused(r, *names, why, sizeof(why)))
			return kerr_set(e, KERR_INPUT, "%s: %s", *names, why);
	return 0;
}

/* The parameters of names refused (arg_refused), each a line "name: why" added to refused
 * (lines apart by "\n"): a page's choices refused, shown above its form. */
void cmap_args_refused(struct req *r, const char *const *names, struct buf *refused)
{
	char why[200];
	for (; *names; names++)
		if (*arg_refused(r, *names, why, sizeof(why)))
			buf_printf(refused, "%s%s: %s", refused->len ? "\n" : "", *names, why);
}

/* 1 when s is not written as a year: digits alone (not " 2023" or "+2023"), at most 9999. */
static int not_a_year(const char *s)
{
	char *end;
	long y = strtol(s, &end, 10);
	return !isdigit((unsigned char)*s) || *end || y < 0 || y > 9999;
}

/* The index in c of the year written s ("2023": digits alone, as the form writes it — not
 * " 2023" or "+2023", which strtol would take), or (size_t)-1 when s is not a year of c (a
 * dataset without years has none: its one period is year 0 inside, never asked for). */
static size_t year_index(const struct cube *c, const char *s)
{
	char *end;
	long y = strtol(s, &end, 10);
	return !isdigit((unsigned char)*s) || *end || y <= 0 || y > 9999 ? (size_t)-1 : cube_year(c, (int)y);
}

/* The industry of c that is code under the other of the two ways NACE
 * divisions are written: "C29" (Eurostat, with the section letter) and "29"
 * (PKD, Statistics Poland); (size_t)-1 when there is none. */
static size_t same_industry(const struct cube *c, const char *code)
{
	size_t i, n = strlen(code);
	if (n == 3 && isupper((unsigned char)code[0]) && isdigit((unsigned char)code[1]) &&
	    isdigit((unsigned char)code[2]))
		return cube_industry(c, code + 1);
	if (n == 2 && isdigit((unsigned char)code[0]) && isdigit((unsigned char)code[1]))
		for (i = 0; i < c->nind; i++)
			if (strlen(c->ind[i]) == 3 && isupper((unsigned char)c->ind[i][0]) &&
			    strcmp(c->ind[i] + 1, code) == 0)
				return i;
	return (size_t)-1;
}

/* The section of c that holds the NACE/PKD division code ("C29" or "29"; NACE Rev. 2 and PKD
 * 2007 share their divisions and sections, which the pkd reference table relates), for a dataset
 * of sections such as the powiat one; (size_t)-1 when code is no division, the table does not
 * know it (or gives another section than its letter), or c has no such section. */
static size_t division_section(struct req *r, const struct cube *c, const char *code)
{
	char div[3], *sec;
	size_t n = strlen(code), at = (size_t)-1;
	if (n == 3 && isupper((unsigned char)code[0]) && isdigit((unsigned char)code[1]) &&
	    isdigit((unsigned char)code[2]))
		memcpy(div, code + 1, 2);
	else if (n == 2 && isdigit((unsigned char)code[0]) && isdigit((unsigned char)code[1]))
		memcpy(div, code, 2);
	else
		return (size_t)-1;
	div[2] = '\0';
	sec = dir_pkd_section(r->db, 2007, div);
	if (sec && (n == 2 || (sec[0] == code[0] && !sec[1])))
		at = cube_industry(c, sec);
	free(sec);
	return at;
}

/* The industry a map opens with: the highest LQ (of at least 100
 * employed) among the industries with employment in three quarters of the
 * regions or more, so that the map is mostly filled; any industry when
 * none is that widespread. */
static size_t default_industry(const struct cmap *m)
{
	double best = -1, best_any = -1;
	size_t rr, ii, pick = 0, pick_any = 0, nreg = 0;
	for (rr = 0; rr < m->cube.nreg; rr++)
		nreg += !cube_absent(&m->cube, m->year, rr);
	for (ii = 0; ii < m->cube.nind; ii++) {
		size_t have = 0;
		double top = -1;
		for (rr = 0; rr < m->cube.nreg; rr++) {
			size_t c = cube_at(&m->cube, m->year, rr, ii);
			double v = m->res.lq[c];
			have += m->cube.emp[c] > 0;   /* a region with employment there (not NAN, not 0) */
			if (!isnan(v) && v > top && m->cube.emp[c] >= 100)
				top = v;
		}
		if (top > best_any) {
			best_any = top;
			pick_any = ii;
		}
		if (4 * have >= 3 * nreg && top > best) {
			best = top;
			pick = ii;
		}
	}
	return best >= 0 ? pick : pick_any;
}

/* Reads dataset, industry, indicator, year and base from the query string
 * and computes the indicators; -1 with e (KERR_INPUT/NOTFOUND for the
 * user, in the page's language).  base is all (the default; empty is all)
 * or traded, which the dataset must have traded flags for.  An industry,
 * year or base the dataset does not have is an error (KERR_INPUT naming
 * the field) unless page is set: the page then shows the dataset's
 * default instead and says so in m->notice, as after choosing another
 * dataset in the form, which keeps the industry chosen for the first. */
/* A region without employment in traded industries in a year computed under io
 * (so without an LQ against them): 1 with its indices, else 0. */
static int traded_gap_find(const struct cube *c, const struct indic_opts *io, size_t *ry, size_t *rr)
{
	size_t y, g, i;
	if (!c->traded)
		return 0;
	for (y = 0; y < c->nyear; y++) {
		if (io->only_year >= 0 && c->year[y] != io->only_year && c->year[y] != io->also_year)
			continue;
		for (g = 0; g < c->nreg; g++) {
			double s = 0;
			if (cube_absent(c, y, g))
				continue;
			for (i = 0; i < c->nind; i++) {
				double v = c->emp[cube_at(c, y, g, i)];
				if (c->traded[i] == 1 && v > 0)
					s += v;
			}
			if (!(s > 0)) {
				*ry = y;
				*rr = g;
				return 1;
			}
		}
	}
	return 0;
}

/* "region R has no employment in traded industries in Y" in the portal's words: in Polish for a
 * Polish page or download, in English for the API and English pages. */
static void traded_gap_text(struct req *r, const struct cube *c, size_t y, size_t rr, char *out, size_t size)
{
	int pl = req_polish(r) && !req_is_api(r);
	char yin[24] = "";
	if (c->year[y])
		snprintf(yin, sizeof(yin), pl ? " w roku %d" : " in %d", c->year[y]);
	snprintf(out, size, pl ? "region %s nie ma zatrudnienia w branżach ponadlokalnych%s"
			       : "region %s has no employment in traded industries%s", c->reg[rr], yin);
}

/*
 * After indic_compute failed (e) with io: when the base is traded and a
 * region of a year computed has no employment in traded industries (so no
 * LQ against them), the page shows the LQs against all industries with a
 * notice (0), the API and the downloads get a 400 naming the region and
 * year in words for the portal (-1); any other failure stays as it is (-1).
 */
static int traded_gap(struct req *r, struct cmap *m, int page, struct indic_opts *io, struct kerr *e)
{
	size_t y, rr;
	char what[160];
	int pl = req_polish(r) && !req_is_api(r);   /* the API speaks English */
	if (m->base != INDIC_BASE_TRADED || e->kind != KERR_INPUT || !traded_gap_find(&m->cube, io, &y, &rr))
		return -1;
	traded_gap_text(r, &m->cube, y, rr, what, sizeof(what));
	if (!page)
		return kerr_set(e, KERR_INPUT, pl ? "base: %s, więc LQ względem nich nie istnieje (wybierz base=all)"
					      : "base: %s, so there is no LQ against them (choose base=all)", what);
	if (pl)
		notice_add(m, "Region %s, więc LQ względem nich nie istnieje: pokazano LQ względem wszystkich branż.",
			   what + strlen("region "));
	else
		notice_add(m, "Region %s, so there is no LQ against them: LQs against all industries are shown.",
			   what + strlen("region "));
	kerr_clear(e);
	m->base = io->base = INDIC_BASE_ALL;
	return indic_compute(&m->cube, io, &m->res, e);
}

/* The page speaks its language; the API and the downloads English. */
#define LP(pl, en) (page ? L(r, pl, en) : L_msg(r, pl, en))   /* the API English, a download the page's */
/* The regions a change cannot compare, as `klaster map shift-share` names them
 * (mapping_shift_notice): those with data in one of its two years, which the table, the API
 * and the download keep with that year's employment and every component empty, and those
 * with data in neither, which have no row. */
static void shift_regions_notice(struct req *r, struct cmap *m, int page)
{
	static const unsigned char only[2] = { INDIC_SHIFT_HAS1, INDIC_SHIFT_HAS0 };
	struct buf t = BUF_INIT, codes = BUF_INIT;
	size_t k;
	int y0 = m->sh.year0, y1 = m->sh.year1;
	if (m->sh.one_year_regions) {
		for (k = 0; k < 2; k++) {
			buf_reset(&codes);
			if (mapping_shift_regions(&codes, &m->cube, &m->sh, only[k], 5))
				buf_printf(&t, LP("%sbrak danych za %d: %s", "%snone in %d: %s"), t.len ? "; " : "",
					   k ? y1 : y0, codes.ptr);
		}
		notice_add(m, LP("Regiony z danymi tylko z jednego z lat %d i %d (%s) są w tabeli z pustym zatrudnieniem "
				 "roku bez danych i pustymi składowymi.",
				 "Regions with data in only one of %d and %d (%s) are listed with every component empty "
				 "and no employment for the year they lack."), y0, y1, t.ptr);
	}
	if (m->sh.no_year_regions) {
		buf_reset(&codes);
		mapping_shift_regions(&codes, &m->cube, &m->sh, 0, 5);
		notice_add(m, LP("Regiony bez danych za %d i %d nie są w tabeli: %s.",
				 "Regions with no data in %d or %d are not listed: %s."), y0, y1, codes.ptr);
	}
	buf_release(&t);
	buf_release(&codes);
}

/* After indic_shift_share failed with e (KERR_INPUT) for a change from year y0: the message
 * names from=, the first year, which the user can change, and speaks the portal's words — in
 * Polish for a Polish page or download, in English for the API — instead of the library's
 * English sentence alone (which a Polish page showed as it was, without naming a parameter). */
static void shift_error_words(struct req *r, struct kerr *e)
{
	int a, b, c, d;
	size_t n;
	char msg[sizeof(e->msg)];
	if (!req_polish(r) || req_is_api(r)) {
		kerr_prefix(e, "from");
		return;
	}
	if (sscanf(e->msg, "the regions have no employment in %d in the cells known in both %d and %d (%zu cell",
		   &a, &b, &c, &n) == 4)
		snprintf(msg, sizeof(msg), "from: regiony nie mają zatrudnienia w roku %d w komórkach znanych w obu latach, "
			 "%d i %d (komórki z wartością tylko w jednym z tych lat, pominięte w sumach: %zu), więc nie da się "
			 "obliczyć dynamiki od roku %d", a, b, c, n, a);
	else if (sscanf(e->msg, "the reference economy has no employment in %d, so growth from %d", &a, &d) == 2)
		snprintf(msg, sizeof(msg), "from: gospodarka odniesienia nie ma zatrudnienia w roku %d, więc nie da się "
			 "obliczyć dynamiki od roku %d", a, d);
	else {
		kerr_prefix(e, "from");
		return;
	}
	kerr_set(e, KERR_INPUT, "%s", msg);
}

/* The choices of another page that m's links keep (struct cmap's carry_*): the industry shown
 * (the map: profile 0) or asked for, an indicator other than the LQ, from= when a year. */
static void cmap_carry(struct req *r, struct cmap *m, int profile)
{
	const char *ind = cmap_arg(r, "industry"), *indicator = cmap_arg(r, "indicator"), *from = cmap_arg(r, "from");
	size_t at;
	if (!profile && m->ind < m->cube.nind)
		m->carry_ind = m->cube.ind[m->ind];
	else if (ind && (at = cube_industry(&m->cube, ind)) != (size_t)-1)
		m->carry_ind = m->cube.ind[at];
	/* the map reads its indicator (m->indicator, what it shows); a profile and the related
	 * industries keep the one they were opened with */
	if (profile && indicator && strcmp(indicator, "lq") != 0 && strlen(indicator) < sizeof(m->carry_indicator)) {
		struct kerr e = KERR_INIT;
		if (mapping_indicator_check(indicator, &e) == 0)
			snprintf(m->carry_indicator, sizeof(m->carry_indicator), "%s", indicator);
	}
	if (from && *from && !not_a_year(from) && (at = year_index(&m->cube, from)) != (size_t)-1)
		m->carry_from = m->cube.year[at];
}

/* The parameters cmap_load reads: of a map (and its downloads), of a region's profile. */
static const char *const cmap_params[] = { "dataset", "industry", "indicator", "band_km", "year", "to",
					   "from", "base", NULL };
static const char *const cmap_profile_params[] = { "dataset", "region", "feature", "year", "from", "base", NULL };
int cmap_load(struct req *r, struct cmap *m, char **dsname, int flags, struct kerr *e)
{
	int page = flags & CMAP_PAGE, profile = flags & CMAP_PROFILE;
	/* a region profile has no industry, indicator or hot spots: it does not read them */
	const char *ds = cmap_arg(r, "dataset"), *ind = profile ? NULL : cmap_arg(r, "industry");
	const char *indicator = profile || (flags & CMAP_NO_INDICATOR) ? NULL : cmap_arg(r, "indicator");
	const char *band = profile || (flags & CMAP_NO_BAND) ? NULL : cmap_arg(r, "band_km");
	const char *year = flags & CMAP_NO_YEAR ? NULL : cmap_arg(r, "year");
	const char *base = flags & CMAP_NO_BASE ? NULL : cmap_arg(r, "base");
	/* a change's last year: year's other name */
	const char *to = profile || (flags & CMAP_NO_YEAR) ? NULL : cmap_arg(r, "to");
	/* the first year of a change, or the year a profile compares with (cregion_from) */
	const char *from = flags & CMAP_NO_FROM ? NULL : cmap_arg(r, "from");
	const char *year_name = "year";   /* the parameter that gave the year, as its messages name it */
	struct indic_opts io = INDIC_OPTS_INIT;
	char c40[41];
	size_t k;
	memset(m, 0, sizeof(*m));
	*dsname = NULL;
	/* a value that is not text is a 400 naming it on the API and the downloads; the pages show
	 * it refused above their form (args_refused) and read it as absent (cmap_arg) */
	if (!page && web_args_text(r, profile ? cmap_profile_params : cmap_params, e))
		return -1;
	if (req_lang_arg(r))   /* a language asked for in the address (not the cookie's) goes on in every link */
		memcpy(m->lang, req_lang_arg(r), 3);
	if (band && *band &&
	    web_km_value(r, "band_km", band, REGION_BAND_KM_MIN, REGION_BAND_KM_MAX, &m->band_km, e))
		return -1;
	m->base = INDIC_BASE_ALL;
	if (base && *base) {
		if (strcmp(base, "traded") == 0)
			m->base = INDIC_BASE_TRADED;
		else if (strcmp(base, "all") != 0 && page)   /* the page names the form's choices */
			return kerr_set(e, KERR_INPUT, L(r, "base: „%s” to nie „wszystkie branże” ani „branże "
							   "ponadlokalne”",
							 "base: '%s' is neither 'all industries' nor 'traded industries'"),
					esc_cut(c40, base, 40));
		else if (strcmp(base, "all") != 0)
			return kerr_set(e, KERR_INPUT, LP("base: „%s” to nie all ani traded",
							"base: '%s' is not one of all, traded"), esc_cut(c40, base, 40));
	}
	if (!ds || !*ds) {
		if (dataset_list(r->db, first_dataset, dsname, e))
			return -1;
		if (!*dsname)
			return kerr_set(e, KERR_NOTFOUND, "%s", LP("Brak zbiorów danych: klaster import stats …",
								 "No datasets yet: klaster import stats …"));
		ds = *dsname;
	}
	if (strlen(ds) > 60)
		return kerr_set(e, KERR_INPUT, "%s", LP("dataset: za długa nazwa", "dataset: too long"));
	m->indicator = "lq";
	if (indicator && *indicator) {
		for (k = 0; k < NIND; k++)
			if (strcmp(indicators[k].key, indicator) == 0)
				m->indicator = indicators[k].key;
		if (strcmp(m->indicator, indicator) != 0 && page) {
			/* the page names the form's choices, in its language */
			struct buf all = BUF_INIT;
			for (k = 0; k < NIND; k++)
				buf_printf(&all, "%s%s", k ? ", " : "", L(r, indicators[k].pl, indicators[k].en));
			kerr_set(e, KERR_INPUT, L(r, "indicator: „%s” to żaden ze wskaźników: %s",
						  "indicator: '%s' is none of the indicators: %s"),
				 esc_cut(c40, indicator, 40), all.ptr);
			buf_release(&all);
			return -1;
		}
		if (strcmp(m->indicator, indicator) != 0)
			return kerr_set(e, KERR_INPUT, LP("indicator: „%s” to żaden z: lq, employment, share_of_region,"
							    " share_of_industry, stars, strong, strong10, growth, regional_shift",
							 "indicator: '%s' is not one of lq, employment, share_of_region,"
							    " share_of_industry, stars, strong, strong10, growth, regional_shift"),
					esc_cut(c40, indicator, 40));
	}
	m->change = mapping_is_change(m->indicator);
	if (dataset_load(r->db, ds, &m->cube, &m->info, e)) {
		if (e->kind == KERR_NOTFOUND)
			kerr_set(e, KERR_NOTFOUND, LP("Nie ma zbioru danych „%s”.", "There is no dataset '%s'."), ds);
		return -1;
	}
	m->year = m->cube.nyear - 1;
	if (to && *to) {
		if (year && *year && strcmp(year, to) != 0)
			return kerr_set(e, KERR_INPUT, LP("to: %.12s to inny rok niż year %.12s (to i year to ten sam, ostatni "
							  "rok zmiany: podaj jeden z nich)",
							  "to: %.12s is another year than year %.12s (to and year both name the "
							  "change's last year: give one of them)"), to, year);
		year = to;
		year_name = "to";
	}
	/* a year not written as one is refused whatever the indicator, on the page too (above its
	 * form): from= as well, which only a change reads, so that a mistyped one is not a map
	 * silently of something else */
	if (year && *year && not_a_year(year)) {
		char y12[13];
		return kerr_set(e, KERR_INPUT, L_msg(r, "%s: „%s” nie jest rokiem (liczba całkowita)",
						     "%s: '%s' is not a year (a whole number)"), year_name,
				esc_cut(y12, year, 12));
	}
	if (!profile && from && *from && not_a_year(from)) {
		char y12[13];
		return kerr_set(e, KERR_INPUT, L_msg(r, "from: „%s” nie jest rokiem (liczba całkowita)",
						     "from: '%s' is not a year (a whole number)"), esc_cut(y12, from, 12));
	}
	if (m->change && (m->cube.nyear < 2 || !m->cube.year[0]) && page) {
		/* a change needs two years: the page of a dataset of one (chosen in the form from a
		 * map of change) shows the LQ instead, and says so */
		char t80[81];
		notice_add(m, LP("Zbiór „%s” ma dane z jednego roku: zmiany (%s) nie ma z czym porównać, pokazano LQ.",
				 "Dataset \"%s\" has data of one year: there is no change (%s) to show, the LQ is shown."),
			   esc_cut(t80, m->info.title, 80), m->indicator);
		m->indicator = "lq";
		m->change = 0;
	}
	if (m->change && (m->cube.nyear < 2 || !m->cube.year[0])) {
		/* a change needs two years: a dataset of one does not offer it */
		char t80[81];
		return kerr_set(e, KERR_INPUT, LP("indicator: %s porównuje dwa lata, a zbiór „%s” ma dane z jednego roku%s",
						  "indicator: %s compares two years, and dataset \"%s\" has data of one year%s"),
				m->indicator, esc_cut(t80, m->info.title, 80),
				m->cube.year[0] ? "" : LP(" (bez kolumny roku)", " (no year column)"));
	}
	if (m->change && m->base == INDIC_BASE_TRADED) {
		/* a change is shift-share of employment, whose national rates are the whole economy's:
		 * no LQ base enters it, so base=traded would change nothing but what the answer says.
		 * It is not applied (the page's form shows the base used, the API says "all"), and
		 * the page and the API say why. */
		if (page)
			notice_add(m, L(r, "Zmiana między latami (%s) nie zależy od bazy LQ — tempo krajowe w shift-share to "
					   "tempo całej gospodarki — więc pokazano ją bez bazy branż ponadlokalnych.",
					"A change between two years (%s) does not depend on the LQ base — the shift-share's "
					   "national rates are the whole economy's — so it is shown without the traded base."),
				   m->indicator);
		else
			notice_add(m, "base: a change between two years (%s) does not depend on the LQ base (the shift-share's "
				   "national rates are the whole economy's): base=traded is not applied", m->indicator);
		m->base = INDIC_BASE_ALL;
	}
	if (m->base == INDIC_BASE_TRADED && !m->info.has_traded) {
		if (!page)
			return kerr_set(e, KERR_INPUT, L_msg(r, "base: zbiór %s nie ma oznaczeń branż ponadlokalnych "
							 "(do base=traded zaimportuj go z kolumną traded albo z "
							 "tabelą przejścia, która ją ma)",
							 "base: dataset %s has no traded flags (import it with a traded "
							 "column, or a crosswalk with one, for base=traded)"), m->info.name);
		notice_add(m, "%s", LP("Ten zbiór nie ma oznaczeń branż ponadlokalnych: LQ względem wszystkich branż.",
				       "This dataset has no traded flags: LQs against all industries."));
		m->base = INDIC_BASE_ALL;
	}
	io.base = m->base;
	if (year && *year) {
		size_t at = year_index(&m->cube, year);
		if (at != (size_t)-1) {
			m->year = at;
		} else if (!page) {
			char y12[13];
			if (!m->cube.year[m->cube.nyear - 1])
				return kerr_set(e, KERR_INPUT, L_msg(r, "%s: zbiór nie ma lat (jeden okres): pomiń %s",
								     "%s: the dataset has no years (one period): leave %s out"),
						year_name, year_name);
			return kerr_set(e, KERR_INPUT, L_msg(r, "%s: brak danych za %s (zbiór ma lata %d–%d)",
							     "%s: no data for %s (the dataset has %d to %d)"),
					year_name, esc_cut(y12, year, 12), m->cube.year[0], m->cube.year[m->cube.nyear - 1]);
		} else if (!m->cube.year[m->cube.nyear - 1]) {
			char y12[13];
			char t80[81];
			notice_add(m, LP("Zbiór „%s” nie ma lat (jeden okres): pominięto rok %s.",
					 "Dataset \"%s\" has no years (one period): year %s is left out."),
				   esc_cut(t80, m->info.title, 80), esc_cut(y12, year, 12));
		} else {
			char y12[13];
			char t80[81];
			notice_add(m, LP("Zbiór „%s” nie ma danych za rok %s: pokazano najnowszy rok.",
					 "Dataset \"%s\" has no data for %s: the latest year is shown."),
				   esc_cut(t80, m->info.title, 80), esc_cut(y12, year, 12));
		}
	}
	if (m->change) {
		/* the first year of the change (from=, else the dataset's first), before the year shown */
		size_t k0 = 0;
		if (from && *from && (k0 = year_index(&m->cube, from)) == (size_t)-1) {
			char y12[13];
			if (!page)
				return kerr_set(e, KERR_INPUT, LP("from: brak danych za %s (zbiór ma lata %d–%d)",
								  "from: no data for %s (the dataset has %d to %d)"),
						esc_cut(y12, from, 12), m->cube.year[0], m->cube.year[m->cube.nyear - 1]);
			notice_add(m, LP("Zbiór nie ma danych za rok %s: zmiana od pierwszego roku.",
					 "The dataset has no data for %s: the change from the first year is shown."),
				   esc_cut(y12, from, 12));
			k0 = 0;
		}
		if (k0 >= m->year) {
			if (!page)
				return kerr_set(e, KERR_INPUT, LP("from: rok %d nie jest przed rokiem %d (year)",
								  "from: %d is not before year %d"),
						m->cube.year[k0], m->cube.year[m->year]);
			/* the year chosen stays, the change begins with the first year; only when the
			 * year chosen is the first does the change end with the last */
			int asked = m->cube.year[m->year];
			if (m->year == 0)
				m->year = m->cube.nyear - 1;
			notice_add(m, LP("Rok %d nie jest przed rokiem %d: pokazano zmianę od %d do %d.",
					 "%d is not before %d: the change from %d to %d is shown."), m->cube.year[k0],
				   asked, m->cube.year[0], m->cube.year[m->year]);
			k0 = 0;
		}
		m->from = k0;
		if (indic_shift_share(&m->cube, m->cube.year[m->from], m->cube.year[m->year], &m->sh, e)) {
			/* the data cannot give this change (no employment in the first year in the cells
			 * known in both): a 400 naming from, or on the page the LQ with a notice saying why,
			 * as for a dataset of one year */
			if (e->kind != KERR_INPUT)
				return -1;
			shift_error_words(r, e);
			if (!page)
				return -1;
			notice_add(m, L(r, "Zmiana %d–%d (%s): %s; pokazano LQ.", "The change %d–%d (%s): %s; the LQ is shown."),
				   m->cube.year[m->from], m->cube.year[m->year], m->indicator, e->msg + strlen("from: "));
			kerr_clear(e);
			m->indicator = "lq";
			m->change = 0;
		} else {
			shift_regions_notice(r, m, page);
		}
	}
	if (!m->change && !profile && from && *from && year_index(&m->cube, from) == (size_t)-1 && !page) {
		/* from= of a map that is not a change: not read, but a year the dataset does not have
		 * is refused as a change's is, rather than answered as if it were right (the page,
		 * whose form may keep the year of another dataset, goes on without it) */
		char y12[13];
		if (!m->cube.year[m->cube.nyear - 1])
			return kerr_set(e, KERR_INPUT, "%s", L_msg(r, "from: zbiór nie ma lat (jeden okres): pomiń from",
								   "from: the dataset has no years (one period): leave from out"));
		return kerr_set(e, KERR_INPUT, L_msg(r, "from: brak danych za %s (zbiór ma lata %d–%d)",
						     "from: no data for %s (the dataset has %d to %d)"),
				esc_cut(y12, from, 12), m->cube.year[0], m->cube.year[m->cube.nyear - 1]);
	}
	if (!(flags & CMAP_ALL_YEARS) || (year && *year) || m->band_km || m->change) {
		/* the year shown (and a profile's year compared with, when it is an earlier one) */
		io.only_year = m->cube.year[m->year];
		if (profile && from && *from) {
			size_t k0 = year_index(&m->cube, from);
			if (k0 < m->year)
				io.also_year = m->cube.year[k0];
		}
	}
	if (indic_compute(&m->cube, &io, &m->res, e)) {
		if (io.also_year < 0) {
			if (traded_gap(r, m, page, &io, e))
				return -1;
		} else {
			/* the year compared with cannot be computed (a traded base without traded
			 * employment there, say): the profile still shows the year asked, without
			 * that year's LQs */
			size_t gy, gr;
			if (m->base == INDIC_BASE_TRADED && traded_gap_find(&m->cube, &io, &gy, &gr) &&
			    m->cube.year[gy] == io.also_year)
				traded_gap_text(r, &m->cube, gy, gr, m->from_lq_error, sizeof(m->from_lq_error));
			else
				esc_cut(m->from_lq_error, e->msg, sizeof(m->from_lq_error) - 1);
			kerr_clear(e);
			io.also_year = -1;
			if (indic_compute(&m->cube, &io, &m->res, e) && traded_gap(r, m, page, &io, e))
				return -1;
		}
	}
	m->ind = default_industry(m);
	if (ind && *ind) {
		size_t at = cube_industry(&m->cube, ind);
		char i40[41];
		if (at != (size_t)-1)
			m->ind = at;
		else if (!page)
			return kerr_set(e, KERR_INPUT, L_msg(r, "industry: „%s” nie występuje w zbiorze %s",
							 "industry: '%s' is not in dataset %s"), esc_cut(i40, ind, 40),
					m->info.name);
		else if ((at = same_industry(&m->cube, ind)) != (size_t)-1) {
			/* NACE "C29" is PKD "29": the same division under the other code */
			char t80[81];
			m->ind = at;
			esc_cut(t80, m->info.title, 80);
			notice_add(m, LP("Branża %s ma w zbiorze „%s” kod %s.", "Industry %s is %s in dataset \"%s\"."),
				   esc_cut(i40, ind, 40), page && req_polish(r) ? t80 : m->cube.ind[at],
				   page && req_polish(r) ? m->cube.ind[at] : t80);
		} else if ((at = division_section(r, &m->cube, ind)) != (size_t)-1) {
			/* a division of a dataset of sections (PKD "29" of the powiats' sections): its section */
			char t80[81];
			m->ind = at;
			notice_add(m, LP("Działu %s nie ma w zbiorze „%s”, który ma sekcje: dział należy do sekcji %s, "
					 "którą pokazano.",
					 "Division %s is not in dataset \"%s\", which has sections: it is in section %s, which "
					 "is shown."),
				   esc_cut(i40, ind, 40), esc_cut(t80, m->info.title, 80), m->cube.ind[at]);
		} else {
			char t80[81], n80[81], shown[128];
			const char *nm = page ? cube_ind_name(&m->cube, m->ind, !req_polish(r)) : NULL;
			/* the industry shown instead, with its name as the choice lists it */
			snprintf(shown, sizeof(shown), "%s%s%s", m->cube.ind[m->ind], nm && *nm ? " " : "",
				 nm && *nm ? esc_cut(n80, nm, 80) : "");
			notice_add(m, LP("Branży %s nie ma w zbiorze „%s”: pokazano %s.",
					 "Industry %s is not in dataset \"%s\": showing %s."),
				   esc_cut(i40, ind, 40), esc_cut(t80, m->info.title, 80), shown);
		}
	}
	if (page)
		cmap_carry(r, m, profile);
	if (page && m->base == INDIC_BASE_TRADED && !indic_in_base(&m->cube, &m->res, m->ind))
		/* a local industry against the traded base: nothing is computed, and the map is empty */
		notice_add(m, LP("Branża %s nie jest ponadlokalna (traded): przy bazie branż ponadlokalnych nie ma jej LQ, "
				 "udziałów w regionie ani gwiazdek; wybierz bazę wszystkich branż.",
				 "Industry %s is not traded: against the traded base it has no LQ, share of the region or "
				 "stars; choose the base of all industries."), m->cube.ind[m->ind]);
	return 0;
}
#undef LP

static double value_of(const struct cmap *m, size_t r)
{
	if (m->change)
		return mapping_change_value(&m->sh, m->indicator, r, m->ind);
	return mapping_indicator_value(&m->cube, &m->res, m->indicator, cube_at(&m->cube, m->year, r, m->ind));
}


void cmap_geo_release(struct cmap_geo *cg)
{
	free(cg->place);
	free(cg->hs_place);
	memset(cg, 0, sizeof(*cg));
}

static long find_feature(const struct geo_layer *g, const char *code)
{
	size_t f;
	for (f = 0; f < g->n; f++)
		if (strcmp(g->f[f].code, code) == 0)
			return (long)f;
	return -1;
}

/* nuts_lookup on the projected map of Europe: a feature without a path lies
 * outside the frame, or is smaller than a pixel. */
static long layer_lookup(const void *ctx, const char *code, int *shown)
{
	const struct map_layer *ly = ctx;
	long f = find_feature(&ly->g, code);
	if (f >= 0 && !ly->paths[f])
		*shown = geo_bbox_overlaps(ly->g.f[f].bbox, nuts_europe_frame) ? -1 : 0;
	return f;
}

/* The voivodeships' NUTS 2013 codes, from the region table. */
struct voiv_nuts {
	char teryt[4], nuts2013[8];
};

static size_t load_voiv_nuts(struct req *r, struct voiv_nuts v[20])
{
	struct db_stmt *st;
	size_t n = 0;
	if (db_prepare(r->db, "SELECT teryt, nuts2_2013 FROM region WHERE level = 'voivodeship'"
		       " AND nuts2_2013 IS NOT NULL ORDER BY teryt", &st, NULL))
		return 0;
	while (n < 20 && db_step(st, NULL) == 1) {
		const char *a = db_col_text(st, 0), *c = db_col_text(st, 1);
		snprintf(v[n].teryt, sizeof(v[n].teryt), "%s", a ? a : "");
		snprintf(v[n].nuts2013, sizeof(v[n].nuts2013), "%s", c ? c : "");
		n++;
	}
	db_finalize(st);
	return n;
}

static const struct voiv_nuts *voiv_by_nuts2013(const struct voiv_nuts *v, size_t n, const char *code)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].nuts2013, code) == 0)
			return &v[i];
	return NULL;
}

/* A star or flag of cell k as JSON: true/false, or null when it was not computed (indic_known). */
static void json_flag(struct buf *b, const char *key, unsigned known, unsigned bit, int v)
{
	buf_printf(b, ",\"%s\":%s", key, !(known & bit) ? "null" : v ? "true" : "false");
}

/* The stars and flags of cell k: size_star … strong10. */
static void json_flags(struct buf *b, const struct cube *c, const struct indic_result *res, size_t k)
{
	unsigned kn = indic_known(c, res, k);
	json_flag(b, "size_star", kn, INDIC_KNOWN_SIZE, res->star_flags[k] & INDIC_STAR_SIZE);
	json_flag(b, "specialisation_star", kn, INDIC_KNOWN_SPEC, res->star_flags[k] & INDIC_STAR_SPEC);
	json_flag(b, "focus_star", kn, INDIC_KNOWN_FOCUS, res->star_flags[k] & INDIC_STAR_FOCUS);
	if (kn & INDIC_KNOWN_STARS)
		buf_printf(b, ",\"stars\":%d", res->stars[k]);
	else
		buf_puts(b, ",\"stars\":null");
	json_flag(b, "strong", kn, INDIC_KNOWN_STRONG, res->strong[k]);
	json_flag(b, "strong10", kn, INDIC_KNOWN_STRONG10, res->strong10[k]);
}

/* Chooses the layer and places the regions:
 *   teryt (and other): 2-digit codes on the voivodeships, 4-digit codes on
 *     the powiats (whichever codes are more common);
 *   nuts2013: the voivodeships when every region is a Polish NUTS-2 region
 *     of 2013, else the NUTS-2 regions of Europe (NUTS 2021 codes, older
 *     codes through their correspondence, nuts_place_regions). */
void cmap_geo_match(struct req *r, const struct cmap *m, struct cmap_geo *cg)
{
	struct app *app = r->app;
	struct voiv_nuts vn[20];
	size_t nvn = 0, i, n4 = 0;
	int nuts = strcmp(m->info.region_kind, "nuts2013") == 0;

	memset(cg, 0, sizeof(*cg));
	cg->place = xcalloc(m->cube.nreg + 1, sizeof(*cg->place));
	cg->g = &app->voiv;
	cg->kind = "voivodeships";
	if (nuts) {
		nvn = load_voiv_nuts(r, vn);
		for (i = 0; i < m->cube.nreg; i++)
			if (!voiv_by_nuts2013(vn, nvn, m->cube.reg[i]))
				break;
		if (i < m->cube.nreg) {
			cg->layer = &app->nuts2;
			cg->g = &app->nuts2.g;
			cg->kind = "nuts2";
		}
	} else {
		for (i = 0; i < m->cube.nreg; i++)
			n4 += strlen(m->cube.reg[i]) == 4;
		if (n4 * 2 > m->cube.nreg) {
			cg->layer = &app->powiats;
			cg->g = &app->powiats.g;
			cg->kind = "powiats";
		}
	}
	if (cg->layer == &app->nuts2) {
		if (app->nuts2.g.n)
			nuts_place_regions(m->cube.reg, m->cube.nreg, layer_lookup, &app->nuts2, cg->place);
		else
			for (i = 0; i < m->cube.nreg; i++)
				nuts_place_one(&cg->place[i], -1);
	} else {
		for (i = 0; i < m->cube.nreg; i++) {
			const struct voiv_nuts *v = nuts ? voiv_by_nuts2013(vn, nvn, m->cube.reg[i]) : NULL;
			nuts_place_one(&cg->place[i], find_feature(cg->g, nuts ? (v ? v->teryt : "") : m->cube.reg[i]));
		}
	}
	ALLOC_ARRAY(cg->hs_place, m->cube.nreg + 1);
	memcpy(cg->hs_place, cg->place, m->cube.nreg * sizeof(*cg->place));
	for (i = 0; i < m->cube.nreg; i++) {
		struct nuts_place *p = &cg->hs_place[i];
		size_t k = 1;
		if (p->why != NUTS_TOO_SMALL)
			continue;
		if (p->via)
			for (k = 0; p->via->to[k]; k++)
				;
		p->n = k;
	}
	for (i = 0; i < m->cube.nreg; i++) {
		if (cube_absent(&m->cube, m->year, i))
			continue;   /* not in the data this year */
		cg->nunmatched += !cg->place[i].n;
		cg->nvia += cg->place[i].n && cg->place[i].via;
	}
}

/* Gi* of the indicator across the regions on the map (each at the
 * centroid of the feature(s) it is drawn on), with the regions within
 * band_km as neighbours: `klaster map hotspots --regions … --band
 * 1000×band_km --star` on the same boundaries.  h is zeroed when band_km
 * is not given; -1 (KERR_INPUT, naming band_km) when fewer than two
 * regions have a value on the map. */
static int cmap_hotspots(struct req *r, const struct cmap *m, const struct cmap_geo *cg, struct mapping_hotspots *h,
			 struct kerr *e)
{
	struct spatial_getis_ord_opts go;
	int rc;
	memset(h, 0, sizeof(*h));
	if (!m->band_km)
		return 0;
	memset(&go, 0, sizeof(go));
	go.metric = SPATIAL_GEO;
	go.band = m->band_km * 1000.0;
	go.star = 1;
	rc = mapping_hotspots(&m->cube, &m->res, m->change ? &m->sh : NULL, m->year, m->ind, m->indicator, cg->g,
			      cg->hs_place, &go, h, e);
	if (rc && e->kind == KERR_INPUT && h->n < 2)   /* in the portal's words (the library's are the CLI's) */
		return kerr_set(e, KERR_INPUT, L_msg(r, "band_km: gorące punkty wymagają co najmniej dwóch regionów z "
						 "wartością wskaźnika %s i granicą na mapie, a jest ich %zu",
						 "band_km: hot spots need at least two regions with a value of %s and "
						 "a boundary on the map, and there are %zu"), m->indicator, h->n);
	if (rc) {
		kerr_prefix(e, "band_km");
		return -1;
	}
	return 0;
}

/* The name of the one boundary with a region's own code (not through a
 * correspondence): drawn, or found but too small or outside the frame to
 * draw; NULL when there is none or it has no name. */
static const char *boundary_name(const struct cmap_geo *cg, const struct nuts_place *p)
{
	if (p->via || !(p->n == 1 || p->why == NUTS_TOO_SMALL || p->why == NUTS_OUTSIDE_FRAME) || p->feat[0] < 0)
		return NULL;
	return cg->g->f[p->feat[0]].name;
}

/* A region's name: the dataset's, else that of the boundary it is drawn
 * as (one boundary, or the older region of a NUTS correspondence), or would
 * be if it were not too small or outside the frame; NULL when neither says. */
/* Industry i's name in the page's language ("" when it has none). */
const char *cmap_ind_label(const struct req *r, const struct cube *c, size_t i)
{
	const char *nm = cube_ind_name(c, i, !req_polish(r));
	return nm ? nm : "";
}

/* ,"industry_name":…,"industry_name_pl":…,"industry_name_en":… — the dataset's
 * own name (that of the downloads) and the names in each language (null
 * where not known: the page then shows industry_name). */
void cmap_json_ind_names(struct buf *b, const struct cube *c, size_t i)
{
	int k;
	buf_puts(b, ",\"industry_name\":");
	esc_json_or_null(b, c->ind_name && c->ind_name[i] && *c->ind_name[i] ? c->ind_name[i] : NULL);
	for (k = 0; k < 2; k++) {
		const char *nm = c->ind_name_lang[k] ? c->ind_name_lang[k][i] : NULL;
		buf_puts(b, k ? ",\"industry_name_en\":" : ",\"industry_name_pl\":");
		esc_json_or_null(b, nm && *nm ? nm : NULL);
	}
}

/* web_cmap.h. */
void cmap_json_num(struct buf *b, const char *key, double v)
{
	buf_printf(b, ",\"%s\":", key);
	if (isfinite(v))
		tablew_num_text(b, v);
	else
		buf_puts(b, "null");
}

const char *cmap_region_name(const struct cmap *m, const struct cmap_geo *cg, size_t rr)
{
	const struct nuts_place *p = &cg->place[rr];
	if (m->cube.reg_name && m->cube.reg_name[rr] && *m->cube.reg_name[rr])
		return m->cube.reg_name[rr];
	return mapping_place_name(cg->g, p);   /* as `klaster map indicators --region-names` names it */
}

/* The address of the shown dataset's page pg ("/cluster-map" or "/cluster-map/region") with the
 * year and base shown, and region or industry when not NULL: appended to u (URL-escaped, not yet
 * HTML-escaped). */
void cmap_url(struct buf *u, const struct cmap *m, const char *pg, const char *region, const char *industry)
{
	buf_puts(u, pg);
	buf_puts(u, "?dataset=");
	esc_url(u, m->info.name);
	if (region) {
		buf_puts(u, "&region=");
		esc_url(u, region);
	}
	if (!industry)
		industry = m->carry_ind;   /* the one shown or asked for, kept on the way back */
	if (industry) {
		buf_puts(u, "&industry=");
		esc_url(u, industry);
	}
	if (m->change)   /* a change's first year (a profile compares the year shown with it too) */
		buf_printf(u, "&from=%d", m->cube.year[m->from]);
	else if (m->carry_from)
		buf_printf(u, "&from=%d", m->carry_from);
	if (m->cube.year[m->year])
		buf_printf(u, "&year=%d", m->cube.year[m->year]);
	if (m->base == INDIC_BASE_TRADED)
		buf_puts(u, "&base=traded");
	if (m->indicator && strcmp(m->indicator, "lq") != 0)
		buf_printf(u, "&indicator=%s", m->indicator);
	else if (m->carry_indicator[0])
		buf_printf(u, "&indicator=%s", m->carry_indicator);
	if (m->lang[0])
		buf_printf(u, "&lang=%s", m->lang);
}

/* The address of the shown dataset's download (every year; base=traded when shown so), of one
 * region when region is not NULL: appended to u (URL-escaped). */
static void download_url(struct buf *u, const struct cmap *m, const char *region)
{
	buf_puts(u, "/cluster-map.csv?dataset=");
	esc_url(u, m->info.name);
	if (region) {
		buf_puts(u, "&region=");
		esc_url(u, region);
	}
	if (m->base == INDIC_BASE_TRADED)
		buf_puts(u, "&base=traded");
	if (m->lang[0])   /* a download in the page's language */
		buf_printf(u, "&lang=%s", m->lang);
}

/* Opens a link to region rr's profile (the caller closes it). */
static void profile_link(struct req *r, const struct cmap *m, size_t rr)
{
	struct buf u = BUF_INIT;
	cmap_url(&u, m, "/cluster-map/region", m->cube.reg[rr], NULL);
	html_printf(&r->out, "<a href=\"%s\">", u.ptr);
	buf_release(&u);
}

/* The region's cell of the ranked table: its name (or the boundary's), and
 * for a region drawn through the NUTS correspondence its code and the NUTS
 * 2021 region(s) it is drawn as; for a region not on the map, why. */
void cmap_region_cell(struct req *r, const struct cmap *m, const struct cmap_geo *cg, size_t rr)
{
	const struct nuts_place *p = &cg->place[rr];
	const char *code = m->cube.reg[rr];
	const char *rn = m->cube.reg_name && m->cube.reg_name[rr] && *m->cube.reg_name[rr] ? m->cube.reg_name[rr] : NULL;
	size_t k;

	buf_puts(&r->out, "<td>");
	profile_link(r, m, rr);
	if (p->via) {
		html_printf(&r->out, "%s %s</a>", code, rn ? rn : p->via->name);
		if (p->n) {
			html_printf(&r->out, " <span class=\"muted drawn-as\">%s", L(r, "— na mapie jako", "— drawn as"));
			for (k = 0; k < p->n; k++) {
				const struct geo_feature *f = &cg->g->f[p->feat[k]];
				html_printf(&r->out, "%R%s", k ? " + " : " ", f->code);
				if (f->name)
					html_printf(&r->out, " %s", f->name);
			}
			if (p->via->kind == NUTS_MERGE)
				html_printf(&r->out, " %s", L(r, "(część tego regionu)", "(of which it is a part)"));
			buf_puts(&r->out, "</span>");
		}
	} else if (rn) {
		html_printf(&r->out, "%s</a>", rn);
	} else if (boundary_name(cg, p)) {
		/* the boundary's name; on the map of Europe after the code, as the names are
		 * in each country's language and script */
		if (strcmp(cg->kind, "nuts2") == 0)
			html_printf(&r->out, "%s ", code);
		html_printf(&r->out, "%s</a>", boundary_name(cg, p));
	} else {
		html_printf(&r->out, "%s</a>", code);
	}
	if (!p->n)
		html_printf(&r->out, " <span class=\"muted\">— %s: %s</span>", L(r, "poza mapą", "not on the map"),
			    nuts_why_text(p->why, req_polish(r)));
	buf_puts(&r->out, "</td>");
}

static int option_ds(void *ctx, const struct dataset_info *d)
{
	struct req *r = ((void **)ctx)[0];
	const char *cur = ((void **)ctx)[1];
	html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", d->name,
		    strcmp(d->name, cur) == 0 ? " selected" : "", d->title);
	return 0;
}

struct rank {
	size_t r;
	double v;
	double lq;   /* ties of the value (a star count, a strong flag) by LQ, then by code */
	double emp;
	int rank;    /* by the indicator (1, 2, 2, 4), whatever the table's order */
	int lq_rank, emp_rank;   /* the same by LQ and by employment (ties_rank), for sort=lq|employment */
	char *key;   /* the name's sort key (fold_sortkey), for sort=region */
};

/* The orders of the ranked table (sort=): by the indicator, LQ or employment, highest first,
 * or by the region's name. */
enum rank_sort { RS_VALUE, RS_LQ, RS_EMPLOYMENT, RS_REGION };
static const char *const rank_sorts[] = { "value", "lq", "employment", "region" };

/* Descending by x, an unknown (NAN) last; 0 when equal. */
static int desc_cmp(double x, double y)
{
	if (isnan(x) != isnan(y))
		return isnan(x) ? 1 : -1;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Orders by the exact value, LQ and employment (highest first, unknown last), then by the
 * dataset's order: the first step of ties_rank. */
static int rank_cmp_v(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	int d = desc_cmp(x->v, y->v);
	return d ? d : (x->r > y->r) - (x->r < y->r);
}

static int rank_cmp_lq_exact(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	int d = desc_cmp(x->lq, y->lq);
	return d ? d : (x->r > y->r) - (x->r < y->r);
}

static int rank_cmp_emp_exact(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	int d = desc_cmp(x->emp, y->emp);
	return d ? d : (x->r > y->r) - (x->r < y->r);
}

/* A rank of 0 (no value) after every other. */
static int rank_asc(int x, int y)
{
	if (!x != !y)
		return !x ? 1 : -1;
	return (x > y) - (x < y);
}

/* The table's orders, by ranks rather than exact values, so that values one to the rules
 * (indic_same) are ordered by what follows, not by a difference in the 16th digit: by the
 * indicator's rank, then LQ's, then the dataset's order; by LQ's rank, then the indicator's;
 * by employment's rank, then the indicator's. */
static int rank_cmp(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	int d = rank_asc(x->rank, y->rank);
	if (!d)
		d = rank_asc(x->lq_rank, y->lq_rank);
	return d ? d : (x->r > y->r) - (x->r < y->r);
}

static int rank_cmp_lq(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	int d = rank_asc(x->lq_rank, y->lq_rank);
	return d ? d : rank_cmp(a, b);
}

static int rank_cmp_emp(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	int d = rank_asc(x->emp_rank, y->emp_rank);
	return d ? d : rank_cmp(a, b);
}

/* A row's value of field f (0: the indicator, 1: LQ, 2: employment) and its rank by it. */
static double rank_value(const struct rank *x, int f)
{
	return f == 0 ? x->v : f == 1 ? x->lq : x->emp;
}

static int *rank_slot(struct rank *x, int f)
{
	return f == 0 ? &x->rank : f == 1 ? &x->lq_rank : &x->emp_rank;
}

/* The ranks of the n rows by field f (rank_value), highest 1, equal values (indic_same, each
 * with the one before it) sharing one (1, 2, 2, 4), no value 0; the rows are left in that
 * value's exact order. */
static void ties_rank(struct rank *rk, size_t n, int f)
{
	static int (*const cmp[])(const void *, const void *) = { rank_cmp_v, rank_cmp_lq_exact, rank_cmp_emp_exact };
	size_t i;
	qsort(rk, n, sizeof(*rk), cmp[f]);
	for (i = 0; i < n; i++) {
		double v = rank_value(&rk[i], f);
		*rank_slot(&rk[i], f) = isnan(v) ? 0
			: i == 0 || !indic_same(v, rank_value(&rk[i - 1], f)) ? (int)i + 1 : *rank_slot(&rk[i - 1], f);
	}
}

static int rank_cmp_region(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	int d = strcmp(x->key, y->key);
	return d ? d : (x->r > y->r) - (x->r < y->r);
}

/* Whether region i has a row in the table and the API: data in the year shown, or for a change
 * in one of its two years at least (as `klaster map shift-share` lists it: mapping_write_shift). */
static int cmap_has_row(const struct cmap *m, size_t i)
{
	return m->change ? m->sh.has[i] != 0 : !cube_absent(&m->cube, m->year, i);
}

/* The rows of the ranked table: the regions of the year from the highest value of the
 * indicator (ties by LQ, then in the dataset's order; no value last; values one to the rules
 * tied: indic_same), each with its rank by
 * the indicator (equal values share it: 1, 2, 2, 4; 0 for a region without a value) — the
 * page's ranks, which the API gives too.  *n rows; the caller frees them. */
static struct rank *cmap_ranks(const struct cmap *m, size_t *n)
{
	struct rank *rk = xcalloc(m->cube.nreg + 1, sizeof(*rk));
	size_t i, nrk = 0;
	for (i = 0; i < m->cube.nreg; i++) {
		size_t c = cube_at(&m->cube, m->year, i, m->ind);
		if (!cmap_has_row(m, i))
			continue;   /* not in the data this year (a change: in neither year) */
		rk[nrk].r = i;
		rk[nrk].lq = m->res.lq[c];
		rk[nrk].emp = m->cube.emp[c];
		rk[nrk++].v = value_of(m, i);
	}
	/* equal values share a rank (1, 2, 2, 4), over all the regions */
	ties_rank(rk, nrk, 2);
	ties_rank(rk, nrk, 1);
	ties_rank(rk, nrk, 0);
	qsort(rk, nrk, sizeof(*rk), rank_cmp);
	*n = nrk;
	return rk;
}

/* Under the map: the regions of the year that are not on it, by reason
 * ("boundaries changed (no correspondence): IE01, IE02; …"). */
static void unmapped_list(struct req *r, const struct cmap *m, const struct cmap_geo *cg)
{
	struct buf t = BUF_INIT;
	const unsigned char *skip = m->cube.absent ? m->cube.absent + m->year * m->cube.nreg : NULL;
	size_t n = nuts_unplaced_text(&t, m->cube.reg, cg->place, m->cube.nreg, skip, req_polish(r));
	html_printf(&r->out, "<p class=\"muted unmapped\">%s (%lld): %s</p>",
		    L(r, "Regiony nienarysowane na mapie", "Regions not on the map"), (long long)n, t.ptr);
	buf_release(&t);
}

/* Shares are shown in per cent on the page (the downloads and the API keep fractions). */
static int is_share(const char *indicator)
{
	return strncmp(indicator, "share_of_", 9) == 0;
}

/* Shares and growth: in per cent on the page and its map picture. */
static int is_pct(const char *indicator)
{
	return is_share(indicator) || strcmp(indicator, "growth") == 0;
}

/* Whether dataset m offers the changes between two years (growth, regional_shift). */
static int has_changes(const struct cmap *m)
{
	return m->cube.nyear > 1 && m->cube.year[0];
}

/* " (2015–2023)" of a change, " (2023)" of one year, "" of a dataset without years: appended to b. */
static void period_text(struct buf *b, const struct cmap *m)
{
	if (m->change)
		buf_printf(b, " (%d\xe2\x80\x93%d)", m->cube.year[m->from], m->cube.year[m->year]);
	else if (m->cube.year[m->year])
		buf_printf(b, " (%d)", m->cube.year[m->year]);
}

/* Per cent on the cluster map's pages (shares, changes): always two decimals, so that the
 * columns of a table read alike; a value that is not 0 but would read 0,00 says so
 * ("< 0,01", "> −0,01").  With sign, a rise says its sign ("+2,35"). */
#define PCT_DEC 2
static void pct_text(const struct req *r, char *out, size_t n, double pct, int sign)
{
	enum draw_numstyle ns = req_polish(r) ? DRAW_NUM_PL : DRAW_NUM_EN;
	char t[48];
	if (isnan(pct)) {
		snprintf(out, n, "–");
	} else if (pct != 0 && fabs(pct) < 0.005) {
		draw_num_text(t, sizeof(t), pct > 0 ? 0.01 : -0.01, PCT_DEC, ns);
		snprintf(out, n, "%s %s", pct > 0 ? "<" : ">", t);
	} else {
		draw_num_text(t, sizeof(t), pct, PCT_DEC, ns);
		/* a rise rounded to 0,00 has no sign to say */
		snprintf(out, n, "%s%s", sign && pct > 0 && strcmp(t, "0,00") && strcmp(t, "0.00") ? "+" : "", t);
	}
}

/* A rate of growth (a fraction) as the page writes it: per cent with its sign and unit, a dash
 * alone when there is none (growth from nothing). */
static void rate_text(struct req *r, char *out, size_t n, double rate)
{
	char t[40];
	pct_text(r, t, sizeof(t), rate * 100, 1);
	snprintf(out, n, "%s%s", t, isnan(rate) ? "" : req_polish(r) ? "\xc2\xa0%" : "%");
}

/* A cell of the per cent pct (pct_text) of class cls. */
static void pct_cell_cls(struct req *r, double pct, int sign, const char *cls)
{
	char t[64];
	pct_text(r, t, sizeof(t), pct, sign);
	html_printf(&r->out, "<td class=\"%s\">%s</td>", cls, t);
}

/* The note of a dataset without establishments (the strong rule without its establishment test);
 * with one_industry, also of the industry shown when no region has a known number of
 * establishments in it that year (indic_result.est_none). */
static void est_note(struct req *r, const struct cmap *m, int one_industry)
{
	if (m->res.est_dropped)
		html_printf(&r->out, "<p class=\"muted est-note\">%s</p>",
			    L(r, "Zbiór nie ma liczby zakładów: reguła silnego klastra bez warunku liczby zakładów.",
			      "The dataset has no establishments: the strong-cluster rule is applied without its "
			      "establishment test."));
	else if (one_industry && m->res.est_none && m->res.est_none[m->year * m->cube.nind + m->ind])
		html_printf(&r->out, "<p class=\"muted est-note\">%s</p>",
			    L(r, "Żaden region nie ma znanej liczby zakładów w tej branży w tym roku: reguła silnego "
				 "klastra bez warunku liczby zakładów.",
			      "No region has a known number of establishments in this industry this year: the "
			      "strong-cluster rule is applied without its establishment test."));
}

/* A number cell of class cls in the page's language; "–" for no value. */
const char *cmap_num_text(const struct req *r, char *out, size_t n, double v, int dec)
{
	if (isnan(v))
		snprintf(out, n, "–");
	else
		draw_num_text(out, n, v, dec, req_polish(r) ? DRAW_NUM_PL : DRAW_NUM_EN);
	return out;
}

void cmap_num_cell(struct req *r, double v, int dec, const char *cls)
{
	char t[64];
	html_printf(&r->out, "<td class=\"%s\">%s</td>", cls, cmap_num_text(r, t, sizeof(t), v, dec));
}

/* A number cell of the ranked table. */
static void num_cell(struct req *r, double v, int dec)
{
	cmap_num_cell(r, v, dec, "num");
}

/* The ranked table's z, p and hot/cold cells of cube region rr (empty
 * when it is not in the computation). */
static void hotspot_cells(struct req *r, const struct mapping_hotspots *h, size_t rr)
{
	size_t i = h->at[rr];
	int spot;
	if (i == (size_t)-1 || isnan(h->g.z[i])) {
		buf_puts(&r->out, "<td class=\"num\">–</td><td class=\"num\">–</td><td></td>");
		return;
	}
	spot = spatial_spot(&h->g, i);
	num_cell(r, h->g.z[i], 2);
	if (h->g.p[i] < 0.0001)   /* not "0.0000": as the firms' hot spots write it */
		html_printf(&r->out, "<td class=\"num\">&lt; %s</td>", L(r, "0,0001", "0.0001"));
	else
		num_cell(r, h->g.p[i], 4);
	html_printf(&r->out, "<td class=\"%s\">%s</td>", spatial_spot_name(spot),
		    spot > 0 ? L(r, "gorący", "hot") : spot < 0 ? L(r, "zimny", "cold") : "");
}

/* A download's links: CSV at url (URL-escaped) named by label, and the same as XLSX; with map
 * (not NULL), beside them the map shown as SVG, PNG and PDF (h_cluster_map_image: the same
 * dataset, industry, indicator, year and base; the page's language goes with the visitor) when
 * drawable, else a word that there is no map to download (h_cluster_map_image would answer
 * "nothing to draw"). */
static void download_links_map(struct req *r, const char *cls, const char *url, const char *label,
			       const struct cmap *map, int drawable)
{
	html_printf(&r->out, "<p class=\"%s\"><a href=\"%s\" download>%s</a> · "
		    "<a href=\"%s&amp;format=xlsx\" download>XLSX</a>", cls, url, label, url);
	if (map && !drawable)
		html_printf(&r->out, " · <span class=\"muted map-download-none\">%s</span>",
			    L(r, "mapy nie ma do pobrania: żaden region na mapie nie ma wartości wskaźnika",
			      "no map to download: no region on the map has a value of the indicator"));
	if (map && drawable) {
		static const char *const exts[] = { "svg", "png", "pdf" };
		struct buf q = BUF_INIT;
		size_t k;
		/* the page's own query: dataset, industry, year, base, indicator (and the band of the
		 * hot spots it outlines) */
		cmap_url(&q, map, "", NULL, map->cube.ind[map->ind]);
		buf_printf(&q, "&indicator=%s", map->indicator);
		if (map->band_km) {
			buf_puts(&q, "&band_km=");
			esc_url(&q, req_arg(r, "band_km"));
		}
		html_printf(&r->out, " · <span class=\"map-download\">%s", L(r, "pobierz mapę:", "download the map:"));
		for (k = 0; k < sizeof(exts) / sizeof(exts[0]); k++) {
			struct buf u = BUF_INIT;
			buf_printf(&u, "/cluster-map.%s%s", exts[k], q.ptr);
			html_printf(&r->out, "%R<a href=\"%s\" download>%s</a>", k ? " · " : " ", u.ptr,
				    k == 0 ? "SVG" : k == 1 ? "PNG" : "PDF");
			buf_release(&u);
		}
		buf_puts(&r->out, "</span>");
		if (!map->change)   /* the map as a layer for a GIS (h_cluster_map_csv, format=geojson) */
			html_printf(&r->out, " · <span class=\"layer-download\">%s <a href=\"/cluster-map.csv%s&amp;format=geojson\" "
				    "download>GeoJSON</a></span>", L(r, "warstwa GIS:", "GIS layer:"), q.ptr);
		buf_release(&q);
	}
	buf_puts(&r->out, "</p>");
}

void cmap_download_links(struct req *r, const char *cls, const char *url, const char *label)
{
	download_links_map(r, cls, url, label, NULL, 0);
}

/* The cluster map form's label of field name, for an error alert that names it (web_form_errors);
 * NULL for another. */
const char *cmap_label(struct req *r, const char *name)
{
	if (strcmp(name, "indicator") == 0)
		return L(r, "Wskaźnik", "Indicator");
	if (strcmp(name, "base") == 0)
		return L(r, "Baza LQ", "LQ base");
	if (strcmp(name, "dataset") == 0)
		return L(r, "Zbiór danych", "Dataset");
	if (strcmp(name, "industry") == 0)
		return L(r, "Branża", "Industry");
	if (strcmp(name, "year") == 0)
		return L(r, "Rok", "Year");
	if (strcmp(name, "from") == 0)   /* a profile's year compared with, a change's first year */
		return strcmp(r->path, "/cluster-map/region") == 0 ? L(r, "Porównaj z rokiem", "Compare with year")
								   : L(r, "Od roku (zmiany)", "From year (changes)");
	if (strcmp(name, "voiv") == 0)
		return L(r, "Tabela: województwo", "Table: voivodeship");
	if (strcmp(name, "region") == 0)
		return L(r, "Region", "Region");
	return strcmp(name, "band_km") == 0 ? L(r, "Gorące punkty: pasmo (km)", "Hot spots: band (km)") : NULL;
}

/* A cluster-map page's beginning: the page, its heading, the tabs (tab current), the lead,
 * a choice of the form refused (error, or NULL: "field: reason", named by its label and linked
 * to it; the page is then a 400) and its form (to action) opened with the choice of dataset; the caller adds the other
 * fields and closes the form. */
void cmap_head(struct req *r, const struct cmap *m, int tab, const char *title, const char *lead,
		      const char *action, const char *error)
{
	void *ctx[2];
	page_begin(r, title);
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Mapa klastrów", "Cluster map"));
	{
		/* the other tab shows the same dataset, year and base */
		struct buf q = BUF_INIT;
		cmap_url(&q, m, "", NULL, NULL);
		web_cluster_map_tabs(r, tab, q.ptr + 1);   /* without the "?" */
		buf_release(&q);
	}
	html_printf(&r->out, "<p class=\"lead\">%s</p>", lead);
	if (error) {   /* the page shown without the choices refused: a 400 */
		r->status = 400;
		web_form_errors(r, error, cmap_label);
	}
	html_printf(&r->out, "<form class=\"filters\" action=\"%s\" method=\"get\">", action);
	if (m->lang[0])   /* the language asked for in the address stays after the form is sent */
		html_printf(&r->out, "<input type=\"hidden\" name=\"lang\" value=\"%s\">", m->lang);
	html_printf(&r->out, "<div><label for=\"f-dataset\">%s</label><select id=\"f-dataset\" name=\"dataset\"%R>",
		    L(r, "Zbiór danych", "Dataset"), web_invalid(r, "dataset"));
	ctx[0] = r;
	ctx[1] = m->info.name;
	dataset_list(r->db, option_ds, ctx, NULL);
	buf_puts(&r->out, "</select></div>");
}

/* Whether the page's error alert names field name: the field is then drawn even where the dataset
 * leaves it nothing to choose, so that the alert's link to it lands on it. */
static int field_refused(const struct req *r, const char *name)
{
	return *web_invalid(r, name) != '\0';
}

void cmap_year_field(struct req *r, const struct cmap *m)
{
	size_t i;
	if (m->cube.nyear > 1 || field_refused(r, "year")) {
		html_printf(&r->out, "<div><label for=\"f-year\">%s</label><select id=\"f-year\" name=\"year\"%R>",
			    m->change ? L(r, "Do roku", "To year") : L(r, "Rok", "Year"), web_invalid(r, "year"));
		for (i = m->cube.nyear; i-- > 0;)
			if (m->cube.year[i])
				html_printf(&r->out, "<option value=\"%d\"%R>%d</option>", m->cube.year[i],
					    i == m->year ? " selected" : "", m->cube.year[i]);
			else   /* a dataset without years: its one period */
				html_printf(&r->out, "<option value=\"\" selected>%s</option>", L(r, "bez roku", "no year"));
		buf_puts(&r->out, "</select></div>");
	}
}

/* web_cmap.h. */
void cmap_name_regions(struct cmap *m, const struct cmap_geo *cg)
{
	size_t i;
	if (!m->cube.reg_name)
		m->cube.reg_name = xcalloc(m->cube.nreg + 1, sizeof(char *));
	for (i = 0; i < m->cube.nreg; i++) {
		const char *nm = m->cube.reg_name[i] && *m->cube.reg_name[i] ? NULL : cmap_region_name(m, cg, i);
		if (nm && *nm) {
			free(m->cube.reg_name[i]);
			m->cube.reg_name[i] = xstrdup(nm);
		}
	}
}

/* The form's year (cmap_year_field) and LQ base (cmap_base_field). */
static void cmap_year_base(struct req *r, const struct cmap *m)
{
	cmap_year_field(r, m);
	cmap_base_field(r, m);
}

void cmap_base_field(struct req *r, const struct cmap *m)
{
	if (m->info.has_traded)
		html_printf(&r->out, "<div><label for=\"f-base\">%s</label><select id=\"f-base\" name=\"base\"%R>"
			    "<option value=\"all\"%R>%s</option><option value=\"traded\"%R>%s</option></select></div>",
			    cmap_label(r, "base"), web_invalid(r, "base"), m->base == INDIC_BASE_ALL ? " selected" : "",
			    L(r, "wszystkie branże", "all industries"), m->base == INDIC_BASE_TRADED ? " selected" : "",
			    L(r, "branże ponadlokalne (traded)", "traded industries"));
	else if (field_refused(r, "base"))   /* no traded flags: all industries is the only base */
		html_printf(&r->out, "<div><label for=\"f-base\">%s</label><select id=\"f-base\" name=\"base\"%R>"
			    "<option value=\"all\" selected>%s</option></select></div>",
			    cmap_label(r, "base"), web_invalid(r, "base"), L(r, "wszystkie branże", "all industries"));
}

/* The page's address with the table in another order (sort; "value" is the default, left out)
 * and the voivodeship of its filter (voiv; NULL: all): into u. */
static void table_url(struct buf *u, struct req *r, const struct cmap *m, const char *sort, const char *voiv)
{
	cmap_url(u, m, "/cluster-map", NULL, m->cube.ind[m->ind]);
	buf_printf(u, "&indicator=%s", m->indicator);
	if (m->band_km) {
		buf_puts(u, "&band_km=");
		esc_url(u, req_arg(r, "band_km"));
	}
	if (voiv) {
		buf_puts(u, "&voiv=");
		esc_url(u, voiv);
	}
	if (strcmp(sort, "value") != 0)
		buf_printf(u, "&sort=%s", sort);
	buf_puts(u, "#ranking");
}

/* The choice a page's load refused, by the parameter its message names: the CMAP_NO_* flag that
 * loads the page without it (band_km, indicator, base, year or to, from), or 0 for another
 * problem, which the page cannot go round. */
static int refused_choice(const char *msg)
{
	static const struct {
		const char *prefix;
		int flag;
	} choices[] = {
		{ "band_km: ", CMAP_NO_BAND },
		{ "indicator: ", CMAP_NO_INDICATOR },
		{ "base: ", CMAP_NO_BASE },
		{ "year: ", CMAP_NO_YEAR },
		{ "to: ", CMAP_NO_YEAR },
		{ "from: ", CMAP_NO_FROM },
	};
	size_t k;
	for (k = 0; k < sizeof(choices) / sizeof(choices[0]); k++)
		if (strncmp(msg, choices[k].prefix, strlen(choices[k].prefix)) == 0)
			return choices[k].flag;
	return 0;
}

/* A column heading of the ranked table that orders it (a link; aria-sort on the current one). */
static void sort_th(struct req *r, const struct cmap *m, const char *cls, const char *label, enum rank_sort col,
		    enum rank_sort cur, const char *voiv)
{
	struct buf u = BUF_INIT;
	table_url(&u, r, m, rank_sorts[col], voiv);
	html_printf(&r->out, "<th scope=\"col\"%R%s%R%R><a href=\"%s\">%s</a></th>", *cls ? " class=\"" : "", cls,
		    *cls ? "\"" : "", col != cur ? "" : col == RS_REGION ? " aria-sort=\"ascending\"" : " aria-sort=\"descending\"",
		    u.ptr, label);
	buf_release(&u);
}

/* The map page's notice of the regions of the year whose cell of the industry shown has no value
 * (confidential or missing; of either year of a change), named (the first five), and what that
 * does: drawn without data, and counted as 0 in the totals (the industry's other LQs a little
 * higher), or left out of the industry's growth — unless no region has one (the note under the
 * map says so).  The command line says the same of a file. */
static void unknown_cells_notice(struct req *r, struct cmap *m)
{
	struct buf names = BUF_INIT;
	size_t i, n = 0, present = 0;
	char when[40] = "";
	if (m->ind >= m->cube.nind)
		return;
	for (i = 0; i < m->cube.nreg; i++) {
		int unknown = !cube_absent(&m->cube, m->year, i) &&
			      isnan(m->cube.emp[cube_at(&m->cube, m->year, i, m->ind)]);
		present += !cube_absent(&m->cube, m->year, i);
		if (m->change && !cube_absent(&m->cube, m->from, i) &&
		    isnan(m->cube.emp[cube_at(&m->cube, m->from, i, m->ind)]))
			unknown = 1;
		if (!unknown)
			continue;
		if (n++ < 5) {
			const char *nm = m->cube.reg_name ? m->cube.reg_name[i] : NULL;
			buf_printf(&names, "%s%s%s%s%s", n > 1 ? ", " : "", nm && *nm ? nm : "", nm && *nm ? " (" : "",
				   m->cube.reg[i], nm && *nm ? ")" : "");
		}
	}
	if (n > 5)
		buf_puts(&names, ", …");
	/* the years the cells are of: a change's two, the year shown, none for a dataset without years */
	if (m->change)
		snprintf(when, sizeof(when), L(r, " w %d lub %d", " in %d or %d"), m->cube.year[m->from],
			 m->cube.year[m->year]);
	else if (m->cube.year[m->year])
		snprintf(when, sizeof(when), L(r, " w %d", " in %d"), m->cube.year[m->year]);
	/* an industry without a value anywhere: the page's note under the map says so */
	if (n && n < present && !buf_failed(&names))
		notice_add(m, m->change ? L(r, "Regiony bez wartości branży %s%s (poufne lub brakujące): %s. Na mapie są "
					       "bez danych, a dynamikę branży liczy się bez nich.",
					    "Regions without a value of industry %s%s (confidential or missing): %s. They "
					       "are drawn without data, and the industry's growth is computed without them.")
					: L(r, "Regiony bez wartości branży %s%s (poufne lub brakujące): %s. Na mapie są bez "
					       "danych, a w sumach liczą się jako 0, więc pozostałe LQ branży są nieco wyższe.",
					    "Regions without a value of industry %s%s (confidential or missing): %s. They are "
					       "drawn without data and count as 0 in the totals, so the industry's other LQs are "
					       "slightly higher."),
			   m->cube.ind[m->ind], when, names.ptr);
	buf_release(&names);
}

void h_cluster_map(struct req *r)
{
	struct buf maplink = BUF_INIT;
	size_t ik;              /* the indicator's row of indicators[] */
	const char *ind_label;  /* its name in the page's language */
	int s10 = 0;
	int drawable = 0;       /* some region on the map has a value: the pictures have something to draw */
	unsigned char *linkable = NULL;   /* per feature of the map: a region of the year is drawn on it */
	struct cmap m;
	struct kerr e = KERR_INIT;
	char *dsname = NULL;
	double *vals;
	struct rank *rk;
	size_t i, k, nrk;
	struct map_opts mo;
	const char *cat_labels[4];
	const struct mapping_category *cat;
	const char *ind_name;
	struct cmap_geo cg;
	struct mapping_hotspots h;
	signed char *spots = NULL;
	enum rank_sort sort = RS_VALUE;
	static const char *const page_params[] = { "sort", "voiv", NULL };
	const char *sort_arg = cmap_arg(r, "sort"), *voiv = cmap_arg(r, "voiv"), *voiv_name = NULL;
	char band_error[300] = "";   /* a band_km refused, "band_km: reason" */
	struct buf refused = BUF_INIT;   /* the choices refused, "field: reason" a line */
	int skip = 0;

	memset(&cg, 0, sizeof(cg));
	memset(&h, 0, sizeof(h));
	/* values that are not text: refused the same way, the page shown without them (cmap_arg) */
	cmap_args_refused(r, cmap_params, &refused);
	cmap_args_refused(r, page_params, &refused);
	while (cmap_load(r, &m, &dsname, CMAP_PAGE | skip, &e) && e.kind == KERR_INPUT) {
		/* a band, an indicator, a base or a year the form refuses (typed into the address): a
		 * 400 with the page itself, its form keeping the band as written and the problems above
		 * it, the map without that choice (no hot spots, the LQ, all industries, the latest
		 * year, the change from the first year) */
		int flag = refused_choice(e.msg);
		char line[300];
		if (!flag || (skip & flag))
			break;
		if (flag == CMAP_NO_BAND)
			esc_cut(band_error, e.msg, sizeof(band_error) - 1);
		buf_printf(&refused, "%s%s", refused.len ? "\n" : "", esc_cut(line, e.msg, sizeof(line) - 1));
		skip |= flag;
		kerr_clear(&e);
		free(dsname);
		dsname = NULL;
		cmap_release(&m);
	}
	if (e.kind == KERR_NONE && (cmap_geo_match(r, &m, &cg), cmap_hotspots(r, &m, &cg, &h, &e)) &&
	    e.kind == KERR_INPUT) {
		/* hot spots the chosen industry cannot have (fewer than two regions with a value on the
		 * map): the page shows the map without them and says why, as for its other choices */
		notice_add(&m, L(r, "Bez gorących punktów: %s.", "No hot spots: %s."),
			   e.msg + (strncmp(e.msg, "band_km: ", 9) == 0 ? 9 : 0));
		mapping_hotspots_release(&h);
		memset(&h, 0, sizeof(h));
		m.band_km = 0;
		kerr_clear(&e);
	}
	if (e.kind != KERR_NONE) {
		free(dsname);
		buf_release(&refused);
		mapping_hotspots_release(&h);
		cmap_geo_release(&cg);
		cmap_release(&m);
		req_error(r, kerr_http_status(e.kind) == 500 ? 500 : kerr_http_status(e.kind), e.msg);
		return;
	}
	if (e.kind == KERR_NONE)
		unknown_cells_notice(r, &m);
	/* the ranked table's order and, for powiats, its voivodeship: a choice the dataset does not
	 * offer (a link kept from another dataset) is said and left out, the page still shown */
	if (sort_arg && *sort_arg) {
		for (k = 0; k < sizeof(rank_sorts) / sizeof(rank_sorts[0]) && strcmp(rank_sorts[k], sort_arg); k++)
			;
		if (k == RS_LQ && m.change) {
			/* a change between two years has no LQ column to sort by */
			notice_add(&m, "%s", L(r, "Zmiana między latami nie ma kolumny LQ: tabela od najwyższej wartości.",
					       "A change between two years has no LQ column: the table is shown highest "
					       "first."));
		} else if (k < sizeof(rank_sorts) / sizeof(rank_sorts[0])) {
			sort = (enum rank_sort)k;
		} else {
			char s40[41];
			notice_add(&m, L(r, "Nieznany porządek tabeli „%s”: tabela od najwyższej wartości.",
					 "Unknown order of the table \"%s\": the table is shown highest first."),
				   esc_cut(s40, sort_arg, 40));
		}
	}
	if (voiv && *voiv) {
		const struct geo_layer *vl = &r->app->voiv;
		for (k = 0; strcmp(cg.kind, "powiats") == 0 && k < vl->n; k++)
			if (vl->f[k].code && strcmp(vl->f[k].code, voiv) == 0)
				voiv_name = vl->f[k].name ? vl->f[k].name : vl->f[k].code;
		if (!voiv_name) {
			char v12[13];
			if (strcmp(cg.kind, "powiats") == 0)
				notice_add(&m, L(r, "Nie ma województwa o kodzie „%s”: tabela ma wszystkie regiony.",
						 "There is no voivodeship of code \"%s\": the table has every region."),
					   esc_cut(v12, voiv, 12));
			else
				notice_add(&m, L(r, "Filtr województwa „%s” nie dotyczy tego zbioru: tabela ma wszystkie regiony.",
						 "The voivodeship filter \"%s\" does not apply to this dataset: the table has "
						 "every region."), esc_cut(v12, voiv, 12));
			voiv = NULL;
		}
	} else {
		voiv = NULL;
	}
	ind_name = cmap_ind_label(r, &m.cube, m.ind);
	cmap_head(r, &m, WEB_TAB_MAP, L(r, "Mapa klastrów", "Cluster map"),
		  L(r, "Specjalizacja regionów według branż: iloraz lokalizacji, gwiazdki European Cluster "
		       "Observatory i reguła silnego klastra U.S. Cluster Mapping Project.",
		    "Regional specialisation by industry: location quotients, European Cluster Observatory "
		       "stars and the U.S. Cluster Mapping Project strong-cluster rule."), "/cluster-map",
		  refused.len ? refused.ptr : NULL);
	/* the choice: dataset (above), industry, indicator, year, base, band */
	html_printf(&r->out, "<div><label for=\"f-industry\">%s</label><select id=\"f-industry\" name=\"industry\"%R>",
		    L(r, "Branża", "Industry"), web_invalid(r, "industry"));
	for (i = 0; i < m.cube.nind; i++) {
		const char *nm = cmap_ind_label(r, &m.cube, i);
		html_printf(&r->out, "<option value=\"%s\"%R>%s%R%s</option>", m.cube.ind[i], i == m.ind ? " selected" : "",
			    m.cube.ind[i], *nm ? " — " : "", nm);
	}
	html_printf(&r->out, "</select></div><div><label for=\"f-indicator\">%s</label><select id=\"f-indicator\" name=\"indicator\"%R>",
		    cmap_label(r, "indicator"), web_invalid(r, "indicator"));
	for (k = 0; k < (has_changes(&m) ? NIND : NIND_YEAR); k++)   /* changes need two years */
		html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", indicators[k].key,
			    strcmp(indicators[k].key, m.indicator) == 0 ? " selected" : "", L(r, indicators[k].pl, indicators[k].en));
	buf_puts(&r->out, "</select></div>");
	if (has_changes(&m) || field_refused(r, "from")) {
		/* the first year of a change (growth, regional shift); the year below is its last */
		html_printf(&r->out, "<div><label for=\"f-from\">%s</label><select id=\"f-from\" name=\"from\"%R>",
			    L(r, "Od roku (zmiany)", "From year (changes)"), web_invalid(r, "from"));
		for (i = 0; i + 1 < m.cube.nyear; i++)
			html_printf(&r->out, "<option value=\"%d\"%R>%d</option>", m.cube.year[i],
				    i == m.from ? " selected" : "", m.cube.year[i]);
		if (m.cube.nyear < 2)   /* drawn for the alert's link: nothing earlier to choose */
			html_printf(&r->out, "<option value=\"\" selected>%s</option>",
				    L(r, "— (zbiór ma jeden rok)", "— (the dataset has one year)"));
		buf_puts(&r->out, "</select></div>");
	}
	cmap_year_base(r, &m);
	if (strcmp(cg.kind, "powiats") == 0) {
		/* the table of 380 powiats narrowed to one voivodeship (the map stays whole) */
		const struct geo_layer *vl = &r->app->voiv;
		html_printf(&r->out, "<div><label for=\"f-voiv\">%s</label><select id=\"f-voiv\" name=\"voiv\"%R>"
			    "<option value=\"\">%s</option>", L(r, "Tabela: województwo", "Table: voivodeship"),
			    web_invalid(r, "voiv"), L(r, "— wszystkie —", "— all —"));
		for (k = 0; k < vl->n; k++)
			if (vl->f[k].code)
				html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", vl->f[k].code,
					    voiv && strcmp(voiv, vl->f[k].code) == 0 ? " selected" : "",
					    vl->f[k].name ? vl->f[k].name : vl->f[k].code);
		buf_puts(&r->out, "</select></div>");
	}
	if (sort != RS_VALUE)
		html_printf(&r->out, "<input type=\"hidden\" name=\"sort\" value=\"%s\">", rank_sorts[sort]);
	{
		char bandv[32] = "";
		int prec;
		/* the band computed with, written so that it reads back the same (%g keeps six digits:
		 * 1234.5678 came back as 1234.57 when the form was sent again) */
		for (prec = 1; m.band_km && prec <= 17; prec++) {
			snprintf(bandv, sizeof(bandv), "%.*g", prec, m.band_km);
			if (!strchr(bandv, 'e') && strtod(bandv, NULL) == m.band_km)   /* 100, not 1e+02 */
				break;
		}
		html_printf(&r->out, "<div><label for=\"f-band_km\">%s</label>"
			    "<input id=\"f-band_km\" name=\"band_km\" type=\"number\" min=\"%.0f\" max=\"%.0f\" step=\"any\""
			    " value=\"%s\" placeholder=\"%s\"%R></div>",
			    cmap_label(r, "band_km"), REGION_BAND_KM_MIN, REGION_BAND_KM_MAX,
			    *band_error ? req_arg(r, "band_km") : bandv, L(r, "puste: bez", "empty: none"),
			    web_invalid(r, "band_km"));
	}
	html_printf(&r->out, "<div class=\"f-go\"><button type=\"submit\">%s</button></div></form>",
		    L(r, "Pokaż", "Show"));
	if (*m.notice)
		html_printf(&r->out, "<p class=\"notice\" role=\"status\">%s</p>", m.notice);

	vals = xcalloc(cg.g->n + 1, sizeof(*vals));
	for (i = 0; i < cg.g->n; i++)
		vals[i] = NAN;
	for (i = 0; i < m.cube.nreg; i++)
		for (k = 0; k < cg.place[i].n; k++)
			vals[cg.place[i].feat[k]] = value_of(&m, i) * (is_pct(m.indicator) ? 100 : 1);   /* a union: every part */
	for (i = 0; i < cg.g->n && !drawable; i++)   /* the map pictures draw only a map with a value on it */
		drawable = isfinite(vals[i]);
	for (ik = 0; ik < NIND && strcmp(indicators[ik].key, m.indicator); ik++)
		;
	ind_label = L(r, indicators[ik].pl, indicators[ik].en);
	html_printf(&r->out, "<h2>%s%R — %s%R%s", ind_label,
		    is_pct(m.indicator) ? " (%)" : "", m.cube.ind[m.ind], *ind_name ? " " : "", ind_name);
	{
		struct buf pt = BUF_INIT;   /* (2023), a change's (2015–2023); none without years */
		period_text(&pt, &m);
		html_printf(&r->out, "%s</h2>", pt.ptr);
		buf_release(&pt);
	}
	buf_puts(&r->out, "<div class=\"stack\"><section class=\"map-part\">");
	memset(&mo, 0, sizeof(mo));
	mo.dvalues = vals;
	mo.dunit = is_pct(m.indicator) ? L(r, "\xc2\xa0%", "%") : NULL;   /* 1,3 % and 1.3% */
	mo.diverging = m.change;   /* losses and gains around 0 */
	mo.layer = cg.layer;
	/* a region on the map opens its profile (feature= names the boundary clicked); a boundary
	 * no region of the year is drawn on (a country the dataset does not cover) is no link */
	cmap_url(&maplink, &m, "/cluster-map/region", NULL, NULL);
	buf_puts(&maplink, "&feature=");
	mo.link_prefix = maplink.ptr;
	linkable = xcalloc(cg.g->n + 1, 1);
	for (i = 0; i < m.cube.nreg; i++)
		for (k = 0; k < cg.place[i].n && !cube_absent(&m.cube, m.year, i); k++)
			linkable[cg.place[i].feat[k]] = 1;
	mo.link_feature = linkable;
	if ((cat = mapping_category_of(m.indicator)) != NULL) {
		/* categories, not quantiles: with most regions at 0 these would merge 1, 2 and 3 stars */
		for (k = 0; k < (size_t)cat->nclasses; k++)
			cat_labels[k] = L(r, cat->pl[k], cat->en[k]);
		mo.dbreaks = cat->breaks;
		mo.ndbreaks = cat->nclasses - 1;
		mo.dlabels = cat_labels;
	}
	if (m.band_km) {
		spots = mapping_spot_features(&h, cg.place, cg.g->n);
		mo.region_spot = spots;
	}
	{
		/* the map's accessible name says what it shows */
		struct buf t = BUF_INIT;
		buf_printf(&t, "%s%s: %s%s%s", ind_label,
			   is_pct(m.indicator) ? " (%)" : "", m.cube.ind[m.ind], *ind_name ? " " : "", ind_name);
		period_text(&t, &m);
		buf_printf(&t, ", %s",
			   strcmp(cg.kind, "powiats") == 0 ? L(r, "powiaty", "by powiat")
			   : strcmp(cg.kind, "nuts2") == 0 ? L(r, "regiony NUTS-2 Europy", "by NUTS-2 region of Europe")
							   : L(r, "województwa", "by voivodeship"));
		mo.legend_title = t.ptr;
		map_svg(r, &r->out, &mo);
		buf_release(&t);
	}
	map_attribution(r, &r->out, cg.layer);
	if (cg.nvia)
		html_printf(&r->out, "<p class=\"muted via\">%s: %lld (%s).</p>",
			    L(r, "Regiony o kodach NUTS sprzed 2021 r. narysowane jako ich regiony NUTS 2021",
			      "Regions with NUTS codes older than 2021 drawn as their NUTS 2021 regions"),
			    (long long)cg.nvia, L(r, "zob. tabelę", "see the table"));
	if (cg.nunmatched)
		unmapped_list(r, &m, &cg);
	if (m.band_km) {
		char bandv[32];
		size_t nz = 0;
		/* the band as the page's language writes numbers (1,5 km) */
		draw_num_text(bandv, sizeof(bandv), m.band_km, m.band_km == floor(m.band_km) ? 0 : 3,
			      req_polish(r) ? DRAW_NUM_PL : DRAW_NUM_EN);
		if (m.band_km != floor(m.band_km))   /* 2,500 → 2,5 (a whole band has no decimals to trim) */
			while (bandv[strlen(bandv) - 1] == '0')
				bandv[strlen(bandv) - 1] = '\0';
		html_printf(&r->out, "<p class=\"hotspots\">%s %s km, %s: %lld. %s: %lld, %s: %lld. %s: %lld, %s: %lld.</p>",
			    L(r, "Gorące punkty Getisa–Orda Gi* wskaźnika między centroidami regionów w paśmie",
			      "Getis–Ord Gi* hot spots of the indicator between the regions' centroids within"),
			    bandv, L(r, "regiony w obliczeniu", "regions computed"), (long long)h.n,
			    L(r, "Przy p < 0,05 gorące", "At p < 0.05 hot"), (long long)h.hot, L(r, "zimne", "cold"),
			    (long long)h.cold, L(r, "Pominięte: bez granic na mapie", "Left out: not on the map"),
			    (long long)h.no_place, L(r, "bez wartości", "without a value"), (long long)h.no_value);
		for (i = 0; i < h.n; i++)
			nz += !isnan(h.g.z[i]);
		if (h.n >= 2 && !nz)
			/* every region neighbours every other (or the values do not vary): no z at all */
			html_printf(&r->out, "<p class=\"muted no-z\">%s</p>",
				    L(r, "Żaden region nie ma wyniku z: w tym paśmie każdy region sąsiaduje z każdym (albo "
					 "wartości się nie różnią), więc Gi* niczego nie odróżnia; wybierz węższe pasmo.",
				      "No region has a z-score: within this band every region neighbours every other (or the "
				      "values do not vary), so Gi* tells none apart; choose a narrower band."));
		else if (h.g.nall)
			/* some regions, not all: those whose band holds every region */
			html_printf(&r->out, "<p class=\"muted no-z\" data-all=\"%lld\">%s %lld %s %lld%s</p>",
				    (long long)h.g.nall, L(r, "Regiony, w których paśmie są wszystkie pozostałe:",
							   "Regions with every other region within the band:"),
				    (long long)h.g.nall, L(r, "z", "of"), (long long)h.n,
				    L(r, " — ich Gi* jest stały i nie ma wyniku z ani p; węższe pasmo je porówna.",
				      " — their Gi* is fixed and has no z-score or p; a narrower band compares them."));
		if (h.g.nisland)
			/* as the command line's notice: a lone region's Gi* is its own value */
			html_printf(&r->out, "<p class=\"muted islands\" data-islands=\"%lld\">%s %lld %s %lld%s</p>",
				    (long long)h.g.nisland, L(r, "Regiony bez sąsiada w paśmie:", "Regions without a neighbour within the band:"),
				    (long long)h.g.nisland, L(r, "z", "of"), (long long)h.n,
				    L(r, " — ich Gi* opiera się tylko na nich samych; szersze pasmo da im sąsiadów.",
				      " — their Gi* rests on themselves alone; a wider band gives them neighbours."));
	}
	web_source_para(r, m.info.source, m.info.licence);
	if (m.change)
		html_printf(&r->out, "<p class=\"muted change-note\" data-from=\"%d\" data-to=\"%d\">%s</p>",
			    m.cube.year[m.from], m.cube.year[m.year],
			    L(r, "Dynamika: zmiana zatrudnienia branży w regionie w stosunku do roku początkowego (w procentach; "
				 "brak, gdy region nie miał wtedy zatrudnienia w branży). Efekt regionalny: część zmiany "
				 "(w miejscach pracy), której nie tłumaczy wzrost całej gospodarki (efekt krajowy) ani branży w "
				 "kraju (efekt strukturalny) — jak w klaster map shift-share. Czerwone: spadek, niebieskie: wzrost.",
			      "Growth: the change of the industry's employment in the region against the first year (in per "
				 "cent; none where the region had no employment in the industry then). Regional shift: the part "
				 "of the change (in jobs) that neither the whole economy's growth (national share) nor the "
				 "industry's in the nation (industry mix) explains — as klaster map shift-share. Reds: losses, "
				 "blues: gains."));
	else
		html_printf(&r->out, "<p class=\"muted base-note\" data-reference=\"%d\" data-base=\"%s\">%s%R%s.</p>",
			    m.info.has_ref, m.base == INDIC_BASE_TRADED ? "traded" : "all",
			    m.info.has_ref ? L(r, "LQ i udziały względem gospodarki odniesienia zbioru",
					       "LQs and shares against the dataset's reference economy")
					   : L(r, "LQ i udziały względem sumy regionów zbioru",
					       "LQs and shares against the sum of the dataset's regions"),
			    m.base == INDIC_BASE_TRADED ? "; " : "",
			    m.base == INDIC_BASE_TRADED ? L(r, "baza: tylko branże ponadlokalne (traded)",
							    "base: traded industries only") : "");
	if (!m.change)
		est_note(r, &m, 1);
	{
		/* no region with employment above 0: say so, and how many are not known (confidential) */
		long long unknown = 0;
		for (i = 0; i < m.cube.nreg; i++) {
			double v = m.cube.emp[cube_at(&m.cube, m.year, i, m.ind)];
			if (cube_absent(&m.cube, m.year, i))
				continue;
			if (v > 0)
				break;
			unknown += isnan(v);
		}
		if (i == m.cube.nreg && !unknown)
			html_printf(&r->out, "<p class=\"muted empty-note\">%s</p>",
				    L(r, "Żaden region zbioru nie ma zatrudnienia w tej branży w tym roku.",
				      "No region of the dataset has employment in this industry in this year."));
		else if (i == m.cube.nreg)
			html_printf(&r->out, "<p class=\"muted empty-note\" data-unknown=\"%lld\">%s %lld.</p>", unknown,
				    L(r, "Żaden region o znanej wartości nie ma zatrudnienia w tej branży w tym roku; "
					 "regiony z wartością poufną lub brakującą:",
				      "No region with a known value has employment in this industry in this year; "
				      "regions whose value is confidential or missing:"), unknown);
	}
	{
		struct buf dl = BUF_INIT;
		download_url(&dl, &m, NULL);
		if (m.change) {
			/* the shift-share of the two years shown, every region and industry */
			char lbl[160];
			buf_printf(&dl, "&indicator=%s&from=%d&year=%d", m.indicator, m.cube.year[m.from], m.cube.year[m.year]);
			snprintf(lbl, sizeof(lbl), L(r, "pobierz CSV (shift-share %d–%d, wszystkie branże)",
						    "download CSV (shift-share %d–%d, all industries)"),
				 m.cube.year[m.from], m.cube.year[m.year]);
			download_links_map(r, "download", dl.ptr, lbl, &m, drawable);
		} else {
			download_links_map(r, "download", dl.ptr,
					   L(r, "pobierz CSV (wszystkie wskaźniki i lata)", "download CSV (all indicators and years)"), &m,
					   drawable);
		}
		if (m.band_km) {
			/* the hot spots shown: the same industry, indicator, year (a change's two) and band
			 * (band_km as given, so the download computes what the page does) */
			buf_reset(&dl);
			download_url(&dl, &m, NULL);
			buf_puts(&dl, "&industry=");
			esc_url(&dl, m.cube.ind[m.ind]);
			buf_printf(&dl, "&indicator=%s", m.indicator);
			if (m.change)
				buf_printf(&dl, "&from=%d", m.cube.year[m.from]);
			if (m.cube.year[m.year])   /* a dataset without years has none to name */
				buf_printf(&dl, "&year=%d", m.cube.year[m.year]);
			buf_puts(&dl, "&band_km=");
			esc_url(&dl, req_arg(r, "band_km"));
			cmap_download_links(r, "hotspots-download", dl.ptr,
				       L(r, "pobierz CSV gorących punktów (Gi*, z, p każdego regionu)",
					 "download CSV of the hot spots (each region's Gi*, z, p)"));
		}
		buf_release(&dl);
	}
	if (m.change) {
		/* the rates a region's growth is judged against: the shift-share's national and the
		 * industry's (its national share and industry mix) */
		char g[48], gi[48];
		rate_text(r, g, sizeof(g), m.sh.G);
		rate_text(r, gi, sizeof(gi), m.sh.G_ind[m.ind]);
		buf_puts(&r->out, "<p class=\"change-rates\">");
		html_printf(&r->out, L(r, "Dynamika zatrudnienia %d–%d: w całej gospodarce %s, w branży %s %s.",
				       "Employment growth %d–%d: the whole economy %s, industry %s %s."),
			    m.cube.year[m.from], m.cube.year[m.year], g, m.cube.ind[m.ind], gi);
		buf_puts(&r->out, "</p>");
	}
	/* the ranked table: regions with a value ranked, those without after them, unranked; in
	 * another order on request (sort=), the rank by the indicator kept; of one voivodeship (voiv=) */
	{
		static const char *const cap[][2] = {
			[RS_VALUE] = { "Regiony od najwyższej wartości", "Regions, highest first" },
			[RS_LQ] = { "Regiony od najwyższego LQ", "Regions by LQ, highest first" },
			[RS_EMPLOYMENT] = { "Regiony od największego zatrudnienia", "Regions by employment, highest first" },
			[RS_REGION] = { "Regiony według nazwy", "Regions by name" },
		};
		html_printf(&r->out, "</section><section class=\"table-part\" id=\"ranking\"><div class=\"table-wrap\">"
			    "<table class=\"results\"><caption>%s%R%s</caption><thead><tr>", L(r, cap[sort][0], cap[sort][1]),
			    voiv_name ? " — " : "", voiv_name ? voiv_name : "");
	}
	sort_th(r, &m, "", L(r, "# (wg wskaźnika)", "# (by the indicator)"), RS_VALUE, sort, voiv);
	sort_th(r, &m, "", L(r, "Region", "Region"), RS_REGION, sort, voiv);
	if (m.change) {
		/* a change: both years' employment, the growth and the shift-share's components */
		char h1[64], h2[64];
		snprintf(h1, sizeof(h1), L(r, "Zatrudnienie %d", "Employment %d"), m.cube.year[m.from]);
		snprintf(h2, sizeof(h2), L(r, "Zatrudnienie %d", "Employment %d"), m.cube.year[m.year]);
		html_printf(&r->out, "<th scope=\"col\" class=\"num\">%s</th>", h1);
		sort_th(r, &m, "num", h2, RS_EMPLOYMENT, sort, voiv);
		html_printf(&r->out, "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
			    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>",
			    L(r, "Dynamika (%)", "Growth (%)"), SS_NAME(r, SS_NATIONAL), SS_NAME(r, SS_MIX),
			    SS_NAME(r, SS_REGIONAL));
		if (m.band_km)
			html_printf(&r->out, "<th scope=\"col\" class=\"num\">z (Gi*)</th><th scope=\"col\" class=\"num\">p</th><th scope=\"col\">%s</th>",
				    L(r, "Gorący / zimny punkt", "Hot / cold spot"));
	} else {
		sort_th(r, &m, "num", L(r, "Zatrudnienie", "Employment"), RS_EMPLOYMENT, sort, voiv);
		if (is_share(m.indicator))
			html_printf(&r->out, "<th scope=\"col\" class=\"num\">%s (%%)</th>", ind_label);
		s10 = strcmp(m.indicator, "strong10") == 0;   /* the strong column follows the indicator's percentile */
		sort_th(r, &m, "num", "LQ", RS_LQ, sort, voiv);
		html_printf(&r->out, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
			    L(r, "Gwiazdki", "Stars"), s10 ? L(r, "Silny klaster (90. percentyl)", "Strong cluster (90th percentile)")
							   : L(r, "Silny klaster", "Strong cluster"));
		if (m.band_km)
			html_printf(&r->out, "<th scope=\"col\" class=\"num\">z (Gi*)</th><th scope=\"col\" class=\"num\">p</th><th scope=\"col\">%s</th>",
				    L(r, "Gorący / zimny punkt", "Hot / cold spot"));
	}
	buf_puts(&r->out, "</tr></thead><tbody>");
	rk = cmap_ranks(&m, &nrk);
	if (voiv) {
		/* the voivodeship's powiats (a TERYT code begins with its voivodeship's) */
		size_t kept = 0;
		for (i = 0; i < nrk; i++)
			if (strncmp(m.cube.reg[rk[i].r], voiv, strlen(voiv)) == 0)
				rk[kept++] = rk[i];
		nrk = kept;
	}
	if (sort == RS_REGION) {
		for (i = 0; i < nrk; i++) {
			/* by the name proper: "powiat krakowski" under k, "m. Kraków" and "m. st. Warszawa"
			 * under k and w, as a list of powiats is read */
			static const char *const kinds[] = { "powiat ", "m. st. ", "m. " };
			struct buf key = BUF_INIT;
			const char *nm = cmap_region_name(&m, &cg, rk[i].r);
			size_t k2;
			nm = nm ? nm : m.cube.reg[rk[i].r];
			for (k2 = 0; k2 < sizeof(kinds) / sizeof(kinds[0]); k2++)
				if (strncmp(nm, kinds[k2], strlen(kinds[k2])) == 0 && nm[strlen(kinds[k2])]) {
					nm += strlen(kinds[k2]);
					break;
				}
			fold_sortkey(&key, nm);
			rk[i].key = buf_detach(&key, NULL);
		}
		qsort(rk, nrk, sizeof(*rk), rank_cmp_region);
		for (i = 0; i < nrk; i++)
			free(rk[i].key);
	} else if (sort != RS_VALUE) {
		qsort(rk, nrk, sizeof(*rk), sort == RS_LQ ? rank_cmp_lq : rank_cmp_emp);
	}
	for (i = 0; i < nrk; i++) {
		size_t rr = rk[i].r, c = cube_at(&m.cube, m.year, rr, m.ind);
		unsigned kn = indic_known(&m.cube, &m.res, c);
		if (isnan(rk[i].v))
			buf_puts(&r->out, "<tr class=\"nodata\"><td class=\"num\"></td>");
		else
			html_printf(&r->out, "<tr><td class=\"num\">%d</td>", rk[i].rank);
		cmap_region_cell(r, &m, &cg, rr);
		if (m.change) {
			size_t at = rr * m.cube.nind + m.ind;
			num_cell(r, m.sh.e0[at], 0);
			num_cell(r, m.sh.e1[at], 0);
			pct_cell_cls(r, m.sh.growth[at] * 100, 1, "num");
			num_cell(r, m.sh.ns[at], 1);
			num_cell(r, m.sh.im[at], 1);
			num_cell(r, m.sh.rs[at], 1);
			if (m.band_km)
				hotspot_cells(r, &h, rr);
			buf_puts(&r->out, "</tr>");
			continue;
		}
		num_cell(r, m.cube.emp[c], 0);
		if (is_share(m.indicator))
			pct_cell_cls(r, rk[i].v * 100, 0, "num");
		num_cell(r, m.res.lq[c], 2);
		if (!(kn & INDIC_KNOWN_STARS)) {
			buf_puts(&r->out, "<td>–</td>");
		} else {
			/* stars drawn and said: ★★☆ and "2 z 3" */
			int st = m.res.stars[c] > 3 ? 3 : m.res.stars[c];
			buf_puts(&r->out, "<td><span aria-hidden=\"true\" class=\"stars\">");
			for (k = 0; k < 3; k++)
				buf_puts(&r->out, (int)k < st ? "\xe2\x98\x85" : "\xe2\x98\x86");
			html_printf(&r->out, "</span><span class=\"vh\">%d %s 3</span></td>", st, L(r, "z", "of"));
		}
		html_printf(&r->out, "<td>%s</td>", !(kn & (s10 ? INDIC_KNOWN_STRONG10 : INDIC_KNOWN_STRONG)) ? "–"
				    : (s10 ? m.res.strong10[c] : m.res.strong[c]) ? L(r, "tak", "yes") : L(r, "nie", "no"));
		if (m.band_km)
			hotspot_cells(r, &h, rr);
		buf_puts(&r->out, "</tr>");
	}
	buf_puts(&r->out, "</tbody></table></div></section></div>");
	free(rk);
	free(vals);
	free(linkable);
	free(spots);
	free(dsname);
	buf_release(&maplink);
	mapping_hotspots_release(&h);
	cmap_geo_release(&cg);
	cmap_release(&m);
	buf_release(&refused);
	page_end(r);
}

/* The dataset's source line as the downloads say it: one that names itself ("Source: Eurostat",
 * "Źródło: GUS") as it is, else after "Źródło: " / "Source: " in the page's language ("—" when
 * the dataset has none); appended to b. */
static void source_text(struct req *r, const struct cmap *m, struct buf *b)
{
	const char *so = m->info.source && *m->info.source ? m->info.source : "—";
	buf_printf(b, web_source_labelled(so) ? "%s" : L(r, "Źródło: %s", "Source: %s"), so);
}

/* The dataset's licence as the downloads say it: "Licencja: " / "Licence: " and its terms ("—" when
 * it has none); appended to b. */
static void licence_text(struct req *r, const struct cmap *m, struct buf *b)
{
	buf_printf(b, L(r, "Licencja: %s", "Licence: %s"), m->info.licence && *m->info.licence ? m->info.licence : "—");
}

/* s as a part of a file name: characters other than letters, digits, '.' and '-' as '_' (into
 * out, n bytes). */
static const char *file_part(char *out, size_t n, const char *s)
{
	size_t k, o = 0;
	for (k = 0; s[k] && o + 1 < n; k++) {
		unsigned char ch = (unsigned char)s[k];
		out[o++] = isalnum(ch) || ch == '.' || ch == '-' ? (char)ch : '_';
	}
	out[o] = '\0';
	return out;
}

/* The industries of a download named in the page's language (req_polish: ?lang=, the cookie,
 * Accept-Language), as the page names them: each industry_name becomes the name in that language
 * where the dataset has one (imported with --industry-names), else it stays the dataset's own.
 * The columns stay the same; a download in the language of the data's own names is the command
 * line's file. */
static void download_ind_names(const struct req *r, struct cube *c)
{
	size_t i;
	if (!c->ind_name_lang[!req_polish(r)])
		return;   /* no names in that language: the dataset's own */
	if (!c->ind_name)
		c->ind_name = xcalloc(c->nind + 1, sizeof(char *));
	for (i = 0; i < c->nind; i++) {
		const char *nm = c->ind_name_lang[!req_polish(r)][i];
		if (nm && *nm && (!c->ind_name[i] || strcmp(c->ind_name[i], nm) != 0)) {
			char *copy = xstrdup(nm);
			free(c->ind_name[i]);
			c->ind_name[i] = copy;
		}
	}
}

/* web_cmap.h: the workbook's second sheet, "source". */
void cmap_xlsx_notes(struct req *r, const struct cmap *m, struct tablew *t, const char *base_line)
{
	/* a second sheet says where the numbers come from (the data's terms ask for it) */
	struct buf ds = BUF_INIT, src = BUF_INIT, lic = BUF_INIT, when = BUF_INIT, url = BUF_INIT;
	char stamp[32];
	const char *lines[6];
	web_time_utc((long long)time(NULL), stamp);
	/* the full address (the site's, as in mails) of what was downloaded */
	buf_puts(&url, r->app->mail.base_url ? r->app->mail.base_url : "");
	web_self_url(r, &url);
	if (req_lang_arg(r))   /* the language asked for, which the workbook's words are in */
		buf_printf(&url, "%clang=%s", strchr(url.ptr, '?') ? '&' : '?', req_lang_arg(r));
	/* in the page's language (the API's is English); the column names stay the API's */
	buf_printf(&ds, L(r, "Zbiór: %s (%s)", "Dataset: %s (%s)"), m->info.title, m->info.name);
	source_text(r, m, &src);
	licence_text(r, m, &lic);
	buf_printf(&when, L(r, "Pobrano %s z portalu klaster: %s", "Downloaded %s from klaster: %s"), stamp, url.ptr);
	lines[0] = ds.ptr, lines[1] = src.ptr, lines[2] = lic.ptr, lines[3] = base_line, lines[4] = when.ptr;
	lines[5] = NULL;
	tablew_notes(t, "source", lines);
	buf_release(&ds), buf_release(&src), buf_release(&lic), buf_release(&when), buf_release(&url);
}

/* All indicators of a dataset as CSV or XLSX (the table of `klaster map
 * indicators`, with base=traded of `--base traded`, with year=Y of `--year Y`
 * and named DATASET-Y.csv; region= the region's rows); with band_km, the hot
 * spots of the chosen indicator, industry and year across the regions on
 * the map instead: the table of `klaster map hotspots --regions … --band
 * 1000×band_km --star`, named DATASET-hotspots-INDUSTRY-INDICATOR-BANDkm[-YEAR].csv (the year
 * when the dataset has several)
 * (.xlsx; characters of the industry code other than letters, digits, '.'
 * and '-' become '_'); "-traded" goes before "-hotspots" with base=traded.  Served at /cluster-map.csv
 * and, the same, at /api/v1/cluster-map.csv; a path ending in .xlsx
 * (/api/v1/cluster-map.xlsx) gives XLSX unless format says otherwise. */
void web_bad_format(struct req *r, const char *fmt, void (*answer)(struct req *, int, const char *))
{
	char c40[41], msg[200];
	snprintf(msg, sizeof(msg), L_msg(r, "format: „%s” to żaden z: csv, xlsx, geojson",
					 "format: '%s' is not one of csv, xlsx, geojson"), esc_cut(c40, fmt, 40));
	answer(r, 400, msg);
}

void h_cluster_map_csv(struct req *r)
{
	struct cmap m;
	struct cmap_geo cg;
	struct mapping_hotspots h;
	struct kerr e = KERR_INIT;
	struct web_table wt;
	char *dsname = NULL, name[160];
	const char *fmt = req_arg(r, "format"), *region = req_arg(r, "region"), *yarg = req_arg(r, "year");
	size_t plen = strlen(r->path), rr = (size_t)-1;
	int only = -1;   /* the year asked for (year=), else every year */
	char ysuf[16] = "";
	int xlsx = fmt && *fmt ? strcmp(fmt, "xlsx") == 0 : plen >= 5 && strcmp(r->path + plen - 5, ".xlsx") == 0;
	/* format=geojson: the map as a layer for a GIS — the map's industry and year, each region with its
	 * boundary (or its hot spots with band_km) */
	int geojson = fmt && strcmp(fmt, "geojson") == 0;
	const char *ext = xlsx ? "xlsx" : geojson ? "geojson" : "csv";
	static const char *const own[] = { "format", "region", NULL };

	if (web_args_text(r, own, &e)) {   /* cmap_load checks the map's */
		req_error(r, 400, e.msg);
		return;
	}
	if (fmt && *fmt && strcmp(fmt, "csv") && strcmp(fmt, "xlsx") && strcmp(fmt, "geojson")) {
		web_bad_format(r, fmt, req_error);
		return;
	}
	if (fmt && *fmt && !xlsx && plen >= 5 && strcmp(r->path + plen - 5, ".xlsx") == 0) {
		/* /api/v1/cluster-map.xlsx?format=csv asks for two things: neither is guessed */
		char msg[200];
		snprintf(msg, sizeof(msg), L_msg(r, "format: „%s” przeczy ścieżce .xlsx: pomiń format albo pobierz %.*s.csv",
						 "format: '%s' contradicts the path's .xlsx: leave format out or ask for %.*s.csv"),
			 fmt, (int)(plen - 5), r->path);
		req_error(r, 400, msg);
		return;
	}
	memset(&cg, 0, sizeof(cg));
	memset(&h, 0, sizeof(h));
	if (cmap_load(r, &m, &dsname, CMAP_ALL_YEARS, &e) ||
	    (m.band_km && (cmap_geo_match(r, &m, &cg), cmap_hotspots(r, &m, &cg, &h, &e))))
		goto fail;
	if (region && *region) {
		/* one region's rows, every year it is in: the profile's download */
		if (m.band_km) {
			kerr_set(&e, KERR_INPUT, "%s", L_msg(r, "region i band_km nie idą w parze (gorące punkty liczy się "
							     "między regionami)",
							     "region and band_km do not go together (hot spots are computed "
							     "across the regions)"));
			goto fail;
		}
		if ((rr = cube_region(&m.cube, region)) == (size_t)-1) {
			char c40[41];
			kerr_set(&e, KERR_INPUT, L_msg(r, "region: „%s” nie występuje w zbiorze %s",
						       "region: '%s' is not in dataset %s"), esc_cut(c40, region, 40),
				 m.info.name);
			goto fail;
		}
	}
	if (m.change && rr != (size_t)-1) {
		kerr_set(&e, KERR_INPUT, "%s", L_msg(r, "region i zmiana (growth, regional_shift) nie idą w parze: "
						     "pobierz shift-share wszystkich regionów",
						     "region and a change (growth, regional_shift) do not go together: "
						     "download the shift-share of every region"));
		goto fail;
	}
	if (geojson && (m.change || rr != (size_t)-1)) {
		kerr_set(&e, KERR_INPUT, "%s", L_msg(r, "format=geojson to warstwa mapy: wskaźnik jednej branży w regionach; "
						     "nie z region ani ze zmianą (growth, regional_shift)",
						     "format=geojson is the map's layer, one industry's indicator over the "
						     "regions: not with region or a change (growth, regional_shift)"));
		goto fail;
	}
	if (!m.band_km && !m.change && yarg && *yarg) {
		/* one year's rows (cmap_load checked the year), the year in the name */
		only = m.cube.year[m.year];
		snprintf(ysuf, sizeof(ysuf), "-%d", only);
	}
	if (m.band_km) {
		/* the hot spots of one industry, indicator and band: all three in the name */
		char ind[48];
		file_part(ind, sizeof(ind), m.cube.ind[m.ind]);
		/* the year too when the dataset has several: two years' files must not share a name
		 * (a change's two years) */
		if (m.change)
			snprintf(ysuf, sizeof(ysuf), "-%d-%d", m.cube.year[m.from], m.cube.year[m.year]);
		else if (m.cube.nyear > 1)
			snprintf(ysuf, sizeof(ysuf), "-%d", m.cube.year[m.year]);
		snprintf(name, sizeof(name), "%s%s-hotspots-%s-%s-%.10gkm%s.%s", m.info.name,
			 m.base == INDIC_BASE_TRADED && !m.change ? "-traded" : "", ind, m.indicator, m.band_km, ysuf,
			 ext);
	} else if (m.change) {
		/* the shift-share of the two years: `klaster map shift-share --from Y0 --to Y1` */
		snprintf(name, sizeof(name), "%s-shift-share-%d-%d.%s", m.info.name, m.cube.year[m.from],
			 m.cube.year[m.year], xlsx ? "xlsx" : "csv");
	} else if (rr != (size_t)-1) {
		/* the region's code as a file name: characters other than letters, digits, '.' and '-' as '_' */
		char reg[48];
		file_part(reg, sizeof(reg), m.cube.reg[rr]);
		snprintf(name, sizeof(name), "%s%s-region-%s%s.%s", m.info.name,
			 m.base == INDIC_BASE_TRADED ? "-traded" : "", reg, ysuf, xlsx ? "xlsx" : "csv");
	} else if (geojson) {
		/* the map's industry and year */
		char ind[48];
		file_part(ind, sizeof(ind), m.cube.ind[m.ind]);
		if (m.cube.year[m.year])
			snprintf(ysuf, sizeof(ysuf), "-%d", m.cube.year[m.year]);
		snprintf(name, sizeof(name), "%s%s-%s%s.geojson", m.info.name, m.base == INDIC_BASE_TRADED ? "-traded" : "",
			 ind, ysuf);
	} else {
		snprintf(name, sizeof(name), "%s%s%s.%s", m.info.name, m.base == INDIC_BASE_TRADED ? "-traded" : "",
			 ysuf, ext);
	}
	if (web_table_open(r, &wt, xlsx ? TABLEW_XLSX : geojson ? TABLEW_GEOJSON : TABLEW_CSV,
			   m.band_km ? "hotspots" : m.change ? "shift-share" : "indicators",
			   m.band_km ? mapping_hotspot_columns : m.change ? mapping_shift_columns : mapping_indicator_columns, &e))
		goto fail;
	if (!m.band_km) {
		/* regions the data leaves unnamed (Eurostat's codes) are named from the map's boundaries,
		 * as on the page and as `klaster map indicators --region-names` names them */
		download_ind_names(r, &m.cube);
		cmap_geo_match(r, &m, &cg);
		cmap_name_regions(&m, &cg);
	}
	if (m.band_km ? mapping_write_hotspots(&m.cube, cg.g, cg.hs_place, &h, wt.t, &e)
	    : m.change ? mapping_write_shift(&m.cube, &m.sh, wt.t, &e)
	    : rr != (size_t)-1 ? mapping_write_region_indicators(&m.cube, &m.res, only, rr, wt.t, &e)
	    : geojson ? mapping_write_industry_layer(&m.cube, &m.res, m.cube.year[m.year], m.ind, cg.g, cg.hs_place, wt.t, &e)
		      : mapping_write_indicators(&m.cube, &m.res, only, wt.t, &e)) {
		tablew_abort(wt.t);
		goto fail;
	}
	if (xlsx) {
		struct buf base = BUF_INIT;
		if (m.change)
			buf_printf(&base, L(r, "Shift-share %d–%d: %s", "Shift-share %d–%d: %s"), m.cube.year[m.from],
				   m.cube.year[m.year], m.info.has_ref ? L(r, "względem gospodarki odniesienia zbioru",
									   "against the dataset's reference economy")
								       : L(r, "względem sumy regionów zbioru",
									   "against the sum of the dataset's regions"));
		else
			buf_printf(&base, "%s%s",
				   m.info.has_ref ? L(r, "LQ i udziały względem gospodarki odniesienia zbioru",
						      "LQs and shares against the dataset's reference economy")
						  : L(r, "LQ i udziały względem sumy regionów zbioru",
						      "LQs and shares against the sum of the dataset's regions"),
				   m.base == INDIC_BASE_TRADED ? L(r, "; podstawa: tylko branże ponadlokalne",
								   "; base: traded industries only") : "");
		cmap_xlsx_notes(r, &m, wt.t, base.ptr);
		buf_release(&base);
	}
	{
		size_t start = r->out.len;
		if (web_table_send(r, &wt, name, &e))
			goto fail;
		if (geojson)
			dataset_geojson_attribution(&r->out, start, m.info.name, m.info.title, m.info.source,
						    m.info.licence);
	}
	goto out;
fail:
	req_error_kerr(r, &e);
out:
	free(dsname);
	mapping_hotspots_release(&h);
	cmap_geo_release(&cg);
	cmap_release(&m);
}

/*
 * The map of the page as a picture to download: /cluster-map.svg, .png and .pdf with the page's
 * dataset, industry, indicator, year and base (and classes=2..9 for the quantile classes of a
 * quantity; 5 by default, as on the page), drawn by the command line's `klaster map draw`
 * (mapping_choropleth_init, draw_choropleth_buf) on the boundaries the page draws it on, the
 * regions placed as there.  Its title, subtitle, legend and source line speak the page's
 * language (req_polish), and its numbers are written as the page writes them.  Bad parameters are
 * the downloads' 400s and an unknown dataset a 404, in the page's language.  Named
 * DATASET[-traded]-map-INDUSTRY-INDICATOR[-YEAR].EXT.
 */
void h_cluster_map_image(struct req *r)
{
	static const struct {
		const char *ext, *ctype;
	} formats[] = { { "svg", "image/svg+xml" }, { "png", "image/png" }, { "pdf", "application/pdf" } };
	struct cmap m;
	struct cmap_geo cg;
	struct kerr e = KERR_INIT;
	struct mapping_draw_opts o;
	struct mapping_choropleth mc;
	struct mapping_hotspots h;
	signed char *spots = NULL;
	struct buf title = BUF_INIT, sub = BUF_INIT, src = BUF_INIT, cd = BUF_INIT;
	char *dsname = NULL, ind[48], ysuf[48] = "";
	const char *classes = req_arg(r, "classes"), *ext = strrchr(r->path, '.');
	static const char *const own[] = { "classes", NULL };   /* cmap_load checks the map's */
	size_t k, nparts, f;
	int have_mc = 0, nclasses = 0, any = 0;
	const char *ctype = NULL;

	for (k = 0; ext && k < sizeof(formats) / sizeof(formats[0]); k++)
		if (strcmp(ext + 1, formats[k].ext) == 0)
			ctype = formats[k].ctype;
	if (!ctype)
		BUG("h_cluster_map_image routed for %s", r->path);
	memset(&cg, 0, sizeof(cg));
	memset(&h, 0, sizeof(h));
	if (cmap_load(r, &m, &dsname, 0, &e) || web_args_text(r, own, &e))
		goto fail;
	if (classes && *classes) {
		char *end;
		long n = strtol(classes, &end, 10);
		if (*end || !isdigit((unsigned char)*classes) || n < 2 || n > DRAW_MAX_CLASSES) {
			kerr_set(&e, KERR_INPUT, L_msg(r, "classes: „%.20s” to nie liczba całkowita od 2 do %d",
						       "classes: '%.20s' is not a whole number from 2 to %d"), classes,
				 DRAW_MAX_CLASSES);
			goto fail;
		}
		if (mapping_category_of(m.indicator)) {
			kerr_set(&e, KERR_INPUT, L_msg(r, "classes: wskaźnik %s ma stałe kategorie (nie klasy)",
						       "classes: indicator %s is drawn in its categories, not in classes"),
				 m.indicator);
			goto fail;
		}
		nclasses = (int)n;
	}
	cmap_geo_match(r, &m, &cg);
	/* the page's words: its indicator's name, in per cent for the shares */
	for (k = 0; k < NIND && strcmp(indicators[k].key, m.indicator); k++)
		;
	{
		const char *nm = cmap_ind_label(r, &m.cube, m.ind);
		buf_printf(&title, "%s%s — %s%s%s", L(r, indicators[k].pl, indicators[k].en),
			   is_pct(m.indicator) ? " (%)" : "", m.cube.ind[m.ind], *nm ? " " : "", nm);
	}
	if (m.change)
		buf_printf(&sub, "%d\xe2\x80\x93%d · ", m.cube.year[m.from], m.cube.year[m.year]);
	else if (m.cube.year[m.year])
		buf_printf(&sub, "%d · ", m.cube.year[m.year]);
	buf_puts(&sub, m.info.title);
	buf_printf(&sub, " · %s", strcmp(cg.kind, "powiats") == 0 ? L(r, "powiaty", "by powiat")
				  : strcmp(cg.kind, "nuts2") == 0 ? L(r, "regiony NUTS-2 Europy", "by NUTS-2 region of Europe")
								  : L(r, "województwa", "by voivodeship"));
	buf_printf(&sub, "%s", m.base == INDIC_BASE_TRADED && !m.change ? L(r, " · baza LQ: branże ponadlokalne", " · LQ base: traded industries")
							   : "");
	if (m.info.source && *m.info.source) {
		source_text(r, &m, &src);
		buf_puts(&src, src.len && src.ptr[src.len - 1] == '.' ? " " : ". ");
	}
	if (m.info.licence && *m.info.licence) {   /* the terms of the numbers, next to their source */
		licence_text(r, &m, &src);
		buf_puts(&src, src.len && src.ptr[src.len - 1] == '.' ? " " : ". ");
	}
	buf_printf(&src, "%s", strcmp(cg.kind, "nuts2") == 0
				       ? L(r, "Granice regionów NUTS 2021: Eurostat GISCO; © EuroGeographics dla granic administracyjnych.",
					   "NUTS 2021 boundaries: Eurostat GISCO; © EuroGeographics for the administrative boundaries.")
				       : L(r, "Granice: PRG GUGiK (przez polska-geojson). Mapa: klaster.",
					   "Boundaries: GUGiK PRG (via polska-geojson). Map: klaster."));
	memset(&o, 0, sizeof(o));
	o.industry = m.cube.ind[m.ind];
	o.indicator = m.indicator;
	o.nclasses = nclasses;
	o.title = title.ptr;
	o.source = src.ptr;
	o.format = ext + 1;
	o.lang = req_polish(r) ? DRAW_LANG_PL : DRAW_LANG_EN;
	o.percent = 1;   /* shares and growth in per cent, as the page shows them */
	if (m.change) {
		o.shift = &m.sh;
		o.from = m.cube.year[m.from];
		o.year = m.cube.year[m.year];
	}
	nparts = cg.layer ? cg.layer->nparts : 0;
	if (mapping_choropleth_init(&mc, &m.cube, &m.res, &o, cg.g, nparts, cg.place, m.year, m.ind, &e))
		goto fail;
	have_mc = 1;
	mc.m.subtitle = sub.ptr;
	for (f = 0; f < cg.g->n; f++)
		any |= isfinite(mc.values[f]);
	if (!any) {
		kerr_set(&e, KERR_INPUT, L_msg(r, "industry: żaden region na mapie nie ma wartości wskaźnika %s branży %s: "
					       "nie ma czego narysować", "industry: no region on the map has a value of %s "
					       "for industry %s: there is nothing to draw"), m.indicator, m.cube.ind[m.ind]);
		goto fail;
	}
	if (m.band_km) {
		/* the page's hot and cold spots, outlined as `klaster map draw --band` outlines them */
		if (cmap_hotspots(r, &m, &cg, &h, &e))
			goto fail;
		spots = mapping_spot_features(&h, cg.place, cg.g->n);
		mc.m.spots = spots;
	}
	pdf_fonts_release_at_exit();   /* fontconfig's caches, as for the articles' PDFs */
	if (draw_choropleth_buf(&mc.m, &r->out, &e))
		goto fail;
	r->ctype = ctype;
	if (m.change)
		snprintf(ysuf, sizeof(ysuf), "-%d-%d", m.cube.year[m.from], m.cube.year[m.year]);
	else if (m.cube.year[m.year])
		snprintf(ysuf, sizeof(ysuf), "-%d", m.cube.year[m.year]);
	if (m.band_km)   /* the hot spots outlined: their band in the name */
		snprintf(ysuf + strlen(ysuf), sizeof(ysuf) - strlen(ysuf), "-hotspots-%.10gkm", m.band_km);
	buf_printf(&cd, "attachment; filename=\"%s%s-map-%s-%s%s.%s\"", m.info.name,
		   m.base == INDIC_BASE_TRADED && !m.change ? "-traded" : "", file_part(ind, sizeof(ind), m.cube.ind[m.ind]), m.indicator,
		   ysuf, ext + 1);
	req_header_add(r, "Content-Disposition", cd.ptr);
	goto out;
fail:
	buf_reset(&r->out);
	req_error_kerr(r, &e);
out:
	if (have_mc)
		mapping_choropleth_release(&mc);
	mapping_hotspots_release(&h);
	free(spots);
	buf_release(&title), buf_release(&sub), buf_release(&src), buf_release(&cd);
	free(dsname);
	cmap_geo_release(&cg);
	cmap_release(&m);
}

static int json_ds(void *ctx, const struct dataset_info *d)
{
	struct req *r = ((void **)ctx)[0];
	int *n = ((void **)ctx)[1];
	buf_puts(&r->out, (*n)++ ? ",{\"name\":" : "{\"name\":");
	esc_json(&r->out, d->name);
	buf_puts(&r->out, ",\"title\":");
	esc_json(&r->out, d->title);
	dataset_json_source(&r->out, d->source, d->licence);
	buf_puts(&r->out, ",\"region_kind\":");
	esc_json(&r->out, d->region_kind);
	buf_printf(&r->out, ",\"reference\":%s,\"traded\":%s}", d->has_ref ? "true" : "false",
		   d->has_traded ? "true" : "false");
	return 0;
}

void h_api_datasets(struct req *r)
{
	struct kerr e = KERR_INIT;
	int n = 0;
	void *ctx[2] = { r, &n };
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"items\":[");
	if (dataset_list(r->db, json_ds, ctx, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	buf_printf(&r->out, "],\"total\":%d}\n", n);
}

/* One dataset: what it holds — its title, source, region kind and the map it is drawn on, its
 * years, regions and industries (codes and names in both languages, the traded flags), and the
 * indicators and LQ bases it can be shown in.  404 for a dataset that is not stored. */
void h_api_dataset(struct req *r)
{
	struct cmap m;
	struct cmap_geo cg;
	struct kerr e = KERR_INIT;
	size_t i, k, n;

	memset(&m, 0, sizeof(m));
	memset(&cg, 0, sizeof(cg));
	if (!r->arg || !dataset_name_ok(r->arg) || dataset_load(r->db, r->arg, &m.cube, &m.info, &e)) {
		if (!r->arg || !dataset_name_ok(r->arg))
			req_error(r, 404, "no such dataset");   /* not a name: not echoed */
		else if (e.kind == KERR_NOTFOUND) {   /* named, as /api/v1/cluster-map?dataset= names it */
			kerr_set(&e, KERR_NOTFOUND, "There is no dataset '%s'.", r->arg);
			req_error_kerr(r, &e);
		} else
			req_error_kerr(r, &e);
		cmap_release(&m);
		return;
	}
	m.year = m.cube.nyear ? m.cube.nyear - 1 : 0;
	m.indicator = "lq";
	cmap_geo_match(r, &m, &cg);
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"name\":");
	esc_json(&r->out, m.info.name);
	buf_puts(&r->out, ",\"title\":");
	esc_json(&r->out, m.info.title);
	dataset_json_source(&r->out, m.info.source, m.info.licence);
	buf_puts(&r->out, ",\"region_kind\":");
	esc_json(&r->out, m.info.region_kind);
	buf_printf(&r->out, ",\"layer\":\"%s\",\"reference\":%s,\"traded\":%s,\"establishments\":%s,\"years\":[",
		   cg.kind, m.info.has_ref ? "true" : "false", m.info.has_traded ? "true" : "false",
		   m.cube.est ? "true" : "false");
	for (i = 0, n = 0; i < m.cube.nyear; i++)
		if (m.cube.year[i])   /* a dataset without years has none */
			buf_printf(&r->out, "%s%d", n++ ? "," : "", m.cube.year[i]);
	buf_printf(&r->out, "],\"regions\":%zu,\"regions_by_year\":[", m.cube.nreg);
	for (i = 0; i < m.cube.nyear; i++) {
		/* the regions with data in each year (a region may be absent from one) */
		size_t in = 0;
		for (k = 0; k < m.cube.nreg; k++)
			in += !cube_absent(&m.cube, i, k);
		buf_puts(&r->out, i ? ",{\"year\":" : "{\"year\":");
		if (m.cube.year[i])
			buf_printf(&r->out, "%d", m.cube.year[i]);
		else
			buf_puts(&r->out, "null");
		buf_printf(&r->out, ",\"regions\":%zu}", in);
	}
	buf_puts(&r->out, "],\"indicators\":[");
	for (k = 0; k < (has_changes(&m) ? NIND : NIND_YEAR); k++)   /* changes need two years */
		buf_printf(&r->out, "%s\"%s\"", k ? "," : "", indicators[k].key);
	buf_printf(&r->out, "],\"bases\":[\"all\"%s],\"industries\":[", m.info.has_traded ? ",\"traded\"" : "");
	for (i = 0; i < m.cube.nind; i++) {
		buf_puts(&r->out, i ? ",{\"industry\":" : "{\"industry\":");
		esc_json(&r->out, m.cube.ind[i]);
		cmap_json_ind_names(&r->out, &m.cube, i);
		buf_printf(&r->out, ",\"traded\":%s}", !m.cube.traded || m.cube.traded[i] < 0 ? "null"
							 : m.cube.traded[i] ? "true" : "false");
	}
	buf_puts(&r->out, "]}\n");
	cmap_geo_release(&cg);
	cmap_release(&m);
}

static void jnum(struct buf *b, const char *key, double v)
{
	buf_printf(b, ",\"%s\":", key);
	if (isnan(v))
		buf_puts(b, "null");
	else
		buf_printf(b, "%.10g", v);
}

/* Where a region is on the map: "on_map", "drawn_as" (the codes of the
 * boundaries it is drawn on), "correspondence" (the kind of NUTS change it
 * is drawn through, or null) and "why" it is not on the map (or null). */
static void json_place(struct buf *b, const struct geo_layer *g, const struct nuts_place *p)
{
	size_t k;
	buf_printf(b, ",\"on_map\":%s,\"drawn_as\":[", p->n ? "true" : "false");
	for (k = 0; k < p->n; k++) {
		buf_puts(b, k ? "," : "");
		esc_json(b, g->f[p->feat[k]].code);
	}
	buf_puts(b, "],\"correspondence\":");
	esc_json_or_null(b, p->via && p->n ? nuts_kind_name(p->via->kind) : NULL);
	buf_puts(b, ",\"why\":");
	esc_json_or_null(b, p->n ? NULL : nuts_why_text(p->why, 0));
}

/* A region's hot spot: "gi", "z", "p" and "spot" ("hot", "cold" or null;
 * all null when the region is not in the computation), and the point used. */
static void json_hotspot(struct buf *b, const struct mapping_hotspots *h, size_t rr)
{
	size_t i = h->at[rr];
	int in = i != (size_t)-1;
	const char *spot = in ? spatial_spot_name(spatial_spot(&h->g, i)) : "";
	jnum(b, "gi", in ? h->g.g[i] : NAN);
	jnum(b, "z", in ? h->g.z[i] : NAN);
	jnum(b, "p", in ? h->g.p[i] : NAN);
	buf_puts(b, ",\"spot\":");
	esc_json_or_null(b, *spot ? spot : NULL);
	jnum(b, "point_lat", in ? h->lat[i] : NAN);
	jnum(b, "point_lon", in ? h->lon[i] : NAN);
}

/* One industry and year of a dataset: every region's indicators as in a
 * row of the download (establishments, the three star flags, stars,
 * strong …; with band_km, its hot spot). */
void h_api_cluster_map(struct req *r)
{
	struct cmap m;
	struct kerr e = KERR_INIT;
	char *dsname = NULL;
	size_t i, n;
	struct cmap_geo cg;
	struct mapping_hotspots h;
	int *rank_of = NULL;   /* per region of the cube: its rank, 0 for none */
	memset(&cg, 0, sizeof(cg));
	memset(&h, 0, sizeof(h));
	if (cmap_load(r, &m, &dsname, 0, &e) || (cmap_geo_match(r, &m, &cg), cmap_hotspots(r, &m, &cg, &h, &e))) {
		free(dsname);
		mapping_hotspots_release(&h);
		cmap_geo_release(&cg);
		cmap_release(&m);
		req_error(r, kerr_http_status(e.kind), e.msg);
		return;
	}
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"dataset\":");
	esc_json(&r->out, m.info.name);
	buf_puts(&r->out, ",\"title\":");
	esc_json(&r->out, m.info.title);
	dataset_json_source(&r->out, m.info.source, m.info.licence);   /* where the numbers come from, on what terms */
	buf_puts(&r->out, ",\"industry\":");
	esc_json(&r->out, m.cube.ind[m.ind]);
	cmap_json_ind_names(&r->out, &m.cube, m.ind);
	buf_printf(&r->out, ",\"indicator\":\"%s\"", m.indicator);
	if (m.change)   /* the change's first year; "year" is its last */
		buf_printf(&r->out, ",\"from\":%d", m.cube.year[m.from]);
	if (m.cube.year[m.year])
		buf_printf(&r->out, ",\"year\":%d", m.cube.year[m.year]);
	else
		buf_puts(&r->out, ",\"year\":null");  /* a dataset without years */
	if (m.change) {
		/* the growth of the reference economy and of the industry in it (shift-share's G, G_i) */
		jnum(&r->out, "national_growth", m.sh.G);
		jnum(&r->out, "industry_growth", m.sh.G_ind[m.ind]);
	}
	buf_printf(&r->out, ",\"layer\":\"%s\",\"base\":\"%s\",\"reference\":%s",
		   cg.kind, m.base == INDIC_BASE_TRADED ? "traded" : "all", m.info.has_ref ? "true" : "false");
	if (*m.notice) {   /* a base=traded that a change does not apply: base says the one used */
		buf_puts(&r->out, ",\"notice\":");
		esc_json(&r->out, m.notice);
	}
	if (m.band_km)
		buf_printf(&r->out, ",\"band_km\":%.10g,\"hotspots\":{\"regions\":%zu,\"hot\":%zu,\"cold\":%zu,"
			   "\"no_boundary\":%zu,\"no_value\":%zu,\"islands\":%zu}", m.band_km, h.n, h.hot, h.cold,
			   h.no_place, h.no_value, h.g.nisland);
	{
		/* each region's rank by the indicator, as the page's table ranks it */
		size_t nrk;
		struct rank *rk = cmap_ranks(&m, &nrk);
		rank_of = xcalloc(m.cube.nreg + 1, sizeof(*rank_of));
		for (i = 0; i < nrk; i++)
			rank_of[rk[i].r] = rk[i].rank;
		free(rk);
	}
	buf_puts(&r->out, ",\"regions\":[");
	for (i = 0, n = 0; i < m.cube.nreg; i++) {
		size_t c = cube_at(&m.cube, m.year, i, m.ind);
		if (!cmap_has_row(&m, i))
			continue;   /* not in the data this year (a change: in neither year) */
		buf_puts(&r->out, n++ ? ",{\"region\":" : "{\"region\":");
		esc_json(&r->out, m.cube.reg[i]);
		buf_puts(&r->out, ",\"name\":");
		esc_json_or_null(&r->out, cmap_region_name(&m, &cg, i));
		if (rank_of[i])
			buf_printf(&r->out, ",\"rank\":%d", rank_of[i]);
		else
			buf_puts(&r->out, ",\"rank\":null");   /* no value of the indicator: unranked, as on the page */
		if (m.change) {
			/* the shift-share row of `klaster map shift-share` (growth a fraction) */
			size_t at = i * m.cube.nind + m.ind;
			jnum(&r->out, "employment_from", m.sh.e0[at]);
			jnum(&r->out, "employment_to", m.sh.e1[at]);
			jnum(&r->out, "growth", m.sh.growth[at]);
			jnum(&r->out, "national_share", m.sh.ns[at]);
			jnum(&r->out, "industry_mix", m.sh.im[at]);
			jnum(&r->out, "regional_shift", m.sh.rs[at]);
			json_place(&r->out, cg.g, &cg.place[i]);
			if (m.band_km)
				json_hotspot(&r->out, &h, i);
			buf_puts(&r->out, "}");
			continue;
		}
		jnum(&r->out, "employment", m.cube.emp[c]);
		jnum(&r->out, "establishments", m.cube.est ? m.cube.est[c] : NAN);
		jnum(&r->out, "lq", m.res.lq[c]);
		jnum(&r->out, "share_of_region", m.res.share_reg[c]);
		jnum(&r->out, "share_of_industry", m.res.share_ind[c]);
		json_flags(&r->out, &m.cube, &m.res, c);   /* null where not computed, as the download's empty cells */
		json_place(&r->out, cg.g, &cg.place[i]);
		if (m.band_km)
			json_hotspot(&r->out, &h, i);
		buf_puts(&r->out, "}");
	}
	buf_puts(&r->out, "]}\n");
	free(rank_of);
	free(dsname);
	mapping_hotspots_release(&h);
	cmap_geo_release(&cg);
	cmap_release(&m);
}

/* The code a voivodeship has in the other of the two ways datasets write it: TERYT "14" is
 * NUTS 2013 "PL12" (the region table); "" when code is neither. */
static const char *voiv_other_code(struct req *r, const char *code, char out[8])
{
	struct voiv_nuts v[20];
	size_t n = load_voiv_nuts(r, v), i;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].teryt, code) == 0)
			memcpy(out, v[i].nuts2013, sizeof(v[i].nuts2013));
		else if (strcmp(v[i].nuts2013, code) == 0)
			memcpy(out, v[i].teryt, sizeof(v[i].teryt));
	}
	return out;
}

/* The region of a profile: region= when the dataset has it in the year shown, else the region
 * with the most employment that year.  A voivodeship under its other code (TERYT "14", NUTS
 * "PL12"), as after choosing another dataset in the form, is shown with a notice.  A code the
 * dataset does not have, or has not that year, is an error for the API (KERR_INPUT naming region)
 * and, on the page (page set), a notice over the default, which names it.  feature= (a boundary
 * clicked on the map) is the region of the year drawn on it; on the page, a region drawn on it
 * that has no data that year is said as for region=, and a boundary no region of the dataset is
 * drawn on (a country it does not cover) sets *none (*rr (size_t)-1) with a notice saying so —
 * no other region is shown in its place.  (size_t)-1 when the year has no region (not for a
 * stored dataset). */
static int cmap_region(struct req *r, struct cmap *m, const struct cmap_geo *cg, int page, size_t *rr,
		       int *none, struct kerr *e)
{
	const char *code = cmap_arg(r, "region"), *param = "region";   /* the parameter messages name */
	size_t i, at;
	double most = -1;
	char c40[41], t80[81], y12[16] = "", other[8];
	*rr = (size_t)-1;
	for (i = 0; i < m->cube.nreg; i++) {
		double t = 0;
		size_t k;
		if (cube_absent(&m->cube, m->year, i))
			continue;
		for (k = 0; k < m->cube.nind; k++) {
			double v = m->cube.emp[cube_at(&m->cube, m->year, i, k)];
			t += isnan(v) ? 0 : v;
		}
		if (t > most) {
			most = t;
			*rr = i;
		}
	}
	*none = 0;
	if ((!code || !*code) && (code = cmap_arg(r, "feature")) != NULL && *code) {
		/* a boundary clicked on the map: the region of the year drawn on it, silently */
		size_t dataless = (size_t)-1;   /* a region drawn on it that has no data this year */
		param = "feature";
		for (i = 0; i < m->cube.nreg; i++) {
			size_t k;
			for (k = 0; k < cg->place[i].n; k++) {
				if (strcmp(cg->g->f[cg->place[i].feat[k]].code, code) != 0)
					continue;
				if (!cube_absent(&m->cube, m->year, i)) {
					*rr = i;
					return 0;
				}
				dataless = i;
			}
		}
		if (page && dataless != (size_t)-1) {
			code = m->cube.reg[dataless];   /* said below as a region without data that year */
		} else if (page) {
			long f = find_feature(cg->g, code);
			const char *fname = f >= 0 ? cg->g->f[f].name : NULL;
			char n80[81];
			esc_cut(c40, code, 40);
			esc_cut(t80, m->info.title, 80);
			if (fname)
				esc_cut(n80, fname, 80);
			notice_add(m, L(r, "Obszaru %s%s%s%s nie ma w zbiorze „%s”: zbiór nie ma na nim regionu. Wybierz region "
					   "z listy.",
					"Area %s%s%s%s is not in dataset \"%s\": the dataset has no region on it. Choose a region "
					   "from the list."),
				   c40, fname ? " (" : "", fname ? n80 : "", fname ? ")" : "", t80);
			*rr = (size_t)-1;
			*none = 1;
			return 0;
		}
	}
	if (!code || !*code)
		return 0;
	at = cube_region(&m->cube, code);
	if (at != (size_t)-1 && !cube_absent(&m->cube, m->year, at)) {
		*rr = at;
		return 0;
	}
	esc_cut(c40, code, 40);
	esc_cut(t80, m->info.title, 80);
	if (m->cube.year[m->year])
		snprintf(y12, sizeof(y12), "%d", m->cube.year[m->year]);
	if (at == (size_t)-1 && page && *voiv_other_code(r, code, other) &&
	    (at = cube_region(&m->cube, other)) != (size_t)-1 && !cube_absent(&m->cube, m->year, at)) {
		*rr = at;
		notice_add(m, L(r, "Region %s ma w zbiorze „%s” kod %s.", "Region %s is %s in dataset \"%s\"."), c40,
			   req_polish(r) ? t80 : other, req_polish(r) ? other : t80);
		return 0;
	}
	if (!page) {
		if (at != (size_t)-1)
			return kerr_set(e, KERR_INPUT, L_msg(r, "%s: „%s” nie ma danych%s%s w zbiorze %s",
							 "%s: '%s' has no data%s%s in dataset %s"), param, c40,
					*y12 ? L_msg(r, " za ", " in ") : "", y12, m->info.name);
		return kerr_set(e, KERR_INPUT, L_msg(r, "%s: „%s” nie występuje w zbiorze %s",
						 "%s: '%s' is not in dataset %s"), param, c40, m->info.name);
	}
	{
		const char *nm = *rr == (size_t)-1 ? NULL : cmap_region_name(m, cg, *rr);
		char shown[120];
		if (*rr == (size_t)-1)
			snprintf(shown, sizeof(shown), "–");
		else if (nm && strcmp(nm, m->cube.reg[*rr]))
			snprintf(shown, sizeof(shown), "%s (%s)", nm, m->cube.reg[*rr]);
		else
			snprintf(shown, sizeof(shown), "%s", m->cube.reg[*rr]);
		if (at != (size_t)-1 && *y12)
			notice_add(m, L(r, "Region %s nie ma danych za rok %s: pokazano %s.",
					"Region %s has no data for %s: showing %s."), c40, y12, shown);
		else if (at != (size_t)-1)
			notice_add(m, L(r, "Region %s nie ma danych: pokazano %s.", "Region %s has no data: showing %s."),
				   c40, shown);
		else
			notice_add(m, L(r, "Regionu %s nie ma w zbiorze „%s”: pokazano %s.",
					"Region %s is not in dataset \"%s\": showing %s."), c40, t80, shown);
	}
	return 0;
}

/* Everything a region profile needs: the dataset (cmap_load), where its regions are drawn (for
 * their names), the region, its profile and the regions' indices of the year. */
struct cregion {
	struct cmap m;
	struct cmap_geo cg;
	size_t rr;
	struct mapping_profile p;
	struct indic_indices x;
	int have_x;
	char *dsname;
	/* from=Y0: the change since an earlier year, shift-share of Y0 → the year shown */
	size_t y0;              /* its index in the cube, or (size_t)-1 without from */
	struct indic_shift sh;
	double sum[5];          /* the region's employment in Y0 and Y (cells known in both); NS, IM, RS
				   of the cells with all three known, so that they add up to their change */
	size_t sh_left;         /* cells known in both years whose components are not (employment in
				   Y0 in an industry the reference leaves unknown: no national growth
				   rate; a cell of 0 in Y0 has its components whatever the rate) */
	int none;               /* the page's feature= is a boundary no region of the dataset is drawn
				   on: no region, no profile (rr is (size_t)-1) */
};

static void cregion_release(struct cregion *c)
{
	free(c->dsname);
	indic_shift_release(&c->sh);
	if (c->have_x)
		indic_indices_release(&c->x);
	mapping_profile_release(&c->p);
	cmap_geo_release(&c->cg);
	cmap_release(&c->m);
}

/* from=Y0: an earlier year of the dataset the shown year is compared with (shift-share, as
 * `klaster map shift-share --from Y0 --to Y`); empty or absent: none.  Not a year of the
 * dataset before the one shown: KERR_INPUT naming from, or on the page a notice. */
static int cregion_from(struct req *r, struct cregion *c, int page, struct kerr *e)
{
	const char *from = cmap_arg(r, "from");
	struct cmap *m = &c->m;
	size_t i, k;
	c->y0 = (size_t)-1;
	if (!from || !*from)
		return 0;
	if (not_a_year(from)) {   /* refused as the map's from= is, on the page too (above its form) */
		char y12[13];
		return kerr_set(e, KERR_INPUT, L_msg(r, "from: „%s” nie jest rokiem (liczba całkowita)",
						     "from: '%s' is not a year (a whole number)"), esc_cut(y12, from, 12));
	}
	k = year_index(&m->cube, from);
	if (k == (size_t)-1 || k >= m->year) {
		char y12[13];
		esc_cut(y12, from, 12);
		if (!m->cube.year[m->year]) {
			if (!page)
				return kerr_set(e, KERR_INPUT, L_msg(r, "from: zbiór %s nie ma lat", "from: dataset %s has no years"),
						m->info.name);
			notice_add(m, "%s", L(r, "Zbiór nie ma lat: bez porównania.", "The dataset has no years: no comparison."));
		} else if (k == (size_t)-1) {
			if (!page)
				return kerr_set(e, KERR_INPUT, L_msg(r, "from: „%s” nie jest rokiem zbioru %s (ma lata %d–%d)",
								 "from: '%s' is not a year of dataset %s (it has %d to %d)"),
						y12, m->info.name, m->cube.year[0], m->cube.year[m->cube.nyear - 1]);
			notice_add(m, L(r, "Zbiór nie ma roku %s: bez porównania.",
					"The dataset has no year %s: no comparison."), y12);
		} else {
			if (!page)
				return kerr_set(e, KERR_INPUT, L_msg(r, "from: %s nie jest wcześniejszy niż pokazany rok %d",
								 "from: %s is not before the year shown, %d"), y12,
						m->cube.year[m->year]);
			notice_add(m, L(r, "Rok %s nie jest wcześniejszy niż pokazany %d: bez porównania.",
					"%s is not earlier than the year shown, %d: no comparison."), y12,
				   m->cube.year[m->year]);
		}
		return 0;
	}
	if (cube_absent(&m->cube, k, c->rr)) {
		char y12[13];
		esc_cut(y12, from, 12);
		if (!page)
			return kerr_set(e, KERR_INPUT, L_msg(r, "from: region %s nie ma danych za %s",
							 "from: region %s has no data in %s"), m->cube.reg[c->rr], y12);
		notice_add(m, L(r, "Region %s nie ma danych za rok %s: bez porównania.",
				"Region %s has no data for %s: no comparison."), m->cube.reg[c->rr], y12);
		return 0;
	}
	if (indic_shift_share(&m->cube, m->cube.year[k], m->cube.year[m->year], &c->sh, e)) {
		/* the data cannot give the change (no employment in Y0 in the cells known in both
		 * years): a 400 naming from, or on the page the profile without the comparison */
		if (e->kind != KERR_INPUT)
			return -1;
		shift_error_words(r, e);
		if (!page)
			return -1;
		notice_add(m, L(r, "Bez porównania z rokiem %d: %s.", "No comparison with %d: %s."), m->cube.year[k],
			   e->msg + strlen("from: "));
		kerr_clear(e);
		return 0;
	}
	c->y0 = k;
	for (i = 0; i < m->cube.nind; i++) {
		size_t at = c->rr * m->cube.nind + i;
		if (isnan(c->sh.e0[at]) || isnan(c->sh.e1[at]))
			continue;   /* not known in both years */
		c->sum[0] += c->sh.e0[at];
		c->sum[1] += c->sh.e1[at];
		if (isnan(c->sh.ns[at]) || isnan(c->sh.im[at]) || isnan(c->sh.rs[at])) {
			c->sh_left++;
			continue;
		}
		c->sum[2] += c->sh.ns[at];
		c->sum[3] += c->sh.im[at];
		c->sum[4] += c->sh.rs[at];
	}
	return 0;
}

/* The profile's dataset, region and comparison; skip: CMAP_NO_YEAR, CMAP_NO_BASE, CMAP_NO_FROM for
 * the choices the page refused and shows itself without (cmap_load). */
static int cregion_load(struct req *r, struct cregion *c, int page, int skip, struct kerr *e)
{
	memset(c, 0, sizeof(*c));
	if (cmap_load(r, &c->m, &c->dsname, (page ? CMAP_PAGE : 0) | CMAP_PROFILE | skip, e))
		return -1;
	cmap_geo_match(r, &c->m, &c->cg);
	c->y0 = (size_t)-1;
	if (cmap_region(r, &c->m, &c->cg, page, &c->rr, &c->none, e))
		return -1;
	if (c->none)
		return 0;   /* nothing to profile: the page says why */
	if (c->rr == (size_t)-1 || mapping_region_profile(&c->m.cube, &c->m.res, c->m.year, c->rr, &c->p))
		return kerr_set(e, KERR_INPUT, "%s", L_msg(r, "region: zbiór nie ma regionów w tym roku",
						       "region: the dataset has no region in that year"));
	/* the region indices (Herfindahl, Krugman, entropy): as `klaster map indices` */
	c->have_x = indic_indices(&c->m.cube, &c->x, NULL) == 0;
	return skip & CMAP_NO_FROM ? 0 : cregion_from(r, c, page, e);
}

/* The index of region rr in year y of x, or NAN without indices. */
static double cregion_index(const struct cregion *c, const double *v)
{
	return c->have_x ? v[c->m.year * c->m.cube.nreg + c->rr] : NAN;
}

/* A region of the profile's choice: its name, code and sort key (fold_sortkey: Polish order). */
struct region_opt {
	const char *name, *code;
	char *key;
};

static int region_opt_cmp(const void *a, const void *b)
{
	const struct region_opt *x = a, *y = b;
	return strcmp(x->key, y->key);
}

/* How many industries the profile lists as the region's related opportunities. */
#define OPPORTUNITIES 10

/* The region's related opportunities of the year shown: the industries it is not specialised in
 * (a known RCA below 1, as relatedness reads it: the LQ against the reference economy or the
 * regions' sum, whatever the page's base) with the highest relatedness density to what it is
 * specialised in (related.h), at most OPPORTUNITIES, into rk (n items: industry, density) in
 * mapping_value_cmp's order; rel keeps the relatedness (related_release).  0 with none when the
 * data gives no relatedness (one industry), -1 on another error. */
static int cregion_opportunities(const struct cregion *c, struct related *rel, struct mapping_value *rk, size_t *n,
				 struct kerr *e)
{
	const struct cube *cu = &c->m.cube;
	struct mapping_value *all;
	size_t i, k = 0;
	*n = 0;
	if (cmap_related(&c->m, rel, e)) {
		if (e->kind != KERR_INPUT)
			return -1;
		kerr_clear(e);
		return 0;
	}
	all = xcalloc(cu->nind + 1, sizeof(*all));
	for (i = 0; i < cu->nind; i++) {
		double rca = rel->rca[c->rr * cu->nind + i], d = rel->density[c->rr * cu->nind + i];
		if (isnan(rca) || indic_binary(rca, 1.0) == 1.0 || isnan(d))
			continue;
		all[k].i = i;
		all[k++].v = d;
	}
	qsort(all, k, sizeof(*all), mapping_value_cmp);
	*n = k < OPPORTUNITIES ? k : OPPORTUNITIES;
	memcpy(rk, all, *n * sizeof(*rk));
	free(all);
	return 0;
}

/* The region's related opportunities (cregion_opportunities) as a table under its industries,
 * each industry a link to its related industries' page. */
static void opportunities_section(struct req *r, const struct cregion *c)
{
	const struct cube *cu = &c->m.cube;
	struct related rel;
	struct mapping_value rk[OPPORTUNITIES];
	struct kerr e = KERR_INIT;
	size_t k, n;
	memset(&rel, 0, sizeof(rel));
	if (cregion_opportunities(c, &rel, rk, &n, &e) || !n) {
		related_release(&rel);
		return;
	}
	html_printf(&r->out, "<section class=\"opportunities\"><h2 id=\"opportunities\">%s</h2><p>%s</p>"
		    "<div class=\"table-wrap\"><table class=\"results opportunities-table\"><thead><tr>"
		    "<th scope=\"col\" class=\"num\">#</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>",
		    L(r, "Szanse w branżach pokrewnych", "Related opportunities"),
		    L(r, "Branże, w których region nie jest wyspecjalizowany (LQ < 1), a które są najbliżej tego, w czym "
			 "jest: najwyższa gęstość pokrewieństwa (0–100; Hidalgo i współautorzy 2007) — branże, które "
			 "najłatwiej mu rozwinąć. LQ względem gospodarki odniesienia zbioru lub sumy jego regionów, "
			 "wszystkie branże, jak w pokrewieństwie branż. To punkt wyjścia, nie gotowa lista: branże "
			 "związane z zasobami (górnictwo) albo bardzo małe trafiają tu tak samo jak inne — obok ich "
			 "zatrudnienie w regionie.",
		      "Industries the region is not specialised in (LQ < 1) that are closest to what it is: the highest "
			 "relatedness density (0–100; Hidalgo et al. 2007) — the industries easiest for it to grow. LQ "
			 "against the dataset's reference economy or the sum of its regions, all industries, as in "
			 "related industries. A starting point, not a finished list: industries bound to resources "
			 "(mining) or very small ones come up like any other — their employment in the region is beside "
			 "them."),
		    L(r, "Branża", "Industry"), L(r, "Gęstość pokrewieństwa", "Relatedness density"),
		    c->m.base == INDIC_BASE_TRADED ? L(r, "LQ (wszystkie branże)", "LQ (all industries)") : "LQ",
		    L(r, "Zatrudnienie", "Employment"));
	for (k = 0; k < n; k++) {
		size_t i = rk[k].i;
		const char *nm = cmap_ind_label(r, cu, i);
		struct buf u = BUF_INIT;
		buf_puts(&u, "/cluster-map/related?dataset=");
		esc_url(&u, c->m.info.name);
		if (cu->year[c->m.year])
			buf_printf(&u, "&year=%d", cu->year[c->m.year]);
		buf_puts(&u, "&industry=");
		esc_url(&u, cu->ind[i]);
		if (c->m.lang[0])
			buf_printf(&u, "&lang=%s", c->m.lang);
		html_printf(&r->out, "<tr data-industry=\"%s\"><td class=\"num\">%d</td><td><a href=\"%s\">%s%R%s</a></td>",
			    cu->ind[i], (int)k + 1, u.ptr, cu->ind[i], *nm ? " — " : "", nm);
		buf_release(&u);
		cmap_num_cell(r, rk[k].v, 1, "num");
		cmap_num_cell(r, rel.rca[c->rr * cu->nind + i], 2, "num");
		cmap_num_cell(r, cu->emp[cube_at(cu, c->m.year, c->rr, i)], 0, "num");
		buf_puts(&r->out, "</tr>");
	}
	buf_puts(&r->out, "</tbody></table></div></section>");
	related_release(&rel);
}

/* One region's industries, highest LQ first, with its totals, stars and indices: the rows of
 * /cluster-map.csv for the region and the year shown.  Industries link to their maps. */
void h_cluster_region(struct req *r)
{
	struct cregion c;
	struct kerr e = KERR_INIT;
	struct cmap *m = &c.m;
	size_t i, k, nr = 0;
	struct region_opt *opts;
	const char *rname, *code;
	int europe;   /* the map of Europe: the regions grouped by country */
	int rank = 0, has_est, skip = 0;
	char num[48], raw[80];

	struct buf refused = BUF_INIT;   /* the values refused, "name: why" a line */

	cmap_args_refused(r, cmap_profile_params, &refused);
	while (cregion_load(r, &c, 1, skip, &e) && e.kind == KERR_INPUT) {
		/* a year, base or earlier year the form refuses (typed into the address): a 400 with the
		 * page itself and the problems above its form, the profile without that choice (the
		 * latest year, base all, no comparison), as the map's page does */
		int flag = refused_choice(e.msg);
		char line[300];
		if (!flag || (skip & flag))
			break;
		buf_printf(&refused, "%s%s", refused.len ? "\n" : "", esc_cut(line, e.msg, sizeof(line) - 1));
		skip |= flag;
		kerr_clear(&e);
		cregion_release(&c);
	}
	if (e.kind != KERR_NONE) {
		cregion_release(&c);
		buf_release(&refused);
		req_error(r, kerr_http_status(e.kind) == 500 ? 500 : kerr_http_status(e.kind), e.msg);
		return;
	}
	code = c.none ? "" : m->cube.reg[c.rr];
	rname = c.none ? NULL : cmap_region_name(m, &c.cg, c.rr);
	europe = strcmp(c.cg.kind, "nuts2") == 0;
	has_est = m->cube.est != NULL;
	cmap_head(r, m, WEB_TAB_REGION, L(r, "Mapa klastrów: profil regionu", "Cluster map: region profile"),
		  L(r, "W czym specjalizuje się region: jego branże od najwyższego ilorazu lokalizacji, z gwiazdkami "
		       "European Cluster Observatory i regułą silnego klastra U.S. Cluster Mapping Project.",
		    "What a region is specialised in: its industries from the highest location quotient, with "
		       "European Cluster Observatory stars and the U.S. Cluster Mapping Project strong-cluster rule."),
		  "/cluster-map/region", refused.len ? refused.ptr : NULL);
	buf_release(&refused);
	/* the choice: dataset (above), region, year, base */
	html_printf(&r->out, "<div><label for=\"f-region\">%s</label><select id=\"f-region\" name=\"region\"%R>",
		    L(r, "Region", "Region"), web_invalid(r, "region"));
	/* the regions of the year by name (the code after it), in Polish alphabetical order */
	opts = xcalloc(m->cube.nreg + 1, sizeof(*opts));
	for (i = 0; i < m->cube.nreg; i++) {
		const char *nm;
		struct buf key = BUF_INIT;
		if (cube_absent(&m->cube, m->year, i))
			continue;
		nm = cmap_region_name(m, &c.cg, i);
		opts[nr].name = nm ? nm : m->cube.reg[i];
		opts[nr].code = m->cube.reg[i];
		if (europe)   /* by country first (the NUTS code's first two letters) */
			buf_printf(&key, "%.2s ", opts[nr].code);
		fold_sortkey(&key, opts[nr].name);
		opts[nr++].key = buf_detach(&key, NULL);
	}
	qsort(opts, nr, sizeof(*opts), region_opt_cmp);
	if (c.none)   /* no region shown: the choice starts empty */
		html_printf(&r->out, "<option value=\"\" selected>%s</option>", L(r, "— wybierz region —", "— choose a region —"));
	for (i = 0; i < nr; i++) {
		int two = strcmp(opts[i].name, opts[i].code) != 0;
		if (europe && (i == 0 || strncmp(opts[i].code, opts[i - 1].code, 2) != 0)) {
			char cc[3];
			const char *country = nuts_country_name(opts[i].code, req_polish(r));
			snprintf(cc, sizeof(cc), "%.2s", opts[i].code);
			html_printf(&r->out, "%R<optgroup label=\"%s%R%s%R\">", i ? "</optgroup>" : "",
				    country ? country : cc, country ? " (" : "", country ? cc : "", country ? ")" : "");
		}
		html_printf(&r->out, "<option value=\"%s\"%R>%s%R%s%R</option>", opts[i].code,
			    strcmp(opts[i].code, code) == 0 ? " selected" : "", opts[i].name, two ? " (" : "",
			    two ? opts[i].code : "", two ? ")" : "");
		free(opts[i].key);
	}
	if (europe && nr)
		buf_puts(&r->out, "</optgroup>");
	free(opts);
	buf_puts(&r->out, "</select></div>");
	cmap_year_base(r, m);
	if ((m->year > 0 || field_refused(r, "from")) && !c.none) {
		/* an earlier year to compare with */
		html_printf(&r->out, "<div><label for=\"f-from\">%s</label><select id=\"f-from\" name=\"from\"%R>"
			    "<option value=\"\">%s</option>", L(r, "Porównaj z rokiem", "Compare with year"),
			    web_invalid(r, "from"), L(r, "bez porównania", "no comparison"));
		for (i = m->year; i-- > 0;)
			if (!cube_absent(&m->cube, i, c.rr))   /* years the region has data for */
				html_printf(&r->out, "<option value=\"%d\"%R>%d</option>", m->cube.year[i],
					    i == c.y0 ? " selected" : "", m->cube.year[i]);
		buf_puts(&r->out, "</select></div>");
	}
	html_printf(&r->out, "<div class=\"f-go\"><button type=\"submit\">%s</button></div></form>",
		    L(r, "Pokaż", "Show"));
	if (*m->notice)
		html_printf(&r->out, "<p class=\"notice\" role=\"status\">%s</p>", m->notice);
	if (c.none) {
		/* a boundary the dataset has no region on: the choice and why, no other region's profile */
		r->status = 404;
		cregion_release(&c);
		page_end(r);
		return;
	}

	html_printf(&r->out, "<h2>%s", rname ? rname : code);
	if (rname && strcmp(rname, code))
		html_printf(&r->out, " (%s)", code);
	if (m->cube.year[m->year])
		html_printf(&r->out, " — %d", m->cube.year[m->year]);
	buf_puts(&r->out, "</h2>");
	/* the totals: what the table adds up to, and the indices of `klaster map indices` */
	{
		enum draw_numstyle ns = req_polish(r) ? DRAW_NUM_PL : DRAW_NUM_EN;
		buf_puts(&r->out, "<dl class=\"profile\">");
		draw_num_text(num, sizeof(num), c.p.employment, 0, ns);
		snprintf(raw, sizeof(raw), "%.10g", c.p.employment);
		html_printf(&r->out, "<dt>%s</dt><dd data-employment=\"%s\">%s</dd>", L(r, "Zatrudnienie", "Employment"),
			    raw, num);
		html_printf(&r->out, "<dt>%s</dt><dd data-industries=\"%lld\">%lld %s %lld</dd>",
			    L(r, "Branże z zatrudnieniem", "Industries with employment"), (long long)c.p.industries,
			    (long long)c.p.industries, L(r, "z", "of"), (long long)m->cube.nind);
		html_printf(&r->out, "<dt>%s</dt><dd data-stars=\"%lld,%lld,%lld\">%lld / %lld / %lld</dd>",
			    L(r, "Branże z 3 / 2 / 1 gwiazdkami ECO", "Industries with 3 / 2 / 1 ECO stars"),
			    (long long)c.p.stars[3], (long long)c.p.stars[2], (long long)c.p.stars[1],
			    (long long)c.p.stars[3], (long long)c.p.stars[2], (long long)c.p.stars[1]);
		html_printf(&r->out, "<dt>%s</dt><dd data-strong=\"%lld,%lld\">%lld / %lld</dd>",
			    L(r, "Silne klastry (75. / 90. percentyl)", "Strong clusters (75th / 90th percentile)"),
			    (long long)c.p.strong, (long long)c.p.strong10, (long long)c.p.strong, (long long)c.p.strong10);
		if (c.y0 != (size_t)-1) {
			char a[48], b[48], g[48];
			int y0 = m->cube.year[c.y0], y1 = m->cube.year[m->year];
			draw_num_text(a, sizeof(a), c.sum[0], 0, ns);
			draw_num_text(b, sizeof(b), c.sum[1], 0, ns);
			if (c.sum[0] > 0) {
				pct_text(r, g, sizeof(g), 100 * (c.sum[1] / c.sum[0] - 1), 1);
				html_printf(&r->out, "<dt>%s %d–%d</dt><dd class=\"change\">%s → %s (%s%%)",
					    L(r, "Zmiana zatrudnienia", "Employment change"), y0, y1, a, b, g);
			} else {
				html_printf(&r->out, "<dt>%s %d–%d</dt><dd class=\"change\">%s → %s (–)",
					    L(r, "Zmiana zatrudnienia", "Employment change"), y0, y1, a, b);
			}
			html_printf(&r->out, " <span class=\"muted\">%s</span></dd>",
				    L(r, "(branże znane w obu latach)", "(industries known in both years)"));
			draw_num_text(a, sizeof(a), c.sum[2], 0, ns);
			draw_num_text(b, sizeof(b), c.sum[3], 0, ns);
			draw_num_text(g, sizeof(g), c.sum[4], 0, ns);
			snprintf(raw, sizeof(raw), "%.10g,%.10g,%.10g", c.sum[2], c.sum[3], c.sum[4]);
			html_printf(&r->out, "<dt>%s</dt><dd data-shift=\"%s\">%s %s · %s %s · %s %s",
				    L(r, "Analiza przesunięć udziałów", "Shift-share"), raw, SS_NAME(r, SS_NATIONAL), a,
				    SS_NAME(r, SS_MIX), b, SS_NAME(r, SS_REGIONAL), g);
			if (c.sh_left) {
				/* the industries left out, by code (the first few) */
				size_t n = 0;
				html_printf(&r->out, " <span class=\"muted sh-left\">(%s %d %s %d: ",
					    L(r, "pominięte branże bez krajowego tempa wzrostu — nieznane w gospodarce "
						 "odniesienia w",
					      "left out: industries without a national growth rate — unknown in the reference "
						 "economy in"), y0, L(r, "lub", "or"), y1);
				for (i = 0; i < m->cube.nind && n < 6; i++) {
					size_t at = c.rr * m->cube.nind + i;
					if (isnan(c.sh.e0[at]) || isnan(c.sh.e1[at]) ||
					    !(isnan(c.sh.ns[at]) || isnan(c.sh.im[at]) || isnan(c.sh.rs[at])))
						continue;
					html_printf(&r->out, "%R%s", n ? ", " : "", n < 5 ? m->cube.ind[i] : "…");
					n++;
				}
				buf_puts(&r->out, ")</span>");
			}
			buf_puts(&r->out, "</dd>");
		}
		if (c.have_x) {
			double kr = cregion_index(&c, c.x.reg_krugman), hhi = cregion_index(&c, c.x.reg_hhi);
			double eq = cregion_index(&c, c.x.reg_hhi_equiv), sh = cregion_index(&c, c.x.reg_shannon);
			draw_num_text(num, sizeof(num), kr, 3, ns);
			snprintf(raw, sizeof(raw), "%.10g", kr);
			html_printf(&r->out, "<dt>%s</dt><dd data-krugman=\"%s\">%s <span class=\"muted\">%s</span></dd>",
				    L(r, "Indeks specjalizacji Krugmana", "Krugman specialisation index"), raw, num,
				    m->info.has_ref ? L(r, "(0: struktura jak gospodarki odniesienia, 2: zupełnie inna)",
							"(0: the structure of the reference economy, 2: entirely different)")
						    : L(r, "(0: struktura jak sumy regionów zbioru, 2: zupełnie inna)",
							"(0: the structure of the dataset's regions together, 2: entirely different)"));
			draw_num_text(num, sizeof(num), hhi, 3, ns);
			snprintf(raw, sizeof(raw), "%.10g", hhi);
			html_printf(&r->out, "<dt>%s</dt><dd data-hhi=\"%s\">%s", L(r, "Indeks Herfindahla", "Herfindahl index"),
				    raw, num);
			draw_num_text(num, sizeof(num), eq, 1, ns);
			html_printf(&r->out, " <span class=\"muted\">(%s %s)</span></dd>",
				    L(r, "równoważna liczba branż o równych udziałach:",
				      "the equivalent number of equally large industries:"), num);
			draw_num_text(num, sizeof(num), sh, 3, ns);
			snprintf(raw, sizeof(raw), "%.10g", sh);
			html_printf(&r->out, "<dt>%s</dt><dd data-shannon=\"%s\">%s</dd>",
				    L(r, "Entropia Shannona (różnorodność)", "Shannon entropy (diversity)"), raw, num);
		}
		buf_puts(&r->out, "</dl>");
		if (c.have_x) {
			/* confidential cells are 0 in these sums: say so where the region has any */
			long long nmiss = 0;
			for (i = 0; i < m->cube.nind; i++)   /* of the industries of the year (indic_indices) */
				nmiss += isnan(m->cube.emp[cube_at(&m->cube, m->year, c.rr, i)]) &&
					 cube_industry_in_year(&m->cube, m->year, i);
			if (nmiss)
				html_printf(&r->out, "<p class=\"muted missing-note\" data-missing=\"%lld\">%s %lld.</p>", nmiss,
					    L(r, "Indeksy liczą jako 0 komórki tego regionu bez wartości (poufne lub brakujące):",
					      "The indices take this region's cells without a value (confidential or missing) as 0:"),
					    nmiss);
		}
	}
	if (c.y0 != (size_t)-1) {
		html_printf(&r->out, "<p class=\"muted shift-note\">%s %s</p>",
			    L(r, "Analiza przesunięć udziałów dzieli zmianę zatrudnienia każdej branży regionu na trzy części, "
				 "które razem dają tę zmianę: efekt krajowy — o ile zmieniłoby się zatrudnienie, gdyby rosło w "
				 "tempie całej gospodarki; efekt strukturalny — ile dodaje lub odejmuje to, że ta branża rosła w "
				 "kraju szybciej lub wolniej niż cała gospodarka; efekt regionalny — reszta: o ile branża w "
				 "regionie rosła szybciej (dodatni) lub wolniej (ujemny) niż ta sama branża w kraju.",
			      "Shift-share splits each industry's change of employment in the region into three parts that "
				 "add up to it: the national share — the change had it grown at the rate of the whole economy; "
				 "the industry mix — what the industry's own national growth, faster or slower than the "
				 "economy's, adds or takes away; the regional shift — the rest: how much faster (positive) or "
				 "slower (negative) the industry grew in the region than in the nation."),
			    m->info.has_ref ? L(r, "Tempo krajowe: gospodarka odniesienia zbioru; wszystkie branże.",
						"National rates: the dataset's reference economy; all industries.")
					    : L(r, "Tempo krajowe: suma regionów zbioru; wszystkie branże.",
						"National rates: the sum of the dataset's regions; all industries."));
		if (*m->from_lq_error)
			html_printf(&r->out, "<p class=\"notice\" role=\"status\">%s %d: %s</p>",
				    L(r, "Bez LQ roku", "No LQs for"), m->cube.year[c.y0], m->from_lq_error);
	}
	web_source_para(r, m->info.source, m->info.licence);
	html_printf(&r->out, "<p class=\"muted base-note\">%s%R%s. %s</p>",
		    m->info.has_ref ? L(r, "LQ i udziały względem gospodarki odniesienia zbioru",
					"LQs and shares against the dataset's reference economy")
				    : L(r, "LQ i udziały względem sumy regionów zbioru",
					"LQs and shares against the sum of the dataset's regions"),
		    m->base == INDIC_BASE_TRADED ? "; " : "",
		    m->base == INDIC_BASE_TRADED ? L(r, "baza: tylko branże ponadlokalne (traded)",
						     "base: traded industries only") : "",
		    L(r, "Indeksy liczone na wszystkich branżach.", "The indices are computed on all industries."));
	est_note(r, m, 0);
	{
		struct buf dl = BUF_INIT;
		download_url(&dl, m, code);
		cmap_download_links(r, "region-download", dl.ptr,
			       L(r, "pobierz CSV regionu (wszystkie wskaźniki i lata)",
				 "download the region's CSV (all indicators and years)"));
		buf_release(&dl);
	}
	/* the table: industries with an LQ ranked (ties share a rank), the others after them */
	html_printf(&r->out, "<div class=\"table-wrap\"><table class=\"results profile-table\"><caption>%s</caption>"
		    "<thead><tr><th scope=\"col\">#</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>",
		    L(r, "Branże regionu od najwyższego LQ", "The region's industries, highest LQ first"),
		    L(r, "Branża", "Industry"), L(r, "Zatrudnienie", "Employment"));
	/* columns of class "opt" give way on a phone (klaster.css) */
	if (has_est)
		html_printf(&r->out, "<th scope=\"col\" class=\"num opt\">%s</th>", L(r, "Zakłady", "Establishments"));
	html_printf(&r->out, "<th scope=\"col\" class=\"num\">%s (%%)</th><th scope=\"col\" class=\"num opt\">%s (%%)</th>"
		    "<th scope=\"col\" class=\"num\">LQ</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\" class=\"opt\">%s</th>",
		    L(r, "Udział w regionie", "Share of the region"), L(r, "Udział w branży", "Share of the industry"),
		    L(r, "Gwiazdki", "Stars"), L(r, "Silny klaster", "Strong cluster"),
		    L(r, "Silny (90. percentyl)", "Strong (90th percentile)"));
	if (c.y0 != (size_t)-1) {
		int y0 = m->cube.year[c.y0];
		html_printf(&r->out, "<th scope=\"col\" class=\"num opt\">%s %d</th><th scope=\"col\" class=\"num\">%s (%%)</th>"
			    "<th scope=\"col\" class=\"num opt\">LQ %d</th><th scope=\"col\" class=\"num opt\">%s</th>"
			    "<th scope=\"col\" class=\"num opt\">%s</th><th scope=\"col\" class=\"num\">%s</th>",
			    L(r, "Zatrudnienie", "Employment"), y0, L(r, "Zmiana", "Change"), y0,
			    SS_NAME(r, SS_NATIONAL), SS_NAME(r, SS_MIX), SS_NAME(r, SS_REGIONAL));
	}
	if (m->cube.nyear > 1)   /* each industry's trend over the years (web_trend.c) */
		html_printf(&r->out, "<th scope=\"col\" class=\"opt\">%s</th>", L(r, "W latach", "Over the years"));
	buf_puts(&r->out, "</tr></thead><tbody>");
	for (i = 0; i < m->cube.nind; i++) {
		size_t ii = c.p.order[i], cell = cube_at(&m->cube, m->year, c.rr, ii);
		const char *nm = cmap_ind_label(r, &m->cube, ii);
		double lq = m->res.lq[cell];
		unsigned kn = indic_known(&m->cube, &m->res, cell);
		struct buf u = BUF_INIT;
		rank = c.p.rank[i];   /* computed with the order (mapping_region_profile) */
		if (isnan(lq))
			buf_puts(&r->out, "<tr class=\"nodata\"><td class=\"num\"></td>");
		else
			html_printf(&r->out, "<tr><td class=\"num\">%d</td>", rank);
		cmap_url(&u, m, "/cluster-map", NULL, m->cube.ind[ii]);
		html_printf(&r->out, "<td><a href=\"%s\">%s%R%s</a></td>", u.ptr, m->cube.ind[ii], *nm ? " — " : "", nm);
		buf_release(&u);
		num_cell(r, m->cube.emp[cell], 0);
		if (has_est)
			cmap_num_cell(r, m->cube.est[cell], 0, "num opt");
		pct_cell_cls(r, m->res.share_reg[cell] * 100, 0, "num");
		pct_cell_cls(r, m->res.share_ind[cell] * 100, 0, "num opt");
		num_cell(r, lq, 2);
		if (!kn) {
			buf_puts(&r->out, "<td>–</td><td>–</td><td class=\"opt\">–</td>");
		} else {
			/* stars drawn, said, and which they are */
			int st = m->res.stars[cell] > 3 ? 3 : m->res.stars[cell], f = m->res.star_flags[cell], n = 0;
			if (kn & INDIC_KNOWN_STARS) {
				buf_puts(&r->out, "<td><span aria-hidden=\"true\" class=\"stars\">");
				for (k = 0; k < 3; k++)
					buf_puts(&r->out, (int)k < st ? "\xe2\x98\x85" : "\xe2\x98\x86");
				html_printf(&r->out, "</span><span class=\"vh\">%d %s 3</span>", st, L(r, "z", "of"));
			} else {
				buf_puts(&r->out, "<td>–");   /* the stars given are still named */
			}
			if (f) {
				buf_puts(&r->out, " <span class=\"muted which-stars\">");
				if (f & INDIC_STAR_SIZE)
					html_printf(&r->out, "%R%s", n++ ? ", " : "", L(r, "wielkość", "size"));
				if (f & INDIC_STAR_SPEC)
					html_printf(&r->out, "%R%s", n++ ? ", " : "", L(r, "specjalizacja", "specialisation"));
				if (f & INDIC_STAR_FOCUS)
					html_printf(&r->out, "%R%s", n++ ? ", " : "", L(r, "skupienie", "focus"));
				buf_puts(&r->out, "</span>");
			}
			html_printf(&r->out, "</td><td>%s</td><td class=\"opt\">%s</td>",
				    !(kn & INDIC_KNOWN_STRONG) ? "–" : m->res.strong[cell] ? L(r, "tak", "yes") : L(r, "nie", "no"),
				    !(kn & INDIC_KNOWN_STRONG10) ? "–" : m->res.strong10[cell] ? L(r, "tak", "yes") : L(r, "nie", "no"));
		}
		if (c.y0 != (size_t)-1) {
			size_t at = c.rr * m->cube.nind + ii;
			double g = c.sh.growth[at];
			int parts = !isnan(c.sh.ns[at]) && !isnan(c.sh.im[at]) && !isnan(c.sh.rs[at]);
			cmap_num_cell(r, m->cube.emp[cube_at(&m->cube, c.y0, c.rr, ii)], 0, "num opt");
			pct_cell_cls(r, g * 100, 1, "num");   /* a rise says its sign, as the change of the region above */
			cmap_num_cell(r, m->res.lq[cube_at(&m->cube, c.y0, c.rr, ii)], 2, "num opt");
			/* the three together, or none: they are one decomposition */
			cmap_num_cell(r, parts ? c.sh.ns[at] : NAN, 0, "num opt");
			cmap_num_cell(r, parts ? c.sh.im[at] : NAN, 0, "num opt");
			num_cell(r, parts ? c.sh.rs[at] : NAN, 0);
		}
		if (m->cube.nyear > 1) {
			cmap_url(&u, m, "/cluster-map/trend", code, m->cube.ind[ii]);
			html_printf(&r->out, "<td class=\"opt\"><a class=\"trend-link\" href=\"%s\">trend<span class=\"vh\"> %s</span></a></td>",
				    u.ptr, m->cube.ind[ii]);
			buf_release(&u);
		}
		buf_puts(&r->out, "</tr>");
	}
	buf_puts(&r->out, "</tbody></table></div>");
	opportunities_section(r, &c);
	cregion_release(&c);
	page_end(r);
}

/* The profile as JSON: the region, its totals and indices, and its industries in the page's
 * order with every field of a row of the download. */
void h_api_cluster_region(struct req *r)
{
	struct cregion c;
	struct kerr e = KERR_INIT;
	struct cmap *m = &c.m;
	size_t i;
	int rank = 0;

	if (cregion_load(r, &c, 0, 0, &e)) {
		cregion_release(&c);
		req_error(r, kerr_http_status(e.kind), e.msg);
		return;
	}
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"dataset\":");
	esc_json(&r->out, m->info.name);
	dataset_json_source(&r->out, m->info.source, m->info.licence);
	buf_puts(&r->out, ",\"region\":");
	esc_json(&r->out, m->cube.reg[c.rr]);
	buf_puts(&r->out, ",\"name\":");
	esc_json_or_null(&r->out, cmap_region_name(m, &c.cg, c.rr));
	if (m->cube.year[m->year])
		buf_printf(&r->out, ",\"year\":%d", m->cube.year[m->year]);
	else
		buf_puts(&r->out, ",\"year\":null");
	buf_printf(&r->out, ",\"base\":\"%s\",\"reference\":%s", m->base == INDIC_BASE_TRADED ? "traded" : "all",
		   m->info.has_ref ? "true" : "false");
	jnum(&r->out, "employment", c.p.employment);
	buf_printf(&r->out, ",\"industries_with_employment\":%zu,\"industries_by_stars\":[%zu,%zu,%zu,%zu],"
		   "\"strong\":%zu,\"strong10\":%zu,\"indices\":{\"year\":", c.p.industries, c.p.stars[0], c.p.stars[1],
		   c.p.stars[2], c.p.stars[3], c.p.strong, c.p.strong10);
	if (m->cube.year[m->year])
		buf_printf(&r->out, "%d", m->cube.year[m->year]);
	else
		buf_puts(&r->out, "null");
	jnum(&r->out, "hhi", cregion_index(&c, c.have_x ? c.x.reg_hhi : NULL));
	jnum(&r->out, "hhi_normalised", cregion_index(&c, c.have_x ? c.x.reg_hhi_norm : NULL));
	jnum(&r->out, "hhi_equivalent_number", cregion_index(&c, c.have_x ? c.x.reg_hhi_equiv : NULL));
	jnum(&r->out, "krugman", cregion_index(&c, c.have_x ? c.x.reg_krugman : NULL));
	jnum(&r->out, "shannon", cregion_index(&c, c.have_x ? c.x.reg_shannon : NULL));
	jnum(&r->out, "theil", cregion_index(&c, c.have_x ? c.x.reg_theil : NULL));
	buf_puts(&r->out, "}");
	if (c.y0 != (size_t)-1) {
		/* the change since from: shift-share of the cells known in both years */
		buf_printf(&r->out, ",\"from\":%d", m->cube.year[c.y0]);
		jnum(&r->out, "employment_from", c.sum[0]);
		jnum(&r->out, "employment_to", c.sum[1]);
		buf_puts(&r->out, ",\"shift_share\":{\"national_share\":");
		buf_printf(&r->out, "%.10g", c.sum[2]);
		jnum(&r->out, "industry_mix", c.sum[3]);
		jnum(&r->out, "regional_shift", c.sum[4]);
		buf_printf(&r->out, ",\"industries_left_out\":%zu}", c.sh_left);
		if (*m->from_lq_error) {
			buf_puts(&r->out, ",\"lq_from_error\":");
			esc_json(&r->out, m->from_lq_error);
		}
	}
	buf_puts(&r->out, ",\"industries\":[");
	for (i = 0; i < m->cube.nind; i++) {
		size_t ii = c.p.order[i], cell = cube_at(&m->cube, m->year, c.rr, ii);
		double lq = m->res.lq[cell];
		rank = c.p.rank[i];   /* computed with the order (mapping_region_profile) */
		buf_puts(&r->out, i ? ",{\"industry\":" : "{\"industry\":");
		esc_json(&r->out, m->cube.ind[ii]);
		cmap_json_ind_names(&r->out, &m->cube, ii);
		if (isnan(lq))
			buf_puts(&r->out, ",\"rank\":null");
		else
			buf_printf(&r->out, ",\"rank\":%d", rank);
		jnum(&r->out, "employment", m->cube.emp[cell]);
		jnum(&r->out, "establishments", m->cube.est ? m->cube.est[cell] : NAN);
		jnum(&r->out, "lq", lq);
		jnum(&r->out, "share_of_region", m->res.share_reg[cell]);
		jnum(&r->out, "share_of_industry", m->res.share_ind[cell]);
		json_flags(&r->out, &m->cube, &m->res, cell);
		if (c.y0 != (size_t)-1) {
			size_t at = c.rr * m->cube.nind + ii;
			jnum(&r->out, "employment_from", m->cube.emp[cube_at(&m->cube, c.y0, c.rr, ii)]);
			jnum(&r->out, "lq_from", m->res.lq[cube_at(&m->cube, c.y0, c.rr, ii)]);
			jnum(&r->out, "growth", c.sh.growth[at]);
			jnum(&r->out, "national_share", c.sh.ns[at]);
			jnum(&r->out, "industry_mix", c.sh.im[at]);
			jnum(&r->out, "regional_shift", c.sh.rs[at]);
		}
		buf_puts(&r->out, "}");
	}
	buf_puts(&r->out, "]");
	{
		/* the related opportunities, as the page lists them */
		struct related rel;
		struct mapping_value rk[OPPORTUNITIES];
		size_t k, n;
		memset(&rel, 0, sizeof(rel));
		if (cregion_opportunities(&c, &rel, rk, &n, &e)) {
			related_release(&rel);
			cregion_release(&c);
			buf_reset(&r->out);
			req_error_kerr(r, &e);
			return;
		}
		buf_puts(&r->out, ",\"opportunities\":[");
		for (k = 0; k < n; k++) {
			size_t ii = rk[k].i;
			buf_puts(&r->out, k ? ",{\"industry\":" : "{\"industry\":");
			esc_json(&r->out, m->cube.ind[ii]);
			cmap_json_ind_names(&r->out, &m->cube, ii);
			jnum(&r->out, "relatedness_density", rk[k].v);
			jnum(&r->out, "rca", rel.rca[c.rr * m->cube.nind + ii]);
			jnum(&r->out, "employment", m->cube.emp[cube_at(&m->cube, m->year, c.rr, ii)]);
			buf_puts(&r->out, "}");
		}
		buf_puts(&r->out, "]");
		related_release(&rel);
	}
	buf_puts(&r->out, "}\n");
	cregion_release(&c);
}
