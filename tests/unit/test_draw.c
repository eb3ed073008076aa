/* test_draw.c — choropleth maps (draw.h) on the shipped voivodeship layer. */
#include "t.h"

#include <math.h>
#include <sys/stat.h>

#include "buf.h"
#include "draw.h"

static char dir[256];


T_TEST(breaks)
{
	double v[] = { 1, 2, 3, 4, 5, NAN, 6, 7, 8, 9 };
	double br[8];
	int nb = draw_quantile_breaks(v, 10, 3, br);
	/* 9 finite values: type-7 quantiles at 1/3 and 2/3 → 3.666…, 6.333… */
	T_EQ_INT(nb, 2);
	T_NEAR(br[0], 1 + 8.0 / 3, 1e-12);
	T_NEAR(br[1], 1 + 16.0 / 3, 1e-12);
	{
		double same[] = { 2, 2, 2 };
		T_EQ_INT(draw_quantile_breaks(same, 3, 4, br), 1);   /* ties collapse */
	}
	{
		double none[] = { NAN, NAN };
		T_EQ_INT(draw_quantile_breaks(none, 2, 4, br), -1);
	}
}

/* A quantile at the greatest value would end the last class with an empty one above it: dropped,
 * so that every value the same is one class, named by the value. */
T_TEST(one_class)
{
	double same[] = { 1, NAN, 1, 1 }, br[8], top[] = { 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5 };
	double v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	char t[112];
	int nb = draw_quantile_breaks(same, 4, 5, br);
	T_EQ_INT(nb, 1);
	T_EQ_INT(draw_trim_breaks(same, 4, br, nb), 0);
	nb = draw_quantile_breaks(top, 11, 5, br);
	T_EQ_INT(draw_trim_breaks(top, 11, br, nb), 0);
	/* quantiles below the greatest value are kept */
	nb = draw_quantile_breaks(v, 10, 5, br);
	T_EQ_INT(draw_trim_breaks(v, 10, br, nb), 4);
	draw_range_label(t, sizeof(t), 1, 1, DRAW_NUM_EN);
	T_EQ_STR(t, "1");
	draw_range_label(t, sizeof(t), 0, 5, DRAW_NUM_PL);
	T_EQ_STR(t, "0–5");
	draw_range_label(t, sizeof(t), 1234, 1234, DRAW_NUM_EN);
	T_EQ_STR(t, "1,234");
}

T_TEST(parse_breaks)
{
	double br[8];
	int n;
	struct kerr e = KERR_INIT;
	T_EQ_INT(draw_parse_breaks("--breaks", "0.5,1,2", br, 8, &n, &e), 0);
	T_EQ_INT(n, 3);
	T_NEAR(br[2], 2, 0);
	T_EQ_INT(draw_parse_breaks("--breaks", "1,0.5", br, 8, &n, &e), -1);
	T_OK(strstr(e.msg, "increase") != NULL);
	T_EQ_INT(draw_parse_breaks("--breaks", "1,x", br, 8, &n, &e), -1);
	T_EQ_INT(draw_parse_breaks("--breaks", "nan", br, 8, &n, &e), -1);
	/* an empty value anywhere: named, with what to write */
	T_EQ_INT(draw_parse_breaks("--breaks", "1,2,", br, 8, &n, &e), -1);
	T_EQ_STR(e.msg, "--breaks '1,2,': value 3 is empty (after the last comma): write the breaks separated by "
		 "single commas (--breaks '1,2')");
	T_EQ_INT(draw_parse_breaks("--breaks", "1,,2", br, 8, &n, &e), -1);
	T_EQ_STR(e.msg, "--breaks '1,,2': value 2 is empty (between two commas): write the breaks separated by "
		 "single commas (--breaks '1,2')");
	T_EQ_INT(draw_parse_breaks("--breaks", ",1", br, 8, &n, &e), -1);
	T_EQ_STR(e.msg, "--breaks ',1': value 1 is empty (before the first comma): write the breaks separated by "
		 "single commas (--breaks '1')");
	T_EQ_INT(draw_parse_breaks("--breaks", ",", br, 8, &n, &e), -1);
	T_EQ_STR(e.msg, "--breaks ',': value 1 is empty (before the first comma): give at least one number");
	T_EQ_INT(draw_parse_breaks("--breaks", "", br, 8, &n, &e), -1);
	T_EQ_STR(e.msg, "--breaks: give at least one value");
	T_EQ_INT(draw_parse_breaks("--breaks", "1,2,,", br, 8, &n, &e), -1);
	T_EQ_STR(e.msg, "--breaks '1,2,,': value 3 is empty (between two commas): write the breaks separated by "
		 "single commas (--breaks '1,2')");
	T_EQ_INT(draw_parse_breaks("--breaks", "-1", br, 8, &n, &e), 0);
	T_EQ_INT(n, 1);
}

T_TEST(maps)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	double *vals;
	double pts[] = { 19.94, 50.06, 19.46, 51.76 };
	size_t i;
	struct choropleth m;
	char path[300], *data;
	size_t len = 0;
	memset(&m, 0, sizeof(m));
	if (!T_OK(geo_layer_load(&L, "data/reference/voivodeships.geojson", "teryt", "name", &e) == 0)) {
		printf("# %s\n", e.msg);
		return;
	}
	vals = xcalloc(L.n, sizeof(*vals));
	for (i = 0; i < L.n; i++)
		vals[i] = i == 3 ? NAN : (double)(i * 7 % 16) / 4.0;
	m.layer = &L;
	m.values = vals;
	m.nclasses = 5;
	m.title = "Iloraz lokalizacji — C26 (Łódź, Żywiec)";
	m.subtitle = "2015";
	m.legend_title = "LQ";
	m.source = "Źródło: test";
	m.points = pts;
	m.npoints = 2;

	snprintf(path, sizeof(path), "%s/map.svg", dir);
	T_EQ_INT(draw_choropleth(&m, path, &e), 0);
	data = t_slurp(path, &len);
	T_OK(data && strstr(data, "<svg") != NULL);
	T_OK(data && strstr(data, "<path") != NULL);
	free(data);

	snprintf(path, sizeof(path), "%s/map.png", dir);
	T_EQ_INT(draw_choropleth(&m, path, &e), 0);
	data = t_slurp(path, &len);
	T_OK(data && len > 1000 && memcmp(data, "\x89PNG", 4) == 0);
	free(data);

	snprintf(path, sizeof(path), "%s/map.pdf", dir);
	{
		double br[] = { 0.5, 1, 2 };
		m.breaks = br;
		m.nclasses = 4;
		T_EQ_INT(draw_choropleth(&m, path, &e), 0);
		m.breaks = NULL;
	}
	data = t_slurp(path, &len);
	T_OK(data && memcmp(data, "%PDF", 4) == 0);
	free(data);

	/* points coloured by cluster, no region values: a firm-point map */
	for (i = 0; i < L.n; i++)
		vals[i] = NAN;
	m.nclasses = 5;
	{
		long cls[] = { 0, -1 };
		m.point_class = cls;
		snprintf(path, sizeof(path), "%s/points.svg", dir);
		T_EQ_INT(draw_choropleth(&m, path, &e), 0);
		remove(path);
		m.point_class = NULL;
	}
	/* nothing to draw (no values, no points): an error, and no file */
	m.points = NULL;
	m.npoints = 0;
	snprintf(path, sizeof(path), "%s/empty.svg", dir);
	T_EQ_INT(draw_choropleth(&m, path, &e), -1);
	{
		struct stat st;
		T_OK(stat(path, &st) != 0);
	}
	{
		enum draw_format f = DRAW_SVG;
		T_EQ_INT(draw_format_for_path("a.PNG", &f), 0);
		T_EQ_INT(f, DRAW_PNG);
		T_EQ_INT(draw_format_for_path("a.pdf", &f), 0);
		T_EQ_INT(f, DRAW_PDF);
		T_EQ_INT(draw_format_for_path("a", &f), 0);
		T_EQ_INT(f, DRAW_SVG);
		T_EQ_INT(draw_format_for_path("-", &f), 0);
		T_EQ_INT(f, DRAW_SVG);
		T_EQ_INT(draw_format_for_path("v1.2/map.gif", &f), -1);
		/* an unknown ending: a usage error before anything is written */
		snprintf(path, sizeof(path), "%s/map.gif", dir);
		m.values = vals;
		T_EQ_INT(draw_choropleth(&m, path, &e), -1);
		T_OK(strstr(e.msg, ".svg, .png or .pdf") != NULL);
		{
			struct stat st;
			T_OK(stat(path, &st) != 0);
		}
	}
	free(vals);
	geo_layer_release(&L);
}

T_TEST(legend_numbers)
{
	char t[64];
	/* shares of a region's employment: three significant digits of the least bound */
	double shares[] = { 0.00913, 0.01399, 0.03624, 0.06772 };
	double emp[] = { 675, 1649, 4100, 11941 };
	double lq[] = { 0.268, 0.496, 1.125, 1.7 };
	double close_[] = { 1.001, 1.002 };       /* more decimals until neighbours differ */
	T_EQ_INT(draw_break_decimals(shares, 4), 5);
	T_EQ_INT(draw_break_decimals(emp, 4), 0);
	T_EQ_INT(draw_break_decimals(lq, 4), 3);
	T_EQ_INT(draw_break_decimals(close_, 2), 3);
	T_EQ_INT(draw_break_decimals(NULL, 0), 0);
	draw_num_text(t, sizeof(t), 54298, 0, DRAW_NUM_PL);
	T_EQ_STR(t, "54\u00a0298");
	draw_num_text(t, sizeof(t), 2223, 0, DRAW_NUM_PL);
	T_EQ_STR(t, "2223");                      /* four digits are not grouped in Polish */
	draw_num_text(t, sizeof(t), 2223, 0, DRAW_NUM_EN);
	T_EQ_STR(t, "2,223");
	draw_num_text(t, sizeof(t), -1234567.891, 2, DRAW_NUM_PL);
	T_EQ_STR(t, "\u22121\u00a0234\u00a0567,89");   /* the minus sign, not a hyphen */
	draw_num_text(t, sizeof(t), -1234567.891, 2, DRAW_NUM_EN);
	T_EQ_STR(t, "\u22121,234,567.89");
	draw_num_text(t, sizeof(t), -1234.5, 1, DRAW_NUM_PLAIN);
	T_EQ_STR(t, "-1234.5");                   /* files keep the hyphen that programs read */
	draw_num_text(t, 3, -5, 0, DRAW_NUM_EN);
	T_EQ_STR(t, "");                          /* no room for the sign: nothing, not "5" */
	draw_num_text(t, sizeof(t), -0.0001, 2, DRAW_NUM_EN);
	T_EQ_STR(t, "0.00");                      /* no minus zero */
	draw_num_text(t, sizeof(t), 1234.5, 1, DRAW_NUM_PLAIN);
	T_EQ_STR(t, "1234.5");
	draw_num_text(t, 6, 1234567, 0, DRAW_NUM_EN);   /* cut to the buffer, terminated */
	T_EQ_STR(t, "1,234");
	{
		/* whole numbers 1..10 in 5 quantile classes: bounds 2.8 4.6 6.4 8.2; a class is named
		 * by the whole numbers it holds, so that 3 (coloured as 2.8 < 3 <= 4.6) reads "3–4" */
		double v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, br[4];
		char lab[5][112];
		T_EQ_INT(draw_quantile_breaks(v, 10, 5, br), 4);
		draw_class_labels(lab, br, 4, 1, 0, DRAW_NUM_EN);
		T_EQ_STR(lab[0], "≤ 2");
		T_EQ_STR(lab[1], "3–4");
		T_EQ_STR(lab[3], "7–8");
		T_EQ_STR(lab[4], "≥ 9");
		{
			/* a class that holds no whole number: the bounds as they are */
			double odd[] = { 2.2, 2.8, 5 };
			draw_class_labels(lab, odd, 3, 1, 0, DRAW_NUM_PL);
			T_EQ_STR(lab[1], "2,2–2,8");
			T_EQ_STR(lab[3], "> 5");
		}
		{
			/* small counts 1, 1, 3, 5: quantile bounds 1, 1.4, 2.6, 3.8 hold classes without a
			 * whole number; rounded down and deduplicated they are 1, 2, 3 */
			double small[] = { 1, 1.4, 2.6, 3.8 };
			T_EQ_INT(draw_whole_breaks(small, 4), 3);
			T_NEAR(small[0], 1, 0);
			T_NEAR(small[1], 2, 0);
			T_NEAR(small[2], 3, 0);
			draw_class_labels(lab, small, 3, 1, 0, DRAW_NUM_EN);
			T_EQ_STR(lab[0], "≤ 1");
			T_EQ_STR(lab[1], "2");
			T_EQ_STR(lab[3], "≥ 4");
		}
		{
			double one[] = { 1.5, 2.5 };   /* a class of one whole number */
			draw_class_labels(lab, one, 2, 1, 0, DRAW_NUM_EN);
			T_EQ_STR(lab[1], "2");
		}
		{
			/* breaks a user chose begin their classes: LQ 0.5, 1, 1.2 → "< 0.5",
			 * "0.5 – < 1", "1 – < 1.2", "≥ 1.2", no bound in two labels */
			double user[] = { 0.5, 1, 1.2 };
			draw_class_labels(lab, user, 3, 0, 1, DRAW_NUM_EN);
			T_EQ_STR(lab[0], "< 0.5");
			T_EQ_STR(lab[1], "0.5 – < 1");
			T_EQ_STR(lab[2], "1 – < 1.2");
			T_EQ_STR(lab[3], "≥ 1.2");
		}
		{
			/* bounds of mixed magnitude: each by one rule (three significant digits, every
			 * whole digit, no trailing zeros), not all with the decimals of the least */
			double mixed[] = { -0.0001, 1000000 };
			draw_class_labels(lab, mixed, 2, 0, 1, DRAW_NUM_EN);
			T_EQ_STR(lab[0], "< \u22120.0001");
			T_EQ_STR(lab[1], "\u22120.0001 – < 1,000,000");
			T_EQ_STR(lab[2], "≥ 1,000,000");
			draw_class_labels(lab, mixed, 2, 0, 1, DRAW_NUM_PL);
			T_EQ_STR(lab[1], "\u22120,0001 – < 1\u00a0000\u00a0000");
			draw_class_labels(lab, mixed, 2, 0, 1, DRAW_NUM_PLAIN);
			T_EQ_STR(lab[1], "-0.0001 – < 1000000");
		}
		{
			/* three significant digits each (1.05, not 1.053 for the 0.592 below it), more
			 * where neighbours would read alike, and the zeros that end a number dropped */
			double q[] = { 0.59213, 0.84931, 1.05321, 1.53, 2.0004, 2.0011 };
			char l6[7][112];
			draw_class_labels(l6, q, 6, 0, 0, DRAW_NUM_PL);
			T_EQ_STR(l6[0], "≤ 0,592");
			T_EQ_STR(l6[2], "0,849–1,05");
			T_EQ_STR(l6[3], "1,05–1,53");
			T_EQ_STR(l6[4], "1,53–2");
			T_EQ_STR(l6[5], "2–2,001");
			T_EQ_STR(l6[6], "> 2,001");
		}
	}
	draw_num_text(t, sizeof(t), 1e300, 2, DRAW_NUM_PL);   /* beyond digits: %.15g, not a truncated number */
	T_EQ_STR(t, "1e+300");
	draw_num_text(t, sizeof(t), 999999999999999.0, 9, DRAW_NUM_PL);   /* the widest grouped number fits 64 bytes */
	T_EQ_STR(t, "999\u00a0999\u00a0999\u00a0999\u00a0999,000000000");
}

/* Classes of a change: 0 always a bound, each side at its own quantiles, no empty class at a
 * side's least value; the colours reds below 0 and blues from it. */
T_TEST(diverging_breaks)
{
	double v[] = { -4, -2, -1, 0, 1, 2, 3, 10, NAN }, br[DRAW_MAX_CLASSES];
	double pos[] = { 0.5, 1, 2 }, one_neg[] = { -0.1, 0.5 }, none[] = { NAN };
	int nb = draw_diverging_breaks(v, 9, 6, br), k, z = -1;
	T_OK(nb >= 3 && nb <= 5);
	for (k = 0; k < nb; k++) {
		if (br[k] == 0)
			z = k;
		if (k)
			T_OK(br[k] > br[k - 1]);
	}
	T_OK(z >= 1);                              /* classes below 0 and from it */
	T_OK(br[0] > -4);                          /* no class below the least value */
	/* -1 is in the class just below 0, 0 in the class from 0 */
	T_EQ_INT(draw_class_of(-1, br, nb, 1), z);
	T_EQ_INT(draw_class_of(0, br, nb, 1), z + 1);
	T_EQ_STR(draw_diverging_fill(draw_class_of(-4, br, nb, 1), br, nb), "#b2182b");   /* the darkest red */
	T_EQ_STR(draw_diverging_fill(draw_class_of(10, br, nb, 1), br, nb), "#2166ac");   /* the darkest blue */
	T_EQ_STR(draw_diverging_fill(z, br, nb), "#fddbc7");       /* the lightest red, next to 0 */
	T_EQ_STR(draw_diverging_fill(z + 1, br, nb), "#d1e5f0");   /* the lightest blue, from 0 */
	/* gains only: 0 still a bound, one (empty) class below it */
	nb = draw_diverging_breaks(pos, 3, 6, br);
	T_OK(nb >= 2 && br[0] == 0);
	/* one loss: one class below 0, not an empty one and its own */
	nb = draw_diverging_breaks(one_neg, 2, 6, br);
	T_EQ_INT(nb, 1);
	T_NEAR(br[0], 0, 0);
	T_EQ_INT(draw_diverging_breaks(none, 1, 6, br), -1);
	{
		/* gains only, many of them, in 6 and 9 classes: never two classes of one colour (a side
		 * has four shades) */
		double many[40];
		int kk, c1, c2;
		for (k = 0; k < 40; k++)
			many[k] = 0.01 * (k + 1) * (k + 1);
		for (kk = 6; kk <= DRAW_MAX_CLASSES; kk += 3) {
			nb = draw_diverging_breaks(many, 40, kk, br);
			T_OK(nb >= 2 && nb - 0 <= DRAW_DIVERGING_SIDE);   /* 0 and at most three quantiles above */
			for (c1 = 0; c1 <= nb; c1++)
				for (c2 = c1 + 1; c2 <= nb; c2++)
					T_OK(strcmp(draw_diverging_fill(c1, br, nb), draw_diverging_fill(c2, br, nb)) != 0);
		}
	}
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/klaster-draw.%ld", (long)getpid());
	mkdir(dir, 0700);
	T_RUN(breaks);
	T_RUN(one_class);
	T_RUN(diverging_breaks);
	T_RUN(parse_breaks);
	T_RUN(legend_numbers);
	T_RUN(maps);
	{
		const char *names[] = { "map.svg", "map.png", "map.pdf" };
		char p[300];
		size_t i;
		for (i = 0; i < 3; i++) {
			snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
			remove(p);
		}
		rmdir(dir);
	}
	draw_shutdown();
	return t_done();
}
