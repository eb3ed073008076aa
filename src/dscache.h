/*
 * dscache.h — the statistics datasets the portal has loaded, kept in memory
 * so that the next page of the same dataset does not read it again.
 *
 * Loading a dataset (dataset_load) reads every cell from the database and
 * builds its cube: a dataset of 2 million cells (380 powiats × 600
 * industries × 10 years) takes seconds, and every page of the cluster map
 * (another industry, indicator, year, a download) loads it.  The cache keeps
 * the cubes last loaded under the dataset's id and the data generation
 * (change_counter) they were read at, and gives each caller its own copy
 * (cube_copy: the pages may change theirs), so that a page costs a copy
 * instead of a load.  A cube is used only at the generation it was read
 * at: any write to the data (a dataset stored again or deleted, through
 * any process) moves the generation, and the next page reads it again.
 *
 * The cache is off (every get misses) until dscache_limit gives it room;
 * `klaster serve --dataset-cache MIB` does.  It holds at most that many
 * bytes of cubes, dropping the least recently used; a cube larger than the
 * room is not kept.  Safe to use from several threads at once: a copy is
 * made outside the lock, from an entry that is not freed while copied.
 */
#ifndef KLASTER_DSCACHE_H
#define KLASTER_DSCACHE_H

#include <stddef.h>

#include "cube.h"
#include "related.h"

/* Sets the room in bytes (0: off, the entries dropped). */
void dscache_limit(size_t bytes);

/* 1 and a copy of the cube in out when dataset id was kept at generation;
 * else 0 and out untouched.  What is kept of id from an earlier generation
 * is dropped; from a later one (the caller began before the data changed),
 * kept. */
int dscache_get(long long id, long long generation, struct cube *out);

/* Keeps a copy of c as dataset id read at generation (replacing what was
 * kept of id), when the cache is on and c fits its room. */
void dscache_put(long long id, long long generation, const struct cube *c);

/* The same for the relatedness (related.h) of year index year of the cube of dataset id read at
 * generation: computing it takes a second or more on a dataset of hundreds of regions and
 * industries, and every region's profile of that year and every page of its related industries
 * needs it.  The entries share the room with the cubes; any of the dataset's entries read at
 * another generation is dropped when one of it is asked for. */
int dscache_related_get(long long id, long long generation, size_t year, struct related *out);
void dscache_related_put(long long id, long long generation, size_t year, const struct related *r);

/* The bytes kept (cubes and relatedness), and the gets that found what they asked for since
 * the start;
 * all of it at once for /healthz (misses: gets while on that found none). */
size_t dscache_bytes(void);
unsigned long dscache_hits(void);
struct dscache_stats {
	unsigned long hits, misses;
	size_t entries, bytes, room;
};
void dscache_stats(struct dscache_stats *st);

/* What a cube takes in memory, roughly (its arrays and strings). */
size_t dscache_cube_bytes(const struct cube *c);

#endif
