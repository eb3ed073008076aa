/*
 * tablew.h — writes a table of results (a header and rows of text and
 * numbers) as CSV, JSON, XLSX or GeoJSON, row by row.
 *
 * GeoJSON (RFC 7946) is the JSON table as a FeatureCollection: each row a
 * Feature whose properties are the row's cells and whose geometry the
 * writer of the row gives (tablew_point, tablew_polygon, tablew_geometry;
 * null when it gives none), longitude and latitude in degrees (WGS84), so
 * that a GIS opens the result of `map spatial` or `map hotspots` as a
 * layer.  The other formats ignore the geometry.
 *
 * Files are written whole or not at all (outfile.h: a temporary name beside
 * the target, renamed when tablew_close succeeds; a device such as
 * /dev/null is written in place), so a failed or interrupted run never
 * leaves a half-written result file.  A NULL or "-" path writes CSV or JSON to
 * standard output (XLSX needs a file).  Numbers that are NAN or infinite are
 * written as empty cells (CSV, XLSX) or null (JSON).
 *
 * Errors: tablew_open and tablew_close return -1 with a message; the cell
 * calls record the first error and tablew_close reports it.
 */
#ifndef KLASTER_TABLEW_H
#define KLASTER_TABLEW_H

#include <stddef.h>

#include "err.h"

enum tablew_format { TABLEW_CSV, TABLEW_JSON, TABLEW_XLSX, TABLEW_GEOJSON };

struct tablew;

/* "csv", "json", "xlsx", "geojson" (any case) → format; -1 for an unknown name. */
int tablew_format_by_name(const char *name, enum tablew_format *out);
/* The format a file name's ending names: .csv, .txt or none (also a NULL or
 * "-" path: standard output) CSV, .json JSON, .xlsx XLSX, .geojson GeoJSON, in any case; -1
 * for any other ending (a table is never written silently as CSV into
 * "map.png": the caller asks for a format by name instead). */
int tablew_format_for_path(const char *path, enum tablew_format *out);

int tablew_open(struct tablew **out, enum tablew_format fmt, const char *path, const char *sheet,
		const char *const *cols, size_t ncols, struct kerr *e);
void tablew_text(struct tablew *t, const char *s);     /* NULL writes an empty cell / null */
void tablew_num(struct tablew *t, double v);
/* A finite number as CSV and JSON cells write it, made without printf: a whole number below 2^53
 * in full (the text of "%.0f"), any other the text of "%.10g". */
struct buf;
void tablew_num_text(struct buf *b, double v);
void tablew_int(struct tablew *t, long long v);
/* A yes/no cell: true/false in JSON (as the API writes flags), 1/0 in CSV and XLSX. */
void tablew_bool(struct tablew *t, int v);
void tablew_end_row(struct tablew *t);
/* The geometry of the row being written (GeoJSON; nothing in the other
 * formats), given at any time before tablew_end_row: a point, a polygon of
 * one ring of n corners (lon, lat pairs; closed here, in the order given —
 * counter-clockwise for RFC 7946), or a geometry object's JSON text as is
 * (the caller's: a MultiPolygon of a region's boundary).  A second call in
 * one row replaces the first; NAN coordinates give a null geometry. */
void tablew_point(struct tablew *t, double lon, double lat);
void tablew_polygon(struct tablew *t, const double *lonlat, size_t n);
void tablew_geometry(struct tablew *t, const char *json, size_t len);
/* 1 when t is GeoJSON: whether a geometry that costs something to make is wanted. */
int tablew_wants_geometry(const struct tablew *t);
/* An XLSX table gains a second sheet named sheet with lines (NULL-terminated)
 * in its first column: the source and terms of the data.  CSV and JSON have
 * no place for it: nothing is written.  An error is recorded as a cell's. */
void tablew_notes(struct tablew *t, const char *sheet, const char *const *lines);
/* Finishes and renames the file; frees t in every case. */
int tablew_close(struct tablew *t, struct kerr *e);
/* Drops a table without writing (removes the temporary file). */
void tablew_abort(struct tablew *t);

#endif
