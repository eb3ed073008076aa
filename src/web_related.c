/* web_related.c — the cluster map's related industries ("Pokrewieństwo branż / Related
 * industries"): `klaster map relatedness` (related.h) of a stored dataset and year as a page
 * (the groups of related industries, and for one industry its most related industries and the
 * regions by their relatedness density to it beside their LQ), as the command line's three
 * tables to download (CSV, XLSX: the same writers, mapping.h) and in the API. */
#include "web.h"
#include "web_cmap.h"

#include <math.h>

#include "esc.h"
#include "related.h"
#include "tablew.h"

static void h_cluster_related(struct req *r);
static void h_cluster_related_csv(struct req *r);
static void h_api_cluster_related(struct req *r);

const struct route related_routes[] = {
	{ "GET", "/cluster-map/related", h_cluster_related, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/cluster-map/related.csv", h_cluster_related_csv, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/cluster-map/relatedness", h_api_cluster_related, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ NULL, NULL, NULL, 0 }
};

/* How many related industries the page lists by each measure. */
#define TOP_RELATED 20

/* The three tables of `klaster map relatedness --base`, each with its columns and the sheet
 * name the command line gives it. */
static const struct {
	const char *base, *sheet;
	const char *const *cols;
	int (*write)(const struct cube *c, const struct related *rel, size_t only, struct tablew *t, struct kerr *e);
	const char *pl, *en;
} tables[] = {
	{ "pairs", "relatedness", mapping_pair_columns, mapping_write_pairs, "Pary branż: współlokalizacja i bliskość",
	  "Industry pairs: co-location and proximity" },
	{ "density", "density", mapping_density_columns, mapping_write_density,
	  "Gęstość pokrewieństwa regionów do branż (0–100)", "Relatedness density of regions to industries (0–100)" },
	{ "groups", "groups", mapping_group_columns, mapping_write_groups, "Grupy pokrewnych branż",
	  "Groups of related industries" },
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* A request's dataset and year (cmap_load, as a region profile reads them: no indicator, LQ
 * base or comparison), its relatedness and the choices of the request. */
struct crel {
	struct cmap m;
	char *dsname;
	struct related rel;
	int have_rel;
	size_t ind;     /* industry=, or (size_t)-1 */
	size_t table;   /* base=: a row of tables[] (pairs when not given, as on the command line) */
};

static void crel_release(struct crel *c)
{
	if (c->have_rel)
		related_release(&c->rel);
	free(c->dsname);
	cmap_release(&c->m);
}

/* base=: one of tables[] (pairs when empty or absent); -1 with a message naming base. */
static int crel_base(struct req *r, struct crel *c, struct kerr *e)
{
	const char *base = req_arg(r, "base");
	char c40[41];
	size_t k;
	c->table = 0;
	if (!base || !*base)
		return 0;
	for (k = 0; k < NTABLES; k++)
		if (strcmp(base, tables[k].base) == 0) {
			c->table = k;
			return 0;
		}
	return kerr_set(e, KERR_INPUT, L_msg(r, "base: „%s” to żadna z tabel: pairs, density, groups",
					     "base: '%s' is not one of pairs, density, groups"), esc_cut(c40, base, 40));
}

/* industry=: an industry of the dataset ((size_t)-1 when empty or absent); -1 with a message
 * naming industry. */
static int crel_industry(struct req *r, struct crel *c, struct kerr *e)
{
	const char *ind = cmap_arg(r, "industry");
	char i40[41];
	c->ind = (size_t)-1;
	if (!ind || !*ind)
		return 0;
	if ((c->ind = cube_industry(&c->m.cube, ind)) != (size_t)-1)
		return 0;
	return kerr_set(e, KERR_INPUT, L_msg(r, "industry: „%s” nie występuje w zbiorze %s",
					     "industry: '%s' is not in dataset %s"), esc_cut(i40, ind, 40),
			c->m.info.name);
}

/* The dataset, year, base and industry of a download or the API (every problem an error: 404
 * for a dataset that is not there, 400 naming the parameter) and their relatedness. */
static int crel_load(struct req *r, struct crel *c, struct kerr *e)
{
	static const char *const params[] = { "dataset", "year", "base", "industry", "format", NULL };
	memset(c, 0, sizeof(*c));
	if (web_args_text(r, params, e) || crel_base(r, c, e) ||
	    cmap_load(r, &c->m, &c->dsname, CMAP_PROFILE | CMAP_NO_BASE | CMAP_NO_FROM, e) || crel_industry(r, c, e))
		return -1;
	if (cmap_related(&c->m, &c->rel, e))
		return -1;
	c->have_rel = 1;
	{
		/* the regions the data leaves unnamed named as the page names them (the density table) */
		struct cmap_geo cg;
		memset(&cg, 0, sizeof(cg));
		cmap_geo_match(r, &c->m, &cg);
		cmap_name_regions(&c->m, &cg);
		cmap_geo_release(&cg);
	}
	return 0;
}

/* The address of table k of the shown dataset and year (the page's language when it was asked
 * for in the address): appended to u, URL-escaped. */
static void crel_download_url(struct buf *u, const struct crel *c, size_t k)
{
	buf_puts(u, "/cluster-map/related.csv?dataset=");
	esc_url(u, c->m.info.name);
	if (c->m.cube.year[c->m.year])
		buf_printf(u, "&year=%d", c->m.cube.year[c->m.year]);
	buf_printf(u, "&base=%s", tables[k].base);
	if (c->m.lang[0])
		buf_printf(u, "&lang=%s", c->m.lang);
}

/* The three tables of `klaster map relatedness --base pairs|density|groups` of the dataset and
 * year (base=, pairs by default; format=csv or xlsx), each named
 * DATASET-relatedness|density|groups[-YEAR].csv (.xlsx), the workbook with the sheet "source"
 * after the table. */
static void h_cluster_related_csv(struct req *r)
{
	struct crel c;
	struct kerr e = KERR_INIT;
	struct web_table wt;
	const char *fmt = req_arg(r, "format");
	int xlsx = fmt && strcmp(fmt, "xlsx") == 0;
	char name[160], ysuf[16] = "";

	static const char *const own[] = { "format", NULL };
	char c40[41];

	if (web_args_text(r, own, &e) == 0 && fmt && *fmt && !xlsx && strcmp(fmt, "csv") != 0)
		kerr_set(&e, KERR_INPUT, L_msg(r, "format: „%s” to żaden z: csv, xlsx", "format: '%s' is not one of csv, xlsx"),
			 esc_cut(c40, fmt, 40));
	if (e.kind != KERR_NONE) {
		req_error_kerr(r, &e);
		return;
	}
	if (crel_load(r, &c, &e))
		goto fail;
	if (c.m.cube.year[c.m.year])
		snprintf(ysuf, sizeof(ysuf), "-%d", c.m.cube.year[c.m.year]);
	snprintf(name, sizeof(name), "%s-%s%s.%s", c.m.info.name, tables[c.table].sheet, ysuf, xlsx ? "xlsx" : "csv");
	if (web_table_open(r, &wt, xlsx ? TABLEW_XLSX : TABLEW_CSV, tables[c.table].sheet, tables[c.table].cols, &e))
		goto fail;
	if (tables[c.table].write(&c.m.cube, &c.rel, (size_t)-1, wt.t, &e)) {
		tablew_abort(wt.t);
		goto fail;
	}
	if (xlsx) {
		struct buf base = BUF_INIT;
		buf_printf(&base, "%s: %s", L(r, tables[c.table].pl, tables[c.table].en),
			   c.m.info.has_ref ? L(r, "LQ (RCA) względem gospodarki odniesienia zbioru",
						"LQs (RCA) against the dataset's reference economy")
					    : L(r, "LQ (RCA) względem sumy regionów zbioru",
						"LQs (RCA) against the sum of the dataset's regions"));
		cmap_xlsx_notes(r, &c.m, wt.t, base.ptr);
		buf_release(&base);
	}
	if (web_table_send(r, &wt, name, &e))
		goto fail;
	crel_release(&c);
	return;
fail:
	req_error_kerr(r, &e);
	crel_release(&c);
}

/* The relatedness of a dataset's year as JSON: the dataset, the year, the groups' summary and
 * rows, the rows of `klaster map relatedness --base B -o OUT.json` (with industry=, its rows
 * alone: mapping.h). */
static void h_api_cluster_related(struct req *r)
{
	struct crel c;
	struct kerr e = KERR_INIT;
	struct web_table wt;
	struct buf rows = BUF_INIT;

	if (crel_load(r, &c, &e) ||
	    web_table_open(r, &wt, TABLEW_JSON, tables[c.table].sheet, tables[c.table].cols, &e))
		goto fail;
	if (tables[c.table].write(&c.m.cube, &c.rel, c.ind, wt.t, &e)) {
		tablew_abort(wt.t);
		goto fail;
	}
	if (web_table_read(&wt, &rows, &e))
		goto fail;
	while (rows.len && (rows.ptr[rows.len - 1] == '\n' || rows.ptr[rows.len - 1] == ' '))
		rows.ptr[--rows.len] = '\0';
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"dataset\":");
	esc_json(&r->out, c.m.info.name);
	buf_puts(&r->out, ",\"title\":");
	esc_json(&r->out, c.m.info.title);
	dataset_json_source(&r->out, c.m.info.source, c.m.info.licence);
	if (c.m.cube.year[c.m.year])
		buf_printf(&r->out, ",\"year\":%d", c.m.cube.year[c.m.year]);
	else
		buf_puts(&r->out, ",\"year\":null");   /* a dataset without years */
	buf_printf(&r->out, ",\"base\":\"%s\",\"reference\":%s", tables[c.table].base, c.m.info.has_ref ? "true" : "false");
	if (c.ind != (size_t)-1) {
		buf_puts(&r->out, ",\"industry\":");
		esc_json(&r->out, c.m.cube.ind[c.ind]);
		cmap_json_ind_names(&r->out, &c.m.cube, c.ind);
	}
	buf_printf(&r->out, ",\"groups\":%d", c.rel.ngroups);
	cmap_json_num(&r->out, "group_score", c.rel.group_score);
	cmap_json_num(&r->out, "modularity", c.rel.modularity);
	buf_printf(&r->out, ",\"ungrouped\":%lld,\"unknown_cells\":%lld", (long long)c.rel.ungrouped,
		   (long long)c.rel.unknown);
	if (*c.m.notice) {
		buf_puts(&r->out, ",\"notice\":");
		esc_json(&r->out, c.m.notice);
	}
	buf_puts(&r->out, ",\"rows\":");
	buf_add(&r->out, rows.ptr, rows.len);
	buf_puts(&r->out, "}\n");
	goto out;
fail:
	req_error_kerr(r, &e);
out:
	buf_release(&rows);
	crel_release(&c);
}

/* ---- the page ---- */

/* Industry i's employment in year y of c: the sum of its known cells in the regions of the year. */
static double ind_employment(const struct cube *c, size_t y, size_t i)
{
	double s = 0;
	size_t rr;
	for (rr = 0; rr < c->nreg; rr++)
		if (!cube_absent(c, y, rr) && !isnan(c->emp[cube_at(c, y, rr, i)]))
			s += c->emp[cube_at(c, y, rr, i)];
	return s;
}

/* The cells of industry i: its code (linked to the page of its related industries) and name. */
static void ind_cells(struct req *r, const struct crel *c, size_t i)
{
	struct buf u = BUF_INIT;
	cmap_url(&u, &c->m, "/cluster-map/related", NULL, c->m.cube.ind[i]);
	buf_puts(&u, "#related");
	html_printf(&r->out, "<td><a href=\"%s\">%s</a></td><td>%s</td>", u.ptr, c->m.cube.ind[i],
		    cmap_ind_label(r, &c->m.cube, i));
	buf_release(&u);
}

/* The groups: each numbered from 1 (group 0 of the downloads is group 1), its industries from
 * the largest employment in the year; then the industries without employment, in no group. */
static void groups_section(struct req *r, const struct crel *c)
{
	const struct related *rel = &c->rel;
	const struct cube *cu = &c->m.cube;
	struct mapping_value *rk = xcalloc(cu->nind + 1, sizeof(*rk));
	char num[64], yr[16] = "";
	size_t i, n;
	int g;
	if (cu->year[c->m.year])
		snprintf(yr, sizeof(yr), " (%d)", cu->year[c->m.year]);
	html_printf(&r->out, "<h2 id=\"groups\">%s</h2><p>%s</p>", L(r, "Grupy pokrewnych branż", "Groups of related industries"),
		    L(r, "Branże, które występują razem w tych samych regionach: społeczności grafu, w którym branże łączy "
			 "dodatnia korelacja ich udziałów regionalnych (współlokalizacja; metoda Louvain). Wynik grup to "
			 "udział branż w grupach co najmniej dwóch, bliższych własnej grupie niż każdej innej (Delgado, "
			 "Porter i Stern 2016). Grupa 1 to w pobieranej tabeli i w API group 0.",
		      "Industries found together in the same regions: communities of the graph whose edges are the "
			 "positive correlations of their regional shares (co-location; the Louvain method). The group "
			 "score is the share of the industries in groups of two or more that are closer to their own "
			 "group than to any other (Delgado, Porter and Stern 2016). Group 1 is group 0 in the download "
			 "and the API."));
	html_printf(&r->out, "<dl class=\"related-summary\"><dt>%s</dt><dd id=\"rel-ngroups\">%d</dd>",
		    L(r, "Grupy", "Groups"), rel->ngroups);
	html_printf(&r->out, "<dt>%s</dt><dd id=\"rel-score\">%s</dd>", L(r, "Wynik grup (0–1)", "Group score (0–1)"),
		    cmap_num_text(r, num, sizeof(num), rel->group_score, 3));
	html_printf(&r->out, "<dt>%s</dt><dd id=\"rel-modularity\">%s</dd>", L(r, "Modularność", "Modularity"),
		    cmap_num_text(r, num, sizeof(num), rel->modularity, 3));
	html_printf(&r->out, "<dt>%s</dt><dd id=\"rel-ungrouped\">%lld</dd></dl>",
		    L(r, "Branże bez zatrudnienia w roku, poza grupami", "Industries without employment in the year, in no group"),
		    (long long)rel->ungrouped);
	if (rel->ngroups == 1)   /* nothing told apart: say why the score is empty */
		html_printf(&r->out, "<p class=\"notice one-group\" role=\"status\">%s</p>",
			    L(r, "Wszystkie branże tworzą jedną grupę: ich udziały regionalne nie dzielą się na wyraźne "
				 "skupiska (przy niewielu, szerokich branżach, jak sekcje PKD, to częste), więc wyniku grup, "
				 "który porównuje grupy, nie ma. Drobniejszy podział branż zwykle je rozróżni.",
			      "All the industries form one group: their regional shares do not split into distinct "
				 "clusters (common with few, broad industries such as PKD sections), so there is no group "
				 "score, which compares groups. A finer breakdown of industries usually tells them apart."));
	for (g = 0; g < rel->ngroups; g++) {
		for (i = 0, n = 0; i < cu->nind; i++)
			if (rel->group[i] == g) {
				rk[n].i = i;
				rk[n++].v = ind_employment(cu, c->m.year, i);
			}
		qsort(rk, n, sizeof(*rk), mapping_value_cmp);
		html_printf(&r->out, "<h3 id=\"group-%d\">%s %d</h3><table class=\"related-group\" data-group=\"%d\">"
			    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s%s</th>"
			    "</tr></thead><tbody>", g + 1, L(r, "Grupa", "Group"), g + 1, g, L(r, "Kod", "Code"),
			    L(r, "Branża", "Industry"), L(r, "Zatrudnienie", "Employment"), yr);
		for (i = 0; i < n; i++) {
			html_printf(&r->out, "<tr data-industry=\"%s\">", cu->ind[rk[i].i]);
			ind_cells(r, c, rk[i].i);
			cmap_num_cell(r, rk[i].v, 0, "num");
			buf_puts(&r->out, "</tr>");
		}
		buf_puts(&r->out, "</tbody></table>");
	}
	if (rel->ungrouped) {
		html_printf(&r->out, "<h3 id=\"ungrouped\">%s</h3><ul class=\"related-ungrouped\">",
			    L(r, "Bez grupy (bez zatrudnienia w roku)", "In no group (no employment in the year)"));
		for (i = 0; i < cu->nind; i++)
			if (rel->group[i] < 0) {
				const char *nm = cmap_ind_label(r, cu, i);
				html_printf(&r->out, "<li data-industry=\"%s\">%s%R%s</li>", cu->ind[i], cu->ind[i],
					    *nm ? " — " : "", nm);
			}
		buf_puts(&r->out, "</ul>");
	}
	free(rk);
}

/* The industries most related to c->ind by one measure (sim: nind × nind; first, then: the
 * columns' labels and the matrices of the value ranked and the one beside it). */
static void top_table(struct req *r, const struct crel *c, const char *cls, const char *caption, const char *first_label,
		      const double *first, const char *then_label, const double *then)
{
	const struct cube *cu = &c->m.cube;
	size_t n = cu->nind, i, k, at = c->ind;
	struct mapping_value *rk = xcalloc(n + 1, sizeof(*rk));
	for (i = 0, k = 0; i < n; i++)
		if (i != at && isfinite(first[at * n + i])) {
			rk[k].i = i;
			rk[k++].v = first[at * n + i];
		}
	qsort(rk, k, sizeof(*rk), mapping_value_cmp);
	html_printf(&r->out, "<table class=\"%s\"><caption>%s</caption><thead><tr><th scope=\"col\" class=\"num\">#</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		    "<th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>", cls, caption, L(r, "Kod", "Code"),
		    L(r, "Branża", "Industry"), first_label, then_label);
	for (i = 0; i < k && i < TOP_RELATED; i++) {
		html_printf(&r->out, "<tr data-industry=\"%s\"><td class=\"num\">%d</td>", cu->ind[rk[i].i], (int)i + 1);
		ind_cells(r, c, rk[i].i);
		cmap_num_cell(r, first[at * n + rk[i].i], 3, "num");
		cmap_num_cell(r, then[at * n + rk[i].i], 3, "num");
		buf_puts(&r->out, "</tr>");
	}
	if (!k)
		html_printf(&r->out, "<tr><td colspan=\"5\">%s</td></tr>",
			    L(r, "Brak branż ze znaną wartością.", "No industry with a known value."));
	buf_puts(&r->out, "</tbody></table>");
	free(rk);
}

/* The regions' relatedness density to the industry chosen as a map on cg's layer, each region a
 * link to its profile (a boundary no region of the year is drawn on is none); nothing when no
 * region on the map has a density. */
static void density_map(struct req *r, const struct crel *c, const struct cmap_geo *cg)
{
	const struct cube *cu = &c->m.cube;
	const char *nm = cmap_ind_label(r, cu, c->ind);
	double *vals = xcalloc(cg->g->n + 1, sizeof(*vals));
	unsigned char *linkable = xcalloc(cg->g->n + 1, 1);
	struct buf link = BUF_INIT, title = BUF_INIT;
	struct map_opts mo;
	size_t i, k;
	int any = 0;
	for (i = 0; i < cg->g->n; i++)
		vals[i] = NAN;
	for (i = 0; i < cu->nreg; i++) {
		if (cube_absent(cu, c->m.year, i))
			continue;
		for (k = 0; k < cg->place[i].n; k++) {
			vals[cg->place[i].feat[k]] = c->rel.density[i * cu->nind + c->ind];   /* a union: every part */
			linkable[cg->place[i].feat[k]] = 1;
			any |= isfinite(c->rel.density[i * cu->nind + c->ind]);
		}
	}
	if (any) {
		cmap_url(&link, &c->m, "/cluster-map/region", NULL, NULL);
		buf_puts(&link, "&feature=");
		buf_printf(&title, "%s %s%s%s", L(r, "Gęstość pokrewieństwa (0–100) do", "Relatedness density (0–100) to"),
			   cu->ind[c->ind], *nm ? " " : "", nm);
		if (cu->year[c->m.year])
			buf_printf(&title, " (%d)", cu->year[c->m.year]);
		memset(&mo, 0, sizeof(mo));
		mo.dvalues = vals;
		mo.layer = cg->layer;
		mo.link_prefix = link.ptr;
		mo.link_feature = linkable;
		mo.legend_title = title.ptr;
		buf_puts(&r->out, "<section class=\"map-part related-map\">");
		map_svg(r, &r->out, &mo);
		map_attribution(r, &r->out, cg->layer);
		buf_puts(&r->out, "</section>");
	}
	buf_release(&title);
	buf_release(&link);
	free(linkable);
	free(vals);
}

/* The industry chosen: its most related industries, and the regions by relatedness density to it. */
static void industry_section(struct req *r, const struct crel *c)
{
	const struct cube *cu = &c->m.cube;
	const char *nm = cmap_ind_label(r, cu, c->ind);
	struct cmap_geo cg;
	struct mapping_value *rk = xcalloc(cu->nreg + 1, sizeof(*rk));
	size_t rr, k = 0;
	html_printf(&r->out, "<h2 id=\"related\">%s %s%R%s</h2>", L(r, "Branże pokrewne:", "Related industries:"),
		    cu->ind[c->ind], *nm ? " " : "", nm);
	if (c->rel.group[c->ind] < 0) {
		/* no employment in the year: no share, no RCA, nothing is related to it */
		html_printf(&r->out, "<p class=\"notice no-employment\" role=\"status\">%s</p>",
			    L(r, "Ta branża nie ma w tym roku zatrudnienia w żadnym regionie zbioru (albo tylko komórki bez "
				 "wartości): nie ma z czym jej porównać, więc nie ma branż pokrewnych ani gęstości "
				 "pokrewieństwa.",
			      "This industry has no employment in any region of the dataset this year (or only cells "
				 "without a value): there is nothing to compare it with, so no related industries and no "
				 "relatedness density."));
		free(rk);
		return;
	}
	html_printf(&r->out, "<p>%s</p><div class=\"related-top\">",
		    L(r, "Współlokalizacja to korelacja udziałów regionalnych obu branż (−1 do 1); bliskość to "
			 "prawdopodobieństwo, że region specjalizuje się (LQ ≥ 1) w jednej, gdy specjalizuje się w drugiej "
			 "(mniejsze z dwóch, 0 do 1; Hidalgo i współautorzy 2007). Po 20 najwyższych.",
		      "Co-location is the correlation of the two industries' regional shares (−1 to 1); proximity is "
			 "the probability that a region is specialised (LQ ≥ 1) in one when it is in the other (the "
			 "smaller of the two, 0 to 1; Hidalgo et al. 2007). The 20 highest of each."));
	top_table(r, c, "related-colocation", L(r, "Według współlokalizacji", "By co-location"),
		  L(r, "Współlokalizacja", "Co-location"), c->rel.colocation, L(r, "Bliskość", "Proximity"),
		  c->rel.proximity);
	top_table(r, c, "related-proximity", L(r, "Według bliskości", "By proximity"), L(r, "Bliskość", "Proximity"),
		  c->rel.proximity, L(r, "Współlokalizacja", "Co-location"), c->rel.colocation);
	buf_puts(&r->out, "</div>");
	for (rr = 0; rr < cu->nreg; rr++)
		if (!cube_absent(cu, c->m.year, rr)) {
			rk[k].i = rr;
			rk[k++].v = c->rel.density[rr * cu->nind + c->ind];
		}
	qsort(rk, k, sizeof(*rk), mapping_value_cmp);
	memset(&cg, 0, sizeof(cg));
	cmap_geo_match(r, &c->m, &cg);
	html_printf(&r->out, "<h2 id=\"density\">%s %s</h2><p>%s</p>",
		    L(r, "Regiony według gęstości pokrewieństwa do", "Regions by relatedness density to"), cu->ind[c->ind],
		    L(r, "Gęstość pokrewieństwa (0–100): jaka część branż bliskich tej branży jest w regionie "
			 "wyspecjalizowana (LQ ≥ 1), ważona bliskością — im wyższa, tym łatwiej regionowi rozwinąć tę "
			 "branżę. Obok LQ samej branży w regionie.",
		      "Relatedness density (0–100): how much of what is close to this industry the region is "
			 "specialised in (LQ ≥ 1), weighted by proximity — the higher, the easier for the region to "
			 "grow the industry. Beside it the industry's own LQ in the region."));
	density_map(r, c, &cg);
	html_printf(&r->out, "<table class=\"related-density\"><thead><tr><th scope=\"col\" class=\"num\">#</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">LQ</th>"
		    "</tr></thead><tbody>", L(r, "Region", "Region"), L(r, "Gęstość pokrewieństwa", "Relatedness density"));
	for (rr = 0; rr < k; rr++) {
		html_printf(&r->out, "<tr data-region=\"%s\"><td class=\"num\">%d</td>", cu->reg[rk[rr].i], (int)rr + 1);
		cmap_region_cell(r, &c->m, &cg, rk[rr].i);
		cmap_num_cell(r, rk[rr].v, 1, "num");
		cmap_num_cell(r, c->m.res.lq[cube_at(cu, c->m.year, rk[rr].i, c->ind)], 2, "num");
		buf_puts(&r->out, "</tr>");
	}
	buf_puts(&r->out, "</tbody></table>");
	cmap_geo_release(&cg);
	free(rk);
}

/* The groups of related industries of a dataset's year; with industry=, its most related
 * industries and the regions by relatedness density to it; the three tables to download.  A
 * year or industry the form refuses (typed into the address) is a 400 with the page itself and
 * the problem above its form, the page without that choice (the latest year, no industry). */
static void h_cluster_related(struct req *r)
{
	static const char *const page_params[] = { "dataset", "year", "industry", NULL };
	struct crel c;
	struct kerr e = KERR_INIT;
	struct buf refused = BUF_INIT;   /* the choices refused, "field: why" a line */
	char line[300];
	int skip = 0;
	size_t i, k;

	cmap_args_refused(r, page_params, &refused);
	memset(&c, 0, sizeof(c));
	while (cmap_load(r, &c.m, &c.dsname, CMAP_PAGE | CMAP_PROFILE | CMAP_NO_BASE | CMAP_NO_FROM | skip, &e) &&
	       e.kind == KERR_INPUT && strncmp(e.msg, "year: ", 6) == 0 && !skip) {
		buf_printf(&refused, "%s%s", refused.len ? "\n" : "", esc_cut(line, e.msg, sizeof(line) - 1));
		skip = CMAP_NO_YEAR;
		kerr_clear(&e);
		crel_release(&c);
		memset(&c, 0, sizeof(c));
	}
	if (e.kind != KERR_NONE) {
		crel_release(&c);
		buf_release(&refused);
		req_error(r, kerr_http_status(e.kind), e.msg);
		return;
	}
	if (crel_industry(r, &c, &e)) {
		buf_printf(&refused, "%s%s", refused.len ? "\n" : "", esc_cut(line, e.msg, sizeof(line) - 1));
		kerr_clear(&e);
		c.ind = (size_t)-1;
	}
	cmap_head(r, &c.m, WEB_TAB_RELATED, L(r, "Mapa klastrów: pokrewieństwo branż", "Cluster map: related industries"),
		  L(r, "Które branże są ze sobą powiązane: grupy branż występujących razem w tych samych regionach, "
		       "branże najbliższe wybranej i regiony, którym najłatwiej ją rozwinąć (gęstość pokrewieństwa), "
		       "policzone tak samo jak w wierszu poleceń.",
		    "Which industries are related: groups of industries found together in the same regions, the "
		       "industries closest to a chosen one and the regions best placed to grow it (relatedness "
		       "density), computed as on the command line (klaster map relatedness)."),
		  "/cluster-map/related", refused.len ? refused.ptr : NULL);
	buf_release(&refused);
	cmap_year_field(r, &c.m);
	html_printf(&r->out, "<div><label for=\"f-industry\">%s</label><select id=\"f-industry\" name=\"industry\"%R>"
		    "<option value=\"\">%s</option>", cmap_label(r, "industry"), web_invalid(r, "industry"),
		    L(r, "— tylko grupy —", "— the groups only —"));
	for (i = 0; i < c.m.cube.nind; i++) {
		const char *nm = cmap_ind_label(r, &c.m.cube, i);
		html_printf(&r->out, "<option value=\"%s\"%R>%s%R%s</option>", c.m.cube.ind[i], i == c.ind ? " selected" : "",
			    c.m.cube.ind[i], *nm ? " — " : "", nm);
	}
	html_printf(&r->out, "</select></div><div class=\"f-go\"><button type=\"submit\">%s</button></div></form>",
		    L(r, "Pokaż", "Show"));
	if (*c.m.notice)
		html_printf(&r->out, "<p class=\"notice\" role=\"status\">%s</p>", c.m.notice);
	if (cmap_related(&c.m, &c.rel, &e)) {
		/* the data cannot give relatedness (one industry, say): the page says why */
		if (e.kind != KERR_INPUT) {
			crel_release(&c);
			req_error_kerr(r, &e);
			return;
		}
		/* the library's words are English: marked so on a Polish page */
		html_printf(&r->out, "<p class=\"notice\" role=\"status\">%s <span lang=\"en\">%s</span></p>",
			    L(r, "Pokrewieństwa branż nie da się policzyć:", "Relatedness cannot be computed:"), e.msg);
		page_end(r);
		crel_release(&c);
		return;
	}
	c.have_rel = 1;
	if (c.rel.unknown)
		html_printf(&r->out, "<p class=\"notice\" role=\"status\">%s</p>",
			    L(r, "Komórki bez wartości (poufne lub brakujące) pominięto parami: współlokalizacja i bliskość "
				 "po regionach, w których znane są obie branże, gęstość po branżach znanych w regionie.",
			      "Cells without a value (confidential or missing) are left out pair by pair: co-location and "
				 "proximity over the regions where both industries are known, densities over the "
				 "industries known in the region."));
	if (c.ind != (size_t)-1)
		industry_section(r, &c);
	groups_section(r, &c);
	html_printf(&r->out, "<h2 id=\"downloads\">%s</h2>", L(r, "Do pobrania", "Downloads"));
	for (k = 0; k < NTABLES; k++) {
		struct buf u = BUF_INIT;
		char label[160];
		crel_download_url(&u, &c, k);
		snprintf(label, sizeof(label), "%s — CSV", L(r, tables[k].pl, tables[k].en));
		cmap_download_links(r, "download related-download", u.ptr, label);
		buf_release(&u);
	}
	page_end(r);
	crel_release(&c);
}
