/*
 * csv.h — a streaming RFC 4180 CSV reader for import files.
 *
 * The reader reads its input in large blocks and hands out one record at a
 * time; memory use is bounded by the largest record, not the file.
 *
 * Accepted input:
 *   - fields separated by the separator given at open (',', ';' or tab);
 *   - quoted fields ("...") holding separators, line breaks and doubled
 *     quotes (""); a line break inside a quoted field is returned as "\n";
 *   - records ended by LF, CRLF or a lone CR; the last record may lack one;
 *   - a UTF-8 byte-order mark at the start, which is skipped.
 * Empty lines are skipped.  "a,b," is a record of three fields, the last
 * one empty.
 *
 * Rejected input (csv_next returns -1; the message, kind KERR_INPUT, reads
 * "NAME:LINE: reason"):
 *   - a quoted field that is never closed (LINE is where it started);
 *   - a quote inside an unquoted field, or anything but a separator or a
 *     line break after a closing quote;
 *   - invalid UTF-8 (the reason names the byte column, counted from 1 at
 *     the start of the line), a NUL byte, a UTF-16 file;
 *   - a field longer than 1 MiB, a record with more than 1024 fields.
 * Errors are final: after one, every csv_next call returns -1 with the same
 * message.  A read error is KERR_IO, and so is a regular file that ends
 * before the end it had when csv_open_file was called ("NAME: the file got
 * shorter while it was read …"): another program cut it, so its last line
 * read may be a fragment, never to be taken for the data's.
 */
#ifndef KLASTER_CSV_H
#define KLASTER_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct csv;

/* The limits described above. */
#define CSV_FIELD_MAX  (1024 * 1024)
#define CSV_MAX_FIELDS 1024

/*
 * Opens a reader over f, which stays open (csv_free does not close it) and
 * must not be read by anyone else until csv_free.  name is used in messages
 * (e.g. "organisations.csv"; NULL gives "input") and is copied.  sep must be
 * ',', ';' or '\t' (anything else is a bug).  Never returns NULL.
 */
struct csv *csv_open_file(FILE *f, const char *name, char sep);

/*
 * As csv_open_file, for a stream whose first n bytes were read already
 * (to find its separator) and cannot be read again (a pipe): the input is
 * head[0..n) followed by the rest of f, read in blocks as a file is.  head
 * is not copied and must stay unchanged until csv_free.
 */
struct csv *csv_open_file_after(FILE *f, const char *head, size_t n, const char *name, char sep);

/*
 * Opens a reader over data[0..len), which is not copied and must stay
 * unchanged until csv_free.  Otherwise as csv_open_file.
 */
struct csv *csv_open_mem(const char *data, size_t len, const char *name, char sep);

/*
 * Reads the next record: returns 1 (a record is available), 0 (end of
 * input; later calls return 0 too) or -1 (an error, described in e, which
 * may be NULL).  Invalidates the fields of the previous record.
 */
int csv_next(struct csv *r, struct kerr *e);

/* The number of fields of the current record (0 before the first). */
size_t csv_nfields(const struct csv *r);

/*
 * Field i of the current record: NUL-terminated, valid UTF-8 without NUL
 * bytes; "" when i >= csv_nfields.  Valid until the next csv_next/csv_free.
 */
const char *csv_field(const struct csv *r, size_t i);

/*
 * All fields of the current record as an array of csv_nfields pointers
 * (for csv_header_index).  Valid until the next csv_next/csv_fields/csv_free.
 */
const char *const *csv_fields(struct csv *r);

/* The 1-based line number on which the current record starts (0 before the first). */
long csv_line(const struct csv *r);

/*
 * The names of the columns (a copy is kept; names[k] may be "" or the array
 * shorter than a record): from then on, a field longer than 1 MiB is named
 * by its column too, "NAME:LINE: field 3 (column OBS_VALUE) is longer than
 * 1 MiB", for the person who has to find it.  A second call replaces them.
 */
void csv_set_columns(struct csv *r, const char *const *names, size_t n);

/*
 * The size the file of csv_open_file had when the caller opened it, where
 * that came before csv_open_file (the caller read it meanwhile): a file
 * shorter than that at its end is the I/O error above.  The file is read
 * from its start.
 */
void csv_set_size(struct csv *r, unsigned long long size);

/* The number of input bytes consumed so far (for progress reports). */
unsigned long long csv_bytes(const struct csv *r);

/* Frees the reader (NULL is allowed); the FILE* of csv_open_file stays open. */
void csv_free(struct csv *r);

/*
 * Whether p[0..n) is text the reader takes into a field as it is: valid
 * UTF-8 without NUL bytes, by the same rules as above.  For readers that
 * split plain lines themselves and must refuse what csv_next refuses.
 */
int csv_text_valid(const char *p, size_t n);

/*
 * The index of the first of names[0..n) equal to want (exact, case-
 * sensitive), or -1 when there is none.  NULL entries are skipped.
 */
int csv_header_index(const char *const *names, size_t n, const char *want);

#endif
