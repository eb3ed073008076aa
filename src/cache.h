/*
 * cache.h — a bounded, thread-safe cache of search results, valid for one
 * "generation" of the data.
 *
 * The database keeps a generation number that every write to the
 * directory increments (triggers of migration 003), in the database
 * itself, so several servers on one PostgreSQL database see each other's
 * writes.  A request reads the current generation (one tiny query) and
 * asks the cache for its key at that generation; when the generation has
 * moved on, everything cached is dropped.  The cache never serves data
 * older than the request's own read of the generation.
 *
 * Entries are evicted least-recently-used first once max_bytes is reached.
 * A cache with max_bytes 0 stores nothing (every get misses).
 */
#ifndef KLASTER_CACHE_H
#define KLASTER_CACHE_H

#include <stddef.h>

#include "buf.h"

struct kcache;

struct kcache *kcache_new(size_t max_bytes);
void kcache_free(struct kcache *c);
/* 1 and the value appended to out on a hit, 0 on a miss. */
int kcache_get(struct kcache *c, long long generation, const char *key, struct buf *out);
/* Stores a copy of data under key for generation (ignored when the cache
 * already holds a newer generation or the entry alone exceeds max_bytes). */
void kcache_put(struct kcache *c, long long generation, const char *key, const void *data, size_t len);
/* Counters for the health page and the tests. */
struct kcache_stats {
	unsigned long long hits, misses, entries, bytes, flushes;
};
void kcache_stats(struct kcache *c, struct kcache_stats *out);

#endif
