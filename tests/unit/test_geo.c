/*
 * test_geo.c — GeoJSON layers, projection, SVG paths, point location and
 * label points (src/geo.c).
 */
#include "geo.h"

#include "t.h"

/*
 * Three features in one collection:
 *   0  code 12 (an integer): the square [0,10]x[0,10] with the hole [4,6]x[4,6]
 *   1  code "02": a MultiPolygon of the squares [20,22]x[0,2] and [30,31]x[5,6]
 *   2  code "L", name null: an L-shaped ring, written without the closing point
 */
static const char sample[] =
	"{\"type\": \"FeatureCollection\", \"features\": [\n"
	" {\"type\": \"Feature\", \"properties\": {\"code\": 12, \"name\": \"Kwadrat\"},\n"
	"  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [\n"
	"   [[0,0],[10,0],[10,10],[0,10],[0,0]],\n"
	"   [[4,4],[6,4],[6,6],[4,6],[4,4]]]}},\n"
	" {\"type\": \"Feature\", \"properties\": {\"code\": \"02\", \"name\": \"Dwa kwadraty\"},\n"
	"  \"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": [\n"
	"   [[[20,0],[22,0],[22,2],[20,2],[20,0]]],\n"
	"   [[[30,5],[31,5],[31,6],[30,6],[30,5]]]]}},\n"
	" {\"type\": \"Feature\", \"properties\": {\"code\": \"L\", \"name\": null},\n"
	"  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [\n"
	"   [[40,0],[50,0],[50,1],[41,1],[41,10],[40,10]]]}}\n"
	"]}\n";

static int parse_str(struct geo_layer *L, const char *json, struct kerr *e)
{
	return geo_layer_parse(L, json, strlen(json), "test.geojson", "code", "name", e);
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

T_TEST(parse)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;

	T_EQ_INT(parse_str(&L, sample, &e), 0);
	T_EQ_INT(L.n, 3);
	if (L.n != 3)
		return;
	T_EQ_STR(L.f[0].code, "12");
	T_EQ_STR(L.f[0].name, "Kwadrat");
	T_EQ_INT(L.f[0].npolys, 1);
	T_EQ_INT(L.f[0].polys[0].nrings, 2);
	T_EQ_INT(L.f[0].polys[0].rings[1].n, 5);
	T_NEAR(L.f[0].polys[0].rings[1].xy[2], 6, 1e-12);
	T_NEAR(L.f[0].polys[0].rings[1].xy[3], 4, 1e-12);
	T_EQ_STR(L.f[1].code, "02");
	T_EQ_STR(L.f[1].name, "Dwa kwadraty");
	T_EQ_INT(L.f[1].npolys, 2);
	T_EQ_STR(L.f[2].code, "L");
	T_OK(L.f[2].name == NULL);
	T_EQ_INT(L.f[2].polys[0].rings[0].n, 6);

	T_NEAR(L.f[1].bbox[0], 20, 1e-12);
	T_NEAR(L.f[1].bbox[1], 0, 1e-12);
	T_NEAR(L.f[1].bbox[2], 31, 1e-12);
	T_NEAR(L.f[1].bbox[3], 6, 1e-12);
	T_NEAR(L.bbox[0], 0, 1e-12);
	T_NEAR(L.bbox[1], 0, 1e-12);
	T_NEAR(L.bbox[2], 50, 1e-12);
	T_NEAR(L.bbox[3], 10, 1e-12);

	T_OK(geo_layer_find(&L, "02") == &L.f[1]);
	T_OK(geo_layer_find(&L, "12") == &L.f[0]);
	T_OK(geo_layer_find(&L, "2") == NULL);
	T_OK(geo_layer_find(&L, NULL) == NULL);

	geo_layer_release(&L);
	T_EQ_INT(L.n, 0);
	T_OK(L.f == NULL);
	geo_layer_release(&L);   /* twice is harmless */
}

/* geo_features_geojson: rings closed and turned as RFC 7946 asks (outer
 * rings counter-clockwise, holes clockwise), whatever the file's turn; a
 * ring turned back keeps its first point. */
T_TEST(features_geojson)
{
	static const char cw[] = "{\"type\":\"FeatureCollection\",\"features\":["
		"{\"type\":\"Feature\",\"properties\":{\"code\":\"C\"},\"geometry\":{\"type\":\"Polygon\","
		"\"coordinates\":[[[0,0],[0,1],[1,1],[1,0],[0,0]],[[0.2,0.2],[0.4,0.2],[0.4,0.4],[0.2,0.2]]]}}]}";
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	struct buf b = BUF_INIT;
	long k;

	T_EQ_INT(parse_str(&L, sample, &e), 0);
	k = 0;   /* the square counter-clockwise, kept; its hole counter-clockwise too, turned */
	geo_features_geojson(&b, &L, &k, 1);
	T_EQ_STR(b.ptr, "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
		 "[[4,4],[4,6],[6,6],[6,4],[4,4]]]]}");
	buf_reset(&b);
	k = 2;   /* the L without its closing point: closed */
	geo_features_geojson(&b, &L, &k, 1);
	T_EQ_STR(b.ptr, "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[40,0],[50,0],[50,1],[41,1],[41,10],[40,10],"
		 "[40,0]]]]}");
	geo_layer_release(&L);

	T_EQ_INT(parse_str(&L, cw, &e), 0);
	buf_reset(&b);
	k = 0;   /* a clockwise outer ring turned, a counter-clockwise hole turned */
	geo_features_geojson(&b, &L, &k, 1);
	T_EQ_STR(b.ptr, "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,1],[0,0]],"
		 "[[0.2,0.2],[0.4,0.4],[0.4,0.2],[0.2,0.2]]]]}");
	buf_reset(&b);
	geo_features_geojson(&b, &L, &k, 0);
	T_EQ_STR(b.ptr, "null");
	geo_layer_release(&L);
	buf_release(&b);
}

/* geo_layer_append: features moved to the end, the box widened; a code
 * already in the layer refuses the whole file and changes nothing. */
T_TEST(append)
{
	static const char more[] = "{\"type\":\"FeatureCollection\",\"features\":["
		"{\"type\":\"Feature\",\"properties\":{\"code\":\"P1\"},\"geometry\":{\"type\":\"Polygon\","
		"\"coordinates\":[[[50,60],[51,60],[51,61],[50,61],[50,60]]]}}]}";
	static const char dup[] = "{\"type\":\"FeatureCollection\",\"features\":["
		"{\"type\":\"Feature\",\"properties\":{\"code\":\"Q\"},\"geometry\":{\"type\":\"Polygon\","
		"\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}},"
		"{\"type\":\"Feature\",\"properties\":{\"code\":\"02\"},\"geometry\":{\"type\":\"Polygon\","
		"\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}";
	static const char dup_after_null[] = "{\"type\":\"FeatureCollection\",\"features\":["
		"{\"type\":\"Feature\",\"properties\":{\"code\":\"Q\"},\"geometry\":{\"type\":\"Polygon\","
		"\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}},"
		"{\"type\":\"Feature\",\"properties\":{\"code\":\"N\"},\"geometry\":null},"
		"{\"type\":\"Feature\",\"properties\":{\"code\":\"02\"},\"geometry\":{\"type\":\"Polygon\","
		"\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}";
	struct geo_layer L, M;
	struct kerr e = KERR_INIT;
	double box[4];

	if (!T_OK(parse_str(&L, sample, &e) == 0))
		return;
	memcpy(box, L.bbox, sizeof(box));
	T_EQ_INT(geo_layer_parse(&M, dup, strlen(dup), "dup", "code", NULL, &e), 0);
	T_EQ_INT(geo_layer_append(&L, &M, "dup.geojson", &e), -1);
	T_EQ_STR(e.msg, "dup.geojson: feature 2: code '02' is already in the layer");
	T_OK(L.n == 3 && M.n == 2 && !geo_layer_find(&L, "Q"));
	geo_layer_release(&M);
	/* a feature with a null geometry before it is left out of M: the message keeps the file's number */
	T_EQ_INT(geo_layer_parse(&M, dup_after_null, strlen(dup_after_null), "dup", "code", NULL, &e), 0);
	T_EQ_INT(geo_layer_append(&L, &M, "dup.geojson", &e), -1);
	T_EQ_STR(e.msg, "dup.geojson: feature 3: code '02' is already in the layer");
	geo_layer_release(&M);
	T_EQ_INT(geo_layer_parse(&M, more, strlen(more), "more", "code", NULL, &e), 0);
	T_EQ_INT(geo_layer_append(&L, &M, "more.geojson", &e), 0);
	T_OK(L.n == 4 && M.n == 0 && M.f == NULL);
	T_EQ_STR(L.f[3].code, "P1");
	T_OK(geo_layer_find(&L, "P1") == &L.f[3] && geo_layer_find(&L, "02") == &L.f[1]);
	T_NEAR(L.bbox[0], box[0], 1e-12);
	T_NEAR(L.bbox[2], 51, 1e-12);
	T_NEAR(L.bbox[3], 61, 1e-12);
	geo_layer_release(&L);
}

T_TEST(parse_without_names)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;

	T_EQ_INT(geo_layer_parse(&L, sample, strlen(sample), "t", "code", NULL, &e), 0);
	T_EQ_INT(L.n, 3);
	T_OK(L.n == 3 && L.f[0].name == NULL && L.f[1].name == NULL);
	geo_layer_release(&L);
}

T_TEST(locate)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;

	T_EQ_INT(parse_str(&L, sample, &e), 0);
	if (L.n != 3)
		return;
	T_EQ_INT(geo_layer_locate(&L, 2, 2), 0);
	T_EQ_INT(geo_layer_locate(&L, 5, 8), 0);
	T_OK(geo_feature_contains(&L.f[0], 9.9, 0.1));
	/* The hole is not part of feature 0, and nothing else is there. */
	T_OK(!geo_feature_contains(&L.f[0], 5, 5));
	T_EQ_INT(geo_layer_locate(&L, 5, 5), -1);
	/* Both parts of the MultiPolygon. */
	T_EQ_INT(geo_layer_locate(&L, 21, 1), 1);
	T_EQ_INT(geo_layer_locate(&L, 30.5, 5.5), 1);
	T_EQ_INT(geo_layer_locate(&L, 25, 1), -1);
	/* The L-shape, including its unclosed ring's last edge, and its notch. */
	T_EQ_INT(geo_layer_locate(&L, 40.5, 5), 2);
	T_EQ_INT(geo_layer_locate(&L, 45, 0.5), 2);
	T_EQ_INT(geo_layer_locate(&L, 45, 5), -1);
	/* Outside the layer's box. */
	T_EQ_INT(geo_layer_locate(&L, -1, 5), -1);
	T_EQ_INT(geo_layer_locate(&L, 5, 11), -1);
	T_EQ_INT(geo_layer_locate(&L, 60, 5), -1);
	geo_layer_release(&L);
}

T_TEST(label_point)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	double lon, lat;

	T_EQ_INT(parse_str(&L, sample, &e), 0);
	if (L.n != 3)
		return;
	/* The L's centroid (42.87, 2.87) lies in the notch: the label moves
	 * to the middle of the only interior span at that latitude. */
	T_OK(!geo_feature_contains(&L.f[2], 814.5 / 19, 54.5 / 19));
	geo_feature_label_point(&L.f[2], &lon, &lat);
	T_OK(geo_feature_contains(&L.f[2], lon, lat));
	T_NEAR(lon, 40.5, 1e-9);
	T_NEAR(lat, 54.5 / 19, 1e-9);

	/* The square's centroid is in its hole: the label goes to one side. */
	geo_feature_label_point(&L.f[0], &lon, &lat);
	T_OK(geo_feature_contains(&L.f[0], lon, lat));
	T_NEAR(lat, 5, 1e-9);
	T_NEAR(lon, 2, 1e-9);

	/* The MultiPolygon: the centre of its larger square. */
	geo_feature_label_point(&L.f[1], &lon, &lat);
	T_NEAR(lon, 21, 1e-9);
	T_NEAR(lat, 1, 1e-9);
	geo_layer_release(&L);
}

T_TEST(centroid)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	double lon, lat;
	const long sq = 0, two = 1, ell = 2, both[2] = { 0, 1 };

	T_EQ_INT(parse_str(&L, sample, &e), 0);
	if (L.n != 3)
		return;
	/* The square less its hole (both rings counter-clockwise): 96 at (5, 5),
	 * in the hole, where the centroid is. */
	T_EQ_INT(geo_centroid(&L, &sq, 1, &lon, &lat), 0);
	T_NEAR(lon, 5, 1e-12);
	T_NEAR(lat, 5, 1e-12);
	/* Two squares: 4 at (21, 1) and 1 at (30.5, 5.5). */
	T_EQ_INT(geo_centroid(&L, &two, 1, &lon, &lat), 0);
	T_NEAR(lon, 114.5 / 5, 1e-12);
	T_NEAR(lat, 9.5 / 5, 1e-12);
	/* The L (unclosed ring): the centroid in the notch, unlike the label point. */
	T_EQ_INT(geo_centroid(&L, &ell, 1, &lon, &lat), 0);
	T_NEAR(lon, 814.5 / 19, 1e-12);
	T_NEAR(lat, 54.5 / 19, 1e-12);
	/* Two features as one shape (a region drawn on two boundaries). */
	T_EQ_INT(geo_centroid(&L, both, 2, &lon, &lat), 0);
	T_NEAR(lon, (96 * 5 + 114.5) / 101, 1e-12);
	T_NEAR(lat, (96 * 5 + 9.5) / 101, 1e-12);
	geo_layer_release(&L);

	/* A clockwise ring counts as much as a counter-clockwise one; no area: the label point. */
	T_EQ_INT(parse_str(&L, "{\"type\":\"FeatureCollection\",\"features\":["
			       "{\"type\":\"Feature\",\"properties\":{\"code\":\"cw\"},\"geometry\":{\"type\":"
			       "\"Polygon\",\"coordinates\":[[[0,0],[0,2],[4,2],[4,0],[0,0]]]}},"
			       "{\"type\":\"Feature\",\"properties\":{\"code\":\"flat\"},\"geometry\":{\"type\":"
			       "\"Polygon\",\"coordinates\":[[[0,0],[1,1],[2,2],[0,0]]]}}]}", &e), 0);
	if (L.n != 2)
		return;
	T_EQ_INT(geo_centroid(&L, &sq, 1, &lon, &lat), 0);
	T_NEAR(lon, 2, 1e-12);
	T_NEAR(lat, 1, 1e-12);
	/* no area: GEOS's centroid of the outline, each edge's middle weighted by its length
	 * (√2 at (0.5, 0.5), √2 at (1.5, 1.5), 2√2 at (1, 1): (1, 1)), not the first vertex */
	T_EQ_INT(geo_centroid(&L, &two, 1, &lon, &lat), -1);
	T_NEAR(lon, 1, 1e-12);
	T_NEAR(lat, 1, 1e-12);
	geo_layer_release(&L);
	/* a line whose middle is not its first vertex's: 2 at (1, 0), 2 at (3, 0), 4 at (2, 0); and a
	 * ring of one point repeated: that point */
	T_EQ_INT(parse_str(&L, "{\"type\":\"FeatureCollection\",\"features\":["
			       "{\"type\":\"Feature\",\"properties\":{\"code\":\"line\"},\"geometry\":{\"type\":"
			       "\"Polygon\",\"coordinates\":[[[0,0],[2,0],[4,0],[0,0]]]}},"
			       "{\"type\":\"Feature\",\"properties\":{\"code\":\"dot\"},\"geometry\":{\"type\":"
			       "\"Polygon\",\"coordinates\":[[[3,5],[3,5],[3,5],[3,5]]]}}]}", &e), 0);
	if (L.n != 2)
		return;
	T_EQ_INT(geo_centroid(&L, &sq, 1, &lon, &lat), -1);
	T_NEAR(lon, 2, 1e-12);
	T_NEAR(lat, 0, 1e-12);
	T_EQ_INT(geo_centroid(&L, &two, 1, &lon, &lat), -1);
	T_NEAR(lon, 3, 1e-12);
	T_NEAR(lat, 5, 1e-12);
	geo_layer_release(&L);
}

T_TEST(projection)
{
	const double bb[4] = { 14, 49, 24, 55 };
	struct geo_proj p;
	double x1, y1, x2, y2, kx = cos(52 * M_PI / 180);

	/* 10 degrees of longitude at 52 N are 6.16 "degrees" wide, 6 high, so
	 * at 800x600 the height is the tighter axis. */
	geo_proj_fit(&p, bb, 800, 600, 10);
	T_NEAR(p.kx, kx, 1e-12);
	geo_project(&p, bb[0], bb[3], &x1, &y1);   /* north-west corner */
	geo_project(&p, bb[2], bb[1], &x2, &y2);   /* south-east corner */
	T_NEAR(y1, 10, 1e-9);
	T_NEAR(y2, 590, 1e-9);
	T_NEAR((x1 + x2) / 2, 400, 1e-9);          /* centred across */
	T_OK(x1 >= 10 && x2 <= 790);
	T_NEAR((x2 - x1) / (y2 - y1), kx * 10 / 6, 1e-12);
	T_NEAR(p.k, 580.0 / 6, 1e-12);

	/* A tall picture: the width is the tighter axis. */
	geo_proj_fit(&p, bb, 300, 1000, 20);
	geo_project(&p, bb[0], bb[3], &x1, &y1);
	geo_project(&p, bb[2], bb[1], &x2, &y2);
	T_NEAR(x1, 20, 1e-9);
	T_NEAR(x2, 280, 1e-9);
	T_NEAR((y1 + y2) / 2, 500, 1e-9);
	T_NEAR((x2 - x1) / (y2 - y1), kx * 10 / 6, 1e-12);

	/* A point box lands in the middle; no room leaves k at 0. */
	{
		const double pt[4] = { 19, 52, 19, 52 };
		geo_proj_fit(&p, pt, 100, 50, 5);
		geo_project(&p, 19, 52, &x1, &y1);
		T_NEAR(x1, 50, 1e-12);
		T_NEAR(y1, 25, 1e-12);
		geo_proj_fit(&p, bb, 10, 10, 20);
		T_NEAR(p.k, 0, 1e-12);
	}
}

T_TEST(svg_path_format)
{
	static const char sq[] =
		"{\"type\": \"FeatureCollection\", \"features\": [\n"
		" {\"type\": \"Feature\", \"properties\": {\"code\": \"S\"},\n"
		"  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [\n"
		"   [[0,-5],[10,-5],[10,5],[0,5],[0,-5]]]}},\n"
		" {\"type\": \"Feature\", \"properties\": {\"code\": \"R\"},\n"
		"  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [\n"
		"   [[0.04,0.04],[12.34,0],[12.36,-7.25],[0,-7.25]]]}}\n"
		"]}";
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	struct geo_proj p;
	struct buf b = BUF_INIT;

	T_EQ_INT(parse_str(&L, sq, &e), 0);
	if (L.n != 2)
		return;
	/* At the equator kx is 1: the 10x10 degree box fills 100x100. */
	geo_proj_fit(&p, L.f[0].bbox, 100, 100, 0);
	geo_svg_path(&b, &p, &L.f[0], 0);
	T_EQ_STR(b.ptr, "M0.0 100.0L100.0 100.0L100.0 0.0L0.0 0.0Z");

	/* One decimal, rounded, and never "-0.0" (x = lon, y = -lat). */
	{
		struct geo_proj id = { 1, 1, 0, 0, 0, 0 };
		buf_reset(&b);
		geo_svg_path(&b, &id, &L.f[1], 0);
		T_EQ_STR(b.ptr, "M0.0 0.0L12.3 0.0L12.4 7.3L0.0 7.3Z");
	}
	geo_layer_release(&L);

	/* A polygon with a hole gives two subpaths (x = 10 lon, y = 100 - 10 lat). */
	T_EQ_INT(parse_str(&L, sample, &e), 0);
	if (L.n == 3) {
		p = (struct geo_proj){ 10, 1, 0, 100, 0, 0 };
		buf_reset(&b);
		geo_svg_path(&b, &p, &L.f[0], 0);
		T_EQ_STR(b.ptr, "M0.0 100.0L100.0 100.0L100.0 0.0L0.0 0.0Z"
				"M40.0 60.0L60.0 60.0L60.0 40.0L40.0 40.0Z");
		buf_reset(&b);
		geo_svg_path(&b, &p, &L.f[1], 0);
		T_EQ_INT(count_char(b.ptr, 'M'), 2);
		T_EQ_INT(count_char(b.ptr, 'Z'), 2);
		/* The L's six points, the unclosed ring closed by Z. */
		buf_reset(&b);
		geo_svg_path(&b, &p, &L.f[2], 0);
		T_EQ_STR(b.ptr, "M400.0 100.0L500.0 100.0L500.0 90.0L410.0 90.0"
				"L410.0 0.0L400.0 0.0Z");
	}
	T_OK(!buf_failed(&b));
	buf_release(&b);
	geo_layer_release(&L);
}

/* A collection with one feature whose only ring is given by pts. */
static void ring_json(struct buf *b, const double *pts, size_t n)
{
	size_t i;

	buf_puts(b, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
		 "\"properties\":{\"code\":\"X\"},\"geometry\":{\"type\":\"Polygon\","
		 "\"coordinates\":[[");
	for (i = 0; i < n; i++)
		buf_printf(b, "%s[%.9f,%.9f]", i ? "," : "", pts[2 * i], pts[2 * i + 1]);
	buf_puts(b, "]]}}]}");
}

/* The first subpath's "Mx y" command. */
static void first_move(const char *path, char *out, size_t size)
{
	size_t n = strcspn(path, "LZ");

	snprintf(out, size, "%.*s", (int)n, path);
}

T_TEST(svg_path_simplify)
{
	enum { N = 1000 };
	double *pts = malloc(sizeof(double) * 2 * (N + 1));
	struct buf js = BUF_INIT, full = BUF_INIT, simple = BUF_INIT;
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	struct geo_proj p;
	char m1[64], m2[64];
	size_t i, nfull, nsimple;

	/* A dense circle of 1000 points, closed. */
	for (i = 0; i < N; i++) {
		pts[2 * i] = 19 + 2 * cos(2 * M_PI * i / N);
		pts[2 * i + 1] = 52 + 2 * sin(2 * M_PI * i / N);
	}
	pts[2 * N] = pts[0];
	pts[2 * N + 1] = pts[1];
	ring_json(&js, pts, N + 1);
	T_EQ_INT(parse_str(&L, js.ptr, &e), 0);
	if (L.n != 1)
		goto out;
	geo_proj_fit(&p, L.bbox, 400, 400, 10);
	geo_svg_path(&full, &p, &L.f[0], 0);
	geo_svg_path(&simple, &p, &L.f[0], 0.5);
	nfull = count_char(full.ptr, 'L') + 1;
	nsimple = count_char(simple.ptr, 'L') + 1;
	T_EQ_INT(nfull, N);
	T_OK(nsimple >= 4 && nsimple < N / 10);
	/* The ring still starts at its first point and is closed. */
	first_move(full.ptr, m1, sizeof(m1));
	first_move(simple.ptr, m2, sizeof(m2));
	T_EQ_STR(m2, m1);
	T_OK(simple.len > 0 && simple.ptr[simple.len - 1] == 'Z');
	T_EQ_INT(count_char(simple.ptr, 'M'), 1);

	/* A huge tolerance still leaves 4 vertices. */
	buf_reset(&simple);
	geo_svg_path(&simple, &p, &L.f[0], 1e6);
	T_EQ_INT(count_char(simple.ptr, 'L') + 1, 4);
	first_move(simple.ptr, m2, sizeof(m2));
	T_EQ_STR(m2, m1);
	geo_layer_release(&L);

	/* A square with 40 points per side simplifies to its 4 corners. */
	for (i = 0; i < 160; i++) {
		double t = (double)(i % 40) / 40;
		double c[4][2] = { { t, 0 }, { 1, t }, { 1 - t, 1 }, { 0, 1 - t } };
		pts[2 * i] = c[i / 40][0];
		pts[2 * i + 1] = c[i / 40][1];
	}
	buf_reset(&js);
	ring_json(&js, pts, 160);
	T_EQ_INT(parse_str(&L, js.ptr, &e), 0);
	if (L.n != 1)
		goto out;
	geo_proj_fit(&p, L.bbox, 100, 100, 0);
	buf_reset(&simple);
	geo_svg_path(&simple, &p, &L.f[0], 0.5);
	T_EQ_STR(simple.ptr, "M0.0 100.0L100.0 100.0L100.0 0.0L0.0 0.0Z");
	geo_layer_release(&L);

	/* A polygon under 1 px^2 is dropped when simplifying, kept when not. */
	{
		static const char two[] =
			"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
			"\"properties\":{\"code\":\"T\"},\"geometry\":{\"type\":\"MultiPolygon\","
			"\"coordinates\":[[[[0,0],[10,0],[10,10],[0,10],[0,0]]],"
			"[[[20,0],[20.001,0],[20.001,0.001],[20,0.001],[20,0]]]]}}]}";
		T_EQ_INT(parse_str(&L, two, &e), 0);
		if (L.n != 1)
			goto out;
		geo_proj_fit(&p, L.bbox, 200, 100, 0);
		buf_reset(&simple);
		geo_svg_path(&simple, &p, &L.f[0], 0.5);
		T_EQ_INT(count_char(simple.ptr, 'M'), 1);
		buf_reset(&simple);
		geo_svg_path(&simple, &p, &L.f[0], 0);
		T_EQ_INT(count_char(simple.ptr, 'M'), 2);
		geo_layer_release(&L);
	}
out:
	free(pts);
	buf_release(&js);
	buf_release(&full);
	buf_release(&simple);
}

/* Parses json, expects failure with exactly want as the message. */
static void expect_error(const char *json, const char *want)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	int rc = parse_str(&L, json, &e);

	T_EQ_INT(rc, -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_EQ_STR(e.msg, want);
	T_OK(L.n == 0 && L.f == NULL);
	geo_layer_release(&L);
}

#define FC(features) "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"
#define SQUARE "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]"
#define FEAT(props, type, coords) "{\"type\":\"Feature\",\"properties\":{" props "}," \
	"\"geometry\":{\"type\":\"" type "\",\"coordinates\":" coords "}}"

T_TEST(errors)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	static const char bad_json[] =
		"{\"type\": \"FeatureCollection\",\n  \"features\": [}";

	T_EQ_INT(parse_str(&L, bad_json, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strncmp(e.msg, "test.geojson: invalid JSON at line 2, column ", 44) == 0);
	T_OK(L.n == 0);

	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon", SQUARE) ","
			FEAT("\"name\":\"B\"", "Polygon", SQUARE)),
		     "test.geojson: feature 2: property 'code' missing; the feature has name: name the one that "
		     "holds the region codes with --code-property");
	expect_error(FC("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\","
			"\"coordinates\":" SQUARE "}}"),
		     "test.geojson: feature 1: property 'code' missing (the feature has no properties)");
	/* a code that is there but null is said to be null, not missing */
	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon", SQUARE) ","
			FEAT("\"code\":null,\"name\":\"B\"", "Polygon", SQUARE)),
		     "test.geojson: feature 2: property 'code' is null: every feature needs its region code");
	expect_error(FC(FEAT("\"code\":\"A\"", "Point", "[19.9,50.1]")),
		     "test.geojson: feature 1 (code A): geometry type 'Point' not supported"
		     " (only Polygon and MultiPolygon)");
	expect_error(FC(FEAT("\"code\":7", "LineString", "[[0,0],[1,1]]")),
		     "test.geojson: feature 1 (code 7): geometry type 'LineString' not supported"
		     " (only Polygon and MultiPolygon)");
	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon",
			     "[[[0,0],[1,\"x\"],[1,1],[0,1],[0,0]]]")),
		     "test.geojson: feature 1 (code A): ring 1, point 2: coordinate is not a number");
	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon", "[[[0,0],[1,0],[0,0]]]")),
		     "test.geojson: feature 1 (code A): ring 1: 3 points, a ring needs at least 4");
	expect_error(FC(FEAT("\"code\":\"A\"", "MultiPolygon",
			     "[" SQUARE ",[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[0,0],[1,1]]]]")),
		     "test.geojson: feature 1 (code A): polygon 2, ring 2: 2 points, a ring needs at least 4");
	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon",
			     "[[[0,0],[181,0],[1,1],[0,1],[0,0]]]")),
		     "test.geojson: feature 1 (code A): ring 1, point 2: longitude 181 outside [-180, 180]");
	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon",
			     "[[[0,0],[1,0],[1,-90.5],[0,1],[0,0]]]")),
		     "test.geojson: feature 1 (code A): ring 1, point 3: latitude -90.5 outside [-90, 90]");
	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon", "[[[0,0],[1],[1,1],[0,1]]]")),
		     "test.geojson: feature 1 (code A): ring 1, point 2: not a [longitude, latitude] array");
	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon", "[]")),
		     "test.geojson: feature 1 (code A): polygon: has no rings");
	expect_error(FC(FEAT("\"code\":1.5", "Polygon", SQUARE)),
		     "test.geojson: feature 1: property 'code' must be a string or an integer");
	expect_error(FC(FEAT("\"code\":\"\"", "Polygon", SQUARE)),
		     "test.geojson: feature 1: property 'code' is empty");
	expect_error(FC(FEAT("\"code\":\"A\",\"name\":3", "Polygon", SQUARE)),
		     "test.geojson: feature 1 (code A): property 'name' must be a string");
	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon", SQUARE) ","
			FEAT("\"code\":\"A\"", "Polygon", SQUARE)),
		     "test.geojson: feature 2: property 'code' is 'A', the same as feature 1");
	expect_error(FC("{\"type\":\"Feature\",\"properties\":{\"code\":\"A\"}}"),
		     "test.geojson: feature 1 (code A): geometry missing");
	expect_error(FC("{\"type\":\"Feature\",\"properties\":{\"code\":\"A\"},\"geometry\":null}"),
		     "test.geojson: its one feature's geometry is null: nothing to draw");
	expect_error(FC("{\"type\":\"Feature\",\"properties\":{\"code\":\"A\"},\"geometry\":null},"
			"{\"type\":\"Feature\",\"properties\":{\"code\":\"B\"},\"geometry\":null}"),
		     "test.geojson: no feature has a geometry (all 2 are null): nothing to draw");
	/* a null geometry (an unlocated feature) is left out; the others keep their numbers */
	expect_error(FC(FEAT("\"code\":\"A\"", "Polygon", SQUARE) ","
			"{\"type\":\"Feature\",\"properties\":{\"code\":\"B\"},\"geometry\":null},"
			FEAT("\"code\":\"C\"", "Polygon", SQUARE) "," FEAT("\"code\":\"A\"", "Polygon", SQUARE)),
		     "test.geojson: feature 4: property 'code' is 'A', the same as feature 1");
	expect_error(FC("{\"type\":\"Feature\",\"properties\":{\"code\":\"B\"},\"geometry\":null},"
			FEAT("\"code\":\"C\"", "Polygon", SQUARE) "," FEAT("\"code\":\"C\"", "Polygon", SQUARE)),
		     "test.geojson: feature 3: property 'code' is 'C', the same as feature 2");
	{
		struct geo_layer L2;
		struct kerr e2 = KERR_INIT;
		T_EQ_INT(parse_str(&L2, FC(FEAT("\"code\":\"A\"", "Polygon", SQUARE) ","
					  "{\"type\":\"Feature\",\"properties\":{\"code\":\"B\"},\"geometry\":null},"
					  FEAT("\"code\":\"C\"", "Polygon", SQUARE)), &e2), 0);
		T_OK(L2.n == 2 && L2.unlocated == 1 && strcmp(L2.f[0].code, "A") == 0 && strcmp(L2.f[1].code, "C") == 0 &&
		     L2.f[0].num == 1 && L2.f[1].num == 3);
		geo_layer_release(&L2);
	}
	expect_error(FC("[]"), "test.geojson: feature 1: not a JSON object");
	expect_error(FC("{\"type\":\"feature\"}"), "test.geojson: feature 1: type is not \"Feature\"");
	expect_error(FC(""), "test.geojson: the FeatureCollection has no features");
	expect_error("{\"type\":\"Feature\"}", "test.geojson: not a GeoJSON FeatureCollection");
	expect_error("[1,2]", "test.geojson: not a GeoJSON FeatureCollection");
	expect_error("{\"type\":\"FeatureCollection\",\"features\":{}}",
		     "test.geojson: \"features\" is not an array");
}

/* A UTF-8 byte-order mark (Windows editors write one) is skipped, as in every other input;
 * UTF-16 is named. */
T_TEST(byte_order_mark)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	static const char bom[] = "\xEF\xBB\xBF" FC(FEAT("\"code\":\"A\"", "Polygon", SQUARE));
	static const char utf16[] = "\xFF\xFE{\0\"\0";

	T_EQ_INT(parse_str(&L, bom, &e), 0);
	T_EQ_INT(L.n, 1);
	if (L.n == 1)
		T_EQ_STR(L.f[0].code, "A");
	geo_layer_release(&L);
	T_EQ_INT(geo_layer_parse(&L, utf16, sizeof(utf16) - 1, "test.geojson", "code", "name", &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_EQ_STR(e.msg, "test.geojson: the file is in UTF-16; GeoJSON is UTF-8: convert it (iconv -f utf-16 -t utf-8)");
}

T_TEST(load_missing_file)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;

	T_EQ_INT(geo_layer_load(&L, "no/such/file.geojson", "code", NULL, &e), -1);
	T_EQ_INT(e.kind, KERR_IO);
	T_EQ_STR(e.msg, "cannot open no/such/file.geojson: No such file or directory");
	T_OK(L.n == 0);
}

/* Checks a 16-voivodeship layer against known towns. */
static void check_poland(const char *path, const char *code_prop, const char *name_prop)
{
	static const struct {
		const char *town;
		double lon, lat;
		const char *code;
	} towns[] = {
		{ "Kraków", 19.94, 50.06, "12" },
		{ "Łódź", 19.46, 51.76, "10" },
		{ "Gdańsk", 18.65, 54.35, "22" },
		{ "Warszawa", 21.01, 52.23, "14" },
		{ "Wrocław", 17.03, 51.11, "02" },
		{ "Białystok", 23.16, 53.13, "20" },
	};
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	struct geo_proj p;
	struct buf b = BUF_INIT;
	size_t i;
	long k;

	if (!T_OK(geo_layer_load(&L, path, code_prop, name_prop, &e) == 0)) {
		printf("#   %s\n", e.msg);
		return;
	}
	T_EQ_INT(L.n, 16);
	for (i = 0; i < sizeof(towns) / sizeof(towns[0]); i++) {
		k = geo_layer_locate(&L, towns[i].lon, towns[i].lat);
		T_OK(k >= 0);
		if (k >= 0)
			T_EQ_STR(L.f[k].code, towns[i].code);
		else
			printf("#   %s not located\n", towns[i].town);
	}
	T_EQ_INT(geo_layer_locate(&L, 13.40, 52.52), -1);   /* Berlin */
	T_EQ_INT(geo_layer_locate(&L, 25.28, 54.69), -1);   /* Vilnius */
	T_OK(L.bbox[0] > 13.9 && L.bbox[2] < 24.3 && L.bbox[1] > 48.9 && L.bbox[3] < 55);

	/* Every voivodeship has a name, a label inside it and a drawable path. */
	geo_proj_fit(&p, L.bbox, 800, 760, 10);
	for (i = 0; i < L.n; i++) {
		double lon, lat;
		T_OK(L.f[i].name && L.f[i].name[0]);
		geo_feature_label_point(&L.f[i], &lon, &lat);
		T_EQ_INT(geo_layer_locate(&L, lon, lat), (long)i);
		buf_reset(&b);
		geo_svg_path(&b, &p, &L.f[i], 0.5);
		T_OK(b.len > 20 && b.ptr[0] == 'M' && b.ptr[b.len - 1] == 'Z');
	}
	buf_release(&b);
	geo_layer_release(&L);
}

/* The voivodeship layer shipped with the project (tests run from the root). */
T_TEST(reference_voivodeships)
{
	check_poland("data/reference/voivodeships.geojson", "teryt", "name");
}

/*
 * ETRS89-LAEA (EPSG:3035).  The worked example of IOGP Publication 373-7-2
 * (Guidance Note 7-2, "Coordinate Conversions and Transformations including
 * Formulas"), method 9820, Lambert Azimuthal Equal Area: ETRS89 50°00'00.000"N
 * 5°00'00.000"E → E 3,962,799.45 m, N 2,999,718.85 m, and back.  The note
 * gives centimetres; PROJ's cs2cs (EPSG:4326 → EPSG:3035) is compared on
 * more points in tests/cli/test_spatial.py.
 */
T_TEST(laea)
{
	double x, y, lat, lon;
	geo_laea_forward(50.0, 5.0, &x, &y);
	T_NEAR(x, 3962799.45, 0.005);
	T_NEAR(y, 2999718.85, 0.005);
	geo_laea_inverse(3962799.45, 2999718.85, &lat, &lon);
	T_NEAR(lat, 50.0, 1e-7);
	T_NEAR(lon, 5.0, 1e-7);
	/* the origin and the way back far from it */
	geo_laea_forward(52.0, 10.0, &x, &y);
	T_NEAR(x, 4321000.0, 1e-6);
	T_NEAR(y, 3210000.0, 1e-6);
	geo_laea_inverse(4321000.0, 3210000.0, &lat, &lon);
	T_NEAR(lat, 52.0, 1e-12);
	T_NEAR(lon, 10.0, 1e-12);
	{
		static const double pts[][2] = { { 54.35, 18.65 }, { 36.0, -9.5 }, { 70.0, 30.0 }, { 28.1, -15.4 },
						 { 84.0, 44.0 }, { 24.6, -35.58 } };
		size_t i;
		for (i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
			geo_laea_forward(pts[i][0], pts[i][1], &x, &y);
			geo_laea_inverse(x, y, &lat, &lon);
			T_NEAR(lat, pts[i][0], 1e-8);
			T_NEAR(lon, pts[i][1], 1e-8);
			T_OK(geo_laea_in_area(pts[i][0], pts[i][1]));
		}
	}
	{
		/* the way back over the whole area, to the last bits: the series alone is off by up to
		 * 1.4e-8° (1.6 mm) in the south, where a cell's corner would miss the grid's line */
		double la, lo, worst = 0;
		for (la = 24.6; la <= 84.73; la += 0.25)
			for (lo = -35.5; lo <= 44.8; lo += 2.5) {
				geo_laea_forward(la, lo, &x, &y);
				geo_laea_inverse(x, y, &lat, &lon);
				worst = fmax(worst, fmax(fabs(lat - la), fabs(lon - lo)));
			}
		T_OK(worst < 1e-11);
	}
	T_OK(!geo_laea_in_area(40.7, -74.0));   /* New York */
	T_OK(!geo_laea_in_area(19.0, 50.0));    /* Poland with lat and lon swapped */
	T_OK(!geo_laea_in_area(52.0, 45.0));
}

int main(void)
{
	T_RUN(parse);
	T_RUN(append);
	T_RUN(features_geojson);
	T_RUN(parse_without_names);
	T_RUN(locate);
	T_RUN(label_point);
	T_RUN(centroid);
	T_RUN(projection);
	T_RUN(svg_path_format);
	T_RUN(svg_path_simplify);
	T_RUN(errors);
	T_RUN(byte_order_mark);
	T_RUN(load_missing_file);
	T_RUN(reference_voivodeships);
	T_RUN(laea);
	return t_done();
}
