/*
 * test_nuts.c — the NUTS 2013 → 2021 correspondence (src/nuts.c): the
 * table's shape, every target checked by name against the NUTS 2021
 * boundaries the project ships (data/reference/eu_nuts2_2021_20M_4326.geojson
 * and, for NUTS-3 parts, eu_nuts3_2021_parts_20M_4326.geojson; NUTS_ID and
 * NUTS_NAME), the Polish entries against the voivodeships'
 * nuts2_2013 and nuts2 codes, and the placement rules on hand-made layers.
 */
#include "t.h"

#include "buf.h"
#include "geo.h"
#include "nuts.h"

#define NUTS2021 "data/reference/eu_nuts2_2021_20M_4326.geojson"
#define NUTS3PARTS "data/reference/eu_nuts3_2021_parts_20M_4326.geojson"
#define VOIVODESHIPS "data/reference/voivodeships.geojson"

/* The older regions and the NUTS 2021 regions they are drawn as, by name —
 * written here from Eurostat's NUTS history, not from the table. */
static const struct {
	const char *code, *name;
	const char *to[NUTS_MAX_PARTS + 1], *to_name[NUTS_MAX_PARTS + 1];
} expect[] = {
	{ "DE41", "Brandenburg - Nordost", { "DE40" }, { "Brandenburg" } },
	{ "DE42", "Brandenburg - Südwest", { "DE40" }, { "Brandenburg" } },
	{ "DED1", "Chemnitz", { "DED4" }, { "Chemnitz" } },
	{ "DED3", "Leipzig", { "DED5" }, { "Leipzig" } },
	{ "EL11", "Anatoliki Makedonia, Thraki", { "EL51" }, { "Aνατολική Μακεδονία, Θράκη" } },
	{ "EL12", "Kentriki Makedonia", { "EL52" }, { "Κεντρική Μακεδονία" } },
	{ "EL13", "Dytiki Makedonia", { "EL53" }, { "Δυτική Μακεδονία" } },
	{ "EL14", "Thessalia", { "EL61" }, { "Θεσσαλία" } },
	{ "EL21", "Ipeiros", { "EL54" }, { "Ήπειρος" } },
	{ "EL22", "Ionia Nisia", { "EL62" }, { "Ιόνια Νησιά" } },
	{ "EL23", "Dytiki Ellada", { "EL63" }, { "Δυτική Ελλάδα" } },
	{ "EL24", "Sterea Ellada", { "EL64" }, { "Στερεά Ελλάδα" } },
	{ "EL25", "Peloponnisos", { "EL65" }, { "Πελοπόννησος" } },
	{ "FI13", "Itä-Suomi", { "FI1D" }, { "Pohjois- ja Itä-Suomi" } },
	{ "FI18", "Etelä-Suomi", { "FI1B", "FI1C" }, { "Helsinki-Uusimaa", "Etelä-Suomi" } },
	{ "FI1A", "Pohjois-Suomi", { "FI1D" }, { "Pohjois- ja Itä-Suomi" } },
	{ "FR21", "Champagne-Ardenne", { "FRF2" }, { "Champagne-Ardenne" } },
	{ "FR22", "Picardie", { "FRE2" }, { "Picardie" } },
	{ "FR23", "Haute-Normandie", { "FRD2" }, { "Haute-Normandie" } },
	{ "FR24", "Centre", { "FRB0" }, { "Centre — Val de Loire" } },
	{ "FR25", "Basse-Normandie", { "FRD1" }, { "Basse-Normandie" } },
	{ "FR26", "Bourgogne", { "FRC1" }, { "Bourgogne" } },
	{ "FR30", "Nord - Pas-de-Calais", { "FRE1" }, { "Nord-Pas de Calais" } },
	{ "FR41", "Lorraine", { "FRF3" }, { "Lorraine" } },
	{ "FR42", "Alsace", { "FRF1" }, { "Alsace" } },
	{ "FR43", "Franche-Comté", { "FRC2" }, { "Franche-Comté" } },
	{ "FR51", "Pays de la Loire", { "FRG0" }, { "Pays de la Loire" } },
	{ "FR52", "Bretagne", { "FRH0" }, { "Bretagne" } },
	{ "FR53", "Poitou-Charentes", { "FRI3" }, { "Poitou-Charentes" } },
	{ "FR61", "Aquitaine", { "FRI1" }, { "Aquitaine" } },
	{ "FR62", "Midi-Pyrénées", { "FRJ2" }, { "Midi-Pyrénées" } },
	{ "FR63", "Limousin", { "FRI2" }, { "Limousin" } },
	{ "FR71", "Rhône-Alpes", { "FRK2" }, { "Rhône-Alpes" } },
	{ "FR72", "Auvergne", { "FRK1" }, { "Auvergne" } },
	{ "FR81", "Languedoc-Roussillon", { "FRJ1" }, { "Languedoc-Roussillon" } },
	{ "FR82", "Provence-Alpes-Côte d'Azur", { "FRL0" }, { "Provence-Alpes-Côte d’Azur" } },
	{ "FR83", "Corse", { "FRM0" }, { "Corse" } },
	{ "FR91", "Guadeloupe", { "FRY1" }, { "Guadeloupe" } },
	{ "FR92", "Martinique", { "FRY2" }, { "Martinique" } },
	{ "FR93", "Guyane", { "FRY3" }, { "Guyane" } },
	{ "FR94", "Réunion", { "FRY4" }, { "La Réunion" } },
	{ "FRA1", "Guadeloupe", { "FRY1" }, { "Guadeloupe" } },
	{ "FRA2", "Martinique", { "FRY2" }, { "Martinique" } },
	{ "FRA3", "Guyane", { "FRY3" }, { "Guyane" } },
	{ "FRA4", "La Réunion", { "FRY4" }, { "La Réunion" } },
	{ "FRA5", "Mayotte", { "FRY5" }, { "Mayotte" } },
	{ "HR04", "Kontinentalna Hrvatska", { "HR02", "HR05", "HR06" },
	  { "Panonska Hrvatska", "Grad Zagreb", "Sjeverna Hrvatska" } },
	{ "HU10", "Közép-Magyarország", { "HU11", "HU12" }, { "Budapest", "Pest" } },
	/* Ireland: the NUTS-3 regions of 2016 (Border without Louth, West, Midland; Louth is in Mid-East) */
	{ "IE01", "Border, Midland and Western", { "IE041", "IE042", "IE063" }, { "Border", "West", "Midland" } },
	{ "IE02", "Southern and Eastern", { "IE051", "IE052", "IE053", "IE061", "IE062" },
	  { "Mid-West", "South-East", "South-West", "Dublin", "Mid-East" } },
	{ "ITD1", "Provincia Autonoma di Bolzano/Bozen", { "ITH1" }, { "Provincia Autonoma di Bolzano/Bozen" } },
	{ "ITD2", "Provincia Autonoma di Trento", { "ITH2" }, { "Provincia Autonoma di Trento" } },
	{ "ITD3", "Veneto", { "ITH3" }, { "Veneto" } },
	{ "ITD4", "Friuli-Venezia Giulia", { "ITH4" }, { "Friuli-Venezia Giulia" } },
	{ "ITD5", "Emilia-Romagna", { "ITH5" }, { "Emilia-Romagna" } },
	{ "ITE1", "Toscana", { "ITI1" }, { "Toscana" } },
	{ "ITE2", "Umbria", { "ITI2" }, { "Umbria" } },
	{ "ITE3", "Marche", { "ITI3" }, { "Marche" } },
	{ "ITE4", "Lazio", { "ITI4" }, { "Lazio" } },
	{ "LT00", "Lietuva", { "LT01", "LT02" }, { "Sostinės regionas", "Vidurio ir vakarų Lietuvos regionas" } },
	{ "NO01", "Oslo og Akershus", { NULL }, { NULL } },
	{ "NO03", "Sør-Østlandet", { NULL }, { NULL } },
	{ "NO04", "Agder og Rogaland", { "NO092", "NO0A1" }, { "Agder", "Rogaland" } },
	{ "NO05", "Vestlandet", { "NO0A2", "NO0A3" }, { "Vestland", "Møre og Romsdal" } },
	{ "PL11", "Łódzkie", { "PL71" }, { "Łódzkie" } },
	{ "PL12", "Mazowieckie", { "PL91", "PL92" }, { "Warszawski stołeczny", "Mazowiecki regionalny" } },
	{ "PL31", "Lubelskie", { "PL81" }, { "Lubelskie" } },
	{ "PL32", "Podkarpackie", { "PL82" }, { "Podkarpackie" } },
	{ "PL33", "Świętokrzyskie", { "PL72" }, { "Świętokrzyskie" } },
	{ "PL34", "Podlaskie", { "PL84" }, { "Podlaskie" } },
	{ "SI01", "Vzhodna Slovenija", { "SI03" }, { "Vzhodna Slovenija" } },
	{ "SI02", "Zahodna Slovenija", { "SI04" }, { "Zahodna Slovenija" } },
	{ "UKD2", "Cheshire", { "UKD6" }, { "Cheshire" } },
	{ "UKD5", "Merseyside", { "UKD7" }, { "Merseyside" } },
	{ "UKI1", "Inner London", { "UKI3", "UKI4" }, { "Inner London — West", "Inner London — East" } },
	{ "UKI2", "Outer London", { "UKI5", "UKI6", "UKI7" },
	  { "Outer London — East and North East", "Outer London — South", "Outer London — West and North West" } },
	/* Scotland: NUTS 2013's NUTS-3 regions UKM21–UKM28 and UKM31–UKM38 under their 2016 codes */
	{ "UKM2", "Eastern Scotland", { "UKM71", "UKM72", "UKM73", "UKM75", "UKM76", "UKM77", "UKM78", "UKM91" },
	  { "Angus and Dundee City", "Clackmannanshire and Fife", "East Lothian and Midlothian", "Edinburgh, City of",
	    "Falkirk", "Perth & Kinross and Stirling", "West Lothian", "Scottish Borders" } },
	{ "UKM3", "South Western Scotland", { "UKM81", "UKM82", "UKM83", "UKM84", "UKM92", "UKM93", "UKM94", "UKM95" },
	  { "East Dunbartonshire, West Dunbartonshire and Helensburgh & Lomond", "Glasgow City",
	    "Inverclyde, East Renfrewshire and Renfrewshire", "North Lanarkshire", "Dumfries & Galloway",
	    "East Ayrshire and North Ayrshire mainland", "South Ayrshire", "South Lanarkshire" } },
};
#define NEXPECT (sizeof(expect) / sizeof(expect[0]))

T_TEST(table_shape)
{
	size_t i, k, bad = 0;
	for (i = 0; i < nuts_nchanges; i++) {
		const struct nuts_change *c = &nuts_changes[i];
		size_t n = 0;
		while (c->to[n])
			n++;
		if (strlen(c->code) != 4 || (i && strcmp(nuts_changes[i - 1].code, c->code) >= 0) || !c->name ||
		    c->until < 2006 || c->until > 2016 || (c->kind == NUTS_NONE) != (n == 0) ||
		    (c->kind == NUTS_UNION && n < 2) || n > NUTS_MAX_PARTS ||
		    /* several targets: a union, or a boundary shift onto NUTS-3 parts (IE01) */
		    (n >= 2 && c->kind != NUTS_UNION && !(c->kind == NUTS_BOUNDARY && strlen(c->to[0]) == 5))) {
			printf("#   bad entry %s\n", c->code);
			bad++;
		}
		for (k = 0; k < n; k++)
			if (strlen(c->to[k]) != 4 && (strlen(c->to[k]) != 5 || strncmp(c->to[k], c->code, 2) != 0))
				bad++;
	}
	T_EQ_INT(bad, 0);   /* 4-character codes, sorted, one or more NUTS-2 or NUTS-3 targets as the kind says */
	T_EQ_INT(nuts_nchanges, NEXPECT);
	T_OK(nuts_change_find("FR24") && strcmp(nuts_change_find("FR24")->to[0], "FRB0") == 0);
	T_OK(nuts_change_find("UKM3") && nuts_change_find("UKM3")->kind == NUTS_UNION);
	T_OK(nuts_change_find("NO01") && nuts_change_find("NO01")->kind == NUTS_NONE);
	T_OK(!nuts_change_find("FRB0") && !nuts_change_find("DE11") && !nuts_change_find(""));
	T_EQ_STR(nuts_kind_name(NUTS_UNION), "union");
	T_EQ_STR(nuts_kind_name(NUTS_MERGE), "merge");
	T_EQ_STR(nuts_why_text(NUTS_CHANGED, 0), "boundaries changed (no correspondence)");
	T_EQ_STR(nuts_why_text(NUTS_EXTRA_REGIO, 0), "extra-regio (no territory)");
	T_EQ_STR(nuts_why_text(NUTS_OUTSIDE_FRAME, 0), "outside the map's frame");
	T_EQ_STR(nuts_why_text(NUTS_NO_BOUNDARY, 1), "brak granic");
}

/* No code is both an old code and a NUTS 2021 target.  The parts of a
 * union are distinct and belong to no other entry.  Two entries share a
 * target only as the parts of one merge (DE41, DE42 → DE40) or as the codes
 * of one territory in two versions (FR91 of 2010, FRA1 of 2013 → FRY1). */
T_TEST(sources_targets_disjoint)
{
	size_t i, j, k, l, both = 0, overlap = 0;
	for (i = 0; i < nuts_nchanges; i++) {
		const struct nuts_change *a = &nuts_changes[i];
		for (k = 0; a->to[k]; k++) {
			if (nuts_change_find(a->to[k])) {
				printf("#   %s is a source and a target of %s\n", a->to[k], a->code);
				both++;
			}
			for (j = 0; j < nuts_nchanges; j++) {
				const struct nuts_change *b = &nuts_changes[j];
				for (l = 0; b->to[l]; l++) {
					if ((i == j && k == l) || strcmp(a->to[k], b->to[l]) != 0)
						continue;
					if (i != j && a->kind == NUTS_MERGE && b->kind == NUTS_MERGE)
						continue;
					if (i != j && a->kind == NUTS_RECODE && b->kind == NUTS_RECODE && a->until != b->until)
						continue;
					printf("#   %s and %s share %s\n", a->code, b->code, a->to[k]);
					overlap++;
				}
			}
		}
	}
	T_EQ_INT(both, 0);
	T_EQ_INT(overlap, 0);
}

/* Every entry as written in expect[], and every target a NUTS 2021 region
 * of the shipped boundaries with the expected NUTS_NAME. */
T_TEST(targets_in_nuts2021)
{
	struct geo_layer L, P;
	struct kerr e = KERR_INIT;
	size_t i, k, checked = 0, bad = 0;
	if (!T_OK(geo_layer_load(&L, NUTS2021, "NUTS_ID", "NUTS_NAME", &e) == 0 &&
		  geo_layer_load(&P, NUTS3PARTS, "NUTS_ID", "NUTS_NAME", &e) == 0)) {
		printf("#   %s\n", e.msg);
		return;
	}
	for (i = 0; i < NEXPECT; i++) {
		const struct nuts_change *c = nuts_change_find(expect[i].code);
		if (!c || strcmp(c->name, expect[i].name) != 0) {
			printf("#   %s: %s in the table, want %s\n", expect[i].code, c ? c->name : "nothing", expect[i].name);
			bad++;
			continue;
		}
		for (k = 0; k <= NUTS_MAX_PARTS && (c->to[k] || expect[i].to[k]); k++) {
			const struct geo_feature *f = c->to[k] ? geo_layer_find(strlen(c->to[k]) == 5 ? &P : &L, c->to[k]) : NULL;
			if (!c->to[k] || !expect[i].to[k] || strcmp(c->to[k], expect[i].to[k]) != 0 || !f || !f->name ||
			    strcmp(f->name, expect[i].to_name[k]) != 0) {
				printf("#   %s → %s: boundary %s named \"%s\", want %s \"%s\"\n", expect[i].code,
				       c->to[k] ? c->to[k] : "nothing", f ? f->code : "none", f && f->name ? f->name : "",
				       expect[i].to[k] ? expect[i].to[k] : "nothing", expect[i].to_name[k] ? expect[i].to_name[k] : "");
				bad++;
			}
			checked++;
		}
	}
	T_EQ_INT(bad, 0);
	T_EQ_INT(checked, 79 + 28);   /* every target of the table, by code and by name (28 NUTS-3 parts) */
	T_EQ_INT(P.n, 28);             /* and the parts file holds just those */
	/* an old code never names a NUTS 2021 boundary itself */
	for (i = 0, bad = 0; i < nuts_nchanges; i++)
		bad += geo_layer_find(&L, nuts_changes[i].code) != NULL;
	T_EQ_INT(bad, 0);
	geo_layer_release(&L);
	geo_layer_release(&P);
}

/* The voivodeships' NUTS 2013 codes become their NUTS 2016/2021 codes
 * through the table ("PL91+PL92" for mazowieckie), the others stay. */
T_TEST(polish_voivodeships)
{
	struct geo_layer L13, L21;
	struct kerr e = KERR_INIT;
	size_t i, bad = 0;
	if (!T_OK(geo_layer_load(&L13, VOIVODESHIPS, "teryt", "nuts2_2013", &e) == 0 &&
		  geo_layer_load(&L21, VOIVODESHIPS, "teryt", "nuts2", &e) == 0)) {
		printf("#   %s\n", e.msg);
		return;
	}
	T_EQ_INT(L13.n, 16);
	for (i = 0; i < L13.n && i < L21.n; i++) {
		const struct nuts_change *c = nuts_change_find(L13.f[i].name);
		struct buf want = BUF_INIT;
		size_t k;
		for (k = 0; c && c->to[k]; k++)
			buf_printf(&want, "%s%s", k ? "+" : "", c->to[k]);
		if (strcmp(c ? want.ptr : L13.f[i].name, L21.f[i].name) != 0) {
			printf("#   %s: %s, want %s\n", L13.f[i].name, c ? want.ptr : "unchanged", L21.f[i].name);
			bad++;
		}
		buf_release(&want);
	}
	T_EQ_INT(bad, 0);
	geo_layer_release(&L13);
	geo_layer_release(&L21);
}

/* A hand-made layer: codes, and for each whether it is shown (1), outside
 * the frame (0) or too small (-1). */
static const struct {
	const char *code;
	int shown;
} layer[] = {
	{ "DE11", 1 }, { "DE40", 1 }, { "DED4", 1 }, { "FRB0", 1 }, { "HU11", 1 }, { "HU12", 1 },
	{ "FRY1", 0 }, { "ES63", -1 }, { "PL71", 1 }, { "NO092", 1 }, { "NO0A1", 1 },
};

static long test_lookup(const void *ctx, const char *code, int *shown)
{
	size_t i;
	(void)ctx;
	for (i = 0; i < sizeof(layer) / sizeof(layer[0]); i++)
		if (strcmp(layer[i].code, code) == 0) {
			if (layer[i].shown < 1)
				*shown = layer[i].shown;
			return (long)i;
		}
	return -1;
}

/* Places codes (separated by spaces) and describes each place as
 * "CODE:feat+feat" or "CODE:-why", one after another. */
static char *place(const char *codes)
{
	struct buf b = BUF_INIT, list = BUF_INIT;
	char *v[16], *s;
	struct nuts_place pl[16];
	size_t n = 0, i, k;
	buf_puts(&list, codes);
	for (s = list.ptr; *s && n < 16;) {
		v[n++] = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = '\0';
	}
	nuts_place_regions(v, n, test_lookup, NULL, pl);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s%s:", i ? " " : "", v[i]);
		for (k = 0; k < pl[i].n; k++)
			buf_printf(&b, "%s%s", k ? "+" : "", layer[pl[i].feat[k]].code);
		if (!pl[i].n)
			buf_printf(&b, "-%d", (int)pl[i].why);
		if (pl[i].via && pl[i].n)
			buf_printf(&b, "(%s)", nuts_kind_name(pl[i].via->kind));
	}
	buf_release(&list);
	return buf_detach(&b, NULL);
}

#define T_PLACE(codes, want) do { char *t_p = place(codes); T_EQ_STR(t_p, want); free(t_p); } while (0)

T_TEST(placement)
{
	char d[8], c[8], x[8], o[8], s[8], n[8];
	struct buf want = BUF_INIT;
	snprintf(d, sizeof(d), "%d", NUTS_CLAIMED);
	snprintf(c, sizeof(c), "%d", NUTS_CHANGED);
	snprintf(x, sizeof(x), "%d", NUTS_EXTRA_REGIO);
	snprintf(o, sizeof(o), "%d", NUTS_OUTSIDE_FRAME);
	snprintf(s, sizeof(s), "%d", NUTS_TOO_SMALL);
	snprintf(n, sizeof(n), "%d", NUTS_NO_BOUNDARY);
	/* as itself, a recode, a union on both parts */
	T_PLACE("DE11 FR24 HU10", "DE11:DE11 FR24:FRB0(recode) HU10:HU11+HU12(union)");
	/* the data holds a target itself: the old code is not drawn over it */
	buf_printf(&want, "HU10:-%s HU11:HU11 PL11:PL71(recode)", d);
	T_PLACE("HU10 HU11 PL11", want.ptr);
	buf_reset(&want);
	buf_printf(&want, "DED1:-%s DED4:DED4", d);
	T_PLACE("DED1 DED4", want.ptr);
	/* a merged part alone is drawn on the whole 2021 region; two parts, or the region itself, never */
	T_PLACE("DE41 DE11", "DE41:DE40(merge) DE11:DE11");
	buf_reset(&want);
	buf_printf(&want, "DE41:-%s DE42:-%s", d, d);
	T_PLACE("DE41 DE42", want.ptr);
	buf_reset(&want);
	buf_printf(&want, "DE40:DE40 DE42:-%s", d);
	T_PLACE("DE40 DE42", want.ptr);
	/* no correspondence, extra-regio, outside the frame, too small, unknown */
	buf_reset(&want);
	buf_printf(&want, "NO01:-%s CZZZ:-%s FRA1:-%s FR91:-%s ES63:-%s XX99:-%s FRY1:-%s", c, x, d, d, s, n, o);
	T_PLACE("NO01 CZZZ FRA1 FR91 ES63 XX99 FRY1", want.ptr);
	/* on NUTS-3 parts when the layer has them; not over their NUTS-2 region in the data */
	T_PLACE("NO04", "NO04:NO092+NO0A1(union)");
	buf_reset(&want);
	buf_printf(&want, "NO04:-%s NO09:-%s", d, n);
	T_PLACE("NO04 NO09", want.ptr);
	buf_reset(&want);
	buf_printf(&want, "IE01:-%s", n);
	T_PLACE("IE01", want.ptr);   /* the layer lacks its parts */
	buf_reset(&want);
	buf_printf(&want, "FRA1:-%s", o);
	T_PLACE("FRA1", want.ptr);
	/* a union with a part missing from the layer */
	buf_reset(&want);
	buf_printf(&want, "LT00:-%s", n);
	T_PLACE("LT00", want.ptr);
	buf_release(&want);
}

T_TEST(unplaced_text)
{
	char *v[] = { "NO01", "FRZZ", "DE11", "NO03", "XX99", "FRA1" };
	struct nuts_place pl[6];
	unsigned char skip[6] = { 0, 0, 0, 0, 0, 1 };
	struct buf b = BUF_INIT;
	nuts_place_regions(v, 6, test_lookup, NULL, pl);
	T_EQ_INT(nuts_unplaced_text(&b, v, pl, 6, NULL, 0), 5);
	T_EQ_STR(b.ptr, "boundaries changed (no correspondence): NO01, NO03; extra-regio (no territory): FRZZ; "
			"outside the map's frame: FRA1; no boundary: XX99");
	buf_reset(&b);
	T_EQ_INT(nuts_unplaced_text(&b, v, pl, 6, skip, 1), 4);
	T_EQ_STR(b.ptr, "zmienione granice (brak odpowiednika): NO01, NO03; region eksterytorialny (bez terytorium): FRZZ; "
			"brak granic: XX99");
	buf_release(&b);
	{
		/* two of one reason: the Polish words agree with them */
		char *w[] = { "FRZZ", "ELZZ" };
		struct nuts_place p2[2];
		nuts_place_regions(w, 2, test_lookup, NULL, p2);
		T_EQ_INT(nuts_unplaced_text(&b, w, p2, 2, NULL, 1), 2);
		T_EQ_STR(b.ptr, "regiony eksterytorialne (bez terytorium): FRZZ, ELZZ");
		buf_release(&b);
	}
}

T_TEST(country_names)
{
	static const char *const codes[] = { "AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "EL", "ES",
		"FI", "FR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "ME", "MK", "MT", "NL", "NO", "PL",
		"PT", "RO", "RS", "SE", "SI", "SK", "TR", "UK" };
	size_t k, found = 0;
	for (k = 0; k < sizeof(codes) / sizeof(*codes); k++)
		found += nuts_country_name(codes[k], 0) != NULL && nuts_country_name(codes[k], 1) != NULL;
	T_EQ_INT(found, sizeof(codes) / sizeof(*codes));   /* every one found: the table is sorted */
	T_EQ_STR(nuts_country_name("EL30", 0), "Greece");
	T_EQ_STR(nuts_country_name("EL30", 1), "Grecja");
	T_EQ_STR(nuts_country_name("UKM2", 0), "United Kingdom");
	T_EQ_STR(nuts_country_name("PL71", 1), "Polska");
	T_OK(nuts_country_name("GR", 0) == NULL);   /* ISO's code for Greece is not Eurostat's */
	T_OK(nuts_country_name("Z", 0) == NULL && nuts_country_name("", 0) == NULL && nuts_country_name(NULL, 0) == NULL);
	T_OK(nuts_country_name("ZZ", 0) == NULL && nuts_country_name("AA", 0) == NULL);
}

int main(void)
{
	T_RUN(country_names);
	T_RUN(table_shape);
	T_RUN(sources_targets_disjoint);
	T_RUN(targets_in_nuts2021);
	T_RUN(polish_voivodeships);
	T_RUN(placement);
	T_RUN(unplaced_text);
	return t_done();
}
