/*
 * Stand-alone row loops over the cluster-mapping benchmark's file
 * (bench/out/firms-5000000.csv, made by bench/mapping.sh): how long a row
 * takes in one thread with each way of finding its key's counts, and how
 * long a chain of dependent loads takes at each working-set size, alone and
 * in two threads at once (whether the two CPUs share their caches), and two
 * ways of reading several rows at once (a structural index, two streams).  The
 * figures are in docs/BENCHMARKS.md ("Where the row loop's time goes").
 *
 * Not klaster's reader: it takes every row as plain (region,industry,
 * employment,establishments, digits only, LF) and stops at the first that
 * is not, with a message, so it only reads files like the benchmark's.  It measures what
 * the fast path in src/stats.c (fast_pair_run_n) is made of.
 *
 *     make bench-rowloop     # = cc -O2 bench/rowloop.c && run it on the file
 */
#include <emmintrin.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#define B8(c) (0x0101010101010101ULL * (unsigned char)(c))

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The value of n (0..7) digits at s (8 bytes readable): up to four in a 32-bit word. */
static inline uint64_t digits(const char *s, unsigned n)
{
	uint64_t d;
	if (n <= 4) {
		uint32_t q;
		memcpy(&q, s, 4);
		q = (q - 0x30303030u) << ((32 - 8 * n) & 31);
		q = q * 10 + (q >> 8);
		return n ? (((q & 0x00FF00FFu) * (1u + (100u << 16))) >> 16) & 0xFFFF : 0;
	}
	memcpy(&d, s, 8);
	d = (d - B8('0')) << (64 - 8 * n);
	d = d * 10 + (d >> 8);
	return (((d & 0x000000FF000000FFULL) * 0x000F424000000064ULL) +
		(((d >> 16) & 0x000000FF000000FFULL) * 0x0000271000000001ULL)) >> 32;
}

static inline uint64_t mix(uint64_t w)
{
	return w * 0xff51afd7ed558ccdULL;
}

/* The key (up to the second comma, at most 8 bytes) as a zero-padded word. */
static inline uint64_t key_word(const char *s, unsigned len)
{
	uint64_t w;
	memcpy(&w, s, 8);
	return len < 8 ? w & (((uint64_t)1 << (8 * len)) - 1) : w;
}

/* the fast path's tables: 16-byte slots (linear probing), a 32-byte accumulator per cell */
struct slot { uint64_t w; uint32_t cell, len; };
struct acc { uint64_t sum[3]; unsigned char any, inexact; };
/* buckets of four keys in a cache line: their cells, or their sums */
struct bucket_cells { uint64_t w[4]; uint32_t cell[4]; uint32_t pad[4]; };
struct bucket_sums { uint64_t w[4]; uint32_t emp[4], est[4]; };

static struct slot *slots;
static size_t slot_mask;
static unsigned slot_shift;
static struct acc *accs;
static struct bucket_cells *bcells;
static struct bucket_sums *bsums;
static size_t bucket_mask;
static unsigned bucket_shift;
static uint64_t *words;           /* for the read-only loop */
static size_t ncell;
static volatile uint64_t sink;

static void add_key(uint64_t w, unsigned len)
{
	size_t j = mix(w) >> slot_shift, b, k;
	for (; slots[j].w; j = (j + 1) & slot_mask)
		if (slots[j].w == w)
			return;
	slots[j].w = w;
	slots[j].len = len;
	slots[j].cell = (uint32_t)ncell;
	for (b = mix(w) >> bucket_shift;; b = (b + 1) & bucket_mask) {
		for (k = 0; k < 4 && bcells[b].w[k]; k++)
			;
		if (k < 4) {
			bcells[b].w[k] = bsums[b].w[k] = w;
			bcells[b].cell[k] = (uint32_t)ncell;
			break;
		}
	}
	ncell++;
}

/* The fast path's way (SLOT_THEN_ACC): the key's slot, then the cell's accumulator gets the two
 * counts; -1 when the key is not in the table. */
static inline __attribute__((always_inline)) int slot_add(uint64_t w, unsigned kz, uint64_t n0, uint64_t n1)
{
	size_t j;
	for (j = mix(w) >> slot_shift; slots[j].w != w || slots[j].len != kz; j = (j + 1) & slot_mask)
		if (!slots[j].w)
			return -1;
	accs[slots[j].cell].sum[0] += n0;
	accs[slots[j].cell].sum[1] += n1;
	accs[slots[j].cell].any |= 3;
	return 0;
}

enum way { NO_TABLE, READ_ONLY, SLOT_THEN_ACC, BUCKET_THEN_ACC, BUCKET_SUMS, IDX_NONE, IDX_SLOT, TWO_NONE, TWO_SLOT, NWAYS };
static const char *const way_name[NWAYS] = {
	"no table (one sum)", "one read by the key's hash", "slot, then accumulator (the fast path's way)",
	"bucket of four, then accumulator", "sums in the bucket's line",
	"index, then rows: no table", "index, then rows: slot, then accumulator",
	"two streams interleaved: no table", "two streams interleaved: slot, then accumulator",
};

/* The rows of s..lim (lines ending before lim + 64) the given way: the number read.  Inlined
 * into one function per way (run_way), so that each loop is compiled for its way alone. */
/* A row the loops do not read: this program is only for files like the benchmark's. */
static __attribute__((noreturn, cold)) void not_plain(const char *s)
{
	fprintf(stderr, "rowloop: a row that is not plain: %.20s\n", s);
	exit(1);
}

static inline __attribute__((always_inline)) long run(const char *s, const char *lim, enum way way)
{
	const __m128i nlv = _mm_set1_epi8('\n'), cmv = _mm_set1_epi8(','), lo = _mm_set1_epi8('0' - 1),
		      hi = _mm_set1_epi8('9' + 1);
	const char *base = NULL;
	uint64_t nlm = 0, cmm = 0, dgm = 0, total = 0;
	long rows = 0;
	while (s < lim) {
		uint64_t nl, cm, rowm, rest, tail, w, n0, n1;
		unsigned e, kz, z, k;
		size_t off;
		if (!base || s - base >= 64 || !(nlm >> (s - base))) {
			base = s;
			nlm = cmm = dgm = 0;
			for (k = 0; k < 4; k++) {
				const __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
				nlm |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c, nlv)) << (16 * k);
				cmm |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c, cmv)) << (16 * k);
				dgm |= (uint64_t)(unsigned)_mm_movemask_epi8(
					       _mm_and_si128(_mm_cmpgt_epi8(c, lo), _mm_cmplt_epi8(c, hi))) << (16 * k);
			}
		}
		off = (size_t)(s - base);
		if (!(nl = nlm >> off))
			not_plain(s);
		e = (unsigned)__builtin_ctzll(nl);
		rowm = ((uint64_t)1 << e) - 1;
		cm = (cmm >> off) & rowm;
		rest = cm & (cm - 1);
		if (!rest || (kz = (unsigned)__builtin_ctzll(rest)) > 8)
			not_plain(s);
		tail = rowm & ~(((uint64_t)2 << kz) - 1);
		if ((((dgm >> off) | cm) & tail) != tail)
			not_plain(s);
		rest &= rest - 1;
		if (!rest || (rest & (rest - 1)))
			not_plain(s);
		z = (unsigned)__builtin_ctzll(rest);
		if (z - kz - 1 > 7 || e - z - 1 > 7)
			not_plain(s);
		w = key_word(s, kz);
		n0 = digits(s + kz + 1, z - kz - 1);
		n1 = digits(s + z + 1, e - z - 1);
		switch (way) {
		case NO_TABLE:
			total += n0 + n1 + w;
			break;
		case READ_ONLY:
			total += n0 + n1 + words[mix(w) >> slot_shift];
			break;
		case SLOT_THEN_ACC:
			if (slot_add(w, kz, n0, n1))
				return rows;
			break;
		case BUCKET_THEN_ACC:
		case BUCKET_SUMS: {
			size_t b;
			for (b = mix(w) >> bucket_shift;; b = (b + 1) & bucket_mask) {
				const uint64_t *bw = way == BUCKET_SUMS ? bsums[b].w : bcells[b].w;
				unsigned m = (bw[0] == w) | (bw[1] == w) << 1 | (bw[2] == w) << 2 | (bw[3] == w) << 3;
				if (__builtin_expect(m != 0, 1)) {
					k = (unsigned)__builtin_ctz(m);
					if (way == BUCKET_SUMS) {
						bsums[b].emp[k] += (uint32_t)n0;
						bsums[b].est[k] += (uint32_t)n1;
					} else {
						accs[bcells[b].cell[k]].sum[0] += n0;
						accs[bcells[b].cell[k]].sum[1] += n1;
					}
					break;
				}
				if (!bw[3])
					return rows;
			}
			break;
		}
		default:
			break;
		}
		s += e + 1;
		rows++;
	}
	sink = total;
	return rows;
}


/*
 * Two ways of reading several rows at once, to see whether the row loop
 * waits (on its chain from one row's end to the next, or on its tables) or
 * is bound by the work a row takes.
 *
 * The structural index (simdjson's two stages): first the offsets of every
 * ',' and '\n' of a block of 16 KiB, written eight at a time from a 64-byte
 * mask; then the rows, each taking the next four offsets, so that no row's
 * work waits on the row before.  index_block is the first stage: the
 * offsets (from b) in b[0..n) (n a multiple of 64) into pos; their number.
 */
static inline __attribute__((always_inline)) size_t index_block(const char *b, size_t n, uint32_t *pos)
{
	const __m128i nlv = _mm_set1_epi8('\n'), cmv = _mm_set1_epi8(',');
	size_t np = 0, at;
	for (at = 0; at < n; at += 64) {
		uint64_t m = 0;
		unsigned k, cnt;
		for (k = 0; k < 4; k++) {
			const __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(b + at + 16 * k));
			m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(c, nlv),
									      _mm_cmpeq_epi8(c, cmv))) << (16 * k);
		}
		cnt = (unsigned)__builtin_popcountll(m);
		/* eight at a time, whatever the count: the extra ones are overwritten by the next block */
		{
			uint32_t *o = pos + np;
			uint32_t a = (uint32_t)at;
			unsigned i = 0;
			do {
				o[i + 0] = a + (uint32_t)__builtin_ctzll(m); m &= m - 1;
				o[i + 1] = a + (uint32_t)__builtin_ctzll(m | (1ULL << 63)); m &= m - 1;
				o[i + 2] = a + (uint32_t)__builtin_ctzll(m | (1ULL << 63)); m &= m - 1;
				o[i + 3] = a + (uint32_t)__builtin_ctzll(m | (1ULL << 63)); m &= m - 1;
				o[i + 4] = a + (uint32_t)__builtin_ctzll(m | (1ULL << 63)); m &= m - 1;
				o[i + 5] = a + (uint32_t)__builtin_ctzll(m | (1ULL << 63)); m &= m - 1;
				o[i + 6] = a + (uint32_t)__builtin_ctzll(m | (1ULL << 63)); m &= m - 1;
				o[i + 7] = a + (uint32_t)__builtin_ctzll(m | (1ULL << 63)); m &= m - 1;
				i += 8;
			} while (i < cnt);
		}
		np += cnt;
	}
	return np;
}

#define IDX_BLOCK (16 << 10)
static uint32_t idx_pos[IDX_BLOCK + 64];

/* digits() of 1..7 bytes that must all be digits: a bad byte or length sets bits of *bad. */
static inline __attribute__((always_inline)) uint64_t digits_chk(const char *s, unsigned n, uint64_t *bad)
{
	uint64_t d, m;
	if (n - 1 > 6) { *bad |= 1; return 0; }
	memcpy(&d, s, 8);
	m = ~(uint64_t)0 >> (64 - 8 * n);
	d &= m;
	*bad |= ((d & (B8(0xF0) & m)) ^ (B8(0x30) & m)) | (((d + (B8(0x06) & m)) & (B8(0xF0) & m)) ^ (B8(0x30) & m));
	d = (d - (B8('0') & m)) << (64 - 8 * n);
	d = d * 10 + (d >> 8);
	return (((d & 0x000000FF000000FFULL) * 0x000F424000000064ULL) +
		(((d >> 16) & 0x000000FF000000FFULL) * 0x0000271000000001ULL)) >> 32;
}

/* The second stage over the blocks of s..lim: rows read; with table, as SLOT_THEN_ACC. */
static inline __attribute__((always_inline)) long run_idx(const char *s, const char *lim, int table)
{
	long rows = 0;
	uint64_t total = 0;
	while (s < lim) {
		size_t n = (size_t)(lim - s) < IDX_BLOCK ? (size_t)(lim - s) : IDX_BLOCK, np, i;
		const char *row = s;
		uint64_t bad = 0;
		n = (n + 63) & ~(size_t)63;   /* lim leaves 64 bytes */
		np = index_block(s, n, idx_pos);
		for (i = 0; i + 4 <= np; i += 4) {
			const uint32_t p0 = idx_pos[i], p1 = idx_pos[i + 1], p2 = idx_pos[i + 2], p3 = idx_pos[i + 3];
			const char *r0 = row;
			unsigned kz;
			uint64_t w, n0, n1;
			if (s + p3 >= lim)
				break;
			bad |= (uint64_t)(s[p3] != '\n') << 1;
			kz = (unsigned)(s + p1 - r0);
			if (kz > 8) { bad |= 4; break; }
			w = key_word(r0, kz);
			n0 = digits_chk(s + p1 + 1, p2 - p1 - 1, &bad);
			n1 = digits_chk(s + p2 + 1, p3 - p2 - 1, &bad);
			(void)p0;
			if (!table) {
				total += n0 + n1 + w;
			} else if (slot_add(w, kz, n0, n1)) {
				return rows;
			}
			row = s + p3 + 1;
			rows++;
		}
		if (bad)
			not_plain(row);
		if (row == s)
			break;
		s = row;
	}
	sink = total;
	return rows;
}
static long run_idx_none(const char *s, const char *lim) { return run_idx(s, lim, 0); }
static long run_idx_slot(const char *s, const char *lim) { return run_idx(s, lim, 1); }

/*
 * Two streams in one thread: the rows of the first half and of the second
 * read in turn, one row of each per turn, as the loop above reads them, so
 * that the processor has two independent chains (row end to row end, key to
 * slot to accumulator) to overlap.
 */
struct stream { const char *s, *lim, *base; uint64_t nlm, cmm, dgm; };

/* One row of st (st->s < st->lim): 0, or -1 at a row that is not plain. */
static inline __attribute__((always_inline)) int step(struct stream *st, int table, uint64_t *total)
{
	const __m128i nlv = _mm_set1_epi8('\n'), cmv = _mm_set1_epi8(','), lo = _mm_set1_epi8('0' - 1),
		      hi = _mm_set1_epi8('9' + 1);
	const char *s = st->s;
	uint64_t nl, cm, rowm, rest, tail, w, n0, n1;
	unsigned e, kz, z, k;
	size_t off;
	if (!st->base || s - st->base >= 64 || !(st->nlm >> (s - st->base))) {
		st->base = s;
		st->nlm = st->cmm = st->dgm = 0;
		for (k = 0; k < 4; k++) {
			const __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
			st->nlm |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c, nlv)) << (16 * k);
			st->cmm |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c, cmv)) << (16 * k);
			st->dgm |= (uint64_t)(unsigned)_mm_movemask_epi8(
				       _mm_and_si128(_mm_cmpgt_epi8(c, lo), _mm_cmplt_epi8(c, hi))) << (16 * k);
		}
	}
	off = (size_t)(s - st->base);
	if (!(nl = st->nlm >> off))
		return -1;
	e = (unsigned)__builtin_ctzll(nl);
	rowm = ((uint64_t)1 << e) - 1;
	cm = (st->cmm >> off) & rowm;
	rest = cm & (cm - 1);
	if (!rest || (kz = (unsigned)__builtin_ctzll(rest)) > 8)
		return -1;
	tail = rowm & ~(((uint64_t)2 << kz) - 1);
	if ((((st->dgm >> off) | cm) & tail) != tail)
		return -1;
	rest &= rest - 1;
	if (!rest || (rest & (rest - 1)))
		return -1;
	z = (unsigned)__builtin_ctzll(rest);
	if (z - kz - 1 > 7 || e - z - 1 > 7)
		return -1;
	w = key_word(s, kz);
	n0 = digits(s + kz + 1, z - kz - 1);
	n1 = digits(s + z + 1, e - z - 1);
	if (!table) {
		*total += n0 + n1 + w;
	} else if (slot_add(w, kz, n0, n1)) {
		return -1;
	}
	st->s = s + e + 1;
	return 0;
}

static inline __attribute__((always_inline)) long run_two(const char *s, const char *lim, int table)
{
	struct stream a = { s, NULL, NULL, 0, 0, 0 }, b = { NULL, lim, NULL, 0, 0, 0 };
	const char *mid = s + (lim - s) / 2;
	uint64_t total = 0;
	long rows = 0;
	while (*mid != '\n')
		mid++;
	a.lim = mid + 1;
	b.s = mid + 1;
	while (a.s < a.lim && b.s < b.lim) {
		if (step(&a, table, &total) || step(&b, table, &total))
			not_plain(a.s);
		rows += 2;
	}
	while (a.s < a.lim) {
		if (step(&a, table, &total))
			not_plain(a.s);
		rows++;
	}
	while (b.s < b.lim) {
		if (step(&b, table, &total))
			not_plain(b.s);
		rows++;
	}
	sink = total;
	return rows;
}
static long run_two_none(const char *s, const char *lim) { return run_two(s, lim, 0); }
static long run_two_slot(const char *s, const char *lim) { return run_two(s, lim, 1); }
static long run_none(const char *s, const char *lim) { return run(s, lim, NO_TABLE); }
static long run_read(const char *s, const char *lim) { return run(s, lim, READ_ONLY); }
static long run_slot(const char *s, const char *lim) { return run(s, lim, SLOT_THEN_ACC); }
static long run_bucket(const char *s, const char *lim) { return run(s, lim, BUCKET_THEN_ACC); }
static long run_sums(const char *s, const char *lim) { return run(s, lim, BUCKET_SUMS); }
static long (*const run_way[NWAYS])(const char *, const char *) = {
	run_none, run_read, run_slot, run_bucket, run_sums, run_idx_none, run_idx_slot, run_two_none, run_two_slot,
};

/* The first stage alone over s..lim: the offsets found. */
static long index_only(const char *s, const char *lim)
{
	long n = 0;
	for (; s + IDX_BLOCK < lim; s += IDX_BLOCK)
		n += (long)index_block(s, IDX_BLOCK, idx_pos);
	return n;
}

/* The line ends of s..lim counted from 64-byte masks, as wc -l counts them (without its copy). */
static long count_lines(const char *s, const char *lim)
{
	const __m128i nlv = _mm_set1_epi8('\n');
	long n = 0;
	for (; s + 64 < lim; s += 64) {
		uint64_t m = 0;
		unsigned k;
		for (k = 0; k < 4; k++)
			m |= (uint64_t)(unsigned)_mm_movemask_epi8(
				     _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k)), nlv)) << (16 * k);
		n += __builtin_popcountll(m);
	}
	return n;
}

/* The best of rounds runs of f over s..lim, in seconds. */
static double best_of(int rounds, const char *s, const char *lim, long (*f)(const char *, const char *))
{
	double best = 1e9;
	int r;
	for (r = 0; r < rounds; r++) {
		double t = now();
		sink = (uint64_t)f(s, lim);
		t = now() - t;
		if (t < best)
			best = t;
	}
	return best;
}

/* ns per step of a chain of dependent loads over size bytes (one per cache line, shuffled). */
static double chase(size_t size)
{
	size_t n = size / 64, k, p = 0, *a = aligned_alloc(64, n * 64), *perm = malloc(n * sizeof(*perm));
	long it, steps = 20000000;
	double t;
	for (k = 0; k < n; k++)
		perm[k] = k;
	srand(1);
	for (k = n - 1; k > 0; k--) {
		size_t j = (size_t)rand() % (k + 1), x = perm[k];
		perm[k] = perm[j];
		perm[j] = x;
	}
	for (k = 0; k < n; k++)
		a[perm[k] * 8] = perm[(k + 1) % n] * 8;
	t = now();
	for (it = 0; it < steps; it++)
		p = a[p];
	t = now() - t;
	sink = p;
	free(a);
	free(perm);
	return t * 1e9 / (double)steps;
}

static size_t chase_size;
static double chase_ns[2];

static void *chase_thread(void *arg)
{
	chase_ns[(size_t)arg] = chase(chase_size);
	return NULL;
}

/* The same in two threads at once: the slower one's ns a step. */
static double chase2(size_t size)
{
	pthread_t t[2];
	size_t k;
	chase_size = size;
	for (k = 0; k < 2; k++)
		if (pthread_create(&t[k], NULL, chase_thread, (void *)k))
			return 0;
	for (k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	return chase_ns[0] > chase_ns[1] ? chase_ns[0] : chase_ns[1];
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "bench/out/firms-5000000.csv", *m, *s, *end, *lim, *p;
	int rounds = argc > 2 ? atoi(argv[2]) : 8, r, v, fd = open(path, O_RDONLY);
	static const size_t sizes[] = { 16 << 10, 64 << 10, 256 << 10, 512 << 10, 1 << 20, 2 << 20, 8 << 20, 64 << 20 };
	double best[NWAYS];
	long nrows[NWAYS];
	struct stat st;
	size_t k;

	if (fd < 0 || fstat(fd, &st) || st.st_size < 128) {
		fprintf(stderr, "rowloop: cannot read %s (make bench-mapping makes it)\n", path);
		return 1;
	}
	m = mmap(NULL, (size_t)st.st_size + 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return 1;
	end = m + st.st_size;
	s = (const char *)memchr(m, '\n', (size_t)st.st_size) + 1;   /* after the header */
	for (lim = end - 64; lim > s && lim[-1] != '\n'; lim--)
		;
	slots = calloc((size_t)1 << 14, sizeof(*slots));
	slot_mask = ((size_t)1 << 14) - 1;
	slot_shift = 64 - 14;
	bcells = calloc((size_t)1 << 12, sizeof(*bcells));
	bsums = calloc((size_t)1 << 12, sizeof(*bsums));
	bucket_mask = ((size_t)1 << 12) - 1;
	bucket_shift = 64 - 12;
	words = calloc((size_t)1 << 14, sizeof(*words));
	for (p = s; p < end;) {
		const char *q = memchr(p, '\n', (size_t)(end - p)), *c1 = memchr(p, ',', (size_t)(q - p)),
			   *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(q - c1 - 1)) : NULL;
		if (!c2 || c2 - p > 8)
			break;
		add_key(key_word(p, (unsigned)(c2 - p)), (unsigned)(c2 - p));
		p = q + 1;
	}
	accs = calloc(ncell + 1, sizeof(*accs));
	printf("the structural index's first stage alone: %.1f ms\n", best_of(10, s, lim, index_only) * 1e3);
	printf("the line ends counted alone (what wc -l does, without its copy): %.1f ms\n\n",
	       best_of(10, s, lim, count_lines) * 1e3);
	for (v = 0; v < NWAYS; v++)
		best[v] = 1e9;
	for (r = 0; r < rounds; r++)
		for (v = 0; v < NWAYS; v++) {
			double t = now();
			nrows[v] = run_way[v](s, lim);
			t = now() - t;
			if (t < best[v])
				best[v] = t;
		}
	printf("%s: %zu keys; one thread, best of %d interleaved rounds\n\n| loop | rows | ms | ns a row |\n|---|---:|---:|---:|\n",
	       path, ncell, rounds);
	for (v = 0; v < NWAYS; v++)
		printf("| %s | %ld | %.1f | %.2f |\n", way_name[v], nrows[v], best[v] * 1e3,
		       nrows[v] ? best[v] * 1e9 / (double)nrows[v] : 0.0);
	printf("\n| dependent loads over | ns a load | two threads at once, each |\n|---|---:|---:|\n");
	for (k = 0; k < sizeof(sizes) / sizeof(*sizes); k++)
		printf("| %zu KiB | %.2f | %.2f |\n", sizes[k] >> 10, chase(sizes[k]), chase2(sizes[k]));
	return 0;
}
