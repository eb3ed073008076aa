/* test_tablew.c — result tables as CSV, JSON, XLSX and GeoJSON (tablew.h). */
#include "t.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <sys/stat.h>

#include "buf.h"
#include "tablew.h"
#include "tablew_xlsx.h"

static char dir[256];


static int write_sample(enum tablew_format fmt, const char *path)
{
	static const char *const cols[] = { "region", "industry", "lq", "stars" };
	struct tablew *t;
	struct kerr e = KERR_INIT;
	if (tablew_open(&t, fmt, path, "wyniki", cols, 4, &e))
		return -1;
	tablew_text(t, "02");
	tablew_text(t, "C26, \"elektronika\"");
	tablew_num(t, 1.25);
	tablew_int(t, 2);
	tablew_end_row(t);
	tablew_text(t, "=HYPERLINK(\"x\")");
	tablew_text(t, "Łódź");
	tablew_num(t, NAN);
	tablew_end_row(t);           /* the missing last cell is padded */
	return tablew_close(t, &e);
}

T_TEST(csv)
{
	char path[300], *text;
	size_t len;
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	T_EQ_INT(write_sample(TABLEW_CSV, path), 0);
	text = t_slurp(path, &len);
	T_EQ_STR(text, "region,industry,lq,stars\r\n"
		       "02,\"C26, \"\"elektronika\"\"\",1.25,2\r\n"
		       "\"'=HYPERLINK(\"\"x\"\")\",Łódź,,\r\n");
	free(text);
}

T_TEST(json)
{
	char path[300], *text;
	size_t len;
	json_error_t jerr;
	json_t *root;
	snprintf(path, sizeof(path), "%s/out.json", dir);
	T_EQ_INT(write_sample(TABLEW_JSON, path), 0);
	text = t_slurp(path, &len);
	root = text ? json_loads(text, 0, &jerr) : NULL;
	T_OK(json_is_array(root));
	T_EQ_INT(json_array_size(root), 2);
	T_EQ_STR(json_string_value(json_object_get(json_array_get(root, 0), "industry")), "C26, \"elektronika\"");
	T_NEAR(json_real_value(json_object_get(json_array_get(root, 0), "lq")), 1.25, 1e-12);
	T_EQ_INT(json_integer_value(json_object_get(json_array_get(root, 0), "stars")), 2);
	T_OK(json_is_null(json_object_get(json_array_get(root, 1), "lq")));
	T_EQ_STR(json_string_value(json_object_get(json_array_get(root, 1), "industry")), "Łódź");
	json_decref(root);
	free(text);
}

/* A yes/no column: true/false in JSON, 1/0 in CSV. */
T_TEST(flags)
{
	static const char *const cols[] = { "region", "strong" };
	const enum tablew_format fmts[] = { TABLEW_JSON, TABLEW_CSV };
	size_t k;
	for (k = 0; k < 2; k++) {
		char path[300], *text;
		size_t len;
		struct tablew *t;
		struct kerr e = KERR_INIT;
		snprintf(path, sizeof(path), "%s/flags.%s", dir, k ? "csv" : "json");
		T_EQ_INT(tablew_open(&t, fmts[k], path, "x", cols, 2, &e), 0);
		tablew_text(t, "02");
		tablew_bool(t, 5);
		tablew_end_row(t);
		tablew_text(t, "04");
		tablew_bool(t, 0);
		tablew_end_row(t);
		tablew_text(t, "06");
		tablew_num(t, NAN);   /* not known */
		tablew_end_row(t);
		T_EQ_INT(tablew_close(t, &e), 0);
		text = t_slurp(path, &len);
		if (k == 0) {
			json_error_t jerr;
			json_t *root = text ? json_loads(text, 0, &jerr) : NULL;
			T_OK(json_is_true(json_object_get(json_array_get(root, 0), "strong")));
			T_OK(json_is_false(json_object_get(json_array_get(root, 1), "strong")));
			T_OK(json_is_null(json_object_get(json_array_get(root, 2), "strong")));
			json_decref(root);
		} else {
			T_EQ_STR(text, "region,strong\r\n02,1\r\n04,0\r\n06,\r\n");
		}
		free(text);
	}
}

T_TEST(xlsx)
{
	char path[300], *data;
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/out.xlsx", dir);
	T_EQ_INT(write_sample(TABLEW_XLSX, path), 0);
	data = t_slurp(path, &len);
	T_OK(data && len > 1000 && memcmp(data, "PK\x03\x04", 4) == 0);   /* a zip container */
	free(data);
}

/* Past what a worksheet holds: a message naming the cell or the rows and the way out
 * (KERR_TOOBIG, exit 3), and the file that was there kept. */
T_TEST(xlsx_limits)
{
	static const char *const cols[] = { "region", "region_name" };
	char path[300], *data;
	struct tablew *t;
	struct kerr e = KERR_INIT;
	struct buf big = BUF_INIT;
	size_t k, len = 0;
	long r;
	snprintf(path, sizeof(path), "%s/limits.xlsx", dir);
	{
		FILE *f = fopen(path, "w");
		T_OK(f && fputs("kept", f) >= 0 && fclose(f) == 0);
	}
	for (k = 0; k < 20000; k++)
		buf_puts(&big, "ł");   /* 20,000 letters, 40,000 bytes: fits */
	T_EQ_INT(tablew_open(&t, TABLEW_XLSX, path, NULL, cols, 2, &e), 0);
	tablew_text(t, "A");
	tablew_text(t, big.ptr);
	tablew_end_row(t);
	tablew_abort(t);
	for (k = 0; k < 13000; k++)
		buf_puts(&big, "n");   /* 33,000 letters */
	T_EQ_INT(tablew_open(&t, TABLEW_XLSX, path, NULL, cols, 2, &e), 0);
	tablew_text(t, "A");
	tablew_text(t, "a");
	tablew_end_row(t);
	tablew_text(t, "B");
	tablew_text(t, big.ptr);
	tablew_end_row(t);
	T_EQ_INT(tablew_close(t, &e), -1);
	T_EQ_INT(e.kind, KERR_TOOBIG);
	T_OK(strstr(e.msg, "row 3, column region_name: a text of 33000 characters, more than the 32767 a "
			   "spreadsheet cell holds: write the table as CSV or JSON") != NULL);
	data = t_slurp(path, &len);
	T_OK(data && strcmp(data, "kept") == 0);
	free(data);
	/* one row more than a sheet has (the cells are refused before libxlsxwriter is asked) */
	T_EQ_INT(tablew_open(&t, TABLEW_XLSX, path, NULL, cols, 1, &e), 0);
	for (r = 0; r <= TABLEW_XLSX_MAX_ROW; r++) {
		tablew_int(t, r);
		tablew_end_row(t);
	}
	T_EQ_INT(tablew_close(t, &e), -1);
	T_EQ_INT(e.kind, KERR_TOOBIG);
	T_OK(strstr(e.msg, "more than the 1048575 rows a worksheet holds below its header") != NULL);
	buf_release(&big);
}

T_TEST(no_half_written_file)
{
	static const char *const cols[] = { "a" };
	char path[300];
	struct tablew *t;
	struct kerr e = KERR_INIT;
	struct stat st;
	snprintf(path, sizeof(path), "%s/aborted.csv", dir);
	T_EQ_INT(tablew_open(&t, TABLEW_CSV, path, NULL, cols, 1, &e), 0);
	tablew_text(t, "x");
	tablew_end_row(t);
	tablew_abort(t);
	T_OK(stat(path, &st) != 0);
	/* an error (too many cells) makes close fail and leaves nothing */
	T_EQ_INT(tablew_open(&t, TABLEW_CSV, path, NULL, cols, 1, &e), 0);
	tablew_text(t, "x");
	tablew_text(t, "y");
	T_EQ_INT(tablew_close(t, &e), -1);
	T_OK(strstr(e.msg, "more cells") != NULL);
	T_OK(stat(path, &st) != 0);
	/* XLSX needs a file */
	T_EQ_INT(tablew_open(&t, TABLEW_XLSX, NULL, NULL, cols, 1, &e), -1);
	T_EQ_INT(e.kind, KERR_USAGE);
}

/* Numbers are written as "%.10g" would (a fast path handles most), and
 * integers exactly, negative ones and the extremes included. */
T_TEST(numbers)
{
	static const double v[] = { 52.23, 52.230001, -21.012345, 0.5, 0.001, 0.000999, 999.999999, 1000.5,
				    123.4567891, 1e-12, 3.0, -0.25, 12345678.9, 0.1 + 0.2 };
	static const long long iv[] = { 0, 7, -7, 10000, -10000, 100005, 1000000, 1234567890123LL, LLONG_MAX,
					LLONG_MIN };
	const char *cols[] = { "x" };
	char path[300], *text, want[64];
	size_t len, i;
	struct tablew *t;
	struct kerr e = KERR_INIT;
	struct buf expect = BUF_INIT;
	snprintf(path, sizeof(path), "%s/numbers.csv", dir);
	T_EQ_INT(tablew_open(&t, TABLEW_CSV, path, NULL, cols, 1, &e), 0);
	buf_puts(&expect, "x\r\n");
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		tablew_num(t, v[i]);
		tablew_end_row(t);
		snprintf(want, sizeof(want), "%.10g", v[i]);
		buf_printf(&expect, "%s\r\n", want);
	}
	for (i = 0; i < sizeof(iv) / sizeof(iv[0]); i++) {
		tablew_int(t, iv[i]);
		tablew_end_row(t);
		buf_printf(&expect, "%lld\r\n", iv[i]);
	}
	T_EQ_INT(tablew_close(t, &e), 0);
	text = t_slurp(path, &len);
	T_EQ_STR(text, expect.ptr);
	free(text);
	buf_release(&expect);
	remove(path);
}

/* What tablew_num_text writes, by printf: a whole number below 2^53 as "%.0f", else "%.10g". */
static void ref_text(char *out, size_t n, double v)
{
	if (fabs(v) < 0x1p53 && v == floor(v))
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%.10g", v);
}

/* Exact ties at the tenth digit round to even, as printf rounds the exact binary value (C11
 * 7.21.6.1 with the default rounding mode); values worked out by hand from their binary forms. */
T_TEST(numbers_ties)
{
	static const struct {
		double v;
		const char *text;
	} tie[] = {
		{ 1234567890.5, "1234567890" },         /* tie, 0 is even: down */
		{ 1234567891.5, "1234567892" },         /* tie, 1 is odd: up */
		{ -1234567891.5, "-1234567892" },
		{ 12345678905.0, "12345678905" },       /* whole, below 2^53: in full */
		{ 9007199254740991.0, "9007199254740991" },
		{ -9007199254740991.0, "-9007199254740991" },
		{ 0x1p53, "9.007199255e+15" },          /* 2^53: "%.10g" */
		{ 12345678905e6, "1.23456789e+16" },    /* tie above 2^53 (the dividing way) */
		{ 12345678915e6, "1.234567892e+16" },
		{ 99999999995e6, "1e+17" },             /* up into the next power of ten */
		{ 0x1p-15, "3.051757812e-05" },         /* 3.0517578125e-05: tie, 2 stays */
		{ 0x3p-15, "9.155273438e-05" },         /* 9.1552734375e-05: tie, 7 goes up */
		{ 0x1p-16, "1.525878906e-05" },         /* 1.52587890625e-05: below the half */
		{ 0x1p-14, "6.103515625e-05" },         /* ten digits exactly */
		{ 0x1p-20, "9.536743164e-07" },
		{ 0x1p100, "1.2676506e+30" },         /* 1.267650600228…e+30: zeros dropped */
	};
	struct buf got = BUF_INIT;
	char want[64];
	size_t i;
	for (i = 0; i < sizeof(tie) / sizeof(tie[0]); i++) {
		buf_reset(&got);
		tablew_num_text(&got, tie[i].v);
		T_EQ_STR(got.ptr, tie[i].text);
		ref_text(want, sizeof(want), tie[i].v);
		T_EQ_STR(want, tie[i].text);
	}
	buf_release(&got);
}

/* The number text against printf's "%.10g" (whole numbers below 2^53: "%.0f") on a million
 * numbers: random bit patterns (every exponent, subnormals), random decimals of every scale, ties,
 * values next to powers of ten, whole numbers up to and past ten digits (signed zeros among them)
 * and around 2^53. */
T_TEST(numbers_random)
{
	struct buf got = BUF_INIT;
	char want[64], first[160] = "";
	unsigned long long x = 88172645463325252ULL;
	long bad = 0, k;
	for (k = 0; k < 1000000; k++) {
		double v;
		uint64_t bits;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (k % 6) {
		case 5:   /* whole numbers around ten digits, where "%.10g" turns to an exponent, and zeros */
			v = (double)(x % 30000000000ULL) * ((x >> 60) & 1 ? -1 : 1);
			if ((x >> 50) % 64 == 0)
				v = (x >> 61) & 1 ? -0.0 : 0.0;
			else if ((x >> 50) % 64 == 1)
				v = ((x >> 61) & 1 ? -1 : 1) * (1e10 - (double)((x >> 20) % 3));
			else if ((x >> 50) % 64 == 2)
				v = ((x >> 61) & 1 ? -1 : 1) * (0x1p53 + 2 * ((double)((x >> 20) % 5) - 2));
			break;
		case 0:
			bits = x;
			memcpy(&v, &bits, sizeof(v));
			break;
		case 1:
			v = (double)(x % 100000000000ULL) / pow(10, (double)((x >> 40) % 30)) * ((x >> 60) & 1 ? -1 : 1);
			break;
		case 2:
			v = ((double)(x % 20000000000ULL) + 0.5) * pow(10, (double)((int)((x >> 40) % 40) - 20));
			break;
		case 3:
			v = nextafter(pow(10, (double)((int)((x >> 40) % 60) - 30)), (x >> 50) & 1 ? 0 : INFINITY);
			break;
		default:
			v = (double)(x >> 11) * 0x1p-53 * pow(2, (double)((int)((x >> 40) % 200) - 100));
			break;
		}
		if (!isfinite(v))
			continue;
		buf_reset(&got);
		tablew_num_text(&got, v);
		ref_text(want, sizeof(want), v);
		if (strcmp(got.ptr, want) != 0 && !bad++)
			snprintf(first, sizeof(first), "%a: got %s, printf %s", v, got.ptr, want);
	}
	if (bad)
		printf("# %ld differ, first %s\n", bad, first);
	T_EQ_INT(bad, 0);
	buf_release(&got);
}

/* Whole-number cells against printf's "%lld": every number below 200,000 and its negative, and
 * the neighbours of every power of ten (the digits are made by hand). */
T_TEST(ints_against_printf)
{
	const char *cols[] = { "x" };
	char path[300], *text;
	size_t len;
	long long k, p;
	struct tablew *t;
	struct kerr e = KERR_INIT;
	struct buf expect = BUF_INIT;
	snprintf(path, sizeof(path), "%s/ints.csv", dir);
	T_EQ_INT(tablew_open(&t, TABLEW_CSV, path, NULL, cols, 1, &e), 0);
	buf_puts(&expect, "x\r\n");
	for (k = -200000; k < 200000; k++) {
		tablew_int(t, k);
		tablew_end_row(t);
		buf_printf(&expect, "%lld\r\n", k);
	}
	for (p = 10; p > 0 && p <= LLONG_MAX / 10; p *= 10)
		for (k = p - 2; k <= p + 2; k++) {
			tablew_int(t, k);
			tablew_end_row(t);
			tablew_int(t, -k);
			tablew_end_row(t);
			buf_printf(&expect, "%lld\r\n%lld\r\n", k, -k);
		}
	T_EQ_INT(tablew_close(t, &e), 0);
	text = t_slurp(path, &len);
	T_OK(text && strcmp(text, expect.ptr) == 0);
	free(text);
	buf_release(&expect);
	remove(path);
}

/*
 * GeoJSON (RFC 7946): a FeatureCollection, each row a Feature with the
 * cells as properties (as JSON writes them) and the geometry the row was
 * given — a point, a closed polygon, a geometry's text as is, or null
 * (none given, or a coordinate that is not a number).
 */
T_TEST(geojson)
{
	static const char *const cols[] = { "id", "v", "ok" };
	static const double sq[] = { 19.0, 50.0, 19.5, 50.0, 19.5, 50.5, 19.0, 50.5 };
	char path[300], *text;
	size_t len;
	json_error_t jerr;
	json_t *root, *fs, *g;
	struct tablew *t;
	struct kerr e = KERR_INIT;
	snprintf(path, sizeof(path), "%s/out.geojson", dir);
	if (!T_OK(tablew_open(&t, TABLEW_GEOJSON, path, NULL, cols, 3, &e) == 0))
		return;
	tablew_point(t, 21.0122, 52.2297);   /* before the cells as after them */
	tablew_text(t, "W\"1");
	tablew_num(t, NAN);
	tablew_bool(t, 1);
	tablew_end_row(t);
	tablew_text(t, "cell");
	tablew_num(t, 2.5);
	tablew_bool(t, 0);
	tablew_polygon(t, sq, 4);
	tablew_end_row(t);
	tablew_text(t, "none");
	tablew_end_row(t);
	tablew_text(t, "raw");
	tablew_geometry(t, "{\"type\":\"MultiPoint\",\"coordinates\":[[1,2],[3,4]]}", 49);
	tablew_end_row(t);
	tablew_text(t, "nan");
	tablew_point(t, NAN, 50);
	tablew_end_row(t);
	T_EQ_INT(tablew_close(t, &e), 0);
	text = t_slurp(path, &len);
	root = text ? json_loads(text, 0, &jerr) : NULL;
	T_EQ_STR(json_string_value(json_object_get(root, "type")), "FeatureCollection");
	fs = json_object_get(root, "features");
	T_EQ_INT(json_array_size(fs), 5);
	T_EQ_STR(json_string_value(json_object_get(json_array_get(fs, 0), "type")), "Feature");
	T_EQ_STR(json_string_value(json_object_get(json_object_get(json_array_get(fs, 0), "properties"), "id")), "W\"1");
	T_OK(json_is_null(json_object_get(json_object_get(json_array_get(fs, 0), "properties"), "v")));
	T_OK(json_is_true(json_object_get(json_object_get(json_array_get(fs, 0), "properties"), "ok")));
	g = json_object_get(json_array_get(fs, 0), "geometry");
	T_EQ_STR(json_string_value(json_object_get(g, "type")), "Point");
	T_NEAR(json_number_value(json_array_get(json_object_get(g, "coordinates"), 0)), 21.0122, 1e-12);
	T_NEAR(json_number_value(json_array_get(json_object_get(g, "coordinates"), 1)), 52.2297, 1e-12);
	g = json_object_get(json_array_get(fs, 1), "geometry");
	T_EQ_STR(json_string_value(json_object_get(g, "type")), "Polygon");
	g = json_array_get(json_object_get(g, "coordinates"), 0);
	T_EQ_INT(json_array_size(g), 5);   /* the four corners and the first again */
	T_NEAR(json_number_value(json_array_get(json_array_get(g, 4), 0)), 19.0, 0);
	T_NEAR(json_number_value(json_array_get(json_array_get(g, 2), 1)), 50.5, 0);
	T_OK(json_is_null(json_object_get(json_array_get(fs, 2), "geometry")));
	T_OK(json_is_null(json_object_get(json_object_get(json_array_get(fs, 2), "properties"), "ok")));
	T_EQ_STR(json_string_value(json_object_get(json_object_get(json_array_get(fs, 3), "geometry"), "type")),
		 "MultiPoint");
	T_OK(json_is_null(json_object_get(json_array_get(fs, 4), "geometry")));
	json_decref(root);
	free(text);
	/* no rows: an empty collection; the other formats ignore the geometry */
	T_EQ_INT(tablew_open(&t, TABLEW_GEOJSON, path, NULL, cols, 3, &e), 0);
	T_EQ_INT(tablew_close(t, &e), 0);
	text = t_slurp(path, &len);
	T_EQ_STR(text, "{\"type\":\"FeatureCollection\",\"features\":[]}\n");
	free(text);
	snprintf(path, sizeof(path), "%s/geo.csv", dir);
	T_EQ_INT(tablew_open(&t, TABLEW_CSV, path, NULL, cols, 3, &e), 0);
	tablew_text(t, "a");
	tablew_point(t, 1, 2);
	tablew_polygon(t, sq, 4);
	tablew_end_row(t);
	T_EQ_INT(tablew_close(t, &e), 0);
	text = t_slurp(path, &len);
	T_EQ_STR(text, "id,v,ok\r\na,,\r\n");
	free(text);
}

T_TEST(formats)
{
	enum tablew_format f;
	T_EQ_INT(tablew_format_by_name("xlsx", &f), 0);
	T_EQ_INT(f, TABLEW_XLSX);
	T_EQ_INT(tablew_format_by_name("ods", &f), -1);
	T_EQ_INT(tablew_format_by_name("GeoJSON", &f), 0);
	T_EQ_INT(f, TABLEW_GEOJSON);
	static const struct {
		const char *path;
		int rc;
		enum tablew_format fmt;
	} paths[] = {
		{ "wyniki.XLSX", 0, TABLEW_XLSX }, { "a.json", 0, TABLEW_JSON }, { "-", 0, TABLEW_CSV },
		{ NULL, 0, TABLEW_CSV },           { "out", 0, TABLEW_CSV },     { "dir.v2/out", 0, TABLEW_CSV },
		{ ".hidden", 0, TABLEW_CSV },      { "a.txt", 0, TABLEW_CSV },   { "a.CSV", 0, TABLEW_CSV },
		{ "map.png", -1, TABLEW_CSV },     { "a.tsv", -1, TABLEW_CSV },  { "a.", 0, TABLEW_CSV },
		{ "cells.geojson", 0, TABLEW_GEOJSON },
	};
	size_t i;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		f = TABLEW_JSON;
		T_EQ_INT(tablew_format_for_path(paths[i].path, &f), paths[i].rc);
		if (paths[i].rc == 0)
			T_EQ_INT(f, paths[i].fmt);
	}
}

/* The temporary name beside the target is predictable (TARGET.tmpPID): a link planted there must be
 * removed, never written through, for CSV and XLSX alike; the target itself is replaced as before. */
T_TEST(planted_link)
{
	static const enum tablew_format fmts[] = { TABLEW_CSV, TABLEW_XLSX };
	size_t k;
	for (k = 0; k < 2; k++) {
		char path[300], tmp[340], victim[300], *text;
		size_t len;
		FILE *f;
		struct stat st;
		snprintf(victim, sizeof(victim), "%s/victim%zu", dir, k);
		snprintf(path, sizeof(path), "%s/out%zu.%s", dir, k, k ? "xlsx" : "csv");
		snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
		f = fopen(victim, "wb");
		T_OK(f != NULL);
		if (!f)
			return;
		fputs("precious", f);
		fclose(f);
		T_EQ_INT(symlink(victim, tmp), 0);
		T_EQ_INT(write_sample(fmts[k], path), 0);
		text = t_slurp(victim, &len);
		T_OK(text && strcmp(text, "precious") == 0);
		free(text);
		T_OK(lstat(tmp, &st) != 0);                   /* the link is gone */
		T_OK(stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0);
	}
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/klaster-tablew.%ld", (long)getpid());
	mkdir(dir, 0700);
	T_RUN(csv);
	T_RUN(json);
	T_RUN(flags);
	T_RUN(xlsx);
	T_RUN(xlsx_limits);
	T_RUN(no_half_written_file);
	T_RUN(planted_link);
	T_RUN(numbers);
	T_RUN(numbers_ties);
	T_RUN(numbers_random);
	T_RUN(ints_against_printf);
	T_RUN(geojson);
	T_RUN(formats);
	{
		/* every file the tests left, then the directory */
		DIR *d = opendir(dir);
		struct dirent *x;
		char p[600];
		while (d && (x = readdir(d)) != NULL) {
			if (strcmp(x->d_name, ".") == 0 || strcmp(x->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, x->d_name);
			remove(p);
		}
		if (d)
			closedir(d);
		T_OK(rmdir(dir) == 0);
	}
	return t_done();
}
