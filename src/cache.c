/* cache.c — the search-result cache (see cache.h).  A hash table with
 * chaining for lookups and a doubly linked list for the LRU order; one
 * mutex, held only for the table operations and the copies. */
#include "cache.h"

#include <pthread.h>

struct entry {
	struct entry *hnext;          /* hash chain */
	struct entry *prev, *next;    /* LRU list, most recent first */
	unsigned long hash;
	char *key;
	void *data;
	size_t len;
};

struct kcache {
	pthread_mutex_t mu;
	size_t max_bytes, bytes, nbuckets, entries;
	long long generation;
	struct entry **buckets;
	struct entry *head, *tail;
	unsigned long long hits, misses, flushes;
};

static unsigned long hash_str(const char *s)
{
	unsigned long h = 1469598103934665603UL;   /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211UL;
	}
	return h;
}

struct kcache *kcache_new(size_t max_bytes)
{
	struct kcache *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	c->max_bytes = max_bytes;
	c->nbuckets = 16384;     /* ~130 KiB; short chains even for 8 MiB of small entries */
	c->buckets = xcalloc(c->nbuckets, sizeof(*c->buckets));
	c->generation = -1;
	return c;
}

static size_t entry_cost(const struct entry *e)
{
	return sizeof(*e) + strlen(e->key) + 1 + e->len;
}

static void unlink_lru(struct kcache *c, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(struct kcache *c, struct entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

static void remove_entry(struct kcache *c, struct entry *e)
{
	struct entry **pp = &c->buckets[e->hash % c->nbuckets];
	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	unlink_lru(c, e);
	c->bytes -= entry_cost(e);
	c->entries--;
	free(e->key);
	free(e->data);
	free(e);
}

static void flush(struct kcache *c)
{
	while (c->head)
		remove_entry(c, c->head);
	c->flushes++;
}

/* Moves the cache to generation g (dropping older entries); returns 0 when
 * g is older than what the cache holds. */
static int at_generation(struct kcache *c, long long g)
{
	if (g < c->generation)
		return 0;
	if (g > c->generation) {
		if (c->entries)
			flush(c);
		c->generation = g;
	}
	return 1;
}

static struct entry *find(struct kcache *c, const char *key, unsigned long h)
{
	struct entry *e;
	for (e = c->buckets[h % c->nbuckets]; e; e = e->hnext)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

int kcache_get(struct kcache *c, long long generation, const char *key, struct buf *out)
{
	unsigned long h = hash_str(key);
	struct entry *e = NULL;
	int hit = 0;
	pthread_mutex_lock(&c->mu);
	if (c->max_bytes && at_generation(c, generation) && (e = find(c, key, h)) != NULL) {
		unlink_lru(c, e);
		push_front(c, e);
		buf_add(out, e->data, e->len);
		hit = 1;
	}
	if (hit)
		c->hits++;
	else
		c->misses++;
	pthread_mutex_unlock(&c->mu);
	return hit;
}

void kcache_put(struct kcache *c, long long generation, const char *key, const void *data, size_t len)
{
	unsigned long h = hash_str(key);
	struct entry *e;
	size_t cost = sizeof(*e) + strlen(key) + 1 + len;
	if (!c->max_bytes || cost > c->max_bytes / 4)
		return;
	pthread_mutex_lock(&c->mu);
	if (!at_generation(c, generation)) {
		pthread_mutex_unlock(&c->mu);
		return;
	}
	if ((e = find(c, key, h)) != NULL)
		remove_entry(c, e);
	while (c->bytes + cost > c->max_bytes && c->tail)
		remove_entry(c, c->tail);
	e = xcalloc(1, sizeof(*e));
	e->hash = h;
	e->key = xstrdup(key);
	e->data = xmalloc(len);
	memcpy(e->data, data, len);
	e->len = len;
	e->hnext = c->buckets[h % c->nbuckets];
	c->buckets[h % c->nbuckets] = e;
	push_front(c, e);
	c->bytes += cost;
	c->entries++;
	pthread_mutex_unlock(&c->mu);
}

void kcache_stats(struct kcache *c, struct kcache_stats *out)
{
	pthread_mutex_lock(&c->mu);
	out->hits = c->hits;
	out->misses = c->misses;
	out->entries = c->entries;
	out->bytes = c->bytes;
	out->flushes = c->flushes;
	pthread_mutex_unlock(&c->mu);
}

void kcache_free(struct kcache *c)
{
	if (!c)
		return;
	while (c->head)
		remove_entry(c, c->head);
	free(c->buckets);
	pthread_mutex_destroy(&c->mu);
	free(c);
}
