/*
 * test_indic.c — unit tests for the cluster-mapping indicators (indic.h).
 *
 * Published vectors (tests/vectors/README.md) are reproduced to 1e-6
 * relative, each with its source named beside it; the other cases are
 * small cubes whose expected values are worked out by hand in comments.
 * Cubes are built here by filling struct cube directly, so these tests do
 * not depend on the cube builder.
 */
#include "indic.h"

#include "buf.h"
#include "t.h"

#define REL 1e-6

/* Relative comparison for published vectors. */
#define T_REL(a, b) T_NEAR((a), (b), REL)

#include "tcube.h"

/* A cube of nreg regions × nind industries in year0 and year1, filled from the row-major
 * tables v0 and v1 (tc_init, tc_fill). */
static void tc_two_years(struct cube *c, size_t nreg, size_t nind, int year0, int year1, const double *v0,
			 const double *v1)
{
	tc_init(c, 2, nreg, nind, year0);
	c->year[1] = year1;
	tc_fill(c, 0, v0);
	tc_fill(c, 1, v1);
}

/* The double a reader gives for n / 10 written in decimal (n whole): "12.3" read as 12.3. */
static double strtod_tenths(double n)
{
	char tmp[40];
	snprintf(tmp, sizeof(tmp), "%.0f", n);
	memmove(tmp + strlen(tmp), tmp + strlen(tmp) - 1, 2);
	tmp[strlen(tmp) - 2] = '.';
	return strtod(tmp, NULL);
}

/* ---- published vectors ---- */

T_TEST(lq_scalar)
{
	/* REAT locq help example (Farhauer/Kröll 2013):
	 * e_ij = 1714, e_j = 79006, e_i = 879213, e = 15593224 -> 0.3847623 */
	T_REL(indic_lq(1714, 79006, 879213, 15593224), 0.3847623);
	T_OK(isnan(indic_lq(1, 0, 1, 1)));
	T_OK(isnan(indic_lq(NAN, 1, 1, 1)));
}

T_TEST(lq_matrix)
{
	/* EconGeo location_quotient example (regions R1..R5 × industries I1..I5) */
	static const double m[25] = {
		100, 0, 0, 0, 0,
		0, 15, 5, 70, 10,
		0, 20, 10, 20, 50,
		0, 25, 30, 5, 40,
		0, 40, 55, 5, 0,
	};
	static const double want[25] = {
		5, 0, 0, 0, 0,
		0, 0.75, 0.25, 3.5, 0.5,
		0, 1, 0.5, 1, 2.5,
		0, 1.25, 1.5, 0.25, 2,
		0, 2, 2.75, 0.25, 0,
	};
	/* EconGeo location_quotient(binary = TRUE): LQ >= 1 -> 1 (exactly 1 gives 1) */
	static const double bin[25] = {
		1, 0, 0, 0, 0,
		0, 0, 0, 1, 0,
		0, 1, 0, 1, 1,
		0, 1, 1, 0, 1,
		0, 1, 1, 0, 0,
	};
	struct cube c;
	struct indic_result res;
	struct kerr e = KERR_INIT;
	size_t r, i;
	int ok = 1, okb = 1;

	tc_init(&c, 1, 5, 5, 2020);
	tc_fill(&c, 0, m);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	for (r = 0; r < 5; r++) {
		for (i = 0; i < 5; i++) {
			double lq = res.lq[cube_at(&c, 0, r, i)];
			if (fabs(lq - want[r * 5 + i]) > REL * fmax(1, want[r * 5 + i])) {
				printf("# lq[%zu][%zu] = %.10g, want %g\n", r, i, lq, want[r * 5 + i]);
				ok = 0;
			}
			if (indic_binary(lq, 1) != bin[r * 5 + i])
				okb = 0;
		}
	}
	T_OK(ok);
	T_OK(okb);
	T_OK(isnan(indic_binary(NAN, 1)));
	T_EQ_INT(res.est_dropped, 1);
	indic_result_release(&res);
	indic_result_release(&res);   /* twice is fine */
	T_OK(res.lq == NULL);
	tc_free(&c);
}

T_TEST(ellison_glaeser)
{
	/* REAT ellison.a example: plants in Wien ×5, Linz ×4, Graz ×1;
	 * E_j = Wien 500000, Linz 400000, Graz 100000
	 * -> gamma = 0.05990628, G = 0.16816327, H = 0.24468878 */
	static const size_t reg[10] = { 0, 0, 0, 0, 0, 1, 1, 1, 1, 2 };
	static const double emp[10] = { 200, 650, 12000, 100, 50, 16000, 13000, 1500, 1500, 25000 };
	static const double x[3] = { 500000, 400000, 100000 };
	static const double xs[3] = { 0.5, 0.4, 0.1 };
	static const size_t bad[1] = { 3 };
	static const double one[1] = { 10 };
	struct indic_eg g;
	struct kerr e = KERR_INIT;

	T_EQ_INT(indic_ellison_glaeser(reg, emp, 10, x, 3, &g, &e), 0);
	T_REL(g.gamma, 0.05990628);
	T_REL(g.G, 0.16816327);
	T_REL(g.H, 0.24468878);
	/* shares instead of totals give the same */
	T_EQ_INT(indic_ellison_glaeser(reg, emp, 10, xs, 3, &g, &e), 0);
	T_REL(g.gamma, 0.05990628);

	/* one plant: H = 1, gamma undefined */
	T_EQ_INT(indic_ellison_glaeser(reg, one, 1, x, 3, &g, &e), 0);
	T_NEAR(g.H, 1, 1e-12);
	T_OK(isnan(g.gamma));

	T_EQ_INT(indic_ellison_glaeser(bad, one, 1, x, 3, &g, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "out of range") != NULL);
}

static int cmp_plain(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* indic_sort gives qsort's order to the bit (signed zeros among ties, runs around 32, odd
 * lengths), on random arrays of every length up to 300 and a few long ones. */
T_TEST(sort_as_qsort)
{
	static const size_t longer[] = { 1000, 1023, 1024, 1025, 4097 };
	unsigned seed = 12345;
	size_t n, k, bad = 0, runs = 0;
	for (n = 0; n < 300 + sizeof(longer) / sizeof(longer[0]); n++) {
		size_t len = n < 300 ? n : longer[n - 300];
		int kind;
		for (kind = 0; kind < 4; kind++) {
			double *a = malloc((len ? len : 1) * sizeof(double)), *b = malloc((len ? len : 1) * sizeof(double));
			for (k = 0; k < len; k++) {
				seed = seed * 1103515245u + 12345u;
				switch (kind) {
				case 0: a[k] = (double)(seed >> 8) / 65536.0; break;              /* distinct */
				case 1: a[k] = (double)((seed >> 16) % 7); break;               /* many ties */
				case 2: a[k] = (seed >> 16) & 1 ? 0.0 : -0.0; break;            /* signed zeros */
				default: a[k] = (seed >> 16) % 3 == 0 ? -0.0 : (double)((int)((seed >> 16) % 9) - 4); break;
				}
				b[k] = a[k];
			}
			indic_sort(a, len);
			qsort(b, len, sizeof(double), cmp_plain);
			bad += len && memcmp(a, b, len * sizeof(double)) != 0;
			runs++;
			free(a);
			free(b);
		}
	}
	T_EQ_INT(bad, 0);
	T_EQ_INT(runs, 4 * 305);
	{
		/* a NaN: qsort's own order, whatever it is */
		double a[40], b[40];
		for (k = 0; k < 40; k++)
			a[k] = b[k] = k == 17 ? NAN : (double)((k * 7) % 11);
		indic_sort(a, 40);
		qsort(b, 40, sizeof(double), cmp_plain);
		T_OK(memcmp(a, b, sizeof(a)) == 0);
	}
}

T_TEST(krugman)
{
	/* REAT krugman.spec: region [20,10,70,0,0] vs reference [0,0,0,60,40] -> 2
	 * (REAT does not halve the sum: K = sum |s_ri - s_i| in [0, 2]) */
	static const double reg[5] = { 20, 10, 70, 0, 0 };
	static const double ref[5] = { 0, 0, 0, 60, 40 };
	struct cube c;
	struct indic_indices x;
	struct kerr e = KERR_INIT;

	T_REL(indic_krugman(reg, ref, 5), 2);
	T_NEAR(indic_krugman(reg, reg, 5), 0, 1e-12);

	/* the same through the cube driver, the reference given as c->ref */
	tc_init(&c, 1, 1, 5, 2020);
	tc_fill(&c, 0, reg);
	c.ref = xcalloc(5, sizeof(*c.ref));
	memcpy(c.ref, ref, sizeof(ref));
	T_EQ_INT(indic_indices(&c, &x, &e), 0);
	T_REL(x.reg_krugman[0], 2);
	T_OK(isinf(x.reg_theil[0]));   /* the region has industries the reference lacks */
	indic_indices_release(&x);
	tc_free(&c);
}

T_TEST(herfindahl)
{
	/* REAT herf: shares of [20,50,20,10] -> 0.34; normalised 0.12;
	 * equivalent number 2.94 (REAT prints it rounded: 1/0.34 = 2.9411765) */
	static const double v[4] = { 20, 50, 20, 10 };
	struct indic_hhi h;
	struct cube c;
	struct indic_indices x;
	struct kerr e = KERR_INIT;

	T_EQ_INT(indic_herfindahl(v, 4, &h), 0);
	T_REL(h.hhi, 0.34);
	T_REL(h.norm, 0.12);
	T_REL(h.equiv, 1 / 0.34);
	T_NEAR(h.equiv, 2.94, 0.005);
	T_EQ_INT(indic_herfindahl(v, 0, &h), -1);
	T_OK(isnan(h.hhi));

	/* through the cube: one region, no reference (the reference is then
	 * the region itself, so Krugman and Theil are 0); Shannon by hand:
	 * -(2 × 0.2 ln 0.2 + 0.5 ln 0.5 + 0.1 ln 0.1) = 1.2206072645530173 */
	tc_init(&c, 1, 1, 4, 2020);
	tc_fill(&c, 0, v);
	T_EQ_INT(indic_indices(&c, &x, &e), 0);
	T_REL(x.reg_hhi[0], 0.34);
	T_REL(x.reg_hhi_norm[0], 0.12);
	T_REL(x.reg_hhi_equiv[0], 1 / 0.34);
	T_NEAR(x.reg_krugman[0], 0, 1e-12);
	T_NEAR(x.reg_theil[0], 0, 1e-12);
	T_REL(x.reg_shannon[0], 1.2206072645530173);
	/* each industry lies in the one region: HHI 1, normalised undefined */
	T_REL(x.ind_hhi[0], 1);
	T_OK(isnan(x.ind_hhi_norm[0]));
	indic_indices_release(&x);
	tc_free(&c);
}

/*
 * Indices that are 0 in exact arithmetic are 0, not the rounding of their terms, and never
 * below their range.  Regions A (6.3, 0.7) and B (2.7, 0.3) have the structure 9 : 1 of their
 * sum (9, 1), so Krugman Σ|s_ri − s_i| = 0 and Theil Σ s_ri ln(s_ri / s_i) = 0 (a relative
 * entropy is ≥ 0, Gibbs' inequality); the shares 6.3/7 and 9/10 differ in their last bit, and
 * the two came out as 1.39e-17 and −1.11e-17.  Each industry's shares of the regions equal the
 * regions' shares of all employment (7/10 and 3/10), so Hoover ½Σ|s_ij − x_j| = 0 and the
 * locational Gini of the ratios (all 1) = 0.  Seventeen equal industries have HHI = 1/17, so
 * the normalised HHI (HHI − 1/n)/(1 − 1/n) = 0; the squares of 1/17 summed to 1.5e-17 below
 * 1/17, and it came out −1.47e-17.
 */
T_TEST(indices_zero_is_zero)
{
	static const double v[4] = { 6.3, 0.7, 2.7, 0.3 };
	double eq[17];
	struct indic_hhi h;
	struct cube c;
	struct indic_indices x;
	struct kerr e = KERR_INIT;
	size_t k;

	tc_init(&c, 1, 2, 2, 2020);
	tc_fill(&c, 0, v);
	T_EQ_INT(indic_indices(&c, &x, &e), 0);
	for (k = 0; k < 2; k++) {
		T_OK(x.reg_krugman[k] == 0);
		T_OK(x.reg_theil[k] == 0);
		T_OK(x.ind_hoover[k] == 0);
		T_OK(x.ind_gini[k] == 0);
	}
	indic_indices_release(&x);
	tc_free(&c);
	for (k = 0; k < 17; k++)
		eq[k] = 1;
	T_EQ_INT(indic_herfindahl(eq, 17, &h), 0);
	T_OK(h.norm == 0);
	T_NEAR(h.hhi, 1.0 / 17, 1e-15);
}

T_TEST(herfindahl_by_year)
{
	/* an industry the data have only in a later year is no industry of the earlier one:
	 * region A of 2015 is [10, 20] whether or not 2016 adds industry I3 (REAT herf takes
	 * the vector it is given): HHI = (1/9 + 4/9) = 5/9, normalised (5/9 - 1/2)/(1/2) = 1/9 */
	static const double y2015[6] = { 10, 20, NAN, 30, 5, NAN };
	static const double y2016[6] = { 12, 20, 5, 30, 6, 1 };
	struct cube c;
	struct indic_indices x;
	struct kerr e = KERR_INIT;
	size_t first;

	tc_two_years(&c, 2, 3, 2015, 2016, y2015, y2016);
	T_EQ_INT(indic_indices(&c, &x, &e), 0);
	T_REL(x.reg_hhi[0], 5.0 / 9);
	T_REL(x.reg_hhi_norm[0], 1.0 / 9);
	/* 2016 has the three: A = [12, 20, 5] of 37 */
	T_REL(x.reg_hhi_norm[2], ((144.0 + 400 + 25) / (37.0 * 37) - 1.0 / 3) / (2.0 / 3));
	/* and I3's empty 2015 cells are not missing values of 2015 */
	T_EQ_INT((long long)cube_missing_cells(&c, &first), 0);
	T_OK(cube_industry_in_year(&c, 1, 2) && !cube_industry_in_year(&c, 0, 2));
	/* one confidential cell of I3 in 2015 beside a known one: I3 is of 2015, the cell missing */
	c.emp[cube_at(&c, 0, 1, 2)] = 4;
	T_EQ_INT((long long)cube_missing_cells(&c, &first), 1);
	T_EQ_INT((long long)first, (long long)cube_at(&c, 0, 0, 2));
	/* of one year: 2015 has it, 2016 none */
	T_EQ_INT((long long)cube_missing_cells_in(&c, 0, &first), 1);
	T_EQ_INT((long long)first, (long long)cube_at(&c, 0, 0, 2));
	T_EQ_INT((long long)cube_missing_cells_in(&c, 1, &first), 0);
	T_EQ_INT((long long)first, -1);
	T_EQ_INT((long long)cube_missing_cells_in(&c, (size_t)-1, NULL), 1);
	indic_indices_release(&x);
	tc_free(&c);
}

T_TEST(gini)
{
	/* REAT gini.conc: E_ij = [500,500,1000,7000,1000],
	 * E_j = [20000,15000,20000,40000,5000] -> 0.4068966.
	 * REAT's value is the plain Gini of the ratios q_j = s_ij / s_j
	 * = [0.25, 1/3, 0.5, 1.75, 2]: 2 × sum k q_(k) / (n sum q) - (n+1)/n
	 * = 2 × 16.25 / (5 × 4.8333) - 1.2 = 11.8 / 29. */
	static const double eij[5] = { 500, 500, 1000, 7000, 1000 };
	static const double ej[5] = { 20000, 15000, 20000, 40000, 5000 };
	double m[10];
	struct cube c;
	struct indic_indices x;
	struct kerr e = KERR_INIT;
	size_t r;

	T_REL(indic_gini_conc(eij, ej, 5), 0.4068966);
	T_REL(indic_gini_conc(eij, ej, 5), 11.8 / 29);
	T_NEAR(indic_gini_conc(ej, ej, 5), 0, 1e-12);
	/* Hoover, by hand: s = [.05,.05,.1,.7,.1], x = [.2,.15,.2,.4,.05],
	 * 0.5 × (.15 + .1 + .1 + .3 + .05) = 0.35 */
	T_REL(indic_hoover(eij, ej, 5), 0.35);

	/* through the cube: industry I1 = E_ij, I2 = E_j - E_ij, so that the
	 * region totals are E_j */
	for (r = 0; r < 5; r++) {
		m[2 * r] = eij[r];
		m[2 * r + 1] = ej[r] - eij[r];
	}
	tc_init(&c, 1, 5, 2, 2020);
	tc_fill(&c, 0, m);
	T_EQ_INT(indic_indices(&c, &x, &e), 0);
	T_REL(x.ind_gini[0], 0.4068966);
	T_REL(x.ind_hoover[0], 0.35);
	/* industry HHI over regions: shares .05,.05,.1,.7,.1 ->
	 * .0025+.0025+.01+.49+.01 = 0.515; normalised (0.515-0.2)/0.8 = 0.39375 */
	T_REL(x.ind_hhi[0], 0.515);
	T_REL(x.ind_hhi_norm[0], 0.39375);
	indic_indices_release(&x);
	tc_free(&c);
}

/* ---- hand-computed cases ---- */

T_TEST(quantile7)
{
	/* R quantile(1:10, 0.9) = 9.1; quantile(1:4, 0.25) = 1.75 (type 7) */
	static const double a[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	T_NEAR(indic_quantile7(a, 10, 0.9), 9.1, 1e-12);
	T_NEAR(indic_quantile7(a, 4, 0.25), 1.75, 1e-12);
	T_NEAR(indic_quantile7(a, 10, 1), 10, 1e-12);
	T_NEAR(indic_quantile7(a, 10, 0), 1, 1e-12);
	T_NEAR(indic_quantile7(a, 1, 0.75), 1, 1e-12);
	T_OK(isnan(indic_quantile7(a, 0, 0.5)));
}

T_TEST(stars)
{
	/*
	 * 12 regions, industries A, B, C, one year.
	 *   A = [50,40,40,10,10,10,10,10,10,10, 0,NaN]
	 *   B = [40,10,10,10,10,10,10,10,10, 2,10,10]
	 *   C = [ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]
	 * E_r = [90,50,50,20,20,20,20,20,20,12,10,15], E = 347,
	 * E_A = 200, E_B = 142, E_C = 5.
	 *
	 * A: n = 11 non-NaN regions, k = ceil(1.1) = 2.  Size: ranked
	 * 50,40,40,… the value at rank 2 is 40, so R1, R2, R3 (tie at the
	 * boundary: three regions, not two).  Focus: shares .556,.8,.8,.5×6,
	 * .833 (R10), 0 — rank 2 is .8, so R10, R2, R3.  Spec: the largest lq
	 * is (10/12)/(200/347) = 1.446 < 2: none.  R11 (zero) and R12 (NaN):
	 * no star.
	 * B: n = 12, k = 2; ranked 40,10,10,… threshold 10: every region but
	 * R10 (B = 2) gets the size star.  Spec: lq R11 = (10/10)/(142/347) =
	 * 2.444: R11 only.  Focus: shares 1 (R11), .667 (R12), … threshold
	 * .667: R11, R12.
	 * C: k = 2, threshold (rank 2) is 0; only R12 has employment, and
	 * zeros never get a star: R12 size; lq = (5/15)/(5/347) = 23.1 spec;
	 * focus.  R12 C has 3 stars.
	 */
	static const double m[36] = {
		50, 40, 0,  40, 10, 0,  40, 10, 0,  10, 10, 0,  10, 10, 0,  10, 10, 0,
		10, 10, 0,  10, 10, 0,  10, 10, 0,  10, 2, 0,   0, 10, 0,   NAN, 10, 5,
	};
	/* flags: size 1, spec 2, focus 4 */
	static const unsigned char wantA[12] = { 1, 5, 5, 0, 0, 0, 0, 0, 0, 4, 0, 0 };
	static const unsigned char wantB[12] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 7, 5 };
	struct cube c;
	struct indic_result res;
	struct kerr e = KERR_INIT;
	size_t r;
	int okA = 1, okB = 1, okC = 1;

	tc_init(&c, 1, 12, 3, 2020);
	tc_fill(&c, 0, m);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	for (r = 0; r < 12; r++) {
		unsigned char fa = res.star_flags[cube_at(&c, 0, r, 0)];
		unsigned char fb = res.star_flags[cube_at(&c, 0, r, 1)];
		unsigned char fc = res.star_flags[cube_at(&c, 0, r, 2)];
		if (fa != wantA[r]) {
			printf("# A R%zu flags %d, want %d\n", r + 1, fa, wantA[r]);
			okA = 0;
		}
		if (fb != wantB[r]) {
			printf("# B R%zu flags %d, want %d\n", r + 1, fb, wantB[r]);
			okB = 0;
		}
		if (fc != (r == 11 ? 7 : 0))
			okC = 0;
	}
	T_OK(okA);
	T_OK(okB);
	T_OK(okC);
	T_EQ_INT(res.stars[cube_at(&c, 0, 1, 0)], 2);   /* R2 A: size + focus */
	T_EQ_INT(res.stars[cube_at(&c, 0, 10, 1)], 3);  /* R11 B */
	T_EQ_INT(res.stars[cube_at(&c, 0, 11, 2)], 3);  /* R12 C */
	T_EQ_INT(res.stars[cube_at(&c, 0, 10, 0)], 0);  /* R11 A: zero */
	T_EQ_INT(res.stars[cube_at(&c, 0, 11, 0)], 0);  /* R12 A: NaN */
	T_NEAR(res.size_thr[0], 40, 1e-12);
	T_NEAR(res.focus_thr[0], 0.8, 1e-12);
	T_NEAR(res.size_thr[2], 0, 1e-12);
	T_REL(res.lq[cube_at(&c, 0, 10, 1)], (10.0 / 10) / (142.0 / 347));
	indic_result_release(&res);
	tc_free(&c);
}

T_TEST(stars_exact_tenth)
{
	/* 30 regions with employment 30, 29, …, 1 in one industry (and 10 in
	 * another): k = 30 × 10 / 100 = 3 exactly (in floating point 0.1 × 30
	 * is 3.0000000000000004, whose ceiling would be 4).  Size stars: 3. */
	struct cube c;
	struct indic_result res;
	struct kerr e = KERR_INIT;
	size_t r, n = 0;

	tc_init(&c, 1, 30, 2, 2020);
	for (r = 0; r < 30; r++) {
		c.emp[cube_at(&c, 0, r, 0)] = 30.0 - (double)r;
		c.emp[cube_at(&c, 0, r, 1)] = 10;
	}
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	for (r = 0; r < 30; r++)
		n += !!(res.star_flags[cube_at(&c, 0, r, 0)] & INDIC_STAR_SIZE);
	T_EQ_INT(n, 3);
	T_NEAR(res.size_thr[0], 28, 1e-12);
	indic_result_release(&res);
	tc_free(&c);
}

T_TEST(ties_of_decimals)
{
	/* Regions of one structure (each a multiple of the first, one decimal place): every LQ is 1
	 * in decimal arithmetic, but sums of binary fractions make about a fourth of them
	 * 0.9999999999999998.  Each still counts as LQ >= 1 (indic_binary, the strong rule's test)
	 * and the largest region of an industry, above P25 with an LQ at P75 and P90, is strong
	 * and strong10; doubling one region's first industry in decimal gives LQ >= 2 in that
	 * layout's terms: the region with twice the share passes the specialisation test. */
	struct cube c;
	struct indic_result res;
	struct kerr e = KERR_INIT;
	unsigned long long x = 12345;
	size_t t, r, i, bad = 0, below = 0, weak = 0;
	for (t = 0; t < 200; t++) {
		double base[4], mult[5];
		size_t top;
		tc_init(&c, 1, 5, 4, 2020);
		for (i = 0; i < 4; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			base[i] = (double)(1 + (x >> 33) % 999);
		}
		for (r = 0; r < 5; r++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			mult[r] = (double)(1 + (x >> 33) % 9);
			for (i = 0; i < 4; i++)   /* base × mult / 10: the decimal's nearest double, as read */
				c.emp[cube_at(&c, 0, r, i)] = strtod_tenths(base[i] * mult[r]);
		}
		T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
		for (i = 0; i < 4; i++) {
			for (top = 0, r = 1; r < 5; r++)
				if (mult[r] > mult[top])
					top = r;
			for (r = 0; r < 5; r++) {
				double lq = res.lq[cube_at(&c, 0, r, i)];
				below += lq < 1;
				bad += indic_binary(lq, 1) != 1.0 || fabs(lq - 1) > 1e-14;
			}
			weak += mult[top] > mult[(top + 1) % 5] &&
				(!res.strong[cube_at(&c, 0, top, i)] || !res.strong10[cube_at(&c, 0, top, i)]);
		}
		indic_result_release(&res);
		tc_free(&c);
	}
	T_OK(below > 100);   /* the case is met: LQs of 1 below 1 in binary */
	T_EQ_INT(bad, 0);
	T_EQ_INT(weak, 0);
	T_OK(indic_ge(1 - 2e-16, 1) && indic_ge(2 - 4e-16, 2) && !indic_ge(1 - 1e-9, 1) && !indic_ge(NAN, 1));
	T_OK(!indic_gt(11.25 + 1e-15, 11.25) && indic_gt(11.26, 11.25) && !indic_gt(1, NAN));
}

/*
 * 7 regions, industries X and Y, reference X = 100, Y = 900 (E = 1000),
 * every region has 100 employees (X + Y), so lq = (X/100)/(100/1000) = X/10.
 *   X   = [0, 5, 10, 15, 20, 25, 30]       (Y = 100 - X)
 *   est = [0, 4,  3,  6,  1,  5,  2]       (X establishments)
 * Regions with X > 0: R2..R7, n = 6.
 *   lq sorted   [0.5, 1, 1.5, 2, 2.5, 3]
 *   P75(lq): h = 5 × 0.75 = 3.75 -> 2 + 0.75 × (2.5 - 2) = 2.375
 *   P90(lq): h = 5 × 0.90 = 4.5  -> 2.5 + 0.5 × (3 - 2.5) = 2.75
 *   emp sorted  [5, 10, 15, 20, 25, 30]
 *   P25(emp): h = 5 × 0.25 = 1.25 -> 10 + 0.25 × (15 - 10) = 11.25
 *   est sorted  [1, 2, 3, 4, 5, 6]
 *   P25(est): h = 1.25 -> 2 + 0.25 × (3 - 2) = 2.25
 * strong: lq >= 2.375, X > 11.25, est > 2.25, lq >= 1:
 *   R6 (lq 2.5, 25, est 5) yes; R7 (lq 3, 30, est 2) fails on est.
 * strong10 (lq >= 2.75): R7 only candidate, fails on est: none.
 * Without establishments: strong R6, R7; strong10 R7.
 * Without the reference (sum of regions, E_X = 105, E = 700):
 *   lq R7 = (30/100)/(105/700) = 2.
 */
static void strong_cube(struct cube *c, int with_est, int with_ref)
{
	static const double X[7] = { 0, 5, 10, 15, 20, 25, 30 };
	static const double est[7] = { 0, 4, 3, 6, 1, 5, 2 };
	size_t r;
	tc_init(c, 1, 7, 2, 2020);
	if (with_est)
		c->est = xcalloc(14, sizeof(*c->est));
	for (r = 0; r < 7; r++) {
		c->emp[cube_at(c, 0, r, 0)] = X[r];
		c->emp[cube_at(c, 0, r, 1)] = 100 - X[r];
		if (with_est) {
			c->est[cube_at(c, 0, r, 0)] = est[r];
			c->est[cube_at(c, 0, r, 1)] = 10;
		}
	}
	if (with_ref) {
		c->ref = xcalloc(2, sizeof(*c->ref));
		c->ref[0] = 100;
		c->ref[1] = 900;
	}
}

T_TEST(strong_rule)
{
	struct cube c;
	struct indic_result res;
	struct kerr e = KERR_INIT;
	size_t r;
	int ok = 1;

	strong_cube(&c, 1, 1);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_EQ_INT(res.est_dropped, 0);
	T_NEAR(res.p75_lq[0], 2.375, 1e-12);
	T_NEAR(res.p90_lq[0], 2.75, 1e-12);
	T_NEAR(res.p25_emp[0], 11.25, 1e-12);
	T_NEAR(res.p25_est[0], 2.25, 1e-12);
	T_NEAR(res.lq[cube_at(&c, 0, 6, 0)], 3, 1e-12);
	for (r = 0; r < 7; r++) {
		if (res.strong[cube_at(&c, 0, r, 0)] != (r == 5))
			ok = 0;
		if (res.strong10[cube_at(&c, 0, r, 0)] != 0)
			ok = 0;
	}
	T_OK(ok);
	indic_result_release(&res);
	tc_free(&c);

	/* no establishments data: the condition is dropped and flagged */
	strong_cube(&c, 0, 1);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_EQ_INT(res.est_dropped, 1);
	T_OK(isnan(res.p25_est[0]));
	ok = 1;
	for (r = 0; r < 7; r++) {
		if (res.strong[cube_at(&c, 0, r, 0)] != (r == 5 || r == 6))
			ok = 0;
		if (res.strong10[cube_at(&c, 0, r, 0)] != (r == 6))
			ok = 0;
	}
	T_OK(ok);
	indic_result_release(&res);
	tc_free(&c);
}

/*
 * strong_cube with the establishments of X unknown (NAN) in R3, R6 and R7:
 * the known ones of the regions with X > 0 are R2 4, R4 6, R5 1, sorted
 * [1, 4, 6]: P25(est): h = 2 × 0.25 = 0.5 -> 1 + 0.5 × (4 - 1) = 2.5.
 * The LQ and employment percentiles are as in strong_cube (2.375, 2.75,
 * 11.25).  Per region:
 *   R1  X = 0: fails employment > P25                 strong 0, strong10 0
 *   R2  lq 0.5 < 1                                    0, 0
 *   R3  lq 1, X 10 <= 11.25 (est unknown)             0, 0: a test fails
 *   R4  lq 1.5 < 2.375                                0, 0
 *   R5  lq 2 < 2.375                                  0, 0
 *   R6  lq 2.5 >= 2.375, 25 > 11.25, est unknown      unknown; strong10 0 (2.5 < 2.75)
 *   R7  lq 3 >= 2.75, 30 > 11.25, est unknown         unknown, unknown
 * With every X establishment unknown the test is dropped for X alone:
 * strong R6, R7 and strong10 R7, as without establishments (strong_rule),
 * all known; Y keeps its test (est 10 everywhere, none above P25 = 10).
 */
T_TEST(strong_unknown_establishments)
{
	struct cube c;
	struct indic_result res;
	struct kerr e = KERR_INIT;
	struct buf b = BUF_INIT;
	char first[32];
	size_t r;
	int ok = 1;

	strong_cube(&c, 1, 1);
	c.est[cube_at(&c, 0, 2, 0)] = NAN;
	c.est[cube_at(&c, 0, 5, 0)] = NAN;
	c.est[cube_at(&c, 0, 6, 0)] = NAN;
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_EQ_INT(res.est_dropped, 0);
	T_EQ_INT(res.est_none[0], 0);
	T_NEAR(res.p25_est[0], 2.5, 1e-12);
	for (r = 0; r < 5; r++) {
		size_t k = cube_at(&c, 0, r, 0);
		unsigned kn = indic_known(&c, &res, k);
		if (res.strong[k] || res.strong10[k] || !(kn & INDIC_KNOWN_STRONG) || !(kn & INDIC_KNOWN_STRONG10))
			ok = 0;
	}
	T_OK(ok);
	/* R6: strong unknown, strong10 a known 0 */
	T_EQ_INT(indic_known(&c, &res, cube_at(&c, 0, 5, 0)) & (INDIC_KNOWN_STRONG | INDIC_KNOWN_STRONG10),
		 INDIC_KNOWN_STRONG10);
	T_EQ_INT(res.strong10[cube_at(&c, 0, 5, 0)], 0);
	/* R7: neither known; the other stars stay known */
	T_EQ_INT(indic_known(&c, &res, cube_at(&c, 0, 6, 0)) & (INDIC_KNOWN_STRONG | INDIC_KNOWN_STRONG10), 0);
	T_EQ_INT(indic_known(&c, &res, cube_at(&c, 0, 6, 0)) & INDIC_KNOWN_STARS, INDIC_KNOWN_STARS);
	T_EQ_INT(indic_est_none(&c, &res, first, sizeof(first)), 0);
	T_EQ_STR(first, "");
	T_EQ_INT(indic_est_notice(&b, "s.csv", &c, &res), 0);
	T_EQ_INT(b.len, 0);
	indic_result_release(&res);

	/* no establishment of X known: the test is dropped there, and said */
	for (r = 0; r < 7; r++)
		c.est[cube_at(&c, 0, r, 0)] = NAN;
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_EQ_INT(res.est_dropped, 0);
	T_EQ_INT(res.est_none[0], 1);
	T_EQ_INT(res.est_none[1], 0);
	T_OK(isnan(res.p25_est[0]));
	T_NEAR(res.p25_est[1], 10, 1e-12);
	ok = 1;
	for (r = 0; r < 7; r++) {
		size_t k = cube_at(&c, 0, r, 0);
		unsigned kn = indic_known(&c, &res, k);
		if (res.strong[k] != (r == 5 || r == 6) || res.strong10[k] != (r == 6) ||
		    !(kn & INDIC_KNOWN_STRONG) || !(kn & INDIC_KNOWN_STRONG10))
			ok = 0;
		if (res.strong[cube_at(&c, 0, r, 1)])
			ok = 0;
	}
	T_OK(ok);
	T_EQ_INT(indic_est_none(&c, &res, first, sizeof(first)), 1);
	T_EQ_STR(first, "I1 in 2020");
	T_EQ_INT(indic_est_notice(&b, "s.csv", &c, &res), 1);
	T_EQ_STR(b.ptr, "s.csv: no establishments value is known in 1 industry-year (first: I1 in 2020): the strong "
		 "rule is applied there without its establishment test");
	indic_result_release(&res);
	tc_free(&c);

	/* without the column: the notice of est_dropped */
	buf_reset(&b);
	strong_cube(&c, 0, 1);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_EQ_INT(indic_est_notice(&b, "s.csv", &c, &res), 1);
	T_EQ_STR(b.ptr, "s.csv: no establishments column: the strong rule is applied without its establishment test");
	indic_result_release(&res);
	tc_free(&c);
	buf_release(&b);
}

T_TEST(reference_vs_sum)
{
	/* see strong_cube: lq of R7 X is 3 against the reference, 2 against
	 * the sum of the regions; E_i and E follow */
	struct cube c;
	struct indic_result res;
	struct kerr e = KERR_INIT;

	strong_cube(&c, 0, 1);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_NEAR(res.lq[cube_at(&c, 0, 6, 0)], 3, 1e-12);
	T_NEAR(res.E_i[0], 100, 1e-12);
	T_NEAR(res.E[0], 1000, 1e-12);
	T_NEAR(res.share_ind[cube_at(&c, 0, 6, 0)], 0.3, 1e-12);
	indic_result_release(&res);
	tc_free(&c);

	strong_cube(&c, 0, 0);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_NEAR(res.lq[cube_at(&c, 0, 6, 0)], 2, 1e-12);
	T_NEAR(res.E_i[0], 105, 1e-12);
	T_NEAR(res.E[0], 700, 1e-12);
	T_NEAR(res.share_ind[cube_at(&c, 0, 6, 0)], 30.0 / 105, 1e-12);
	indic_result_release(&res);
	tc_free(&c);

	/* a NAN reference value: that industry's lq is NAN, the other's not */
	strong_cube(&c, 0, 1);
	c.ref[0] = NAN;
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_OK(isnan(res.lq[cube_at(&c, 0, 6, 0)]));
	T_OK(isnan(res.share_ind[cube_at(&c, 0, 6, 0)]));
	/* The unknown X counts in E at the regions' own 105 (0+5+…+30), the least the nation
	 * can have: E = 900 + 105, lq R7 Y = (70/100)/(900/1005) = 0.78166… (docs/MAPPING.md,
	 * "Reference economy"); counting it 0 gave 0.7, as if the nation had fewer employees
	 * than its regions. */
	T_NEAR(res.E[0], 1005, 1e-12);
	T_NEAR(res.lq[cube_at(&c, 0, 6, 1)], 0.7 * 1005 / 900, 1e-12);
	indic_result_release(&res);
	tc_free(&c);
}

/* An industry the reference leaves unknown in the indices: its national share is the
 * regions' own employment over the total above, never 0 (Krugman, Theil finite). */
T_TEST(indices_unknown_reference)
{
	struct cube c;
	struct indic_indices x;
	struct kerr e = KERR_INIT;
	double sx = 105.0 / 1005, sy = 900.0 / 1005, a = 0.3, b = 0.7;

	strong_cube(&c, 0, 1);
	c.ref[0] = NAN;
	T_EQ_INT(indic_indices(&c, &x, &e), 0);
	/* R7 = [30, 70]: s_r = [0.3, 0.7] against s = [105, 900] / 1005 */
	T_NEAR(x.reg_krugman[6], fabs(a - sx) + fabs(b - sy), 1e-12);
	T_NEAR(x.reg_theil[6], a * log(a / sx) + b * log(b / sy), 1e-12);
	T_OK(isfinite(x.reg_theil[6]));
	indic_indices_release(&x);
	tc_free(&c);
}

/*
 * The reference value of an industry without a value in any region in a year is not in that
 * year's E (docs/MAPPING.md, "Reference economy"; indic_indices leaves it out too).  Regions A,
 * B × x, y, z (traded) and w (local) in 2015 and 2016: A = [50, 10, -, 30] both years, B =
 * [50, -, 5, 30] in 2015 and [50, -, -, 30] in 2016; the reference x 200, y 110, z 1000, w 500
 * both years.  z is no industry of 2016, so E(2016) = 200 + 110 + 500 = 810 and lq A x =
 * (50/90) / (200/810) = 2.25; with the traded base E = 310 and lq = (50/60) / (200/310).  Its
 * 1000 in E gave 5.458 and 1.9 × too high LQs.  2015 keeps z: E = 1810.
 */
T_TEST(reference_industry_of_year)
{
	static const double y0[8] = { 50, 10, NAN, 30, 50, NAN, 5, 30 };
	static const double y1[8] = { 50, 10, NAN, 30, 50, NAN, NAN, 30 };
	static const double ref[4] = { 200, 110, 1000, 500 };
	struct indic_opts o = INDIC_OPTS_INIT;
	struct cube c;
	struct indic_result res;
	struct indic_shift s;
	struct kerr e = KERR_INIT;

	tc_two_years(&c, 2, 4, 2015, 2016, y0, y1);
	c.ref = xcalloc(8, sizeof(*c.ref));
	memcpy(c.ref, ref, sizeof(ref));
	memcpy(c.ref + 4, ref, sizeof(ref));
	T_EQ_INT(indic_compute(&c, &o, &res, &e), 0);
	T_NEAR(res.E[1], 810, 1e-12);
	T_NEAR(indic_reference_total(&c, 1), 810, 1e-12);   /* relatedness's RCA uses it */
	T_NEAR(res.lq[cube_at(&c, 1, 0, 0)], (50.0 / 90) / (200.0 / 810), 1e-12);
	T_NEAR(res.E[0], 1810, 1e-12);
	T_NEAR(indic_reference_total(&c, 0), 1810, 1e-12);
	T_NEAR(res.lq[cube_at(&c, 0, 0, 0)], (50.0 / 90) / (200.0 / 1810), 1e-12);
	indic_result_release(&res);

	c.traded = xcalloc(4, 1);
	c.traded[0] = c.traded[1] = c.traded[2] = 1;
	o.base = INDIC_BASE_TRADED;
	T_EQ_INT(indic_compute(&c, &o, &res, &e), 0);
	T_NEAR(res.E[1], 310, 1e-12);
	T_NEAR(res.lq[cube_at(&c, 1, 0, 0)], (50.0 / 60) / (200.0 / 310), 1e-12);
	T_NEAR(res.E[0], 1310, 1e-12);
	indic_result_release(&res);

	/* shift-share: z is an industry of 2015, so it counts in both years' totals (the
	 * reference's, which its missing 2016 cell does not change) */
	T_EQ_INT(indic_shift_share(&c, 2015, 2016, &s, &e), 0);
	T_NEAR(s.G, 0, 1e-12);
	indic_shift_release(&s);
	tc_free(&c);
}

/* Checks the three components of cell k of s against hand-computed ones. */
static void shift_cell_is(const struct indic_shift *s, size_t k, double ns, double im, double rs)
{
	T_NEAR(s->ns[k], ns, 1e-12);
	T_NEAR(s->im[k], im, 1e-12);
	T_NEAR(s->rs[k], rs, 1e-12);
}

/*
 * Shift-share of a reference industry of neither year's data: regions A, B × x, y, z in 2015,
 * 2019 and 2023, z with a value in 2019 alone; the reference x 300 → 330, y 100 → 100, z 1000 →
 * 3000.  z has no rows between 2015 and 2023 and adds nothing to E0 and E1: G = (430 − 400) /
 * 400 = 0.075, so A x (100 → 110, G_x = 0.1) has NS 7.5, IM 2.5, RS 0.  Its 1000 → 3000 made
 * G = 1.45 and A x's NS 145 with an IM of −135.
 */
T_TEST(shift_share_reference_industry_of_neither_year)
{
	static const double y0[6] = { 100, 50, NAN, 50, 20, NAN };
	static const double ym[6] = { 100, NAN, 5, NAN, NAN, NAN };
	static const double y1[6] = { 110, 55, NAN, 60, 20, NAN };
	static const double ref[9] = { 300, 100, 1000, 300, 100, 1000, 330, 100, 3000 };
	struct cube c;
	struct indic_shift s;
	struct kerr e = KERR_INIT;

	tc_init(&c, 3, 2, 3, 2015);
	c.year[1] = 2019;
	c.year[2] = 2023;
	tc_fill(&c, 0, y0);
	tc_fill(&c, 1, ym);
	tc_fill(&c, 2, y1);
	c.ref = xcalloc(9, sizeof(*c.ref));
	memcpy(c.ref, ref, sizeof(ref));
	T_EQ_INT(indic_shift_share(&c, 2015, 2023, &s, &e), 0);
	T_NEAR(s.G, 0.075, 1e-12);
	shift_cell_is(&s, 0, 7.5, 2.5, 0);
	indic_shift_release(&s);
	tc_free(&c);
}

/* Shift-share on A, B × x, y in 2015 and 2023 with B x missing in 2023 (hand-computed):
 * the cell is left out of the totals of both years, so x grows 100 → 120 (G_x = 0.2), y
 * 110 → 121 (0.1), everything 210 → 241 (G = 31/210), and no region's mix is skewed. */
/* A cell with 0 employment in year0 while the economy shrinks: its national share is 0 × G, written
 * 0, not -0 (as text "-0" in the tables). */
T_TEST(shift_share_no_negative_zero)
{
	struct cube c;
	struct indic_shift s;
	struct kerr e = KERR_INIT;
	tc_init(&c, 2, 2, 1, 2015);
	c.year[1] = 2023;
	c.emp[cube_at(&c, 0, 0, 0)] = 100;
	c.emp[cube_at(&c, 0, 1, 0)] = 0;
	c.emp[cube_at(&c, 1, 0, 0)] = 50;
	c.emp[cube_at(&c, 1, 1, 0)] = 10;
	T_EQ_INT(indic_shift_share(&c, 2015, 2023, &s, &e), 0);
	T_OK(s.G < 0);
	T_OK(s.ns[1] == 0 && !signbit(s.ns[1]));
	T_OK(s.im[1] == 0 && !signbit(s.im[1]));
	indic_shift_release(&s);
	tc_free(&c);
}

/*
 * An industry without employment in any region in year0: A, B × x, y; x 100, 50 → 110, 60 and y
 * 0, 0 → 5, 0.  y has no growth rate of its own (G_y from 0), but its cells' NS = 0 × G and IM =
 * 0 × (G_y − G) are 0 whatever G_y, and A y's whole change of 5 is its regional shift: the
 * components of every cell add up to the change of 25.  A y had no components, so they added up
 * to 20.  The same with y unknown in the reference in 2023 (G_y unknown too).
 */
T_TEST(shift_share_industry_from_nothing)
{
	static const double y0[4] = { 100, 0, 50, 0 };
	static const double y1[4] = { 110, 5, 60, 0 };
	struct cube c;
	struct indic_shift s;
	struct kerr e = KERR_INIT;
	double sum = 0;
	size_t k, pass;

	tc_two_years(&c, 2, 2, 2015, 2023, y0, y1);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {   /* a reference: x 200 → 220, y 0 → unknown */
			c.ref = xcalloc(4, sizeof(*c.ref));
			c.ref[0] = 200;
			c.ref[1] = 0;
			c.ref[2] = 220;
			c.ref[3] = NAN;
		}
		T_EQ_INT(indic_shift_share(&c, 2015, 2023, &s, &e), 0);
		T_OK(isnan(s.G_ind[1]));
		T_OK(isnan(s.growth[1]));                  /* no rate from nothing */
		T_OK(s.ns[1] == 0 && !signbit(s.ns[1]));
		T_OK(s.im[1] == 0 && !signbit(s.im[1]));
		T_NEAR(s.rs[1], 5, 1e-12);
		T_OK(s.ns[3] == 0 && s.im[3] == 0 && s.rs[3] == 0);
		for (k = 0, sum = 0; k < 4; k++)
			sum += s.ns[k] + s.im[k] + s.rs[k];
		T_NEAR(sum, 25, 1e-9);
		indic_shift_release(&s);
	}
	tc_free(&c);
}

/*
 * Growth from nothing: one region, x 0 in 2015 and 12.5 in 2016, y 12.5 in 2015 and missing in
 * 2016.  y is left out of both years' totals (a cell of one year), so the total of 2015 is x's 0
 * and G = (E1 − E0) / E0 has no value.  The message said that the reference economy had no
 * employment in 2015, which the file contradicts (y's 12.5); it now names the cells known in
 * both years and how many were left out.
 */
T_TEST(shift_share_nothing_known_in_both)
{
	struct cube c;
	struct indic_shift sh;
	struct kerr e = KERR_INIT;
	tc_init(&c, 2, 1, 2, 2015);
	c.emp[cube_at(&c, 0, 0, 0)] = 0;
	c.emp[cube_at(&c, 0, 0, 1)] = 12.5;
	c.emp[cube_at(&c, 1, 0, 0)] = 12.5;
	c.emp[cube_at(&c, 1, 0, 1)] = NAN;
	T_EQ_INT(indic_shift_share(&c, 2015, 2016, &sh, &e), -1);
	T_OK(strstr(e.msg, "known in both 2015 and 2016") != NULL);
	T_OK(strstr(e.msg, "1 cell with a value in only one of the years is left out") != NULL);
	tc_free(&c);
}

T_TEST(shift_share_missing_cell)
{
	struct cube c;
	struct indic_shift s;
	struct kerr e = KERR_INIT;
	double G = 31.0 / 210;
	tc_init(&c, 2, 2, 2, 2015);
	c.year[1] = 2023;
	c.emp[cube_at(&c, 0, 0, 0)] = 100;
	c.emp[cube_at(&c, 0, 0, 1)] = 50;
	c.emp[cube_at(&c, 0, 1, 0)] = 40;
	c.emp[cube_at(&c, 0, 1, 1)] = 60;
	c.emp[cube_at(&c, 1, 0, 0)] = 120;
	c.emp[cube_at(&c, 1, 0, 1)] = 55;
	c.emp[cube_at(&c, 1, 1, 0)] = NAN;
	c.emp[cube_at(&c, 1, 1, 1)] = 66;
	T_EQ_INT(indic_shift_share(&c, 2015, 2023, &s, &e), 0);
	T_EQ_INT(s.left_out, 1);
	T_EQ_INT(s.first_left_out, 1 * 2 + 0);
	T_NEAR(s.G, G, 1e-15);
	T_NEAR(s.G_ind[0], 0.2, 1e-15);
	T_NEAR(s.G_ind[1], 0.1, 1e-15);
	T_OK(isnan(s.ns[2]) && isnan(s.im[2]) && isnan(s.rs[2]));
	T_NEAR(s.im[3], 60 * (0.1 - G), 1e-12);
	/* g_ri = G_i in every cell: the regional shift is 0 exactly, not -1e-16 */
	T_OK(s.rs[0] == 0 && s.rs[1] == 0 && s.rs[3] == 0);
	indic_shift_release(&s);

	/* every cell grows 10 %: mix and shift are 0 exactly */
	c.emp[cube_at(&c, 1, 0, 0)] = 110;
	c.emp[cube_at(&c, 1, 1, 0)] = 44;
	T_EQ_INT(indic_shift_share(&c, 2015, 2023, &s, &e), 0);
	T_EQ_INT(s.left_out, 0);
	T_OK(s.im[0] == 0 && s.im[1] == 0 && s.im[2] == 0 && s.im[3] == 0);
	T_OK(s.rs[0] == 0 && s.rs[1] == 0 && s.rs[2] == 0 && s.rs[3] == 0);
	indic_shift_release(&s);
	tc_free(&c);
}

T_TEST(traded_base)
{
	/*
	 * 2 regions × industries A, B (traded) and C (local):
	 *   R1 = [10, 30, 60], R2 = [30, 30, 40]
	 * all:    E_R1 = 100, E = 200, E_A = 40: lq R1 A = (10/100)/(40/200) = 0.5
	 * traded: E_R1 = 40,  E = 100:          lq R1 A = (10/40)/(40/100) = 0.625
	 *         lq R2 B = (30/60)/(60/100) = 0.8333…; C is outside the base.
	 */
	static const double m[6] = { 10, 30, 60, 30, 30, 40 };
	struct indic_opts o = INDIC_OPTS_INIT;
	struct cube c;
	struct indic_result res;
	struct kerr e = KERR_INIT;

	tc_init(&c, 1, 2, 3, 2020);
	tc_fill(&c, 0, m);
	T_EQ_INT(indic_compute(&c, &o, &res, &e), 0);
	T_NEAR(res.lq[cube_at(&c, 0, 0, 0)], 0.5, 1e-12);
	indic_result_release(&res);

	o.base = INDIC_BASE_TRADED;
	T_EQ_INT(indic_compute(&c, &o, &res, &e), -1);   /* no flags */
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "traded") != NULL);
	T_OK(res.lq == NULL);

	c.traded = xcalloc(3, 1);
	c.traded[0] = c.traded[1] = c.traded[2] = -1;    /* flags "not given" */
	kerr_clear(&e);
	T_EQ_INT(indic_compute(&c, &o, &res, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);

	c.traded[0] = c.traded[1] = 1;
	c.traded[2] = 0;
	T_EQ_INT(indic_compute(&c, &o, &res, &e), 0);
	T_EQ_INT(res.base, INDIC_BASE_TRADED);
	T_NEAR(res.lq[cube_at(&c, 0, 0, 0)], 0.625, 1e-12);
	T_NEAR(res.lq[cube_at(&c, 0, 1, 1)], 0.5 / 0.6, 1e-12);
	T_NEAR(res.share_reg[cube_at(&c, 0, 0, 0)], 0.25, 1e-12);
	T_NEAR(res.E_r[0], 40, 1e-12);
	T_NEAR(res.E[0], 100, 1e-12);
	T_OK(isnan(res.lq[cube_at(&c, 0, 0, 2)]));
	T_OK(isnan(res.share_reg[cube_at(&c, 0, 0, 2)]));
	T_NEAR(res.share_ind[cube_at(&c, 0, 0, 2)], 0.6, 1e-12);
	T_EQ_INT(res.stars[cube_at(&c, 0, 0, 2)], 0);
	indic_result_release(&res);
	tc_free(&c);
}

T_TEST(nan_cells)
{
	/*
	 * R1 = [NaN, 20], R2 = [10, 10]: the NaN counts 0 in the sums,
	 * E_R1 = 20, E_R2 = 20, E_A = 10, E_B = 30, E = 40.
	 *   lq R1 A = NaN; lq R1 B = (20/20)/(30/40) = 4/3;
	 *   lq R2 A = (10/20)/(10/40) = 2; lq R2 B = (10/20)/(30/40) = 2/3.
	 */
	static const double m[4] = { NAN, 20, 10, 10 };
	struct cube c;
	struct indic_result res;
	struct indic_indices x;
	struct kerr e = KERR_INIT;

	tc_init(&c, 1, 2, 2, 2020);
	tc_fill(&c, 0, m);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), 0);
	T_OK(isnan(res.lq[cube_at(&c, 0, 0, 0)]));
	T_OK(isnan(res.share_reg[cube_at(&c, 0, 0, 0)]));
	T_OK(isnan(res.share_ind[cube_at(&c, 0, 0, 0)]));
	T_EQ_INT(res.stars[cube_at(&c, 0, 0, 0)], 0);
	T_EQ_INT(res.strong[cube_at(&c, 0, 0, 0)], 0);
	T_NEAR(res.lq[cube_at(&c, 0, 0, 1)], 4.0 / 3, 1e-12);
	T_NEAR(res.lq[cube_at(&c, 0, 1, 0)], 2, 1e-12);
	T_NEAR(res.lq[cube_at(&c, 0, 1, 1)], 2.0 / 3, 1e-12);
	/* R2 A: lq 2 -> spec star; the only non-NaN region of A -> size, focus */
	T_EQ_INT(res.stars[cube_at(&c, 0, 1, 0)], 3);
	indic_result_release(&res);

	/* indices count the NaN as 0: R1 = [0, 20] has HHI 1 */
	T_EQ_INT(indic_indices(&c, &x, &e), 0);
	T_NEAR(x.reg_hhi[0], 1, 1e-12);
	T_NEAR(x.reg_hhi[1], 0.5, 1e-12);
	indic_indices_release(&x);
	tc_free(&c);
}

T_TEST(errors)
{
	/* R2 has no employment in 2021 (zeros), R3 nothing at all in 2020 (NaN) */
	static const double y0[6] = { 10, 10, 5, 5, NAN, NAN };
	static const double y1[6] = { 10, 10, 0, 0, 3, 3 };
	struct cube c, empty;
	struct indic_result res;
	struct indic_indices x;
	struct indic_shift s;
	struct kerr e = KERR_INIT;

	tc_two_years(&c, 3, 2, 2020, 2021, y0, y1);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "R3") && strstr(e.msg, "2020"));
	T_OK(res.lq == NULL);
	c.emp[cube_at(&c, 0, 2, 0)] = 1;
	kerr_clear(&e);
	T_EQ_INT(indic_compute(&c, NULL, &res, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "R2") && strstr(e.msg, "2021"));
	kerr_clear(&e);
	/* indices: R2 without employment in 2021 has none there, and no part in the industries' */
	T_EQ_INT(indic_indices(&c, &x, &e), 0);
	T_OK(isnan(x.reg_hhi[1 * 3 + 1]) && isnan(x.reg_krugman[1 * 3 + 1]) && !isnan(x.reg_hhi[1 * 3 + 0]));
	/* industry 0 in 2021: 10 and 3 over R1 and R3, n = 2 (R2's 0 would make n = 3) */
	T_NEAR(x.ind_hhi[1 * 2 + 0], (100.0 + 9) / 169, 1e-12);
	T_NEAR(x.ind_hhi_norm[1 * 2 + 0], ((100.0 + 9) / 169 - 0.5) / 0.5, 1e-12);
	indic_indices_release(&x);

	kerr_clear(&e);
	T_EQ_INT(indic_shift_share(&c, 2015, 2021, &s, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "2015") && strstr(e.msg, "2020, 2021"));
	T_OK(s.ns == NULL);
	kerr_clear(&e);
	T_EQ_INT(indic_shift_share(&c, 2020, 2030, &s, &e), -1);
	T_OK(strstr(e.msg, "2030") != NULL);
	tc_free(&c);

	memset(&empty, 0, sizeof(empty));
	kerr_clear(&e);
	T_EQ_INT(indic_compute(&empty, NULL, &res, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
}

T_TEST(shift_share)
{
	/*
	 * 3 regions × A, B, no reference (the sum of the regions):
	 *   2010: R1 [100, 50], R2 [200, 150], R3 [ 0, 100]   E0 = 600
	 *   2020: R1 [120, 40], R2 [260, 150], R3 [30, 110]   E1 = 710
	 *   G = 110/600; G_A = (410 - 300)/300 = 11/30; G_B = 0.
	 * R1 A: NS = 100 × 11/60 = 18.333…, IM = 100 × (11/30 - 11/60) = 18.333…,
	 *       RS = 100 × (0.2 - 11/30) = -16.666…; sum 20 = 120 - 100.
	 * R3 A: e0 = 0: growth NaN, NS = IM = 0, RS = 30.
	 */
	static const double a[6] = { 100, 50, 200, 150, 0, 100 };
	static const double b[6] = { 120, 40, 260, 150, 30, 110 };
	struct cube c;
	struct indic_shift s;
	struct kerr e = KERR_INIT;
	size_t k;
	int ok = 1;

	tc_init(&c, 3, 3, 2, 2010);   /* years 2010, 2011, 2012 */
	c.year[2] = 2020;
	tc_fill(&c, 0, a);
	tc_fill(&c, 1, a);
	tc_fill(&c, 2, b);
	T_EQ_INT(indic_shift_share(&c, 2010, 2020, &s, &e), 0);
	T_EQ_INT(s.year0, 2010);
	T_EQ_INT(s.year1, 2020);
	T_NEAR(s.G, 110.0 / 600, 1e-12);
	T_NEAR(s.G_ind[0], 11.0 / 30, 1e-12);
	T_NEAR(s.G_ind[1], 0, 1e-12);
	T_NEAR(s.ns[0], 100 * 11.0 / 60, 1e-12);
	T_NEAR(s.im[0], 100 * (11.0 / 30 - 11.0 / 60), 1e-12);
	T_NEAR(s.rs[0], 100 * (0.2 - 11.0 / 30), 1e-12);
	T_NEAR(s.growth[0], 0.2, 1e-12);
	T_OK(isnan(s.growth[4]));
	T_NEAR(s.ns[4], 0, 1e-12);
	T_NEAR(s.im[4], 0, 1e-12);
	T_NEAR(s.rs[4], 30, 1e-12);
	/* the identity NS + IM + RS = e1 - e0, every cell */
	for (k = 0; k < 6; k++)
		if (fabs(s.ns[k] + s.im[k] + s.rs[k] - (b[k] - a[k])) > 1e-12 * fmax(1, fabs(b[k] - a[k])))
			ok = 0;
	T_OK(ok);
	/* and the regional shifts of an industry add up to zero when the
	 * reference is the sum of the regions */
	T_NEAR(s.rs[0] + s.rs[2] + s.rs[4], 0, 1e-9);
	indic_shift_release(&s);
	indic_shift_release(&s);

	/* a NaN cell gives NaN components; the others are unaffected */
	c.emp[cube_at(&c, 2, 0, 1)] = NAN;
	T_EQ_INT(indic_shift_share(&c, 2010, 2020, &s, &e), 0);
	T_OK(isnan(s.ns[1]) && isnan(s.im[1]) && isnan(s.rs[1]) && isnan(s.growth[1]));
	T_NEAR(s.ns[0] + s.im[0] + s.rs[0], 20, 1e-12);
	indic_shift_release(&s);

	/* with a reference economy: A 1000 -> 1100, B 1000 -> 1000:
	 * G = 0.05, G_A = 0.1; R1 A: NS 5, IM 5, RS 10 */
	c.emp[cube_at(&c, 2, 0, 1)] = 40;
	c.ref = xcalloc(6, sizeof(*c.ref));
	c.ref[0] = c.ref[1] = c.ref[2] = c.ref[3] = c.ref[5] = 1000;
	c.ref[4] = 1100;
	T_EQ_INT(indic_shift_share(&c, 2010, 2020, &s, &e), 0);
	T_NEAR(s.G, 0.05, 1e-12);
	shift_cell_is(&s, 0, 5, 5, 10);
	indic_shift_release(&s);

	/* B unknown in the reference in 2020 only: it counts at the regions' own (300 and 300) in
	 * both totals, G = (1400 - 1300) / 1300 — not its 1000 of 2010 against its regions' 300 of
	 * 2020, G = (1400 - 2000) / 2000, a fall that is only a value missing */
	c.ref[5] = NAN;
	T_EQ_INT(indic_shift_share(&c, 2010, 2020, &s, &e), 0);
	T_NEAR(s.G, 100.0 / 1300, 1e-12);
	T_NEAR(s.G_ind[0], 0.1, 1e-12);
	T_OK(isnan(s.G_ind[1]) && isnan(s.ns[1]));
	T_NEAR(s.ns[0] + s.im[0] + s.rs[0], 20, 1e-12);
	indic_shift_release(&s);
	tc_free(&c);
}

int main(void)
{
	T_RUN(lq_scalar);
	T_RUN(lq_matrix);
	T_RUN(ellison_glaeser);
	T_RUN(sort_as_qsort);
	T_RUN(krugman);
	T_RUN(herfindahl);
	T_RUN(herfindahl_by_year);
	T_RUN(indices_zero_is_zero);
	T_RUN(gini);
	T_RUN(quantile7);
	T_RUN(stars);
	T_RUN(stars_exact_tenth);
	T_RUN(ties_of_decimals);
	T_RUN(strong_rule);
	T_RUN(strong_unknown_establishments);
	T_RUN(reference_vs_sum);
	T_RUN(indices_unknown_reference);
	T_RUN(reference_industry_of_year);
	T_RUN(traded_base);
	T_RUN(nan_cells);
	T_RUN(errors);
	T_RUN(shift_share);
	T_RUN(shift_share_missing_cell);
	T_RUN(shift_share_nothing_known_in_both);
	T_RUN(shift_share_no_negative_zero);
	T_RUN(shift_share_industry_from_nothing);
	T_RUN(shift_share_reference_industry_of_neither_year);
	return t_done();
}
