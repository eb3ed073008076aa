/*
 * err.h — the one error convention of klaster.
 *
 * Functions that can fail return 0 on success and -1 on failure, and fill
 * a caller-provided struct kerr with a kind and a message a person can act
 * on (which file, line, field and why).  The message is set once, by the
 * function that saw the problem; callers may prefix context with
 * kerr_prefix().  A NULL struct kerr pointer is allowed and drops the
 * message.  Broken invariants are bugs: use BUG(), which aborts.
 */
#ifndef KLASTER_ERR_H
#define KLASTER_ERR_H

enum kerr_kind {
	KERR_NONE = 0,
	KERR_USAGE,     /* wrong command-line use          exit 2, HTTP 400 */
	KERR_INPUT,     /* invalid data from a user        exit 3, HTTP 400/422 */
	KERR_NOTFOUND,  /* no such record                  exit 4, HTTP 404 */
	KERR_CONFLICT,  /* duplicate or state conflict     exit 3, HTTP 409 */
	KERR_AUTH,      /* not allowed                     exit 5, HTTP 401/403 */
	KERR_TOOBIG,    /* input over a configured limit   exit 3, HTTP 413 */
	KERR_DB,        /* database failure                exit 6, HTTP 500 */
	KERR_IO,        /* file or network failure         exit 1, HTTP 500 */
	KERR_INTERNAL   /* anything else                   exit 1, HTTP 500 */
};

struct kerr {
	enum kerr_kind kind;
	char msg[1024];
};

#define KERR_INIT { KERR_NONE, "" }

/* Sets kind and message (printf-style); always returns -1. */
int kerr_set(struct kerr *e, enum kerr_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Puts "prefix: " in front of the current message. */
void kerr_prefix(struct kerr *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kerr_clear(struct kerr *e);
/* Sets e to kind and the lines of text (one problem a line, '\n' between): as many whole
 * lines as the message holds, never a line cut (one line alone longer than it is cut, as by
 * kerr_set).  Returns -1. */
int kerr_set_lines(struct kerr *e, enum kerr_kind kind, const char *text);
/* The process exit code documented for a kind (see docs/CLI.md). */
int kerr_exit_code(enum kerr_kind kind);
/* The HTTP status for a kind. */
int kerr_http_status(enum kerr_kind kind);

/* A count's noun in a message: one when n is 1, else many —
 * "%ld %s", n, plural(n, "row", "rows"). */
static inline const char *plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)
void bug_fl(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#endif
