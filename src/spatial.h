/*
 * spatial.h — firm-point analysis: DBSCAN clusters of firms on the globe
 * and Getis–Ord Gi / Gi* hot spots of a value on points, plus the reader
 * of firm-point CSV files and the result tables (tablew.h) of the
 * `klaster map spatial` and `klaster map hotspots` commands.
 *
 * Distances on the globe are great-circle distances on a sphere of radius
 * SPATIAL_EARTH_RADIUS_M (the mean Earth radius of IUGG), computed with the
 * haversine formula.  A distance of d metres is d / SPATIAL_EARTH_RADIUS_M
 * radians: scikit-learn users pass eps = metres / 6371008.8 with
 * metric='haversine' on coordinates in radians and get the same neighbours.
 *
 * Neighbours are found through a grid index of the points as unit vectors
 * in three dimensions (cells as wide as the chord of the search radius), so
 * the poles and the ±180° meridian need no special case and no pair of
 * points further apart than two cells is ever compared.
 */
#ifndef KLASTER_SPATIAL_H
#define KLASTER_SPATIAL_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "tablew.h"

#define SPATIAL_EARTH_RADIUS_M 6371008.8

/* Great-circle distance in metres between two points given in degrees. */
double spatial_haversine_m(double lat1, double lon1, double lat2, double lon2);

/* ---- DBSCAN ---- */

struct spatial_dbscan {
	size_t n;
	long *label;            /* n labels: -1 noise, 0 .. nclusters-1 */
	unsigned char *core;    /* n flags: 1 for a core point */
	long nclusters;
	size_t ncore, nnoise;
};

/*
 * DBSCAN of n points (lat[i], lon[i] in degrees; latitudes in [-90, 90],
 * longitudes in [-180, 180]) with a radius of eps_m metres on the great
 * circle.  A point is a core point when at least min_samples points,
 * itself included, lie within eps_m of it (distance <= eps_m), as in
 * scikit-learn.  Clusters are numbered from 0 in the order of their first
 * core point by input index; a border point (not core, within eps_m of a
 * core point) takes the lowest-numbered cluster whose core points reach
 * it — scikit-learn's rule, so every label equals
 *   DBSCAN(eps=eps_m / 6371008.8, min_samples=min_samples,
 *          metric='haversine', algorithm='ball_tree').fit(np.radians(latlon))
 * up to rounding of distances that equal eps_m to the last bit.
 *
 * eps_m must be > 0 and finite, min_samples >= 1; otherwise -1 with
 * KERR_USAGE.  out is overwritten; free it with spatial_dbscan_release.
 * Memory is O(n): neighbourhoods are recomputed, never stored.
 */
int spatial_dbscan(const double *lat, const double *lon, size_t n, double eps_m, size_t min_samples,
		   struct spatial_dbscan *out, struct kerr *e);
/* The same with a progress line (progress.h; pg may be NULL): the points whose
 * neighbours have been counted, then the clusters grown. */
struct progress;
int spatial_dbscan_pg(const double *lat, const double *lon, size_t n, double eps_m, size_t min_samples,
		      struct progress *pg, struct spatial_dbscan *out, struct kerr *e);
void spatial_dbscan_release(struct spatial_dbscan *d);

/* One DBSCAN cluster, described for tables and maps. */
struct spatial_cluster {
	size_t n, ncore;        /* members (core and border points), core points */
	double lat, lon;        /* centre: the mean of the members' unit vectors, normalised, in degrees */
	double bbox[4];         /* minlon, minlat, maxlon, maxlat of the members (plain degrees: a
				   cluster across the 180° meridian gets a box around the globe) */
	double radius_m;        /* great-circle distance from the centre to the farthest member */
	size_t first;           /* index of its first member in the input */
};

/*
 * Summaries of the d->nclusters clusters of d, computed on the points
 * (lat, lon) that d was computed from: (*out)[k] describes label k.  *out
 * is NULL when there is no cluster, else an array the caller frees.
 */
void spatial_dbscan_clusters(const double *lat, const double *lon, const struct spatial_dbscan *d,
			     struct spatial_cluster **out);

/* ---- Getis–Ord Gi / Gi* ---- */

enum spatial_metric {
	SPATIAL_GEO,     /* a = latitude, b = longitude in degrees; band in metres */
	SPATIAL_PLANAR   /* a = x, b = y in any unit; band in the same unit */
};

struct spatial_getis_ord_opts {
	enum spatial_metric metric;
	double band;           /* neighbours: distance <= band (binary weights), > 0 */
	int star;              /* 1: Gi* (each point is its own neighbour, weight 1); 0: Gi */
	int row_standardise;   /* 1: each row of weights divided by its sum (PySAL 'R'); 0: binary ('B') */
	int by_point;          /* 1: each point's band summed from its own list of neighbours, the slow
				  way the grouped sums are tested against (the same results, to the bit) */
};

struct spatial_getis_ord {
	size_t n;
	size_t npart;      /* the points that took part: n, but on a grid with a study area the cells in it
			      (spatial_grid_hotspots spreads the results over every cell) */
	double *g;         /* the statistic G_i */
	double *eg, *vg;   /* its expected value and variance under randomness */
	double *z;         /* (G_i - E) / sqrt(V), computed as below; NAN when V is 0 (the values do not
			      vary, for Gi a point without neighbour, for both a point whose neighbours
			      are all the points) */
	double *p;         /* two-sided normal p-value of z: erfc(|z| / sqrt 2); NAN with z */
	size_t *nneigh;    /* neighbours within the band, the point itself not counted */
	size_t nisland;    /* points without a neighbour (nneigh 0): under Gi* their z rests on their
			      own value alone, as the "islands" libpysal warns about */
	size_t first_island;  /* the first of them (index), when nisland */
	size_t nall;       /* points whose band holds every point (W_i = N, binary weights): their
			      G_i is fixed, V is 0 and z and p are NAN whatever the values */
};

/*
 * Local Getis–Ord statistics of the values y[0..n) on the points (a[i],
 * b[i]), as PySAL esda's G_Local(y, DistanceBand(points, band), star=…,
 * transform='B' or 'R') computes them (esda 2.x, analytical inference):
 *   S  = Σ_j y_j, S2 = Σ_j y_j², r = 0 for Gi*, 1 for Gi, N = n − r
 *   G_i = Σ_j w_ij y_j / (S − r y_i)         (w_ii = 0 for Gi, 1 for Gi* before the transform)
 *   m = (S − r y_i) / N, s² = (S2 − r y_i²) / N − m²
 *   W_i = Σ_j w_ij, E[G_i] = W_i / N
 *   V[G_i] = W_i (N − W_i) / (N − 1) / N² · s² / m²
 *   z_i = (Σ_j w_ij y_j − W_i m) / (s √(W_i (N − W_i) / (N − 1)))
 * z_i is (G_i − E[G_i]) / √V[G_i] written without dividing by S: the same
 * when the values sum above 0, and defined for values of both signs (a
 * change such as employment growth or a regional shift, whose sum may be
 * 0), where high values are still hot (for a sum below 0, (G_i − E)/√V
 * would turn the sign).  G_i and V[G_i] are NAN when S − r y_i is 0 up to
 * rounding (at most 1e-9 of Σ|y_j|).
 * Points at distance 0 from each other (duplicates) are neighbours.
 * Needs n >= 2 (3 for Gi) and finite values; out is overwritten, free it
 * with spatial_getis_ord_release.
 */
int spatial_getis_ord(const double *a, const double *b, const double *y, size_t n,
		      const struct spatial_getis_ord_opts *o, struct spatial_getis_ord *out,
		      struct kerr *e);
void spatial_getis_ord_release(struct spatial_getis_ord *g);
/*
 * The notice about coordinates that look swapped, appended to out: when at
 * least nine in ten of the n points lie outside the frame of Europe
 * (nuts_europe_frame) and at least nine in ten inside it with lat and lon
 * exchanged — Poland's 50° N 19° E read as 19° N 50° E, in Arabia:
 * "SRC: 1070 of 1070 points lie outside Europe, and inside it with lat and
 * lon exchanged: are the columns swapped?", the columns named latcol and
 * loncol as the file spells them (NULL: "lat", "lon").  Returns the points
 * outside; 0 (nothing appended) when the points do not look so.
 */
size_t spatial_swapped_notice(struct buf *out, const char *src, const double *lat, const double *lon, size_t n,
			      const char *latcol, const char *loncol);
/*
 * The notice about the islands of g (star: g is Gi*), appended to out:
 * "SRC: 2 points of 40 have no neighbour within the band (first: point 7);
 * their Gi* rests on themselves alone" (first: the first island's name as
 * the caller knows it, a firm's id or a region's code; NULL or "": its
 * number from 1, in the input order).  Returns g->nisland; appends nothing when it is 0.  Whoever runs
 * Gi* for a person (`map hotspots`) says it on stderr.
 */
size_t spatial_islands_notice(struct buf *out, const char *src, const struct spatial_getis_ord *g, int star,
			      const char *first);
/*
 * The notice about the points of g whose band holds every point (g->nall):
 * "SRC: 2 points of 2 have every other point within the band: their Gi* is
 * fixed and has no z-score or p; a narrower band compares them".  Returns
 * g->nall; appends nothing when it is 0.
 */
size_t spatial_all_neighbours_notice(struct buf *out, const char *src, const struct spatial_getis_ord *g, int star);

/* Hot and cold spots: p < SPATIAL_SPOT_P with z > 0 (hot) or z < 0 (cold). */
#define SPATIAL_SPOT_P 0.05
/* 1 when point i of g is a hot spot, -1 a cold spot, 0 neither. */
int spatial_spot(const struct spatial_getis_ord *g, size_t i);
/* "hot", "cold" or "" for a result of spatial_spot. */
const char *spatial_spot_name(int spot);
/* The hot and cold spots of g. */
void spatial_spots_count(const struct spatial_getis_ord *g, size_t *hot, size_t *cold);

/* ---- counts on a grid (hot spots of firm density) ---- */

/*
 * A grid of cells over the box of some points, and the number of points in
 * each cell, of one of two kinds:
 *
 * SPATIAL_GRID_DEGREES: cells cell_m metres high (cell_m /
 * SPATIAL_EARTH_RADIUS_M radians of latitude) and as many degrees of
 * longitude as make them cell_m wide at the middle latitude of the box
 * (that height divided by the cosine of the middle latitude, at least
 * 0.01).  Row 0 starts at the southernmost point, column 0 at the
 * westernmost; a point on the last edge belongs to the last cell.  The last
 * row and column end at 90° N and 180° E (their centres, areas and corners
 * are those of the part of the cell below and west of them).  Cells
 * equal in degrees are not equal on the ground: a cell's area (area_km2,
 * on the sphere) shrinks with the cosine of its latitude.  Works anywhere.
 *
 * SPATIAL_GRID_LAEA: the grid of Europe of Eurostat and INSPIRE — square
 * cells of cell_m metres (whole metres) in ETRS89-LAEA (EPSG:3035,
 * geo_laea_forward), their corners at multiples of cell_m from the
 * projection's origin, so that the cells are those of Eurostat's
 * population grid of the same size and carry its codes
 * ("CRS3035RES1000mN3512000E4387000": the size and the south-west corner
 * in metres, spatial_grid_code).  Every cell has the same area on the
 * ground (cell_m², area_km2).  Every point must lie in the projection's
 * area of use (geo_laea_in_area).
 *
 * Every cell of the box is listed, empty or not (the zeros matter for
 * Gi*), row by row from the south-west (cell = row × cols + col).  With a
 * study area (spatial_grid_opts.within), a cell takes part (in[k] 1) when
 * its centre lies in one of the area's polygons or it holds a point; the
 * others (outside a country's border, at sea) are no part of the analysis:
 * left out of Gi* and of the tables, so that the land beyond the border,
 * where nobody counted firms, does not count as empty.
 */
enum spatial_grid_kind { SPATIAL_GRID_DEGREES, SPATIAL_GRID_LAEA };

struct geo_layer;

struct spatial_grid_opts {
	double cell_m;                 /* the cell's size, metres, above 0 (whole metres for the LAEA grid) */
	size_t max_cells;              /* more cells over the points' box is an error */
	enum spatial_grid_kind kind;
	const struct geo_layer *within;   /* the study area, or NULL: every cell of the box */
	int within_optional;           /* an area that holds no cell's centre (it lies elsewhere than the
					  points): 1 sets it aside (every cell takes part, in stays NULL),
					  0 makes it an error */
};

struct spatial_grid {
	enum spatial_grid_kind kind;
	size_t rows, cols, n;         /* n = rows * cols cells */
	double cell_m;
	double lat0, lon0;            /* degrees grid: the south-west corner, degrees */
	double dlat, dlon;            /* degrees grid: the cell's size, degrees */
	double x0, y0;                /* LAEA grid: the south-west corner, EPSG:3035 metres */
	double *lat, *lon;            /* n cell centres, degrees */
	double *count;                /* n counts of points */
	double *area;                 /* n areas, km² */
	unsigned char *in;            /* n flags: the cell takes part (study area); NULL: all do */
	size_t nin;                   /* the cells that take part (n without a study area) */
	size_t *cell;                 /* per point: the index of its cell */
};

/*
 * Counts the n points (lat, lon in degrees) on the grid o describes.
 * Errors (KERR_INPUT unless said): more than o->max_cells cells ("N cells
 * …"), o->cell_m not above 0 (KERR_USAGE), a LAEA cell not of whole metres or above 10,000 km
 * (KERR_USAGE), n == 0, a point outside the LAEA grid's area ("point 12 at
 * 40.7° N 74° W lies outside the area of the European grid …", counted
 * from 1), a study area that holds the centre of no cell ("the study area
 * holds the centre of none of the 1147 cells …", unless
 * o->within_optional): the cells holding points alone, none of them empty,
 * would have no ground to be compared with.  out is overwritten; release it with spatial_grid_release (also
 * after a failure).
 */
int spatial_grid_counts(const double *lat, const double *lon, size_t n, const struct spatial_grid_opts *o,
			struct spatial_grid *out, struct kerr *e);
void spatial_grid_release(struct spatial_grid *g);

/* 1 when cell k of g takes part in the analysis (spatial_grid.in). */
int spatial_grid_cell_in(const struct spatial_grid *g, size_t k);

/* The cell's code on the LAEA grid, "CRS3035RES1000mN3512000E4387000"
 * (the INSPIRE / Eurostat census grid identifier: the size and the
 * south-west corner in metres, northing first), written to out (at least
 * 64 bytes); "" on a grid in degrees. */
void spatial_grid_code(const struct spatial_grid *g, size_t k, char *out, size_t size);

/*
 * The four corners of cell k (longitude, latitude pairs, counter-clockwise
 * from the south-west: 8 numbers), to draw it: a box in degrees, or on the
 * LAEA grid the corners of the square brought back to degrees.
 */
void spatial_grid_corners(const struct spatial_grid *g, size_t k, double out[8]);

/*
 * The outline of cell k for a GIS: counter-clockwise from the south-west
 * corner (lon, lat pairs, the first point not repeated), with, on the LAEA
 * grid, points along each edge at most SPATIAL_OUTLINE_STEP_M apart (but
 * at most SPATIAL_OUTLINE_MAX / 4 an edge: farther apart on cells above
 * 320 km) — a square's edges are curves in degrees, and a large cell drawn
 * through its four corners alone strays from them (about 10 m at 20 km,
 * 1.3 km at 200 km; under a metre along the step's 5 km).  On the grid in
 * degrees the four corners (its edges are meridians and parallels).  Writes
 * at most SPATIAL_OUTLINE_MAX points to out (2 × that many numbers) and
 * returns how many.
 */
#define SPATIAL_OUTLINE_STEP_M 5000.0
#define SPATIAL_OUTLINE_MAX (4 * 64)
size_t spatial_grid_outline(const struct spatial_grid *g, size_t k, double *out);

/*
 * The hot and cold cells of grid g by go (spatial_spot not 0), to draw them:
 * their outlines (spatial_grid_outline, *pts points each, lon, lat pairs, in
 * the cells' order) in *outlines and their spots (1 hot, -1 cold) in *spots,
 * both allocated (never NULL, even for none; free them). Returns how many.
 */
size_t spatial_spot_cells(const struct spatial_grid *g, const struct spatial_getis_ord *go, double **outlines,
			  signed char **spots, size_t *pts);

/*
 * Hot spots of point density: the n points counted on the grid of go
 * (spatial_grid_counts) and Getis–Ord of their densities (count /
 * area_km2, so that a cell in the north of a grid in degrees, smaller on
 * the ground, does not look emptier) with o (o->metric must be
 * SPATIAL_GEO), every cell that takes part taking part, empty ones too.
 * Distances are counted on the grid: cells (row, col) are cell_m apart,
 * whatever the latitude, so that a band of 1.5 cells takes the eight
 * around each cell everywhere (on a grid in degrees the cells of the north
 * are narrower on the ground and a band measured there would take more of
 * them).  Fewer than two cells taking part is an error ("the points fit
 * in one cell of …: choose smaller cells").  The results go has one entry
 * per cell of g (go->n == g->n); a cell that takes no part has NAN there
 * and nneigh 0, and is neither hot nor cold.  g and go are overwritten;
 * release them with spatial_grid_release and spatial_getis_ord_release
 * (also after a failure).  The portal's firm maps and `map hotspots
 * --cell` compute their grids with it.
 */
int spatial_grid_hotspots(const double *lat, const double *lon, size_t n, const struct spatial_grid_opts *go,
			  const struct spatial_getis_ord_opts *o, struct spatial_grid *g, struct spatial_getis_ord *gi,
			  struct kerr *e);

/* ---- firm-point files ---- */

/*
 * Options of spatial_firms_load.  Column names are matched without regard
 * to case; NULL picks the default (with the aliases in brackets):
 *   id        id
 *   name      name [installation_name, operator_name]  (optional column)
 *   industry  industry [ets_activity_code, nace, pkd]  (optional column)
 *   lat, lon  lat, lon [latitude, longitude]; with planar: x, y
 * Other columns are ignored.
 *
 * The value column is what `map hotspots` analyses: a row without a value
 * is skipped.  Attributes are values kept with every firm (`import firms
 * --value`): a row without one keeps its firm, the attribute missing.
 */
struct spatial_firms_opts {
	const char *id_col, *name_col, *industry_col;
	const char *value_col;   /* a numeric column to read (hot spots), or NULL */
	const char *industry;    /* keep only rows of this industry code, or NULL */
	int planar;              /* read x, y (any unit, no range check) instead of lat, lon */
	int skip_invalid;        /* a value that is not a number is skipped (counted in no_value);
				    an attribute that is not valid is missing (counted in attr_invalid) */
	const char *const *attr_cols;   /* nattr numeric columns kept as attributes, or NULL */
	size_t nattr;
	int attr_nonneg;         /* obsolete, without effect: every firm value (the value column and
				    the attributes) is a number of 0 or more, one rule on every path */
	FILE *progress;          /* a progress line for a big file when this is a terminal, or NULL */
	const char *industry_name_col;  /* a column naming each row's industry (ets_activity), read
					   into spatial_firms.ind_code/ind_name; NULL: none */
	const char *display_name;  /* the input as messages name it (an upload: the file's name as
				      sent), or NULL: its path */
	size_t max_firms;        /* the most located firms kept: the row of one more stops the
				    reading there (KERR_TOOBIG, "PATH:LINE: more than N located
				    firms"), so a file far over it is neither read to its end nor
				    held; 0: no limit */
};

struct spatial_firms {
	size_t n;
	double *lat, *lon;                /* degrees (or y, x with planar: lat = y, lon = x) */
	double *value;                    /* the value column, or NULL without one */
	size_t *id, *name, *industry;     /* offsets of the strings in strs ("" when no column) */
	struct buf strs;
	long rows;                        /* data rows read */
	long filtered;                    /* rows of other industries (--industry) */
	long no_coords;                   /* rows skipped: lat or lon empty or NA */
	long first_no_coords;             /* the line of the first of them */
	long no_value;                    /* rows skipped: value empty or NA (or invalid, see skip_invalid) */
	long first_no_value;
	size_t nattr;                     /* attributes per firm */
	double *attr;                     /* n × nattr, firm by firm; NAN: missing */
	long *attr_missing;               /* per attribute: firms without it (invalid ones included) */
	long attr_invalid;                /* attributes not valid, stored as missing (skip_invalid) */
	long first_attr_invalid;          /* the line of the first of them */
	size_t first_attr_invalid_col;    /* and its attribute */
	size_t cap;                       /* room in the arrays (spatial_firms_add) */
	size_t nind_names;                /* industry_name_col: the distinct industries of the kept */
	size_t *ind_code, *ind_name;      /*   firms with a name, first met first (offsets in strs);
					     a code given other names later keeps its first */
	size_t *ind_lang[2];              /* per named industry its Polish and English names (offsets
					     in strs, (size_t)-1: none), or NULL: firms_industry_names */
	long ind_name_conflicts;          /* rows naming a code otherwise than its first row did */
	long first_ind_name_conflict;     /* the line of the first of them */
	char lat_col[16], lon_col[16];    /* the coordinates' columns as the header spells them
					     ("lat", "Latitude", "lng"; "y", "x" with planar) */
};

/*
 * Reads a firm-point CSV (UTF-8, header row; ',', ';' or tab found from the
 * header).  A file that is not a regular file (a pipe, /dev/stdin) is read
 * once, as it comes, as a regular file is.  Validates: the
 * required columns are present (id, lat, lon, the value column, the
 * attribute columns and, with opts->industry, the industry column); every
 * coordinate is a number (in a ';' file also with a decimal comma,
 * "52,2"); every value and attribute is a number of 0 or more read by
 * stats_parse_number (thousands separators; the decimal comma in a ';'
 * file; no exponent); latitudes lie in [-90, 90] and longitudes in
 * [-180, 180].  No firm left to analyse is an error naming the file (and
 * the industry of opts->industry): no data rows, no firm of that industry,
 * none with coordinates or with a value.  Messages name the file, the
 * line and the column as the header spells it ("firms.csv:12: column lat:
 * 91.5 is outside [-90, 90]", "column Latitude: …"), kind KERR_INPUT; the
 * coordinates' columns so spelt are kept in f->lat_col, f->lon_col.  A row
 * whose lat or lon (or value) is empty or NA is not an error: it is
 * skipped and counted, since firm registers locate only some firms; an empty or NA attribute is missing (NAN).  An
 * empty id, or one given twice (KERR_CONFLICT, naming both lines), is an
 * error.  More located firms than opts->max_firms (when not 0) is
 * KERR_TOOBIG at the row of the first one too many: the rest of the file
 * is not read.  f is overwritten; release it with
 * spatial_firms_release (also after a failure).
 */
int spatial_firms_load(const char *path, const struct spatial_firms_opts *o, struct spatial_firms *f,
		       struct kerr *e);
void spatial_firms_release(struct spatial_firms *f);
/* Appends one firm (strings copied; NULL is ""): for lists built in memory
 * or read from the database.  Start from a zeroed struct with
 * strs = BUF_INIT.  When f->nattr is set (before the first firm) the new
 * firm's attributes are missing (NAN) until the caller sets them.  A list
 * with a value column cannot grow this way. */
void spatial_firms_add(struct spatial_firms *f, const char *id, const char *name, const char *industry,
		       double lat, double lon);
/* The firms of f that have attribute k, in f's order, with it as their
 * value: the list `map hotspots --value` reads from a file holding the same
 * firms.  out is overwritten (release it with spatial_firms_release);
 * index, when not NULL, gets each one's position in f (an array the
 * caller frees, NULL when out is empty). */
void spatial_firms_with_attr(const struct spatial_firms *f, size_t k, struct spatial_firms *out, size_t **index);

static inline const char *spatial_firm_id(const struct spatial_firms *f, size_t i)
{
	return f->strs.ptr + f->id[i];
}
static inline const char *spatial_firm_name(const struct spatial_firms *f, size_t i)
{
	return f->strs.ptr + f->name[i];
}
static inline const char *spatial_firm_industry(const struct spatial_firms *f, size_t i)
{
	return f->strs.ptr + f->industry[i];
}

/* ---- result tables ---- */

/* id, name, industry, lat, lon, cluster, core (NULL-terminated). */
extern const char *const spatial_dbscan_columns[];
/* id, name, industry, lat, lon, value, gi, z, p, spot (NULL-terminated);
 * the planar one has x, y instead of lat, lon. */
extern const char *const spatial_hotspot_columns[];
extern const char *const spatial_planar_hotspot_columns[];
/* The grid in degrees: cell, row, col, lat, lon (the centre), south, west,
 * north, east, firms, area_km2, gi, z, p, spot (NULL-terminated). */
extern const char *const spatial_grid_hotspot_columns[];
/* The LAEA grid: cell, code, row, col, lat, lon (the centre), x, y (the
 * south-west corner, EPSG:3035 metres), firms, area_km2, gi, z, p, spot. */
extern const char *const spatial_laea_grid_hotspot_columns[];
/* The columns of g's table: one of the two above. */
const char *const *spatial_grid_hotspot_columns_of(const struct spatial_grid *g);

/* One row per firm: cluster -1 is noise, core 1/0. */
int spatial_write_dbscan(const struct spatial_firms *f, const struct spatial_dbscan *d, struct tablew *t,
			 struct kerr *e);
/* One row per point of f (which must have values), in the columns of
 * spatial_hotspot_columns (planar: spatial_planar_hotspot_columns, f read
 * with spatial_firm_opts.planar); name and industry empty when f has no
 * such column; spot is "hot", "cold" or empty (spatial_spot: null in JSON). */
int spatial_write_hotspots(const struct spatial_firms *f, const struct spatial_getis_ord *g, int planar,
			   struct tablew *t, struct kerr *e);
/* One row per cell of the grid that takes part, row by row from the
 * south-west (cell = row × cols + col), with its Gi and spot
 * (spatial_grid_hotspots; as in spatial_write_hotspots, empty or null for
 * neither), in the columns of spatial_grid_hotspot_columns_of(g). */
int spatial_write_grid_hotspots(const struct spatial_grid *g, const struct spatial_getis_ord *go, struct tablew *t,
				struct kerr *e);

#endif
