/*
 * fuzz_spatial.c — libFuzzer target for the firm-points reader
 * (spatial_firms_load) and, on what it accepts, DBSCAN and Getis–Ord.
 * The input is written to a temporary file, because the reader takes a
 * path.  Loaded coordinates must be in range; DBSCAN labels must be -1 or
 * below the cluster count, the cluster summaries add up, every point
 * falls in a cell of the grid counts; attributes (import firms --value) are
 * missing or numbers of 0 or more, and the firms that have one are counted
 * right; industry names (--industry-name-column) name distinct codes of
 * firms that were kept; read as a names file (--industry-names), every
 * row is found by its code or its code is on two rows; nothing may crash.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "geo.h"
#include "spatial.h"
#include "stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static const char *const attrs[] = { "employment", "lat" };
	struct spatial_firms_opts o;
	struct spatial_firms f;
	struct kerr e = KERR_INIT;
	FILE *fp;
	size_t i;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/klaster-fuzz-spatial.%ld.csv", (long)getpid());
	fp = fopen(path, "wb");
	if (!fp)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.skip_invalid = size > 0 && (data[0] & 1);
	o.value_col = size > 0 && (data[0] & 2) ? "employment" : NULL;
	if (size > 0 && (data[0] & 4)) {
		o.attr_cols = attrs;
		o.nattr = 2;
		o.attr_nonneg = 1;
	}
	o.industry_name_col = size > 0 && (data[0] & 8) ? "activity" : NULL;
	if (size > 0 && (data[0] & 16)) {
		/* the same bytes as a names file (--industry-names): every row found by its code,
		 * or a code on two rows refused; a display name only where the row gives one */
		struct code_names cn;
		if (code_names_read(path, &cn, &e)) {
			if (!e.msg[0])
				__builtin_trap();
			kerr_clear(&e);
		} else {
			for (i = 0; i < cn.n; i++) {
				long k = code_names_find(&cn, cn.code[i], &e);
				if (k == -2) {
					if (!strstr(e.msg, "is named again"))
						__builtin_trap();
					kerr_clear(&e);
				} else if (k != (long)i) {
					__builtin_trap();
				}
				if (!*cn.name[i] && (*cn.lang[0][i] || *cn.lang[1][i]))
					__builtin_trap();   /* a row with a name in either language has a display name */
			}
			code_names_release(&cn);
		}
	}
	if (spatial_firms_load(path, &o, &f, &e)) {
		if (!e.msg[0])
			__builtin_trap();
		return 0;
	}
	for (i = 0; i < f.n; i++)
		if (!(f.lat[i] >= -90 && f.lat[i] <= 90 && f.lon[i] >= -180 && f.lon[i] <= 180))
			__builtin_trap();
	for (i = 0; i < f.nind_names; i++) {
		/* industry names: distinct codes, each named, each the industry of some firm */
		size_t k, used = 0;
		const char *code = f.strs.ptr + f.ind_code[i];
		if (!*code || !f.strs.ptr[f.ind_name[i]])
			__builtin_trap();
		for (k = 0; k < i; k++)
			if (strcmp(code, f.strs.ptr + f.ind_code[k]) == 0)
				__builtin_trap();
		for (k = 0; k < f.n && !used; k++)
			used = strcmp(code, spatial_firm_industry(&f, k)) == 0;
		if (!used)
			__builtin_trap();
	}
	if (f.nattr) {
		struct spatial_firms w;
		size_t *idx, k, missing = 0;
		for (i = 0; i < f.n * f.nattr; i++) {
			if (isnan(f.attr[i]))
				missing += i % f.nattr == 0;
			else if (!(f.attr[i] >= 0) || !isfinite(f.attr[i]))
				__builtin_trap();
		}
		spatial_firms_with_attr(&f, 0, &w, &idx);
		if (w.n != f.n - missing || (long)missing != f.attr_missing[0])
			__builtin_trap();
		for (k = 0; k < w.n; k++)
			if (w.value[k] != f.attr[idx[k] * f.nattr] || w.lat[k] != f.lat[idx[k]])
				__builtin_trap();
		free(idx);
		spatial_firms_release(&w);
	}
	if (f.n && f.n < 2000) {
		struct spatial_dbscan d;
		if (spatial_dbscan(f.lat, f.lon, f.n, 5000, 3, &d, &e) == 0) {
			struct spatial_cluster *c;
			size_t in = 0;
			for (i = 0; i < f.n; i++)
				if (d.label[i] < -1 || d.label[i] >= d.nclusters)
					__builtin_trap();
			/* the summaries: sizes add up to the clustered points, centres are coordinates */
			spatial_dbscan_clusters(f.lat, f.lon, &d, &c);
			for (i = 0; i < (size_t)d.nclusters; i++) {
				in += c[i].n;
				if (!c[i].n || !(c[i].lat >= -90 && c[i].lat <= 90 && c[i].lon >= -180 && c[i].lon <= 180))
					__builtin_trap();
			}
			if (in != f.n - d.nnoise)
				__builtin_trap();
			free(c);
			spatial_dbscan_release(&d);
		}
		/* counts on a grid: every point in a cell, the counts add up */
		{
			struct spatial_grid g;
			struct spatial_grid_opts go;
			memset(&go, 0, sizeof(go));
			go.cell_m = 20000;
			go.max_cells = 40000;
			for (i = 0; i < f.n && geo_laea_in_area(f.lat[i], f.lon[i]); i++)
				;
			if (f.n && i == f.n && (f.n & 1))   /* the grid of Europe on half the inputs that fit it */
				go.kind = SPATIAL_GRID_LAEA;
			if (spatial_grid_counts(f.lat, f.lon, f.n, &go, &g, &e) == 0) {
				double sum = 0;
				for (i = 0; i < f.n; i++)
					if (g.cell[i] >= g.n)
						__builtin_trap();
				for (i = 0; i < g.n; i++)
					sum += g.count[i];
				if (sum != (double)f.n)
					__builtin_trap();
				/* every corner and centre is a place (GeoJSON positions): within 90° and 180° */
				for (i = 0; i < g.n; i++) {
					double c[8];
					int j;
					spatial_grid_corners(&g, i, c);
					for (j = 0; j < 4; j++)
						if (!(fabs(c[2 * j]) <= 180 && fabs(c[2 * j + 1]) <= 90))
							__builtin_trap();
					if (!(fabs(g.lon[i]) <= 180 && fabs(g.lat[i]) <= 90 && g.area[i] >= 0))
						__builtin_trap();
				}
			}
			spatial_grid_release(&g);
		}
	}
	spatial_firms_release(&f);
	return 0;
}
