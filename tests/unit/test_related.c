/* test_related.c — co-location, proximity, relatedness density and groups
 * of related industries (related.h), on hand-computed cases. */
#include "t.h"

#include <math.h>

#include "buf.h"
#include "cube.h"
#include "related.h"

#include "tcube.h"

/*
 * Four regions × three industries:
 *          I1   I2   I3      E_r
 *   R1     10   10    0       20
 *   R2     10    0   10       20
 *   R3      0   10   10       20
 *   R4     20   20   20       60
 *   E_i    40   40   40      120
 * LQ_ri = (e_ri/E_r)/(E_i/E) = e_ri/E_r × 3: R1 → 1.5, 1.5, 0; R2 → 1.5, 0, 1.5;
 * R3 → 0, 1.5, 1.5; R4 → 1, 1, 1.  So M (LQ ≥ 1) is
 *   R1: 1 1 0   R2: 1 0 1   R3: 0 1 1   R4: 1 1 1
 * Each industry has RCA in 3 regions; each pair shares 2 (one of R1..R3, and R4):
 * φ_ij = 2 / max(3, 3) = 2/3 for every i ≠ j.
 * Density of R1 to I3: Σ_{j≠3} M_1j φ_3j / Σ φ_3j = (2/3 + 2/3) / (4/3) = 1 → 100;
 * of R1 to I1: (M_12 φ + M_13 φ) / (2φ) = (1 + 0) / 2 → 50.
 */
T_TEST(proximity_density)
{
	static const double v[] = { 10, 10, 0, 10, 0, 10, 0, 10, 10, 20, 20, 20 };
	struct cube c;
	struct related rel;
	struct kerr e = KERR_INIT;
	tc_init(&c, 1, 4, 3, 2020);
	tc_fill(&c, 0, v);
	T_EQ_INT(related_compute(&c, 0, &rel, &e), 0);
	T_NEAR(rel.proximity[0 * 3 + 1], 2.0 / 3, 1e-12);
	T_NEAR(rel.proximity[1 * 3 + 2], 2.0 / 3, 1e-12);
	T_NEAR(rel.proximity[2 * 3 + 0], 2.0 / 3, 1e-12);
	T_NEAR(rel.proximity[1 * 3 + 1], 1.0, 1e-12);
	T_NEAR(rel.density[0 * 3 + 2], 100.0, 1e-12);   /* R1 to I3 */
	T_NEAR(rel.density[0 * 3 + 0], 50.0, 1e-12);    /* R1 to I1 */
	T_NEAR(rel.density[3 * 3 + 1], 100.0, 1e-12);   /* R4 has every industry */
	T_NEAR(rel.rca[0 * 3 + 0], 1.5, 1e-12);         /* the LQs above */
	T_NEAR(rel.rca[0 * 3 + 2], 0.0, 1e-12);
	T_NEAR(rel.rca[3 * 3 + 1], 1.0, 1e-12);
	T_EQ_INT(rel.year, 2020);
	related_release(&rel);
	tc_free(&c);
}

/*
 * A cell without a value (NAN, as a confidential one): the first case with
 * R3's I1 unknown.  The totals count it as 0, so they and the LQs of the
 * known cells are as before; but R3's share and RCA in I1 are not known,
 * so pairs with I1 are compared over R1, R2, R4 only:
 *   shares over R1, R2, R4: I1 = (.25, .25, .5), I2 = (.25, 0, .5)
 *   means 1/3 and 1/4; deviations I1 (−1/12, −1/12, 1/6), I2 (0, −1/4, 1/4)
 *   Σab = 1/16, Σa² = 1/24, Σb² = 1/8: r = (1/16) / √(1/192) = √3 / 2
 * (counting the unknown cell as 0 would give 0.5).  I2 and I3, known in
 * every region, keep r = 0.5 over all four.  R3's density to I2 leaves I1
 * out: M_R3,I3 φ / φ = 100 (as 0 it would be 50).  φ(I1, I2) over R1, R2,
 * R4: RCA in I1 at 3, in I2 at 2, both at 2: 2/3.
 */
T_TEST(unknown_cell)
{
	const double v[] = { 10, 10, 0, 10, 0, 10, NAN, 10, 10, 20, 20, 20 };
	struct cube c;
	struct related rel;
	struct kerr e = KERR_INIT;
	tc_init(&c, 1, 4, 3, 2020);
	tc_fill(&c, 0, v);
	T_EQ_INT(related_compute(&c, 0, &rel, &e), 0);
	T_NEAR(rel.colocation[0 * 3 + 1], sqrt(3.0) / 2, 1e-12);
	T_NEAR(rel.colocation[1 * 3 + 0], sqrt(3.0) / 2, 1e-12);
	T_NEAR(rel.colocation[1 * 3 + 2], 0.5, 1e-12);
	T_NEAR(rel.proximity[0 * 3 + 1], 2.0 / 3, 1e-12);
	T_NEAR(rel.density[2 * 3 + 1], 100.0, 1e-12);   /* R3 to I2 */
	T_NEAR(rel.density[2 * 3 + 0], 100.0, 1e-12);   /* R3 to I1: I2 and I3 known, both RCA */
	T_OK(isnan(rel.rca[2 * 3 + 0]));                  /* R3's I1 is not known */
	T_NEAR(rel.rca[2 * 3 + 1], 1.5, 1e-12);
	T_EQ_INT((long)rel.unknown, 1);
	T_EQ_INT((long)rel.first_unknown, 2 * 3 + 0);
	related_release(&rel);
	tc_free(&c);
}

/*
 * A pair known in only two regions: the first case with I1 unknown in R2
 * and R3.  I1 and I2 are both known in R1 and R4 only, where any two
 * varying shares correlate ±1: no co-location (RELATED_MIN_REGIONS); I2
 * and I3, known in all four, keep theirs (0.5, as in the first case's
 * data: shares I2 (.25, 0, .25, .5), I3 (0, .25, .25, .5)).
 */
T_TEST(colocation_two_regions)
{
	const double v[] = { 10, 10, 0, NAN, 0, 10, NAN, 10, 10, 20, 20, 20 };
	struct cube c;
	struct related rel;
	struct kerr e = KERR_INIT;
	tc_init(&c, 1, 4, 3, 2020);
	tc_fill(&c, 0, v);
	T_EQ_INT(related_compute(&c, 0, &rel, &e), 0);
	T_OK(isnan(rel.colocation[0 * 3 + 1]));
	T_OK(isnan(rel.colocation[1 * 3 + 0]));
	T_OK(isnan(rel.colocation[0 * 3 + 2]));
	T_NEAR(rel.colocation[1 * 3 + 2], 0.5, 1e-12);
	T_NEAR(rel.colocation[0 * 3 + 0], 1.0, 1e-12);
	related_release(&rel);
	tc_free(&c);
}

/*
 * Co-location: the shares of I1 and I2 over four regions are equal
 * (correlation 1), I3's are their mirror image (correlation −1):
 *   I1: 10 20 30 40   I2: 1 2 3 4   I3: 40 30 20 10
 * shares s_ri = e_ri / E_i: I1 = I2 = (.1, .2, .3, .4), I3 = (.4, .3, .2, .1).
 */
T_TEST(colocation)
{
	static const double v[] = { 10, 1, 40, 20, 2, 30, 30, 3, 20, 40, 4, 10 };
	struct cube c;
	struct related rel;
	struct kerr e = KERR_INIT;
	tc_init(&c, 1, 4, 3, 2020);
	tc_fill(&c, 0, v);
	T_EQ_INT(related_compute(&c, 0, &rel, &e), 0);
	T_NEAR(rel.colocation[0 * 3 + 1], 1.0, 1e-12);
	T_NEAR(rel.colocation[0 * 3 + 2], -1.0, 1e-12);
	T_NEAR(rel.colocation[2 * 3 + 1], -1.0, 1e-12);
	T_NEAR(rel.colocation[1 * 3 + 1], 1.0, 1e-12);
	related_release(&rel);
	tc_free(&c);
}

/*
 * A share vector that does not vary has no correlation with anything: r = Σab / √(Σa² Σb²)
 * with Σb² = 0 is 0/0.  Five regions, I2 employs 10 in each (shares 0.2 everywhere), I1 is
 * known in R1–R3 only (5, 20, 30; R4, R5 missing), so the pair is compared over R1–R3, where
 * I2's shares are (0.2, 0.2, 0.2).  Their mean in floating point is 0.20000000000000004, so
 * the deviations were not 0 and the correlation came out as −4.95e-17 (numpy's corrcoef gives
 * the same rounding) instead of empty; a positive one of that size is an edge of the groups'
 * graph.  I1 with itself stays 1.
 */
T_TEST(colocation_constant)
{
	const double v[] = { 5, 10, 20, 10, 30, 10, NAN, 10, NAN, 10 };
	struct cube c;
	struct related rel;
	struct kerr e = KERR_INIT;
	tc_init(&c, 1, 5, 2, 2020);
	tc_fill(&c, 0, v);
	T_EQ_INT(related_compute(&c, 0, &rel, &e), 0);
	T_OK(isnan(rel.colocation[0 * 2 + 1]));
	T_OK(isnan(rel.colocation[1 * 2 + 0]));
	T_NEAR(rel.colocation[0 * 2 + 0], 1.0, 1e-12);
	T_NEAR(rel.colocation[1 * 2 + 1], 1.0, 1e-12);
	related_release(&rel);
	tc_free(&c);
}

/* Two blocks of three items, similar within (0.8–0.9) and not across
 * (−0.2 to 0.05): the groups are the blocks and every item is closer to
 * its own group, so the score is 1. */
T_TEST(groups)
{
	double sim[36];
	int group[6], ng;
	double score, mod;
	struct kerr e = KERR_INIT;
	size_t i, j;
	for (i = 0; i < 6; i++)
		for (j = 0; j < 6; j++)
			sim[i * 6 + j] = i == j ? 1.0 : ((i < 3) == (j < 3) ? 0.8 + 0.05 * (double)((i + j) % 3) : (i + j) % 2 ? 0.05 : -0.2);
	T_EQ_INT(related_groups(sim, 6, group, &ng, &score, &mod, &e), 0);
	T_EQ_INT(ng, 2);
	T_OK(group[0] == group[1] && group[1] == group[2]);
	T_OK(group[3] == group[4] && group[4] == group[5]);
	T_OK(group[0] != group[3]);
	T_EQ_INT(group[0], 0);     /* numbered by first appearance */
	T_NEAR(score, 1.0, 1e-12);
	T_OK(mod > 0.3);
	/* a seventh item related to nothing is a group of its own, not scored: still 1 */
	{
		double sim7[49];
		int group7[7];
		for (i = 0; i < 7; i++)
			for (j = 0; j < 7; j++)
				sim7[i * 7 + j] = i == j ? 1.0 : i == 6 || j == 6 ? -0.3 : sim[i * 6 + j];
		T_EQ_INT(related_groups(sim7, 7, group7, &ng, &score, &mod, &e), 0);
		T_EQ_INT(ng, 3);
		T_NEAR(score, 1.0, 1e-12);
	}
	/* three items pairwise unrelated: three singletons, no score (was 1) */
	{
		double sim3[9] = { 1, -0.5, -0.4, -0.5, 1, -0.6, -0.4, -0.6, 1 };
		int group3[3];
		T_EQ_INT(related_groups(sim3, 3, group3, &ng, &score, &mod, &e), 0);
		T_EQ_INT(ng, 3);
		T_OK(isnan(score));
	}
	/* one group of three and an item whose similarities are unknown (NAN, a constant share
	 * vector): nothing to compare the group with, no score (was 1, the unknowns taken as 0) */
	{
		double simn[16];
		int groupn[4];
		for (i = 0; i < 4; i++)
			for (j = 0; j < 4; j++)
				simn[i * 4 + j] = i == j ? 1.0 : i == 3 || j == 3 ? NAN : 0.9;
		T_EQ_INT(related_groups(simn, 4, groupn, &ng, &score, &mod, &e), 0);
		T_OK(groupn[0] == groupn[1] && groupn[1] == groupn[2]);
		T_OK(isnan(score));
	}
}

/* An industry without employment in the year (grp.csv of a review: u is 0 everywhere) is
 * left out of the groups (group -1), the others grouped and, with no other group, unscored. */
T_TEST(groups_without_employment)
{
	static const double v[16] = { 10, 22, 31, 0, 20, 38, 62, 0, 40, 85, 118, 0, 80, 160, 242, 0 };
	struct cube c;
	struct related rel;
	struct kerr e = KERR_INIT;
	tc_init(&c, 1, 4, 4, 2021);
	tc_fill(&c, 0, v);
	T_EQ_INT(related_compute(&c, 0, &rel, &e), 0);
	T_EQ_INT(rel.group[3], -1);
	T_EQ_INT((long long)rel.ungrouped, 1);
	T_EQ_INT(rel.ngroups, 1);
	T_OK(rel.group[0] == 0 && rel.group[1] == 0 && rel.group[2] == 0);
	T_OK(isnan(rel.group_score));
	T_OK(rel.modularity == 0 && !signbit(rel.modularity));
	related_release(&rel);
	tc_free(&c);
}

T_TEST(errors)
{
	static const double v[] = { 0, 0, 5, 5 };
	struct cube c;
	struct related rel;
	struct kerr e = KERR_INIT;
	tc_init(&c, 1, 2, 2, 2021);
	tc_fill(&c, 0, v);
	T_EQ_INT(related_compute(&c, 0, &rel, &e), -1);
	T_OK(strstr(e.msg, "R1") && strstr(e.msg, "2021"));
	T_EQ_INT(related_compute(&c, 5, &rel, &e), -1);
	tc_free(&c);
}

/* Relatedness of one industry has no pair: it is an input error naming the industry and the
 * year, not an empty table of pairs, a density of nothing and a "group" of one. */
T_TEST(one_industry)
{
	static const double one[] = { 10, 5 };
	struct cube c;
	struct related rel;
	struct kerr e = KERR_INIT;
	tc_init(&c, 1, 2, 1, 2021);
	tc_fill(&c, 0, one);
	T_EQ_INT(related_compute(&c, 0, &rel, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "the data has one industry (") && strstr(e.msg, " in 2021") &&
	     strstr(e.msg, "no pair to relate"));
	T_OK(!rel.colocation && !rel.density && !rel.group);
	kerr_clear(&e);
	tc_free(&c);
}

int main(void)
{
	T_RUN(proximity_density);
	T_RUN(colocation);
	T_RUN(colocation_constant);
	T_RUN(unknown_cell);
	T_RUN(colocation_two_regions);
	T_RUN(groups);
	T_RUN(groups_without_employment);
	T_RUN(errors);
	T_RUN(one_industry);
	return t_done();
}
