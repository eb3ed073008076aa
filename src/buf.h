/*
 * buf.h — the one growable byte buffer of klaster.
 *
 * Invariants (hold after every call):
 *   - b->ptr is never NULL: a fresh buffer points at a shared empty string;
 *   - b->ptr[b->len] == '\0' always, so ptr can be used as a C string;
 *   - b->len < b->alloc whenever b->alloc > 0.
 *
 * Errors are sticky: when an append would pass b->cap (a size limit set by
 * the caller for anything that comes from the network) or memory runs out,
 * b->err is set, the append is dropped, and every later append is a no-op.
 * Check buf_failed() once at the end instead of after each append.
 */
#ifndef KLASTER_BUF_H
#define KLASTER_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

extern char buf_empty[1];

struct buf {
	char *ptr;
	size_t len;
	size_t alloc;
	size_t cap;   /* 0 = no limit; otherwise the largest len allowed */
	int err;      /* 0, or BUF_ENOMEM / BUF_ETOOBIG */
};

enum { BUF_ENOMEM = 1, BUF_ETOOBIG = 2 };

#define BUF_INIT { buf_empty, 0, 0, 0, 0 }

void buf_init(struct buf *b, size_t hint);
/* Frees the memory and leaves b as BUF_INIT (cap kept). */
void buf_release(struct buf *b);
/* Empties b, keeps the memory and clears a sticky error. */
void buf_reset(struct buf *b);
/* Hands the string to the caller (free() it); b becomes empty. Never NULL. */
char *buf_detach(struct buf *b, size_t *len);
int buf_grow(struct buf *b, size_t extra);
/* Appends len bytes (buf_add) or one (buf_putc); the slow halves grow the memory. */
void buf_add_grow(struct buf *b, const void *data, size_t len);
void buf_putc_grow(struct buf *b, int c);
static inline void buf_add(struct buf *b, const void *data, size_t len)
{
	if (len < 64 && !b->err && b->len + len < b->alloc && (!b->cap || b->len + len <= b->cap)) {
		if (len)  /* data may be NULL then, which memcpy does not allow */
			memcpy(b->ptr + b->len, data, len);
		b->len += len;
		b->ptr[b->len] = '\0';
		return;
	}
	buf_add_grow(b, data, len);
}
static inline void buf_putc(struct buf *b, int c)
{
	if (!b->err && b->len + 1 < b->alloc && (!b->cap || b->len + 1 <= b->cap)) {
		b->ptr[b->len++] = (char)c;
		b->ptr[b->len] = '\0';
		return;
	}
	buf_putc_grow(b, c);
}
void buf_puts(struct buf *b, const char *s);
/* Appends v in decimal, as "%ld" would (without printf: for loops over many rows). */
void buf_put_long(struct buf *b, long v);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_truncate(struct buf *b, size_t len);
/* Appends the rest of f (a pipe, a terminal: read once, to its end): 0, or
 * -1 when reading failed (ferror(f), errno says why; what was read stays). */
int buf_read_stream(struct buf *b, FILE *f);
/* As buf_read_stream, for text: when the first 64 KiB hold a NUL byte (a
 * binary file, /dev/zero piped in), reading stops there (0): what was read
 * is enough for a reader to say it is no text, and an endless stream does
 * not fill the memory. */
int buf_read_text_stream(struct buf *b, FILE *f);
static inline int buf_failed(const struct buf *b) { return b->err != 0; }

/* Overflow-checked size arithmetic: abort with a message on overflow. */
size_t st_add(size_t a, size_t b);
size_t st_mult(size_t a, size_t b);
/* malloc/calloc/realloc/strdup that abort on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A copy of the n items of size bytes each at p (NULL when p is NULL), aborting as xmalloc. */
void *xmemdup(const void *p, size_t n, size_t size);

#define ALLOC_ARRAY(p, n) ((p) = xmalloc(st_mult(sizeof(*(p)), (n))))

#endif
