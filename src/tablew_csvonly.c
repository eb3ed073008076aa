/*
 * tablew_csvonly.c — tablew_xlsx.h for klaster-map, which writes CSV and
 * JSON and hands XLSX output to klaster (main_map.c): linked before
 * libklaster.a, so that libxlsxwriter (and the compression and crypto
 * libraries it loads) stay out of that binary.  Opening an XLSX table
 * here says so; nothing else is reached.
 */
#include "tablew_xlsx.h"

struct tablew_xlsx *tablew_xlsx_open(const char *path, const char *sheet, const char *const *cols, size_t ncols,
				     struct kerr *e)
{
	(void)sheet;
	(void)cols;
	(void)ncols;
	kerr_set(e, KERR_USAGE, "%s: XLSX tables are written by klaster (klaster map … -o FILE.xlsx)", path);
	return NULL;
}

int tablew_xlsx_text(struct tablew_xlsx *x, long row, size_t col, const char *s)
{
	(void)x, (void)row, (void)col, (void)s;
	return -1;
}

int tablew_xlsx_num(struct tablew_xlsx *x, long row, size_t col, double v)
{
	(void)x, (void)row, (void)col, (void)v;
	return -1;
}

int tablew_xlsx_notes(struct tablew_xlsx *x, const char *sheet, const char *const *lines)
{
	(void)x, (void)sheet, (void)lines;
	return -1;
}

int tablew_xlsx_close(struct tablew_xlsx *x, const char **why)
{
	(void)x;
	if (why)
		*why = "XLSX is written by klaster";
	return -1;
}
