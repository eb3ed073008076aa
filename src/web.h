/*
 * web.h — the pages and the JSON API served by klaster (handlers for the
 * route table in web.c) and the shared page furniture.  Every piece of
 * data goes into HTML through html_printf/esc_* (esc.h).
 */
#ifndef KLASTER_WEB_H
#define KLASTER_WEB_H

#include "dir.h"
#include "http.h"
#include "tablew.h"

/* Page layout: writes the head, the header with navigation and the
 * language switch; page_end closes it with the footer. */
void page_begin(struct req *r, const char *title);
void page_end(struct req *r);
void web_error_page(struct req *r, int status, const char *message);
/* Opens a POST form to action (class cls may be NULL) with the visitor's
 * CSRF token in a hidden field; the caller writes the fields and </form>. */
void form_open(struct req *r, const char *action, const char *cls);
/* The same for a form with a file (upload 1: sent as multipart/form-data, to an R_UPLOAD route). */
void form_open_upload(struct req *r, const char *action, const char *cls, int upload);

/* Form pieces: a labelled input (attrs: raw extra attributes written by
 * the caller, e.g. "required autocomplete=\"email\"", or NULL), a
 * labelled textarea, and a message box (cls "error" or "notice"). */
void web_field(struct req *r, const char *name, const char *label, const char *type, const char *value,
	       const char *attrs);
void web_textarea(struct req *r, const char *name, const char *label, const char *value, int rows,
		  const char *attrs);
void web_alert(struct req *r, const char *cls, const char *message);
/*
 * Fields with a hint (may be NULL): a line under the label, id
 * "f-NAME-hint", which the control names in aria-describedby.  Every field
 * whose attrs hold "required" has a visible mark after its label, and the
 * first such field of a form (since form_open) is preceded by the legend
 * of the mark.  A form's own required controls (a select) call
 * web_required_legend before their field and put web_required_mark()
 * (raw HTML, for %R) after their label text.
 */
void web_field_hint(struct req *r, const char *name, const char *label, const char *type, const char *value,
		    const char *attrs, const char *hint);
void web_textarea_hint(struct req *r, const char *name, const char *label, const char *value, int rows,
		       const char *attrs, const char *hint);
void web_required_legend(struct req *r);
const char *web_required_mark(void);
/*
 * The second step of a destructive action, which works without JavaScript.
 * web_confirmed is 1 when the posted form carries confirm=1.  Otherwise the
 * handler, after its role check and before it changes anything, answers
 * with web_confirm_page: a page titled title saying what will happen
 * (what: whom or what it touches, how many), and a form posting to action
 * the request's form fields named in keep (NULL-terminated, may be NULL)
 * with confirm=1 and the visitor's CSRF token, its button labelled button,
 * beside a link back (a path of this site) that cancels.  The buttons that
 * start such an action carry data-confirm="question": klaster.js asks it
 * with confirm() and, when accepted, posts confirm=1 at once.
 */
int web_confirmed(struct req *r);
void web_confirm_page(struct req *r, const char *title, const char *what, const char *action,
		      const char *const *keep, const char *button, const char *back);
/* An error alert of a form: message holds one problem a line, "field:
 * reason" (org_from_form; field may hold a '-', for a field whose id is
 * not its name, as delete-current), shown in the page's language; several
 * become a list.  Every field named is marked aria-invalid by the web_field and
 * web_textarea calls that follow, and, when label (may be NULL) names it,
 * shown by its label, linked to its input (#f-field).  web_alert(r,
 * "error", m) is web_form_errors(r, m, NULL). */
void web_form_errors(struct req *r, const char *message, const char *(*label)(struct req *r, const char *field));
/* " aria-invalid=\"true\"" when the last error alert named field name (for a form's own
 * controls, such as a select), else "". */
const char *web_invalid(const struct req *r, const char *name);
/* A membership's earlier periods (struct member's earlier), as
 * "earlier: 2018-01-10 – 2020-06-30, …" in the page's language, with
 * lead before it; nothing when there are none. */
void web_member_earlier(struct req *r, struct buf *out, const struct member *m, const char *lead);

/* PKD codes (of edition version, separated by any of seps) as a list, each
 * with its name in the page's language (dir_pkd_name). */
void web_pkd_list(struct req *r, int version, const char *codes, const char *seps);
/* The links between the pages 1..pages of a list, current page page
 * (nothing when pages <= 1): previous, the first two, page ± 2, the last
 * two, next.  link(ctx, p, out) appends the address of page p; it is
 * escaped here. */
void web_pages(struct req *r, long page, long pages, void (*link)(void *ctx, long p, struct buf *out), void *ctx);
/*
 * A decision taken on a page of a paged list comes back to that page:
 * web_page_input writes the page of the request's query (?page=N) into
 * the form being written as a hidden field (nothing on page 1), and
 * web_redirect_page redirects to where (a path, maybe with a query) with
 * the posted form's page added.  A page that is missing or not a number
 * from 2 to 100000 is page 1: the decision is taken either way.
 */
void web_page_input(struct req *r);
void web_redirect_page(struct req *r, const char *where);
/* p when it is a path of this site ("/news/1?x=y"), else "/": the one
 * rule for every redirect to an address a request names (login's next=,
 * the language switch's back=), so that none leads to another site. */
const char *web_local_path(const char *p);

/*
 * A result table (tablew.h) sent as the response, an attachment.  tablew
 * writes files, so the table goes through a temporary file:
 * web_table_open opens it (CSV or XLSX) with its sheet name and columns
 * (NULL-terminated), the caller writes the rows into wt->t (and on failure
 * calls tablew_abort(wt->t)), web_table_send closes it and moves its bytes
 * into the response with the content type and the file name, which must
 * be safe in a header.  Both return 0, or -1 with the message in e and
 * nothing sent; the temporary file never outlives the call.  It is made in
 * a directory of the process's own (mkdtemp, mode 0700, in $TMPDIR or
 * /tmp, removed at exit), never at a name in a shared directory.
 */
struct web_table {
	struct tablew *t;
	enum tablew_format fmt;
	char tmp[320];
};
int web_table_open(struct req *r, struct web_table *wt, enum tablew_format fmt, const char *sheet,
		   const char *const *cols, struct kerr *e);
int web_table_send(struct req *r, struct web_table *wt, const char *filename, struct kerr *e);
/* Closes the table and appends its bytes to out instead (a JSON table inside an answer of the
 * API); 0, or -1 with the message in e.  The temporary file is removed in either case. */
int web_table_read(struct web_table *wt, struct buf *out, struct kerr *e);
/* The request's path and the query arguments the portal's pages use, URL-escaped
 * (the way back of the language switch, the address a download came from). */
void web_self_url(struct req *r, struct buf *out);
/*
 * One address a page: a request whose path is not canon (a number written
 * otherwise, "02" or "001" for 1) is sent on for good (301) to canon with
 * its query (the page's arguments, ?lang= and ?saved=), so that links,
 * bookmarks and search engines meet one address.  1 when redirected.
 */
int web_canonical_path(struct req *r, const char *canon);

/* The query parameters names (NULL-terminated) must each be given at most
 * once (which of two values was meant cannot be known) and be text: UTF-8
 * without control characters.  -1 with e (KERR_INPUT, "name: why" in the request's
 * language, English on the API; why says how to percent-encode) for the
 * first that is not, else 0.  The API's routes and the cluster map's and
 * firm points' pages and downloads check their parameters with it. */
int web_args_text(struct req *r, const char *const *names, struct kerr *e);
/* Unix seconds t as "2026-11-23 23:50 UTC" into out; "" for t <= 0 (never happened). */
void web_time_utc(long long t, char out[32]);

/* The route tables of the parts of the portal (see route_tables). */
extern const struct route web_routes[], account_routes[], admin_routes[], offer_routes[], service_routes[],
	news_routes[], newsletter_routes[], moderation_routes[];
/* The cluster map's firm points (web_points.c). */
extern const struct route points_routes[];
/* The cluster map's related industries (web_related.c). */
extern const struct route related_routes[];
/* The cluster map's trend of an industry in a region (web_trend.c). */
extern const struct route trend_routes[];
/* The administrator's page of the cluster map's datasets and firm lists (web_datasets.c). */
extern const struct route dataset_routes[];

/* The SVG map of Poland's voivodeships, or of another layer of the app
 * (app->powiats, app->nuts2).  values (one per feature of the layer, may
 * be NULL) colour the regions in five classes; each region links to
 * link_prefix + code when link_prefix is given; points (lon,lat pairs) are
 * drawn as dots.  Every drawn region is a <path data-code="CODE">. */
struct map_opts {
	const long long *values;
	const double *dvalues;      /* instead of values: real numbers in 5 quantile classes (NAN = no data) */
	const double *dbreaks;      /* with dvalues: ndbreaks fixed upper bounds of categories (0–3 stars)
				       instead of the quantiles, named by dlabels (ndbreaks + 1), or NULL */
	int ndbreaks;
	const char *const *dlabels;
	const char *dunit;          /* with dvalues: after each number of the legend and the tooltips
				       (" %" for shares), or NULL */
	int diverging;              /* with dvalues: values around 0 (a change) in classes that diverge
				       from 0, reds below and blues from it (draw_diverging_breaks,
				       draw_diverging_fill), each break beginning its class */
	const char *legend_title;
	const char *link_prefix;
	const double *points;
	size_t npoints;
	const char *highlight;      /* TERYT of a region to outline, or NULL */
	int width;
	const struct map_layer *layer;  /* NULL: the voivodeships */
	const long *point_class;    /* per point: a cluster (0..) in its colour (draw_cluster_colour), -1
				       noise in grey, with a legend; NULL: every point in one colour */
	const char *const *point_title; /* per point a tooltip (escaped here), or NULL */
	const double *cells;        /* grid cells as their outlines, cell_pts lon, lat pairs each
				       (spatial_spot_cells; read only for the cells drawn, cell_class not 0),
				       or NULL */
	const signed char *cell_class;  /* per cell: 1 hot spot, -1 cold spot (drawn, with a legend), 0 not drawn */
	size_t ncells, cell_pts;
	const signed char *point_spot;  /* per point: 1 hot spot, -1 cold spot (a ring under the dot, with the
					   legend of the cells), 0 none; or NULL */
	const signed char *region_spot; /* per feature of the layer: 1 hot spot, -1 cold spot (a red or blue
					   outline, with a legend), 0 none; or NULL */
	const unsigned char *link_feature; /* with link_prefix: per feature of the layer, 1 when it is a link,
					      0 when it is drawn without one (a boundary the data has no region
					      on); NULL: every feature is a link */
};
void map_svg(struct req *r, struct buf *out, const struct map_opts *mo);
/* The source line a layer's boundaries require under a map (nothing for
 * the Polish layers, credited in the footer). */
void map_attribution(struct req *r, struct buf *out, const struct map_layer *layer);
/* The portal's map of Europe as it is stored (nuts_region: the NUTS-2 regions, then the NUTS-3
 * parts) into L, the caller's to release (geo_layer_release); empty when there is none.  0, or -1
 * with e. */
int map_load_nuts(struct db *db, struct geo_layer *L, struct kerr *e);

/* Handlers (web.c, api.c). */
void h_home(struct req *r);
void h_orgs(struct req *r);
void h_orgs_csv(struct req *r);
void h_orgs_xlsx(struct req *r);
void h_org(struct req *r);
void h_clusters(struct req *r);
void h_cluster(struct req *r);
void h_map(struct req *r);
void h_map_svg(struct req *r);
void h_lang(struct req *r);
void h_static(struct req *r);
void h_health(struct req *r);
void h_api_orgs(struct req *r);
void h_api_org(struct req *r);
void h_api_org_post(struct req *r);
void h_api_org_patch(struct req *r);
void h_api_clusters(struct req *r);
void h_api_cluster(struct req *r);
void h_api_regions(struct req *r);
void h_api_pkd(struct req *r);
void h_api_stats(struct req *r);
void h_cluster_map(struct req *r);
void h_cluster_map_csv(struct req *r);
void h_cluster_map_image(struct req *r);
/* Answers a download's format= that names none of csv, xlsx, geojson: 400 through answer
 * (req_error, or a page's own error), quoting the value given (at most 40 bytes). */
void web_bad_format(struct req *r, const char *fmt, void (*answer)(struct req *, int, const char *));
void h_api_datasets(struct req *r);
void h_api_dataset(struct req *r);
void h_api_cluster_map(struct req *r);
void h_cluster_region(struct req *r);
void h_api_cluster_region(struct req *r);
void h_firm_points(struct req *r);
void h_firm_points_csv(struct req *r);
void h_firm_hotspots_csv(struct req *r);
void h_api_firm_datasets(struct req *r);
/* Firm list d as GET /api/v1/firm-datasets lists it — "name", "title", "source", "licence",
 * "firms", "skipped" and "values" (each stored value with its firms that have it and lack it),
 * the members without the object's braces — appended to out: 0, or -1 with e when db cannot
 * give its values (out then holds part of them). */
struct firms_info;
int web_firm_list_json(struct buf *out, struct db *db, const struct firms_info *d, struct kerr *e);
void h_api_firm_clusters(struct req *r);
void h_api_firm_hotspots(struct req *r);
/* The cluster map's tabs, which one the page is (WEB_TAB_*) marked current; query (URL-escaped,
 * or NULL) is added to the statistics tabs' links, which show the same dataset. */
enum { WEB_TAB_MAP, WEB_TAB_REGION, WEB_TAB_RELATED, WEB_TAB_POINTS };
void web_cluster_map_tabs(struct req *r, int which, const char *query);
/* A dataset's or firm list's source and licence, each labelled, under its map ("Źródło: …
 * · Licencja: …"; a source that names itself, "Źródło / source: GUS", as it is); nothing when
 * neither is given (NULL or empty). */
void web_source_para(struct req *r, const char *source, const char *licence);
/* Whether a source's text begins with its own label ("Source", "Źródło", "źródło"). */
int web_source_labelled(const char *source);
/* A plain decimal number of kilometres from lo to hi in field's value s
 * (a decimal comma is a point, as Polish is written; no sign, exponent,
 * hex or inf; a comma before exactly three digits, "1,000", may be a
 * thousands separator and is refused, saying to write 1000): 0, or -1 with
 * a message naming the field (KERR_INPUT). */
int web_km_value(struct req *r, const char *field, const char *s, double lo, double hi, double *out, struct kerr *e);
void h_openapi(struct req *r);

/* Reads and checks the org_query parameters of the request (shared by
 * pages, CSV and API); -1 with a message for a 400 on bad input.  The
 * strings point into the request and live as long as it. */
int web_org_query(struct req *r, struct org_query *q, struct kerr *e);
/* dir_org_search through the search-result cache (cache.h): the ids and
 * the total of a page are cached per query and data generation, the rows
 * themselves are always read fresh. */
int web_org_search(struct req *r, const struct org_query *q, long long *total,
		   int (*each)(void *ctx, const struct org *o), void *ctx, struct kerr *e);

/* An API request (GET or HEAD) whose query holds a parameter its operation does not take in the
 * OpenAPI document (/api/v1/openapi.json), nor lang=, is answered 400 naming it and those it takes ("indicatr:
 * not a parameter of this request (it takes dataset, industry … or band_km)"), before any work or
 * cache: a mistyped parameter is not dropped unseen, answering with the default instead.  0 when
 * answered, else 1 (also for an address the document does not describe). */
int web_api_query_ok(struct req *r);
/* A query parameter that is not one of params (NULL-terminated) answered with a 400 naming it and
 * the first nnamed of params as those the request takes ("none" for 0), adding "; nothing was
 * done" when done is not NULL ("stored", "deleted"): -1; 0 when every one is taken. */
int web_param_refused(struct req *r, const char *const *params, size_t nnamed, const char *done);

#endif
