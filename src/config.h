/*
 * config.h — the klaster configuration file: "key = value" lines, '#'
 * comments and blank lines.  Keys are given by the caller (the settings
 * table in main.c); an unknown key, a line without '=', a value given twice
 * or a NUL byte is an error naming the file and line.
 */
#ifndef KLASTER_CONFIG_H
#define KLASTER_CONFIG_H

#include <stddef.h>

#include "err.h"

/* Parses text (len bytes, need not be NUL-terminated) named src in
 * messages.  For each line "key = value" with key == keys[i] (keys is
 * NULL-terminated) values[i] gets a malloc'ed copy of the value, trimmed,
 * unless values[i] is already set (set earlier from a flag or the
 * environment, which win) or the value is empty ("key =", which gives no
 * value: the next source is asked, as for an empty environment variable;
 * the key still counts as given once).  On error returns -1 (KERR_USAGE); values set
 * before the error stay set and belong to the caller. */
int config_parse(const char *text, size_t len, const char *src, const char *const *keys,
		 char **values, struct kerr *e);

/* Reads a file (at most 1 MiB) and parses it as above. */
int config_load(const char *path, const char *const *keys, char **values, struct kerr *e);

#endif
