/* test_buf.c — unit tests for the growable buffer (buf.h). */
#include "buf.h"
#include "err.h"

#include "t.h"

/* The invariants of buf.h, checked after each step. */
static int invariants(const struct buf *b)
{
	return b->ptr != NULL && b->ptr[b->len] == '\0' && (b->alloc == 0 || b->len < b->alloc);
}

T_TEST(init)
{
	struct buf a = BUF_INIT, b;
	T_OK(invariants(&a));
	T_EQ_INT(a.len, 0);
	T_EQ_STR(a.ptr, "");
	T_OK(!buf_failed(&a));
	buf_init(&b, 100);
	T_OK(invariants(&b));
	T_OK(b.alloc >= 101);
	T_EQ_INT(b.len, 0);
	T_EQ_STR(b.ptr, "");
	buf_release(&b);
	T_OK(invariants(&b));
	buf_release(&a);           /* releasing an empty buffer is fine */
	T_OK(invariants(&a));
}

T_TEST(growth)
{
	struct buf b = BUF_INIT;
	size_t i;
	int ok = 1;
	for (i = 0; i < 10000; i++) {
		buf_putc(&b, 'a' + (int)(i % 26));
		if (!invariants(&b) || b.len != i + 1)
			ok = 0;
	}
	T_OK(ok);
	T_EQ_INT(b.len, 10000);
	T_OK(b.ptr[0] == 'a' && b.ptr[25] == 'z' && b.ptr[26] == 'a' && b.ptr[9999] == 'a' + 9999 % 26);
	T_OK(!buf_failed(&b));
	buf_release(&b);

	buf_add(&b, "abc", 3);
	buf_add(&b, "xyz", 0);
	buf_puts(&b, "def");
	buf_add(&b, "g\0h", 3);     /* binary data is kept */
	T_EQ_INT(b.len, 9);
	T_OK(memcmp(b.ptr, "abcdefg\0h", 10) == 0);
	T_OK(invariants(&b));
	T_EQ_INT(buf_grow(&b, 1000), 0);
	T_OK(b.alloc >= b.len + 1001);
	T_EQ_INT(b.len, 9);
	buf_release(&b);
}

T_TEST(cap)
{
	struct buf b = BUF_INIT;
	b.cap = 10;
	buf_puts(&b, "0123456789");      /* exactly the cap */
	T_OK(!buf_failed(&b));
	T_EQ_INT(b.len, 10);
	T_OK(b.alloc <= 11);
	buf_putc(&b, 'x');               /* one past: dropped, sticky */
	T_OK(buf_failed(&b));
	T_EQ_INT(b.err, BUF_ETOOBIG);
	T_EQ_STR(b.ptr, "0123456789");
	buf_truncate(&b, 2);
	buf_putc(&b, 'y');               /* still failed: later appends are no-ops */
	buf_printf(&b, "%d", 5);
	T_EQ_STR(b.ptr, "01");
	T_EQ_INT(buf_grow(&b, 1), -1);
	T_OK(invariants(&b));

	buf_reset(&b);                   /* clears the error, keeps the cap */
	T_OK(!buf_failed(&b));
	T_EQ_INT(b.cap, 10);
	buf_puts(&b, "0123456789abc");   /* one big append over the cap */
	T_EQ_INT(b.err, BUF_ETOOBIG);
	T_EQ_INT(b.len, 0);
	buf_release(&b);
	T_EQ_INT(b.cap, 10);             /* release keeps the cap too */
	T_OK(!buf_failed(&b));
	buf_printf(&b, "%s", "0123456789abc");
	T_EQ_INT(b.err, BUF_ETOOBIG);
	T_EQ_INT(b.len, 0);
	buf_release(&b);
}

T_TEST(detach)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *p = buf_detach(&b, &len);     /* empty: still a fresh string */
	T_OK(p != NULL && p != buf_empty);
	T_EQ_STR(p, "");
	T_EQ_INT(len, 0);
	free(p);

	buf_puts(&b, "hello");
	p = buf_detach(&b, &len);
	T_EQ_STR(p, "hello");
	T_EQ_INT(len, 5);
	T_OK(invariants(&b));
	T_EQ_INT(b.len, 0);
	T_EQ_INT(b.alloc, 0);
	T_EQ_STR(b.ptr, "");
	buf_puts(&b, "again");              /* usable after detach */
	T_EQ_STR(b.ptr, "again");
	T_OK(b.ptr != p);
	free(p);
	p = buf_detach(&b, NULL);
	T_EQ_STR(p, "again");
	free(p);
	buf_release(&b);
}

T_TEST(reset_truncate)
{
	struct buf b = BUF_INIT;
	size_t alloc;
	buf_reset(&b);                      /* on the shared empty string */
	T_OK(invariants(&b));
	T_EQ_STR(buf_empty, "");
	buf_puts(&b, "hello world");
	alloc = b.alloc;
	buf_reset(&b);
	T_EQ_INT(b.len, 0);
	T_EQ_STR(b.ptr, "");
	T_EQ_INT(b.alloc, alloc);           /* memory kept */
	buf_puts(&b, "hello world");
	buf_truncate(&b, 5);
	T_EQ_STR(b.ptr, "hello");
	T_EQ_INT(b.len, 5);
	buf_truncate(&b, 50);               /* longer than len: nothing happens */
	T_EQ_STR(b.ptr, "hello");
	buf_truncate(&b, 0);
	T_EQ_STR(b.ptr, "");
	T_OK(invariants(&b));
	buf_release(&b);
	buf_truncate(&b, 0);                /* on an empty buffer */
	T_OK(invariants(&b));
}

T_TEST(printf)
{
	struct buf b = BUF_INIT;
	char big[3000];
	buf_printf(&b, "%d-%s-%05.1f", 42, "x", 3.14159);
	T_EQ_STR(b.ptr, "42-x-003.1");
	buf_printf(&b, "|%lld|%zu|%%", -1LL, (size_t)7);
	T_EQ_STR(b.ptr, "42-x-003.1|-1|7|%");
	buf_printf(&b, "%s", "");
	T_EQ_INT(b.len, strlen("42-x-003.1|-1|7|%"));
	buf_reset(&b);
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_printf(&b, "<%s>", big);        /* grows inside printf */
	T_EQ_INT(b.len, sizeof(big) + 1);
	T_OK(b.ptr[0] == '<' && b.ptr[1] == 'q' && b.ptr[b.len - 1] == '>');
	T_OK(invariants(&b));
	buf_release(&b);
}

T_TEST(sizes)
{
	char *s;
	int *arr;
	T_EQ_INT(st_add(2, 3), 5);
	T_EQ_INT(st_mult(6, 7), 42);
	T_EQ_INT(st_mult(0, SIZE_MAX), 0);
	T_OK(st_add(SIZE_MAX - 1, 1) == SIZE_MAX);
	T_OK(st_mult(SIZE_MAX / 2, 2) == SIZE_MAX - 1);
	s = xstrndup("abcdef", 3);
	T_EQ_STR(s, "abc");
	free(s);
	s = xstrdup("Łódź");
	T_EQ_STR(s, "Łódź");
	free(s);
	ALLOC_ARRAY(arr, 10);
	arr[9] = 7;
	T_EQ_INT(arr[9], 7);
	free(arr);
}

/* kerr_set_lines (err.h): a message of many lines keeps whole lines, never a cut one. */
T_TEST(error_lines)
{
	struct kerr e = KERR_INIT;
	struct buf b = BUF_INIT;
	int i;
	for (i = 0; i < 40; i++)
		buf_printf(&b, "%sfield_%02d: a reason that takes some room on its line", i ? "\n" : "", i);
	T_EQ_INT(kerr_set_lines(&e, KERR_INPUT, b.ptr), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strlen(e.msg) < sizeof(e.msg) && strlen(e.msg) > 800);
	T_OK(strcmp(e.msg + strlen(e.msg) - strlen("on its line"), "on its line") == 0);   /* a whole last line */
	T_OK(strncmp(e.msg, "field_00: ", 10) == 0);
	buf_reset(&b);
	buf_puts(&b, "one: short\ntwo: short");
	kerr_set_lines(&e, KERR_INPUT, b.ptr);
	T_EQ_STR(e.msg, "one: short\ntwo: short");
	buf_release(&b);
}

int main(void)
{
	T_RUN(init);
	T_RUN(growth);
	T_RUN(cap);
	T_RUN(detach);
	T_RUN(reset_truncate);
	T_RUN(printf);
	T_RUN(sizes);
	T_RUN(error_lines);
	return t_done();
}
