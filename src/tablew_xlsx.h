/*
 * tablew_xlsx.h — the XLSX half of tablew.c (libxlsxwriter), apart so that
 * a binary that writes only CSV and JSON links without it: klaster-map
 * links tablew_csvonly.c instead, whose open says that XLSX is klaster's
 * (klaster-map hands such commands to klaster before that).
 *
 * tablew_xlsx_open starts a workbook at path with one sheet and a bold
 * header row of cols (NULL with a message in e); cells go to (row, col),
 * rows counted from 0 with the header; close writes the file (0, or -1)
 * and frees x in every case.
 */
#ifndef KLASTER_TABLEW_XLSX_H
#define KLASTER_TABLEW_XLSX_H

#include <stddef.h>

#include "err.h"

struct tablew_xlsx;

struct tablew_xlsx *tablew_xlsx_open(const char *path, const char *sheet, const char *const *cols, size_t ncols,
				     struct kerr *e);
int tablew_xlsx_text(struct tablew_xlsx *x, long row, size_t col, const char *s);
int tablew_xlsx_num(struct tablew_xlsx *x, long row, size_t col, double v);
/* Adds a second sheet named sheet with lines (NULL-terminated) in its
 * first column, one a row: where the table comes from. */
int tablew_xlsx_notes(struct tablew_xlsx *x, const char *sheet, const char *const *lines);
/* *why (may be NULL) gets libxlsxwriter's reason when it fails. */
int tablew_xlsx_close(struct tablew_xlsx *x, const char **why);

/* What one worksheet holds: rows below the header, characters of a cell. */
#define TABLEW_XLSX_MAX_ROW 1048575L
#define TABLEW_XLSX_MAX_TEXT 32767

#endif
