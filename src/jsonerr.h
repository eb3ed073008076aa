/*
 * jsonerr.h — JSON that jansson does not read, told in klaster's words.
 *
 * A request's body (the API) and the files the commands read (GeoJSON
 * boundaries, imports) are parsed by jansson, whose messages name its own
 * options and tokens ("\u0000 is not allowed without JSON_ALLOW_NUL",
 * "'[' or '{' expected near 'x'").  These functions say instead where the
 * problem is (line and column; the field the place is in; in a GeoJSON
 * file the feature) and what to change: one wording for every reader.
 */
#ifndef KLASTER_JSONERR_H
#define KLASTER_JSONERR_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

/* What the text is, for the words of its messages. */
enum jsonerr_text {
	JSONERR_BODY,     /* a request's body, one object of fields: "line L, column C, in field F: …"
			   * (KERR_USAGE) */
	JSONERR_FILE,     /* a file: "NAME: invalid JSON at line L, column C, in field F: …" (KERR_INPUT) */
	JSONERR_GEOJSON   /* a GeoJSON file: as a file, and "in feature N" for a place among the
			   * "features" of the outer object (N from 1, as the file's features are counted) */
};

/*
 * Sets e to what is wrong with the len bytes at json that jansson did not
 * read, as jerr says (NULL: the text holds a NUL byte, found by the caller
 * before jansson, which would stop reading there or take it for a control
 * character): a message naming the line and column — the field whose value
 * the place is in (the outer object's for a body, the innermost one's for a
 * file), and the feature in GeoJSON — and what to change, never jansson's
 * text.  name is the file's name (ignored for a body).  An empty text (or
 * one of blanks alone) is said to be empty, without line and column.
 * Returns -1.
 */
int jsonerr_set(struct kerr *e, enum jsonerr_text what, const char *name, const char *json, size_t len,
		const json_error_t *jerr);

/*
 * json_loadb of the len bytes at json with flags (no NUL terminator
 * needed), a NUL byte refused first: the value (json_decref it), or NULL
 * with e set by jsonerr_set.
 */
json_t *jsonerr_load(const char *json, size_t len, size_t flags, enum jsonerr_text what, const char *name,
		     struct kerr *e);

#endif
