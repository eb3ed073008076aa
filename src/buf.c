#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char buf_empty[1];

static void die_oom(void)
{
	fputs("klaster: out of memory\n", stderr);
	abort();
}

size_t st_add(size_t a, size_t b)
{
	if (a > SIZE_MAX - b) {
		fputs("klaster: size overflow\n", stderr);
		abort();
	}
	return a + b;
}

size_t st_mult(size_t a, size_t b)
{
	if (b && a > SIZE_MAX / b) {
		fputs("klaster: size overflow\n", stderr);
		abort();
	}
	return a * b;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom();
	return q;
}

void *xmemdup(const void *p, size_t n, size_t size)
{
	void *q;
	if (!p)
		return NULL;
	q = xmalloc(st_mult(n ? n : 1, size));
	memcpy(q, p, n * size);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(st_add(n, 1));
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void buf_init(struct buf *b, size_t hint)
{
	b->ptr = buf_empty;
	b->len = b->alloc = 0;
	b->cap = 0;
	b->err = 0;
	if (hint)
		buf_grow(b, hint);
}

void buf_release(struct buf *b)
{
	size_t cap = b->cap;
	if (b->alloc)
		free(b->ptr);
	buf_init(b, 0);
	b->cap = cap;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->alloc)
		b->ptr[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p;
	if (len)
		*len = b->len;
	if (!b->alloc) {
		p = xstrdup("");
	} else {
		p = b->ptr;
	}
	b->ptr = buf_empty;
	b->len = b->alloc = 0;
	b->err = 0;
	return p;
}

int buf_grow(struct buf *b, size_t extra)
{
	size_t need;
	if (b->err)
		return -1;
	need = st_add(st_add(b->len, extra), 1);
	if (b->cap && need - 1 > b->cap) {
		b->err = BUF_ETOOBIG;
		return -1;
	}
	if (need <= b->alloc)
		return 0;
	{
		size_t n = b->alloc ? b->alloc : 64;
		char *p;
		while (n < need)
			n = st_mult(n, 2);
		if (b->cap && n > b->cap + 1)
			n = b->cap + 1 > need ? b->cap + 1 : need;
		p = realloc(b->alloc ? b->ptr : NULL, n);
		if (!p) {
			b->err = BUF_ENOMEM;
			return -1;
		}
		if (!b->alloc)
			p[0] = '\0';
		b->ptr = p;
		b->alloc = n;
	}
	return 0;
}

void buf_add_grow(struct buf *b, const void *data, size_t len)
{
	if (!len || buf_grow(b, len))
		return;
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_putc_grow(struct buf *b, int c)
{
	char ch = (char)c;
	buf_add_grow(b, &ch, 1);
}

void buf_put_long(struct buf *b, long v)
{
	char tmp[24], *q = tmp + sizeof(tmp);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	do
		*--q = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--q = '-';
	buf_add(b, q, (size_t)(tmp + sizeof(tmp) - q));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	if (b->err)
		return;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

int buf_read_text_stream(struct buf *b, FILE *f)
{
	char head[65536];
	size_t got = fread(head, 1, sizeof(head), f);
	if (got < sizeof(head) && ferror(f))
		return -1;
	buf_add(b, head, got);
	if (buf_failed(b)) {
		errno = ENOMEM;
		return -1;
	}
	if (got < sizeof(head) || memchr(head, '\0', got))
		return 0;
	return buf_read_stream(b, f);
}

int buf_read_stream(struct buf *b, FILE *f)
{
	size_t got;
	for (;;) {
		if (buf_grow(b, 1 << 16)) {
			errno = ENOMEM;
			return -1;
		}
		got = fread(b->ptr + b->len, 1, b->alloc - b->len - 1, f);
		if (!got)
			break;
		b->len += got;
		b->ptr[b->len] = '\0';
	}
	return ferror(f) ? -1 : 0;
}
