/*
 * tcube.h — a hand-built cube (cube.h) for the analytics unit tests:
 * tc_init allocates one with regions R1.., industries I1.. and years from
 * year0, employment all zero; tc_fill sets one year from a row-major
 * nreg × nind table; tc_free frees what the tests allocated.  It does not
 * use cube.c, so the indicator tests do not depend on the readers.
 */
#ifndef KLASTER_TCUBE_H
#define KLASTER_TCUBE_H

#include "buf.h"
#include "cube.h"


static void tc_init(struct cube *c, size_t nyear, size_t nreg, size_t nind, int year0)
{
	size_t k;
	char tmp[32];
	memset(c, 0, sizeof(*c));
	c->nyear = nyear;
	c->nreg = nreg;
	c->nind = nind;
	c->reg = xcalloc(nreg, sizeof(*c->reg));
	c->ind = xcalloc(nind, sizeof(*c->ind));
	for (k = 0; k < nreg; k++) {
		snprintf(tmp, sizeof(tmp), "R%zu", k + 1);
		c->reg[k] = xstrdup(tmp);
	}
	for (k = 0; k < nind; k++) {
		snprintf(tmp, sizeof(tmp), "I%zu", k + 1);
		c->ind[k] = xstrdup(tmp);
	}
	c->year = xcalloc(nyear, sizeof(*c->year));
	for (k = 0; k < nyear; k++)
		c->year[k] = year0 + (int)k;
	c->emp = xcalloc(nyear * nreg * nind, sizeof(*c->emp));
}

static void tc_free(struct cube *c)
{
	size_t k;
	for (k = 0; k < c->nreg; k++)
		free(c->reg[k]);
	for (k = 0; k < c->nind; k++)
		free(c->ind[k]);
	free(c->reg);
	free(c->ind);
	free(c->year);
	free(c->emp);
	free(c->est);
	free(c->wage);
	free(c->traded);
	free(c->ref);
	free(c->absent);
	memset(c, 0, sizeof(*c));
}

/* Fills year y from a row-major nreg × nind table. */
static void tc_fill(struct cube *c, size_t y, const double *v)
{
	size_t r, i;
	for (r = 0; r < c->nreg; r++)
		for (i = 0; i < c->nind; i++)
			c->emp[cube_at(c, y, r, i)] = v[r * c->nind + i];
}

#endif
