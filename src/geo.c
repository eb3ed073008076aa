/*
 * geo.c — GeoJSON boundary layers, projection, SVG paths and
 * point-in-polygon.  See geo.h for the contracts.
 */
#include "geo.h"

#include <jansson.h>
#include <math.h>

#include "jsonerr.h"
#include "outfile.h"

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

/* What a parse is looking at, for messages. */
struct parse_ctx {
	const char *src;
	const char *code_prop;
	const char *name_prop;
	size_t fi;           /* index of the current feature */
	const char *code;    /* its code once read, else NULL */
	struct kerr *e;
};

/* Sets "SRC: feature N (code C): MESSAGE" as KERR_INPUT; returns -1. */
__attribute__((format(printf, 2, 3)))
static int feat_err(const struct parse_ctx *c, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->code)
		return kerr_set(c->e, KERR_INPUT, "%s: feature %zu (code %s): %s",
				c->src, c->fi + 1, c->code, msg);
	return kerr_set(c->e, KERR_INPUT, "%s: feature %zu: %s", c->src, c->fi + 1, msg);
}

static void bbox_empty(double bb[4])
{
	bb[0] = bb[1] = HUGE_VAL;
	bb[2] = bb[3] = -HUGE_VAL;
}

static void bbox_add(double bb[4], double lon, double lat)
{
	if (lon < bb[0])
		bb[0] = lon;
	if (lat < bb[1])
		bb[1] = lat;
	if (lon > bb[2])
		bb[2] = lon;
	if (lat > bb[3])
		bb[3] = lat;
}

static void bbox_union(double bb[4], const double other[4])
{
	bbox_add(bb, other[0], other[1]);
	bbox_add(bb, other[2], other[3]);
}

/*
 * Reads one ring (an array of positions) into r, growing the feature box.
 * where is "ring 1" or "polygon 2, ring 1".
 */
static int parse_ring(const struct parse_ctx *c, json_t *jr, const char *where,
		      struct geo_ring *r, double bb[4])
{
	size_t i, n;

	if (!json_is_array(jr))
		return feat_err(c, "%s: not an array of positions", where);
	n = json_array_size(jr);
	if (n < 4)
		return feat_err(c, "%s: %zu point%s, a ring needs at least 4",
				where, n, n == 1 ? "" : "s");
	r->xy = xmalloc(st_mult(st_mult(n, 2), sizeof(*r->xy)));
	r->n = n;
	for (i = 0; i < n; i++) {
		json_t *pos = json_array_get(jr, i);
		json_t *jx, *jy;
		double lon, lat;

		if (!json_is_array(pos) || json_array_size(pos) < 2)
			return feat_err(c, "%s, point %zu: not a [longitude, latitude] array",
					where, i + 1);
		jx = json_array_get(pos, 0);
		jy = json_array_get(pos, 1);
		if (!json_is_number(jx) || !json_is_number(jy))
			return feat_err(c, "%s, point %zu: coordinate is not a number",
					where, i + 1);
		lon = json_number_value(jx);
		lat = json_number_value(jy);
		if (!(lon >= -180.0 && lon <= 180.0))
			return feat_err(c, "%s, point %zu: longitude %g outside [-180, 180]",
					where, i + 1, lon);
		if (!(lat >= -90.0 && lat <= 90.0))
			return feat_err(c, "%s, point %zu: latitude %g outside [-90, 90]",
					where, i + 1, lat);
		r->xy[2 * i] = lon;
		r->xy[2 * i + 1] = lat;
		bbox_add(bb, lon, lat);
	}
	return 0;
}

/* Reads Polygon coordinates; pi is the index in a MultiPolygon or -1. */
static int parse_polygon(const struct parse_ctx *c, json_t *jp, long pi,
			 struct geo_polygon *p, double bb[4])
{
	char where[64];
	size_t i, n;

	if (pi >= 0)
		snprintf(where, sizeof(where), "polygon %ld", pi + 1);
	else
		snprintf(where, sizeof(where), "polygon");
	if (!json_is_array(jp))
		return feat_err(c, "%s: not an array of rings", where);
	n = json_array_size(jp);
	if (n == 0)
		return feat_err(c, "%s: has no rings", where);
	p->rings = xcalloc(n, sizeof(*p->rings));
	p->nrings = n;
	for (i = 0; i < n; i++) {
		if (pi >= 0)
			snprintf(where, sizeof(where), "polygon %ld, ring %zu", pi + 1, i + 1);
		else
			snprintf(where, sizeof(where), "ring %zu", i + 1);
		if (parse_ring(c, json_array_get(jp, i), where, &p->rings[i], bb))
			return -1;
	}
	return 0;
}

static int parse_geometry(const struct parse_ctx *c, json_t *jg,
			  struct geo_feature *f)
{
	json_t *coords;
	const char *type;
	size_t i, n;

	if (!json_is_object(jg))
		return feat_err(c, "geometry missing");
	type = json_string_value(json_object_get(jg, "type"));
	if (!type)
		return feat_err(c, "geometry has no \"type\"");
	coords = json_object_get(jg, "coordinates");
	if (strcmp(type, "Polygon") == 0) {
		f->polys = xcalloc(1, sizeof(*f->polys));
		f->npolys = 1;
		return parse_polygon(c, coords, -1, &f->polys[0], f->bbox);
	}
	if (strcmp(type, "MultiPolygon") != 0)
		return feat_err(c, "geometry type '%s' not supported (only Polygon and MultiPolygon)",
				type);
	if (!json_is_array(coords))
		return feat_err(c, "MultiPolygon coordinates are not an array of polygons");
	n = json_array_size(coords);
	if (n == 0)
		return feat_err(c, "MultiPolygon has no polygons");
	f->polys = xcalloc(n, sizeof(*f->polys));
	f->npolys = n;
	for (i = 0; i < n; i++)
		if (parse_polygon(c, json_array_get(coords, i), (long)i, &f->polys[i], f->bbox))
			return -1;
	return 0;
}

/* Sets f->code from the code property: a non-empty string or an integer
 * (counted in *numeric: a number has no leading zeros, "02" is 2).  A
 * missing property is told with the properties the feature has; a null
 * one as null. */
static int parse_code(const struct parse_ctx *c, json_t *props,
		      struct geo_feature *f, size_t *numeric)
{
	json_t *v;
	char num[32];

	if (!c->code_prop) {   /* a layer read as an area: the features' numbers */
		snprintf(num, sizeof(num), "%zu", c->fi + 1);
		f->code = xstrdup(num);
		return 0;
	}
	v = json_is_object(props) ? json_object_get(props, c->code_prop) : NULL;
	if (v && json_is_null(v))
		/* the feature has the property, without a value: naming its other properties would
		 * say it has none */
		return feat_err(c, "property '%s' is null: every feature needs its region code", c->code_prop);
	if (!v) {
		/* the properties it has, so that the right --code-property is one look away */
		char have[256] = "";
		const char *key;
		json_t *val;
		size_t n = 0, at = 0;
		if (json_is_object(props))
			json_object_foreach(props, key, val) {
				int w;
				(void)val;
				if (n == 8) {
					if (at + 6 < sizeof(have))
						at += (size_t)snprintf(have + at, sizeof(have) - at, ", …");
					break;
				}
				w = snprintf(have + at, sizeof(have) - at, "%s%.40s", n ? ", " : "", key);
				if (w < 0 || (size_t)w >= sizeof(have) - at)
					break;
				at += (size_t)w;
				n++;
			}
		if (!n)
			return feat_err(c, "property '%s' missing (the feature has no properties)", c->code_prop);
		return feat_err(c, "property '%s' missing; the feature has %s: name the one that holds the region codes "
				"with --code-property", c->code_prop, have);
	}
	if (json_is_string(v)) {
		if (json_string_length(v) == 0)
			return feat_err(c, "property '%s' is empty", c->code_prop);
		f->code = xstrdup(json_string_value(v));
		return 0;
	}
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		f->code = xstrdup(num);
		(*numeric)++;
		return 0;
	}
	return feat_err(c, "property '%s' must be a string or an integer", c->code_prop);
}

static int parse_feature(struct parse_ctx *c, json_t *jf, struct geo_layer *L)
{
	struct geo_feature *f = &L->f[L->n - 1];
	json_t *props, *v;
	const char *type;
	size_t i;

	c->code = NULL;
	bbox_empty(f->bbox);
	if (!json_is_object(jf))
		return feat_err(c, "not a JSON object");
	type = json_string_value(json_object_get(jf, "type"));
	if (!type || strcmp(type, "Feature") != 0)
		return feat_err(c, "type is not \"Feature\"");
	props = json_object_get(jf, "properties");
	if (parse_code(c, props, f, &L->numeric_codes))
		return -1;
	for (i = 0; i + 1 < L->n; i++)
		if (strcmp(L->f[i].code, f->code) == 0)
			return feat_err(c, "property '%s' is '%s', the same as feature %zu",
					c->code_prop, f->code, L->f[i].num);
	f->num = c->fi + 1;
	c->code = f->code;
	if (c->name_prop && json_is_object(props)) {
		v = json_object_get(props, c->name_prop);
		if (json_is_string(v))
			f->name = xstrdup(json_string_value(v));
		else if (v && !json_is_null(v))
			return feat_err(c, "property '%s' must be a string", c->name_prop);
	}
	return parse_geometry(c, json_object_get(jf, "geometry"), f);
}

int geo_layer_parse(struct geo_layer *L, const char *json, size_t len,
		    const char *src, const char *code_prop,
		    const char *name_prop, struct kerr *e)
{
	struct parse_ctx c = { src, code_prop, name_prop, 0, NULL, e };
	json_t *root, *features;
	const char *type;
	size_t n;
	int rc = -1;

	memset(L, 0, sizeof(*L));
	/* a byte-order mark, as Windows editors save UTF-8, is skipped as in every other input;
	 * UTF-16 is named, not left to the JSON parser's "unable to decode byte 0xff" */
	if (len >= 2 && (memcmp(json, "\xFF\xFE", 2) == 0 || memcmp(json, "\xFE\xFF", 2) == 0))
		return kerr_set(e, KERR_INPUT, "%s: the file is in UTF-16; GeoJSON is UTF-8: convert it "
				"(iconv -f utf-16 -t utf-8)", src);
	if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {
		json += 3;
		len -= 3;
	}
	/* a JSON error in klaster's words: line, column, feature and field, and what to change */
	if (!(root = jsonerr_load(json, len, 0, JSONERR_GEOJSON, src, e)))
		return -1;
	type = json_is_object(root) ? json_string_value(json_object_get(root, "type")) : NULL;
	if (!type || strcmp(type, "FeatureCollection") != 0) {
		kerr_set(e, KERR_INPUT, "%s: not a GeoJSON FeatureCollection", src);
		goto cleanup;
	}
	features = json_object_get(root, "features");
	if (!json_is_array(features)) {
		kerr_set(e, KERR_INPUT, "%s: \"features\" is not an array", src);
		goto cleanup;
	}
	n = json_array_size(features);
	if (n == 0) {
		kerr_set(e, KERR_INPUT, "%s: the FeatureCollection has no features", src);
		goto cleanup;
	}
	L->f = xcalloc(n, sizeof(*L->f));
	bbox_empty(L->bbox);
	for (c.fi = 0; c.fi < n; c.fi++) {
		json_t *jf = json_array_get(features, c.fi);
		if (json_is_object(jf) && json_is_null(json_object_get(jf, "geometry"))) {
			/* an unlocated feature (RFC 7946 3.2), as klaster's own layers write a region
			 * without a boundary: nothing to draw or to find a point in */
			L->unlocated++;
			continue;
		}
		L->n++;   /* so a release frees what this feature got */
		if (parse_feature(&c, jf, L))
			goto cleanup;
		bbox_union(L->bbox, L->f[L->n - 1].bbox);
	}
	if (!L->n) {
		if (n == 1)
			kerr_set(e, KERR_INPUT, "%s: its one feature's geometry is null: nothing to draw", src);
		else
			kerr_set(e, KERR_INPUT, "%s: no feature has a geometry (all %zu are null): nothing to draw", src, n);
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (rc)
		geo_layer_release(L);
	json_decref(root);
	return rc;
}

int geo_read_file(const char *path, struct buf *b, struct kerr *e)
{
	char chunk[65536];
	size_t got;
	FILE *fp;
	int rc = -1;

	fp = fopen(path, "rb");
	if (!fp)
		return kerr_set(e, KERR_IO, "cannot open %s: %s", path, strerror(errno));
	outfile_input(fileno(fp), path);
	b->cap = GEO_MAX_FILE;
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0 && !buf_failed(b))
		buf_add(b, chunk, got);
	if (ferror(fp))
		kerr_set(e, KERR_IO, "%s: read error", path);
	else if (b->err == BUF_ETOOBIG)
		kerr_set(e, KERR_TOOBIG, "%s: larger than %zu MiB", path, GEO_MAX_FILE >> 20);
	else if (b->err)
		kerr_set(e, KERR_INTERNAL, "%s: out of memory", path);
	else
		rc = 0;
	fclose(fp);
	return rc;
}

int geo_layer_load(struct geo_layer *L, const char *path,
		   const char *code_prop, const char *name_prop,
		   struct kerr *e)
{
	struct buf b = BUF_INIT;
	int rc = -1;

	memset(L, 0, sizeof(*L));
	if (geo_read_file(path, &b, e) == 0)
		rc = geo_layer_parse(L, b.ptr, b.len, path, code_prop, name_prop, e);
	buf_release(&b);
	return rc;
}

int geo_layer_append(struct geo_layer *L, struct geo_layer *more, const char *src, struct kerr *e)
{
	size_t i;
	for (i = 0; i < more->n; i++)
		if (geo_layer_find(L, more->f[i].code))
			return kerr_set(e, KERR_INPUT, "%s: feature %zu: code '%s' is already in the layer", src,
					more->f[i].num, more->f[i].code);   /* its number in the file (num) */
	if (!more->n)
		return 0;
	L->f = xrealloc(L->f, st_mult(sizeof(*L->f), st_add(L->n, more->n)));
	memcpy(L->f + L->n, more->f, more->n * sizeof(*more->f));
	if (!L->n)
		memcpy(L->bbox, more->bbox, sizeof(L->bbox));
	L->bbox[0] = fmin(L->bbox[0], more->bbox[0]);
	L->bbox[1] = fmin(L->bbox[1], more->bbox[1]);
	L->bbox[2] = fmax(L->bbox[2], more->bbox[2]);
	L->bbox[3] = fmax(L->bbox[3], more->bbox[3]);
	L->n += more->n;
	L->numeric_codes += more->numeric_codes;
	free(more->f);
	memset(more, 0, sizeof(*more));
	return 0;
}

void geo_layer_release(struct geo_layer *L)
{
	size_t i, j, k;

	for (i = 0; i < L->n; i++) {
		struct geo_feature *f = &L->f[i];
		for (j = 0; j < f->npolys; j++) {
			for (k = 0; k < f->polys[j].nrings; k++)
				free(f->polys[j].rings[k].xy);
			free(f->polys[j].rings);
		}
		free(f->polys);
		free(f->code);
		free(f->name);
	}
	free(L->f);
	memset(L, 0, sizeof(*L));
}

int geo_bbox_overlaps(const double a[4], const double b[4])
{
	return a[2] > b[0] && a[0] < b[2] && a[3] > b[1] && a[1] < b[3];
}

const struct geo_feature *geo_layer_find(const struct geo_layer *L,
					 const char *code)
{
	size_t i;

	if (!code)
		return NULL;
	for (i = 0; i < L->n; i++)
		if (strcmp(L->f[i].code, code) == 0)
			return &L->f[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Projection                                                          */
/* ------------------------------------------------------------------ */

/* Extents below this many degrees (about 0.1 mm) count as zero. */
#define GEO_EPS_DEG 1e-12

void geo_proj_fit(struct geo_proj *p, const double bbox[4], double width,
		  double height, double margin)
{
	double aw = width - 2 * margin, ah = height - 2 * margin;
	double dx, dy;

	if (!(aw > 0))
		aw = 0;
	if (!(ah > 0))
		ah = 0;
	p->lon0 = (bbox[0] + bbox[2]) / 2;
	p->lat0 = (bbox[1] + bbox[3]) / 2;
	p->kx = cos(p->lat0 * M_PI / 180.0);
	if (!(p->kx >= 0.01))
		p->kx = 0.01;
	p->x0 = width / 2;
	p->y0 = height / 2;
	dx = (bbox[2] - bbox[0]) * p->kx;
	dy = bbox[3] - bbox[1];
	if (dx > GEO_EPS_DEG && dy > GEO_EPS_DEG)
		p->k = fmin(aw / dx, ah / dy);
	else if (dx > GEO_EPS_DEG)
		p->k = aw / dx;
	else if (dy > GEO_EPS_DEG)
		p->k = ah / dy;
	else
		p->k = 1;
}

void geo_project(const struct geo_proj *p, double lon, double lat,
		 double *x, double *y)
{
	*x = p->x0 + p->k * p->kx * (lon - p->lon0);
	*y = p->y0 - p->k * (lat - p->lat0);
}

/* ------------------------------------------------------------------ */
/* Ring helpers                                                        */
/* ------------------------------------------------------------------ */

/* Number of distinct points: n without a closing repeat of the first. */
static size_t ring_len(const struct geo_ring *r)
{
	size_t n = r->n;

	if (n > 1 && r->xy[0] == r->xy[2 * (n - 1)] && r->xy[1] == r->xy[2 * (n - 1) + 1])
		n--;
	return n;
}

/*
 * Twice the signed area of the closed ring through m points pt[2*i],
 * pt[2*i+1] (positive when counter-clockwise in a y-up frame).  Computed
 * relative to the first point to keep precision.
 */
static double ring_area2(const double *pt, size_t m)
{
	double a = 0;
	size_t i;

	for (i = 0; i + 1 < m; i++) {
		double xi = pt[2 * i] - pt[0], yi = pt[2 * i + 1] - pt[1];
		double xj = pt[2 * i + 2] - pt[0], yj = pt[2 * i + 3] - pt[1];
		a += xi * yj - xj * yi;
	}
	return a;
}

/* 1 if a horizontal ray from (x, y) to +x crosses the ring an odd number of times. */
static int ring_odd(const struct geo_ring *r, double x, double y)
{
	const double *v = r->xy;
	size_t i, j, n = r->n;
	int odd = 0;

	if (n == 0)
		return 0;
	for (i = 0, j = n - 1; i < n; j = i++) {
		double xi = v[2 * i], yi = v[2 * i + 1];
		double xj = v[2 * j], yj = v[2 * j + 1];
		/* The half-open test never picks a horizontal edge, so yj != yi. */
		if ((yi > y) != (yj > y) &&
		    x < xi + (y - yi) * (xj - xi) / (yj - yi))
			odd = !odd;
	}
	return odd;
}

static int polygon_contains(const struct geo_polygon *p, double x, double y)
{
	size_t k;
	int odd = 0;

	for (k = 0; k < p->nrings; k++)
		odd ^= ring_odd(&p->rings[k], x, y);
	return odd;
}

/* ------------------------------------------------------------------ */
/* SVG path data                                                       */
/* ------------------------------------------------------------------ */

/* Scratch space for one ring, reused across rings. */
struct scratch {
	size_t cap;           /* points the arrays hold */
	double *pt;           /* 2*cap projected coordinates */
	unsigned char *keep;  /* cap flags */
	size_t *stack;        /* 2*(cap+2) index pairs for Douglas-Peucker */
};

static void scratch_reserve(struct scratch *s, size_t m)
{
	if (m <= s->cap)
		return;
	s->pt = xrealloc(s->pt, st_mult(st_mult(m, 2), sizeof(*s->pt)));
	s->keep = xrealloc(s->keep, m);
	s->stack = xrealloc(s->stack, st_mult(st_mult(st_add(m, 2), 4), sizeof(*s->stack)));
	s->cap = m;
}

static void scratch_release(struct scratch *s)
{
	free(s->pt);
	free(s->keep);
	free(s->stack);
}

/* Squared distance from point p to the segment a-b. */
static double seg_dist2(const double *p, const double *a, const double *b)
{
	double dx = b[0] - a[0], dy = b[1] - a[1];
	double len2 = dx * dx + dy * dy, t = 0;
	double ex, ey;

	if (len2 > 0) {
		t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
		if (t < 0)
			t = 0;
		else if (t > 1)
			t = 1;
	}
	ex = a[0] + t * dx - p[0];
	ey = a[1] + t * dy - p[1];
	return ex * ex + ey * ey;
}

/*
 * The point strictly between ring positions a < b (indices taken mod m,
 * so b may equal m for the closing point) farthest from the chord a-b;
 * returns its position and stores the squared distance in *d2.
 */
static size_t farthest(const double *pt, size_t m, size_t a, size_t b, double *d2)
{
	const double *pa = pt + 2 * (a % m), *pb = pt + 2 * (b % m);
	size_t i, best = a + 1;

	*d2 = -1;
	for (i = a + 1; i < b; i++) {
		double d = seg_dist2(pt + 2 * (i % m), pa, pb);
		if (d > *d2) {
			*d2 = d;
			best = i;
		}
	}
	return best;
}

/*
 * Douglas-Peucker on the closed ring of m > 4 points in s->pt: sets
 * s->keep and returns how many points are kept.  Point 0 and the point
 * farthest from it anchor the two chains; afterwards points are added,
 * farthest first, until at least 4 are kept.
 */
static size_t simplify_ring(struct scratch *s, size_t m, double tol)
{
	const double *pt = s->pt;
	double tol2 = tol * tol, d2, best2;
	size_t i, far = 0, top = 0, kept = 2, a, b, c;

	memset(s->keep, 0, m);
	best2 = -1;
	for (i = 1; i < m; i++) {
		double dx = pt[2 * i] - pt[0], dy = pt[2 * i + 1] - pt[1];
		if (dx * dx + dy * dy > best2) {
			best2 = dx * dx + dy * dy;
			far = i;
		}
	}
	s->keep[0] = s->keep[far] = 1;
	/* Chains 0..far and far..m, where position m is point 0 again. */
	s->stack[top++] = 0;
	s->stack[top++] = far;
	s->stack[top++] = far;
	s->stack[top++] = m;
	while (top) {
		b = s->stack[--top];
		a = s->stack[--top];
		if (b - a < 2)
			continue;
		c = farthest(pt, m, a, b, &d2);
		if (d2 <= tol2)
			continue;
		s->keep[c] = 1;
		kept++;
		s->stack[top++] = a;
		s->stack[top++] = c;
		s->stack[top++] = c;
		s->stack[top++] = b;
	}
	while (kept < 4) {
		size_t pick = 0;
		best2 = -1;
		/* Walk the kept points in order; m closes the ring at point 0. */
		for (a = 0; a < m; a = b) {
			for (b = a + 1; b < m && !s->keep[b]; b++)
				;
			if (b - a >= 2) {
				c = farthest(pt, m, a, b, &d2);
				if (d2 > best2) {
					best2 = d2;
					pick = c;
				}
			}
		}
		if (!pick)
			break;   /* cannot happen with m > 4; stay safe */
		s->keep[pick] = 1;
		kept++;
	}
	return kept;
}

/* One coordinate, rounded to one decimal, never "-0.0". */
static void put_coord(struct buf *out, double v)
{
	v = round(v * 10.0) / 10.0;
	if (v == 0)
		v = 0;   /* turns -0.0 into 0.0 */
	buf_printf(out, "%.1f", v);
}

void geo_svg_path(struct buf *out, const struct geo_proj *p,
		  const struct geo_feature *f, double tol_px)
{
	struct scratch s = { 0, NULL, NULL, NULL };
	size_t pi, k, i, m;

	for (pi = 0; pi < f->npolys; pi++) {
		const struct geo_polygon *poly = &f->polys[pi];
		for (k = 0; k < poly->nrings; k++) {
			const struct geo_ring *r = &poly->rings[k];
			int first = 1;

			m = ring_len(r);
			if (m < 3) {
				if (k == 0)
					break;   /* no outer ring: skip its holes too */
				continue;
			}
			scratch_reserve(&s, m);
			for (i = 0; i < m; i++)
				geo_project(p, r->xy[2 * i], r->xy[2 * i + 1],
					    &s.pt[2 * i], &s.pt[2 * i + 1]);
			if (tol_px > 0 && fabs(ring_area2(s.pt, m)) < 2.0) {
				if (k == 0)
					break;
				continue;
			}
			if (tol_px > 0 && m > 4)
				simplify_ring(&s, m, tol_px);
			else
				memset(s.keep, 1, m);
			for (i = 0; i < m; i++) {
				if (!s.keep[i])
					continue;
				buf_putc(out, first ? 'M' : 'L');
				put_coord(out, s.pt[2 * i]);
				buf_putc(out, ' ');
				put_coord(out, s.pt[2 * i + 1]);
				first = 0;
			}
			buf_putc(out, 'Z');
		}
	}
	scratch_release(&s);
}

/* ------------------------------------------------------------------ */
/* Point location and labels                                           */
/* ------------------------------------------------------------------ */

int geo_feature_contains(const struct geo_feature *f, double lon, double lat)
{
	size_t i;

	if (!(lon >= f->bbox[0] && lon <= f->bbox[2] &&
	      lat >= f->bbox[1] && lat <= f->bbox[3]))
		return 0;
	for (i = 0; i < f->npolys; i++)
		if (polygon_contains(&f->polys[i], lon, lat))
			return 1;
	return 0;
}

long geo_layer_locate(const struct geo_layer *L, double lon, double lat)
{
	size_t i;

	if (!(lon >= L->bbox[0] && lon <= L->bbox[2] &&
	      lat >= L->bbox[1] && lat <= L->bbox[3]))
		return -1;
	for (i = 0; i < L->n; i++)
		if (geo_feature_contains(&L->f[i], lon, lat))
			return (long)i;
	return -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Midpoint of the widest stretch of the line at latitude y that lies
 * inside p (even-odd over all its rings).  Returns 0 and sets *x, or -1
 * if the line misses the polygon.
 */
static int widest_span(const struct geo_polygon *p, double y, double *x)
{
	double *xs, best = -1;
	size_t k, i, j, n = 0, total = 0;

	for (k = 0; k < p->nrings; k++)
		total = st_add(total, p->rings[k].n);
	if (total == 0)
		return -1;
	ALLOC_ARRAY(xs, total);
	for (k = 0; k < p->nrings; k++) {
		const struct geo_ring *r = &p->rings[k];
		const double *v = r->xy;
		for (i = 0, j = r->n - 1; i < r->n; j = i++) {
			double xi = v[2 * i], yi = v[2 * i + 1];
			double xj = v[2 * j], yj = v[2 * j + 1];
			if ((yi > y) != (yj > y))
				xs[n++] = xi + (y - yi) * (xj - xi) / (yj - yi);
		}
	}
	/* Each closed ring crosses the line an even number of times. */
	qsort(xs, n, sizeof(*xs), cmp_double);
	for (i = 0; i + 1 < n; i += 2) {
		if (xs[i + 1] - xs[i] > best) {
			best = xs[i + 1] - xs[i];
			*x = (xs[i] + xs[i + 1]) / 2;
		}
	}
	free(xs);
	return best >= 0 ? 0 : -1;
}

void geo_feature_label_point(const struct geo_feature *f, double *lon,
			     double *lat)
{
	const struct geo_polygon *p = NULL;
	const struct geo_ring *r;
	double best = -1, a2 = 0, cx = 0, cy = 0, x0, y0, bb[4];
	size_t i, j;

	*lon = (f->bbox[0] + f->bbox[2]) / 2;
	*lat = (f->bbox[1] + f->bbox[3]) / 2;
	for (i = 0; i < f->npolys; i++) {
		const struct geo_polygon *q = &f->polys[i];
		double a;
		if (q->nrings == 0 || q->rings[0].n == 0)
			continue;
		a = fabs(ring_area2(q->rings[0].xy, q->rings[0].n));
		if (a > best) {
			best = a;
			p = q;
		}
	}
	if (!p)
		return;
	r = &p->rings[0];

	/*
	 * Area-weighted centroid, relative to the first vertex.  Computing it
	 * in degrees is fine: the projection is affine in lon and lat, and
	 * affine maps keep centroids.
	 */
	x0 = r->xy[0];
	y0 = r->xy[1];
	bbox_empty(bb);
	for (i = 0; i < r->n; i++) {
		double xi, yi, xj, yj, cross;
		j = (i + 1) % r->n;
		xi = r->xy[2 * i] - x0;
		yi = r->xy[2 * i + 1] - y0;
		xj = r->xy[2 * j] - x0;
		yj = r->xy[2 * j + 1] - y0;
		cross = xi * yj - xj * yi;
		a2 += cross;
		cx += (xi + xj) * cross;
		cy += (yi + yj) * cross;
		bbox_add(bb, r->xy[2 * i], r->xy[2 * i + 1]);
	}
	if (a2 != 0 && isfinite(cx / (3 * a2)) && isfinite(cy / (3 * a2))) {
		cx = x0 + cx / (3 * a2);
		cy = y0 + cy / (3 * a2);
	} else {
		cx = (bb[0] + bb[2]) / 2;
		cy = (bb[1] + bb[3]) / 2;
	}
	if (polygon_contains(p, cx, cy)) {
		*lon = cx;
		*lat = cy;
		return;
	}
	/*
	 * Concave or holed: the widest interior span at the centroid's
	 * latitude, else at mid-height of the ring (a degenerate centroid).
	 */
	if (widest_span(p, cy, &cx) == 0) {
		*lon = cx;
		*lat = cy;
		return;
	}
	cy = (bb[1] + bb[3]) / 2;
	if (widest_span(p, cy, &cx) == 0) {
		*lon = cx;
		*lat = cy;
		return;
	}
	*lon = x0;   /* no area at all */
	*lat = y0;
}

/* Features without area, as GEOS takes them: the centroid of their outline (each edge's middle
 * weighted by its length), or, when that has no length either, the mean of the rings' first
 * points. */
static void geo_outline_centroid(const struct geo_layer *L, const long *idx, size_t n, double *lon,
				 double *lat)
{
	double len = 0, sx = 0, sy = 0, px = 0, py = 0;
	size_t k, i, q, j, np = 0;
	for (k = 0; k < n; k++) {
		const struct geo_feature *f = &L->f[idx[k]];
		for (i = 0; i < f->npolys; i++)
			for (q = 0; q < f->polys[i].nrings; q++) {
				const struct geo_ring *r = &f->polys[i].rings[q];
				if (r->n == 0)
					continue;
				px += r->xy[0];
				py += r->xy[1];
				np++;
				for (j = 0; j < r->n; j++) {
					size_t m = (j + 1) % r->n;
					double dx = r->xy[2 * m] - r->xy[2 * j], dy = r->xy[2 * m + 1] - r->xy[2 * j + 1];
					double d = sqrt(dx * dx + dy * dy);
					len += d;
					sx += d * (r->xy[2 * j] + r->xy[2 * m]) / 2;
					sy += d * (r->xy[2 * j + 1] + r->xy[2 * m + 1]) / 2;
				}
			}
	}
	if (len > 0 && isfinite(sx / len) && isfinite(sy / len)) {
		*lon = sx / len;
		*lat = sy / len;
	} else if (np) {
		*lon = px / (double)np;
		*lat = py / (double)np;
	} else {
		geo_feature_label_point(&L->f[idx[0]], lon, lat);
	}
}

int geo_centroid(const struct geo_layer *L, const long *idx, size_t n, double *lon, double *lat)
{
	double x0 = 0, y0 = 0, a2 = 0, cx = 0, cy = 0;
	int based = 0;
	size_t k, i, q, j;

	for (k = 0; k < n; k++) {
		const struct geo_feature *f = &L->f[idx[k]];
		for (i = 0; i < f->npolys; i++)
			for (q = 0; q < f->polys[i].nrings; q++) {
				const struct geo_ring *r = &f->polys[i].rings[q];
				double ra = 0, rx = 0, ry = 0, sign;
				if (r->n == 0)
					continue;
				if (!based) {   /* relative to the first vertex, for precision */
					x0 = r->xy[0];
					y0 = r->xy[1];
					based = 1;
				}
				for (j = 0; j < r->n; j++) {
					size_t m = (j + 1) % r->n;
					double xi = r->xy[2 * j] - x0, yi = r->xy[2 * j + 1] - y0;
					double xj = r->xy[2 * m] - x0, yj = r->xy[2 * m + 1] - y0;
					double cross = xi * yj - xj * yi;
					ra += cross;
					rx += (xi + xj) * cross;
					ry += (yi + yj) * cross;
				}
				/* outer rings add their area, holes take theirs away */
				sign = (ra < 0) == (q == 0) ? -1.0 : 1.0;
				a2 += sign * ra;
				cx += sign * rx;
				cy += sign * ry;
			}
	}
	if (a2 > 0 && isfinite(cx / (3 * a2)) && isfinite(cy / (3 * a2))) {
		*lon = x0 + cx / (3 * a2);
		*lat = y0 + cy / (3 * a2);
		return 0;
	}
	geo_outline_centroid(L, idx, n, lon, lat);
	return -1;
}

/* ---- GeoJSON out ---- */

void geo_features_geojson(struct buf *out, const struct geo_layer *L, const long *idx, size_t n)
{
	size_t k, p, r, i;
	int first = 1;
	if (!n) {
		buf_puts(out, "null");
		return;
	}
	buf_puts(out, "{\"type\":\"MultiPolygon\",\"coordinates\":[");
	for (k = 0; k < n; k++) {
		const struct geo_feature *f = &L->f[idx[k]];
		for (p = 0; p < f->npolys; p++) {
			buf_puts(out, first ? "[" : ",[");
			first = 0;
			for (r = 0; r < f->polys[p].nrings; r++) {
				const struct geo_ring *g = &f->polys[p].rings[r];
				size_t m = ring_len(g);   /* without a closing point: it is written here */
				/* RFC 7946 3.1.6: outer rings counter-clockwise, holes clockwise; a ring
				 * turning the other way is written backwards from the same first point */
				double a = ring_area2(g->xy, m);
				int back = r ? a > 0 : a < 0;
				buf_puts(out, r ? ",[" : "[");
				for (i = 0; i <= m; i++) {
					size_t q = (back ? m - i : i) % m;
					buf_printf(out, "%s[%.10g,%.10g]", i ? "," : "", g->xy[2 * q], g->xy[2 * q + 1]);
				}
				buf_putc(out, ']');
			}
			buf_putc(out, ']');
		}
	}
	buf_puts(out, "]}");
}

/* ---- ETRS89-LAEA (EPSG:3035) ---- */

/* GRS 1980 and the projection's origin (geo.h). */
#define LAEA_A 6378137.0
#define LAEA_INVF 298.257222101
#define LAEA_LAT0 52.0
#define LAEA_LON0 10.0
#define LAEA_FE 4321000.0
#define LAEA_FN 3210000.0

/* The constants of IOGP Guidance Note 7-2, method 9820, computed once. */
struct laea {
	double e, e2, qp, rq, d, sinb0, cosb0;
};

/* q of the note at latitude phi (radians). */
static double laea_q(const struct laea *c, double phi)
{
	double s = sin(phi);
	return (1 - c->e2) * (s / (1 - c->e2 * s * s) - 1 / (2 * c->e) * log((1 - c->e * s) / (1 + c->e * s)));
}

/* The note's constants; computed at each call (a dozen operations), which
 * keeps the functions free of shared state. */
static void laea_consts(struct laea *c)
{
	double f = 1 / LAEA_INVF, phi0 = LAEA_LAT0 * M_PI / 180, q0, b0, s0 = sin(phi0);
	c->e2 = 2 * f - f * f;
	c->e = sqrt(c->e2);
	c->qp = laea_q(c, M_PI / 2);
	q0 = laea_q(c, phi0);
	c->rq = LAEA_A * sqrt(c->qp / 2);
	b0 = asin(q0 / c->qp);
	c->sinb0 = sin(b0);
	c->cosb0 = cos(b0);
	c->d = LAEA_A * (cos(phi0) / sqrt(1 - c->e2 * s0 * s0)) / (c->rq * c->cosb0);
}

void geo_laea_forward(double lat, double lon, double *x, double *y)
{
	struct laea c;
	double q, r, beta, b, dl = (lon - LAEA_LON0) * M_PI / 180;
	laea_consts(&c);
	q = laea_q(&c, lat * M_PI / 180);
	r = q / c.qp;
	beta = asin(r > 1 ? 1 : r < -1 ? -1 : r);
	b = c.rq * sqrt(2 / (1 + c.sinb0 * sin(beta) + c.cosb0 * cos(beta) * cos(dl)));
	*x = LAEA_FE + b * c.d * cos(beta) * sin(dl);
	*y = LAEA_FN + b / c.d * (c.cosb0 * sin(beta) - c.sinb0 * cos(beta) * cos(dl));
}

void geo_laea_inverse(double x, double y, double *lat, double *lon)
{
	struct laea c;
	double de = x - LAEA_FE, dn = y - LAEA_FN, rho, cc, bp, e4, e6, s, phi;
	int i;
	laea_consts(&c);
	e4 = c.e2 * c.e2;
	e6 = e4 * c.e2;
	rho = sqrt(de * de / (c.d * c.d) + c.d * c.d * dn * dn);
	if (rho < 1e-9) {
		*lat = LAEA_LAT0;
		*lon = LAEA_LON0;
		return;
	}
	s = rho / (2 * c.rq);
	cc = 2 * asin(s > 1 ? 1 : s);
	s = cos(cc) * c.sinb0 + c.d * dn * sin(cc) * c.cosb0 / rho;
	bp = asin(s > 1 ? 1 : s < -1 ? -1 : s);
	*lon = LAEA_LON0 +
	       atan2(de * sin(cc), c.d * rho * c.cosb0 * cos(cc) - c.d * c.d * dn * c.sinb0 * sin(cc)) * 180 / M_PI;
	phi = bp + (c.e2 / 3 + 31 * e4 / 180 + 517 * e6 / 5040) * sin(2 * bp) +
	      (23 * e4 / 360 + 251 * e6 / 3780) * sin(4 * bp) + (761 * e6 / 45360) * sin(6 * bp);
	/* the note's series leaves up to 1.4e-8° (1.6 mm) in the south of the area; two Newton steps
	 * on q(phi) = qp sin(beta') (dq/dphi = 2 (1 - e²) cos phi / (1 - e² sin² phi)², Snyder 3-16)
	 * bring the latitude to the last bits, so that a corner projected forward is on the grid */
	for (i = 0; i < 2 && fabs(cos(phi)) > 1e-12; i++) {
		double sp = sin(phi), w = 1 - c.e2 * sp * sp;
		phi += (c.qp * sin(bp) - laea_q(&c, phi)) * w * w / (2 * (1 - c.e2) * cos(phi));
	}
	*lat = phi * 180 / M_PI;
}

int geo_laea_in_area(double lat, double lon)
{
	return lat >= GEO_LAEA_SOUTH && lat <= GEO_LAEA_NORTH && lon >= GEO_LAEA_WEST && lon <= GEO_LAEA_EAST;
}
