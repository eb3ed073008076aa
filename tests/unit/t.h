/*
 * t.h — the unit-test harness: TAP output, one binary per module.
 *
 *   T_TEST(name) { T_OK(cond); T_EQ_STR(a, b); T_NEAR(a, b, tol); }
 *   int main(void) { T_RUN(name); ...; return t_done(); }
 *
 * Each check prints "ok N - expr" or "not ok N - expr (file:line)".
 * tests/run.sh counts them and prints the closing "N passed, N failed".
 */
#ifndef KLASTER_T_H
#define KLASTER_T_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

static int t_n, t_failed;
static const char *t_cur = "";

static inline int t_check(int ok, const char *what, const char *file, int line)
{
	t_n++;
	if (ok) {
		printf("ok %d - %s: %s\n", t_n, t_cur, what);
	} else {
		t_failed++;
		printf("not ok %d - %s: %s (%s:%d)\n", t_n, t_cur, what, file, line);
	}
	fflush(stdout);
	return ok;
}

#define T_TEST(name) static void t_##name(void)
#define T_RUN(name) (t_cur = #name, t_##name())
#define T_OK(c) t_check(!!(c), #c, __FILE__, __LINE__)
#define T_EQ_INT(a, b) do { long long t_a = (a), t_b = (b); \
	if (!t_check(t_a == t_b, #a " == " #b, __FILE__, __LINE__)) \
		printf("#   got %lld, want %lld\n", t_a, t_b); } while (0)
#define T_EQ_STR(a, b) do { const char *t_a = (a), *t_b = (b); \
	if (!t_check(t_a && t_b && strcmp(t_a, t_b) == 0, #a " == " #b, __FILE__, __LINE__)) \
		printf("#   got \"%s\", want \"%s\"\n", t_a ? t_a : "(null)", t_b ? t_b : "(null)"); } while (0)
#define T_NEAR(a, b, tol) do { double t_a = (a), t_b = (b); \
	if (!t_check(fabs(t_a - t_b) <= (tol) * (fabs(t_b) > 1 ? fabs(t_b) : 1), #a " ~ " #b, __FILE__, __LINE__)) \
		printf("#   got %.10g, want %.10g\n", t_a, t_b); } while (0)

/* A whole file as a NUL-terminated string (free it); NULL when it cannot
 * be opened.  For tests that check what a writer produced. */
static inline char *t_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, len);
}

static inline int t_done(void)
{
	printf("1..%d\n", t_n);
	return t_failed ? 1 : 0;
}

#endif
