/* web_points.c — the cluster map's firm points ("Firmy na mapie / Firm
 * points"): a stored firm list (firms.h) clustered with DBSCAN (spatial.h)
 * for the eps and min_samples of a GET form, drawn on the map with the
 * firms coloured by cluster, the clusters listed, the labels as CSV and
 * the same through the API; optionally Getis–Ord Gi* hot spots of firm
 * density (the firms counted on a grid) or of a stored value (on the firms
 * themselves, as `klaster map hotspots --value`). */
#include "web.h"

#include <ctype.h>
#include <math.h>

#include "dataset.h"
#include "draw.h"
#include "esc.h"
#include "firms.h"
#include "i18n.h"
#include "spatial.h"
#include "tablew.h"

/* Bounds of the form's values: DBSCAN runs on every request. */
#define EPS_KM_MIN 0.1
#define EPS_KM_MAX 100.0
#define EPS_KM_DEFAULT 10.0
#define MIN_SAMPLES_MAX 1000
#define MIN_SAMPLES_DEFAULT 3
/* Hot spots: the grid's cell (km), and the most cells a grid may have. */
#define CELL_KM_MIN 1.0
#define CELL_KM_MAX 200.0
#define CELL_KM_DEFAULT 20.0
#define CELLS_MAX 40000
/* Neighbours of a cell for Gi*: centres within 1.5 cells (its eight neighbours). */
#define BAND_CELLS 1.5
/* Hot spots of a value: firms within band_km of a firm are its neighbours. */
#define BAND_KM_MIN 1.0
#define BAND_KM_MAX 200.0
#define BAND_KM_DEFAULT 20.0
/* Rows of the cluster table on the page (all of them are in the CSV and API). */
#define TABLE_MAX 100
/* Members named per cluster. */
#define NMEMBERS 3

const struct route points_routes[] = {
	{ "GET", "/cluster-map/points", h_firm_points, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map/points.csv", h_firm_points_csv, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map/hotspots.csv", h_firm_hotspots_csv, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/firm-datasets", h_api_firm_datasets, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/firm-clusters", h_api_firm_clusters, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/firm-hotspots", h_api_firm_hotspots, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ NULL, NULL, NULL, 0 }
};

/* What a request computes: DBSCAN clusters, hot spots (always, with a
 * default cell, rather than only when cell_km is given). */
enum fpts_want { FP_CLUSTERS = 1, FP_HOTSPOTS = 2 };

/* A request's firm list, its DBSCAN clusters and its hot spots. */
struct fpts {
	char *dsname;                  /* the list's name when none was asked for (owned) */
	const char *industry;          /* NULL: all firms */
	double eps_km;
	long min_samples;
	struct firms_info info;
	struct spatial_firms f;
	struct spatial_dbscan d;
	struct spatial_cluster *cl;    /* d.nclusters summaries */
	size_t (*members)[NMEMBERS];   /* per cluster: its first members, (size_t)-1 for none */
	double cell_km;                /* hot spots of density on a grid of this cell; 0: none */
	int grid_asked;                /* grid=eu or grid=degrees given; else the grid of Europe when the firms lie in its area */
	enum spatial_grid_kind grid_kind;
	struct spatial_grid grid;
	const char *value;             /* hot spots of this stored value instead; NULL: none */
	const char *lang;              /* the request's lang= (req_lang_arg), kept in links; NULL: none */
	double band_km;                /* ... with the firms within band_km as neighbours */
	struct spatial_firms hv;       /* the firms that have the value (f.attr), as map hotspots reads them */
	size_t *hv_index;              /* each one's position in f */
	struct spatial_getis_ord go;   /* Gi* of the grid's counts, or of hv's values */
	size_t nhot, ncold;
};

static void fpts_release(struct fpts *p)
{
	free(p->dsname);
	firms_info_release(&p->info);
	spatial_firms_release(&p->f);
	spatial_dbscan_release(&p->d);
	free(p->cl);
	free(p->members);
	spatial_grid_release(&p->grid);
	spatial_firms_release(&p->hv);
	free(p->hv_index);
	spatial_getis_ord_release(&p->go);
	memset(p, 0, sizeof(*p));
}

/* v with dec decimals as the page's language writes numbers (draw_num_text); the API's
 * messages are English, and so are their numbers. */
static void pnum(struct req *r, char *out, size_t n, double v, int dec)
{
	draw_num_text(out, n, v, dec, req_polish(r) && !req_is_api(r) ? DRAW_NUM_PL : DRAW_NUM_EN);
}

/* A coordinate with its hemisphere: 52,23° N, 58,38° W (pos and neg are the letters). */
static void pcoord(struct req *r, char *out, size_t n, double v, int dec, const char *pos, const char *neg)
{
	char num[40];
	pnum(r, num, sizeof(num), fabs(v), dec);
	snprintf(out, n, "%s°\xc2\xa0%s", num, v < 0 ? neg : pos);
}

/* A range of coordinates lo..hi with hemispheres: "52,10–52,40° N", "34,62–34,60° S" (the edge
 * nearer the equator first, as the numbers read), or "0,50° S – 1,20° N" across the equator. */
static void prange(struct req *r, char *out, size_t n, double lo, double hi, const char *pos, const char *neg)
{
	char a[64], b[64];
	if (lo >= 0 || hi < 0) {
		pnum(r, a, sizeof(a), fabs(hi < 0 ? hi : lo), 2);
		pnum(r, b, sizeof(b), fabs(hi < 0 ? lo : hi), 2);
		snprintf(out, n, "%s–%s°\xc2\xa0%s", a, b, hi < 0 ? neg : pos);
	} else {
		pcoord(r, a, sizeof(a), lo, 2, pos, neg);
		pcoord(r, b, sizeof(b), hi, 2, pos, neg);
		snprintf(out, n, "%s – %s", a, b);
	}
}

/* A distance or value in running text: as many decimals as it has (up to 3), in the page's language. */
static void ptext(struct req *r, char *out, size_t n, double v)
{
	int dec = 0;
	while (dec < 3 && fabs(v * pow(10, dec) - round(v * pow(10, dec))) > 1e-9)
		dec++;
	pnum(r, out, n, v, dec);
}

/* A number of a table cell with about 4 significant digits (at least dec decimals, at most 8). */
static void psig(struct req *r, char *out, size_t n, double v, int dec)
{
	if (v != 0 && isfinite(v) && fabs(v) < 1) {
		int d = 3 - (int)floor(log10(fabs(v)));
		if (d > dec)
			dec = d > 8 ? 8 : d;
	}
	pnum(r, out, n, v, dec);
}

static int first_list(void *ctx, const struct firms_info *d)
{
	*(char **)ctx = xstrdup(d->name);
	return 1;
}

/* 1 when s (digits, commas and points) has a comma that may separate thousands: one followed by
 * exactly three digits (and then the end, another comma or a point), after a whole part that is
 * not 0 — "1,000", "2,500", "1,000.5"; not "2,5", "2,50", "2,5000" or "0,125", which only a decimal
 * comma writes. */
static int km_thousands(const char *s)
{
	const char *c = strchr(s, ','), *p;
	size_t d = 0;
	if (!c)
		return 0;
	for (p = s; p < c && *p == '0'; p++)
		;
	if (p == c)
		return 0;   /* "0,125": no thousands before the comma */
	for (p = c + 1; isdigit((unsigned char)*p); p++)
		d++;
	return d == 3 && (!*p || *p == ',' || *p == '.');
}

int web_km_value(struct req *r, const char *field, const char *s, double lo, double hi, double *out, struct kerr *e)
{
	/* pages speak their language, the API English */
	const char *msg = L_msg(r, "%s: „%s” to nie liczba kilometrów od %s do %s",
				"%s: '%s' is not a number of kilometres from %s to %s");
	char num[32], *end, los[32], his[32];
	size_t i, n = strlen(s);
	/* the bounds as the message's language writes them: 0,1 in Polish */
	snprintf(los, sizeof(los), "%g", lo);
	snprintf(his, sizeof(his), "%g", hi);
	if (!req_is_api(r) && req_polish(r))
		for (i = 0; i < sizeof(los); i++) {
			los[i] = los[i] == '.' ? ',' : los[i];
			his[i] = his[i] == '.' ? ',' : his[i];
		}
	if (n >= sizeof(num)) {
		char head[24];
		return kerr_set(e, KERR_INPUT, msg, field, esc_cut(head, s, sizeof(head) - 1), los, his);
	}
	for (i = 0; i <= n; i++) {
		num[i] = s[i] == ',' ? '.' : s[i];
		if (i < n && !isdigit((unsigned char)num[i]) && num[i] != '.')
			return kerr_set(e, KERR_INPUT, msg, field, s, los, his);
	}
	if (km_thousands(s)) {
		/* "1,000": a thousand as English writes it, or one as a decimal comma writes it — the
		 * English page itself writes "1,000 km" — so neither is guessed */
		char plain[32], dec[32];
		size_t o = 0, d;
		for (i = 0; i < n; i++)
			if (s[i] != ',')
				plain[o++] = s[i];
		plain[o] = '\0';
		/* and the decimal reading, "1,500" as 1,5 (1.5 in English) */
		memcpy(dec, s, n);
		dec[n] = '\0';
		for (d = n; d > 0 && dec[d - 1] == '0'; d--)
			dec[d - 1] = '\0';
		if (d > 0 && dec[d - 1] == ',')
			dec[d - 1] = '\0';
		for (d = 0; dec[d]; d++)
			if (dec[d] == ',' && (!req_polish(r) || req_is_api(r)))   /* the API speaks English */
				dec[d] = '.';
		if (memchr(s, '.', n) || strchr(s, ',') != strrchr(s, ','))
			/* "1,000.5", "1,000,000": the commas can only be thousands separators */
			return kerr_set(e, KERR_INPUT, L_msg(r, "%s: „%s” ma separator tysięcy: napisz %s",
							    "%s: '%s' has a thousands separator: write %s"), field, s, plain);
		return kerr_set(e, KERR_INPUT, L_msg(r, "%s: „%s” jest niejednoznaczne (przecinek przed trzema cyframi może "
						       "oddzielać tysiące): napisz %s albo %s, bez separatora tysięcy",
						    "%s: '%s' is ambiguous (a comma before three digits may separate thousands): "
						       "write %s or %s, without a thousands separator"),
				field, s, plain, dec);
	}
	errno = 0;
	*out = strtod(num, &end);
	if (*end || errno || !isfinite(*out) || !(*out >= lo && *out <= hi))
		return kerr_set(e, KERR_INPUT, msg, field, s, los, his);
	return 0;
}

/* Reads and validates eps_km, min_samples, industry, cell_km, value and
 * band_km from the query string (empty means the default; cell_km empty:
 * no hot spots of density, unless hot spots are wanted anyway; value
 * empty: none of a value); -1 with a message naming the field. */
static int fpts_read_params(struct req *r, struct fpts *p, int want, struct kerr *e)
{
	const char *eps = req_arg(r, "eps_km"), *ms = req_arg(r, "min_samples"), *ind = req_arg(r, "industry");
	const char *cell = req_arg(r, "cell_km"), *val = req_arg(r, "value"), *band = req_arg(r, "band_km");
	const char *grid = req_arg(r, "grid");
	char *end, c40[41];

	p->eps_km = EPS_KM_DEFAULT;
	p->min_samples = MIN_SAMPLES_DEFAULT;
	p->cell_km = want & FP_HOTSPOTS ? CELL_KM_DEFAULT : 0;
	p->band_km = BAND_KM_DEFAULT;
	if (eps && *eps && web_km_value(r, "eps_km", eps, EPS_KM_MIN, EPS_KM_MAX, &p->eps_km, e))
		return -1;
	if (ms && *ms) {
		errno = 0;
		p->min_samples = strtol(ms, &end, 10);
		if (*end || errno || !isdigit((unsigned char)ms[0]) || p->min_samples < 1 ||
		    p->min_samples > MIN_SAMPLES_MAX)
			return kerr_set(e, KERR_INPUT, L_msg(r, "min_samples: „%s” to nie liczba całkowita od 1 do %d",
							      "min_samples: '%s' is not a whole number from 1 to %d"),
					esc_cut(c40, ms, 40), MIN_SAMPLES_MAX);
	}
	if (ind && *ind) {
		if (strlen(ind) > 32)
			return kerr_set(e, KERR_INPUT, "%s", L_msg(r, "industry: kod branży ma najwyżej 32 znaki",
								    "industry: a code of at most 32 characters"));
		p->industry = ind;
	}
	if (cell && *cell && web_km_value(r, "cell_km", cell, CELL_KM_MIN, CELL_KM_MAX, &p->cell_km, e))
		return -1;
	if (grid && *grid) {
		if (strcmp(grid, "eu") && strcmp(grid, "degrees"))
			return kerr_set(e, KERR_INPUT, "%s", L_msg(r, "grid: eu (siatka Europy, EPSG:3035) albo degrees "
								    "(oczka równe w stopniach)",
								 "grid: eu (the grid of Europe, EPSG:3035) or degrees "
								 "(cells equal in degrees)"));
		p->grid_asked = 1;
		p->grid_kind = strcmp(grid, "eu") == 0 ? SPATIAL_GRID_LAEA : SPATIAL_GRID_DEGREES;
	}
	if (val && *val) {
		if (strlen(val) > FIRMS_VALUE_NAME_MAX || !utf8_valid(val, strlen(val)))
			return kerr_set(e, KERR_INPUT, L_msg(r, "value: nazwa zapisanej wartości (najwyżej %d bajtów)",
							      "value: the name of a stored value (at most %d bytes)"),
					FIRMS_VALUE_NAME_MAX);
		p->value = val;
	}
	if (band && *band && web_km_value(r, "band_km", band, BAND_KM_MIN, BAND_KM_MAX, &p->band_km, e))
		return -1;
	return 0;
}

static const struct map_layer *points_layer(struct req *r, const struct spatial_firms *f, size_t *outside);

/* The study area of the firms' grid: the boundaries the map draws them on
 * (the voivodeships, or the NUTS-2 regions of Europe), or NULL. */
static const struct geo_layer *points_area(struct req *r, const struct spatial_firms *f)
{
	size_t outside;
	const struct map_layer *ly = points_layer(r, f, &outside);
	const struct geo_layer *g = ly ? &ly->g : &r->app->voiv;
	return g->n ? g : NULL;
}

/* cell_km in metres: 2.01 km times 1000 is 2009.9999999999998 in binary, which the grid of Europe
 * would refuse as not whole metres and which `--cell 2010` on the command line is not. */
static double cell_metres(double cell_km)
{
	double cell_m = cell_km * 1000.0;
	return fabs(cell_m - round(cell_m)) < 1e-6 ? round(cell_m) : cell_m;
}

/* 1 when a grid of cells of t tenths of a kilometre over p's firms (go, its kind and study area)
 * can be analysed: at most CELLS_MAX cells over the firms' box (fine: the study area is not read)
 * and else two cells or more in the study area. */
static int cell_works(const struct fpts *p, const struct spatial_grid_opts *go, long t, int fine)
{
	struct spatial_grid_opts o = *go;
	struct spatial_grid g;
	struct kerr e = KERR_INIT;
	int ok;
	o.cell_m = (double)t * 100.0;
	if (fine)
		o.within = NULL;
	ok = spatial_grid_counts(p->f.lat, p->f.lon, p->f.n, &o, &g, &e) == 0 && (fine || g.nin >= 2);
	spatial_grid_release(&g);
	kerr_clear(&e);
	return ok;
}

/* The cell sizes from CELL_KM_MIN to CELL_KM_MAX (in tenths of a km) whose grid over p's firms
 * can be analysed (cell_works), for a message refusing one: 0 with *lo..*hi, or -1 when none
 * can.  A grid has fewer cells the larger they are: each bound is a binary search. */
static int cell_km_range(const struct fpts *p, const struct spatial_grid_opts *go, double *lo, double *hi)
{
	long a = (long)(CELL_KM_MIN * 10), b = (long)(CELL_KM_MAX * 10), m, first, last;
	if (!cell_works(p, go, b, 1))
		return -1;
	while (a < b) {   /* the finest that is not too many cells */
		m = a + (b - a) / 2;
		if (cell_works(p, go, m, 1))
			b = m;
		else
			a = m + 1;
	}
	first = a;
	if (!cell_works(p, go, first, 0))
		return -1;
	a = first;
	b = (long)(CELL_KM_MAX * 10);
	while (a < b) {   /* the coarsest that still has two cells in the area */
		m = a + (b - a + 1) / 2;
		if (cell_works(p, go, m, 0))
			a = m;
		else
			b = m - 1;
	}
	last = a;
	*lo = (double)first / 10.0;
	*hi = (double)last / 10.0;
	return 0;
}

/* Gi* of the firms counted on a grid of cell_km, over the study area
 * (points_area): the cells whose z has p < 0.05 are hot (z > 0) or cold
 * spots.  The grid of Europe (EPSG:3035) unless grid=degrees, or a firm
 * lies outside its area and grid=eu was not asked for.  A grid of too
 * many cells, or of too few in the area, is refused with the cell sizes
 * these firms can take (cell_km_range). */
static int fpts_hotspots(struct req *r, struct fpts *p, struct kerr *e)
{
	struct spatial_getis_ord_opts o;
	struct spatial_grid_opts go;
	size_t i;
	double cell_m = cell_metres(p->cell_km);
	memset(&o, 0, sizeof(o));
	o.metric = SPATIAL_GEO;
	o.band = BAND_CELLS * cell_m;
	o.star = 1;
	if (!p->grid_asked) {
		p->grid_kind = SPATIAL_GRID_LAEA;
		for (i = 0; i < p->f.n; i++)
			if (!geo_laea_in_area(p->f.lat[i], p->f.lon[i])) {
				p->grid_kind = SPATIAL_GRID_DEGREES;
				break;
			}
	}
	memset(&go, 0, sizeof(go));
	go.kind = p->grid_kind;
	go.cell_m = cell_m;
	go.max_cells = CELLS_MAX;
	go.within = points_area(r, &p->f);
	go.within_optional = 1;   /* firms beyond the map's regions: the whole box, as without regions */
	if (go.kind == SPATIAL_GRID_LAEA && go.cell_m != floor(go.cell_m))
		return kerr_set(e, KERR_INPUT, "%s", L_msg(r, "cell_km: siatka Europy ma oczka w pełnych metrach (np. 1 albo "
							    "2,5 km)",
							 "cell_km: the grid of Europe takes cells of whole metres (such as 1 "
							 "or 2.5 km)"));
	if (spatial_grid_hotspots(p->f.lat, p->f.lon, p->f.n, &go, &o, &p->grid, &p->go, e)) {
		/* the library's grid messages speak metres and English: the form's field is in km */
		char kmv[40], los[40], his[40], range[160] = "";
		int one = e->kind == KERR_INPUT && strstr(e->msg, "fit in one cell") != NULL;
		int many = e->kind == KERR_INPUT && !one && strstr(e->msg, "cells of") != NULL;
		double lo, hi;
		ptext(r, kmv, sizeof(kmv), p->cell_km);
		if ((one || many) && cell_km_range(p, &go, &lo, &hi) == 0) {
			/* the sizes that work for these firms, so that the next try is not a guess */
			ptext(r, los, sizeof(los), lo);
			ptext(r, his, sizeof(his), hi);
			snprintf(range, sizeof(range), L_msg(r, " (dla tych firm od %s do %s km)", " (for these firms from %s to %s km)"),
				 los, his);
		}
		if (one && !*range)
			/* no cell, down to the smallest, splits them: a smaller one would only be refused again */
			kerr_set(e, KERR_INPUT, L_msg(r, "cell_km: firmy mieszczą się w jednym oczku po %s km, a przy każdym "
							    "rozmiarze od %g km: gorące punkty gęstości wymagają firm w co "
							    "najmniej dwóch oczkach (wybierz inną branżę albo wszystkie)",
							 "cell_km: the firms fit in one cell of %s km, and in one of any size "
							    "from %g km: hot spots of density need firms in two cells or more "
							    "(choose another industry, or all)"), kmv, CELL_KM_MIN);
		else if (one)
			kerr_set(e, KERR_INPUT, L_msg(r, "cell_km: firmy mieszczą się w jednym oczku po %s km: wybierz "
							    "mniejsze oczka%s",
							 "cell_km: the firms fit in one cell of %s km: choose smaller cells%s"), kmv,
				 range);
		else if (e->kind == KERR_INPUT && strstr(e->msg, "outside the area of the European grid"))
			kerr_set(e, KERR_INPUT, "%s", L_msg(r, "grid: firma leży poza obszarem siatki Europy (EPSG:3035): "
								"wybierz grid=degrees",
							     "grid: a firm lies outside the area of the grid of Europe "
							     "(EPSG:3035): choose grid=degrees"));
		else if (many)
			kerr_set(e, KERR_INPUT, L_msg(r, "cell_km: ponad %d oczek po %s km nad obszarem firm: wybierz "
							    "większe oczka%s",
							 "cell_km: more than %d cells of %s km over the firms' area: choose "
							 "larger cells%s"), CELLS_MAX, kmv, range);
		else
			kerr_prefix(e, "cell_km");
		return -1;
	}
	spatial_spots_count(&p->go, &p->nhot, &p->ncold);
	return 0;
}

/* Gi* of the value on the firms that have it, with the firms within band_km
 * as neighbours: `klaster map hotspots --value V --band 1000×band_km --star`
 * on the same firms.  Firms without the value are left out (hv.no_value). */
static int fpts_value_hotspots(struct req *r, struct fpts *p, struct kerr *e)
{
	struct spatial_getis_ord_opts o;
	spatial_firms_with_attr(&p->f, 0, &p->hv, &p->hv_index);
	if (p->hv.n < 2 && p->industry)
		/* the list has the value, the industry chosen has too few firms with it: say so, or the
		 * message reads as if no firm of the list had the value */
		return kerr_set(e, KERR_INPUT, p->hv.n ? L_msg(r, "value: tylko jedna firma branży %s ma wartość %s; gorące "
								 "punkty wymagają co najmniej dwóch (wybierz inną branżę albo "
								 "wszystkie)",
							      "value: only one firm of industry %s has a value of %s; hot "
								 "spots need at least 2 (choose another industry, or all)")
						       : L_msg(r, "value: żadna firma branży %s nie ma wartości %s; gorące "
								  "punkty wymagają co najmniej dwóch (wybierz inną branżę albo "
								  "wszystkie)",
							       "value: no firm of industry %s has a value of %s; hot spots "
								  "need at least 2 (choose another industry, or all)"),
				p->industry, p->value);
	if (p->hv.n < 2)
		return kerr_set(e, KERR_INPUT, p->hv.n ? L_msg(r, "value: tylko jedna firma ma wartość %s; gorące punkty "
								 "wymagają co najmniej dwóch",
							      "value: only one firm has a value of %s; hot spots need at "
							      "least 2")
						       : L_msg(r, "value: żadna firma nie ma wartości %s; gorące punkty "
								  "wymagają co najmniej dwóch",
							       "value: no firm has a value of %s; hot spots need at least 2"),
				p->value);
	memset(&o, 0, sizeof(o));
	o.metric = SPATIAL_GEO;
	o.band = p->band_km * 1000.0;
	o.star = 1;
	if (spatial_getis_ord(p->hv.lat, p->hv.lon, p->hv.value, p->hv.n, &o, &p->go, e))
		return -1;
	spatial_spots_count(&p->go, &p->nhot, &p->ncold);
	return 0;
}

/* The hot spots the request asks for: of a value, else of density on a
 * grid of cell_km, else none. */
static int fpts_any_hotspots(struct req *r, struct fpts *p, struct kerr *e)
{
	if (p->value)
		return fpts_value_hotspots(r, p, e);
	return p->cell_km > 0 ? fpts_hotspots(r, p, e) : 0;
}

/* Loads the firm list of the request (with the value asked for), clusters
 * it (want & FP_CLUSTERS) and, with value, cell_km or FP_HOTSPOTS, finds the
 * hot spots; -1 with e (KERR_INPUT naming the field, KERR_NOTFOUND for an
 * unknown list). */
static int fpts_load(struct req *r, struct fpts *p, int want, struct kerr *e)
{
	const char *ds = req_arg(r, "dataset");
	size_t i, k;
	char c40[41];

	/* a value that is not text (not UTF-8, a control character) is no list, code or number: a
	 * 400 naming it, on the page above its form (points_refused) */
	static const char *const params[] = { "dataset", "industry", "eps_km", "min_samples", "cell_km", "grid",
					      "value", "band_km", NULL };

	memset(p, 0, sizeof(*p));
	p->f.strs = (struct buf)BUF_INIT;
	p->lang = req_lang_arg(r);
	if (web_args_text(r, params, e) || fpts_read_params(r, p, want, e))
		return -1;
	if (!ds || !*ds) {
		if (firms_list(r->db, first_list, &p->dsname, e))
			return -1;
		if (!p->dsname)
			return kerr_set(e, KERR_NOTFOUND, "%s", L_msg(r, "Brak list firm: klaster import firms …",
								 "No firm lists yet: klaster import firms …"));
		ds = p->dsname;
	}
	if (strlen(ds) > 60)
		return kerr_set(e, KERR_INPUT, "%s", L_msg(r, "dataset: za długa nazwa", "dataset: too long"));
	if (firms_load(r->db, ds, p->industry, p->value, &p->f, &p->info, e)) {
		if (e->kind == KERR_NOTFOUND)   /* as a dataset that is not there is named, in the API too */
			kerr_set(e, KERR_NOTFOUND, L_msg(r, "Nie ma listy firm „%s”.", "There is no firm list '%s'."), ds);
		else if (e->kind == KERR_INPUT && p->value && strncmp(e->msg, "value: ", 7) == 0)
			kerr_set(e, KERR_INPUT, L_msg(r, "value: lista firm %s nie ma wartości „%s”",
						      "value: the firm list %s has no value '%s'"), ds,
				 esc_cut(c40, p->value, 40));
		return -1;
	}
	if (p->industry && p->f.n == 0)
		return kerr_set(e, KERR_INPUT, L_msg(r, "industry: na liście %s nie ma zlokalizowanej firmy z branży „%s”",
						      "industry: no located firm of '%s' in the list %s"),
				req_polish(r) && !req_is_api(r) ? p->info.name : esc_cut(c40, p->industry, 40),
				req_polish(r) && !req_is_api(r) ? esc_cut(c40, p->industry, 40) : p->info.name);
	if (!(want & FP_CLUSTERS))
		return fpts_any_hotspots(r, p, e);
	if (spatial_dbscan(p->f.lat, p->f.lon, p->f.n, p->eps_km * 1000.0, (size_t)p->min_samples, &p->d, e))
		return -1;
	spatial_dbscan_clusters(p->f.lat, p->f.lon, &p->d, &p->cl);
	p->members = xcalloc((size_t)p->d.nclusters + 1, sizeof(*p->members));
	for (k = 0; k < (size_t)p->d.nclusters; k++)
		for (i = 0; i < NMEMBERS; i++)
			p->members[k][i] = (size_t)-1;
	for (i = 0; i < p->f.n; i++) {
		long l = p->d.label[i];
		if (l >= 0)
			for (k = 0; k < NMEMBERS; k++)
				if (p->members[l][k] == (size_t)-1) {
					p->members[l][k] = i;
					break;
				}
	}
	return fpts_any_hotspots(r, p, e);
}

/* v written so that reading it back gives v again (the fewest significant digits that do, at
 * most 17, and never with an exponent: 10, not 1e+01): the form's values and the links'
 * parameters must give the downloads the numbers the page computed with — %g keeps six digits,
 * so eps_km=7.1234567 came back as 7.12346 and a cell_km of 12.3456789 on the grid in degrees
 * linked a download of other cells. */
static const char *num_exact(char *out, size_t n, double v)
{
	int prec;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, v);
		if (!strchr(out, 'e') && strtod(out, NULL) == v)   /* 10, not 1e+01 */
			break;
	}
	return out;
}

/* What of the request's choice a query string holds (fpts_query): all of it (the page and its
 * downloads), or what one of the API's operations takes (its JSON links, which refuse any other
 * parameter). */
enum { FQ_ALL = 3, FQ_CLUSTERS = 1, FQ_HOTSPOTS = 2 };

/* The query string of the request's choice (for links), without '?': the parts what asks for. */
static void fpts_query(const struct fpts *p, struct buf *q, int what)
{
	char v[32];
	buf_puts(q, "dataset=");
	esc_url(q, p->info.name);
	if (what & FQ_CLUSTERS)
		buf_printf(q, "&eps_km=%s&min_samples=%ld", num_exact(v, sizeof(v), p->eps_km), p->min_samples);
	if (p->industry) {
		buf_puts(q, "&industry=");
		esc_url(q, p->industry);
	}
	if (!(what & FQ_HOTSPOTS))
		return;
	if (p->cell_km > 0)
		buf_printf(q, "&cell_km=%s", num_exact(v, sizeof(v), p->cell_km));
	if (p->grid_asked)
		buf_printf(q, "&grid=%s", p->grid_kind == SPATIAL_GRID_LAEA ? "eu" : "degrees");
	if (p->value) {
		buf_puts(q, "&value=");
		esc_url(q, p->value);
		buf_printf(q, "&band_km=%s", num_exact(v, sizeof(v), p->band_km));
	}
	if (p->lang && what == FQ_ALL)
		buf_printf(q, "&lang=%s", p->lang);
}

/* A user's mistake (status 400, 404) on the firm points: the API's JSON as everywhere (req_error);
 * a page or a download says it as the portal's error page does (web_error_page), but leads back to
 * the firm points (the tab the request came from) rather than to the cluster map's first tab. */
static void fpts_error_msg(struct req *r, int status, const char *message)
{
	struct buf pl = BUF_INIT;
	if (req_is_api(r)) {
		req_error(r, status, message);
		return;
	}
	buf_reset(&r->out);
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	if (req_polish(r))   /* a library's English message in Polish, as web_error_page shows it */
		message = i18n_pl(message, &pl);
	page_begin(r, status == 404 ? L(r, "Nie znaleziono", "Not found") : L(r, "Błędne żądanie", "Bad request"));
	html_printf(&r->out, "<h1>%s</h1><p class=\"error\" role=\"alert\">%s</p>"
		    "<p><a href=\"/cluster-map/points%R%s\">%s: %s</a> · <a href=\"/%R%s\">%s</a></p>",
		    status == 404 ? L(r, "Nie znaleziono", "Not found") : L(r, "Błędne żądanie", "Bad request"), message,
		    req_lang_arg(r) ? "?lang=" : "", req_lang_arg(r) ? req_lang_arg(r) : "", L(r, "Wróć", "Back to"),
		    L(r, "Firmy na mapie (DBSCAN)", "Firm points (DBSCAN)"), req_lang_arg(r) ? "?lang=" : "",
		    req_lang_arg(r) ? req_lang_arg(r) : "", L(r, "Strona główna", "Home page"));
	buf_release(&pl);
	page_end(r);
}

static void fpts_error(struct req *r, const struct kerr *e)
{
	int st = kerr_http_status(e->kind);
	if (st >= 500)
		req_error_kerr(r, e);
	else
		fpts_error_msg(r, st, e->msg);
}

static int option_list(void *ctx, const struct firms_info *d)
{
	struct req *r = ((void **)ctx)[0];
	const char *cur = ((void **)ctx)[1];
	char n[40];
	pnum(r, n, sizeof(n), (double)d->nfirms, 0);
	html_printf(&r->out, "<option value=\"%s\"%R>%s (%s)</option>", d->name,
		    strcmp(d->name, cur) == 0 ? " selected" : "", d->title, n);
	return 0;
}

static int option_industry(void *ctx, const char *code, const char *iname, long long n)
{
	struct req *r = ((void **)ctx)[0];
	const char *cur = ((void **)ctx)[1];
	char nt[40];
	pnum(r, nt, sizeof(nt), (double)n, 0);
	html_printf(&r->out, "<option value=\"%s\"%R>%s%R%s (%s)</option>", code,
		    cur && strcmp(code, cur) == 0 ? " selected" : "", code, *iname ? " — " : "", iname, nt);
	return 0;
}

/* The cluster labels by size, largest first (then by label); the caller frees. */
struct csize {
	size_t n, label;
};

static int csize_cmp(const void *a, const void *b)
{
	const struct csize *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return (x->label > y->label) - (x->label < y->label);
}

static size_t *clusters_by_size(const struct fpts *p)
{
	size_t n = (size_t)p->d.nclusters, i, *order;
	struct csize *v;
	ALLOC_ARRAY(v, n + 1);
	for (i = 0; i < n; i++) {
		v[i].n = p->cl[i].n;
		v[i].label = i;
	}
	qsort(v, n, sizeof(*v), csize_cmp);
	ALLOC_ARRAY(order, n + 1);
	for (i = 0; i < n; i++)
		order[i] = v[i].label;
	free(v);
	return order;
}

/* The map's layer for the firms: the voivodeships when (nearly) every firm
 * lies in Poland's box, else the regions of Europe. */
static const struct map_layer *points_layer(struct req *r, const struct spatial_firms *f, size_t *outside)
{
	const struct app *app = r->app;
	const double *b = app->voiv.bbox;
	const struct map_layer *ly = NULL;
	size_t i, out = 0;
	if (app->voiv.n)
		for (i = 0; i < f->n; i++)
			out += !(f->lon[i] >= b[0] && f->lon[i] <= b[2] && f->lat[i] >= b[1] && f->lat[i] <= b[3]);
	if ((!app->voiv.n || out * 20 > f->n) && app->nuts2.g.n) {
		ly = &app->nuts2;
		out = 0;
		for (i = 0; i < f->n; i++) {
			double x, y;
			geo_project(&app->nuts2.proj, f->lon[i], f->lat[i], &x, &y);
			out += !(x >= 0 && x <= app->map_w && y >= 0 && y <= app->map_h);
		}
	}
	*outside = out;
	return ly;
}

/* The value options of the form, written to out; n counts them. */
struct value_options {
	struct req *r;
	struct buf *out;
	const char *cur;
	size_t n;
};

static int option_value(void *ctx, const struct firms_value *v)
{
	struct value_options *o = ctx;
	char n[40];
	pnum(o->r, n, sizeof(n), (double)v->present, 0);
	html_printf(o->out, "<option value=\"%s\"%R>%s (%s)</option>", v->name,
		    o->cur && strcmp(v->name, o->cur) == 0 ? " selected" : "", v->name, n);
	o->n++;
	return 0;
}

/* The value options of list's form (cur selected) into opts; the number of values. */
static size_t value_options_of(struct req *r, const char *list, const char *cur, struct buf *opts)
{
	struct value_options vo = { r, opts, cur, 0 };
	firms_values(r->db, list, option_value, &vo, NULL);
	return vo.n;
}

/* The form's fields: their names, ids (f-NAME) and labels, one table for the form and for the
 * error alert that names a field by its label, linked to it (web_form_errors). */
enum { FF_DATASET, FF_INDUSTRY, FF_EPS, FF_MS, FF_VALUE, FF_CELL, FF_GRID, FF_BAND, FF_N };
static const struct {
	const char *name, *pl, *en;
} form_fields[FF_N] = {
	[FF_DATASET] = { "dataset", "Lista firm", "Firm list" },
	[FF_INDUSTRY] = { "industry", "Branża", "Industry" },
	[FF_EPS] = { "eps_km", "Promień eps (km)", "Radius eps (km)" },
	[FF_MS] = { "min_samples", "Najmniej firm w promieniu (min_samples)", "Fewest firms within it (min_samples)" },
	[FF_VALUE] = { "value", "Gorące punkty", "Hot spots of" },
	[FF_CELL] = { "cell_km", "Gorące punkty: oczko siatki w km (puste: bez)", "Hot spots: grid cell in km (empty: none)" },
	[FF_GRID] = { "grid", "Siatka", "Grid" },
	[FF_BAND] = { "band_km", "Gorące punkty wartości: sąsiedzi w promieniu (km)",
		      "Hot spots of a value: neighbours within (km)" },
};
#define FF_LABEL(r, k) L(r, form_fields[k].pl, form_fields[k].en)

/* The label of the form's field name, NULL for none; points_label_novalue: a list without values,
 * whose form has no value or band_km field to link to. */
static const char *points_label_of(struct req *r, const char *name, int values)
{
	size_t k;
	for (k = 0; k < FF_N; k++)
		if (strcmp(form_fields[k].name, name) == 0)
			return values || (k != FF_VALUE && k != FF_BAND) ? FF_LABEL(r, k) : NULL;
	return NULL;
}

static const char *points_label(struct req *r, const char *name)
{
	return points_label_of(r, name, 1);
}

static const char *points_label_novalue(struct req *r, const char *name)
{
	return points_label_of(r, name, 0);
}

/* What the form's fields show: the choice computed with (a page shown, its numbers written back
 * exactly, num_exact), or the request's own words (a choice refused: the person sees what they
 * wrote, to correct it).  NULL or "": the field's empty or first choice. */
struct fpts_form {
	const char *dataset, *industry, *eps, *ms, *cell, *grid, *value, *band;
};

/* The page's choice: a GET form of f, each field labelled and marked aria-invalid when the
 * error alert before it named it. */
static void points_form(struct req *r, const struct fpts_form *f)
{
	struct buf opts = BUF_INIT;
	void *ctx[2];
	const char *lang = req_lang_arg(r), *grid = f->grid ? f->grid : "";
	size_t nv = value_options_of(r, f->dataset, f->value, &opts);

	html_printf(&r->out, "<form class=\"filters\" action=\"/cluster-map/points\" method=\"get\">");
	if (lang)   /* the language asked for in the address stays after the form is sent */
		html_printf(&r->out, "<input type=\"hidden\" name=\"lang\" value=\"%s\">", lang);
	html_printf(&r->out, "<div><label for=\"f-dataset\">%s</label><select id=\"f-dataset\" name=\"dataset\"%R>",
		    FF_LABEL(r, FF_DATASET), web_invalid(r, "dataset"));
	ctx[0] = r;
	ctx[1] = (void *)f->dataset;
	firms_list(r->db, option_list, ctx, NULL);
	html_printf(&r->out, "</select></div><div><label for=\"f-industry\">%s</label><select id=\"f-industry\" name=\"industry\"%R>"
		    "<option value=\"\">%s</option>", FF_LABEL(r, FF_INDUSTRY), web_invalid(r, "industry"),
		    L(r, "wszystkie", "all"));
	ctx[1] = (void *)f->industry;
	firms_industries(r->db, f->dataset, !req_polish(r), option_industry, ctx, NULL);
	html_printf(&r->out, "</select></div><div><label for=\"f-eps_km\">%s</label>"
		    "<input id=\"f-eps_km\" name=\"eps_km\" type=\"number\" min=\"%.1f\" max=\"%.0f\" step=\"any\" value=\"%s\" "
		    "required%R></div>"
		    "<div><label for=\"f-min_samples\">%s</label>"
		    "<input id=\"f-min_samples\" name=\"min_samples\" type=\"number\" min=\"1\" max=\"%d\" step=\"1\" value=\"%s\" "
		    "required%R></div>",
		    FF_LABEL(r, FF_EPS), EPS_KM_MIN, EPS_KM_MAX, f->eps ? f->eps : "", web_invalid(r, "eps_km"),
		    FF_LABEL(r, FF_MS), MIN_SAMPLES_MAX, f->ms ? f->ms : "", web_invalid(r, "min_samples"));
	/* the hot spots: of what (firm density, or one of the list's values when it has some), the
	 * density grid's cell and a value's band */
	if (nv)
		/* opts: the options, escaped by html_printf in option_value */
		html_printf(&r->out, "<div><label for=\"f-value\">%s</label><select id=\"f-value\" name=\"value\"%R>"
			    "<option value=\"\">%s</option>%R</select></div>", FF_LABEL(r, FF_VALUE), web_invalid(r, "value"),
			    L(r, "gęstości firm (siatka)", "firm density (grid)"), opts.ptr);
	html_printf(&r->out, "<div><label for=\"f-cell_km\">%s</label>"
		    "<input id=\"f-cell_km\" name=\"cell_km\" type=\"number\" min=\"%.0f\" max=\"%.0f\" step=\"any\" value=\"%s\"%R>"
		    "</div>",
		    FF_LABEL(r, FF_CELL), CELL_KM_MIN, CELL_KM_MAX, f->cell ? f->cell : "", web_invalid(r, "cell_km"));
	html_printf(&r->out, "<div><label for=\"f-grid\">%s</label><select id=\"f-grid\" name=\"grid\"%R>"
		    "<option value=\"\">%s</option><option value=\"eu\"%R>%s</option>"
		    "<option value=\"degrees\"%R>%s</option></select></div>",
		    FF_LABEL(r, FF_GRID), web_invalid(r, "grid"), L(r, "automatycznie", "automatic"),
		    strcmp(grid, "eu") == 0 ? " selected" : "",
		    L(r, "Europy (EPSG:3035, jak siatka ludności Eurostatu)", "of Europe (EPSG:3035, as Eurostat's population grid)"),
		    strcmp(grid, "degrees") == 0 ? " selected" : "",
		    L(r, "w stopniach (oczka równe w stopniach)", "in degrees (cells equal in degrees)"));
	if (nv)
		html_printf(&r->out, "<div><label for=\"f-band_km\">%s</label>"
			    "<input id=\"f-band_km\" name=\"band_km\" type=\"number\" min=\"%.0f\" max=\"%.0f\" step=\"any\""
			    " value=\"%s\"%R></div>",
			    FF_LABEL(r, FF_BAND), BAND_KM_MIN, BAND_KM_MAX, f->band ? f->band : "", web_invalid(r, "band_km"));
	html_printf(&r->out, "<div class=\"f-go\"><button type=\"submit\">%s</button></div></form>", L(r, "Pokaż", "Show"));
	buf_release(&opts);
}

/* A firm of a value's hot-spot table: its place in hv, spot and z. */
struct spot_row {
	size_t j;
	int spot;
	double z;
};

/* Hot spots first, then cold ones; the most extreme z first in each. */
static int spot_cmp(const void *a, const void *b)
{
	const struct spot_row *x = a, *y = b;
	if (x->spot != y->spot)
		return x->spot < y->spot ? 1 : -1;
	if (fabs(x->z) != fabs(y->z))
		return fabs(x->z) < fabs(y->z) ? 1 : -1;
	return (x->j > y->j) - (x->j < y->j);
}

/* Point k's z and p of go as a table shows them (z with two decimals, p with four or "< 0.0001")
 * and z in full for a data- attribute; each buffer of 64 bytes. */
static void z_and_p(struct req *r, const struct spatial_getis_ord *go, size_t k, char *z, char *pv, char *zfull)
{
	pnum(r, z, 64, go->z[k], 2);
	if (go->p[k] < 0.0001)
		snprintf(pv, 64, "< %s", L(r, "0,0001", "0.0001"));
	else
		pnum(r, pv, 64, go->p[k], 4);
	snprintf(zfull, 64, "%.10g", go->z[k]);
}

/* Closes a table of spots that shows shown of its n rows (the rest are in the downloads). */
static void spot_table_end(struct req *r, size_t shown, size_t n)
{
	buf_puts(&r->out, "</tbody></table></div>");
	if (shown < n)
		html_printf(&r->out, "<p class=\"muted\">%s %lld %s %lld; %s</p>", L(r, "Pokazano", "Showing"), (long long)shown,
			    L(r, "z", "of"), (long long)n, L(r, "wszystkie w CSV i API.", "all of them are in the CSV and the API."));
	buf_puts(&r->out, "</section>");
}

/* The hot and cold spots of go (*n of them), hot first, the most extreme z first in each
 * (spot_cmp); free the array. */
static struct spot_row *spot_rows(const struct spatial_getis_ord *go, size_t *n)
{
	struct spot_row *rows;
	size_t j;
	ALLOC_ARRAY(rows, go->n + 1);
	for (j = *n = 0; j < go->n; j++) {
		int spot = spatial_spot(go, j);
		if (spot) {
			rows[*n].j = j;
			rows[*n].spot = spot;
			rows[(*n)++].z = go->z[j];
		}
	}
	qsort(rows, *n, sizeof(*rows), spot_cmp);
	return rows;
}

/* The summary of a value's hot spots: the firms with the value, the ones
 * left out without it, the hot and cold spots. */
static void value_summary(struct req *r, const struct fpts *p)
{
	char bandv[64];
	ptext(r, bandv, sizeof(bandv), p->band_km);
	html_printf(&r->out, "<p class=\"hotspots\" data-value=\"%s\" data-firms=\"%lld\" data-missing=\"%lld\""
		    " data-hot=\"%lld\" data-cold=\"%lld\">%s <strong>%s</strong> (%s %lld %s %s km): %s <strong>%lld</strong>,"
		    " %s <strong>%lld</strong> %s. %s <strong>%lld</strong>.</p>",
		    p->value, (long long)p->hv.n, (long long)p->hv.no_value, (long long)p->nhot, (long long)p->ncold,
		    L(r, "Gorące punkty wartości", "Hot spots of"), p->value,
		    L(r, "Getis–Ord Gi* na", "Getis–Ord Gi* on the"), (long long)p->hv.n,
		    L(r, "firmach z wartością; sąsiedzi: firmy w promieniu", "firms with a value; neighbours: firms within"),
		    bandv, L(r, "gorących", "hot"), (long long)p->nhot, L(r, "zimnych", "cold"), (long long)p->ncold,
		    L(r, "przy p < 0,05", "at p < 0.05"),
		    L(r, "Firmy bez wartości, pominięte:", "Firms without a value, left out:"), (long long)p->hv.no_value);
	if (p->go.nisland)
		/* as the command line's notice: a lone firm's Gi* is its own value */
		html_printf(&r->out, "<p class=\"muted islands\" data-islands=\"%lld\">%s %lld %s %lld%s</p>",
			    (long long)p->go.nisland, L(r, "Firmy bez sąsiada w promieniu:", "Firms without a neighbour within the band:"),
			    (long long)p->go.nisland, L(r, "z", "of"), (long long)p->hv.n,
			    L(r, " — ich Gi* opiera się tylko na nich samych; większy promień da im sąsiadów.",
			      " — their Gi* rests on themselves alone; a wider band gives them neighbours."));
	if (p->go.nall)
		/* as the command line's notice: a band holding every firm leaves Gi* nothing to compare */
		html_printf(&r->out, "<p class=\"muted no-z\" data-all=\"%lld\">%s %lld %s %lld%s</p>",
			    (long long)p->go.nall, L(r, "Firmy, w których promieniu są wszystkie pozostałe:",
						     "Firms with every other firm within the band:"),
			    (long long)p->go.nall, L(r, "z", "of"), (long long)p->hv.n,
			    L(r, " — ich Gi* jest stały i nie ma wyniku z ani p; węższy promień je porówna.",
			      " — their Gi* is fixed and has no z-score or p; a narrower band compares them."));
}

/* The hot and cold spots of a value, hot first, at most TABLE_MAX; no table when there are none. */
static void value_table(struct req *r, const struct fpts *p)
{
	size_t j, n, shown;
	struct spot_row *rows = spot_rows(&p->go, &n);
	if (!n) {   /* the summary above says none is hot or cold: no empty table under it */
		free(rows);
		return;
	}
	shown = n < TABLE_MAX ? n : TABLE_MAX;
	html_printf(&r->out, "<section><div class=\"table-wrap\"><table class=\"results spots\"><caption>%s %s</caption>"
		    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		    "<th scope=\"col\" class=\"num\">Gi*</th><th scope=\"col\" class=\"num\">z</th>"
		    "<th scope=\"col\" class=\"num\">p</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		    L(r, "Gorące i zimne punkty (p < 0,05):", "Hot and cold spots (p < 0.05):"), p->value,
		    L(r, "Firma", "Firm"), L(r, "Branża", "Industry"), L(r, "Wartość", "Value"), L(r, "Punkt", "Spot"));
	for (j = 0; j < shown; j++) {
		size_t k = rows[j].j;
		const char *nm = spatial_firm_name(&p->hv, k);
		char v[64], g[64], z[64], pv[64], zfull[64], pfull[40];
		double val = p->hv.value[k];
		psig(r, v, sizeof(v), val, val == floor(val) ? 0 : 2);
		psig(r, g, sizeof(g), p->go.g[k], 4);
		z_and_p(r, &p->go, k, z, pv, zfull);
		snprintf(pfull, sizeof(pfull), "%.10g", p->go.p[k]);
		html_printf(&r->out, "<tr data-id=\"%s\" data-spot=\"%s\" data-z=\"%s\" data-p=\"%s\"><td>%s</td><td>%s</td>"
			    "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			    "<td class=\"%s\">%s</td></tr>",
			    spatial_firm_id(&p->hv, k), spatial_spot_name(rows[j].spot), zfull, pfull,
			    *nm ? nm : spatial_firm_id(&p->hv, k), spatial_firm_industry(&p->hv, k), v, g, z, pv,
			    spatial_spot_name(rows[j].spot),
			    rows[j].spot > 0 ? L(r, "gorący", "hot") : L(r, "zimny", "cold"));
	}
	spot_table_end(r, shown, n);
	free(rows);
}

/* The hot and cold cells of the density grid, the most extreme z first:
 * where each lies (its code on the grid of Europe, else its centre), its
 * firms and the first of them by name, Gi*, z and p (at most TABLE_MAX
 * rows; every cell is in the CSV and the API). */
static void cell_table(struct req *r, const struct fpts *p)
{
	struct spot_row *rows;
	size_t j, k, i, n, shown, *slot, (*first)[NMEMBERS], *nfirst;
	int eu = p->grid.kind == SPATIAL_GRID_LAEA;
	rows = spot_rows(&p->go, &n);
	if (!n) {
		free(rows);
		return;
	}
	shown = n < TABLE_MAX ? n : TABLE_MAX;
	/* the first firms of each cell shown, in one pass over the firms (not one per row: the cold
	 * cells are empty, and a scan for each would read every firm a hundred times) */
	ALLOC_ARRAY(slot, p->grid.n);
	for (k = 0; k < p->grid.n; k++)
		slot[k] = (size_t)-1;
	for (j = 0; j < shown; j++)
		slot[rows[j].j] = j;
	ALLOC_ARRAY(first, shown);
	nfirst = xcalloc(shown, sizeof(*nfirst));
	for (i = 0; i < p->f.n; i++) {
		size_t s = slot[p->grid.cell[i]];
		if (s != (size_t)-1 && nfirst[s] < NMEMBERS)
			first[s][nfirst[s]++] = i;
	}
	html_printf(&r->out, "<section><div class=\"table-wrap\"><table class=\"results cells\"><caption>%s</caption>"
		    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\" class=\"num\">z</th><th scope=\"col\" class=\"num\">p</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>",
		    L(r, "Gorące i zimne oczka siatki (p < 0,05)", "Hot and cold cells of the grid (p < 0.05)"),
		    eu ? L(r, "Oczko (kod siatki Eurostatu)", "Cell (Eurostat grid code)") : L(r, "Oczko (środek)", "Cell (centre)"),
		    L(r, "Firmy", "Firms"), L(r, "Firmy w oczku", "Firms in the cell"), L(r, "Punkt", "Spot"));
	for (j = 0; j < shown; j++) {
		struct buf names = BUF_INIT;
		char where[128], z[64], pv[64], zfull[64], la[64], lo[64];
		size_t named;
		k = rows[j].j;
		if (eu)
			spatial_grid_code(&p->grid, k, where, sizeof(where));
		else {
			pcoord(r, la, sizeof(la), p->grid.lat[k], 2, "N", "S");
			pcoord(r, lo, sizeof(lo), p->grid.lon[k], 2, "E", "W");
			snprintf(where, sizeof(where), "%s %s", la, lo);
		}
		for (named = 0; named < nfirst[j]; named++) {
			const char *nm = spatial_firm_name(&p->f, first[j][named]);
			html_printf(&names, "%s%s", named ? "; " : "", *nm ? nm : spatial_firm_id(&p->f, first[j][named]));
		}
		if (named && p->grid.count[k] > (double)named)
			buf_puts(&names, "; …");
		z_and_p(r, &p->go, k, z, pv, zfull);
		/* names: escaped by html_printf above */
		html_printf(&r->out, "<tr data-cell=\"%lld\" data-spot=\"%s\" data-z=\"%s\"><td>%s</td><td class=\"num\">%lld</td>"
			    "<td>%R</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"%s\">%s</td></tr>",
			    (long long)k, spatial_spot_name(rows[j].spot), zfull, where, (long long)p->grid.count[k],
			    names.len ? names.ptr : "", z, pv, spatial_spot_name(rows[j].spot),
			    rows[j].spot > 0 ? L(r, "gorące", "hot") : L(r, "zimne", "cold"));
		buf_release(&names);
	}
	spot_table_end(r, shown, n);
	free(slot);
	free(first);
	free(nfirst);
	free(rows);
}

/* web.h */
int web_source_labelled(const char *source)
{
	return strncasecmp(source, "source", 6) == 0 || strncmp(source, "Źródło", strlen("Źródło")) == 0 ||
	       strncmp(source, "źródło", strlen("źródło")) == 0;
}

/* web.h */
void web_source_para(struct req *r, const char *source, const char *licence)
{
	int so = source && *source, li = licence && *licence;
	if (!so && !li)
		return;
	buf_puts(&r->out, "<p class=\"muted dataset-source\">");
	if (so)
		html_printf(&r->out, "<span class=\"source\">%R%s</span>",
			    web_source_labelled(source) ? "" : L(r, "Źródło: ", "Source: "), source);
	if (li)
		html_printf(&r->out, "%R<span class=\"licence\">%s %s</span>", so ? " · " : "",
			    L(r, "Licencja:", "Licence:"), licence);
	buf_puts(&r->out, "</p>");
}

void web_cluster_map_tabs(struct req *r, int which, const char *query)
{
	static const struct {
		const char *path, *pl, *en;
	} tab[] = {
		{ "/cluster-map", "Regiony i branże", "Regions and industries" },
		{ "/cluster-map/region", "Profil regionu", "Region profile" },
		{ "/cluster-map/related", "Pokrewieństwo branż", "Related industries" },
		{ "/cluster-map/points", "Firmy na mapie (DBSCAN)", "Firm points (DBSCAN)" },
	};
	size_t k;
	const char *lang = req_lang_arg(r);
	buf_puts(&r->out, "<p class=\"tabs\">");
	for (k = 0; k < sizeof(tab) / sizeof(tab[0]); k++) {
		/* the regions' tabs take the query; the points' only the language asked for */
		int q = query && k != WEB_TAB_POINTS, l = lang && !(q && strstr(query, "lang="));
		html_printf(&r->out, "%R<a href=\"%s%R%s%R%s\"%R>%s</a>", k ? " · " : "", tab[k].path,
			    q ? "?" : "", q ? query : "", l ? (q ? "&amp;lang=" : "?lang=") : "", l ? lang : "",
			    (int)k == which ? " aria-current=\"page\"" : "", L(r, tab[k].pl, tab[k].en));
	}
	buf_puts(&r->out, "</p>");
}

/* The firm points page's beginning: the page, its heading, the tabs and the lead. */
static void points_head(struct req *r)
{
	page_begin(r, L(r, "Mapa klastrów: firmy", "Cluster map: firm points"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Mapa klastrów", "Cluster map"));
	web_cluster_map_tabs(r, WEB_TAB_POINTS, NULL);
	html_printf(&r->out, "<p class=\"lead\">%s</p>",
		    L(r, "Skupienia firm w przestrzeni (DBSCAN): firma jest rdzeniem skupienia, gdy w promieniu eps leży co "
			 "najmniej tyle firm, ile podano w polu „Najmniej firm w promieniu” (wliczając ją samą); skupienie to rdzenie połączone łańcuchem odległości "
			 "≤ eps i firmy w ich zasięgu. Pozostałe firmy to szum. Odległości po kuli ziemskiej.",
		      "Spatial clusters of firms (DBSCAN): a firm is a core point when at least as many firms as the "
			 "field \"Fewest firms within it\" says (itself included) lie within eps of it; a cluster is core points linked by distances ≤ eps plus the firms "
			 "within their reach. Other firms are noise. Distances on the globe."));
}

/* A choice of the form the page refuses (e: KERR_INPUT, a 400): the page with its form as the
 * request filled it and, above it, the problem naming the field by its label, linked to it (the
 * field marked aria-invalid); no map or table, which the choice cannot give. */
static void points_refused(struct req *r, const struct kerr *e)
{
	struct fpts_form f;
	struct buf opts = BUF_INIT;
	char *first = NULL, epsv[32], msv[32], bandv[32];
	static const char *const ds_param[] = { "dataset", NULL };
	struct kerr ds_e = KERR_INIT;
	f.dataset = req_arg(r, "dataset");
	/* a list named by what is not text (refused above the form) names none: looking it up would
	 * be a database error on PostgreSQL, which takes only UTF-8 */
	if (f.dataset && web_args_text(r, ds_param, &ds_e))
		f.dataset = NULL;
	if (!f.dataset || !*f.dataset) {
		firms_list(r->db, first_list, &first, NULL);
		f.dataset = first ? first : "";
	}
	f.industry = req_arg(r, "industry");
	f.cell = req_arg(r, "cell_km");
	f.grid = req_arg(r, "grid");
	f.value = req_arg(r, "value");
	/* a field left empty shows the default it stood for (cell_km's empty is none) */
	f.eps = req_arg(r, "eps_km");
	f.eps = f.eps && *f.eps ? f.eps : num_exact(epsv, sizeof(epsv), EPS_KM_DEFAULT);
	f.ms = req_arg(r, "min_samples");
	snprintf(msv, sizeof(msv), "%d", MIN_SAMPLES_DEFAULT);
	f.ms = f.ms && *f.ms ? f.ms : msv;
	f.band = req_arg(r, "band_km");
	f.band = f.band && *f.band ? f.band : num_exact(bandv, sizeof(bandv), BAND_KM_DEFAULT);
	buf_reset(&r->out);
	r->status = 400;
	r->ctype = "text/html; charset=utf-8";
	points_head(r);
	web_form_errors(r, e->msg, value_options_of(r, f.dataset, NULL, &opts) ? points_label : points_label_novalue);
	points_form(r, &f);
	page_end(r);
	buf_release(&opts);
	free(first);
}

void h_firm_points(struct req *r)
{
	struct fpts p;
	struct kerr e = KERR_INIT;
	struct map_opts mo;
	struct buf q = BUF_INIT, qc = BUF_INIT, qh = BUF_INIT;   /* the page's, the two API's */
	struct fpts_form f;
	double *pts = NULL;
	const char **titles = NULL;
	size_t i, k, *order = NULL, outside = 0, shown;
	char cellv[32] = "", epsv[32], msv[32], bandv[32], celltext[64];
	double *cells = NULL;
	signed char *cls = NULL, *spots = NULL;

	if (fpts_load(r, &p, FP_CLUSTERS, &e)) {
		fpts_release(&p);
		if (e.kind == KERR_INPUT)
			points_refused(r, &e);
		else
			fpts_error(r, &e);
		return;
	}
	fpts_query(&p, &q, FQ_ALL);
	fpts_query(&p, &qc, FQ_CLUSTERS);
	fpts_query(&p, &qh, FQ_HOTSPOTS);
	/* the values as given, so submitting the form again changes nothing */
	num_exact(epsv, sizeof(epsv), p.eps_km);
	if (p.cell_km > 0)
		num_exact(cellv, sizeof(cellv), p.cell_km);
	num_exact(bandv, sizeof(bandv), p.band_km);
	snprintf(msv, sizeof(msv), "%ld", p.min_samples);
	points_head(r);
	/* the choice */
	f.dataset = p.info.name;
	f.industry = p.industry;
	f.eps = epsv;
	f.ms = msv;
	f.cell = cellv;
	f.grid = p.grid_asked ? (p.grid_kind == SPATIAL_GRID_LAEA ? "eu" : "degrees") : NULL;
	f.value = p.value;
	f.band = bandv;
	points_form(r, &f);

	{
		/* the counts as the page's language writes numbers (1 070, 1,070); the data- attributes bare */
		char nf[40], nc[40], nk[40], nn[40];
		pnum(r, nf, sizeof(nf), (double)p.f.n, 0);
		pnum(r, nc, sizeof(nc), (double)p.d.nclusters, 0);
		pnum(r, nk, sizeof(nk), (double)p.d.ncore, 0);
		pnum(r, nn, sizeof(nn), (double)p.d.nnoise, 0);
		html_printf(&r->out, "<p class=\"count summary\" data-firms=\"%lld\" data-clusters=\"%ld\" data-core=\"%lld\""
			    " data-noise=\"%lld\">%s <strong>%s</strong> · %s <strong>%s</strong> · %s %s · %s %s</p>",
			    (long long)p.f.n, p.d.nclusters, (long long)p.d.ncore, (long long)p.d.nnoise,
			    L(r, "Firmy:", "Firms:"), nf, L(r, "skupienia:", "clusters:"), nc,
			    L(r, "w rdzeniach:", "core points:"), nk, L(r, "szum:", "noise:"), nn);
	}
	if (p.info.skipped && !p.industry)
		html_printf(&r->out, "<p class=\"muted\">%s %lld</p>",
			    L(r, "Pominięte przy imporcie (bez współrzędnych):", "Left out at import (no coordinates):"),
			    p.info.skipped);

	/* the map */
	pts = xcalloc(2 * p.f.n + 1, sizeof(*pts));
	for (i = 0; i < p.f.n; i++) {
		pts[2 * i] = p.f.lon[i];
		pts[2 * i + 1] = p.f.lat[i];
	}
	if (p.f.n <= 5000) {
		titles = xcalloc(p.f.n + 1, sizeof(*titles));
		for (i = 0; i < p.f.n; i++)
			titles[i] = *spatial_firm_name(&p.f, i) ? spatial_firm_name(&p.f, i) : spatial_firm_id(&p.f, i);
	}
	ptext(r, celltext, sizeof(celltext), p.cell_km);
	if (p.value)
		value_summary(r, &p);
	else if (p.cell_km > 0)
	{
		int eu = p.grid.kind == SPATIAL_GRID_LAEA;
		html_printf(&r->out, "<p class=\"hotspots\" data-cells=\"%lld\" data-in-area=\"%lld\" data-grid=\"%s\" "
			    "data-hot=\"%lld\" data-cold=\"%lld\">%s %lld × %lld %s %s km %s: %s <strong>%lld</strong>, %s "
			    "<strong>%lld</strong> %s; %s <strong>%lld</strong> %s)</p>",
			    (long long)p.grid.n, (long long)p.grid.nin, eu ? "eu" : "degrees", (long long)p.nhot,
			    (long long)p.ncold,
			    L(r, "Gorące punkty (Getis–Ord Gi*): liczba firm w oczkach siatki", "Hot spots (Getis–Ord Gi*): firms counted in a grid of"),
			    (long long)p.grid.rows, (long long)p.grid.cols, L(r, "oczek po", "cells of"), celltext,
			    eu ? L(r, "(siatka Europy EPSG:3035, jak siatka ludności Eurostatu; oczka równej powierzchni)",
				   "(the grid of Europe, EPSG:3035, as Eurostat's population grid; cells of equal area)")
			       : L(r, "(oczka równe w stopniach; gęstość na km²)", "(cells equal in degrees; density per km²)"),
			    L(r, "gorących", "hot"), (long long)p.nhot, L(r, "zimnych", "cold"), (long long)p.ncold,
			    L(r, "przy p < 0,05; sąsiedzi: oczka w promieniu 1,5 oczka", "at p < 0.05; neighbours: cells within 1.5 cells"),
			    L(r, "w analizie", "in the analysis"), (long long)p.grid.nin,
			    p.grid.in ? L(r, "oczek w granicach regionów mapy lub z firmami (oczka poza nimi nie liczą się "
					   "jako puste",
					   "cells inside the map's regions or holding firms (cells beyond them do not count "
					   "as empty")
				      : L(r, "oczek, wszystkie w prostokącie firm (firmy leżą poza regionami mapy, więc nie "
					   "ograniczają one obszaru",
					   "cells, every cell of the firms' box (the firms lie beyond the map's regions, "
					   "which therefore do not bound the area"));
	}
	memset(&mo, 0, sizeof(mo));
	if (p.value) {
		spots = xcalloc(p.f.n + 1, 1);
		for (i = 0; i < p.hv.n; i++)
			spots[p.hv_index[i]] = (signed char)spatial_spot(&p.go, i);
		mo.point_spot = spots;
	} else if (p.cell_km > 0) {
		/* only the hot and cold cells, along their curved edges */
		mo.ncells = spatial_spot_cells(&p.grid, &p.go, &cells, &cls, &mo.cell_pts);
		mo.cells = cells;
		mo.cell_class = cls;
	}
	mo.layer = points_layer(r, &p.f, &outside);
	mo.points = pts;
	mo.npoints = p.f.n;
	mo.point_class = p.d.label;
	mo.point_title = titles;
	mo.legend_title = L(r, "Firmy według skupień DBSCAN", "Firms by DBSCAN cluster");
	buf_puts(&r->out, "<section class=\"points-map\">");
	map_svg(r, &r->out, &mo);
	map_attribution(r, &r->out, mo.layer);
	if (outside)
		html_printf(&r->out, "<p class=\"muted\">%s %lld</p>",
			    L(r, "Firmy poza kadrem mapy (np. błędne współrzędne):", "Firms outside the map (e.g. wrong coordinates):"),
			    (long long)outside);
	web_source_para(r, p.info.source, p.info.licence);
	html_printf(&r->out, "<p><a href=\"/cluster-map/points.csv?%s\" download>%s</a> · "
		    "<a href=\"/cluster-map/points.csv?%s&amp;format=xlsx\" download>XLSX</a> · "
		    "<a href=\"/cluster-map/points.csv?%s&amp;format=geojson\" download>GeoJSON</a> · "
		    "<a href=\"/api/v1/firm-clusters?%s\">JSON</a></p>",
		    q.ptr, L(r, "pobierz CSV (skupienie każdej firmy)", "download CSV (each firm's cluster)"), q.ptr, q.ptr, qc.ptr);
	if (p.value)
		html_printf(&r->out, "<p><a href=\"/cluster-map/hotspots.csv?%s\" download>%s %s</a> · "
			    "<a href=\"/cluster-map/hotspots.csv?%s&amp;format=xlsx\" download>XLSX</a> · "
			    "<a href=\"/cluster-map/hotspots.csv?%s&amp;format=geojson\" download>GeoJSON</a> · "
			    "<a href=\"/api/v1/firm-hotspots?%s\">JSON</a></p>",
			    q.ptr, L(r, "pobierz CSV gorących punktów (Gi*, z, p każdej firmy):", "download CSV of the hot spots (each firm's Gi*, z, p):"),
			    p.value, q.ptr, q.ptr, qh.ptr);
	else if (p.cell_km > 0)
		html_printf(&r->out, "<p><a href=\"/cluster-map/hotspots.csv?%s\" download>%s</a> · "
			    "<a href=\"/cluster-map/hotspots.csv?%s&amp;format=xlsx\" download>XLSX</a> · "
			    "<a href=\"/cluster-map/hotspots.csv?%s&amp;format=geojson\" download>GeoJSON</a> · "
			    "<a href=\"/api/v1/firm-hotspots?%s\">JSON</a></p>",
			    q.ptr, L(r, "pobierz CSV gorących punktów (Gi*, z, p każdego oczka siatki)",
				     "download CSV of the hot spots (each grid cell's Gi*, z, p)"), q.ptr, q.ptr, qh.ptr);
	buf_puts(&r->out, "</section>");
	if (p.value)
		value_table(r, &p);
	else if (p.cell_km > 0)
		cell_table(r, &p);

	/* the clusters, largest first */
	if (p.d.nclusters == 0)
		html_printf(&r->out, "<p class=\"muted no-clusters\">%s</p>",
			    L(r, "Żadnego skupienia: żadna firma nie ma w promieniu eps dość sąsiadów (min_samples). "
				 "Zwiększ promień albo zmniejsz min_samples.",
			      "No cluster: no firm has enough neighbours (min_samples) within the radius eps. "
			      "Widen the radius or lower min_samples."));
	order = clusters_by_size(&p);
	shown = (size_t)p.d.nclusters < TABLE_MAX ? (size_t)p.d.nclusters : TABLE_MAX;
	html_printf(&r->out, "<section><div class=\"table-wrap\"><table class=\"results clusters\"><caption>%s</caption>"
		    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		    L(r, "Skupienia od największego", "Clusters, largest first"), L(r, "Skupienie", "Cluster"),
		    L(r, "Firmy (rdzeń)", "Firms (core)"), L(r, "Środek", "Centre"), L(r, "Promień", "Radius"),
		    L(r, "Zasięg", "Extent"), L(r, "Firmy w skupieniu", "Members"));
	for (i = 0; i < shown; i++) {
		const struct spatial_cluster *c = &p.cl[order[i]];
		char lat[64], lon[64], rad[64], blat[140], blon[140];
		pcoord(r, lat, sizeof(lat), c->lat, 4, "N", "S");
		pcoord(r, lon, sizeof(lon), c->lon, 4, "E", "W");
		pnum(r, rad, sizeof(rad), c->radius_m / 1000.0, 1);
		prange(r, blat, sizeof(blat), c->bbox[1], c->bbox[3], "N", "S");
		prange(r, blon, sizeof(blon), c->bbox[0], c->bbox[2], "E", "W");
		html_printf(&r->out, "<tr data-cluster=\"%lld\"><td><svg class=\"swatch\" width=\"12\" height=\"12\" aria-hidden=\"true\">"
			    "<circle cx=\"6\" cy=\"6\" r=\"5\" fill=\"%s\"/></svg> %lld</td><td class=\"num\">%lld (%lld)</td>"
			    "<td class=\"num\">%s; %s</td><td class=\"num\">%s km</td>"
			    "<td class=\"num\">%s, %s</td><td>",
			    (long long)order[i], draw_cluster_colour((long)order[i]), (long long)order[i], (long long)c->n,
			    (long long)c->ncore, lat, lon, rad, blat, blon);
		for (k = 0; k < NMEMBERS && p.members[order[i]][k] != (size_t)-1; k++) {
			size_t m = p.members[order[i]][k];
			const char *nm = spatial_firm_name(&p.f, m);
			html_printf(&r->out, "%s%s", k ? "; " : "", *nm ? nm : spatial_firm_id(&p.f, m));
		}
		if (c->n > k)
			html_printf(&r->out, L(r, " i jeszcze %lld", " and %lld more"), (long long)(c->n - k));
		buf_puts(&r->out, "</td></tr>");
	}
	buf_puts(&r->out, "</tbody></table></div>");
	if (shown < (size_t)p.d.nclusters)
		html_printf(&r->out, "<p class=\"muted\">%s %lld %s</p>", L(r, "Pokazano", "Showing the"), (long long)shown,
			    L(r, "największych; wszystkie w CSV i API.", "largest; all of them are in the CSV and the API."));
	buf_puts(&r->out, "</section>");
	free(order);
	free(pts);
	free(titles);
	free(cells);
	free(cls);
	free(spots);
	buf_release(&q);
	buf_release(&qc);
	buf_release(&qh);
	fpts_release(&p);
	page_end(r);
}

/* Sends one of the command line's result tables as a CSV attachment named
 * by the list, the table and its parameters (eu-ets-pl-dbscan-eps10km-k3.csv,
 * LIST-hotspots-VALUE-12.5km[-INDUSTRY].csv): the DBSCAN labels of p (`klaster map spatial -o`) or, with
 * hotspots, its value's hot spots (`klaster map hotspots -o`). */
/* Appends s to a file name: letters, digits, '.' and '-' as they are, others as '_' (at most 40). */
static void name_part(struct buf *b, const char *s)
{
	size_t k;
	for (k = 0; s[k] && k < 40; k++) {
		unsigned char ch = (unsigned char)s[k];
		buf_putc(b, (char)(isalnum(ch) || ch == '.' || ch == '-' ? ch : '_'));
	}
}

/* The tables fpts_send_csv sends. */
enum fpts_table { FT_DBSCAN, FT_VALUE_HOTSPOTS, FT_GRID_HOTSPOTS };

static void fpts_send_csv(struct req *r, const struct fpts *p, enum fpts_table what)
{
	static const struct {
		const char *suffix, *sheet;
		const char *const *cols;
	} tables[] = {
		[FT_DBSCAN] = { "dbscan", "firms", spatial_dbscan_columns },
		[FT_VALUE_HOTSPOTS] = { "hotspots", "hotspots", spatial_hotspot_columns },
		[FT_GRID_HOTSPOTS] = { "grid-hotspots", "hotspots", NULL },   /* the grid's kind: spatial_grid_hotspot_columns_of */
	};
	struct kerr e = KERR_INIT;
	struct web_table wt;
	char name[200];
	int bad;
	enum tablew_format tf = TABLEW_CSV;
	const char *fmt = req_arg(r, "format"), *ext;

	/* format=csv (the default) or xlsx, as the statistics downloads, or geojson: the firms or cells as
	 * a layer for a GIS (tablew.h) */
	if (fmt && *fmt && strcmp(fmt, "csv") && strcmp(fmt, "xlsx") && strcmp(fmt, "geojson")) {
		web_bad_format(r, fmt, fpts_error_msg);
		return;
	}
	if (fmt && *fmt)
		tablew_format_by_name(fmt, &tf);
	ext = tf == TABLEW_XLSX ? "xlsx" : tf == TABLEW_GEOJSON ? "geojson" : "csv";
	/* the list's name is [a-z0-9-] (firms_store): safe in the header; the parameters that make
	 * the table follow it, the value and industry with other characters as '_' */
	{
		struct buf n = BUF_INIT;
		buf_printf(&n, "%s-%s", p->info.name, tables[what].suffix);
		if (what == FT_DBSCAN)
			buf_printf(&n, "-eps%.10gkm-k%ld", p->eps_km, p->min_samples);
		else if (what == FT_VALUE_HOTSPOTS) {
			buf_putc(&n, '-');
			name_part(&n, p->value);
			buf_printf(&n, "-%.10gkm", p->band_km);
		} else {
			buf_printf(&n, "-%.10gkm%s", p->cell_km, p->grid.kind == SPATIAL_GRID_LAEA ? "-epsg3035" : "");
		}
		if (p->industry) {
			buf_putc(&n, '-');
			name_part(&n, p->industry);
		}
		snprintf(name, sizeof(name), "%s.%s", n.ptr, ext);
		buf_release(&n);
	}
	if (web_table_open(r, &wt, tf, tables[what].sheet,
			   what == FT_GRID_HOTSPOTS ? spatial_grid_hotspot_columns_of(&p->grid) : tables[what].cols, &e))
		goto fail;
	bad = what == FT_DBSCAN ? spatial_write_dbscan(&p->f, &p->d, wt.t, &e)
	      : what == FT_VALUE_HOTSPOTS ? spatial_write_hotspots(&p->hv, &p->go, 0, wt.t, &e)
					  : spatial_write_grid_hotspots(&p->grid, &p->go, wt.t, &e);
	if (bad) {
		tablew_abort(wt.t);
		goto fail;
	}
	if (tf == TABLEW_XLSX) {
		/* a second sheet says where the firms come from and on what terms, as the statistics'
		 * downloads say it */
		struct buf ds = BUF_INIT, src = BUF_INIT, lic = BUF_INIT;
		const char *lines[4];
		buf_printf(&ds, L(r, "Lista firm: %s (%s)", "Firm list: %s (%s)"), p->info.title, p->info.name);
		buf_printf(&src, L(r, "Źródło: %s", "Source: %s"), *p->info.source ? p->info.source : "—");
		buf_printf(&lic, L(r, "Licencja: %s", "Licence: %s"), *p->info.licence ? p->info.licence : "—");
		lines[0] = ds.ptr, lines[1] = src.ptr, lines[2] = lic.ptr, lines[3] = NULL;
		tablew_notes(wt.t, "source", lines);
		buf_release(&ds), buf_release(&src), buf_release(&lic);
	}
	{
		size_t start = r->out.len;
		if (web_table_send(r, &wt, name, &e))
			goto fail;
		if (tf == TABLEW_GEOJSON)
			dataset_geojson_attribution(&r->out, start, p->info.name, p->info.title, p->info.source,
						    p->info.licence);
	}
	return;
fail:
	fpts_error(r, &e);
}

/* Each firm with its cluster: the table of `klaster map spatial -o FILE.csv`. */
void h_firm_points_csv(struct req *r)
{
	struct fpts p;
	struct kerr e = KERR_INIT;
	if (fpts_load(r, &p, FP_CLUSTERS, &e))
		fpts_error(r, &e);
	else
		fpts_send_csv(r, &p, FT_DBSCAN);
	fpts_release(&p);
}

/* With value, each firm that has it with its Gi*, z, p and spot: the table
 * of `klaster map hotspots --value V --band METRES --star -o FILE.csv` on
 * the same firms; with cell_km alone, each cell of the grid: the table of
 * `klaster map hotspots --cell 1000×cell_km -o FILE.csv`. */
void h_firm_hotspots_csv(struct req *r)
{
	struct fpts p;
	struct kerr e = KERR_INIT;
	if (fpts_load(r, &p, 0, &e))
		fpts_error(r, &e);
	else if (p.value)
		fpts_send_csv(r, &p, FT_VALUE_HOTSPOTS);
	else if (p.cell_km > 0)
		fpts_send_csv(r, &p, FT_GRID_HOTSPOTS);
	else
		fpts_error_msg(r, 400, L(r, "value albo cell_km: wybierz wartość zapisaną z listą albo rozmiar oczek siatki (km)",
					 "value or cell_km: choose a value stored with the list, or the grid's cell size (km)"));
	fpts_release(&p);
}

static int json_value(void *ctx, const struct firms_value *v)
{
	struct buf *out = ((void **)ctx)[0];
	int *n = ((void **)ctx)[1];
	buf_puts(out, (*n)++ ? ",{\"name\":" : "{\"name\":");
	esc_json(out, v->name);
	buf_printf(out, ",\"firms\":%lld,\"missing\":%lld}", v->present, v->missing);
	return 0;
}

/* web.h */
int web_firm_list_json(struct buf *out, struct db *db, const struct firms_info *d, struct kerr *e)
{
	int nv = 0;
	void *vctx[2] = { out, &nv };
	buf_puts(out, "\"name\":");
	esc_json(out, d->name);
	buf_puts(out, ",\"title\":");
	esc_json(out, d->title);
	dataset_json_source(out, d->source, d->licence);
	buf_printf(out, ",\"firms\":%lld,\"skipped\":%lld,\"values\":[", d->nfirms, d->skipped);
	if (firms_values(db, d->name, json_value, vctx, e))
		return -1;
	buf_putc(out, ']');
	return 0;
}

static int json_list(void *ctx, const struct firms_info *d)
{
	struct req *r = ((void **)ctx)[0];
	int *n = ((void **)ctx)[1];
	struct kerr *e = ((void **)ctx)[2];
	buf_puts(&r->out, (*n)++ ? ",{" : "{");
	if (web_firm_list_json(&r->out, r->db, d, e))
		return -1;
	buf_putc(&r->out, '}');
	return 0;
}

void h_api_firm_datasets(struct req *r)
{
	struct kerr e = KERR_INIT;
	int n = 0;
	void *ctx[3] = { r, &n, &e };
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"items\":[");
	/* json_list stops the listing (non-zero) when its values cannot be read */
	if (firms_list(r->db, json_list, ctx, &e) || e.kind != KERR_NONE) {
		req_error_kerr(r, &e);
		return;
	}
	buf_printf(&r->out, "],\"total\":%d}\n", n);
}

/* The clusters of a firm list for eps_km and min_samples, and each firm's label. */
void h_api_firm_clusters(struct req *r)
{
	struct fpts p;
	struct kerr e = KERR_INIT;
	size_t i, k, *order;

	if (fpts_load(r, &p, FP_CLUSTERS, &e)) {
		fpts_release(&p);
		fpts_error(r, &e);
		return;
	}
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"dataset\":");
	esc_json(&r->out, p.info.name);
	buf_puts(&r->out, ",\"title\":");
	esc_json(&r->out, p.info.title);
	dataset_json_source(&r->out, p.info.source, p.info.licence);   /* where the firms come from, on what terms */
	buf_printf(&r->out, ",\"eps_km\":%.10g,\"min_samples\":%ld,\"industry\":", p.eps_km, p.min_samples);
	if (p.industry)
		esc_json(&r->out, p.industry);
	else
		buf_puts(&r->out, "null");
	buf_printf(&r->out, ",\"firms\":%zu,\"clusters\":%ld,\"core\":%zu,\"noise\":%zu,\"items\":[", p.f.n, p.d.nclusters,
		   p.d.ncore, p.d.nnoise);
	order = clusters_by_size(&p);
	for (i = 0; i < (size_t)p.d.nclusters; i++) {
		const struct spatial_cluster *c = &p.cl[order[i]];
		buf_printf(&r->out, "%s{\"cluster\":%zu,\"size\":%zu,\"core\":%zu,\"lat\":%.6f,\"lon\":%.6f,\"radius_km\":%.3f,"
			   "\"bbox\":[%.6f,%.6f,%.6f,%.6f],\"members\":[", i ? "," : "", order[i], c->n, c->ncore, c->lat,
			   c->lon, c->radius_m / 1000.0, c->bbox[0], c->bbox[1], c->bbox[2], c->bbox[3]);
		for (k = 0; k < NMEMBERS && p.members[order[i]][k] != (size_t)-1; k++) {
			size_t m = p.members[order[i]][k];
			buf_puts(&r->out, k ? ",{\"id\":" : "{\"id\":");
			esc_json(&r->out, spatial_firm_id(&p.f, m));
			buf_puts(&r->out, ",\"name\":");
			esc_json(&r->out, spatial_firm_name(&p.f, m));
			buf_puts(&r->out, "}");
		}
		/* the first few members only: how many more there are (every label is in "labels") */
		buf_printf(&r->out, "],\"members_more\":%zu}", c->n > k ? c->n - k : 0);
	}
	buf_puts(&r->out, "],\"labels\":[");
	for (i = 0; i < p.f.n; i++) {
		buf_puts(&r->out, i ? ",{\"id\":" : "{\"id\":");
		esc_json(&r->out, spatial_firm_id(&p.f, i));
		buf_printf(&r->out, ",\"cluster\":%ld,\"core\":%s}", p.d.label[i], p.d.core[i] ? "true" : "false");
	}
	buf_puts(&r->out, "]}\n");
	free(order);
	fpts_release(&p);
}

/* A result's G_i as a JSON member: null where it has none (every value 0: G_i divides by their
 * sum), as the CSV leaves it empty — never the "nan" that no JSON reader takes. */
static void json_gi(struct buf *out, const struct spatial_getis_ord *g, size_t i)
{
	if (isfinite(g->g[i]))
		buf_printf(out, ",\"gi\":%.10g", g->g[i]);
	else
		buf_puts(out, ",\"gi\":null");
}

/* A result's z, p and spot (null for none) as JSON members. */
static void json_zp(struct buf *out, const struct spatial_getis_ord *g, size_t i)
{
	int spot = spatial_spot(g, i);
	if (isnan(g->z[i]))
		buf_puts(out, ",\"z\":null,\"p\":null");
	else
		buf_printf(out, ",\"z\":%.10g,\"p\":%.10g", g->z[i], g->p[i]);
	buf_printf(out, spot ? ",\"spot\":\"%s\"}" : ",\"spot\":null}", spatial_spot_name(spot));
}

/* Gi* hot spots of a value (value, band_km): every firm that has it with
 * its value, Gi*, z, p and spot, in the list's order. */
static void api_value_hotspots(struct req *r, const struct fpts *p)
{
	size_t k;
	buf_puts(&r->out, ",\"value\":");
	esc_json(&r->out, p->value);
	buf_printf(&r->out, ",\"firms\":%zu,\"with_value\":%zu,\"missing\":%ld,\"band_km\":%.10g,\"hot\":%zu,"
		   "\"cold\":%zu,\"islands\":%zu,\"items\":[", p->f.n, p->hv.n, p->hv.no_value, p->band_km, p->nhot,
		   p->ncold, p->go.nisland);
	for (k = 0; k < p->hv.n; k++) {
		buf_puts(&r->out, k ? ",{\"id\":" : "{\"id\":");
		esc_json(&r->out, spatial_firm_id(&p->hv, k));
		buf_puts(&r->out, ",\"name\":");
		esc_json(&r->out, spatial_firm_name(&p->hv, k));
		buf_puts(&r->out, ",\"industry\":");
		esc_json(&r->out, spatial_firm_industry(&p->hv, k));
		buf_printf(&r->out, ",\"lat\":%.6f,\"lon\":%.6f,\"value\":%.17g", p->hv.lat[k], p->hv.lon[k],
			   p->hv.value[k]);
		json_gi(&r->out, &p->go, k);
		json_zp(&r->out, &p->go, k);
	}
}

/* Gi* hot spots of firm density on a grid (cell_km, default 20): the grid
 * and every cell that holds firms or is a hot or cold spot. */
static void api_grid_hotspots(struct req *r, const struct fpts *p)
{
	size_t k;
	int first = 1;
	char code[96];
	buf_printf(&r->out, ",\"value\":null,\"firms\":%zu,\"cell_km\":%.10g,\"band_km\":%.10g,\"grid\":\"%s\",\"rows\":%zu,"
		   "\"cols\":%zu,\"cells_in_area\":%zu,", p->f.n, p->cell_km, BAND_CELLS * p->cell_km,
		   p->grid.kind == SPATIAL_GRID_LAEA ? "eu" : "degrees", p->grid.rows, p->grid.cols, p->grid.nin);
	if (p->grid.kind == SPATIAL_GRID_LAEA)
		buf_printf(&r->out, "\"crs\":\"EPSG:3035\",\"x0\":%.0f,\"y0\":%.0f,", p->grid.x0, p->grid.y0);
	else
		buf_printf(&r->out, "\"lat0\":%.17g,\"lon0\":%.17g,\"dlat\":%.17g,\"dlon\":%.17g,", p->grid.lat0,
			   p->grid.lon0, p->grid.dlat, p->grid.dlon);
	buf_printf(&r->out, "\"hot\":%zu,\"cold\":%zu,\"items\":[", p->nhot, p->ncold);
	for (k = 0; k < p->grid.n; k++) {
		if (!(p->grid.count[k] > 0) && !spatial_spot(&p->go, k))
			continue;
		buf_printf(&r->out, "%s{\"row\":%zu,\"col\":%zu,", first ? "" : ",", k / p->grid.cols, k % p->grid.cols);
		if (p->grid.kind == SPATIAL_GRID_LAEA) {
			spatial_grid_code(&p->grid, k, code, sizeof(code));
			buf_printf(&r->out, "\"code\":\"%s\",", code);   /* letters and digits (spatial_grid_code) */
		}
		buf_printf(&r->out, "\"lat\":%.6f,\"lon\":%.6f,\"count\":%.0f", p->grid.lat[k], p->grid.lon[k],
			   p->grid.count[k]);
		json_gi(&r->out, &p->go, k);
		json_zp(&r->out, &p->go, k);
		first = 0;
	}
}

/* Gi* hot spots of a firm list: of a stored value on the firms (value),
 * else of firm density on a grid. */
void h_api_firm_hotspots(struct req *r)
{
	struct fpts p;
	struct kerr e = KERR_INIT;

	if (fpts_load(r, &p, FP_HOTSPOTS, &e)) {
		fpts_release(&p);
		fpts_error(r, &e);
		return;
	}
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"dataset\":");
	esc_json(&r->out, p.info.name);
	buf_puts(&r->out, ",\"title\":");
	esc_json(&r->out, p.info.title);
	dataset_json_source(&r->out, p.info.source, p.info.licence);
	buf_puts(&r->out, ",\"industry\":");
	if (p.industry)
		esc_json(&r->out, p.industry);
	else
		buf_puts(&r->out, "null");
	if (p.value)
		api_value_hotspots(r, &p);
	else
		api_grid_hotspots(r, &p);
	buf_puts(&r->out, "]}\n");
	fpts_release(&p);
}
