/*
 * geo.h — boundary polygons for the map: GeoJSON loading, projection,
 * SVG path data, point-in-polygon and label placement.
 *
 * A layer is a set of regions (voivodeships, counties) read from a GeoJSON
 * FeatureCollection of Polygon / MultiPolygon features.  Each feature is
 * identified by a code (the TERYT code for Polish units) taken from a
 * property named by the caller.  Coordinates are WGS84 longitude/latitude
 * in degrees.
 *
 * Ownership: a layer owns every array and string reachable from it; the
 * pointers it hands out stay valid until geo_layer_release().  A loaded
 * layer is never modified by the functions below, so one layer may be
 * shared read-only between threads.
 */
#ifndef KLASTER_GEO_H
#define KLASTER_GEO_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/*
 * A linear ring of n points: xy[2*i] is the longitude, xy[2*i+1] the
 * latitude of point i.  The ring may be closed (first point repeated as
 * the last, as GeoJSON requires) or not; every function here treats it as
 * closed either way.
 */
struct geo_ring {
	size_t n;
	double *xy;
};

/* rings[0] is the outer boundary, rings[1..] are holes. */
struct geo_polygon {
	size_t nrings;
	struct geo_ring *rings;
};

struct geo_feature {
	char *code;                 /* never NULL or empty in a parsed layer */
	char *name;                 /* display name; may be NULL */
	size_t npolys;              /* >= 1 in a parsed layer */
	struct geo_polygon *polys;
	double bbox[4];             /* minlon, minlat, maxlon, maxlat */
	size_t num;                 /* its number among the file's features, from 1 (for messages) */
};

struct geo_layer {
	size_t n;                   /* >= 1 in a parsed layer */
	struct geo_feature *f;
	double bbox[4];             /* union of the feature boxes */
	size_t numeric_codes;       /* features whose code property is a JSON number (written in decimal) */
	size_t unlocated;           /* features of the file left out: their geometry is null */
};

/*
 * Parses and validates a GeoJSON FeatureCollection (len bytes at json, no
 * NUL terminator needed).
 *
 *   code_prop  the property that holds the region code: a non-empty string
 *              or an integer (stored in decimal).  Required on every
 *              feature; codes must be unique within the layer.  NULL
 *              reads no codes: each feature's code is its number from 1
 *              (a layer used as an area, such as a study area).
 *   name_prop  the property that holds the display name (a string or
 *              null), or NULL to read no names.  A feature without it gets
 *              name == NULL.
 *   src        names the input in messages (a file name, "upload").
 *
 * Checked: the JSON syntax (message gives jansson's line and column),
 * type "FeatureCollection" with a non-empty "features" array, each feature
 * of type "Feature" with a Polygon or MultiPolygon geometry (any other
 * geometry type is an error naming it; a null geometry, an unlocated
 * feature such as klaster's own layers write for a region without a
 * boundary, is left out of L and counted in L->unlocated — a file of
 * such features alone is an error), every polygon with at least one
 * ring, every ring with at least 4 positions, every position an array of
 * at least two numbers with longitude in [-180, 180] and latitude in
 * [-90, 90].  Rings need not be closed.
 *
 * L is overwritten (release a previously loaded layer first).  Returns 0,
 * or -1 with L left empty (n == 0, nothing to release) and e set to
 * KERR_INPUT with a message such as
 *   "regions.geojson: feature 12: property 'teryt' missing"
 * Features are counted from 0, in the order of the "features" array; once
 * a feature's code is known the message names it too.
 */
int geo_layer_parse(struct geo_layer *L, const char *json, size_t len,
		    const char *src, const char *code_prop,
		    const char *name_prop, struct kerr *e);

/*
 * Reads the file at path and parses it as above (path names the input in
 * messages).  An unreadable file is KERR_IO, a file over GEO_MAX_FILE
 * bytes KERR_TOOBIG.  On failure L is left empty.
 */
#define GEO_MAX_FILE ((size_t)256 << 20)
int geo_layer_load(struct geo_layer *L, const char *path,
		   const char *code_prop, const char *name_prop,
		   struct kerr *e);
/* The bytes of the GeoJSON file at path into b, as geo_layer_load reads them: 0, or -1 with e
 * (KERR_IO "cannot open PATH: …" or a read error, KERR_TOOBIG over GEO_MAX_FILE). */
int geo_read_file(const char *path, struct buf *b, struct kerr *e);

/*
 * Moves the features of more to the end of L (more is left empty) and
 * widens L's box: 0, or -1 with both unchanged and e set to KERR_INPUT
 * ("parts.geojson: feature 3: code 'UKM71' is already in the layer") when
 * a code of more is in L.
 */
int geo_layer_append(struct geo_layer *L, struct geo_layer *more, const char *src, struct kerr *e);

/* Frees everything L owns and leaves it empty.  Safe on an empty layer. */
void geo_layer_release(struct geo_layer *L);

/* 1 when the boxes (minlon, minlat, maxlon, maxlat) overlap by more than
 * an edge: a feature whose box does not overlap a map's frame is not on it. */
int geo_bbox_overlaps(const double a[4], const double b[4]);

/* The feature with this code (exact byte comparison), or NULL.  Linear. */
const struct geo_feature *geo_layer_find(const struct geo_layer *L,
					 const char *code);

/*
 * Projection from lon/lat to SVG pixels: equirectangular, with x scaled
 * by cos(mean latitude of the fitted box) so shapes at the latitude of
 * one country keep their proportions; y points down.
 *
 *   x = x0 + k * kx * (lon - lon0)
 *   y = y0 - k * (lat - lat0)
 *
 * (lon0, lat0) is the centre of the fitted box, (x0, y0) the centre of
 * the picture.
 */
struct geo_proj {
	double k;      /* pixels per degree of latitude */
	double kx;     /* cos(lat0), at least 0.01 */
	double x0, y0;
	double lon0, lat0;
};

/*
 * Fits bbox (minlon, minlat, maxlon, maxlat) into a width x height picture
 * leaving margin pixels on every side, keeping the aspect: the box touches
 * the margins on the tighter axis and is centred on the other.  A box that
 * is a line or a point is centred; a margin that leaves no room maps
 * everything to the centre.
 */
void geo_proj_fit(struct geo_proj *p, const double bbox[4], double width,
		  double height, double margin);
void geo_project(const struct geo_proj *p, double lon, double lat,
		 double *x, double *y);

/*
 * Appends SVG path data for every polygon of f: one "Mx yLx y...Z"
 * subpath per ring, coordinates in pixels rounded to one decimal.  Holes
 * are separate subpaths, so draw with fill-rule="evenodd".  The output
 * holds only digits, '.', '-', ' ' and the letters M L Z, so it can go
 * into a d="" attribute as is.
 *
 * tol_px > 0 simplifies each ring with Douglas-Peucker at that tolerance
 * in pixels; the first point of a ring is always kept and a ring keeps at
 * least 4 vertices (all of them if it has fewer).  With tol_px > 0 a ring
 * whose projected area is under 1 px^2 is dropped (an outer ring with its
 * holes).  tol_px <= 0 writes every point.  Errors are sticky in out.
 */
void geo_svg_path(struct buf *out, const struct geo_proj *p,
		  const struct geo_feature *f, double tol_px);

/*
 * 1 if (lon, lat) lies inside f, else 0.  Even-odd rule within each
 * polygon (so points in holes are outside), any polygon counts; f->bbox is
 * checked first.  Points exactly on an edge may go either way.
 */
int geo_feature_contains(const struct geo_feature *f, double lon, double lat);

/*
 * Index in L->f of the first feature that contains the point, or -1.
 * On a border shared by two features the earlier one wins.
 */
long geo_layer_locate(const struct geo_layer *L, double lon, double lat);

/*
 * A point to put the feature's label at: the area-weighted centroid of
 * the outer ring of its largest polygon (by outer-ring area) when that
 * point lies inside the polygon; otherwise, for concave shapes or when the
 * centroid falls in a hole, the midpoint of the widest interior stretch of
 * the horizontal line through the centroid.  A feature with no area at
 * all gets a vertex of its outer ring; one with no polygons the centre of
 * its bbox.
 */
void geo_feature_label_point(const struct geo_feature *f, double *lon,
			     double *lat);

/*
 * The centroid of the n features idx[0..n) of L (indices into L->f) taken
 * as one shape: the area-weighted mean of the centroids of all their
 * polygons, each polygon counting its outer ring's area less its holes'
 * (whatever the rings' orientation).  It is computed on the coordinates as
 * they are, planar in degrees of longitude and latitude, so it is the
 * centroid shapely / GEOS gives for the (Multi)Polygon of the features in
 * EPSG:4326, which pandas users get from GeoSeries.centroid.  It may lie
 * outside a concave region; it is a region's representative point for
 * distances between regions (docs/MAPPING.md, "Getis–Ord hot spots").
 * Returns 0; -1 when the features have no area, with the centroid GEOS
 * gives them then in *lon, *lat: of their outline (each edge's middle
 * weighted by its length), else of their rings' first points.  n must be
 * >= 1.
 */
int geo_centroid(const struct geo_layer *L, const long *idx, size_t n, double *lon, double *lat);

/*
 * Appends the n features idx[0..n) of L as one GeoJSON geometry: a
 * MultiPolygon of all their polygons, rings as read (holes kept, closed)
 * but turned as RFC 7946 asks: an outer ring counter-clockwise, a hole
 * clockwise, one read the other way written backwards from its first point;
 * coordinates with 10 significant digits; "null" when n is 0.  For a
 * table's GeoJSON output (tablew_geometry): a region's boundary.
 */
void geo_features_geojson(struct buf *out, const struct geo_layer *L, const long *idx, size_t n);

/*
 * ETRS89-LAEA Europe (EPSG:3035): the Lambert azimuthal equal-area
 * projection on the GRS 1980 ellipsoid, centred at 52° N 10° E, false
 * easting 4,321,000 m and northing 3,210,000 m — the projection of
 * Eurostat's statistical grids (GEOSTAT, the census grid; INSPIRE's grid
 * of Europe).  Formulas of IOGP Guidance Note 7-2 (EPSG method 9820,
 * ellipsoidal forward and inverse); the note's worked example (50° N 5° E
 * → E 3,962,799.45 m, N 2,999,718.85 m) is a unit test, and the forward
 * projection is compared with PROJ's cs2cs in tests/cli/test_spatial.py.
 * Written here rather than taken from PROJ for one projection: PROJ would
 * add its database and some twenty shared libraries to klaster-map.
 *
 * geo_laea_forward: lat, lon in degrees (ETRS89 and WGS84 are taken as
 * one: they differ by under a metre) to *x (easting) and *y (northing) in
 * metres.  geo_laea_inverse: back (the note's series for the latitude,
 * refined by two Newton steps: to about 1e-12 degrees).  geo_laea_in_area:
 * 1 when the point lies in
 * the projection's area of use (EPSG: 24.6–84.73° N, 35.58° W–44.83° E),
 * the only place its cells are equal and nearly square on the ground.
 */
#define GEO_LAEA_SOUTH 24.6
#define GEO_LAEA_NORTH 84.73
#define GEO_LAEA_WEST (-35.58)
#define GEO_LAEA_EAST 44.83
void geo_laea_forward(double lat, double lon, double *x, double *y);
void geo_laea_inverse(double x, double y, double *lat, double *lon);
int geo_laea_in_area(double lat, double lon);

#endif
