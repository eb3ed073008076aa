/*
 * nuts.h — NUTS-2 codes of older versions of the classification and the
 * NUTS 2021 regions that cover the same territory, so that statistics
 * published in NUTS 2013 (or older) codes — Eurostat's SBS tables of 2015
 * mix codes of 2006, 2010 and 2013 — can be drawn on NUTS 2021 boundaries.
 *
 * Source: Eurostat, "NUTS — History" (ec.europa.eu/eurostat/web/nuts/history),
 * the tables of changes and correspondences "NUTS 2006 – NUTS 2010",
 * "NUTS 2010 – NUTS 2013", "NUTS 2013 – NUTS 2016" and "NUTS 2016 –
 * NUTS 2021", followed through to 2021.  The table holds every NUTS-2 code
 * that changed between 2013 and 2021, and the older codes that Eurostat's
 * tables of that period still list; a code not in it is either a NUTS 2021
 * code or has no known successor.  Codes that stayed the same while their
 * boundary moved a little (DE91/DE92, NO02, the Dutch provinces) are
 * matched as they are.  Where old regions cut across the NUTS-2 regions of
 * 2021 but are made of NUTS-3 regions (Scotland's UKM2 and UKM3, Norway's
 * NO04 and NO05, Ireland's IE01 and IE02 but for one county), they are
 * drawn on those NUTS-3 regions: the layer must then hold them as well
 * (the portal loads them as "parts", drawn only where they carry a value).
 *
 * Ownership: everything here is static and read-only.
 */
#ifndef KLASTER_NUTS_H
#define KLASTER_NUTS_H

#include <stddef.h>

/* How an older region relates to its NUTS 2021 region(s). */
enum nuts_kind {
	NUTS_RECODE,    /* the same territory under a new code (FR24 → FRB0) */
	NUTS_BOUNDARY,  /* a new code after a small boundary shift: a few municipalities
			   moved (SI01 → SI03, UKD2 → UKD6: Halton went to Merseyside), or
			   one county (IE01 → IE041 + IE042 + IE063 without Louth) */
	NUTS_UNION,     /* the old region is exactly the union of the 2021 regions
			   (HU10 → HU11 + HU12) */
	NUTS_MERGE,     /* the old region is a part of the 2021 region, merged with its
			   neighbours (DE41 + DE42 → DE40) */
	NUTS_NONE,      /* boundaries moved between regions: no 2021 region or union
			   matches (NO01, NO03 → NO081, NO082, NO091) */
};

#define NUTS_MAX_PARTS 8

struct nuts_change {
	const char *code;                    /* the older NUTS-2 code */
	enum nuts_kind kind;
	int until;                           /* the last NUTS version with the code: 2006 … 2016 */
	const char *to[NUTS_MAX_PARTS + 1];  /* NUTS 2021 codes, NULL-terminated; none for NUTS_NONE.
						NUTS-2 regions, or NUTS-3 regions (five characters: the
						parts of data/reference/eu_nuts3_2021_parts_20M_4326.geojson)
						where no NUTS-2 region fits */
	const char *name;                    /* the old region's name */
};

/* The table, sorted by code (byte order), and its length. */
extern const struct nuts_change nuts_changes[];
extern const size_t nuts_nchanges;

/* The entry of an older code, or NULL. */
const struct nuts_change *nuts_change_find(const char *code);
/* Whether code is a NUTS-3 code (five characters: CC + three). */
int nuts_is_nuts3(const char *code);
/* Whether code looks like a NUTS code: a country's two capitals, then one to three letters or
 * digits (PL21, DE41, PL213). */
int nuts_code_like(const char *code);
/* "recode", "boundary", "union", "merge", "none". */
const char *nuts_kind_name(enum nuts_kind k);

/* The frame of the maps of Europe (minlon, minlat, maxlon, maxlat): the
 * mainland with the islands of the Mediterranean, the Atlantic coast and
 * Iceland.  The outermost regions (the Canaries, the Azores, Madeira, the
 * French overseas departments) lie outside it. */
extern const double nuts_europe_frame[4];

/* Why a region of the data is not drawn. */
enum nuts_why {
	NUTS_DRAWN,          /* it is */
	NUTS_NO_BOUNDARY,    /* no boundary with its code, and no correspondence */
	NUTS_EXTRA_REGIO,    /* …ZZ: extra-regio, no territory */
	NUTS_CHANGED,        /* NUTS_NONE: boundaries changed, no correspondence */
	NUTS_OUTSIDE_FRAME,  /* its boundary lies outside the map's frame */
	NUTS_TOO_SMALL,      /* its boundary is too small to draw at the map's scale */
	NUTS_CLAIMED,        /* its NUTS 2021 region is in the data itself, or is claimed by
				another old code of the data (DE41 and DE42) */
};
/* The reason in English ("boundaries changed (no correspondence)") or in Polish. */
const char *nuts_why_text(enum nuts_why w, int polish);

/* The name of the country of a NUTS code (its first two letters, Eurostat's
 * country codes: "EL" Greece, "UK" United Kingdom) in Polish or English, or
 * NULL for a code of no country of the NUTS classification. */
const char *nuts_country_name(const char *code, int polish);

/* Where one region of a dataset is drawn: on n features of a layer. */
struct nuts_place {
	size_t n;                           /* 0: not drawn, see why */
	long feat[NUTS_MAX_PARTS];          /* the caller's feature indices */
	const struct nuts_change *via;      /* the correspondence, NULL: the code itself */
	enum nuts_why why;
};

/*
 * A layer of NUTS 2021 boundaries as nuts_place_regions sees it: the index
 * (>= 0) of the feature with this code, or -1 when there is none.  *shown
 * is 1 on entry; set it to 0 when the feature lies outside the map's
 * frame, to -1 when it is too small to draw (Ceuta at the scale of Europe).
 */
typedef long (*nuts_lookup)(const void *ctx, const char *code, int *shown);

/*
 * Places the n regions of a dataset (codes, any order, distinct) on a layer
 * of NUTS 2021 boundaries; out has n entries.  A code found in the layer is
 * drawn as itself.  Otherwise its correspondence is used when every 2021
 * region it names has a boundary in the frame and is claimed by no other
 * region of the data — neither held by the data itself (DED1 is not drawn
 * when the data has DED4) nor named by another old code of the data (FR91
 * and FRA1 both → FRY1; DE41 and DE42 both → DE40: neither is drawn, as
 * two regions of the data are never drawn on one polygon).  So a merged
 * part (NUTS_MERGE) is drawn, on the whole 2021 region, only when it is
 * the only part in the data.  A region drawn through a union is drawn on
 * every part.
 */
void nuts_place_regions(char *const *codes, size_t n, nuts_lookup look, const void *ctx, struct nuts_place *out);

/* The place of a region on a layer of its own codes: feature f, or no
 * boundary when f < 0 (no correspondence is looked up). */
void nuts_place_one(struct nuts_place *p, long f);

/*
 * Appends the regions that are not drawn, by reason, as plain text:
 * "boundaries changed (no correspondence): NO01, NO03; extra-regio (no
 * territory): FRZZ" (in Polish when polish), at most 40 codes a reason
 * (then "…").  skip (may be NULL) marks regions to leave out (not in the
 * data that year, cube_absent).  Returns how many regions it names or
 * counts.  Errors are sticky in out.
 */
struct buf;
size_t nuts_unplaced_text(struct buf *out, char *const *codes, const struct nuts_place *pl, size_t n,
			  const unsigned char *skip, int polish);

#endif
