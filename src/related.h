/*
 * related.h — relatedness between industries and of regions to
 * industries, from one year of a cube (cube.h):
 *
 *   co-location  Pearson correlation, across regions, of two industries'
 *                regional shares s_ri = e_ri / E_i (Delgado, Porter and
 *                Stern 2016 use co-location of employment); not known (NAN)
 *                over fewer than RELATED_MIN_REGIONS regions;
 *   proximity    φ_ij = min(P(RCA_i ≥ 1 | RCA_j ≥ 1), P(RCA_j ≥ 1 | RCA_i ≥ 1))
 *                = |{r: both}| / max(|{r: i}|, |{r: j}|)  (Hidalgo et al.
 *                2007), with RCA the location quotient of map indicators:
 *                against the cube's reference economy when it has one
 *                (indic_reference_emp, indic_reference_total), else the
 *                regions' sum;
 *   density      relatedness density of region r to industry i, 0–100:
 *                100 Σ_{j≠i} M_rj φ_ij / Σ_{j≠i} φ_ij, M_rj = [LQ_rj ≥ 1]
 *                (as EconGeo's relatedness.density);
 *   groups       clusters of related industries: communities (igraph's
 *                multilevel / Louvain, fixed seed) of the graph whose edge
 *                weights are the positive co-location correlations, scored
 *                by the share of industries whose mean similarity to their
 *                own group is higher than to any other group (over the
 *                known similarities; an industry without employment in the
 *                year is left out of the groups).
 *
 * A NAN cell (confidential or missing) counts as 0 in the totals E_i, E_r,
 * E, but its share and its RCA are not known: a pair of industries is
 * compared over the regions where both cells are known (co-location and
 * proximity pair by pair, as a correlation with pairwise deletion), and a
 * region's density leaves out the industries whose cell there is unknown.
 * An industry the reference economy leaves unknown has no RCA anywhere
 * (as it has no LQ): it takes part in co-location, its proximities are
 * NAN (not measured, rather than 0), and densities leave it out.
 * Without NAN cells this is the plain definition over all the regions.
 * A region absent from the year (cube.h) takes no part: its density is
 * NAN.  Any other region with no employment that year is an error.  Matrices are nind × nind, row-major; density is
 * nreg × nind.  Results belong to the caller (related_release).
 */
#ifndef KLASTER_RELATED_H
#define KLASTER_RELATED_H

#include "cube.h"
#include "err.h"

/* The fewest regions, known for both industries, a co-location is computed over. */
#define RELATED_MIN_REGIONS 3

struct related {
	size_t nreg, nind;
	int year;
	double *colocation;     /* nind × nind, NAN where a share vector is constant */
	double *proximity;      /* nind × nind, diagonal 1 (0 when i has no RCA anywhere; NAN for an
				   industry the reference leaves unknown) */
	double *density;        /* nreg × nind */
	double *rca;            /* nreg × nind: the LQ whose RCA ≥ 1 the proximities and densities read (NAN
				   where the cell, the region or the industry's reference is not known) */
	int *group;             /* nind: 0.. group of each industry; -1: no employment that year, not grouped */
	int ngroups;
	size_t ungrouped;       /* industries without employment that year (group -1) */
	double group_score;     /* share of the industries in groups of 2+ closer to their own group, 0–1; NAN: none */
	double modularity;
	size_t unknown;         /* NAN cells of regions in the year, of industries of the year (cube_industry_in_year), left out pair by pair */
	size_t first_unknown;   /* the first of them (r * nind + i), or (size_t)-1 */
};

/* Computes everything for year index y of the cube (see cube_year). */
int related_compute(const struct cube *c, size_t y, struct related *out, struct kerr *e);
void related_release(struct related *r);
/* dst (its own arrays) as a copy of src; dst's former contents are not released. */
void related_copy(struct related *dst, const struct related *src);
/* What r takes in memory, roughly (its arrays). */
size_t related_bytes(const struct related *r);

/* Communities of a similarity matrix (n × n, symmetric; only positive
 * off-diagonal entries become edges) and their score as above; group[]
 * gets the community of each item, numbered by first appearance. */
int related_groups(const double *sim, size_t n, int *group, int *ngroups, double *score,
		   double *modularity, struct kerr *e);

#endif
