/*
 * web_cmap.h — what the portal's cluster-map pages share (web_map.c: the map, the region
 * profile, the downloads and the API; web_related.c: related industries): the dataset a
 * request names, loaded with its indicators (cmap_load), where its regions are drawn
 * (cmap_geo_match), and the pieces every page of it is built from.  Internal to the portal.
 */
#ifndef KLASTER_WEB_CMAP_H
#define KLASTER_WEB_CMAP_H

#include "web.h"

#include "dataset.h"
#include "related.h"
#include "indic.h"
#include "mapping.h"
#include "nuts.h"

/* Everything a cluster-map request needs, loaded and computed. */
struct cmap {
	struct dataset_info info;
	struct cube cube;
	struct indic_result res;
	size_t ind, year;
	const char *indicator;
	enum indic_base base;   /* all, or traded (base=traded) */
	double band_km;    /* hot spots with this band; 0: none */
	char notice[640];  /* the choices the page replaced, one sentence each ("" when none); for the API,
			      a base=traded a change does not apply and the regions a change cannot
			      compare (its "notice") */
	char from_lq_error[300];  /* why a profile's year compared with has no LQs ("" when it has) */
	int change;        /* the indicator is a change between two years (mapping_is_change) */
	size_t from;       /* its first year (the year shown is its last) */
	struct indic_shift sh;   /* with change: the shift-share between them (indic_shift_share) */
	char lang[3];      /* the request's lang= ("pl", "en"), which the page's links and form keep; "" */
	/* What a page's links and tabs keep of the choices made on another page, so that a round trip
	 * (the map, a region's profile, related industries, back) comes back to them (cmap_url): */
	const char *carry_ind;        /* the industry shown (the map) or asked for (a profile, the related
					 industries), a code of the cube; NULL: none */
	char carry_indicator[24];     /* an indicator other than the LQ a profile or the related
					 industries were asked for (they show none); "" */
	int carry_from;               /* a year of the cube asked for as from=, kept where the page
					 shows no change (a profile compares with it); 0: none */
};


/* Where the regions of a dataset are drawn: the layer, chosen from the
 * dataset's region kind and its codes, and each region's place on it (a
 * NUTS 2013 code may be drawn as one or several NUTS 2021 regions: FR24 as
 * FRB0, PL12 as PL91 and PL92; nuts.h). */
struct cmap_geo {
	const struct map_layer *layer;   /* NULL: the voivodeships */
	const struct geo_layer *g;
	const char *kind;                /* "voivodeships", "powiats", "nuts2" */
	struct nuts_place *place;        /* per dataset region: its features, or why it has none */
	struct nuts_place *hs_place;     /* the same for hot spots: a region too small to draw at the
					    map's scale (Ceuta, Melilla on the map of Europe) on its
					    boundary all the same, as the command line counts and names it
					    (what is drawn must not change the statistics) */
	size_t nunmatched;               /* regions of the year not on the map */
	size_t nvia;                     /* regions drawn through the NUTS correspondence */
};


/* CMAP_PAGE: the page (notices rather than errors, its language); CMAP_PROFILE: a region profile
 * (no industry, indicator or band; from= computed too); CMAP_ALL_YEARS: the indicators of every
 * year (the download of a whole dataset or region) — unless the request is of one year (year=,
 * band_km's hot spots, a change's shift-share), so that a problem of another year (a region
 * without traded employment there) does not stop it — else of the year shown only, as
 * `klaster map indicators --year`.  CMAP_NO_BAND: band_km is not read (the page of a band it
 * refused, shown without hot spots); CMAP_NO_INDICATOR, CMAP_NO_BASE, CMAP_NO_YEAR (year and to),
 * CMAP_NO_FROM: the same for the other choices the page refuses (a year not written as one). */
enum { CMAP_PAGE = 1, CMAP_PROFILE = 2, CMAP_ALL_YEARS = 4, CMAP_NO_BAND = 8, CMAP_NO_INDICATOR = 16,
       CMAP_NO_BASE = 32, CMAP_NO_YEAR = 64, CMAP_NO_FROM = 128 };

/* The request's dataset (dataset=, else the first), its year and base and the indicators of
 * flags' choice, into m (released with cmap_release in every case; *dsname, the first dataset's
 * name when none was asked for, is the caller's to free).  0, or -1 with e: KERR_NOTFOUND for a
 * dataset that is not there, KERR_INPUT naming the parameter ("year: …") for a bad one. */
int cmap_load(struct req *r, struct cmap *m, char **dsname, int flags, struct kerr *e);
void cmap_release(struct cmap *m);
/* related_compute of m's cube and year into rel (related_release), kept for the next page of
 * the same dataset, year and data generation (dscache.h) and copied from there when it was. */
int cmap_related(const struct cmap *m, struct related *rel, struct kerr *e);
/* A query parameter, NULL when it is not text (the page shows it refused, cmap_args_refused). */
const char *cmap_arg(struct req *r, const char *name);
/* The parameters of names (NULL-terminated) that are not text, each a line "name: why" added
 * to refused (lines apart by "\n"): a page's choices refused, shown above its form. */
void cmap_args_refused(struct req *r, const char *const *names, struct buf *refused);
/* Chooses the layer the regions are drawn on and places them (cmap_geo_release). */
void cmap_geo_match(struct req *r, const struct cmap *m, struct cmap_geo *cg);
void cmap_geo_release(struct cmap_geo *cg);
/* Region rr's name: the dataset's, else its boundary's; NULL when neither says. */
const char *cmap_region_name(const struct cmap *m, const struct cmap_geo *cg, size_t rr);
/* The regions the data leaves unnamed (Eurostat's codes) named in m's cube from cg's boundaries,
 * as the page names them (for the downloads and the API, as `--region-names` names them). */
void cmap_name_regions(struct cmap *m, const struct cmap_geo *cg);
/* The table cell of region rr: its name, linked to its profile. */
void cmap_region_cell(struct req *r, const struct cmap *m, const struct cmap_geo *cg, size_t rr);
/* Industry i's name in the page's language ("" when it has none). */
const char *cmap_ind_label(const struct req *r, const struct cube *c, size_t i);
/* ,"industry_name":…,"industry_name_pl":…,"industry_name_en":… of industry i. */
void cmap_json_ind_names(struct buf *b, const struct cube *c, size_t i);
/* ,"key":v as the downloads' rows write numbers (tablew_num_text), null when v is not finite. */
void cmap_json_num(struct buf *b, const char *key, double v);
/* The address of the dataset's page pg with the year and base shown, and region or industry
 * when not NULL: appended to u (URL-escaped, not yet HTML-escaped). */
void cmap_url(struct buf *u, const struct cmap *m, const char *pg, const char *region, const char *industry);
/* A number in the page's language with dec decimals ("–" for NAN) into out (n bytes; 64 hold
 * any); returns out. */
const char *cmap_num_text(const struct req *r, char *out, size_t n, double v, int dec);
/* A number cell of class cls in the page's language, dec decimals; "–" for NAN. */
void cmap_num_cell(struct req *r, double v, int dec, const char *cls);
/* A paragraph of class cls: CSV at url (URL-escaped) named label, and the same as XLSX. */
void cmap_download_links(struct req *r, const char *cls, const char *url, const char *label);
/* The form's label of field name, for an error alert naming it; NULL for another. */
const char *cmap_label(struct req *r, const char *name);
/* A page's beginning: the page titled title, the heading, the tabs (tab, WEB_TAB_*, current),
 * the lead, the choices refused (error: "field: why" lines, or NULL; the page is then a 400) and
 * the form (to action) opened with its choice of dataset; the caller adds the other fields and
 * closes the form. */
void cmap_head(struct req *r, const struct cmap *m, int tab, const char *title, const char *lead,
	       const char *action, const char *error);
/* The form's choice of year (when the dataset has several). */
void cmap_year_field(struct req *r, const struct cmap *m);
/* The form's choice of LQ base (when the dataset has traded flags, or base was refused). */
void cmap_base_field(struct req *r, const struct cmap *m);
/* A workbook's second sheet, "source": the dataset, its source and licence, base_line (what
 * the numbers are computed against) and when and where it was downloaded. */
void cmap_xlsx_notes(struct req *r, const struct cmap *m, struct tablew *t, const char *base_line);

#endif
