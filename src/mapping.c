/* mapping.c — cluster-mapping result tables (see mapping.h). */
#include "mapping.h"

#include <math.h>

const char *const mapping_indicator_columns[] = {
	"region", "region_name", "industry", "industry_name", "year", "employment", "establishments",
	"lq", "share_of_region", "share_of_industry", "size_star", "specialisation_star", "focus_star",
	"stars", "strong", "strong10", NULL
};

const char *const mapping_region_index_columns[] = {
	"region", "region_name", "year", "hhi", "hhi_normalised", "hhi_equivalent_number", "krugman",
	"shannon", "theil", NULL
};

const char *const mapping_industry_index_columns[] = {
	"industry", "industry_name", "year", "hhi", "hhi_normalised", "hhi_equivalent_number", "gini",
	"hoover", NULL
};

const char *const mapping_shift_columns[] = {
	"region", "region_name", "industry", "industry_name", "year0", "year1", "employment0",
	"employment1", "growth", "national_share", "industry_mix", "regional_shift", NULL
};

static const char *name_or_null(char **names, size_t i)
{
	return names ? names[i] : NULL;
}

int mapping_write_indicators(const struct cube *c, const struct indic_result *res, int year_filter,
			     struct tablew *t, struct kerr *e)
{
	size_t y, r, i;
	for (y = 0; y < c->nyear; y++) {
		if (year_filter >= 0 && c->year[y] != year_filter)
			continue;
		for (r = 0; r < c->nreg; r++)
			for (i = 0; i < c->nind; i++) {
				size_t k = cube_at(c, y, r, i);
				int has = !isnan(c->emp[k]);
				tablew_text(t, c->reg[r]);
				tablew_text(t, name_or_null(c->reg_name, r));
				tablew_text(t, c->ind[i]);
				tablew_text(t, name_or_null(c->ind_name, i));
				tablew_int(t, c->year[y]);
				tablew_num(t, c->emp[k]);
				tablew_num(t, c->est ? c->est[k] : NAN);
				tablew_num(t, res->lq[k]);
				tablew_num(t, res->share_reg[k]);
				tablew_num(t, res->share_ind[k]);
				if (has) {
					tablew_int(t, (res->star_flags[k] & INDIC_STAR_SIZE) != 0);
					tablew_int(t, (res->star_flags[k] & INDIC_STAR_SPEC) != 0);
					tablew_int(t, (res->star_flags[k] & INDIC_STAR_FOCUS) != 0);
					tablew_int(t, res->stars[k]);
					tablew_int(t, res->strong[k]);
					tablew_int(t, res->strong10[k]);
				}
				tablew_end_row(t);
			}
	}
	(void)e;
	return 0;
}

int mapping_write_region_indices(const struct cube *c, const struct indic_indices *x,
				 struct tablew *t, struct kerr *e)
{
	size_t y, r;
	for (y = 0; y < c->nyear; y++)
		for (r = 0; r < c->nreg; r++) {
			size_t k = y * c->nreg + r;
			tablew_text(t, c->reg[r]);
			tablew_text(t, name_or_null(c->reg_name, r));
			tablew_int(t, c->year[y]);
			tablew_num(t, x->reg_hhi[k]);
			tablew_num(t, x->reg_hhi_norm[k]);
			tablew_num(t, x->reg_hhi_equiv[k]);
			tablew_num(t, x->reg_krugman[k]);
			tablew_num(t, x->reg_shannon[k]);
			tablew_num(t, x->reg_theil[k]);
			tablew_end_row(t);
		}
	(void)e;
	return 0;
}

int mapping_write_industry_indices(const struct cube *c, const struct indic_indices *x,
				   struct tablew *t, struct kerr *e)
{
	size_t y, i;
	for (y = 0; y < c->nyear; y++)
		for (i = 0; i < c->nind; i++) {
			size_t k = y * c->nind + i;
			tablew_text(t, c->ind[i]);
			tablew_text(t, name_or_null(c->ind_name, i));
			tablew_int(t, c->year[y]);
			tablew_num(t, x->ind_hhi[k]);
			tablew_num(t, x->ind_hhi_norm[k]);
			tablew_num(t, x->ind_hhi_equiv[k]);
			tablew_num(t, x->ind_gini[k]);
			tablew_num(t, x->ind_hoover[k]);
			tablew_end_row(t);
		}
	(void)e;
	return 0;
}

int mapping_write_shift(const struct cube *c, const struct indic_shift *s, struct tablew *t,
			struct kerr *e)
{
	size_t r, i;
	for (r = 0; r < c->nreg; r++)
		for (i = 0; i < c->nind; i++) {
			size_t k = r * c->nind + i;
			tablew_text(t, c->reg[r]);
			tablew_text(t, name_or_null(c->reg_name, r));
			tablew_text(t, c->ind[i]);
			tablew_text(t, name_or_null(c->ind_name, i));
			tablew_int(t, s->year0);
			tablew_int(t, s->year1);
			tablew_num(t, s->e0[k]);
			tablew_num(t, s->e1[k]);
			tablew_num(t, s->growth[k]);
			tablew_num(t, s->ns[k]);
			tablew_num(t, s->im[k]);
			tablew_num(t, s->rs[k]);
			tablew_end_row(t);
		}
	(void)e;
	return 0;
}
