/*
 * test_mapping.c — Getis–Ord hot spots on regions (mapping_hotspots): the
 * regions' points and their Gi*, on a hand-made layer of squares.
 */
#include "mapping.h"

#include <math.h>

#include "t.h"
#include "tcube.h"

/*
 * Six features, 1° squares near the equator:
 *   0..3  [k, k+1] × [0, 1]       R1..R4 (centroids 0.5 … 3.5, 0.5)
 *   4     [4, 5] × [0, 1]         R5, which has no value
 *   5     [0, 1] × [-1, 0]        a second part of R1: R1 is at (0.5, 0)
 * R6 has no boundary.  Adjacent regions are 111–125 km apart, the next but
 * one over 220 km: with a band of 150 km each has its neighbours only.
 */
static const char layer[] =
	"{\"type\":\"FeatureCollection\",\"features\":["
	"{\"type\":\"Feature\",\"properties\":{\"c\":\"A\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},"
	"{\"type\":\"Feature\",\"properties\":{\"c\":\"B\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},"
	"{\"type\":\"Feature\",\"properties\":{\"c\":\"C\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[2,0],[3,0],[3,1],[2,1],[2,0]]]}},"
	"{\"type\":\"Feature\",\"properties\":{\"c\":\"D\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[3,0],[4,0],[4,1],[3,1],[3,0]]]}},"
	"{\"type\":\"Feature\",\"properties\":{\"c\":\"E\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4,0],[5,0],[5,1],[4,1],[4,0]]]}},"
	"{\"type\":\"Feature\",\"properties\":{\"c\":\"F\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,-1],[1,-1],[1,0],[0,0],[0,-1]]]}}"
	"]}";

T_TEST(region_hotspots)
{
	/* employment of I1 (the values) and I2 by region R1..R6 */
	const double emp[] = { 10, 1, 20, 1, 30, 1, 40, 1, NAN, 1, 5, 1 };
	/* Gi* by hand, y = 10, 20, 30, 40, n = 4: S = 100, m = 25, s² = 125,
	 * s²/m² = 0.2.  R1: W = 2, G = 0.3, E = 0.5, V = 2·2/3/16·0.2 = 1/60;
	 * R2: W = 3, G = 0.6, E = 0.75, V = 3·1/3/16·0.2 = 1/80; R3, R4 mirror. */
	const double g[] = { 0.3, 0.6, 0.9, 0.7 };
	const double z[] = { -0.2 * sqrt(60), -0.15 * sqrt(80), 0.15 * sqrt(80), 0.2 * sqrt(60) };
	struct cube c;
	struct indic_result res;
	struct geo_layer L;
	struct nuts_place pl[6];
	struct mapping_hotspots h;
	struct spatial_getis_ord_opts go;
	struct spatial_getis_ord ref;
	struct kerr e = KERR_INIT;
	size_t r;

	tc_init(&c, 1, 6, 2, 2015);
	tc_fill(&c, 0, emp);
	memset(&res, 0, sizeof(res));
	memset(&h, 0, sizeof(h));
	memset(&ref, 0, sizeof(ref));
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_EQ_INT(geo_layer_parse(&L, layer, strlen(layer), "squares", "c", NULL, &e), 0);
	for (r = 0; r < 5; r++)
		nuts_place_one(&pl[r], (long)r);
	nuts_place_one(&pl[5], -1);
	pl[0].n = 2;   /* R1 on two features, as a union of NUTS 2021 regions */
	pl[0].feat[1] = 5;
	memset(&go, 0, sizeof(go));
	go.metric = SPATIAL_GEO;
	go.band = 150000;
	go.star = 1;

	T_EQ_INT(mapping_hotspots(&c, &res, NULL, 0, 0, "employment", &L, pl, &go, &h, &e), 0);
	T_EQ_INT(h.n, 4);
	T_EQ_INT(h.no_value, 1);
	T_EQ_INT(h.first_no_value, 4);
	T_EQ_INT(h.no_place, 1);
	T_EQ_INT(h.first_no_place, 5);
	T_EQ_INT(h.at[4], -1);
	T_EQ_INT(h.at[5], -1);
	for (r = 0; r < 4 && h.n == 4; r++) {
		T_EQ_INT(h.reg[r], r);
		T_EQ_INT(h.at[r], r);
		T_NEAR(h.value[r], 10.0 * (double)(r + 1), 0);
		T_NEAR(h.lon[r], 0.5 + (double)r, 1e-12);
		T_NEAR(h.lat[r], r ? 0.5 : 0.0, 1e-12);   /* R1: the centroid of both its parts */
		T_NEAR(h.g.g[r], g[r], 1e-12);
		T_NEAR(h.g.z[r], z[r], 1e-9);
		T_NEAR(h.g.p[r], erfc(fabs(z[r]) / sqrt(2)), 1e-9);
	}
	T_EQ_INT(h.hot, 0);   /* |z| ≤ 1.55: no spot at p < 0.05 */
	T_EQ_INT(h.cold, 0);
	/* the same as spatial_getis_ord fed by hand with those points */
	if (h.n == 4) {
		T_EQ_INT(spatial_getis_ord(h.lat, h.lon, h.value, h.n, &go, &ref, &e), 0);
		for (r = 0; r < 4 && ref.n == 4; r++)
			T_OK(ref.z[r] == h.g.z[r] && ref.g[r] == h.g.g[r]);
		spatial_getis_ord_release(&ref);
	}
	mapping_hotspots_release(&h);

	/* a value of another indicator: the LQ, where R5 has none either */
	T_EQ_INT(mapping_hotspots(&c, &res, NULL, 0, 0, "lq", &L, pl, &go, &h, &e), 0);
	T_EQ_INT(h.n, 4);
	T_NEAR(h.value[0], res.lq[cube_at(&c, 0, 0, 0)], 0);
	mapping_hotspots_release(&h);

	/* fewer than two regions: an error that says so */
	for (r = 1; r < 5; r++)
		nuts_place_one(&pl[r], -1);
	T_EQ_INT(mapping_hotspots(&c, &res, NULL, 0, 0, "employment", &L, pl, &go, &h, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "1 region with a value of employment") != NULL);
	T_EQ_INT(h.no_place, 5);
	mapping_hotspots_release(&h);

	geo_layer_release(&L);
	indic_result_release(&res);
	tc_free(&c);
}

/* The notice of map shift-share about cells known in one year only. */
T_TEST(shift_notice)
{
	struct cube c;
	struct indic_shift s;
	struct kerr e = KERR_INIT;
	struct buf b = BUF_INIT;
	size_t k;
	tc_init(&c, 2, 2, 2, 2015);
	for (k = 0; k < 8; k++)
		c.emp[k] = 10;
	c.emp[cube_at(&c, 1, 1, 0)] = NAN;
	T_EQ_INT(indic_shift_share(&c, 2015, 2016, &s, &e), 0);
	T_EQ_INT(mapping_shift_notice(&b, "s.csv", &c, &s), 1);
	T_EQ_STR(b.ptr, "s.csv: 1 region x industry cell has a value in only one of 2015 and 2016 (first: R2 I1, "
		 "missing in 2016): left out of the totals of both years, its own components empty");
	indic_shift_release(&s);
	buf_release(&b);
	tc_free(&c);
}

T_TEST(region_profile)
{
	/* R1 50 30 20, R2 10 60 –, R3 40 10 0: industry totals 100, 100, 20, E = 220.
	 * R1: LQ I1 = 0.5 / (100/220) = 1.1, I2 = 0.3 / (100/220) = 0.66, I3 = 0.2 / (20/220) = 2.2
	 * R2: I1 = (10/70) / (100/220), I2 = (60/70) / (100/220) = 1.8857…, I3 none
	 * R3: I1 = 0.8 / (100/220) = 1.76, I2 = 0.44, I3 = 0 */
	const double emp[] = { 50, 30, 20, 10, 60, NAN, 40, 10, 0 };
	struct cube c;
	struct indic_result res;
	struct mapping_profile p;
	struct kerr e = KERR_INIT;
	size_t k, n;
	tc_init(&c, 1, 3, 3, 2020);
	tc_fill(&c, 0, emp);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_NEAR(res.lq[cube_at(&c, 0, 0, 2)], 2.2, 1e-12);
	T_EQ_INT(mapping_region_profile(&c, &res, 0, 0, &p), 0);
	T_EQ_INT((int)p.order[0], 2);
	T_EQ_INT((int)p.order[1], 0);
	T_EQ_INT((int)p.order[2], 1);
	T_EQ_INT((int)p.ranked, 3);
	T_NEAR(p.employment, 100, 0);
	T_EQ_INT((int)p.industries, 3);
	for (k = 0, n = 0; k < 4; k++)
		n += p.stars[k];
	T_EQ_INT((int)n, 3);
	T_OK(p.stars[res.stars[cube_at(&c, 0, 0, 2)]] >= 1);
	T_OK(res.star_flags[cube_at(&c, 0, 0, 2)] & INDIC_STAR_SPEC);   /* LQ 2.2 >= 2 */
	mapping_profile_release(&p);
	/* an industry without a value comes last and is not counted */
	T_EQ_INT(mapping_region_profile(&c, &res, 0, 1, &p), 0);
	T_EQ_INT((int)p.order[0], 1);
	T_EQ_INT((int)p.order[1], 0);
	T_EQ_INT((int)p.order[2], 2);
	T_EQ_INT((int)p.ranked, 2);
	T_NEAR(p.employment, 70, 0);
	T_EQ_INT((int)(p.stars[0] + p.stars[1] + p.stars[2] + p.stars[3]), 2);
	mapping_profile_release(&p);
	/* an industry at 0 has LQ 0 and is ranked; it does not count as an industry with employment */
	T_EQ_INT(mapping_region_profile(&c, &res, 0, 2, &p), 0);
	T_EQ_INT((int)p.order[0], 0);
	T_EQ_INT((int)p.order[2], 2);
	T_EQ_INT((int)p.ranked, 3);
	T_EQ_INT((int)p.industries, 2);
	mapping_profile_release(&p);
	T_EQ_INT(mapping_region_profile(&c, &res, 0, 3, &p), -1);
	T_EQ_INT(mapping_region_profile(&c, &res, 1, 0, &p), -1);
	indic_result_release(&res);
	tc_free(&c);
}

int main(void)
{
	T_RUN(region_profile);
	T_RUN(region_hotspots);
	T_RUN(shift_notice);
	return t_done();
}
