/* web_map.c — the portal's cluster map ("Mapa klastrów / Cluster map"):
 * stored datasets (dataset.h) with their indicators (indic.h) as a map of
 * the voivodeships, a ranked table, CSV/XLSX downloads and the API. */
#include "web.h"

#include <math.h>

#include "dataset.h"
#include "esc.h"
#include "indic.h"
#include "mapping.h"
#include "tablew.h"

static const struct {
	const char *key, *pl, *en;
} indicators[] = {
	{ "lq", "iloraz lokalizacji (LQ)", "location quotient (LQ)" },
	{ "employment", "zatrudnienie", "employment" },
	{ "share_of_region", "udział w zatrudnieniu regionu", "share of the region's employment" },
	{ "share_of_industry", "udział w zatrudnieniu branży", "share of the industry's employment" },
	{ "stars", "gwiazdki ECO (0–3)", "ECO stars (0–3)" },
};
#define NIND (sizeof(indicators) / sizeof(indicators[0]))

/* Everything a cluster-map request needs, loaded and computed. */
struct cmap {
	struct dataset_info info;
	struct cube cube;
	struct indic_result res;
	size_t ind, year;
	const char *indicator;
};

static void cmap_release(struct cmap *m)
{
	dataset_info_release(&m->info);
	indic_result_release(&m->res);
	cube_release(&m->cube);
}

static int first_dataset(void *ctx, const struct dataset_info *d)
{
	char **name = ctx;
	*name = xstrdup(d->name);
	return 1;
}

/* Reads dataset, industry, indicator and year from the query string and
 * computes the indicators; -1 with e (KERR_INPUT/NOTFOUND for the user). */
static int cmap_load(struct req *r, struct cmap *m, char **dsname, struct kerr *e)
{
	const char *ds = req_arg(r, "dataset"), *ind = req_arg(r, "industry"), *year = req_arg(r, "year");
	const char *indicator = req_arg(r, "indicator");
	size_t k;
	memset(m, 0, sizeof(*m));
	*dsname = NULL;
	if (!ds || !*ds) {
		if (dataset_list(r->db, first_dataset, dsname, e))
			return -1;
		if (!*dsname)
			return kerr_set(e, KERR_NOTFOUND, "%s", L(r, "Brak zbiorów danych: klaster import stats …",
								 "No datasets yet: klaster import stats …"));
		ds = *dsname;
	}
	if (strlen(ds) > 60)
		return kerr_set(e, KERR_INPUT, "dataset: too long");
	m->indicator = "lq";
	if (indicator && *indicator) {
		for (k = 0; k < NIND; k++)
			if (strcmp(indicators[k].key, indicator) == 0)
				m->indicator = indicators[k].key;
		if (strcmp(m->indicator, indicator) != 0)
			return kerr_set(e, KERR_INPUT, "indicator: '%s' is not one of lq, employment, share_of_region,"
					" share_of_industry, stars", indicator);
	}
	if (dataset_load(r->db, ds, &m->cube, &m->info, e))
		return -1;
	if (indic_compute(&m->cube, NULL, &m->res, e))
		return -1;
	m->year = m->cube.nyear - 1;
	if (year && *year) {
		char *end;
		long y = strtol(year, &end, 10);
		if (*end || (m->year = cube_year(&m->cube, (int)y)) == (size_t)-1)
			return kerr_set(e, KERR_INPUT, "year: no data for '%s'", year);
	}
	m->ind = 0;
	if (ind && *ind && (m->ind = cube_industry(&m->cube, ind)) == (size_t)-1)
		return kerr_set(e, KERR_INPUT, "industry: '%s' is not in dataset %s", ind, m->info.name);
	if (!ind || !*ind) {
		/* by default the industry with the highest LQ anywhere: a map worth looking at */
		double best = -1;
		size_t rr, ii;
		for (rr = 0; rr < m->cube.nreg; rr++)
			for (ii = 0; ii < m->cube.nind; ii++) {
				double v = m->res.lq[cube_at(&m->cube, m->year, rr, ii)];
				if (!isnan(v) && v > best && m->cube.emp[cube_at(&m->cube, m->year, rr, ii)] >= 100) {
					best = v;
					m->ind = ii;
				}
			}
	}
	return 0;
}

static double value_of(const struct cmap *m, size_t r)
{
	size_t k = cube_at(&m->cube, m->year, r, m->ind);
	if (strcmp(m->indicator, "lq") == 0)
		return m->res.lq[k];
	if (strcmp(m->indicator, "employment") == 0)
		return m->cube.emp[k];
	if (strcmp(m->indicator, "share_of_region") == 0)
		return m->res.share_reg[k];
	if (strcmp(m->indicator, "share_of_industry") == 0)
		return m->res.share_ind[k];
	return isnan(m->cube.emp[k]) ? NAN : (double)m->res.stars[k];
}

/* Where the regions of a dataset are drawn: the layer, chosen from the
 * dataset's region kind and its codes, and each region's features (a
 * NUTS-2013 code of mazowieckie, PL12, is two NUTS 2021 regions). */
struct cmap_geo {
	const struct map_layer *layer;   /* NULL: the voivodeships */
	const struct geo_layer *g;
	const char *kind;                /* "voivodeships", "powiats", "nuts2" */
	long (*feat)[2];                 /* per dataset region: features, -1 for none */
	size_t nunmatched;
};

static void cmap_geo_release(struct cmap_geo *cg)
{
	free(cg->feat);
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

/* The voivodeships' NUTS codes, from the region table. */
struct voiv_nuts {
	char teryt[4], nuts2[24], nuts2013[8];
};

static size_t load_voiv_nuts(struct req *r, struct voiv_nuts v[20])
{
	struct db_stmt *st;
	size_t n = 0;
	if (db_prepare(r->db, "SELECT teryt, nuts2, nuts2_2013 FROM region WHERE level = 'voivodeship'"
		       " AND nuts2_2013 IS NOT NULL ORDER BY teryt", &st, NULL))
		return 0;
	while (n < 20 && db_step(st, NULL) == 1) {
		const char *a = db_col_text(st, 0), *b = db_col_text(st, 1), *c = db_col_text(st, 2);
		snprintf(v[n].teryt, sizeof(v[n].teryt), "%s", a ? a : "");
		snprintf(v[n].nuts2, sizeof(v[n].nuts2), "%s", b ? b : "");
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

/* Chooses the layer and matches the regions:
 *   teryt (and other): 2-digit codes on the voivodeships, 4-digit codes on
 *     the powiats (whichever codes are more common);
 *   nuts2013: the voivodeships when every region is a Polish NUTS-2 region
 *     of 2013, else the NUTS-2 regions of Europe (NUTS 2021 codes; Polish
 *     codes of 2013 found through the voivodeships' NUTS-2 codes). */
static void cmap_geo_match(struct req *r, const struct cmap *m, struct cmap_geo *cg)
{
	struct app *app = r->app;
	struct voiv_nuts vn[20];
	size_t nvn = 0, i, n4 = 0;
	int nuts = strcmp(m->info.region_kind, "nuts2013") == 0;

	memset(cg, 0, sizeof(*cg));
	cg->feat = xcalloc(m->cube.nreg + 1, sizeof(*cg->feat));
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
	for (i = 0; i < m->cube.nreg; i++) {
		const char *code = m->cube.reg[i];
		const struct voiv_nuts *v = nuts ? voiv_by_nuts2013(vn, nvn, code) : NULL;
		long *f = cg->feat[i];
		f[0] = f[1] = -1;
		if (!nuts) {
			f[0] = find_feature(cg->g, code);
		} else if (!cg->layer) {
			f[0] = v ? find_feature(cg->g, v->teryt) : -1;
		} else if ((f[0] = find_feature(cg->g, code)) < 0 && v) {
			/* a Polish code of 2013: the voivodeship's NUTS 2021 code(s), "PL91+PL92" */
			char a[24], *plus;
			snprintf(a, sizeof(a), "%s", v->nuts2);
			if ((plus = strchr(a, '+'))) {
				*plus = '\0';
				f[1] = find_feature(cg->g, plus + 1);
			}
			f[0] = find_feature(cg->g, a);
			if (f[0] < 0) {
				f[0] = f[1];
				f[1] = -1;
			}
		}
		if (f[0] >= 0 && cg->layer && !cg->layer->paths[f[0]] && (f[1] < 0 || !cg->layer->paths[f[1]]))
			f[0] = f[1] = -1;   /* outside the frame (the outermost regions): not on the map */
		if (f[0] < 0)
			cg->nunmatched++;
	}
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
};

static int rank_cmp(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	if (isnan(x->v) != isnan(y->v))
		return isnan(x->v) ? 1 : -1;
	return x->v < y->v ? 1 : x->v > y->v ? -1 : (x->r > y->r) - (x->r < y->r);
}

void h_cluster_map(struct req *r)
{
	struct cmap m;
	struct kerr e = KERR_INIT;
	char *dsname = NULL;
	double *vals;
	struct rank *rk;
	size_t i, k;
	struct map_opts mo;
	const char *ind_name;
	void *ctx[2];
	struct cmap_geo cg;

	if (cmap_load(r, &m, &dsname, &e)) {
		free(dsname);
		cmap_release(&m);
		req_error(r, kerr_http_status(e.kind) == 500 ? 500 : kerr_http_status(e.kind), e.msg);
		return;
	}
	ind_name = m.cube.ind_name && m.cube.ind_name[m.ind] ? m.cube.ind_name[m.ind] : "";
	page_begin(r, L(r, "Mapa klastrów", "Cluster map"));
	html_printf(&r->out, "<h1>%s</h1>", L(r, "Mapa klastrów", "Cluster map"));
	web_cluster_map_tabs(r);
	html_printf(&r->out, "<p class=\"lead\">%s</p>",
		    L(r, "Specjalizacja regionów według branż: iloraz lokalizacji, gwiazdki European Cluster "
			 "Observatory i reguła silnego klastra U.S. Cluster Mapping Project.",
		      "Regional specialisation by industry: location quotients, European Cluster Observatory "
			 "stars and the U.S. Cluster Mapping Project strong-cluster rule."));
	/* the choice: dataset, industry, indicator */
	html_printf(&r->out, "<form class=\"filters\" action=\"/cluster-map\" method=\"get\"><div>"
		    "<label for=\"f-dataset\">%s</label><select id=\"f-dataset\" name=\"dataset\">",
		    L(r, "Zbiór danych", "Dataset"));
	ctx[0] = r;
	ctx[1] = m.info.name;
	dataset_list(r->db, option_ds, ctx, NULL);
	html_printf(&r->out, "</select></div><div><label for=\"f-industry\">%s</label><select id=\"f-industry\" name=\"industry\">",
		    L(r, "Branża", "Industry"));
	for (i = 0; i < m.cube.nind; i++) {
		const char *nm = m.cube.ind_name && m.cube.ind_name[i] ? m.cube.ind_name[i] : "";
		html_printf(&r->out, "<option value=\"%s\"%R>%s%R%s</option>", m.cube.ind[i], i == m.ind ? " selected" : "",
			    m.cube.ind[i], *nm ? " — " : "", nm);
	}
	html_printf(&r->out, "</select></div><div><label for=\"f-indicator\">%s</label><select id=\"f-indicator\" name=\"indicator\">",
		    L(r, "Wskaźnik", "Indicator"));
	for (k = 0; k < NIND; k++)
		html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", indicators[k].key,
			    strcmp(indicators[k].key, m.indicator) == 0 ? " selected" : "", L(r, indicators[k].pl, indicators[k].en));
	html_printf(&r->out, "</select></div><div class=\"f-go\"><button type=\"submit\">%s</button></div></form>",
		    L(r, "Pokaż", "Show"));

	cmap_geo_match(r, &m, &cg);
	vals = xcalloc(cg.g->n + 1, sizeof(*vals));
	for (i = 0; i < cg.g->n; i++)
		vals[i] = NAN;
	for (i = 0; i < m.cube.nreg; i++)
		for (k = 0; k < 2; k++)
			if (cg.feat[i][k] >= 0)
				vals[cg.feat[i][k]] = value_of(&m, i);
	for (k = 0; k < NIND && strcmp(indicators[k].key, m.indicator); k++)
		;
	html_printf(&r->out, "<h2>%s — %s%R%s (%d)</h2>", L(r, indicators[k].pl, indicators[k].en),
		    m.cube.ind[m.ind], *ind_name ? " " : "", ind_name, m.cube.year[m.year]);
	buf_puts(&r->out, "<div class=\"two\"><section>");
	memset(&mo, 0, sizeof(mo));
	mo.dvalues = vals;
	mo.layer = cg.layer;
	mo.legend_title = strcmp(cg.kind, "powiats") == 0 ? L(r, "Wartość wskaźnika w powiatach", "Indicator by powiat")
			  : strcmp(cg.kind, "nuts2") == 0 ? L(r, "Wartość wskaźnika w regionach NUTS-2 Europy",
							       "Indicator by NUTS-2 region of Europe")
							: L(r, "Wartość wskaźnika w województwach", "Indicator by voivodeship");
	map_svg(r, &r->out, &mo);
	map_attribution(r, &r->out, cg.layer);
	if (cg.nunmatched) {
		/* say which regions the map leaves out, and why */
		size_t shown = 0;
		html_printf(&r->out, "<p class=\"muted unmapped\">%s (%lld): ",
			    strcmp(cg.kind, "nuts2") == 0
				    ? L(r, "Regiony bez granic na mapie (kody NUTS zmienione od 2013 r., regiony pozaeuropejskie"
					   " lub eksterytorialne)", "Regions not on the map (NUTS codes changed since 2013,"
					   " outermost or extra-regio regions)")
				    : L(r, "Regiony bez granic na mapie", "Regions not on the map"), (long long)cg.nunmatched);
		for (i = 0; i < m.cube.nreg && shown < 40; i++)
			if (cg.feat[i][0] < 0)
				html_printf(&r->out, "%s%s", shown++ ? ", " : "", m.cube.reg[i]);
		buf_puts(&r->out, shown < cg.nunmatched ? ", …</p>" : "</p>");
	}
	if (m.info.source && *m.info.source)
		html_printf(&r->out, "<p class=\"muted\">%s</p>", m.info.source);
	{
		struct buf dl = BUF_INIT;
		buf_puts(&dl, "/cluster-map.csv?dataset=");
		esc_url(&dl, m.info.name);
		html_printf(&r->out, "<p><a href=\"%s\" download>%s</a> · ", dl.ptr, L(r, "pobierz CSV (wszystkie wskaźniki)", "download CSV (all indicators)"));
		buf_puts(&dl, "&format=xlsx");
		html_printf(&r->out, "<a href=\"%s\" download>XLSX</a></p>", dl.ptr);
		buf_release(&dl);
	}
	/* the ranked table */
	html_printf(&r->out, "</section><section><div class=\"table-wrap\"><table class=\"results\"><caption>%s</caption>"
		    "<thead><tr><th scope=\"col\">#</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">LQ</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		    L(r, "Regiony od najwyższej wartości", "Regions, highest first"), L(r, "Region", "Region"),
		    L(r, "Zatrudnienie", "Employment"), L(r, "Gwiazdki", "Stars"), L(r, "Silny klaster", "Strong cluster"));
	rk = xcalloc(m.cube.nreg + 1, sizeof(*rk));
	for (i = 0; i < m.cube.nreg; i++) {
		rk[i].r = i;
		rk[i].v = value_of(&m, i);
	}
	qsort(rk, m.cube.nreg, sizeof(*rk), rank_cmp);
	for (i = 0; i < m.cube.nreg; i++) {
		size_t rr = rk[i].r, c = cube_at(&m.cube, m.year, rr, m.ind);
		const char *rn = m.cube.reg_name && m.cube.reg_name[rr] && *m.cube.reg_name[rr] ? m.cube.reg_name[rr]
												 : m.cube.reg[rr];
		long feat = cg.feat[rr][0];
		if (rn == m.cube.reg[rr] && feat >= 0 && cg.g->f[feat].name && cg.feat[rr][1] < 0)
			rn = cg.g->f[feat].name;   /* codes shown by the region's name on the map */
		char emp[32] = "–", lq[32] = "–", stars[16] = "", strong[16] = "";   /* stars: 3 × 3 UTF-8 bytes + NUL */
		if (!isnan(m.cube.emp[c]))
			snprintf(emp, sizeof(emp), "%.0f", m.cube.emp[c]);
		if (!isnan(m.res.lq[c]))
			snprintf(lq, sizeof(lq), "%.2f", m.res.lq[c]);
		for (k = 0; k < m.res.stars[c] && k < 3; k++)
			memcpy(stars + 3 * k, "\xe2\x98\x85", 3), stars[3 * k + 3] = '\0';
		if (m.res.strong[c])
			snprintf(strong, sizeof(strong), "%s", L(r, "tak", "yes"));
		html_printf(&r->out, "<tr><td class=\"num\">%d</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			    "<td>%s</td><td>%s</td></tr>", (int)i + 1, rn, emp, lq, stars, strong);
	}
	buf_puts(&r->out, "</tbody></table></div></section></div>");
	free(rk);
	free(vals);
	free(dsname);
	cmap_geo_release(&cg);
	cmap_release(&m);
	page_end(r);
}

/* All indicators of a dataset as CSV or XLSX (the table of `klaster map indicators`). */
void h_cluster_map_csv(struct req *r)
{
	struct cmap m;
	struct kerr e = KERR_INIT;
	char *dsname = NULL, tmp[128];
	const char *fmt = req_arg(r, "format");
	int xlsx = fmt && strcmp(fmt, "xlsx") == 0;
	struct tablew *t;
	size_t n = 0;
	FILE *f;

	if (fmt && *fmt && strcmp(fmt, "csv") && !xlsx) {
		req_error(r, 400, "format must be csv or xlsx");
		return;
	}
	if (cmap_load(r, &m, &dsname, &e)) {
		free(dsname);
		cmap_release(&m);
		req_error(r, kerr_http_status(e.kind), e.msg);
		return;
	}
	while (mapping_indicator_columns[n])
		n++;
	snprintf(tmp, sizeof(tmp), "/tmp/klaster-dl.%ld.%p.%s", (long)getpid(), (void *)r, xlsx ? "xlsx" : "csv");
	if (tablew_open(&t, xlsx ? TABLEW_XLSX : TABLEW_CSV, tmp, "indicators", mapping_indicator_columns, n, &e) ||
	    mapping_write_indicators(&m.cube, &m.res, -1, t, &e) || tablew_close(t, &e)) {
		free(dsname);
		cmap_release(&m);
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
	r->ctype = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";
	{
		struct buf cd = BUF_INIT;
		buf_printf(&cd, "attachment; filename=\"%s.%s\"", m.info.name, xlsx ? "xlsx" : "csv");
		req_header_add(r, "Content-Disposition", cd.ptr);
		buf_release(&cd);
	}
	free(dsname);
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
	buf_puts(&r->out, ",\"source\":");
	esc_json(&r->out, d->source);
	buf_puts(&r->out, ",\"region_kind\":");
	esc_json(&r->out, d->region_kind);
	buf_puts(&r->out, "}");
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

static void jnum(struct buf *b, const char *key, double v)
{
	buf_printf(b, ",\"%s\":", key);
	if (isnan(v))
		buf_puts(b, "null");
	else
		buf_printf(b, "%.10g", v);
}

/* One industry and year of a dataset: every region's indicators. */
void h_api_cluster_map(struct req *r)
{
	struct cmap m;
	struct kerr e = KERR_INIT;
	char *dsname = NULL;
	size_t i;
	struct cmap_geo cg;
	if (cmap_load(r, &m, &dsname, &e)) {
		free(dsname);
		cmap_release(&m);
		req_error(r, kerr_http_status(e.kind), e.msg);
		return;
	}
	cmap_geo_match(r, &m, &cg);
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"dataset\":");
	esc_json(&r->out, m.info.name);
	buf_puts(&r->out, ",\"industry\":");
	esc_json(&r->out, m.cube.ind[m.ind]);
	buf_printf(&r->out, ",\"year\":%d,\"layer\":\"%s\",\"regions\":[", m.cube.year[m.year], cg.kind);
	for (i = 0; i < m.cube.nreg; i++) {
		size_t c = cube_at(&m.cube, m.year, i, m.ind);
		buf_puts(&r->out, i ? ",{\"region\":" : "{\"region\":");
		esc_json(&r->out, m.cube.reg[i]);
		buf_puts(&r->out, ",\"name\":");
		esc_json(&r->out, m.cube.reg_name && m.cube.reg_name[i] ? m.cube.reg_name[i] : NULL);
		jnum(&r->out, "employment", m.cube.emp[c]);
		jnum(&r->out, "lq", m.res.lq[c]);
		jnum(&r->out, "share_of_region", m.res.share_reg[c]);
		jnum(&r->out, "share_of_industry", m.res.share_ind[c]);
		buf_printf(&r->out, ",\"stars\":%d,\"strong\":%s,\"strong10\":%s,\"on_map\":%s}", m.res.stars[c],
			   m.res.strong[c] ? "true" : "false", m.res.strong10[c] ? "true" : "false",
			   cg.feat[i][0] >= 0 ? "true" : "false");
	}
	buf_puts(&r->out, "]}\n");
	free(dsname);
	cmap_geo_release(&cg);
	cmap_release(&m);
}
