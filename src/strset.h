/*
 * strset.h — a set of strings, each with the line it was first met on:
 * for inputs whose keys must be unique (firm ids), so that a repeat can be
 * reported with both lines.  Open addressing on an FNV-1a hash; the
 * strings are kept in one buffer.
 */
#ifndef KLASTER_STRSET_H
#define KLASTER_STRSET_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct strset {
	struct buf text;        /* NUL-terminated strings */
	size_t *off;            /* per string: its offset in text */
	long *line;             /* per string: the line it was met on */
	uint32_t *slot;         /* string index + 1, 0 = empty; a power of two of them */
	size_t n, alloc, nslot;
};

#define STRSET_INIT { BUF_INIT, NULL, NULL, NULL, 0, 0, 0 }

/* Adds s, met on line: 0 when new, else the line it was first met on (s is not added again). */
long strset_add(struct strset *set, const char *s, long line);
void strset_release(struct strset *set);

#endif
