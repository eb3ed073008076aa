/* map.c — the server-rendered SVG map of Poland (see web.h, http.h). */
#include "web.h"

#include "draw.h"
#include "esc.h"
#include "fold.h"
#include "nuts.h"
#include <math.h>

#define MAP_W 600.0
#define MAP_H 560.0

/* Simplification of the drawn paths, in pixels of the 600-pixel map: the
 * powiats and Europe's regions are many and small, and a page with all
 * of them should stay small too (about 200 and 130 KB of SVG). */
#define POWIAT_TOL_PX 0.9
#define NUTS_TOL_PX 0.7

static void app_release_maps(struct app *app);

/* Reads a layer from rows of (code, name, GeoJSON geometry); an empty
 * layer when there are none. */
static int load_layer(struct db *db, const char *sql, const char *what, struct geo_layer *L, struct kerr *e)
{
	struct db_stmt *st;
	struct buf fc = BUF_INIT;
	int r, n = 0;

	memset(L, 0, sizeof(*L));
	if (db_prepare(db, sql, &st, e))
		return -1;
	buf_puts(&fc, "{\"type\":\"FeatureCollection\",\"features\":[");
	while ((r = db_step(st, e)) == 1) {
		buf_printf(&fc, "%s{\"type\":\"Feature\",\"properties\":{\"code\":", n++ ? "," : "");
		esc_json(&fc, db_col_text(st, 0));
		buf_puts(&fc, ",\"name\":");
		esc_json(&fc, db_col_text(st, 1));
		buf_printf(&fc, "},\"geometry\":%s}", db_col_text(st, 2));
	}
	db_finalize(st);
	buf_puts(&fc, "]}");
	if (r < 0 || n == 0 || buf_failed(&fc)) {
		/* no reference data yet: the map is simply empty */
		buf_release(&fc);
		return r < 0 ? -1 : 0;
	}
	r = geo_layer_parse(L, fc.ptr, fc.len, what, "code", "name", e);
	buf_release(&fc);
	return r;
}

/* Projects L into the picture framed on frame (minlon, minlat, maxlon,
 * maxlat), simplified at tol_px pixels; features whose box misses the
 * frame, or that are smaller than a pixel, get no path. */
static char **project_layer(const struct geo_layer *L, const double frame[4], double tol_px, struct geo_proj *p,
			    size_t *ndrawn)
{
	char **paths = xcalloc(L->n + 1, sizeof(*paths));
	size_t i;
	geo_proj_fit(p, frame, MAP_W, MAP_H, 8);
	*ndrawn = 0;
	for (i = 0; i < L->n; i++) {
		const double *b = L->f[i].bbox;
		struct buf d = BUF_INIT;
		if (!geo_bbox_overlaps(b, frame))
			continue;
		geo_svg_path(&d, p, &L->f[i], tol_px);
		if (d.len) {
			paths[i] = buf_detach(&d, NULL);
			(*ndrawn)++;
		} else {
			buf_release(&d);
		}
	}
	return paths;
}

int map_load_nuts(struct db *db, struct geo_layer *L, struct kerr *e)
{
	return load_layer(db, "SELECT code, name, geojson FROM nuts_region WHERE level IN (2, 3) ORDER BY level, code",
			  "nuts_region table", L, e);
}

int app_load_map(struct app *app, struct db *db, struct kerr *e)
{
	size_t i;
	struct geo_proj p;

	app->map_w = MAP_W;
	app->map_h = MAP_H;
	if (load_layer(db, "SELECT teryt, name, geojson FROM region WHERE level = 'voivodeship'"
		       " AND geojson IS NOT NULL ORDER BY teryt", "region table", &app->voiv, e) ||
	    load_layer(db, "SELECT teryt, name, geojson FROM region WHERE level = 'powiat'"
		       " AND geojson IS NOT NULL ORDER BY teryt", "region table", &app->powiats.g, e) ||
	    map_load_nuts(db, &app->nuts2.g, e)) {
		app_release_maps(app);
		return -1;
	}
	/* the NUTS-3 parts follow the NUTS-2 regions */
	for (i = app->nuts2.g.n; i > 0 && nuts_is_nuts3(app->nuts2.g.f[i - 1].code); i--)
		app->nuts2.nparts++;
	if (app->voiv.n) {
		geo_proj_fit(&p, app->voiv.bbox, MAP_W, MAP_H, 8);
		app->voiv_paths = xcalloc(app->voiv.n, sizeof(*app->voiv_paths));
		for (i = 0; i < app->voiv.n; i++) {
			struct buf b = BUF_INIT;
			geo_svg_path(&b, &p, &app->voiv.f[i], 0.6);
			app->voiv_paths[i] = buf_detach(&b, NULL);
		}
	}
	if (app->powiats.g.n)
		/* the powiats in the frame of the voivodeships, so both maps show Poland alike */
		app->powiats.paths = project_layer(&app->powiats.g, app->voiv.n ? app->voiv.bbox : app->powiats.g.bbox,
						   POWIAT_TOL_PX, &app->powiats.proj, &app->powiats.ndrawn);
	if (app->nuts2.g.n)
		app->nuts2.paths = project_layer(&app->nuts2.g, nuts_europe_frame, NUTS_TOL_PX, &app->nuts2.proj, &app->nuts2.ndrawn);
	return 0;
}

static void layer_release(struct map_layer *m)
{
	size_t i;
	if (m->paths)
		for (i = 0; i < m->g.n; i++)
			free(m->paths[i]);
	free(m->paths);
	geo_layer_release(&m->g);
	memset(m, 0, sizeof(*m));
}

static void app_release_maps(struct app *app)
{
	size_t i;
	if (app->voiv_paths)
		for (i = 0; i < app->voiv.n; i++)
			free(app->voiv_paths[i]);
	free(app->voiv_paths);
	app->voiv_paths = NULL;
	geo_layer_release(&app->voiv);
	layer_release(&app->powiats);
	layer_release(&app->nuts2);
}

void app_release(struct app *app)
{
	app_release_maps(app);
	db_pool_close(app->pool);
	app->pool = NULL;
	{
		int a;
		for (a = 1; a <= R_AREA_ALL; a++) {
			kcache_free(app->caches[a]);
			app->caches[a] = NULL;
		}
		app->cache = NULL;
	}
}

/* A sequential palette (ColorBrewer "Blues", 5 classes) and the text colour
 * that keeps a contrast ratio above 4.5 on each. */
static const char *const fills[] = { "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c" };
static const char zero_fill[] = "#f7f7f7";

static int class_of(long long v, const long long br[4])
{
	int c = 0;
	while (c < 4 && v > br[c])
		c++;
	return c;
}

/* The colour of the legend's words: the pages' ink (klaster.css --ink), 15:1 on the white
 * behind the legend. */
#define LEGEND_INK "#1d2733"

/* A legend of boxes with their labels, laid out left to right in rows
 * that fit the map's width. */
struct legend {
	char label[DRAW_MAX_CLASSES + 1][112];
	const char *fill[DRAW_MAX_CLASSES + 1];
	int x[DRAW_MAX_CLASSES + 1], row[DRAW_MAX_CLASSES + 1];
	int n, rows;
};

/* The width of a label at 12 px: digits and letters average 7 px (a
 * UTF-8 sequence is one character). */
static int label_px(const char *s)
{
	return 7 * (int)utf8_chars(s);
}

static void legend_add(struct legend *lg, const char *fill, const char *label)
{
	int w, i = lg->n;
	if (i >= DRAW_MAX_CLASSES + 1)
		return;
	snprintf(lg->label[i], sizeof(lg->label[i]), "%s", label);
	lg->fill[i] = fill;
	w = 16 + 4 + label_px(label) + 16;
	if (i == 0) {
		lg->x[i] = 10;
		lg->row[i] = 0;
	} else {
		int x = lg->x[i - 1] + 16 + 4 + label_px(lg->label[i - 1]) + 16;
		lg->row[i] = lg->row[i - 1];
		if (x + w > (int)MAP_W - 6) {
			x = 10;
			lg->row[i]++;
		}
		lg->x[i] = x;
	}
	lg->rows = lg->row[i] + 1;
	lg->n++;
}

void map_svg(struct req *r, struct buf *out, const struct map_opts *mo)
{
	const struct app *app = r->app;
	struct map_layer voiv;          /* the voivodeships seen as a layer */
	const struct map_layer *ly;
	struct geo_proj p;
	long long max = 0, br[4];
	size_t i;
	int w = mo->width ? mo->width : (int)MAP_W;
	int legend = mo->values || mo->dvalues || mo->point_class;
	int hotcold = 0;   /* hot or cold cells drawn: a second legend row */
	const char *stroke_w;
	struct buf tip = BUF_INIT;    /* a region's name and value */

	memset(&voiv, 0, sizeof(voiv));
	voiv.g = app->voiv;
	voiv.paths = app->voiv_paths;
	voiv.ndrawn = app->voiv.n;
	if (app->voiv.n)
		geo_proj_fit(&voiv.proj, app->voiv.bbox, MAP_W, MAP_H, 8);
	ly = mo->layer ? mo->layer : &voiv;
	p = ly->proj;
	/* thin borders where the regions are many and small */
	stroke_w = ly->g.n > 100 ? "0.35" : "0.8";
	for (i = 0; mo->cell_class && i < mo->ncells; i++)
		hotcold |= mo->cell_class[i] != 0;
	for (i = 0; mo->point_spot && i < mo->npoints; i++)
		hotcold |= mo->point_spot[i] != 0;
	for (i = 0; mo->region_spot && i < ly->g.n; i++)
		hotcold |= mo->region_spot[i] != 0;
	if (mo->values)
		for (i = 0; i < ly->g.n; i++)
			if (mo->values[i] > max)
				max = mo->values[i];
	for (i = 0; i < 4; i++)
		br[i] = (long long)((double)max * (double)(i + 1) / 5.0 + 0.999);
	/* real values: five classes at the quantiles */
	double dbr[DRAW_MAX_CLASSES] = { 0 };
	int ndbr = mo->dvalues && ly->g.n ? mo->diverging ? draw_diverging_breaks(mo->dvalues, ly->g.n, 6, dbr)
							 : draw_quantile_breaks(mo->dvalues, ly->g.n, 5, dbr) : 0;
	int lower = mo->dvalues && mo->diverging;   /* diverging breaks begin their classes */
	int categories = mo->dvalues && mo->dbreaks && mo->ndbreaks > 0 && mo->ndbreaks <= 4;
	if (categories) {
		/* categories: fixed bounds */
		for (ndbr = 0; ndbr < mo->ndbreaks; ndbr++)
			dbr[ndbr] = mo->dbreaks[ndbr];
	} else if (ndbr > 0 && !lower) {
		/* a quantile at the greatest value would end the last class with an empty one above
		 * it: every value the same is one class (draw_trim_breaks, as draw_choropleth's) */
		ndbr = draw_trim_breaks(mo->dvalues, ly->g.n, dbr, ndbr);
	}
	/* the legend of real values, and how numbers read on this map */
	struct legend lg;
	int dec, tipdec, whole = 1;
	enum draw_numstyle ns = req_polish(r) ? DRAW_NUM_PL : DRAW_NUM_EN;
	memset(&lg, 0, sizeof(lg));
	for (i = 0; mo->dvalues && i < ly->g.n; i++)
		if (isfinite(mo->dvalues[i]) && mo->dvalues[i] != floor(mo->dvalues[i]))
			whole = 0;
	if (whole && ndbr > 0 && !(mo->dbreaks && mo->ndbreaks > 0) && !lower)
		ndbr = draw_whole_breaks(dbr, ndbr);   /* every class holds a whole number its label names */
	dec = ndbr > 0 ? draw_break_decimals_of(dbr, ndbr, whole) : 2;
	/* a tooltip: whole numbers as they are, others a digit finer than the legend */
	tipdec = whole ? 0 : dec + 1 < 2 ? 2 : dec + 1;
	double vlo, vhi;   /* the values' range: the label of a single class */
	int any = draw_value_range(mo->dvalues, ly->g.n, &vlo, &vhi);
	if (!mo->point_class && mo->dvalues && (ndbr > 0 || any)) {
		int c, missing = 0;
		char labels[DRAW_MAX_CLASSES][112];
		/* "no data" only when a region drawn has none, as draw_choropleth's legend (the map
		 * downloaded as a picture): not a part left undrawn, nor a region outside the frame */
		for (i = 0; i < ly->g.n && !missing; i++)
			missing = ly->paths[i] && i < ly->g.n - ly->nparts && !isfinite(mo->dvalues[i]);
		if (missing)
			legend_add(&lg, zero_fill, L(r, "brak danych", "no data"));
		if (!(mo->dbreaks && mo->dlabels)) {
			draw_class_labels(labels, dbr, ndbr, whole && !lower, lower, ns);
			if (ndbr == 0)
				draw_range_label(labels[0], sizeof(labels[0]), vlo, vhi, ns);
			for (c = 0; mo->dunit && c <= ndbr; c++) {
				size_t n = strlen(labels[c]);
				snprintf(labels[c] + n, sizeof(labels[c]) - n, "%s", mo->dunit);
			}
		}
		for (c = 0; c <= ndbr; c++)
			legend_add(&lg, lower ? draw_diverging_fill(c, dbr, ndbr) : fills[ndbr > 0 ? c * 4 / ndbr : 2],
				   mo->dbreaks && mo->dlabels ? mo->dlabels[c] : labels[c]);
	}
	int legend_h = legend ? 40 + (lg.rows > 1 ? 20 * (lg.rows - 1) : 0) : 0;
	/*
	 * A map whose regions are links people use (a layer of at most 20 regions) is a group of
	 * links, each named by its region (and value): role="img" would make them presentational, a
	 * picture holding controls that assistive technology never announces.  A map without links,
	 * or with the many links of the powiats or of Europe's regions, is one picture: there the
	 * links leave the keyboard's way (tabindex="-1") and the page's table of regions beside the
	 * map links to the same places.
	 */
	int linked = mo->link_prefix && ly->g.n <= 20;
	html_printf(out, "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
		    " width=\"%d\" role=\"%s\" aria-labelledby=\"map-title\">"
		    "<title id=\"map-title\">%s</title>",
		    (int)MAP_W, (int)MAP_H + legend_h + (hotcold ? 20 : 0), w, linked ? "group" : "img",
		    mo->legend_title ? mo->legend_title : L(r, "Mapa województw", "Map of voivodeships"));
	if (!ly->g.n) {
		html_printf(out, "<text x=\"20\" y=\"40\">%s</text></svg>",
			    L(r, "Brak granic regionów w bazie (klaster import reference).",
			      "No region boundaries in the database (klaster import reference)."));
		return;
	}
	for (i = 0; i < ly->g.n; i++) {
		const struct geo_feature *f = &ly->g.f[i];
		int cls = mo->values ? (mo->values[i] ? class_of(mo->values[i], br) : -1) : 0;
		if (!ly->paths[i])
			continue;   /* outside the frame */
		if (i >= ly->g.n - ly->nparts && !(mo->values && mo->values[i]) &&
		    !(mo->dvalues && !isnan(mo->dvalues[i])) && !(mo->region_spot && mo->region_spot[i]))
			continue;   /* a part no older region is drawn on */
		const char *dfill = NULL;   /* a diverging class's colour */
		if (mo->dvalues) {
			double v = mo->dvalues[i];
			int c;
			if (isnan(v)) {
				cls = -1;
			} else {
				c = draw_class_of(v, dbr, ndbr, lower);
				/* spread the classes used over the palette */
				cls = ndbr > 0 ? c * 4 / ndbr : 2;
				if (lower)
					dfill = draw_diverging_fill(c, dbr, ndbr);
			}
		}
		/* on a map of points the regions are the background */
		const char *fill = cls < 0 || (mo->point_class && !mo->values && !mo->dvalues) ? zero_fill
				   : dfill ? dfill : fills[cls];
		int hl = mo->highlight && strcmp(mo->highlight, f->code) == 0;
		/* the region's name and value: its tooltip, and the name of its link */
		buf_reset(&tip);
		if (mo->dvalues && !isnan(mo->dvalues[i]) && mo->dbreaks && mo->dlabels) {
			/* categories (stars, strong): the legend's words */
			int c = 0;
			while (c < mo->ndbreaks && mo->dvalues[i] > mo->dbreaks[c])
				c++;
			buf_printf(&tip, "%s: %s", f->name ? f->name : f->code, mo->dlabels[c]);
		} else if (mo->dvalues && !isnan(mo->dvalues[i])) {
			char num[64];
			draw_num_text(num, sizeof(num), mo->dvalues[i], tipdec, ns);
			buf_printf(&tip, "%s: %s%s", f->name ? f->name : f->code, num, mo->dunit ? mo->dunit : "");
		} else if (mo->dvalues) {
			buf_printf(&tip, "%s: %s", f->name ? f->name : f->code, L(r, "brak danych", "no data"));
		} else if (mo->values)
			buf_printf(&tip, "%s: %lld", f->name ? f->name : f->code, mo->values[i]);
		else
			buf_puts(&tip, f->name ? f->name : f->code);
		if (mo->region_spot && mo->region_spot[i])   /* said in words too, not by the outline's colour alone */
			buf_puts(&tip, mo->region_spot[i] > 0 ? L(r, " — gorący punkt (Gi*)", " — hot spot (Gi*)")
							       : L(r, " — zimny punkt (Gi*)", " — cold spot (Gi*)"));
		int link = mo->link_prefix && (!mo->link_feature || mo->link_feature[i]);
		if (link) {
			struct buf href = BUF_INIT;
			buf_printf(&href, "%s%s", mo->link_prefix, f->code);
			if (linked)
				html_printf(out, "<a href=\"%s\" class=\"region\" data-teryt=\"%s\" aria-label=\"%s\">", href.ptr,
					    f->code, tip.ptr);
			else
				html_printf(out, "<a href=\"%s\" class=\"region\" data-teryt=\"%s\" tabindex=\"-1\">", href.ptr,
					    f->code);
			buf_release(&href);
		}
		html_printf(out, "<path d=\"%R\" data-code=\"%s\" fill=\"%s\" fill-rule=\"evenodd\" stroke=\"%s\""
			    " stroke-width=\"%s\"><title>%s</title></path>", ly->paths[i], f->code, fill, hl ? "#d94801" : "#555",
			    hl ? "3" : stroke_w, tip.ptr);
		if (link)
			buf_puts(out, "</a>");
	}
	buf_release(&tip);
	if (ly == &app->powiats && app->voiv.n)
		/* the voivodeships' borders over the powiats */
		for (i = 0; i < app->voiv.n; i++)
			html_printf(out, "<path class=\"outline\" d=\"%R\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>",
				    app->voiv_paths[i]);
	for (i = 0; mo->region_spot && i < ly->g.n; i++)   /* hot and cold regions outlined over the others */
		if (mo->region_spot[i] && ly->paths[i])
			html_printf(out, "<path class=\"%s-region\" data-code=\"%s\" d=\"%R\" fill=\"none\" stroke=\"%s\""
				    " stroke-width=\"2.5\" stroke-linejoin=\"round\"/>", mo->region_spot[i] > 0 ? "hot" : "cold",
				    ly->g.f[i].code, ly->paths[i], mo->region_spot[i] > 0 ? "#d7301f" : "#2166ac");
	for (i = 0; hotcold && i < mo->ncells; i++) {
		const double *c = mo->cells + 2 * mo->cell_pts * i;
		double x, y, lx = NAN, ly_ = NAN;
		size_t k;
		if (!mo->cell_class[i])
			continue;
		html_printf(out, "<polygon class=\"%s\" points=\"", mo->cell_class[i] > 0 ? "hot" : "cold");
		for (k = 0; k < mo->cell_pts; k++) {
			geo_project(&p, c[2 * k], c[2 * k + 1], &x, &y);
			x = round(x * 10) / 10;
			y = round(y * 10) / 10;
			if (x == lx && y == ly_)
				continue;   /* a point along the edge that rounds onto the one before */
			html_printf(out, "%s%.1f,%.1f", k ? " " : "", x, y);
			lx = x;
			ly_ = y;
		}
		html_printf(out, "\" fill=\"%s\" fill-opacity=\"0.45\"/>", mo->cell_class[i] > 0 ? "#d7301f" : "#2166ac");
	}
	for (i = 0; mo->point_spot && i < mo->npoints; i++) {
		double x, y;
		if (!mo->point_spot[i])
			continue;
		geo_project(&p, mo->points[2 * i], mo->points[2 * i + 1], &x, &y);
		html_printf(out, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"6.5\" fill=\"%s\" fill-opacity=\"0.45\"/>",
			    mo->point_spot[i] > 0 ? "hot" : "cold", x, y, mo->point_spot[i] > 0 ? "#d7301f" : "#2166ac");
	}
	for (i = 0; i < mo->npoints; i++) {
		double x, y;
		geo_project(&p, mo->points[2 * i], mo->points[2 * i + 1], &x, &y);
		if (!mo->point_class) {
			html_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" class=\"pt\"/>", x, y);
			continue;
		}
		html_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" class=\"fp%s\" data-cluster=\"%ld\">",
			    x, y, mo->point_class[i] < 0 ? "2" : "2.8", draw_cluster_colour(mo->point_class[i]),
			    mo->point_class[i] < 0 ? " noise" : "", mo->point_class[i]);
		if (mo->point_title && mo->point_title[i])
			html_printf(out, "<title>%s</title>", mo->point_title[i]);
		buf_puts(out, "</circle>");
	}
	if (legend || hotcold)
		/*
		 * The legend's text is dark (LEGEND_INK) on white that the picture paints itself, not on
		 * whatever the picture is shown on: so its contrast (15:1) holds in an image viewer's dark
		 * frame too, and a checker can tell it — axe-core cannot see behind SVG text and asks for
		 * a review, unless an element in front of the <svg> says its background: the stylesheet
		 * gives .legend-bg the background-color it fills with (klaster.css).
		 */
		html_printf(out, "<rect class=\"legend-bg\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>",
			    (int)MAP_H, (int)MAP_W, legend_h + (hotcold ? 20 : 0));
	if (mo->point_class) {
		int y = (int)MAP_H + 12, k;
		buf_puts(out, "<g class=\"legend\" font-size=\"12\" fill=\"" LEGEND_INK "\">");
		for (k = 0; k < 6; k++)
			html_printf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"%s\"/>", 16 + 13 * k, y + 6,
				    draw_cluster_colour(k));
		html_printf(out, "<text x=\"%d\" y=\"%d\">%s</text>", 16 + 13 * 6, y + 11,
			    L(r, "skupienia (kolory się powtarzają)", "clusters (colours repeat)"));
		html_printf(out, "<circle cx=\"330\" cy=\"%d\" r=\"4\" fill=\"%s\"/><text x=\"342\" y=\"%d\">%s</text></g>",
			    y + 6, draw_cluster_colour(-1), y + 11, L(r, "szum (poza skupieniami)", "noise (in no cluster)"));
	} else if (lg.n) {
		int k;
		buf_puts(out, "<g class=\"legend\" font-size=\"12\" fill=\"" LEGEND_INK "\">");
		for (k = 0; k < lg.n; k++) {
			int y = (int)MAP_H + 12 + 20 * lg.row[k];
			html_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"12\" fill=\"%s\" stroke=\"#555\"/>"
				    "<text x=\"%d\" y=\"%d\">%s</text>",
				    lg.x[k], y, lg.fill[k], lg.x[k] + 20, y + 11, lg.label[k]);
		}
		buf_puts(out, "</g>");
	} else if (mo->values) {
		int y = (int)MAP_H + 12;
		long long lo = 1;
		html_printf(out, "<g class=\"legend\" font-size=\"12\" fill=\"" LEGEND_INK "\">"
			    "<rect x=\"10\" y=\"%d\" width=\"16\" height=\"12\" fill=\"%s\" stroke=\"#555\"/>"
			    "<text x=\"30\" y=\"%d\">0</text>", y, zero_fill, y + 11);
		for (i = 0; i < 5; i++) {
			char label[64];
			long long hi = i < 4 ? br[i] : max;
			if (hi < lo)
				continue;
			if (hi == lo)
				snprintf(label, sizeof(label), "%lld", lo);
			else
				snprintf(label, sizeof(label), "%lld–%lld", lo, hi);
			html_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"12\" fill=\"%s\" stroke=\"#555\"/>"
				    "<text x=\"%d\" y=\"%d\">%s</text>",
				    70 + (int)i * 105, y, fills[i], 90 + (int)i * 105, y + 11, label);
			lo = hi + 1;
		}
		html_printf(out, "</g>");
	}
	if (hotcold) {
		/* regions are outlined, cells and points filled */
		int y = (int)MAP_H + legend_h + 4;
		const char *hot = mo->region_spot ? "fill=\"none\" stroke=\"#d7301f\" stroke-width=\"2.5\""
						  : "fill=\"#d7301f\" fill-opacity=\"0.45\"";
		const char *cold = mo->region_spot ? "fill=\"none\" stroke=\"#2166ac\" stroke-width=\"2.5\""
						   : "fill=\"#2166ac\" fill-opacity=\"0.45\"";
		html_printf(out, "<g class=\"legend\" font-size=\"12\" fill=\"" LEGEND_INK "\">"
			    "<rect x=\"10\" y=\"%d\" width=\"16\" height=\"12\" %R/>"
			    "<text x=\"30\" y=\"%d\">%s</text>"
			    "<rect x=\"300\" y=\"%d\" width=\"16\" height=\"12\" %R/>"
			    "<text x=\"320\" y=\"%d\">%s</text></g>", y, hot, y + 11,
			    L(r, "gorący punkt (Gi*, p < 0,05)", "hot spot (Gi*, p < 0.05)"), y, cold, y + 11,
			    L(r, "zimny punkt (Gi*, p < 0,05)", "cold spot (Gi*, p < 0.05)"));
	}
	buf_puts(out, "</svg>");
}

void map_attribution(struct req *r, struct buf *out, const struct map_layer *layer)
{
	if (layer && layer == &r->app->nuts2)
		html_printf(out, "<p class=\"muted\">%s</p>",
			    L(r, "Granice regionów NUTS 2021: Eurostat GISCO (przez eurostat/mortality-viz, EUPL-1.2);"
				 " © EuroGeographics dla granic administracyjnych.",
			      "NUTS 2021 boundaries: Eurostat GISCO (via eurostat/mortality-viz, EUPL-1.2);"
				 " © EuroGeographics for the administrative boundaries."));
}
