/* web_points.c — the cluster map's firm points ("Firmy na mapie / Firm
 * points"): a stored firm list (firms.h) clustered with DBSCAN (spatial.h)
 * for the eps and min_samples of a GET form, drawn on the map with the
 * firms coloured by cluster, the clusters listed, the labels as CSV and
 * the same through the API; optionally Getis–Ord Gi* hot spots of the
 * firms counted on a grid. */
#include "web.h"

#include <math.h>

#include "draw.h"
#include "esc.h"
#include "firms.h"
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
/* Rows of the cluster table on the page (all of them are in the CSV and API). */
#define TABLE_MAX 100
/* Members named per cluster. */
#define NMEMBERS 3

const struct route points_routes[] = {
	{ "GET", "/cluster-map/points", h_firm_points, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map/points.csv", h_firm_points_csv, R_DB },
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
	double cell_km;                /* hot spots on a grid of this cell; 0: none */
	struct spatial_grid grid;
	struct spatial_getis_ord go;   /* Gi* of the grid's counts */
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
	spatial_getis_ord_release(&p->go);
	memset(p, 0, sizeof(*p));
}

static int first_list(void *ctx, const struct firms_info *d)
{
	*(char **)ctx = xstrdup(d->name);
	return 1;
}

/* A plain decimal number of kilometres from lo to hi in field's value s
 * (a decimal comma is a point, as Polish is written; no sign, exponent,
 * hex or inf); -1 with a message naming the field. */
static int km_value(const char *field, const char *s, double lo, double hi, double *out, struct kerr *e)
{
	char num[32], *end;
	size_t i, n = strlen(s);
	if (n >= sizeof(num))
		return kerr_set(e, KERR_INPUT, "%s: '%.20s…' is not a number of kilometres from %g to %g", field, s, lo, hi);
	for (i = 0; i <= n; i++) {
		num[i] = s[i] == ',' ? '.' : s[i];
		if (i < n && !isdigit((unsigned char)num[i]) && num[i] != '.')
			return kerr_set(e, KERR_INPUT, "%s: '%s' is not a number of kilometres from %g to %g", field, s, lo, hi);
	}
	errno = 0;
	*out = strtod(num, &end);
	if (*end || errno || !isfinite(*out) || !(*out >= lo && *out <= hi))
		return kerr_set(e, KERR_INPUT, "%s: '%s' is not a number of kilometres from %g to %g", field, s, lo, hi);
	return 0;
}

/* Reads and validates eps_km, min_samples, industry and cell_km from the
 * query string (empty means the default; cell_km empty: no hot spots,
 * unless hot spots are wanted anyway); -1 with a message naming the field. */
static int fpts_read_params(struct req *r, struct fpts *p, int want, struct kerr *e)
{
	const char *eps = req_arg(r, "eps_km"), *ms = req_arg(r, "min_samples"), *ind = req_arg(r, "industry");
	const char *cell = req_arg(r, "cell_km");
	char *end;

	p->eps_km = EPS_KM_DEFAULT;
	p->min_samples = MIN_SAMPLES_DEFAULT;
	p->cell_km = want & FP_HOTSPOTS ? CELL_KM_DEFAULT : 0;
	if (eps && *eps && km_value("eps_km", eps, EPS_KM_MIN, EPS_KM_MAX, &p->eps_km, e))
		return -1;
	if (ms && *ms) {
		errno = 0;
		p->min_samples = strtol(ms, &end, 10);
		if (*end || errno || !isdigit((unsigned char)ms[0]) || p->min_samples < 1 ||
		    p->min_samples > MIN_SAMPLES_MAX)
			return kerr_set(e, KERR_INPUT, "min_samples: '%s' is not a whole number from 1 to %d", ms,
					MIN_SAMPLES_MAX);
	}
	if (ind && *ind) {
		if (strlen(ind) > 32)
			return kerr_set(e, KERR_INPUT, "industry: a code of at most 32 characters");
		p->industry = ind;
	}
	if (cell && *cell && km_value("cell_km", cell, CELL_KM_MIN, CELL_KM_MAX, &p->cell_km, e))
		return -1;
	return 0;
}

/* Gi* of the firms counted on a grid of cell_km: the cells whose z has
 * p < 0.05 are hot (z > 0) or cold spots. */
static int fpts_hotspots(struct fpts *p, struct kerr *e)
{
	struct spatial_getis_ord_opts o;
	size_t k;
	if (spatial_grid_counts(p->f.lat, p->f.lon, p->f.n, p->cell_km * 1000.0, CELLS_MAX, &p->grid, e)) {
		kerr_prefix(e, "cell_km");
		return -1;
	}
	if (p->grid.n < 2)
		return kerr_set(e, KERR_INPUT, "cell_km: the firms fit in one cell of %g km: choose smaller cells", p->cell_km);
	memset(&o, 0, sizeof(o));
	o.metric = SPATIAL_GEO;
	o.band = BAND_CELLS * p->cell_km * 1000.0;
	o.star = 1;
	if (spatial_getis_ord(p->grid.lat, p->grid.lon, p->grid.count, p->grid.n, &o, &p->go, e))
		return -1;
	for (k = 0; k < p->grid.n; k++)
		if (p->go.p[k] < 0.05) {
			p->nhot += p->go.z[k] > 0;
			p->ncold += p->go.z[k] < 0;
		}
	return 0;
}

/* Loads the firm list of the request, clusters it (want & FP_CLUSTERS) and,
 * with cell_km or FP_HOTSPOTS, finds the hot spots; -1 with e (KERR_INPUT
 * naming the field, KERR_NOTFOUND for an unknown list). */
static int fpts_load(struct req *r, struct fpts *p, int want, struct kerr *e)
{
	const char *ds = req_arg(r, "dataset");
	size_t i, k;

	memset(p, 0, sizeof(*p));
	p->f.strs = (struct buf)BUF_INIT;
	if (fpts_read_params(r, p, want, e))
		return -1;
	if (!ds || !*ds) {
		if (firms_list(r->db, first_list, &p->dsname, e))
			return -1;
		if (!p->dsname)
			return kerr_set(e, KERR_NOTFOUND, "%s", L(r, "Brak list firm: klaster import firms …",
								 "No firm lists yet: klaster import firms …"));
		ds = p->dsname;
	}
	if (strlen(ds) > 60)
		return kerr_set(e, KERR_INPUT, "dataset: too long");
	if (firms_load(r->db, ds, p->industry, &p->f, &p->info, e))
		return -1;
	if (p->industry && p->f.n == 0)
		return kerr_set(e, KERR_INPUT, "industry: no located firm of '%s' in the list %s", p->industry, p->info.name);
	if (!(want & FP_CLUSTERS))
		return p->cell_km > 0 ? fpts_hotspots(p, e) : 0;
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
	return p->cell_km > 0 ? fpts_hotspots(p, e) : 0;
}

/* The query string of the request's choice (for links), without '?'. */
static void fpts_query(const struct fpts *p, struct buf *q)
{
	buf_puts(q, "dataset=");
	esc_url(q, p->info.name);
	buf_printf(q, "&eps_km=%g&min_samples=%ld", p->eps_km, p->min_samples);
	if (p->industry) {
		buf_puts(q, "&industry=");
		esc_url(q, p->industry);
	}
	if (p->cell_km > 0)
		buf_printf(q, "&cell_km=%g", p->cell_km);
}

static void fpts_error(struct req *r, const struct kerr *e)
{
	int st = kerr_http_status(e->kind);
	if (st >= 500)
		req_error_kerr(r, e);
	else
		req_error(r, st, e->msg);
}

static int option_list(void *ctx, const struct firms_info *d)
{
	struct req *r = ((void **)ctx)[0];
	const char *cur = ((void **)ctx)[1];
	html_printf(&r->out, "<option value=\"%s\"%R>%s (%lld)</option>", d->name,
		    strcmp(d->name, cur) == 0 ? " selected" : "", d->title, d->nfirms);
	return 0;
}

static int option_industry(void *ctx, const char *code, long long n)
{
	struct req *r = ((void **)ctx)[0];
	const char *cur = ((void **)ctx)[1];
	html_printf(&r->out, "<option value=\"%s\"%R>%s (%lld)</option>", code,
		    cur && strcmp(code, cur) == 0 ? " selected" : "", code, n);
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

static void tabs(struct req *r, int points)
{
	html_printf(&r->out, "<p class=\"tabs\"><a href=\"/cluster-map\"%R>%s</a> · <a href=\"/cluster-map/points\"%R>%s</a></p>",
		    points ? "" : " aria-current=\"page\"", L(r, "Regiony i branże", "Regions and industries"),
		    points ? " aria-current=\"page\"" : "", L(r, "Firmy na mapie (DBSCAN)", "Firm points (DBSCAN)"));
}

void web_cluster_map_tabs(struct req *r)
{
	tabs(r, 0);
}

void h_firm_points(struct req *r)
{
	struct fpts p;
	struct kerr e = KERR_INIT;
	struct map_opts mo;
	struct buf q = BUF_INIT;
	double *pts = NULL;
	const char **titles = NULL;
	size_t i, k, *order = NULL, outside = 0, shown;
	void *ctx[2];
	char cellv[32] = "", epsv[32];
	double *cells = NULL;
	signed char *cls = NULL;

	if (fpts_load(r, &p, FP_CLUSTERS, &e)) {
		fpts_release(&p);
		fpts_error(r, &e);
		return;
	}
	fpts_query(&p, &q);
	/* the values as given, so submitting the form again changes nothing */
	snprintf(epsv, sizeof(epsv), "%g", p.eps_km);
	if (p.cell_km > 0)
		snprintf(cellv, sizeof(cellv), "%g", p.cell_km);
	page_begin(r, L(r, "Mapa klastrów: firmy", "Cluster map: firm points"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Mapa klastrów", "Cluster map"));
	tabs(r, 1);
	html_printf(&r->out, "<p class=\"lead\">%s</p>",
		    L(r, "Skupienia firm w przestrzeni (DBSCAN): firma jest rdzeniem skupienia, gdy w promieniu eps leży co "
			 "najmniej min_samples firm (wliczając ją samą); skupienie to rdzenie połączone łańcuchem odległości "
			 "≤ eps i firmy w ich zasięgu. Pozostałe firmy to szum. Odległości po kuli ziemskiej.",
		      "Spatial clusters of firms (DBSCAN): a firm is a core point when at least min_samples firms (itself "
			 "included) lie within eps of it; a cluster is core points linked by distances ≤ eps plus the firms "
			 "within their reach. Other firms are noise. Distances on the globe."));
	/* the choice */
	html_printf(&r->out, "<form class=\"filters\" action=\"/cluster-map/points\" method=\"get\"><div>"
		    "<label for=\"f-dataset\">%s</label><select id=\"f-dataset\" name=\"dataset\">",
		    L(r, "Lista firm", "Firm list"));
	ctx[0] = r;
	ctx[1] = p.info.name;
	firms_list(r->db, option_list, ctx, NULL);
	html_printf(&r->out, "</select></div><div><label for=\"f-industry\">%s</label><select id=\"f-industry\" name=\"industry\">"
		    "<option value=\"\">%s</option>", L(r, "Branża (kod)", "Industry (code)"), L(r, "wszystkie", "all"));
	ctx[1] = (void *)p.industry;
	firms_industries(r->db, p.info.name, option_industry, ctx, NULL);
	html_printf(&r->out, "</select></div><div><label for=\"f-eps\">%s</label>"
		    "<input id=\"f-eps\" name=\"eps_km\" type=\"number\" min=\"%.1f\" max=\"%.0f\" step=\"any\" value=\"%s\" required></div>"
		    "<div><label for=\"f-ms\">%s</label>"
		    "<input id=\"f-ms\" name=\"min_samples\" type=\"number\" min=\"1\" max=\"%d\" step=\"1\" value=\"%ld\" required></div>"
		    "<div><label for=\"f-cell\">%s</label>"
		    "<input id=\"f-cell\" name=\"cell_km\" type=\"number\" min=\"%.0f\" max=\"%.0f\" step=\"any\" value=\"%s\"></div>"
		    "<div class=\"f-go\"><button type=\"submit\">%s</button></div></form>",
		    L(r, "Promień eps (km)", "Radius eps (km)"), EPS_KM_MIN, EPS_KM_MAX, epsv,
		    L(r, "Najmniej firm w promieniu (min_samples)", "Fewest firms within it (min_samples)"),
		    MIN_SAMPLES_MAX, p.min_samples,
		    L(r, "Gorące punkty: oczko siatki w km (puste: bez)", "Hot spots: grid cell in km (empty: none)"),
		    CELL_KM_MIN, CELL_KM_MAX, cellv, L(r, "Pokaż", "Show"));

	html_printf(&r->out, "<p class=\"count summary\" data-firms=\"%lld\" data-clusters=\"%ld\" data-core=\"%lld\""
		    " data-noise=\"%lld\">%s <strong>%lld</strong> · %s <strong>%ld</strong> · %s %lld · %s %lld</p>",
		    (long long)p.f.n, p.d.nclusters, (long long)p.d.ncore, (long long)p.d.nnoise,
		    L(r, "Firmy:", "Firms:"), (long long)p.f.n, L(r, "skupienia:", "clusters:"), p.d.nclusters,
		    L(r, "w rdzeniach:", "core points:"), (long long)p.d.ncore, L(r, "szum:", "noise:"), (long long)p.d.nnoise);
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
	if (p.cell_km > 0)
		html_printf(&r->out, "<p class=\"hotspots\" data-cells=\"%lld\" data-hot=\"%lld\" data-cold=\"%lld\">%s %lld × %lld"
			    " %s %s km: %s <strong>%lld</strong>, %s <strong>%lld</strong> %s</p>",
			    (long long)p.grid.n, (long long)p.nhot, (long long)p.ncold,
			    L(r, "Gorące punkty (Getis–Ord Gi*, liczba firm w oczkach siatki", "Hot spots (Getis–Ord Gi*, firms counted in a grid of"),
			    (long long)p.grid.rows, (long long)p.grid.cols, L(r, "oczek po", "cells of"), cellv,
			    L(r, "gorących", "hot"), (long long)p.nhot, L(r, "zimnych", "cold"), (long long)p.ncold,
			    L(r, "przy p < 0,05; sąsiedzi: oczka w promieniu 1,5 oczka)", "at p < 0.05; neighbours: cells within 1.5 cells)"));
	memset(&mo, 0, sizeof(mo));
	if (p.cell_km > 0) {
		cells = xcalloc(st_mult(p.grid.n, 4) + 1, sizeof(*cells));
		cls = xcalloc(p.grid.n + 1, 1);
		for (i = 0; i < p.grid.n; i++) {
			cells[4 * i] = p.grid.lon[i] - p.grid.dlon / 2;
			cells[4 * i + 1] = p.grid.lat[i] - p.grid.dlat / 2;
			cells[4 * i + 2] = p.grid.lon[i] + p.grid.dlon / 2;
			cells[4 * i + 3] = p.grid.lat[i] + p.grid.dlat / 2;
			cls[i] = p.go.p[i] < 0.05 ? (p.go.z[i] > 0 ? 1 : p.go.z[i] < 0 ? -1 : 0) : 0;
		}
		mo.cells = cells;
		mo.cell_class = cls;
		mo.ncells = p.grid.n;
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
	if (p.info.source && *p.info.source)
		html_printf(&r->out, "<p class=\"muted\">%s</p>", p.info.source);
	html_printf(&r->out, "<p><a href=\"/cluster-map/points.csv?%s\" download>%s</a> · <a href=\"/api/v1/firm-clusters?%s\">JSON</a></p>",
		    q.ptr, L(r, "pobierz CSV (skupienie każdej firmy)", "download CSV (each firm's cluster)"), q.ptr);

	/* the clusters, largest first */
	order = clusters_by_size(&p);
	shown = (size_t)p.d.nclusters < TABLE_MAX ? (size_t)p.d.nclusters : TABLE_MAX;
	html_printf(&r->out, "</section><section><div class=\"table-wrap\"><table class=\"results clusters\"><caption>%s</caption>"
		    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		    L(r, "Skupienia od największego", "Clusters, largest first"), L(r, "Skupienie", "Cluster"),
		    L(r, "Firmy (rdzeń)", "Firms (core)"), L(r, "Środek", "Centre"), L(r, "Promień", "Radius"),
		    L(r, "Zasięg", "Extent"), L(r, "Firmy w skupieniu", "Members"));
	for (i = 0; i < shown; i++) {
		const struct spatial_cluster *c = &p.cl[order[i]];
		html_printf(&r->out, "<tr data-cluster=\"%lld\"><td><svg class=\"swatch\" width=\"12\" height=\"12\" aria-hidden=\"true\">"
			    "<circle cx=\"6\" cy=\"6\" r=\"5\" fill=\"%s\"/></svg> %lld</td><td class=\"num\">%lld (%lld)</td>"
			    "<td class=\"num\">%.4f, %.4f</td><td class=\"num\">%.1f km</td>"
			    "<td class=\"num\">%.2f–%.2f N, %.2f–%.2f E</td><td>",
			    (long long)order[i], draw_cluster_colour((long)order[i]), (long long)order[i], (long long)c->n,
			    (long long)c->ncore, c->lat, c->lon, c->radius_m / 1000.0, c->bbox[1], c->bbox[3], c->bbox[0],
			    c->bbox[2]);
		for (k = 0; k < NMEMBERS && p.members[order[i]][k] != (size_t)-1; k++) {
			size_t m = p.members[order[i]][k];
			const char *nm = spatial_firm_name(&p.f, m);
			html_printf(&r->out, "%s%s", k ? "; " : "", *nm ? nm : spatial_firm_id(&p.f, m));
		}
		if (c->n > k)
			html_printf(&r->out, " %s %lld %s", L(r, "i", "and"), (long long)(c->n - k), L(r, "innych", "more"));
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
	buf_release(&q);
	fpts_release(&p);
	page_end(r);
}

/* Each firm with its cluster: the table of `klaster map spatial -o FILE.csv`. */
void h_firm_points_csv(struct req *r)
{
	struct fpts p;
	struct kerr e = KERR_INIT;
	struct tablew *t;
	char tmp[128];
	size_t n = 0;
	FILE *f;

	if (fpts_load(r, &p, FP_CLUSTERS, &e)) {
		fpts_release(&p);
		fpts_error(r, &e);
		return;
	}
	while (spatial_dbscan_columns[n])
		n++;
	snprintf(tmp, sizeof(tmp), "/tmp/klaster-dl.%ld.%p.csv", (long)getpid(), (void *)r);
	if (tablew_open(&t, TABLEW_CSV, tmp, "firms", spatial_dbscan_columns, n, &e) ||
	    spatial_write_dbscan(&p.f, &p.d, t, &e) || tablew_close(t, &e)) {
		fpts_release(&p);
		req_error_kerr(r, &e);
		return;
	}
	f = fopen(tmp, "rb");
	if (f) {
		char chunk[16384];
		size_t got;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&r->out, chunk, got);
		fclose(f);
	}
	remove(tmp);
	r->ctype = "text/csv; charset=utf-8";
	{
		struct buf cd = BUF_INIT;
		buf_printf(&cd, "attachment; filename=\"%s-dbscan.csv\"", p.info.name);
		req_header_add(r, "Content-Disposition", cd.ptr);
		buf_release(&cd);
	}
	fpts_release(&p);
}

static int json_list(void *ctx, const struct firms_info *d)
{
	struct req *r = ((void **)ctx)[0];
	int *n = ((void **)ctx)[1];
	buf_puts(&r->out, (*n)++ ? ",{\"name\":" : "{\"name\":");
	esc_json(&r->out, d->name);
	buf_puts(&r->out, ",\"title\":");
	esc_json(&r->out, d->title);
	buf_puts(&r->out, ",\"source\":");
	esc_json(&r->out, d->source);
	buf_printf(&r->out, ",\"firms\":%lld,\"skipped\":%lld}", d->nfirms, d->skipped);
	return 0;
}

void h_api_firm_datasets(struct req *r)
{
	struct kerr e = KERR_INIT;
	int n = 0;
	void *ctx[2] = { r, &n };
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"items\":[");
	if (firms_list(r->db, json_list, ctx, &e)) {
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
		buf_puts(&r->out, "]}");
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

/* Gi* hot spots of a firm list counted on a grid (cell_km, default 20):
 * the grid and every cell that holds firms or is a hot or cold spot. */
void h_api_firm_hotspots(struct req *r)
{
	struct fpts p;
	struct kerr e = KERR_INIT;
	size_t k;
	int first = 1;

	if (fpts_load(r, &p, FP_HOTSPOTS, &e)) {
		fpts_release(&p);
		fpts_error(r, &e);
		return;
	}
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"dataset\":");
	esc_json(&r->out, p.info.name);
	buf_puts(&r->out, ",\"industry\":");
	if (p.industry)
		esc_json(&r->out, p.industry);
	else
		buf_puts(&r->out, "null");
	buf_printf(&r->out, ",\"firms\":%zu,\"cell_km\":%.10g,\"band_km\":%.10g,\"rows\":%zu,\"cols\":%zu,"
		   "\"lat0\":%.17g,\"lon0\":%.17g,\"dlat\":%.17g,\"dlon\":%.17g,\"hot\":%zu,\"cold\":%zu,\"items\":[",
		   p.f.n, p.cell_km, BAND_CELLS * p.cell_km, p.grid.rows, p.grid.cols, p.grid.lat0, p.grid.lon0,
		   p.grid.dlat, p.grid.dlon, p.nhot, p.ncold);
	for (k = 0; k < p.grid.n; k++) {
		if (!(p.grid.count[k] > 0) && !(p.go.p[k] < 0.05))
			continue;
		buf_printf(&r->out, "%s{\"row\":%zu,\"col\":%zu,\"lat\":%.6f,\"lon\":%.6f,\"count\":%.0f,\"gi\":%.10g",
			   first ? "" : ",", k / p.grid.cols, k % p.grid.cols, p.grid.lat[k], p.grid.lon[k], p.grid.count[k],
			   p.go.g[k]);
		if (isnan(p.go.z[k]))
			buf_puts(&r->out, ",\"z\":null,\"p\":null}");
		else
			buf_printf(&r->out, ",\"z\":%.10g,\"p\":%.10g}", p.go.z[k], p.go.p[k]);
		first = 0;
	}
	buf_puts(&r->out, "]}\n");
	fpts_release(&p);
}
