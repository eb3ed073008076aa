/* strset.c — a set of strings with the line each was met on (see strset.h). */
#include "strset.h"

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ^ (h >> 31);
}

long strset_add(struct strset *set, const char *s, long line)
{
	size_t j, k;
	if (2 * (set->n + 1) > set->nslot) {
		size_t n = set->nslot ? 2 * set->nslot : 1024;
		free(set->slot);
		set->slot = xcalloc(n, sizeof(*set->slot));
		set->nslot = n;
		for (k = 0; k < set->n; k++) {
			for (j = str_hash(set->text.ptr + set->off[k]) & (n - 1); set->slot[j]; j = (j + 1) & (n - 1))
				;
			set->slot[j] = (uint32_t)k + 1;
		}
	}
	for (j = str_hash(s) & (set->nslot - 1); set->slot[j]; j = (j + 1) & (set->nslot - 1))
		if (strcmp(set->text.ptr + set->off[set->slot[j] - 1], s) == 0)
			return set->line[set->slot[j] - 1];
	if (set->n == set->alloc) {
		set->alloc = set->alloc ? 2 * set->alloc : 1024;
		set->off = xrealloc(set->off, st_mult(set->alloc, sizeof(*set->off)));
		set->line = xrealloc(set->line, st_mult(set->alloc, sizeof(*set->line)));
	}
	set->off[set->n] = set->text.len;
	set->line[set->n] = line;
	buf_add(&set->text, s, strlen(s) + 1);
	set->slot[j] = (uint32_t)++set->n;
	return 0;
}

void strset_release(struct strset *set)
{
	buf_release(&set->text);
	free(set->off);
	free(set->line);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}
