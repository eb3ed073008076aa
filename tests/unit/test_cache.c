/* test_cache.c — the search-result cache (cache.h). */
#include "t.h"

#include <pthread.h>

#include "cache.h"

static int get_str(struct kcache *c, long long gen, const char *key, const char *want)
{
	struct buf b = BUF_INIT;
	int hit = kcache_get(c, gen, key, &b);
	int ok = want ? hit && strcmp(b.ptr, want) == 0 : !hit;
	buf_release(&b);
	return ok;
}

T_TEST(hit_and_miss)
{
	struct kcache *c = kcache_new(1 << 20);
	struct kcache_stats st;
	T_OK(get_str(c, 1, "a", NULL));
	kcache_put(c, 1, "a", "alpha", 6);
	T_OK(get_str(c, 1, "a", "alpha"));
	kcache_put(c, 1, "a", "again", 6);
	T_OK(get_str(c, 1, "a", "again"));
	kcache_stats(c, &st);
	T_EQ_INT(st.hits, 2);
	T_EQ_INT(st.misses, 1);
	T_EQ_INT(st.entries, 1);
	kcache_free(c);
}

T_TEST(generation)
{
	struct kcache *c = kcache_new(1 << 20);
	kcache_put(c, 5, "a", "five", 5);
	/* a newer generation drops everything */
	T_OK(get_str(c, 6, "a", NULL));
	/* an older generation is never served nor stored */
	kcache_put(c, 5, "a", "five", 5);
	T_OK(get_str(c, 6, "a", NULL));
	T_OK(get_str(c, 5, "a", NULL));
	kcache_put(c, 6, "a", "six", 4);
	T_OK(get_str(c, 6, "a", "six"));
	kcache_free(c);
}

T_TEST(lru_bound)
{
	struct kcache *c = kcache_new(64 * 1024);
	struct kcache_stats st;
	char key[32], val[1000];
	int i;
	memset(val, 'x', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		kcache_put(c, 1, key, val, sizeof(val));
		if (i == 10) {
			/* touch k0 so it stays */
			T_OK(get_str(c, 1, "k0", val));
		}
		if (i > 10 && i % 10 == 0)
			T_OK(get_str(c, 1, "k0", val));
	}
	kcache_stats(c, &st);
	T_OK(st.bytes <= 64 * 1024);
	T_OK(st.entries < 70);
	T_OK(get_str(c, 1, "k0", val));     /* recently used: kept */
	T_OK(get_str(c, 1, "k1", NULL));    /* least recently used: evicted */
	T_OK(get_str(c, 1, "k199", val));
	kcache_free(c);
}

T_TEST(disabled_and_too_big)
{
	struct kcache *c = kcache_new(0);
	kcache_put(c, 1, "a", "x", 2);
	T_OK(get_str(c, 1, "a", NULL));
	kcache_free(c);
	c = kcache_new(1000);
	{
		char big[600] = { 0 };
		kcache_put(c, 1, "big", big, sizeof(big));   /* over a quarter of the cache */
		T_OK(get_str(c, 1, "big", NULL));
	}
	kcache_free(c);
}

static struct kcache *shared;

static void *worker(void *arg)
{
	long id = (long)arg, i;
	char key[32], val[32];
	for (i = 0; i < 20000; i++) {
		struct buf b = BUF_INIT;
		snprintf(key, sizeof(key), "k%ld", (i * 7 + id) % 300);
		snprintf(val, sizeof(val), "v%ld", (i * 7 + id) % 300);
		if (kcache_get(shared, i / 5000, key, &b) && strcmp(b.ptr, val) != 0)
			abort();
		else
			kcache_put(shared, i / 5000, key, val, strlen(val) + 1);
		buf_release(&b);
	}
	return NULL;
}

T_TEST(threads)
{
	pthread_t t[4];
	long i;
	struct kcache_stats st;
	shared = kcache_new(16 * 1024);
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	kcache_stats(shared, &st);
	T_OK(st.hits + st.misses == 80000);
	T_OK(st.bytes <= 16 * 1024);
	kcache_free(shared);
}

int main(void)
{
	T_RUN(hit_and_miss);
	T_RUN(generation);
	T_RUN(lru_bound);
	T_RUN(disabled_and_too_big);
	T_RUN(threads);
	return t_done();
}
