/*
 * cube.c — the region × industry × year cube and its builder.  See cube.h.
 *
 * The builder interns region and industry codes in their own hash tables
 * (and years in a third), so that a cell is keyed by three small integers:
 * adding to an existing cell costs two string hashes and no allocation.
 * Cells live in one array, found through an open-addressing table of
 * indices (linear probing, at most half full).  The reference economy uses the same table with the region index
 * REF_REGION.
 *
 * Codes named only by cube_builder_names, cube_builder_traded or
 * cube_builder_ref, and years given only in the reference, do not become
 * part of the cube: the cube holds what cube_builder_add saw.  A reference
 * value for year 0 (a reference without a year) applies to every year of
 * the cube that the reference does not give explicitly.
 *
 * Without CUBE_SUM, each cell remembers where it came from (the "src"
 * strings, kept in one arena) so that a repeated cell names both places.
 *
 * est and wage are allocated only when some cube_builder_add call passed a
 * value (not NAN) for them.
 */
#include "cube.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "esc.h"

/* The largest cube (cells) finish builds; a bigger one is an input error. */
#define CUBE_MAX_CELLS ((size_t)1 << 28)
/* The most regions, industries or years. */
#define CUBE_MAX_CODES ((uint32_t)0x7FFFFFF0)
#define REF_REGION UINT32_MAX

struct entry {
	char *code;
	char *name;         /* NULL when not given */
	uint64_t hash;
	size_t traded_src;  /* offset in srcs of where traded was given */
	signed char traded; /* -1 not given */
	unsigned char used; /* seen by cube_builder_add */
	size_t *ysrc;       /* regions: offset in srcs of the first row in each year (by index), 0 = none */
	uint32_t nysrc;
};

struct dict {
	struct entry *e;
	size_t n, alloc;
	uint32_t *slot;     /* entry index + 1, 0 = empty */
	size_t nslot;       /* a power of two, or 0 */
	uint32_t last;      /* the entry found last (a cheap cache), or UINT32_MAX */
};

struct years {
	int *val;
	unsigned char *used;
	size_t n, alloc;
	uint32_t *slot;
	size_t nslot;
	uint32_t last;
};

/* What parts a cell's value k (0 employment, 1 establishments, 2 wages) was added up from
 * (struct cell's parts: two bits a value). */
#define PART_KNOWN(k) (1u << (2 * (k)))
#define PART_MISSING(k) (2u << (2 * (k)))

struct cell {
	uint32_t r, i, y;
	unsigned char parts;  /* PART_KNOWN(k) | PART_MISSING(k): the values k given for it */
	double v[3];        /* emp, est, wage */
	uint32_t src, line; /* where it was first given (cell_src_keep), src 0 when not kept */
};

struct cube_builder {
	int flags;
	struct dict reg, ind;
	struct years yr;
	struct cell *cell;      /* in the order of creation */
	size_t ncell, cellalloc;
	uint32_t *slot;         /* cell index + 1, 0 = empty; small, so it stays in cache */
	size_t nslot;           /* a power of two, or 0 */
	struct buf srcs;        /* NUL-terminated strings; offset 0 is "" */
	int has_est, has_wage;
	size_t nref;            /* cube_builder_ref calls: a reference was given */
	uint32_t ref_src0;      /* the src of the first of them */
	size_t renamed;         /* names that replaced another (cube_builder_renamed) */
	char first_renamed[200];
	size_t last;            /* the cell cube_builder_add gave a value last, + 1; 0: none (cube_builder_note_missing) */
	struct buf src_scratch; /* a source made from a file and line (src_text) */
	struct buf cell_scratch; /* a cell's source made again (cell_src) */
	size_t last_src, last_cell_src; /* what src_keep and cell_src_keep kept last (src_intern) */
};

/* ---- hashing -------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t hash_cell(uint32_t r, uint32_t i, uint32_t y)
{
	return hash_u64(((uint64_t)r << 32 | i) ^ hash_u64((uint64_t)y + 0x9E3779B97F4A7C15ULL));
}

/* ---- string dictionaries --------------------------------------------- */

static void dict_rehash(struct dict *d)
{
	size_t n = d->nslot ? d->nslot * 2 : 64, k;
	uint32_t *slot = xcalloc(n, sizeof(*slot));
	for (k = 0; k < d->n; k++) {
		size_t j = (size_t)d->e[k].hash & (n - 1);
		while (slot[j])
			j = (j + 1) & (n - 1);
		slot[j] = (uint32_t)k + 1;
	}
	free(d->slot);
	d->slot = slot;
	d->nslot = n;
}

/* The index of code in d, added when absent; UINT32_MAX when d is full. */
static uint32_t dict_get(struct dict *d, const char *code)
{
	uint64_t h;
	size_t j;
	uint32_t k;

	if (d->last < d->n && strcmp(d->e[d->last].code, code) == 0)
		return d->last;
	h = hash_str(code);
	if (d->nslot) {
		for (j = (size_t)h & (d->nslot - 1); (k = d->slot[j]) != 0; j = (j + 1) & (d->nslot - 1)) {
			struct entry *x = &d->e[k - 1];
			if (x->hash == h && strcmp(x->code, code) == 0)
				return d->last = k - 1;
		}
	}
	if (d->n >= CUBE_MAX_CODES)
		return UINT32_MAX;
	if (d->n == d->alloc) {
		d->alloc = d->alloc ? st_mult(d->alloc, 2) : 16;
		d->e = xrealloc(d->e, st_mult(d->alloc, sizeof(*d->e)));
	}
	k = (uint32_t)d->n++;
	memset(&d->e[k], 0, sizeof(d->e[k]));
	d->e[k].code = xstrdup(code);
	d->e[k].hash = h;
	d->e[k].traded = -1;
	if (2 * d->n > d->nslot) {
		dict_rehash(d);
	} else {
		for (j = (size_t)h & (d->nslot - 1); d->slot[j]; j = (j + 1) & (d->nslot - 1))
			;
		d->slot[j] = k + 1;
	}
	return d->last = k;
}

static void dict_release(struct dict *d)
{
	size_t k;
	for (k = 0; k < d->n; k++) {
		free(d->e[k].code);
		free(d->e[k].name);
		free(d->e[k].ysrc);
	}
	free(d->e);
	free(d->slot);
	memset(d, 0, sizeof(*d));
}

/* ---- years ------------------------------------------------------------ */

static uint32_t years_get(struct years *t, int year)
{
	size_t j;
	uint32_t k;
	if (t->last < t->n && t->val[t->last] == year)
		return t->last;
	if (t->nslot) {
		for (j = (size_t)hash_u64((uint32_t)year) & (t->nslot - 1); (k = t->slot[j]) != 0;
		     j = (j + 1) & (t->nslot - 1))
			if (t->val[k - 1] == year)
				return t->last = k - 1;
	}
	if (t->n >= CUBE_MAX_CODES)
		return UINT32_MAX;
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? st_mult(t->alloc, 2) : 8;
		t->val = xrealloc(t->val, st_mult(t->alloc, sizeof(*t->val)));
		t->used = xrealloc(t->used, t->alloc);
	}
	k = (uint32_t)t->n++;
	t->val[k] = year;
	t->used[k] = 0;
	if (2 * t->n > t->nslot) {
		size_t n = t->nslot ? t->nslot * 2 : 16, m;
		uint32_t *slot = xcalloc(n, sizeof(*slot));
		for (m = 0; m < t->n; m++) {
			for (j = (size_t)hash_u64((uint32_t)t->val[m]) & (n - 1); slot[j]; j = (j + 1) & (n - 1))
				;
			slot[j] = (uint32_t)m + 1;
		}
		free(t->slot);
		t->slot = slot;
		t->nslot = n;
	} else {
		for (j = (size_t)hash_u64((uint32_t)year) & (t->nslot - 1); t->slot[j]; j = (j + 1) & (t->nslot - 1))
			;
		t->slot[j] = k + 1;
	}
	return t->last = k;
}

/* ---- cells -------------------------------------------------------------- */

static void slots_grow(struct cube_builder *b)
{
	size_t n = b->nslot ? st_mult(b->nslot, 2) : 1024, k, j;
	uint32_t *slot = xcalloc(n, sizeof(*slot));
	for (k = 0; k < b->ncell; k++) {
		const struct cell *x = &b->cell[k];
		for (j = (size_t)hash_cell(x->r, x->i, x->y) & (n - 1); slot[j]; j = (j + 1) & (n - 1))
			;
		slot[j] = (uint32_t)k + 1;
	}
	free(b->slot);
	b->slot = slot;
	b->nslot = n;
}

/* The cell (r, i, y), or NULL when there are too many; *fresh says whether it was just created. */
static struct cell *cell_get(struct cube_builder *b, uint32_t r, uint32_t i, uint32_t y, int *fresh)
{
	size_t j;
	uint32_t k;
	struct cell *x;
	if (b->ncell >= CUBE_MAX_CODES)
		return NULL;
	if (b->flags & CUBE_UNIQUE) {
		j = 0;   /* no table: each cell is new (cube.h) */
	} else {
		if (2 * (b->ncell + 1) > b->nslot)
			slots_grow(b);
		for (j = (size_t)hash_cell(r, i, y) & (b->nslot - 1); (k = b->slot[j]) != 0;
		     j = (j + 1) & (b->nslot - 1)) {
			x = &b->cell[k - 1];
			if (x->r == r && x->i == i && x->y == y) {
				*fresh = 0;
				return x;
			}
		}
	}
	if (b->ncell == b->cellalloc) {
		b->cellalloc = b->cellalloc ? st_mult(b->cellalloc, 2) : 256;
		b->cell = xrealloc(b->cell, st_mult(b->cellalloc, sizeof(*b->cell)));
	}
	if (!(b->flags & CUBE_UNIQUE))
		b->slot[j] = (uint32_t)b->ncell + 1;
	x = &b->cell[b->ncell++];
	x->r = r;
	x->i = i;
	x->y = y;
	x->parts = 0;
	x->v[0] = x->v[1] = x->v[2] = NAN;
	x->src = x->line = 0;
	*fresh = 1;
	return x;
}

/*
 * The offset in srcs of the n bytes at s kept as a string: *last, the one
 * kept last this way, when it is the same (the rows of a file name one
 * file), else a new one.  0 when n is 0, or when offsets would no longer
 * fit a cell's 32 bits (the cell then names no source).
 */
static size_t src_intern(struct cube_builder *b, const char *s, size_t n, size_t *last)
{
	size_t off;
	if (!n)
		return 0;
	if (*last && memcmp(b->srcs.ptr + *last, s, n) == 0 && !b->srcs.ptr[*last + n])
		return *last;
	off = b->srcs.len;
	if (off + n + 1 > UINT32_MAX)
		return 0;
	buf_add(&b->srcs, s, n);
	buf_putc(&b->srcs, '\0');
	if (buf_failed(&b->srcs))
		BUG("cube: out of memory for sources");
	return *last = off;
}

/* The offset in srcs of src kept whole (0 for none). */
static size_t src_keep(struct cube_builder *b, const char *src)
{
	return src ? src_intern(b, src, strlen(src), &b->last_src) : 0;
}

/*
 * A cell's source kept as the text before its ":LINE" and the line (1 to
 * 999999999, written without leading zeros: the text made again by cell_src
 * is the same), so that the cells of one file share its name; a source
 * without such a line is kept whole (line 0).
 */
static void cell_src_keep(struct cube_builder *b, struct cell *x, const char *src)
{
	const char *colon = src ? strrchr(src, ':') : NULL;
	size_t nd = colon ? strlen(colon + 1) : 0;
	x->line = 0;
	if (nd >= 1 && nd <= 9 && colon[1] != '0' && strspn(colon + 1, "0123456789") == nd) {
		x->line = (uint32_t)strtoul(colon + 1, NULL, 10);
		x->src = (uint32_t)src_intern(b, src, (size_t)(colon - src), &b->last_cell_src);
		if (!x->src)
			x->line = 0;
	} else {
		x->src = (uint32_t)(src ? src_intern(b, src, strlen(src), &b->last_cell_src) : 0);
	}
}

/* The source of cell x as it was given ("" when not kept); valid until the next call. */
static const char *cell_src(struct cube_builder *b, const struct cell *x)
{
	if (!x->line)
		return b->srcs.ptr + x->src;
	buf_reset(&b->cell_scratch);
	buf_puts(&b->cell_scratch, b->srcs.ptr + x->src);
	buf_putc(&b->cell_scratch, ':');
	buf_put_long(&b->cell_scratch, (long)x->line);
	return b->cell_scratch.ptr;
}

/* "first at line 9" when both sources name the same file, else "first at f.csv:9". */
static void describe_first(char *out, size_t size, const char *src, const char *first)
{
	const char *a = src ? strrchr(src, ':') : NULL, *f = strrchr(first, ':');
	if (!*first)
		snprintf(out, size, "given before");
	else if (a && f && a - src == f - first && memcmp(src, first, (size_t)(a - src)) == 0)
		snprintf(out, size, "first at line %s", f + 1);
	else
		snprintf(out, size, "first at %s", first);
}

static const char *prefix_of(const char *src)
{
	return src && *src ? src : "";
}

static const char *colon_of(const char *src)
{
	return src && *src ? ": " : "";
}

/* ---- the builder ---------------------------------------------------------- */

struct cube_builder *cube_builder_new(int flags)
{
	struct cube_builder *b = xcalloc(1, sizeof(*b));
	b->flags = flags;
	b->reg.last = b->ind.last = b->yr.last = UINT32_MAX;
	buf_init(&b->srcs, 256);
	buf_putc(&b->srcs, '\0');
	buf_init(&b->src_scratch, 64);
	buf_init(&b->cell_scratch, 64);
	return b;
}

void cube_builder_free(struct cube_builder *b)
{
	if (!b)
		return;
	dict_release(&b->reg);
	dict_release(&b->ind);
	free(b->yr.val);
	free(b->yr.used);
	free(b->yr.slot);
	free(b->cell);
	free(b->slot);
	buf_release(&b->srcs);
	buf_release(&b->src_scratch);
	buf_release(&b->cell_scratch);
	free(b);
}

static int too_many(const char *src, const char *what, struct kerr *e)
{
	return kerr_set(e, KERR_TOOBIG, "%s%smore than %lu %s", prefix_of(src), colon_of(src),
			(unsigned long)CUBE_MAX_CODES, what);
}

static void year_text(char *out, size_t size, int year)
{
	if (year)
		snprintf(out, size, ", year %d", year);
	else
		out[0] = '\0';
}

static void put_value(struct cube_builder *b, struct cell *x, int fresh, const double v[3])
{
	int k;
	for (k = 0; k < 3; k++) {
		x->parts |= isnan(v[k]) ? PART_MISSING(k) : PART_KNOWN(k);
		if (fresh || isnan(x->v[k]))
			x->v[k] = v[k];
		else if (!isnan(v[k]))
			x->v[k] += v[k];
	}
}

/* Remembers src as the first row of region r in year y, unless one is known. */
static void region_year_src(struct cube_builder *b, uint32_t r, uint32_t y, const char *src)
{
	struct entry *x = &b->reg.e[r];
	if (!src || !*src)
		return;
	if (y >= x->nysrc) {
		uint32_t n = y + 1 > 2 * x->nysrc ? y + 1 : 2 * x->nysrc;
		x->ysrc = xrealloc(x->ysrc, st_mult(n, sizeof(*x->ysrc)));
		memset(x->ysrc + x->nysrc, 0, (n - x->nysrc) * sizeof(*x->ysrc));
		x->nysrc = n;
	}
	if (!x->ysrc[y])
		x->ysrc[y] = src_keep(b, src);
}

/*
 * A code is text: a control character (ESC, BEL …) in one is a broken file,
 * and would reach the terminal in every message naming the code.  -1 with a
 * message naming what (region, industry) when code holds one.
 */
static int code_control(const char *what, const char *code, const char *src, struct kerr *e)
{
	unsigned cc = text_control(code);
	if (!cc)
		return 0;
	return kerr_set(e, KERR_INPUT, "%s%s%s code holds a control character (U+%04X): codes are text",
			prefix_of(src), colon_of(src), what, cc);
}

/* The index of code in d (regions, industries: what), added when new; UINT32_MAX with a message. */
static uint32_t code_index(struct dict *d, const char *what, const char *code, const char *src, struct kerr *e)
{
	uint32_t k = dict_get(d, code);
	if (k == UINT32_MAX)
		too_many(src, what, e);
	return k;
}

uint32_t cube_builder_region(struct cube_builder *b, const char *code, const char *src, struct kerr *e)
{
	return code_control("region", code, src, e) ? UINT32_MAX : code_index(&b->reg, "regions", code, src, e);
}

uint32_t cube_builder_industry(struct cube_builder *b, const char *code, const char *src, struct kerr *e)
{
	return code_control("industry", code, src, e) ? UINT32_MAX : code_index(&b->ind, "industries", code, src, e);
}

void cube_builder_reserve(struct cube_builder *b, size_t ncells)
{
	if (ncells > CUBE_MAX_CODES)
		ncells = CUBE_MAX_CODES;
	while (!(b->flags & CUBE_UNIQUE) && 2 * (ncells + 1) > b->nslot)
		slots_grow(b);
	if (ncells > b->cellalloc) {
		b->cellalloc = ncells;
		b->cell = xrealloc(b->cell, st_mult(b->cellalloc, sizeof(*b->cell)));
	}
}

/*
 * The source of a cell: src, or "FILE:LINE" of file and line (in b's
 * scratch buffer) when src is NULL and file is not — made only when a
 * cell keeps it or a message names it.
 */
static const char *src_text(struct cube_builder *b, const char *src, const char *file, long line)
{
	if (src || !file)
		return src;
	buf_reset(&b->src_scratch);
	buf_puts(&b->src_scratch, file);
	buf_putc(&b->src_scratch, ':');
	buf_put_long(&b->src_scratch, line);
	return b->src_scratch.ptr;
}

/* cube_builder_add of codes r and i (indexes in b), from src or else file:line. */
static int add_at(struct cube_builder *b, uint32_t r, uint32_t i, int year, const double v[3], const char *src,
		  const char *file, long line, struct kerr *e)
{
	uint32_t y;
	struct cell *x;
	int fresh;

	if (r >= b->reg.n || i >= b->ind.n)
		BUG("cube_builder_add_at: region %lu or industry %lu is not a code of the builder", (unsigned long)r,
		    (unsigned long)i);
	if ((y = years_get(&b->yr, year)) == UINT32_MAX)
		return too_many(src_text(b, src, file, line), "years", e);
	if (!(x = cell_get(b, r, i, y, &fresh)))
		return too_many(src_text(b, src, file, line), "cells", e);
	if (!fresh && !(b->flags & CUBE_SUM)) {
		char yt[32], first[256];
		src = src_text(b, src, file, line);
		year_text(yt, sizeof(yt), year);
		describe_first(first, sizeof(first), src, cell_src(b, x));
		return kerr_set(e, KERR_CONFLICT, "%s%sregion %s, industry %s%s given twice (%s)", prefix_of(src),
				colon_of(src), b->reg.e[r].code, b->ind.e[i].code, yt, first);
	}
	b->reg.e[r].used = 1;
	b->ind.e[i].used = 1;
	b->yr.used[y] = 1;
	if (!isnan(v[1]))
		b->has_est = 1;
	if (!isnan(v[2]))
		b->has_wage = 1;
	put_value(b, x, fresh, v);
	b->last = (size_t)(x - b->cell) + 1;
	if (fresh && !(b->flags & CUBE_SUM) && !src && file && line > 0 && line <= 999999999) {
		/* the file's name and the line as they are, not written out and read back */
		x->src = (uint32_t)src_intern(b, file, strlen(file), &b->last_cell_src);
		x->line = x->src ? (uint32_t)line : 0;
	} else if (fresh && !(b->flags & CUBE_SUM)) {
		cell_src_keep(b, x, src_text(b, src, file, line));
	}
	if (fresh && !(y < b->reg.e[r].nysrc && b->reg.e[r].ysrc[y]))
		region_year_src(b, r, y, src_text(b, src, file, line));
	return 0;
}

int cube_builder_add(struct cube_builder *b, const char *region, const char *industry, int year,
		     double emp, double est, double wage, const char *src, struct kerr *e)
{
	uint32_t r, i;
	const double v[3] = { emp, est, wage };

	if (!region || !industry)
		BUG("cube_builder_add: no code");
	/* both codes are checked before either is added */
	if (code_control("region", region, src, e) || code_control("industry", industry, src, e) ||
	    (r = code_index(&b->reg, "regions", region, src, e)) == UINT32_MAX ||
	    (i = code_index(&b->ind, "industries", industry, src, e)) == UINT32_MAX)
		return -1;
	return add_at(b, r, i, year, v, src, NULL, 0, e);
}

int cube_builder_add_at(struct cube_builder *b, uint32_t region, uint32_t industry, int year, double emp,
			double est, double wage, const char *file, long line, struct kerr *e)
{
	const double v[3] = { emp, est, wage };
	return add_at(b, region, industry, year, v, NULL, file, line, e);
}

/* Gives entry x of a dictionary of what codes name, counting a change. */
static void set_name(struct cube_builder *b, struct entry *x, const char *what, const char *code, const char *name)
{
	if (x->name && strcmp(x->name, name) == 0)
		return;
	if (x->name && !b->renamed++)
		snprintf(b->first_renamed, sizeof(b->first_renamed), "%s %s: '%s' then '%s'", what, code, x->name,
			 name);
	free(x->name);
	x->name = xstrdup(name);
}

void cube_builder_names(struct cube_builder *b, const char *region, const char *region_name,
			const char *industry, const char *industry_name)
{
	uint32_t k;
	if (region && region_name && *region_name && (k = dict_get(&b->reg, region)) != UINT32_MAX)
		set_name(b, &b->reg.e[k], "region", region, region_name);
	if (industry && industry_name && *industry_name &&
	    (k = dict_get(&b->ind, industry)) != UINT32_MAX)
		set_name(b, &b->ind.e[k], "industry", industry, industry_name);
}

size_t cube_builder_renamed(const struct cube_builder *b, char *first, size_t size)
{
	if (size)
		snprintf(first, size, "%s", b->renamed ? b->first_renamed : "");
	return b->renamed;
}

int cube_builder_traded(struct cube_builder *b, const char *industry, int traded, const char *src,
			const char *col, const char *code, struct kerr *e)
{
	uint32_t k = dict_get(&b->ind, industry);
	struct entry *x;
	if (k == UINT32_MAX)
		return too_many(src, "industries", e);
	x = &b->ind.e[k];
	traded = traded ? 1 : 0;
	if (x->traded >= 0 && x->traded != traded) {
		char first[256];
		describe_first(first, sizeof(first), src, b->srcs.ptr + x->traded_src);
		int other = code && strcmp(code, industry) != 0;
		return kerr_set(e, KERR_CONFLICT, "%s%s%s%s%sindustry %s%s%s%s is marked %s here but %s before (%s)",
				prefix_of(src), colon_of(src), col ? "column " : "", col ? col : "",
				col ? ": " : "", other ? code : industry, other ? " (cluster " : "",
				other ? industry : "", other ? ")" : "", traded ? "traded" : "local",
				traded ? "local" : "traded", first);
	}
	if (x->traded < 0) {
		x->traded = (signed char)traded;
		x->traded_src = src_keep(b, src);
	}
	return 0;
}

int cube_builder_ref(struct cube_builder *b, const char *industry, int year, double emp,
		     const char *src, struct kerr *e)
{
	uint32_t i, y;
	struct cell *x;
	int fresh;
	double v[3];
	if ((i = dict_get(&b->ind, industry)) == UINT32_MAX)
		return too_many(src, "industries", e);
	if ((y = years_get(&b->yr, year)) == UINT32_MAX)
		return too_many(src, "years", e);
	if (!(x = cell_get(b, REF_REGION, i, y, &fresh)))
		return too_many(src, "cells", e);
	if (!fresh && !(b->flags & CUBE_SUM)) {
		char yt[32], first[256];
		year_text(yt, sizeof(yt), year);
		describe_first(first, sizeof(first), src, cell_src(b, x));
		return kerr_set(e, KERR_CONFLICT, "%s%sreference employment for industry %s%s given twice (%s)",
				prefix_of(src), colon_of(src), industry, yt, first);
	}
	v[0] = emp;
	v[1] = v[2] = NAN;
	if (!fresh && (isnan(x->v[0]) || isnan(emp)))
		/* a sum with an unknown part is unknown: the known parts' total would pass for the
		 * whole nation, too small a reference raising the LQs (cube.h) */
		v[0] = x->v[0] = NAN;
	put_value(b, x, fresh, v);
	if (fresh)
		cell_src_keep(b, x, src);  /* kept with sums too: a message about the reference names it */
	if (!b->nref++)
		b->ref_src0 = (uint32_t)src_keep(b, src);
	return 0;
}

size_t cube_builder_ncells(const struct cube_builder *b)
{
	return b->ncell;
}

int cube_builder_sums(const struct cube_builder *b)
{
	return (b->flags & CUBE_SUM) != 0;
}

void cube_builder_note_missing(struct cube_builder *b, unsigned bits)
{
	int k;
	if (!b->last)
		BUG("cube_builder_note_missing: no cell given yet");
	for (k = 0; k < 3; k++)
		if (bits >> k & 1)
			b->cell[b->last - 1].parts |= PART_MISSING(k);
}

size_t cube_builder_partial_cells(const struct cube_builder *b, int value, char *first, size_t size)
{
	const unsigned both = PART_KNOWN(value) | PART_MISSING(value);
	size_t k, n = 0;
	if (size)
		first[0] = '\0';
	for (k = 0; k < b->ncell; k++) {
		const struct cell *x = &b->cell[k];
		char yt[32];
		if (x->r == REF_REGION || (x->parts & both) != both)
			continue;
		if (!n++ && size) {
			year_text(yt, sizeof(yt), b->yr.val[x->y]);
			snprintf(first, size, "region %s, industry %s%s", b->reg.e[x->r].code, b->ind.e[x->i].code, yt);
		}
	}
	return n;
}

/* ---- finish ------------------------------------------------------------- */

struct order {
	const char *code;
	uint32_t old;
};

static int order_cmp(const void *a, const void *b)
{
	return strcmp(((const struct order *)a)->code, ((const struct order *)b)->code);
}

static int year_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/*
 * Sorts the used entries of d by code: fills *codes, *names (moved out of
 * d) and map[old] = new index or UINT32_MAX; returns the count.
 */
static size_t dict_take(struct dict *d, char ***codes, char ***names, uint32_t *map)
{
	struct order *o;
	size_t n = 0, k;
	ALLOC_ARRAY(o, d->n ? d->n : 1);
	for (k = 0; k < d->n; k++) {
		map[k] = UINT32_MAX;
		if (d->e[k].used) {
			o[n].code = d->e[k].code;
			o[n].old = (uint32_t)k;
			n++;
		}
	}
	qsort(o, n, sizeof(*o), order_cmp);
	*codes = n ? xcalloc(n, sizeof(**codes)) : NULL;
	*names = n ? xcalloc(n, sizeof(**names)) : NULL;
	for (k = 0; k < n; k++) {
		struct entry *x = &d->e[o[k].old];
		map[o[k].old] = (uint32_t)k;
		(*codes)[k] = x->code;
		(*names)[k] = x->name;
		x->code = NULL;
		x->name = NULL;
	}
	free(o);
	return n;
}

/* The file of a "file:line" source ("ref.csv:3" gives "ref.csv"), copied; a source
 * without a line is copied whole; NULL for "". */
static char *src_file_of(const char *src)
{
	const char *colon = strrchr(src, ':'), *p;
	if (!*src)
		return NULL;
	if (colon && colon[1]) {
		for (p = colon + 1; *p >= '0' && *p <= '9'; p++)
			;
		if (!*p)
			return xstrndup(src, (size_t)(colon - src));
	}
	return xstrdup(src);
}

static double *nan_array(size_t n)
{
	double *p;
	size_t k;
	ALLOC_ARRAY(p, n);
	for (k = 0; k < n; k++)
		p[k] = NAN;
	return p;
}

/* CUBE_ABSENT_ZERO: the cells no row gave, of each region in the years it has a cell, become 0
 * (employment and establishments; wages stay unknown). */
static void absent_zero(const struct cube_builder *b, struct cube *out, const uint32_t *rmap, const uint32_t *imap,
			const uint32_t *ymap)
{
	size_t nry = st_mult(out->nyear, out->nreg), ncells = st_mult(nry, out->nind), k;
	unsigned char *given = xcalloc(ncells + 1, 1), *present = xcalloc(nry + 1, 1);
	for (k = 0; k < b->ncell; k++) {
		const struct cell *x = &b->cell[k];
		if (x->r == REF_REGION || rmap[x->r] == UINT32_MAX || imap[x->i] == UINT32_MAX || ymap[x->y] == UINT32_MAX)
			continue;
		given[cube_at(out, ymap[x->y], rmap[x->r], imap[x->i])] = 1;
		present[(size_t)ymap[x->y] * out->nreg + rmap[x->r]] = 1;
	}
	for (k = 0; k < ncells; k++) {
		if (given[k] || !present[k / out->nind])
			continue;
		out->emp[k] = 0;
		if (out->est)
			out->est[k] = 0;
	}
	free(given);
	free(present);
}

int cube_builder_finish(struct cube_builder *b, struct cube *out, struct kerr *e)
{
	uint32_t *rmap = NULL, *imap = NULL, *ymap = NULL;
	size_t k, ncells, y0 = (size_t)-1;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	ALLOC_ARRAY(rmap, b->reg.n ? b->reg.n : 1);
	ALLOC_ARRAY(imap, b->ind.n ? b->ind.n : 1);
	ALLOC_ARRAY(ymap, b->yr.n ? b->yr.n : 1);

	out->nreg = dict_take(&b->reg, &out->reg, &out->reg_name, rmap);
	out->nind = dict_take(&b->ind, &out->ind, &out->ind_name, imap);
	for (k = 0; k < b->yr.n; k++)
		if (b->yr.used[k])
			out->nyear++;
	if (out->nyear) {
		size_t n = 0;
		ALLOC_ARRAY(out->year, out->nyear);
		for (k = 0; k < b->yr.n; k++)
			if (b->yr.used[k])
				out->year[n++] = b->yr.val[k];
		qsort(out->year, out->nyear, sizeof(*out->year), year_cmp);
	}
	for (k = 0; k < b->yr.n; k++) {
		ymap[k] = UINT32_MAX;
		if (b->yr.used[k]) {
			int *p = bsearch(&b->yr.val[k], out->year, out->nyear, sizeof(int), year_cmp);
			ymap[k] = (uint32_t)(p - out->year);
		} else if (b->yr.val[k] == 0) {
			y0 = k;  /* a reference without a year */
		}
	}

	/* nyear * nreg * nind, checked without overflow */
	if (out->nreg && out->nind &&
	    (out->nind > CUBE_MAX_CELLS / out->nreg ||
	     out->nyear > CUBE_MAX_CELLS / (out->nreg * out->nind))) {
		kerr_set(e, KERR_TOOBIG, "the cube would have %zu regions × %zu industries × %zu years, "
			 "more than %zu cells", out->nreg, out->nind, out->nyear, CUBE_MAX_CELLS);
		goto out;
	}
	ncells = st_mult(st_mult(out->nyear, out->nreg), out->nind);
	if (ncells) {
		out->emp = nan_array(ncells);
		if (b->has_est)
			out->est = nan_array(ncells);
		if (b->has_wage)
			out->wage = nan_array(ncells);
		out->traded = xmalloc(out->nind);
		for (k = 0; k < b->ind.n; k++)
			if (imap[k] != UINT32_MAX)
				out->traded[imap[k]] = b->ind.e[k].traded;
		/* A reference given always counts, even when none of its values meets a cell of the
		 * data: the checks (stats_check) then name what does not match.  A reference none of
		 * whose industries is in the data is an error here. */
		if (b->nref) {
			const char *first_ref = NULL;
			int matched = 0;
			for (k = 0; k < b->ncell && !matched; k++) {
				struct cell *x = &b->cell[k];
				if (x->r != REF_REGION)
					continue;
				if (imap[x->i] != UINT32_MAX)
					matched = 1;
				else if (!first_ref)
					first_ref = b->ind.e[x->i].code;
			}
			out->ref_file = src_file_of(b->srcs.ptr + b->ref_src0);
			if (!matched) {
				kerr_set(e, KERR_INPUT, "%s%sno industry of the reference economy is an industry of the "
					 "data (the reference's first is %s, the data's first %s): the codes must match, "
					 "at the same level", out->ref_file ? out->ref_file : "",
					 out->ref_file ? ": " : "", first_ref ? first_ref : "?", out->ind[0]);
				goto out;
			}
		}
		if (b->nref) {
			size_t nref = st_mult(out->nyear, out->nind), at;
			out->ref = nan_array(nref);
			out->ref_src = xcalloc(nref, sizeof(*out->ref_src));
			/* explicit years first, then the year-0 reference where none is given */
			for (k = 0; k < b->ncell; k++) {
				struct cell *x = &b->cell[k];
				if (x->r == REF_REGION && imap[x->i] != UINT32_MAX &&
				    ymap[x->y] != UINT32_MAX) {
					at = (size_t)ymap[x->y] * out->nind + imap[x->i];
					out->ref[at] = x->v[0];
					if (x->src && !out->ref_src[at])
						out->ref_src[at] = xstrdup(cell_src(b, x));
				}
			}
			for (k = 0; k < b->ncell; k++) {
				struct cell *x = &b->cell[k];
				size_t yy;
				if (x->r != REF_REGION || imap[x->i] == UINT32_MAX || x->y != y0)
					continue;
				for (yy = 0; yy < out->nyear; yy++) {
					at = yy * out->nind + imap[x->i];
					if (isnan(out->ref[at])) {
						out->ref[at] = x->v[0];
						if (x->src && !out->ref_src[at])
							out->ref_src[at] = xstrdup(cell_src(b, x));
					}
				}
			}
		}
		/* the first row of each region in each year */
		for (k = 0; k < b->reg.n; k++) {
			const struct entry *x = &b->reg.e[k];
			uint32_t yk;
			if (rmap[k] == UINT32_MAX)
				continue;
			for (yk = 0; yk < x->nysrc && yk < b->yr.n; yk++) {
				if (!x->ysrc[yk] || ymap[yk] == UINT32_MAX)
					continue;
				if (!out->src)
					out->src = xcalloc(st_mult(out->nyear, out->nreg), sizeof(*out->src));
				out->src[(size_t)ymap[yk] * out->nreg + rmap[k]] = xstrdup(b->srcs.ptr + x->ysrc[yk]);
			}
		}
		for (k = 0; k < b->ncell; k++) {
			struct cell *x = &b->cell[k];
			size_t at;
			if (x->r == REF_REGION)
				continue;
			at = cube_at(out, ymap[x->y], rmap[x->r], imap[x->i]);
			out->emp[at] = x->v[0];
			if (out->est)
				out->est[at] = x->v[1];
			if (out->wage)
				out->wage[at] = x->v[2];
		}
		if (b->flags & CUBE_ABSENT_ZERO)
			absent_zero(b, out, rmap, imap, ymap);
	}
	rc = 0;
out:
	if (rc)
		cube_release(out);
	free(rmap);
	free(imap);
	free(ymap);
	cube_builder_free(b);
	return rc;
}

/* ---- the cube -------------------------------------------------------------- */

static size_t find_code(char *const *codes, size_t n, const char *code)
{
	size_t lo = 0, hi = n;
	if (!code)
		return (size_t)-1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(codes[mid], code);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

size_t cube_region(const struct cube *c, const char *code)
{
	return find_code(c->reg, c->nreg, code);
}

size_t cube_industry(const struct cube *c, const char *code)
{
	return find_code(c->ind, c->nind, code);
}

const char *cube_ind_name(const struct cube *c, size_t i, int en)
{
	char **v = c->ind_name_lang[en != 0];
	if (v && v[i])
		return v[i];
	return c->ind_name ? c->ind_name[i] : NULL;
}

void cube_set_ind_name(struct cube *c, size_t i, int en, const char *name)
{
	char ***v = &c->ind_name_lang[en != 0];
	if (!*v)
		*v = xcalloc(c->nind ? c->nind : 1, sizeof(char *));
	free((*v)[i]);
	(*v)[i] = xstrdup(name);
}

int cube_industry_in_year(const struct cube *c, size_t y, size_t i)
{
	size_t r;
	for (r = 0; r < c->nreg; r++)
		if (!cube_absent(c, y, r) && !isnan(c->emp[cube_at(c, y, r, i)]))
			return 1;
	return 0;
}

size_t cube_missing_cells(const struct cube *c, size_t *first)
{
	return cube_missing_cells_in(c, (size_t)-1, first);
}

size_t cube_missing_cells_in(const struct cube *c, size_t only, size_t *first)
{
	size_t y, r, i, n = 0;
	if (first)
		*first = (size_t)-1;
	for (y = 0; y < c->nyear; y++)
		for (i = 0; i < c->nind && (only == (size_t)-1 || y == only); i++) {
			if (!cube_industry_in_year(c, y, i))
				continue;   /* not an industry of that year */
			for (r = 0; r < c->nreg; r++)
				if (!cube_absent(c, y, r) && isnan(c->emp[cube_at(c, y, r, i)]) && !n++ && first)
					*first = cube_at(c, y, r, i);
		}
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t cube_nested_codes(char *const *codes, size_t n, const char **outer, const char **inner)
{
	char **s;
	size_t k, nested = 0;
	if (outer)
		*outer = NULL;
	if (inner)
		*inner = NULL;
	if (n < 2)
		return 0;
	ALLOC_ARRAY(s, n);
	memcpy(s, codes, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_str);
	/* the codes that start with a code follow it at once in sorted order */
	for (k = 0; k + 1 < n; k++) {
		size_t len = strlen(s[k]);
		if (!len || strncmp(s[k], s[k + 1], len) != 0 || !s[k + 1][len])
			continue;
		if (strchr(s[k], ' ') || strchr(s[k + 1], ' '))
			continue;   /* labels ("przemysł", "przemysł i budownictwo"), not codes of levels */
		if (!nested++) {
			if (outer)
				*outer = s[k];
			if (inner)
				*inner = s[k + 1];
		}
	}
	free(s);
	return nested;
}

size_t cube_year(const struct cube *c, int year)
{
	size_t lo = 0, hi = c->nyear;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->year[mid] == year)
			return mid;
		if (c->year[mid] < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

int cube_find_year(const struct cube *c, int year, size_t *y, struct kerr *e)
{
	struct buf b = BUF_INIT;
	size_t k;
	for (k = 0; k < c->nyear; k++) {
		if (c->year[k] == year) {
			*y = k;
			return 0;
		}
	}
	if (c->nyear == 1 && c->year[0] == 0) {
		buf_release(&b);
		return kerr_set(e, KERR_INPUT, "year %d is not in the data: it has no year column (one period)", year);
	}
	if (c->nyear > 12) {
		buf_printf(&b, "%d to %d", c->year[0], c->year[c->nyear - 1]);
	} else {
		for (k = 0; k < c->nyear; k++)
			buf_printf(&b, "%s%d", k ? ", " : "", c->year[k]);
	}
	kerr_set(e, KERR_INPUT, "year %d is not in the data (years: %s)", year, b.ptr);
	buf_release(&b);
	return -1;
}

static void free_strings(char **v, size_t n)
{
	size_t k;
	if (!v)
		return;
	for (k = 0; k < n; k++)
		free(v[k]);
	free(v);
}

static char **copy_strings(char *const *v, size_t n)
{
	char **w;
	size_t k;
	if (!v)
		return NULL;
	w = xmalloc(st_mult(n ? n : 1, sizeof(*w)));
	for (k = 0; k < n; k++)
		w[k] = v[k] ? xstrdup(v[k]) : NULL;
	return w;
}

void cube_copy(struct cube *out, const struct cube *c)
{
	size_t cells = st_mult(st_mult(c->nyear, c->nreg), c->nind);
	memset(out, 0, sizeof(*out));
	out->nreg = c->nreg;
	out->nind = c->nind;
	out->nyear = c->nyear;
	out->reg = copy_strings(c->reg, c->nreg);
	out->ind = copy_strings(c->ind, c->nind);
	out->reg_name = copy_strings(c->reg_name, c->nreg);
	out->ind_name = copy_strings(c->ind_name, c->nind);
	out->ind_name_lang[0] = copy_strings(c->ind_name_lang[0], c->nind);
	out->ind_name_lang[1] = copy_strings(c->ind_name_lang[1], c->nind);
	out->year = xmemdup(c->year, c->nyear, sizeof(*c->year));
	out->emp = xmemdup(c->emp, cells, sizeof(*c->emp));
	out->est = xmemdup(c->est, cells, sizeof(*c->est));
	out->wage = xmemdup(c->wage, cells, sizeof(*c->wage));
	out->traded = xmemdup(c->traded, c->nind, sizeof(*c->traded));
	out->ref = xmemdup(c->ref, st_mult(c->nyear, c->nind), sizeof(*c->ref));
	out->absent = xmemdup(c->absent, st_mult(c->nyear, c->nreg), sizeof(*c->absent));
	out->src = copy_strings(c->src, c->nyear * c->nreg);
	out->ref_src = copy_strings(c->ref_src, c->nyear * c->nind);
	out->ref_file = c->ref_file ? xstrdup(c->ref_file) : NULL;
	out->emp_col = copy_strings(c->emp_col, c->nyear);
}

void cube_release(struct cube *c)
{
	if (!c)
		return;
	free_strings(c->reg, c->nreg);
	free_strings(c->ind, c->nind);
	free_strings(c->reg_name, c->nreg);
	free_strings(c->ind_name, c->nind);
	free_strings(c->ind_name_lang[0], c->nind);
	free_strings(c->ind_name_lang[1], c->nind);
	free(c->year);
	free(c->emp);
	free(c->est);
	free(c->wage);
	free(c->traded);
	free(c->ref);
	free(c->ref_file);
	free(c->absent);
	free_strings(c->src, c->nyear * c->nreg);
	free_strings(c->ref_src, c->nyear * c->nind);
	free_strings(c->emp_col, c->nyear);
	memset(c, 0, sizeof(*c));
}

int cube_has_traded(const struct cube *c)
{
	size_t i;
	for (i = 0; c->traded && i < c->nind; i++)
		if (c->traded[i] == 1)
			return 1;
	return 0;
}

/* Removes the regions marked in gone, keeping the order of the others.
 * Cells move to lower indices only (year-major layout, fewer regions), in
 * increasing order, so the arrays are compacted in place. */
static void drop_regions(struct cube *c, const unsigned char *gone)
{
	size_t r, y, i, n = 0;
	int any = 0;

	for (r = 0; r < c->nreg; r++)
		n += !gone[r];
	if (c->src)
		for (y = 0; y < c->nyear; y++)
			for (r = 0; r < c->nreg; r++)
				if (gone[r]) {
					free(c->src[y * c->nreg + r]);
					c->src[y * c->nreg + r] = NULL;
				}
	for (y = 0; y < c->nyear; y++) {
		size_t to = 0;
		for (r = 0; r < c->nreg; r++) {
			if (gone[r])
				continue;
			for (i = 0; i < c->nind; i++) {
				size_t a = cube_at(c, y, r, i), b = (y * n + to) * c->nind + i;
				c->emp[b] = c->emp[a];
				if (c->est)
					c->est[b] = c->est[a];
				if (c->wage)
					c->wage[b] = c->wage[a];
			}
			c->absent[y * n + to] = c->absent[y * c->nreg + r];
			any |= c->absent[y * n + to];
			if (c->src)
				c->src[y * n + to] = c->src[y * c->nreg + r];
			to++;
		}
	}
	for (r = 0, n = 0; r < c->nreg; r++) {
		if (gone[r]) {
			free(c->reg[r]);
			if (c->reg_name)
				free(c->reg_name[r]);
			continue;
		}
		c->reg[n] = c->reg[r];
		if (c->reg_name)
			c->reg_name[n] = c->reg_name[r];
		n++;
	}
	c->nreg = n;
	if (!any) {
		free(c->absent);
		c->absent = NULL;
	}
	if (!n) {
		free(c->emp);
		free(c->est);
		free(c->wage);
		c->emp = c->est = c->wage = NULL;
	}
}

size_t cube_leave_out_empty(struct cube *c, char *first, size_t size)
{
	size_t y, r, i, n = 0;
	unsigned char *gone;
	struct buf fb = BUF_INIT;

	if (first && size)
		first[0] = '\0';
	for (y = 0; y < c->nyear; y++)
		for (r = 0; r < c->nreg; r++) {
			if (cube_absent(c, y, r))
				continue;
			for (i = 0; i < c->nind; i++) {
				double v = c->emp[cube_at(c, y, r, i)];
				if (!isnan(v) && v != 0)
					break;
			}
			if (i < c->nind)
				continue;
			if (!c->absent)
				c->absent = xcalloc(st_mult(c->nyear, c->nreg), 1);
			c->absent[y * c->nreg + r] = 1;
			for (i = 0; i < c->nind; i++) {
				size_t at = cube_at(c, y, r, i);
				c->emp[at] = NAN;
				if (c->est)
					c->est[at] = NAN;
				if (c->wage)
					c->wage[at] = NAN;
			}
			if (n < 3)
				buf_printf(&fb, n ? ", %s" : "%s", c->reg[r]);
			if (n < 3 && c->year[y])
				buf_printf(&fb, " %d", c->year[y]);
			n++;
		}
	if (n > 3)
		buf_puts(&fb, ", …");
	if (first && size)
		snprintf(first, size, "%s", fb.ptr);
	buf_release(&fb);
	if (!n)
		return 0;
	/* a region left out of every year leaves the cube */
	gone = xcalloc(c->nreg + 1, 1);
	for (r = 0; r < c->nreg; r++) {
		for (y = 0; y < c->nyear && cube_absent(c, y, r); y++)
			;
		gone[r] = y == c->nyear;
	}
	drop_regions(c, gone);
	free(gone);
	return n;
}
