/* nuts.c — older NUTS-2 codes and their NUTS 2021 regions (see nuts.h). */
#include "nuts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define TO(...) { __VA_ARGS__, NULL }

/* Sorted by code.  until: the last NUTS version that has the code. */
const struct nuts_change nuts_changes[] = {
	/* Germany.  NUTS 2013: Brandenburg's two regions merged into DE40.
	 * NUTS 2010: Saxony's 2008 reform gave Chemnitz and Leipzig new codes,
	 * with Döbeln moving from Leipzig to Chemnitz. */
	{ "DE41", NUTS_MERGE, 2010, TO("DE40"), "Brandenburg - Nordost" },
	{ "DE42", NUTS_MERGE, 2010, TO("DE40"), "Brandenburg - Südwest" },
	{ "DED1", NUTS_BOUNDARY, 2006, TO("DED4"), "Chemnitz" },
	{ "DED3", NUTS_BOUNDARY, 2006, TO("DED5"), "Leipzig" },
	/* Greece.  NUTS 2013: the same regions (perifereies) regrouped into new
	 * NUTS-1 regions, hence new codes. */
	{ "EL11", NUTS_RECODE, 2010, TO("EL51"), "Anatoliki Makedonia, Thraki" },
	{ "EL12", NUTS_RECODE, 2010, TO("EL52"), "Kentriki Makedonia" },
	{ "EL13", NUTS_RECODE, 2010, TO("EL53"), "Dytiki Makedonia" },
	{ "EL14", NUTS_RECODE, 2010, TO("EL61"), "Thessalia" },
	{ "EL21", NUTS_RECODE, 2010, TO("EL54"), "Ipeiros" },
	{ "EL22", NUTS_RECODE, 2010, TO("EL62"), "Ionia Nisia" },
	{ "EL23", NUTS_RECODE, 2010, TO("EL63"), "Dytiki Ellada" },
	{ "EL24", NUTS_RECODE, 2010, TO("EL64"), "Sterea Ellada" },
	{ "EL25", NUTS_RECODE, 2010, TO("EL65"), "Peloponnisos" },
	/* Finland.  NUTS 2013: Itä-Suomi and Pohjois-Suomi merged into FI1D;
	 * Etelä-Suomi split into Helsinki-Uusimaa and the new Etelä-Suomi. */
	{ "FI13", NUTS_MERGE, 2010, TO("FI1D"), "Itä-Suomi" },
	{ "FI18", NUTS_UNION, 2010, TO("FI1B", "FI1C"), "Etelä-Suomi" },
	{ "FI1A", NUTS_MERGE, 2010, TO("FI1D"), "Pohjois-Suomi" },
	/* France.  NUTS 2016: the regions of 2015 got new NUTS-1 parents and
	 * codes, their territory unchanged; the overseas departments FR91–FR94
	 * became FRA1–FRA4 in NUTS 2013 (with Mayotte, FRA5) and FRY1–FRY5 in
	 * NUTS 2016. */
	{ "FR21", NUTS_RECODE, 2013, TO("FRF2"), "Champagne-Ardenne" },
	{ "FR22", NUTS_RECODE, 2013, TO("FRE2"), "Picardie" },
	{ "FR23", NUTS_RECODE, 2013, TO("FRD2"), "Haute-Normandie" },
	{ "FR24", NUTS_RECODE, 2013, TO("FRB0"), "Centre" },
	{ "FR25", NUTS_RECODE, 2013, TO("FRD1"), "Basse-Normandie" },
	{ "FR26", NUTS_RECODE, 2013, TO("FRC1"), "Bourgogne" },
	{ "FR30", NUTS_RECODE, 2013, TO("FRE1"), "Nord - Pas-de-Calais" },
	{ "FR41", NUTS_RECODE, 2013, TO("FRF3"), "Lorraine" },
	{ "FR42", NUTS_RECODE, 2013, TO("FRF1"), "Alsace" },
	{ "FR43", NUTS_RECODE, 2013, TO("FRC2"), "Franche-Comté" },
	{ "FR51", NUTS_RECODE, 2013, TO("FRG0"), "Pays de la Loire" },
	{ "FR52", NUTS_RECODE, 2013, TO("FRH0"), "Bretagne" },
	{ "FR53", NUTS_RECODE, 2013, TO("FRI3"), "Poitou-Charentes" },
	{ "FR61", NUTS_RECODE, 2013, TO("FRI1"), "Aquitaine" },
	{ "FR62", NUTS_RECODE, 2013, TO("FRJ2"), "Midi-Pyrénées" },
	{ "FR63", NUTS_RECODE, 2013, TO("FRI2"), "Limousin" },
	{ "FR71", NUTS_RECODE, 2013, TO("FRK2"), "Rhône-Alpes" },
	{ "FR72", NUTS_RECODE, 2013, TO("FRK1"), "Auvergne" },
	{ "FR81", NUTS_RECODE, 2013, TO("FRJ1"), "Languedoc-Roussillon" },
	{ "FR82", NUTS_RECODE, 2013, TO("FRL0"), "Provence-Alpes-Côte d'Azur" },
	{ "FR83", NUTS_RECODE, 2013, TO("FRM0"), "Corse" },
	{ "FR91", NUTS_RECODE, 2010, TO("FRY1"), "Guadeloupe" },
	{ "FR92", NUTS_RECODE, 2010, TO("FRY2"), "Martinique" },
	{ "FR93", NUTS_RECODE, 2010, TO("FRY3"), "Guyane" },
	{ "FR94", NUTS_RECODE, 2010, TO("FRY4"), "Réunion" },
	{ "FRA1", NUTS_RECODE, 2013, TO("FRY1"), "Guadeloupe" },
	{ "FRA2", NUTS_RECODE, 2013, TO("FRY2"), "Martinique" },
	{ "FRA3", NUTS_RECODE, 2013, TO("FRY3"), "Guyane" },
	{ "FRA4", NUTS_RECODE, 2013, TO("FRY4"), "La Réunion" },
	{ "FRA5", NUTS_RECODE, 2013, TO("FRY5"), "Mayotte" },
	/* Croatia.  NUTS 2021: Continental Croatia split into three regions. */
	{ "HR04", NUTS_UNION, 2016, TO("HR02", "HR05", "HR06"), "Kontinentalna Hrvatska" },
	/* Hungary.  NUTS 2021: Budapest and Pest county became regions. */
	{ "HU10", NUTS_UNION, 2016, TO("HU11", "HU12"), "Közép-Magyarország" },
	/* Ireland.  NUTS 2016: three new regions cut across the two old ones.
	 * The old regions are drawn on the NUTS-3 regions of 2016/2021 that
	 * made them up, but for County Louth: it moved from Border (IE011, in
	 * IE01) to Mid-East (IE062) and so is drawn in IE02. */
	{ "IE01", NUTS_BOUNDARY, 2013, TO("IE041", "IE042", "IE063"), "Border, Midland and Western" },
	{ "IE02", NUTS_BOUNDARY, 2013, TO("IE051", "IE052", "IE053", "IE061", "IE062"), "Southern and Eastern" },
	/* Italy.  NUTS 2013: the North-East and the Centre got the new NUTS-1
	 * codes ITH and ITI, their regions unchanged. */
	{ "ITD1", NUTS_RECODE, 2010, TO("ITH1"), "Provincia Autonoma di Bolzano/Bozen" },
	{ "ITD2", NUTS_RECODE, 2010, TO("ITH2"), "Provincia Autonoma di Trento" },
	{ "ITD3", NUTS_RECODE, 2010, TO("ITH3"), "Veneto" },
	{ "ITD4", NUTS_RECODE, 2010, TO("ITH4"), "Friuli-Venezia Giulia" },
	{ "ITD5", NUTS_RECODE, 2010, TO("ITH5"), "Emilia-Romagna" },
	{ "ITE1", NUTS_RECODE, 2010, TO("ITI1"), "Toscana" },
	{ "ITE2", NUTS_RECODE, 2010, TO("ITI2"), "Umbria" },
	{ "ITE3", NUTS_RECODE, 2010, TO("ITI3"), "Marche" },
	{ "ITE4", NUTS_RECODE, 2010, TO("ITI4"), "Lazio" },
	/* Lithuania.  NUTS 2016: the capital region split off. */
	{ "LT00", NUTS_UNION, 2013, TO("LT01", "LT02"), "Lietuva" },
	/* Norway.  NUTS 2021: the counties merged in 2020 cut across the old
	 * regions (Viken took Akershus from Oslo og Akershus and Østfold and
	 * Buskerud from Sør-Østlandet, Agder joined Vestfold og Telemark,
	 * Rogaland joined Vestlandet).  Agder og Rogaland and Vestlandet are
	 * unions of NUTS-3 counties of 2021 (Agder = Aust- and Vest-Agder;
	 * Vestland = Hordaland and Sogn og Fjordane); Akershus, Østfold and
	 * Buskerud lie inside Viken (NO082), so NO01 and NO03 have none. */
	{ "NO01", NUTS_NONE, 2016, TO(NULL), "Oslo og Akershus" },
	{ "NO03", NUTS_NONE, 2016, TO(NULL), "Sør-Østlandet" },
	{ "NO04", NUTS_UNION, 2016, TO("NO092", "NO0A1"), "Agder og Rogaland" },
	{ "NO05", NUTS_UNION, 2016, TO("NO0A2", "NO0A3"), "Vestlandet" },
	/* Poland.  NUTS 2016: new NUTS-1 macro-regions, hence new codes, and
	 * mazowieckie split into the capital region and the rest. */
	{ "PL11", NUTS_RECODE, 2013, TO("PL71"), "Łódzkie" },
	{ "PL12", NUTS_UNION, 2013, TO("PL91", "PL92"), "Mazowieckie" },
	{ "PL31", NUTS_RECODE, 2013, TO("PL81"), "Lubelskie" },
	{ "PL32", NUTS_RECODE, 2013, TO("PL82"), "Podkarpackie" },
	{ "PL33", NUTS_RECODE, 2013, TO("PL72"), "Świętokrzyskie" },
	{ "PL34", NUTS_RECODE, 2013, TO("PL84"), "Podlaskie" },
	/* Slovenia.  NUTS 2016: two municipalities (Litija, Šmartno pri Litiji)
	 * moved from the east to the west, and both regions got new codes. */
	{ "SI01", NUTS_BOUNDARY, 2013, TO("SI03"), "Vzhodna Slovenija" },
	{ "SI02", NUTS_BOUNDARY, 2013, TO("SI04"), "Zahodna Slovenija" },
	/* United Kingdom.  NUTS 2010: Halton moved from Cheshire to Merseyside;
	 * NUTS 2013: Inner and Outer London split into five regions; NUTS
	 * 2016: Scotland's central belt re-cut into three regions, of the same
	 * NUTS-3 regions under new codes (UKM21 → UKM71 … UKM24 Scottish
	 * Borders → UKM91, UKM31 → UKM81 …), whose union the old ones are. */
	{ "UKD2", NUTS_BOUNDARY, 2006, TO("UKD6"), "Cheshire" },
	{ "UKD5", NUTS_BOUNDARY, 2006, TO("UKD7"), "Merseyside" },
	{ "UKI1", NUTS_UNION, 2010, TO("UKI3", "UKI4"), "Inner London" },
	{ "UKI2", NUTS_UNION, 2010, TO("UKI5", "UKI6", "UKI7"), "Outer London" },
	{ "UKM2", NUTS_UNION, 2013, TO("UKM71", "UKM72", "UKM73", "UKM75", "UKM76", "UKM77", "UKM78", "UKM91"),
	  "Eastern Scotland" },
	{ "UKM3", NUTS_UNION, 2013, TO("UKM81", "UKM82", "UKM83", "UKM84", "UKM92", "UKM93", "UKM94", "UKM95"),
	  "South Western Scotland" },
};
const size_t nuts_nchanges = sizeof(nuts_changes) / sizeof(nuts_changes[0]);

const double nuts_europe_frame[4] = { -24.6, 34.0, 45.0, 71.5 };

static int cmp_change(const void *key, const void *elem)
{
	return strcmp(key, ((const struct nuts_change *)elem)->code);
}

const struct nuts_change *nuts_change_find(const char *code)
{
	return bsearch(code, nuts_changes, nuts_nchanges, sizeof(nuts_changes[0]), cmp_change);
}

int nuts_is_nuts3(const char *code)
{
	return strlen(code) == 5;
}

int nuts_code_like(const char *code)
{
	size_t n = strlen(code), i;
	if (n < 3 || n > 5 || !isupper((unsigned char)code[0]) || !isupper((unsigned char)code[1]))
		return 0;
	for (i = 2; i < n; i++)
		if (!isalnum((unsigned char)code[i]))
			return 0;
	return 1;
}

const char *nuts_kind_name(enum nuts_kind k)
{
	static const char *const names[] = { "recode", "boundary", "union", "merge", "none" };
	return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

const char *nuts_why_text(enum nuts_why w, int polish)
{
	static const char *const text[][2] = {
		[NUTS_DRAWN] = { "on the map", "na mapie" },
		[NUTS_NO_BOUNDARY] = { "no boundary", "brak granic" },
		[NUTS_EXTRA_REGIO] = { "extra-regio (no territory)", "region eksterytorialny (bez terytorium)" },
		[NUTS_CHANGED] = { "boundaries changed (no correspondence)", "zmienione granice (brak odpowiednika)" },
		[NUTS_OUTSIDE_FRAME] = { "outside the map's frame", "poza kadrem mapy" },
		[NUTS_TOO_SMALL] = { "too small at the map's scale", "zbyt mały w skali mapy" },
		[NUTS_CLAIMED] = { "its NUTS 2021 region has another code of the data",
				   "jego region NUTS 2021 ma w danych inny kod" },
	};
	if ((size_t)w >= sizeof(text) / sizeof(text[0]))
		return "?";
	return text[w][polish ? 1 : 0];
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when the two changes name a common NUTS 2021 region. */
static int share_region(const struct nuts_change *a, const struct nuts_change *b)
{
	size_t i, j;
	for (i = 0; a->to[i]; i++)
		for (j = 0; b->to[j]; j++)
			if (strcmp(a->to[i], b->to[j]) == 0)
				return 1;
	return 0;
}

/* Extra-regio regions end in ZZ (CZZZ, FRZZ). */
static int extra_regio(const char *code)
{
	size_t n = strlen(code);
	return n >= 3 && code[n - 1] == 'Z' && code[n - 2] == 'Z';
}

/* The correspondence of p->via, when each of its regions has a boundary in
 * the frame that the data does not hold itself. */
static void place_via(struct nuts_place *p, char *const *sorted, size_t n, nuts_lookup look, const void *ctx)
{
	const struct nuts_change *c = p->via;
	int missing = 0, claimed = 0, outside = 0, small = 0;
	size_t k;
	for (k = 0; c->to[k]; k++) {
		int shown = 1;
		long f = look(ctx, c->to[k], &shown);
		missing |= f < 0;
		claimed |= bsearch(&c->to[k], sorted, n, sizeof(*sorted), cmp_code) != NULL;
		if (nuts_is_nuts3(c->to[k])) {
			/* a NUTS-3 part: its NUTS-2 region in the data covers it */
			char parent[5], *pp = parent;
			memcpy(parent, c->to[k], 4);
			parent[4] = '\0';
			claimed |= bsearch(&pp, sorted, n, sizeof(*sorted), cmp_code) != NULL;
		}
		outside |= shown == 0;
		small |= shown < 0;
		p->feat[k] = f;
	}
	p->why = missing ? NUTS_NO_BOUNDARY : claimed ? NUTS_CLAIMED : outside ? NUTS_OUTSIDE_FRAME
		 : small ? NUTS_TOO_SMALL : NUTS_DRAWN;
	p->n = p->why == NUTS_DRAWN ? k : 0;
}

void nuts_place_one(struct nuts_place *p, long f)
{
	memset(p, 0, sizeof(*p));
	p->n = f >= 0;
	p->feat[0] = f;
	p->why = f >= 0 ? NUTS_DRAWN : NUTS_NO_BOUNDARY;
}

void nuts_place_regions(char *const *codes, size_t n, nuts_lookup look, const void *ctx, struct nuts_place *out)
{
	char **sorted;
	size_t i, j;

	ALLOC_ARRAY(sorted, n ? n : 1);
	memcpy(sorted, codes, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_code);
	for (i = 0; i < n; i++) {
		struct nuts_place *p = &out[i];
		int shown = 1;
		long f = look(ctx, codes[i], &shown);
		memset(p, 0, sizeof(*p));
		if (f >= 0) {
			p->why = shown > 0 ? NUTS_DRAWN : shown == 0 ? NUTS_OUTSIDE_FRAME : NUTS_TOO_SMALL;
			p->n = shown > 0;
			p->feat[0] = f;
			continue;
		}
		p->via = nuts_change_find(codes[i]);
		if (!p->via)
			p->why = extra_regio(codes[i]) ? NUTS_EXTRA_REGIO : NUTS_NO_BOUNDARY;
		else if (p->via->kind == NUTS_NONE)
			p->why = NUTS_CHANGED;
		else
			place_via(p, sorted, n, look, ctx);
	}
	/* two old codes of the data naming one 2021 region: neither is drawn */
	for (i = 0; i < n; i++)
		for (j = 0; out[i].n && out[i].via && j < n; j++)
			if (j != i && out[j].via && share_region(out[i].via, out[j].via)) {
				out[i].n = 0;
				out[i].why = NUTS_CLAIMED;
			}
	free(sorted);
}

size_t nuts_unplaced_text(struct buf *out, char *const *codes, const struct nuts_place *pl, size_t n,
			  const unsigned char *skip, int polish)
{
	static const enum nuts_why order[] = { NUTS_CHANGED, NUTS_EXTRA_REGIO, NUTS_OUTSIDE_FRAME, NUTS_TOO_SMALL,
					       NUTS_CLAIMED, NUTS_NO_BOUNDARY };
	size_t k, i, total = 0;
	/* Polish agrees with the number of regions listed */
	static const char *const pl_many[] = {
		[NUTS_EXTRA_REGIO] = "regiony eksterytorialne (bez terytorium)",
		[NUTS_TOO_SMALL] = "zbyt małe w skali mapy",
		[NUTS_CLAIMED] = "ich regiony NUTS 2021 mają w danych inne kody",
	};
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		size_t m = 0, count = 0;
		for (i = 0; i < n; i++)
			count += !pl[i].n && pl[i].why == order[k] && !(skip && skip[i]);
		for (i = 0; i < n; i++) {
			if (pl[i].n || pl[i].why != order[k] || (skip && skip[i]))
				continue;
			if (!m)
				buf_printf(out, "%s%s: ", total ? "; " : "",
					   polish && count > 1 && (size_t)order[k] < sizeof(pl_many) / sizeof(pl_many[0]) &&
							   pl_many[order[k]]
						   ? pl_many[order[k]]
						   : nuts_why_text(order[k], polish));
			if (m < 40)
				buf_printf(out, "%s%s", m ? ", " : "", codes[i]);
			else if (m == 40)
				buf_puts(out, ", …");
			m++;
			total++;
		}
	}
	return total;
}

/* Eurostat's country codes of the NUTS classification and its candidate countries, sorted. */
static const struct { char cc[3]; const char *pl, *en; } countries[] = {
	{ "AL", "Albania", "Albania" }, { "AT", "Austria", "Austria" }, { "BE", "Belgia", "Belgium" },
	{ "BG", "Bułgaria", "Bulgaria" }, { "CH", "Szwajcaria", "Switzerland" }, { "CY", "Cypr", "Cyprus" },
	{ "CZ", "Czechy", "Czechia" }, { "DE", "Niemcy", "Germany" }, { "DK", "Dania", "Denmark" },
	{ "EE", "Estonia", "Estonia" }, { "EL", "Grecja", "Greece" }, { "ES", "Hiszpania", "Spain" },
	{ "FI", "Finlandia", "Finland" }, { "FR", "Francja", "France" }, { "HR", "Chorwacja", "Croatia" },
	{ "HU", "Węgry", "Hungary" }, { "IE", "Irlandia", "Ireland" }, { "IS", "Islandia", "Iceland" },
	{ "IT", "Włochy", "Italy" }, { "LI", "Liechtenstein", "Liechtenstein" }, { "LT", "Litwa", "Lithuania" },
	{ "LU", "Luksemburg", "Luxembourg" }, { "LV", "Łotwa", "Latvia" }, { "ME", "Czarnogóra", "Montenegro" },
	{ "MK", "Macedonia Północna", "North Macedonia" }, { "MT", "Malta", "Malta" },
	{ "NL", "Niderlandy", "Netherlands" }, { "NO", "Norwegia", "Norway" }, { "PL", "Polska", "Poland" },
	{ "PT", "Portugalia", "Portugal" }, { "RO", "Rumunia", "Romania" }, { "RS", "Serbia", "Serbia" },
	{ "SE", "Szwecja", "Sweden" }, { "SI", "Słowenia", "Slovenia" }, { "SK", "Słowacja", "Slovakia" },
	{ "TR", "Turcja", "Türkiye" }, { "UK", "Wielka Brytania", "United Kingdom" },
};

const char *nuts_country_name(const char *code, int polish)
{
	size_t lo = 0, hi = sizeof(countries) / sizeof(*countries);
	if (!code || !code[0] || !code[1])
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(countries[mid].cc, code, 2);
		if (c == 0)
			return polish ? countries[mid].pl : countries[mid].en;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
