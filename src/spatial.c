/*
 * spatial.c — DBSCAN and Getis–Ord on points through a grid index, and the
 * firm-point reader.  See spatial.h.
 */
#include <math.h>
#include <sys/stat.h>

#include "csv.h"
#include "esc.h"
#include "geo.h"
#include "nuts.h"
#include "outfile.h"
#include "spatial.h"
#include "stats.h"

#include "progress.h"
#include "strset.h"

/* ---- the grid index ---- */

/*
 * Points live in cells of a uniform grid: on the globe the points are unit
 * vectors (x, y, z) and a cell is a cube as wide as the chord of the search
 * radius; in the plane a cell is a square as wide as the radius.  Every
 * neighbour of a point then lies in the point's cell or one next to it
 * (27 cells, 9 in the plane).  The cells that hold points are found by a
 * hash table over the cell coordinates, so memory is O(n) whatever the
 * extent of the points.
 */
struct cellkey {
	int64_t k[3];
};

struct slot {
	struct cellkey key;
	size_t start, end;    /* the cell's points: order[start .. end) */
	size_t open;          /* DBSCAN: how many of them have no cluster yet, kept first:
				 order[start .. start + open) (grid_take) */
};

struct grid {
	int sphere;
	size_t n;
	/* per point, in cell order (position m holds point order[m]):
	 * sphere: the unit vector (x, y, z), latitude a and longitude b in
	 * radians and cos(a); plane: x = a, y = b */
	double *x, *y, *z, *a, *b, *cosa;
	size_t *order;          /* point indices sorted by cell */
	size_t *pos;            /* pos[i]: the position of point i in cell order */
	uint32_t *cellof;       /* per point (input order): its cell, an index of slots */
	/* sphere: haversine's reduced distance sin²(d / 2) <= limit, scikit-
	 * learn's test; chord² = 4 sin²(d / 2) decides alone outside
	 * [lo, hi], a band around 4 limit wider than its rounding error.
	 * plane: dx² + dy² <= limit */
	double limit, lo, hi;
	double cell;
	struct slot *slots;     /* the occupied cells, in cell order */
	size_t nslots;
	uint32_t *tab;          /* hash table of the cells: slot index + 1, 0 = empty */
	size_t mask;
};

static uint64_t mix64(uint64_t v)
{
	v ^= v >> 30;
	v *= 0xbf58476d1ce4e5b9ULL;
	v ^= v >> 27;
	v *= 0x94d049bb133111ebULL;
	v ^= v >> 31;
	return v;
}

static size_t key_hash(const struct cellkey *c)
{
	uint64_t h = mix64((uint64_t)c->k[0]);
	h = mix64(h ^ (uint64_t)c->k[1]);
	h = mix64(h ^ (uint64_t)c->k[2]);
	return (size_t)h;
}

static int key_cmp(const struct cellkey *p, const struct cellkey *q)
{
	int i;
	for (i = 0; i < 3; i++)
		if (p->k[i] != q->k[i])
			return p->k[i] < q->k[i] ? -1 : 1;
	return 0;
}

/* The keys order_cmp compares (qsort passes no context): the thread's own, since the portal's
 * worker threads build grids at once. */
static _Thread_local const struct cellkey *sort_keys;

static int order_cmp(const void *pa, const void *pb)
{
	size_t i = *(const size_t *)pa, j = *(const size_t *)pb;
	int c = key_cmp(&sort_keys[i], &sort_keys[j]);
	return c ? c : (i < j ? -1 : i > j);
}

static struct slot *grid_find(const struct grid *g, const struct cellkey *k)
{
	size_t h = key_hash(k) & g->mask;
	while (g->tab[h]) {
		struct slot *s = &g->slots[g->tab[h] - 1];
		if (key_cmp(&s->key, k) == 0)
			return s;
		h = (h + 1) & g->mask;
	}
	return NULL;
}

/* A cell coordinate: floor(v / cell), refused when it would not fit. */
static int cell_of(double v, double cell, int64_t *out)
{
	double q = floor(v / cell);
	if (!isfinite(q) || fabs(q) > 4.0e18)
		return -1;
	*out = (int64_t)q;
	return 0;
}

static void grid_release(struct grid *g)
{
	free(g->x);
	free(g->y);
	free(g->z);
	free(g->a);
	free(g->b);
	free(g->cosa);
	free(g->order);
	free(g->pos);
	free(g->cellof);
	free(g->slots);
	free(g->tab);
	memset(g, 0, sizeof(*g));
}

/*
 * Builds the index.  Sphere: pa, pb are latitudes and longitudes in
 * radians and radius is in radians; plane: pa, pb are x, y and radius is
 * in their unit.  The grid keeps its own copies.
 */
static int grid_build(struct grid *g, int sphere, const double *pa, const double *pb, size_t n, double radius,
		      struct kerr *e)
{
	size_t i, m, ncells = 0, size = 16, nn = n ? n : 1;
	double *ux = NULL, *uy = NULL, *uz = NULL;
	struct cellkey *keys = NULL;   /* per point (input order), while building */
	memset(g, 0, sizeof(*g));
	g->sphere = sphere;
	g->n = n;
	if (sphere) {
		double half = sin(0.5 * (radius < M_PI ? radius : M_PI));
		g->limit = radius >= M_PI ? 2.0 : half * half;
		g->lo = 4 * g->limit * (1 - 1e-6) - 1e-15;
		g->hi = 4 * g->limit * (1 + 1e-6) + 1e-15;
		/* the chord of the radius, widened against rounding; at least 2^-20
		 * so that cell coordinates stay small (a wider cell is still correct) */
		g->cell = fmax(2.0 * half * (1.0 + 1e-6) + 1e-12, 1.0 / 1048576.0);
		ALLOC_ARRAY(ux, nn);
		ALLOC_ARRAY(uy, nn);
		ALLOC_ARRAY(uz, nn);
	} else {
		g->limit = radius * radius;
		g->cell = radius * (1.0 + 1e-9);
	}
	ALLOC_ARRAY(keys, nn);
	ALLOC_ARRAY(g->order, nn);
	ALLOC_ARRAY(g->pos, nn);
	for (i = 0; i < n; i++) {
		struct cellkey *k = &keys[i];
		if (sphere) {
			double c = cos(pa[i]);
			ux[i] = c * cos(pb[i]);
			uy[i] = c * sin(pb[i]);
			uz[i] = sin(pa[i]);
			if (cell_of(ux[i], g->cell, &k->k[0]) || cell_of(uy[i], g->cell, &k->k[1]) ||
			    cell_of(uz[i], g->cell, &k->k[2]))
				goto toofine;
		} else {
			if (cell_of(pa[i], g->cell, &k->k[0]) || cell_of(pb[i], g->cell, &k->k[1]))
				goto toofine;
			k->k[2] = 0;
		}
		g->order[i] = i;
	}
	sort_keys = keys;
	qsort(g->order, n, sizeof(*g->order), order_cmp);
	sort_keys = NULL;
	ALLOC_ARRAY(g->a, nn);
	ALLOC_ARRAY(g->b, nn);
	if (sphere) {
		ALLOC_ARRAY(g->x, nn);
		ALLOC_ARRAY(g->y, nn);
		ALLOC_ARRAY(g->z, nn);
		ALLOC_ARRAY(g->cosa, nn);
	}
	for (m = 0; m < n; m++) {
		i = g->order[m];
		g->pos[i] = m;
		g->a[m] = pa[i];
		g->b[m] = pb[i];
		if (sphere) {
			g->x[m] = ux[i];
			g->y[m] = uy[i];
			g->z[m] = uz[i];
			g->cosa[m] = cos(pa[i]);
		}
		if (m == 0 || key_cmp(&keys[i], &keys[g->order[m - 1]]))
			ncells++;
	}
	if (ncells >= UINT32_MAX)
		goto toofine;
	while (size < 2 * ncells)
		size = st_mult(size, 2);
	g->tab = xcalloc(size, sizeof(*g->tab));
	g->mask = size - 1;
	g->slots = xcalloc(ncells + 1, sizeof(*g->slots));
	ALLOC_ARRAY(g->cellof, nn);
	for (i = 0; i < n;) {
		size_t j = i + 1, h;
		const struct cellkey *k = &keys[g->order[i]];
		struct slot *sl = &g->slots[g->nslots];
		while (j < n && key_cmp(&keys[g->order[j]], k) == 0)
			j++;
		h = key_hash(k) & g->mask;
		while (g->tab[h])
			h = (h + 1) & g->mask;
		sl->key = *k;
		sl->start = i;
		sl->end = j;
		sl->open = j - i;
		for (m = i; m < j; m++)
			g->cellof[g->order[m]] = (uint32_t)g->nslots;
		g->tab[h] = (uint32_t)++g->nslots;
		i = j;
	}
	free(ux);
	free(uy);
	free(uz);
	free(keys);
	return 0;
toofine:
	free(ux);
	free(uy);
	free(uz);
	free(keys);
	grid_release(g);
	return kerr_set(e, KERR_USAGE, "the search radius is too small for the extent of the coordinates");
}

/* 1 when the points at positions i and j (cell order) are within the radius. */
static inline int grid_near(const struct grid *g, size_t i, size_t j)
{
	if (g->sphere) {
		double dx = g->x[i] - g->x[j], dy = g->y[i] - g->y[j], dz = g->z[i] - g->z[j];
		double c2 = dx * dx + dy * dy + dz * dz, s0, s1;
		if (c2 < g->lo)
			return 1;
		if (c2 > g->hi)
			return 0;
		/* close to the radius: scikit-learn's haversine reduced distance, term by term */
		s0 = sin(0.5 * (g->a[i] - g->a[j]));
		s1 = sin(0.5 * (g->b[i] - g->b[j]));
		return s0 * s0 + g->cosa[i] * g->cosa[j] * s1 * s1 <= g->limit;
	} else {
		double dx = g->a[i] - g->a[j], dy = g->b[i] - g->b[j];
		return dx * dx + dy * dy <= g->limit;
	}
}

/*
 * The occupied cells around a cell (itself included): at most 27 (9 in
 * the plane).  Finding them costs up to 27 hash lookups, so callers that
 * visit many points of one cell ask once per cell: the cache remembers
 * the last cell asked for.
 */
struct cellnb {
	const struct cellkey *key;   /* the cell the list is for, or NULL */
	struct slot *s[27];
	int n;
};

static const struct cellnb *cell_neighbours(const struct grid *g, const struct cellkey *k, struct cellnb *c)
{
	int dx, dy, dz, dzmax = g->sphere ? 1 : 0;
	if (c->key && key_cmp(c->key, k) == 0)
		return c;
	/* the cell itself first: a count that stops at min_samples mostly stops there */
	c->s[0] = grid_find(g, k);
	c->n = 1;
	for (dx = -1; dx <= 1; dx++)
		for (dy = -1; dy <= 1; dy++)
			for (dz = -dzmax; dz <= dzmax; dz++) {
				struct cellkey q = { { k->k[0] + dx, k->k[1] + dy, k->k[2] + dz } };
				struct slot *s = dx || dy || dz ? grid_find(g, &q) : NULL;
				if (s)
					c->s[c->n++] = s;
			}
	c->key = k;
	return c;
}

/*
 * The neighbours of point i (itself included), in no particular order:
 * stored in (*nb)[0 .. return) when nb is not NULL (grown as needed, *cap
 * its size).  Counting stops once stop_at neighbours are found (0: never).
 * cache (may be NULL) keeps the neighbouring cells between calls.
 */
static size_t grid_neighbours(const struct grid *g, size_t i, size_t **nb, size_t *cap, size_t stop_at,
			      struct cellnb *cache)
{
	struct cellnb local = { NULL, { NULL }, 0 };
	const struct cellnb *c = cell_neighbours(g, &g->slots[g->cellof[i]].key, cache ? cache : &local);
	size_t cnt = 0, pi = g->pos[i];
	int t;
	for (t = 0; t < c->n; t++) {
		const struct slot *s = c->s[t];
		size_t m;
		for (m = s->start; m < s->end; m++) {
			if (!grid_near(g, pi, m))
				continue;
			if (nb) {
				if (cnt == *cap) {
					*cap = *cap ? st_mult(*cap, 2) : 64;
					*nb = xrealloc(*nb, st_mult(*cap, sizeof(**nb)));
				}
				(*nb)[cnt] = g->order[m];
			}
			if (++cnt == stop_at)
				return cnt;
		}
	}
	return cnt;
}

/* The slot of point i's cell. */
static struct slot *grid_slot(struct grid *g, size_t i)
{
	return &g->slots[g->cellof[i]];
}

/* Swaps the points at positions m and q (cell order) in every per-point array. */
static void grid_swap(struct grid *g, size_t m, size_t q)
{
	size_t t;
	double d;
#define SWAP_D(arr) (d = g->arr[m], g->arr[m] = g->arr[q], g->arr[q] = d)
	if (m == q)
		return;
	SWAP_D(a);
	SWAP_D(b);
	if (g->sphere) {
		SWAP_D(x);
		SWAP_D(y);
		SWAP_D(z);
		SWAP_D(cosa);
	}
#undef SWAP_D
	t = g->order[m], g->order[m] = g->order[q], g->order[q] = t;
	g->pos[g->order[m]] = m;
	g->pos[g->order[q]] = q;
}

/* DBSCAN: the point at position m of slot s (among its open ones) has been given a cluster:
 * it leaves the slot's open points, so that no later expansion looks at it again. */
static void grid_take(struct grid *g, struct slot *s, size_t m)
{
	grid_swap(g, m, s->start + s->open - 1);
	s->open--;
}

/*
 * DBSCAN's expansion step from core point p (which has its cluster): every
 * neighbour without a cluster joins cluster c, and the core ones among them
 * are queued.  Only the points of a cell without a cluster are looked at
 * (they are kept first in it, grid_take), so dense regions are not searched
 * again and again; which of them join, and so every label, does not depend
 * on that order.
 */
static void grid_expand(struct grid *g, size_t p, long c, long *label, const unsigned char *core, size_t *queue,
			size_t *tail, struct cellnb *cache)
{
	const struct cellnb *cn = cell_neighbours(g, &g->slots[g->cellof[p]].key, cache);
	size_t pp = g->pos[p];   /* p has a cluster: no grid_take moves it */
	int t;
	for (t = 0; t < cn->n; t++) {
		struct slot *s = cn->s[t];
		size_t m = s->start;
		while (m < s->start + s->open) {
			size_t j = g->order[m];
			if (!grid_near(g, pp, m)) {
				m++;
				continue;
			}
			label[j] = c;
			if (core[j])
				queue[(*tail)++] = j;
			grid_take(g, s, m);   /* the last open point comes to m: look at it next */
		}
	}
}

double spatial_haversine_m(double lat1, double lon1, double lat2, double lon2)
{
	double r = M_PI / 180.0;
	double s0 = sin(0.5 * (lat1 - lat2) * r), s1 = sin(0.5 * (lon1 - lon2) * r);
	double h = s0 * s0 + cos(lat1 * r) * cos(lat2 * r) * s1 * s1;
	return 2.0 * SPATIAL_EARTH_RADIUS_M * asin(sqrt(h < 1 ? h : 1));
}

/* Degrees to radians as numpy's radians() does it. */
static double *to_radians(const double *deg, size_t n)
{
	double *r;
	size_t i;
	ALLOC_ARRAY(r, n ? n : 1);
	for (i = 0; i < n; i++)
		r[i] = deg[i] * (M_PI / 180.0);
	return r;
}

static int check_latlon(const double *lat, const double *lon, size_t n, struct kerr *e)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!(lat[i] >= -90 && lat[i] <= 90) || !(lon[i] >= -180 && lon[i] <= 180))
			return kerr_set(e, KERR_INPUT, "point %zu: (%g, %g) is not a latitude and longitude in degrees",
					i, lat[i], lon[i]);
	return 0;
}

/* ---- DBSCAN ---- */

int spatial_dbscan(const double *lat, const double *lon, size_t n, double eps_m, size_t min_samples,
		   struct spatial_dbscan *out, struct kerr *e)
{
	return spatial_dbscan_pg(lat, lon, n, eps_m, min_samples, NULL, out, e);
}

int spatial_dbscan_pg(const double *lat, const double *lon, size_t n, double eps_m, size_t min_samples,
		      struct progress *pg, struct spatial_dbscan *out, struct kerr *e)
{
	struct grid g;
	double *rlat = NULL, *rlon = NULL;
	size_t *queue = NULL, i;
	long cluster = 0;
	int rc = -1;
	struct cellnb cache = { NULL, { NULL }, 0 };

	memset(out, 0, sizeof(*out));
	if (!(eps_m > 0) || !isfinite(eps_m))
		return kerr_set(e, KERR_USAGE, "eps must be a distance in metres above 0");
	if (min_samples < 1)
		return kerr_set(e, KERR_USAGE, "min_samples must be at least 1");
	if (check_latlon(lat, lon, n, e))
		return -1;
	rlat = to_radians(lat, n);
	rlon = to_radians(lon, n);
	if (grid_build(&g, 1, rlat, rlon, n, eps_m / SPATIAL_EARTH_RADIUS_M, e))
		goto out;
	free(rlat);  /* the grid keeps its own copies */
	free(rlon);
	rlat = rlon = NULL;
	out->n = n;
	ALLOC_ARRAY(out->label, n ? n : 1);
	out->core = xcalloc(n ? n : 1, 1);
	ALLOC_ARRAY(queue, n ? n : 1);
	/* in cell order, so the neighbouring cells are looked up once per cell */
	for (i = 0; i < n; i++) {
		size_t p = g.order[i];
		out->label[p] = -1;
		if (grid_neighbours(&g, p, NULL, NULL, min_samples, &cache) >= min_samples) {
			out->core[p] = 1;
			out->ncore++;
		}
		if (pg && (i & 4095) == 0)
			progress_show(pg, i, (long)i, 0);
	}
	if (pg)
		progress_show(pg, n, (long)n, 1);
	/* clusters in the order of their first core point; each is expanded
	 * completely before the next starts, so a border point goes to the
	 * lowest-numbered cluster that reaches it */
	for (i = 0; i < n; i++) {
		size_t head = 0, tail = 0;
		if (!out->core[i] || out->label[i] >= 0)
			continue;
		out->label[i] = cluster;
		grid_take(&g, grid_slot(&g, i), g.pos[i]);
		queue[tail++] = i;
		while (head < tail)
			grid_expand(&g, queue[head++], cluster, out->label, out->core, queue, &tail, &cache);
		cluster++;
	}
	out->nclusters = cluster;
	for (i = 0; i < n; i++)
		out->nnoise += out->label[i] < 0;
	rc = 0;
	grid_release(&g);
out:
	free(rlat);
	free(rlon);
	free(queue);
	if (rc)
		spatial_dbscan_release(out);
	return rc;
}

void spatial_dbscan_release(struct spatial_dbscan *d)
{
	free(d->label);
	free(d->core);
	memset(d, 0, sizeof(*d));
}

void spatial_dbscan_clusters(const double *lat, const double *lon, const struct spatial_dbscan *d,
			     struct spatial_cluster **out)
{
	struct spatial_cluster *c;
	double *v;   /* per cluster: the sum of the unit vectors */
	const double rad = M_PI / 180.0;
	size_t i, k, nc = (size_t)d->nclusters;

	*out = NULL;
	if (!nc)
		return;
	ALLOC_ARRAY(c, nc);
	v = xcalloc(st_mult(nc, 3), sizeof(*v));
	memset(c, 0, st_mult(nc, sizeof(*c)));
	for (i = 0; i < d->n; i++) {
		long l = d->label[i];
		double cl;
		if (l < 0)
			continue;
		k = (size_t)l;
		if (!c[k].n++) {
			c[k].first = i;
			c[k].bbox[0] = c[k].bbox[2] = lon[i];
			c[k].bbox[1] = c[k].bbox[3] = lat[i];
		}
		c[k].ncore += d->core[i];
		c[k].bbox[0] = fmin(c[k].bbox[0], lon[i]);
		c[k].bbox[1] = fmin(c[k].bbox[1], lat[i]);
		c[k].bbox[2] = fmax(c[k].bbox[2], lon[i]);
		c[k].bbox[3] = fmax(c[k].bbox[3], lat[i]);
		cl = cos(lat[i] * rad);
		v[3 * k] += cl * cos(lon[i] * rad);
		v[3 * k + 1] += cl * sin(lon[i] * rad);
		v[3 * k + 2] += sin(lat[i] * rad);
	}
	for (k = 0; k < nc; k++) {
		double x = v[3 * k], y = v[3 * k + 1], z = v[3 * k + 2];
		c[k].lat = atan2(z, sqrt(x * x + y * y)) / rad;
		c[k].lon = x == 0 && y == 0 ? lon[c[k].first] : atan2(y, x) / rad;
	}
	for (i = 0; i < d->n; i++)
		if (d->label[i] >= 0) {
			k = (size_t)d->label[i];
			c[k].radius_m = fmax(c[k].radius_m, spatial_haversine_m(c[k].lat, c[k].lon, lat[i], lon[i]));
		}
	free(v);
	*out = c;
}

/* ---- counts on a grid ---- */

/* The box of the n points (minx, miny, maxx, maxy) in the grid's plane:
 * degrees (x longitude, y latitude), or EPSG:3035 metres with px, py the
 * points projected (the LAEA grid). */
static void points_box(const double *x, const double *y, size_t n, double box[4])
{
	size_t i;
	box[0] = box[2] = x[0];
	box[1] = box[3] = y[0];
	for (i = 1; i < n; i++) {
		box[0] = fmin(box[0], x[i]);
		box[1] = fmin(box[1], y[i]);
		box[2] = fmax(box[2], x[i]);
		box[3] = fmax(box[3], y[i]);
	}
}

/* The grid's rows and columns over box, cells of w × h from (x0, y0); more than max cells is an error. */
static int grid_shape(struct spatial_grid *g, const double box[4], double x0, double y0, double w, double h,
		      size_t max, struct kerr *e)
{
	double rows = floor((box[3] - y0) / h) + 1, cols = floor((box[2] - x0) / w) + 1;
	/* compared as doubles first: a tiny cell over a big box overflows size_t */
	if (rows * cols > (double)max)
		return kerr_set(e, KERR_INPUT, "%.0f cells of %.10g m over the points' box: at most %zu; choose larger cells",
				rows * cols, g->cell_m, max);
	g->rows = (size_t)rows;
	g->cols = (size_t)cols;
	g->n = st_mult(g->rows, g->cols);
	ALLOC_ARRAY(g->lat, g->n);
	ALLOC_ARRAY(g->lon, g->n);
	g->count = xcalloc(g->n, sizeof(*g->count));
	ALLOC_ARRAY(g->area, g->n);
	return 0;
}

/* The cell of the point at (x, y) in the grid's plane, cells of w × h from (x0, y0). */
static size_t grid_cell_of(const struct spatial_grid *g, double x, double y, double x0, double y0, double w, double h)
{
	size_t r = (size_t)floor((y - y0) / h), col = (size_t)floor((x - x0) / w);
	if (r >= g->rows)
		r = g->rows - 1;
	if (col >= g->cols)
		col = g->cols - 1;
	return r * g->cols + col;
}

/* The south, west, north and east edges of cell k of a grid in degrees, the last row and column
 * cut at 90° N and 180° E: a grid over points near the pole or the 180th meridian would otherwise
 * reach beyond them (a latitude above 90 is no place, and the part beyond 180° E is ground the
 * first column already covers). */
static void cell_box_degrees(const struct spatial_grid *g, size_t k, double b[4])
{
	double r = (double)(k / g->cols), c = (double)(k % g->cols);
	b[0] = g->lat0 + r * g->dlat;
	b[1] = g->lon0 + c * g->dlon;
	b[2] = fmin(g->lat0 + (r + 1) * g->dlat, 90.0);
	b[3] = fmin(g->lon0 + (c + 1) * g->dlon, 180.0);
}

static int grid_degrees(const double *lat, const double *lon, size_t n, const struct spatial_grid_opts *o,
			struct spatial_grid *out, struct kerr *e)
{
	double box[4], c;
	size_t i, k;
	points_box(lon, lat, n, box);
	out->dlat = o->cell_m / SPATIAL_EARTH_RADIUS_M * 180.0 / M_PI;
	c = cos(0.5 * (box[1] + box[3]) * M_PI / 180.0);
	out->dlon = out->dlat / (c > 0.01 ? c : 0.01);
	if (grid_shape(out, box, box[0], box[1], out->dlon, out->dlat, o->max_cells, e))
		return -1;
	out->lat0 = box[1];
	out->lon0 = box[0];
	for (k = 0; k < out->n; k++) {
		double b[4], r = (double)(k / out->cols), col = (double)(k % out->cols);
		int cut_n, cut_e;
		cell_box_degrees(out, k, b);
		cut_n = b[2] < box[1] + (r + 1) * out->dlat;
		cut_e = b[3] < box[0] + (col + 1) * out->dlon;
		/* the centre of the cell, of its part below 90° N and west of 180° E when cut */
		out->lat[k] = cut_n ? 0.5 * (b[0] + b[2]) : box[1] + (r + 0.5) * out->dlat;
		out->lon[k] = cut_e ? 0.5 * (b[1] + b[3]) : box[0] + (col + 0.5) * out->dlon;
		/* R² Δλ (sin φ_north − sin φ_south): the cell on the sphere */
		out->area[k] = SPATIAL_EARTH_RADIUS_M * SPATIAL_EARTH_RADIUS_M *
			       ((cut_e ? b[3] - b[1] : out->dlon) * M_PI / 180.0) *
			       (sin(b[2] * M_PI / 180.0) - sin(b[0] * M_PI / 180.0)) / 1e6;
	}
	for (i = 0; i < n; i++)
		out->cell[i] = grid_cell_of(out, lon[i], lat[i], box[0], box[1], out->dlon, out->dlat);
	return 0;
}

static int grid_laea(const double *lat, const double *lon, size_t n, const struct spatial_grid_opts *o,
		     struct spatial_grid *out, struct kerr *e)
{
	double box[4], *x, *y, m = o->cell_m;
	size_t i, k;
	int rc = -1;
	if (m != floor(m) || m > 1e7)
		return kerr_set(e, KERR_USAGE, "the European grid takes cells of whole metres up to 10,000 km (1000, 10000 "
				"…), not %.10g", m);
	for (i = 0; i < n; i++)
		if (!geo_laea_in_area(lat[i], lon[i]))
			return kerr_set(e, KERR_INPUT, "point %zu at %g° %c %g° %c lies outside the area of the European "
					"grid (EPSG:3035: %g–%g° N, %g° W–%g° E): use the grid in degrees", i + 1,
					fabs(lat[i]), lat[i] < 0 ? 'S' : 'N', fabs(lon[i]), lon[i] < 0 ? 'W' : 'E',
					GEO_LAEA_SOUTH, GEO_LAEA_NORTH, -GEO_LAEA_WEST, GEO_LAEA_EAST);
	ALLOC_ARRAY(x, n);
	ALLOC_ARRAY(y, n);
	for (i = 0; i < n; i++)
		geo_laea_forward(lat[i], lon[i], &x[i], &y[i]);
	points_box(x, y, n, box);
	/* the corners at multiples of the cell from the origin: Eurostat's cells */
	out->x0 = floor(box[0] / m) * m;
	out->y0 = floor(box[1] / m) * m;
	if (grid_shape(out, box, out->x0, out->y0, m, m, o->max_cells, e))
		goto out;
	for (k = 0; k < out->n; k++) {
		geo_laea_inverse(out->x0 + ((double)(k % out->cols) + 0.5) * m,
				 out->y0 + ((double)(k / out->cols) + 0.5) * m, &out->lat[k], &out->lon[k]);
		out->area[k] = m * m / 1e6;
	}
	for (i = 0; i < n; i++)
		out->cell[i] = grid_cell_of(out, x[i], y[i], out->x0, out->y0, m, m);
	rc = 0;
out:
	free(x);
	free(y);
	return rc;
}

int spatial_grid_counts(const double *lat, const double *lon, size_t n, const struct spatial_grid_opts *o,
			struct spatial_grid *out, struct kerr *e)
{
	size_t i, k;

	memset(out, 0, sizeof(*out));
	out->kind = o->kind;
	out->cell_m = o->cell_m;
	if (!(o->cell_m > 0) || !isfinite(o->cell_m))
		return kerr_set(e, KERR_USAGE, "the cell size must be a number above 0");
	if (!n)
		return kerr_set(e, KERR_INPUT, "no points to count");
	if (check_latlon(lat, lon, n, e))
		return -1;
	ALLOC_ARRAY(out->cell, n);
	if (o->kind == SPATIAL_GRID_LAEA ? grid_laea(lat, lon, n, o, out, e) : grid_degrees(lat, lon, n, o, out, e))
		return -1;
	for (i = 0; i < n; i++)
		out->count[out->cell[i]] += 1;
	out->nin = out->n;
	if (o->within) {
		size_t centred = 0;
		out->in = xcalloc(out->n, 1);
		for (k = out->nin = 0; k < out->n; k++) {
			int c = geo_layer_locate(o->within, out->lon[k], out->lat[k]) >= 0;
			centred += c;
			out->in[k] = c || out->count[k] > 0;
			out->nin += out->in[k];
		}
		if (!centred) {
			/* an area of another place (or another CRS): the cells of the points alone would take
			 * part, none empty, and every density would be compared with occupied cells only */
			free(out->in);
			out->in = NULL;
			out->nin = out->n;
			if (!o->within_optional)
				return kerr_set(e, KERR_INPUT, "the study area holds the centre of none of the %zu cells "
						"of the grid over the points: it lies elsewhere than they do; give the "
						"area the points lie in", out->n);
		}
	}
	return 0;
}

int spatial_grid_cell_in(const struct spatial_grid *g, size_t k)
{
	return !g->in || g->in[k];
}

void spatial_grid_code(const struct spatial_grid *g, size_t k, char *out, size_t size)
{
	if (g->kind != SPATIAL_GRID_LAEA) {
		*out = 0;
		return;
	}
	snprintf(out, size, "CRS3035RES%.0fmN%.0fE%.0f", g->cell_m, g->y0 + (double)(k / g->cols) * g->cell_m,
		 g->x0 + (double)(k % g->cols) * g->cell_m);
}

void spatial_grid_corners(const struct spatial_grid *g, size_t k, double out[8])
{
	double r = (double)(k / g->cols), c = (double)(k % g->cols), b[4];
	int i;
	static const int dx[4] = { 0, 1, 1, 0 }, dy[4] = { 0, 0, 1, 1 };
	if (g->kind != SPATIAL_GRID_LAEA)
		cell_box_degrees(g, k, b);
	for (i = 0; i < 4; i++) {
		if (g->kind == SPATIAL_GRID_LAEA)
			geo_laea_inverse(g->x0 + (c + dx[i]) * g->cell_m, g->y0 + (r + dy[i]) * g->cell_m, &out[2 * i + 1],
					 &out[2 * i]);
		else {
			out[2 * i] = b[dx[i] ? 3 : 1];
			out[2 * i + 1] = b[dy[i] ? 2 : 0];
		}
	}
}

size_t spatial_grid_outline(const struct spatial_grid *g, size_t k, double *out)
{
	double r = (double)(k / g->cols), c = (double)(k % g->cols), x0, y0, m = g->cell_m;
	static const int dx[5] = { 0, 1, 1, 0, 0 }, dy[5] = { 0, 0, 1, 1, 0 };
	size_t seg, e, j, n = 0;
	if (g->kind != SPATIAL_GRID_LAEA) {
		spatial_grid_corners(g, k, out);
		return 4;
	}
	seg = (size_t)ceil(m / SPATIAL_OUTLINE_STEP_M);
	if (seg < 1)
		seg = 1;
	if (seg > SPATIAL_OUTLINE_MAX / 4)
		seg = SPATIAL_OUTLINE_MAX / 4;
	x0 = g->x0 + c * m;
	y0 = g->y0 + r * m;
	for (e = 0; e < 4; e++)   /* each edge from its corner, the next corner starting the next edge */
		for (j = 0; j < seg; j++) {
			double t = (double)j / (double)seg;
			double x = x0 + m * (dx[e] + t * (dx[e + 1] - dx[e])), y = y0 + m * (dy[e] + t * (dy[e + 1] - dy[e]));
			geo_laea_inverse(x, y, &out[2 * n + 1], &out[2 * n]);
			n++;
		}
	return n;
}

size_t spatial_spot_cells(const struct spatial_grid *g, const struct spatial_getis_ord *go, double **outlines,
			  signed char **spots, size_t *pts)
{
	double tmp[2 * SPATIAL_OUTLINE_MAX];
	size_t k, n = 0, m = 0, per = spatial_grid_outline(g, 0, tmp);   /* the same for every cell */
	for (k = 0; k < g->n; k++)
		m += spatial_spot(go, k) != 0;
	*outlines = xcalloc(st_mult(st_mult(m, per), 2) + 1, sizeof(**outlines));
	*spots = xcalloc(m + 1, 1);
	for (k = 0; k < g->n; k++) {
		int s = spatial_spot(go, k);
		if (!s)
			continue;
		spatial_grid_outline(g, k, *outlines + 2 * per * n);
		(*spots)[n++] = (signed char)s;
	}
	*pts = per;
	return n;
}

/* Spreads the results of Gi* over the cells that took part (idx, m of them) to all n cells of a grid:
 * NAN (and no neighbour) for the others. */
static void gi_spread(struct spatial_getis_ord *go, const size_t *idx, size_t m, size_t n)
{
	double **arr[] = { &go->g, &go->eg, &go->vg, &go->z, &go->p };
	size_t a, k, *nb;
	for (a = 0; a < sizeof(arr) / sizeof(arr[0]); a++) {
		double *full, *part = *arr[a];
		if (!part)
			continue;
		ALLOC_ARRAY(full, n);
		for (k = 0; k < n; k++)
			full[k] = NAN;
		for (k = 0; k < m; k++)
			full[idx[k]] = part[k];
		free(part);
		*arr[a] = full;
	}
	if (go->nneigh) {
		nb = xcalloc(n, sizeof(*nb));
		for (k = 0; k < m; k++)
			nb[idx[k]] = go->nneigh[k];
		free(go->nneigh);
		go->nneigh = nb;
	}
	if (go->nisland)
		go->first_island = idx[go->first_island];
	go->n = n;
}

int spatial_grid_hotspots(const double *lat, const double *lon, size_t n, const struct spatial_grid_opts *go,
			  const struct spatial_getis_ord_opts *o, struct spatial_grid *g, struct spatial_getis_ord *gi,
			  struct kerr *e)
{
	memset(gi, 0, sizeof(*gi));
	if (o->metric != SPATIAL_GEO)
		BUG("spatial_grid_hotspots: a grid in metres needs geographic coordinates");
	struct spatial_getis_ord_opts on_grid = *o;
	double *x, *y, *dens;
	size_t k, m;
	size_t *idx;
	int rc;
	if (spatial_grid_counts(lat, lon, n, go, g, e))
		return -1;
	if (g->nin < 2)
		return kerr_set(e, KERR_INPUT, "the points fit in one cell of %.10g m%s: choose smaller cells", go->cell_m,
				g->n > 1 ? " of the study area" : "");
	/* the densities, at the cells' places on the grid (spatial.h) */
	ALLOC_ARRAY(x, g->nin);
	ALLOC_ARRAY(y, g->nin);
	ALLOC_ARRAY(dens, g->nin);
	ALLOC_ARRAY(idx, g->nin);
	for (k = m = 0; k < g->n; k++) {
		if (!spatial_grid_cell_in(g, k))
			continue;
		x[m] = (double)(k % g->cols) * go->cell_m;
		y[m] = (double)(k / g->cols) * go->cell_m;
		dens[m] = g->area[k] > 0 ? g->count[k] / g->area[k] : 0;
		idx[m++] = k;
	}
	on_grid.metric = SPATIAL_PLANAR;
	rc = spatial_getis_ord(x, y, dens, m, &on_grid, gi, e);
	if (!rc && m < g->n)
		gi_spread(gi, idx, m, g->n);
	free(x);
	free(y);
	free(dens);
	free(idx);
	return rc;
}

void spatial_grid_release(struct spatial_grid *g)
{
	free(g->lat);
	free(g->lon);
	free(g->count);
	free(g->area);
	free(g->in);
	free(g->cell);
	memset(g, 0, sizeof(*g));
}

/* ---- sums over a distance band, a group of points at a time ---- */

/*
 * Getis–Ord needs, for every point, the sum of the values within its band.
 * Asking grid_neighbours point by point tests every pair of points in
 * neighbouring cells: on 50,000 firms with 20,000 each within the band,
 * a billion distances.  Instead the points of a cell are split into groups
 * of at most BAND_GROUP lying close together (band_groups), and each
 * neighbouring point is looked at once per group: when it is within the
 * band of the group's whole box, every point of the group takes it, when
 * beyond, none does, and only a point between is tested against each of
 * the group (a whole cell is first decided the same way on its own box).
 * The values are still added for each point in the order grid_neighbours
 * lists them, so that every sum is the one a point's own list gives, to
 * the bit; what is saved is the distances.
 */
#define BAND_GROUP 32

struct box {
	double lo[3], hi[3];
};

/* The band of a grid, with the plane as the sphere with z = 0: grid_near's squared chord (plane:
 * dx² + dy², to which a dz² of 0 adds nothing) below in_below is within the band, above out_above
 * beyond it; between, grid_near decides. */
struct band {
	const struct grid *g;
	const double *x, *y, *z;   /* per position (cell order) */
	double in_below, out_above;
	const double *yc;          /* the values, per position */
	const int *own;            /* per position: the lane whose own point it is, under Gi; else -1 */
	const struct box *sbox;    /* per slot: the box of its points */
	/* the groups (band_groups), those of a slot one after another: their boxes, each slot's first
	 * and, per position, its group */
	const struct box *gbox;
	const size_t *gfirst, *gof;
	signed char *reach;        /* room for band_reach of every group of a slot */
};

/* A group of points of one cell and the sums of their bands, per lane: lanes past nl are padding
 * (copies of the first), whose sums are thrown away, so that every loop over the lanes has the same
 * length. */
struct band_group {
	size_t nl;
	size_t pos[BAND_GROUP];   /* positions (cell order) */
	double x[BAND_GROUP], y[BAND_GROUP], z[BAND_GROUP];
	double sum[BAND_GROUP];
	double cnt[BAND_GROUP];   /* counted in doubles (exact below 2^53) as the sums are */
	struct box bx;
};

/* The box of the points at positions pos[0 .. n) (n > 0). */
static void band_box(const struct band *b, const size_t *pos, size_t n, struct box *bx)
{
	const double *c[3] = { b->x, b->y, b->z };
	size_t k;
	int d;
	for (d = 0; d < 3; d++) {
		bx->lo[d] = bx->hi[d] = c[d][pos[0]];
		for (k = 1; k < n; k++) {
			double v = c[d][pos[k]];
			bx->lo[d] = v < bx->lo[d] ? v : bx->lo[d];
			bx->hi[d] = v > bx->hi[d] ? v : bx->hi[d];
		}
	}
}

/*
 * Whether every point of box p is within the band of every point of the
 * box qlo..qhi as grid_near decides it (1), none is (0), or it takes a
 * test for each pair (-1).  Exact, not an estimate: a rounded difference
 * fl(u - v) does not decrease as u grows or v shrinks, nor does a rounded
 * square or sum of non-negative numbers, so the squared chord grid_near
 * computes for any two points of the boxes lies between the two computed
 * here from the boxes' ends in the same way (dx * dx + dy * dy + dz * dz,
 * in that order; C11 compilers contract no a * b + c into one rounding
 * unless asked to).
 */
static inline int band_reach(const struct band *b, const struct box *p, const double *qlo, const double *qhi)
{
	double near[3], far[3], n2, f2;
	int d;
	for (d = 0; d < 3; d++) {
		double lo = p->lo[d] - qhi[d], hi = p->hi[d] - qlo[d];
		double alo = fabs(lo), ahi = fabs(hi);
		far[d] = alo > ahi ? alo : ahi;
		near[d] = lo > 0 ? lo : hi < 0 ? -hi : 0;
	}
	n2 = near[0] * near[0] + near[1] * near[1] + near[2] * near[2];
	f2 = far[0] * far[0] + far[1] * far[1] + far[2] * far[2];
	return f2 < b->in_below ? 1 : n2 > b->out_above ? 0 : -1;
}

struct keyed {
	double key;
	size_t pos;
};

static int keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed *p = pa, *q = pb;
	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	return p->pos < q->pos ? -1 : p->pos > q->pos;
}

/*
 * Splits the positions pos[0 .. n) (n > 0) into groups of at most
 * BAND_GROUP lying close together: halves across the widest side of their
 * box, again and again.  pos is reordered so that each group is a run;
 * the runs' ends (counted from base) are appended to ends[*nends ..).
 * tmp has room for n.
 */
static void band_groups(const struct band *b, size_t *pos, size_t n, struct keyed *tmp, size_t *ends,
			size_t *nends, size_t base)
{
	const double *c[3] = { b->x, b->y, b->z };
	struct box bx;
	int d, wide = 0;
	size_t k, h;
	if (n <= BAND_GROUP) {
		ends[(*nends)++] = base + n;
		return;
	}
	band_box(b, pos, n, &bx);
	for (d = 1; d < 3; d++)
		if (bx.hi[d] - bx.lo[d] > bx.hi[wide] - bx.lo[wide])
			wide = d;
	for (k = 0; k < n; k++) {
		tmp[k].key = c[wide][pos[k]];
		tmp[k].pos = pos[k];
	}
	qsort(tmp, n, sizeof(*tmp), keyed_cmp);
	for (k = 0; k < n; k++)
		pos[k] = tmp[k].pos;
	h = n / 2;
	band_groups(b, pos, h, tmp, ends, nends, base);
	band_groups(b, pos + h, n - h, tmp, ends, nends, base + h);
}

/* Point m (value v) for each lane of gr that has it within its band, the lanes tested one by one:
 * the squared chord as grid_near computes it, and grid_near itself where that does not decide. */
static void band_lanes_test(const struct band *b, struct band_group *gr, size_t m, double v)
{
	double qx = b->x[m], qy = b->y[m], qz = b->z[m], undecided = 0;
	int k;
	for (k = 0; k < BAND_GROUP; k++) {
		double dx = gr->x[k] - qx, dy = gr->y[k] - qy, dz = gr->z[k] - qz;
		double c2 = dx * dx + dy * dy + dz * dz;
		int in = c2 < b->in_below;
		/* adding 0 leaves a sum as it was: it starts at +0, so it is never -0 */
		gr->sum[k] += in ? v : 0.0;
		gr->cnt[k] += in ? 1.0 : 0.0;
		undecided += !in && !(c2 > b->out_above) ? 1.0 : 0.0;
	}
	if (!undecided)
		return;
	for (k = 0; k < BAND_GROUP; k++) {
		double dx = gr->x[k] - qx, dy = gr->y[k] - qy, dz = gr->z[k] - qz;
		double c2 = dx * dx + dy * dy + dz * dz;
		if (!(c2 < b->in_below) && !(c2 > b->out_above) && grid_near(b->g, gr->pos[k], m)) {
			gr->sum[k] += v;
			gr->cnt[k] += 1.0;
		}
	}
}

/* Point m, the own point of lane k0 under Gi, for each lane of gr that has it within its band
 * (all: every lane has), the value for the others only. */
static void band_lanes_own(const struct band *b, struct band_group *gr, size_t m, double v, int k0, int all)
{
	int k;
	for (k = 0; k < BAND_GROUP; k++)
		if (all || grid_near(b->g, gr->pos[k], m)) {
			gr->sum[k] += k == k0 ? 0.0 : v;
			gr->cnt[k] += 1.0;
		}
}

/* The sums of group gr over the cells cn around its cell. */
static void band_group_sums(const struct band *b, const struct cellnb *cn, struct band_group *gr)
{
	double all = 0;   /* points within the band of every lane */
	int t, k;
	for (k = 0; k < BAND_GROUP; k++)
		gr->sum[k] = gr->cnt[k] = 0;
	for (t = 0; t < cn->n; t++) {
		const struct slot *s = cn->s[t];
		size_t si = (size_t)(s - b->g->slots), g0 = b->gfirst[si], m, l;
		const struct box *sb = &b->sbox[si];
		int cell = band_reach(b, &gr->bx, sb->lo, sb->hi);
		if (cell == 0)
			continue;
		/* a cell between: each of its groups decided on its box, and only a point of a group
		 * between on its own */
		for (l = g0; l < b->gfirst[si + 1] && cell < 0; l++)
			b->reach[l - g0] = (signed char)band_reach(b, &gr->bx, b->gbox[l].lo, b->gbox[l].hi);
		for (m = s->start; m < s->end; m++) {
			double v = b->yc[m];
			int r = cell < 0 ? b->reach[b->gof[m] - g0] : cell;
			if (r < 0) {
				double q[3] = { b->x[m], b->y[m], b->z[m] };
				r = band_reach(b, &gr->bx, q, q);
			}
			if (r && b->own[m] >= 0) {
				band_lanes_own(b, gr, m, v, b->own[m], r > 0);
			} else if (r > 0) {
				for (k = 0; k < BAND_GROUP; k++)
					gr->sum[k] += v;
				all++;
			} else if (r < 0) {
				band_lanes_test(b, gr, m, v);
			}
		}
	}
	for (k = 0; k < BAND_GROUP; k++)
		gr->cnt[k] += all;
}

/*
 * For every point i (input order): cnt[i] the points within its band,
 * itself included, and ws[i] the sum of y over them (without y[i] unless
 * star), added in the order grid_neighbours lists them.
 */
static void grid_band_sums(const struct grid *g, const double *y, int star, double *ws, size_t *cnt)
{
	size_t n = g->n, nn = n ? n : 1, *pos, *ends, nends = 0, si, m, gi, from = 0, *gfirst, *gof, most = 0;
	struct band b;
	struct keyed *tmp;
	struct box *sbox, *gbox;
	struct cellnb cache = { NULL, { NULL }, 0 };
	double *yc, *zero = NULL;
	int *own;
	ALLOC_ARRAY(yc, nn);
	ALLOC_ARRAY(own, nn);
	ALLOC_ARRAY(pos, nn);
	ALLOC_ARRAY(ends, nn);
	ALLOC_ARRAY(tmp, nn);
	ALLOC_ARRAY(sbox, g->nslots ? g->nslots : 1);
	ALLOC_ARRAY(gfirst, g->nslots + 1);
	ALLOC_ARRAY(gof, nn);
	memset(&b, 0, sizeof(b));
	b.g = g;
	if (g->sphere) {
		b.x = g->x;
		b.y = g->y;
		b.z = g->z;
		b.in_below = g->lo;
		b.out_above = g->hi;
	} else {
		zero = xcalloc(nn, sizeof(*zero));
		b.x = g->a;
		b.y = g->b;
		b.z = zero;
		b.in_below = nextafter(g->limit, INFINITY);   /* grid_near: dx² + dy² <= limit */
		b.out_above = g->limit;
	}
	b.yc = yc;
	b.own = own;
	b.sbox = sbox;
	for (m = 0; m < n; m++) {
		yc[m] = y[g->order[m]];
		own[m] = -1;
		pos[m] = m;
	}
	for (si = 0; si < g->nslots; si++) {
		const struct slot *s = &g->slots[si];
		gfirst[si] = nends;
		band_box(&b, pos + s->start, s->end - s->start, &sbox[si]);
		band_groups(&b, pos + s->start, s->end - s->start, tmp, ends, &nends, s->start);
		if (nends - gfirst[si] > most)
			most = nends - gfirst[si];
	}
	gfirst[g->nslots] = nends;
	ALLOC_ARRAY(gbox, nends ? nends : 1);
	ALLOC_ARRAY(b.reach, most ? most : 1);
	for (gi = 0; gi < nends; gi++) {
		size_t a = gi ? ends[gi - 1] : 0;
		band_box(&b, pos + a, ends[gi] - a, &gbox[gi]);
		for (m = a; m < ends[gi]; m++)
			gof[pos[m]] = gi;
	}
	b.gbox = gbox;
	b.gfirst = gfirst;
	b.gof = gof;
	for (gi = 0; gi < nends; gi++) {
		struct band_group gr;
		const struct slot *s = &g->slots[g->cellof[g->order[pos[from]]]];
		size_t k;
		gr.nl = ends[gi] - from;
		for (k = 0; k < BAND_GROUP; k++) {
			gr.pos[k] = pos[from + (k < gr.nl ? k : 0)];
			gr.x[k] = b.x[gr.pos[k]];
			gr.y[k] = b.y[gr.pos[k]];
			gr.z[k] = b.z[gr.pos[k]];
		}
		for (k = 0; k < gr.nl && !star; k++)
			own[gr.pos[k]] = (int)k;
		gr.bx = gbox[gi];
		band_group_sums(&b, cell_neighbours(g, &s->key, &cache), &gr);
		for (k = 0; k < gr.nl; k++) {
			ws[g->order[gr.pos[k]]] = gr.sum[k];
			cnt[g->order[gr.pos[k]]] = (size_t)gr.cnt[k];
			own[gr.pos[k]] = -1;
		}
		from = ends[gi];
	}
	free(yc);
	free(own);
	free(pos);
	free(ends);
	free(tmp);
	free(sbox);
	free(gbox);
	free(gfirst);
	free(gof);
	free(b.reach);
	free(zero);
}

/* ---- Getis–Ord ---- */

int spatial_getis_ord(const double *a, const double *b, const double *y, size_t n,
		      const struct spatial_getis_ord_opts *o, struct spatial_getis_ord *out,
		      struct kerr *e)
{
	struct grid g;
	double *ra = NULL, *rb = NULL, *bsum = NULL, sum = 0, dev2 = 0, sabs = 0, c, radius;
	size_t *nb = NULL, *bcnt = NULL, cap = 0, i;
	int rc = -1, rs = o->star ? 0 : 1;   /* rs: the point itself is removed (Gi) */
	double N = (double)n - rs;

	memset(out, 0, sizeof(*out));
	if (!(o->band > 0) || !isfinite(o->band))
		return kerr_set(e, KERR_USAGE, "the distance band must be a number above 0");
	if (n < (size_t)(2 + rs))
		return kerr_set(e, KERR_INPUT, "Getis-Ord %s needs at least %d points, got %zu",
				o->star ? "Gi*" : "Gi", 2 + rs, n);
	for (i = 0; i < n; i++) {
		if (!isfinite(y[i]))
			return kerr_set(e, KERR_INPUT, "point %zu: the value is not a finite number", i);
		if (!isfinite(a[i]) || !isfinite(b[i]))
			return kerr_set(e, KERR_INPUT, "point %zu: the coordinates are not finite numbers", i);
		sum += y[i];
		sabs += fabs(y[i]);
	}
	/* the variance from the deviations from the mean c, not as the mean of the squares less the
	 * square of the mean: with values of 10^8 (tonnes of CO2, a large region's jobs) and small
	 * differences the squares' sum has no digits left for them, and every z came out empty */
	/* the mean as y[0] plus the mean difference from it: values that are all the same have that
	 * value as their mean exactly, and so no variance (0.1 three times sums to
	 * 0.30000000000000004, whose third left deviations of 1e-17 and a z of 0 where there is none) */
	c = 0;
	for (i = 0; i < n; i++)
		c += y[i] - y[0];
	c = y[0] + c / (double)n;
	for (i = 0; i < n; i++)
		dev2 += (y[i] - c) * (y[i] - c);
	if (o->metric == SPATIAL_GEO) {
		if (check_latlon(a, b, n, e))
			return -1;
		ra = to_radians(a, n);
		rb = to_radians(b, n);
		radius = o->band / SPATIAL_EARTH_RADIUS_M;
	} else {
		radius = o->band;
	}
	if (grid_build(&g, o->metric == SPATIAL_GEO, ra ? ra : a, rb ? rb : b, n, radius, e))
		goto out;
	out->n = out->npart = n;
	ALLOC_ARRAY(out->g, n);
	ALLOC_ARRAY(out->eg, n);
	ALLOC_ARRAY(out->vg, n);
	ALLOC_ARRAY(out->z, n);
	ALLOC_ARRAY(out->p, n);
	ALLOC_ARRAY(out->nneigh, n);
	ALLOC_ARRAY(bsum, n);
	ALLOC_ARRAY(bcnt, n);
	if (o->by_point) {
		for (i = 0; i < n; i++) {
			size_t m;
			bcnt[i] = grid_neighbours(&g, i, &nb, &cap, 0, NULL);
			bsum[i] = 0;
			/* the point itself is among nb; it counts only for Gi* */
			for (m = 0; m < bcnt[i]; m++)
				if (nb[m] != i || o->star)
					bsum[i] += y[nb[m]];
		}
	} else {
		grid_band_sums(&g, y, o->star, bsum, bcnt);
	}
	for (i = 0; i < n; i++) {
		size_t cnt = bcnt[i];
		double ws = bsum[i], wsum, tot, mean, dm, var, w, sd;
		int nosum;
		out->nneigh[i] = cnt - 1;
		if (cnt == 1 && !out->nisland++)
			out->first_island = i;   /* an island: no other point within the band */
		wsum = (double)(o->star ? cnt : cnt - 1);   /* binary row sum W_i */
		if (o->row_standardise && wsum > 0) {
			ws /= wsum;
			wsum = 1;
		}
		tot = sum - rs * y[i];
		mean = tot / N;
		dm = rs * (c - y[i]) / N;   /* mean - c: 0 for Gi*, the point's own share removed for Gi */
		var = (dev2 - rs * (y[i] - c) * (y[i] - c)) / N - dm * dm;
		if (var <= 1e-12 * (dev2 / (double)n))
			var = 0;   /* the others all equal (Gi): what is left is rounding */
		w = wsum;
		/* a sum that is 0 up to rounding (the regional shifts of an industry) has no G */
		nosum = fabs(tot) <= 1e-9 * sabs;
		out->g[i] = nosum ? NAN : ws / tot;
		out->eg[i] = w / N;
		out->vg[i] = nosum ? NAN : w * (N - w) / (N - 1) * (1 / (N * N)) * (var / (mean * mean));
		/* z without dividing by the sum (spatial.h): values of both signs keep high = hot */
		sd = var > 0 ? sqrt(var * (w * (N - w) / (N - 1))) : 0;
		if (sd > 0 && isfinite(sd)) {
			/* the sum of the values themselves, exact for whole numbers whatever the order of the
			 * neighbours: points of one neighbourhood get the same z to the bit */
			double num = ws - w * mean;
			/* a neighbourhood exactly at the mean: 0, not the rounding of the two sums */
			if (fabs(num) <= 1e-12 * fmax(fabs(ws), fabs(w * mean)))
				num = 0;
			out->z[i] = num / sd;
			out->p[i] = erfc(fabs(out->z[i]) / M_SQRT2);
		} else {
			out->z[i] = NAN;
			out->p[i] = NAN;
		}
		out->nall += cnt == n && !o->row_standardise;
	}
	rc = 0;
	grid_release(&g);
out:
	free(ra);
	free(rb);
	free(nb);
	free(bsum);
	free(bcnt);
	if (rc)
		spatial_getis_ord_release(out);
	return rc;
}

size_t spatial_all_neighbours_notice(struct buf *out, const char *src, const struct spatial_getis_ord *g, int star)
{
	if (!g->nall)
		return 0;
	buf_printf(out, "%s%s%zu point%s of %zu %s every other point within the band: %s %s is fixed and has no "
		   "z-score or p; a narrower band compares them", src ? src : "", src && *src ? ": " : "", g->nall,
		   g->nall == 1 ? "" : "s", g->npart, g->nall == 1 ? "has" : "have", g->nall == 1 ? "its" : "their",
		   star ? "Gi*" : "Gi");
	return g->nall;
}

static int in_europe(double lat, double lon)
{
	const double *f = nuts_europe_frame;
	return lon >= f[0] && lat >= f[1] && lon <= f[2] && lat <= f[3];
}

size_t spatial_swapped_notice(struct buf *out, const char *src, const double *lat, const double *lon, size_t n,
			      const char *latcol, const char *loncol)
{
	size_t i, outside = 0, swapped = 0;
	for (i = 0; i < n; i++) {
		outside += !in_europe(lat[i], lon[i]);
		swapped += in_europe(lon[i], lat[i]);
	}
	if (!n || outside * 10 < n * 9 || swapped * 10 < n * 9)
		return 0;
	buf_printf(out, "%s%s%zu of %zu point%s lie outside Europe, and inside it with %s and %s exchanged: are the "
		   "columns swapped? (Poland lies at about 49–55 degrees of latitude and 14–24 of longitude)",
		   src ? src : "", src && *src ? ": " : "", outside, n, n == 1 ? "" : "s",
		   latcol && *latcol ? latcol : "lat", loncol && *loncol ? loncol : "lon");
	return outside;
}

size_t spatial_islands_notice(struct buf *out, const char *src, const struct spatial_getis_ord *g, int star,
			      const char *first)
{
	if (!g->nisland)
		return 0;
	buf_printf(out, "%s%s%zu point%s of %zu %s no neighbour within the band (first: ", src ? src : "",
		   src && *src ? ": " : "", g->nisland, g->nisland == 1 ? "" : "s", g->npart, g->nisland == 1 ? "has" : "have");
	if (first && *first)
		buf_printf(out, "%s); ", first);
	else
		buf_printf(out, "point %zu); ", g->first_island + 1);
	if (star)
		buf_printf(out, "%s Gi* rests on %s alone", g->nisland == 1 ? "its" : "their",
			   g->nisland == 1 ? "itself" : "themselves");
	else
		buf_printf(out, "%s Gi has no z or p", g->nisland == 1 ? "its" : "their");
	return g->nisland;
}

void spatial_getis_ord_release(struct spatial_getis_ord *g)
{
	free(g->g);
	free(g->eg);
	free(g->vg);
	free(g->z);
	free(g->p);
	free(g->nneigh);
	memset(g, 0, sizeof(*g));
}

int spatial_spot(const struct spatial_getis_ord *g, size_t i)
{
	if (!(g->p[i] < SPATIAL_SPOT_P))
		return 0;
	return g->z[i] > 0 ? 1 : g->z[i] < 0 ? -1 : 0;
}

const char *spatial_spot_name(int spot)
{
	return spot > 0 ? "hot" : spot < 0 ? "cold" : "";
}

void spatial_spots_count(const struct spatial_getis_ord *g, size_t *hot, size_t *cold)
{
	size_t i;
	*hot = *cold = 0;
	for (i = 0; i < g->n; i++) {
		int c = spatial_spot(g, i);
		*hot += c > 0;
		*cold += c < 0;
	}
}

/* ---- firm-point files ---- */

enum { FC_ID, FC_NAME, FC_IND, FC_LAT, FC_LON, FC_VALUE, FC_N };

/* At most this many attribute columns (they are given one by one). */
#define ATTR_MAX 64

/* The separator of a CSV file: the most frequent of , ; and tab outside
 * quotes on the first line of p[0..n) (',' when there is none). */
static char sniff_sep(const char *p, size_t n)
{
	size_t k;
	int inq = 0;
	long comma = 0, semi = 0, tab = 0;
	for (k = 0; k < n; k++) {
		char ch = p[k];
		if (ch == '"')
			inq = !inq;
		else if (!inq && (ch == '\n' || ch == '\r'))
			break;
		else if (!inq && ch == ',')
			comma++;
		else if (!inq && ch == ';')
			semi++;
		else if (!inq && ch == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

/* The first line of a regular file f (quotes honoured, as sniff_sep reads it) into line;
 * f is put back at its start: -1 with errno when it cannot be. */
static int first_line(FILE *f, struct buf *line)
{
	int ch, inq = 0;
	while ((ch = getc(f)) != EOF) {
		if (ch == '"')
			inq = !inq;
		else if (!inq && (ch == '\n' || ch == '\r'))
			break;
		buf_putc(line, (char)ch);
	}
	if (ferror(f))
		return -1;
	return fseek(f, 0, SEEK_SET) == 0 ? 0 : -1;
}

/* The first line of a stream that cannot be read twice (a pipe) into line, with the line break
 * that ends it (quotes honoured, as sniff_sep reads it): the reader takes them before the rest
 * of the stream (csv_open_file_after).  -1 with errno on a read error. */
static int pipe_first_line(FILE *f, struct buf *line)
{
	int ch, inq = 0;
	while ((ch = getc(f)) != EOF) {
		buf_putc(line, (char)ch);
		if (ch == '"')
			inq = !inq;
		else if (!inq && (ch == '\n' || ch == '\r'))
			break;
	}
	return ferror(f) ? -1 : 0;
}

static int header_find(struct csv *r, const char *want)
{
	size_t i, n = csv_nfields(r);
	for (i = 0; i < n; i++) {
		const char *s = csv_field(r, i);
		size_t len = strlen(s), wl = strlen(want);
		while (*s == ' ') {
			s++;
			len--;
		}
		while (len && s[len - 1] == ' ')
			len--;
		if (len == wl && strncasecmp(s, want, len) == 0)
			return (int)i;
	}
	return -1;
}

/* The column given by the user (must exist) or the first default that exists. */
static int pick_col(struct csv *r, const char *path, const char *given, const char *const *defaults,
		    int required, int *idx, struct kerr *e)
{
	size_t k;
	*idx = -1;
	if (given) {
		if ((*idx = header_find(r, given)) < 0)
			return kerr_set(e, KERR_INPUT, "%s:%ld: the column %s is missing from the header", path,
					csv_line(r), given);
		return 0;
	}
	for (k = 0; defaults[k] && *idx < 0; k++)
		*idx = header_find(r, defaults[k]);
	if (*idx < 0 && required)
		return kerr_set(e, KERR_INPUT, "%s:%ld: the column %s is missing from the header", path,
				csv_line(r), defaults[0]);
	return 0;
}

/* s without the spaces around it: where it begins, its length in *len. */
static const char *trim_spaces(const char *s, size_t *len)
{
	size_t n;
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	*len = n;
	return s;
}

/* A header field h trimmed of spaces into out (cut to fit): a column's name as the file spells it. */
static void header_name(char *out, size_t size, const char *h)
{
	size_t len;
	h = trim_spaces(h, &len);
	snprintf(out, size, "%.*s", (int)len, h);
}

/*
 * A coordinate's column, one of the names names[] (none: a missing column
 * named by names[0]): a header with two of them ("lat" and "latitude") is
 * an error naming both, never one of them read in silence.
 */
static int pick_coord_col(struct csv *r, const char *path, const char *const *names, const char *what, int *idx,
			  struct kerr *e)
{
	size_t k;
	int at;
	*idx = -1;
	for (k = 0; names[k]; k++) {
		if ((at = header_find(r, names[k])) < 0)
			continue;
		if (*idx >= 0) {
			int a = *idx < at ? *idx : at, b = *idx < at ? at : *idx;
			return kerr_set(e, KERR_INPUT, "%s:%ld: the header has two %s columns, %s (field %d) and %s "
					"(field %d), and which one to read is not guessed: remove or rename one of them",
					path, csv_line(r), what, csv_field(r, (size_t)a), a + 1, csv_field(r, (size_t)b),
					b + 1);
		}
		*idx = at;
	}
	if (*idx < 0)
		return kerr_set(e, KERR_INPUT, "%s:%ld: the column %s is missing from the header", path, csv_line(r),
				names[0]);
	return 0;
}

static int is_na(const char *s)
{
	while (*s == ' ')
		s++;
	return !*s || strcasecmp(s, "NA") == 0 || strcasecmp(s, "N/A") == 0 || strcasecmp(s, "null") == 0;
}

/* A coordinate as the data files write numbers (stats_parse_number: digits, a sign, the
 * decimal comma in a file separated by ';', no exponent, no hexadecimal), surrounding spaces
 * allowed.  0, or -1 with a message naming the line and the column: the decimal comma of a
 * file not separated by ';' ("52,1") with the point to write instead, as the statistics'
 * readers say it. */
static int parse_coord(const char *path, long line, const char *col, const char *s, char sep, double *out,
		       struct kerr *e)
{
	char t[80];
	size_t n;
	const char *p = trim_spaces(s, &n);
	double x;
	if (n && n < sizeof(t)) {
		memcpy(t, p, n);
		t[n] = '\0';
		if (stats_parse_number(t, sep == ';', out) == STATS_NUM_OK)
			return 0;
		if (sep != ';' && stats_parse_number(t, 1, &x) == STATS_NUM_OK)
			return stats_decimal_comma_error(path, line, col, s, t, 0, e);
	}
	return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a number", path, line, col, s);
}

/* A header that names one column twice (trimmed, case ignored): the second is never read,
 * so it is an error naming both. */
static int header_twice(struct csv *r, const char *path, struct kerr *e)
{
	size_t i, j, n = csv_nfields(r);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			const char *a = csv_field(r, i), *b = csv_field(r, j);
			size_t la, lb;
			while (*a == ' ')
				a++;
			while (*b == ' ')
				b++;
			la = strlen(a);
			lb = strlen(b);
			while (la && a[la - 1] == ' ')
				la--;
			while (lb && b[lb - 1] == ' ')
				lb--;
			if (la && la == lb && strncasecmp(a, b, la) == 0)
				return kerr_set(e, KERR_INPUT, "%s:%ld: the header names column %.*s twice (fields %zu and "
						"%zu)", path, csv_line(r), (int)la, a, i + 1, j + 1);
		}
	return 0;
}

enum { FV_OK = 0, FV_MISSING = 1, FV_BAD = -1, FV_NEGATIVE = -2, FV_DOT_THOUSANDS = -3, FV_LONG = -4,
       FV_DECIMAL_COMMA = -5 };

/*
 * A firm's value — the value column of `map hotspots`, an attribute of
 * `import firms` — by one rule on every path: empty, NA (N/A, null) and
 * ":" are FV_MISSING; a number is read by the statistics' parser
 * (stats_parse_number: thousands separators, the decimal comma in a ';'
 * file, no exponent) and must be 0 or more (FV_NEGATIVE); in a ';' file
 * "1.234" is ambiguous, as in the statistics (FV_DOT_THOUSANDS: 1234 or
 * 1,234); a number of more digits than the parser reads is FV_LONG;
 * one with the decimal comma in a file not separated by ';' ("1,5") is
 * FV_DECIMAL_COMMA; anything else is FV_BAD.
 */
static int firm_value(const char *s, char sep, double *v)
{
	char buf[128], *t = buf;
	size_t n;
	int rc;
	if (is_na(s))
		return FV_MISSING;
	s = trim_spaces(s, &n);
	if (n >= sizeof(buf))
		t = xmalloc(n + 1);   /* rare: a long field, told as too long or as no number */
	memcpy(t, s, n);
	t[n] = '\0';
	rc = stats_parse_number(t, sep == ';', v);
	if (rc == STATS_NUM_OK && sep == ';' && stats_dot_thousands(t))
		rc = FV_DOT_THOUSANDS;
	if (rc == STATS_NUM_BAD && sep != ';' && stats_parse_number(t, 1, v) == STATS_NUM_OK)
		rc = FV_DECIMAL_COMMA;
	if (t != buf)
		free(t);
	if (rc == STATS_NUM_MISSING)
		return FV_MISSING;
	if (rc == STATS_NUM_LONG)
		return FV_LONG;
	if (rc == FV_DOT_THOUSANDS || rc == FV_DECIMAL_COMMA)
		return rc;
	if (rc != STATS_NUM_OK)
		return FV_BAD;
	return *v < 0 ? FV_NEGATIVE : FV_OK;
}

/* The message about a value firm_value refused (bad: FV_BAD, FV_NEGATIVE, FV_DOT_THOUSANDS,
 * FV_DECIMAL_COMMA or FV_LONG). */
static int firm_value_error(int bad, const char *path, long line, const char *col, const char *s, struct kerr *e)
{
	if (bad == FV_DECIMAL_COMMA) {   /* the words of the statistics' readers, with s trimmed */
		struct buf t = BUF_INIT;
		const char *p = s + strspn(s, " ");
		size_t n = strlen(p);
		while (n && p[n - 1] == ' ')
			n--;
		buf_add(&t, p, n);
		stats_decimal_comma_error(path, line, col, s, t.ptr, 1, e);
		buf_release(&t);
		return -1;
	}
	if (bad == FV_NEGATIVE)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: %s is negative (values must be 0 or more)", path,
				line, col, s);
	if (bad == FV_DOT_THOUSANDS)   /* the words of the statistics' readers */
		return stats_dot_thousands_error(path, line, col, s, s + strspn(s, " "), e);
	if (bad == FV_LONG)   /* more than 60 digits: quoted by its first 40 bytes */
		return stats_number_too_long(path, line, col, s, "a value", 40, e);
	return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a number", path, line, col, s);
}

static size_t add_str(struct buf *b, const char *s)
{
	size_t off = b->len;
	buf_add(b, s, strlen(s) + 1);
	return off;
}

void spatial_firms_add(struct spatial_firms *f, const char *id, const char *name, const char *industry,
		       double lat, double lon)
{
	size_t k;
	if (f->n == f->cap) {
		f->cap = f->cap ? st_mult(f->cap, 2) : 1024;
		f->lat = xrealloc(f->lat, st_mult(f->cap, sizeof(double)));
		f->lon = xrealloc(f->lon, st_mult(f->cap, sizeof(double)));
		f->id = xrealloc(f->id, st_mult(f->cap, sizeof(size_t)));
		f->name = xrealloc(f->name, st_mult(f->cap, sizeof(size_t)));
		f->industry = xrealloc(f->industry, st_mult(f->cap, sizeof(size_t)));
		if (f->nattr)
			f->attr = xrealloc(f->attr, st_mult(st_mult(f->cap, f->nattr), sizeof(double)));
	}
	f->lat[f->n] = lat;
	f->lon[f->n] = lon;
	f->id[f->n] = add_str(&f->strs, id ? id : "");
	f->name[f->n] = add_str(&f->strs, name ? name : "");
	f->industry[f->n] = add_str(&f->strs, industry ? industry : "");
	for (k = 0; k < f->nattr; k++)
		f->attr[f->n * f->nattr + k] = NAN;
	f->n++;
}

void spatial_firms_with_attr(const struct spatial_firms *f, size_t k, struct spatial_firms *out, size_t **index)
{
	size_t i, n = 0;
	if (k >= f->nattr)
		BUG("spatial_firms_with_attr: attribute %zu of %zu", k, f->nattr);
	memset(out, 0, sizeof(*out));
	out->strs = (struct buf)BUF_INIT;
	memcpy(out->lat_col, f->lat_col, sizeof(out->lat_col));
	memcpy(out->lon_col, f->lon_col, sizeof(out->lon_col));
	for (i = 0; i < f->n; i++)
		n += !isnan(f->attr[i * f->nattr + k]);
	out->rows = (long)f->n;
	out->no_value = (long)(f->n - n);
	if (index)
		*index = NULL;
	if (!n)
		return;
	ALLOC_ARRAY(out->value, n);
	if (index)
		ALLOC_ARRAY(*index, n);
	for (i = 0; i < f->n; i++) {
		double v = f->attr[i * f->nattr + k];
		if (isnan(v))
			continue;
		if (index)
			(*index)[out->n] = i;
		out->value[out->n] = v;
		spatial_firms_add(out, spatial_firm_id(f, i), spatial_firm_name(f, i), spatial_firm_industry(f, i),
				  f->lat[i], f->lon[i]);
	}
}

/* Reads the attributes of the row being read into the firm last added
 * (firm_value): missing stays missing; a value that is not a number of 0
 * or more is an error naming the line and the column, or with
 * skip_invalid missing and counted. */
static int read_attrs(struct csv *r, const char *path, char sep, const struct spatial_firms_opts *o,
		      const int *aidx, struct spatial_firms *f, struct kerr *e)
{
	size_t k;
	long line = csv_line(r);
	for (k = 0; k < f->nattr; k++) {
		const char *s = csv_field(r, (size_t)aidx[k]);
		double v;
		int got = firm_value(s, sep, &v);
		if (got == FV_MISSING) {
			f->attr_missing[k]++;
			continue;
		}
		if (got != FV_OK && !o->skip_invalid)
			return firm_value_error(got, path, line, o->attr_cols[k], s, e);
		if (got != FV_OK) {
			if (!f->attr_invalid++) {
				f->first_attr_invalid = line;
				f->first_attr_invalid_col = k;
			}
			f->attr_missing[k]++;
			continue;
		}
		f->attr[(f->n - 1) * f->nattr + k] = v;
	}
	return 0;
}

int spatial_firms_load(const char *path, const struct spatial_firms_opts *o, struct spatial_firms *f,
		       struct kerr *e)
{
	static const char *const d_id[] = { "id", NULL };
	static const char *const d_name[] = { "name", "installation_name", "operator_name", NULL };
	static const char *const d_ind[] = { "industry", "ets_activity_code", "nace", "pkd", NULL };
	static const char *const d_lat[] = { "lat", "latitude", NULL };
	static const char *const d_lon[] = { "lon", "longitude", "lng", NULL };
	static const char *const d_x[] = { "x", NULL };
	static const char *const d_y[] = { "y", NULL };
	const char *colname[FC_N] = { "id", "name", "industry", o->planar ? "y" : "lat", o->planar ? "x" : "lon",
				      o->value_col };
	struct buf shown = BUF_INIT;   /* the file in messages: control characters escaped */
	const char *name;
	FILE *fp;
	struct csv *r = NULL;
	int idx[FC_N], aidx[ATTR_MAX], got, rc = -1;
	size_t a;
	struct progress pg;
	struct stat sb;
	struct strset ids = STRSET_INIT, inds = STRSET_INIT;
	struct buf head = BUF_INIT;
	char sep;
	size_t indcap = 0, ncols = 0;
	long first;
	int ind_name_idx = -1;
	char indcol[64] = "";

	memset(f, 0, sizeof(*f));
	memset(&pg, 0, sizeof(pg));
	f->strs = (struct buf)BUF_INIT;
	if (o->nattr > ATTR_MAX)
		return kerr_set(e, KERR_USAGE, "at most %d value columns, not %zu", ATTR_MAX, o->nattr);
	esc_filename(&shown, o->display_name ? o->display_name : path);
	name = shown.ptr;
	if (!(fp = fopen(path, "rb"))) {
		kerr_set(e, KERR_IO, "cannot open %s: %s", name, strerror(errno));
		buf_release(&shown);
		return -1;
	}
	outfile_input(fileno(fp), name);
	if (fstat(fileno(fp), &sb) != 0) {
		kerr_set(e, KERR_IO, "%s: %s", name, strerror(errno));
		goto out;
	}
	if (S_ISREG(sb.st_mode)) {
		/* the separator from the first line, then the file from its start */
		if (first_line(fp, &head)) {
			kerr_set(e, KERR_IO, "%s: %s", name, strerror(errno));
			goto out;
		}
		sep = sniff_sep(head.ptr, head.len);
		r = csv_open_file(fp, name, sep);
	} else {
		/* a pipe (/dev/stdin) cannot be read twice: its first line, then the rest as it comes,
		 * never the whole of it in memory */
		if (pipe_first_line(fp, &head)) {
			kerr_set(e, KERR_IO, "%s: %s", name, strerror(errno));
			goto out;
		}
		sep = sniff_sep(head.ptr, head.len);
		r = csv_open_file_after(fp, head.ptr, head.len, name, sep);
	}
	if (o->progress && S_ISREG(sb.st_mode)) {
		pg.out = o->progress;
		pg.size = (unsigned long long)sb.st_size;
		pg.name = name;
		pg.on = progress_want(pg.out, pg.size, PROGRESS_MIN_BYTES);
	}
	if ((got = csv_next(r, e)) <= 0) {
		if (got == 0)
			kerr_set(e, KERR_INPUT, "%s: the file is empty (a header row is needed)", name);
		goto out;
	}
	ncols = csv_nfields(r);
	csv_set_columns(r, csv_fields(r), ncols);   /* a field too long is named by its column */
	if (header_twice(r, name, e) ||
	    pick_col(r, name, o->id_col, d_id, 1, &idx[FC_ID], e) ||
	    pick_col(r, name, o->name_col, d_name, 0, &idx[FC_NAME], e) ||
	    pick_col(r, name, o->industry_col, d_ind, o->industry != NULL, &idx[FC_IND], e) ||
	    pick_coord_col(r, name, o->planar ? d_y : d_lat, o->planar ? "y" : "latitude", &idx[FC_LAT], e) ||
	    pick_coord_col(r, name, o->planar ? d_x : d_lon, o->planar ? "x" : "longitude", &idx[FC_LON], e) ||
	    (o->value_col && pick_col(r, name, o->value_col, NULL, 1, &idx[FC_VALUE], e)))
		goto out;
	if (!o->value_col)
		idx[FC_VALUE] = -1;
	if (idx[FC_IND] >= 0)   /* the industry column's name as the header has it, for messages */
		snprintf(indcol, sizeof(indcol), "%s", csv_field(r, (size_t)idx[FC_IND]));
	/* the coordinates' columns as the header spells them ("latitude", "lng"), for messages */
	header_name(f->lat_col, sizeof(f->lat_col), csv_field(r, (size_t)idx[FC_LAT]));
	header_name(f->lon_col, sizeof(f->lon_col), csv_field(r, (size_t)idx[FC_LON]));
	colname[FC_LAT] = f->lat_col;
	colname[FC_LON] = f->lon_col;
	if (o->industry_name_col && pick_col(r, name, o->industry_name_col, NULL, 1, &ind_name_idx, e))
		goto out;
	if (o->industry_name_col && idx[FC_IND] < 0) {
		kerr_set(e, KERR_INPUT, "%s: column %s names industries, but the file has no industry column "
			 "(industry, ets_activity_code, nace or pkd, or --industry-column)", name, o->industry_name_col);
		goto out;
	}
	for (a = 0; a < o->nattr; a++)
		if (pick_col(r, name, o->attr_cols[a], NULL, 1, &aidx[a], e))
			goto out;
	f->nattr = o->nattr;
	f->attr_missing = xcalloc(o->nattr + 1, sizeof(*f->attr_missing));
	while ((got = csv_next(r, e)) == 1) {
		const char *s[FC_N];
		double lat, lon, val = 0;
		int k;
		long line = csv_line(r);
		if (csv_nfields(r) != ncols) {
			/* a name with a comma not in quotes shifts the coordinates: never guess */
			kerr_set(e, KERR_INPUT, "%s:%ld: the row has %zu field%s, the header has %zu", name, line,
				 csv_nfields(r), csv_nfields(r) == 1 ? "" : "s", ncols);
			goto out;
		}
		for (k = 0; k < FC_N; k++)
			s[k] = idx[k] >= 0 ? csv_field(r, (size_t)idx[k]) : "";
		if ((++f->rows & 4095) == 0)
			progress_show(&pg, csv_bytes(r), f->rows, 0);
		if (o->industry && strcmp(s[FC_IND], o->industry) != 0) {
			f->filtered++;
			continue;
		}
		for (k = FC_ID; k <= FC_IND; k++) {
			/* text, as a statistics file's codes and names are: a control character would
			 * reach a terminal, a page's download or a spreadsheet as it is */
			unsigned cc = text_control(s[k]);
			if (cc) {
				kerr_set(e, KERR_INPUT, "%s:%ld: column %s holds a control character (U+%04X): %s are "
					 "text", name, line, k == FC_ID && o->id_col ? o->id_col : colname[k], cc,
					 k == FC_NAME ? "names" : "codes");
				goto out;
			}
		}
		if (!*s[FC_ID]) {
			kerr_set(e, KERR_INPUT, "%s:%ld: column %s: the id is empty", name, line,
				 o->id_col ? o->id_col : colname[FC_ID]);
			goto out;
		}
		if ((first = strset_add(&ids, s[FC_ID], line)) != 0) {
			kerr_set(e, KERR_CONFLICT, "%s:%ld: column %s: firm %s is given twice (first on line %ld)", name,
				 line, o->id_col ? o->id_col : colname[FC_ID], s[FC_ID], first);
			goto out;
		}
		if (is_na(s[FC_LAT]) || is_na(s[FC_LON])) {
			if (!f->no_coords++)
				f->first_no_coords = line;
			continue;
		}
		for (k = FC_LAT; k <= FC_LON; k++) {
			double *v = k == FC_LAT ? &lat : &lon;
			double lim = k == FC_LAT ? 90 : 180;
			if (parse_coord(name, line, colname[k], s[k], sep, v, e))
				goto out;
			if (!o->planar && !(*v >= -lim && *v <= lim)) {
				kerr_set(e, KERR_INPUT, "%s:%ld: column %s: %s is outside [%g, %g]", name, line,
					 colname[k], s[k], -lim, lim);
				goto out;
			}
		}
		if (idx[FC_VALUE] >= 0) {
			int got_value = firm_value(s[FC_VALUE], sep, &val);
			if (got_value == FV_MISSING || (got_value != FV_OK && o->skip_invalid)) {
				if (!f->no_value++)
					f->first_no_value = line;
				continue;
			}
			if (got_value != FV_OK) {
				firm_value_error(got_value, name, line, o->value_col, s[FC_VALUE], e);
				goto out;
			}
		}
		if (o->max_firms && f->n == o->max_firms) {
			kerr_set(e, KERR_TOOBIG, "%s:%ld: more than %zu located firms", name, line, o->max_firms);
			goto out;
		}
		if (idx[FC_VALUE] >= 0 && f->n == f->cap)
			f->value = xrealloc(f->value, st_mult(f->cap ? st_mult(f->cap, 2) : 1024, sizeof(double)));
		if (f->value)
			f->value[f->n] = val;
		spatial_firms_add(f, s[FC_ID], s[FC_NAME], s[FC_IND], lat, lon);
		if (f->nattr && read_attrs(r, name, sep, o, aidx, f, e))
			goto out;
		if (ind_name_idx >= 0 && *s[FC_IND]) {
			/* the industry's name: the first row of each code gives it */
			const char *nm = csv_field(r, (size_t)ind_name_idx);
			long at;
			if (!*nm || is_na(nm))
				continue;
			if ((at = strset_add(&inds, s[FC_IND], (long)f->nind_names + 1)) != 0) {
				if (strcmp(f->strs.ptr + f->ind_name[at - 1], nm) != 0 && !f->ind_name_conflicts++)
					f->first_ind_name_conflict = line;
				continue;
			}
			if (f->nind_names == indcap) {
				indcap = indcap ? st_mult(indcap, 2) : 64;
				f->ind_code = xrealloc(f->ind_code, st_mult(indcap, sizeof(size_t)));
				f->ind_name = xrealloc(f->ind_name, st_mult(indcap, sizeof(size_t)));
			}
			f->ind_code[f->nind_names] = add_str(&f->strs, s[FC_IND]);
			f->ind_name[f->nind_names++] = add_str(&f->strs, nm);
		}
	}
	if (got < 0)
		goto out;
	if (!f->n) {
		/* nothing to analyse is an input error, as for the statistics: never an empty table */
		if (!f->rows)
			kerr_set(e, KERR_INPUT, "%s: no data rows after the header", name);
		else if (o->industry && f->filtered == f->rows && f->rows == 1)
			kerr_set(e, KERR_INPUT, "%s: no firm has industry %s (column %s): its one row is of another "
				 "industry", name, o->industry, indcol[0] ? indcol : "industry");
		else if (o->industry && f->filtered == f->rows)
			kerr_set(e, KERR_INPUT, "%s: no firm has industry %s (column %s): all %ld rows are of other "
				 "industries", name, o->industry, indcol[0] ? indcol : "industry", f->rows);
		else if (o->value_col && f->no_value)
			kerr_set(e, KERR_INPUT, "%s: no located firm%s%s has a value of %s (%ld rows without one, first "
				 "on line %ld)", name, o->industry ? " of industry " : "", o->industry ? o->industry : "",
				 o->value_col, f->no_value, f->first_no_value);
		else
			kerr_set(e, KERR_INPUT, "%s: no firm%s%s has coordinates (%ld row%s without them, first on line "
				 "%ld)", name, o->industry ? " of industry " : "", o->industry ? o->industry : "",
				 f->no_coords, f->no_coords == 1 ? "" : "s", f->first_no_coords);
		goto out;
	}
	if (buf_failed(&f->strs)) {
		kerr_set(e, KERR_INTERNAL, "%s: out of memory", name);
		goto out;
	}
	progress_show(&pg, pg.size, f->rows, 1);
	rc = 0;
out:
	if (rc)
		progress_break(&pg);  /* the message starts on a line of its own */
	strset_release(&ids);
	strset_release(&inds);
	csv_free(r);
	fclose(fp);
	buf_release(&head);
	buf_release(&shown);
	if (rc)
		spatial_firms_release(f);   /* nothing half-loaded reaches the caller */
	return rc;
}

void spatial_firms_release(struct spatial_firms *f)
{
	free(f->lat);
	free(f->lon);
	free(f->value);
	free(f->attr);
	free(f->attr_missing);
	free(f->id);
	free(f->name);
	free(f->industry);
	free(f->ind_code);
	free(f->ind_name);
	free(f->ind_lang[0]);
	free(f->ind_lang[1]);
	buf_release(&f->strs);
	memset(f, 0, sizeof(*f));
	f->strs = (struct buf)BUF_INIT;
}

/* ---- result tables ---- */

const char *const spatial_dbscan_columns[] = { "id", "name", "industry", "lat", "lon", "cluster", "core", NULL };
const char *const spatial_hotspot_columns[] = { "id", "name", "industry", "lat", "lon", "value", "gi", "z", "p",
						 "spot", NULL };
const char *const spatial_planar_hotspot_columns[] = { "id", "name", "industry", "x", "y", "value", "gi", "z", "p",
						       "spot", NULL };
const char *const spatial_grid_hotspot_columns[] = { "cell", "row", "col", "lat", "lon", "south", "west", "north",
						      "east", "firms", "area_km2", "gi", "z", "p", "spot", NULL };
const char *const spatial_laea_grid_hotspot_columns[] = { "cell", "code", "row", "col", "lat", "lon", "x", "y",
							   "firms", "area_km2", "gi", "z", "p", "spot", NULL };

const char *const *spatial_grid_hotspot_columns_of(const struct spatial_grid *g)
{
	return g->kind == SPATIAL_GRID_LAEA ? spatial_laea_grid_hotspot_columns : spatial_grid_hotspot_columns;
}

int spatial_write_dbscan(const struct spatial_firms *f, const struct spatial_dbscan *d, struct tablew *t,
			 struct kerr *e)
{
	size_t i;
	if (d->n != f->n)
		BUG("spatial_write_dbscan: %zu labels for %zu firms", d->n, f->n);
	for (i = 0; i < f->n; i++) {
		tablew_text(t, spatial_firm_id(f, i));
		tablew_text(t, spatial_firm_name(f, i));
		tablew_text(t, spatial_firm_industry(f, i));
		tablew_num(t, f->lat[i]);
		tablew_num(t, f->lon[i]);
		tablew_int(t, d->label[i]);
		tablew_bool(t, d->core[i]);
		tablew_point(t, f->lon[i], f->lat[i]);
		tablew_end_row(t);
	}
	(void)e;
	return 0;
}

/* The spot column: "hot" or "cold", and for neither an empty cell (an empty
 * CSV field, as ever; null in JSON, as the API writes it; a blank XLSX cell). */
static void spot_cell(struct tablew *t, int spot)
{
	tablew_text(t, spot ? spatial_spot_name(spot) : NULL);
}

int spatial_write_grid_hotspots(const struct spatial_grid *g, const struct spatial_getis_ord *go, struct tablew *t,
				struct kerr *e)
{
	size_t k;
	char code[96];
	double outline[2 * SPATIAL_OUTLINE_MAX];
	if (go->n != g->n)
		BUG("spatial_write_grid_hotspots: %zu results for %zu cells", go->n, g->n);
	for (k = 0; k < g->n; k++) {
		size_t row = k / g->cols, col = k % g->cols;
		if (!spatial_grid_cell_in(g, k))
			continue;
		tablew_int(t, (long long)k);
		if (g->kind == SPATIAL_GRID_LAEA) {
			spatial_grid_code(g, k, code, sizeof(code));
			tablew_text(t, code);
		}
		tablew_int(t, (long long)row);
		tablew_int(t, (long long)col);
		tablew_num(t, g->lat[k]);
		tablew_num(t, g->lon[k]);
		if (g->kind == SPATIAL_GRID_LAEA) {
			tablew_num(t, g->x0 + (double)col * g->cell_m);
			tablew_num(t, g->y0 + (double)row * g->cell_m);
		} else {
			double b[4];
			cell_box_degrees(g, k, b);
			tablew_num(t, b[0]);
			tablew_num(t, b[1]);
			tablew_num(t, b[2]);
			tablew_num(t, b[3]);
		}
		tablew_num(t, g->count[k]);
		tablew_num(t, g->area[k]);
		tablew_num(t, go->g[k]);
		tablew_num(t, go->z[k]);
		tablew_num(t, go->p[k]);
		spot_cell(t, spatial_spot(go, k));
		if (tablew_wants_geometry(t))
			tablew_polygon(t, outline, spatial_grid_outline(g, k, outline));
		tablew_end_row(t);
	}
	(void)e;
	return 0;
}

int spatial_write_hotspots(const struct spatial_firms *f, const struct spatial_getis_ord *g, int planar,
			   struct tablew *t, struct kerr *e)
{
	size_t i;
	if (g->n != f->n || !f->value)
		BUG("spatial_write_hotspots: %zu results for %zu points", g->n, f->n);
	for (i = 0; i < f->n; i++) {
		tablew_text(t, spatial_firm_id(f, i));
		tablew_text(t, spatial_firm_name(f, i));
		tablew_text(t, spatial_firm_industry(f, i));
		tablew_num(t, planar ? f->lon[i] : f->lat[i]);   /* x, y: lon holds x, lat y */
		tablew_num(t, planar ? f->lat[i] : f->lon[i]);
		tablew_num(t, f->value[i]);
		tablew_num(t, g->g[i]);
		tablew_num(t, g->z[i]);
		tablew_num(t, g->p[i]);
		spot_cell(t, spatial_spot(g, i));
		if (!planar)
			tablew_point(t, f->lon[i], f->lat[i]);
		tablew_end_row(t);
	}
	(void)e;
	return 0;
}
