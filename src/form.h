/*
 * form.h — the body of an HTML form (application/x-www-form-urlencoded),
 * decoded once into name/value pairs.
 *
 * Contract: form_parse never fails on odd input — a pair without '=' has
 * an empty value, %XX and '+' are decoded, a bad %-sequence is kept as
 * written — but it rejects a body whose decoded text is not valid UTF-8 or
 * holds a NUL (-1, KERR_INPUT naming the field), and more than FORM_MAX
 * fields (-1, KERR_TOOBIG).  Values live as long as the struct form.
 */
#ifndef KLASTER_FORM_H
#define KLASTER_FORM_H

#include <stddef.h>

#include "err.h"

#define FORM_MAX 256
#define FORM_MAX_FILES 4

/* A file sent in a multipart/form-data form: its bytes are a slice of the
 * request body (which must outlive the form), never copied. */
struct form_file {
	const char *field;          /* the form field's name */
	const char *filename;       /* as the browser gave it, without a folder ("" when none) */
	const char *data;
	size_t len;
};

struct form {
	size_t n;
	char *names[FORM_MAX];
	char *values[FORM_MAX];
	char *mem;                  /* one copy of the body (or of a multipart form's
				       names and texts) the pointers point into */
	struct form_file files[FORM_MAX_FILES];
	size_t nfiles;
};

int form_parse(struct form *f, const char *body, size_t len, struct kerr *e);
/*
 * A multipart/form-data body (RFC 7578), the form of an upload: ctype is
 * the request's Content-Type, which names the boundary.  Fields without a
 * filename are decoded as form_parse decodes them (valid UTF-8, no NUL,
 * at most FORM_MAX; CR LF in a text stays as sent); fields with one are
 * files (at most FORM_MAX_FILES, their bytes as they are, a field left
 * empty by the browser — no file chosen — is not one).  -1 with KERR_INPUT
 * naming what is wrong — no boundary, a part without a name, a body that
 * ends before its closing boundary (an upload cut short) — or KERR_TOOBIG.
 * Written here for the reason form_parse is: the body is in memory, so a
 * file is a slice of it, and a plain parser is easy to fuzz.
 */
int form_parse_multipart(struct form *f, const char *ctype, const char *body, size_t len, struct kerr *e);
/* The file sent in field name, or NULL. */
const struct form_file *form_file(const struct form *f, const char *name);
/* The first value of name, or NULL. */
const char *form_get(const struct form *f, const char *name);
/* Every value of name (checkbox lists), up to max; returns how many. */
size_t form_all(const struct form *f, const char *name, const char **out, size_t max);
void form_release(struct form *f);

#endif
