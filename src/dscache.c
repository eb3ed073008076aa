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

#define DSC_MAX 16

struct dsentry {
	long long id, generation;
	struct cube cube;
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
	free(x);
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

int dscache_get(long long id, long long generation, struct cube *out)
{
	struct dsentry *x = NULL;
	size_t k;

	pthread_mutex_lock(&mu);
	for (k = 0; k < nent; k++) {
		if (ent[k]->id != id)
			continue;
		if (ent[k]->generation == generation) {
			x = ent[k];
			x->refs++;
			x->used = ++clock_;
			hits++;
		} else {
			take_out(k);  /* read before the data changed */
		}
		break;
	}
	if (!x && room)
		misses++;
	pthread_mutex_unlock(&mu);
	if (!x)
		return 0;
	cube_copy(out, &x->cube);
	pthread_mutex_lock(&mu);
	if (!--x->refs && x->gone)
		entry_free(x);
	pthread_mutex_unlock(&mu);
	return 1;
}

void dscache_put(long long id, long long generation, const struct cube *c)
{
	struct dsentry *x;
	size_t k, bytes = dscache_cube_bytes(c);

	pthread_mutex_lock(&mu);
	for (k = 0; k < nent && ent[k]->id != id; k++)
		;
	/* off, too large, or kept already as read at this generation or later */
	if (bytes > room || (k < nent && ent[k]->generation >= generation)) {
		pthread_mutex_unlock(&mu);
		return;
	}
	pthread_mutex_unlock(&mu);

	x = xcalloc(1, sizeof(*x));
	x->id = id;
	x->generation = generation;
	x->bytes = bytes;
	cube_copy(&x->cube, c);

	pthread_mutex_lock(&mu);
	for (k = 0; k < nent; k++)
		if (ent[k]->id == id) {
			if (ent[k]->generation >= generation) {
				/* another thread kept it meanwhile */
				pthread_mutex_unlock(&mu);
				entry_free(x);
				return;
			}
			take_out(k);
			break;
		}
	if (bytes > room) {   /* the room was cut meanwhile */
		pthread_mutex_unlock(&mu);
		entry_free(x);
		return;
	}
	while (nent && (total + bytes > room || nent == DSC_MAX)) {
		size_t old = 0;
		for (k = 1; k < nent; k++)
			if (ent[k]->used < ent[old]->used)
				old = k;
		take_out(old);
	}
	x->used = ++clock_;
	ent[nent++] = x;
	total += bytes;
	pthread_mutex_unlock(&mu);
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
