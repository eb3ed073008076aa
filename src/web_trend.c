/* web_trend.c — the cluster map's trend of one industry in one region ("Trend branży w regionie /
 * An industry's trend in a region"): its employment, share of the industry, LQ, stars and strong
 * flag in every year of a stored dataset, as `klaster map indicators` computes them for each
 * year, as a page (a table and a line chart of the LQ) and in the API. */
#include "web.h"
#include "web_cmap.h"

#include <math.h>

#include "esc.h"
#include "tablew.h"

static void h_cluster_trend(struct req *r);
static void h_api_cluster_trend(struct req *r);

const struct route trend_routes[] = {
	{ "GET", "/cluster-map/trend", h_cluster_trend, R_DB | R_CACHE | R_AREA_DIR },
	{ "GET", "/api/v1/cluster-map/trend", h_api_cluster_trend, R_DB | R_API | R_CACHE | R_AREA_DIR },
	{ NULL, NULL, NULL, 0 }
};

/* The parameters the page and the API read. */
static const char *const trend_params[] = { "dataset", "region", "industry", "base", NULL };

/* A request's dataset with the indicators of every year (cmap_load), where its regions are drawn
 * (for their names) and the region and industry asked for. */
struct ctrend {
	struct cmap m;
	struct cmap_geo cg;
	char *dsname;
	size_t rr, ind;
};

static void ctrend_release(struct ctrend *c)
{
	cmap_geo_release(&c->cg);
	free(c->dsname);
	cmap_release(&c->m);
}

/* One year of the trend: NAN (and -1) for what is not known, the region absent that year too. */
struct trend_year {
	double emp, share_ind, lq;
	int stars, strong;   /* -1: not known */
};

static struct trend_year trend_at(const struct ctrend *c, size_t y)
{
	const struct cube *cu = &c->m.cube;
	struct trend_year t = { NAN, NAN, NAN, -1, -1 };
	size_t cell;
	unsigned kn;
	if (cube_absent(cu, y, c->rr))
		return t;
	cell = cube_at(cu, y, c->rr, c->ind);
	kn = indic_known(cu, &c->m.res, cell);
	t.emp = cu->emp[cell];
	t.share_ind = c->m.res.share_ind[cell];
	t.lq = c->m.res.lq[cell];
	if (kn & INDIC_KNOWN_STARS)
		t.stars = c->m.res.stars[cell];
	if (kn & INDIC_KNOWN_STRONG)
		t.strong = c->m.res.strong[cell];
	return t;
}

/* region=: a region of the dataset in any year; empty or absent: the one with the most employment
 * in the latest year.  -1 with a message naming region (c->rr then that default). */
static int ctrend_region(struct req *r, struct ctrend *c, struct kerr *e)
{
	const struct cube *cu = &c->m.cube;
	const char *code = cmap_arg(r, "region");
	size_t rr, i;
	double most = -1;
	char c40[41];
	c->rr = 0;
	for (rr = 0; rr < cu->nreg; rr++) {
		double t = 0;
		if (cube_absent(cu, c->m.year, rr))
			continue;
		for (i = 0; i < cu->nind; i++) {
			double v = cu->emp[cube_at(cu, c->m.year, rr, i)];
			t += isnan(v) ? 0 : v;
		}
		if (t > most) {
			most = t;
			c->rr = rr;
		}
	}
	if (!code || !*code)
		return 0;
	if ((rr = cube_region(cu, code)) != (size_t)-1) {
		c->rr = rr;
		return 0;
	}
	return kerr_set(e, KERR_INPUT, L_msg(r, "region: „%s” nie występuje w zbiorze %s", "region: '%s' is not in dataset %s"),
			esc_cut(c40, code, 40), c->m.info.name);
}

/* industry=: an industry of the dataset; empty or absent: the map's default.  -1 with a message
 * naming industry (c->ind then that default). */
static int ctrend_industry(struct req *r, struct ctrend *c, struct kerr *e)
{
	const char *ind = cmap_arg(r, "industry");
	char i40[41];
	size_t at;
	c->ind = c->m.ind;
	if (!ind || !*ind)
		return 0;
	if ((at = cube_industry(&c->m.cube, ind)) != (size_t)-1) {
		c->ind = at;
		return 0;
	}
	return kerr_set(e, KERR_INPUT, L_msg(r, "industry: „%s” nie występuje w zbiorze %s",
					     "industry: '%s' is not in dataset %s"), esc_cut(i40, ind, 40), c->m.info.name);
}

/* The dataset with every year's indicators (flags: CMAP_PAGE, and the CMAP_NO_* of choices the
 * page refused) and where its regions are drawn; the region and industry are the caller's. */
static int ctrend_load(struct req *r, struct ctrend *c, int flags, struct kerr *e)
{
	memset(c, 0, sizeof(*c));
	if (cmap_load(r, &c->m, &c->dsname, flags | CMAP_PROFILE | CMAP_ALL_YEARS | CMAP_NO_YEAR | CMAP_NO_FROM, e))
		return -1;
	cmap_geo_match(r, &c->m, &c->cg);
	return 0;
}

/* The trend as JSON: the dataset, region, industry and base, and a row per year with null for
 * what is not known (a year without the region: all null). */
static void h_api_cluster_trend(struct req *r)
{
	struct ctrend c;
	struct kerr e = KERR_INIT;
	const struct cube *cu = &c.m.cube;
	size_t y;

	if (web_args_text(r, trend_params, &e)) {
		req_error_kerr(r, &e);
		return;
	}
	if (ctrend_load(r, &c, 0, &e) || ctrend_region(r, &c, &e) || ctrend_industry(r, &c, &e)) {
		req_error_kerr(r, &e);
		ctrend_release(&c);
		return;
	}
	r->ctype = "application/json";
	buf_puts(&r->out, "{\"dataset\":");
	esc_json(&r->out, c.m.info.name);
	buf_puts(&r->out, ",\"region\":");
	esc_json(&r->out, cu->reg[c.rr]);
	buf_puts(&r->out, ",\"region_name\":");
	esc_json_or_null(&r->out, cmap_region_name(&c.m, &c.cg, c.rr));
	buf_puts(&r->out, ",\"industry\":");
	esc_json(&r->out, cu->ind[c.ind]);
	cmap_json_ind_names(&r->out, cu, c.ind);
	buf_printf(&r->out, ",\"base\":\"%s\",\"years\":[", c.m.base == INDIC_BASE_TRADED ? "traded" : "all");
	for (y = 0; y < cu->nyear; y++) {
		struct trend_year t = trend_at(&c, y);
		if (cu->year[y])
			buf_printf(&r->out, "%s{\"year\":%d", y ? "," : "", cu->year[y]);
		else
			buf_printf(&r->out, "%s{\"year\":null", y ? "," : "");   /* a dataset without years */
		cmap_json_num(&r->out, "employment", t.emp);
		cmap_json_num(&r->out, "share_of_industry", t.share_ind);
		cmap_json_num(&r->out, "lq", t.lq);
		cmap_json_num(&r->out, "stars", t.stars < 0 ? NAN : t.stars);
		cmap_json_num(&r->out, "strong", t.strong < 0 ? NAN : t.strong);
		buf_puts(&r->out, "}");
	}
	buf_puts(&r->out, "]}\n");
	ctrend_release(&c);
}

/* ---- the page ---- */

/* The chart's size and margins (SVG user units). */
enum { CH_W = 640, CH_H = 260, CH_L = 48, CH_R = 16, CH_T = 16, CH_B = 36 };

/* The LQ over the years as an SVG line chart with a line at LQ = 1; a year without an LQ breaks
 * the line.  The table below is its text alternative.  Nothing when no year has an LQ. */
static void trend_chart(struct req *r, const struct ctrend *c, const char *what)
{
	const struct cube *cu = &c->m.cube;
	size_t y, n = cu->nyear;
	double top = 1, lq, x, yy;
	struct buf path = BUF_INIT, dots = BUF_INIT;
	char num[64];
	int pen = 0, any = 0;
	for (y = 0; y < n; y++)
		if (isfinite(lq = trend_at(c, y).lq)) {
			any = 1;
			top = lq > top ? lq : top;
		}
	if (!any)
		return;
	top *= 1.1;
#define CH_X(k) (CH_L + (n > 1 ? (double)(k) * (CH_W - CH_L - CH_R) / (double)(n - 1) : (CH_W - CH_L - CH_R) / 2.0))
#define CH_Y(v) (CH_T + (CH_H - CH_T - CH_B) * (1 - (v) / top))
	html_printf(&r->out, "<figure class=\"trend-chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		    "role=\"img\" aria-labelledby=\"trend-title trend-desc\"><title id=\"trend-title\">%s %s</title>"
		    "<desc id=\"trend-desc\">%s</desc>", CH_W, CH_H, L(r, "LQ w latach:", "LQ over the years:"), what,
		    L(r, "Linia LQ w kolejnych latach, z linią poziomą przy LQ = 1 (średnia); rok bez LQ przerywa linię. "
			 "Te same liczby są w tabeli poniżej.",
		      "The LQ year by year, with a horizontal line at LQ = 1 (the average); a year without an LQ breaks "
			 "the line. The table below has the same numbers."));
	/* the axes, LQ = 0 and LQ = 1 */
	html_printf(&r->out, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#555\"/>", CH_L,
		    CH_Y(0), CH_W - CH_R, CH_Y(0));
	html_printf(&r->out, "<line class=\"lq-one\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#b00\" "
		    "stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\">%s</text>",
		    CH_L, CH_Y(1), CH_W - CH_R, CH_Y(1), CH_L - 4, CH_Y(1) + 4, cmap_num_text(r, num, sizeof(num), 1, 1));
	html_printf(&r->out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\">0</text>", CH_L - 4, CH_Y(0) + 4);
	html_printf(&r->out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\">%s</text>", CH_L - 4,
		    CH_Y(top) + 10, cmap_num_text(r, num, sizeof(num), top, 1));
	for (y = 0; y < n; y++) {
		lq = trend_at(c, y).lq;
		x = CH_X(y);
		if (cu->year[y])
			html_printf(&r->out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%d</text>", x,
				    CH_H - CH_B + 18, cu->year[y]);
		if (!isfinite(lq)) {
			pen = 0;   /* the line breaks */
			continue;
		}
		yy = CH_Y(lq);
		buf_printf(&path, "%s%.1f %.1f ", pen ? "L" : "M", x, yy);
		pen = 1;
		html_printf(&dots, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#05a\"><title>%d: LQ %s</title></circle>", x,
			    yy, cu->year[y], cmap_num_text(r, num, sizeof(num), lq, 2));
	}
#undef CH_X
#undef CH_Y
	html_printf(&r->out, "<path class=\"lq-line\" d=\"%s\" fill=\"none\" stroke=\"#05a\" stroke-width=\"2\"/>%R</svg>"
		    "</figure>", path.ptr, dots.ptr);
	buf_release(&dots);
	buf_release(&path);
}

/* The table: a row per year (the text alternative of the chart). */
static void trend_table(struct req *r, const struct ctrend *c, const char *what)
{
	const struct cube *cu = &c->m.cube;
	size_t y;
	html_printf(&r->out, "<div class=\"table-wrap\"><table class=\"results trend-table\"><caption>%s %s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s (%%)</th>"
		    "<th scope=\"col\" class=\"num\">LQ</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>", L(r, "Rok po roku:", "Year by year:"), what, L(r, "Rok", "Year"),
		    L(r, "Zatrudnienie", "Employment"), L(r, "Udział w branży", "Share of the industry"),
		    L(r, "Gwiazdki", "Stars"), L(r, "Silny klaster", "Strong cluster"));
	for (y = 0; y < cu->nyear; y++) {
		struct trend_year t = trend_at(c, y);
		if (cu->year[y])
			html_printf(&r->out, "<tr data-year=\"%d\"><th scope=\"row\">%d</th>", cu->year[y], cu->year[y]);
		else
			html_printf(&r->out, "<tr data-year=\"\"><th scope=\"row\">%s</th>", L(r, "bez roku", "no year"));
		cmap_num_cell(r, t.emp, 0, "num");
		cmap_num_cell(r, t.share_ind * 100, 2, "num");   /* per cent: two decimals, as everywhere */
		cmap_num_cell(r, t.lq, 2, "num");
		cmap_num_cell(r, t.stars < 0 ? NAN : t.stars, 0, "num");
		html_printf(&r->out, "<td>%s</td></tr>",
			    t.strong < 0 ? "–" : t.strong ? L(r, "tak", "yes") : L(r, "nie", "no"));
	}
	buf_puts(&r->out, "</tbody></table></div>");
}

/* The form's choice of region (every region of the dataset, in any year) and industry. */
static void trend_fields(struct req *r, const struct ctrend *c)
{
	const struct cube *cu = &c->m.cube;
	size_t i;
	html_printf(&r->out, "<div><label for=\"f-region\">%s</label><select id=\"f-region\" name=\"region\"%R>",
		    cmap_label(r, "region"), web_invalid(r, "region"));
	for (i = 0; i < cu->nreg; i++) {
		const char *nm = cmap_region_name(&c->m, &c->cg, i);
		int two = nm && strcmp(nm, cu->reg[i]) != 0;
		html_printf(&r->out, "<option value=\"%s\"%R>%s%R%s%R</option>", cu->reg[i], i == c->rr ? " selected" : "",
			    two ? nm : cu->reg[i], two ? " (" : "", two ? cu->reg[i] : "", two ? ")" : "");
	}
	html_printf(&r->out, "</select></div><div><label for=\"f-industry\">%s</label><select id=\"f-industry\" "
		    "name=\"industry\"%R>", cmap_label(r, "industry"), web_invalid(r, "industry"));
	for (i = 0; i < cu->nind; i++) {
		const char *nm = cmap_ind_label(r, cu, i);
		html_printf(&r->out, "<option value=\"%s\"%R>%s%R%s</option>", cu->ind[i], i == c->ind ? " selected" : "",
			    cu->ind[i], *nm ? " — " : "", nm);
	}
	buf_puts(&r->out, "</select></div>");
	cmap_base_field(r, &c->m);
	html_printf(&r->out, "<div class=\"f-go\"><button type=\"submit\">%s</button></div></form>", L(r, "Pokaż", "Show"));
}

/* Adds "field: why" (e, cleared) to refused. */
static void refuse(struct buf *refused, struct kerr *e)
{
	char line[300];
	buf_printf(refused, "%s%s", refused->len ? "\n" : "", esc_cut(line, e->msg, sizeof(line) - 1));
	kerr_clear(e);
}

/* An industry's employment, share, LQ, stars and strong flag in a region in every year of the
 * dataset: a table and a chart of the LQ.  A region, industry or base the form refuses (typed
 * into the address) is a 400 with the page itself and the problem above its form, the page
 * without that choice (the default region or industry, base all). */
static void h_cluster_trend(struct req *r)
{
	struct ctrend c;
	struct kerr e = KERR_INIT;
	struct buf refused = BUF_INIT, what = BUF_INIT, u = BUF_INIT;
	const struct cube *cu;
	const char *rname, *nm;
	int skip = 0;

	cmap_args_refused(r, trend_params, &refused);
	while (ctrend_load(r, &c, CMAP_PAGE | skip, &e) && e.kind == KERR_INPUT && strncmp(e.msg, "base: ", 6) == 0 &&
	       !skip) {
		refuse(&refused, &e);
		skip = CMAP_NO_BASE;
		ctrend_release(&c);
	}
	if (e.kind != KERR_NONE) {
		ctrend_release(&c);
		buf_release(&refused);
		req_error(r, kerr_http_status(e.kind), e.msg);
		return;
	}
	if (ctrend_region(r, &c, &e))
		refuse(&refused, &e);
	if (ctrend_industry(r, &c, &e))
		refuse(&refused, &e);
	cu = &c.m.cube;
	c.m.carry_ind = cu->ind[c.ind];   /* the tabs and links keep the industry */
	cmap_head(r, &c.m, -1 /* no tab: reached from a region's profile */,
		  L(r, "Mapa klastrów: trend branży w regionie", "Cluster map: an industry's trend in a region"),
		  L(r, "Jak zmieniały się zatrudnienie, udział w branży i LQ branży w regionie rok po roku, policzone dla "
		       "każdego roku zbioru tak samo jak w wierszu poleceń.",
		    "How an industry's employment, share and LQ in a region moved year by year, computed for every year "
		       "of the dataset as on the command line (klaster map indicators)."),
		  "/cluster-map/trend", refused.len ? refused.ptr : NULL);
	buf_release(&refused);
	trend_fields(r, &c);
	if (*c.m.notice)
		html_printf(&r->out, "<p class=\"notice\" role=\"status\">%s</p>", c.m.notice);
	rname = cmap_region_name(&c.m, &c.cg, c.rr);
	nm = cmap_ind_label(r, cu, c.ind);
	buf_printf(&what, "%s: %s%s%s", rname ? rname : cu->reg[c.rr], cu->ind[c.ind], *nm ? " — " : "", nm);
	html_printf(&r->out, "<h2 id=\"trend\">%s</h2><p class=\"trend-links\">", what.ptr);
	cmap_url(&u, &c.m, "/cluster-map/region", cu->reg[c.rr], NULL);
	html_printf(&r->out, "<a href=\"%s\">%s</a> · ", u.ptr, L(r, "profil regionu", "the region's profile"));
	buf_reset(&u);
	cmap_url(&u, &c.m, "/cluster-map", NULL, cu->ind[c.ind]);
	html_printf(&r->out, "<a href=\"%s\">%s</a></p>", u.ptr, L(r, "mapa branży", "the industry's map"));
	buf_release(&u);
	if (cu->nyear < 2)
		html_printf(&r->out, "<p class=\"notice one-year\" role=\"status\">%s</p>",
			    L(r, "Ten zbiór ma dane z jednego roku: trend wymaga kilku lat. Poniżej jedyny rok.",
			      "This dataset has data of one year: a trend needs several years. Its one year is below."));
	else
		trend_chart(r, &c, what.ptr);
	trend_table(r, &c, what.ptr);
	html_printf(&r->out, "<p class=\"muted base-note\">%s%R%s. %s</p>",
		    c.m.info.has_ref ? L(r, "LQ i udziały względem gospodarki odniesienia zbioru",
					 "LQs and shares against the dataset's reference economy")
				     : L(r, "LQ i udziały względem sumy regionów zbioru",
					 "LQs and shares against the sum of the dataset's regions"),
		    c.m.base == INDIC_BASE_TRADED ? "; " : "",
		    c.m.base == INDIC_BASE_TRADED ? L(r, "baza: tylko branże ponadlokalne (traded)", "base: traded industries only")
						  : "",
		    L(r, "Rok bez regionu albo komórka bez wartości: kreska.", "A year without the region, or a cell without a "
									       "value: a dash."));
	web_source_para(r, c.m.info.source, c.m.info.licence);
	buf_release(&what);
	page_end(r);
	ctrend_release(&c);
}
