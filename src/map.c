/* map.c — the server-rendered SVG map of Poland (see web.h, http.h). */
#include "web.h"

#include "draw.h"
#include "esc.h"
#include <math.h>

#define MAP_W 600.0
#define MAP_H 560.0

int app_load_map(struct app *app, struct db *db, struct kerr *e)
{
	struct db_stmt *st;
	struct buf fc = BUF_INIT;
	int r, n = 0;
	size_t i;
	struct geo_proj p;

	if (db_prepare(db, "SELECT teryt, name, geojson FROM region WHERE level = 'voivodeship'"
		       " AND geojson IS NOT NULL ORDER BY teryt", &st, e))
		return -1;
	buf_puts(&fc, "{\"type\":\"FeatureCollection\",\"features\":[");
	while ((r = db_step(st, e)) == 1) {
		buf_printf(&fc, "%s{\"type\":\"Feature\",\"properties\":{\"teryt\":", n++ ? "," : "");
		esc_json(&fc, db_col_text(st, 0));
		buf_puts(&fc, ",\"name\":");
		esc_json(&fc, db_col_text(st, 1));
		buf_printf(&fc, "},\"geometry\":%s}", db_col_text(st, 2));
	}
	db_finalize(st);
	buf_puts(&fc, "]}");
	if (r < 0) {
		buf_release(&fc);
		return -1;
	}
	app->map_w = MAP_W;
	app->map_h = MAP_H;
	if (n == 0) {
		/* no reference data yet: the map is simply empty */
		buf_release(&fc);
		memset(&app->voiv, 0, sizeof(app->voiv));
		return 0;
	}
	if (geo_layer_parse(&app->voiv, fc.ptr, fc.len, "region table", "teryt", "name", e)) {
		buf_release(&fc);
		return -1;
	}
	buf_release(&fc);
	geo_proj_fit(&p, app->voiv.bbox, MAP_W, MAP_H, 8);
	app->voiv_paths = xcalloc(app->voiv.n, sizeof(*app->voiv_paths));
	for (i = 0; i < app->voiv.n; i++) {
		struct buf b = BUF_INIT;
		geo_svg_path(&b, &p, &app->voiv.f[i], 0.6);
		app->voiv_paths[i] = buf_detach(&b, NULL);
	}
	return 0;
}

void app_release(struct app *app)
{
	size_t i;
	if (app->voiv_paths)
		for (i = 0; i < app->voiv.n; i++)
			free(app->voiv_paths[i]);
	free(app->voiv_paths);
	app->voiv_paths = NULL;
	geo_layer_release(&app->voiv);
	db_pool_close(app->pool);
	app->pool = NULL;
	kcache_free(app->cache);
	app->cache = NULL;
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

void map_svg(struct req *r, struct buf *out, const struct map_opts *mo)
{
	const struct app *app = r->app;
	struct geo_proj p;
	long long max = 0, br[4];
	size_t i;
	int w = mo->width ? mo->width : (int)MAP_W;

	html_printf(out, "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
		    " width=\"%d\" role=\"img\" aria-labelledby=\"map-title\">"
		    "<title id=\"map-title\">%s</title>",
		    (int)MAP_W, (int)MAP_H + (mo->values || mo->dvalues ? 40 : 0), w,
		    mo->legend_title ? mo->legend_title : L(r, "Mapa województw", "Map of voivodeships"));
	if (!app->voiv.n) {
		html_printf(out, "<text x=\"20\" y=\"40\">%s</text></svg>",
			    L(r, "Brak granic województw w bazie (klaster import reference).",
			      "No voivodeship boundaries in the database (klaster import reference)."));
		return;
	}
	geo_proj_fit(&p, app->voiv.bbox, MAP_W, MAP_H, 8);
	if (mo->values)
		for (i = 0; i < app->voiv.n; i++)
			if (mo->values[i] > max)
				max = mo->values[i];
	for (i = 0; i < 4; i++)
		br[i] = (long long)((double)max * (double)(i + 1) / 5.0 + 0.999);
	/* real values: five classes at the quantiles */
	double dbr[4] = { 0, 0, 0, 0 };
	int ndbr = mo->dvalues ? draw_quantile_breaks(mo->dvalues, app->voiv.n, 5, dbr) : 0;
	for (i = 0; i < app->voiv.n; i++) {
		const struct geo_feature *f = &app->voiv.f[i];
		int cls = mo->values ? (mo->values[i] ? class_of(mo->values[i], br) : -1) : 0;
		if (mo->dvalues) {
			double v = mo->dvalues[i];
			int c = 0;
			if (isnan(v)) {
				cls = -1;
			} else {
				while (c < ndbr && v > dbr[c])
					c++;
				/* spread the classes used over the palette */
				cls = ndbr > 0 ? c * 4 / ndbr : 2;
			}
		}
		const char *fill = cls < 0 ? zero_fill : fills[cls];
		int hl = mo->highlight && strcmp(mo->highlight, f->code) == 0;
		if (mo->link_prefix) {
			struct buf href = BUF_INIT;
			buf_printf(&href, "%s%s", mo->link_prefix, f->code);
			html_printf(out, "<a href=\"%s\" class=\"region\" data-teryt=\"%s\">", href.ptr, f->code);
			buf_release(&href);
		}
		html_printf(out, "<path d=\"%R\" fill=\"%s\" fill-rule=\"evenodd\" stroke=\"%s\" stroke-width=\"%s\">",
			    r->app->voiv_paths[i], fill, hl ? "#d94801" : "#555", hl ? "3" : "0.8");
		if (mo->dvalues && !isnan(mo->dvalues[i]))
			html_printf(out, "<title>%s: %.3f</title>", f->name ? f->name : f->code, mo->dvalues[i]);
		else if (mo->values)
			html_printf(out, "<title>%s: %lld</title>", f->name ? f->name : f->code, mo->values[i]);
		else
			html_printf(out, "<title>%s</title>", f->name ? f->name : f->code);
		buf_puts(out, "</path>");
		if (mo->link_prefix)
			buf_puts(out, "</a>");
	}
	for (i = 0; i < mo->npoints; i++) {
		double x, y;
		geo_project(&p, mo->points[2 * i], mo->points[2 * i + 1], &x, &y);
		html_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" class=\"pt\"/>", x, y);
	}
	if (mo->dvalues && ndbr > 0) {
		int y = (int)MAP_H + 12, c;
		html_printf(out, "<g class=\"legend\" font-size=\"12\">"
			    "<rect x=\"10\" y=\"%d\" width=\"16\" height=\"12\" fill=\"%s\" stroke=\"#555\"/>"
			    "<text x=\"30\" y=\"%d\">%s</text>", y, zero_fill, y + 11,
			    L(r, "brak", "n/a"));
		for (c = 0; c <= ndbr; c++) {
			char label[64];
			if (c == 0)
				snprintf(label, sizeof(label), "≤ %.2f", dbr[0]);
			else if (c == ndbr)
				snprintf(label, sizeof(label), "> %.2f", dbr[ndbr - 1]);
			else
				snprintf(label, sizeof(label), "%.2f–%.2f", dbr[c - 1], dbr[c]);
			html_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"12\" fill=\"%s\" stroke=\"#555\"/>"
				    "<text x=\"%d\" y=\"%d\">%s</text>",
				    75 + c * 105, y, fills[c * 4 / ndbr], 95 + c * 105, y + 11, label);
		}
		buf_puts(out, "</g>");
	} else if (mo->values) {
		int y = (int)MAP_H + 12;
		long long lo = 1;
		html_printf(out, "<g class=\"legend\" font-size=\"12\">"
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
	buf_puts(out, "</svg>");
}
