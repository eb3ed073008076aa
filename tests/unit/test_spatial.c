/*
 * test_spatial.c — DBSCAN on geographic coordinates and Getis–Ord hot
 * spots (spatial.h), and the firm-point reader.
 *
 * The DBSCAN cases are hand-made; the grid index is also checked against a
 * brute-force search over all pairs.  The Getis–Ord values are PySAL esda's
 * test vector (esda/tests/test_getisord.py, tests/vectors/README.md § 7).
 */
#include <pthread.h>

#include "geo.h"
#include "spatial.h"
#include "t.h"

/* Metres along the equator (or a meridian) in degrees. */
#define DEG(m) ((m) / (SPATIAL_EARTH_RADIUS_M * M_PI / 180.0))

static int dbscan(const double *lat, const double *lon, size_t n, double eps, size_t k, struct spatial_dbscan *d)
{
	struct kerr e = KERR_INIT;
	int rc = spatial_dbscan(lat, lon, n, eps, k, d, &e);
	if (rc)
		printf("#   %s\n", e.msg);
	return rc;
}

/* One of two point sets clustered again and again by a thread of its own (the portal's worker
 * threads run DBSCAN at once): each run's labels must be those of the set run alone. */
struct concurrent {
	const double *lat, *lon;
	size_t n;
	const long *want;
	int runs, differ;
};

static void *dbscan_again(void *arg)
{
	struct concurrent *c = arg;
	int k;
	for (k = 0; k < c->runs; k++) {
		struct spatial_dbscan d;
		struct kerr e = KERR_INIT;
		if (spatial_dbscan(c->lat, c->lon, c->n, 800, 3, &d, &e)) {
			c->differ++;
			continue;
		}
		c->differ += memcmp(d.label, c->want, c->n * sizeof(long)) != 0;
		spatial_dbscan_release(&d);
	}
	return NULL;
}

T_TEST(dbscan_threads)
{
	enum { N = 30000 };
	static double lat[2][N], lon[2][N];
	struct spatial_dbscan alone[2];
	struct concurrent c[2];
	pthread_t th[2];
	unsigned seed = 7;
	size_t s, i;
	for (s = 0; s < 2; s++) {
		for (i = 0; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			lat[s][i] = 50 + (s ? 2.0 : 0.5) * (double)(seed >> 8) / 16777216.0;
			seed = seed * 1103515245u + 12345u;
			lon[s][i] = 19 + (s ? 0.7 : 2.0) * (double)(seed >> 8) / 16777216.0;
		}
		T_EQ_INT(dbscan(lat[s], lon[s], N, 800, 3, &alone[s]), 0);
		c[s] = (struct concurrent){ lat[s], lon[s], N, alone[s].label, 6, 0 };
	}
	for (s = 0; s < 2; s++)
		T_EQ_INT(pthread_create(&th[s], NULL, dbscan_again, &c[s]), 0);
	for (s = 0; s < 2; s++)
		pthread_join(th[s], NULL);
	T_EQ_INT(c[0].differ + c[1].differ, 0);
	spatial_dbscan_release(&alone[0]);
	spatial_dbscan_release(&alone[1]);
}

T_TEST(haversine)
{
	/* one degree of latitude: R·π/180 */
	T_NEAR(spatial_haversine_m(0, 0, 1, 0), SPATIAL_EARTH_RADIUS_M * M_PI / 180.0, 1e-12);
	/* across the 180th meridian: 0.002 degrees on the equator */
	T_NEAR(spatial_haversine_m(0, 179.999, 0, -179.999), SPATIAL_EARTH_RADIUS_M * M_PI / 180.0 * 0.002, 1e-9);
	/* the pole is one point whatever the longitude */
	T_OK(spatial_haversine_m(90, 0, 90, 123) < 1e-6);
	/* antipodes: half the circumference */
	T_NEAR(spatial_haversine_m(0, 0, 0, 180), SPATIAL_EARTH_RADIUS_M * M_PI, 1e-12);
}

/*
 * Two clusters and noise, eps 500 m, min_samples 3.  Cluster B (around
 * 50N 20E) has the first core point (index 0), so it is cluster 0; the
 * points of A (52N 21E) come later and form cluster 1.  Indices 3 and 7
 * are far from everything: noise.
 */
T_TEST(two_clusters_and_noise)
{
	double lat[] = { 50, 52, 50 + DEG(100), 10, 52 + DEG(50), 50 + DEG(200), 52 + DEG(150), -30, 52 + DEG(250),
			 52 + DEG(300) };
	double lon[] = { 20, 21, 20, 10, 21, 20, 21, 100, 21, 21 };
	long want[] = { 0, 1, 0, -1, 1, 0, 1, -1, 1, 1 };
	struct spatial_dbscan d;
	size_t i;
	if (!T_OK(dbscan(lat, lon, 10, 500, 3, &d) == 0))
		return;
	for (i = 0; i < 10; i++)
		T_EQ_INT(d.label[i], want[i]);
	T_EQ_INT(d.nclusters, 2);
	T_EQ_INT(d.nnoise, 2);
	T_EQ_INT(d.ncore, 8);
	spatial_dbscan_release(&d);
}

/* Cluster summaries: sizes, core counts, the spherical centre, the box,
 * the radius and the first member; across the 180th meridian the centre
 * stays on it (the box, in plain degrees, spans the globe). */
T_TEST(cluster_summaries)
{
	double lat[] = { 50, 52, 50 + DEG(100), 10, 52 + DEG(50), 50 + DEG(200), 52 + DEG(150), -30, 52 + DEG(250),
			 52 + DEG(300) };
	double lon[] = { 20, 21, 20, 10, 21, 20, 21, 100, 21, 21 };
	double alat[] = { 0, 0, DEG(100), -DEG(100) };
	double alon[] = { 179.9995, -179.9995, 180, -180 };
	struct spatial_dbscan d;
	struct spatial_cluster *c;
	if (!T_OK(dbscan(lat, lon, 10, 500, 3, &d) == 0))
		return;
	spatial_dbscan_clusters(lat, lon, &d, &c);
	if (T_OK(c != NULL)) {
		T_EQ_INT(c[0].n, 3);
		T_EQ_INT(c[0].ncore, 3);
		T_EQ_INT(c[0].first, 0);
		T_EQ_INT(c[1].n, 5);
		T_EQ_INT(c[1].first, 1);
		/* three points 100 m apart on a meridian: the middle one is the centre */
		T_NEAR(c[0].lat, 50 + DEG(100), 1e-9);
		T_NEAR(c[0].lon, 20, 1e-9);
		T_NEAR(c[0].radius_m, 100, 1e-3);
		T_NEAR(c[0].bbox[1], 50, 0);
		T_NEAR(c[0].bbox[3], 50 + DEG(200), 0);
		T_NEAR(c[1].lat, 52 + DEG(150), 1e-9);
		T_NEAR(c[1].radius_m, 150, 1e-3);
	}
	free(c);
	spatial_dbscan_release(&d);
	if (!T_OK(dbscan(alat, alon, 4, 500, 2, &d) == 0))
		return;
	spatial_dbscan_clusters(alat, alon, &d, &c);
	if (T_OK(c != NULL && d.nclusters == 1)) {
		T_OK(fabs(c[0].lon) > 179.9999);
		T_NEAR(c[0].lat, 0, 1e-9);
		T_OK(c[0].radius_m < 112);
		T_NEAR(c[0].bbox[0], -180, 0);
		T_NEAR(c[0].bbox[2], 180, 0);
	}
	free(c);
	spatial_dbscan_release(&d);
	/* no cluster: no summaries */
	if (!T_OK(dbscan(lat, lon, 10, 1, 3, &d) == 0))
		return;
	spatial_dbscan_clusters(lat, lon, &d, &c);
	T_OK(c == NULL);
	spatial_dbscan_release(&d);
}

/* spatial_grid_counts on a grid in degrees of cell_m, at most max cells, no study area. */
static int counts(const double *lat, const double *lon, size_t n, double cell_m, size_t max, struct spatial_grid *g,
		  struct kerr *e)
{
	struct spatial_grid_opts o;
	memset(&o, 0, sizeof(o));
	o.cell_m = cell_m;
	o.max_cells = max;
	return spatial_grid_counts(lat, lon, n, &o, g, e);
}

/* Counts on a grid: cells of 1 km from the south-west point, the last edge
 * in the last cell, every empty cell listed, too many cells refused. */
T_TEST(grid_counts)
{
	double d = DEG(1000);                 /* a cell's height in degrees */
	double lat[] = { 0, 0.5 * d, 2 * d, 1.5 * d, 0 };
	double lon[] = { 0, 0.5 * d, 0, 0.2 * d, 3 * d };   /* at the equator a cell is as wide as high */
	struct spatial_grid g;
	struct kerr e = KERR_INIT;
	if (!T_OK(counts(lat, lon, 5, 1000, 100, &g, &e) == 0))
		return;
	T_EQ_INT(g.rows, 3);                  /* 2 cells and the last edge: floor(2) + 1 */
	T_EQ_INT(g.cols, 3);                  /* 3 cells east at the equator are 2.99… at latitude d: floor + 1 */
	T_EQ_INT(g.n, 9);
	T_NEAR(g.dlat, d, 1e-15);
	T_NEAR(g.dlon, d / cos(d * M_PI / 180.0), 1e-15);   /* the middle latitude is d, not 0 */
	T_EQ_INT(g.cell[0], 0);
	T_EQ_INT(g.cell[1], 0);
	T_EQ_INT(g.cell[2], 2 * 3 + 0);      /* on the northern edge: the last row */
	T_EQ_INT(g.cell[3], 1 * 3 + 0);
	T_EQ_INT(g.cell[4], 0 * 3 + 2);
	T_NEAR(g.count[0], 2, 0);
	T_NEAR(g.count[1], 0, 0);
	T_NEAR(g.lat[5], 1.5 * d, 1e-15);
	T_NEAR(g.lon[5], 2.5 * g.dlon, 1e-15);
	spatial_grid_release(&g);
	T_EQ_INT(counts(lat, lon, 5, 1000, 8, &g, &e), -1);
	T_OK(strstr(e.msg, "9 cells") != NULL);
	spatial_grid_release(&g);
	T_EQ_INT(counts(lat, lon, 5, 1, 1000, &g, &e), -1);   /* 1 m cells: millions */
	spatial_grid_release(&g);   /* after a failure too (spatial.h) */
	T_EQ_INT(counts(lat, lon, 0, 1000, 100, &g, &e), -1);
	T_EQ_INT(counts(lat, lon, 5, 0, 100, &g, &e), -1);
	spatial_grid_release(&g);
}

/*
 * The grid of Europe (EPSG:3035): the corners at multiples of the cell
 * from the projection's origin, every cell of cell_m² on the ground, the
 * INSPIRE code of the south-west corner, the centre and the corners brought
 * back to degrees.  The projection itself is checked in test_geo (the IOGP
 * example) and against PROJ in tests/cli/test_spatial.py.
 */
T_TEST(grid_laea)
{
	double lat[] = { 52.2297, 50.0614, 54.352, 52.2297 };
	double lon[] = { 21.0122, 19.9366, 18.6466, 21.0122 };
	double x, y, corners[8], la, lo;
	struct spatial_grid_opts o;
	struct spatial_grid g;
	struct kerr e = KERR_INIT;
	char code[96], want[96];
	size_t i, k;
	memset(&o, 0, sizeof(o));
	o.kind = SPATIAL_GRID_LAEA;
	o.cell_m = 10000;
	o.max_cells = 10000;
	if (!T_OK(spatial_grid_counts(lat, lon, 4, &o, &g, &e) == 0))
		return;
	T_OK(fmod(g.x0, 10000) == 0 && fmod(g.y0, 10000) == 0);
	T_EQ_INT(g.nin, g.n);
	T_OK(g.in == NULL);
	for (i = 0; i < 4; i++) {
		size_t c = g.cell[i];
		geo_laea_forward(lat[i], lon[i], &x, &y);
		/* the point lies in its cell's square */
		T_OK(x >= g.x0 + (double)(c % g.cols) * 10000 && x < g.x0 + (double)(c % g.cols + 1) * 10000);
		T_OK(y >= g.y0 + (double)(c / g.cols) * 10000 && y < g.y0 + (double)(c / g.cols + 1) * 10000);
		spatial_grid_code(&g, c, code, sizeof(code));
		snprintf(want, sizeof(want), "CRS3035RES10000mN%.0fE%.0f", floor(y / 10000) * 10000, floor(x / 10000) * 10000);
		T_EQ_STR(code, want);
	}
	T_EQ_INT(g.cell[0], g.cell[3]);
	T_NEAR(g.count[g.cell[0]], 2, 0);
	for (k = 0; k < g.n; k++)
		T_NEAR(g.area[k], 100.0, 1e-9);
	/* the centre and the corners are the square's, back in degrees */
	k = g.cell[1];
	geo_laea_forward(g.lat[k], g.lon[k], &x, &y);
	T_NEAR(x, g.x0 + ((double)(k % g.cols) + 0.5) * 10000, 1e-3);
	T_NEAR(y, g.y0 + ((double)(k / g.cols) + 0.5) * 10000, 1e-3);
	spatial_grid_corners(&g, k, corners);
	geo_laea_forward(corners[5], corners[4], &x, &y);   /* the north-east corner */
	T_NEAR(x, g.x0 + ((double)(k % g.cols) + 1) * 10000, 1e-3);
	T_NEAR(y, g.y0 + ((double)(k / g.cols) + 1) * 10000, 1e-3);
	geo_laea_inverse(g.x0, g.y0, &la, &lo);
	spatial_grid_corners(&g, 0, corners);
	T_NEAR(corners[0], lo, 1e-12);
	T_NEAR(corners[1], la, 1e-12);
	spatial_grid_release(&g);
	/* a point outside the grid's area, by its number; cells of a fraction of a metre */
	lat[2] = 40.7;
	lon[2] = -74.0;
	T_EQ_INT(spatial_grid_counts(lat, lon, 4, &o, &g, &e), -1);
	T_OK(strstr(e.msg, "point 3 at 40.7° N 74° W lies outside the area of the European grid") != NULL);
	spatial_grid_release(&g);
	lat[2] = 54.352;
	lon[2] = 18.6466;
	o.cell_m = 1000.5;
	T_EQ_INT(spatial_grid_counts(lat, lon, 4, &o, &g, &e), -1);
	T_OK(e.kind == KERR_USAGE && strstr(e.msg, "whole metres") != NULL);
	spatial_grid_release(&g);
}

/*
 * A study area: only the cells whose centre lies in it, or which hold a
 * point, take part, and Gi* over them is Gi* of those cells alone (the same
 * statistic as on the smaller set), spread back over the grid with NAN
 * for the cells left out.
 */
T_TEST(grid_within)
{
	/* a triangle over the south-west half of a 1°-wide box at the equator */
	static const char area[] = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
				   "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-0.01,-0.01],[1.01,-0.01],"
				   "[-0.01,1.01],[-0.01,-0.01]]]}}]}";
	double lat[40], lon[40];
	struct geo_layer L;
	struct spatial_grid_opts o;
	struct spatial_grid g, g2;
	struct spatial_getis_ord_opts go;
	struct spatial_getis_ord gi, sub;
	struct kerr e = KERR_INIT;
	double *x, *y, *v;
	size_t i, k, m;
	if (!T_OK(geo_layer_parse(&L, area, sizeof(area) - 1, "area", NULL, NULL, &e) == 0))
		return;
	T_EQ_STR(L.f[0].code, "1");
	for (i = 0; i < 40; i++) {   /* most in the triangle, a few beyond it, two at the corners of the box */
		lat[i] = i < 30 ? 0.02 * (double)(i % 6) + 0.01 * (double)(i / 6) : 0.9 - 0.01 * (double)(i - 30);
		lon[i] = i < 30 ? 0.03 * (double)(i / 6) : 0.9;
	}
	lat[38] = 0;
	lon[38] = 0;
	lat[39] = 1;
	lon[39] = 1;
	memset(&o, 0, sizeof(o));
	o.cell_m = 11000;
	o.max_cells = 1000;
	o.within = &L;
	memset(&go, 0, sizeof(go));
	go.metric = SPATIAL_GEO;
	go.band = 1.5 * 11000;
	go.star = 1;
	if (!T_OK(spatial_grid_hotspots(lat, lon, 40, &o, &go, &g, &gi, &e) == 0))
		goto out;
	T_OK(g.in != NULL && g.nin < g.n && g.nin > g.n / 3);   /* about half: 58 of 121 */
	T_EQ_INT(gi.n, g.n);
	T_EQ_INT(gi.npart, g.nin);
	for (k = 0; k < g.n; k++) {
		int inside = geo_layer_locate(&L, g.lon[k], g.lat[k]) >= 0;
		T_EQ_INT(g.in[k], inside || g.count[k] > 0);
		if (!g.in[k])
			T_OK(isnan(gi.g[k]) && isnan(gi.z[k]) && spatial_spot(&gi, k) == 0 && gi.nneigh[k] == 0);
	}
	T_OK(g.in[g.cell[39]]);   /* the firm in the north-east corner keeps its cell */
	/* the same Gi* on the cells that take part alone */
	x = xcalloc(g.nin, sizeof(*x));
	y = xcalloc(g.nin, sizeof(*y));
	v = xcalloc(g.nin, sizeof(*v));
	for (k = m = 0; k < g.n; k++)
		if (g.in[k]) {
			x[m] = (double)(k % g.cols) * 11000;
			y[m] = (double)(k / g.cols) * 11000;
			v[m++] = g.count[k] / g.area[k];
		}
	go.metric = SPATIAL_PLANAR;
	if (T_OK(spatial_getis_ord(x, y, v, m, &go, &sub, &e) == 0)) {
		for (k = m = 0; k < g.n; k++)
			if (g.in[k]) {
				T_NEAR(gi.g[k], sub.g[m], 1e-12);
				T_OK(isnan(sub.z[m]) ? isnan(gi.z[k]) : fabs(gi.z[k] - sub.z[m]) < 1e-12);
				T_EQ_INT(gi.nneigh[k], sub.nneigh[m]);
				m++;
			}
		spatial_getis_ord_release(&sub);
	}
	free(x);
	free(y);
	free(v);
	/* without the area, every cell of the box takes part */
	o.within = NULL;
	go.metric = SPATIAL_GEO;
	spatial_getis_ord_release(&gi);
	if (T_OK(spatial_grid_hotspots(lat, lon, 40, &o, &go, &g2, &gi, &e) == 0)) {
		T_EQ_INT(g2.nin, g2.n);
		T_EQ_INT(g2.n, g.n);
		T_EQ_INT(gi.npart, g2.n);
	}
	spatial_grid_release(&g2);
out:
	spatial_getis_ord_release(&gi);
	spatial_grid_release(&g);
	geo_layer_release(&L);
}

/*
 * A study area that holds the centre of no cell lies elsewhere than the
 * points: an error, as the cells of the points alone (none empty) would be
 * compared with one another only; within_optional sets it aside instead.
 */
T_TEST(grid_within_elsewhere)
{
	static const char area[] = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
				   "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[2,48],[3,48],[3,49],[2,49],[2,48]]]}}]}";
	double lat[] = { 52.1, 52.2, 52.3, 50.0, 50.1 }, lon[] = { 21.0, 21.1, 21.2, 19.9, 20.0 };
	struct geo_layer L;
	struct spatial_grid_opts o;
	struct spatial_grid g;
	struct kerr e = KERR_INIT;
	if (!T_OK(geo_layer_parse(&L, area, sizeof(area) - 1, "area", NULL, NULL, &e) == 0))
		return;
	memset(&o, 0, sizeof(o));
	o.cell_m = 20000;
	o.max_cells = 100000;
	o.kind = SPATIAL_GRID_LAEA;
	o.within = &L;
	T_EQ_INT(spatial_grid_counts(lat, lon, 5, &o, &g, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "the study area holds the centre of none of the") != NULL);
	spatial_grid_release(&g);
	o.within_optional = 1;
	if (T_OK(spatial_grid_counts(lat, lon, 5, &o, &g, &e) == 0)) {
		T_OK(g.in == NULL);
		T_EQ_INT(g.nin, g.n);
	}
	spatial_grid_release(&g);
	geo_layer_release(&L);
}

/*
 * A grid in degrees over points near the North Pole or across the box of
 * the whole globe: its last row and column end at 90° N and 180° E — the
 * corners, the centres and the table's edges are places (RFC 7946
 * positions), and a cut cell's area is that of its part.
 */
T_TEST(grid_degrees_cut)
{
	double plat[] = { 89.9, 89.95, 89.8, 88.0 }, plon[] = { 0, 90, -90, 10 };
	double flat[] = { -17.7, -17.8, -17.75 }, flon[] = { 179.95, -179.95, 179.9 };
	struct spatial_grid_opts o;
	struct spatial_grid g;
	struct kerr e = KERR_INIT;
	double c[8], total = 0;
	size_t k;
	int i;
	memset(&o, 0, sizeof(o));
	o.cell_m = 50000;
	o.max_cells = 100000;
	if (T_OK(spatial_grid_counts(plat, plon, 4, &o, &g, &e) == 0)) {
		T_OK(g.lat0 + (double)g.rows * g.dlat > 90);   /* the last row would reach beyond the pole */
		for (k = 0; k < g.n; k++) {
			spatial_grid_corners(&g, k, c);
			for (i = 0; i < 4; i++)
				T_OK(c[2 * i + 1] <= 90 && c[2 * i] <= 180);
			T_OK(g.lat[k] < 90 && g.lat[k] > c[1] && g.lat[k] < c[5]);
		}
		for (k = 0; k < g.cols; k++)   /* one row of cells: the cap above 88° N, cut at the pole */
			total += g.area[(g.rows - 1) * g.cols + k];
		T_OK(total > 0);
	}
	spatial_grid_release(&g);
	o.cell_m = 100000;
	if (T_OK(spatial_grid_counts(flat, flon, 3, &o, &g, &e) == 0)) {
		double full = g.area[0], last;
		T_OK(g.lon0 + (double)g.cols * g.dlon > 180);
		spatial_grid_corners(&g, g.cols - 1, c);
		T_NEAR(c[2], 180, 0);
		T_NEAR(c[4], 180, 0);
		T_OK(g.lon[g.cols - 1] < 180);
		/* the last column's area is that of its part west of 180° E */
		last = g.area[g.cols - 1];
		T_NEAR(last / full, (180 - (g.lon0 + (double)(g.cols - 1) * g.dlon)) / g.dlon, 1e-9);
	}
	spatial_grid_release(&g);
}

/* The outline of a cell: four corners in degrees; on the grid of Europe a
 * point every 5 km along the edges (at most 64 an edge), each on its
 * square's edge once projected. */
T_TEST(grid_outline)
{
	double lat[] = { 52.0, 52.5 }, lon[] = { 19.0, 20.0 }, out[2 * SPATIAL_OUTLINE_MAX], x, y;
	static const double sizes[] = { 1000, 20000, 200000, 2000000 };
	static const size_t want[] = { 4, 16, 160, 256 };
	struct spatial_grid_opts o;
	struct spatial_grid g;
	struct kerr e = KERR_INIT;
	size_t i, j, n;
	memset(&o, 0, sizeof(o));
	o.cell_m = 1000;
	o.max_cells = 100000;
	if (T_OK(spatial_grid_counts(lat, lon, 2, &o, &g, &e) == 0))
		T_EQ_INT(spatial_grid_outline(&g, 0, out), 4);
	spatial_grid_release(&g);
	o.kind = SPATIAL_GRID_LAEA;
	for (i = 0; i < 4; i++) {
		o.cell_m = sizes[i];
		if (!T_OK(spatial_grid_counts(lat, lon, 2, &o, &g, &e) == 0)) {
			spatial_grid_release(&g);
			continue;
		}
		n = spatial_grid_outline(&g, g.cell[0], out);
		T_EQ_INT(n, want[i]);
		for (j = 0; j < n; j++) {
			double x0 = g.x0 + (double)(g.cell[0] % g.cols) * sizes[i], y0 = g.y0 + (double)(g.cell[0] / g.cols) * sizes[i];
			geo_laea_forward(out[2 * j + 1], out[2 * j], &x, &y);
			T_OK(fmin(fmin(fabs(x - x0), fabs(x - x0 - sizes[i])), fmin(fabs(y - y0), fabs(y - y0 - sizes[i]))) < 1e-3);
		}
		spatial_grid_release(&g);
	}
}

/* A cluster on the 180th meridian: points east and west of it are one cluster. */
T_TEST(antimeridian)
{
	double lat[] = { 0, 0, 0, 0, DEG(100), -DEG(100) };
	double lon[] = { 179.999, -179.999, 180, -180, 179.9995, -179.9995 };
	struct spatial_dbscan d;
	size_t i;
	if (!T_OK(dbscan(lat, lon, 6, 500, 3, &d) == 0))
		return;
	T_EQ_INT(d.nclusters, 1);
	for (i = 0; i < 6; i++)
		T_EQ_INT(d.label[i], 0);
	spatial_dbscan_release(&d);
	/* with eps 200 m the points 0.002 degrees (222 m) apart are not neighbours,
	 * but -180 and 180 are the same meridian */
	if (!T_OK(dbscan(lat, lon, 4, 200, 2, &d) == 0))
		return;
	T_EQ_INT(d.label[2], d.label[3]);
	T_OK(d.label[2] >= 0);
	spatial_dbscan_release(&d);
}

/* Near the North Pole longitudes converge: 89.999N at 0, 90, 180 and -90 E
 * are within 160 m of their neighbours; the pole itself at any longitude. */
T_TEST(near_pole)
{
	double lat[] = { 89.999, 89.999, 89.999, 89.999, 90, 90, -89.9995, -89.9995 };
	double lon[] = { 0, 90, 180, -90, 0, 45, 10, -170 };
	struct spatial_dbscan d;
	size_t i;
	if (!T_OK(dbscan(lat, lon, 8, 200, 3, &d) == 0))
		return;
	for (i = 0; i < 6; i++)
		T_EQ_INT(d.label[i], 0);
	T_EQ_INT(d.label[6], -1);   /* two points at the South Pole: 111 m apart, fewer than 3 */
	T_EQ_INT(d.label[7], -1);
	spatial_dbscan_release(&d);
	if (!T_OK(dbscan(lat, lon, 8, 200, 2, &d) == 0))
		return;
	T_EQ_INT(d.label[6], 1);
	T_EQ_INT(d.label[7], 1);
	spatial_dbscan_release(&d);
}

/* min_samples counts the point itself, and ">=" decides. */
T_TEST(min_samples_edges)
{
	/* three points in a row 100 m apart; eps 150 m: the middle one has 3
	 * neighbours (itself included), the ends 2 */
	double lat[] = { 0, 0, 0, 40 };
	double lon[] = { 0, DEG(100), DEG(200), 40 };
	struct spatial_dbscan d;
	if (!T_OK(dbscan(lat, lon, 4, 150, 3, &d) == 0))
		return;
	T_EQ_INT(d.core[0], 0);
	T_EQ_INT(d.core[1], 1);
	T_EQ_INT(d.core[2], 0);
	T_EQ_INT(d.label[0], 0);   /* border points of the middle one's cluster */
	T_EQ_INT(d.label[2], 0);
	T_EQ_INT(d.label[3], -1);
	spatial_dbscan_release(&d);
	/* min_samples 1: every point is core, a lone point is its own cluster */
	if (!T_OK(dbscan(lat, lon, 4, 150, 1, &d) == 0))
		return;
	T_EQ_INT(d.ncore, 4);
	T_EQ_INT(d.nclusters, 2);
	T_EQ_INT(d.label[3], 1);
	spatial_dbscan_release(&d);
	/* min_samples 4: no point has 4 neighbours, all noise */
	if (!T_OK(dbscan(lat, lon, 4, 150, 4, &d) == 0))
		return;
	T_EQ_INT(d.nclusters, 0);
	T_EQ_INT(d.nnoise, 4);
	spatial_dbscan_release(&d);
	/* no points at all */
	if (!T_OK(dbscan(lat, lon, 0, 150, 4, &d) == 0))
		return;
	T_EQ_INT(d.nclusters, 0);
	spatial_dbscan_release(&d);
}

T_TEST(identical_points)
{
	double lat[] = { 52.1, 52.1, 52.1, 52.1, 52.1 };
	double lon[] = { 21.2, 21.2, 21.2, 21.2, 21.2 };
	struct spatial_dbscan d;
	if (!T_OK(dbscan(lat, lon, 5, 1, 5, &d) == 0))
		return;
	T_EQ_INT(d.ncore, 5);
	T_EQ_INT(d.nclusters, 1);
	spatial_dbscan_release(&d);
	if (!T_OK(dbscan(lat, lon, 5, 1, 6, &d) == 0))
		return;
	T_EQ_INT(d.nnoise, 5);
	spatial_dbscan_release(&d);
}

/* A distance equal to eps (to rounding) decides by "<=": just above and below. */
T_TEST(eps_boundary)
{
	double lat[] = { 51, 51.01 }, lon[] = { 17, 17.02 };
	double dist = spatial_haversine_m(lat[0], lon[0], lat[1], lon[1]);
	struct spatial_dbscan d;
	if (!T_OK(dbscan(lat, lon, 2, dist * (1 + 1e-9), 2, &d) == 0))
		return;
	T_EQ_INT(d.nclusters, 1);
	spatial_dbscan_release(&d);
	if (!T_OK(dbscan(lat, lon, 2, dist * (1 - 1e-9), 2, &d) == 0))
		return;
	T_EQ_INT(d.nclusters, 0);
	spatial_dbscan_release(&d);
}

/*
 * A border point within eps of core points of two clusters takes the
 * cluster numbered first, i.e. the one whose first core point has the
 * lower index (scikit-learn's rule).  Along the equator, eps 144.5 m,
 * min_samples 5: cluster L at 0..4 m, cluster R at 292..296 m, the border
 * point at 148 m (144 m from 4 and from 292; 3 neighbours).
 */
T_TEST(border_between_two_clusters)
{
	double pos_lr[] = { 0, 1, 2, 3, 4, 292, 293, 294, 295, 296, 148 };
	double pos_rl[] = { 292, 293, 294, 295, 296, 0, 1, 2, 3, 4, 148 };
	double lat[11], lon[11];
	struct spatial_dbscan d;
	size_t i;
	for (i = 0; i < 11; i++) {
		lat[i] = 0;
		lon[i] = DEG(pos_lr[i]);
	}
	if (!T_OK(dbscan(lat, lon, 11, 144.5, 5, &d) == 0))
		return;
	T_EQ_INT(d.nclusters, 2);
	T_EQ_INT(d.core[10], 0);
	T_EQ_INT(d.label[0], 0);
	T_EQ_INT(d.label[5], 1);
	T_EQ_INT(d.label[10], 0);   /* L is cluster 0 */
	spatial_dbscan_release(&d);
	for (i = 0; i < 11; i++)
		lon[i] = DEG(pos_rl[i]);
	if (!T_OK(dbscan(lat, lon, 11, 144.5, 5, &d) == 0))
		return;
	T_EQ_INT(d.label[0], 0);    /* R comes first now */
	T_EQ_INT(d.label[10], 0);
	T_EQ_INT(d.label[5], 1);
	spatial_dbscan_release(&d);
}

/* The grid index against all pairs: random points over the globe, with
 * many near the poles and the 180th meridian. */
T_TEST(grid_matches_all_pairs)
{
	enum { N = 1500 };
	static double lat[N], lon[N];
	struct spatial_dbscan d;
	unsigned long long s = 12345;
	size_t i, j, bad = 0;
	double eps = 30000;
	for (i = 0; i < N; i++) {
		double u, v;
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		u = (double)(s >> 11) / 9007199254740992.0;
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		v = (double)(s >> 11) / 9007199254740992.0;
		switch (i % 3) {
		case 0:  /* a cap around the North Pole */
			lat[i] = 89 + u;
			lon[i] = -180 + 360 * v;
			break;
		case 1:  /* a strip across the 180th meridian */
			lat[i] = -20 + 2 * u;
			lon[i] = v < 0.5 ? 179 + 2 * v : -180 + 2 * (v - 0.5);
			break;
		default:
			lat[i] = 49 + 2 * u;
			lon[i] = 14 + 3 * v;
		}
	}
	if (!T_OK(dbscan(lat, lon, N, eps, 4, &d) == 0))
		return;
	for (i = 0; i < N; i++) {
		size_t cnt = 0;
		for (j = 0; j < N; j++)
			cnt += spatial_haversine_m(lat[i], lon[i], lat[j], lon[j]) <= eps;
		bad += (cnt >= 4) != d.core[i];
	}
	T_EQ_INT(bad, 0);
	T_OK(d.nclusters > 1);
	spatial_dbscan_release(&d);
}

T_TEST(dbscan_errors)
{
	double lat[] = { 0, 95 }, lon[] = { 0, 0 };
	struct spatial_dbscan d;
	struct kerr e = KERR_INIT;
	T_EQ_INT(spatial_dbscan(lat, lon, 1, 0, 2, &d, &e), -1);
	T_EQ_INT(e.kind, KERR_USAGE);
	T_EQ_INT(spatial_dbscan(lat, lon, 1, 100, 0, &d, &e), -1);
	T_EQ_INT(spatial_dbscan(lat, lon, 2, 100, 2, &d, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "point 1") != NULL);
}

/* PySAL esda esda/tests/test_getisord.py: points (10,10), (20,10), (40,10),
 * (15,20), (30,20), (30,30); DistanceBand(threshold=15), binary;
 * y = [2, 3, 3.2, 5, 8, 7]. */
static const double go_x[] = { 10, 20, 40, 15, 30, 30 }, go_y[] = { 10, 10, 10, 20, 20, 30 };
static const double go_v[] = { 2, 3, 3.2, 5, 8, 7 };

static double go_z0(enum spatial_metric m, const double *a, const double *b, double band, int star, int rowstd)
{
	struct spatial_getis_ord_opts o = { m, band, star, rowstd, 0 };
	struct spatial_getis_ord g;
	struct kerr e = KERR_INIT;
	double z;
	if (spatial_getis_ord(a, b, go_v, 6, &o, &g, &e)) {
		printf("#   %s\n", e.msg);
		return NAN;
	}
	z = g.z[0];
	spatial_getis_ord_release(&g);
	return z;
}

T_TEST(getis_ord_pysal)
{
	/* PySAL esda test_getisord.py: G_Local(y, w, star=True, transform='B').Zs[0] */
	T_NEAR(go_z0(SPATIAL_PLANAR, go_x, go_y, 15, 1, 0), -1.39727626, 1e-6);
	/* PySAL esda test_getisord.py: G_Local(y, w, transform='B').Zs[0] (Gi) */
	T_NEAR(go_z0(SPATIAL_PLANAR, go_x, go_y, 15, 0, 0), -1.0136729, 1e-6);
	/* PySAL esda test_getisord.py: G_Local(y, w) with transform='R', Gi */
	T_NEAR(go_z0(SPATIAL_PLANAR, go_x, go_y, 15, 0, 1), -0.62074534, 1e-6);
	/* PySAL esda test_getisord.py: G_Local(y, w, star=True) with transform='R' */
	T_NEAR(go_z0(SPATIAL_PLANAR, go_x, go_y, 15, 1, 1), -0.62488094, 1e-6);
}

/* The same configuration on the globe near the equator, one unit = 100 m,
 * band 1500 m: the neighbours, and so the z-scores, are the same. */
T_TEST(getis_ord_geographic)
{
	double lat[6], lon[6];
	size_t i;
	for (i = 0; i < 6; i++) {
		lon[i] = DEG(100 * go_x[i]);
		lat[i] = DEG(100 * go_y[i]);
	}
	T_NEAR(go_z0(SPATIAL_GEO, lat, lon, 1500, 1, 0), -1.39727626, 1e-6);
	T_NEAR(go_z0(SPATIAL_GEO, lat, lon, 1500, 0, 0), -1.0136729, 1e-6);
	T_NEAR(go_z0(SPATIAL_GEO, lat, lon, 1500, 0, 1), -0.62074534, 1e-6);
	T_NEAR(go_z0(SPATIAL_GEO, lat, lon, 1500, 1, 1), -0.62488094, 1e-6);
}

T_TEST(getis_ord_details)
{
	struct spatial_getis_ord_opts o = { SPATIAL_PLANAR, 15, 1, 0, 0 };
	struct spatial_getis_ord g;
	struct kerr e = KERR_INIT;
	double sum = 0;
	size_t i;
	if (!T_OK(spatial_getis_ord(go_x, go_y, go_v, 6, &o, &g, &e) == 0))
		return;
	/* point 0's neighbours within 15: (20,10) and (15,20) */
	T_EQ_INT(g.nneigh[0], 2);
	/* Gi*: (2 + 3 + 5) / 28.2 and E = 3/6 */
	T_NEAR(g.g[0], 10 / 28.2, 1e-12);
	T_NEAR(g.eg[0], 0.5, 1e-12);
	T_NEAR(g.p[0], erfc(fabs(g.z[0]) / M_SQRT2), 1e-15);
	for (i = 0; i < 6; i++)
		sum += g.nneigh[i];
	/* 7 pairs within 15, counted from both ends; (15,20)-(30,20) is exactly 15 and counts */
	T_EQ_INT(sum, 2 * 7);
	spatial_getis_ord_release(&g);
	/* a point without neighbours under Gi: no variance, z is NAN */
	o.band = 5;
	o.star = 0;
	if (!T_OK(spatial_getis_ord(go_x, go_y, go_v, 6, &o, &g, &e) == 0))
		return;
	T_OK(isnan(g.z[0]) && isnan(g.p[0]));
	T_NEAR(g.g[0], 0, 0);
	spatial_getis_ord_release(&g);
	/* too few points, a bad band */
	T_EQ_INT(spatial_getis_ord(go_x, go_y, go_v, 2, &o, &g, &e), -1);
	o.band = 0;
	T_EQ_INT(spatial_getis_ord(go_x, go_y, go_v, 6, &o, &g, &e), -1);
	T_EQ_INT(e.kind, KERR_USAGE);
}

/* Values of both signs (a change between two years): z is that of the
 * standardised values — the same after adding a constant or scaling by a
 * positive factor, the opposite for the values negated, and defined when
 * the values sum to 0, where G_i is not (spatial.h). */
T_TEST(getis_ord_any_sign)
{
	struct spatial_getis_ord_opts o = { SPATIAL_PLANAR, 15, 1, 0, 0 };
	struct spatial_getis_ord g0, g1;
	struct kerr e = KERR_INIT;
	double y[6], mean = 0;
	size_t i, k;
	for (i = 0; i < 6; i++)
		mean += go_v[i] / 6;
	if (!T_OK(spatial_getis_ord(go_x, go_y, go_v, 6, &o, &g0, &e) == 0))
		return;
	for (k = 0; k < 4; k++) {
		for (i = 0; i < 6; i++)
			y[i] = k == 0 ? go_v[i] - mean          /* sum 0 */
			     : k == 1 ? go_v[i] - 100           /* every value below 0 */
			     : k == 2 ? 3.5 * go_v[i]
				      : -go_v[i];               /* negated: hot and cold swap */
		if (!T_OK(spatial_getis_ord(go_x, go_y, y, 6, &o, &g1, &e) == 0))
			continue;
		for (i = 0; i < 6; i++) {
			T_OK(isfinite(g1.z[i]));
			T_NEAR(g1.z[i], k == 3 ? -g0.z[i] : g0.z[i], 1e-9);
			T_NEAR(g1.p[i], g0.p[i], 1e-9);
			T_EQ_INT(spatial_spot(&g1, i), k == 3 ? -spatial_spot(&g0, i) : spatial_spot(&g0, i));
		}
		if (k == 0)
			T_OK(isnan(g1.g[0]) && isnan(g1.vg[0]));   /* S = 0 (up to rounding): no G */
		spatial_getis_ord_release(&g1);
	}
	spatial_getis_ord_release(&g0);
}

/* Large values with small differences (tonnes of CO2 of power stations, a region's jobs): z is
 * that of the same values less a constant, under Gi* and Gi.  The variance taken as the mean of
 * the squares less the square of the mean had no digits left at 10^8, and every z was empty. */
/* Two doubles alike to the bit, NaN with NaN. */
static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0 || (isnan(a) && isnan(b));
}

/* Gi or Gi* of the points summed a group at a time against the same summed point by point
 * (by_point): every G, z, p and neighbour count alike to the bit.  0 when they are. */
static int go_grouped_vs_by_point(enum spatial_metric m, const double *a, const double *b, const double *v,
				  size_t n, double band, int star, int rowstd)
{
	struct spatial_getis_ord_opts o = { m, band, star, rowstd, 0 };
	struct spatial_getis_ord g0, g1;
	struct kerr e = KERR_INIT;
	size_t i, bad = 0;
	if (spatial_getis_ord(a, b, v, n, &o, &g0, &e)) {
		printf("#   %s\n", e.msg);
		return -1;
	}
	o.by_point = 1;
	if (spatial_getis_ord(a, b, v, n, &o, &g1, &e)) {
		printf("#   %s\n", e.msg);
		spatial_getis_ord_release(&g0);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (g0.nneigh[i] != g1.nneigh[i] || !same_bits(g0.g[i], g1.g[i]) || !same_bits(g0.z[i], g1.z[i]) ||
		    !same_bits(g0.p[i], g1.p[i])) {
			if (!bad++)
				printf("#   point %zu: %zu neighbours, z %.17g; by point %zu, z %.17g\n", i, g0.nneigh[i],
				       g0.z[i], g1.nneigh[i], g1.z[i]);
		}
	spatial_getis_ord_release(&g0);
	spatial_getis_ord_release(&g1);
	return bad ? -1 : 0;
}

/* A number from 0 to 1 (a fixed sequence: the test is the same on every run). */
static double go_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* The sums a group at a time (grid_band_sums) are those of each point's own neighbours, to the
 * bit, values with fractions (whose sums depend on their order) included: random firms on a small
 * square and at 78° N, many at exactly the band's distance, on the globe and in the plane. */
T_TEST(getis_ord_grouped)
{
	enum { N = 3000 };
	static double lat[N], lon[N], v[N];
	static const int stars[][2] = { { 1, 0 }, { 0, 0 }, { 0, 1 } };
	uint64_t seed = 42;
	size_t i, k;
	double edge;
	for (k = 0; k < 2; k++) {
		/* a square of 0.05° (about 5 km) at 52° N, then one of 0.5° at 78° N */
		double lat0 = k ? 78.0 : 52.0, side = k ? 0.5 : 0.05;
		for (i = 0; i < N; i++) {
			lat[i] = lat0 + side * go_rand(&seed);
			lon[i] = 20.0 + side * go_rand(&seed);
			v[i] = floor(go_rand(&seed) * 100000) / 100.0;   /* 0.01 to 999.99 */
		}
		for (i = 0; i < 3; i++) {
			T_OK(go_grouped_vs_by_point(SPATIAL_GEO, lat, lon, v, N, k ? 20000 : 1000, stars[i][0],
						    stars[i][1]) == 0);
			T_OK(go_grouped_vs_by_point(SPATIAL_GEO, lat, lon, v, N, k ? 3000 : 150, stars[i][0],
						    stars[i][1]) == 0);
		}
	}
	/* a lattice of 0.001° with a band of exactly one step along a parallel: pairs at the band's
	 * distance to the metre's last bit, left to haversine's own test */
	for (i = 0; i < N; i++) {
		lat[i] = 52.0 + 0.001 * (double)(i / 60);
		lon[i] = 20.0 + 0.001 * (double)(i % 60);
	}
	edge = spatial_haversine_m(52.0, 20.0, 52.0, 20.001);
	for (i = 0; i < 3; i++) {
		T_OK(go_grouped_vs_by_point(SPATIAL_GEO, lat, lon, v, N, edge, stars[i][0], stars[i][1]) == 0);
		T_OK(go_grouped_vs_by_point(SPATIAL_GEO, lat, lon, v, N, 2 * edge, stars[i][0], stars[i][1]) == 0);
	}
	/* the plane: a whole-number lattice, a band of 5 (3-4-5 triangles on it) and duplicates */
	for (i = 0; i < N; i++) {
		lat[i] = (double)(i % 70);
		lon[i] = (double)((i / 70) % 40);
	}
	for (i = 0; i < 3; i++) {
		T_OK(go_grouped_vs_by_point(SPATIAL_PLANAR, lon, lat, v, N, 5, stars[i][0], stars[i][1]) == 0);
		T_OK(go_grouped_vs_by_point(SPATIAL_PLANAR, lon, lat, v, N, 12.5, stars[i][0], stars[i][1]) == 0);
	}
}


T_TEST(getis_ord_large_values)
{
	static const double shift[] = { 1e6, 1e8, 3e9 };
	struct spatial_getis_ord g0, g1;
	struct kerr e = KERR_INIT;
	double y[6];
	size_t i, k;
	int star;
	for (star = 0; star <= 1; star++) {
		struct spatial_getis_ord_opts o = { SPATIAL_PLANAR, 15, star, 0, 0 };
		if (!T_OK(spatial_getis_ord(go_x, go_y, go_v, 6, &o, &g0, &e) == 0))
			return;
		for (k = 0; k < sizeof(shift) / sizeof(shift[0]); k++) {
			for (i = 0; i < 6; i++)
				y[i] = shift[k] + go_v[i];
			if (!T_OK(spatial_getis_ord(go_x, go_y, y, 6, &o, &g1, &e) == 0))
				continue;
			for (i = 0; i < 6; i++) {
				T_OK(isfinite(g1.z[i]) == isfinite(g0.z[i]));
				if (isfinite(g0.z[i]))
					T_NEAR(g1.z[i], g0.z[i], 1e-6);
			}
			spatial_getis_ord_release(&g1);
		}
		spatial_getis_ord_release(&g0);
	}
}

/* A neighbourhood whose (row-standardised) mean is the mean of all the values: z is exactly 0,
 * not the rounding left between two sums taken in another order (-9e-16 for these values, found
 * by a search, before the numerator was snapped to 0). */
T_TEST(getis_ord_zero_z)
{
	static const double x[] = { 4.9000000000000004, 3.5999999999999996, -3.5, 0, 2, 3.8000000000000007,
				    1.0999999999999996 };
	static const double y[] = { 2.0999999999999996, 4.6999999999999993, -2.8999999999999999, 0,
				    -1.3999999999999999, -4.5999999999999996, 4.1999999999999993 };
	static const double v[] = { 6.8199999999999994, 3.29, 6, 3.3700000000000001, 1.8300000000000001,
				    5.0800000000000001, 7.5200000000000005 };
	struct spatial_getis_ord_opts o = { SPATIAL_PLANAR, 10, 1, 1, 0 };
	struct spatial_getis_ord g;
	struct kerr e = KERR_INIT;
	if (!T_OK(spatial_getis_ord(x, y, v, 7, &o, &g, &e) == 0))
		return;
	T_EQ_INT(g.nneigh[3], 6);   /* the point at the origin has every other within its band */
	T_OK(g.z[3] == 0.0);
	T_NEAR(g.p[3], 1.0, 0);
	T_EQ_INT(spatial_spot(&g, 3), 0);
	spatial_getis_ord_release(&g);
}

/* Values that do not vary have no z (V[G_i] = 0, docs/MAPPING.md), also when their mean is not
 * exact in binary: 0.1 + 0.1 + 0.1 is 0.30000000000000004, whose third, 0.10000000000000002,
 * left deviations of 1.4e-17 and a variance above 0, so every point got z = 0 and p = 1 while
 * the command said every z was empty.  The same under Gi, where each point's others are all
 * 0.1, and with a point of another value under Gi, whose z at that point has no variance of the
 * others to divide by. */
T_TEST(getis_ord_constant_values)
{
	static const double x[] = { 0, 1, 5, 6 }, y[] = { 0, 0, 0, 0 }, v[] = { 0.1, 0.1, 0.1, 5 };
	struct spatial_getis_ord g;
	struct kerr e = KERR_INIT;
	size_t i;
	int star;
	for (star = 0; star <= 1; star++) {
		struct spatial_getis_ord_opts o = { SPATIAL_PLANAR, 2, star, 0, 0 };
		if (!T_OK(spatial_getis_ord(x, y, v, 3, &o, &g, &e) == 0))
			continue;
		for (i = 0; i < 3; i++)
			T_OK(isnan(g.z[i]) && isnan(g.p[i]));
		spatial_getis_ord_release(&g);
	}
	{
		struct spatial_getis_ord_opts o = { SPATIAL_PLANAR, 2, 0, 0, 0 };
		if (T_OK(spatial_getis_ord(x, y, v, 4, &o, &g, &e) == 0)) {
			T_OK(isnan(g.z[3]));   /* the others of point 3 are all 0.1 */
			T_OK(isfinite(g.z[2]));
			spatial_getis_ord_release(&g);
		}
	}
}

static int write_tmp(char *path, size_t size, const char *text)
{
	FILE *f;
	int fd;
	snprintf(path, size, "/tmp/klaster-test-spatial.XXXXXX");
	if ((fd = mkstemp(path)) < 0 || !(f = fdopen(fd, "w")))
		return -1;
	fputs(text, f);
	fclose(f);
	return 0;
}

T_TEST(firms_load)
{
	char path[64];
	struct spatial_firms f;
	struct spatial_firms_opts o;
	struct kerr e = KERR_INIT;
	memset(&o, 0, sizeof(o));
	/* EU ETS layout: names and activity codes by alias, NA coordinates skipped */
	if (!T_OK(write_tmp(path, sizeof(path),
			    "id,operator_name,installation_name,lat,lon,ets_activity_code,em\n"
			    "PL-1,Op A,Plant A,52.15,15.32,20,100\n"
			    "PL-2,Op B,Plant B,NA,NA,20,5\n"
			    "PL-3,Op C,Plant C,50.33,19.34,21,Not Reported\n") == 0))
		return;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), 0);
	T_EQ_INT(f.n, 2);
	T_EQ_INT(f.no_coords, 1);
	T_EQ_INT(f.first_no_coords, 3);
	T_EQ_STR(spatial_firm_name(&f, 0), "Plant A");
	T_EQ_STR(spatial_firm_industry(&f, 1), "21");
	T_NEAR(f.lon[1], 19.34, 0);
	spatial_firms_release(&f);
	o.industry = "21";
	o.name_col = "operator_name";
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), 0);
	T_EQ_INT(f.n, 1);
	T_EQ_INT(f.filtered, 2);
	T_EQ_STR(spatial_firm_name(&f, 0), "Op C");
	spatial_firms_release(&f);
	memset(&o, 0, sizeof(o));
	o.value_col = "em";
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
	T_OK(strstr(e.msg, ":4: column em: \"Not Reported\" is not a number") != NULL);
	spatial_firms_release(&f);
	o.skip_invalid = 1;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), 0);
	T_EQ_INT(f.n, 1);
	T_EQ_INT(f.no_value, 1);
	T_NEAR(f.value[0], 100, 0);
	spatial_firms_release(&f);
	unlink(path);

	memset(&o, 0, sizeof(o));
	if (!T_OK(write_tmp(path, sizeof(path), "id;name;industry;lat;lon\nA;a;C10;-91;0\n") == 0))
		return;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, ":2: column lat: -91 is outside [-90, 90]") != NULL);
	spatial_firms_release(&f);
	unlink(path);
}

/* Attributes (import firms --value): kept on every row, NA missing, a bad
 * one an error naming line and column unless skip_invalid makes it missing. */
T_TEST(firms_attributes)
{
	static const char *const cols[] = { "em19", "EM20" };
	char path[64];
	struct spatial_firms f, w;
	struct spatial_firms_opts o;
	struct kerr e = KERR_INIT;
	size_t *idx = NULL;
	memset(&o, 0, sizeof(o));
	o.attr_cols = cols;
	o.nattr = 2;
	o.attr_nonneg = 1;
	if (!T_OK(write_tmp(path, sizeof(path),
			    "id,lat,lon,em19,em20\n"
			    "A,52.1,21.0,100,NA\n"
			    "B,52.2,21.1,,0.1\n"
			    "C,NA,NA,x,-1\n"
			    "D,52.3,21.2,350, 7 \n") == 0))
		return;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), 0);
	T_EQ_INT(f.n, 3);
	T_EQ_INT(f.nattr, 2);
	T_NEAR(f.attr[0], 100, 0);
	T_OK(isnan(f.attr[1]));
	T_OK(isnan(f.attr[2]));
	T_OK(f.attr[3] == 0.1);
	T_NEAR(f.attr[4], 350, 0);
	T_NEAR(f.attr[5], 7, 0);
	T_EQ_INT(f.attr_missing[0], 1);
	T_EQ_INT(f.attr_missing[1], 1);
	T_EQ_INT(f.no_coords, 1);   /* row C: no coordinates, its bad values never read */
	spatial_firms_with_attr(&f, 1, &w, &idx);
	T_EQ_INT(w.n, 2);
	T_EQ_INT(w.no_value, 1);
	T_EQ_STR(spatial_firm_id(&w, 0), "B");
	T_EQ_STR(spatial_firm_id(&w, 1), "D");
	T_OK(w.value && w.value[0] == 0.1 && w.value[1] == 7);
	T_OK(idx && idx[0] == 1 && idx[1] == 2);
	T_NEAR(w.lat[1], 52.3, 0);
	free(idx);
	spatial_firms_release(&w);
	spatial_firms_release(&f);
	unlink(path);

	if (!T_OK(write_tmp(path, sizeof(path), "id;lat;lon;em19;em20\nA;52.1;21.0;1;2\nB;52.2;21.1;5;Not Reported\n"
			    "C;52.3;21.2;-4;1\n") == 0))
		return;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, ":3: column EM20: \"Not Reported\" is not a number") != NULL);
	T_EQ_INT(f.n, 0);   /* nothing half-read */
	spatial_firms_release(&f);
	o.skip_invalid = 1;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), 0);
	T_EQ_INT(f.n, 3);
	T_EQ_INT(f.attr_invalid, 2);
	T_EQ_INT(f.first_attr_invalid, 3);
	T_EQ_INT(f.first_attr_invalid_col, 1);
	T_OK(isnan(f.attr[3]) && isnan(f.attr[4]));
	T_EQ_INT(f.attr_missing[0], 1);
	T_EQ_INT(f.attr_missing[1], 1);
	spatial_firms_release(&f);
	o.skip_invalid = 0;
	o.nattr = 1;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
	T_OK(strstr(e.msg, ":4: column em19: -4 is negative") != NULL);
	spatial_firms_release(&f);
	/* one rule for firm values on every path: attr_nonneg or not, -4 is not a value */
	o.attr_nonneg = 0;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
	T_OK(strstr(e.msg, ":4: column em19: -4 is negative") != NULL);
	spatial_firms_release(&f);
	o.attr_nonneg = 1;
	unlink(path);
	/* the statistics' number parser: thousands separators, the decimal comma of a ';' file,
	 * no exponent */
	if (!T_OK(write_tmp(path, sizeof(path), "id;lat;lon;em19\nA;52,1;21,0;1 234,5\nB;52.2;21.1;1e3\n") == 0))
		return;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
	T_OK(strstr(e.msg, ":3: column em19: \"1e3\" is not a number") != NULL);
	spatial_firms_release(&f);
	o.skip_invalid = 1;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), 0);
	T_EQ_INT(f.n, 2);
	T_NEAR(f.lat[0], 52.1, 0);
	T_NEAR(f.lon[0], 21.0, 0);
	T_NEAR(f.attr[0], 1234.5, 0);
	T_OK(isnan(f.attr[1]));
	spatial_firms_release(&f);
	o.skip_invalid = 0;
	{
		static const char *const nope[] = { "em21" };
		o.attr_cols = nope;
		T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
		T_OK(strstr(e.msg, "the column em21 is missing") != NULL);
		spatial_firms_release(&f);
	}
	unlink(path);
}

/* Hot and cold spots: p < 0.05 and the sign of z. */
T_TEST(spots)
{
	double z[4] = { 2.5, -3, 1, NAN }, p[4] = { 0.01, 0.001, 0.3, NAN };
	struct spatial_getis_ord g;
	size_t hot, cold;
	memset(&g, 0, sizeof(g));
	g.n = 4;
	g.z = z;
	g.p = p;
	T_EQ_INT(spatial_spot(&g, 0), 1);
	T_EQ_INT(spatial_spot(&g, 1), -1);
	T_EQ_INT(spatial_spot(&g, 2), 0);
	T_EQ_INT(spatial_spot(&g, 3), 0);
	spatial_spots_count(&g, &hot, &cold);
	T_EQ_INT(hot, 1);
	T_EQ_INT(cold, 1);
	T_EQ_STR(spatial_spot_name(1), "hot");
	T_EQ_STR(spatial_spot_name(-1), "cold");
	T_EQ_STR(spatial_spot_name(0), "");
}

/* Points with no neighbour within the band ("islands"): counted, and under Gi* their z
 * rests on their own value (W_i = 1), under Gi it is empty. */
T_TEST(islands)
{
	static const double x[5] = { 0, 1, 2, 100, 3 }, y[5] = { 0, 0, 0, 0, 0 }, v[5] = { 1, 3, 4, 9, 2 };
	struct spatial_getis_ord_opts o = { SPATIAL_PLANAR, 1.5, 1, 0, 0 };
	struct spatial_getis_ord g;
	struct kerr e = KERR_INIT;
	struct buf b = BUF_INIT;
	double m = 19.0 / 5, s2 = 111.0 / 5 - m * m;
	T_EQ_INT(spatial_getis_ord(x, y, v, 5, &o, &g, &e), 0);
	T_EQ_INT(g.nisland, 1);
	T_EQ_INT(g.first_island, 3);
	/* by hand: G = 9/19, E = 1/5, V = 1 * 4 / 4 / 25 * s2 / m2 */
	T_NEAR(g.z[3], (9.0 / 19 - 0.2) / sqrt(4.0 / 4 / 25 * s2 / (m * m)), 1e-12);
	T_EQ_INT(spatial_islands_notice(&b, "p.csv", &g, 1, NULL), 1);
	T_EQ_STR(b.ptr, "p.csv: 1 point of 5 has no neighbour within the band (first: point 4); its Gi* rests on "
		 "itself alone");
	spatial_getis_ord_release(&g);
	buf_reset(&b);
	o.star = 0;
	T_EQ_INT(spatial_getis_ord(x, y, v, 5, &o, &g, &e), 0);
	T_OK(isnan(g.z[3]));
	T_EQ_INT(spatial_islands_notice(&b, NULL, &g, 0, "F4"), 1);
	T_EQ_STR(b.ptr, "1 point of 5 has no neighbour within the band (first: F4); its Gi has no z or p");
	spatial_getis_ord_release(&g);
	buf_release(&b);
}

/* Nothing to analyse, a pipe, an industry no firm has (spatial_firms_load). */
T_TEST(firms_empty_and_pipe)
{
	char path[64];
	struct spatial_firms f;
	struct spatial_firms_opts o;
	struct kerr e = KERR_INIT;
	int p[2];
	static const char text[] = "id,industry,lat,lon\nA,a,52.1,21.0\nB,a,52.2,21.1\n";
	memset(&o, 0, sizeof(o));
	if (!T_OK(write_tmp(path, sizeof(path), "id,industry,lat,lon\n") == 0))
		return;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
	T_OK(strstr(e.msg, ": no data rows after the header") != NULL);
	spatial_firms_release(&f);
	unlink(path);
	if (!T_OK(write_tmp(path, sizeof(path), text) == 0))
		return;
	o.industry = "NOPE";
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, ": no firm has industry NOPE (column industry): all 2 rows are of other industries") != NULL);
	spatial_firms_release(&f);
	unlink(path);
	/* one row: not "all 1 rows" */
	if (!T_OK(write_tmp(path, sizeof(path), "id,industry,lat,lon\nA,a,52.1,21.0\n") == 0))
		return;
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), -1);
	T_OK(strstr(e.msg, ": no firm has industry NOPE (column industry): its one row is of another industry") != NULL);
	spatial_firms_release(&f);
	unlink(path);
	o.industry = NULL;
	if (!T_OK(pipe(p) == 0))
		return;
	T_OK(write(p[1], text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(p[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	T_EQ_INT(spatial_firms_load(path, &o, &f, &e), 0);
	T_EQ_INT(f.n, 2);
	T_EQ_STR(spatial_firm_id(&f, 1), "B");
	spatial_firms_release(&f);
	close(p[0]);
}

int main(void)
{
	T_RUN(haversine);
	T_RUN(two_clusters_and_noise);
	T_RUN(cluster_summaries);
	T_RUN(grid_counts);
	T_RUN(grid_laea);
	T_RUN(grid_within);
	T_RUN(grid_outline);
	T_RUN(grid_within_elsewhere);
	T_RUN(grid_degrees_cut);
	T_RUN(antimeridian);
	T_RUN(near_pole);
	T_RUN(min_samples_edges);
	T_RUN(identical_points);
	T_RUN(eps_boundary);
	T_RUN(border_between_two_clusters);
	T_RUN(grid_matches_all_pairs);
	T_RUN(dbscan_errors);
	T_RUN(getis_ord_pysal);
	T_RUN(getis_ord_geographic);
	T_RUN(getis_ord_details);
	T_RUN(getis_ord_any_sign);
	T_RUN(getis_ord_zero_z);
	T_RUN(getis_ord_constant_values);
	T_RUN(getis_ord_large_values);
	T_RUN(getis_ord_grouped);
	T_RUN(firms_load);
	T_RUN(firms_attributes);
	T_RUN(spots);
	T_RUN(islands);
	T_RUN(firms_empty_and_pipe);
	T_RUN(dbscan_threads);
	return t_done();
}
