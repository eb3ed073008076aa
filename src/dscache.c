/*
 * dscache.c — loaded statistics datasets kept for the portal (dscache.h).
 *
 * A handful of entries in an array under one mutex: the portal serves a few
 * datasets, and a page of one of them copies its cube (milliseconds for
 * millions of cells) rather than reading it again (seconds).  An entry
 * taken out (replaced, dropped, evicted) while another thread copies it is
 * freed by the last one to let go of it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dscache.h"

#define DSC_MAX 32

/* What an entry keeps of a dataset: its cube, or the relatedness of one of its years. */
enum { DS_CUBE, DS_RELATED };

struct dsentry {
	long long id, generation;
	int kind;            /* DS_CUBE, DS_RELATED */
	size_t year;         /* DS_RELATED: the year's index in the cube */
	struct cube cube;
	struct related rel;
	size_t bytes;
	unsigned long used;  /* the clock when last got or put */
	int refs;            /* copies being made of it */
	int gone;            /* taken out of the cache: freed when refs is 0 */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct dsentry *ent[DSC_MAX];
static size_t nent, total, room;
static unsigned long clock_, hits, misses;

static void entry_free(struct dsentry *x)
{
	cube_release(&x->cube);
	related_release(&x->rel);
	free(x);
}

/* 1 when x is what kind, year say of dataset id (at any generation). */
static int same_key(const struct dsentry *x, long long id, int kind, size_t year)
{
	return x->id == id && x->kind == kind && (kind == DS_CUBE || x->year == year);
}

/* Takes entry k out of the array (under mu); freed now or by its last copier. */
static void take_out(size_t k)
{
	struct dsentry *x = ent[k];
	total -= x->bytes;
	ent[k] = ent[--nent];
	ent[nent] = NULL;
	x->gone = 1;
	if (!x->refs)
		entry_free(x);
}

static size_t strings_bytes(char *const *v, size_t n)
{
	size_t k, b = 0;
	if (!v)
		return 0;
	for (k = 0; k < n; k++)
		b += sizeof(*v) + (v[k] ? strlen(v[k]) + 1 : 0);
	return b;
}

size_t dscache_cube_bytes(const struct cube *c)
{
	size_t cells = c->nyear * c->nreg * c->nind, b = sizeof(*c);
	b += cells * sizeof(double) * (size_t)(!!c->emp + !!c->est + !!c->wage);
	b += strings_bytes(c->reg, c->nreg) + strings_bytes(c->reg_name, c->nreg);
	b += strings_bytes(c->ind, c->nind) + strings_bytes(c->ind_name, c->nind);
	b += strings_bytes(c->ind_name_lang[0], c->nind) + strings_bytes(c->ind_name_lang[1], c->nind);
	b += strings_bytes(c->src, c->nyear * c->nreg) + strings_bytes(c->emp_col, c->nyear);
	b += strings_bytes(c->ref_src, c->ref_src ? c->nyear * c->nind : 0);
	b += c->nyear * sizeof(int) + (c->traded ? c->nind : 0) + (c->absent ? c->nyear * c->nreg : 0);
	b += c->ref ? c->nyear * c->nind * sizeof(double) : 0;
	return b;
}

void dscache_limit(size_t bytes)
{
	pthread_mutex_lock(&mu);
	room = bytes;
	while (nent && total > room) {
		size_t k, old = 0;
		for (k = 1; k < nent; k++)
			if (ent[k]->used < ent[old]->used)
				old = k;
		take_out(old);
	}
	pthread_mutex_unlock(&mu);
}

/* The entry of what kind, year say of dataset id read at generation, with a reference taken
 * (let_go gives it back), or NULL; the dataset's entries read at an earlier generation are
 * dropped (read before the data changed), those read at a later one kept (a request that began
 * before the change misses them, and does not throw away what the newer ones read). */
static struct dsentry *take(long long id, long long generation, int kind, size_t year)
{
	struct dsentry *x = NULL;
	size_t k = 0;
	pthread_mutex_lock(&mu);
	while (k < nent) {
		if (ent[k]->id == id && ent[k]->generation < generation) {
			take_out(k);   /* read before the data changed: k is now another entry */
			continue;
		}
		if (!x && same_key(ent[k], id, kind, year) && ent[k]->generation == generation) {
			x = ent[k];
			x->refs++;
			x->used = ++clock_;
			hits++;
		}
		k++;
	}
	if (!x && room)
		misses++;
	pthread_mutex_unlock(&mu);
	return x;
}

static void let_go(struct dsentry *x)
{
	pthread_mutex_lock(&mu);
	if (!--x->refs && x->gone)
		entry_free(x);
	pthread_mutex_unlock(&mu);
}

/* Keeps x (its key and bytes set, its contents copied), unless the cache is off, x is larger
 * than the room, or an entry of the same key was kept at this generation or a later one; x is
 * the cache's after this, kept or freed. */
static void keep(struct dsentry *x)
{
	size_t k;
	pthread_mutex_lock(&mu);
	for (k = 0; k < nent; k++)
		if (same_key(ent[k], x->id, x->kind, x->year)) {
			if (ent[k]->generation >= x->generation) {
				/* kept already (another thread kept it meanwhile) */
				pthread_mutex_unlock(&mu);
				entry_free(x);
				return;
			}
			take_out(k);
			break;
		}
	if (x->bytes > room) {   /* off, too large, or the room was cut meanwhile */
		pthread_mutex_unlock(&mu);
		entry_free(x);
		return;
	}
	while (nent && (total + x->bytes > room || nent == DSC_MAX)) {
		size_t old = 0;
		for (k = 1; k < nent; k++)
			if (ent[k]->used < ent[old]->used)
				old = k;
		take_out(old);
	}
	x->used = ++clock_;
	ent[nent++] = x;
	total += x->bytes;
	pthread_mutex_unlock(&mu);
}

/* 1 when the cache would keep an entry of bytes of what kind, year say of dataset id read at
 * generation (worth copying it for). */
static int wanted(long long id, long long generation, int kind, size_t year, size_t bytes)
{
	size_t k;
	int yes;
	pthread_mutex_lock(&mu);
	for (k = 0; k < nent && !same_key(ent[k], id, kind, year); k++)
		;
	yes = bytes <= room && !(k < nent && ent[k]->generation >= generation);
	pthread_mutex_unlock(&mu);
	return yes;
}

static struct dsentry *entry_new(long long id, long long generation, int kind, size_t year, size_t bytes)
{
	struct dsentry *x = xcalloc(1, sizeof(*x));
	x->id = id;
	x->generation = generation;
	x->kind = kind;
	x->year = year;
	x->bytes = bytes;
	return x;
}

int dscache_get(long long id, long long generation, struct cube *out)
{
	struct dsentry *x = take(id, generation, DS_CUBE, 0);
	if (!x)
		return 0;
	cube_copy(out, &x->cube);
	let_go(x);
	return 1;
}

void dscache_put(long long id, long long generation, const struct cube *c)
{
	size_t bytes = dscache_cube_bytes(c);
	struct dsentry *x;
	if (!wanted(id, generation, DS_CUBE, 0, bytes))
		return;
	x = entry_new(id, generation, DS_CUBE, 0, bytes);
	cube_copy(&x->cube, c);
	keep(x);
}

int dscache_related_get(long long id, long long generation, size_t year, struct related *out)
{
	struct dsentry *x = take(id, generation, DS_RELATED, year);
	if (!x)
		return 0;
	related_copy(out, &x->rel);
	let_go(x);
	return 1;
}

void dscache_related_put(long long id, long long generation, size_t year, const struct related *r)
{
	size_t bytes = related_bytes(r);
	struct dsentry *x;
	if (!wanted(id, generation, DS_RELATED, year, bytes))
		return;
	x = entry_new(id, generation, DS_RELATED, year, bytes);
	related_copy(&x->rel, r);
	keep(x);
}

size_t dscache_bytes(void)
{
	size_t b;
	pthread_mutex_lock(&mu);
	b = total;
	pthread_mutex_unlock(&mu);
	return b;
}

void dscache_stats(struct dscache_stats *st)
{
	pthread_mutex_lock(&mu);
	st->hits = hits;
	st->misses = misses;
	st->entries = nent;
	st->bytes = total;
	st->room = room;
	pthread_mutex_unlock(&mu);
}

unsigned long dscache_hits(void)
{
	struct dscache_stats st;
	dscache_stats(&st);
	return st.hits;
}
