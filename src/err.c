#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kerr_set(struct kerr *e, enum kerr_kind kind, const char *fmt, ...)
{
	va_list ap;
	if (!e)
		return -1;
	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void kerr_prefix(struct kerr *e, const char *fmt, ...)
{
	char old[sizeof(e->msg)];
	va_list ap;
	int n;
	if (!e)
		return;
	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(e->msg) - 2)
		return;
	/* append ": old", truncated to fit */
	{
		size_t used = (size_t)n, room = sizeof(e->msg) - used - 1, k = strlen(old);
		e->msg[used++] = ':';
		e->msg[used++] = ' ';
		room -= 2;
		if (k > room)
			k = room;
		memcpy(e->msg + used, old, k);
		e->msg[used + k] = '\0';
	}
}

void kerr_clear(struct kerr *e)
{
	if (e) {
		e->kind = KERR_NONE;
		e->msg[0] = '\0';
	}
}

static const struct {
	int exit_code;
	int http;
} kinds[] = {
	[KERR_NONE] = { 0, 200 },
	[KERR_USAGE] = { 2, 400 },
	[KERR_INPUT] = { 3, 400 },
	[KERR_NOTFOUND] = { 4, 404 },
	[KERR_CONFLICT] = { 3, 409 },
	[KERR_AUTH] = { 5, 403 },
	[KERR_TOOBIG] = { 3, 413 },
	[KERR_DB] = { 6, 500 },
	[KERR_IO] = { 1, 500 },
	[KERR_INTERNAL] = { 1, 500 },
};

int kerr_exit_code(enum kerr_kind kind)
{
	return (unsigned)kind < sizeof(kinds) / sizeof(kinds[0]) ? kinds[kind].exit_code : 1;
}

int kerr_http_status(enum kerr_kind kind)
{
	return (unsigned)kind < sizeof(kinds) / sizeof(kinds[0]) ? kinds[kind].http : 500;
}

void bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "klaster: BUG at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int kerr_set_lines(struct kerr *e, enum kerr_kind kind, const char *text)
{
	size_t n = strlen(text);
	if (!e)
		return -1;
	while (n >= sizeof(e->msg)) {
		size_t k = n;
		while (k && text[k - 1] != '\n')
			k--;
		if (!k)
			break;   /* one line: cut by kerr_set */
		n = k - 1;   /* the lines before that line's '\n' */
	}
	return kerr_set(e, kind, "%.*s", (int)n, text);
}
