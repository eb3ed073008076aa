/* related.c — co-location, proximity, relatedness density, groups (see related.h). */
#include "related.h"

#include <igraph.h>
#include <math.h>

#include "buf.h"
#include "indic.h"

/* A cell's employment in the totals: a NAN cell counts as 0 there. */
static double cell(const struct cube *c, size_t y, size_t r, size_t i)
{
	double v = c->emp[cube_at(c, y, r, i)];
	return isnan(v) ? 0.0 : v;
}

void related_release(struct related *r)
{
	free(r->colocation);
	free(r->proximity);
	free(r->density);
	free(r->rca);
	free(r->group);
	memset(r, 0, sizeof(*r));
}

void related_copy(struct related *dst, const struct related *src)
{
	size_t sq = st_mult(src->nind, src->nind), rc = st_mult(src->nreg, src->nind);
	*dst = *src;
	dst->colocation = xmemdup(src->colocation, sq, sizeof(double));
	dst->proximity = xmemdup(src->proximity, sq, sizeof(double));
	dst->density = xmemdup(src->density, rc, sizeof(double));
	dst->rca = xmemdup(src->rca, rc, sizeof(double));
	dst->group = xmemdup(src->group, src->nind, sizeof(int));
}

size_t related_bytes(const struct related *r)
{
	return sizeof(*r) + (2 * r->nind * r->nind + 2 * r->nreg * r->nind) * sizeof(double) + r->nind * sizeof(int);
}

int related_groups(const double *sim, size_t n, int *group, int *ngroups, double *score,
		   double *modularity, struct kerr *e)
{
	igraph_t g;
	igraph_vector_int_t edges, membership;
	igraph_vector_t weights, mod;
	size_t i, j, k = 0, nedges = 0;
	int rc = -1, next = 0, *renum = NULL;

	*ngroups = 0;
	*score = NAN;
	*modularity = NAN;
	if (n == 0)
		return kerr_set(e, KERR_INPUT, "no industries to group");
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (sim[i * n + j] > 0)
				nedges++;
	igraph_vector_int_init(&edges, (igraph_integer_t)(2 * nedges));
	igraph_vector_init(&weights, (igraph_integer_t)nedges);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (sim[i * n + j] > 0) {
				VECTOR(edges)[2 * k] = (igraph_integer_t)i;
				VECTOR(edges)[2 * k + 1] = (igraph_integer_t)j;
				VECTOR(weights)[k] = sim[i * n + j];
				k++;
			}
	igraph_vector_int_init(&membership, 0);
	igraph_vector_init(&mod, 0);
	/* Louvain visits nodes in a random order: a fixed seed makes the
	 * groups repeatable from run to run */
	igraph_rng_seed(igraph_rng_default(), 20160101);
	if (igraph_create(&g, &edges, (igraph_integer_t)n, IGRAPH_UNDIRECTED) != IGRAPH_SUCCESS) {
		kerr_set(e, KERR_INTERNAL, "igraph: cannot build the co-location graph");
		goto out_nograph;
	}
	if (igraph_community_multilevel(&g, nedges ? &weights : NULL, 1.0, &membership, NULL, &mod) !=
	    IGRAPH_SUCCESS) {
		kerr_set(e, KERR_INTERNAL, "igraph: community detection failed");
		goto out;
	}
	/* number the groups by the first industry in each */
	renum = xmalloc(st_mult(n, sizeof(*renum)));
	for (i = 0; i < n; i++)
		renum[i] = -1;
	for (i = 0; i < n; i++) {
		igraph_integer_t m = VECTOR(membership)[i];
		if (renum[m] < 0)
			renum[m] = next++;
		group[i] = renum[m];
	}
	*ngroups = next;
	*modularity = igraph_vector_size(&mod) ? VECTOR(mod)[igraph_vector_size(&mod) - 1] : NAN;
	if (fabs(*modularity) < 1e-12)
		*modularity = 0;   /* no structure, not -8.8e-16 */
	/* score: an industry is well placed when its mean similarity to the
	 * other members of its group beats its mean similarity to every other
	 * group.  A lone industry is not scored (it has no group to be close
	 * to: counting it as well placed made a grouping into singletons score
	 * 1); nor is one whose similarity to every other group is unknown (NAN:
	 * nothing to beat).  Means are over the known similarities; without any
	 * industry scored the score is NAN. */
	{
		double *sum = xcalloc((size_t)next, sizeof(double));
		size_t *cnt = xcalloc((size_t)next, sizeof(size_t));
		size_t good = 0, scored = 0;
		for (i = 0; i < n; i++) {
			int gi = group[i], h, ok = 1, others;
			double own;
			memset(sum, 0, (size_t)next * sizeof(double));
			memset(cnt, 0, (size_t)next * sizeof(size_t));
			for (j = 0; j < n; j++) {
				double s = sim[i * n + j];
				if (j == i || isnan(s))
					continue;
				sum[group[j]] += s;
				cnt[group[j]]++;
			}
			if (!cnt[gi])
				continue;
			own = sum[gi] / (double)cnt[gi];
			for (h = 0, others = 0; h < next; h++)
				if (h != gi && cnt[h]) {
					others++;
					if (sum[h] / (double)cnt[h] >= own)
						ok = 0;
				}
			if (!others)
				continue;
			good += (size_t)ok;
			scored++;
		}
		*score = scored ? (double)good / (double)scored : NAN;
		free(sum);
		free(cnt);
	}
	rc = 0;
out:
	igraph_destroy(&g);
out_nograph:
	free(renum);
	igraph_vector_int_destroy(&edges);
	igraph_vector_destroy(&weights);
	igraph_vector_int_destroy(&membership);
	igraph_vector_destroy(&mod);
	return rc;
}

int related_compute(const struct cube *c, size_t y, struct related *out, struct kerr *e)
{
	size_t R = c->nreg, I = c->nind, Rin = 0, r, i, j;
	double *share = NULL, *Ei = NULL, *Er = NULL, E = 0, Eref;
	unsigned char *M = NULL, *K = NULL, *KM = NULL;
	char yin[32] = "";

	memset(out, 0, sizeof(*out));
	if (y < c->nyear && c->year[y])
		snprintf(yin, sizeof(yin), " in %d", c->year[y]);
	if (y >= c->nyear || !R || !I)
		return kerr_set(e, KERR_INPUT, "no data for relatedness (empty cube or no such year)");
	out->nreg = R;
	out->nind = I;
	out->year = c->year[y];
	Ei = xcalloc(I, sizeof(*Ei));
	Er = xcalloc(R, sizeof(*Er));
	for (r = 0; r < R; r++)
		for (i = 0; i < I; i++) {
			double v = cell(c, y, r, i);
			Ei[i] += v;
			Er[r] += v;
			E += v;
		}
	for (r = 0; r < R; r++) {
		if (cube_absent(c, y, r))
			continue;
		Rin++;
		if (Er[r] <= 0 && !*cube_src(c, y, r)) {
			/* no row at all that year: as map indicators says it (indic_compute) */
			kerr_set(e, KERR_INPUT, "region %s has no rows%s (no employment): give its rows of that year, "
				 "or leave the region out (--skip-invalid leaves out a region without employment in a "
				 "year)", c->reg[r], yin);
			goto fail;
		}
		if (Er[r] <= 0) {
			kerr_set(e, KERR_INPUT, "%s%s%s%s%sregion %s has no employment%s: relatedness is undefined there",
				 cube_src(c, y, r), cube_src_sep(c, y, r), *cube_src(c, y, r) ? "column " : "",
				 *cube_src(c, y, r) ? cube_emp_col(c, y) : "", *cube_src(c, y, r) ? ": " : "",
				 c->reg[r], yin);
			goto fail;
		}
	}
	if (!Rin) {
		kerr_set(e, KERR_INPUT, "no region has employment%s: relatedness is undefined", yin);
		goto fail;
	}
	if (I == 1) {
		/* relatedness is between industries: of one there is no pair, no density and no grouping,
		 * and an empty table of pairs would pass for a result */
		kerr_set(e, KERR_INPUT, "the data has one industry (%s)%s: relatedness compares industries, and there "
			 "is no pair to relate; give data of two industries or more", c->ind[0], yin);
		goto fail;
	}
	/* shares of each industry's employment by region, and RCA ≥ 1; a cell without a value
	 * (confidential, missing) or of an absent region is not known (K 0): it has neither.
	 * The RCA is the LQ of map indicators: against the reference economy when the cube has
	 * one (an industry the reference leaves unknown has no RCA: KM 0), else the regions' sum */
	share = xcalloc(st_mult(I, R), sizeof(*share));
	M = xcalloc(st_mult(R, I), 1);
	K = xcalloc(st_mult(R, I), 1);
	KM = xcalloc(st_mult(R, I), 1);
	Eref = indic_reference_total(c, y);
	out->rca = xmalloc(st_mult(st_mult(R, I), sizeof(double)));
	for (r = 0; r < R * I; r++)
		out->rca[r] = NAN;
	out->first_unknown = (size_t)-1;
	for (i = 0; i < I; i++) {
		double Ri = indic_reference_emp(c, y, i);
		int of_year = cube_industry_in_year(c, y, i);   /* once per industry: it scans the regions */
		for (r = 0; r < R; r++) {
			double v = c->emp[cube_at(c, y, r, i)];
			if (cube_absent(c, y, r))
				continue;   /* its share is not used, it has no RCA */
			if (isnan(v)) {
				/* counted as map indicators counts them: an industry with no value in any
				 * region this year is no industry of the year (it has no pairs to leave out) */
				if (of_year && !out->unknown++)   /* the first by industry, then region */
					out->first_unknown = r * I + i;
				continue;
			}
			K[r * I + i] = 1;
			share[i * R + r] = Ei[i] > 0 ? v / Ei[i] : 0;
			if (isnan(Ri))
				continue;
			KM[r * I + i] = 1;
			out->rca[r * I + i] = Ri > 0 ? indic_lq(v, Er[r], Ri, Eref) : NAN;
			if (Ri > 0 && indic_binary(out->rca[r * I + i], 1.0) == 1.0)
				M[r * I + i] = 1;
		}
	}
	out->colocation = xmalloc(st_mult(st_mult(I, I), sizeof(double)));
	out->proximity = xmalloc(st_mult(st_mult(I, I), sizeof(double)));
	for (i = 0; i < I; i++)
		for (j = i; j < I; j++) {
			/* over the regions where both cells are known (all the regions of the year when
			 * none is missing): the Pearson correlation of the two share vectors, and the
			 * conditional probabilities of RCA ≥ 1 */
			double mi = 0, mj = 0, sij = 0, sii = 0, sjj = 0, corr;
			size_t both = 0, ni = 0, nj = 0, n = 0, mx;
			/* whether each vector varies over these regions: one that does not has no
			 * correlation (0/0), though the rounding of its mean leaves deviations of 1e-17 */
			int vi = 0, vj = 0;
			double fi = 0, fj = 0;
			for (r = 0; r < R; r++) {
				if (!K[r * I + i] || !K[r * I + j])
					continue;
				if (!n) {
					fi = share[i * R + r];
					fj = share[j * R + r];
				}
				vi |= share[i * R + r] != fi;
				vj |= share[j * R + r] != fj;
				mi += share[i * R + r];
				mj += share[j * R + r];
				n++;
			}
			if (n) {
				mi /= (double)n;
				mj /= (double)n;
			}
			for (r = 0; r < R; r++) {
				double a = share[i * R + r] - mi, b = share[j * R + r] - mj;
				if (!K[r * I + i] || !K[r * I + j])
					continue;
				sij += a * b;
				sii += a * a;
				sjj += b * b;
				if (!KM[r * I + i] || !KM[r * I + j])
					continue;
				both += M[r * I + i] && M[r * I + j];
				ni += M[r * I + i];
				nj += M[r * I + j];
			}
			/* over fewer than RELATED_MIN_REGIONS regions a correlation says nothing (two
			 * varying shares over two regions correlate ±1 whatever they are) */
			corr = n >= RELATED_MIN_REGIONS && vi && vj && sii > 0 && sjj > 0 ? sij / sqrt(sii * sjj) : NAN;
			out->colocation[i * I + j] = out->colocation[j * I + i] = i == j ? 1.0 : corr;
			mx = ni > nj ? ni : nj;
			out->proximity[i * I + j] = out->proximity[j * I + i] =
				isnan(indic_reference_emp(c, y, i)) || isnan(indic_reference_emp(c, y, j))
					? NAN   /* an industry without an RCA anywhere: not measured, not 0 */
					: mx ? (double)both / (double)mx : 0.0;
		}
	out->density = xmalloc(st_mult(st_mult(R, I), sizeof(double)));
	for (r = 0; r < R; r++)
		for (i = 0; i < I; i++) {
			double num = 0, den = 0;
			if (cube_absent(c, y, r)) {
				out->density[r * I + i] = NAN;
				continue;
			}
			for (j = 0; j < I; j++) {
				if (j == i || !KM[r * I + j])
					continue;   /* whether r has RCA in j is not known */
				den += out->proximity[i * I + j];
				num += M[r * I + j] * out->proximity[i * I + j];
			}
			out->density[r * I + i] = den > 0 ? 100.0 * num / den : NAN;
		}
	out->group = xcalloc(I, sizeof(*out->group));
	{
		/* the industries with employment that year are grouped: one without any has no
		 * co-location with anything and would stand as a group of its own */
		size_t *at = xcalloc(I, sizeof(*at)), n = 0, a, b;
		double *sub;
		int *g, bad;
		for (i = 0; i < I; i++) {
			out->group[i] = -1;
			if (Ei[i] > 0)
				at[n++] = i;
		}
		out->ungrouped = I - n;
		if (n == 0) {
			free(at);
			kerr_set(e, KERR_INPUT, "no industry has employment%s: nothing to group", yin);
			goto fail;
		}
		sub = xcalloc(st_mult(n, n), sizeof(*sub));
		g = xcalloc(n, sizeof(*g));
		for (a = 0; a < n; a++)
			for (b = 0; b < n; b++)
				sub[a * n + b] = out->colocation[at[a] * I + at[b]];
		bad = related_groups(sub, n, g, &out->ngroups, &out->group_score, &out->modularity, e);
		for (a = 0; a < n && !bad; a++)
			out->group[at[a]] = g[a];
		free(sub);
		free(g);
		free(at);
		if (bad)
			goto fail;
	}
	free(share);
	free(M);
	free(K);
	free(KM);
	free(Ei);
	free(Er);
	return 0;
fail:
	free(share);
	free(M);
	free(K);
	free(KM);
	free(Ei);
	free(Er);
	related_release(out);
	return -1;
}
