/* tablew_xlsx.c — XLSX tables through libxlsxwriter (tablew_xlsx.h). */
#include "tablew_xlsx.h"

#include <xlsxwriter.h>

#include "buf.h"

struct tablew_xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
};

struct tablew_xlsx *tablew_xlsx_open(const char *path, const char *sheet, const char *const *cols, size_t ncols,
				     struct kerr *e)
{
	struct tablew_xlsx *x = xcalloc(1, sizeof(*x));
	lxw_format *bold;
	size_t i;
	if (!(x->wb = workbook_new(path))) {
		kerr_set(e, KERR_IO, "cannot create %s", path);
		free(x);
		return NULL;
	}
	x->ws = workbook_add_worksheet(x->wb, sheet);
	bold = workbook_add_format(x->wb);
	format_set_bold(bold);
	for (i = 0; i < ncols; i++)
		worksheet_write_string(x->ws, 0, (lxw_col_t)i, cols[i], bold);
	worksheet_freeze_panes(x->ws, 1, 0);
	return x;
}

int tablew_xlsx_text(struct tablew_xlsx *x, long row, size_t col, const char *s)
{
	return worksheet_write_string(x->ws, (lxw_row_t)row, (lxw_col_t)col, s, NULL) == LXW_NO_ERROR ? 0 : -1;
}

int tablew_xlsx_num(struct tablew_xlsx *x, long row, size_t col, double v)
{
	return worksheet_write_number(x->ws, (lxw_row_t)row, (lxw_col_t)col, v, NULL) == LXW_NO_ERROR ? 0 : -1;
}

int tablew_xlsx_notes(struct tablew_xlsx *x, const char *sheet, const char *const *lines)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet);
	lxw_row_t row;
	if (!ws)
		return -1;
	worksheet_set_column(ws, 0, 0, 100, NULL);
	for (row = 0; lines[row]; row++)
		if (worksheet_write_string(ws, row, 0, lines[row], NULL) != LXW_NO_ERROR)
			return -1;
	return 0;
}

int tablew_xlsx_close(struct tablew_xlsx *x, const char **why)
{
	lxw_error xe;
	errno = 0;   /* what workbook_close leaves is its own, not an earlier call's */
	xe = workbook_close(x->wb);
	free(x);
	if (why)
		*why = xe == LXW_NO_ERROR ? NULL : lxw_strerror(xe);
	return xe == LXW_NO_ERROR ? 0 : -1;
}
